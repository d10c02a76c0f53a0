"""The generated-data cache: the window opens without importing scikit-learn, same bytes."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from nnviz.core import data
from nnviz.core.data import DataSpec, make_dataset


@pytest.fixture
def cache(tmp_path):
    folder = data.enable_cache(tmp_path / "data")
    yield folder
    data.disable_cache()


def _same(a, b):
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.X.dtype == b.X.dtype and a.y.dtype == b.y.dtype
    np.testing.assert_array_equal(a.train_index, b.train_index)


@pytest.mark.parametrize("spec", [DataSpec("moons"), DataSpec("blobs", noise=0.3, seed=3),
                                  DataSpec("circles", samples=150),
                                  DataSpec("multiclass", classes=4)])
def test_a_cached_data_set_is_the_generated_one_byte_for_byte(cache, spec):
    data.disable_cache()
    fresh = make_dataset(spec)
    data.enable_cache(cache)
    first, again = make_dataset(spec), make_dataset(spec)  # the second read from the file
    assert len(list(cache.glob("*.npz"))) == 1
    _same(fresh, first)
    _same(fresh, again)


def test_another_spec_is_another_entry_and_own_generators_are_not_cached(cache):
    make_dataset(DataSpec("moons"))
    make_dataset(DataSpec("moons", noise=0.2))
    make_dataset(DataSpec("xor"))
    make_dataset(DataSpec("line"))
    assert len(list(cache.glob("*.npz"))) == 2


def test_a_damaged_cache_file_is_regenerated(cache):
    good = make_dataset(DataSpec("moons"))
    (entry,) = cache.glob("*.npz")
    entry.write_bytes(b"PK\x03\x04 not really a zip")
    _same(good, make_dataset(DataSpec("moons")))
    _same(good, make_dataset(DataSpec("moons")))  # and the file was written afresh


def test_a_cache_that_cannot_be_written_only_costs_the_cache(tmp_path):
    folder = data.enable_cache(tmp_path / "gone")
    try:
        folder.rmdir()
        folder.write_text("a file where the folder was: nothing can be written there")
        assert make_dataset(DataSpec("moons")).X.shape == (200, 2)
    finally:
        data.disable_cache()


def test_with_a_warm_cache_the_app_never_imports_scikit_learn(tmp_path):
    """scikit-learn's import is half of nnviz's: the notebook's moons come from the cache."""
    code = ("import sys; from nnviz import cli; from nnviz.core import data, compile_cache;"
            "data.enable_cache(compile_cache.default_dir().parent / 'data');"
            "d = data.make_dataset(); print('sklearn' in sys.modules, d.X.shape)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, timeout=120).stdout.split()[0] for _ in range(2)]
    assert runs == ["True", "False"]  # the first run filled the cache
