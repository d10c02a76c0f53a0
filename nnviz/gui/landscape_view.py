"""The Landscape view: the loss over a plane through weight space, the run's path across it,
the loss along the line from the initial weights, and the sharpness against 2/lr.

Left: the heatmap of ``L(centre + a d1 + b d2)`` with contours and a colour bar, the path of the
run (from the run log's checkpoints) and the model shown (the white dot). Click or drag on it:
the model's weights become that point's (through the window's ``set_params``, one Undo step per
click or drag) and every view shows that model; the plane then stays put ("pinned") until
"Follow the weights" lets it follow the weights shown again. Right: the loss on the straight line
from the initial weights to the current ones and on to 1.5x (train and test); along the path, the
loss the model really had beside the loss of its shadow on the plane; the sharpness (the
Hessian's largest eigenvalue) over the run with the line 2/lr. The numbers come from
:class:`nnviz.core.landscape_probe.LandscapeProbe` in the worker thread; this view only draws.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import (QBoxLayout, QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QStyle, QStyleOptionComboBox,
                               QVBoxLayout, QWidget)

from nnviz.core.errors import NnvizError
from nnviz.core.landscape import DIRECTIONS, variance_shares
from nnviz.core import landscape_probe
from nnviz.core.landscape_probe import LandscapeProbe, LandscapeResult

from . import colors
from .actions.undo import AppliedCommand
from .stepped_range import nice_range
from .widgets import (MIN_TITLE_PT, TITLE_PT, CappedScroll, Column, FittedCombo, FittingLabel,
                      LabelRoom, LogAxis, SparseAxis, add_layout, auto_button_once_moved,
                      cache_axes, colour_bar, fit_colour_bar, loose_title, move_points,
                      power_of_ten)

# The probe's share of the worker's time while training runs: a grid of losses and the path's
# cost far more than a frame, so while playing the view is redrawn now and then, not per frame.
LANDSCAPE_BUDGET = 0.05
DRAG_SEND_S = 0.05  # while dragging, new weights go to the worker at most this often
CONTOURS = 10
_TINY = 1e-12

EDGE_OF_STABILITY = (
    "<b>Sharpness</b> is the loss's steepest curvature: the largest eigenvalue of its Hessian. "
    "Along a direction of curvature <i>s</i>, a gradient-descent step multiplies the distance to "
    "the bottom by (1 &minus; lr&middot;<i>s</i>): it overshoots, and grows, once <i>s</i> &gt; "
    "<b>2/lr</b> (dashed). With plain gradient descent the sharpness typically climbs until it "
    "reaches 2/lr and then hovers there, the loss still falling on the whole: the <b>edge of "
    "stability</b> (Cohen et al. 2021). A learning rate whose 2/lr lies below the sharpness "
    "where the run is makes the loss blow up: that is why a rate diverges.")


SHARP, LIMIT, PATH = (120, 60, 170), (200, 40, 40), (230, 60, 40)
# sharpness.stability_limit's formulas, as the summary writes them (momentum: (2 + 2 x 0.9)/lr),
# a word joiner after the slash: <nobr> makes Qt's spaces non-breaking but leaves a break after
# "/", and the summary could end a line with "the stability limit 2/" and begin the next with
# "lr = 2)".
LIMIT_FORMULAS = {"gd": "2/\u2060lr", "momentum": "3.8/\u2060lr"}


# px: three side plots, each a two-line title, an axis and a curve; below it they scroll. Low
# enough that they do not at 1024x768 in either mode (at 440 the sharpness plot's axis was cut
# beside the settings, and presentation mode put them under the map, below the fold).
MIN_PLOTS_HEIGHT = 330
# px at 100%, times the text's scale: each side plot's height once they lie under the map (a
# larger text in a narrow view, _stacks): a two-line title, the curve, the axis and its words.
STACKED_PLOT_PX = 150
# Beside the map the side plots' titles are fitted to their width; below this share of their
# full size (the text's scale) they go under the map instead, where they are whole. At 1024x768
# and text size 150% the titles shrank to ~10 px beside ~16 px tick numbers, the three plots
# 40 px strips with their axis words gone (review r23 F15). At 1400x900 and 150% they fit
# beside it at about the numbers' size (0.82 of theirs), plots ~110 px high: they stay there,
# all in view.
STACK_BELOW = 0.75
HINT = "Click or drag on the map to move the model (Ctrl+Z undoes)."
SUMMARY_TIP = ("Where the model is on this plane, its sharpness, and how far the run's path lies "
               "off the plane (in red where the plane shows it poorly: the map's colours along "
               "the path are then far from the losses the run had).")
PREPARING = "Preparing the landscape (compiling its functions for this network)\u2026"
# Another run (a new network, new data, Reset): its first frame comes once its model has
# compiled; the last run's map, path and sharpness stayed until then (30 s at 512 units,
# reviewer) under a header saying epoch 0.
PREPARING_NEW = "Preparing the landscape of the new run (once its model has compiled)\u2026"
# The worker published the window's epoch before this view's new numbers (core.loop's
# SLOW_PROBE_S: a wide network's landscape takes seconds), which follow.
COMPUTING = "Computing the landscape of epoch {epoch:,}\u2026"
COMPILE_POLL_MS = 300  # how often the view looks whether the probe's functions have compiled
MIN_EPOCHS_SHOWN = 5  # the side plots' epoch axes span at least this many (whole epochs)
MIN_MAP_HEIGHT = 200  # px: the map never scrolls; below this the view is too short anyway
BAR_TICK_LINES = 1.5  # the colour bar's numbers this many of their lines apart at least
COLORBAR_LOG_TITLE = "loss<br>(log)"  # narrow: the bar's column takes the plane's width
# The relative gap between the path's loss and its shadow's on the plane beyond which the
# summary warns (in the error colour) that the map misrepresents the path; below it, and above
# 5%, it says so in plain words.
POOR_PLANE_GAP = 0.25
POOR_PLANE_SHARE = 0.8  # a PCA plane holding less of the path's variance than this: also poor
FEW_PATH_POINTS = 24  # a path of at most this many points has them marked on its plot
# A path of at most this many checkpoints lies in any plane through the model (the centre is
# its last point: two vectors from it span a plane), so "the plane holds 100% of the path's
# variance" and "the path close to the plane" say nothing of it (review r24 F3: a 2-512x8-1
# run keeps 2-3 checkpoints of its 1.8M weights in the run log's budget).
PLANE_HOLDS_ANY = 3
# A sharpness curve of at most this many estimates is drawn as its points: a line joining
# epoch 0's 234 to epoch 232's 0.006 read, clipped at the limit, as a sudden fall at ~230
# where the loss fell at ~50 (review r24 F4).
FEW_SHARP_POINTS = 8


#: A colour bar's 1 to 9 x 10^k ticks, roundest first: where they would touch, the first kept.
ROUND_FIRST = (1, 5, 2, 3, 4, 6, 8, 7, 9)


def loss_ticks(lo: float, hi: float, apart: float = 0.0) -> list[tuple[float, str]]:
    """Ticks for a colour bar of log10 losses from ``lo`` to ``hi``: at the powers of ten, or
    at 1, 2 and 5 x 10^k (then 1, 2, 3, 5, then 1 to 9) when fewer than three of those fall
    inside, else a few evenly spaced losses; each written as the loss ("0.3", "0.01"; powers
    of ten beyond 0.001 to 10,000). No two less than ``apart`` (log10 units) apart: the
    roundest kept (at presentation mode's and 150 % text's size, 0.8 and 0.9 of a bar from
    0.25 to 0.95 touched)."""
    return _thinned(_loss_ticks(lo, hi), apart)


def _thinned(ticks: list[tuple[float, str]], apart: float) -> list[tuple[float, str]]:
    """``ticks`` less those within ``apart`` of one kept before: the roundest first (the
    fewest significant digits, then 1, 5, 2, 3, ...), in their order."""
    if apart <= 0 or len(ticks) < 2:
        return ticks

    def roundness(t: tuple[float, str]) -> tuple[int, int]:
        m = f"{10.0 ** (t[0] - math.floor(t[0] + 1e-9)):.6g}"  # its mantissa, "5", "2.5"
        digits = len(m.replace(".", "").strip("0"))
        return digits, ROUND_FIRST.index(int(m[0])) if m[0] in "123456789" else 9
    kept: list[tuple[float, str]] = []
    for t in sorted(ticks, key=roundness):
        if all(abs(t[0] - k[0]) >= apart for k in kept):
            kept.append(t)
    return sorted(kept)


def _loss_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or not hi > lo:
        return []
    decades = range(math.floor(lo) - 1, math.ceil(hi) + 1)
    inside = []
    for ms in ((1,), (1, 2, 5), (1, 2, 3, 5), tuple(range(1, 10))):
        ticks = [(math.log10(m) + k, m * 10.0 ** k) for k in decades for m in ms]
        inside = [(v, x) for v, x in ticks if lo - 1e-9 <= v <= hi + 1e-9]
        if len(inside) >= 3:
            break
    if len(inside) < 2:  # a narrow band of losses: evenly spaced ones, to the digits needed
        a, b = 10.0 ** lo, 10.0 ** hi
        step = 10.0 ** math.floor(math.log10((b - a) / 2))
        step *= next((m for m in (5, 2, 1) if (b - a) / (step * m) >= 2), 1)
        xs = [x for x in (math.ceil(a / step) * step + i * step for i in range(12)) if x <= b]
        for digits in range(2, 8):
            texts = [f"{x:.{digits}g}" for x in xs]
            if len(set(texts)) == len(texts):
                break
        return [(math.log10(x), t) for x, t in zip(xs, texts)]
    plain = 1e-3 <= 10.0 ** lo and 10.0 ** hi < 1e4
    return [(v, f"{float(f'{x:.1g}'):g}" if plain else power_of_ten(x)) for v, x in inside]


@dataclass(frozen=True)
class MapPicture:
    """What the map draws of a landscape on one scale (log or not): the image's values, the
    colours' levels and the contour lines, each a QPainterPath (a value, not a QObject: it may
    be made in any thread)."""
    land: object  # the Landscape it is of
    log: bool
    shown: np.ndarray  # the values coloured (log10 of the losses on the log scale), finite
    levels: tuple[float, float]  # the colours' (and the colour bar's) lowest and highest
    contours: tuple  # ((level, QPainterPath), ...): CONTOURS of them


def map_picture(land, log: bool) -> MapPicture:
    """The map's picture of ``land``: pyqtgraph's marching squares for the contours (as its
    IsocurveItem draws them), done here once per landscape. In the GUI thread they were ~8 ms of
    each new landscape's stall (ten levels over a 41x41 grid, in Python), so the worker makes
    them (the probe's ``picture``) and the GUI thread only hands the paths to the items."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        values = land.values
        shown = np.log10(np.maximum(values, _TINY)) if log else values
        finite = shown[np.isfinite(shown)]
        lo, hi = ((float(finite.min()), float(np.percentile(finite, 98))) if finite.size
                  else (0, 1))
        if not hi > lo:
            hi = lo + 1.0
        shown = np.nan_to_num(shown, nan=hi, posinf=hi, neginf=lo)
        contours = []
        for level in np.linspace(lo, hi, CONTOURS + 2)[1:-1]:
            # As pg.IsocurveItem.generatePath (row-major data: transposed).
            path = QPainterPath()
            for line in pg.functions.isocurve(shown.T, level, connected=True, extendToEdge=True):
                path.moveTo(*line[0])
                for p in line[1:]:
                    path.lineTo(*p)
            contours.append((level, path))
    return MapPicture(land, log, shown, (lo, hi), tuple(contours))


class MapPictures:
    """The probe's ``picture``: a landscape's MapPicture on the scale the view shows (``log``,
    set by the GUI thread, read by the worker's; shared by every copy of the probe), the last
    one kept (a pinned plane's landscape comes again and again)."""

    def __init__(self, log: bool = True) -> None:
        self.log = log
        self._last: MapPicture | None = None

    def __call__(self, land) -> MapPicture:
        last, log = self._last, self.log
        if last is None or last.land is not land or last.log != log:
            last = self._last = map_picture(land, log)
        return last


class Contour(pg.IsocurveItem):
    """A contour line whose path is made elsewhere (map_picture, in the worker thread): the
    GUI thread sets it, where pyqtgraph's item computed it on its first paint."""

    def set_path(self, data, level, path: QPainterPath) -> None:
        self.level, self.data, self.path = level, data, path
        self.prepareGeometryChange()
        self.update()


def _sharpness_title(limit: str) -> str:
    """The sharpness plot's title, which names its curves (``limit``: "" for none), on two
    lines broken where the longer is shortest: on one, the title's width pushed the right
    column's plots out of the window (1400x900 beside the settings); broken after "eigenvalue)"
    its first line was the widest title of the column, which shrank it at 1024x768."""
    purple, red = (colors.hex_of(colors.readable(c, colors.background())) for c in (SHARP, LIMIT))
    words = [f"<span style='color:{purple}'>sharpness</span>", "(the", "Hessian's", "top",
             "eigenvalue)"]
    plain = ["sharpness", "(the", "Hessian's", "top", "eigenvalue)"]
    if limit:
        words += ["and", f"<span style='color:{red}'>{limit}</span>", "(dashed)"]
        plain += ["and", limit, "(dashed)"]
    else:
        words += ["(no", "2/lr", "line", "for", "this", "optimiser)"]
        plain += ["(no", "2/lr", "line", "for", "this", "optimiser)"]
    cut = min(range(1, len(words)), key=lambda i: max(len(" ".join(plain[:i])),
                                                      len(" ".join(plain[i:]))))
    return " ".join(words[:cut]) + "<br>" + " ".join(words[cut:])


def _epoch_range(plot, epochs: np.ndarray) -> None:
    """An epoch axis fitted to the path, or 0 (its first epoch) to MIN_EPOCHS_SHOWN while the
    path is shorter: at epoch 0 pyqtgraph centred its one point, an axis from -0.4 to 0.4
    epochs."""
    first = float(epochs[0]) if len(epochs) else 0.0
    axis = plot.getAxis("bottom")
    if len(epochs) and float(epochs[-1]) - first >= MIN_EPOCHS_SHOWN:
        if not plot.vb.autoRangeEnabled()[0]:
            plot.enableAutoRange(x=True)
            axis.setTickSpacing()  # pyqtgraph's again
    else:
        plot.setXRange(first, first + MIN_EPOCHS_SHOWN, padding=0.04)
        axis.setTickSpacing(1, 1)  # whole epochs (there are no others)


class PlaneViewBox(pg.ViewBox):
    """A view box where a left click or drag picks a point (a, b) instead of panning."""

    picked = Signal(float, float, bool)  # a, b, the gesture's last point

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.picked.emit(p.x(), p.y(), True)
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (pyqtgraph)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.picked.emit(p.x(), p.y(), ev.isFinish())
        else:
            super().mouseDragEvent(ev, axis)


class WeightsCommand(AppliedCommand):
    """Weights set from the landscape; applied already when pushed. ``before`` and ``after``
    are (weights, the view's state: see LandscapeView._view_state), both put back: an undone
    click left its "+" and its pinned plane, and the summary said "plane pinned where you
    clicked" of a model that was no longer there."""

    def __init__(self, set_params, before, after, put_view=None) -> None:
        super().__init__("weights from the landscape", before, after)
        self.set_params, self.put_view = set_params, put_view

    def put(self, value, undoing: bool) -> None:
        params, view_state = value
        if self.put_view is not None:
            self.put_view(view_state)
        try:
            self.set_params(params)
        except NnvizError:
            pass  # the run has changed shape since: nothing to put back


class LandscapeView(QWidget):
    """The "landscape" view."""

    def __init__(self, set_params=None, undo_stack=None, parent: QWidget | None = None) -> None:
        """``set_params(params)`` applies weights (the window's); ``undo_stack()`` gives the
        QUndoStack a click's step goes on (or None)."""
        super().__init__(parent)
        self.extras_key = "landscape"
        self.set_params, self.undo_stack = set_params, undo_stack
        self.probe = LandscapeProbe(budget=LANDSCAPE_BUDGET)
        self.pictures = MapPictures()  # the map's picture of each landscape, made by the worker
        self.probe.picture = self.pictures
        self._picture: MapPicture | None = None  # the one drawn last
        self.tracker = None  # set by build_view: sends the probe's settings to the worker
        self.playing = lambda: False
        self.snapshot = None
        self.result: LandscapeResult | None = None
        self._polling = False  # waiting for the probe's functions to compile (_when_compiled)
        self._drawn = None
        self._extent = None
        self._gesture: dict | None = None  # the click or drag in progress
        self._limit_label = "2/lr"
        self._path_start = None  # the start mark's point, as drawn
        self._axis_texts = None  # the plane's axis labels, as the plane names them
        self._line_has_test = True  # the line plot's title names a test curve (until a run has none)
        # What the line plot shows: (restored epoch, the line's end epoch, whether it has a
        # line at all), as LandscapeResult says; its title and the map's key follow it.
        self._line_kind = (-1, -1, True)
        self._points = ""  # the line plot's title's "(256 points)" where the numbers use fewer
        self._path_marked = False  # the "along the path" plot marks its points (a few)
        self._sharp_points_only = False  # the sharpness curve's points alone (a few)

        self.directions = FittedCombo()
        for key, text in DIRECTIONS.items():
            self.directions.addItem(text, key)
        self.directions.setToolTip(
            "The plane through weight space: the two directions that make its axes.")
        self.directions.currentIndexChanged.connect(self._directions_changed)
        self.log_scale = QCheckBox("log scale")
        self.log_scale.setChecked(True)
        self.log_scale.setToolTip("Colour the loss on a log scale (its edges are far higher "
                                  "than the valley).")
        self.log_scale.toggled.connect(self._log_toggled)
        self.follow = QPushButton("Follow the weights")
        self.follow.setToolTip("The plane was pinned by a click: centre it on the weights shown "
                               "again.")
        self.follow.clicked.connect(self.unpin)
        self.follow.setEnabled(False)
        # One line beside the button, in shorter words where the longer do not fit: wrapped,
        # it took two lines from the plots (presentation mode at 1024x768; at 1280x720 they
        # left the map under 120 px high).
        self.hint = FittingLabel()
        self.hint.set_texts(HINT, "Click or drag on the map to move the model.",
                            "Click the map to move the model.",
                            tip=f"{HINT} The model takes the weights of the point clicked: "
                                "every view shows that model.")
        colors.tint(self.hint, "note")
        # The first row set the view's least width (832 px in presentation mode: the combo at
        # its longest item's width, and the button): at 1024x768 the window's left column (the
        # readout and the loss plot) was squeezed to 170 px. The combo may now shrink (its text
        # elided, the list as wide as its items) and the button goes beside the hint, which
        # wraps.
        self.directions.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.directions.setMinimumContentsLength(12)
        top = QHBoxLayout()
        top.addWidget(QLabel("Directions:"))
        top.addWidget(self.directions, 1)
        top.addWidget(self.log_scale)
        top.addStretch(0)  # what the combo leaves at its widest
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.follow, 0, Qt.AlignmentFlag.AlignTop)

        self.summary = QLabel()
        self.summary.setToolTip(SUMMARY_TIP)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        colors.tint(self.message, "error")
        self.message.hide()
        self.explanation = QLabel(EDGE_OF_STABILITY)
        self.explanation.setToolTip("Why a learning rate diverges: the sharpness plot, read.")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        colors.tint(self.explanation, "text")

        # The map in a widget of its own, always as tall as the view has room for; the side
        # plots beside it scroll when they need more height (presentation mode on a projector):
        # in one scrolled widget the map scrolled too, and the model's white dot lay below the
        # visible part at 1024x768 and 1400x900.
        self.map_glw = pg.GraphicsLayoutWidget()
        self.map_glw.setBackground("w")
        # The map is the loss sampled at 41x41 points of a continuous surface (each cell centred
        # on its sample, _redraw): blended between samples, as the loss is, under the smooth
        # contours, not hard squares (~12 device px each at 200 %).
        self.map_glw.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.map_glw.setToolTip("The training loss over a plane through weight space: click or "
                                "drag to move the model there.")
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground("w")
        self.glw.setToolTip("The loss on the line from the initial weights, the loss along the "
                            "path, the sharpness over the run with 2/lr.")
        self.vb = PlaneViewBox(enableMenu=False)
        self.vb.setMouseEnabled(False, False)
        self.vb.picked.connect(self._picked)
        # SparseAxis: in a narrow map (1024x768 at text size 150%) pyqtgraph's five numbers
        # ran together as "-0.500.5" (review r21 F9); every other one goes where they touch.
        self.map = self.map_glw.addPlot(row=0, col=0, viewBox=self.vb,
                                        title="training loss over the plane", enableMenu=False,
                                        axisItems={"bottom": SparseAxis("bottom")})
        self.map.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-20)
        self.map.addItem(self.image)
        # What the colours mean, under the bar and across it (the bottom axis's row): up the
        # bar's right side, "log10 loss" read as the title of the side plot beside it.
        self.colorbar, self.colorbar_title = colour_bar(
            self.map, pg.colormap.get("viridis"), COLORBAR_LOG_TITLE, image=self.image)
        self._bar_levels: tuple[float, float, bool] | None = None  # (lo, hi, log) (_tick_bar)
        self._bar_ticks: list | None = None  # the ticks set (None: pyqtgraph's)
        # The bar's numbers a line apart at its every height and text size (_tick_bar).
        self.colorbar.axis.geometryChanged.connect(self._tick_bar)
        self.contours = []
        for _ in range(CONTOURS):
            iso = Contour(level=0, pen=pg.mkPen(255, 255, 255, 110, width=1),
                          axisOrder="row-major")
            iso.setParentItem(self.image)
            self.contours.append(iso)
        self.path_curve = pg.PlotDataItem(pen=pg.mkPen(230, 60, 40, width=2.5))
        self.path_start = pg.ScatterPlotItem(size=10, brush=(230, 60, 40), pen="w", symbol="s")
        self.path_now = pg.ScatterPlotItem(size=14, brush="w", pen=pg.mkPen("k", width=2))
        self.picked_mark = pg.ScatterPlotItem(size=16, brush=None, pen=pg.mkPen("w", width=2),
                                              symbol="+")
        for item in (self.path_curve, self.path_start, self.path_now, self.picked_mark):
            item.setZValue(10)
            self.map.addItem(item)
        # The key under the map, not over it: on the map it hid the bottom of the plane.
        self.map_key = QLabel()
        self.map_key.setWordWrap(True)
        self.map_key.setTextFormat(Qt.TextFormat.RichText)
        self.map_key.setToolTip("What the marks on the map are.")

        # No legends (over the curves at 1024x768): each title names its curves, in their
        # colours, as the sharpness plot's does.
        self.line_plot = self._side_plot(0, self._line_title(), "alpha")
        self.line_train = self.line_plot.plot([], [], pen=pg.mkPen(colors.TRAIN_CURVE, width=2),
                                              name="train")
        self.line_test = self.line_plot.plot([], [], pen=pg.mkPen(colors.TEST_CURVE, width=2),
                                             name="test")
        self.line_marks = [pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(
            150, 150, 150, style=Qt.PenStyle.DotLine)) for x in (0.0, 1.0)]
        for mark in self.line_marks:
            self.line_plot.addItem(mark)
        self.path_plot = self._side_plot(1, self._path_title(), "epoch")
        self.path_real = self.path_plot.plot([], [], pen=pg.mkPen(colors.TRAIN_CURVE, width=2),
                                             name="the model")
        self.path_shadow = self.path_plot.plot([], [], pen=pg.mkPen(230, 60, 40, width=2,
                                                                     style=Qt.PenStyle.DashLine),
                                               name="on the plane")
        # After a divergence: the model shown (the weights put back) at its epoch, apart from
        # the path's curve (a line down from 1e8 to it read as the run learning).
        self.path_restored = pg.ScatterPlotItem(size=10, brush="w", pen=pg.mkPen("k", width=2))
        self.path_plot.addItem(self.path_restored)
        self._limit_label = "2/lr"
        self.sharp_plot = self._side_plot(2, _sharpness_title("2/lr"), "epoch")
        self.sharp_curve = self.sharp_plot.plot([], [], pen=pg.mkPen(120, 60, 170, width=2),
                                                symbol="o", symbolSize=4,
                                                symbolBrush=(120, 60, 170), symbolPen=None,
                                                name="sharpness")
        self.limit_curve = self.sharp_plot.plot([], [], pen=pg.mkPen(200, 40, 40, width=2,
                                                                      style=Qt.PenStyle.DashLine),
                                                name="2/lr")
        self.sharp_note = pg.TextItem("", color=(120, 60, 170), anchor=(0, 0))
        # Not part of the plot's auto range: the note ignores the view's scale (a TextItem), so
        # its bounds in data units shrink as the range does. Placed at the one epoch of a run
        # at epoch 0 ("compiling..."), it pulled the x range down to 1e-307 wide and the range
        # never recovered: the live plot stayed empty (no curve, no 2/lr, no x ticks) all run.
        # In the plot's own pixels, not its data's: placed at an epoch, "up to 7.6e+04: off
        # the s..." ran past the plot's right edge and over the 2/lr line (review r19) when the
        # highest sharpness was the run's last. Now always at the top corner, inside, wrapped
        # to the plot's width (_place_sharp_note).
        self.sharp_note.setParentItem(self.sharp_plot.vb)
        self.sharp_note.textItem.document().setDocumentMargin(1)  # 4 px: it reached the line
        self._sharp_note_right = True
        self._sharp_note_texts = ("",)  # its wordings, the longest first: the first that fits
        self.sharp_plot.vb.sigResized.connect(self._place_sharp_note)
        loose_title(self.map, 6)  # left axis, plane, right axis, -, spacer, colour bar
        for plot in (self.line_plot, self.path_plot, self.sharp_plot):
            loose_title(plot, 3)
        self.scale = 1.0  # the widths below are the normal mode's
        self.apply_look()
        colors.follow(self, self.apply_look)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        add_layout(lay, top)
        add_layout(lay, hint_row)
        # Below the controls, one column: in presentation mode it scrolls as a whole, the map
        # as wide as the view, the side plots under it at full width and the explanation whole
        # (beside each other at 1024x768 the map was ~200 px across, the side plots' titles
        # tiny and the explanation a 2-line box cut at the right).
        self.body = QWidget()
        column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 0, 0, 0)
        self.column = Column(self.body)
        lay.addWidget(self.column, 1)
        self.summary_room = LabelRoom(self.summary)
        column.addWidget(self.summary_room)  # new numbers every frame: no new layout
        column.addWidget(self.message)
        # The side plots keep a height at which they stay readable; below it (presentation mode
        # on a projector) they scroll instead of squeezing to strips. The map does not.
        self.glw.setMinimumHeight(MIN_PLOTS_HEIGHT)
        self.plots_scroll = QScrollArea()
        self.plots_scroll.setWidgetResizable(True)
        self.plots_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.plots_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plots_scroll.setWidget(self.glw)
        self.map_glw.setMinimumHeight(MIN_MAP_HEIGHT)
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.map_glw, 1)
        left.addWidget(self.map_key)
        # The map and the side plots in a row of their own, which presentation mode makes as
        # tall as the column shows under the summary.
        self.row = QWidget()
        plots = QHBoxLayout(self.row)
        plots.setContentsMargins(0, 0, 0, 0)
        plots.setSpacing(12)  # the colour bar's numbers apart from the side plots' axes
        add_layout(plots, left, 3)
        plots.addWidget(self.plots_scroll, 2)
        self.plots_row = plots
        self.stacked = False  # the side plots under the map (_stacks), not beside it
        self._axis_words = True  # the line and path plots' words under their x axes
        column.addWidget(self.row, 1)
        for view in (self.glw, self.map_glw):
            view.installEventFilter(self)  # a new width: the titles fitted to it
        # At most a fifth of the view: in presentation mode's larger text it took the plots'
        # room (they were a strip 50 px high at 1280x720).
        self.explanation_scroll = CappedScroll(self.explanation, 0.2)
        column.addWidget(self.explanation_scroll)
        for part in (self.column, self.summary_room, self.message):
            part.installEventFilter(self)  # a new height: the row's in presentation mode
        # No empty axes before the first landscape (its probe may still compile), the words
        # instead.
        self._show_plots(False)
        self.summary.setText(PREPARING)

    def apply_look(self) -> None:
        """Every curve, mark and note in the current theme: the path in its red lightened on
        the dark theme, the model's own curves the theme's train and test (presentation mode
        scales them: nnviz.gui.presentation.scale_scene)."""
        k = self.scale
        path = colors.accent(PATH)
        sharp, limit = colors.accent(SHARP), colors.accent(LIMIT)
        dash = Qt.PenStyle.DashLine
        self.path_curve.setPen(pg.mkPen(path, width=2.5 * k))
        self.path_start.setSize(10 * k)
        self.path_start.setBrush(pg.mkBrush(path))
        self.path_now.setSize(14 * k)
        self.path_now.setPen(pg.mkPen("k", width=2 * k))
        self.picked_mark.setSize(16 * k)
        self.picked_mark.setPen(pg.mkPen("w", width=2 * k))
        self.line_train.setPen(pg.mkPen(colors.train_curve(), width=2 * k))
        self.line_test.setPen(pg.mkPen(colors.test_color(), width=2 * k, style=dash))
        self.path_real.setPen(pg.mkPen(colors.train_curve(), width=2 * k))
        self.path_shadow.setPen(pg.mkPen(path, width=2 * k, style=dash))
        self._style_sharp()
        self.limit_curve.setPen(pg.mkPen(limit, width=2 * k, style=dash))
        self.sharp_note.setColor(sharp)
        for c in self.contours:
            c.setPen(pg.mkPen(255, 255, 255, 110, width=k))
        self.sharp_plot.setTitle(_sharpness_title(self._limit_label))
        self.path_restored.setSize(10 * k)
        self.path_restored.setPen(pg.mkPen("k", width=2 * k))
        self.line_plot.setTitle(self._line_title())
        self.path_plot.setTitle(self._path_title())
        self.map_key.setText(self._map_key())
        self._mark_path()
        if self.result is not None and self.summary.text() not in (PREPARING, PREPARING_NEW):
            # Its warning's red is the theme's: after View -> Theme -> Dark the light theme's
            # #B3261E stayed on the dark ground (2:1) until the next landscape (review r23 F14).
            self._show_summary(self.result)
        QTimer.singleShot(0, self, self._fit_titles)  # the new titles' sizes

    def _style_sharp(self) -> None:
        """The sharpness curve: a line through its estimates, or its points alone where they
        are few (FEW_SHARP_POINTS), larger."""
        k, sharp = self.scale, colors.accent(SHARP)
        self.sharp_curve.setPen(None if self._sharp_points_only else pg.mkPen(sharp, width=2 * k))
        self.sharp_curve.setSymbolBrush(sharp)
        self.sharp_curve.setSymbolSize((8 if self._sharp_points_only else 4) * k)

    def _mark_path(self) -> None:
        """The "along the path" curves' points marked (a path of a few: FEW_PATH_POINTS), or
        not, in the curves' colours."""
        k = self.scale
        for curve, colour in ((self.path_real, colors.train_curve()),
                              (self.path_shadow, colors.accent(PATH))):
            if self._path_marked:
                curve.setSymbol("o")
                curve.setSymbolSize(6 * k)
                curve.setSymbolBrush(colour)
                curve.setSymbolPen(None)
            else:
                curve.setSymbol(None)

    def _line_title(self) -> str:
        # Two lines of ~30 characters, as the sharpness plot's: longer ones were fitted to a
        # smaller size than the other titles. "test" only where there is a test curve: it
        # named one over a run without test points.
        restored, end, has_line = self._line_kind
        if not has_line:
            # A sentence where the plot would be empty axes (ticks 0.1, 0.2 over nothing).
            return ("loss from the initial to the current weights:<br>no line yet, the "
                    "weights have not moved" if restored < 0 else
                    f"no line: epoch {restored:,}'s weights, put back,<br>"
                    "are where the path began")
        train = colors.hex_of(colors.train_curve())
        test = colors.hex_of(colors.readable(colors.test_color(), colors.background()))
        curves = (f"<span style='color:{train}'>train</span>"
                  + (f", <span style='color:{test}'>test</span>" if self._line_has_test else ""))
        if restored >= 0:
            # After a divergence, the way the run went from the weights put back: the loss
            # climbs along it (initial -> current was one point: both were epoch 0's).
            return (f"loss from the restored (0) to epoch<br>{end:,}'s (1) weights: {curves}"
                    f"{self._points}")
        return f"loss from the initial (0) to the<br>current (1) weights: {curves}{self._points}"

    def _map_key(self) -> str:
        red = colors.hex_of(colors.readable(PATH))  # a word on the panel: 4.5:1
        restored, end, _ = self._line_kind
        r = self.result
        if restored >= 0 and r is not None and len(r.path.epochs) > 1:
            last = int(r.path.epochs[-2])
            return (f"<span style='color:{red}'><b>red</b></span>: the path, from the square "
                    f"(epoch {int(r.path.epochs[0]):,}) to epoch {last:,}, before it diverged; "
                    f"<b>white&nbsp;dot</b>: the model, epoch&nbsp;{restored:,}'s weights "
                    "put&nbsp;back")
        return (f"<span style='color:{red}'><b>red</b></span>: the path, from the "
                "square; <b>white&nbsp;dot</b>:&nbsp;the&nbsp;model")

    @staticmethod
    def _path_title() -> str:
        model = colors.hex_of(colors.train_curve())
        path = colors.hex_of(colors.readable(PATH, colors.background()))
        return (f"along the path: <span style='color:{model}'>the real loss</span><br>and "
                f"<span style='color:{path}'>its shadow's on the plane</span>")

    def _side_plot(self, row: int, title: str, xlabel: str):
        # LogAxis: pyqtgraph labelled 0.08, 0.09 and 0.1 over each other on the log scale;
        # SparseAxis: a long run's epochs read "0 200000400000600000800000".
        p = self.glw.addPlot(row=row, col=0, title=title, enableMenu=False,
                             axisItems={"left": LogAxis("left"), "bottom": SparseAxis("bottom")})
        p.setLabel("bottom", xlabel)
        p.showGrid(x=True, y=True, alpha=0.15)
        p.getAxis("bottom").enableAutoSIPrefix(False)
        p.getAxis("left").enableAutoSIPrefix(False)
        auto_button_once_moved(p)
        cache_axes(p)
        return p

    # -- the probe's settings ---------------------------------------------------------------------

    def _send(self) -> None:
        if self.tracker is not None:
            self.tracker.refresh()

    def _log_toggled(self, *_) -> None:
        self.pictures.log = self.log_scale.isChecked()  # the worker's next pictures
        self._redraw()

    def _directions_changed(self, *_) -> None:
        self.probe.kind = self.directions.currentData()
        self.probe.pinned = None
        self._send()

    def unpin(self) -> None:
        self._put_view_state((None, ([], [])))

    def _view_state(self) -> tuple:
        """What a click changes besides the weights: the pinned plane and the click's mark."""
        xs, ys = self.picked_mark.getData()
        return self.probe.pinned, (list(xs if xs is not None else []),
                                   list(ys if ys is not None else []))

    def _put_view_state(self, state: tuple) -> None:
        pinned, (xs, ys) = state
        self.probe.pinned = pinned
        self.picked_mark.setData(xs, ys)
        self.follow.setEnabled(pinned is not None)
        self._send()

    # -- clicking on the plane --------------------------------------------------------------------

    def _picked(self, a: float, b: float, last: bool) -> None:
        r, s = self.result, self.snapshot
        if r is None or s is None or s.spec != r.spec:
            return
        if self._gesture is None:
            view_before = self._view_state()
            if not self.probe.pinned or self.probe.pinned[0][:1] != r.run_key[:1]:
                self.probe.pinned = (r.run_key, r.land.plane)  # the plane stays while exploring
                self.follow.setEnabled(True)
                self._send()
            self._gesture = {"before": (s.params, view_before), "sent": 0.0, "params": None}
        plane = self.probe.pinned[1]
        e = plane.extent
        a, b = min(max(a, -e), e), min(max(b, -e), e)
        self.picked_mark.setData([a], [b])
        g = self._gesture
        g["params"] = plane.params(r.spec, a, b)
        now = time.perf_counter()
        if last or now - g["sent"] >= DRAG_SEND_S:
            g["sent"] = now
            self._apply(g["params"])
        if last:
            self._gesture = None
            stack = self.undo_stack() if self.undo_stack is not None else None
            if stack is not None and self.set_params is not None:
                stack.push(WeightsCommand(self.set_params, g["before"],
                                          (g["params"], self._view_state()),
                                          self._put_view_state))

    def _apply(self, params) -> None:
        if self.set_params is None:
            return
        try:
            self.set_params(params)
        except NnvizError as e:
            self.message.setText(f"Those weights cannot be set: {e}")
            self.message.show()
        else:
            self.message.hide()

    # -- drawing ----------------------------------------------------------------------------------

    def update_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        pending = self.extras_key in getattr(snapshot, "pending", ())
        if self.extras_key in snapshot.extras and snapshot.extras[self.extras_key] is None:
            # The probe's functions compile in the background: ask again once they have (no
            # snapshot may come meanwhile when the run is paused).
            self.summary.setText(PREPARING)
            self._show_plots(self.result is not None)  # no empty axes meanwhile
            if not self.playing():
                self._when_compiled("map")
            return
        r = snapshot.extras.get(self.extras_key)
        if pending and (r is None or r is self.result):
            # The window's epoch came first; this view's numbers of it follow (the worker
            # computes them now): say so over the last ones.
            self.summary.setText(COMPUTING.format(epoch=snapshot.epoch) + (
                "<br>" + self._summary_parts(self.result)[0] if self.result is not None
                and self.result.spec == snapshot.spec else ""))
            return
        if r is None or r.spec != snapshot.spec:
            return
        if r is not self.result:
            last, self.result = self.result, r
            self._show_plots(True)
            if last is not None and r.land is last.land and r.now is not None:
                # The same landscape, the model placed on it anew (the probe's frames between
                # two landscapes): the white dot and the path move, nothing else is drawn again.
                self._draw_path(r)
                self._show_summary(r)
            else:
                self._redraw()
        if pending:
            self.summary.setText(COMPUTING.format(epoch=snapshot.epoch) + "<br>"
                                 + self._summary_parts(r)[0])
        elif r.sharpness_missing and not self.playing():
            # The rest of the history, now it is still (once the sharpness has compiled: the
            # probe sent while it compiles would only make the same landscape again).
            if r.sharpness_compiling:
                self._when_compiled("sharpness")
            else:
                QTimer.singleShot(0, self, self._send)

    def _when_compiled(self, part: str) -> None:
        """Send the probe again once its functions have compiled (looked at every
        COMPILE_POLL_MS): sent every 300 ms meanwhile, it made the worker compute the same
        landscape again and again, seconds each on a wide network, and a Step waited for it
        (review r24 F18)."""
        if self._polling:
            return
        self._polling = True

        def look() -> None:
            if landscape_probe.compiling(part):
                QTimer.singleShot(COMPILE_POLL_MS, self, look)
                return
            self._polling = False
            if not self.playing():
                self._send()
        QTimer.singleShot(COMPILE_POLL_MS, self, look)

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): the last run's map, path and
        sharpness go now, the words say the new run's landscape is being prepared."""
        self.result, self._gesture = None, None
        self.picked_mark.setData([], [])
        self.follow.setEnabled(False)
        self.message.hide()  # about the last run's weights
        self._show_plots(False)
        self.summary.setText(PREPARING_NEW)

    def _show_plots(self, on: bool) -> None:
        for part in (self.glw, self.map_glw, self.map_key):
            part.setVisible(on)

    def ready(self) -> bool:
        """Whether the view shows the snapshot drawn last, sharpness history and all, the side
        plots' paint no longer held back (_side_paints_next; for ``--screenshot``)."""
        r, s = self.result, self.snapshot
        return (r is not None and s is not None and r.epoch == s.epoch
                and self.extras_key not in getattr(s, "pending", ())
                and r.sharpness_missing == 0 and self.glw.updatesEnabled())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # The plots' new width, or presentation mode's scale (set on glw by scale_scene).
        # The column's new height, or the summary's (a line more or less): the row's in
        # presentation mode (a fifth line of summary pushed the plots' axes below the fold).
        if (obj is self.column and event.type() == QEvent.Type.Resize) or (
                obj in (self.summary_room, self.message) and event.type() in (
                    QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)):
            QTimer.singleShot(0, self, self._arrange)
        if obj in (self.glw, self.map_glw) and (event.type() == QEvent.Type.Resize or (
                event.type() == QEvent.Type.DynamicPropertyChange
                and event.propertyName() == b"nnvizScale")):
            QTimer.singleShot(0, self, self._fit_titles)
        return False

    def _scale(self) -> float:
        """Presentation mode's scale (nnviz.gui.presentation.scale_scene marks it), or 1."""
        return max(1.0, float(self.glw.property("nnvizScale") or 1.0))

    def _fit_titles(self) -> None:
        """Each plot's title as large as fits the plot's width, up to the normal (or
        presentation) size: the titles have no say in the columns' widths (loose_title), so a
        long one would run past its plot. And the plots' height: presentation mode's larger
        text needs taller plots; the view scrolls below it rather than squeezing the side
        plots to strips."""
        self._fit_combo()
        scale = self._scale()
        self._arrange()
        # Presentation mode's larger numbers were printed over the bar's title ("log10 loss").
        fit_colour_bar(self.colorbar, scale)
        self.glw.ci.layout.activate()  # the plots' widths for the view's present width
        floor = MIN_TITLE_PT * (1 + (scale - 1) / 2)  # as widgets.FittedTitles
        for plot in (self.map, self.line_plot, self.path_plot, self.sharp_plot):
            label = plot.titleLabel
            text = label.text
            if not text:
                continue
            lines = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", text)).split("\n")
            avail = plot.width() - 12  # the plot's margins and a little air
            size = TITLE_PT * scale
            font = QFont(self.font())
            while size > floor:
                font.setPointSizeF(size)
                if max(QFontMetrics(font).horizontalAdvance(line) for line in lines) <= avail:
                    break
                size -= 0.5
            if label.opts.get("size") != f"{size:g}pt":
                label.setText(text, size=f"{size:g}pt")
        self._fit_axis_labels()
        self._tick_bar()  # (a larger font on a bar of the same height: fewer numbers)

    def _tick_bar(self) -> None:
        """The colour bar's numbers: on the log scale losses (0.3, 0.1, 0.01), not their log10
        (-0.5, -1, -2: a newcomer read "-1.0" as a loss of -1), with half a line of air at
        least between two, at the bar's height and the numbers' size now: presentation mode
        at text 150% printed 0.6, 0.7, 0.8 and 0.9 touching."""
        if self._bar_levels is None:
            return
        lo, hi, log = self._bar_levels
        ticks = None
        axis = self.colorbar.axis
        if log:
            line = QFontMetrics(axis.style["tickFont"] or axis.font()).height()
            apart = BAR_TICK_LINES * line / max(axis.height(), 1.0) * (hi - lo)
            ticks = [loss_ticks(lo, hi, apart)]
        if self._bar_ticks != ticks:
            self._bar_ticks = ticks
            axis.setTicks(ticks)

    def _arrange(self) -> None:
        """The map and the side plots side by side in both modes, all of them in view at once
        (a projector's audience cannot scroll): stacked in presentation mode, the side plots
        lay below the map and the fold at 1024x768. Presentation mode: the column scrolls for
        the explanation alone, whole under the plots; the map and the side plots are exactly
        as tall as the column shows under the summary. The normal mode: the explanation
        capped, the row as tall as the rest leaves. A larger text (presentation mode's too),
        where the side plots beside the map would be too narrow for their titles (_stacks):
        they go under the map, at full width and a height of their own, and the column
        scrolls to them (the map stays as tall as the column shows)."""
        on = self._scale() > 1.0
        if on != self.column.scrolling:
            if not on:
                # The normal least height before the column stops scrolling: the other way
                # round the column asked, for a moment, for presentation mode's row in full
                # and the window grew past a screen of 768.
                self.row.setMinimumHeight(0)
                self.row.setMaximumHeight(16777215)
            self.column.set_scrolling(on)
            self.explanation_scroll.set_share(None if on else 0.2)
            if self.result is not None:
                self._show_summary(self.result)  # the mode's parts
        stack = on and self._stacks()
        if stack != self.stacked:
            self.stacked = stack
            self.plots_row.setDirection(QBoxLayout.Direction.TopToBottom if stack
                                        else QBoxLayout.Direction.LeftToRight)
            if not stack:
                self.plots_scroll.setMinimumHeight(0)
                self.plots_scroll.setMaximumHeight(16777215)
                self.map_glw.setMinimumHeight(MIN_MAP_HEIGHT)
                self.map_glw.setMaximumHeight(16777215)
                self.map_key.setMinimumHeight(0)
                self.map_key.setMaximumHeight(16777215)
        # Fewer words under the axes in presentation mode's larger text beside the map:
        # "alpha" is the title's "initial (0) to the current (1)", and the path's epochs are
        # the sharpness plot's under it. Under the map there is room for them.
        words = not on or stack
        if words != self._axis_words:
            self._axis_words = words
            for plot in (self.line_plot, self.path_plot):
                plot.showLabel("bottom", words)
        if not on:
            return
        port = self.column.viewport()
        spacing = self.body.layout().spacing()
        above = self.summary_room.height() + spacing
        if self.message.isVisible():
            above += self.message.height() + spacing
        row = max(MIN_PLOTS_HEIGHT, port.height() - above - 2)
        if stack:
            plots = 3 * round(STACKED_PLOT_PX * self._scale())
            if self.plots_scroll.height() != plots or self.plots_scroll.minimumHeight() != plots:
                self.plots_scroll.setFixedHeight(plots)
            # The map and its key as tall as the column shows, the plots under it, each part
            # its height set: the box's heights for width gave the map its preferred 480 px of
            # 376, or the key the rest.
            key = max(self.map_key.heightForWidth(self.row.width()), 0)
            shown = max(MIN_MAP_HEIGHT + key + 2, port.height() - above - 2)
            if self.map_key.minimumHeight() != key or self.map_key.maximumHeight() != key:
                self.map_key.setFixedHeight(key)
            least = shown - key - 2  # (the left column's spacing)
            if self.map_glw.minimumHeight() != least or self.map_glw.maximumHeight() != least:
                self.map_glw.setFixedHeight(least)
            row = shown + self.plots_row.spacing() + plots
        if self.row.height() != row or self.row.minimumHeight() != row:
            self.row.setFixedHeight(row)

    def _stacks(self) -> bool:
        """Whether the side plots go under the map: when beside the map their column would be
        too narrow for their titles at STACK_BELOW of their size at the text's scale. Measured
        on the row's width, which is the same either way: no back and forth. Presentation mode
        too: beside the map at 1024x768 the side plots were ~230 px wide under ~9 pt titles,
        the map ~270 px across; under it the map takes the width (the model, its path and the
        summary in sight) and the presenter scrolls to the side plots, each as wide as the
        view. At 1400x900 they stay beside it, all in view."""
        width = self.row.width()
        if width <= 0:
            return self.stacked
        spacing = self.plots_row.spacing()
        side = (width - spacing) * 2 / 5 - 12  # the row's share (2 of 3 + 2), the margins
        font = QFont(self.font())
        font.setPointSizeF(TITLE_PT * self._scale() * STACK_BELOW)
        metrics = QFontMetrics(font)
        need = 0
        for plot in (self.line_plot, self.path_plot, self.sharp_plot):
            text = plot.titleLabel.text or ""
            lines = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", text)).split("\n")
            need = max(need, *(metrics.horizontalAdvance(line) for line in lines))
        return need > side

    def _fit_combo(self) -> None:
        """The directions' combo at most as wide as its longest item (it may be narrower in a
        narrow view, its text cut), and its list as wide as the items, whatever the combo's."""
        combo = self.directions
        text = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                   for i in range(combo.count()))
        opt = QStyleOptionComboBox()
        combo.initStyleOption(opt)
        widest = combo.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox, opt, QSize(text, combo.fontMetrics().height()),
            combo).width()
        if combo.maximumWidth() != widest:
            combo.setMaximumWidth(widest)
            combo.view().setMinimumWidth(widest)

    def _fit_axis_labels(self) -> None:
        """The map's axis labels (the plane's directions) on one line when they fit along the
        plane, else shortened or wrapped to its width, lines centred: in presentation mode at
        1024x768 "PC 1 (98% of the path's variance)" was wider than the plane and ran under the
        colour bar's title. And placed anew: pyqtgraph places an axis's label only when the axis is
        resized, so a new text (the first, or a new plane's percentages) stayed where the old
        one's width had put it: the label began at the plane's middle, over the tick numbers
        and the colour bar's title (while playing at 1400x900)."""
        if self._axis_texts is None:
            return
        plane = self.vb.sceneBoundingRect()
        # Centred under the plane, the bottom label may reach as far right as the colour bar's
        # title begins, and as far left (the left axis has that room).
        title = self.colorbar_title.item.sceneBoundingRect()
        right = max(0.0, min(title.left(), self.colorbar.sceneBoundingRect().left())
                    - plane.right() - 4)
        for side, text, room in (("bottom", self._axis_texts[0], plane.width() + 2 * right),
                                 ("left", self._axis_texts[1], plane.height())):
            label = self.map.getAxis(side).label
            label.setTextWidth(-1)  # its natural width (presentation mode sets another font)
            # Too long for one line: "PC 1 (98% of the path's variance)" says "PC 1 (98%)", as
            # PC 2's label does (the summary above says what the percentage is); still too
            # long, the words in brackets go ("random 2", not "random 2 (filter-normalise d)"
            # in three broken lines at 1024x768 and text size 150%, review r21 F9; the
            # directions' list names them whole); else it wraps.
            short = re.sub(r" \(([\d.]+%)[^)]*\)", r" (\1)", text)
            for shown in dict.fromkeys((text, short, re.sub(r" \([^)]*\)$", "", short))):
                self.map.setLabel(side, shown)
                if label.boundingRect().width() <= room:
                    break
            if room > 20 and label.boundingRect().width() > room:
                label.setTextWidth(room)  # wrapped at its words
                self.map.setLabel(side, shown)  # the axis sized for the lines
            doc = label.document()  # the lines centred on each other
            option = doc.defaultTextOption()
            option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            doc.setDefaultTextOption(option)
        self.map.layout.activate()  # the axes' heights (widths) for their new labels
        for side in ("bottom", "left"):
            self.map.getAxis(side).resizeEvent()  # the label centred on its axis

    def _redraw(self, *_) -> None:
        self._fit_titles()
        r = self.result
        if r is None:
            return
        log = self.log_scale.isChecked()
        self.follow.setEnabled(r.pinned)
        if not r.pinned:
            self.picked_mark.setData([], [])
        land, plane = r.land, r.land.plane
        picture = self._picture_of(r, log)
        shown, (lo, hi) = picture.shown, picture.levels
        self.image.setImage(shown, levels=(lo, hi), autoLevels=False)
        self.colorbar.setLevels((lo, hi))
        self._bar_levels = (lo, hi, log)
        self._tick_bar()
        self.colorbar_title.setText(COLORBAR_LOG_TITLE if log else "loss")
        e, res = plane.extent, len(land.coords)
        h = 2 * e / (res - 1)
        self.image.setRect(QRectF(-e - h / 2, -e - h / 2, 2 * e + h, 2 * e + h))
        for iso, (level, path) in zip(self.contours, picture.contours):
            iso.set_path(shown, level, path)
        if self._extent != e:
            self._extent = e
            self.map.setRange(xRange=(-e - h / 2, e + h / 2), yRange=(-e - h / 2, e + h / 2),
                              padding=0)
        self._axis_texts = plane.labels
        self._fit_axis_labels()
        self._draw_path(r)
        self._draw_side(r, log)
        self._side_paints_next()
        self._show_summary(r)

    def _side_paints_next(self) -> None:
        """The side plots painted in a later pass of the event loop than the map: their new
        ranges and axes (~6 ms) painted with the map's in one pass were the longest stall of
        the GUI thread while a run played (a timer, a click waited for both). Their data is
        set already; only the paint waits, a millisecond (a timer's, which runs after the
        pass; a zero-time one is a posted event of the same pass)."""
        if self.glw.updatesEnabled() and self.glw.isVisible():
            self.glw.setUpdatesEnabled(False)
            QTimer.singleShot(1, self, lambda: self.glw.setUpdatesEnabled(True))

    def _picture_of(self, r: LandscapeResult, log: bool) -> MapPicture:
        """The map's picture of ``r``'s landscape: the worker's (made with the result), or the
        one drawn last (the same landscape again: a pinned plane, another scale and back);
        else made here (the scale just toggled, a landscape made without one)."""
        for p in (r.picture, self._picture):
            if isinstance(p, MapPicture) and p.land is r.land and p.log == log:
                break
        else:
            p = map_picture(r.land, log)
        self._picture = p
        return p

    def _draw_path(self, r: LandscapeResult) -> None:
        """The path on the map, to the model shown (placed on the plane since: ``r.now``).
        Between two landscapes only its last point moves (every frame while a run plays): the
        start mark keeps its data, and the white dot is moved, not made anew (move_points)."""
        ab = r.path.ab if r.now is None else np.vstack([r.path.ab, [r.now[1:]]])
        # After a divergence the model is the weights put back, not a step of the path: the
        # path ends where the run was before it diverged, the white dot is apart from it.
        path = ab[:-1] if r.restored >= 0 and len(ab) > 1 else ab
        self.path_curve.setData(path[:, 0], path[:, 1])
        start = (float(ab[0, 0]), float(ab[0, 1])) if len(ab) else None
        if start != self._path_start:
            self._path_start = start
            self.path_start.setData(ab[:1, 0], ab[:1, 1])
        move_points(self.path_now, ab[-1:, 0], ab[-1:, 1])

    def _draw_side(self, r: LandscapeResult, log: bool) -> None:
        for plot in (self.line_plot, self.path_plot):
            plot.setLogMode(y=log)
        pos = (lambda v: np.maximum(v, _TINY)) if log else (lambda v: v)  # noqa: E731
        has_test = r.line is not None and r.line.test is not None
        kind = (r.restored, r.line_end, r.line is not None)
        points = f" ({r.land.n_points:,} points)" if _sampled(r) else ""
        if has_test != self._line_has_test or kind != self._line_kind or points != self._points:
            self._line_has_test, self._line_kind, self._points = has_test, kind, points
            self.line_plot.setTitle(self._line_title())
            QTimer.singleShot(0, self, self._fit_titles)  # the new title's size
        key = self._map_key()
        if key != self.map_key.text():
            self.map_key.setText(key)
        for axis in ("left", "bottom"):
            self.line_plot.showAxis(axis, r.line is not None)
        for mark in self.line_marks:
            mark.setVisible(r.line is not None)
        if r.line is not None:
            # Past the divergence's weights the loss may overflow: the finite part is drawn.
            self.line_train.setData(*_finite(r.line.alphas, pos(r.line.train)))
            if r.line.test is not None:
                self.line_test.setData(*_finite(r.line.alphas, pos(r.line.test)))
            else:
                self.line_test.setData([], [])
        else:
            self.line_train.setData([], [])
            self.line_test.setData([], [])
        p = r.path
        ep = p.epochs.astype(np.float64)
        upto = len(ep) - 1 if r.restored >= 0 and len(ep) > 1 else len(ep)
        # A path of few points (a wide network's: 5 checkpoints of 790,017 weights) is straight
        # lines between them, which miss what the loss did in between (its dip at epoch 5 on
        # the loss plot): its points marked, the lines read as joining them (review r23 F5).
        few = upto <= FEW_PATH_POINTS
        if few != self._path_marked:
            self._path_marked = few
            self._mark_path()
        self.path_real.setData(*_finite(ep[:upto], pos(p.loss[:upto])))
        self.path_shadow.setData(*_finite(ep[:upto], pos(p.loss_projected[:upto])))
        if upto < len(ep) and math.isfinite(p.loss[-1]):
            y = float(pos(p.loss[-1:])[0])
            self.path_restored.setData([ep[-1]], [math.log10(y) if log else y])
        else:
            self.path_restored.setData([], [])
        for plot in (self.path_plot, self.sharp_plot):
            _epoch_range(plot, ep)
        points_only = len(r.sharp_values) <= FEW_SHARP_POINTS
        if points_only != self._sharp_points_only:
            self._sharp_points_only = points_only
            self._style_sharp()
        self.sharp_curve.setData(r.sharp_epochs.astype(np.float64), r.sharp_values)
        limits = r.limit_values
        if np.isfinite(limits).any():
            # A step line: the limit holds from each epoch to the next (the rate may change).
            x = np.repeat(r.limit_epochs.astype(np.float64), 2)[1:]
            y = np.repeat(limits, 2)[:-1]
            self.limit_curve.setData(x, y, connect="finite")
        else:
            self.limit_curve.setData([], [])
        label = {"gd": "2/lr", "momentum": "(2 + 2 x 0.9)/lr"}.get(r.optimizer, "")
        if label != self._limit_label:
            self._limit_label = label
            self.sharp_plot.setTitle(_sharpness_title(label))
        values = r.sharp_values[np.isfinite(r.sharp_values)]
        highest = float(values.max(initial=0.0))
        limit = float(np.nanmax(limits)) if np.isfinite(limits).any() else math.nan
        # Far above the limit (the first epochs of a run, before it settles): off the scale, so
        # that the hovering at the limit stays visible; the note says how high it went.
        # Not when most of the run is off it (a rate that diverges: 7.9e4 against a 2/lr of
        # 200), where a plot of the 2/lr line alone hid the reason the run blew up: the
        # sharpness far above the limit, all of it drawn.
        within = values <= 1.5 * limit if math.isfinite(limit) else np.ones(len(values), bool)
        if math.isfinite(limit) and highest > 1.5 * limit and 2 * within.sum() >= len(values):
            top = 1.75 * limit  # room for the note above the limit's line (a small plot)
            self._sharp_note_texts = (f"up to {highest:.3g}: off the scale",
                                      f"up to {highest:.3g} (off scale)",
                                      f"max {highest:.3g} \u2191")
            self._sharp_note_right = True
        else:
            # A round number over the curves: at 2.2 over a limit of 2, the limit's number
            # lay too near the top to be drawn whole (presentation mode at 1024x768).
            top = 1.1 * max(highest, limit if math.isfinite(limit) else 0.0)
            top = nice_range(0.0, top)[1] if top > 0 else top
            self._sharp_note_texts = ("",)
        if r.sharpness_compiling:  # the plot would show the limit alone, and not say why
            top = top if top > 0 else 1.0
            self._sharp_note_texts = ("compiling\u2026",)
            self._sharp_note_right = False
        self._place_sharp_note()
        bottom = min(0.0, float(values.min(initial=0.0)))
        self.sharp_plot.setYRange(bottom, top if top > bottom else bottom + 1.0, padding=0)

    def _place_sharp_note(self, *_) -> None:
        """The sharpness plot's note at its top corner (right, or left for "compiling"), in
        the longest of its wordings that fits on one line (two lines reached down over the
        2/lr line at 1024x768), the shortest wrapped if none does: wholly inside the plot
        whatever its size."""
        note, box = self.sharp_note, self.sharp_plot.vb.boundingRect()
        room = max(20.0, box.width() - 8)
        note.setTextWidth(-1)
        for text in self._sharp_note_texts:
            if note.toPlainText() != text:
                note.setText(text)
            if note.textItem.boundingRect().width() <= room:
                break
        else:
            note.setTextWidth(room)
        if self._sharp_note_right:
            note.setAnchor((1, 0))
            note.setPos(box.right() - 4, box.top() + 1)
        else:
            note.setAnchor((0, 0))
            note.setPos(box.left() + 4, box.top() + 1)

    def _show_summary(self, r: LandscapeResult) -> None:
        """The summary's short parts in the label, its details in the label's tooltip."""
        text, details = self._summary_parts(r)
        self.summary.setText(text)
        tip = SUMMARY_TIP if not details else \
            f"<p>{SUMMARY_TIP}</p>" + "".join(f"<p>{d}</p>" for d in details)
        if self.summary.toolTip() != tip:
            self.summary.setToolTip(tip)

    def _summary_parts(self, r: LandscapeResult) -> tuple[str, list[str]]:
        """The summary, short: at text 150% it ran 4-6 lines over the map (1024x768 and
        1400x900), the map's room. The numbers a look at the map needs stay in it, a line
        breaking between phrases ("99.9% of the path's variance" whole); what explains them
        (where the path is farthest off a plane that shows it well, how the points were
        sampled) is the tooltip's, returned as the details. A warning (the plane shows the
        path poorly) keeps its numbers in sight."""
        details: list[str] = []
        plane, p = r.land.plane, r.path
        c = len(r.land.coords) // 2
        parts = [f"epoch {r.epoch:,}" if r.now is None else
                 f"epoch {r.now[0]:,} (the landscape of epoch {r.epoch:,}, redrawn as the run "
                 "goes)"]
        if r.restored >= 0:
            # The model shown is an earlier epoch's, as the window's counter says ("Epoch 0,
            # restored; diverged after epoch 14"): "epoch 14" here, over a path of two points
            # at ~200, hid what the loss chart showed (1e8) and why (review r19).
            parts = [f"epoch {r.restored:,} <b>restored</b>; the run diverged after epoch "
                     f"{r.epoch:,}"]
            ep, loss = p.epochs[:-1], p.loss[:-1]
            finite = np.isfinite(loss)
            if finite.any():
                i = int(np.argmax(np.where(finite, loss, -np.inf)))
                # "after epoch N", as the readout says of weights (the loss chart draws their
                # loss at N + 1: the loss of an epoch is before its update).
                parts.append(f"the path (red) is the run up to epoch {int(ep[-1]):,}"
                             + _path_rise(ep, loss, i))
        trivial = len(p.epochs) <= PLANE_HOLDS_ANY
        if trivial and len(p.epochs) > 1:
            # Any plane through the model holds a path of so few points: said, not a share.
            parts.append(f"<b>a path of only {len(p.epochs)} checkpoints</b> (epochs "
                         + ", ".join(f"{int(e):,}" for e in p.epochs)
                         + "): straight lines between them, in any plane")
            details.append(f"Only {len(p.epochs)} checkpoints so far (a short run, or a network "
                           "too big for the run log to keep more of its weights): the path, "
                           "and the sharpness, are known at them alone.")
        elif plane.explained:
            parts.append(f"the plane holds <nobr>{variance_shares(plane.explained)[2]} of the "
                         "path's variance</nobr>")
        if plane.note:
            parts.append(plane.note)
        if r.pinned:
            parts.append("<b>plane pinned</b> where you clicked (white dot: the model now)")
        elif self._scale() <= 1.0:
            # Presentation mode leaves it out: the readout beside says the model's loss (the
            # centre's), and its line was the plots' room at 1024x768.
            parts.append(f"loss at the centre {r.land.values[c, c]:.4g}"
                         + (f" ({_sample_short(r)})" if _sampled(r) else ""))
            if _sampled(r):
                details.append(f"The losses here are on {_sample(r)}.")
        if len(r.sharp_values):
            s = r.sharp_values[-1]
            lim = r.limit_values[-1]
            text = f"sharpness {s:.3g}"
            if math.isfinite(lim):
                # The limit's formula beside its value: "of the limit 2" left a newcomer asking
                # what 2 was. One unbreakable piece: it wrapped before its closing "2)". (The
                # line may break before it: one piece with the value, it went whole to a line
                # of its own, the summary a line longer at text 150%.)
                formula = LIMIT_FORMULAS.get(r.optimizer)
                text += (f" <nobr>({limit_share(s / lim)} the stability limit "
                         f"{formula + ' = ' if formula else ''}{lim:.3g})</nobr>")
            parts.append(text)
        elif r.sharpness_compiling:
            parts.append("the sharpness is being prepared (compiling)\u2026")
        if _sampled(r) and (r.pinned or self._scale() > 1.0):  # (no centre's loss said)
            parts.append(f"losses on {_sample_short(r)}")
            details.append(f"The losses here are on {_sample(r)}.")
        # The path lies off the plane: say where most, with both losses. "Most" is relative to
        # the loss there, one measure for the words and the number: by the largest absolute
        # gap a run read "path a little off the plane (losses within 143%)", the 143% at its
        # small last losses, where the "along the path" plot showed the two apart (review).
        shares = np.abs(p.loss - p.loss_projected) / np.maximum(np.abs(p.loss), _TINY)
        if len(shares) > 1 and np.isfinite(shares).any():
            i = int(np.nanargmax(shares))
            rel = shares[i]
            if rel > 0.05:
                real, shadow = same_precision(p.loss[i], p.loss_projected[i])
                where = (f"at epoch {int(p.epochs[i]):,} the model's loss was {real}, its "
                         f"shadow's on the plane {shadow} (distance {p.off[i]:.3g})")
                share = sum(plane.explained) if plane.explained else None
                if rel > POOR_PLANE_GAP or (share is not None and share < POOR_PLANE_SHARE):
                    # A warning only where the map misleads: in red, the path "leaving this
                    # plane" read as an error beside "the plane holds 99.7%" of it.
                    # Where the plane holds most of the path (its share said before), it is
                    # the loss off the plane that misleads: "holds 99.8% of the path's
                    # variance" and then "shows the path poorly" read as a contradiction
                    # (review r31).
                    red = colors.hex_of(colors.error())
                    what = ("the plane shows the path poorly" if share is not None
                            and share < POOR_PLANE_SHARE else
                            "the loss just off the plane is not the map's")
                    parts.append(f"<span style='color:{red}'>{what}: {where}</span>")
                else:
                    # The numbers in the tooltip: beside "holds 99.9%" they took two lines.
                    parts.append("path a little off the plane <nobr>(losses within "
                                 f"{math.ceil(100 * rel - 1e-9):.0f}%)</nobr>")
                    details.append(f"The path lies a little off this plane: at epoch "
                                   f"{int(p.epochs[i]):,} the model's loss was {real}, its "
                                   f"shadow's on the plane {shadow}.")
            elif not trivial:
                parts.append("path close to the plane <nobr>(losses within 5%)</nobr>")
        return " &nbsp;·&nbsp; ".join(parts), details


def _path_rise(epochs: np.ndarray, loss: np.ndarray, i: int) -> str:
    """How a diverged run's path went, after "the path (red) is the run up to epoch N",
    where ``i`` is its highest finite loss: "its loss rose to 141 after epoch 0" of a path whose
    one point, its start, was its highest said a rise that never was (review r21 F9)."""
    if len(epochs) == 1:
        return f" (one point, its loss {loss[i]:.3g})"
    at = f"{loss[i]:.3g} after epoch {int(epochs[i]):,}"
    if i == 0:
        return f": its loss was highest at its start, {at}"
    return f": its loss rose to {at}"


def limit_share(ratio: float) -> str:
    """The sharpness as a share of the stability limit, before "the stability limit": "35%
    of", "250% of", but "1,730 times" from 10 times up ("172987% of" was hard to read,
    review r21 F9)."""
    if ratio >= 10:
        return f"{ratio:,.0f} times"
    return f"{ratio:.0%} of"


def _sampled(r: LandscapeResult) -> bool:
    """Whether ``r``'s numbers are of fewer points than the run trains on."""
    return r.land.n_points < r.n_train


def _sample(r: LandscapeResult) -> str:
    """The points ``r``'s numbers use, in words: "256 of the 80,000 training points (a random
    sample, each class its share)"."""
    return (f"{r.land.n_points:,} of the {r.n_train:,} training points (a random sample, each "
            "class its share)")


def _sample_short(r: LandscapeResult) -> str:
    """``_sample`` in the summary's few words: "256 of 80,000 points" (the tooltip says the
    rest)."""
    return f"<nobr>{r.land.n_points:,} of {r.n_train:,}</nobr> points"


def _finite(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of a curve whose value is finite (a diverged run's losses overflow)."""
    keep = np.isfinite(y)
    return np.asarray(x)[keep], np.asarray(y)[keep]


def same_precision(*values: float) -> list[str]:
    """``values`` written to the same decimals, three significant digits of the largest
    ("0.0638" beside "0.0206", not "0.0638" beside "0.02059"); with an exponent each when the
    largest is under 0.001 or from 10,000 up."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    top = max(finite, default=0.0)
    if top == 0.0:
        return [f"{v:.3g}" for v in values]
    if not 1e-3 <= top < 1e4:
        return [f"{v:.2e}" for v in values]
    decimals = max(0, 2 - math.floor(math.log10(top)))
    return [f"{v:.{decimals}f}" for v in values]


def build_view(ctx) -> LandscapeView:
    """The Landscape tab (see nnviz.gui.views): its probe runs while it is shown."""
    window = ctx.window
    # Its own Undo step per click or drag (WeightsCommand), not the session's per weights sent.
    view = LandscapeView(
        set_params=lambda p: window.set_params(p, undo_step=False),
        undo_stack=lambda: getattr(getattr(window, "session_actions", None), "undo_stack", None))
    view.playing = lambda: bool(getattr(window, "playing", False))
    # The probe paces itself (LandscapeProbe.budget): no inspect.Throttled around it.
    view.tracker = ctx.track("landscape", view, {view.extras_key: (view.probe, 0)})
    return view
