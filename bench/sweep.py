"""Member-epochs per second of a sweep beside one run, sequential runs and PyTorch.

    python bench/sweep.py            # a minute or two on a 2-core machine
    python bench/sweep.py --quick    # fewer epochs and repeats
    python bench/sweep.py --json     # one JSON object instead of the table

The notebook's workload: moons (200 points, all used for training), 2-4-10-4-1 with a sigmoid
after every layer, mean squared error, plain gradient descent, learning rate 1.0. A sweep's
members differ in their initial weights (``init_seed``: the notebook's network from 16 or 64
draws), so they share the data and train in one vmapped call per chunk. Rows, each in
member-epochs per second (members x epochs / seconds; compilation excluded):

- one run: ``Trainer.run`` (what ``nnviz train`` does);
- sweeps of 16 and 64 members: ``Sweep.advance`` as ``nnviz sweep`` runs it (``record=False``),
  and the 16-member sweep with its run logs (checkpoints, test loss: as the window records);
- 16 sequential runs: 16 Trainers (one compile), one after the other;
- 16 PyTorch runs: bench/_reference.py's plain CPU loop on one thread (its fastest on a busy
  2-core machine), one after the other ("skipped" when torch is not installed:
  ``pip install -e .[bench]``).

The engines take turns within each repeat, so a busy machine slows them alike; the figures are
medians over the repeats and the ratios are taken between medians of the same run. Beside the
wall-clock rates, member-epochs per CPU-second of this process (all its threads): on a shared
machine the wall clock also counts the time other processes had the cores.

Targets (issue 12): the 16-member sweep >= 8x one run, the 64-member sweep >= 20x.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import numpy as np  # noqa: E402

import _reference as ref  # noqa: E402
from _proc import loadavg  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.problem import Choices, make_problem  # noqa: E402
from nnviz.core.sweep import Axis, Sweep, SweepSpec  # noqa: E402

TARGETS = {"sweep 16": 8.0, "sweep 64": 20.0}  # x one run's member-epochs/s, at least


def notebook():
    return make_problem(make_dataset(DataSpec("moons", test_fraction=0)), Choices())


def measure(epochs: int, torch_epochs: int, repeats: int) -> dict:
    base = notebook()
    one = base.make_trainer()
    one.compile()
    sweeps = {}
    for n, record in ((16, False), (64, False), (16, True)):
        s = Sweep(SweepSpec(base, (Axis("init_seed", tuple(range(n))),)), record=record)
        s.compile()
        s.advance(1)
        sweeps[f"sweep {n}" + (" recorded" if record else "")] = (s, n)
    trainers = []
    for seed in range(16):
        t = make_problem(base.dataset, Choices(), init_seed=seed).make_trainer()
        t.compile()
        trainers.append(t)
    torch_ok = ref.torch_version() is not None
    X = np.asarray(base.dataset.X_train, np.float32)
    y = np.asarray(base.dataset.y_train)
    draws = [[(np.asarray(w), np.asarray(b)) for w, b in t.initial_params] for t in trainers]

    names = ("one run", *sweeps, "16 sequential runs", "16 PyTorch runs")
    rates: dict[str, list[float]] = {k: [] for k in names}
    cpu_rates: dict[str, list[float]] = {k: [] for k in names}

    def timed(name, member_epochs, fn):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        rates[name].append(member_epochs / (time.perf_counter() - w0))
        cpu_rates[name].append(member_epochs / (time.process_time() - c0))

    for _ in range(repeats):
        timed("one run", epochs, lambda: jax.block_until_ready(one.run(epochs) and one.state))
        for name, (s, n) in sweeps.items():
            timed(name, n * epochs, lambda s=s: s.advance(epochs))
        timed("16 sequential runs", 16 * epochs,
              lambda: jax.block_until_ready([t.run(epochs) for t in trainers][-1]
                                            and trainers[-1].state))
        if torch_ok:
            timed("16 PyTorch runs", 16 * torch_epochs,
                  lambda: [ref.run_torch([w for w, _ in d], [b for _, b in d], X, y,
                                         torch_epochs, 1.0, threads=1) for d in draws])
    med = {k: statistics.median(v) if v else None for k, v in rates.items()}
    cpu = {k: statistics.median(v) if v else None for k, v in cpu_rates.items()}
    ratios = {k: (v / med["one run"] if v else None) for k, v in med.items()}
    cpu_ratios = {k: (v / cpu["one run"] if v else None) for k, v in cpu.items()}
    return {"member_epochs_per_second": med, "x_one_run": ratios,
            "member_epochs_per_cpu_second": cpu, "x_one_run_cpu": cpu_ratios,
            "targets": {k: {"target": v, "met": ratios[k] >= v} for k, v in TARGETS.items()},
            "torch": ref.torch_version(), "epochs": epochs, "torch_epochs": torch_epochs,
            "repeats": repeats, "devices": [str(d) for d in jax.devices()]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    p.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = p.parse_args()
    before = loadavg()
    epochs, torch_epochs, repeats = (2000, 200, 3) if args.quick else (5000, 500, 7)
    out = measure(epochs, torch_epochs, repeats)
    out["load_average"] = {"before": before, "after": loadavg()}
    out["cores"] = os.cpu_count()
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"notebook workload, {epochs} epochs per repeat (PyTorch {torch_epochs}), median of "
          f"{repeats}; {os.cpu_count()} cores; load average {before} -> {out['load_average']['after']}")
    print(f"{'':24}{'member-epochs/s':>16}{'x one run':>11}{'per CPU-second':>16}{'x one run':>11}")
    for k, v in out["member_epochs_per_second"].items():
        if v is None:
            print(f"{k:24}{'skipped: torch not installed':>27}")
            continue
        target = TARGETS.get(k)
        note = f"  (target >= {target:g}x: {'met' if out['x_one_run'][k] >= target else 'NOT met'})" \
            if target else ""
        print(f"{k:24}{v:>16,.0f}{out['x_one_run'][k]:>10.2f}x"
              f"{out['member_epochs_per_cpu_second'][k]:>16,.0f}{out['x_one_run_cpu'][k]:>10.2f}x"
              f"{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
