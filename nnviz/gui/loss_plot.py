"""Train and test loss per epoch, linear or log scale.

The histories are bounded by the core (LossHistory keeps at most a few thousand points of any
run), and the curves downsample and clip to the view, so drawing stays fast on long runs.

The axes follow the run in steps, not every frame: the epoch axis ends at the next of 10, 12.5,
15, 17.5, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100, ... (never more than a quarter past the run)
and the loss axis at a round number above the largest loss (log scale: whole
decades); it starts at 0 once the loss has halved, at a round number under the curve before.
Labels that change 30 times a second cannot be read, and re-laying out the axes every
frame was the largest cost of a training frame (bench/gui.py). Dragging or zooming the plot stops
the following; Reset, the log switch or the plot's "A" button (shown then only) bring it back.
"""
from __future__ import annotations

import html
import math
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextDocument, QTextOption
from PySide6.QtWidgets import QWidget

from nnviz.core.snapshot import Branch, Snapshot

from . import colors
from .widgets import LogAxis, SparseAxis, cache_axes, keep_axis_title_inside, scale_axes

_FLOOR = 1e-12  # log scale: a loss of exactly 0 is drawn at this floor
_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
# No step more than a quarter past the one before: with 1, 1.5, 2, ... a run at epoch 1,002 got
# an axis to 1,500, half of it again empty, the last third of the plot blank.
_EPOCH_MANTISSAS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0)


def epoch_axis_end(epoch: float) -> float:
    """The end of the epoch axis for a run at ``epoch``: 10, 12.5, 15, 17.5, 20, 25, 30, 35,
    40, 50, 60, 70, 80, 100, 125, ... (the axis runs at most a quarter past the curve once past
    10)."""
    return _round_up(max(float(epoch), 10.0), _EPOCH_MANTISSAS)


def train_curve(s: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """The train curve of ``s``: its record, the loss at each epoch's start (the notebook's
    "Loss for epoch N"), and after the branch's last epoch E the loss of its weights at E + 1
    (``end_loss``, the readout's "Train loss after epoch E"), where the test curve has the test
    loss of the same weights. After one Step the test curve had points at 1 and 2 and the
    train curve at 1 alone, the readout's train loss on neither (review r22 F5). Shown in the
    past too: the curves are the branch's whole record, the mark the epoch shown. What the plot
    draws only: the record (the loss export) has no such epoch until it has run."""
    end = s.live_epoch if s.live_epoch >= 0 else s.epoch
    return _ended(s.loss_epochs, s.loss_values, end, s.end_loss)


def branch_curve(b: Branch) -> tuple[np.ndarray, np.ndarray]:
    """The curve of branch ``b`` beside the live one, as ``train_curve`` draws a branch in
    front: its record and, after its last epoch E, its end weights' loss at E + 1 (``end_loss``)
    -- the curve it has once it is live again, ending at the number the readout says then."""
    return _ended(np.asarray(b.epochs), np.asarray(b.values), b.end_epoch, b.end_loss)


def _ended(epochs: np.ndarray, values: np.ndarray, end: int, end_loss: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """A record whose last epoch is ``end`` with ``end_loss`` after it, at ``end`` + 1 (as it
    is, when it ends elsewhere or ``end_loss`` is not finite)."""
    if not (len(epochs) and int(epochs[-1]) == end and math.isfinite(end_loss)):
        return epochs, values
    return (np.append(epochs, end + 1).astype(epochs.dtype, copy=False),
            np.append(values, end_loss).astype(values.dtype, copy=False))


def loss_axis_end(value: float) -> float:
    """A round number a little above ``value`` (> 0): 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k."""
    return _round_up(value * 1.02, _MANTISSAS)  # the top of the curve stays clear of the frame


def loss_axis_start(low: float, high: float) -> float:
    """Where the loss axis starts: 0 once the loss has fallen to under half its highest, else a
    round number a little below the lowest loss, so that an early curve shows its shape."""
    if low <= 0 or low < 0.5 * high:
        return 0.0
    return _round_down(low * 0.98, _MANTISSAS)  # the curve's bottom stays clear of the frame


SPIKE_RATIO = 10.0  # a first epochs' loss this many times the run's usual loss is a spike
SPIKE_APART = 4.0  # ... and this many times above every later loss
# A live run's new snapshot that would put the curves' ends, the epoch mark and the axes on the
# pixels already drawn is not drawn (see LossPlot._same_on_screen): at 100,000 points a frame
# adds ~8 epochs where a pixel holds ~10, and the chart's ~2.5-4 ms a frame was the window's
# largest single cost to the training (bench/README, "view cost at 100,000 points"). The last
# such snapshot is drawn this long after the first one skipped, so that nothing is ever
# further behind (a Pause's last epoch, a noisy curve's last column).
CATCH_UP_MS = 150
RATE_LABEL_AT = 0.55  # a rate change's label, this far up its line (the legend is at the top)
# ... or at another of these heights (nearest first, the lower first of two as near) where a
# curve, the legend or another change's label would be under it there (_stagger_rates)
RATE_LEVELS = tuple(sorted((round(0.07 + 0.04 * i, 2) for i in range(22)),
                           key=lambda h: (abs(h - RATE_LABEL_AT), h)))
RATE_LABEL_PAD = 2  # px kept clear around a rate label's text
RATE_RIGHT, RATE_LEFT = (0, 0.5), (1, 0.5)  # a rate label's anchors: right, left of its line
RATE_LABEL_PT = 9  # its label's size (the key's), times presentation mode's scale
RATE_UNDER_LEGEND = 1e9  # a rate label's cost of a height under the legend: every other first
RATE_LABEL_GROUND = 220  # the opacity of the plot's background under the label (of 255)
SPIKE_EPOCHS = 10  # at most this many epochs (3 in runs under 1,000 epochs; 1% up to 1,000)


def leading_spike(epochs: np.ndarray, values: np.ndarray) -> int:
    """How many of a run's first train losses stand more than SPIKE_RATIO times above the run's
    usual loss (its 90th percentile), when they are a few epochs at its start (at most 3, or 1%
    of the run up to SPIKE_EPOCHS): their loss would set a linear axis, and the rest of the run
    would be a flat line on its floor (the line data set: 141 at epoch 1, 14 at epoch 2, then
    0.93). 0 when there is none: a loss that takes tens of epochs to come down (a long run's
    first fall included) is the curve's shape, and a rise later in a run is news."""
    e = np.asarray(epochs)
    v = np.asarray(values, np.float64)
    keep = np.isfinite(v)
    e, v = e[keep], v[keep]
    if len(v) < 4:
        return 0
    high = SPIKE_RATIO * float(np.quantile(v, 0.9))
    above = v > high
    k = int(np.argmin(above)) if not above.all() else len(v)
    few = max(3, min(SPIKE_EPOCHS, int(e[-1] - e[0] + 1) // 100))
    if k == 0 or e[k - 1] - e[0] + 1 > few or above[k:].any():
        return 0
    # ... and they stand apart: SPIKE_APART times above all that follows, not merely above a
    # long run's usual loss (the notebook's 0.264 at epoch 1, then 0.241, fell to 1e-4 by
    # epoch 30,000, whose 90th percentile made its first epoch a "spike" cut off the axis;
    # the line's 141 and 14 stand 6.5x above its 2.2 at epoch 3). The spike is the most of
    # those first epochs that do: its way down may be above the usual loss too without
    # standing apart (sine, 16-16 tanh: 3.5, 27, 29, 4.6 stand 4x above the 0.74, 0.31 and
    # 0.26 that follow; with them counted, the 0.31 was no spike and the 3,000 epochs were a
    # flat line under a 29 axis).
    for j in range(k, 0, -1):
        if v[:j].min() >= SPIKE_APART * v[j:].max():
            return j
    return 0


def _round_down(value: float, mantissas) -> float:
    k = math.floor(math.log10(value))
    return max(m * 10.0 ** k for m in mantissas if m * 10.0 ** k <= value)


def _round_up(value: float, mantissas) -> float:
    k = math.floor(math.log10(value))
    for m in mantissas:
        if m * 10.0 ** k >= value * (1 - 1e-12):
            return m * 10.0 ** k
    return 10.0 ** (k + 1)


# Where the legend may sit, in order of preference: (its corner, the plot's corner, offset px).
LEGEND_MARGIN = 8  # px between the legend and the plot's frame
SHORT_PLOT_LEGEND = 0.4  # a legend taller than this share of the plot goes under it
LEGEND_CORNERS = {"top right": ((1, 0), (1, 0), (-LEGEND_MARGIN, LEGEND_MARGIN)),
                  "bottom right": ((1, 1), (1, 1), (-LEGEND_MARGIN, -LEGEND_MARGIN)),
                  "top left": ((0, 0), (0, 0), (LEGEND_MARGIN, LEGEND_MARGIN)),
                  "bottom left": ((0, 1), (0, 1), (LEGEND_MARGIN, -LEGEND_MARGIN))}


KEY_NAME = 20  # characters of a branch's name in the key under the plot, when it is short of room


def branch_entry(b: Branch, front_rates) -> tuple[str, str]:
    """The words after a branch's name in the key, when it is not in front: its learning rate
    where its rates are not the front branch's (" (lr 5 from 149)"), and its last loss
    (": 0.00052", the end of its curve: the loss the readout says of it once it is in front);
    the two apart (a key short of room keeps the loss). The names alone said nothing of what
    differed, and only the branch in front had numbers (review r27 F8)."""
    values = branch_curve(b)[1]
    values = values[np.isfinite(values)]
    tail = f": {float(values[-1]):.3g}" if len(values) else ""
    rate = ""
    if b.rates and tuple(b.rates) != tuple(front_rates):
        epoch, lr = b.rates[-1]
        rate = f" (lr {lr:g})" if epoch <= 0 else f" (lr {lr:g} from {epoch:,})"
    return rate, tail


def _whole(text: str) -> str:
    """``text`` as rich text that is not broken across lines."""
    return html.escape(text).replace(" ", "&nbsp;")


def _key_entry(axis, sample: str, name: str, row: float) -> str:
    """A key entry under the plot: its line ``sample`` (rich text) and ``name``, never split;
    wider than a ``row`` alone ("━·━ run 1: 0.00357" in presentation mode under Backprop's
    172 px plot), split between its parts (before a bracket, after a colon), else between its
    words, and never inside a number: Qt broke it as "0.0035" over "7" (review r29 M2)."""
    entry = f"{sample}&nbsp;{_whole(name)}"
    if _html_width(axis, entry) <= row:
        return entry
    parts = re.split(r"(?<=:) | (?=\()", name)
    if any(_html_width(axis, _whole(p)) > row for p in parts):
        parts = name.split(" ")
    return f"{sample}&nbsp;" + " ".join(_whole(p) for p in parts)


def _html_width(axis, text: str) -> float:
    """The width of ``axis``'s title were it ``text`` on one line, as the title is drawn."""
    # A document of its own, made here rather than the title's cloned: a QTextDocument that
    # C++ makes (clone) may come at the address of a layout item deleted since, and PySide
    # hands back that item's wrapper, which QLayout.itemAt keeps as long as the layout lives
    # ("'QWidgetItem' object has no attribute 'setTextWidth'", seen once in a session).
    title = axis.label
    doc = QTextDocument()
    doc.setDefaultFont(title.document().defaultFont())
    doc.setDocumentMargin(title.document().documentMargin())
    style = ";".join(f"{k}: {v}" for k, v in axis.labelStyle.items())
    doc.setHtml(f"<span style='{style}'>{text} </span>")  # as AxisItem.labelString
    return doc.idealWidth() + 2 * doc.documentMargin()


class LossPlot(pg.PlotWidget):
    # A click on the plot: show that epoch (the timeline). A Python int: a run may pass 2^31.
    epoch_clicked = Signal(object)
    scale = 1.0  # presentation mode's (set_scale)

    def __init__(self, parent: QWidget | None = None) -> None:
        # The epochs: every k-th number where they would touch (presentation mode beside a
        # view printed "500 1000" as "5001000").
        super().__init__(parent, background=colors.background(), enableMenu=False,
                         axisItems={"left": LogAxis("left"), "bottom": SparseAxis("bottom")})
        self.setToolTip("The loss per epoch: the solid line = training data, dashes = test data,\n"
                        "both of the weights the epoch starts from, as the notebook prints it:\n"
                        "its \u201cLoss for epoch 300\u201d is the curve at 300, the loss after "
                        "299 epochs.\n"
                        "Dash-dotted or dotted, in colour: the train loss of the run's other "
                        "branches.\n"
                        "Click to see that epoch: its weights after its update, whose loss (the "
                        "line above the plot) is the curve's next point.\n"
                        "Drag to pan, wheel to zoom; it follows the run again after Reset.")
        pi = self.getPlotItem()
        pi.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            pi.getAxis(side).enableAutoSIPrefix(False)  # "loss (x0.001)" puzzles people
        self.epoch_title = "epoch"  # the x axis' title where it fits (set_epoch_title)
        pi.setLabel("bottom", "epoch")
        pi.setLabel("left", "loss")
        keep_axis_title_inside(pi)
        title = pi.getAxis("bottom").label.document()
        centred = title.defaultTextOption()
        centred.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # the key's rows, when it has rows
        title.setDefaultTextOption(centred)
        cache_axes(pi)
        pi.setDownsampling(auto=True, mode="peak")
        pi.setClipToView(True)
        self.legend = pi.addLegend(offset=(-LEGEND_MARGIN, LEGEND_MARGIN))
        # Side by side, one row: stacked, it took 60% of the plot's height at 1024x768 and hid
        # a curve in whichever corner it went.
        self.legend.setColumnCount(2)
        self.legend_corner = "top right"
        self._covers_everywhere = False  # the key hides a curve in every corner (_set_covers)
        self.legend.setToolTip("train: the loss on the training points; test: on the held-out "
                               "test points (dashed). Other names: the run's other branches "
                               "(dash-dotted or dotted), with their learning rate where it is "
                               "not this branch's and their last loss.")
        self.train = pi.plot([], [], name="train")
        self.test = pi.plot([], [], name="test")
        # Peak downsampling keeps each pixel column's min and max: ~1 sample a pixel is exact
        # enough (pyqtgraph's default draws ~5, 22% of this plot's paint time).
        for curve in (self.train, self.test):
            curve.opts["autoDownsampleFactor"] = 1.0
        # The epoch shown: a handle on the curve's own epoch axis; drag it to go back in time
        # (brown in the past, grey at the live end). Other branches of the run are curves too.
        self.marker = pg.InfiniteLine(angle=90, movable=True,
                                      pen=pg.mkPen(colors.TIMELINE_MARK, width=2),
                                      hoverPen=pg.mkPen(colors.TIMELINE_MARK, width=4))
        # Its weights' loss is the curve's next point: a reviewer read the line at 3 and the
        # readout's "loss after epoch 3" at 4 as the line one epoch behind.
        self.marker.setToolTip("The epoch shown: drag it to see any epoch of the run.\n"
                               "The loss of its weights (\u201closs after epoch N\u201d above) is "
                               "the curve's next point:\nthe curve gives each epoch the loss "
                               "it starts from, as the notebook prints it.")
        self.marker.setZValue(20)
        self.marker.hide()
        self.marker.sigDragged.connect(self._marker_dragged)
        pi.addItem(self.marker, ignoreBounds=True)
        # A note at the top left when the first epochs' spike is above the scale (see
        # leading_spike): the axis is set by the rest of the run, and the plot says so.
        self.spike_note = pg.TextItem("", color=colors.text(), anchor=(0, 0))
        self.spike_note.setToolTip(
            "The loss of the first epochs (or of a divergence the run went on from) is many "
            "times that of the rest of the run: the scale is set by the rest, so that its curve "
            "can be read, and those epochs go off the top. Tick Log scale to see them all.")
        self.spike_note.setZValue(15)
        self.spike_note.hide()
        pi.addItem(self.spike_note, ignoreBounds=True)
        self._spike: tuple[int, int, float] | None = None  # (first, last epoch, highest loss)
        # A dashed line where the learning rate changed, labelled with the new rate: a learner
        # who changed it mid-run could not tell afterwards where, nor which part of the curve
        # was at which rate (r19 #1).
        self._rate_lines: list[pg.InfiniteLine] = []
        self._rate_marks: tuple[tuple[int, float], ...] = ()
        self._staggered: tuple | None = None  # what the marks' labels were placed for
        # The labels placed again wherever the legend goes or grows, paused too: placed only
        # with a frame, a label kept its height (a share of the plot's) in a plot made shorter
        # or a key grown taller while paused, and the legend's box came to lie over "lr 3".
        self.legend.geometryChanged.connect(self._stagger_rates)
        self.legend.visibleChanged.connect(self._stagger_rates)
        self._branch_curves: dict[str, pg.PlotDataItem] = {}
        self._branch_colours: dict[str, int] = {}  # each curve's colour index (branch_color)
        self._branch_words: dict[str, tuple[str, str]] = {}  # rate, loss (branch_entry)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.log = False
        self._last: Snapshot | None = None
        self._drawn: Snapshot | None = None  # the snapshot the curves show (see update_snapshot)
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(CATCH_UP_MS)
        self._catch_up.timeout.connect(self._draw_last)
        # The range is ours (see the top), not pyqtgraph's auto-range.
        self.following = True
        self._range: tuple | None = None
        vb = pi.getViewBox()
        vb.disableAutoRange()
        vb.sigRangeChangedManually.connect(self._stop_following)
        pi.autoBtn.clicked.connect(self.follow)  # after pyqtgraph's own slot
        # Its "A" only while it has a use: after a drag or a zoom, as the way back. The range
        # being ours, pyqtgraph showed it whenever the mouse had been over the plot: a stray
        # "A" in the corner of the Blobs preset's plot that no newcomer could read (r29 L4).
        pi.autoBtn.setToolTip("Follow the run again (the whole curve)")
        pi.hideButtons()
        # A narrower or wider plot (the window resized, presentation mode): one row or two for
        # the legend, and its corner looked at again.
        vb.sigResized.connect(self._plot_resized)
        self._refit_item = QTimer(self)
        self._refit_item.setSingleShot(True)
        self._refit_item.setInterval(0)
        self._refit_item.timeout.connect(self._fit_item)
        self.apply_look()
        colors.follow(self, self.apply_look)

    def apply_look(self) -> None:
        """The theme's background and axes, the train curve in the text's colour, the test
        curve dashed in the test data's own colour (not a class's)."""
        colors.style_view(self)
        self.train.setPen(pg.mkPen(colors.train_curve(), width=2))
        self.test.setPen(pg.mkPen(colors.test_color(), width=2,
                                  style=pg.QtCore.Qt.PenStyle.DashLine))
        for curve in (self.train, self.test):
            if curve.opts["symbol"] is not None:
                curve.setSymbolBrush(curve.opts["pen"].color())
        for name, curve in self._branch_curves.items():  # made for the theme's background
            curve.setPen(self._branch_pen(name))
        for line in self._rate_lines:
            self._style_rate_line(line)
        if hasattr(self, "_legend_room"):
            self._fit_key()  # the key under the plot in the curves' new colours

    def _branch_pen(self, name: str):
        """Branch ``name``'s pen, thicker in presentation mode as the front branch's curves
        are: dash-dotted at 1.5 px it was a faint dotted trail beside a 3 px train curve."""
        return colors.branch_pen(self._branch_colours[name], width=1.5 * self.scale)

    def _stop_following(self, *_) -> None:
        self.following = False
        self.getPlotItem().showButtons()  # the way back: its "A"
        self.spike_note.hide()  # the user's own range: the note may no longer be true
        self._stagger_rates()  # a rate label kept beside its line, on the side with room

    def follow(self, *_) -> None:
        """Follow the run again (after a drag or a zoom)."""
        self.following = True
        self.getPlotItem().hideButtons()
        self.getPlotItem().getViewBox().disableAutoRange()
        self._range = None
        self._follow_range()
        self._show_spike_note()

    def set_scale(self, scale: float) -> None:
        """Thicker curves and larger axis text (presentation mode)."""
        self.scale = scale
        for curve in (self.train, self.test):
            pen = pg.mkPen(curve.opts["pen"])
            pen.setWidthF(2 * scale)
            curve.setPen(pen)
        for name, curve in self._branch_curves.items():
            curve.setPen(self._branch_pen(name))
        pi = self.getPlotItem()
        scale_axes([pi.getAxis("left"), pi.getAxis("bottom")], self.font(), scale)
        self.legend.setLabelTextSize(f"{9 * scale:g}pt")  # an entry added later too
        for _, label in self.legend.items:
            label.setText(label.text)  # drawn at the new size
        self._reflow_legend()  # smaller text again after presentation mode: a smaller box
        if self._last is not None:
            self._place_legend()  # a larger box may cover a curve where the smaller did not
        font = self.spike_note.textItem.font()
        font.setPointSizeF(9 * scale)  # as the legend's
        self.spike_note.setFont(font)
        for line in self._rate_lines:  # "lr 3" as large as the key
            self._style_rate_line(line)
        self._show_spike_note()

    def set_epoch_title(self, title: str) -> None:
        """The x axis' title where it fits the plot's width, else "epoch" (presentation mode's
        says how the curve counts the epochs: the tooltip that did is not read on a
        projector)."""
        self.epoch_title = title
        self._fit_key()

    def set_log(self, on: bool) -> None:
        self.log = on
        self.getPlotItem().setLogMode(y=on)
        if self._last is not None:
            self._draw(self._last)
        self.follow()

    def clear_curves(self) -> None:
        self._last = self._drawn = None
        self._catch_up.stop()
        self.train.setData([], [])
        self.test.setData([], [])
        self.marker.hide()
        for name in list(self._branch_curves):
            curve = self._branch_curves.pop(name)
            self.getPlotItem().removeItem(curve)
            self.legend.removeItem(curve)
        self._name_live_curves(None)  # "train (run 2)" was the run before's name
        for line in self._rate_lines:  # the run before's rate changes go with it
            line.hide()
        self._rate_marks = ()
        self._reflow_legend()
        self.follow()

    def set_has_test(self, on: bool) -> None:
        """The legend lists "test" only while the data has test points: at a test fraction of 0
        there is no test curve, and a "test" entry sent people looking for it."""
        listed = any(sample.item is self.test for sample, _ in self.legend.items)
        if on == listed:
            return
        if on:
            self.legend.addItem(self.test, "test" + getattr(self, "_suffix", ""))
            self.legend.items.insert(1, self.legend.items.pop())  # after "train", before branches
        else:
            self.legend.removeItem(self.test)
        self._reflow_legend()

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._last is None:
            return
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        x = vb.mapSceneToView(event.scenePos()).x()
        if math.isfinite(x):
            self.epoch_clicked.emit(int(round(max(x, 0))))

    def _marker_dragged(self, line) -> None:
        x = line.value()
        if math.isfinite(x):
            self.epoch_clicked.emit(int(round(max(x, 0))))

    def _reflow_legend(self) -> None:
        """Lay the legend's entries out afresh, each label at its own text's width: pyqtgraph's
        removeItem leaves the grid's other cells where they were and a renamed label keeps its
        old width, so after a branch was deleted ("train (run 2)" back to "train") the box kept
        the room of the longer names and of an empty second row."""
        legend = self.legend
        for sample, label in legend.items:
            label.resize(label.effectiveSizeHint(Qt.SizeHint.PreferredSize))
        # Side by side where the row fits in the plot, else one entry a line: in presentation
        # mode at 1024x768 "train (run 2)  test (run 2)" was wider than the plot, and the box
        # ran off its left edge with the first line sample cut to a stub.
        room = self.getPlotItem().getViewBox().width() - 2 * LEGEND_MARGIN
        for columns in (2, 1):
            legend.columnCount = columns
            for i in range(legend.layout.count() - 1, -1, -1):
                legend.layout.removeAt(i)
            legend.rowCount = 0
            for sample, label in legend.items:
                legend._addItemToLayout(sample, label)  # as its setColumnCount re-lays them out
            legend.updateSize()
            if legend.width() <= room:
                break
        self._legend_room = room
        self._fit_key()

    def _fit_key(self) -> None:
        """The key in the plot (the legend) where it leaves the curves room and hides no curve
        in some corner, else under the plot, on a line of its own under "epoch": with an exercise open in presentation mode at 1024x768 the plot
        is ~75 px high and the legend's box covered most of it. Under the plot it is one line
        where that fits, the live branch named once where that fits, else rows of whole
        entries, centred: with four branches at 1400x900 "run 2" and "run 3" ran off the
        plot's right edge (r11)."""
        pi = self.getPlotItem()
        if pi is None:  # (a theme change reaching a plot on its way out)
            return
        legend, vb = self.legend, pi.getViewBox()
        below = vb.height() > 0 and (legend.height() > SHORT_PLOT_LEGEND * vb.height()
                                     or legend.width() > getattr(self, "_legend_room", 1e9)
                                     or getattr(self, "_covers_everywhere", False))
        axis = pi.getAxis("bottom")
        # The title where it fits, else "epoch"; the key under the plot comes first.
        titles = dict.fromkeys((self.epoch_title, "epoch"))
        text = next((t for t in titles if _html_width(axis, t) <= vb.width()), "epoch")
        rows = -1.0  # the width the key wraps at (-1: one line)
        if below:
            # On a line of its own under the axis's title, centred: beside it, "epoch ━━ train
            # (slow lr 0.05) ┅┅ test (slow lr 0.05) ━━ run 1" read as the axis's title (review
            # r23 F11).
            rows = max(vb.width(), 1.0)
            suffix = getattr(self, "_suffix", "")
            for compact in (0, 1, 2):
                # Too wide for the axis ("test (rur" after a branch at 1024x768): the live
                # branch's name once, before its two curves' ("run 2: ━━ train ┅┅ test"), and
                # long names cut; then the other branches' rates left out, their last loss
                # kept; still too wide, it wraps in rows of whole entries.
                parts = []
                for sample, label in legend.items:
                    pen = pg.mkPen(sample.item.opts.get("pen"))
                    branch = next((b for b, c in self._branch_curves.items()
                                   if c is sample.item), None)  # its own line ("━·━ run 7")
                    glyph = (colors.branch_dash(self._branch_colours[branch])[1]
                             if branch is not None else
                             "┅┅" if pen.style() != Qt.PenStyle.SolidLine else "━━")
                    name = label.text
                    if compact and suffix and name.endswith(suffix):
                        name = name[: -len(suffix)]
                    words = ""
                    if compact and branch is not None:
                        name = branch
                        rate, loss = self._branch_words.get(branch, ("", ""))
                        words = (rate if compact == 1 else "") + loss
                    if compact and len(name) > KEY_NAME:
                        name = name[: KEY_NAME - 1] + "\u2026"
                    name += words
                    parts.append(_key_entry(
                        axis, f"<span style='color:{pen.color().name()}'>{glyph}</span>",
                        name, rows))
                head = f"{_whole(suffix.strip(' ()'))}: " if compact and suffix else ""
                key = head + " &nbsp; ".join(parts)
                if _html_width(axis, key) <= vb.width():
                    break
            text = text + "<br>" + key
        legend.setVisible(not below)
        if axis.labelText != text or axis.label.textWidth() != rows:
            doc = axis.label.document()
            if doc.defaultTextOption().wrapMode() != QTextOption.WrapMode.WordWrap:
                # Rows broken at spaces only: Qt's default breaks a word wider than the row
                # anywhere, a number among them.
                option = doc.defaultTextOption()
                option.setWrapMode(QTextOption.WrapMode.WordWrap)
                doc.setDefaultTextOption(option)
            axis.label.setTextWidth(rows)
            axis.setLabel(text)  # (its height, with the rows)
            # The axis at its new height now: the key's line under "epoch" lay over the tick
            # numbers until the plot's layout came round to it.
            pi.layout.activate()
            # Centred afresh: pyqtgraph places an axis title only when the axis is resized, and
            # this runs after that (the plot's resize): "epoch" kept the wide title's place,
            # ~55 px left of centre, once the key came back into the plot (after Compare); a
            # longer title at the same height stayed where "epoch" was, and ran off the right.
            axis.resizeEvent()
            self._refit_item.start()  # (not inside the resize that called this)

    def _fit_item(self) -> None:
        """The plot item as large as the widget again, once its least size has shrunk (a key
        under the plot in rows put back in the plot): pyqtgraph sets the item's geometry only
        when the widget is resized, and an item held taller by its least size kept that height
        after, its x axis and "epoch" drawn below the widget's bottom, under the timeline (r13:
        after the Compare tab)."""
        pi = self.getPlotItem()
        if pi is not None and pi.geometry() != self.range:
            pi.setGeometry(self.range)

    def _plot_resized(self, *_) -> None:
        # Not at 0 px: Qt shows a splitter's hidden child (the left column, hidden by the
        # Compare tab) after a pass at 0 px wide, where the key went under the plot in rows a
        # word wide (~150 px of title); the key is fitted at the width the plot is seen at.
        if self.width() <= 0 or self.height() <= 0:
            return
        room = self.getPlotItem().getViewBox().width() - 2 * LEGEND_MARGIN
        if room != getattr(self, "_legend_room", None):
            self._reflow_legend()
            if self._last is not None:
                self._place_legend()
                self._show_spike_note()
        else:
            self._fit_key()  # a new height only
            self._stagger_rates()  # the labels' heights are shares of the plot's: the legend's not

    def _update_branches(self, s: Snapshot) -> None:
        names = {b.name for b in s.branches}
        removed = False
        for name in list(self._branch_curves):
            if name not in names:
                curve = self._branch_curves.pop(name)
                self.getPlotItem().removeItem(curve)
                self.legend.removeItem(curve)  # (its entry's words are not its name)
                removed = True
        added = False
        for i, b in enumerate(s.branches):
            curve = self._branch_curves.get(b.name)
            # The branch's own colour, given when it was made, not its place among the curves
            # drawn now ("run 1" turned from blue to pink once another branch had been live)
            # nor in the run (deleting "run 2" gave "run 3" its colour).
            self._branch_colours[b.name] = b.colour if b.colour >= 0 else i
            pen = self._branch_pen(b.name)
            self._branch_words[b.name] = branch_entry(b, s.rates)
            entry = b.name + "".join(self._branch_words[b.name])
            if curve is None:
                curve = self.getPlotItem().plot([], [], pen=pen, name=entry)
                curve.opts["autoDownsampleFactor"] = 1.0
                curve.setZValue(-1)  # under the live branch
                self._branch_curves[b.name] = curve
                added = True
            elif (pen.color(), pen.dashPattern()) != (curve.opts["pen"].color(),
                                                      curve.opts["pen"].dashPattern()):
                curve.setPen(pen)  # a name taken by another
                added = True  # (the key under the plot in its colour)
            for sample, label in self.legend.items:
                if sample.item is curve and label.text != entry:  # another branch in front
                    label.setText(entry)
                    added = True  # (a longer entry may not fit side by side)
            epochs, values = branch_curve(b)
            curve.setData(epochs, self._y(values))
        if removed or added:
            self._reflow_legend()  # a longer row may no longer fit side by side

    def _name_live_curves(self, s: Snapshot | None) -> None:
        """With several branches, the live one's curves say its name ("train (run 2)");
        ``None``: no run drawn, no name."""
        suffix = f" ({s.branch})" if s is not None and s.branches and s.branch else ""
        if suffix == getattr(self, "_suffix", ""):
            return
        self._suffix = suffix
        for sample, label in self.legend.items:
            for curve, name in ((self.train, "train"), (self.test, "test")):
                if sample.item is curve:
                    label.setText(name + suffix)
        self._reflow_legend()

    def update_snapshot(self, s: Snapshot) -> None:
        if s is not self._drawn and self._same_on_screen(s):
            self._last = s  # drawn by the catch-up, or with the next snapshot that moves a pixel
            if not self._catch_up.isActive():
                self._catch_up.start()
            return
        self._catch_up.stop()
        self._draw(s)

    def _draw_last(self) -> None:
        if self._last is not None and self._last is not self._drawn:
            self._draw(self._last)

    def _same_on_screen(self, s: Snapshot) -> bool:
        """Whether ``s`` only extends the live run drawn last by epochs that land on the pixels
        its curves already end on: the same run, branch and branches, the curves' new points
        (train and test) in the pixel column and rows of their drawn ends, the epoch mark in
        its pixel column, and the same axes. Cheap checks first: at 200 points every frame
        moves the ends by pixels and is drawn."""
        d = self._drawn
        if d is None or not self.following or self._range is None or self.log or \
                self.marker.moving or s.past or d.past or s.epoch <= d.epoch:
            return False
        if (s.run_id, s.branch, s.first_epoch, s.restarts, s.divergence, s.weights_epoch,
                s.diverged, s.message, s.rates) != (
                    d.run_id, d.branch, d.first_epoch, d.restarts, d.divergence,
                    d.weights_epoch, d.diverged, d.message, d.rates):
            return False
        if [(b.name, len(b.epochs), b.end_loss) for b in s.branches] != \
                [(b.name, len(b.epochs), b.end_loss) for b in d.branches]:
            return False
        vb = self.getPlotItem().getViewBox()
        W, H = vb.width(), vb.height()
        (x0, x1), (y0, y1) = self._range
        if W < 1 or H < 1 or x1 <= x0 or y1 <= y0:
            return False

        def column(x) -> int:
            return math.floor((float(x) - x0) / (x1 - x0) * W)

        def row(y) -> int:
            return math.floor((float(y) - y0) / (y1 - y0) * H)

        if column(s.epoch) != column(d.epoch):
            return False
        for new_e, new_v, old_e, old_v in ((*train_curve(s), *train_curve(d)),
                                           (s.test_epochs, s.test_values, d.test_epochs,
                                            d.test_values)):
            n = len(old_e)
            if n == 0 and len(new_e) == 0:
                continue
            # The drawn points, kept as they were (a history that thinned itself is drawn).
            if n < 3 or len(new_e) < n or new_e[0] != old_e[0] or new_e[n - 1] != old_e[n - 1]:
                return False
            if column(new_e[-1]) != column(old_e[-1]):
                return False
            tail = new_v[n - 1:]
            if not np.all(np.isfinite(tail)):
                return False
            end = row(old_v[-1])
            if row(tail.min()) != end or row(tail.max()) != end:
                return False
        # The axes the run would get (axis_range reads the snapshot and notes the spike).
        last, spike = self._last, self._spike
        self._last = s
        try:
            same = self.axis_range() == self._range and self._spike == spike
        finally:
            self._last, self._spike = last, spike
        return same

    def _draw(self, s: Snapshot) -> None:
        self._last = self._drawn = s
        self._update_branches(s)
        self._name_live_curves(s)
        if s.epoch > 0 and not self.marker.moving:  # a drag moves it itself
            past = s.past
            if past != getattr(self, "_marker_past", None):
                self._marker_past = past
                self.marker.setPen(pg.mkPen(colors.TIMELINE_MARK if past else (170, 170, 170),
                                            width=2 if past else 1))
            self.marker.setValue(s.epoch)
            self.marker.show()
        elif s.epoch == 0:
            self.marker.hide()
        train_epochs, train_values = train_curve(s)
        self.train.setData(train_epochs, self._y(train_values))
        self.test.setData(s.test_epochs, self._y(s.test_values))
        # One or two points make no line: mark them (a run that diverged at epoch 2 shows one).
        for curve, n in ((self.train, len(train_epochs)), (self.test, len(s.test_epochs))):
            dots = 0 < n < 3
            if dots != (curve.opts["symbol"] is not None):
                curve.setSymbol("o" if dots else None)
                if dots:
                    curve.setSymbolSize(7)
                    curve.setSymbolBrush(curve.opts["pen"].color())
                    curve.setSymbolPen(None)
        self._show_rates(s)
        self._follow_range()
        self._place_legend()
        self._show_spike_note()

    def _show_rates(self, s: Snapshot) -> None:
        """A labelled dashed line at each epoch from which the shown branch trained at a new
        learning rate ("lr 0.1"); the label on the side of the line with room (pyqtgraph's)."""
        marks = tuple((e, r) for (e, r), (_, before) in zip(s.rates[1:], s.rates)
                      if r != before and e > 0)
        if marks == self._rate_marks:
            return
        self._rate_marks = marks
        while len(self._rate_lines) < len(marks):
            line = pg.InfiniteLine(angle=90, movable=False, label="",
                                   labelOpts={"position": RATE_LABEL_AT})
            line.setZValue(5)
            self._style_rate_line(line)
            self.getPlotItem().addItem(line, ignoreBounds=True)
            self._rate_lines.append(line)
        for line, (epoch, rate) in zip(self._rate_lines, marks):
            # Shown first, and the text set outright: pyqtgraph retexts a label (setFormat,
            # setValue) only while it is visible, and showing its line again does not. A line
            # hidden since an opened session's marks kept "lr 3" and "lr 0.5" for the next
            # run's changes to 2 and 0.7 (r20 F1).
            line.show()
            line.setValue(epoch)
            text = f"lr {rate:g}"
            line.label.setFormat(text)
            line.label.setText(text)
            line.setToolTip(f"From epoch {epoch:,} on, the learning rate was {rate:g}.")
        for line in self._rate_lines[len(marks):]:
            line.hide()

    def _style_rate_line(self, line: pg.InfiniteLine) -> None:
        """The line dashed, its label at the key's size (9 pt, presentation mode's scale
        times that) on the plot's background: in presentation mode "lr 3" stayed ~8 px beside
        1.6 times larger text, and a branch's curve trained from that epoch ran through its
        letters (review r25 F7)."""
        line.setPen(pg.mkPen(colors.mix(colors.text(), colors.background(), 0.45), width=1,
                             style=Qt.PenStyle.DashLine))
        label = line.label
        label.setColor(colors.text())
        ground = QColor(*colors.background()[:3])
        ground.setAlpha(RATE_LABEL_GROUND)
        label.fill = pg.mkBrush(ground)
        font = label.textItem.font()
        if font.pointSizeF() != RATE_LABEL_PT * self.scale:
            font.setPointSizeF(RATE_LABEL_PT * self.scale)
            label.setFont(font)
        label.update()

    def _curves_in(self, corner: str) -> int:
        """How many of the curves' samples (one every few pixels across the legend's width)
        the legend would cover in ``corner``."""
        (ix, iy), _, (ox, oy) = LEGEND_CORNERS[corner]
        vb = self.getPlotItem().getViewBox()
        # From the range just set (viewRange), not through the view's transform, which
        # pyqtgraph brings up to date only when it next paints.
        (vx0, vx1), (vy0, vy1) = vb.viewRange()
        W, H = max(vb.width(), 1.0), max(vb.height(), 1.0)
        w, h = self.legend.width(), self.legend.height()
        px = ox + (W - w) * ix  # the box's left and top, in the view box's pixels
        py = oy + (H - h) * iy
        lo_x, hi_x = vx0 + px / W * (vx1 - vx0), vx0 + (px + w) / W * (vx1 - vx0)
        lo_y, hi_y = vy1 - (py + h) / H * (vy1 - vy0), vy1 - py / H * (vy1 - vy0)
        xs = np.linspace(lo_x, hi_x, max(2, int(w) // 4))
        n = 0
        for curve in (self.train, self.test, *self._branch_curves.values()):
            x, y = curve.getData()  # as drawn (log10 on a log scale)
            if x is None or not len(x):
                continue
            if len(x) == 1:
                n += int(lo_x <= x[0] <= hi_x and lo_y <= y[0] <= hi_y)
                continue
            ys = np.interp(xs, x, y, left=np.nan, right=np.nan)
            n += int(np.count_nonzero((ys >= lo_y) & (ys <= hi_y)))
        return n

    def _set_covers(self, covers: bool) -> None:
        """Whether the key in the plot would hide a curve in every corner: then it goes under
        the plot (_fit_key). Hidden, the legend is measured as it would be drawn; under the
        plot the view box is shorter, so a key sent there for this stays there until a corner
        is free: no back and forth."""
        if covers != self._covers_everywhere:
            self._covers_everywhere = covers
            self._fit_key()

    def _place_legend(self) -> None:
        """The legend goes top right while it hides no curve there (a falling loss leaves that
        corner free); else it stays where it hides nothing, or goes to the corner where it hides
        least (a loss stuck high, a test loss that climbs again ran under it). Looked at every
        frame: a few interpolations, ~25 us (20,000 epochs)."""
        first = next(iter(LEGEND_CORNERS))
        if self._curves_in(first) == 0:
            best = first
        elif self.legend_corner != first and self._curves_in(self.legend_corner) == 0:
            self._set_covers(False)
            return
        else:
            covered = {c: self._curves_in(c) for c in LEGEND_CORNERS}
            best = min(LEGEND_CORNERS, key=lambda c: covered[c])  # the first of equals
            # In every corner over a curve (a loss flat at 0.5 across a short plot): the key
            # under the plot, on its own line, rather than over the curve (review r23 F6, F11).
            self._set_covers(covered[best] > 0)
            if covered[best] >= covered[self.legend_corner]:
                return
        if best == first:
            self._set_covers(False)
        if best != self.legend_corner:
            self.legend_corner = best
            item, parent, offset = LEGEND_CORNERS[best]
            self.legend.anchor(itemPos=item, parentPos=parent, offset=offset)

    def axis_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((x0, x1), (y0, y1)) that shows the whole run, y in log10 units on a log scale."""
        s = self._last
        # A spike belongs to its run: none until this run's curve shows one (the last run's
        # "up to 139" stayed on the empty plot of the next problem).
        self._spike = None
        if s is None or not len(s.loss_epochs):  # nothing yet (epoch 0, or after Reset)
            # The untrained model's loss sets the scale, so the first epochs come in view (a
            # 0-1 axis left fruit's 1.50, sine's 4.09 and daylight's 217 above the frame).
            now = [] if s is None else [v for v in (s.metrics.train_loss, s.metrics.test_loss)
                                        if math.isfinite(v) and v > 0]
            if not now:
                return (0.0, epoch_axis_end(0)), ((-2.0, 0.0) if self.log else (0.0, 1.0))
            lo, hi = min(now), max(now)
            if self.log:
                y0 = math.floor(math.log10(max(lo, _FLOOR)))
                return (0.0, epoch_axis_end(0)), (float(y0), float(max(
                    math.ceil(math.log10(max(hi, _FLOOR))), y0 + 1)))
            return (0.0, epoch_axis_end(0)), (0.0, loss_axis_end(hi))
        # The losses after the last epoch sit one epoch further on, the test's and the train's
        # (see the worker, train_curve): the axis follows the epochs trained, so that a run
        # stopped at 1,000 has an axis to 1,000, not 1,250.
        last = max(int(s.loss_epochs[-1]), int(s.test_epochs[-1]) - 1 if len(s.test_epochs) else 0,
                   *(int(b.epochs[-1]) for b in s.branches if len(b.epochs)))
        x = (0.0, epoch_axis_end(last))
        train = train_curve(s)
        branches = [branch_curve(b) for b in s.branches]
        values = np.concatenate([train[1], s.test_values, *(v for _, v in branches)])
        values = values[np.isfinite(values)]
        if not len(values):
            return None
        hi = float(values.max())
        if self.log:
            lo = max(float(values.min()), _FLOOR)
            y0, y1 = math.floor(math.log10(lo)), math.ceil(math.log10(max(hi, _FLOOR)))
            return x, (float(y0), float(max(y1, y0 + 1)))
        if hi <= 0:
            return x, (0.0, 1.0)
        after = self._after_divergence(s, hi)
        if after is not None:
            return x, after
        k = leading_spike(s.loss_epochs, s.loss_values)
        if k:
            # The rest of the run sets the scale: every point after the spike's epochs, on the
            # test's and the branches' curves too (the same weights at the same epoch).
            last = int(s.loss_epochs[k - 1])
            rest = [v[e > last] for e, v in (
                train, (s.test_epochs, s.test_values), *branches)]
            rest = np.concatenate(rest)
            rest = rest[np.isfinite(rest)]
            if len(rest) and float(rest.max()) > 0:
                self._spike = (int(s.loss_epochs[0]), last, hi)
                top = float(rest.max())
                return x, (loss_axis_start(float(rest.min()), top), loss_axis_end(top))
        return x, (loss_axis_start(float(values.min()), hi), loss_axis_end(hi))

    def _after_divergence(self, s: Snapshot, hi: float) -> tuple[float, float] | None:
        """The y range of the losses after the run's last divergence, once the run has gone on
        from the weights put back and the epoch shown is past it (None otherwise, or when the
        diverged epochs do not stand above the rest). The exercise "The learning rate that
        diverges" went to 2.5e+08 in 8 epochs: the 1,000 epochs at a lower rate that fitted the
        line after it were a flat line on the floor of a 0-4e7 axis. The diverged epochs go
        off the top, and the note says up to what (as a leading spike's)."""
        if not s.restarts or not len(s.loss_epochs):
            return None
        last = max(s.restarts)
        if s.epoch <= last or int(s.loss_epochs[-1]) <= last:
            return None  # the diverged part is what is shown (or all there is)
        rest = np.concatenate([v[e > last] for e, v in (
            train_curve(s), (s.test_epochs, s.test_values),
            *(branch_curve(b) for b in s.branches))])
        rest = rest[np.isfinite(rest)]
        if not len(rest) or float(rest.max()) <= 0:
            return None
        top = float(rest.max())
        if hi < SPIKE_APART * top:
            return None  # the diverged epochs fit on the scale of the rest: all of it shown
        self._spike = (int(s.loss_epochs[0]), last, hi)
        return loss_axis_start(float(rest.min()), top), loss_axis_end(top)

    def _follow_range(self) -> bool:
        """Show the whole run; True when the range changed."""
        if not self.following:
            return False
        r = self.axis_range()
        if r is not None and r != self._range:
            self._range = r
            self.getPlotItem().getViewBox().setRange(xRange=r[0], yRange=r[1], padding=0)
            return True
        return False

    def _stagger_rates(self) -> None:
        """Each rate mark's label at the height nearest RATE_LABEL_AT (of RATE_LEVELS) where no
        curve, no other label and not the legend is under it at this range and width: two
        changes 100 epochs apart read "lr 3r 0.5" (review r20 F7), and the curve of the branch
        trained from a change fell steeply through its "lr 5" right of the line (r25 F7, r27).
        Where every height has something under it, the one with least (on its background)."""
        vb = self.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        shown = [line for line in self._rate_lines if line.isVisible()]
        if not shown:  # (nothing to place: the legend's moves while the plot is made, too)
            return
        legend = (vb.mapFromScene(self.legend.sceneBoundingRect()).boundingRect()
                  if self.legend.isVisible() else None)
        key = (self._rate_marks, x0, x1, y0, y1, round(vb.width()), round(vb.height()),
               id(self._drawn), None if legend is None else legend.toRect().getRect(),
               tuple(round(line.label.boundingRect().width()) for line in shown))
        if key == self._staggered:
            return
        self._staggered = key
        W, H = max(vb.width(), 1.0), max(vb.height(), 1.0)
        # Each label right of its line, over the epochs trained at its rate; left of it (still
        # touching it) only where the view has no room on the right: pyqtgraph's own choice,
        # left of the line in the view's right half, put "lr 0.1" over the stretch trained at
        # the old rate, and a class read it as that stretch's (review r29 M4). Its middle at
        # its height.
        spans = []
        for line in shown:
            x = (line.value() - x0) / max(x1 - x0, 1e-12) * W
            w = line.label.boundingRect().width()
            right = x + w + RATE_LABEL_PAD <= W or x < w  # (no room either side: the right)
            anchor = RATE_RIGHT if right else RATE_LEFT
            if [tuple(a) for a in line.label.anchors] != [anchor, anchor]:
                line.label.anchors = [anchor, anchor]  # (kept as pyqtgraph places it again)
                line.label.setAnchor(anchor)
            left = x if right else x - w
            spans.append((left, left + w, line.label.boundingRect().height(), line))
        placed: list[tuple[float, float, float, float]] = []  # the labels placed: l, r, t, b
        for a, b, h, line in sorted(spans, key=lambda t: t[0]):
            under = self._curve_rows(x0 + (a - RATE_LABEL_PAD) / W * (x1 - x0),
                                     x0 + (b + RATE_LABEL_PAD) / W * (x1 - x0), y0, y1, H)

            def covered(level: float) -> float:  # px of curves, labels and legend under it
                top = (1 - level) * H - h / 2 - RATE_LABEL_PAD
                bottom = top + h + 2 * RATE_LABEL_PAD
                n = float(np.count_nonzero((under[0] <= bottom) & (under[1] >= top)))
                for c, d, t, u in placed:
                    n += max(0.0, min(b, d) - max(a, c) + 4) * (
                        max(0.0, min(bottom, u) - max(top, t)) > 0)
                # Never under the legend, even where every other height has a curve: a
                # curve under the label leaves it readable on its background, the legend's
                # box hides it.
                if legend is not None and min(b, legend.right()) > max(a, legend.left()) - 4 \
                        and min(bottom, legend.bottom()) > max(top, legend.top()):
                    n += RATE_UNDER_LEGEND
                return n
            level = next((lv for lv in RATE_LEVELS if covered(lv) == 0), None)
            if level is None:
                level = min(RATE_LEVELS, key=covered)  # the first of equals
            top = (1 - level) * H - h / 2
            placed.append((a, b, top, top + h))
            if line.label.orthoPos != level:
                line.label.setPosition(level)

    def _curve_rows(self, lo: float, hi: float, y0: float, y1: float,
                    H: float) -> tuple[np.ndarray, np.ndarray]:
        """The rows (px from the view's top) the curves drawn cover between epochs ``lo`` and
        ``hi``: each piece of a curve between its points there, as (tops, bottoms)."""
        tops, bottoms = [], []
        for curve in (self.train, self.test, *self._branch_curves.values()):
            x, y = curve.getData()  # as drawn (log10 on a log scale)
            if x is None or not len(x):
                continue
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = np.asarray(x[keep], np.float64), np.asarray(y[keep], np.float64)
            if not len(x) or x[-1] < lo or x[0] > hi:
                continue
            i, j = np.searchsorted(x, lo), np.searchsorted(x, hi, side="right")
            ends = np.interp([lo, hi], x, y, left=np.nan, right=np.nan)
            ys = np.concatenate([[ends[0]], y[i:j], [ends[1]]])
            ys = ys[np.isfinite(ys)]  # (past the curve's ends: nothing there)
            rows = (y1 - ys) / max(y1 - y0, 1e-300) * H
            if len(rows) == 1:
                tops.append(rows)
                bottoms.append(rows)
            elif len(rows):
                tops.append(np.minimum(rows[:-1], rows[1:]))
                bottoms.append(np.maximum(rows[:-1], rows[1:]))
        if not tops:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(tops), np.concatenate(bottoms)

    def _show_spike_note(self) -> None:
        """The note on a first epochs' spike above the scale (axis_range), after the range and
        the legend are placed: top left, right of the spike's line, and under the legend where
        the two would overlap (presentation mode's narrow plot); and the rate marks' labels,
        placed for the same range and width."""
        self._stagger_rates()
        r, spike = self._range, self._spike
        if spike is None or r is None or not self.following:
            self.spike_note.hide()
            return
        first, last, hi = spike
        epochs = f"epoch {first:,}" if first == last else f"epochs {first:,}\u2013{last:,}"
        # Short: beside the legend at 1024 px (the tooltip says why).
        text = f"\u2191 {epochs}: up to {hi:.3g}"
        if text != self.spike_note.toPlainText():
            self.spike_note.setText(text)
        (x0, x1), (y0, y1) = r
        vb = self.getPlotItem().getViewBox()
        W, H = max(vb.width(), 1.0), max(vb.height(), 1.0)
        x = last + 0.01 * (x1 - x0)
        left = (x - x0) / (x1 - x0) * W  # in the view box's pixels
        room = max(60.0, W - left - 6)
        if getattr(self, "_note_fit", None) != (text, room):
            # Wrapped rather than cut where a narrow plot has no room for its one line.
            self._note_fit = (text, room)
            item = self.spike_note.textItem
            item.setTextWidth(-1)
            if item.boundingRect().width() > room:
                item.setTextWidth(room)
            self.spike_note.updateTextPos()
        top = 0.0
        lw = self.legend.width()
        if self.legend_corner.startswith("top") and (
                self.legend_corner.endswith("left")
                or left + self.spike_note.boundingRect().width() > W - 8 - lw):
            top = self.legend.height() + 12
        pos = (x, y1 - top / H * (y1 - y0))
        if (self.spike_note.pos().x(), self.spike_note.pos().y()) != pos:
            self.spike_note.setPos(*pos)
        self.spike_note.show()

    def _y(self, v: np.ndarray) -> np.ndarray:
        return np.maximum(v, _FLOOR) if self.log else v
