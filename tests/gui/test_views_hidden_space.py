"""Hidden space: the data through a chosen hidden layer, live."""
from __future__ import annotations

import jax
import numpy as np
import pytest
from PySide6.QtGui import QColor

from nnviz.core import inspect
from nnviz.core.network import forward_layers
from nnviz.core.snapshot import make_grid_points
from nnviz.core.training import padded_size
from nnviz.gui import colors
from nnviz.gui.hidden_space import VALUE_LEVELS, HiddenSpaceView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
# The reference activations, jitted: one compile, where op by op a call compiled ~14 small programs.
forward_layers = jax.jit(forward_layers, static_argnums=0)


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


@pytest.mark.parametrize("fraction", [0.2, 0.0])
def test_hollow_test_points_are_named_only_when_there_are_some(view, fraction):
    # At a test fraction of 0 the key and the caption named hollow test points that were
    # nowhere in the plot.
    t = make_trainer(test_fraction=fraction)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    words = view.key.text() + view.caption.text()
    assert ("hollow" in words) == (fraction > 0), words
    assert "class 0" in view.key.text()


def test_many_points_are_drawn_as_a_sample_and_the_caption_says_so(view):
    t = make_trainer(samples=20_000)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    x_train, _ = view.train_points.getData()
    x_test, _ = view.test_points.getData()
    assert len(x_train) + len(x_test) == inspect.HIDDEN_SPACE_POINTS
    assert "5,000 of the 20,000 points" in view.caption.text()


def _distinct(objects) -> int:
    return len({id(o) for o in objects})


def test_at_100k_points_at_most_a_sample_is_drawn_with_one_brush_per_class(view):
    t = make_trainer(samples=100_000)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    train, test = view.train_points.data, view.test_points.data
    assert len(train) + len(test) == inspect.HIDDEN_SPACE_POINTS < 100_000
    assert "Drawn: a fixed random sample of 5,000 of the 100,000 points" in view.caption.text()
    # Two classes: two fills, two outlines, two shapes, shared by every point of a class.
    assert _distinct(train["brush"]) == 2 and _distinct(test["pen"]) == 2
    assert set(train["symbol"]) == {colors.class_symbol(0), colors.class_symbol(1)}
    labels = view.probe.sample(t.data)[1][~view.probe.sample(t.data)[2]]
    fills = {int(c): {b.color().getRgb()[:3] for b in train["brush"][labels == c]} for c in (0, 1)}
    assert fills == {0: {colors.class_color(0)}, 1: {colors.class_color(1)}}
    # The next frame moves the same points: their looks stay, their places follow the model.
    brushes = list(train["brush"])
    x0 = view.train_points.getData()[0].copy()
    t.run(5)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert [id(b) for b in view.train_points.data["brush"]] == [id(b) for b in brushes]
    assert np.abs(view.train_points.getData()[0] - x0).max() > 0


@pytest.mark.parametrize("palette", list(colors.PALETTES))
def test_hollow_test_points_stand_off_the_dark_background(view, palette):
    """A test point is an outline only: on the dark theme it must stand off the near-black
    (the playground's blue and cividis' navy were faint rings on it), in its class's hue."""
    colors.set_look("dark", palette)
    try:
        t = make_trainer()
        view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
        test = view.test_points.data
        assert len(test) > 0 and _distinct(test["pen"]) == 2  # still one pen per class
        assert view.test_points.opts["brush"].color().alpha() == 0  # hollow
        _, all_labels, is_test = view.probe.sample(t.data)[:3]
        labels = all_labels[is_test]
        for c in (0, 1):
            rgb = test["pen"][labels == c][0].color().getRgb()[:3]
            assert colors.contrast(rgb, colors.background()) >= 4.5
            # still its class's hue, lifted towards the text's light grey
            hue = QColor(*rgb).hsvHue(), QColor(*colors.class_color(c)).hsvHue()
            assert min(abs(hue[0] - hue[1]), 360 - abs(hue[0] - hue[1])) < 15
        # and a training point's fill stands off it (cividis' navy disc looked hollow there)
        train = view.train_points.data
        for c in (0, 1):
            fill = train["brush"][all_labels[~is_test] == c][0].color().getRgb()[:3]
            assert colors.contrast(fill, colors.background()) >= 3.0, (c, fill)
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


@pytest.mark.parametrize("palette", list(colors.PALETTES))
def test_hollow_test_points_have_the_main_plots_dark_rim_on_white(view, palette):
    """r10 #5: a test point was its class's ring alone, 2.3:1 on white for the orange, 1.6-1.9
    for Tol's and cividis' yellows. Around each ring now a rim as in Data & model (colors.
    point_rim), in the point's shape, one pen for all, following the point frame by frame."""
    colors.set_look("light", palette)
    try:
        t = make_trainer()
        view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
        rims, rings = view.test_rims, view.test_points
        assert len(rings.data) > 0 and rims.isVisible()
        assert rims.zValue() <= rings.zValue()
        np.testing.assert_array_equal(rims.getData()[0], rings.getData()[0])
        assert list(rims.data["symbol"]) == list(rings.data["symbol"])  # the class's shape
        assert all(p is None for p in rims.data["pen"])  # the item's one pen, for every point
        pen = rims.opts["pen"]
        assert colors.contrast(pen.color().getRgb()[:3], colors.background()) >= 3.0
        assert rims.opts["size"] >= rings.opts["size"] + 3  # just outside the 2-px ring
        t.run(50)
        view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
        np.testing.assert_array_equal(rims.getData()[0], rings.getData()[0])
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_points_coloured_by_value_share_a_few_brushes(view):
    t = make_trainer("sine", loss="mse", samples=20_000)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    brushes = view.train_points.data["brush"]
    assert len(brushes) > 1000 and 2 < _distinct(brushes) <= VALUE_LEVELS
    # Low values drawn in the scale's low colour, high values in its high colour.
    labels = view.probe.sample(t.data)[1][~view.probe.sample(t.data)[2]]
    lo, hi = brushes[np.argmin(labels)].color(), brushes[np.argmax(labels)].color()
    cmap = colors.point_map()
    assert lo.getRgb()[:3] == cmap.map(0.5 / VALUE_LEVELS, mode="qcolor").getRgb()[:3]
    assert hi.getRgb()[:3] == cmap.map(1 - 0.5 / VALUE_LEVELS, mode="qcolor").getRgb()[:3]


def test_the_same_numbers_again_are_not_drawn_again(view, monkeypatch):
    t = make_trainer()
    s = snapshot_of(t, {"hidden-space": view.probe})
    view.update_snapshot(s)
    drawn = []
    monkeypatch.setattr(view, "_draw", lambda hs: drawn.append(hs))
    view.update_snapshot(s)  # a throttled probe hands out its last result again
    assert drawn == []
    view.apply_look()  # a new look: drawn again, in the new colours
    assert drawn == [s.extras["hidden-space"]]


def test_the_probe_puts_its_points_on_the_device_once_per_data_and_grid(monkeypatch):
    t = make_trainer(samples=20_000)
    probe = inspect.HiddenSpaceProbe()
    made = []
    real = inspect.device_array
    monkeypatch.setattr(inspect, "device_array", lambda a, *k: made.append(len(a)) or real(a, *k))
    grid = make_grid_points(t.data.bounds(0.1), 20)[2]
    first = probe(t, grid)
    t.run(3)
    second = probe(t, grid)
    # the sample and the mesh, padded to a few sizes (an edited point compiles nothing)
    assert made == [padded_size(inspect.HIDDEN_SPACE_POINTS + 34 * 60)]
    assert np.abs(second.points - first.points).max() > 0  # the model moved, the inputs did not
    probe(t, make_grid_points(t.data.bounds(0.2), 20)[2])  # another grid: another mesh
    assert len(made) == 2


def test_the_mesh_path_is_built_in_one_pass_and_draws_the_same_lines(view):
    """The grid lines reach pyqtgraph with their connections (each point to the next but across
    the gap after a line), so its path is built in one vectorised pass rather than one polygon
    per line ("finite"); the picture is the one "finite" drew, pixel for pixel."""
    from PySide6.QtGui import QImage
    t = make_trainer()
    t.run(300)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    view.train_points.hide()  # the mesh alone (the points lie over it either way)
    view.test_points.hide()
    view.test_rims.hide()
    port = view.plot.viewport()

    def pixels():
        img = port.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
        return a[:, :4 * img.width()].reshape(img.height(), img.width(), 4)[..., :3].copy()
    connect = view.mesh.opts["connect"]
    x, y = view.mesh.getData()
    assert isinstance(connect, np.ndarray) and connect.sum() == len(x) - 34  # 34 gaps
    drawn = pixels()
    view.mesh.setData(x, y, connect="finite")  # the polygons one line at a time, as before
    before = pixels()
    background = np.array(colors.background())
    assert (np.abs(before.astype(int) - background).sum(-1) > 0).sum() > 2000  # lines drawn
    assert np.array_equal(drawn, before)


def test_the_mesh_is_drawn_as_opaque_segments_in_the_faded_grey(view):
    """The ~2,000 points of the grid lines are drawn as line segments in one opaque colour:
    the axis grey at 150/255 over the background, what a translucent pen looked like."""
    from PySide6.QtGui import QImage
    t = make_trainer()
    t.run(300)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert view.mesh.opts["segmentedLineMode"] == "on"
    pen = view.mesh.opts["pen"]
    assert pen.color().alpha() == 255
    faded = np.array(colors.background()) + 150 / 255 * (np.array(colors.axis())
                                                           - np.array(colors.background()))
    assert np.abs(np.array(pen.color().getRgb()[:3]) - faded).max() <= 1
    view.train_points.hide()
    view.test_points.hide()
    view.test_rims.hide()
    img = view.plot.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    rgb = a[:, :4 * img.width()].reshape(img.height(), img.width(), 4)[..., 2::-1]
    assert (np.abs(rgb.astype(int) - np.round(faded)).max(-1) <= 1).sum() > 2000  # the lines


def test_the_layer_and_mode_lists_read_whole_on_a_projector(view, qtbot):
    """Presentation mode at 1024x768 (the view ~640 px wide, its font 1.6 times): the layer list
    showed "hidden 3" of "hidden 3: 4 sigmoid", and beside the two lists the variance line
    was squeezed to a column of a word a line; both lists now read whole, the line on two."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    from nnviz.gui.presentation import SCALE
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * SCALE)
    view.setFont(font)
    view.resize(640, 600)
    view.update_snapshot(snapshot_of(make_trainer(), {"hidden-space": view.probe}))

    def whole() -> None:
        for box in (view.layer_box, view.mode_box):
            opt = QStyleOptionComboBox()
            box.initStyleOption(opt)
            room = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                              QStyle.SubControl.SC_ComboBoxEditField, box)
            text = box.currentText()
            assert text and box.fontMetrics().horizontalAdvance(text) <= room.width(), text
        assert view.variance.text()
        assert view.variance.height() <= 2 * view.variance.fontMetrics().lineSpacing() + 6
    qtbot.waitUntil(whole, timeout=10_000)


def test_the_plane_is_drawn_to_scale_with_every_point_in_view(view, qtbot):
    # A unit of PC 1 as long on screen as a unit of PC 2: unlocked, PC 2's ±0.06 was stretched
    # to as much height as PC 1's ±0.6, and a cloud along one line looked two-dimensional.
    t = make_trainer()
    t.run(300)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    vb = view.plot.getPlotItem().getViewBox()

    def to_scale():
        px, py = vb.viewPixelSize()  # data units per pixel, across and up
        return abs(px - py) <= 1e-3 * max(px, py)

    qtbot.waitUntil(to_scale)
    (x0, x1), (y0, y1) = vb.viewRange()
    x, y = view.train_points.getData()
    assert x0 <= x.min() and x.max() <= x1 and y0 <= y.min() and y.max() <= y1
    item = view.plot.getPlotItem()
    assert item.getAxis("bottom").labelText == "PC 1"
    assert item.getAxis("left").labelText == "PC 2"
    assert "PC 1 holds" in view.variance.text() and "of the variance, PC 2" in view.variance.text()
    view.set_layer(1, (3, 7))  # two units: the same activations' scale both ways
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    qtbot.waitUntil(to_scale)


@pytest.mark.parametrize("width, words", [(1, "(1 sigmoid unit)"), (3, "(3 sigmoid units)")])
def test_the_caption_counts_one_unit_in_the_singular(view, width, words):
    # A 1-unit layer read "Hidden layer 1 (1 sigmoid units)".
    t = make_trainer(hidden=(width,))
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert f"Hidden layer 1 {words}." in view.caption.text()


def test_the_caption_says_where_the_output_layer_draws_its_line(view):
    """Under two units (or two directions) of a 4-unit layer the caption said "When the classes
    can be split by a straight line here, the output layer can separate them" over classes that
    overlapped there in a network that got 100% right (review r22). Here means here only where
    the picture is the whole space the output layer reads: its last hidden layer at 2 units."""
    t = make_trainer()  # 2-4-10-4-1
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))  # picks the last layer
    assert view.probe.layer == 2
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    text = view.caption.text()  # hidden 3, 4 units: a picture of two directions of them
    assert "straight line here" not in text
    assert "a flat cut through all 4 units" in text and "two directions" in text
    view.set_layer(0)
    view.update_snapshot(snapshot_of(t, {"hidden-space": view.probe}))
    assert "last hidden layer's units (hidden 3)" in view.caption.text()
    t2 = make_trainer(hidden=(4, 2))
    view.update_snapshot(snapshot_of(t2, {"hidden-space": view.probe}))
    view.set_layer(1)  # its last hidden layer, 2 units: the whole space the output reads
    view.update_snapshot(snapshot_of(t2, {"hidden-space": view.probe}))
    assert "When the classes can be split by a straight line here" in view.caption.text()
