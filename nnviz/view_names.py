"""The names ``--show`` takes, without importing jax or Qt.

The window's views (``gui/views.py``'s VIEWS after "main") and the lesson pages it opens
(``gui/views.py``'s LESSON_ALIASES); a test checks that the window has exactly these. They are
here so that ``nnviz --show backprp`` is refused at once: it was said only after the ~4.5 s of
imports that the window and the engine need (review r25 F11).
"""
from __future__ import annotations

import difflib

VIEWS = ("main", "network", "neurons", "hidden-space", "gradients", "landscape", "lessons",
         "backprop", "regions", "compare")
PAGES = ("lesson-1", "lesson-2", "lesson-3", "lesson-4", "lesson-5", "baseline")
VIEW_NAMES = VIEWS + PAGES


def did_you_mean(text: str, names, cutoff: float = 0.75) -> str:
    """"; did you mean X?" for the name in ``names`` closest to a mistyped ``text``, or ""."""
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]}?" if close else ""


def view_name(text: str) -> str:
    """``text`` as a view name ("Backprop" -> "backprop"); ValueError saying which names there
    are, and the one meant when it is close to one."""
    t = text.strip().lower().replace("_", "-")
    if t not in VIEW_NAMES:
        raise ValueError(f"unknown view {text!r}{did_you_mean(t, VIEW_NAMES)} (views: "
                         f"{', '.join(VIEWS)}; lesson pages: {', '.join(PAGES)})")
    return t
