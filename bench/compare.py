"""The window with a sweep playing flat out and the Compare view shown: how smooth it is, and what
drawing costs the sweep.

    python bench/compare.py                    # the 16 seeds of the notebook's network, 3 x 6 s
    python bench/compare.py --sweep lr --seconds 10 --repeats 1

Runs the real MainWindow offscreen with every view installed, shows the Compare tab, starts a
ready-made sweep (core/ready_sweeps.py; ``seeds``: 16 members) and plays it at full speed. Prints
ONE JSON object:

- ``frames_per_second``: paints of the tile mosaic that show a new sweep snapshot, per second
  (median of the repeats). Target >= 30.
- ``max_stall_ms``: the longest gap between two ticks of a 5 ms QTimer on the GUI thread while it
  plays (the worst of the repeats). Target <= 50.
- ``member_epochs_per_second``: members x epochs per second the sweep trains with the window
  drawing, and ``headless_member_epochs_per_second``: the same Sweep advanced in the same chunks
  with no window (measured before the window opens); ``view_cost`` their ratio.
- ``epochs``: the sweep's epoch at the start and end of the measured phases.
- ``gui_cpu_ms_per_frame``: the GUI thread's CPU time per frame drawn (median).
- ``loadavg``: /proc/loadavg before and after.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _proc import loadavg  # noqa: E402

TARGETS = {"frames_per_second": ">= 30", "max_stall_ms": "<= 50"}


def headless_rate(key: str, seconds: float, warm_epochs: int = 20_000) -> float:
    """Members x epochs per second of the bare Sweep in chunks of about a frame."""
    from nnviz.core.ready_sweeps import ready
    from nnviz.core.sweep import Sweep
    from nnviz.core.sweep_driver import SweepDriver
    d = SweepDriver(0, Sweep(ready(key).spec()))
    d.warm_up()
    # Past the first epochs, whose checkpoints are dense, as the window's phase is.
    while d.sweep.epoch < warm_epochs:
        d.advance(min(1024, warm_epochs - d.sweep.epoch))
    for _ in range(20):  # let the chunk size settle, as the loop does
        dt = d.advance(d.chunk)
        d.chunk = max(1, min(4096, int(d.chunk * min(2.0, 0.016 / max(dt, 1e-5)))))
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        d.advance(d.chunk)
        n += d.chunk
    return n * d.sweep.n_members / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sweep", default="seeds")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    load_before = loadavg()
    headless = headless_rate(args.sweep, args.seconds)

    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.app import tear_down
    from nnviz.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    w = MainWindow()
    w.show()

    def pump(seconds: float, until=None) -> bool:
        end = time.perf_counter() + seconds
        loop = QEventLoop()
        met = {"ok": until is None}

        def check():
            if w.last_error or time.perf_counter() >= end:
                loop.quit()
            elif until is not None and until():
                met["ok"] = True
                loop.quit()
        t = QTimer()
        t.setInterval(10)
        t.timeout.connect(check)
        t.start()
        loop.exec()
        t.stop()
        if w.last_error:
            raise RuntimeError(w.last_error)
        return met["ok"]

    pump(120, lambda: w.last_snapshot is not None)
    w.show_view("compare")
    view = w._inspection_views["compare"]
    view.start_ready(args.sweep)
    pump(300, lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id)

    state = {"fresh": False, "frames": 0, "drawn": view.frames, "ticks": [], "ticking": False}

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and view.frames != state["drawn"]:
                state["drawn"] = view.frames
                state["frames"] += 1
            return False
    paints = Paints()
    view.tiles.viewport().installEventFilter(paints)
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: state["ticking"] and state["ticks"].append(time.perf_counter()))
    ticker.start()

    runs, epochs = [], [view.drawn.epoch]
    w.controls.speed.setValue(w.controls.speed.maximum())  # flat out: Play starts at a pace to watch
    # Past the dense checkpoints of the first epochs, as the headless figure is.
    w.play()
    pump(120, lambda: view.drawn.epoch >= 20_000)
    w.pause()
    pump(5, lambda: not w.worker.loop.playing)
    for _ in range(args.repeats):
        w.play()
        first = view.drawn.epoch
        pump(30, lambda: view.drawn.epoch > first)
        pump(0.5)  # the chunk size settles
        state.update(frames=0, ticks=[], ticking=True)
        e0, t0, c0 = view.drawn.epoch, time.perf_counter(), time.thread_time()
        pump(args.seconds)
        e1, t1, c1 = view.drawn.epoch, time.perf_counter(), time.thread_time()
        state["ticking"] = False
        w.pause()
        pump(5, lambda: not w.worker.loop.playing)
        gaps = [b - a for a, b in zip(state["ticks"], state["ticks"][1:])]
        alive = int((~view.drawn.diverged).sum())
        runs.append({"frames_per_second": state["frames"] / (t1 - t0),
                     "max_stall_ms": 1000 * max(gaps) if gaps else float("nan"),
                     "member_epochs_per_second": alive * (e1 - e0) / (t1 - t0),
                     # the GUI thread's CPU time per frame drawn, and its share of a core
                     "gui_cpu_ms_per_frame": 1000 * (c1 - c0) / max(state["frames"], 1),
                     "gui_cpu_share": (c1 - c0) / (t1 - t0)})
    members = view.drawn.n_members
    epochs.append(view.drawn.epoch)
    tear_down(w)
    rate = statistics.median(r["member_epochs_per_second"] for r in runs)
    print(json.dumps({
        "sweep": args.sweep, "members": members, "seconds": args.seconds,
        "frames_per_second": round(statistics.median(r["frames_per_second"] for r in runs), 1),
        "max_stall_ms": round(max(r["max_stall_ms"] for r in runs), 1),
        "member_epochs_per_second": round(rate),
        "gui_cpu_ms_per_frame": round(statistics.median(r["gui_cpu_ms_per_frame"] for r in runs), 1),
        "headless_member_epochs_per_second": round(headless),
        "view_cost": round(rate / headless, 2),
        "epochs": epochs,
        "runs": [{k: round(v, 2) for k, v in r.items()} for r in runs],
        "targets": TARGETS, "loadavg": {"before": load_before, "after": loadavg()},
    }, indent=1))


if __name__ == "__main__":
    main()
