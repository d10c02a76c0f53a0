"""Snapshot.end_loss: the train loss after the live end's last epoch, which the loss plot draws
at E + 1 beside the test curve's point of the same weights (review r22 F5). It is the number
the next epoch's record prints there, so the curve's end does not jump when that epoch runs;
where the next epoch prints another number (mini-batches: its batches' mean) it is not given."""
from __future__ import annotations

import dataclasses
import math

import pytest

from nnviz.core.loop import NewProblem, ShowEpoch, Step, TrainLoop
from nnviz.core.problem import notebook_problem


def _loop(problem):
    errors: list = []
    loop = TrainLoop(publish=lambda s: None, error=errors.append)
    loop.post(NewProblem(1, problem))
    loop.work_once()
    return loop, errors


def _step(loop, epochs: int) -> None:
    target = loop.trainer.epoch + epochs
    loop.post(Step(epochs))
    for _ in range(10_000):
        loop.work_once()
        if loop.trainer.epoch >= target and not loop.playing:
            return
    raise AssertionError(f"the Step did not end: epoch {loop.trainer.epoch}")


def test_the_end_loss_is_the_next_epochs_recorded_loss_live_and_in_the_past():
    loop, errors = _loop(notebook_problem())
    assert math.isnan(loop.make_snapshot().end_loss)  # epoch 0: no curve to end
    _step(loop, 3)
    s = loop.make_snapshot()
    assert s.epoch == s.live_epoch == 3 and int(s.loss_epochs[-1]) == 3
    assert s.end_loss == s.metrics.train_loss  # the readout's "after epoch 3"
    assert int(s.test_epochs[-1]) == 4  # the test curve's point of the same weights, at 4
    loop.post(ShowEpoch(1))  # the past shown: the curve's end is still the live end's
    loop.work_once()
    past = loop.make_snapshot()
    assert past.past and past.epoch == 1 and past.metrics.train_loss != s.metrics.train_loss
    assert past.end_loss == s.end_loss
    loop.post(ShowEpoch(None))
    _step(loop, 1)
    after = loop.make_snapshot()
    # What was drawn at 4 is what epoch 4's record printed (to float32 and the two compiled
    # passes' rounding)
    assert float(after.loss_values[-1]) == pytest.approx(s.end_loss, rel=1e-5)
    assert not errors, errors


def test_mini_batches_give_no_end_loss():
    problem = notebook_problem()
    problem = dataclasses.replace(problem, config=dataclasses.replace(problem.config,
                                                                      batch_size=50))
    loop, errors = _loop(problem)
    _step(loop, 2)
    s = loop.make_snapshot()
    assert s.epoch == 2 and math.isfinite(s.metrics.train_loss)
    assert math.isnan(s.end_loss)  # epoch 3 prints its 4 batches' mean, another number
    assert not errors, errors
