"""The lessons view reproduces the notebook's numbers; the baseline follows the main run."""
from __future__ import annotations

import numpy as np
import pytest
import pyqtgraph as pg
from sklearn.linear_model import LinearRegression

from nnviz.core import inspect, lessons
from nnviz.core.data import DataSpec, make_dataset
from nnviz.gui import colors
from nnviz.gui.lessons_view import LESSON_KEYS, LessonsView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = LessonsView()
    qtbot.addWidget(v)
    v.resize(1100, 650)
    v.show()
    yield v
    v.shutdown()


def scatter_items(page):
    import pyqtgraph as pg
    return [item for plot in page.glw.ci.items if isinstance(plot, pg.PlotItem)
            for item in plot.items if isinstance(item, pg.ScatterPlotItem)]


def test_lesson_1_shows_sklearns_fit_of_the_notebooks_line(view):
    assert view.current_key == "line"
    data = make_dataset(DataSpec("line", test_fraction=0.0))
    fit = LinearRegression().fit(data.X.astype(np.float64), data.y.astype(np.float64))
    text = view.pages["line"].numbers.text()
    assert f"{fit.coef_[0]:.4f}" in text and f"{fit.intercept_:.3f}" in text
    x, y = scatter_items(view.pages["line"])[0].getData()
    np.testing.assert_allclose(y, data.y, rtol=1e-5, atol=1e-5)
    view.grab()


def test_lesson_1s_key_tells_the_data_from_the_true_line(view):
    """The key said "Truth" for the points right beside "true line": which is the data? The
    points are the noisy data (the notebook's "Truth"), the line the noise-free one."""
    plot = next(p for p in view.pages["line"].glw.ci.items if isinstance(p, pg.PlotItem))
    names = [label.text for _, label in plot.legend.items]
    assert names == ["Truth (noisy data)", "Fit", "true line (no noise)"]


def test_lessons_2_to_4_show_the_notebooks_numbers(view):
    view.show_lesson("deep-linear")
    assert view.stack.currentWidget() is view.pages["deep-linear"]
    text = view.pages["deep-linear"].numbers.text()
    assert "172.8" in text
    # cells 10-14: the hand-made layer's printout and shapes, as the notebook prints them
    assert "1.373, 0.06459, -2.553, -0.6538" in text and "(4, 1)" in text
    assert "3.121, 0.3256" in text and "(2, 1)" in text
    view.show_lesson("sigmoid")
    assert "96%" in view.pages["sigmoid"].numbers.text()  # of the outputs saturated: a step
    view.show_lesson("activations")
    page = view.pages["activations"]
    assert "sum to <b>1.000000</b>" in page.numbers.text()
    points = scatter_items(page)
    assert len(points) == 5
    _, softmax_y = points[1].getData()
    assert softmax_y.sum() == pytest.approx(1.0)
    view.grab()


def test_the_list_selects_lessons(view, qtbot):
    view.list.setCurrentRow(LESSON_KEYS.index("sigmoid"))
    assert view.stack.currentWidget() is view.pages["sigmoid"] and view.pages["sigmoid"].filled
    with pytest.raises(KeyError, match="known: line"):
        view.show_lesson("nope")


def test_lesson_5_trains_in_the_background_to_the_notebooks_accuracy(view, qtbot):
    view.show_lesson("moons")
    qtbot.waitUntil(lambda: view.pages["moons"].filled, timeout=60_000)
    m = view.moons_result
    assert m.accuracy == pytest.approx(0.88)  # the notebook's final figure
    assert "88%" in view.pages["moons"].numbers.text()
    assert "100: 0.2460" in view.pages["moons"].numbers.text()  # as the notebook prints it
    true, pred, rounded = scatter_items(view.pages["moons"])[:3]
    assert len(true.getData()[0]) == 200
    view.grab()


def test_baseline_beside_the_network(view):
    t = make_trainer()
    t.run(300)
    view.show_lesson("baseline")
    view.update_snapshot(snapshot_of(t, {"baseline": inspect.BaselineProbe()}))
    page = view.pages["baseline"]
    base = lessons.logistic_baseline(t.data)
    assert f"{base.train_accuracy:.1%}" in page.numbers.text()
    assert f"{t.evaluate().train_accuracy:.1%}" in page.numbers.text()
    (_, img0, _), (_, img1, _) = view._baseline_items
    assert img0.image.shape == (40, 40) and img1.image.shape == (40, 40)
    # Multi-class: class colours instead of P(class 1).
    t3 = make_trainer("multiclass", hidden=(8,), loss="cross-entropy", lr=0.1)
    view.update_snapshot(snapshot_of(t3, {"baseline": inspect.BaselineProbe()}))
    assert img0.image.shape == (40, 40, 3)
    # Regression: no baseline, a sentence instead.
    tr = make_trainer("line", hidden=(3,))
    view.update_snapshot(snapshot_of(tr, {"baseline": inspect.BaselineProbe()}))
    assert "classification" in page.numbers.text()


def _shown_titles(page) -> list[str]:
    """The plot titles a user sees on ``page``: none while its figure is hidden."""
    if not page.glw.isVisible():
        return []
    return [p.titleLabel.text for p in page.glw.ci.items
            if isinstance(p, pg.PlotItem) and p.isVisible()]


def test_the_baseline_never_shows_another_problems_figure(view, qtbot):
    """Classification data, then the Sine preset: the page said "the main window's problem
    is a regression" over the previous data's figure, "logistic regression: 96.9% (train)".
    The figure is of the problem the words describe, or there is none."""
    view.show_lesson("baseline")
    page = view.pages["baseline"]
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"baseline": inspect.BaselineProbe()}))
    assert any(title.startswith("logistic regression: ") for title in _shown_titles(page))
    tr = make_trainer("sine", hidden=(3,))
    view.update_snapshot(snapshot_of(tr, {"baseline": inspect.BaselineProbe()}))
    assert "regression" in page.numbers.text()
    assert _shown_titles(page) == []
    # Classification with more than two inputs: the accuracies, and no plane of old data.
    from nnviz.core.data import from_arrays
    from nnviz.core.training import Trainer, TrainConfig, network_for
    X3 = np.random.default_rng(0).normal(size=(60, 3))
    d3 = from_arrays(X3, (X3[:, 0] > 0).astype(int), "classification", n_classes=2)
    t4 = Trainer(network_for(d3, "mse", (4,), ("sigmoid",), "sigmoid"),
                 TrainConfig("mse", "gd", 1.0), d3, seed=0)
    from dataclasses import replace
    view.update_snapshot(replace(snapshot_of(t), metrics=t4.evaluate(), grid=None,
                                 extras={"baseline": inspect.BaselineProbe()(t4, None)}))
    assert "logistic regression" in page.numbers.text() and _shown_titles(page) == []
    # Back to a plane of classes: its figure again.
    view.update_snapshot(snapshot_of(t, {"baseline": inspect.BaselineProbe()}))
    assert any(title.startswith("logistic regression: ") for title in _shown_titles(page))


def test_lesson_3_says_what_its_axes_and_colours_are(view):
    """Its axes read "X", "Y", "G", nothing said what they were (the inputs are 100 single
    numbers, not the moons of the other tabs), and nothing said what the orange-to-blue points
    meant."""
    view.show_lesson("sigmoid")
    page = view.pages["sigmoid"]
    plots = [item for item in page.glw.ci.items if isinstance(item, pg.PlotItem)]
    assert len(plots) == 3
    for p in plots:
        bottom = p.getAxis("bottom").labelText
        left = p.getAxis("left").labelText
        assert bottom.startswith("X") and "input" in bottom, bottom
        assert left.startswith(("Y", "G")) and len(left) > 1, left
    assert "sigmoid(Y)" in plots[1].getAxis("left").labelText
    words = page.numbers.text()
    assert "N(0, 1)" in words and "not the moons" in words
    lo, hi = (colors.hex_of(c) for c in colors.point_map().map([0.0, 1.0], mode="byte")[:, :3])
    assert lo in words and hi in words and "low" in words and "high" in words


def test_lesson_5_says_why_its_run_starts_at_0_2537_not_the_first_models_0_283(view, qtbot):
    # Review r7: the page said "initial cost 0.283" and its "Try it live" started at 0.2537:
    # the notebook's LinearModelWithGrad draws new weights after its first model's cost.
    from nnviz.core import presets

    view.show_lesson("moons")
    qtbot.waitUntil(lambda: view.pages["moons"].filled, timeout=60_000)
    text = view.pages["moons"].numbers.text()
    trainer = presets.get("moons").trainer()
    start = f"{trainer.evaluate().train_loss:.4f}"
    assert start == "0.2537"
    assert "initial cost 0.283" in text and "draws new weights" in text
    assert f"at the start is {start}" in text


def _notebooks_cells_26_to_28():
    """The notebook's X, y and G of cells 26-28, by its own calls on numpy's global stream from
    np.random.seed(42) (cells 2, 10, 13, 17, 21 draw before them); not the replay's."""
    state = np.random.get_state()
    try:
        np.random.seed(42)
        np.random.normal(size=100)  # cell 2: the line's noise
        np.random.randn(3, 1), np.random.randn(3, 4), np.random.randn(4, 1)  # cell 10
        np.random.randn(4, 2)  # cell 13
        lessons.LinearModel(3, 2, (4,))  # cell 17 (the notebook's class: np.random itself)
        lessons.LinearModel(3, 2, (4, 10, 20, 50))  # cell 21
        model = lessons.LinearModel(1, 1, (4,))  # cell 26: HIDDEN_DIMS = (4,)
        X = np.random.randn(1, 100)  # cell 27
        y = model(X)  # cell 28
        return X, y, 1 / (1 + np.exp(-y))
    finally:
        np.random.set_state(state)


def test_lesson_3_draws_the_notebooks_1_4_1_model_and_its_sigmoid(view):
    """The notebook's cells 25-30 (a 1-4-1 linear model, its y and G = sigmoid(y) against X,
    coloured by y) were not on the page: it began at the deep linear model of cell 31."""
    X, y, G = _notebooks_cells_26_to_28()
    view.show_lesson("sigmoid")
    page = view.pages["sigmoid"]
    plots = [item for item in page.glw.ci.items if isinstance(item, pg.PlotItem)]
    shown = {}
    for plot in plots:
        for item in plot.items:
            if isinstance(item, pg.ScatterPlotItem) and item.name() == "1-4-1":
                shown[plot.getAxis("left").labelText] = item, plot
    assert set(shown) == {"Y (output)", "G = sigmoid(Y)"}, list(shown)
    for label, values in (("Y (output)", y), ("G = sigmoid(Y)", G)):
        xs, ys = shown[label][0].getData()
        np.testing.assert_array_equal(xs, X[0])  # the notebook's numbers, exactly
        np.testing.assert_array_equal(ys, values[0])
        # coloured by y: its highest y in the scale's high colour, its lowest in the low one
        brushes = shown[label][0].data["brush"]
        hi, lo = (colors.point_map().map([t], mode="qcolor")[0] for t in (1.0, 0.0))
        assert brushes[np.argmax(y[0])].color().name() == hi.name()
        assert brushes[np.argmin(y[0])].color().name() == lo.name()
    # a key under both plots tells the 1-4-1 model's points from the deep model's
    for _, plot in shown.values():
        assert [label.text for _, label in plot.legend.items] == ["1-4-1", "deep"]
    words = page.numbers.text()
    assert f"1-4-1 model: Y from {y.min():.4g} to {y.max():.4g}" in words
    assert f"G from <b>{G.min():.4f}</b> to <b>{G.max():.4f}</b>" in words
    assert "near 1" in page.lesson.text and "near 0" in page.lesson.text  # cell 30's point
