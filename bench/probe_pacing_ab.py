"""How often a throttled probe gives a playing run new numbers: this tree's inspect.Throttled
against another tree's, in turns in one process.

    python bench/probe_pacing_ab.py --base /path/to/other/tree [--points 100000] [--budget 0.05]

The real TrainLoop on bench/gui.py's problem plays headless (no window: each snapshot counts as
drawn at once, so the loop makes them at its own pace), the gradient probe wrapped in each
tree's ``Throttled`` at ``--budget`` (the Gradients tab's, views.GRADIENT_BUDGET), for
``--rounds`` turns of ``--seconds`` each (after a second's warm-up). Prints per tree the
snapshots a second and how many of them brought new gradient numbers (a snapshot whose probe
result is the previous one again draws nothing new in the tab), medians of the turns, with the
load. Wall-clock rates: on a busy machine only the pair, taken in turns, is the figure.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import importlib.util
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", required=True, help="the other tree (its nnviz/core/inspect.py)")
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--budget", type=float, default=None, help="default: the Gradients tab's")
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--seconds", type=float, default=5.0)
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps({"points": args.points})
    import gui  # bench/gui.py: the same problem

    from nnviz.core import inspect
    from nnviz.core.loop import NewProblem, Play, TrainLoop
    from nnviz.gui.views import GRADIENT_BUDGET
    spec = importlib.util.spec_from_file_location(
        "nnviz.core.inspect_base", os.path.join(args.base, "nnviz", "core", "inspect.py"))
    base = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = base
    spec.loader.exec_module(base)
    budget = GRADIENT_BUDGET if args.budget is None else args.budget
    load_before = open("/proc/loadavg").read().split()[:3]

    loop = TrainLoop()
    loop._handle(NewProblem(1, gui.the_problem()))
    got = []

    def publish(snapshot):  # the worker thread's hand-over to the window: drawn at once
        got.append(snapshot.extras.get("gradients"))
        loop.drawn.set()
    loop._publish = publish
    loop._handle(Play())
    trees = {"base": base.Throttled, "this": inspect.Throttled}
    rates = {k: [] for k in trees}
    fresh = {k: [] for k in trees}
    for r in range(args.rounds):
        for key in (("base", "this") if r % 2 == 0 else ("this", "base")):
            loop.probes = {"gradients": trees[key](inspect.GradientProbe(), budget)}
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 1.0:  # the compile, the chunk size settling
                loop.work_once()
            got.clear()
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < args.seconds:
                loop.work_once()
            dt = time.perf_counter() - t0
            rates[key].append(len(got) / dt)
            fresh[key].append(sum(b is not a for a, b in zip(got, got[1:])) / dt)
    print(json.dumps({"points": args.points, "budget": budget,
                      **{f"{k}_snapshots_per_second": statistics.median(v)
                         for k, v in rates.items()},
                      **{f"{k}_new_numbers_per_second": statistics.median(v)
                         for k, v in fresh.items()},
                      "load_before": load_before,
                      "load_after": open("/proc/loadavg").read().split()[:3]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
