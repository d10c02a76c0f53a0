"""How often the window is laid out again while it trains, and what that costs the GUI thread.

    python bench/layout_requests.py                       # main view, then the Backprop tab
    python bench/layout_requests.py --views main --seconds 8
    python bench/layout_requests.py --receivers 8         # and where the requests went

Runs the real MainWindow offscreen at 1400x900 on the notebook's problem (bench/gui.py's
``the_problem``; ``--points``), trains flat out, and for each view in ``--views`` (its tab shown,
after its first frame) counts for ``--seconds``, on the GUI thread:

- ``layout_requests_per_second``: QEvent.LayoutRequest events delivered (to any widget), and
  ``window_layouts_per_second``: those delivered to the top-level window (each one a layout of
  the whole window: a child's ``updateGeometry`` climbs to it);
- ``layout_cpu_ms_per_second``: the GUI thread's CPU time inside those deliveries (the layouts,
  and the resize and move events they send), and ``gui_cpu_ms_per_second``: all of it;
- ``frames_per_second``: new snapshots drawn.

The counting goes through a QApplication whose ``notify`` is Python: every event pays for that
alike, so compare figures of this script with each other, not with bench/gui.py's. One JSON
object. For before/after, run it with PYTHONPATH at each tree in turns (the script itself may
stay in one tree).
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=5.0, help="counting time per view")
    p.add_argument("--views", default="main,backprop", help="comma-separated: main, a view name")
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--receivers", type=int, default=0,
                   help="also list the N widgets that received most layout requests")
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps({"points": args.points})
    load_before = open("/proc/loadavg").read().split()[:3]

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    import gui  # bench/gui.py: the problem, the event pump, the painted widget of a view
    from nnviz.core import compile_cache
    compile_cache.enable(os.path.join(tempfile.gettempdir(), "nnviz-bench-steady"))

    layout = QEvent.Type.LayoutRequest

    class CountingApp(QApplication):
        counting = False
        n = window_n = 0
        cpu = 0.0
        receivers: dict[str, int] = {}
        window = None

        def notify(self, receiver, event):  # noqa: N802 (Qt)
            if not self.counting or event.type() != layout:
                return super().notify(receiver, event)
            c = time.thread_time()
            out = super().notify(receiver, event)
            self.cpu += time.thread_time() - c
            self.n += 1
            if receiver is self.window:
                self.window_n += 1
            if args.receivers:
                key = f"{type(receiver).__name__} {receiver.objectName()}".strip()
                self.receivers[key] = self.receivers.get(key, 0) + 1
            return out

    app = CountingApp(sys.argv[:1])
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(gui.the_problem())
    app.window = w
    w.controls.speed.setValue(w.controls.speed.maximum())
    w.resize(1400, 900)
    w.show()
    rec = gui.Recorder(app, w)
    rec.pump(300, lambda: w.last_snapshot is not None)
    out = {}
    for view in args.views.split(","):
        w.show_view(view)
        rec.watch(view, gui.painted_widget(w, w._inspection_views, view))
        rec.pump(0.5)
        rec.first_frame(view)
        rec.pump(1.0)  # the chunk size settles
        snaps0 = rec.snapshots
        app.n = app.window_n = 0
        app.cpu = 0.0
        app.receivers = {}
        app.counting = True
        t0, c0 = time.perf_counter(), time.thread_time()
        rec.pump(args.seconds)
        t1, c1 = time.perf_counter(), time.thread_time()
        app.counting = False
        w.pause()
        rec.pump(5, lambda: not w.worker.loop.playing)
        dt = t1 - t0
        out[view] = {"layout_requests_per_second": app.n / dt,
                     "window_layouts_per_second": app.window_n / dt,
                     "layout_cpu_ms_per_second": 1000 * app.cpu / dt,
                     "gui_cpu_ms_per_second": 1000 * (c1 - c0) / dt,
                     "frames_per_second": (rec.snapshots - snaps0) / dt}
        if args.receivers:
            top = sorted(app.receivers.items(), key=lambda kv: -kv[1])[:args.receivers]
            out[view]["receivers_per_second"] = {k: round(v / dt, 1) for k, v in top}
    w.shutdown()
    print(json.dumps({**out, "seconds": args.seconds, "points": args.points,
                      "load_before": load_before,
                      "load_after": open("/proc/loadavg").read().split()[:3]},
                     indent=1, default=float))
    sys.stdout.flush()
    os._exit(0)  # no need to wait for the interpreter's teardown of Qt


if __name__ == "__main__":
    sys.exit(main())
