"""What shuffling costs a mini-batch epoch: nnviz's shuffle now beside main's, side by side.

    python bench/shuffle.py                          # 2,000 / 20,000 / 100,000 points, batch 32, 256
    python bench/shuffle.py --points 20000 --batch 32 --turns 5

Trains the notebook's network (2-4-10-4-1 sigmoid, MSE, gd) on moons with mini-batches, with
each way of ordering the points each epoch compiled once, then run in turns (each turn runs every
order once, for ``--seconds``; medians over ``--turns``):

- ``now``: ``nnviz.core.shuffle.shuffled_order``, a keyed Feistel permutation with cycle walking;
- ``main``: the affine walk ``(a * j + b) mod 2^k`` this replaced (a copy of main's function);
- ``argsort_bits``: an argsort of random bits (a uniform permutation by a sort);
- ``permutation``: ``jax.random.permutation`` (what nnviz used first);
- ``fixed``: one random order drawn once and used every epoch: the same gathers without any
  shuffling work (``arange`` would let XLA read slices).

Times are CPU seconds of this process per epoch (``time.process_time``: the machine is shared,
and CPU time is less disturbed by the other jobs than the wall clock); the shuffle's share of an
epoch is ``1 - t(fixed) / t(order)``. A second figure, measured apart from training, is the
shuffle alone: ``--shuffles`` orders drawn in one compiled loop, CPU time per order, divided
by the epoch's time. Prints one JSON object with the load average before and after.
Target (issue 16): the shuffle <= 20% of an epoch at 20,000 points.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _proc import loadavg  # noqa: E402

from nnviz.core import shuffle, training  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.network import NetworkSpec  # noqa: E402
from nnviz.core.training import TrainConfig, Trainer  # noqa: E402


def main_affine_walk(key, n):
    """main's shuffled_order before this change (859524f), copied: (a*j + b) mod 2^k, the
    values below n in that order."""
    k = max(1, (n - 1).bit_length())
    ka, kb = jax.random.split(key)
    a = jax.random.bits(ka, (), jnp.uint32) | jnp.uint32(1)
    b = jax.random.bits(kb, (), jnp.uint32)
    j = jnp.arange(1 << k, dtype=jnp.uint32)
    walk = (a * j + b) & jnp.uint32((1 << k) - 1)
    return walk[jnp.nonzero(walk < n, size=n)[0]].astype(jnp.int32)


def _fixed(n):
    order = np.random.default_rng(0).permutation(n).astype(np.int32)
    return lambda key, n: jnp.asarray(order)


ORDERS = {
    "now": shuffle.shuffled_order,
    "main": main_affine_walk,
    "argsort_bits": lambda key, n: jnp.argsort(jax.random.bits(key, (n,), jnp.uint32)).astype(jnp.int32),
    "permutation": lambda key, n: jax.random.permutation(key, n).astype(jnp.int32),
}


def trainer_for(data, batch: int, order) -> Trainer:
    """A Trainer whose compiled epochs use ``order``: its own chunk runner, built and traced
    while ``training.shuffled_order`` is ``order`` (not the per-problem cache's: a cache_clear
    releases the other trainers' executables, and a re-trace would take the order of the day)."""
    training.shuffled_order = order
    t = Trainer(NetworkSpec(), TrainConfig(batch_size=batch), data, seed=0)
    t._run, t._opt = training._chunk_fn.fn(*t._shape_key(), len(data.train_index))
    t.compile()
    t.run(2)
    return t


def cpu_per_epoch(t: Trainer, seconds: float) -> float:
    n, w0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - w0 < seconds or n == 0:
        t.run(4)
        n += 4
    return (time.process_time() - c0) / n


def shuffle_alone(order, n: int, reps: int) -> float:
    """CPU seconds per order drawn, ``reps`` of them in one compiled loop."""
    @jax.jit
    def many(key):
        def body(i, c):
            key, acc = c
            key, sub = jax.random.split(key)
            return key, acc + order(sub, n)[: n // 2].sum()  # every entry read: none skipped
        return jax.lax.fori_loop(0, reps, body, (key, jnp.int32(0)))
    jax.block_until_ready(many(jax.random.PRNGKey(0)))
    c0 = time.process_time()
    jax.block_until_ready(many(jax.random.PRNGKey(1)))
    return (time.process_time() - c0) / reps


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, action="append")
    p.add_argument("--batch", type=int, action="append")
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--seconds", type=float, default=0.6)
    p.add_argument("--shuffles", type=int, default=20)
    p.add_argument("--orders", default=",".join(ORDERS),
                   help="the orders beside 'fixed', comma separated")
    args = p.parse_args()
    names = [o for o in args.orders.split(",") if o]
    original = training.shuffled_order
    out = {"load_before": loadavg(), "jax": jax.__version__,
           "measure": "CPU seconds per epoch, medians of turns"}
    try:
        for points in args.points or [2000, 20_000, 100_000]:
            data = make_dataset(DataSpec("moons", samples=points, test_fraction=0.0))
            for batch in args.batch or [32, 256]:
                orders = {k: ORDERS[k] for k in names} | {"fixed": _fixed(points)}
                trainers = {k: trainer_for(data, batch, o) for k, o in orders.items()}
                runs = {k: [] for k in orders}
                for _ in range(args.turns):
                    for k, t in trainers.items():
                        runs[k].append(cpu_per_epoch(t, args.seconds))
                med = {k: statistics.median(v) for k, v in runs.items()}
                alone = {k: shuffle_alone(orders[k], points, args.shuffles) for k in names}
                out[f"{points}_points_batch_{batch}"] = {
                    "ms_per_epoch": {k: round(1e3 * v, 3) for k, v in med.items()},
                    "shuffle_share": {k: round(1 - med["fixed"] / med[k], 3) for k in names},
                    "shuffle_alone_ms": {k: round(1e3 * v, 3) for k, v in alone.items()},
                    "shuffle_alone_share": {k: round(alone[k] / med[k], 3) for k in names},
                }
                print(json.dumps({f"{points}_points_batch_{batch}":
                                  out[f"{points}_points_batch_{batch}"]}), file=sys.stderr,
                      flush=True)
    finally:
        training.shuffled_order = original
    out["load_after"] = loadavg()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
