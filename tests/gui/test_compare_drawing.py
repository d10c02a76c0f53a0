"""The Compare view's drawing from plain arrays: the tile mosaic, the loss curves, the score table
and the sweep panel's values (no sweep trained here)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from nnviz.core.data import DataSpec, make_dataset
from nnviz.gui import colors
from nnviz.gui.compare_plots import (SCORE_COLUMNS, LossCurves, ScorePlot, ScoreTable,
                                     member_colors, member_dashes)
from nnviz.gui.compare_tiles import (TileMosaic, member_rgb, mosaic_rgb, tile_at, tile_layout,
                                     tile_origin)
from nnviz.gui.sweep_panel import AxisError, SweepPanel, parse_values


def test_each_tile_shows_its_own_member_with_the_planes_top_row_up():
    tiles = np.zeros((3, 4, 5, 3), np.uint8)
    for i in range(3):
        tiles[i] = 10 * (i + 1)
        tiles[i, -1] = 200 + i  # the grid's last row: the largest y
    img = mosaic_rgb(tiles, cols=2, px_gap=1, px_label=2)
    assert img.shape == (2 * (4 + 1 + 2) + 2, 2 * 5 + 1, 3)
    # Tile 1 is the second column of the first row, under its label band; its top row is y max.
    assert (img[2, 6:11] == 201).all()
    assert (img[3:6, 6:11] == 20).all()
    # Tile 2 starts the second row; the gap and the label band between: the background.
    assert (img[9, 0:5] == 202).all()
    bg = colors.background()
    assert (img[6:9, 0:5] == bg).all()
    # No tile for a fourth member: the background.
    assert (img[9:13, 6:11] == bg).all()


def test_a_diverged_tile_is_washed_out_to_grey():
    tiles = np.zeros((2, 3, 3, 3), np.uint8)
    tiles[:] = colors.BLUE
    img = mosaic_rgb(tiles, cols=2, px_gap=1, diverged=np.array([False, True]))
    first, second = img[0, 0].astype(int), img[0, 4].astype(int)
    assert tuple(first) == colors.BLUE
    assert np.ptp(second) < np.ptp(first) / 2  # far less saturated
    assert second.mean() > first.mean()


def test_probabilities_are_coloured_orange_to_blue():
    v = np.array([[[0.0, 1.0]]], np.float32)  # one member, one row, P = 0 and 1
    rgb = member_rgb(v, "binary")
    assert rgb.shape == (1, 1, 2, 3)
    assert rgb[0, 0, 0, 0] > rgb[0, 0, 0, 2]  # orange: more red than blue
    assert rgb[0, 0, 1, 2] > rgb[0, 0, 1, 0]  # blue


def test_tiles_are_found_where_they_are_drawn():
    n, cols = 7, 3
    for i in range(n):
        x, y = tile_origin(i, cols)
        assert tile_at(x + 0.5, y + 0.5, n, cols) == i
        assert tile_at(x + 0.5, y - 0.1, n, cols) == i  # its label
    x, y = tile_origin(8, cols)  # past the last member
    assert tile_at(x + 0.5, y + 0.5, n, cols) is None
    assert tile_layout(12, (3, 4)) == (3, 4)  # two axes: their grid
    rows, cols = tile_layout(16, None, aspect=2.0)
    assert cols > rows and rows * cols >= 16


@pytest.fixture
def moons():
    return make_dataset(DataSpec("moons", samples=60))


def test_the_mosaic_draws_every_member_in_one_image(qtbot, moons):
    m = TileMosaic()
    qtbot.addWidget(m)
    m.resize(600, 400)
    m.show()
    labels = ("lr 0.1", "lr 1", "lr 10", "lr 100")
    m.set_members(labels, moons, moons.bounds(0.1))
    values = np.stack([np.full((8, 8), p, np.float32) for p in (0.0, 0.3, 0.7, 1.0)])
    m.update_tiles(values, np.zeros(8), np.array([False, False, False, True]),
                   [*labels[:3], "lr 100 \u2014 diverged"])
    img = m.image.image
    assert img is not None and img.ndim == 3
    # Four tiles: four distinct colours in the picture, besides white.
    colours = {tuple(int(x) for x in c) for c in img.reshape(-1, 3)} - {colors.background()}
    assert len(colours) == 4
    assert [t.textItem.toPlainText() for t in m.labels][3] == "lr 100 \u2014 diverged"
    # The training points on every tile: one item.
    assert len(m.points.data) == 4 * len(moons.train_index)


@pytest.mark.parametrize("palette", ["playground", "tol"])
def test_a_tiles_classes_differ_in_shape_and_have_a_dark_rim(qtbot, palette):
    """r10 #8: every point was a plain disc in its class's colour, on a region of its own
    colour (1.3-1.5:1), the classes told apart by colour alone. Now as in the main plot: each
    class its shape, every point a rim that stands off its class's colour; one brush a class."""
    colors.set_look(palette_name=palette)
    try:
        data = make_dataset(DataSpec("multiclass", classes=8, samples=160))
        m = TileMosaic()
        qtbot.addWidget(m)
        m.set_members(("a", "b"), data, data.bounds(0.1))
        pts, y = m.points.data, np.tile(np.asarray(data.y_train, int), 2)
        assert len(pts) == len(y)
        for c in range(8):
            assert {str(s) for s in pts["symbol"][y == c]} == {colors.class_symbol(c)}
            assert len({id(b) for b in pts["brush"][y == c]}) == 1  # shared, as at 100k points
        assert len({str(s) for s in pts["symbol"]}) == 8
        rim = m.points.opts["pen"]
        assert all(p is None for p in pts["pen"]) and rim.style() != Qt.PenStyle.NoPen
        for c in range(8):  # on the region its class wins, as the tile draws it
            region = colors.mix(colors.class_color(c), colors.background(), 0.35)
            assert colors.contrast(rim.color().getRgb()[:3], region) >= 3.0
        assert m.points.opts["size"] >= 5  # room for a shape (a 3-px dot had none)
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_one_dimensional_members_are_curves_of_one_item(qtbot):
    data = make_dataset(DataSpec("sine", samples=40))
    m = TileMosaic()
    qtbot.addWidget(m)
    m.set_members(("a", "b", "c"), data, data.bounds(0.1))
    xs = np.linspace(*data.bounds(0.1)[0], 50).astype(np.float32)
    m.update_tiles(np.stack([np.sin(xs), np.cos(xs), np.zeros_like(xs)]), xs,
                   np.array([False, True, False]))
    y = m.curves.yData
    assert y is not None
    # Three segments (NaN between), the diverged member's left out.
    assert np.isfinite(y).sum() == 2 * 50


def test_clicking_a_tile_selects_its_member(qtbot, moons):
    m = TileMosaic()
    qtbot.addWidget(m)
    m.resize(500, 300)
    m.show()
    m.set_members(("a", "b", "c"), moons, moons.bounds(0.1))
    m.update_tiles(np.zeros((3, 6, 6), np.float32), np.zeros(6), np.zeros(3, bool))
    qtbot.waitExposed(m)
    x, y = tile_origin(2, m.cols)
    pos = m.mapFromScene(m.vb.mapViewToScene(pg_point(x + 0.5, y + 0.5)))
    with qtbot.waitSignal(m.clicked) as got:
        qtbot.mouseClick(m.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert got.args == [2]


def pg_point(x, y):
    from PySide6.QtCore import QPointF
    return QPointF(x, y)


def test_loss_curves_highlight_the_selected_member_and_dash_a_diverged_one(qtbot):
    c = LossCurves()
    qtbot.addWidget(c)
    members = ({"lr": 0.1}, {"lr": 1.0}, {"lr": 10.0})
    rgb = member_colors(members, (("lr", (0.1, 1.0, 10.0)),))
    assert len(set(rgb)) == 3  # coloured along the axis
    c.set_members(rgb)
    e = np.arange(1, 11)
    c.update_curves(tuple((e, np.linspace(1, 0.1 * (k + 1), 10)) for k in range(3)),
                    np.array([False, False, True]))
    assert all(len(item.xData) == 10 for item in c.curves)
    c.select(1)
    assert c.curves[1].opts["pen"].widthF() > c.curves[0].opts["pen"].widthF()
    assert c.curves[2].opts["pen"].style() == Qt.PenStyle.DashLine


def _activation_curves(qtbot):
    from nnviz.gui.compare_view import colour_key
    acts = ("sigmoid", "softmax", "tanh", "cos", "relu")
    axes, members = (("activation", acts),), tuple({"activation": a} for a in acts)
    c = LossCurves()
    qtbot.addWidget(c)
    c.set_members(member_colors(members, axes), colour_key(axes), member_dashes(members, axes))
    e = np.arange(1, 11)
    c.update_curves(tuple((e, np.linspace(1, 0.1 * (k + 1), 10)) for k in range(5)),
                    np.zeros(5, bool))
    return c, [item.opts["pen"] for item in c.curves]


def test_the_activations_curves_differ_in_dashes_and_follow_the_palette(qtbot):
    """r10 #3: the curves were tab10's, whatever the palette; for a deuteranope sigmoid and relu
    were one blue, tanh, cos and softmax one olive, and nothing else told them apart; at 150 %
    their width of 1 drew one aliased device pixel. Now each activation its own dash pattern,
    named in the key, in the palette's colours, 2 px wide and antialiased."""
    c, pens = _activation_curves(qtbot)
    dashes = [tuple(p.dashPattern()) if p.style() != Qt.PenStyle.SolidLine else ()
              for p in pens]
    assert len(set(dashes)) == 5 and dashes[0] == ()  # five lines, the first solid
    assert all(p.widthF() >= 2 and p.isCosmetic() for p in pens)
    assert all(item.opts["antialias"] for item in c.curves)
    key = c.getPlotItem().titleLabel.text
    from nnviz.gui.compare_plots import category_line
    for k in range(5):  # each name after its line
        assert f"{category_line(k)[1]}{('sigmoid', 'softmax', 'tanh', 'cos', 'relu')[k]}" \
            in key
    playground = [p.color().getRgb()[:3] for p in pens]
    colors.set_look(palette_name="tol")
    try:
        _, pens = _activation_curves(qtbot)
        tol = [p.color().getRgb()[:3] for p in pens]
        assert tol != playground and len(set(tol)) == 5
        assert set(tol) <= {colors.readable(c, colors.background(), 3.0)
                            for c in colors.PALETTES["tol"].classes}
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


@pytest.mark.parametrize("last", [1_002, 2_001, 2_600])
def test_the_loss_curves_epoch_axis_ends_at_most_a_quarter_past_the_curves(qtbot, last):
    """As the main loss plot's: a sweep stopped at 2,000 and stepped once ran its axis to 3,000
    (the curves ended at 2,001, a third of the plot blank)."""
    c = LossCurves()
    qtbot.addWidget(c)
    c.set_members(member_colors(({"lr": 0.1}, {"lr": 1.0}), (("lr", (0.1, 1.0)),)))
    e = np.arange(1, last + 1)
    c.update_curves(tuple((e, np.linspace(1, 0.1 * (k + 1), last)) for k in range(2)),
                    np.array([False, False]))
    lo, hi = c.getPlotItem().getViewBox().viewRange()[0]
    assert lo == 0 and last <= hi <= 1.25 * last, (last, hi)


def _scores(test_losses, diverged=()):
    return tuple({"train_loss": v * 0.9, "test_loss": v, "train_accuracy": 0.9,
                  "test_accuracy": 0.8, "epoch": 100, "diverged": i in diverged}
                 for i, v in enumerate(test_losses))


def test_the_score_table_sorts_and_marks_the_best(qtbot):
    t = ScoreTable()
    qtbot.addWidget(t)
    axes = (("learning_rate", (0.1, 1.0, 10.0)),)
    members = tuple({"learning_rate": v} for v in axes[0][1])
    t.set_members(axes, members, classification=True)
    t.scores.update_scores(_scores([0.3, 0.1, math.nan], diverged=(2,)), best=1)
    model = t.model()
    assert model.rowCount() == 3
    shown = [model.index(r, 1).data() for r in range(3)]
    assert shown == ["1", "0.1", "10"]  # by test loss, the diverged member last
    assert model.index(0, 0).data() == "\u2605"
    epoch_col = model.columnCount() - 1
    assert "\u2717" in model.index(2, epoch_col).data()
    # Sorted by the learning rate's column instead: the axis's order.
    t.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["0.1", "1", "10"]
    # A row is its member, whatever the order.
    assert t.member_at(model.index(2, 0)) == 2


def test_two_axes_make_a_heatmap(qtbot):
    p = ScorePlot()
    qtbot.addWidget(p)
    axes = (("learning_rate", (0.1, 1.0)), ("init_seed", (0, 1, 2)))
    members = tuple({"learning_rate": a, "init_seed": b} for a in axes[0][1] for b in axes[1][1])
    p.set_members(axes, members)
    p.update_scores(_scores([0.5, 0.4, 0.3, 0.2, 0.1, 0.05], diverged=(0,)), best=5)
    img = p.heat.image
    assert img.shape[:2] == (2, 3)
    assert tuple(img[0, 0]) == (200, 200, 200)  # the diverged cell: grey
    assert img[1, 2].astype(int).sum() > img[0, 1].astype(int).sum()  # the best: brightest
    # Every cell in its place: the picture spans the two axes' values.
    r = p.heat.mapRectToParent(p.heat.boundingRect())
    assert (r.width(), r.height()) == pytest.approx((3, 2))
    assert [t.textItem.toPlainText() for t in p.cell_texts][0] == "diverged"


def test_typed_values_are_read_or_refused_with_a_reason(qtbot):
    assert parse_values("init_seed", "0-3, 7") == (0, 1, 2, 3, 7)
    assert parse_values("learning_rate", "0.1, 1e-2") == (0.1, 0.01)
    assert parse_values("hidden", "4, 4-4") == ((4,), (4, 4))
    for name, text in (("learning_rate", "0"), ("learning_rate", "fast"), ("hidden", "0"),
                       ("activation", "sigmoidd"), ("init_seed", "1, 1"), ("l2", "")):
        with pytest.raises(AxisError):
            parse_values(name, text)
    panel = SweepPanel()
    qtbot.addWidget(panel)
    panel.axis_boxes[0].setCurrentIndex(panel.axis_boxes[0].findData("init_seed"))
    panel.value_edits[0].setText("0-99")
    with qtbot.assertNotEmitted(panel.custom_requested):
        panel.start.click()
    assert "at most" in panel.message.text()


@pytest.mark.parametrize("two_axes", [False, True])
def test_the_score_plots_key_names_the_star_only_when_one_is_drawn(qtbot, two_axes):
    # "\u2606 best" stood in the title before any member was scored and when every member had
    # diverged: a key to a star that was nowhere on the plot.
    p = ScorePlot()
    qtbot.addWidget(p)
    axes = (("learning_rate", (0.1, 1.0)),) + ((("init_seed", (0, 1)),) if two_axes else ())
    members = tuple({"learning_rate": a, "init_seed": b} for a in axes[0][1]
                    for b in (axes[1][1] if two_axes else (0,)))
    p.set_members(axes, members)

    def title() -> str:
        return p.getPlotItem().titleLabel.text

    def stars() -> int:  # the marker's, or (the heatmap) the one before the best cell's number
        return p.best_mark.data.size + sum("\u2605" in t.textItem.toPlainText()
                                           for t in p.cell_texts)

    star = "\u2605" if two_axes else "\u2606"
    assert "best" not in title()  # nothing scored yet
    n = len(members)
    p.update_scores(_scores([math.nan] * n, diverged=tuple(range(n))), best=None)
    assert stars() == 0 and "best" not in title() and "loss" in title()
    p.update_scores(_scores([0.4, 0.1, 0.3, 0.2][:n]), best=1)
    assert stars() == 1 and f"{star} best" in title()
    p.update_scores(_scores([math.nan] * n, diverged=tuple(range(n))), best=None)
    assert stars() == 0 and "best" not in title()  # gone with its star


@pytest.mark.parametrize("axis", ["init_seed", "seed"])
def test_a_seeds_scores_are_dots_not_a_line(qtbot, axis):
    """Seeds have no order: a line from seed to seed drew a trend across them (seed 6 a peak
    between 5 and 7). Each seed's two losses are dots, as a category's are."""
    p = ScorePlot()
    qtbot.addWidget(p)
    p.set_members(((axis, tuple(range(16))),), tuple({axis: s} for s in range(16)))
    p.update_scores(_scores(np.linspace(0.1, 0.2, 16)), best=0)
    for item in (p.train, p.test):
        assert pg.mkPen(item.opts["pen"]).style() == Qt.PenStyle.NoPen  # no line
        assert item.opts["symbol"] == "o" and len(item.xData) == 16


def _star_overhang(p: ScorePlot) -> float:
    """How many pixels of the score plot's star lie outside its plot (0: it is whole)."""
    vb = p.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    star = p.best_mark.points()[0]
    x = (star.pos().x() - x0) / (x1 - x0) * vb.width()  # pixels from the left
    y = (star.pos().y() - y0) / (y1 - y0) * vb.height()  # from the bottom
    half = star.size() / 2
    return max(0.0, half - x, x + half - vb.width(), half - y, y + half - vb.height())


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_the_best_star_stays_whole_inside_the_score_plot(qtbot, presentation):
    """The losses fall as a sweep trains and the y axis moves in steps: the best member's star,
    on the lowest loss of all (its test loss under every training loss), came to sit on the
    plot's bottom edge, half of it cut off; in presentation mode's larger size, on the last
    seed, it reached past the right edge."""
    from nnviz.gui.presentation import SCALE, scale_scene
    p = ScorePlot()
    qtbot.addWidget(p)
    p.set_members((("init_seed", tuple(range(16))),), tuple({"init_seed": s} for s in range(16)))
    p.resize(450, 220)
    p.show()
    vb = p.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: vb.height() > 100)
    rng = np.random.default_rng(0)
    speed, ratio = rng.uniform(0.5, 1.5, 16), rng.uniform(0.7, 1.3, 16)
    if presentation:
        scale_scene(p, SCALE)

    def show(train, test) -> None:
        p.update_scores(tuple({"train_loss": a, "test_loss": b} for a, b in zip(train, test)),
                        best=int(np.argmin(test)))
        if presentation:
            scale_scene(p, SCALE)  # as presentation mode does after each draw
    for epoch in range(100):
        train = 0.3 * speed * 0.98 ** (epoch * speed)
        show(train, train * ratio)
        assert _star_overhang(p) == 0, (epoch, _star_overhang(p))
    test = train * ratio
    test[-1] = test.min() / 2  # the best is the last seed
    show(train, test)
    assert _star_overhang(p) == 0, _star_overhang(p)


def test_the_best_star_stays_whole_when_presentation_mode_comes_on_while_paused(qtbot):
    """Paused, no new scores come: the star grown to presentation mode's size in the plot's
    new size must fit the ranges without them."""
    from nnviz.gui.presentation import SCALE, scale_scene
    p = ScorePlot()
    qtbot.addWidget(p)
    p.set_members((("init_seed", tuple(range(16))),), tuple({"init_seed": s} for s in range(16)))
    p.resize(700, 260)
    p.show()
    vb = p.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: vb.height() > 150)
    train = np.linspace(0.2, 0.1, 16)
    test = train * 1.1
    test[-1] = 0.05  # the last seed best, lowest of all: in the plot's bottom right corner
    p.update_scores(tuple({"train_loss": a, "test_loss": b} for a, b in zip(train, test)),
                    best=15)
    assert _star_overhang(p) == 0
    scale_scene(p, SCALE)  # presentation mode on: larger text and marks, a smaller plot
    p.resize(450, 200)
    qtbot.waitUntil(lambda: vb.height() < 150 and _star_overhang(p) == 0, timeout=5000)


ACTIVATIONS = ("sigmoid", "softmax", "tanh", "cos", "relu")


@pytest.mark.parametrize("width", [260, 700])
def test_a_narrow_score_plot_names_every_category(qtbot, width):
    """Five activations in a plot too narrow for their names on one line: "softmax" and "cos"
    went unnamed (every other name thinned away, as seeds are). Now every other name goes on a
    second line, none over another; where one line holds them, one line."""
    from .test_narrow_window import _drawn_numbers
    p = ScorePlot()
    qtbot.addWidget(p)
    axes = (("activation", ACTIVATIONS),)
    p.set_members(axes, tuple({"activation": a} for a in ACTIVATIONS))
    p.update_scores(_scores([0.1, 0.3, 1e-4, 2e-4, 1e-4]), best=2)
    p.resize(width, 220)
    p.show()
    ax = p.getPlotItem().getAxis("bottom")

    def named() -> None:
        drawn = [(r, t) for r, t in _drawn_numbers(ax) if t]
        assert [t for _, t in drawn] == list(ACTIVATIONS)
        for i, (a, ta) in enumerate(drawn):
            for b, tb in drawn[i + 1:]:
                assert not a.adjusted(-2, 0, 2, 0).intersects(b), (ta, tb)
        lines = {round(r.top()) for r, _ in drawn}
        assert len(lines) == (2 if width < 300 else 1)
    qtbot.waitUntil(named, timeout=5000)
    assert ax.toolTip() == ""  # nothing left to name on hovering


def test_a_loss_column_of_the_table_reads_in_one_notation(qtbot):
    """r29 L2: the lr sweep's train loss column read "1.27e-05", "8.5e-05", "0.000779",
    "0.0026": two notations and uneven digits, a class compared 0.000779 with 8.5e-05 by its
    digits. A column spanning orders of magnitude is all in scientific notation with the same
    digits; one within 0.001-1000 keeps its four decimals."""
    import re
    t = ScoreTable()
    qtbot.addWidget(t)
    lrs = (3.0, 1.0, 0.1, 0.3)
    axes = (("learning_rate", lrs),)
    t.set_members(axes, tuple({"learning_rate": v} for v in lrs), classification=True)
    scores = tuple({"train_loss": a, "test_loss": b, "train_accuracy": 1.0,
                    "test_accuracy": 1.0, "epoch": 2000, "diverged": False}
                   for a, b in ((1.27e-05, 0.00045), (8.5e-05, 0.000779), (0.0026, 0.0035),
                                (0.000877, 0.0061)))
    t.scores.update_scores(scores, best=0)
    model = t.scores
    for key in ("train_loss", "test_loss"):
        c = 1 + len(axes) + [k for k, _ in SCORE_COLUMNS].index(key)
        cells = [model.index(r, c).data() for r in range(4)]
        assert all(re.fullmatch(r"\d\.\d\de-0\d", v) for v in cells), (key, cells)
    assert [model.index(r, 2).data() for r in range(4)] == \
        ["1.27e-05", "8.50e-05", "2.60e-03", "8.77e-04"]
    t.scores.update_scores(tuple(dict(s, train_loss=v) for s, v in
                                 zip(scores, (0.0026, 0.0128, 0.0458, 0.4813))), best=0)
    assert [model.index(r, 2).data() for r in range(4)] == \
        ["0.0026", "0.0128", "0.0458", "0.4813"]
