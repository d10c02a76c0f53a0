"""The notebook's demonstrations reproduce the notebook's numbers.

Reference values marked "notebook" were obtained by running the notebook's own cells
(seed/01-fundamentals.ipynb, np.random.seed(42), in order); it stores no outputs itself.
"""
import sys

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from nnviz.core import lessons
from nnviz.core.data import DataSpec, make_dataset


def test_replay_uses_the_notebooks_stream_without_touching_the_global_one():
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    lessons.replay.cache_clear()
    r = lessons.replay()
    assert np.array_equal(np.random.get_state()[1], before)
    # The notebook's first draw after np.random.seed(42) is the line's noise.
    np.random.seed(42)
    x = np.linspace(0., 10., 100)
    y = 2.31531 * x + 0.23412 + np.random.normal(size=(x.size))
    assert np.array_equal(r.line.y, y)


def test_line_fit_is_sklearns_on_the_line_data_set():
    data = make_dataset(DataSpec("line", test_fraction=0.0))
    r = lessons.replay().line
    np.testing.assert_allclose(data.X[:, 0], r.x, rtol=1e-6)
    np.testing.assert_allclose(data.y, r.y, rtol=1e-5, atol=1e-5)
    fit = LinearRegression().fit(r.x[:, None], r.y)
    assert r.slope == pytest.approx(fit.coef_[0], abs=1e-12)
    assert r.intercept == pytest.approx(fit.intercept_, abs=1e-12)
    # The fit is close to the true line the notebook drew the data from (notebook: 2.329, 0.061).
    assert r.slope == pytest.approx(2.3291, abs=1e-4)
    assert r.intercept == pytest.approx(0.0613, abs=1e-4)


def test_deep_linear_outputs_grow_with_depth():
    d = lessons.replay().deep_linear
    mags = lessons.DeepLinearLesson.magnitudes(d.deep_layers)
    assert len(mags) == 5 and np.all(np.diff(mags) > 0)
    # The notebook's cell 22 output, against cell 18's one-hidden-layer model.
    np.testing.assert_allclose(d.deep_output.ravel(), [172.78055735, 50.76393477], rtol=1e-8)
    assert np.abs(d.deep_output).max() > 40 * np.abs(d.shallow_output).max()


def test_the_hand_made_layers_print_the_notebooks_numbers():
    # Cells 10-14, the first linear_layer with its own random b: their printed numbers had no
    # place in the window (review r3, defect 5); lesson 2's page now starts with them.
    d = lessons.replay().deep_linear
    np.testing.assert_allclose(d.hand_hidden.ravel(),
                               [1.37271847, 0.06458817, -2.5534333, -0.65378249], atol=1e-8)
    np.testing.assert_allclose(d.hand_output.ravel(), [3.12090834, 0.32556294], atol=1e-8)
    assert d.hand_hidden.shape == (4, 1) and d.hand_output.shape == (2, 1)


def test_the_models_use_the_notebooks_layout():
    m = lessons.LinearModel(3, 2, (4, 10), rng=np.random.RandomState(0))
    assert [w.shape for w in m.w] == [(3, 4), (4, 10), (10, 2)]
    assert [b.shape for b in m.b] == [(4, 1), (10, 1), (2, 1)]
    assert all(np.all(b == 0) for b in m.b)
    assert m(np.ones((3, 5))).shape == (2, 5)


def test_sigmoid_on_the_output_only_is_a_step_and_between_layers_is_not():
    s = lessons.replay().sigmoid
    assert lessons.SigmoidLesson.saturated_fraction(s.G_deep) >= 0.9
    assert np.ptp(s.Y_deep) > 100  # the deep linear model's outputs are huge
    # Between layers, every output stays in a narrow band, none saturated (notebook: 0.786-0.792).
    assert lessons.SigmoidLesson.saturated_fraction(s.Y_between) == 0.0
    assert s.Y_between.min() == pytest.approx(0.78648, abs=1e-4)
    assert s.Y_between.max() == pytest.approx(0.79160, abs=1e-4)


def test_five_activations_in_the_notebooks_order_and_softmax_sums_to_one_over_everything():
    a = lessons.replay().activations
    assert [label for label, _ in a.outputs] == ["Sigmoid", "Softmax", "tanh", "cos", "ReLU"]
    out = dict(a.outputs)
    assert out["Softmax"].sum() == pytest.approx(1.0)
    assert out["Softmax"].shape == (1, 100)  # ... so each of the 100 outputs is about 1/100
    assert np.all(out["ReLU"] >= 0) and np.all(np.abs(out["tanh"]) < 1)
    assert np.all((out["Sigmoid"] > 0) & (out["Sigmoid"] < 1))
    # The notebook's tanh network outputs a step between about -0.99 and 0.99.
    assert out["tanh"].min() == pytest.approx(-0.98982, abs=1e-4)
    assert out["tanh"].max() == pytest.approx(0.98982, abs=1e-4)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert lessons.softmax(x).sum() == pytest.approx(1.0)
    assert lessons.softmax(x)[0].sum() < 0.2  # NOT per sample


def test_initial_cost_is_the_notebooks():
    assert lessons.replay().moons_initial_cost == pytest.approx(0.28299, abs=1e-5)  # "Cost: 0.283"


def test_moons_training_reproduces_the_notebooks_losses_and_accuracy():
    m = lessons.moons_lesson()
    # The notebook prints "Loss for epoch 100: 0.2460" ... "Loss for epoch 1000: 0.0804".
    printed = [0.2460, 0.2169, 0.1387, 0.0997, 0.0892, 0.0862, 0.0848, 0.0836, 0.0823, 0.0804]
    np.testing.assert_allclose(m.losses[99::100], printed, atol=5e-5)
    assert m.accuracy == pytest.approx(0.88)
    assert set(np.unique(m.rounded)) <= {0.0, 1.0}


def test_logistic_baseline():
    moons = make_dataset(DataSpec("moons"))
    xs = np.linspace(-1.5, 2.5, 20, dtype=np.float32)
    grid = np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2)
    b = lessons.logistic_baseline(moons, grid)
    assert 0.8 < b.train_accuracy < 0.95  # a line cannot separate the moons
    assert 0.7 < b.test_accuracy <= 1.0
    assert b.grid_values.shape == (400,) and np.all((b.grid_values >= 0) & (b.grid_values <= 1))
    blobs = make_dataset(DataSpec("blobs", noise=0.3))
    assert lessons.logistic_baseline(blobs).train_accuracy > 0.98
    multi = make_dataset(DataSpec("multiclass", classes=4, noise=0.5))
    bm = lessons.logistic_baseline(multi, grid)
    assert bm.grid_values.shape == (400, 4)
    np.testing.assert_allclose(bm.grid_values.sum(axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="classification"):
        lessons.logistic_baseline(make_dataset(DataSpec("line")))


def test_the_lessons_replay_needs_no_scikit_learn_models(tmp_path, monkeypatch):
    """Opening the Lessons tab replays the notebook: with the moons in the data cache (as after
    any launch), that needs none of scikit-learn, whose linear models alone cost ~120 MB and
    up to 2 s of the first look at the tab."""
    from nnviz.core import data
    expected = lessons.replay()
    monkeypatch.setattr(data, "_cache_dir", None)
    data.enable_cache(tmp_path)
    make_dataset(DataSpec("moons", samples=200, noise=0.1, seed=0))  # what a launch leaves there
    for name in ("sklearn", "sklearn.datasets", "sklearn.linear_model"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it raises ImportError
    lessons.replay.cache_clear()
    try:
        r = lessons.replay()
    finally:
        lessons.replay.cache_clear()
    np.testing.assert_allclose(r.line.y_pred, expected.line.y_pred, rtol=1e-12)
    assert r.line.slope == pytest.approx(2.3291, abs=1e-4)
    assert r.moons_initial_cost == expected.moons_initial_cost
