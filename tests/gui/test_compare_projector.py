"""The Compare tab on a projector (1024 x 768, presentation mode), as review r25 found it: a
sweep without test points showed two columns of "n/a" and hid its training accuracy (F2); the
sweep's two-line status message was painted over by the score plot (F4); while a sweep
compiled, the tab said both "Compiling a sweep..." and "No sweep yet" (F10)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import FIRST_SNAPSHOT_MS

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _on_a_projector(qtbot, w) -> None:
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    w.set_presentation(True)
    w.show_view("compare")


def _shown_columns(table) -> list[str]:
    header, model = table.horizontalHeader(), table.model()
    return [" ".join(str(model.headerData(c, Qt.Orientation.Horizontal) or "").split())
            for c in range(header.count()) if not header.isSectionHidden(c)]


def test_a_sweep_without_test_points_shows_its_training_accuracy_not_n_a(qtbot, main_window):
    """Lesson 4's Activations sweep (the notebook's 200 points, none held out) at 1024 x 768
    in presentation mode: the table read activation | train loss | test loss | test acc.,
    every test cell "n/a", and no accuracy at all."""
    w = main_window
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("activations")
    w.step(20)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 20
                    and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()
    shown = _shown_columns(view.table)
    assert "train acc." in shown, shown
    assert not any(t.startswith("test") for t in shown), shown
    model = view.table.model()
    cells = [str(model.index(r, c).data() or "") for r in range(model.rowCount())
             for c in range(model.columnCount())
             if not view.table.horizontalHeader().isSectionHidden(c)]
    assert "n/a" not in cells, cells
    header = view.table.horizontalHeader()
    acc = next(c for c in range(header.count())
               if str(model.headerData(c, Qt.Orientation.Horizontal)).split() == ["train", "acc."])
    assert all(model.index(r, acc).data().endswith("%") for r in range(model.rowCount()))
    # A sweep with test points keeps its test columns.
    view.start_ready("lr")
    w.step(5)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == 5 and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()
    shown = _shown_columns(view.table)
    assert "test loss" in shown and "test acc." in shown, shown
