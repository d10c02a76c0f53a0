"""The timeline in the worker's logic (driven synchronously): a past epoch is shown exactly as the
run had it, "Continue from here" branches, and branches can be switched, renamed and deleted."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.core.network import NetworkSpec
from nnviz.core.training import TrainConfig, Trainer

from .test_worker import MOONS, Recorder, moons_problem
from nnviz.core.loop import Branch, DeleteBranch, NewProblem, RenameBranch, SetLearningRate, SetProbe, ShowEpoch, Step, SwitchBranch


@pytest.fixture
def rec():
    r = Recorder()
    r.do(NewProblem(1, moons_problem(optimizer="adam", learning_rate=0.05, batch_size=16)))
    r.do(Step(600))
    assert not r.errors and r.last.epoch == 600
    return r


def _straight(epochs: int) -> Trainer:
    t = Trainer(NetworkSpec(), TrainConfig(optimizer="adam", learning_rate=0.05, batch_size=16),
                MOONS)
    t.run(epochs)
    return t


def _same_params(a, b) -> bool:
    return all(np.array_equal(np.asarray(wa), np.asarray(wb)) and
               np.array_equal(np.asarray(ba), np.asarray(bb)) for (wa, ba), (wb, bb) in zip(a, b))


def test_a_past_epoch_shows_the_weights_the_run_had_then(rec):
    live = rec.last
    s = rec.do(ShowEpoch(237))
    assert s.epoch == 237 and s.live_epoch == 600 and s.past
    assert _same_params(s.params, _straight(237).params)
    # The boundary is the model of that epoch, not the live one.
    assert not np.array_equal(s.grid.values, live.grid.values)
    # The whole curve stays on the plot; the live run did not move.
    assert s.loss_epochs[-1] == 600 and rec.loop.trainer.epoch == 600
    assert s.metrics.train_loss == _straight(237).evaluate().train_loss


def test_scrubbing_forward_and_back_is_exact(rec):
    for e in (10, 400, 399, 33, 599, 0):
        s = rec.do(ShowEpoch(e))
        assert s.epoch == e
        assert _same_params(s.params, _straight(e).params), e


def test_only_the_newest_of_many_dragged_epochs_is_drawn(rec):
    before = len(rec.snapshots)
    for e in range(100, 200, 7):
        rec.loop.post(ShowEpoch(e))
    rec.loop.work_once()
    assert len(rec.snapshots) == before + 1 and rec.last.epoch == 198


def test_live_end_play_and_step_return_to_the_live_run(rec):
    rec.do(ShowEpoch(100))
    assert rec.do(ShowEpoch(None)).epoch == 600 and not rec.last.past
    rec.do(ShowEpoch(100))
    s = rec.do(Step(1))
    assert s.epoch == 601 and not s.past


def test_continue_from_here_branches_with_the_current_settings(rec):
    original = rec.last
    rec.do(ShowEpoch(300))
    rec.do(SetLearningRate(0.005))
    s = rec.do(Branch(None))
    assert s.epoch == 300 and s.live_epoch == 300 and s.branch == "run 2"
    assert [b.name for b in s.branches] == ["run 1"]
    assert s.branches[0].epochs[-1] == 600  # the original stays whole, to compare with
    s = rec.do(Step(100))
    assert s.epoch == 400
    # The first 300 epochs are the original's; the next 100 ran at the lower rate.
    assert np.array_equal(s.loss_values[:300], original.loss_values[:300])
    assert not np.array_equal(s.loss_values[300:400], original.loss_values[300:400])
    assert rec.loop.trainer.learning_rate == pytest.approx(0.005)


def test_a_branch_with_unchanged_settings_reproduces_the_original(rec):
    original = rec.last
    rec.do(ShowEpoch(250))
    rec.do(Branch(None))
    s = rec.do(Step(350))
    assert np.array_equal(s.loss_values, original.loss_values)
    assert _same_params(s.params, original.params)


def test_switch_rename_and_delete_branches(rec):
    rec.do(Branch(200))
    rec.do(Step(50))
    s = rec.do(SwitchBranch("run 1"))
    assert (s.branch, s.epoch, s.live_epoch) == ("run 1", 600, 600)
    assert _same_params(s.params, _straight(600).params)
    s = rec.do(Step(10))  # the original goes on where it stopped, exactly
    assert _same_params(s.params, _straight(610).params)
    s = rec.do(SwitchBranch("run 2"))
    assert (s.branch, s.epoch) == ("run 2", 250)
    s = rec.do(RenameBranch("run 2", "slower"))
    assert s.branch == "slower"
    s = rec.do(DeleteBranch("slower"))
    assert s.branch == "run 1" and s.epoch == 610 and s.branches == ()
    rec.do(DeleteBranch("run 1"))
    assert rec.errors and "only branch" in rec.errors[-1]


def test_a_learning_rate_change_is_replayed_at_its_epoch():
    r = Recorder()
    r.do(NewProblem(1, moons_problem()))
    r.do(Step(100))
    r.do(SetLearningRate(0.1))
    r.do(Step(100))
    t = Trainer(NetworkSpec(), TrainConfig(), MOONS)
    t.run(100)
    t.set_learning_rate(0.1)
    t.run(50)
    assert _same_params(r.do(ShowEpoch(150)).params, t.params)


def test_the_gradient_history_comes_from_the_checkpoints_however_the_epochs_ran():
    """One Step of 3,000 epochs (as --screenshot --epochs 3000 does) gives the gradient view
    a history along the whole run, not two samples."""
    from nnviz.core import inspect
    r = Recorder()
    r.do(NewProblem(1, moons_problem()))
    r.do(SetProbe("gradients", inspect.GradientProbe()))
    s = r.do(Step(3000))
    flow = s.extras["gradients"]
    assert len(flow.epochs) >= 50 and flow.epochs[0] == 0 and flow.epochs[-1] == 3000
    assert np.all(np.diff(flow.epochs) > 0)
    past = r.do(ShowEpoch(1000)).extras["gradients"]
    assert past.epochs[-1] == 1000 and len(past.epochs) < len(flow.epochs)


def test_a_rate_set_while_in_the_past_is_for_where_training_goes_on(rec):
    """It does not change the live branch's end: switching back finds it at its own rate."""
    rec.do(ShowEpoch(300))
    rec.do(SetLearningRate(0.005))
    assert rec.loop.trainer.learning_rate == pytest.approx(0.05)  # the live end is untouched
    rec.do(Branch(None))
    assert rec.loop.trainer.learning_rate == pytest.approx(0.005)
    s = rec.do(SwitchBranch("run 1"))
    assert s.config.learning_rate == pytest.approx(0.05) and s.epoch == 600
    # Set in the past, then back to live (Play, Step, End): the live run takes it.
    rec.do(ShowEpoch(100))
    rec.do(SetLearningRate(0.02))
    rec.do(Step(1))
    assert rec.loop.trainer.learning_rate == pytest.approx(0.02)


def test_a_rate_for_a_named_branch_switches_to_it_and_leaves_the_other_alone(rec):
    """An undo of a rate change made on "run 2" while "run 1" is live: run 2 goes live at the
    rate, run 1 keeps its own; a name not in the run (deleted since) is the live branch's."""
    rec.do(ShowEpoch(300))
    rec.do(Branch(None))
    assert rec.do(SetLearningRate(0.01)).branch == "run 2"
    rec.do(SwitchBranch("run 1"))
    s = rec.do(SetLearningRate(0.02, "run 2"))
    assert (s.branch, s.config.learning_rate, s.live_epoch) == ("run 2", 0.02, 300)
    s = rec.do(SwitchBranch("run 1"))
    assert s.branch == "run 1" and s.config.learning_rate == pytest.approx(0.05)
    s = rec.do(SetLearningRate(0.03, "run 9"))
    assert (s.branch, s.config.learning_rate) == ("run 1", 0.03)


def test_another_branchs_key_number_is_the_one_the_readout_says_once_it_is_in_front():
    """A branch beside the live one ended its curve, and its entry in the key, on the loss its
    record printed last: the loss before its last epoch's update. Switched to, the readout
    said "Train loss after epoch 300" of another number. The branch's curve and key end on
    the loss of its end's weights, as the live branch's do (review r22 F5); with mini-batches
    (an epoch prints its batches' mean) on its record alone."""

    r = Recorder()
    r.do(NewProblem(1, moons_problem(learning_rate=0.5)))
    r.do(Step(300))
    r.do(Branch(200))
    s = r.do(Step(50))
    other = s.branches[0]
    assert (other.name, other.end_epoch) == ("run 1", 300)
    assert math.isfinite(other.end_loss) and other.end_loss != float(other.values[-1])
    s = r.do(SwitchBranch("run 1"))
    assert (s.branch, s.epoch) == ("run 1", 300)
    assert s.metrics.train_loss == other.end_loss == s.end_loss  # the readout's number
    # the branch left behind (run 2, at 250) has its own end's loss, and its record's last
    # printed loss stays where it was
    assert s.branches[0].name == "run 2" and s.branches[0].end_epoch == 250
    assert math.isfinite(s.branches[0].end_loss)


def test_with_mini_batches_another_branch_ends_on_its_record(rec):
    rec.do(Branch(200))
    s = rec.do(Step(10))
    assert s.branches[0].end_epoch == 600 and math.isnan(s.branches[0].end_loss)
