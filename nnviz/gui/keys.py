"""Keys that belong to the focused field: the window's single-key shortcuts (Right: step one
epoch, Home / End: the timeline) must not take the arrow keys from a slider, a spin box or a
list that has the focus. Qt asks the focused widget first (ShortcutOverride); these widgets do
not claim those keys themselves, so the filter claims them for them. The same filter (one Python
call per event of the application is enough) leaves the mouse wheel over a settings field that
has no focus to the panel's scroll area (:mod:`nnviz.gui.wheel`), and passes each widget Qt
polishes (a dialog or a menu about to show) to :attr:`FieldKeys.polishing` (presentation mode's
large text)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication,
                               QComboBox, QLineEdit, QTabBar, QWidget)

from . import wheel

FIELD_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
              Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
FIELDS = (QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QTabBar)


class FieldKeys(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.polishing: list[Callable[[QObject], None]] = []

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if t == QEvent.Type.Polish:
            for polish in self.polishing:
                polish(obj)
        if t in wheel.EVENTS:  # the wheel too is a focused field's only (nnviz.gui.wheel)
            return wheel.filter_event(self.window, obj, event)
        if (t == QEvent.Type.ShortcutOverride and isinstance(obj, FIELDS)
                and Qt.Key(event.key()) in FIELD_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and obj.window() is self.window):
            event.accept()  # the field gets the key; the shortcut does not fire
            return True
        return False


def install(window: QWidget) -> FieldKeys:
    keys = FieldKeys(window)
    wheel.adopt_all(window)
    QApplication.instance().installEventFilter(keys)
    return keys
