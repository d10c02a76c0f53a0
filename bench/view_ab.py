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

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import dataclasses
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


def _load(tree: str, package: str, name: str):
    """``nnviz/<package>/<name>.py`` of ``tree``, as the module nnviz.<package>.<name>_base."""
    spec = importlib.util.spec_from_file_location(
        f"nnviz.{package}.{name}_base", os.path.join(tree, "nnviz", package, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--views", choices=tuple(MODULES), default="gradients")
    p.add_argument("--base", required=True, help="the other tree (its nnviz/gui/<view>.py)")
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--blocks", type=int, default=8)
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps({"points": args.points})
    import gui  # bench/gui.py: the same problem
    import jax

    from nnviz.core import inspect
    from nnviz.core.loop import NewProblem, TrainLoop
    loop = TrainLoop()
    loop._handle(NewProblem(1, gui.the_problem()))
    loop.playing = True
    base_inspect = _load(args.base, "core", "inspect")
    kind = "GradientProbe" if args.views == "gradients" else "HiddenSpaceProbe"
    probes = {"base": getattr(base_inspect, kind)(), "this": getattr(inspect, kind)()}
    snaps, probe_spent = {k: [] for k in probes}, {k: [] for k in probes}
    for i in range(43):
        loop._run_epochs(20)
        jax.block_until_ready(loop.trainer.state)  # the epochs done: the probes' own cost
        model = loop.model_shown()
        snap = loop.make_snapshot()
        for key in (("base", "this") if i % 2 == 0 else ("this", "base")):
            c = time.process_time()
            flow = probes[key](model, loop.grid_points)
            if i >= 3:  # the first calls compile
                probe_spent[key].append(time.process_time() - c)
            snaps[key].append(dataclasses.replace(snap, extras={args.views: flow}))

    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    name, cls = MODULES[args.views]
    mine = importlib.import_module(f"nnviz.gui.{name}")
    base = _load(args.base, "gui", name)
    views = {}
    for key, module in (("base", base), ("this", mine)):
        v = getattr(module, cls)()
        v.extras_key = args.views
        v.resize(750, 760)
        v.show()
        for s in snaps[key][:3]:  # layouts, fonts
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
            for s in snaps[key][3:][(b * 5) % 30:(b * 5) % 30 + 10]:
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
                      **{f"{k}_probe_cpu_ms": 1000 * statistics.median(x)
                         for k, x in probe_spent.items()},
                      "load": open("/proc/loadavg").read().split()[:3]}, indent=1))
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
