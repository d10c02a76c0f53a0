"""The app's file dialogs never read a file to choose its icon or type.

Typing /proc/deep.nnviz in File > Save froze the app for good: Qt's icon provider asked the MIME
database for each file listed, which reads a file whose name says nothing of its type, on the
GUI thread, and reading /proc/kmsg waits forever. A file without a suffix that holds a PNG
image shows what is read: Qt's own provider calls it a PNG image."""
from __future__ import annotations

import os

import pytest
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


def _starts(monkeypatch):
    """Where each file dialog the window opens starts (the folder, without a suggested file's
    name); each is answered with Cancel."""
    from nnviz.gui import exercise_panel, session_actions
    starts = []

    def ask(parent, title, start, file_filter, *, save):
        folder = start if os.path.isdir(start) else os.path.dirname(start)
        starts.append((title, os.path.normpath(folder)))
        return "", ""
    monkeypatch.setattr(session_actions, "ask_file", ask)
    monkeypatch.setattr(exercise_panel, "ask_file", ask)
    monkeypatch.setattr(exercise_panel.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("An exercise", True)))
    return starts


def _every_dialog(window, starts):
    """Open, Save as, the exports, Import CSV and the exercises' Open and Save, each cancelled:
    the folders they started in, by title."""
    actions, ex = window.session_actions, window.exercise_actions
    del starts[:]
    actions.open_dialog()
    actions.save_as()
    actions.export_plot_dialog("plot")
    actions.export_dialog("history")
    actions.export_code_dialog("script")
    actions.import_dialog()
    ex.open_dialog()
    ex.save_dialog()
    assert len(starts) == 8, starts
    return dict(starts)


def test_every_file_dialog_starts_in_the_open_sessions_folder(main_window, qtbot, tmp_path,
                                                              monkeypatch):
    """Save as opened in the home folder; the reviewer expected the folder of the session open,
    else the last folder a dialog went to, else home: Open, Export, Import and the exercises'
    dialogs too (one rule, dialog_folder)."""
    home, sessions, exports = (tmp_path / n for n in ("home", "sessions", "exports"))
    for folder in (home, sessions, exports):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    w, actions = main_window, main_window.session_actions
    starts = _starts(monkeypatch)
    assert set(_every_dialog(w, starts).values()) == {str(home)}  # nothing chosen yet: home

    with qtbot.waitSignal(actions.saved, timeout=60_000):
        actions.save_to(str(sessions / "run.nnviz"))
    # The user exports a picture to another folder, which is then the last one...
    from nnviz.gui import session_actions
    monkeypatch.setattr(session_actions, "ask_file",
                        lambda *a, **k: (str(exports / "plot.png"), "PNG image (*.png)"))
    path = actions.ask_path("Export image", "PNG image (*.png)", save=True,
                            suggested="plot.png")
    assert path == str(exports / "plot.png")
    assert actions.last_folder() == str(sessions)  # not yet: only once it is written
    assert actions.export_plot("plot", path)
    assert actions.last_folder() == str(exports)
    starts = _starts(monkeypatch)
    # ... but while run.nnviz is open every dialog starts beside it.
    assert _every_dialog(w, starts) == dict.fromkeys(dict(starts), str(sessions))

    w.reset_action.trigger()
    qtbot.waitUntil(lambda: actions.path is None)  # a fresh model: not the file's run
    assert set(_every_dialog(w, starts).values()) == {str(exports)}  # the last folder

    (exports / "plot.png").unlink()
    exports.rmdir()  # gone since: home
    assert set(_every_dialog(w, starts).values()) == {str(home)}

    # An exercise saved in a folder of its own: that folder is the last one too.
    from nnviz.gui import exercise_panel
    (tmp_path / "exercises").mkdir()
    saved = tmp_path / "exercises" / "mine.toml"
    monkeypatch.setattr(exercise_panel, "ask_file", lambda *a, **k: (str(saved), ""))
    w.exercise_actions.save_dialog()
    assert saved.exists()
    assert set(_every_dialog(w, _starts(monkeypatch)).values()) == {str(saved.parent)}


def test_the_detail_views_size_column_shows_its_sizes_whole(qtbot, main_window, tmp_path):
    """r3 #11: the Save dialog's Size column read "361...tes" and "10....KiB" (not seen here:
    Qt 6.11 sizes that column to its contents itself; the dialog was 632 px wide)."""
    from PySide6.QtWidgets import QTreeView
    from nnviz.gui.file_dialog import file_dialog
    (tmp_path / "api.py").write_bytes(b"x" * 361)
    (tmp_path / "line.py").write_bytes(b"x" * 10_700)
    (tmp_path / "a-much-longer-file-name-than-the-others.py").write_bytes(b"x" * 9_190)
    dialog = file_dialog(main_window, "Export", str(tmp_path / "run.py"),
                         "Python scripts (*.py)", save=True)
    qtbot.addWidget(dialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    view = dialog.findChild(QTreeView, "treeView")
    dialog.show()
    model = view.model()

    def sizes() -> list[str]:
        root = view.rootIndex()
        return [model.index(r, 1, root).data() or "" for r in range(model.rowCount(root))]

    qtbot.waitUntil(lambda: len(sizes()) == 3 and all(sizes()))
    header = view.header()
    # A width the column had before (the reviewer's was ~62 px, narrower than "361 bytes";
    # Qt restores the header the last dialog left): it follows its contents again.
    header.resizeSection(1, 40)
    qtbot.waitUntil(lambda: all(view.fontMetrics().horizontalAdvance(text)
                                < header.sectionSize(1) for text in sizes()))
    assert "361 bytes" in sizes()
    # The dialog has room for its columns (Qt's default, 632 x 408, left the names ~265 px
    # beside the folders' pane), within the window; the names keep the most of it.
    assert dialog.width() >= min(860, main_window.width() - 40)
    assert header.sectionSize(0) > 2 * sum(header.sectionSize(i) for i in (1, 2))


def _inside_the_screen(dialog) -> bool:
    return dialog.screen().availableGeometry().contains(dialog.frameGeometry())


def test_the_save_dialog_fits_the_screen_in_presentation_mode(main_window, qtbot):
    """r29 M1: F11 at 1024x768, Ctrl+S: the Save session dialog was 887x883 on a 768-px screen,
    its file name field and Save button below the edge (the next one was 520 high). Every
    file dialog, each time, lies within the screen's available geometry, its field and its
    Save button too."""
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
    w = main_window
    w.set_presentation(True)
    seen = []

    def look():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        room = dialog.screen().availableGeometry()
        parts = [dialog.findChild(QLineEdit, "fileNameEdit"),
                 dialog.findChild(QDialogButtonBox, "buttonBox")]
        seen.append((dialog.frameGeometry(), room, dialog.font().pointSizeF(),
                     [room.contains(p.mapToGlobal(p.rect().bottomRight())) for p in parts]))
        dialog.reject()

    for save in (True, True, False):
        QTimer.singleShot(0, look)
        w.session_actions.ask_path("Save session", "Sessions (*.nnviz)", save=save,
                                   suggested="run.nnviz")
    assert len(seen) == 3
    for frame, room, pt, parts_in in seen:
        assert pt == pytest.approx(w.font().pointSizeF())  # the mode's large text
        assert room.contains(frame), (frame, room)
        assert parts_in == [True, True]


def test_any_dialog_of_the_window_larger_than_the_screen_is_fitted_to_it(main_window, qtbot):
    """Not the file dialogs only: a dialog of the window's asking more than the screen has
    (a long message in the mode's font, a list) shows whole within it, its buttons reachable."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QVBoxLayout
    w = main_window
    w.set_presentation(True)
    room = w.screen().availableGeometry()
    dialog = QDialog(w)
    listing = QListWidget(dialog)
    listing.addItems([f"row {i}" for i in range(200)])
    listing.setMinimumHeight(room.height() + 300)  # its layout's least: taller than the screen
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    lay = QVBoxLayout(dialog)
    lay.addWidget(listing)
    lay.addWidget(buttons)
    dialog.resize(room.width() + 200, room.height() + 400)
    dialog.move(room.left() + 50, room.top() + 50)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert room.contains(dialog.frameGeometry()), (dialog.frameGeometry(), room)
    corner = buttons.mapToGlobal(buttons.rect().bottomRight())
    assert room.contains(corner) and dialog.rect().contains(dialog.mapFromGlobal(corner))
    dialog.close()


def test_import_after_an_example_opens_in_the_users_own_folder(main_window, qtbot, tmp_path,
                                                               monkeypatch):
    """An example CSV imported (the README points at resources/examples/fruit.csv; File >
    Import example lists it), then File > Import CSV: the dialog opened in the package's
    resources/examples, not in the folder the user imported their own data from. The
    examples' folder is nnviz's own: the next dialog opens where the user's data were."""
    from nnviz.gui import session_actions
    from nnviz.gui.session_dialogs import ImportDialog
    home, mine = tmp_path / "home", tmp_path / "mine"
    home.mkdir()
    mine.mkdir()
    monkeypatch.setenv("HOME", str(home))
    own = mine / "points.csv"
    own.write_text("x1,x2,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40)))
    w, actions = main_window, main_window.session_actions
    previews = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: previews.append(self) or 1)

    def import_via_dialog(path) -> None:
        monkeypatch.setattr(session_actions, "ask_file", lambda *a, **k: (str(path), ""))
        n = len(previews)
        actions.import_dialog()
        qtbot.waitUntil(lambda: len(previews) == n + 1, timeout=60_000)

    import_via_dialog(own)  # the user's own file, from their folder
    assert actions.dialog_folder() == str(mine)
    examples = dict((name, path) for name, path, _ in session_actions.example_files())
    import_via_dialog(examples["fruit.csv"])  # browsed to the bundled one in the dialog
    example = next(a for a in actions.examples_menu.actions()
                   if a.text().replace("&", "") == "daylight.csv")
    n = len(previews)
    example.trigger()  # File > Import example
    qtbot.waitUntil(lambda: len(previews) == n + 1, timeout=60_000)
    starts = _starts(monkeypatch)
    actions.import_dialog()
    assert starts == [("Import CSV", str(mine))]
