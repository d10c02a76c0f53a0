"""A/B: the training speed of two source trees of nnviz, measured side by side in one run.

    python bench/ab_engine.py OLD_TREE NEW_TREE [--rounds 5] [--epochs 20000]

Each round runs, in turn, a fresh process of each tree (PYTHONPATH set to it) that trains the
notebook's problem (moons, 2-4-10-4-1 sigmoid, MSE, gradient descent, lr 1.0) and Adam with
mini-batches of 32 for ``--epochs`` epochs after compiling, and prints epochs/s. Turns alternate,
so a busy machine slows both alike; the medians and their ratio are printed with the load
average. Make OLD_TREE with ``git worktree add /tmp/old <commit>``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.training import TrainConfig, Trainer
n = int(sys.argv[1])
data = make_dataset(DataSpec("moons"))
out = {}
for name, cfg in (("notebook", TrainConfig()), ("adam-batch32", TrainConfig("mse", "adam", 0.01, 32))):
    t = Trainer(NetworkSpec(), cfg, data)
    t.compile()
    t.run(2000)
    t0 = time.perf_counter()
    t.run(n)
    out[name] = n / (time.perf_counter() - t0)
print(json.dumps(out))
"""


def one(tree: str, epochs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree), NNVIZ_NO_COMPILE_CACHE="1")
    p = subprocess.run([sys.executable, "-c", CHILD, str(epochs)], env=env, capture_output=True,
                       text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=20000)
    args = p.parse_args()
    runs = {"old": [], "new": []}
    load0 = os.getloadavg()
    for _ in range(args.rounds):
        for label, tree in (("old", args.old), ("new", args.new)):
            runs[label].append(one(tree, args.epochs))
    out = {"load_average": [load0, os.getloadavg()], "rounds": args.rounds}
    for case in runs["old"][0]:
        old = statistics.median(r[case] for r in runs["old"])
        new = statistics.median(r[case] for r in runs["new"])
        out[case] = {"old_eps": round(old), "new_eps": round(new), "new/old": round(new / old, 3),
                     "old_runs": [round(r[case]) for r in runs["old"]],
                     "new_runs": [round(r[case]) for r in runs["new"]]}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
