"""Closing the window mid-training and mid-compile, 20 times, through the real command line in
subprocesses (tests/robustness/closing_app.py): every run exits with 0, and stderr holds nothing a
user would worry about -- no "QThread: Destroyed while thread is still running", no traceback."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("closing_app.py")
RUNS = 3  # per mode: each closing is a full launch; 10 per mode were a quarter of the suite
# What Qt's offscreen platform itself prints (a real display does not): harmless.
OFFSCREEN_NOISE = re.compile(r"^This plugin does not support (propagateSizeHints|raise)\(\)$")


def test_closing_during_training_and_during_a_compile_is_clean(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           # jax's compile cache: fresh, in tmp (not the test run's, where the shape may be)
           "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "JAX_COMPILATION_CACHE_DIR": str(tmp_path / "cache" / "nnviz" / "jax")}
    procs = {mode: subprocess.Popen([sys.executable, str(SCRIPT), mode, str(RUNS)], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for mode in ("training", "compile")}  # side by side: half the wall time
    for mode, p in procs.items():
        out, err = p.communicate(timeout=400)
        worrying = [line for line in err.splitlines() if not OFFSCREEN_NOISE.match(line)]
        assert worrying == [], f"{mode}: stderr says\n" + "\n".join(worrying)
        assert p.returncode == 0, f"{mode}: exit code {p.returncode}\n{out}"
        lines = out.strip().splitlines()
        codes, closed_at = ast.literal_eval(lines[-2]), ast.literal_eval(lines[-1])
        assert codes == [0] * RUNS
        assert len(closed_at) == RUNS
        if mode == "compile":
            assert closed_at.count("compile") >= RUNS - 1, closed_at  # closed mid-compile
        else:
            assert all(c.startswith("training, epoch ") for c in closed_at), closed_at


def test_a_script_that_builds_the_window_itself_exits_cleanly(tmp_path):
    """A script of the learner's own (tests/robustness/script_exit.py) that ends without
    nnviz's tear_down: the window is deleted while Python is still whole and the process exits
    with 0, instead of the SIGSEGV it died with in about half the runs."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "NNVIZ_SETTINGS": str(tmp_path / "settings.ini")}
    p = subprocess.run([sys.executable, str(SCRIPT.with_name("script_exit.py"))], env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"exit code {p.returncode}\n{p.stdout}\n{p.stderr}"
    lines = p.stdout.strip().splitlines()
    assert lines[0].startswith("left the event loop at epoch "), p.stdout
    assert int(lines[0].rsplit(" ", 1)[1]) > 20  # it trained, with the Backprop view shown
    assert lines[-1] == "window deleted before exit: True", p.stdout
