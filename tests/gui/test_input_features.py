"""Input features in the window: switched on and off in the architecture editor, drawn in the
network diagram with their maps, taken from --features."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from nnviz.core import inspect
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Choices, make_problem
from nnviz.gui import app
from nnviz.gui.network_view import NetworkView

from ..conftest import FIRST_SNAPSHOT_MS, wait_for_run
from .test_views_helpers import snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
XOR_FEATURE = (Path(__file__).resolve().parents[2] / "resources" / "exercises"
               / "02-xor-with-a-feature.toml")


def test_the_editor_switches_features_on_and_the_model_takes_them(qtbot, main_window):
    w = main_window
    boxes = w.editor.inputs.boxes
    assert [b.text() for b in boxes.values()] == ["x1", "x2", "x1\u00b2", "x2\u00b2",
                                                  "x1\u00b7x2", "sin(x1)", "sin(x2)"]
    assert [n for n, b in boxes.items() if b.isChecked()] == ["x1", "x2"]
    boxes["x1*x2"].setChecked(True)
    wait_for_run(qtbot, w)
    spec = w.current_problem().spec
    assert spec.features == ("x1", "x2", "x1*x2") and spec.layer_sizes[0] == 3
    assert w.last_snapshot.spec.features == spec.features
    assert w.editor.shapes.text().startswith("3 -> ")


def test_no_feature_at_all_is_refused_and_the_model_kept(qtbot, main_window):
    w = main_window
    before = w.current_problem()
    boxes = w.editor.inputs.boxes
    boxes["x1"].setChecked(False)
    wait_for_run(qtbot, w)
    shapes = w.editor.shapes.text()
    boxes["x2"].click()  # as the user unticks it
    assert "at least one input feature" in w.editor.message.text()
    assert w.editor.message.is_error()
    assert w.current_problem().spec.features == ("x2",)
    assert before.spec.features == ()
    # The boxes say what the model takes: x2 ticked again (both boxes stayed unticked under
    # the refusal while the model still took x2).
    assert [n for n, b in boxes.items() if b.isChecked()] == ["x2"]
    assert w.editor.inputs.features() == ("x2",) and w.editor.shapes.text() == shapes
    # The next edit is taken, and the refusal goes.
    boxes["x1"].setChecked(True)
    qtbot.waitUntil(lambda: w.current_problem().spec.features == ())
    assert not w.editor.message.is_error()


def test_other_data_offers_its_own_features(qtbot, main_window):
    w = main_window
    w.editor.inputs.boxes["x1*x2"].setChecked(True)  # (the first test's model: compiled once)
    wait_for_run(qtbot, w)
    w.load_problem(make_problem(make_dataset(DataSpec("sine"))))
    wait_for_run(qtbot, w)
    assert list(w.editor.inputs.boxes) == ["x1", "x1^2", "sin(x1)"]


def test_the_diagram_shows_each_feature_with_its_map(qtbot):
    view = NetworkView()
    view.probe = inspect.NeuronMapsProbe()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    problem = make_problem(make_dataset(DataSpec("xor")),
                           Choices(hidden=(4,), features=("x1^2", "x1*x2", "sin(x2)")))
    t = problem.make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    assert [len(u) for u in c.shown] == [3, 4, 1]
    assert all((-1, k) in c._images for k in range(3))  # a map in every input node
    assert c.thumbnail(-1, 0) != c.thumbnail(-1, 1)
    view.grab()


def test_an_exercise_may_lock_the_layers_and_leave_the_inputs_free(qtbot, main_window):
    w = main_window
    w.open_exercise(str(XOR_FEATURE))
    wait_for_run(qtbot, w)
    assert not w.editor.add.isEnabled()
    assert w.editor.inputs.boxes["x1*x2"].isEnabled()
    w.editor.inputs.boxes["x1*x2"].setChecked(True)
    wait_for_run(qtbot, w)
    w.step(1000)  # a compile and 1,000 epochs: a first window's time at load
    qtbot.waitUntil(lambda: w.exercise_actions.all_met, timeout=FIRST_SNAPSHOT_MS)


def test_features_from_the_command_line_reach_the_window(qapp):
    args = argparse.Namespace(**{**app.DEFAULTS, "dataset": "xor", "hidden": (),
                                 "features": ("x1", "x2", "x1*x2")})
    assert app.problem_from_args(args).spec.features == ("x1", "x2", "x1*x2")


def test_data_of_three_inputs_takes_the_raw_inputs_and_says_so(qtbot, main_window):
    import numpy as np
    from nnviz.core.data import from_arrays
    w = main_window
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    data = from_arrays(X, (X.sum(axis=1) > 0).astype(int), "classification")
    # (4,) tanh, then 5 wide: the two models test_main_window's loaded points train (60 points
    # of 3 inputs), which come from the shared compile cache in a whole run.
    w.load_problem(make_problem(data, Choices(hidden=(4,), activations=("tanh",))))
    wait_for_run(qtbot, w)
    assert w.editor.inputs.boxes == {}
    assert "3 raw inputs" in w.editor.inputs.note.text()
    assert w.editor.draft().features == () and not w.editor.has_error()
    w.editor.rows[0].width.setValue(5)  # an edit still makes a model
    wait_for_run(qtbot, w)
    assert w.current_problem().spec.hidden == (5,)


def test_an_imported_files_inputs_carry_its_feature_names(qtbot, main_window):
    """fruit.csv's features are width and height: the Inputs boxes say so (width², width·height,
    sin(width)), as the plot's axes do; generated data goes back to x1, x2."""
    from nnviz.core.csvdata import read_csv
    w = main_window
    fruit = Path(__file__).resolve().parents[2] / "resources" / "examples" / "fruit.csv"
    w.load_problem(make_problem(read_csv(fruit).dataset))
    wait_for_run(qtbot, w)
    boxes = w.editor.inputs.boxes
    assert [b.text() for b in boxes.values()] == [
        "width", "height", "width\u00b2", "height\u00b2", "width\u00b7height", "sin(width)",
        "sin(height)"]
    assert "width\u00b7height" in boxes["x1*x2"].toolTip()
    w.load_problem(make_problem(make_dataset(DataSpec("moons"))))
    wait_for_run(qtbot, w)
    assert [b.text() for b in w.editor.inputs.boxes.values()][:3] == ["x1", "x2", "x1\u00b2"]


def test_an_imported_files_names_reach_the_network_and_neurons_views(qtbot, main_window):
    """fruit.csv: the settings said width / height and Hidden space apple / lemon / pear, while
    the Network view named the inputs x1, x2 and the output class 0, and the neuron maps' axes
    said x1, x2. daylight.csv's one input is "month" on the 1-D map's axis, not "x"."""
    from nnviz.core.csvdata import read_csv
    from nnviz.gui.neuron_maps import NeuronMapsView
    w = main_window
    examples = Path(__file__).resolve().parents[2] / "resources" / "examples"
    assert w.session_actions.import_data(read_csv(examples / "fruit.csv"))
    wait_for_run(qtbot, w)
    w.show_view("network")
    canvas = w.findChildren(NetworkView)[0].canvas
    qtbot.waitUntil(lambda: canvas.spec is not None and canvas.spec.input_dim == 2)
    last = canvas.spec.n_layers - 1
    assert canvas._describe(("n", -1, 0)).startswith("input width")
    assert canvas._describe(("n", -1, 1)).startswith("input height")
    assert [canvas._describe(("n", last, k)).split(" (")[0] for k in range(3)] == [
        "output, P(apple)", "output, P(lemon)", "output, P(pear)"]

    w.show_view("neurons")
    view = w.findChildren(NeuronMapsView)[0]
    view.select(-1, 0)
    axis = view.panel.plot.getPlotItem().getAxis
    # the main plot's names: the numbers on the axes are the standardised ones
    qtbot.waitUntil(lambda: axis("bottom").labelText == "width (standardised)", timeout=30_000)
    assert axis("left").labelText == "height (standardised)"
    assert "input width" in view.panel.title.text()

    assert w.session_actions.import_data(read_csv(examples / "daylight.csv"))
    wait_for_run(qtbot, w)
    view.select(-1, 0)
    qtbot.waitUntil(lambda: axis("bottom").labelText.startswith("month"), timeout=30_000)
    assert "input month" in view.panel.title.text()
