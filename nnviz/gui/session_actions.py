"""Sessions, your own data, exports, presets and undo, installed into the main window.

``install(window)`` (the main window calls it when this module imports) adds:

- File: Open (Ctrl+O), Open Recent, Save (Ctrl+S), Save As (Ctrl+Shift+S), Import CSV (with a
  preview), Export (each plot as PNG or SVG, the loss history as CSV, the weights as .npz in the
  notebook's layout, the data as CSV);
- Edit: Undo (Ctrl+Z) / Redo (Ctrl+Shift+Z) of architecture, data and settings edits (a
  QUndoStack of whole problems), and "Edit points on the plot": click adds a point of the chosen
  class, right-click deletes the nearest;
- Presets: the notebook's steps and the classic problems;
- QSettings: window geometry, splitter positions, last folder, recent files.

``window.open_session(path)`` (used by ``nnviz --open``) raises SessionError on a bad file; the
menu actions read sessions and CSV files off the GUI thread (``file_jobs``: a progress dialog with
Cancel), show every error in a message box and leave the open session as it was. Saving and the
exports of the live run read the trainer in the worker thread (``request_state``); closing the
window waits until what was asked for is written (or has failed, saying why: the window stays).
"""
from __future__ import annotations

import math
import os
from dataclasses import replace
from typing import Any, Callable
from weakref import WeakKeyDictionary

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (pg.exporters)
from PySide6.QtCore import (QBuffer, QByteArray, QEvent, QIODevice, QObject, QPoint, QRect,
                            QSettings, Qt, Signal)
from PySide6.QtGui import QAction, QKeySequence, QPainter, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QGraphicsItem,
                               QLabel, QMenu, QMessageBox, QToolBar, QWidget)

from nnviz.core import csvdata, fileio, presets
from nnviz.core import session as session_io
from nnviz.core.data import DataError, Dataset
from nnviz.core.losses import LossError
from nnviz.core.network import SpecError, save_npz
from nnviz.core.session import Session, SessionError
from nnviz.core.errors import NnvizError
from nnviz.core.problem import Problem
from nnviz.core.training import TrainingError

from .app import picture_bytes
from .file_jobs import Cancelled, FileJobs
from .session_dialogs import ImportDialog

USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's
RECENT_MAX = 8
UNDO_LIMIT = 100
SESSION_FILTER = "nnviz sessions (*.nnviz);;All files (*)"
CSV_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"
IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"
# A right-click deletes the nearest point only if it is this close (in plot widths/heights).
DELETE_RADIUS = 0.05


def make_settings() -> QSettings:
    """The settings store; ``NNVIZ_SETTINGS=/path/file.ini`` puts it in a file of one's own
    (tests, portable use)."""
    path = os.environ.get("NNVIZ_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("nnviz", "nnviz")


def same_problem(a: Problem, b: Problem) -> bool:
    """The same data (the same generator settings, or the very points), network, settings and
    seed: a panel edit that changed none of them is no undo step."""
    da, db = a.dataset, b.dataset
    same_data = da is db or (da.spec is not None and da.spec == db.spec)
    return same_data and (a.spec, a.config, a.seed) == (b.spec, b.config, b.seed)


class ProblemCommand(QUndoCommand):
    """One edit: the problem before and after it. The edit is already applied when pushed."""

    def __init__(self, actions: "SessionActions", text: str, before: Problem,
                 after: Problem) -> None:
        super().__init__(text)
        self.actions, self.before, self.after = actions, before, after
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo; the edit happened already
            self._applied = False
            return
        self.actions.apply_state(self.after)

    def undo(self) -> None:
        self.actions.apply_state(self.before)


def _ext_for(path: str, selected_filter: str, default: str) -> str:
    """``path`` with an extension: the one typed, else the chosen filter's, else ``default``."""
    if os.path.splitext(path)[1]:
        return path
    for ext in (".png", ".svg", ".nnviz", ".csv", ".npz"):
        if ext in selected_filter:
            return path + ext
    return path + default


def _export_mode(widget: QWidget, on: bool) -> None:
    """Tell every pyqtgraph item in ``widget`` that it is drawn for export (as pyqtgraph's
    exporters do): scatter points then paint as shapes instead of cached pixmaps, which an SVG
    would otherwise hold as blurred fragments. Items Qt caches as pixmaps (the axes, see
    ``widgets.cache_axes``) are drawn uncached meanwhile, for the same reason."""
    views = widget.findChildren(pg.GraphicsView)
    if isinstance(widget, pg.GraphicsView):
        views.append(widget)
    no_cache = QGraphicsItem.CacheMode.NoCache
    for view in views:
        for item in view.scene().items():
            if hasattr(item, "setExportMode"):
                item.setExportMode(on, {"antialias": True} if on else None)
            if on and item.cacheMode() != no_cache:
                item._cache_before_export = item.cacheMode()
                item.setCacheMode(no_cache)
            elif not on and hasattr(item, "_cache_before_export"):
                item.setCacheMode(item._cache_before_export)
                del item._cache_before_export


def export_image(target: QWidget | pg.PlotItem, path: str) -> None:
    """Save a plot (a pyqtgraph PlotWidget / PlotItem) or any widget as PNG or SVG.

    The picture is drawn in memory and written atomically (``fileio``): a full disk or any other
    failure raises OSError and leaves the file that was at ``path`` as it was.

    A plot's PNG goes through pyqtgraph's ImageExporter (at least 800 pixels wide). For SVG,
    pyqtgraph's SVGExporter is tried first; with Qt >= 6.9 it fails on the path format Qt now
    writes (pyqtgraph issue #3485), and the plot is then drawn through Qt's QSvgGenerator with
    pyqtgraph's export mode on. Any other widget: PNG as shown on screen, SVG as drawn by Qt.
    """
    fileio.check_output(path)  # a folder, a FIFO, a missing folder: say so before drawing
    fileio.write_bytes(path, _image_bytes(target, path.lower().endswith(".svg")))


def _image_bytes(target: QWidget | pg.PlotItem, svg: bool) -> bytes:
    item = target.getPlotItem() if isinstance(target, pg.PlotWidget) else target
    if isinstance(item, pg.PlotItem):
        try:
            if svg:
                data = pg.exporters.SVGExporter(item).export(toBytes=True)
            else:
                ex = pg.exporters.ImageExporter(item)
                ex.parameters()["width"] = int(max(800, item.sceneBoundingRect().width() * 2))
                data = picture_bytes(ex.export(toBytes=True))
            if data:
                return bytes(data)
        except (ValueError, IndexError, AttributeError):
            pass  # the SVG exporter's known failure: fall through to Qt
    widget = target if isinstance(target, QWidget) else item.getViewWidget()
    if widget is None:
        raise OSError("the plot is not shown")
    if not svg:
        return picture_bytes(widget.grab())
    from PySide6.QtSvg import QSvgGenerator
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(widget.size())
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setTitle("nnviz")
    _export_mode(widget, True)
    painter = QPainter(gen)
    try:
        # QWidget's own render (a QGraphicsView overrides render with another signature):
        # the widget and its children, as on screen.
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
        _export_mode(widget, False)
    data = bytes(buf.data())
    if not data:
        raise OSError("the SVG drawing came out empty")
    return data


class SessionActions(QObject):
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
        self._class_names: WeakKeyDictionary[Dataset, tuple[str, ...]] = WeakKeyDictionary()
        self._current = window.current_problem()
        self.jobs = FileJobs(window)  # sessions and CSV files are read off the GUI thread
        self._pending_writes = 0  # saves and exports asked for and not written yet
        self._close_when_written = False
        self._build_file_menu()
        self._build_edit_menu()
        self._build_presets_menu()
        self._build_edit_toolbar()
        self._connect()
        self._restore_settings()
        window.installEventFilter(self)
        window.setAcceptDrops(True)  # drop a .nnviz to open it, a .csv to import it

    # --- menus ---------------------------------------------------------------------------------

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
        before = w.quit_action
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
        self.examples_menu = QMenu("Import e&xample", w)
        self.examples_menu.setToolTipsVisible(True)
        for name, path, note in example_files():
            a = self.examples_menu.addAction(name)
            a.setToolTip(note)
            a.setStatusTip(note)
            a.triggered.connect(lambda checked=False, p=path: self.import_dialog(p))
        self.export_menu = QMenu("&Export", w)
        self.export_menu.setToolTipsVisible(True)
        ex = [
            ("Decision &plot as image...", "The data and the model's prediction, as PNG or SVG.",
             lambda: self.export_plot_dialog("plot")),
            ("&Loss curve as image...", "The loss curves, as PNG or SVG.",
             lambda: self.export_plot_dialog("loss")),
            ("&Current view as image...", "The view in the front tab, as PNG or SVG.",
             lambda: self.export_plot_dialog("view")),
            (None, None, None),
            ("Loss &history as CSV...", "epoch,loss (and test_loss) rows.",
             lambda: self.export_dialog("history")),
            ("&Weights as .npz...", "w0..w{L-1} of shape (in, out), b0..b{L-1} of shape (out, 1):"
             " the notebook's layout.", lambda: self.export_dialog("weights")),
            ("&Data as CSV...", "The points, readable by Import CSV.",
             lambda: self.export_dialog("data")),
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
            for p in all_presets:
                if p.group != gid:
                    continue
                a = self._action(p.title.replace("&", "&&"), p.description,
                                 lambda p=p: self.load_preset(p))
                self.presets_menu.addAction(a)
                self.preset_actions[p.id] = a
        w.menuBar().insertMenu(w.run_menu.menuAction(), self.presets_menu)

    def _build_edit_toolbar(self) -> None:
        w = self.window
        bar = self.edit_toolbar = QToolBar("Edit points", w)
        bar.setObjectName("EditPointsToolbar")
        bar.setMovable(False)
        self.edit_hint = QLabel()
        self.edit_class = QComboBox()
        self.edit_class.setToolTip("The class of the points a click adds.")
        self.edit_value = QDoubleSpinBox()
        self.edit_value.setRange(-1e6, 1e6)
        self.edit_value.setDecimals(3)
        self.edit_value.setToolTip("The value (y) of the points a click adds.")
        done = QAction("Done", w)
        done.setToolTip("Stop editing points (Ctrl+E).")
        done.triggered.connect(self.stop_editing_points)
        title = QLabel("  Editing points: ")
        title.setStyleSheet("font-weight: bold;")
        bar.addWidget(title)
        self._class_widget = bar.addWidget(self.edit_class)
        self._value_widget = bar.addWidget(self.edit_value)
        bar.addWidget(self.edit_hint)
        bar.addAction(done)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.hide()

    def _connect(self) -> None:
        w = self.window
        # Connected after the window's own slots: when these run, the edit has been applied.
        w.editor.changed.connect(lambda: self._panel_edited("network edit"))
        w.data_panel.changed.connect(lambda: self._panel_edited("data edit"))
        w.training_panel.config_changed.connect(lambda: self._panel_edited("training settings edit"))
        # The learning rate changes the run without a reset: not an undo step, but undoing a
        # later edit should come back to the rate in use, not an older one.
        w.training_panel.lr_changed.connect(self._learning_rate_changed)
        w.boundary.scene().sigMouseClicked.connect(self._plot_clicked)

    # --- settings ------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s, w = self.settings, self.window
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            w.restoreGeometry(geometry)
        for key, splitter in (("window/main_split", w.main_split),
                              ("window/right_split", w.right_split)):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def save_settings(self) -> None:
        s, w = self.settings, self.window
        s.setValue("window/geometry", w.saveGeometry())
        s.setValue("window/main_split", w.main_split.saveState())
        s.setValue("window/right_split", w.right_split.saveState())
        s.sync()  # on closing: a failure here has no window left to be shown in

    def _sync_settings(self) -> None:
        """Write the settings now (Qt replaces the file atomically) and say so, once, if that
        failed: the recent files and the window's layout would be lost without a word."""
        self.settings.sync()
        if self.settings.status() == QSettings.Status.NoError or self._settings_failed:
            return
        self._settings_failed = True
        self.show_error("Settings", f"nnviz could not save the settings (recent files, window "
                        f"layout) to {self.settings.fileName()}; they will be lost when it "
                        "closes. Is that folder writable?")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is not self.window:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close:
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

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):  # an INI file gives a lone entry back as a string
            value = [value] if value else []
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("files/recent", [path, *recent][:RECENT_MAX])
        self.settings.setValue("files/last_folder", os.path.dirname(path))
        self._sync_settings()
        self._rebuild_recent()

    def _forget_recent(self, path: str) -> None:
        self.settings.setValue("files/recent", [p for p in self.recent_files() if p != path])
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        m = self.recent_menu
        m.clear()
        recent = self.recent_files()
        for i, path in enumerate(recent, start=1):
            a = m.addAction(f"&{i} {os.path.basename(path).replace('&', '&&')}")
            a.setToolTip(path)
            a.setStatusTip(path)
            a.triggered.connect(lambda checked=False, p=path: self._open_recent(p))
        if recent:
            m.addSeparator()
            m.addAction("Clear the list", self._clear_recent)
        else:
            m.addAction("(no recent sessions)").setEnabled(False)

    def _clear_recent(self) -> None:
        self.settings.setValue("files/recent", [])
        self._rebuild_recent()

    def last_folder(self) -> str:
        folder = str(self.settings.value("files/last_folder", "") or "")
        return folder if os.path.isdir(folder) else os.path.expanduser("~")

    # --- dialogs (tests replace ask_path) ---------------------------------------------------

    def ask_path(self, title: str, file_filter: str, *, save: bool, suggested: str = "") -> str:
        """A path from a file dialog ("" if cancelled); extensions added from the filter."""
        start = os.path.join(self.last_folder(), suggested)
        if save:
            path, chosen = QFileDialog.getSaveFileName(self.window, title, start, file_filter)
        else:
            path, chosen = QFileDialog.getOpenFileName(self.window, title, start, file_filter)
        if not path:
            return ""
        if save:
            path = _ext_for(path, chosen, os.path.splitext(suggested)[1])
        self.settings.setValue("files/last_folder", os.path.dirname(os.path.abspath(path)))
        return path

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

    def _status(self, text: str, ms: int = 6000) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, ms)

    def _set_title(self) -> None:
        self.window.setWindowTitle(f"{os.path.basename(self.path)} \u2014 nnviz" if self.path
                                   else "nnviz")

    # --- sessions ------------------------------------------------------------------------------

    def class_names(self, data: Dataset | None = None) -> tuple[str, ...] | None:
        data = data if data is not None else self.window.dataset
        return self._class_names.get(data) if data is not None else None

    def open_session(self, path: str) -> None:
        """Open a .nnviz file; raises SessionError (the current run stays) if it is broken.
        Reads in this thread (``nnviz --open``); the menus read off the GUI thread."""
        self._adopt_session(path, *_read_session(path))

    def _adopt_session(self, path: str, s: Session, trainer, run) -> None:
        if s.class_names:
            self._class_names[trainer.data] = s.class_names
        self.window.load_trainer(trainer, run if run is not None else s.history, s.test_epochs,
                                 s.test_values)
        self._apply_view_extras(s.extras)
        self.path = os.path.abspath(path)
        self._set_title()
        self._add_recent(self.path)
        self.undo_stack.clear()  # the run before is gone: there is nothing to go back to
        self._current = self.window.current_problem()
        self._update_edit_toolbar()
        self._status(f"Opened {os.path.basename(path)}: epoch {s.epoch}, "
                     f"{s.spec.shapes_text()}, {s.config.optimizer}.")
        self.opened.emit(self.path)

    def open_dialog(self) -> None:
        path = self.ask_path("Open session", SESSION_FILTER, save=False)
        if path:
            self._open_reporting(path)

    def _open_recent(self, path: str) -> None:
        if not os.path.exists(path):
            self._forget_recent(path)
            self.show_error("Open recent", f"{path} is gone; it was removed from the list.")
            return
        self._open_reporting(path)

    def _open_reporting(self, path: str) -> None:
        """Open ``path`` off the GUI thread, with a progress dialog and Cancel; a message if it
        cannot be opened (the current session stays)."""
        def done(result: tuple) -> None:
            try:
                self._adopt_session(path, *result)
            except USER_ERRORS as e:
                self.show_error("Cannot open the session", str(e))

        self.jobs.start("Open session", f"Opening {os.path.basename(path)}\u2026",
                        lambda progress: _read_session(path), done,
                        lambda e: self._job_failed("Cannot open the session", e),
                        reports_progress=False)

    def _job_failed(self, title: str, e: BaseException) -> None:
        if isinstance(e, Cancelled):
            return
        if isinstance(e, MemoryError):
            self.show_error(title, "the file needs more memory than this computer has")
        elif isinstance(e, USER_ERRORS):
            self.show_error(title, str(e))
        else:  # a bug: say what it was rather than nothing
            self.show_error(title, f"{type(e).__name__}: {e}")

    def save(self) -> None:
        """Save to the current file, or ask for one."""
        if self.path:
            self.save_to(self.path)
        else:
            self.save_as()

    def save_as(self) -> None:
        name = os.path.splitext(os.path.basename(self.path or ""))[0] or self._suggested_name()
        path = self.ask_path("Save session", SESSION_FILTER, save=True,
                             suggested=name + session_io.SUFFIX)
        if path:
            self.save_to(path)

    def _suggested_name(self) -> str:
        data = self.window.dataset
        return data.name.replace(" ", "-") if data is not None else "session"

    def save_to(self, path: str) -> None:
        """Save the live run to ``path`` (captured in the worker thread, written here)."""
        names = self.class_names()
        extras = self._view_extras()

        def capture(ctx) -> Session:  # in the worker thread
            return Session.from_trainer(ctx.trainer, class_names=names, extras=extras,
                                        run=ctx.run)

        def write(s: Session) -> None:  # back on the GUI thread
            try:
                s.save(path)
            except SessionError as e:
                self.show_error("Cannot save the session", str(e))
                self._written(False)
                return
            self.path = os.path.abspath(path)
            self._set_title()
            self._add_recent(self.path)
            self._status(f"Saved {os.path.basename(path)} at epoch {s.epoch}.")
            self._written(True)
            self.saved.emit(self.path)

        self._request_write(write, capture, "Cannot save the session")

    def _request_write(self, write: Callable[[Any], None], capture: Callable,
                       title: str) -> None:
        """Capture the live run in the worker thread and ``write`` it here; counted until
        written, so that closing the window waits for it."""
        def failed(e: BaseException) -> None:  # the capture failed in the worker
            self.show_error(title, str(e))
            self._written(False)

        self._pending_writes += 1
        self.window.request_state(write, capture, on_error=failed)

    def _written(self, ok: bool) -> None:
        """A requested write is over; close the window if that was waiting for it."""
        self._pending_writes = max(0, self._pending_writes - 1)
        if self._pending_writes or not self._close_when_written:
            return
        self._close_when_written = False
        if ok:
            self.window.close()
        else:
            self._status("The window stays open: the file was not written.", 0)

    def _view_extras(self) -> dict[str, Any]:
        w = self.window
        return {"show_test": w.show_test.isChecked(), "discretize": w.discretize.isChecked(),
                "log_scale": w.log_scale.isChecked()}

    def _apply_view_extras(self, extras: dict[str, Any]) -> None:
        w = self.window
        for key, box in (("show_test", w.show_test), ("discretize", w.discretize),
                         ("log_scale", w.log_scale)):
            if isinstance(extras.get(key), bool):
                box.setChecked(extras[key])

    # --- problems and undo ---------------------------------------------------------------------

    def apply_state(self, state: Problem) -> None:
        """Load ``state`` into the window (undo / redo)."""
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error("Cannot restore", str(e))
            return
        self._current = state
        self._update_edit_toolbar()

    def _load(self, text: str, state: Problem) -> bool:
        """Apply a new problem as one undoable step; False (and a message) if it does not fit."""
        before = self._current
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error(f"Cannot apply the {text}", str(e))
            return False
        self._current = state
        self.undo_stack.push(ProblemCommand(self, text, before, state))
        self._update_edit_toolbar()
        return True

    def _panel_edited(self, text: str) -> None:
        now = self.window.current_problem()
        if same_problem(now, self._current):
            return  # the window refused the edit, or nothing changed
        before, self._current = self._current, now
        self.undo_stack.push(ProblemCommand(self, text, before, now))
        self._update_edit_toolbar()

    def _learning_rate_changed(self, *_) -> None:
        self._current = replace(self._current, config=self.window.current_problem().config)

    def load_preset(self, p: presets.Preset) -> bool:
        try:
            problem = p.problem()
        except USER_ERRORS as e:
            self.show_error(f"Preset {p.title}", str(e))
            return False
        ok = self._load(f"preset “{p.title}”", problem)
        if ok:
            self._status(f"{p.title}. Press Play (Space); about {p.epochs:,} epochs show the "
                         "result.", 15000)
        return ok

    # --- your own data -------------------------------------------------------------------------

    def import_dialog(self, path: str | None = None) -> None:
        """Preview a CSV file (asked for when ``path`` is None) and import it if accepted."""
        path = path or self.ask_path("Import CSV", CSV_FILTER, save=False)
        if not path:
            return
        seed = self.window.current_problem().seed

        def show(preview: csvdata.CsvPreview) -> None:
            dlg = ImportDialog(preview, self.window, seed=seed)
            if dlg.exec() == QDialog.DialogCode.Accepted and dlg.imported is not None:
                self.import_data(dlg.imported)

        # Read off the GUI thread (a big file takes seconds); the preview opens once it is read.
        self.jobs.start("Import CSV", f"Reading {os.path.basename(path)}\u2026",
                        lambda progress: csvdata.preview_csv(path, seed=seed, progress=progress),
                        show, lambda e: self._job_failed("Import CSV", e))

    def import_data(self, imported: csvdata.ImportedData) -> bool:
        """Train on imported data with the current network and settings: what the user chose
        stays, the rest fits the data (as when a data set is chosen in the panel)."""
        data = imported.dataset
        notes: list[str] = []
        try:
            problem = self.window.problem_for(data, notes, self.window.current_problem().seed)
        except USER_ERRORS as e:
            self.show_error("Cannot import", str(e))
            return False
        spec, config = problem.spec, problem.config
        if imported.class_names:
            self._class_names[data] = imported.class_names
        ok = self._load(f"import of {data.name}", problem)
        if ok:
            d = data
            kind = (f"{d.n_classes} classes ({', '.join(imported.class_names or ())})"
                    if d.is_classification else "regression")
            self._status(f"Imported {d.name}: {len(d.X)} points, {kind}. Network "
                         f"{spec.shapes_text()}, loss {config.loss}, learning rate "
                         f"{config.learning_rate:g}." + (" Note: " + "; ".join(notes) + "."
                                                         if notes else ""))
        return ok

    def _edit_mode(self) -> str | None:
        """"2d" (points in the plane), "1d" (x, y of a curve) or None (cannot edit)."""
        d = self.window.dataset
        if d is None:
            return None
        if d.n_features == 2:
            return "2d"
        if d.n_features == 1 and not d.is_classification:
            return "1d"
        return None

    def _toggle_edit_points(self) -> None:
        on = self.edit_points_action.isChecked()
        if on and self._edit_mode() is None:
            self.edit_points_action.setChecked(False)
            self.show_error("Edit points", "Points can be edited on the plot only for data "
                            "with two features, or one feature and a value to fit.")
            return
        self.edit_toolbar.setVisible(on)
        self._update_edit_toolbar()
        if on:
            self._status("Click the plot to add a point; right-click deletes the nearest.")

    def stop_editing_points(self) -> None:
        self.edit_points_action.setChecked(False)
        self._toggle_edit_points()

    def _update_edit_toolbar(self) -> None:
        d = self.window.dataset
        mode = self._edit_mode()
        if mode is None:
            if self.edit_points_action.isChecked():
                self.edit_points_action.setChecked(False)
                self.edit_toolbar.hide()
            return
        clf = d.is_classification
        self._class_widget.setVisible(clf)
        self._value_widget.setVisible(not clf and mode == "2d")
        if clf:
            names = self.class_names(d) or tuple(str(i) for i in range(d.n_classes))
            keep = self.edit_class.currentIndex()
            self.edit_class.blockSignals(True)
            self.edit_class.clear()
            for i, n in enumerate(names):
                self.edit_class.addItem(f"class {n}" if n == str(i) else f"{n} (class {i})", i)
            self.edit_class.setCurrentIndex(keep if 0 <= keep < len(names) else 0)
            self.edit_class.blockSignals(False)
            self.edit_hint.setText("  Click: add a point of this class.  Right-click: delete "
                                   "the nearest point.  ")
        elif mode == "2d":
            self.edit_hint.setText("  Click: add a point with this value.  Right-click: delete "
                                   "the nearest point.  ")
        else:
            self.edit_hint.setText("  Click: add a point (x, y) where you click.  Right-click: "
                                   "delete the nearest point.  ")

    def _plot_clicked(self, ev) -> None:
        if not self.edit_points_action.isChecked() or ev.double():
            return
        vb = self.window.boundary.getPlotItem().vb
        pos = ev.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        if ev.button() == Qt.MouseButton.LeftButton:
            self.add_point(p.x(), p.y())
            ev.accept()
        elif ev.button() == Qt.MouseButton.RightButton:
            self.delete_point_near(p.x(), p.y())
            ev.accept()

    def add_point(self, x: float, y: float) -> bool:
        """Add a training point at plot coordinates (x, y): of the chosen class (or value)."""
        d, mode = self.window.dataset, self._edit_mode()
        if mode is None:
            return False
        if mode == "1d":
            coords, target = (x,), y
        elif d.is_classification:
            coords, target = (x, y), self.edit_class.currentData() or 0
        else:
            coords, target = (x, y), self.edit_value.value()
        try:
            new = csvdata.with_point_added(d, coords, target)
        except DataError as e:
            self.show_error("Add a point", str(e))
            return False
        return self._load_edited(new, "added point")

    def delete_point_near(self, x: float, y: float) -> bool:
        """Delete the point nearest plot coordinates (x, y), if one is close on screen."""
        d, mode = self.window.dataset, self._edit_mode()
        if mode is None:
            return False
        (x0, x1), (y0, y1) = self.window.boundary.getPlotItem().vb.viewRange()
        scale = (x1 - x0 or 1.0, y1 - y0 or 1.0)
        q = (x, y)
        i, dist = csvdata.nearest_point(d, q, scale, targets=(mode == "1d"))
        if dist > DELETE_RADIUS * math.sqrt(2):
            self._status("No point near the click to delete.")
            return False
        try:
            new = csvdata.with_point_removed(d, i)
        except DataError as e:
            self.show_error("Delete a point", str(e))
            return False
        return self._load_edited(new, "deleted point")

    def _load_edited(self, new: Dataset, text: str) -> bool:
        names = self.class_names()
        if names:
            self._class_names[new] = names
        ok = self._load(text, replace(self._current, dataset=new, params=None))
        if ok:
            self._status(f"{text.capitalize()}: {len(new.X)} points; a fresh model starts at "
                         "epoch 0.")
        return ok

    # --- exports -------------------------------------------------------------------------------

    def _plot_target(self, which: str) -> QWidget | pg.PlotItem:
        w = self.window
        if which == "plot":
            return w.boundary
        if which == "loss":
            return w.loss_plot
        return w.tabs.currentWidget()  # the whole view, as the user sees it

    def export_plot_dialog(self, which: str) -> None:
        name = {"plot": "decision-plot", "loss": "loss-curve", "view": "view"}[which]
        path = self.ask_path("Export image", IMAGE_FILTER, save=True, suggested=name + ".png")
        if path:
            self.export_plot(which, path)

    def export_plot(self, which: str, path: str) -> bool:
        """Save plot ``which`` ("plot", "loss" or "view") as PNG or SVG (by the extension)."""
        if not path.lower().endswith((".png", ".svg")):
            self.show_error("Export", f"{os.path.basename(path)}: choose a .png or .svg file")
            return False
        try:
            export_image(self._plot_target(which), path)
        except OSError as e:
            self.show_error("Export", _write_error(path, e))
            return False
        self._status(f"Exported {os.path.basename(path)}.")
        self.exported.emit(path)
        return True

    def export_dialog(self, what: str) -> None:
        suggested = {"history": "loss-history.csv", "weights": "weights.npz",
                     "data": f"{self._suggested_name()}.csv"}[what]
        file_filter = ("NumPy arrays (*.npz)" if what == "weights" else "CSV files (*.csv)")
        path = self.ask_path("Export", file_filter, save=True, suggested=suggested)
        if path:
            self.export(what, path)

    def export(self, what: str, path: str) -> None:
        """Write the loss history, the weights or the data to ``path``; ``exported`` fires."""
        if what == "data":
            self._write(path, lambda: csvdata.write_data_csv(path, self.window.dataset,
                                                             self.class_names()))
            return
        if what == "history":
            def fn(ctx):
                e, v = ctx.history.arrays()
                return e, v, np.array(ctx.test_epochs), np.array(ctx.test_values)

            def write(arrays):
                self._write(path, lambda: csvdata.write_history_csv(path, *arrays), True)
        elif what == "weights":
            def fn(ctx):
                return tuple((np.array(w), np.array(b)) for w, b in ctx.trainer.params)

            def write(params):
                self._write(path, lambda: _save_weights(path, params), True)
        else:
            raise ValueError(f"unknown export {what!r}")
        self._request_write(write, fn, "Export")

    def _write(self, path: str, do: Callable[[], None], requested: bool = False) -> None:
        try:
            do()
        except (DataError, OSError) as e:
            self.show_error("Export", str(e))
            if requested:
                self._written(False)
            return
        self._status(f"Exported {os.path.basename(path)}.")
        if requested:
            self._written(True)
        self.exported.emit(path)


def _dropped_file(mime) -> str | None:
    """The one local .nnviz or CSV file being dragged, else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = [u for u in mime.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = urls[0].toLocalFile()
    ok = path.lower().endswith((session_io.SUFFIX, ".csv", ".txt", ".tsv"))
    return path if ok else None


def _read_session(path: str) -> tuple[Session, Any, Any]:
    """The session in ``path``, a Trainer made from it and its recorded run (None: an older
    file), in any thread; SessionError if broken."""
    s = session_io.load(path)
    try:
        trainer = s.make_trainer()
    except (TrainingError, SpecError, LossError, DataError) as e:
        raise SessionError(f"{path}: {e}") from None
    return s, trainer, s.make_run()


def _write_error(path: str, e: OSError) -> str:
    """What went wrong, naming the file once."""
    why = getattr(e, "reason", None) or e.strerror or str(e)
    return str(e) if path in str(e) else f"could not write {path}: {why}"


def _save_weights(path: str, params) -> None:
    try:
        save_npz(path, params)
    except OSError as e:
        raise OSError(_write_error(path, e)) from None


def example_files() -> list[tuple[str, str, str]]:
    """(name, path, first comment line) of each example CSV shipped in nnviz.resources."""
    from importlib import resources
    folder = resources.files("nnviz.resources").joinpath("examples")
    out = []
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        if not entry.name.endswith(".csv"):
            continue
        path = os.fspath(entry)  # the package is installed as files, not zipped
        first = entry.read_text("utf-8").splitlines()[0]
        out.append((entry.name, path, first.lstrip("# ").strip()))
    return out


def install(window) -> SessionActions:
    """Add the session, data, export, preset and undo actions to ``window``."""
    actions = SessionActions(window)
    window.session_actions = actions
    window.open_session = actions.open_session
    return actions
