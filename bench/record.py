"""Recording an animation: milliseconds per frame and the file's size, per area and format.

    python bench/record.py [--epochs 3000] [--frames 30] [--turns 3]

Trains the notebook's problem in the real window (offscreen), then records --frames frames of
the run (geometric spacing) --turns times for each area (the decision plot, the network view,
the whole window) and format (GIF, MP4), through the same Recorder as File -> Export ->
Animation. Prints the median milliseconds per frame (replay from the run log, the views'
drawing, the grab, the 16:9 frame, the encoding), the file's size, and the load average.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _proc import loadavg  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--frames", type=int, default=30)
    ap.add_argument("--turns", type=int, default=3)
    a = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from nnviz.core.animation import frame_epochs
    from nnviz.gui.app import _wait, tear_down
    from nnviz.gui.main_window import MainWindow
    from nnviz.gui.recorder import Recorder

    app = QApplication([])
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    _wait(app, lambda: w.last_snapshot is not None, 300)
    w.step(a.epochs)
    _wait(app, lambda: w.last_snapshot.epoch == a.epochs, 3600)
    epochs = frame_epochs(0, a.epochs, a.frames, "geometric")
    print(f"load average before: {loadavg()}")
    print(f"{'area':8} {'format':6} {'ms/frame (median)':>18} {'runs':>24} {'size':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for area, view in (("plot", "main"), ("view", "network"), ("window", "main")):
            w.show_view(view)
            for ext in (".gif", ".mp4"):
                runs, size = [], 0
                for turn in range(a.turns):
                    path = os.path.join(tmp, f"{area}{turn}{ext}")
                    rec = Recorder(w, path, epochs, area=area)
                    done: list = []
                    rec.finished.connect(done.append)
                    rec.failed.connect(done.append)
                    t0 = time.perf_counter()
                    rec.start()
                    _wait(app, lambda: bool(done), 3600)
                    runs.append(1000 * (time.perf_counter() - t0) / len(epochs))
                    size = os.path.getsize(path)
                print(f"{area:8} {ext[1:]:6} {statistics.median(runs):18.1f} "
                      f"{', '.join(f'{r:.1f}' for r in runs):>24} {size / 1e6:8.2f} MB")
    print(f"load average after: {loadavg()}")
    tear_down(w)


if __name__ == "__main__":
    main()
