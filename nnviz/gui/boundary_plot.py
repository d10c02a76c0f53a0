"""The data and the model over the input plane: the decision boundary (or the fitted curve).

- Two classes: a heatmap of P(class 1) with fixed levels 0..1 and a colour bar; Discretize shows
  the notebook's rounded predictions instead.
- More classes: the argmax class's colour, with the confidence as its strength.
- 1-D regression: the fitted curve over the points (the notebook's first figure).
- 2-D regression: a heatmap of the output, levels fixed to the targets' range.
- One feature, classes: the points at the height of their class, and the model's probability of
  each class along the line.

Each class has its own shape as well as its colour (:mod:`nnviz.gui.colors`). Train points are
filled, with a dark rim; test points are hollow shapes and can be hidden.
Items are made once per data set; each snapshot only updates the image or the curve in place.
A change of theme or palette draws the data set again.

The points share one brush (or pen) per colour: pyqtgraph keys its symbol atlas by the brush
object, and a QBrush per point cost a gigabyte and seconds at 100,000 points. They are cached as
a pixmap, so that a new heat image under them does not repaint them.

A data set of more than FULL_POINTS points is drawn at what the plot's pixels can show apart
(``fit_points``): markers shrink from POINT_SIZE towards MIN_POINT_SIZE until a typical point
shares the cell of ROOM diameters around it with at most one other; where even the smallest
markers would crowd, one point picked at random is drawn per cell (the plot says it shows a
sample), so about three quarters of the model's colour shows between the points everywhere.
Train and test points share the cells, and they are drawn in a random order, not the data's,
so that no class is always on top where classes mix. The layout follows the plot's size and
zoom; the training uses every point. Smaller data sets (the notebook's 200) are drawn whole,
full size, in the data's order.
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from nnviz.core.data import Dataset
from nnviz.core.snapshot import Grid

from . import colors
from .explain import Facts
from .stepped_range import nice_range
from .widgets import cache_axes, letterbox, plain_axes, scale_axes

LABEL_COLOR = "#333"
#: The Neurons view's maps: more points than this are thinned to one of each colour per cell of
#: CELL_PX screen pixels (``thin_to_cells``).
MAX_DRAWN_POINTS = 5000
CELL_PX = 4
#: Up to this many points (train and test) the main plot draws them all, full size, in order.
FULL_POINTS = 1000
#: The smallest marker (pixels, times presentation mode's scale) of a large data set.
MIN_POINT_SIZE = 4
#: The least marker of a small data set in a plot that fits its markers (``fit_markers``), in
#: pixels as drawn: a class's square still told from a circle (4 px were dots).
FIT_LEAST = 5
#: A marker's cell, in its diameters: one marker per cell covers pi / 4 / ROOM^2 = 24% of it.
ROOM = 1.8
#: The most points a typical point may share its cell with, itself included, before the
#: markers shrink (random points: one neighbour on average, about a quarter of the area covered).
CROWD = 2.0
#: How much the plot's pixels per data unit must change (a resize, a zoom) before a large data
#: set is laid out again.
RELAYOUT = 1.15
# More classes: the map's pixels a grid cell each way (colors.class_image's ``fine``): the class
# that wins is found between the grid's points, and a boundary across the grid is a line, not a
# staircase of cells (review r19). 2 (~3 screen px a pixel at 100x100 on the 1400x900 window)
# looked as smooth as 3 there; a 100x100 map of 3 classes costs 1.34 ms of CPU at 2, where the
# grid's own points took 0.47 (0.24 now that the colours are worked out a channel at a time;
# medians of 200 in turns, load 4).
CLASS_FINE = 2
MAX_EQUAL_ASPECT = 10.0  # the plane is drawn 1:1 while its width / height is within this


def equal_aspect(width: float, height: float) -> float | None:
    """The aspect to draw a plane of inputs ``width`` x ``height`` at, 1:1; None (each axis
    fits its own feature) for features on very different scales, where 1:1 left a line."""
    ratio = width / height if height > 0 else math.inf
    return ratio if 1 / MAX_EQUAL_ASPECT <= ratio <= MAX_EQUAL_ASPECT else None
POINT_SIZE = 8
#: steady_step: an axis' numbers at least this many steps apart over the data's extent
STEADY_STEPS = 4


def steady_step(extent: float, steps: float = STEADY_STEPS) -> float:
    """The step of 1, 2 or 5 times a power of ten at which ``extent`` holds about ``steps``
    steps (at most that many): the moons' 3.8 wide plane, 1."""
    if not math.isfinite(extent) or extent <= 0:
        return 1.0
    raw = extent / steps
    unit = 10.0 ** math.floor(math.log10(raw))
    return next(m * unit for m in (1.0, 2.0, 5.0, 10.0) if m * unit >= raw * (1 - 1e-9))
#: A curve over one feature (1-D regression): how far beyond the data's own y range, in spreads
#: of it, the plot widens to show the model's line (at epoch 0 the line was often off the plot:
#: the y range fitted the data alone). Beyond, a note says where the line goes.
PREDICTION_ROOM = 1.0
MARGINS = (2, 10, 2, 2)  # left, top, right, bottom: room for the colour bar's top label

BINARY, MULTICLASS, REGRESSION_1D, REGRESSION_2D, CLASSES_1D, NO_PLANE = (
    "binary", "multiclass", "regression-1d", "regression-2d", "classes-1d", "none")


class DecisionPlot(pg.PlotWidget):
    """Points of a data set and the model's output over them."""

    def __init__(self, parent: QWidget | None = None, colour_bar: bool = True,
                 fit_markers: bool = False, steady_ticks: bool = False) -> None:
        """``colour_bar``: False for a small copy of the main plot (the Backprop view's point
        picker), whose scale the main plot already gives: its room goes to the plane.
        ``fit_markers``: a small data set's markers too as small as its points need to stand
        apart at the plot's size (``fit_points``; every point drawn): in the Backprop tab's
        ~190x100 px plane at 150% the 12 px markers of the moons' 200 points covered the
        decision boundary (review r19 #13).
        ``steady_ticks``: a plane's axes numbered at one step for the data set (steady_step),
        whatever the plot's size: pyqtgraph picks its step from the axis' length in pixels,
        and the Backprop tab's small plot, a few pixels taller on one stage than on the
        next, read 1 / 0 / -1 and then 1.0 / 0.5 / 0.0 / -0.5, the wider numbers against
        the "x2" title (review r25 F5)."""
        # No context menus (enableMenu): built only to be thrown away, ~5 ms a plot.
        super().__init__(parent, background=colors.background(), enableMenu=False)
        self.colour_bar = colour_bar
        self.fit_markers = fit_markers
        self.steady_ticks = steady_ticks
        # The network's output, as the explanations read it: the colour bar's title says what
        # the background is (P(lemon) of a sigmoid, not of a tanh: set_output).
        self.output = Facts()
        # The 100x100 grid is drawn several screen pixels per cell: interpolate, don't tile.
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setToolTip("The data and what the model predicts everywhere in the plane.\n"
                        "Filled shapes: training points; hollow ones: test points.\n"
                        "Drag to pan, wheel to zoom, right-click for more.")
        pi = self.getPlotItem()
        # The axes take their widths after a new range is set (fruit.csv's "-2.5" ticks and
        # longer label are wider than the moons'): the view box then came out wider or taller
        # than the data's aspect, and the locked aspect widened the range past the decision
        # map, leaving blank bands beside it. The margins follow every change of its size.
        self._fitting = False
        pi.getViewBox().sigResized.connect(lambda *_: self._fit_aspect())
        pi.showGrid(x=False, y=False)
        pi.hideButtons()  # the 'A' auto-range button would drop the fixed view
        pi.layout.setContentsMargins(*MARGINS)  # room for the colour bar's top label
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setZValue(-20)
        self.class_img = pg.ImageItem(axisOrder="row-major")
        self.class_img.setZValue(-20)
        pi.addItem(self.heat)
        pi.addItem(self.class_img)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=colors.diverging_map(),
                                        interactive=False, width=14, colorMapMenu=False,
                                        pen="#888")
        self.colorbar.setImageItem(self.heat, insert_in=pi)
        cache_axes(pi)
        plain_axes(pi, self.colorbar.axis)  # the data's values, the output's too
        self.colorbar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(colors.train_curve(), width=3))
        self.curve.setZValue(5)
        pi.addItem(self.curve)
        self.class_curves: list[pg.PlotDataItem] = []  # one feature, classes: one per class
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self.train_points.setZValue(10)
        self.test_points = pg.ScatterPlotItem(size=POINT_SIZE + 1, pxMode=True)
        self.test_points.setZValue(11)
        # A thin dark line around each test point's coloured outline: it shows on any heatmap,
        # its own class's colour included.
        self.test_rims = pg.ScatterPlotItem(size=POINT_SIZE + 4, pxMode=True,
                                            brush=pg.mkBrush(0, 0, 0, 0))
        self.test_rims.setZValue(10.5)
        for item in (self.train_points, self.test_points, self.test_rims):
            # The points change once per data set, the heat image under them every frame.
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            pi.addItem(item)
        self.note = pg.TextItem("", color=colors.text(), anchor=(0.5, 0.5))
        self._note_pt = self.note.textItem.font().pointSizeF()  # its size at scale 1 (set_scale)
        pi.addItem(self.note)
        # Shown over the plot while the worker compiles a new model (a second or two).
        self.busy = QLabel("compiling the new model\u2026", self)
        self.busy.move(70, 14)
        self.busy.adjustSize()
        self.busy.hide()
        # Says when the points drawn are a sample of the data set.
        self.sample_note = QLabel("", self)
        self.sample_note.setAutoFillBackground(True)
        self.sample_note.setContentsMargins(6, 2, 6, 2)
        self.sample_note.setToolTip("The data set has more points than the plot can show apart: "
                                    "one point, picked at random, is drawn in each small cell "
                                    "of the plot, so that the model shows between them "
                                    "(zoom in for more). Training uses every point.")
        self.sample_note.hide()
        self.getPlotItem().getViewBox().sigResized.connect(self._place_note)  # (its box)
        self.mode = NO_PLANE
        self.discretize = False
        self.levels = (0.0, 1.0)
        self._grid: Grid | None = None
        self._pending = False  # a grid came while the plot was hidden (update_grid)
        # A 1-D regression's y range: the data's, and the one last set (_follow_prediction).
        self._home_y: tuple[float, float] | None = None
        self._y_set: tuple[float, float] | None = None
        self._sample_text = self._off_text = ""  # the note's two lines: the sample, the line
        # The points' arrays (train x, y, colours, test x, y, colours) and, for a large data
        # set, the pixels per unit they were laid out at (_draw_points).
        none, no_rgb = np.zeros(0), np.zeros((0, 3), np.uint8)
        self._points: tuple = (none, none, no_rgb, none, none, no_rgb)
        self._laid_out: tuple[float, float] | None = None
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(150)
        self._relayout.timeout.connect(self._relayout_now)
        pi.getViewBox().sigResized.connect(lambda *_: self._view_changed())
        pi.getViewBox().sigRangeChanged.connect(lambda *_: self._view_changed())
        self._class_scale = 1.0
        self._rect_for: tuple | None = None
        self._data: Dataset | None = None
        self.class_names: tuple[str, ...] = ()
        self.scale = 1.0  # presentation mode draws markers larger (set_scale)
        colors.style_view(self)
        colors.follow(self, self.apply_look)

    def apply_look(self) -> None:
        """The theme or the palette changed: draw everything again in the new one."""
        colors.style_view(self)
        self.curve.setPen(pg.mkPen(colors.train_curve(), width=3 * self.scale))
        if self._data is not None:
            grid = self._grid
            self.set_dataset(self._data, self.class_names)
            self.update_grid(grid)
        else:
            self._colour_bar()

    def set_output(self, facts: Facts) -> None:
        """The network's output (its activation and units; explain.facts_of of the window),
        for the scale's title: "P(lemon)" of a sigmoid, "score for lemon (tanh)" of a tanh."""
        if facts != self.output:
            self.output = facts
            self._colour_bar()
            if self.mode == CLASSES_1D:
                self._left_label()

    def _left_label(self) -> None:
        """The 1-D plot's height: a class, and the model's probability of it (or score)."""
        what = "probability" if self.output.probability else "output"
        self.getPlotItem().setLabel("left", f"class / {what}", color=colors.hex_of(colors.text()))

    def _colour_bar(self) -> None:
        """The scale in the current palette; under Discretize the two classes, named, not 0..1."""
        names = self.class_names or ("class 0", "class 1")
        ax = self.colorbar.axis
        if self.mode == BINARY and self.discretize:
            # The regions' colours (the bar sets the image's): faded, the points stand off them.
            c0, c1 = colors.discrete_region(0), colors.discrete_region(1)
            self.colorbar.setColorMap(pg.ColorMap(pos=np.array([0.0, 0.5, 0.5, 1.0]),
                                                  color=[c0, c0, c1, c1]))
            ax.setTicks([[(0.25, names[0]), (0.75, names[1])]])
            ax.setLabel("predicted class")
            metrics = QFontMetrics(ax.style.get("tickFont") or self.font())
            # The names, then the title's line beside them (presentation mode's larger title
            # was drawn over "class 0" and "class 1" with room for the names alone).
            title = QFontMetrics(ax.label.font()).height()
            ax.setWidth(max(int(45 * self.scale),
                            max(metrics.horizontalAdvance(n) for n in names[:2]) + 12 + title))
        else:
            self.colorbar.setColorMap(colors.diverging_map())
            ax.setTicks(None)
            ax.setWidth(int(45 * self.scale))  # wider with larger numbers: the title clears them
            target = self._data.target_name if self._data is not None else ""
            ax.setLabel(replace(self.output, names=names).scale_title() if self.mode == BINARY else
                        (target or "value") if self.mode == REGRESSION_2D else "")

    def show_waiting(self, text: str) -> None:
        """Before its first data set: ``text`` in the middle, no axes. pyqtgraph's empty
        plane, locked 1:1, was numbered from -6e-17 to 0 and "0 2e-15 4e-15" printed over each
        other (the Backprop tab for the seconds a session or a first run took to compile,
        review r25 F9). set_dataset draws the axes again."""
        pi = self.getPlotItem()
        self.mode = NO_PLANE
        for side in ("bottom", "left"):
            pi.showAxis(side, False)
        self.colorbar.setVisible(False)
        pi.getViewBox().setAspectLocked(False)
        self._aspect = None
        self._fit_aspect()
        pi.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.note.setColor(colors.text())
        self.note.setText(text)
        self.note.setPos(0.5, 0.5)
        self._wrap_note()

    # --- the data: once per data set ---------------------------------------------------------

    def set_dataset(self, data: Dataset, class_names: tuple[str, ...] = ()) -> None:
        """Draw ``data``'s points; ``class_names``: the classes' names for the colour bar."""
        pi = self.getPlotItem()
        self._data = data
        self.class_names = tuple(class_names) or tuple(
            f"class {k}" for k in range(max(data.n_classes, 2)))
        self._grid, self._rect_for = None, None
        self.heat.clear()
        self.class_img.clear()
        self.curve.setData([], [])
        for c in self.class_curves:
            pi.removeItem(c)
        self.class_curves = []
        self.note.setText("")
        self.note.setColor(colors.text())
        if data.n_features == 2:
            if data.is_classification:
                self.mode = BINARY if data.n_classes <= 2 else MULTICLASS
            else:
                self.mode = REGRESSION_2D
        elif data.n_features == 1:
            self.mode = CLASSES_1D if data.is_classification else REGRESSION_1D
        else:
            self.mode = NO_PLANE

        if self.mode == REGRESSION_2D:
            lo, hi = float(np.min(data.y)), float(np.max(data.y))
            pad = 0.05 * (hi - lo or 1.0)
            self.levels = (lo - pad, hi + pad)
        else:
            self.levels = (0.0, 1.0)
        self.colorbar.setLevels(self.levels)
        self._colour_bar()
        self.colorbar.setVisible(self.colour_bar and self.mode in (BINARY, REGRESSION_2D))
        self.heat.setVisible(self.mode in (BINARY, REGRESSION_2D))
        self.class_img.setVisible(self.mode == MULTICLASS)
        self.curve.setVisible(self.mode == REGRESSION_1D)

        names = data.feature_names or tuple(f"x{i + 1}" for i in range(data.n_features))
        if self.mode in (REGRESSION_1D, CLASSES_1D):
            x_tr, y_tr = data.X_train[:, 0], data.y_train.astype(np.float32)
            x_te, y_te = data.X_test[:, 0], data.y_test.astype(np.float32)
            pi.setLabel("bottom", names[0], color=colors.hex_of(colors.text()))
            if self.mode == REGRESSION_1D:
                pi.setLabel("left", data.target_name or "y", color=colors.hex_of(colors.text()))
            else:
                self._left_label()
            if self.mode == CLASSES_1D:
                k = max(data.n_classes, 2)
                # Points at the height of their class; curves: the model's P(class) (scaled
                # to the same heights when there are more than two classes).
                scale = 1.0 if k == 2 else float(k - 1)
                self._class_scale = scale
                shown = range(1, 2) if k == 2 else range(k)
                for c in shown:
                    item = pg.PlotDataItem(pen=pg.mkPen(colors.class_color(c),
                                                        width=3 * self.scale))
                    item.setZValue(5)
                    pi.addItem(item)
                    self.class_curves.append(item)
        elif self.mode == NO_PLANE:
            x_tr = y_tr = x_te = y_te = np.zeros(0)
            pi.setLabel("bottom", "", color=colors.hex_of(colors.text()))
            pi.setLabel("left", "", color=colors.hex_of(colors.text()))
        else:
            x_tr, y_tr = data.X_train[:, 0], data.X_train[:, 1]
            x_te, y_te = data.X_test[:, 0], data.X_test[:, 1]
            pi.setLabel("bottom", names[0], color=colors.hex_of(colors.text()))
            pi.setLabel("left", names[1], color=colors.hex_of(colors.text()))
        if self.mode == NO_PLANE:
            rgb_tr = rgb_te = np.zeros((0, 3), np.uint8)
        else:
            rgb_tr, rgb_te = self._point_colors(data)
        self._points = (x_tr, y_tr, rgb_tr, x_te, y_te, rgb_te)
        self._laid_out = None
        self._off_text = ""

        # No plane: the message alone, without axes (an empty 0-1 frame around it looked like
        # a plot that failed to draw).
        for side in ("bottom", "left"):
            pi.showAxis(side, self.mode != NO_PLANE)
        if self.mode == NO_PLANE:
            self.note.setText(
                f"The data has {data.n_features} features: there is no plane of inputs to "
                "draw the model on.\n\nThe loss curve shows how training goes; Hidden space "
                "shows the data as a hidden layer sees it; Network, Gradients and Landscape "
                "show the weights.")
            self.note.setPos(0.5, 0.5)
            self._wrap_note()
            pi.getViewBox().setAspectLocked(False)
            self._aspect = None
            self._fit_aspect()
            pi.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self._draw_points()
            return
        b = data.bounds(0.1)
        # The plane is drawn 1:1 (a unit of x1 as long as a unit of x2: the moons are not
        # stretched); a curve over one feature fills the plot.
        plane = self.mode not in (REGRESSION_1D, CLASSES_1D)
        # Features on very different scales (x1 in tens, x2 in hundredths: arrays given to
        # nnviz.show as they are) have no shape to keep: 1:1 the plane collapsed to a line,
        # its tick labels and the colour bar's stacked. Then each axis fits its own feature.
        ratio = equal_aspect(b[0][1] - b[0][0], b[1][1] - b[1][0]) if plane else None
        plane = ratio is not None
        pi.getViewBox().setAspectLocked(plane)
        self._aspect = ratio if plane else None
        self._fit_aspect()
        if self.mode in (REGRESSION_1D, CLASSES_1D):
            lo, hi = float(np.min(data.y)), float(np.max(data.y))
            pad = 0.1 * (hi - lo or 1.0)
            self._home_y = (lo - pad, hi + pad)
            pi.setRange(xRange=b[0], yRange=self._home_y, padding=0)
            self._y_set = tuple(pi.getViewBox().viewRange()[1])
        else:
            pi.setRange(xRange=b[0], yRange=b[1], padding=0)
        pi.disableAutoRange()
        self._steady_ticks(b if self.steady_ticks and plane else None)
        self._draw_points()

    def _steady_ticks(self, bounds) -> None:
        """The axes' numbers at a step of the data's ``bounds`` (x, y) of a plane drawn 1:1,
        not of the plot's pixels: one step on both axes (its grid square), the moons' 1:
        -1, 0, 1, 2 and -1, 0, 1. None: pyqtgraph's own steps again (a curve, a plane of
        features on different scales)."""
        pi = self.getPlotItem()
        step = None if bounds is None else steady_step(max(float(hi - lo) for lo, hi in bounds))
        for axis in (pi.getAxis("bottom"), pi.getAxis("left")):
            if step is None:
                axis.setTickSpacing()
            else:
                axis.setTickSpacing(major=step, minor=step)

    def _draw_points(self) -> None:
        """The points of the data set set last: all of them full size, or for a large one the
        size and sample that the plot's pixels, as they are now, show apart (``fit_points``)."""
        data = self._data
        x_tr, y_tr, rgb_tr, x_te, y_te, rgb_te = self._points
        n_tr, n = len(x_tr), len(x_tr) + len(x_te)
        full = POINT_SIZE * self.scale
        if n <= FULL_POINTS:
            keep_tr, keep_te, size = np.arange(n_tr), np.arange(len(x_te)), full
            self._laid_out = None
            if self.fit_markers and n:  # the size that stands apart here; every point kept
                sx, sy = self._laid_out = self._pixels_per_unit()
                u = np.concatenate([x_tr, x_te]).astype(np.float64) * sx
                v = np.concatenate([y_tr, y_te]).astype(np.float64) * sy
                # (as drawn: a view's markers are scaled after it draws, scale_scene; the least
                # as drawn too: larger text drew 7.5 px markers over the moons' boundary)
                k = self._scene_scale()
                size = fit_points(u, v, full * k, min(FIT_LEAST * self.scale, full * k))[0] / k
        else:
            sx, sy = self._pixels_per_unit()
            self._laid_out = (sx, sy)
            u = np.concatenate([x_tr, x_te]).astype(np.float64) * sx
            v = np.concatenate([y_tr, y_te]).astype(np.float64) * sy
            size, keep = fit_points(u, v, full, min(MIN_POINT_SIZE * self.scale, full))
            keep_tr, keep_te = keep[keep < n_tr], keep[keep >= n_tr] - n_tr
        f = size / full  # outlines thin with the markers
        # Points coloured by value sit on a heatmap of the same colours: a contrasting rim shows
        # them; class points a dark rim (see colors.point_rim).
        rim = pg.mkPen(colors.text(), width=1 * f) if self.mode == REGRESSION_2D else \
            pg.mkPen(colors.point_rim(), width=1.2 * f)
        sym_tr, sym_te = self._symbols(data, keep_tr, keep_te)
        self.train_points.setData(x_tr[keep_tr], y_tr[keep_tr],
                                  brush=shared(rgb_tr[keep_tr], pg.mkBrush), pen=rim, symbol=sym_tr,
                                  size=size)
        # Hollow (colors.test_fill): the light background inside the outline; on the dark theme
        # the heatmap dimmed towards the background, the outline standing off the dark
        # background and that inside (colors.test_outline).
        self.test_points.setData(x_te[keep_te], y_te[keep_te],
                                 brush=pg.mkBrush(*colors.test_fill()),
                                 pen=shared(rgb_te[keep_te], lambda *c: pg.mkPen(
                                     *colors.test_outline(c), width=2.2 * f)),
                                 symbol=sym_te, size=size + self.scale * f)
        self.test_rims.setData(x_te[keep_te], y_te[keep_te], symbol=sym_te,
                               pen=pg.mkPen(*colors.point_rim(), 200, width=1 * f),
                               size=size + 4 * self.scale * f)
        if self.fit_markers and self._scene_scale() != 1.0:
            # at its view's scale now, not after the view's next draw: a size fitted again
            # after a resize (_relayout_now) or a new look stayed at its normal size till then
            from .presentation import scale_scene
            scale_scene(self, self._scene_scale())
        drawn = len(keep_tr) + len(keep_te)
        # Thinned, train and test points share the cells; the training points (most of the
        # data) are drawn over the test points' rims.
        thinned = drawn < n
        self.train_points.setZValue(12 if thinned else 10)
        self._sample_text = f"A sample of the points: {drawn:,} of {n:,} drawn" if thinned \
            else ""
        # In the theme's colours through the palette, not a style sheet: one would keep
        # presentation mode's larger font from reaching it (colors.tint).
        pal = self.sample_note.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(*colors.background(), 210))
        pal.setColor(QPalette.ColorRole.WindowText, QColor(*colors.text()))
        self.sample_note.setPalette(pal)
        self._show_note()

    def _show_note(self) -> None:
        text = "\n".join(t for t in (self._sample_text, self._off_text) if t)
        self.sample_note.setText(text)
        self.sample_note.adjustSize()
        self.sample_note.setVisible(bool(text))
        self._place_note()

    def _pixels_per_unit(self) -> tuple[float, float]:
        """Screen pixels per unit of x and of y as the plot shows them now (before the plot is
        laid out: as if its view were 600 pixels wide)."""
        vb = self.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        w, h = vb.width(), vb.height()
        if w < 50 or h < 50:
            w = h = 600.0
        return w / ((x1 - x0) or 1.0), h / ((y1 - y0) or 1.0)

    def _view_changed(self) -> None:
        """A resize or a zoom: a large data set laid out again (soon, once) when the plot's
        pixels per unit changed by more than RELAYOUT."""
        if self._laid_out is not None and not self._relayout.isActive():
            self._relayout.start()

    def _scene_scale(self) -> float:
        """The scale presentation mode or the text size draws a view's markers at, after the
        view draws (presentation.scale_scene; 1 for the main plot, scaled by set_scale)."""
        return float(self.property("nnvizScale") or 1.0)

    def _relayout_now(self) -> None:
        if self._laid_out is None or getattr(self, "closed", False):
            return
        was, now = self._laid_out, self._pixels_per_unit()
        if any(max(a, b) / max(min(a, b), 1e-12) > RELAYOUT for a, b in zip(was, now)):
            self._draw_points()

    def _symbols(self, data: Dataset, keep_tr: np.ndarray, keep_te: np.ndarray):
        """Each class's own shape (one symbol for every point without classes)."""
        if not data.is_classification or self.mode == NO_PLANE:
            return "o", "o"
        table = np.array([colors.class_symbol(k) for k in range(max(data.n_classes, 2))],
                         dtype=object)
        return list(table[data.y_train[keep_tr]]), list(table[data.y_test[keep_te]])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._place_note()
        self._wrap_note()
        self._fit_aspect()

    def _wrap_note(self) -> None:
        """The message in the plot's middle (no plane) wrapped to the plot's width, at most a
        comfortable line's: on one line it ran off both sides at 1024 px."""
        # Not while pyqtgraph closes the view (its scene cleared, the note's item gone: touching
        # it crashed), nor before the note exists, nor for a plane (no message then).
        if getattr(self, "closed", False) or getattr(self, "mode", None) != NO_PLANE:
            return
        note = self.note
        width = float(min(max(self.width() - 40, 120), 34 * self.font().pointSizeF() * 1.6))
        if note.textItem.textWidth() != width:
            note.setTextWidth(width)
            note.updateTextPos()

    def width_for_height(self) -> int | None:
        """The widget's width at which its plane, drawn 1:1, fills the height it has now (None:
        no plane kept at an aspect): what a layout gives it so no room goes to blank bands."""
        aspect = getattr(self, "_aspect", None)
        pi = getattr(self, "plotItem", None)
        if aspect is None or pi is None:
            return None
        # The axes' own sizes (set from their text), not the layout's: that is laid out again
        # only after the widget's resize, and read before it gave the old height's answer.
        shown = [pi.getAxis(k) for k in ("left", "right", "top", "bottom")
                 if pi.getAxis(k).isVisible()]
        axes_w = sum(a.minimumWidth() for a in shown if a.orientation in ("left", "right"))
        axes_h = sum(a.minimumHeight() for a in shown if a.orientation in ("top", "bottom"))
        room_h = self.height() - axes_h - MARGINS[1] - MARGINS[3]
        if room_h <= 0:
            return None
        return math.ceil(room_h * aspect + axes_w + MARGINS[0] + MARGINS[2])

    def height_for_width(self) -> int | None:
        """The widget's height at which its plane, drawn 1:1, fills the width it has now (None:
        no plane kept at an aspect): taller, the plane gets blank bands above and below."""
        aspect = getattr(self, "_aspect", None)
        pi = getattr(self, "plotItem", None)
        if aspect is None or pi is None:
            return None
        shown = [pi.getAxis(k) for k in ("left", "right") if pi.getAxis(k).isVisible()]
        room_w = self.width() - sum(a.minimumWidth() for a in shown) - MARGINS[0] - MARGINS[2]
        if room_w <= 0:
            return None
        return self.height_for_plane(math.ceil(room_w / aspect))

    def height_for_plane(self, plane: int) -> int:
        """The widget's height at which its plane's view box is ``plane`` px tall: that and
        the axes' own heights (set from their text) and the margins."""
        pi = getattr(self, "plotItem", None)
        shown = [pi.getAxis(k) for k in ("top", "bottom") if pi.getAxis(k).isVisible()] \
            if pi is not None else []
        return plane + sum(a.minimumHeight() for a in shown) + MARGINS[1] + MARGINS[3]

    def _fit_aspect(self) -> None:
        """The plane's view box at the data's aspect: drawn 1:1, it would otherwise show blank
        bands beyond the model's image."""
        if getattr(self, "_fitting", True):  # (not while its own margins resize the view box)
            return
        self._fitting = True
        try:
            letterbox(self, getattr(self, "_aspect", None), MARGINS)
        finally:
            self._fitting = False

    def _place_note(self) -> None:
        note = getattr(self, "sample_note", None)  # pyqtgraph resizes while it is being built
        if note is None:
            return
        # One line where it fits; in a narrow plot (the Backprop tab's) it wraps rather than
        # running off the right edge (reviewer: "... one per class per 4-pix" at 100,000 points).
        # Inside the data's box, not over the colour bar beside it (its "1.0" was covered).
        pi = self.getPlotItem()
        area = self.mapFromScene(pi.getViewBox().sceneBoundingRect()) if pi is not None \
            else None
        box = area.boundingRect() if area is not None and area.boundingRect().width() > 100 \
            else None
        room = max(120, (box.width() - 12) if box is not None else self.width() - 60)
        note.setWordWrap(False)
        note.adjustSize()
        if note.width() > room:
            note.setWordWrap(True)
            note.resize(room, note.heightForWidth(room))
        # Under "compiling the new model..." while that shows: both at the top, they overlapped
        # at 100,000 points ("compiling the new model..." over "A sample of the points: ...").
        busy = getattr(self, "busy", None)
        top = 14 if busy is None or busy.isHidden() else busy.y() + busy.height() + 4
        right = box.right() - 6 if box is not None else self.width() - 40
        if box is not None:  # just above the box where there is room (the aspect's margin)
            top = max(top, box.top() - note.height() - 4)
        note.move(max(0, right - note.width()), top)

    def _point_colors(self, data: Dataset) -> tuple[np.ndarray, np.ndarray]:
        if data.is_classification:
            k = max(data.n_classes, 2)
            table = np.array([colors.class_color(i) for i in range(k)])
            if self.discretize and self.mode in (BINARY, MULTICLASS):
                # Off its own class's region (colors.discrete_fill): on it at its own colour, a
                # correctly classified point looked hollow, as the test points are.
                fills = np.array([colors.discrete_fill(i) for i in range(k)])
            else:
                fills = np.array([colors.point_fill(c) for c in table])  # off a dark background
            return fills[data.y_train], table[data.y_test]
        if self.mode == REGRESSION_2D:
            cmap = colors.point_map()
            lo, hi = self.levels

            def by_value(y):  # 64 shades: a brush per shade, not per point
                t = np.round(np.clip((y - lo) / (hi - lo), 0, 1) * 63) / 63
                return cmap.map(t, mode="byte")[:, :3]
            return by_value(data.y_train), by_value(data.y_test)
        dark = np.array([colors.high()])
        return dark.repeat(len(data.y_train), 0), dark.repeat(len(data.y_test), 0)

    # --- options -----------------------------------------------------------------------------

    def set_scale(self, scale: float) -> None:
        """Points, rings, the curve and the axes' text ``scale`` times their normal size
        (presentation mode: read from the back of a room)."""
        self.scale = scale
        if self._laid_out is not None:
            self._draw_points()  # a large data set: its sizes and sample are the pixels'
        else:
            self.train_points.setSize(POINT_SIZE * scale)
            self.test_points.setSize((POINT_SIZE + 1) * scale)
            self.test_rims.setSize((POINT_SIZE + 4) * scale)
        self.curve.setPen(pg.mkPen(colors.train_curve(), width=3 * scale))
        for item in self.class_curves:
            item.setPen(pg.mkPen(item.opts["pen"].color(), width=3 * scale))
        pi = self.getPlotItem()
        scale_axes([pi.getAxis("left"), pi.getAxis("bottom"), self.colorbar.axis], self.font(),
                   scale)
        # The message in the middle (three features: no plane) too: it stayed at a third of
        # the presentation size of the text round it (review r26 F6).
        font = QFont(self.note.textItem.font())
        font.setPointSizeF(self._note_pt * scale)
        self.note.setFont(font)
        self._wrap_note()
        self._colour_bar()

    def set_busy(self, busy: bool) -> None:
        """The "compiling the new model..." chip (a new model compiles: no prediction of it
        yet). The last model's prediction goes with it: a big model compiles for ~35 s, and the
        old boundary, its colours under the colour bar, read as the new model's (review r23 F2);
        the plane stays blank, as after a new data set, until the new model's first frame."""
        if busy:
            self.clear_prediction()
            # In the theme's colours (a white box on the dark theme's plot, until now).
            bg, fg = colors.background(), colors.text()
            edge = colors.hex_of(tuple((a + b) // 2 for a, b in zip(bg, fg)))
            self.busy.setStyleSheet(
                f"QLabel {{ background: rgba({bg[0]}, {bg[1]}, {bg[2]}, 220); "
                f"color: {colors.hex_of(fg)}; border: 1px solid {edge}; border-radius: 4px; "
                "padding: 4px 8px; }")
            self.busy.adjustSize()
            self.busy.raise_()
        self.busy.setVisible(busy)
        self._place_note()

    def clear_prediction(self) -> None:
        """No model's prediction drawn (the points stay): until the next ``update_grid``."""
        self._grid, self._pending, self._rect_for = None, False, None
        self.heat.clear()
        self.class_img.clear()
        self.curve.setData([], [])
        for c in self.class_curves:
            c.setData([], [])

    def set_show_test(self, show: bool) -> None:
        self.test_points.setVisible(show)
        self.test_rims.setVisible(show)

    def set_discretize(self, on: bool) -> None:
        changed, grid = on != self.discretize, self._grid
        self.discretize = on
        if changed and self._data is not None and self.mode in (BINARY, MULTICLASS):
            self.set_dataset(self._data, self.class_names)  # the points' fills (_point_colors)
        self._colour_bar()
        if grid is not None:
            self.update_grid(grid)

    # --- the model: every snapshot -------------------------------------------------------------

    def update_grid(self, grid: Grid | None) -> None:
        self._grid = grid
        if not self.isVisible() and self.window().isVisible():
            # In a tab not shown (the main plot while another tab is in front): drawn when it
            # shows. Its new image every frame cost every other tab ~0.5-1 ms of a frame.
            self._pending = True
            return
        self._draw_grid(grid)

    def _draw_grid(self, grid: Grid | None) -> None:
        self._pending = False
        if grid is None or self.mode == NO_PLANE:
            return
        v = grid.values
        if self.mode == REGRESSION_1D:
            y = v if v.ndim == 1 else v[:, 0]
            self.curve.setData(grid.xs, y)
            self._follow_prediction(np.asarray(y, np.float64))
            return
        if self.mode == CLASSES_1D:
            cols = v[:, None] if v.ndim == 1 else v
            if len(self.class_curves) == 1:  # two classes: P(class 1)
                cols = cols[:, -1:]
            for i, item in enumerate(self.class_curves):
                y = cols[:, i]
                if self.discretize:
                    y = (y >= 0.5).astype(np.float32) if cols.shape[1] == 1 else \
                        (np.argmax(cols, axis=1) == i).astype(np.float32)
                item.setData(grid.xs, y * self._class_scale)
            return
        if v.ndim == 3 and v.shape[-1] == 2 and self.mode == BINARY:
            v = v[..., 1]  # two class scores: show P(class 1)
        if self.mode == MULTICLASS and v.ndim == 3:
            self.class_img.setImage(colors.class_image(v, self.discretize, CLASS_FINE),
                                    autoLevels=False, levels=(0, 255))
            self._place(self.class_img, grid, CLASS_FINE)
            return
        if v.ndim == 3:
            v = v[..., 0]
        if self.discretize and self.mode == BINARY:
            v = (v >= 0.5).astype(np.float32)
        self.heat.setImage(np.ascontiguousarray(v, dtype=np.float32), autoLevels=False,
                           levels=self.levels)
        self._place(self.heat, grid)

    def _follow_prediction(self, y: np.ndarray) -> None:
        """The y range of a 1-D regression: the data's (as set with the data) while the model's
        line stays inside it; else widened to take the line in, up to PREDICTION_ROOM spreads
        of the data beyond it, in round steps (stepped_range.nice_range) that stay while the
        line does not leave them and fills at least half of them, so the axis does not move
        every frame. Where the line goes further, a note over the plot says how far. A range
        the user zoomed or dragged to is left alone."""
        home, was = self._home_y, self._y_set
        if home is None:
            return
        vb = self.getPlotItem().getViewBox()
        shown = tuple(vb.viewRange()[1])
        if was is not None and not np.allclose(shown, was, rtol=1e-6, atol=1e-9):
            return  # the user's own view
        finite = y[np.isfinite(y)]
        lo, hi = home
        spread = hi - lo
        cap = (lo - PREDICTION_ROOM * spread, hi + PREDICTION_ROOM * spread)
        plo, phi = (float(finite.min()), float(finite.max())) if finite.size else home
        if plo >= lo and phi <= hi:
            new = home
        else:
            want = (max(min(lo, plo), cap[0]), min(max(hi, phi), cap[1]))
            inside = was is not None and was[0] <= want[0] and want[1] <= was[1]
            if inside and was != home and (want[1] - want[0]) >= 0.5 * (was[1] - was[0]):
                new = was
            else:
                room = 0.05 * (want[1] - want[0])
                new = nice_range(want[0] - room, want[1] + room)
        if new != was:
            self.getPlotItem().setRange(yRange=new, padding=0)
            self._y_set = tuple(vb.viewRange()[1])
        below, above = plo < self._y_set[0], phi > self._y_set[1]
        off = ""
        if below or above:
            ends = [f"down to {plo:.3g}"] * below + [f"up to {phi:.3g}"] * above
            off = f"The model's line leaves the plot: it goes {' and '.join(ends)}"
        if off != self._off_text:
            self._off_text = off
            self._show_note()

    def draw_pending(self) -> None:
        """Draw the grid that came while the plot was hidden (for a picture of it)."""
        if self._pending:
            self._draw_grid(self._grid)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self.draw_pending()

    def _place(self, item: pg.ImageItem, grid: Grid, fine: int = 1) -> None:
        """``item`` over the grid's plane; ``fine``: its image has that many pixels a grid
        cell (colors.class_image's ``fine``)."""
        key = (id(grid.xs), id(grid.ys), len(grid.xs), len(grid.ys), fine)
        if self._rect_for == key:
            return
        self._rect_for = key
        # In float64: the float32 grid's width overflowed for raw features of +-3e38 (an
        # infinite rectangle, no map drawn).
        xs, ys = np.asarray(grid.xs, np.float64), np.asarray(grid.ys, np.float64)
        fine = fine if len(xs) > 1 and len(ys) > 1 else 1
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) / fine
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) / fine
        # Pixel centres sit on the grid points (and ``fine`` - 1 between two of them).
        item.setRect(QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2),
                            float(xs[-1] - xs[0] + dx), float(ys[-1] - ys[0] + dy)))

    def image_data(self) -> np.ndarray | None:
        """What the plane shows now (for tests and exports)."""
        self.draw_pending()
        if self.mode == MULTICLASS:  # at the grid's points (the finer pixels between them)
            img = self.class_img.image
            return None if img is None else img[::CLASS_FINE, ::CLASS_FINE]
        if self.mode == REGRESSION_1D:
            return self.curve.yData
        if self.mode == CLASSES_1D:
            return np.stack([c.yData for c in self.class_curves], axis=-1) \
                if self.class_curves and self.class_curves[0].yData is not None else None
        return self.heat.image


def shared(rgb: np.ndarray, make) -> list:
    """``make(r, g, b)`` called once per distinct colour of ``rgb`` (n, 3): the list of n
    objects, the same object for the same colour (pyqtgraph draws each object's symbol once)."""
    if not len(rgb):
        return []
    colours, which = np.unique(np.asarray(rgb, np.uint8), axis=0, return_inverse=True)
    table = [make(*(int(c) for c in colour)) for colour in colours]
    return [table[i] for i in which.ravel()]


def thin_to_cells(x: np.ndarray, y: np.ndarray, rgb: np.ndarray, nx: int, ny: int) -> np.ndarray:
    """Indices of one point of each colour in each cell of an ``nx`` x ``ny`` grid over the
    points' range (the first in the data's order, so the choice is the same every time)."""
    def cell(v: np.ndarray, n: int) -> np.ndarray:
        lo, hi = float(np.min(v)), float(np.max(v))
        return np.clip(((v - lo) / ((hi - lo) or 1.0) * n).astype(np.int64), 0, n - 1)
    _, colour = np.unique(np.asarray(rgb, np.uint8), axis=0, return_inverse=True)
    key = (cell(x, nx) * ny + cell(y, ny)) * (int(colour.max()) + 1) + colour.ravel()
    _, first = np.unique(key, return_index=True)
    return np.sort(first)


def fit_points(u: np.ndarray, v: np.ndarray, largest: float, smallest: float,
               seed: int = 0) -> tuple[float, np.ndarray]:
    """The marker size and the points to draw, in their drawing order, for points at screen
    pixels (``u``, ``v``): the largest size from ``largest`` down to ``smallest`` (a pixel at a
    time) at which a typical point shares the cell of ROOM diameters around it with at most one
    other (the mean, over the points, of their cell's count is at most CROWD); all points then,
    in a random order. Where even ``smallest`` crowds: one point per cell of ROOM x ``smallest``
    pixels, picked at random (each cell's mix of classes kept in proportion), in a random order.
    The same points for the same data (``seed``)."""
    n = len(u)
    order = np.random.default_rng(seed).permutation(n)
    if n == 0:
        return float(largest), order

    def cells(size: float) -> np.ndarray:
        side = size * ROOM
        i = np.floor(u / side).astype(np.int64)  # cells from pixel 0: the same for a subset
        j = np.floor(v / side).astype(np.int64)
        i -= i.min()
        j -= j.min()
        return i * (int(j.max()) + 1) + j

    def crowded(size: float) -> bool:
        counts = np.unique(cells(size), return_counts=True)[1]
        return (counts * counts).sum() / n > CROWD

    # Smaller markers crowd less: the smallest first (a large data set's sizes need not all be
    # tried), then from the largest down.
    if not crowded(smallest):
        size = float(largest)
        while size - 1 >= smallest and crowded(size):
            size -= 1
        return size, order
    key = cells(smallest)[order]
    _, first = np.unique(key, return_index=True)
    return float(smallest), order[np.sort(first)]
