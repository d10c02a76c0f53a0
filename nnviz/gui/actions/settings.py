"""QSettings: window geometry, splitter positions, the last folder, recent files.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

from nnviz.core.errors import NnvizError


USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

RECENT_MAX = 8
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
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            w.restoreGeometry(geometry)
        for key, splitter in (("window/main_split", w.main_split),
                              ("window/right_split", w.right_split)):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        if s.value("view/presentation") in (True, "true"):
            w.set_presentation(True)

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
