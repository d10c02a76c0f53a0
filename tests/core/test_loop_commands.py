"""The training loop's queue: several quick edits compile only the newest problem, but never
one that something asked about (synchronously, no Qt)."""
from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from nnviz.core.history import LossHistory
from nnviz.core.loop import Adopt, NewProblem, Request, SetSpeed, TrainLoop
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


def _held_compile(monkeypatch, hidden: tuple):
    """Trainer.compile of the networks of ``hidden`` widths waits for the returned gate; the
    other Event is set once one is waiting."""
    from nnviz.core.training import Trainer
    gate, waiting = threading.Event(), threading.Event()
    compile_ = Trainer.compile

    def compile(self):
        if self.spec.hidden == hidden:
            waiting.set()
            gate.wait(timeout=60)  # (never forever: a failing test must not hang)
        return compile_(self)
    monkeypatch.setattr(Trainer, "compile", compile)
    return gate, waiting


def _problem(hidden: tuple):
    p = notebook_problem()
    return replace(p, spec=replace(p.spec, hidden=hidden,
                                   activations=("sigmoid",) * len(hidden)))


@pytest.mark.parametrize("adopted", [False, True], ids=["new problem", "adopted run"])
def test_a_problem_replaced_while_it_is_prepared_is_given_up(monkeypatch, adopted):
    """r23 F7: a relaunch prepared the last (big) problem for ~40 s, and the session opened
    meanwhile waited for all of it. The loop goes on to the newer problem while the older one's
    preparation is still under way (held here), and that one never becomes the run (an adopted
    one's record neither)."""
    errors, shown = [], []
    loop = TrainLoop(publish=shown.append, error=errors.append)
    gate, waiting = _held_compile(monkeypatch, (7, 7))
    held = _problem((7, 7))
    loop.post(Adopt(1, held.make_trainer(), LossHistory()) if adopted else NewProblem(1, held))
    first = threading.Thread(target=loop.work_once)
    first.start()
    try:
        assert waiting.wait(60)
        loop.post(SetSpeed(3))  # a setting between them does not keep the first
        loop.post(NewProblem(2, _problem((3,))))
        first.join(60)
        assert not first.is_alive() and not gate.is_set()  # given up, still held
        assert loop.trainer is None and not shown  # never the run
        loop.work_once()
        assert not errors, errors
        assert loop.run_id == 2 and loop.trainer.spec.hidden == (3,)
        assert [s.run_id for s in shown] == [2] and loop.epochs_per_frame == 3
    finally:
        gate.set()
        first.join(60)
    loop.release()  # waits for the preparation given up, at the end of its call
    assert not loop._given_up


def test_a_problem_asked_about_while_it_is_prepared_is_prepared_to_the_end(monkeypatch):
    """A Request between a problem and the next (Undo's capture of the run left, a save) is
    about the first: it is prepared to the end and answered with it, as newest_problems keeps
    it when both are queued at once."""
    errors, got = [], []
    loop = TrainLoop(publish=lambda s: None, error=errors.append)
    gate, waiting = _held_compile(monkeypatch, (7, 7))
    loop.post(NewProblem(1, _problem((7, 7))))
    first = threading.Thread(target=loop.work_once)
    first.start()
    try:
        assert waiting.wait(60)
        loop.post(Request(lambda ctx: (ctx.run_id, ctx.trainer.spec.hidden), got.append,
                          errors.append))
        loop.post(NewProblem(2, _problem((3,))))
    finally:
        gate.set()
        first.join(60)
    assert not first.is_alive() and loop.trainer.spec.hidden == (7, 7)
    loop.work_once()
    assert not errors, errors
    assert got == [(1, (7, 7))]
    assert loop.run_id == 2 and loop.trainer.spec.hidden == (3,)
