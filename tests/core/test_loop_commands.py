"""The training loop's queue: several quick edits compile only the newest problem, but never
one that something asked about (synchronously, no Qt)."""
from __future__ import annotations

from nnviz.core.loop import Adopt, NewProblem, Request, TrainLoop
from nnviz.core.problem import notebook_problem


def test_a_run_adopted_and_left_at_once_is_the_one_its_capture_takes():
    """Ctrl+Z held down: Undo brings a trained run back (the window posts a fresh model, then
    Adopt of the trained one), Redo leaves it before the loop has taken either (the window's
    capture of the run left, a Request, then the next problem). The capture took the run
    before them, the untrained one, and the next Ctrl+Z brought it back at epoch 0: the
    trained run was lost (test_session_undo's held-down test, under load)."""
    errors, got = [], []
    loop = TrainLoop(publish=lambda s: None, error=errors.append)
    loop.post(NewProblem(1, notebook_problem()))  # the untrained run on screen
    loop.work_once()
    trained = notebook_problem().make_trainer()
    trained.run(40)
    loop.post(NewProblem(2, notebook_problem()))  # Undo: the side's fresh model ...
    loop.post(Adopt(2, trained))  # ... and its trained run, kept
    loop.post(Request(lambda ctx: (ctx.run_id, ctx.trainer.epoch), got.append))  # Redo's capture
    loop.post(NewProblem(3, notebook_problem()))  # Redo's run
    loop.work_once()
    assert not errors, errors
    assert got == [(2, 40)]
    assert loop.run_id == 3 and loop.trainer.epoch == 0  # and the newest problem is the run
