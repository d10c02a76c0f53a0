"""Training: one compiled function per problem that runs up to ``MAX_CHUNK`` epochs at a time.

The epoch loop lives inside the jit (a ``lax.while_loop`` with the epoch count as an argument),
so any chunk size -- Step 1, Step 1000, or whatever the GUI's frame budget allows -- reuses one
compilation. The compiled function is cached per (spec, loss, optimiser, batch size, which
penalties are on, data shapes: ``compile_key``), so Reset and Restart never recompile; the
learning rate lives in the optimiser state (``optax.inject_hyperparams``) and changes without a
reset, and the L1 and L2 rates are an argument of each call (``penalty_rates``): a new rate
compiles nothing.

An epoch's loss is the data loss of that epoch's forward pass, before its update, as the
notebook prints it.

Divergence: the loop stops at a loss that is not finite, a chunk that ends with non-finite
weights diverged, and the Trainer also calls a loss a million times above the run's first one a
blow-up. Either way the weights go back to those with
the lowest loss of the run, and the result says the run diverged. Going back one epoch would not
do: a run that blows up passes through finite but huge weights (at lr 100 on moons the loss goes
3.6, 1e19, ... inf) from which every learning rate diverges again. Keeping the best state inside
the loop costs a select of the whole state per epoch (-58% epochs/s on the notebook's network,
measured), so the Trainer only remembers where the best chunk started and the best epoch's place
in it, and replays those epochs on a divergence: the replay is deterministic, bit for bit.

Speed (bench/engine.py measures it): on small networks an epoch is a few microseconds, so what
counts is the number and kind of XLA operations per epoch, not FLOPs. Inside the chunk the
samples are columns, tiny layers are fused loops instead of matmul calls, sigmoid and tanh
backpropagate through their outputs, and no per-epoch bookkeeping runs beside the step (see
``_dense`` and ``step``).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from . import activations, compiled, losses
from . import features as input_features
from .checks import real_number, whole_number
from .data import REGRESSION, Dataset
from .errors import NnvizError, shown
from .network import (NetworkSpec, Params, as_params, check_params, device_array, forward,
                      forward_layers, init_params)
from .shuffle import shuffled_order  # each mini-batch epoch's order

MAX_CHUNK = 4096
BLOW_UP = 1e6  # a loss this many times the run's first one means the run diverged
GENERIC_BLOW_UP = "the loss blew up (to infinity, NaN or a million times its first value)"

OPTIMIZERS = {
    "gd": "plain gradient descent: w -= lr * grad (the notebook's)",
    "momentum": "gradient descent with momentum 0.9",
    "nesterov": "gradient descent with Nesterov momentum 0.9",
    "adam": "Adam (beta1 0.9, beta2 0.999)",
    "rmsprop": "RMSProp (decay 0.9)",
}

# 512-bit vectors for the chunk's element-wise loops (see _chunk_fn).
CHUNK_COMPILER_OPTIONS = {"xla_cpu_prefer_vector_width": 512}

# Counts traces of the chunk function: a test reads it to prove that chunks do not recompile;
# ("padded", rows) counts those of padded data of that many rows (compiled ahead or not).
TRACE_COUNT: dict = {"chunk": 0}


#: The bounds of the rates a run takes, one definition for every place that checks them:
#: TrainConfig, the window's fields, the Compare tab's sweep form and ``nnviz train``. The
#: learning rate is more than 0, up to MAX_LEARNING_RATE; an L1/L2 rate 0 to MAX_PENALTY_RATE.
#: (The sweep form took a learning rate of 50,000 the window refuses, and its sweep was
#: refused only once it was being built.)
MAX_LEARNING_RATE = 10_000.0
MAX_PENALTY_RATE = 10.0


class TrainingError(NnvizError):
    """Settings that cannot train; the message is meant for the user."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything about training except the architecture and the data."""

    loss: str = "mse"
    optimizer: str = "gd"
    learning_rate: float = 1.0
    batch_size: int = 0  # 0: full batch (the notebook's)
    l1: float = 0.0
    l2: float = 0.0

    def __post_init__(self) -> None:
        # Settings may come from a file: a string, a bool or 1e400 gets a TrainingError for the
        # user, never a TypeError or OverflowError (see checks.py).
        if not isinstance(self.loss, str) or self.loss not in losses.LOSSES:
            raise TrainingError(f"unknown loss {self.loss!r}; known: {', '.join(losses.LOSSES)}")
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise TrainingError(f"unknown optimizer {self.optimizer!r}; known: "
                                f"{', '.join(OPTIMIZERS)}")
        check_learning_rate(self.learning_rate)
        batch = whole_number(self.batch_size)
        if batch is None or not 0 <= batch <= 1_000_000:
            raise TrainingError(f"batch size must be 0 (full batch) or a whole number up to "
                                f"1000000, got {shown(self.batch_size)}")
        object.__setattr__(self, "batch_size", batch)  # 32.0 from a file is 32
        for name, v in (("L1", self.l1), ("L2", self.l2)):
            x = real_number(v)
            if not (x is not None and math.isfinite(x) and 0 <= x <= MAX_PENALTY_RATE):
                raise TrainingError(f"{name} rate must be between 0 and {MAX_PENALTY_RATE:g}, "
                                    f"got {shown(v)}")


def check_learning_rate(lr: float) -> float:
    x = real_number(lr)
    if not (x is not None and math.isfinite(x) and 0 < x <= MAX_LEARNING_RATE):
        raise TrainingError(f"learning rate must be a positive number up to "
                            f"{MAX_LEARNING_RATE:g}, got {shown(lr)}")
    return x


def make_optimizer(name: str, learning_rate: float) -> optax.GradientTransformation:
    def build(learning_rate):
        if name == "gd":
            return optax.sgd(learning_rate)
        if name == "momentum":
            return optax.sgd(learning_rate, momentum=0.9)
        if name == "nesterov":
            return optax.sgd(learning_rate, momentum=0.9, nesterov=True)
        if name == "adam":
            return optax.adam(learning_rate)
        return optax.rmsprop(learning_rate, decay=0.9)
    return optax.inject_hyperparams(build)(learning_rate=learning_rate)


class TrainState(NamedTuple):
    """A pytree: parameters, optimiser state, shuffling key."""

    params: Params
    opt_state: Any
    key: jax.Array


@dataclass(frozen=True)
class ChunkResult:
    losses: np.ndarray  # one per epoch run, float32
    diverged: bool


@dataclass(frozen=True)
class Metrics:
    train_loss: float
    train_accuracy: float
    test_loss: float  # NaN when there is no test set
    test_accuracy: float


# ---- the training step's arithmetic ---------------------------------------------------------------
#
# For narrow networks a sample is a COLUMN inside the compiled chunk: activations are (units, N),
# the notebook's own layout (``w.T @ X + b``). The long axis N is then the contiguous one, so the
# element-wise work (activations and their derivatives) runs on whole vector registers; with rows
# it runs on rows of 4 or 10 units. Measured on the notebook's 2-4-10-4-1 problem: twice the
# epochs per second; 2-24-24-1: twice; 2-64-64-1: the same. From 128 units on, rows are faster
# (2-256-256-256-1 on 10,000 points: +5-15%): that is the library matmuls' preferred layout.
# The public layout (Params, predict, evaluate) is rows either way.
_COLUMNS_BELOW_WIDTH = 128

# Size (fan-in x fan-out) up to which a layer's product is written as a sum of broadcast
# products, which XLA fuses with the bias and the activation into one loop. A library matmul
# call costs ~1 us whatever its size, more than the whole layer at these widths (+30% epochs/s
# on the notebook's 2-4-10-4-1). Past ~100 the fused loop gets slower than the call (12x12: half
# the speed), so the bound stays well below that.
_SMALL_LAYER = 64


@jax.custom_vjp
def _dense(w: jax.Array, b: jax.Array, x: jax.Array) -> jax.Array:
    """``w.T @ x + b`` for columns ``x`` (in, N): (out, N)."""
    if w.shape[0] * w.shape[1] <= _SMALL_LAYER:
        z = b[:, None] + w[0][:, None] * x[0][None, :]
        for i in range(1, w.shape[0]):
            z = z + w[i][:, None] * x[i][None, :]
        return z
    return jnp.matmul(w.T, x) + b[:, None]


def _dense_fwd(w, b, x):
    return _dense(w, b, x), (w, x)


def _dense_bwd(res, g):
    w, x = res
    # The bias gradient as a product with ones: one library call instead of a two-pass reduction.
    ones = jnp.ones((g.shape[1],), g.dtype)
    return jnp.matmul(x, g.T), jnp.matmul(g, ones), jnp.matmul(w, g)


_dense.defvjp(_dense_fwd, _dense_bwd)


def _with_output_derivative(f, derivative):
    """``f`` whose backward pass reuses its output (one multiply instead of re-deriving exp)."""
    g = jax.custom_vjp(f)
    g.defvjp(lambda z: (lambda a: (a, a))(f(z)), lambda a, ct: (ct * derivative(a),))
    return g


# Activations whose derivative is a function of their output; the others go through autodiff.
_FAST_ACTIVATIONS = {
    "sigmoid": _with_output_derivative(activations.sigmoid, lambda a: a * (1.0 - a)),
    "tanh": _with_output_derivative(jnp.tanh, lambda a: 1.0 - a * a),
}


def _activation(name: str, columns: bool = False):
    """The activation ``name`` as training applies it, to rows or (``columns``) to columns
    (units, N). A softmax normalises over each point's units: the columns' axis 0. (On columns
    ``activations.softmax``, over the last axis, normalised each unit over the points: a
    2-4(softmax)-1 network trained and reported a function other than the one drawn, tested
    and exported, its header at 79% over a map of one class, review r28 F1.)"""
    if name == "softmax":
        return _softmax_columns if columns else activations.softmax
    return _FAST_ACTIVATIONS.get(name) or activations.ACTIVATIONS[name]


def _softmax_columns(z: jax.Array) -> jax.Array:
    return jax.nn.softmax(z, axis=0)


def _train_loss(spec: NetworkSpec, loss: str, params: Params, X: jax.Array, T: jax.Array,
                columns: bool, mask: jax.Array | None = None,
                count: jax.Array | None = None) -> jax.Array:
    """``losses.data_loss``, arranged for training speed; ``X`` in columns (features, N) if
    ``columns`` else in rows, ``T`` as encoded; with ``mask`` and ``count``, the mean over the
    masked points only (padded data).

    The hidden layers run here; the output layer and the loss are ``losses.data_loss`` itself,
    applied as a one-layer network to the last hidden layer's activations (as rows).
    """
    *hidden, last = params
    x = hidden_layers(spec, hidden, X, columns)[-1]
    return losses.data_loss(_output_layer(spec), loss, (last,), x.T if columns else x, T,
                            mask, count)


def hidden_layers(spec: NetworkSpec, hidden: Params, x: jax.Array,
                  columns: bool) -> list[jax.Array]:
    """``x`` (features expanded; in columns (features, N) if ``columns``, else in rows) and then
    each hidden layer's activations, in the same layout, computed as training computes them:
    the small products as fused loops, sigmoid and tanh differentiated through their output.
    The one loop of training, the gradient probe (inspect) and the snapshot's metrics."""
    out = [x]
    for (w, b), name in zip(hidden, spec.activations):
        out.append(_activation(name, columns)(_dense(w, b, out[-1]) if columns
                                              else out[-1] @ w + b))
    return out


def forward_layers_fast(spec: NetworkSpec, params: Params, X: jax.Array) -> list[jax.Array]:
    """``network.forward_layers`` for rows ``X`` (every layer's activations, as rows), computed
    in columns for narrow networks as training does: twice as fast on the GUI's 100x100 grid
    (0.54 -> 0.26 ms on the notebook's network), equal to ~1e-7. For drawing, not for numbers
    that must match the notebook's to the last bit (``Trainer.predict`` is exact)."""
    if max(spec.layer_sizes) >= _COLUMNS_BELOW_WIDTH:
        return forward_layers(spec, params, X)
    x, out = input_features.expand(spec.features, X).T, []
    for (w, b), name in zip(params, spec.layer_activations):
        z = _dense(w, b, x)
        x = _activation(name, columns=True)(z)
        out.append(x)
    return [a.T for a in out]


@functools.lru_cache(maxsize=64)
def _output_layer(spec: NetworkSpec) -> NetworkSpec:
    """``spec``'s output layer alone, as a network without hidden layers."""
    return NetworkSpec(spec.layer_sizes[-2], (), (), spec.output_dim, spec.output_activation,
                       spec.init_scheme)


def batch_order(seed: int, n: int) -> np.ndarray:
    """The random order, fixed for a run, the Trainer stores the training points in for
    mini-batches; each epoch then reads them in an order of its own (``shuffle.shuffled_order``,
    a random permutation). The epochs' orders need no help to be random; the stored order costs
    nothing per epoch and means that whatever structure the points come in (generated class by
    class, a CSV sorted by label) cannot line up with the arithmetic of the permutation."""
    return np.random.default_rng([seed, 0x5EED]).permutation(n)


def compile_key(config: TrainConfig) -> TrainConfig:
    """``config`` as the compiled functions see it: the learning rate (the optimiser state
    carries it) and the L1 and L2 rates (traced arguments, ``penalty_rates``) are not part of
    it, only whether each penalty is on (1.0) or off (0.0). So a new rate compiles nothing,
    and a run without a penalty computes none (an off penalty is not there to cost time)."""
    return replace(config, learning_rate=1.0, l1=float(config.l1 != 0), l2=float(config.l2 != 0))


def penalty_rates(config: TrainConfig) -> jax.Array:
    """The (L1, L2) rates of ``config``, the traced argument beside ``compile_key(config)``."""
    return _rates(float(config.l1), float(config.l2))


@functools.lru_cache(maxsize=64)
def _rates(l1: float, l2: float) -> jax.Array:
    # Kept (jax arrays do not change): a transfer to the device cost ~0.4 ms of a 100,000-point
    # snapshot's ~7 (the gradient probe asks for the rates at every call).
    return device_array(np.array([l1, l2], np.float32))


def penalty(params: Params, key: TrainConfig, rates) -> jax.Array:
    """``losses.penalty`` at the traced ``rates`` = (L1, L2), of the terms ``key`` (a
    ``compile_key``) has on."""
    return losses.penalty(params, rates[0] if key.l1 else 0.0, rates[1] if key.l2 else 0.0)


def training_objective(spec: NetworkSpec, config: TrainConfig, columns: bool, variant=None):
    """What an epoch descends: ``f(params, X, T, aux) -> (data loss + penalties, data loss)``,
    X as the epoch takes it (features expanded, in columns when ``columns``); ``variant``: see
    ``_epoch_fns``. A sweep takes its members' gradient statistics from it too."""
    if variant is not None:
        return variant.objective(spec, config, columns)

    def objective(params, X, T, aux):
        d = _train_loss(spec, config.loss, params, X, T, columns)
        return d + penalty(params, config, aux), d
    return objective


def _epoch_fns(spec: NetworkSpec, config: TrainConfig, n_train: int, variant=None,
               rows: bool = False):
    """The pieces of a chunk: ``epoch(state, X, T, aux) -> (state, loss)`` (X in columns when
    ``columns``), ``counted(state, epochs)``, the optimiser, ``columns``. ``config`` is a
    ``compile_key``; without a ``variant``, ``aux`` is the (L1, L2) rates (``penalty_rates``).

    ``variant`` (hashable; None for a single run) replaces the objective: its
    ``objective(spec, config, columns)`` returns ``f(params, X, T, aux) -> (total, data loss)``.
    A sweep trains members of different widths, activations and penalties in one compile this
    way, in a loop of its own over the members' epochs (``core/sweep.py``). ``rows`` (full
    batch): the epoch returns its gradient's ``_squared_norms`` as well (``_step_rows``).
    """
    opt = make_optimizer(config.optimizer, config.learning_rate)
    batch = config.batch_size if 0 < config.batch_size < n_train else n_train
    n_batches = n_train // batch

    columns = max(spec.layer_sizes) < _COLUMNS_BELOW_WIDTH
    objective = training_objective(spec, config, columns, variant)
    grad_fn = jax.value_and_grad(objective, has_aux=True)

    def step(params, opt_state, X, T, aux):
        (_, d), g = grad_fn(params, X, T, aux)
        updates, new_opt_state = opt.update(g, opt_state, params)
        # inject_hyperparams counts steps (for schedules, which we do not use) and hands back
        # its hyperparameters as new values. Updated in the loop, that scalar bookkeeping is
        # work XLA's runtime hands to its other thread, and on a small network the hand-over
        # costs ~30% of the time (measured). So they stay as they were in the loop, and the
        # count is brought up to date once per chunk (``counted``).
        new_opt_state = new_opt_state._replace(count=opt_state.count,
                                               hyperparams=opt_state.hyperparams)
        # ``rows`` (full batch only): the gradient's _squared_norms beside the loss
        return (optax.apply_updates(params, updates), new_opt_state, d,
                *((_squared_norms(params, g),) if rows else ()))

    def epoch(state: TrainState, X, T, aux):
        if n_batches == 1:
            params, opt_state, d, *row = step(state.params, state.opt_state, X, T, aux)
            return TrainState(params, opt_state, state.key), d, *row
        key, sub = jax.random.split(state.key)
        order = shuffled_order(sub, n_train)[: n_batches * batch].reshape(n_batches, batch)

        def one_batch(carry, idx):
            params, opt_state = carry
            params, opt_state, d = step(params, opt_state, X[:, idx] if columns else X[idx],
                                        T[idx], aux)
            return (params, opt_state), d

        (params, opt_state), ds = jax.lax.scan(one_batch, (state.params, state.opt_state), order)
        return TrainState(params, opt_state, key), jnp.mean(ds)

    def counted(state: TrainState, epochs: jax.Array, *_) -> TrainState:
        # optax.safe_increment of the optimiser's step count, once per chunk (see step)
        count, steps = state.opt_state.count, epochs * n_batches
        top = jnp.iinfo(jnp.int32).max
        count = jnp.where(count > top - steps, top, count + steps).astype(count.dtype)
        return state._replace(opt_state=state.opt_state._replace(count=count))

    return epoch, counted, opt, columns


@compiled.per_problem(clear_jax_every=compiled.MAX_PROBLEMS)
def _chunk_fn(spec: NetworkSpec, config: TrainConfig, n_train: int):
    """The compiled runner of up to MAX_CHUNK epochs for one problem (any learning rate and
    penalty rates: ``config`` is a ``compile_key``): ``run(state, X, T, n_epochs, rates)``."""
    rows = _step_rows(spec, config, n_train, uses_mini_batches(config, n_train))
    epoch, counted, opt, columns = _epoch_fns(spec, config, n_train, rows=bool(rows))
    return _chunk_runner(spec, columns, epoch, counted, rows), opt


def _chunk_runner(spec: NetworkSpec, columns: bool, epoch, counted, row: int = 0):
    """``run(state, X, T, n_epochs, *extra)`` jitted: up to ``n_epochs`` of ``epoch(state, X,
    T, *extra)`` in a while loop; ``extra`` (the padded data's mask and count) goes to
    ``epoch`` and ``counted`` as well. ``row``: ``epoch`` returns a vector of that length
    besides the loss (``_squared_norms``), and ``run`` returns the last epoch's as well."""
    def run(state: TrainState, X, T, n_epochs, *extra):
        TRACE_COUNT["chunk"] += 1
        if extra:
            key = ("padded", int(X.shape[0]))
            TRACE_COUNT[key] = TRACE_COUNT.get(key, 0) + 1
        X = input_features.expand(spec.features, X)  # once per chunk, outside the loop
        if columns:
            X = X.T  # once per chunk, outside the loop

        def cond(c):
            done, ok = c[:2]
            return (done < n_epochs) & ok

        def body(c):
            # No select of the state on a bad loss: the Trainer replaces it (see the top).
            done, _, state, buf, *kept = c
            state, d, *kept = epoch(state, X, T, *extra)
            ok = jnp.isfinite(d)
            buf = jax.lax.dynamic_update_slice(buf, d[None], (done,))
            return done + ok.astype(jnp.int32), ok, state, buf, *kept

        init = (jnp.int32(0), jnp.bool_(True), state, jnp.zeros(MAX_CHUNK, jnp.float32)) + (
            (jnp.full(row, jnp.nan, jnp.float32),) if row else ())
        done, ok, state, buf, *kept = jax.lax.while_loop(cond, body, init)
        # An epoch's loss is taken before its update, so the last update of a chunk (a single
        # Step's only one) can make the weights non-finite behind a finite loss: one check of
        # the weights per chunk, not per epoch, catches it.
        finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(a))
                                    for a in jax.tree_util.tree_leaves(state.params)]))
        return (counted(state, done, *extra), buf, done, ~(ok & finite), *kept)

    # 512-bit vectors for the element-wise loops (activations and their derivatives): +10%
    # epochs/s on the notebook's problem where the CPU has AVX-512; ignored where it has not.
    # A per-function compiler option, so nothing changes for the rest of the process.
    return jax.jit(run, compiler_options=CHUNK_COMPILER_OPTIONS)


# ---- padded data: a point added or removed keeps every array's shape ---------------------------
#
# The window's runs train on data padded to ``padded_size(n)`` rows with a mask: adding or
# deleting a point within the same size changes the arrays' values, not their shapes, so nothing
# compiles and training goes on. The sizes are m * 2^k with m = 8..15 (eight per doubling):
# at most 1/8 (on average ~1/16) of the rows are padding, so a full-batch epoch costs at most a
# few percent more (bench/points.py: the notebook's 200 points padded to 208), and a size holds
# a run of clicks (193..208 points around the notebook's 200; 1,025..1,152 around 1,000).
# Powers of two would leave up to half the rows padding (200 -> 256).

PADDING_STEPS = 8  # sizes per doubling
# From this many padded rows on, a full-batch gd run's chunks return their last epoch's gradient
# norms (Trainer.step_row): the gradient view's probe reads them instead of taking the gradient
# on every training point again (the size from which that probe reads more points than its
# histograms' sample, inspect.MAX_STAT_POINTS).
STEP_ROWS_FROM = 4096


def padded_size(n: int) -> int:
    """The rows of the padded arrays for ``n`` real points: the smallest m * 2^k > n with
    m in PADDING_STEPS..2*PADDING_STEPS-1 (at least 2 * PADDING_STEPS). Greater, not equal:
    there is always room for one more point (the notebook's 160 training points get 176)."""
    n = max(int(n), 0) + 1
    if n <= 2 * PADDING_STEPS:
        return 2 * PADDING_STEPS
    shift = (n - 1).bit_length() - PADDING_STEPS.bit_length()
    return -(-n // (1 << shift)) << shift


def neighbour_counts(n: int) -> tuple[int, ...]:
    """The numbers of real points just across the padded size of ``n`` points, nearer first:
    one point fewer than the smallest count of that size (none below one point) and the
    size itself (one more than it holds). A run whose edits cross its size next needs one of
    these two sizes compiled (``padded_size`` of each)."""
    size = padded_size(n)
    lo, hi = 0, max(int(n), 0)  # the smallest count of this size, by bisection (monotonic)
    while lo < hi:
        mid = (lo + hi) // 2
        if padded_size(mid) == size:
            hi = mid
        else:
            lo = mid + 1
    out = [size] + ([lo - 1] if lo >= 2 else [])
    return tuple(sorted(out, key=lambda c: abs(c - n)))


def uses_mini_batches(config: TrainConfig, n: int) -> bool:
    """Whether an epoch of ``n`` points runs in mini-batches (else one full-batch step)."""
    b = config.batch_size
    return 0 < b < n and n // b > 1


class PaddedData(NamedTuple):
    """Points padded to ``padded_size`` rows: the real ones first, then copies of the first
    (finite, so that nothing is NaN), masked out by ``mask``; ``count`` real rows."""

    X: jax.Array
    T: jax.Array
    y: jax.Array
    mask: jax.Array
    count: jax.Array


def pad_rows(X: np.ndarray) -> np.ndarray:
    """Rows ``X`` (host) with the last repeated up to ``padded_size(len(X))`` rows: for a
    function of each row on its own (activations, per-point gradients), whose first
    ``len(X)`` results are then the rows' own, so that an edited point compiles nothing."""
    X = np.asarray(X)
    size = padded_size(len(X))
    if not len(X):
        return np.zeros((size,) + X.shape[1:], X.dtype)
    return np.concatenate([X, np.repeat(X[-1:], size - len(X), 0)])


def pad_points(X: np.ndarray, T, y, size: int | None = None) -> PaddedData:
    """``X``, the encoded targets ``T`` and the labels ``y`` (host or device arrays, rows)
    padded to ``size`` rows (default ``padded_size(len(X))``)."""
    n = len(X)
    size = padded_size(n) if size is None else int(size)
    fill = np.zeros(size, np.intp)  # the padding repeats the first point: finite, never used
    fill[:n] = np.arange(n)

    def pad(a, dtype=None):
        a = np.asarray(a)
        return device_array(a[fill] if n else np.zeros((size,) + a.shape[1:], a.dtype),
                            dtype or a.dtype)

    mask = np.zeros(size, bool)
    mask[:n] = True
    return PaddedData(pad(X), pad(T), pad(y), device_array(mask, bool),
                      device_array(np.int32(n), np.int32))


def _padded_epoch_fns(spec: NetworkSpec, config: TrainConfig, size: int, mini: bool,
                      rows: bool = False):
    """``_epoch_fns`` for padded data of ``size`` rows: ``epoch(state, X, T, mask, count,
    rates)`` with the real points' number ``count`` and the penalty rates traced values.

    Full batch: the loss is the mean over the masked (real) points. Mini-batches: exactly the
    unpadded run's batches -- the same shuffled order of the ``count`` real points (their
    storage order is the same ``batch_order`` of them), ``count // batch`` batches of real
    points, the rest dropped -- in a scan over the most batches the size holds, whose batches
    past ``count // batch`` do nothing (no step: momentum and Adam must not move either). A
    padding row is never drawn. ``rows`` (full batch): the epoch returns its gradient's
    ``_squared_norms`` as well.
    """
    opt = make_optimizer(config.optimizer, config.learning_rate)
    columns = max(spec.layer_sizes) < _COLUMNS_BELOW_WIDTH
    batch = config.batch_size
    max_batches = size // batch if mini else 1

    def objective(params, X, T, mask, count, rates):
        d = _train_loss(spec, config.loss, params, X, T, columns, mask, count)
        return d + penalty(params, config, rates), d

    grad_fn = jax.value_and_grad(objective, has_aux=True)

    def step(params, opt_state, X, T, mask, count, rates):
        (_, d), g = grad_fn(params, X, T, mask, count, rates)
        updates, new_opt_state = opt.update(g, opt_state, params)
        new_opt_state = new_opt_state._replace(count=opt_state.count,
                                               hyperparams=opt_state.hyperparams)
        # ``rows`` (full batch only): the gradient's _squared_norms beside the loss
        return (optax.apply_updates(params, updates), new_opt_state, d,
                *((_squared_norms(params, g),) if rows else ()))

    def n_batches(count):
        return count // batch if mini else jnp.int32(1)

    def epoch(state: TrainState, X, T, mask, count, rates):
        if not mini:
            # Full batch: the step's gradient is the whole training set's, the one the
            # gradient view draws; its squared norms come out with the epoch (step_row).
            params, opt_state, d, *row = step(state.params, state.opt_state, X, T, mask,
                                              count, rates)
            return TrainState(params, opt_state, state.key), d, *row
        key, sub = jax.random.split(state.key)
        order = shuffled_order(sub, count, size)[: max_batches * batch]
        order = order.reshape(max_batches, batch)
        nb = n_batches(count)

        def one_batch(carry, xs):
            i, idx = xs

            def go(carry):
                params, opt_state = carry
                params, opt_state, d = step(params, opt_state,
                                            X[:, idx] if columns else X[idx], T[idx],
                                            None, None, rates)
                return (params, opt_state), d

            return jax.lax.cond(i < nb, go, lambda c: (c, jnp.float32(0)), carry)

        (params, opt_state), ds = jax.lax.scan(
            one_batch, (state.params, state.opt_state),
            (jnp.arange(max_batches, dtype=jnp.int32), order))
        return TrainState(params, opt_state, key), jnp.sum(ds) / nb.astype(jnp.float32)

    def counted(state: TrainState, epochs: jax.Array, mask, count, rates) -> TrainState:
        c, steps = state.opt_state.count, epochs * n_batches(count)
        top = jnp.iinfo(jnp.int32).max
        c = jnp.where(c > top - steps, top, c + steps).astype(c.dtype)
        return state._replace(opt_state=state.opt_state._replace(count=c))

    return epoch, counted, opt, columns


# Three sizes per problem: its own and the two next to it, compiled ahead while points are
# edited (core/loop.py's _prepare_points).
@compiled.per_problem(3 * compiled.MAX_PROBLEMS, clear_jax_every=3 * compiled.MAX_PROBLEMS)
def _padded_chunk_fn(spec: NetworkSpec, config: TrainConfig, size: int, mini: bool):
    """``_chunk_fn`` for padded data of ``size`` rows: ``run(state, X, T, n_epochs, mask,
    count, rates)``; one compile serves every number of real points up to ``size`` (of one kind:
    full batch or mini-batches)."""
    rows = _step_rows(spec, config, size, mini)
    epoch, counted, opt, columns = _padded_epoch_fns(spec, config, size, mini, bool(rows))
    return _chunk_runner(spec, columns, epoch, counted, rows), opt


def _step_rows(spec: NetworkSpec, config: TrainConfig, n: int, mini: bool) -> int:
    """The length of the gradient row a chunk on ``n`` rows returns (0: none).

    Plain gradient descent's full-batch epochs on STEP_ROWS_FROM rows or more keep their
    gradient's row (Trainer.step_row). Its update ratio is lr ||g|| / ||W||, both of that
    epoch; another optimiser's is measured between two kept states (inspect.gradient_row), so
    its probe takes its own gradient. On fewer rows the probe's own gradient is cheap, and the
    row's reductions cost the notebook's 200 points 2-5% of their epochs/s."""
    keep = not mini and config.optimizer == "gd" and n >= STEP_ROWS_FROM
    return 2 * spec.n_layers if keep else 0


def sane_losses(buf: np.ndarray, done: int, ran: int, bad: bool, limit: float):
    """One chunk's output, read as a run reads it (Trainer.run, each member of a sweep): the
    losses of its sane epochs, whether the run diverged, the blow-up limit (set by the run's
    first loss: ``limit`` is inf until then) and, on a divergence, what blew up in words.
    ``buf``: the chunk's losses on the host, ``done`` of them finite, of ``ran`` epochs asked;
    ``bad``: the loop stopped at a loss not finite (kept at ``done``), or ran its epochs to
    find the weights not finite behind finite losses."""
    losses = buf[:done].copy()  # a host slice: no compile per size
    what = ""
    if bad:
        what = _blow_up(buf[done] if done < ran else None)
    if len(losses):
        if math.isinf(limit):
            limit = BLOW_UP * max(float(losses[0]), np.finfo(np.float32).tiny)
        over = np.flatnonzero(losses > limit)
        if len(over):
            what = _blow_up(losses[over[0]], limit / BLOW_UP)
            losses, bad = losses[:over[0]], True
    return losses, bad, limit, what


def _blow_up(value: float | None, first: float | None = None) -> str:
    """What a divergence was, in words: the loss's value that ended the run (None: the
    weights, behind a finite loss)."""
    if value is None:
        return "the weights overflowed to infinity (the loss was still finite)"
    if math.isnan(value):
        return "the next loss was NaN (not a number: the weights had overflowed)"
    if math.isinf(value):
        return "the next loss was infinite"
    return (f"the next loss was {value:.3g}, over a million times the first one "
            f"({first:.3g})")


def _squared_norms(params: Params, g: Params) -> jax.Array:
    """Per layer ||dL/dW||^2, then ||W||^2 (the weights the gradient was taken at): the
    gradient view's row of an epoch (``Trainer.step_row``), reduced inside the epoch, where
    ``g`` is; squared, so the loop takes no square roots. Its probe took the same gradient
    again on every training point, one more epoch's work at every fresh frame (at 100,000
    points: 4-5 ms of a 7.5 ms snapshot)."""
    return jnp.stack([jnp.sum(gw * gw) for gw, _ in g] + [jnp.sum(w * w) for w, _ in params])


def _metrics(spec: NetworkSpec, loss: str, task: str, params: Params, X, T, y, mask=None,
             count=None):
    """(loss, accuracy) of ``params`` on rows ``X``: ``losses.data_loss`` and
    ``losses.accuracy`` of the output, the hidden layers run as training runs them (in columns
    for a narrow network, ``_train_loss``): a snapshot's metrics at 100,000 points took 2.1 ms
    in rows, 1.1 in columns (CPU: 4.4 -> 2.2 ms, the same numbers)."""
    *hidden, last = params
    columns = max(spec.layer_sizes) < _COLUMNS_BELOW_WIDTH
    x = input_features.expand(spec.features, X)
    x = hidden_layers(spec, hidden, x.T if columns else x, columns)[-1]
    x = x.T if columns else x
    out_layer = _output_layer(spec)
    out = forward(out_layer, (last,), x)
    return (losses.data_loss(out_layer, loss, (last,), x, T, mask, count),
            losses.accuracy(out, y, task, mask, count))


@compiled.per_problem()
def _eval_fn(spec: NetworkSpec, loss: str, task: str):
    """Loss and accuracy on each of the given sets, in ONE call and one array: a snapshot's
    metrics cost one dispatch and one transfer (the GUI asks ~30 times a second)."""
    def one(params, X, T, y):
        return _metrics(spec, loss, task, params, X, T, y)

    def evaluate(params, *sets):
        return jnp.stack([v for i in range(0, len(sets), 3) for v in one(params, *sets[i:i + 3])])
    return jax.jit(evaluate)


@compiled.per_problem()
def _padded_eval_fn(spec: NetworkSpec, loss: str, task: str):
    """``_eval_fn`` of padded sets (X, T, y, mask, count each): the real points' numbers."""
    def one(params, X, T, y, mask, count):
        return _metrics(spec, loss, task, params, X, T, y, mask, count)

    def evaluate(params, *sets):
        return jnp.stack([v for i in range(0, len(sets), 5) for v in one(params, *sets[i:i + 5])])
    return jax.jit(evaluate)


@compiled.per_problem()
def _loss_fn(spec: NetworkSpec, loss: str):
    return jax.jit(functools.partial(losses.data_loss, spec, loss))


@compiled.per_problem()
def _predict_fn(spec: NetworkSpec, loss: str, fast: bool = False):
    if fast:
        return jax.jit(lambda params, X: losses.scores(spec, loss,
                                                       forward_layers_fast(spec, params, X)[-1]))
    return jax.jit(lambda params, X: losses.scores(spec, loss, forward(spec, params, X)))


def network_for(data: Dataset, loss: str, hidden, activations, output_activation: str,
                init_scheme: str = "normal") -> NetworkSpec:
    """The spec whose input and output widths fit ``data`` and ``loss``."""
    out = losses.output_dim(loss, data.task, data.n_classes)
    return NetworkSpec(data.n_features, tuple(hidden), tuple(activations), out,
                       output_activation, init_scheme)


class Trainer:
    """Trains one network on one data set; holds the state between chunks.

    Not thread-safe: one thread drives it (the GUI's worker, or the CLI).
    """

    blow_up = GENERIC_BLOW_UP  # the last divergence, in words (see sane_losses)

    def __init__(self, spec: NetworkSpec, config: TrainConfig, data: Dataset, *,
                 params: Params | None = None, seed: int = 0, padded: bool = False) -> None:
        self._check_data(spec, config, data)
        self.spec, self.config, self.data, self.seed = spec, config, data, seed
        if params is None:
            params = init_params(spec, seed)
        else:
            params = as_params(params)
            check_params(spec, params)
        self.initial_params = params
        # ``padded``: the epochs and the metrics read the data padded to ``padded_size`` rows
        # (the window's runs: an edited point keeps the shapes, see set_data).
        self.padded = bool(padded)
        self._load_data(data)
        self._predict = _predict_fn(spec, config.loss)
        self.epoch = 0
        self.state = self._fresh_state(params)

    @staticmethod
    def _check_data(spec: NetworkSpec, config: TrainConfig, data: Dataset) -> None:
        expected = losses.output_dim(config.loss, data.task, data.n_classes)
        if spec.input_dim != data.n_features:
            raise TrainingError(f"the network takes {spec.input_dim} inputs but the data has "
                                f"{data.n_features} features")
        if spec.output_dim != expected:
            raise TrainingError(f"{config.loss} on this data needs {expected} outputs, the "
                                f"network has {spec.output_dim}")
        if len(data.train_index) < 1:
            raise TrainingError("there are no training points")

    def _feed(self, data: Dataset, padded: bool) -> tuple:
        """(run, (X, T), extra) of ``data``: the chunk runner and what it reads."""
        from .engine import train_data  # the engine builds on this module
        from .problem import Problem
        n = len(data.train_index)
        if not padded:
            X, T = train_data(Problem(data, self.spec, self.config, None, self.seed))
            run, self._opt = _chunk_fn(*self._shape_key(), n)
            return run, (X, T), (penalty_rates(self.config),)
        # As train_data, padded: mini-batches read the points in the run's own fixed order.
        mini = uses_mini_batches(self.config, n)
        X, y = data.X_train, data.y_train
        if mini:
            order = batch_order(self.seed, n)
            X, y = X[order], y[order]
        p = pad_points(X, self._encode(data, y), y)
        run, self._opt = _padded_chunk_fn(*self._shape_key(), len(p.mask), mini)
        return run, (p.X, p.T), (p.mask, p.count, penalty_rates(self.config))

    def _encode(self, data: Dataset, y) -> jax.Array:
        return losses.encode_targets(y, loss=self.config.loss, task=data.task,
                                     n_classes=data.n_classes)

    def _load_data(self, data: Dataset) -> None:
        self.data = data
        # What the views read: the real points only (never the padding).
        self.X_train = device_array(data.X_train)
        self.T_train = self._encode(data, data.y_train)
        self.y_train = device_array(data.y_train, data.y_train.dtype)
        self.X_test = device_array(data.X_test)
        self.T_test = self._encode(data, data.y_test)
        self.y_test = device_array(data.y_test, data.y_test.dtype)
        # What the epochs read: the training points, for mini-batches stored in a random order
        # of this run's own (see batch_order); full batch: as they are (the notebook's sums).
        self._run, (self._X_run, self._T_run), self._extra = self._feed(data, self.padded)
        self._replay_feed = ((data, self.padded), self._run, (self._X_run, self._T_run),
                             self._extra)
        self._evaluate = _eval_fn(self.spec, self.config.loss, data.task)
        self._sets = None
        if self.padded:
            # The metrics read padded sets too: no compile for an edited point.
            self._evaluate = _padded_eval_fn(self.spec, self.config.loss, data.task)
            train = pad_points(data.X_train, self.T_train, data.y_train)
            test = pad_points(data.X_test, self.T_test, data.y_test) if len(
                data.test_index) else None
            self._sets = (train, test)

    @property
    def grad_data(self):
        """The gradient statistics' points (inspect.gradient_row, GradientProbe): EVERY
        training point, padded (None for a run that is not padded). A sample's gradient is not
        the run's: at 80,000 points the first 4,096's ||dL/dW|| stayed at its noise floor,
        8-18x above the full gradient after 500-1,500 epochs, while the full one kept falling."""
        return self._sets[0] if self._sets is not None else None

    @property
    def data_size(self) -> tuple[int, bool]:
        """(rows the epochs read, mini-batches?): what a compile depends on besides the
        network and settings; the same for every point edit within one padded size."""
        n = len(self.data.train_index)
        return int(self._X_run.shape[0]), uses_mini_batches(self.config, n), self.padded

    @property
    def feed_key(self) -> tuple:
        """(data, padded): what the epochs from now on read; ``replay`` takes it back."""
        return self.data, self.padded

    def set_data(self, data: Dataset) -> bool:
        """Train on ``data`` from now on (edited points), padded from now on: the weights,
        the optimiser state and the epoch stay; the best weights so far start afresh (they
        were the old data's). Returns True when the runner has another shape (the next chunk
        compiles, once per padded size; call ``compile`` to do it now). Raises TrainingError
        when the data does not fit the network (other inputs, classes or task)."""
        self._check_data(self.spec, self.config, data)
        if data.task != self.data.task:
            raise TrainingError("the edited data has another task than the run's")
        before = self.data_size
        self.padded = True
        self._load_data(data)
        self.state = self._state  # a new best (see the state setter)
        return self.data_size != before

    @property
    def state(self) -> TrainState:
        return self._state

    @state.setter
    def state(self, state: TrainState) -> None:
        """Set from outside (restart, new weights, a session): a new run, so a new best."""
        self._state = state
        self._step_row = None  # see step_row
        self._best = (state, 0)  # the state a chunk started from, epochs into it
        self.best_epoch, self.best_loss = self.epoch, math.inf
        self._limit = math.inf  # a loss above this is a blow-up (set by the first loss)

    def _shape_key(self):
        # The cache key: everything but the learning rate (the optimiser state carries it) and
        # the penalty rates (an argument of every call).
        return self.spec, compile_key(self.config)

    def _call(self, state: TrainState, k: int, feed=None):
        run, (X, T), extra = (self._run, (self._X_run, self._T_run), self._extra) \
            if feed is None else feed
        return run(state, X, T, np.int32(k), *extra)

    def _fresh_state(self, params: Params) -> TrainState:
        opt_state = self._opt.init(params)
        opt_state.hyperparams["learning_rate"] = device_array(self.config.learning_rate)
        return TrainState(params, opt_state, jax.random.PRNGKey(self.seed))

    @property
    def params(self) -> Params:
        return self.state.params

    def step_row(self):
        """(epoch E, ||dL/dW|| per layer, ||W|| per layer) of the last epoch trained, E = the
        epoch before ``self.epoch``: the gradient its step took on every training point, at
        the weights after E epochs (numpy); None when there is none (``_step_rows``: mini-batches,
        another optimiser, fewer points) or not known (nothing trained since the weights were
        set, a divergence)."""
        kept = self._step_row
        if kept is None or kept[0] != self.epoch - 1:
            return None
        sq = np.sqrt(np.maximum(np.asarray(kept[1], np.float64), 0.0))
        L = len(sq) // 2
        return kept[0], sq[:L], sq[L:]

    @property
    def learning_rate(self) -> float:
        return float(self.state.opt_state.hyperparams["learning_rate"])

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate for the next epochs; weights and momentum stay."""
        check_learning_rate(lr)
        self.config = replace(self.config, learning_rate=float(lr))
        self._state = self.with_learning_rate(self._state, lr)

    @staticmethod
    def with_learning_rate(state: TrainState, lr) -> TrainState:
        # A new dict, not an update in place: a remembered state must keep the rate it ran with.
        hp = dict(state.opt_state.hyperparams, learning_rate=device_array(lr))
        return state._replace(opt_state=state.opt_state._replace(hyperparams=hp))

    def set_params(self, params: Params) -> None:
        """Replace the weights (e.g. one edited by hand); the optimiser state stays."""
        check_params(self.spec, params)
        self.state = self.state._replace(params=as_params(params))

    def restart(self) -> None:
        """Back to epoch 0 with the same initial weights."""
        self.epoch = 0
        self.state = self._fresh_state(self.initial_params)

    def compile(self) -> None:
        """Compile the chunk runner now (a no-op if a trainer of this shape already did)."""
        self.state, *_ = self._call(self.state, 0)
        jax.block_until_ready(self.state)

    def run(self, n_epochs: int) -> ChunkResult:
        """Run ``n_epochs`` epochs, fewer if the run diverges.

        On a divergence the losses end at the last sane epoch, the epoch count stops there, and
        the weights go back to the run's best (``best_epoch``: after which epoch, ``best_loss``).
        """
        parts, diverged, left = [], False, int(n_epochs)
        while left > 0 and not diverged:
            k = min(left, MAX_CHUNK)
            start = self._state
            self._state, buf, done, div, *row = self._call(start, k)
            losses, diverged, self._limit, what = sane_losses(np.asarray(buf), int(done), k,
                                                              bool(div), self._limit)
            if diverged:
                self.blow_up = what
            if len(losses):
                i = int(np.argmin(losses))
                if losses[i] < self.best_loss:
                    self._best = (start, i)
                    self.best_epoch, self.best_loss = self.epoch + i, float(losses[i])
            parts.append(losses)
            self.epoch += len(losses)
            left -= k
            if row and len(losses) and not diverged:
                self._step_row = (self.epoch - 1, row[0])  # on the device until asked for
        if diverged:
            self._step_row = None
            self._restore_best()
        out = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        return ChunkResult(out, diverged)

    def blame_start(self) -> StartBlame | None:
        """After a divergence of a run that never got below its first loss, within its first
        START_EPOCHS epochs (the weights back to epoch 0's): what the initial weights are to
        blame for, when the learning rate is not -- the first loss was not finite, or the
        outputs start beyond START_OUTPUT_LIMIT (times the targets' largest size, for a
        regression), or one epoch from them at rate 0 still ends in weights that are not
        finite (the gradient is not: no rate helps). None otherwise. One epoch replayed (the
        rate is an argument: no compile) and a numpy forward pass on START_ROWS points."""
        if self.best_epoch != 0 or self.epoch > START_EPOCHS:
            return None
        X = np.asarray(self.data.X_train[:START_ROWS], np.float64)
        x = np.asarray(input_features.expand(self.spec.features, X), np.float64)
        *hidden, (w, b) = self.params
        from .backprop import _forward_numpy  # (backprop builds on this module)
        with np.errstate(all="ignore"):
            for (wh, bh), name in zip(hidden, self.spec.activations):
                x = _forward_numpy(name, x @ np.asarray(wh, np.float64) + np.asarray(bh))
            z = x @ np.asarray(w, np.float64) + np.asarray(b)
        big = float(np.max(np.abs(z), initial=0.0))
        big = big if math.isfinite(big) else math.inf
        limit = START_OUTPUT_LIMIT
        if self.data.task == REGRESSION:
            limit *= max(1.0, float(np.max(np.abs(self.data.y_train), initial=0.0)))
        finite = math.isfinite(self.best_loss)
        if finite:
            _, _, done, bad, *_ = self._call(self.with_learning_rate(self._state, 0.0), 1)
            finite = int(done) == 1 and not bool(bad)
        if finite and big <= limit:
            return None
        return StartBlame(big, self.spec.init_scheme, max(self.spec.hidden, default=0), finite)

    def replay(self, state: TrainState, n_epochs: int,
               feed_key: tuple | None = None) -> tuple[TrainState, int]:
        """``state`` advanced by ``n_epochs`` epochs, bit for bit as the run went (training is
        deterministic), and how many ran (fewer if a loss was not finite). The live state is
        untouched: this is how a past epoch is shown or branched from. ``feed_key``: what those
        epochs read, (data, padded) as ``feed_key`` was then, when not the trainer's own now
        (epochs before a point was edited)."""
        feed = None
        if feed_key is not None and (feed_key[0] is not self.data
                                     or feed_key[1] != self.padded):
            old = self._replay_feed[0]
            if old[0] is not feed_key[0] or old[1] != feed_key[1]:
                self._replay_feed = (feed_key, *self._feed(*feed_key))
            feed = self._replay_feed[1:]
        ran, left = 0, int(n_epochs)
        while left > 0:
            k = min(left, MAX_CHUNK)
            state, _, done, *_ = self._call(state, k, feed)
            ran, left = ran + int(done), left - k
            if int(done) < k:
                break
        return state, ran

    def _restore_best(self) -> None:
        start, i = self._best
        state = start
        if i:
            state, _, done, bad, *_ = self._call(start, i)
            assert int(done) == i, "the replay of the best epochs diverged"
            if bool(bad):
                # A finite loss behind infinite weights (an update that overflowed): the chunk's
                # start was checked finite, so go back there.
                state = start
                self.best_epoch -= i
        lr = self._state.opt_state.hyperparams["learning_rate"]
        self._state = self.with_learning_rate(state, lr)

    def evaluate(self, params: Params | None = None) -> Metrics:
        """Loss and accuracy of the live weights (or of ``params``: a past epoch's)."""
        params = self.params if params is None else params
        if self._sets is not None:
            sets = tuple(v for p in self._sets if p is not None for v in p)
        else:
            sets = (self.X_train, self.T_train, self.y_train)
            if len(self.data.test_index):
                sets += (self.X_test, self.T_test, self.y_test)
        values = np.asarray(self._evaluate(params, *sets), np.float64)
        if len(values) == 2:
            values = np.append(values, [math.nan, math.nan])
        return Metrics(*(float(v) for v in values))

    def test_loss(self, params: Params | None = None) -> float:
        """The data loss on the test set (NaN without one): one small call, for the curve."""
        if not len(self.data.test_index):
            return math.nan
        params = self.params if params is None else params
        if self._sets is not None:
            t = self._sets[1]
            return float(_loss_fn(self.spec, self.config.loss)(params, t.X, t.T, t.mask,
                                                               t.count))
        return float(_loss_fn(self.spec, self.config.loss)(params, self.X_test, self.T_test))

    def compile_test_loss(self) -> None:
        """Compile ``test_loss`` ahead of its first call, without running it (the preparation
        of a run: 20,000 test points of 2-512x4-1 ran ~0.8 s for nothing there)."""
        if not len(self.data.test_index):
            return
        f = _loss_fn(self.spec, self.config.loss)
        if self._sets is not None:
            t = self._sets[1]
            f.lower(self.params, t.X, t.T, t.mask, t.count).compile()
        else:
            f.lower(self.params, self.X_test, self.T_test).compile()

    def predict(self, X, params: Params | None = None) -> np.ndarray:
        """Scores for rows ``X``: (N, 1) P(class 1) or value, or (N, K) class scores.
        ``X`` may be a jax array already (kept on the device between calls: no copy)."""
        return np.array(self._predict(self.params if params is None else params,
                                      device_array(X)))

    def predict_for_drawing(self, X, params: Params | None = None) -> np.ndarray:
        """``predict`` through ``forward_layers_fast``: for the GUI's grid, ~2x faster."""
        params = self.params if params is None else params
        return np.array(_predict_fn(self.spec, self.config.loss, True)(params, device_array(X)))


class StartBlame(NamedTuple):
    """Why a run's first step blew up at any rate (``Trainer.blame_start``)."""
    output: float  # the largest |output| the weights start with (the output layer's input)
    scheme: str  # their init scheme (network.INIT_SCHEMES)
    width: int  # the widest hidden layer
    finite: bool  # whether the first loss and the gradient at those weights were finite


# A divergence before the loss ever fell below its first value, within START_EPOCHS epochs, is
# the initial weights' doing, not the rate's, when the outputs start beyond START_OUTPUT_LIMIT
# (times the targets' size for a regression): 2-512-512-512-1 ReLU, N(0, 1) weights, on a
# regression of unit size: 4e3, loss 1.5e7, blown up by epoch 2 even at lr 1e-6; 2-512x6-1:
# 7e7, loss 9e14, infinite after one step at 1e-7. Or when the gradient is not finite there.
START_OUTPUT_LIMIT = 1e3
START_EPOCHS = 10
START_ROWS = 1000  # the training points the outputs are measured on


def divergence_message(epoch: int, lr: float, best_epoch: int, best_loss: float,
                       then: str = "go on, or Reset",
                       see: str = "the Landscape view plots both",
                       what: str = GENERIC_BLOW_UP, start: StartBlame | None = None,
                       init: str = 'pick "he" (for relu) or "glorot" as the Network tab\'s '
                                   "Initial weights") -> str:
    """What happened (``what``: ``Trainer.blow_up``), which weights were put back, what to do
    and why (``then``, ``see``: the window's words by default; the command line says its
    own). ``start``: the starting weights are to blame, not the rate (``Trainer.blame_start``):
    lowering the rate would never help, so the message says to start from smaller weights
    (``init``: how, in the caller's words)."""
    loss = f" (loss {best_loss:.4g}, the lowest of this run)" if math.isfinite(best_loss) else ""
    if start is not None:
        return start_message(epoch, best_epoch, loss, what, start, init, then)
    # The rate to try is a tenth, with no promise that it is stable: "try 10 or less" after
    # lr 100 read as "10 is safe", and relu at lr 10 diverges too. Finding a stable rate would
    # take more training runs; the sharpness (see below) is the way to know.
    # "after epoch E", E the epochs trained: the number the window's epoch counter shows (the
    # loss that blew up is the one of the weights after E epochs).
    return (f"Training diverged after epoch {epoch:,}: {what}. The weights are back to "
            f"those after epoch {best_epoch}{loss}. {_RATE_ADVICE[0]}{lr / 10:g}"
            f"{_RATE_ADVICE[1]}{then}. Why: "
            f"gradient descent is stable only while the loss's sharpness (its steepest "
            f"curvature) stays below 2/lr = {2 / lr:.3g}; {see}.")


# divergence_message's advice on the rate, around the rate it names.
_RATE_ADVICE = ("Lower the learning rate ten times, to ",
                " (and ten times again if that diverges too), and ")


def without_rate_advice(message: str, instead: str) -> str:
    """``message`` (divergence_message's) with ``instead`` for its advice naming a rate to
    try: an exercise about finding that rate must not be handed it by the banner."""
    head, tail = _RATE_ADVICE
    i = message.find(head)
    j = message.find(tail, i) if i >= 0 else -1
    return message if j < 0 else message[:i] + instead + message[j + len(tail):]


def start_message(epoch: int, best_epoch: int, loss: str, what: str, start: StartBlame,
                  init: str, then: str) -> str:
    """divergence_message's words for a first step that blew up whatever the rate."""
    out = (f"the network's outputs start at \u00b1{start.output:.3g}" if math.isfinite(start.output)
           else "the network's outputs overflow from the start")
    if not start.finite:
        out += ", where the loss or its gradient is not finite, whatever the rate"
    if start.scheme == "normal":
        why = (f"The initial weights are too large for layers this wide: with N(0, 1) weights "
               f"(the notebook's) each layer multiplies the values by about the square root of "
               f"its width ({start.width} units here)")
    else:
        why = f"The initial weights ({start.scheme}) are too large for this network"
    return (f"Training diverged after epoch {epoch:,}: {what}. The weights are back to those "
            f"after epoch {best_epoch}{loss}. Lowering the learning rate will not help: {out}. "
            f"{why}. Start from smaller weights: {init}, and {then}.")


# A run "stuck high": its loss rose to STUCK_RISE times its best (and by STUCK_MIN_RISE) and
# has not moved for STUCK_EPOCHS epochs -- a rate so large that one step drove the units into
# saturation, where the gradient is ~0. Nothing is NaN, so it is no divergence (the run goes
# on, and may climb out); it gets a hint, not a stop. 1.25, not 1.5: the lr sweep's last member
# (the notebook's network with relu units, a sigmoid output, lr 10) goes 0.368 -> 0.519 (x1.41)
# in one step and never moves again; before the sigmoid's gradient was 0 where exp(-x)
# overflows, that run's NaN was called a divergence, and at 1.5 it was then told nothing.
STUCK_RISE = 1.25
STUCK_MIN_RISE = 1e-3
STUCK_EPOCHS = 50
STUCK_FLAT = 1e-4  # relative spread of the last STUCK_EPOCHS losses
# ... or, on a slow run, for STUCK_SECONDS of epochs, but never fewer than STUCK_MIN_EPOCHS:
# 50 flat epochs of a 2-512x4-1 network on 100,000 points (9-28 s an epoch) were 8-20 minutes,
# long after a student had given up (review r23 F3); ten flat epochs of it say as much. A fast
# run (the notebook's network: milliseconds an epoch) still waits its 50: a loss that rests a
# few epochs on a plateau after a jump is no stuck run.
STUCK_SECONDS = 10.0
STUCK_MIN_EPOCHS = 10


def stuck_epochs(epoch_s: float | None = None) -> int:
    """How many flat epochs make a run stuck: STUCK_EPOCHS, or on a run of ``epoch_s`` seconds
    an epoch (None: not known) as many as take STUCK_SECONDS, at least STUCK_MIN_EPOCHS."""
    if epoch_s is None or not math.isfinite(epoch_s) or epoch_s <= 0:
        return STUCK_EPOCHS
    return int(min(STUCK_EPOCHS, max(STUCK_MIN_EPOCHS, math.ceil(STUCK_SECONDS / epoch_s))))


def stuck_high(recent: np.ndarray, best_loss: float, epoch_s: float | None = None) -> bool:
    """Whether ``recent`` (the run's last losses, oldest first) sat still far above
    ``best_loss`` (the lowest of the run) for at least :func:`stuck_epochs` epochs (50; fewer
    on a run of ``epoch_s`` seconds an epoch)."""
    n = stuck_epochs(epoch_s)
    recent = np.asarray(recent, dtype=np.float64)[-n:]
    if len(recent) < n or not math.isfinite(best_loss):
        return False
    last = recent[-1]
    if not (np.all(np.isfinite(recent)) and last >= STUCK_RISE * best_loss
            and last - best_loss >= STUCK_MIN_RISE):
        return False
    return bool(recent.max() - recent.min() <= STUCK_FLAT * abs(last))


# A loss that bounces about far above the run's best, never settling: a rate that overshoots
# the valley at every step without ever making a loss NaN or a million times the first (the
# divergence rule), nor one that sits still (stuck_high). fruit.csv at lr 10000 went 1.5 ->
# 4,500-16,000 and stayed there for 440 epochs, at chance accuracy, told nothing (review r31).
# A hundred times the best for every one of the last stuck_epochs() epochs: a spike of a good
# run (Adam's, a mini-batch's) is a few epochs, not fifty.
BOUNCE_RISE = 100.0


def bouncing_high(recent: np.ndarray, best_loss: float, epoch_s: float | None = None) -> bool:
    """Whether every one of ``recent`` (the run's last losses, oldest first) stayed at least
    BOUNCE_RISE times ``best_loss`` (the lowest of the run), for :func:`stuck_epochs` epochs."""
    n = stuck_epochs(epoch_s)
    recent = np.asarray(recent, dtype=np.float64)[-n:]
    if len(recent) < n or not math.isfinite(best_loss) or not np.all(np.isfinite(recent)):
        return False
    low = float(recent.min())
    return low >= BOUNCE_RISE * best_loss and low - best_loss >= STUCK_MIN_RISE


def loss_far_above_best(recent: np.ndarray, best_loss: float,
                        epoch_s: float | None = None) -> bool:
    """The "Learning rate too high?" hint's case: :func:`stuck_high` or :func:`bouncing_high`."""
    return stuck_high(recent, best_loss, epoch_s) or bouncing_high(recent, best_loss, epoch_s)


def high_loss_message(recent: np.ndarray, best_loss: float, lr: float, then: str = "Restart",
                      now: float | None = None, best_epoch: int | None = None,
                      epoch_s: float | None = None) -> str:
    """The hint for a run whose last losses ``recent`` are :func:`stuck_high` (sitting still:
    :func:`stuck_message`) or :func:`bouncing_high`; "" for neither. The arguments as
    stuck_message's; ``epoch_s`` as stuck_epochs'."""
    if stuck_high(recent, best_loss, epoch_s):
        return stuck_message(float(recent[-1]), best_loss, lr, then, now, best_epoch)
    if not bouncing_high(recent, best_loss, epoch_s):
        return ""
    n = stuck_epochs(epoch_s)
    last = np.asarray(recent, dtype=np.float64)[-n:]
    lo, hi = float(last.min()), float(last.max())
    best = f"the run's best {best_loss:.4g}" + (
        f" (epoch {best_epoch:,})" if best_epoch is not None else "")
    times = f"over {lo / best_loss:,.0f} times {best}" if best_loss > 0 else f"far above {best}"
    said = (f"Learning rate too high? For {n} epochs the loss has stayed between {lo:.4g} and "
            f"{hi:.4g}, {times}: each step at lr {lr:g} overshoots the valley.")
    if best_epoch is not None:  # (the window's button says what to try)
        return said
    if now is not None and now < lr:
        return said + f" The rate is {now:g} now: if the loss does not come down, {then}."
    return said + f" Try a lower rate (say {lr / 10:g}) and {then}."


BACK_RATE_WHY = {"now": "the rate set since", "before": "the rate this run trained at before",
                 "default": "the rate nnviz picks for this data and optimiser",
                 "tenth": "a tenth of the rate"}


def back_rate(lr: float, now: float, before: float | None,
              default: float | None = None) -> tuple[float, str]:
    """The rate to go back to the best epoch at, after a step at ``lr`` saturated the units, and
    why (a key of BACK_RATE_WHY): the rate set since (``now``, lower), or the one the run
    trained well at before (lr 5 before 10000), or the data's ``default`` rate, or a tenth of
    ``lr``, the first that is lower than ``lr``. A tenth alone, at lr 10000 on the moons,
    offered 1000, then 100, then 10: four clicks and four saturated branches to reach a rate
    that trains (review r27 F6); the default (1 there) trains them in one."""
    for rate, why in ((now, "now"), (before, "before"), (default, "default")):
        if rate is not None and 0 < rate < lr:
            return float(rate), why
    return lr / 10, "tenth"


def stuck_message(loss: float, best_loss: float, lr: float, then: str = "Restart",
                  now: float | None = None, best_epoch: int | None = None) -> str:
    """The hint for a run :func:`stuck_high`: what it sees, the likely cause, what to try.
    ``lr``: the rate that drove the loss up; ``now``: the run's rate now, when the user has
    lowered it since (the saturated units stay saturated at it: they need other weights).
    ``best_epoch``: the epoch whose weights have ``best_loss``, for the window, whose button
    goes back there (what to try is its text, not the message's: ``then`` is not said)."""
    if best_epoch is not None:
        stay = f" At lr {now:g} they stay stuck." if now is not None and now < lr else ""
        # (the numbers first: folded to two lines, in presentation mode at 1024x768, the
        # banner showed "... jumped to 0.4812 and stopped moving, ..." without the best)
        return (f"Learning rate too high? The loss jumped to {loss:.4g}, far above the run's "
                f"best {best_loss:.4g} (epoch {best_epoch:,}), and stopped moving: a step at lr "
                f"{lr:g} likely saturated the units, where the gradient is almost zero.{stay}")
    said = (f"Learning rate too high? The loss rose to {loss:.4g}, far above the run's best "
            f"{best_loss:.4g}, and has stopped moving: a step this long (lr {lr:g}) can push the "
            "units into saturation, where the gradient is almost zero. ")
    if now is not None and now < lr:
        return said + (f"The rate is {now:g} now, but the saturated units stay stuck: "
                       f"{then} to train fresh weights at it.")
    return said + f"Try a lower rate (say {lr / 10:g}) and {then}."


def stuck_from_start(values: np.ndarray, epoch_s: float | None = None) -> bool:
    """Whether the run's loss ``values`` (its whole history, oldest first) has not moved since
    its first epoch for at least :func:`stuck_epochs` epochs: a network no gradient reaches
    (units saturated or dead from the initial weights: a relu 512x8 network with N(0, 1)
    weights sat at 0.3563 for 274 epochs, and the window said nothing, review r24 F8). A loss
    of 0 has nothing left to learn: not stuck."""
    values = np.asarray(values, dtype=np.float64)
    n = stuck_epochs(epoch_s)
    if len(values) < n or not np.all(np.isfinite(values)):
        return False
    last = values[-1]
    return bool(last > 0 and values.max() - values.min() <= STUCK_FLAT * abs(last))


def stuck_start_message(loss: float, lr: float,
                        init: str = 'pick "he" (for relu) or "glorot" as the Network tab\'s '
                                    "Initial weights", then: str = "Reset") -> str:
    """The hint for a run :func:`stuck_from_start`: ``loss``, flat at rate ``lr`` (no epoch
    count: the banner's text stays the same frame after frame); ``init``: how to pick smaller
    weights, ``then``: how to train fresh ones, in the caller's words."""
    small = (f" Or each step is too small to see: at lr {lr:g}, try a larger rate."
             if lr < 1e-3 else "")
    return (f"The loss has not moved since epoch 0 (it stays {loss:.4g}): no "
            f"gradient reaches the weights, likely units saturated or dead from the initial "
            f"weights, where no rate moves them (the Gradients tab shows it). Start from "
            f"smaller weights: {init}, and {then}.{small}")
