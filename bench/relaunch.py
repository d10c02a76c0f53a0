"""A relaunch after a big problem, this tree beside another, taking turns (review r23 F7).

    python bench/relaunch.py                           # this tree alone, 3 turns
    python bench/relaunch.py --before /work/main       # this tree and another, in turns
    python bench/relaunch.py --samples 100000 --hidden 512 512 512 512   # (the defaults)

The last session ended on a big problem (the review's: moons, 100,000 points, 2-512x4-1 sigmoid,
glorot, lr 1, gd, full batch), which a plain ``nnviz`` restores. Each turn launches each tree
twice, in fresh processes, in an order that alternates from turn to turn:

- ``relaunch``: ``nnviz`` (as a user runs it), timed from before the process starts to its
  window's first paint (``paint_s``), to the first frame of the big run drawn
  (``first_frame_s``) and to the gradient row of its start in the run's record
  (``start_row_s``: measured beside the first frame where the tree has ``TrainLoop.start_row``,
  else before it: the first frame's time);
- ``open``: the same launch, and half a second after the first paint File > Open of a small
  session (tests/fixtures/sessions-v1/notebook-gd-e100.nnviz, as the menu's dialog opens it):
  ``open_s``, from the open to the session's first frame drawn.

Each tree has its own cache folder (jax's compiled programs, the generated data), filled by a
launch before the turns: the launches are warm, as a user's relaunch is. Prints one JSON object:
each tree's medians, every turn's figures and the load average before and after. The machine's
other load moves every figure: compare the trees' in the same run.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import _turns
from _proc import loadavg

CHILD = r"""
import json, os, sys, time
mode, small, t_start = sys.argv[1], sys.argv[2], float(sys.argv[3])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
got = {}

def window():
    for w in app.topLevelWidgets():
        if isinstance(w, QMainWindow) and hasattr(w, "worker"):
            return w

def report():
    print(json.dumps(got), flush=True)
    os._exit(0)

def watch():
    w = window()
    d = None if w is None else w._drawn
    if d is None or d.run_id != w._run_id:
        return
    if mode == "relaunch":
        if "first_frame_s" not in got:
            got["first_frame_s"] = time.time() - t_start
            got["shapes"] = d.spec.shapes_text()
            got["status"] = w._status_text[False]  # (the run's status line, "compiled in ...")
        row = getattr(w.worker.loop, "start_row", None)  # (None: measured before the frame)
        if row is None or row.done():
            got["start_row_s"] = time.time() - t_start
            report()
    elif "opened_at" in got and d.live_epoch == 100:
        got["open_s"] = time.time() - got.pop("opened_at")
        got["shapes"] = d.spec.shapes_text()
        report()

def open_small():
    got["opened_at"] = time.time()
    window().session_actions._open_reporting(small)

def first_paint():
    got["paint_s"] = time.time() - t_start
    if mode == "open":
        QTimer.singleShot(500, open_small)
""" + _turns.FIRST_PAINT + """
timer = QTimer()
timer.timeout.connect(watch)
timer.start(20)
from nnviz.cli import main
main([])
"""


def write_settings(path: str, samples: int, hidden: list[int]) -> None:
    """The settings a session that ended on the big problem leaves (SettingsMixin.work_settings)."""
    spec = {"input_dim": 2, "hidden": hidden, "activations": ["sigmoid"] * len(hidden),
            "output_dim": 1, "output_activation": "sigmoid", "init_scheme": "glorot",
            "features": []}
    work = {"data": {"name": "moons", "samples": samples, "noise": None, "seed": None,
                     "test_fraction": 0.2, "classes": 3},
            "network": spec, "training": {"loss": "mse", "optimizer": "gd",
                                          "learning_rate": 1.0, "batch_size": 0, "l1": 0.0,
                                          "l2": 0.0},
            "seed": 0, "speed": 0, "log_scale": False, "show_test": True, "discretize": False}
    text = json.dumps(json.dumps(work))  # the .ini's quoted string
    with open(path, "w") as f:
        f.write(f"[work]\nlast={text}\n")


def launch(tree: str, mode: str, env: dict, settings: str, args) -> dict:
    write_settings(settings, args.samples, args.hidden)  # (a window saves its own at exit)
    small = os.path.join(tree, "tests", "fixtures", "sessions-v1", "notebook-gd-e100.nnviz")
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, mode, small, repr(t0)], cwd=tree,
                         env={**env, "PYTHONPATH": tree, "NNVIZ_SETTINGS": settings},
                         capture_output=True, text=True, timeout=args.timeout)
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"{tree}: no result: {out.stdout[-500:]} {out.stderr[-2000:]}")


def main() -> int:
    p = _turns.parser(__doc__, turns=3)
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--hidden", type=int, nargs="+", default=[512, 512, 512, 512])
    p.add_argument("--timeout", type=float, default=600)
    args = p.parse_args()
    trees = _turns.trees(args)
    load_before = loadavg()
    runs: dict[str, dict[str, list]] = {name: {"relaunch": [], "open": []} for name in trees}
    with tempfile.TemporaryDirectory(prefix="nnviz-relaunch-") as tmp:
        envs = _turns.own_caches(_turns.environment(), trees, tmp)
        settings = os.path.join(tmp, "settings.ini")
        for name, tree in trees.items():  # the caches filled: warm launches from here on
            launch(tree, "relaunch", envs[name], settings, args)
        order = [(name, mode) for mode in ("relaunch", "open") for name in trees]
        for turn in range(args.turns):
            for name, mode in (order if turn % 2 == 0 else order[::-1]):
                got = launch(trees[name], mode, envs[name], settings, args)
                runs[name][mode].append(got)
                print(f"turn {turn} {name} {mode}: {got}", file=sys.stderr, flush=True)

    def median(name: str, mode: str, key: str) -> float:
        return round(statistics.median(r[key] for r in runs[name][mode]), 2)

    out = {"median_s": {name: {"paint": median(name, "relaunch", "paint_s"),
                               "first_frame": median(name, "relaunch", "first_frame_s"),
                               "start_row": median(name, "relaunch", "start_row_s"),
                               "open": median(name, "open", "open_s")} for name in trees},
           "runs": runs, "trees": trees, "turns": args.turns, "samples": args.samples,
           "hidden": args.hidden, "load_before": load_before, "load_after": loadavg()}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
