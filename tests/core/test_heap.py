"""The C heap is trimmed after jax compiles, once per compile, never between them."""
from __future__ import annotations

import subprocess
import sys

import jax
import numpy as np

from nnviz.core import heap
from nnviz.core import loop as L
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.problem import Problem
from nnviz.core.training import TrainConfig


def test_a_compile_is_followed_by_one_trim(monkeypatch):
    heap.watch_compiles()
    assert heap._libc is not None  # this machine's C library is glibc: the trim is real
    trimmed = []
    monkeypatch.setattr(heap, "_libc", type("C", (), {"malloc_trim": lambda self, pad: trimmed.append(pad)})())
    heap.trim_after_compiles()  # whatever compiled before this test
    trimmed.clear()
    assert heap.trim_after_compiles() is False and trimmed == []
    # A function of its own shape: jax compiles it now.
    jax.jit(lambda x: x * 2.5 + 1)(np.ones((3, 17, 5), np.float32)).block_until_ready()
    assert heap.trim_after_compiles() is True and trimmed == [0]
    assert heap.trim_after_compiles() is False and trimmed == [0]


def test_the_worker_trims_after_a_new_problem_compiles(monkeypatch):
    trimmed = []
    monkeypatch.setattr(heap, "_libc", type("C", (), {"malloc_trim": lambda self, pad: trimmed.append(pad)})())
    lp = L.TrainLoop()
    heap.trim_after_compiles()
    trimmed.clear()
    spec = NetworkSpec(hidden=(3, 7), activations=("tanh", "tanh"))
    lp.post(L.NewProblem(1, Problem(make_dataset(DataSpec("moons", samples=123)), spec,
                                    TrainConfig(), None, 0)))
    lp.work_once()  # builds and compiles the trainer
    assert trimmed == [0]
    lp.work_once()  # nothing new compiled: no trim
    assert trimmed == [0]
    lp.release()


_ARENAS = r"""
import ctypes, os, sys, tempfile, threading
from nnviz.core import heap
limited = heap.limit_arenas() if sys.argv[1] == "limit" else False
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
start = threading.Barrier(8)
def work():  # eight threads allocating at once, as the worker, the GUI and XLA's pool do
    start.wait()
    kept = [libc.malloc(4096) for _ in range(500)]
    for p in kept:
        libc.free(p)
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
path = os.path.join(tempfile.mkdtemp(), "info.xml")
f = libc.fopen(path.encode(), b"w"); libc.malloc_info(0, f); libc.fclose(f)
print(limited, open(path).read().count("<heap nr="))
"""


def test_the_app_keeps_the_threads_to_two_malloc_arenas():
    """Threads that allocate at once get arenas of their own; the app caps them at two, whose
    freed pages all threads reuse (issue 16: every view at 100,000 points peaked ~75 MB lower).
    In fresh processes: arenas made before the cap stay."""
    def arenas(mode: str) -> tuple[str, int]:
        out = subprocess.run([sys.executable, "-c", _ARENAS, mode], capture_output=True,
                             text=True, timeout=60, check=True).stdout.split()
        return out[0], int(out[1])

    assert arenas("limit") == ("True", 2)
    limited, free = arenas("default")
    assert limited == "False" and free > 2  # the test can tell: without the cap, more


def test_nnviz_caps_the_arenas_before_anything_runs(monkeypatch):
    from nnviz import cli
    calls = []
    monkeypatch.setenv("NNVIZ_NO_COMPILE_CACHE", "1")  # the test run's caches stay as they are
    monkeypatch.setattr(heap, "limit_arenas", lambda: calls.append("capped"))
    monkeypatch.setattr(cli, "gui_command", lambda args: calls.append("window") or 0)
    assert cli.main([]) == 0
    assert calls == ["capped", "window"]
