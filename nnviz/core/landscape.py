"""The loss landscape: the training loss over a plane through weight space, and the path of the
run through it.

A plane is a centre (the weights shown) and two directions ``d1``, ``d2`` in the space of all
weights and biases (flattened, in the order w0, b0, w1, b1, ...). The loss at a point (a, b) of
the plane is the loss of the weights ``centre + a * d1 + b * d2``, computed for a whole grid in
one jitted, vmapped call. The directions (:func:`make_plane`):

- ``random``: random directions, *filter-normalised* (Li et al. 2018, "Visualizing the Loss
  Landscape of Neural Nets"): each unit's incoming weights and its bias, taken together, are
  scaled to the norm of that unit's own weights and bias, so a step of 1 moves every unit by
  about its own size and landscapes of different networks compare. Biases are included: in a
  small MLP they are a good share of the weights.
- ``pca``: the first two principal components of the recorded path (the run log's checkpoints,
  relative to the weights shown), with the share of the path's variance each explains.
- ``initial``: from the weights shown towards the initial ones (the initial weights are at
  a = -1), and a random filter-normalised direction orthogonal to it, of the same length.

The path is projected onto the plane; since the plane is only a slice, the projection has a
loss of its own, which :func:`project_path` reports beside the loss the model really had.
:func:`line_losses` is the 1-D companion: the train and test loss on the straight line from
the initial to the current weights, extended past them (Goodfellow et al. 2015).

The loss is what the run optimises: the data loss on the training points plus the L1/L2
penalty when the run has one.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import compiled, losses
from .errors import NnvizError
from .network import NetworkSpec, device_array
from .training import pad_points, padded_size

GRID_RES = 41  # points a side of the landscape's grid (odd: the centre is a grid point)
MIN_GRID_RES = 11
# The grid is made coarser, and the points fewer, where a 41 x 41 grid would cost more than
# about this many multiply-adds (2 x weights x points x grid points): a wide network's landscape
# must not hold the worker for seconds.
GRID_FLOPS = 4e9
MAX_POINTS = 2048  # training points the view's landscape and path use (sample_index's)
# The memory of one vmapped batch of grid points: at most about this many floats in flight.
BATCH_FLOATS = 2 ** 23
LINE_POINTS = 61  # points on the 1-D line from the initial weights to 1.5x the way
LINE_END = 1.5
DIRECTIONS = {
    "pca": "principal components of the path",
    "initial": "initial -> current, and an orthogonal one",
    "random": "random (filter-normalised)",
}


class LandscapeError(NnvizError):
    """A plane that cannot be made; the message is meant for the user."""


# --- flat weight vectors ------------------------------------------------------------------------


def flatten(params) -> np.ndarray:
    """All weights and biases as one float64 vector (w0, b0, w1, b1, ... each row-major)."""
    return np.concatenate([np.asarray(x, np.float64).ravel() for layer in params for x in layer])


def unflatten(spec: NetworkSpec, flat):
    """The inverse of :func:`flatten`: ((w0, b0), ...) of ``spec``'s shapes, of the array type
    of ``flat`` (numpy or jax)."""
    out, i = [], 0
    for (fi, fo), (bo,) in spec.param_shapes():
        w = flat[i: i + fi * fo].reshape(fi, fo)
        i += fi * fo
        b = flat[i: i + bo]
        i += bo
        out.append((w, b))
    return tuple(out)


def params_at(spec: NetworkSpec, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray,
              a: float, b: float) -> tuple:
    """The weights ``centre + a * d1 + b * d2`` as float32 numpy layers."""
    flat = np.asarray(centre, np.float64) + a * np.asarray(d1, np.float64) + b * np.asarray(d2,
                                                                                        np.float64)
    return tuple((w.astype(np.float32), bb.astype(np.float32))
                 for w, bb in unflatten(spec, flat))


def _objective(spec: NetworkSpec, loss: str, l1: float, l2: float):
    """The training objective of flat weights on rows ``X``, ``T``; with ``mask`` and
    ``count``, on the masked rows only (padded data)."""
    def f(flat, X, T, mask=None, count=None):
        params = unflatten(spec, flat)
        return (losses.data_loss(spec, loss, params, X, T, mask, count)
                + losses.penalty(params, l1, l2))
    return f


_rows_cache: list = []  # [(X, T, n, padded rows)]: the last few, by identity
SAMPLE_SEED = 0  # the subset of the points is the same at every epoch and every call
MAX_CLASSES = 64  # targets with at most this many distinct rows are classes: stratified


def sample_index(T, n: int) -> np.ndarray:
    """Which ``n`` of the rows of ``T`` (targets, encoded) a landscape's numbers use: all of
    them in order when ``n`` covers them, else a random subset (a fixed seed: the same one each
    time) that keeps each class's share of the points (targets of few distinct rows are
    classes), sorted. The first ``n`` rows were used: on 100,000 moons the first 64 made the
    loss at the centre 0.4531 where the readout said 0.4995, and a train/test gap of 0.09 on the
    1-D plot that the real losses (0.4995, 0.5020) did not have (review r23 F5)."""
    T = np.asarray(T)
    total = len(T)
    if n >= total:
        return np.arange(total)
    rng = np.random.default_rng(SAMPLE_SEED)
    rows = T.reshape(total, -1)
    classes, label = np.unique(rows, axis=0, return_inverse=True)
    label = np.asarray(label).ravel()
    if not 1 < len(classes) <= MAX_CLASSES:
        return np.sort(rng.choice(total, n, replace=False))
    # Each class its share of n (largest remainders first), at least one of any class present.
    counts = np.bincount(label, minlength=len(classes))
    want = counts * n / total
    take = np.minimum(counts, np.maximum(1, np.floor(want).astype(int)))
    while take.sum() > n:  # (the "at least one" of many rare classes)
        take[np.argmax(take)] -= 1
    for c in np.argsort(-(want - np.floor(want)), kind="stable"):
        if take.sum() >= n:
            break
        if take[c] < counts[c]:
            take[c] += 1
    picked = [rng.choice(np.flatnonzero(label == c), int(k), replace=False)
              for c, k in enumerate(take) if k > 0]
    return np.sort(np.concatenate(picked))


def sample_rows(X, T, n: int) -> tuple:
    """(X, T, mask, count): ``n`` rows of ``X`` and ``T`` (device arrays, rows), those of
    :func:`sample_index` (all: in order), padded to ``training.padded_size(n)`` rows, the real
    ones masked in. The functions of the landscape and the sharpness take these, so that one
    compile serves every number of points within a padded size: an edited point compiles
    nothing. Kept for the last few arrays asked (a snapshot asks several times for the
    same)."""
    for entry in _rows_cache:
        if entry[0] is X and entry[1] is T and entry[2] == n:
            return entry[3]
    Xh, Th = np.asarray(X), np.asarray(T)
    n = min(int(n), len(Xh))
    i = sample_index(Th, n)
    p = pad_points(Xh[i], Th[i], np.zeros(n, np.int32))
    rows = (p.X, p.T, p.mask, p.count)
    _rows_cache.insert(0, (X, T, n, rows))
    del _rows_cache[4:]
    return rows


def objective_key(model) -> tuple:
    """What the training objective of ``model`` (a Trainer or a ModelAt) depends on."""
    cfg = model.config
    return model.spec, cfg.loss, float(cfg.l1), float(cfg.l2)


# --- directions ---------------------------------------------------------------------------------


def filter_normalise(spec: NetworkSpec, direction: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``direction`` with each unit's filter -- its incoming weights and its bias -- scaled to
    the norm of that unit's filter in ``weights`` (Li et al. 2018, biases included)."""
    out = []
    for (dw, db), (w, b) in zip(unflatten(spec, np.asarray(direction, np.float64)),
                                unflatten(spec, np.asarray(weights, np.float64))):
        # A unit's filter: column j of W (in, out) with b[j], i.e. row j of [W; b]^T.
        dn = np.sqrt(np.sum(dw * dw, axis=0) + db * db)
        wn = np.sqrt(np.sum(w * w, axis=0) + b * b)
        scale = wn / np.maximum(dn, 1e-12)
        out += [(dw * scale[None, :]).ravel(), db * scale]
    return np.concatenate(out)


def random_directions(spec: NetworkSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian directions, the same for the same network and seed (so that the plane stays
    put while the weights move)."""
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0x1A5D])
    return rng.standard_normal(spec.n_params), rng.standard_normal(spec.n_params)


def _orthogonal(v: np.ndarray, to: np.ndarray) -> np.ndarray:
    n2 = float(to @ to)
    return v - (v @ to) / n2 * to if n2 > 0 else v


def variance_shares(explained: tuple[float, float]) -> tuple[str, str, str]:
    """The two directions' shares of the path's variance and the plane's, as percentages to
    one decimal that add up as shown: "98.3%", "1.5%", "99.8%" (the plane's "99.8%" stood
    beside axes that said 98% and 1%)."""
    one, two = (round(1000 * float(e)) for e in explained)
    return tuple(f"{n / 10:.1f}%" for n in (one, two, one + two))


@dataclass(frozen=True)
class Plane:
    """A plane through weight space: ``centre + a * d1 + b * d2``, for |a|, |b| <= ``extent``."""

    kind: str  # a key of DIRECTIONS (what was asked may have fallen back to "random")
    centre: np.ndarray  # flat weights (float64)
    d1: np.ndarray
    d2: np.ndarray
    labels: tuple[str, str]  # what each axis is
    extent: float
    explained: tuple[float, float] | None = None  # pca: the path's variance share of d1, d2
    note: str = ""  # why the kind asked for was not possible

    @functools.cached_property
    def _solver(self) -> np.ndarray:
        """The least-squares solution's operator, (2, P): made once per plane (the Landscape
        view places the model on its plane in every frame; 2M weights take an SVD's time)."""
        return np.linalg.pinv(np.stack([self.d1, self.d2], 1))

    def coordinates(self, flats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) of the points of the plane nearest to the rows ``flats``, and each row's
        distance from the plane (least squares: d1 and d2 need not be orthogonal)."""
        D = np.stack([self.d1, self.d2], 1)
        rel = np.atleast_2d(flats) - self.centre[None, :]
        ab = self._solver @ rel.T
        off = np.linalg.norm(rel - (D @ ab).T, axis=1)
        return ab.T, off

    def params(self, spec: NetworkSpec, a: float, b: float) -> tuple:
        return params_at(spec, self.centre, self.d1, self.d2, a, b)


def make_plane(kind: str, spec: NetworkSpec, centre: np.ndarray, initial: np.ndarray | None,
               path: np.ndarray | None, seed: int = 0) -> Plane:
    """The plane of ``kind`` (see DIRECTIONS) through ``centre`` (flat weights). ``initial``:
    the run's initial weights; ``path``: (n, P) flat weights of the recorded path. A kind that
    the run cannot give yet (a path of one point) falls back to random directions, and says so.
    """
    if kind not in DIRECTIONS:
        raise LandscapeError(f"unknown directions {kind!r}; known: {', '.join(DIRECTIONS)}")
    centre = np.asarray(centre, np.float64)
    r1, r2 = random_directions(spec, seed)
    path = None if path is None else np.asarray(path, np.float64)
    span = 0.0
    if path is not None and len(path):
        span = float(np.max(np.linalg.norm(path - centre[None, :], axis=1)))
    if kind == "pca":
        if path is not None and len(path) >= 2 and span > 0:
            rel = path - centre[None, :]
            _, s, vt = np.linalg.svd(rel, full_matrices=False)
            var = s ** 2
            if len(var) > 1 and var[1] > 1e-12 * var[0]:
                d1, d2 = vt[0], vt[1]
                # The path comes in from the lower left: the initial weights at a, b < 0.
                first = rel[0]
                d1 = d1 if first @ d1 <= 0 else -d1
                d2 = d2 if first @ d2 <= 0 else -d2
                total = float(var.sum())
                explained = (float(var[0] / total), float(var[1] / total))
                one, two, _ = variance_shares(explained)
                return _fitted(Plane("pca", centre, d1, d2,
                                     (f"PC 1 ({one} of the path's variance)",
                                      f"PC 2 ({two})"), 1.0, explained), path)
            # A path along one line (two points; or a divergence's: out along one direction
            # and, restored, back to where it began): its one component, and a random
            # direction orthogonal to it. Random directions left such a path a dot at the
            # centre of the map, its losses (up to 1e8) nowhere on it.
            d1 = vt[0] if rel[0] @ vt[0] <= 0 else -vt[0]
            d2 = _orthogonal(filter_normalise(spec, r2, centre), d1)
            d2 = d2 / max(float(np.linalg.norm(d2)), 1e-300)
            one, _, _ = variance_shares((1.0, 0.0))
            return _fitted(Plane("pca", centre, d1, d2,
                                 (f"PC 1 ({one} of the path's variance)", "orthogonal, random"),
                                 1.0, (1.0, 0.0)), path)
        note = "the path has too few points for its principal components yet"
    elif kind == "initial":
        if initial is not None:
            d1 = centre - np.asarray(initial, np.float64)  # the initial weights at a = -1
            n1 = float(np.linalg.norm(d1))
            if n1 > 0:
                d2 = _orthogonal(filter_normalise(spec, r2, centre), d1)
                d2 = d2 * n1 / max(float(np.linalg.norm(d2)), 1e-300)
                return _fitted(Plane("initial", centre, d1, d2,
                                     ("current - initial (initial weights at -1)",
                                      "orthogonal, random"), 1.0), path, at_least=1.25)
        note = "the weights have not moved from the initial ones yet"
    else:
        note = ""
    d1 = filter_normalise(spec, r1, centre)
    d2 = filter_normalise(spec, r2, centre)
    return _fitted(Plane("random", centre, d1, d2, ("random 1 (filter-normalised)",
                                                    "random 2 (filter-normalised)"), 1.0,
                         note=f"random directions: {note}" if note else ""), path, at_least=1.0)


def _fitted(plane: Plane, path: np.ndarray | None, at_least: float = 0.0) -> Plane:
    """``plane`` with an extent that holds the projected path with a margin."""
    extent = at_least
    if path is not None and len(path):
        ab, _ = plane.coordinates(path)
        extent = max(extent, 1.2 * float(np.max(np.abs(ab))))
    if not extent > 0 or not math.isfinite(extent):
        extent = 1.0
    return Plane(plane.kind, plane.centre, plane.d1, plane.d2, plane.labels, extent,
                 plane.explained, plane.note)


# --- the losses ---------------------------------------------------------------------------------


def grid_resolution(spec: NetworkSpec, n_points: int, res: int = GRID_RES) -> int:
    """The grid's side for ``spec`` on ``n_points`` points: ``res``, coarser where it would
    cost more than GRID_FLOPS; odd, so that the centre is a grid point."""
    side = int(math.sqrt(GRID_FLOPS / (2 * max(spec.n_params, 1) * max(n_points, 1))))
    side = max(min(MIN_GRID_RES, res), min(res, side))
    return side if side % 2 else side - 1


# The fewest points a landscape uses, whatever its network costs: 64 of 80,000 moons put the
# loss at the centre 0.06 off the readout's (review r23 F5); the grid is then dearer than
# GRID_FLOPS (a 790,017-weight network's 11 x 11 grid on 256 points: ~5e10 multiply-adds, a
# second or two), which the probe's budget of the worker's time spreads out (an epoch of that
# network on 80,000 points is ~4e11).
MIN_POINTS = 256


def points_for(spec: NetworkSpec, n_train: int, max_points: int = MAX_POINTS) -> int:
    """How many training points (sample_index's) a view's landscape uses: at most
    ``max_points``, fewer where even the coarsest grid would cost more than GRID_FLOPS (a very
    wide network), but at least MIN_POINTS."""
    n = min(int(n_train), int(max_points))
    res = grid_resolution(spec, n)
    if 2 * spec.n_params * n * res * res > GRID_FLOPS:
        n = min(n, max(MIN_POINTS, int(GRID_FLOPS / (2 * spec.n_params * res * res))))
    return n


def path_length(spec: NetworkSpec) -> int:
    """The most points of a path kept for a network (its flat weights stay within ~32 MB)."""
    return int(min(MAX_PATH, max(3, 2 ** 22 // max(spec.n_params, 1))))


@compiled.per_problem()
def _losses_fn(spec: NetworkSpec, loss: str, l1: float, l2: float, batch: int):
    """The objective at ``centre + a_k d1 + b_k d2`` for every k, on the masked rows of
    ``X``, ``T`` (``sample_rows``), ``batch`` grid points at a time (vmapped within a batch)."""
    f = _objective(spec, loss, l1, l2)

    def run(centre, d1, d2, a, b, X, T, mask, count):
        def one(ab):
            return f(centre + ab[0] * d1 + ab[1] * d2, X, T, mask, count)
        return jax.lax.map(one, jnp.stack([a, b], 1), batch_size=batch)
    return jax.jit(run)


@compiled.per_problem()
def _path_losses_fn(spec: NetworkSpec, loss: str, l1: float, l2: float, batch: int):
    """The objective of each row of a stack of flat weights (rows as ``_losses_fn``'s)."""
    f = _objective(spec, loss, l1, l2)

    def run(flats, X, T, mask, count):
        return jax.lax.map(lambda w: f(w, X, T, mask, count), flats, batch_size=batch)
    return jax.jit(run)


def _batch(spec: NetworkSpec, n: int) -> int:
    per_point = n * (max(spec.layer_sizes) + spec.output_dim) + 2 * spec.n_params
    return max(1, BATCH_FLOATS // per_point)


MAX_PATH = 256  # points of a path (checkpoints evenly spread, and the model shown)


def _pad(rows: np.ndarray, size: int | None = None) -> np.ndarray:
    """``rows`` with the last repeated up to ``size`` rows (default: a power of two): the
    jitted functions compile once per length, and a path's length changes with every
    checkpoint."""
    k = len(rows)
    if size is None or size < k:
        size = 1 << max(0, (k - 1).bit_length())
    return rows if size == k else np.concatenate([rows, np.repeat(rows[-1:], size - k, 0)])


def losses_at(model, centre, d1, d2, a: np.ndarray, b: np.ndarray, X=None, T=None,
              n: int | None = None, pad: int | None = None) -> np.ndarray:
    """The training objective of ``model`` (Trainer or ModelAt) at ``centre + a d1 + b d2`` for
    the arrays ``a``, ``b`` (any same shape); on ``n`` of its training points (sample_index's; all: None), or
    on ``X``, ``T`` (encoded targets) when given. ``pad``: compute for that many points (for
    one compile whatever the number asked)."""
    X = model.X_train if X is None else X
    T = model.T_train if T is None else T
    n = int(X.shape[0]) if n is None else min(int(n), int(X.shape[0]))
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    pa, pb = _pad(a.ravel(), pad), _pad(b.ravel(), pad)
    rows = sample_rows(X, T, n)
    f = _losses_fn(*objective_key(model), min(_batch(model.spec, padded_size(n)), pa.size))
    out = f(device_array(centre), device_array(d1), device_array(d2), device_array(pa),
            device_array(pb), *rows)
    return np.asarray(out, np.float64)[: a.size].reshape(a.shape)


def losses_of(model, flats: np.ndarray, n: int | None = None,
              pad: int | None = None) -> np.ndarray:
    """The training objective of each row of ``flats`` (flat weights) on ``n`` of
    ``model``'s training points (sample_index's)."""
    X, T = model.X_train, model.T_train
    n = int(X.shape[0]) if n is None else min(int(n), int(X.shape[0]))
    flats = np.atleast_2d(flats)
    padded = _pad(flats, pad)
    f = _path_losses_fn(*objective_key(model), min(_batch(model.spec, padded_size(n)),
                                                    len(padded)))
    return np.asarray(f(device_array(padded), *sample_rows(X, T, n)), np.float64)[: len(flats)]


@dataclass(frozen=True)
class Landscape:
    plane: Plane
    coords: np.ndarray  # (res,) the a (= b) values of the grid
    values: np.ndarray  # (res, res): values[i, j] is the loss at a = coords[j], b = coords[i]
    n_points: int  # training points it was computed on


def landscape(model, plane: Plane, res: int = GRID_RES, max_points: int | None = None) -> Landscape:
    """The loss over ``plane`` on a res x res grid (coarser for a costly network)."""
    n_all = int(model.X_train.shape[0])
    n = n_all if max_points is None else min(n_all, int(max_points))
    res = grid_resolution(model.spec, n, res)
    coords = np.linspace(-plane.extent, plane.extent, res)
    coords[res // 2] = 0.0  # exactly: the weights shown
    A, B = np.meshgrid(coords, coords)
    values = losses_at(model, plane.centre, plane.d1, plane.d2, A, B, n=n)
    return Landscape(plane, coords, values, n)


@dataclass(frozen=True)
class PathOnPlane:
    epochs: np.ndarray  # (n,) the epochs of the path's points (the last: the model shown)
    ab: np.ndarray  # (n, 2) their projections onto the plane
    off: np.ndarray  # (n,) their distances from the plane
    loss: np.ndarray  # (n,) the loss each point really had
    loss_projected: np.ndarray  # (n,) the loss at its projection


def project_path(model, plane: Plane, epochs: np.ndarray, flats: np.ndarray,
                 max_points: int | None = None) -> PathOnPlane:
    """The path (``flats``: (n, P) flat weights at ``epochs``) on ``plane``: where it is, how far
    off the plane, and its loss there beside the loss it really had."""
    n = None if max_points is None else int(max_points)
    ab, off = plane.coordinates(flats)
    pad = max(len(flats), path_length(model.spec))
    real = losses_of(model, flats, n, pad)
    projected = losses_at(model, plane.centre, plane.d1, plane.d2, ab[:, 0], ab[:, 1], n=n,
                          pad=pad)
    return PathOnPlane(np.asarray(epochs, np.int64), ab, off, real, projected)


@dataclass(frozen=True)
class Line:
    alphas: np.ndarray  # 0: the initial weights, 1: the current ones
    train: np.ndarray
    test: np.ndarray | None  # None without a test set


def line_losses(model, initial: np.ndarray, current: np.ndarray, points: int = LINE_POINTS,
                end: float = LINE_END, max_points: int | None = None) -> Line:
    """The train and test loss (the objective) of ``initial + alpha (current - initial)`` for
    alpha from 0 to ``end``."""
    alphas = np.linspace(0.0, end, points)
    d = np.asarray(current, np.float64) - np.asarray(initial, np.float64)
    zeros = np.zeros_like(alphas)
    train = losses_at(model, initial, d, np.zeros_like(d), alphas, zeros, n=max_points)
    test = None
    data = model.data
    if len(data.test_index):
        X_test, T_test = _test_arrays(model)
        test = losses_at(model, initial, d, np.zeros_like(d), alphas, zeros, X_test, T_test,
                         n=max_points)
    return Line(alphas, train, test)


def _test_arrays(model):
    src = getattr(model, "source", model)  # a ModelAt reads its trainer's
    return src.X_test, src.T_test


# --- the path from the run log ------------------------------------------------------------------


def path_points(log, epoch: int, max_points: int = MAX_PATH) -> tuple[np.ndarray, list]:
    """(epochs, checkpoints) of ``log`` up to ``epoch``: at most ``max_points``, evenly spread
    over the list (the first always in)."""
    cks = [c for c in log.checkpoints if c.epoch <= epoch]
    if len(cks) > max_points:
        idx = np.unique(np.linspace(0, len(cks) - 1, max_points).round().astype(int))
        cks = [cks[i] for i in idx]
    return np.array([c.epoch for c in cks], np.int64), cks


def recorded_path(model, max_points: int = MAX_PATH) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """(epochs, flat weights (n, P), learning rates) of the path of ``model`` (a ModelAt with
    its run log, or a Trainer with a ``log``): the log's checkpoints up to its epoch (at most
    ``max_points`` in all), then the model itself."""
    log = getattr(model, "log", None)
    epochs, flats, lrs = [], [], []
    if log is not None and log.checkpoints:
        # The model itself comes last: the checkpoints before it fill the other places (its
        # own checkpoint, taken among them, left a wide network's path of three points with
        # two: the start and the model, which after a divergence's restore are one point).
        _, cks = path_points(log, int(model.epoch) - 1, max_points - 1)
        for c in cks:
            epochs.append(c.epoch)
            flats.append(flatten(c.state.params))
            lrs.append(float(np.asarray(c.state.opt_state.hyperparams["learning_rate"])))
    epochs.append(int(model.epoch))
    flats.append(flatten(model.params))
    lrs.append(float(model.learning_rate))
    flats = np.stack(flats)
    # A state that overflowed (replayed up to a divergence) is no point of the path.
    keep = np.isfinite(flats).all(axis=1)
    keep[-1] = True
    return (np.array(epochs, np.int64)[keep], flats[keep],
            [lr for lr, k in zip(lrs, keep) if k])
