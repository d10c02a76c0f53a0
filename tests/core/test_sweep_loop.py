"""The training loop drives a sweep beside the live run (synchronously, no Qt): Step and Play go
to the sweep while it has the focus, to the live run otherwise; its snapshots carry every
member."""
from __future__ import annotations

import time
import types

import pytest

from nnviz.core import loop as L
from nnviz.core import sweep_driver
from nnviz.core.loop import (EndSweep, FocusSweep, NewProblem, Pause, Play, StartSweep, Step,
                             SweepRequest, TrainLoop)
from nnviz.core.problem import notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from nnviz.core.sweep_driver import member_run

SPEC = SweepSpec(notebook_problem(), (Axis("init_seed", (0, 1, 2)),))


def _loop(**callbacks):
    runs, sweeps, errors = [], [], []
    loop = TrainLoop(publish=runs.append, publish_sweep=sweeps.append, error=errors.append,
                     **callbacks)
    loop.post(NewProblem(1, notebook_problem()))
    loop.work_once()
    loop.post(StartSweep(7, SPEC))
    loop.work_once()
    assert not errors, errors
    return loop, runs, sweeps, errors


def test_step_goes_to_the_sweep_while_it_has_the_focus():
    loop, runs, sweeps, errors = _loop()
    assert sweeps[-1].epoch == 0 and sweeps[-1].n_members == 3  # drawn at once, paused
    loop.post(FocusSweep(True))
    loop.post(Step(5))
    loop.work_once()
    s = sweeps[-1]
    assert (s.sweep_id, s.epoch) == (7, 5)
    assert [len(e) for e, _ in s.loss_curves] == [5, 5, 5]
    assert s.values.shape[0] == 3  # every member's picture of the plane
    assert loop.trainer.epoch == 0  # the live run waited
    loop.post(FocusSweep(False))
    loop.post(Step(2))
    loop.work_once()
    assert loop.trainer.epoch == 2 and runs[-1].epoch == 2
    assert loop.sweep.sweep.epoch == 5
    assert not errors


def test_play_and_pause_drive_the_sweep():
    loop, runs, sweeps, errors = _loop()
    loop.post(FocusSweep(True))
    loop.post(Play())
    loop.work_once()
    loop.work_once()
    assert loop.playing and loop.sweep.sweep.epoch > 0
    loop.post(Pause())
    loop.work_once()
    at = loop.sweep.sweep.epoch
    loop.work_once()
    assert not loop.playing and loop.sweep.sweep.epoch == at
    assert sweeps[-1].epoch == at and loop.trainer.epoch == 0


def test_a_member_becomes_a_run_of_its_own():
    loop, runs, sweeps, errors = _loop()
    loop.post(FocusSweep(True))
    loop.post(Step(12))
    loop.work_once()
    # A Step judged long (a busy machine's slow first epochs) runs in chunks, and a request
    # posted with it was answered between them, at epoch 8: ask once it is done.
    while loop._step is not None:
        loop.work_once()
    got = []
    loop.post(SweepRequest(lambda sweep: member_run(sweep, 1), got.append, errors.append))
    loop.work_once()
    trainer, run = got[0]
    assert trainer.epoch == 12 and run.log.losses.count == 12
    assert run.log.checkpoints[-1].epoch == 12
    # A replay from the member's first checkpoint gives its weights at epoch 12 (float32
    # rounding aside: one run's compiled chunk, not the vmapped one): the member's record is one
    # the timeline can rewind.
    import jax
    import numpy as np
    trainer.compile()
    state, done = trainer.replay(jax.device_put(run.log.checkpoints[0].state), 12)
    assert done == 12 and run.log.checkpoints[0].epoch == 0
    for a, b in zip(jax.tree_util.tree_leaves(state.params),
                    jax.tree_util.tree_leaves(trainer.state.params)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-7)
    loop.post(EndSweep())
    loop.work_once()
    assert loop.sweep is None


def test_play_pauses_the_sweep_at_the_stop_at_epoch():
    from nnviz.core.loop import SetSpeed, SetStopAt
    loop, runs, sweeps, errors = _loop()
    loop.post(FocusSweep(True))
    loop.post(SetSpeed(7))  # 7 epochs a frame: 30 is not a multiple
    loop.post(SetStopAt(30))
    loop.post(Play())
    for _ in range(200):
        loop.work_once()
        if not loop.playing:
            break
    assert not loop.playing and loop.sweep.sweep.epoch == 30
    assert sweeps[-1].epoch == 30 and loop.trainer.epoch == 0
    assert not errors


# --- a Step of the sweep runs in chunks, as the run's does (tests/gui/test_worker_step.py) -----


@pytest.fixture
def news():
    """The loop with the sweep in front, and what it told: the sweep's status line, the main
    run's, and the window's Play/Pause button."""
    said = types.SimpleNamespace(sweep=[], run=[], playing=[])
    loop, runs, sweeps, errors = _loop(sweep_status=said.sweep.append, status=said.run.append,
                                       playing_changed=said.playing.append)
    loop.post(FocusSweep(True))
    loop.work_once()
    said.loop, said.sweeps, said.errors = loop, sweeps, errors
    return said


def _epochs_take(monkeypatch, loop, seconds, after=lambda calls: None):
    """The loop's clock, advanced ``seconds`` per epoch the sweep trains (never the wall
    clock); ``after(calls so far)`` runs after each of the sweep's training calls. Returns the
    epochs of each call."""
    clock = types.SimpleNamespace(now=time.perf_counter() + 1.0)
    fake = types.SimpleNamespace(perf_counter=lambda: clock.now)
    monkeypatch.setattr(L, "time", fake)
    monkeypatch.setattr(sweep_driver, "time", fake)
    sweep, sizes = loop.sweep.sweep, []
    advance = sweep.advance

    def counted(n, should_stop=None, on_losses=None):
        advance(n, should_stop, on_losses)
        clock.now += seconds * n
        sizes.append(n)
        after(len(sizes))
    sweep.advance = counted
    return sizes


def test_pause_during_a_long_sweep_step_stops_it_where_it_is_and_says_so(news, monkeypatch):
    loop = news.loop
    _epochs_take(monkeypatch, loop, 0.01, lambda calls: calls == 3 and loop.post(Pause()))
    loop.post(Step(1000))
    loop.work_once()
    loop.work_once()  # the Pause, posted while the Step ran
    at = loop.sweep.sweep.epoch
    assert 0 < at < 20  # within a few chunks, not after 1,000 epochs
    assert news.sweeps[-1].epoch == at  # drawn where it stopped
    assert news.sweep[-1] == f"the sweep paused at epoch {at:,}: {at:,} of the Step's 1,000 " \
                             f"epochs done"
    assert not any("paused" in t for t in news.run)  # the Compare tab's news, not the run's
    assert news.playing == [True, False]  # shown as training (Pause), then Play again
    loop.work_once()
    assert loop.sweep.sweep.epoch == at  # paused: the Step does not go on
    assert loop.trainer.epoch == 0 and not news.errors


def test_a_step_cut_short_by_the_other_tab_taking_the_controls_says_where(news, monkeypatch):
    # The Compare tab left during a Step of the sweep, or shown during one of the main run:
    # the Step stops where it is and says so, as Pause has it say (both stopped without a word).
    loop = news.loop
    _epochs_take(monkeypatch, loop, 0.01, lambda calls: calls == 3 and loop.post(FocusSweep(False)))
    loop.post(Step(1000))
    loop.work_once()
    loop.work_once()
    at = loop.sweep.sweep.epoch
    assert 0 < at < 20
    assert news.sweep[-1] == f"the sweep paused at epoch {at:,}: {at:,} of the Step's 1,000 " \
                             f"epochs done"
    assert not any("paused" in t for t in news.run)

    from nnviz.core import runlog
    clock = types.SimpleNamespace(now=L.time.perf_counter() + 1.0)
    monkeypatch.setattr(L, "time", types.SimpleNamespace(perf_counter=lambda: clock.now))
    advance, calls = runlog.advance, []

    def slow(t, log, k, **kw):  # the main run's epochs take 0.01 s each on the loop's clock
        result = advance(t, log, k, **kw)
        clock.now += 0.01 * k
        calls.append(k)
        if len(calls) == 3:
            loop.post(FocusSweep(True))
        return result
    monkeypatch.setattr(runlog, "advance", slow)
    loop.post(Step(1000))
    loop.work_once()
    loop.work_once()
    epoch = loop.trainer.epoch
    assert 0 < epoch < 20 and news.run[-1] == f"paused at epoch {epoch:,}: {epoch:,} of the " \
                                              f"Step's 1,000 epochs done"
    assert not news.errors


def test_a_new_sweep_during_a_long_sweep_step_is_answered_at_once(news, monkeypatch):
    loop = news.loop
    old = loop.sweep.sweep
    _epochs_take(monkeypatch, loop, 0.01,
                 lambda calls: calls == 3 and loop.post(StartSweep(8, SPEC)))
    loop.post(Step(1000))
    loop.work_once()
    assert old.epoch < 20  # the Step gave way to the new sweep
    loop.work_once()
    assert loop.sweep.sweep_id == 8 and news.sweeps[-1].sweep_id == 8
    loop.work_once()
    assert loop.sweep.sweep.epoch == 0 and news.sweeps[-1].epoch == 0  # nothing carried over
    assert old.epoch < 20 and not news.errors


def test_an_uninterrupted_sweep_step_runs_exactly_n_epochs_in_chunks_of_about_a_frame(
        news, monkeypatch):
    loop = news.loop
    sizes = _epochs_take(monkeypatch, loop, 0.01)  # 10 ms an epoch
    loop.post(Step(1000))
    loop.work_once()
    s = news.sweeps[-1]
    assert s.epoch == 1000 and [int(e[-1]) for e, _ in s.loss_curves] == [1000] * 3
    assert [log.losses.count for log in loop.sweep.sweep.logs] == [1000] * 3
    # The first chunk is sized by the sweep's size (small here); the others by what a chunk
    # took: about a frame each, so that Pause is read about every frame.
    assert sum(sizes) == 1000 and max(sizes[1:]) * 0.01 <= 2 * L.CHUNK_TARGET_S
    assert news.playing == [True, False]  # shown as training while it ran
    loop.post(Step(1))
    loop.work_once()
    assert news.sweeps[-1].epoch == 1001 and not news.errors


def test_a_sweep_of_costly_epochs_steps_one_epoch_at_a_time_and_says_so(news, monkeypatch):
    # A big sweep (many members, wide layers, many points): its first chunk is one epoch, not
    # 8, and the Compare tab's status line says the Step is working, and how far it is.
    monkeypatch.setattr(L, "GUESS_FLOPS_PER_S", 1e3)  # its size says: seconds an epoch
    loop = news.loop
    loop.post(StartSweep(8, SPEC))
    loop.work_once()
    sizes = _epochs_take(monkeypatch, loop, 10.0,
                         lambda calls: calls == 2 and loop.post(Pause()))
    loop.post(Step(1000))
    loop.work_once()
    loop.work_once()
    assert sizes == [1, 1] and loop.sweep.sweep.epoch == 2
    assert "the sweep is training epoch 2: 2 of the Step's 1,000 (about 10 s an epoch)" \
        in news.sweep
    assert news.sweep[-1] == "the sweep paused at epoch 2: 2 of the Step's 1,000 epochs done"
    assert news.playing == [True, False] and not news.errors


def test_a_short_sweep_step_ends_before_the_next_command(news, monkeypatch):
    # Step +37 then Pause at once (a quick key press): the 37 epochs, all of them, no flicker of
    # the Pause button and no "paused at" (the Step was done, not cut short).
    loop = news.loop
    _epochs_take(monkeypatch, loop, 0.001)
    loop.post(Step(37))
    loop.post(Pause())
    loop.work_once()
    assert loop.sweep.sweep.epoch == 37 and news.sweeps[-1].epoch == 37
    assert news.playing == [] and not any("paused" in t for t in news.sweep)
    assert not news.errors
