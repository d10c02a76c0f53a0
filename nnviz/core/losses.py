"""Losses, the targets they compare against, and what counts as a correct prediction.

- ``mse``: the notebook's mean squared error. Two classes: one output against the 0/1 label.
  K classes: K outputs against the one-hot label. Regression: one output against y.
- ``bce``: binary cross-entropy, one output read as P(class 1); computed from the output
  layer's logits when that layer is a sigmoid (numerically stable), else from the clipped output.
- ``cross-entropy``: softmax cross-entropy, one output per class (two for two classes);
  from the logits when the output is a softmax, else the outputs are taken as logits.

Regularisation (L1, L2) applies to the weights, not the biases.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

from .data import CLASSIFICATION, REGRESSION
from .network import NetworkSpec, Params, device_array, forward_logits
from .errors import NnvizError

LOSSES = {
    "mse": "mean squared error (the notebook's)",
    "bce": "binary cross-entropy: one output, P(class 1); two classes only",
    "cross-entropy": "softmax cross-entropy: one output per class",
}

_EPS = 1e-7


class LossError(NnvizError):
    """A loss that does not fit the problem; the message is meant for the user."""


def output_dim(loss: str, task: str, n_classes: int) -> int:
    """How many outputs the network needs for this loss on this problem."""
    if loss not in LOSSES:
        raise LossError(f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
    if task == REGRESSION:
        if loss != "mse":
            raise LossError(f"{loss} is a classification loss; a regression problem needs mse")
        return 1
    if loss == "bce":
        if n_classes > 2:
            raise LossError(f"bce is for two classes and this data has {n_classes}; "
                            "use cross-entropy (or mse)")
        return 1
    if loss == "cross-entropy":
        return max(n_classes, 2)
    return 1 if n_classes <= 2 else n_classes


def encode_targets(y: jax.Array, loss: str, task: str, n_classes: int) -> jax.Array:
    """Targets in the form the loss compares against (float columns or integer labels)."""
    if task == REGRESSION or (loss != "cross-entropy" and output_dim(loss, task, n_classes) == 1):
        return device_array(np.reshape(y, (-1, 1)))
    if loss == "cross-entropy":
        return device_array(y, np.int32)
    return device_array(np.eye(n_classes, dtype=np.float32)[np.asarray(y, np.intp)])


def data_loss(spec: NetworkSpec, loss: str, params: Params, X: jax.Array, T: jax.Array,
              mask: jax.Array | None = None, count: jax.Array | None = None) -> jax.Array:
    """The mean loss of ``params`` on rows ``X`` against encoded targets ``T``.

    With ``mask`` (N,) and ``count`` (how many rows are True): the mean over the masked rows
    only (padded data, see ``training.padded_size``); the other rows add exact zeros."""
    z, out = forward_logits(spec, params, X)
    if loss == "mse":
        return _mean(jnp.square(out - T), mask, count)
    if loss == "bce":
        if spec.output_activation == "sigmoid":
            return _mean(optax.sigmoid_binary_cross_entropy(z, T), mask, count)
        p = jnp.clip(out, _EPS, 1 - _EPS)
        return -_mean(T * jnp.log(p) + (1 - T) * jnp.log1p(-p), mask, count)
    logits = z if spec.output_activation == "softmax" else out
    return _mean(optax.softmax_cross_entropy_with_integer_labels(logits, T), mask, count)


def _mean(x: jax.Array, mask: jax.Array | None, count: jax.Array | None) -> jax.Array:
    """``jnp.mean(x)``, or (with ``mask`` over the rows) the mean over the masked rows: their
    sum divided by their number, as ``jnp.mean`` divides its sum. A ``where``, not a product:
    a padding row's non-finite value must not make the sum NaN."""
    if mask is None:
        return jnp.mean(x)
    keep = mask.reshape((-1,) + (1,) * (x.ndim - 1))
    per_row = 1 if x.ndim == 1 else x.shape[1]
    return jnp.sum(jnp.where(keep, x, 0)) / (jnp.asarray(count, x.dtype) * per_row)


def penalty(params: Params, l1, l2) -> jax.Array:
    """L1 and L2 penalties on the weights (not the biases). A rate may be a traced value (a
    new rate then compiles nothing, see ``training.compile_key``); a term whose rate is a
    plain 0 is left out."""
    total = jnp.float32(0.0)
    for w, _ in params:
        if _on(l1):
            total = total + l1 * jnp.sum(jnp.abs(w))
        if _on(l2):
            total = total + l2 * jnp.sum(jnp.square(w))
    return total


def _on(rate) -> bool:
    return not isinstance(rate, (int, float)) or rate != 0


def scores(spec: NetworkSpec, loss: str, out: jax.Array) -> jax.Array:
    """What the view shows of an output: P(class 1) for one output, class scores for K."""
    if out.shape[-1] > 1 and loss == "cross-entropy" and spec.output_activation != "softmax":
        return jax.nn.softmax(out, axis=-1)
    return out


def predicted_class(out: jax.Array) -> jax.Array:
    """The notebook's rounding for one output (>= 0.5 is class 1); the argmax for several."""
    if out.shape[-1] == 1:
        return (out[:, 0] >= 0.5).astype(jnp.int32)
    return jnp.argmax(out, axis=-1).astype(jnp.int32)


_FLAT = 1e-10  # targets whose spread is below this fraction of sum(y^2) have no R^2


def accuracy(out: jax.Array, y: jax.Array, task: str, mask: jax.Array | None = None,
             count: jax.Array | None = None) -> jax.Array:
    """Fraction of correct classes; for regression, the coefficient of determination R^2:
    NaN (shown "n/a") where it is undefined, targets without variance (one test point, or
    all equal), where dividing by the ~0 spread printed R^2 -2541817692160.
    With ``mask`` and ``count``: of the masked rows only (see ``data_loss``)."""
    if task == CLASSIFICATION:
        correct = predicted_class(out) == jnp.asarray(y, jnp.int32)
        if mask is None:
            return jnp.mean(correct)
        # The masked rows' jnp.mean, in its arithmetic: the sum times the reciprocal of the
        # count. Their sum divided by it rounds differently where the percentage ends in 5
        # (18 of 160 right, 11.25%): the window (padded) showed 11.2%, nnviz train and the
        # exported script 11.3%.
        right = jnp.sum(jnp.where(mask, correct, False).astype(jnp.float32))
        return right * (1 / jnp.asarray(count, jnp.float32))
    y = jnp.asarray(y, jnp.float32)
    if mask is None:
        ss_res = jnp.sum(jnp.square(out[:, 0] - y))
        ss_tot = jnp.sum(jnp.square(y - jnp.mean(y)))
        ss_y = jnp.sum(jnp.square(y))
    else:
        ss_res = jnp.sum(jnp.where(mask, jnp.square(out[:, 0] - y), 0))
        ss_tot = jnp.sum(jnp.where(mask, jnp.square(y - _mean(y, mask, count)), 0))
        ss_y = jnp.sum(jnp.where(mask, jnp.square(y), 0))
    # "No variance" relative to the targets' size: float32 rounding of the mean of equal
    # targets leaves a spread ~1e-13 of sum(y^2), far below this; real spread is far above.
    flat = ss_tot <= _FLAT * ss_y
    return jnp.where(flat, jnp.nan, 1.0 - ss_res / jnp.where(flat, 1.0, ss_tot))
