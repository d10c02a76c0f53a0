"""A Step of many epochs runs in chunks, as Play does: Pause, Reset and Quit are answered
between chunks, not after the whole Step (a reviewer's +1000 on a network taking ~10 s an epoch
ignored Pause and Reset for minutes). Driven synchronously; "slow" epochs are a fake clock that
a stubbed training call advances, never the wall clock."""
from __future__ import annotations

import time
import types

import pytest

from nnviz.core import loop as L
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.loop import NewProblem, Pause, Play, Reset, Step, TrainLoop, describe
from nnviz.core.network import NetworkSpec
from nnviz.core.problem import Problem
from nnviz.core.training import TrainConfig

MOONS = make_dataset(DataSpec("moons"))


class Recorder:
    def __init__(self):
        self.snapshots, self.status, self.playing, self.errors = [], [], [], []
        self.loop = TrainLoop(publish=self.snapshots.append, status=self.status.append,
                              playing_changed=self.playing.append,
                              error=lambda e: self.errors.append(describe(e)))
        self.runs = 0  # calls of the trainer's training (each one or more epochs)

    def do(self, command):
        self.loop.post(command)
        self.loop.work_once()
        return self.snapshots[-1]

    def on_run(self, action):
        """Call ``action(calls so far)`` after each training call of the current trainer."""
        t = self.loop.trainer
        run = t.run

        def counted(k):
            result = run(k)
            self.runs += 1
            action(self.runs, k)
            return result
        t.run = counted


@pytest.fixture
def rec():
    r = Recorder()
    r.do(NewProblem(1, Problem(MOONS, NetworkSpec(), TrainConfig(), None, 0)))
    assert not r.errors
    return r


@pytest.fixture
def slow_clock(monkeypatch):
    """The loop's clock, advanced 10 s per epoch trained (see ``tick``)."""
    clock = types.SimpleNamespace(now=time.perf_counter() + 1.0)  # after the real one's last
    monkeypatch.setattr(L, "time", types.SimpleNamespace(perf_counter=lambda: clock.now))
    return clock


def test_pause_during_a_long_step_stops_it_where_it_is_and_says_so(rec):
    rec.on_run(lambda calls, k: calls == 3 and rec.loop.post(Pause()))
    rec.do(Step(1000))
    rec.loop.work_once()  # the Pause, posted while the Step ran
    epoch = rec.loop.trainer.epoch
    assert 0 < epoch < 1000
    s = rec.snapshots[-1]
    assert s.epoch == s.live_epoch == epoch
    assert rec.status[-1] == f"paused at epoch {epoch:,}: {epoch:,} of the Step's 1,000 epochs done"
    rec.loop.work_once()
    assert rec.loop.trainer.epoch == epoch  # paused: the Step does not go on
    assert rec.playing[-1:] in ([], [False])  # the window's button says Play


def test_reset_during_a_long_step_is_honoured_at_once(rec):
    rec.on_run(lambda calls, k: calls == 3 and rec.loop.post(Reset(2, 7)))
    rec.do(Step(1000))
    old = rec.loop.trainer
    assert old.epoch < 1000  # the Step gave way to the Reset
    s = rec.do(Pause())  # (any turn of the loop: the Reset is handled first)
    assert rec.loop.trainer is not old
    assert (s.run_id, s.epoch, s.live_epoch) == (2, 0, 0)  # the header: the new run's epoch 0
    assert max(x.epoch for x in rec.snapshots if x.run_id == 1) < 1000
    rec.loop.work_once()
    assert rec.loop.trainer.epoch == 0  # the old run's Step is not carried over


def test_an_uninterrupted_step_runs_exactly_n_epochs_in_chunks(rec):
    sizes = []
    rec.on_run(lambda calls, k: sizes.append(k))
    s = rec.do(Step(1000))
    assert s.epoch == 1000 and rec.loop.log.losses.count == 1000
    assert sizes[0] == 1 and len(sizes) > 1  # a new model's first chunk is one epoch
    assert rec.do(Step(1)).epoch == 1001


def test_a_slow_step_shows_progress_as_training_and_says_how_slow(rec, slow_clock):
    def tick(calls, k):
        slow_clock.now += 10.0 * k
    # The test ends after a few chunks: a Pause between them.
    rec.on_run(lambda calls, k: (tick(calls, k), calls == 6 and rec.loop.post(Pause())))
    rec.loop.post(Step(1000))
    rec.loop.work_once()
    rec.loop.work_once()
    assert rec.playing[0] is True and rec.playing[-1] is False  # Pause shown, then Play
    training = [t for t in rec.status if t.startswith("training ")]
    assert "training epoch 2: 2 of the Step's 1,000 (about 10 s an epoch)" in training
    epoch = rec.loop.trainer.epoch
    assert epoch < 20  # one epoch a chunk: the Pause came within an epoch or two
    assert [x.epoch for x in rec.snapshots if x.epoch > 0][:2] == [1, 2]  # drawn as it goes
    assert rec.status[-1].startswith(f"paused at epoch {epoch:,}")


def test_pause_during_play_of_a_new_model_comes_after_its_first_epoch(rec, slow_clock):
    # A chunk sized for a fast model must not carry over to the next one: Play's first chunk
    # on a new model is one epoch (a big network's 8 -- or 1,000 -- epochs ran before Pause).
    rec.loop.chunk = 1024
    rec.do(NewProblem(2, Problem(MOONS, NetworkSpec(hidden=(16, 16), activations=("tanh", "tanh")), TrainConfig(), None, 0)))
    rec.on_run(lambda calls, k: (setattr(slow_clock, "now", slow_clock.now + 10.0 * k),
                                 rec.loop.post(Pause())))
    rec.do(Play())
    rec.loop.work_once()
    assert rec.loop.trainer.epoch == 1
    assert not rec.loop.playing
    assert rec.status[-1] == ""  # "training epoch 2 (about 10 s an epoch)" gone once paused
    assert "training epoch 2 (about 10 s an epoch)" in rec.status


def test_one_stalled_chunk_says_slow_only_until_the_next(rec, slow_clock):
    stall = {"left": 1}

    def tick(calls, k):  # the first chunk stalls 5 s (a busy machine); the rest take 1 ms
        slow_clock.now += 5.0 if stall["left"] else 0.001 * k
        stall["left"] = 0
    rec.on_run(tick)
    rec.do(Play())
    assert rec.status[-1].startswith("training epoch ")
    rec.loop.work_once()
    assert rec.status[-1] == ""  # fast again: no "training epoch ..." left standing
