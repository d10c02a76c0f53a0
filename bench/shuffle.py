"""What shuffling costs a mini-batch epoch.

    python bench/shuffle.py                     # 20,000 moons points, batch 32 and 256
    python bench/shuffle.py --points 2000 --batch 64

Trains the notebook's network (2-4-10-4-1 sigmoid, MSE, gd) on moons with mini-batches, with
four ways of ordering the points each epoch, taking turns (5 turns each, medians): the
shuffle nnviz uses (``training.shuffled_order``: a random affine walk, no sort), an argsort of
random bits, the earlier ``jax.random.permutation``, and no shuffle at all (one random order drawn once and used every
epoch: the same gathers, without the shuffle's cost; ``arange`` would let XLA read slices). Prints one JSON object: epochs/s of each, and the shuffle's share of an
epoch (1 - epochs/s shuffled / epochs/s fixed). Target (issue 16): <= 20% at 20,000 points.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

from nnviz.core import training
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.training import TrainConfig, Trainer

ORDERS = {
    "nnviz": training.shuffled_order,
    "argsort_bits": lambda key, n: jnp.argsort(jax.random.bits(key, (n,), jnp.uint32)),
    "permutation": lambda key, n: jax.random.permutation(key, n),
    # The same gathers from a random order drawn once: the epoch without the shuffle's work.
    "fixed": lambda key, n: jnp.asarray(np.random.default_rng(0).permutation(n), jnp.int32),
}


def epochs_per_second(data, batch: int, order, seconds: float) -> float:
    training.shuffled_order = order
    training._chunk_fn.cache_clear()
    t = Trainer(NetworkSpec(), TrainConfig(batch_size=batch), data, seed=0)
    t.compile()
    t.run(4)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        t.run(8)
        n += 8
    return n / (time.perf_counter() - t0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=20_000)
    p.add_argument("--batch", type=int, action="append")
    p.add_argument("--turns", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0)
    args = p.parse_args()
    original = training.shuffled_order
    data = make_dataset(DataSpec("moons", samples=args.points, test_fraction=0.0))
    out = {"points": args.points, "load_before": open("/proc/loadavg").read().split()[:3]}
    for batch in args.batch or [32, 256]:
        runs = {k: [] for k in ORDERS}
        for _ in range(args.turns):
            for name, order in ORDERS.items():
                runs[name].append(epochs_per_second(data, batch, order, args.seconds))
        med = {k: statistics.median(v) for k, v in runs.items()}
        out[f"batch_{batch}"] = {
            "epochs_per_second": med,
            "shuffle_share": {k: 1 - med[k] / med["fixed"]
                              for k in ("nnviz", "argsort_bits", "permutation")},
        }
    training.shuffled_order = original
    out["load_after"] = open("/proc/loadavg").read().split()[:3]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
