"""Ready-made sweeps: the "what if" questions a learner asks after the first run, one click away.

Each :class:`ReadySweep` names its swept axis (the names of ``nnviz train --json``), its values
and the problem it starts from: the notebook's (moons, 2-4-10-4-1 sigmoid, MSE, gradient
descent, learning rate 1.0) unless the question needs another.

The presets menu lists them too (gui/session_actions.py); ``nnviz --sweep KEY`` opens one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .data import CLASSIFICATION, DataSpec, from_arrays, make_dataset, split_indices
from .problem import Choices, Problem, make_problem, notebook_problem

# The notebook's five activations, in its order.
NOTEBOOK_ACTIVATIONS = ("sigmoid", "softmax", "tanh", "cos", "relu")


def label_noise_problem(flip: float = 0.2, samples: int = 100, seed: int = 0) -> Problem:
    """Moons with a share ``flip`` of the training labels flipped (the test labels clean), half
    the points held out; one ReLU hidden layer trained with Adam: the setting where test loss
    over width falls, rises near the width that fits every training point, then falls again."""
    base = make_dataset(DataSpec("moons", samples=samples, noise=0.15, seed=seed,
                                 test_fraction=0.5))
    y = np.array(base.y)
    train, _ = split_indices(len(y), 0.5, seed)
    rng = np.random.default_rng(seed + 1)
    flipped = rng.choice(train, int(round(flip * len(train))), replace=False)
    y[flipped] = 1 - y[flipped]
    data = from_arrays(base.X, y, CLASSIFICATION, test_fraction=0.5, seed=seed,
                       name=f"moons, {flip:.0%} of the training labels flipped")
    return make_problem(data, Choices(hidden=(8,), activations=("relu",), optimizer="adam",
                                      learning_rate=0.01), seed=seed)


def notebook_run_problem() -> Problem:
    """The notebook's own run, as lesson 5's "Try it live" loads it: its 200 moons all for
    training and its initial weights (a loss of 0.2537 at the start), not nnviz's draw and a
    test split (0.2644 on 160 points)."""
    from .lessons import moons_data
    from .presets import named_weights
    return make_problem(moons_data(), Choices(), params=named_weights("notebook-moons"))


def relu_notebook_problem() -> Problem:
    """The notebook's moons and 2-4-10-4-1 network with ReLU hidden units. Its sigmoid network
    cannot blow up (a sigmoid's squared error stays below 1: a rate of 100 only saturates it);
    with ReLUs a rate too large makes the weights and the loss explode, as it does in most
    networks."""
    return make_problem(make_dataset(DataSpec("moons")), Choices(activations=("relu",) * 3))


@dataclass(frozen=True)
class ReadySweep:
    key: str
    title: str  # a button's text
    tip: str  # what it asks
    axis: str
    values: tuple
    base: Callable[[], Problem] = notebook_problem
    epochs: int = 2000  # about what it takes to see the answer

    def spec(self, base: Problem | None = None):
        """The SweepSpec (of ``base``, default this sweep's own problem)."""
        from .sweep import Axis, SweepSpec
        return SweepSpec(base if base is not None else self.base(), (Axis(self.axis, self.values),))


def _one_layer(width: int) -> tuple[int, ...]:
    return (int(width),)


READY: tuple[ReadySweep, ...] = (
    ReadySweep("lr", "Learning rate", "The notebook's network, with ReLU units, at learning "
               "rates from 0.01 to 10 (log scale): too small crawls, too large saturates the "
               "sigmoid output, and the loss sticks high.",
               "learning_rate", (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
               base=relu_notebook_problem),
    ReadySweep("seeds", "16 seeds", "The notebook's network from 16 different initial draws of "
               "its weights, on the same data: how much does the start matter?", "init_seed",
               tuple(range(16))),
    ReadySweep("width", "Width 1\u202632", "One hidden layer of 1 to 32 sigmoid units on the "
               "moons: how wide must a network be?", "hidden",
               tuple(_one_layer(w) for w in (1, 2, 4, 8, 16, 32))),
    ReadySweep("activations", "Activations", "The notebook's run (its 200 moons, its initial "
               "weights) with each of its five activations in the hidden layers. One "
               "difference: this softmax normalises each point's units, the notebook's the "
               "whole array.", "activation", NOTEBOOK_ACTIVATIONS, base=notebook_run_problem),
    ReadySweep("l2", "L2 0\u20260.1", "The notebook's network with an L2 penalty from 0 to 0.1: "
               "smoother boundaries, higher training loss.", "l2",
               (0.0, 0.001, 0.003, 0.01, 0.03, 0.1)),
    ReadySweep("double-descent", "Double descent", "One ReLU layer of 1 to 256 units on 50 "
               "moons points with a fifth of their labels flipped: the test loss over the width "
               "falls, rises where the network can fit every noisy label, and falls again.",
               "hidden", tuple(_one_layer(w) for w in (1, 2, 4, 8, 16, 32, 64, 128, 256)),
               base=label_noise_problem, epochs=4000),
)

BY_KEY = {r.key: r for r in READY}


def ready(key: str) -> ReadySweep:
    """The ready-made sweep ``key``; a ValueError naming the known ones otherwise."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown sweep {key!r}; known: {', '.join(BY_KEY)}") from None
