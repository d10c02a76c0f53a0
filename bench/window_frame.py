"""What a frame of one tab costs the GUI thread, drawn through the window's own path, away from
training.

    python bench/window_frame.py --points 100000 --views gradients
    python bench/window_frame.py --points 100000 --views neurons --frames 40
    python bench/window_frame.py --hidden 512,512,512,512,512,512,512,512 --views main

The real MainWindow (offscreen, 1400x900, bench/gui.py's problem and settings) plays with the tab
shown until it has drawn ``--frames`` snapshots with the tab's new numbers (a throttled probe's
repeats left out), pauses, and draws them again one after another as a frame does
(``_draw_latest``, then the views' own turn of the event loop and the paints they cause: 10 ms of
the event loop each). Prints one JSON object: the process's CPU ms a frame (the median of
``--turns`` passes over the frames), the plots' paints a frame, and the load. The worker waits
for a command meanwhile: XLA's threads are idle, and the CPU time is the GUI thread's. Unlike
bench/view_frame.py and view_ab.py (the view alone), this counts what the window adds around a
view: the loss chart, the metrics line, the views' turn (views.draw_pending). Compare trees with
PYTHONPATH=..., in turns.
"""
from __future__ import annotations

import _fresh  # noqa: F401 -- a settings file of this process's own (bench/_fresh.py)

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=None)
    p.add_argument("--hidden", default=None, help="hidden widths, e.g. 512,512 (sigmoid)")
    p.add_argument("--views", default="gradients", help="main or one view (bench/gui.py's names)")
    p.add_argument("--frames", type=int, default=30)
    p.add_argument("--turns", type=int, default=3)
    args = p.parse_args()
    problem = {"points": args.points}
    if args.hidden:
        problem["hidden"] = [int(x) for x in args.hidden.split(",")]
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps(problem)
    load_before = open("/proc/loadavg").read().split()[:3]
    import gui  # bench/gui.py: the same problem, window and Recorder
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent, QObject
    gui.steady_start()
    app, w, rec = gui.steady_window(ticks=False)
    view = args.views
    w.show_view(view)
    shown = gui.painted_widget(w, w._inspection_views, view)
    key = None if view == "main" else getattr(w._inspection_views.get(view), "extras_key", None)
    seen = []

    def drawn(s) -> None:
        if key is None or s.extras.get(key) is not None:
            seen.append(s)

    def new_numbers() -> list:
        out = []
        for s in seen:
            if not out or (s.epoch > out[-1].epoch and (
                    key is None or s.extras[key] is not out[-1].extras[key])):
                out.append(s)
        return out
    w.snapshot_drawn.connect(drawn)
    rec.first_frame(view)
    rec.pump(300, lambda: len(new_numbers()) >= args.frames + 2)
    w.pause()
    rec.pump(10, lambda: not w.worker.loop.playing)
    rec.pump(1.0)
    w.snapshot_drawn.disconnect(drawn)
    snaps = new_numbers()[-args.frames:]

    class Paints(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False
    paints = Paints()
    plots = [v for v in w.findChildren(pg.GraphicsView) if v.isVisible()]
    for v in plots:
        v.viewport().installEventFilter(paints)

    def draw_all() -> tuple[float, float]:
        paints.count = 0
        c = time.process_time()
        for s in snaps:
            w._latest = s
            w._draw_latest()
            rec.pump(0.01)  # the views' turn (a 1 ms timer) and the paints
        return 1000 * (time.process_time() - c) / len(snaps), paints.count / len(snaps)
    draw_all()  # warm: the first pass lays out and caches
    passes = [draw_all() for _ in range(args.turns)]
    print(json.dumps({"gui_cpu_ms_per_frame": statistics.median(p[0] for p in passes),
                      "plot_paints_per_frame": statistics.median(p[1] for p in passes),
                      "passes": passes, "frames": len(snaps), "plots": len(plots),
                      "view": view, "shown": type(shown).__name__, "problem": problem,
                      "epochs": [snaps[0].epoch, snaps[-1].epoch],
                      "load_before": load_before,
                      "load_after": open("/proc/loadavg").read().split()[:3]}, indent=1))
    w.shutdown()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
