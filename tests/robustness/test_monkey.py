"""A monkey at the controls: a hypothesis state machine drives the REAL main window (real worker
thread, offscreen) with random sequences of play, pause, step, step N, reset, restart,
architecture edits, data changes, learning-rate changes, speed changes, save and open, and checks
after every action what a user would notice:

- the epoch never goes backwards within a run, and no snapshot of an old run is ever drawn;
- what is drawn has the current spec's shapes (weights, boundary image) and is finite;
- nothing raised (pytest-qt fails the test on any exception in a slot) and no failure message;
- the worker thread is alive while the window is open, and playing exactly when the window says.

The problems stay within a few shapes (widths 4 and 10, the notebook's own, one to three layers,
the 200-point two-class data sets) so that compiling does not eat the CI budget. The sequences are
derandomized (one fixed seed): a run tries the same actions as the last, so its time does not vary
from 18 to 65 s between runs. Every kind of action is taken for sure in one fixed sequence
first (SCHEDULE): which kinds the random ones take depends on hypothesis's seed, which is the
Monkey class's source, so that any edit of it draws other sequences.
NNVIZ_MONKEY_RANDOM=1 draws new sequences each run (a long hunt: with NNVIZ_MONKEY_EXAMPLES).
"""
from __future__ import annotations

import functools
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule, run_state_machine_as_test)

from tests.conftest import wait_for_run

TIMEOUT = 60_000
DATASETS = ("moons", "xor", "circles", "gaussian")
LEARNING_RATES = ("0.1", "1", "3", "0.3", "abc", "0", "-2")  # the last three are refused

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

# Every kind of action once, each where it does something: playing when paused, a speed and a
# Step while playing, a layer removed from the notebook's three and one added back, a refused
# rate and a taken one, new data, a session saved then opened, Reset and Restart.
SCHEDULE = (("play", {}), ("speed", {"i": 4}), ("step", {}), ("pause", {}),
            ("step_n", {"n": 10}), ("set_width", {"i": 1, "width": 4}),
            ("remove_layer", {"i": 2}), ("add_layer", {}), ("learning_rate", {"text": "abc"}),
            ("learning_rate", {"text": "0.3"}), ("data_set", {"name": "xor"}), ("save", {}),
            ("open", {}), ("reset", {}), ("restart", {}))


@pytest.fixture
def monkey_window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow

    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    wait_for_run(qtbot, w)
    yield w, actions
    w.close()
    assert not w.worker.is_running(), "the training thread outlived its window"


def test_monkey(monkey_window, qtbot, tmp_path):
    from nnviz.core.problem import notebook_problem

    w, actions = monkey_window
    problems: list[str] = []  # what the drawing hooks saw go wrong
    max_epoch: dict[int, int] = {}

    def on_drawn(s) -> None:
        if s.run_id != w.run_id:
            problems.append(f"drew a snapshot of run {s.run_id} during run {w.run_id}")
        if s.epoch < max_epoch.get(s.run_id, -1):
            problems.append(f"run {s.run_id}: epoch went back from {max_epoch[s.run_id]} "
                            f"to {s.epoch}")
        max_epoch[s.run_id] = max(max_epoch.get(s.run_id, -1), s.epoch)

    w.snapshot_drawn.connect(on_drawn)
    rules: set[str] = set()  # every kind of action (each rule is @took)
    taken: set[str] = set()  # the kinds the sequences took

    def took(action):
        rules.add(action.__name__)

        @functools.wraps(action)
        def counted(self, **kwargs):
            taken.add(action.__name__)
            return action(self, **kwargs)
        return counted

    session_file = str(tmp_path / "monkey.nnviz")

    def settle() -> None:
        """Wait until the worker has done everything asked and its result is drawn."""
        box = []
        w.request_state(box.append)  # answered after every earlier command: a barrier
        qtbot.waitUntil(lambda: bool(box) or bool(w.last_error), timeout=TIMEOUT)
        assert not w.last_error, w.last_error
        epoch = box[0].epoch

        def drawn() -> bool:
            s = w.last_snapshot
            if s is None or s.run_id != w.run_id:
                return False
            return s.epoch >= epoch if w.playing else s.epoch == epoch
        qtbot.waitUntil(drawn, timeout=TIMEOUT)

    class Monkey(RuleBasedStateMachine):
        saved = False  # set per instance once this example saved a file

        @initialize()
        def notebook_problem(self):
            self.saved = False  # per example: preconditions must not depend on earlier ones
            problems.clear()
            w.controls.speed.setValue(w.controls.speed.maximum())
            w.load_problem(notebook_problem())
            settle()

        @rule()
        @took
        def play(self):
            w.play()
            qtbot.wait(30)
            settle()

        @rule()
        @took
        def pause(self):
            w.pause()
            settle()

        @rule()
        @took
        def step(self):
            w.step(1)
            settle()

        @rule(n=st.sampled_from([10, 100, 1000]))
        @took
        def step_n(self, n):
            w.step(n)
            settle()

        @rule()
        @took
        def reset(self):
            w.reset()
            settle()
            assert w.last_snapshot.epoch == 0

        @rule()
        @took
        def restart(self):
            w.restart()
            settle()
            assert w.last_snapshot.epoch == 0

        @rule(i=st.integers(0, 2), width=st.sampled_from([4, 10]))
        @took
        def set_width(self, i, width):
            rows = w.editor.rows
            rows[i % len(rows)].width.setValue(width)
            settle()

        @precondition(lambda self: len(w.editor.rows) < 3)
        @rule()
        @took
        def add_layer(self):
            w.editor.add.click()
            settle()

        @precondition(lambda self: len(w.editor.rows) > 1)
        @rule(i=st.integers(0, 2))
        @took
        def remove_layer(self, i):
            rows = w.editor.rows
            rows[i % len(rows)].remove.click()
            settle()

        @rule(name=st.sampled_from(DATASETS))
        @took
        def data_set(self, name):
            combo = w.data_panel.dataset
            combo.setCurrentIndex(combo.findData(name))
            settle()

        @rule(text=st.sampled_from(LEARNING_RATES))
        @took
        def learning_rate(self, text):
            field = w.training_panel.lr
            before = w.current_problem().config.learning_rate
            run = w.run_id
            w.panels_scroll.reveal(field)  # its tab in front (a narrow window), as a click does
            field.setEditText(text)
            field.lineEdit().editingFinished.emit()
            settle()
            assert w.run_id == run  # a rate never starts a new run
            if text in ("abc", "0", "-2"):
                assert w.training_panel.message.isVisible()
                assert w.current_problem().config.learning_rate == before
            else:
                assert w.current_problem().config.learning_rate == float(text)

        @rule(i=st.integers(0, 10))
        @took
        def speed(self, i):
            w.controls.speed.setValue(i)
            settle()

        @rule()
        @took
        def save(self):
            with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
                actions.save_to(session_file)
            self.saved = True
            settle()

        @rule()
        @took
        def open(self):
            # The session saved in this example, or one saved now: no precondition, so that a
            # fixed seed takes this rule as often as the others (behind "save" it was drawn in
            # no example of one seed).
            if not self.saved:
                self.save()
            actions.open_session(session_file)
            settle()

        @invariant()
        def what_is_drawn_is_the_current_run(self):
            assert not problems, problems
            assert w.worker.is_running()
            assert not w.last_error, w.last_error
            qtbot.waitUntil(lambda: w.worker.loop.playing == w.playing, timeout=5_000)
            s = w.last_snapshot
            if s is None or s.run_id != w.run_id:
                return
            spec = w.current_problem().spec
            assert s.spec == spec
            assert [(a.shape, b.shape) for a, b in s.params] == spec.param_shapes()
            assert w.editor.shapes.text() == spec.shapes_text()
            image = w.boundary.image_data()
            assert image.shape == (len(s.grid.ys), len(s.grid.xs))
            assert np.all(np.isfinite(image))
            # The curves end at the last epoch, or one on with the losses after it (the
            # readout's: the test's and, loss_plot.train_curve, the train's), never further.
            for curve in (w.loss_plot.train, w.loss_plot.test):
                x, y = curve.getData()
                if x is not None and len(x):
                    assert x[-1] <= s.live_epoch + 1 and np.all(np.isfinite(y))
            x, y = w.loss_plot.train.getOriginalDataset()
            if x is not None and len(x) and w.loss_plot._drawn is s and not s.past:
                assert x[-1] <= s.epoch + 1
                if x[-1] == s.epoch + 1:
                    assert y[-1] == np.float32(s.metrics.train_loss) == np.float32(s.end_loss)
            assert w.controls.epoch.text() == f"Epoch {s.epoch:,}"

    # First one fixed sequence that takes every kind of action, the invariants checked after
    # each: which kinds 12 random sequences take is hypothesis's to say. It seeds them from
    # the Monkey class's source and draws each sequence from a random subset of the rules
    # (swarm testing), so an edit of one invariant's wording left add_layer out of all 12
    # (on main's code as well: review r22 F5's attempt), where a comment added did not.
    assert {name for name, _ in SCHEDULE} == rules, "a new kind of action: schedule it too"
    machine = Monkey()
    machine.notebook_problem()
    machine.what_is_drawn_is_the_current_run()
    for name, kwargs in SCHEDULE:
        rows = len(w.editor.rows)
        assert {"add_layer": rows < 3, "remove_layer": rows > 1}.get(name, True), \
            f"{name} is not possible with {rows} layers: reorder the schedule"
        getattr(machine, name)(**kwargs)
        machine.what_is_drawn_is_the_current_run()
    assert taken == rules, f"the schedule did not take {sorted(rules - taken)}"

    # Then 12 random sequences of 10 actions, the same ones each run (a fixed seed), the
    # invariants checked after each action; 13 more of the fixed seed were the same kinds again
    # in other orders (~5 of its ~32 CPU s: most of the rest is compiling its few shapes). A
    # hunt for new sequences: NNVIZ_MONKEY_RANDOM=1 with NNVIZ_MONKEY_EXAMPLES=200.
    examples = int(os.environ.get("NNVIZ_MONKEY_EXAMPLES", "12"))
    run_state_machine_as_test(Monkey, settings=settings(
        max_examples=examples, stateful_step_count=10, deadline=None,
        derandomize=os.environ.get("NNVIZ_MONKEY_RANDOM", "0") == "0",
        suppress_health_check=list(HealthCheck)))
    w.pause()
