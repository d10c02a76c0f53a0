"""Each mini-batch epoch's order of the training points: a keyed random permutation of 0..n-1,
computed element by element (no sort).

A sort of n random keys (``jax.random.permutation`` sorts several times over) took 58-89% of a
mini-batch epoch from a few thousand points on: XLA's CPU sort costs several milliseconds at
20,000 keys. Here position ``i`` of the epoch's order is ``P(i)`` for a permutation ``P`` that is
evaluated on every position at once in O(n) vector arithmetic:

- The positions 0..a*b-1 are the cells ``(i // b, i % b)`` of an a x b grid, ``a = ceil(sqrt
  n)``, ``b = ceil(n / a)`` (so ``n <= a*b < n + a``).
- ``P`` is a Feistel network on the grid (Black and Rogaway's cipher on an arbitrary finite
  domain, as in format-preserving encryption): ``ROUNDS`` = 8 rounds (24 below ``SMALL_N`` =
  256 points, where a round of a small grid mixes less) that alternately add to the row a hash
  of the column (mod a), and to the column a hash of the row (mod b). Each round is a bijection
  whatever its hash, so ``P`` is one; the hash is murmur3's 32-bit finaliser of the value XOR
  the round's key, 32 random bits drawn from the epoch's jax key.
- Cycle walking keeps the values below n: where ``P(i) >= n``, ``P`` is applied again until the
  value is below n, which gives a permutation of 0..n-1. Fewer than ``a`` values (~sqrt n) of
  the grid are >= n, so instead of walking every position, the few positions that need it are
  found by running ``P`` backwards from those values, and fixed afterwards.

What it is, precisely: a pseudo-random permutation keyed by the epoch's 64-bit jax key, so one
of at most 2^64 orders of the n! (as ``jax.random.permutation``'s are). It is not a
cryptographic cipher, but to the statistics SGD could feel it is a uniform draw: every index
once an epoch; over epochs, each point equally often at each position, after each other point
and in a batch with each other point; a point's position unrelated from one epoch to the next;
3 to 6 points come out in each of their n! orders equally often (chi-square tests in
tests/core/test_shuffle.py, which main's earlier affine walk fails). Everything is decided by
the epoch's key: the same key gives the same order on any machine, compiled or not, alone or
vmapped, and ``n`` may be a traced value with a larger static ``size`` (padded data), whose
order over the real points is the same as without the padding.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

ROUNDS = 8  # Feistel rounds (with 4, consecutive positions are visibly related; see the tests)
SMALL_N, SMALL_ROUNDS = 256, 24  # a grid of few rows and columns mixes less a round: below 256
# points (grids up to 16 x 16), 24 rounds; then even the 720 orders of 6 points come up equally
MAX_N = 1 << 24  # the grid's cells are split with float32 arithmetic, exact below 2^24


def _hash(v, key, m):
    """A pseudo-random value in 0..m-1 (m <= 2^16) of ``v`` under ``key`` (uint32 arrays):
    murmur3's finaliser of ``v ^ key``, its top 16 bits scaled to m (a multiply, no division)."""
    h = v ^ key
    h = (h ^ (h >> 16)) * jnp.uint32(0x85EBCA6B)
    h = (h ^ (h >> 13)) * jnp.uint32(0xC2B2AE35)
    h = h ^ (h >> 16)
    return ((h >> 16) * m) >> 16


def _feistel(row, col, keys, a, b, inverse=False):
    """The grid cell (row, col) moved by the Feistel network (or back, ``inverse``)."""
    if len(keys) > ROUNDS:
        return _feistel_looped(row, col, keys, a, b, inverse)
    steps = range(len(keys))
    for r in reversed(steps) if inverse else steps:
        if r % 2 == 0:
            h = _hash(col, keys[r], a)
            row = jnp.where(row >= h, row - h, row + a - h) if inverse else (
                jnp.where(row + h >= a, row + h - a, row + h))
        else:
            h = _hash(row, keys[r], b)
            col = jnp.where(col >= h, col - h, col + b - h) if inverse else (
                jnp.where(col + h >= b, col + h - b, col + h))
    return row, col


def _feistel_looped(row, col, keys, a, b, inverse):
    """_feistel's same operations in a loop over pairs of rounds: the 24 rounds of a small grid,
    written out four times in an order, made its compile take ~1 s of CPU (0.5 s looped) in
    every mini-batch run's first epoch; looped, a small grid's order also runs faster (7 against
    10 us at 160 points), while from 256 points on, 8 rounds written out run faster than looped
    (bench/shuffle.py)."""
    pairs = keys.reshape(-1, 2)
    last = pairs.shape[0] - 1

    def forward(p, rc):
        row, col = rc
        h = _hash(col, pairs[p, 0], a)
        row = jnp.where(row + h >= a, row + h - a, row + h)
        h = _hash(row, pairs[p, 1], b)
        return row, jnp.where(col + h >= b, col + h - b, col + h)

    def backward(q, rc):
        row, col = rc
        h = _hash(row, pairs[last - q, 1], b)
        col = jnp.where(col >= h, col - h, col + b - h)
        h = _hash(col, pairs[last - q, 0], a)
        return jnp.where(row >= h, row - h, row + a - h), col

    return jax.lax.fori_loop(0, last + 1, backward if inverse else forward, (row, col))


def _cells(i, b):
    """(i // b, i % b) of the uint32 array i < 2^24, with float32 arithmetic (XLA's CPU integer
    division by a value known only at run time is not vectorised): the quotient is off by at
    most one, and corrected."""
    q = jnp.floor(i.astype(jnp.float32) / b.astype(jnp.float32)).astype(jnp.int32)
    bi = b.astype(jnp.int32)
    r = i.astype(jnp.int32) - q * bi
    q = jnp.where(r < 0, q - 1, jnp.where(r >= bi, q + 1, q))
    r = i.astype(jnp.int32) - q * bi
    return q.astype(jnp.uint32), r.astype(jnp.uint32)


def shuffled_order(key: jax.Array, n, size: int | None = None) -> jax.Array:
    """The indices 0..n-1 in a random order drawn from ``key`` (int32, length ``size``).

    ``n``: the number of points to shuffle, an int or a jax integer (traced in a compiled
    function); ``size`` (an int >= n; default n): the length of the answer, so that a data set
    padded to ``size`` points shuffles only its first n, the real ones, into the same order as
    unpadded: the first n entries are ``shuffled_order(key, n)``'s, the rest are n - 1 (a real
    point, never a padding row). Linear in ``size``, no sort;
    see the module's docstring."""
    static = not isinstance(n, jax.Array)
    if static:
        n = int(n)
    if size is None:
        if not static:
            raise TypeError("shuffled_order needs an int size when n is a jax value")
        size = n
    size = int(size)
    if static and not 0 <= n <= size:
        raise ValueError(f"cannot shuffle {n} of {size} points")
    if size > MAX_N:
        raise ValueError(f"cannot shuffle more than {MAX_N} points")
    if size == 0:
        return jnp.zeros(0, jnp.int32)
    return (_static_order if static else _traced_order)(key, n, size)


def _drawn(key, n, size):
    keys = jax.random.bits(key, (SMALL_ROUNDS,), jnp.uint32)
    if isinstance(n, int):
        return _order(n, size, keys if n < SMALL_N else keys[:ROUNDS])
    return jax.lax.cond(n < SMALL_N, lambda: _order(n, size, keys),
                        lambda: _order(n, size, keys[:ROUNDS]))


def _order(n, size, keys):
    """shuffled_order's answer with the Feistel network of these round keys."""
    nn = jnp.maximum(jnp.asarray(n, jnp.uint32), jnp.uint32(1))
    # the grid: a = ceil(sqrt(n)) (the float root corrected by one either way), b = ceil(n / a)
    a = jnp.ceil(jnp.sqrt(nn.astype(jnp.float32))).astype(jnp.uint32)
    a = jnp.where(a * a < nn, a + 1, jnp.where((a - 1) * (a - 1) >= nn, a - 1, a))
    b = (nn + a - 1) // a

    # every position's value under P
    i = jnp.arange(size, dtype=jnp.uint32)
    row, col = _feistel(*_cells(i, b), keys, a, b)
    real = i < jnp.asarray(n, jnp.uint32)
    order = jnp.where(real, row * b + col, nn - 1)  # past n: a real point, never padding

    # Cycle walking. The values of P that are >= n: y = n..a*b-1 (fewer than a of them). Where
    # such a y = P(x) with x < n, position x walks on from y (P(y), P(P(y)), ...) to the first
    # value below n.
    spare = int((size - 1) ** 0.5) + 2  # > a - 1 >= a*b - n for any n <= size
    y = nn + jnp.arange(spare, dtype=jnp.uint32)
    used = y < a * b
    x = jnp.where(used, jnp.stack(_feistel(*_cells(y, b), keys, a, b, inverse=True)), 0)
    x = x[0] * b + x[1]
    walks = used & (x < nn)  # (a y whose x is >= n too is the middle of a walk, not its start)
    z = jnp.stack(_feistel(*_cells(y, b), keys, a, b))

    def outside(z):
        return walks & (z[0] * b + z[1] >= nn)

    def walk(z):
        return jnp.where(outside(z), jnp.stack(_feistel(z[0], z[1], keys, a, b)), z)

    z = jax.lax.while_loop(lambda z: jnp.any(outside(z)), walk, z)
    fix = jnp.where(walks, x, size).astype(jnp.int32)
    order = order.at[fix].set(z[0] * b + z[1], mode="drop")
    return order.astype(jnp.int32)


# compiled once per size (and n, when it is an int): called alone (the Backprop view's next
# batch), it runs as one program, not op by op; inside a compiled epoch, as part of it
_static_order = jax.jit(_drawn, static_argnums=(1, 2))
_traced_order = jax.jit(_drawn, static_argnums=(2,))
