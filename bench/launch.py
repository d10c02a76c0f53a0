"""Launch to a painted window, this tree beside another, taking turns (issue 16's launch target).

    python bench/launch.py                          # this tree alone, 5 turns
    python bench/launch.py --before /work/main      # this tree and another, taking turns
    python bench/launch.py --turns 7 --no-bytecode  # nnviz's .py compiled at every start

Each turn runs, in fresh processes and in an order that alternates from turn to turn: the bare
imports nnviz cannot avoid (``python -c "import jax, PySide6.QtWidgets, pyqtgraph"``), then the
window of each tree (``nnviz.cli.main([])``, as a user runs ``nnviz``), timed from before the
process starts to the end of the main window's first paint (as ``bench/gui.py``'s
``launch_ms``). The launches are warm: each tree's first launch, which fills the caches (jax's
compiled code, the generated data, Python's bytecode), is left out. Prints one JSON object: the
medians, each tree's median over the bare imports' median of the same run (``vs_imports``;
target <= 1.6), every turn's figures and the load average before and after. The CPU time of each
process (user + system, all its threads, up to its exit at the first paint) is reported beside
the wall time: on a loaded machine it moves less (``cpu_vs_imports``).

Python's bytecode: a user's installed nnviz has its ``.pyc`` files (pip writes them; an editable
install writes them at the first start). Where PYTHONDONTWRITEBYTECODE is set (this project's
shared machine sets it), every start would compile nnviz's ~100 modules from source (~0.2 s), so
the launches write and read their bytecode under a temporary PYTHONPYCACHEPREFIX instead, the
bare imports too (the trees' own folders stay untouched). ``--no-bytecode`` keeps the
environment as it is.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import _turns
from _proc import loadavg

IMPORTS = "import jax, PySide6.QtWidgets, pyqtgraph"

CHILD = r"""
import json, os, sys, time
t_start = float(sys.argv[-1])
from nnviz.cli import main
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])

def report():
    print(json.dumps({"launch_ms": 1000 * (time.time() - t_start)}), flush=True)
    os._exit(0)

def first_paint():
    QTimer.singleShot(0, report)  # after this paint and the rest queued with it
""" + _turns.FIRST_PAINT + """
main([])
"""


def _run(cmd: list[str], **kw) -> tuple[float, float, str, str]:
    """Run to the exit: (wall ms from before the start, CPU ms of the process, stdout, stderr).
    ``cmd`` gets the start time as its last argument."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    out = subprocess.run([*cmd, repr(t0)], capture_output=True, text=True, timeout=300, **kw)
    wall = 1000 * (time.time() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = 1000 * (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu, out.stdout, out.stderr


def launch(tree: str, env: dict) -> tuple[float, float]:
    """(ms to the end of the window's first paint, CPU ms of the process up to its exit there)."""
    _, cpu, out, err = _run([sys.executable, "-c", CHILD], cwd=tree,
                            env={**env, "PYTHONPATH": tree})
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            return json.loads(line)["launch_ms"], cpu
    raise RuntimeError(f"{tree}: no result: {out[-500:]} {err[-2000:]}")


def imports(env: dict) -> tuple[float, float]:
    wall, cpu, _, _ = _run([sys.executable, "-c", IMPORTS], env=env)
    return wall, cpu


def main() -> int:
    p = _turns.parser(__doc__, turns=5)
    p.add_argument("--no-bytecode", action="store_true",
                   help="leave PYTHONDONTWRITEBYTECODE as the environment has it")
    args = p.parse_args()
    trees = _turns.trees(args)
    load_before = loadavg()
    with tempfile.TemporaryDirectory(prefix="nnviz-launch-") as tmp:
        env = _turns.environment()
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pyc")
        envs = _turns.own_caches(env, trees, tmp)
        imports(env)  # fills the bytecode of the bare imports
        first = {name: launch(tree, envs[name])[0] for name, tree in trees.items()}
        wall: dict[str, list[float]] = {"imports": [], **{name: [] for name in trees}}
        cpu: dict[str, list[float]] = {name: [] for name in wall}
        order = ["imports", *trees]
        for turn in range(args.turns):
            for name in (order if turn % 2 == 0 else order[::-1]):
                w, c = imports(env) if name == "imports" else launch(trees[name], envs[name])
                wall[name].append(w)
                cpu[name].append(c)
    med = {name: statistics.median(v) for name, v in wall.items()}
    med_cpu = {name: statistics.median(v) for name, v in cpu.items()}
    out = {"median_ms": med,
           "vs_imports": {name: med[name] / med["imports"] for name in trees},
           "median_cpu_ms": med_cpu,
           "cpu_vs_imports": {name: med_cpu[name] / med_cpu["imports"] for name in trees},
           "first_launch_ms": first, "wall_ms": wall, "cpu_ms": cpu, "trees": trees,
           "turns": args.turns, "bytecode": not args.no_bytecode,
           "target_vs_imports": "<= 1.6", "load_before": load_before, "load_after": loadavg()}
    if "before" in trees:
        out["this_over_before"] = med["this"] / med["before"]
        out["cpu_this_over_before"] = med_cpu["this"] / med_cpu["before"]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
