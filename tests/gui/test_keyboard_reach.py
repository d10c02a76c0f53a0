"""A keyboard-first reviewer's items (the third keys review): what the keyboard and a screen
reader reach and see. The full-speed button's words; the menus' access letters; the settings'
Tab order; the network diagram's weights edited from the keyboard; a focus ring on sliders,
tab bars and dialog buttons."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _in_window(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


# -- the full-speed button ----------------------------------------------------------------------

@pytest.mark.parametrize("presentation", [False, True])
def test_the_full_speed_button_says_what_it_does_and_its_key(bare_window, qtbot, presentation):
    # "▶▶" alone: a screen reader read an unnamed button, and its words were in a tooltip only.
    w = bare_window
    w.set_presentation(presentation)
    _at_size(w, qtbot, (1024, 768))
    button = w.controls.full_speed
    assert button.accessibleName() == "Full speed"
    assert "(F)" in button.toolTip() and "full speed" in button.toolTip().lower()
    assert button.text() == "Full"  # words beside the glyph, seen whole ...
    assert button.width() >= button.sizeHint().width()
    assert _in_window(button, w).right() < _in_window(w.controls.stop_at, w).left()
    assert w.width() == 1024  # ... without widening the window
