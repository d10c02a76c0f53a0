"""Activation functions by name.

The notebook's five (sigmoid, relu, tanh, cos, softmax) plus the ones the playgrounds offer.
Every function maps a jax array of shape (..., units) to the same shape; ``softmax`` normalises
over the units of each sample (the last axis), which is what a classifier's output needs.
The notebook's own softmax, which normalises over the whole array, lives in ``lessons``.
"""
from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp

Activation = Callable[[jax.Array], jax.Array]


def sigmoid(x: jax.Array) -> jax.Array:
    # The notebook's formula, 1 / (1 + exp(-x)), so that its numbers are reproduced exactly.
    return 1.0 / (1.0 + jnp.exp(-x))


def linear(x: jax.Array) -> jax.Array:
    return x


def relu(x: jax.Array) -> jax.Array:
    return jnp.maximum(x, 0.0)


def leaky_relu(x: jax.Array) -> jax.Array:
    return jnp.where(x >= 0, x, 0.01 * x)


def softmax(x: jax.Array) -> jax.Array:
    return jax.nn.softmax(x, axis=-1)


ACTIVATIONS: dict[str, Activation] = {
    "linear": linear,
    "sigmoid": sigmoid,
    "tanh": jnp.tanh,
    "relu": relu,
    "leaky-relu": leaky_relu,
    "elu": jax.nn.elu,
    "gelu": jax.nn.gelu,
    "swish": jax.nn.swish,
    "softplus": jax.nn.softplus,
    "sin": jnp.sin,
    "cos": jnp.cos,
    "softmax": softmax,
}

#: Plain-words descriptions for tooltips and ``--help``.
DESCRIPTIONS: dict[str, str] = {
    "linear": "identity: no non-linearity (a stack of linear layers is still linear)",
    "sigmoid": "1 / (1 + e^-x): squashes to (0, 1); saturates, so deep stacks learn slowly",
    "tanh": "squashes to (-1, 1), centred on zero",
    "relu": "max(x, 0): fast and simple; a unit stuck below zero is 'dead'",
    "leaky-relu": "x for x >= 0, 0.01 x below: a ReLU that never quite dies",
    "elu": "x for x >= 0, e^x - 1 below: smooth ReLU",
    "gelu": "x times the normal CDF of x: the transformers' ReLU",
    "swish": "x * sigmoid(x): smooth, non-monotonic",
    "softplus": "log(1 + e^x): a smooth ReLU",
    "sin": "sin(x): periodic",
    "cos": "cos(x): periodic (the notebook's cos)",
    "softmax": "e^x / sum(e^x) over the layer's units: outputs sum to 1 (class probabilities)",
}


def get(name: str) -> Activation:
    """The activation called ``name``; a ValueError naming the known ones otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; known: {known}") from None
