"""Linear regions of a piecewise-linear network: where in the input plane it is one linear
function.

With relu, leaky relu or linear hidden layers, each hidden unit is linear on either side of
``z = 0``; the network (up to its output's pre-activation, the logit) is one affine function
wherever no unit changes side. So the plane splits into regions of constant *activation
pattern* -- which units are on -- and each region is convex (an intersection of half-planes), so
the regions are counted as the distinct patterns over a fine grid (a region smaller than a
grid cell is missed). With one hidden layer the count is also exact: the units' lines
``w . x + b = 0`` form an arrangement, and a line crossing the box with k distinct crossings of
earlier lines inside it adds k + 1 regions. Zaslavsky's theorem bounds the regions of n lines
in the plane (general position) by 1 + n + n(n - 1)/2, in d dimensions by sum_{i<=d} C(n, i).

Smooth activations (sigmoid, tanh, ...) bend everywhere: no piece of the plane has a network
that is exactly linear, so there are no regions to count (:func:`not_applicable` says why).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import activations, compiled, preempt
from .formatting import and_list
from .history import thin_keeping_extremes
from .network import NetworkSpec, device_array, forward_logits

PIECEWISE_LINEAR = ("relu", "leaky-relu", "linear")
KINKED = ("relu", "leaky-relu")  # the ones whose units switch; a linear unit never does
REGION_RES = 200  # the grid the regions are counted on, per side
MAX_HISTORY = 48  # checkpoints of the run whose regions are counted for the curve
HISTORY_PER_CALL = 3  # at most this many of them are counted per snapshot (the rest later)
# Counts remembered per run and branch (every one counted: checkpoints and frames shown), thinned
# past this keeping the curve's highs and lows: the run log thins its checkpoints as the run
# grows, and a peak the learner saw at epoch 250 must not vanish with them.
MAX_SEEN = 4 * MAX_HISTORY
MAX_RUNS_SEEN = 16


def not_applicable(spec: NetworkSpec) -> str | None:
    """Why linear regions do not apply to ``spec`` (None when they do)."""
    smooth = sorted({a for a in spec.activations if a not in PIECEWISE_LINEAR})
    if spec.input_dim > 2:
        return (f"The data has {spec.input_dim} features: there is no plane to draw the "
                "regions on.")
    if smooth:
        # One input has no plane: its regions are intervals of the input's line.
        where = ("on no interval of the input is the network exactly one linear function"
                 if spec.input_dim == 1 else
                 "no part of the plane has a network that is exactly one linear function")
        layers = smooth_layers(spec)
        if len(layers) == len(spec.activations):
            return (f"Linear regions need piecewise-linear hidden activations (relu, "
                    f"leaky-relu, linear); this network's hidden layer{'s' * (len(layers) > 1)} "
                    f"use{'s' * (len(layers) == 1)} {and_list(smooth)}, which bend"
                    f"{'s' * (len(smooth) == 1)} everywhere: {where}. Choose relu (or "
                    "leaky-relu) to see its regions.")
        # Some layers already are: a reviewer who had just picked relu for one was told the
        # network's hidden layers used sigmoid.
        return (f"Linear regions need piecewise-linear activations (relu, leaky-relu, linear) "
                f"in every hidden layer; {layer_names(layers)} use{'s' * (len(layers) == 1)} "
                f"{and_list(smooth)}, which bend{'s' * (len(smooth) == 1)} everywhere: {where}. "
                f"Choose relu (or leaky-relu) there too to see its regions.")
    return None


def smooth_layers(spec: NetworkSpec) -> list[int]:
    """The hidden layers (numbered from 1) whose activation bends everywhere."""
    return [i + 1 for i, a in enumerate(spec.activations) if a not in PIECEWISE_LINEAR]


def layer_names(layers: list[int]) -> str:
    """"hidden layer 2", "hidden layers 1 and 3", "hidden layers 1, 2 and 4"."""
    return f"hidden layer{'s' * (len(layers) > 1)} {and_list(layers)}"


def zaslavsky_bound(n_units: int, input_dim: int = 2) -> int:
    """The most regions ``n_units`` hyperplanes cut R^input_dim into: sum_{i<=d} C(n, i)."""
    return sum(math.comb(n_units, i) for i in range(input_dim + 1))


@compiled.per_problem()
def _pattern_fn(spec: NetworkSpec):
    """Every kinked hidden unit's side (on: True) for rows X, as one boolean array."""
    def f(params, X):
        sides, a = [], X
        for (w, b), name in zip(params[:-1], spec.activations):
            z = a @ w + b
            if name == "relu":
                sides.append(z > 0)
            elif name == "leaky-relu":
                sides.append(z >= 0)
            a = activations.ACTIVATIONS[name](z)
        if not sides:
            return jnp.zeros((X.shape[0], 0), bool)
        return jnp.concatenate(sides, axis=1)
    return jax.jit(f)


@compiled.per_problem()
def _slope_fn(spec: NetworkSpec):
    """||d logit / d x|| per row (the Frobenius norm over several outputs)."""
    def logits(params, x):
        return forward_logits(spec, params, x[None])[0][0]

    def f(params, X):
        J = jax.vmap(jax.jacfwd(logits, argnums=1), in_axes=(None, 0))(params, X)
        return jnp.sqrt(jnp.sum(jnp.square(J).reshape(X.shape[0], -1), axis=1))
    return jax.jit(f)


def region_ids(spec: NetworkSpec, params, X) -> tuple[np.ndarray, int]:
    """(region id per row of ``X``, number of distinct regions among them)."""
    sides = np.asarray(_pattern_fn(spec)(params, device_array(X)))
    if sides.shape[1] == 0:
        return np.zeros(len(sides), np.int64), 1
    packed = np.ascontiguousarray(np.packbits(sides, axis=1))
    if packed.shape[1] <= 8:  # one integer per pattern: np.unique of a flat array is fast
        keys = np.zeros(len(packed), np.uint64)
        for k in range(packed.shape[1]):
            keys = (keys << np.uint64(8)) | packed[:, k].astype(np.uint64)
    else:  # the rows' bytes as one opaque value each (np.unique(axis=0) is ~10x slower)
        keys = packed.view(np.dtype((np.void, packed.shape[1])))[:, 0]
    _, ids = np.unique(keys, return_inverse=True)
    ids = ids.ravel()
    return ids, int(ids.max()) + 1


def count_on_grid(spec: NetworkSpec, params, X) -> int:
    return region_ids(spec, params, X)[1]


def exact_count_one_layer(w: np.ndarray, b: np.ndarray,
                          bounds: tuple[tuple[float, float], ...]) -> int:
    """Regions of one hidden layer's units (weights ``w`` (d, n), biases ``b`` (n,)) inside the
    box ``bounds`` (d = 1 or 2), counted exactly from the lines w . x + b = 0."""
    w, b = np.asarray(w, np.float64), np.asarray(b, np.float64)
    if w.shape[0] == 1:
        (lo, hi), = bounds
        cuts = {round(float(-bj / wj), 12) for wj, bj in zip(w[0], b) if wj != 0}
        return 1 + sum(1 for c in cuts if lo < c < hi)
    (x0, x1), (y0, y1) = bounds
    lines: list[np.ndarray] = []  # (a, c, d): a x + c y + d = 0, normalised
    regions = 1
    for j in range(w.shape[1]):
        a, c, d = w[0, j], w[1, j], b[j]
        norm = math.hypot(a, c)
        if norm == 0:
            continue
        line = np.array([a, c, d]) / norm
        if line[0] < 0 or (line[0] == 0 and line[1] < 0):
            line = -line
        if any(np.allclose(line, other, atol=1e-12) for other in lines):
            continue  # the same line again: no new region
        # Does it cross the box's interior? The corners must lie on both sides.
        corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
        side = corners @ line[:2] + line[2]
        if not (side.min() < 0 < side.max()):
            lines.append(line)
            continue
        points = set()
        for other in lines:
            det = line[0] * other[1] - line[1] * other[0]
            if abs(det) < 1e-15:
                continue  # parallel
            px = (line[1] * other[2] - other[1] * line[2]) / det
            py = (other[0] * line[2] - line[0] * other[2]) / det
            if x0 < px < x1 and y0 < py < y1:
                points.add((round(px, 9), round(py, 9)))
        regions += 1 + len(points)
        lines.append(line)
    return regions


def slopes(spec: NetworkSpec, params, X) -> np.ndarray:
    """||d logit / dx|| at each row of ``X``. The rows are padded to a power of two: one compile
    for any number of regions."""
    X = np.asarray(X, np.float32)
    n = len(X)
    size = 1 << max(n - 1, 1).bit_length()
    padded = np.concatenate([X, np.zeros((size - n, X.shape[1]), np.float32)])
    return np.asarray(_slope_fn(spec)(params, device_array(padded)))[:n]


def grid_over(bounds: tuple[tuple[float, float], ...], res: int = REGION_RES
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, points): a res x res grid over ``bounds`` (1-D: res points, ys empty)."""
    xs = np.linspace(*bounds[0], res, dtype=np.float32)
    if len(bounds) == 1:
        return xs, np.zeros(0, np.float32), xs[:, None]
    ys = np.linspace(*bounds[1], res, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)


@dataclass(frozen=True)
class Regions:
    """The regions over the plane at one epoch, and their count over the run."""

    epoch: int
    reason: str | None  # why regions do not apply (then nothing else is filled)
    xs: np.ndarray | None = None
    ys: np.ndarray | None = None  # empty for 1-D input
    ids: np.ndarray | None = None  # (res_y, res_x) region of each cell (1-D: (1, res))
    slope: np.ndarray | None = None  # ||d logit / dx|| per cell, same shape
    edges: np.ndarray | None = None  # bool, same shape: a cell whose neighbour is another region
    count: int = 0  # regions on the grid
    exact: int | None = None  # one hidden layer: the exact count inside the box
    bound: int | None = None  # one hidden layer: Zaslavsky's bound for its units (whole plane)
    units: int = 0  # kinked hidden units
    history_epochs: np.ndarray | None = None
    history_counts: np.ndarray | None = None
    data_X: np.ndarray | None = None
    data_y: np.ndarray | None = None


def _edges(ids: np.ndarray) -> np.ndarray:
    e = np.zeros(ids.shape, bool)
    e[:, :-1] |= ids[:, :-1] != ids[:, 1:]
    if ids.shape[0] > 1:
        e[:-1, :] |= ids[:-1, :] != ids[1:, :]
    return e


def _bounds_of(grid_points, data) -> tuple[tuple[float, float], ...]:
    if grid_points is not None and np.shape(grid_points)[1] == data.n_features:
        g = np.asarray(grid_points)
        return tuple((float(g[:, k].min()), float(g[:, k].max())) for k in range(g.shape[1]))
    return data.bounds(0.1)


class RegionsProbe:
    """The regions view's numbers, in the worker thread. Counts of past checkpoints are kept
    (a checkpoint never changes), so the curve over the run fills in over a few frames."""

    def __init__(self, res: int = REGION_RES) -> None:
        self.res = res
        # What the probe remembers, in one dict that the copies the view sends share (each
        # Show of the tab and each refresh sends a copy.copy of this probe): the regions of
        # the last weights asked for (a call that gave way, core.preempt, seconds each on
        # 2-512x8-1, keeps them), the grid, the checkpoints' counts and the counts seen. Kept as
        # attributes of each copy, the first call of a new copy found no grid and started
        # afresh: a Pause on an older result (the view's refresh) dropped the ~20 counts the
        # curve had shown while playing, and it was left with 0, two checkpoints and the epoch
        # paused at (review r29 L13). Emptied in place, never replaced, so all copies see it.
        self._memo: dict = {"grid_key": None, "grid": None, "counts": {}, "seen": {}}

    @property
    def _counts(self) -> dict[tuple, int]:  # (run key, epoch, checkpoint): its count
        return self._memo["counts"]

    @property
    def _seen(self) -> dict[tuple, dict[int, int]]:  # run_key: {epoch: count}
        return self._memo["seen"]

    def __call__(self, model, grid_points=None) -> Regions:
        spec, data = model.spec, model.data
        reason = not_applicable(spec)
        if reason is not None:
            return Regions(int(model.epoch), reason)
        bounds = _bounds_of(grid_points, data)
        mem = self._memo
        if mem["grid_key"] != bounds:
            mem["grid_key"], mem["grid"] = bounds, grid_over(bounds, self.res)
            self._counts.clear()
            self._seen.clear()
        xs, ys, pts = mem["grid"]
        shape = (len(ys), len(xs)) if len(ys) else (1, len(xs))
        memo = self._memo.get("ids")
        if memo is not None and memo[0] is model.params and memo[1] == bounds:
            ids, count = memo[2]
        else:
            preempt.check()
            ids, count = region_ids(spec, model.params, pts)
            self._memo["ids"] = (model.params, bounds, (ids, count))
        preempt.check()
        # The slope is one number per region: computed at one cell of each, not at every cell.
        _, first = np.unique(ids, return_index=True)
        slope = slopes(spec, model.params, pts[first])[ids].reshape(shape)
        ids = ids.reshape(shape)
        kinked = [n for n, a in zip(spec.hidden, spec.activations) if a in KINKED]
        exact = bound = None
        if len(spec.hidden) == 1 and kinked:
            w, b = (np.asarray(a) for a in model.params[0])
            exact = exact_count_one_layer(w, b, bounds)
            bound = zaslavsky_bound(spec.hidden[0], spec.input_dim)
        elif not kinked:
            exact = 1
        epochs, counts = self._history(model, pts, count)
        return Regions(int(model.epoch), None, xs, ys, ids, slope, _edges(ids), count, exact,
                       bound, sum(kinked), epochs, counts, data.X, data.y)

    def _history(self, model, pts, count: int) -> tuple[np.ndarray, np.ndarray]:
        log = getattr(model, "log", None)
        run = getattr(model, "run_key", None)
        epoch = int(model.epoch)
        if log is None:
            return np.array([epoch]), np.array([count])
        cks = [c for c in log.checkpoints if c.epoch <= epoch]
        if len(cks) > MAX_HISTORY:  # spread evenly over the epochs, the first and last kept
            at = np.array([c.epoch for c in cks])
            want = np.linspace(at[0], at[-1], MAX_HISTORY)
            keep = np.unique(np.searchsorted(at, want).clip(0, len(cks) - 1))
            cks = [cks[i] for i in keep]
        if len(self._counts) > 8 * MAX_HISTORY:  # other runs' and thinned checkpoints' counts
            self._counts.clear()
        keys = [(run, c.epoch, id(c.state)) for c in cks]
        # Coarse to fine (every 16th, then every 8th, ...): a curve not yet complete is still
        # spread over the whole run.
        order = sorted(range(len(cks)), key=lambda i: -((i & -i) if i else 1 << 30))
        todo = HISTORY_PER_CALL
        for i in order:
            if keys[i] not in self._counts and todo > 0:
                if preempt.wanted():  # the user waits: the rest of the curve comes later
                    break
                todo -= 1
                self._counts[keys[i]] = count_on_grid(model.spec, cks[i].state.params, pts)
        seen = self._seen.pop(run, None) or {}
        self._seen[run] = seen  # the latest run last: the oldest go first
        while len(self._seen) > MAX_RUNS_SEEN:
            self._seen.pop(next(iter(self._seen)))
        if not getattr(model, "past", False):  # the live end: what lay past it is gone
            for e in [e for e in seen if e > epoch]:
                del seen[e]
        for i in range(len(cks)):
            if keys[i] in self._counts:
                seen[cks[i].epoch] = self._counts[keys[i]]
        seen[epoch] = count
        if len(seen) > MAX_SEEN:
            at = sorted(seen)
            keep = set(thin_keeping_extremes(at, [seen[e] for e in at], MAX_SEEN).tolist())
            for k, e in enumerate(at):
                if k not in keep:
                    del seen[e]
        epochs = sorted(e for e in seen if e <= epoch)
        return np.array(epochs), np.array([seen[e] for e in epochs])
