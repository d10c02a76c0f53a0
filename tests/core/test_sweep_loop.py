"""The training loop drives a sweep beside the live run (synchronously, no Qt): Step and Play go
to the sweep while it has the focus, to the live run otherwise; its snapshots carry every
member."""
from __future__ import annotations

from nnviz.core.loop import (EndSweep, FocusSweep, NewProblem, Pause, Play, StartSweep, Step,
                             SweepRequest, TrainLoop)
from nnviz.core.problem import notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from nnviz.core.sweep_driver import member_run


def _loop():
    runs, sweeps, errors = [], [], []
    loop = TrainLoop(publish=runs.append, publish_sweep=sweeps.append, error=errors.append)
    loop.post(NewProblem(1, notebook_problem()))
    loop.work_once()
    spec = SweepSpec(notebook_problem(), (Axis("init_seed", (0, 1, 2)),))
    loop.post(StartSweep(7, spec))
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
