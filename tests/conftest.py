"""Shared fixtures. Qt runs offscreen: the variable must be set before any QApplication exists."""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Window geometry, recent files and the last folder go to a settings file of this test run,
# never to the user's ~/.config; the folder goes when the run ends. Each pytest-xdist worker has
# its own (they inherit the controller's variable): a window closing in one worker saved its work
# over what a test in the other had just saved and was about to read back.
if "NNVIZ_SETTINGS" not in os.environ or os.environ.get("PYTEST_XDIST_WORKER"):
    _settings_dir = tempfile.mkdtemp(prefix="nnviz-test-")
    atexit.register(shutil.rmtree, _settings_dir, ignore_errors=True)
    os.environ["NNVIZ_SETTINGS"] = os.path.join(_settings_dir, "settings.ini")
    # Qt's own file dialog keeps its history and column widths in QtProject.conf under
    # XDG_CONFIG_HOME: the tests that open one wrote the user's ~/.config/QtProject.conf.
    os.environ["XDG_CONFIG_HOME"] = _settings_dir

# jax's persistent compilation cache (and nnviz's data cache) in a folder of this test run, shared
# by the xdist workers and by the processes the tests launch (they inherit these variables, which
# jax reads when it is imported): what one process compiled loads in the others, and again after
# the bounded caches clear jax's (core/compiled.py). A window built after jax.clear_caches() took
# 4.4 CPU s without it, 1.1 s with it. Never the user's ~/.cache: a run starts from nothing, as CI
# does. NNVIZ_TEST_COMPILE_CACHE=0 runs without it, to compare. NNVIZ_TEST_KEEP_CACHE=DIR keeps
# the folder between runs instead (a developer's repeated runs on one machine: the programs of
# the last run load instead of compiling, ~3x less CPU on a compiling test file; bench/README,
# "The test suite"); jax's cache keys hold its version and each program's text.
if "NNVIZ_TEST_CACHE" not in os.environ:
    _cache_dir = os.environ.get("NNVIZ_TEST_KEEP_CACHE")
    if _cache_dir:
        os.makedirs(_cache_dir, exist_ok=True)
    else:
        _cache_dir = tempfile.mkdtemp(prefix="nnviz-test-cache-")
        atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    os.environ["NNVIZ_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = _cache_dir
    if os.environ.get("NNVIZ_TEST_COMPILE_CACHE", "1") != "0":
        # the folder `nnviz`'s own compile_cache.enable() picks under XDG_CACHE_HOME
        os.environ["JAX_COMPILATION_CACHE_DIR"] = os.path.join(_cache_dir, "nnviz", "jax")
        os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
        os.environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "0"

# XLA runs each matrix product on the thread that asked for it instead of handing it to its pool
# of intra-op threads. The tests' products are small, and on a 2-core machine running two xdist
# workers (each with a training thread and a GUI thread) the hand-offs to the pool and its
# spinning threads cost more than they gave: the same 84 tests took 5% less wall and CPU time
# (bench/README.md, "XLA's product threads in the tests"). The numbers are the same to every bit
# (a 3-layer 512-wide network on 100,000 points, the moons at 20,000); the processes the tests
# launch inherit it. XLA stops reading its flags at the first word that is not one, so it goes
# in as one flag, after any the environment gives.
_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false"
if _ONE_THREAD not in os.environ.get("XLA_FLAGS", "") and \
        os.environ.get("NNVIZ_TEST_PRODUCT_THREADS") != "pool":
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + _ONE_THREAD).strip()

import pytest  # noqa: E402

# A cold compile on a busy machine: each xdist worker's first window compiles its programs
# while the other's does the same. 60 s was not enough at load ~20 (two windows' first snapshots
# never came in 60 s, a run of two test files beside two busy loops); CI's box runs at ~10.
FIRST_SNAPSHOT_MS = 120_000

# The least time a test waits for a condition or a signal before it fails: pytest-qt's default is
# 5 s, and ~1,000 of the suite's waits asked for 3-10 s (or nothing) for a layout pass, a redraw
# or a new run. On CI's loaded 2-core box (load ~10, the other xdist worker compiling) the event
# loop went 10 s without that pass, and each run failed on a different one of them (the
# presentation, Compare key and exercise-panel tests). A limit only says how long a wait goes on
# before it gives up: a condition that holds still returns at once, and one that never holds (the
# bug) still fails, later. pytest-qt has no setting for its default, so its waits are wrapped
# here; a longer limit asked for is kept, and a waitSignal with raising=False (a pause that does
# not fail, as assertNotEmitted's) keeps its own. As long as a first compile's wait: a wait at
# 60 s for a preset's first snapshot and for a first landscape (its compile and the sharpness
# probe's) timed out at load ~18-20, six test processes sharing the two cores.
WAIT_FLOOR_MS = FIRST_SNAPSHOT_MS


def _floor_the_waits() -> None:
    import functools

    from pytestqt.qtbot import QtBot

    def floored(timeout):
        return timeout if timeout is None or timeout <= 0 else max(timeout, WAIT_FLOOR_MS)

    wait_until = QtBot.waitUntil

    @functools.wraps(wait_until)
    def waitUntil(self, callback, *, timeout=WAIT_FLOOR_MS):
        return wait_until(self, callback, timeout=floored(timeout))
    QtBot.waitUntil = waitUntil

    def signal_wait(method):
        @functools.wraps(method)
        def wait(self, *args, timeout=WAIT_FLOOR_MS, raising=None, **kwargs):
            if raising is not False:
                timeout = floored(timeout)
            return method(self, *args, timeout=timeout, raising=raising, **kwargs)
        return wait
    QtBot.waitSignal = signal_wait(QtBot.waitSignal)
    QtBot.waitSignals = signal_wait(QtBot.waitSignals)


_floor_the_waits()


@pytest.fixture(autouse=True)
def _default_look():
    """Each test starts in the default theme and palette. The look is the process's (colors'
    module state), and a window opened with no saved look keeps it: a test that chose the dark
    theme and left it so (several do, unlike their neighbours' ``finally``) had a later test's
    window open dark, where its choice of the dark theme changed nothing and what waited for the
    redraw waited in vain (test_lessons_presentation's theme test, in CI's full runs only)."""
    import sys
    colors = sys.modules.get("nnviz.gui.colors")  # not imported: at its default still
    if colors is not None:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    yield


def all_digits(script):
    """An exported script (a path) made to print its losses to every float32 digit (its
    ``digits = 4`` line, the notebook's .4f, set to 8), to compare with nnviz's record; the
    script's own file is left as exported. Returns the path of the copy."""
    from pathlib import Path
    script = Path(script)
    text = script.read_text()
    assert "\ndigits = 4  #" in text
    copy = script.with_name(script.stem + "_all_digits.py")
    copy.write_text(text.replace("\ndigits = 4  #", "\ndigits = 8  #", 1))
    return copy


# Several exported scripts run one after another in one fresh interpreter, each with globals of
# its own under __name__ == "__main__" (as `python script.py` runs it): one import of jax (~1.5 s
# CPU) and one start of the persistent cache for all of them, where a process each paid it again.
_RUNNER = r"""
import contextlib, io, json, runpy, sys, traceback
outs = []
for path in sys.argv[1:]:
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            runpy.run_path(path, run_name="__main__")
    except BaseException:
        sys.stderr.write(path + ":\n" + traceback.format_exc())
        sys.exit(1)
    outs.append(buf.getvalue())
sys.stdout.write(json.dumps(outs))
"""


def run_scripts(*scripts, env=None) -> list[str]:
    """What each of ``scripts`` (paths) printed, run in one fresh interpreter (_RUNNER); fails
    with the traceback of the first that raised."""
    import json
    import subprocess
    out = subprocess.run([sys.executable, "-c", _RUNNER, *map(str, scripts)],
                         capture_output=True, text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def wait_for_run(qtbot, window, epoch: int | None = None, timeout: int = FIRST_SNAPSHOT_MS):
    """Wait until the window has drawn a snapshot of its current run (at ``epoch`` if given)."""
    def ready() -> bool:
        s = window.last_snapshot
        return s is not None and s.run_id == window.run_id and (epoch is None or s.epoch == epoch)
    qtbot.waitUntil(ready, timeout=timeout)
    return window.last_snapshot


def session_copy(src, dst, manifest=None, arrays=None) -> None:
    """A copy of the session file ``src`` at ``dst`` with its manifest (a dict) and its arrays
    (a dict of numpy arrays) passed through ``manifest`` and ``arrays`` if given: a file an
    older nnviz wrote, or one edited by hand, made from one the app saved."""
    import io
    import json
    import zipfile

    import numpy as np
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b:
        for info in a.infolist():
            raw = a.read(info)
            if info.filename == "manifest.json" and manifest is not None:
                raw = json.dumps(manifest(json.loads(raw))).encode()
            elif info.filename == "arrays.npz" and arrays is not None:
                with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                    changed = arrays({k: npz[k] for k in npz.files})
                buf = io.BytesIO()
                np.savez(buf, **changed)
                raw = buf.getvalue()
            b.writestr(info, raw)


def with_far_value(src, dst, row: int = 8, column: int = 0, value: float = 1e30) -> np.ndarray:
    """A copy of the session file ``src`` at ``dst`` whose data point ``row`` holds ``value``
    in ``column`` (1e30 among the moons' values of -1 to 2: every other point would be drawn
    on one spot): the data's X as written."""
    seen = {}

    def put(arrays: dict) -> dict:
        X = arrays["data_X"].copy()
        X[row, column] = value
        seen["X"] = X
        return {**arrays, "data_X": X}
    session_copy(src, dst, arrays=put)
    return seen["X"]


# The settings file of this process (see above): a window's fixture gives its test a file of
# its own instead, unless the test chose one. A window closing saves its layout there, and the
# next test's window opened with it: the Regions test's settings column as wide as it goes put
# the settings of the next window in columns at 1024x768, too tall for it.
_PROCESS_SETTINGS = os.environ["NNVIZ_SETTINGS"]


def _own_settings(tmp_path, monkeypatch) -> None:
    if os.environ.get("NNVIZ_SETTINGS") == _PROCESS_SETTINGS:
        monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))


def _make_window(qtbot, install_extras: bool):
    from nnviz.gui.main_window import MainWindow

    window = MainWindow(install_extras=install_extras)
    qtbot.addWidget(window)
    window.show()
    wait_for_run(qtbot, window)
    return window


@pytest.fixture
def main_window(qtbot, tmp_path, monkeypatch):
    """The full window (with every installed view), showing the notebook's problem, compiled and
    drawn at epoch 0, with a settings file of the test's own. Closed afterwards; fails if its
    training thread is still running."""
    _own_settings(tmp_path, monkeypatch)
    window = _make_window(qtbot, install_extras=True)
    yield window
    window.close()
    assert not window.worker.is_running(), "the training thread outlived its window"


@pytest.fixture
def bare_window(qtbot):
    """The window without the optional views and session actions (faster, isolated)."""
    window = _make_window(qtbot, install_extras=False)
    yield window
    window.close()
    assert not window.worker.is_running(), "the training thread outlived its window"


def sweep_from_form(qtbot, window, axes, epochs: int):
    """The Compare tab's own sweep, as a user starts it: each (setting, the values typed) of
    ``axes`` in the form, *Start sweep*, then a Step of ``epochs``. Returns the view once it
    draws the sweep at that epoch."""
    from PySide6.QtCore import Qt
    window.show_view("compare")
    view = window._inspection_views["compare"]
    panel = view.panel
    for box, edit, (name, text) in zip(panel.axis_boxes, panel.value_edits, axes):
        box.setCurrentIndex(box.findData(name))
        edit.setText(text)
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    window.step(epochs)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == epochs and view.members_of == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    return view


@pytest.fixture
def wait_run(qtbot):
    """``wait_run(window, epoch=None)``: wait for a drawn snapshot of the window's current run."""
    return lambda window, epoch=None, timeout=FIRST_SNAPSHOT_MS: wait_for_run(
        qtbot, window, epoch, timeout)
