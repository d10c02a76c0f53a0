"""The views' labels say what is on screen in every set-up: the output node, the colour bar and
the key name a tanh output a score, not P(class 1), and ten classes' outputs P(class k); the
Neurons key says "along the input" of one input."""
from __future__ import annotations

import pytest

from nnviz.core import presets
from nnviz.gui.network_view import NetworkView
from nnviz.gui.neuron_maps import NeuronMapsView

from ..conftest import wait_for_run
from .test_explain import _ten_class_import
from .test_problem_defaults import choose

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _fruit():
    """A file of two named classes (apple, lemon). 200 rows: the notebook's 160 training and 40
    test points, so the sigmoid run is the window's notebook problem's programs (in a whole run
    the tanh run's are test_problem_defaults' softmax test's too)."""
    import numpy as np
    from nnviz.core.csvdata import parse_csv_text
    rng = np.random.default_rng(0)
    lines = ["width,height,fruit"] + [
        f"{rng.normal(2 * k, 1):.3f},{rng.normal(k, 1):.3f},{('apple', 'lemon')[k]}"
        for k in (0, 1) * 100]
    return parse_csv_text("\n".join(lines), name="fruit")


def _output_title(w, qtbot) -> str:
    """The Network view's title over the output neuron's map, as shown."""
    w.show_view("network")
    view = w.findChildren(NetworkView)[0]
    spec = w.current_problem().spec

    def titled() -> bool:
        return view.canvas.spec == spec and view.panel.title.text().startswith("<b>output")
    qtbot.waitUntil(titled, timeout=30_000)
    return view.panel.title.text()


def test_a_tanh_output_is_called_a_score_not_a_probability(main_window, qtbot):
    # Two named classes with a tanh output: the output neuron was "output, P(lemon) (tanh)",
    # the colour bar and the key "P(lemon)", of a number from -1 to 1 that no one made a
    # probability.
    w = main_window
    assert w.session_actions.import_data(_fruit())
    wait_for_run(qtbot, w)
    assert "output, P(lemon) (sigmoid)" in _output_title(w, qtbot)  # a sigmoid's is one
    assert w.boundary.colorbar.axis.labelText == "P(lemon)"
    assert "background: P(lemon)" in w.legend.text()
    w.show_view("main")
    choose(w.editor.output_activation, "tanh")
    wait_for_run(qtbot, w, 0)
    assert w.current_problem().spec.output_activation == "tanh"
    title = _output_title(w, qtbot)
    assert "output, score for lemon (tanh)" in title and "P(" not in title
    canvas = w.findChildren(NetworkView)[0].canvas
    out = canvas.spec.n_layers - 1
    assert canvas._describe(("n", out, 0)).startswith("output, score for lemon (tanh)")
    assert w.boundary.colorbar.axis.labelText == "score for lemon (tanh)"
    assert "background: score for lemon (tanh)" in w.legend.text()
    assert "P(" not in w.legend.text()
    choose(w.editor.output_activation, "linear")
    wait_for_run(qtbot, w, 0)
    assert w.boundary.colorbar.axis.labelText == "score for lemon (linear)"


def test_ten_classes_outputs_are_each_a_classs_probability(main_window, qtbot):
    # A 10-class import (softmax): each output neuron is one class's probability.
    w = main_window
    assert w.session_actions.import_data(_ten_class_import())
    wait_for_run(qtbot, w)
    spec = w.current_problem().spec
    assert spec.output_dim == 10 and spec.output_activation == "softmax"
    assert "output, P(ant) (softmax)" in _output_title(w, qtbot)
    canvas = w.findChildren(NetworkView)[0].canvas
    out = spec.n_layers - 1
    assert [canvas._describe(("n", out, k)).split("\n")[0] for k in (1, 9)] == [
        "output, P(bee) (softmax)", "output, P(jay) (softmax)"]
    assert "P(" not in w.legend.text()  # the background: the predicted class


def test_the_neurons_key_says_along_the_input_of_one_input(main_window, qtbot):
    # The sine (one input): its tiles are strips along x, its large map a curve; the key said
    # "Each tile is one neuron's activation over the input plane".
    w = main_window
    w.show_view("neurons")
    view = w.findChildren(NeuronMapsView)[0]
    qtbot.waitUntil(lambda: "over the input plane" in view.header.text(), timeout=30_000)
    w.session_actions.load_preset(presets.get("sine"))
    wait_for_run(qtbot, w, 0)
    qtbot.waitUntil(lambda: "along the input" in view.header.text(), timeout=30_000)
    assert "plane" not in view.header.text()
