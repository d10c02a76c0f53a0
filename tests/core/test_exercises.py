"""Exercises: every shipped one is solvable by its own solution and not by its starting state;
goals are checked as a teacher wrote them; a broken file gets a message naming what is wrong."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nnviz.core import exercises
from nnviz.core.exercises import ExerciseError, Goal, parse
from nnviz.core.network import NetworkSpec
from nnviz.core.training import Metrics

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "exercises"
SHIPPED = sorted(FOLDER.glob("*.toml"))

MINIMAL = """
format = "nnviz-exercise"
version = 1
title = "XOR"
[problem.data]
name = "xor"
[problem.network]
hidden = []
[[goals]]
metric = "test_accuracy"
op = ">="
value = 0.95
"""


def test_at_least_eight_exercises_ship_with_hints_and_a_reasoned_solution():
    assert len(SHIPPED) >= 8
    for path in SHIPPED:
        ex = exercises.load(path)
        assert ex.title and len(ex.task) > 80, path.name
        assert len(ex.hints) >= 2, path.name
        assert ex.has_solution and len(ex.explanation) > 150, path.name
        assert ex.goals


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_exercise_is_solved_by_its_solution_and_not_by_its_start(path):
    ex = exercises.load(path)
    start = ex.problem()
    # Trained as long as the solution is, the starting problem misses at least one goal.
    assert not all(s.met for s in exercises.solve(ex, start)), "the start already solves it"
    statuses = exercises.solve(ex)
    assert all(s.met for s in statuses), [(s.goal.describe(), s.detail) for s in statuses]


def test_the_solution_changes_only_what_it_names():
    ex = parse(MINIMAL + '[solution.network]\nhidden = [4]\nactivation = "tanh"\n')
    start, solved = ex.problem(), ex.solution_problem()
    assert start.spec.hidden == () and solved.spec.hidden == (4,)
    assert solved.spec.activations == ("tanh",)
    assert solved.dataset.spec == start.dataset.spec and solved.config == start.config
    assert ex.solution_text() == "one hidden layer of 4 tanh units"


@pytest.mark.parametrize("solution, words", [
    ('[solution.network]\nhidden = []\n', "no hidden layer"),
    ('[solution.network]\nhidden = [8, 8]\n', "two hidden layers of 8 units each"),
    ('[solution.network]\nhidden = [8, 4, 2]\nactivation = "relu"\n',
     "three hidden layers of 8, 4 and 2 relu units"),
    ('[solution.network]\nactivation = "sin"\n', "sin in the hidden layers"),
    ('[solution.network]\nfeatures = ["x1", "x2", "x1*x2"]\n', "inputs x1, x2 and x1*x2"),
    ('[solution.training]\nlearning_rate = 0.03\noptimizer = "adam"\n',
     "learning rate 0.03, the adam optimizer"),
])
def test_the_solution_is_said_in_words(solution, words):
    """In the panel's words, not the file's ("hidden [4]" read as Python)."""
    assert parse(MINIMAL + solution).solution_text() == words


def _metrics(**kw) -> Metrics:
    base = dict(train_loss=0.5, train_accuracy=0.5, test_loss=0.5, test_accuracy=0.5)
    return Metrics(**{**base, **kw})


def test_a_goal_checks_the_metric_and_the_architecture():
    goal = Goal("test_loss", "<", 0.1, max_hidden_units=8)
    small, big = NetworkSpec(2, (8,), ("tanh",)), NetworkSpec(2, (8, 4), ("tanh", "tanh"))
    assert goal.check(_metrics(test_loss=0.05), small, 100).met
    assert not goal.check(_metrics(test_loss=0.15), small, 100).met
    status = goal.check(_metrics(test_loss=0.05), big, 100)
    assert not status.met and "12 hidden units" in status.detail
    assert goal.describe() == "test loss below 0.1, at most 8 hidden units"


def test_a_goals_limits_read_as_english():
    """Exercise 09's goal read "test accuracy at least 95%, at most 0 hidden layers"."""
    assert (Goal("test_accuracy", ">=", 0.95, max_hidden_layers=0).describe()
            == "test accuracy at least 95%, without a hidden layer")
    one = Goal("test_loss", "<", 0.1, max_hidden_layers=1, min_hidden_layers=1, max_epochs=1)
    assert one.describe() == ("test loss below 0.1, at most 1 hidden layer, at least 1 hidden "
                              "layer, within 1 epoch")
    status = Goal("test_loss", "<", 0.1, max_hidden_layers=0).check(
        _metrics(test_loss=0.05), NetworkSpec(2, (4,), ("tanh",)), 100)
    assert not status.met and "1 hidden layer" in status.detail
    assert "1 hidden layers" not in status.detail


def test_a_goal_within_n_epochs_is_not_met_later_and_nan_never_meets():
    goal = Goal("train_accuracy", ">=", 0.9, max_epochs=500)
    spec = NetworkSpec()
    assert goal.check(_metrics(train_accuracy=0.95), spec, 500).met
    assert not goal.check(_metrics(train_accuracy=0.95), spec, 501).met
    assert not Goal("test_loss", "<", 1.0).check(_metrics(test_loss=float("nan")), spec, 1).met


def test_a_goal_not_met_at_its_last_epoch_says_its_epochs_are_used():
    # Stopped at the budget, 2,000 of 2,000, not met: not "not yet" with its number alone
    # (review r32); before it, still to play for.
    goal = Goal("train_loss", "<", 0.01, max_epochs=2000)
    spec = NetworkSpec()
    before = goal.check(_metrics(train_loss=0.078), spec, 1999)
    assert not before.met and not before.final and "restart" not in before.detail
    at = goal.check(_metrics(train_loss=0.078), spec, 2000)
    assert not at.met and at.final and "restart to try again" in at.detail, at.detail
    assert goal.check(_metrics(train_loss=0.005), spec, 2000).met


@pytest.mark.parametrize("goal, message", [
    ('metric = "loss"\nop = "<"\nvalue = 1', "metric must be one of"),
    ('metric = "test_loss"\nop = "=="\nvalue = 1', "op must be one of"),
    ('metric = "test_loss"\nop = "<"\nvalue = "__import__(\'os\')"', "value must be a number"),
    ('metric = "test_loss"\nop = "<"\nvalue = 1\nmax_hidden_units = -1', "max_hidden_units"),
    ('metric = "test_loss"\nop = "<"\nvalue = 1\nlambda = 1', "unknown field(s) lambda"),
])
def test_a_bad_goal_is_refused_with_a_message(goal, message):
    text = MINIMAL.split("[[goals]]")[0] + "[[goals]]\n" + goal + "\n"
    with pytest.raises(ExerciseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


@pytest.mark.parametrize("change, message", [
    (("[problem.network]", "[problem.network]\nwidth = 3"), "problem.network: unknown field"),
    (('name = "xor"', 'name = "xyz"'), "unknown data set 'xyz'"),
    (("hidden = []", "hidden = [0]"), "width must be 1..512"),
    (('format = "nnviz-exercise"', 'format = "other"'), "not an exercise file"),
    (("title = \"XOR\"", "title = \"XOR\"\n[controls]\nlocked = [\"everything\"]"),
     "unknown control 'everything'"),
    (("version = 1", "version = 1\ntitle ="), "not valid TOML"),
])
def test_a_broken_exercise_says_what_is_wrong(change, message):
    with pytest.raises(ExerciseError, match=message):
        parse(MINIMAL.replace(*change, 1))


def test_load_names_the_file_and_refuses_what_is_not_text(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text(MINIMAL.replace('"xor"', '"xyz"'))
    with pytest.raises(ExerciseError, match="broken.toml: .*unknown data set"):
        exercises.load(bad)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ExerciseError, match="not a text file"):
        exercises.load(binary)
    with pytest.raises(ExerciseError, match="cannot read"):
        exercises.load(tmp_path / "missing.toml")


def test_saving_and_reading_back_gives_the_same_exercise(tmp_path):
    ex = exercises.load(SHIPPED[0])
    path = tmp_path / "copy.toml"
    ex.save(path)
    again = exercises.load(path)
    assert again == ex
    assert again.problem().spec == ex.problem().spec


def test_an_exercise_from_the_current_problem_keeps_it_exactly(tmp_path):
    ex = exercises.load(SHIPPED[0])
    problem = replace(ex.solution_problem(), seed=7)
    made = exercises.from_problem(problem, ex, title="Mine")
    made.save(tmp_path / "mine.toml")
    back = exercises.load(tmp_path / "mine.toml")
    p = back.problem()
    assert (p.spec, p.config, p.seed, p.dataset.spec) == (problem.spec, problem.config, 7,
                                                           problem.dataset.spec)
    assert back.title == "Mine" and back.goals == ex.goals and back.hints == ex.hints


def test_imported_points_cannot_become_an_exercise():
    from nnviz.core.data import from_arrays
    import numpy as np
    data = from_arrays(np.zeros((10, 2)), np.arange(10) % 2, "classification")
    from nnviz.core.problem import make_problem
    with pytest.raises(ExerciseError, match="imported or edited points"):
        exercises.from_problem(make_problem(data))


def test_a_one_unit_solution_reads_in_the_singular():
    ex = parse(MINIMAL + '[solution.network]\nhidden = [1]\nactivation = "tanh"\n')
    assert ex.solution_text() == "one hidden layer of 1 tanh unit"


def test_the_exercises_on_one_problem_are_listed_together(monkeypatch):
    # File -> Exercises listed "XOR with the right input, still without a hidden layer" last,
    # seven exercises away from "XOR without a hidden layer" it follows on from (a teacher's
    # review): the menu's order is the files' names.
    monkeypatch.setattr(exercises, "builtin_folder", lambda: FOLDER)
    titles = [title for _, title, _ in exercises.builtin()]
    assert titles[:2] == ["XOR without a hidden layer",
                          "XOR with the right input, still without a hidden layer"]
    assert len(titles) == len(SHIPPED)


def test_the_notebook_moons_exercise_says_what_its_own_start_does():
    """Review r7: "finds the best straight line (loss about 0.08) and stays near it for
    thousands of epochs" was said of the notebook's run, which from its own weights reaches
    0.0075 by epoch 2,000 -- this exercise draws other weights and holds out 40 points. Its
    words give what its own start does, measured here."""
    from nnviz.core import lessons

    ex = exercises.load(FOLDER / "06-moons-target-loss.toml")
    assert "other initial weights than the notebook" in " ".join(ex.task.split())
    start = ex.problem()
    assert start.params is None and len(start.dataset.test_index) == 40
    losses = start.make_trainer().run(3400).losses
    said = " ".join(ex.explanation.split())
    assert f"by epoch 300 (loss {losses[299]:.3f})" in said
    assert f"{losses[1999]:.3f} at epoch 2,000" in said
    below = next(i + 1 for i, v in enumerate(losses) if v < 0.01)
    assert abs(below - 3300) <= 50 and "below 0.01 only at about epoch 3,300" in said
    notebook = lessons.moons_lesson(2000).losses
    assert f"its run is at {notebook[1999]:.4f} by epoch 2,000" in said
    tanh = ex.solution_problem().make_trainer().run(100).losses
    assert tanh[-1] < 0.01 and "below 0.01 by epoch 100" in said


def test_a_goal_without_its_number_says_why():
    """"(not measured yet)" only before the run's first numbers: a test goal on data without
    test points, or a loss that is not a number, said the same for ever."""
    spec = NetworkSpec()
    nothing = Metrics(*(4 * [float("nan")]))
    assert Goal("test_accuracy", ">=", 0.9).check(nothing, spec, 0).detail == "not measured yet"
    no_test = _metrics(test_loss=float("nan"), test_accuracy=float("nan"))
    assert Goal("test_accuracy", ">=", 0.9).check(no_test, spec, 5).detail == "no test points"
    assert Goal("train_loss", "<", 0.1).check(_metrics(train_loss=float("nan")), spec,
                                              5).detail == "not a number"
    assert Goal("train_loss", "<", 0.1).check(nothing, spec, 0,
                                              missing="compiling").detail == "compiling"
    assert Goal("train_loss", "<", 0.1).check(_metrics(), spec, 0).detail == "now 0.5"
