"""The window a benchmark measures is the one a new user first sees.

nnviz keeps its settings (presentation mode, splitter sizes, the last folder, the work of the
last session) in the user's store, ~/.config/nnviz. A benchmark that read them measured whatever
the last person to use the app on the machine left: a reviewer who quit in presentation mode
made every later run of bench/gui.py draw the large-text window, ~1 ms more of GUI time a frame
and an application-wide event filter. ``own_settings()`` gives the process (and the nnviz
processes it starts, which inherit the variable) a settings file of its own, empty at the start;
NNVIZ_SETTINGS set by the caller is kept (to measure a given setup). The benchmarks that draw
the window import this module first.
"""
from __future__ import annotations

import atexit
import os
import tempfile


def own_settings() -> None:
    if os.environ.get("NNVIZ_SETTINGS"):
        return
    path = os.path.join(tempfile.gettempdir(), f"nnviz-bench-settings-{os.getpid()}.ini")
    if os.path.exists(path):  # a file left by an earlier process of this pid
        os.remove(path)
    atexit.register(lambda: os.path.exists(path) and os.remove(path))
    os.environ["NNVIZ_SETTINGS"] = path


own_settings()  # on import: the benchmarks import this module first
