"""Mistakes that threw a trained run away now come back with Undo: opening a session over it
(File -> Open, Open recent), Reset (R) and Restart; and opening a session closes an open
exercise, whose goals were scored on the opened problem (a new user's review)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from nnviz.core import presets  # noqa: E402

from .test_exercise_panel import XOR  # noqa: E402
from .test_problem_defaults import choose  # noqa: E402
from .test_session_actions import (  # noqa: E402,F401
    TIMEOUT, _step, own_settings, shown_title, wait_run, win)


def _branched(qtbot, w, epochs=40, fork=20, more=10):
    """A run trained ``epochs``, then branched at ``fork`` and trained ``more``: "run 2" at
    epoch fork + more, "run 1" kept beside it."""
    _step(qtbot, w, epochs)
    w.timeline.slider.setValue(fork)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == fork, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    # paused, the branch trains nothing yet: the status bar says what will
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == (
        f"Made the branch run 2 at epoch {fork:,} of run 1: Play (Space) trains it; Ctrl+Z "
        "takes it back."), timeout=TIMEOUT)
    return _step(qtbot, w, more)


def _save(qtbot, actions, path):
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(path))


def _open_with_the_menu(qtbot, actions, monkeypatch, path):
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: str(path))
    with qtbot.waitSignal(actions.opened, timeout=TIMEOUT):
        actions.open_dialog()  # File -> Open...: read off the GUI thread


def _status(w):
    return w.statusBar().currentMessage()



def _is_the_branched_run(w, back, trained):
    """``back`` (the snapshot after an undo) is ``trained``'s run: its branch, the one beside it
    on the timeline, its weights."""
    assert back.branch == "run 2" and [b.name for b in back.branches] == ["run 1"]
    assert w.timeline.branches.count() == 2
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])

def test_undo_brings_back_the_trained_run_an_opened_session_replaced(win, qtbot, tmp_path,
                                                                     monkeypatch):
    w, actions = win
    other = tmp_path / "other.nnviz"
    actions.load_preset(presets.get("xor"))
    wait_run(qtbot, w)
    _step(qtbot, w, 5)
    _save(qtbot, actions, other)
    # Another run, trained and branched, not saved: a mis-click on Open must not lose it.
    actions.load_preset(presets.get("moons"))
    wait_run(qtbot, w, 0)
    actions.path = None
    actions._set_title()
    trained = _branched(qtbot, w)
    assert actions.unsaved_epochs() > 0

    _open_with_the_menu(qtbot, actions, monkeypatch, other)
    wait_run(qtbot, w, 5)
    assert shown_title(w) == "other.nnviz \u2014 nnviz"
    assert actions.undo_action.isEnabled()
    assert actions.undo_action.text().replace("&", "") == "Undo open other.nnviz"
    assert "Ctrl+Z brings the run before back" in _status(w)

    actions.undo_action.trigger()
    back = wait_run(qtbot, w, 30)
    assert _status(w) == "Undo open other.nnviz: the run before is back."
    _is_the_branched_run(w, back, trained)
    assert w.current_problem().source.name == "moons"
    assert shown_title(w) == "nnviz*"  # not saved: its file is none again, its epochs marked
    assert actions.unsaved_epochs() > 0  # Quit would still ask for it

    actions.redo_action.trigger()  # and the session again
    wait_run(qtbot, w, 5)
    assert shown_title(w) == "other.nnviz \u2014 nnviz"
    assert actions.unsaved_epochs() == 0  # as the file holds it
    assert w.current_problem().source.name == "xor"


def test_open_recent_over_a_trained_run_is_undoable_too(win, qtbot, tmp_path):
    w, actions = win
    other = tmp_path / "other.nnviz"
    _step(qtbot, w, 5)
    _save(qtbot, actions, other)
    _step(qtbot, w, 20)  # 20 epochs past the save
    recent = next(a for a in actions.recent_menu.actions() if a.toolTip() == str(other))
    with qtbot.waitSignal(actions.opened, timeout=TIMEOUT):
        recent.trigger()
    wait_run(qtbot, w, 5)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 25)
    assert actions.unsaved_epochs() == 20  # the save is still the one at epoch 5


def test_opening_with_nothing_to_undo_adds_no_undo_step(win, qtbot, tmp_path, monkeypatch):
    """A window with nothing to go back to (as one just launched) opens a session without an
    Undo step, and the Redo of the run before goes: it would redo over the opened session."""
    w, actions = win
    path = tmp_path / "run.nnviz"
    _step(qtbot, w, 5)
    _save(qtbot, actions, path)
    actions.load_preset(presets.get("xor"))
    wait_run(qtbot, w, 0)
    actions.undo_stack.clear()  # as a window just launched on the XOR preset
    actions.load_preset(presets.get("moons"))
    wait_run(qtbot, w, 0)
    actions.undo_action.trigger()  # back to XOR, untrained: nothing to undo, a Redo
    qtbot.waitUntil(lambda: w.current_problem().source.name == "xor", timeout=TIMEOUT)
    assert actions.redo_action.isEnabled() and not actions.undo_action.isEnabled()
    _open_with_the_menu(qtbot, actions, monkeypatch, path)
    wait_run(qtbot, w, 5)
    assert not actions.undo_action.isEnabled() and not actions.redo_action.isEnabled()
    assert "Ctrl+Z" not in _status(w)


def test_opening_over_an_untrained_run_keeps_the_trained_runs_before_it(win, qtbot, tmp_path,
                                                                        monkeypatch):
    """Trained, then a preset (an untrained run), then Open: Undo went grey, and the trained
    run that Undo had kept behind the preset was gone without a word."""
    w, actions = win
    path = tmp_path / "run.nnviz"
    _step(qtbot, w, 5)
    _save(qtbot, actions, path)
    trained = _step(qtbot, w, 15)  # 15 epochs no save holds
    actions.load_preset(presets.get("xor"))
    wait_run(qtbot, w, 0)
    _open_with_the_menu(qtbot, actions, monkeypatch, path)
    wait_run(qtbot, w, 5)
    assert actions.undo_action.text().replace("&", "") == "Undo open run.nnviz"
    assert "Ctrl+Z brings the run before back" in _status(w)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 0)
    assert w.current_problem().source.name == "xor"
    actions.undo_action.trigger()
    back = wait_run(qtbot, w, 20)
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])
    assert actions.unsaved_epochs() == 15  # Quit would still ask for it


def test_reset_and_restart_can_be_undone(win, qtbot):
    w, actions = win
    trained = _branched(qtbot, w)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_R)  # the single key: one slip
    wait_run(qtbot, w, 0)
    assert _status(w) == "Reset: Ctrl+Z brings the run back."
    assert actions.undo_action.text().replace("&", "") == "Undo reset"
    actions.undo_action.trigger()
    back = wait_run(qtbot, w, 30)
    assert _status(w) == "Undo reset: the run is back."
    _is_the_branched_run(w, back, trained)
    assert w.loss_plot.train.getData()[0][-1] == 31  # the loss after epoch 30, at 31

    w.controls.restart.click()
    wait_run(qtbot, w, 0)
    assert _status(w) == "Restart: Ctrl+Z brings the run back."
    actions.undo_action.trigger()
    again = wait_run(qtbot, w, 30)
    np.testing.assert_array_equal(again.params[0][0], trained.params[0][0])
    actions.redo_action.trigger()  # the restarted run: epoch 0, the same initial weights
    wait_run(qtbot, w, 0)


def test_an_undo_button_goes_with_the_message_that_offers_undo(win, qtbot):
    """Review r19 #6: the bare R key reset a trained run in front of a class; only the status
    line said that Ctrl+Z brings it back. While that message shows, an Undo button is beside
    it; a click brings the run back, and the button goes with the message."""
    w, actions = win
    bar = w.statusBar()
    button = actions.undo_button
    trained = _branched(qtbot, w)
    assert button.isVisible() == ("Ctrl+Z" in _status(w))  # ("Made the branch ...")
    bar.clearMessage()
    assert not button.isVisible()
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_R)
    wait_run(qtbot, w, 0)
    qtbot.waitUntil(lambda: _status(w) == "Reset: Ctrl+Z brings the run back.")
    qtbot.waitUntil(button.isVisible)
    assert button.text() == "Undo" and button.toolTip() == "Undo reset (Ctrl+Z)."
    # In the bar, right after the message, which still reads whole.
    assert bar.displayed_message() == _status(w)
    said = bar.message_rect().left() + bar.fontMetrics().horizontalAdvance(_status(w))
    qtbot.waitUntil(lambda: said < button.x() < said + 40)
    assert bar.rect().contains(button.geometry())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    back = wait_run(qtbot, w, 30)
    _is_the_branched_run(w, back, trained)
    qtbot.waitUntil(lambda: _status(w) == "Undo reset: the run is back.")
    assert not button.isVisible()
    # Trained on after the offer, the button goes (it would throw those epochs away); the
    # message stays (review r21).
    qtbot.keyClick(w, Qt.Key.Key_R)
    wait_run(qtbot, w, 0)
    qtbot.waitUntil(button.isVisible)
    _step(qtbot, w, 3)
    qtbot.waitUntil(lambda: not button.isVisible())
    assert _status(w) == "Reset: Ctrl+Z brings the run back." or "Ctrl+Z" not in _status(w)
    # A message that offers no undo has no button; nor does the bar once a message has gone.
    bar.clearMessage()
    bar.showMessage("Reset: Ctrl+Z brings the run back.")
    assert button.isVisible()
    bar.clearMessage()
    assert not button.isVisible()


def test_resets_an_untrained_one_then_redo_after_a_second_one(win, qtbot):
    """Two checks of Reset on one window (a window each, alike at epoch 0): the untrained
    window's Reset adds no undo step (first, while nothing is on the stack), then a run
    trained after a second Reset comes back with Redo."""
    _a_reset_of_an_untrained_run_is_no_undo_step(win, qtbot)
    _redo_brings_back_a_run_trained_after_a_second_reset(win, qtbot)


def _redo_brings_back_a_run_trained_after_a_second_reset(win, qtbot):
    """Review r21: R on a trained run (an undo step), R again at once (on the untrained run: no
    step of its own, but new weights), 20 epochs trained, Undo, Redo: the run came back at
    epoch 0 and the 20 epochs were gone for good, Redo greyed."""
    w, actions = win
    _step(qtbot, w, 30)
    w.reset()
    wait_run(qtbot, w, 0)
    w.reset()  # untrained: no undo step
    wait_run(qtbot, w, 0)
    trained = _step(qtbot, w, 20)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 30)
    actions.redo_action.trigger()
    back = wait_run(qtbot, w, 20)
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])
    assert w.loss_plot.train.getData()[0][-1] == 20


def _a_reset_of_an_untrained_run_is_no_undo_step(win, qtbot):
    w, actions = win
    wait_run(qtbot, w, 0)
    assert not actions.undo_action.isEnabled(), "a fresh window, before the reset"
    w.reset()
    wait_run(qtbot, w, 0)
    assert not actions.undo_action.isEnabled(), "the untrained run's reset"


def test_opening_a_session_closes_the_exercise_and_undo_opens_it_again(main_window, qtbot,
                                                                       tmp_path, monkeypatch):
    w = main_window
    actions, ex = w.session_actions, w.exercise_actions
    moons = tmp_path / "moons.nnviz"
    _step(qtbot, w, 10)
    _save(qtbot, actions, moons)
    w.open_exercise(str(XOR))  # no hidden layer: it cannot separate XOR
    wait_run(qtbot, w, 0)
    ex.reveal_hint()
    _step(qtbot, w, 20)
    _open_with_the_menu(qtbot, actions, monkeypatch, moons)
    wait_run(qtbot, w, 10)
    _step(qtbot, w, 5)  # snapshots of the opened problem: nothing grades them
    assert ex.exercise is None and not ex.panel.isVisible()
    assert w.side_tabs.exercise is None
    assert all("goals met" not in w.side_tabs.tabText(i) for i in range(w.side_tabs.count()))
    assert "Ctrl+Z brings the exercise before back" in _status(w)

    actions.undo_action.trigger()  # the exercise and its run, at epoch 20
    wait_run(qtbot, w, 20)
    assert _status(w) == "Undo open moons.nnviz: the exercise before is back."
    assert ex.exercise is not None and ex.panel.isVisible()
    assert "XOR without a hidden layer" in ex.panel.title.text()
    assert ex.hints_shown == 1 and "Hint 1." in ex.panel.hints.text()
    assert w.current_problem().spec.hidden == ()
    qtbot.waitUntil(lambda: "goals met" in w.side_tabs.tabText(0), timeout=TIMEOUT)
    assert not ex.all_met


def test_an_exercises_stop_with_a_session_opened_and_with_close(main_window, qtbot, tmp_path,
                                                                monkeypatch):
    """An exercise's stop on one window (a window each, alike at epoch 0): it leaves with the
    exercise when a session is opened and comes back with Undo; then the exercise opened
    again and closed keeps its run and its stop."""
    _an_exercises_stop_leaves_with_it_when_a_session_is_opened(main_window, qtbot, tmp_path,
                                                               monkeypatch)
    _closing_an_exercise_keeps_its_run_and_its_stop(main_window, qtbot)


def _an_exercises_stop_leaves_with_it_when_a_session_is_opened(main_window, qtbot,
                                                               tmp_path, monkeypatch):
    """File > Open over an exercise: the exercise went, its "Stop at 2,000" stayed in the
    field, and Play stopped the opened run there (the file says nothing of a stop). Undo
    brings the exercise back, and its stop with it."""
    w = main_window
    actions, ex = w.session_actions, w.exercise_actions
    moons = tmp_path / "moons.nnviz"
    _save(qtbot, actions, moons)  # saved with no stop
    w.open_exercise(str(XOR))
    wait_run(qtbot, w, 0)
    epochs = ex.exercise.epochs
    assert w.controls.stop_at.text() == f"{epochs:,}"
    _open_with_the_menu(qtbot, actions, monkeypatch, moons)
    wait_run(qtbot, w, 0)
    assert ex.exercise is None
    assert w.controls.stop_at.text() == "never" and w.stop_at() is None
    actions.undo_action.trigger()  # the exercise again, and where its task stops
    qtbot.waitUntil(lambda: ex.exercise is not None, timeout=TIMEOUT)
    assert w.controls.stop_at.text() == f"{epochs:,}" and w.stop_at() == epochs


def _closing_an_exercise_keeps_its_run_and_its_stop(main_window, qtbot):
    # Close leaves the exercise's run in the window ("its data, network and settings stay"),
    # and where it stops with it.
    w, ex = main_window, main_window.exercise_actions
    w.open_exercise(str(XOR))
    wait_run(qtbot, w, 0)
    epochs = ex.exercise.epochs
    ex.panel.close_button.click()
    assert ex.exercise is None and w.controls.stop_at.text() == f"{epochs:,}", "closed"
    assert w.current_problem().spec.hidden == (), "the exercise's run stays"


def test_undoing_an_exercise_closes_it_over_the_run_it_replaced(main_window, qtbot):
    # Its goals were scored on the run before, brought back by the undo (moons: "1/1 met").
    w = main_window
    actions, ex = w.session_actions, w.exercise_actions
    _step(qtbot, w, 10)
    w.open_exercise(str(XOR))
    wait_run(qtbot, w, 0)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 10)  # the moons run
    _step(qtbot, w, 5)
    assert ex.exercise is None and w.side_tabs.exercise is None
    assert all("goals met" not in w.side_tabs.tabText(i) for i in range(w.side_tabs.count()))
    actions.redo_action.trigger()  # the exercise again, its controls locked
    wait_run(qtbot, w, 0)
    assert ex.exercise is not None and "XOR" in ex.panel.title.text()
    assert not w.data_panel.isEnabled()


def test_undoing_a_reset_of_a_saved_run_counts_only_the_epochs_after_the_save(win, qtbot, tmp_path):
    w, actions = win
    _step(qtbot, w, 30)
    _save(qtbot, actions, tmp_path / "run.nnviz")
    _step(qtbot, w, 5)
    w.reset()
    wait_run(qtbot, w, 0)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 35)
    assert actions.unsaved_epochs() == 5  # Quit asks for the 5 epochs after the save only


def test_untrained_edits_do_not_push_a_trained_run_out_of_undo(win, qtbot):
    # A reviewer trained fruit.csv to epoch 1,225, clicked "+ Add layer" five times and pressed
    # Ctrl+Z five times: the network was back, at epoch 0 with a fresh loss, and the Edit menu
    # offered "Undo import of fruit". Each untrained network had taken one of the runs Undo
    # keeps. An untrained run is its settings and initial weights (nothing to keep): only
    # trained runs count, and the trained one comes back at its epoch with its loss.
    from nnviz.core.csvdata import read_csv
    from nnviz.gui.actions.imports import example_files
    w, actions = win
    fruit = next(path for name, path, _ in example_files() if name == "fruit.csv")
    assert actions.import_data(read_csv(fruit))
    wait_run(qtbot, w, 0)
    trained = _step(qtbot, w, 300)  # (a Step trains unpaced, whatever the speed)
    shapes, layers = w.current_problem().spec.shapes_text(), len(w.current_problem().spec.hidden)
    edits = 5  # the reviewer's: more than the trained runs Undo keeps
    for i in range(edits):
        # "+ Add layer", then the added layer removed, by turns: five untrained networks, as
        # the reviewer's five, in two shapes (five new shapes were five more compiles of the
        # same proof; the untrained network of fruit's own shape is a step Undo keeps as well)
        if i % 2 == 0:
            w.editor.add.click()
        else:
            w.editor.rows[-1].remove.click()
        assert len(w.current_problem().spec.hidden) == layers + (i % 2 == 0)
        wait_run(qtbot, w, 0)
    assert actions.undo_action.text().replace("&", "").startswith("Undo add a hidden layer")
    assert "Undo keeps" not in _status(w)  # nothing trained was let go: nothing to say
    for _ in range(edits):
        actions.undo_action.trigger()
    back = wait_run(qtbot, w)
    assert w.current_problem().spec.shapes_text() == shapes
    assert back.epoch == 300
    assert back.metrics.train_loss == pytest.approx(trained.metrics.train_loss, rel=1e-6)
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])
    assert actions.undo_action.text().replace("&", "") == "Undo import of fruit"


def test_a_trained_run_left_before_it_is_drawn_is_still_kept(win, qtbot):
    # Ctrl+Z held down goes through the steps faster than their runs are drawn: a trained run
    # brought back and left before its first picture was taken for an untrained one (a fresh
    # model when Undo came back to it).
    w, actions = win
    trained = _step(qtbot, w, 40)
    w.data_panel.noise.setValue(0.3)
    wait_run(qtbot, w, 0)
    actions.undo_action.trigger()  # the trained run, not drawn yet ...
    actions.redo_action.trigger()  # ... is left at once
    actions.undo_action.trigger()
    back = wait_run(qtbot, w)
    assert back.epoch == 40
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])


def test_a_trained_run_the_undo_limit_drops_is_said(win, qtbot):
    # The stack keeps UNDO_LIMIT steps: the first one goes when one more comes, and with it a
    # trained run it kept (untrained steps after it do not count against the runs kept).
    from nnviz.gui.actions.undo import UNDO_LIMIT
    w, actions = win
    _step(qtbot, w, 20)
    w.data_panel.noise.setValue(0.3)  # step 1 keeps the run of epoch 20
    wait_run(qtbot, w, 0)
    field = w.training_panel.lr.lineEdit()

    def rate(value):  # the user types a learning rate: no new run, one undo step
        field.setText(f"{value:g}")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    for i in range(UNDO_LIMIT - 1):
        rate(0.01 + 0.001 * i)
    assert actions.undo_stack.count() == UNDO_LIMIT
    assert "Undo keeps" not in _status(w)
    rate(0.5)
    qtbot.waitUntil(lambda: _status(w).endswith(
        "Undo keeps 100 steps: the run at epoch 20 can no longer be undone to. To keep a run, "
        "save the session."), timeout=TIMEOUT)


def test_undoing_an_open_brings_back_a_saved_run_as_saved(win, qtbot, tmp_path, monkeypatch):
    """Train, Save as s3, Open s1, Undo: the run back is the one s3.nnviz holds, so the title
    has no "*" and Quit has nothing to ask; Redo: s1 as opened, unmarked too (a reviewer saw
    "s3.nnviz*" and a question at Quit though nothing had changed)."""
    w, actions = win
    s1, s3 = tmp_path / "s1.nnviz", tmp_path / "s3.nnviz"
    _step(qtbot, w, 5)
    _save(qtbot, actions, s1)
    _step(qtbot, w, 20)
    _save(qtbot, actions, s3)
    assert shown_title(w) == "s3.nnviz \u2014 nnviz"

    _open_with_the_menu(qtbot, actions, monkeypatch, s1)
    wait_run(qtbot, w, 5)
    actions.undo_action.trigger()
    wait_run(qtbot, w, 25)
    qtbot.waitUntil(lambda: shown_title(w) == "s3.nnviz \u2014 nnviz", timeout=TIMEOUT)
    assert not actions.unsaved_work()
    assert actions.may_close()  # no question: nothing would be lost

    actions.redo_action.trigger()
    wait_run(qtbot, w, 5)
    qtbot.waitUntil(lambda: shown_title(w) == "s1.nnviz \u2014 nnviz", timeout=TIMEOUT)
    assert not actions.unsaved_work()
    # An edit after the undo is unsaved work again.
    actions.undo_action.trigger()
    wait_run(qtbot, w, 25)
    field = w.training_panel.lr.lineEdit()  # a new rate: an Undo step, the file's run edited
    field.setText("0.05")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: actions.unsaved_work(), timeout=TIMEOUT)
    assert shown_title(w) == "s3.nnviz* \u2014 nnviz"


def _branch_names(w):
    return [w.timeline.branches.itemText(i) for i in range(w.timeline.branches.count())]


def test_continue_from_here_is_an_undo_step_that_loses_nothing_trained(win, qtbot, tmp_path,
                                                                        monkeypatch):
    """After "Continue from here", Edit offered "Undo open s1.nnviz" and Ctrl+Z threw the
    session away. Branching is a step: undo goes back to the branch before (the new one out of
    the run, or, once it has trained epochs of its own, left in the list); redo brings it back."""
    w, actions = win
    path = tmp_path / "s1.nnviz"
    _step(qtbot, w, 5)
    _save(qtbot, actions, path)
    _open_with_the_menu(qtbot, actions, monkeypatch, path)  # "Undo open s1.nnviz" below
    wait_run(qtbot, w, 5)
    _step(qtbot, w, 35)
    w.timeline.slider.setValue(20)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 20, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: actions.undo_action.text().replace("&", "") ==
                    "Undo continue from here (epoch 20)", timeout=TIMEOUT)

    actions.undo_action.trigger()  # the branch, not the opening
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1" and
                    w.last_snapshot.live_epoch == 40 and _branch_names(w) == ["run 1"],
                    timeout=TIMEOUT)
    assert shown_title(w) == "s1.nnviz* \u2014 nnviz"  # the session's run, trained on
    assert actions.undo_action.text().replace("&", "") == "Undo open s1.nnviz"
    actions.redo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2" and
                    w.last_snapshot.live_epoch == 20, timeout=TIMEOUT)
    assert sorted(_branch_names(w)) == ["run 1", "run 2"]

    trained = _step(qtbot, w, 10)  # epochs of its own: an undo keeps them in the run
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1" and
                    w.last_snapshot.live_epoch == 40, timeout=TIMEOUT)
    assert sorted(_branch_names(w)) == ["run 1", "run 2"]
    assert "run 2 stays in the branch list" in _status(w)
    actions.redo_action.trigger()
    back = wait_run(qtbot, w, 30)
    assert back.branch == "run 2"
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])


def _diverge(qtbot, w) -> int:
    """The notebook's network with a linear output, picked in the Network tab, at lr 10: the
    loss grows a few hundredfold an epoch (0.25, 48, 19,000, 6.9e6) and the run diverges after
    epoch 3 (the banner says so); the epoch it stopped at. (The notebook's own sigmoid output
    at lr 10,000 diverged only through the sigmoid's NaN gradient; that gradient is 0 now, and
    the run saturates instead, its loss stuck at 0.52.)"""
    choose(w.editor.output_activation, "linear")
    s = wait_run(qtbot, w, 0)
    assert s.spec.output_activation == "linear"
    w.set_learning_rate(10)
    w.step(200)
    qtbot.waitUntil(lambda: "diverged" in w.banner.text() and w.banner.isVisible(),
                    timeout=TIMEOUT)
    return w.last_snapshot.live_epoch


def _banner_says_divergence(w) -> bool:
    return w.banner.isVisible() and "diverged" in w.banner.text()


def test_the_divergence_banner_goes_with_its_run_and_comes_back_with_it(win, qtbot, tmp_path,
                                                                        monkeypatch):
    """The red "Training diverged after epoch N" stayed up over runs it was not about (a new
    user's review); it did not come back with the run it was about either. It is about the run
    shown: Reset, File -> Open and a preset take it away; Undo brings the run back, and it."""
    w, actions = win
    other = tmp_path / "other.nnviz"
    _save(qtbot, actions, other)  # the notebook's run, untrained
    epoch = _diverge(qtbot, w)
    w.reset()
    wait_run(qtbot, w, 0)
    assert not w.banner.isVisible()
    actions.undo_action.trigger()  # "Undo reset": the run that diverged
    wait_run(qtbot, w, epoch)
    qtbot.waitUntil(lambda: _banner_says_divergence(w), timeout=TIMEOUT)
    assert f"after epoch {epoch}:" in w.banner.text()

    _open_with_the_menu(qtbot, actions, monkeypatch, other)
    wait_run(qtbot, w, 0)
    assert not w.banner.isVisible()
    actions.undo_action.trigger()  # "Undo open other.nnviz"
    wait_run(qtbot, w, epoch)
    qtbot.waitUntil(lambda: _banner_says_divergence(w), timeout=TIMEOUT)

    actions.load_preset(presets.get("xor"))
    wait_run(qtbot, w, 0)
    assert not w.banner.isVisible()
    actions.undo_action.trigger()
    wait_run(qtbot, w, epoch)
    qtbot.waitUntil(lambda: _banner_says_divergence(w), timeout=TIMEOUT)
    w.play()  # goes on from it: the banner goes (and comes again if it diverges again)
    assert not w.banner.isVisible()


def test_the_divergence_banner_goes_with_a_branch_from_before_it_and_stays_in_its_past(
        win, qtbot):
    """Rewound to before the divergence and continued from there, the banner still said the
    run had diverged: the branch shown has not. Looking back at the diverged branch's past, it
    has; switched back to, or the branch undone, it says so again."""
    w, actions = win
    epoch = _diverge(qtbot, w)
    w.timeline.slider.setValue(epoch - 1)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch - 1, timeout=TIMEOUT)
    assert _banner_says_divergence(w)  # the past of the run that diverged: still true
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    assert not w.banner.isVisible()
    w.timeline.branches.setCurrentIndex(0)
    w.timeline.branches.activated.emit(0)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    assert _banner_says_divergence(w) and f"after epoch {epoch}:" in w.banner.text()
    w.timeline.branches.setCurrentIndex(1)
    w.timeline.branches.activated.emit(1)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    assert not w.banner.isVisible()
    actions.undo_action.trigger()  # "Undo continue from here": back to run 1
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    assert _banner_says_divergence(w)


def _type_rate(qtbot, w, rate: str, live: bool = True) -> None:
    field = w.training_panel.lr.lineEdit()
    field.setText(rate)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    if live:  # (in the past the rate waits for where training goes on)
        qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == float(rate),
                        timeout=TIMEOUT)
    assert w.training_panel.lr.value() == float(rate)


def _pick_branch(qtbot, w, name):
    """The branch box's choice, as a click on it does."""
    box = w.timeline.branches
    i = box.findText(name)
    box.setCurrentIndex(i)
    box.activated.emit(i)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == name, timeout=TIMEOUT)


@pytest.mark.parametrize("shown_at_save", ["run 1", "run 2", None])
def test_undo_after_opening_a_session_and_switching_branch_keeps_the_run(win, qtbot, tmp_path,
                                                                         monkeypatch,
                                                                         shown_at_save):
    """A reviewer trained at rate 1, went back, set 10 and continued ("run 2"), saved, opened
    the file, chose run 2 in the branch box and set the optimizer to momentum. The Edit menu
    said "Undo optimizer gd -> momentum, learning rate 1 -> 0.1" (the field showed 10), and
    Undo gave epoch 0 with no branches: the whole trained run was gone. Undo brings back run 2
    as it was, at 10, beside run 1; a rate changed there is undone to 10."""
    w, actions = win
    _step(qtbot, w, 60)
    w.timeline.slider.setValue(30)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 30, timeout=TIMEOUT)
    _type_rate(qtbot, w, "10", live=False)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    _step(qtbot, w, 20)
    if shown_at_save in ("run 1", None):
        _pick_branch(qtbot, w, "run 1")
    if shown_at_save is not None:  # (None: the same steps without a file, as they worked)
        path = tmp_path / "s1.nnviz"
        _save(qtbot, actions, path)
        _open_with_the_menu(qtbot, actions, monkeypatch, path)
        assert wait_run(qtbot, w).branch == shown_at_save
    _pick_branch(qtbot, w, "run 2")
    trained = wait_run(qtbot, w, 50)
    assert w.training_panel.lr.value() == 10

    tp = w.training_panel
    tp.optimizer.setCurrentIndex(tp.optimizer.findData("momentum"))
    assert wait_run(qtbot, w).config.optimizer == "momentum"
    assert tp.lr.value() == 10  # the rate chosen for run 2 stays (momentum's default is 0.1)
    assert actions.undo_action.text().replace("&", "") == "Undo optimizer gd \u2192 momentum"
    actions.undo_action.trigger()
    back = wait_run(qtbot, w)
    assert (back.epoch, back.live_epoch) == (50, 50)
    _is_the_branched_run(w, back, trained)
    assert tp.lr.value() == 10 and tp.optimizer.currentData() == "gd"
    assert w.controls.epoch.text() == "Epoch 50"

    _type_rate(qtbot, w, "3")
    assert actions.undo_action.text().replace("&", "") == "Undo learning rate 10 \u2192 3"
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == 10, timeout=TIMEOUT)
    assert w.last_snapshot.branch == "run 2" and tp.lr.value() == 10
    assert w.last_snapshot.live_epoch == 50
