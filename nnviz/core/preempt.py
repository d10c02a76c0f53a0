"""A slow probe gives way to the user: the worker's loop says, while it runs the views' probes,
when a probe should stop (a command waits: a Step, a seek on the timeline, a Pause; or a
snapshot that answers one has waited long enough for it), and a probe that may be slow asks
between the parts of its work (:func:`check`), which raises :class:`Preempted` then.

The worker publishes the user's epoch without the probe's new result (its last one, marked as
being computed: ``Snapshot.pending``) and computes it afresh once no command waits (core.loop).
Review r24 F18: on a 2-512x8-1 network the Landscape probe took 10-40 s a snapshot, and a Step
or a click on the timeline waited for it.

Only the thread that runs the loop is asked (the hook is per thread): the same probe's code run
on a compile thread (landscape_probe's warm-up) never stops half-way; a landscape computed on
its own thread for the loop has a hook of its own there (a newer one asked for, the app quits).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

__all__ = ["Later", "Preempted", "check", "deferrable", "when", "wanted"]


class Preempted(Exception):
    """A probe stopped before its result: the worker has something more urgent to do."""


class Later(Preempted):
    """A probe's numbers are being measured on another thread (the start's gradient row of a
    big run: core.loop; a landscape: core.landscape_probe): the snapshot goes out without
    them, marked as being computed (``Snapshot.pending``), and the worker makes a fresh one
    when they come -- not before, as it does for a probe that gave way (its view says
    "Computing..." meanwhile). ``future``: the Future they come with, which tells the worker
    that they came (a ProbeCame)."""

    def __init__(self, future) -> None:
        super().__init__()
        self.future = future


_hook = threading.local()


def wanted() -> bool:
    """Whether the work under way in this thread should stop now."""
    should = getattr(_hook, "should", None)
    return should is not None and bool(should())


def deferrable() -> bool:
    """Whether work asked for in this thread may be done on another thread, its caller told
    :class:`Later` meanwhile (the worker's loop running the views' probes: ``when(...,
    later=True)``); a probe called elsewhere (a test, the command line) computes at once."""
    return bool(getattr(_hook, "later", False))


def check() -> None:
    """Raise :class:`Preempted` when the work under way in this thread should stop."""
    if wanted():
        raise Preempted()


@contextmanager
def when(should: Callable[[], bool] | None, later: bool = False) -> Iterator[None]:
    """:func:`check` in this thread raises while ``should()`` is true (None: never);
    ``later``: :func:`deferrable` meanwhile."""
    last = getattr(_hook, "should", None), getattr(_hook, "later", False)
    _hook.should, _hook.later = should, later
    try:
        yield
    finally:
        _hook.should, _hook.later = last
