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


def test_the_best_loss_is_exact_however_thinned_and_goes_with_a_copy_up_to_it():
    """A run at the edge of stability oscillates: its lowest loss sat at an odd epoch that the
    first thinning dropped, and "the run's best" read from the kept points rose as it ran
    (0.0001825, then 0.0003483, in one run)."""
    epochs = np.arange(1, 20_001)
    values = (1.0 / epochs + 0.3 * (epochs % 2)).astype(np.float32)  # the odd epochs high ...
    values[4_321 - 1] = 1e-6  # ... but one, the lowest of all, at an odd epoch
    h = LossHistory(capacity=64)
    for start in range(0, len(values), 1000):
        h.extend(start + 1, values[start:start + 1000])
    kept_epochs, kept = h.arrays()
    assert 4_321 not in kept_epochs and float(kept.min()) > 1e-5  # thinned away
    assert (h.best_epoch, h.best) == (4_321, float(np.float32(1e-6)))
    assert (h.copy().best_epoch, h.copy(upto=5_000).best_epoch) == (4_321, 4_321)
    before = h.copy(upto=4_000)  # a branch from before it: the lowest it can know
    assert before.best_epoch <= 4_000 and before.best == float(kept[kept_epochs <= 4_000].min())
    before.extend(4_001, np.array([1e-7], np.float32))  # ... and its own, exactly, from there
    assert (before.best_epoch, before.best) == (4_001, float(np.float32(1e-7)))
