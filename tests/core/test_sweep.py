"""A sweep: its members are single runs, trained together.

Each member's losses, final metrics and state equal those of a separate Trainer run of
``problem_for(i)`` (float32 rounding aside: XLA batches and pads the arithmetic differently);
widths are masked so that a member computes the narrower network; a diverging member is
frozen at its best weights while the others go on; each member's log replays like a single
run's; a sharded sweep gives the numbers of an unsharded one.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import jax
import numpy as np
import pytest

from nnviz.core import runlog
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Choices, make_problem, notebook_problem
from nnviz.core.sweep import Axis, Sweep, SweepError, SweepSpec

MOONS = make_dataset(DataSpec("moons"))


def _single(problem, epochs):
    t = problem.make_trainer()
    return t, t.run(epochs)


def _leaves(tree):
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(tree)]


def _assert_member_is_single_run(sweep, i, epochs, rtol=1e-5, upto=None):
    t, r = _single(sweep.spec.problem_for(i), epochs)
    e, v = sweep.logs[i].losses.arrays()
    if upto is not None:
        keep = e <= upto
        e, v = e[keep], v[keep]
    assert len(e) and e[0] == 1
    np.testing.assert_allclose(v, r.losses[e - 1], rtol=rtol, err_msg=sweep.spec.label(i))
    if upto is None:
        s = sweep.scores()[i]
        m = t.evaluate()
        assert s["epoch"] == t.epoch and s["diverged"] == r.diverged
        np.testing.assert_allclose([s["train_loss"], s["test_loss"], s["train_accuracy"]],
                                   [m.train_loss, m.test_loss, m.train_accuracy], rtol=rtol)
        for a, b in zip(_leaves(sweep.state(i)), _leaves(t.state)):
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=10 * rtol,
                                       atol=10 * rtol * max(1.0, float(np.abs(b).max())))
    return t, r


def test_the_members_are_the_product_of_the_axes():
    spec = SweepSpec(notebook_problem(), (Axis("learning_rate", (0.1, 1.0)),
                                          Axis("seed", (0, 1, 2))))
    assert spec.n_members == 6
    assert spec.members()[4] == {"learning_rate": 1.0, "seed": 1}
    p = spec.problem_for(4)
    assert p.config.learning_rate == 1.0 and p.seed == 1 and p.dataset.spec.seed == 1


def test_members_of_one_shape_train_in_one_group_and_equal_single_runs():
    spec = SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 3.0)),
                                          Axis("init_seed", (0, 5))))
    sweep = Sweep(spec)
    assert len(sweep.groups) == 1 and sweep.groups[0].variant is None
    sweep.advance(300)
    assert sweep.epoch == 300 and not sweep.diverged.any()
    for i in range(4):
        _assert_member_is_single_run(sweep, i, 300)
    # an init seed changes the initial weights only: one data set, four different runs
    assert sweep.groups[0].data_axis is None
    assert len({round(s["train_loss"], 6) for s in sweep.scores()}) == 4


def test_a_narrower_member_computes_exactly_the_narrower_network():
    base = make_problem(MOONS, Choices(hidden=(8, 8), activations=("tanh", "tanh")))
    sweep = Sweep(SweepSpec(base, (Axis("hidden", ((2, 3), (8, 8), (5,  1))),)))
    # one compiled group: padded to 8 x 8, the missing units masked
    assert len(sweep.groups) == 1 and sweep.groups[0].spec.hidden == (8, 8)
    sweep.advance(300)
    for i in range(3):
        _assert_member_is_single_run(sweep, i, 300)
    # the units a member lacks stay exactly zero, and params() has the member's own shapes
    g = sweep.groups[0]
    w0 = np.asarray(g.state.params[0][0])[0]  # member (2, 3): 2 x 8 padded from 2 x 2
    assert np.all(w0[:, 2:] == 0) and np.any(w0[:, :2] != 0)
    assert [w.shape for w, _ in sweep.params(0)] == [(2, 2), (2, 3), (3, 1)]


def test_a_narrower_softmax_member_normalises_over_its_own_units():
    """A softmax layer of a member narrower than its group's padding normalises over its own
    units: the padded ones, each exp(0), took a share of the sum."""
    base = make_problem(MOONS, Choices(hidden=(6,), activations=("softmax",)))
    sweep = Sweep(SweepSpec(base, (Axis("hidden", ((3,), (6,))),)))
    assert len(sweep.groups) == 1 and sweep.groups[0].spec.hidden == (6,)
    sweep.advance(100)
    for i in (1, 0):
        t, _ = _assert_member_is_single_run(sweep, i, 100)
    # the member's picture (its scores on a grid's rows) is its single run's
    np.testing.assert_allclose(sweep.predict(MOONS.X_test[:8])[0].ravel(),
                               t.predict(MOONS.X_test[:8]).ravel(), rtol=1e-5)


def test_activations_are_an_index_per_member_in_one_group():
    # at lr 0.3: at the notebook's 1.0 ReLU and cos runs are chaotic, and float rounding (a
    # padded or batched sum adds in another order) grows along them
    base = make_problem(MOONS, Choices(learning_rate=0.3))
    sweep = Sweep(SweepSpec(base, (Axis("activation", ("sigmoid", "tanh", "relu", "cos")),)))
    assert len(sweep.groups) == 1
    sweep.advance(200)
    for i in range(4):
        _assert_member_is_single_run(sweep, i, 200)


def test_penalties_and_optimisers_and_data():
    spec = SweepSpec(notebook_problem(), (Axis("l2", (0.0, 0.01)), Axis("optimizer",
                                                                         ("gd", "momentum"))))
    sweep = Sweep(spec)
    assert len(sweep.groups) == 2  # by optimiser; L2 rates are numbers inside one group
    assert spec.problem_for(1).config.learning_rate == 0.1  # momentum's default, as train's
    sweep.advance(200)
    for i in range(4):
        _assert_member_is_single_run(sweep, i, 200)

    spec = SweepSpec(make_problem(MOONS, Choices(batch_size=32)),
                     (Axis("noise", (0.1, 0.3)), Axis("seed", (0, 1))))
    sweep = Sweep(spec)
    assert sweep.groups[0].data_axis == 0  # each member its own points and batch order
    sweep.advance(100)
    for i in range(4):
        _assert_member_is_single_run(sweep, i, 100)


def test_a_diverging_member_is_frozen_at_its_best_its_curves_end_together_others_go_on():
    # momentum at 0.6 on this network improves for a few epochs, then blows up
    base = make_problem(MOONS, Choices(hidden=(8, 8), activations=("tanh", "tanh"),
                                       output_activation="linear", optimizer="momentum"))
    spec = SweepSpec(base, (Axis("learning_rate", (0.05, 0.6, 0.1)),))
    sweep = Sweep(spec)
    sweep.advance(150)
    assert list(sweep.diverged) == [False, True, False]
    # The member's train losses ended at its last sane epoch E while its test curve went on to
    # E + 1 with the loss of its best weights, put back (a single run ends at E since
    # runlog.diverged_end). The Compare view drew the two curves ending an epoch apart. (A test
    # of its own trained this sweep without its third member for this.)
    log = sweep.logs[1]
    e = int(sweep.member_epochs[1])
    assert int(log.losses.arrays()[0][-1]) == e  # the train curve's end
    assert int(log.test.epochs[-1]) == e  # the test curve's, not E + 1
    # The test loss there is the weights' after E - 1 epochs, as the single run measures it.
    t = spec.problem_for(1).make_trainer()
    t.run(e - 1)
    assert float(log.test.values[-1]) == pytest.approx(t.test_loss(), rel=1e-4)
    # (a blow-up multiplies the rounding differences of batched arithmetic along with the loss)
    t, r = _assert_member_is_single_run(sweep, 1, 150, rtol=1e-4)
    assert r.diverged and sweep.member_epochs[1] == t.epoch < 150
    assert 0 < sweep.scores()[1]["best_epoch"] == t.best_epoch < t.epoch
    assert sweep.logs[1].checkpoints[-1].pinned == "restored"
    frozen = _leaves(sweep.state(1))
    sweep.advance(150)  # the frozen member stays where it is, bit for bit
    assert sweep.member_epochs[1] == t.epoch
    for a, b in zip(_leaves(sweep.state(1)), frozen):
        np.testing.assert_array_equal(a, b)
    for i in (0, 2):
        _assert_member_is_single_run(sweep, i, 300)


def test_a_members_log_replays_like_a_single_runs():
    sweep = Sweep(SweepSpec(notebook_problem(), (Axis("seed", (0, 1)),)))
    sweep.advance(200)
    p = sweep.spec.problem_for(1)
    trainer = p.make_trainer()
    at, state = runlog.state_at(trainer, sweep.logs[1], 137)
    t, _ = _single(p, 137)
    assert at == 137
    for a, b in zip(_leaves(state), _leaves(t.state)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert len(sweep.logs[1].test) > 0


@pytest.mark.parametrize("axis", [Axis("hidden", ((4, 10, 4), (3, 6, 2))),
                                  Axis("optimizer", ("gd", "adam"))])
def test_a_members_log_has_a_single_runs_gradient_history(axis):
    """The Gradients view's history (||dL/dW|| and the update ratio per layer at every
    checkpoint from epoch 0) is in a member's log as in a single run's: a promoted member
    shows it whole. Padded widths and an optimiser's measured ratio included."""
    from nnviz.core.inspect import record_gradients
    sweep = Sweep(SweepSpec(notebook_problem(), (axis,)))
    sweep.advance(150)
    for i in range(sweep.n_members):
        t = sweep.spec.problem_for(i).make_trainer()
        log = runlog.RunLog(max_gap=sweep.logs[i].max_gap)
        log.checkpoint(0, t.state, "start")
        record_gradients(t, log)
        runlog.advance(t, log, 150, on_checkpoint=lambda lg: record_gradients(t, lg))
        got, want = sweep.logs[i].grads, log.grads
        assert got.epochs[0] == 0 and list(got.epochs) == list(log.checkpoint_epochs())
        assert np.all(np.isfinite(got.values[1:]))
        np.testing.assert_allclose(got.values, want.values, rtol=1e-3, atol=1e-7,
                                   err_msg=sweep.spec.label(i))


def test_predict_gives_every_members_scores():
    # (3, 6, 2), padded as (3, 3, 3) was: its MSE member's single run is the gradient history
    # test's (its programmes compiled once)
    sweep = Sweep(SweepSpec(notebook_problem(), (Axis("hidden", ((4, 10, 4), (3, 6, 2))),
                                                 Axis("loss", ("mse", "cross-entropy")))))
    sweep.advance(50)
    X = np.random.default_rng(0).normal(size=(30, 2))
    out = sweep.predict(X)
    assert out.shape == (4, 30, 1)
    for i in range(4):
        t, _ = _single(sweep.spec.problem_for(i), 50)
        want = t.predict(X)
        want = want[:, 1:2] if want.shape[1] == 2 else want
        np.testing.assert_allclose(out[i], want, rtol=1e-4, atol=1e-6)


def test_bad_axes_are_user_errors():
    base = notebook_problem()
    with pytest.raises(SweepError, match="cannot sweep"):
        Axis("colour", (1, 2))
    with pytest.raises(SweepError, match="no values"):
        Axis("seed", ())
    with pytest.raises(SweepError, match="twice"):
        SweepSpec(base, (Axis("seed", (1,)), Axis("seed", (2,))))
    with pytest.raises(SweepError, match="at most"):
        SweepSpec(base, (Axis("seed", tuple(range(100))), Axis("init_seed", tuple(range(100)))))


SHARDED = textwrap.dedent("""
    import json, jax, numpy as np
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem
    from nnviz.core.sweep import Axis, Sweep, SweepSpec
    # momentum at 0.6 blows up after a few epochs: its best weights are put back. Six members
    # on four devices (two rows of padding); (3, 5) is masked inside the (8, 8) group.
    blows = make_problem(make_dataset(DataSpec("moons")), Choices(
        hidden=(8, 8), activations=("tanh", "tanh"), output_activation="linear",
        optimizer="momentum"))
    spec = SweepSpec(blows, (Axis("learning_rate", (0.05, 0.6, 0.1)),
                             Axis("hidden", ((8, 8), (3, 5)))))
    out = {"devices": len(jax.devices())}
    for name, devices in (("sharded", None), ("one", jax.devices()[:1])):
        s = Sweep(spec, devices)
        s.advance(100)
        out[name] = {"losses": [s.logs[i].losses.arrays()[1].tolist() for i in range(6)],
                     "scores": [[v["train_loss"], v["test_loss"]] for v in s.scores()],
                     "sharded": str(s.groups[0].state.params[0][0].sharding),
                     "groups": len(s.groups), "rows": s.groups[0].rows,
                     "diverged": s.diverged.tolist(), "epochs": s.member_epochs.tolist(),
                     "params": [np.concatenate([np.ravel(a) for l in s.params(i) for a in l])
                                .tolist() for i in range(6)]}
    print(json.dumps(out))
""")


# One sweep of six members holds what this test checks: members spread over four devices with
# rows of padding, a narrower member masked in its group, members that diverge and members that
# go on. (It ran a second sweep, of the notebook's network at three rates, that checked the same
# spread, padding and masking: its compiles were a third of this test's time.)
def test_a_sharded_sweep_equals_the_unsharded_one():
    flags = os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4"
    env = dict(os.environ, XLA_FLAGS=flags.strip(),
               JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", SHARDED], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    a, b = out["sharded"], out["one"]
    assert out["devices"] == 4
    assert "NamedSharding" in a["sharded"] and "NamedSharding" not in b["sharded"]
    assert a["groups"] == b["groups"] == 1 and (a["rows"], b["rows"]) == (8, 6)
    # members that diverge stop at the same epoch and go back to the same best weights
    assert a["diverged"] == b["diverged"] == [False, False, True, True, False, False]
    assert a["epochs"] == b["epochs"] and a["epochs"][2] < 100
    # the others have the same losses and scores
    going = [i for i, d in enumerate(a["diverged"]) if not d]
    for i in going:
        np.testing.assert_allclose(a["losses"][i], b["losses"][i], rtol=1e-6)
        np.testing.assert_allclose(a["scores"][i], b["scores"][i], rtol=1e-6)
    # (a blow-up multiplies rounding differences: one member per device batches otherwise)
    for x, y in zip(a["params"], b["params"]):
        np.testing.assert_allclose(x, y, rtol=1e-3, atol=1e-4 * np.abs(y).max())


def test_a_base_with_its_own_weights_starts_every_member_from_them():
    from dataclasses import replace
    base = notebook_problem()
    own = replace(base, params=base.make_trainer().initial_params)
    spec = SweepSpec(own, (Axis("seed", (0, 1)),))
    for p in spec.problems():  # the seed draws the data, not the weights (as --init does)
        assert p.params is own.params
    with pytest.raises(SweepError, match="starting weights fit the network 2 -> 4 -> 10"):
        SweepSpec(own, (Axis("hidden", (8, (4, 10, 4))),)).problems()
    assert [p.spec.hidden for p in SweepSpec(base, (Axis("hidden", (8, [3, 3])),)).problems()] \
        == [(8,), (3, 3)]


def test_members_with_input_features_equal_single_runs():
    base = make_problem(MOONS, Choices(hidden=(4,), activations=("tanh",),
                                       features=("x1", "x2", "x1*x2", "sin(x1)")))
    sweep = Sweep(SweepSpec(base, (Axis("learning_rate", (0.3, 1.0)), Axis("hidden", (4, 6)))))
    assert len(sweep.groups) == 1
    sweep.advance(150)
    for i in range(4):
        assert sweep.spec.problem_for(i).spec.features == base.spec.features
        _assert_member_is_single_run(sweep, i, 150)
    X = np.random.default_rng(1).normal(size=(20, 2))
    t, _ = _single(sweep.spec.problem_for(3), 150)
    np.testing.assert_allclose(sweep.predict(X)[3], t.predict(X), rtol=1e-4, atol=1e-6)


def test_the_best_member_is_none_before_training_and_while_the_best_are_tied():
    from nnviz.core.sweep_driver import SweepSnapshot

    def snap(epoch, losses, diverged=()):
        scores = tuple({"test_loss": v, "train_loss": v, "epoch": epoch,
                        "diverged": i in diverged} for i, v in enumerate(losses))
        n = len(losses)
        return SweepSnapshot(0, epoch, (("learning_rate", tuple(range(n))),),
                             tuple({"learning_rate": i} for i in range(n)), ("",) * n, None,
                             np.zeros(0), np.zeros(0), None, (), (), scores,
                             np.array([i in diverged for i in range(n)]))
    assert snap(0, (0.5, 0.5, 0.5)).best() is None  # nothing trained: no winner
    assert snap(0, (0.4, 0.5, 0.6)).best() is None  # different seeds: luck, not a result
    assert snap(10, (0.5, 0.5, 0.5)).best() is None  # tied
    assert snap(10, (0.3, 0.3, 0.5)).best() is None  # two tied for first
    assert snap(10, (0.5, 0.3, 0.4)).best() == 1
    assert snap(10, (0.5, 0.2, 0.4), diverged=(1,)).best() == 2
