"""The decision-boundary plot's points: shared brushes, cached, thinned when there are too many
to tell apart."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.snapshot import Grid
from nnviz.gui.boundary_plot import DecisionPlot


@pytest.fixture
def plot(qtbot):
    p = DecisionPlot()
    qtbot.addWidget(p)
    p.resize(800, 700)
    p.show()
    return p


def test_points_share_one_brush_and_one_pen_per_class(plot):
    data = make_dataset(DataSpec("multiclass", classes=3))
    plot.set_dataset(data)
    brushes = plot.train_points.data["brush"]
    pens = plot.test_points.data["pen"]
    assert len(brushes) == len(data.train_index) and len(pens) == len(data.test_index)
    assert len({id(b) for b in brushes}) == 3
    assert len({id(p) for p in pens}) == 3
    # and each point still has its class's colour
    from nnviz.gui.colors import class_color
    assert all(b.color().getRgb()[:3] == class_color(int(c))
               for b, c in zip(brushes, data.y_train))
    assert not plot.sample_note.isVisible()


def test_points_coloured_by_value_share_brushes_too(plot):
    plot.set_dataset(make_dataset(DataSpec("plane", samples=2000)))
    assert len({id(b) for b in plot.train_points.data["brush"]}) <= 64


def test_a_new_heat_image_does_not_repaint_the_points(plot, qtbot, monkeypatch):
    data = make_dataset(DataSpec("moons"))
    plot.set_dataset(data)
    paints = []
    original = pg.ScatterPlotItem.paint
    monkeypatch.setattr(pg.ScatterPlotItem, "paint",
                        lambda self, *a: (paints.append(self), original(self, *a)))
    xs = np.linspace(-1.5, 2.5, 20, dtype=np.float32)
    ys = np.linspace(-1, 1.5, 20, dtype=np.float32)
    plot.update_grid(Grid(xs, ys, np.zeros((20, 20), np.float32)))
    plot.grab()
    assert plot.train_points in paints  # drawn once, into its cache
    paints.clear()
    for k in range(3):
        plot.update_grid(Grid(xs, ys, np.full((20, 20), 0.3 * k, np.float32)))
        plot.grab()
    assert plot.train_points not in paints


def test_a_huge_data_set_is_drawn_at_the_plots_resolution_and_says_so(plot):
    data = make_dataset(DataSpec("moons", samples=100_000, test_fraction=0.2))
    plot.set_dataset(data)
    drawn = len(plot.train_points.data)
    assert drawn < len(data.train_index)
    # Every class is drawn, each over as wide an area as before.
    x = plot.train_points.data["x"]
    colours = {b.color().getRgb()[:3] for b in plot.train_points.data["brush"]}
    assert len(colours) == 2
    xtr = data.X_train[:, 0]
    assert x.min() == pytest.approx(xtr.min()) and x.max() == pytest.approx(xtr.max())
    assert plot.sample_note.isVisible()
    assert "of 100,000 points drawn" in plot.sample_note.text()
    # In a narrow plot (the Backprop tab's) the note wraps, all of it inside the plot.
    for width in (800, 330):
        plot.resize(width, 500)
        note = plot.sample_note
        assert 0 <= note.x() and note.geometry().right() < plot.width()
        wrap = Qt.TextFlag.TextWordWrap.value if note.wordWrap() else 0
        shown = note.fontMetrics().boundingRect(note.contentsRect(),
                                                note.alignment().value | wrap, note.text())
        assert shown.width() <= note.contentsRect().width()
        assert shown.height() <= note.contentsRect().height()
    assert note.wordWrap()  # two lines at 330 px
    # A small data set again: all of it, and no note.
    plot.set_dataset(make_dataset(DataSpec("moons")))
    assert len(plot.train_points.data) == 160 and not plot.sample_note.isVisible()


def test_a_regression_csv_names_its_target_on_the_axis(plot):
    # daylight.csv's header: month,daylight. The y axis said "y" (reviewer); a 2-feature
    # regression's colour bar said "value".
    from nnviz.core.csvdata import parse_csv_text
    rows = "".join(f"{m},{10 + 4 * np.sin(m / 2):.3f}\n" for m in range(1, 13))
    plot.set_dataset(parse_csv_text("month,daylight\n" + rows, name="daylight").dataset)
    assert plot.getPlotItem().getAxis("left").labelText == "daylight"
    assert plot.getPlotItem().getAxis("bottom").labelText.startswith("month")
    rows = "".join(f"{a},{b},{a * b + 0.01 * a}\n" for a in range(4) for b in range(4))
    plot.set_dataset(parse_csv_text("width,height,area\n" + rows, name="area").dataset)
    assert plot.colorbar.axis.labelText == "area"
    # no header: the data does not name its target
    plot.set_dataset(parse_csv_text(rows, name="area").dataset)
    assert plot.colorbar.axis.labelText == "value"
    plot.set_dataset(make_dataset(DataSpec("sine")))
    assert plot.getPlotItem().getAxis("left").labelText == "y"
