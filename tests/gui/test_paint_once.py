"""A frame's new numbers paint each plot once: pyqtgraph's auto range and view transforms are
settled before the paint (widgets.settle_plots), not at its start, where the ranges and axes
they change asked Qt for a second paint of what they cover."""
from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import wait_for_run


class _Paints(QObject):
    """Counts the paints of a plot (its viewport's: a QGraphicsView draws there)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _flush() -> None:
    for _ in range(3):  # a paint's deferred work may post the next update
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _longer(base, epoch: int):
    """``base`` at ``epoch``, its loss curves reaching it (a new x range for the chart)."""
    ep = np.arange(1, epoch + 1, dtype=np.int64)
    te = np.arange(1, epoch + 2, 5, dtype=np.int64)
    return dataclasses.replace(
        base, epoch=epoch, live_epoch=epoch, loss_epochs=ep,
        loss_values=(0.05 + 0.2 * np.exp(-ep / 40.0)).astype(np.float32),
        test_epochs=te, test_values=(0.06 + 0.2 * np.exp(-te / 40.0)).astype(np.float32))


def test_a_frame_paints_the_loss_chart_once(bare_window, qtbot):
    w = bare_window
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.loss_plot.isVisible())
    _flush()
    paints = _Paints(w.loss_plot.viewport())
    base = w.last_snapshot
    ranges = set()
    for i, epoch in enumerate((30, 45, 70, 110, 170, 260, 400)):
        n = paints.count
        w._latest = _longer(base, epoch)
        w._draw_latest()
        _flush()
        ranges.add(tuple(w.loss_plot.getViewBox().viewRange()[0]))
        assert paints.count - n == 1, (paints.count - n, epoch)  # drawn, and once
    assert len(ranges) >= 5  # the axis did move (what asked for the second paint)


def test_a_frame_paints_the_gradients_plots_once(main_window, qtbot):
    # The Gradients tab's six plots took ~4 ms a paint at 100,000 points, and ~40% of its
    # frames painted them twice (bench/README.md, "Second paints").
    w = main_window
    w.show_view("gradients")
    view = w._inspection_views["gradients"]
    seen = []
    w.snapshot_drawn.connect(lambda s: seen.append(s) if "gradients" in s.extras else None)
    w.play()

    def new_numbers() -> list:
        # (a throttled probe hands its last numbers out again: nothing new to paint then)
        frames = []
        for s in seen:
            if not frames or (s.epoch > frames[-1].epoch and
                              s.extras["gradients"] is not frames[-1].extras["gradients"]):
                frames.append(s)
        return frames
    qtbot.waitUntil(lambda: len(new_numbers()) >= 10, timeout=120_000)
    w.pause()
    wait_for_run(qtbot, w)
    qtbot.waitUntil(lambda: not w.worker.loop.playing)
    frames = new_numbers()[:10]
    _flush()
    qtbot.waitUntil(lambda: view.snapshot is w.last_snapshot)
    # The frames below only: a late answer of the worker's (the pause's snapshot, a probe's
    # numbers come) must not take the place of the one drawn.
    w.worker.snapshot_ready.disconnect(w._on_snapshot)
    _flush()
    paints = _Paints(view.glw.viewport())
    for i, s in enumerate(frames):
        n = paints.count
        w._latest = s
        w._draw_latest()
        qtbot.waitUntil(lambda s=s: view.snapshot is s)  # drawn in the views' own turn
        _flush()
        if i > 0:  # (the first: back from the paused epoch, a caption of another length)
            assert paints.count - n == 1, (paints.count - n, s.epoch)
