"""The Backprop tab in a 1024x768 window at 100% text (a student's laptop). Review r22 F11:
the explanation and the worked formula, what the tab teaches, sat in a ~220x200 px scrolling
box, the answer line of 1/6 ("a = sigmoid(z) = ... = 0.6579") and the whole Σ wδ line of 3/6
below its fold, while the point plot above it kept ~90 px blank bands around its plane; the
batch gradient's table broke its numbers ("-0.0996" over "9"). In presentation mode the node
labels said 0.658 beside the formulas' 0.6579."""
from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from nnviz.core.backprop import STAGES

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

SIZE = (1024, 768)


def _backprop_at(w, qtbot, size, presentation: bool = False):
    if presentation:
        w.set_presentation(True)
    w.show_view("backprop")
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    view = w._inspection_views["backprop"]
    layout = "row" if presentation else "normal"
    qtbot.waitUntil(lambda: view.result is not None and view._written is not None
                    and view._layout == layout, timeout=30_000)
    return view


def _table_cells(doc) -> list[tuple[str, int]]:
    """The text of each table cell of ``doc`` and the lines it is laid out on."""
    cells = []
    block = doc.begin()
    while block.isValid():
        if QTextCursor(block).currentTable() is not None and block.text().strip():
            cells.append((block.text(), block.layout().lineCount()))
        block = block.next()
    return cells


def test_each_stages_formulas_read_whole_at_1024x768(main_window, qtbot):
    w = main_window
    view = _backprop_at(w, qtbot, SIZE)
    box = view.formulas
    bar = box.verticalScrollBar()
    for k, stage in enumerate(STAGES):
        view.go(k)

        def whole() -> bool:
            QApplication.processEvents()
            box.grab()  # laid out and drawn
            return bar.maximum() == 0 and \
                box.document().size().height() <= box.viewport().height()
        try:
            qtbot.waitUntil(whole, timeout=5000)
        except qtbot.TimeoutError:
            raise AssertionError(
                f"{k + 1}/6 {stage}: {box.document().size().height():.0f} px of text in a "
                f"{box.viewport().height()} px box ({box.toPlainText()[-60:]!r} below the "
                f"fold)") from None
        if stage == "batch":
            _assert_table_whole(box)
    # ... and the plot above it keeps its plane, drawn at the column's width, big enough to
    # pick a point on
    vb = view.plot.getPlotItem().getViewBox()
    assert vb.width() >= 150 and vb.height() >= 85, (vb.width(), vb.height())
    assert view.plot.width() - vb.width() <= 70
    # A hidden unit's batch gradient (longer numbers: "-0.008417"): its table in the box too
    view.select_unit(2, 0)
    view.go(STAGES.index("batch"))
    qtbot.waitUntil(lambda: "hidden layer 3, unit 1" in box.toPlainText(), timeout=5000)
    _assert_table_whole(box)


def _assert_table_whole(box) -> None:
    """The batch gradient's table in the box: each number whole on its line, nothing beyond
    the box's right edge."""
    QApplication.processEvents()
    box.grab()
    cells = _table_cells(box.document())
    assert cells and all(n == 1 for text, n in cells
                         if re.fullmatch(r"-?[0-9.e-]+", text)), cells
    assert box.horizontalScrollBar().maximum() == 0, box.document().idealWidth()


def test_the_node_labels_write_the_formulas_digits_where_they_fit(main_window, qtbot):
    # presentation mode at 1024x768: the labels have the room for the formulas' 4 digits
    w = main_window
    view = _backprop_at(w, qtbot, SIZE, presentation=True)
    canvas = view.canvas
    out = len(canvas.spec.layer_sizes) - 1

    def drawn() -> str | None:
        QApplication.processEvents()
        canvas.grab()
        return next((text for c, _k, _box, text in canvas.labels_drawn if c == out), None)
    qtbot.waitUntil(lambda: drawn() is not None, timeout=5000)
    answer = re.search(r"a = sigmoid\(z\) = (?:sigmoid\([^)]*\) = )?([0-9.]+)",
                       view.formulas.toPlainText())
    assert answer, view.formulas.toPlainText()
    assert drawn().split("=")[-1] == answer.group(1), (drawn(), answer.group(1))


def test_opening_the_explanation_takes_no_unit_of_the_diagram_at_1024x768(main_window, qtbot):
    # At 1024x768 hidden layer 2 showed its 10 units with "What am I looking at?" folded, and
    # "10 sigmoid (5 shown)" with it open (9 and 8 under a lesson's banner): the paragraph
    # took the height of the diagram of the layer it explains (review r27 F4). Now the
    # diagram keeps its height, every unit of it, and the tab scrolls under the paragraph.
    w = main_window
    view = _backprop_at(w, qtbot, SIZE)
    canvas = view.canvas
    assert canvas.spec.hidden == (4, 10, 4)
    sizes = [2, 4, 10, 4, 1]

    def units() -> list[int]:
        QApplication.processEvents()
        canvas.grab()  # laid out and drawn
        return [len(u) for u in canvas.shown]
    qtbot.waitUntil(lambda: units() == sizes, timeout=5000)
    panel = w.explain_panels["backprop"]
    panel.set_open(True)
    qtbot.waitUntil(lambda: panel.scroll.height() > 100, timeout=5000)
    for _ in range(3):
        assert units() == sizes, canvas.height()
    assert "shown" not in " ".join(t for _, _, t in canvas.titles())
    # ... the diagram's lower units a scroll away, under the paragraph and the plot
    area = view.split_scroll
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    last = canvas.node_rect(2, 9)
    bottom = canvas.mapTo(area.viewport(), last.bottomLeft().toPoint())
    assert area.viewport().rect().contains(bottom)
    # Folded again, the tab is as it was: no scroll bar
    panel.set_open(False)
    qtbot.waitUntil(lambda: bar.maximum() == 0 and units() == sizes, timeout=5000)
