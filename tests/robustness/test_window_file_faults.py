"""Files in the window (issue 17). Exports onto a full disk (item 2): the old file stays whole,
and the window says the export failed instead of "Exported". A session with broken arrays
(item 3) is refused with the reason, and the run before goes on.

The disk is full for real as far as the writing process can tell: RLIMIT_FSIZE makes every write
past a few kB fail (EFBIG; SIGXFSZ ignored) for the moments of the export only.
"""
from __future__ import annotations

import os
import resource
import signal
from contextlib import contextmanager

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from nnviz.core.network import NetworkSpec, init_params, save_npz  # noqa: E402

TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))


@pytest.fixture
def win(qtbot):
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow

    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.run_id == w.run_id,
                    timeout=TIMEOUT)
    yield w, actions
    w.close()


@contextmanager
def full_disk(limit: int):
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)


def test_a_weights_export_on_a_full_disk_keeps_the_old_file(win, qtbot, tmp_path):
    w, actions = win
    path = tmp_path / "weights.npz"
    save_npz(path, init_params(NetworkSpec(hidden=(64, 64), activations=("tanh",) * 2), 0))
    old = path.read_bytes()
    exported = []
    actions.exported.connect(exported.append)
    actions.last_message = ""
    with full_disk(1024):
        actions.export("weights", str(path))
        qtbot.waitUntil(lambda: actions.last_message != "", timeout=TIMEOUT)
    assert "could not write" in actions.last_message and "weights.npz" in actions.last_message
    assert exported == []
    assert path.read_bytes() == old
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []  # none left behind


@pytest.mark.parametrize("name", ["plot.png", "plot.svg"])
def test_a_plot_export_on_a_full_disk_says_so_and_keeps_the_old_file(win, tmp_path, name):
    w, actions = win
    path = tmp_path / name
    old = os.urandom(300 << 10)  # stands for the picture exported last time
    path.write_bytes(old)
    with full_disk(8 << 10):
        ok = actions.export_plot("plot", str(path))
    assert not ok
    assert "Exported" not in actions.last_message and name in actions.last_message
    assert path.read_bytes() == old


def test_a_plot_export_still_works(win, tmp_path):
    w, actions = win
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")
    assert actions.export_plot("plot", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 1000


# --- issue 17, item 3: a broken session opened in the window -------------------------------------

def _broken_session(path, break_arrays) -> None:
    import io
    import json
    import zipfile

    import numpy as np

    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.session import Session
    from nnviz.core.training import TrainConfig, Trainer, network_for
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"), TrainConfig(), data, seed=1)
    s = Session.from_trainer(t, test_epochs=[1, 2], test_values=[0.5, 0.4])
    members = {}
    for k, v in s.arrays().items():
        b = io.BytesIO()
        np.save(b, v)
        members[f"{k}.npy"] = b.getvalue()
    break_arrays(members)
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", json.dumps(s.manifest()))
        z.writestr("arrays.npz", npz.getvalue())


def _strings(members):
    import io

    import numpy as np
    b = io.BytesIO()
    np.save(b, np.array(["0.5", "x"]))
    members["test_values.npy"] = b.getvalue()


@pytest.mark.parametrize("breaks, words", [
    (lambda m: m.update({"test_values.npy": b"raw bytes, not npy"}), "test_values is not a numpy array"),
    (_strings, "test_values holds text; it must hold numbers"),
])
def test_opening_a_session_with_broken_arrays_in_the_window_says_why(win, qtbot, tmp_path,
                                                                     breaks, words):
    w, actions = win
    path = tmp_path / "broken.nnviz"
    _broken_session(path, breaks)
    run_before = w.run_id
    actions._open_reporting(str(path))
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)  # read off the GUI thread
    assert words in actions.last_message and actions.message_box.isVisible()
    qtbot.wait(300)  # frames drawn meanwhile: the run before goes on, nothing raised
    assert w.run_id == run_before and actions.path is None


def test_settings_that_cannot_be_written_are_reported(qtbot, tmp_path, monkeypatch):
    """Qt writes the settings file atomically itself (QSaveFile); a failure must be said."""
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("NNVIZ_SETTINGS", str(blocker / "settings.ini"))
    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    try:
        with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
            actions.save_to(str(tmp_path / "run.nnviz"))
        box = actions.message_box
        assert box is not None and box.isVisible()
        assert "could not save the settings" in box.text()
        assert str(blocker / "settings.ini") in box.text()
    finally:
        w.close()
