"""What the window loads before it is on screen, and what PySide6's import hook keeps (issue 16:
launch and memory). Each check runs in a fresh interpreter: sys.modules and linecache are the
process's."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(code: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_window_is_built_without_the_libraries_it_does_not_show():
    # superqt (qtpy and all its widgets) is not loaded at all, and nothing is compiled before
    # the event loop runs: the training thread waits for the first paint.
    got = run("""
        import json, sys
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
        print(json.dumps({"mods": sorted(m for m in sys.modules
                                         if m.split(".")[0] in ("superqt", "qtpy")),
                          "held": not w.worker._thread.go.is_set()}))
        import os; os._exit(0)
    """)
    assert got["mods"] == []
    assert got["held"]  # nothing compiles before the event loop runs


def test_the_training_thread_starts_after_the_first_paint(qtbot):
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    assert not w.worker._thread.go.is_set()
    painted = []

    from PySide6.QtCore import QEvent, QObject

    class Seen(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(w.worker._thread.go.is_set())
            return False
    seen = Seen()
    w.centralWidget().installEventFilter(seen)
    w.show()
    qtbot.waitUntil(lambda: w.worker._thread.go.is_set(), timeout=20_000)
    assert painted == [False]  # held while the window painted, working after
    qtbot.waitUntil(lambda: w.last_snapshot is not None, timeout=120_000)


def test_a_window_not_shown_trains_at_the_first_turn_of_the_event_loop(qtbot):
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.last_snapshot is not None, timeout=120_000)


def test_modules_imported_after_pyside_leave_no_source_behind(tmp_path):
    (tmp_path / "plain_module.py").write_text("X = 1\n")
    (tmp_path / "qt_module.py").write_text("from PySide6 import QtCore\n")
    got = run(f"""
        import json, linecache, sys
        import PySide6.QtCore
        from nnviz.gui.worker import keep_no_module_sources
        keep_no_module_sources()
        sys.path.insert(0, {str(tmp_path)!r})
        import plain_module, qt_module  # loaded after PySide6
        feature = sys.modules["shibokensupport.feature"]
        print(json.dumps({{"kept": [f for f in linecache.cache if "_module.py" in f],
                          "plain": feature.pyside_feature_dict.get("plain_module"),
                          "qt": feature.pyside_feature_dict.get("qt_module")}}))
    """)
    assert got["kept"] == []
    assert got["plain"] == -1 and got["qt"] == 0  # the hook's answers are unchanged
