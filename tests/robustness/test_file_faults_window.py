"""The window's side of issues 17 and 18: a save asked for survives closing the window; CSV
files and sessions are read off the GUI thread with progress and Cancel; a 200 kB cell shows
cut in the import preview."""
from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton  # noqa: E402

from nnviz.core import session as session_io  # noqa: E402

TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))


def _wait_run(qtbot, w, epoch=None):
    def ready():
        s = w.last_snapshot
        return s is not None and s.run_id == w.run_id and (epoch is None or s.epoch == epoch)
    qtbot.waitUntil(ready, timeout=TIMEOUT)
    return w.last_snapshot


@pytest.fixture
def win(qtbot):
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    _wait_run(qtbot, w)
    yield w, actions
    w.close()
    qtbot.waitUntil(lambda: not w.worker.is_running(), timeout=TIMEOUT)


def _progress_dialog() -> QProgressDialog | None:
    return next((d for d in QApplication.topLevelWidgets()
                 if isinstance(d, QProgressDialog) and d.isVisible()), None)


# --- issue 17 item 1: Ctrl+S, then close ----------------------------------------------------------

def test_closing_right_after_ctrl_s_writes_the_file_before_the_window_goes(win, qtbot, tmp_path):
    w, actions = win
    w.step(7)
    # The Step done first: a Step judged long (its first epoch slow on a busy machine) lets
    # the save's capture in between its chunks, which wrote epoch 1 of the 7.
    _wait_run(qtbot, w, 7)
    path = tmp_path / "run.nnviz"
    actions.path = str(path)  # saved before: Ctrl+S writes there without asking
    actions.save_action.trigger()
    w.close()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=TIMEOUT)
    assert path.exists(), "the window went before the save it was asked for was written"
    assert session_io.load(path).epoch == 7
    assert not w.worker.is_running()


def test_a_save_just_before_the_application_quits_is_written(win, qtbot, tmp_path):
    w, actions = win
    path = tmp_path / "quit.nnviz"
    actions.path = str(path)
    actions.save_action.trigger()
    w.shutdown()  # what nnviz does once app.exec() returns (the application quit)
    assert path.exists()


def test_a_save_that_fails_at_close_says_why_and_the_window_stays(win, qtbot, tmp_path):
    w, actions = win
    path = tmp_path / "no-such-folder" / "run.nnviz"
    actions.path = str(path)
    actions.save_action.trigger()
    w.close()
    qtbot.waitUntil(lambda: actions.message_box is not None, timeout=TIMEOUT)
    assert "run.nnviz" in actions.message_box.text() and w.isVisible()
    assert w.worker.is_running()  # the run goes on: the user can save elsewhere
    actions.message_box.close()
    w.close()  # nothing pending now: it closes
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=TIMEOUT)


# --- issue 18 item 8: a 100,000-row CSV ------------------------------------------------------------

def _big_csv(tmp_path, rows=100_000):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(rows, 2))
    p = tmp_path / "big.csv"
    p.write_text("a,b,kind\n" + "".join(f"{x:.5f},{y:.5f},{'in' if x * x + y * y < 1 else 'out'}\n"
                                        for x, y in X))
    return p


def test_a_big_csv_is_read_off_the_gui_thread_with_progress_and_cancel(win, qtbot, tmp_path,
                                                                      monkeypatch):
    from nnviz.core import csvdata
    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    path = _big_csv(tmp_path)
    before = w.dataset
    release, threads = threading.Event(), []
    decode = csvdata._decode

    def slow_decode(raw):  # the reading, held until the test lets it go
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return decode(raw)
    monkeypatch.setattr(csvdata, "_decode", slow_decode)
    shown = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: shown.append(self) or 1)

    actions.import_dialog(str(path))
    qtbot.waitUntil(lambda: bool(threads), timeout=TIMEOUT)
    assert threads == [False], "the file was read in the GUI thread"
    qtbot.waitUntil(lambda: _progress_dialog() is not None, timeout=TIMEOUT)
    dlg = _progress_dialog()
    assert "big.csv" in dlg.labelText()
    assert [b.text() for b in dlg.findChildren(QPushButton)] == ["Cancel"]
    dlg.findChild(QPushButton).click()  # Cancel
    assert not dlg.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)
    assert shown == [] and w.dataset is before  # cancelled: nothing changed

    release.clear()
    actions.import_dialog(str(path))
    release.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert shown[0].summary.text().startswith("100000 points, 2 features (a, b)")
    d = w.dataset
    assert d.name == "big" and d.X.shape == (100_000, 2) and d.feature_names == ("a", "b")
    _wait_run(qtbot, w)


def test_the_import_preview_shows_a_200_kB_cell_cut(qtbot, tmp_path):
    from nnviz.gui.session_dialogs import ImportDialog
    p = tmp_path / "long.csv"
    p.write_text("x1,x2,label\n1,2,a\n3,4," + "z" * 200_000 + "\n5,6,a\n7,8,b\n")
    dlg = ImportDialog(str(p))  # raised csv.Error ("field larger than field limit") before
    qtbot.addWidget(dlg)
    assert not dlg.import_button.isEnabled()
    assert "line 3, column 3 (label) is 200,000 characters long" in dlg.summary.text()
    cell = dlg.table.item(1, 2).text()
    assert cell.startswith("zzz") and len(cell) < 100


# --- issue 18 item 7: sessions off the GUI thread ---------------------------------------------------

def test_a_session_opens_off_the_gui_thread_with_a_cancel(win, qtbot, tmp_path, monkeypatch):
    from nnviz.gui import session_actions
    w, actions = win
    w.step(5)
    _wait_run(qtbot, w, 5)
    path = tmp_path / "five.nnviz"
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(path))
    actions.preset_actions["xor"].trigger()
    _wait_run(qtbot, w)
    xor = w.dataset
    release, threads = threading.Event(), []
    load = session_actions.session_io.load

    def slow_load(p, **options):  # (File > Open reads it as the window's: plotted=True)
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return load(p, **options)
    monkeypatch.setattr(session_actions.session_io, "load", slow_load)
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: str(path))

    actions.open_action.trigger()
    qtbot.waitUntil(lambda: bool(threads), timeout=TIMEOUT)
    assert threads == [False], "the session was read in the GUI thread"
    qtbot.waitUntil(lambda: _progress_dialog() is not None, timeout=TIMEOUT)
    assert "five.nnviz" in _progress_dialog().labelText()
    _progress_dialog().findChild(QPushButton).click()  # Cancel
    release.set()
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)
    assert w.dataset is xor  # cancelled: the xor run stays, as untitled as it was
    assert actions.path is None and w.windowTitle() == "nnviz[*]"  # (five.nnviz is not its)

    actions.preset_actions["xor"].trigger()
    with qtbot.waitSignal(actions.opened, timeout=TIMEOUT):
        actions.open_action.trigger()
    assert w.current_problem().source.name == "moons"
    _wait_run(qtbot, w, 5)


def test_a_broken_session_read_off_the_thread_says_why(win, qtbot, tmp_path):
    w, actions = win
    bad = tmp_path / "bad.nnviz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    before = w.dataset
    actions._open_reporting(str(bad))
    qtbot.waitUntil(lambda: actions.message_box is not None, timeout=TIMEOUT)
    assert "bad.nnviz" in actions.message_box.text() and "damaged" in actions.message_box.text()
    assert w.dataset is before
