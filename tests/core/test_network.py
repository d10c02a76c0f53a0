import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnviz.core import activations
from nnviz.core.network import (NetworkSpec, SpecError, forward, init_params, load_npz,
                                save_npz)


def test_default_spec_is_the_notebooks_network():
    s = NetworkSpec()
    assert s.shapes_text() == "2 -> 4 -> 10 -> 4 -> 1"
    assert s.n_params == (2 * 4 + 4) + (4 * 10 + 10) + (10 * 4 + 4) + (4 * 1 + 1)


@pytest.mark.parametrize("kwargs, words", [
    (dict(hidden=(4, 0, 4), activations=("relu",) * 3), "hidden layer 2: width must be 1..512, got 0"),
    (dict(hidden=(513,), activations=("relu",)), "width must be 1..512"),
    (dict(hidden=(2,) * 17, activations=("relu",) * 17), "at most 16 hidden layers"),
    (dict(hidden=(4,), activations=("relu", "relu")), "need as many activations"),
    (dict(hidden=(4,), activations=("relux",)), "unknown activation 'relux'"),
    (dict(output_activation="nope"), "unknown activation 'nope'"),
    (dict(init_scheme="zeros"), "unknown init scheme 'zeros'"),
    (dict(input_dim=0), "input width"),
])
def test_invalid_specs_are_refused_with_a_readable_reason(kwargs, words):
    with pytest.raises(SpecError, match=words):
        NetworkSpec(**kwargs)


def test_spec_is_frozen_and_hashable():
    s = NetworkSpec()
    with pytest.raises(Exception):
        s.hidden = (1,)
    assert hash(s) == hash(NetworkSpec())


def test_zero_hidden_layers_is_logistic_regression_shaped():
    s = NetworkSpec(hidden=(), activations=())
    assert s.shapes_text() == "2 -> 1" and s.n_params == 3


@pytest.mark.parametrize("scheme", ["normal", "glorot", "he", "uniform"])
def test_init_schemes_have_their_scale(scheme):
    s = NetworkSpec.build(256, (256,), "relu", 1, "linear", scheme)
    (w, b), _ = init_params(s, seed=1)
    w, b = np.asarray(w), np.asarray(b)
    expected_std = {"normal": 1.0, "glorot": np.sqrt(2 / 512), "he": np.sqrt(2 / 256),
                    "uniform": 1 / np.sqrt(12)}[scheme]
    assert w.std() == pytest.approx(expected_std, rel=0.05)
    assert np.all(b == (0.1 if scheme == "uniform" else 0.0))
    if scheme == "uniform":
        assert w.min() >= -0.5 and w.max() <= 0.5


def test_init_is_seeded():
    s = NetworkSpec()
    a, b, c = init_params(s, 5), init_params(s, 5), init_params(s, 6)
    np.testing.assert_array_equal(a[0][0], b[0][0])
    assert not np.array_equal(a[0][0], c[0][0])


def test_forward_is_the_notebooks_layer_stack():
    s = NetworkSpec()
    p = init_params(s, 0)
    X = np.random.default_rng(0).normal(size=(7, 2)).astype(np.float32)
    h = X.T  # the notebook's layout: (features, N)
    for w, b in p:
        h = 1 / (1 + np.exp(-(np.asarray(w).T @ h + np.asarray(b)[:, None])))
    np.testing.assert_allclose(np.asarray(forward(s, p, X)), h.T, rtol=1e-5)


def test_npz_round_trip_in_the_notebook_layout(tmp_path):
    s = NetworkSpec()
    p = init_params(s, 3)
    path = tmp_path / "w.npz"
    save_npz(path, p)
    with np.load(path) as f:
        assert f["w0"].shape == (2, 4) and f["b0"].shape == (4, 1) and f["b3"].shape == (1, 1)
    q = load_npz(path, s)
    for (w1, b1), (w2, b2) in zip(p, q):
        np.testing.assert_array_equal(w1, w2)
        np.testing.assert_array_equal(b1, b2)


def test_npz_with_wrong_shapes_is_a_clear_error(tmp_path):
    path = tmp_path / "w.npz"
    save_npz(path, init_params(NetworkSpec(hidden=(3, 10, 4), activations=("sigmoid",) * 3), 0))
    with pytest.raises(SpecError, match=r"layer 0 has w0 \(2, 3\).*needs \(2, 4\)"):
        load_npz(path, NetworkSpec())
    short = tmp_path / "short.npz"
    np.savez(short, w0=np.zeros((2, 4)), b0=np.zeros((4, 1)))
    with pytest.raises(SpecError, match="no w1/b1"):
        load_npz(short, NetworkSpec())
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(SpecError, match="not an .npz"):
        load_npz(junk, NetworkSpec())


REFERENCE = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "cos": np.cos,
    "sin": np.sin,
    "linear": lambda x: x,
    "leaky-relu": lambda x: np.where(x >= 0, x, 0.01 * x),
    "elu": lambda x: np.where(x >= 0, x, np.expm1(np.minimum(x, 0))),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "swish": lambda x: x / (1 + np.exp(-x)),
    "gelu": None,  # checked by its shape below
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True),
}


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_each_activation_computes_its_formula(name):
    x = np.linspace(-4, 4, 24, dtype=np.float32).reshape(4, 6)
    got = np.asarray(activations.get(name)(x))
    assert got.shape == x.shape
    if REFERENCE[name] is None:  # gelu: ~x for large x, ~0 for very negative x, 0 at 0
        assert got[-1, -1] == pytest.approx(4, abs=1e-3) and abs(got[0, 0]) < 1e-3
    else:
        np.testing.assert_allclose(got, REFERENCE[name](x.astype(np.float64)), rtol=1e-5, atol=1e-6)
    assert name in activations.DESCRIPTIONS


def test_unknown_activation_names_the_known_ones():
    with pytest.raises(ValueError, match="known: linear, sigmoid"):
        activations.get("sigmoidd")


def _formula_sigmoid(x):
    return 1.0 / (1.0 + jnp.exp(-x))  # the notebook's, differentiated by plain autodiff


def test_sigmoid_gradient_is_zero_where_exp_overflows_not_nan():
    # exp(200) overflows float32: plain autodiff of 1 / (1 + exp(-x)) gives inf / inf = NaN
    # there, and a wide N(0, 1) network's output logits of -290 made every step NaN.
    x = jnp.array([-1e30, -300.0, -200.0, -89.0, 89.0, 200.0, 1e30], jnp.float32)
    assert np.isnan(np.asarray(jax.vmap(jax.grad(_formula_sigmoid))(x))[2])  # the bug it fixes
    g = np.asarray(jax.vmap(jax.grad(activations.sigmoid))(x))
    np.testing.assert_array_equal(g, 0.0)  # the true slope there is below 1e-38
    g2 = np.asarray(jax.vmap(jax.grad(jax.grad(activations.sigmoid)))(x))  # the sharpness's
    np.testing.assert_array_equal(g2, 0.0)
    np.testing.assert_array_equal(np.asarray(activations.sigmoid(x)), [0, 0, 0, 0, 1, 1, 1])


def test_sigmoid_gradient_is_the_formulas_bit_for_bit_where_finite():
    # The notebook's losses are reproduced to the digit: the fix may not move one bit there.
    x = jnp.asarray(np.r_[np.linspace(-88, 88, 4001), np.random.default_rng(0).normal(0, 8, 4000)],
                    jnp.float32)
    ct = jnp.asarray(np.random.default_rng(1).normal(0, 3, x.shape), jnp.float32)
    for f in (jax.grad, lambda h: jax.jit(jax.grad(h))):
        old = np.asarray(f(lambda v: jnp.sum(ct * _formula_sigmoid(v)))(x))
        new = np.asarray(f(lambda v: jnp.sum(ct * activations.sigmoid(v)))(x))
        assert np.all(np.isfinite(old))
        assert old.tobytes() == new.tobytes()
    assert (np.asarray(activations.sigmoid(x)).tobytes()
            == np.asarray(_formula_sigmoid(x)).tobytes())
