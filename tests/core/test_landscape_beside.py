"""The Landscape's numbers are computed beside the training, not between its epochs (review r26
F1, F2): the worker's loop (no Qt) with the Landscape's probe as the window sends it, its map
held in a call that the test lets go, as a wide network's takes seconds to tens of seconds."""
from __future__ import annotations

import copy
import threading
import time

import numpy as np
import pytest

from nnviz.core import landscape as ls
from nnviz.core import landscape_probe as lp
from nnviz.core.loop import NewProblem, Play, SetProbe, Step, Stop, TrainLoop
from nnviz.core.problem import notebook_problem

WAIT_S = 120  # the longest any condition is waited for (a cold compile on a busy machine)


def _hold(monkeypatch, checks: bool = True):
    """``landscape.landscape`` (the map) held until the returned gate is set, outside the
    compile thread's warm-up; ``holding`` is set while a call is held. ``checks``: it asks
    whether to give way meanwhile (core.preempt), as the probe does between its parts; else
    it is one XLA call, which cannot be interrupted. ``made`` is set once a held call has
    returned (the landscape is then made)."""
    from nnviz.core import preempt
    gate, holding, made, orig = threading.Event(), threading.Event(), threading.Event(), \
        ls.landscape

    def held(model, *args, **kwargs):
        if not gate.is_set() and \
                not threading.current_thread().name.startswith("nnviz-landscape-compile"):
            holding.set()
            try:
                for _ in range(3000):  # (never forever: a failing test must not hang)
                    if gate.wait(0.01):
                        break
                    if checks:
                        preempt.check()
            finally:
                holding.clear()
            made.set()
        return orig(model, *args, **kwargs)
    monkeypatch.setattr(ls, "landscape", held)
    return gate, holding, made


def _drive(loop: TrainLoop, done, what: str) -> None:
    """The loop's work, as its thread does it, until ``done()``."""
    end = time.monotonic() + WAIT_S
    while not done():
        assert time.monotonic() < end, f"never came: {what}"
        loop.work_once()
        if not done() and loop.commands.empty() and not loop.playing:
            loop._wake.wait(0.02)  # (what the loop waits for comes from another thread)
            loop._wake.clear()


def _loop_with_landscape():
    """A loop on the notebook's problem, the Landscape shown (its functions compiled), and the
    landscape of epoch 10 drawn: (loop, the snapshots, the window's probe)."""
    snaps: list = []
    loop = TrainLoop(publish=snaps.append)
    loop.post(NewProblem(1, notebook_problem()))
    loop.work_once()
    gui = lp.LandscapeProbe()
    gui.compile(loop.trainer)
    loop.post(SetProbe("landscape", copy.copy(gui)))
    loop.post(Step(10))

    def drawn(epoch: int):
        def done() -> bool:
            r = snaps[-1].extras.get("landscape") if snaps else None
            return r is not None and r.epoch == epoch and "landscape" not in snaps[-1].pending \
                and r.sharpness_missing == 0
        return done
    _drive(loop, drawn(10), "the landscape of epoch 10")
    return loop, snaps, gui


def test_play_trains_on_while_the_paused_epochs_landscape_is_computed(monkeypatch):
    """r26 F1: paused on the Landscape of 2-128x8-1, Play: the button read Pause, the epoch
    stayed for ~40 s. The view had sent its probe again while paused (its sharpness history
    missing), and that copy, knowing no landscape, made a whole new one before the play's
    first frame, between two epochs. The epochs come while the landscape is computed; the
    landscape drawn stays, the model placed on it, until the new one comes; and the run's
    numbers are those of a run with no Landscape at all."""
    loop, snaps, gui = _loop_with_landscape()
    gate, holding, made = _hold(monkeypatch)
    seen = []  # (epoch, whether the held landscape was made when the snapshot went out)
    publish = loop._publish
    loop._publish = lambda s: (seen.append((s.epoch, made.is_set())), publish(s))
    try:
        loop.post(Step(1))  # paused at 11: its landscape is being made
        loop.work_once()
        assert snaps[-1].epoch == 11 and "landscape" in snaps[-1].pending  # "Computing..."
        loop.post(SetProbe("landscape", copy.copy(gui)))  # the view, the history missing
        loop.post(Play())
        _drive(loop, lambda: len([e for e, _ in seen if e > 11]) >= 2, "the play's epochs")
        # They came while the landscape was still held, not made.
        assert [m for e, m in seen if e > 11][:2] == [False, False]
        r = snaps[-1].extras["landscape"]
        assert r.epoch == 10 and r.now is not None and r.now[0] == snaps[-1].epoch
    finally:
        gate.set()
    # The landscape comes, the run still playing: of the paused epoch, its map and path.
    _drive(loop, lambda: snaps[-1].extras["landscape"].epoch == 11, "the landscape of 11")
    assert loop.playing
    loop.playing = False  # (paused here, not by Pause: its snapshot would start a landscape)
    plain = notebook_problem().make_trainer()
    plain.run(loop.trainer.epoch)
    assert np.array_equal(ls.flatten(loop.trainer.params), ls.flatten(plain.params))  # bit for bit


def test_the_worker_stops_at_once_with_a_landscape_under_way(monkeypatch):
    """r26 F2: Quit -> Discard with the Landscape at work left the process running 28 s after
    the window had gone: the worker's thread, which the window waits for, was inside the
    landscape's XLA calls, which cannot be interrupted. The worker stops at once; the
    landscape's call ends on its own thread (the program does not wait for it)."""
    loop, snaps, gui = _loop_with_landscape()
    gate, holding, _ = _hold(monkeypatch, checks=False)
    thread = threading.Thread(target=loop.run_forever, name="test-worker")
    thread.start()
    try:
        loop.post(Step(1))
        end = time.monotonic() + WAIT_S
        while not holding.is_set() and time.monotonic() < end:
            holding.wait(0.05)
        assert holding.is_set()
        loop.stopping.set()
        loop.post(Stop())
        thread.join(WAIT_S)
        assert not thread.is_alive() and holding.is_set()  # the landscape's call still under way
    finally:
        gate.set()
        thread.join(WAIT_S)
    loop.release()
    end = time.monotonic() + WAIT_S
    while lp.busy() and time.monotonic() < end:
        time.sleep(0.02)
    assert not lp.busy()  # and, let go, nothing more is computed for it


@pytest.fixture(autouse=True)
def _no_landscape_left():
    yield
    lp.give_up()  # (a landscape held by a failing test ends with its test)
