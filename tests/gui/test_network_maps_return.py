"""The Network tab shown again after another tab keeps its units' maps while the worker is busy.

Network -> Backprop -> Network, paused: every unit of the diagram was a grey square until the
worker had computed the Backprop tab's first numbers (a compile: ~10 s on a busy machine), in
presentation mode and out of it. The tab, shown again, drew the window's last frame, made behind
the Backprop tab without the network's maps, and took it for "no maps"."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QColor

from nnviz.core import backprop
from nnviz.gui import colors

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def grey_units(canvas) -> int:
    """How many of the units drawn (hidden and output) are a flat square of the placeholder's
    grey, as painted on screen."""
    image = canvas.grab().toImage()
    ratio = image.devicePixelRatio()
    neutral = QColor(*colors.theme().neutral).rgb()
    grey = 0
    for c in range(1, len(canvas.shown)):
        for k in range(len(canvas.shown[c])):
            r = canvas.node_rect(c, k).adjusted(3, 3, -3, -3)  # inside its outline
            xs = [r.left() + r.width() * f for f in (0.2, 0.5, 0.8)]
            ys = [r.top() + r.height() * f for f in (0.2, 0.5, 0.8)]
            pixels = {image.pixel(int(x * ratio), int(y * ratio)) for x in xs for y in ys}
            grey += pixels == {neutral}
    return grey


def test_the_diagrams_maps_stay_after_the_backprop_tab_while_its_numbers_compute(
        main_window, qtbot, monkeypatch, wait_run):
    w = main_window
    w.step(100)
    wait_run(w, 100)
    w.show_view("network")
    view = w._inspection_views["network"]
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.maps is not None and canvas.maps.epoch == 100,
                    timeout=60_000)
    qtbot.waitUntil(lambda: grey_units(canvas) == 0, timeout=10_000)

    # The Backprop tab's numbers take the worker a while (its first visit compiles): held here
    # until the end of the test, so that the worker cannot answer the Network tab meanwhile.
    busy, release = threading.Event(), threading.Event()
    probe_call = backprop.BackpropProbe.__call__

    def slow(self, *args, **kwargs):
        busy.set()
        release.wait(60)
        return probe_call(self, *args, **kwargs)
    monkeypatch.setattr(backprop.BackpropProbe, "__call__", slow)
    try:
        w.show_view("backprop")
        qtbot.waitUntil(busy.is_set, timeout=30_000)
        w.show_view("network")
        # Before: 19 of 19 grey squares (every hidden and output unit) until the worker was free.
        qtbot.waitUntil(lambda: grey_units(canvas) == 0, timeout=5_000)
        assert canvas.thumbnail(canvas.spec.n_layers - 1, 0) is not None
        assert "epoch 100" in view.header.text()
    finally:
        release.set()
    # The worker free again: the network's own frame comes, the maps still drawn.
    qtbot.waitUntil(lambda: "network" in w.last_snapshot.extras, timeout=60_000)
    qtbot.waitUntil(lambda: canvas.maps is w.last_snapshot.extras["network"], timeout=10_000)
    assert grey_units(canvas) == 0
