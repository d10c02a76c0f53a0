"""The training loop's queue: several quick edits compile only the newest problem, but never
one that something asked about (synchronously, no Qt)."""
from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
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


def _held_start_row(monkeypatch):
    """Every run's start has its gradient row measured beside its first frame (BESIDE_START_S
    0: a big run's way, whatever the size), and that measuring waits for the returned gate:
    (gate, waiting: set once one waits, returned: set once one has returned)."""
    from nnviz.core import loop as loop_module
    gate, waiting, returned = threading.Event(), threading.Event(), threading.Event()
    norms = loop_module.gradient_norms

    def held(model):
        waiting.set()
        gate.wait(timeout=60)  # (never forever: a failing test must not hang the worker)
        try:
            return norms(model)
        finally:
            returned.set()
    monkeypatch.setattr(loop_module, "BESIDE_START_S", 0.0, raising=False)
    monkeypatch.setattr(loop_module, "gradient_norms", held)
    return gate, waiting, returned


def test_a_big_runs_first_frame_comes_before_the_gradient_row_of_its_start(monkeypatch):
    """A relaunch after a big problem (2-512x4-1 at 100,000 points) waited ~9 s more before its
    first frame for the gradient row of its start (a pass over every training point). The first
    snapshot goes out with the metrics while that row is still held; the Gradients tab's probe
    waits for it (its numbers pending, and no snapshot made again and again meanwhile); epochs
    trained meanwhile keep their rows, and the start's comes in its place before them."""
    from nnviz.core import inspect
    from nnviz.core.loop import SetProbe, Step
    gate, waiting, returned = _held_start_row(monkeypatch)
    errors, shown = [], []
    loop = TrainLoop(publish=lambda s: shown.append((s, returned.is_set())), error=errors.append)
    loop.post(SetProbe("gradients", inspect.GradientProbe()))
    loop.post(NewProblem(1, notebook_problem()))
    try:
        loop.work_once()
        assert not errors, errors
        assert len(shown) == 1
        first, row_done = shown[0]
        assert not row_done  # the first frame did not wait for the start's row
        assert first.run_id == 1 and first.epoch == 0
        assert 0.1 < first.metrics.train_loss < 1 and 0 < first.metrics.test_accuracy <= 1
        assert "gradients" in first.pending and "gradients" not in first.extras
        assert loop.log.grads is None
        loop.work_once()
        assert len(shown) == 1  # nothing to draw until the row comes
        loop.post(Step(2))
        loop.work_once()
        s, _ = shown[-1]
        assert s.epoch == 2 and "gradients" not in s.pending
        assert list(s.extras["gradients"].epochs) == [1, 2]
        assert waiting.is_set() and not returned.is_set()
    finally:
        gate.set()
    loop.start_row.result(timeout=60)
    while not (loop.log.grads is not None and loop.log.has_grads(0)):
        loop.work_once(wait=True)  # the loop hears the row came (a ProbeCame) and records it
    loop.work_once()
    assert not errors, errors
    assert list(loop.log.grads.epochs) == [0, 1, 2]
    s, _ = shown[-1]
    flow = s.extras["gradients"]
    assert list(flow.epochs) == [0, 1, 2] and not s.pending
    start = notebook_problem().make_trainer()
    norms, ratios = inspect.gradient_row(start)
    np.testing.assert_allclose(flow.grad_norms[0], norms, rtol=1e-5)
    np.testing.assert_allclose(flow.update_ratios[0], ratios, rtol=1e-5)
    loop.release()


def test_the_status_line_says_what_the_compile_took_apart_from_the_measuring():
    """2-512x4-1 at 100,000 points said "compiled in 13 s" for ~1.4 s of compile (a warm
    cache) and the rest the start's numbers over every point."""
    from nnviz.core.loop import _prepared_text
    assert _prepared_text(0.1, 0.05, 0.08) == "ready"
    assert _prepared_text(4.9, 4.8, 0.3) == "compiled in 4.8 s"
    assert _prepared_text(5.3, 1.4, 3.9) == "compiled in 1.4 s; the start's numbers in 3.9 s"
    assert _prepared_text(3.0, 0.1, 2.9) == "ready: the start's numbers in 2.9 s"
