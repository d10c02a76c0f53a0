"""The Backprop tab in presentation mode at 1024x768: a plot a point can be picked on, and the
formulas with room to be read, the column scrolling below them."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.gui.backprop_view import PRESENTING_FORMULA_LINES

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_backprop_plot_and_formulas_keep_their_room_in_presentation_at_1024(main_window,
                                                                                 qtbot):
    # Before: the plot of the points was ~125x70 px (points could not be picked) and the
    # formulas showed ~5 lines.
    w = main_window
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = w._inspection_views["backprop"]
    vb = view.plot.getPlotItem().getViewBox()
    lines = PRESENTING_FORMULA_LINES * view.formulas.fontMetrics().lineSpacing()

    def roomy() -> bool:
        QApplication.processEvents()
        return (vb.width() >= 200 and vb.height() >= 150
                and view.formulas.viewport().height() >= lines - 1
                and view.split_scroll.verticalScrollBar().maximum() > 0)  # the column scrolls
    qtbot.waitUntil(roomy, timeout=30_000)
    assert w.width() == 1024  # the room came from scrolling, not a wider window
    # The normal mode again: the column fits the tab, no scroll bar.
    w.set_presentation(False)
    qtbot.waitUntil(lambda: not view.split_scroll.scrolling
                    and view.split_scroll.verticalScrollBar().maximum() == 0, timeout=30_000)
