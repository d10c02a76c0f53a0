"""One view's frame, this tree's against another tree's, in turns in one process.

    python bench/view_ab.py --views gradients --base /work/wt/main-copy
    python bench/view_ab.py --views hidden-space --points 100000 --base ../base

A TrainLoop makes 40 snapshots (bench/gui.py's problem, the view's probe unthrottled: new
numbers in every frame); the view's module of ``--base`` (loaded under another name; the rest
of nnviz is this tree's) and this tree's build a view each (750x760, a tab's size in the
1400x900 window); each is shown alone in turn for blocks of 10 frames (a hidden view does not
paint), ``update_snapshot`` and the paint it causes timed with ``time.process_time``. Prints
the medians (CPU ms a frame) and the load: on a busy machine, the pair is the figure.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(__file__))

MODULES = {"gradients": ("gradient_view", "GradientView"),
           "hidden-space": ("hidden_space", "HiddenSpaceView")}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--views", choices=tuple(MODULES), default="gradients")
    p.add_argument("--base", required=True, help="the other tree (its nnviz/gui/<view>.py)")
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--blocks", type=int, default=8)
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps({"points": args.points})
    import gui  # bench/gui.py: the same problem

    from nnviz.core import inspect
    from nnviz.core.loop import NewProblem, TrainLoop
    loop = TrainLoop()
    loop._handle(NewProblem(1, gui.the_problem()))
    loop.playing = True
    loop.probes = {args.views: inspect.GradientProbe() if args.views == "gradients"
                   else inspect.HiddenSpaceProbe()}
    snaps = []
    for _ in range(40):
        loop._run_epochs(20)
        snaps.append(loop.make_snapshot())

    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    name, cls = MODULES[args.views]
    mine = importlib.import_module(f"nnviz.gui.{name}")
    spec = importlib.util.spec_from_file_location(
        f"nnviz.gui.{name}_base", os.path.join(args.base, "nnviz", "gui", f"{name}.py"))
    base = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = base
    spec.loader.exec_module(base)
    views = {}
    for key, module in (("base", base), ("this", mine)):
        v = getattr(module, cls)()
        v.extras_key = args.views
        v.resize(750, 760)
        v.show()
        for s in snaps[:3]:  # layouts, fonts
            v.update_snapshot(s)
            app.processEvents()
        v.hide()
        app.processEvents()
        views[key] = v
    spent = {k: [] for k in views}
    for b in range(args.blocks):
        for key, v in (list(views.items()) if b % 2 == 0 else list(views.items())[::-1]):
            v.show()
            app.processEvents()
            for s in snaps[(b * 5) % 30:(b * 5) % 30 + 10]:
                v._drawn = None  # new numbers, as every frame of a playing run
                c = time.process_time()
                v.update_snapshot(s)
                app.processEvents()
                spent[key].append(time.process_time() - c)
            v.hide()
            app.processEvents()
    print(json.dumps({"view": args.views, "points": args.points,
                      **{f"{k}_cpu_ms_per_frame": 1000 * statistics.median(x)
                         for k, x in spent.items()},
                      "load": open("/proc/loadavg").read().split()[:3]}, indent=1))
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
