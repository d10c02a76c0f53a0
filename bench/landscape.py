"""The Landscape view's numbers: how long a landscape and a sharpness estimate take.

    python bench/landscape.py [--epochs 1000] [--turns 7]

On the notebook's network (moons, 200 points, 2-4-10-4-1 sigmoid, MSE, gd) and on 2-64-64-1
(the same data), each trained ``--epochs`` epochs with its run log, it measures (medians of
``--turns``, after a first call that compiles):

- ``landscape_ms``: one 41 x 41 landscape over the plane of the path's principal components
  (1,681 losses on the training points, one vmapped call). Target <= 100 ms (notebook's).
- ``sharpness_ms``: one sharpness estimate (power iteration on Hessian-vector products, from a
  random start, to convergence) and its iterations. Target <= 20 ms (notebook's).
- ``probe_ms``: the view's whole probe as it runs while training: the landscape, the path
  projected with its losses, the 1-D line, the sharpness now and of 16 more checkpoints.

Prints one JSON object, with the load average before and after. The probe's cost to the
training while the view is shown is measured by ``python bench/gui.py --views landscape``
(against ``--views main``).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

from _proc import loadavg


def timed(f, turns: int) -> list[float]:
    f()  # compiles
    out = []
    for _ in range(turns):
        t0 = time.perf_counter()
        f()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def measure(problem, epochs: int, turns: int) -> dict:
    from nnviz.core import landscape as ls
    from nnviz.core import runlog, sharpness
    from nnviz.core.landscape_probe import LandscapeProbe

    t = problem.make_trainer()
    t.log = runlog.RunLog()
    runlog.advance(t, t.log, epochs)
    _, flats, _ = ls.recorded_path(t)
    plane = ls.make_plane("pca", t.spec, flats[-1], flats[0], flats)
    land = timed(lambda: ls.landscape(t, plane), turns)
    est = sharpness.top_eigenvalue(t)
    sharp = timed(lambda: sharpness.top_eigenvalue(t), turns)
    probe = LandscapeProbe()
    probe.compile(t)
    probe(t)  # the history's sharpness

    def while_training():
        probe._sharp.clear()  # as if the checkpoints were new: a batch of them each call
        probe._last_call = time.perf_counter()
        probe(t)
    probe_ms = timed(while_training, turns)
    return {"network": t.spec.shapes_text(), "parameters": t.spec.n_params,
            "training_points": len(t.data.train_index), "grid": ls.grid_resolution(
                t.spec, len(t.data.train_index)),
            "landscape_ms": statistics.median(land), "landscape_ms_all": land,
            "sharpness_ms": statistics.median(sharp), "sharpness_iterations": est.iterations,
            "sharpness": est.value, "probe_ms": statistics.median(probe_ms)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=1000)
    p.add_argument("--turns", type=int, default=7)
    args = p.parse_args()
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem, notebook_problem

    load_before = loadavg()
    wide = make_problem(make_dataset(DataSpec("moons")), Choices(hidden=(64, 64)))
    result = {"load_before": load_before,
              "notebook": measure(notebook_problem(), args.epochs, args.turns),
              "2-64-64-1": measure(wide, args.epochs, args.turns),
              "targets": {"notebook.landscape_ms": "<= 100", "notebook.sharpness_ms": "<= 20"},
              "load_after": loadavg()}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
