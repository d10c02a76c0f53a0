"""Where the training thread's time goes: bench/gui.py run with the worker loop's parts timed.

    python bench/worker_time.py --hidden 512,512,512,512,512,512,512,512 --views main \\
        --steady-only --seconds 8 --turns 1
    python bench/worker_time.py --points 100000 --views gradients --steady-only --turns 1

Takes bench/gui.py's arguments and prints its JSON object on stdout; on stderr, per loop (the
headless one, ``head``: no grid; the window's, ``win``), each part's calls, wall time (and its
share of ``work_once``'s, which includes the window loop's waits while paused between phases:
the shares of a playing run are larger) and the calling thread's CPU per call: the epochs
(``train``, with the checkpoints' gradient rows and test losses inside), the test loss between
snapshots, the snapshot (``make_snapshot``: the metrics, the grid's prediction, each view's
probe) and ``publish_now`` (the snapshot and handing it to the window: the difference is the
hand-over). XLA's own threads are not in the CPU figures; a jax call's wall time is.
"""
from __future__ import annotations

import collections
import os
import runpy
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.argv = [os.path.join(HERE, "gui.py")] + sys.argv[1:]

import nnviz.core.loop as L  # noqa: E402
import nnviz.core.training as T  # noqa: E402

stats: dict = collections.defaultdict(lambda: [0, 0.0, 0.0])  # (loop, part) -> n, wall, cpu
_local = threading.local()


def _kind() -> str:
    loop = getattr(_local, "loop", None)
    return "?" if loop is None else "head" if loop.grid_points is None else "win"


def _add(label: str, t0: float, c0: float) -> None:
    s = stats[(_kind(), label)]
    s[0] += 1
    s[1] += time.perf_counter() - t0
    s[2] += time.thread_time() - c0


def _wrap(owner, name: str, label: str, sets_loop: bool = False) -> None:
    original = getattr(owner, name)

    def timed(*a, **k):
        if sets_loop:
            _local.loop = a[0]
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return original(*a, **k)
        finally:
            _add(label, t0, c0)
    setattr(owner, name, timed)


_wrap(L.TrainLoop, "work_once", "work_once", sets_loop=True)
_wrap(L.TrainLoop, "_run_epochs", "  train")
_wrap(L.TrainLoop, "_record_test", "  record_test")
_wrap(L.TrainLoop, "_publish_now", "  publish_now")
_wrap(L.TrainLoop, "make_snapshot", "    make_snapshot")
_wrap(T.Trainer, "evaluate", "      evaluate")
_wrap(T.Trainer, "predict_for_drawing", "      grid predict")
_wrap(L, "drawing_layers", "      grid drawing_layers")
_run_probes = L.TrainLoop._run_probes


def _timed_probes(self, model, answer):
    for name, fn in list(self.probes.items()):
        if not getattr(fn, "_timed", False):
            def timed(*a, _fn=fn, _name=name, **k):
                t0, c0 = time.perf_counter(), time.thread_time()
                try:
                    return _fn(*a, **k)
                finally:
                    _add("      probe " + _name, t0, c0)
            timed._timed = True
            timed.probe = getattr(fn, "probe", fn)  # (inspect.shares_grid looks at it)
            self.probes[name] = timed
    return _run_probes(self, model, answer)


L.TrainLoop._run_probes = _timed_probes


def report() -> None:
    for kind in ("head", "win"):
        total = stats[(kind, "work_once")][1] or 1.0
        print(f"--- {kind}", file=sys.stderr)
        for (k, label), (n, wall, cpu) in stats.items():
            if k == kind:
                print(f"{label:30s} n={n:6d} wall={wall:8.3f}s ({100 * wall / total:5.1f}%) "
                      f"{1000 * wall / max(n, 1):8.2f} ms/call, cpu {1000 * cpu / max(n, 1):7.2f}"
                      " ms/call", file=sys.stderr)
    sys.stderr.flush()


_exit = os._exit


def _reporting_exit(code):  # bench/gui.py ends with os._exit
    sys.stdout.flush()
    report()
    _exit(code)


os._exit = _reporting_exit
runpy.run_path(sys.argv[0], run_name="__main__")
report()
