"""QSettings: window geometry, splitter positions, the last folder, recent files, and the work
in the window (the data set, network and training settings, the speed, the plot options), which
``nnviz`` without options opens with again.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import json
import os
from dataclasses import asdict

from PySide6.QtCore import QByteArray, QSettings

from nnviz.core.errors import NnvizError
from nnviz.gui.file_dialog import start_folder


USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

RECENT_MAX = 8
WORK_KEY = "work/last"
def make_settings() -> QSettings:
    """The settings store; ``NNVIZ_SETTINGS=/path/file.ini`` puts it in a file of one's own
    (tests, portable use)."""
    path = os.environ.get("NNVIZ_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("nnviz", "nnviz")




class SettingsMixin:
    """QSettings: window geometry, splitter positions, the last folder, recent files."""

    def _restore_settings(self) -> None:
        s, w = self.settings, self.window
        if getattr(w, "companion", False):  # the first window's layout, not this one's
            if s.value("view/presentation") in (True, "true"):
                w.set_presentation(True)
            return
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            w.restoreGeometry(geometry)
        for key, splitter in (("window/main_split", w.main_split),
                              ("window/right_split", w.right_split)):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
                if splitter is w.left_split and hasattr(w, "settings_height"):
                    w.settings_height.moved = True  # the user's, kept
        if s.value("view/presentation") in (True, "true"):
            w.set_presentation(True)

    def save_settings(self) -> None:
        s, w = self.settings, self.window
        if getattr(w, "companion", False):  # its work is not what nnviz opens with next time
            return
        s.setValue("window/geometry", w.saveGeometry())
        # The normal mode's splitters, not presentation mode's (which gives the settings'
        # column to the plot): a window closed in presentation mode opened the next time, in
        # the normal mode, with the settings and the timeline squeezed into 36% of the width.
        presentation = getattr(w, "presentation", None)
        normal = presentation.normal_split() if presentation is not None else None
        main_split, right_split = normal or (w.main_split.saveState(),
                                             w.right_split.saveState())
        s.setValue("window/main_split", main_split)
        # The settings' height only when the user chose it: otherwise it follows their fields
        # (MainWindow's _SettingsHeight), at the next launch too.
        fitted = hasattr(w, "settings_height") and not w.settings_height.moved
        if fitted:
            s.remove("window/right_split")
        else:
            s.setValue("window/right_split", right_split)
        # An exercise's set-up is its own (XOR without a hidden layer, made to fail): the next
        # launch opened it without the exercise, at 75% for ever, and nothing said why.
        exercise = getattr(getattr(w, "exercise_actions", None), "exercise", None)
        if exercise is None:
            s.setValue(WORK_KEY, json.dumps(self.work_settings()))
        s.sync()  # on closing: a failure here has no window left to be shown in

    def work_settings(self) -> dict:
        """The work in the window, as plain JSON values: the problem's settings (its data when a
        generator made it), the speed and the plot options."""
        w = self.window
        p = w.current_problem()
        source = p.source
        from nnviz.core.data import DataSpec
        return {"data": asdict(source) if isinstance(source, DataSpec) else None,
                "network": asdict(p.spec), "training": asdict(p.config), "seed": int(p.seed),
                "speed": w.controls.speed.value(), "log_scale": w.log_scale.isChecked(),
                "show_test": w.show_test.isChecked(), "discretize": w.discretize.isChecked()}

    def restore_work(self) -> bool:
        """Open with the work of the last session (``nnviz`` without options). A setting that
        no longer makes sense is left out with a word in the status bar; False if nothing was
        restored."""
        from nnviz.core.data import DataSpec, make_dataset
        from nnviz.core.network import NetworkSpec
        from nnviz.core.problem import Problem
        from nnviz.core.training import TrainConfig
        raw = self.settings.value(WORK_KEY)
        if not raw:
            return False
        w = self.window
        try:
            work = json.loads(str(raw))
            if work.get("data"):
                net = dict(work["network"])
                for key in ("hidden", "activations"):
                    net[key] = tuple(net[key])
                problem = Problem(make_dataset(DataSpec(**work["data"])), NetworkSpec(**net),
                                  TrainConfig(**work["training"]), None, int(work["seed"]))
                w.load_problem(problem)
                self._current = w.current_problem()
            speed = work.get("speed")
            if isinstance(speed, int):
                w.controls.speed.setValue(speed)
            for key, box in (("log_scale", w.log_scale), ("show_test", w.show_test),
                             ("discretize", w.discretize)):
                if isinstance(work.get(key), bool):
                    box.setChecked(work[key])
        except (ValueError, TypeError, KeyError, AttributeError, *USER_ERRORS) as e:
            self._status(f"The last session's settings were not restored: {e}")
            return False
        return True

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
        """The folder a file dialog last went to (opened or saved in), else the home folder."""
        return start_folder(str(self.settings.value("files/last_folder", "") or ""))

    def dialog_folder(self) -> str:
        """Where every file dialog of the window opens (Open, Save, Save as, Export, Import, the
        exercises'): the folder of the session file open now, else the last folder a dialog
        went to, else the home folder. (Save as opened in the home folder: what a user had
        open was somewhere else.)"""
        session = os.path.dirname(self.path) if getattr(self, "path", None) else None
        return start_folder(session, self.last_folder())

    def remember_folder(self, path: str) -> None:
        """``path``, chosen in a file dialog: its folder is the last folder from now on, unless
        it is one of nnviz's own (its examples, its exercises): the next Import CSV opened in
        the package's resources/examples after fruit.csv was imported, not where the user's
        own data were."""
        folder = os.path.dirname(os.path.abspath(path))
        if not bundled(folder):
            self.settings.setValue("files/last_folder", folder)


def bundled(folder: str) -> bool:
    """Whether ``folder`` is in nnviz's own resources (the example CSVs, the exercises)."""
    from importlib import resources
    try:
        root = os.path.realpath(os.fspath(resources.files("nnviz.resources")))
    except (ModuleNotFoundError, TypeError):
        return False
    folder = os.path.realpath(folder)
    return folder == root or folder.startswith(root + os.sep)
