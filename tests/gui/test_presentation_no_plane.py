"""A run on three features in presentation mode at 1024x768 (review r26 F6): the Data & model
area's "no plane" message was in the normal size, a third of the text round it, and its key
still said "hollow: test" where no point is drawn at all."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from .test_main_window import _load_three_features
from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _line_px(font) -> float:
    return QFontMetricsF(font).height()


def test_the_no_plane_message_is_as_large_as_the_text_round_it(bare_window, qtbot, wait_run):
    w = bare_window
    _at_size(w, qtbot, (1024, 768))
    data = _load_three_features(w, wait_run)
    assert len(data.test_index) > 0  # test points, none drawn: no plane
    note = w.boundary.note
    normal = _line_px(note.textItem.font())
    assert "hollow" not in w.legend.text() and "class 0" in w.legend.text()
    w.presentation.action.trigger()  # F11
    _at_size(w, qtbot, (1024, 768))
    QApplication.processEvents()
    assert "3 features" in note.toPlainText()
    # as tall as the window's text (the tab titles, the check boxes beside it), not a third
    big = _line_px(w.show_test.font())
    assert big > 1.3 * normal
    assert _line_px(note.textItem.font()) >= 0.9 * big, (_line_px(note.textItem.font()), big)
    # wrapped inside the plot, not run off its sides at that size
    assert note.textItem.boundingRect().width() <= w.boundary.width() - 20
    assert "hollow" not in w.legend.text() and "class 0" in w.legend.text()
    w.presentation.action.trigger()  # and back: the normal size again
    QApplication.processEvents()
    assert abs(_line_px(note.textItem.font()) - normal) < 0.5
