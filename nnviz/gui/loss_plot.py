"""Train and test loss per epoch, linear or log scale.

The histories are bounded by the core (LossHistory keeps at most a few thousand points of any
run), and the curves downsample and clip to the view, so drawing stays fast on long runs.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from nnviz.core.snapshot import Snapshot

from . import colors

_FLOOR = 1e-12  # log scale: a loss of exactly 0 is drawn at this floor


class LossPlot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setToolTip("The loss per epoch: dark = training data, orange dashes = test data.\n"
                        "Drag to pan, wheel to zoom; it follows the run again after Reset.")
        pi = self.getPlotItem()
        pi.setMenuEnabled(False)
        pi.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            ax = pi.getAxis(side)
            ax.setTextPen("#333")
            ax.setPen("#888")
            ax.enableAutoSIPrefix(False)  # "loss (x0.001)" puzzles people
        # After setTextPen, which resets the labels' style.
        pi.setLabel("bottom", "epoch", color="#333")
        pi.setLabel("left", "loss", color="#333")
        pi.setDownsampling(auto=True, mode="peak")
        pi.setClipToView(True)
        self.legend = pi.addLegend(offset=(-8, 8), labelTextColor="#333",
                                   brush=pg.mkBrush(255, 255, 255, 200))
        self.train = pi.plot([], [], pen=pg.mkPen(colors.TRAIN_CURVE, width=2), name="train")
        self.test = pi.plot([], [], pen=pg.mkPen(colors.TEST_CURVE, width=2,
                                                 style=pg.QtCore.Qt.PenStyle.DashLine),
                            name="test")
        # Peak downsampling keeps each pixel column's min and max: ~1 sample a pixel is exact
        # enough (pyqtgraph's default draws ~5, 22% of this plot's paint time).
        for curve in (self.train, self.test):
            curve.opts["autoDownsampleFactor"] = 1.0
        self.log = False
        self._last: Snapshot | None = None

    def set_log(self, on: bool) -> None:
        self.log = on
        self.getPlotItem().setLogMode(y=on)
        if self._last is not None:
            self.update_snapshot(self._last)
        self.getPlotItem().enableAutoRange()

    def clear_curves(self) -> None:
        self._last = None
        self.train.setData([], [])
        self.test.setData([], [])
        self.getPlotItem().enableAutoRange()

    def update_snapshot(self, s: Snapshot) -> None:
        self._last = s
        self.train.setData(s.loss_epochs, self._y(s.loss_values))
        self.test.setData(s.test_epochs, self._y(s.test_values))
        # The new auto-range now, not in the paint: pyqtgraph works it out while painting, and
        # the range change it makes there schedules a second full paint of the plot.
        self.scene().prepareForPaint()

    def _y(self, v: np.ndarray) -> np.ndarray:
        return np.maximum(v, _FLOOR) if self.log else v
