"""The network diagram's links on the dark theme (r19 #15): a teacher who chose View > Theme >
Dark for a dim room saw the positive links, a dark steel blue on the near-black background
(3.4:1 at full strength), and every weak link (the sign's colour at 24%, 1.3:1 for a positive
one) nearly vanish: x1's links into hidden 1 could hardly be seen and the diagram looked mostly
negative. Read from the pixels the canvas paints: each link drawn alone on the background."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from nnviz.core import inspect
from nnviz.gui import colors
from nnviz.gui.network_view import _LEVELS, NetworkView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(autouse=True)
def default_look():
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


@pytest.fixture
def trained_view(qtbot):
    v = NetworkView()
    v.probe = inspect.NeuronMapsProbe()
    qtbot.addWidget(v)
    v.resize(1000, 600)
    v.show()
    t = make_trainer()
    t.run(300)
    v.update_snapshot(snapshot_of(t, {"network": v.probe}))
    qtbot.waitUntil(lambda: v.canvas.links_drawn == 92)
    return v


def drawn_alone(canvas, row: int, level: int | None = None, positive: bool | None = None):
    """The contrast with the background of link ``row`` as the canvas paints it, alone on the
    background (its own strength and sign unless given): its most visible pixel near its
    middle, where a thin slanted line's antialiasing leaves its core."""
    canvas._geometry()
    segs = canvas._link_segments()
    levels, signs = canvas._link_levels(segs)
    lv = np.array([levels[row] if level is None else level], np.int8)
    sg = np.array([signs[row] if positive is None else positive])
    img = QImage(canvas.size(), QImage.Format.Format_RGB32)
    bg = colors.background()
    img.fill(QColor(*bg))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as a network of <= 300 links
    canvas._paint_links(p, segs[[row]], lv, sg)
    p.end()
    x0, y0, x1, y1 = segs[row, :4]
    cx, cy = int((x0 + x1) / 2), int((y0 + y1) / 2)
    best = 1.0
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            c = img.pixelColor(cx + dx, cy + dy)
            best = max(best, colors.contrast((c.red(), c.green(), c.blue()), bg))
    return best


@pytest.mark.parametrize("palette", list(colors.PALETTES))
def test_on_the_dark_theme_the_weakest_links_of_either_sign_stand_off_the_background(
        trained_view, palette):
    colors.set_look("dark", palette)
    c = trained_view.canvas
    row = 0  # any link, drawn at the weakest strength of each sign
    for positive in (True, False):
        seen = drawn_alone(c, row, level=0, positive=positive)
        assert seen >= 1.8, (palette, "positive" if positive else "negative", seen)


def test_x1s_links_into_hidden_1_can_be_seen_on_the_dark_theme(trained_view):
    colors.set_look("dark")
    c = trained_view.canvas
    c._geometry()
    segs = c._link_segments()
    x1_links = np.flatnonzero((segs[:, 5] == 0) & (segs[:, 6] == 0))
    assert len(x1_links) == 4
    for row in x1_links:
        assert drawn_alone(c, row) >= 1.8, (row, segs[row, 4])


def test_on_the_dark_theme_the_strongest_positive_link_stands_out_as_the_negative_one_does(
        trained_view):
    # The diagram looked mostly negative: the strongest blue was 3.0:1, the orange 6.0:1.
    colors.set_look("dark")
    c = trained_view.canvas
    top = _LEVELS - 1
    blue = drawn_alone(c, 0, level=top, positive=True)
    orange = drawn_alone(c, 0, level=top, positive=False)
    assert blue >= 4.5
    assert blue >= 0.85 * orange, (blue, orange)
    # ... and a positive link still reads as blue, a lighter one.
    end = colors.link_end(colors.high())
    assert colors.colour_word(end).endswith("blue")


def test_links_grow_more_visible_with_their_strength_on_both_themes(trained_view):
    c = trained_view.canvas
    for theme in colors.THEMES:
        colors.set_look(theme)
        for positive in (True, False):
            seen = [drawn_alone(c, 0, level=lv, positive=positive) for lv in range(_LEVELS)]
            assert all(b >= a - 0.05 for a, b in zip(seen, seen[1:])), (theme, positive, seen)
            assert seen[-1] > seen[0], (theme, positive, seen)

