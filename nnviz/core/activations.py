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


def _notebook_sigmoid(x: jax.Array) -> jax.Array:
    # The notebook's formula, 1 / (1 + exp(-x)), so that its numbers are reproduced exactly.
    return 1.0 / (1.0 + jnp.exp(-x))


@jax.custom_jvp
def sigmoid(x: jax.Array) -> jax.Array:
    """The notebook's sigmoid, with a gradient that cannot be NaN.

    Below x = -88.7 exp(-x) overflows float32 to inf: the value is still right (1 / inf = 0),
    but autodiff's gradient of the formula is then inf / inf = NaN, and one such unit made the
    whole step NaN (a 2-512-512-1 ReLU network with N(0, 1) weights starts with output logits
    of +-290: it "diverged" at every learning rate). There the gradient is now 0, the true
    limit; everywhere else it is autodiff's gradient of the formula, op for op, so every
    finite number is bit for bit what it was (the notebook's losses, the tests' paths)."""
    return _notebook_sigmoid(x)


# Where exp(-x) overflows, the formula is differentiated at x = -50 instead, where float32
# already makes its slope exactly 0 (the 1 / (1 + e^50)^2 of the quotient rule underflows; the
# true slope, e^-50, is 2e-22): a finite point, so neither the gradient (inf * 0) nor the
# second derivatives (the sharpness) meet the inf. Masking the tangent itself, in or out, is
# bit-neutral in itself but changed how XLA fuses the step: the moons run's losses moved by an
# ulp from epoch 19, its sharpness by 7e-8. Swapping the point in keeps every op as it was.
_FLAT = -50.0


@sigmoid.defjvp
def _sigmoid_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    over = jnp.exp(-x) == jnp.inf  # (a NaN x stays NaN: only the overflow is the formula's)
    _, dy = jax.jvp(_notebook_sigmoid, (jnp.where(over, jnp.asarray(_FLAT, x.dtype), x),), (t,))
    return _notebook_sigmoid(x), dy


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
