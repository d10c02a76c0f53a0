"""A plot's view range that moves in round steps instead of following the data every frame.

pyqtgraph's auto-range re-lays out a plot's axes at every change of its data: with the views
drawing 30 times a second that was most of their cost, and labels that change every frame cannot
be read. ``SteppedRange.follow`` keeps the range while the data stay inside it and fill at least
half of it; otherwise it jumps to round numbers a little beyond the data. Dragging or zooming the plot is
left to the user until the data leave what is shown.
"""
from __future__ import annotations

import math

import numpy as np


def nice_range(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] widened to multiples of a round step (1, 2 or 5 x 10^k, about a tenth of the
    span); a single value gets a span of its own size (or 1)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (0.0, 1.0)
    if hi < lo:
        lo, hi = hi, lo
    span = hi - lo
    if span <= 0:
        span = abs(lo) or 1.0
        lo, hi = lo - span / 2, hi + span / 2
    raw = span / 8
    k = 10.0 ** math.floor(math.log10(raw))
    step = next(m * k for m in (1, 2, 5, 10) if m * k >= raw)
    return (math.floor(lo / step) * step, math.ceil(hi / step) * step)


def data_bounds(*arrays: np.ndarray) -> tuple[float, float] | None:
    """The finite minimum and maximum over ``arrays``; None when there is no finite value."""
    finite = [a[np.isfinite(a)] for a in (np.asarray(x, np.float64).ravel() for x in arrays)]
    finite = [a for a in finite if a.size]
    if not finite:
        return None
    return float(min(a.min() for a in finite)), float(max(a.max() for a in finite))


class SteppedRange:
    """Sets ``plot_item``'s range only when the data have left it or shrunk to under half of it.
    Ranges are in the plot's own coordinates (log10 of the values on a log axis)."""

    def __init__(self, plot_item) -> None:
        self.plot = plot_item
        self.plot.disableAutoRange()
        self.x: tuple[float, float] | None = None
        self.y: tuple[float, float] | None = None

    def reset(self) -> None:
        self.x = self.y = None

    @staticmethod
    def _update(current, bounds, fixed=None):
        if fixed is not None:
            return fixed
        if bounds is None:
            return current
        lo, hi = bounds
        if current is not None:
            c0, c1 = current
            inside = c0 <= lo and hi <= c1
            if inside and (hi - lo) >= 0.5 * (c1 - c0):
                return current
        # Room around the data: a moving or growing cloud stays inside for a while.
        room = 0.15 * (hi - lo)
        return nice_range(lo - room, hi + room)

    def follow(self, x_bounds=None, y_bounds=None, *, x_fixed=None, y_fixed=None) -> bool:
        """Bounds are (low, high) of the data, or None (no data: the range stays); ``*_fixed``
        sets that axis as given. True when the range changed."""
        x = self._update(self.x, x_bounds, x_fixed)
        y = self._update(self.y, y_bounds, y_fixed)
        if (x, y) == (self.x, self.y):
            return False
        self.x, self.y = x, y
        if x is not None and y is not None:
            # Both in one call: with the aspect locked, an x range then a y range set apart
            # kept the y range and cut the x range to the plot's shape (data off its sides).
            self.plot.setRange(xRange=x, yRange=y, padding=0)
        elif x is not None:
            self.plot.setXRange(*x, padding=0)
        elif y is not None:
            self.plot.setYRange(*y, padding=0)
        return True
