"""Input features: what the first layer sees, computed from the raw inputs (TensorFlow
Playground's x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)).

A network's features are part of its :class:`~nnviz.core.network.NetworkSpec` (``features``):
an empty tuple is the raw inputs, the notebook's (and the default); otherwise the first layer
takes one column per feature, in the order given. The forward passes expand the raw inputs
with :func:`expand`, so the data, the plots and the session keep the raw points.

Names are canonical ASCII (``x1^2``, ``x1*x2``, ``sin(x1)``); :func:`parse` also takes the
display spellings (``x1²``, ``x1·x2``) and spaces.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

import jax.numpy as jnp

# The editor offers features for data of up to this many inputs (TensorFlow Playground's two);
# beyond, the first layer takes the raw inputs unless told otherwise (--features).
MAX_LISTED_INPUTS = 2
_NAME = re.compile(r"\A(?:x(\d+)|x(\d+)\^2|x(\d+)\*x(\d+)|sin\(x(\d+)\))\Z")


def catalogue(n_inputs: int) -> tuple[str, ...]:
    """Every feature of ``n_inputs`` raw inputs, in the order the editor lists them: TensorFlow
    Playground's for two inputs (x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2))."""
    xs = [f"x{i + 1}" for i in range(n_inputs)]
    pairs = [f"{a}*{b}" for i, a in enumerate(xs) for b in xs[i + 1:]]
    return (*xs, *(f"{x}^2" for x in xs), *pairs, *(f"sin({x})" for x in xs))


def raw(n_inputs: int) -> tuple[str, ...]:
    return tuple(f"x{i + 1}" for i in range(n_inputs))


def canonical(name: str) -> str:
    """``name`` in the canonical spelling (not checked)."""
    return (name.strip().lower().replace(" ", "").replace("\u00b2", "^2").replace("\u00b7", "*")
            .replace("\u22c5", "*").replace("**2", "^2"))


def indices(name: str) -> tuple[int, ...] | None:
    """The raw inputs (0-based) a canonical feature name reads, or None if it is not one."""
    m = _NAME.match(name)
    if m is None:
        return None
    return tuple(int(g) - 1 for g in m.groups() if g is not None)


def check(features: Iterable[str], n_inputs: int) -> tuple[str, ...]:
    """Canonical, validated features for ``n_inputs`` raw inputs; () for the raw inputs in
    their order (the default). ValueError with a message for the user otherwise."""
    out = tuple(canonical(f) if isinstance(f, str) else f for f in features)
    for f in out:
        # Checked by its parts, not against the catalogue, which grows with the square of the
        # inputs (an imported CSV may have hundreds).
        idx = indices(f) if isinstance(f, str) else None
        if idx is None or max(idx) >= n_inputs or (len(idx) == 2 and idx[0] >= idx[1]):
            known = catalogue(min(n_inputs, MAX_LISTED_INPUTS))
            more = ", ..." if n_inputs > MAX_LISTED_INPUTS else ""
            raise ValueError(f"unknown input feature {f!r}; with {n_inputs} input"
                             f"{'s' if n_inputs > 1 else ''}: {', '.join(known)}{more}")
    if len(set(out)) != len(out):
        raise ValueError(f"an input feature is listed twice: {', '.join(out)}")
    if out == raw(n_inputs):
        return ()
    return out


def parse(text: str, n_inputs: int = 2) -> tuple[str, ...]:
    """Features from a comma-separated list (the command line's ``--features x1,x2,x1*x2``)."""
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    if not parts:
        raise ValueError("give at least one input feature, like x1,x2")
    return check(parts, n_inputs)


def label(name: str, inputs: Sequence[str] = ()) -> str:
    """The display spelling: x1², x1·x2, sin(x1); with the raw inputs' names ``inputs`` (an
    imported file's "width", "height") in place of x1, x2: width², width·height, sin(width)."""
    text = name.replace("^2", "\u00b2").replace("*", "\u00b7")
    if not inputs:
        return text

    def named(m: re.Match) -> str:
        i = int(m.group(1)) - 1
        return inputs[i] if i < len(inputs) and inputs[i] else m.group(0)
    return re.sub(r"x(\d+)", named, text)


def expand(features: tuple[str, ...], X):
    """The feature columns of rows ``X`` (N, n_inputs): (N, len(features)); ``X`` itself for
    the raw inputs. Works on jax and numpy arrays (a jax array comes back)."""
    if not features:
        return X
    cols = []
    for f in features:
        idx = indices(f)
        if f.startswith("sin("):
            cols.append(jnp.sin(X[:, idx[0]]))
        elif f.endswith("^2"):
            cols.append(jnp.square(X[:, idx[0]]))
        elif len(idx) == 2:
            cols.append(X[:, idx[0]] * X[:, idx[1]])
        else:
            cols.append(X[:, idx[0]])
    return jnp.stack(cols, axis=1)
