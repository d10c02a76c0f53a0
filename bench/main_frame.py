"""What one frame of the main view costs the GUI thread late in a long run, away from training.

    python bench/main_frame.py                        # 100,000 points, a run at epoch 40,000
    python bench/main_frame.py --epoch 2000           # early in the run (bench/gui.py's phase)
    python bench/main_frame.py --points 200 --per-frame 2000

bench/gui.py's steady phase sees the first few thousand epochs of a run; a user's run at 100,000
points is at 40,000 epochs after ~2.5 minutes, where the loss chart's x axis holds tens of
epochs a pixel and a frame's ~8 new epochs rarely move its curves by one (loss_plot.CATCH_UP_MS).
Here the real MainWindow (offscreen, 1400x900, the main view) draws ``--frames`` snapshots of a
run that goes on ``--per-frame`` epochs a frame from ``--epoch``: one trained snapshot of the
problem (bench/gui.py's) with a loss history of that length laid over it (one kept point every 16
epochs, a test point every 40), drawn as the window draws a frame (``_draw_latest``, then the
paints it causes). Prints one JSON object: the process's CPU ms a frame (the mean over the
frames; the median of ``--turns`` passes), with the load average. The worker is paused: XLA's
threads are idle, so the CPU time is the GUI thread's. Compare trees with PYTHONPATH=..., in turns.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import dataclasses
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=100_000)
    p.add_argument("--epoch", type=int, default=40_000, help="the run's epoch at the first frame")
    p.add_argument("--per-frame", type=int, default=8, help="epochs a frame (100k points: ~8)")
    p.add_argument("--frames", type=int, default=120)
    p.add_argument("--turns", type=int, default=3)
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps({"points": args.points})
    load_before = open("/proc/loadavg").read().split()[:3]
    import gui  # bench/gui.py: the same problem, its Recorder
    import numpy as np
    from PySide6.QtCore import QEventLoop
    gui.steady_start()
    app, w, rec = gui.steady_window(ticks=False)  # no 5 ms ticks: the frames' CPU alone
    w.show_view("main")
    w.play()
    rec.pump(1.5)
    w.pause()
    rec.pump(5, lambda: not w.worker.loop.playing)
    rec.pump(0.5)
    base = w.worker.loop.make_snapshot()  # the worker waits for a command: its loop is idle

    def at(e: int):
        ep = np.arange(1, e + 1, 16, dtype=np.int64)
        te = np.arange(1, e + 2, 40, dtype=np.int64)
        return dataclasses.replace(
            base, epoch=e, live_epoch=e, loss_epochs=ep,
            loss_values=(0.05 + 0.2 * np.exp(-ep / 3000.0)).astype(np.float32),
            test_epochs=te, test_values=(0.06 + 0.2 * np.exp(-te / 3000.0)).astype(np.float32))
    snaps = [at(args.epoch + args.per_frame * i) for i in range(args.frames)]

    def draw_all() -> float:
        c = time.process_time()
        for s in snaps:
            w._latest = s
            w._draw_latest()
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        return 1000 * (time.process_time() - c) / len(snaps)
    draw_all()  # warm: the first pass lays out and caches
    passes = [draw_all() for _ in range(args.turns)]
    print(json.dumps({"gui_cpu_ms_per_frame": statistics.median(passes), "passes": passes,
                      "points": args.points, "epoch": args.epoch, "per_frame": args.per_frame,
                      "load_before": load_before,
                      "load_after": open("/proc/loadavg").read().split()[:3]}, indent=1))
    w.shutdown()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
