import numpy as np

from nnviz.core.history import LossHistory


def test_history_keeps_everything_while_it_fits():
    h = LossHistory(capacity=16)
    h.extend(1, np.arange(10, dtype=np.float32))
    e, v = h.arrays()
    np.testing.assert_array_equal(e, np.arange(1, 11))
    np.testing.assert_array_equal(v, np.arange(10))
    assert h.last == 9 and h.count == 10


def test_history_stays_bounded_over_a_million_epochs_and_keeps_the_shape():
    h = LossHistory(capacity=1024)
    epoch = 1
    for _ in range(250):
        values = 1.0 / np.arange(epoch, epoch + 4000, dtype=np.float32)
        h.extend(epoch, values)
        epoch += 4000
    e, v = h.arrays()
    assert h.count == 1_000_000 and len(e) <= 1024 and len(e) > 256
    assert np.all(np.diff(e) > 0)  # ordered, no duplicates
    np.testing.assert_allclose(v, 1.0 / e, rtol=1e-6)  # each kept point is that epoch's value
    assert e[-1] > 990_000 and e[0] <= h.stride * 2


def test_a_thinned_history_still_starts_at_epoch_one():
    """The curve's first point, the loss before any learning, survives every thinning."""
    for chunk in (1, 7, 4096):
        h = LossHistory(capacity=64)
        epoch = 1
        while epoch <= 20_000:
            h.extend(epoch, np.full(chunk, epoch, np.float32))
            epoch += chunk
        e, v = h.arrays()
        assert h.stride >= 256 and len(e) <= 64
        assert e[0] == 1 and v[0] == 1.0 and np.all(np.diff(e) > 0)
