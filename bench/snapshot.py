"""What one snapshot costs the training thread, part by part (no window, no other thread).

    python bench/snapshot.py        # ~15 s

A snapshot is what the worker hands the window ~30-40 times a second while training: the
metrics, the 100x100 grid of the decision boundary, and the views' probes. This runs the real
TrainLoop on the notebook's problem and prints the median wall time (ms, over 300 snapshots,
16 epochs trained between two) of: the metrics alone, the test loss the curve records, a
snapshot without probes, with the network and neuron views' map probes (unthrottled, as when
both are shown), and with the gradient probe as well.
"""
from __future__ import annotations

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
    loop = TrainLoop()
    loop._handle(NewProblem(1, Problem(make_dataset(DataSpec("moons")), NetworkSpec(),
                                       TrainConfig(), None, 0)))
    t = loop.trainer

    def median_ms(f, n: int = 300) -> float:
        for _ in range(5):
            f()
        times = []
        for _ in range(n):
            t.run(16)
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return round(1000 * statistics.median(times), 3)

    out = {"metrics": median_ms(t.evaluate), "test_loss": median_ms(loop._record_test),
           "snapshot": median_ms(loop.make_snapshot)}
    loop.probes = {"network": inspect.NeuronMapsProbe(), "neurons": inspect.NeuronMapsProbe()}
    out["snapshot_with_maps"] = median_ms(loop.make_snapshot)
    loop.probes["gradients"] = inspect.GradientProbe()
    out["snapshot_with_maps_and_gradients"] = median_ms(loop.make_snapshot)
    print(json.dumps({"ms": out}, indent=1))


if __name__ == "__main__":
    main()
