"""Backpropagation by hand (nnviz.core.backprop) equals jax.grad, and the step equals the run's."""
from __future__ import annotations

import functools

import jax
import numpy as np
import pytest

from nnviz.core import activations, backprop, losses
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import forward
from nnviz.core.training import TrainConfig, Trainer, network_for

ACTIVATIONS = tuple(activations.ACTIVATIONS)
# (loss, output activation, data set): every loss, with the output activations it is used with
LOSS_CASES = [("mse", "sigmoid", "moons"), ("mse", "linear", "sine"), ("mse", "linear", "line"), ("mse", "softmax", "multiclass"),
              ("bce", "sigmoid", "moons"), ("bce", "tanh", "moons"),
              ("cross-entropy", "softmax", "multiclass"), ("cross-entropy", "linear", "moons")]


def trainer(act="sigmoid", loss="mse", out="sigmoid", name="moons", hidden=(4, 5), opt="gd",
            lr=0.5, batch=0, l1=0.0, l2=0.0, samples=60) -> Trainer:
    data = make_dataset(DataSpec(name, samples=samples, seed=3))
    spec = network_for(data, loss, hidden, (act,) * len(hidden), out)
    return Trainer(spec, TrainConfig(loss, opt, lr, batch, l1, l2), data, seed=1)


@functools.lru_cache
def _jax_value_and_grad(spec, loss):
    """jax's value and gradient of one point's loss, jitted: one compile per network and loss,
    where op-by-op it compiled dozens of small programs."""
    return jax.jit(jax.value_and_grad(lambda p, x, T: losses.data_loss(spec, loss, p, x, T)))


def jax_point_grad(t: Trainer, params, i: int):
    x, T = t.X_train[i:i + 1], t.T_train[i:i + 1]
    value, g = _jax_value_and_grad(t.spec, t.config.loss)(params, x, T)
    return float(value), [(np.asarray(a), np.asarray(b)) for a, b in g]


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_every_activation_backpropagates_as_jax_grad(act):
    t = trainer(act)
    for i in (0, 7, 31):
        layers, per = backprop.hand_pass(t.spec, "mse", t.params, t.data.X_train[i],
                                         np.asarray(t.T_train)[i:i + 1])
        value, g = jax_point_grad(t, t.params, i)
        assert per[0] == pytest.approx(value, rel=1e-5, abs=1e-7)
        for (hw, hb), (jw, jb) in zip(backprop.point_gradients(layers), g):
            np.testing.assert_allclose(hw, jw, rtol=1e-4, atol=1e-6)
            np.testing.assert_allclose(hb, jb, rtol=1e-4, atol=1e-6)
        # the forward pass is the network's own
        out = forward(t.spec, t.params, t.X_train[i:i + 1])
        np.testing.assert_allclose(layers[-1].a[0], np.asarray(out)[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("loss,out,name", LOSS_CASES)
def test_every_loss_backpropagates_as_jax_grad(loss, out, name):
    t = trainer("tanh", loss, out, name, lr=0.01)
    tr = backprop.trace(t, 5)
    value, g = jax_point_grad(t, t.params, 5)
    assert tr.loss == pytest.approx(value, rel=1e-5, abs=1e-7)
    for (hw, hb), (jw, jb) in zip(tr.point_grad, g):
        np.testing.assert_allclose(hw, jw, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(hb, jb, rtol=1e-4, atol=1e-6)
    # the view's verdict: within float32 of jax, relative to the numbers' size (the line's
    # targets reach ~23, its gradients hundreds)
    assert tr.check.ok and tr.check.point < 1e-5 * tr.check.scale
    assert tr.check.batch < 1e-5 * tr.check.scale


def test_the_batch_gradient_is_the_mean_of_the_points_plus_the_penalty():
    t = trainer("relu", l1=0.01, l2=0.02)
    tr = backprop.trace(t, 3)
    n = len(t.data.train_index)
    assert tr.batch_size == n  # full batch: every training point
    obj = lambda p: (losses.data_loss(t.spec, "mse", p, t.X_train, t.T_train)  # noqa: E731
                     + losses.penalty(p, 0.01, 0.02))
    g = jax.jit(jax.grad(obj))(t.params)  # jitted: one compile, not one per operation
    for (dw, db), (pw, pb), (jw, jb) in zip(tr.batch_data_grad, tr.penalty_grad, g):
        np.testing.assert_allclose(dw + pw, np.asarray(jw), rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(db + pb, np.asarray(jb), rtol=1e-4, atol=1e-6)
    # this point's own gradient is one of the terms of the mean
    manual = sum(backprop.point_gradients(*[backprop.hand_pass(
        t.spec, "mse", t.params, t.data.X_train[k], np.asarray(t.T_train)[k:k + 1])[0]])[0][0]
        for k in range(n)) / n
    np.testing.assert_allclose(manual, tr.batch_data_grad[0][0], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("opt", ["gd", "momentum", "nesterov", "adam", "rmsprop"])
def test_the_update_is_the_one_the_run_makes(opt):
    # the notebook's network and 200 moons, full batch: programs other tests compile too
    t = trainer(opt=opt, lr=0.05, hidden=(4, 10, 4), samples=200)
    t.run(3)  # a non-trivial optimiser state
    tr = backprop.trace(t, 0)
    before = [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in t.params]
    t.run(1)
    for (w0, b0), (uw, ub), (hw, hb), (w1, b1) in zip(before, tr.update.update, tr.update.hand,
                                                      t.params):
        np.testing.assert_allclose(w0 + uw, np.asarray(w1), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(b0 + ub, np.asarray(b1), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(hw, uw, rtol=1e-4, atol=1e-7)  # the formula written out
        np.testing.assert_allclose(hb, ub, rtol=1e-4, atol=1e-7)
    if opt == "gd":  # plain gradient descent: lr times the gradient
        np.testing.assert_allclose(tr.update.update[0][0], -0.05 * tr.update.grad[0][0], rtol=1e-5)
    else:  # not lr x gradient
        assert not np.allclose(tr.update.update[0][0], -0.05 * tr.update.grad[0][0], rtol=1e-2)
    assert tr.check.update < 1e-6


def test_a_mini_batch_point_is_shown_in_its_own_batch_at_that_step():
    # Adam with mini-batches of 16 on the notebook's network and 200 moons: the run log's and
    # the session tests' configuration, so the training program comes from the compile cache.
    B = 16
    t = trainer(hidden=(4, 10, 4), opt="adam", lr=0.01, batch=B, samples=200)
    t.run(2)
    n = len(t.data.train_index)
    # find a point of the last batch of the next epoch: its step ends the epoch
    n_batches = n // B
    last = None
    for i in range(n):
        step = backprop.next_step(t, i)
        assert step.n_batches == n_batches
        if step.batch_index >= 0:
            assert i in step.rows and len(step.rows) == B
        if step.batch_index == n_batches - 1:
            last = i
            break
    assert last is not None
    tr = backprop.trace(t, last)
    t.run(1)
    for (w0, b0), (uw, ub), (w1, b1) in zip(tr.params, tr.update.update, t.params):
        np.testing.assert_allclose(np.asarray(w0) + uw, np.asarray(w1), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(b0) + ub, np.asarray(b1), rtol=1e-5, atol=1e-6)
    # Batches of 24 do not divide the 160 points: the 16 left over sit the epoch out, and
    # every other point is in exactly one batch.
    t = trainer(hidden=(4, 10, 4), opt="adam", lr=0.01, batch=24, samples=200)
    steps = [backprop.next_step(t, i) for i in range(n)]
    left_out = [i for i, s in enumerate(steps) if s.batch_index < 0]
    assert len(left_out) == n - 6 * 24 == 16
    batches = {s.batch_index: tuple(s.rows) for s in steps if s.batch_index >= 0}
    assert sorted(batches) == list(range(6))
    assert sorted(i for rows in batches.values() for i in rows) == \
        sorted(set(range(n)) - set(left_out))


def test_per_example_pull_is_each_points_gradient_norm():
    t = trainer("sigmoid", loss="bce")
    pulls = backprop.per_example_pull(t.spec, "bce", t.params, t.data.X_train,
                                      np.asarray(t.T_train))
    n = len(t.data.train_index)
    assert pulls.shape == (n,)
    for i in (0, 9, n - 1):
        _, g = jax_point_grad(t, t.params, i)
        norm = np.sqrt(sum(np.sum(a ** 2) + np.sum(b ** 2) for a, b in g))
        assert pulls[i] == pytest.approx(norm, rel=1e-5)
    assert pulls.std() > 0  # points pull differently
    # the probe hands them out with the trace
    res = backprop.BackpropProbe(selected=2, pulls=True)(t)
    np.testing.assert_allclose(res.pulls, pulls, rtol=1e-6)
    assert res.trace.index == 2


def test_the_batch_gradient_by_hand_is_made_a_few_rows_at_a_time():
    # The hand pass keeps six arrays per layer for each of its rows: a big batch goes through
    # in slices (memory bounded), with the same mean as one pass over all of them.
    t = trainer("sigmoid")
    X, T = t.data.X_train, np.asarray(t.T_train)
    layers, _ = backprop.hand_pass(t.spec, "mse", t.params, X, T)
    whole = backprop.mean_gradients(layers)
    sliced = backprop.batch_gradients(t.spec, "mse", t.params, X, T, rows=7)
    for (w, b), (sw, sb) in zip(whole, sliced):
        np.testing.assert_allclose(sw, w, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(sb, b, rtol=1e-12, atol=1e-15)
    assert len(X) > 7 * 3  # several slices


def test_a_probe_puts_the_full_batch_on_the_device_once_and_follows_the_run():
    # A full batch is the same rows every epoch: the probe pads and copies them once (80,000
    # rows were copied again for every trace), while every trace is of the run's new weights.
    t = trainer(samples=200, hidden=(4, 10, 4))
    probe = backprop.BackpropProbe(selected=3)
    first = probe(t)
    kept = probe._batches._value
    t.run(2)
    second = probe(t)
    assert probe._batches._value is kept
    assert second.epoch == first.epoch + 2 and second.trace.check.ok
    assert not np.allclose(second.trace.point_grad[0][0], first.trace.point_grad[0][0])
    # the padded rows are the batch's own: the batch gradient by hand equals jax's through them
    assert second.trace.check.batch < 1e-5
    # other data (an edited point makes a new data set): the rows are put there again
    other = trainer(samples=200, hidden=(4, 10, 4))
    probe(other)
    assert probe._batches._value is not kept


def test_the_hand_batch_is_cut_into_products_a_one_thread_blas_makes():
    # Each chunk's products stay under OpenBLAS's threading threshold (a threaded BLAS on a
    # busy machine took 32 ms for what one thread does in 0.5 ms): narrow layers take many
    # rows at once, wide ones few.
    narrow = trainer(hidden=(4, 10, 4)).params
    wide = trainer(hidden=(256, 256)).params
    for params in (narrow, wide):
        rows = backprop.hand_rows(params)
        assert rows * max(np.size(w) for w, _ in params) <= backprop.BLAS_ONE_THREAD
    assert backprop.hand_rows(narrow) > 10 * backprop.hand_rows(wide)


def test_a_playing_runs_trace_has_what_its_stage_shows_and_a_paused_one_everything():
    """While the run plays the probe computes the stage on screen (the batch is most of a
    trace's cost: the point's stages were shown at its pace); its numbers are the same."""
    from nnviz.core.snapshot import ModelAt
    t = trainer(opt="momentum", l2=0.01)
    t.run(7)

    def model(playing):
        return ModelAt(t, t.params, t.epoch, t.learning_rate, (1, "main"), None,
                       state=t.state, playing=playing)

    full = backprop.BackpropProbe(4)(model(False)).trace
    assert full.parts == backprop.ALL and full.update is not None
    seen = {}
    for stage in backprop.STAGES:
        probe = backprop.BackpropProbe(4, stage=stage)
        paused = probe(model(False)).trace
        assert paused.parts == backprop.ALL and all(paused.shows(s) for s in backprop.STAGES)
        tr = probe(model(True)).trace
        seen[stage] = tr.parts
        assert tr.shows(stage) and tr.check.ok
        # the point's numbers whatever else was computed
        assert tr.loss == pytest.approx(full.loss, rel=1e-9)
        for (a, b), (fa, fb) in zip(tr.point_grad, full.point_grad):
            np.testing.assert_allclose(a, fa, rtol=1e-9)
        if tr.parts == backprop.POINT:
            assert tr.update is None and tr.batch_data_grad is None
            assert tr.check.batch is None and tr.check.update is None
            assert not tr.shows("batch") and not tr.shows("update")
        elif tr.parts == backprop.UPDATE:  # optax's update from jax's gradient, not the hand batch
            assert tr.batch_data_grad is None and tr.check.update is not None
            for (u, v), (fu, fv) in zip(tr.update.update, full.update.update):
                np.testing.assert_allclose(u, fu, rtol=1e-6, atol=1e-12)
        else:
            assert tr.check.batch is not None and tr.batch_data_grad is not None
    assert seen == {"forward": "point", "loss": "point", "delta": "point", "grad": "point",
                    "batch": "all", "update": "update"}


def test_a_paused_frame_readies_the_point_stages_function_for_the_play():
    """The first frames of a play must not compile: two costly calls in a row held the
    throttled tab's frames for ~2 s."""
    from nnviz.core.snapshot import ModelAt
    t = trainer(hidden=(3, 7))
    f = backprop._point_fn(t.spec, t.config.loss)
    f.clear_cache()
    paused = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, "main"), None, state=t.state)
    assert backprop.BackpropProbe(2, stage="delta")(paused).trace.parts == backprop.ALL
    assert f._cache_size() == 1
    playing = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, "main"), None, state=t.state,
                      playing=True)
    assert backprop.BackpropProbe(2, stage="delta")(playing).trace.parts == backprop.POINT
    assert f._cache_size() == 1  # the same compiled function: nothing compiled at play
