"""The architecture as a frozen, validated spec; weight initialisation; the forward pass.

Layout: a sample is a row. Layer ``i`` holds ``W`` of shape (in, out) and ``b`` of shape (out,)
and computes ``act(x @ W + b)`` for rows ``x`` -- the notebook's ``w.T @ X + b`` with its X
transposed. :func:`load_npz` / :func:`save_npz` speak the notebook's layout, where ``b`` has
shape (out, 1).
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import activations, features as input_features
from .checks import whole_number
from .errors import NnvizError, shown

MAX_WIDTH = 512
MAX_HIDDEN_LAYERS = 16
INIT_SCHEMES = {
    "normal": "N(0, 1) weights, zero biases (the notebook's)",
    "glorot": "N(0, 2 / (fan_in + fan_out)) weights, zero biases (Glorot / Xavier)",
    "he": "N(0, 2 / fan_in) weights, zero biases (He, for ReLU)",
    "uniform": "U(-0.5, 0.5) weights, biases 0.1 (TensorFlow Playground's)",
}

# A layer's parameters: (W, b). A network's: a tuple of layers, a jax pytree.
Layer = tuple[jax.Array, jax.Array]
Params = tuple[Layer, ...]


class SpecError(NnvizError):
    """An invalid architecture; the message is meant for the user."""


SOFTMAX_ONE_OUTPUT = ("a softmax output needs two or more outputs: the softmax of one number is "
                      "always 1, so the network could learn nothing; use sigmoid for one "
                      "output, or the cross-entropy loss (one output per class)")


@dataclass(frozen=True)
class NetworkSpec:
    """A multilayer perceptron: input width, hidden widths and activations, output."""

    input_dim: int = 2
    hidden: tuple[int, ...] = (4, 10, 4)
    activations: tuple[str, ...] = ("sigmoid", "sigmoid", "sigmoid")
    output_dim: int = 1
    output_activation: str = "sigmoid"
    init_scheme: str = "normal"
    # What the first layer takes (nnviz.core.features): () = the raw inputs, the notebook's.
    features: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Settings may come from a file: anything that is not a list of whole numbers (a string,
        # 1e400, null) gets a SpecError for the user, never a TypeError or OverflowError.
        if isinstance(self.hidden, (str, bytes)) or not hasattr(self.hidden, "__iter__"):
            raise SpecError(f"hidden widths must be a list of whole numbers, got {self.hidden!r}")
        if not hasattr(self.activations, "__iter__") or isinstance(self.activations, str):
            raise SpecError(f"activations must be a list of names, got {self.activations!r}")
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS:
            raise SpecError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(hidden)}")
        for i, w in enumerate(hidden):
            if not 1 <= (whole_number(w) or 0) <= MAX_WIDTH:
                raise SpecError(f"hidden layer {i + 1}: width must be 1..{MAX_WIDTH}, got {shown(w)}")
        object.__setattr__(self, "hidden", tuple(whole_number(w) for w in hidden))
        object.__setattr__(self, "activations", tuple(self.activations))
        if len(self.activations) != len(self.hidden):
            raise SpecError(f"{len(self.hidden)} hidden layers need as many activations, "
                            f"got {len(self.activations)}")
        for name in (*self.activations, self.output_activation):
            if not isinstance(name, str) or name not in activations.ACTIVATIONS:
                raise SpecError(f"unknown activation {name!r}; known: "
                                f"{', '.join(activations.ACTIVATIONS)}")
        for what, n in (("input", self.input_dim), ("output", self.output_dim)):
            if not 1 <= (whole_number(n) or 0) <= MAX_WIDTH:
                raise SpecError(f"{what} width must be 1..{MAX_WIDTH}, got {shown(n)}")
        object.__setattr__(self, "input_dim", whole_number(self.input_dim))
        object.__setattr__(self, "output_dim", whole_number(self.output_dim))
        if self.output_activation == "softmax" and self.output_dim == 1:
            raise SpecError(SOFTMAX_ONE_OUTPUT)
        if not isinstance(self.init_scheme, str) or self.init_scheme not in INIT_SCHEMES:
            raise SpecError(f"unknown init scheme {self.init_scheme!r}; known: "
                            f"{', '.join(INIT_SCHEMES)}")
        if isinstance(self.features, (str, bytes)) or not hasattr(self.features, "__iter__"):
            raise SpecError(f"input features must be a list of names, got {self.features!r}")
        try:
            object.__setattr__(self, "features",
                               input_features.check(self.features, self.input_dim))
        except ValueError as e:
            raise SpecError(str(e)) from None

    @classmethod
    def build(cls, input_dim: int, hidden: tuple[int, ...] | list[int], activation: str = "sigmoid",
              output_dim: int = 1, output_activation: str = "sigmoid",
              init_scheme: str = "normal") -> "NetworkSpec":
        """A spec with the same activation on every hidden layer."""
        return cls(input_dim, tuple(hidden), (activation,) * len(hidden), output_dim,
                   output_activation, init_scheme)

    @property
    def n_inputs(self) -> int:
        """The width of the first layer's input: one column per feature."""
        return len(self.features) or self.input_dim

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.features or input_features.raw(self.input_dim)

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (self.n_inputs, *self.hidden, self.output_dim)

    @property
    def layer_activations(self) -> tuple[str, ...]:
        return (*self.activations, self.output_activation)

    @property
    def n_layers(self) -> int:
        """Hidden layers plus the output layer (the input is not a layer)."""
        return len(self.hidden) + 1

    @property
    def n_params(self) -> int:
        s = self.layer_sizes
        return sum(a * b + b for a, b in zip(s[:-1], s[1:]))

    def shapes_text(self) -> str:
        return " -> ".join(str(n) for n in self.layer_sizes)

    def param_shapes(self) -> list[tuple[tuple[int, int], tuple[int]]]:
        s = self.layer_sizes
        return [((a, b), (b,)) for a, b in zip(s[:-1], s[1:])]


# From this width on, N(0, 1) initial weights get a hint (wide_start_hint). The notebook's own
# networks stay below it (its widest layer has 50 units), a data scientist's 64, 256 or 512 do
# not: each layer multiplies the values by about sqrt(width), and 2-512-512-1 ReLU starts with
# output logits of +-290, a saturated sigmoid whose loss barely moves (0.495 -> 0.475 in 50
# epochs on 300 points of the rings; "he": 0.26 -> 0.14); a 1-64-1 tanh regression blew up at
# the default rate ("glorot" did not). The default stays the notebook's, whose numbers the app
# reproduces.
WIDE_START = 64


def wide_start_hint(spec: NetworkSpec, how: str) -> str:
    """A hint for a hidden layer of WIDE_START units or more with N(0, 1) initial weights
    ("" otherwise); ``how``: how to pick smaller ones, in the caller's words."""
    width = max(spec.hidden, default=0)
    if spec.init_scheme != "normal" or width < WIDE_START:
        return ""
    return (f"Hidden layers of up to {width} units with N(0, 1) initial weights (the "
            f"notebook's): each layer multiplies the values by about \u221a{width} \u2248 "
            f"{width ** 0.5:.0f}, so the outputs start large (a sigmoid output saturated, its "
            f"loss barely moving); {how} scale the weights to the width")


def device_array(a, dtype=np.float32) -> jax.Array:
    """``a`` on the device as ``dtype``, converted on the host. ``jnp.asarray`` of a numpy array
    compiles a copy or convert kernel for each shape (jax 0.10): ~10-20 ms each on a cold cache,
    ~4 ms warm, and a new model needs a dozen of them before its first frame."""
    if isinstance(a, jax.Array):
        return a if a.dtype == dtype else a.astype(dtype)
    return jax.device_put(np.asarray(a, dtype))


def init_params(spec: NetworkSpec, seed: int | np.random.Generator = 0) -> Params:
    """Fresh weights for ``spec`` by its init scheme, from a numpy generator or seed."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    layers = []
    for (w_shape, b_shape) in spec.param_shapes():
        fan_in, fan_out = w_shape
        if spec.init_scheme == "normal":
            w, b = rng.normal(size=w_shape), np.zeros(b_shape)
        elif spec.init_scheme == "glorot":
            w, b = rng.normal(size=w_shape) * np.sqrt(2.0 / (fan_in + fan_out)), np.zeros(b_shape)
        elif spec.init_scheme == "he":
            w, b = rng.normal(size=w_shape) * np.sqrt(2.0 / fan_in), np.zeros(b_shape)
        else:  # uniform
            w, b = rng.uniform(-0.5, 0.5, size=w_shape), np.full(b_shape, 0.1)
        layers.append((device_array(w), device_array(b)))
    return tuple(layers)


def as_params(layers) -> Params:
    """Any sequence of (W, b) pairs as a float32 jax pytree of the canonical form."""
    def bias(b):
        if np.ndim(b) == 2 and np.shape(b)[1] == 1:  # the notebook's (out, 1)
            b = b[:, 0] if isinstance(b, jax.Array) else np.asarray(b)[:, 0]
        return device_array(b)
    return tuple((device_array(w), bias(b)) for w, b in layers)


def check_params(spec: NetworkSpec, params) -> None:
    """A SpecError unless ``params`` has exactly ``spec``'s shapes."""
    expected = spec.param_shapes()
    if len(params) != len(expected):
        raise SpecError(f"weights have {len(params)} layers, the network has {len(expected)}")
    for i, ((w, b), (ws, bs)) in enumerate(zip(params, expected)):
        if tuple(np.shape(w)) != ws or tuple(np.shape(b)) != bs:
            raise SpecError(f"layer {i}: weights {tuple(np.shape(w))} and bias {tuple(np.shape(b))}"
                            f" do not fit the network, which needs {ws} and {bs}")


# The most a weight or bias typed by hand may be, either sign. Far beyond the values training
# gives (initial weights are about N(0, 1)), one weight saturates or blows up every unit after it
# and the trainer, which goes back to the best weights after a divergence, has only the edited
# ones to go back to.
EDIT_LIMIT = 100.0


def check_edit(spec: NetworkSpec, old, new) -> None:
    """A SpecError unless ``new`` fits ``spec`` and every value that differs from ``old`` (all
    of them when ``old`` does not fit) is a number within +-EDIT_LIMIT."""
    check_params(spec, new)
    try:
        check_params(spec, old)
    except (SpecError, TypeError):
        old = None
    for layer, ((w, b), prev) in enumerate(zip(new, old or [None] * len(new))):
        for kind, a, p in (("weight", w, None if prev is None else prev[0]),
                           ("bias", b, None if prev is None else prev[1])):
            a = np.asarray(a, np.float64)
            changed = a if p is None else a[a != np.asarray(p, np.float64)]
            bad = changed[~(np.abs(changed) <= EDIT_LIMIT)]  # NaN is bad too
            if bad.size:
                raise SpecError(f"a {kind} of layer {layer + 1} set by hand must be a number "
                                f"between -{EDIT_LIMIT:g} and {EDIT_LIMIT:g}, not {bad[0]:g}")


def forward(spec: NetworkSpec, params: Params, X: jax.Array) -> jax.Array:
    """The network's output for rows ``X``: shape (N, output_dim)."""
    X = input_features.expand(spec.features, X)
    for (w, b), name in zip(params, spec.layer_activations):
        X = activations.ACTIVATIONS[name](X @ w + b)
    return X


def forward_logits(spec: NetworkSpec, params: Params, X: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The output layer's input (pre-activation) and its output, for stable losses."""
    X = input_features.expand(spec.features, X)
    *hidden, (w, b) = params
    for (wh, bh), name in zip(hidden, spec.activations):
        X = activations.ACTIVATIONS[name](X @ wh + bh)
    z = X @ w + b
    return z, activations.ACTIVATIONS[spec.output_activation](z)


def forward_layers(spec: NetworkSpec, params: Params, X: jax.Array) -> list[jax.Array]:
    """Every layer's activations for rows ``X``: the hidden layers', then the output's."""
    X = input_features.expand(spec.features, X)
    out = []
    for (w, b), name in zip(params, spec.layer_activations):
        X = activations.ACTIVATIONS[name](X @ w + b)
        out.append(X)
    return out


def load_npz(path: str | os.PathLike, spec: NetworkSpec) -> Params:
    """Weights from an ``.npz`` with ``w0..w{L-1}`` (in, out) and ``b0..b{L-1}`` (out, 1).

    Read with nnviz's bounded reader: every member's declared shape is checked against the
    network before any data is read, so a small file that declares gigabytes is refused at once.
    """
    from . import limits
    from .npzfile import NpzError, read_npz

    name = os.fspath(path)
    if os.path.isfile(name) and not zipfile.is_zipfile(name):
        raise SpecError(f"{name} is not an .npz file of weights")
    shapes = spec.param_shapes()

    def check(headers) -> None:
        for i, (ws, (out,)) in enumerate(shapes):
            if f"w{i}" not in headers or f"b{i}" not in headers:
                raise SpecError(f"{name}: no w{i}/b{i}; the network has {spec.n_layers} layers "
                                f"({spec.shapes_text()})")
            w, b = headers[f"w{i}"], headers[f"b{i}"]
            if w.shape != ws or b.shape not in ((out, 1), (out,)):
                raise SpecError(f"{name}: layer {i} has w{i} {w.shape} and b{i} {b.shape}; the "
                                f"network {spec.shapes_text()} needs {ws} and {(out, 1)}")
            if w.dtype.kind not in "iuf" or b.dtype.kind not in "iuf":
                raise SpecError(f"{name}: layer {i} holds {w.dtype}/{b.dtype} values; weights "
                                "must be real numbers")

    # Real numbers of up to 8 bytes for every parameter, and a header's worth per member.
    bound = 8 * spec.n_params + limits.NPY_OVERHEAD_BYTES * (2 * spec.n_layers + 2)
    try:
        arrays = read_npz(name, max_bytes=bound, what=name, check=check,
                          names={f"{k}{i}" for i in range(spec.n_layers) for k in "wb"},
                          within=f"the weights of the network {spec.shapes_text()}")
    except NpzError as e:
        text = str(e)
        raise SpecError(text if name in text else f"{name}: {text}") from None
    layers = []
    for i in range(spec.n_layers):
        w, b = arrays[f"w{i}"], arrays[f"b{i}"]
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise SpecError(f"{name}: layer {i} holds NaN or infinite values")
        layers.append((w, b))
    return as_params(layers)


def save_npz(path: str | os.PathLike, params: Params) -> None:
    """Weights in the notebook's layout: ``w{i}`` (in, out), ``b{i}`` (out, 1)."""
    arrays = {}
    for i, (w, b) in enumerate(params):
        arrays[f"w{i}"] = np.asarray(w)
        arrays[f"b{i}"] = np.asarray(b).reshape(-1, 1)
    from .fileio import atomic_write
    with atomic_write(path) as f:  # a failed export leaves the file that was there
        np.savez(f, **arrays)
