import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons

from nnviz.core.data import (CLASSIFICATION, DATASETS, REGRESSION, DataError, DataSpec,
                             make_dataset)


def test_moons_defaults_are_the_notebooks_make_moons_in_order():
    d = make_dataset(DataSpec("moons", test_fraction=0))
    X, y = make_moons(200, noise=0.1, random_state=0)
    np.testing.assert_array_equal(d.X, X.astype(np.float32))
    np.testing.assert_array_equal(d.y, y)
    np.testing.assert_array_equal(d.X_train, d.X)  # test fraction 0: every point, own order


def test_blobs_defaults_are_the_notebooks_make_blobs():
    d = make_dataset(DataSpec("blobs", test_fraction=0))
    X, y = make_blobs(200, centers=[[0, 1], [0, -1]], random_state=0)
    np.testing.assert_array_equal(d.X, X.astype(np.float32))
    np.testing.assert_array_equal(d.y, y)


def test_line_is_the_notebooks_regression_data():
    np.random.seed(42)  # the notebook's first cell, then its line cell
    x = np.linspace(0.0, 10.0, 100)
    y = 2.31531 * x + 0.23412 + np.random.normal(size=(x.size))
    d = make_dataset(DataSpec("line", test_fraction=0))
    assert d.task == REGRESSION and d.X.shape == (100, 1)
    np.testing.assert_array_equal(d.X[:, 0], x.astype(np.float32))
    np.testing.assert_array_equal(d.y, y.astype(np.float32))


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_is_reproducible_and_well_formed(name):
    a = make_dataset(DataSpec(name, seed=3))
    b = make_dataset(DataSpec(name, seed=3))
    c = make_dataset(DataSpec(name, seed=4))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.test_index, b.test_index)
    assert not np.array_equal(a.X, c.X) or name == "line"  # line's x is a fixed linspace
    assert a.X.dtype == np.float32 and np.isfinite(a.X).all()
    assert len(a.X) == DATASETS[name].samples
    assert a.task == DATASETS[name].task
    if a.task == CLASSIFICATION:
        assert set(np.unique(a.y)) == set(range(a.n_classes)) and a.n_classes >= 2
    # the split: 20% test by default, disjoint, covering everything
    assert len(a.test_index) == round(0.2 * len(a.X))
    assert sorted(np.concatenate([a.train_index, a.test_index])) == list(range(len(a.X)))


@pytest.mark.parametrize("k", [3, 5, 8])
def test_multiclass_has_k_classes(k):
    d = make_dataset(DataSpec("multiclass", classes=k))
    assert d.n_classes == k and set(np.unique(d.y)) == set(range(k))


def test_samples_and_noise_change_the_data():
    assert len(make_dataset(DataSpec("spiral", samples=500)).X) == 500
    quiet = make_dataset(DataSpec("moons", noise=0.0))
    loud = make_dataset(DataSpec("moons", noise=0.5))
    assert not np.array_equal(quiet.X, loud.X)


@pytest.mark.parametrize("kwargs, words", [
    (dict(name="mooons"), "unknown data set 'mooons'"),
    (dict(samples=0), "sample count"),
    (dict(samples=10**9), "sample count"),
    (dict(noise=-1.0), "noise"),
    (dict(noise=float("nan")), "noise"),
    (dict(test_fraction=1.0), "test fraction"),
    (dict(classes=2), "class count"),
    (dict(seed=-1), "seed"),
])
def test_bad_settings_are_refused_with_a_reason(kwargs, words):
    with pytest.raises(DataError, match=words):
        DataSpec(**kwargs)
