"""Every mark that carries meaning stands off the ground it is drawn on, by WCAG's contrast for
non-text (3:1), in both themes and every palette, read from the colours the items and widgets
draw with. A teacher's review on a projector: lesson 3's middle values were dark discs on the
dark theme's near-black (1.6:1), the speed slider's handle was a dark grey on the dark panel,
and the first branch's curve was 3.15:1 on the dark plots (a faint line once projected)."""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

from nnviz.gui import colors
from nnviz.gui.lessons_view import LessonsView

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

LOOKS = list(itertools.product(colors.THEMES, colors.PALETTES))
contrast = colors.contrast


@pytest.fixture(autouse=True)
def default_look():
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def _rgb(qcolor) -> tuple[int, int, int]:
    return qcolor.red(), qcolor.green(), qcolor.blue()


def _over(pen, ground) -> tuple[int, int, int] | None:
    """A rim's colour as drawn over ``ground`` (its alpha blended), if it is a rim at all: one
    pixel wide or more."""
    pen = pg.mkPen(pen)
    if pen.style() == pg.QtCore.Qt.PenStyle.NoPen or pen.widthF() < 1:
        return None
    c, a = pen.color(), pen.color().alphaF()
    return tuple(round(a * v + (1 - a) * g) for v, g in zip(_rgb(c), ground))


def _marks(page, ground):
    """(what, fill, rim or None) of each point, and (what, colour, None) of each curve, drawn
    on a lesson page's plots."""
    out = []
    for plot in page.glw.ci.items:
        if not isinstance(plot, pg.PlotItem):
            continue
        title = plot.titleLabel.text
        for item in plot.items:
            if isinstance(item, pg.ScatterPlotItem):
                one = pg.mkBrush(item.opts["brush"])  # the brush of points without their own
                pens = item.data["pen"]
                for b, pen in zip(item.data["brush"], pens):
                    rim = _over(pen if pen is not None else item.opts["pen"], ground)
                    out.append((f"{title}: point", _rgb((b or one).color()), rim))
            elif isinstance(item, pg.PlotDataItem):
                pen = pg.mkPen(item.opts["pen"])
                if pen.style() != pg.QtCore.Qt.PenStyle.NoPen:
                    out.append((f"{title}: curve", _rgb(pen.color()), None))
                if item.opts["symbol"] is not None and item.opts["symbolBrush"] is not None:
                    out.append((f"{title}: dot", _rgb(pg.mkBrush(item.opts["symbolBrush"]).color()),
                                _over(item.opts["symbolPen"], ground)))
    return out


def _stands_off(mark, ground) -> float:
    """A mark's contrast with the ground: its fill's, or its rim's where it has one."""
    _, fill, rim = mark
    return max(contrast(fill, ground), contrast(rim, ground) if rim is not None else 0.0)


@pytest.mark.parametrize("theme,palette", LOOKS)
def test_the_lessons_points_and_curves_stand_off_their_plots(qtbot, theme, palette):
    """Every point and curve of lessons 1 to 4, by its fill or its rim; and a point coloured by
    a value by its fill (a pale or dark middle inside a rim reads as hollow: a test point)."""
    view = LessonsView()
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    try:
        colors.set_look(theme, palette)
        view.apply_look()  # what the window's View menu does (look.restyle)
        for key in ("line", "deep-linear", "sigmoid", "activations"):
            view.show_lesson(key)
            page = view.pages[key]
            ground = _rgb(page.glw.backgroundBrush().color())
            assert ground == colors.theme().background
            marks = _marks(page, ground)
            assert len(marks) >= (4 if key == "deep-linear" else 50), key  # all were read
            worst = min(marks, key=lambda m: _stands_off(m, ground))
            assert _stands_off(worst, ground) >= 3.0, (key, worst, ground)
            if key in ("sigmoid", "activations"):  # coloured by a value: by the fill
                fills = [fill for what, fill, _ in marks if what.endswith("point")]
                assert min(contrast(f, ground) for f in fills) >= 3.0, key
        # Lesson 3's points run the whole scale, its middle too (0.5: the theme's neutral,
        # which the dark theme's background nearly was).
        sigmoid = [c for what, c, _ in _marks(view.pages["sigmoid"], ground)
                   if what.endswith("point")]
        assert len(set(sigmoid)) >= 20
    finally:
        view.shutdown()


def test_every_branchs_curve_stands_off_the_loss_plot_and_follows_the_theme(qtbot):
    from nnviz.core.snapshot import Branch
    from nnviz.gui.loss_plot import LossPlot

    from .test_views_helpers import make_trainer, snapshot_of
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.show()
    epochs = np.arange(1, 101)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    s = snapshot_of(make_trainer())
    branches = tuple(Branch(f"run {k + 1}", epochs, loss * (1 + k / 10), 50, colour=k)
                     for k in range(len(colors.BRANCH_CURVES[False])))
    s = dataclasses.replace(s, epoch=100, loss_epochs=epochs, loss_values=loss, branch="live",
                            branches=branches)
    plot.update_snapshot(s)
    for theme, palette in LOOKS:  # no new snapshot: the curves are recoloured with the theme
        colors.set_look(theme, palette)
        ground = _rgb(plot.backgroundBrush().color())
        assert ground == colors.theme().background
        curves = [plot._branch_curves[b.name] for b in branches]
        ratios = [contrast(_rgb(c.opts["pen"].color()), ground) for c in curves]
        # WCAG's 3:1 and a margin: a 1.5-pixel curve at 3.15:1 was faint on a projector.
        assert min(ratios) >= 3.5, (theme, [round(r, 2) for r in ratios])
        shown = {_rgb(c.opts["pen"].color()) for c in curves}
        assert len(shown) == len(curves)  # still one colour each



def _lab(rgb) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(float(c)) for c in rgb[:3])
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(c1, c2) -> float:
    """CIEDE2000 colour difference of two sRGB colours (about 2: just seen side by side; the
    dark theme's "run 1" and "run 4", which looked the same on a projector, were 17.6)."""
    return _delta_e_lab(_lab(c1), _lab(c2))


def _delta_e_lab(lab1, lab2) -> float:
    from math import atan2, cos, degrees, exp, hypot, radians, sin, sqrt
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    c = (hypot(a1, b1) + hypot(a2, b2)) / 2
    g = 0.5 * (1 - sqrt(c ** 7 / (c ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    C1, C2 = hypot(a1, b1), hypot(a2, b2)
    h1, h2 = (degrees(atan2(b, a)) % 360 if hypot(a, b) else 0.0 for a, b in ((a1, b1), (a2, b2)))
    dh = 0.0 if C1 * C2 == 0 else (h2 - h1 + 180) % 360 - 180
    dL, dC, dH = L2 - L1, C2 - C1, 2 * sqrt(C1 * C2) * sin(radians(dh / 2))
    L, C = (L1 + L2) / 2, (C1 + C2) / 2
    if C1 * C2 == 0:
        h = h1 + h2
    elif abs(h1 - h2) <= 180:
        h = (h1 + h2) / 2
    else:
        h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * cos(radians(h - 30)) + 0.24 * cos(radians(2 * h))
         + 0.32 * cos(radians(3 * h + 6)) - 0.20 * cos(radians(4 * h - 63)))
    sl = 1 + 0.015 * (L - 50) ** 2 / sqrt(20 + (L - 50) ** 2)
    sc, sh = 1 + 0.045 * C, 1 + 0.015 * C * t
    rt = -sin(radians(60 * exp(-((h - 275) / 25) ** 2))) * 2 * sqrt(C ** 7 / (C ** 7 + 25 ** 7))
    return sqrt((dL / sl) ** 2 + (dC / sc) ** 2 + (dH / sh) ** 2 + rt * dC / sc * dH / sh)


@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma, Wu and Dalal's data (2005)
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),  # pair 1
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),  # pair 7
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),  # pair 17
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),  # pair 25
])
def test_delta_e_is_ciede2000(lab1, lab2, expected):
    assert _delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e((0, 0, 0), (255, 255, 255)) == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize("theme", list(colors.THEMES))
def test_branch_curves_differ_from_each_other_and_from_the_train_and_test_curves(qtbot, theme):
    """r11: with four branches on the dark theme "run 1" (mid blue) and "run 4" (light blue)
    looked the same; and the sixth branch's colour was the playground's test curve's."""
    from nnviz.core.snapshot import Branch
    from nnviz.gui.loss_plot import LossPlot

    from .test_views_helpers import make_trainer, snapshot_of
    plot = LossPlot()
    qtbot.addWidget(plot)
    epochs = np.arange(1, 101)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    n = len(colors.BRANCH_CURVES[False])
    branches = tuple(Branch(f"run {k + 1}", epochs, loss * (1 + k / 10), 50, colour=k)
                     for k in range(n))
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=100, loss_epochs=epochs, loss_values=loss,
        test_epochs=epochs + 1, test_values=loss + 0.03, branch="live", branches=branches))
    for palette in colors.PALETTES:
        colors.set_look(theme, palette)
        pens = {b.name: _rgb(plot._branch_curves[b.name].opts["pen"].color()) for b in branches}
        assert len(pens) == n == 6
        for (a, ca), (b, cb) in itertools.combinations(pens.items(), 2):
            assert delta_e(ca, cb) >= 20, (theme, a, ca, b, cb, round(delta_e(ca, cb), 1))
        for name, curve in (("train", plot.train), ("test", plot.test)):
            own = _rgb(curve.opts["pen"].color())
            for a, ca in pens.items():
                assert delta_e(ca, own) >= 20, (theme, palette, a, ca, name, own)


def _handle_and_track(slider):
    """The contrast with the ground around it of a slider's handle (its outline all round, and
    the darkest or lightest of it) and of its track's edge, read from the pixels drawn."""
    ground = colors.theme().panel  # the run controls' bar and the timeline's ground
    img = QImage(slider.size(), QImage.Format.Format_RGB32)
    img.fill(QColor(*ground))
    slider.render(img, QPoint(), renderFlags=QWidget.RenderFlag.DrawChildren)
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    style = slider.style()
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderHandle, slider)
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderGroove, slider)
    px = lambda x, y: _rgb(img.pixelColor(x, y))  # noqa: E731
    # Each side of the handle: the best of its two outermost pixels (the drawn outline is one
    # pixel inside the rectangle), the rounded, antialiased corners left out.
    r = handle
    sides = {
        "top": [max(contrast(px(x, r.top()), ground), contrast(px(x, r.top() + 1), ground))
                for x in range(r.left() + 4, r.right() - 3)],
        "bottom": [max(contrast(px(x, r.bottom()), ground),
                       contrast(px(x, r.bottom() - 1), ground))
                   for x in range(r.left() + 4, r.right() - 3)],
        "left": [max(contrast(px(r.left(), y), ground), contrast(px(r.left() + 1, y), ground))
                 for y in range(r.top() + 4, r.bottom() - 3)],
        "right": [max(contrast(px(r.right(), y), ground), contrast(px(r.right() - 1, y), ground))
                  for y in range(r.top() + 4, r.bottom() - 3)],
    }
    outline = min(min(v) for v in sides.values())
    # The track beside the handle (towards the end not yet reached): its top edge.
    x0 = r.right() + 4
    track = max(contrast(px(x, y), ground) for x in range(x0, min(x0 + 10, img.width() - 2))
                for y in (groove.top() + 1, groove.top() + 2))
    inside = contrast(px(r.center().x(), r.center().y()), ground)
    return ground, outline, track, inside, sides


@pytest.mark.parametrize("theme", list(colors.THEMES))
def test_the_sliders_handle_and_track_stand_off_the_panel(main_window, qtbot, theme):
    """The speed slider (and the timeline's, drawn by its own style) in either theme."""
    w = main_window
    w.look_actions[("theme", theme)].trigger()
    speed = w.controls.speed
    speed.setValue(2)
    qtbot.waitUntil(lambda: (speed.palette().window().color().lightness() < 80)
                    == (theme == "dark"))
    sliders = [speed]
    timeline = getattr(w, "timeline", None)
    if timeline is not None:
        timeline.slider.setRange(0, 10)
        timeline.slider.setValue(3)
        sliders.append(timeline.slider)
    assert all(isinstance(s, QSlider) for s in sliders)
    for slider in sliders:
        ground, outline, track, inside, sides = _handle_and_track(slider)
        assert outline >= 3.0, (slider.toolTip()[:20], theme, outline,
                                {k: round(min(v), 2) for k, v in sides.items()})
        assert track >= 3.0, (slider.toolTip()[:20], theme, track)
        if theme == "dark":  # a light handle on the dark track: the value is seen at once
            assert inside >= 3.0, inside


@pytest.mark.parametrize("theme", list(colors.THEMES))
def test_the_full_speed_buttons_glyph_stands_off_the_panel(main_window, qtbot, theme):
    """The full-speed button has no words, only Qt's black fast-forward glyph: 1.8:1 on the
    dark panel. Play and Step's glyphs are drawn the same way."""
    w = main_window
    w.look_actions[("theme", theme)].trigger()
    qtbot.waitUntil(lambda: (w.controls.palette().window().color().lightness() < 80)
                    == (theme == "dark"))
    for button in (w.controls.full_speed, w.controls.step, w.controls.play):
        # What is behind the glyph: the panel for the flat tool button, else the button's face.
        role = button.palette().window() if button is w.controls.full_speed \
            else button.palette().button()
        ground = _rgb(role.color())
        icon = button.icon().pixmap(16, 16).toImage()
        glyph = [_rgb(icon.pixelColor(x, y)) for x in range(16) for y in range(16)
                 if icon.pixelColor(x, y).alpha() > 200]
        assert glyph, button.text()
        assert max(contrast(c, ground) for c in glyph) >= 3.0, (button.text(), theme, ground)


@pytest.mark.parametrize("theme", list(colors.THEMES))
def test_eight_branches_are_eight_lines_on_the_plot_and_in_its_key(qtbot, theme):
    """With seven branches or more the colours came round again: "run 7" was drawn as "run 1",
    "run 8" as "run 2", on the plot and in its key. Now a branch past the sixth takes the
    colours again dash-dotted: no two branches' lines alike, each a line that stands off the
    plot, and the key under a short plot draws each name after its own line."""
    from nnviz.core.snapshot import Branch
    from nnviz.gui.loss_plot import LossPlot

    from .test_views_helpers import make_trainer, snapshot_of
    colors.set_look(theme)
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 160)  # short: the key goes under the plot, as text
    plot.show()
    epochs = np.arange(1, 101)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    branches = tuple(Branch(f"run {k + 1}", epochs, loss * (1 + k / 10), 50, colour=k)
                     for k in range(8))
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=100, loss_epochs=epochs, loss_values=loss,
        branch="live", branches=branches))
    pens = {b.name: plot._branch_curves[b.name].opts["pen"] for b in branches}
    ground = colors.theme().background

    def line(pen) -> tuple:
        dashes = () if pen.style() == pg.QtCore.Qt.PenStyle.SolidLine else tuple(pen.dashPattern())
        return _rgb(pen.color()), dashes
    lines = {name: line(pen) for name, pen in pens.items()}
    assert len(set(lines.values())) == 8, lines  # eight lines, no two alike
    for a, b in itertools.combinations(lines, 2):  # alike in colour: unlike in dashes
        if delta_e(lines[a][0], lines[b][0]) < 20:
            assert lines[a][1] != lines[b][1], (a, b, lines[a], lines[b])
    assert lines["run 7"][1] and lines["run 8"][1]  # the two past six dashed
    assert line(plot.test.opts["pen"])[1] not in {d for _, d in lines.values()}  # (its dashes)
    assert min(contrast(rgb, ground) for rgb, _ in lines.values()) >= 3.5
    # pyqtgraph's legend draws each sample with the curve's own pen.
    # (each branch's entry: its name, then its last loss)
    samples = {label.text.split(":")[0]: sample.item.opts["pen"]
               for sample, label in plot.legend.items}
    assert line(pg.mkPen(samples["run 7"])) == lines["run 7"]
    qtbot.waitUntil(lambda: not plot.legend.isVisible())  # the key under the plot
    key = plot.getPlotItem().getAxis("bottom").labelText
    import re
    glyphs = {name.replace("&nbsp;", " ").split(":")[0]: glyph for glyph, name in
              re.findall(r"<span style='color:#[0-9a-f]{6}'>([^<]+)</span>&nbsp;([^ <]+)", key)}
    assert set(lines) <= set(glyphs), key
    assert glyphs["run 1"] != glyphs["run 7"] and glyphs["run 2"] != glyphs["run 8"], glyphs
