"""Sessions, your own data, exports, presets and undo, installed into the main window.

``install(window)`` (the main window calls it when this module imports) adds:

- File: Open (Ctrl+O), Open Recent, Save (Ctrl+S), Save As (Ctrl+Shift+S), Import CSV (with a
  preview), Export (each plot as PNG or SVG, the loss history as CSV, the weights as .npz in the
  notebook's layout, the data as CSV);
- Edit: Undo (Ctrl+Z) / Redo (Ctrl+Shift+Z) of architecture, data and settings edits (a
  QUndoStack of whole problems), and "Edit points on the plot": click adds a point of the chosen
  class, right-click deletes the nearest;
- Presets: the notebook's steps and the classic problems, and the ready-made sweeps (each
  starts in the Compare tab);
- QSettings: window geometry, splitter positions, last folder, recent files.

``window.open_session(path)`` (used by ``nnviz --open``) raises SessionError on a bad file; the
menu actions read sessions and CSV files off the GUI thread (``file_jobs``: a progress dialog with
Cancel), show every error in a message box and leave the open session as it was. Saving and the
exports of the live run read the trainer in the worker thread (``request_state``); closing the
window waits until what was asked for is written (or has failed, saying why: the window stays).

Each job is a module of ``nnviz/gui/actions`` (sessions, settings, undo and presets, imports,
edited points, exports), a mixin of :class:`SessionActions`; this module builds the menus and
the toolbar and puts the jobs together.
"""
from __future__ import annotations

import os
from typing import Callable
from weakref import WeakKeyDictionary

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QLabel, QMenu, QMessageBox,
                               QPushButton, QSizePolicy, QToolBar, QToolButton)

from nnviz.core import presets
from nnviz.core import session as session_io
from nnviz.core.data import Dataset
from nnviz.core.errors import NnvizError

from .actions.closing import ClosingMixin
from .file_dialog import ask_file
from .actions.exports import ExportMixin, _ext_for
from .actions.model_exports import ModelExportMixin
from .actions.imports import ImportMixin, _dropped_file, example_files  # noqa: F401 (tests use it)
from .actions.points import PointsMixin
from .actions.sessions import SessionsMixin
from .actions.settings import SettingsMixin, make_settings
from .actions.undo import UNDO_LIMIT, UndoMixin
from .file_jobs import FileJobs
from .widgets import ElidedLabel

USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's


class SessionActions(SettingsMixin, SessionsMixin, UndoMixin, ImportMixin, PointsMixin,
                     ExportMixin, ModelExportMixin, ClosingMixin, QObject):
    """The session, data, export, preset and undo actions of one main window."""

    saved = Signal(str)  # the path, once a save has been written
    exported = Signal(str)  # the path, once an export has been written
    opened = Signal(str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.settings = make_settings()
        self._settings_failed = False  # said once: a message box per save would nag
        self.path: str | None = None
        self.last_message = ""
        self.message_box: QMessageBox | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)  # each step may hold a data set
        self.undo_stack.indexChanged.connect(self._bound_kept_runs)  # and a trained run
        for done in (self.saved, self.exported, self.opened):
            done.connect(self._worked)
        self._class_names: WeakKeyDictionary[Dataset, tuple[str, ...]] = WeakKeyDictionary()
        self._current = window.current_problem()
        self._branch_shown: str | None = None  # the branch of the run drawn (_branch_drawn)
        self.jobs = FileJobs(window)  # sessions and CSV files are read off the GUI thread
        self._pending_writes = 0  # saves and exports asked for and not written yet
        self._close_when_written = False
        self._build_file_menu()
        self._build_edit_menu()
        self._build_presets_menu()
        self._build_edit_toolbar()
        self._connect()
        self._restore_settings()
        self._set_title()
        window.installEventFilter(self)
        window.setAcceptDrops(True)  # drop a .nnviz to open it, a .csv to import it

    def _action(self, text: str, tip: str, slot: Callable, keys=None) -> QAction:
        a = QAction(text, self.window)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        if keys is not None:
            seqs = keys if isinstance(keys, list) else [keys]
            a.setShortcuts([QKeySequence(k) for k in seqs])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.triggered.connect(lambda checked=False: slot())
        self.window.addAction(a)  # shortcuts work even when the menu bar is hidden
        return a

    def _build_file_menu(self) -> None:
        w, menu = self.window, self.window.file_menu
        before = w.close_action  # the session's items above Close window and Quit
        self.open_action = self._action("&Open session...", "Open a saved .nnviz session.",
                                        self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = QMenu("Open &recent", w)
        self.recent_menu.setToolTipsVisible(True)
        self.save_action = self._action("&Save session", "Save everything about this run: data, "
                                        "network, settings, weights, optimiser state, history.",
                                        self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = self._action("Save session &as...", "Save the session to a new file.",
                                           self.save_as, "Ctrl+Shift+S")
        self.import_action = self._action("&Import CSV...", "Train on your own data: x1,x2,label "
                                          "or x,y / x1,x2,y, with a preview.", self.import_dialog,
                                          "Ctrl+I")
        self.examples_menu = QMenu("Import exa&mple", w)
        self.examples_menu.setToolTipsVisible(True)
        for name, path, note in example_files():
            a = self.examples_menu.addAction(name)
            a.setToolTip(note)
            a.setStatusTip(note)
            a.triggered.connect(lambda checked=False, p=path: self.import_dialog(p))
        self.export_menu = QMenu("&Export", w)
        self.export_menu.setToolTipsVisible(True)
        ex = [
            ("Decision plot as &image...", "The data and the model's prediction, as PNG or SVG.",
             lambda: self.export_plot_dialog("plot")),
            ("&Loss curve as image...", "The loss curves, as PNG or SVG.",
             lambda: self.export_plot_dialog("loss")),
            ("&Current view as image...", "The view in the front tab, as PNG or SVG.",
             lambda: self.export_plot_dialog("view")),
            (None, None, None),
            ("Loss &history as CSV...", "epoch,loss rows (and the test loss, every few epochs).",
             lambda: self.export_dialog("history")),
            ("&Weights as .npz...", "The weights of the epoch shown: w0..w{L-1} of shape "
             "(in, out), b0..b{L-1} of shape (out, 1), the notebook's layout.",
             lambda: self.export_dialog("weights")),
            ("&Data as CSV...", "The points, readable by Import CSV.",
             lambda: self.export_dialog("data")),
            (None, None, None),
            ("&Python script...", "The run as a standalone script (numpy and jax, the "
             "notebook's code, this run's points and initial weights) that trains up to the epoch "
             "shown and prints its losses.",
             lambda: self.export_code_dialog("script")),
            ("&Notebook (.ipynb)...", "The same script as a Jupyter notebook, a cell per "
             "section (needs nbformat: pip install 'nnviz[notebook]').",
             lambda: self.export_code_dialog("notebook")),
            ("&ONNX model...", self._onnx_tip(), self.export_onnx_dialog),
            ("&Animation (GIF, MP4)...", "The run, or a stretch of it, as an animation for "
             "slides: the plot, the view or the window, a caption with epoch and loss "
             "(needs pip install 'nnviz[record]').", self.record_dialog),
        ]
        for text, tip, slot in ex:
            if text is None:
                self.export_menu.addSeparator()
            else:
                self.export_menu.addAction(self._action(text, tip, slot))

        menu.insertAction(before, self.open_action)
        menu.insertMenu(before, self.recent_menu)
        menu.insertSeparator(before)
        menu.insertAction(before, self.save_action)
        menu.insertAction(before, self.save_as_action)
        menu.insertSeparator(before)
        menu.insertAction(before, self.import_action)
        menu.insertMenu(before, self.examples_menu)
        menu.insertMenu(before, self.export_menu)
        menu.insertSeparator(before)
        self._rebuild_recent()

    @staticmethod
    def _onnx_tip() -> str:
        from nnviz.core.onnx_export import INSTALL_HINT, have_onnx
        tip = ("The network with the weights of the epoch shown as an ONNX model (Netron, "
               "onnxruntime): input X, "
               "points in rows; output the network's prediction.")
        return tip if have_onnx() else f"{tip} Not available: {INSTALL_HINT}."

    def _build_edit_menu(self) -> None:
        w = self.window
        self.edit_menu = QMenu("&Edit", w)
        self.undo_action = self.undo_stack.createUndoAction(w, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_stack.createRedoAction(w, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for a in (self.undo_action, self.redo_action):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            w.addAction(a)
            self.edit_menu.addAction(a)
        # An Undo button beside a message that says Ctrl+Z takes back what was just done,
        # while it shows: Reset by its bare R key, a deleted branch, a closed exercise. The
        # R key threw away minutes of training in front of a class, and getting them back
        # depended on reading the status line and knowing the key (review r19 #6).
        self.undo_button = QToolButton()
        self.undo_button.setText("Undo")
        self.undo_button.setToolTip("Undo what the message beside says was just done (Ctrl+Z).")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # (the keys: Ctrl+Z)
        self.undo_button.clicked.connect(self.undo_action.trigger)
        # ... until the run trains on: Undo would then throw away what was trained since
        # the message (review r21: clicked 10 s later, it took the new run's epochs).
        self._offered_at: tuple[int, int] | None = None  # (run id, live epoch) at the offer
        w.statusBar().add_offer(self.undo_button, self._offers_undo)
        w.snapshot_drawn.connect(self._withdraw_undo_if_trained)
        self.edit_menu.addSeparator()
        self.edit_points_action = self._action(
            "Edit &points on the plot", "Click the plot to add a point of the chosen class; "
            "right-click to delete the nearest point.", self._toggle_edit_points, "Ctrl+E")
        self.edit_points_action.setCheckable(True)
        self.edit_menu.addAction(self.edit_points_action)
        w.menuBar().insertMenu(w.run_menu.menuAction(), self.edit_menu)

    def _build_presets_menu(self) -> None:
        w = self.window
        self.presets_menu = QMenu("&Presets", w)
        self.presets_menu.setToolTipsVisible(True)
        self.preset_actions: dict[str, QAction] = {}
        try:
            all_presets, groups = presets.load_presets(), presets.groups()
        except presets.PresetError as e:  # a broken install: say so in the menu
            a = self.presets_menu.addAction(f"Presets unavailable: {e}")
            a.setEnabled(False)
            all_presets, groups = (), {}
        for gid, title in groups.items():
            self.presets_menu.addSection(title)
            members = [p for p in all_presets if p.group == gid]
            for p in self._notebook_steps(members) if gid == "notebook" else members:
                if isinstance(p, tuple):  # a lesson's ready-made sweep
                    text, key, tip = p
                    a = self._action(text.replace("&", "&&"), tip,
                                     lambda key=key: self.start_sweep(key))
                    self.presets_menu.addAction(a)
                    continue
                a = self._action(p.title.replace("&", "&&"), p.description,
                                 lambda p=p: self.load_preset(p))
                self.presets_menu.addAction(a)
                self.preset_actions[p.id] = a
        self._add_ready_sweeps()
        w.menuBar().insertMenu(w.run_menu.menuAction(), self.presets_menu)

    def _notebook_steps(self, members: list) -> list:
        """The notebook's presets in the Lessons menu's order, lesson 4's sweep of the five
        activations in its place as (title, sweep key, tip): one list of the notebook's steps
        under the Lessons menu's names (the two menus had six steps under other names, two of
        them not in the notebook). Presets of the group no lesson names follow."""
        from nnviz.core.ready_sweeps import BY_KEY

        from .lessons_view import LESSONS
        from .views import PRESET_FOR_LESSON, SWEEP_FOR_LESSON
        left = {p.id: p for p in members}
        steps: list = []
        for lesson in LESSONS:
            pid, sweep = PRESET_FOR_LESSON.get(lesson.key), SWEEP_FOR_LESSON.get(lesson.key)
            if pid in left:
                steps.append(left.pop(pid))
            elif sweep in BY_KEY and "compare" in self.window.view_names():
                steps.append((lesson.title, sweep, BY_KEY[sweep].tip))
        return steps + list(left.values())

    def _add_ready_sweeps(self) -> None:
        """The ready-made sweeps (core/ready_sweeps.py), the Compare tab's buttons, as presets:
        one click starts the sweep with the Compare tab shown."""
        from nnviz.core.ready_sweeps import READY
        self.sweep_actions: dict[str, QAction] = {}
        if "compare" not in self.window.view_names():
            return
        self.presets_menu.addSection("Sweeps: many runs at once (the Compare tab)")
        for r in READY:
            a = self._action(f"Sweep: {r.title}".replace("&", "&&"), r.tip,
                             lambda key=r.key: self.start_sweep(key))
            self.presets_menu.addAction(a)
            self.sweep_actions[r.key] = a

    def start_sweep(self, key: str) -> None:
        """Start the ready-made sweep ``key`` in the Compare tab, shown; the main run stays."""
        w = self.window
        w.show_view("compare")
        w._inspection_views["compare"].start_ready(key)

    def _build_edit_toolbar(self) -> None:
        w = self.window
        bar = self.edit_toolbar = QToolBar("Edit points", w)
        bar.setObjectName("EditPointsToolbar")
        bar.setMovable(False)
        # Cut short ("...", whole in its tooltip) where the window is narrow, Done still in
        # the bar: at 833 px (a 150% laptop screen) the whole hint pushed Done out of it, into
        # the toolbar's overflow menu.
        self.edit_hint = ElidedLabel()
        self.edit_class = QComboBox()
        # Sized to its names each time they change (a file's "apple (class 0)" was cut to
        # "apple (cl", the box keeping the width of "class 0" it was first shown with).
        self.edit_class.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # ... and never narrower: where the bar is short of room the hint beside it gives way
        # ("..."), not the name (an 800 px window squeezed the box to its least, 79 px).
        self.edit_class.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.edit_class.setToolTip("The class of the points a click adds.")
        self.edit_value = QDoubleSpinBox()
        self.edit_value.setRange(-1e6, 1e6)
        self.edit_value.setDecimals(3)
        self.edit_value.setToolTip("The value (y) of the points a click adds.")
        # A push button, drawn as one: the toolbar's own (an action's) was flat, plain text
        # beside the hint, and did not look like something to press (review r13).
        done = self.edit_done = QPushButton("Done")
        done.setToolTip("Stop editing points (Ctrl+E).")
        done.clicked.connect(self.stop_editing_points)
        # Bold by its text, not a style sheet: one kept presentation mode's larger font from it.
        title = self.edit_title = QLabel("&nbsp;&nbsp;<b>Editing points:</b> ")
        title.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(title)
        self._class_widget = bar.addWidget(self.edit_class)
        self._value_widget = bar.addWidget(self.edit_value)
        bar.addWidget(self.edit_hint)
        bar.addWidget(done)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.hide()

    def _connect(self) -> None:
        w = self.window
        # Connected after the window's own slots: when these run, the edit has been applied.
        w.editor.changed.connect(lambda: self._panel_edited("network edit"))
        w.data_panel.changed.connect(lambda: self._panel_edited("data edit"))
        w.training_panel.config_changed.connect(lambda: self._panel_edited("training settings edit"))
        # The learning rate changes the run without a reset: an undo step of its own, and
        # undoing a later edit comes back to the rate in use, not an older one.
        w.training_panel.lr_changed.connect(self._learning_rate_changed)
        w.weights_edited.connect(self._weights_edited)
        w.branched.connect(self._branched)  # "Continue from here": a step of its own
        w.timeline.rename_requested.connect(self._branch_renamed)
        w.branch_deleted.connect(self._branch_deleted)  # Delete branch: a step too
        w.timeline.delete_undoable = True
        w.snapshot_drawn.connect(self._show_modified)  # the title's mark of unsaved work
        w.snapshot_drawn.connect(self._branch_drawn)  # the rate steps' branch (undo.py)
        self.undo_stack.indexChanged.connect(self._show_modified)
        w.boundary.scene().sigMouseClicked.connect(self._plot_clicked)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is not self.window:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close:
            if event.spontaneous() and not self.may_close():  # the close button: ask first
                event.ignore()
                return True
            if self._pending_writes and self.window.worker.is_running():
                # A save asked for (Ctrl+S, then close at once) is written first: the window
                # closes when it is, or stays, saying why, when it cannot be.
                self._close_when_written = True
                self._status("Saving before closing\u2026", 0)
                event.ignore()
                return True
            self.jobs.shutdown()
            self.save_settings()
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            path = _dropped_file(event.mimeData())
            if path is None:
                return False
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                if path.lower().endswith(session_io.SUFFIX):
                    self._open_reporting(path)
                else:
                    self.import_dialog(path)
            return True
        return False

    def ask_path(self, title: str, file_filter: str, *, save: bool, suggested: str = "") -> str:
        """A path from a file dialog ("" if cancelled); extensions added from the filter."""
        start = os.path.join(self.dialog_folder(), suggested)
        path, chosen = ask_file(self.window, title, start, file_filter, save=save)
        if not path:
            return ""
        if save:
            path = _ext_for(path, chosen, os.path.splitext(suggested)[1])
        self._asked_path = os.path.abspath(path)  # its folder remembered once it worked
        return path

    def _worked(self, path: str) -> None:
        """A file was written, opened or read at ``path``: if a dialog chose it, its folder is
        the last folder from now on. Not before: Save as /proc/x.nnviz, refused, had the next
        dialog open in /proc."""
        if path and os.path.abspath(path) == getattr(self, "_asked_path", None):
            self._asked_path = None  # (used: a later file of that name, not asked, is not it)
            self.remember_folder(path)

    def show_error(self, title: str, text: str) -> None:
        """A message box (not blocking) and the status bar; the open session is untouched."""
        self.last_message = text
        self.window.statusBar().showMessage(text, 10000)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda *_: setattr(self, "message_box", None))
        self.message_box = box
        box.open()

    def _offers_undo(self, message: str) -> bool:
        """Whether the status bar's ``message`` goes with the Undo button: it says Ctrl+Z,
        and there is a step to undo (the button's tooltip says which)."""
        if "Ctrl+Z" not in message or not self.undo_stack.canUndo():
            return False
        self.undo_button.setToolTip(f"Undo {self.undo_stack.undoText()} (Ctrl+Z).")
        w = self.window
        if self.undo_button.isHidden():  # (offered now: where the run is)
            s = w.last_snapshot
            live = s.live_epoch if s is not None and s.run_id == w.run_id else 0
            self._offered_at = (w.run_id, live)
        return True

    def _withdraw_undo_if_trained(self, s) -> None:
        at = self._offered_at
        if self.undo_button.isHidden() or at is None:
            return
        if s.run_id == at[0] and s.live_epoch > at[1]:
            self._offered_at = None
            self.window.statusBar().withdraw_offers()

    def _status(self, text: str, ms: int = 6000) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, ms)


def install(window) -> SessionActions:
    """Add the session, data, export, preset and undo actions to ``window``."""
    actions = SessionActions(window)
    window.session_actions = actions
    window.open_session = actions.open_session
    return actions
