"""Presentation mode reaches every view of the registry: its plots' text, markers and lines,
its diagram's labels, its own labels at least 1.6 times their normal size (read from the items,
not from pixels), and back to normal after."""
from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import (QApplication, QGraphicsLineItem, QGraphicsPathItem,
                               QGraphicsSimpleTextItem, QGraphicsTextItem, QGraphicsView, QLabel)

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Choices, make_problem
from nnviz.gui.presentation import SCALE
from nnviz.gui.views import REGISTRY


def _measure(view) -> dict[str, list[float]]:
    """Every size a reader sees: text (points), markers (pixels), lines (pixels)."""
    out = {"text": [], "marker": [], "line": [], "label": []}
    graphics = view.findChildren(QGraphicsView) + ([view] if isinstance(view, QGraphicsView)
                                                   else [])
    for g in graphics:
        if not g.isVisible():
            continue
        for item in g.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.AxisItem):
                f = item.style.get("tickFont")
                out["text"].append(f.pointSizeF() if f is not None else
                                   g.font().pointSizeF() * 0 + 9.0)
            elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)) and \
                    item.toPlainText().strip() if isinstance(item, QGraphicsTextItem) else \
                    isinstance(item, QGraphicsSimpleTextItem) and item.text().strip():
                out["text"].append(item.font().pointSizeF())
            elif isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is not None:
                w = pg.mkPen(item.opts["pen"]).widthF()
                if w > 0 and len(item.xData if item.xData is not None else []):
                    out["line"].append(w)
            elif isinstance(item, pg.PlotCurveItem) and \
                    not isinstance(item.parentItem(), pg.PlotDataItem):  # a curve on its own
                w = pg.mkPen(item.opts["pen"]).widthF()
                if w > 0 and len(item.xData if item.xData is not None else []):
                    out["line"].append(w)
            elif isinstance(item, pg.ScatterPlotItem) and len(item.data):
                s = item.data["size"]
                out["marker"] += [float(x) for x in s[s > 0]][:50]
            elif isinstance(item, (QGraphicsLineItem, QGraphicsPathItem)) and \
                    not isinstance(item, pg.GraphicsObject) and item.pen().widthF() > 0:
                out["line"].append(item.pen().widthF())
    for label in view.findChildren(QLabel):
        if label.isVisible() and label.text():
            out["label"].append(label.font().pointSizeF())
    return out


def _drawn(view) -> bool:
    """The view has drawn a snapshot (and its probe's first result, where it has one)."""
    snapshot = getattr(view, "snapshot", True)
    key = getattr(view, "extras_key", None)  # a view drawing a probe's numbers: with them
    pages = getattr(view, "pages", None)
    if pages is not None and view.stack.currentWidget() is not pages.get(key):
        key = None  # the Lessons tab: its baseline's probe runs on the baseline's page alone
    return snapshot is not None and getattr(view, "result", True) is not None and \
        (key is None or key in snapshot.extras)


def _grown(normal, big) -> bool:
    """Every kind measured in both has grown by the presentation scale, smallest and largest."""
    return all(min(big[k]) >= SCALE * min(normal[k]) - 0.05 and
               max(big[k]) >= SCALE * max(normal[k]) - 0.05
               for k in normal if normal[k] and big[k])


def _wait(qtbot, condition, timeout: int, what) -> None:
    """qtbot.waitUntil, its failure naming what it waited for."""
    try:
        qtbot.waitUntil(condition, timeout=timeout)
    except qtbot.TimeoutError:
        raise AssertionError(f"{what}: timed out after {timeout} ms") from None


def _scales(w, qtbot, name: str) -> None:
    """The view, shown normal at epoch 40, grows by the presentation scale, and shrinks back."""
    w.show_view(name)
    view = w._inspection_views[name]
    if name == "compare":  # without a sweep it draws no plot, only what a sweep is
        from nnviz.core.problem import notebook_problem
        from nnviz.core.sweep import Axis, SweepSpec
        view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 1.0)),)))
        w.step(5)
        _wait(qtbot, lambda: view.drawn is not None and view.drawn.epoch == 5
              and view.members_of == view.sweep_id, 60_000, (name, "its sweep's frame"))
    _wait(qtbot, lambda: _drawn(view), 60_000, (name, "its first frame"))
    QApplication.processEvents()
    if hasattr(view, "result"):  # the views whose probe takes a while: their first picture
        _wait(qtbot, lambda: view.result is not None and view.result.epoch == 40, 60_000,
              (name, "its probe's first picture"))
        QApplication.processEvents()
    normal = _measure(view)
    w.set_presentation(True)
    # Until the view has drawn at the new scale (the assertions below then say what is short).
    try:
        qtbot.waitUntil(lambda: _grown(normal, _measure(view)), timeout=30_000)
    except qtbot.TimeoutError:
        pass
    big = _measure(view)
    checked = 0
    for kind in ("text", "marker", "line", "label"):
        if not normal[kind] or not big[kind]:
            continue
        checked += 1
        # Every size of the kind: the smallest is the one the back row cannot read.
        assert min(big[kind]) >= SCALE * min(normal[kind]) - 0.05, (name, kind, normal[kind],
                                                                   big[kind])
        assert max(big[kind]) >= SCALE * max(normal[kind]) - 0.05, (name, kind)
    assert checked >= 2, (name, normal)
    w.set_presentation(False)

    def back_to_normal() -> bool:
        back = _measure(view)
        return all(abs(min(back[k]) - min(normal[k])) <= 0.05
                   for k in ("text", "label") if back[k] and normal[k])
    try:
        qtbot.waitUntil(back_to_normal, timeout=30_000)
    except qtbot.TimeoutError:
        pass
    back = _measure(view)
    for kind in ("text", "label"):
        if back[kind] and normal[kind]:
            assert min(back[kind]) == pytest.approx(min(normal[kind]), abs=0.05), (name, kind)


def test_presentation_mode_scales_every_view(main_window, qtbot, wait_run):
    """Each view of the registry in turn, in one window (a view is built when first shown, so
    each is built in normal mode, as in a window of its own); the regions view last, on a
    network with regions to draw. A failure names the view."""
    w = main_window
    w.resize(1400, 900)
    w.step(40)
    wait_run(w, 40)
    for entry in REGISTRY:
        if entry.name != "regions":
            _scales(w, qtbot, entry.name)
    w.show_view("main")  # (while the Compare view is shown, Step drives its sweep)
    w.load_problem(make_problem(make_dataset(DataSpec("moons")),
                                Choices((6,), ("relu",), learning_rate=0.5)))
    w.step(40)
    wait_run(w, 40)
    _scales(w, qtbot, "regions")
