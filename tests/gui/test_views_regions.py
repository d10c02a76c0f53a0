"""The Regions view: a ReLU network's linear regions, their count over the run, and a clear
word for smooth activations."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.regions import RegionsProbe
from nnviz.gui.regions_view import RegionsView

from .test_views_helpers import axis_texts, make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = RegionsView()
    qtbot.addWidget(v)
    v.resize(1000, 650)
    v.show()
    return v


def test_a_relu_network_shows_its_regions_and_the_bound(view, qtbot):
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    t.run(50)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=80)}))
    r = view.result
    assert r.reason is None and r.count > 1
    img = view.image.image
    assert img.shape == (80, 80, 3)
    assert (img == [35, 35, 35]).all(axis=-1).sum() == r.edges.sum()  # the lines are drawn
    assert f"<b>{r.count}</b> regions" in view.header.text()
    assert "Zaslavsky" in view.header.text() and view.bound_line.isVisible()
    assert view.bound_line.value() == 1 + 6 + 15
    x, y = view.count_curve.getData()
    assert y[-1] == r.count
    assert not view.reason.isVisible() and view.split.isVisible()
    view.grab()
    # the bound's words are inside the plot (above its line, at the top, they were cut off)
    box = view.history.getPlotItem().getViewBox().sceneBoundingRect()
    words = view.bound_line.label.sceneBoundingRect()
    assert box.contains(words), (box, words)
    # The plane is drawn 1:1 with named axes, as the main view draws it (a reviewer found it
    # squeezed sideways, with no axis titles).
    plane = view.plane.getPlotItem()
    drawn = view.image.mapRectToView(view.image.boundingRect())

    def one_to_one_without_blank_bands():
        (x0, x1), (y0, y1) = plane.getViewBox().viewRange()
        rect = plane.getViewBox().rect()
        return (abs((x1 - x0) / rect.width() / ((y1 - y0) / rect.height()) - 1) < 0.02
                and max(abs(x0 - drawn.left()), abs(x1 - drawn.right()), abs(y0 - drawn.top()),
                        abs(y1 - drawn.bottom())) < 0.03 * (x1 - x0))
    qtbot.waitUntil(one_to_one_without_blank_bands)  # the letterbox follows a resize
    assert plane.getAxis("bottom").labelText == "x1" and plane.getAxis("left").labelText == "x2"


def test_the_classes_differ_in_shape_and_have_a_key(view):
    # A reviewer: both classes were circles and the plot had no key; with the colour-blind
    # palette colour was the only difference, against the README's "classes differ in shape".
    from nnviz.gui import colors
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    y = np.asarray(view.result.data_y, int)
    shapes = [p.symbol() for p in view.points.points()]
    assert shapes == [colors.class_symbol(c) for c in y]
    assert len(set(shapes)) == 2
    assert view.key.isVisible()
    text = view.key.text()
    for c in (0, 1):
        assert colors.class_glyph(c) in text and f"class {c}" in text
    assert "test" not in text  # the plane shows the training points only


def _key_numbers(view) -> list:
    """The key's numbers as drawn: (their box in the scene, the text), left to right."""
    ax = view.bar.axis
    return sorted(((ax.mapRectToScene(r), t) for r, _, t in axis_texts(ax) if t),
                  key=lambda rt: rt[0].left())


def _key_reads(view) -> bool:
    """The plane's colour key seen whole under it: its bar below the plane's x axis and its
    title, within the plane's column (it takes none of its width), from 0 to the slope shaded
    lightest in the picture's colours, its numbers under it, apart and inside the plot, and
    under them a line saying what the shades mean."""
    from nnviz.gui.regions_view import _LUT, slope_top
    view.grab()
    bar, title = view.bar, view.bar_title
    plane = view.plane.getPlotItem()
    box = plane.getViewBox().sceneBoundingRect()
    x_axis = plane.getAxis("bottom")
    x_axis = x_axis.mapRectToScene(x_axis.rect())  # its numbers and "x1" (not its ticks up)
    whole = plane.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    key = bar.sceneBoundingRect()
    words = title.item.mapRectToScene(title.item.boundingRect())  # the text, not its cell
    numbers = _key_numbers(view)
    cmap = bar.colorMap()
    return (bar.isVisible() and title.isVisible()
            and key.top() >= x_axis.bottom() - 0.5 and x_axis.top() >= box.bottom() - 0.5
            and box.left() - 0.5 <= key.left() and key.right() <= box.right() + 0.5
            and bar.levels() == (0.0, pytest.approx(slope_top(view.result)))
            and tuple(cmap.map(0.0, mode="byte")[:3]) == tuple(_LUT[0])
            and tuple(cmap.map(1.0, mode="byte")[:3]) == tuple(_LUT[-1])
            and "lighter" in title.text and "steeper" in title.text
            and whole.contains(words) and words.width() <= box.width()
            and len(numbers) >= 2 and float(numbers[0][1]) == 0.0
            and all(whole.contains(r) and key.contains(r) and r.bottom() <= words.top() + 0.5
                    for r, _ in numbers)
            and all(b.left() - a.right() >= 4 for (a, _), (b, _) in zip(numbers, numbers[1:])))


def _key_takes_no_width(view) -> bool:
    """The plane's view box as wide as its plot but the plot's margins and its y axis: no
    column beside it for a key."""
    plane = view.plane.getPlotItem()
    left, _, right, _ = plane.layout.getContentsMargins()
    axes = sum(plane.getAxis(n).width() for n in ("left", "right")
               if plane.getAxis(n).isVisible())
    return abs(plane.getViewBox().width() - (plane.width() - left - right - axes)) < 1


def test_the_plane_has_a_key_that_says_lighter_is_steeper(view, qtbot):
    """The regions are shaded by their slope and only the tooltip said "lighter: steeper": the
    plane had no colour key. A bar under it, its numbers the slopes and its title what the
    shades mean. Under, not beside it: the plane is 1:1 in a narrow column, limited by its
    width, and a key beside it took a third of it at 1024x768."""
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    t.run(50)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    qtbot.waitUntil(lambda: _key_reads(view) and _key_takes_no_width(view))


def test_a_view_too_short_for_the_key_keeps_its_plane(view, qtbot):
    """Under the plane the key takes height: in a short view (text 200% in presentation mode
    at 1024x768) it took all of it, the plane 0 px tall. There it is left out, and shown again
    where the view has the height."""
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    box = view.plane.getPlotItem().getViewBox()
    view.resize(1000, 650)
    qtbot.waitUntil(lambda: _key_reads(view))
    tall = box.width()
    view.resize(1000, view.height() - view.plane.height() + 170)
    qtbot.waitUntil(lambda: view.plane.height() < 200 and not view.bar.isVisible()
                    and box.height() > 0.25 * view.plane.height())
    view.resize(1000, 650)
    qtbot.waitUntil(lambda: _key_reads(view) and _key_takes_no_width(view)
                    and box.width() > 0.95 * tall)


@pytest.mark.parametrize("width", [440, 540, 640, 750, 1000])
def test_the_bounds_words_are_whole_inside_the_count_plot(view, qtbot, width):
    # A reviewer: "Zaslavsky's bound: 37" was cut at the plot's right edge at 1400x900 (the
    # view ~750 px wide) and touched it at 1024x768: centred at 70% of a narrow plot's width,
    # its right half ran past the edge (at its right end its left ran past the other edge).
    t = make_trainer(hidden=(8,), act="relu", lr=0.5, samples=100)
    t.run(20)
    view.resize(width, 650)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))

    def whole_inside():
        view.grab()
        box = view.history.getPlotItem().getViewBox().sceneBoundingRect()
        words = view.bound_line.label.sceneBoundingRect()
        assert words.width() > 0 and box.adjusted(2, 0, -2, 0).contains(words), (box, words)
        text = view.bound_line.label.textItem.toPlainText()
        assert text.endswith("37") and (width < 1000 or text == "Zaslavsky's bound: 37"), text
    qtbot.waitUntil(whole_inside)


def test_the_count_plots_epochs_start_at_0(view):
    # One count at epoch 0: the axis ran from -500 to 500 "x0.001" (negative epochs). It
    # shows 0 to 10 until the run is longer, then the whole run.
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    probe = RegionsProbe(res=40)
    view.update_snapshot(snapshot_of(t, {"regions": probe}))
    view.grab()  # drawn as a user sees it
    (x0, x1), _ = view.history.getPlotItem().getViewBox().viewRange()
    assert -0.5 <= x0 <= 0 and 10 <= x1 <= 10.5, (x0, x1)
    t.run(50)
    view.update_snapshot(snapshot_of(t, {"regions": probe}))
    view.grab()
    x, _ = view.count_curve.getData()
    (x0, x1), _ = view.history.getPlotItem().getViewBox().viewRange()
    assert x0 <= min(x) and x1 >= max(x) >= 50 and x0 > -10, (x0, x1, x)


@pytest.mark.parametrize("counts", [[948] * 6, [3, 4, 4, 5, 5, 5]])
def test_the_count_plots_numbers_are_whole(view, counts):
    # A reviewer: a count that stayed 948 had its axis read 947.6, 947.8, 948.0, 948.2, 948.4
    # (pyqtgraph's steps over 947.5 to 948.5); one from 3 to 5 read 3.0, 3.5, 4.0 ... A count
    # is a whole number.
    import dataclasses
    t = make_trainer(hidden=(4, 4), act="relu", lr=0.5, samples=100)  # deep: no bound line
    s = snapshot_of(t, {"regions": RegionsProbe(res=40)})
    r = dataclasses.replace(s.extras["regions"], history_epochs=np.arange(0, 60, 10),
                            history_counts=np.array(counts))
    view.update_snapshot(dataclasses.replace(s, extras={"regions": r}))
    view.grab()  # drawn as a user sees it
    numbers = [text for _, _, text in axis_texts(view.history.getPlotItem().getAxis("left"))]
    assert all(text.isdigit() for text in numbers), numbers
    assert {str(c) for c in counts} <= set(numbers), numbers  # each count named


def test_smooth_activations_say_why_there_are_no_regions(view):
    t = make_trainer()  # the notebook's sigmoid network
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    assert view.reason.isVisible() and not view.split.isVisible()
    assert "sigmoid" in view.reason.text() and "relu" in view.reason.text()
    # then a ReLU network: the plane comes back
    t = make_trainer(hidden=(4, 4), act="relu", lr=0.5)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    assert not view.reason.isVisible() and view.split.isVisible()
    assert not view.bound_line.isVisible()  # two hidden layers: no bound drawn
    assert "Deeper layers" in view.header.text()


def test_the_tab_in_the_window_follows_a_relu_run(main_window, qtbot):
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem
    w = main_window
    w.show_view("regions")
    view = w._inspection_views["regions"]
    # The notebook's sigmoid network has no linear regions: said at once, with the button,
    # before any probe's numbers (r4: "they come with the next frame" over empty axes for
    # seconds, paused).
    assert view.result is None
    assert view.reason.isVisible() and "sigmoid" in view.reason.text()
    assert view.use_relu.isVisible() and not view.split.isVisible()
    assert "next frame" not in view.header.text()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    assert view.reason.isVisible() and "sigmoid" in view.reason.text()  # the notebook's net
    assert view.use_relu.text() == "Use relu in the hidden layers"  # all three
    # "Choose relu": the button beside the reason does it, as an edit of the network would.
    assert view.use_relu.isVisible()
    view.use_relu.click()
    # A new network: the reason goes at once; the regions are being computed, no empty axes.
    assert view.result is None and not view.reason.isVisible()
    assert "computing the regions" in view.header.text() and not view.split.isVisible()
    qtbot.waitUntil(lambda: view.result is not None and view.result.reason is None,
                    timeout=60_000)
    assert "computing" not in view.header.text()
    assert w.current_problem().spec.activations == ("relu",) * 3
    assert w.editor.draft().activations == ("relu",) * 3  # the editor shows it
    assert view.split.isVisible() and not view.use_relu.isVisible()
    w.session_actions.undo_stack.undo()  # one undo step back to the sigmoid network
    assert view.reason.isVisible() and view.use_relu.isVisible()  # at once again
    qtbot.waitUntil(lambda: view.result is not None and view.result.reason is not None,
                    timeout=60_000)
    assert w.current_problem().spec.activations == ("sigmoid",) * 3
    assert view.use_relu.isVisible()
    # One layer relu already: the button names the layer it changes (r19 #3).
    w.load_problem(make_problem(make_dataset(DataSpec("moons")),
                                Choices((4, 6), ("relu", "sigmoid"))))
    qtbot.waitUntil(lambda: view.use_relu.text() == "Use relu in hidden layer 2", timeout=60_000)
    assert "hidden layer 2 uses sigmoid" in view.reason.text()
    w.load_problem(make_problem(make_dataset(DataSpec("moons")),
                                Choices((6,), ("relu",), learning_rate=0.5)))
    qtbot.waitUntil(lambda: view.result is not None and view.result.reason is None,
                    timeout=60_000)
    w.step(20)
    qtbot.waitUntil(lambda: view.result.epoch == 20, timeout=60_000)
    assert view.split.isVisible() and "epoch 20:" in view.header.text()
    assert view.bound_line.value() == 22
    # Narrow beside the settings, each plot whole in its widget, the plane showing every
    # point: one-line titles held the plots wider than their widgets (at 1024x768 the plane was
    # cut at x1 = 1.6, the moons reach 2.1, and the count plot's right half was off the view).
    w.main_split.setSizes([10_000, 1])  # the settings as wide as they go: the view narrowest
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    X = w.dataset.X_train

    def fits() -> None:
        for plot in (view.plane, view.history):
            room = plot.viewport().rect().adjusted(-1, -1, 1, 1)
            drawn = plot.mapFromScene(plot.getPlotItem().sceneBoundingRect()).boundingRect()
            assert room.contains(drawn), (plot, drawn, room)
        (x0, x1), (y0, y1) = view.plane.getPlotItem().getViewBox().viewRange()
        assert x0 <= X[:, 0].min() and X[:, 0].max() <= x1
        assert y0 <= X[:, 1].min() and X[:, 1].max() <= y1
    qtbot.waitUntil(fits, timeout=10_000)


@pytest.mark.parametrize("first", ["dark", "light"])
def test_the_plots_take_the_themes_ground_and_follow_a_change(qtbot, first):
    # The Regions view was built on white: on the dark theme its plane and its count plot were
    # white panels beside the dark ones of the other views. It is built in the theme chosen and
    # follows a change, its points' fills and key with it (cividis' navy is lifted on dark).
    from nnviz.gui import colors
    other = "light" if first == "dark" else "dark"
    try:
        colors.set_look(first, "cividis")
        v = RegionsView()
        qtbot.addWidget(v)
        v.resize(900, 600)
        v.show()
        t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
        v.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
        y = np.asarray(v.result.data_y, int)

        def drawn_in(theme: str) -> None:
            bg = colors.THEMES[theme].background
            picture = v.grab().toImage()
            for plot in (v.plane, v.history):
                corner = plot.mapTo(v, plot.rect().topLeft())
                rgb = picture.pixelColor(corner.x() + 3, corner.y() + 3).getRgb()[:3]
                assert rgb == tuple(bg), (theme, plot, rgb, bg)
            fills = [tuple(int(c) for c in b.color().getRgb()[:3])
                     for b in (p.brush() for p in v.points.points())]
            assert fills == [colors.point_fill(colors.class_color(c)) for c in y], theme
            swatch = colors.hex_of(colors.point_fill(colors.class_color(0)))
            assert swatch in v.key.text().lower(), (theme, swatch, v.key.text())
        drawn_in(first)
        colors.set_look(other, "cividis")
        qtbot.waitUntil(lambda: drawn_in(other) is None)
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_the_count_plots_epochs_stand_apart_on_a_projector(main_window, qtbot):
    # Presentation mode at 1024x768: the count plot, ~190 px wide, printed its epochs
    # "0 100200 300" (found beside the Compare view's seeds). Its numbers are thinned where
    # they would touch, as lesson 4's and the Gradients view's axes are.
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem

    from .test_narrow_window import _drawn_numbers
    from .test_presentation import _at_size
    w = main_window
    w.load_problem(make_problem(make_dataset(DataSpec("moons")),
                                Choices((4, 10, 4), ("relu",) * 3, learning_rate=1.0)))
    w.step(300)
    w.set_presentation(True)
    _at_size(w, qtbot, (1024, 768))
    w.show_view("regions")
    view = w._inspection_views["regions"]
    qtbot.waitUntil(lambda: view.result is not None and view.result.epoch == 300,
                    timeout=60_000)
    ax = view.history.getPlotItem().getAxis("bottom")

    def apart() -> None:
        numbers = [(r, t) for r, t in _drawn_numbers(ax) if t]
        assert len(numbers) >= 2, numbers
        for (a, ta), (b, tb) in zip(numbers, numbers[1:]):
            assert b.left() - a.right() >= 4, (ta, tb, a, b)
    qtbot.waitUntil(apart, timeout=30_000)
    qtbot.waitUntil(lambda: _key_reads(view), timeout=30_000)  # the plane's key, as large


def test_one_relu_unit_is_counted_in_the_singular(view):
    # With a 1-unit layer the header read "one hidden layer of 1 units", "1 lines" and "the 1
    # ReLU units switches".
    t = make_trainer(hidden=(1,), act="relu", lr=0.5, samples=100)
    t.run(5)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    text = view.header.text()
    assert "one hidden layer of 1 unit the plane" in text and "Zaslavsky: 1 line in" in text
    assert "the 1 ReLU unit switches" in text
    assert "1 units" not in text and "1 lines" not in text


def test_after_a_divergence_the_caption_names_the_epoch_of_the_weights_put_back(view):
    """As the window's counter ("Epoch 10, restored; diverged after epoch 50"), not "at
    epoch 50" over epoch 10's weights (review r19)."""
    import dataclasses
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    t.run(50)
    s = dataclasses.replace(snapshot_of(t, {"regions": RegionsProbe(res=40)}), weights_epoch=10)
    assert s.restored
    view.update_snapshot(s)
    assert "at epoch 10 (restored):" in view.header.text()
    assert "epoch 50" not in view.header.text()


def test_thousands_of_regions_read_as_regions_not_a_black_rectangle(qtbot):
    # Review r24 F7: at 6,493 regions the dark lines between them covered every cell, the
    # picture a black rectangle with the data on it; and its right edge lay on the widget's,
    # against the count plot, as if cut off there.
    view = RegionsView()
    qtbot.addWidget(view)
    view.resize(750, 760)  # the tab's size in a 1400x900 window
    view.show()
    t = make_trainer(hidden=(64, 64, 64), act="relu", lr=0.5, samples=200)
    t.run(2)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=120)}))
    r = view.result
    assert r.edges.mean() > 0.3  # lines at every other cell: too dense to draw
    img = view.image.image.astype(float)
    luma = img @ [0.299, 0.587, 0.114]
    assert (luma < 80).mean() < 0.1, (luma < 80).mean()  # not mostly dark
    assert luma.mean() > 110
    assert len(np.unique(view.image.image.reshape(-1, 3), axis=0)) > 50  # the regions told apart
    assert "shade alone" in view.header.text()  # and the view says why there are no lines
    plane = view.plane.getPlotItem()
    vb = plane.getViewBox()

    def framed_inside_its_widget():
        box = vb.sceneBoundingRect()
        return (box.right() <= view.plane.width() - 8 and box.left() > 0
                and vb.border is not None and vb.border.style() != 0)
    qtbot.waitUntil(framed_inside_its_widget)


def test_a_few_regions_keep_their_lines(view):
    t = make_trainer(hidden=(6,), act="relu", lr=0.5, samples=100)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=80)}))
    assert view.result.edges.mean() < 0.15
    assert (view.image.image == [35, 35, 35]).all(axis=-1).sum() == view.result.edges.sum()
    assert "dark lines" in view.header.text() and "shade alone" not in view.header.text()


def test_a_network_without_a_hidden_layer_is_one_region_said_so(view):
    """The notebook's straight line, 1 -> 1: the header read "1 regions" and "it bends only
    on the dark lines, where one of the 0 ReLU units switches" (review r31)."""
    t = make_trainer("line", hidden=(), act="relu", loss="mse", lr=0.1, samples=50)
    t.run(5)
    view.update_snapshot(snapshot_of(t, {"regions": RegionsProbe(res=40)}))
    text = view.header.text()
    assert "<b>1</b> region on a" in text
    assert "nothing bends it" in text
    assert "regions on a" not in text and "0 ReLU units" not in text
