"""Issue 17 item 7: 120 distinct problems in one window grew the process by 626 MB: every
problem's compiled functions (trainer and view probes) were kept. They are kept for the last
``MAX_PROBLEMS`` problems only, and released (their executables dropped) when evicted.
bench/problem_memory.py measures the memory itself."""
from __future__ import annotations

import numpy as np

from nnviz.core import compiled, inspect
from nnviz.core.compiled import MAX_PROBLEMS
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.training import TrainConfig, Trainer, network_for


def _trainer(k: int) -> Trainer:
    data = make_dataset(DataSpec("moons", samples=60 + k))
    spec = network_for(data, "mse", (2 + k,), ("tanh",), "sigmoid")
    return Trainer(spec, TrainConfig(), data, seed=k)


def test_compiled_problems_are_bounded_and_released():
    first = _trainer(0)
    first.compile()
    probe = inspect.GradientProbe()
    probe(first)
    run_fn = first._run
    assert run_fn._cache_size() >= 1
    for k in range(1, MAX_PROBLEMS + 2):  # MAX_PROBLEMS + 1 later problems: the first goes
        t = _trainer(k)
        t.evaluate()
        probe(t)
    counts = compiled.cached_counts()
    for name in ("nnviz.core.training._chunk_fn", "nnviz.core.training._eval_fn",
                 "nnviz.core.inspect._flow_fn"):  # the gradient probe's
        assert 0 < counts[name] <= MAX_PROBLEMS, counts
    # The first problem's executable went with it; its Trainer still trains (it compiles again)
    # and gives what a fresh twin gives.
    assert run_fn._cache_size() == 0
    twin = _trainer(0)
    np.testing.assert_array_equal(first.run(20).losses, twin.run(20).losses)


def test_a_recent_problem_stays_compiled(monkeypatch):
    from nnviz.core import training
    # Earlier tests' evictions count towards the periodic clear of all of jax's caches (see
    # the next test), which would take this problem's executable too: start the count afresh.
    monkeypatch.setattr(training._chunk_fn, "evictions", 0)
    t = _trainer(50)
    t.compile()
    for k in range(51, 51 + MAX_PROBLEMS - 2):
        _trainer(k)
    assert t._run._cache_size() >= 1
    again = _trainer(50)  # the same problem again (Undo): the same compiled function
    assert again._run is t._run


def test_jax_caches_are_cleared_as_problems_go(monkeypatch):
    import jax
    from nnviz.core import training
    # Start the count of evictions afresh: what earlier tests in this process evicted would
    # otherwise bring the next clear forward (4 clears instead of 3 after many trainers).
    monkeypatch.setattr(training._chunk_fn, "evictions", 0)
    cleared = []
    real = jax.clear_caches
    monkeypatch.setattr(jax, "clear_caches", lambda: (cleared.append(1), real()))
    for k in range(100, 100 + 3 * MAX_PROBLEMS + 1):
        _trainer(k)
    # Every MAX_PROBLEMS problems evicted, jax's own caches (tracing, eager operations) go too.
    assert 2 <= len(cleared) <= 3
