"""The training engine as pure functions over one state pytree.

A run's state -- weights, optimiser state, shuffling key: a :class:`~nnviz.core.training.TrainState`
-- goes into :func:`train_chunk` and comes out advanced; nothing else is kept anywhere. That is
what makes a run replayable from a checkpoint (the run log), and many runs one call:
:func:`train_many` is ``jax.vmap`` of the same compiled chunk over stacked states (other seeds,
learning rates, initial weights of one problem shape).

The compiled chunk itself (``training._chunk_fn``: up to ``MAX_CHUNK`` epochs in a
``lax.while_loop``, any chunk length and learning rate from one compile) is cached per problem
shape in a bounded LRU, so that compiled problems are released when many are tried.
:class:`~nnviz.core.training.Trainer` is the host-side wrapper that adds divergence handling and
the best-weights replay.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import compiled, losses
from .network import device_array, init_params
from .training import (MAX_CHUNK, TrainState, _chunk_fn, batch_order, compile_key,
                       penalty_rates)


class TrainData(NamedTuple):
    """What the epochs read, on the device: the training points (for mini-batches in the run's
    own fixed order) and their encoded targets."""

    X: jax.Array
    T: jax.Array


class ChunkOut(NamedTuple):
    state: TrainState
    losses: jax.Array  # (MAX_CHUNK,) the first ``done`` are this chunk's losses
    done: jax.Array  # epochs run (fewer than asked when a loss was not finite)
    diverged: jax.Array


def _shape(problem):
    # Everything but the learning rate (the optimiser state carries it) and the penalty rates
    # (an argument of the call).
    return problem.spec, compile_key(problem.config), len(problem.dataset.train_index)


def train_data(problem) -> TrainData:
    """The problem's training points as the epochs read them."""
    d, cfg = problem.dataset, problem.config
    enc = functools.partial(losses.encode_targets, loss=cfg.loss, task=d.task,
                            n_classes=d.n_classes)
    n, batch = len(d.train_index), cfg.batch_size
    if 0 < batch < n and n // batch > 1:
        order = batch_order(problem.seed, n)
        return TrainData(device_array(d.X_train[order]), enc(d.y_train[order]))
    return TrainData(device_array(d.X_train), enc(d.y_train))


def init_state(problem, seed: int | None = None) -> TrainState:
    """The state at epoch 0: the problem's initial weights (or ``seed``'s draw, when given or
    when the problem has none), a fresh optimiser at the problem's learning rate, and the
    shuffling key of the seed."""
    seed = problem.seed if seed is None else int(seed)
    if seed == problem.seed:
        params = problem.initial_params()
    else:
        params = init_params(problem.spec, seed)
    _, opt = _chunk_fn(*_shape(problem))
    opt_state = opt.init(params)
    opt_state.hyperparams["learning_rate"] = device_array(problem.config.learning_rate)
    return TrainState(params, opt_state, jax.random.PRNGKey(seed))


def train_chunk(problem, state: TrainState, data: TrainData, n_epochs: int) -> ChunkOut:
    """``state`` after up to ``n_epochs`` (<= MAX_CHUNK) epochs; pure: the same inputs give the
    same outputs, bit for bit."""
    run, _ = _chunk_fn(*_shape(problem))
    return ChunkOut(*run(state, data.X, data.T, np.int32(min(int(n_epochs), MAX_CHUNK)),
                         penalty_rates(problem.config))[:4])  # (not the gradient's row)


def stack(states: list[TrainState]) -> TrainState:
    """Several states of one problem shape as one batched state (a leading axis)."""
    return jax.tree_util.tree_map(lambda *x: jnp.stack(x), *states)


def unstack(states: TrainState) -> list[TrainState]:
    n = jax.tree_util.tree_leaves(states)[0].shape[0]
    return [jax.tree_util.tree_map(lambda x, i=i: x[i], states) for i in range(n)]


@compiled.per_problem()
def _many_fn(spec, config, n_train):
    run, _ = _chunk_fn(spec, config, n_train)
    # The chunk is jitted already (with its own compiler options): vmap of it compiles once.
    return jax.vmap(run, in_axes=(0, None, None, None, None))


def train_many(problem, states: TrainState, data: TrainData, n_epochs: int) -> ChunkOut:
    """:func:`train_chunk` of every state in the batched ``states`` at once (one compile, one
    call): each member runs until its own loss stops being finite."""
    many = _many_fn(*_shape(problem))
    return ChunkOut(*many(states, data.X, data.T, np.int32(min(int(n_epochs), MAX_CHUNK)),
                          penalty_rates(problem.config))[:4])
