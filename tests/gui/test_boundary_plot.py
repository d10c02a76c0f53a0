"""The decision-boundary plot's points: shared brushes, cached, thinned when there are too many
to tell apart."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.snapshot import Grid
from nnviz.gui.boundary_plot import MIN_POINT_SIZE, POINT_SIZE, ROOM, DecisionPlot, fit_points


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
    # Every class is drawn, over the whole data (to within a few of its cells).
    x = plot.train_points.data["x"]
    colours = {b.color().getRgb()[:3] for b in plot.train_points.data["brush"]}
    assert len(colours) == 2
    xtr = data.X_train[:, 0]
    cell = ROOM * plot.train_points.opts["size"] / plot._pixels_per_unit()[0]
    assert x.min() - xtr.min() < 3 * cell and xtr.max() - x.max() < 3 * cell
    assert plot.sample_note.isVisible()
    assert "of 100,000 drawn" in plot.sample_note.text()
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
        # ... and not over the colour bar beside the data (its "1.0" was covered)
        plot.grab()  # laid out
        bar = plot.mapFromScene(plot.colorbar.sceneBoundingRect()).boundingRect()
        assert not note.geometry().intersects(bar), (width, note.geometry(), bar)
    # A small data set again: all of it, and no note.
    plot.set_dataset(make_dataset(DataSpec("moons")))
    assert len(plot.train_points.data) == 160 and not plot.sample_note.isVisible()


def _drawn(plot):
    """The points drawn (train, then test), their pixel positions and the marker size."""
    xs = np.concatenate([plot.train_points.data["x"], plot.test_points.data["x"]])
    ys = np.concatenate([plot.train_points.data["y"], plot.test_points.data["y"]])
    sx, sy = plot._pixels_per_unit()
    return xs * sx, ys * sy, plot.train_points.opts["size"]


def test_markers_shrink_and_thin_to_what_the_plots_pixels_show_apart(plot, qtbot):
    """r4 #2: 100,000 points were drawn as 28,000-58,000 full-size markers that hid the model
    under them. The markers shrink as the points grow many, and a data set too large for the
    smallest ones is drawn one point per cell of ROOM markers: never more than the plot's
    pixels hold apart, however many points. The notebook's 200 points stay as they were."""
    vb = plot.getPlotItem().getViewBox()
    sizes = []
    for n in (200, 1200, 100_000):
        data = make_dataset(DataSpec("moons", samples=n, noise=0.2, test_fraction=0.2))
        plot.set_dataset(data)
        u, v, size = _drawn(plot)
        sizes.append(size)
        if n == 200:  # all of them, full size, no note
            assert len(u) == 200 and size == POINT_SIZE and not plot.sample_note.isVisible()
            continue
        cells = set(zip(np.floor(u / (ROOM * size)).astype(int),
                        np.floor(v / (ROOM * size)).astype(int)))
        if n == 100_000:
            assert size == MIN_POINT_SIZE and plot.sample_note.isVisible()
            assert len(cells) == len(u)  # one point per cell
            assert 500 < len(u) <= vb.width() * vb.height() / (ROOM * size) ** 2
        else:
            assert len(u) == n  # all drawn, smaller: a typical point has room around it
            assert n / len(cells) < 2.5
    assert sizes[0] > sizes[1] > sizes[2]
    # A smaller plot holds fewer: the sample follows its size.
    before = len(_drawn(plot)[0])
    plot.resize(450, 380)
    qtbot.waitUntil(lambda: len(_drawn(plot)[0]) < 0.7 * before)
    u, v, size = _drawn(plot)
    assert len(set(zip(np.floor(u / (ROOM * size)).astype(int),
                       np.floor(v / (ROOM * size)).astype(int)))) == len(u)
    # The rule itself: sizes never grow with the number of points in the same pixels.
    rng = np.random.default_rng(0)
    got = [fit_points(rng.uniform(0, 400, n), rng.uniform(0, 400, n), 8, 4)
           for n in (100, 1000, 3000, 10_000, 100_000)]
    assert [s for s, _ in got] == sorted((s for s, _ in got), reverse=True)
    assert max(len(k) for _, k in got) <= (400 / (ROOM * 4) + 1) ** 2


def test_the_classes_are_drawn_interleaved_not_one_over_another(plot):
    """r4 #2: where classes overlapped, the colour seen was the class drawn last (the data's
    order). A data set sorted by class is drawn in a mixed order: every class is among the
    first and the last points drawn, and consecutive points change class often."""
    from dataclasses import replace
    data = make_dataset(DataSpec("multiclass", classes=3, samples=30_000, noise=2.0))
    tr = data.train_index[np.argsort(data.y[data.train_index], kind="stable")]
    data = replace(data, train_index=tr)  # class 0's points first, class 2's last
    assert (np.diff(data.y_train) != 0).sum() == 2
    plot.set_dataset(data)
    drawn = [id(b) for b in plot.train_points.data["brush"]]  # one brush per class
    assert len(set(drawn)) == 3
    tenth = len(drawn) // 10
    assert len(set(drawn[:tenth])) == 3 and len(set(drawn[-tenth:])) == 3
    changes = sum(a != b for a, b in zip(drawn, drawn[1:]))
    assert changes > 0.4 * len(drawn)


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


def _pixels(widget) -> np.ndarray:
    from PySide6.QtGui import QImage
    img = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    raw = np.array(img.constBits(), np.uint8).copy()  # a copy: the image is freed after
    return raw.reshape(h, bpl)[:, :3 * w].reshape(h, w, 3)


def test_a_thinned_picture_shows_the_training_points_on_top(plot):
    """At 100,000 points train and test are thinned alike, one of each class per cell: with the
    test points on top the picture looked mostly test (a fifth of the data). Training points
    are drawn over them: hiding the test points changes few of the pixels the points cover."""
    data = make_dataset(DataSpec("moons", samples=100_000, test_fraction=0.2))
    plot.set_dataset(data)
    items = (plot.train_points, plot.test_points, plot.test_rims)
    for item in items:
        item.hide()
    bare = _pixels(plot).astype(int)
    plot.train_points.show()
    train_only = _pixels(plot).astype(int)
    for item in items:
        item.show()
    both = _pixels(plot).astype(int)
    covered = np.abs(train_only - bare).sum(axis=2) > 30  # where training points are drawn
    changed = np.abs(both - train_only).sum(axis=2) > 30
    assert covered.sum() > 5_000
    assert (changed & covered).sum() / covered.sum() < 0.25
    # r4 #2: the markers covered the whole data region (every patch of it 100%), the model
    # under them unseen. Now the background shows between the points in every patch of 24x24
    # pixels: the points (their antialiased edges counted) cover under half of a typical one
    # and under two thirds of the most crowded.
    points = np.abs(both - bare).sum(axis=2) > 30
    t = 24
    h, w = (points.shape[0] // t) * t, (points.shape[1] // t) * t
    share = points[:h, :w].reshape(h // t, t, w // t, t).mean(axis=(1, 3))
    share = share[share > 0]
    assert np.median(share) < 0.5 and np.percentile(share, 95) < 2 / 3
    # Unthinned (a few hundred points), the rings stay on top where they can be seen.
    plot.set_dataset(make_dataset(DataSpec("moons")))
    assert plot.test_points.zValue() > plot.train_points.zValue()


def test_the_sample_note_is_in_plain_words_and_the_theme(plot):
    from nnviz.gui import colors
    data = make_dataset(DataSpec("moons", samples=100_000, test_fraction=0.2))
    colors.set_look("dark")
    try:
        plot.set_dataset(data)
        note = plot.sample_note
        assert note.text().startswith("A sample of the points: ")
        assert "cell" not in note.text()  # the thinning's cell size is in the tooltip
        img = note.grab().toImage()
        corner = img.pixelColor(1, 1)
        assert corner.lightness() < 80  # a dark box on the dark plot, not a light one
        lightest = max(img.pixelColor(x, y).lightness() for x in range(img.width())
                       for y in range(img.height()))
        assert lightest > 180  # in light letters
        big = plot.font()
        big.setPointSizeF(20)
        plot.setFont(big)  # presentation mode: the plot's font reaches the note
        assert note.font().pointSizeF() == 20
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    assert plot.sample_note.grab().toImage().pixelColor(1, 1).lightness() > 200


@pytest.mark.parametrize("palette", ["playground", "tol", "cividis"])
def test_filled_points_stand_off_their_region_on_the_dark_theme(qtbot, palette):
    """Dark theme, cividis, five classes: class 0's training points were navy discs on a navy
    region (and on the near-black plot, 1.0:1), read as hollow test points; class 3's alike. A
    filled point's fill stands off the background and its own class's region (the palettes
    whose colours already did are unchanged), and the key's swatch shows too."""
    from nnviz.gui import colors
    colors.set_look("dark", palette)
    try:
        p = DecisionPlot()
        qtbot.addWidget(p)
        p.resize(800, 700)
        data = make_dataset(DataSpec("multiclass", classes=5))
        p.set_dataset(data)
        bg = colors.background()
        fills = {int(c): b.color().getRgb()[:3]
                 for b, c in zip(p.train_points.data["brush"], data.y_train)}
        assert len(fills) == 5
        for k, rgb in fills.items():
            region = colors.class_image(np.eye(5, dtype=np.float32)[k][None, None])[0, 0]
            assert colors.contrast(rgb, bg) >= 3.0, (k, rgb)
            assert colors.contrast(rgb, tuple(int(v) for v in region)) >= 1.5, (k, rgb, region)
            if colors.contrast(colors.class_color(k), bg) >= 3.0:
                assert rgb == colors.class_color(k)  # a colour that already stood off: as it was
        key = colors.class_key_html([f"class {k}" for k in range(5)])
        for k in range(5):
            assert colors.hex_of(fills[k]) in key
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_the_decision_map_fills_the_axes_of_an_imported_file(qtbot, main_window):
    """fruit.csv's axes ran from -2.75 while its map began at -2.5: the view box was letterboxed
    before the axes took their new widths, and the locked aspect widened the range past the
    map, leaving blank bands at both sides. The map now reaches every edge of the axes."""
    from pathlib import Path

    from nnviz.core.csvdata import read_csv
    from nnviz.core.problem import make_problem

    from ..conftest import wait_for_run
    w = main_window
    fruit = Path(__file__).resolve().parents[2] / "resources" / "examples" / "fruit.csv"
    w.load_problem(make_problem(read_csv(fruit).dataset))
    wait_for_run(qtbot, w)
    b = w.boundary

    def filled() -> bool:
        b.draw_pending()
        img = b.class_img
        if img.image is None:
            return False
        r = img.mapRectToView(img.boundingRect())
        (x0, x1), (y0, y1) = b.getPlotItem().vb.viewRange()
        tol = 1e-3 * (x1 - x0)
        return (r.left() <= x0 + tol and r.right() >= x1 - tol and r.top() <= y0 + tol
                and r.bottom() >= y1 - tol)
    qtbot.waitUntil(filled, timeout=10_000)


def test_a_new_aspect_paints_the_whole_plot_again(main_window, qtbot):
    """From XOR's square plane to the moons' wide one the blank margins change: the old plot
    drawn there stayed on the screen (axes and colour bar above and below the new one, after a
    Promote) until another tab was shown (two reviewers). The whole view is painted again."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from nnviz.core.problem import Choices, make_problem
    w = main_window
    view = w.boundary.viewport()

    class Paints(QObject):
        whole = 0

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and event.region().boundingRect().contains(
                    view.rect()):
                self.whole += 1
            return False
    from tests.conftest import wait_for_run
    w.load_problem(make_problem(make_dataset(DataSpec("xor")), Choices()))
    wait_for_run(qtbot, w)
    QApplication.processEvents()
    paints = Paints()
    view.installEventFilter(paints)
    try:
        w.load_problem(make_problem(make_dataset(DataSpec("moons")), Choices()))
        wait_for_run(qtbot, w)
        qtbot.waitUntil(lambda: paints.whole > 0, timeout=5000)
    finally:
        view.removeEventFilter(paints)


def test_features_on_very_different_scales_fill_the_plot(plot, qtbot):
    """nnviz.show(X, y) with x1 around ±30 and x2 around ±0.01: drawn 1:1 the plane was a line a
    few pixels high, its y tick labels overprinted and the colour bar's stacked. Each axis
    fits its own feature then; the moons keep their shape (1:1)."""
    from nnviz.core.arrays import dataset_from_arrays
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(150, 2)) * [30, 0.01]
    data, _ = dataset_from_arrays(X, (X[:, 0] * X[:, 1] > 0).astype(int), None)
    plot.set_dataset(data)
    vb = plot.getPlotItem().vb
    qtbot.waitUntil(lambda: vb.height() > 400)  # the plot's height, not a line's
    (x0, x1), (y0, y1) = vb.viewRange()
    assert x1 - x0 < 80 and y1 - y0 < 0.05  # each axis the range of its feature
    assert plot.colorbar.height() > 400
    plot.set_dataset(make_dataset(DataSpec("moons")))
    assert vb.state["aspectLocked"]


def test_compiling_and_the_sample_note_do_not_overlap(plot):
    # A big network at 100,000 points compiles for ~25 s: "compiling the new model..." lay
    # over "A sample of the points: ..." (a reviewer's screenshot).
    plot.set_dataset(make_dataset(DataSpec("moons", samples=100_000, test_fraction=0.2)))
    for width in (800, 520):
        plot.resize(width, 500)
        before = plot.sample_note.y()
        plot.set_busy(True)
        assert plot.busy.isVisible() and plot.sample_note.isVisible()
        assert not plot.busy.geometry().intersects(plot.sample_note.geometry())
        plot.set_busy(False)
        assert plot.sample_note.y() == before  # back where it was once compiled


def test_a_regressions_line_off_the_data_is_taken_into_the_plot_in_round_steps(plot):
    """r3 #10: the y range fitted the data only, so at epoch 0 the model's line could be
    entirely off the plot (the sine lesson at 1024x768). The range takes the line in, up to one
    spread of the data beyond it, in round steps that do not move with every frame; further, a
    note says where the line goes; a line back inside the data gives the data's range again."""
    data = make_dataset(DataSpec("sine"))
    plot.set_dataset(data)
    vb = plot.getPlotItem().getViewBox()
    home = tuple(vb.viewRange()[1])
    lo, hi = float(data.y.min()), float(data.y.max())
    spread = home[1] - home[0]
    xs = np.linspace(float(data.X.min()), float(data.X.max()), 50, dtype=np.float32)
    empty = np.zeros(0, np.float32)

    def draw(y):
        plot.update_grid(Grid(xs, empty, np.asarray(y, np.float32)))
        return tuple(vb.viewRange()[1])

    # Epoch 0: a line from hi to a little above the data (as the sine's first epochs draw).
    line = np.linspace(lo, hi + 0.6 * spread, 50)
    y0, y1 = draw(line)
    assert y0 <= line.min() and line.max() <= y1  # the whole line is on the plot
    assert not plot.sample_note.isVisible() or not plot.sample_note.text()
    # The next frames move the line a little: the axis stays.
    for shift in (0.02, 0.04, -0.03):
        assert draw(line + shift * spread) == (y0, y1)
    # A line far off: the range stops a spread beyond the data, and says where the line goes.
    y0, y1 = draw(np.linspace(lo, hi + 50 * spread, 50))
    assert y1 <= home[1] + 1.5 * spread and y0 <= lo  # (a spread, to a round number)
    assert plot.sample_note.isVisible()
    assert "The model's line leaves the plot: it goes up to" in plot.sample_note.text()
    # Back inside the data: the data's own range, no note.
    assert draw(np.linspace(lo, hi, 50) * 0.9) == home
    assert not plot.sample_note.isVisible()
    # A range the user zoomed to is theirs.
    vb.setRange(yRange=(-0.5, 0.5), padding=0)
    mine = tuple(vb.viewRange()[1])
    assert draw(line) == mine


def _lab(rgb) -> np.ndarray:
    """CIELAB (D65) of sRGB rows."""
    c = np.asarray(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = c @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]]).T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], -1)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_tanh_outputs_scores_draw_no_band_the_colour_bar_does_not_have(qtbot, theme):
    """Cividis and a tanh output: where the score crossed 0 a light-blue band ran across the
    slate of the scores below it, like a second boundary (r16 #5). Scores below the bar's range
    are drawn in its end colour, and from there the colours move steadily away from it as the
    score rises: no colour comes back towards the end (a band), and none is darker."""
    from nnviz.gui import colors
    colors.set_look(theme, "cividis")
    try:
        p = DecisionPlot()
        qtbot.addWidget(p)
        p.resize(800, 700)
        p.show()
        p.set_dataset(make_dataset(DataSpec("circles")))
        xs = np.linspace(-1.5, 1.5, 401, dtype=np.float32)
        ys = np.linspace(-1.5, 1.5, 3, dtype=np.float32)
        score = np.linspace(-1, 1, 401, dtype=np.float32)  # a tanh's range, across the plane
        p.update_grid(Grid(xs, ys, np.tile(score, (3, 1))))
        p.grab()
        img = p.heat.qimage  # the heat image as drawn (before its smooth scaling)
        row = np.array([img.pixelColor(i, 1).getRgb()[:3] for i in range(img.width())])
        bottom = p.colorbar.colorMap().map(np.array([0.0]), mode="byte")[0][:3]
        below = score < 0
        assert np.all(np.abs(row[below] - bottom) <= 1)  # clamped to the bar's end colour
        lab = _lab(row[~below])
        away = np.linalg.norm(lab - _lab(bottom), axis=1)
        back = np.maximum.accumulate(away) - away
        # (cividis' own map comes back 2.3 near its navy end; the band was 7.7)
        assert back.max() < 3.0, (back.max(), row[~below][np.argmax(back)])
        assert np.all(np.diff(lab[:, 0]) > -0.5)  # lightness rises, as cividis' own does
        # ... and no colour just above the end is more saturated than the end: cividis' own
        # chroma peaks at 0.1, and a score passing quickly through there drew a saturated blue
        # seam along every sharp boundary (r17 #2). From the end to the grey middle the chroma
        # only falls.
        chroma = np.hypot(lab[:, 1], lab[:, 2])
        to_grey = chroma[: int(np.argmin(chroma)) + 1]
        assert np.all(np.diff(to_grey) < 0.5), (chroma[:12].round(1), _lab([bottom]))
        assert np.hypot(*_lab([bottom])[0, 1:]) >= to_grey.max() - 0.5
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_more_classes_the_map_shows_the_winner_between_the_grids_points(plot):
    """Coloured at the grid's points only, a boundary across the grid was a staircase of cells
    with pale dots where it turned (review r19: multiclass, spiral). Where class 1 overtakes
    class 0 a third of the way from one grid point to the next, the map shows class 1 from
    there, not from half way: the class that wins is found between the grid's points."""
    from nnviz.gui import colors
    plot.set_dataset(make_dataset(DataSpec("multiclass", classes=3)))
    xs = np.linspace(-2.0, 2.0, 5, dtype=np.float32)  # a cell is 1 wide
    ys = np.linspace(-2.0, 2.0, 5, dtype=np.float32)
    # Class 0 falls and class 1 rises along x; they cross at x = 0.3, between 0 and 1.
    scores = np.zeros((5, 5, 3), np.float32)
    scores[..., 0] = np.clip(0.5 - 0.5 * (xs - 0.3), 0, 1)
    scores[..., 1] = np.clip(0.5 + 0.5 * (xs - 0.3), 0, 1)
    plot.update_grid(Grid(xs, ys, scores))
    img = plot.class_img

    def drawn_at(x: float, y: float = 0.0) -> tuple[int, ...]:
        local = img.mapFromView(pg.Point(x, y))
        col, row = int(local.x()), int(local.y())  # the image's pixel under the plane's point
        return tuple(int(v) for v in img.image[row, col])

    class0, class1 = drawn_at(-2.0), drawn_at(2.0)
    assert class0 != class1
    winner = lambda rgb: 0 if sum(abs(a - b) for a, b in zip(rgb, class0)) < \
        sum(abs(a - b) for a, b in zip(rgb, class1)) else 1  # noqa: E731
    assert winner(drawn_at(0.2)) == 0  # before the crossing
    assert winner(drawn_at(0.4)) == 1  # after it, short of half way to the next point
    # The grid's own points keep their colours (what the plane shows there, image_data).
    at_points = plot.image_data()
    assert at_points.shape == (5, 5, 3)
    np.testing.assert_array_equal(at_points, colors.class_image(scores))
