"""The run controls: Reset, Play/Pause, Step (1, 10, 100, 1000), Restart, speed (a watchable pace
by default, full speed one click away), "stop at N epochs", epoch counter."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy,
                               QSlider, QStyle, QToolButton, QVBoxLayout, QWidget)

from . import colors, wheel
from .look import themed_icon
from .widgets import (LabelRoom, MessageLabel, NumberCombo, NumberTwin, SpinBox, add_layout,
                      let_go)

# Epochs per frame from "one" to "as fast as possible" (None).
SPEEDS: tuple[int | None, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
# The pace Play starts at, chosen by watching the notebook's moons: its 1,000 epochs unfold in a
# few seconds, slow enough to see the boundary turn, fast enough not to bore a class.
DEFAULT_SPEED = 5
# Buttons as wide as their text: the style's 80 px minimum made the bar wider than a projector.
COMPACT_BUTTON = "QPushButton { padding: 4px 8px; }"
BAR_MARGIN = 6  # the bar's margin above and below its row (less where the counter needs it)
BAR_STYLE = "#RunControls { background: palette(window); border-bottom: 1px solid palette(mid); }"


def speed_text(epochs_per_frame: int | None) -> str:
    if epochs_per_frame is None:
        return "maximum"  # under the title "Speed": not "Speed full speed"
    return f"{epochs_per_frame} epoch{'s' if epochs_per_frame > 1 else ''}/frame"


#: The run bar's learning rate while the Compare tab's sweep is in front (set_sweep_in_front).
SWEEP_RATE_TIP = ("The main run's learning rate, set on its own tabs. The sweep's members train "
                  "at their own rates: a new sweep (New sweep) sweeps the learning rate.")


class TwoTextButton(QPushButton):
    """A button as wide as the widest of the texts it takes in turn: Play / Pause changed its
    width when toggled, and the buttons right of it moved ~10 px with every press."""

    def __init__(self, texts: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(texts[0], parent)
        self.texts = texts

    def _extra(self) -> int:
        fm = self.fontMetrics()  # the style sheet's (bold) font, once polished
        return max(fm.horizontalAdvance(t) for t in self.texts) - \
            fm.horizontalAdvance(self.text())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return super().sizeHint() + QSize(self._extra(), 0)


class RunControls(QFrame):
    play_clicked = Signal()
    step_clicked = Signal(int)
    reset_clicked = Signal()
    restart_clicked = Signal()
    speed_changed = Signal(object)  # int epochs per frame, or None for full speed
    stop_at_changed = Signal(object)  # the epoch Play pauses at, or None for never

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunControls")
        wheel.mark(self)  # "Stop at epoch" changes by wheel only when focused (nnviz.gui.wheel)
        # Colours from the palette: they follow the theme (nnviz.gui.look).
        self.setStyleSheet(BAR_STYLE + COMPACT_BUTTON)
        style = self.style()

        self.reset = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "Reset")
        self.reset.setToolTip("Start over with new random weights, at epoch 0 (R).")
        self.play = TwoTextButton(("Play", "Pause"))
        self.play.setMinimumWidth(80)
        self.play.setToolTip("Train continuously, or pause (Space).")
        self.play.setDefault(False)
        self.play.setStyleSheet("QPushButton { font-weight: bold; padding: 6px 10px; }")
        self.step_buttons: dict[int, QPushButton] = {}
        self.step = QPushButton(themed_icon(style, QStyle.StandardPixmap.SP_MediaSkipForward),
                                "Step")
        self.step.setToolTip("Train exactly one epoch, then stop (Right arrow).")
        self.step_buttons[1] = self.step
        for n in (10, 100, 1000):
            b = QPushButton(f"+{n}")
            b.setToolTip(f"Train exactly {n} epochs, then stop.")
            self.step_buttons[n] = b
        self.restart = QPushButton("Restart")
        self.restart.setToolTip("Back to epoch 0 with the same initial weights as this run: "
                                "the same run again.")
        # The buttons folded away (_fold_to_width, presentation mode) behind one button where
        # they stood: at 115% text on a 1024 px screen Restart went without a trace (still in
        # the Run menu, which presentation mode hides), the bar ending at +1000 as if complete.
        self.more = QToolButton()
        self.more.setText("\u00bb")  # », as a toolbar's own overflow reads
        self.more.setAccessibleName("More run buttons")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setStyleSheet("QToolButton { padding: 4px 6px; }"
                                " QToolButton::menu-indicator { image: none; width: 0; }")
        self.more.setMenu(QMenu(self.more))
        self.more.menu().aboutToShow.connect(self._list_folded)
        self.more.hide()
        self._icons: dict = {}  # the icons put away where the bar is still too wide

        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(SPEEDS.index(DEFAULT_SPEED))
        self.speed.setFixedWidth(96)
        self.speed.setPageStep(1)
        # The wheel changes the speed only once the slider is clicked into: the window's wheel
        # passing over it changed the training speed (nnviz.gui.wheel).
        wheel.mark(self.speed)
        self.speed.setToolTip("Training speed: from one epoch per frame (slow, to watch each "
                              f"step) to as fast as possible. It starts at {DEFAULT_SPEED} epochs "
                              "a frame, a pace to watch.")
        self.speed_label = QLabel(speed_text(DEFAULT_SPEED))
        self.speed_label.setToolTip(self.speed.toolTip())
        self.full_speed = QToolButton()
        self.full_speed.setIcon(themed_icon(style, QStyle.StandardPixmap.SP_MediaSeekForward))
        self.full_speed.setCheckable(True)
        self.full_speed.setAutoRaise(True)
        # Words beside the glyph (a keyboard reviewer, a screen reader: "▶▶" alone said neither
        # what it does nor that F does it). "Full" fits under "Speed  5 epochs/frame": the bar
        # is no wider; the tooltip and the accessible name say it whole.
        self.full_speed.setText("Full")
        self.full_speed.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.full_speed.setAccessibleName("Full speed")
        self.full_speed.setAccessibleDescription("Train as fast as the machine can (F); pressed "
                                                 "again, back to the pace you watched at.")
        self.full_speed.setToolTip("Full speed (F): train as fast as the machine can, skipping "
                                   "frames; press it (or F) again: back to the pace you "
                                   "watched at.")
        self._watch_speed = SPEEDS.index(DEFAULT_SPEED)  # where "full speed" off goes back to
        speed_box = QVBoxLayout()
        speed_box.setSpacing(0)
        title = QLabel("Speed")
        title.setToolTip(self.speed.toolTip())
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(title)
        top.addWidget(self.speed_label, 1)
        add_layout(speed_box, top)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.speed)
        row.addWidget(self.full_speed)
        row.addStretch(1)
        add_layout(speed_box, row)
        self._fit_speed_label()

        self.stop_at = SpinBox()  # says so when a typed number is beyond its range
        self.stop_at.terse = True
        self.stop_at.setRange(0, 10_000_000)
        self.stop_at.setSingleStep(100)
        self.stop_at.setGroupSeparatorShown(True)
        self.stop_at.setSpecialValueText("never")
        self.stop_at.setKeyboardTracking(False)
        self.stop_at.setAccelerated(True)
        self.stop_at.setToolTip("Play pauses when the run reaches this epoch, so the picture a "
                                "lesson promises appears and stays; Play again trains on past it. "
                                "Presets set it. 0: never.")
        stop_box = QVBoxLayout()
        stop_box.setSpacing(0)
        stop_title = QLabel("Stop at epoch")
        stop_title.setToolTip(self.stop_at.toolTip())
        # "99999999999999" typed in was clamped to 9,999,999 without a word: the refusal and
        # the limit are said in red beside the field, on its one line (cut with its tooltip
        # saying it whole; the window's status bar says it too): under the field, wrapped to
        # two lines, it made the bar 25 px taller while it showed. Its width never widens the
        # bar (MessageLabel): "Too small: at least 0 (never)." beside the field widened the
        # window from 1,024 to 1,101 px; it takes the bar's empty room only. It said it in the
        # title's place, and "'abc' is not a number." stood there in red over the 3,000 put
        # back, the field unnamed, through Step (r19 #17): the title stays, and the refusal
        # goes as a refused batch size's does, with the next edit (MainWindow._forget_refusals)
        # or after REFUSAL_LIFETIME_MS, and with Play or Step too (the field shows the stop in
        # use). (Not when Enter hands the keys back to the window: it would go unread.)
        self.stop_message = MessageLabel(one_line=True)
        stop_box.addWidget(stop_title)
        stop_row = QHBoxLayout()
        stop_row.setSpacing(6)
        stop_row.addWidget(self.stop_at, 0, Qt.AlignmentFlag.AlignLeft)  # (its width: its own)
        stop_row.addWidget(self.stop_message, 1)
        add_layout(stop_box, stop_row)
        self.stop_message.changed.connect(self._fit_stop_message)
        self.stop_at.out_of_range.connect(self.stop_message.show_error)
        self.stop_at.valueChanged.connect(lambda _n: self.stop_message.clear_message())

        self.epoch = QLabel()
        self._epoch_base = self.epoch.font().pointSizeF()
        self.epoch.setObjectName("RunEpoch")
        self._scale_epoch(1.0)
        self.epoch.setToolTip("How many epochs (passes over the training data) the model has "
                              "trained.")
        self.epoch.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.epoch.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        # The window puts it in its status bar, where a long line has room.
        self.status = QLabel()
        self.status.setToolTip("What the trainer is doing.")
        # The theme's note colour, 4.5:1 or more (the palette's placeholder grey was 3.9:1 on
        # the light theme's panel, too faint for 13 px words).
        colors.tint(self.status, "note")

        # Presentation mode's learning rate (set_learning_rate_field): the settings are folded
        # away there, and "change the rate while it runs" is a lesson of its own.
        self.lr: NumberTwin | None = None
        self.lr_box = QWidget()
        self.lr_box.hide()
        self.lr_message = MessageLabel()  # the settings' message about the rate, under the bar

        outer = self._outer = QVBoxLayout(self)
        outer.setContentsMargins(10, BAR_MARGIN, 10, BAR_MARGIN)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        add_layout(outer, lay)
        outer.addWidget(self.lr_message)
        lay.addWidget(self.reset)
        lay.addWidget(self.play)
        for b in self.step_buttons.values():
            lay.addWidget(b)
        lay.addWidget(self.restart)
        lay.addWidget(self.more)
        lay.addSpacing(12)
        add_layout(lay, speed_box)
        lay.addSpacing(8)
        add_layout(lay, stop_box)
        lay.addWidget(self.lr_box)
        lay.addStretch(1)  # the bar's empty room (_fit_stop_message), before the epoch's
        # Its text changes every frame; the window is laid out again only when its size must.
        self._epoch_room = LabelRoom(self.epoch)
        lay.addWidget(self._epoch_room)
        self._row = lay
        self._presenting = False
        # Tab's round starts at Play, Reset and Restart after the step buttons: the toolbar comes
        # first in the window's Tab chain, and Tab out of the last setting (the learning rate)
        # wrapped round to Reset, where the next key, Space ("Space plays"), threw the run
        # away. Now that Tab lands on Play, and Space plays. Both stay in the chain (Tab still
        # reaches them, ringed, in the toolbar's pass), and R resets as before.
        QWidget.setTabOrder(self.restart, self.more)
        QWidget.setTabOrder(self.more, self.reset)

        self.set_playing(False)
        self.set_epoch(0)
        self.play.clicked.connect(self.play_clicked)
        for n, b in self.step_buttons.items():
            b.clicked.connect(lambda _c=False, n=n: self.step_clicked.emit(n))
        self.reset.clicked.connect(self.reset_clicked)
        self.restart.clicked.connect(self.restart_clicked)
        self.speed.valueChanged.connect(self._speed_moved)
        self.full_speed.toggled.connect(self._full_speed_toggled)
        self.stop_at.valueChanged.connect(lambda n: self.stop_at_changed.emit(n or None))

    def _fit_stop_message(self) -> None:
        """The refusal beside the field, as wide as its words where the bar has empty room
        (taken from it: the bar no wider, nothing moved); else cut."""
        m = self.stop_message
        m.setMinimumWidth(0)
        if not m.isHidden():
            spare = self._row.itemAt(self._row.indexOf(self._epoch_room) - 1)
            room = spare.geometry().width()
            let_go(spare)  # (kept, its wrapper outlived the item: widgets.let_go)
            m.setMinimumWidth(min(m.fontMetrics().horizontalAdvance(m.text()) + 2, room))

    def set_learning_rate_field(self, field: NumberCombo, message: MessageLabel) -> None:
        """Presentation mode's learning rate: a twin of the settings' ``field`` (what is typed
        here goes through it) and what their ``message`` says, under the bar."""
        self.lr = NumberTwin(field)
        self._lr_tip = field.toolTip() + " (Ctrl+L)"  # (over the sweep: SWEEP_RATE_TIP)
        self.lr.setToolTip(self._lr_tip)
        box = QVBoxLayout(self.lr_box)
        box.setContentsMargins(8, 0, 0, 0)
        box.setSpacing(0)
        title = self._lr_title = QLabel("Learning rate")
        title.setToolTip(self.lr.toolTip())
        box.addWidget(title)
        box.addWidget(self.lr)
        self._settings_message = message
        message.changed.connect(self._say_rate_message)

    def set_sweep_in_front(self, sweep: bool) -> None:
        """The Compare tab's sweep takes Play, Step and Stop at (the window's
        set_sweep_driving); the learning rate beside them stays the main run's, so there it is
        greyed out and says so: a rate typed on the Compare tab changed the main run, without a
        word, while the sweep beside it trained on."""
        if self.lr is None:
            return
        tip = SWEEP_RATE_TIP if sweep else self._lr_tip
        for part in (self.lr, self._lr_title):  # both grey: the title read as a live field's
            part.setEnabled(not sweep)
            part.setToolTip(tip)

    def _say_rate_message(self) -> None:
        if self.lr_box.isHidden():
            self.lr_message.clear_message()
        else:
            self.lr_message.say_as(self._settings_message)

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        if self.play in self._icons and self.play.icon().isNull():
            self._icons[self.play] = themed_icon(self.style(), icon)  # (put away: _fold_to_width)
        else:
            self.play.setIcon(themed_icon(self.style(), icon))
        self.play.setText("Pause" if playing else "Play")

    def set_epoch(self, epoch: int, live_epoch: int = -1, weights_epoch: int = -1,
                  note: str = "") -> None:
        """The epoch shown; ``live_epoch`` past it means the timeline shows the past;
        ``weights_epoch`` before it, that the weights drawn are that epoch's (a divergence put
        the run's best back); ``note``, a word under it ("compiling\u2026")."""
        notes = [note] if note else []
        of = f" of {live_epoch:,}" if epoch < live_epoch else ""
        shown = epoch
        if 0 <= weights_epoch < epoch:
            # The large number is the model drawn, as the numbers under the loss chart say
            # ("at the start"), and the epoch the run diverged after is under it: it read
            # "Epoch 8" over epoch 0's model, with a small "diverged: weights of epoch 0" that
            # a student did not take in (review r18 #7). (fits at 1024 px)
            shown = weights_epoch
            notes.append(f"restored; diverged after epoch {epoch:,}{of}")
        elif of:
            # "of N" under it, smaller: on one line, "Epoch 200 of 337,265" ran under the
            # "Stop at epoch" field at 1024 px and lost its start ("ooch 200 of ...").
            notes.append(of.strip())
        self._hold_two_lines()
        if notes:
            self.epoch.setText(self._two_lines(f"Epoch {shown:,}", " &middot; ".join(notes)))
        else:
            self.epoch.setText(f"Epoch {shown:,}")

    def _two_lines(self, epoch: str, note: str) -> str:
        pt = self.epoch.font().pointSizeF() * 0.55
        return f"{epoch}<div style='font-size:{pt:g}pt; font-weight:normal'>{note}</div>"

    def _hold_two_lines(self, again: bool = False) -> None:
        """The counter always as tall as with its note under it ("of 1,000", "restored;
        diverged after epoch 1"), and the bar no taller for it where its margins have the
        room: at 150% text that line made the bar 8 px taller as the timeline went into the
        past, and the settings and the views' tabs moved down, and up again at the live end
        (review r21 F5). ``again``: the bar's other parts may have new sizes (a new text
        size) though the counter's font is the same."""
        row = getattr(self, "_row", None)  # (None: the bar is still being built)
        font = self.epoch.font()
        if row is None or (getattr(self, "_held_for", None) == font.key() and not again):
            return
        self._held_for = font.key()
        ruler = QLabel()
        ruler.setFont(font)
        ruler.setTextFormat(self.epoch.textFormat())
        ruler.setText(self._two_lines("Epoch 0", "of 0"))
        tall = ruler.sizeHint().height()
        self.epoch.setMinimumHeight(tall)
        # The bar's margins give what the two lines need more than its other parts (the
        # speed's and the stop's title over their fields): 61 px at 150%, as with one line.
        items = [row.itemAt(i) for i in range(row.count())]
        others = max((item.sizeHint().height() for item in items
                      if item.widget() is not self._epoch_room), default=0)
        let_go(*items)
        more = 0 if self._presenting else max(0, tall - others)
        top = max(0, BAR_MARGIN - more // 2)
        bottom = max(0, BAR_MARGIN - (more - more // 2))
        m = self._outer.contentsMargins()
        if (m.top(), m.bottom()) != (top, bottom):
            self._outer.setContentsMargins(m.left(), top, m.right(), bottom)

    def speed_value(self) -> int | None:
        return SPEEDS[self.speed.value()]

    def set_presentation(self, on: bool, scale: float) -> None:
        """Presentation mode: the advanced buttons (+10, +100, Restart) and the status line
        folded away (the plot shows "compiling"); the bar's text ``scale`` times larger (the
        user's text size too, on or off)."""
        # The bar's style sheet fixes its children's fonts: the window's font does not reach
        # them, a font size in the sheet does.
        # The epoch counter its own size at the user's text size (under the bar's size it came
        # out at the buttons'); folded away in presentation mode, at its normal size.
        epoch = 1.0 if on else scale
        size = f" * {{ font-size: {QFont().pointSizeF() * scale:g}pt; }}" if scale != 1 else ""
        if epoch != 1:
            size += (f" QLabel#RunEpoch {{ font-size: {self._epoch_base * 1.7 * epoch:g}pt;"
                     " font-weight: bold; }")
        folded = (self.step_buttons[10], self.step_buttons[100], self.restart, self.epoch)
        self._presenting = on
        if on:  # the epoch goes to the window's large readout
            for b in folded:
                b.hide()
            self.step_buttons[1000].hide()  # (shown again where it fits: _fold_to_width)
        if self.lr is not None:
            self.lr_box.setVisible(on)
            self._say_rate_message()
        self.setStyleSheet(BAR_STYLE + COMPACT_BUTTON + size)
        self._fit_speed_label()
        self._scale_epoch(epoch)
        if on:
            self._fold_to_width()
        else:
            # Shown again only at their normal size: shown at presentation mode's, they made
            # the bar, and the window, wider (1024 -> 1215 px at 1024x768), and it stayed so.
            # (at a larger text size only where they fit: one shown and folded again at once
            # had already made the window wider, 1,431 px on a 1400 px screen at 200%)
            self.epoch.show()
            self._fold_to_width()

    def _scale_epoch(self, scale: float) -> None:
        font = self.epoch.font()
        font.setPointSizeF(self._epoch_base * 1.7 * scale)
        font.setBold(True)
        self.epoch.setFont(font)
        self.epoch.setMinimumWidth(self.epoch.fontMetrics().horizontalAdvance("Epoch 100,000"))
        self._hold_two_lines(again=True)

    def stop_at_value(self) -> int | None:
        return self.stop_at.value() or None

    def set_stop_at(self, epoch: int | None) -> None:
        """Set the field (and tell the worker, through ``stop_at_changed``)."""
        self.stop_at.setValue(int(epoch or 0))

    def toggle_full_speed(self) -> None:
        self.full_speed.toggle()

    def _full_speed_toggled(self, on: bool) -> None:
        full = len(SPEEDS) - 1
        if on and self.speed.value() != full:
            self.speed.setValue(full)
        elif not on and self.speed.value() == full:
            self.speed.setValue(self._watch_speed)

    def _speed_moved(self, i: int) -> None:
        self.speed_label.setText(speed_text(SPEEDS[i]))
        if SPEEDS[i] is not None:
            self._watch_speed = i
        self.full_speed.setChecked(SPEEDS[i] is None)
        self.speed_changed.emit(SPEEDS[i])

    def _fit_speed_label(self) -> None:
        """Wide enough for every speed's text: the bar must not jump as the slider moves."""
        self.speed_label.ensurePolished()  # a style sheet's font size applies at polish
        fm = self.speed_label.fontMetrics()
        self.speed_label.setMinimumWidth(max(fm.horizontalAdvance(speed_text(v)) for v in SPEEDS))

    # -- a bar wider than the window (a larger text size) -----------------------------------

    def _foldable(self) -> tuple:
        """The buttons folded away, first to last, where the bar is wider than the window
        (View > Text size at 1024-1400 px: the bar at 200% asked for 1,543 px and the window
        went off a 1400 px screen). Run > Restart and Run > Step 100 epochs do the first
        two's work; presentation mode folds the first three itself, +1000 last of all."""
        if getattr(self, "_presenting", False):  # (the mode folds the others itself)
            return (self.step_buttons[1000],)  # 200% on a projector's 1024 px: 1,108
        return (self.restart, self.step_buttons[100], self.step_buttons[10],
                self.step_buttons[1000])

    def _overflowed(self) -> tuple:
        """The run buttons the overflow (``more``) may list, in the bar's order: the ones that
        fold for the width and the ones presentation mode folds."""
        return (*(self.step_buttons[n] for n in (10, 100, 1000)), self.restart)

    def _more_tip(self, folded) -> str:
        names = ", ".join(b.text() for b in folded)
        return (f"More run buttons: {names} (no room for them in the bar; Restart and the "
                "steps are in the Run menu too).")

    def _list_folded(self) -> None:
        """The overflow's menu: the folded buttons, each doing what its button does."""
        menu = self.more.menu()
        menu.clear()
        for b in self._overflowed():
            if not b.isHidden():
                continue
            a = menu.addAction(b.icon(), b.text())
            a.setToolTip(b.toolTip())
            a.setStatusTip(b.toolTip())
            a.setEnabled(b.isEnabled())
            a.triggered.connect(b.click)  # (a hidden button clicks as a shown one)
        menu.setToolTipsVisible(True)

    def _show_more(self) -> bool:
        """The overflow shown while a run button is folded away, else hidden; True: changed."""
        folded = [b for b in self._overflowed() if b.isHidden()]
        if folded:
            self.more.setToolTip(self._more_tip(folded))
        if self.more.isHidden() == bool(folded):
            self.more.setVisible(bool(folded))
            return True
        return False

    def _iconless(self) -> tuple:
        """The buttons whose glyph goes (the words stay) where the bar is still wider than
        the window with every foldable button folded: at 200% in presentation mode on a 1024
        px screen the overflow's 48 px squeezed Play to "Pla" (Play's last: its words say play
        or pause too)."""
        return (self.step, self.reset, self.play)

    def _icon_room(self, button) -> int:
        """What ``button``'s glyph takes of the bar: its size and the gap to its words."""
        return 0 if button.icon().isNull() else button.iconSize().width() + 4

    def _fold_room(self, buttons, hint: bool = False) -> int:
        # (the row's spacing from the row itself: read as the bar's layout's item, the row had
        # PySide wrap all its items, at each layout request: widgets.let_go)
        row = getattr(self, "_row", None)  # (None: the bar is still being built)
        gap = row.spacing() if row is not None else 0
        return sum((b.sizeHint() if hint else b.minimumSizeHint()).width() + gap
                   for b in buttons)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        """Less the buttons that fold where the window is narrower (_fold_to_width)."""
        hint = super().minimumSizeHint()
        shown = [b for b in self._foldable() if not b.isHidden()]
        # (all folded, the overflow shows: its room counted while it is hidden; the glyphs go)
        more = self._fold_room([self.more]) if self.more.isHidden() and shown else 0
        # (Play's least width is its own 80 px, glyph or none)
        glyphs = sum(self._icon_room(b) for b in self._iconless() if b is not self.play)
        return QSize(hint.width() - self._fold_room(shown) + more - glyphs, hint.height())

    def _fold_to_width(self) -> None:
        """The foldable buttons shown where the bar has the room for its parts at their
        natural widths, else folded away (the first first): at its least width Play was
        squeezed to its 80 px ("Pla")."""
        if self.width() <= 0:
            return
        # ``need``: the bar's width with the overflow (``more``) shown, which it is while any
        # run button is folded (the mode's too); without one, less its room.
        self.more.ensurePolished()  # (hidden, it may not have the bar's new font yet)
        more = self._fold_room([self.more], hint=True)
        need = self.layout().sizeHint().width() + (more if self.more.isHidden() else 0)

        def fits(need: int, but=None) -> bool:
            folded = any(b.isHidden() and b is not but for b in self._overflowed())
            return (need if folded else need - more) <= self.width()

        changed = False
        for b in self._foldable():
            if fits(need):
                break
            if not b.isHidden():
                b.hide()
                need -= self._fold_room([b], hint=True)
                changed = True
        for b in self._iconless():  # all folded and still too wide: the glyphs go too
            if fits(need):
                break
            if not b.icon().isNull():
                need -= self._icon_room(b)
                self._icons[b] = b.icon()
                b.setIcon(QIcon())
                changed = True
        for b in reversed(self._iconless()):  # back first, where there is room
            icon = self._icons.get(b)
            if icon is None or not b.icon().isNull():
                continue
            room = b.iconSize().width() + 4
            if not fits(need + room):
                break
            b.setIcon(icon)
            need += room
            changed = True
        for b in reversed(self._foldable()):
            if not b.isHidden():
                continue
            b.ensurePolished()  # (hidden, it may not have the bar's new font yet)
            if any(x.icon().isNull() for x in self._icons) or \
                    not fits(need + self._fold_room([b], hint=True), but=b):
                break
            b.show()
            need += self._fold_room([b], hint=True)
            changed = True
        if self._show_more() or changed:
            self.updateGeometry()

    def event(self, event) -> bool:
        done = super().event(event)
        # The bar's parts took their new sizes (a new text size polishes them after the
        # style sheet is set): folded again to them. (Nothing changed: nothing asked again.)
        if event.type() == QEvent.Type.LayoutRequest:
            self._fold_to_width()
        return done

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._fold_to_width()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:  # presentation mode
            self._fit_speed_label()
