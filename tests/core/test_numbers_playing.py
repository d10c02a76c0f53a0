"""A costly network's numbers while it plays (core.loop.METRICS_EVERY_S): measured a few times a
second, the snapshots between carrying the last ones and the epoch they are of; a pause, a Step
or a small network gives every snapshot its own."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.core import loop as loop_module
from nnviz.core.loop import NewProblem, Pause, Play, TrainLoop
from nnviz.core.problem import notebook_problem


def _playing_snapshots(monkeypatch, count: int, *, costly: bool):
    """A TrainLoop on the notebook's problem, counted costly (or not), played until ``count``
    snapshots went out; returns (loop, every snapshot published, those while playing, errors)."""
    if costly:
        # Counted costly (the notebook's network is not), and the numbers kept for good once
        # measured while playing: every later playing snapshot carries them.
        monkeypatch.setattr(loop_module, "METRICS_FLOPS", 0.0)
        monkeypatch.setattr(loop_module, "METRICS_EVERY_S", math.inf)
    shots, errors = [], []
    loop = TrainLoop(publish=shots.append, error=errors.append)
    loop.post(NewProblem(1, notebook_problem()))
    loop.work_once()
    loop.post(Play())
    start = len(shots)
    for _ in range(200_000):
        loop.work_once()
        if len(shots) - start >= count:
            break
    played = shots[start:]
    assert len(played) >= count, f"only {len(played)} snapshots while playing"
    return loop, shots, played, errors


def test_a_costly_network_playing_carries_its_last_numbers_and_their_epoch(monkeypatch):
    loop, shots, played, errors = _playing_snapshots(monkeypatch, 4, costly=True)
    first, later = played[0], played[1:]
    assert first.metrics_epoch == -1 and first.numbers_epoch == first.epoch
    for s in later:
        # an earlier epoch's numbers, said to be that epoch's
        assert s.epoch > first.epoch and s.metrics_epoch == first.epoch == s.numbers_epoch
        assert s.metrics == first.metrics
        assert math.isnan(s.end_loss)  # not the live end's loss: none drawn after the curve
    # the numbers carried are those of the weights at their epoch
    t = loop.trainer
    params = tuple((np.asarray(w), np.asarray(b)) for w, b in first.params)
    assert t.evaluate(params).train_loss == pytest.approx(first.metrics.train_loss, rel=1e-6)

    published = len(shots)
    loop.post(Pause())
    loop.work_once()
    assert not loop.playing and len(shots) == published + 1
    paused = shots[-1]  # the snapshot Pause is answered with: the epoch paused at, its own
    assert paused.metrics_epoch == -1 and paused.numbers_epoch == t.epoch
    assert paused.metrics.train_loss == pytest.approx(t.evaluate().train_loss, rel=1e-6)
    assert paused.end_loss == paused.metrics.train_loss
    assert not errors, errors


def test_a_small_network_playing_gives_every_snapshot_its_own_numbers(monkeypatch):
    monkeypatch.setattr(loop_module, "METRICS_EVERY_S", math.inf)  # the count alone decides
    _, _, played, errors = _playing_snapshots(monkeypatch, 4, costly=False)
    for s in played:
        assert s.metrics_epoch == -1 and s.numbers_epoch == s.epoch
    assert len({s.metrics.train_loss for s in played}) == len(played)
    assert not errors, errors
