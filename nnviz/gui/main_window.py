"""The main window: data, network and training panels; the decision-boundary and loss plots;
the run controls. Training happens in :mod:`nnviz.gui.worker`'s thread; this window only sends
commands and draws the latest snapshot from a ~60 Hz timer.

Hooks for other parts of the GUI (views, sessions):

- ``add_view(name, title, widget)`` puts a widget in a tab beside the main plot;
  ``show_view(name)`` selects it (``"main"`` is the data / decision-boundary tab; an unknown name
  raises KeyError naming the known ones); ``view_names()`` lists them.
- ``snapshot_drawn(Snapshot)`` fires once for every new snapshot the timer draws.
- ``set_probe(name, fn)``: ``fn(trainer, grid_points)`` runs in the worker thread with each
  snapshot; its result lands in ``snapshot.extras[name]``. ``fn=None`` removes it.
- ``set_params(params, undo_step=True)``: hand-edited weights, applied by the worker, drawn at
  once; ``undo_step=False``: the caller makes its own Undo step (the landscape's click).
- ``current_problem()`` -> the :class:`~nnviz.core.problem.Problem` of the current run (its seed
  and initial weights are the run's: after Reset, the new seed and no given weights);
  ``load_problem(problem)`` replaces everything (a fresh run);
  ``problem_for(data)`` the Problem the panels' settings make on other data (defaults follow the
  data, the user's own choices stay: the rules of :mod:`nnviz.core.problem`);
  ``load_trainer(trainer, history=None, test_epochs=None, test_values=None)`` adopts a ready
  Trainer that goes on where it stopped (sessions).
- ``request_state(callback, fn=None)``: the worker runs ``fn(ctx)`` in its thread, ``ctx`` being a
  :class:`~nnviz.gui.worker.RunContext` (the live trainer, its LossHistory and test history), and
  ``callback(result)`` is then called on the GUI thread. Without ``fn`` the result is a
  :class:`~nnviz.gui.worker.RunState` (numpy copies of the run). With ``on_error``, a failure
  (no model, ``fn`` raising) reaches ``on_error(exception)`` instead of the banner.
- ``file_menu``, ``run_menu``, ``view_menu``: menus to add actions to.
"""
from __future__ import annotations

import atexit
import math
import re
import sys
import traceback
import time
import weakref
from dataclasses import replace
from typing import Any, Callable

import numpy as np
import shiboken6

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QFontMetricsF, QKeySequence
from PySide6.QtWidgets import (QApplication, QCheckBox, QHBoxLayout, QLabel, QMainWindow, QMenu,
                               QMessageBox, QScrollArea, QSizePolicy, QSplitter, QTabWidget,
                               QToolButton, QVBoxLayout, QWidget)

from nnviz.core.csvdata import input_names
from nnviz.core.data import MAX_SEED, DataError, Dataset, DataSpec, make_dataset
from nnviz.core.loop import describe, failed_at, record_snapshot
from nnviz.core.losses import LossError
from nnviz.core.network import NetworkSpec, SpecError, check_edit
from nnviz.core.problem import (FITTED, Choices, Problem, fit, fitted_by_default,
                                notebook_problem)
from nnviz.core.session import Session
from nnviz.core.snapshot import Snapshot
from nnviz.core.errors import NnvizError
from nnviz.core.formatting import format_accuracy, format_loss
from nnviz.core.training import TrainConfig, Trainer, TrainingError, without_rate_advice

from . import access_keys, colors, help_menu, keys, text_size
from .architecture_editor import ArchitectureEditor
from .boundary_plot import DecisionPlot
from .columns import ColumnsScroll, SideTabs
from .controls import SWEEP_RATE_TIP, RunControls
from .data_panel import DataPanel
from .explain import facts_of
from .loss_plot import LossPlot
from .presentation import Presentation
from .stuck_hint import Banner, StuckHint
from .timeline import Timeline
from .training_panel import TrainingPanel
from .widgets import (CloseCorner, HeldCheckBox, LabelRoom, MessageLabel, NumberCombo, StatusBar,
                      ViewsButton, WholeTabsBar, WrappedLabel, add_layout, settle_plots,
                      shown_class_names)
from .worker import TrainingWorker

USER_ERRORS = (NnvizError,)  # every error meant for the user (core/errors.py)
# The frame timer's interval: FRAME_MS (40 frames/s), or longer while the run's epochs take
# BIG_EPOCH_S or more, until they take less than SMALL_EPOCH_S (apart, so that a chunk slowed
# by a busy machine does not flip it). A frame costs the training what the GUI thread's CPU
# takes from it: at 200 points the training runs on one core and loses to the GUI only its
# waits for the GIL, but from ~1 ms an epoch (3.5-4 ms at 100,000 moons points on the default
# network) XLA spreads each epoch over both cores and every ms of the GUI thread (~6 ms a frame)
# holds one of them back. At 100,000 points 30 ms frames won 9 of 10 runs in turns against 25 ms
# (view cost ~0.77 against ~0.69; bench/README, "2026-12-04, midday"); at 200 points they gave
# nothing measurable for 7 frames/s fewer. The longer interval is BIG_FRAME_MS less what the
# frames come late (a busy machine: the mean gap of the last FRAMES_TIMED frames over the
# interval), so that they come about GAP_TARGET_MS apart (31 a second): at load 6-12 a fixed
# 30 ms drew 29-32 frames/s where 25 ms drew 33-36 (bench/README, "The evening of 2026-12-04").
FRAME_MS, BIG_FRAME_MS, GAP_TARGET_MS, FRAMES_TIMED = 25, 30, 32, 16
BIG_EPOCH_S, SMALL_EPOCH_S = 1e-3, 0.5e-3
# The training thread compiles the first model once the window has painted, or this long after
# the window was shown if no paint has come by then (a window shown is painted at once).
TRAINING_WAITS_FOR_PAINT_MS = 1000
MAIN_VIEW = "main"
# The loss chart's least height, and its least while a message under the settings shows: the
# message's lines come from the chart for that while (a refusal of Points and the past-epoch
# rate note together in the settings' left column scrolled at 1400x900), not for good (two
# lines kept blank under the fields took 65 px of it).
LOSS_LEAST_PX, LOSS_LEAST_SAID_PX = 150, 100
# ... and the height the settings leave it when they need more than the column has with it at
# its least (they scroll then): with 8 hidden layers, the wide-layer hint and "Network changed"
# under them, the settings took all but the least (100 px) at 1400x900, a ~50 px strip of curve
# (review r24 F1). Less only where the column is too short to keep the settings SETTINGS_LEAST_PX beside it.
LOSS_ROOMY_PX = 220
SETTINGS_LEAST_PX = 200  # the settings' pane (0 while an exercise's tab is in front)
# ... where the column has room for it; where it has not, down to this (the pane scrolls): at 200
# the column was 467 px least-tall, the window 557, too tall for a 1280x800 or 1366x768 screen at
# 150% (533 and 512 logical px). At 120 the Edit points bar (31 px) still made it 508 px, under
# a 20 px title bar more than the 1366x768 screen's 512.
SETTINGS_SQUEEZED_PX = 90
BOX_STYLE = ("QLabel {{ background: {ground}; color: {text}; border: 1px solid {edge}; "
             "border-radius: 4px; padding: 6px; }}")
# The hint (blue) and the error banner (red): (ground, text, edge) on the light and the dark
# theme (the light theme's near-white box with blue text glared on the dark theme's window).
HINT_COLORS = {False: ("#e8f1fb", "#0b3d6b", "#b6d0ee"), True: ("#1d3148", "#d4e5f8", "#3f6a9a")}
BANNER_COLORS = {False: ("#fdecea", "#8c1d18", "#f1b0aa"), True: ("#4a2220", "#f8d7d3", "#9a4a44")}


def frame_ms_for(epoch_s: float | None, current_ms: int, late_ms: float | None = None) -> int:
    """The frame interval for epochs of ``epoch_s`` seconds (None: not measured yet, the
    current one kept) when it is ``current_ms`` now and frames come ``late_ms`` after it on
    average (None: not known yet); see BIG_EPOCH_S."""
    if epoch_s is None:
        return current_ms
    big = epoch_s >= BIG_EPOCH_S or current_ms > FRAME_MS and epoch_s >= SMALL_EPOCH_S
    if not big:
        return FRAME_MS
    if late_ms is None:
        return current_ms if current_ms > FRAME_MS else BIG_FRAME_MS
    return int(min(BIG_FRAME_MS, max(FRAME_MS, round(GAP_TARGET_MS - late_ms))))


def box_style(which: dict) -> str:
    """The hint's or the banner's style sheet (HINT_COLORS, BANNER_COLORS) in the current
    theme."""
    ground, text, edge = which[colors.theme().dark]
    return BOX_STYLE.format(ground=ground, text=text, edge=edge)


def _themed_box(label: QLabel, which: dict) -> None:
    """``label`` in ``which``'s box style, now and at every change of theme."""
    def style() -> None:
        label.setStyleSheet(box_style(which))
    style()
    colors.follow(label, style)


SHOW_TEST_TIP = "Show the held-out test points (rings) on the plot."
DISCRETIZE_TIP = ("Show the predicted class alone (of two classes the output rounded, as the "
                  "notebook does; of more, the largest output) instead of how sure the network "
                  "is.")



class _AfterFirstPaint(QObject):
    """Calls ``then()`` once ``widget`` has been painted (after the paints queued with it)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False


class _SettingsHeight(QObject):
    """The settings as tall as their fields and the loss plot the rest of the left column, until
    the user moves the splitter between them (a fixed 545 px left ~200 px empty under the Data
    tab at 1024x768, the loss plot at its 150 px minimum). Fitted when the column's height
    changes, when the settings go from columns to tabs or back, when another of their tabs
    comes in front (each its own height), when their fields need more or less room (a message
    under them) and when their pane was resized by anything but the user
    (a toolbar shown above, the splitter's state put back after presentation mode)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.moved = False  # by the user (or a layout restored from the last session)
        split = window.left_split
        split.splitterMoved.connect(self._moved)
        self._later = QTimer(self)  # one fit for a burst of events
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.fit)
        scroll = window.panels_scroll
        scroll.arranged.connect(self._later.start)
        # Tabbed, fitted to the tab in front at once: a timer's pass later, a taller tab was
        # first drawn at the last one's height, with a scroll bar.
        scroll.page_changed.connect(self._page_changed)
        window.side_tabs.currentChanged.connect(self._tab_changed)
        contents = [scroll.scroll.widget()] + [scroll.tabs.widget(i).widget()
                                               for i in range(scroll.tabs.count())]
        for widget in (split, scroll, *contents):
            widget.installEventFilter(self)

    def _moved(self, *_) -> None:
        self.moved = True

    def _page_changed(self) -> None:
        if not self.moved:
            self.fit()

    def _tab_changed(self, *_) -> None:
        # An exercise's tab in front: fitted to its text too (a hint shown needs more). It had
        # the settings' height: 400 px blank between its task and its goals at 1400x900.
        panel = self.window.side_tabs.exercise
        front = panel is not None and self.window.side_tabs.currentWidget() is panel
        if front:
            for widget in (panel, panel.body):
                widget.installEventFilter(self)
        # The tab widget is as least-tall as its tallest page's least: the settings' 200 px
        # kept a short task's tab 230 px tall, "Goals" 65 px under its last line at 1400x900.
        least = 0 if front else SETTINGS_SQUEEZED_PX
        if self.window.panels_scroll.minimumHeight() != least:
            self.window.panels_scroll.setMinimumHeight(least)
        self._later.start()

    def fit(self) -> None:
        w = self.window
        split, tabs = w.left_split, w.side_tabs
        presentation = getattr(w, "presentation", None)
        exercise = tabs.exercise is not None and tabs.currentWidget() is tabs.exercise
        fitting = not (self.moved or not split.isVisible()
                       or (tabs.currentWidget() is not w.panels_scroll and not exercise)
                       or (presentation is not None and presentation.active))
        if presentation is None or not presentation.active:  # (it sets its own least)
            said = fitting and any(not m.isHidden()
                                   for m in w.panels_scroll.findChildren(MessageLabel))
            least = LOSS_LEAST_SAID_PX if said else LOSS_LEAST_PX
            if w.loss_plot.minimumHeight() != least:
                w.loss_plot.setMinimumHeight(least)
        if not fitting:
            return
        total = sum(split.sizes())
        bar = tabs.tabBar().sizeHint().height() if tabs.tabBar().isVisible() else 0
        if exercise:  # its task, goals and buttons, and the tab bar above them
            need = tabs.exercise.needed_height() + tabs.height() - tabs.exercise.height()
        else:
            need = w.panels_scroll.needed_height() + bar + 2
        room = total - split.handleWidth() - w.loss_box.minimumSizeHint().height()
        least = SETTINGS_LEAST_PX if w.panels_scroll.minimumHeight() else 0
        if not exercise and need > room:  # they scroll anyway: the loss plot roomy first
            roomy = room - max(0, LOSS_ROOMY_PX - w.loss_plot.minimumHeight())
            room = max(roomy, min(max(least, w.panels_scroll.minimumHeight()), room))
        top = max(w.panels_scroll.minimumHeight(), min(max(least, min(need, room)), room))
        if total > 0 and split.sizes()[0] != top:
            split.setSizes([top, total - top])

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest) \
                and not self.moved:
            self._later.start(0)
        return False


class MainWindow(QMainWindow):
    snapshot_drawn = Signal(object)
    # The app's own window (``nnviz``, not nnviz.show() or a test): closing the last one ends
    # the app (app.run sets it).
    quits_app = False
    weights_edited = Signal(object, object)  # the weights before and after a hand edit
    # "Continue from here" made a branch: (its name, its parent's, the epoch it starts at)
    branched = Signal(str, str, int)
    # A branch was deleted: (its name, its RunLog, its end a checkpoint), for Undo
    branch_deleted = Signal(str, object)
    # Another run replaces the one shown (a new network, new data, a preset, Reset, Restart, an
    # opened session): the views drop the last run's numbers at once, not when the new run's
    # first frame comes (after its compile: half a minute for a wide network).
    run_changed = Signal()

    def __init__(self, problem: Problem | None = None, *, install_extras: bool = True,
                 companion: bool = False) -> None:
        """``problem``: what to train first; default the notebook's. ``companion``: a window
        opened beside another (a sweep's member): it neither restores nor saves the window
        layout and the work that ``nnviz`` opens with next time (the first window's are)."""
        super().__init__()
        self.setWindowTitle("nnviz")
        # A script that builds a window itself and ends without ``app.tear_down`` (the
        # ``nnviz`` command and ``nnviz.show`` call it) would leave the window to the
        # interpreter's exit, which deletes pyqtgraph's items in an order that crashes
        # (SIGSEGV after a Backprop view was shown): tear it down while Python is whole.
        atexit.register(_tear_down_at_exit, weakref.ref(self))
        self.companion = companion
        self.companions: list[MainWindow] = []  # windows opened beside this one (open_beside)
        self.opener: MainWindow | None = None  # the window this one was opened beside
        self.replaced_run: dict = {}  # the run the last new one replaced (_keep_the_run)
        # The Compare view while it is shown: its sweep takes Play, Pause and Step, Restart
        # goes to it too, and Reset (new weights for the main run, out of sight) waits; with
        # no sweep, they train nothing (``has_sweep`` says why).
        self.sweep_driving: Any = None
        # The Stop-at epoch and the hint over the plot, of the main run and of the sweep: the
        # controls and the hint show those of the one in front (set_sweep_driving). A sweep's
        # "trains it to epoch 2,000" stood over the main run, whose Stop at it had changed.
        self._stop_at: dict[bool, int | None] = {False: None, True: None}
        self._hint_text: dict[bool, str] = {False: "", True: ""}
        self._hint_closed: dict[bool, bool] = {False: False, True: False}  # (its x clicked)
        # the main hint's promised stop: (epoch, text past it[, text there]) (show_hint)
        self._hint_stop: tuple[int, ...] | None = None
        self._hint_promise = ""  # the main hint as given, with its promise
        # A preset's Stop at: it goes with the preset's data (_commit), unless the user has
        # typed one since (review r20 F9: its 1,000 stopped an imported CSV's run there).
        self._problem_stop: int | None = None
        # The preset whose note is over the plot (its title), and what the learner changed of
        # its run since, said after the note (_note_variation): "the notebook's final figure"
        # stood over a run whose rate had been changed, at 99% against the notebook's 88%
        # (review r20 F6).
        self._hint_preset: str | None = None
        self._hint_variation = ""
        self._hint_rate = 0.0  # the preset's learning rate (show_hint)
        # The status line of each too: "the sweep stopped at epoch 2,000" stayed on the main
        # run's tabs, after Save and Export.
        self._status_text: dict[bool, str] = {False: "", True: ""}
        self._points_news = ""  # the last edit of the points, as the worker says it back
        self._run_id = 0
        self._resets = 0
        self._seed = 0
        self._dataset: Dataset | None = None
        self._data_source: DataSpec | Dataset | None = None
        self._spec: NetworkSpec | None = None
        self._config: TrainConfig | None = None
        self._params: Any = None  # the run's given initial weights; None: from the seed
        # Which of the loss, output activation and learning rate the user chose (kept when the
        # data changes); the others follow the data.
        self._chosen: set[str] = set()
        self._loaded_choices: set[str] = set()  # those of _chosen the last load_problem set
        # The data set the loaded choices were made for once its exercise closed (a data set's
        # name; the Dataset itself for data of no name): other data lets them go.
        self._loaded_for: Any = None
        self._latest: Snapshot | None = None
        self._drawn_branch: str | None = None  # the branch of the last snapshot drawn
        self._drawn: Snapshot | None = None
        # (run id, epoch, branched) of a trainer adopted (load_trainer): whether the run is
        # trained before its first snapshot is drawn.
        self._adopted: tuple[int, int, bool] | None = None
        self._views: dict[str, QWidget] = {}
        self._view_aliases: dict[str, Callable[[], None]] = {}
        self.playing = False
        self.last_error = ""
        # The divergence the banner was last given (Snapshot.divergence; None: none), and the
        # (run id, branch, epoch) of one Play went on from (the snapshots made before the loop
        # heard Play still carry it: they must not put it back).
        self._divergence_text: str | None = None
        self._divergence_left: tuple | None = None
        # A failure the worker reported while the banner says it: (loop.failed_at: the model it
        # was about, the banner's text), and the snapshot received before it (drawn after it
        # maybe, but made before: not a model shown since). None: none, or one not a model's.
        self._failure: tuple | None = None
        self._failure_after: Snapshot | None = None
        self._fresh_note: str | None = None  # what stays of the editor's note once the run moves
        # The (spec, config) the editor's note on defaults taken ("learning rate 0.1: the
        # defaults for this data and optimiser") is about; None: no such note shown.
        self._note_about: tuple | None = None
        self._note_echo: str | None = None  # the note as the status bar said it
        self._pending_lr: float | None = None  # a rate set while the past was shown (the note)
        # False while a rate put back with its run (put_back_view) waits for the run's first
        # picture of the past: the live frames before it do not apply the rate.
        self._pending_seen_past = True
        self._past_rate_note: str | None = None  # the past epoch's rate said (_past_rate_drawn)

        self.worker = TrainingWorker(self)
        self._build()
        self._connect()

        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self._draw_latest)
        self._drawn_at = 0.0  # perf_counter of the last frame drawn
        self._gaps: list[float] = []  # s between the last frames drawn at this interval (_pace_frames)

        self._install_excepthook()
        # Held until the window has painted (see _begin_training): the first compile runs
        # Python in three threads, which took the GIL from the building and the first paint of
        # the window (bench/launch.py: the launch; the window's own work did not change).
        self.worker.start(hold=True)
        self.frame_timer.start()
        try:
            self.load_problem(problem or notebook_problem())
        except BaseException:
            self.shutdown()  # never leave a running thread behind a window that failed to open
            raise

        if install_extras:
            self._install_extras()
        help_menu.install(self)  # last in the menu bar, after the views' menus
        access_keys.install(self.menuBar())  # every entry a letter (Alt+P, M: the moons)
        _AfterFirstPaint(self.centralWidget(), self.worker.begin)
        QTimer.singleShot(0, self, self._begin_training)

    def _begin_training(self) -> None:
        """The event loop's first turn: a window not shown (a script, a test) trains now; a
        shown one once it has painted (_AfterFirstPaint), or after TRAINING_WAITS_FOR_PAINT_MS."""
        if self.isVisible():
            QTimer.singleShot(TRAINING_WAITS_FOR_PAINT_MS, self, self.worker.begin)
        else:
            self.worker.begin()

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.controls = RunControls()
        self.data_panel = DataPanel()
        self.training_panel = TrainingPanel()
        self.editor = ArchitectureEditor()
        self._note_label = self.editor.note  # where the note on the fresh model shows

        # Side by side where they fit; on a projector's 1024 pixels a tab each ("Data",
        # "Training", "Network"), the editor's name in sight rather than below the fold.
        self.panels_scroll = ColumnsScroll([[self.data_panel, self.training_panel],
                                            [self.editor]])
        self.panels_scroll.setMinimumHeight(SETTINGS_SQUEEZED_PX)

        # The main tab: the data and the model over it, with its options.
        self.boundary = DecisionPlot()
        self.show_test = HeldCheckBox("Show test data")  # unchecked where none (F16)
        self.show_test.setChecked(True)
        self.show_test.setToolTip(SHOW_TEST_TIP)
        self.discretize = HeldCheckBox("Discretize output")  # unchecked where it does nothing
        self.discretize.setToolTip(DISCRETIZE_TIP)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        # Wrapped rather than widening the window (many classes, long names).
        self.legend.setWordWrap(True)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.legend.setToolTip("The key: each class's shape and colour, and its name (filled: "
                               "training points, hollow: test points); what the background "
                               "shows.")
        main_tab = QWidget()
        mv = QVBoxLayout(main_tab)
        mv.setContentsMargins(4, 4, 4, 4)
        mv.addWidget(self.boundary, 1)
        mv.addWidget(self.legend)  # a line of its own: beside the options it was cut at 1024 px
        opts = QHBoxLayout()
        opts.addWidget(self.show_test)
        opts.addWidget(self.discretize)
        opts.addStretch(1)
        add_layout(mv, opts)

        self.tabs = QTabWidget()
        self.tabs.setTabBar(WholeTabsBar())  # scrolled, no tab cut at the bar's start
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(main_tab, "Data && model")
        self.tabs.setTabToolTip(0, "The data and the model's prediction over the input plane.")
        self._views[MAIN_VIEW] = main_tab
        self.main_tab = main_tab  # (views.install_views: it draws the grid while shown)
        # Ten views do not fit one row of tabs (about three at 1024 pixels in presentation
        # mode): beside the bar's scroll arrows, a list of them all, the one shown checked,
        # the ones off the bar in bold; the button says how many those are ("3 more views"),
        # framed as a button (flat, "All views" read as a label, and went unnoticed: r18).
        self.views_button = ViewsButton()
        self.views_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tabs.tabBar().hidden_changed.connect(self._count_hidden_views)
        self.views_button.setMenu(QMenu(self.views_button))
        self.views_button.menu().aboutToShow.connect(self._list_views)
        self.tabs.setCornerWidget(self.views_button, Qt.Corner.TopRightCorner)

        self.banner = Banner()  # (a QLabel, drawn on one line where it would crowd: stuck_hint)
        self.banner.setWordWrap(True)
        # Plain text: its messages are (a divergence's, read back from a session file too, an
        # error's with "<" in it); Qt's guess took a tag in them for markup.
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        _themed_box(self.banner, BANNER_COLORS)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setToolTip("What went wrong, and what to do about it.")
        self.banner.hide()
        self.stuck_hint = StuckHint(self)  # the banner's x, and its hint's button
        # What a preset or a lesson asks of the user ("press Play; it stops at 1,000"): it stays
        # until the problem changes (a status-bar message went at the first "compiling...").
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        _themed_box(self.hint, HINT_COLORS)
        self.hint.setToolTip("What this preset or lesson shows, and how to see it.")
        self.hint.hide()
        # Its x: read, the note may go and give its lines to the plot (two or three of them at
        # 1024x768, more in presentation mode) until the next note is given (_close_hint).
        self.hint_close = CloseCorner(
            self.hint, "Hide this note (the next preset, lesson or sweep shows its own)",
            "Hide the note", self._close_hint)

        self.loss_plot = LossPlot()
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis: small changes late in "
                                  "training stay visible.")
        self.metrics = WrappedLabel()  # on two lines rather than cut, at 1024 px
        self.metrics.setToolTip(
            "Loss and accuracy of the weights shown, after the epoch's update, on the training "
            "and the test points (R\u00b2 for regression: 1 is a perfect fit); the decision plot "
            "and the other views show the same weights. The notebook prints \u201cLoss for "
            "epoch N\u201d BEFORE epoch N's update: that is the loss curve at N, and this line "
            "at epoch N \u2212 1 (the notebook's epoch 300, 0.1387 on the moons, is the loss "
            "after 299 epochs). A straight-line fit (one input, no hidden layer) also shows its "
            "line, y = m x + b.")
        self.metrics.setTextFormat(Qt.TextFormat.RichText)
        # Never let a long number widen the window (a diverging run prints huge ones).
        self.metrics.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        loss_box = QWidget()
        lv = QVBoxLayout(loss_box)
        lv.setContentsMargins(8, 0, 4, 4)
        top = QHBoxLayout()
        # New numbers every frame: the window is laid out again only when they need more or
        # fewer lines.
        self.metrics_room = LabelRoom(self.metrics)
        self._metrics_of: Snapshot | None = None  # the snapshot whose numbers the line shows
        self.metrics.width_changed.connect(self._refit_metrics)
        top.addWidget(self.metrics_room, 1)
        top.addWidget(self.log_scale, 0, Qt.AlignmentFlag.AlignTop)
        add_layout(lv, top)
        self.metrics_row = top  # (presentation mode's readout goes beside the check box)
        lv.addWidget(self.loss_plot, 1)
        self.timeline = Timeline()
        lv.addWidget(self.timeline)
        # The rate notes name the branch button by the words it shows ("Branch" where its row
        # is short): said again when they change with the width.
        self.timeline.fork.text_shown.connect(self._fork_renamed)

        # Left: the settings above the loss; right: the big plot (and the views' tabs).
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        # The settings, and an open exercise as a tab beside them (nnviz.gui.exercise_panel).
        self.side_tabs = SideTabs(self.panels_scroll)
        self.left_split.addWidget(self.side_tabs)
        self.left_split.addWidget(loss_box)
        # The settings keep their height; the loss plot takes what is left (at least 150 px).
        self.left_split.setStretchFactor(0, 0)
        self.left_split.setStretchFactor(1, 1)
        self.left_split.setSizes([545, 300])
        self.loss_box = loss_box
        self.loss_plot.setMinimumHeight(LOSS_LEAST_PX)
        self.left_split.setChildrenCollapsible(False)
        # The first layout had the loss under the plot in a "right_split"; the session actions
        # save splitter states under that name, so it stays as an alias of the vertical one.
        self.right_split = self.left_split
        self.settings_height = _SettingsHeight(self)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 4, 4, 0)
        rv.addWidget(self.hint)
        self.right_layout = rv  # the exercise panel goes under the banner
        rv.addWidget(self.banner)
        rv.addWidget(self.tabs, 1)

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.left_split)
        self.main_split.addWidget(right)
        # Widths shared 9:11 at any window size (stretch as the sizes): the settings' two
        # columns fit side by side down to 1280 px; at 1024 px the plot keeps its share and the
        # settings are tabs (ColumnsScroll).
        self.main_split.setStretchFactor(0, 9)
        self.main_split.setStretchFactor(1, 11)
        self.main_split.setSizes([630, 770])
        self.main_split.setChildrenCollapsible(False)

        central = QWidget()
        cv = QVBoxLayout(central)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addWidget(self.controls)
        cv.addWidget(self.main_split, 1)
        self.setCentralWidget(central)
        self.setStatusBar(StatusBar())  # a message too long for it ends in "..." (+ tooltip)
        self.statusBar().setSizeGripEnabled(True)
        self.statusBar().addPermanentWidget(self.controls.status)

        self._build_menus()
        self.presentation = Presentation(self)
        text_size.install(self)  # View > Text size (after the mode: its scale is the mode's)
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        w, h = 1400, 900
        if avail is not None:  # never larger than the screen (a projector's 1024x768)
            w, h = min(w, avail.width()), min(h, avail.height())
        self.resize(w, h)
        # ... with its frame too, once a window manager has framed it (fit_frame)
        self._frame_unfitted, self._first_size = True, (w, h)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.run_menu = bar.addMenu("&Run")
        self.view_menu = bar.addMenu("&View")

        def action(menu, text: str, tip: str, slot: Callable, keys=None) -> QAction:
            a = QAction(text, self)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            if keys is not None:
                a.setShortcut(QKeySequence(keys))
                a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        # The main tab first, as in the tab bar (the views add theirs: add_view).
        action(self.view_menu, "Data && model", "Show the Data & model view: the data and "
               "what the model predicts.", lambda: self.show_view(MAIN_VIEW))
        # The views' actions go above this line, in tab order; the rest of the menu (the
        # presentation mode, the theme) below it, whenever each is installed.
        self._views_end = self.view_menu.addSeparator()
        # Window-wide keys for the tabs: Ctrl+Tab was QTabWidget's own, for the tab widget the
        # focus is in, so after Esc or from the run bar it did nothing, and from the settings
        # it switched Data / Training / Network while F1 said "Next view tab" (a keyboard
        # user's review). The settings' tabs have keys of their own, Ctrl+PgDown / Ctrl+PgUp.
        self.view_tab_actions = [
            action(self.view_menu, "Next view tab", "Show the next tab of the views.",
                   lambda: self.step_view_tab(1), "Ctrl+Tab"),
            action(self.view_menu, "Previous view tab", "Show the previous tab of the views.",
                   lambda: self.step_view_tab(-1), "Ctrl+Shift+Tab"),
            action(self.view_menu, "Next settings tab", "Show the next tab of the settings "
                   "(Data, Training, Network; an exercise's).",
                   lambda: self.step_settings_tab(1), "Ctrl+PgDown"),
            action(self.view_menu, "Previous settings tab", "Show the previous tab of the "
                   "settings.", lambda: self.step_settings_tab(-1), "Ctrl+PgUp")]
        self.view_menu.addSeparator()
        # Each window closes alone (Ctrl+W); Quit closes them all (the one that opened the
        # others and those opened beside it), asking first in each for what would be lost. A
        # window opened beside had "Quit" close itself only, and asked "before quitting?".
        self.close_action = action(self.file_menu, "&Close window", "Close this window (asks "
                                   "first when its trained run is not saved).",
                                   self.close_window, QKeySequence.StandardKey.Close)
        if QKeySequence("Ctrl+W") not in self.close_action.shortcuts():
            self.close_action.setShortcuts(self.close_action.shortcuts() + [QKeySequence("Ctrl+W")])
        self.quit_action = action(self.file_menu, "&Quit", "Close nnviz, every window of it "
                                  "(asks first when a trained run is not saved).", self.quit,
                                  QKeySequence.StandardKey.Quit)
        if self.quit_action.shortcut() != QKeySequence("Ctrl+Q"):
            self.quit_action.setShortcuts([self.quit_action.shortcut(), QKeySequence("Ctrl+Q")])
        self.play_action = action(self.run_menu, "&Play / Pause", "Train continuously, or pause; "
                                  "while the timeline replays the run, pause or resume the "
                                  "replay.", self.play_or_replay, Qt.Key.Key_Space)
        self.step_action = action(self.run_menu, "&Step one epoch", "Train exactly one epoch.",
                                  lambda: self.step(1), Qt.Key.Key_Right)
        self.full_speed_action = action(self.run_menu, "&Full speed / watching pace",
                                        "Train as fast as possible, or back to the pace to "
                                        "watch.", self.controls.toggle_full_speed, Qt.Key.Key_F)
        action(self.run_menu, "Step &100 epochs", "Train exactly 100 epochs.",
               lambda: self.step(100))
        self.reset_action = action(self.run_menu, "&Reset", "New random weights, epoch 0.",
                                   self.reset, Qt.Key.Key_R)
        action(self.run_menu, "Res&tart", "Epoch 0 with the same initial weights.", self.restart)
        self.learning_rate_action = action(
            self.run_menu, "&Learning rate\u2026", "Type a new learning rate: it applies at once, "
            "even while training (in presentation mode the field in the run bar).",
            self.edit_learning_rate, "Ctrl+L")
        self.run_menu.addSeparator()
        tl = self.timeline
        action(self.run_menu, "Timeline: f&irst epoch", "Show epoch 0 of the run.",
               lambda: tl.go(0), Qt.Key.Key_Home)
        self.live_action = action(self.run_menu, "Timeline: li&ve end",
                                  "Back to the live end of the run.", lambda: tl.go(None),
                                  Qt.Key.Key_End)
        action(self.run_menu, "Timeline: one epoch &back", "Show the epoch before the one shown.",
               lambda: tl.step(-1), "Ctrl+Left")
        action(self.run_menu, "Timeline: one epoch &on", "Show the epoch after the one shown.",
               lambda: tl.step(1), "Ctrl+Right")
        # A lambda: triggered(checked) would otherwise arrive as the epoch (False is epoch 0).
        action(self.run_menu, "&Continue from here", "Train on from the epoch shown as a new "
               "branch, with the current settings.", self.branch, "Ctrl+B")
        for a in self.run_menu.actions() + self.file_menu.actions() + self.view_tab_actions:
            self.addAction(a)  # shortcuts work even when the menu bar is hidden
        self._field_keys = keys.install(self)  # an arrow key in a focused field is the field's
        # (and so is the wheel over a settings field: else the wheel scrolls the panel)

    def _connect(self) -> None:
        c = self.controls
        c.play_clicked.connect(self.toggle_play)
        c.step_clicked.connect(self.step)
        c.reset_clicked.connect(self.reset)
        c.restart_clicked.connect(self.restart)
        c.speed_changed.connect(self.worker.set_speed)
        c.stop_at_changed.connect(self.worker.set_stop_at)
        c.stop_at_changed.connect(self._stop_at_edited)
        # Said whole in the status bar too (and so in Help > Recent messages): over the field
        # it is cut to the field's width.
        c.stop_at.out_of_range.connect(lambda t: t and self.statusBar().showMessage(t, 10000))
        self.worker.set_speed(c.speed_value())  # the watchable default, not the loop's full speed
        self.data_panel.changed.connect(lambda: self._apply_panels("data"))
        self.training_panel.config_changed.connect(lambda: self._apply_panels("training"))
        self.training_panel.lr_changed.connect(self.set_learning_rate)
        # Presentation mode's learning rate in the run bar goes through the panel's field.
        c.set_learning_rate_field(self.training_panel.lr, self.training_panel.message)
        self.training_panel.chosen.connect(self._mark_chosen)
        self.editor.chosen.connect(self._mark_chosen)
        self.editor.changed.connect(lambda: self._apply_panels("network"))
        self.show_test.toggled.connect(self.boundary.set_show_test)
        self.discretize.toggled.connect(self.boundary.set_discretize)
        for box in (self.discretize, self.show_test):  # the key says what is drawn
            box.toggled.connect(
                lambda: self._dataset is not None and self._update_legend(self._dataset))
        self.run_changed.connect(self._follow_output)
        self.log_scale.toggled.connect(self.loss_plot.set_log)
        w = self.worker
        t = self.timeline
        t.show_epoch.connect(self.show_epoch)
        t.branch_requested.connect(self.branch)
        t.switch_requested.connect(w.switch_branch)
        t.rename_requested.connect(w.rename_branch)
        t.delete_requested.connect(self.delete_branch)
        self.loss_plot.epoch_clicked.connect(t.go)
        w.snapshot_ready.connect(self._on_snapshot)
        w.status_changed.connect(self._on_status)
        w.sweep_status_changed.connect(self.set_sweep_status)
        w.playing_changed.connect(self._on_playing)
        w.failed.connect(self._on_worker_failed)

    def _install_excepthook(self) -> None:
        """An exception in a slot (PySide calls sys.excepthook) reaches the user, not only
        stderr. The previous hook still runs first; closing the window puts it back."""
        previous = sys.excepthook

        def hook(exc_type, exc, tb) -> None:
            previous(exc_type, exc, tb)
            if issubclass(exc_type, Exception) and not self._closed:
                detail = "".join(traceback.format_exception(exc_type, exc, tb))
                try:
                    self._on_failed(f"Something went wrong: {exc_type.__name__}: {exc}"
                                    f"\n\n{detail}")
                except RuntimeError:  # the window is being deleted
                    pass

        self._closed = False
        self._previous_excepthook, self._excepthook = previous, hook
        sys.excepthook = hook

    def _install_extras(self) -> None:
        # The views and the session actions are built by other parts of nnviz; the window works
        # without them (ImportError), and a failing one is reported, not fatal: the thread is
        # running by now, and the main window must still open.
        try:
            from nnviz.gui import views
        except ImportError:
            views = None
        try:
            from nnviz.gui import session_actions
        except ImportError:
            session_actions = None
        try:
            from nnviz.gui import exercise_panel
        except ImportError:
            exercise_panel = None
        from nnviz.gui import explain, look
        for name, module, install in (("views", views, "install_views"),
                                      ("session actions", session_actions, "install"),
                                      ("exercises", exercise_panel, "install"),
                                      ("theme and palette", look, "install"),
                                      ("explanations", explain, "install")):
            if module is None:
                continue
            try:
                getattr(module, install)(self)
            except Exception as e:  # noqa: BLE001
                detail = traceback.format_exc()
                print(detail, file=sys.stderr)
                self._on_failed(f"The {name} could not be set up: {type(e).__name__}: {e}"
                                f"\n\n{detail}")

    # --- run control ---------------------------------------------------------------------------

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def play_or_replay(self) -> None:
        """Space, as in a media player: a replay playing pauses where it is, and one paused
        goes on from there; else Play / Pause (training goes on from the live end). Space
        during a replay jumped to the live end and trained past the preset's Stop at."""
        tl = self.timeline
        if self.sweep_driving is not None:  # the Compare tab: Space is the sweep's
            self.toggle_play()
        elif tl.replaying:
            tl.pause_replay()
        elif tl.replay_paused:
            tl.resume_replay()
        else:
            self.toggle_play()

    def play(self) -> None:
        if self.sweep_driving is not None and not self.sweep_driving.has_sweep():
            return
        self._say_refused_widths()
        self._say_refused_rates()
        self._say_leaving_the_past()
        self._hide_banner()
        d = self._drawn
        if d is not None and d.divergence:
            self._divergence_left = (d.run_id, d.branch, d.live_epoch)
        self._note_label.clear_message()  # "training stopped" is no longer true
        self.timeline.replay.setChecked(False)  # training goes on from the live end
        if self.sweep_driving is None:  # (the run goes live; a sweep's Play leaves it be)
            self.timeline.leave_past()
        self.playing = True
        self.controls.set_playing(True)
        self.worker.play()

    def pause(self) -> None:
        self.playing = False
        self.controls.set_playing(False)
        sweep = self.sweep_driving is not None  # the Compare tab's status line, or the run's
        if self._status_text[sweep].startswith(("training epoch", "the sweep is training")):
            # An epoch of seconds cannot be cut short: the Pause is heard, and comes after it.
            self._set_status(sweep, "pausing once this epoch is done\u2026")
        self.worker.pause()

    def step(self, n: int = 1) -> None:
        if self.sweep_driving is not None and not self.sweep_driving.has_sweep():
            return
        self.playing = False
        self.controls.set_playing(False)
        self._say_refused_widths()
        self._say_refused_rates()
        self._say_leaving_the_past()
        if self.sweep_driving is None:  # (the run goes live; a sweep's Play leaves it be)
            self.timeline.leave_past()
        self.worker.step(n)

    def _say_leaving_the_past(self) -> None:
        """Play and Step train at the live end: said when the timeline shows the past, which
        the views then leave (r19: Step at epoch 619 of 1,305 showed 1,306 without a word)."""
        d = self._drawn
        if self.sweep_driving is not None or d is None or not d.past or d.run_id != self._run_id:
            return
        # One line, in presentation mode at 1024 px too, beside the run's status: on two the
        # message hung over the timeline's slider and the check boxes under the plot for its
        # ten seconds, just as a teacher who had rewound went on (review r29 M3).
        self.statusBar().showMessage(
            f"Training goes on from the live end, epoch {d.live_epoch:,}; Ctrl+B continues "
            f"from epoch {d.epoch:,} instead.", 10000)

    def _say_refused_widths(self) -> None:
        """Play and Step train the last valid network: a value the Network editor refused is
        said in the status bar (the editor may be out of sight), and a refused width's message
        under its row goes then, as a refused rate's does: the row's "(it keeps 4)" stayed
        through 550 epochs beside the rate's, gone at Play (review r30 F5)."""
        if self.sweep_driving is None and self.editor.has_error():
            said = self.editor.error_text().rstrip(".")
            self.statusBar().showMessage(f"The network editor refuses a value ({said}): "
                                         "training the last valid network.", 10000)
            self.editor.forget_refusals()

    def _say_refused_rates(self) -> None:
        """Training starts at the rates in use: a rate field still holding a refused text shows
        the rate in use again, and the status bar says why (the main run's fields only)."""
        self.controls.stop_message.clear_message()  # (its field shows the stop in use)
        if self.sweep_driving is not None:
            return
        text = self.training_panel.put_back_refused()
        if text:
            self.statusBar().showMessage(text, 10000)

    def reset(self) -> None:
        """New random weights, epoch 0 (paused); a trained run is kept for Undo."""
        if self.sweep_driving is not None:
            self.sweep_driving.reset()
            return
        before, kept, run_id = self.current_problem(), self._keep_the_run(), self._run_id
        self._resets += 1
        self._seed = (self._base_seed + self._resets) % (MAX_SEED + 1)
        self._params = None  # new weights from the new seed
        self._new_run_id()
        self.playing = False
        self.controls.set_playing(False)
        self.controls.set_epoch(0)  # the new run's, not the old one's until its first frame
        self.worker.reset(self._run_id, self._seed)
        self._run_thrown("reset", before, kept, run_id)

    def restart(self) -> None:
        """Epoch 0 with the same initial weights (paused); a trained run is kept for Undo."""
        if self.sweep_driving is not None:
            self.sweep_driving.restart()
            return
        before, kept, run_id = self.current_problem(), self._keep_the_run(), self._run_id
        self._new_run_id()
        self.playing = False
        self.controls.set_playing(False)
        self.controls.set_epoch(0)
        self.worker.restart(self._run_id)
        self._run_thrown("restart", before, kept, run_id)

    def _run_thrown(self, text: str, before: Problem, kept: bool, run_id: int) -> None:
        """Reset or Restart left a trained run (``kept``; ``run_id`` was its id): an undo step
        that brings it back (a reviewer lost a trained, branched run to the single key R, with
        Undo greyed)."""
        actions = getattr(self, "session_actions", None)
        if kept and actions is not None:
            actions.run_replaced(text, before, self.current_problem(), self.replaced_run,
                                 run_id)

    def has_trained_run(self) -> bool:
        """The run on screen has trained (or branched): something that leaving it would lose.
        Its live end counts, not the epoch shown (scrubbed back to epoch 0 it is trained)."""
        return self._trained_epoch() is not None

    def _trained_epoch(self) -> int | None:
        """The live epoch of the run on screen if it has trained (or branched), else None.
        A run adopted and not drawn yet (Ctrl+Z held down: each run brought back is left
        before its first picture) counts by the trainer adopted."""
        if self._closed:
            return None
        s, a = self._drawn, self._adopted
        if s is not None and s.run_id == self._run_id:
            trained = max(s.epoch, s.live_epoch) > 0 or bool(s.branches)  # (not the live one)
            return s.live_epoch if trained else None
        if a is not None and a[0] == self._run_id and (a[1] > 0 or a[2]):
            return a[1]
        return None

    def show_epoch(self, epoch: int | None) -> None:
        """Every view shows ``epoch`` of the run (None: the live end); training pauses."""
        if epoch is not None and self.playing:
            self.playing = False
            self.controls.set_playing(False)
        self.worker.show_epoch(epoch)

    def set_stop_at(self, epoch: int | None, own: bool = False) -> None:
        """Play pauses when the run reaches ``epoch`` (None: never): presets and lessons set it
        so that the picture they promise appears and stays. The main run's: a sweep has its own
        (set_sweep_stop_at); the field shows the one of the run in front. ``own``: the
        learner's (an opened session's), which stays with other data, as one typed does."""
        self._stop_at[False] = epoch or None
        if own:
            self._problem_stop = None
        if self.sweep_driving is None:
            self.controls.set_stop_at(epoch)

    def set_sweep_stop_at(self, epoch: int | None) -> None:
        """Where Play pauses the sweep (the Compare tab's run)."""
        self._stop_at[True] = epoch or None
        if self.sweep_driving is not None:
            self.controls.set_stop_at(epoch)

    def stop_at(self, sweep: bool = False) -> int | None:
        """The main run's Stop-at epoch, or (``sweep``) the sweep's."""
        return self._stop_at[sweep]

    def _stop_at_edited(self, epoch: int | None) -> None:
        self._stop_at[self.sweep_driving is not None] = epoch
        if self.sweep_driving is None:
            self._problem_stop = None  # the learner's own: it stays with other data
        s = self._drawn
        self._keep_hint_true(s.live_epoch if s is not None else 0)

    def set_sweep_driving(self, view: Any) -> None:
        """``view`` (the Compare view) takes Play, Pause, Step and Stop at for its sweep, or
        (None) gives them back to the main run: the field and the hint show its own."""
        if (view is None) == (self.sweep_driving is None):
            self.sweep_driving = view
            return
        self.sweep_driving = view
        sweep = view is not None
        self.controls.set_stop_at(self._stop_at[sweep])
        self.controls.set_sweep_in_front(sweep)
        if not sweep:
            self.show_run_epoch()  # the run's again
        self._show_front_hint()
        self.controls.status.setText(self._status_text[sweep])

    def show_run_epoch(self) -> None:
        """The run controls' epoch counter says the main run's epoch (its last frame's)."""
        d = self._drawn
        if d is not None and d.run_id == self._run_id:
            self.controls.set_epoch(d.epoch, d.live_epoch, d.weights_epoch)

    def _set_status(self, sweep: bool, text: str) -> None:
        """The run controls' status line of the main run or (``sweep``) of the sweep: shown
        while the one it is about is in front."""
        self._status_text[sweep] = text
        if (self.sweep_driving is not None) == sweep:
            self.controls.status.setText(text)

    def set_sweep_status(self, text: str) -> None:
        """The sweep's status line ("" clears it); news for a moment ("sweep ready") goes."""
        self._set_status(True, text)
        if text.startswith(("sweep compiled", "sweep ready")):
            QTimer.singleShot(4000, self, lambda: self._clear_status(text, True))

    def sweep_drawn_at(self, epoch: int) -> None:
        """The sweep is drawn at ``epoch``: "the sweep stopped (paused) at epoch N" goes once
        it is past N. A sweep's epochs only grow (a new or restarted sweep clears its status
        itself, CompareView.start): a frame before N is one published before the Pause and
        drawn after its note came (a queued draw), no news; it took the note away at once."""
        self._clear_stale_stop(epoch, False, True)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode on or off (not remembered: the View menu's choice is)."""
        self.presentation.set_active(on)

    def show_hint(self, text: str, stop: tuple[int, ...] | None = None,
                  preset: str | None = None) -> None:
        """A note over the plot that stays until the problem changes ("" hides it): the main
        run's; a sweep's (show_sweep_hint) shows instead while the Compare tab is in front.
        ``stop``: (epoch, text after[, text there]) -- ``text`` promises that Play stops at
        that epoch; once the run is past it, or Stop at no longer says it, the note reads
        ``text after`` (a lesson's note still said "it stops at epoch 1,000" at epoch 1,805);
        stopped there, ``text there`` (a preset's "Press Play (Space): it stops at epoch
        500" stood over the run stopped at 500, review r29 L5). ``preset``:
        the title of the preset the note is of (a change to its run is then said after it)."""
        self._hint_stop = stop
        self._hint_text[False] = self._hint_promise = text
        self._hint_closed[False] = False  # a new note: shown, whatever became of the last
        self._hint_preset, self._hint_variation = preset, ""
        self._hint_rate = (self._config.learning_rate if self._config is not None
                           else 0.0)  # the preset's (_variation_shown)
        if stop is not None:
            self._problem_stop = stop[0]
        self._show_front_hint()

    def _note_variation(self, lr: float) -> None:
        """Say after a preset's note that its run is the learner's own from here: the rate
        ``lr`` was changed (the note's promise, the preset's result, no longer holds)."""
        if not self._hint_preset or not self._hint_text[False]:
            return
        s = self._drawn
        at = (f" at epoch {s.live_epoch:,}" if s is not None and s.live_epoch and not s.past
              else "")
        self._hint_variation = (f"You changed the learning rate to {lr:g}{at}: this is your "
                                f"own run now, not the preset's (Presets \u2192 "
                                f"{self._hint_preset} loads it again).")
        self._show_front_hint()

    def _keep_hint_true(self, live_epoch: int) -> None:
        """The note's promise of a stop goes once it no longer holds (show_hint)."""
        stop = self._hint_stop
        if stop is None:
            return
        if live_epoch > stop[0] or self._stop_at[False] != stop[0]:
            self._hint_stop = None
            text = stop[1]
        else:  # there (stopped: what it shows, how to go on), or before it (Reset): the promise
            text = stop[2] if live_epoch == stop[0] and len(stop) > 2 else self._hint_promise
        if text != self._hint_text[False]:
            self._hint_text[False] = text
            self._show_front_hint()

    def _variation_shown(self) -> bool:
        """Whether the run shown is the learner's own (_note_variation): its branch trained at
        another rate than the preset's, or the field has another for it. Switched to run 1,
        the preset's own at its rate, the note still said "You changed the learning rate to
        3: this is your own run now" over the notebook's 0.0804 / 88.0% (review r25 F8)."""
        s, preset = self._drawn, self._hint_rate
        if s is None or s.run_id != self._run_id or not s.rates:
            return True
        return self._config.learning_rate != preset or any(r != preset for _, r in s.rates)

    def show_sweep_hint(self, text: str) -> None:
        if not text:  # (the sweep's note gone: the next is a new sweep's; "epoch 2,000
            self._hint_closed[True] = False  # reached" is its note's rewording, closed too)
        self._hint_text[True] = text
        self._show_front_hint()

    def _close_hint(self) -> None:
        """The note's x: the note in front (the main run's or the sweep's) is hidden until a
        new one is given; its own rewording as the run goes (the stop reached, a rate
        changed) does not bring it back."""
        self._hint_closed[self.sweep_driving is not None] = True
        self._show_front_hint()

    def _show_front_hint(self) -> None:
        sweep = self.sweep_driving is not None
        text = self._hint_text[sweep]
        if text and not sweep and self._hint_variation and self._variation_shown():
            text = f"{text} {self._hint_variation}"
        self.hint.setText(text)
        self.hint.setVisible(bool(text) and not self._hint_closed[sweep])

    def _forget_refusals(self) -> None:
        """A number refused in a field that kept its value ("(it keeps 10)") is said until the
        next edit, in any panel (at most widgets.REFUSAL_LIFETIME_MS): a Network row's refusal
        stayed through new data, and through 700 epochs trained."""
        for panel in (self.data_panel, self.training_panel, self.editor):
            panel.forget_refusals()
        self.controls.stop_message.clear_message()

    def branch(self) -> None:
        """Continue from the epoch shown as a new branch (an Undo step: ``branched``)."""
        run_id = self._run_id

        def made(made: tuple[str, str, int]) -> None:
            if self._run_id == run_id:  # (not a run that has left since)
                self.branched.emit(*made)
        self.worker.branch(None, made)

    def delete_branch(self, name: str) -> None:
        """Delete branch ``name`` (an Undo step: ``branch_deleted``)."""
        run_id = self._run_id

        def deleted(log) -> None:
            if self._run_id == run_id:  # (not a run that has left since)
                self.branch_deleted.emit(name, log)
        self.worker.delete_branch(name, deleted)

    def set_learning_rate(self, lr: float, branch: str | None = None) -> None:
        """Applies to the running model at once, without a reset; set while the timeline shows
        the past, where training goes on next (the worker's rule), which a note says.
        ``branch``: the rate of that branch of the run, switched to first if another is shown
        (an undo of a rate change made there)."""
        self._forget_refusals()
        self._config = replace(self._config, learning_rate=float(lr))
        self._drop_stale_note()
        self._note_variation(float(lr))
        s = self._drawn
        switching = branch is not None and s is not None and s.run_id == self._run_id \
            and branch != s.branch
        self.worker.set_learning_rate(lr, branch if switching else None)
        if self.training_panel.lr.value() != lr:
            self.training_panel.lr.set_value(lr)
        if not switching and s is not None and s.past and s.run_id == self._run_id:
            self._pending_lr, self._pending_seen_past = float(lr), True
            self._show_pending_lr(s)

    def put_back_view(self, epoch: int | None, pending_lr: float | None = None) -> None:
        """A run just adopted (load_trainer: a session opened, a run undone back) shown as it
        was left: at ``epoch`` of its live branch (None: the live end), with the rate typed
        there still waiting (``pending_lr``) and its note. The rate waited in the worker and
        the note only: a file saved so opened at the live end's rate with no note, and
        Continue from here branched at the epoch's old rate."""
        if epoch is None:
            return
        self.show_epoch(epoch)
        if not self._drawn_this_run():  # compiling: the timeline says what comes (r23 F7)
            self.timeline.opening(self.epoch_to_come(), epoch)
        if pending_lr is None:
            return
        self._forget_refusals()
        self._config = replace(self._config, learning_rate=float(pending_lr))
        if self.training_panel.lr.value() != pending_lr:
            self.training_panel.lr.set_value(pending_lr)
        self.worker.set_learning_rate(pending_lr)  # after ShowEpoch: waits in the worker
        self._pending_lr, self._pending_seen_past = float(pending_lr), False

    def edit_learning_rate(self) -> None:
        """Run > Learning rate (Ctrl+L): the field in sight -- the run bar's in presentation
        mode, else the settings' -- focused, its text selected to type over."""
        field = self.controls.lr if self.controls.lr_box.isVisible() else None
        if field is not None and self.sweep_driving is not None:  # (greyed: not the sweep's)
            self.statusBar().showMessage(SWEEP_RATE_TIP, 10_000)
            return
        if field is None:
            field = self.training_panel.lr
            self.side_tabs.setCurrentIndex(self.side_tabs.indexOf(self.panels_scroll))
            self.panels_scroll.reveal(field)
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.lineEdit().selectAll()

    def _show_pending_lr(self, s: Snapshot) -> None:
        """The note under the training settings while a rate set in the past waits: the field
        said 0.3 while nothing ran at it, and Save wrote the 0.1 the run had."""
        lr = f"{self._pending_lr:g}"
        trained = self._trained_at(s, self._pending_lr)
        r = s.trained_rate
        # The shown epoch's own rate, where another: kept short, the note stays the 4 lines
        # the settings' column has room for at 1400x900 beside a refusal (test_field_messages).
        was = f" (it trained at {r:g})" if trained else ""
        text = (f"{lr} applies when training goes on: {self._fork_name()} branches at epoch "
                f"{s.epoch:,} at {lr}{was}; Play goes on from the live end "
                f"(epoch {s.live_epoch:,}).")
        message = self.training_panel.message
        if message.text() != text or message.is_error():  # (drawn every frame of a replay)
            message.show_note(text)

    def _fork_name(self) -> str:
        """The branch button as the learner finds it, to name in a note: by the words it
        shows ("Branch" at 1024 px and 150% text, "Continue from here" where its row has the
        room); the Run menu's item where the timeline's row is folded away. The notes said
        "Continue from here" under a button that read "Branch" (review r21 F5)."""
        fork = self.timeline.fork
        if not fork.isVisibleTo(self):  # (presentation mode folds its row away)
            return "Run \u2192 Continue from here"
        return f"the \u201c{fork.text()}\u201d button"

    def _fork_renamed(self, _text: str) -> None:
        """The branch button's words changed (a resize): the rate note that names it says its
        new words."""
        s = getattr(self, "_drawn", None)  # (None: the window is still being built)
        if s is None or s.run_id != self._run_id:
            return
        message = self.training_panel.message
        if self._pending_lr is not None and s.past:
            self._show_pending_lr(s)
        elif self._past_rate_note is not None and message.text() == self._past_rate_note:
            self._past_rate_drawn(s)

    @staticmethod
    def _trained_at(s: Snapshot, lr: float) -> str:
        """"Epoch 849 trained at learning rate 1" where the shown past epoch trained at another
        rate than ``lr`` (as drawn: the record's float32 0.7 is the 0.7 typed); else ""."""
        r = s.trained_rate
        if not s.past or r is None or f"{r:g}" == f"{lr:g}":
            return ""
        return f"Epoch {s.epoch:,} trained at learning rate {r:g}"

    def _past_rate_drawn(self, s: Snapshot) -> None:
        """In the past the field goes on saying the rate training goes on at (Continue from
        here branches at it; see set_learning_rate), not the shown epoch's: where that epoch
        trained at another rate, a note under the field says which. Scrubbed back to epoch 849
        of a run at 1 then 3 from epoch 1,000, the field's 3 read as the rate of epoch 849
        (r20 F2). On a branch whose rate changed it shows at every past epoch, the field's rate
        or not, so that a replay's chart does not shrink and grow as it goes by the change.
        The note goes with the past, and never covers an error."""
        message = self.training_panel.message
        lr = self._config.learning_rate
        trained, r = self._trained_at(s, lr), s.trained_rate
        text = ""
        if trained:
            text = (f"{trained}; {lr:g} is the rate training goes on at ({self._fork_name()} "
                    "branches at it).")
        elif s.past and r is not None and len({f"{x:g}" for _, x in s.rates}) > 1:
            text = (f"Epoch {s.epoch:,} trained at learning rate {r:g}, the rate training goes "
                    "on at.")
        if text:
            if message.is_error():
                return
            if message.text() != text:  # (drawn every frame of a replay)
                message.show_note(text)
            self._past_rate_note = text
        elif self._past_rate_note is not None:
            if message.text() == self._past_rate_note and not message.is_error():
                message.clear_message()
            self._past_rate_note = None

    def _pending_lr_drawn(self, s: Snapshot) -> None:
        """The note follows the epoch shown, and goes once the rate applies (live again, a
        branch, another branch switched to at its own rate)."""
        if self._pending_lr is None:
            self._past_rate_drawn(s)
            return
        if s.past:
            self._pending_seen_past = True
            self._show_pending_lr(s)
        elif self._pending_seen_past:  # (not the live frames before a view put back)
            self._pending_lr = None
            self.training_panel.message.clear_message()

    def _new_run_id(self) -> None:
        # The run's file leaves with it (SessionsMixin.run_leaves): the next run is not what
        # the file holds, and Save asks for a name rather than overwrite the file with it.
        actions = getattr(self, "session_actions", None)
        if actions is not None:
            actions.run_leaves()
        self._run_id += 1
        if self._pending_lr is not None:  # the worker's goes with the run it was set for
            self._pending_lr = None
            self.training_panel.message.clear_message()
        self._drawn_branch = None
        self._latest = None
        self.loss_plot.clear_curves()
        self.timeline.reset()
        self._show_metrics(None)  # the old model's numbers would mislead until the first frame
        presentation = getattr(self, "presentation", None)
        if presentation is not None:
            presentation.new_run()  # (its readout, as the metrics line)
        self._hide_banner()
        self.run_changed.emit()

    # --- problems ------------------------------------------------------------------------------

    def current_problem(self) -> Problem:
        """What the current run trains: the data, the NetworkSpec, the TrainConfig (with the
        current learning rate), the initial weights given (None: from the seed) and the seed."""
        return Problem(self._dataset, self._spec, self._config, self._params, self._seed)

    @property
    def dataset(self) -> Dataset | None:
        return self._dataset

    def load_problem(self, problem: Problem) -> None:
        """Replace everything with this problem and start a fresh run (paused) on it.

        Raises one of the core's user errors (DataError, SpecError, LossError, TrainingError)
        when the pieces do not fit; the current run is then left as it was. Its loss, output
        activation and learning rate count as chosen where they differ from the defaults for
        its data (and so stay when the data changes).
        """
        problem.check()  # here, not in the thread: the current run stays intact
        data = problem.dataset
        self._set_panels(data, problem.source, problem.spec, problem.config)
        self._chosen = set(FITTED) - fitted_by_default(problem)
        self._loaded_choices = set(self._chosen)
        self._loaded_for = None
        self._start(problem)

    def keep_loaded_choices_for_this_data(self) -> None:
        """The settings the last loaded problem brought (an exercise's 4 hidden units, its lr
        0.05) stay the user's on its data set, and give way to another data set's defaults.
        For an exercise closed ("its data, network and settings stay"): forgotten at once,
        500 typed in Batch size put the spiral's default 2 -> 32 -> 32 -> 1 in place of the
        exercise's 2 -> 4 -> 1 (r19 #16); kept for any data, its rate stalled the circles
        taken next (r17 #6). Those the user has set since stay chosen on any data."""
        self._loaded_for = _data_kind(self._dataset)

    def _lets_loaded_choices_go(self, data: Dataset) -> bool:
        """Whether ``data`` is other data than the loaded choices were kept for (see
        keep_loaded_choices_for_this_data): they give way to its defaults."""
        return self._loaded_for is not None and not _same_kind(data, self._loaded_for)

    def load_trainer(self, trainer: Trainer, history=None, test_epochs=None,
                     test_values=None) -> None:
        """Adopt a Trainer that goes on where it stopped (e.g. from a session). It must not be
        used by the caller afterwards: the worker thread owns it."""
        problem = Problem(trainer.data, trainer.spec, trainer.config, trainer.initial_params,
                          int(trainer.seed))
        self._set_panels(problem.dataset, problem.source, problem.spec, problem.config)
        self._chosen = set(FITTED) - fitted_by_default(problem)
        self._loaded_choices = set()  # (a session's settings are its user's)
        self._loaded_for = None
        self._commit(problem)
        branched = len(getattr(history, "branches", ())) > 1  # a Run, or a bare LossHistory
        self._adopted = (self._run_id, int(trainer.epoch), branched)
        # Its epoch until its first frame, not the new run's 0 (a promoted member at 2,000
        # said "Epoch 0" over an empty plot while it compiled).
        self.controls.set_epoch(self.epoch_to_come())
        self.timeline.opening(self.epoch_to_come())  # (not "train, then drag": r23 F7)
        self.presentation.new_run()
        # Its losses so far at once, not an empty plot until its first frame.
        record = record_snapshot(self._run_id, trainer, history, test_epochs, test_values)
        if record is not None:
            self.loss_plot.update_snapshot(record)
        self.worker.adopt_trainer(self._run_id, trainer, history, test_epochs, test_values)

    def _drawn_this_run(self) -> bool:
        """A frame of the current run has been drawn (it is not compiling still)."""
        return self._drawn is not None and self._drawn.run_id == self._run_id

    def epoch_to_come(self) -> int:
        """The epoch the current run starts at, until its first frame: an adopted trainer's
        (a promoted member's, a session's), else 0."""
        a = getattr(self, "_adopted", None)  # (None while the window is built)
        return a[1] if a is not None and a[0] == self._run_id else 0

    def edit_points(self, data: Dataset, text: str = "points edited") -> bool:
        """Train on ``data`` -- the points edited on the plot (added, deleted) -- from now on:
        the run goes on from its weights and epoch, its record kept (no new run). False when
        there is no run to go on (nothing loaded yet): ``load_problem`` then starts one."""
        if self._dataset is None or self._spec is None:
            return False
        source = data.spec if data.spec is not None else data  # an undo back to generated
        self._dataset, self._data_source = data, source
        if data.spec is not None:
            self.data_panel.set_spec(data.spec)
        else:
            self.data_panel.set_custom(data)
        self._show_data(data)
        self._points_news = text  # (the worker says it back: news for a moment, _on_status)
        self.worker.set_data(data, text)
        self._drop_failure()  # the worker's failure was about the points before
        return True

    def _show_data(self, data: Dataset) -> None:
        """What follows the data: the plot, the inputs' names, the plot's boxes, the data
        panel's task line, the key, and whether the loss plot lists a test curve."""
        self.boundary.set_dataset(data, self.class_names(data))
        self.editor.inputs.set_names(input_names(data))
        self._enable_plot_options(data)
        self.data_panel.set_task_text(data)
        self._update_legend(data)
        self.loss_plot.set_has_test(len(data.test_index) > 0)

    def _set_panels(self, data: Dataset, source, spec: NetworkSpec, config: TrainConfig) -> None:
        if isinstance(source, DataSpec):
            self.data_panel.set_spec(source)
        else:
            self.data_panel.set_custom(data)
        self.training_panel.set_config(config)
        self.editor.set_spec(spec)
        self._drop_note()  # about the settings the panels showed before

    def _keep_the_run(self) -> bool:
        """Before another run replaces this one: the run as a Session, captured in the worker
        thread (whose commands run in order: before the next run's), in ``replaced_run`` -- a
        dict that gets "problem" and "session" when it comes back -- so that Undo brings the
        trained run back, not a fresh model of its settings (500 epochs were lost to one
        mis-click on the data set's box). True if there was a trained run to keep.

        The dict has "problem" and "epoch" (its live end) at once, so that Undo can count it
        among the trained runs it keeps before the capture is back; it is emptied if the
        capture fails. An untrained run leaves it empty: its problem brings it back."""
        kept: dict = {}
        self.replaced_run = kept
        epoch = self._trained_epoch()
        if epoch is None:
            return False
        problem = self.current_problem()
        kept.update(problem=problem, epoch=int(epoch))
        actions = getattr(self, "session_actions", None)
        names = actions.class_names() if actions is not None else None

        def capture(ctx) -> Session:  # in the worker thread
            # The epoch shown and a rate typed there too: Undo brings back what was seen
            # (undoing File > Open came back at the live end, the rate's note gone).
            return Session.from_trainer(ctx.trainer, class_names=names, run=ctx.run,
                                        learning_rate=ctx.pending_lr,
                                        shown_epoch=ctx.view_epoch)

        def keep(session: Session) -> None:
            if kept:  # not let go (Undo's bound) while it was captured
                kept.update(session=session)
        self.worker.request(capture, keep, lambda _e: kept.clear())  # Undo starts afresh
        return True

    def _commit(self, problem: Problem) -> None:
        self._keep_the_run()
        if self._lets_loaded_choices_go(problem.dataset):
            self._chosen -= self._loaded_choices  # (r17 #6: see keep_loaded_choices_...)
            self._loaded_choices, self._loaded_for = set(), None
        data = problem.dataset
        if data is not self._dataset:
            self._show_data(data)
            if self._problem_stop is not None and self._stop_at[False] == self._problem_stop:
                self.set_stop_at(None)  # a preset's stop is of its data (_problem_stop)
            self._problem_stop = None
        self._dataset, self._data_source = data, problem.source
        self.show_hint("")  # a preset's hint is about the preset's problem only
        self._spec, self._config, self._params = problem.spec, problem.config, problem.params
        self._seed = self._base_seed = int(problem.seed)
        self._resets = 0
        self._new_run_id()
        self._drawn = None
        self.playing = False
        self.controls.set_playing(False)
        self.controls.set_epoch(0)

    def _start(self, problem: Problem) -> None:
        self._commit(problem)
        self.worker.new_problem(self._run_id, problem)

    def _mark_chosen(self, name: str) -> None:
        self._chosen.add(name)
        self._loaded_choices.discard(name)

    def problem_for(self, data: Dataset, notes: list[str] | None = None,
                    seed: int | None = None) -> Problem:
        """The Problem the panels' settings make on ``data``: what the user chose is kept, the
        rest takes the defaults that fit the data. ``notes`` gets a sentence for each setting
        that changed to fit. Raises TrainingError or SpecError for a refused panel value.

        A loss the user chose that cannot do this data (bce on a regression) gives way to the
        default, with a note; the choice is then forgotten.
        """
        notes = [] if notes is None else notes
        config, draft = self.training_panel.config(), self.editor.draft()
        chosen = self._chosen
        # (an exercise's, closed, on other data)
        gone = set(self._loaded_choices) if self._lets_loaded_choices_go(data) else set()

        def pick(name: str, value):
            return value if name in chosen and name not in gone else None

        if self._spec is not None and (draft.hidden, draft.activations) != (
                self._spec.hidden, self._spec.activations):
            chosen.add("hidden")  # an edit of the layers (the editor's, or a view's button)
            self._loaded_choices.discard("hidden")
            gone.discard("hidden")
        # Else the data's default hidden layers (the line: none) -- on other data only: a
        # training setting or the same data never swaps the network shown for a default.
        network = ("hidden" in chosen and "hidden" not in gone) or (
            self._spec is not None and data is self._dataset)
        choices = Choices(draft.hidden if network else None,
                          draft.activations if network else None,
                          pick("output_activation", draft.output_activation),
                          draft.init_scheme, pick("loss", config.loss), config.optimizer,
                          pick("learning_rate", config.learning_rate), config.batch_size,
                          config.l1, config.l2,
                          # features of other raw inputs do not carry over to this data
                          draft.features if draft.input_dim == data.n_features else ())
        followed = []
        try:
            spec, fitted = fit(data, choices)
            if fitted.loss != config.loss:
                followed.append(f"loss {fitted.loss}")
        except LossError:
            spec, fitted = fit(data, replace(choices, loss=None))
            notes.append(f"loss set to {fitted.loss}: {config.loss} does not fit this data")
            chosen.discard("loss")
        if (spec.hidden, spec.activations) != (draft.hidden, draft.activations):
            followed.append("hidden layers " + (",".join(map(str, spec.hidden)) or "none"))
        if spec.output_activation != draft.output_activation:
            followed.append(f"output activation {spec.output_activation}")
        if fitted.learning_rate != config.learning_rate:
            followed.append(f"learning rate {fitted.learning_rate:g}")
        if followed:
            notes.append(", ".join(followed) + ": the defaults for this data and optimiser "
                         "(a value you pick yourself is kept)")
        n_train = len(data.train_index)
        if fitted.batch_size > n_train:  # taken without a word, as if it were a batch
            notes.append(f"batch size {fitted.batch_size:,} is larger than the {n_train:,} "
                         "training points: full batch")
        if seed is None:
            seed = self._base_seed
        return Problem(data, spec, fitted, None, int(seed))

    def _apply_panels(self, what: str) -> None:
        """An edit in a panel: stop the run and start a fresh model of the new settings."""
        self._forget_refusals()
        notes: list[str] = []
        if what == "data" and self.data_panel.defaults_taken:
            taken = self.data_panel.defaults_taken
            notes.append(", ".join(taken) + (" is" if len(taken) == 1 else " are") + " the "
                         f"{self.data_panel.dataset.currentText()} data set's own")
        try:
            custom = self.data_panel.custom_dataset()
            if custom is not None:
                data = custom
            else:
                dspec = self.data_panel.spec()
                same = self._dataset is not None and self._dataset.spec is not None and \
                    self._dataset.spec.resolved() == dspec.resolved()
                data = self._dataset if same else make_dataset(dspec)
            seed = self.data_panel.seed.value() if custom is None else self._base_seed
            problem = self.problem_for(data, notes, seed)
        except DataError as e:
            self.data_panel.refuse(str(e), self._dataset)  # the fields show the data in use
            return
        except (TrainingError, LossError) as e:
            self.training_panel.message.show_error(str(e))
            return
        except SpecError as e:
            self.editor.message.show_error(f"Refused: {e}")
            return
        self._show_fitted(problem)
        problem = self._same_full_batch(problem, notes)
        # A training setting (loss, optimiser, batch size, penalty) on the same data and network
        # starts again from the run's own initial weights, as Restart does. They were drawn
        # from the seed again: the notebook's (Presets -> Moons, loss 0.2537) gave way to the
        # seed's (0.2703) at a new batch size or optimiser, and after Reset the weights before
        # it came back, so that full batch and mini-batches, or gd and adam, did not start
        # alike (review r22 F15). The learning rate keeps the whole run.
        same_start = what == "training" and self._spec is not None and \
            problem.dataset is self._dataset and problem.spec == self._spec
        if same_start:
            problem = replace(problem, params=self._params, seed=self._seed)
        if (problem.dataset is self._dataset and problem.spec == self._spec
                and problem.config == self._config
                and ((same_start and problem.params is self._params)
                     or (self._params is None and problem.params is None
                         and int(problem.seed) == self._base_seed))):
            # The settings are those of the model that runs (a refused value typed back to the
            # one before it, a choice that gave way to the one it has): it keeps its epochs.
            if notes:
                text = "Note: " + "; ".join(notes) + ". The model is unchanged."
                self._show_model_note(what, text)
                self._note_about = (problem.spec, problem.config)
                self._note_echo = text
                self.statusBar().showMessage(text, 6000)
            return
        was_playing = self.playing
        self._start(problem)
        spec = problem.spec
        text = (f"{what.capitalize()} changed: "
                + ("training stopped; " if was_playing else "")
                + f"a fresh model {spec.shapes_text()} starts at epoch 0")
        if same_start:
            text += " from the same initial weights"
        text += "."
        if notes:
            text += " Note: " + "; ".join(notes) + "."
        self._show_model_note(what, text)
        # "starts at epoch 0" is true until the run moves; the notes on defaults stay longer.
        self._fresh_note = ("Note: " + "; ".join(notes) + ".") if notes else ""
        self._note_about = (problem.spec, problem.config) if notes else None
        self._note_echo = text
        self.statusBar().showMessage(text, 6000)

    def _same_full_batch(self, problem: Problem, notes: list[str]) -> Problem:
        """A batch size that trains as the one in use does -- both a full batch of the data's
        training points (0, or as many or more) -- keeps the run: ``problem`` at the run's
        batch size, the field put back to it and ``notes`` saying why. 500 typed over "full
        batch" on 160 points restarted the run for nothing (r19 #16): no epochs lost for an
        edit that changes nothing the training does, and the field shows what it does."""
        old, n = self._config, len(problem.dataset.train_index)
        if old is None or problem.dataset is not self._dataset:
            return problem
        new = problem.config.batch_size

        def full(b: int) -> bool:
            return b == 0 or b >= n
        kept = replace(problem.config, batch_size=old.batch_size)
        if new == old.batch_size or not (full(new) and full(old.batch_size)) or \
                kept != old or problem.spec != self._spec:
            return problem
        notes[:] = [t for t in notes if not t.startswith(f"batch size {new:,} is larger")]
        if new:
            notes.append(f"batch size {new:,} is more than the {n:,} training points: one full "
                         "batch, as the run has already, so the field stays at full batch"
                         if not old.batch_size else
                         f"batch size {new:,}, like {old.batch_size:,}, is more than the {n:,} "
                         f"training points: one full batch, so the field stays at "
                         f"{old.batch_size:,}")
        else:
            notes.append(f"full batch is what the run's batch size {old.batch_size:,} does "
                         f"already on these {n:,} training points, so the field stays at "
                         f"{old.batch_size:,}")
        field = self.training_panel.batch
        blocked = field.blockSignals(True)
        field.setValue(old.batch_size)
        field.blockSignals(blocked)
        return replace(problem, config=kept)

    def _show_model_note(self, what: str, text: str) -> None:
        """The note on the fresh model: a training setting's under the Training settings (a
        batch size set on the Training tab spoke on the Network tab, nothing on its own);
        new data's and the network's under the network editor (new data may refit it)."""
        label = self.training_panel.note if what == "training" else self.editor.note
        if label is not self._note_label:
            self._note_label.clear_message()
            self._note_label = label
        label.show_note(text)

    def _drop_note(self) -> None:
        """The editor's note goes, and nothing of it comes back once the run moves: after
        Undo or File > Open the note on momentum's rate came back at the first epoch trained,
        while the form showed gd at lr 1."""
        self._note_label.clear_message()
        self._fresh_note = self._note_about = None
        if self._note_echo and self.statusBar().currentMessage() == self._note_echo:
            self.statusBar().clearMessage()  # (its echo, for a few seconds)
        self._note_echo = None

    def _drop_stale_note(self) -> None:
        """The note on defaults taken goes once the settings it describes are no longer the
        run's (a rate typed or undone, another branch at its own rate)."""
        if self._note_about is not None and self._note_about != (self._spec, self._config):
            self._drop_note()

    def _show_fitted(self, problem: Problem) -> None:
        """The panels show what the problem fitted to its data (without firing their edits)."""
        self.training_panel.set_loss(problem.config.loss)
        self.training_panel.lr.set_value(problem.config.learning_rate)
        spec = problem.spec
        if self.editor.hidden() != list(zip(spec.hidden, spec.activations)):
            self.editor.set_spec(spec)  # the data's default hidden layers (the line's: none)
            return
        self.editor.set_output_activation(spec.output_activation)
        self.editor.set_io(spec.input_dim, spec.output_dim)

    def name_classes(self, names) -> None:
        """Name the current data's classes (``nnviz.show``'s labels, "red", "green"), as an
        import's are: the key, the colour bar and every view that names classes say them (set
        after the window had drawn the data, the plot's key stayed "class 0 / class 1")."""
        data = self._dataset
        actions = getattr(self, "session_actions", None)
        if data is None or actions is None or not data.is_classification:
            return
        actions._class_names[data] = tuple(str(n) for n in names)
        grid = self.boundary._grid
        self.boundary.set_dataset(data, self.class_names(data))
        self.boundary.update_grid(grid)
        self._update_legend(data)

    def class_names(self, data: Dataset | None = None) -> tuple[str, ...]:
        """The names of ``data``'s classes (default the current data's): an imported file's
        own (apple, lemon, ...), else "class 0", "class 1", ...; () for regression."""
        data = self._dataset if data is None else data
        if data is None or not data.is_classification:
            return ()
        actions = getattr(self, "session_actions", None)
        names = actions.class_names(data) if actions is not None else None
        return shown_class_names(names, data.n_classes)

    def _enable_plot_options(self, data: Dataset) -> None:
        """The plot's boxes only where they change what it draws; a greyed box says why (with
        three features there is no plane: both boxes did nothing, yet looked like they would)."""
        no_plane = (f"The data has {data.n_features} features: there is no plane of inputs to "
                    "draw it on, so this does nothing here." if data.n_features > 2 else "")
        has_test = len(data.test_index) > 0
        self.show_test.set_absent(bool(no_plane) or not has_test)
        self.show_test.setToolTip(no_plane or (SHOW_TEST_TIP if has_test else
                                               "The data has no test points (test fraction 0)."))
        self.discretize.set_absent(bool(no_plane) or not data.is_classification)
        self.discretize.setToolTip(no_plane or (DISCRETIZE_TIP if data.is_classification else
                                                "Only for classification: a regression's "
                                                "output is a value, not a class."))

    def _follow_output(self) -> None:
        """A new run (another output activation, data, loss): the colour bar's title and the
        key say what its output is (a tanh output was called P(class 1))."""
        self.boundary.set_output(facts_of(self))
        if self._dataset is not None:
            self._update_legend(self._dataset)

    def _update_legend(self, data: Dataset) -> None:
        # "hollow: test" only where hollow points are drawn: none at a test fraction of 0, none
        # with "Show test data" off, none without a plane (three features: no points at all).
        test = (len(data.test_index) > 0 and self.show_test.isChecked()
                and data.n_features <= 2)
        if data.is_classification:
            names = self.class_names(data)
            key = colors.class_key_html(names, test, self.discretize.isChecked()
                                        and data.n_features == 2)
            # What the output is, as the explanations say it: a tanh's is no P(class 1).
            output = replace(facts_of(self), names=names)
            if data.n_features > 2:  # no plane, no background (boundary_plot's NO_PLANE)
                text = key
            elif data.n_features == 1:
                text = (f"{key} &nbsp; line: {output.scale_title()}" if data.n_classes <= 2 else
                        f"{key} &nbsp; lines: the model's "
                        f"{'probability' if output.probability else 'score'} of each class")
            elif self.discretize.isChecked():
                text = f"{key} &nbsp; background: the predicted class"
            elif data.n_classes <= 2:
                # One piece: it went to a line of its own whole, not "background: P(class" /
                # "1)" (presentation mode with an exercise at 1024x768).
                text = f"{key} &nbsp; {colors.whole(f'background: {output.scale_title()}')}"
            else:
                text = f"{key} &nbsp; background: predicted class (paler = less sure)"
        elif data.n_features > 2:
            text = ""
        else:
            if data.n_features == 1:  # the points in one colour (boundary_plot): the key's too
                fill = colors.hex_of(colors.high())
                ring = colors.hex_of(colors.test_outline(colors.high()))
                points = f"<span style='color:{fill}'>\u25cf</span> train" + (
                    f" &nbsp; <span style='color:{ring}'>\u25cb</span> test" if test else "")
                text = f"{points} &nbsp; line: the model's prediction"
            else:  # coloured by their value
                points = "\u25cf train &nbsp; \u25cb test" if test else "\u25cf train"
                text = f"{points} &nbsp; colour: the value (model in the background)"
        self.legend.setText(text)

    # --- hooks for views and sessions ----------------------------------------------------------

    def add_view(self, name: str, title: str, widget: QWidget) -> None:
        """Put ``widget`` in a tab beside the main plot; ``show_view(name)`` selects it."""
        if name in self._views:
            raise ValueError(f"a view called {name!r} exists already")
        self._views[name] = widget
        i = self.tabs.addTab(widget, title)
        if widget.toolTip():
            self.tabs.setTabToolTip(i, widget.toolTip())
        a = QAction(title.replace("&", "&&"), self)
        a.setToolTip(f"Show the {title} view.")
        a.triggered.connect(lambda: self.show_view(name))
        self.view_menu.insertAction(self._views_end, a)

    def _view_title(self, i: int) -> str:
        """Tab ``i``'s title as read ("Data & model")."""
        return self.tabs.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&")

    def _count_hidden_views(self, hidden: list[int]) -> None:
        self.views_button.show_hidden([self._view_title(i) for i in hidden],
                                      [self._view_title(i) for i in range(self.tabs.count())])

    def _list_views(self) -> None:
        menu = self.views_button.menu()
        menu.clear()
        group = QActionGroup(menu)  # one view shown at a time: drawn as radio buttons
        hidden = self.tabs.tabBar().hidden()
        for i in range(self.tabs.count()):
            a = menu.addAction(self.tabs.tabText(i).replace("&&", "\0").replace(
                "&", "").replace("\0", "&&"))
            a.setCheckable(True)
            a.setActionGroup(group)
            a.setChecked(i == self.tabs.currentIndex())
            if i in hidden:  # the views the button counts: not on the tab bar
                font = QFont()  # bold only: the rest the menu's (presentation mode's size)
                font.setBold(True)
                a.setFont(font)
            a.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
        # Letters as every menu's (Alt+V's list had none): the View menu's for the same views.
        access_keys.give(menu, deep=False)

    def add_view_alias(self, name: str, show: Callable[[], None]) -> None:
        """``show_view(name)`` calls ``show``: a page of a view (e.g. "lesson-5")."""
        self._view_aliases[name] = show

    def view_names(self) -> list[str]:
        return list(self._views)

    def current_view(self) -> str:
        """The name of the view in front (``show_view``'s)."""
        shown = self.tabs.currentWidget()
        return next((n for n, v in self._views.items() if v is shown), MAIN_VIEW)

    def show_view(self, name: str) -> None:
        if name in self._view_aliases:
            self._view_aliases[name]()
            return
        if name not in self._views:
            known = ", ".join([*self._views, *self._view_aliases])
            raise KeyError(f"unknown view {name!r}; known: {known}")
        self.tabs.setCurrentWidget(self._views[name])

    def step_view_tab(self, step: int) -> None:
        """Ctrl+Tab (``step`` 1) / Ctrl+Shift+Tab (-1): the next or previous view tab shown,
        round the end, from anywhere in the window."""
        _step_tab(self.tabs, step)

    def step_settings_tab(self, step: int) -> None:
        """Ctrl+PgDown (``step`` 1) / Ctrl+PgUp (-1): the next or previous tab of the left
        column, the exercise's and the settings' (Data, Training, Network where the settings
        are tabs) in one row, round the end."""
        side, settings = self.side_tabs, self.panels_scroll
        pages = []
        for i in range(side.count()):
            if not side.isTabVisible(i):
                continue
            if side.widget(i) is settings and settings.tabbed:
                pages += [(i, k) for k in range(settings.tabs.count())
                          if settings.tabs.isTabVisible(k) and settings.tabs.isTabEnabled(k)]
            elif side.isTabEnabled(i):
                pages.append((i, None))
        if len(pages) < 2:
            return
        shown = (side.currentIndex(), settings.tabs.currentIndex()
                 if side.currentWidget() is settings and settings.tabbed else None)
        i, k = pages[((pages.index(shown) if shown in pages else -step) + step) % len(pages)]
        side.setCurrentIndex(i)
        if k is not None:
            settings.tabs.setCurrentIndex(k)

    def set_probe(self, name: str, fn: Callable | None) -> None:
        self.worker.set_probe(name, fn)

    def draw_grid(self, name: str, on: bool) -> None:
        self.worker.draw_grid(name, on)

    def set_params(self, params, undo_step: bool = True) -> None:
        """Hand-edited weights. Raises SpecError (the run untouched) unless they fit the network
        and every changed value is within +-EDIT_LIMIT: beyond it no view draws sensibly and the
        trainer cannot recover. ``undo_step=False``: no ``weights_edited`` (the session's Undo
        step), for a caller that makes its own: the landscape's click made two steps, and its
        own Undo and Redo pushed a third while the stack ran them (a crash on Redo)."""
        old = self._drawn.params if self._drawn is not None else None
        check_edit(self._spec, old, params)
        self.worker.set_params(params)
        self._drop_failure()  # the worker's failure was about the weights before
        if undo_step:
            self.weights_edited.emit(old, params)

    def request_state(self, callback: Callable[[Any], None], fn: Callable | None = None, *,
                      on_error: Callable[[BaseException], None] | None = None) -> None:
        self.worker.request(fn, callback, on_error)

    @property
    def run_id(self) -> int:
        """The id of the current run; snapshots of other runs are not drawn."""
        return self._run_id

    @property
    def last_snapshot(self) -> Snapshot | None:
        """The snapshot drawn last (None before the first)."""
        return self._drawn

    # --- from the worker -----------------------------------------------------------------------

    def _on_snapshot(self, s: Snapshot) -> None:
        if s.run_id == self._run_id:  # a snapshot of an old run is never drawn
            self._latest = s
            if s.past:  # the timeline: the user is waiting for this one; no frame to wait for
                QTimer.singleShot(0, self, self._draw_latest)
            elif time.perf_counter() - self._drawn_at >= self.frame_timer.interval() / 1000:
                # A frame's time since the last one: drawn now, not at the timer's next tick.
                # The worker makes the next snapshot once this one is drawn; waiting for the
                # tick (12 ms on average) made it skip a chunk's publishing in two, capping a
                # 100,000-point hidden space at ~25 frames/s whatever the drawing cost.
                self._draw_latest()
        else:
            self.worker.snapshot_drawn()

    def _draw_latest(self) -> None:
        s = self._latest
        if s is None or s is self._drawn:
            return
        self._drawn = s
        now = time.perf_counter()
        gap, self._drawn_at = now - self._drawn_at, now
        self.worker.snapshot_drawn()  # the worker makes the next one while this one is drawn
        self._pace_frames(gap)
        # A diverging model's huge numbers must not print numpy warnings while drawn.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.sweep_driving is None:  # else the counter is the sweep's (Compare)
                self.controls.set_epoch(s.epoch, s.live_epoch, s.weights_epoch)
            switched = self._drawn_branch not in (None, s.branch)
            self._drawn_branch = s.branch
            self._clear_stale_stop(s.live_epoch, switched)
            self._keep_hint_true(s.live_epoch)
            if switched and s.config.learning_rate != self._config.learning_rate:
                # Another branch went live, at the rate it ran with: the panel says so.
                self._config = replace(self._config, learning_rate=s.config.learning_rate)
                self.training_panel.lr.set_value(s.config.learning_rate)
                # A rate other than the data's default is one set on that branch: it stays
                # when the optimiser changes, as the one typed there did. Opened from a file
                # at another branch, switching to it and choosing momentum gave momentum's
                # default 0.1 for the branch's 10 (load_trainer counts only the live one's).
                if "learning_rate" not in fitted_by_default(self.current_problem()):
                    self._chosen.add("learning_rate")
                self._drop_stale_note()
            if switched and self._hint_variation:
                self._show_front_hint()  # the note on the learner's own run: of this branch?
            self.boundary.update_grid(s.grid)
            self.loss_plot.update_snapshot(s)
            settle_plots(self.boundary)  # one paint each (widgets.settle_plots)
            settle_plots(self.loss_plot)
            self.timeline.update_snapshot(s)
            last = self._metrics_of
            if s.metrics_epoch < 0 or last is None or s.metrics is not last.metrics:
                self._show_metrics(s)
            else:  # a costly network's numbers carried on (core.loop.METRICS_EVERY_S): the
                self._metrics_of = s  # same words, not laid out again (~1.4 ms a frame)
            self._pending_lr_drawn(s)
            if self._fresh_note is not None and s.live_epoch > 0:
                self._note_label.show_note(self._fresh_note) if self._fresh_note else \
                    self._note_label.clear_message()
                self._fresh_note = None
            self._show_divergence(s)
            self._failure_shown(s)
            if not s.divergence and not s.past:
                self.stuck_hint.check(s)
            self.snapshot_drawn.emit(s)

    def _pace_frames(self, gap: float) -> None:
        """The frame interval for the run's epochs as last timed and how late the frames come
        (frame_ms_for), ``gap`` s after the last frame. A gap of over half a second (a pause, a
        Step; a busy machine's stalls were 0.1-0.7 s at load 10-20) starts the count of gaps
        again, and so does a new interval."""
        gaps = self._gaps
        if gap > 0.5:
            gaps.clear()
        else:
            gaps.append(gap)
            del gaps[:-FRAMES_TIMED]
        interval = self.frame_timer.interval()
        late = 1000 * sum(gaps) / len(gaps) - interval if len(gaps) == FRAMES_TIMED else None
        ms = frame_ms_for(self.worker.loop.epoch_s, interval, late)
        if ms != interval:
            self.frame_timer.setInterval(ms)  # a running timer restarts with it
            gaps.clear()

    def _show_divergence(self, s: Snapshot) -> None:
        """The banner says the divergence that ended the branch shown, whenever it is shown
        (its past too), and goes once that is no longer so: trained on past it, another branch
        (Continue from before it), another run (Undo, Reset, Open, a preset); it comes back
        with the branch or run (switched to, Undo). A message of another kind is left alone."""
        text = s.divergence
        if (s.run_id, s.branch, s.live_epoch) == self._divergence_left:
            text = ""  # Play went on from it
        exercise = getattr(self, "exercise_actions", None)
        if text and exercise is not None and exercise.hides_answers():
            # "Lower the learning rate ten times, to 0.005" solved the diverging-rate
            # exercise, its three hints unread (review r31).
            text = without_rate_advice(text, "Lower the learning rate (the exercise's hints "
                                             "say how far), and ")
        if text == (self._divergence_text or ""):
            return
        if text:
            self._show_banner(text)
        elif self.banner.text() == self._divergence_text:
            self._hide_banner()
        self._divergence_text = text or None

    def _metrics_text(self, s: Snapshot) -> str:
        m = s.metrics
        clf = self._dataset is not None and self._dataset.is_classification

        def unbroken(text: str) -> str:
            # Word joiners around the slash: <nobr> makes Qt's spaces non-breaking but leaves
            # a break after "/", and without test points "Test loss n/" ended one line at
            # 1024 px with "a · accuracy n/a" on the next.
            return text.replace("/", "\u2060/\u2060")

        def acc(v: float) -> str:
            return unbroken(format_accuracy(v, clf))

        def loss(v: float) -> str:
            return unbroken(format_loss(v))

        what = "accuracy" if clf else "R\u00b2"
        test = colors.hex_of(colors.readable(colors.test_color()))  # a word: 4.5:1
        gap = self._metrics_gap()
        # Targets standardised on import: the losses are of the standardised values, and the
        # line says so (R² is the same in the file's units).
        scaled = self._dataset is not None and self._dataset.target_scaling is not None
        units = f"{gap}<nobr><i>losses in standardised units</i></nobr>" if scaled else ""
        # Whose numbers these are: the weights shown, after the epoch's update. The notebook's
        # "Loss for epoch N" is the loss BEFORE epoch N's update (the loss curve at N): "Epoch
        # 300 · loss 0.1381" read as the notebook's 0.1387 gone wrong (review r3, defect 1).
        # (A costly network's numbers while it plays are an earlier epoch's: the one named.)
        weights = s.numbers_epoch
        when = f"after epoch {weights:,}:" if weights > 0 else "at the start:"
        # Each set's numbers on one line (<nobr>): a narrow window wraps between them, where it
        # broke "Test loss 0.1118 ·" from its "accuracy 85.0%" at 1024 px. A set's line wider
        # than the label ("Train loss after epoch 100,000: 6.78e-06 · accuracy 100.0%" at 1024
        # px) went under "Log scale", cut: it breaks at its "·", and the test set's numbers
        # start a line of their own (not after the training set's accuracy, as if theirs).
        # Worded for the widest these lines commonly get, not only for this epoch's numbers:
        # "after epoch 1,000:" broke where "at the start:" and "after epoch 116:" had not,
        # and at 1400x900 / 144 dpi the line went from one row to two and back while training
        # and scrubbing, the settings above jumping a line each time (r13 #6). Where the
        # widest does not fit, the room for it is kept from the start.
        room = self.metrics.contentsRect().width()
        broken = False
        # (Digits are measured as the widest; a loss under 0.001 reads "0.000729".)
        widest_acc, widest_loss = ("000.0%" if clf else "-0.000"), "0.000000"

        def width(head: str, tail: str, widest_head: str) -> float:
            return max(self._one_line_width(f"{head} &middot; {tail}"),
                       self._one_line_width(f"{widest_head} &middot; {what} {widest_acc}"))

        def numbers(head: str, tail: str, widest_head: str) -> str:
            nonlocal broken
            whole = f"{head} &middot; {tail}"
            if room <= 0 or width(head, tail, widest_head) <= room:
                return f"<nobr>{whole}</nobr>"
            broken = True  # (a break of its own: where this epoch's line fits, it would not)
            if ": " in head and self._one_line_width(f"{widest_head} &middot;") > room:
                # Not even the numbers' head fits (1024 px at text 150%: "Train loss after
                # epoch 1,374: 0.0786 ·" went under "Log scale", cut): it breaks before them.
                words, value = head.rsplit(": ", 1)
                return f"<nobr>{words}:</nobr><br><nobr>{value} &middot; {tail}</nobr>"
            return f"<nobr>{head} &middot;</nobr><br><nobr>{tail}</nobr>"

        train_heads = (f"<b>Train</b> loss {when} {loss(m.train_loss)}",
                       f"<b>Train</b> loss after epoch 00,000: {widest_loss}")
        test_heads = (f"<b style='color:{test}'>Test</b> loss {loss(m.test_loss)}",
                      f"<b style='color:{test}'>Test</b> loss {widest_loss}")
        train_tail = f"{what} {acc(m.train_accuracy)}"
        test_tail = f"{what} {acc(m.test_accuracy)}"
        train = numbers(train_heads[0], train_tail, train_heads[1])
        if self._dataset is not None and len(self._dataset.test_index) == 0:
            # No test points: the training set's numbers alone ("Test loss n/a · accuracy
            # n/a" said nothing, review r26 F7)
            return train + self._line_text(s, gap) + units
        tested = numbers(test_heads[0], test_tail, test_heads[1])
        # Side by side only where the widest two fit side by side (else a line each, always).
        gap_px = self._metrics_fonts()[0][0][0].horizontalAdvance(" \u00a0\u00a0")
        beside = room > 0 and (width(train_heads[0], train_tail, train_heads[1]) + gap_px
                               + width(test_heads[0], test_tail, test_heads[1]) <= room)
        sep = gap if room <= 0 or (beside and not broken) else "<br>"
        return train + sep + tested + self._line_text(s, gap) + units

    def _metrics_gap(self) -> str:
        """The space between the metrics line's parts: one space, two non-breaking spaces
        wider. " &nbsp;&nbsp; " broke after its first space at some widths, and the "Test"
        line began with the other two (one space to the right of "Train"); a space's own
        width is not counted at a line's end, nor shown at the next one's start."""
        return self._metrics_fonts()[1]

    def _metrics_fonts(self) -> tuple:
        """For the metrics line's font (kept while it is the same): its measures, plain and
        bold, each with its widest digit; the widths measured (``_one_line_width``); the
        gap."""
        font = self.metrics.font()
        kept = self.__dict__.get("_metrics_measures")
        if kept is None or kept[0] != font:
            bold = QFont(font)
            bold.setBold(True)
            measures = tuple((fm, max("0123456789", key=fm.horizontalAdvance))
                             for fm in (QFontMetricsF(font), QFontMetricsF(bold)))
            extra = round(2 * measures[0][0].horizontalAdvance("\u00a0"))
            kept = self._metrics_measures = (
                font, measures, f"<span style='word-spacing:{extra}px'> </span>", {})
        return kept[1:]

    def _one_line_width(self, html: str) -> float:
        """The width of ``html``, a part of the metrics line (its words in bold or not), on one
        line in the line's font, at most. Its digits are measured as the widest (they are as
        wide in most fonts): the width of "0.1234" is the width of "0.4567", and the line's
        widths are measured once while only its numbers change (measured each frame, ~0.15 ms
        a frame)."""
        fonts, _, widths = self._metrics_fonts()
        pieces = re.split(r"<b\b[^>]*>|</b>", html)
        key = "\0".join(re.sub(r"\d", "0", piece) for piece in pieces)
        if key not in widths:
            if len(widths) >= 64:  # (bounded)
                widths.clear()
            widths[key] = sum(fm.horizontalAdvance(re.sub(
                r"\d", digit, re.sub(r"<[^>]*>", "", piece).replace("&middot;", "\u00b7")))
                for i, piece in enumerate(pieces) for fm, digit in (fonts[i % 2],))
        return widths[key]

    def _show_metrics(self, s: Snapshot | None) -> None:
        """The metrics line: the numbers of ``s``, worded for the line's width (again when it
        changes: ``_refit_metrics``); None: none."""
        self._metrics_of = s
        self.metrics.setText(self._metrics_text(s) if s is not None else "")

    def _refit_metrics(self) -> None:
        if self._metrics_of is not None:
            self.metrics.setText(self._metrics_text(self._metrics_of))

    def line_of(self, s: Snapshot) -> str:
        """For a straight-line fit (one input, no hidden layer, a linear output: the notebook's
        first step), the line the weights draw, "y = 2.3291 x + 0.0613": the two numbers
        sklearn's LinearRegression gives, which were only in the Network tab's tooltips; ""
        for any other model (or data standardised on import: other units)."""
        spec, d = s.spec, self._dataset
        if (spec.hidden or spec.input_dim != 1 or spec.output_dim != 1
                or spec.output_activation != "linear" or spec.features not in ((), ("x1",))
                or d is None or d.is_classification or d.scaling is not None
                or d.target_scaling is not None or not s.params):
            return ""
        w, b = s.params[0]
        m, c = float(np.ravel(w)[0]), float(np.ravel(b)[0])
        if not (np.isfinite(m) and np.isfinite(c)):
            return ""
        sign = "+" if c >= 0 else "\u2212"
        return f"y = {m:.4f} x {sign} {abs(c):.4f}"

    def _line_text(self, s: Snapshot, gap: str) -> str:
        line = self.line_of(s)
        return f"{gap}<nobr><b>Line</b> {line}</nobr>" if line else ""

    def _on_status(self, text: str) -> None:
        # In the run controls only: the status bar keeps what matters longer (a preset's hint
        # was overwritten by "compiling..." within a second).
        self._set_status(False, text)
        self.boundary.set_busy(text == "compiling...")
        if text == "compiling...":
            # A new model: no numbers until its first frame (a big one compiles for ~25 s,
            # and the blank header looked broken); the first frame's numbers replace this.
            self._metrics_of = None
            self.metrics.setText("<b>Train</b> / <b>Test</b>: compiling the new model\u2026")
            self.presentation.new_run(compiling=True)
            if self.sweep_driving is None and not self._drawn_this_run():  # the counter too
                # At the epoch an opened session shows (it said "Epoch 14" over a session
                # saved at epoch 3 of 14 while it compiled: r23 F7).
                shown, come = self.timeline.epoch_to_come, self.epoch_to_come()
                self.controls.set_epoch(come if shown is None else shown, come,
                                        note="compiling\u2026")
        # News for a moment, then noise: "deleted point" stood in the corner long after the
        # points were edited, through a save (review r30).
        if text.startswith(("compiled", "ready")) or (
                self._points_news and text.startswith(self._points_news)):
            QTimer.singleShot(4000, self, lambda: self._clear_status(text))

    def _clear_stale_stop(self, epoch: int, switched: bool, sweep: bool = False) -> None:
        # "stopped at epoch N (Stop at); Play trains on" and "paused at epoch N: k of the
        # Step's M epochs done" are news about the live run (or the sweep) at N: a branch
        # forked at 266 still said so, as did a run that had trained on past N, and a sweep
        # at 3,860.
        text = self._status_text[sweep]
        for head in ("stopped at epoch ", "paused at epoch "):
            head = "the sweep " + head if sweep else head
            if text.startswith(head):
                at = text[len(head):].split(" ", 1)[0].rstrip(":").replace(",", "")
                if switched or not at.isdigit() or (int(at) < epoch if sweep
                                                    else int(at) != epoch):
                    self._set_status(sweep, "")

    def _clear_status(self, text: str, sweep: bool = False) -> None:
        if self._status_text[sweep] == text:
            self._set_status(sweep, "")

    def _on_playing(self, playing: bool) -> None:
        self.playing = playing
        self.controls.set_playing(playing)

    def _on_worker_failed(self, e: BaseException) -> None:
        """The worker's failure: the banner says it while the model it was about is shown
        (_failure_shown); it stayed until Play, over new points, a rewind, a Step. One about a
        run that has gone since is said in the status bar only."""
        about = failed_at(e)
        gone = about is not None and about[0] != self._run_id
        self._on_failed(describe(e), banner=not gone)
        if not gone and about is not None:
            self._failure, self._failure_after = (about, self.banner.text()), self._latest

    def _failure_shown(self, s: Snapshot) -> None:
        """The worker's failure goes from the banner once the model drawn is another one than
        it was about: another run, branch or epoch (trained on, rewound to)."""
        f = self._failure
        if f is not None and s is not self._failure_after and \
                (s.run_id, s.branch, s.epoch, s.live_epoch) != f[0]:
            self._drop_failure()

    def _drop_failure(self) -> None:
        """The model a failure of the worker was about is no longer shown: its banner goes."""
        f = self._failure
        if f is not None and self.banner.text() == f[1]:
            self._hide_banner()
        if f is not None and self.statusBar().currentMessage() == f[1]:  # (its 10 s echo)
            self.statusBar().clearMessage()
        self._failure = None

    def _on_failed(self, message: str, banner: bool = True) -> None:
        self.last_error = message
        first = message.split("\n\n", 1)[0]
        if banner:
            self._failure = None  # (not a worker's, or _on_worker_failed says what it is about)
            self._show_banner(first)
        self.statusBar().showMessage(first, 10000)
        if "\n\n" in message:  # a bug, not a user error: the details go in a dialog
            box = QMessageBox(QMessageBox.Icon.Critical, "nnviz: something went wrong", first,
                              QMessageBox.StandardButton.Close, self)
            box.setDetailedText(message)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setModal(False)
            box.show()

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.stuck_hint.shown()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.stuck_hint.hidden()
        self._divergence_text = None
        self._failure = None

    # --- closing -------------------------------------------------------------------------------

    def open_windows(self) -> list["MainWindow"]:
        """The nnviz windows Quit closes: the first window (the one that opened this one, if
        it is still open) and every window opened beside it, open, this one first."""
        root = self
        while True:
            up = getattr(root, "opener", None)
            if up is None or not shiboken6.isValid(up) or getattr(up, "_closed", False):
                break
            root = up
        found, todo = [], [root]
        while todo:
            w = todo.pop(0)
            if shiboken6.isValid(w) and not getattr(w, "_closed", False) and w not in found:
                found.append(w)
                todo.extend(w.companions)
        return [self] + [w for w in found if w is not self]

    def close_window(self) -> None:
        """File > Close window: this window only, after asking when its trained work would
        be lost (the question says quitting when it is the last window)."""
        actions = getattr(self, "session_actions", None)
        if actions is None or actions.may_close():
            self.close()

    def quit(self) -> None:
        """File > Quit: close every nnviz window, after asking in each when a trained run (or
        sweep) would be lost; Cancel in any keeps them all open."""
        windows = self.open_windows()
        for w in windows:
            actions = getattr(w, "session_actions", None)
            if actions is None or not shiboken6.isValid(w):  # saved and closed while asked
                continue
            if w is not self:  # the question is asked over the window it is about
                w.raise_()
                w.activateWindow()
            if not actions.may_close(quitting=True):
                if actions._close_when_written:  # Save: it closes itself once written
                    continue
                return
        for w in reversed(windows):  # those beside first, this one last
            # One saved while another asked may be gone already (a window beside deletes
            # itself once closed); one still writing waits for it (SessionActions.eventFilter).
            if shiboken6.isValid(w):
                w.close()

    def take_keys(self) -> None:
        """The keys back to the window, as Esc gives them: Space plays, R resets, whatever
        field, list or button (ringed) had the focus. A preset, a lesson or an exercise just
        loaded does so too: its note says "Press Play (Space)", and Space pressed the button
        the keyboard's ring was on ("+ Add layer": the lesson's network got a fourth layer)."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt)
        # Esc in a settings field (the fields pass it on) gives the keys back to the window:
        # after typing a rate, Space typed a space into it instead of playing (a reviewer,
        # "an easy trap in front of a class"). The field keeps a valid number typed (it commits
        # on losing the focus, as on Enter); a refused text goes back to the field's value.
        focus = QApplication.focusWidget()
        esc = event.key() == Qt.Key.Key_Escape and not event.modifiers()
        closed = esc and self.banner.isVisible()
        if closed:
            # Esc closes the banner whatever has the focus, and gives the keys back (below)
            # too: after a click on +1000 or a rate typed -- the usual way to the stuck-rate
            # banner -- the first Esc only took the keys and the banner stayed (r16 #6).
            self.stuck_hint.close()
        if (esc and isinstance(focus, keys.BUTTONS) and focus.window() is self):
            # Esc on a button reached with Tab (ringed): the keys go back to the window too,
            # as F1 says; Space pressed "Start over" after Esc.
            self.take_keys()
            event.accept()
            return
        if (esc and isinstance(focus, keys.FIELDS) and focus.window() is self):
            combo = focus if isinstance(focus, NumberCombo) else focus.parent()
            if isinstance(combo, NumberCombo):
                try:
                    combo.parse(combo.currentText())
                except ValueError:  # Esc on a refused text: back to the field's value
                    combo.set_value(combo.value())
            self.take_keys()
            event.accept()
            return
        if closed:
            event.accept()
            return
        # Enter in Stop at epoch (the spin box took the number, and passes Enter on): the keys
        # go back to the window, as after Tab, so Space plays (it typed a blank into the field,
        # which looked as if the 3,000 just entered were lost).
        stop = self.controls.stop_at
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and focus in (stop, stop.lineEdit())):
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if self._frame_unfitted:
            QTimer.singleShot(300, self, self.fit_frame)  # (if no move said it is framed)

    def moveEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().moveEvent(event)
        if self._frame_unfitted:
            self.fit_frame()

    def fit_frame(self) -> None:
        """Once, when a window manager has framed the window: the frame inside the screen's
        free area. The size set is the inside's, so at 1024x768 the title bar pushed the
        status bar below the screen on a first launch (a saved geometry is the frame's)."""
        screen = self.screen()
        fg, g = self.frameGeometry(), self.geometry()
        if not self._frame_unfitted or screen is None:
            return
        # A size chosen since (--size, a saved geometry): theirs. Within a pixel or two it is
        # the first size rounded: at a fractional scale (150 %) 1280x720 came back 1279x719
        # (device pixels are whole), and the frame went 18 px below a 1920x1080 screen.
        if max(abs(g.width() - self._first_size[0]), abs(g.height() - self._first_size[1])) > 2:
            self._frame_unfitted = False
            return
        if g.top() - fg.top() < g.left() - fg.left() + 8:
            return  # no title bar (yet; or ever: offscreen's 2 px border)
        self._frame_unfitted = False
        extra_w, extra_h = fg.width() - g.width(), fg.height() - g.height()
        avail = screen.availableGeometry()
        if avail.contains(fg) or self.isMaximized() or self.isFullScreen():
            return
        self.resize(max(min(g.width(), avail.width() - extra_w), self.minimumWidth()),
                    max(min(g.height(), avail.height() - extra_h), self.minimumHeight()))
        self.move(avail.topLeft())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and self.worker.is_running():
            # Off the screen at once: the training thread stops only once the epoch under way
            # is done (one XLA call cannot be interrupted: 15-25 s on a 2-512x4-1 network at
            # 100,000 points, all that time a window that seemed to ignore Quit).
            self.frame_timer.stop()
            self.hide()
        self.shutdown()
        super().closeEvent(event)
        if self.quits_app:
            QTimer.singleShot(0, _quit_without_windows)

    def shutdown(self) -> None:
        """Stop drawing and stop the training thread (waits for a compile in progress)."""
        self.frame_timer.stop()
        self.worker.stop()
        self._closed = True
        self.presentation.release()
        if sys.excepthook is self._excepthook:
            sys.excepthook = self._previous_excepthook


def _data_kind(data: Dataset | None) -> Any:
    """What a data set is for the choices made on it: its name ("spiral", whatever its noise
    or points), else the Dataset itself (an imported or edited one)."""
    if data is None:
        return None
    return data.spec.name if data.spec is not None else data


def _same_kind(data: Dataset, kind: Any) -> bool:
    mine = _data_kind(data)
    return mine == kind if isinstance(kind, str) and isinstance(mine, str) else mine is kind


def _quit_without_windows() -> None:
    """The app ends once no nnviz window is open, whatever other top-level window Qt still
    counts as open: a reviewer's Quit -> Discard once left the process running, the window
    gone and nothing on the screen (Qt's own quit on the last window's close never came)."""
    app = QApplication.instance()
    if app is not None and not any(isinstance(w, MainWindow) and w.isVisible()
                                   for w in app.topLevelWidgets()):
        app.quit()


def _step_tab(tabs: QTabWidget, step: int) -> None:
    """The tab ``step`` places on from the current one among those shown and enabled."""
    n = tabs.count()
    for d in range(1, n):
        i = (tabs.currentIndex() + step * d) % n
        if tabs.isTabVisible(i) and tabs.isTabEnabled(i):
            tabs.setCurrentIndex(i)
            return


def _tear_down_at_exit(ref: "weakref.ref[MainWindow]") -> None:
    window = ref()
    if window is not None:
        from .app import tear_down
        tear_down(window)
