"""jax's persistent compilation cache in the user's cache folder.

The first compile of a training step costs 0.5-2 s; with the cache, a problem that was compiled
once (in any earlier run) loads in a fraction of that.
"""
from __future__ import annotations

import os
from pathlib import Path


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nnviz" / "jax"


def enable(path: str | os.PathLike | None = None) -> Path | None:
    """Turn the cache on (idempotent); returns its folder, or None if it cannot be used."""
    import jax

    folder = Path(path) if path is not None else default_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: run without the cache rather than fail
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return folder
