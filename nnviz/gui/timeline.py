"""The timeline under the loss plot: scrub to any epoch of the run, replay it, branch from it.

Every epoch of a run is reachable (the worker replays it from the run log's nearest checkpoint),
so the slider covers them all. The label says plainly when the screen shows the past ("Past:
epoch 340 of 5,000"). Replay moves the shown epoch forward at a chosen pace without
training; "Continue from here" forks a new branch at the shown epoch with the current settings.
The branch box switches between branches; its menu renames and deletes them.
"""
from __future__ import annotations

from contextlib import contextmanager

# Qt's own QSignalBlocker (a context manager in PySide6): superqt's signals_blocked did the same,
# and importing superqt (qtpy and all its widgets) cost ~0.1 s of every launch.
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (QAbstractSlider, QComboBox, QHBoxLayout, QInputDialog, QLineEdit,
                               QMenu, QMessageBox, QSlider, QStyle, QStyleOptionSlider,
                               QToolButton, QVBoxLayout, QWidget)

from nnviz.core.runlog import MAX_BRANCH_NAME, branch_name
from nnviz.core.snapshot import Snapshot
from . import colors, wheel
from .look import ThemeStyle
from .widgets import FittingButton, FittingLabel, LabelRoom, add_layout


REPLAY_FPS = 30
# A past epoch not there this long after it was asked for is being recomputed (from the last
# checkpoint before it: seconds on a big run): the label says so until it comes (r23 F4). Not at
# once: a small run's epochs come within a frame, and the label flickered as it was dragged.
COMPUTING_SAID_MS = 300
# Replay paces, epochs a second; the first one that replays the run in about ten seconds or
# more is chosen when a replay starts.
REPLAY_SPEEDS = (10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)
# The label keeps room from the start for "Past: 9,999/9,999" (a run shorter than
# LABEL_RESERVE epochs, in the past): its place and width stay the same as the run grows (past
# 1,000,000 epochs, "1,000,000/1,000,000" widens it).
LABEL_RESERVE = 10_000
# A QSlider's range is a C int: a run longer than this many epochs is mapped onto it, several
# epochs a step (Timeline._scale), rather than overflowing it.
SLIDER_MAX = 2**31 - 1
# The Replay button's words and tip, stopped and playing: the button said "Replay" while a
# replay played, and nothing told that pressing it again pauses it (r11).
REPLAY_TEXTS = {False: ("Replay", "Play the recorded run back like a video, without training."),
                True: ("Pause", "Replaying: press to pause at the epoch shown (Replay then goes "
                       "on from there; Space does the same).")}



class _Slider(QSlider):
    """A slider whose range, value and steps, set together in ``quietly()``, repaint it only
    when its handle moves: while the run trains, every frame sets a longer range with the value
    at its end, and the handle stays where it is drawn (the timeline's repaint was ~0.5-1 ms of
    each frame's GUI CPU at 100,000 points). Other changes (a drag, a key) repaint as ever."""

    def __init__(self, orientation) -> None:
        super().__init__(orientation)
        self._painted = None  # the handle's rect as last painted
        self._quiet = False

    def _handle(self):
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        return self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                           QStyle.SubControl.SC_SliderHandle, self)

    @contextmanager
    def quietly(self):
        """Range, value and steps set inside: one repaint at the end if the handle moved (the
        range set first moves it for a moment)."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
            if self._painted is None or self._handle() != self._painted:
                self.update()

    def sliderChange(self, change) -> None:  # noqa: N802 (Qt)
        C = QAbstractSlider.SliderChange
        if self._quiet and change in (C.SliderRangeChange, C.SliderValueChange,
                                      C.SliderStepsChange):
            return  # QAbstractSlider's own only asks for a repaint (no tick marks here)
        super().sliderChange(change)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._painted = self._handle()
        super().paintEvent(event)


class _TwoStateButton(QToolButton):
    """A checkable tool button whose text changes with its state, as wide as its widest text
    in either (the timeline's row does not jump when a replay starts or stops)."""

    def __init__(self, texts: dict[bool, tuple[str, str]]) -> None:
        super().__init__()
        self._texts = texts
        self.setCheckable(True)
        self.toggled.connect(self._show_state)
        self._show_state(False)

    def _show_state(self, on: bool) -> None:
        text, tip = self._texts[on]
        self.setText(text)
        self.setToolTip(tip)

    def sizeHint(self):
        hint = super().sizeHint()
        fm = self.fontMetrics()  # measured as QToolButton measures its text

        def wide(text: str) -> int:
            return fm.size(Qt.TextFlag.TextShowMnemonic, text).width()
        widest = max(wide(t) for t, _ in self._texts.values())
        hint.setWidth(hint.width() + max(0, widest - wide(self.text())))
        return hint

    def minimumSizeHint(self):
        return self.sizeHint()


class _JumpStyle(ThemeStyle):
    """The application's style, but a left click on a slider's track puts the handle there
    (and drags it on) rather than stepping a page towards the click: on the timeline a page was
    a twentieth of the run, 59 epochs of 1,195 a click, however far off the click was. Drawn
    as the application's ThemeStyle draws (a plain proxy of the base style drew the timeline's
    handle in Fusion's dark grey, 1.7:1 on the dark panel)."""

    def styleHint(self, hint, option=None, widget=None, data=None):  # noqa: N802 (Qt)
        if hint == QStyle.StyleHint.SH_Slider_AbsoluteSetButtons:
            return Qt.MouseButton.LeftButton.value
        return super().styleHint(hint, option, widget, data)


class Timeline(QWidget):
    show_epoch = Signal(object)  # an epoch, or None: the live end
    branch_requested = Signal()
    switch_requested = Signal(str)
    rename_requested = Signal(str, str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The wheel over the pace or the branches changes them only when focused: scrolling
        # past them switched the branch shown (nnviz.gui.wheel, as the settings panels).
        wheel.mark(self)
        self.live_epoch = 0
        self.epoch = 0
        self.first_epoch = 0  # the first epoch the record reaches
        # The earlier epoch whose weights a divergence put back at the epoch shown, or -1
        # (Snapshot.weights_epoch): the label says the model's epoch, as the counter does.
        self.weights_epoch = -1
        self._scale = 1  # epochs a step of the slider: 1 until the run passes SLIDER_MAX
        self.branch = ""
        self.delete_undoable = False  # the window's Undo brings a deleted branch back
        self.slider = _Slider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self._jump_style = _JumpStyle()  # the application's kind of style, its own instance
        self._jump_style.setParent(self.slider)
        self.slider.setStyle(self._jump_style)
        self.slider.setToolTip("Drag to see any epoch of the run: every view shows it. "
                               "Home / End: the first epoch / the live end; Ctrl+Left / "
                               "Ctrl+Right: one epoch back / on.")
        self.label = FittingLabel()
        self._look: tuple | None = None  # (past, its colour) the label is drawn in (_past_look)
        self.replay = _TwoStateButton(REPLAY_TEXTS)
        self.speed = QComboBox()
        for v in REPLAY_SPEEDS:
            self.speed.addItem(f"{v:,}/s", v)
        self.speed.setToolTip("Replay pace, epochs a second.")
        self.live = QToolButton()
        self.live.setText("Live")
        self.live.setToolTip("Back to the live end of the run (End).")
        # Short: "Branch" (r19 #14: "Continue" beside Replay read as "train on", and made a branch)
        self.fork = FittingButton("Continue from here", "Branch")
        self.fork.setToolTip("Go on training from the epoch shown, with the current settings, "
                             "as a new branch; the run so far stays, to compare.")
        self.branches = QComboBox()
        self.branches.setToolTip("The branches of this run: pick one to go on with it.")
        self.branches.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.branch_menu_button = QToolButton()
        self.branch_menu_button.setText("\u22ef")
        self.branch_menu_button.setToolTip("Rename or delete the branch.")
        self.branch_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.branch_menu_button)
        self.rename_action = menu.addAction("Rename branch...", self._rename)
        self.delete_action = menu.addAction("Delete branch", self._delete)
        self.branch_menu_button.setMenu(menu)

        # The slider as wide as the loss plot above it, the branches beside it; the epoch shown
        # and the buttons under it.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.slider, 1)
        top.addWidget(self.branches)
        top.addWidget(self.branch_menu_button)
        # Shown by a frame of a run with branches (update): an empty box and a lone "..."
        # stood beside the slider until the first frame of a run opened (r23 F7).
        self._show_branches(False)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        room = LabelRoom(self.label)
        bottom.addWidget(room, 1)  # a new text each frame: no new layout
        for w in (self.replay, self.speed, self.live, self.fork):
            bottom.addWidget(w)
        self._bottom_row = (room, self.replay, self.speed, self.live, self.fork)
        # Where the row of the label and the buttons is wider than the column (1024 px at text
        # 150%: 471 px of a 459 px column), the label goes up beside the slider
        # (_place_label): that row's least width had widened the column as training started
        # (its reserve for "1,374/1,374"), and the views' tabs moved under the pointer (r19 #7).
        # Where it goes is the width's and the text size's alone (its reserve is the same
        # through a run: _show_label), never the run's state (r21 F6).
        self._room, self._top, self._bottom = room, top, bottom
        self._label_up = False
        self._placed_for: tuple | None = None  # (width, label's least width, hidden) placed at
        # Up, the label's room sits in a box of its own: the room takes the label's policy
        # (Ignored across), and beside the slider's stretch the row gave it no width at all.
        self._up = QWidget()
        up_row = QHBoxLayout(self._up)
        up_row.setContentsMargins(0, 0, 0, 0)
        top.insertWidget(1, self._up)
        self._up.hide()
        # A long epoch number must not widen the window: the label gives way, on one line, to
        # a shorter wording (its tooltip and the epoch counter above say it whole).
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        add_layout(v, top)
        add_layout(v, bottom)

        self._timer = QTimer(self)
        self._timer.setInterval(1000 // REPLAY_FPS)
        self._timer.timeout.connect(self._replay_tick)
        self._replay_at = 0.0
        # A replay was paused (its button, Space, a drag) and not gone on with or left for the
        # live end: Space goes on with it from the epoch shown (a media player's Space), rather
        # than going to the live end to train. (Only Space's pause counted: paused by its
        # button, or moved a step, Space trained from the live end.)
        self._paused = False
        # The epoch asked for last (None: the live end), and whether it is still to come.
        # Snapshots of earlier asks can arrive before it; during a replay, or one paused, they
        # do not pull the handle back (Space then took that older epoch for the pause's and
        # trained on from the live end instead of going on with the replay).
        self._asked: int | None = None
        self._asked_pending = False
        # The live branch's checkpoints (Snapshot.checkpoint_epochs): where a past epoch is
        # recomputed from. The timer: an epoch asked for and not come within COMPUTING_SAID_MS
        # is said to be computing (_computing).
        self._checkpoints: tuple[int, ...] = ()
        self._said_timer = QTimer(self)
        self._said_timer.setSingleShot(True)
        self._said_timer.setInterval(COMPUTING_SAID_MS)
        self._said_timer.timeout.connect(self._show_label)
        # A run being opened (opening): what the label says until its first frame (r23 F7).
        self._opening: str = ""
        self._asked_branch = ""  # the branch shown when the epoch was asked for
        self.slider.valueChanged.connect(self._slider_moved)
        # The arrow keys, Page Up/Down, Home and End move a focused slider, not the window's
        # shortcuts (Right would train an epoch).
        self.slider.installEventFilter(self)
        self.speed.activated.connect(lambda _: self.speed.setProperty("chosen", True))
        self.replay.toggled.connect(self._replay_toggled)
        self.live.clicked.connect(lambda: self.go(None))
        self.fork.clicked.connect(self.branch_requested)
        self.fork.text_shown.connect(lambda _: self._show_label())  # (its tooltip names it)
        self.branches.activated.connect(self._branch_picked)
        # Tab reaches the list (with its ring); a click only opens it: picked with the mouse,
        # it kept the focus without a ring, and Home / End went to it, switching to the
        # first or last branch instead of moving through time (review r30).
        self.branches.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._show_label()
        colors.follow(self, self._show_label)  # the past's colour is the theme's

    _SLIDER_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Up, Qt.Key.Key_Down}

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if obj is self.slider and event.type() == QEvent.Type.ShortcutOverride \
                and event.key() in self._SLIDER_KEYS:
            event.accept()
        return False

    # --- from the window -------------------------------------------------------------------

    def update_snapshot(self, s: Snapshot) -> None:
        if self._asked_branch and s.branch != self._asked_branch:
            # Another branch shown (switched, forked): an epoch asked of the last one is not
            # to come.
            self._asked_pending = self._asked_pending and self._asked is None
        self._opening = ""
        self.live_epoch, self.epoch, self.branch = max(s.live_epoch, s.epoch), s.epoch, s.branch
        self._checkpoints = tuple(getattr(s, "checkpoint_epochs", ()))
        self.first_epoch = min(s.first_epoch, self.live_epoch)
        w = getattr(s, "weights_epoch", -1)  # (Snapshot.restored; a test's stand-in has none)
        self.weights_epoch = w if 0 <= w != s.epoch else -1
        self._scale = max(1, -(-self.live_epoch // SLIDER_MAX))  # its end fits the slider
        with QSignalBlocker(self.slider), self.slider.quietly():
            self.slider.setRange(self._to_slider(self.first_epoch),
                                 self._to_slider(self.live_epoch))
            at = s.epoch
            # The answer to the last ask: its epoch, or (a replay that met a loss that is not
            # finite stops short of it) the snapshot made for it.
            asked = getattr(s, "asked_epoch", -1)
            self._asked_pending &= s.epoch != self._asked and not (
                self._asked is not None and asked == self._asked)
            if not s.past and not self._asked_pending:
                self._paused = False  # at the live end: no replay to go on with
            if self._asked_pending and self._asked is not None and s.past \
                    and (self.replaying or self._paused):
                at = max(self.first_epoch, min(self._asked, self.live_epoch))
            self.slider.setValue(self._to_slider(at))
            self.slider.setPageStep(max(1, self._to_slider(self.live_epoch // 20)))
        names = [s.branch] + [b.name for b in s.branches] if s.branch else []
        names = sorted(names, key=_branch_order)
        if names != [self.branches.itemText(i) for i in range(self.branches.count())]:
            with QSignalBlocker(self.branches):
                self.branches.clear()
                self.branches.addItems(names)
        with QSignalBlocker(self.branches):
            self.branches.setCurrentText(s.branch)
        many = len(names) > 1
        self._show_branches(many)
        self.delete_action.setEnabled(many)
        self.live.setEnabled(s.past)
        if self.speed.property("chosen") is None and not self._timer.isActive():
            with QSignalBlocker(self.speed):  # the pace a replay would take
                self.speed.setCurrentIndex(REPLAY_SPEEDS.index(self._auto_pace()))
        self._show_label()

    def reset(self) -> None:
        """A new run: nothing recorded yet."""
        self.replay.setChecked(False)
        self._paused, self._asked, self._asked_pending = False, None, False
        self._said_timer.stop()
        self._checkpoints, self._opening = (), ""
        self.live_epoch = self.epoch = self.first_epoch = 0
        self.weights_epoch = -1
        self._scale = 1
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, 0)
        # No run behind it until the first frame (a big model compiles for ~35 s): Live stood
        # enabled through that compile when the run before was shown in the past (r23 F2).
        self.live.setEnabled(False)
        self._show_branches(False)  # nor the last run's branches
        self._show_label()

    def _show_branches(self, on: bool) -> None:
        self.branches.setVisible(on)
        self.branch_menu_button.setVisible(on)

    def opening(self, epoch: int, shown: int | None = None, verb: str = "Loading") -> None:
        """A run adopted at ``epoch`` (a session opened, a run undone back), compiling before
        its first frame: the label says so, not the empty run's "train, then drag to look back"
        (r23 F7); ``shown``: the past epoch it opens at, said computing once the model is
        there and until that epoch comes."""
        past = shown is not None and shown < epoch
        self._opening = (f"{verb} epoch {shown:,} of {epoch:,}" if past else
                         f"{verb} epoch {epoch:,}")
        self.live_epoch = self.epoch = int(epoch)
        if past:
            self._asked, self._asked_pending, self._asked_branch = int(shown), True, ""
            self._said_timer.start()
        self._show_label()

    @property
    def epoch_to_come(self) -> int | None:
        """The past epoch asked for and not shown yet (None: none)."""
        return self._asked if self._asked_pending and self._asked is not None else None

    def leave_past(self) -> None:
        """Training goes on from the live end (Play, Step): an epoch asked for and not come
        is no longer to come."""
        self._asked, self._asked_pending = None, False
        self._said_timer.stop()
        self._show_label()

    # --- moving ------------------------------------------------------------------------------

    def go(self, epoch: int | None) -> None:
        """Show ``epoch`` (clamped to the run), or the live end (None)."""
        if epoch is not None:
            epoch = max(self.first_epoch, min(int(epoch), self.live_epoch))
            if epoch == self.live_epoch:
                epoch = None
        if epoch is None:
            self.replay.setChecked(False)
            self._paused = False
        with QSignalBlocker(self.slider):
            self.slider.setValue(self._to_slider(self.live_epoch if epoch is None else epoch))
        self._ask(epoch)

    def step(self, n: int) -> None:
        self.go(self.epoch + n if self.epoch + n < self.live_epoch else None)

    @property
    def past(self) -> bool:
        return self.epoch < self.live_epoch

    def _slider_moved(self, value: int) -> None:
        self.replay.setChecked(False)
        self.go(self._from_slider(value))

    # The slider's positions: an epoch each until the run passes SLIDER_MAX epochs, then
    # ``_scale`` epochs each; the last position is the live end alone (a past epoch is never
    # shown at the end).

    def _to_slider(self, epoch: int) -> int:
        if epoch >= self.live_epoch:
            return -(-self.live_epoch // self._scale)
        return int(epoch) // self._scale

    def _from_slider(self, value: int) -> int:
        return self.live_epoch if value >= self.slider.maximum() else value * self._scale

    def _slider_epoch(self) -> int:
        """The epoch at the handle: the one asked for last (the one shown may lag behind)."""
        return self._from_slider(self.slider.value())

    # --- the label's row ---------------------------------------------------------------------

    def _least_row(self, widgets) -> int:
        """The least width of a row of ``widgets`` (the ones not hidden) in a layout."""
        shown = [w for w in widgets if not w.isHidden()]
        spacing = max(0, self._bottom.spacing())
        return sum(self._least(w) for w in shown) + spacing * max(0, len(shown) - 1)

    def _least(self, w: QWidget) -> int:
        """``w``'s least width in a layout. The label's room: the label's least width, as its
        room will mirror it (LabelRoom passes it on at its next event; its size hint is the
        text shown: "697" asked less room than "Live · 1,000")."""
        if w is self._room:
            return self.label.minimumWidth()
        return max(w.minimumWidth(), w.minimumSizeHint().width())

    def _least_narrow(self) -> int:
        """The least width with the label beside the slider."""
        return max(self._least_row((self.slider, self._room, self.branches,
                                    self.branch_menu_button)),
                   self._least_row(self._bottom_row[1:]))

    def minimumSizeHint(self):  # noqa: N802 (Qt)
        """The least width of the two ways: a narrow column puts the label up (_place_label)."""
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), self._least_narrow()))
        return hint

    def _place_label(self) -> None:
        """The label under the slider, before the buttons, where their row fits the width;
        else beside the slider."""
        # Measured again only when the width or the label's least width moved (called at
        # every frame: the buttons' and the pace box's size hints cost ~0.1 ms a time).
        key = (self.width(), self.label.minimumWidth(), self.label.isHidden())
        if key == self._placed_for:
            return
        self._placed_for = key
        up = self.width() < self._least_row(self._bottom_row)
        if up == self._label_up:
            return
        self._label_up = up
        if up:
            self._bottom.removeWidget(self._room)
            self._up.layout().addWidget(self._room)
            self._bottom.insertStretch(0, 1)
        else:
            self._up.layout().removeWidget(self._room)
            self._bottom.takeAt(0)  # the stretch
            self._bottom.insertWidget(0, self._room, 1)
        self._up.setVisible(up)
        self.layout().activate()  # (in a resize, its rows were already laid out)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._place_label()

    def set_compact(self, on: bool) -> None:
        """The slider (and the branches) alone, without the row of the epoch and the buttons
        under it: presentation mode, whose readout says the epoch and how to go back to live,
        in a left column too narrow for that row at 1024 px."""
        for w in self._bottom_row:
            w.setVisible(not on)
        self.fork.text_shown.emit(self.fork.text())  # the notes that name it, named anew

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self.fork.text_shown.emit(self.fork.text())  # (shown again: the button is there)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().hideEvent(event)
        if not event.spontaneous():  # (a minimised window keeps its button)
            self.fork.text_shown.emit(self.fork.text())

    def _past_look(self, past: bool) -> None:
        """The label bold, in the timeline mark's colour (readable on the theme's panel), in
        the past; else as the text around it. By its font's weight and its palette's text
        colour alone, its size the window's: a style sheet set its font once, and the sheet
        taken off again at the live end left it at the application's 9 pt beside 13.5 pt
        buttons at text size 150% (review r21 F6: "Live · 1,000" in small type)."""
        colour = QColor(*colors.readable(colors.TIMELINE_MARK)) if past else None
        if (past, colour) == self._look:
            return
        self._look = (past, colour)
        font = QFont()  # only what it sets is the label's own: the rest is inherited
        if past:
            font.setBold(True)
        self.label.setFont(font)
        palette = QPalette()
        palette.setResolveMask(0)  # (inherits every colour but the one set)
        if colour is not None:
            palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.label.setPalette(palette)

    def _computing(self) -> tuple[int, int] | None:
        """(the past epoch asked for, the epoch it is recomputed from) while it has not come
        for COMPUTING_SAID_MS; else None. From the last checkpoint at or before it, or from the
        past epoch shown where that is nearer (the worker goes on from it: runlog.state_at)."""
        a = self._asked
        if a is None or not self._asked_pending or self._said_timer.isActive() \
                or a == self.epoch or a >= self.live_epoch:
            return None
        start = max((c for c in self._checkpoints if c <= a), default=self.first_epoch)
        if self.past and start <= self.epoch <= a:
            start = self.epoch
        return a, start

    def _show_label(self) -> None:
        e, live = self.epoch, self.live_epoch
        # One least width live and past, and through a replay: the shortest past form at its
        # widest. At the window's least width the row is at its parts' least, and a replay's
        # "0/200" (bold) beside the live "200" moved the buttons 15 px as it started (the
        # Replay button under the pointer), and again at each new digit of the epoch.
        # Room for the past's shortest form of a run of LABEL_RESERVE epochs from the start, not
        # for this run's: the label's least width, and with it the label's place (_place_label),
        # were the run's, and as the run passed 1,000 epochs at 1024 px and 150% the label went
        # from under the slider (a bare "697") to beside it, and back as the state changed
        # (review r21 F6). (A longer run's own past form, where that is the wider.)
        n = LABEL_RESERVE - 1
        reserve = (f"Past: {n:,}/{n:,}", f"{live:,}/{live:,}")
        w = self.weights_epoch
        computing = self._computing()
        if self._opening:
            self._past_look(False)
            self.label.set_texts(
                f"{self._opening}: compiling the model\u2026", "Opening: compiling\u2026",
                "Compiling\u2026", reserve=reserve,
                tip="The session's model compiles before its first frame (a big network "
                    "takes a while); then every view shows its epoch.")
        elif computing is not None:
            # The handle is at the epoch asked for; the views show the last one until it comes
            # (a seek on a big run: seconds of retraining from a checkpoint). It said "Past:
            # epoch 5 of 14" under the handle at 10, with nothing computing in sight (r23 F4).
            a, start = computing
            self._past_look(True)
            if start == a:
                full = f"Computing epoch {a:,}\u2026"
            elif start == e:
                full = f"Computing epoch {a:,} from epoch {start:,}\u2026"
            else:
                full = f"Computing epoch {a:,} from the checkpoint at epoch {start:,}\u2026"
            self.label.set_texts(
                full, f"Computing epoch {a:,}\u2026", f"Computing {a:,}\u2026", f"{a:,}\u2026",
                reserve=reserve,
                tip=f"Epoch {a:,} is recomputed from the run's record ({a - start:,} epochs of "
                    f"training from epoch {start:,}); the views show epoch {e:,} until it "
                    "comes.")
        elif w >= 0:
            # After a divergence: the model is epoch w's weights, put back at epoch e (the
            # handle's place); "Live · epoch 14" stood under the counter's "Epoch 0, restored;
            # diverged after epoch 14" (review r19).
            self._past_look(self.past)
            where = "Past" if self.past else "Live"
            self.label.set_texts(
                f"{where} \u00b7 epoch {w:,} restored", f"{where} \u00b7 {w:,} restored",
                f"{w:,} restored", f"{w:,}", reserve=reserve,
                tip=f"The views show epoch {w:,}'s weights, put back when the run diverged "
                    f"after epoch {e:,} (the handle's place on the timeline)."
                    + (" Training goes on from them." if not self.past else
                       f" Live or End returns to the run's end (epoch {live:,})."))
        elif self.past:
            self._past_look(True)
            self.label.set_texts(
                f"Past: epoch {e:,} of {live:,}", f"Past: {e:,} of {live:,}",
                f"Past: {e:,}/{live:,}", f"{e:,}/{live:,}", reserve=reserve,
                tip=f"The views show epoch {e:,} of the recorded run ({live:,} epochs). Live or "
                    "End returns to its end; Play and Step go back to the end and train on; "
                    f"{self.fork.text()} trains from this epoch as a new branch.")
        else:
            self._past_look(False)
            if live:
                self.label.set_texts(f"Live \u00b7 epoch {live:,}", f"Live \u00b7 {live:,}",
                                     f"{live:,}", reserve=reserve)
            else:
                self.label.set_texts("Timeline: train, then drag to look back",
                                     "Train, then drag back", "Timeline", reserve=reserve)
        self._place_label()  # (a longer epoch needs a wider label)

    # --- replay ------------------------------------------------------------------------------

    @property
    def replaying(self) -> bool:
        """A replay is playing."""
        return self.replay.isChecked()

    @property
    def replay_paused(self) -> bool:
        """A replay was paused and a past epoch is shown: resume_replay goes on from it."""
        return self._paused and self._slider_epoch() < self.live_epoch

    def pause_replay(self) -> None:
        """Stop the replay at the epoch it shows (as its button does)."""
        self.replay.setChecked(False)

    def resume_replay(self) -> None:
        self.replay.setChecked(True)

    def _replay_toggled(self, on: bool) -> None:
        if not on:
            if self._timer.isActive():  # paused: the epoch asked for last is where it stays
                self._paused = True     # (it comes next, though an earlier one may show now)
                at = self._slider_epoch() if self._asked is None else self._asked
                with QSignalBlocker(self.slider):
                    self.slider.setValue(self._to_slider(at))
            self._timer.stop()
            return
        self._paused = False
        if self.live_epoch == 0:
            self.replay.setChecked(False)
            return
        at = self._slider_epoch()
        start = max(self.first_epoch, at if at < self.live_epoch else 0)
        self._replay_at = float(start)
        if self.speed.property("chosen") is None:
            self.speed.setCurrentIndex(REPLAY_SPEEDS.index(self._auto_pace()))
        self._ask(start)
        self._timer.start()

    def _auto_pace(self) -> int:
        """The slowest pace that replays the whole run in about ten seconds."""
        return next((v for v in REPLAY_SPEEDS if self.live_epoch / v <= 10), REPLAY_SPEEDS[-1])

    def _replay_tick(self) -> None:
        if self._asked_pending and self._asked is not None:
            # The frame asked for last is still to come: the next is asked for once it is
            # shown. On a big run (seconds an epoch to recompute) the ticks queued seeks the
            # worker dropped, the replay reached the end in half a second, and the epochs in
            # between were never shown (r23 F17).
            return
        self._replay_at += self.speed.currentData() / REPLAY_FPS
        if self._replay_at >= self.live_epoch:
            self.go(None)
            return
        e = max(self.first_epoch, int(self._replay_at))
        if e == self._asked:
            return  # (shown: a slow pace asks for an epoch over several ticks)
        with QSignalBlocker(self.slider):
            self.slider.setValue(self._to_slider(e))
        self._ask(e)

    def _ask(self, epoch: int | None) -> None:
        self._asked, self._asked_pending, self._asked_branch = epoch, True, self.branch
        if epoch is None:
            self._said_timer.stop()
        else:
            self._said_timer.start()
        self.show_epoch.emit(epoch)
        self._show_label()  # (a computing label of the last ask goes)

    # --- branches ----------------------------------------------------------------------------

    def _branch_picked(self, index: int) -> None:
        name = self.branches.itemText(index)
        if name and name != self.branch:
            self.replay.setChecked(False)
            self.switch_requested.emit(name)

    def _rename(self) -> None:
        """Asks for the new name; a name another branch has is refused here, in the dialog,
        with what was typed kept to correct (it went to the training thread, whose refusal
        stayed as a banner over the plot through a delete, Undo and scrubbing, and the Undo
        steps took the refused name as the branch's new one)."""
        others = {self.branches.itemText(i) for i in range(self.branches.count())} - {
            self.branch}
        typed, refusal = self.branch, ""
        while True:
            dialog = QInputDialog(self)
            dialog.setWindowTitle("Rename branch")
            dialog.setLabelText(refusal + f"New name (at most {MAX_BRANCH_NAME} characters):")
            dialog.setTextValue(typed)
            edit = dialog.findChild(QLineEdit)
            if edit is not None:
                edit.setMaxLength(MAX_BRANCH_NAME)  # typed text is never thrown away as too long
            if not dialog.exec():
                return
            typed = dialog.textValue()
            new = branch_name(typed)  # as the run's record keeps it
            if not new or new == self.branch:
                return
            if new not in others:
                self.rename_requested.emit(self.branch, new)
                return
            refusal = f"There is already a branch \u201c{new}\u201d: type another name.\n"

    def _delete(self) -> None:
        if not self.branch:
            return
        answer = QMessageBox.question(
            self, "Delete branch", f"Delete the branch “{self.branch}” and its record? "
            + ("Undo brings it back" if self.delete_undoable else "This cannot be undone")
            + "; the other branches stay.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(self.branch)


def _branch_order(name: str) -> tuple:
    """Branches in the order they were made ("run 2" before "run 10"), renamed ones after."""
    head, _, tail = name.rpartition(" ")
    return (0, int(tail), "") if head == "run" and tail.isdigit() else (1, 0, name)
