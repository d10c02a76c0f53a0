"""Backpropagation written out: one training point's forward pass, loss, errors and gradients,
then the step the run really takes -- every number built by hand and checked against jax.

For one training point ``x`` with encoded target ``t`` (rows, as in :mod:`nnviz.core.network`:
layer l computes ``z = a_prev @ W + b`` -- the notebook's ``w.T @ x + b`` -- and ``a = f(z)``):

1. forward: ``z`` and ``a`` per unit;
2. the loss of this point, ``L``;
3. the error ``delta = dL/dz`` per unit, from the output back: at the output from the loss's
   derivative; in a hidden layer ``delta = (W_next @ delta_next) * f'(z)`` (a softmax layer
   multiplies by its Jacobian instead);
4. ``dL/dW[i, j] = a_prev[i] * delta[j]`` per link and ``dL/db = delta``;
5. the gradient the run applies: the mean of every point's ``dL/dW`` over the batch the point is
   in (all training points for full-batch runs), plus the L1/L2 penalty's gradient;
6. the optimiser's update from its state in the run (plain gd ``-lr g``; momentum, Nesterov,
   Adam and RMSProp written out), applied as optax does.

The hand-built numbers are numpy float64; :class:`Check` holds their largest difference from
``jax.grad`` (the point's and the batch's gradients) and from optax's update. Per-example
gradients (``vmap`` of ``grad``) give each training point's "pull": the norm of its own gradient.

While the run plays, the probe computes what the stage on screen shows (``STAGE_PARTS``): the
point's pass alone for stages 1-4, jax's batch gradient and optax's update for the update, and the
batch gradient by hand too for the batch stage; the view's check says which numbers it compared.
A paused run's trace has every stage's numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from . import compiled, losses
from .network import NetworkSpec, device_array
from .training import (batch_order, compile_key, make_optimizer, pad_points, padded_size,
                       penalty, penalty_rates, shuffled_order)

STAGES = ("forward", "loss", "delta", "grad", "batch", "update")
STAGE_TITLES = {
    "forward": "Forward pass",
    "loss": "The loss of this point",
    "delta": "Errors δ, going back",
    "grad": "∂L/∂w for each link",
    "batch": "The batch gradient",
    "update": "The update",
}

#: What a stage shows, so what a trace made while the run plays computes (a paused run's trace
#: has every stage's numbers): the point's own stages need its pass alone; "update" also jax's
#: batch gradient and optax's update from it; "batch" those and the batch gradient by hand. The
#: batch is most of a trace's cost (at 100,000 points ~30 of its ~31 ms of CPU: the hand pass
#: over 80,000 rows and jax's), and the point's stages were shown at the batch's pace.
POINT, UPDATE, ALL = "point", "update", "all"
STAGE_PARTS = {"forward": POINT, "loss": POINT, "delta": POINT, "grad": POINT, "batch": ALL,
               "update": UPDATE}

# Hand-built numbers (float64) against jax's float32: a bound well above float32 rounding.
MATCH_TOLERANCE = 1e-5
# Beyond this many multiply-adds the batch gradient is checked by jax alone (numpy float64 on a
# wide network and a big data set would take seconds).
MAX_HAND_BATCH_WORK = 5e7
# Rows of the batch per hand pass at most: a pass keeps six float64 arrays per layer for each of
# its rows, and 80,000 rows at once peaked at ~90 MB, most of which the process then kept
# (bench/gui.py --points 100000: +170 MB with the Backprop tab shown; chunked, +~10 MB).
HAND_ROWS = 8192
# Multiply-adds of one product below which OpenBLAS multiplies in one thread (its
# SMP_THRESHOLD_MIN x GEMM_MULTITHREAD_THRESHOLD: 65,536 x 4): ``_mm`` uses the BLAS up to here,
# and the hand batch is cut into chunks of rows whose products stay under it.
BLAS_ONE_THREAD = 2 ** 18
# Per-example gradients are computed in chunks of at most this many numbers (points x params).
PULL_CHUNK_NUMBERS = 2 ** 22
MAX_PULL_POINTS = 20_000

_EPS = 1e-7  # losses._EPS: bce on a non-sigmoid output clips to [eps, 1 - eps]


# --- activation derivatives, by hand -------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _gelu_derivative(z: np.ndarray) -> np.ndarray:
    # jax.nn.gelu's default: the tanh approximation
    c = math.sqrt(2.0 / math.pi)
    u = np.tanh(c * (z + 0.044715 * z ** 3))
    return 0.5 * (1.0 + u) + 0.5 * z * (1.0 - u * u) * c * (1.0 + 3 * 0.044715 * z * z)


def _forward_numpy(name: str, z: np.ndarray) -> np.ndarray:
    if name == "linear":
        return z
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky-relu":
        return np.where(z >= 0, z, 0.01 * z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))
    if name == "gelu":
        c = math.sqrt(2.0 / math.pi)
        return 0.5 * z * (1.0 + np.tanh(c * (z + 0.044715 * z ** 3)))
    if name == "swish":
        return z * _sigmoid(z)
    if name == "softplus":
        return np.logaddexp(z, 0.0)
    if name == "sin":
        return np.sin(z)
    if name == "cos":
        return np.cos(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")


def derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray | None:
    """f'(z) element by element (None for softmax, whose derivative is a Jacobian). At a kink
    (relu at exactly 0) the value jax uses."""
    if name == "linear":
        return np.ones_like(z)
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return np.where(z > 0, 1.0, np.where(z == 0, 0.5, 0.0))  # jnp.maximum splits a tie
    if name == "leaky-relu":
        return np.where(z >= 0, 1.0, 0.01)
    if name == "elu":
        return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))
    if name == "gelu":
        return _gelu_derivative(z)
    if name == "swish":
        s = _sigmoid(z)
        return s + z * s * (1.0 - s)
    if name == "softplus":
        return _sigmoid(z)
    if name == "sin":
        return np.cos(z)
    if name == "cos":
        return -np.sin(z)
    if name == "softmax":
        return None
    raise ValueError(f"unknown activation {name!r}")


#: f'(z) written out, for the view.
DERIVATIVE_TEXT = {
    "linear": "f′(z) = 1",
    "sigmoid": "f′(z) = a(1 − a)",
    "tanh": "f′(z) = 1 − a²",
    "relu": "f′(z) = 1 if z > 0, else 0",
    "leaky-relu": "f′(z) = 1 if z ≥ 0, else 0.01",
    "elu": "f′(z) = 1 if z > 0, else e^z",
    "gelu": "f′(z) = the derivative of z·Φ(z) (tanh approximation)",
    "swish": "f′(z) = σ(z) + z·σ(z)(1 − σ(z))",
    "softplus": "f′(z) = σ(z) = 1 / (1 + e^−z)",
    "sin": "f′(z) = cos z",
    "cos": "f′(z) = −sin z",
    "softmax": "∂aᵢ/∂zⱼ = aᵢ(1[i=j] − aⱼ): δ = a ⊙ (u − a·u)",
}


def _back_through(name: str, z: np.ndarray, a: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """dL/dz from dL/da = ``upstream`` (rows)."""
    fp = derivative(name, z, a)
    if fp is None:  # softmax: J^T u with J = diag(a) - a a^T
        return a * (upstream - np.sum(a * upstream, axis=-1, keepdims=True))
    return upstream * fp


# --- the hand-built pass over rows ----------------------------------------------------------------


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b``, never on a threaded BLAS: below OpenBLAS's threading threshold the BLAS
    itself (10-20x faster than einsum for these tall, thin products: 0.14 ms -> 7 us for
    2,048 rows of 10 x 4); above it einsum in one thread, because a threaded BLAS on a busy
    machine spends far longer waking its threads than multiplying (80,000 rows: 32 ms, against
    0.5 ms in one thread; bench/view_probes.py)."""
    if a.shape[0] * a.shape[1] * b.shape[-1] <= BLAS_ONE_THREAD:
        return a @ b
    return np.einsum("ij,jk->ik", a, b, optimize=False)


@dataclass(frozen=True)
class LayerPass:
    """One layer for rows of points (N, units): what goes in and comes out, and what comes back."""

    a_in: np.ndarray  # the layer's input activations (N, in)
    z: np.ndarray  # (N, out)
    a: np.ndarray
    fprime: np.ndarray | None  # f'(z); None for softmax
    upstream: np.ndarray  # dL/da (N, out)
    delta: np.ndarray  # dL/dz (N, out)


def _loss_and_output_delta(spec: NetworkSpec, loss: str, z: np.ndarray, a: np.ndarray,
                           T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(per-point loss (N,), dL/da, dL/dz) at the output, as losses.data_loss defines the loss."""
    out_act = spec.output_activation
    n, k = a.shape
    if loss == "mse":
        t = T.reshape(n, k)
        per = np.mean((a - t) ** 2, axis=1)
        upstream = 2.0 * (a - t) / k
        return per, upstream, _back_through(out_act, z, a, upstream)
    if loss == "bce":
        t = T.reshape(n, 1)
        if out_act == "sigmoid":  # from the logit, as optax.sigmoid_binary_cross_entropy
            per = (np.logaddexp(0.0, z) - t * z)[:, 0]
            delta = _sigmoid(z) - t
            fp = a * (1 - a)
            return per, np.divide(delta, fp, out=np.zeros_like(delta), where=fp != 0), delta
        p = np.clip(a, _EPS, 1 - _EPS)
        per = -(t * np.log(p) + (1 - t) * np.log1p(-p))[:, 0]
        inside = (a > _EPS) & (a < 1 - _EPS)
        upstream = np.where(inside, -t / p + (1 - t) / (1 - p), 0.0)
        return per, upstream, _back_through(out_act, z, a, upstream)
    labels = np.asarray(T, np.int64).reshape(n)
    onehot = np.eye(k)[labels]
    logits = z if out_act == "softmax" else a
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    per = -logp[np.arange(n), labels]
    d_logits = np.exp(logp) - onehot
    if out_act == "softmax":
        upstream = np.zeros_like(a)  # not used: the loss is taken from the logits
        return per, upstream, d_logits
    return per, d_logits, _back_through(out_act, z, a, d_logits)


def hand_pass(spec: NetworkSpec, loss: str, params, X: np.ndarray, T: np.ndarray
              ) -> tuple[list[LayerPass], np.ndarray]:
    """Forward and backward by hand for rows ``X`` against encoded targets ``T``: the layers'
    numbers and each point's loss. Every point's own gradient is then
    ``a_in[n, :, None] * delta[n, None, :]`` (W) and ``delta[n]`` (b)."""
    a = np.asarray(X, np.float64)
    if a.ndim == 1:
        a = a[None]
    ws = [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in params]
    fwd = []
    for (w, b), name in zip(ws, spec.layer_activations):
        z = _mm(a, w) + b
        out = _forward_numpy(name, z)
        fwd.append((a, z, out, name))
        a = out
    a_in, z, a, name = fwd[-1]
    per, upstream, delta = _loss_and_output_delta(spec, loss, z, a, np.asarray(T))
    layers = [LayerPass(a_in, z, a, derivative(name, z, a), upstream, delta)]
    for i in range(len(fwd) - 2, -1, -1):
        a_in, z, a, name = fwd[i]
        upstream = _mm(layers[0].delta, ws[i + 1][0].T)
        layers.insert(0, LayerPass(a_in, z, a, derivative(name, z, a), upstream,
                                   _back_through(name, z, a, upstream)))
    return layers, per


def point_gradients(layers: list[LayerPass], n: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Point ``n``'s dL/dW (in, out) and dL/db per layer from a hand pass."""
    return [(np.outer(p.a_in[n], p.delta[n]), p.delta[n].copy()) for p in layers]


def mean_gradients(layers: list[LayerPass]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The mean of every point's gradient: the data loss's gradient over these rows."""
    n = len(layers[0].z)
    return [(_mm(p.a_in.T, p.delta) / n, p.delta.mean(axis=0)) for p in layers]


def hand_rows(params) -> int:
    """Rows of a hand batch pass: as many as keep each layer's product on a one-thread BLAS
    (``BLAS_ONE_THREAD``), at most ``HAND_ROWS``."""
    widest = max((int(np.size(w)) for w, _ in params), default=1)
    return int(min(max(BLAS_ONE_THREAD // max(widest, 1), 1), HAND_ROWS))


def batch_gradients(spec: NetworkSpec, loss: str, params, X: np.ndarray, T: np.ndarray,
                    rows: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`mean_gradients` of the hand pass over all rows of ``X``, made ``rows`` at a time
    (default :func:`hand_rows`): the sums of the points' gradients, divided by their number at
    the end."""
    n = len(X)
    rows = hand_rows(params) if rows is None else rows
    total = None
    for i in range(0, n, rows):
        layers, _ = hand_pass(spec, loss, params, X[i:i + rows], T[i:i + rows])
        part = [(_mm(p.a_in.T, p.delta), p.delta.sum(axis=0)) for p in layers]
        total = part if total is None else [(w + pw, b + pb)
                                            for (w, b), (pw, pb) in zip(total, part)]
    return [(w / n, b / n) for w, b in total]


def penalty_gradients(params, l1: float, l2: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The L1/L2 penalty's gradient (weights only): l1 sign(w) + 2 l2 w."""
    out = []
    for w, b in params:
        w = np.asarray(w, np.float64)
        out.append((l1 * np.sign(w) + 2.0 * l2 * w, np.zeros(np.shape(b))))
    return out


# --- jax's side ----------------------------------------------------------------------------------


@compiled.per_problem()
def _trace_fn(spec: NetworkSpec, key):
    """jax's side of a trace in one compiled call: the point's loss and gradient
    (``value_and_grad``), the batch's gradient of the objective (rows padded with a mask,
    ``training.pad_points``: an edited point compiles nothing) and optax's update from it
    (compiled as one function: op by op, its few dozen operations each compiled an executable
    of their own, ~25 MB kept at the first trace). Three calls, each putting its arrays on the
    device, took ~1 ms of a 2.6 ms trace at 200 points. ``key``: a ``training.compile_key``
    (loss, optimiser, which penalties are on); the rates are the last argument
    (``penalty_rates``): a new rate compiles nothing."""
    opt = make_optimizer(key.optimizer, 1.0)

    def point_loss(params, x, t):
        return losses.data_loss(spec, key.loss, params, x[None], t[None])

    def objective(params, X, T, mask, count, rates):
        return (losses.data_loss(spec, key.loss, params, X, T, mask, count)
                + penalty(params, key, rates))

    def both(params, opt_state, x, t, X, T, mask, count, rates):
        value, point = jax.value_and_grad(point_loss)(params, x, t)
        grad = jax.grad(objective)(params, X, T, mask, count, rates)
        updates, new = opt.update(grad, opt_state, params)
        return value, point, grad, updates, new
    return jax.jit(both)


@compiled.per_problem()
def _point_fn(spec: NetworkSpec, loss: str):
    """jax's side of a trace of the point alone: its loss and gradient (``value_and_grad``)."""
    def point_loss(params, x, t):
        return losses.data_loss(spec, loss, params, x[None], t[None])
    return jax.jit(jax.value_and_grad(point_loss))


class _BatchRows:
    """The last batch a trace used: its rows on the host, and padded on the device (as
    ``pad_points``), kept while the data and the rows are the same: a full batch's 80,000 rows
    were indexed, padded and copied again for every trace."""

    def __init__(self) -> None:
        self._key, self._value = None, None

    def __call__(self, data, T, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, Any]:
        """(X rows, T rows, the padded device arrays)."""
        key = (len(rows), hash(rows.tobytes()))
        if self._key is None or self._key[0] is not data or self._key[1:] != key:
            X, Tr = data.X[data.train_index[rows]], T[rows]
            self._value = (X, Tr, pad_points(X, Tr, np.zeros(len(rows), np.int32)))
            self._key = (data,) + key
        return self._value


@compiled.per_problem()
def _pull_fn(spec: NetworkSpec, loss: str):
    """Each row's own gradient norm: vmap of grad, reduced inside the jit."""
    def point_loss(params, x, t):
        return losses.data_loss(spec, loss, params, x[None], t[None])

    def norms(params, X, T):
        g = jax.vmap(jax.grad(point_loss), in_axes=(None, 0, 0))(params, X, T)
        sq = sum(jnp.sum(jnp.square(leaf).reshape(len(X), -1), axis=1)
                 for leaf in jax.tree_util.tree_leaves(g))
        return jnp.sqrt(sq)
    return jax.jit(norms)


def per_example_pull(spec: NetworkSpec, loss: str, params, X, T) -> np.ndarray:
    """Each row's ||dL_n/dθ|| (every weight and bias), by ``vmap(grad)`` in chunks."""
    n = len(X)
    # Equal chunks (the last padded), of at most the padded size of n: one compile whatever
    # n is, within that size (an edited point compiles nothing).
    chunk = max(1, min(padded_size(n), PULL_CHUNK_NUMBERS // max(spec.n_params, 1)))
    f = _pull_fn(spec, loss)
    out = []
    for s in range(0, n, chunk):
        Xc, Tc = np.asarray(X[s:s + chunk]), np.asarray(T[s:s + chunk])
        m = len(Xc)
        if m < chunk:
            Xc = np.concatenate([Xc, np.repeat(Xc[-1:], chunk - m, 0)])
            Tc = np.concatenate([Tc, np.repeat(Tc[-1:], chunk - m, 0)])
        out.append(np.asarray(f(params, device_array(Xc), jnp.asarray(Tc)))[:m])
    return np.concatenate(out) if out else np.zeros(0, np.float32)


# --- the step the run takes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Where the point is used next: which batch of the next epoch, and the run's state then."""

    epoch: int  # the epoch that uses it is epoch + 1
    batch_index: int  # k of n_batches (0 for full batch); -1: this epoch leaves the point out
    n_batches: int
    rows: np.ndarray  # the training points (indices into X_train) in that batch
    params: Any  # the weights at that step (numpy)
    opt_state: Any  # the optimiser state at that step
    # The same on the device (None: none there): jax's side of a trace takes them as they are;
    # the numpy copies cost ~0.4 ms of a ~1.3 ms trace to put back on the device at 200 points.
    device_params: Any = None
    device_opt_state: Any = None


def _train_order_rows(model, n: int) -> np.ndarray:
    """Index into X_train of each row the epochs read (mini-batches: the run's fixed order)."""
    return batch_order(int(model_seed(model)), n)


def model_seed(model) -> int:
    src = getattr(model, "source", model)
    return int(getattr(src, "seed", 0))


def model_state(model):
    """The TrainState of the model shown (a ModelAt's, or a Trainer's live one)."""
    state = getattr(model, "state", None)
    if state is None and hasattr(model, "source"):
        state = model.source.state
    return state


def next_step(model, index: int) -> Step:
    """The step of the next epoch that uses training point ``index``, and the weights and the
    optimiser state the run will have there (earlier batches of the epoch replayed)."""
    cfg, spec = model.config, model.spec
    n = len(model.data.train_index)
    state = model_state(model)
    params, opt_state = _host((state.params, state.opt_state))
    here = (state.params, state.opt_state)
    batch = cfg.batch_size
    if not (0 < batch < n and n // batch > 1):
        return Step(int(model.epoch), 0, 1, np.arange(n), params, opt_state, *here)
    n_batches = n // batch
    rows = _train_order_rows(model, n)
    _, sub = jax.random.split(jnp.asarray(state.key))
    order = np.asarray(shuffled_order(sub, n))[: n_batches * batch].reshape(n_batches, batch)
    where = np.flatnonzero(rows[order].ravel() == index)
    if not len(where):
        return Step(int(model.epoch), -1, n_batches, np.zeros(0, np.int64), params, opt_state,
                    *here)
    k = int(where[0]) // batch
    X, T = model.data.X_train, np.asarray(model.T_train)
    if k:
        step, rates = _batch_step_fn(spec, compile_key(cfg)), penalty_rates(cfg)
        for j in range(k):
            idx = rows[order[j]]
            params, opt_state = step(params, opt_state, device_array(X[idx]),
                                     jnp.asarray(T[idx]), rates)
        here = (params, opt_state)
        params, opt_state = _host((params, opt_state))
    return Step(int(model.epoch), k, n_batches, rows[order[k]], params, opt_state, *here)


@compiled.per_problem()
def _batch_step_fn(spec: NetworkSpec, key):
    """One mini-batch step as the training loop makes it (jax's gradient, optax's update, the
    new weights), compiled as one function: op by op, the replay of an epoch's earlier batches
    compiled ~50 small executables the first time and dispatched each operation per batch."""
    opt = make_optimizer(key.optimizer, 1.0)

    def objective(params, X, T, rates):
        return losses.data_loss(spec, key.loss, params, X, T) + penalty(params, key, rates)

    def step(params, opt_state, X, T, rates):
        updates, new = opt.update(jax.grad(objective)(params, X, T, rates), opt_state, params)
        # as the training loop: the step count and hyperparameters stay as they were
        new = new._replace(count=opt_state.count, hyperparams=opt_state.hyperparams)
        return optax.apply_updates(params, updates), new
    return jax.jit(step)


@dataclass(frozen=True)
class Update:
    """The optimiser's step: the real one (optax) and the one written out by hand."""

    optimizer: str
    learning_rate: float
    grad: list  # the gradient applied (jax's), per layer (gW, gb)
    update: list  # optax's update, per layer
    hand: list  # the update by hand from the optimiser's state
    before: dict  # the optimiser's state before the step, by name ("v", "m", ...), per layer
    after: dict  # and after it
    count: int  # Adam: the step number t used for the bias correction


def _host(tree):
    """``tree``'s arrays as numpy arrays: ``np.asarray`` of each leaf, ~3x cheaper than
    ``jax.device_get`` for a few dozen small arrays (0.11 -> 0.04 ms for a point's gradient)."""
    return jax.tree_util.tree_map(np.asarray, tree)


def _tree(x) -> list:
    return [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in x]


def optimizer_update(optimizer: str, opt_state, grad, updates, new) -> Update:
    """The update optax made from ``opt_state`` (``updates``, the ``new`` state: ``_trace_fn``
    makes them with the gradient), and the same written out by hand."""
    lr = float(opt_state.hyperparams["learning_rate"])
    g = _tree(grad)
    inner, inner_new = opt_state.inner_state[0], new.inner_state[0]
    before, after, count = {}, {}, 0
    if optimizer == "gd":
        hand = [(-lr * gw, -lr * gb) for gw, gb in g]
    elif optimizer in ("momentum", "nesterov"):
        v0, v1 = _tree(inner.trace), _tree(inner_new.trace)
        before["v"], after["v"] = v0, v1
        vs = [(gw + 0.9 * vw, gb + 0.9 * vb) for (gw, gb), (vw, vb) in zip(g, v0)]
        if optimizer == "momentum":
            hand = [(-lr * vw, -lr * vb) for vw, vb in vs]
        else:
            hand = [(-lr * (gw + 0.9 * vw), -lr * (gb + 0.9 * vb))
                    for (gw, gb), (vw, vb) in zip(g, vs)]
    elif optimizer == "adam":
        m0, s0 = _tree(inner.mu), _tree(inner.nu)
        before["m"], before["v"] = m0, s0
        after["m"], after["v"] = _tree(inner_new.mu), _tree(inner_new.nu)
        count = int(inner.count) + 1
        c1, c2 = 1 - 0.9 ** count, 1 - 0.999 ** count

        def adam(gx, mx, vx):
            m = 0.9 * mx + 0.1 * gx
            v = 0.999 * vx + 0.001 * gx * gx
            return -lr * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        hand = [(adam(gw, mw, vw), adam(gb, mb, vb))
                for (gw, gb), (mw, mb), (vw, vb) in zip(g, m0, s0)]
    else:  # rmsprop
        s0 = _tree(inner.nu)
        before["v"], after["v"] = s0, _tree(inner_new.nu)

        def rms(gx, vx):
            v = 0.9 * vx + 0.1 * gx * gx
            return -lr * gx / np.sqrt(v + 1e-8)
        hand = [(rms(gw, vw), rms(gb, vb)) for (gw, gb), (vw, vb) in zip(g, s0)]
    return Update(optimizer, lr, g, _tree(updates), hand, before, after, count)


# --- the whole story for one point ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """Largest absolute differences of the hand-built numbers from jax's."""

    point: float  # this point's dL/dW, dL/db against jax.grad
    loss: float  # this point's loss against jax's
    batch: float | None  # the batch gradient against jax.grad (None: not built by hand)
    update: float | None  # the update by hand against optax's (None: not made)
    scale: float = 1.0  # the largest magnitude compared (at least 1): float32 is relative

    @property
    def worst(self) -> float:
        return max(v for v in (self.point, self.batch, self.update) if v is not None)

    @property
    def ok(self) -> bool:
        bound = MATCH_TOLERANCE * self.scale
        return self.worst <= bound and self.loss <= bound


@dataclass(frozen=True)
class Trace:
    index: int  # the training point (into data.X_train)
    x: np.ndarray
    target: np.ndarray  # as the loss compares against (encoded)
    label: Any  # the point's class or value
    loss_name: str
    layers: tuple[LayerPass, ...]  # this point alone (rows of one)
    loss: float
    point_grad: list  # this point's (dW, db) per layer, by hand
    jax_point_grad: list
    step: Step
    batch_data_grad: list | None  # mean over the batch of every point's gradient, by hand
    penalty_grad: list
    update: Update | None  # None: the point's pass alone (``parts`` POINT)
    check: Check
    params: Any  # the weights of the point's pass (the step's)
    parts: str = ALL  # what was computed (STAGE_PARTS): POINT, UPDATE or ALL

    def shows(self, stage: str) -> bool:
        """This trace has the numbers ``stage`` shows."""
        need = STAGE_PARTS[stage]
        return self.parts == ALL or need == POINT or need == self.parts

    @property
    def batch_size(self) -> int:
        return len(self.step.rows)


def _max_diff(a: list, b: list) -> float:
    return float(max(max(np.max(np.abs(x - y), initial=0.0) for x, y in zip(pa, pb))
                     for pa, pb in zip(a, b)))


def trace(model, index: int, batches: _BatchRows | None = None, parts: str = ALL) -> Trace:
    """Backpropagation for training point ``index`` of ``model`` (a ModelAt or a Trainer) at the
    step of the run that next uses it. ``batches``: a probe's cache of the batch's rows.
    ``parts``: what to compute (``STAGE_PARTS``): the point's pass alone (POINT), also jax's
    batch gradient and optax's update (UPDATE), or also the batch gradient by hand (ALL)."""
    spec, cfg = model.spec, model.config
    data = model.data
    n = len(data.train_index)
    index = int(min(max(index, 0), n - 1))
    step = next_step(model, index)
    params = step.params
    on_device = step.device_params if step.device_params is not None else params
    x = np.asarray(data.X[data.train_index[index]], np.float32)
    T = np.asarray(model.T_train)
    t = T[index]
    # x and t go to jax as numpy arrays: the compiled call's own transfer of its arguments is
    # cheaper than device_put's (~0.14 ms for the two).
    if parts == POINT:
        value, jg = _host(_point_fn(spec, cfg.loss)(on_device, x, t))
    else:
        rows = step.rows if len(step.rows) else np.array([index])
        X_rows, T_rows, batch = (batches or _BatchRows())(data, T, rows)
        opt_state = step.device_opt_state if step.device_opt_state is not None \
            else step.opt_state
        value, jg, g, updates, new = _host(
            _trace_fn(spec, compile_key(cfg))(
                on_device, opt_state, x, t, batch.X, batch.T, batch.mask, batch.count,
                np.array([cfg.l1, cfg.l2], np.float32)))  # penalty_rates, on the host
    jl, jg = float(value), _tree(jg)
    layers, per = hand_pass(spec, cfg.loss, params, x, t[None])
    pg = point_gradients(layers)
    pen = penalty_gradients(params, float(cfg.l1), float(cfg.l2))
    batch_hand, batch_diff, upd, upd_diff, compared = None, None, None, None, (jg,)
    if parts != POINT:
        g_jax = _tree(g)
        work = len(rows) * sum(np.size(w) for w, _ in params)
        if parts == ALL and work <= MAX_HAND_BATCH_WORK:
            batch_hand = batch_gradients(spec, cfg.loss, params, X_rows, T_rows)
            total = [(dw + pw, db + pb) for (dw, db), (pw, pb) in zip(batch_hand, pen)]
            batch_diff = _max_diff(total, g_jax)
        upd = optimizer_update(cfg.optimizer, step.opt_state, g_jax, updates, new)
        upd_diff = _max_diff(upd.hand, upd.update)
        compared = (jg, g_jax, upd.update)
    scale = max([1.0, abs(jl)] + [float(np.max(np.abs(a), initial=0.0))
                                  for tree in compared for pair in tree for a in pair])
    check = Check(_max_diff(pg, jg), abs(float(per[0]) - jl), batch_diff, upd_diff, scale)
    y = data.y[data.train_index[index]]
    return Trace(index, x, np.asarray(t), y.item() if hasattr(y, "item") else y, cfg.loss,
                 tuple(layers), float(per[0]), pg, jg, step, batch_hand, pen, upd, check, params,
                 parts)


# --- the probe -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackpropResult:
    trace: Trace
    pulls: np.ndarray | None  # each training point's ||dL_n/dθ|| now (None: not asked)
    pull_rows: np.ndarray | None  # the training points the pulls are of (a sample when many)
    epoch: int


class BackpropProbe:
    """The backprop view's numbers, computed in the worker thread with each snapshot.
    ``selected``: the training point; ``pulls``: also each point's gradient norm; ``stage``: the
    stage on screen (None: all): while the run plays a trace computes what that stage shows
    (``STAGE_PARTS``), and any other frame (paused, a Step, the timeline) every stage's numbers,
    so that Next and Back have them at once."""

    def __init__(self, selected: int = 0, pulls: bool = False, stage: str | None = None) -> None:
        self.selected, self.pulls, self.stage = selected, pulls, stage
        self._batches = _BatchRows()

    def parts(self, model) -> str:
        """What a trace of ``model`` computes (``STAGE_PARTS``)."""
        if self.stage is None or not getattr(model, "playing", False) \
                or getattr(model, "past", False):
            return ALL
        return STAGE_PARTS[self.stage]

    def __call__(self, model, grid_points=None) -> BackpropResult | None:
        n = len(model.data.train_index)
        if n == 0:
            return None
        parts = self.parts(model)
        tr = trace(model, int(self.selected), self._batches, parts)
        if parts != POINT and STAGE_PARTS.get(self.stage) == POINT:
            # A paused frame on a point's stage: the point's own function is compiled (or looked
            # up) now, not by the first frames of the play: the throttle counts the smaller of
            # a probe's last two costs, and two calls that compiled held the tab's frames for
            # ~2 s (bench/gui.py).
            step = tr.step
            _point_fn(model.spec, model.config.loss)(
                step.device_params if step.device_params is not None else step.params,
                tr.x, tr.target)
        pulls = rows = None
        if self.pulls:
            rows = np.arange(n) if n <= MAX_PULL_POINTS else \
                np.linspace(0, n - 1, MAX_PULL_POINTS).astype(np.int64)
            pulls = per_example_pull(model.spec, model.config.loss, model.params,
                                     model.data.X_train[rows], np.asarray(model.T_train)[rows])
        return BackpropResult(tr, pulls, rows, int(model.epoch))
