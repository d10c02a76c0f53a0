"""Adding a point on the plot (issue 14): the delay from the click to training going on, and
what padding costs an epoch.

1. The delay, in the window's worker logic (``core.loop.TrainLoop``, driven here without Qt),
   playing the notebook's problem (moons, 160 training points), from posting the edit until the
   first epoch on the new points has run: before -- a new problem (what an edit did until now:
   a compile for the new number of points, epoch 0) -- and after -- ``SetData`` within one
   padded size (no compile; the padded runner compiled ahead when point editing was switched
   on), and once across a size (one compile). Each "before" trial adds another point, so each
   compiles a new shape, as each click did. CPU time of the whole process (all threads) and
   wall time; medians.
2. The same with the views that compute from the training points shown (hidden space,
   landscape with its sharpness, backprop with the pulls, neuron maps): from posting an edit
   within a padded size until a snapshot holds every view's numbers again.
3. The cost per epoch of padding, CPU time: the notebook's problem unpadded (how a run trains
   until its first point edit, and the CLI always) beside the same data padded (after an edit),
   turn by turn; the window's 160 training points (padded to 176) and the CLI's 200 (208).

    python bench/points.py [--quick]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from nnviz.core import csvdata, loop as L  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.problem import make_problem, notebook_problem  # noqa: E402
from nnviz.core.training import Trainer, padded_size  # noqa: E402


def _until_trained(lp: L.TrainLoop, data, epoch0: int) -> tuple[float, float]:
    c0, w0 = time.process_time(), time.perf_counter()
    while not (lp.trainer is not None and lp.trainer.data is data and lp.trainer.epoch > epoch0):
        lp.work_once()
    return time.process_time() - c0, time.perf_counter() - w0


def delays(trials: int) -> dict:
    p = notebook_problem()
    lp = L.TrainLoop()
    lp.post(L.NewProblem(1, p))
    lp.post(L.EditingPoints(True))
    lp.post(L.Play())
    lp.work_once()
    lp.prepared.result()
    for _ in range(20):
        lp.work_once()
    before, after = [], []
    data, run_id = p.dataset, 1
    rng = __import__("numpy").random.default_rng(0)

    def more(d):
        return csvdata.with_point_added(d, tuple(rng.uniform(-1, 2, 2)), int(rng.integers(2)))
    # after: clicks within one padded size; the run goes on (the first also switches the run
    # from its unpadded data to padded, compiled ahead)
    for i in range(trials):
        data, e0 = more(data), lp.trainer.epoch
        lp.post(L.SetData(data, "added point"))
        after.append(_until_trained(lp, data, e0))
    # across a padded size: one compile, and the run goes on
    size = lp.trainer.data_size[0]
    while padded_size(len(data.train_index)) == size:
        data = more(data)
    e0 = lp.trainer.epoch
    lp.post(L.SetData(data))
    across = _until_trained(lp, data, e0)
    # before: a new problem on the edited points (a new shape: a compile), epoch 0
    for i in range(trials):
        data, run_id = more(data), run_id + 1
        lp.post(L.NewProblem(run_id, make_problem(data)))
        lp.post(L.Play())
        before.append(_until_trained(lp, data, 0))
    lp.release()

    def med(xs, k):
        return statistics.median(x[k] for x in xs)
    return {"before_cpu_s": med(before, 0), "before_wall_s": med(before, 1),
            "after_cpu_s": med(after, 0), "after_wall_s": med(after, 1),
            "across_cpu_s": across[0], "across_wall_s": across[1], "trials": trials}


def with_views(trials: int) -> dict:
    from nnviz.core.backprop import BackpropProbe
    from nnviz.core.inspect import HiddenSpaceProbe, NeuronMapsProbe
    from nnviz.core.landscape_probe import LandscapeProbe
    p = notebook_problem()
    lp = L.TrainLoop()
    lp.post(L.NewProblem(1, p))
    probes = {"hidden": HiddenSpaceProbe(), "landscape": LandscapeProbe(),
              "backprop": BackpropProbe(3, pulls=True), "maps": NeuronMapsProbe()}
    for name, fn in probes.items():
        lp.post(L.SetProbe(name, fn))
    lp.post(L.EditingPoints(True))
    lp.post(L.Step(50))
    lp.work_once()
    lp.prepared.result()
    rng = __import__("numpy").random.default_rng(1)
    data, out = p.dataset, []
    for i in range(trials + 1):
        data = csvdata.with_point_added(data, tuple(rng.uniform(-1, 2, 2)), i % 2)
        c0, w0 = time.process_time(), time.perf_counter()
        lp.post(L.SetData(data))
        lp.post(L.Step(1))
        lp.work_once()
        while any(v is None for v in lp.make_snapshot().extras.values()) or \
                len(lp.make_snapshot().extras) < len(probes):
            time.sleep(0.005)  # the landscape compiles on a thread of its own
        if i:  # the first edit switches the run to padded data: not a click within a size
            out.append((time.process_time() - c0, time.perf_counter() - w0))
        # the sizes compiled ahead: not this click's cost
        getattr(lp.prepared, "result", lambda: None)()
    lp.release()
    return {"cpu_s": statistics.median(x[0] for x in out),
            "wall_s": statistics.median(x[1] for x in out), "trials": trials}


def epoch_cost(turns: int, epochs: int) -> dict:
    out = {}
    for name, data in (("window, 160 points", notebook_problem().dataset),
                       ("CLI, 200 points", make_dataset(DataSpec("moons", test_fraction=0)))):
        p = make_problem(data)
        ts = {"unpadded": Trainer(p.spec, p.config, data, seed=p.seed),
              "padded": Trainer(p.spec, p.config, data, seed=p.seed, padded=True)}
        for t in ts.values():
            t.run(10)
        us = {k: [] for k in ts}
        for _ in range(turns):
            for k, t in ts.items():
                c0 = time.process_time()
                t.run(epochs)
                us[k].append((time.process_time() - c0) / epochs * 1e6)
        m = {k: statistics.median(v) for k, v in us.items()}
        out[name] = {"rows": ts["padded"].data_size[0], "unpadded_us": m["unpadded"],
                     "padded_us": m["padded"], "ratio": m["padded"] / m["unpadded"]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    print("load average at start:", os.getloadavg())
    d = delays(3 if a.quick else 7)
    print(f"click -> training goes on ({d['trials']} trials, medians):")
    print(f"  before (new problem, compile, epoch 0): {d['before_cpu_s'] * 1e3:8.1f} ms CPU "
          f"{d['before_wall_s'] * 1e3:8.1f} ms wall")
    print(f"  after (same padded size)              : {d['after_cpu_s'] * 1e3:8.1f} ms CPU "
          f"{d['after_wall_s'] * 1e3:8.1f} ms wall")
    print(f"  after, across a padded size (1 trial) : {d['across_cpu_s'] * 1e3:8.1f} ms CPU "
          f"{d['across_wall_s'] * 1e3:8.1f} ms wall")
    v = with_views(3 if a.quick else 7)
    print(f"  after, with hidden space, landscape, backprop, neuron maps shown ({v['trials']} "
          f"trials): {v['cpu_s'] * 1e3:8.1f} ms CPU {v['wall_s'] * 1e3:8.1f} ms wall")
    for name, c in epoch_cost(5 if a.quick else 15, 20000).items():
        print(f"per epoch, {name} (padded to {c['rows']}): unpadded {c['unpadded_us']:.2f} us, "
              f"padded {c['padded_us']:.2f} us CPU: x{c['ratio']:.3f}")
    print("load average at end:", os.getloadavg())


if __name__ == "__main__":
    main()
