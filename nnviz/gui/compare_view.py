"""The Compare view: a sweep's members side by side, trained together in the worker thread.

Small multiples of every member's model (:mod:`compare_tiles`), every member's loss curve, a
sortable score table and the scores over the swept values (:mod:`compare_plots`), and the panel
that starts a sweep (:mod:`sweep_panel`). While this tab is shown, Play, Pause, Step and the
speed slider drive the sweep (the worker's ``focus_sweep``); the main run waits, paused. The
worker publishes a :class:`~nnviz.core.sweep_driver.SweepSnapshot` at most ~30 times a second;
this view keeps the latest and draws it in the next turn of the event loop.

*Promote* makes a member the main window's run, with its record (the timeline replays it): one
step of the window's Undo (Edit, Ctrl+Z, or *Undo promote* here) brings back the run it
replaced, as it was. *Open beside* opens a member in a window of its
own (a second :class:`~nnviz.gui.main_window.MainWindow`, every view and action included) with
its record, so it can be put beside the main window's run, which stays as it was; closing that
window asks before a trained run that is not saved is lost.

While the sweep takes Play, Restart starts it again at epoch 0 (the same members, the same
initial weights), Reset (new weights for the hidden main run) waits for the main tab, and the
Stop-at field and the hint over the plot are the sweep's own (the main run's come back with its
tab).
"""
from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from nnviz.core.errors import NnvizError
from nnviz.core.formatting import format_score
from nnviz.core.loop import describe
from nnviz.core.ready_sweeps import ready
from nnviz.core.sweep_driver import SweepSnapshot, axis_title, format_value, member_run

from . import colors
from .compare_plots import (LossCurves, ScorePlot, ScoreTable, axis_colors, categorical,
                            by_outcome, category_colors, category_line, member_colors,
                            member_dashes, member_names, outcome_colors)
from .compare_tiles import TileMosaic
from .sweep_panel import SweepPanel
from .widgets import Column, add_layout

#: Narrower than this many lines of its text (1024 px; 1400 px in presentation mode), the
#: view puts the two plots under the table and the tiles, each half the width, and folds the
#: New sweep panel away while a sweep is shown: beside the table the plots were ~290 px wide at
#: 1024 x 768 in presentation mode, their axes and keys cut, and the table showed five rows.
NARROW_LINES = 80
LEFT_MOST = 0.55  # the most of the view's width the table's column takes (see _share)
#: Narrow, the plots under the table keep this many lines of text at the least when the table
#: takes room from them for all its rows (the lr sweep's seventh row, its diverged lr 10, was a
#: scroll away at 1024 x 768 in presentation mode).
PLOTS_LEAST_LINES = 7
#: Narrow, a table of up to this many rows takes room from the plots to show them all (the lr
#: sweep's seven); a longer one scrolls (see _share).
WHOLE_TABLE_ROWS = 8
#: Narrow and too short for this many of the table's rows (and its buttons) over the plots at
#: PLOTS_LEAST_LINES, the view is *tight*: it scrolls as a whole, the table whole over the
#: tiles' row, each plot under it at the view's full width (see _fit_tight). At 200% text in
#: presentation mode at 1024 x 768 the table showed two rows and a half, its buttons were cut
#: at the bottom, the curves' key was cut at the left ("olour: learning rate") and the
#: Activations sweep's names and key stood over its 60 px plot, its ticks over one another.
TIGHT_ROWS = 4
#: Tight, each plot is this share of the view's height (at least PLOTS_LEAST_LINES lines): a
#: screenful scrolls from the table to the curves, another to the scores.
TIGHT_PLOT_SHARE = 0.8
TITLE_TIP = ("The sweep: its members, its epoch, and how fast it trains (members x epochs per "
             "second).")
EMPTY_TEXT = (
    "<p style='font-size:large'><b>No sweep yet.</b></p>"
    "<p>A sweep trains many variants of a network at once and shows them side by side: "
    "a tile of each one's model, every loss curve, a table of their scores.</p>"
    "<p>Pick a ready-made sweep on the left (<i>Learning rate</i>, say) or the Presets menu, "
    "then press <b>Play</b>: while this tab is shown, Play, Step and the speed slider drive "
    "the sweep; the main run waits on its tab.</p>")
#: Where the tiles, the curves and the table come, while the sweep compiles: the body said "No
#: sweep yet. Pick a ready-made sweep..." under the header's "Compiling a sweep of 5
#: members..." (review r25 F10).
COMPILING_TEXT = (
    "<p style='font-size:large'><b>Compiling a sweep of {n} members\u2026</b></p>"
    "<p>Each member's tile, its loss curve and its scores appear here once it is built "
    "(a few seconds, more for a new network).</p>")


class CompareView(QWidget):
    def __init__(self, window) -> None:
        super().__init__()
        self.main_window = window
        self.worker = window.worker
        self.sweep_id = 0
        self.latest: SweepSnapshot | None = None
        self.drawn: SweepSnapshot | None = None
        self.members_of: int | None = None  # the sweep whose members the widgets show
        self.selected: int | None = None
        self.promoted: Any = None  # the Undo step of the last promote (the window's undo stack)
        self._follows_undo = False  # the Undo promote button follows that stack
        self.spec = None  # the SweepSpec trained (Restart starts it again)
        self.hint_until: int | None = None  # the epoch its ready-made hint is true until
        self.hint_reached = ""  # what the hint says once the sweep is at that epoch
        self.worse = np.zeros(0, bool)  # the members whose loss is higher than at the start
        self.frames = 0  # frames drawn (bench/compare.py counts them)
        self._scores_of: tuple | None = None  # the scores the table shows
        self._colors: list = []
        self._by_outcome = False  # the curves coloured by each member's loss now (seeds)
        self._label_forms: list[tuple[str, ...]] = []  # each tile's label, its shorter forms

        self.panel = SweepPanel()
        self.table = ScoreTable()
        self.tiles = TileMosaic()
        self.curves = LossCurves()
        self.score_plot = ScorePlot()

        self.narrow = False
        self.panel_shown = True
        self.title = QLabel("No sweep yet: start one on the left.")
        self.title.setMinimumHeight(24)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setToolTip(TITLE_TIP)
        self.promote_button = QPushButton("Promote")
        self.promote_button.setToolTip("Make the selected member the main window's run, with "
                                       "its history (the timeline replays it). Undo promote "
                                       "brings back the run it replaces.")
        self.beside_button = QPushButton("Open beside")
        self.beside_button.setToolTip("Open the selected member in a window of its own, with its "
                                      "history, to put beside the main window's run (which "
                                      "stays as it is).")
        self.undo_button = QPushButton("Undo promote")
        self.undo_button.setToolTip("Bring back the main window's run that the last promote "
                                    "replaced (Edit \u2192 Undo, Ctrl+Z, does the same).")
        self.end_button = QPushButton("End sweep")
        self.end_button.setToolTip("Stop the sweep and free its memory.")
        for b in (self.promote_button, self.beside_button, self.undo_button, self.end_button):
            b.setEnabled(False)

        head = QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 2)
        head.addWidget(self.title, 1)
        head.addWidget(self.end_button)

        self.selection_label = QLabel("")
        self.selection_label.setWordWrap(True)
        colors.tint(self.selection_label, "text")
        # The New sweep panel folds away (in a narrow view, while a sweep is shown) for the table.
        self.panel_toggle = QToolButton()
        self.panel_toggle.setText("New sweep")
        self.panel_toggle.setAutoRaise(True)
        self.panel_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.panel_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.panel_toggle.setToolTip("Show or fold away the ready-made sweeps and the sweep of "
                                     "your own (in a narrow window the loss plots fold away "
                                     "while they show).")
        self.panel_toggle.clicked.connect(lambda: self._show_panel(not self.panel_shown))
        self.panel.setTitle("")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(4, 0, 0, 4)
        lv.addWidget(self.panel_toggle)
        lv.addWidget(self.panel)
        lv.addWidget(self.table, 1)
        self.left_stretch = QWidget()  # no sweep: the room the table takes
        lv.addWidget(self.left_stretch, 1)
        lv.addWidget(self.selection_label)
        # What to do with the member selected: under the table that selects it.
        acts = QHBoxLayout()
        acts.setSpacing(4)
        for b in (self.promote_button, self.beside_button, self.undo_button):
            acts.addWidget(b)
        add_layout(lv, acts)

        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.addWidget(self.curves)
        self.bottom.addWidget(self.score_plot)
        self.bottom.setChildrenCollapsible(False)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tiles)
        self.right.addWidget(self.bottom)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.right.setChildrenCollapsible(False)
        # No sweep: what a sweep is and how to start one, instead of empty plots.
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(24, 24, 24, 24)
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        colors.tint(self.empty, "text")
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.right)
        self.split.addWidget(self.empty)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setStretchFactor(2, 1)
        self.split.setSizes([430, 900, 900])
        self.split.setChildrenCollapsible(False)
        left.setMinimumWidth(300)
        self.left = left
        # Wide: [left | tiles over plots]; narrow: [left | tiles] over [plots].
        self.outer = QSplitter(Qt.Orientation.Vertical)
        self.outer.addWidget(self.split)
        self.outer.setChildrenCollapsible(False)
        # Under the title, one column that scrolls where the view is tight (_fit_tight); else
        # as the splitter alone was (no scroll bar, the same least size).
        self.body = QWidget()
        bv = QVBoxLayout(self.body)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.outer)
        self.column = Column(self.body)
        self.tight = False
        self.stacked = False  # tight, with the tiles under the table (see _fit_tight)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        add_layout(lay, head)
        lay.addWidget(self.column, 1)
        self._show_sweep(False)

        self.panel.ready_clicked.connect(self.start_ready)
        self.panel.custom_requested.connect(self.start_custom)
        self.tiles.clicked.connect(self.select)
        self.tiles.activated.connect(self.promote)
        self.table.member_clicked.connect(self.select)
        self.table.member_activated.connect(self.promote)
        self.promote_button.clicked.connect(lambda: self.promote())
        self.beside_button.clicked.connect(lambda: self.open_beside())
        self.undo_button.clicked.connect(self.undo_promote)
        self.end_button.clicked.connect(self.end_sweep)
        self.worker.sweep_ready.connect(self._on_snapshot)


    # --- starting and ending -------------------------------------------------------------------

    def start_ready(self, key: str, stop_at: int | None = None) -> None:
        """Start the ready-made sweep ``key`` (core/ready_sweeps.py); Play stops where its
        answer shows, as a preset's does (or at ``stop_at``, given)."""
        try:
            r = ready(key)
            spec = r.spec()
        except (NnvizError, ValueError) as e:
            self.panel.show_error(str(e))
            return
        self.start(spec)
        stop = r.epochs if stop_at is None else stop_at
        self.main_window.set_sweep_stop_at(stop)  # the sweep's: the main run keeps its own
        # Short: a 1024 px window in presentation mode cut the longer one.
        text = (f"Sweep \u201c{r.title}\u201d: Play (Space) trains it to epoch {stop:,}"
                + (", where the answer shows." if stop == r.epochs else "."))
        # Over this tab only (the main tab keeps its run's): the status bar said it too, the
        # same sentence twice on a projector's screen.
        self.main_window.show_sweep_hint(text)
        self.hint_until = stop  # true until the sweep trains past it
        # At that epoch, "Play trains it to epoch 2,000" was no longer true and stayed (after a
        # promote too, review r22 F6): it says the epoch is reached.
        self.hint_reached = (f"Sweep \u201c{r.title}\u201d: epoch {stop:,} reached"
                             + (", where the answer shows." if stop == r.epochs else ".")
                             + " Play trains on.")

    def start_custom(self, axes: tuple) -> None:
        """Sweep ``axes`` ((name, values), ...) over the main window's current problem. Its
        initial weights start the members whose values do not draw weights of their own (a
        learning rate, an activation); a seed or a width draws each member's, as a run of
        that seed or width does (``redraw``). The run's weights are pinned once it was
        promoted, loaded or made by a preset: a sweep over the initial weights' seed then
        trained 8 copies of one run (review r24 F11)."""
        from nnviz.core.sweep import Axis, SweepSpec
        try:
            spec = SweepSpec(self.main_window.current_problem(),
                             tuple(Axis(name, tuple(values)) for name, values in axes),
                             redraw=True)
            spec.members()  # a value that does not fit the problem says so here
        except (NnvizError, ValueError) as e:
            self.panel.show_error(str(e))
            return
        self.start(spec)
        # A sweep of the main run's problem stops where the main run does (a preset's epoch).
        self.main_window.set_sweep_stop_at(self.main_window.stop_at())

    def start(self, spec) -> None:
        """Train a sweep of ``spec`` (a SweepSpec), paused; replaces the sweep there was."""
        self.sweep_id += 1
        self.latest = None
        self.spec = spec
        self.main_window.show_sweep_hint("")  # the last sweep's hint was about that sweep
        self.main_window.set_sweep_status("")  # and its news
        self.hint_until, self.hint_reached = None, ""
        self.worse = np.zeros(0, bool)
        self.panel.message.hide()
        n = len(spec.members())
        self.title.setText(f"Compiling a sweep of {n} members\u2026")
        self.empty.setText(COMPILING_TEXT.format(n=n))
        if self.members_of is not None:
            # The sweep shown goes: its table and tiles ("as of epoch 2,000") stayed under the
            # new sweep's "Compiling a sweep of 7 members..." as if its numbers (review r26 F3).
            self._clear_shown()
        self.worker.start_sweep(self.sweep_id, spec,
                                lambda e, i=self.sweep_id: self._start_failed(i, e))
        self.worker.focus_sweep(self.isVisible())
        self._set_playing_ui(False)
        self._drive(self.isVisible())
        if self.isVisible():
            self._show_epoch()

    def end_sweep(self) -> None:
        self.sweep_id += 1  # its last snapshots are dropped
        self.worker.end_sweep()
        self._no_sweep("No sweep: start one on the left.")
        self.worker.focus_sweep(False)
        self._drive(self.isVisible())

    def _start_failed(self, sweep_id: int, e: BaseException) -> None:
        """The worker refused to build sweep ``sweep_id`` (a value that does not fit the
        problem): the form says why, the status bar too (Help \u2192 Recent messages keeps
        it), and there is no sweep -- Play says so, the main run waits. "Compiling a sweep of
        2 members\u2026" stayed for good, the message was the main run's (it went with the
        run's next frame), and Space trained the main run behind this tab."""
        if sweep_id != self.sweep_id:
            return  # a sweep replaced since
        message = describe(e)
        self._no_sweep("No sweep: it could not start (the reason is on the left).")
        self.panel.show_error(message.split("\n\n", 1)[0])
        self.main_window._on_failed(message, banner=False)  # (a bug's details: a dialog)
        self._drive(self.isVisible())

    def _no_sweep(self, title: str) -> None:
        """No sweep shown (ended, or never built): its widgets empty, its notes gone."""
        self.latest = None
        self._clear_shown()
        self.end_button.setEnabled(False)
        self.title.setText(title)
        self.empty.setText(EMPTY_TEXT)
        self.main_window.show_sweep_hint("")  # about the sweep that is gone
        self.main_window.set_sweep_status("")
        self.hint_until, self.hint_reached = None, ""
        self.worse = np.zeros(0, bool)
        self.spec = None
        # The counter said the sweep's epoch ("Epoch 2,000") after End sweep, the main run at
        # 0 (review r31): without a sweep, the main run's, the one Play trains on its tab.
        self.main_window.show_run_epoch()

    def _clear_shown(self) -> None:
        """The sweep shown leaves the tab: its tiles, curves, table and selection (the body's
        text, ``empty``, takes their place)."""
        self.members_of, self.drawn, self.selected = None, None, None
        self.tiles.clear_members()
        self.curves.set_members([])
        self.table.set_members((), (), True)
        self.score_plot.set_members((), ())
        self.selection_label.setText("")
        for b in (self.promote_button, self.beside_button):
            b.setEnabled(False)
        self._show_sweep(False)

    def _set_playing_ui(self, playing: bool) -> None:
        self.main_window.playing = playing
        self.main_window.controls.set_playing(playing)

    # --- showing and hiding: who Play drives ----------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._focus(True)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().hideEvent(event)
        self._focus(False)

    def _focus(self, on: bool) -> None:
        if self.members_of is None and self.latest is None and not on:
            self.main_window.left_split.setVisible(True)
            # The controls go back to the main run in the worker too: shown, this tab took
            # them (a sweep still compiling, or none), and Play on the main tab went nowhere.
            self.worker.focus_sweep(False)
            self._drive(False)
            return
        if self.main_window.playing:
            self._set_playing_ui(False)
        self.worker.focus_sweep(on)
        # The main run's settings and loss are not the sweep's: the tab takes the whole width.
        self.main_window.left_split.setVisible(not on)
        self._drive(on)
        if on:
            self._show_epoch()

    def _show_epoch(self) -> None:
        """The run controls' epoch counter says the sweep's epoch while they drive it: 0 while it
        compiles (it went on saying the main run's, "Epoch 1,481", until the sweep's first
        frame: review r30)."""
        if self.drawn is not None:
            self.main_window.controls.set_epoch(self.drawn.epoch)
        elif self.spec is not None:
            self.main_window.controls.set_epoch(0)

    def _drive(self, on: bool) -> None:
        """Whether the run controls drive the sweep: Restart starts it again, Reset (the main
        run's new weights) waits until the main run is shown."""
        w = self.main_window
        w.set_sweep_driving(self if on else None)
        on = on and self.spec is not None
        for widget in (w.controls.reset, w.reset_action):
            widget.setEnabled(not on)
        w.controls.reset.setToolTip(
            "Reset draws new weights for the main run: show its tab (Data & model) first. "
            "Restart starts the sweep again at epoch 0." if on else
            "Start over with new random weights, at epoch 0 (R).")
        w.controls.restart.setToolTip(
            "Start the sweep again at epoch 0: the same members, the same initial weights."
            if on else "Back to epoch 0 with the same initial weights as this run: the same "
            "run again.")

    def has_sweep(self) -> bool:
        """Whether there is a sweep for Play and Step to train; if not, the status bar says
        so (on this tab they would train the main run, out of sight)."""
        if self.spec is None:
            self.main_window.statusBar().showMessage(
                "No sweep to train yet: start one on the left. The main run waits on its tab "
                "(Data & model).", 8000)
        return self.spec is not None

    def restart(self) -> None:
        """The sweep again from epoch 0 (Restart while the sweep takes the run controls)."""
        if self.has_sweep():
            self.start(self.spec)
            self.main_window.statusBar().showMessage("The sweep starts again at epoch 0, from the "
                                                "same initial weights.", 6000)

    def reset(self) -> None:
        if self.has_sweep():
            self.main_window.statusBar().showMessage(
                "Reset draws new weights for the main run: show its tab (Data & model) first. "
                "Restart starts the sweep again.", 8000)

    # --- the layout: wide or narrow, with a sweep or without ------------------------------------

    def _show_sweep(self, on: bool) -> None:
        """A sweep's tiles, table and plots; or, without one, what a sweep is (rather than
        empty plots with axes that mean nothing and an empty table)."""
        self.has_members = on
        self.right.setVisible(on)
        self._show_plots()
        self.table.setVisible(on)
        self.left_stretch.setVisible(not on)
        self._show_hint()
        self.empty.setVisible(not on)
        if not on:
            self._show_panel(True)  # the way to start one
        elif self.narrow:
            self._show_panel(False)
        self._share()

    def _show_panel(self, on: bool) -> None:
        self.panel_shown = on
        self.panel.setVisible(on)
        self.panel_toggle.setArrowType(Qt.ArrowType.DownArrow if on else
                                       Qt.ArrowType.RightArrow)
        self._show_plots()
        self._share()

    def _show_plots(self) -> None:
        """The loss plots with a sweep; narrow, not where the New sweep panel above the table
        leaves them less than PLOTS_LEAST_LINES (they were squeezed to ~40 px, their tick
        labels on one another, at 1024 x 768 in presentation mode)."""
        on = self.has_members
        if on and self.narrow and self.panel_shown and not self.tight:  # (tight: it scrolls)
            least = PLOTS_LEAST_LINES * self.fontMetrics().lineSpacing()
            on = self.outer.height() - self.left.minimumSizeHint().height() >= least
        self.bottom.setVisible(on)

    def is_narrow(self) -> bool:
        return self.width() < NARROW_LINES * self.fontMetrics().height()

    def _arrange(self) -> None:
        narrow = self.is_narrow()
        if narrow != self.narrow:
            self.narrow = narrow
            if narrow:
                self.outer.addWidget(self.bottom)  # out of the right column, under both
                self.outer.setStretchFactor(0, 3)
                self.outer.setStretchFactor(1, 2)
            else:
                self.right.addWidget(self.bottom)
                self.right.setStretchFactor(0, 3)
                self.right.setStretchFactor(1, 2)
            if self.has_members:
                self._show_panel(not narrow)
            self._show_plots()
            self._show_hint()
        self.table.set_compact(narrow, int(LEFT_MOST * self.width()))
        self._share()

    def _show_hint(self) -> None:
        """The line under the table: the member selected; with none, how to select one (in a
        narrow view that hint is the table's tooltip, and its two lines are two rows more)."""
        self.selection_label.setVisible(self.has_members and not (
            self.narrow and self.selected is None))

    def _top_need(self, rows: int) -> int:
        """The height of the left column with ``rows`` of the table's rows whole (its title
        row, the New sweep toggle or panel, the line and the buttons under it)."""
        others = self.left.sizeHint().height() - self.table.sizeHint().height()
        all_rows = self.table.model().rowCount()
        return others + self.table.needed_height() - max(all_rows - rows, 0) * \
            self.table.verticalHeader().defaultSectionSize()

    def is_tight(self) -> bool:
        """Narrow, with a sweep, and too short for TIGHT_ROWS of the table's rows and its
        buttons over the plots at PLOTS_LEAST_LINES (the Column's height: the view's, less the
        title's), or too narrow for the table's columns (table_cut): its rows counted alone,
        a two-axis sweep's table at 200% cut its columns and the plots under it."""
        if not (self.narrow and self.has_members):
            return False
        room = self.column.height()
        if room <= 0:
            return self.tight  # (not laid out yet)
        if self.table_cut():
            return True
        least = self._top_need(TIGHT_ROWS) + self.outer.handleWidth() \
            + PLOTS_LEAST_LINES * self.fontMetrics().lineSpacing()
        return room < least

    def table_cut(self) -> bool:
        """Whether the table's columns (those a narrow view keeps) are wider than its share of
        the view (LEFT_MOST): beside the tiles it would cut its last column and scroll
        sideways. At 200% text presenting at 1024 x 768 a two-axis sweep's table (its second
        axis a column more) read "3.33e-0" for 3.33e-05 under a horizontal scroll bar, its
        rows fitting the height, so the view was not tight; its heatmap, half the width, cut
        its right column and its curves were ~50 px tall."""
        return self.table._sized and self.table.needed_width() > int(LEFT_MOST * self.width())

    def _fit_tight(self) -> bool:
        """Tight (is_tight): the view scrolls as a whole, the table's rows whole (up to
        WHOLE_TABLE_ROWS) beside the tiles, the curves under them at the view's full width and
        the scores under the curves, each TIGHT_PLOT_SHARE of the view's height; else as
        before. Tight because the table is too wide for its share (table_cut), the tiles go
        under the table (stacked), each at the view's full width: beside a table as wide as
        its columns they were too narrow for their labels. Returns whether it is tight."""
        tight = self.is_tight()
        parts = (self.split, self.curves, self.score_plot)
        stacked = tight and self.table_cut()
        if stacked != self.stacked:  # the tiles under the table, each the view's full width
            self.stacked = stacked
            self.split.setOrientation(Qt.Orientation.Vertical if stacked
                                      else Qt.Orientation.Horizontal)
            for part in (self.left, self.right):
                part.setMinimumHeight(0)
        if tight != self.tight:
            self.tight = tight
            self.bottom.setOrientation(Qt.Orientation.Vertical if tight
                                       else Qt.Orientation.Horizontal)
            self.column.set_scrolling(tight)
            if not tight:
                for part in (*parts, self.body):
                    part.setMinimumHeight(0)
            self._show_plots()
        if not tight:
            return False
        line = self.fontMetrics().lineSpacing()
        rows = min(self.table.model().rowCount(), WHOLE_TABLE_ROWS)
        top = self._top_need(rows)
        plot = max(PLOTS_LEAST_LINES * line, int(TIGHT_PLOT_SHARE * self.column.height()))
        # Each part at its least, the column as tall as they are: its splitters give each
        # exactly that (sizes set before the column's new height would be scaled to it).
        split = top
        if stacked:
            self.left.setMinimumHeight(top)
            self.right.setMinimumHeight(plot)
            split = top + plot + self.split.handleWidth()
        for part, least in zip(parts, (split, plot, plot)):
            if part.minimumHeight() != least:
                part.setMinimumHeight(least)
        if stacked and self.split.sizes()[:2] != [top, plot]:
            self.split.setSizes([top, plot, 0])
        total = split + plot * 2 + self.outer.handleWidth() + self.bottom.handleWidth()
        if self.body.minimumHeight() != total:
            self.body.setMinimumHeight(total)
        return True

    def _share(self) -> None:
        """The left column as wide as the table's columns (within 300 px and 55% of the view:
        at 45% the Activations sweep's "test acc." was cut at 1024 x 768 in presentation mode,
        its tiles using less than their 55%), the tiles the rest; narrow, the plots 40% of the
        height; tight, every part its height in a column that scrolls (_fit_tight)."""
        width = max(self.width(), 1)
        need = self.table.needed_width() if self.has_members else 430
        left = int(min(max(need, 300), LEFT_MOST * width))
        tight = self._fit_tight()
        if not self.stacked:  # (stacked, _fit_tight set their heights)
            self.split.setSizes([left, width - left, width - left])
        if tight:
            return
        if self.narrow:
            self._show_plots()
            height = max(self.outer.height(), 1)
            plots = int(0.4 * height)
            rows = self.table.model().rowCount() if self.has_members else 0
            # The table's rows all in sight, where the plots can spare it; a table of more rows
            # than WHOLE_TABLE_ROWS scrolls, the plots keeping their share: the 16 seeds' took
            # the plots down to a strip where 16 curves' plateaus and escapes, the sweep's
            # point, could not be told (review r22 F18).
            if 0 < rows <= WHOLE_TABLE_ROWS:
                others = self.left.sizeHint().height() - self.table.sizeHint().height()
                top = others + self.table.needed_height()
                least = PLOTS_LEAST_LINES * self.fontMetrics().lineSpacing()
                if height - top >= least:
                    plots = min(plots, height - top)
                # else the table scrolls whatever the plots give up: they keep their share (the
                # open New sweep panel over the 16 seeds' table left them PLOTS_LEAST_LINES,
                # ~30 px inside their frames at 1024 x 768, their numbers on one another).
            if self.bottom.isHidden():
                return
            self.outer.setSizes([height - plots, plots])
        else:
            height = max(self.right.height(), 1)
            self.right.setSizes([height - int(0.4 * height), int(0.4 * height)])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode: the same width, fewer
            self.table.fit_font()                   # lines of text across it
            self._arrange()

    # --- drawing -------------------------------------------------------------------------------

    def update_snapshot(self, snapshot) -> None:
        """The main run's snapshot (every view gets it): this view draws the sweep's own."""

    def apply_look(self) -> None:
        """A new theme or palette: the sweep drawn again in it (gui/look.py calls this)."""
        self.tiles.placeholder.setColor(colors.hex_of(colors.axis()))
        if self.drawn is not None:
            selected = self.selected
            self.latest, self.drawn, self.members_of = self.drawn, None, None
            self._draw_latest()
            if selected is not None:
                self.select(selected)

    def _on_snapshot(self, s: SweepSnapshot) -> None:
        # Drawn in the next turn of the event loop: the worker already paces the snapshots
        # (at most SWEEP_FRAME_S apart, the next one only once this one is drawn), and a frame
        # timer's wait would make every other snapshot miss its turn.
        if s.sweep_id != self.sweep_id:
            self.worker.sweep_drawn()
            return
        if self.latest is None or self.latest is self.drawn:
            QTimer.singleShot(0, self, self._draw_latest)
        self.latest = s

    def _draw_latest(self) -> None:
        s = self.latest
        if s is None or s is self.drawn:
            return
        self.drawn = s
        self.worker.sweep_drawn()
        self.main_window.sweep_drawn_at(s.epoch)
        if self.hint_until is not None and s.epoch > self.hint_until:
            self.main_window.show_sweep_hint("")  # "Play trains it to epoch 2,000": no longer true
            self.hint_until = None
        elif self.hint_until is not None and s.epoch == self.hint_until and self.hint_reached:
            self.main_window.show_sweep_hint(self.hint_reached)
            self.hint_reached = ""
        if not self.isVisible():
            return
        if self.members_of != s.sweep_id:
            self._set_members(s)
        best = s.best()
        self.worse = got_worse(s)
        labels = [tuple(("\u2605 " if i == best else "") + t
                        + (" \u2014 diverged" if d else " \u2014 got worse" if w else "")
                        for t in forms)
                  for i, (forms, d, w) in enumerate(zip(self._label_forms, s.diverged,
                                                        self.worse))]
        self.tiles.update_tiles(s.values, s.xs, s.diverged, labels)
        self.curves.update_curves(s.loss_curves, s.diverged)
        if self._by_outcome:
            rgb = outcome_colors(s.loss_curves, s.diverged)
            if rgb != self._colors:
                self._colors = rgb
                self.curves.recolour(rgb)
        # The scores when the worker measured new ones (sweep_driver.SCORES_EVERY_S apart
        # while playing: numbers to read, not to watch move): a clock of the view's own on
        # top of the worker's made the table trail the sweep by up to twice that.
        if s.scores is not self._scores_of or not self.main_window.playing:
            self._scores_of = s.scores
            sized = self.table._sized
            self.table.update_scores(s.scores, best, worse_losses(s, self.worse))
            if self.table._sized and not sized:  # the columns' widths known: the left's
                self._share()
            self.score_plot.update_scores(s.scores, best)
            self._show_selection()
        self._set_title(s, best)
        self.main_window.controls.set_epoch(s.epoch)
        self.frames += 1

    def _set_members(self, s: SweepSnapshot) -> None:
        self.members_of = s.sweep_id
        data = s.dataset
        shape = tuple(len(v) for _, v in s.axes)
        self.tiles.set_members(s.labels, data, data.bounds(0.1), shape if len(shape) == 2 else None)
        self._by_outcome = by_outcome(s.axes)  # seeds: coloured by how each does (F18)
        self._colors = (outcome_colors(s.loss_curves, s.diverged) if self._by_outcome
                        else member_colors(s.members, s.axes))
        # Named by the swept values alone where one axis is swept (the key names the axis);
        # two: both values, short ("tanh, lr 1"), as the tiles are.
        names = member_names(s.members, s.axes)
        self.curves.set_members(self._colors, colour_key(s.axes), member_dashes(s.members, s.axes),
                                names)
        self._label_forms = label_forms(s)
        self.table.set_members(s.axes, s.members, data.is_classification,
                               has_test=len(data.test_index) > 0)
        self.score_plot.set_members(s.axes, s.members)
        scale = float(self.curves.property("nnvizScale") or 1.0)
        if scale != 1.0:  # the new curves, titles and marks at presentation mode's size
            from .presentation import scale_views
            scale_views(self, scale)
        self._show_sweep(True)
        self.selected = None
        self._scores_of = None
        self.end_button.setEnabled(True)
        self.promote_button.setEnabled(False)
        self.beside_button.setEnabled(False)

    def _set_title(self, s: SweepSnapshot, best: int | None) -> None:
        """The title, in its shorter forms where it is wider than its room (while it played,
        "… = 10,958 member-epochs/s" ran under the End sweep button at 1024 x 768 in
        presentation mode); the tooltip says all of it."""
        forms = [self._title_text(s, best, speed, named)
                 for speed, named in (("all", True), ("total", True), ("", True), ("", False))]
        doc = QTextDocument()
        doc.setDefaultFont(self.title.font())
        doc.setDocumentMargin(0)
        room = self.title.contentsRect().width()
        for text in forms:
            doc.setHtml(text)
            if doc.idealWidth() <= room:
                break
        self.title.setText(text)
        self.title.setToolTip(f"{forms[0]}<br>{TITLE_TIP}")

    def _title_text(self, s: SweepSnapshot, best: int | None, speed: str = "all",
                    named: bool = True) -> str:
        """``speed``: "all" (members x epochs/s = member-epochs/s), "total" (member-epochs/s
        alone) or "" (none). ``named``: with the data set's name: a sweep on other data than
        the main run's, after a preset had replaced that, read as the preset's (review r20
        F10)."""
        n = s.n_members
        alive = n - int(s.diverged.sum())
        axes = " \u00d7 ".join(f"{axis_title(name)} ({len(v)})" for name, v in s.axes)
        rate = s.member_epochs_per_second
        if not (speed and rate > 0 and self.main_window.playing):
            speed = ""
        elif speed == "all":
            speed = (f" &middot; {alive} \u00d7 {rate / max(alive, 1):,.0f} epochs/s = "
                     f"<b>{rate:,.0f}</b> member-epochs/s")
        else:
            speed = f" &middot; <b>{rate:,.0f}</b> member-epochs/s"
        red = colors.hex_of(colors.error())
        div = (f" &middot; <span style='color:{red}'>{n - alive} diverged</span>"
               if alive < n else "")
        worse = int(np.count_nonzero(self.worse)) if len(self.worse) == n else 0
        if worse:
            div += f" &middot; <span style='color:{red}'>{worse} got worse</span>"
        data = f" on {html.escape(s.dataset.name)}" if named else ""
        return f"<b>{n} members</b>{data}: {axes} &middot; epoch {s.epoch:,}{div}{speed}"

    # --- selecting and promoting ---------------------------------------------------------------

    def select(self, i: int | None) -> None:
        self.selected = i
        self.tiles.select(i)
        self.curves.select(i)
        self.table.select_member(i)
        self.promote_button.setEnabled(i is not None)
        self.beside_button.setEnabled(i is not None)
        self._show_selection()

    def _show_selection(self) -> None:
        self._show_hint()
        s, i = self.drawn, self.selected
        if s is None or i is None or i >= s.n_members:
            self.selection_label.setText("Click a tile or a row to select a member; "
                                         "double-click to promote it to the main run.")
            return
        values = ", ".join(f"{axis_title(name)} {format_value(s.members[i][name])}"
                           for name, _ in s.axes)
        sc = s.scores[i]
        state = "diverged, frozen" if s.diverged[i] else f"epoch {int(sc.get('epoch', 0)):,}"
        if not s.diverged[i] and i < len(self.worse) and self.worse[i]:
            first, now = worse_losses(s, self.worse)[i]
            state += (f"; got worse: its loss rose from {format_score(first)} to "
                      f"{format_score(now)}")
        self.selection_label.setText(f"Selected: {values} ({state}). Promote (or "
                                     "double-click): the main run; Open beside: a window "
                                     "of its own.")

    def promote(self, i: int | None = None) -> None:
        """Make member ``i`` (default: the selected one) the main window's run, with its record.
        One Undo step brings back the run it replaces."""
        i = self.selected if i is None else i
        if i is None:
            return
        label = self.drawn.labels[i] if self.drawn is not None else f"member {i + 1}"
        self.worker.sweep_request(lambda sweep: member_run(sweep, i),
                                  lambda r: self._adopt(r, label), self._failed)

    def _adopt(self, result: tuple, label: str) -> None:
        """The member is the main run; the run it replaced is kept (MainWindow._keep_the_run)
        for the window's Undo, as Reset's is: the steps before it then act on that run again.
        (Undo promote kept its own copy beside the undo stack, whose steps went on acting on
        the promoted run: Redo put another run's edited points under its weights.)"""
        trainer, run = result
        w = self.main_window
        before, run_id = w.current_problem(), w.run_id
        w.load_trainer(trainer, run)
        actions = getattr(w, "session_actions", None)
        if actions is not None:
            actions.run_replaced(f"promote member {label}", before, w.current_problem(),
                                 w.replaced_run, run_id)
            stack = actions.undo_stack
            self.promoted = stack.command(stack.index() - 1)
            if not self._follows_undo:
                stack.indexChanged.connect(self._show_undo)
                self._follows_undo = True
        self._show_undo()
        w.show_view("main")
        undo = " Undo (Ctrl+Z) brings back the run before." if actions is not None else ""
        w.statusBar().showMessage(
            f"Promoted the sweep's member {label}: it is the main run now, at epoch "
            f"{trainer.epoch:,}.{undo}", 10000)

    def _promote_undoes_next(self) -> bool:
        """The window's next Undo is the last promote's."""
        actions = getattr(self.main_window, "session_actions", None)
        if actions is None or self.promoted is None:
            return False
        stack = actions.undo_stack
        return stack.index() > 0 and stack.command(stack.index() - 1) is self.promoted

    def _show_undo(self, *_) -> None:
        self.undo_button.setEnabled(self._promote_undoes_next())

    def undo_promote(self) -> None:
        """The window's Undo, when its next step is the last promote."""
        if not self._promote_undoes_next():
            return
        self.main_window.session_actions.undo_stack.undo()
        self.main_window.show_view("main")

    def open_beside(self, i: int | None = None):
        """Open member ``i`` (default: the selected one) in a window of its own, with its
        record; the main window's run stays as it is. The window comes when the member is
        copied out of the sweep (in the worker thread)."""
        i = self.selected if i is None else i
        if i is None:
            return
        label = self.drawn.labels[i] if self.drawn is not None else f"member {i + 1}"
        self.worker.sweep_request(lambda sweep: member_run(sweep, i),
                                  lambda r: self._open_window(r, label), self._failed)

    def _open_window(self, result: tuple, label: str) -> None:
        from nnviz.core.problem import Problem

        from .main_window import MainWindow
        trainer, run = result
        main = self.main_window
        problem = Problem(trainer.data, trainer.spec, trainer.config, trainer.initial_params,
                          int(trainer.seed))
        beside = MainWindow(problem, companion=True)  # compiles what the member's run needs
        beside.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        main.companions.append(beside)
        beside.opener = main  # Quit in either window closes both (MainWindow.open_windows)
        beside.destroyed.connect(lambda *_: main.companions.remove(beside)
                                 if beside in main.companions else None)
        beside.load_trainer(trainer, run)
        # "[*]": the window's mark of unsaved epochs (SessionsMixin._show_modified)
        beside.setWindowTitle(f"{label}[*] — a sweep's member — nnviz")
        beside.show_hint(f"The sweep's member {label}, in a window of its own at epoch "
                         f"{trainer.epoch:,}, with its history (the timeline replays it). The "
                         "main window's run is as it was; put the two side by side.")
        # As the opener shows: presentation mode on a projector stays on in the new window.
        beside.set_presentation(main.presentation.active)
        if main.isVisible():
            size = main.normalGeometry().size() if main.isMaximized() or main.isFullScreen() \
                else main.size()
            place_beside(beside, main, size)
        beside.show()
        beside.raise_()
        beside.activateWindow()
        self.main_window.statusBar().showMessage(
            f"Opened the sweep's member {label} in a window of its own; this window's run is "
            "as it was.", 8000)
        return beside

    def _failed(self, e: BaseException) -> None:
        self.main_window.statusBar().showMessage(describe(e).split("\n\n", 1)[0], 10000)


def place_beside(window, opener, size) -> None:
    """``window`` at ``size``, 40 px down and right of ``opener``, but inside the screen's
    available geometry (no part under a panel or off the screen): a 1024x768 window beside a
    1024x768 one at (41, 65) ran off a 1024x768 screen."""
    screen = opener.screen() or window.screen()
    room = screen.availableGeometry()
    frame = opener.frameGeometry().size() - opener.size()  # the title bar and borders
    width = min(size.width(), room.width() - frame.width())
    height = min(size.height(), room.height() - frame.height())
    window.resize(max(width, 1), max(height, 1))
    width, height = window.width() + frame.width(), window.height() + frame.height()
    at = opener.pos() + QPoint(40, 40)
    x = max(room.left(), min(at.x(), room.left() + room.width() - width))
    y = max(room.top(), min(at.y(), room.top() + room.height() - height))
    window.move(x, y)


def got_worse(s: SweepSnapshot) -> np.ndarray:
    """The members, not diverged, whose training loss is higher now than at their first epoch
    (the ready-made lr sweep's lr 10: 0.3678 -> 0.4812, its ReLU units dead, at 51.9% with no
    word why: only a blow-up was marked, review r22 F6)."""
    out = np.zeros(s.n_members, bool)
    for i, (_, v) in enumerate(s.loss_curves):
        if i < len(s.diverged) and s.diverged[i] or len(v) < 2:
            continue
        first, now = float(v[0]), float(v[-1])
        out[i] = math.isfinite(first) and math.isfinite(now) and now > first
    return out


def worse_losses(s: SweepSnapshot, worse: np.ndarray) -> dict[int, tuple[float, float]]:
    """Each member that got worse: (its first epoch's loss, its last)."""
    return {i: (float(s.loss_curves[i][1][0]), float(s.loss_curves[i][1][-1]))
            for i in np.flatnonzero(worse)}


def label_forms(s: SweepSnapshot) -> list[tuple[str, ...]]:
    """Each member's tile label and its shorter forms, the first that fits its tile shown
    (TileMosaic.fit_labels). One axis: "activation softmax", then the value alone (the title
    above names the axis). Two: "tanh, lr 1" (the title and the heatmap's axes name the
    settings), then the values alone, "tanh, 1": "activation tanh, lr 1" was cut to
    "activation ta\u2026" on 100 px tiles, the second value never seen (review r22 F7)."""
    if len(s.axes) == 2:
        return [tuple(dict.fromkeys((short, ", ".join(format_value(m[name])
                                                      for name, _ in s.axes))))
                for short, m in zip(member_names(s.members, s.axes), s.members)]
    if len(s.axes) == 1:
        return [tuple(dict.fromkeys((text, format_value(m[s.axes[0][0]]))))
                for text, m in zip(s.labels, s.members)]
    return [(text,) for text in s.labels]


def colour_key(axes: tuple) -> str | tuple[str, ...]:
    """What the loss curves' colours (and dashes) mean: a numeric axis's first and last value
    (the scale between them); categories (activations), each one in its own colour and dashes;
    two axes, the first's colours and the second's dashes. A tuple: the key's entries, which
    LossCurves puts on as many lines as its width needs."""
    if len(axes) == 2:
        return (colour_words(axes[0]), *dash_entries(axes[1]))
    if by_outcome(axes):  # seeds: how each does, not which it is (outcome_colors)
        low, high = axis_colors(2)[-1], axis_colors(2)[0]
        return (f"colour: training loss now <span style='color:rgb{tuple(low)}'>\u25a0</span>"
                f" low \u2192 <span style='color:rgb{tuple(high)}'>\u25a0</span> high")
    name, values = axes[0]
    if categorical(values):
        shown = category_colors(len(values))
        # The names alone, each in its colour (made readable as words): they say what they
        # are, and "colour: activation ■ sigmoid ■ softmax ..." was wider than the plot at
        # 1024 x 768 in presentation mode.
        # Each after its line's dashes (LossCurves draws it so): told apart without colour.
        words = [colors.hex_of(colors.readable(rgb, colors.background(), 4.5)) for rgb in shown]
        return tuple(f"<span style='color:{w}'>{category_line(k)[1]}{format_value(v)}</span>"
                     for k, (w, v) in enumerate(zip(words, values)))
    return colour_words(axes[0])


def colour_words(axis: tuple) -> str:
    """The colours of ``axis``'s values: a numeric axis's first and last value (the scale
    between them), categories each one in its own colour."""
    name, values = axis

    def swatch(rgb, v) -> str:
        return (f"<span style='color:rgb{tuple(rgb)}'>\u25a0</span> {format_value(v)}")
    if categorical(values):
        words = [colors.hex_of(colors.readable(rgb, colors.background(), 4.5))
                 for rgb in category_colors(len(values))]
        return " &nbsp;".join(f"<span style='color:{w}'>\u25a0{format_value(v)}</span>"
                              for w, v in zip(words, values))
    first, last = axis_colors(len(values))[0], axis_colors(len(values))[-1]
    return f"colour: {axis_title(name)} {swatch(first, values[0])} \u2192 {swatch(last, values[-1])}"


def dash_words(axis: tuple) -> str:
    """The second axis's lines: each value after its dash pattern drawn twice and a space
    ("lr \u2500\u2500 0.1 \u254c\u254c 1"): one glyph against a number read as a minus sign,
    "lr \u22120.1"."""
    return " &nbsp; ".join(dash_entries(axis))


def dash_entries(axis: tuple) -> tuple[str, ...]:
    """dash_words' entries, the axis's name with the first (a key broken between them keeps
    each line and its value together)."""
    name, values = axis
    entries = [f"{2 * category_line(k)[1]}&nbsp;{html.escape(format_value(v))}"
               for k, v in enumerate(values)]
    entries[0] = f"{html.escape(axis_title(name, short=True))}: {entries[0]}"
    return tuple(entries)


def build_view(ctx) -> CompareView:
    return CompareView(ctx.window)
