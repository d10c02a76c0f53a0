"""What a new landscape costs the GUI thread: the Landscape tab's redraw, alone.

    python bench/landscape_redraw.py            # ~30 s; --maps N (default 40)

The window (1400x900, offscreen) on the notebook's problem is stepped 300 epochs and shows its
Landscape tab; once its probe has drawn, the run stays paused and the view is handed N new
landscapes in a row, each the last one's made anew (a new Landscape object: the values scaled a
little, so the colours' levels and the axes change, as while a run plays), with what the worker
hands out with it (``LandscapeResult.picture`` where the tree has one, made before the clock
starts, as the worker makes it). Per landscape: the GUI thread's time in ``update_snapshot``
and in the events it leaves (layout, the paints) until the event queue is empty, wall and CPU
(``time.thread_time``, which a busy machine inflates less); and the longest pass of the event
loop among them (CPU; the first pass includes ``update_snapshot``): what the GUI thread does
without a break, where a timer or a click would wait. Prints ONE JSON object: medians and
maxima. To compare two trees, run each in turns (PYTHONPATH). ``NNVIZ_BENCH_PROFILE=FILE``: a
cProfile of the measured parts, written to FILE.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _fresh  # noqa: E402,F401 (first: settings of the process's own)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maps", type=int, default=40)
    args = p.parse_args()
    from PySide6.QtWidgets import QApplication

    from gui import the_problem
    from nnviz.core import compile_cache, heap
    heap.limit_arenas()
    compile_cache.enable(os.path.join(os.environ.get("TMPDIR", "/tmp"), "nnviz-bench-steady"))
    from nnviz.gui.main_window import MainWindow
    app = QApplication.instance() or QApplication(sys.argv[:1])
    w = MainWindow(the_problem())
    w.resize(1400, 900)
    w.show()

    def pump(cond, timeout=120.0):
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.005)
    pump(lambda: w.last_snapshot is not None)
    w.step(300)
    pump(lambda: w.last_snapshot is not None and w.last_snapshot.epoch == 300)
    w.show_view("landscape")
    view = w._inspection_views["landscape"]
    pump(lambda: view.result is not None and view.result.epoch == 300
         and view.result.sharpness_missing == 0)
    for _ in range(50):  # whatever the first picture left to lay out and paint
        app.processEvents()
        time.sleep(0.01)
    r, s = view.result, w.last_snapshot
    key = view.extras_key
    walls, cpus, calls, turns = [], [], [], []
    profile = os.environ.get("NNVIZ_BENCH_PROFILE")
    import cProfile
    profiler = cProfile.Profile() if profile else None
    for i in range(args.maps):
        land = dataclasses.replace(r.land, values=r.land.values * (1.0 + 0.03 * (i % 7)))
        new = dataclasses.replace(r, land=land, now=None, path=dataclasses.replace(
            r.path, loss=r.path.loss * (1.0 + 0.02 * (i % 5))))
        if getattr(view, "pictures", None) is not None:  # the worker's part, before the clock
            new = dataclasses.replace(new, picture=view.pictures(land))
        snap = dataclasses.replace(s, extras={**s.extras, key: new})
        if profiler:
            profiler.enable()
        t0, c0 = time.perf_counter(), time.thread_time()
        view.update_snapshot(snap)
        t1 = time.perf_counter()
        turn = []  # CPU of each pass of the event loop, the first with update_snapshot
        for _ in range(4):  # the posted events: the scene's updates, layouts, the paints
            app.processEvents()
            turn.append(1000 * (time.thread_time() - (c0 + sum(turn) / 1000)))
        t2, c2 = time.perf_counter(), time.thread_time()
        turns.append(max(turn))
        if profiler:
            profiler.disable()
        calls.append(1000 * (t1 - t0))
        walls.append(1000 * (t2 - t0))
        cpus.append(1000 * (c2 - c0))
        time.sleep(0.05)  # anything else settles (nothing is pending: the run is paused)
        app.processEvents()
    w.shutdown()
    if profiler:
        profiler.dump_stats(profile)
    print(json.dumps({
        "maps": args.maps,
        "update_snapshot_ms": {"median": statistics.median(calls), "max": max(calls)},
        "gui_wall_ms": {"median": statistics.median(walls), "max": max(walls)},
        "gui_cpu_ms": {"median": statistics.median(cpus), "max": max(cpus)},
        # the longest pass of the event loop, CPU: what the GUI thread does without a pause
        "longest_turn_cpu_ms": {"median": statistics.median(turns), "max": max(turns)},
        "load": open("/proc/loadavg").read().split()[:3]}, indent=1))
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
