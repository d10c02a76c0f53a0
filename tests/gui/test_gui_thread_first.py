"""The GUI thread comes first (issue 16, smooth at any size): the window paints in the GUI thread
alone (Qt's raster engine would hand its larger fills to a thread pool and wait for it, and with
training on the cores those pool threads waited to be scheduled while the GUI stood still), and
the training runs at a lower priority than the GUI thread (which otherwise waited for a core
behind the training and XLA's threads)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


LINUX = sys.platform.startswith("linux")


def threads() -> dict[int, str]:
    """This process' threads: id -> name."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                out[int(tid)] = f.read().strip()
        except OSError:  # ended meanwhile
            pass
    return out


@pytest.mark.skipif(not LINUX, reason="reads the threads' names in /proc")
def test_painting_the_window_starts_no_paint_threads():
    # In a fresh interpreter: Qt decides once per process, at its first such paint.
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env.update(QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    code = """
        import json, os
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        import numpy as np
        from nnviz.core.data import from_arrays
        from nnviz.core.network import NetworkSpec
        from nnviz.core.problem import Problem
        from nnviz.core.training import TrainConfig
        from nnviz.gui.main_window import MainWindow
        rng = np.random.default_rng(0)  # data of its own: the moons would need scikit-learn
        X = rng.normal(size=(200, 2)).astype(np.float32)
        data = from_arrays(X, (X[:, 0] > 0).astype(int), "classification")
        w = MainWindow(Problem(data, NetworkSpec(), TrainConfig(), None, 0))
        w.resize(1200, 800)
        w.show()
        sizes = []
        for name in ("main", "gradients"):  # the boundary's and six plots' cached backgrounds
            w.show_view(name)
            sizes.append(w.grab().width())
        names = [open(f"/proc/self/task/{t}/comm").read().strip()
                 for t in os.listdir("/proc/self/task")]
        print(json.dumps({"threads": names, "sizes": sizes}))
        os._exit(0)  # the training thread need not finish its compile
    """
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["sizes"] == [1200, 1200]  # the window was painted, twice
    # Qt names its pool's threads "Thread (pooled)"; the training thread is "nnviz-trainer".
    assert "Thread (pooled)" not in got["threads"], got["threads"]
    assert "nnviz-trainer" in got["threads"]


@pytest.mark.skipif(not LINUX, reason="per-thread priorities are Linux'")
def test_the_training_and_xla_threads_run_below_the_gui_thread(bare_window, wait_run):
    from nnviz.gui.worker import TRAINING_NICE, XLA_THREADS
    bare_window.play()
    wait_run(bare_window)
    gui = os.getpriority(os.PRIO_PROCESS, 0)  # this (the GUI) thread's nice value
    lowered = min(19, gui + TRAINING_NICE)
    names = threads()
    trainer = [t for t, n in names.items() if n == "nnviz-trainer"]
    xla = [t for t, n in names.items() if XLA_THREADS in n]
    assert trainer and xla, names  # jaxlib still names its compute threads so
    assert {t: os.getpriority(os.PRIO_PROCESS, t) for t in trainer + xla} == \
        dict.fromkeys(trainer + xla, lowered)
    assert lowered > gui or gui == 19
