"""What one snapshot costs the training thread, part by part (no window, no other thread).

    python bench/snapshot.py        # ~15 s
    python bench/snapshot.py --hidden 512,512,512,512,512,512,512,512 --n 30
    python bench/snapshot.py --points 100000 --playing --n 60   # the gradient row's case

A snapshot is what the worker hands the window ~30-40 times a second while training: the
metrics, the 100x100 grid of the decision boundary, and the views' probes. This runs the real
TrainLoop on the notebook's problem and prints the median wall time (ms, over 300 snapshots,
16 epochs trained between two) of: the metrics alone, the test loss the curve records, a
snapshot without probes, with the network and neuron views' map probes (unthrottled, as when
both are shown), and with the gradient probe as well; and in CPU time, in turns, a snapshot with
and without the boundary's grid (a tab that does not draw it shown: loop.DrawGrid). ``cpu_ms``: the same medians in CPU time
of the whole process (XLA's threads too): the figure that stays put on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

from nnviz.core import inspect
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.training import TrainConfig
from nnviz.core.problem import Problem
from nnviz.core.loop import NewProblem, TrainLoop


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default=None, help="hidden widths, e.g. 512,512 (sigmoid)")
    p.add_argument("--n", type=int, default=300, help="snapshots per figure")
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--playing", action="store_true",
                   help="the model of a playing run (a full-batch gd run on 4,096 points or "
                        "more: the gradient probe reads the training step's row)")
    args = p.parse_args()
    spec = NetworkSpec()
    if args.hidden:
        hidden = tuple(int(v) for v in args.hidden.split(","))
        spec = NetworkSpec(hidden=hidden, activations=("sigmoid",) * len(hidden))
    loop = TrainLoop()
    loop._handle(NewProblem(1, Problem(make_dataset(DataSpec("moons", samples=args.points)),
                                       spec, TrainConfig(), None, 0)))
    loop.playing = args.playing
    t = loop.trainer
    epochs = 1 if args.hidden else 4 if args.points and args.points > 10_000 else 16
    cpu: dict[str, float] = {}

    def median_ms(f, name: str) -> float:
        for _ in range(5):
            f()
        times, cpus = [], []
        for _ in range(args.n):
            t.run(epochs)
            start, c = time.perf_counter(), time.process_time()
            f()
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - c)
        cpu[name] = round(1000 * statistics.median(cpus), 3)
        return round(1000 * statistics.median(times), 3)

    out = {"metrics": median_ms(t.evaluate, "metrics"),
           "test_loss": median_ms(loop._record_test, "test_loss"),
           "snapshot": median_ms(loop.make_snapshot, "snapshot")}

    # Behind a tab that draws no boundary (loop.DrawGrid), in turns with the grid's snapshot.
    def users(on: bool):
        def f():
            loop.grid_users = {"main"} if on else set()
            loop.make_snapshot()
        return f
    pairs = {True: [], False: []}
    for _ in range(max(1, args.n // 2)):
        for on in (True, False):
            t.run(epochs)
            c = time.process_time()
            users(on)()
            pairs[on].append(time.process_time() - c)
    loop.grid_users = None
    with_grid, without = (statistics.median(pairs[k]) for k in (True, False))
    cpu["snapshot_in_turns"] = round(1000 * with_grid, 3)
    cpu["snapshot_without_grid_in_turns"] = round(1000 * without, 3)
    gradients = inspect.GradientProbe()
    out["gradient_probe"] = median_ms(lambda: gradients(loop.model_shown()), "gradient_probe")
    loop.probes = {"network": inspect.NeuronMapsProbe(), "neurons": inspect.NeuronMapsProbe()}
    out["snapshot_with_maps"] = median_ms(loop.make_snapshot, "snapshot_with_maps")
    loop.probes["gradients"] = inspect.GradientProbe()
    out["snapshot_with_maps_and_gradients"] = median_ms(loop.make_snapshot,
                                                        "snapshot_with_maps_and_gradients")
    print(json.dumps({"ms": out, "cpu_ms": cpu, "grid_side": loop._grid_res or None,
                      "load": open("/proc/loadavg").read().split()[:3]}, indent=1))


if __name__ == "__main__":
    main()
