"""Padded training data (issue 14): a point added or deleted keeps every array's shape, so the
window's run goes on from its weights and epoch without compiling; the numbers are the
unpadded run's to float32 rounding."""
from __future__ import annotations

import jax
import numpy as np
import pytest

from nnviz.core import compiled, csvdata, runlog, training
from nnviz.core import loop as L
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.inspect import gradient_row
from nnviz.core.problem import Choices, make_problem, notebook_problem
from nnviz.core.training import Trainer, padded_size, shuffled_order


def _pair(data, choices=Choices()):
    p = make_problem(data, choices)
    return (Trainer(p.spec, p.config, data, seed=p.seed),
            Trainer(p.spec, p.config, data, seed=p.seed, padded=True))


def _params_close(a, b, rtol):
    """Equal to ``rtol`` (0: bit for bit)."""
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)):
        if rtol == 0:
            assert np.array_equal(np.asarray(x), np.asarray(y))
        else:
            np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=rtol, atol=1e-6)


def test_padded_sizes_leave_room_and_waste_little():
    sizes = [padded_size(n) for n in range(0, 5000)]
    assert all(s > n for n, s in enumerate(sizes))  # always room for one more point
    assert all(a <= b for a, b in zip(sizes, sizes[1:]))
    assert all(s <= 1.125 * (n + 1) for n, s in enumerate(sizes) if n >= 16)
    assert len(set(sizes[16:])) < 70  # a handful of sizes: few compiles
    assert padded_size(160) == 176 and padded_size(200) == 208  # the notebook's window / CLI


@pytest.mark.parametrize("data,choices", [
    (DataSpec("moons", test_fraction=0), Choices()),  # the notebook's: mse, full batch
    (DataSpec("moons", samples=203), Choices(batch_size=16, optimizer="adam")),
    (DataSpec("moons", samples=150), Choices(batch_size=8, optimizer="momentum")),
    (DataSpec("spiral", samples=201), Choices(loss="cross-entropy")),  # softmax
    (DataSpec("circles", samples=199), Choices(loss="bce")),
    (DataSpec("multiclass", samples=181, classes=3), Choices()),  # mse, one-hot
    (DataSpec("line", samples=77), Choices(learning_rate=0.01)),  # regression, R^2
])
def test_the_padded_run_is_the_unpadded_run(data, choices):
    a, b = _pair(make_dataset(data), choices)
    assert b.data_size[0] > len(a.data.train_index)  # there is padding
    la, lb = a.run(200).losses, b.run(200).losses
    np.testing.assert_allclose(lb, la, rtol=2e-5)
    for x, y in zip(a.evaluate().__dict__.values(), b.evaluate().__dict__.values()):
        np.testing.assert_allclose(y, x, rtol=1e-5)
    np.testing.assert_allclose(b.test_loss(), a.test_loss(), rtol=1e-5)
    for x, y in zip(gradient_row(a), gradient_row(b)):
        np.testing.assert_allclose(y, x, rtol=1e-4)


def test_mini_batches_never_draw_a_padding_point():
    n, size = 203, padded_size(203)
    key = jax.random.PRNGKey(3)
    for k in range(5):
        key, sub = jax.random.split(key)
        order = np.asarray(shuffled_order(sub, np.int32(n), size))
        assert order.shape == (size,) and order.max() < n
        assert np.array_equal(order[:n], np.asarray(shuffled_order(sub, n)))
    # Poisoned padding rows: a single draw of one would make the loss NaN (a divergence).
    a, b = _pair(make_dataset(DataSpec("moons", samples=203)), Choices(batch_size=10))
    X = np.asarray(b._X_run).copy()
    X[n:] = np.nan
    b._X_run = jax.numpy.asarray(X)
    r = b.run(300)
    assert not r.diverged and np.all(np.isfinite(r.losses))
    np.testing.assert_allclose(r.losses, a.run(300).losses, rtol=2e-5)


def test_divergence_is_found_at_the_same_epoch():
    # lr 100 with ReLU and a linear output: 3.6, 1e19, ..., inf (as test_training's).
    data = make_dataset(DataSpec("moons"))
    a, b = _pair(data, Choices(activations=("relu",) * 3, output_activation="linear",
                               learning_rate=100.0))
    ra, rb = a.run(500), b.run(500)
    assert ra.diverged and rb.diverged
    assert len(ra.losses) == len(rb.losses) and a.best_epoch == b.best_epoch
    np.testing.assert_allclose(rb.losses, ra.losses, rtol=1e-5)
    _params_close(b.params, a.params, 1e-5)  # the same best weights put back


def test_set_data_within_a_size_goes_on_without_a_compile():
    data = make_dataset(DataSpec("moons", test_fraction=0))
    p = make_problem(data)
    t = Trainer(p.spec, p.config, data, seed=p.seed)
    t.run(50)
    assert t.set_data(csvdata.with_point_added(data, (0.1, 0.2), 1))  # unpadded -> padded
    t.run(5)
    traces, counts = training.TRACE_COUNT["chunk"], compiled.cached_counts()
    more = csvdata.with_point_added(t.data, (0.3, -0.2), 0)
    assert len(more.train_index) == 202 and not t.set_data(more)  # 208 rows still
    state, epoch = t.state, t.epoch
    losses = t.run(100).losses
    less = csvdata.with_point_removed(more, 5)
    assert not t.set_data(less)
    t.run(10)
    assert training.TRACE_COUNT["chunk"] == traces and compiled.cached_counts() == counts
    assert epoch == 55 and t.epoch == 165
    # The epochs after the edit are an unpadded run's on the new points from the same state.
    ref = Trainer(p.spec, p.config, more, seed=p.seed)
    ref.state, ref.epoch = state, epoch
    np.testing.assert_allclose(losses, ref.run(100).losses, rtol=2e-5)


def _loop(problem):
    lp = L.TrainLoop()
    lp.post(L.NewProblem(1, problem))
    lp.work_once()
    return lp


def test_the_loop_goes_on_through_point_edits_and_replays_them_exactly():
    p = notebook_problem()
    lp = _loop(p)
    lp.post(L.EditingPoints(True))
    lp.post(L.Step(100))
    lp.work_once()
    lp.prepared.result()  # compiled ahead, beside the training
    traces, counts = training.TRACE_COUNT["chunk"], compiled.cached_counts()
    d1 = csvdata.with_point_added(p.dataset, (0.5, 0.5), 1)
    lp.post(L.SetData(d1))
    lp.post(L.Step(50))
    lp.work_once()
    d2 = csvdata.with_point_removed(d1, 3)
    lp.post(L.SetData(d2))
    lp.post(L.Step(50))
    lp.work_once()
    assert training.TRACE_COUNT["chunk"] == traces and compiled.cached_counts() == counts
    assert lp.run_id == 1 and lp.trainer.epoch == 200 and lp.history.count == 200
    pinned = [(c.epoch, c.pinned) for c in lp.log.checkpoints if c.pinned]
    assert pinned == [(0, "start"), (100, "points"), (150, "points")]
    live = lp.trainer.state
    # The run log replays every stretch on its own points: the state at 200 from epoch 0.
    before = runlog.state_at(lp.trainer, lp.log, 100 - 7)[1]
    ref = Trainer(p.spec, p.config, p.dataset, seed=p.seed)
    ref.run(93)
    _params_close(before.params, ref.params, 0)  # before the edit: the unpadded run, bit for bit
    lp.log.checkpoints[:] = [c for c in lp.log.checkpoints if c.pinned]  # replay long stretches
    for epoch in (120, 150, 170, 200):
        at, state = runlog.state_at(lp.trainer, lp.log, epoch)
        assert at == epoch
        if epoch == 200:
            _params_close(state.params, live.params, 0)  # the live run, bit for bit
    # ... and they are the unpadded runs on each stretch's points, to float32 rounding.
    ref.run(7)
    for data, n in ((d1, 50), (d2, 50)):
        r = Trainer(p.spec, p.config, data, seed=p.seed)
        r.state, r.epoch = ref.state, ref.epoch
        r.run(n)
        ref = r
    _params_close(live.params, ref.params, 1e-4)


def test_crossing_a_size_compiles_once_in_the_loop_and_goes_on():
    data = make_dataset(DataSpec("moons", samples=60, test_fraction=0))
    lp = _loop(make_problem(data))
    lp.post(L.SetData(csvdata.with_point_added(data, (0.0, 0.0), 0)))
    lp.post(L.Step(30))
    lp.work_once()
    size = lp.trainer.data_size[0]
    d = lp.trainer.data
    while padded_size(len(d.train_index)) == size:
        d = csvdata.with_point_added(d, (0.1, 0.1), 1)
    traces = training.TRACE_COUNT["chunk"]
    lp.post(L.SetData(d))
    lp.post(L.Step(30))
    lp.work_once()
    assert training.TRACE_COUNT["chunk"] == traces + 1
    assert lp.trainer.data_size[0] > size and lp.trainer.epoch == 60 and lp.history.count == 60


def test_an_export_after_point_edits_holds_the_real_points_only():
    from nnviz.core import export
    data = make_dataset(DataSpec("moons", samples=60, test_fraction=0))
    p = make_problem(data)
    t = Trainer(p.spec, p.config, data, seed=p.seed)
    edited = csvdata.with_point_added(data, (0.25, 0.75), 1)
    t.set_data(edited)
    assert t.padded and t.data_size[0] == padded_size(61) > 61
    plain = Trainer(p.spec, p.config, edited, seed=p.seed)
    plain.initial_params = t.initial_params
    assert export.script_text(t, 10) == export.script_text(plain, 10)
    assert "0.25" in export.script_text(t, 10)
