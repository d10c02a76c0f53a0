"""Small widgets the panels share: a message label for refused input, number fields; and
``cache_axes`` and ``move_points`` for pyqtgraph plots."""
from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextDocument, QValidator
from PySide6.QtWidgets import (QBoxLayout, QCheckBox, QComboBox, QDoubleSpinBox, QFrame,
                               QGraphicsItem, QGridLayout, QLabel, QLayout, QScrollArea,
                               QSizeGrip, QSizePolicy, QSpinBox, QStatusBar, QStyle,
                               QStyleOption, QStyleOptionTab, QStyleOptionToolButton, QTabBar,
                               QToolButton, QVBoxLayout, QWidget)

# A refused field: pale pink with dark text in either theme (the dark theme's light text on
# the pink read at 1.05:1).
INVALID_FIELD = "background: #fde7e9; color: #1f1f1f;"


class MessageLabel(QLabel):
    """A wrapped line of text under a field: empty, an error (red) or a note (grey).

    An error may belong to a field (``owner``): it goes when that field holds a valid value
    again (``clear_message(owner)``), not when another field is edited; several fields'
    errors wait their turn, the latest shown. Its width never widens its panel (a long
    message pushed the Data and Network columns sideways). In a :class:`MessageRoom` it
    neither grows its panel nor squeezes what is below it. ``changed``: its message changed
    (another label may say it too: :meth:`say_as`)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, one_line: bool = False) -> None:
        """``one_line``: never more than a line, cut with "\u2026" where it is too long, its
        tooltip then saying all of it (in a bar whose height must not move)."""
        super().__init__(parent)
        self.one_line = one_line
        self.setWordWrap(not one_line)
        if not one_line:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)
        self._errors: dict = {}  # owner -> its message, the latest last
        self.hide()

    def shown_text(self) -> str:
        """The text as drawn: one line's cut with "\u2026" to the label's width."""
        if not self.one_line:
            return self.text()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if not self.one_line:
            super().paintEvent(event)
            return
        p = QPainter(self)
        self.style().drawItemText(p, self.contentsRect(), int(self.alignment()), self.palette(),
                                  True, self.shown_text(), self.foregroundRole())
        p.end()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._tip()

    def _tip(self) -> None:
        if self.one_line:
            self.setToolTip(self.text() if self.shown_text() != self.text() else "")

    def show_error(self, text: str, owner: object = None) -> None:
        """Show ``text`` as ``owner``'s error ("": its error goes)."""
        self._errors.pop(owner, None)
        if text:
            self._errors[owner] = text
        self._show_latest()

    def show_note(self, text: str) -> None:
        from . import colors
        self._errors.clear()
        colors.tint(self, "note")
        self._set(text)

    def clear_message(self, owner: object = ...) -> None:
        """No message (``owner`` given: that field's error goes, another's may show)."""
        if owner is ...:
            self._errors.clear()
            self._set("")
        elif owner in self._errors:
            del self._errors[owner]
            self._show_latest()

    def _show_latest(self) -> None:
        from . import colors
        if self._errors:
            colors.tint(self, "error")
            self._set(next(reversed(self._errors.values())))
        else:
            self._set("")

    def _set(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        self._tip()
        self.changed.emit()

    def say_as(self, other: "MessageLabel") -> None:
        """Say what ``other`` says, in its colour (presentation mode's learning rate in the
        run bar, its settings' message folded away with them)."""
        from . import colors
        colors.tint(self, other.property("nnvizTint") or "note")
        self._set(other.text())

    def is_error(self) -> bool:
        # Shown by _set, whether or not its panel is in sight (a tab behind another, the
        # settings folded away in presentation mode).
        return not self.isHidden() and self.property("nnvizTint") == "error"


class MessageRoom(QWidget):
    """A :class:`MessageLabel` that never widens its panel (a refusal pushed the Network column
    sideways), with ``lines`` lines kept whether it shows a message or not (default none: two
    lines kept under the Data and Training fields took 65 px of the loss chart at 1400x900 for
    good, to spare it a moment's squeeze). Put ``MessageRoom(label)`` in the layout instead of
    the label."""

    def __init__(self, label: MessageLabel, lines: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label, self.lines = label, lines
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(label)
        box.addStretch(1)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        self._hold()

    def _hold(self) -> None:
        m = self.label.contentsMargins()
        self.setMinimumHeight(self.lines * self.label.fontMetrics().lineSpacing()
                              + m.top() + m.bottom())

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode's larger font
            self._hold()


RECENT = 30  # status messages kept for Help → Recent messages


class _Overhang(QWidget):
    """A long message on two lines (StatusBar.set_lines): the status bar's line and one over
    the bottom edge of the window above it, drawn over what is there while the message shows;
    the window's layout never moves. A click puts it away (Ctrl+M shows it again)."""

    def __init__(self, bar: "StatusBar") -> None:
        super().__init__(bar.parentWidget())
        self.bar = bar
        self.setToolTip("A click hides this message; Help \u2192 Recent messages (Ctrl+M) "
                        "shows it again.")
        self.hide()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        p.setPen(self.palette().dark().color())
        p.drawLine(0, 0, self.width(), 0)  # its edge over the window's content
        p.setPen(self.palette().windowText().color())
        room = self.bar.message_rect()
        p.drawText(QRect(room.left(), 0, room.width(), self.height()), StatusBar._FLAGS,
                   self.bar.displayed_message())
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt)
        self.bar.clearMessage()


class StatusBar(QStatusBar):
    """A status bar whose message, when longer than the room it has, ends in "..." where it is
    cut (between words), its tooltip then saying all of it. Qt's own cut a message off in
    mid-word against the permanent widgets (at 1024 px: "...(a value you pi|compiling..."),
    with no way to read the rest. One line: wrapped onto more, the bar grew and the window's
    layout jumped when a long message came and went (the messages that matter are said where
    they belong too: the editor's note, the banners). ``currentMessage()`` stays whole.

    ``set_lines(2)`` (presentation mode): a message too long for the bar's line wraps onto a
    second, over the window's bottom edge above the bar (_Overhang), and is cut only beyond
    that: at 1024 px a class read "...(a sweep is saved with File →…" and never the rest. The
    bar keeps its height: a second line kept for good took 22 px from every view, and an
    exercise's task no longer read whole at 1024x768."""

    _FLAGS = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = 1
        self._overhang: _Overhang | None = None
        self._permanent: list[QWidget] = []
        self._aside: list[QWidget] = []  # permanent widgets hidden for a long message
        # The latest messages, whole (Help → Recent messages): a cut one's rest was in its
        # tooltip only, which the keyboard cannot show.
        self.recent: collections.deque[tuple[str, str]] = collections.deque(maxlen=RECENT)
        # A hover's status tip (a menu item's, a button's) is shown here too, but it is no
        # message: Help → Recent messages listed the Open recent menu's bare path (r11).
        self._hover_tip: str | None = None
        self._offers: list[tuple[QWidget, Callable[[str], bool]]] = []  # add_offer
        self._withdrawn: str | None = None  # the message whose offers went (withdraw_offers)
        self.messageChanged.connect(self._update_tip)
        self.messageChanged.connect(self._remember)
        # A permanent widget moved or resized: the message fitted anew, once the bar's layout
        # has settled (in the next turn of the event loop, all the changes of one turn at once).
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_anew)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ParentChange and self.parentWidget() is not None:
            # The window shows the tips (QMainWindow's StatusTip event): see them go by.
            self.parentWidget().installEventFilter(self)
        return super().event(event)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.StatusTip:
            self._hover_tip = event.tip()
        elif event.type() in self._MOVES and any(w is watched for w in self._permanent):
            # The message's room changed beside it (the run's status: "sweep compiled in 1.7
            # s" came, then went): wrapped and placed anew. The line over the window's edge
            # kept its old width, the score plot over the rest of the line ("...trains it to
            # epoch 2,00(" / "shows.", review r25 F4). (Not while the window is taken down:
            # its widgets hide as they go.)
            refit = getattr(self, "_refit", None)
            if refit is not None and shiboken6.isValid(refit):
                refit.start()
        return False

    def _remember(self, text: str) -> None:
        tip, self._hover_tip = self._hover_tip, None
        if text == tip:
            return
        if text and (not self.recent or self.recent[-1][1] != text):
            self.recent.append((time.strftime("%H:%M:%S"), text))

    _MOVES = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:
        super().addPermanentWidget(widget, stretch)
        self._permanent.append(widget)
        widget.installEventFilter(self)

    def _fit_anew(self) -> None:
        if self.currentMessage():
            self._update_tip()
            self.update()

    def add_offer(self, widget: QWidget, wanted: Callable[[str], bool]) -> None:
        """A button that goes with a message: shown beside the messages ``wanted(text)`` says
        it goes with, while they show, and hidden with them (Undo beside "Reset: Ctrl+Z
        brings the run back."), right after the message's words; the message's room is
        that much shorter while it shows."""
        widget.hide()
        widget.setParent(self)  # placed by the bar (_place_offers), in no layout of its
        # own: right after the message, where it is read (at the bar's far right, beside
        # the run's status, it was 1,200 px from the words that offered it at 1400 px)
        self._offers.append((widget, wanted))
        self._update_tip()

    def withdraw_offers(self) -> None:
        """The offers of the message now go, the message stays (what they would act on has
        moved on); the next message is offered anew."""
        self._withdrawn = self.currentMessage()
        self._update_tip()

    def _shown_offers(self) -> list[QWidget]:
        return [w for w, _ in self._offers if not w.isHidden()]

    def _place_offers(self) -> None:
        """The offers shown, right after the message's last line (or its room, cut)."""
        room = self.message_rect()
        shown = self.displayed_message()
        width = (self.fontMetrics().horizontalAdvance(shown) if "\n" not in shown
                 else room.width())
        x = room.left() + min(width, room.width()) + 8
        for w in self._shown_offers():
            size = w.sizeHint()
            w.setGeometry(x, max(0, (self.height() - size.height()) // 2), size.width(),
                          min(size.height(), self.height()))
            w.raise_()
            x += size.width() + 8

    def notes(self) -> list[str]:
        """The permanent notes' words as they read now (the run's status line on the right:
        "stopped at epoch 2,000 (Stop at); Play trains on"), set aside for a long message or
        not: Help → Recent messages shows them first. It said "No messages yet." under such a
        note, and it is the dialog a reader with large text uses to read the bar whole (r13)."""
        return [w.text() for w in self._permanent if isinstance(w, QLabel) and w.text()]

    def set_lines(self, lines: int) -> None:
        """The lines a message may take, the bar's own and more over the window above it."""
        self.lines = max(1, int(lines))
        self._update_tip()
        self.update()

    def overhang(self) -> QWidget | None:
        """The widget that shows a message's lines when it takes more than one, if shown."""
        over = self._overhang
        return over if over is not None and not over.isHidden() else None

    def _place_overhang(self) -> None:
        """Over the bar and the lines above it, while the message takes more than one."""
        extra = self.displayed_message().count("\n") if self.isVisible() else 0
        over = self._overhang
        if not extra or self.parentWidget() is None:
            if over is not None:
                over.hide()
            return
        if over is None or over.parentWidget() is not self.parentWidget():
            over = self._overhang = _Overhang(self)
        over.setFont(self.font())
        up = extra * self.fontMetrics().lineSpacing() + 4  # (4: air under its edge)
        over.setGeometry(self.x(), self.y() - up, self.message_rect().right() + 6,
                         self.height() + up)
        over.show()
        over.raise_()
        over.update()

    def moveEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().moveEvent(event)
        self._place_overhang()  # a taller window moves the bar

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().hideEvent(event)
        self._place_overhang()

    def _make_room(self) -> None:
        """A message too long for the room beside the permanent widgets (the run's status)
        has the whole bar while it shows; they come back when it goes. At presentation mode's
        size the room beside was half the bar at 1024 px: "Saved blobs.nnviz at epoch 1000;
        the Compare tab's…" was all a class ever read of it."""
        text = self.currentMessage()
        left, right = self.message_rect().left(), self.width() - 12
        grip = self.findChild(QSizeGrip)
        if grip is not None and grip.isVisible():
            right = grip.x()
        beside = right - left - sum(w.sizeHint().width() + 8 for w in self._permanent
                                    if w.isVisible() or w in self._aside) \
            - sum(w.sizeHint().width() + 8 for w in self._shown_offers())
        aside = bool(text) and self.fontMetrics().horizontalAdvance(text) > beside
        if aside and not self._aside:
            self._aside = [w for w in self._permanent if w.isVisible()]
            for w in self._aside:
                w.hide()
        elif not aside and self._aside:
            for w in self._aside:
                w.show()
            self._aside = []

    def message_rect(self) -> QRect:
        """Where the message is drawn: QStatusBarPrivate::messageRect's room, left of the
        size grip and the first visible permanent widget (left to right)."""
        left, right = 6, self.width() - 12
        grip = self.findChild(QSizeGrip)
        if grip is not None and grip.isVisible():
            right = grip.x()
        for w in self._permanent:
            if w.isVisible():
                right = min(right, w.x() - 2)
                break
        right -= sum(w.sizeHint().width() + 8 for w in self._shown_offers())
        return QRect(left, 0, max(0, right - left), self.height())

    def displayed_message(self) -> str:
        """The message as drawn: whole, or cut between words with "..." to fit
        ``message_rect``'s width; on up to ``lines`` lines, "\\n" where a line breaks."""
        return "\n".join(self._wrapped(self.currentMessage(), self.message_rect().width())[0])

    def _wrapped(self, text: str, room: int) -> tuple[list[str], bool]:
        """``text`` in at most ``lines`` lines of ``room`` pixels, broken between words, and
        whether it is cut (its last line then ends in "...")."""
        width = self.fontMetrics().horizontalAdvance
        words, lines = text.replace("\n", " ").split(" "), []  # (a "\\n": a space, as Qt drew it)
        while len(lines) < self.lines - 1 and width(" ".join(words)) > room:
            n = self._most(words, room, "")
            if n == 0:  # a word wider than the line: cut it below
                break
            lines.append(" ".join(words[:n]))
            words = words[n:]
        rest = " ".join(words)
        if width(rest) <= room:
            return lines + [rest], False
        return lines + [" ".join(words[:self._most(words, room, "\u2026")]) + "\u2026"], True

    def _most(self, words: list[str], room: int, end: str) -> int:
        """The most of ``words`` that fit ``room`` on one line with ``end`` after them."""
        width = self.fontMetrics().horizontalAdvance
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if width(" ".join(words[:mid]) + end) <= room:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _update_tip(self, *_) -> None:
        text = self.currentMessage()
        if text != self._withdrawn:
            self._withdrawn = None
        for widget, wanted in self._offers:
            offered = bool(text) and text != self._withdrawn and wanted(text)
            if widget.isHidden() == offered:
                widget.setVisible(offered)
        self._make_room()
        text = self.currentMessage()
        cut = bool(text) and self._wrapped(text, self.message_rect().width())[1]
        self.setToolTip(text if cut else "")
        self._place_overhang()
        if self._offers:
            self._place_offers()
            QTimer.singleShot(0, self, self._place_offers)  # (the widgets on the right laid out)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        # As QStatusBar::paintEvent with a message: the panel, the permanent widgets' frames,
        # the message -- elided.
        p = QPainter(self)
        opt = QStyleOption()
        opt.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, opt, p, self)
        for w in self._permanent:
            if w.isVisible():
                item = QStyleOption()
                item.rect = w.geometry().adjusted(-2, -1, 2, 1)
                item.palette = self.palette()
                item.state = QStyle.StateFlag.State_None
                self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, item,
                                           p, w)
        shown = self.displayed_message()
        if "\n" not in shown:  # (more lines: the overhang draws them, over the bar)
            p.setPen(self.palette().windowText().color())
            p.drawText(self.message_rect(), self._FLAGS, shown)
        p.end()


class HeldCheckBox(QCheckBox):
    """A check box that shows unchecked, greyed, while what it shows is not there
    (``set_absent``), and keeps the user's choice (``isChecked``) for when it is again: "Show
    test data" read checked, greyed, over a run without test points, as if they were drawn
    (review r25 F16); unchecking it would have lost the choice for the next data, and the
    sessions and settings that keep it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.absent = False

    def set_absent(self, absent: bool) -> None:
        self.absent = absent
        self.setEnabled(not absent)
        self.update()

    def shown_checked(self) -> bool:
        """Whether the box reads as checked."""
        return self.isChecked() and not self.absent

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if not self.absent or not self.isChecked():
            super().paintEvent(event)
            return
        from PySide6.QtWidgets import QStyleOptionButton, QStylePainter
        p = QStylePainter(self)
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.state = (opt.state & ~QStyle.StateFlag.State_On) | QStyle.StateFlag.State_Off
        p.drawControl(QStyle.ControlElement.CE_CheckBox, opt)
        p.end()


def close_x(parent: QWidget, tip: str, name: str, on_close: Callable[[], None]) -> QToolButton:
    """The x that closes a message box (the banner's, a note's): flat, an arrow over it (not the
    label's text cursor), ``on_close`` when clicked; its owner places it."""
    b = QToolButton(parent)
    b.setText("\u2715")
    b.setAutoRaise(True)
    b.setCursor(Qt.CursorShape.ArrowCursor)
    b.setToolTip(tip)
    b.setAccessibleName(name)
    b.clicked.connect(on_close)
    return b


class CloseCorner(QObject):
    """An x in the top right corner of ``label`` (a wrapped note in a box), the text kept clear
    of it by the label's right margin; ``on_close`` when clicked. Placed again at each resize,
    show and change of font (presentation mode's font passed on to the x)."""

    def __init__(self, label: QLabel, tip: str, name: str,
                 on_close: Callable[[], None]) -> None:
        super().__init__(label)
        self.label = label
        self.button = close_x(label, tip, name, on_close)
        label.installEventFilter(self)

    def place(self) -> None:
        label, b = self.label, self.button
        if b.font() != label.font():
            b.setFont(label.font())
        b.adjustSize()
        m = label.contentsMargins()
        if m.right() != b.width() + 2:
            label.setContentsMargins(m.left(), m.top(), b.width() + 2, m.bottom())
        b.move(label.width() - b.width() - 2, 2)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange):
            self.place()
        return False


class FittingButton(QToolButton):
    """A tool button whose words are the longest of ``texts`` that fit its width: its least
    width is the shortest's, the width it asks for the longest's; the tooltip says what it
    does either way. "Continue from here" at 150% text set the timeline's least width, and the
    timeline the settings column's: 551 of a 1024 px window's width, the views squeezed into
    the rest (review r18 #1). ``text_shown`` says the new words, for the text that names the
    button (r21 F5: a note named "Continue from here" where the button said "Branch")."""

    text_shown = Signal(str)

    def __init__(self, *texts: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = tuple(texts)
        self.setText(texts[0])
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _hint_for(self, text: str) -> QSize:
        """QToolButton's size hint for a text-only button showing ``text``, at the font now
        (its own hint is cached: after a font change it was the old font's for a pass, and
        the text size's fit to the screen took a 175% that did not fit for one that did)."""
        fm = self.fontMetrics()
        size = fm.size(Qt.TextFlag.TextShowMnemonic, text)
        size.setWidth(size.width() + 2 * fm.horizontalAdvance(" "))
        opt = QStyleOptionToolButton()
        self.initStyleOption(opt)
        opt.text = text
        opt.rect.setSize(size)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ToolButton, opt, size, self)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._hint_for(self._texts[0])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._hint_for(self._texts[-1])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
            self._fit()

    def _fit(self) -> None:
        text = next((t for t in self._texts if self._hint_for(t).width() <= self.width()),
                    self._texts[-1])
        if text != self.text():
            self.setText(text)
            self.text_shown.emit(text)


class FittingLabel(QLabel):
    """One line of text that never wraps or widens its row: of ``set_texts``' variants, longest
    first, the first that fits the label's width (the last one if none does); the tooltip says
    the whole text when a shorter one is shown. A wrapped label took two lines at 1024 px."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts: tuple[str, ...] = ("",)
        self._tip = ""
        self._reserve: tuple[str, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_texts(self, *texts: str, tip: str = "",
                  reserve: str | tuple[str, ...] = "") -> None:
        """``reserve``: a text (in bold), or texts, the label is at least as wide as, whatever
        its own: a label whose texts take turns keeps one least width, and a squeezed row does
        not move at each turn."""
        self._texts, self._tip = tuple(texts) or ("",), tip
        self._reserve = (reserve,) if isinstance(reserve, str) else tuple(reserve)
        self._fit()

    def full_text(self) -> str:
        return self._texts[0]

    def _fit(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        fm = self.fontMetrics()
        # The shortest wording always whole: its width is the least the label takes.
        shortest = fm.horizontalAdvance(self._texts[-1]) + 2 * self.margin() + 2
        if any(self._reserve):
            bold = QFont(self.font())
            bold.setBold(True)
            fm_bold = QFontMetrics(bold)
            shortest = max(shortest, *(fm_bold.horizontalAdvance(r) + 2 * self.margin() + 2
                                       for r in self._reserve))
        if self.minimumWidth() != shortest:
            self.setMinimumWidth(shortest)
        text = next((t for t in self._texts if fm.horizontalAdvance(t) <= room), self._texts[-1])
        if text != self.text():
            self.setText(text)
        tip = self._tip or (self._texts[0] if text != self._texts[0] else "")
        if tip != self.toolTip():
            self.setToolTip(tip)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # a bold style sheet (the past) or presentation mode's larger font


class ElidedLabel(QLabel):
    """One line of plain text that, where its row has not the room for all of it, ends in "..."
    instead of pushing what follows it out of the row; its tooltip then says it whole. Its text
    (``text()``) stays whole. Least as wide as ``least_chars`` characters, or its text if less."""

    def __init__(self, least_chars: int = 24, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.least_chars = least_chars
        self._tip = ""  # the tooltip set by the label's user (shown when whole)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        hint = super().minimumSizeHint()
        m = self.contentsMargins()
        least = self.fontMetrics().averageCharWidth() * self.least_chars + m.left() + m.right()
        hint.setWidth(min(hint.width(), least))
        return hint

    def shown_text(self) -> str:
        """The text as drawn: whole, or cut short to the label's width."""
        room = self.contentsRect().width() - 2 * self.margin()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room)

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt)
        self._tip = tip
        self._tell()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        super().setText(text)
        self._tell()

    def _tell(self) -> None:
        cut = self.shown_text() != self.text()
        super().setToolTip(self.text().strip() if cut else self._tip)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._tell()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if self.shown_text() == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(),
                                            -self.margin())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())


class WrappedLabel(QLabel):
    """A word-wrapped label whose minimum height is its text's height at its width. A splitter
    asks its pane for a minimum size, never a height for a width: the loss column at 1024x768
    was given one line for the two-line metrics, and the loss plot slid under the timeline.
    ``width_changed``: a text worded for the width (the metrics line's) is worded again."""

    width_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        if text != self.text():
            super().setText(text)
            if self.isVisible() and self.width() > 0:
                # Lay the new text out now, not in its paint: a rich text laid out in QLabel's
                # paint asks for a repaint, which Qt posts from within a paint as a second one
                # (a second paint of the window at every frame).
                QLabel.heightForWidth(self, self.width())
            self._hold()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._hold()
            self.width_changed.emit()

    def _hold(self) -> None:
        h = self._needed(self.width()) if self.width() > 0 and self.text() else 0
        if h > 0 and h != self.minimumHeight():
            self.setMinimumHeight(h)

    # Its sizes are the ruler's (measure): a layout, or a LabelRoom, asking this label for its
    # size hints or its height lays its text out again at each width asked and repaints it.
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self.measure().sizeHint().expandedTo(self.minimumSize())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self.measure().minimumSizeHint().expandedTo(self.minimumSize())

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt)
        return max(self._needed(width), self.minimumHeight())

    def _needed(self, width: int) -> int:
        """The text's height at ``width``, asked of a ruler: QLabel's height for a width is at
        least its minimum height, so a label once narrow (five lines) kept five lines' height
        when it grew wide; and dropping its minimum to ask, then setting it again, laid out its
        column twice a frame (the metrics line changes with every snapshot)."""
        key = (width, self.text(), self.font().key(), self.textFormat(), self.styleSheet(),
               self.margin(), self.indent(), self.contentsMargins())  # what the ruler copies
        if self.__dict__.get("_needed_at") != key:
            self._needed_h = self.measure().heightForWidth(width)
            self._needed_at = key
        return self._needed_h

    def measure(self) -> QLabel:
        """A hidden label like this one (text, font, format, margins, wrapping) that answers for
        its sizes. QLabel lays its rich text out again at each width it is asked about (a size
        hint asks three) and then repaints itself: the questions of LabelRoom and of the layouts
        after each new text laid the metrics line out ~5 times a frame and painted the window a
        second time for it (0.6-1 ms a frame at 100,000 points, bench/main_frame.py). The ruler
        keeps its answers until its text changes; its answers are without this label's least
        size (QLabel's are at least it)."""
        ruler = self.__dict__.get("_ruler")
        if ruler is None:
            ruler = self._ruler = QLabel()
            ruler.setWordWrap(True)
        if ruler.styleSheet() != self.styleSheet():
            ruler.setStyleSheet(self.styleSheet())
        if ruler.font() != self.font():
            ruler.setFont(self.font())
        if ruler.textFormat() != self.textFormat():
            ruler.setTextFormat(self.textFormat())
        if ruler.margin() != self.margin():
            ruler.setMargin(self.margin())
        if ruler.indent() != self.indent():  # (setIndent forgets the sizes, even the same one)
            ruler.setIndent(self.indent())
        if ruler.contentsMargins() != self.contentsMargins():
            ruler.setContentsMargins(self.contentsMargins())
        ruler.setText(self.text())  # (the same text: kept, with its sizes)
        return ruler


_SHRINK, _GROW = QSizePolicy.PolicyFlag.ShrinkFlag.value, QSizePolicy.PolicyFlag.GrowFlag.value
_NO_MOST = 16777215  # QWIDGETSIZE_MAX: no most size set


def let_go(*items) -> None:
    """Let go of the Python wrappers of layout items (``QLayout.itemAt``'s): a QLayoutItem is
    no QObject, so Qt deletes it (its widget removed, its layout gone) without telling PySide,
    and the wrapper, which the layout keeps alive, stays registered at its address as long as
    the layout lives. A C++ object made later at that address came back as that wrapper:
    pyqtgraph's scatter points (its pixmap fragments) went to drawPixmapFragments as a
    QWidgetItem and were not drawn (a TypeError on paint, seen in the Backprop tests), a
    title's document as a QWidgetItem. Call it once what was read from the items is taken.

    A layout (a QObject, tracked) stays, and the items in it are let go of: PySide's
    ``itemAt`` that returns a layout wraps every item in it and in the layouts in it (its
    ownership glue, as in :func:`add_layout`): the run bar's first item, read at each of its
    layout requests, wrapped the bar's 20."""
    for item in items:
        if isinstance(item, QLayout):
            _let_go_within(item)
        elif item is not None and not isinstance(item, QObject) and shiboken6.isValid(item):
            shiboken6.invalidate(item)


def add_layout(layout: QBoxLayout | QGridLayout, sub: QLayout, *args) -> None:
    """``layout.addLayout(sub, *args)`` without the wrappers PySide gives ``sub``'s items.

    Where ``layout`` is in a widget already, PySide's addLayout (its ownership glue,
    ``addLayoutOwnership``) makes a Python wrapper of every item in ``sub`` and in the layouts
    in it, and keeps it with ``layout``: no nnviz code read them, and the run bar's speed and
    stop rows had eight, the whole window ~90. One stays registered after Qt deletes its item
    (its widget deleted) while the layout lives, and a C++ object made later at that address
    came back as a QWidgetItem (see :func:`let_go`). Here they are let go of once made.
    (``QWidget.setLayout``, ``addWidget`` and ``addStretch`` wrap no item; ``itemAt`` does:
    :func:`let_go` after reading.)"""
    layout.addLayout(sub, *args)
    if layout.parentWidget() is not None:  # (else PySide keeps ``sub`` only, no item)
        _let_go_within(sub)


def _let_go_within(layout: QLayout) -> None:
    """Let go of the wrappers of ``layout``'s items and its layouts' items (a layout stays)."""
    let_go(*[layout.itemAt(i) for i in range(layout.count())])


class LabelRoom(QWidget):
    """The room a label takes in a layout, which asks the window for a new layout only when the
    label's needs change, not at every new text. ``QLabel.setText`` always calls
    ``updateGeometry``, and that climbs through every layout to the window: the epoch counter,
    the metrics and the timeline's line, set at every frame, laid the whole window out again
    ~30 times a second (bench/layout_requests.py). Here the label's request stops at this room
    (a widget without a layout gets it as an event); the room compares what the label asks of
    a layout -- its size hints, least and most size, size policy, height at this width -- with
    what it asked last, and passes the request on only when one differs: a text that needs
    more room gets it at once, one that needs less gives it back, the same size costs nothing.

    Room is given back to a new text only once the label has needed less of it for
    ``GIVE_BACK_MS`` running: a live caption at the edge of a line break ("now 3× the
    output's", "now 1.02× the output's") took one line, then two, then one, frame after frame,
    and everything below it moved by a line each time -- the Gradients tab's six plots laid out
    and their axes drawn again, GUI stalls of 50-120 ms (bench/README). Meanwhile the label
    sits at the top of its room at its own height.

    The label is the room's only child and fills it; it keeps its own API (text, font, style
    sheet); hiding or showing it hides or shows the room. Put ``LabelRoom(label)`` in the
    layout instead of the label."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        explicitly_hidden = label.isHidden() and label.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        self.label = label
        label.setParent(self)
        label.move(0, 0)
        label.setVisible(not explicitly_hidden)  # a child: shown with the room
        self._follow(not explicitly_hidden)
        self._asked = None
        self._asked_for: tuple[str, QFont | None] = ("", None)  # the text and font asked for
        self._give_back = QTimer(self)
        self._give_back.setSingleShot(True)
        self._give_back.setInterval(self.GIVE_BACK_MS)
        self._give_back.timeout.connect(lambda: self._mirror(at_once=True))
        self._mirror()
        label.installEventFilter(self)
        self.installEventFilter(self)  # its LayoutRequest (eventFilter): see NetworkCanvas's

    def _needs(self) -> tuple:
        """What a layout makes of the label, as QWidgetItem and qSmartMinSize / qSmartMaxSize
        do: its height at this width (first), and per direction its size hint within its least
        and most size, its least and its most size; its policy. A new text that changes only
        what these leave out -- a width under the epoch counter's least width, any width of a
        label whose policy ignores it (the metrics', the timeline's) -- asks for nothing."""
        lab = self.label
        policy = lab.sizePolicy()
        hint, least_hint = lab.sizeHint(), lab.minimumSizeHint()
        least, most = lab.minimumSize(), lab.maximumSize()
        shown = hint.expandedTo(least_hint).boundedTo(most).expandedTo(least)
        tall = lab.heightForWidth(self.width()) if lab.hasHeightForWidth() else -1
        needs = [tall, policy.hasHeightForWidth(), policy.horizontalStretch(),
                 policy.verticalStretch()]
        for pol, h, lh, lo, hi, sh in (
                (policy.horizontalPolicy(), hint.width(), least_hint.width(), least.width(),
                 most.width(), shown.width()),
                (policy.verticalPolicy(), hint.height(), least_hint.height(), least.height(),
                 most.height(), shown.height())):
            flags = pol.value
            ignored = pol == QSizePolicy.Policy.Ignored
            smart_least = 0 if ignored else lh if flags & _SHRINK else max(h, lh)
            smart_least = lo if lo > 0 else min(smart_least, hi)
            smart_most = hi if hi != _NO_MOST or flags & _GROW else max(h, lo)
            needs += [pol, 0 if ignored else sh, smart_least, smart_most]
        return tuple(needs)

    #: How long a label must have needed less height before its room gives it back.
    GIVE_BACK_MS = 1000
    #: In _needs: the height at this width, the width and height shown, the least of each.
    _SIZES = (0, 5, 6, 9, 10)

    def _only_less(self, needs: tuple) -> bool:
        """``needs`` asks for no more room than was asked last (less of some), and nothing
        else changed (policies, most sizes)."""
        asked = self._asked
        if asked is None or len(asked) != len(needs):
            return False
        if any(a != b for i, (a, b) in enumerate(zip(asked, needs)) if i not in self._SIZES):
            return False
        return all(needs[i] <= asked[i] for i in self._SIZES)

    def _mirror(self, at_once: bool = False) -> bool:
        """Ask for a new layout if the label's needs changed; True if it did. Less room is
        asked for only after GIVE_BACK_MS of needing less (``at_once``: now)."""
        needs = self._needs()
        if needs == self._asked:
            self._give_back.stop()  # back to what it has: nothing to give
            self._place()
            return False
        lab = self.label
        if not at_once and self.isVisible() and self._only_less(needs) \
                and lab.text() != self._asked_for[0] and lab.font() == self._asked_for[1]:
            if not self._give_back.isActive():  # a new text needs less: it may need more again
                self._give_back.start()
            self._place()
            return False
        # (a new font gives back at once: the text size's fit to the screen steps down until
        # the window's least width fits, and a room kept for a larger font would not let it)
        self._give_back.stop()
        self._asked, self._asked_for = needs, (lab.text(), QFont(lab.font()))
        if self.sizePolicy() != lab.sizePolicy():
            self.setSizePolicy(lab.sizePolicy())
        self.setMinimumSize(lab.minimumSize())
        self.setMaximumSize(lab.maximumSize())
        self.updateGeometry()
        return True

    def give_back(self) -> None:
        """The room the label's text needs now, less too, at once: for a text that is not the
        last one's next (the readout of a new run), where no line comes back a frame later.
        The last run's line kept a second more was shared out with the rest of the window (an
        exercise's task, opened after one whose readout had a line more, scrolled)."""
        self._mirror(at_once=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self.label.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt)
        return self.label.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt)
        tall = self.label.heightForWidth(width)
        if self._give_back.isActive() and width == self.width() and self._asked is not None:
            return max(tall, self._asked[0])  # kept until given back (GIVE_BACK_MS)
        return tall

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        # A filter, not an event() override: PySide6 6.11 segfaults when a Python error in a
        # handler unwinds through a Python event()'s super().event() (network_view.py).
        if obj is self and t == QEvent.Type.LayoutRequest:  # the label's updateGeometry
            self._mirror()
            return True
        if obj is self.label and t in (QEvent.Type.HideToParent, QEvent.Type.ShowToParent):
            self._follow(t == QEvent.Type.ShowToParent)  # the label hidden: no room for it
        return False

    def _follow(self, shown: bool) -> None:
        if not shown:
            self.hide()  # explicitly: a layout does not show it with its parent
        elif self.parentWidget() is not None:
            self.show()
        else:  # no parent yet: not a window of its own; shown with the parent it gets
            self.setAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide, False)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._mirror()  # what changed while hidden (the label posts no request then)

    def _place(self) -> None:
        """The label fills its room; one that needs less height than the room keeps (see
        GIVE_BACK_MS) sits at its top, at its own height, where its text was."""
        rect = self.rect()
        lab = self.label
        if self._give_back.isActive() and lab.hasHeightForWidth():
            rect.setHeight(min(rect.height(), max(lab.heightForWidth(rect.width()), 0)))
        if lab.geometry() != rect:
            lab.setGeometry(rect)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._give_back.stop()  # the height kept was the old width's
        self._place()
        if self._asked is not None and self.label.hasHeightForWidth():
            # The layout that gave this width asked the height at it: not a change to report
            # (a change still waiting in a request is, and stays one).
            asked = list(self._asked)
            asked[0] = self.heightForWidth(self.width())
            self._asked = tuple(asked)


_SAME_DIGITS = str.maketrans("123456789", "000000000")


class EpochNote:
    """The words a throttled view (the neuron maps, the hidden space, the gradients) puts before
    its caption when its picture is of an older epoch than the window's: "epoch 55 (neuron
    maps: epoch 40)", the Network view's header's. While a run plays, a costly probe runs less
    often than the loss curve is drawn (inspect.Throttled) and hands out its last result again;
    a reviewer saw such a view at epoch 40 beside a status of epoch 55, and nothing said so.

    Once the picture has lagged, the note stays while the run plays, the epochs equal on the
    frames the probe catches up (shown on the lagging frames alone, it blinked a few times a
    second); paused, the probe catches up and the note goes. A run whose views keep up (200
    points) never shows it. ``text`` is called once a frame; it builds a string only while the
    note is shown."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.on = False

    def text(self, epoch: int, shown: int, playing: bool) -> str:
        """The note for a window at ``epoch`` and a picture of epoch ``shown`` (-1: unknown,
        no note), or "" when there is none."""
        self.on = 0 <= shown != epoch or (self.on and playing and shown >= 0)
        return f"epoch {epoch:,} ({self.what}: epoch {shown:,})" if self.on else ""

    def computing(self, epoch: int, shown: int) -> str:
        """The note for a frame that came without the view's numbers -- the window's last
        frame, made while the tab was behind another, drawn as it comes back -- over its
        numbers of epoch ``shown``: the window's epoch first, and that its numbers are being
        computed ("" when those drawn are of it). Review r24 F16: a tab revisited while paused
        at 838 read "epoch 628 (gradients: epoch 623)" for seconds, the header of its last
        visit."""
        if shown == epoch or shown < 0:
            return ""
        self.on = True
        return (f"epoch {epoch:,} ({self.what}: epoch {shown:,}; computing epoch "
                f"{epoch:,}\u2026)")


def model_epoch(snapshot, epoch: int | None = None) -> str:
    """"epoch N" of the model ``snapshot`` draws (at ``epoch``, when a view's numbers are of
    another, e.g. a throttled probe's): after a divergence put an earlier epoch's weights back,
    that epoch's, "restored", as the window's counter says ("Epoch 0, restored; diverged after
    epoch 14"). The Network view's caption and the timeline said "epoch 14" under it (r19)."""
    if snapshot is None:
        return f"epoch {0 if epoch is None else epoch:,}"
    at = snapshot.epoch if epoch is None else int(epoch)
    if snapshot.restored and at == snapshot.epoch:
        return f"epoch {snapshot.weights_epoch:,} (restored)"
    return f"epoch {at:,}"


def computing(what: str, capital: bool = True) -> str:
    """What a view says while its first numbers for the run shown are computed: a tab's first
    visit, or a new network's, also compiles its functions (seconds at 512 units), paused or
    not. "They come with the next frame" read as "press Play" while the run was paused
    (reviewer), over empty axes."""
    return f"{'C' if capital else 'c'}omputing {what}\u2026 (a new network compiles first)"


def window_playing(widget: QWidget) -> bool:
    """Whether the run of ``widget``'s window plays (False for a view on its own)."""
    return bool(getattr(widget.window(), "playing", False))


class TextRoom(QWidget):
    """Room for a word-wrapped label as large as the largest of the texts it may show, not the
    one it shows now: a new text neither lays the window out again nor moves what is below it
    (the Backprop tab's header and stage name wrapped differently from stage to stage, so the
    diagram under them jumped as the user pressed Next).

    ``expect(texts)`` names the texts to make room for; the label's own text counts too (a
    rarer one that needs more room gets it at once, and gives it back when it goes). Texts that differ
    only in their digits count as one (digits are one width: tabular figures), so a number
    that changes with every frame costs one measure. The label is held at the room's size: its
    ``setText`` asks no layout (Qt passes a fixed-size widget's geometry change to no one).
    ``one_line``: the room asks for the widest text's width on one line (it wraps only where the
    row has not that much room). Put ``TextRoom(label)`` in the layout instead of the label."""

    changed = Signal()  # the room it asks for changed

    def __init__(self, label: QLabel, one_line: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.one_line = one_line
        label.setParent(self)
        label.setWordWrap(True)
        label.move(0, 0)
        self._texts: tuple[str, ...] = ()
        self._sizes: dict = {}  # (shape, width or None, font) -> height / (width, least width)
        self._asked = None
        self._ruler = QLabel()
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        label.installEventFilter(self)

    def least_at_width(self) -> None:
        """Least-tall as its lines at the width it has (minimumSizeHint), not at its hint's
        width: its hint's height stays what it prefers, and its width still wraps it."""
        policy = self.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def expect(self, texts) -> None:
        """Make room for each of ``texts`` (and the label's own)."""
        texts = tuple(dict.fromkeys(t.translate(_SAME_DIGITS) for t in texts))
        if texts != self._texts:
            self._texts = texts
            self._changed()

    def _all(self) -> tuple[str, ...]:
        own = self.label.text().translate(_SAME_DIGITS)
        return self._texts if own in self._texts or not own else self._texts + (own,)

    def _measure(self, text: str, width: int | None):
        key = (text, width, self.label.font().key(), self.label.textFormat())
        found = self._sizes.get(key)
        if found is None:
            r = self._ruler
            r.setFont(self.label.font())
            r.setTextFormat(self.label.textFormat())
            r.setContentsMargins(self.label.contentsMargins())
            r.setText(text)
            if width is None:
                r.setWordWrap(False)
                one = r.sizeHint().width()
                r.setWordWrap(True)
                found = (one, r.minimumSizeHint().width())
            else:
                r.setWordWrap(True)
                found = r.heightForWidth(width)
            if len(self._sizes) > 512:
                self._sizes.clear()
            self._sizes[key] = found
        return found

    def one_line_width(self) -> int:
        """The widest of its texts on one line."""
        return max((self._measure(t, None)[0] for t in self._all()), default=0)

    def _widths(self) -> tuple[int, int]:
        texts = self._all()
        if not texts:
            return 0, 0
        sizes = [self._measure(t, None) for t in texts]
        one = max(w for w, _ in sizes)
        least = max(m for _, m in sizes)
        return (one if self.one_line else min(one, max(least, 120))), least

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        width = self._widths()[0]
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        # The height at the width it has (a window's least height is its layout's least
        # size, which asks no height for a width: at its least width a long text would ask
        # for a dozen lines, and the window grew ~200 px taller than the screen).
        least = self._widths()[1]
        return QSize(least, self.heightForWidth(max(self.width(), least)))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt)
        return max((self._measure(t, width) for t in self._all()), default=0)

    def _changed(self) -> None:
        needs = (self.sizeHint(), self._widths()[1], self.heightForWidth(self.width()))
        if needs != self._asked:
            self._asked = needs
            self.updateGeometry()
            self.changed.emit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if obj is self.label and t in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._changed()
        return False

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._changed()

    def set_text(self, text: str) -> None:
        """The label's new text (more room asked for only if it needs more)."""
        if text == self.label.text():
            return
        old = self.label.text().translate(_SAME_DIGITS)
        self.label.setText(text)
        if text.translate(_SAME_DIGITS) != old:
            self._changed()

    def text(self) -> str:
        return self.label.text()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self.label.setFixedSize(self.size())
        if self._asked is not None:
            tall = self.heightForWidth(self.width())
            if tall != self._asked[2] and \
                    self.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Preferred:
                self.updateGeometry()  # its least height is its height at this width
            self._asked = self._asked[:2] + (tall,)


def keep_axis_title_inside(plot_item) -> None:
    """Room under ``plot_item`` for its bottom axis' title: pyqtgraph draws it 5 px below the
    axis (AxisItem.resizeEvent's "nudge"), over what lies under the plot (the loss plot's
    "epoch" touched the timeline's slider)."""
    left, top, right, bottom = plot_item.layout.getContentsMargins()
    plot_item.layout.setContentsMargins(left, top, right, max(bottom, AXIS_TITLE_NUDGE + 1))


AXIS_TITLE_NUDGE = 5


#: How long a number field's refusal is said ("'0' is out of range: Points takes 4 to 100,000
#: (it keeps 200)."), the field showing the value it keeps: it goes sooner with the next edit
#: or Play (MainWindow._forget_refusals).
REFUSAL_LIFETIME_MS = 15_000


class _SaysOutOfRange:
    """A spin box that says so when a typed number is beyond its range (Qt clamps or drops it
    without a word): ``out_of_range(message)``, and the field keeps its value. The message
    quotes what was typed and names the range, as every field's refusal does (``refusal``);
    a minus sign where the range has no room for one is typed and refused, not dropped (Qt
    dropped it: "-50" became 50 without a word)."""

    out_of_range = Signal(str)  # "" after a finished edit it took: its refusal is over
    terse = False  # the limit alone (Stop at epoch's, in the run controls' narrow row)
    what = ""  # the field's name in its messages ("Points"); "" for "this field"
    unit = ""  # after the range in its messages ("units")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._refused = self._typing = False
        self.lineEdit().textEdited.connect(self._typed_in)
        self.editingFinished.connect(self._finished)
        # A refusal is over once read: the field shows the value it keeps all along, and
        # "Too large: at most 10,000,000." stayed through many other actions (r15).
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self._expire)

    def _expire(self) -> None:
        self._said = None  # the same text refused again is said again
        self.out_of_range.emit("")

    def _typed_in(self, _text: str) -> None:
        self._typing = True

    def _finished(self) -> None:
        # Enter or focus out after typing: a refusal was said by fixup just before (the text
        # then put back); otherwise the field took what was typed, the same value or not
        # ("4" typed again after "0" was refused): the refusal's message goes. (Focus merely
        # leaving the field says nothing new.)
        if self._refused:
            self._refused = False
        elif self._typing:
            self._expiry.stop()
            self.out_of_range.emit("")
        self._typing = False

    def validate(self, text: str, pos: int):  # noqa: D102 (Qt)
        state, text, pos = super().validate(text, pos)
        if state == QValidator.State.Invalid:
            number = self._typed(text)
            if (number is not None and not self.minimum() <= number <= self.maximum()) \
                    or self._body(text) in ("-", "+") or self._not_a_number(text):
                return QValidator.State.Intermediate, text, pos  # fixup says why
        if state == QValidator.State.Acceptable:
            self._said = None  # a number in range: the next refusal is said again
        return state, text, pos

    def fixup(self, text: str) -> str:  # noqa: D102 (Qt)
        # Beyond the range ("99999999"), or below it ("2" where 10 is the least: a number on
        # its way until Enter, which Qt drops without a word), or a lone sign.
        low, high = self.minimum(), self.maximum()
        typed, body = self._typed(text), self._body(text)
        out = typed is not None and not low <= typed <= high
        letters = self._not_a_number(text)  # "abc": typed and refused, not dropped unsaid
        if out or letters or body in ("-", "+"):
            self._refused = True
        if (out or letters or body in ("-", "+")) \
                and text != getattr(self, "_said", None):  # once a text
            self._said = text
            fmt = (lambda v: f"{v:,}") if isinstance(low, int) else (lambda v: f"{v:g}")
            # The value it keeps (its text is still the refused one here), by the word the
            # field shows for it ("never" for Stop at epoch's 0).
            special = self.specialValueText()
            kept, least = fmt(self.value()), fmt(low)
            if special:
                least = f"{least} ({special})"
                if self.value() == low:
                    kept = special
            self._expiry.start(REFUSAL_LIFETIME_MS)
            if self.terse:  # beside the field in a row of buttons, which shows what it keeps
                self.out_of_range.emit(f"'{body}' is not a number." if letters
                                       else f"Too large: at most {fmt(high)}."
                                       if out and typed > high
                                       else f"Too small: at least {least}.")
            else:
                self.out_of_range.emit(refusal(body, self.what or "this field",
                                               f"{least} to {fmt(high)}" + (f" {self.unit}" if self.unit else ""),
                                               out, kept))
        return super().fixup(text)

    def _body(self, text: str) -> str:
        return text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()

    def _not_a_number(self, text: str) -> bool:
        """``text`` holds something that is no number ("abc", "4x"): Qt dropped each such key
        without a word, where "-3" is refused with a message (a keyboard user's review). The
        start of the field's special word ("nev" of Stop at epoch's "never") is not that."""
        body = self._body(text)
        special = self.specialValueText().lower()
        return (self._typed(text) is None and body not in ("", "-", "+")
                and not (special and special.startswith(body.lower())))

    def _typed(self, text: str):
        body = self._body(text)
        body = body.replace(self.locale().groupSeparator(), "").replace(",", "")
        try:
            return int(body) if isinstance(self, QSpinBox) else float(body)
        except ValueError:
            return None


def access_keys(box) -> None:
    """Each button of ``box`` (a QMessageBox or a QDialogButtonBox) that has no access key gets
    one, its first letter no other button of the box has: "&Save", "&Discard", "&Cancel". The
    quit question's buttons had none (the platform's texts), and a keyboard user pressed D and
    Alt+D for Discard in vain; a message box takes the letter alone."""
    buttons = box.buttons()
    taken = set()
    for b in buttons:
        text = b.text().replace("&&", "")
        if "&" in text[:-1]:
            taken.add(text[text.index("&") + 1].lower())
    for b in buttons:
        text = b.text()
        if "&" in text.replace("&&", ""):
            continue
        for i, ch in enumerate(text):
            if ch.isalnum() and ch.lower() not in taken:
                taken.add(ch.lower())
                b.setText(text[:i] + "&" + text[i:])
                break


def refusal(typed: str, what: str, allowed: str, is_number: bool = True,
            kept: str | None = None) -> str:
    """Every field's words for a value it refuses: what was typed, quoted; the field; the
    values it takes; what it keeps. "'-50' is out of range: Points takes 4 to 100,000 (it
    keeps 50)." """
    why = "is out of range" if is_number else "is not a number"
    return (f"'{typed}' {why}: {what} takes {allowed}"
            + (f" (it keeps {kept})." if kept is not None else "."))


class SpinBox(_SaysOutOfRange, QSpinBox):
    pass


class DoubleSpinBox(_SaysOutOfRange, QDoubleSpinBox):
    pass


def spin(low: int, high: int, value: int, tip: str) -> SpinBox:
    """An integer field that reports only finished edits (Enter, focus out, arrows), and says
    when a typed number is out of range (``out_of_range``)."""
    w = SpinBox()
    w.setRange(low, high)
    w.setValue(value)
    w.setKeyboardTracking(False)
    w.setToolTip(tip)
    w.setAccelerated(True)
    return w


def dspin(low: float, high: float, value: float, step: float, decimals: int,
          tip: str) -> DoubleSpinBox:
    w = DoubleSpinBox()
    w.setRange(low, high)
    w.setDecimals(decimals)
    w.setSingleStep(step)
    w.setValue(value)
    w.setKeyboardTracking(False)
    w.setToolTip(tip)
    return w


class DescribedCombo(QComboBox):
    """A choice whose entries carry a description (their tooltip): the entry highlighted in
    the open list, and the one chosen when the list gets the focus from the keyboard, say
    theirs in the window's status bar too. A tooltip shows under the mouse only: from the
    keyboard "mse", "gd" or "adam" had no words anywhere."""

    def __init__(self) -> None:
        super().__init__()
        self.highlighted.connect(self.say)

    def say(self, index: int) -> None:
        text = self.itemData(index, Qt.ItemDataRole.ToolTipRole)
        bar = getattr(self.window(), "statusBar", None)
        if text and bar is not None:
            bar().showMessage(f"{self.itemText(index)}: {text}", 10000)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            self.say(self.currentIndex())


def combo(items: dict[str, str], value: str, tip: str) -> QComboBox:
    """A choice among ``items`` (name -> description); each item's tooltip is its description,
    said in the status bar when it is highlighted (``DescribedCombo``)."""
    w = DescribedCombo()
    for i, (name, desc) in enumerate(items.items()):
        w.addItem(name, name)
        w.setItemData(i, desc, Qt.ItemDataRole.ToolTipRole)
    w.setCurrentIndex(max(0, w.findData(value)))
    w.setToolTip(tip)
    return w


def set_combo(w: QComboBox, value: str) -> None:
    i = w.findData(value)
    if i >= 0:
        w.setCurrentIndex(i)


class NumberCombo(QComboBox):
    """An editable list of suggested numbers (as TensorFlow Playground's learning rates) that
    also takes any typed number. ``value_changed(float)`` fires for a valid finished edit that
    changes the value; ``validated(str)`` after every finished edit with '' when the text is
    valid, else the reason it is refused (the field keeps the text to fix)."""

    value_changed = Signal(float)
    validated = Signal(str)

    def __init__(self, values: list[float], value: float, low: float, high: float, what: str,
                 tip: str, allow_zero: bool = False) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # No inline completion: it turned a typed "1" into "1e-05" and "0" into "0.0001".
        self.setCompleter(None)
        for v in values:
            self.addItem(f"{v:g}")
        self._low, self._high, self._what, self._zero = low, high, what, allow_zero
        self._value = float(value)
        self._twins: list[NumberTwin] = []
        self.setEditText(f"{value:g}")
        self.setToolTip(tip)
        self.lineEdit().editingFinished.connect(self._commit)
        self.activated.connect(lambda _i: self._commit())

    def value(self) -> float:
        return self._value

    def set_value(self, v: float) -> None:
        """Show ``v`` (the model's rate); a refused text the field held goes, and its message
        with it (``validated('')``): the message said what the field no longer shows."""
        self._value = float(v)
        self.setEditText(f"{v:g}")
        self.setStyleSheet("")
        self._tell_twins("")
        self.validated.emit("")

    def add_twin(self, twin: "NumberTwin") -> None:
        """``twin`` shows what this field holds from now on, told directly by each change of
        value or refusal: through ``validated`` it missed the changes made with this field's
        signals blocked (TrainingPanel.set_config: a preset, a lesson, an exercise), and the
        presentation bar said "1" over a run training at 0.03."""
        self._twins.append(twin)

    def _tell_twins(self, reason: str) -> None:
        import shiboken6
        self._twins = [t for t in self._twins if shiboken6.isValid(t)]
        for t in self._twins:
            t.follow(reason)

    def allowed(self) -> str:
        high = f"{self._high:,g}"
        return f"0 to {high}" if self._zero else f"more than 0, up to {high}"

    def parse(self, text: str) -> float:
        """The number in ``text``; a ValueError with a reason for the user otherwise."""
        typed = text.strip()
        try:
            v = float(typed.replace(",", "."))
        except ValueError:
            v = math.nan
        if math.isnan(v):
            raise ValueError(refusal(typed, self._what, self.allowed(), False))
        if not math.isfinite(v) or not (self._low <= v <= self._high) or (v == 0 and not self._zero):
            raise ValueError(refusal(typed, self._what, self.allowed()))
        return v

    def commit_text(self, text: str) -> None:
        """``text`` typed in and the edit finished (a :class:`NumberTwin`'s: one path)."""
        self.setEditText(text)
        self._commit()

    def _commit(self) -> None:
        try:
            v = self.parse(self.currentText())
        except ValueError as e:
            self.setStyleSheet(f"QComboBox {{{INVALID_FIELD}}}")
            self._tell_twins(str(e))
            self.validated.emit(str(e))
            return
        self.setStyleSheet("")
        changed = v != self._value
        self._value = v
        self._tell_twins("")
        self.validated.emit("")
        if changed:
            self.value_changed.emit(v)


class NumberTwin(QComboBox):
    """A second place to type ``field``'s number (presentation mode's learning rate in the run
    bar, the settings folded away): what is typed or picked here ``field`` commits -- its
    validation, its signals, so its Undo step and notes -- and this shows what ``field`` holds,
    red while ``field`` refuses the text."""

    def __init__(self, field: NumberCombo) -> None:
        super().__init__()
        self.field = field
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setCompleter(None)
        self.addItems([field.itemText(i) for i in range(field.count())])
        self.setToolTip(field.toolTip())
        self.lineEdit().editingFinished.connect(self._commit)
        self.activated.connect(lambda _i: self._commit())
        field.add_twin(self)  # told of every change, its signals blocked or not
        self.follow("")

    def _commit(self) -> None:
        self.field.commit_text(self.currentText())

    def follow(self, reason: str) -> None:
        """Show the field's value (``reason`` '': it holds a valid one), or stay red with the
        text it refused."""
        if reason:  # the refused text stays here too, to fix
            self.setStyleSheet(f"QComboBox {{{INVALID_FIELD}}}")
            return
        self.setStyleSheet("")
        text = f"{self.field.value():g}"
        if self.currentText() != text:
            self.setEditText(text)


def combo_width(combo: QComboBox, width: int) -> int:
    """``combo``'s width around a text ``width`` wide (its style's frame and arrow)."""
    from PySide6.QtWidgets import QStyleOptionComboBox
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                          QSize(width, combo.fontMetrics().height()),
                                          combo).width()


def paint_combo(combo: QComboBox, text: str) -> None:
    """Paint ``combo`` (from its paintEvent) as its style does, showing ``text`` (a shortened
    form of its current item) instead of its current item."""
    from PySide6.QtWidgets import QStyleOptionComboBox, QStylePainter
    p = QStylePainter(combo)
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    opt.currentText = text
    p.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
    p.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)


class FittedCombo(QComboBox):
    """A combo box that fits its text. Where there is room it is as wide as its longest item;
    narrower (down to ``minimumContentsLength`` characters, 8 if unset) it shows the current
    item elided ("hidden 3: 4 sig…") where Qt's own cuts it mid-letter under the arrow, and
    its tooltip starts with the whole item. Its list opens as wide as the items, whatever the
    box's width. Its size follows its items: Qt's default (AdjustToContentsOnFirstShow) kept
    the size of the list it was first shown with, and Hidden space's layer list, filled after,
    showed "hidden 3" of "hidden 3: 4 sigmoid" at any window size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.installEventFilter(self)  # its tooltip (eventFilter)

    def _frame(self, width: int) -> int:
        return combo_width(self, width)

    def _longest(self) -> int:
        fm = self.fontMetrics()
        return max((fm.horizontalAdvance(self.itemText(i)) for i in range(self.count())),
                   default=0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(self._frame(self._longest() + 2), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        least = self.fontMetrics().averageCharWidth() * (self.minimumContentsLength() or 8)
        return QSize(self._frame(min(least, self._longest()) + 2),
                     super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The current item as drawn: whole, or elided to the box's room."""
        from PySide6.QtWidgets import QStyleOptionComboBox
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()
        if not opt.currentIcon.isNull():
            room -= opt.iconSize.width() + 4
        return self.fontMetrics().elidedText(opt.currentText, Qt.TextElideMode.ElideRight,
                                             max(room - 2, 0))

    def tip_text(self) -> str:
        """The tooltip shown: the whole item first when the box shows it elided."""
        full, tip = self.currentText(), self.toolTip()
        if not full or self.shown_text() == full:
            return tip
        return f"{full}\n\n{tip}" if tip else full

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # A filter on itself, not an event() override: PySide6 6.11 segfaults when a Python
        # error (in paintEvent, say) unwinds through a Python event()'s super().event().
        if obj is self and event.type() == QEvent.Type.ToolTip and not self.isEditable():
            from PySide6.QtWidgets import QToolTip
            text = self.tip_text()
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return False

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if self.isEditable():  # its line edit shows the text
            super().paintEvent(event)
            return
        paint_combo(self, self.shown_text())

    def showPopup(self) -> None:  # noqa: N802 (Qt)
        view = self.view()
        width = view.sizeHintForColumn(0) + 2 * view.frameWidth()
        if self.count() > self.maxVisibleItems():
            width += view.verticalScrollBar().sizeHint().width()
        view.setMinimumWidth(width)
        super().showPopup()


def cache_axes(plot_item) -> None:
    """Paint ``plot_item``'s axes from a pixmap kept until the axis itself changes.

    pyqtgraph replays an axis' tick labels (and its grid lines, which cover the whole plot) in
    every paint of the plot, and the plot is repainted whenever its image or curve changes:
    the axes were the largest single cost of a training frame (bench/gui.py). Qt's item cache
    redraws them only when their range, size or style changes.
    """
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        if axis is not None:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def settle_plots(widget: QWidget) -> None:
    """Do now what pyqtgraph leaves to the start of the next paint of ``widget`` (a
    GraphicsView) and of the GraphicsViews in it that are shown: the view boxes' auto range and
    transforms, the text items' placement (GraphicsScene.prepareForPaint). Call it once a
    frame's new numbers are set.

    Left to the paint, those changes come while it is under way: a new range re-renders an
    axis, moves the grid and the curves, and Qt asks for a second paint of what they cover
    just after the first, which had already drawn them as they now are. The Gradients tab at
    100,000 points painted its six plots 1.35-1.48 times a frame and the loss chart 1.22-1.26
    (bench/README.md, "Second paints"); settled first, once. The paint's own call then finds
    nothing left to do."""
    views = [widget] if isinstance(widget, pg.GraphicsView) else []
    views += widget.findChildren(pg.GraphicsView)
    for view in views:
        if view.isVisible():
            prepare = getattr(view.scene(), "prepareForPaint", None)
            if prepare is not None:
                prepare()


def plain_axes(plot_item, *more) -> None:
    """The numbers on ``plot_item``'s axes (and the axes ``more``, a colour bar's) as they
    are: pyqtgraph's automatic SI prefix wrote moons' x2 of -0.5 to 0.5 as -500 to 500 under
    "x2 (x0.001)". Large values stay readable without it (its tick strings switch to "%g"
    from 10,000: 2500, 1e+12)."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        if axis is not None:
            axis.enableAutoSIPrefix(False)
    for axis in more:
        axis.enableAutoSIPrefix(False)


#: A colour key's bar width and its axis's (its numbers), in px at presentation mode's scale 1:
#: pyqtgraph fixes the axis at 45 px, and presentation mode's larger numbers ran over the
#: title beside them (fit_colour_bar).
COLOUR_BAR_WIDTH, COLOUR_BAR_AXIS = 14, 45
#: px between a horizontal key and the axis title above it (which has air of its own)
COLOUR_BAR_GAP = 4


def colour_bar(plot_item, cmap, title: str, image=None,
               orientation: str = "vertical") -> tuple[pg.ColorBarItem, pg.LabelItem]:
    """A colour key of ``plot_item``'s view, as the Landscape's map and the Regions' plane
    show theirs: a bar of ``cmap`` with its numbers as they are (no SI prefix) and ``title``.
    Vertical: right of the view, its numbers on its right, the title under it in the bottom
    axis's row (HTML: narrow, the bar's column takes the plot's width). Horizontal: under the
    view and its bottom axis, in the view's column (it takes height, not width: an
    aspect-locked plot in a narrow column lost a third of its width to a vertical key), its
    numbers under it and the title on a line under them, with no say in the column's width
    (the caller fits its text). With ``image`` the bar sets its colours and levels; without,
    it is a key alone (a picture the caller shades itself), its numbers set by ``setLevels``."""
    horizontal = orientation == "horizontal"
    bar = pg.ColorBarItem(values=(0, 1), colorMap=cmap, interactive=False,
                          width=COLOUR_BAR_WIDTH, colorMapMenu=False, pen="#888",
                          orientation=orientation)
    label = pg.LabelItem(title, justify="center")
    if horizontal:
        # Its numbers thinned where they would touch (a bar ~200 px long in presentation
        # mode), as a narrow plot's bottom axis's are.
        axis = SparseAxis("bottom")
        bar.setAxisItems({"bottom": axis})
        axis.setStyle(showValues=True)
        axis.unlinkFromView()  # the levels' numbers, not the bar's 0..256 pixels
        axis.setRange(*bar.values)
        bar.axis = axis
        if image is not None:
            bar.setImageItem(image)
        plot_item.layout.addItem(bar, 5, 1)  # where setImageItem(insert_in=) puts it
        plot_item.layout.setRowFixedHeight(4, COLOUR_BAR_GAP)
        plot_item.layout.addItem(label, 6, 1)
        no_least_width(label)  # (no say in the view's width)
        label.setPreferredWidth(0)
    else:
        if image is not None:
            bar.setImageItem(image, insert_in=plot_item)
        else:  # where setImageItem puts it: right of the right axis, a little apart
            plot_item.layout.addItem(bar, 2, 5)
            plot_item.layout.setColumnFixedWidth(4, 5)
        plot_item.layout.addItem(label, 3, 5)
    plain_axes(plot_item, bar.axis)
    return bar, label


def fit_colour_bar(bar: pg.ColorBarItem, scale: float) -> None:
    """``bar``'s numbers their room at presentation mode's ``scale``: a vertical bar's axis as
    wide as they are; a horizontal bar's ends inset by half the widest end's number, so that
    its first and last numbers are drawn whole over the bar (pyqtgraph hides one that
    reaches past the axis' ends: the "0" went) and inside the view's column. (Its axis's
    height follows its font; SparseAxis keeps its numbers apart along it.)"""
    axis = bar.axis
    if not bar.horizontal:
        width = round(COLOUR_BAR_AXIS * scale)
        if axis.width() != width:
            axis.setWidth(width)
        return
    fm = QFontMetrics(axis.style["tickFont"] or QFont())
    ends = [f"{v:.3g}" for v in bar.levels()]  # ("26.4" for 26.37: as wide as its "25")
    inset = math.ceil(max(fm.horizontalAdvance(t) for t in ends) / 2) + 2
    if axis.style["hideOverlappingLabels"] != inset:
        axis.setStyle(hideOverlappingLabels=inset)
    if bar.layout.getContentsMargins()[0] != inset:
        bar.layout.setContentsMargins(inset, 1, inset, 1)


def move_points(item: pg.ScatterPlotItem, x, y) -> None:
    """Move ``item``'s points to ``x``, ``y`` keeping their looks (``setData`` when their number
    changed).

    ``setData`` throws the points away and looks each new one's style up in pyqtgraph's symbol
    atlas again, a Python loop over the points even when they all share one brush: ~1.5 ms a
    thousand points, the largest cost of a hidden-space frame of 5,000 points. Moving them is
    what ``addPoints`` does after that lookup: the new coordinates, the bounds, a repaint.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(item.data) != len(x) or len(x) != len(y):
        item.setData(x, y)
        return
    item.data["x"] = x
    item.data["y"] = y
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item.invalidate()
    item.sigPlotChanged.emit(item)


def scale_axes(axes, font, scale: float) -> None:
    """pyqtgraph axes' tick numbers and titles in ``font`` at ``scale`` times its size (their
    own font does not follow the widget's)."""
    from PySide6.QtGui import QFont
    f = QFont(font)
    f.setPointSizeF(QFont().pointSizeF() * scale)
    for ax in axes:
        old = ax.style["tickFont"] or QFont()
        ax.setStyle(tickFont=f)
        ax.label.setFont(f)
        # The room for the numbers at their new size now: pyqtgraph measures them only as it
        # paints the axis, and an axis out of sight as presentation mode came on kept the
        # normal numbers' width; its first frame drew "-0.5" and "0.5" over its title "x2".
        grow = f.pointSizeF() / old.pointSizeF() if old.pointSizeF() > 0 else 1.0
        if ax.orientation in ("left", "right"):
            ax._updateMaxTextSize(ax.textWidth * grow)
        else:
            # (a SparseAxis of names in two rows keeps one row's height)
            ax._updateMaxTextSize((getattr(ax, "_one_row", None) or ax.textHeight) * grow)
        ax.picture = None
        ax.update()


class PlaneHeights(QObject):
    """Keeps plots of the input plane no taller than drawing them 1:1 needs (a unit of x1 as
    long as a unit of x2): in a tall cell the moons were stretched ~1.8x. Each plot's height
    follows its width and its view's range (call ``fit`` when the range changes); the other
    rows take the rest of the height."""

    def __init__(self, view, plots, linked: bool = False, extent=None) -> None:
        """``linked``: the plots show one plane (linked axes): the first one's height is
        everyone's (a linked view's range depends on the others' sizes). ``extent``: the
        (width, height) of the plane to show, for plots whose aspect is locked (their range
        grows with a cell wider than 1:1, so it cannot tell the plane's shape)."""
        super().__init__(view)
        self.view = view
        self.plots = list(plots)
        self.linked = linked
        self.extent = extent
        view.installEventFilter(self)

    def _later(self, *_) -> None:
        QTimer.singleShot(0, self, self.fit)  # gone with the view, if it goes first

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize:
            self._later()  # after the layout has given the columns their width
        return False

    def fit(self) -> None:
        changed = False
        for plot in self.plots[:1] if self.linked else self.plots:
            vb = plot.getViewBox()
            (x0, x1), (y0, y1) = ((0, self.extent[0]), (0, self.extent[1])) if self.extent \
                else vb.viewRange()
            around_w = plot.width() - vb.width()
            around_h = plot.height() - vb.height()
            if plot.width() <= around_w or x1 <= x0 or y1 <= y0:
                continue
            height = around_h + (plot.width() - around_w) * (y1 - y0) / (x1 - x0)
            if abs(plot.maximumHeight() - height) > 1:
                for p in self.plots if self.linked else [plot]:
                    p.setMaximumHeight(height)
                changed = True
        if changed:  # one plot's new height may move the others (linked axes): once more
            self._fill_view()
            self._later()

    def _fill_view(self) -> None:
        """The view's layout at the view's size again: pyqtgraph sizes it only on the view's
        resize, to at most the rows' most heights of that moment. Lesson 5 first shown in a
        1024x768 presentation window (its planes' heights fitted to the narrow columns of the
        first pass) kept a figure 648 px high in its 1,120 px view, each plane 72 px high."""
        central = getattr(self.view, "centralWidget", None)
        if central is not None and getattr(self.view, "autoPixelRange", False):
            central.setGeometry(self.view.range)


def shown_class_names(names, k: int) -> tuple[str, ...]:
    """The names of ``k`` (at least 2) classes to show: ``names`` (an imported file's own:
    apple, lemon, ...), else "class 0", "class 1", .... Names that are only the classes'
    numbers in order ("0", "1": the labels of y in ``nnviz.train(X, y)``, kept in the session
    that ``run.save`` writes, or a CSV's 0/1) say no more than the default and are shown as it
    is: the same session showed "0 / 1 ... P(1)" through File > Open and "class 0 / class 1 ...
    P(class 1)" through ``nnviz.show``. A file's other numbers (1 and 2) are its own names."""
    k = max(k, 2)
    names = tuple(str(n) for n in names or ())
    if len(names) >= k and names[:k] != tuple(str(i) for i in range(k)):
        return names[:k]
    return tuple(f"class {i}" for i in range(k))


def class_names_of(window, k: int) -> tuple[str, ...]:
    """The names of ``k`` classes for a view's key: the window's (an imported file's own, see
    MainWindow.class_names), else "class 0", "class 1", ... (a view without a window, or
    labels beyond the window's names)."""
    names = window.class_names() if hasattr(window, "class_names") else ()
    return shown_class_names(names, k)


def data_names_of(widget) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(inputs, classes): the names of the data's raw inputs ("width", "height" of an imported
    file; () for x1, x2) and of its classes (() for "class 0", ...) in ``widget``'s window,
    for the views that label inputs and outputs (the Network and Neurons views said x1, x2
    and class 0 where the settings said width, height and Hidden space apple)."""
    # QWidget.window(): a widget is not sure to leave the method unshadowed
    window = QWidget.window(widget) if widget is not None else None
    data = getattr(window, "dataset", None)
    if data is None:
        return (), ()
    from nnviz.core.csvdata import input_names
    names = window.class_names() if hasattr(window, "class_names") else ()
    numbered = tuple(f"class {i}" for i in range(len(names)))
    return input_names(data), (() if names == numbered else tuple(names))


def letterbox(plot_widget, aspect: float | None, margins: tuple[float, float, float, float]) -> None:
    """Margins around a pyqtgraph PlotWidget's plot so that its view box is ``aspect`` (data
    width / height) wide for its height: with the aspect locked 1:1 the view shows the data
    and no blank bands, the widget's spare room left and right (or above and below).
    ``aspect`` None: the plain ``margins``."""
    pi = getattr(plot_widget, "plotItem", None)  # pyqtgraph resizes while it is being built
    if pi is None:
        return
    before = pi.layout.getContentsMargins()
    try:
        _letterbox(plot_widget, pi, aspect, margins)
    finally:
        if pi.layout.getContentsMargins() != before:
            # The margins are blank: the plot drawn there before (a square XOR plane where the
            # moons' wide one now is, after a Promote) stayed on the screen until another tab
            # was shown (two reviewers). The whole view is painted again.
            plot_widget.viewport().update()


def _letterbox(plot_widget, pi, aspect, margins) -> None:
    if aspect is None or plot_widget.width() < 50 or plot_widget.height() < 50:
        pi.layout.setContentsMargins(*margins)
        _fill(plot_widget, pi)
        return
    vb = pi.getViewBox()
    left, top, right, bottom = pi.layout.getContentsMargins()
    axes_w = pi.size().width() - left - right - vb.size().width()
    axes_h = pi.size().height() - top - bottom - vb.size().height()
    room_w = plot_widget.width() - axes_w - margins[0] - margins[2]
    room_h = plot_widget.height() - axes_h - margins[1] - margins[3]
    if room_w < 20 or room_h < 20:
        return
    w = min(room_w, room_h * aspect)
    dw, dh = (room_w - w) / 2, (room_h - w / aspect) / 2
    pi.layout.setContentsMargins(margins[0] + dw, margins[1] + dh, margins[2] + dw,
                                 margins[3] + dh)
    _fill(plot_widget, pi)


def _fill(plot_widget, pi) -> None:
    """The plot as large as its widget again, under its new margins: pyqtgraph sized it on the
    resize, but no smaller than the old margins allowed, so after a shrink (a window made
    narrower) it stuck out of the widget, its colour bar out of sight and its view box no longer
    at the data's aspect."""
    size = QRectF(0, 0, plot_widget.width(), plot_widget.height())
    if pi.geometry() != size:
        pi.setGeometry(size)


class Letterboxed(QObject):
    """Keeps ``letterbox`` applied to a PlotWidget as it is resized; ``set_aspect`` changes it.

    ``fit_height``: the widget is also kept no taller than its width and the aspect need (its
    maximum height), so that in a tall, narrow column the plot sits at the top with the rest
    of the column below it, instead of a thin band in the middle of a tall blank plot (review
    r28 F3: the Network view's output map, ~220x100 px centred in a 220x460 px plot)."""

    def __init__(self, plot_widget, margins=(2, 2, 2, 2), fit_height: bool = False) -> None:
        super().__init__(plot_widget)
        self.widget, self.margins, self.aspect = plot_widget, margins, None
        self.fit_height = fit_height
        self._least_height = plot_widget.minimumHeight()
        plot_widget.installEventFilter(self)

    def set_aspect(self, aspect: float | None) -> None:
        self.aspect = aspect
        self.widget.getPlotItem().getViewBox().setAspectLocked(aspect is not None)
        self._fit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._fit)  # gone with the widget, if it goes first
        return False

    def _fit(self) -> None:
        if self.fit_height:
            self._fit_height()
        letterbox(self.widget, self.aspect, self.margins)

    def _fit_height(self) -> None:
        w = self.widget
        pi = getattr(w, "plotItem", None)
        if pi is None:
            return
        if self.aspect is None:
            w.setMinimumHeight(self._least_height)
            w.setMaximumHeight(_NO_MOST)
            return
        vb = pi.getViewBox()
        left, top, right, bottom = pi.layout.getContentsMargins()
        axes_w = pi.size().width() - left - right - vb.size().width()
        axes_h = pi.size().height() - top - bottom - vb.size().height()
        room_w = w.width() - axes_w - self.margins[0] - self.margins[2]
        if room_w < 20:
            return
        height = math.ceil(axes_h + self.margins[1] + self.margins[3] + room_w / self.aspect)
        w.setMinimumHeight(min(self._least_height, height))
        if abs(w.maximumHeight() - height) > 1:
            w.setMaximumHeight(height)


def _laid_out_lines(document) -> int:
    """The lines a QTextDocument is laid out in (its lineCount() counts its paragraphs)."""
    n, block = 0, document.begin()
    while block.isValid():
        n += block.layout().lineCount() if block.layout() is not None else 1
        block = block.next()
    return n


class SparseAxis(pg.AxisItem):
    """A bottom axis that labels every k-th of pyqtgraph's ticks where their numbers would
    touch: lesson 4's five narrow plots (presentation mode at 1024 px) printed "-2 0 2" as
    "-202".

    Named ticks (``setTicks`` with one level of (value, text)) are thinned the same way, every
    k-th counted back from the last (the Gradients view's "out" stays named), the others kept
    as unnamed tick marks: pyqtgraph draws given ticks all, and nine layers' "h1 h2 ... out"
    ran together as "h2h3h4h5h6h7h8" in presentation mode (its first and last were hidden, as
    sticking out past the axis' ends: the axis here reaches half a name further each side)."""

    _names: dict[float, str] | None = None  # value -> text of the named ticks
    _named: frozenset = frozenset()  # the values whose names are drawn
    _picked_from: dict = {}  # a thinned step -> the step its numbers were picked from
    #: Names that may not be thinned (categories: an activation left unnamed is not told by
    #: its neighbours, as a seed between 3 and 5 is): where they would touch on one line,
    #: every other one goes on a second line; thinned only where two lines are too few.
    stagger = False
    _rows = 1  # the lines the names take (2: staggered)
    _one_row = 0  # the height of a line of names (pyqtgraph's measure)

    def setTicks(self, ticks) -> None:  # noqa: N802 (pyqtgraph)
        self.prepareGeometryChange()  # the overhang (boundingRect) follows the names
        if ticks is not None and len(ticks) == 1 and ticks[0]:
            self._names = {float(v): str(t) for v, t in ticks[0]}
            super().setTicks(None)
        else:
            self._names = None
            super().setTicks(ticks)

    def setStyle(self, **kwargs) -> None:  # noqa: N802 (pyqtgraph)
        if "tickFont" in kwargs:
            self.prepareGeometryChange()
        super().setStyle(**kwargs)

    def _name_overhang(self) -> float:
        """How far past the axis' ends its names may reach: half the widest and a little."""
        if not self._names:
            return 0.0
        fm = QFontMetrics(self.style["tickFont"] or QFont())
        return max(fm.horizontalAdvance(t) for t in self._names.values()) / 2 + 2

    def boundingRect(self):  # noqa: N802 (Qt)
        rect = super().boundingRect()
        m = self._name_overhang()
        return rect.adjusted(-m, 0, m, 0) if m else rect

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph)
        if self._names is None:
            # The decimals of the step the numbers were picked from, not of their thinned
            # step: every other 0.5 of -1..1 kept -0.5 and 0.5, a step of 1 and no decimals,
            # "-0 0" (the Landscape map at 1024x768 and text size 150%, review r21 F9).
            spacing = self._picked_from.get(spacing, spacing)
            return super().tickStrings(values, scale, spacing)
        return [self._names.get(v, "") if v in self._named else "" for v in values]

    def _named_ticks(self, minVal, maxVal, size):
        values = sorted(v for v in self._names if minVal <= v <= maxVal)
        if len(values) < 2 or not maxVal > minVal or size <= 0:
            self._named = frozenset(values)
            self._set_rows(1)
            return [(1.0, values)]
        fm = QFontMetrics(self.style["tickFont"] or QFont())
        half = {v: fm.horizontalAdvance(self._names[v]) / 2 for v in values}
        air = fm.horizontalAdvance(" ") + 2  # between two names: a space and a little
        px = size / (maxVal - minVal)

        def apart(k: int) -> bool:
            # neighbours by their own widths: the widest name's width between every two left
            # "h1 h2 h3 out" (four names in 150 px of a projector's Gradients view) as "h1 out"
            kept = values[::-1][::k][::-1]
            return all((b - a) * px >= half[a] + half[b] + air for a, b in zip(kept, kept[1:]))
        every = next((k for k in range(1, len(values)) if apart(k)), len(values))
        self._set_rows(1)
        if every > 1 and self.stagger and all(
                (c - a) * px >= half[a] + half[c] + air for a, c in zip(values, values[2:])):
            self._set_rows(2)
            self._named = frozenset(values)
            self.setToolTip("")
            return [(min(b - a for a, b in zip(values, values[1:])), values)]
        # Both ends named where a step up to twice as long allows it ("h1 h5 out" rather than
        # "h3 h6 out"), else counted back from the last.
        every = next((k for k in range(every, 2 * every + 1)
                      if (len(values) - 1) % k == 0 and apart(k)), every)
        gap = min(b - a for a, b in zip(values, values[1:]))
        kept = values[::-1][::every][::-1]
        self._named = frozenset(kept)
        rest = [v for v in values if v not in self._named]
        if self.stagger:  # too many categories even on two lines: all of them, on hovering
            self.setToolTip("In order: " + ", ".join(self._names[v] for v in values)
                            if rest else "")
        return [(gap * every, kept)] + ([(gap, rest)] if rest else [])

    def _set_rows(self, rows: int) -> None:
        if rows != self._rows:
            self._rows = rows
            if self._one_row:
                self._updateMaxTextSize(self._one_row)  # the axis as tall as its lines

    def _updateMaxTextSize(self, x: int):  # noqa: N802 (pyqtgraph)
        self._one_row = x
        super()._updateMaxTextSize(x if self._rows == 1 else 2 * x + 2)

    def _updateHeight(self):  # noqa: N802 (pyqtgraph)
        super()._updateHeight()
        # pyqtgraph makes room for 0.8 of its title's height: a title of several lines (the
        # loss plot's key in rows) ran over the tick numbers. Room for it to sit as a line
        # does, its top a pixel under the numbers (pyqtgraph draws it AXIS_TITLE_NUDGE lower).
        if self.isVisible() and self.fixedHeight is None and self.label.isVisible() and \
                _laid_out_lines(self.label.document()) > 1:
            h = self.maximumHeight() + max(
                0.0, 0.2 * self.label.boundingRect().height() - AXIS_TITLE_NUDGE + 1)
            self.setMaximumHeight(h)
            self.setMinimumHeight(h)

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph)
        specs = super().generateDrawSpecs(p)
        if self._rows == 1 or self._names is None:
            return specs
        # every other name (in order along the axis) a line lower
        axis, ticks, texts = specs
        texts = sorted(texts, key=lambda t: t[0].center().x())
        moved = []
        for k, (rect, flags, text) in enumerate(texts):
            if k % 2:
                rect = rect.translated(0, rect.height() + 2)
            moved.append((rect, flags, text))
        return axis, ticks, moved

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph)
        if self._names is not None:
            return self._named_ticks(minVal, maxVal, size)
        self._set_rows(1)
        self._picked_from = {}
        ticks = super().tickValues(minVal, maxVal, size)
        if not ticks or not maxVal > minVal or size <= 0:
            return ticks
        spacing, values = ticks[0]
        if not values or spacing <= 0:
            return ticks
        fm = QFontMetrics(self.style["tickFont"] or QFont())
        widest = max(fm.horizontalAdvance(t) for t in self.tickStrings(values, 1.0, spacing))
        needed = widest + fm.horizontalAdvance("  ")  # a label and some air
        every = math.ceil(needed / (spacing * size / (maxVal - minVal)))
        if every <= 1:
            return ticks
        # Which of every k-th: the one with the most numbers inside the axis' ends (pyqtgraph
        # hides a number that would stick out past an end): keeping the multiples of 2,500 on
        # an epoch axis of 0-2,070 left only the 0, hidden at the edge, and the axis blank.
        # Each number by its own width, with a pixel to spare: the widest's and 6 px more
        # (as every number's) left "400 800" of a 0-1,000 axis 88 px wide out for "600" alone
        # (the Gradients view's "||dL/dW|| per layer" at 1024 x 768: one number on its axis).
        per_px = (maxVal - minVal) / size
        strings = {(v, spacing): t for v, t in zip(values, self.tickStrings(values, 1.0, spacing))}

        def inside(ks: list, step: float = spacing) -> int:
            # each number as written with the decimals of ``step``, the level it is from
            def room(v: float) -> float:
                if (v, step) not in strings:
                    strings[v, step] = self.tickStrings([v], 1.0, step)[0]
                return (fm.horizontalAdvance(strings[v, step]) / 2 + 2) * per_px
            return sum(minVal + room(v) <= v <= maxVal - room(v) for v in ks)
        kept = max(([v for v in values if round(v / spacing) % every == r] for r in range(every)),
                   key=inside)
        if inside(kept) < 2 and len(ticks) > 1 and ticks[1][0] > 0:
            # One number alone says nothing of the scale: two of the finer level's multiples
            # as far apart as the numbers need ("100 400" on a 0-600 axis 88 px wide, where
            # every other 200 kept "0 400" or "200 600", one of each at an edge).
            fine = ticks[1][0]
            grid = [k * fine for k in range(math.ceil(minVal / fine), math.floor(maxVal / fine) + 1)]
            # written with the finer level's decimals ("0.15", not "0.1"): wider, maybe
            wide = max([fm.horizontalAdvance(t) for t in self.tickStrings(grid, 1.0, fine)],
                       default=widest)
            least = max(1, math.ceil((max(widest, wide) + fm.horizontalAdvance("  "))
                                     / (fine * size / (maxVal - minVal))))
            for k in range(least, least + 4):
                best = max(([v for v in grid if round(v / fine) % k == r] for r in range(k)),
                           key=lambda ks: inside(ks, fine))
                if inside(best, fine) >= 2:
                    self._picked_from = {fine * k: fine}
                    return [(fine * k, best)]
        if not inside(kept):  # none fits whole: one number of any level that does, mid-axis
            middle = (minVal + maxVal) / 2
            all_values = [v for _, vs in ticks for v in vs]
            level = {v: min(s for s, vs in ticks if v in vs) for v in all_values}
            kept = [min(all_values, key=lambda v: (not inside([v], level[v]), abs(v - middle)))]
            self._picked_from = {spacing * every: level[kept[0]]}
        else:
            self._picked_from = {spacing * every: spacing}
        return [(spacing * every, kept)]


class LogAxis(pg.AxisItem):
    """A y axis whose log scale stays readable. pyqtgraph labels every tick between two decades
    (0.2, 0.3, ... 0.9), which print over each other on a short plot: here only 1, 2 and 5 x
    10^k are labelled, and only the decades when those would touch. And where that leaves
    fewer than two numbers whole inside the axis (values closer than one tick apart,
    "||dL/dW|| by layer, now" of layers alike, where pyqtgraph gives no tick at all; or less
    than a decade, 0.24 to 0.35, with a 2 x 10^k only at an end) evenly spaced values are
    labelled instead, with the digits that tell them apart.

    pyqtgraph's log ticks give the decades twice, as the major ticks and again among the minor
    ones (1 x 10^k of 1..9 x 10^k): both were labelled, '0.01' drawn twice at one place (it
    looked bold, 'update / weight' of the Gradients tab). A value is kept in its coarsest
    level only."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph)
        """On a linear scale, numbers at least a line and a half apart: pyqtgraph spaces them by
        the axis' length alone, and the loss plot ~75 px high in presentation mode (an exercise
        open at 1024x768) printed 0.2, 0.4, 0.6, 0.8 over each other. Where that step leaves
        fewer than two numbers whole inside the axis, a line apart: the sharpness plot ~55 px
        high in presentation mode had a step of 2 over 0 to 2.2, its 0 and 2 at the ends, where
        pyqtgraph leaves a cut number out, and no number at all."""
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.logMode or self.orientation not in ("left", "right") or not levels \
                or not size > 0 or not maxVal > minVal:
            return levels
        line = QFontMetrics(self.style["tickFont"] or QFont()).height()
        per_px = (maxVal - minVal) / size
        if levels[0][0] >= 1.5 * line * per_px:
            return levels
        half = 0.4 * line * per_px  # nearer an end a number is cut (pyqtgraph: 0.8 line high)

        def whole(step: float) -> int:
            return max(0, math.floor((maxVal - half) / step) - math.ceil((minVal + half) / step)
                       + 1)
        steps = [_round_step(apart * line * per_px) for apart in (1.5, 1.0)]
        return [(max(steps, key=lambda st: min(whole(st), 2)), 0)]  # the first of equals

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph)
        ticks = super().tickValues(minVal, maxVal, size)
        self._fine = False
        if not self.logMode:
            return ticks
        ticks = _once_each(ticks)
        lo, hi = sorted((minVal * self.scale, maxVal * self.scale))
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo and size > 0):
            return ticks
        line = QFontMetrics(self.style["tickFont"] or QFont()).height()
        per_decade = size / (hi - lo)  # pixels
        # Two numbers at least, whole inside the axis (pyqtgraph leaves out one cut at an end):
        # a loss between 0.24 and 0.35 had 0.3 and 0.2 as ticks, the 0.3 not labelled (not 1,
        # 2 or 5 x 10^k) and the 0.2 at the bottom edge, and no number at all on the axis
        # (Compare, r19 #18). One number alone does not give a log scale either.
        half = 0.4 * line / per_decade  # decades: nearer an end a number is cut
        keep = _labelled_mantissas(per_decade, line)
        labelled = [v for _, values in ticks for v in values
                    if lo + half <= v <= hi - half and _mantissa_in(v, keep)]
        if len(labelled) >= 2:
            return ticks
        # Evenly spaced values instead, with the digits that tell them apart: as many as stand
        # a line and a half apart (or one, in a short plot) where they are closest, at the top.
        values = _even_values(10.0 ** (lo + half), 10.0 ** (hi - half), per_decade, line)
        if values is None:
            return ticks
        self._fine = True
        return [(None, [math.log10(v) / self.scale for v in values])]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph)
        if getattr(self, "_fine", False):
            numbers = [10.0 ** v * scale for v in values]
            for digits in range(2, 8):  # enough digits to tell the labels apart
                texts = [f"{x:.{digits}g}" for x in numbers]
                if len(set(texts)) == len(texts):
                    return texts
            return texts
        strings = super().logTickStrings(values, scale, spacing)
        lo, hi = self.range
        per_decade = self.size().height() / max(hi - lo, 1e-9)  # pixels
        keep = _labelled_mantissas(per_decade,
                                   QFontMetrics(self.style["tickFont"] or QFont()).height())
        shown = [bool(text) and _mantissa_in(v, keep) for v, text in zip(values, strings)]
        numbers = [float(f"{10.0 ** v * scale:.1g}") for v in values]
        # One form per axis: plain numbers where the whole axis is between 0.001 and 10,000
        # ("200", "50", where pyqtgraph wrote "2·10²", "5·10¹"), else powers of ten for all
        # (its "1" and "0.1" beside "10¹" and "10⁻²" read as two scales). Decided by the
        # axis' range, not by these values: the major and the minor ticks come in two calls.
        plain = (PLAIN_LOG_LABELS[0] <= 10.0 ** min(lo, hi) * scale * (1 + 1e-6)
                 and 10.0 ** max(lo, hi) * scale < PLAIN_LOG_LABELS[1])
        return [(f"{x:g}" if plain else power_of_ten(x)) if keep_it else ""
                for x, keep_it in zip(numbers, shown)]


def _labelled_mantissas(per_decade: float, line: float) -> tuple[float, ...]:
    """The m of m x 10^k a log axis labels with ``per_decade`` pixels a decade: 1, 2 and 5
    where they stand a line apart (log10(2), 30% of a decade, is the smallest step between
    them), else the decades alone."""
    return (1.0, 2.0, 5.0) if per_decade * 0.3 >= line else (1.0,)


def _mantissa_in(v: float, keep: tuple[float, ...]) -> bool:
    """Whether 10^v is one of ``keep`` x 10^k."""
    m = 10 ** (v - math.floor(v + 1e-9))
    return any(abs(m - k) < 1e-6 * k for k in keep)


def _even_values(a: float, b: float, per_decade: float, line: float) -> list[float] | None:
    """Multiples of one step (1, 2 or 5 x 10^k) between ``a`` and ``b`` (> 0) for a log axis
    of ``per_decade`` pixels a decade: the smallest step whose values stand a line and a half
    apart where they are closest (the largest two; as the linear axis' numbers, tickSpacing)
    and two lines apart on average (0.22, 0.23, ... 0.29 on a plot 220 px high was a column
    of numbers); else one line apart; at least two values. None where no two fit."""
    if not (b > a > 0):
        return None
    step = 10.0 ** math.floor(math.log10((b - a) / 20))
    tight = None
    for _ in range(12):
        for m in (1, 2, 5):
            s = m * step
            ks = range(math.ceil(a / s - 1e-9), math.floor(b / s + 1e-9) + 1)
            if len(ks) < 2:
                return tight
            values = [k * s for k in ks]
            gap = per_decade * math.log10(values[-1] / values[-2])
            room = per_decade * math.log10(b / a) + line  # from the first's top to the last's
            if gap >= 1.5 * line and len(values) <= max(2.0, room / (2 * line)):
                return values
            if gap >= line and tight is None:
                tight = values
        step *= 10
    return tight


def _round_step(least: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is at least ``least``."""
    step = 10.0 ** math.floor(math.log10(least))
    return next((m * step for m in (1, 2, 5) if m * step >= least * (1 - 1e-9)), 10 * step)


PLAIN_LOG_LABELS = (1e-3, 1e4)  # a log axis whose labels all lie in here prints them plainly
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(x: float) -> str:
    """``x`` (one significant digit) as m·10^k: "10³", "2·10⁻⁴", "5·10⁰"."""
    if x <= 0 or not math.isfinite(x):
        return f"{x:g}"
    k = math.floor(math.log10(x) + 1e-9)
    m = round(x / 10.0 ** k)
    if m >= 10:
        m, k = 1, k + 1
    return ("" if m == 1 else f"{m}·") + "10" + str(k).translate(_SUPERSCRIPTS)


def _once_each(levels):
    """Tick levels [(spacing, values)], a value of a finer level dropped where a coarser level
    has it already (to a millionth of a decade)."""
    seen: set[int] = set()
    out = []
    for spacing, values in levels:
        kept = [v for v in values if round(float(v) * 1e6) not in seen]
        seen.update(round(float(v) * 1e6) for v in kept)
        out.append((spacing, kept))
    return out


TITLE_PT, MIN_TITLE_PT = 11.0, 7.0  # pyqtgraph's title size; the smallest a title becomes
# What pyqtgraph's 30 px title row leaves beside a line of TITLE_PT (26 px with its margins):
# FittedTitles' growing rows keep it, at the text's scale, around their tallest title.
TITLE_PAD_PX = 4.0


def auto_button_once_moved(plot) -> None:
    """pyqtgraph's "A" (auto-range) button on ``plot`` (a PlotItem) only once the user has
    dragged or zoomed it, as the way back, and gone again when pressed. pyqtgraph showed it
    whenever the mouse was over a plot whose range was set rather than auto (lesson 5's
    planes): a stray "A" in a corner that no newcomer could read (review r29 L4)."""
    plot.hideButtons()
    plot.autoBtn.setToolTip("Back to the whole plot")
    plot.getViewBox().sigRangeChangedManually.connect(lambda *_: plot.showButtons())
    plot.autoBtn.clicked.connect(lambda *_: plot.hideButtons())


def no_least_width(label) -> None:
    """``label`` (a pyqtgraph LabelItem) with no minimum width: pyqtgraph makes its text's
    width its minimum at every setText, and its plot's column (a title's, a key's under a
    plot) could then not be narrower than the words."""
    update_min = label.updateMin

    def no_min() -> None:
        update_min()
        label.setMinimumWidth(0)
    label.updateMin = no_min
    no_min()


def fit_title(plot, columns: int = 3) -> None:
    """A plot's title no wider a minimum than nothing, and centred over the whole plot (axis
    included; ``columns``: the plot's layout columns it spans): pyqtgraph gives a title its
    text's width as the plot's minimum, and titled plots side by side overflowed their view (the
    third cut off at the edge). FittedTitles sets a title that does not fit smaller."""
    label = plot.titleLabel
    label.nnviz_fitted = True  # FittedTitles sizes it, presentation mode's scale included
    no_least_width(label)
    plot.layout.removeItem(label)
    plot.layout.addItem(label, 0, 0, 1, columns)


def loose_title(plot, columns: int = 3) -> None:
    """``plot``'s title over its first ``columns`` layout columns (its axes and colour bar
    included), with no say in its column's width, minimum or preferred: pyqtgraph makes a
    title's text width both, and those pushed plots out of a narrow view (the Landscape's right
    column, the Regions view's count plot, at 1024x768 beside the settings). Whoever sets the
    title sizes its text to the width the column gets (or breaks its lines)."""
    # fit_title drops the minimum (pyqtgraph's updateMin sets only that); the preferred width
    # is an explicit one
    plot.titleLabel.setPreferredWidth(0)
    fit_title(plot, columns)


def _title_room(plot, label, height: float | None = None) -> None:
    """The title's row as tall as its text, or ``height`` (pyqtgraph's setTitle fixes it at
    30 px: two lines of presentation mode's size ran over the plot below, the Regions view's
    titles)."""
    layout = getattr(plot, "layout", None)
    if layout is None or not hasattr(layout, "setRowFixedHeight"):
        return
    if height is None:
        height = max(30.0, math.ceil(label.item.boundingRect().height()))
    if label.maximumHeight() != height:
        label.setMaximumHeight(height)
        layout.setRowFixedHeight(0, height)


def centre_lines(label) -> None:
    """A pyqtgraph LabelItem's lines centred on each other (its text item left-aligns them),
    and the text centred again in the label at its new width: call it after ``setText``."""
    doc = label.item.document()
    option = doc.defaultTextOption()
    option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    doc.setDefaultTextOption(option)
    # Measured unwrapped: at the width kept from a smaller size the words broke mid-word
    # ("weight" over "s" in the Gradients view, presentation mode at 1400x900).
    label.item.setTextWidth(-1)
    label.item.setTextWidth(doc.idealWidth())
    # The LabelItem places its text (and takes its size) only on a resize or a setText, which
    # measured the text at the width kept from before: the Compare key sat 57 px right of
    # centre, past the plot's edge; a Gradients title 16 px past its plot's right edge.
    label.resizeEvent(None)


class FittedTitles(QObject):
    """Sets the titles of a GraphicsLayoutWidget's plots smaller when they do not fit their
    plot's width (down to MIN_TITLE_PT), whenever the view is resized. ``two_lines``: a title
    that would shrink by more than TWO_LINES_BELOW is broken in two lines instead, where that
    is larger (the Gradients view's six titles were ~9 pt beside ~15 pt axes on a projector).
    ``more``: other plot widgets (a PlotWidget each) whose titles take the same size.
    ``grow``: the titles' rows grow to hold their text, all to the tallest's (pyqtgraph fixes
    them at 30 px; the views whose height is spoken for, the lessons' planes, keep that)."""

    TWO_LINES_BELOW = 0.8  # of the title's full size

    def __init__(self, view, two_lines: bool = False, more=(), grow: bool = False) -> None:
        super().__init__(view)
        self.view = view
        self.views = (view, *more)
        self.two_lines, self.grow = two_lines, grow
        for v in self.views:
            v.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self.fit)  # gone with the view, if it goes first
        return False

    def fit(self) -> None:
        # Presentation mode's scale (nnviz.gui.presentation.scale_scene): the titles start
        # and end that much larger; the scaling leaves these titles to this fitting.
        scale = float(self.view.property("nnvizScale") or 1.0)
        titled = []
        items = [i for v in self.views
                 for i in (v.ci.items if hasattr(v, "ci") else [v.getPlotItem()])]
        for item in items:
            label = getattr(item, "titleLabel", None)
            text = label.text if label is not None else ""
            if text and text == getattr(label, "nnviz_shown", None):
                text = label.nnviz_plain  # broken in two lines here: the title is its words
            if text and item.isVisible() and item.width() > 0:  # not laid out: no say
                titled.append((item, label, text))
        common, texts = self._sizes([(item.width(), text) for item, _, text in titled], scale)
        shown = {id(label): show for (_, label, _), show in zip(titled, texts)}
        for item, label, text in titled:
            label.nnviz_fitted = True
            show = shown[id(label)]
            if label.opts.get("size") != f"{common:g}pt" or label.text != show:
                label.setText(show, size=f"{common:g}pt")
                centre_lines(label)
            label.nnviz_plain, label.nnviz_shown = text, show
        if self.grow and titled:
            # One height for all, the tallest title's: each its own, a two-line title's plot
            # began lower than its one-line neighbour's (the Gradients view's "weights" beside
            # "activations on / the training data"). Room around the text as pyqtgraph's
            # 30 px leave a line at the normal size, at the scale: at 150% the rows' text met
            # (the top row's "epoch" 2-5 px over the Gradients view's two-line titles).
            pad = TITLE_PAD_PX * scale
            height = max(30.0 * scale, *(math.ceil(label.item.boundingRect().height() + pad)
                                         for _, label, _ in titled))
            for item, label, _ in titled:
                _title_room(item, label, height)

    def _sizes(self, titled, scale: float) -> tuple[float, list[str]]:
        """The titles' common size and their texts as shown (broken in two lines or not), for
        ``titled``: (width of the plot, title) pairs."""
        # One size for all: the largest every title fits at (lesson 5's "Rounded Predictions"
        # was smaller than its neighbours, as if less important).
        common = min((self._fitted(width, text, scale) for width, text in titled),
                     default=TITLE_PT * scale)
        shown = [text for _, text in titled]
        if self.two_lines and common < self.TWO_LINES_BELOW * TITLE_PT * scale:
            halves = [self._halves(text) for _, text in titled]
            # at most that size: two lines of a larger one took the plots' height
            broken = min([self._fitted(width, max(h, key=len), scale)
                          for (width, _), h in zip(titled, halves)]
                         + [self.TWO_LINES_BELOW * TITLE_PT * scale])
            if broken > common:
                common = broken
                shown = ["<br>".join(h) for h in halves]
        return common, shown

    def row_height(self, items, width: float) -> float:
        """The height of the title rows of ``items`` (plots titled, fitted by this) if each
        were ``width`` wide: as :meth:`fit` would make them (pyqtgraph's fixed 30 px without
        ``grow``). For an arrangement that weighs plots' sizes before it sets them."""
        scale = float(self.view.property("nnvizScale") or 1.0)
        titled = []
        for item in items:
            label = getattr(item, "titleLabel", None)
            text = label.text if label is not None else ""
            if text and text == getattr(label, "nnviz_shown", None):
                text = label.nnviz_plain
            if text:
                titled.append((label, text))
        if not titled:
            return 0.0
        if not self.grow:
            return 30.0
        common, shown = self._sizes([(width, text) for _, text in titled], scale)
        tallest = 0.0
        for (label, _), text in zip(titled, shown):
            doc = QTextDocument()
            doc.setDefaultFont(label.item.font())
            doc.setHtml(f"<span style='font-size:{common:g}pt'>{text}</span>")
            doc.setTextWidth(-1)
            tallest = max(tallest, doc.size().height())
        return max(30.0 * scale, math.ceil(tallest + TITLE_PAD_PX * scale))

    @staticmethod
    def _halves(text: str) -> tuple[str, ...]:
        """``text`` in two lines at the space nearest its middle (one line: no space)."""
        spaces = [i for i, c in enumerate(text) if c == " "]
        if not spaces:
            return (text,)
        cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
        return text[:cut], text[cut + 1:]

    @staticmethod
    def _fitted(width: float, text: str, scale: float) -> float:
        """The largest title size (TITLE_PT * scale at most) at which ``text`` fits ``width``."""
        size = TITLE_PT * scale
        font = QFont()
        # The floor grows half as much: three plots side by side on a projector's 1024
        # pixels could not hold their titles at 1.6 times the smallest size.
        while size > MIN_TITLE_PT * (1 + (scale - 1) / 2):
            font.setPointSizeF(size)
            if QFontMetrics(font).horizontalAdvance(text) <= width - 8:
                break
            size -= 0.5
        return size


class CappedScroll(QScrollArea):
    """Words above a plot: as tall as they are at their width, up to ``share`` of the parent's
    height; beyond, they scroll (in presentation mode's larger text they took the plot's
    room). ``share`` None: no cap."""

    def __init__(self, body: QWidget, share: float | None) -> None:
        super().__init__()
        self.share = share
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        body.installEventFilter(self)
        self._watched = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if (t == QEvent.Type.LayoutRequest and obj is self.widget()) or \
                (t == QEvent.Type.Resize and obj is self._watched):
            self.updateGeometry()  # new words, or the parent's new height: another cap
        return False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        parent = self.parentWidget()
        if parent is not None and parent is not self._watched:
            self._watched = parent
            parent.installEventFilter(self)
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        body = self.widget()
        width = max(self.viewport().width(), 200)
        h = body.heightForWidth(width) if body.hasHeightForWidth() else -1
        if h < 0:
            h = body.sizeHint().height()
        page = self.parentWidget()
        cap = int(page.height() * self.share) if page is not None and page.height() > 0 \
            and self.share is not None else h
        return QSize(super().sizeHint().width(), min(h + 2, max(cap, 60)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        if self.share is None:  # uncapped (in a column that scrolls): whole
            return QSize(super().minimumSizeHint().width(), self.sizeHint().height())
        return QSize(super().minimumSizeHint().width(), 60)

    def set_share(self, share: float | None) -> None:
        """The cap, a share of the parent's height; None: no cap (the words whole)."""
        if share != self.share:
            self.share = share
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # wrapped words need another height at another width

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()


class Column(QScrollArea):
    """A column of parts that scrolls as a whole once :meth:`set_scrolling` is on (presentation
    mode's larger text and taller plots on a projector); off, it takes the room its parts ask
    for, as the layout it replaces would (no scroll bar, the same least size)."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.set_scrolling(False)

    def set_scrolling(self, on: bool) -> None:
        self.scrolling = on
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if on
                                        else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if not on:
            self.verticalScrollBar().setValue(0)
        self._bound()
        self.updateGeometry()

    def _bound(self) -> None:
        """Not scrolling: the parts as high as the column, squeezed as a layout squeezes them
        (a scroll area gives its widget the height it prefers, and cut what did not fit)."""
        most = 16777215 if self.scrolling else max(self.viewport().height(), 1)
        if self.widget().maximumHeight() != most:
            self.widget().setMaximumHeight(most)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._bound()
        super().resizeEvent(event)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # The parts' least height changed (the Landscape view's map and plots back to their
        # normal least heights after presentation mode): a scroll area passes no such change
        # up, and its layout item kept the presentation column's 790 px, the window 1,009 px
        # tall after F11, F11 on a screen of 768.
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(obj, event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self.widget().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        least = self.widget().minimumSizeHint()
        if not self.scrolling:
            return least
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(least.width() + bar, 120)


#: How far (px) the current tab may run under a tab bar's scroll arrows and count as whole: Qt
#: scrolls it there (a current Lessons tab ended 2 px past them at 1024 px).
CURRENT_TAB_UNDER_ARROWS = 4


class WholeTabsBar(QTabBar):
    """A tab bar that, scrolled, shows no tab cut at its left end: it scrolls back to that tab's
    start where the current tab stays whole, else (the current tab at the right end) the tabs
    in view share the cut tab's visible part as a little more width each; a tab cut at the
    scroll arrows is pushed out of view the same way.
    Qt scrolls a bar whose tabs do not fit until the current tab's right edge meets the scroll
    arrows, wherever the tab on the left then begins: Compare at 1024 x 768 in presentation mode
    opened with "urons" at the bar's start."""

    #: The tabs not shown whole (out of view past the scroll arrows, or cut): their indexes,
    #: each time they change (a resize, another tab chosen, a click on an arrow).
    hidden_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra: dict[int, int] = {}
        self._fitting = False
        self._fitted_for: tuple | None = None  # (paintEvent)
        self._hidden: list[int] | None = None  # as last told (hidden_changed)
        # The user's click on a scroll arrow: the tabs stay where it scrolled them until the
        # current tab, the width or the font changes. The fit scrolled them straight back (the
        # current tab whole and a tab cut at the start: the left arrow's click undid the
        # right's), and five clicks on the right arrow left Backprop out of view (review r18).
        self._scrolled = False
        for arrow in self.findChildren(QToolButton):  # (Qt's, made with the bar)
            arrow.clicked.connect(self._arrow_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fit)
        self.currentChanged.connect(self._timer.start)
        self.currentChanged.connect(self._unscroll)

    def _arrow_clicked(self) -> None:
        if not self._fitting:  # (not the fit's own click)
            self._scrolled = True

    def _unscroll(self, *_args) -> None:
        self._scrolled = False

    def hidden(self) -> list[int]:
        """The tabs not seen whole: out of view, or cut at the bar's start or its arrows."""
        room = self.room()
        current = self.currentIndex()
        # (the current tab where Qt scrolls it: its end may lie 2 px under the arrows)
        return [i for i in range(self.count())
                if not 0 <= self.tabRect(i).left() <= self.tabRect(i).right() < room
                and not (i == current and 0 <= self.tabRect(i).left()
                         and self.tabRect(i).right() < room + CURRENT_TAB_UNDER_ARROWS)]

    def _tell_hidden(self) -> None:
        hidden = self.hidden()
        if hidden != self._hidden:
            self._hidden = hidden
            self.hidden_changed.emit(hidden)

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 (Qt)
        size = super().tabSizeHint(index)
        extra = self._extra.get(index, 0)
        if extra:
            size.setWidth(size.width() + extra)
        return size

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if not self._fitting:
            if event.oldSize().width() != event.size().width():
                self._scrolled = False  # (Qt scrolled back to the current tab)
            self._timer.start()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._scrolled = False
            self._timer.start()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().paintEvent(event)
        self._tell_hidden()  # (an arrow's scroll repaints the bar, and lays nothing out)
        # Tabs moved without a resize or a new current tab (presentation mode's font applied
        # later, Qt's scroll to the current tab): a tab seen in part is fitted once more, once
        # for each width, current tab and tab layout.
        if self._fitting or self._timer.isActive():
            return
        key = (self.width(), self.currentIndex(), self.tabRect(0).getRect())
        if key != self._fitted_for and self.count() and (self.cut_at_start()
                                                         or self.cut_at_end()):
            self._fitted_for = key
            self._timer.start()

    def tabInserted(self, index: int) -> None:  # noqa: N802 (Qt)
        super().tabInserted(index)
        self._extra = {}
        self._timer.start()

    def tabRemoved(self, index: int) -> None:  # noqa: N802 (Qt)
        super().tabRemoved(index)
        self._extra = {}
        self._timer.start()

    def room(self) -> int:
        """The width the tabs are shown in: up to the scroll arrows, where they are shown."""
        arrows = [b.x() for b in self.findChildren(QToolButton)
                  if b.isVisible() and b.parentWidget() is self]
        return min(arrows, default=self.width())

    def lead(self) -> int:
        """Where the tabs' room begins: scrolled, Qt draws a "tear" over the first few pixels
        (the end of the tab before), and a tab that begins there begins in view."""
        if self.room() >= self.width() or not self.count():
            return 0
        opt = QStyleOptionTab()
        self.initStyleOption(opt, 0)
        opt.rect = self.rect()  # as Qt asks for it: the bar's left edge
        tear = self.style().subElementRect(QStyle.SubElement.SE_TabBarTearIndicatorLeft, opt, self)
        return max(0, tear.right() + 1) if tear.isValid() else 0

    def cut_at_start(self) -> list[int]:
        """The tabs seen in part at the bar's start (beyond its tear)."""
        lead = self.lead()
        return [i for i in range(self.count())
                if self.tabRect(i).left() < 0 and self.tabRect(i).right() >= lead]

    def cut_at_end(self) -> list[int]:
        """The tabs seen in part at the scroll arrows (none without arrows)."""
        room = self.room()
        if room >= self.width():
            return []
        return [i for i in range(self.count())
                if 0 <= self.tabRect(i).left() < room <= self.tabRect(i).right()]

    def _relayout(self) -> None:
        # Qt lays the tabs out again (and scrolls to the current one) when a tab's text is set.
        if self.count():
            self.setTabText(0, self.tabText(0))

    def _fit(self) -> None:
        if self._fitting or self._scrolled or not self.isVisible() or self.shape() not in (
                QTabBar.Shape.RoundedNorth, QTabBar.Shape.RoundedSouth,
                QTabBar.Shape.TriangularNorth, QTabBar.Shape.TriangularSouth):
            return
        self._fitting = True
        try:
            if self._extra:
                self._extra = {}
                self._relayout()
            rects = [self.tabRect(i) for i in range(self.count())]
            room = self.room()
            current = self.currentIndex()
            cut = self.cut_at_start()
            if not cut or current < 0:
                self._push_out_end()
                return  # every tab in view begins in it
            if rects[current].right() - rects[cut[0]].left() < room:
                # Room to scroll back to the cut tab's start with the current tab still whole
                # (another tab chosen, a resize): as the bar's left arrow does.
                left = next((b for b in self.findChildren(QToolButton)
                             if b.objectName() == "ScrollLeftButton"
                             or b.arrowType() == Qt.ArrowType.LeftArrow), None)
                if left is not None and left.isEnabled():
                    left.click()
                    return
            shown = [i for i, r in enumerate(rects) if r.left() >= 0 and r.right() < room]
            part = rects[cut[0]].right() + 1 - self.lead()  # what is seen of the cut tab
            if not shown:
                return
            if shown[-1] == current:
                # and the room left after it (a tab seen in part at the arrows): Qt scrolls
                # only a current tab that runs past them, by as much as it runs past. (Without
                # it the tabs took up that room and did not scroll: Backprop chosen at 1400x900
                # left "el" of "Data & model" at the bar's start.)
                part += max(0, room - 1 - rects[current].right())
            each, rest = divmod(part, len(shown))
            self._extra = {i: each + (1 if n < rest else 0) for n, i in enumerate(shown)}
            self._relayout()
            self._push_out_end()
        finally:
            self._fitting = False

    def _push_out_end(self) -> None:
        """A tab seen in part at the scroll arrows ("Re" of Regions at 1024 px): the tabs in
        view before it take its part as width, and it goes out of view whole. Not the current
        tab: Qt scrolls it back into view (a current Lessons tab ends 2 px under the arrows at
        1024 px), the widths came off at the next fit, and the two alternated at every paint,
        the bar left with "s" of Neurons at its start half the time (review r28 F6)."""
        end = [i for i in self.cut_at_end() if i != self.currentIndex()]
        room, rects = self.room(), [self.tabRect(i) for i in range(self.count())]
        shown = [i for i, r in enumerate(rects) if r.left() >= 0 and r.right() < room]
        if not end or not shown:
            return
        each, rest = divmod(room - rects[end[0]].left(), len(shown))
        for n, i in enumerate(shown):
            self._extra[i] = self._extra.get(i, 0) + each + (1 if n < rest else 0)
        self._relayout()


class ViewsButton(QToolButton):
    """The button at the view tabs' end, a list of every view: it says how many views are not
    on the tabs ("3 more views") and names them in its tooltip; "All views" where every tab
    shows. Ten views do not fit one row of tabs (seven at 1400x900, three at 1024x768 in
    presentation mode), and a newcomer never found Backprop, Regions or Compare behind the
    small scroll arrows and a flat "All views" (review r18). As wide as its widest words, so
    that a new count moves no tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._most = 0  # views there are (the widest count)
        self.show_hidden([], [])

    @staticmethod
    def words(n: int) -> str:
        return "All views" if n == 0 else f"{n} more view{'s' if n > 1 else ''}"

    def show_hidden(self, hidden: list[str], every: list[str]) -> None:
        """``hidden``: the names of the views not on the tabs, of ``every`` view."""
        self._most = len(every)
        self.setText(self.words(len(hidden)))
        if hidden:
            names = hidden[0] if len(hidden) == 1 else \
                ", ".join(hidden[:-1]) + " and " + hidden[-1]
            verb = "is" if len(hidden) == 1 else "are"
            them = "it" if len(hidden) == 1 else "them"
            self.setToolTip(f"{names} {verb} not on the tab bar: pick {them} here (in bold), "
                            "or scroll the tabs with their arrows. The list has every view.")
        else:
            self.setToolTip("Every view, to pick one.")
        self.updateGeometry()

    def _widened(self, size: QSize) -> QSize:
        fm = self.fontMetrics()
        widest = max(fm.horizontalAdvance(self.words(n)) for n in range(max(self._most, 10)))
        size.setWidth(size.width() + max(0, widest - fm.horizontalAdvance(self.text())))
        return size

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._widened(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._widened(super().minimumSizeHint())
