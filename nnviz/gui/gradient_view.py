"""Gradient flow: how strongly each layer is being taught, over the epochs and right now.

Top: per layer, ||dL/dW|| and the update-to-weight ratio over the epochs (log scale), and the
gradient norm by layer at this moment -- in a deep sigmoid network it falls by orders of
magnitude from the output back to the input: vanishing gradients. Bottom: histograms of each
layer's weights and activations, and the fraction of dead ReLU units. The numbers come from
:class:`nnviz.core.inspect.GradientProbe` in the worker thread; this view only draws them.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer
from PySide6.QtWidgets import (QButtonGroup, QGraphicsView, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from nnviz.core.inspect import GradientFlow

from . import colors
from .loss_plot import epoch_axis_end
from .stepped_range import SteppedRange, data_bounds
from .widgets import (EpochNote, FittedTitles, LabelRoom, LogAxis, SparseAxis,
                      auto_button_once_moved, cache_axes, computing, fit_title, model_epoch,
                      move_points, window_playing)

_FLOOR = 1e-12  # log plots: a zero gradient is drawn at the floor, not dropped


# How far the first layer's gradient norm may lie from the output layer's before the flow is
# called vanishing or exploding: a factor of 100 either way (the summary line uses the same).
# With one learning rate for all layers, a layer's step is proportional to its gradient: a
# hundredfold smaller gradient moves the first layer's weights by ~1e-5 of themselves per epoch
# where the output's move by the healthy ~1e-3 (the dashed line), which is stuck; a hundredfold
# larger one by ~1e-1, which jumps around. The notebook's network (2-4-10-4-1 sigmoid, moons)
# keeps the ratio near 1 (1.08 at epoch 100): a factor of a few is ordinary, not a problem.
# The verdict is the run's, not the moment's: a deep sigmoid network's first layer starts at
# 1/1,246 of the output's gradient, then the whole network stalls (every gradient ~1e-4, the
# ratio 0.48 by epoch 100) and "healthy" would have hidden why it never learned.
VANISHING_BELOW, EXPLODING_ABOVE = 1e-2, 1e2
NO_VERDICT = "<b>Gradient flow</b>: ||dL/dW|| per layer, from the first layer to the output."
THRESHOLDS = {"vanishing": "vanishing: below 1/100", "exploding": "exploding: above 100×",
              "healthy": "healthy: 1/100 to 100×"}
DASHED = "Dashed: a healthy update."

CAPTION = (
    "Backpropagation carries the error from the output back to the input. "
    "If ||dL/dW|| shrinks by orders of magnitude towards the input (as with many sigmoid "
    "layers), the first layers hardly learn: <b>vanishing gradients</b>; if it grows towards "
    "the input, their steps are too large: <b>exploding gradients</b>. An update of "
    "about 1/1000 of a layer's weights per epoch (dashed line) is healthy; far below, the "
    "layer is stuck; far above, it jumps around.")
#: The colours said, many layers (no key): viridis' run; up to eight, each layer's own (the key).
COLOURS = "Colours run from the first layer (purple) to the output (green)."
KEYED_COLOURS = "Each layer has a colour of its own, named in the key above the plots."
# The plots' two rows, each at least this many of the view's text lines tall, or one row at a
# time (two buttons above them choose which): in presentation mode at 1024x768 the two rows
# had ~170 px each, the plots inside ~80 px, their y numbers printed over each other (review r24
# F14); with no banner, 227 px each, 107 inside the axes (a row's two-line title and its
# x axis take ~5 lines). 12 lines: 168 px at the normal text size, where 1024x768 shows both.
ROW_LINES = 12
PAGES = ("Gradients over the run", "Weights and activations now")


# The weights' and activations' histograms' y axis: the share of a layer's values in each bin.
HIST_Y = "share of values"
# A run has fitted its training data at a row of the record where its loss is down to this share
# of its first (0.25 -> 0.025 for MSE on two balanced classes, ~97% accuracy): there the error
# that drives the gradient is small, and so is the gradient -- most of all the output layer's,
# whose sigmoid sits at the right answer. The first layer's gradient then stands 171x the
# output's (adam on 20,000 moons points at loss 0.0003) or every layer's falls 800x as the loss
# does (2-512x8-1 at lr 1: 0.3 -> 0.006): convergence, which the captions called "exploding
# gradients" and "a step too long: lower the rate" (review r24 F2). The ratio of a fitted row
# says nothing of the depth; the verdicts are the rows' before it.
FITTED_SHARE = 0.1


def loss_at_rows(epochs: np.ndarray, loss_epochs: np.ndarray,
                 loss_values: np.ndarray) -> np.ndarray | None:
    """The training loss of the weights of each row of the gradient record (``epochs``: the
    weights after that many epochs, the loss history's epoch + 1: see runlog), read off the
    run's loss history (interpolated where it was thinned); None when there is none."""
    le = np.asarray(loss_epochs, np.float64)
    lv = np.asarray(loss_values, np.float64)
    ok = np.isfinite(lv)
    if len(le) != len(lv) or not ok.any():
        return None
    return np.interp(np.asarray(epochs, np.float64) + 1, le[ok], lv[ok])


def fitted_rows(epochs: np.ndarray, loss_epochs: np.ndarray,
                loss_values: np.ndarray) -> np.ndarray | None:
    """Per row of the gradient record: whether the loss there is down to FITTED_SHARE of the
    run's first loss (None: no loss history, or a first loss of 0 to compare with)."""
    at = loss_at_rows(epochs, loss_epochs, loss_values)
    lv = np.asarray(loss_values, np.float64)
    lv = lv[np.isfinite(lv)]
    if at is None or not lv[0] > 0:
        return None
    return at <= FITTED_SHARE * lv[0]


def gradient_verdict(grad_norms: np.ndarray, fitted: np.ndarray | None = None) -> str | None:
    """What a run's gradient norms show, ``grad_norms`` (epochs, layers: the first to the
    output) as recorded: "vanishing" if the first layer's ever fell below VANISHING_BELOW of
    the output layer's, "exploding" if it ever rose above EXPLODING_ABOVE times it or the last
    norms are not finite (the gradient overflowed), else "healthy" (both: the further off);
    None when there is nothing to compare (one layer, no gradient at the output). The rows
    ``fitted`` (where the run had fitted its data: fitted_rows) are not counted: a gradient
    that fades with the error is no verdict on the depth."""
    norms = np.asarray(grad_norms, np.float64)
    if norms.ndim != 2 or norms.shape[1] < 2 or not len(norms):
        return None
    if not np.isfinite(norms[-1]).all():
        return "exploding"
    first, output = norms[:, 0], norms[:, -1]
    ok = np.isfinite(first) & np.isfinite(output) & (output > _FLOOR)
    if fitted is not None and len(fitted) == len(norms):
        ok &= ~np.asarray(fitted, bool)
    if not ok.any():
        return None
    ratio = np.maximum(first[ok], _FLOOR) / output[ok]
    low, high = float(ratio.min()), float(ratio.max())
    vanishing, exploding = low < VANISHING_BELOW, high > EXPLODING_ABOVE
    if vanishing and exploding:
        return "vanishing" if -math.log10(low) >= math.log10(high) else "exploding"
    return "vanishing" if vanishing else "exploding" if exploding else "healthy"


def _of_output(r: float) -> str:
    """The first layer's gradient as a part of the output layer's: "1/26 of", "0.48×" (short:
    the headline is two lines on a projector at 1024x768)."""
    if r < 0.5:
        return f"1/{1 / r:,.0f} of"
    return f"{r:.2f}×" if r <= 2 else f"{r:,.0f}×"


def gradient_headline(epochs: np.ndarray, grad_norms: np.ndarray,
                      fitted: np.ndarray | None = None, loss_now: float | None = None) -> str:
    """The caption's first sentence: the run's verdict (gradient_verdict) with the first / output
    layer ratio at the epoch shown (the last row) and the threshold named as one. It said
    "||dL/dW|| fell 100-fold towards the input" (the threshold, read as a figure) beside "first /
    output layer gradient: 0.0381" (26-fold) at the epoch shown; 3,578-fold was epoch 0's.
    ``fitted``: fitted_rows; where the last is, the run has fitted its data (its loss
    ``loss_now``) and the sentence says so, the verdict being the rows' before it."""
    kind = gradient_verdict(grad_norms, fitted)
    norms = np.asarray(grad_norms, np.float64)
    fitted_now = (fitted is not None and len(fitted) == len(norms) and len(norms) > 0
                  and bool(fitted[-1]))
    if kind is None and not fitted_now:
        return NO_VERDICT
    epoch = int(epochs[-1])
    head = f"<b>{kind.capitalize()} gradients</b>" if kind is not None else ""
    first, output = norms[-1, 0], norms[-1, -1]
    finite_now = bool(np.isfinite(first) and np.isfinite(output) and output > _FLOOR)
    ratio = max(first, _FLOOR) / output if finite_now else math.nan
    spread = np.maximum(norms[:, 0], _FLOOR) / np.maximum(norms[:, -1], _FLOOR)
    spread = np.where(np.isfinite(spread), spread, np.nan)
    if kind == "exploding" and not np.isfinite(norms[-1]).all():
        return f"{head}: at epoch {epoch:,} the gradient is not finite (it overflowed)."
    if fitted_now:
        # The gradient fades with the error: no problem, whatever the ratio now.
        loss = (f" as the loss fell to {loss_now:.2g}" if loss_now is not None
                and math.isfinite(loss_now) else "")
        now = (f" (first layer's ||dL/dW|| now {_of_output(ratio)} the output's)"
               if finite_now and norms.shape[1] > 1 else "")
        fade = f"the gradients fade{loss}: the network fits its training data{now}."
        if kind is None:
            return f"<b>Converged</b>: {fade}"
        if kind == "healthy":
            return f"{head} as it learned; now {fade}"
        spread = np.where(np.asarray(fitted, bool), np.nan, spread)
        worst = int(np.nanargmin(spread) if kind == "vanishing" else np.nanargmax(spread))
        return (f"{head} in this run: at epoch {int(epochs[worst]):,} the first layer's "
                f"||dL/dW|| was {_of_output(float(spread[worst]))} the output's "
                f"({THRESHOLDS[kind]}); now {fade}")
    if not finite_now:
        return (f"{head}: at epoch {epoch:,} the gradient is not finite (it overflowed)."
                if kind == "exploding" else f"{head} earlier in this run.")
    # (the epoch shown is the window's: the header says which)
    now = f"first layer's ||dL/dW|| now {_of_output(ratio)} the output's"
    stall = "; the first layers stall" if kind == "vanishing" else ""
    if gradient_verdict(norms[-1:]) == kind:  # the epoch shown shows it
        return f"{head}: {now} ({THRESHOLDS[kind]}){stall}."
    if fitted is not None and len(fitted) == len(norms):
        spread = np.where(np.asarray(fitted, bool), np.nan, spread)
    worst = int(np.nanargmin(spread) if kind == "vanishing" else np.nanargmax(spread))
    return (f"{head} in this run: at epoch {int(epochs[worst]):,} the first layer's ||dL/dW|| "
            f"was {_of_output(float(spread[worst]))} the output's ({THRESHOLDS[kind]}); "
            f"at epoch {epoch:,}, {_of_output(ratio).removesuffix(' of')}.")


# Every layer's gradient falling this many times at once, between two rows of the record, and
# staying down: not depth (that is one layer against another) but the whole network stopping
# at one step -- a step too long drives the output (or every unit) into saturation, where the
# gradient is ~0 everywhere. A 2-512x4-1 sigmoid run at lr 1 fell ~1,000x in every layer at
# epoch 8 and sat there, its caption naming only the depth ratio it had had from the start
# ("vanishing gradients ... the first layers stall"): a student changed the depth, when the
# cure was a lower rate from the best epoch (review r23 F3).
COLLAPSE_BY = 100.0


def gradient_collapse(epochs: np.ndarray, grad_norms: np.ndarray) -> tuple[int, float] | None:
    """(epoch, factor) where every layer's ||dL/dW|| fell at least COLLAPSE_BY times from the
    row before and is still that far below it at the last row (the epoch shown); ``factor`` is
    the smallest layer's fall then (the largest such fall of the run). None: no such fall."""
    norms = np.asarray(grad_norms, np.float64)
    if norms.ndim != 2 or len(norms) < 2 or not np.isfinite(norms).all():
        return None
    norms = np.maximum(norms, _FLOOR)
    fall = (norms[:-1] / norms[1:]).min(axis=1)  # row i -> i + 1: the layer that fell least
    still = (norms[:-1] / norms[-1]).min(axis=1)  # and how far below row i it is now
    ok = (fall >= COLLAPSE_BY) & (still >= COLLAPSE_BY) & (norms[:-1, -1] > 1e3 * _FLOOR)
    if not ok.any():
        return None
    i = int(np.argmax(np.where(ok, fall, 0.0)))
    return int(epochs[i + 1]), float(fall[i])


def _times(f: float) -> str:
    """A fall as the caption says it: 1,000×, 230×: two significant digits at most; "over a
    million times" past that (310,000,000× is a number to count, not to read)."""
    if f >= 1e6:
        return "over a million times"
    digits = max(0, int(math.floor(math.log10(f))) - 1)
    return f"{round(f / 10 ** digits) * 10 ** digits:,.0f}×"


def collapse_sentence(epoch: int, factor: float, with_the_loss: bool = False) -> str:
    """The caption's words for gradient_collapse. ``with_the_loss``: the loss fell with the
    gradient to where the run fits its data (fitted_rows): the gradient is small because the
    error is, which is convergence, not a step too long (review r24 F2)."""
    if with_the_loss:
        return (f"<b>Every layer's gradient fell {_times(factor)} at epoch {epoch:,}</b> "
                "with the loss (no problem):")
    # (short: with the depth ratio after it, four lines in presentation mode at 1024x768
    # squeezed the plots under it)
    return (f"<b>Every layer's gradient fell {_times(factor)} at epoch {epoch:,}</b>: a saturated "
            "output? (a step too long: lower the rate, not the depth)")


# The cure for a network no gradient reaches, in the words of the divergence message
# (training.divergence_message's ``init``) and the Network tab's.
SMALLER_START = ('start from smaller weights: pick "he" (for relu) or "glorot" as the Network '
                 "tab's Initial weights")


def no_gradient(grad_norms: np.ndarray, dead, output_activation: str = "sigmoid",
                init_scheme: str = "normal") -> tuple[str, bool] | None:
    """The caption's words for a network whose first layers (or all) get a gradient of exactly
    0 at the epoch shown (the last row of ``grad_norms``): no step moves their weights, at any
    rate, and the loss of a network that no gradient reaches at all stays where it is (a relu
    512x8 network with N(0, 1) weights: 0.3563 for 274 epochs, its caption naming only the dead
    ReLU fractions, its curves on the plots' floor, review r24 F8). ``dead``: the dead ReLU
    fraction of each hidden layer (None: not ReLU). Returns (the words, whether those layers
    had no gradient from the first row on: the initial weights' doing); None: some gradient
    reaches the first layer."""
    norms = np.asarray(grad_norms, np.float64)
    if norms.ndim != 2 or not len(norms) or not np.isfinite(norms[-1]).all():
        return None
    now = norms[-1]
    k = int(np.argmax(now != 0)) if (now != 0).any() else len(now)  # leading zero layers
    if k == 0:
        return None
    # A hidden layer whose every unit is 0 on every point passes no gradient back, and the
    # layer after it gets none either (its inputs are 0): the last such layer before k.
    blocked = [j for j, f in enumerate(dead) if f is not None and f >= 1.0 and j < k]
    relu = any(f is not None for f in dead)
    if blocked:
        cause = (f"every ReLU of hidden layer {blocked[-1] + 1} is dead (0 on every training "
                 "point)")
    elif k == len(now) and output_activation in ("sigmoid", "softmax"):
        cause = (f"the {output_activation} output is saturated (exactly 0 or 1 on the training "
                 "points, where its slope is 0)")
    else:
        cause = ""
    leaky = ", or use leaky-relu units" if relu else ""
    from_start = not (norms[0, :k] != 0).any()
    if not from_start:  # they had a gradient once: training took it (a long step)
        cure = "go back to an epoch before it stopped, at a lower rate" + leaky
    elif init_scheme == "normal":  # none from the first row: the initial weights'
        cure = SMALLER_START
    else:
        cure = "start from other initial weights (another seed or scheme)" + leaky
    cause = f": {cause}" if cause else ""
    if k == len(now):
        return (f"<b>No gradient</b>: ||dL/dW|| is 0 in every layer, so no weight moves, at "
                f"any rate, and the loss stays where it is{cause}. {cure[0].upper()}{cure[1:]}.",
                from_start)
    layers = "layer" if k == 1 else f"{k} layers"
    return (f"<b>No gradient reaches the first {layers}</b> (||dL/dW|| 0: they no longer "
            f"learn){cause}. To keep them alive, {cure}.", from_start)


def layer_names(spec) -> list[str]:
    return [f"hidden {i + 1}" for i in range(len(spec.hidden))] + ["output"]


class GradientView(QWidget):
    """The "gradients" view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.extras_key = "gradients"
        self.snapshot = None
        self._drawn: GradientFlow | None = None  # the numbers on the plots
        self._n_layers = -1
        self.epoch_note = EpochNote("gradients")
        self._summary_rest = ""  # the summary line after its epoch (see _set_summary)
        # The caption in a sentence, the rest a click away ("More…"): in full it was seven lines
        # in presentation mode at 1024x768, and the plots under it were small.
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                             | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.caption.setToolTip("How to read the six plots below.")
        self.caption.linkActivated.connect(self._caption_link)
        self.caption_open = False
        self._colours_in_caption = False  # many layers: no key; the caption names the colours
        self._headline = NO_VERDICT  # what the caption says the gradients show, and the ratio
        self._write_caption()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setToolTip("The gradient's state now, in words.")
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground("w")
        self.glw.setToolTip("Per layer (colours from the first layer to the output, see the "
                            "key): gradient norms and update ratios over the run, the gradient "
                            "now, histograms of the weights and activations, dead ReLU units.")
        # One rectangle around what changed is repainted: Qt's default clipped every item to a
        # region of ~20 small rectangles (the 17 curves' bounds), which cost more than it saved.
        self.glw.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        # In rows that hold them: two lines at text size 150% ran over the row above, the top
        # row's "epoch" into the title under it ("epoch weights", review r18).
        self.titles = FittedTitles(self.glw, two_lines=True, grow=True)
        self.norm_plot = self._plot(0, 0, "||dL/dW|| per layer", "epoch", log_y=True)
        self.ratio_plot = self._plot(0, 1, "update / weight, per epoch", "epoch", log_y=True)
        self.depth_plot = self._plot(0, 2, "||dL/dW|| by layer, now", "layer", log_y=True)
        # (the histograms' heights: each bin's share of the layer's values; their y axes had
        # no name, review r27 F7)
        self.weight_plot = self._plot(1, 0, "weights", "value", ylabel=HIST_Y)
        self.act_plot = self._plot(1, 1, "activations on the training data", "value",
                                   ylabel=HIST_Y)
        self.dead_plot = self._plot(1, 2, "dead ReLU units (fraction)", "hidden layer")
        self.dead_plot.setYRange(0, 1)
        # The axes move in steps (see stepped_range) and are painted from a cache.
        self.ranges = {p: SteppedRange(p) for p in (self.norm_plot, self.ratio_plot, self.depth_plot,
                                                    self.weight_plot, self.act_plot)}
        for p in (*self.ranges, self.dead_plot):
            cache_axes(p)
        self.ratio_plot.addItem(pg.InfiniteLine(pos=-3, angle=0,  # log10(1e-3)
                                                pen=pg.mkPen(120, 120, 120, style=Qt.PenStyle.DashLine)))
        # A gradient of exactly 0 is drawn at the log plots' floor (1e-12, where a log has no
        # 0): a dotted line there says "0", and where every curve lies on it the axis' numbers
        # go (a relu network no gradient reached read as "2·10^-12 .. 5·10^-12", r24 F8).
        self.zero_marks: dict = {}
        for plot, label in ((self.norm_plot, "0: no gradient"), (self.depth_plot, "0: no gradient"),
                            (self.ratio_plot, "0: no update")):
            mark = pg.InfiniteLine(pos=math.log10(_FLOOR), angle=0, movable=False,
                                   pen=pg.mkPen(150, 150, 150, style=Qt.PenStyle.DotLine),
                                   label=label,
                                   labelOpts={"position": 0.5, "anchors": [(0.5, 1), (0.5, 1)],
                                              "color": (90, 90, 90)})
            mark.setVisible(False)
            plot.addItem(mark)
            self.zero_marks[plot] = mark
        # The gradient by layer now: a line and its dots as two plain items, the dots moved in
        # place each frame (a PlotDataItem's setData rebuilt its four symbols: ~1 ms a frame).
        self.depth_curve = _Curve("log", pen=pg.mkPen(40, 40, 40, width=2))
        self.depth_plot.addItem(self.depth_curve)
        self.depth_dots = pg.ScatterPlotItem(size=8, symbol="o", pen=(200, 200, 200),
                                             brush=(8, 119, 189))
        self.depth_plot.addItem(self.depth_dots)
        self._dot_brushes: list = []  # the dots' brushes, a layer's colour each (_build)
        self._dead_drawn = None  # the dead fractions on the bars
        self.dead_bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=(245, 147, 34))
        self.dead_plot.addItem(self.dead_bars)
        self.dead_text = pg.TextItem("", color=(70, 70, 70), anchor=(0.5, 0.5))
        self.dead_plot.addItem(self.dead_text)
        # "n/a" over each hidden layer that is not ReLU, where a network has ReLU layers and
        # others: its bar was a 0-height one, "none dead" to the eye, like a ReLU layer's with
        # every unit alive.
        self.dead_na: list[pg.TextItem] = []
        # The layers' colours, above the plots: a legend inside "||dL/dW|| per layer" covered
        # that plot's curves when it was narrow (1024 x 768 beside the settings).
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.key.setToolTip("One colour per layer, the same in every plot of this view.")
        # PlotCurveItems, not PlotDataItems: 17 curves get new numbers in every frame, and a
        # PlotDataItem's setData (log mapping, finiteness checks, bounds, display copies) took
        # more than the curves' drawing. The log plots get log10 of their numbers (the view box
        # of a log plot is in decades; its axis labels them), their own numbers kept as ``numbers``.
        self.norm_curves: list[_Curve] = []
        self.ratio_curves: list[_Curve] = []
        self.weight_curves: list[_Curve] = []
        self.act_curves: list[_Curve] = []
        # The plots by row (see ROW_LINES): the row shown where one is at a time, and the
        # buttons that choose it.
        self.rows = ((self.norm_plot, self.ratio_plot, self.depth_plot),
                     (self.weight_plot, self.act_plot, self.dead_plot))
        self.paged, self.page = False, 0
        self.pager = QWidget()
        bar = QHBoxLayout(self.pager)
        bar.setContentsMargins(0, 0, 0, 0)
        self.page_buttons = QButtonGroup(self)
        for i, (text, tip) in enumerate(zip(PAGES, (
                "||dL/dW|| per layer and the update / weight ratio over the run, and "
                "||dL/dW|| by layer now", "Histograms of each layer's weights and of its "
                "activations on the training data now, and the dead ReLU units"))):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(i == 0)
            button.setToolTip(f"{tip} (the plots show one row at a time where the view is "
                              "short: presentation mode)")
            self.page_buttons.addButton(button, i)
            bar.addWidget(button)
        bar.addStretch(1)
        self.page_buttons.idClicked.connect(self.show_page)
        self.pager.hide()
        self._arranging = QTimer(self)  # one look at the height for a burst of resizes
        self._arranging.setSingleShot(True)
        self._arranging.timeout.connect(self._arrange)
        self.glw.installEventFilter(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(LabelRoom(self.caption))  # the ratio in it: a new text most frames
        lay.addWidget(LabelRoom(self.summary))  # new words every frame: no new layout
        lay.addWidget(self.key)
        lay.addWidget(self.pager)
        lay.addWidget(self.glw, 1)
        lay.addStretch(0)  # the words at the top while the plots are hidden (_waiting)
        self._waiting()  # until the first numbers: the words, not six empty plots
        self.apply_look()

    # -- one row of plots at a time, where two would be too short --------------------------------

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.glw and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._arranging.start(0)
        return False

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode: larger text
            self._arranging.start(0)

    def _arrange(self) -> None:
        """Both rows of plots, or one where each would be less than ROW_LINES lines tall;
        the room counted with the buttons' (shown or not), so the choice does not flip."""
        if self.glw.isHidden():
            return
        room = self.glw.height() + (self.pager.sizeHint().height() + self.layout().spacing()
                                    if not self.pager.isHidden() else 0)
        paged = room < 2 * ROW_LINES * self.fontMetrics().height()
        if paged != self.paged:
            self.paged = paged
            self.pager.setVisible(paged)
            self._place_rows()

    def show_page(self, page: int) -> None:
        """The plots' row ``page`` (0: the gradients, 1: the weights and activations), where
        one is shown at a time."""
        self.page = page
        self.page_buttons.button(page).setChecked(True)
        if self.paged:
            self._place_rows()

    def _place_rows(self) -> None:
        grid = self.glw.ci.layout
        for row in self.rows:
            for plot in row:
                for i in range(grid.count()):
                    if grid.itemAt(i) is plot:
                        grid.removeAt(i)
                        break
        shown = [self.rows[self.page]] if self.paged else self.rows
        for r, row in enumerate(shown):
            for c, plot in enumerate(row):
                grid.addItem(plot, r, c)
        for row in self.rows:
            for plot in row:
                plot.setVisible(any(row is s for s in shown))
        QTimer.singleShot(0, self.titles.fit)  # (the titles at the plots' new widths)

    def _caption_link(self, link: str) -> None:
        self.caption_open = link == "more"
        self._write_caption()

    def _write_caption(self) -> None:
        if self.caption_open:
            text = CAPTION + " " + (COLOURS if self._colours_in_caption else KEYED_COLOURS) \
                + " " + colors.link("less", "Less")
        else:
            text = self._headline + " " + DASHED \
                + (" " + COLOURS if self._colours_in_caption else "") + " " \
                + colors.link("more", "More…")
        self.caption.setText(text)

    def _say(self, flow: GradientFlow) -> None:
        """The caption's first words say what this run's gradients show, with the ratio at the
        epoch shown (a new text most frames: the caption is in a LabelRoom)."""
        s = self.snapshot
        fitted = fitted_rows(flow.epochs, s.loss_epochs, s.loss_values)
        losses = loss_at_rows(flow.epochs, s.loss_epochs, s.loss_values)
        loss_now = float(losses[-1]) if losses is not None and len(losses) else None
        headline = gradient_headline(flow.epochs, flow.grad_norms, fitted, loss_now)
        fitted_now = fitted is not None and len(fitted) and bool(fitted[-1])
        stopped = None if fitted_now else no_gradient(
            flow.grad_norms, flow.dead_fraction, s.spec.output_activation, s.spec.init_scheme)
        collapse = gradient_collapse(flow.epochs, flow.grad_norms)
        if stopped is not None and (stopped[1] or collapse is None):
            # nothing moves (from the start, or not at one long step, which the collapse's
            # words name): that first, then the depth ratio if any
            headline = stopped[0] + ("" if headline == NO_VERDICT else " " + headline)
        elif collapse is not None:  # what stopped the run first, then the depth ratio
            epoch, factor = collapse
            before = int(np.searchsorted(flow.epochs, epoch)) - 1  # the row before the fall
            converged = bool(fitted_now and before >= 0
                             and losses[-1] <= losses[before])
            headline = collapse_sentence(epoch, factor, converged) + " " + headline
        if headline != self._headline:
            self._headline = headline
            if not self.caption_open:
                self._write_caption()

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look)."""
        from . import colors
        from .look import style_tree
        style_tree(self)
        self.depth_curve.setPen(pg.mkPen(colors.train_curve(), width=2))
        self.dead_bars.setOpts(brush=colors.low())
        self._write_caption()  # its link in the theme's colour
        self._drawn, self._spec = None, None  # the layers' colours are the theme's too
        if self.snapshot is not None:
            self.update_snapshot(self.snapshot)

    def _plot(self, row: int, col: int, title: str, xlabel: str, log_y: bool = False,
              ylabel: str | None = None):
        # Readable ticks: log ones on the left; at the bottom, every k-th number where they
        # would touch (presentation mode at 1024 px printed the epochs "100 200" as "100200").
        axes = {"bottom": SparseAxis("bottom")}
        if log_y:
            axes["left"] = LogAxis("left")
        p = self.glw.addPlot(row=row, col=col, title=title, axisItems=axes)
        fit_title(p)  # three titled plots side by side must not overflow a projector's width
        auto_button_once_moved(p)
        p.setLabel("bottom", xlabel)
        if ylabel:
            p.setLabel("left", ylabel)
        p.showGrid(x=True, y=True, alpha=0.15)
        p.setLogMode(y=log_y)
        p.getAxis("bottom").enableAutoSIPrefix(False)
        p.getAxis("left").enableAutoSIPrefix(False)
        # The numbers' room at the left grows and is kept: pyqtgraph narrows an axis whose
        # numbers got 10 px shorter, and each new width laid out all six plots again and
        # repainted their axes (the first seconds of a run, when the decades move: GUI stalls
        # of 60-120 ms at 200 points, bench/README).
        p.getAxis("left").setStyle(autoReduceTextSpace=False)
        return p

    # -- building, once per architecture ---------------------------------------------------------

    def _build(self, spec) -> None:
        for plot, curves in ((self.norm_plot, self.norm_curves), (self.ratio_plot, self.ratio_curves),
                             (self.weight_plot, self.weight_curves), (self.act_plot, self.act_curves)):
            for c in curves:
                plot.removeItem(c)
            curves.clear()
        names = layer_names(spec)
        n = len(names)
        key = []
        for i, name in enumerate(names):
            colour = colors.layer_colour(i, n)
            pen = pg.mkPen(colour, width=2)
            thin = pg.mkPen(colour, width=1.5)
            for plot, curves, kind in ((self.norm_plot, self.norm_curves, "log"),
                                       (self.ratio_plot, self.ratio_curves, "log"),
                                       (self.weight_plot, self.weight_curves, "hist"),
                                       (self.act_plot, self.act_curves, "hist")):
                curve = _Curve(kind, pen=pen if kind == "log" else thin)
                plot.addItem(curve)
                curves.append(curve)
            key.append(f"<span style='color:{colour.name()}'>\u2501\u2501</span>&nbsp;{name}")
        # Many layers: the caption's "from dark purple to green" says it in fewer words (up to
        # eight, each has a colour of its own: colors.LAYER_CURVES).
        self.key.setText("layers: " + " &nbsp; ".join(key) if n <= 8 else "")
        self.key.setVisible(n <= 8)
        self._colours_in_caption = n > 8
        self._write_caption()
        ticks = [[(i + 1, n) for i, n in enumerate(["h" + str(k + 1) for k in range(n - 1)]
                                                   + ["out"])]]
        self.depth_plot.getAxis("bottom").setTicks(ticks)
        # Each dot in its layer's colour, the key's: where the narrow axis has room for "h1"
        # and "out" only, the dots of hidden 2 and 3 went unnamed (review r31).
        self._dot_brushes = [pg.mkBrush(colors.layer_colour(i, n)) for i in range(n)]
        self.dead_plot.getAxis("bottom").setTicks([[(i + 1, str(i + 1)) for i in range(n - 1)]])
        self.dead_plot.setXRange(0.4, max(n - 1, 1) + 0.6)
        for r in self.ranges.values():
            r.reset()
        self._n_layers = n

    # -- drawing ---------------------------------------------------------------------------------

    def update_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        flow: GradientFlow | None = snapshot.extras.get(self.extras_key)
        if flow is None and self.extras_key in getattr(snapshot, "pending", ()):
            # The worker measures this epoch's gradient over every training point on a thread
            # of its own (a big run's start: as long as an epoch); its frame comes when it does.
            self._drawn = None
            self._waiting(measuring=True)
            return
        if flow is None:
            self._say_computing(snapshot)
            return
        if flow.grad_norms.ndim != 2:
            return
        if flow is self._drawn and snapshot.spec == getattr(self, "_spec", None):
            # The throttled probe handed out its last numbers again (inspect.Throttled): six
            # plots drawn the same (the probe has a few percent of the worker's time).
            self._set_summary(flow)  # (of an older epoch than the window's: said)
            return
        self._drawn = flow
        if flow.grad_norms.shape[1] != self._n_layers or snapshot.spec != getattr(self, "_spec", None):
            self._spec = snapshot.spec
            self._build(snapshot.spec)
            self._dead_drawn = None
        if flow.grad_norms.shape[1] != self._n_layers:
            return  # a stale frame of another architecture
        if self.glw.isHidden():
            self.glw.show()
            self.pager.setVisible(self.paged)
        ep = flow.epochs.astype(np.float64)
        norms = np.maximum(np.nan_to_num(flow.grad_norms, nan=_FLOOR, posinf=1e30), _FLOOR)
        ratios = flow.update_ratios.astype(np.float64)
        ratios = np.where(np.isfinite(ratios), np.maximum(ratios, _FLOOR), np.nan)
        for i in range(self._n_layers):
            self.norm_curves[i].set_numbers(ep, norms[:, i])
            self.ratio_curves[i].set_numbers(ep, ratios[:, i])
            wh, ah = flow.weight_hists[i], flow.activation_hists[i]
            self.weight_curves[i].set_numbers(wh.edges, wh.counts / max(wh.counts.sum(), 1))
            self.act_curves[i].set_numbers(ah.edges, ah.counts / max(ah.counts.sum(), 1))
        now = norms[-1]
        layers = np.arange(1, self._n_layers + 1, dtype=np.float64)
        self.depth_curve.set_numbers(layers, now)
        move_points(self.depth_dots, layers, self.depth_curve.yData)
        if len(self._dot_brushes) == len(layers) and \
                self.depth_dots.data["brush"][0] is not self._dot_brushes[0]:
            self.depth_dots.setBrush(self._dot_brushes)
        dead = list(flow.dead_fraction)
        if dead != self._dead_drawn:  # a sigmoid network's: the same "no ReLU" every frame
            self._dead_drawn = dead
            # A bar for each ReLU layer only: the others say "n/a" (_mark_not_relu).
            relu_at = [i for i, f in enumerate(dead) if f is not None]
            self.dead_bars.setOpts(x=np.array(relu_at, np.float64) + 1,
                                   height=[dead[i] for i in relu_at], width=0.6)
            relu = any(f is not None for f in dead)
            # No ReLU layer: the words alone. Empty 0-to-1 axes and flat bars under them
            # (presentation mode at 1024x768) looked like a plot of nothing dead.
            for side in ("left", "bottom"):
                self.dead_plot.showAxis(side, relu)
            self.dead_bars.setVisible(relu)
            if relu:
                self.dead_text.setText("")
            else:
                self.dead_text.setText("no ReLU layer")
                self.dead_text.setPos((len(dead) + 1) / 2, 0.5)
            self._mark_not_relu(dead if relu else [])
        raw = np.nan_to_num(flow.grad_norms, nan=1.0)
        self._mark_zero(self.norm_plot, raw)
        self._mark_zero(self.depth_plot, raw[-1])
        self._mark_zero(self.ratio_plot, np.nan_to_num(flow.update_ratios, nan=1.0))
        self._follow(ep, norms, ratios, flow)
        self._summary_rest = self._summary(flow, now, dead)
        self._set_summary(flow)
        self._say(flow)

    def _mark_zero(self, plot, raw: np.ndarray) -> None:
        """``plot``'s "0" line shown where some of its numbers ``raw`` are exactly 0, and its
        axis' numbers only where some are not (all 0: a scale of nothing)."""
        zero, some = bool((raw == 0).any()), bool((raw != 0).any())
        mark = self.zero_marks[plot]
        if mark.isVisible() != zero:
            mark.setVisible(zero)
        axis = plot.getAxis("left")
        if axis.style["showValues"] != some:
            axis.setStyle(showValues=some)

    def _mark_not_relu(self, dead) -> None:
        """An "n/a" just above the axis at each hidden layer of ``dead`` that is not ReLU (its
        fraction None), in the theme's text colour (style_view gives TextItems that colour as
        the theme changes)."""
        missing = [i for i, f in enumerate(dead) if f is None]
        while len(self.dead_na) < len(missing):
            item = pg.TextItem("n/a", color=colors.text(), anchor=(0.5, 1.0))
            self.dead_plot.addItem(item)
            self.dead_na.append(item)
        for k, item in enumerate(self.dead_na):
            item.setVisible(k < len(missing))
            if k < len(missing):
                item.setPos(missing[k] + 1, 0.02)

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): its numbers go now."""
        self._drawn, self._spec = None, None
        self._headline = NO_VERDICT  # the caption's verdict was the last run's
        self._write_caption()
        self._waiting()

    def _waiting(self, measuring: bool = False) -> None:
        """No numbers of this run yet (a first visit computes them, and for a new network
        compiles their functions first: seconds): the words, no empty axes. ``measuring``:
        the worker measures them on every training point (a big run's start)."""
        self.glw.hide()
        self.pager.hide()
        self.key.hide()
        self.summary.setText(
            "Computing the gradients on every training point\u2026 (for a large data set, "
            "as long as an epoch)" if measuring else computing("the gradients"))

    def _follow(self, ep, norms, ratios, flow: GradientFlow) -> None:
        r = self.ranges
        epochs = (0.0, epoch_axis_end(float(ep[-1]) if len(ep) else 0.0))
        r[self.norm_plot].follow(y_fixed=_decades(norms), x_fixed=epochs)
        r[self.ratio_plot].follow(y_fixed=_decades(ratios, (-4.0, -2.0)), x_fixed=epochs)
        # The whole decades around the dots, and a little more: a dot on or near a decade at
        # the axis' end was cut in half by the plot's edge, and the decade's label at that end
        # was not drawn (reviewer: the largest value had no tick).
        lo, hi = _decades(norms[-1])
        pad = DEPTH_PAD * (hi - lo)
        r[self.depth_plot].follow(y_fixed=(lo - pad, hi + pad),
                                  x_fixed=(0.5, self._n_layers + 0.5))
        for plot, hists in ((self.weight_plot, flow.weight_hists),
                            (self.act_plot, flow.activation_hists)):
            x = data_bounds(*(h.edges for h in hists))
            top = max((float(h.counts.max() / max(h.counts.sum(), 1)) for h in hists
                       if len(h.counts)), default=0.0)
            r[plot].follow(x, (0.0, top) if top > 0 else None)

    def _say_computing(self, snapshot) -> None:
        """A frame without the gradients (the window's last, made while the tab was behind
        another, drawn as it comes back): the numbers drawn stay, and the summary says the
        window's epoch and that its gradients are being computed (EpochNote.computing); it
        read the epochs of the tab's last visit (review r24 F16)."""
        flow = self._drawn
        if flow is None or snapshot.spec != getattr(self, "_spec", None):
            return  # nothing drawn of this network: the words say it computes (_waiting)
        note = self.epoch_note.computing(snapshot.epoch, flow.epoch)
        if note:
            text = note + self._summary_rest
            if text != self.summary.text():
                self.summary.setText(text)

    def _set_summary(self, flow: GradientFlow) -> None:
        """The summary line: its epoch (the window's and the numbers' when they differ, see
        EpochNote; else the last row's), then the rest."""
        note = self.epoch_note.text(self.snapshot.epoch, flow.epoch, window_playing(self))
        text = (note or model_epoch(self.snapshot, int(flow.epochs[-1]))) + self._summary_rest
        if text != self.summary.text():
            self.summary.setText(text)

    def _summary(self, flow: GradientFlow, now: np.ndarray, dead) -> str:
        """The summary line after its epoch (each part after a separator)."""
        # The first / output ratio, now and at the run's worst: the caption's (gradient_headline).
        parts = [""]
        if flow.sampled:  # a big data set: its activations are a fixed sample's (GradientProbe)
            parts.append(f"activations of {flow.points:,} of the {flow.train_points:,} "
                         "training points")
        if not flow.exact_ratio:
            parts.append("update ratios measured between frames")
        for i, f in enumerate(dead):
            if f is not None and f > 0:
                parts.append(f"hidden {i + 1}: {f:.0%} dead ReLU units")
        return " &nbsp;·&nbsp; ".join(parts)


class _Curve(pg.PlotCurveItem):
    """One layer's curve: ``kind`` "log" (a line over the epochs on a log plot, drawn as the
    log10 of its numbers, with gaps where they are not finite) or "hist" (a histogram's steps).
    ``numbers`` are what it shows, in their own units.

    Its bounds are found once per new numbers (one pass over them) and its bounding rectangle
    is padded by a fiftieth of the plot's range: pyqtgraph's own ran nanmin/nanmax and mapped a
    pixel through the view's transform for each of the 17 curves in every frame (~4 of a
    frame's ~14 ms of the GUI thread, bench/view_frame.py). The plots' ranges are set by
    SteppedRange, never from these bounds; the padding only keeps the 2-pixel pens inside the
    region Qt repaints."""

    PAD = 1 / 50  # of the view's range, each side (>= 2 px in a plot >= 100 px wide)

    def __init__(self, kind: str, pen) -> None:
        super().__init__(pen=pen, connect="finite" if kind == "log" else "all")
        if kind == "hist":
            self.opts["stepMode"] = "center"  # (set after: the empty start is no histogram)
        self.kind = kind
        self.numbers = (np.zeros(0), np.zeros(0))
        self._bounds: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_numbers(self, x: np.ndarray, y: np.ndarray) -> None:
        self.numbers = (x, y)
        if self.kind == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)
            finite = np.isfinite(y)
            self._bounds = ((float(x[0]), float(x[-1])), (float(y[finite].min()),
                            float(y[finite].max()))) if finite.any() else None  # x: sorted epochs
            vb = self.getViewBox()
            x, y = peaks(x, y, max(int(vb.width()) if vb is not None else 0, MIN_COLUMNS))
            self.setData(x, y)
        else:  # counts over their bins' edges: finite
            self._bounds = ((float(x[0]), float(x[-1])), (float(y.min()), float(y.max()))) \
                if len(y) else None  # x: the bins' edges, in order
            self.setData(x, y, skipFiniteCheck=True)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        if frac != 1.0 or orthoRange is not None:  # a view's "auto range" from its menu
            return super().dataBounds(ax, frac, orthoRange)
        return (None, None) if self._bounds is None else self._bounds[ax]

    def boundingRect(self):
        if self._boundingRect is None:
            if self._bounds is None:
                return QRectF()
            (x0, x1), (y0, y1) = self._bounds
            vb = self.getViewBox()
            (v0, v1), (w0, w1) = vb.viewRange() if vb is not None else ((x0, x1), (y0, y1))
            px, py = self.PAD * abs(v1 - v0), self.PAD * abs(w1 - w0)
            self._boundingRect = QRectF(x0 - px, y0 - py, x1 - x0 + 2 * px, y1 - y0 + 2 * py)
        return self._boundingRect


#: Room above and below the whole decades of "||dL/dW|| by layer, now", a fraction of them:
#: ~12 px at its ~150 px height, more than a dot's radius and outline (5 px).
DEPTH_PAD = 0.08

MIN_COLUMNS = 128  # peaks' columns in a plot narrower than this (or not laid out yet)


def peaks(x: np.ndarray, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """A line over sorted ``x`` drawn in ``columns`` pixel columns: each column's lowest and
    highest ``y`` (NaN where all of a column's are), at the column's first ``x``; the line as it
    was when it has no more than two points a column. A run's gradient history has up to 2,048
    rows (runlog.GRAD_CAPACITY, reached after ~2 million epochs: ~20 s flat out at 200 points)
    where its plots are ~250 px wide; the notebook's network's view (750 x 760) took ~20 ms of
    CPU a frame at 2,048 rows, ~10 with peaks, ~6 at 100 rows. As pyqtgraph's "peak"
    downsampling, which its PlotCurveItem lacks."""
    n = len(x)
    if n <= 2 * columns or columns < 1 or not x[-1] > x[0]:
        return x, y
    col = ((x - x[0]) * (columns / (x[-1] - x[0]))).astype(np.int64)
    starts = np.flatnonzero(np.diff(col, prepend=-1))
    with np.errstate(invalid="ignore"):
        lo, hi = np.fmin.reduceat(y, starts), np.fmax.reduceat(y, starts)
    return np.repeat(x[starts], 2), np.column_stack([lo, hi]).ravel()


def _decades(values: np.ndarray, default: tuple[float, float] = (-3.0, 0.0)) -> tuple[float, float]:
    """The whole decades (log10) around the positive finite ``values``, at least one."""
    v = np.asarray(values, np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return default
    lo, hi = math.floor(np.log10(v.min())), math.ceil(np.log10(v.max()))
    return (float(lo), float(max(hi, lo + 1)))


def build_view(ctx) -> GradientView:
    """The Gradients tab (see nnviz.gui.views); its probe runs while the tab is shown."""
    from .views import GRADIENT_BANK_S, GRADIENT_BUDGET
    view = GradientView()
    ctx.track("gradients", view, {view.extras_key: (ctx.gradient_probe, GRADIENT_BUDGET,
                                                    GRADIENT_BANK_S)})
    return view
