"""Keys that belong to the focused field: the window's single-key shortcuts (Right: step one
epoch, Home / End: the timeline) must not take the arrow keys from a slider, a spin box or a
list that has the focus. Qt asks the focused widget first (ShortcutOverride); these widgets do
not claim those keys themselves, so the filter claims them for them. The same filter (one Python
call per event of the application is enough) leaves the mouse wheel over a settings field that
has no focus to the panel's scroll area (:mod:`nnviz.gui.wheel`), and passes each widget Qt
polishes (a dialog or a menu about to show) to :attr:`FieldKeys.polishing` (presentation mode's
large text), and fits each dialog of the window's, as it shows, on the screen
(:mod:`nnviz.gui.screen_fit`).

A push button that has the focus from the keyboard (Tab) takes Space and Enter, as buttons do:
"Try it live" on a lesson page could not be pressed from the keyboard (the window's Space
played the run instead, and Enter did nothing). A button focused by a click does not: Space
after clicking Step still plays. The property :data:`KEY_FOCUS` marks the keyboard's button,
and the style draws its ring (look.ThemeStyle), so the ring shows exactly where Space goes.

A list or a field that has the focus takes the letters typed on it, as in every Qt application:
a drop-down list (its popup too) and a list jump to the entry that starts with the letter, a
text or number field types it. The window's single-letter shortcuts (R: Reset, F: full speed)
act only where no such widget takes the key: "r" typed on an activation list to reach "relu"
reset the trained run, and the list stayed on "sigmoid".

A number field (a spin box, the learning rate's list) has no use for Space: it goes to Play,
the typed number taken first (Stop at epoch: "3000" then Space typed a blank into the field and
played nothing; the rate: "1 ")."""
from __future__ import annotations

from collections.abc import Callable

import shiboken6

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider,
                               QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDialog,
                               QGraphicsView, QLineEdit, QPushButton, QRadioButton, QScrollBar,
                               QTabBar, QToolButton, QWidget)

from . import screen_fit, wheel

FIELD_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
              Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
FIELDS = (QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QTabBar)
#: The widgets that take a letter typed on them (a list's entry, a field's text); the window's
#: single-letter shortcuts do not fire there (``takes_letter``).
LETTER_FIELDS = (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView)
BUTTONS = (QPushButton, QToolButton)
BUTTON_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter}
#: What the ring shows on when Tab gives it the focus: buttons (a dialog's too), sliders and tab
#: bars, where the style's focus was a faint 1-px outline or nothing (the current tab looked
#: the same focused or not: a keyboard reviewer could not tell where Tab had gone); check boxes
#: and radio buttons (Fusion's focus there was a pale fill, about 1.15:1 on the panel); lists
#: and tables (the Lessons tab's list looked the same focused or not: only its chosen entry's
#: fill, which it has without the focus too).
RINGED = (QAbstractButton, QAbstractSlider, QTabBar, QAbstractItemView)
#: The dynamic property set on a button while it has the focus from the keyboard.
KEY_FOCUS = "nnvizKeyFocus"
_KEYBOARD = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
# A window or a menu coming back gives the focus back: it says nothing of how it came.
_KEEPS = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
          Qt.FocusReason.MenuBarFocusReason)


def key_focused(widget) -> bool:
    """``widget`` is a button with the focus from the keyboard: Space and Enter press it."""
    return isinstance(widget, BUTTONS) and widget.hasFocus() and bool(widget.property(KEY_FOCUS))


def takes_letter(widget, event) -> bool:
    """``event`` (a key) types a character that ``widget`` takes itself: a letter, a digit or a
    sign, with no modifier but Shift, on a list or a field (:data:`LETTER_FIELDS`). Space is
    not one: it plays from a field (see the module's notes)."""
    if not isinstance(widget, LETTER_FIELDS):
        return False
    plain = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    if event.modifiers() & ~plain:
        return False
    text = event.text()
    return len(text) == 1 and text.isprintable() and not text.isspace()


def _number_field(obj) -> QAbstractSpinBox | None:
    if isinstance(obj, QAbstractSpinBox):
        return obj
    if isinstance(obj, QLineEdit) and isinstance(obj.parent(), QAbstractSpinBox):
        return obj.parent()
    return None


def _number_combo(obj):
    """The rate field (a NumberCombo, or presentation mode's NumberTwin of it) ``obj`` types
    into, or None."""
    from .widgets import NumberCombo, NumberTwin
    if isinstance(obj, QLineEdit):
        obj = obj.parent()
    return obj if isinstance(obj, (NumberCombo, NumberTwin)) else None


class FocusRing(QWidget):
    """A thick ring in the theme's focus colour over the edge of the button, slider, tab or list
    the keyboard focused (the style's own was a faint 1-px outline that a projector did not show).
    A child of the widget, as large as it (a tab bar's: its current tab): never clipped by the
    widget's neighbours (a ring around it was cut off where the button met its parent's
    edge).

    A tab bar's ring follows its tab wherever the bar lays its tabs out again, after the fact:
    Compare hides the left column and the bar widens after ``currentChanged`` (the ring was
    placed then), and the bar's Resize comes before the bar has laid its tabs out for the new
    width. The ring stayed where the narrow bar's tab had been, over "Gradients|Landscape"
    while Compare was current; back from Compare, it went nowhere at all (review r13). So the
    bar's own events (a resize, a repaint: it repaints whenever its tabs move or change their
    text) have the ring placed again once they are handled."""

    WIDTH = 3

    def __init__(self, button: QWidget) -> None:
        # A check box's ring goes round it, outside: over its edge, the box lost its own border
        # and read as an empty slot, and the ring touched the last letter. So it is its
        # parent's child, over it.
        self.outside = (isinstance(button, (QCheckBox, QRadioButton))
                        and button.parentWidget() is not None)
        super().__init__(button.parentWidget() if self.outside else button)
        self.button = button
        if self.outside:
            button.destroyed.connect(self.deleteLater)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._due = False  # a place() asked for once the bar's events are handled
        if isinstance(button, QTabBar):  # the arrow keys move to another tab: the ring too
            button.currentChanged.connect(self.place)
            button.installEventFilter(self)
        self.place()
        self.show()
        self.raise_()

    def _tab_rect(self) -> QRect:
        b = self.button
        r = b.tabRect(b.currentIndex()) if b.currentIndex() >= 0 else b.rect()
        return r.intersected(b.rect())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # (the tab bar's events only: installed on it alone)
        t = event.type()
        if obj is self.button and not self._due and (
                t in (QEvent.Type.Resize, QEvent.Type.Show)
                or t == QEvent.Type.Paint and self._tab_rect() != self.geometry()):
            # A Resize comes before the bar lays its tabs out for it: place the ring after.
            self._due = True
            QTimer.singleShot(0, self, self._place_due)
        return False

    def _place_due(self) -> None:
        self._due = False
        self.place()

    def place(self) -> None:
        """Over the widget's edge; a tab bar's current tab's."""
        b = self.button
        if isinstance(b, QTabBar):
            self.setGeometry(self._tab_rect())
        elif isinstance(b, (QCheckBox, QRadioButton)):  # its box and words, not the row's rest
            r = QRect(0, 0, min(b.width(), b.sizeHint().width()), b.height())
            if self.outside:  # a pixel clear of them, within the parent
                m = self.WIDTH + 1
                r = r.translated(b.pos()).adjusted(-m, -m, m, m).intersected(
                    self.parentWidget().rect())
                self.raise_()
            self.setGeometry(r)
        else:
            self.setGeometry(b.rect())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        from . import colors
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(colors.focus_ring(), self.WIDTH))
        half = self.WIDTH / 2
        p.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)
        p.end()

#: The event types :meth:`FieldKeys.eventFilter` acts on (it returns False for all others).
_FILTERED = frozenset({
    QEvent.Type.Polish, QEvent.Type.Show, *wheel.EVENTS, QEvent.Type.KeyPress,
    QEvent.Type.FocusIn, QEvent.Type.FocusOut, QEvent.Type.Resize, QEvent.Type.Move,
    QEvent.Type.ShortcutOverride})


class FieldKeys(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.polishing: list[Callable[[QObject], None]] = []
        self.ring: FocusRing | None = None
        self.dialog_ring: FocusRing | None = None  # in a dialog of the window's (its own)
        self._handed_on = False  # the focus left a widget going grey (eventFilter)

    def ringed(self, dialog: bool = False) -> QWidget | None:
        """The button the ring is on (None: no ring); ``dialog``: the dialog's ring (the
        window's stays where it was, for when the dialog closes)."""
        ring = self.dialog_ring if dialog else self.ring
        return ring.button if ring is not None and shiboken6.isValid(ring) else None

    def _dialog(self, obj) -> bool:
        """``obj`` is in a dialog of this window's (Help's lists, a question, a file chooser)."""
        top = QWidget.window(obj) if isinstance(obj, QWidget) else None
        parent = top.parentWidget() if isinstance(top, QDialog) else None
        return parent is not None and QWidget.window(parent) is self.window

    def _ring_on(self, button: QWidget | None, dialog: bool = False) -> None:
        if button is not None and not (self._dialog(button) if dialog
                                       else QWidget.window(button) is self.window):
            button = None
        if button is self.ringed(dialog):
            return
        ring = self.dialog_ring if dialog else self.ring
        if ring is not None and shiboken6.isValid(ring):
            ring.hide()
            ring.deleteLater()
        ring = FocusRing(button) if button is not None else None
        if dialog:
            self.dialog_ring = ring
        else:
            self.ring = ring

    def _ours(self, obj) -> bool:
        """``obj`` is in this window, or in a drop-down list's popup of it."""
        if not isinstance(obj, QWidget):
            return False
        top = QWidget.window(obj)
        if top is self.window:
            return True
        combo = top.parentWidget() if top is not None else None  # a popup's list: its combo's
        return isinstance(combo, QComboBox) and QWidget.window(combo) is self.window

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if t not in _FILTERED:
            # Every event of the application comes here (~38,000 while a window is built and
            # drawn): the others (paints, timers, layout requests, queued calls, scene events)
            # leave at once. Without this they went through every test below: 5.2 us of Python
            # each against ~1, a tenth of the GUI thread's time in the window's tests.
            return False
        if t == QEvent.Type.Polish:
            if isinstance(obj, QGraphicsView) \
                    and obj.focusPolicy() == Qt.FocusPolicy.StrongFocus:
                # A plot is no control: Tab stopped on the loss chart and on a map, with nothing
                # to show it had (no ring) and no key to use there. A click still focuses it.
                obj.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            for polish in self.polishing:
                polish(obj)
        elif t == QEvent.Type.Show and isinstance(obj, QDialog) and obj.isWindow() \
                and self._dialog(obj):
            screen_fit.fit_on_screen(obj)  # (its text at the mode's size: polished before)
        if t in wheel.EVENTS:  # the wheel too is a focused field's only (nnviz.gui.wheel)
            return wheel.filter_event(self.window, obj, event)
        if t == QEvent.Type.KeyPress:
            self._handed_on = False  # (a Tab pressed now gives the focus from the keyboard)
        if t == QEvent.Type.FocusOut and isinstance(obj, QWidget) \
                and not (obj.isEnabled() and obj.isVisible()) and event.reason() in _KEYBOARD:
            # A focused widget going grey, or going away, passes the focus on as Tab does; the
            # next button did not get it from the keyboard, and must not take Space ("Apply
            # it" done, the focus on "Start over": Space wiped the solution just applied;
            # Ctrl+Z rebuilt the layer rows, and the ring went from an activation list to
            # "+ Add layer", where the Space meant to play added a layer).
            self._handed_on = True
        if t == QEvent.Type.FocusIn and isinstance(obj, QWidget) \
                and event.reason() not in _KEEPS and (QWidget.window(obj) is self.window
                                                      or self._dialog(obj)):
            handed_on, self._handed_on = self._handed_on, False
            keyed = event.reason() in _KEYBOARD and not handed_on
            if isinstance(obj, BUTTONS) and QWidget.window(obj) is self.window:
                obj.setProperty(KEY_FOCUS, keyed)
            ringed = isinstance(obj, RINGED) and not isinstance(obj, QScrollBar)
            self._ring_on(obj if keyed and ringed else None, self._dialog(obj))
            return False
        for dialog in (False, True) if t in (QEvent.Type.Resize, QEvent.Type.Move,
                                             QEvent.Type.FocusOut) else ():
            if obj is None or obj is not self.ringed(dialog):
                continue
            if t in (QEvent.Type.Resize, QEvent.Type.Move):  # (a check box's ring is outside)
                (self.dialog_ring if dialog else self.ring).place()
                return False
            if t == QEvent.Type.FocusOut and event.reason() not in _KEEPS:
                self._ring_on(None, dialog)
                return False
        if t == QEvent.Type.ShortcutOverride and takes_letter(obj, event) \
                and self._ours(obj):
            event.accept()  # the list's or the field's letter; not the window's R or F
            return True
        if t not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                or not isinstance(obj, QWidget) or QWidget.window(obj) is not self.window:
            return False
        key = Qt.Key(event.key())
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if t == QEvent.Type.ShortcutOverride:
            if isinstance(obj, FIELDS) and key in FIELD_KEYS and plain:
                event.accept()  # the field gets the key; the shortcut does not fire
                return True
            if key in BUTTON_KEYS and plain and key_focused(obj):
                event.accept()  # the button's, as buttons do; not the window's Play
                return True
            field = _number_field(obj)
            if key == Qt.Key.Key_Space and plain and field is not None:
                if field.hasAcceptableInput():
                    field.interpretText()  # the number typed, then Play (not a blank typed)
                event.ignore()
                return True  # the window's Space: Play / Pause
            rate = _number_combo(obj) if key == Qt.Key.Key_Space and plain else None
            if rate is not None:
                # The learning rate's field as the spin boxes: "1" then Space typed "1 " and
                # played nothing. A number typed is taken first (a refused text stays; Play
                # says it trains at the rate in use).
                field = getattr(rate, "field", rate)
                try:
                    field.parse(rate.currentText())
                except ValueError:
                    pass
                else:
                    field.commit_text(rate.currentText())
                event.ignore()
                return True
            return False
        # A push button outside a dialog ignores Enter (only a dialog's default one takes it).
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and key_focused(obj) \
                and not event.isAutoRepeat():
            obj.animateClick()
            return True
        return False


def install(window: QWidget) -> FieldKeys:
    keys = FieldKeys(window)
    wheel.adopt_all(window)
    QApplication.instance().installEventFilter(keys)
    return keys
