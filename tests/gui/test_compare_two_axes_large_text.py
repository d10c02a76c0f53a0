"""The Compare tab at 200% text in presentation mode on a 1024 x 768 projector with a sweep over
two settings (a reviewer's learning rate 0.1, 0.3, 1, 3 x activation sigmoid, tanh, relu, the
New sweep form folded): the table's rows fitted the height, so the view was not "tight" (it did
not scroll as a whole), but its columns did not fit its 55% of the width: the test loss read
"3.33e-0" for 3.33e-05 over a horizontal scroll bar, the heatmap (half the width) cut its right
column ("0.0019", "relu") and its title's star, and the curves were ~50 px tall. Now a table
too wide for its share makes the view tight too: it scrolls as a whole, the table whole beside
the tiles, each plot at the view's full width under them."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.core.problem import notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from nnviz.gui.compare_view import TIGHT_ROWS, WHOLE_TABLE_ROWS
from tests.conftest import FIRST_SNAPSHOT_MS

from .test_compare_large_text import _in_sight, _scrolled_to, presenting_at_200
from .test_compare_layout import _cells_whole

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
LRS, ACTS = (0.1, 0.3, 1.0, 3.0), ("sigmoid", "tanh", "relu")
EPOCHS = 30


def _whole_in(item, plot) -> bool:
    """Whether a plot's text item is inside the plot's widget and in sight (its text's box
    has a few pixels of margin around the letters)."""
    rect = plot.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()
    return plot.viewport().visibleRegion().boundingRect().adjusted(-4, -4, 4, 4).contains(rect)


def _reads(view) -> None:
    """Every cell of the table whole (its columns each as wide as their text, no horizontal
    scroll bar; rows beyond WHOLE_TABLE_ROWS scroll), the buttons under it in sight, and each
    plot, scrolled to, whole: several lines tall, its key within it, every number and name of
    the heatmap inside it."""
    QApplication.processEvents()
    table = view.table
    cut = _cells_whole(table)
    below = [c for c in cut if c.endswith("below the edge")]
    assert [c for c in cut if c not in below] == [], cut
    rows = table.model().rowCount()
    assert len(below) <= max(rows - WHOLE_TABLE_ROWS, 0) and rows - len(below) >= TIGHT_ROWS, cut
    assert table.horizontalScrollBar().maximum() == 0
    port = _scrolled_to(view, table)
    assert _in_sight(table, port)
    for b in (view.promote_button, view.beside_button, view.undo_button):
        assert _in_sight(b, port) and b.visibleRegion().boundingRect() == b.rect(), b.text()
    line = view.fontMetrics().lineSpacing()
    for plot in (view.curves, view.score_plot):
        assert _in_sight(plot, _scrolled_to(view, plot))
        port = plot.viewport()  # (the plot's own region is under its viewport)
        assert port.visibleRegion().boundingRect() == port.rect(), port.visibleRegion()
        pi = plot.getPlotItem()
        vb = pi.getViewBox()
        assert vb.height() >= 6 * line, (vb.height(), line)
        assert vb.width() >= 0.5 * plot.width(), (vb.width(), plot.width())
        assert pi.titleLabel.item.boundingRect().width() <= vb.width() + 1
        assert _whole_in(pi.titleLabel.item, plot)
    heat = view.score_plot
    assert len(heat.cell_texts) == len(LRS) * len(ACTS)
    for t in heat.cell_texts:
        assert t.textItem.toPlainText() and _whole_in(t, heat), t.textItem.toPlainText()
    # its columns whole: the image (its ticks at its cells' middles) inside the plot in sight
    assert _whole_in(heat.heat, heat) and _whole_in(heat.getPlotItem().getViewBox(), heat)
    _scrolled_to(view, table)


def test_a_two_axis_sweep_at_200_percent_presenting_at_1024_shows_every_number_whole(
        main_window, qtbot, monkeypatch):
    w = main_window
    presenting_at_200(qtbot, w, monkeypatch)
    view = w._inspection_views["compare"]
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", LRS),
                                              Axis("activation", ACTS))))
    w.step(EPOCHS)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == EPOCHS and view.members_of == view.sweep_id
                    and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    assert not view.panel_shown  # the form folded
    qtbot.waitUntil(lambda: _reads(view))  # (it raises until it reads)
    # A resize there and back (the sweep shown): it still reads.
    w.resize(1100, 768)
    qtbot.waitUntil(lambda: w.width() == 1100)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    qtbot.waitUntil(lambda: _reads(view))
