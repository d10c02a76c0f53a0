"""Looking inside a network while it trains: the numbers behind the inspection views.

Every public class here is a *probe*: a callable ``probe(trainer, grid_points) -> result`` that
the GUI's worker thread calls when it makes a snapshot (the result lands in
``snapshot.extras[name]``), so the GUI thread only reshapes and draws. Probes are Qt-free; the
forward passes and gradients are jitted once per network spec. A probe's settings (which layer,
which units, which neuron) are plain attributes the GUI may set at any time: the worker reads
them on its next call.

- :class:`NeuronMapsProbe` -- every neuron's activation over the input plane (thumbnails), and
  the selected neuron's at up to 100 x 100.
- :class:`HiddenSpaceProbe` -- the data and a mesh of the input plane pushed through one hidden
  layer, in two of its units or its first two principal components.
- :class:`GradientProbe` -- per layer ||dL/dW|| and the update-to-weight ratio over the epochs,
  histograms of weights and activations, the fraction of dead ReLU units.
- :class:`BaselineProbe` -- a LogisticRegression baseline on the trainer's data, over the grid.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import Future
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import compiled, losses, preempt
from .activations import ACTIVATIONS
from .features import expand as expand_features
from .lessons import Baseline, logistic_baseline
from .network import NetworkSpec, device_array, forward_layers
from .training import (_COLUMNS_BELOW_WIDTH, TrainConfig, _output_layer, compile_key,
                       forward_layers_fast, hidden_layers, pad_rows, penalty, penalty_rates)

# Enough points for a faithful gradient and activation statistics, few enough for 30 Hz.
MAX_STAT_POINTS = 4096  # the gradient view's activation histograms use at most this many points
MAX_THUMB_RES = 32
HIST_BINS = 40


# --- jitted kernels, cached per spec --------------------------------------------------------------


@compiled.per_problem()
def _layers_fn(spec: NetworkSpec):
    return jax.jit(lambda params, X: forward_layers(spec, params, X))


@compiled.per_problem()
def _drawing_layers_fn(spec: NetworkSpec):
    """Every layer's activations as ONE (N, all units) array: one transfer, not one per layer."""
    return jax.jit(lambda params, X: jnp.concatenate(forward_layers_fast(spec, params, X), 1))


@compiled.per_problem(4 * compiled.MAX_PROBLEMS)
def _unit_fn(spec: NetworkSpec, layer: int):
    """One unit's activation (the unit an argument: no compile per unit), up to its layer."""
    def f(params, X, unit):
        a = forward_layers_fast(spec, params[: layer + 1], X)[-1]
        return jax.lax.dynamic_index_in_dim(a, unit, axis=1, keepdims=False)
    return jax.jit(f)


class _IdentityMemo:
    """The last few results of a function of objects compared by identity, not value.

    The snapshot's probes get the same params and grid objects: the network and neuron views'
    probes then share one computation of the maps, and a grid goes to the device once.
    """

    def __init__(self, size: int = 4) -> None:
        self.size, self.items = size, []

    def get(self, keys: tuple, make):
        for k, v in self.items:
            if len(k) == len(keys) and all(a is b for a, b in zip(k, keys)):
                return v
        v = make()
        self.items = [(keys, v)] + self.items[: self.size - 1]
        return v


_grids = _IdentityMemo(8)  # (grid points, max_res) -> subsampled points, shape, device copy
_maps = _IdentityMemo(2)  # (spec, params, device points) -> all layers' maps, numpy


def grid_device(grid_points: np.ndarray):
    """The device copy of ``grid_points``, one per grid object: the worker's grid prediction and
    the maps probes' forward pass share it, so that they can share the pass (drawing_layers)."""
    return _grids.get((grid_points,), lambda: device_array(grid_points))


def _subsampled(grid_points: np.ndarray, max_res: int):
    def make():
        pts, shape = subsample_grid(grid_points, max_res)
        whole = len(pts) == len(grid_points)  # no row or column dropped: the grid itself
        return pts, shape, grid_device(grid_points) if whole else device_array(pts)
    return _grids.get((grid_points, max_res), make)


def shares_grid(probe, grid_points, spec: NetworkSpec) -> bool:
    """Whether ``probe`` (or the probe a Throttled wraps) takes its maps from every layer's
    activations over the whole of ``grid_points``: then the worker predicts the grid through
    drawing_layers and the probe finds that pass done. A 2-512x8-1 network's coarse grid: one
    forward pass of ~10 ms a snapshot instead of two; the notebook's network: no pass of its own
    (the 100 x 100 map of the neuron shown was one), so the maps follow every frame."""
    probe = getattr(probe, "probe", probe)
    f = getattr(probe, "shares_grid", None)
    return bool(f is not None and grid_points is not None and f(grid_points, spec))


#: Every layer over the whole grid is shared with the maps probes up to this many numbers (a
#: copy off the device of ~6 MB at most; 2-512x8-1's 12 x 12 grid: 0.6 million). Beyond it
#: (2-128-128-1's 100 x 100 grid: 2.6 million) the probes make their own, smaller passes.
MAX_SHARED_MAP_VALUES = 1_500_000


def _steps(shape: tuple[int, int], max_res: int) -> tuple[int, int]:
    """subsample_grid's strides for a (res_y, res_x) grid."""
    return max(1, math.ceil(shape[0] / max_res)), max(1, math.ceil(shape[1] / max_res))


def drawing_layers(spec: NetworkSpec, params, X_device) -> list[np.ndarray]:
    """``layer_activations`` for drawing (``forward_layers_fast``), shared by identity."""
    def make():
        flat = np.array(_drawing_layers_fn(spec)(params, X_device))
        cuts = np.cumsum(spec.layer_sizes[1:])[:-1]
        return np.split(flat, cuts, axis=1)
    return _maps.get((spec, params, X_device), make)


@compiled.per_problem()
def _grad_fn(spec: NetworkSpec, key: TrainConfig):
    """``grad(params, X, T, rates)``: ``key`` is a ``training.compile_key`` (its loss and which
    penalties are on), ``rates`` its ``penalty_rates``: a new rate compiles nothing."""
    def objective(params, X, T, rates):
        return losses.data_loss(spec, key.loss, params, X, T) + penalty(params, key, rates)
    return jax.jit(jax.grad(objective))


def layer_activations(spec: NetworkSpec, params, X: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations (hidden layers, then the output) for rows ``X``, as numpy."""
    out = _layers_fn(spec)(params, device_array(X))
    return [np.array(a) for a in out]


@compiled.per_problem()
def _stats_fn(spec: NetworkSpec, key: TrainConfig, n: int):
    """The gradient probe's numbers in one call: weights, gradients and activations on the
    first ``n`` training points (sliced inside: no separate slicing op per call)."""
    grad = _grad_fn(spec, key)

    def f(params, X, T, rates):
        X, T = X[:n], T[:n]
        return params, grad(params, X, T, rates), forward_layers_fast(spec, params, X)
    return jax.jit(f)


def _stats(trainer, max_points: int = MAX_STAT_POINTS):
    """(weights, gradients, activations) of ``trainer`` as numpy, in one transfer."""
    cfg = trainer.config
    n = min(max_points, len(trainer.data.train_index))
    f = _stats_fn(trainer.spec, compile_key(cfg), n)
    return jax.device_get(f(trainer.params, trainer.X_train, trainer.T_train,
                            penalty_rates(cfg)))


def _flat_flow(params, grads, acts):
    """The gradient probe's numbers as ONE float32 vector (one transfer off the device, where
    the weights, gradients and activations were twenty): per layer ||dL/dW||, then every
    layer's weights, then every layer's activations, each flattened."""
    return jnp.concatenate([jnp.stack([jnp.linalg.norm(gw) for gw, _ in grads])]
                           + [w.ravel() for w, _ in params] + [a.ravel() for a in acts])


def _layered_objective(spec: NetworkSpec, key: TrainConfig):
    """``_grad_fn``'s objective (the data loss and the penalties) with every layer's activations
    (as rows) beside it, for ``jax.grad(..., has_aux=True)``: one forward pass gives the
    gradient and the histograms' activations. A second pass for them (``forward_layers_fast``)
    cost the probe 5-16% of its time at 4,096 points (bench/view_ab.py --points 100000). The
    loss is ``losses.data_loss`` of the output layer on the last hidden layer's activations, as
    training's ``_train_loss`` takes it; the layers are ``network.forward_layers``'s.

    The hidden layers run as training runs them: in columns for a narrow network (samples along
    the vector lanes, the small products as fused loops, sigmoid and tanh differentiated through
    their output), in rows from ``_COLUMNS_BELOW_WIDTH`` units on. On every training point of
    the 100,000-point moons, a gradient took 4.1 ms in rows and takes 2.5 in columns."""
    out_layer, columns = _output_layer(spec), max(spec.layer_sizes) < _COLUMNS_BELOW_WIDTH

    def objective(params, X, T, rates, mask=None, count=None):
        *hidden, (w, b) = params
        x = expand_features(spec.features, X)
        acts = hidden_layers(spec, hidden, x.T if columns else x, columns)[1:]
        acts = [a.T for a in acts] if columns else acts
        x = acts[-1] if acts else x
        acts.append(ACTIVATIONS[spec.output_activation](x @ w + b))
        loss = losses.data_loss(out_layer, key.loss, ((w, b),), x, T, mask, count)
        return loss + penalty(params, key, rates), acts
    return objective


def _loss_only(objective):
    """``objective`` without its activations (XLA drops what nothing reads)."""
    return lambda *args: objective(*args)[0]


@compiled.per_problem()
def _flow_fn(spec: NetworkSpec, key: TrainConfig, n: int):
    """The gradient probe's numbers as ``_flat_flow``: the gradient on every training point
    given, the activations of the first ``n`` (the histograms' sample)."""
    grad = jax.grad(_layered_objective(spec, key), has_aux=True)

    def f(params, X, T, rates):
        g, acts = grad(params, X, T, rates)
        return _flat_flow(params, g, [a[:n] for a in acts])
    return jax.jit(f)


@compiled.per_problem()
def _padded_flow_fn(spec: NetworkSpec, key: TrainConfig):
    """``_flow_fn`` on padded points (``Trainer.grad_data``): the gradient is the mean over
    the real points, the activations are the first MAX_STAT_POINTS rows' (the caller keeps
    the real ones)."""
    grad = jax.grad(_layered_objective(spec, key), has_aux=True)

    def f(params, X, T, mask, count, rates):
        g, acts = grad(params, X, T, rates, mask, count)
        return _flat_flow(params, g, [a[:MAX_STAT_POINTS] for a in acts])
    return jax.jit(f)


@compiled.per_problem()
def _acts_fn(spec: NetworkSpec, key: TrainConfig, n: int):
    """``_flow_fn`` without the gradient (no norms in front): the weights and the first ``n``
    training points' activations, for a model whose gradient the training step kept
    (``Trainer.step_row``). Padded points: the first ``n`` rows (the caller keeps the real
    ones)."""
    objective = _layered_objective(spec, key)

    def f(params, X, T, rates, *padding):
        if padding:  # the mask and the count (only the loss, which is not used, reads them)
            padding = (padding[0][:n], jnp.minimum(padding[1], n))
        _, acts = objective(params, X[:n], T[:n], rates, *padding)
        return jnp.concatenate([w.ravel() for w, _ in params] + [a.ravel() for a in acts])
    return jax.jit(f)


def _flow_stats(trainer, max_points: int = MAX_STAT_POINTS, gradient: bool = True):
    """(||dL/dW|| per layer, weights, activations) of ``trainer`` as numpy, in one transfer:
    the gradient probe's numbers (its own gradients are needed only as their norms). The
    gradient is the whole training set's (what gradient descent follows); the activations,
    only histogrammed, are the first ``max_points``' (the eye cannot tell more apart).
    ``gradient=False``: no gradient, the norms are zeros."""
    cfg, spec = trainer.config, trainer.spec
    full = getattr(trainer, "grad_data", None)
    L = spec.n_layers
    if not gradient:
        if full is not None:
            rows, n = min(max_points, len(full.X)), min(max_points, int(full.count))
            args = (full.X, full.T, penalty_rates(cfg), full.mask, full.count)
        else:
            n = rows = min(max_points, len(trainer.data.train_index))
            args = (trainer.X_train, trainer.T_train, penalty_rates(cfg))
        flat = np.asarray(_acts_fn(spec, compile_key(cfg), rows)(trainer.params, *args))
        flat = np.concatenate([np.zeros(L, flat.dtype), flat])
    elif full is not None and max_points == MAX_STAT_POINTS:
        f = _padded_flow_fn(spec, compile_key(cfg))
        flat = np.asarray(f(trainer.params, full.X, full.T, full.mask, full.count,
                            penalty_rates(cfg)))
        rows, n = min(MAX_STAT_POINTS, len(full.X)), min(MAX_STAT_POINTS, int(full.count))
    else:
        n = rows = min(max_points, len(trainer.data.train_index))
        f = _flow_fn(spec, compile_key(cfg), n)
        flat = np.asarray(f(trainer.params, trainer.X_train, trainer.T_train, penalty_rates(cfg)))
    shapes = [tuple(np.shape(w)) for w, _ in trainer.params]
    cuts = np.cumsum([L] + [math.prod(sh) for sh in shapes]
                     + [rows * w for w in spec.layer_sizes[1:]])[:-1]
    parts = np.split(flat, cuts)
    norms, ws, acts = parts[0], parts[1:1 + L], parts[1 + L:]
    ws = [w.reshape(shape) for w, shape in zip(ws, shapes)]
    acts = [a.reshape(rows, -1)[:n] for a in acts]  # the real points' activations only
    return norms, ws, acts


def gradients(trainer, max_points: int = MAX_STAT_POINTS) -> list[tuple[np.ndarray, np.ndarray]]:
    """dL/dW and dL/db per layer on (at most ``max_points`` of) the training data."""
    return [(np.asarray(gw), np.asarray(gb)) for gw, gb in _stats(trainer, max_points)[1]]


def grid_shape(grid_points: np.ndarray) -> tuple[int, int]:
    """(res_y, res_x) of row-major 2-D grid points (y outer); (1, res) for 1-D points."""
    pts = np.asarray(grid_points)
    if pts.shape[1] == 1:
        return 1, len(pts)
    changes = np.flatnonzero(pts[:, 1] != pts[0, 1])
    res_x = int(changes[0]) if len(changes) else len(pts)
    return len(pts) // res_x, res_x


def subsample_grid(grid_points: np.ndarray, max_res: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Every k-th row and column of a grid so that neither side exceeds ``max_res``."""
    ry, rx = grid_shape(grid_points)
    pts = np.asarray(grid_points, np.float32).reshape(ry, rx, -1)
    sy, sx = max(1, math.ceil(ry / max_res)), max(1, math.ceil(rx / max_res))
    sub = pts[::sy, ::sx]
    return sub.reshape(-1, pts.shape[-1]), sub.shape[:2]


# A throttled probe that costs this much or more hands out the numbers it made while paused in
# the first frame of a Play (see Throttled), not new ones: that frame, the first new epoch the
# user sees after Play, waited for them. Cheaper ones (a small network's, milliseconds) are
# made afresh there as before: their view keeps up with the run, without an "(epoch N)" note.
PLAY_KEEPS_S = 0.05


class Throttled:
    """Runs ``probe`` at most a ``budget`` fraction of the worker's time while training runs.

    A wide network's probe can cost more than the epochs between two frames; then the previous
    result is handed out again until the probe's own cost has been earned back. A frame that does
    not come hard on the heels of the previous one (a Step) or whose epoch has not moved (a pause,
    a hand-edited weight, a changed view setting) is always computed afresh.

    The budget is kept as a balance: every call earns ``budget`` times the time since the last
    one, a computation spends its cost, and what is left over carries on to the next frames
    (banked up to two computations' worth, or what the budget earns in ``bank_s`` if more: a
    cheap probe's now-and-then slow call, preempted on a busy machine, is then paid from what
    the frames before it left over; kept to two computations of ~1.5 ms, each such call of the
    gradient probe at 100,000 points left the Gradients tab's next frames on the old numbers,
    views.GRADIENT_BANK_S). Waiting ``cost / budget``
    after each computation instead threw the rest of the wait away: a probe costing a little
    more than the budget's share of one frame ran on every other frame, half its budget unused
    (the gradient probe at 100,000 points: 2.7 ms at 5% with snapshots ~50 ms apart, new
    numbers 12 times a second).
    """

    def __init__(self, probe, budget: float = 0.15, bank_s: float = 0.0) -> None:
        self.probe, self.budget, self.bank_s = probe, budget, bank_s
        self._owner = None
        self._epoch = None
        self._result = None
        self._last_call = 0.0
        self._cost = 0.0  # of the last computation (0: none yet)
        self._estimate = 0.0  # what a computation costs: the smaller of the last two costs
        self._credit = 0.0  # seconds of probe time the budget has earned and not yet spent
        self._paused = False  # the last frame was not of a playing run

    gap_s = 0.05  # without word from the worker: a playing run's frames come faster than this
    def __call__(self, trainer, grid_points):
        now = time.perf_counter()
        epoch = int(trainer.epoch)
        owner = getattr(trainer, "run_key", None) or id(trainer)
        # Throttle only the frames of a playing run; a frame after a pause, an edit or a Step
        # (same epoch, or not playing), or of a past epoch (the timeline), is always fresh. The
        # worker says whether the run plays (ModelAt.playing): a big network's frames come more
        # than gap_s apart, and the gap alone took them for Steps (a 2-512x8-1 network paid for
        # the gradient probe in every snapshot, half the worker's time).
        playing = getattr(trainer, "playing", None)
        if playing is None:
            playing = now - self._last_call <= self.gap_s
        self._credit = min(self._credit + (now - self._last_call) * self.budget,
                           max(2 * self._estimate, self.budget * self.bank_s))
        resumed = playing and self._paused  # the first frame of a play after a pause
        self._paused = not playing
        if resumed and self._estimate >= PLAY_KEEPS_S and self._owner == owner and \
                self._result is not None and not getattr(trainer, "past", False):
            # Play after a pause: the numbers made while paused are the run's now, and the
            # next are earned from here on at the budget, not made in Play's first frame (a
            # balance banked while paused paid for them there: a wide network's regions held
            # that frame for seconds, review r24 F5).
            self._credit = min(self._credit, 0.0)
        fresh = (self._owner != owner or self._epoch == epoch or self._credit >= self._estimate
                 or not playing or getattr(trainer, "past", False))
        self._owner, self._epoch, self._last_call = owner, epoch, now
        if fresh:
            known = self._estimate > 0  # else this call was not paid for: nothing to amortise
            self._result = self.probe(trainer, grid_points)
            # The smaller of the last two costs: a call that compiled (a tab's first, a new
            # problem's) costs a second or more; amortised at a 1.5% budget it kept a tab first
            # opened while a run played on its first numbers for over a minute.
            cost = time.perf_counter() - now
            self._estimate, self._cost = min(self._cost, cost), cost
            # What it cost is spent, not the estimate: with noisy costs (a busy machine) the
            # cheaper of two was spent, and the probe took up to twice its budget. A debt is
            # kept up to a few computations' worth; the rest of a compile's cost is forgiven.
            self._credit = max(self._credit - cost, -4 * self._estimate if known else 0.0)
            if not known:  # nor does its time earn the next calls anything (a compile's seconds
                self._last_call += cost  # filled the balance: several frames' probes at once)
        return self._result


# --- neuron maps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeuronMaps:
    """Activations over the input plane. 2-D input: maps are (res_y, res_x, units) per layer,
    row i at y = ys[i]; 1-D input: (1, res, units) along xs and ys is empty."""

    xs: np.ndarray
    ys: np.ndarray
    inputs: np.ndarray  # the input features themselves, (res_y, res_x, input_dim)
    layers: tuple[np.ndarray, ...]  # hidden layers then the output
    selected: tuple[int, int]  # (layer, unit) of ``selected_map``; layer -1 = input
    selected_map: np.ndarray  # (res_y, res_x): the grid's, at most max_selected_res a side
    full_xs: np.ndarray | None = None
    full_ys: np.ndarray | None = None  # empty for 1-D input
    data_X: np.ndarray | None = None  # the data points, to draw over the selected map
    data_y: np.ndarray | None = None
    # The epoch of the weights drawn (-1: unknown): a throttled probe hands out older maps
    # while the run plays, and a view says so rather than show them under a newer epoch.
    epoch: int = -1


class NeuronMapsProbe:
    """Each neuron's activation over the grid, subsampled to at most ``max_res`` per side."""

    def __init__(self, max_res: int = MAX_THUMB_RES, max_selected_res: int = 100) -> None:
        self.max_res, self.max_selected_res = max_res, max_selected_res
        self.selected: tuple[int, int] | None = None  # set by the GUI; None: the output

    def shares_grid(self, grid_points: np.ndarray, spec: NetworkSpec) -> bool:
        """Every layer over the whole grid is few enough numbers to share (see shares_grid)."""
        g = np.asarray(grid_points)
        return g.shape[1] <= 2 and len(g) * sum(spec.layer_sizes[1:]) <= MAX_SHARED_MAP_VALUES

    def __call__(self, trainer, grid_points: np.ndarray) -> NeuronMaps | None:
        if grid_points is None or np.asarray(grid_points).shape[1] > 2:
            return None
        spec = trainer.spec
        pts, (ry, rx), pts_device = _subsampled(grid_points, self.max_res)
        sel = self.selected
        if sel is None or not (-1 <= sel[0] < spec.n_layers
                               and 0 <= sel[1] < spec.layer_sizes[sel[0] + 1]):
            sel = (spec.n_layers - 1, 0)  # nothing (valid) chosen: the output, i.e. the boundary
        layer, unit = sel
        # A big network's full-resolution map costs too much per frame: half the resolution.
        res = self.max_selected_res if spec.n_params <= 20_000 else self.max_selected_res // 2
        full, (fry, frx), full_device = _subsampled(grid_points, res)
        if self.shares_grid(grid_points, spec):
            # The worker drew the grid through every layer (the same pass): strides of it.
            shape = grid_shape(grid_points)
            (sy, sx), (fsy, fsx) = _steps(shape, self.max_res), _steps(shape, res)
            whole = [a.reshape(*shape, -1) for a in
                     drawing_layers(spec, trainer.params, grid_device(grid_points))]
            layers = tuple(a[::sy, ::sx] for a in whole)
            values = None if layer == -1 else whole[layer][::fsy, ::fsx, unit]
        else:
            acts = drawing_layers(spec, trainer.params, pts_device)
            layers = tuple(a.reshape(ry, rx, -1) for a in acts)
            if layer == -1:
                values = None
            elif (fry, frx) == (ry, rx):  # the thumbnails have it
                values = acts[layer][:, unit]
            else:
                values = np.array(_unit_fn(spec, layer)(trainer.params, full_device, unit))
        if values is None:  # an input feature
            values = np.asarray(expand_features(spec.features, full))[:, unit]
        xs, ys = _axes(pts, ry, rx)
        inputs = np.asarray(expand_features(spec.features, pts))  # what layer 1 sees
        sel_map = np.asarray(values).reshape(fry, frx)
        fxs, fys = _axes(full, fry, frx)
        return NeuronMaps(xs, ys, inputs.reshape(ry, rx, -1), layers, sel, sel_map, fxs, fys,
                          trainer.data.X, trainer.data.y, int(getattr(trainer, "epoch", -1)))


def _axes(pts: np.ndarray, ry: int, rx: int) -> tuple[np.ndarray, np.ndarray]:
    grid = pts.reshape(ry, rx, -1)
    xs = grid[0, :, 0].copy()
    ys = grid[:, 0, 1].copy() if pts.shape[1] > 1 else np.zeros(0, np.float32)
    return xs, ys


# --- hidden space ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HiddenSpace:
    layer: int  # hidden layer index (0 = the first hidden layer)
    axes: tuple[str, str]  # what the two coordinates are, e.g. ("PC 1", "PC 2") or ("unit 3", ...)
    points: np.ndarray  # (N, 2) every data point in the layer's space
    labels: np.ndarray  # (N,) class or target value
    is_test: np.ndarray  # (N,) bool
    mesh: np.ndarray  # (lines, points per line, 2): the input plane's grid lines, transformed
    explained: tuple[float, float] | None  # PCA: the fraction of variance of each component
    width: int  # units in the layer
    total: int = 0  # data points in all (more than len(points) when a sample is drawn)
    epoch: int = -1  # of the weights drawn (-1: unknown); see NeuronMaps.epoch


#: More data points than this are drawn (and their principal components found) as a fixed
#: random sample of this many: the eye cannot tell more apart in a plot, and every snapshot
#: would pay for all of them in the worker and in the painter.
HIDDEN_SPACE_POINTS = 5000


class HiddenSpaceProbe:
    """The data and a mesh of the input plane seen through hidden layer ``layer``.

    ``units`` = (i, j) draws units i and j; None draws the first two principal components
    (of the data's activations) when the layer is wider than two, else its units.
    """

    def __init__(self, layer: int = 0, units: tuple[int, int] | None = None,
                 lines: int = 17, points_per_line: int = 60) -> None:
        self.layer, self.units = layer, units
        self.lines, self.points_per_line = lines, points_per_line
        self._last_components: np.ndarray | None = None  # keeps PC signs from flipping
        self._sample: tuple | None = None  # (the data, its rows drawn, their labels, test flags)
        # (the data, the grid, the mesh's shape, the sample and the mesh stacked on the device):
        # the same every frame while the data and the grid are (the data's bounds alone were
        # 16 ms at 100,000 points).
        self._inputs: tuple | None = None

    def sample(self, data) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """(rows drawn or None for all, their labels, their test flags), the same objects every
        time for the same data (the view builds its brushes once per labels array)."""
        if self._sample is None or self._sample[0] is not data:
            n = len(data.X)
            test = np.zeros(n, bool)
            test[data.test_index] = True
            rows, labels = None, data.y
            if n > HIDDEN_SPACE_POINTS:
                rows = np.sort(np.random.default_rng(0).choice(n, HIDDEN_SPACE_POINTS,
                                                               replace=False))
                labels, test = labels[rows], test[rows]
            self._sample = (data, rows, labels, test)
        return self._sample[1:]

    def mesh_points(self, bounds: tuple[tuple[float, float], ...]) -> np.ndarray:
        """The grid lines of the input box: (lines, points, d) for d = 1 or 2."""
        m = self.points_per_line
        if len(bounds) == 1:
            return np.linspace(*bounds[0], m * 4, dtype=np.float32)[None, :, None]
        (x0, x1), (y0, y1) = bounds
        t = np.linspace(0, 1, m, dtype=np.float32)
        s = np.linspace(0, 1, self.lines, dtype=np.float32)
        horiz = np.stack(np.broadcast_arrays(x0 + (x1 - x0) * t[None, :],
                                             y0 + (y1 - y0) * s[:, None]), -1)
        vert = np.stack(np.broadcast_arrays(x0 + (x1 - x0) * s[:, None],
                                            y0 + (y1 - y0) * t[None, :]), -1)
        return np.concatenate([horiz, vert]).astype(np.float32)

    def __call__(self, trainer, grid_points: np.ndarray | None) -> HiddenSpace | None:
        spec, data = trainer.spec, trainer.data
        if not spec.hidden:
            return None
        layer = min(max(int(self.layer), 0), len(spec.hidden) - 1)
        width = spec.hidden[layer]
        rows, labels, test = self.sample(data)
        inputs = self._inputs
        if inputs is None or inputs[0] is not data or inputs[1] is not grid_points or \
                inputs[4] != (self.lines, self.points_per_line):
            if grid_points is not None and np.asarray(grid_points).shape[1] == data.n_features:
                g = np.asarray(grid_points)
                bounds = tuple((float(g[:, k].min()), float(g[:, k].max()))
                               for k in range(g.shape[1]))
            else:
                bounds = data.bounds(0.1)
            if data.n_features > 2:  # no plane to draw: the data only
                mesh_in = np.zeros((0, self.points_per_line, data.n_features), np.float32)
            else:
                mesh_in = self.mesh_points(bounds)
            X = data.X if rows is None else data.X[rows]
            stacked = np.concatenate([X, mesh_in.reshape(-1, mesh_in.shape[-1])])
            # Padded to a few sizes: an edited point compiles nothing (the rows are independent).
            inputs = self._inputs = (data, grid_points, mesh_in.shape[:2],
                                     (device_array(pad_rows(stacked)), len(stacked)),
                                     (self.lines, self.points_per_line))
        mesh_shape, (stacked, n_stacked) = inputs[2], inputs[3]
        n_data = len(labels)
        # The chosen layer alone comes off the device.
        h = np.asarray(_layers_fn(spec)(trainer.params, stacked)[layer])[:n_stacked]
        hd, hm = h[:n_data], h[n_data:]
        units = self.units
        explained = None
        # Overflowing activations (a diverging run): no PCA of infinities, the raw units instead.
        finite = bool(np.isfinite(hd).all())
        if units is None and width > 2 and finite:
            mean = hd.mean(axis=0, dtype=np.float64)
            # The principal axes from the (width x width) scatter matrix: the same axes and
            # variances as an SVD of the (points x width) data, ~10x cheaper at 5,000 points.
            c = hd - mean
            var, vecs = np.linalg.eigh(c.T @ c)
            var, comps = np.maximum(var[::-1], 0.0), vecs[:, ::-1].T[:2]
            prev = self._last_components
            if prev is not None and prev.shape == comps.shape:
                comps = comps * np.where(np.sum(comps * prev, axis=1) < 0, -1.0, 1.0)[:, None]
            self._last_components = comps
            total = float(var.sum()) or 1.0
            explained = (float(var[0] / total), float(var[1] / total) if len(var) > 1 else 0.0)
            proj = lambda a: (a - mean) @ comps.T  # noqa: E731
            axes = ("PC 1", "PC 2")
        else:
            i, j = units if units is not None else (0, 1)
            i, j = min(i, width - 1), min(j, width - 1)
            if width == 1:
                proj = lambda a: np.stack([a[:, 0], np.zeros(len(a), a.dtype)], 1)  # noqa: E731
                axes = ("unit 1", "")
            else:
                proj = lambda a: a[:, [i, j]]  # noqa: E731
                axes = (f"unit {i + 1}", f"unit {j + 1}")
        return HiddenSpace(layer, axes, proj(hd).astype(np.float32), labels, test,
                           proj(hm).astype(np.float32).reshape(*mesh_shape, 2),
                           explained, width, len(data.X), int(getattr(trainer, "epoch", -1)))


# --- gradient flow --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Histogram:
    edges: np.ndarray  # (bins + 1,)
    counts: np.ndarray  # (bins,)


@dataclass(frozen=True)
class GradientFlow:
    """Per layer (hidden layers then the output): the gradient's story so far."""

    epochs: np.ndarray  # (T,) the epochs of the history
    grad_norms: np.ndarray  # (T, L) ||dL/dW|| (Frobenius)
    update_ratios: np.ndarray  # (T, L) per-epoch ||dW|| / ||W||
    weight_hists: tuple[Histogram, ...]
    activation_hists: tuple[Histogram, ...]
    dead_fraction: tuple[float | None, ...]  # per hidden layer: dead ReLU units (None: no ReLU)
    exact_ratio: bool  # True for plain gd: lr ||g|| / ||W||; else measured between snapshots
    # The training points this frame's activations were measured on (the first MAX_STAT_POINTS
    # at most), of the run's training points; the gradients are every training point's.
    points: int = 0
    train_points: int = 0
    epoch: int = -1  # of the model measured (-1: unknown); see NeuronMaps.epoch

    @property
    def sampled(self) -> bool:
        """True when the activations are a sample's: fewer points than the run trains on."""
        return 0 < self.points < self.train_points


def histogram(values: np.ndarray, bins: int | None = None, symmetric: bool = False,
              value_range: tuple[float, float] | None = None) -> Histogram:
    """Counts over ``value_range`` (default: the values' own range); by default about
    1.5 sqrt(n) bins, 8 to HIST_BINS."""
    v = np.asarray(values, np.float64).ravel()
    v = v[np.isfinite(v)]
    if bins is None:
        bins = int(np.clip(1.5 * np.sqrt(max(v.size, 1)), 8, HIST_BINS))
    if v.size == 0:
        return Histogram(np.linspace(-1, 1, bins + 1), np.zeros(bins))
    lo, hi = value_range if value_range is not None else (float(v.min()), float(v.max()))
    if symmetric:
        m = max(abs(lo), abs(hi))
        lo, hi = -m, m
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    # np.histogram's equal-width binning without its checks (~75 -> ~15 us; eight a snapshot)
    v = v[(v >= lo) & (v <= hi)]
    idx = np.minimum(((v - lo) * (bins / (hi - lo))).astype(np.intp), bins - 1)
    counts = np.bincount(idx, minlength=bins)
    return Histogram(np.linspace(lo, hi, bins + 1), counts.astype(np.float64))


def dead_relu_fraction(activations: np.ndarray) -> float:
    """Fraction of units whose activation is zero on every given point."""
    return float(np.mean(np.all(activations <= 0, axis=0)))


def layer_norms(params, g):
    """Per layer ||dL/dW|| (``g``: the gradient) and ||W||."""
    return (jnp.stack([jnp.linalg.norm(gw) for gw, _ in g]),
            jnp.stack([jnp.linalg.norm(w) for w, _ in params]))


@compiled.per_problem()
def _norms_fn(spec: NetworkSpec, key: TrainConfig):
    """Per layer ||dL/dW|| and ||W|| on the training points given, in one call (the gradient as
    the probe's, ``_layered_objective``)."""
    grad = jax.grad(_loss_only(_layered_objective(spec, key)))

    def f(params, X, T, rates):
        return layer_norms(params, grad(params, X, T, rates))
    return jax.jit(f)


@compiled.per_problem()
def _padded_norms_fn(spec: NetworkSpec, key: TrainConfig):
    """``_norms_fn`` on padded points (the mean over the real ones): one compile for every
    number of points within a padded size (``training.padded_size``)."""
    grad = jax.grad(_loss_only(_layered_objective(spec, key)))

    def f(params, X, T, mask, count, rates):
        return layer_norms(params, grad(params, X, T, rates, mask, count))
    return jax.jit(f)


def gradient_row(model, previous=None, measured=None) -> tuple[np.ndarray, np.ndarray]:
    """(||dL/dW||, update ratio) per layer of ``model`` (a Trainer or a ModelAt), the gradient
    on every training point. The ratio is lr ||g|| / ||W|| for plain gradient descent, else
    measured against ``previous`` = (epoch, params) of an earlier state: ||W - W_prev|| / ||W||
    per epoch between them. ``measured``: ``gradient_norms(model)``, worked out already."""
    norms, wnorm = gradient_norms(model) if measured is None else measured
    return norms, update_ratios(model.config.optimizer, model.learning_rate, model.epoch,
                                model.params, norms, wnorm, previous)


def gradient_norms(model) -> tuple[np.ndarray, np.ndarray]:
    """(||dL/dW||, ||W||) per layer of ``model``, the gradient on every training point: the
    costly part of ``gradient_row`` (a forward and backward pass over all the points), which
    ``record_gradient_norms`` turns into a row."""
    cfg = model.config
    full = getattr(model, "grad_data", None)
    if full is not None:
        # Padded (a window's run: an edited point compiles nothing).
        f = _padded_norms_fn(model.spec, compile_key(cfg))
        out = f(model.params, full.X, full.T, full.mask, full.count, penalty_rates(cfg))
    else:
        f = _norms_fn(model.spec, compile_key(cfg))
        out = f(model.params, model.X_train, model.T_train, penalty_rates(cfg))
    norms, wnorm = (np.asarray(a, np.float64) for a in jax.device_get(out))
    return norms, wnorm


def update_ratios(optimizer: str, learning_rate: float, epoch: int, params, norms, wnorm,
                  previous=None) -> np.ndarray:
    """``gradient_row``'s update ratios of weights ``params`` after ``epoch`` epochs, from their
    per-layer gradient norms ``norms`` and weight norms ``wnorm``."""
    norms = np.asarray(norms, np.float64)
    wnorm = np.maximum(np.asarray(wnorm, np.float64), 1e-12)
    if optimizer == "gd":
        return learning_rate * norms / wnorm
    if previous is not None and epoch > previous[0]:
        steps = epoch - previous[0]
        return np.array([np.linalg.norm(np.asarray(w) - np.asarray(p))
                         for (w, _), (p, _) in zip(params, previous[1])]) / wnorm / steps
    return np.full(len(norms), np.nan)


def _previous(log):
    cks = log.checkpoints
    return (cks[-2].epoch, cks[-2].state.params) if len(cks) > 1 else None


def record_gradients(model, log, measured=None) -> None:
    """Record ``model``'s gradient statistics in ``log`` at its newest checkpoint (call it right
    after the checkpoint is taken, e.g. as ``runlog.advance``'s ``on_checkpoint``): the gradient
    view's history, kept however the epochs were run. ``measured``: see gradient_row."""
    norms, ratios = gradient_row(model, _previous(log), measured)
    log.record_grads(log.checkpoints[-1].epoch, norms, ratios)


def record_gradient_norms(log, optimizer: str, learning_rate: float, norms, wnorm) -> None:
    """``record_gradients`` of norms measured elsewhere -- a sweep's member's, measured with
    the other members' in one call -- for the weights of ``log``'s newest checkpoint."""
    ck = log.checkpoints[-1]
    ratios = update_ratios(optimizer, learning_rate, ck.epoch, ck.state.params, norms, wnorm,
                           _previous(log))
    log.record_grads(ck.epoch, np.asarray(norms, np.float64), ratios)


class GradientProbe:
    """The gradient's story up to the model's epoch: the run log's rows (one per checkpoint, see
    :func:`record_gradients`) and this model's own, plus its weight and activation histograms.
    Stateless: the record is the run's, so a past epoch, a branch or a reopened session shows
    its own history. A model without a log (a bare Trainer) gets its own row only."""

    def __call__(self, trainer, grid_points: np.ndarray | None = None) -> GradientFlow:
        return self._from_log(trainer, getattr(trainer, "log", None))

    @staticmethod
    def _from_log(model, log) -> GradientFlow:
        """The history is the run log's (a row at every checkpoint, however the epochs were
        run), up to the epoch shown, then this model's own row."""
        epoch = int(model.epoch)
        # A playing run's last epoch took the gradient on every training point already (plain
        # gradient descent, full batch: Trainer.step_row): its row is drawn, at that epoch (the
        # one before this), and the probe takes none of its own -- at 100,000 points that
        # gradient was 4-5 ms of a fresh frame's 7.5. Paused, stepped or past: this epoch's own.
        step = model.step_row() if getattr(model, "playing", False) and hasattr(
            model, "step_row") else None
        L = model.spec.n_layers
        if log is not None and log.grads is not None and log.grads.width == 2 * L:
            epochs, rows = log.grads.upto(epoch)
        else:
            epochs, rows = np.zeros(0, np.int64), np.zeros((0, 2 * L), np.float32)
        # This epoch's row recorded (a checkpoint's: paused at one, the start) or measured
        # elsewhere: its gradient is not taken again (at 100,000 points a pass as long as an
        # epoch, ~9 s for 2-512x4-1). Being measured on another thread (the mark is the Future
        # it comes with): wait for it.
        mark = getattr(model, "gradient_row", "")
        recorded = (len(epochs) and epochs[-1] == epoch) or mark == "known"
        if step is None and not recorded and isinstance(mark, Future):
            raise preempt.Later(mark)
        gnorms, ws, acts = _flow_stats(model, gradient=step is None and not recorded)
        if step is not None:
            at, norms, wnorm = step
            if not len(epochs) or epochs[-1] < at:  # (a checkpoint's row may be newer)
                ratios = model.learning_rate * norms / np.maximum(wnorm, 1e-12)
                epochs = np.append(epochs, at)
                rows = np.concatenate([rows, np.concatenate([norms, ratios])[None].astype(
                    np.float32)])
        elif not len(epochs) or epochs[-1] != epoch:
            norms = gnorms.astype(np.float64)
            wnorm = np.array([max(np.linalg.norm(w), 1e-12) for w in ws])
            if model.config.optimizer == "gd":
                ratios = model.learning_rate * norms / wnorm
            else:
                ratios = np.full(L, np.nan)
                if log is not None and epoch > log.checkpoints[0].epoch:
                    ck = log.nearest(epoch - 1)  # the last state before this one
                    ratios = np.array([np.linalg.norm(w - np.asarray(p)) for w, (p, _) in
                                       zip(ws, ck.state.params)]) / wnorm / (epoch - ck.epoch)
            epochs = np.append(epochs, epoch)
            rows = np.concatenate([rows, np.concatenate([norms, ratios])[None].astype(np.float32)])
        dead = tuple(dead_relu_fraction(a) if name == "relu" else None
                     for a, name in zip(acts[:-1], model.spec.activations))
        wr, ar = _common_range(ws), _common_range(acts)
        return GradientFlow(epochs, rows[:, :L].astype(np.float64), rows[:, L:].astype(np.float64),
                            tuple(histogram(w, symmetric=True, value_range=wr) for w in ws),
                            tuple(histogram(a, value_range=ar) for a in acts), dead,
                            model.config.optimizer == "gd", len(acts[0]) if acts else 0,
                            len(model.data.train_index), epoch)


def _common_range(arrays) -> tuple[float, float]:
    finite = [a[np.isfinite(a)] for a in (np.asarray(x) for x in arrays)]
    finite = [a for a in finite if a.size]
    if not finite:
        return (-1.0, 1.0)
    return (float(min(a.min() for a in finite)), float(max(a.max() for a in finite)))


# --- the logistic-regression baseline -------------------------------------------------------------


@dataclass(frozen=True)
class BaselineView:
    """The baseline with what it is drawn over: the grid axes and the data."""

    baseline: Baseline
    xs: np.ndarray
    ys: np.ndarray  # empty for 1-D input
    data_X: np.ndarray
    data_y: np.ndarray
    n_classes: int


class BaselineProbe:
    """A LogisticRegression baseline for the trainer's data, fitted once per data set and grid."""

    def __init__(self) -> None:
        self._key = None
        self._result: Baseline | None = None

    def __call__(self, trainer, grid_points: np.ndarray | None) -> BaselineView | None:
        data = trainer.data
        if not data.is_classification:
            return None
        if data.n_features > 2:
            grid_points = None  # no plane to draw: the accuracies only
        key = (id(data), data.spec, None if grid_points is None else (np.shape(grid_points),
                                                           float(np.sum(grid_points))))
        if key != self._key:
            try:
                base = logistic_baseline(data, grid_points)
            except ValueError:
                self._result = None
            else:
                if grid_points is None:
                    xs = ys = np.zeros(0, np.float32)
                else:
                    ry, rx = grid_shape(grid_points)
                    xs, ys = _axes(np.asarray(grid_points, np.float32), ry, rx)
                self._result = BaselineView(base, xs, ys, data.X, data.y, data.n_classes)
            self._key = key
        return self._result
