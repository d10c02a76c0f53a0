"""Type-tolerant number checks for the validating constructors (DataSpec, NetworkSpec, TrainConfig).

Settings arrive from JSON session files, the CLI and the GUI: a width may be ``"abc"``, ``1e400``,
``True`` or ``[4]``. These helpers turn anything that is not a plain number into ``None`` so the
caller raises its own error with a message for the user, instead of a TypeError or OverflowError
from deep inside Python.
"""
from __future__ import annotations

import math
import numbers


def whole_number(v: object) -> int | None:
    """``v`` as an int if it is a whole number (``4`` or ``4.0``), else None (bools are not)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        f = float(v)
        return int(f) if math.isfinite(f) and f.is_integer() else None
    return None


def real_number(v: object) -> float | None:
    """``v`` as a float if it is a real number (NaN and infinities included), else None."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    try:
        return float(v)
    except OverflowError:  # an int beyond the float range: too large, not "not a number"
        return math.inf if v > 0 else -math.inf
