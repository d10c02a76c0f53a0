"""Hidden space: the data through a chosen hidden layer, live."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import inspect
from nnviz.core.network import forward_layers
from nnviz.gui.hidden_space import HiddenSpaceView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = HiddenSpaceView(inspect.HiddenSpaceProbe())
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    return v


def test_layers_listed_last_layer_by_default_and_points_follow_training(view):
    t = make_trainer()
    changed = []
    view.settings_changed.connect(lambda: changed.append(1))
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert [view.layer_box.itemText(i) for i in range(view.layer_box.count())] == [
        "hidden 1: 4 sigmoid", "hidden 2: 10 sigmoid", "hidden 3: 4 sigmoid"]
    assert view.probe.layer == 2 and view.probe.units is None and changed
    t.run(1)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    x0 = view.train_points.getData()[0].copy()  # the points move in place
    assert len(x0) == len(t.data.train_index)
    assert "PC 1" in view.plot.getPlotItem().getAxis("bottom").labelText
    t.run(300)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    x1, _ = view.train_points.getData()
    assert np.abs(x1 - x0).max() > 1e-3
    mx, my = view.mesh.getData()
    assert np.isnan(mx).sum() == 34  # one gap after each of the 34 grid lines
    view.grab()


def test_two_chosen_units_are_drawn_as_they_are(view):
    t = make_trainer()
    t.run(50)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    view.set_layer(1, (3, 7))
    assert view.probe.layer == 1 and view.probe.units == (3, 7)
    assert view.unit_a.isVisible() and view.unit_a.maximum() == 10
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    h = np.array(forward_layers(t.spec, t.params, t.data.X_train)[1])
    x, y = view.train_points.getData()
    np.testing.assert_allclose(x, h[:, 3], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y, h[:, 7], rtol=1e-5, atol=1e-6)
    assert view.plot.getPlotItem().getAxis("left").labelText == "unit 8"


def test_no_hidden_layer_says_so(view):
    t = make_trainer(hidden=())
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert "no hidden layer" in view.caption.text()


def test_many_points_are_drawn_as_a_sample_and_the_caption_says_so(view):
    t = make_trainer(samples=20_000)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    x_train, _ = view.train_points.getData()
    x_test, _ = view.test_points.getData()
    assert len(x_train) + len(x_test) == inspect.HIDDEN_SPACE_POINTS
    assert "5,000 of the 20,000 points" in view.caption.text()
