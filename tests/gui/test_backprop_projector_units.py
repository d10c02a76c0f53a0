"""The Backprop tab on a projector (presentation mode, 1024x768) under a lesson's banner of four
lines, as a teacher's class sees it after changing the learning rate (review r25 F5): every unit
of the notebook's 4-unit layers drawn, and the small point plot numbered the same from stage to
stage, its numbers clear of its "x2" title."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from tests.gui.test_views_helpers import axis_texts

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _ticks(view) -> tuple[list[str], list[str], bool]:
    """The numbers drawn on the point plot's left and bottom axes, and whether the left axis'
    title ("x2") stays clear of its numbers."""
    pi = view.plot.getPlotItem()
    left, bottom = pi.getAxis("left"), pi.getAxis("bottom")
    specs = axis_texts(left)
    title = left.label.mapRectToParent(left.label.boundingRect())
    # the title's glyphs (its box has the text item's margins around them)
    inner = QRectF(title)
    margin = left.label.document().documentMargin()
    inner.adjust(margin, margin, -margin, -margin)
    clear = not any(inner.intersects(QRectF(rect)) for rect, _, text in specs if text.strip())
    return ([t for _, _, t in specs if t.strip()],
            [t for _, _, t in axis_texts(bottom) if t.strip()], clear)


def test_a_projector_shows_every_unit_of_the_notebooks_small_layers(main_window, qtbot, wait_run):
    """Before: "hidden 1: 4 sigmoid (2 shown)", "10 sigmoid (2 shown)", "4 sigmoid (2 shown)",
    "+2 more" under them, in a 190 px band: the two inputs, counted as if their labels went
    above them (they go beside, in the margin), held every column to two units. And the point
    plot read 1 / 0 / -1 on one stage and 1.0 / 0.5 / 0 / -0.5 on the next, against "x2"."""
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # the lesson's note above the tabs
    wait_run(w)
    w.pause()
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = w._inspection_views["backprop"]
    canvas = view.canvas
    qtbot.waitUntil(lambda: view.result is not None and canvas.spec is not None, timeout=120_000)
    sizes = canvas.spec.layer_sizes
    assert tuple(sizes) == (2, 4, 10, 4, 1)
    seen = {}

    def look(where) -> None:
        def settled() -> bool:
            QApplication.processEvents()
            ticks = _ticks(view)
            return bool(ticks[0]) and bool(canvas.labels_drawn)
        qtbot.waitUntil(settled, timeout=30_000)
        seen[where] = _ticks(view)

    look("the preset's note")
    w.set_learning_rate(3.0)  # the note says so: four lines at 1024 px
    banner = w.hint.text()
    assert "You changed the learning rate to 3" in banner
    for stage in range(6):
        view.go(stage)

        def every_small_layer_whole() -> bool:
            QApplication.processEvents()
            return all(len(u) == n for u, n in zip(canvas.shown, sizes) if n <= 4) \
                and not any(c for c in canvas.more if sizes[c] <= 4) \
                and len(canvas.labels_drawn) == sum(len(u) for u in canvas.shown)
        try:
            qtbot.waitUntil(every_small_layer_whole, timeout=30_000)
        except qtbot.TimeoutError:
            heads = [t for _, _, t in canvas.titles()]
            pytest.fail(f"stage {stage + 1}: {heads}, {canvas.height()} px of diagram")
        heads = " ".join(t for _, _, t in canvas.titles())
        assert heads.count("shown") <= 1, heads  # hidden 2's ten units alone in part
        assert "(2 shown)" not in heads, heads
        look(stage)
    # one set of numbers on each axis, whatever the row's height: the same on every stage, under
    # the preset's two-line note and under the four lines
    lefts = {tuple(t[0]) for t in seen.values()}
    bottoms = {tuple(t[1]) for t in seen.values()}
    assert len(lefts) == 1 and len(bottoms) == 1, seen
    (left,), (bottom,) = lefts, bottoms
    assert set(left) <= {"-1", "0", "1"} and {"0", "1"} <= set(left), left
    assert set(bottom) <= {"-1", "0", "1", "2"} and len(bottom) >= 3, bottom
    assert all(clear for *_, clear in seen.values()), seen
