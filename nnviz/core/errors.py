"""The one base class of every error whose message is meant for the user.

A data set, a network, a loss, training settings, a session file, a preset, a branch: whatever
the user gave that does not fit raises a subclass of :class:`NnvizError` with a message that
says what is wrong and what would do. The window shows it, the command line prints it on one
line and exits with code 2; anything else that escapes is a bug and is reported as one.
It is a ValueError, so code that catches ValueError keeps working.
"""
from __future__ import annotations


class NnvizError(ValueError):
    """A user's input that nnviz cannot use; ``str(e)`` is the message for the user."""


def shown(value) -> str:
    """``repr(value)`` for a user's message, a numpy scalar shown as the plain number or text
    it holds ('0', not 'np.int64(0)'; '1.5', not 'np.float64(1.5)')."""
    item = getattr(value, "item", None)
    if item is not None and getattr(value, "shape", None) == ():
        value = item()
    return repr(value)


def sentence(text: str) -> str:
    """``text`` ended as a sentence: a full stop added unless it ends in one already, or in "?"
    or "!" (a title "how many units does it take?" read "...take?. Press Play")."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", "\u2026")) else text + "."


def user_stacklevel() -> int:
    """warnings.warn's ``stacklevel``, from the function that calls this, that names the first
    caller outside the nnviz package: the user's own line, however many of nnviz's functions
    (and wrappers: api._named_options) lie between. A fixed count pointed into nnviz/api.py
    once train gained its option check."""
    import os
    import sys
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level
