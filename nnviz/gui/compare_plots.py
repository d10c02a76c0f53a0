"""The Compare view's plots: every member's loss curve, the score table, the scores over the
swept values (a curve for one axis, a heatmap for two)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QRectF, QSortFilterProxyModel, Qt,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QGraphicsRectItem, QHeaderView, QTableView,
                               QWidget)

from nnviz.core.formatting import format_losses, format_score
from nnviz.core.sweep_driver import axis_title, format_value

from . import colors
from .loss_plot import epoch_axis_end
from .stepped_range import SteppedRange, data_bounds
from .widgets import (LogAxis, SparseAxis, _title_room, cache_axes, centre_lines,
                      no_least_width)

#: The stretch of viridis the axes' colours take, per theme (dark?): its dark purple vanished on
#: the dark theme's near-black (1.1:1), so there it starts at 0.4 (a blue, 3.2:1); its yellow
#: end washed out on the light theme's white (0.92: 1.5:1, a projector lost the last curves),
#: so there it ends at 0.6 (a green, 3.0:1).
SCALE = {False: (0.0, 0.6), True: (0.4, 0.92)}


def selected_pen():
    """The selected member's curve: the theme's text colour, thick (black vanished on dark)."""
    return pg.mkPen(colors.text(), width=3)


def diverged_color() -> tuple[int, int, int]:
    """A diverged member's curve and row: the theme's colour for what went wrong."""
    return colors.error()


def missing_cell() -> tuple[int, int, int]:
    """A heatmap's cell without a loss (a diverged member): grey, dark on the dark theme."""
    t = colors.theme()
    return t.neutral if t.dark else (200, 200, 200)


def axis_colors(n: int) -> list[tuple[int, int, int]]:
    """``n`` colours along a perceptual scale (viridis), first to last value of an axis (the
    stretch of it that reads on the theme's ground: SCALE)."""
    start, end = SCALE[colors.theme().dark]
    lut = pg.colormap.get("viridis").getLookupTable(start, end, 256, alpha=False)
    return [tuple(int(c) for c in lut[int(round(i * 255 / max(n - 1, 1)))]) for i in range(n)]


def _theme_axes(pi) -> None:
    """The plot's axes in the theme's colours (look.restyle does it again at every change)."""
    for side in ("left", "bottom"):
        pi.getAxis(side).setPen(colors.axis())
        pi.getAxis(side).setTextPen(colors.text())
        pi.getAxis(side).enableAutoSIPrefix(False)


def _title(pi, text: str) -> None:
    """A plot's title in the theme's text colour (it was "#333", dark grey on near-black)."""
    pi.setTitle(text, size="9pt", color=colors.hex_of(colors.text()))


#: The loss curves' pen width, in the window's pixels (cosmetic: scaled with the screen's), and
#: antialiased: at 150 % a width of 1 was one device pixel, aliased, thinner than the main loss
#: plot's lines. Up to WIDE_CURVES members (a categorical sweep: the activations' five); past
#: them a width of 1, still antialiased: a wider pen takes Qt's slow stroker, ~2.5 ms a frame
#: for each curve of 400 points (40 ms with the seeds' 16; 1 ms at width 1).
CURVE_WIDTH, WIDE_CURVES = 2, 8
#: Curves named at their ends (more: the colours and the key alone, as the seeds' 16), the
#: names' size, and their gap to the plot's right edge and to each other (px).
NAMED_CURVES, NAME_PT, NAME_GAP_PX = 8, 8.5, 2
NAME_COLUMNS = 3  # at most this many columns of names in the margin right of the curves
#: The plot's layout column right of its view box (pyqtgraph's right axis, hidden): the
#: names' margin.
NAME_MARGIN_COLUMN = 2
#: The loss chart before the sweep's first epoch: what comes there, not an empty log axis
#: numbered "5" and "2" (review r26 F5; Backprop's empty plane, r25 F9).
WAITING_CURVES = "Each member's training loss appears here from the sweep's first epoch."
NAME_Z = 20  # over every curve, the selected one's (10) too
KEY_REFIT_PX = 24  # how much wider the loss plot grows before its key is joined up again
#: A category's line (with its colour): a dash pattern in pen widths (None: solid), and the
#: same line as text for the key. Categories differ in more than colour (r10 #3: for a
#: deuteranope sigmoid and relu were one blue, tanh, cos and softmax one olive).
CATEGORY_LINES = ((None, "\u2500"), ([6, 3], "\u254c"), ([1, 2], "\u2508"),
                  ([5, 2, 1, 2], "-\u00b7"), ([10, 4], "\u254d"), ([2, 2], "\u2504"),
                  ([5, 2, 1, 2, 1, 2], "-\u00b7\u00b7"), ([1, 5], "\u00b7"))


def categorical(values) -> bool:
    """An axis of names or layer lists (activations, widths), not of numbers on a scale."""
    return any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values)


#: Axes of numbers that are names, not points on a scale: seed 4 is no nearer seed 5 than seed 12,
#: so a line from seed to seed showed a trend that is not there.
UNORDERED_AXES = ("seed", "init_seed")


def unordered(name: str, values) -> bool:
    """An axis whose values have no order to draw a line along: categories and seeds."""
    return name in UNORDERED_AXES or categorical(values)


def category_colors(n: int) -> list[tuple[int, int, int]]:
    """``n`` categories' colours: the palette's classes' (apart for colour-blind viewers too),
    those that stand off the theme's background as lines first, each made readable as a line
    (made darker, the playground's orange and sand were two browns)."""
    bg, classes = colors.background(), colors.class_colors()
    order = sorted(range(len(classes)), key=lambda k: colors.contrast(classes[k], bg) < 3.0)
    return [colors.readable(classes[order[k % len(order)]], bg, 3.0) for k in range(n)]


def category_line(k: int) -> tuple:
    """Category ``k``'s line: its dash pattern (None: solid) and that line as text."""
    return CATEGORY_LINES[k % len(CATEGORY_LINES)]


def member_dashes(members: tuple, axes: tuple) -> list:
    """Each member's dash pattern: with two axes, its value of the second's (the colour is the
    first's: the two sigmoid curves of activation x learning rate were one blue line and one
    dash, told apart only by selecting one, review r22 F7); with one categorical axis, its
    category's (told apart without colour); else solid."""
    if len(axes) == 2:
        name, values = axes[1]
    elif not axes or not categorical(axes[0][1]):
        return [None] * len(members)
    else:
        name, values = axes[0]
    index = {_key(v): k for k, v in enumerate(values)}
    return [category_line(index.get(_key(m[name]), 0))[0] for m in members]


#: Axes whose values name themselves ("tanh"): written without the axis's name in short labels.
SELF_NAMED_AXES = ("activation",)


def short_value(name: str, value: Any) -> str:
    """One swept value as a short label writes it: "tanh", "lr 1", "widths 4-4"."""
    v = format_value(value)
    return v if name in SELF_NAMED_AXES else f"{axis_title(name, short=True)} {v}"


def member_names(members: tuple, axes: tuple) -> list[str] | None:
    """Each member's words at its curve's end and over its tile: one axis, its value alone
    (the key names the axis); two, both values short, "tanh, lr 1" (the setting names are in
    the title and on the heatmap's axes; "activation sigm…" cut the second away)."""
    if len(axes) == 1:
        return [format_value(m[axes[0][0]]) for m in members]
    if len(axes) == 2:
        return [", ".join(short_value(name, m[name]) for name, _ in axes) for m in members]
    return None


def member_colors(members: tuple, axes: tuple) -> list[tuple[int, int, int]]:
    """Each member's colour: where its value of the first swept axis lies along that axis; for
    categories (activations: a viridis "sigmoid \u2192 relu" made relu more of something than
    sigmoid), each its own hue."""
    if not axes:
        return [colors.TRAIN_CURVE] * len(members)
    name, values = axes[0]
    palette = category_colors(len(values)) if categorical(values) else axis_colors(len(values))
    index = {_key(v): k for k, v in enumerate(values)}
    return [palette[index.get(_key(m[name]), 0)] for m in members]


#: Outcome colours come in this many steps (a colour changes when a curve's loss crosses a
#: step, not at every frame).
OUTCOME_STEPS = 24


def by_outcome(axes: tuple) -> bool:
    """A sweep whose curves are coloured by how each member is doing, not by its value: one
    axis of seeds. A seed is a name, not an amount: along viridis "seed 0 \u2192 15" made seed
    15 more of something than seed 0 (review r22 F18)."""
    return len(axes) == 1 and axes[0][0] in UNORDERED_AXES and not categorical(axes[0][1])


def outcome_colors(curves: tuple, diverged=None) -> list[tuple[int, int, int]]:
    """Each member's colour by its training loss now (its curve's last point, log scale):
    the scale's bright end the lowest of the members', its dark end the highest (as the
    heatmap, bright is low), in OUTCOME_STEPS steps; a diverged member as the highest."""
    last = []
    for i, (_, v) in enumerate(curves):
        v = np.asarray(v, np.float64)
        ok = v[np.isfinite(v) & (v > 0)]
        dead = diverged is not None and i < len(diverged) and diverged[i]
        last.append(math.nan if dead or not len(ok) else math.log10(ok[-1]))
    scale = axis_colors(OUTCOME_STEPS + 1)
    finite = [x for x in last if math.isfinite(x)]
    if not finite:
        return [scale[0]] * len(last)
    lo, hi = min(finite), max(finite)
    return [scale[int(round((hi - x) / (hi - lo) * OUTCOME_STEPS)) if math.isfinite(x) and hi > lo
                  else (OUTCOME_STEPS if math.isfinite(x) else 0)]
            for x in last]


def _key(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


class LossCurves(pg.PlotWidget):
    """Every member's training loss, coloured along the first swept axis; the selected member
    drawn thick and on top; a diverged one dashed in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=colors.background(), enableMenu=False,
                         axisItems={"left": LogAxis("left")})
        pi = self.getPlotItem()
        pi.setLabel("bottom", "epoch")
        pi.setLabel("left", "training loss")
        pi.setLogMode(y=True)
        pi.showGrid(x=True, y=True, alpha=0.15)
        pi.hideButtons()
        _theme_axes(pi)
        cache_axes(pi)
        self.stepped = SteppedRange(pi)
        self.curves: list[pg.PlotDataItem] = []
        self.pens: list = []
        self.curve_width = CURVE_WIDTH
        self.selected: int | None = None
        self._diverged: np.ndarray | None = None
        self.names: list[pg.TextItem] = []  # each curve's value at its end (set_members)
        # The names apart in pixels, so placed again at each new size or range: placed once
        # per frame only, a sweep stopped before the plot's layout settled (its title set, the
        # splitter moved) kept names placed for another height, over each other (r19 #18).
        vb = self.getPlotItem().getViewBox()
        vb.sigResized.connect(self._place_names)
        vb.sigRangeChanged.connect(self._place_names)
        self._key_pieces: tuple[str, ...] = ()  # the key's entries (see _fit_key)
        self._key_fit = None  # what the key was last fitted to: (entries, width, size, lines)
        vb.sigResized.connect(self._fit_key)
        self.waiting = pg.TextItem(WAITING_CURVES, color=colors.text(), anchor=(0.5, 0.5))
        pi.addItem(self.waiting, ignoreBounds=True)
        vb.sigResized.connect(self._wrap_waiting)
        self._show_waiting(True)
        # The key has no say in the plot's width: pyqtgraph makes a title's text width the
        # plot's minimum, and a long key widened the plot past its widget, the epoch axis and
        # the key cut at the right edge (review r24 F12). _fit_key breaks it into lines.
        no_least_width(pi.titleLabel)
        self.setToolTip("Every member's training loss (log scale), coloured along the swept "
                        "values (categories: each its own colour and dashes, as in the key "
                        "above), each named right of the plot, level with its end; the "
                        "selected member is black and thick, a diverged one red and dashed.")

    def set_members(self, member_rgb: list[tuple[int, int, int]], key: str = "",
                    dashes: list | None = None, names: list[str] | None = None) -> None:
        """One curve per member in its colour and dash pattern (None: solid); ``key`` says what
        they mean (HTML; a sequence: its entries, the key broken between them into the lines
        the plot's width needs); ``names``: each member's words at its curve's end (up to
        NAMED_CURVES)."""
        pi = self.getPlotItem()
        self._key_pieces = (key,) if isinstance(key, str) else tuple(key)
        self._key_fit = None
        _title(pi, " &nbsp; ".join(self._key_pieces))
        self._fit_key()
        for c in self.curves:
            pi.removeItem(c)
        for t in self.names:
            t.setParentItem(None)
            if t.scene() is not None:
                t.scene().removeItem(t)
        # Named at their ends: along viridis, the last few of a learning-rate sweep (1, 3, 10)
        # were three teals, and a stuck lr 10 at the top read as the best run, lr 3 (r18 #15).
        self.names = []
        if names and len(names) == len(member_rgb) and len(names) <= NAMED_CURVES:
            for rgb, text in zip(member_rgb, names):
                # In a margin right of the curves, not over them: at the curves' ends, the
                # names of a learning-rate sweep covered the tails of the runs that converged
                # there ("3" and "10" on lr 1's and 3's last epochs). On the background, over
                # anything that reaches the margin (the epoch axis's last number).
                item = pg.TextItem(text, color=colors.readable(rgb, colors.background()),
                                   anchor=(0, 1), fill=pg.mkBrush(colors.background()))
                item.setZValue(NAME_Z)
                font = QFont(self.font())
                font.setPointSizeF(NAME_PT)
                item.setFont(font)
                # No margin round the words: its box is then the text's, packed a line apart.
                item.textItem.document().setDocumentMargin(0)
                item.setVisible(False)  # until its curve has a point
                # The plot item's child, not the view box's: the view box clips its items
                # to the curves' area, and the names stand outside it.
                item.setParentItem(pi)
                self.names.append(item)
        self._name_room(0.0)  # until placed: no margin, or the last members' width
        dashes = dashes or [None] * len(member_rgb)
        self.curve_width = CURVE_WIDTH if len(member_rgb) <= WIDE_CURVES else 1
        self.pens = [pg.mkPen(c, width=self.curve_width, dash=d)
                     for c, d in zip(member_rgb, dashes)]
        self.curves = []
        self.stepped.reset()
        self.waiting.setColor(colors.text())  # (the view sets its members for a new theme)
        self._show_waiting(True)  # until the first epoch's losses
        for pen in self.pens:
            # A few hundred points each (thinned in the worker).
            c = pg.PlotDataItem(pen=pen, antialias=True)
            pi.addItem(c)
            self.curves.append(c)
        self.selected, self._diverged = None, None

    def recolour(self, member_rgb: list[tuple[int, int, int]]) -> None:
        """New colours for the members' curves (and their names), dashes kept."""
        if len(member_rgb) != len(self.pens):
            return
        pens = []
        for rgb, pen in zip(member_rgb, self.pens):
            pen = QPen(pen)
            pen.setColor(QColor(*rgb))
            pens.append(pen)
        self.pens = pens
        for name, rgb in zip(self.names, member_rgb):
            name.setColor(colors.readable(rgb, colors.background()))
        self._restyle()

    def update_curves(self, curves: tuple, diverged: np.ndarray) -> None:
        last, ys = 0, []
        for item, (e, v) in zip(self.curves, curves):
            v = np.asarray(v, np.float64)
            ok = np.isfinite(v) & (v > 0)  # a log axis: no zeros, no blow-ups
            item.setData(np.asarray(e)[ok], v[ok])
            if len(e):
                last = max(last, int(e[-1]))
            ys.append(v[ok])
        # The axes move in steps, not every frame (a re-laid axis is most of a frame's cost);
        # the epoch axis's as the main loss plot's, at most a quarter past the curves (with
        # 1, 1.5, 2, 3 x 10^k a sweep stepped once past 2,000 ran it to 3,000).
        b = data_bounds(*(np.log10(y) for y in ys if len(y)))
        self._show_waiting(b is None)
        if b is not None:
            self.stepped.follow(None, b, x_fixed=(0, epoch_axis_end(last)))
        self._fit_key()  # (presentation mode's scale set the key's size since, no resize)
        diverged = np.asarray(diverged, bool)
        if self._diverged is None or not np.array_equal(diverged, self._diverged):
            self._diverged = diverged.copy()
            self._restyle()
        self._place_names()

    def _show_waiting(self, on: bool) -> None:
        """No loss yet (a sweep at epoch 0): the line saying what comes, no axes (an empty log
        axis read "5" and "2" beside epochs 1-9); the axes again with the first losses."""
        if self.waiting.isVisible() == on and getattr(self, "_waiting_set", False):
            return
        self._waiting_set = True
        pi = self.getPlotItem()
        for side in ("bottom", "left"):
            pi.showAxis(side, not on)
        self.waiting.setVisible(on)
        if on:
            self.stepped.reset()  # the first losses set the range
            pi.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self.waiting.setPos(0.5, 0.5)
            self._wrap_waiting()

    def _wrap_waiting(self, *_) -> None:
        """The waiting line wrapped to the plot's width (presentation mode's size included)."""
        if not self.waiting.isVisible():
            return
        width = max(self.getPlotItem().getViewBox().width() - 24, 80.0)
        if self.waiting.textItem.textWidth() != width:
            self.waiting.setTextWidth(width)
            self.waiting.updateTextPos()

    def _fit_key(self, *_) -> None:
        """The key on as many lines as the plot's width needs, broken between its entries, its
        row as tall as they are: on one line, a two-axis key (learning rate x 8 seeds) ran
        past the right edge, seeds 4-7 never named (review r24 F12)."""
        if not self._key_pieces:
            return
        pi = self.getPlotItem()
        label = pi.titleLabel
        width = pi.getViewBox().width()  # the title's column, over the plot
        size = label.opts.get("size") or "9pt"
        if width <= 0:
            return
        doc = QTextDocument()
        doc.setDefaultFont(label.item.font())
        doc.setDocumentMargin(label.item.document().documentMargin())

        def wide(html: str) -> float:
            doc.setHtml(f"<span style='font-size:{size}'>{html}</span>")
            return doc.idealWidth()

        # Fitted again only when the key no longer fits or the plot grew a good deal: the
        # left axis widens with the plot's height, which the key's lines change, and a key
        # refitted at every pixel went from one line to two and back for good.
        last = self._key_fit
        if last is not None and last[0] == self._key_pieces and last[2] == size and (
                abs(width - last[1]) < 0.5  # (every frame: nothing to measure)
                or (width < last[1] + KEY_REFIT_PX
                    and all(wide(line) <= width for line in last[3].split("<br>")))):
            return

        lines: list[str] = []
        for piece in self._key_pieces:
            if lines and wide(lines[-1] + " &nbsp; " + piece) <= width:
                lines[-1] += " &nbsp; " + piece
            else:
                lines.append(piece)
        text = "<br>".join(lines)
        self._key_fit = (self._key_pieces, width, size, text)
        if label.text != text:
            label.setText(text)
            centre_lines(label)  # its lines centred, as one line is
        _title_room(pi, label)

    def _place_names(self, *_) -> None:
        """Each name in a margin right of the plot, level with its curve's last point; names
        that would touch are moved apart in pixels, keeping their order from top to bottom,
        and kept inside the plot's height; where it is too short for all, in columns side by
        side, and only those that fit without moving show."""
        if not self.names:
            return
        pi = self.getPlotItem()
        vb = pi.getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        h, w = vb.height(), vb.width()
        if not (h > 0 and w > 0 and x1 > x0 and y1 > y0):
            return
        line = max(QFontMetrics(self.names[0].textItem.font()).height(),
                   self.names[0].textItem.boundingRect().height())
        ends = []  # (the name's bottom in px from the top, member)
        for k, (item, name) in enumerate(zip(self.curves, self.names)):
            xs, ys = item.getData()  # as drawn: log10 of the losses (a log plot)
            if xs is None or not len(xs) or not np.isfinite(ys[-1]):
                name.setVisible(False)
                continue
            # Its middle level with the end: read across from the curve.
            ends.append((h * (y1 - float(ys[-1])) / (y1 - y0) + line / 2, k))
        if not ends:
            return
        # Inside the plot, in the order of the ends: clamped first, two ends under the plot's
        # last half line tied and were ordered by member ("tanh" named over "cos", whose
        # curve ends above it: review r31).
        ends = [(min(max(b, line), h), k) for b, k in sorted(ends)]
        # Not room for all in one column (a short plot: presentation mode at 1024x768 had
        # ~99 px for seven 21 px names, and showed three, review r29 L1): in columns side by
        # side, the names dealt to them in turn from the top so that each stays near its
        # curve's end's height.
        columns = min(max(1, math.ceil(len(ends) * line / h)), NAME_COLUMNS)
        # The margin as wide as the widest name in each column, of every name, shown or not:
        # the same width from frame to frame (a margin that changed moved the curves).
        widest = max(t.textItem.boundingRect().width() for t in self.names)
        box = vb.geometry()  # in the plot item's coordinates, the names' parent's
        left = box.right() + NAME_GAP_PX
        for c in range(columns):
            for b, (_, k) in self._stack_names(ends[c::columns], line, h):
                self.names[k].setPos(left, box.top() + b)
                self.names[k].setVisible(True)
            left += widest + NAME_GAP_PX
        self._name_room(columns * (widest + NAME_GAP_PX) + NAME_GAP_PX)

    def _name_room(self, px: float) -> None:
        """The margin right of the view box where the names stand, ``px`` wide (0: none)."""
        layout = self.getPlotItem().layout
        if abs(layout.columnMinimumWidth(NAME_MARGIN_COLUMN) - px) >= 0.5:
            layout.setColumnFixedWidth(NAME_MARGIN_COLUMN, px)

    def _stack_names(self, ends: list, line: float, h: float) -> list:
        """A column's names, each a ``line`` under the one above, as (its bottom, its end):
        moved apart in pixels, keeping their order from top to bottom, inside the plot's
        height ``h``; where it is too short for all, only those that fit without moving show."""
        if len(ends) * line > h:
            # Those that fit where they are, from the top, each a line under the last one kept.
            kept, last = [], -math.inf
            for end in ends:
                if end[0] >= last + line:
                    kept.append(end)
                    last = end[0]
                else:
                    self.names[end[1]].setVisible(False)
            ends = kept
        if not ends:
            return []
        bottoms = [b for b, _ in ends]
        for i in range(1, len(bottoms)):  # downwards: each a line under the one above
            bottoms[i] = max(bottoms[i], bottoms[i - 1] + line)
        bottoms[-1] = min(bottoms[-1], h)
        for i in range(len(bottoms) - 2, -1, -1):  # and up again from the plot's bottom
            bottoms[i] = min(bottoms[i], bottoms[i + 1] - line)
        return list(zip(bottoms, ends))

    def select(self, i: int | None) -> None:
        self.selected = i
        self._restyle()

    def _restyle(self) -> None:
        div = self._diverged if self._diverged is not None else np.zeros(len(self.curves), bool)
        for k, (item, pen) in enumerate(zip(self.curves, self.pens)):
            if k == self.selected:
                item.setPen(selected_pen())
                item.setZValue(10)
            elif k < len(div) and div[k]:
                item.setPen(pg.mkPen(diverged_color(), width=self.curve_width,
                                     style=Qt.PenStyle.DashLine))
                item.setZValue(1)
            else:
                item.setPen(pen)
                item.setZValue(0)


# --- the score table --------------------------------------------------------------------------

SCORE_COLUMNS = (("train_loss", "train loss"), ("test_loss", "test loss"),
                 ("train_accuracy", "train acc."), ("test_accuracy", "test acc."),
                 ("epoch", "as of epoch"))
#: The two lines of a column's title where they are not its words one a line.
HEADER_LINES = {"epoch": "as of\nepoch"}
#: The epoch column's title says it: the scores' epoch, which trails the sweep's while it plays
#: (the header said "epoch 600" over a column of 540s in the Activations sweep).
EPOCH_TIP = ("as of epoch: the epoch these scores were measured at. While the sweep plays they "
             "are measured about four times a second, so they trail the epoch above by a few "
             "dozen epochs; paused, they are that epoch's. \u2717: a diverged member, frozen at "
             "the epoch it diverged.")


#: A member whose training loss is higher now than at its first epoch: its train loss's mark
#: and what it means (review r22 F6: the lr sweep's lr 10 rose from 0.37 to 0.48, its ReLU
#: units dead, and nothing said so; only a blow-up was marked).
WORSE_MARK = "\u2191"
WORSE_TIP = ("got worse: this member's training loss is higher now than after its first epoch. "
             "Often its learning rate is too large: its steps overshoot, or its ReLU units die "
             "(0 for every point, they get no gradient and stop learning; promote it and see "
             "the Gradients tab). Unlike a diverged member, it goes on training.")


#: The columns a narrow view leaves out where they do not fit, the first first
#: (ScoreTable.set_compact).
COMPACT_HIDDEN = ("epoch", "train_accuracy")
#: Axes of the network's capacity (the Width and Double descent sweeps): whether a width can fit
#: every training point is their question, and the training accuracy answers it; the training
#: loss is the score plot's dots beside the table. There a narrow view leaves out the training
#: loss instead (at 1024 x 768 in presentation mode the Width sweep's table had no training
#: accuracy: a width-1 network's 87.5% beside a width-32's 88.1% could not be read).
CAPACITY_AXES = ("hidden", "width")
CAPACITY_COMPACT_HIDDEN = ("epoch", "train_loss")


def compact_hidden(axes: tuple) -> tuple[str, ...]:
    """The columns a narrow view leaves out for a sweep over ``axes``, the first first."""
    if len(axes) == 1 and axes[0][0] in CAPACITY_AXES:
        return CAPACITY_COMPACT_HIDDEN
    return COMPACT_HIDDEN


class ScoreModel(QAbstractTableModel):
    """One row per member: the best mark, the swept values, the scores, the state."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.axes: tuple = ()
        self.members: tuple = ()
        self.scores: tuple = ()
        self.best: int | None = None
        self._columns: dict[str, list[str]] = {}  # score key -> its cells' texts
        self.worse: dict[int, tuple[float, float]] = {}  # member: (first loss, last) (WORSE_TIP)
        self.classification = True

    def set_members(self, axes: tuple, members: tuple, classification: bool) -> None:
        self.beginResetModel()
        self.axes, self.members, self.classification = axes, members, classification
        self.scores, self.best = tuple({} for _ in members), None
        self._columns = {}
        self.endResetModel()

    def update_scores(self, scores: tuple, best: int | None,
                      worse: dict[int, tuple[float, float]] | None = None) -> None:
        self.scores, self.best, self.worse = scores, best, dict(worse or {})
        self._columns = {}
        if self.members:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.members) - 1,
                                                               self.columnCount() - 1))

    def _column_texts(self, key: str) -> list[str]:
        """Score ``key``'s cells, every row's in one notation (format_losses)."""
        columns = self._columns
        if key not in columns:
            rows = [self.scores[r] if r < len(self.scores) else {}
                    for r in range(len(self.members))]
            columns[key] = format_losses([s.get(key, math.nan) for s in rows])
        return columns[key]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt)
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt)
        return 0 if parent.isValid() else 1 + len(self.axes) + len(SCORE_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        n = len(self.axes)
        if section == 0:
            return "" if role == Qt.ItemDataRole.DisplayRole else "\u2605: the best member " \
                "(lowest test loss, or training loss without test points); " \
                f"{WORSE_MARK}: got worse (its training loss higher than after epoch 1)"
        if section <= n:
            name = self.axes[section - 1][0]
            return axis_title(name, short=role == Qt.ItemDataRole.DisplayRole)
        key, title = SCORE_COLUMNS[section - n - 1]
        if not self.classification and "accuracy" in key:
            title = title.replace("acc.", "R\u00b2")
        if role == Qt.ItemDataRole.ToolTipRole:
            return EPOCH_TIP if key == "epoch" else title
        # On two lines: the columns as wide as their numbers, so that the last one (the
        # diverged mark) is not cut off beside the tiles at 1024 pixels.
        return HEADER_LINES.get(key, title.replace(" ", "\n"))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        n = len(self.axes)
        s = self.scores[r] if r < len(self.scores) else {}
        diverged = bool(s.get("diverged"))
        worse = not diverged and r in self.worse
        # its mark in the first column (a train loss of "\u2191 242.8649" was wider than its
        # column), its training loss in red
        worse_cell = worse and (c == 0 or c > n and SCORE_COLUMNS[c - n - 1][0] == "train_loss")
        if role == Qt.ItemDataRole.UserRole:  # the sort key
            if c == 0:
                return 0 if r == self.best else 1
            if c <= n:
                v = self.members[r][self.axes[c - 1][0]]
                return self.axes[c - 1][1].index(v) if v in self.axes[c - 1][1] else 0
            v = s.get(SCORE_COLUMNS[c - n - 1][0], math.nan)
            return v if isinstance(v, (int, float)) and math.isfinite(v) else math.inf
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return "\u2605" if r == self.best else WORSE_MARK if worse else ""
            if c <= n:
                return format_value(self.members[r][self.axes[c - 1][0]])
            key = SCORE_COLUMNS[c - n - 1][0]
            v = s.get(key, math.nan)
            if key == "epoch":
                if not isinstance(v, (int, float)) or not math.isfinite(v):
                    return ""
                return f"{int(v):,} \u2717" if diverged else f"{int(v):,}"
            if "loss" in key:
                return self._column_texts(key)[r]  # (one notation in the column)
            return format_score(v, percent=self.classification and "accuracy" in key)
        if role == Qt.ItemDataRole.ForegroundRole and (diverged or worse_cell):
            return QBrush(QColor(*diverged_color()))
        if role == Qt.ItemDataRole.FontRole and r == self.best:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.TextAlignmentRole and c > n:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and diverged:
            return ("\u2717 diverged: this member's loss blew up; it is frozen at its best "
                    "weights while the others go on.")
        if role == Qt.ItemDataRole.ToolTipRole and worse:
            first, now = self.worse[r]
            return (f"{WORSE_MARK} {WORSE_TIP} Its loss: {format_score(first)} after epoch 1, "
                    f"{format_score(now)} now.")
        return None


TABLE_TIP = ("Every member's scores now. Click a column's title to sort by it; click a row to "
             "select the member, double-click to make it the main window's run.")
#: Said after TABLE_TIP where the sweep has no test points (its test columns left out).
NO_TEST_TIP = (" This sweep has no test points (all its data trains, as the notebook's does): "
               "it has no test columns.")


class ScoreTable(QTableView):
    """The score table, sortable by any column (the sort survives every update)."""

    member_clicked = Signal(int)
    member_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scores = ScoreModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.scores)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setDynamicSortFilter(True)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.compact = False
        self.has_test = True  # (set_members)
        self._widths: dict[int, int] = {}
        self.fit_font()
        # Columns sized once per sweep (ResizeToContents measured every cell at every update).
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self._sized = False
        self.setAlternatingRowColors(True)
        self.setToolTip(TABLE_TIP)
        self.clicked.connect(lambda ix: self.member_clicked.emit(self.member_at(ix)))
        self.doubleClicked.connect(lambda ix: self.member_activated.emit(self.member_at(ix)))

    def member_at(self, proxy_index) -> int:
        return self.proxy.mapToSource(proxy_index).row()

    def set_members(self, axes: tuple, members: tuple, classification: bool,
                    has_test: bool = True) -> None:
        """``has_test``: whether the sweep's data holds test points. Without them its test
        columns are left out, and it is sorted by the training loss: two columns of "n/a"
        took the room of the training accuracy, which a narrow view then hid, at 1024 x 768 in
        presentation mode (Lesson 4's Activations sweep showed no accuracy at all, review r25
        F2)."""
        self.has_test = has_test
        self.setToolTip(TABLE_TIP + ("" if has_test else NO_TEST_TIP))
        self.scores.set_members(axes, members, classification)
        self._hide_columns()
        # by test loss; without test points, by training loss
        self.sortByColumn(len(axes) + (2 if has_test else 1), Qt.SortOrder.AscendingOrder)
        self._sized = False

    def update_scores(self, scores: tuple, best: int | None,
                      worse: dict[int, tuple[float, float]] | None = None) -> None:
        self.scores.update_scores(scores, best, worse)
        if not self._sized and scores and any(scores):
            self._sized = True
            self._size_columns()
            # No test points (the activations sweep trains on all 200, as the notebook does):
            # sorted by the training loss, not by a column of "n/a".
            n = len(self.scores.axes)
            if (self.horizontalHeader().sortIndicatorSection() == n + 2
                    and not any(math.isfinite(s.get("test_loss", math.nan)) for s in scores)):
                self.sortByColumn(n + 1, Qt.SortOrder.AscendingOrder)

    def fit_font(self) -> None:
        """Rows as tall as the font's lines and the columns as wide as its numbers (the font
        grows in presentation mode: 20 px rows and 9 pt columns cut "0.0004\u2026")."""
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        if getattr(self, "_sized", False):
            self._size_columns()

    def set_compact(self, on: bool, room: int | None = None) -> None:
        """A narrow view: the columns that matter least (the epoch, the same for every member
        that did not diverge: its row is red; then the training accuracy) hidden while the
        table is wider than ``room`` pixels (None: both hidden), the rest whole without a
        scroll bar. Both were hidden in every narrow view: at 1024 x 768 in presentation mode
        the table lost its training accuracy with room for it."""
        if (on, room) == (self.compact, getattr(self, "_room", None)):
            return
        self.compact = on
        self._room = room
        self._hide_columns()

    def _hide_columns(self) -> None:
        n = len(self.scores.axes)
        keys = [key for key, _ in SCORE_COLUMNS]
        for k, key in enumerate(keys):
            self.setColumnHidden(1 + n + k, not self.has_test and key.startswith("test_"))
        if not self.compact:
            return
        room = getattr(self, "_room", None)
        for key in compact_hidden(self.scores.axes):  # the least needed first
            if room is not None and self._sized and self.needed_width() <= room:
                break
            self.setColumnHidden(1 + n + keys.index(key), True)

    def needed_height(self) -> int:
        """The height that shows every row whole, without a scroll bar."""
        rows = self.model().rowCount() if self.model() is not None else 0
        return (self.horizontalHeader().sizeHint().height()
                + rows * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth() + 4)

    def needed_width(self) -> int:
        """The width that shows every column whole, without a scroll bar."""
        header = self.horizontalHeader()
        # The widths _size_columns gave (the last column stretches to whatever the table has).
        cols = sum(self._widths.get(c, header.sectionSize(c)) for c in range(header.count())
                   if not header.isSectionHidden(c))
        return cols + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width() + 8

    def _size_columns(self) -> None:
        """The swept values as wide as they are; each score as wide as its widest form
        ("0.000246", "100.0%", "12,345 \u2717") in bold (the best member's row), not as the
        first numbers were: those grow as the sweep trains, and a column measured at epoch 0
        cut them later."""
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        n = len(self.scores.axes)
        self._widths = {}
        for c in range(1 + n):
            self.resizeColumnToContents(c)
            texts = [str(self.model().headerData(c, Qt.Orientation.Horizontal) or "")]
            if c == 0:  # the marks it shows later too
                texts += ["\u2605", WORSE_MARK]
            texts += [str(self.scores.index(r, c).data() or "")
                      for r in range(self.scores.rowCount())]
            self._widths[c] = max([self.columnWidth(c)]
                                  + [fm.horizontalAdvance(t) + 14 for t in texts])
            self.setColumnWidth(c, self._widths[c])
        pad = 14
        widest = {"epoch": "100,000 \u2717", "train_accuracy": "100.0%",
                  "test_accuracy": "100.0%"}
        for k, (key, _) in enumerate(SCORE_COLUMNS):
            text = widest.get(key, "0.000246")
            if not self.scores.classification and "accuracy" in key:
                text = "-0.1234"
            width = max(fm.horizontalAdvance(text), fm.horizontalAdvance("train")) + pad
            self._widths[1 + n + k] = width
            self.setColumnWidth(1 + n + k, width)
        if self.compact:
            self._hide_columns()  # the widths known: the columns that fit

    def select_member(self, i: int | None) -> None:
        if i is None:
            self.clearSelection()
            return
        ix = self.proxy.mapFromSource(self.scores.index(i, 0))
        if ix.isValid() and self.currentIndex().row() != ix.row():
            self.selectRow(ix.row())


# --- the scores over the swept values ---------------------------------------------------------

DODGE = 0.12  # a category's train and test dots, this far either side of its name
BEST_STAR = "\u2605"  # the heatmap's best cell's mark, before its number (as the table's)
CELL_PAD = 2  # px the heatmap's numbers keep from their cell's edges
MIN_CELL_SCALE = 0.6  # the shortest numbers shrink this far at most
MILD_CELL_SCALE = 0.85  # a longer form of the numbers shrinks this far before fewer digits


def cell_forms(v: float, diverged: bool) -> list[str]:
    """A heatmap cell's number, from its full form to its shortest: "0.2466", "0.247", "0.25"
    (a diverged member: "diverged", "div.")."""
    if diverged:
        return ["diverged", "div.", "\u2013"]
    full = format_score(v)
    if not math.isfinite(v):
        return [full]
    forms = [full]
    # as many decimals in every cell ("0.30", not "0.3" beside "0.29"), where they say enough
    shorter = ([f"{v:.3f}", f"{v:.2f}"] if 0.1 <= abs(v) < 1000 else [f"{v:.3g}", f"{v:.2g}"])
    for short in shorter:
        if len(short) < len(forms[-1]):
            forms.append(short)
    return forms


class ScorePlot(pg.PlotWidget):
    """For one swept axis: train and test loss over its values; for two: a heatmap of the test
    loss (training loss without test points) over both, the best cell marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # The swept values under the x axis named every k-th where they would touch: the
        # sixteen seeds ran together ("1011121314") in presentation mode at 1024 px.
        super().__init__(parent, background=colors.background(), enableMenu=False,
                         axisItems={"left": LogAxis("left"), "bottom": SparseAxis("bottom")})
        pi = self.getPlotItem()
        pi.hideButtons()
        pi.setMouseEnabled(False, False)
        _theme_axes(pi)
        cache_axes(pi)
        self.stepped = SteppedRange(pi)
        self.train = pg.PlotDataItem(pen=pg.mkPen(colors.TRAIN_CURVE, width=2), symbol="o",
                                     symbolSize=6, symbolBrush=colors.TRAIN_CURVE)
        self.test = pg.PlotDataItem(pen=pg.mkPen(colors.TEST_CURVE, width=2), symbol="o",
                                    symbolSize=6, symbolBrush=colors.TEST_CURVE)
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.best_mark = pg.ScatterPlotItem(size=14, symbol="star", brush="w", pen="k")
        self.best_mark.setZValue(10)
        self.cell_texts: list[pg.TextItem] = []
        # Each cell's number in its forms, longest first, and whether it is the best's: the
        # forms that fit the cells chosen by _fit_cells (8 seeds' columns at 1400 px ran
        # "\u2605 0.2466" into the next cell and the first column into the y axis: r24 F12).
        self._cell_forms: list[tuple[list[str], bool]] = []
        # The best cell outlined where its cells are too narrow for the star before its number
        self.best_box = QGraphicsRectItem(0, 0, 1, 1)
        self.best_box.setZValue(9)
        self.best_box.setVisible(False)
        self.setToolTip("Each member's loss now over the swept values: for one axis the "
                        "training and test loss, for two a map of the test loss (brighter is "
                        "lower). The star marks the best member.")
        self.axes: tuple = ()
        self.members: tuple = ()
        self._two = False
        self._categories = False  # one axis without an order (categories, seeds): dots, no line
        self._key = ""  # the title's key to the drawing, without the star's (see _show_key)
        self._train_key = self._both_key = ""  # one axis's key: the train loss alone, both
        self._scores: tuple | None = None  # the last (scores, best), drawn again when resized
        # A new size (presentation mode's, with its larger star): the ranges fitted again,
        # paused too, so that the star stays whole.
        self.getPlotItem().getViewBox().sigResized.connect(self._refit)

    def set_members(self, axes: tuple, members: tuple) -> None:
        pi = self.getPlotItem()
        self._scores = None  # the last sweep's
        for item in (self.train, self.test, self.heat, self.best_mark, self.best_box,
                     *self.cell_texts):
            if item.scene() is not None:
                pi.removeItem(item)
        self.cell_texts = []
        self._cell_forms = []
        self.best_box.setVisible(False)
        pi.setTitle(None)
        # The curves in the theme's colours (the training loss's near-black vanished on dark).
        # Categories (activations) and seeds are not in an order: their losses are dots, unjoined.
        joined = not (len(axes) == 1 and unordered(*axes[0]))
        for item, rgb in ((self.train, colors.train_curve()), (self.test, colors.test_color())):
            item.setPen(pg.mkPen(rgb, width=2) if joined else None)
            item.setSymbolBrush(rgb)
            item.setSymbolSize(6 if joined else 8)
        self.best_mark.setPen(pg.mkPen(colors.text()))
        self.best_mark.setBrush(pg.mkBrush(colors.background()))
        self.axes, self.members = axes, members
        self._two = len(axes) == 2
        if not axes:  # no sweep
            return
        name0, values0 = axes[0]
        bottom = pi.getAxis("bottom")
        left = pi.getAxis("left")
        self._categories = not self._two and unordered(name0, values0)
        # Categories are named, each: on two lines where one is too narrow (SparseAxis)
        bottom.stagger = categorical(axes[-1][1])
        # Two axes: the first's values from the top down, as the tiles' rows run (they ran
        # upwards here, the same grid drawn upside down in two places: review r22 F7).
        pi.getViewBox().invertY(self._two)
        if self._two:
            name1, values1 = axes[1]
            pi.setLogMode(y=False)
            pi.addItem(self.heat)
            bottom.setTicks([[(j + 0.5, format_value(v)) for j, v in enumerate(values1)]])
            left.setTicks([[(k + 0.5, format_value(v)) for k, v in enumerate(values0)]])
            pi.setLabel("bottom", axis_title(name1))
            pi.setLabel("left", axis_title(name0))
            for k in range(len(values0)):
                for j in range(len(values1)):
                    t = pg.TextItem("", color="w", anchor=(0.5, 0.5))
                    t.textItem.document().setDocumentMargin(1)  # its box about its text
                    t.setPos(j + 0.5, k + 0.5)
                    pi.addItem(t)
                    self.cell_texts.append(t)
            pi.addItem(self.best_box)
            pi.setRange(xRange=(0, len(values1)), yRange=(0, len(values0)), padding=0)
        else:
            pi.setLogMode(y=True)
            pi.addItem(self.train)
            pi.addItem(self.test)
            train, test = (colors.hex_of(colors.readable(c, colors.background()))
                           for c in (colors.train_curve(), colors.test_color()))
            self._train_key = f"<span style='color:{train}'>\u25cf train loss</span>"
            self._both_key = self._key = (
                self._train_key + f" &nbsp; <span style='color:{test}'>\u25cf test loss</span>")
            self._show_key(starred=False)
            bottom.setTicks([[(k, format_value(v)) for k, v in enumerate(values0)]])
            left.setTicks(None)
            pi.setLabel("bottom", axis_title(name0))
            pi.setLabel("left", "loss now")
            self.stepped.reset()  # the y axis moves in steps (see update_scores)
        pi.addItem(self.best_mark)

    def update_scores(self, scores: tuple, best: int | None) -> None:
        if not self.axes:
            return
        self._scores = (scores, best)
        test = np.array([s.get("test_loss", math.nan) for s in scores], np.float64)
        train = np.array([s.get("train_loss", math.nan) for s in scores], np.float64)
        div = np.array([bool(s.get("diverged")) for s in scores])
        which = "test" if np.isfinite(test).any() else "training"
        metric = np.where(div, np.nan, test if which == "test" else train)
        pos = self._positions()
        if self._two:
            self._key = f"{which} loss now (log, bright = low)"
            n0, n1 = len(self.axes[0][1]), len(self.axes[1][1])
            grid = np.full((n0, n1), np.nan)
            for (k, j), v in zip(pos, metric):
                grid[k, j] = v
            ok = grid[np.isfinite(grid) & (grid > 0)]
            logg = np.log10(np.where(np.isfinite(grid) & (grid > 0), grid, np.nan))
            lo, hi = (float(np.log10(ok.min())), float(np.log10(ok.max()))) if len(ok) else (0, 1)
            lut = pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256, alpha=False)
            # Bright is good: the lowest loss yellow, the highest dark.
            idx = np.clip((hi - np.nan_to_num(logg, nan=hi)) / max(hi - lo, 1e-9) * 255, 0, 255)
            rgb = lut[idx.astype(np.uint8)]
            rgb[~np.isfinite(logg)] = missing_cell()
            self.heat.setImage(rgb, autoLevels=False, levels=(0, 255))
            self.heat.setRect(0, 0, n1, n0)  # after the image: the rect scales its pixels
            # The best cell's star beside its number, both centred in the cell: a marker at
            # the cell's lower left sat nearer the next column than its own number (r22 F7).
            self._cell_forms = []
            for i, (t, (k, j), v, d) in enumerate(zip(self.cell_texts, pos, metric, div)):
                dark = bool(np.isfinite(v) and (hi - np.log10(max(v, 1e-30))) /
                            max(hi - lo, 1e-9) > 0.6)
                t.setColor("k" if dark else "w")
                self._cell_forms.append((cell_forms(float(v), bool(d)), i == best))
                if i == best:
                    self.best_box.setRect(QRectF(j, k, 1, 1))
                    self.best_box.setPen(pg.mkPen("k" if dark else "w", width=3, cosmetic=True))
            self.best_mark.setData([], [])
            self._fit_cells()
            return
        x = np.array([p[0] for p in pos], np.float64)
        # No test points (the activations sweep trains on all 200, as the notebook does): no
        # test dots, and the key says so (it listed "test loss" over none).
        self._key = self._train_key if which == "training" else self._both_key
        # A category's two dots side by side, the training loss left (one over the other hid it)
        dodge = {"train": -DODGE, "test": DODGE} if self._categories else {}
        shown = []
        for item, y, key in ((self.train, train, "train"), (self.test, test, "test")):
            ok = np.isfinite(y) & (y > 0) & ~div
            item.setData(x[ok] + dodge.get(key, 0.0), y[ok])
            shown.append(np.log10(y[ok]))
        n = len(self.axes[0][1])
        # The star drawn whole: it sat on the lowest loss half past the plot's bottom edge, and
        # (presentation mode's larger star) on the last seed past its right edge.
        b = data_bounds(*shown)
        if b is not None:
            room = self._star_room()
            b = (b[0] - room, b[1] + room)
        self.stepped.follow(None, b, x_fixed=(-self._reach(n), n - 1 + self._reach(n)))
        starred = best is not None and math.isfinite(metric[best]) and metric[best] > 0
        if starred:
            self.best_mark.setData([x[best] + dodge.get("test" if which == "test" else "train",
                                                        0.0)], [math.log10(metric[best])])
        else:
            self.best_mark.setData([], [])
        self._show_key(starred)

    def _refit(self, *_) -> None:
        if self._scores is not None and self._two and self.axes:
            self._fit_cells()
        elif self._scores is not None and self.axes:
            self.update_scores(*self._scores)

    def fit_after_scale(self) -> None:
        """Presentation mode scaled the cells' fonts (nnviz.gui.presentation.scale_scene): the
        numbers fitted to their cells again at their new size."""
        if self._two and self._scores is not None:
            self._fit_cells()

    def _fit_cells(self) -> None:
        """Every cell's number inside its cell: the star before the best's number where that
        fits, else the best cell outlined; fewer digits where the full numbers do not fit, and
        the numbers smaller (to MIN_CELL_SCALE of the font presentation mode gave them) where
        even those do not. One form and one size for all the cells, so they read as a table."""
        if not self._two or not self._cell_forms or len(self._cell_forms) != len(self.cell_texts):
            return
        pi = self.getPlotItem()
        vb = pi.getViewBox()
        n0, n1 = len(self.axes[0][1]), len(self.axes[1][1])
        # The axes' ticks reach into the map (pyqtgraph's inward ticks): the first column's and
        # the last row's numbers kept clear of them, the others as far from their edges.
        inner = vb.mapRectToScene(vb.boundingRect())
        left = pi.getAxis("left")
        bottom = pi.getAxis("bottom")
        pad_x = max(CELL_PAD, left.mapRectToScene(left.boundingRect()).right() - inner.left() + 1)
        pad_y = max(CELL_PAD,
                    inner.bottom() - bottom.mapRectToScene(bottom.boundingRect()).top() + 1)
        room_w = vb.width() / max(n1, 1) - 2 * pad_x
        room_h = vb.height() / max(n0, 1) - 2 * pad_y
        starred = any(b for _, b in self._cell_forms)
        depth = max(len(f) for f, _ in self._cell_forms)
        # The forms, most wanted first: (digits' form index, star before the best's number)
        tries = [(0, True), *((d, False) for d in range(depth))] if starred else \
            [(d, False) for d in range(depth)]

        def texts(d: int, star: bool) -> list[str]:
            return [(f"{BEST_STAR} " if star and b else "") + f[min(d, len(f) - 1)]
                    for f, b in self._cell_forms]

        def widest(d: int, star: bool) -> tuple[float, float]:
            w = h = 0.0
            for t, text in zip(self.cell_texts, texts(d, star)):
                doc = t.textItem.document()
                if t.textItem.toPlainText() != text:
                    t.textItem.setPlainText(text)
                size = doc.size()
                w, h = max(w, size.width()), max(h, size.height())
            return w, h

        chosen, factor = tries[-1], MIN_CELL_SCALE
        for n, (d, star) in enumerate(tries):
            w, h = widest(d, star)
            fits = min(1.0, room_w / max(w, 1.0), room_h / max(h, 1.0))
            if fits >= MILD_CELL_SCALE or n == len(tries) - 1:
                chosen, factor = (d, star), max(MIN_CELL_SCALE, fits)
                break
        for t, text in zip(self.cell_texts, texts(*chosen)):
            t.setText(text)  # keeps the colour set by update_scores
            t.textItem.setScale(factor)
            t.updateTextPos()
        outlined = starred and not chosen[1]
        self.best_box.setVisible(outlined)
        self._show_key(starred=starred, outlined=outlined)

    def _star_px(self) -> float:
        """Half the star (the largest marker) and its outline, in pixels."""
        scale = float(self.property("nnvizScale") or 1.0)  # presentation mode's
        return float(self.best_mark.opts["size"]) * scale / 2 + 1

    def _star_room(self) -> float:
        """Half the star in the y axis' units now."""
        y, height = self.stepped.y, self.getPlotItem().getViewBox().height()
        return 0.0 if y is None or height <= 0 else (y[1] - y[0]) / height * self._star_px()

    def _reach(self, n: int) -> float:
        """How far the x axis reaches past the first and the last of ``n`` values: half a
        value's room, or (a narrow plot, presentation mode's larger star) as far as a star there
        needs, beside its value by its dodge; in twentieths, so that it stays put."""
        width = self.getPlotItem().getViewBox().width()
        px = self._star_px()
        if width <= 2 * px:
            return 0.5
        dodge = DODGE if self._categories else 0.0
        # The star's half in units, on an axis of n - 1 + 2 * reach units across ``width``.
        reach = (dodge + px * (n - 1) / width) / (1 - 2 * px / width)
        return max(0.5, math.ceil(reach * 20) / 20)

    def _show_key(self, starred: bool, outlined: bool = False) -> None:
        """The title names what is drawn: "\u2606 best" only beside a star (no member scored
        yet, or every one diverged, drew none, and the key sent people looking for it);
        "\u25a2 best" where the heatmap's best cell is outlined instead."""
        star = ("\u25a2" if outlined else BEST_STAR) if self._two else "\u2606"
        title = self._key + (f" &nbsp; {star} best" if starred else "")
        if self.getPlotItem().titleLabel.text != title:
            _title(self.getPlotItem(), title)
            scale = float(self.property("nnvizScale") or 1.0)
            if scale != 1.0:  # presentation mode: the key at its size again (it stayed 9 pt)
                from .presentation import scale_scene
                scale_scene(self, scale)

    def _positions(self) -> list[tuple[int, ...]]:
        out = []
        for m in self.members:
            out.append(tuple(_index(values, m[name]) for name, values in self.axes))
        return out


def _index(values: tuple, v: Any) -> int:
    for k, x in enumerate(values):
        if _key(x) == _key(v):
            return k
    return 0
