"""The C heap after compiles: glibc keeps what a compile freed; ``malloc_trim`` gives it back.

XLA's compiles allocate and free tens of megabytes in the thread that compiles; glibc keeps the
freed pages in that thread's arena, where the other threads' allocations cannot use them, so the
process's resident memory (and its peak) stays ~70 MB higher with every view opened at 100,000
points (issue 16). After a compile (jax's monitoring events say when one happened) the worker
calls ``trim_after_compiles`` between chunks: one ``malloc_trim(0)``, a few milliseconds, only
when something compiled since the last call. Elsewhere than glibc it does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading

_compiled = threading.Event()
_watching = False
_lock = threading.Lock()
_libc = None
trims = 0  # how many trims ran (tests count them)

COMPILE_EVENTS = ("/jax/core/compile/", "/jax/compilation_cache/")


def _listener(event: str, *args, **kwargs) -> None:
    if event.startswith(COMPILE_EVENTS):
        _compiled.set()


def watch_compiles() -> None:
    """Listen for jax's compile events (once per process)."""
    global _watching, _libc
    with _lock:
        if _watching:
            return
        _watching = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc = libc if hasattr(libc, "malloc_trim") else None
        except OSError:
            _libc = None
        import jax.monitoring
        jax.monitoring.register_event_duration_secs_listener(_listener)
        jax.monitoring.register_event_listener(_listener)


def trim_after_compiles() -> bool:
    """Return freed C heap memory to the system if jax compiled since the last call."""
    global trims
    if not _compiled.is_set():
        return False
    _compiled.clear()
    if _libc is None:
        return False
    _libc.malloc_trim(0)
    trims += 1
    return True
