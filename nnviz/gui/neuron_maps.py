"""Neuron maps: every neuron's activation over the input plane, and one neuron's map large.

The colours are the palette's (nnviz.gui.colors; TensorFlow Playground's by default): orange
for negative (class 0), blue for positive (class 1), a light grey in between. A bounded activation is drawn on its own range (sigmoid
0..1, tanh -1..1), an unbounded one on +-(its largest magnitude), so the colour says on which
side of its midpoint a neuron is everywhere in the plane.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsItem, QHBoxLayout, QLabel, QScrollArea, QSizePolicy,
                               QSplitter, QToolTip, QVBoxLayout, QWidget)

from nnviz.core.features import label as feature_label
from nnviz.core.inspect import NeuronMaps

from .boundary_plot import CELL_PX, MAX_DRAWN_POINTS, equal_aspect, shared, thin_to_cells
from . import colors
from .explain import Facts, facts_of
from .colors import BLUE, CLASS_COLORS, MID as NEUTRAL, ORANGE  # noqa: E402,F401 (the default palette's)
from .widgets import (EpochNote, LabelRoom, Letterboxed, auto_button_once_moved, cache_axes,
                      computing, data_names_of, plain_axes, window_playing)

CLASS_COLOURS = list(CLASS_COLORS)
# The default palette's scale (for code that wants it fixed); the maps use the current one.
LUT = colors.heat_lut()

BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0),
           "sin": (-1.0, 1.0), "cos": (-1.0, 1.0)}


def diverging_colour(value: float, scale: float) -> QColor:
    """Orange below zero, blue above, fading to neutral at zero; ``scale`` maps to full colour."""
    # Plain floats, not numpy scalars: this runs for every bias in every frame.
    value, scale = float(value), float(scale)
    ratio = value / scale if scale > 0 and math.isfinite(scale) else 0.0
    if math.isnan(ratio):
        ratio = 0.0
    t = 0.5 + 0.5 * min(max(ratio, -1.0), 1.0)
    return QColor(colors.heat_qcolors()[int(round(t * 255))])


def levels_for(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range for a neuron: its activation's range, or +-max|value| if unbounded."""
    if activation in BOUNDED:
        return BOUNDED[activation]
    m = float(np.nanmax(np.abs(values))) if values.size else 1.0
    m = m if np.isfinite(m) and m > 1e-12 else 1.0
    return -m, m


def to_qimage(values: np.ndarray, levels: tuple[float, float]) -> QImage:
    """A (rows, cols) map, row 0 at the BOTTOM (lowest y), as an RGB image with y up."""
    lo, hi = levels
    v = np.nan_to_num(np.asarray(values, np.float32), nan=(lo + hi) / 2)
    idx = np.clip((v - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(colors.heat_lut()[idx[::-1]])  # flip: image rows go down, y goes up
    h, w = rgb.shape[:2]
    img = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return img.copy()  # own the pixels: ``rgb`` dies with this frame


def class_outputs(spec, layer: int) -> bool:
    """Whether ``layer``'s units are the classes' probabilities: the output of a network with
    an output per class, on 0..1 (softmax, or sigmoid)."""
    return (layer == spec.n_layers - 1 and spec.output_dim > 1
            and BOUNDED.get(spec.output_activation) == (0.0, 1.0))


def output_luts(spec, layer: int, units) -> np.ndarray | None:
    """Per unit of ``units``, its map's colour scale when the units are the classes'
    probabilities (``class_outputs``): from neutral to the class's own colour. Else None (the
    diverging scale, whose ends are the colours of classes 0 and 1: "output 1 (softmax)" of five
    classes was drawn in class 0's and class 1's colours)."""
    if not class_outputs(spec, layer):
        return None
    return np.stack([colors.class_lut(int(u)) for u in units])


def _levels(v: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) of each map of an (n, rows, cols) stack: levels_for's, per map."""
    n = v.shape[0]
    if activation in BOUNDED:
        return (np.full(n, BOUNDED[activation][0], np.float32),
                np.full(n, BOUNDED[activation][1], np.float32))
    # +-max|value| of each map, ignoring NaN; 1 when that is not a usable number
    a = np.where(np.isnan(v), -1.0, np.abs(v)).reshape(n, -1)
    m = a.max(axis=1) if a.shape[1] and n else np.ones(n, np.float32)
    m = np.where(np.isfinite(m) & (m > 1e-12), m, 1.0).astype(np.float32)
    return -m, m


def _rgb_parts(parts) -> np.ndarray:
    """(n, rows, cols, 3) RGB of the maps of ``parts``, [(a (rows, cols, n_i) stack, its
    activation, its luts or None)], one after the other, each map on its own levels
    (levels_for), y up (as to_qimage), in one numpy pass after the levels; map k of a part in
    its ``luts[k]`` if given, else in the heat scale."""
    vs = [np.moveaxis(np.asarray(maps, np.float32), 2, 0) for maps, _, _ in parts]
    levels = [_levels(v, act) for v, (_, act, _) in zip(vs, parts)]
    v = vs[0] if len(vs) == 1 else np.concatenate(vs)  # (n, rows, cols)
    n = v.shape[0]
    lo = np.concatenate([lo for lo, _ in levels])[:, None, None]
    hi = np.concatenate([hi for _, hi in levels])[:, None, None]
    with np.errstate(invalid="ignore", over="ignore"):
        v = np.where(np.isnan(v), (lo + hi) / 2, v)
        idx = np.clip((v - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    heat = colors.heat_lut()
    if all(luts is None for _, _, luts in parts):
        return heat[idx[:, ::-1]]  # y up, as to_qimage
    luts = np.concatenate([np.broadcast_to(heat, (len(vi), *heat.shape)) if luts is None
                           else luts for vi, (_, _, luts) in zip(vs, parts)])
    return luts[np.arange(n)[:, None, None], idx[:, ::-1]]


def _rgb_stack(maps: np.ndarray, activation: str, luts: np.ndarray | None = None) -> np.ndarray:
    """(n, rows, cols, 3) RGB of every map of a (rows, cols, n) stack, each on its own levels
    (levels_for), y up (as to_qimage), in one numpy pass; map k in ``luts[k]`` if given, else
    in the heat scale."""
    return _rgb_parts([(maps, activation, luts)])


def to_qimages(maps: np.ndarray, activation: str) -> list[QImage]:
    """``to_qimage(maps[:, :, k], levels_for(activation, maps[:, :, k]))`` for every k of a
    (rows, cols, n) stack, in one numpy pass: a wide layer's thumbnails cost a fraction of a
    millisecond each instead of ~0.2 ms (the network diagram of 2-512x8-1 made 290 a frame)."""
    if np.shape(maps)[2] == 0:
        return []
    rgb = np.ascontiguousarray(_rgb_stack(maps, activation))
    rows, cols = rgb.shape[1:3]
    return [QImage(rgb[k].data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()
            for k in range(rgb.shape[0])]


class Strip:
    """The thumbnails of a (rows, cols, n) stack of maps as ONE image, stacked top to bottom:
    map k is ``source(k)`` of ``image``, drawn with ``QPainter.drawImage(target, image,
    source(k))``. A wide network's diagram draws ~260 thumbnails and the neurons view a few
    hundred tiles a frame: one image and one numpy pass per layer instead of a QImage (and
    its copy) per map."""

    def __init__(self, maps: np.ndarray, activation: str, luts: np.ndarray | None = None,
                 more=()) -> None:
        """``more``: further (maps, activation, luts) stacks, their maps after these (the
        neurons view's tiles of every layer in sight: one image a paint, not one a layer)."""
        rgb = _rgb_parts([(maps, activation, luts), *more])
        self.n, self.rows, self.cols = rgb.shape[:3]
        flat = np.ascontiguousarray(rgb.reshape(self.n * self.rows, self.cols, 3))
        h, w = flat.shape[:2]
        self.image = QImage(flat.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy() \
            if self.n else QImage()

    def source(self, k: int) -> QRectF:
        return QRectF(0, k * self.rows, self.cols, self.rows)

    def thumbnail(self, k: int) -> QImage:
        """Map k alone (equal to ``to_qimages(...)[k]``)."""
        return self.image.copy(0, k * self.rows, self.cols, self.rows)


def no_plane_text(widget, spec) -> str:
    """With 3 or more features, the one sentence a view of neuron maps shows instead of them
    ("" when there is a plane): the Neurons tab said "Each tile is one neuron's activation over
    the input plane", "Neuron maps need a 1-D or 2-D input; they appear while training runs"
    (they never did) and "Click a neuron to see its map here" over empty axes."""
    data = getattr(QWidget.window(widget), "dataset", None) if widget is not None else None
    n = data.n_features if data is not None else (spec.input_dim if spec is not None else 0)
    if n <= 2:
        return ""
    return (f"The data has {n} features: there is no plane of inputs to draw a neuron's "
            "activation on. Network shows the weights; Hidden space shows the data as a hidden "
            "layer sees it.")


def over_inputs(widget) -> str:
    """Where a neuron's map lies, in words for the data in ``widget``'s window (as the
    explanations read it, explain.facts_of): "over the input plane" of two inputs, "along the
    input" of one (a strip, or the large map's curve: the sine's were said to be over a
    plane)."""
    window = QWidget.window(widget) if widget is not None else None
    return "along the input" if facts_of(window).n_features == 1 else "over the input plane"


def neuron_label(spec, layer: int, unit: int, names=((), ())) -> str:
    """'input x1', 'hidden layer 2, unit 3 (relu)', 'output (sigmoid)'; ``names``: (inputs,
    classes) of the data (:func:`~nnviz.gui.widgets.data_names_of`): 'input width', 'output
    for apple'."""
    inputs, classes = names
    if layer < 0:
        return f"input {feature_label(spec.feature_names[unit], inputs)}"
    acts = spec.layer_activations
    if layer == spec.n_layers - 1:
        # output k is class k's (the classes are numbered from 0: "output 1" was class 0's)
        if spec.output_dim == 1 and len(classes) != 2:
            # a regression's, or two classes of the default names (class 0, class 1)
            return f"output ({acts[layer]})"
        # The words the explanations use (explain.Facts): "P(lemon)" where the output is the
        # class's probability, "score for lemon" where it is not (it said "P(lemon) (tanh)").
        facts = Facts(kind="binary" if spec.output_dim <= 2 else "multiclass", names=classes,
                      output=spec.output_activation, outputs=spec.output_dim)
        out = facts.class_output(1 if spec.output_dim == 1 else unit)
        return f"output, {out} ({acts[layer]})"
    return f"hidden layer {layer + 1}, unit {unit + 1} ({acts[layer]})"


def follow_selection(old_spec, spec, selected: tuple[int, int]) -> tuple[int, int]:
    """The neuron to show once the network changed from ``old_spec`` to ``spec`` (another
    problem, another architecture): the output stays the output (the decision boundary, in the
    new network's last layer), another neuron stays while the new network has it; else the
    output. (Kept as it was, the old output's (layer, unit) named a hidden neuron of a deeper
    network while the probe went on drawing the output: the map stayed the old problem's.)"""
    out = (spec.n_layers - 1, 0)
    layer, unit = selected
    if old_spec is not None and layer == old_spec.n_layers - 1:
        return (spec.n_layers - 1, unit if unit < spec.output_dim else 0)
    valid = -1 <= layer < spec.n_layers and 0 <= unit < spec.layer_sizes[layer + 1]
    return (layer, unit) if valid else out


def probe_choice(spec, selected: tuple[int, int] | None) -> tuple[int, int] | None:
    """What a NeuronMapsProbe is told for ``selected``: None for the (first) output, which the
    probe then follows into any new network, else the neuron."""
    if selected is None or selected == (spec.n_layers - 1, 0):
        return None
    return selected


def neuron_map(maps: NeuronMaps, layer: int, unit: int) -> np.ndarray:
    """One neuron's thumbnail map (rows, cols) from a probe result; layer -1 = input."""
    src = maps.inputs if layer < 0 else maps.layers[layer]
    return src[:, :, unit]


class _TwoLineTitle(QLabel):
    """A word-wrapped title at least two lines high: "output (sigmoid): from 0.591 to 1" fits
    one line of a narrow panel and "... from 0.000324 to 1" takes two, and a title that
    changed its height every frame moved the map under it up and down (and relaid the plot out,
    its axes redrawn: ~15% of the network view's frame at 2-512x8-1)."""

    def _floor(self) -> int:
        m = self.contentsMargins()
        return 2 * self.fontMetrics().lineSpacing() + m.top() + m.bottom()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt)
        return max(super().heightForWidth(width), self._floor())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._floor()))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._floor()))


def point_rim_pen():
    """The data points' rim on a map, as on the main plot's: opaque and 1.2 px. A class's points
    sit on a map that saturates to that class's colour, where the faint 0.8 px rim (alpha 200)
    left them nearly invisible."""
    return pg.mkPen(colors.point_rim(), width=1.2)


POINT_PX = 7.0  # the node map's data markers at the normal text size, where the map has room
LEAST_POINT_PX = 3.0  # and the smallest they become on a small map
POINT_SHARE = 0.6  # a marker at most this times the side of the map's area per point


def marker_size(scatter) -> float:
    """The size ``scatter``'s markers are drawn at: the first point's, or the item's own where
    the points take it (-1)."""
    sizes = scatter.data["size"]
    if len(sizes) and float(sizes[0]) >= 0:
        return float(sizes[0])
    return float(scatter.opts.get("size") or 0.0)


class NeuronMapPanel(QWidget):
    """One neuron's activation over the input plane, large, with the data drawn over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _TwoLineTitle("Click a neuron to see its map here.")
        self.title.setWordWrap(True)
        self.title.setToolTip("The neuron shown below, and the range of its activation over "
                              "the input plane (along the input, for one).")
        self.plot = pg.PlotWidget(background=colors.background())
        self.plot.setMinimumSize(220, 220)
        auto_button_once_moved(self.plot.getPlotItem())
        self.plot.setToolTip("One neuron's activation over the input plane (the colour scale: "
                             "see the key above), with the data points over it; for data of "
                             "one input, its curve along the input.")
        # A map of the plane: 1:1, not tall and narrow; as high as that needs, under its title
        # (the rest of the column below it, empty), not a band in the middle of a tall plot.
        self.box = Letterboxed(self.plot, fit_height=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self._lut = colors.heat_lut()
        self.image.setLookupTable(self._lut)
        self.plot.addItem(self.image)
        self.curve = self.plot.plot([], [], pen=pg.mkPen((60, 60, 60), width=2))  # 1-D input
        self.scatter = pg.ScatterPlotItem(size=7, pen=point_rim_pen())
        # The points change once per data set, the map under them every frame (as the main
        # plot's): painted from a pixmap, and the axes too.
        self.scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.addItem(self.scatter)
        # Its marker size is the panel's own, fitted to the map (_fit_points), not scaled again
        # by presentation mode / the text size (nnviz.gui.presentation.scale_scene).
        self.scatter.nnviz_fitted = True
        self.plot.getPlotItem().vb.sigResized.connect(self._fit_points)
        self.plot.installEventFilter(self)  # the text's scale (scale_scene marks it)
        cache_axes(self.plot.getPlotItem())
        plain_axes(self.plot.getPlotItem())  # the input plane's values
        self._data_key = None
        colors.follow(self, self.apply_look)
        self._shown: tuple | None = None  # (maps, level name) drawn last
        self._plane_rect: QRectF | None = None  # the plane's range, set when it changes
        self._labels = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(LabelRoom(self.title))  # a new range every frame: no new layout
        lay.addWidget(self.plot, 1)
        lay.addStretch(0)  # the room the plot's most height leaves (Letterboxed.fit_height)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if (obj is self.plot and event.type() == QEvent.Type.DynamicPropertyChange
                and event.propertyName() == b"nnvizScale"):
            self._fit_points()
        return False

    def _fit_points(self, *_) -> None:
        """The data's markers sized to the map: POINT_PX (times the text's scale) where the
        map has room, smaller where it has not, down to LEAST_POINT_PX. At 1024x768 and text
        size 150% the 160 points were ~12 px markers over a 125x70 px map and covered it
        (review r23 F16): each now takes at most a share of the map's area per point."""
        n = len(self.scatter.data)
        if n == 0:
            return
        rect = self.plot.getPlotItem().vb.rect()
        scale = max(1.0, float(self.plot.property("nnvizScale") or 1.0))
        room = POINT_SHARE * math.sqrt(max(rect.width() * rect.height(), 1.0) / n)
        size = max(LEAST_POINT_PX, min(POINT_PX * scale, room))
        if abs(marker_size(self.scatter) - size) < 0.25:
            return
        self.scatter.setSize(size)

    def apply_look(self) -> None:
        self._lut = colors.heat_lut()
        self.image.setLookupTable(self._lut)
        self.scatter.setPen(point_rim_pen())
        self._data_key = None  # the points again, in the new colours
        shown, self._shown = self._shown, None
        if shown is not None:
            self.show_map(shown[0], shown[2], shown[1])

    def _axis_names(self) -> tuple[str, ...]:
        """The data's names of its inputs for the axes, as the main plot's ("month", "width
        (standardised)": the numbers are the standardised ones); x1, x2 without a window."""
        data = getattr(QWidget.window(self), "dataset", None)
        names = tuple(data.feature_names) if data is not None else ()
        return names if len(names) >= 1 and len(names) == data.n_features else ("x1", "x2")

    def _set_labels(self, bottom: str, left: str) -> None:
        # Setting a label re-lays the axes out (tens of ms): only when it changes.
        if self._labels != (bottom, left):
            self._labels = (bottom, left)
            self.plot.getPlotItem().setLabels(bottom=bottom, left=left)

    def clear(self, text: str = "Click a neuron to see its map here.") -> None:
        self.title.setText(text)
        self._shown = None
        self.image.clear()
        self.curve.setData([], [])

    def show_map(self, maps: NeuronMaps, spec, level_name: str) -> None:
        """Draw ``maps.selected_map`` (full resolution); ``level_name`` picks the colour range."""
        if maps.selected_map is None or maps.selected is None:
            return
        if self._shown is not None and self._shown[0] is maps and self._shown[1] == level_name:
            return  # a throttled probe's repeated result: the panel shows it already
        self._shown = (maps, level_name, spec)
        layer, unit = maps.selected
        values = maps.selected_map
        levels = levels_for(level_name, values)
        luts = None if layer < 0 else output_luts(spec, layer, [unit])
        lut = colors.heat_lut() if luts is None else luts[0]
        if self._lut is not lut:  # a class's output: from neutral to the class's colour
            self._lut = lut
            self.image.setLookupTable(lut)
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        self.title.setText(f"<b>{neuron_label(spec, layer, unit, data_names_of(self))}</b>: from {lo:.3g} to {hi:.3g}")
        xs, ys = maps.full_xs, maps.full_ys
        if ys is None or len(ys) == 0:  # 1-D input: the activation as a curve over x
            self.image.clear()
            self.curve.setData(xs, values[0])
            self.scatter.setData([], [])
            # hidden, so the auto-range fits the curve alone: the empty image and scatter
            # count as a point at (0, 0) (daylight's 8-16 curve got a -1.5 to 16.5 axis)
            self.image.hide()
            self.scatter.hide()
            self._set_labels(self._axis_names()[0], "activation")
            self._plane_rect = None
            if self.box.aspect is not None:
                self.box.set_aspect(None)
                self.plot.enableAutoRange()
            return
        self.curve.setData([], [])
        self.image.show()
        self.scatter.show()
        self.image.setImage(values, levels=levels, autoLevels=False)
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        self.image.setRect(rect)
        # 1:1 as the main plot (x2 in thousands beside x1 in units: a strip 1:1, its x axis
        # one "0"), each axis its own feature's where the main plot's are
        aspect = equal_aspect(rect.width(), rect.height())
        if self.box.aspect != aspect or self._plane_rect != rect:
            self._plane_rect = rect
            self.box.set_aspect(aspect)
            self.plot.setRange(rect, padding=0)
        names = self._axis_names()
        # (a plane's maps of the data before a 1-D import, drawn as it loads: x1, x2)
        self._set_labels(*(names[:2] if len(names) >= 2 else ("x1", "x2")))
        if maps.data_X is not None and self._data_key != id(maps.data_X):
            self._data_key = id(maps.data_X)
            x0, x1, y = maps.data_X[:, 0], maps.data_X[:, 1], np.asarray(maps.data_y)
            classes = np.issubdtype(y.dtype, np.integer)
            if classes:
                k = int(y.max()) + 1 if len(y) else 1
                rgb = np.array([colors.point_fill(colors.class_color(c)) for c in range(k)],
                               np.uint8)[y]  # off a dark background too (cividis' navy)
                symbols = list(np.array([colors.class_symbol(c) for c in range(k)],
                                        dtype=object)[y])
            else:
                rgb = np.full((len(y), 3), 80, np.uint8)
                symbols = ["o"] * len(y)
            # As on the main plot: a brush per class, a big data set thinned to the plot.
            keep = np.arange(len(y)) if len(y) <= MAX_DRAWN_POINTS else \
                thin_to_cells(x0, x1, rgb, 400 // CELL_PX, 400 // CELL_PX)
            self.scatter.setData(x0[keep], x1[keep], brush=shared(rgb[keep], pg.mkBrush),
                                 symbol=[symbols[i] for i in keep])
            self._fit_points()
        # Auto-range now rather than during the paint, where its change costs a second paint.
        self.plot.scene().prepareForPaint()


class NeuronGrid(QWidget):
    """All neurons' thumbnails, one row of (wrapping) tiles per layer; click one to select it."""

    neuron_clicked = Signal(int, int)  # layer (-1 = input), unit

    TILE = 60
    WAITING = computing("the neuron maps")
    GAP = 8
    LABEL_W = 150
    STICKY_ROWS = 3  # a layer of more rows than this has its label on top, in sight (see
                     # layer_labels)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.maps: NeuronMaps | None = None
        self.message = self.WAITING  # painted while there are no maps
        self.spec = None
        self.selected: tuple[int, int] | None = None
        self._tiles: list[tuple[QRect, int, int]] = []
        self._blocks: list[tuple[int, int, int, int]] = []  # (layer, top, units, per row)
        self._laid_out = None  # what the tiles were laid out for
        # (layer, unit) -> (Strip, index): the tiles' images, made when first in sight
        self._images: dict[tuple[int, int], tuple[Strip, int]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_maps(self, maps: NeuronMaps | None, spec, message: str | None = None) -> None:
        """``message``: the words shown without maps (the default: they come with a frame)."""
        message = self.WAITING if message is None else message
        if message != self.message:
            self.message = message
            self.update()
        if maps is self.maps and spec == self.spec and maps is not None:
            return  # a throttled probe's repeated result: nothing new to draw
        self.maps, self.spec = maps, spec
        # Images are made in the paint, for the tiles it shows: a 512-wide network has
        # thousands of tiles, and the scroll area shows a few dozen of them.
        self._images.clear()
        if maps is not None:
            widest = max(a.shape[2] for a in maps.layers)
            self.TILE = 60 if widest <= 16 else 44 if widest <= 64 else 34
        self._layout()
        self.update()

    def apply_look(self) -> None:
        self._images.clear()  # made again in the new palette when painted
        self.update()

    def _image(self, layer: int, unit: int) -> QImage:
        self._make_images(layer, [unit])
        strip, k = self._images[(layer, unit)]
        return strip.thumbnail(k)

    def _make_images(self, layer: int, units) -> None:
        """The images of ``units`` of ``layer`` that are not made yet, in one pass (one Strip)."""
        self._make_images_of([(layer, u) for u in units])

    def _make_images_of(self, wanted) -> None:
        """The images of the (layer, unit)s ``wanted`` that are not made yet, of every layer
        in ONE Strip (one numpy pass, one QImage): the paint made one per layer, five a frame
        for the notebook's network (~0.35 ms against ~0.15 for one)."""
        todo: dict[int, list[int]] = {}
        for layer, unit in wanted:
            if (layer, unit) not in self._images:
                todo.setdefault(layer, []).append(unit)
        if not todo:
            return
        parts = []
        for layer, units in todo.items():
            src = self.maps.inputs if layer < 0 else self.maps.layers[layer]
            act = "linear" if layer < 0 else self.spec.layer_activations[layer]
            parts.append((src[:, :, units], act, None if layer < 0 else
                          output_luts(self.spec, layer, units)))
        strip = Strip(*parts[0], more=parts[1:])
        k = 0
        for layer, units in todo.items():
            for u in units:
                self._images[(layer, u)] = (strip, k)
                k += 1

    def _layout(self) -> None:
        if self.maps is None:
            self._tiles, self._blocks, self._laid_out = [], [], None
            self.setMinimumHeight(40)
            return
        tw, th = self.tile_size()
        per_row = max(1, (self.width() - self.LABEL_W - self.GAP) // (tw + self.GAP))
        counts = tuple((self.maps.inputs if layer < 0 else self.maps.layers[layer]).shape[2]
                       for layer in range(-1, len(self.maps.layers)))
        key = (counts, tw, th, per_row)
        if key == self._laid_out:
            return  # new maps of the same network: the tiles stay where they are
        self._laid_out = key
        self._tiles, self._blocks = [], []
        y = self.GAP
        for layer, n in zip(range(-1, len(counts) - 1), counts):
            self._blocks.append((layer, y, n, per_row))
            for unit in range(n):
                r, c = divmod(unit, per_row)
                self._tiles.append((QRect(self.LABEL_W + c * (tw + self.GAP),
                                          y + r * (th + self.GAP), tw, th), layer, unit))
            rows = (n + per_row - 1) // per_row
            y += rows * (th + self.GAP) + self.GAP
        self.setMinimumHeight(y)

    def layer_labels(self, font: QFont, visible: QRect | None = None
                     ) -> list[tuple[QRect, int, str, QFont]]:
        """Each layer's label: its room, flags, text and the font it fits in. The room is the
        layer's rows of tiles and the gap under them: a label on two lines (in presentation
        mode's larger text) was cut at its top and bottom in one tile's height; smaller where
        even that is too short. A layer of more than STICKY_ROWS rows has its label at the top
        of the part of its rows in sight (``visible``: the grid's area the scroll area shows),
        as a sticky header: a 512-wide layer's 86 rows had their name at their middle only
        (r19 #2), unseen while scrolling."""
        out = []
        th = self.tile_size()[1]
        centred = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        top = Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        for layer, y, n, per_row in self._blocks:
            if layer < 0:
                text = f"input ({self.spec.n_inputs})"
            elif layer == self.spec.n_layers - 1:
                text = f"output ({self.spec.output_activation})"
            else:
                text = (f"hidden {layer + 1}: {self.spec.hidden[layer]} "
                        f"{self.spec.activations[layer]}")
            rows = (n + per_row - 1) // per_row
            room = QRect(6, y, self.LABEL_W - 12, rows * (th + self.GAP))
            if rows == 1:
                room.setTop(y - self.GAP // 2)
            flags = top if rows > self.STICKY_ROWS else centred
            size = font.pointSizeF()
            fitted = QFont(font)
            while size > 0.6 * font.pointSizeF() and QFontMetrics(fitted).boundingRect(
                    room, flags, text).height() > room.height():
                size -= 0.5
                fitted.setPointSizeF(size)
            if flags == top and visible is not None:
                h = QFontMetrics(fitted).boundingRect(room, flags, text).height()
                room.setTop(max(room.top(), min(visible.top() + self.GAP, room.bottom() - h)))
            out.append((room, flags, text, fitted))
        return out

    def tiles_in(self, area: QRect) -> list[tuple[QRect, int, int]]:
        """The tiles that meet ``area``, found from the rows' positions (a 2-512x8-1 network has
        4,097 tiles and the scroll area shows a few dozen)."""
        out = []
        _, th = self.tile_size()
        step = th + self.GAP
        start = 0
        for layer, y, n, per_row in self._blocks:
            rows = (n + per_row - 1) // per_row
            first = max(0, (area.top() - y) // step)
            last = min(rows - 1, (area.bottom() - y) // step)
            for r in range(first, last + 1):
                for tile in self._tiles[start + r * per_row: start + min(n, (r + 1) * per_row)]:
                    if tile[0].intersects(area):
                        out.append(tile)
            start += n
        return out

    def tile_size(self) -> tuple[int, int]:
        """A tile of the plane at the plane's aspect (the moons were stretched in squares),
        inside the TILE x TILE square (as many to a row as before); square for a 1-D input's
        curves."""
        m = self.maps
        xs, ys = (m.xs, m.ys) if m is not None else (None, None)
        if xs is None or ys is None or len(xs) < 2 or len(ys) < 2:
            return self.TILE, self.TILE
        aspect = float(xs[-1] - xs[0]) / float(ys[-1] - ys[0])
        if not (math.isfinite(aspect) and aspect > 0):
            return self.TILE, self.TILE
        aspect = min(max(aspect, 0.25), 4.0)
        if aspect >= 1:
            return self.TILE, round(self.TILE / aspect)
        return round(self.TILE * aspect), self.TILE

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._layout()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(700, self.minimumHeight())

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(*colors.background()))
        if self.maps is None:
            p.setPen(QColor(*colors.text()))
            p.drawText(self.rect().adjusted(12, 12, -12, -12),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        # Each map samples a continuous function of the plane (an activation, a class's
        # probability) on a grid: blended between its samples, not in steps of a sample's
        # block of pixels (stair-stepped bands at 150 % and 200 %). (A strip's maps do not
        # bleed into each other: drawImage keeps to its source rectangle.)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        font = QFont(self.font())
        for room, flags, text, fitted in self.layer_labels(font, self.visibleRegion()
                                                           .boundingRect()):
            p.setFont(fitted)
            p.setPen(QColor(*colors.text()))
            p.drawText(room, flags, text)
        p.setFont(font)
        tiles = self.tiles_in(event.rect())
        self._make_images_of([(la, u) for _, la, u in tiles])
        for rect, layer, unit in tiles:
            strip, k = self._images[(layer, unit)]
            p.drawImage(QRectF(rect), strip.image, strip.source(k))
        p.setPen(QPen(QColor(*colors.axis()), 1))
        p.drawRects([t[0] for t in tiles])
        for rect, layer, unit in tiles:
            if self.selected == (layer, unit):
                p.setPen(QPen(QColor(*colors.text()), 3))
                p.drawRect(rect)

    def tile_at(self, pos: QPoint) -> tuple[int, int] | None:
        for rect, layer, unit in self._tiles:
            if rect.contains(pos):
                return layer, unit
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        hit = self.tile_at(event.position().toPoint())
        if hit is not None:
            self.selected = hit
            self.update()
            self.neuron_clicked.emit(*hit)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        pos = event.position().toPoint()
        hit = self.tile_at(pos)
        if hit is None or self.maps is None:
            QToolTip.hideText()
            return
        m = neuron_map(self.maps, *hit)
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"{neuron_label(self.spec, *hit, data_names_of(self))}\nfrom {np.nanmin(m):.3g} to "
                          f"{np.nanmax(m):.3g} {over_inputs(self)}\nclick to see it large", self)


class NeuronMapsView(QWidget):
    """The "neurons" view: every neuron's map, and the selected one large."""

    neuron_selected = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = NeuronGrid()
        self.panel = NeuronMapPanel()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        # A scroll moves the painted grid by a blit: the sticky layer labels must be painted
        # again at the new top (a dragged copy of the label would be left behind).
        scroll.verticalScrollBar().valueChanged.connect(lambda _: self.grid.update())
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setToolTip("The colour scale of every tile: a bounded activation on its "
                               "own range (sigmoid 0 to 1), an unbounded one on +-its largest "
                               "value.")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(LabelRoom(self.header))  # the epoch note's new text every frame
        ll.addWidget(scroll, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 380])
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)
        self.grid.neuron_clicked.connect(self.select)
        self.probe = None  # a NeuronMapsProbe, set by install_views; its .selected is ours
        self.extras_key = "neurons"
        self.snapshot = None
        self.epoch_note = EpochNote("neuron maps")
        self._legend = ""
        self.apply_look()

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look): the key and the tiles in the new one."""
        self._set_header()
        self.grid.apply_look()

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): its maps go now, the key
        follows its data (one input or two)."""
        self.grid.set_maps(None, self.grid.spec)
        self.panel.clear("")
        self._set_header()

    def _set_header(self) -> None:
        spec = self.snapshot.spec if self.snapshot is not None else None
        no_plane = no_plane_text(self, spec) if spec is not None else ""
        # No plane: the grid's one sentence alone, no key of tiles and no empty map panel.
        self.header.setVisible(not no_plane)
        self.panel.setVisible(not no_plane)
        text = (f"Each tile is one neuron's activation {over_inputs(self)}: "
                + colors.scale_html("high", "low") + ".")
        if spec is not None and "relu" in spec.activations:
            # r19 #2: a third of a wide relu layer's tiles were flat grey, unexplained.
            # r22 F8: a relu is never below 0, so its tiles have no low colour ("orange low"
            # held for the others only); a tile read "plain grey" at a top of 0.00437.
            text += (" A relu's tile runs from grey at 0 to "
                     f"{colors.colour_html(colors.high())} (a relu is never below 0). "
                     "A plain grey tile: a neuron that is 0, or nearly, all over the plane "
                     "(a relu that is 0 for every input is <i>dead</i>: no gradient reaches "
                     "its weights).")
        if spec is not None and class_outputs(spec, spec.n_layers - 1):
            text += (" An output for a class: its class's colour where the network gives the "
                     "class, grey where it does not.")
        self._legend = text
        self._set_epoch_note()

    def _set_epoch_note(self) -> None:
        """The header with the epoch of the maps when it is not the window's (EpochNote)."""
        maps = self._maps()
        note = "" if maps is None else self.epoch_note.text(
            self.snapshot.epoch, maps.epoch, window_playing(self))
        text = f"{note} \u00a0 {self._legend}" if note else self._legend
        if text != self.header.text():
            self.header.setText(text)

    def select(self, layer: int, unit: int) -> None:
        """Show neuron (layer, unit) large (from the next snapshot on; at once if it has it)."""
        self.grid.selected = (layer, unit)
        self.grid.update()
        if self.probe is not None:
            self.probe.selected = (layer, unit) if self.snapshot is None else \
                probe_choice(self.snapshot.spec, (layer, unit))
        maps = self._maps()
        if maps is not None and maps.selected == (layer, unit):
            self._show_selected(maps)
        elif maps is not None:
            # Until the worker sends the full-resolution map, show the thumbnail's.
            self.panel.title.setText(f"<b>{neuron_label(self.snapshot.spec, layer, unit, data_names_of(self))}</b>")
        self.neuron_selected.emit(layer, unit)

    def _maps(self) -> NeuronMaps | None:
        if self.snapshot is None:
            return None
        return self.snapshot.extras.get(self.extras_key)

    def _show_selected(self, maps: NeuronMaps) -> None:
        layer, _ = maps.selected
        act = "linear" if layer < 0 else self.snapshot.spec.layer_activations[layer]
        self.panel.show_map(maps, self.snapshot.spec, act)

    def update_snapshot(self, snapshot) -> None:
        old_spec = self.snapshot.spec if self.snapshot is not None else None
        new_spec = old_spec is None or snapshot.spec != old_spec
        self.snapshot = snapshot
        if new_spec:
            self._set_header()
        else:
            self._set_epoch_note()
        sel = self.grid.selected
        if sel is not None and new_spec:
            # Another network: the tiles, the probe and the large map agree on the neuron
            # (carried now, with or without maps in this frame: the next one has them).
            sel = self.grid.selected = follow_selection(old_spec, snapshot.spec, sel)
            if self.probe is not None and probe_choice(snapshot.spec, sel) != self.probe.selected:
                self.probe.selected = probe_choice(snapshot.spec, sel)
                self.neuron_selected.emit(*sel)  # the worker's probe: a new copy
        maps = snapshot.extras.get(self.extras_key)
        no_plane = no_plane_text(self, snapshot.spec)
        if no_plane:
            self._set_header()  # the data changed, not always the network (same widths)
            if self.grid.maps is not None or self.grid.message != no_plane:
                self.grid.set_maps(None, snapshot.spec, no_plane)  # no stale tiles
                self.panel.clear("")
            return
        if maps is None:
            if self.grid.maps is not None and snapshot.spec != self.grid.spec:
                # Another problem: no stale tiles.
                self.grid.set_maps(None, snapshot.spec)
                self.panel.clear("")
            elif self.grid.message != NeuronGrid.WAITING:
                self._set_header()
                self.grid.set_maps(self.grid.maps, snapshot.spec)
            return
        if not self.panel.isVisibleTo(self):
            self._set_header()
        if sel is None:
            self.grid.selected = maps.selected  # the probe's default: the output neuron
        self.grid.set_maps(maps, snapshot.spec)
        if maps.selected == self.grid.selected:
            self._show_selected(maps)
        elif new_spec:
            self.panel.clear(f"<b>{neuron_label(snapshot.spec, *self.grid.selected, data_names_of(self))}</b> "
                             f"— {computing('its map', False)}")


def build_view(ctx) -> NeuronMapsView:
    """The Neurons tab (see nnviz.gui.views): every neuron's map."""
    from nnviz.core import inspect

    from .views import MAP_BANK_S, MAP_BUDGET
    view = NeuronMapsView()
    view.probe = inspect.NeuronMapsProbe()
    tracker = ctx.track("neurons", view, {view.extras_key: (view.probe, MAP_BUDGET,
                                                        MAP_BANK_S)})
    view.neuron_selected.connect(tracker.refresh)
    return view
