"""The app's file dialogs never read a file to choose its icon or type.

Typing /proc/deep.nnviz in File > Save froze the app for good: Qt's icon provider asked the MIME
database for each file listed, which reads a file whose name says nothing of its type, on the
GUI thread, and reading /proc/kmsg waits forever. A file without a suffix that holds a PNG
image shows what is read: Qt's own provider calls it a PNG image."""
from __future__ import annotations

from PySide6.QtCore import QFileInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileIconProvider

from nnviz.gui.file_dialog import PlainIconProvider

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _disguised_png(tmp_path):
    path = tmp_path / "picture"
    path.write_bytes(PNG)
    return QFileInfo(str(path))


def test_a_files_type_and_icon_come_from_its_name_not_its_content(qtbot, tmp_path):
    info = _disguised_png(tmp_path)
    assert "PNG" in QFileIconProvider().type(info)  # Qt's own reads the file
    plain = PlainIconProvider()
    assert plain.type(info) == "File"
    assert plain.type(QFileInfo(str(tmp_path))) == "Folder"
    (tmp_path / "run.nnviz").write_bytes(PNG)
    assert plain.type(QFileInfo(str(tmp_path / "run.nnviz"))) == "nnviz File"
    file_icon = plain.icon(QFileIconProvider.IconType.File)
    assert plain.icon(info).cacheKey() == file_icon.cacheKey()


def _dialogs_seen(actions, **ask):
    """Opens the session actions' file dialog; returns what it was, cancelled at once."""
    seen = []

    def look():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        seen.append((dialog.iconProvider(), dialog.acceptMode()))
        dialog.reject()

    QTimer.singleShot(0, look)
    assert actions.ask_path("Save", "Sessions (*.nnviz)", **ask) == ""
    return seen


def test_the_save_and_open_dialogs_use_the_plain_icons(main_window):
    actions = main_window.session_actions
    (provider, mode), = _dialogs_seen(actions, save=True, suggested="run.nnviz")
    assert isinstance(provider, PlainIconProvider) and mode == QFileDialog.AcceptMode.AcceptSave
    (provider, mode), = _dialogs_seen(actions, save=False)
    assert isinstance(provider, PlainIconProvider) and mode == QFileDialog.AcceptMode.AcceptOpen
