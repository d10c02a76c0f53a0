"""Hidden space: the data and the input plane's grid lines as one hidden layer sees them.

ConvNetJS's picture: a layer bends and stretches the plane; when training works, the classes
pull apart in some hidden layer until a straight line (the next layer) can separate them. The
layer and its two coordinates (two chosen units, or the first two principal components) are
picked above the plot; the numbers come from :class:`nnviz.core.inspect.HiddenSpaceProbe` in the
worker thread.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from nnviz.core.inspect import HiddenSpace, HiddenSpaceProbe
from nnviz.core.formatting import plural

from . import colors
from .explain import facts_of
from .stepped_range import SteppedRange, data_bounds
from .widgets import (EpochNote, FittedCombo, LabelRoom, WrappedLabel, add_layout,
                      auto_button_once_moved, cache_axes, class_names_of, computing, move_points,
                      plain_axes, window_playing)

PCA, UNITS = "principal components", "two units"
# Points coloured by a value (regression) are drawn in this many colours: one scatter item each.
VALUE_LEVELS = 16


class HiddenSpaceView(QWidget):
    """The "hidden-space" view."""

    settings_changed = Signal()  # the probe's settings changed: ask the worker for a new frame

    def __init__(self, probe: HiddenSpaceProbe | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probe = probe or HiddenSpaceProbe()
        self.extras_key = "hidden-space"
        self.snapshot = None
        self._drawn: HiddenSpace | None = None  # the numbers on the plot
        self._spec = None
        self._labels_key = None
        self._connect: np.ndarray | None = None  # the mesh's connections, for its shape
        self.epoch_note = EpochNote("hidden space")
        self._caption = ""  # what the caption says of the plot drawn, without the epoch note
        self.layer_box = FittedCombo()
        self.layer_box.setToolTip("the hidden layer whose space is drawn")
        self.mode_box = FittedCombo()
        self.mode_box.addItems([PCA, UNITS])
        self.mode_box.setToolTip("principal components: the two directions in which the data "
                                 "spread most in that layer; two units: the raw activations")
        self.unit_a, self.unit_b = QSpinBox(), QSpinBox()
        for box, v in ((self.unit_a, 1), (self.unit_b, 2)):
            box.setRange(1, 1)
            box.setValue(v)
            box.setPrefix("unit ")
        self.unit_a.setToolTip("The unit of the layer drawn across (its activation is x).")
        self.unit_b.setToolTip("The unit of the layer drawn up (its activation is y).")
        row = QHBoxLayout()
        for text, box in (("Layer", self.layer_box), ("drawn in", self.mode_box)):
            label = QLabel(text)
            label.setToolTip(box.toolTip())
            row.addWidget(label)
            row.addWidget(box)
        row.addWidget(self.unit_a)
        row.addWidget(self.unit_b)
        row.addStretch(1)
        # Wrapped, and given the room right of the classes' key: on one line it set the view's
        # least width, and in presentation mode at 1024x768 the window grew to 1083 px and the
        # loss column beside it shrank to a strip; beside the lists it took their room (their
        # names cut) or they took its (six lines of a word or two).
        self.variance = WrappedLabel()
        self.variance.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.variance.setToolTip("How much of the spread of the data in this layer each "
                                 "principal component (the plot's axes) holds.")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setToolTip("How to read the plot below.")
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setToolTip("The classes: each has its own shape and colour; hollow shapes are "
                            "test points.")
        self.plot = pg.PlotWidget(background=colors.background())
        auto_button_once_moved(self.plot.getPlotItem())
        # One rectangle around what changed is repainted (the mesh and the points span the plot
        # anyway): Qt's default clipped every item to a region of many small rectangles.
        self.plot.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.plot.setToolTip("The data (points) and the input plane's grid (grey lines) as the "
                             "chosen hidden layer sees them. Drag to pan, wheel to zoom.")
        plain_axes(self.plot.getPlotItem())
        # The mesh: every grid line of the input plane, NaN-separated, in one plain curve (a
        # PlotDataItem's setData added its own checks and copies, ~1 ms a frame), drawn as line
        # segments in an opaque grey (the axis colour faded into the background: what a
        # translucent pen looked like, without blending ~2,000 segments into the plot).
        self.mesh = pg.PlotCurveItem(pen=_mesh_pen(), connect="finite")
        self.mesh.setSegmentedLineMode("on")
        self.plot.addItem(self.mesh)
        # The points: a train and a test item whose looks (a shared brush, pen and symbol per
        # class, or per one of VALUE_LEVELS colours of a value) are set once per data set; each
        # frame only moves them (move_points). setData with a brush and a symbol per point
        # spent ~40 ms of the GUI thread a frame on their styles at 5,000 points (bench/gui.py).
        self.train_points = pg.ScatterPlotItem(size=8)
        self.test_points = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(0, 0, 0, 0))
        # Around each test point's ring a dark rim, as in the Data & model plot: a ring in its
        # class's colour alone was 2.3:1 on white for the orange, 1.6-1.9:1 for Tol's and
        # cividis' yellows (r10 #5).
        self.test_rims = pg.ScatterPlotItem(size=12, brush=pg.mkBrush(0, 0, 0, 0))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_rims)
        self.plot.addItem(self.test_points)
        self._axis_labels = None
        # One unit across as long as one up: the two coordinates are in the same units (a
        # layer's activations, or its principal components), and a cloud that spreads along
        # PC 1 only must look like a line, not be stretched to fill the plot's height (unlocked,
        # PC 2's ±0.06 got as much height as PC 1's ±0.6: a near-1-D picture looked 2-D).
        self.plot.getPlotItem().getViewBox().setAspectLocked(True)
        # The axes move in steps (see stepped_range) and are painted from a cache.
        self.range = SteppedRange(self.plot.getPlotItem())
        cache_axes(self.plot.getPlotItem())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        add_layout(lay, row)
        lay.addWidget(LabelRoom(self.caption))  # the epoch note's new text every frame
        key_row = QHBoxLayout()
        key_row.addWidget(self.key)
        key_row.addWidget(LabelRoom(self.variance), 1)  # new shares every frame: no new layout
        add_layout(lay, key_row)
        lay.addWidget(self.plot, 1)
        lay.addStretch(0)  # the words at the top while the plot is hidden (_message)
        self.layer_box.currentIndexChanged.connect(self._changed)
        self.mode_box.currentIndexChanged.connect(self._changed)
        self.unit_a.valueChanged.connect(self._changed)
        self.unit_b.valueChanged.connect(self._changed)
        self._sync_controls()
        self.apply_look()

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look): the points again in the new one."""
        self.mesh.setPen(_mesh_pen())
        self.train_points.setPen(pg.mkPen(*colors.point_rim(), 200, width=0.8))
        self.test_rims.setPen(pg.mkPen(*colors.point_rim(), 200, width=1))
        self._labels_key = None  # the points' looks again, in the new colours
        if self.snapshot is not None:
            self.update_snapshot(self.snapshot)

    # -- controls --------------------------------------------------------------------------------

    def set_layer(self, layer: int, units: tuple[int, int] | None = None) -> None:
        """Choose hidden layer ``layer`` (0-based); ``units`` (0-based) or None for PCA."""
        self.layer_box.setCurrentIndex(layer)
        if units is None:
            self.mode_box.setCurrentText(PCA)
        else:
            self.mode_box.setCurrentText(UNITS)
            self.unit_a.setValue(units[0] + 1)
            self.unit_b.setValue(units[1] + 1)
        self._changed()

    def _changed(self, *_) -> None:
        self.range.reset()  # another layer or units: another scale
        self._sync_controls()
        self.probe.layer = max(self.layer_box.currentIndex(), 0)
        if self.mode_box.currentText() == UNITS:
            self.probe.units = (self.unit_a.value() - 1, self.unit_b.value() - 1)
        else:
            self.probe.units = None
        self.settings_changed.emit()

    def _sync_controls(self) -> None:
        units = self.mode_box.currentText() == UNITS
        self.unit_a.setVisible(units)
        self.unit_b.setVisible(units)
        if self._spec is not None and self._spec.hidden:
            width = self._spec.hidden[max(self.layer_box.currentIndex(), 0)]
            for box in (self.unit_a, self.unit_b):
                box.blockSignals(True)
                box.setRange(1, width)
                box.blockSignals(False)
            if self.unit_a.value() == self.unit_b.value() and width > 1:
                # Two units means two different ones (a unit against itself is a line).
                self.unit_b.blockSignals(True)
                self.unit_b.setValue(self.unit_a.value() % width + 1)
                self.unit_b.blockSignals(False)

    def _set_spec(self, spec) -> None:
        self._spec = spec
        self.layer_box.blockSignals(True)
        keep = self.layer_box.currentIndex()
        self.layer_box.clear()
        for i, (w, a) in enumerate(zip(spec.hidden, spec.activations)):
            self.layer_box.addItem(f"hidden {i + 1}: {w} {a}")
        # Default to the last hidden layer: the one the output separates with a line.
        self.layer_box.setCurrentIndex(keep if 0 <= keep < len(spec.hidden)
                                       else len(spec.hidden) - 1)
        self.layer_box.blockSignals(False)
        self._changed()

    # -- drawing ---------------------------------------------------------------------------------

    def update_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        if snapshot.spec != self._spec:
            self._labels_key = None
            self._set_spec(snapshot.spec)
        if not snapshot.spec.hidden:
            self._message("This network has no hidden layer: add one to see its hidden space.")
            return
        hs: HiddenSpace | None = snapshot.extras.get(self.extras_key)
        if hs is None:
            if not self.caption.text():
                self._message(computing("the hidden space"))
            elif self._drawn is not None and not self.plot.isHidden():
                # The window's last frame, made while the tab was behind another: the points
                # drawn are an older epoch's, said, and this one's are computed (review r24 F16).
                note = self.epoch_note.computing(snapshot.epoch, self._drawn.epoch)
                text = f"{note} \u00a0 {self._caption}" if note else self.caption.text()
                if text != self.caption.text():
                    self.caption.setText(text)
            return
        if hs is self._drawn and self._labels_key is not None:
            # The throttled probe handed out its last numbers again (inspect.Throttled): the
            # plot would be drawn the same; about every other snapshot at 100,000 points.
            self._set_caption(hs)  # (of an older epoch than the window's: said)
            return
        self._draw(hs)
        self._drawn = hs

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): its points go now."""
        self._drawn = None
        self._message(computing("the hidden space"))

    def _message(self, text: str) -> None:
        """The words alone: no plot (empty axes looked like a hidden space of nothing)."""
        self.caption.setText(text)
        self.plot.hide()
        self.variance.hide()
        self.mesh.setData([], [])
        self._labels_key = None
        self.train_points.setData([], [])
        self.test_points.setData([], [])
        self.test_rims.setData([], [])

    def _draw(self, hs: HiddenSpace) -> None:
        self.plot.show()
        m = hs.mesh
        sep = np.full((m.shape[0], 1, 2), np.nan, np.float32)
        flat = np.concatenate([m, sep], axis=1).reshape(-1, 2)
        if self._connect is None or len(self._connect) != len(flat):
            # Each point joins the next but for a line's last (its NaN gap follows): the path
            # built in one vectorised pass, not one polygon a line (pyqtgraph's "finite").
            self._connect = np.isfinite(flat[:, 0]).astype(np.int32)
        self.mesh.setData(flat[:, 0], flat[:, 1], connect=self._connect)
        train, test = ~hs.is_test, hs.is_test
        key = (id(hs.labels), len(hs.labels), id(hs.is_test))
        if key != self._labels_key:  # the points' looks: once per data set
            self._labels_key = key
            brushes, pens, symbols = self._looks(hs.labels)
            self.train_points.setData(hs.points[train, 0], hs.points[train, 1],
                                      brush=brushes[train], symbol=symbols[train])
            self.test_points.setData(hs.points[test, 0], hs.points[test, 1],
                                     pen=pens[test], symbol=symbols[test])
            self.test_rims.setData(hs.points[test, 0], hs.points[test, 1], symbol=symbols[test])
            self._set_key(hs.labels, bool(hs.is_test.any()))
        else:
            move_points(self.train_points, hs.points[train, 0], hs.points[train, 1])
            move_points(self.test_points, hs.points[test, 0], hs.points[test, 1])
            move_points(self.test_rims, hs.points[test, 0], hs.points[test, 1])
        self.range.follow(data_bounds(hs.points[:, 0], flat[:, 0]),
                          data_bounds(hs.points[:, 1], flat[:, 1]))
        a, b = hs.axes
        if (a, b) != self._axis_labels:  # a new title lays the axis out and paints it again
            self._axis_labels = (a, b)
            self.plot.getPlotItem().setLabels(bottom=a, left=b)
        # The shares of the variance change with every frame: beside the controls, not in the
        # axis titles (a title's change repainted its axis, about every other frame).
        variance = "" if hs.explained is None else (
            f"{a} holds {_percent(hs.explained[0])} of the variance, {b} {_percent(hs.explained[1])}")
        if variance != self.variance.text():
            self.variance.setText(variance)
        self.variance.setVisible(bool(variance))
        spec = self.snapshot.spec
        hollow = " (hollow: test points)" if hs.is_test.any() else ""  # none at fraction 0
        if np.issubdtype(hs.labels.dtype, np.integer):
            if hs.mesh.shape[0]:
                grid = "the input plane's grid" if hs.mesh.shape[0] > 1 else "the input line"
                lines = f"Grey lines: {grid} as this layer sees it; points"
            else:
                lines = "Points (no input plane to draw with 3 or more features)"
            # as the explanations say it: ten classes are split by lines, not a line
            facts = replace(facts_of(QWidget.window(self)), output=spec.output_activation,
                            outputs=spec.output_dim)
            last = len(spec.hidden)
            if hs.layer + 1 < last:
                split = (f"The output layer works on the last hidden layer's units (hidden "
                         f"{last}): this layer is a step on the way there.")
            elif hs.width <= 2:
                split = (f"When the classes can be split by {facts.dividers} here, the output "
                         "layer can separate them.")
            else:  # a picture of two directions of a wider space (review r22: "split by a
                # straight line here" over mixed classes the network got 100% right)
                cuts = "a flat cut" if facts.dividers == "a straight line" else "flat cuts"
                split = (f"The output layer splits the classes by {cuts} through all "
                         f"{hs.width} units at once; this picture shows two directions of "
                         "them, so classes mixed here may still be split.")
            tail = f"{lines}: the data{hollow}. {split}"
        else:
            tail = ("Grey: the input line (or plane) as this layer sees it; points: the data "
                    "coloured by their target value, " + colors.scale_html("high", "low")
                    + f"{hollow}. The output layer fits a linear function of "
                    "these coordinates.")
        sample = (f" Drawn: a fixed random sample of {len(hs.points):,} of the {hs.total:,} points."
                  if hs.total > len(hs.points) else "")
        units = plural(hs.width, f"{spec.activations[hs.layer]} unit")
        self._caption = f"Hidden layer {hs.layer + 1} ({units}). {tail}{sample}"
        self._set_caption(hs)

    def _set_caption(self, hs: HiddenSpace) -> None:
        """The caption, after the epoch of ``hs`` when it is not the window's (EpochNote)."""
        note = self.epoch_note.text(self.snapshot.epoch, hs.epoch, window_playing(self))
        text = f"{note} \u00a0 {self._caption}" if note else self._caption
        if text != self.caption.text():
            self.caption.setText(text)

    def _set_key(self, labels: np.ndarray, test: bool = True) -> None:
        if np.issubdtype(labels.dtype, np.integer) and len(labels):
            names = class_names_of(self.window(), int(labels.max()) + 1)
            self.key.setText(colors.class_key_html(names, test))
            self.key.show()
        else:
            self.key.hide()

    @staticmethod
    def _looks(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per point: a fill (train), an outline (test) and a shape (object arrays), the same
        objects for every point of a class, or of one of VALUE_LEVELS colours of a value."""
        if np.issubdtype(labels.dtype, np.integer):
            looks = {int(c): colors.class_color(int(c)) for c in np.unique(labels)}
            which = labels
            symbols = {k: colors.class_symbol(k) for k in looks}
        else:
            lo, hi = float(np.min(labels, initial=0)), float(np.max(labels, initial=0))
            t = (labels - lo) / (hi - lo) if hi > lo else np.full(len(labels), 0.5)
            which = np.minimum((np.nan_to_num(t) * VALUE_LEVELS).astype(int), VALUE_LEVELS - 1)
            cmap = colors.point_map()
            looks = {int(k): cmap.map((k + 0.5) / VALUE_LEVELS, mode="qcolor")
                     for k in np.unique(which)}
            symbols = dict.fromkeys(looks, "o")
        out = []
        # A test point's outline stands off the dark background (colors.test_outline).
        # A training point's fill stands off it too (colors.point_fill: cividis' navy on dark).
        for make in (lambda c: pg.mkBrush(*colors.point_fill(c.getRgb())),
                     lambda c: pg.mkPen(*colors.test_outline(c.getRgb()), width=2), None):
            table = np.empty(max(looks, default=0) + 1, object)
            for k, c in looks.items():
                c = pg.mkColor(*c) if isinstance(c, tuple) else c
                table[k] = make(c) if make is not None else symbols[k]
            out.append(table[which] if len(which) else np.empty(0, object))
        return out[0], out[1], out[2]


def _mesh_pen():
    """The mesh's grey: the axis colour at 150/255 over the background, opaque."""
    a, b, k = np.array(colors.axis(), float), np.array(colors.background(), float), 150 / 255
    return pg.mkPen(*(int(round(v)) for v in b + k * (a - b)), width=1)


def _percent(f: float) -> str:
    """12%; 0.34% and 99.9% near the ends (not a misleading 0% or 100%)."""
    if f == 0 or 0.01 <= f <= 0.99:
        return f"{f:.0%}"
    return f"{f:.1%}" if f > 0.99 else f"{f * 100:.2g}%"


def build_view(ctx) -> HiddenSpaceView:
    """The Hidden space tab (see nnviz.gui.views)."""
    from .views import HIDDEN_BUDGET
    view = HiddenSpaceView(HiddenSpaceProbe())
    tracker = ctx.track("hidden-space", view, {view.extras_key: (view.probe, HIDDEN_BUDGET)})
    view.settings_changed.connect(tracker.refresh)
    return view
