"""The visual language: one place for every colour, marker and theme the views draw with.

A *theme* (light, dark) gives the background, the text and the axes; a *palette* (TensorFlow
Playground's orange / blue, Paul Tol's colour-blind safe colours, the perceptually uniform
cividis) gives the classes' colours, the heatmaps' colour scale and the test data's colour. The
pair in use is :func:`current`; :func:`set_look` changes it and :data:`NOTIFIER` says so, and
every view draws again with the new one (the views call the functions here when they draw; they
keep no colours of their own).

Classes differ in **shape** as well as colour (:func:`class_symbol`), so the plots read without
colour. Class 0 takes the palette's first colour, class 1 its second; a model output
P(class 1) runs from class 0's colour through the theme's neutral (0.5) to class 1's. Heatmaps
use a 256-entry lookup table made from a pyqtgraph ColorMap, with fixed levels.

The module-level constants (ORANGE, BLUE, ...) are the default palette's, for code that wants a
fixed colour; the views read the current look through the functions.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette

RGB = tuple[int, int, int]

ORANGE: RGB = (245, 147, 34)
BLUE: RGB = (8, 119, 189)
MID: RGB = (232, 234, 235)
# Classes beyond two: Paul Tol's colours, apart from orange and blue and from each other for a
# red-green colour-blind viewer too, on both themes (tab10's green and red, orange and olive,
# blue and purple were one colour for a deuteranope, their regions one region: r10 #2). Eight,
# the most classes the multiclass data has, then Tol's dark red and a plum for the ten an
# imported file may have (csvdata.MAX_CLASSES; classes 9 and 10 were classes 1 and 2 again).
# The two were chosen as the colours farthest, in CIEDE2000, from the eight and each other as
# drawn (a point's fill, a region's fade, on both themes) with normal vision, deuteranopia
# and protanopia: 10.8 at least, more than the eight's own least (8.0), so ten classes are as
# far apart as eight were.
CLASS_COLORS: tuple[RGB, ...] = (
    ORANGE, BLUE, (34, 136, 51), (102, 204, 238), (221, 204, 119), (238, 51, 119),
    (0, 153, 136), (187, 187, 187), (102, 51, 51), (140, 0, 100),
)
TRAIN_CURVE: RGB = (40, 40, 40)
TEST_CURVE: RGB = (117, 112, 179)  # not a class's colour: the test data is not class 0
# Other branches of a run on the loss plot, by theme (dark?): blue, magenta, green, orange,
# olive, teal, each as a line on that theme's plots (LINE_CONTRAST). Any two of a theme, and any
# one and a palette's train or test curve, differ by 20 or more in CIEDE2000 (21.8 at least).
# The Okabe-Ito colours they replace, made lines, were close on the dark theme (its blue lifted
# to 17.6 from its sky blue: "run 1" and "run 4" looked alike on a projector, r11) and the
# sixth was the playground's test curve's purple itself. A seventh branch and on takes the
# colours again with a dash pattern of its own (BRANCH_DASHES): "run 7" was "run 1". No branch
# curve is a solid line: the Gradients view's solid layer lines, beside the loss chart, take
# colours near theirs (its "hidden 3" was "run 2"'s magenta, r27 F7), and no eight layer
# colours are far enough from each other and from every branch's for a colour-blind viewer.
BRANCH_CURVES: dict[bool, tuple[RGB, ...]] = {
    False: ((0, 140, 210), (220, 10, 160), (40, 155, 50), (195, 115, 15), (100, 95, 0),
            (0, 135, 130)),
    True: ((0, 170, 255), (255, 115, 215), (30, 150, 25), (245, 145, 0), (225, 220, 0),
           (35, 190, 180)),
}
#: The dash pattern of branch colour index 0-5, 6-11, 12-17 (in pen widths) and
#: the same line as text for the key under the plot. Unlike the test curve's even dashes, and
#: none solid as the live branch's train curve and the Gradients view's layers are.
BRANCH_DASHES: tuple[tuple[list[float], str], ...] = (
    ([5, 2, 1, 2], "\u2501\u00b7\u2501"), ([1, 1.5], "\u2508\u2508"),
    ([5, 2, 1, 2, 1, 2], "\u2501\u00b7\u00b7"))
TIMELINE_MARK: RGB = (138, 75, 0)
# Plot titles, axis labels, tick numbers and legends: near black. pyqtgraph's default grey
# (150, 150, 150) could not be read from the back of a room.
TEXT = (34, 34, 34)
pg.setConfigOptions(foreground=TEXT, background=(255, 255, 255))



def _filled_cross(turn: float, scale: float = 1.0):
    """A thick, filled plus (``turn`` 0) or cross (45): matplotlib's 'P' and 'X', whose arms
    (a third of the size) have room for the class's colour; pyqtgraph's own '+' and 'x' have
    arms a fifth wide, a rim with hardly a fill between."""
    from PySide6.QtGui import QPainterPath, QTransform
    a, w = 0.5, 0.17
    pts = [(-a, -w), (-w, -w), (-w, -a), (w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a),
           (-w, a), (-w, w), (-a, w)]
    path = QPainterPath()
    path.moveTo(*pts[0])
    for x, y in pts[1:]:
        path.lineTo(x, y)
    path.closeSubpath()
    return QTransform().rotate(turn).scale(scale, scale).map(path)


def _add_symbols() -> None:
    from pyqtgraph.graphicsItems import ScatterPlotItem as _spi
    for name, path in (("plus", _filled_cross(0)), ("cross", _filled_cross(45, 1.25))):
        _spi.Symbols.setdefault(name, path)


_add_symbols()

#: pyqtgraph symbols of class 0, 1, ...; and the same shapes as text for keys and legends. Ten,
#: the most classes an imported file may have: classes 9 and 10 a filled plus and cross, not
#: class 1's disc and class 2's square again (where two colours are close, their shapes differ).
CLASS_SYMBOLS = ("o", "s", "t1", "d", "h", "star", "p", "t", "plus", "cross")
CLASS_GLYPHS = ("\u25cf", "\u25a0", "\u25b2", "\u25c6", "\u2b22", "\u2605", "\u2b1f", "\u25bc",
                "\u271a", "\u2716")


def branch_color(colour: int) -> RGB:
    """The loss plot's colour of a branch whose colour index (``RunLog.colour``) is ``colour``:
    its own colour in the theme's set (BRANCH_CURVES), a line that stands off the theme's
    background (``line``: the Okabe-Ito blue was 3.15:1 on the dark plots, a faint line on a
    projector, and the sky blue 2.3:1 on the white ones)."""
    curves = BRANCH_CURVES[theme().dark]
    return line(curves[colour % len(curves)])


def branch_dash(colour: int) -> tuple[list[float], str]:
    """The dash pattern of a branch whose colour index is ``colour``, and that line as text:
    the first six dash-dotted, the next six dotted, the next six dash-dot-dotted (the six
    colours come round again)."""
    n = len(BRANCH_CURVES[False])
    return BRANCH_DASHES[(colour // n) % len(BRANCH_DASHES)]


def branch_pen(colour: int, width: float = 1.5):
    """The pen of a branch's loss curve: its colour (branch_color) and its dashes
    (branch_dash), so that no two of eighteen branches are drawn alike."""
    pen = pg.mkPen(branch_color(colour), width=width)
    pen.setDashPattern(branch_dash(colour)[0])
    return pen


# The heatmap's ends are mixed a little towards the background, so points stay visible on it.
_HEAT_FADE = 0.35
HEAT_START = 0.1  # where a palette's own heat map (cividis) starts: see diverging_map


@dataclass(frozen=True)
class Theme:
    name: str
    title: str
    background: RGB
    text: RGB
    axis: RGB
    neutral: RGB  # the middle of a diverging scale: "no opinion"
    panel: RGB  # the run controls' strip
    dark: bool


@dataclass(frozen=True)
class Palette:
    name: str
    title: str
    tip: str
    classes: tuple[RGB, ...]
    test: RGB
    train_curve_light: RGB
    heat: str | None = None  # a pyqtgraph colour map for the scale; None: class 0 -> 1 via neutral
    classes_dark: tuple[RGB, ...] | None = None  # the classes on the dark theme (None: classes)


THEMES: dict[str, Theme] = {t.name: t for t in (
    Theme("light", "Light", (255, 255, 255), (34, 34, 34), (120, 120, 120), (232, 234, 235),
          (239, 239, 239), False),  # (the panel: Fusion's window, the light theme's palette)
    Theme("dark", "Dark", (30, 32, 36), (230, 230, 230), (160, 160, 160), (62, 65, 70),
          (44, 47, 52), True),
)}

# Paul Tol's 'bright' seven, then his 'muted' olive: a colour for each of eight classes (his
# indigo, lifted on the dark theme, was the blue there). Then a wine darker than his muted one
# and a lemon, for ten: the two farthest in CIEDE2000 from the eight and each other as drawn,
# on both themes, with normal vision, deuteranopia and protanopia (10.5 at least; the eight's
# own least is 5.9, a region's).
_TOL_BRIGHT = ((238, 102, 119), (68, 119, 170), (34, 136, 51), (204, 187, 68), (102, 204, 238),
               (170, 51, 119), (187, 187, 187), (153, 153, 51), (120, 40, 60), (240, 240, 0))
# cividis' own colours for ten classes: ten steps along cividis placed so that the least
# CIEDE2000 between two, as points and as regions, on either theme and with either red-green
# deficiency, is as large as it can be (one scale: 5.6 between points, 4.0 between regions,
# where the other palettes keep 9.2 and 5.9; the shapes tell those apart). The first two are its
# ends (the scale's "dark blue" and "yellow"), each next one the farthest from those before;
# the closest two, the navy and the next blue, are classes 0 and 9 (next to each other only
# with ten classes round a circle). The first eight are farther apart than the eight before
# were (8.2 between points, was 6.8). On the dark theme the same colours lifted in lightness
# (L* 13..92 to 47..92), their hue and chroma kept, so that each stands off the dark ground
# by 3:1: point_fill's lift towards the text's grey had made the navy and the slate blue
# (classes 0 and 3) one grey-blue (ΔE 1.6 for a protanope; now 6.8 at least).
_CIVIDIS = ((0, 32, 77), (255, 234, 70), (145, 140, 120), (86, 92, 109), (196, 181, 108),
            (166, 157, 117), (112, 113, 115), (56, 72, 107), (223, 202, 94), (0, 46, 111))
_CIVIDIS_DARK = ((96, 109, 163), (255, 234, 70), (184, 179, 158), (143, 149, 168),
                 (219, 203, 129), (198, 189, 147), (161, 162, 164), (122, 137, 176),
                 (237, 215, 106), (101, 118, 193))
PALETTES: dict[str, Palette] = {p.name: p for p in (
    Palette("playground", "TensorFlow Playground (orange / blue)",
            "Orange and blue, as in TensorFlow Playground.", CLASS_COLORS, TEST_CURVE,
            TRAIN_CURVE),
    Palette("tol", "Colour-blind safe (Paul Tol)",
            "Paul Tol's 'bright' colours: told apart with every common colour-vision "
            "deficiency and in greyscale.", _TOL_BRIGHT, (51, 34, 136), (34, 34, 34)),
    Palette("cividis", "Perceptually uniform (cividis)",
            "Heatmaps in cividis: equal steps of the value look equally different, and it "
            "reads the same with colour-blindness.",
            _CIVIDIS, (200, 60, 60), (34, 34, 34), heat="cividis",
            classes_dark=_CIVIDIS_DARK),
)}

DEFAULT_THEME, DEFAULT_PALETTE = "light", "playground"


class _Notifier(QObject):
    changed = Signal()  # the theme or the palette changed: draw again


NOTIFIER = _Notifier()
_current = {"theme": THEMES[DEFAULT_THEME], "palette": PALETTES[DEFAULT_PALETTE]}


def follow(owner: QObject, slot) -> None:
    """Call ``slot()`` at every change of look while ``owner`` lives (a closed plot's items are
    deleted before the plot itself: a call that finds them gone stops the following)."""
    connected = [True]

    def drop(*_) -> None:
        if connected[0]:  # once: by a failed call or by the owner's end, whichever is first
            connected[0] = False
            try:
                NOTIFIER.changed.disconnect(call)
            except (RuntimeError, TypeError):
                pass

    def call() -> None:
        try:
            slot()
        except RuntimeError:  # "Internal C++ object already deleted"
            drop()
    NOTIFIER.changed.connect(call)
    owner.destroyed.connect(drop)


def current() -> tuple[Theme, Palette]:
    return _current["theme"], _current["palette"]


def theme() -> Theme:
    return _current["theme"]


def palette() -> Palette:
    return _current["palette"]


def set_look(theme_name: str | None = None, palette_name: str | None = None) -> None:
    """Use this theme and palette from now on (None: keep it); every view draws again. Raises
    ValueError naming the known ones for an unknown name."""
    for name, known in ((theme_name, THEMES), (palette_name, PALETTES)):
        if name is not None and name not in known:
            what = "theme" if known is THEMES else "palette"
            raise ValueError(f"unknown {what} {name!r}; known: {', '.join(known)}")
    new = {"theme": THEMES[theme_name] if theme_name else _current["theme"],
           "palette": PALETTES[palette_name] if palette_name else _current["palette"]}
    if new == _current:
        return
    _current.update(new)
    _plot_defaults()
    NOTIFIER.changed.emit()


def _plot_defaults() -> None:
    """pyqtgraph's defaults in the current theme: a plot made after a change of look (a lesson's
    page, a view's tile) starts in it rather than in black on white."""
    t = theme()
    pg.setConfigOptions(foreground=t.text, background=t.background)


# --- colours -----------------------------------------------------------------------------------

def _mix(rgb, towards, amount: float) -> RGB:
    return tuple(int(round(c + (t - c) * amount)) for c, t in zip(rgb, towards))


def mix(rgb, towards, amount: float) -> RGB:
    """``rgb`` moved ``amount`` (0..1) of the way to ``towards``."""
    return _mix(rgb, towards, amount)


def hex_of(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(c) for c in rgb[:3])


def background() -> RGB:
    return theme().background


def text() -> RGB:
    return theme().text


def axis() -> RGB:
    return theme().axis


def class_colors() -> tuple[RGB, ...]:
    """The classes' colours in the current palette and theme (class 0's first)."""
    t, p = current()
    return p.classes_dark if t.dark and p.classes_dark else p.classes


def class_color(k: int) -> RGB:
    classes = class_colors()
    return classes[k % len(classes)]


def class_symbol(k: int) -> str:
    return CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)]


def class_glyph(k: int) -> str:
    return CLASS_GLYPHS[k % len(CLASS_GLYPHS)]


def low() -> RGB:
    """The colour of the scale's low end (class 0, a negative weight)."""
    return _scale_stops()[0]


def high() -> RGB:
    """The colour of the scale's high end (class 1, a positive weight)."""
    return _scale_stops()[-1]


def test_color() -> RGB:
    """The test data's own colour (its loss curve, its name in the metrics)."""
    t, p = current()
    return _mix(p.test, (255, 255, 255), 0.3) if t.dark else p.test


def train_curve() -> RGB:
    return (225, 225, 225) if theme().dark else palette().train_curve_light


def _scale_stops() -> list[RGB]:
    t, p = current()
    if p.heat:
        lut = pg.colormap.get(p.heat).getLookupTable(0.0, 1.0, 3, alpha=False)
        return [tuple(int(c) for c in row) for row in lut]
    return [p.classes[0], t.neutral, p.classes[1]]


#: The middle (P = 0.5) of the diverging decision map on the dark theme: a light grey, lighter
#: than either faded end, so that the boundary reads as a light line between the two classes'
#: regions, as the light theme's near-white middle does on its pale ends. The theme's neutral
#: (62, 65, 70), darker than both ends, made the boundary a dark band, a shadow between the
#: regions (r19 #15). 1.7:1 or more from either end; not so light that a point's light rim
#: (point_rim) is lost on it (2.1:1).
DARK_MAP_MIDDLE: RGB = (160, 162, 166)


def diverging_map() -> pg.ColorMap:
    """Class 0 -> neutral -> class 1 (or the palette's uniform map), for P(class 1) in [0, 1] or
    a regressed value; a little faded, so points stay visible on it."""
    t, p = current()
    if p.heat:
        # Faded towards the background by _HEAT_FADE, as the other palettes' ends are: at full
        # strength cividis' yellow end was class 1's own fill, and where P(class 1) is near 1
        # its training points looked hollow (r14). The same fade all along: one that grew
        # towards the ends (none at the middle) made the navy end lighter than the blue at 0.1,
        # and a tanh output's scores just above 0 drew a light-blue band across the slate of
        # the scores below it, like a second boundary (r16 #5). A constant fade keeps the
        # map's lightness rising from one end to the other, as cividis' own does.
        # From cividis' 0.1 on (HEAT_START): its chroma peaks there, so a score passing
        # quickly through 0.05-0.15 drew a seam of saturated blue along every sharp boundary,
        # brighter than the region it bordered (r17 #2). From 0.1 the chroma only falls to the
        # grey middle, and class 0's navy points stand off their region a little more.
        x = np.linspace(0.0, 1.0, 65)
        rgb = pg.colormap.get(p.heat).map(HEAT_START + (1 - HEAT_START) * x,
                                          mode="float")[:, :3]
        fade = _HEAT_FADE
        faded = rgb * (1 - fade) + np.asarray(t.background[:3], dtype=float) / 255 * fade
        return pg.ColorMap(pos=x, color=np.round(faded * 255).astype(np.ubyte),
                           name=f"nnviz-{p.name}")
    lo, mid, hi = _scale_stops()
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]),
                       color=[_mix(lo, t.background, _HEAT_FADE),
                              DARK_MAP_MIDDLE if t.dark else mid,
                              _mix(hi, t.background, _HEAT_FADE)], name=f"nnviz-{p.name}")


def _full_map() -> pg.ColorMap:
    """The scale at full strength: class 0 -> neutral -> class 1, or the palette's map."""
    p = palette()
    if p.heat:
        return pg.colormap.get(p.heat)
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]), color=_scale_stops())


def point_map() -> pg.ColorMap:
    """The scale for points coloured by a value (regression, a lesson's outputs): every colour
    of it a mark that stands off the theme's background (``MARK_CONTRAST``). The diverging
    scale's middle is the theme's neutral made a grey that does (the dark theme's neutral was
    1.6:1 on its background: lesson 3's middle values were dark discs on near-black; the light
    one's 1.2:1 on white) and its ends are lifted as a point's fill is; a scale whose
    lightness runs one way (cividis) keeps only the stretch that stands off the background,
    as the Compare tab's viridis does (cividis' navy was 1.0:1 on the dark theme, its yellow
    1.2:1 on the light one), so that equal steps still look equal."""
    return _point_map(*(x.name for x in current()))


@lru_cache(maxsize=16)
def _point_map(theme_name: str, palette_name: str) -> pg.ColorMap:
    t, p = current()
    if p.heat:
        lut = _full_map().getLookupTable(0.0, 1.0, 256, alpha=False)
        ok = np.array([contrast(c, t.background) >= MARK_CONTRAST for c in lut])
        # The longest run of colours that stand off the background (one end's, for cividis).
        best, start = (0, 0), None
        for i, good in enumerate([*ok, False]):
            if good and start is None:
                start = i
            elif not good and start is not None:
                best = max(best, (start, i), key=lambda r: r[1] - r[0])
                start = None
        if best[1] - best[0] > 1:
            lut = _full_map().getLookupTable(best[0] / 255, (best[1] - 1) / 255, 256,
                                             alpha=False)
    else:
        lo, mid, hi = _scale_stops()
        stops = [mark(lo), mark(mid), mark(hi)]
        lut = pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]), color=stops).getLookupTable(
            0.0, 1.0, 256, alpha=False)
    # A colour between two stops can be darker than both (sRGB's mixing): lift what is left.
    lut = np.array([mark(c) for c in lut], np.uint8)
    return pg.ColorMap(pos=np.linspace(0.0, 1.0, len(lut)), color=lut,
                       name=f"nnviz-points-{theme_name}-{palette_name}")


def heat_lut() -> np.ndarray:
    """(256, 3) uint8: the scale at full strength, for maps of a neuron's value."""
    return _heat_lut(*(x.name for x in current()))


def class_lut(k: int) -> np.ndarray:
    """(256, 3) uint8 from the theme's neutral (0) to class ``k``'s colour (1): the scale of an
    output that is class k's probability (a softmax's), where the diverging scale's two ends
    are classes 0 and 1 and said "class 0" of every output's low values."""
    return _class_lut(*(x.name for x in current()), k)


@lru_cache(maxsize=64)
def _class_lut(theme_name: str, palette_name: str, k: int) -> np.ndarray:
    start = np.array(theme().neutral, np.float64)
    end = np.array(class_color(k), np.float64)
    t = np.linspace(0.0, 1.0, 256)[:, None]
    lut = np.rint(start + (end - start) * t).astype(np.uint8)
    lut.flags.writeable = False
    return lut


def heat_qcolors() -> list[QColor]:
    """The same 256 colours as QColors (a weight's or a bias's colour, every frame)."""
    return _heat_qcolors(*(x.name for x in current()))


@lru_cache(maxsize=16)
def _heat_lut(theme_name: str, palette_name: str) -> np.ndarray:
    lut = _full_map().getLookupTable(0.0, 1.0, 256, alpha=False).astype(np.uint8)
    lut.flags.writeable = False
    return lut


@lru_cache(maxsize=16)
def _heat_qcolors(theme_name: str, palette_name: str) -> list[QColor]:
    return [QColor(int(r), int(g), int(b)) for r, g, b in _heat_lut(theme_name, palette_name)]


def contrast(a, b) -> float:
    """WCAG's contrast ratio of two colours (1: the same lightness, 21: black on white)."""
    def lum(rgb) -> float:
        def ch(c: float) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (ch(float(x)) for x in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: The least contrast of a text with its ground (WCAG's for large text).
READABLE = 3.0
#: ... of words at the window's own size (WCAG AA for normal text, 1.4.3): a coloured word in a
#: caption, a title or the metrics line is 13 px body text, not large text (at 3.3 the
#: captions' "orange" was 3.4:1 and the metrics' "Test" 3.9:1 on the light theme's panel).
TEXT_CONTRAST = 4.5
#: The least contrast of a mark that carries meaning (a point, a swatch, a slider's handle)
#: with the ground it sits on: WCAG's for non-text (1.4.11); a projector washes out less.
MARK_CONTRAST = 3.0
#: ... of a curve 1.5 pixels wide, which a projector thins: a margin more (at 4.5 the branches'
#: Okabe-Ito blue, lifted, was the sky blue of another branch on the dark theme).
LINE_CONTRAST = 3.5


def readable(rgb, ground=None, least: float = TEXT_CONTRAST) -> RGB:
    """``rgb`` as the colour of words on ``ground`` (default: the window's panels): moved
    towards the theme's text colour until it can be read (the playground's orange on white,
    its blue on the dark theme could not), its contrast with the ground at least ``least``."""
    t = theme()
    ground = t.panel if ground is None else ground
    towards = t.text
    out = tuple(int(c) for c in rgb[:3])
    for step in range(1, 11):
        if contrast(out, ground) >= least:
            break
        out = _mix(rgb, towards, step / 10)
    return out


def mark(rgb, ground=None, least: float = MARK_CONTRAST) -> RGB:
    """``rgb`` as the colour of a mark that carries meaning on ``ground`` (default: the plots'
    background), in either theme: moved towards the theme's text colour (darker on the light
    theme, lighter on the dark one), in tenths of the way, until it stands off the ground by
    ``least``.
    A colour that does already comes back as it is."""
    return readable(rgb, background() if ground is None else ground, least)


def line(rgb, ground=None) -> RGB:
    """``rgb`` as a thin curve's colour on ``ground`` (default: the plots' background)."""
    return mark(rgb, ground, LINE_CONTRAST)


#: The least contrast of the weakest link the network diagram draws with its background, by
#: theme (dark?): the weakest were the sign's colour at 24% over the background, 1.26:1 for a
#: positive link on the dark theme (1.2:1 for a negative one on the light theme), lines that
#: vanished on a projector (r19 #15: x1's links into hidden 1). The light theme's stay faint
#: (at 2:1 its weakest links were as plain as its middling ones, the diagram a thicket), but
#: there.
LINK_LEAST = {False: 1.5, True: 2.0}
#: The least contrast of a link's full colour (a sign's colour) with the dark background: the
#: playground's blue was 3.4:1 there against its orange's 7.1:1, so the strongest positive
#: links looked like the weakest negative ones and the diagram looked mostly negative.
LINK_END_DARK = 6.5


def link_end(rgb) -> RGB:
    """The full colour of a link whose sign has the colour ``rgb`` (high() or low()): the
    colour itself on the light theme; on the dark theme made lighter, its hue and saturation
    kept (the playground's blue becomes a sky blue, about #5DADE2), until it stands off the
    background by LINK_END_DARK, as the orange does."""
    import colorsys
    rgb = tuple(int(c) for c in rgb[:3])
    t = theme()
    if not t.dark or contrast(rgb, t.background) >= LINK_END_DARK:
        return rgb
    h, light, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    out = rgb
    while contrast(out, t.background) < LINK_END_DARK and light < 1.0:
        light = min(1.0, light + 0.01)
        out = tuple(int(round(c * 255)) for c in colorsys.hls_to_rgb(h, light, s))
    return out


def link_colour(rgb, strength: float, dim: float = 1.0) -> RGB:
    """The colour of a link of sign colour ``rgb`` and ``strength`` (0: the weakest drawn, 1:
    the strongest), ``dim`` (0..1) less strong where many links cross: the link's full colour
    (link_end) over the background, its contrast with the background rising evenly from
    LINK_LEAST (the weakest; less by ``dim``) to that of the strongest (the full colour at
    90%, times ``dim``), so that every link can be seen and the stronger still stand out more."""
    return _link_colour(theme().name, tuple(int(c) for c in rgb[:3]), float(strength),
                        float(dim))


@lru_cache(maxsize=256)
def _link_colour(theme_name: str, rgb: RGB, strength: float, dim: float) -> RGB:
    bg = THEMES[theme_name].background
    end = link_end(rgb)

    def over(a: float) -> RGB:
        return tuple(int(round(b + (k - b) * a)) for k, b in zip(end, bg))
    top = contrast(over(230 / 255 * dim), bg)
    # Where many links cross (dim < 1), the weakest a little fainter too: a 2-512x8-1
    # network's ~1,300 links at 2:1 each would be a block of colour.
    least = min(1.0 + (LINK_LEAST[THEMES[theme_name].dark] - 1.0) * dim, contrast(end, bg))
    want = least + (max(top, least) - least) * min(max(strength, 0.0), 1.0)
    lo, hi = 0.0, 1.0  # the amount of the full colour that gives the contrast wanted
    for _ in range(24):
        mid = (lo + hi) / 2
        if contrast(over(mid), bg) < want:
            lo = mid
        else:
            hi = mid
    return over(hi)


#: The Gradients view's layer colours by theme (dark?), for networks of up to eight layers:
#: blue, ochre, magenta, green, then a deep blue, a brick red, a dark red and a plum (light
#: theme) or a blue, a sea green, a salmon and an aqua (dark theme). Viridis' steps had made
#: the default 2-4-10-4-1's hidden 1, 2 and 3 a dark purple, a navy and a teal, three dark
#: lines hard to tell apart on the light plots (CIEDE2000 28.7 between the first two, 15.6 for
#: a deuteranope) and on the dark ones, lifted, a blue and a teal 5.1 apart for a protanope
#: (r19). Picked by search among the colours that are lines on the theme's plots (3.6:1 on
#: the background, 3.4:1 on the panels, where the key is) and not greys: the first four 37.5
#: apart at least (light theme; 46.9 dark) with normal vision and 18.6 (22.7) with
#: deuteranopia or protanopia; the eight 18.9 (23.7) and 10.3 (11.5).
LAYER_CURVES: dict[bool, tuple[RGB, ...]] = {
    False: ((15, 135, 195), (165, 120, 0), (195, 30, 120), (0, 90, 45), (0, 0, 240),
            (180, 105, 90), (135, 15, 0), (105, 30, 105)),
    True: ((60, 225, 255), (180, 120, 0), (210, 90, 150), (120, 255, 0), (90, 135, 255),
           (45, 150, 105), (255, 180, 165), (75, 255, 210)),
}


def layer_colour(i: int, n: int) -> QColor:
    """Layer ``i`` of ``n`` (the Gradients view's curves and key): up to eight layers, each its
    own colour of the theme's LAYER_CURVES, told apart by a colour-blind viewer too. More than
    eight: viridis from dark purple (the first layer) to green (the output), short of its pale
    yellow end, as the caption says (there is no key then). On the dark theme each is made
    lighter, its hue kept, until it reads on the background and the panels: viridis' dark
    purple, the first hidden layer's, was 1.1:1 on the dark plots."""
    curves = LAYER_CURVES[theme().dark]
    if n <= len(curves):
        return QColor(*curves[i])
    c = pg.colormap.get("viridis").map(0.85 * i / max(n - 1, 1), mode="qcolor")
    t = theme()
    if t.dark:
        for _ in range(20):
            rgb = (c.red(), c.green(), c.blue())
            if min(contrast(rgb, t.background), contrast(rgb, t.panel)) >= READABLE + 0.3:
                break
            c = c.lighter(115)
    return c


def note() -> RGB:
    """Secondary text (a hint, a caption): quieter than the text, still readable."""
    return (170, 172, 176) if theme().dark else (85, 85, 85)


def error() -> RGB:
    """Words that say something went wrong."""
    return (255, 138, 128) if theme().dark else (179, 38, 30)


def ok() -> RGB:
    """Words that say all is well."""
    return (111, 208, 138) if theme().dark else (30, 107, 46)


def accent(rgb) -> RGB:
    """A curve's own colour, lightened on the dark theme so it stands off the ground (a dark
    purple or red line vanished on it). Words in it: :func:`readable`."""
    return readable(rgb, theme().background, READABLE + 0.3)


def tint(label, role: str = "note") -> None:
    """Give ``label`` a colour of the theme (``note``, ``error``, ``text``) through its palette,
    not a style sheet (a style sheet stops presentation mode's larger font reaching it), and
    keep it in the theme as the theme changes."""
    from PySide6.QtGui import QPalette as _P
    first = label.property("nnvizTint") is None
    label.setProperty("nnvizTint", role)

    def apply() -> None:
        kind = label.property("nnvizTint")
        rgb = {"note": note, "error": error, "text": text, "ok": ok}[kind]()
        pal = label.palette()
        pal.setColor(_P.ColorRole.WindowText, QColor(*rgb))
        pal.setColor(_P.ColorRole.Text, QColor(*rgb))
        label.setPalette(pal)
    apply()
    if first:
        follow(label, apply)


def colour_word(rgb) -> str:
    """A plain name for a colour as people name colours: "orange", "blue", "dark blue",
    "yellow", "grey-blue" (a palette's colours named as they look, not as the default
    palette's orange and blue): the words of the explanations, the legends and the captions."""
    import colorsys
    r, g, b = (c / 255 for c in rgb[:3])
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    chroma = max(r, g, b) - min(r, g, b)
    if chroma < 0.1:
        return ("white" if light > 0.9 else "light grey" if light > 0.7 else
                "black" if light < 0.12 else "dark grey" if light < 0.35 else "grey")
    hue = h * 360
    for top, word in ((15, "red"), (42, "orange"), (68, "yellow"), (165, "green"),
                      (195, "turquoise"), (255, "blue"), (290, "purple"), (340, "pink"),
                      (361, "red")):
        if hue < top:
            break
    if word == "yellow" and light < 0.35:
        word = "olive"
    if word == "orange" and light < 0.3:
        word = "brown"
    if sat < 0.35 and chroma < 0.3:
        return f"grey-{word}" if word != "blue" else "grey-blue"
    if light < 0.3:
        return f"dark {word}"
    if light > 0.75:
        return f"light {word}"
    return word


def colour_html(rgb) -> str:
    """The colour's word ('blue') in bold and in the colour (made readable on the theme's
    ground)."""
    return f"<span style='color:{hex_of(readable(rgb))}'><b>{colour_word(rgb)}</b></span>"


def scale_html(high_meaning: str, low_meaning: str) -> str:
    """'<blue> high, <orange> low' in the current palette's words and colours (colour_html)."""
    return f"{colour_html(high())} {high_meaning}, {colour_html(low())} {low_meaning}"


def _finer(plane: np.ndarray, fine: int, axis: int) -> np.ndarray:
    """``plane`` interpolated linearly along ``axis`` at ``fine`` times its density: n values
    give (n - 1) * fine + 1, the first and last kept. Elementwise, not a matrix product: numpy's
    BLAS threads took 0.1-40 ms for the same small product on a busy machine."""
    a = np.moveaxis(plane, axis, 0)
    w = (np.arange(fine, dtype=np.float32) / fine).reshape((1, fine) + (1,) * (a.ndim - 1))
    inner = a[:-1, None] * (1 - w) + a[1:, None] * w  # (n - 1, fine, ...)
    out = np.concatenate([inner.reshape((-1,) + a.shape[1:]), a[-1:]])
    return np.moveaxis(out, 0, axis)


def class_image(scores: np.ndarray, discretize: bool = False, fine: int = 1) -> np.ndarray:
    """RGB uint8 (res_y, res_x, 3) for class scores (res_y, res_x, K): the argmax class's colour,
    its strength the confidence (chance level -> the background, certain -> full colour).

    ``fine`` > 1: the scores interpolated between the grid's points first (bilinearly, at
    ``fine`` times the density: ((res_y - 1) * fine + 1, ...)), so the line where one class
    wins over another runs between them. Coloured at the grid's points only and smoothed on
    the screen, a boundary across the grid was a staircase, each step a grid cell (~6 px at
    100x100 on the 1400x900 window), pale dots where it turned (review r19)."""
    k = scores.shape[-1]
    ny, nx = scores.shape[:2]
    fine = fine if ny > 1 and nx > 1 else 1
    # One class's scores at a time (contiguous planes: a reduction over the last axis of three
    # was the image's most costly step).
    planes = [np.ascontiguousarray(scores[..., c], np.float32) for c in range(k)]
    if fine > 1:
        planes = [np.ascontiguousarray(_finer(_finer(p, fine, 0), fine, 1)) for p in planes]
    best, winner = planes[0].copy(), np.zeros(planes[0].shape, np.intp)
    for c in range(1, k):
        more = planes[c] > best  # ties go to the lower class, as np.argmax
        np.copyto(best, planes[c], where=more)
        winner[more] = c
    out = np.empty(winner.shape + (3,), np.uint8)
    if discretize:  # each predicted class's region (discrete_region): the points stand off it
        table = np.array([discrete_region(i) for i in range(k)], np.uint8)
        for ch in range(3):
            out[..., ch] = np.take(table[:, ch], winner)
        return out
    total = np.maximum(sum(planes), 1e-12)  # scores need not sum to one (mse)
    conf = np.clip(best / total, 0, 1)
    strength = np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1)
    strength = 0.15 + 0.85 * strength  # some colour even at chance: the winner is still shown
    bg = np.array(background(), np.float32)
    table = np.array([_mix(class_color(i), background(), _HEAT_FADE) for i in range(k)],
                     np.float32)
    # bg - strength * (bg - the winner's colour), a channel at a time (a gather of (H, W, 3)
    # from the table and its arithmetic cost ~8x as much at 300x300).
    for ch in range(3):
        part = np.take(bg[ch] - table[:, ch], winner)
        part *= strength
        out[..., ch] = np.subtract(bg[ch], part, out=part)
    return out


def whole(html: str) -> str:
    """``html`` kept on one line where a label wraps its text (it goes to the next whole)."""
    return f"<span style='white-space:nowrap'>{html}</span>"


def class_key_html(names, test: bool = True, discretize: bool = False) -> str:
    """A key of the classes for a label: each class's shape in its colour (``discretize``: the
    points' fill under Discretize, discrete_fill) and its name; then the test points' look."""
    def fill(k: int) -> RGB:
        return discrete_fill(k) if discretize else point_fill(class_color(k))
    # Each entry whole on a line: a narrow key wraps between them, not inside a name.
    parts = [whole(f"<span style='color:{hex_of(fill(k))}'>"
                   f"{class_glyph(k)}</span>&nbsp;{name}")
             for k, name in enumerate(names)]
    if test:
        parts.append(whole("hollow: test"))
    return " &nbsp; ".join(parts)


#: The least contrast of a test point's outline with the dark background: a 2-pixel line
#: needs more than words do (the playground's blue, 3.4, was a faint ring on the dark theme).
OUTLINE_CONTRAST = 4.5


#: How much of the dark background a hollow (test) point's inside takes on the dark theme.
DARK_TEST_FILL_ALPHA = 170


def test_fill() -> tuple[int, int, int, int]:
    """The inside of a hollow (test) point, RGBA. On the light theme the background, nearly
    opaque: the outline then shows on a heatmap of its own class's colour, and the point looks
    like a ring on white. On the dark theme the background two-thirds over the heatmap: the
    region still shows through, dimmed (an opaque near-black read as a filled dark point, not a
    hollow one), and the light ring stands off the inside (with nothing inside, a ring in its
    class's colour on its own class's region was a faint ring, 1.9:1 for the orange)."""
    return (*background(), DARK_TEST_FILL_ALPHA if theme().dark else 235)


def test_outline(rgb) -> RGB:
    """The outline of a hollow (test) point of colour ``rgb``: the colour itself on the light
    theme; on the dark one lifted towards the text colour until it stands off the background
    (OUTLINE_CONTRAST), so that a dark class colour is not a faint ring on black."""
    rgb = tuple(int(c) for c in rgb[:3])
    return mark(rgb, least=OUTLINE_CONTRAST) if theme().dark else rgb


#: The least contrast of a filled (training) point's colour with the dark background.
POINT_CONTRAST = MARK_CONTRAST


def point_fill(rgb) -> RGB:
    """The fill of a filled (training) point of class colour ``rgb``, and its swatch in the
    key: the colour itself, except on the dark theme where a colour that does not stand off the
    background (cividis' navy, 1.0:1; its slate blue, 1.9:1) is lifted towards the text colour
    until it does. Otherwise the navy disc sat on its navy region like the hollow test points,
    whose inside shows the region on the dark theme. On the light theme a point's dark rim
    (``point_rim``) is what stands off the white, and a class keeps its own colour (the
    playground's orange is 2.3:1 on white, Paul Tol's and cividis' yellows 1.9 and 1.6)."""
    rgb = tuple(int(c) for c in rgb[:3])
    return mark(rgb, least=POINT_CONTRAST) if theme().dark else rgb


#: Under Discretize, how far a predicted class's region is faded towards the background, and
#: the least contrast of a training point's fill with its own class's region there. At full
#: colour (as it was) a point's fill was its region's colour, 1.0:1: every correctly
#: classified point looked hollow, the key's look of a test point (r3 #9).
DISCRETE_FADE = 0.55
DISCRETE_POINT_CONTRAST = 3.0


def discrete_region(k: int) -> RGB:
    """The region of predicted class ``k`` under Discretize: its colour, faded towards the
    background (paler on the light theme, darker on the dark one)."""
    return _mix(class_color(k), background(), DISCRETE_FADE)


def discrete_fill(k: int) -> RGB:
    """The fill of a training point of class ``k`` under Discretize: its usual fill
    (point_fill), moved towards the theme's text colour (darker on the light theme, lighter on
    the dark one) until it stands off its own class's region (discrete_region) by
    DISCRETE_POINT_CONTRAST: a filled point on the region of the class it was predicted."""
    return readable(point_fill(class_color(k)), discrete_region(k),
                    DISCRETE_POINT_CONTRAST + 0.1)


def point_rim() -> RGB:
    """The rim of a filled point: the opposite of the background, so that a point stands off a
    heatmap of its own class's colour (faded towards the background) and a dark class colour
    (cividis' navy) stays visible on the dark theme."""
    return (235, 235, 235) if theme().dark else (30, 30, 30)


#: The links' colour by theme (dark?): the dark one's 5.6:1 on its panel (Qt's own blue,
#: #0000FF, was 2:1 there: the Gradients view's "More..." could hardly be read).
LINK = {False: (0, 0, 238), True: (120, 170, 240)}
#: The ring around the button that has the keyboard's focus (keys.FocusRing): 3:1 or more on
#: the panel, where the style's 1-px blue outline did not show on a projector.
FOCUS_RING = {False: (0, 84, 190), True: (120, 170, 240)}


def link(href: str, text: str) -> str:
    """A rich-text link in the theme's link colour. A QLabel takes a link's colour from the
    palette when its text is set: write the text again when the look changes."""
    return f"<a href='{href}' style='color:{hex_of(LINK[theme().dark])}'>{text}</a>"


def focus_ring() -> QColor:
    return QColor(*FOCUS_RING[theme().dark])


# --- applying a theme to widgets -----------------------------------------------------------------

def qt_palette() -> QPalette:
    """The application's palette for the current theme (Fusion's own for the light one)."""
    from PySide6.QtWidgets import QApplication
    t = theme()
    app = QApplication.instance()
    if not t.dark:
        return app.style().standardPalette() if app is not None else QPalette()
    pal = QPalette()
    bg, fg = QColor(*t.panel), QColor(*t.text)
    base = QColor(*t.background)
    R = QPalette.ColorRole
    for role, colour in ((R.Window, bg), (R.WindowText, fg), (R.Base, base),
                         (R.AlternateBase, bg), (R.ToolTipBase, QColor(60, 63, 68)),
                         (R.ToolTipText, fg), (R.Text, fg), (R.Button, QColor(58, 61, 66)),
                         (R.ButtonText, fg), (R.BrightText, QColor(255, 120, 120)),
                         (R.Highlight, QColor(70, 120, 190)),
                         (R.HighlightedText, QColor(255, 255, 255)),
                         (R.Link, QColor(*LINK[True])),
                         (R.PlaceholderText, QColor(150, 150, 150))):
        pal.setColor(role, colour)
    grey = QColor(130, 130, 130)
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return pal


def style_view(view) -> None:
    """Background, axes, titles, legends and notes of a pyqtgraph widget (a PlotWidget or a
    GraphicsLayoutWidget) in the current theme."""
    t = theme()
    view.setBackground(t.background)
    fg = hex_of(t.text)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            # In this order: setPen gives the axis title the line's grey, setTextPen the text's.
            item.setPen(t.axis)
            item.setTextPen(t.text)
        elif isinstance(item, pg.LegendItem):
            item.setLabelTextColor(t.text)
            for _, label in item.items:  # pyqtgraph stores the colour, draws it at setText
                label.setText(label.text)
            item.setBrush(pg.mkBrush(*t.background, 200))
            item.setPen(pg.mkPen(*t.axis))
        elif isinstance(item, pg.LabelItem) and not isinstance(item.parentItem(), pg.LegendItem) \
                and not _in_legend(item):
            item.setAttr("color", fg)
            item.setText(item.text)
        elif isinstance(item, pg.TextItem):
            item.setColor(t.text)


def _in_legend(item) -> bool:
    p = item.parentItem()
    while p is not None:
        if isinstance(p, pg.LegendItem):
            return True
        p = p.parentItem()
    return False
