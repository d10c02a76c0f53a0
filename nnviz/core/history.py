"""A loss history of bounded size, for runs of any length.

Every epoch's loss goes in; at most ``capacity`` points are kept. When the buffer fills, every
other point is dropped and from then on only every ``stride``-th epoch is kept (the stride
doubles each time), so memory and drawing cost stay bounded while the curve keeps its shape.
Epoch 1 is always kept (where the curve starts, the point a learner compares with), and the last
epoch's value is always available as :attr:`last`, and the lowest loss of all the epochs seen
(thinned away or not) as :attr:`best` at :attr:`best_epoch`: kept as the values go in, since the
thinned points' minimum rises as the history is thinned (a run's "best 0.0001825" read
0.0003483 later in the same run).
"""
from __future__ import annotations

import numpy as np


class LossHistory:
    def __init__(self, capacity: int = 4096) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number >= 4")
        self.capacity = capacity
        self._epochs = np.zeros(capacity, np.int64)
        self._values = np.zeros(capacity, np.float32)
        self._n = 0
        self.stride = 1
        self.count = 0  # epochs seen
        self.last = float("nan")
        self.best, self.best_epoch = float("inf"), 0  # the lowest loss seen, its epoch (0: none)

    def __len__(self) -> int:
        return self._n

    def extend(self, first_epoch: int, values: np.ndarray) -> None:
        """Add the values of epochs ``first_epoch``, ``first_epoch + 1``, ... (1-based epochs)."""
        values = np.asarray(values, np.float32)
        if values.size == 0:
            return
        self.count = first_epoch + values.size - 1
        self.last = float(values[-1])
        epochs = np.arange(first_epoch, first_epoch + values.size)
        lowest = _lowest(epochs, values)
        if lowest is not None and lowest[1] < self.best:
            self.best_epoch, self.best = lowest
        while True:
            keep = ((epochs % self.stride) == 0) | (epochs == 1)
            e, v = epochs[keep], values[keep]
            room = self.capacity - self._n
            if e.size <= room:
                self._epochs[self._n:self._n + e.size] = e
                self._values[self._n:self._n + e.size] = v
                self._n += e.size
                return
            # Fill what fits, then halve the resolution and go on with the rest.
            self._epochs[self._n:] = e[:room]
            self._values[self._n:] = v[:room]
            self._n = self.capacity
            rest_from = e[room] if room < e.size else epochs[-1] + 1
            mask = rest_from <= epochs
            epochs, values = epochs[mask], values[mask]
            self._compact()

    def _compact(self) -> None:
        self.stride *= 2
        kept = self._epochs[: self._n]
        keep = ((kept % self.stride) == 0) | (kept == 1)
        k = int(keep.sum())
        self._epochs[:k] = self._epochs[: self._n][keep]
        self._values[:k] = self._values[: self._n][keep]
        self._n = k

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the kept (epochs, values)."""
        return self._epochs[: self._n].copy(), self._values[: self._n].copy()

    @classmethod
    def restored(cls, capacity: int, stride: int, count: int, last: float, epochs: np.ndarray,
                 values: np.ndarray, best: tuple[int, float] | None = None) -> "LossHistory":
        """A history holding these kept points and this bookkeeping (a session's): extending it
        keeps the same points as the uninterrupted history would have. ``best``: (epoch, loss)
        of the lowest loss seen; None (a file from before it was kept): the kept points'."""
        h = cls(capacity)
        n = len(epochs)
        h._epochs[:n], h._values[:n] = epochs, values
        h._n, h.stride, h.count, h.last = n, stride, count, last
        if best is not None and 1 <= best[0] <= count:
            h.best_epoch, h.best = int(best[0]), float(best[1])
        else:
            h._best_of_kept()
        return h

    def _best_of_kept(self) -> None:
        lowest = _lowest(self._epochs[:self._n], self._values[:self._n])
        self.best_epoch, self.best = lowest if lowest is not None else (0, float("inf"))

    def copy(self, upto: int | None = None) -> "LossHistory":
        """A copy; with ``upto``, the epochs after it are left out (a branch's past). The best
        goes with it when it is at or before ``upto``; else the lowest of the points kept up to
        there (the epochs thinned away between them are not known any more)."""
        e, v = self.arrays()
        best = (self.best_epoch, self.best) if self.best_epoch else None
        if upto is None or upto >= self.count:
            return LossHistory.restored(self.capacity, self.stride, self.count, self.last, e, v,
                                        best)
        keep = e <= upto
        e, v = e[keep], v[keep]
        last = float(v[-1]) if len(e) and e[-1] == upto else float("nan")
        return LossHistory.restored(self.capacity, self.stride, upto, last, e, v,
                                    best if best is not None and best[0] <= upto else None)

    def clear(self) -> None:
        self._n, self.stride, self.count, self.last = 0, 1, 0, float("nan")
        self.best, self.best_epoch = float("inf"), 0


def _lowest(epochs: np.ndarray, values: np.ndarray) -> tuple[int, float] | None:
    """(epoch, loss) of the lowest finite loss of ``values`` at ``epochs``; None: none."""
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(values)
    if not finite.any():
        return None
    i = int(np.argmin(np.where(finite, values, np.inf)))
    return int(epochs[i]), float(values[i])


def thin_keeping_extremes(epochs, values, n: int) -> np.ndarray:
    """The indices of at most ``n`` of the points (epochs ascending) that keep the curve's
    shape: the first and the last, and in each of ``(n - 2) // 2`` runs of neighbouring points
    its lowest and its highest, so no peak or dip is thinned away."""
    m = len(epochs)
    if m <= n:
        return np.arange(m)
    values = np.asarray(values, np.float64)
    keep = {0, m - 1}
    for part in np.array_split(np.arange(1, m - 1), max(1, (n - 2) // 2)):
        if part.size:
            keep.add(int(part[np.argmin(values[part])]))
            keep.add(int(part[np.argmax(values[part])]))
    return np.array(sorted(keep))
