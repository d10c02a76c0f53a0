"""Linear regions of a ReLU network (the "regions" tab).

Left: the input plane split into the regions where the network is one linear function (dark
lines where a unit switches on or off), each shaded by how steep that function is (the size of
the logit's gradient), with the data over it. Right: the number of regions over the run, from
the run log's checkpoints, with Zaslavsky's bound for one hidden layer. For smooth activations
the view says why regions do not apply. The numbers come from
:class:`nnviz.core.regions.RegionsProbe` in the worker thread.

A tab of its own rather than a layer of the Network or Backprop view: it needs the whole plane
large and its own curve over the run, and its probe (a 200 x 200 grid of activation patterns
and slopes) should only run while it is looked at.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from nnviz.core.regions import (PIECEWISE_LINEAR, Regions, layer_names, not_applicable,
                                 smooth_layers)
from nnviz.core.formatting import plural

from . import colors
from .boundary_plot import equal_aspect, shared
from .widgets import (COLOUR_BAR_GAP, FittedTitles, LabelRoom, Letterboxed, SparseAxis,
                      cache_axes, class_names_of, colour_bar, computing, fit_colour_bar,
                      loose_title, model_epoch, plain_axes)

BUDGET = 0.05
RIGHT_ROOM = 14  # px between the plane's picture and its widget's right edge
PLANE_MARGINS = (2, 2, RIGHT_ROOM, 2)  # the plane's widget's, round its plot (Letterboxed)
# The most of the plane's width its key (under it) may take where the view is short of height:
# presentation mode at 1024x768 takes ~16%; at text size 200% it took the whole height, the
# plane 0 px tall. Past it the key is left out (the plane's tooltip says lighter is steeper).
KEY_MOST_COST = 0.25
MIN_EPOCH_SPAN = 10  # the count plot's epoch axis shows at least 0..10
# The worker shows the window's epoch before the regions of it (core.loop's SLOW_PROBE_S, or a
# throttled probe's frame): they follow.
COMPUTING = "Computing the regions of epoch {epoch:,}\u2026"
EDGE_RGB = np.array([35, 35, 35], np.uint8)
# The key's title, on a line under its bar: the longest that fits the plane's width.
SLOPE_TITLES = ("slope ||∂z/∂x||: lighter is steeper", "slope: lighter is steeper",
                "lighter: steeper")
_LUT = pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256, alpha=False).astype(np.uint8)
# Lighter: the data points and the region lines must stay visible on it.
_LUT = (_LUT + (255 - _LUT.astype(np.int32)) * 0.35).astype(np.uint8)


# The most of the grid's cells the dark lines may cover: past it (thousands of regions, each a
# few cells: 6,493 on a 2-512x8-1 network) the lines were most of the picture, a black rectangle
# with the data on it (review r24 F7); the regions are told apart by their shades alone.
MAX_EDGE_FRACTION = 0.15
# Lightness of a region's shade, by its number, when the lines are not drawn: two neighbours of
# one slope would otherwise be one patch.
_DENSE_SHADES = np.array([1.0, 0.86, 0.93, 0.79, 0.965, 0.83, 0.895, 0.76])


class CountAxis(pg.AxisItem):
    """An axis of counts: whole numbers only. pyqtgraph steps a short range in fractions: a
    count that stayed 948 read 947.6, 947.8, 948.0, 948.2, 948.4 (its range 947.5 to 948.5),
    one from 3 to 5 read 3.0, 3.5, 4.0 ... A range less than one count wide has one number."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph)
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(step, offset) for step, offset in levels
                 if step >= 1 and float(step).is_integer() and float(offset).is_integer()]
        return whole or [(1.0, 0.0)]


def lines_drawn(r: Regions) -> bool:
    """Whether the lines between ``r``'s regions are drawn: not where they would cover more
    than MAX_EDGE_FRACTION of the grid's cells."""
    return r.edges is None or float(np.mean(r.edges)) <= MAX_EDGE_FRACTION


def slope_top(r: Regions) -> float:
    """The slope shaded lightest (and any steeper): the 99th percentile of ``r``'s, so that a
    few steep cells at the plane's edge do not leave the rest one dark shade."""
    s = np.nan_to_num(np.asarray(r.slope, np.float64))
    return max(float(np.percentile(s, 99)) if s.size else 1.0, 1e-12)


def region_image(r: Regions) -> np.ndarray:
    """RGB (res_y, res_x, 3): each cell shaded by its slope, the edges between regions dark
    (where they are too dense to see, each region's shade a little lighter or darker than its
    neighbours' instead: :func:`lines_drawn`)."""
    s = np.nan_to_num(np.asarray(r.slope, np.float64))
    idx = np.clip(s / slope_top(r) * 255, 0, 255).astype(np.uint8)
    rgb = _LUT[idx]
    if lines_drawn(r):
        rgb[r.edges] = EDGE_RGB
    elif r.ids is not None:
        shade = _DENSE_SHADES[np.asarray(r.ids) % len(_DENSE_SHADES)]
        rgb = (rgb * shade[..., None]).astype(np.uint8)
    return rgb


class RegionsView(QWidget):
    """The "regions" view."""

    stale = Signal()  # paused on an older result: the probe is asked again

    def __init__(self, window=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self._asked = None
        self.extras_key = "regions"
        self.snapshot = None
        self.result: Regions | None = None
        self._data_key = None
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        # The classes' key, as the main plot and the hidden space have: each class's shape in
        # its colour and its name (with a colour-blind palette the shapes tell them apart).
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setToolTip("The classes of the training points: each has its own shape and "
                            "colour.")
        self.key.hide()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setMargin(40)
        colors.tint(self.reason, "note")
        # The reason says "choose relu": one click does it, as the network editor would.
        self.use_relu = QPushButton("Use relu in the hidden layers")
        self.use_relu.setToolTip("Every smooth hidden layer (sigmoid, tanh, ...) becomes relu: "
                                 "a fresh model of the new network, as an edit in the network "
                                 "editor makes (Edit > Undo takes it back).")
        self.use_relu.clicked.connect(self._use_relu)
        self.use_relu.hide()

        # In the theme's colours from the start, as the other views are (it was white on the
        # dark theme until something outside restyled it), and again at every change of look.
        self.plane = pg.PlotWidget(background=colors.background(), enableMenu=False)
        self.plot = self.plane  # what bench/gui.py watches for this view's frames
        self.plane.setToolTip("The input plane: dark lines where a unit switches on or off; "
                              "between them the network is one linear function, shaded by "
                              "its slope (lighter yellow: steeper). With too many regions for "
                              "their lines to be seen, the lines are left out and each region "
                              "is a little lighter or darker than its neighbours.")
        pi = self.plane.getPlotItem()
        pi.hideButtons()
        # z: the output before its activation (a regression's has no logit)
        pi.setTitle("regions, shaded by the output's slope ||∂z/∂x||")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        pi.addItem(self.image)
        self.points = pg.ScatterPlotItem(size=7, pxMode=True)
        pi.addItem(self.points)
        self.curve_1d = pg.PlotDataItem(pen=pg.mkPen(colors.TRAIN_CURVE, width=2))
        pi.addItem(self.curve_1d)
        # What the shades mean, as the Landscape's map says it: "lighter is steeper" was in
        # the title's tooltip alone, and the plane had no key. Under the plane, not beside it:
        # the plane is 1:1 in a narrow column, its width what limits it (a key beside it took
        # a third of it at 1024x768), with height to spare above and below.
        self.bar, self.bar_title = colour_bar(
            pi, pg.ColorMap(np.linspace(0.0, 1.0, len(_LUT)), _LUT), SLOPE_TITLES[0],
            orientation="horizontal")
        self.bar.setToolTip("The shades of the regions: the size of the output's slope "
                            "||∂z/∂x|| in each, from 0 (dark) to the steepest (light; a "
                            "steeper 1% of the plane has the lightest shade too).")
        pi.getViewBox().sigResized.connect(self._fit_bar)
        self.plane.installEventFilter(self)  # presentation mode's scale (_fit_bar)
        cache_axes(pi)
        plain_axes(pi)  # the input plane's values
        # Room right of the picture, and a frame round it: flush with the widget's right edge
        # (against the count plot) the picture looked cut off there (review r24 F7).
        self._letterbox = Letterboxed(self.plane, margins=PLANE_MARGINS)

        # Its epochs named every k-th where they would touch: presentation mode at 1024x768
        # printed "0 100200 300" under the ~190 px plot.
        self.history = pg.PlotWidget(background=colors.background(), enableMenu=False,
                                     axisItems={"bottom": SparseAxis("bottom"),
                                                "left": CountAxis("left")})
        self.history.setToolTip("How many linear regions the network has cut the plane into, at "
                                "each recorded epoch (the dashed line: the most one hidden layer "
                                "of this width can make).")
        hp = self.history.getPlotItem()
        hp.hideButtons()
        hp.setTitle("number of regions over the run")
        hp.setLabel("bottom", "epoch")
        hp.setLabel("left", "regions")
        hp.showGrid(x=True, y=True, alpha=0.2)
        self.count_curve = hp.plot([], [], pen=pg.mkPen(8, 119, 189, width=2), symbol="o",
                                   symbolSize=5, symbolBrush=(8, 119, 189))
        self.bound_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(200, 80, 0, width=1.5,
                                                                 style=Qt.PenStyle.DashLine),
                                          label="Zaslavsky's bound",
                                          labelOpts={"color": (160, 60, 0), "position": 0.5,
                                                     # under the line: the bound is often
                                                     # the plot's top, and above it the words
                                                     # were cut off (reviewer); in the middle:
                                                     # at 70% of a narrow plot they ran past
                                                     # its right edge (1400x900), at its right
                                                     # end past the left (1024x768)
                                                     "anchors": [(0.5, 0), (0.5, 0)]})
        hp.addItem(self.bound_line)
        self.bound_line.hide()
        self._bound = None
        hp.getViewBox().sigResized.connect(self._fit_bound_words)
        cache_axes(hp)

        # On one line each, and the least width of their plots, the titles pushed the two
        # plots past the view's right edge at 1024x768 (the plane cut at x1 = 1.6, the moons
        # reach 2.1): two lines, and no say in the width.
        # Their size: the largest both fit their plots' widths at (on two lines when that is
        # larger), presentation mode's scale included (they stayed 10 pt beside its ~15 pt
        # axes, reviewer), in rows that hold them (scaled, they ran over the plots).
        for plot_item in (pi, hp):
            loose_title(plot_item)
        self._titles = FittedTitles(self.plane, two_lines=True, more=(self.history,), grow=True)
        self.split = QSplitter()
        self.split.addWidget(self.plane)
        self.split.addWidget(self.history)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        # The reason and its button together, in the middle of the view.
        self.no_regions = QWidget()
        nl = QVBoxLayout(self.no_regions)
        nl.addStretch(1)
        nl.addWidget(self.reason)
        nl.addWidget(self.use_relu, 0, Qt.AlignmentFlag.AlignHCenter)
        nl.addStretch(1)
        self.no_regions.hide()
        lay.addWidget(LabelRoom(self.header))  # a new count every frame: no new layout
        lay.addWidget(self.key)
        lay.addWidget(self.no_regions, 1)
        lay.addWidget(self.split, 1)
        lay.addStretch(0)  # the header at the top while the plots are hidden (_waiting)
        self._waiting()  # until the first frame: the words, not empty axes
        self.apply_look()
        colors.follow(self, self.apply_look)

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look): the plots' grounds, axes and titles,
        the points and the key in the new colours (a result already drawn was kept as it was:
        update_snapshot skips the same result)."""
        for plot in (self.plane, self.history):
            colors.style_view(plot)
        self.plane.getPlotItem().getViewBox().setBorder(pg.mkPen(*colors.theme().axis))
        self._data_key = None
        if self.result is not None and self.result.reason is None:
            self._draw_plane(self.result)

    def update_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        r = snapshot.extras.get(self.extras_key)
        pending = self.extras_key in getattr(snapshot, "pending", ())
        if r is None:
            reason = not_applicable(snapshot.spec)
            if reason is not None:  # at once: the network's activations say it, no probe
                self._show_reason(reason, snapshot.spec)
            elif self.result is None:
                self._waiting()
            elif pending:
                self._say_computing(snapshot)
            return
        paused = not getattr(self.main_window, "playing", True)
        if r.epoch != snapshot.epoch and paused and not pending \
                and self._asked != snapshot.epoch:
            self._asked = snapshot.epoch  # a throttled frame right after a Step: ask once
            self.stale.emit()
        if r is self.result:
            # A throttled probe hands out the same result again (nothing new to draw), or the
            # worker computes this epoch's after it (pending): say so, the last ones shown.
            if (pending or paused) and r.reason is None:
                self._say_computing(snapshot)
            return
        self.result = r
        if r.reason is not None:
            self._show_reason(r.reason, snapshot.spec)
            return
        self.no_regions.hide()
        self.split.show()
        self._draw_plane(r)
        self.key.setVisible(bool(self.key.text()))
        self.count_curve.setData(r.history_epochs, r.history_counts)
        # Epochs from 0: one count at epoch 0 had the axis run from -500 to 500 "x0.001".
        epochs = r.history_epochs
        last = int(np.max(epochs)) if epochs is not None and len(epochs) else 0
        view_box = self.history.getPlotItem().getViewBox()
        if last < MIN_EPOCH_SPAN:
            view_box.setXRange(0, MIN_EPOCH_SPAN, padding=0.02)
        else:
            view_box.enableAutoRange(x=True)
        if r.bound is not None:
            self.bound_line.setValue(r.bound)
            self._bound = r.bound
            self._fit_bound_words()
            self.bound_line.show()
        else:
            self.bound_line.hide()
        self._say_computing(snapshot)

    def _say_computing(self, snapshot) -> None:
        """The header: the regions drawn, and (while paused, when they are an earlier epoch's
        than the window's) that those of the window's epoch are being computed: seconds on a
        2-512x8-1 network, where the tab read "at epoch 0" long after a pause at 274 (review
        r24 F6)."""
        r = self.result
        if r is None or r.reason is not None:
            return
        text = self._text(r, snapshot)
        if r.epoch != snapshot.epoch and (
                self.extras_key in getattr(snapshot, "pending", ())
                or not getattr(self.main_window, "playing", True)):
            text = f"{COMPUTING.format(epoch=snapshot.epoch)}<br>{text}"
        self.header.setText(text)

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): the last run's regions go now;
        a network without piecewise-linear layers is explained at once (no frame needed)."""
        self.result, self._asked = None, None
        w = self.main_window
        spec = w.current_problem().spec if w is not None else None
        reason = not_applicable(spec) if spec is not None else None
        if reason is not None:
            self._show_reason(reason, spec)
        else:
            self._waiting()

    def _waiting(self) -> None:
        """No regions of this run yet: the words, not empty axes."""
        self.header.setText(f"<b>Linear regions</b> — {computing('the regions', False)}")
        self.key.hide()
        self.no_regions.hide()
        self.split.hide()

    def _show_reason(self, reason: str, spec) -> None:
        self.header.setText("<b>Linear regions</b>")
        self.key.hide()
        self.reason.setText(reason)
        self.no_regions.show()
        fixable = self.main_window is not None and not_applicable(_with_relu(spec)) is None
        if fixable:  # what it changes: the layers the reason names, not "the hidden layers"
            layers = smooth_layers(spec)
            self.use_relu.setText(f"Use relu in {layer_names(layers)}"
                                  if len(layers) < len(spec.activations) else
                                  "Use relu in the hidden layers")
        self.use_relu.setVisible(fixable)
        self.split.hide()

    def _fit_bound_words(self, *_) -> None:
        """The bound's words on one line if the count plot is wide enough, else on two, else
        the number alone (presentation mode at 1024x768: the plot ~150 px, one line ~200)."""
        if self._bound is None:
            return
        label = self.bound_line.label
        room = self.history.getPlotItem().getViewBox().width() - 6
        for words in (f"Zaslavsky's bound: {self._bound}", f"Zaslavsky's\nbound: {self._bound}",
                      f"{self._bound}"):
            if label.textItem.toPlainText() != words:
                label.format = words  # setFormat does not set the text of a hidden label
                label.setText(words)
            if label.textItem.boundingRect().width() <= room:
                break

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # Presentation mode (or the text size) marks its scale on the plane before it sizes
        # the text: the key is fitted once that is done.
        if obj is self.plane and event.type() == QEvent.Type.DynamicPropertyChange \
                and bytes(event.propertyName()) == b"nnvizScale":
            QTimer.singleShot(0, self, self._fit_bar)
        return False

    def _fit_bar(self, *_) -> None:
        """The key's numbers their room at presentation mode's scale (it marks the plot), and
        its title the longest of SLOPE_TITLES the plane's width takes at the title's size."""
        QTimer.singleShot(0, self, self._place_key)  # (out of the layout's resize)
        fit_colour_bar(self.bar, max(1.0, float(self.plane.property("nnvizScale") or 1.0)))
        label = self.bar_title
        room = self.plane.getPlotItem().getViewBox().width()
        for words in SLOPE_TITLES:
            if label.text != words:
                label.setText(words)  # (its size as presentation mode set it)
            if label.itemRect().width() <= room:
                break

    def _place_key(self) -> None:
        """The key shown under the plane unless it would take more than KEY_MOST_COST of the
        plane's width: the plane 1:1 in the plot's room with and without the key's height, as
        widgets.letterbox fits it."""
        pi = self.plane.getPlotItem()
        vb = pi.getViewBox()
        aspect = self._letterbox.aspect
        shown = self.bar.isVisible()
        if aspect is None:  # a 1-D strip: its height stretches, the key costs no width
            keep = True
        else:
            least = Qt.SizeHint.MinimumSize
            key_h = (self.bar.effectiveSizeHint(least).height() + COLOUR_BAR_GAP
                     + self.bar_title.effectiveSizeHint(least).height())
            left, top, right, bottom = pi.layout.getContentsMargins()
            axes_w = pi.size().width() - left - right - vb.size().width()
            axes_h = pi.size().height() - top - bottom - vb.size().height() - (
                key_h if shown else 0.0)  # the plot's rows but the view's, without the key
            room_w = self.plane.width() - axes_w - PLANE_MARGINS[0] - PLANE_MARGINS[2]
            room_h = self.plane.height() - axes_h - PLANE_MARGINS[1] - PLANE_MARGINS[3]
            without = min(room_w, room_h * aspect)
            keep = without <= 0 or min(room_w, (room_h - key_h) * aspect) \
                >= (1 - KEY_MOST_COST) * without
        if keep != shown:
            self.bar.setVisible(keep)
            self.bar_title.setVisible(keep)
            pi.layout.activate()  # the view's new height for the letterbox to measure
            self._letterbox.set_aspect(aspect)

    def _use_relu(self) -> None:
        w = self.main_window
        if w is None:
            return
        w.editor.set_spec(_with_relu(w.current_problem().spec))
        w.editor.changed.emit()  # the editor's own edit: a fresh model, an undo step

    def _draw_plane(self, r: Regions) -> None:
        xs, ys = r.xs, r.ys
        pi = self.plane.getPlotItem()
        rgb = region_image(r)
        one_d = not len(ys)
        if one_d:  # one input: a strip of intervals under the data
            lo, hi = float(np.min(r.data_y)), float(np.max(r.data_y))
            pad = 0.1 * ((hi - lo) or 1.0)
            y0, y1 = lo - pad, hi + pad
        else:
            y0, y1 = float(ys[0]), float(ys[-1])
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (y1 - y0) / max(len(ys) - 1, 1) if not one_d else 0.0
        self.image.setImage(np.ascontiguousarray(rgb), autoLevels=False, levels=(0, 255))
        self.bar.setLevels((0.0, slope_top(r)))
        self._fit_bar()  # (its ends' numbers are its insets)
        self.image.setRect(QRectF(float(xs[0] - dx / 2), float(y0 - dy / 2),
                                  float(xs[-1] - xs[0] + dx), float(y1 - y0 + dy)))
        key = (id(r.data_X), len(xs), len(ys))
        if key != self._data_key:
            self._data_key = key
            X, y = r.data_X, r.data_y
            if one_d:
                px, py = X[:, 0], y.astype(np.float32)
            else:
                px, py = X[:, 0], X[:, 1]
            symbols = "o"
            if np.issubdtype(np.asarray(y).dtype, np.integer):
                k = int(np.max(y, initial=0)) + 1
                fills = [colors.point_fill(colors.class_color(c)) for c in range(k)]
                rgb_pts = np.array(fills)[np.asarray(y, int)]  # off a dark background too
                # Each class its shape, as in the other views (one string per class, shared).
                shapes = np.array([colors.class_symbol(c) for c in range(k)], object)
                symbols = shapes[np.asarray(y, int)]
                self.key.setText(colors.class_key_html(class_names_of(self.main_window, k), test=False))
            else:
                rgb_pts = np.repeat(np.array([colors.TRAIN_CURVE]), len(y), 0)
                self.key.setText("")
            self.points.setData(px, py, brush=shared(rgb_pts, pg.mkBrush), symbol=symbols,
                                pen=pg.mkPen("w", width=0.8))
            # The plane 1:1 as the main view draws it (a unit of x1 as long as one of x2: the
            # lines between regions at their true angles; unlocked, the moons were squeezed
            # sideways and the y axis had 22 numbers), with its axes named.
            self._letterbox.set_aspect(None if one_d else
                                       equal_aspect(float(xs[-1] - xs[0]), y1 - y0))
            # The data's own names, as the main plot's (an import's width, height; its target)
            data = getattr(self.main_window, "dataset", None)
            names = (data.feature_names if data is not None else None) or ("x1", "x2")
            pi.setLabel("bottom", names[0])
            if not one_d:
                pi.setLabel("left", names[1])
            elif data is not None and data.is_classification:
                pi.setLabel("left", "class")
            else:
                pi.setLabel("left", (data.target_name if data is not None else "") or "y")
            pi.setRange(xRange=(float(xs[0]), float(xs[-1])), yRange=(y0, y1), padding=0)

    @staticmethod
    def _text(r: Regions, snapshot) -> str:
        spec = snapshot.spec
        acts = ", ".join(sorted(set(spec.activations))) or "no hidden layer"
        exact = ""
        if r.exact is not None and len(spec.hidden) == 1:
            exact = (f" (exactly {r.exact} inside this box, from the "
                     f"{plural(spec.hidden[0], 'line')} w·x + b = 0 of its units")
            if r.exact > r.count:
                exact += "; the grid misses regions thinner than a cell"
            exact += ")"
        bound = ""
        if r.bound is not None:
            n = spec.hidden[0]
            bound = (f"<br>With one hidden layer of {plural(n, 'unit')} the plane has at most "
                     f"1 + n + n(n−1)/2 = <b>{r.bound}</b> regions (Zaslavsky: "
                     f"{plural(n, 'line')} in "
                     "general position); most of them may lie outside the data's box.")
        elif len(spec.hidden) > 1:
            bound = ("<br>Deeper layers fold the plane: each region of one layer can be cut "
                     "again by the next, so depth can multiply the regions (Montúfar et al. "
                     "2014); the bounds for deep networks are loose, and none is drawn.")
        where, dense = "on the dark lines", ""
        if not lines_drawn(r):
            where = "where one region meets the next"
            dense = (f" Too many regions to draw the lines between them ("
                     f"{float(np.mean(r.edges)):.0%} of the grid's cells would be one): each "
                     "region is told from its neighbours by its shade alone.")
        head = (f"<b>Linear regions</b> of {spec.shapes_text()} ({acts}) at "
                f"{model_epoch(snapshot, r.epoch)}: <b>{r.count:,}</b> "
                f"{'region' if r.count == 1 else 'regions'} on a "
                f"{len(r.xs)}×{max(len(r.ys), 1)} grid{exact}.")
        if not r.units:  # (it read "1 regions" and "one of the 0 ReLU units switches": r31)
            return (f"{head} Without a hidden unit the output's z (before its activation) is "
                    "one linear function of the input everywhere: nothing bends it.")
        return (f"{head} In each the output's z (before "
                "its activation) is one linear function of the input; it bends only "
                f"{where}, where one of the {plural(r.units, 'ReLU unit')} switches.{dense}{bound}")


def _with_relu(spec):
    """``spec`` with relu for each hidden layer whose activation is smooth."""
    return replace(spec, activations=tuple(a if a in PIECEWISE_LINEAR else "relu"
                                           for a in spec.activations))


def build_view(ctx) -> RegionsView:
    """The Regions tab (see nnviz.gui.views)."""
    from nnviz.core.regions import RegionsProbe

    view = RegionsView(ctx.window)
    tracker = ctx.track("regions", view, {view.extras_key: (RegionsProbe(), BUDGET)})
    view.stale.connect(tracker.refresh)
    return view
