"""Sharpness: the largest eigenvalue of the Hessian of the training loss.

Found by power iteration on Hessian-vector products (``jax.jvp`` of ``jax.grad``: the Hessian
itself is never formed), the loop jitted as one ``lax.while_loop`` that stops when the Rayleigh
quotient settles. Power iteration finds the eigenvalue largest in magnitude; when that one is
negative (a saddle, early in a run), a second run on ``H - mu I`` finds the largest.

Why it matters (Cohen et al. 2021, "Gradient Descent on Neural Networks Typically Occurs at the
Edge of Stability"): on a quadratic with curvature ``s``, a gradient step of rate ``lr``
multiplies the distance to the minimum by ``1 - lr * s``, which grows once ``s > 2 / lr``. With
plain gradient descent the sharpness of a network's loss climbs until it reaches ``2 / lr`` and
hovers there; a rate whose ``2 / lr`` is below the sharpness where the run is blows the loss up.

The loss is the one the run optimises: the data loss on the training points plus the L1/L2
penalty when the run has one.
"""
from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import compiled
from .landscape import _objective, _pad, sample_rows, flatten, objective_key
from .network import device_array

MAX_ITER = 200
TOL = 1e-5  # relative change of the estimate at which the iteration stops
MIN_ITER = 10  # a small change in the first steps may be a slow start, not convergence


@compiled.per_problem()
def _power_fn(spec, loss: str, l1: float, l2: float):
    """The power iteration on the masked rows of ``X``, ``T`` (``landscape.sample_rows``)."""
    f = _objective(spec, loss, l1, l2)

    def run(flat, X, T, mask, count, v0, shift, tol, max_iter):
        grad = jax.grad(lambda w: f(w, X, T, mask, count))

        def hvp(v):
            return jax.jvp(grad, (flat,), (v,))[1] - shift * v

        def cond(c):
            i, _, lam, prev = c
            return (i < max_iter) & ((i < MIN_ITER) | (jnp.abs(lam - prev) > tol * jnp.abs(lam)))

        def body(c):
            i, v, lam, _ = c
            hv = hvp(v)
            new = jnp.vdot(v, hv)  # the Rayleigh quotient of the unit vector v
            norm = jnp.linalg.norm(hv)
            v = jnp.where(norm > 0, hv / jnp.where(norm > 0, norm, 1.0), v)
            return i + 1, v, new, lam

        v0 = v0 / jnp.linalg.norm(v0)
        i, v, lam, _ = jax.lax.while_loop(cond, body, (jnp.int32(0), v0, jnp.float32(jnp.inf),
                                                       jnp.float32(0.0)))
        return lam + shift, v, i
    return jax.jit(run)


@dataclass(frozen=True)
class Estimate:
    value: float  # the largest eigenvalue of the Hessian
    vector: np.ndarray  # its eigenvector (flat weights' order), to start the next one from
    iterations: int


def top_eigenvalue(model, params=None, start: np.ndarray | None = None,
                   max_points: int | None = None, tol: float = TOL,
                   max_iter: int = MAX_ITER) -> Estimate:
    """The sharpness of ``model``'s training loss (a Trainer or a ModelAt) at ``params``
    (default: its own), on ``max_points`` of its training points (landscape.sample_index's;
    None: all). ``start``: a
    vector to begin from (the previous estimate's: a few iterations then suffice)."""
    params = model.params if params is None else params
    flat = flatten(params)
    X, T = model.X_train, model.T_train
    n = int(X.shape[0]) if max_points is None else min(int(max_points), int(X.shape[0]))
    f = _power_fn(*objective_key(model))
    if start is None or np.shape(start) != flat.shape or not np.all(np.isfinite(start)):
        start = np.random.default_rng(0).standard_normal(flat.size)
    w = device_array(flat)
    args = sample_rows(X, T, n)
    lam, v, it = f(w, *args, device_array(start), np.float32(0.0), np.float32(tol),
                   np.int32(max_iter))
    lam, iters = float(lam), int(it)
    if lam < 0:
        # The largest in magnitude is negative: the largest is the top of H - lam I, plus lam.
        # From a fresh vector: the one found is an eigenvector of H - lam I with eigenvalue 0.
        fresh = device_array(np.random.default_rng(1).standard_normal(flat.size))
        # H - lam I's top is close to its next eigenvalues (relatively): a slower iteration,
        # stopped by a finer change.
        lam2, v, it = f(w, *args, fresh, np.float32(lam), np.float32(tol / 100),
                        np.int32(10 * max_iter))
        lam, iters = float(lam2), iters + int(it)
    return Estimate(lam, np.asarray(v), iters)


@compiled.per_problem()
def _power_many_fn(spec, loss: str, l1: float, l2: float):
    """``_power_fn`` for a stack of weights at once (vmapped: one call for a run's history)."""
    one = _power_fn(spec, loss, l1, l2)
    return jax.jit(jax.vmap(one, in_axes=(0, None, None, None, None, 0, 0, None, None)))


def top_eigenvalues(model, flats: np.ndarray, max_points: int | None = None,
                    tol: float = TOL, max_iter: int = MAX_ITER,
                    pad: int | None = None) -> np.ndarray:
    """:func:`top_eigenvalue` of each row of ``flats`` (flat weights), in one vmapped call
    (of ``pad`` rows, when given: one compile for any number up to it)."""
    flats = np.atleast_2d(np.asarray(flats, np.float32))
    k = len(flats)
    flats = _pad(flats, pad)  # one compile per length
    X, T = model.X_train, model.T_train
    n = int(X.shape[0]) if max_points is None else min(int(max_points), int(X.shape[0]))
    f = _power_many_fn(*objective_key(model))
    rows = sample_rows(X, T, n)
    w = device_array(flats)
    start = device_array(np.random.default_rng(0).standard_normal(flats.shape))
    lam, _, _ = f(w, *rows, start, device_array(np.zeros(len(flats))), np.float32(tol),
                  np.int32(max_iter))
    lam = np.asarray(lam, np.float64)[:k]
    neg = np.flatnonzero(lam < 0)
    if len(neg):  # as in top_eigenvalue: the top of H - lam I, plus lam, from fresh vectors
        neg_rows = _pad(neg, len(flats))
        fresh = device_array(np.random.default_rng(1).standard_normal((len(neg_rows),
                                                                       flats.shape[1])))
        lam2, _, _ = f(device_array(flats[neg_rows]), *rows, fresh, device_array(lam[neg_rows]),
                       np.float32(tol / 100), np.int32(10 * max_iter))
        lam[neg] = np.asarray(lam2, np.float64)[: len(neg)]
    return lam


def sharpness(model, params=None, max_points: int | None = None) -> float:
    """The largest eigenvalue of the Hessian of ``model``'s training loss at ``params``."""
    return top_eigenvalue(model, params, max_points=max_points).value


def stability_limit(optimizer: str, lr: float) -> float | None:
    """The sharpness above which gradient descent at rate ``lr`` is unstable on a quadratic:
    2/lr for plain gradient descent, (2 + 2 beta)/lr with heavy-ball momentum beta (0.9 here;
    Cohen et al. 2021). None where no such line applies (Nesterov, Adam and RMSProp)."""
    if optimizer == "gd":
        return 2.0 / lr
    if optimizer == "momentum":
        return (2.0 + 2.0 * 0.9) / lr
    return None
