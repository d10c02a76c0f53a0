"""A two-axis sweep's column names on a projector (review: learning rate x activation in
presentation mode at 1400 x 900 read "sigm\u2026" over every row's first tile until the "New
sweep" form was unfolded; at 1024 x 768 the names that fitted were drawn at half the row
labels' size). The names are whole from the first layout, in a size near the row labels'."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from tests.conftest import FIRST_SNAPSHOT_MS, sweep_from_form

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

ACTS = ("sigmoid", "tanh", "relu")
AXES = (("learning_rate", "0.1, 0.3, 1, 3"), ("activation", ", ".join(ACTS)))


def _column_names_whole_and_readable(tiles) -> bool:
    """Every row's tiles' labels name their columns whole (no ellipsis), side by side without
    touching, inside the view, in a font at least 0.8 x the row labels'."""
    rows = [r.textItem.font().pointSizeF() for r in tiles.row_labels]
    if not rows or tiles.cols != len(ACTS) or len(tiles.labels) != len(rows) * len(ACTS):
        return False
    view = tiles.mapToScene(tiles.viewport().rect()).boundingRect()
    for r in range(len(rows)):
        names = tiles.labels[r * tiles.cols:(r + 1) * tiles.cols]
        if [c.textItem.toPlainText().removeprefix("\u2605 ") for c in names] != list(ACTS):
            return False
        spans = []
        for c in names:
            font = c.textItem.font()
            if font.pointSizeF() < 0.8 * min(rows):
                return False
            width = QFontMetricsF(font).horizontalAdvance(c.textItem.toPlainText())
            centre = c.mapRectToScene(c.boundingRect()).center().x()
            spans.append((centre - width / 2, centre + width / 2))
        # apart: "sigmoid tanh" read as two names, not "sigmoidtanh"
        if any(right >= left for (_, right), (left, _) in zip(spans, spans[1:])):
            return False
        if spans[0][0] < view.left() or spans[-1][1] > view.right():
            return False
    return True


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)])
def test_column_names_are_whole_from_the_first_layout(qtbot, main_window, size):
    """Presentation mode, the sweep started from the form, nothing else laid out again."""
    w = main_window
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    w.set_presentation(True)
    view = sweep_from_form(qtbot, w, AXES, 5)
    tiles = view.tiles
    qtbot.waitUntil(lambda: tiles.faceted() and tiles.tile_pixels() > 0, timeout=FIRST_SNAPSHOT_MS)
    qtbot.waitUntil(lambda: _column_names_whole_and_readable(tiles), timeout=3000)
    rows = [r.textItem.toPlainText() for r in tiles.row_labels]
    assert rows == ["lr 0.1", "lr 0.3", "lr 1", "lr 3"], rows

