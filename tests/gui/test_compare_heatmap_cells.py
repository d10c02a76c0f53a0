"""The heatmap of a sweep over two settings with many values, learning rate 0.1, 0.3, 1, 3 x
initial weights seed 0-7 from the Compare tab's form: every cell's number inside its own cell.
At 1400 x 900 the first column's numbers touched the y axis and the best's "\u2605 0.2466" ran
into the next cell (review r24 F12); at 1024 x 768 and in presentation mode (larger fonts) the
cells are narrower still."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from tests.conftest import FIRST_SNAPSHOT_MS, sweep_from_form

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EPOCHS = 2


def _misfits(view) -> list[str]:
    """The cells whose number is not inside them (or is over the y axis), as text to read."""
    plot = view.score_plot
    pi = plot.getPlotItem()
    vb = pi.getViewBox()
    axis = pi.getAxis("left")
    axis_right = axis.mapRectToScene(axis.boundingRect()).right()
    (_, rates), (_, seeds) = plot.axes
    out = []
    for m, t in zip(view.drawn.members, plot.cell_texts):
        k, j = rates.index(m["learning_rate"]), seeds.index(m["init_seed"])
        cell = vb.mapViewToScene(QRectF(j, k, 1, 1)).boundingRect()
        box = t.mapRectToScene(t.boundingRect())
        text = t.textItem.toPlainText()
        if not text or not cell.adjusted(-0.5, -0.5, 0.5, 0.5).contains(box) \
                or box.left() < axis_right:
            out.append(f"{text!r} at {box.getRect()} not in cell {cell.getRect()} "
                       f"(y axis to x={axis_right:.1f})")
    return out


def _best_is_marked(view) -> bool:
    """The best member stays marked: a star before its number, or its cell outlined."""
    plot = view.score_plot
    best = plot.cell_texts[view.drawn.best()]
    return "\u2605" in best.textItem.toPlainText() or plot.best_box.isVisible()


def test_every_cell_of_a_rate_by_8_seeds_heatmap_holds_its_number(qtbot, main_window):
    w = main_window
    w.resize(1400, 900)
    view = sweep_from_form(qtbot, w, (("learning_rate", "0.1, 0.3, 1, 3"),
                                      ("init_seed", "0-7")), EPOCHS)
    qtbot.waitUntil(lambda: view.drawn.best() is not None and view.table._sized,
                    timeout=FIRST_SNAPSHOT_MS)

    def every_number_in_its_cell() -> None:
        # once laid out: the plot's axes and key come with the sweep's losses, and pyqtgraph
        # places its items in layout passes of their own (the Compare key test, 1f4630d, read
        # them one pass early in CI at load); a number past its cell, the bug, stays there
        QApplication.processEvents()
        assert len(view.score_plot.cell_texts) == 32
        assert _misfits(view) == []
        assert _best_is_marked(view)
    qtbot.waitUntil(every_number_in_its_cell, timeout=FIRST_SNAPSHOT_MS)
    for size, presenting in (((1024, 768), False), ((1024, 768), True)):
        w.resize(*size)
        w.set_presentation(presenting)
        qtbot.waitUntil(lambda: _misfits(view) == [] and _best_is_marked(view))
        # the numbers still legible: no cell emptied or cut to an ellipsis
        assert all(t.textItem.toPlainText().strip("\u2605 ") not in ("", "\u2026")
                   for t in view.score_plot.cell_texts)
