"""The Backprop tab's formulas read in order, line by line, at a laptop's and a projector's
size, in the normal mode and in presentation mode: each formula symbol = numbers = result, a
product's two numbers on one line, a wrapped row going on on the line under it (review r18 #2:
"∂L/∂w₁ = a₁·δ = | = -1.46e-06 jax -1.46e-06" with "0.2388·" and "(-6.116e-06)" on the two
lines under the result, a table's cells each wrapped in its column; "(-4.222)·" ending a line
of z's sum and "0.2841" beginning the next)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.core.backprop import STAGES

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

DOT = "\u00b7"


def _lines(doc) -> list[tuple[float, float, float, str]]:
    """The document's lines as laid out, in the text's order: (top, bottom, left, text), in the
    document's pixels (a table cell's lines where its cell is)."""
    out, layout = [], doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        at, text, lines = layout.blockBoundingRect(block), block.text(), block.layout()
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            top = at.top() + line.y()
            out.append((top, top + line.height(), at.left() + line.x(),
                        text[line.textStart():line.textStart() + line.textLength()]))
        block = block.next()
    return out


def _out_of_order(lines) -> list[tuple[str, str]]:
    """Lines the eye reads before the line the text puts before them: a line that begins
    above the one before it (or on its row, left of it)."""
    bad = []
    for (top0, bottom0, left0, a), (top1, bottom1, left1, b) in zip(lines, lines[1:]):
        middle = (top1 + bottom1) / 2
        if middle < top0 or top0 <= middle <= bottom0 and left1 < left0:
            bad.append((a, b))
    return bad


def _products_broken(lines) -> list[str]:
    """Lines that end in a product's dot: its second number on the next line."""
    return [t for *_, t in lines if t.rstrip(" \u200b\u2060").endswith(DOT)]


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)])
@pytest.mark.parametrize("presentation", [False, True])
def test_each_formula_reads_in_order_with_its_products_whole(main_window, qtbot, wait_run,
                                                             size, presentation):
    w = main_window
    w.step(300)
    wait_run(w, 300)
    if presentation != w.presentation.action.isChecked():
        w.presentation.action.trigger()  # (View > Presentation mode)
    w.show_view("backprop")
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.result is not None, timeout=120_000)
    spec = view._result_snapshot.spec
    box = view.formulas
    for stage in ("forward", "delta", "grad"):
        view.go(STAGES.index(stage))
        for layer in range(spec.n_layers):
            for unit in range(spec.layer_sizes[layer + 1]):
                view.canvas.node_clicked.emit(layer, unit)
                qtbot.waitUntil(lambda: view.unit == (layer, unit)
                                and "next frame" not in box.toPlainText(), timeout=30_000)
                QApplication.processEvents()
                doc = box.document()
                assert abs(doc.textWidth() - box.viewport().width()) <= 1
                lines = _lines(doc)
                where = (size, presentation, stage, layer, unit)
                assert _out_of_order(lines) == [], where
                assert _products_broken(lines) == [], where
                if stage == "grad" and not presentation:  # "∂L/∂w₁ = a₁·δ = 0.24·(-6e-06) = …"
                    rows = [t for *_, t in lines]
                    starts = [i for i, t in enumerate(rows) if t.startswith("∂L/\u2060∂w")]
                    assert starts, (where, rows)
                    for i in starts:  # each row: its symbol, then its product, then its value
                        row = "".join(rows[i:next((j for j in starts if j > i), None)])
                        assert re.match(r"∂L/\u2060∂w\d+\s=\s[xa]\d+·δ\s=\s\S+·\u2060\S+\s=\s"
                                        r"-?\d", row), (where, row)
