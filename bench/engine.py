"""Epochs per second of nnviz's training engine beside the notebook's loop and other engines.

    python bench/engine.py            # about a minute and a half on a 2-core machine
    python bench/engine.py --quick    # fewer epochs and repeats: ~30 s
    python bench/engine.py --json     # one JSON object instead of the tables

1. The notebook's workload: moons (200 points, all used for training), 2-4-10-4-1 with a sigmoid
   after every layer, mean squared error, plain gradient descent, learning rate 1.0. Every engine
   starts from the same N(0, 1) weights and zero biases. Engines (see _reference.py): the
   notebook's own loop (its cells, copied), a hand-written numpy loop, a plain PyTorch CPU loop
   (a row says "skipped" when torch is not installed: ``pip install -e .[bench]``), scikit-learn's
   MLPClassifier, and nnviz's ``Trainer.run`` (compilation excluded; it happens once per network).
   The engines take turns within each repeat, so a busy machine slows them alike; the figures
   are medians over the repeats and the ratios are taken between medians of the same run.
2. The large case: 2-256-256-256-1 sigmoid on 10,000 moons points, the same loss and optimiser.
   FLOPs of an epoch = 3 x the forward pass's matmul FLOPs (2 x N x in x out per layer; the
   backward pass does two matmuls of the same size per layer: the gradient of the weights and
   the one passed down), element-wise work not counted. Beside it, in the same run: a float32
   matmul with jax and with numpy, at the network's own shape (10000x256 @ 256x256) and a large
   square one (2048^3); nnviz's rate is given as a percentage of the best of them.

Targets (issue 7): >= 1000x the notebook's loop, >= 10x PyTorch, >= 5x the numpy loop on the
notebook's workload; >= 50% of the measured matmul rate on the large case.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402

import _reference as ref  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.network import NetworkSpec  # noqa: E402
from nnviz.core.training import TrainConfig, Trainer  # noqa: E402

SMALL_SIZES = (2, 4, 10, 4, 1)
LARGE_SIZES = (2, 256, 256, 256, 1)
LARGE_POINTS = 10_000
LR = 1.0
WEIGHT_SEED = 1

TARGETS = {"notebook": 1000.0, "torch": 10.0, "numpy": 5.0}  # nnviz / engine, at least
# ("torch" is the faster of PyTorch's two rows: one thread, or its default of one per core)
MATMUL_TARGET = 0.5  # nnviz's large-case GFLOP/s / the best matmul's, at least


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {"python": platform.python_version(), "jax": jax.__version__,
                "numpy": np.__version__, "scikit-learn": sklearn.__version__,
                "torch": ref.torch_version()}
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "cores": os.cpu_count(), "versions": versions,
            "load_before": os.getloadavg()[0]}


def network(sizes, points: int | None):
    data = make_dataset(DataSpec("moons", samples=points, test_fraction=0))
    spec = NetworkSpec(sizes[0], sizes[1:-1], ("sigmoid",) * (len(sizes) - 2), sizes[-1],
                       "sigmoid")
    return data, spec


def nnviz_trainer(spec, data, w, b) -> Trainer:
    trainer = Trainer(spec, TrainConfig("mse", "gd", LR), data, params=list(zip(w, b)))
    trainer.compile()
    trainer.run(10)  # first run: buffers allocated, slices of the loss buffer compiled
    return trainer


def time_nnviz(trainer: Trainer, epochs: int) -> tuple[float, np.ndarray]:
    trainer.restart()
    t = time.perf_counter()
    losses = trainer.run(epochs).losses
    return time.perf_counter() - t, losses


def small_case(repeats: int, quick: bool) -> dict:
    data, spec = network(SMALL_SIZES, None)
    X, y = data.X, data.y
    w, b = ref.notebook_weights(SMALL_SIZES, WEIGHT_SEED)
    epochs = {"notebook": 50 if quick else 150, "numpy": 2000 if quick else 4000,
              "torch": 1000 if quick else 2000, "torch_default": 1000 if quick else 2000,
              "sklearn": 1000 if quick else 2000, "nnviz": 16384 if quick else 40960}
    have_torch = ref.torch_version() is not None
    trainer = nnviz_trainer(spec, data, w, b)

    # Same arithmetic? nnviz's losses against the notebook loop's, epoch by epoch.
    check = 30 if quick else 100
    nb = ref.notebook_losses(w, b, X, y, check, LR)
    trainer.restart()
    ours = trainer.run(check).losses
    parity = float(np.max(np.abs(ours - nb) / nb))

    runs = {
        "notebook": lambda n: ref.run_notebook(w, b, X, y, n, LR)[0],
        "numpy": lambda n: ref.run_numpy(w, b, X, y, n, LR),
        # torch's default (a thread per core) collapses when the machine is busy, and one
        # thread is faster on this tiny network anyway: both are measured, the faster counts.
        "torch": (lambda n: ref.run_torch(w, b, X, y, n, LR, threads=1)) if have_torch else None,
        "torch_default": ((lambda n: ref.run_torch(w, b, X, y, n, LR)) if have_torch
                          else None),
        "sklearn": lambda n: ref.run_sklearn(w, b, X, y, n, LR),
        "nnviz": lambda n: time_nnviz(trainer, n),
    }
    for name in ("numpy", "torch", "torch_default", "sklearn"):  # warm-up: first-call costs
        if runs[name]:
            runs[name](20)
    rates: dict[str, list[float]] = {k: [] for k, f in runs.items() if f}
    last_loss: dict[str, float] = {}
    nnviz_losses = None
    for _ in range(repeats):
        for name, f in runs.items():
            if f is None:
                continue
            out = f(epochs[name])
            seconds = out[0] if isinstance(out, tuple) else out
            rates[name].append(epochs[name] / seconds)
            if name in ("numpy", "torch", "torch_default"):
                last_loss[name] = float(out[1])
            if name == "nnviz":
                nnviz_losses = out[1]
    medians = {k: statistics.median(v) for k, v in rates.items()}
    labels = {"notebook": "the notebook's loop (its cells, jax grads)",
              "numpy": "numpy, forward + backprop by hand",
              "torch": "PyTorch CPU loop, 1 thread",
              "torch_default": "PyTorch CPU loop, default threads",
              "sklearn": "scikit-learn MLPClassifier (sgd)",
              "nnviz": "nnviz Trainer.run"}
    # The torch target applies to the faster of its two rows.
    targets = dict(TARGETS)
    if "torch" in medians and medians["torch_default"] > medians["torch"]:
        targets["torch_default"] = targets.pop("torch")
    rows = []
    for name in ("notebook", "numpy", "torch", "torch_default", "sklearn", "nnviz"):
        if name == "torch_default" and not have_torch:
            continue
        row = {"engine": name, "label": labels[name], "epochs_per_run": epochs[name]}
        if name not in medians:
            row["skipped"] = "torch not installed"
        else:
            row["epochs_per_second"] = medians[name]
            row["all"] = rates[name]
            row["nnviz_ratio"] = medians["nnviz"] / medians[name]
            if name in targets:
                row["target"] = targets[name]
                row["met"] = row["nnviz_ratio"] >= targets[name]
            if name in last_loss:  # same MSE, same start: the loss after as many nnviz epochs
                row["loss_check"] = {"epoch": epochs[name], "engine": last_loss[name],
                                     "nnviz": float(nnviz_losses[epochs[name] - 1])}
        rows.append(row)
    return {"workload": "moons 200 points (all train), 2-4-10-4-1 sigmoid, MSE, gd, lr 1.0",
            "repeats": repeats, "parity_epochs": check, "parity_max_rel_diff": parity,
            "rows": rows}


def matmul_rate(f, a, b_, repeats: int) -> float:
    f(a, b_)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f(a, b_)
        times.append(time.perf_counter() - t)
    m, k = a.shape
    n = b_.shape[1]
    return 2 * m * k * n / statistics.median(times) / 1e9


def large_case(repeats: int, quick: bool) -> dict:
    data, spec = network(LARGE_SIZES, LARGE_POINTS)
    w, b = ref.notebook_weights(LARGE_SIZES, WEIGHT_SEED)
    trainer = nnviz_trainer(spec, data, w, b)
    epochs = 5 if quick else 10
    forward = 2 * LARGE_POINTS * sum(a * c for a, c in zip(LARGE_SIZES[:-1], LARGE_SIZES[1:]))
    per_epoch = 3 * forward

    jmm = jax.jit(jnp.matmul)
    shapes = {"layer": ((LARGE_POINTS, 256), (256, 256)), "square": ((2048, 2048), (2048, 2048))}
    rng = np.random.default_rng(0)
    arrays = {k: [rng.standard_normal(s).astype(np.float32) for s in v] for k, v in shapes.items()}
    jarrays = {k: [jnp.asarray(x) for x in v] for k, v in arrays.items()}
    mm = {f"jax {k}": (lambda a, c: jmm(a, c).block_until_ready(), jarrays[k]) for k in shapes}
    mm.update({f"numpy {k}": (np.matmul, arrays[k]) for k in shapes})
    rates: dict[str, list[float]] = {"nnviz": [], **{k: [] for k in mm}}
    for _ in range(repeats):  # take turns, as in the small case
        seconds, _ = time_nnviz(trainer, epochs)
        rates["nnviz"].append(per_epoch * epochs / seconds / 1e9)
        for name, (f, (a, c)) in mm.items():
            rates[name].append(matmul_rate(f, a, c, 3 if quick else 5))
    med = {k: statistics.median(v) for k, v in rates.items()}
    best = max((k for k in mm), key=lambda k: med[k])
    return {"workload": "moons 10000 points, 2-256-256-256-1 sigmoid, MSE, gd, lr 1.0",
            "flops_per_epoch": per_epoch, "flop_count": "3 x forward matmul FLOPs",
            "repeats": repeats, "epochs_per_run": epochs,
            "nnviz_gflops": med["nnviz"], "nnviz_epochs_per_second": med["nnviz"] * 1e9 / per_epoch,
            "matmul_gflops": {k: med[k] for k in mm}, "best_matmul": best,
            "fraction_of_best_matmul": med["nnviz"] / med[best], "target": MATMUL_TARGET,
            "met": med["nnviz"] / med[best] >= MATMUL_TARGET, "all": rates}


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def print_report(r: dict) -> None:
    m = r["machine"]
    v = m["versions"]
    print(f"nnviz engine benchmark, {m['date']}, {m['cpu']} ({m['cores']} cores), "
          f"load average {m['load_before']:.1f} before, {m['load_after']:.1f} after")
    print("  " + ", ".join(f"{k} {v[k]}" for k in v if v[k]))
    s = r["small"]
    print(f"\nThe notebook's workload: {s['workload']} "
          f"(median of {s['repeats']} turns each)")
    print(f"  {'engine':44s} {'epochs/s':>10s} {'nnviz is':>10s}   target")
    for row in s["rows"]:
        if "skipped" in row:
            print(f"  {row['label']:44s}   skipped: {row['skipped']}")
            continue
        ratio = row["nnviz_ratio"]
        ratio_text = "" if row["engine"] == "nnviz" else f"{ratio:,.1f}x"
        target = ""
        if "target" in row:
            target = f">= {row['target']:g}x  {'met' if row['met'] else 'NOT MET'}"
        print(f"  {row['label']:44s} {fmt_rate(row['epochs_per_second']):>10s} "
              f"{ratio_text:>10s}   {target}")
    print(f"  same arithmetic: nnviz's loss vs the notebook loop's at each of "
          f"{s['parity_epochs']} epochs from the same weights: max relative difference "
          f"{s['parity_max_rel_diff']:.1e}")
    for row in s["rows"]:
        if "loss_check" in row:
            c = row["loss_check"]
            print(f"  loss at epoch {c['epoch']}: {row['engine']} {c['engine']:.6f}, "
                  f"nnviz {c['nnviz']:.6f}")
    if "large" in r:
        g = r["large"]
        print(f"\nThe large case: {g['workload']} (median of {g['repeats']} turns each)")
        print(f"  nnviz training: {g['nnviz_epochs_per_second']:.1f} epochs/s = "
              f"{g['nnviz_gflops']:.0f} GFLOP/s, counting {g['flop_count']} = "
              f"{g['flops_per_epoch'] / 1e9:.2f} GFLOP per epoch")
        for k, x in g["matmul_gflops"].items():
            shape = "10000x256 @ 256x256" if k.endswith("layer") else "2048x2048 @ 2048x2048"
            print(f"  float32 matmul, {k.split()[0]:5s} {shape:22s} {x:6.0f} GFLOP/s")
        print(f"  nnviz reaches {100 * g['fraction_of_best_matmul']:.0f}% of the best matmul "
              f"rate ({g['best_matmul']}); target >= {100 * g['target']:.0f}%  "
              f"{'met' if g['met'] else 'NOT MET'}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--repeats", type=int, default=None, help="turns per engine (default 5, "
                   "3 with --quick)")
    p.add_argument("--no-large", action="store_true", help="skip the large case")
    args = p.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 5)
    if repeats < 1:
        p.error("--repeats must be at least 1")
    report = {"machine": machine(), "command": "python bench/engine.py " + " ".join(
        sys.argv[1:] if argv is None else argv)}
    report["small"] = small_case(repeats, args.quick)
    if not args.no_large:
        report["large"] = large_case(repeats, args.quick)
    report["machine"]["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
