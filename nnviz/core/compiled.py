"""A bounded cache for what is compiled per problem: the trainer's chunk runner, its evaluation
and prediction functions, the views' probe kernels.

Each factory of jitted functions (keyed by a NetworkSpec and settings) keeps at most
``MAX_PROBLEMS`` results, least recently used first out. An evicted result is released: every
jitted function in it drops its compiled executables (``clear_cache``), so their memory goes at
once rather than whenever the last reference does. A window whose user keeps editing the
architecture or the data makes a new problem per edit, and each kept several megabytes of
XLA executables (bench/problem_memory.py measures it).

jax keeps more per problem than the functions' own executables: its tracing and lowering caches
and one small executable per eager operation and shape (optax's initial state of every new
layer shape, say), thousands of entries each. So after every ``MAX_PROBLEMS`` problems evicted
from the trainer's cache, all of jax's caches are cleared (``jax.clear_caches``): the functions
still cached compile again on their next call (from the persistent compile cache when it is
on), and memory stays bounded whatever the number of problems.

A Trainer that still holds an evicted function keeps working: the function compiles again on
its next call.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Any, Callable, TypeVar

# Problems whose compiled functions stay: a few, so Undo / Redo between recent edits and
# Reset / Restart never recompile.
MAX_PROBLEMS = 8

F = TypeVar("F", bound=Callable[..., Any])

_caches: list["_ProblemCache"] = []


def release(value: Any) -> None:
    """Drop the compiled executables of every jitted function in ``value`` (nested tuples and
    lists are walked)."""
    if isinstance(value, (tuple, list)):
        for v in value:
            release(v)
        return
    clear = getattr(value, "clear_cache", None)
    if callable(clear):
        clear()


class _ProblemCache:
    """``functools.lru_cache`` with a release of what it evicts; thread-safe (the worker and
    its warm-up threads call the factories)."""

    def __init__(self, fn: Callable, maxsize: int, clear_jax_every: int | None = None) -> None:
        self.fn, self.maxsize, self.clear_jax_every = fn, maxsize, clear_jax_every
        self.evictions = 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        functools.update_wrapper(self, fn)

    def __call__(self, *args):
        with self.lock:
            if args in self.items:
                self.items.move_to_end(args)
                return self.items[args]
        value = self.fn(*args)  # outside the lock: building a jitted function is quick, but
        with self.lock:         # a factory may call another cached factory
            if args in self.items:  # another thread made it meanwhile: keep one
                self.items.move_to_end(args)
                return self.items[args]
            self.items[args] = value
            evicted = []
            while len(self.items) > self.maxsize:
                evicted.append(self.items.popitem(last=False)[1])
        for v in evicted:
            release(v)
        if evicted and self.clear_jax_every:
            self.evictions += len(evicted)
            if self.evictions >= self.clear_jax_every:
                self.evictions = 0
                import jax
                jax.clear_caches()
        return value

    def __len__(self) -> int:
        return len(self.items)

    def cache_clear(self) -> None:
        with self.lock:
            values = list(self.items.values())
            self.items.clear()
        for v in values:
            release(v)


def per_problem(maxsize: int = MAX_PROBLEMS,
                clear_jax_every: int | None = None) -> Callable[[F], F]:
    """Decorator: cache ``fn``'s results by its (hashable) arguments, at most ``maxsize``;
    with ``clear_jax_every``, clear all of jax's caches after that many evictions."""
    def wrap(fn: F) -> F:
        cache = _ProblemCache(fn, maxsize, clear_jax_every)
        _caches.append(cache)
        return cache  # type: ignore[return-value]
    return wrap


def cached_counts() -> dict[str, int]:
    """How many results each per-problem cache holds now (for tests and benchmarks)."""
    return {f"{c.fn.__module__}.{c.fn.__qualname__}": len(c) for c in _caches}


def clear_all() -> None:
    """Release everything every per-problem cache holds."""
    for c in _caches:
        c.cache_clear()
