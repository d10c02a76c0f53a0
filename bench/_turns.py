"""This tree beside another, taking turns: the start bench/launch.py and bench/relaunch.py share.

Each launches this tree's nnviz, and with ``--before`` another tree's (a git worktree), in fresh
processes, ``--turns`` times; each tree with a cache folder of its own, offscreen unless
QT_QPA_PLATFORM says otherwise. Also the clock that stamps the lines of the benches that take
their turns in one process (bench/play_priority.py, landscape_beside.py, step_priority.py).
"""
from __future__ import annotations

import argparse
import os
import time
from typing import Callable

THIS_TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Python source for a launched process (after its QApplication, before nnviz's main): calls the
# process's own ``first_paint()`` once, at the first paint of a widget in the main window.
FIRST_PAINT = r"""
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    done = False

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and hasattr(obj, "window") \
                and isinstance(obj.window(), QMainWindow):
            self.done = True
            first_paint()
        return False

first_paint_filter = FirstPaint()
QApplication.instance().installEventFilter(first_paint_filter)
"""


def parser(doc: str, turns: int) -> argparse.ArgumentParser:
    """A script's options (its docstring's first line the description): --before and --turns;
    the script adds its own."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--before", help="another nnviz tree (a git worktree) to launch in turns")
    p.add_argument("--turns", type=int, default=turns)
    return p


def trees(args: argparse.Namespace) -> dict[str, str]:
    """"this" (this tree) and, with --before, "before": the folders launched."""
    return {"this": THIS_TREE, **({"before": os.path.abspath(args.before)} if args.before else {})}


def environment() -> dict[str, str]:
    """The launches' environment: this process's, offscreen unless QT_QPA_PLATFORM is set."""
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def own_caches(env: dict[str, str], names, tmp: str) -> dict[str, dict[str, str]]:
    """``env`` for each tree, with a cache folder of its own under ``tmp`` (jax's compiled
    programs, the generated data): a tree's launches do not find the other's."""
    return {name: {**env, "XDG_CACHE_HOME": os.path.join(tmp, name)} for name in names}


def clock() -> Callable[[], str]:
    """A stamp for a script's lines: the seconds since this call, as ``"%7.2f"``."""
    t0 = time.perf_counter()
    return lambda: f"{time.perf_counter() - t0:7.2f}"
