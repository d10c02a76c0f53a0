"""What a new problem or an opened session waits for while the last one is still being prepared
(review r23 F7: after a session that ended on a 100,000-point 2-512x4-1 run, every relaunch
prepared that run again for ~40 s, and File > Open of another session waited behind it). The
preparation is held here -- the compile of the last problem's model, until the test lets it go
-- as a big run is slow: the tests wait for what the window shows, never on the clock."""
from __future__ import annotations

import os
import threading

import pytest

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.problem import Problem
from nnviz.core.training import TrainConfig, Trainer
from nnviz.gui.main_window import MainWindow
from tests.conftest import _own_settings, wait_for_run

TIMEOUT = 30_000
SESSION = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "sessions-v1",
                       "notebook-gd-e100.nnviz")  # 2-4-10-4-1, trained to epoch 100
LAST = (7, 7)  # the hidden widths of "the last problem", whose preparation is held

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def held_window(qtbot, tmp_path, monkeypatch):
    """A window opened on the last problem (as a relaunch restores it), whose model's compile
    waits for ``gate``: (the window, the gate, the compiles held so far)."""
    _own_settings(tmp_path, monkeypatch)
    gate, held = threading.Event(), []
    compile_ = Trainer.compile

    def compile(self):
        if self.spec.hidden == LAST:
            held.append(self.spec)
            gate.wait(timeout=60)  # (never forever: a failing test must not hang the worker)
        return compile_(self)
    monkeypatch.setattr(Trainer, "compile", compile)
    last = Problem(make_dataset(DataSpec("moons", samples=300)),
                   NetworkSpec(2, LAST, ("sigmoid",) * 2, 1, "sigmoid"), TrainConfig(), None, 0)
    window = MainWindow(last)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: bool(held), timeout=TIMEOUT)  # its preparation has begun
        yield window, gate, held
    finally:
        gate.set()
        window.close()
    assert not window.worker.is_running(), "the training thread outlived its window"


def _model_in_worker(w, qtbot) -> tuple:
    """The hidden widths of the worker's model now (a request answered in its thread)."""
    got = []
    w.request_state(got.append, lambda ctx: ctx.trainer.spec.hidden)
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    return got[0]


def test_a_session_opened_while_the_last_problem_prepares_comes_without_waiting(
        held_window, qtbot):
    """File > Open of another session while the last problem is still being prepared: the
    session is drawn while that preparation is still held -- the open does not wait for it --
    and the problem given up never comes back once it ends. Before its first frame, no branch
    box (what test_no_branch_box_before_the_first_frame_of_an_opened_run checked on a window
    of its own, in the same state)."""
    w, gate, held = held_window
    assert w.last_snapshot is None and w.timeline.label.full_text()  # nothing drawn yet
    # r23 F7: before an opened run's first frame, an empty branch box and a "..." button stood
    # beside the timeline. Nothing is there until a frame says the run has branches.
    tl = w.timeline
    assert not tl.branches.isVisible() and not tl.branch_menu_button.isVisible(), \
        "a branch box before the first frame"
    w.session_actions._open_reporting(SESSION)  # what File > Open does with the chosen file
    s = wait_for_run(qtbot, w, timeout=TIMEOUT)
    assert not gate.is_set() and len(held) == 1  # still held: nothing waited for it
    assert s.spec.hidden == (4, 10, 4) and s.live_epoch == 100
    assert "Epoch 100" in w.controls.epoch.text()
    assert "notebook-gd-e100.nnviz" in w.windowTitle()
    gate.set()  # the held preparation ends; its problem was given up
    assert _model_in_worker(w, qtbot) == (4, 10, 4)
    w.step(1)
    s = wait_for_run(qtbot, w, 101, timeout=TIMEOUT)
    assert s.spec.hidden == (4, 10, 4)


def test_a_new_problem_while_the_last_one_prepares_comes_without_waiting(held_window, qtbot):
    """A setting changed while the last problem is still being prepared (a layer's width): the
    new model is drawn while that preparation is still held."""
    w, gate, held = held_window
    w.editor.rows[0].width.setValue(3)
    s = wait_for_run(qtbot, w, 0, timeout=TIMEOUT)
    assert not gate.is_set()
    assert s.spec.hidden == (3, 7)
    gate.set()
    assert _model_in_worker(w, qtbot) == (3, 7)


def test_the_first_frame_comes_while_the_gradient_row_of_the_start_is_measured(
        qtbot, tmp_path, monkeypatch):
    """A relaunch after a big problem (2-512x4-1 sigmoid at 100,000 points) still waited ~9 s
    before its first frame for the gradient row of its start -- a pass over every training
    point, which only the Gradients tab draws -- and said "compiled in 13 s" for it. The row
    is held here (as a big run's is measured beside the first frame: BESIDE_START_S 0): the
    first frame comes with the loss and the boundary, the Gradients tab says it is computing,
    and its row follows once let go."""
    from tests.core.test_loop_commands import _held_start_row
    _own_settings(tmp_path, monkeypatch)
    gate, _, returned = _held_start_row(monkeypatch)
    # The notebook's problem, as a relaunch restores it (its programs are compiled once a run;
    # a 2-5-3-1 net on 300 points here compiled ~5 programs of its own for nothing this test
    # looks at).
    problem = Problem(make_dataset(DataSpec("moons")), NetworkSpec(), TrainConfig(), None, 0)
    w = MainWindow(problem)
    qtbot.addWidget(w)
    w.show()
    try:
        s = wait_for_run(qtbot, w, 0, timeout=TIMEOUT)
        assert not returned.is_set()  # drawn while the start's row is still being measured
        assert s.spec.hidden == (4, 10, 4) and 0.1 < s.metrics.train_loss < 1
        assert s.grid is not None and "Epoch 0" in w.controls.epoch.text()
        assert "Train" in w.metrics.text() and "compiling" not in w.metrics.text()
        w.show_view("gradients")
        g = w._inspection_views["gradients"]
        qtbot.waitUntil(lambda: "every training point" in g.summary.text(), timeout=TIMEOUT)
        assert not g.glw.isVisible()  # the words, no empty axes
        gate.set()
        qtbot.waitUntil(lambda: g._drawn is not None and g.glw.isVisible(), timeout=TIMEOUT)
        assert list(g.norm_curves[0].numbers[0]) == [0]  # the start's row
        assert "every training point" not in g.summary.text()
    finally:
        gate.set()
        w.close()
    assert not w.worker.is_running(), "the training thread outlived its window"
