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


def _glibc():
    """glibc, or None elsewhere (musl, macOS, Windows: nothing to tune)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)
ARENAS = 2


def limit_arenas(n: int = ARENAS) -> bool:
    """At most ``n`` malloc arenas from now on (glibc's default: 8 per core). Each thread
    that allocates while the others' arenas are busy gets an arena of its own, and a compile
    or a probe leaves its freed pages there, where no other thread reuses them: with the
    worker, the GUI, XLA's threads and the landscape's compile thread, every view opened at
    100,000 points peaked ~35-50 MB higher than with two (bench/README.md, issue 16). Call it
    before the threads start; True if glibc took it."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, int(n)))


def watch_compiles() -> None:
    """Listen for jax's compile events (once per process)."""
    global _watching, _libc
    with _lock:
        if _watching:
            return
        _watching = True
        _libc = _glibc()
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
