"""The C heap is trimmed after jax compiles, once per compile, never between them."""
from __future__ import annotations

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
