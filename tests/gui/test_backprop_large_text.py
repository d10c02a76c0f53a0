"""The Backprop tab with the text enlarged (View > Text size) or in presentation mode in a
1400x900 window: the plot and the formulas side by side above the diagram. Review r19 #13: at
150% the formulas' box was 353 px tall for ~155 px of text and the diagram was squeezed into
the 289 px under it, hidden 2's ten nodes 4 px apart, their bias squares 2 px over the next
node; the plot beside the box had white bands above and below its plane and the main plot's
12 px markers, which hid the decision boundary."""
from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from nnviz.core.backprop import STAGES
from nnviz.gui.boundary_plot import POINT_SIZE

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

SIZE = (1400, 900)
SIZES = [2, 4, 10, 4, 1]  # the notebook's network, the window's default


def _enlarged(w, qtbot, how: str):
    if how == "text 150%":
        w.text_size.set_factor(1.5)  # (View > Text size without the screen's bound)
    else:
        w.set_presentation(True)
    w.show_view("backprop")
    w.resize(*SIZE)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == SIZE, timeout=5000)
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.result is not None and view._layout == "row", timeout=30_000)
    return view


def _drawn_px(item) -> float:
    """A scatter item's markers' size as drawn (after the view's scale)."""
    sizes = np.asarray(item.data["size"], float) if len(item.data) else np.zeros(0)
    if len(sizes) and sizes[0] >= 0:
        return float(sizes.max())
    return float(item.opts["size"])


def _tallest_text(view) -> int:
    """The tallest of the selected unit's six stage texts, laid out at the box's width."""
    name, tr, spec = view._written
    width = view.formulas.contentsRect().width()
    return max(math.ceil(view._laid_out(view._breaking(view._formulas(s, tr, spec)), width)
                         .size().height()) for s in STAGES)


@pytest.mark.parametrize("how", ["text 150%", "presentation"])
def test_the_diagram_gets_the_height_the_formulas_do_not_need_at_1400(main_window, qtbot,
                                                                      how):
    w = main_window
    view = _enlarged(w, qtbot, how)
    box, canvas = view.formulas, view.canvas
    frame = box.height() - box.viewport().height()
    line = box.fontMetrics().lineSpacing()

    def shared() -> bool:
        QApplication.processEvents()
        return view._written is not None and \
            box.height() <= _tallest_text(view) + frame + line
    try:
        qtbot.waitUntil(shared, timeout=10_000)
    except qtbot.TimeoutError:
        raise AssertionError(f"formulas {box.height()} px for {_tallest_text(view)} px of "
                             f"text, diagram {canvas.height()} px") from None
    # ... each stage's text whole in it (no scroll bar), the diagram put where it was
    top = canvas.mapTo(view, canvas.rect().topLeft()).y()
    for k in range(len(STAGES)):
        view.go(k)
        QApplication.processEvents()
        box.grab()  # laid out and drawn
        assert box.verticalScrollBar().maximum() == 0, (STAGES[k], box.toPlainText())
        assert canvas.mapTo(view, canvas.rect().topLeft()).y() == top, STAGES[k]
    view.go(0)
    # The diagram: every unit, hidden 2's ten nodes with room between them, each bias square
    # clear of the next node as well.
    canvas.grab()
    assert [len(u) for u in canvas.shown] == SIZES
    for c, n in enumerate(SIZES):
        for k in range(n - 1):
            below = canvas.node_rect(c, k + 1).top()
            assert below - canvas.node_rect(c, k).bottom() >= 8, (c, k)
            if c:
                assert below - canvas.bias_rect(c, k).bottom() >= 4, (c, k)
    assert min(canvas.node_size) >= 20, canvas.node_size
    # The plot beside the formulas: its plane fills its height (8 px at most: the axes'
    # rounding), no blank bands above and below it; large enough to pick a point on.
    plot = view.plot
    vb = plot.getPlotItem().getViewBox()
    assert plot.height() - plot.height_for_plane(round(vb.height())) <= 8, \
        (plot.width(), plot.height(), vb.width(), vb.height())
    assert vb.width() >= 150 and vb.height() >= 95, (vb.width(), vb.height())


@pytest.mark.parametrize("how", ["text 150%", "presentation"])
def test_the_small_plot_draws_smaller_markers(main_window, qtbot, how):
    # (the main plot's 12 px markers in its ~165x105 px plane covered the decision boundary)
    w = main_window
    view = _enlarged(w, qtbot, how)
    plot = view.plot
    vb = plot.getPlotItem().getViewBox()
    main = _drawn_px(w.boundary.train_points)  # the main plot's, at the same text size

    def fitted() -> bool:
        QApplication.processEvents()
        return view._written is not None and 5 <= _drawn_px(plot.train_points) <= 0.7 * main
    try:
        qtbot.waitUntil(fitted, timeout=10_000)
    except qtbot.TimeoutError:
        raise AssertionError(
            f"plane {vb.width():.0f}x{vb.height():.0f}, markers "
            f"{_drawn_px(plot.train_points)} px (main {main})") from None
    assert main >= POINT_SIZE * 1.5  # (the main plot keeps its large markers)
    # the test points' rings as small
    assert _drawn_px(plot.test_rims) < _drawn_px(w.boundary.test_rims) * 0.75
