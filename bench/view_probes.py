"""What the Backprop and Regions views cost the worker per snapshot: their probes timed alone.

    python bench/view_probes.py [--repeats 30]

For the notebook's network (2-4-10-4-1 on the moons, 160 training points) and 2-64-64-1, both
with relu (the regions apply) and plain gd, after 300 epochs recorded in a run log, times one
call of each probe (median of ``--repeats`` calls after a warm-up call that compiles):

- ``backprop``: the trace of one training point (hand-built pass, jax.grad checks, batch
  gradient, optimiser update); ``backprop+pulls``: with every point's gradient norm (vmap(grad));
- ``regions``: the 200 x 200 activation patterns, slopes, and the curve over the run once its
  counts are cached (the steady state while training runs);
- ``chunk_ms``: one 4096-epoch chunk of training, beside them, for scale.

The window runs a probe at most at its time budget (``share_budget``: views.py / the view's
BUDGET) while training runs, so a probe costs the training at most that share; ``share_at_30fps``
is what the probe would take of the worker's time if it ran for every frame at 30 frames a
second. Prints one JSON object with the load average before and after.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _proc import loadavg  # noqa: E402


def median_ms(f, repeats: int) -> float:
    f()  # compile
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=30)
    args = p.parse_args()
    from nnviz.core import backprop, regions, runlog
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.snapshot import ModelAt
    from nnviz.core.training import MAX_CHUNK, TrainConfig, Trainer, network_for
    from nnviz.gui.backprop_view import BUDGET as BACKPROP_BUDGET
    from nnviz.gui.regions_view import BUDGET as REGIONS_BUDGET

    out = {"load_before": loadavg()}
    data = make_dataset(DataSpec("moons"))
    for hidden in ((4, 10, 4), (64, 64)):
        spec = network_for(data, "mse", hidden, ("relu",) * len(hidden), "sigmoid")
        t = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0)
        log = runlog.RunLog()
        log.checkpoint(0, t.state, "start")
        runlog.advance(t, log, 300)
        model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log, state=t.state)
        rprobe = regions.RegionsProbe()
        for _ in range(60):  # fill the curve's cache: the steady state
            rprobe(model, None)
        figures = {
            "backprop": (median_ms(lambda: backprop.BackpropProbe(7)(model), args.repeats),
                         BACKPROP_BUDGET),
            "backprop+pulls": (median_ms(lambda: backprop.BackpropProbe(7, True)(model),
                                         args.repeats), BACKPROP_BUDGET),
            "regions": (median_ms(lambda: rprobe(model, None), args.repeats), REGIONS_BUDGET),
        }
        t.compile()
        chunk = median_ms(lambda: t.run(MAX_CHUNK), max(3, args.repeats // 5))
        name = "2-" + "-".join(map(str, hidden)) + "-1 relu"
        out[name] = {k: {"ms": round(ms, 2), "share_budget": b,
                         "share_at_30fps": round(ms * 30 / 1000, 3)}
                     for k, (ms, b) in figures.items()}
        out[name]["chunk_ms"] = round(chunk, 1)
        out[name]["regions_count"] = int(rprobe(model, None).count)
    out["load_after"] = loadavg()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
