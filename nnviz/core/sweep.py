"""Many runs at once: a sweep trains the variants of one problem together, each a full run.

A :class:`SweepSpec` is a base :class:`~nnviz.core.problem.Problem` and one or more axes of
variation (:class:`Axis`: an option's name, as ``nnviz train`` spells it, and its values); the
members are the product of the axes, and member i is an ordinary Problem (``problem_for``), so
a member means exactly what a single run with its values means.

:class:`Sweep` trains them. Members are grouped by what fixes the compiled shape (depth, input
and output widths, output activation, loss, optimiser, batch size, training-set size); each
group trains in ONE compiled call per chunk over the members' stacked states. Within a group:

- seeds, learning rates, init schemes, data noise/seed, batch order are the members' own states
  and data (the data is stacked when it differs);
- different hidden widths are padded to the widest and the units a member lacks are masked
  (their outputs and weights multiplied by 0), so a member computes the narrower network's
  numbers and its padded weights stay exactly 0;
- different hidden activations are an index per member and layer (``lax.switch``, a select
  under vmap); L1/L2 rates are per-member numbers. Still one compile.

The epoch is the single run's (``training._epoch_fns``: the same step, optimiser and
mini-batch shuffling), vmapped over the members inside a loop of the sweep's own; members that
are all alike in shape, activation and penalty use the single run's objective itself.

Each member keeps a :class:`~nnviz.core.runlog.RunLog` as a single run records it (losses,
test loss at checkpoints, checkpoints of its own unpadded state), and goes through divergence
as a Trainer does: a loss that is not finite or a million times the first one ends the member's
run, its weights go back to its best epoch's (replayed), and it is frozen; the others go on.
Its test curve then ends as a single run's does, at the train curve's last epoch
(``runlog.diverged_end``).

With more than one jax device the member axis is sharded over a one-axis mesh.
"""
from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from . import activations, compiled, losses
from . import features as input_features
from .data import make_dataset
from .errors import NnvizError
from .network import NetworkSpec, device_array
from .problem import Choices, Problem, fitted_by_default, make_problem
from .runlog import RunLog, diverged_end
from .inspect import layer_norms, record_gradient_norms
from .training import (_COLUMNS_BELOW_WIDTH, CHUNK_COMPILER_OPTIONS, GENERIC_BLOW_UP, MAX_CHUNK,
                       TrainState, _activation, _dense, _epoch_fns, _output_layer, compile_key,
                       make_optimizer, sane_losses, training_objective)

#: The options a sweep can vary, by the name ``nnviz train --json`` and the CLI use.
AXES: dict[str, str] = {
    "seed": "seed of the data, the split, the initial weights and the batch order",
    "init_seed": "seed of the initial weights only",
    "learning_rate": "learning rate",
    "l1": "L1 penalty rate",
    "l2": "L2 penalty rate",
    "hidden": "hidden layer widths (a tuple per member)",
    "activation": "activation of every hidden layer",
    "output_activation": "activation of the output layer",
    "optimizer": "optimiser",
    "init_scheme": "initial weights' scheme",
    "noise": "noise of the generated data",
    "samples": "number of generated points",
    "classes": "number of classes of the generated data (multiclass)",
    "features": "the input features the first layer takes (a tuple per member)",
    "test_fraction": "fraction of points held out",
    "batch_size": "mini-batch size",
    "loss": "loss",
}
_DATA_AXES = ("seed", "noise", "samples", "test_fraction", "classes")
_SPLIT_AXES = ("seed", "test_fraction")  # what changes imported data: its split
#: The axes whose values draw a member's initial weights: the seeds and the init scheme, and
#: those that change the weights' shapes (a width, the inputs, the classes). See
#: ``SweepSpec.redraw``.
WEIGHT_AXES = ("seed", "init_seed", "init_scheme", "hidden", "features", "classes")
_DRAW_ONLY_AXES = ("init_seed", "init_scheme")  # they do nothing but draw the weights
MAX_MEMBERS = 1024


class SweepError(NnvizError):
    """A sweep that cannot be made; the message is meant for the user."""


@dataclass(frozen=True)
class Axis:
    """One axis of variation: an option's name (see :data:`AXES`) and its values."""

    name: str
    values: tuple

    def __post_init__(self) -> None:
        if self.name not in AXES:
            raise SweepError(f"cannot sweep {self.name!r}; a sweep varies: {', '.join(AXES)}")
        values = tuple(tuple(v) if isinstance(v, list) else v for v in self.values)
        if self.name in ("hidden", "features"):  # a width alone: one hidden layer (a name alone:
            # one feature)
            values = tuple(v if isinstance(v, tuple) else (v,) for v in values)
        if not values:
            raise SweepError(f"the {self.name} axis has no values")
        object.__setattr__(self, "values", values)


@dataclass(frozen=True, eq=False)
class SweepSpec:
    """A base problem and its axes of variation; the members are their product.

    ``fitted``: which of the loss, output activation and learning rate follow each member's data
    and optimiser when it has no value of its own (as ``nnviz train`` fits an option left out);
    None: those of the base that hold the default (``problem.fitted_by_default``).

    ``split``: for imported data (no DataSpec), ``split(seed, test_fraction)`` makes the data
    of a member that varies the seed or the test fraction, as ``nnviz train --data`` splits its
    file; with None, a seed keeps the base's split and a test fraction cannot vary.

    ``start``: (TrainState, epoch) of a run every member goes on from (weights, optimiser state
    and key), each at its own learning rate, as ``nnviz train --session F --from-epoch E --lr``
    goes on from a saved run; only the learning rate may vary then.

    ``redraw``: what the base's own weights (``base.params``) are. False: weights given to every
    member, as ``nnviz train --init`` gives them to a run whatever its seed (a seed then varies
    the data and the batch order only); an init seed or init scheme axis, which would draw
    nothing, is refused. True: the start of a run (the window's run, whose weights are pinned
    once it was promoted, loaded or made by a preset): a member whose values draw initial
    weights (an axis of :data:`WEIGHT_AXES`: a seed, the init seed or scheme, a width) starts
    from its own draw, as a single run with its values does; the others keep the base's.
    """

    base: Problem
    axes: tuple[Axis, ...]
    fitted: frozenset | None = None
    split: Callable[[int, float], Any] | None = field(default=None, repr=False)
    start: tuple | None = field(default=None, repr=False)
    redraw: bool = False
    _problems: dict = field(default_factory=dict, repr=False, compare=False)
    _datasets: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "axes", tuple(self.axes))
        if not self.axes:
            raise SweepError("a sweep needs at least one axis")
        names = [a.name for a in self.axes]
        if len(set(names)) != len(names):
            raise SweepError(f"an option is swept twice: {', '.join(names)}")
        if self.start is not None and names != ["learning_rate"]:
            raise SweepError("a sweep that goes on from a run varies its learning rate only")
        if self.n_members > MAX_MEMBERS:
            raise SweepError(f"a sweep has at most {MAX_MEMBERS} members; these axes make "
                             f"{self.n_members}")

    @property
    def n_members(self) -> int:
        return math.prod(len(a.values) for a in self.axes)

    def members(self) -> list[dict]:
        """Every member's values, {axis name: value}, the last axis varying fastest."""
        names = [a.name for a in self.axes]
        return [dict(zip(names, combo)) for combo in itertools.product(*(a.values
                                                                         for a in self.axes))]

    def label(self, i: int) -> str:
        """Member i's values in a few words (``learning_rate 0.1, seed 2``)."""
        return ", ".join(f"{k} {_text(v)}" for k, v in self.members()[i].items())

    def problems(self) -> list[Problem]:
        """Every member's Problem; raises the user error of the first that cannot be made (a
        check before training starts)."""
        return [self.problem_for(i) for i in range(self.n_members)]

    def problem_for(self, i: int) -> Problem:
        """Member i as an ordinary single-run Problem."""
        i = operator.index(i)
        if i not in self._problems:
            if not 0 <= i < self.n_members:
                raise IndexError(f"member {i} of a sweep of {self.n_members}")
            self._problems[i] = member_problem(self.base, self.members()[i], self.fitted,
                                               self._datasets, self.split, self.redraw)
        return self._problems[i]


def _axis_names(names: Sequence[str]) -> str:
    """``init_seed`` -> "the init seed" (for messages)."""
    return " and ".join("the " + n.replace("_", " ") for n in names)


def _text(v: Any) -> str:
    if isinstance(v, tuple):
        return ",".join(map(str, v)) or "none"
    return f"{v:g}" if isinstance(v, float) else str(v)


def member_problem(base: Problem, values: dict, fitted: frozenset | None = None,
                   datasets: dict | None = None,
                   split: Callable[[int, float], Any] | None = None,
                   redraw: bool = False) -> Problem:
    """``base`` with ``values`` applied as ``nnviz train`` applies its options (``datasets``:
    the data sets made so far, by DataSpec, shared between members). A base with weights of
    its own (``params``) starts the member from them, unless ``redraw`` and ``values`` draw
    weights (see ``SweepSpec.redraw``)."""
    fitted = fitted_by_default(base) if fitted is None else set(fitted)
    data = base.dataset
    changed = {k: values[k] for k in _DATA_AXES if k in values}
    if changed:
        if data.spec is None and split is not None and not set(changed) - set(_SPLIT_AXES):
            key = ("split", changed.get("seed"), changed.get("test_fraction"))
            made = datasets if datasets is not None else {}
            if key not in made:
                made[key] = split(changed.get("seed"), changed.get("test_fraction"))
            data = made[key]
        elif data.spec is None:
            if set(changed) - {"seed"}:
                raise SweepError(f"{', '.join(changed)} change generated data; this data was "
                                 "imported")
        else:
            ds = replace(data.spec, **changed)
            if datasets is None:
                data = make_dataset(ds)
            else:
                if ds not in datasets:
                    datasets[ds] = make_dataset(ds)
                data = datasets[ds]
    spec, cfg = base.spec, base.config
    hidden = tuple(values.get("hidden", spec.hidden))
    if "activation" in values:
        acts = (values["activation"],) * len(hidden)
    elif hidden == spec.hidden:
        acts = spec.activations
    elif len(set(spec.activations)) <= 1:
        acts = ((spec.activations or ("sigmoid",))[0],) * len(hidden)
    else:
        raise SweepError("the base network mixes activations: give an activation to sweep "
                         "its hidden layers")

    def own(name, current):
        return values.get(name, None if name in fitted else current)

    choices = Choices(hidden, acts, own("output_activation", spec.output_activation),
                      values.get("init_scheme", spec.init_scheme), own("loss", cfg.loss),
                      values.get("optimizer", cfg.optimizer),
                      own("learning_rate", cfg.learning_rate),
                      values.get("batch_size", cfg.batch_size), values.get("l1", cfg.l1),
                      values.get("l2", cfg.l2), features=values.get("features", spec.features))
    seed = values.get("seed", base.seed)
    init_seed = values.get("init_seed", base.init_seed)
    problem = make_problem(data, choices, seed=seed, init_seed=init_seed)
    if base.params is not None and redraw and (
            any(k in values for k in WEIGHT_AXES)
            or problem.spec.param_shapes() != spec.param_shapes()):
        return problem  # its own draw: the window's sweep over the seed of its run's
        # pinned weights trained one run per learning rate, 8 times (review r24 F11)
    if base.params is not None:
        # the base's own weights start every member, as --init does for nnviz train (a seed
        # varies the data and the batch order then); an axis that only draws weights would
        # give copies of one run
        drawn = [k for k in _DRAW_ONLY_AXES if k in values]
        if drawn:
            raise SweepError(f"the starting weights are given, so {_axis_names(drawn)} would "
                             "draw none (every member the same run): sweep it without them")
        if problem.spec.param_shapes() != spec.param_shapes():
            raise SweepError(f"the starting weights fit the network {spec.shapes_text()}, not "
                             f"{problem.spec.shapes_text()}: sweep it without them")
        problem = replace(problem, params=base.params)
    return problem


# --- the compiled pieces of a group --------------------------------------------------------------


def _select(fns: Sequence[Callable], i: jax.Array, z: jax.Array) -> jax.Array:
    return fns[0](z) if len(fns) == 1 else jax.lax.switch(i, list(fns), z)


@dataclass(frozen=True)
class _Masked:
    """The objective of a group of members that differ in width, activation or penalty:
    ``aux`` = (a 0/1 mask per hidden layer, an activation index per hidden layer, L1, L2)."""

    choices: tuple[str, ...]  # the hidden activations the members pick from

    def objective(self, spec: NetworkSpec, config, columns: bool):
        out_spec = _output_layer(spec)

        def objective(params, X, T, aux):
            masks, act, l1, l2 = aux
            *hidden, (w, b) = params
            x, pen, before = X, jnp.float32(0.0), None
            for i, ((wh, bh), m) in enumerate(zip(hidden, masks)):
                wh = _mask_weights(wh, before, m)
                z = _dense(wh, bh * m, x) if columns else x @ wh + bh * m
                x = _select(self.fns(m, columns), act[i], z) * (m[:, None] if columns else m)
                pen = pen + l1 * jnp.sum(jnp.abs(wh)) + l2 * jnp.sum(jnp.square(wh))
                before = m
            w = _mask_weights(w, before, None)
            pen = pen + l1 * jnp.sum(jnp.abs(w)) + l2 * jnp.sum(jnp.square(w))
            d = losses.data_loss(out_spec, config.loss, ((w, b),), x.T if columns else x, T)
            return d + pen, d
        return objective

    def fns(self, mask, columns: bool = False) -> list[Callable]:
        """The choices' activations for a layer whose units ``mask`` keeps (1) or pads (0):
        a softmax over the kept units alone, as the member's own narrower network has (over
        every unit, each padded one took a share of exp(0) of the sum)."""
        axis = 0 if columns else -1
        keep = (mask[:, None] if columns else mask) > 0

        def softmax(z):
            return jax.nn.softmax(z, axis=axis, where=keep)
        return [softmax if n == "softmax" else _activation(n, columns) for n in self.choices]


def _mask_weights(w, rows, cols):
    if rows is not None:
        w = w * rows[:, None]
    if cols is not None:
        w = w * cols[None, :]
    return w


def _hidden_out(spec: NetworkSpec, variant: _Masked | None, params, aux, X):
    """The last hidden layer's activations for rows ``X`` and the (masked) output layer, as
    ``network.forward`` computes them."""
    X = input_features.expand(spec.features, X)
    *hidden, (w, b) = params
    if variant is None:
        for (wh, bh), name in zip(hidden, spec.activations):
            X = activations.ACTIVATIONS[name](X @ wh + bh)
        return X, (w, b)
    masks, act, _, _ = aux
    before = None
    for i, ((wh, bh), m) in enumerate(zip(hidden, masks)):
        X = _select(variant.fns(m), act[i], X @ _mask_weights(wh, before, m) + bh * m) * m
        before = m
    return X, (_mask_weights(w, before, None), b)


def _members_loop(spec: NetworkSpec, config, n_train: int, variant, data_axis: int | None):
    """``run(states, X, T, n_epochs, aux) -> (states, losses, done, diverged)``: the engine's
    chunk (``training._chunk_fn``'s loop) for stacked members, member m running up to
    ``n_epochs[m]`` epochs and stopping at its first loss that is not finite.

    Not ``vmap`` of the single run's loop: a while loop whose condition differs per member
    makes every value it carries a select per epoch, the (members, MAX_CHUNK) loss buffer too,
    which cost more than the epochs. Here the loop runs to the longest member, the buffer gets
    one column per epoch, and only the states are selected (they are small).
    """
    epoch, counted, _, columns = _epoch_fns(spec, config, n_train, variant)
    epochs_ = jax.vmap(epoch, in_axes=(0, data_axis, data_axis, 0))

    def keep(active, new, old):
        return jax.tree_util.tree_map(
            lambda a, b: jnp.where(active.reshape(active.shape + (1,) * (a.ndim - 1)), a, b),
            new, old)

    def run(states, X, T, n_epochs, aux):
        # once per chunk, outside the loop: the input features, the samples as columns
        expand = functools.partial(input_features.expand, spec.features)
        X = jax.vmap(expand)(X) if data_axis == 0 else expand(X)
        if columns:
            X = jnp.swapaxes(X, -1, -2)
        n = n_epochs.shape[0]

        def cond(c):
            t, active, *_ = c
            return (t < MAX_CHUNK) & jnp.any(active)

        def body(c):
            t, active, ok, done, states, buf = c
            new, d = epochs_(states, X, T, aux)
            finite = jnp.isfinite(d)
            # as the single run: the state of a non-finite loss's epoch is kept (the host
            # puts the best back), the member stops, its count does not include that epoch
            states = keep(active, new, states)
            buf = jax.lax.dynamic_update_slice(buf, d[:, None], (0, t))
            ok = ok & (finite | ~active)
            done = done + (active & finite).astype(jnp.int32)
            active = active & finite & (t + 1 < n_epochs)
            return t + 1, active, ok, done, states, buf

        init = (jnp.int32(0), n_epochs > 0, jnp.ones(n, bool), jnp.zeros(n, jnp.int32),
                states, jnp.zeros((n, MAX_CHUNK), jnp.float32))
        _, _, ok, done, states, buf = jax.lax.while_loop(cond, body, init)
        # a finite loss can hide non-finite weights after the last update (see _chunk_fn)
        finite = jnp.stack([jnp.all(jnp.isfinite(a).reshape(n, -1), axis=1)
                            for a in jax.tree_util.tree_leaves(states.params)]).all(axis=0)
        return jax.vmap(counted)(states, done), buf, done, ~(ok & finite)
    return run


@compiled.per_problem()
def _group_fns(spec: NetworkSpec, config, n_train: int, variant: _Masked | None,
               data_axis: int | None, eval_axis: int | None, has_test: bool, task: str):
    """The group's vmapped chunk runner, evaluation, prediction, and evaluation with the
    gradient statistics (at a recorded run's checkpoints)."""
    runner = jax.jit(_members_loop(spec, config, n_train, variant, data_axis),
                     compiler_options=CHUNK_COMPILER_OPTIONS)
    out_spec = _output_layer(spec)

    def evaluate(params, aux, *sets):
        vals = []
        for X, T, y in zip(sets[0::3], sets[1::3], sets[2::3]):
            h, last = _hidden_out(spec, variant, params, aux, X)
            out = activations.ACTIVATIONS[spec.output_activation](h @ last[0] + last[1])
            vals += [losses.data_loss(out_spec, config.loss, (last,), h, T),
                     losses.accuracy(out, y, task)]
        return jnp.stack(vals)

    def predict(params, aux, X):
        h, last = _hidden_out(spec, variant, params, aux, X)
        out = activations.ACTIVATIONS[spec.output_activation](h @ last[0] + last[1])
        return losses.scores(spec, config.loss, out)

    columns = max(spec.layer_sizes) < _COLUMNS_BELOW_WIDTH  # as the epoch takes its data
    objective = training_objective(spec, config, columns, variant)

    def gradient_norms(params, X, T, aux):
        # a single run's record (inspect.gradient_row): the gradient on every training point
        # of what the epoch descends; a padded unit's weights and gradients are exactly 0
        X = input_features.expand(spec.features, X)
        g = jax.grad(lambda p: objective(p, X.T if columns else X, T, aux)[0])(params)
        return layer_norms(params, g)

    def at_checkpoint(params, aux, X, T, *sets):
        # what a checkpoint of a recorded run measures, in one call: the scores, the gradient
        return evaluate(params, aux, *sets), *gradient_norms(params, X, T, aux)

    n_sets = 2 if has_test else 1
    evaluator = jax.jit(jax.vmap(evaluate, in_axes=(0, 0) + (eval_axis,) * (3 * n_sets)))
    predictor = jax.jit(jax.vmap(predict, in_axes=(0, 0, None)))
    stats = jax.jit(jax.vmap(at_checkpoint, in_axes=(0, 0, data_axis, data_axis)
                             + (eval_axis,) * (3 * n_sets)))
    return runner, evaluator, predictor, stats


# --- the state of one member, padded and not ---------------------------------------------------


def _member_state(problem: Problem) -> TrainState:
    """The state a single run of ``problem`` starts from (``engine.init_state``'s, without
    building that problem's compiled chunk)."""
    params = problem.initial_params()
    opt = make_optimizer(problem.config.optimizer, problem.config.learning_rate)
    opt_state = opt.init(params)
    opt_state.hyperparams["learning_rate"] = device_array(problem.config.learning_rate)
    return TrainState(params, opt_state, jax.random.PRNGKey(problem.seed))


def _fit(tree, like):
    """Every leaf of ``tree`` (numpy) zero-padded or cut at the end of each axis to the shape of
    the matching leaf of ``like`` (arrays or ShapeDtypeStructs of the same structure)."""
    def one(a, t):
        a = np.asarray(a)
        a = a[tuple(slice(0, s) for s in t.shape)]
        pad = [(0, s - n) for n, s in zip(a.shape, t.shape)]
        return np.pad(a, pad) if any(p for _, p in pad) else a
    return jax.tree_util.tree_map(one, tree, like)


@functools.lru_cache(maxsize=256)
def _state_shapes(spec: NetworkSpec, optimizer: str):
    params = tuple((jax.ShapeDtypeStruct(w, jnp.float32), jax.ShapeDtypeStruct(b, jnp.float32))
                   for w, b in spec.param_shapes())
    opt = make_optimizer(optimizer, 1.0)
    return TrainState(params, jax.eval_shape(opt.init, params),
                      jax.ShapeDtypeStruct((2,), jnp.uint32))


@dataclass
class _Member:
    """A member's host-side bookkeeping, as a Trainer keeps it."""

    epoch: int = 0
    limit: float = math.inf  # a loss above this is a blow-up (set by the first loss)
    best: tuple = (None, 0)  # (the group's stacked state a chunk started from, epochs into it)
    best_epoch: int = 0
    best_loss: float = math.inf
    last_loss: float = math.nan
    blow_up: str = GENERIC_BLOW_UP  # the divergence, in words (as Trainer.blow_up)


class _Group:
    """Members that train in one vmapped call: their stacked (padded) states and data."""

    def __init__(self, sweep: "Sweep", members: list[int]) -> None:
        self.members = members
        self.sharding, self.replicated = sweep._sharding, sweep._replicated
        problems = [sweep.problems[i] for i in members]
        p0 = problems[0]
        widths = tuple(max(p.spec.hidden[l] for p in problems) for l in range(len(p0.spec.hidden)))
        alike = len({(p.spec.hidden, p.spec.activations, p.config.l1, p.config.l2)
                     for p in problems}) == 1
        self.spec = replace(p0.spec, hidden=widths, init_scheme="normal")
        if alike:
            self.variant = None
            self.config = compile_key(p0.config)  # the rates come in ``aux``
        else:
            choices = tuple(dict.fromkeys(a for p in problems for a in p.spec.activations))
            self.variant = _Masked(choices)
            self.config = replace(p0.config, learning_rate=1.0, l1=0.0, l2=0.0)
            self.spec = replace(self.spec, activations=(choices[0],) * len(widths))
        n_dev = len(sweep.devices)
        self.rows = -(-len(members) // n_dev) * n_dev  # a multiple of the devices
        fill = members + [members[0]] * (self.rows - len(members))  # spare rows repeat one

        from .engine import train_data
        shapes = _state_shapes(self.spec, p0.config.optimizer)
        self.state = self._put(jax.tree_util.tree_map(
            lambda *x: np.stack(x),
            *[_fit(jax.device_get(sweep._start_state(i)), shapes) for i in fill]))
        self.aux = self._put(self._aux([sweep.problems[i] for i in fill], widths))
        runs = [train_data(sweep.problems[i]) for i in fill]
        self.data_axis = self._shared_or_stacked([tuple(map(np.asarray, r)) for r in runs])
        self.X, self.T = self.data
        sets = [self._eval_sets(sweep.problems[i]) for i in fill]
        self.has_test = len(p0.dataset.test_index) > 0
        self.eval_axis = self._shared_or_stacked(sets)
        self.eval_sets = self.data
        self.runner, self.evaluator, self.predictor, self.stats = _group_fns(
            self.spec, self.config, len(p0.dataset.train_index), self.variant, self.data_axis,
            self.eval_axis, self.has_test, p0.dataset.task)
        self.out_dim = p0.spec.output_dim

    def _put(self, tree, sharded: bool = True):
        return jax.device_put(tree, self.sharding if sharded else self.replicated)

    def _aux(self, problems, widths):
        l1 = np.array([p.config.l1 for p in problems], np.float32)
        l2 = np.array([p.config.l2 for p in problems], np.float32)
        if self.variant is None:
            return np.stack([l1, l2], axis=1)  # the single run's ``penalty_rates``, per member
        masks = tuple(np.stack([(np.arange(w) < p.spec.hidden[l]).astype(np.float32)
                                for p in problems]) for l, w in enumerate(widths))
        act = np.array([[self.variant.choices.index(a) for a in p.spec.activations]
                        for p in problems], np.int32).reshape(len(problems), len(widths))
        return masks, act, l1, l2

    def _eval_sets(self, p: Problem) -> tuple:
        d, loss = p.dataset, p.config.loss
        enc = functools.partial(losses.encode_targets, loss=loss, task=d.task,
                                n_classes=d.n_classes)
        out = (np.asarray(d.X_train, np.float32), np.asarray(enc(d.y_train)),
               np.asarray(d.y_train, np.int32 if d.is_classification else np.float32))
        if len(d.test_index):
            out += (np.asarray(d.X_test, np.float32), np.asarray(enc(d.y_test)),
                    np.asarray(d.y_test, np.int32 if d.is_classification else np.float32))
        return out

    def _shared_or_stacked(self, per_row: list[tuple]) -> int | None:
        """Put the rows' arrays on the devices once if every row has the same, else stacked
        along the member axis; the vmap axis to use."""
        first = per_row[0]
        if all(all(np.array_equal(a, b) for a, b in zip(first, r)) for r in per_row[1:]):
            self.data = self._put(first, sharded=False)
            return None
        self.data = self._put(tuple(np.stack(x) for x in zip(*per_row)))
        return 0


class Sweep:
    """The members of ``spec`` trained together (see the module's doc)."""

    def __init__(self, spec: SweepSpec, devices: Sequence | None = None,
                 record: bool = True) -> None:
        """``record`` False: the logs keep the losses and the start, no further checkpoints
        or test losses (the command line's, which keeps nothing to replay)."""
        self.spec, self.record = spec, record
        self.problems = spec.problems()
        tasks = {(p.dataset.task, p.dataset.n_features) for p in self.problems}
        if len(tasks) > 1:
            raise SweepError("the members' data sets differ in task or inputs")
        self.devices = list(jax.devices() if devices is None else devices)
        if len(self.devices) > 1:
            from jax.sharding import Mesh, NamedSharding, PartitionSpec
            mesh = Mesh(np.array(self.devices), ("member",))
            self._sharding = NamedSharding(mesh, PartitionSpec("member"))
            self._replicated = NamedSharding(mesh, PartitionSpec())
        else:
            self._sharding = self._replicated = self.devices[0]
        self.n_members = spec.n_members
        self.diverged = np.zeros(self.n_members, bool)
        self.logs = [RunLog(name=spec.label(i)) for i in range(self.n_members)]
        e0 = spec.start[1] if spec.start is not None else 0
        self._m = [_Member(epoch=e0, best_epoch=e0) for _ in range(self.n_members)]
        self._on_losses = None
        keys: dict = {}
        for i, p in enumerate(self.problems):
            key = (p.spec.input_dim, p.spec.features, len(p.spec.hidden), p.spec.output_dim,
                   p.spec.output_activation, p.config.loss, p.config.optimizer,
                   p.config.batch_size, len(p.dataset.train_index), len(p.dataset.test_index))
            keys.setdefault(key, []).append(i)
        self.groups = [_Group(self, members) for members in keys.values()]
        self._where = {i: (g, row) for g in self.groups for row, i in enumerate(g.members)}
        for g in self.groups:
            host = jax.device_get(g.state)
            for row, i in enumerate(g.members):
                self.logs[i].checkpoint(e0, self._unpadded(i, host, row), "start")
                self._m[i].best = (g.state, 0)
            self._measure(g, g.members, g.members, e0)

    def _start_state(self, i: int) -> TrainState:
        """Member i's state at its first epoch: a fresh run's, or the run it goes on from at
        its own learning rate."""
        p = self.problems[i]
        if self.spec.start is None:
            return _member_state(p)
        hp = dict(self.spec.start[0].opt_state.hyperparams,
                  learning_rate=device_array(p.config.learning_rate))
        state = self.spec.start[0]
        return state._replace(opt_state=state.opt_state._replace(hyperparams=hp))

    # --- reading ---------------------------------------------------------------------------

    @property
    def epoch(self) -> int:
        """Epochs the live members have trained (the most any member has)."""
        return max(m.epoch for m in self._m)

    @property
    def member_epochs(self) -> np.ndarray:
        return np.array([m.epoch for m in self._m], np.int64)

    def _unpadded(self, i: int, host_state, row: int) -> TrainState:
        p = self.problems[i]
        one = jax.tree_util.tree_map(lambda a: np.asarray(a)[row], host_state)
        return _fit(one, _state_shapes(p.spec, p.config.optimizer))

    def state(self, i: int) -> TrainState:
        """Member i's state now, unpadded: what a single run of ``problem_for(i)`` would hold
        after as many epochs (its best weights if it diverged)."""
        g, row = self._where[i]
        return jax.device_put(self._unpadded(i, jax.device_get(g.state), row))

    def params(self, i: int) -> tuple:
        """Member i's weights now: ((W (in, out), b (out,)), ...) numpy, its own widths."""
        g, row = self._where[i]
        host = jax.device_get(g.state.params)
        p = self.problems[i]
        return tuple((np.asarray(w)[row][:ws[0], :ws[1]].copy(),
                      np.asarray(b)[row][:bs[0]].copy())
                     for (w, b), (ws, bs) in zip(host, p.spec.param_shapes()))

    def predict(self, X) -> np.ndarray:
        """Every member's scores for rows ``X``: (n_members, N, outputs), one call per group.
        Members with one output and members with two (two classes) give P(class 1)."""
        X = device_array(X)
        outs = [np.asarray(g.predictor(g.state.params, g.aux, X)) for g in self.groups]
        dims = {o.shape[-1] for o in outs}
        if len(dims) > 1:
            if dims != {1, 2}:
                raise SweepError("the members' outputs differ in width")
            outs = [o[..., 1:2] if o.shape[-1] == 2 else o for o in outs]
        out = np.empty((self.n_members, X.shape[0], outs[0].shape[-1]), np.float32)
        for g, o in zip(self.groups, outs):
            out[g.members] = o[:len(g.members)]
        return out

    def _metrics(self, g: _Group, v=None) -> np.ndarray:
        """The group's members' (train loss, train accuracy, test loss, test accuracy) now
        (``v``: the evaluator's, measured already)."""
        if v is None:
            v = g.evaluator(g.state.params, g.aux, *g.eval_sets)
        v = np.asarray(v, np.float64)
        if v.shape[1] == 2:
            v = np.concatenate([v, np.full((len(v), 2), math.nan)], axis=1)
        return v[:len(g.members)]

    def scores(self) -> list[dict]:
        """Per member: its values, train/test loss and accuracy (R^2 for regression), the last
        epoch's loss (``final_loss``), whether it diverged, its epoch, and its best epoch and
        loss (where a diverged member's weights went back to)."""
        out: list[dict] = [{} for _ in range(self.n_members)]
        members = self.spec.members()
        for g in self.groups:
            for row, (i, v) in enumerate(zip(g.members, self._metrics(g))):
                m = self._m[i]
                out[i] = {**members[i], "train_loss": float(v[0]), "train_accuracy": float(v[1]),
                          "test_loss": float(v[2]), "test_accuracy": float(v[3]),
                          "final_loss": m.last_loss, "diverged": bool(self.diverged[i]),
                          "epoch": m.epoch, "best_epoch": m.best_epoch,
                          "best_loss": m.best_loss, "blow_up": m.blow_up}
        return out

    # --- training ----------------------------------------------------------------------------

    def compile(self) -> None:
        """Compile every group's chunk now (a call of zero epochs)."""
        for g in self.groups:
            jax.block_until_ready(g.runner(g.state, g.X, g.T, np.zeros(g.rows, np.int32),
                                           g.aux))

    def advance(self, n_epochs: int, should_stop: Callable[[], bool] | None = None,
                on_losses: Callable[[int, int, np.ndarray], None] | None = None) -> None:
        """Train every live member ``n_epochs`` more epochs (fewer for one that diverges, none
        past ``should_stop()``), recording into its log at its checkpoints.
        ``on_losses(member, first epoch, losses)`` sees every epoch's loss as it comes."""
        self._on_losses = on_losses
        left = int(n_epochs)
        while left > 0 and not (should_stop is not None and should_stop()):
            live = np.flatnonzero(~self.diverged)
            if not len(live):
                return
            k = min(left, MAX_CHUNK, *(self.logs[i].next_checkpoint(self._m[i].epoch)
                                       - self._m[i].epoch for i in live
                                       if self.record))
            for g in self.groups:
                if not self.diverged[g.members].all():
                    self._run(g, k)
            left -= k

    def _run(self, g: _Group, k: int) -> None:
        epochs = np.zeros(g.rows, np.int32)
        for row, i in enumerate(g.members):
            epochs[row] = 0 if self.diverged[i] else k
        start = g.state
        out = g.runner(start, g.X, g.T, epochs, g.aux)
        g.state = out[0]
        buf, done, bad = (np.asarray(a) for a in out[1:])
        due, restore = [], []
        for row, i in enumerate(g.members):
            if not epochs[row]:
                continue
            m, log = self._m[i], self.logs[i]
            # as Trainer.run: a blow-up ends the run; remember where the best epoch is
            losses_, diverged, m.limit, what = sane_losses(buf[row], int(done[row]),
                                                           int(epochs[row]), bool(bad[row]),
                                                           m.limit)
            if diverged:
                m.blow_up = what
            if len(losses_):
                j = int(np.argmin(losses_))
                if losses_[j] < m.best_loss:
                    m.best = (start, j)
                    m.best_epoch, m.best_loss = m.epoch + j, float(losses_[j])
                m.last_loss = float(losses_[-1])
            log.record_losses(m.epoch + 1, losses_)
            if self._on_losses is not None and len(losses_):
                self._on_losses(i, m.epoch + 1, losses_)
            m.epoch += len(losses_)
            if diverged:
                self.diverged[i] = True
                restore.append((row, i))
            elif self.record and m.epoch >= log.next_checkpoint(m.epoch - 1):
                due.append((row, i, ""))
        for row, i in restore:
            self._restore_best(g, row, i)
            due.append((row, i, "restored"))
        if due:
            host = jax.device_get(g.state)
            for row, i, pinned in due:
                self.logs[i].checkpoint(self._m[i].epoch, self._unpadded(i, host, row), pinned)
            # Not the restored members' test loss: their best weights do not come after E.
            self._measure(g, [i for _, i, _ in due], [i for _, i, pinned in due if not pinned])
            for _, i, pinned in due:
                if pinned and self.record:  # (the command line's logs keep no test losses)
                    self._diverged_test(i)

    def _diverged_test(self, i: int) -> None:
        """Member i diverged at epoch E: its test curve ends at E with the test loss of the
        weights whose loss ends its train curve (those after E - 1 epochs), as a single run's
        does (``runlog.diverged_end``, replayed by the member's own Trainer, as the timeline
        replays a member), not with its best weights' at E + 1."""
        p, log = self.spec.problem_for(i), self.logs[i]
        trainer = p.make_trainer()  # compiled on its first replay (shared by equal shapes)
        trainer.epoch = self._m[i].epoch
        params = diverged_end(trainer, log)
        if params is not None and len(p.dataset.test_index) and not (
                len(log.test) and log.test.epochs[-1] == trainer.epoch):
            with np.errstate(all="ignore"):
                log.record_test(trainer.epoch, trainer.test_loss(params))

    def _restore_best(self, g: _Group, row: int, i: int) -> None:
        """As Trainer._restore_best: member i's state goes back to its best epoch's, replayed
        from where that chunk started (training is deterministic)."""
        m = self._m[i]
        start, j = m.best
        state = start
        if j:
            epochs = np.zeros(g.rows, np.int32)
            epochs[row] = j
            replay = g.runner(start, g.X, g.T, epochs, g.aux)
            assert int(np.asarray(replay[2])[row]) == j, "the replay of the best epochs diverged"
            if bool(np.asarray(replay[3])[row]):
                m.best_epoch -= j  # finite loss behind infinite weights: the chunk's start
            else:
                state = replay[0]
        g.state = _with_row(g.state, state, np.int32(row))

    def _measure(self, g: _Group, checked: list[int], tested: list[int],
                 epoch: int | None = None) -> None:
        """At the checkpoints the members ``checked`` of ``g`` just took: their gradient
        statistics, as a single run records them there (``inspect.record_gradients``: the
        Gradients view's history, which a promoted member keeps; recorded sweeps only), and
        the test loss of ``tested``, drawn at the next epoch (as the window does). One call
        for the group."""
        v = norms = None
        if self.record:
            v, norms, wnorm = jax.device_get(g.stats(g.state.params, g.aux, g.X, g.T,
                                                     *g.eval_sets))
        elif not tested:
            return
        v = self._metrics(g, v)
        checked, tested = set(checked), set(tested)
        for row, i in enumerate(g.members):
            if norms is not None and i in checked:
                cfg = self.problems[i].config
                record_gradient_norms(self.logs[i], cfg.optimizer, cfg.learning_rate,
                                      norms[row], wnorm[row])
            if i in tested:
                e = self._m[i].epoch if epoch is None else epoch
                self.logs[i].record_test(e + 1, float(v[row, 2]))


@jax.jit
def _with_row(state, other, row):
    """``state`` with row ``row`` of every leaf taken from ``other``, in one compiled call: op by
    op, each leaf's shape compiled two small executables (~50 for a network of three layers,
    ~1 s at a sweep's first divergence). Its executables go with ``jax.clear_caches``, which
    the bounded per-problem caches call (core/compiled.py)."""
    return jax.tree_util.tree_map(lambda s, r: s.at[row].set(r[row]), state, other)
