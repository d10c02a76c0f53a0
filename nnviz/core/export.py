"""A run as a standalone Python script: the notebook's code, with this run's data and weights.

The script needs numpy and jax only and reads like the notebook (seed/01-fundamentals): points
in columns, ``w.T @ X + b`` layers, the activations, the loss, ``jax.value_and_grad``, and the
optimiser's update written out (gradient descent, momentum, Nesterov, Adam, RMSProp: optax's
rules, with optax's constants). It holds the training points (in the order nnviz's epochs read
them) and the run's initial weights, and prints ``Loss for epoch N: VALUE`` every 100 epochs: the
numbers of nnviz's own run, floating-point rounding aside. Mini-batches are drawn in nnviz's own
order (``shuffle.shuffled_order`` on the same jax keys), so those runs match too.

It ends with ``predict(rows)``, the trained network on new points, and the notebook's last step:
the check against the ground truth, the accuracy on the training (and test) points (R^2 for
regression), the numbers nnviz shows; a notebook export adds the notebook's figure of it (True
labels / Predicted / Rounded predictions) when matplotlib is there. Features standardised on
import (a CSV file far from unit scale, ``Dataset.scaling``) are written as the file's raw
values, with the means and sds and the ``standardise`` step that the training points and new
points both go through.

Given the run's record (``log``: the live branch's :class:`~nnviz.core.runlog.RunLog`), the
script replays its learning-rate changes -- a rate changed in the window, a branch continued at
another rate -- from the epochs they took effect (``lr_changes``); the optimiser state carries
the rate, and every change pins a checkpoint (runlog), so the checkpoints hold the schedule.
It replays a divergence's restore too (``restores``): after the epoch that blew up, the state
goes back to the script's own after the run's best epoch (the checkpoint's ``weights_of``).
What it does not replay, its docstring and :attr:`ScriptRun.note` say: weights edited by hand
after epoch 0, and training points edited during the run (the script has them as they are now).
"""
from __future__ import annotations

import ast
import inspect
import os
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from nnviz import __version__
from . import losses, shuffle
from .errors import NnvizError, sentence
from .formatting import plural
from .fileio import atomic_write
from .training import OPTIMIZERS, Trainer, batch_order

_ACTIVATIONS = {
    "linear": "def linear(x):\n    return x\n",
    "sigmoid": ("def sigmoid(x):\n"
                "    # The notebook's 1 / (1 + e^-x). Below x = -88, e^-x overflows to inf: the\n"
                "    # value would still be 0, but its gradient inf / inf = NaN. The sigmoid is\n"
                "    # flat there, so x is held at -88, where its slope is 0 in float32.\n"
                "    return 1 / (1 + jnp.exp(-jnp.maximum(x, -88.0)))\n"),
    "tanh": "tanh = jnp.tanh\n",
    "relu": "def relu(x):\n    return jnp.maximum(x, 0.0)\n",
    "leaky-relu": "def leaky_relu(x):\n    return jnp.where(x >= 0, x, 0.01 * x)\n",
    "elu": "elu = jax.nn.elu\n",
    "gelu": "gelu = jax.nn.gelu\n",
    "swish": "swish = jax.nn.swish\n",
    "softplus": "softplus = jax.nn.softplus\n",
    "sin": "sin = jnp.sin\n",
    "cos": "cos = jnp.cos\n",
    "softmax": ("def softmax(x):\n    # over each point's units: a column\n"
                "    return jax.nn.softmax(x, axis=0)\n"),
}

_UPDATES = {
    "gd": '''\
# Plain gradient descent, the notebook's: every parameter moves against its gradient.
opt_state = None


def update(params, grads, opt_state, lr):
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads), opt_state
''',
    "momentum": '''\
# Gradient descent with momentum (optax.sgd's rule): a velocity that remembers past gradients.
momentum = 0.9
opt_state = jax.tree_util.tree_map(jnp.zeros_like, params)  # the velocity


def update(params, grads, velocity, lr):
    velocity = jax.tree_util.tree_map(lambda v, g: g + momentum * v, velocity, grads)
    params = jax.tree_util.tree_map(lambda p, v: p - lr * v, params, velocity)
    return params, velocity
''',
    "nesterov": '''\
# Gradient descent with Nesterov momentum (optax.sgd's rule): a step along the velocity to come.
momentum = 0.9
opt_state = jax.tree_util.tree_map(jnp.zeros_like, params)  # the velocity


def update(params, grads, velocity, lr):
    velocity = jax.tree_util.tree_map(lambda v, g: g + momentum * v, velocity, grads)
    step = jax.tree_util.tree_map(lambda v, g: g + momentum * v, velocity, grads)
    params = jax.tree_util.tree_map(lambda p, s: p - lr * s, params, step)
    return params, velocity
''',
    "adam": '''\
# Adam (optax.adam's rule): moving averages of the gradient (mu) and of its square (nu),
# corrected for starting at zero, give each parameter a step of its own.
b1, b2, eps = 0.9, 0.999, 1e-8
zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
opt_state = (jnp.zeros([], jnp.int32), zeros, zeros)  # step count, mu, nu


def update(params, grads, opt_state, lr):
    t, mu, nu = opt_state
    t = t + 1
    mu = jax.tree_util.tree_map(lambda m, g: (1 - b1) * g + b1 * m, mu, grads)
    nu = jax.tree_util.tree_map(lambda v, g: (1 - b2) * g ** 2 + b2 * v, nu, grads)

    def step(p, m, v):
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        return p - lr * (m_hat / (jnp.sqrt(v_hat) + eps))
    return jax.tree_util.tree_map(step, params, mu, nu), (t, mu, nu)
''',
    "rmsprop": '''\
# RMSProp (optax.rmsprop's rule): each gradient divided by the root of a moving average of its
# square.
decay, eps = 0.9, 1e-8
opt_state = jax.tree_util.tree_map(jnp.zeros_like, params)  # nu


def update(params, grads, nu, lr):
    nu = jax.tree_util.tree_map(lambda v, g: (1 - decay) * g ** 2 + decay * v, nu, grads)
    params = jax.tree_util.tree_map(lambda p, g, v: p - lr * (g / jnp.sqrt(v + eps)),
                                    params, grads, nu)
    return params, nu
''',
}
assert set(_UPDATES) == set(OPTIMIZERS)


# The decimals of the losses a script prints: the notebook's "Loss for epoch 100: 0.2460" (and
# nnviz train's), so that a student compares them line for line.
PRINT_DIGITS = 4


class ExportError(NnvizError):
    """A script that cannot be written; the message is meant for the user."""


@dataclass(frozen=True)
class ScriptRun:
    """What the script trains: the initial weights, the first epoch's learning rate, the rate
    changes ((first epoch at the new rate, the rate), in order) and what of the run it does not
    replay (sentences; none when its printed losses are the run's). ``restores``: the
    divergences' restores it replays, (the epoch after which the state went back, the earlier
    epoch whose state it went back to), in order. ``unstable_from``: the
    first epoch at which the loss of a plain gradient descent rose (0: never), where rounding
    differences start to grow."""

    initial_params: Any
    lr: float
    changes: tuple[tuple[int, float], ...] = ()
    not_replayed: tuple[str, ...] = ()
    unstable_from: int = 0
    unstable_rise: float = 1.0  # that epoch's loss over the one before it
    restores: tuple[tuple[int, int], ...] = ()

    @property
    def unstable_text(self) -> str:
        if not self.unstable_from:
            return ""
        # A loss up by a quarter or more in one epoch is a step that overshot (a sine at its
        # first epochs: 13 -> 64), not the edge of stability, where it rises by per cents.
        why = (f"there a step overshot (the loss grew {self.unstable_rise:.2g}-fold), and from "
               "then on the smallest difference grows" if self.unstable_rise >= OVERSHOOT else
               "there gradient descent trains at the edge of stability, where the smallest "
               "difference grows")
        return (f"The run's loss rose at times, the first at epoch {self.unstable_from:,}: "
                f"{why} -- the script's rounding differs from nnviz's (it computes "
                "in its own order) -- so its losses from about there on may differ from the "
                "run's in the first digits")

    @property
    def note(self) -> str:
        """What to tell the user who exports it (the window's message, the command line's
        line, the Python API's warning): empty when the script replays the run."""
        text = ""
        if self.not_replayed:
            text = ("The script does not replay all of the run: "
                    + "; ".join(self.not_replayed) + ".")
        if self.unstable_from:
            text += (" " if text else "") + sentence(self.unstable_text)
        return text


def _rate(checkpoint) -> float:
    # The rate the epochs after the checkpoint ran at: the optimiser state carries it.
    return float(np.float32(checkpoint.state.opt_state.hyperparams["learning_rate"]))


def script_run(trainer: Trainer, epochs: int, log=None) -> ScriptRun:
    """The run that a script of ``epochs`` epochs replays: ``log`` (the live branch's
    ``RunLog``) gives its learning-rate changes, read from its checkpoints (every change pins
    one), and what cannot be replayed. Without a log: the trainer's initial weights and its
    current rate throughout."""
    lr = float(np.float32(trainer.config.learning_rate))
    if log is None or not log.checkpoints:
        return ScriptRun(trainer.initial_params, lr)
    checkpoints = log.checkpoints
    first = checkpoints[0]
    lr, notes = _rate(first), []
    initial = trainer.initial_params
    if first.epoch == 0:
        initial = first.state.params  # the weights the run started from (edited, perhaps)
    else:
        notes.append(f"the run's record starts at epoch {first.epoch:,} (a session saved "
                     f"without it), so the learning rate of the epochs before is not known: the "
                     f"script trains them at {lr:g}")
    changes, restores, now = [], [], lr
    for c in checkpoints[1:]:
        if c.epoch > epochs:
            break
        # A divergence's restore: after epoch c.epoch the run went on from the state after
        # epoch c.weights_of (its best), which the script puts back too. The checkpoint keeps
        # weights_of when a rate change, a branch or a point edit at that epoch replaces its
        # "restored" (review: 0.01 set after the divergence at lr 0.05 on the line hid it).
        if 0 <= c.weights_of < c.epoch:
            restores.append((c.epoch, c.weights_of))
        elif c.pinned == "restored" and c.epoch < epochs:  # (whose weights came back unknown)
            notes.append(f"the run diverged at epoch {c.epoch:,} and went on from its best "
                         f"weights, which the script does not do: its losses after epoch "
                         f"{c.epoch:,} are not the run's")
        if c.epoch == epochs:
            # An edit at the script's last epoch, the run's live end (no training after it):
            # every loss replays, but the weights nnviz shows are not the ones the script ends
            # with. (A script of the epochs before a later edit ends as the run did then.)
            if c.epoch == trainer.epoch and c.pinned == "weights":
                notes.append(f"the weights were edited by hand at epoch {c.epoch:,}, after the "
                             f"last epoch trained: the script ends with the trained weights, "
                             f"not the edited ones nnviz shows")
            break
        if _rate(c) != now:
            now = _rate(c)
            changes.append((c.epoch + 1, now))
        if c.pinned == "weights":
            notes.append(f"the weights were edited by hand at epoch {c.epoch:,}: its losses "
                         f"after epoch {c.epoch:,} are not the run's")
    # A point edit stamps the points the earlier epochs read on their checkpoints (runlog.
    # stamp_data); the script has the points as they are now, from epoch 1.
    stale = [c for c in checkpoints if c.data is not None and c.epoch < epochs]
    if stale:
        edits = [c.epoch for c in checkpoints if c.pinned == "points" and c.data is None
                 and c.epoch > stale[0].epoch]
        when = f"at epoch {edits[0]:,}" if edits else "on another branch"
        notes.append(f"the training points were edited {when}, and the script trains on them "
                     f"as they are now from epoch 1: its losses are not the run's")
    return ScriptRun(initial, lr, tuple(changes), tuple(notes),
                     *_first_rise(trainer, log, epochs), restores=tuple(restores))


# A loss that went up by at most this many float32 units in the last place of itself did not
# rise: rounding (np.finfo(np.float32).eps each, ~1.2e-7 relative; 8 of them ~1e-6).
RISE_ULPS = 8
OVERSHOOT = 1.25  # a loss this many times the one before it in one epoch: a step overshot


def rose(v: np.ndarray) -> np.ndarray:
    """For each step of the losses ``v``, whether the loss rose by more than float32 rounding
    (RISE_ULPS units in its last place): len(v) - 1 booleans."""
    v = np.asarray(v, np.float64)
    return np.diff(v) > RISE_ULPS * float(np.finfo(np.float32).eps) * np.abs(v[:-1])


def _first_rise(trainer: Trainer, log, epochs: int) -> tuple[int, float]:
    """The first epoch (up to ``epochs``) whose loss is above the one before, and that loss
    over the one before, for plain gradient descent on all the points (0, 1: none). There the
    run is at the edge of stability (or a step overshot: a loss OVERSHOOT times the last),
    where a change of one unit in the last place of one weight grows to the first digits of the
    loss within a few hundred epochs, so the script's own rounding shows in its numbers. (The
    loss of mini-batches or momentum goes up and down without that.) A rise within float32
    rounding of the loss (RISE_ULPS units in its last place) is none: a converged loss wobbles
    by that much (the line lesson's 0.81492192 -> 0.81492203 at lr 0.01, far below the edge
    of stability)."""
    if trainer.config.optimizer != "gd" or _mini_batches(trainer) is not None:
        return 0, 1.0
    e, v = log.losses.arrays()
    keep = (e <= epochs) & np.isfinite(v)
    e, v = e[keep], v[keep]
    rises = e[1:][rose(v)]
    # The jump at an edit or a restore is the edit's (or the restore's), not instability.
    edits = [c.epoch + 1 for c in log.checkpoints if c.pinned in ("weights", "points",
                                                                  "restored")]
    rises = rises[~np.isin(rises, edits)]
    # Nor are the rises of the epochs a restore undid (the losses of the weights after
    # weights_of + 1 .. epoch, thrown away), nor its jump: the run, and the script, go on from
    # before them, so their rounding does not carry on.
    for c in log.checkpoints:
        if 0 <= c.weights_of < c.epoch:
            rises = rises[(rises < c.weights_of + 2) | (rises > c.epoch + 1)]
    if not len(rises):
        return 0, 1.0
    i = int(np.searchsorted(e, rises[0]))
    return int(rises[0]), float(v[i] / v[i - 1]) if v[i - 1] > 0 else 1.0


def _lr_literal(lr: float) -> str:
    # The shortest text of the float32 rate the run used: 0.1, not 0.10000000149011612.
    return repr(float(_num(lr)))


def _changes_text(run: ScriptRun) -> str:
    """The table of the run's rate changes, if it had any."""
    if not run.changes:
        return ""
    table = ", ".join(f"{e}: {_lr_literal(lr)}" for e, lr in run.changes)
    return ("# The run's learning rate changed (in the window, or a branch continued at another "
            "rate):\n# from each of these epochs on, it trained at the rate beside it.\n"
            f"lr_changes = {{{table}}}\n")


def _restores_text(run: ScriptRun, state: str) -> str:
    """The table of the divergences' restores the script replays, if the run had any, and the
    dict that keeps the states they go back to (``state``: the loop's state, a tuple)."""
    if not run.restores:
        return ""
    table = ", ".join(f"{e}: {w}" for e, w in run.restores)
    return ("# The run diverged: after each of these epochs nnviz put back its best weights, "
            "the state (weights\n# and optimiser) after the epoch beside it, and trained on "
            f"from there. So does the script.\nrestores = {{{table}}}\n"
            f"kept = {{}}  # ({state}) after those epochs, kept as the loop passes them\n")


def _restores_words(run: ScriptRun) -> str:
    """The docstring's sentence on the restores the script replays (none without)."""
    if not run.restores:
        return ""
    each = "; ".join(f"after epoch {e:,} nnviz put back the weights after epoch {w:,}"
                     for e, w in run.restores)
    return ("\n\n" + textwrap.fill(
        f"The run did diverge: {each} (the run's best, and the optimiser's state with them), "
        "and trained on from there. The script does the same (`restores`, below), so its "
        "losses from there on are the run's too.", 95))


def _whose(run: ScriptRun) -> str:
    return _whose_text(run) + _restores_words(run)


def _whose_text(run: ScriptRun) -> str:
    """The docstring's sentence on whose numbers the script prints."""
    said = ("the numbers of\nnnviz's run, floating-point rounding aside. It does not stop on "
            "a divergence as nnviz does.")
    if not run.not_replayed and not run.unstable_from:
        return said
    if run.not_replayed:
        said = ("not all of them\nthe numbers of nnviz's run. It does not stop on a divergence "
                "as nnviz does.\n\n"
                + textwrap.fill("Not replayed: " + "; ".join(run.not_replayed) + ".", 95))
    if run.unstable_from:
        said += "\n\n" + textwrap.fill(sentence(run.unstable_text), 95)
    return said


def _rates_text(run: ScriptRun) -> str:
    """The rates for the docstring: "lr 1", "lr 1, then 3 from epoch 267"."""
    text = f"lr {run.lr:g}"
    for epoch, lr in run.changes:
        text += f", then {lr:g} from epoch {epoch:,}"
    return text


def _num(v) -> str:
    # The shortest text that reads back as the same float32 value.
    s = str(np.float32(v))
    return s[:-2] if s.endswith(".0") else s


def _array(a: np.ndarray, indent: str, width: int = 100) -> str:
    """``a`` (1-D or 2-D) as a Python list literal, wrapped between items at ``width``."""
    a = np.asarray(a)
    if a.ndim == 1:
        items = [_num(v) if a.dtype.kind == "f" else str(int(v)) for v in a]
    else:
        items = ["[" + ", ".join(_num(v) for v in row) + "]" for row in a]
        if max(map(len, items)) + len(indent) + 1 > width:  # rows too wide: one wrapped each
            return ("[\n" + "".join(f"{indent}{_array(row, indent + ' ' * 4, width)},\n"
                                     for row in a) + indent[:-4] + "]")
    lines, line = [], ""
    for item in items:
        if line and len(indent) + len(line) + len(item) + 2 > width:
            lines.append(indent + line.rstrip())
            line = ""
        line += item + ", "
    lines.append(indent + line.rstrip())
    return "[\n" + "\n".join(lines) + "\n" + indent[:-4] + "]"


def _weights(params) -> tuple[str, str]:
    ws, bs = [], []
    for w, b in params:
        w = np.asarray(w, np.float32)
        b = np.asarray(b, np.float32).reshape(-1, 1)
        ws.append(f"    np.array({_array(w, ' ' * 8)}, np.float32),  # {w.shape}")
        if not b.any():
            bs.append(f"    np.zeros(({b.shape[0]}, 1), np.float32),")
        else:
            bs.append(f"    np.array({_array(b, ' ' * 8)}, np.float32),  # {b.shape}")
    return "\n".join(ws), "\n".join(bs)


def _targets(trainer: Trainer) -> tuple[str, str]:
    """The targets' literal name and values, and the line that makes Y of them."""
    d, loss = trainer.data, trainer.config.loss
    if not d.is_classification:
        if d.target_scaling:
            return "values", ("Y = standardise_target(values).reshape(1, -1)  # (1, N): one "
                              "target per column,\n# standardised as nnviz did")
        return "values", "Y = values.reshape(1, -1)  # (1, N): one target per column"
    k = losses.output_dim(loss, d.task, d.n_classes)
    if loss == "cross-entropy":
        return "labels", "Y = labels  # the class of each point (softmax cross-entropy)"
    if k == 1:
        return "labels", ("Y = labels.reshape(1, -1).astype(np.float32)  # (1, N): the 0/1 "
                          "label of each column")
    return "labels", (f"Y = np.eye({k}, dtype=np.float32)[labels].T  # ({k}, N): one-hot, a "
                      "column per point")


def _loss(trainer: Trainer) -> str:
    loss, out = trainer.config.loss, trainer.spec.output_activation
    if loss == "mse":
        return ('def loss_fn(params, X, Y):\n    """Mean squared error, the notebook\'s."""\n'
                "    return jnp.mean(jnp.square(forward(params, X) - Y))\n")
    if loss == "bce" and out == "sigmoid":
        return ('def loss_fn(params, X, Y):\n    """Binary cross-entropy, from the logits of the '
                'sigmoid output (stable)."""\n    z = logits(params, X)\n'
                "    return jnp.mean(-Y * jax.nn.log_sigmoid(z) - (1 - Y) * "
                "jax.nn.log_sigmoid(-z))\n")
    if loss == "bce":
        return ('def loss_fn(params, X, Y):\n    """Binary cross-entropy of the output read as '
                'P(class 1)."""\n    p = jnp.clip(forward(params, X), 1e-7, 1 - 1e-7)\n'
                "    return -jnp.mean(Y * jnp.log(p) + (1 - Y) * jnp.log1p(-p))\n")
    z = "logits(params, X)" if out == "softmax" else "forward(params, X)"
    return ('def loss_fn(params, X, Y):\n    """Softmax cross-entropy: minus the log-probability '
            'of each point\'s class."""\n'
            f"    log_p = jax.nn.log_softmax({z}, axis=0)\n"
            "    return -jnp.mean(jnp.take_along_axis(log_p, Y[None, :], axis=0))\n")


def _objective(trainer: Trainer) -> str:
    l1, l2 = trainer.config.l1, trainer.config.l2
    if not (l1 or l2):
        return "grad_fn = jax.value_and_grad(loss_fn)  # the loss and its gradient, as the notebook\n"
    terms = []
    if l1:
        terms.append(f"{l1!r} * sum(jnp.sum(jnp.abs(w_i)) for w_i in w)")
    if l2:
        terms.append(f"{l2!r} * sum(jnp.sum(jnp.square(w_i)) for w_i in w)")
    return ("def objective(params, X, Y):\n"
            '    """The loss plus the penalty on the weights (not the biases); the loss is '
            'printed."""\n'
            "    w, _ = params\n    loss = loss_fn(params, X, Y)\n"
            f"    return loss + {' + '.join(terms)}, loss\n\n\n"
            "_value_and_grad = jax.value_and_grad(objective, has_aux=True)\n\n\n"
            "def grad_fn(params, X, Y):\n    (_, loss), grads = _value_and_grad(params, X, Y)\n"
            "    return loss, grads\n")


def _shuffle_source() -> str:
    """nnviz's shuffle (``core/shuffle.py``) as the script's lines: its constants and functions
    without the docstrings, annotations of types the script does not import removed."""
    text = inspect.getsource(shuffle)
    lines = text.splitlines(keepends=True)
    parts = []
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            continue  # the imports (the script has its own) and the module's docstring
        first = node.lineno - 1 - len(getattr(node, "decorator_list", ()))
        body = lines[first:node.end_lineno]
        doc = ast.get_docstring(node, clean=False) if isinstance(node, ast.FunctionDef) else None
        if doc is not None:
            d = node.body[0]
            body = lines[first:d.lineno - 1] + lines[d.end_lineno:node.end_lineno]
        parts.append("".join(body))
    source = ""
    for p in parts:  # a blank line after the constants, two between functions
        source += ("\n\n" if p.startswith("def ") else "") + p
    return (source.replace(": jax.Array", "").replace(" -> jax.Array", "")
            .replace("size: int | None = None", "size=None"))


def _mini_batches(trainer: Trainer) -> tuple[int, int] | None:
    n, batch = len(trainer.data.train_index), trainer.config.batch_size
    if 0 < batch < n and n // batch > 1:
        return batch, n // batch
    return None


def _features(spec) -> str:
    """The function that turns the inputs into the network's input features, and its use (none
    for the inputs themselves)."""
    if not spec.features:
        return ""
    names = ", ".join(f"x{i + 1}" for i in range(spec.input_dim))
    exprs = [f.replace("sin(", "np.sin(").replace("*", " * ").replace("^2", " ** 2")
             for f in spec.features]
    return (f"\n\n# The input features the first layer takes: {', '.join(spec.features)}.\n"
            "def input_features(X):\n"
            f"    {names}{',' if spec.input_dim == 1 else ''} = X\n"
            f"    return np.stack([{', '.join(exprs)}]).astype(np.float32)\n\n\n"
            "X = input_features(X)\n")


def _raw_names(d) -> list[str]:
    from .csvdata import STANDARDISED
    return [n[: -len(STANDARDISED)] if n.endswith(STANDARDISED) else n for n in d.feature_names]


def raw_targets(y, target_scaling: tuple[float, float]) -> np.ndarray:
    """Standardised targets back in the file's units (see raw_values)."""
    mean, sd = target_scaling
    return raw_values(y, mean, sd)


def raw_features(X, scaling) -> np.ndarray:
    """Standardised features (a point a row) back in the data's units (see raw_values)."""
    mean, sd = np.array(scaling, np.float64).T
    return raw_values(X, mean, sd)


#: The decimals tried for a raw value, fewest first (raw_values).
_DECIMALS = range(0, 10)


def raw_values(v, mean, sd) -> np.ndarray:
    """Standardised values back in the data's units (float32), such that standardising them
    again, as the script does, gives ``v`` bit for bit: of the values that do, the one with
    the fewest decimals (a user's x = 0 was written 1.4400256e-06, the float32 nearest to
    v * sd + mean: review r30), else that nearest float32 or a neighbour of it that rounds
    back as ``v``. ``mean`` and ``sd`` broadcast over ``v`` (a column each, or scalars)."""
    v = np.asarray(v, np.float32)
    mean, sd = np.asarray(mean, np.float64), np.asarray(sd, np.float64)
    exact = v.astype(np.float64) * sd + mean
    raw = exact.astype(np.float32)

    def again(r):
        return ((r.astype(np.float64) - mean) / sd).astype(np.float32)

    for step in (np.float32(np.inf), np.float32(-np.inf)):
        off = again(raw) != v
        if not off.any():
            break
        near = np.where(off, np.nextafter(raw, step), raw)
        fixed = off & (again(near) == v)
        raw[fixed] = near[fixed]
    settled = np.zeros(v.shape, bool)
    with np.errstate(all="ignore"):
        for decimals in _DECIMALS:
            short = np.round(exact, decimals).astype(np.float32)
            ok = ~settled & (again(short) == v)
            raw[ok] = short[ok]
            settled |= ok
            if settled.all():
                break
    return raw


def _standardise(d) -> str:
    """The means and sds of a standardised import and the function that applies them."""
    means = ", ".join(repr(m) for m, _ in d.scaling)
    sds = ", ".join(repr(s) for _, s in d.scaling)
    return ("# The features were far from the unit scale the network trains on: nnviz "
            "standardised them\n# first, each (value - mean) / sd, the mean and sd of the "
            f"training points ({', '.join(_raw_names(d))}).\n"
            "# New points need the same step before the network sees them.\n"
            f"means = np.array([{means}])\nsds = np.array([{sds}])\n\n\n"
            "def standardise(rows):\n"
            '    """Rows of raw values (a point each, as the data has them) to the network\'s '
            'inputs."""\n'
            "    return ((np.asarray(rows, np.float64) - means) / sds).astype(np.float32)\n")


def _standardise_target(d) -> str:
    """The mean and sd of a regression's targets standardised on import, the function that
    applies them and the one that undoes it (predict's values in the file's units)."""
    from .csvdata import target_words
    mean, sd = d.target_scaling
    return ("# The targets were far from unit scale: nnviz standardised them too, "
            "(value - mean) / sd\n# with the training points' mean and sd "
            f"({target_words(d)}); the losses are of these standardised values.\n"
            f"target_mean, target_sd = {mean!r}, {sd!r}\n\n\n"
            "def standardise_target(values):\n"
            "    return ((np.asarray(values, np.float64) - target_mean) / target_sd)"
            ".astype(np.float32)\n\n\n"
            "def unstandardise_target(values):\n"
            '    """The network\'s outputs back in the data\'s own units."""\n'
            "    return np.asarray(values, np.float64) * target_sd + target_mean\n")


def _names(trainer: Trainer, class_names) -> tuple[str, ...] | None:
    """The classes' names worth writing: a CSV's labels ("apple", ...); none for regression or
    for labels that are only 0..K-1 already."""
    d = trainer.data
    if not d.is_classification or not class_names:
        return None
    names = tuple(str(c) for c in class_names)
    if len(names) != d.n_classes or names == tuple(str(i) for i in range(d.n_classes)):
        return None
    return names


def _rows_words(rows: Sequence[int]) -> str:
    """"rows 1, 2 and 4" ("row 4" alone)."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"


def _count(rows: Sequence[int]) -> str:
    return {1: "one", 2: "two", 3: "three"}.get(len(rows), str(len(rows)))


def _shown_points(trainer: Trainer, rows: Sequence[int]) -> str:
    """The script's lines before its printout of the first three training points: which rows of
    the data they are. The train/test split holds rows out (and mini-batches reorder the
    rest), so they are not the data's first three: a learner's ``run.predict(X[:3])`` disagreed
    with the printout "on the first three training points" and the export looked wrong (review
    r29 M7)."""
    rows = list(rows)
    if rows == list(range(len(rows))):
        words = (f"The first training points are the data's first {_count(rows)} rows: "
                 f"run.predict(X[:{len(rows)}]) gives these numbers.")
    else:
        why = []
        if len(trainer.data.test_index):
            why.append("the train/test split held some rows out for testing")
        if _mini_batches(trainer) is not None:
            why.append("the points are in the order nnviz's epochs read them")
        words = (f"The first training points here are {_rows_words(rows)} of the data nnviz "
                 f"was given (counting from 0), not its first {_count(rows)}: {' and '.join(why)}. "
                 f"For the X given to nnviz.train, run.predict(X[{rows!r}]) gives these "
                 "numbers.")
    return textwrap.fill(words, 95, initial_indent="# ", subsequent_indent="# ") \
        + f"\ndata_rows = {rows!r}\n"


def _predict(trainer: Trainer, names: tuple[str, ...] | None = None,
             rows: Sequence[int] = (0, 1, 2)) -> str:
    """The trained network on new rows, raw as the data's file has them; with ``names``, the
    printout heads each column with its class's name. ``rows``: the first three training
    points' rows in the data (Dataset.X), which the printout names."""
    d, spec = trainer.data, trainer.spec
    first = ("standardise(rows).T  # standardised as the training points were"
             if d.scaling else "np.asarray(rows, np.float32).T")
    what = ("P(class 1)" if d.is_classification and spec.output_dim == 1 else
            "each class's probability" if spec.output_activation == "softmax" else
            "each class's score" if d.is_classification else "the predicted value")
    raw = " (raw values, as the data has them)" if d.scaling else ""
    if d.target_scaling:
        from .csvdata import target_words
        what = f"the predicted {target_words(d)} in the data's own units"
        out = "unstandardise_target(np.asarray(forward(params, X)).T)"
    else:
        out = "np.asarray(forward(params, X)).T"
    # The point itself beside its row, as its coordinates are few enough to read on a line.
    point = (" {np.array2string(point, precision=4)}" if d.n_features <= POINT_FEATURES
             else "")
    if names:
        printout = _print_named(what, spec.output_dim, point)
    else:
        value = "{out[0]:.4f}" if spec.output_dim == 1 else "{np.array2string(out, precision=4)}"
        # Said in the output: a bare [[3.1e-03] ...] told nothing (review r25 F1).
        printout = (f'print("The trained network on the first three training points ({what}),"\n'
                    '      " by their row in the data (counting from 0):")\n'
                    "for row, point, out in zip(data_rows, points[:3], predict(points[:3])):\n"
                    f'    print(f"  row {{row}}{point}: {value}")\n')
    return ("def predict(rows):\n"
            f'    """The trained network on new points, a row each of '
            f"{', '.join(_raw_names(d)) or 'the features'}\n    {raw.strip()}"
            f'{" " if raw else ""}-> {what}, a row per point."""\n'
            f"    X = {first}\n"
            + ("    X = input_features(X)\n" if spec.features else "")
            + f"    return {out}\n\n\n"
            + _shown_points(trainer, rows) + printout)


# The most features a point may have to be printed beside its row (a CSV file's 30 would not).
POINT_FEATURES = 4


def _print_named(what: str, outputs: int, point: str = "") -> str:
    """The printout of the first three points' predictions, a column per class name (one
    output: P of CLASS_NAMES[1]); the unnamed columns did not say which was which fruit."""
    if outputs == 1:
        return ("# e.g. the first three training points: P(CLASS_NAMES[1]), and the class "
                "predicted\nfor row, point, p in zip(data_rows, points[:3], "
                "predict(points[:3])[:, 0]):\n"
                f'    print(f"row {{row}}{point}: P({{CLASS_NAMES[1]}}) = {{p:.4f}}: '
                '{CLASS_NAMES[int(p >= 0.5)]}")\n')
    return (f"# e.g. the first three training points: {what}, a column per class, and the "
            "class predicted\n"
            'print("row  " + "  ".join(f"{name:>10}" for name in CLASS_NAMES))\n'
            "for row, out in zip(data_rows, predict(points[:3])):\n"
            '    print(f"{row:<5}" + "  ".join(f"{p:>10.4f}" for p in out), "",\n'
            "          CLASS_NAMES[int(np.argmax(out))])\n")


def _test_points(trainer: Trainer, target_name: str) -> str:
    """The test points nnviz held out, as the training points are written (raw values of a
    standardised import, the file's targets), for the final check; none without a test split."""
    d = trainer.data
    if not len(d.test_index):
        return ""
    X, y = d.X_test, d.y_test
    if d.scaling:
        X = raw_features(X, d.scaling)
    if d.target_scaling:
        y = raw_targets(y, d.target_scaling)
    return (f"# The {len(d.test_index)} test points nnviz held out"
            f"{', raw, as the data has them' if d.scaling else ''}: never trained on, they "
            "are for the check at the end.\n"
            f"test_points = np.array({_array(X, ' ' * 4)}, np.float32)\n"
            f"test_{target_name} = np.array({_array(y, ' ' * 4)}, "
            f"{'np.int32' if d.is_classification else 'np.float32'})\n")


def _flat(values) -> bool:
    """Targets whose spread is too small for an R^2 (losses.accuracy's rule: nnviz shows n/a)."""
    v = np.asarray(values, np.float64)
    return len(v) < 2 or np.sum((v - v.mean()) ** 2) <= losses._FLAT * np.sum(v ** 2)


def _rounding(trainer: Trainer) -> tuple[str, str]:
    """How the outputs become classes, as nnviz's accuracy does (losses.predicted_class): the
    words of the comment and the expression of ``predictions``'s rows."""
    spec = trainer.spec
    if spec.output_dim == 1:
        return ("Its output is P(class 1); rounded (0.5 or more is class 1), it is the class "
                "the network predicts",
                "(predictions[:, 0] >= 0.5).astype(np.int32)")
    what = ("a probability" if spec.output_activation == "softmax" else "a score")
    return (f"Its outputs are {what} for each class; the class with the highest is the one "
            "the network predicts (the argmax)",
            "np.argmax(predictions, axis=1)")


def _comment(text: str) -> str:
    """``text`` as comment lines of the script's width."""
    return textwrap.fill(text, 95, initial_indent="# ", subsequent_indent="# ") + "\n"


def _untrained(epochs: int) -> str:
    """The docstring's words on whose numbers the script prints, for a run exported before it
    trained: its own, of epochs nnviz has not shown (review r27 F9: "the numbers of nnviz's
    run" said a run of no epochs had printed "Loss for epoch 1000")."""
    return ("its own numbers.\n\n" + textwrap.fill(
        f"The run had trained no epochs when it was exported: this script trains "
        f"{plural(epochs, 'epoch')} (the notebook's number), which nnviz has not shown.", 95))


def _ends(trainer: Trainer) -> str:
    """The docstring's sentence on the check the script ends with (nnviz's numbers beside the
    script's when nnviz has trained)."""
    d = trainer.data
    what = "accuracy" if d.is_classification else "R^2"
    where = "training and test points" if len(d.test_index) else "training points"
    beside = (", and then the numbers nnviz showed after the last epoch beside the script's own"
              if trainer.epoch else "")
    return textwrap.fill("It ends with the notebook's last step, the check against the ground "
                         f"truth: the trained network's {what} on the {where}{beside}.", 95)


def _test_loss(trainer: Trainer, target_name: str) -> str:
    """The trained weights' loss on the test points, as nnviz shows "Test loss" (none without
    a test split): the test points made into X and Y as the training points were."""
    d, spec = trainer.data, trainer.spec
    if not len(d.test_index):
        return ""
    make_y = _targets(trainer)[1].split("  #")[0].split("Y = ", 1)[1]
    test_y = re.sub(rf"\b{target_name}\b", f"test_{target_name}", make_y)
    return ("# The same on the test points nnviz held out: its \"Test loss\".\n"
            f"test_X = {'standardise(test_points).T' if d.scaling else 'test_points.T'}\n"
            + ("test_X = input_features(test_X)\n" if spec.features else "")
            + f"test_Y = {test_y}\n"
            "test_loss = float(loss_fn(params, test_X, test_Y))\n"
            'print(f"Test loss after epoch {epochs}: {as_nnviz_shows(test_loss)}")\n\n')


def _compared(trainer: Trainer, run: ScriptRun, shown) -> str:
    """The script's last lines: nnviz's own numbers after the script's last epoch (``shown``,
    a Metrics: the window's readout, nnviz train's final line, run.metrics) beside the
    script's, and whether to expect them equal. On a run at the edge of stability (a fall, a
    rise, ...) the script's rounding, which differs from the engine's from the first epoch in
    the last bit of a few weights, grows into the shown digits; it cannot be the engine's
    without the engine's arithmetic (fused loops, custom derivatives: unreadable), so the
    script says so rather than leave a student to wonder (review r25 F1)."""
    if shown is None:
        return ""
    d = trainer.data
    test = len(d.test_index) > 0
    name = _targets(trainer)[0]
    loss = "as_nnviz_shows({})"
    score = "{:>15.1%}" if d.is_classification else "{:>15.4f}"
    rows = [("train loss", loss.format("final_loss"), shown.train_loss, True)]
    if test:
        rows.append(("test loss", loss.format("test_loss"), shown.test_loss, True))
    if d.is_classification:
        rows.append(("training accuracy", "float(jnp.mean(right))", shown.train_accuracy, False))
        if test:
            rows.append(("test accuracy", "float(jnp.mean(test_right))", shown.test_accuracy,
                         False))
    else:
        rows.append(("R^2 (training)", f"float(r_squared(predictions, {name}))",
                     shown.train_accuracy, False))
        if test and not _flat(d.y_test):
            rows.append(("R^2 (test)", f"float(r_squared(predict(test_points)[:, 0], "
                         f"test_{name}))", shown.test_accuracy, False))
    lines = []
    for label, mine, v, is_loss in rows:
        if not np.isfinite(v):
            continue
        # The float32 value nnviz formatted, whole: its shortest text (_num) is another
        # float64, which rounds the other way on a half (146 of 160 right, float32 0.91250002:
        # nnviz showed 91.3%, and "0.9125" printed 91.2% beside the script's equal 91.3%).
        exact = repr(float(np.float32(v)))
        theirs = loss.format(exact) if is_loss else exact
        fmt = "{:>15}" if is_loss else score
        lines.append(f'compared.append((f"{{{mine}:{fmt[2:-1]}}}", f"{{{theirs}:{fmt[2:-1]}}}"))\n'
                     f'print(f"{label:<20}{{compared[-1][0]}}{{compared[-1][1]}}")\n')
    if run.not_replayed:
        why = ("They differ: the script does not replay all of the run (its first lines "
               "say what).")
    elif run.unstable_from:
        why = (f"They differ: the run's loss rose at times, the first at epoch "
               f"{run.unstable_from:,}. There it trained at the edge of stability, where the "
               "smallest difference grows, and the script rounds differently from nnviz (it "
               "adds and multiplies in its own order), so the two drift apart from about that "
               "epoch on. On a run whose loss only fell, they match.")
    else:
        why = ("They differ in the last digits shown: the script rounds differently from nnviz "
               "(it adds and multiplies in its own order), and on this run the difference "
               "reached those digits.")
    same = ("They match: the script trained the run nnviz trained (its rounding differs "
            "from nnviz's only below the digits shown).")

    def said(text: str, indent: str) -> str:
        return "".join(indent + 'print("' + ln.replace("\\", "\\\\").replace('"', '\\"')
                       + '")\n' for ln in textwrap.wrap(text, 88))
    # Said of what the two columns hold, not promised (a point on the boundary could still
    # flip on a run whose loss only fell).
    return ("\n# The numbers nnviz showed after this epoch (the window's readout, nnviz train's "
            "last line,\n# run.metrics), beside the script's own.\n"
            "print()\nprint(f\"{f'After epoch {epochs:,}':<20}{'this script':>15}"
            "{'nnviz showed':>15}\")\ncompared = []\n"
            + "".join(lines)
            + "if all(mine.strip() == theirs.strip() for mine, theirs in compared):\n"
            + said(same, "    ") + "else:\n" + said(why, "    "))


def shown_metrics(trainer: Trainer, epochs: int, log=None):
    """The numbers nnviz shows after ``epochs`` epochs (a Metrics): the live weights' when
    that is the trainer's epoch, else the epoch's weights replayed from ``log``'s nearest
    checkpoint, as the timeline shows a past epoch; None when nnviz has not trained that far
    (a run not trained yet exports 1,000 epochs) or the replay stops short of it."""
    if epochs == trainer.epoch:
        params = None
    elif log is not None and log.checkpoints and epochs <= log.epoch:
        from .runlog import state_at
        reached, state = state_at(trainer, log, epochs)
        if reached != epochs:
            return None
        params = state.params
    else:
        return None
    with np.errstate(all="ignore"):
        return trainer.evaluate(params)


def _check(trainer: Trainer, target_name: str, run: ScriptRun | None = None,
           shown=None) -> str:
    """The notebook's last step: the trained network's predictions on the training points
    against the ground truth, rounded to classes, and the accuracy (R^2 for regression) on the
    training and test points -- the numbers nnviz shows after the script's last epoch."""
    d = trainer.data
    test = len(d.test_index) > 0
    # The loss after the last update: the loop prints the loss each update started from (the
    # notebook's "Loss for epoch N"), so the trained weights' own loss was never printed; it
    # is nnviz's "Train loss after epoch N" (evaluated on all the training points).
    final = ("# The trained weights' loss on all the training points: the loop above printed "
             "the loss each\n# update started from (the notebook's numbering); this is the "
             "loss after the last one, the\n# number nnviz shows as \"Train loss after epoch "
             "N\", and as it shows it: four decimals from 0.001\n# up, three significant "
             "digits below (0.000908, not 0.0009).\n"
             "def as_nnviz_shows(loss):\n"
             "    return (f\"{loss:.{digits}f}\" if digits != 4 or 0.001 <= abs(loss) < 1000\n"
             "            else f\"{loss:.3g}\")\n\n\n"
             "final_loss = float(loss_fn(params, X, Y))\n"
             'print(f"Train loss after epoch {epochs}: {as_nnviz_shows(final_loss)}")\n\n'
             + _test_loss(trainer, target_name))
    compared = _compared(trainer, run, shown) if run is not None else ""
    if d.is_classification:
        words, rule = _rounding(trainer)
        text = final + (_comment("The notebook's last step, the check against the ground truth: "
                         f"the trained network on the training points, against their true labels. "
                         f"{words}.")
                + "predictions = predict(points)  # a row per point\n"
                f"rounded = {rule}  # the predicted class of each point\n"
                "right = rounded == labels  # True where it is the point's true class\n"
                "# The fraction right: jnp.mean, as nnviz computes it (float32), rounds to the "
                "tenth of a percent\n# that nnviz shows.\n"
                'print(f"Accuracy on the training points: {jnp.mean(right):.1%} "\n'
                '      f"({np.sum(right)} of {len(labels)} classified right)")\n')
        if test:
            text += ("\n# The same check on the test points: the network never trained on "
                     "them, so this is how it\n# does on points it has not seen.\n"
                     f"test_right = {rule.replace('predictions', 'predict(test_points)')} == "
                     "test_labels\n"
                     'print(f"Accuracy on the test points: {jnp.mean(test_right):.1%} "\n'
                     '      f"({np.sum(test_right)} of {len(test_labels)} classified right)")\n')
        return text + compared
    name = target_name
    text = final + ("# The notebook's last step, the check against the ground truth: the trained "
            "network's\n# predictions on the training points against their true values. "
            "R^2 = 1 - (the squared\n# errors) / (the values' squared spread around their "
            "mean): 1 is a perfect fit, 0 no better\n# than always predicting the mean, below "
            "0 worse.\n"
            "def r_squared(predicted, true):\n"
            "    return 1 - jnp.sum(jnp.square(predicted - true)) / jnp.sum(jnp.square(true - "
            "jnp.mean(true)))\n\n\n"
            "predictions = predict(points)[:, 0]  # a prediction per point\n"
            f'print(f"R^2 on the training points: {{r_squared(predictions, {name}):.4f}} '
            '(1 is a perfect fit)")\n')
    if test and _flat(d.y_test):
        text += ("\n# The test points' values do not vary (or there is one): R^2 is not "
                 "defined for them (nnviz\n# shows n/a).\n")
    elif test:
        text += ("\n# The same check on the test points: the network never trained on them, "
                 "so this is how it\n# does on points it has not seen.\n"
                 f'print(f"R^2 on the test points: '
                 f'{{r_squared(predict(test_points)[:, 0], test_{name}):.4f}}")\n')
    return text + compared


def _figure(trainer: Trainer, target_name: str) -> str:
    """The notebook's figure of the check (cell 64): the training points coloured by their
    true labels, by the predictions and by the rounded predictions (regression: the true and
    the predicted values), with matplotlib if it is there, else a printed line."""
    d, spec = trainer.data, trainer.spec
    two = d.n_features >= 2
    if d.is_classification:
        k = max(d.n_classes, 2)
        if spec.output_dim == 1:
            shade, guess = "", ("predictions[:, 0]", "Predicted")
        else:
            if spec.output_activation == "softmax":
                top = "predictions.max(axis=1)"
            elif trainer.config.loss == "cross-entropy":
                top = "np.asarray(jax.nn.softmax(predictions, axis=1)).max(axis=1)"
            else:
                top = "np.clip(predictions.max(axis=1), 0, 1)"
            shade = ("# The predicted class's probability: its dot is faint where the network "
                     f"is unsure.\nconfidence = {top}\n")
            guess = ("rounded", "Predicted (faint: unsure)")
        panels = [("labels", "True labels", ""), (*guess, ", alpha=confidence" if shade else ""),
                  ("rounded", "Rounded predictions", "")]
        colours = f'cmap="Spectral", vmin=0, vmax={k - 1}, lw=0.3'
        what = ("the training points coloured by their true labels, by the network's "
                "prediction and by the rounded prediction")
    else:
        shade = ""
        panels = [(target_name, "True values", ""), ("predictions", "Predicted", "")]
        colours = f'cmap="viridis", vmin={target_name}.min(), vmax={target_name}.max(), lw=0.3'
        what = "the training points' true values and the network's predictions"
    if two:
        where = ("x, y = points[:, 0], points[:, 1]" + (
            f"  # the first two of the {d.n_features} features" if d.n_features > 2 else ""))
    else:
        where = "x = points[:, 0]  # the feature across, the value shown up"
    lines = [f"fig, axarray = plt.subplots(1, {len(panels)}, figsize=({3 * len(panels)}, 3))",
             where, f"style = dict({colours})  # the same colours in every panel"]
    for i, (c, title, extra) in enumerate(panels):
        y = "y" if two else c
        lines.append(f"axarray[{i}].scatter(x, {y}, c={c}{extra}, **style)")
        lines.append(f'axarray[{i}].set_title("{title}")')
    lines += ["fig.tight_layout()", "plt.show()"]
    body = "".join("    " + line + "\n" for line in lines)
    return (_comment(f"The notebook's figure of the check: {what}. It needs matplotlib; "
                     "without it the notebook still runs to the end.")
            + "try:\n    import matplotlib.pyplot as plt\nexcept ImportError:\n    plt = None\n"
            '    print("The figure needs matplotlib (pip install matplotlib); the '
            f'{"accuracy" if d.is_classification else "R^2"} printed above "\n'
            '          "is the same check in numbers.")\n\n'
            + (shade + "\n" if shade else "") + "if plt is not None:\n" + body)


def script_text(trainer: Trainer, epochs: int, class_names: Sequence[str] | None = None,
                log=None) -> str:
    """The script of ``trainer``'s run: its training points, initial weights and settings,
    and with ``log`` (the live branch's RunLog) the learning-rate changes it recorded;
    ``class_names`` (a CSV's labels, class 0, 1, ...) become its CLASS_NAMES."""
    return "\n\n".join(p.rstrip("\n") + "\n" for p in script_parts(trainer, epochs,
                                                                    class_names, log))


def script_parts(trainer: Trainer, epochs: int, class_names: Sequence[str] | None = None,
                 log=None) -> list[str]:
    """The script's sections in order (its docstring first): a notebook's cells."""
    d, spec, cfg = trainer.data, trainer.spec, trainer.config
    run = script_run(trainer, epochs, log)
    names = _names(trainer, class_names)
    n = len(d.train_index)
    batches = _mini_batches(trainer)
    X, y, rows = d.X_train, d.y_train, d.train_index
    if batches is not None:
        order = batch_order(trainer.seed, n)
        X, y, rows = X[order], y[order], rows[order]
    if d.scaling:  # the raw values, as in the file: the script standardises them itself
        X = raw_features(X, d.scaling)
    if d.target_scaling:  # the file's values too: the script standardises them as nnviz did
        y = raw_targets(y, d.target_scaling)
    target_name, make_y = _targets(trainer)
    w_text, b_text = _weights(run.initial_params)
    acts = list(spec.layer_activations)
    defs = "\n\n".join(_ACTIVATIONS[a] for a in dict.fromkeys(acts))
    act_list = ", ".join(a.replace("-", "_") for a in acts)
    batch_words = (f"mini-batches of {batches[0]}" if batches is not None else "full batch")
    head = (f'"""An nnviz run as a script: {d.name} data, the network {spec.shapes_text()} '
            f"({', '.join(dict.fromkeys(spec.activations)) or 'no'} hidden, "
            f"{spec.output_activation} output),\n{cfg.loss} loss, {cfg.optimizer} at "
            f"{_rates_text(run)}, {batch_words}, {plural(epochs, 'epoch')}.\n\n"
            f"Written by nnviz {__version__}. It needs numpy and jax only, follows the notebook "
            "(points in columns,\n`w.T @ X + b` layers, value_and_grad) and prints the loss every "
            f"100 epochs: {_whose(run) if trainer.epoch else _untrained(epochs)}\n\n"
            f"{_ends(trainer)}\n\"\"\"\n")
    order_note = ("# in the order nnviz's epochs read them (mini-batches are drawn from this "
                  "order),\n" if batches is not None else "")
    parts = [
        head,
        "import jax\nimport numpy as np\nfrom jax import numpy as jnp\n",
        f"epochs = {epochs}\nlr = {_lr_literal(run.lr)}\n" + _changes_text(run)
        + _restores_text(run, "params, opt_state" if batches is None
                         else "params, opt_state, key")
        + f"digits = {PRINT_DIGITS}  # the losses' decimals, as the notebook prints them (.4f); "
        "8 shows\n# every float32 digit, to compare with nnviz's record (its loss history)\n",
        f"# The {n} training points ({', '.join(_raw_names(d)) or 'features'}), a row each "
        f"here{', raw, as the data has them' if d.scaling else ''},\n{order_note}# and their "
        f"{'classes' if d.is_classification else 'targets'}.\n"
        f"points = np.array({_array(X, ' ' * 4)}, np.float32)\n"
        f"{target_name} = np.array({_array(y, ' ' * 4)}, "
        f"{'np.int32' if d.is_classification else 'np.float32'})\n"
        + (f"# The name of class 0, 1, ... (the labels in the data's file).\n"
           f"CLASS_NAMES = {list(names)!r}\n" if names else "")
        + _test_points(trainer, target_name),
        *([_standardise(d)] if d.scaling else []),
        *([_standardise_target(d)] if d.target_scaling else []),
        f"X = {'standardise(points).T' if d.scaling else 'points.T'}  # ({d.n_features}, N): "
        f"a point per column, as in the notebook\n{_features(spec)}{make_y}\n",
        "# The initial weights, the notebook's layout: w[i] of shape (in, out), b[i] of shape "
        f"(out, 1).\nw = [\n{w_text}\n]\nb = [\n{b_text}\n]\nparams = (w, b)\n",
        defs,
        f"# The activation of each layer: the hidden layers', then the output's.\n"
        f"activations = [{act_list}]\n",
        'def linear_layer(X, w, b):\n    return w.T @ X + b\n\n\n'
        'def logits(params, X):\n    """The output layer\'s input, before its activation."""\n'
        "    w, b = params\n    for w_i, b_i, f in zip(w[:-1], b[:-1], activations):\n"
        "        X = f(linear_layer(X, w_i, b_i))\n    return linear_layer(X, w[-1], b[-1])\n\n\n"
        "def forward(params, X):\n    return activations[-1](logits(params, X))\n",
        _loss(trainer),
        _objective(trainer),
        _UPDATES[cfg.optimizer],
    ]
    # A rate changed during the run: each epoch takes its rate from the table before its step.
    set_lr = ("    lr = lr_changes.get(epoch, lr)  # the run's rate changed at this epoch?\n"
              if run.changes else "")

    def keep(state: str) -> str:  # before the epoch: the state a restore goes back to
        return (f"    if epoch - 1 in restores.values():\n        kept[epoch - 1] = {state}\n"
                if run.restores else "")

    def restore(state: str) -> str:  # after it: the run diverged here, back to its best
        return ("    if epoch in restores:  # the run diverged: back to its best state\n"
                f"        {state} = kept[restores[epoch]]\n" if run.restores else "")
    if batches is None:
        parts.append(
            "@jax.jit  # compiled once: the notebook's loop without the wait\n"
            "def train_step(params, opt_state, lr):\n"
            "    loss, grads = grad_fn(params, X, Y)\n"
            "    params, opt_state = update(params, grads, opt_state, lr)\n"
            "    return params, opt_state, loss\n\n\n"
            "for epoch in range(1, epochs + 1):\n"
            + keep("params, opt_state") + set_lr +
            "    params, opt_state, loss = train_step(params, opt_state, lr)\n"
            "    if epoch % 100 == 0:\n"
            '        print(f"Loss for epoch {epoch}: {float(loss):.{digits}f}")\n'
            + restore("params, opt_state"))
    else:
        batch, count = batches
        source = _shuffle_source()
        parts.append(
            f"# Mini-batches: each epoch walks the points in a new order (nnviz's own: "
            f"shuffle.shuffled_order,\n# a keyed Feistel permutation) and takes "
            f"{plural(count, 'batch', 'batches')} "
            f"of {batch}; the epoch's loss is the mean\n# of its batches' losses.\nbatch_size, n_batches = {batch}, {count}\n"
            f"key = jax.random.PRNGKey({int(trainer.seed)})\n"
            "X, Y = jnp.asarray(X), jnp.asarray(Y)  # jax arrays: indexed inside the compiled "
            "epoch\n\n\n"
            + source + "\n\n@jax.jit\n"
            "def train_epoch(params, opt_state, key, lr):\n"
            "    key, sub = jax.random.split(key)\n"
            "    order = shuffled_order(sub, X.shape[1])[: n_batches * batch_size]\n\n"
            "    def one_batch(carry, idx):\n"
            "        params, opt_state = carry\n"
            "        loss, grads = grad_fn(params, X[:, idx], Y[..., idx])\n"
            "        params, opt_state = update(params, grads, opt_state, lr)\n"
            "        return (params, opt_state), loss\n\n"
            "    (params, opt_state), batch_losses = jax.lax.scan(\n"
            "        one_batch, (params, opt_state), order.reshape(n_batches, batch_size))\n"
            "    return params, opt_state, key, jnp.mean(batch_losses)\n\n\n"
            "for epoch in range(1, epochs + 1):\n"
            + keep("params, opt_state, key") + set_lr +
            "    params, opt_state, key, loss = train_epoch(params, opt_state, key, lr)\n"
            "    if epoch % 100 == 0:\n"
            '        print(f"Loss for epoch {epoch}: {float(loss):.{digits}f}")\n'
            + restore("params, opt_state, key"))
    parts.append(_predict(trainer, names, [int(r) for r in rows[:3]]))
    parts.append(_check(trainer, target_name, run, shown_metrics(trainer, epochs, log)))
    return parts


def notebook_text(trainer: Trainer, epochs: int, class_names: Sequence[str] | None = None,
                  log=None) -> str:
    """The script as a Jupyter notebook (nbformat 4): its docstring a markdown cell, each
    section a code cell. ExportError without the nbformat package."""
    try:
        import nbformat
        from nbformat import v4
    except ImportError:
        raise ExportError("a notebook export needs the nbformat package: pip install "
                          "'nnviz[notebook]' (or pip install nbformat)") from None
    head, *code = script_parts(trainer, epochs, class_names, log)
    # The script's docstring, said of a notebook ("An nnviz run as a notebook", "the notebook's
    # rounding"): its first cell read "An nnviz run as a script" (r3 #11).
    head = re.sub(r"\bscript\b", "notebook", head.strip().strip('"').strip())
    cells = [v4.new_markdown_cell(head)]
    cells += [v4.new_code_cell(part.rstrip("\n")) for part in code]
    cells.append(v4.new_code_cell(_figure(trainer, _targets(trainer)[0]).rstrip("\n")))
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nbformat.writes(nb)


def write_notebook(path: str | os.PathLike, trainer: Trainer, epochs: int,
                   class_names: Sequence[str] | None = None, log=None) -> ScriptRun:
    """:func:`notebook_text` into ``path``, atomically; ExportError if it cannot be written.
    Returns what the notebook replays (its ``note`` says what it does not)."""
    _write_text(path, notebook_text(trainer, epochs, class_names, log))
    return script_run(trainer, epochs, log)


def write_script(path: str | os.PathLike, trainer: Trainer, epochs: int,
                 class_names: Sequence[str] | None = None, log=None) -> ScriptRun:
    """:func:`script_text` into ``path``, atomically; ExportError if it cannot be written.
    Returns what the script replays (its ``note`` says what it does not)."""
    _write_text(path, script_text(trainer, epochs, class_names, log))
    return script_run(trainer, epochs, log)


def _write_text(path: str | os.PathLike, text: str) -> None:
    data = text.encode()
    try:
        with atomic_write(path) as f:
            f.write(data)
    except OSError as e:  # OutputError's reason: refused before writing (a FIFO, a folder...)
        why = getattr(e, "reason", None) or e.strerror or e
        raise ExportError(f"cannot write {os.fspath(path)}: {why}") from None
