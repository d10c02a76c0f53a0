"""Issue 14's list of small things that break the flow: each one reproduced, then fixed."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QVBoxLayout, QWidget

from nnviz.core import inspect

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_network_views_hover_value_is_not_replaced_by_a_generic_tooltip(qtbot):
    from nnviz.gui.network_view import NetworkView

    # In the window the view sits in a tab that has a tooltip of its own.
    tab = QWidget()
    tab.setToolTip("The network: weights as links, biases, each neuron's map; click to edit.")
    view = NetworkView()
    view.probe = inspect.NeuronMapsProbe()
    QVBoxLayout(tab).addWidget(view)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    c._geometry()
    x0, y0, x1, y1 = c._link_segments()[0, :4]  # near a link's start, where no other crosses
    pos = QPoint(round(x0 + 0.3 * (x1 - x0)), round(y0 + 0.3 * (y1 - y0)))
    assert c.item_at(QPointF(pos))[0] == "w"
    qtbot.mouseMove(view.canvas, pos - QPoint(1, 0))
    qtbot.mouseMove(view.canvas, pos)
    qtbot.waitUntil(lambda: c._hover == c.item_at(QPointF(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    value = f"{view.canvas.value_of(view.canvas._hover):+.5g}"
    assert value in QToolTip.text()
    # The mouse rests: Qt asks for a tooltip (after ~1 s). The value must stay.
    QApplication.sendEvent(view.canvas, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                   view.canvas.mapToGlobal(pos)))
    assert value in QToolTip.text()
    assert "click to edit" not in QToolTip.text()


def test_hidden_spaces_two_units_start_at_two_different_units(qtbot):
    from nnviz.gui.hidden_space import UNITS, HiddenSpaceView
    view = HiddenSpaceView(inspect.HiddenSpaceProbe())
    qtbot.addWidget(view)
    view.show()
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    view.mode_box.setCurrentText(UNITS)
    assert (view.unit_a.value(), view.unit_b.value()) == (1, 2)
    assert view.probe.units == (0, 1)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert "unit 1" in view.plot.getPlotItem().getAxis("bottom").labelText
    assert "unit 2" in view.plot.getPlotItem().getAxis("left").labelText


def _diverge(window, qtbot) -> int:
    """Blow the run up with a huge learning rate; the epoch counter's number afterwards."""
    window.set_learning_rate(1e4)
    window.step(200)
    qtbot.waitUntil(window.banner.isVisible, timeout=30_000)
    return int(window.controls.epoch.text().split()[-1].replace(",", ""))


def test_the_divergence_banner_and_the_epoch_counter_say_the_same_epoch(bare_window, qtbot):
    shown = _diverge(bare_window, qtbot)
    assert shown == bare_window.last_snapshot.live_epoch
    assert f"diverged after epoch {shown:,}:" in bare_window.banner.text()


def test_the_divergence_banner_goes_once_a_lower_rate_trains_on(bare_window, qtbot):
    window = bare_window
    shown = _diverge(window, qtbot)
    window.set_learning_rate(0.5)
    window.step(1)
    qtbot.waitUntil(lambda: window.last_snapshot.live_epoch > shown, timeout=30_000)
    assert not window.banner.isVisible()
