"""The exercise panel in the window: goals met / not met live, hints one by one, locked and
hidden controls, the solution applied, Save as exercise round trip, --exercise."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from nnviz import cli
from nnviz.core import exercises
from nnviz.core.exercises import ExerciseError
from nnviz.gui import app
from nnviz.gui.session_actions import example_files

from ..conftest import wait_for_run

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "exercises"
XOR = FOLDER / "01-xor-no-hidden-layer.toml"
LR = FOLDER / "04-learning-rate-diverges.toml"
TIMEOUT = 60_000


def _open(qtbot, w, path) -> None:
    w.open_exercise(str(path))
    wait_for_run(qtbot, w)


def _train(qtbot, w, epochs: int) -> None:
    start = w.last_snapshot.epoch
    w.step(epochs)
    qtbot.waitUntil(lambda: w.last_snapshot.run_id == w.run_id
                    and w.last_snapshot.epoch >= start + epochs, timeout=TIMEOUT)


def _goal_lines(panel) -> list[str]:
    """The goals as they read without their colours: the label's words, one line a goal."""
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setHtml(panel.goals.text())
    return doc.toPlainText().splitlines()


def test_the_shipped_exercises_the_xor_one_s_goals_hints_and_solution(qtbot, main_window,
                                                                    tmp_path):
    """One window for the checks below, each of which built its own: first those that need no
    exercise open (the menu, Save as exercise from none, a broken file refused), then the XOR
    exercise opened (its goal line before the first numbers, its hints, its solution's buttons,
    its goals met by the solution; each opens it afresh), then the status bar's titles and every
    shipped exercise's task (they open others, without waiting for their runs: last)."""
    w = main_window
    the_shipped_exercises_are_in_the_file_menu(w)
    save_as_exercise_from_no_exercise_makes_a_goal_to_edit(qtbot, w, tmp_path)
    a_broken_exercise_leaves_the_run_as_it_was(qtbot, w, tmp_path)
    the_goal_line_says_why_it_has_no_number_until_the_runs_first_one(qtbot, w)
    hints_are_revealed_one_at_a_time(qtbot, w)
    the_solution_buttons_say_what_they_do_now(qtbot, w)
    the_goals_are_not_met_by_the_start_and_met_after_the_solution(qtbot, w)
    the_status_message_does_not_double_a_titles_punctuation(qtbot, w)
    the_task_says_how_long_to_train_once(qtbot, w)


def the_goals_are_not_met_by_the_start_and_met_after_the_solution(qtbot, main_window):
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, XOR)
    assert ex.panel.isVisible() and "XOR without a hidden layer" in ex.panel.title.text()
    assert w.current_problem().spec.hidden == ()
    _train(qtbot, w, 1000)
    qtbot.waitUntil(lambda: ex.statuses and w.last_snapshot.epoch >= 1000, timeout=TIMEOUT)
    assert not ex.all_met
    assert "\u2718" in ex.panel.goals.text() and "\u2714" not in ex.panel.goals.text()
    # Said in words too (r13: the marks were told apart mostly by their red and green).
    lines = _goal_lines(ex.panel)
    assert lines and all(line.startswith("\u2718 Goal not yet met: ") for line in lines), lines

    # With hints left, the first click asks (one click spoiled the exercise); the second shows.
    ex.panel.solution_button.click()
    assert not ex.panel.solution.isVisible() and ex.panel.solution_button.text() == "Sure? Show it"
    ex.panel.solution_button.click()
    assert ex.panel.solution.isVisible() and "straight line" in ex.panel.solution.text()
    assert "Solution:</b> one hidden layer of 4 tanh units" in ex.panel.solution.text()
    assert ex.panel.apply_button.isVisible()
    ex.panel.apply_button.click()
    wait_for_run(qtbot, w)
    assert w.current_problem().spec.hidden == (4,)
    _train(qtbot, w, 1000)
    qtbot.waitUntil(lambda: ex.all_met, timeout=TIMEOUT)
    assert "\u2714" in ex.panel.goals.text() and "\u2718" not in ex.panel.goals.text()
    lines = _goal_lines(ex.panel)
    assert lines and all(line.startswith("\u2714 Goal met: ") for line in lines), lines
    # met by the solution's run, and the tab says so
    tab = w.side_tabs.tabText(w.side_tabs.indexOf(ex.panel))
    assert tab.endswith("goals met (the solution's run)"), tab
    # The solution is one undo step: Ctrl+Z brings the exercise's start back.
    w.session_actions.undo_stack.undo()
    assert w.current_problem().spec.hidden == ()


def hints_are_revealed_one_at_a_time(qtbot, main_window):
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, XOR)
    hints = exercises.load(XOR).hints
    assert not ex.panel.hints.isVisible()
    assert ex.panel.hint_button.text() == f"Hint ({len(hints)} left)"
    ex.panel.hint_button.click()
    assert ex.panel.hints.isVisible()
    assert "Hint 1." in ex.panel.hints.text() and "Hint 2." not in ex.panel.hints.text()
    for _ in hints[1:]:
        ex.panel.hint_button.click()
    assert f"Hint {len(hints)}." in ex.panel.hints.text()
    assert not ex.panel.hint_button.isEnabled()


def test_the_learning_rate_exercise_locks_saves_diverges_and_gives_its_rate_way(
        qtbot, main_window, tmp_path):
    """One window for the diverging-rate exercise's checks, each of which built its own: the
    locks (first: it needs the window's own start to come back by Undo), the locks after an
    Undo, Save as exercise and back, the divergence banner's advice, and the closed exercise's
    rate after another data set (last: it leaves the circles). Each opens the exercise afresh."""
    w = main_window
    locked_controls_cannot_be_used_until_the_exercise_closes(qtbot, w)
    the_controls_stay_locked_after_undo_rebuilds_the_editor(qtbot, w)
    save_as_exercise_round_trip(qtbot, w, tmp_path)
    the_divergence_banner_does_not_hand_out_the_rate_an_exercise_asks_for(qtbot, w)
    a_closed_exercises_rate_gives_way_to_the_next_data_sets_own(qtbot, w)


def locked_controls_cannot_be_used_until_the_exercise_closes(qtbot, main_window):
    w = main_window
    ex = w.exercise_actions
    w.set_stop_at(1000)  # a preset's, and a lesson's page in front: ...
    w.show_view("lessons")
    start = w.current_problem()
    _open(qtbot, w, LR)  # locks data, the network whole, loss, optimizer; the rate is free
    start_data = w.current_problem().dataset
    # ... the exercise's run is in front and stops where its task says ("about N epochs")
    assert w.current_view() == "main" and w.stop_at() == exercises.load(LR).epochs
    t, e = w.training_panel, w.editor
    assert not w.data_panel.isEnabled()
    assert not e.add.isEnabled()
    # The inputs and the output too (review: ticking x1² made the line a parabola in an
    # exercise about the learning rate, "the network" locked)
    assert e.inputs.boxes and not any(box.isEnabled() for box in e.inputs.boxes.values())
    assert not e.output_activation.isEnabled() and not e.init_scheme.isEnabled()
    assert not t.loss.isEnabled() and not t.optimizer.isEnabled()
    assert t.lr.isEnabled()
    assert "Locked by the exercise" in t.loss.toolTip()
    assert not w.session_actions.import_action.isEnabled()
    # Its key says why it does nothing (it said nothing: the greyed item is the mouse's).
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage() == \
        "The exercise keeps its data: Close the exercise to import your own."
    # ... and so do File -> Import example, greyed too, and a CSV dropped on the window (both
    # put fruit.csv under an open exercise, its goal then checked on the fruit: review r31).
    assert not w.session_actions.examples_menu.menuAction().isEnabled()
    w.statusBar().clearMessage()
    fruit = next(path for name, path, _ in example_files() if name == "fruit.csv")
    w.session_actions.import_dialog(fruit)  # (what a drop of the file calls)
    assert not w.session_actions.jobs.jobs, "the file was read for an import"
    assert w.statusBar().currentMessage() == \
        "The exercise keeps its data: Close the exercise to import your own."
    assert w.current_problem().dataset is start_data
    ex.panel.close_button.click()
    assert not ex.panel.isVisible()
    assert w.statusBar().currentMessage() == ("Closed the exercise: its data, network and "
                                              "settings stay. Ctrl+Z brings back the run "
                                              "before it.")
    w.session_actions.undo_stack.undo()  # ... as it says
    back = w.current_problem()
    assert (back.spec, back.config, back.source) == (start.spec, start.config, start.source)
    assert w.data_panel.isEnabled() and e.add.isEnabled() and t.loss.isEnabled()
    assert "Locked" not in t.loss.toolTip()
    assert w.session_actions.import_action.isEnabled()


def the_controls_stay_locked_after_undo_rebuilds_the_editor(qtbot, main_window):
    w = main_window
    _open(qtbot, w, LR)
    w.set_learning_rate(0.02)
    w.exercise_actions.start_over()
    wait_for_run(qtbot, w)
    w.session_actions.undo_stack.undo()
    wait_for_run(qtbot, w)
    assert not w.editor.add.isEnabled() and not w.training_panel.loss.isEnabled()


def test_a_hidden_control_is_hidden_with_its_label(qtbot, main_window, tmp_path):
    text = XOR.read_text().replace('locked = ["data"]', 'locked = ["data"]\nhidden = ["optimizer"]')
    path = tmp_path / "hidden.toml"
    path.write_text(text)
    w = main_window
    _open(qtbot, w, path)
    t = w.training_panel
    w.side_tabs.setCurrentWidget(w.panels_scroll)  # the settings' tab, beside the exercise's
    w.panels_scroll.reveal(t)  # and the training's, where the panels are tabs (a narrow window)
    label = t.layout().labelForField(t.optimizer)
    assert not t.optimizer.isVisible() and not label.isVisible()
    assert t.loss.isVisible()
    w.exercise_actions.close_exercise()
    assert t.optimizer.isVisible() and label.isVisible()


def save_as_exercise_round_trip(qtbot, main_window, tmp_path):
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, LR)
    w.set_learning_rate(0.02)
    path = tmp_path / "mine.toml"
    ex.save_exercise_to(str(path), "My learning rate")
    saved = exercises.load(path)
    original = exercises.load(LR)
    assert saved.title == "My learning rate"
    assert saved.goals == original.goals and saved.hints == original.hints
    assert saved.locked == original.locked and saved.explanation == original.explanation
    assert saved.problem().config.learning_rate == 0.02
    before = w.current_problem()
    ex.close_exercise()
    w.load_problem(before.__class__(before.dataset, before.spec,
                                    before.config.__class__(), None, 0))
    _open(qtbot, w, path)
    now = w.current_problem()
    assert (now.spec, now.config, now.dataset.spec) == (before.spec, before.config,
                                                        before.dataset.spec)
    assert ex.panel.title.text() == "Exercise: My learning rate"


def save_as_exercise_from_no_exercise_makes_a_goal_to_edit(qtbot, main_window, tmp_path):
    w = main_window
    path = tmp_path / "new.toml"
    w.exercise_actions.save_exercise_to(str(path))
    made = exercises.load(path)
    assert made.goals[0].metric == "test_accuracy"
    assert made.problem().spec == w.current_problem().spec


def a_broken_exercise_leaves_the_run_as_it_was(qtbot, main_window, tmp_path):
    w = main_window
    before = w.current_problem()
    bad = tmp_path / "bad.toml"
    bad.write_text(XOR.read_text().replace('name = "xor"', 'name = "nope"'))
    with pytest.raises(ExerciseError, match="bad.toml: .*unknown data set 'nope'"):
        w.open_exercise(str(bad))
    assert w.current_problem() == before
    assert not w.exercise_actions.panel.isVisible()


def the_shipped_exercises_are_in_the_file_menu(main_window):
    titles = [a.text().replace("&", "") for a in main_window.exercise_actions.menu.actions()]
    assert len(titles) >= 8 and "XOR without a hidden layer" in titles


def test_the_command_line_refuses_a_broken_exercise_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("title = 3")
    assert cli.main(["--exercise", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not an exercise file" in err
    assert cli.main(["--exercise", str(XOR), "--dataset", "xor", "--lr", "0.5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dataset, --lr cannot change them" in err


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_screenshot_of_an_exercise(qapp, tmp_path, capsys):
    out = tmp_path / "shot.png"
    args = argparse.Namespace(**{**app.DEFAULTS, "screenshot": str(out), "epochs": 200,
                                 "exercise": str(XOR)})
    assert app.run(args) == 0
    assert "epoch 200" in capsys.readouterr().out
    assert QImage(str(out)).width() == app.SCREENSHOT_SIZE[0]


def test_every_control_an_exercise_names_can_be_locked(qtbot, main_window, tmp_path):
    names = list(exercises.CONTROLS)
    text = XOR.read_text().replace('locked = ["data"]', f"locked = {names!r}".replace("'", '"'))
    path = tmp_path / "all.toml"
    path.write_text(text)
    w = main_window
    _open(qtbot, w, path)
    ex = w.exercise_actions
    for name in names:
        widgets = ex.control_widgets(name)
        assert widgets and not any(x.isEnabled() for x in widgets), name
    assert not w.editor.inputs.boxes["x1*x2"].isEnabled()
    ex.close_exercise()
    assert w.editor.inputs.boxes["x1*x2"].isEnabled() and w.training_panel.lr.isEnabled()


MOONS = FOLDER / "06-moons-target-loss.toml"  # the longest task of the shipped ones


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_an_exercise_reads_whole_at_projector_sizes(qtbot, main_window, presentation):
    """At 1024x768 the panel above the plot cut the task to two lines in a scrolling box: in the
    left column's tab the task, the goals and the buttons are all in sight, nothing cut. Each
    size in turn in one window, the exercise opened at it (a window per size built the same
    window again)."""
    for size in ((1024, 768), (1280, 720)):
        _reads_whole_at(qtbot, main_window, size, presentation)


def _reads_whole_at(qtbot, w, size, presentation) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication

    from .test_presentation import layout_problems
    w.set_presentation(presentation)
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    _open(qtbot, w, MOONS)
    _train(qtbot, w, 5)
    ex = w.exercise_actions
    p = ex.panel

    # (each check once laid out: the epochs' snapshot brings the goals' new text, and one pass
    # of the event loop after it was not always the whole layout at load, 1f4630d; a task cut
    # or scrolled away, the bug, stays so)
    def in_front_and_whole() -> None:
        QApplication.processEvents()
        assert p.isVisible() and w.side_tabs.currentWidget() is p
        assert layout_problems(w) == [], size
    qtbot.waitUntil(in_front_and_whole)
    if presentation:  # the loss chart gives the task the height it needs, not more
        qtbot.waitUntil(lambda: p.height() <= p.needed_height() + 2, timeout=5000)
    port = p.scroll.viewport()

    def all_in_sight() -> None:
        QApplication.processEvents()
        # Nothing of the task and goals scrolled away: the text fits the column's height.
        assert p.scroll.verticalScrollBar().maximum() == 0, size
        for label in (p.title, p.task, p.goals):
            assert label.heightForWidth(label.width()) <= label.height() + 1
        for label in (p.title, p.task):
            r = QRect(label.mapTo(port, QPoint(0, 0)), label.size())
            assert port.rect().contains(r), (size, label.text()[:30], r, port.rect())
        assert _seen_whole(p.goals)  # under the text that scrolls: always in sight
        for b in (p.hint_button, p.solution_button, p.restart_button, p.close_button):
            r = QRect(b.mapTo(w, QPoint(0, 0)), b.size())
            assert w.rect().contains(r) and b.width() >= b.minimumSizeHint().width()
    qtbot.waitUntil(all_in_sight)
    # The goals' live state is in sight on the Settings tab too (its title), in normal mode.
    assert "0/1 goals met" in w.side_tabs.tabText(w.side_tabs.indexOf(p))
    # Each hint revealed is scrolled into sight.
    while p.hint_button.isEnabled():
        p.hint_button.click()

        def in_sight() -> bool:
            r = QRect(p.hints.mapTo(port, QPoint(0, 0)), p.hints.size())
            return r.bottom() <= port.height() + 1 and r.top() >= -1
        qtbot.waitUntil(in_sight, timeout=3000)

    def nothing_cut() -> None:
        QApplication.processEvents()  # the buttons' row laid out again for "No more hints"
        assert layout_problems(w) == [], size
    qtbot.waitUntil(nothing_cut)
    ex.close_exercise()
    assert not w.side_tabs.tabBar().isVisible()
    assert w.panels_scroll.isVisible() != presentation


def test_an_exercise_takes_the_height_its_text_needs_and_the_loss_chart_the_rest(
        qtbot, main_window):
    """At 1400x900 the exercise's tab had the settings' height: 400 px of blank between its
    task and its goals, over a 260 px loss chart. It takes what its task, goals and buttons need,
    more when a hint shows; the Settings tab fits its fields again. (The settings' least height,
    the tab widget's least, left "Goals" 65 px under a short task.)"""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication
    w = main_window
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1400, 900), timeout=5000)
    _open(qtbot, w, FOLDER / "03-spiral-few-units.toml")
    _train(qtbot, w, 5)
    p, tabs = w.exercise_actions.panel, w.side_tabs

    def fitted() -> bool:
        QApplication.processEvents()
        want = p.needed_height() + tabs.height() - p.height()
        return tabs.height() <= want + 2
    qtbot.waitUntil(fitted, timeout=5000)
    # "Goals" right under the task's last line, no blank band between them
    task_end = p.task.mapTo(w, QPoint(0, p.task.height())).y()
    assert p.goals_box.mapTo(w, QPoint(0, 0)).y() - task_end <= 20
    chart = w.loss_plot.height()
    assert chart > w.left_split.height() / 2
    while p.hint_button.isEnabled():  # the hints' lines: the panel grows, the chart gives room
        p.hint_button.click()
    qtbot.waitUntil(lambda: fitted() and w.loss_plot.height() < chart, timeout=5000)
    assert p.scroll.verticalScrollBar().maximum() == 0
    tabs.setCurrentWidget(w.panels_scroll)  # the settings: as tall as their fields again
    qtbot.waitUntil(lambda: tabs.height() >= min(
        w.panels_scroll.needed_height(), w.left_split.height() // 2), timeout=5000)


def test_the_loss_chart_reads_under_an_exercise_in_presentation_at_1024(qtbot, main_window):
    """At 1024x768 in presentation mode the exercise took the whole column but its loss chart's
    least, 120 px, a blank band under its buttons: the chart's plot was 68 px tall. The panel
    takes what its text needs, the readout goes beside "Log scale", the chart the rest. Under
    XOR's longer task the plot was ~95 px with one tick label, ~60 px once the learning rate's
    error showed under the run bar: a longer task scrolls instead, its goals in sight.
    Every shipped exercise, opened one after another in one window at that size (as a class
    goes through them; a window per exercise built nine), the moons' longest task last."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication
    w = main_window
    _presenting_at_1024(qtbot, w)
    paths = sorted(FOLDER.glob("*.toml"), key=lambda p: (p == MOONS, p.name))
    assert paths[-1] == MOONS and len(paths) > 1
    for path in paths:
        _open(qtbot, w, path)
        _train(qtbot, w, 5)
        p = w.exercise_actions.panel
        assert p.title.text() == f"Exercise: {exercises.load(str(path)).title}"  # this one's
        vb = w.loss_plot.getPlotItem().getViewBox()
        readout = w.presentation.readout

        def readable() -> bool:
            QApplication.processEvents()
            return vb.height() >= 130 and vb.width() >= 300
        qtbot.waitUntil(readable, timeout=10_000)
        assert _seen_whole(p.goals), path.stem
        if path == MOONS:  # its task and goals whole, nothing scrolled away; the readout and
            # the check box seen
            assert p.scroll.verticalScrollBar().maximum() == 0
            for part in (readout, w.log_scale, w.loss_plot):
                assert w.rect().contains(QRect(part.mapTo(w, QPoint(0, 0)), part.size()))
            assert readout.heightForWidth(readout.width()) <= readout.height() + 1
            assert not QRect(readout.mapTo(w, QPoint(0, 0)), readout.size()).intersects(
                QRect(w.log_scale.mapTo(w, QPoint(0, 0)), w.log_scale.size()))
        # the learning rate's error said under the run bar: the chart still reads
        if w.controls.lr is not None and w.controls.lr.isEnabled():
            rate = w.controls.lr.currentText()
            w.controls.lr.setFocus()
            w.controls.lr.lineEdit().selectAll()
            qtbot.keyClicks(w.controls.lr.lineEdit(), "0..5")
            qtbot.keyClick(w.controls.lr.lineEdit(), Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: w.controls.lr_message.isVisible(), timeout=5000)
            assert "not a number" in w.controls.lr_message.text()
            qtbot.waitUntil(readable, timeout=10_000)
            assert _seen_whole(p.goals), path.stem
            # fixed (the exercise's own rate typed back): the next exercise opens without it
            w.controls.lr.lineEdit().selectAll()
            qtbot.keyClicks(w.controls.lr.lineEdit(), rate)
            qtbot.keyClick(w.controls.lr.lineEdit(), Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not w.controls.lr_message.isVisible(), timeout=5000)
    # Closed: the readout over the check box again, in the narrower column.
    w.exercise_actions.close_exercise()
    qtbot.waitUntil(lambda: readout.mapTo(w, QPoint(0, 0)).y() + readout.height()
                    <= w.log_scale.mapTo(w, QPoint(0, 0)).y(), timeout=5000)


SINE = FOLDER / "09-sine-needs-a-hidden-layer.toml"  # its readout a line taller: the fit's line


def test_an_exercise_opened_after_another_reads_whole_in_presentation_at_1024(qtbot,
                                                                              main_window):
    """In one window at 1024x768 presenting, the moons exercise opened after the sine one showed
    its task scrolled 23 px, where a fresh window showed it whole. The sine's readout has a line
    more (the straight line's fit, "line y = ..."); the readout's room kept it a second more
    (LabelRoom.GIVE_BACK_MS, for a live caption at the edge of a line break) and the left
    column was shared with the loss's box that line taller. Only a size the splitter kept from
    a request made in the middle of its own resize gave the task its room back, a second
    later. Here that second lasts the whole test (no test waits for a wall-clock second):
    the new run's readout gives the last run's line back at once."""
    from PySide6.QtCore import QPoint, QRect
    w = main_window
    p = w.exercise_actions.panel
    readout = w.presentation.readout
    _presenting_at_1024(qtbot, w)
    _open(qtbot, w, SINE)
    _train(qtbot, w, 5)
    qtbot.waitUntil(lambda: "line" in readout.text(), timeout=5000)
    sine_readout = readout.height()
    w.presentation._readout_room._give_back.setInterval(600_000)  # "a second": ever

    def whole() -> bool:  # nothing of the task scrolled away
        port = p.scroll.viewport()
        return p.scroll.verticalScrollBar().maximum() == 0 and port.rect().contains(
            QRect(p.task.mapTo(port, QPoint(0, 0)), p.task.size()))
    _open(qtbot, w, MOONS)  # (its first frame drawn)
    assert p.title.text() == f"Exercise: {exercises.load(str(MOONS)).title}"
    qtbot.waitUntil(whole, timeout=5000)
    _train(qtbot, w, 5)
    qtbot.waitUntil(whole, timeout=5000)
    assert readout.height() < sine_readout  # (the room the sine's line took: given back)
    assert _seen_whole(p.goals)


def the_solution_buttons_say_what_they_do_now(qtbot, main_window):
    """Once the solution showed, its button still read "Sure? Show it"; "Apply it" read so after
    the solution was applied; the solution read "hidden [4], activation tanh", the file's
    words, not the panel's."""
    w = main_window
    ex = w.exercise_actions
    p = ex.panel
    _open(qtbot, w, XOR)
    p.solution_button.click()
    assert p.solution_button.text() == "Sure? Show it"
    p.solution_button.click()
    assert p.solution.isVisible()
    assert p.solution_button.text() == "Hide solution"
    assert "Solution:</b> one hidden layer of 4 tanh units." in p.solution.text()
    p.solution_button.click()  # hidden again: the button offers it again, without asking
    assert not p.solution.isVisible() and not p.apply_button.isVisible()
    assert p.solution_button.text() == "Solution"
    p.solution_button.click()
    assert p.solution.isVisible() and p.apply_button.isVisible()
    assert p.apply_button.text() == "Apply it" and p.apply_button.isEnabled()
    p.apply_button.click()
    wait_for_run(qtbot, w)
    assert w.current_problem().spec.hidden == (4,)
    assert p.apply_button.text() == "Applied" and not p.apply_button.isEnabled()
    # Another run (undo: the exercise's start again): the solution can be applied again.
    w.session_actions.undo_stack.undo()
    wait_for_run(qtbot, w)
    qtbot.waitUntil(lambda: p.apply_button.isEnabled(), timeout=TIMEOUT)
    assert p.apply_button.text() == "Apply it"


def the_status_message_does_not_double_a_titles_punctuation(qtbot, main_window):
    """"Exercise: Circles: how many units does it take?. Press Play (Space).": a title that ends
    in "?" gets no full stop after it; one that ends in a word gets one."""
    w = main_window
    # Read as the exercise opens: the message lasts 10 s, and waiting for the new model's
    # compile first on a busy machine (two test processes) outlasted it (an empty message).
    w.open_exercise(str(FOLDER / "07-circles-three-units.toml"))
    assert w.statusBar().currentMessage() == (
        "Exercise: Circles: how many units does it take? Press Play (Space).")
    wait_for_run(qtbot, w)
    w.open_exercise(str(XOR))
    assert w.statusBar().currentMessage() == (
        "Exercise: XOR without a hidden layer. Press Play (Space).")


def _presenting_at_1024(qtbot, w) -> None:
    w.set_presentation(True)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)


def _seen_whole(widget) -> bool:
    """No part of ``widget`` is scrolled away or cut by its parents."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_each_hint_comes_into_sight_and_the_goals_stay_in_sight(qtbot, main_window):
    """A teacher's review at 1024x768, presentation mode: "Hint (2 left)" added hint 2 below
    the panel's visible part and nothing moved -- the button said "Hint (1 left)" and the class
    saw no change (the panel scrolled to where the hint ended before it grew); with the hints
    and the solution shown the goal line ("✘ test accuracy at least 95%") had scrolled away, and
    the loss chart was a 68 px strip: now it keeps its plot, the text scrolls, the solution
    shown from its start."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication
    w = main_window
    _presenting_at_1024(qtbot, w)
    _open(qtbot, w, XOR)
    _train(qtbot, w, 20)
    p = w.exercise_actions.panel
    port = p.scroll.viewport()

    def last_line_in_sight(label) -> bool:
        if label.height() < label.heightForWidth(label.width()):
            return False  # its new text not laid out yet: where it was is no answer
        r = QRect(label.mapTo(port, QPoint(0, 0)), label.size())
        return label.isVisible() and 0 <= r.bottom() <= port.height() + 1

    def settled() -> None:  # the posted layouts done, as a reader's next click finds them
        for _ in range(5):
            QApplication.processEvents()

    def read_from_its_start(label) -> bool:
        """Whole in sight, or, taller than the box, its first lines at the box's top."""
        if label.height() < label.heightForWidth(label.width()):
            return False
        r = QRect(label.mapTo(port, QPoint(0, 0)), label.size())
        return label.isVisible() and (0 <= r.top() and r.bottom() <= port.height() + 1
                                      or abs(r.top()) <= 1 and r.height() > port.height())

    # The loss chart, which the learner watches while solving, keeps a plot that reads: under
    # the solution it was a 68 px strip.
    plot = w.loss_plot.getPlotItem().getViewBox()
    while p.hint_button.isEnabled():
        p.hint_button.click()
        settled()
        qtbot.waitUntil(lambda: last_line_in_sight(p.hints), timeout=3000)
        assert _seen_whole(p.goals)
        assert plot.height() >= 110, plot.height()
    p.solution_button.click()
    settled()
    qtbot.waitUntil(lambda: read_from_its_start(p.solution), timeout=3000)
    assert p.scroll.verticalScrollBar().maximum() > 0  # (the text does scroll)
    assert _seen_whole(p.goals) and NOT_MET_MARK in p.goals.text()
    assert plot.height() >= 110, plot.height()


NOT_MET_MARK = "\u2718"


@pytest.mark.parametrize("esc", [False, True], ids=["space", "esc-space"])
def test_space_after_apply_it_plays_the_solution(qtbot, main_window, esc):
    """After "Apply it" (a click) the focus went on to "Start over", ringed, and the next Space
    (Esc first, too) pressed it: the applied solution gone, the exercise's start back. Space
    plays the solution's run; no destructive button holds the keys."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    w = main_window
    _presenting_at_1024(qtbot, w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    _open(qtbot, w, XOR)
    p = w.exercise_actions.panel
    for _ in range(2):  # Solution, "Sure? Show it"
        qtbot.mouseClick(p.solution_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(p.apply_button.isVisible)
    qtbot.mouseClick(p.apply_button, Qt.MouseButton.LeftButton)
    wait_for_run(qtbot, w)
    assert w.current_problem().spec.hidden == (4,)
    focus = QApplication.focusWidget()
    assert focus is not p.restart_button and focus is not p.close_button
    assert w._field_keys.ringed() is None  # no ring: no button takes Space
    if esc:
        qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Escape)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert w.current_problem().spec.hidden == (4,)
    assert p.apply_button.text() == "Applied"


def test_esc_gives_the_keys_back_from_a_button_reached_with_tab(qtbot, main_window):
    """F1: "press Esc to give them back to the window". On a ringed button (Tab), Esc did
    nothing, and Space still pressed "Start over"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    w = main_window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    _open(qtbot, w, XOR)
    _train(qtbot, w, 3)
    b = w.exercise_actions.panel.restart_button
    b.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: w._field_keys.ringed() is b)
    run = w.run_id
    qtbot.keyClick(b, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w._field_keys.ringed() is None, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert w.run_id == run  # not started over


SATURATION = FOLDER / "05-sigmoid-saturation.toml"


def test_a_preset_loaded_during_an_exercise_leaves_it_and_undo_brings_both_back(
        qtbot, main_window):
    """Presets → XOR under "Sigmoid saturation": the panel stayed over XOR's data and graded
    the preset's run ("now 100%; 1 hidden layer"). The preset leaves the exercise, the status
    bar says so, and Ctrl+Z brings the exercise and its problem back (Ctrl+Shift+Z: the preset)."""
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, SATURATION)
    start = w.current_problem()
    w.session_actions.preset_actions["xor"].trigger()
    # Read as the preset loads: the message lasts 10 s, and the new model's compile at load 15
    # outlasted it (an empty message).
    msg = w.statusBar().currentMessage()
    assert msg == ("Closed the exercise: the preset \u201cXOR: one small hidden layer\u201d "
                   "replaced its problem. Ctrl+Z brings both back."), msg
    wait_for_run(qtbot, w)
    assert ex.exercise is None and not ex.panel.isVisible()
    assert not w.side_tabs.tabBar().isVisible()  # the Settings alone again, unlocked
    assert w.data_panel.isEnabled()  # the data the exercise locked: the user's again
    assert w.session_actions.import_action.isEnabled()
    _train(qtbot, w, 5)
    assert ex.statuses == []  # nothing graded
    w.session_actions.undo_stack.undo()
    wait_for_run(qtbot, w)
    assert ex.exercise is not None and ex.panel.isVisible()
    assert "Sigmoid saturation" in ex.panel.title.text()
    assert w.current_problem().spec == start.spec
    w.session_actions.undo_stack.redo()
    wait_for_run(qtbot, w)
    assert ex.exercise is None and not ex.panel.isVisible()


def the_task_says_how_long_to_train_once(qtbot, main_window):
    """"…within 1,000 epochs. Train about 1,000 epochs." (Sigmoid saturation): the panel's
    sentence on how long to train came after a task that said it already. Every shipped
    exercise, opened one after another in one window (the panel's text is set at each open;
    a window per exercise built nine windows to read nine labels)."""
    w = main_window
    for path in sorted(FOLDER.glob("*.toml")):
        w.open_exercise(str(path))
        ex = w.exercise_actions.exercise
        assert ex.title == exercises.load(str(path)).title  # this one's text, not the last's
        text = w.exercise_actions.panel.task.text()
        said = " ".join(ex.task.split()).count(f"{ex.epochs:,} epochs")  # the file's own words
        assert text.count(f"{ex.epochs:,} epochs") == max(said, 1), (path.stem, text)


def test_undoing_an_exercise_open_says_what_is_back(qtbot, main_window):
    """Ctrl+Z after opening an exercise took it away without a word (undoing a Reset says
    "undo reset: the run is back.")."""
    w = main_window
    _open(qtbot, w, XOR)
    _open(qtbot, w, SATURATION)
    stack = w.session_actions.undo_stack
    stack.undo()
    wait_for_run(qtbot, w)
    assert w.statusBar().currentMessage() == (
        "Undo exercise \u201cSigmoid saturation: the deep network that does not learn\u201d: "
        "the exercise \u201cXOR without a hidden layer\u201d is back.")
    stack.undo()
    wait_for_run(qtbot, w)
    assert w.statusBar().currentMessage() == (
        "Undo exercise \u201cXOR without a hidden layer\u201d: the run before it is back.")
    assert w.exercise_actions.exercise is None
    stack.redo()
    wait_for_run(qtbot, w)
    assert w.statusBar().currentMessage().startswith(
        "Redo exercise \u201cXOR without a hidden layer\u201d: Ctrl+Z brings")


def test_a_closed_window_leaves_no_widget_of_its_own_behind(qtbot, main_window):
    """A window opened beside (File -> Open beside) and closed is gone with all it made: its
    exercise panel, hidden until an exercise opens, was a top-level widget of its own that
    outlived the window (one more per window opened, for as long as the app ran)."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.main_window import MainWindow

    def tops():  # nnviz's own (pyqtgraph's menus go when Python collects them)
        gc.collect()
        return {id(w): type(w).__name__ for w in QApplication.topLevelWidgets()
                if type(w).__module__.startswith("nnviz")}

    before = tops()
    other = MainWindow(install_extras=True)
    other.show()
    wait_for_run(qtbot, other)
    other.close()
    other.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del other
    left = {k: v for k, v in tops().items() if k not in before}
    assert left == {}


def a_closed_exercises_rate_gives_way_to_the_next_data_sets_own(qtbot, main_window):
    """The diverging exercise sets lr 0.05 on the line; closed, and circles picked next, its
    0.05 stayed as if the learner had chosen it ("a value you pick yourself is kept"), and the
    circles hardly moved (r17 #6). A rate the learner typed during the exercise is theirs."""
    from nnviz.core.problem import default_learning_rate

    from .test_problem_defaults import choose, type_rate
    w, ex = main_window, main_window.exercise_actions
    _open(qtbot, w, LR)
    assert w.training_panel.lr.value() == 0.05
    ex.panel.close_button.click()
    assert ex.exercise is None and w.training_panel.lr.value() == 0.05  # stays, as it says
    choose(w.data_panel.dataset, "circles")
    s = wait_for_run(qtbot, w, 0)
    own = default_learning_rate(w.dataset, s.config.optimizer, s.spec.features)
    assert s.spec.input_dim == 2 and s.config.learning_rate == own != 0.05
    # Typed during the exercise: the learner's, kept for the next data.
    _open(qtbot, w, LR)
    type_rate(qtbot, w, "0.02")
    qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == 0.02)
    ex.panel.close_button.click()
    choose(w.data_panel.dataset, "circles")
    s = wait_for_run(qtbot, w, 0)
    assert s.spec.input_dim == 2 and s.config.learning_rate == 0.02


def _move_buttons(editor) -> tuple[list[bool], list[bool]]:
    """Which \u25b2 and which \u25bc of the hidden layers' rows can be clicked, top to bottom."""
    return [r.up.isEnabled() for r in editor.rows], [r.down.isEnabled() for r in editor.rows]


def test_after_a_locked_network_the_ends_of_the_layer_list_are_greyed(
        qtbot, main_window, tmp_path, monkeypatch):
    """One window for the two ways out of an exercise that locks the network (each built its
    own): File -> Open of a session (first: it reads the window's own start), then Close."""
    a_session_opened_over_a_locked_network_greys_the_ends_of_its_layer_list(
        qtbot, main_window, tmp_path, monkeypatch)
    closing_an_exercise_that_locks_its_layers_greys_the_ends_of_the_list(
        qtbot, main_window, tmp_path)


def a_session_opened_over_a_locked_network_greys_the_ends_of_its_layer_list(
        qtbot, main_window, tmp_path, monkeypatch):
    """Review r18 #3: after "The learning rate that diverges" (its network locked), File ->
    Open of a 2-4-10-4-1 session left every \u25b2 and \u25bc enabled, layer 1's \u25b2 and the last
    layer's \u25bc too, and a click on them did nothing: closing the exercise enabled every
    widget of the rows the session had just built. They are as after any other Open."""
    w, actions = main_window, main_window.session_actions
    assert w.current_problem().spec.hidden == (4, 10, 4)
    ends = ([False, True, True], [True, True, False])
    assert _move_buttons(w.editor) == ends
    path = tmp_path / "net.nnviz"
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(path))
    _open(qtbot, w, LR)
    assert w.editor.rows == [] and not w.editor.add.isEnabled()
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: str(path))
    with qtbot.waitSignal(actions.opened, timeout=TIMEOUT):
        actions.open_dialog()  # File -> Open... (Ctrl+O)
    qtbot.waitUntil(lambda: not w.exercise_actions.panel.isVisible(), timeout=TIMEOUT)
    wait_for_run(qtbot, w)
    assert w.current_problem().spec.hidden == (4, 10, 4)
    assert _move_buttons(w.editor) == ends
    assert w.editor.add.isEnabled() and all(r.remove.isEnabled() for r in w.editor.rows)
    qtbot.mouseClick(w.editor.rows[0].up, Qt.MouseButton.LeftButton)  # greyed: nothing moves
    assert w.current_problem().spec.hidden == (4, 10, 4)


def closing_an_exercise_that_locks_its_layers_greys_the_ends_of_the_list(
        qtbot, main_window, tmp_path):
    # The same through Close: the lock lifted from the exercise's own 4-10-4 rows.
    text = (FOLDER / "06-moons-target-loss.toml").read_text()
    assert 'locked = ["data", "loss"]' in text
    path = tmp_path / "locked.toml"
    path.write_text(text.replace('locked = ["data", "loss"]', 'locked = ["data", "network"]'))
    w = main_window
    _open(qtbot, w, path)
    assert w.current_problem().spec.hidden == (4, 10, 4)
    assert _move_buttons(w.editor) == ([False] * 3, [False] * 3)  # locked
    w.exercise_actions.panel.close_button.click()
    qtbot.waitUntil(lambda: not w.exercise_actions.panel.isVisible(), timeout=TIMEOUT)
    assert _move_buttons(w.editor) == ([False, True, True], [True, True, False])
    assert all(r.width.isEnabled() and r.insert.isEnabled() for r in w.editor.rows)



SPIRAL = "The spiral with as few units as possible"


def _open_from_menu(qtbot, w, title: str) -> None:
    """File > Exercises > ``title``, as the learner opens it."""
    ex = w.exercise_actions
    [action] = [a for a in ex.menu.actions() if a.text().replace("&", "") == title]
    action.trigger()
    wait_for_run(qtbot, w)


def test_the_spiral_exercise_closed_keeps_its_network_and_its_run_through_a_batch_size(
        qtbot, main_window):
    """One window for the two checks of the spiral exercise closed (each built its own); each
    opens it afresh from the menu. The batch size that keeps the run first (it reads the
    exercise's full batch), then the network kept (it ends on another data set)."""
    a_batch_size_that_trains_as_the_one_in_use_keeps_the_run(qtbot, main_window)
    a_closed_exercises_network_stays_through_an_edit_on_the_training_tab(qtbot, main_window)


def a_closed_exercises_network_stays_through_an_edit_on_the_training_tab(qtbot,
                                                                           main_window):
    """File > Exercises > the spiral (2 -> 4 -> 1), Close ("its data, network and settings
    stay"), 500 typed in Batch size: the window put the spiral's default 2 -> 32 -> 32 -> 1 in
    place of the exercise's network ("the defaults for this data and optimiser", r19 #16): the
    close had made its choices the data set's defaults again. They are the learner's now."""
    from .test_field_messages import _type
    w, ex = main_window, main_window.exercise_actions
    _open_from_menu(qtbot, w, SPIRAL)
    assert w.current_problem().spec.hidden == (4,)
    ex.panel.close_button.click()
    assert ex.exercise is None and "network and settings stay" in w.statusBar().currentMessage()
    panel = w.training_panel

    _type(qtbot, panel.batch, "500")
    note = panel.note.text()
    assert "defaults" not in note and "32" not in note, note
    assert w.current_problem().spec.hidden == (4,) and w.editor.draft().hidden == (4,)
    _type(qtbot, panel.batch, "32")  # mini-batches: a fresh model, of the same network
    s = wait_for_run(qtbot, w, 0)
    assert s.spec.hidden == (4,) and s.config.batch_size == 32
    note = panel.note.text()
    assert "a fresh model 2 -> 4 -> 1 starts" in note and "defaults" not in note, note
    # Another data set: the exercise's choices give way to its defaults (r17 #6).
    from .test_problem_defaults import choose
    choose(w.data_panel.dataset, "moons")
    s = wait_for_run(qtbot, w, 0)
    assert s.spec.hidden == (4, 10, 4)


def a_batch_size_that_trains_as_the_one_in_use_keeps_the_run(qtbot, main_window):
    """500 typed in Batch size over "full batch" on the spiral's 160 training points restarted
    the run at epoch 0, though both train on one full batch (r19 #16): the run keeps its epochs,
    the field shows what it trains with, and the note says why."""
    from .test_field_messages import _type
    w, ex = main_window, main_window.exercise_actions
    _open_from_menu(qtbot, w, SPIRAL)
    _train(qtbot, w, 20)
    ex.panel.close_button.click()
    run, epoch = w.run_id, w.last_snapshot.epoch
    panel = w.training_panel
    assert panel.batch.value() == 0 and len(w.dataset.train_index) == 160

    _type(qtbot, panel.batch, "500")
    note = panel.note.text()
    assert "500 is more than the 160 training points: one full batch" in note, note
    assert "The model is unchanged" in note and "fresh model" not in note, note
    assert panel.batch.value() == 0 and panel.batch.text() == "full batch"
    assert w.run_id == run and w.current_problem().config.batch_size == 0
    _train(qtbot, w, 5)  # it goes on from where it was
    assert w.run_id == run and w.last_snapshot.epoch == epoch + 5

    _type(qtbot, panel.batch, "32")  # one that changes the training: a fresh model
    s = wait_for_run(qtbot, w, 0)
    assert w.run_id != run and s.config.batch_size == 32 and s.spec.hidden == (4,)


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)], ids=["1400x900", "1024x768"])
def test_the_hint_button_stays_where_it_was_clicked(qtbot, main_window, size):
    """Review r22 F3 (Sigmoid saturation, 1400x900): each hint shown pushed "Hint (n left)"
    ~18 px down, the panel growing by the hint's lines; three clicks at the same place gave one
    hint. The button stays put as the hints come, and the next click at the same place is on
    it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication
    w = main_window
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    _open(qtbot, w, FOLDER / "05-sigmoid-saturation.toml")
    p = w.exercise_actions.panel

    def settled() -> bool:  # the hints laid out, the panel grown to show them whole
        for _ in range(3):
            QApplication.processEvents()
        hints = p.hints.isHidden() or p.hints.height() >= p.hints.heightForWidth(
            p.hints.width())
        return hints and p.height() >= p.needed_height() - 2
    qtbot.waitUntil(settled, timeout=5000)
    b = p.hint_button
    corner = b.mapTo(w, QPoint(0, 0))
    at = b.mapTo(w, b.rect().center())
    for shown in range(1, 4):
        assert w.childAt(at) is b, shown  # a click there is on the button
        qtbot.mouseClick(w.childAt(at), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: p.hints.text().count("Hint ") == shown, timeout=3000)
        qtbot.waitUntil(settled, timeout=5000)
        # (its text changes: "No more hints" is wider; its top left corner stays)
        assert b.mapTo(w, QPoint(0, 0)) == corner, (shown, corner, b.mapTo(w, QPoint(0, 0)))
    assert w.childAt(at) is b
    assert not b.isEnabled()  # the three hints came from three clicks at the same place


def the_goal_line_says_why_it_has_no_number_until_the_runs_first_one(qtbot, main_window):
    """Opened, an exercise's goal line said "(not measured yet)" at epoch 0 while its model
    compiled, and "(now 0.2644)" at epoch 0 in another exercise whose model was ready: read as
    two ways of saying the same epoch (review r22 F17). Until the first numbers it says why,
    as the loss plot's "compiling the new model...", and then the number."""
    from nnviz.gui.exercise_panel import PENDING
    w = main_window
    ex = w.exercise_actions
    w.open_exercise(str(XOR))
    lines = _goal_lines(ex.panel)
    assert lines and all(line.endswith(f"({PENDING})") for line in lines), lines
    wait_for_run(qtbot, w)
    qtbot.waitUntil(lambda: bool(ex.statuses), timeout=TIMEOUT)
    lines = _goal_lines(ex.panel)
    assert w.last_snapshot.epoch == 0 and all("(now " in line for line in lines), lines


def test_a_goal_met_within_its_epochs_stays_met_after_them(qtbot, main_window):
    """A goal "within 300 epochs" is about the run's first 300: met by then, it stays met when
    the learner trains on (+1000 after the spiral's goals were met at epoch 3,000 turned both
    to "not yet met ... restart to try again", review r30); never met by then, it says so."""
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, FOLDER / "08-learning-rate-too-small.toml")  # train loss < 0.01 in 300
    _train(qtbot, w, 400)  # at the file's learning rate, 0.001: not met in 300, nor after
    qtbot.waitUntil(lambda: ex.statuses and w.last_snapshot.epoch >= 400, timeout=TIMEOUT)
    line = _goal_lines(ex.panel)[0]
    assert not ex.all_met and line.startswith("\u2718 Goal not met: "), line  # no "yet"
    assert "restart to try again" in line, line
    ex.reveal_solution()
    ex.reveal_solution()  # "Sure? Show it"
    ex.apply_solution()  # learning rate 1.0: met within a few dozen epochs
    wait_for_run(qtbot, w)
    _train(qtbot, w, 300)
    qtbot.waitUntil(lambda: ex.all_met and w.last_snapshot.epoch == 300, timeout=TIMEOUT)
    _train(qtbot, w, 100)  # on past the limit
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 400, timeout=TIMEOUT)  # (goals: drawn)
    line = _goal_lines(ex.panel)[0]
    assert ex.all_met and line.startswith("\u2714 Goal met: "), line
    import re
    met = re.search(r"\(met at epoch (\d+), within 300; now 0\.0\d+ at 4\d\d\)$", line)
    assert met and int(met.group(1)) <= 300 and "restart" not in line, line


def the_divergence_banner_does_not_hand_out_the_rate_an_exercise_asks_for(qtbot,
                                                                              main_window):
    """The diverging-rate exercise at its 0.05: the banner said "Lower the learning rate ten
    times, to 0.005", which meets its goal, with its three hints unread (review r31). It says
    to lower the rate, and the number once the hints are all out."""
    w = main_window
    ex = w.exercise_actions
    _open(qtbot, w, LR)
    w.play()
    qtbot.waitUntil(lambda: w.banner.isVisible() and "diverged" in w.banner.text())
    said = w.banner.text()
    assert "Lower the learning rate (the exercise's hints say how far), and" in said, said
    assert "0.005" not in said and "ten times" not in said
    assert "2/lr = 40" in said  # the why stays
    for _ in exercises.load(LR).hints:
        ex.panel.hint_button.click()
    w.show_epoch(0)  # a snapshot drawn again (the banner stays over the run's past)
    qtbot.waitUntil(lambda: "Lower the learning rate ten times, to 0.005" in w.banner.text())


SPIRAL_FILE = FOLDER / "03-spiral-few-units.toml"  # two goals of 3 lines each: the least room


def test_an_exercise_has_room_to_be_read_in_presentation_at_1024(qtbot, main_window):
    """A reviewer at 1024x768 in presentation mode: the spiral exercise's text had 6 lines of
    room (its two goals take 6 more), XOR's task scrolled by two lines. The readout had gone
    above "Log scale" (its column 2 px too narrow for it beside), a line and a half of the
    column, and the title took XOR's a second line at 1.15 times the large text. Now the
    readout stands beside the check box, XOR's task is whole and the spiral's has 7 lines and
    more."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication
    w = main_window
    _presenting_at_1024(qtbot, w)
    p = w.exercise_actions.panel
    readout = w.presentation.readout

    def rect(widget) -> QRect:
        return QRect(widget.mapTo(w, QPoint(0, 0)), widget.size())
    for path in (XOR, SPIRAL_FILE):
        _open(qtbot, w, path)
        _train(qtbot, w, 5)
        line = p.task.fontMetrics().lineSpacing()
        port = p.scroll.viewport()

        def roomy() -> None:
            QApplication.processEvents()
            assert p.isVisible() and readout.isVisible()
            # side by side: the readout level with "Log scale", left of it
            r, box = rect(readout), rect(w.log_scale)
            assert r.top() <= box.center().y() <= r.bottom() and r.right() < box.left()
            assert port.height() >= 7 * line, (path.stem, port.height() / line)
            if path == XOR:
                assert p.scroll.verticalScrollBar().maximum() == 0
                assert port.rect().contains(QRect(p.task.mapTo(port, QPoint(0, 0)),
                                                  p.task.size()))
        qtbot.waitUntil(roomy)
        assert _seen_whole(p.goals)
        vb = w.loss_plot.getPlotItem().getViewBox()
        assert vb.height() >= 130  # the loss chart still reads (its least under an exercise)
