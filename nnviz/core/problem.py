"""What a run trains (:class:`Problem`), and the one place that decides what a problem needs.

A :class:`Problem` is the data, the network, the training settings, the seed and the initial
weights: the CLI, the window, the worker and sessions all pass this one shape around.

:func:`make_problem` turns what a person chose (:class:`Choices`) into a Problem for some data.
A choice left as ``None`` takes the default that fits the data, and only defaults follow the data:

- the loss: mean squared error for regression and two classes (the notebook's), softmax
  cross-entropy for more classes;
- the output activation: linear for regression (a value can be any number), softmax for
  cross-entropy (class probabilities), else sigmoid (a probability, the notebook's);
- the learning rate: the notebook's 1.0 for classification with gradient descent; smaller for
  regression, whose squared errors (the line's targets reach ~23) make gradients that overshoot at
  1.0; momentum and Nesterov move about ten times as far per step; Adam and RMSProp scale their
  own steps, so one small rate suits every task. A data set scales the rates of gd, momentum
  and Nesterov (``DatasetInfo.rate_scale``: the line's, a fifth; the sine's and spiral's, twice);
  on a regression they never exceed half the rate at which gradient descent fitting a linear
  model to the features would diverge (:func:`stable_rate`), so arrays and CSV files on any
  scale (the notebook's line passed to ``nnviz.train``) train with the defaults;
- the hidden layers: the notebook's 4-10-4 sigmoid, except where a data set asks for others
  (``DatasetInfo.hidden``): none for the line, which the notebook fits by linear regression;
  wider sigmoid layers for the sine and the spiral.

An explicit choice is kept; one that cannot fit the data (bce on a regression) is an error with a
message, never silently replaced.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import losses
from .data import Dataset, DataSpec
from .network import NetworkSpec, SpecError, as_params, check_params, init_params
from .training import TrainConfig, Trainer

# The learning rate that trains, by optimiser, for classification and for regression.
_LEARNING_RATES = {
    "gd": (1.0, 0.05),
    "momentum": (0.1, 0.005),
    "nesterov": (0.1, 0.005),
    "adam": (0.01, 0.01),
    "rmsprop": (0.01, 0.01),
}

# The choices that follow the data when the user has not made them.
FITTED = ("loss", "output_activation", "learning_rate", "hidden")


@dataclass(frozen=True)
class Problem:
    """What a run trains: data, architecture, settings, start weights (None = from the seed)."""

    dataset: Dataset
    spec: NetworkSpec
    config: TrainConfig
    params: Any = None
    seed: int = 0
    # The draw of the initial weights when ``params`` is None; None: the seed's. The data, the
    # split and the mini-batch shuffling stay the seed's (``--init-seed``, a sweep over it).
    init_seed: int | None = None

    def initial_params(self):
        """The weights at epoch 0: the problem's own, else the draw of its init seed."""
        if self.params is not None:
            return as_params(self.params)
        return init_params(self.spec, self.seed if self.init_seed is None else self.init_seed)

    @property
    def source(self) -> DataSpec | Dataset:
        """The DataSpec that generated the data, or the Dataset itself (CSV, edited points)."""
        return self.dataset.spec if self.dataset.spec is not None else self.dataset

    def check(self) -> None:
        """Raise a user error (LossError, SpecError) when the pieces do not fit together."""
        d = self.dataset
        expected = losses.output_dim(self.config.loss, d.task, d.n_classes)
        if self.spec.input_dim != d.n_features or self.spec.output_dim != expected:
            raise SpecError(f"the network {self.spec.shapes_text()} does not fit this data and "
                            f"loss, which need {d.n_features} inputs and {expected} outputs")
        if self.params is not None:
            check_params(self.spec, self.params)

    def make_trainer(self) -> Trainer:
        """A fresh Trainer of this problem at epoch 0 (not compiled yet)."""
        params = self.params
        if params is None and self.init_seed is not None:
            params = init_params(self.spec, self.init_seed)
        return Trainer(self.spec, self.config, self.dataset, params=params, seed=self.seed)


@dataclass(frozen=True)
class Choices:
    """What a person chose for a problem. ``None``: the default that fits the data."""

    hidden: tuple[int, ...] | None = None  # None: the data set's default (4, 10, 4 mostly)
    activations: tuple[str, ...] | None = None  # None: sigmoid in every hidden layer
    output_activation: str | None = None
    init_scheme: str = "normal"
    loss: str | None = None
    optimizer: str = "gd"
    learning_rate: float | None = None
    batch_size: int = 0
    l1: float = 0.0
    l2: float = 0.0
    features: tuple[str, ...] = ()  # the first layer's inputs; () = the raw inputs


def default_loss(data: Dataset) -> str:
    """Mean squared error (the notebook's) unless there are more than two classes."""
    return "cross-entropy" if data.is_classification and data.n_classes > 2 else "mse"


def default_output_activation(data: Dataset, loss: str) -> str:
    if not data.is_classification:
        return "linear"
    return "softmax" if loss == "cross-entropy" else "sigmoid"


def _info(data: Dataset):
    return data.spec.info if data.spec is not None else None


def default_hidden(data: Dataset) -> tuple[int, ...]:
    """The default network's hidden layer widths for ``data``: (4, 10, 4), the notebook's,
    but none for the line (the notebook's linear regression)."""
    info = _info(data)
    return info.hidden if info is not None else (4, 10, 4)


def stable_rate(data: Dataset, features: tuple[str, ...] = ()) -> float:
    """The largest learning rate at which gradient descent on the mean squared error of a
    linear model (no hidden layer) of ``data``'s training features stays stable.

    The loss mean((w.x + b - y)^2) has the constant Hessian 2 M, M = mean(x~ x~^T) with
    x~ = (x, 1) the features and a constant for the bias; gradient descent converges exactly
    when lr < 2 / lambda_max(2 M) = 1 / lambda_max(M). It depends on the features' scale and
    not on the targets': the notebook's line (x in [0, 10], lambda_max ~34) needs lr < 0.03.
    """
    from .features import expand  # jax: this module is imported before any training
    X = np.asarray(expand(tuple(features), data.X_train), np.float64)
    X = np.hstack([X, np.ones((len(X), 1))])
    top = float(np.linalg.eigvalsh(X.T @ X / max(len(X), 1))[-1])
    return 1.0 / top if np.isfinite(top) and top > 0 else math.inf


def default_learning_rate(data: Dataset, optimizer: str, features: tuple[str, ...] = ()) -> float:
    classification, regression = _LEARNING_RATES.get(optimizer, _LEARNING_RATES["gd"])
    lr = classification if data.is_classification else regression
    if optimizer not in ("gd", "momentum", "nesterov"):
        return lr  # Adam and RMSProp scale their own steps
    info = _info(data)
    scale = info.rate_scale if info is not None else 1.0
    if not data.is_classification:
        # Half the linear model's limit (stable_rate) for gradient descent, and momentum's
        # rate in the same proportion: arrays on any scale get a rate that fits them, where
        # the table's 0.05 diverged on the notebook's line by epoch 8. The bound is exact
        # without hidden layers and a sound cap with them (the first layer sees the same
        # features). Classification keeps the notebook's rate: its sigmoid or softmax output
        # flattens the loss (slope at most 1/4), and the notebook's moons train at 1.0.
        cap = 0.5 * stable_rate(data, features) / _LEARNING_RATES["gd"][1]
        if cap < scale:
            # Two significant digits, rounded down: a rate a learner can read and type.
            lr *= cap
            digits = 1 - math.floor(math.log10(lr))
            return math.floor(lr * 10 ** digits) / 10 ** digits
    return float(f"{lr * scale:.6g}")  # 0.05 * 0.2 = 0.01, not 0.010000000000000002


def fit(data: Dataset, choices: Choices = Choices()) -> tuple[NetworkSpec, TrainConfig]:
    """The network and settings of ``choices`` on ``data``, defaults filled in.

    Raises LossError (an explicit loss that does not fit the data), SpecError or TrainingError.
    """
    loss = choices.loss if choices.loss is not None else default_loss(data)
    out_dim = losses.output_dim(loss, data.task, data.n_classes)
    out_act = choices.output_activation or default_output_activation(data, loss)
    hidden = choices.hidden if choices.hidden is not None else default_hidden(data)
    acts = choices.activations
    if acts is None or (choices.hidden is None and len(acts) != len(hidden)):
        acts = (acts[0] if acts else "sigmoid",) * len(hidden)
    spec = NetworkSpec(data.n_features, tuple(hidden), tuple(acts), out_dim, out_act,
                       choices.init_scheme, tuple(choices.features))
    lr = choices.learning_rate
    if lr is None:  # after the spec, which checked the features the rate is fitted to
        lr = default_learning_rate(data, choices.optimizer, spec.features)
    config = TrainConfig(loss, choices.optimizer, lr, choices.batch_size, choices.l1, choices.l2)
    return spec, config


def make_problem(data: Dataset, choices: Choices = Choices(), params: Any = None,
                 seed: int | None = None, init_seed: int | None = None) -> Problem:
    """The Problem of ``choices`` on ``data``; ``seed`` None: the data's own seed;
    ``init_seed`` None: the initial weights are the seed's draw."""
    spec, config = fit(data, choices)
    if seed is None:
        seed = data.spec.seed if data.spec is not None else 0
    problem = Problem(data, spec, config, params, int(seed),
                      None if init_seed is None else int(init_seed))
    problem.check()
    return problem


def fitted_by_default(problem: Problem) -> set[str]:
    """Which of :data:`FITTED` hold the default for the problem's data (and so may follow the
    data when it changes); the others count as the user's choice."""
    d, c = problem.dataset, problem.config
    out: set[str] = set()
    if c.loss == default_loss(d):
        out.add("loss")
    if problem.spec.output_activation == default_output_activation(d, c.loss):
        out.add("output_activation")
    if c.learning_rate == default_learning_rate(d, c.optimizer, problem.spec.features):
        out.add("learning_rate")
    spec = problem.spec
    if spec.hidden == default_hidden(d) and set(spec.activations) <= {"sigmoid"}:
        out.add("hidden")  # the hidden layers (widths and activations) as the defaults make them
    return out


def notebook_problem() -> Problem:
    """The notebook's problem: moons, 2-4-10-4-1 sigmoid, MSE, gradient descent, lr 1.0."""
    from .data import make_dataset
    return make_problem(make_dataset(DataSpec("moons")))
