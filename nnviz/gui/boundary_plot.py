"""The data and the model over the input plane: the decision boundary (or the fitted curve).

- Two classes: a heatmap of P(class 1) with fixed levels 0..1 and a colour bar; Discretize shows
  the notebook's rounded predictions instead.
- More classes: the argmax class's colour, with the confidence as its strength.
- 1-D regression: the fitted curve over the points (the notebook's first figure).
- 2-D regression: a heatmap of the output, levels fixed to the targets' range.
- One feature, classes: the points at the height of their class, and the model's probability of
  each class along the line.

Train points are filled with a white rim; test points are hollow rings and can be hidden. Items
are made once per data set; each snapshot only updates the image or the curve in place.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from nnviz.core.data import Dataset
from nnviz.core.snapshot import Grid

from . import colors
from .widgets import cache_axes

LABEL_COLOR = "#333"

BINARY, MULTICLASS, REGRESSION_1D, REGRESSION_2D, CLASSES_1D, NO_PLANE = (
    "binary", "multiclass", "regression-1d", "regression-2d", "classes-1d", "none")


class DecisionPlot(pg.PlotWidget):
    """Points of a data set and the model's output over them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        # The 100x100 grid is drawn several screen pixels per cell: interpolate, don't tile.
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setToolTip("The data and what the model predicts everywhere in the plane.\n"
                        "Filled dots: training points; rings: test points.\n"
                        "Drag to pan, wheel to zoom, right-click for more.")
        pi = self.getPlotItem()
        pi.showGrid(x=False, y=False)
        pi.setMenuEnabled(False)
        pi.hideButtons()  # the 'A' auto-range button would drop the fixed view
        pi.layout.setContentsMargins(2, 10, 2, 2)  # room for the colour bar's top label
        for side in ("left", "bottom"):
            ax = pi.getAxis(side)
            ax.setTextPen("#333")
            ax.setPen("#888")
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
        self.colorbar.axis.setTextPen("#333")
        cache_axes(pi)
        self.colorbar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(colors.TRAIN_CURVE, width=3))
        self.curve.setZValue(5)
        pi.addItem(self.curve)
        self.class_curves: list[pg.PlotDataItem] = []  # one feature, classes: one per class
        self.train_points = pg.ScatterPlotItem(size=8, pxMode=True)
        self.train_points.setZValue(10)
        self.test_points = pg.ScatterPlotItem(size=8, pxMode=True)
        self.test_points.setZValue(11)
        pi.addItem(self.train_points)
        pi.addItem(self.test_points)
        self.note = pg.TextItem("", color="#555", anchor=(0.5, 0.5))
        pi.addItem(self.note)
        # Shown over the plot while the worker compiles a new model (a second or two).
        self.busy = QLabel("compiling the new model\u2026", self)
        self.busy.setStyleSheet("QLabel { background: rgba(255, 255, 255, 220); color: #333; "
                                "border: 1px solid #bbb; border-radius: 4px; padding: 4px 8px; }")
        self.busy.move(70, 14)
        self.busy.adjustSize()
        self.busy.hide()
        self.mode = NO_PLANE
        self.discretize = False
        self.levels = (0.0, 1.0)
        self._grid: Grid | None = None
        self._class_scale = 1.0
        self._rect_for: tuple | None = None

    # --- the data: once per data set ---------------------------------------------------------

    def set_dataset(self, data: Dataset) -> None:
        pi = self.getPlotItem()
        self._grid, self._rect_for = None, None
        self.heat.clear()
        self.class_img.clear()
        self.curve.setData([], [])
        for c in self.class_curves:
            pi.removeItem(c)
        self.class_curves = []
        self.note.setText("")
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
        self.colorbar.setVisible(self.mode in (BINARY, REGRESSION_2D))
        self.heat.setVisible(self.mode in (BINARY, REGRESSION_2D))
        self.class_img.setVisible(self.mode == MULTICLASS)
        self.curve.setVisible(self.mode == REGRESSION_1D)

        names = data.feature_names or tuple(f"x{i + 1}" for i in range(data.n_features))
        if self.mode in (REGRESSION_1D, CLASSES_1D):
            x_tr, y_tr = data.X_train[:, 0], data.y_train.astype(np.float32)
            x_te, y_te = data.X_test[:, 0], data.y_test.astype(np.float32)
            pi.setLabel("bottom", names[0], color=LABEL_COLOR)
            pi.setLabel("left", "y" if self.mode == REGRESSION_1D else
                        "class / probability", color=LABEL_COLOR)
            if self.mode == CLASSES_1D:
                k = max(data.n_classes, 2)
                # Points at the height of their class; curves: the model's P(class) (scaled
                # to the same heights when there are more than two classes).
                scale = 1.0 if k == 2 else float(k - 1)
                self._class_scale = scale
                shown = range(1, 2) if k == 2 else range(k)
                for c in shown:
                    item = pg.PlotDataItem(pen=pg.mkPen(colors.class_color(c), width=3))
                    item.setZValue(5)
                    pi.addItem(item)
                    self.class_curves.append(item)
        elif self.mode == NO_PLANE:
            x_tr = y_tr = x_te = y_te = np.zeros(0)
            pi.setLabel("bottom", "", color=LABEL_COLOR)
            pi.setLabel("left", "", color=LABEL_COLOR)
        else:
            x_tr, y_tr = data.X_train[:, 0], data.X_train[:, 1]
            x_te, y_te = data.X_test[:, 0], data.X_test[:, 1]
            pi.setLabel("bottom", names[0], color=LABEL_COLOR)
            pi.setLabel("left", names[1], color=LABEL_COLOR)
        if self.mode == NO_PLANE:
            rgb_tr = rgb_te = np.zeros((0, 3), np.uint8)
        else:
            rgb_tr, rgb_te = self._point_colors(data)
        # Points coloured by value sit on a heatmap of the same colours: a dark rim shows them.
        rim = pg.mkPen("#333", width=1) if self.mode == REGRESSION_2D else pg.mkPen("w", width=1.2)
        self.train_points.setData(x_tr, y_tr, brush=[pg.mkBrush(*c) for c in rgb_tr],
                                  pen=rim, symbol="o")
        self.test_points.setData(x_te, y_te, brush=pg.mkBrush(255, 255, 255, 0),
                                 pen=[pg.mkPen(*c, width=2.2) for c in rgb_te], symbol="o")

        if self.mode == NO_PLANE:
            self.note.setText(f"The data has {data.n_features} features: there is no plane "
                              "to draw.\nThe loss and the other views still work.")
            self.note.setPos(0.5, 0.5)
            pi.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            return
        b = data.bounds(0.1)
        if self.mode in (REGRESSION_1D, CLASSES_1D):
            lo, hi = float(np.min(data.y)), float(np.max(data.y))
            pad = 0.1 * (hi - lo or 1.0)
            pi.setRange(xRange=b[0], yRange=(lo - pad, hi + pad), padding=0)
        else:
            pi.setRange(xRange=b[0], yRange=b[1], padding=0)
        pi.disableAutoRange()

    def _point_colors(self, data: Dataset) -> tuple[np.ndarray, np.ndarray]:
        if data.is_classification:
            table = np.array([colors.class_color(k) for k in range(max(data.n_classes, 2))])
            return table[data.y_train], table[data.y_test]
        if self.mode == REGRESSION_2D:
            cmap = colors.point_map()
            lo, hi = self.levels

            def by_value(y):
                return cmap.map(np.clip((y - lo) / (hi - lo), 0, 1), mode="byte")[:, :3]
            return by_value(data.y_train), by_value(data.y_test)
        dark = np.array([colors.BLUE])
        return dark.repeat(len(data.y_train), 0), dark.repeat(len(data.y_test), 0)

    # --- options -----------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            self.busy.raise_()

    def set_show_test(self, show: bool) -> None:
        self.test_points.setVisible(show)

    def set_discretize(self, on: bool) -> None:
        self.discretize = on
        if self._grid is not None:
            self.update_grid(self._grid)

    # --- the model: every snapshot -------------------------------------------------------------

    def update_grid(self, grid: Grid | None) -> None:
        self._grid = grid
        if grid is None or self.mode == NO_PLANE:
            return
        v = grid.values
        if self.mode == REGRESSION_1D:
            y = v if v.ndim == 1 else v[:, 0]
            self.curve.setData(grid.xs, y)
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
            self.class_img.setImage(colors.class_image(v, self.discretize), autoLevels=False,
                                    levels=(0, 255))
            self._place(self.class_img, grid)
            return
        if v.ndim == 3:
            v = v[..., 0]
        if self.discretize and self.mode == BINARY:
            v = (v >= 0.5).astype(np.float32)
        self.heat.setImage(np.ascontiguousarray(v, dtype=np.float32), autoLevels=False,
                           levels=self.levels)
        self._place(self.heat, grid)

    def _place(self, item: pg.ImageItem, grid: Grid) -> None:
        key = (id(grid.xs), id(grid.ys), len(grid.xs), len(grid.ys))
        if self._rect_for == key:
            return
        self._rect_for = key
        xs, ys = grid.xs, grid.ys
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        # Pixel centres sit on the grid points.
        item.setRect(QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2),
                            float(xs[-1] - xs[0] + dx), float(ys[-1] - ys[0] + dy)))

    def image_data(self) -> np.ndarray | None:
        """What the plane shows now (for tests and exports)."""
        if self.mode == MULTICLASS:
            return self.class_img.image
        if self.mode == REGRESSION_1D:
            return self.curve.yData
        if self.mode == CLASSES_1D:
            return np.stack([c.yData for c in self.class_curves], axis=-1) \
                if self.class_curves and self.class_curves[0].yData is not None else None
        return self.heat.image
