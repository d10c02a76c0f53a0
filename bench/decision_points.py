"""The decision plot's points at 100,000 (the dark theme's hollow test points, dark7): CPU time of
``DecisionPlot.set_dataset`` (styles, thinning, shared brushes and pens) and of the first paint
of the points after it, medians; A/B against another tree in turns, each in its own process.

    python bench/decision_points.py [--base /path/to/other/tree] [--turns 5] [--theme dark]
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nnviz.core.data import DataSpec, make_dataset
from nnviz.gui import colors
from nnviz.gui.boundary_plot import DecisionPlot
colors.set_look(sys.argv[1])
data = make_dataset(DataSpec("moons", samples=100_000, test_fraction=0.2))
plot = DecisionPlot(); plot.resize(900, 700); plot.show(); app.processEvents()
c0 = time.process_time(); plot.set_dataset(data); c1 = time.process_time()
plot.grab(); c2 = time.process_time()
print(json.dumps({"set": c1 - c0, "paint": c2 - c1,
                  "pens": len({id(p) for p in plot.test_points.data["pen"]})}))
os._exit(0)
"""


def one(tree: str, theme: str) -> dict:
    env = dict(os.environ, PYTHONPATH=tree)
    out = subprocess.run([sys.executable, "-c", CHILD, theme], env=env, capture_output=True,
                         text=True, check=True, cwd=tree).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", help="another nnviz tree to compare with (in turns)")
    p.add_argument("--turns", type=int, default=5)
    p.add_argument("--theme", default="dark")
    args = p.parse_args()
    trees = {"this": HERE, **({"base": os.path.abspath(args.base)} if args.base else {})}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(args.turns):
        for name, tree in trees.items():
            runs[name].append(one(tree, args.theme))
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    print(f"load average {' '.join(load)}; {args.turns} turns; theme {args.theme}")
    for name, rs in runs.items():
        print(f"{name:5s} set_dataset {statistics.median(r['set'] for r in rs) * 1e3:7.1f} ms CPU"
              f"   first paint {statistics.median(r['paint'] for r in rs) * 1e3:7.1f} ms CPU"
              f"   test pens {rs[0]['pens']}")


if __name__ == "__main__":
    main()
