"""Whether a big network's snapshot would be cheaper as one forward pass instead of three.

    python bench/snapshot_passes.py                       # 2-512x8-1 sigmoid, ~30 s
    python bench/snapshot_passes.py --hidden 512,512 --n 400

A snapshot of the notebook's moons (160 training, 40 test points) runs the network forward over
the training set and the test set (the metrics) and over the boundary's grid (12 x 12 points at
2-512x8-1): three passes of 160, 40 and 144 rows. One pass of the 344 rows stacked does the same
products with longer matrices. This times both, jitted, in turns (a turn of each after the
other, ``--turns`` times, ``--n`` calls a turn), and prints the medians in ms, wall and CPU
time, with the load average. ``network.forward`` is the app's one forward pass.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

from nnviz.core.network import NetworkSpec, forward, init_params

ROWS = (160, 40, 144)  # the training set, the test set, the 12 x 12 grid


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default=",".join(["512"] * 8), help="hidden widths (sigmoid)")
    p.add_argument("--n", type=int, default=200, help="calls a turn")
    p.add_argument("--turns", type=int, default=3)
    args = p.parse_args()
    hidden = tuple(int(v) for v in args.hidden.split(","))
    spec = NetworkSpec(hidden=hidden, activations=("sigmoid",) * len(hidden))
    params = init_params(spec, 0)
    rng = np.random.default_rng(0)
    sets = [jnp.asarray(rng.normal(size=(n, 2)).astype(np.float32)) for n in ROWS]

    three = jax.jit(lambda ps, a, b, c: (forward(spec, ps, a), forward(spec, ps, b),
                                          forward(spec, ps, c)))
    one = jax.jit(lambda ps, a, b, c: forward(spec, ps, jnp.concatenate([a, b, c])))
    # The same numbers either way (a row's products do not depend on the others').
    np.testing.assert_allclose(np.concatenate([np.asarray(v) for v in three(params, *sets)]),
                               np.asarray(one(params, *sets)), rtol=1e-5, atol=1e-6)

    def turn(f) -> tuple[list[float], list[float]]:
        jax.block_until_ready(f(params, *sets))
        wall, cpu = [], []
        for _ in range(args.n):
            t, c = time.perf_counter(), time.process_time()
            jax.block_until_ready(f(params, *sets))
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        return wall, cpu

    found: dict[str, list[float]] = {}
    load = [os.getloadavg()[0]]
    for _ in range(args.turns):
        for name, f in (("three_passes", three), ("one_pass", one)):
            wall, cpu = turn(f)
            found.setdefault(name + "_ms", []).append(round(1000 * statistics.median(wall), 2))
            found.setdefault(name + "_cpu_ms", []).append(round(1000 * statistics.median(cpu), 2))
    load.append(os.getloadavg()[0])
    out = {"hidden": args.hidden, "rows": ROWS,
           **{k: {"median": statistics.median(v), "turns": v} for k, v in found.items()},
           "load": [round(v, 2) for v in load]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
