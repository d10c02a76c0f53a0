"""Each mini-batch epoch's order (nnviz.core.shuffle): a permutation of the training points that,
to every statistic SGD could feel, behaves as one drawn uniformly -- and main's earlier affine
walk, kept here as a reference, fails the same tests (so they can fail)."""
from __future__ import annotations

import math
from collections import Counter

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from nnviz.core.shuffle import SMALL_N, shuffled_order


def _affine_walk(key, n):
    """main's order before the Feistel network (859524f): (a * j + b) mod 2^k, values < n."""
    k = max(1, (n - 1).bit_length())
    ka, kb = jax.random.split(key)
    a = jax.random.bits(ka, (), jnp.uint32) | jnp.uint32(1)
    b = jax.random.bits(kb, (), jnp.uint32)
    walk = (a * jnp.arange(1 << k, dtype=jnp.uint32) + b) & jnp.uint32((1 << k) - 1)
    return walk[jnp.nonzero(walk < n, size=n)[0]].astype(jnp.int32)


def _epochs(order, n, epochs, seed=11):
    """``epochs`` orders of n points, each from its own key (as the training loop splits them)."""
    keys = jax.random.split(jax.random.PRNGKey(seed), epochs)
    return np.asarray(jax.jit(jax.vmap(lambda k: order(k, n)))(keys))


def _p(observed, expected):
    """The chi-square test's p-value of counts ``observed`` against ``expected``."""
    observed = np.asarray(observed, float).ravel()
    expected = np.broadcast_to(expected, observed.shape)
    return stats.chi2.sf(((observed - expected) ** 2 / expected).sum(), observed.size - 1)


def _tests(orders: np.ndarray, batch: int) -> dict[str, float]:
    """p-values of what SGD sees of the orders (rows: epochs), were they uniform draws."""
    epochs, n = orders.shape
    # where each point goes: point j at position i, counted over epochs
    where = np.zeros((n, n))
    np.add.at(where, (orders, np.broadcast_to(np.arange(n), orders.shape)), 1)
    # which point follows which (the affine walk steps by a constant)
    follows = np.zeros((n, n))
    np.add.at(follows, (orders[:, :-1], orders[:, 1:]), 1)
    off = ~np.eye(n, dtype=bool)
    # which points share a batch (each unordered pair once)
    mates = np.zeros((n, n))
    batches = orders[:, : n // batch * batch].reshape(epochs, n // batch, batch)
    for u in range(batch):
        for v in range(u + 1, batch):
            lo = np.minimum(batches[..., u], batches[..., v])
            hi = np.maximum(batches[..., u], batches[..., v])
            np.add.at(mates, (lo, hi), 1)
    pairs = np.triu(off)
    per_pair = epochs * (n // batch) * math.comb(batch, 2) / math.comb(n, 2)
    # one epoch to the next: a point's position then against its position now
    pos = np.argsort(orders, axis=1)
    r = np.corrcoef(pos[:-1].ravel(), pos[1:].ravel())[0, 1]
    return {"positions": _p(where, epochs / n),
            "neighbours": _p(follows[off], epochs / n),
            "batch-mates": _p(mates[pairs], per_pair),
            "next epoch": 2 * stats.norm.sf(abs(r) * math.sqrt(pos[1:].size))}


def test_every_point_comes_once_an_epoch_in_an_order_of_the_epochs_own():
    keys = jax.random.split(jax.random.PRNGKey(5), 4)
    # n as a value (one compile for every n up to 4097), then n = 20,000 as an int
    draw = jax.jit(jax.vmap(lambda k, n: shuffled_order(k, n, 4097), in_axes=(0, None)))
    cases = [(n, np.asarray(draw(keys, n))[:, :n]) for n in
             (1, 2, 3, 7, 31, SMALL_N - 1, SMALL_N, SMALL_N + 1, 1000, 4096, 4097)]
    cases.append((20_000, _epochs(shuffled_order, 20_000, 4)))
    for n, orders in cases:
        for o in orders:
            np.testing.assert_array_equal(np.sort(o), np.arange(n))
        if n >= 7:
            assert len({tuple(o) for o in orders}) == 4


def test_the_order_is_the_keys_alone():
    a = shuffled_order(jax.random.PRNGKey(1), 999)
    np.testing.assert_array_equal(a, shuffled_order(jax.random.PRNGKey(1), 999))
    assert not np.array_equal(a, shuffled_order(jax.random.PRNGKey(2), 999))
    # compiled or not, alone or batched (a sweep's members), the same order
    keys = jax.random.split(jax.random.PRNGKey(3), 3)
    batched = jax.jit(jax.vmap(lambda k: shuffled_order(k, 999)))(keys)
    for k, o in zip(keys, batched):
        np.testing.assert_array_equal(o, shuffled_order(k, 999))


def test_a_padded_data_set_shuffles_its_real_points_as_it_would_unpadded():
    padded = jax.jit(lambda key, n: shuffled_order(key, n, 300))  # n traced, one compile
    key = jax.random.PRNGKey(4)
    for n in (0, 1, 37, SMALL_N, 300):
        o = np.asarray(padded(key, n))
        np.testing.assert_array_equal(o[:n], shuffled_order(key, n))
        assert np.all(o[n:] == max(n, 1) - 1)  # a real point: a padding row is never drawn


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="cannot shuffle 5 of 4"):
        shuffled_order(jax.random.PRNGKey(0), 5, 4)
    with pytest.raises(TypeError, match="size"):
        jax.jit(lambda n: shuffled_order(jax.random.PRNGKey(0), n))(3)


@pytest.mark.parametrize("n", [64, 300])  # the small sets' 24 rounds, and the 8 beyond
def test_positions_neighbours_and_batch_mates_spread_as_a_uniform_shuffles_would(n):
    assert (n < SMALL_N) == (n == 64)
    p = _tests(_epochs(shuffled_order, n, 1500), batch=10)
    assert min(p.values()) > 1e-4, p
    # main's affine walk: the next point and the batch-mates are far from a shuffle's
    walk = _tests(_epochs(_affine_walk, n, 1500), batch=10)
    assert walk["neighbours"] < 1e-12 and walk["batch-mates"] < 1e-12, walk


@pytest.mark.parametrize("n", [4, 5, 6])
def test_a_few_points_come_out_in_each_of_their_orders_equally_often(n):
    count = math.factorial(n)
    orders = _epochs(shuffled_order, n, 60 * count)
    seen = Counter(map(tuple, orders))
    assert len(seen) == count
    assert _p(list(seen.values()), 60) > 1e-4
