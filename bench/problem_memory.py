"""Memory of many distinct problems in one process: the resident memory (VmRSS) after each of
``--problems`` problems, every one an edit of the architecture or of the data, as a window
session that keeps editing would make them.

    python bench/problem_memory.py [--problems 200] [--every 10]

Each problem goes through the worker's own loop (``nnviz.core.loop.TrainLoop``, driven
synchronously, no window) with the views' probes installed (network and neuron maps, hidden
space, gradients): it compiles, trains 5 epochs and publishes a snapshot, as the window does.
Problems alternate between a new architecture (hidden widths) and new data (point count). Prints
RSS after every ``--every`` problems, and the growth from problem 10 to the last.
Target (issue 17): RSS after 200 problems within 150 MB of RSS after 10.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from _proc import loadavg, memory_mb as rss_mb  # noqa: E402


def problems(n: int):
    """``n`` distinct (DataSpec, hidden widths): architecture and data edits in turn."""
    from nnviz.core.data import DataSpec
    for k in range(n):
        widths = (3 + k % 29, 2 + (k // 29) % 13) if k % 2 == 0 else (4, 10, 4)
        samples = 200 if k % 2 == 0 else 120 + k
        yield DataSpec("moons", samples=samples), widths


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--problems", type=int, default=200)
    p.add_argument("--every", type=int, default=10)
    args = p.parse_args()

    from nnviz.core import inspect
    from nnviz.core.data import make_dataset
    from nnviz.core.training import TrainConfig, network_for
    from nnviz.core.loop import NewProblem, Step, TrainLoop
    from nnviz.core.problem import Problem

    published = []
    loop = TrainLoop(publish=published.append, error=lambda m: print("error:", m))
    loop.probes.update({"network": inspect.NeuronMapsProbe(),
                        "hidden-space": inspect.HiddenSpaceProbe(),
                        "gradients": inspect.GradientProbe()})
    print(f"load average at the start: {loadavg()}", flush=True)
    t0 = time.monotonic()
    readings = {}
    for k, (dspec, widths) in enumerate(problems(args.problems), start=1):
        data = make_dataset(dspec)
        spec = network_for(data, "mse", widths, ("sigmoid",) * len(widths), "sigmoid")
        loop.post(NewProblem(k, Problem(data, spec, TrainConfig(), None, 0)))
        loop.post(Step(5))
        loop.work_once()
        published.clear()
        if k % args.every == 0 or k == args.problems:
            gc.collect()
            readings[k] = rss_mb()
            print(f"after {k:4d} problems: RSS {readings[k]:7.1f} MB  "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
    first = min(k for k in readings if k >= 10)
    last = max(readings)
    print(f"growth from problem {first} to {last}: {readings[last] - readings[first]:+.1f} MB; "
          f"load average at the end: {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
