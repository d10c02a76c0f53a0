"""Neuron maps: a tile per neuron, the selected one large, following training."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core import inspect
from nnviz.gui.neuron_maps import LUT, NeuronMapsView, levels_for, to_qimage

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = NeuronMapsView()
    v.probe = inspect.NeuronMapsProbe()
    qtbot.addWidget(v)
    v.resize(1000, 650)
    v.show()
    return v


def test_a_tile_per_neuron_and_the_output_shown_large_first(view):
    t = make_trainer()
    t.run(100)
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}, res=60))
    assert len(view.grid._tiles) == 2 + 4 + 10 + 4 + 1
    assert view.grid.selected == (3, 0)
    assert view.panel.title.text().startswith("<b>output (sigmoid)")
    # The output neuron's large map is the network's prediction over the plane.
    s = view.snapshot
    np.testing.assert_allclose(view.panel.image.image, s.grid.values, rtol=1e-5, atol=1e-6)
    view.grab()


def test_clicking_a_tile_selects_it_and_training_changes_the_maps(view, qtbot):
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}))
    rect = next(r for r, layer, unit in view.grid._tiles if (layer, unit) == (0, 2))
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.probe.selected == (0, 2)
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}))
    first = view.panel.image.image.copy()
    assert "hidden layer 1, unit 3" in view.panel.title.text()
    t.run(300)
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}))
    assert np.abs(view.panel.image.image - first).max() > 1e-3


def test_colours_are_the_playgrounds_and_bounded_activations_keep_their_range():
    assert tuple(LUT[0]) == (245, 147, 34) and tuple(LUT[-1]) == (8, 119, 189)
    assert levels_for("sigmoid", np.array([0.2, 0.3])) == (0.0, 1.0)
    assert levels_for("relu", np.array([0.0, 4.0])) == (-4.0, 4.0)
    img = to_qimage(np.array([[0.0, 1.0], [0.0, 1.0]]), (0.0, 1.0))
    # Row 0 of the map is the lowest y: drawn at the bottom of the image.
    img2 = to_qimage(np.array([[0.0, 0.0], [1.0, 1.0]]), (0.0, 1.0))
    assert img.pixelColor(0, 0).red() == 245 and img.pixelColor(1, 0).blue() == 189
    assert img2.pixelColor(0, 0).blue() == 189 and img2.pixelColor(0, 1).red() == 245


def test_only_the_tiles_in_sight_become_images(view, monkeypatch):
    from nnviz.gui import neuron_maps
    made = []
    original = neuron_maps.to_qimage
    monkeypatch.setattr(neuron_maps, "to_qimage", lambda *a: made.append(1) or original(*a))
    t = make_trainer(hidden=(64, 64, 64, 64, 64, 64), act="tanh")
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}, res=20))
    tiles = len(view.grid._tiles)
    assert tiles == 2 + 6 * 64 + 1 and made == []  # nothing drawn yet: no image made
    view.grab()  # the scroll area shows the first rows
    assert 0 < len(made) < tiles / 2
    # Scrolled to the end: the last tiles are drawn too.
    scroll = view.grid.parentWidget().parentWidget()
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    seen = len(made)
    view.grab()
    assert len(made) > seen
