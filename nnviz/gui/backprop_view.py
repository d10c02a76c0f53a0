"""Backpropagation, step by step, for one training point (the "backprop" tab).

Pick a training point (click it on the plot, or choose it in the list); Next / Back go through
the stages of :data:`nnviz.core.backprop.STAGES`: the forward pass, the point's loss, the errors
δ going back, ∂L/∂w per link, the batch gradient, the optimiser's update. The network diagram is
the Network view's canvas (:class:`~nnviz.gui.network_view.NetworkCanvas`) drawing the stage's
numbers instead of the weights -- links show ∂L/∂w, the gradient or the update in the same
blue / orange and thickness -- and the nodes carry a, δ. Click a node: the formulas on the right
are written out for that unit with the real numbers. Wide layers show the selected unit and the
units that matter most for this stage. Every hand-built number is checked against jax.grad
(and the update against optax) in the worker thread; the header says by how much they differ.
While the run plays the worker computes and checks what the stage on screen shows (the batch only
on the batch and update stages: at 100,000 points it is ~30 of a trace's ~31 ms), and the header
says what it checked; paused, every stage's numbers.

"Size points by pull" draws every training point as large as its own gradient is (vmap of
grad): the points that pull hardest on the weights now.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QKeySequence, QPainter, QPen, QShortcut,
                           QTextDocument, QTextOption)
from PySide6.QtWidgets import (QBoxLayout, QCheckBox, QComboBox, QGraphicsItem,
                               QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSplitter, QStyle,
                               QStyleOptionComboBox, QTextBrowser, QVBoxLayout, QWidget)

from nnviz.core import backprop
from nnviz.core.backprop import DERIVATIVE_TEXT, STAGE_TITLES, STAGES
from nnviz.core.features import label as feature_label
from nnviz.core.formatting import plural

from . import colors
from .boundary_plot import DecisionPlot, shared
from .network_view import NetworkCanvas, _valid_neuron
from .neuron_maps import diverging_colour, neuron_label
from .widgets import (Column, TextRoom, add_layout, combo_width, computing, data_names_of,
                      let_go, paint_combo)

# Units per layer drawn (the selected one and the most telling others): 10 x 10 links stay under
# the Network view's MAX_LINKS, so every link of the selected unit's path is drawn.
MAX_SHOWN = 10
MAX_TERMS = 6  # terms of a sum written out
COMPACT_TERMS = 4  # in presentation mode (a table's row a line: the diagram shows them all)
COMPACT_SUM_TERMS = 2  # of a hidden unit's Σₖ wₖ·δₖ in presentation mode, a term a line
TIGHTER = 2  # steps of a term less a list, where presentation mode's text overflows its box
# A word joiner: no line break here, where Qt breaks a formula whose spaces are non-breaking
# ("f′" | "(z)", "∂L/" | "∂b").
WJ = "&#8288;"
# A product of two numbers, "0.9775·(-0.001891)": whole on a line (a word joiner after the dot),
# its operands together: "(-4.222)·" ended a line and "0.2841" began the next (review r18 #2).
# Where a box is narrower than a product, it breaks after its dot (TIMES_BREAK, a zero-width
# space: a line-break opportunity to Qt's layout), never inside a number (a narrow column broke
# "0.9775·(-0.00189" / "1)", r17 #1): _set_formulas.
TIMES = "·" + WJ
TIMES_BREAK = "·&#8203;"
# A table's cells' room after them (the batch gradient's); narrower where the table is wider
# than the box (_breaking: the 1024x768 window's 227 px box, its numbers whole).
CELL_PAD = "padding-right:10px;"
CELL_PAD_NARROW = "padding-right:5px;"
# The plot's least width beside the diagram (220 made the tab too wide for a 150% laptop screen,
# 853 logical px for the window, with the settings' column beside it).
PLOT_LEAST = 200
# The formulas' least height (they scroll): at 120 the tab was 466 px least-tall with the window's
# bars, the Edit points bar over them 497, more than a 1366x768 screen at 150% (512, a title bar).
FORMULAS_LEAST = 100
MIN_NODE = 16.0  # a node's side at the least: its colour seen (a column shows fewer units)
NODE_CLEAR = 7.0  # between a label and the node (or bias square) above it
# A column too tall for its labels above its nodes, where the column is wide (presentation
# mode's row at 1024x768, 137 px a column but 222 px tall: the ten hidden-2 units of the
# notebook's 2-4-10-4-1 network were two), writes them beside instead, right of each node,
# PILL_GAP clear of it and of the nodes above and below, vertically centred: a unit and its
# number read as one "[] 0.612", its links leaving from the node's edge under the number's box
# (from the number's end, ~80 px right of the node, that column looked cut off from the next:
# r15), LINK_PX of them in sight at the least on either side of the column. A unit then takes
# PILL_STEP_CLEAR more than its node and bias square (or its label, the taller), where above
# its label took ~43 px.
PILL_GAP = 7.0
PILL_NODE = 24.0  # such a column's nodes at the most: the lane its labels' (a 4-unit column's)
PILL_TOP = 10.0  # under the headers, where no label goes above the first node
PILL_BOTTOM = 6.0  # under the last one's half step (the others' bottom margin is 14)
PILL_STEP_CLEAR = 2.0
LINK_PX = 20.0
FORMULA_LINES = 10  # the formulas' lines under the plot, where the column has room
# Presentation mode (at 1024x768 the plot was 125x70 px, its points could not be picked, and
# the formulas showed ~5 lines): the plot and the formulas side by side above the diagram at the
# tab's full width. Their least sizes are what still reads (a pickable plot,
# PRESENTING_FORMULA_LINES lines, the diagram's units); they fit at 1024x768 with a lesson's
# banner above the tabs, so the diagram, the lesson's picture, is in sight with the words about
# it. The tab scrolls only when a window is shorter. The diagram takes
# PRESENTING_DIAGRAM_SHARE of the height, or its least where that is more (or the height its
# every unit needs, below), the formulas the rest,
# ~233 px: each stage's text of every unit reads whole (written short, BackpropView.
# _formulas, with fewer terms where it still overflows, _write_formulas). With the diagram at 52% they had 148 px and the class read them only as the
# teacher scrolled. The formulas at the tab's full width above a row of the plot and the
# diagram was tried: the diagram ~390 px wide, its headings on two rows, its nodes 8 px.
PRESENTING_PLOT = QSize(240, 110)
PRESENTING_FORMULA_LINES = 5
PRESENTING_DIAGRAM_PX = 190
PRESENTING_DIAGRAM_SHARE = 0.45
# ... or more, where every unit of its tallest column is then drawn (its labels beside the
# nodes, BackpropCanvas: the notebook's 2-4-10-4-1 network at 1024x768 needs ~250 px), up to
# PRESENTING_DIAGRAM_MOST: the formulas keep the rest.
PRESENTING_DIAGRAM_MOST = 0.55
PRESENTING_FORMULA_KEEP = 9
PRESENTING_ROW_PLANE_PX = 100
# ... unless the diagram's columns fit beside the plot and the formulas, PRESENTING_COLUMN_PX a
# column in PRESENTING_BESIDE_SHARE of the tab's width (a 2-8-1 network at 1024x768: three
# columns of 743 px): then it takes that share at the tab's full height, the plot over the
# formulas beside it, as in the normal mode. Under the row, 222 px tall, the notebook's 2-4-1
# and 2-8-1 networks showed two units of their hidden layer; beside, all of them.
PRESENTING_COLUMN_PX = 110
PRESENTING_BESIDE_SHARE = 0.45
# ... the plot there PRESENTING_BESIDE_PLOT of the column's height, the formulas the rest,
# but its plane at least PRESENTING_BESIDE_PLANE_PX tall (r12: at 0.38 of a 1024x768 column
# it was ~160x85 px, the "x2" title over its tick labels, and under a note banner ~95x55, its
# ticks printed over each other; the row gave ~180x125). Where that leaves the formulas less
# than PRESENTING_FORMULA_LINES lines (a shorter window, a banner on a shorter one) the row
# it is: the plot readable comes before the diagram's every unit.
PRESENTING_BESIDE_PLOT = 0.38
PRESENTING_BESIDE_PLANE_PX = 125
# Of the row, the formulas beside it: at 1024x768 the plot ~245 px wide (its plane a little
# under 1:1 height), the formulas ~395 (at 0.5 they had ~350, and a table's row wrapped).
PRESENTING_PLOT_SHARE = 0.38
# Presentation mode's formulas: paragraphs a third of a line apart (Qt's 12 px above and below
# each, at ~8 paragraphs a stage, took ~4 of the few lines the text has on a projector).
COMPACT_CSS = "p { margin-top: 0px; margin-bottom: 4px; } table { margin: 0px; }"
_SAME_DIGITS = str.maketrans("123456789", "000000000")
LABEL_GLYPHS = "0123456789.-=eaxδ"  # all a node label's glyphs: its box's height
# An input's label names its feature ("x1=0.792") where the name is this short ("width="),
# else x1, x2 (an imported file's "sepal length (cm)=" left no room for the number).
INPUT_NAME_MOST = 8
# The inputs' labels go beside their nodes when that leaves them this share of the labels' size
# (else above them, to the right, as the other columns').
BESIDE_AT_LEAST = 0.85
# A node label's size, of the text's: the text's own (0.85 read smaller than the words about
# it, 7.65 pt beside 9); 0.85 where the text is larger (View > Text size, presentation mode),
# the layouts' for it: at the full size the notebook's 2-4-10-4-1 network drew 3 of hidden 2's
# 10 units in presentation mode at 1024x768. (least_pt keeps them legible there.)
LABEL_SHARE, LARGE_LABEL_SHARE = 1.0, 0.85
# The plot and the diagram before the run's first frame (a first compile, a session opening):
# no axes of an empty plane, nor an empty diagram's frame (review r25 F9).
WAITING_POINTS = "The training points appear here with the run's first numbers."
WAITING_NETWORK = "The network appears here with the run's first numbers."
# "Size points by their pull": the markers PULL_LEAST_PX to PULL_MOST_PX (times the text's
# scale) across, the largest PULL_MOST_SHARE of the plot's shorter side at most. In presentation
# mode at 1024x768 the largest were 35 px on a 223x128 px plane, and covered it.
PULL_LEAST_PX, PULL_MOST_PX, PULL_MOST_SHARE = 4.0, 22.0, 0.11
MAX_LISTED = 5000  # training points in the list (all of them can still be clicked)
# The probe's share of the worker's time while training runs. At 200 points its trace takes
# ~0.5 ms CPU on a point's stage and ~1.3 ms with the batch (at 100,000 points ~1 and ~31 ms):
# at 3% it ran ~15 times a second at best.
BUDGET = 0.06
# Its balance keeps what the budget earns in a quarter second (inspect.Throttled's bank_s, as
# views.GRADIENT_BANK_S): a point's stage at 100,000 points costs ~1 ms a call, but one in a few
# takes 5-10 ms on a busy machine, which left the next frames on old numbers.
BANK_S = 0.25


def num(v: float, digits: int = 4) -> str:
    """A number for a formula: 4 significant digits (``digits``: more, see ``written``),
    negative ones in parentheses when they are a factor (``fac``). A value just inside 1 or -1
    gets the digits that say it is not 1: a saturated unit read "a = sigmoid(z) = sigmoid(9.949)
    = 1", and a sigmoid never reaches 1 (0.99995 here; float32's own 1.0, at z of ~17 and more,
    is written 1)."""
    v = float(v)
    if v == 0:
        return "0"
    text = f"{v:.{digits}g}"
    for more in range(digits + 1, max(digits + 1, 9)):
        if abs(v) >= 1 or abs(float(text)) != 1:
            break
        text = f"{v:.{more}g}"
    return text


def fac(v) -> str:
    """A factor: ``num``, negative ones in parentheses; a number already written as it is."""
    s = v if isinstance(v, str) else num(v)
    return f"({s})" if s.startswith("-") else s


MOST_DIGITS = 12  # a formula's numbers, at most (float32's own numbers have ~7)


def written(result: float, values, combine) -> list[str]:
    """``values`` written for a formula whose result, ``num(result)``, they give: with 4
    significant digits, or as many more (MOST_DIGITS at most) as it takes for ``combine`` of the
    written numbers to read as the result. A student works with the numbers shown: the loss
    read "(a − t)² = (0.9999 − 1)² = 4.567e-09", where (0.9999 − 1)² is 1e-08 (a was 0.99993:
    its difference from t needs a's 8th digit); a product of two 4-digit numbers can miss its
    result's 4th digit. An entry that is a str is a number already written, kept as it is."""
    shown = num(result)

    def gives(texts) -> bool:
        with np.errstate(all="ignore"):
            try:
                got = float(combine(*(float(t) for t in texts)))
            except (ValueError, ZeroDivisionError, OverflowError):
                return True  # (nothing to read: as they are)
        return not math.isfinite(got) or num(got) == shown

    def at(digits) -> list[str]:
        return [v if isinstance(v, str) else num(v, d) for v, d in zip(values, digits)]

    n = len(values)
    texts = at([4] * n)
    if gives(texts):
        return texts
    # The fewest digits: one number longer (a, not t and 1 − a beside it), else all of them.
    for digits in range(5, MOST_DIGITS + 1):
        for i in range(n):
            if not isinstance(values[i], str):
                one = at([digits if k == i else 4 for k in range(n)])
                if gives(one):
                    return one
        texts = at([digits] * n)
        if gives(texts):
            return texts
    return texts


def num_pair(a: float, b: float) -> tuple[str, str]:
    """Two numbers that differ written with as many significant digits (4 at least) as it takes
    for them to read differently: a step of -0.00011 on a weight of -2.595 read "from -2.595 to
    -2.595" at 4 digits."""
    a, b = float(a), float(b)
    for digits in range(4, 18):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb or a == b:
            break
    return ("0" if a == 0 else sa), ("0" if b == 0 else sb)


def shown_terms(sizes, most: int = MAX_TERMS) -> list[int]:
    """The indices of a sum's terms written out: all of them, or the ``most`` largest; in index
    order either way, so that every stage lists w₁, w₂, … top to bottom alike."""
    sizes = np.abs(np.asarray(sizes, np.float64))
    return sorted(np.argsort(-sizes, kind="stable")[:most].tolist())


def label_style(values, digits: int, exponent: bool | None = None) -> tuple[str, int]:
    """How a column's node labels write their numbers, all alike: fixed decimals that give the
    column's largest value ``digits`` significant digits ("0.570" beside "0.236" and "0.099",
    where "0.57" stood beside "0.2786"), or the exponent form with ``digits`` significant
    digits, 3 at most ("-6.0e-5"). ``exponent`` None: the exponent form where fixed decimals
    would not do -- the column's largest value under 1e-4 (where the formulas' ``num``, "%g",
    takes it too) or from 1e5 on; the node diagram decides it for all its columns at once
    (needs_exponent), so that one stage's δ read alike ("δ=-4.32e-3" stood beside
    "δ=-0.00347", a column's largest 0.0087 against the next one's 0.0128)."""
    sizes = [abs(v) for v in values if math.isfinite(v)]
    top = max(sizes, default=0.0)
    if exponent is None:
        exponent = needs_exponent(values)
    if exponent:  # three digits at most: "δ=-6.638e-4" ran long
        return ("e", max(min(digits, 3) - 1, 0))
    if top == 0:
        return ("f", max(digits - 1, 0))
    return ("f", max(digits - 1 - math.floor(math.log10(top)), 0))


def needs_exponent(values) -> bool:
    """Whether fixed decimals cannot write ``values``: the largest under 1e-4 (0.0000123 is
    hard to read) or from 1e5 on."""
    top = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    return top != 0 and (top < 1e-4 or top >= 1e5)


def label_number(v: float, style: tuple[str, int]) -> str:
    """``v`` written as ``label_style`` says ("-0.000" without its sign)."""
    v = float(v)
    if not math.isfinite(v):
        return f"{v}"
    kind, places = style
    if kind == "e":
        if v == 0:
            return "0"
        mantissa, exponent = f"{v:.{places}e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    text = f"{v:.{places}f}"
    return text.lstrip("-") if float(text) == 0 else text


# What each stage's hand-built numbers were compared with: the Check's field and its words
# (the update against optax's update, not jax.grad).
CHECKED_AGAINST = {
    "forward": ("loss", "the point's loss matches jax's"),
    "loss": ("loss", "the point's loss matches jax's"),
    "delta": ("point", "∂L/∂w = δ·a matches jax.grad"),
    "grad": ("point", "∂L/∂w matches jax.grad"),
    "batch": ("batch", "batch gradient matches jax.grad"),
    "update": ("update", "update matches optax's"),
}
NEXT_FRAME = "checked with the next frame"
JAX_ALONE = "the batch gradient is jax's alone (too big to build by hand)"
OTHER_FAILS = " · another stage's check fails"
DIVERGED = "the weights or the loss are not finite (a diverged run): nothing to check"


def check_text(words: str, diff: float, ok: bool, colour: str, others_fail: bool) -> str:
    """The check line: ✓ or ✗, what was compared, by how much they differ ("exactly" for no
    difference: plain gradient descent's update is optax's to the last bit, and "to 0.0e+00"
    read as a number to compare with)."""
    by = "exactly" if diff == 0 else f"to {diff:.1e}"
    return (f"<span style='color:{colour}'>{'✓' if ok else '✗'} {words} {by}</span>"
            f"{OTHER_FAILS if ok and others_fail else ''}")


def _shades(values, column) -> list[int]:
    """The heat scale's index (0-255) of each of ``values``, as ``diverging_colour`` with the
    largest finite size in ``column`` as its scale. Plain floats: a column has a few dozen
    numbers, where each numpy call costs more than the arithmetic (~0.7 ms a frame)."""
    sizes = [abs(v) for v in column.tolist() if math.isfinite(v)]
    scale = max(max(sizes), 1e-12) if sizes else 1.0
    out = []
    for v in values.tolist():
        ratio = v / scale
        ratio = 0.0 if math.isnan(ratio) else min(max(ratio, -1.0), 1.0)
        out.append(round(127.5 + 127.5 * ratio))
    return out


def _of_network(result, spec) -> bool:
    """Whether ``result``'s trace is of a network of ``spec``'s shape (a throttled probe can
    hand out the numbers of the network before a new preset)."""
    sizes = spec.layer_sizes
    params = result.trace.params
    return len(result.trace.layers) == len(params) == len(sizes) - 1 and all(
        np.shape(w) == (sizes[i], sizes[i + 1]) for i, (w, _) in enumerate(params))


def diagram_colours() -> dict[str, QColor]:
    """The diagram's outlines, empty nodes and node labels in the theme's colours, as the
    Network view's: fixed greys and a white label box were drawn on the dark theme too, the
    outlines barely off its ground (contrast 1.5 to 2.4, the selected node's black 1.1)."""
    t = colors.theme()
    return {
        "node": QColor(*t.axis),
        "bias": QColor(*colors.mix(t.axis, t.text, 0.5)),  # the small squares a little bolder
        "selected": QColor(*t.text),
        "blank": QColor(*t.neutral),  # no numbers yet
        # Over the links, opaque: at 215/255 the hidden columns' links showed through the
        # labels ("a=0.5153" on orange lines, r3 #11); the links pass under a label's box.
        "label box": QColor(*t.background),
        "label": QColor(*t.text),
    }


PULL_TIP = ("Draw every training point as large as its own gradient ||∂Lₙ/∂θ|| (per-example "
            "gradients, vmap of grad): the points that pull hardest on the weights now.")

class BackpropCanvas(NetworkCanvas):
    """The network diagram with a stage's numbers: ``set_stage`` gives the links' values (in
    the place of the weights) and each node's value and label."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.node_values: list[np.ndarray] = []  # per column (input first)
        self.node_name = "a"
        self.link_name = "w"
        self.focus: np.ndarray | None = None  # per column: units to prefer when a layer is wide
        self._fonts = None  # (key, the node labels' fonts) of the last paint
        self.labels_drawn: list[tuple[int, int, QRectF, str]] = []  # (column, k, box, text)
        self._fit = MAX_SHOWN  # units a column shows at most at this height (_fit_units)
        self._force_choice = False  # set_stage: choose the units shown anew (_choice_due)
        self.lanes: list[float] = []  # per column: its labels' lane right of its nodes, or 0
        self.more: dict[int, tuple[int, float]] = {}  # see _place
        self.more_drawn: list[tuple[int, QRectF, str]] = []  # (column, box, "+3 more")

    def set_stage(self, spec, link_values, node_values, node_name: str, link_name: str) -> None:
        kept = self.node_values, self.node_name, self.link_name
        self.node_values, self.node_name, self.link_name = node_values, node_name, link_name
        self._force_choice = True
        try:
            self.set_state(spec, link_values, None)
        except ValueError:  # links of another network: the diagram stays as it was, whole
            self.node_values, self.node_name, self.link_name = kept
            self._force_choice = False
            raise

    def _choose_units(self) -> None:
        # The selected unit, then the units with the largest stage value, in order; as many
        # as the column has room for (_fit_units).
        sizes = self.spec.layer_sizes
        shown = []
        most = min(MAX_SHOWN, self._fit)
        for c, n in enumerate(sizes):
            if n <= most:
                shown.append(np.arange(n))
                continue
            score = np.abs(np.nan_to_num(self.node_values[c])) if c < len(self.node_values) \
                else np.zeros(n)
            score = score.astype(np.float64).copy()
            if self.selected is not None and self.selected[0] == c - 1:
                score[self.selected[1]] = np.inf
            shown.append(np.sort(np.argpartition(-score, most)[:most]))
        self.shown = shown
        import time
        self._shown_at = time.monotonic()

    def _choice_due(self) -> bool:
        # Every stage's numbers choose the units again (the selected one and the largest). This
        # is asked inside set_state, after it compared the new network with the old: choosing
        # them beforehand (setting the new spec first) hid a new shape from it, which kept the
        # old one's node positions -- one output's -- for a network of three (an IndexError in
        # the paint, which PySide6 6.11 turned into a segfault: NetworkCanvas.eventFilter).
        due, self._force_choice = self._force_choice, False
        return due

    def _paint_nodes(self, p: QPainter) -> None:
        # Few painter calls and no QColor made per node: the colours are the heat scale's
        # (as diverging_colour's), looked up for a column at once; the outlines in one call.
        look = diagram_colours()
        border, bias_border = QPen(look["node"], 1), QPen(look["bias"], 1)
        heat = colors.heat_qcolors()
        blank = look["blank"]
        small = self._label_font()
        labels = []
        selected_rect = None
        p.setBrush(Qt.BrushStyle.NoBrush)
        for c, units in enumerate(self.shown):
            layer = c - 1
            vals = self.node_values[c] if c < len(self.node_values) else None
            s = self.node_size[c]
            centres = self.centres[c].tolist()
            rects = [QRectF(x - s / 2, y - s / 2, s, s) for x, y in centres]
            if vals is not None:
                shown = np.asarray(vals, np.float64)[units]
                fills = self._probability_fills(c, units, shown)
                if fills is None:
                    fills = [heat[shade] for shade in _shades(shown, vals)]
                for r, fill in zip(rects, fills):
                    p.fillRect(r, fill)
                labels += [(c, k, layer, v) for k, v in enumerate(shown.tolist())]
            else:
                for r in rects:
                    p.fillRect(r, blank)
            if self.selected is not None and self.selected[0] == layer:
                where = np.flatnonzero(units == self.selected[1])
                if len(where):
                    selected_rect = rects[int(where[0])]
            p.setPen(border)
            p.drawRects(rects)
            if layer >= 0 and self.params is not None:
                b = max(6.0, s * 0.3)  # as bias_rect
                bias_rects = [QRectF(x - s / 2 - b * 0.7, y + s / 2 - b * 0.6, b, b)
                              for x, y in centres]
                biases = np.asarray(self.params[layer][1], np.float64)
                for br, shade in zip(bias_rects, _shades(biases[units], biases)):
                    p.fillRect(br, heat[shade])
                p.setPen(bias_border)
                p.drawRects(bias_rects)
        if selected_rect is not None:
            p.setPen(QPen(look["selected"], 3))
            p.drawRect(selected_rect)
        # The labels last, each in the link-free strip above its own node (the inputs' beside
        # theirs, in the left margin), never over a node or a neighbour column's labels: above
        # and to the right they lay on the next column's nodes ("a=0.57" on a hidden-3 node)
        # and the output's on its links. One format per column (label_style).
        self._label_fonts(labels, small)
        formats, drawn = self._fonts[1], self._fonts[2]
        box_colour, ink = look["label box"], look["label"]
        sel = self.selected
        width_right = self.width() - 2
        p.setPen(ink)
        self.labels_drawn = []
        for c, k, layer, v in labels:
            beside, prefix, style = formats[c][1:]
            bold = sel is not None and sel[0] == layer and int(self.shown[c][k]) == sel[1]
            font, metrics = drawn[c][bold]
            text = self._label_text(layer, v, prefix, style, int(self.shown[c][k]))
            width = metrics.horizontalAdvance(text) + 6
            tight = metrics.tightBoundingRect(LABEL_GLYPHS)  # no descenders: a tight box
            height = tight.height() + 4
            x, y = self.centres[c][k]
            s = self.node_size[c]
            if beside and self._lane(c):  # a tall column's: right of its node
                box = QRectF(x + s / 2 + PILL_GAP, y - height / 2, width, height)
            elif beside:  # an input: left of its node
                box = QRectF(x - s / 2 - width - 4, y - height / 2, width, height)
            else:  # above its node, centred (the selected outline's 1.5 px clear)
                box = QRectF(x - width / 2, y - s / 2 - 2 - height, width, height)
                box.moveLeft(min(max(box.left(), 2.0), width_right - width))
            p.fillRect(box, box_colour)
            p.setFont(font)
            p.drawText(QPointF(box.left() + 3, box.top() + 2 - tight.top()), text)
            self.labels_drawn.append((c, k, box, text))
        self.more_drawn = []
        more_font = QFont(small)
        more_font.setItalic(True)
        p.setFont(more_font)
        metrics = QFontMetricsF(more_font)
        for c, (more, y) in self.more.items():
            text = f"+{more} more"
            x = self.centres[c][0, 0] - self.node_size[c] / 2
            box = QRectF(x, y - metrics.height() / 2, metrics.horizontalAdvance(text) + 4,
                         metrics.height())
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            self.more_drawn.append((c, box, text))

    def _probability_fills(self, c: int, units, values) -> list[QColor] | None:
        """The output's activations, where they are probabilities, in the colours they have in
        every other view: a sigmoid's P(class 1) on the decision boundary's scale (class 0's
        colour at 0, class 1's at 1), a softmax's P(class k) from neutral to class k's colour.
        Scaled within its column like the other layers', a lone output was always the scale's
        end: a=0.0034 (class 0) as blue as a=0.9476. None: not such a column."""
        spec = self.spec
        if self.node_name != "a" or spec is None or c != len(self.shown) - 1:
            return None
        probs = np.clip(np.nan_to_num(values, nan=0.5), 0.0, 1.0)
        index = np.rint(255 * probs).astype(int).tolist()
        if spec.output_activation == "sigmoid" and spec.output_dim == 1:
            heat = colors.heat_qcolors()
            return [heat[i] for i in index]
        if spec.output_activation == "softmax":
            return [QColor(*(int(v) for v in colors.class_lut(int(k))[i]))
                    for k, i in zip(np.asarray(units).tolist(), index)]
        return None

    def _label_text(self, layer: int, v: float, prefix: bool, style: tuple[str, int],
                    unit: int = 0) -> str:
        """A node's label: "a=0.252" or "0.252" (the stage's words say which value the labels
        are), the number as its column's ``label_style`` writes all of the column's; an
        input's its feature's name, "x1=0.792" (both inputs read "x=", review r27 F5)."""
        number = label_number(v, style)
        if not prefix:
            return number
        return f"{self.node_name if layer >= 0 else self._input_name(unit)}={number}"

    def _input_name(self, unit: int) -> str:
        """Input ``unit``'s name in its label: as the point's list and the plot's axes name it
        (x1, x2, x1², an imported file's "width"), or x1, x2 where the file's name is long."""
        spec = self.spec
        if spec is None or not 0 <= unit < len(spec.feature_names):
            return "x"
        name = spec.feature_names[unit]
        named = feature_label(name, data_names_of(self)[0])
        return named if len(named) <= INPUT_NAME_MOST else feature_label(name)

    def _widest_input_name(self) -> str:
        spec = self.spec
        names = [self._input_name(u) for u in range(len(spec.feature_names))] \
            if spec is not None else []
        return max(names, key=len, default="x1")

    def _label_fonts(self, labels, small: QFont) -> dict[int, tuple[QFont, bool, bool, tuple]]:
        """Per column, the font its node labels fit their room in (least_pt at the least), whether
        they go beside the node (the inputs, when the margin holds them) rather than above it,
        whether they carry the value's name ("a=") and the column's number style. The longest
        forms that fit whole at ``small`` are taken: the name on every layer's labels or on
        none ("x=1.63" beside bare "0.236" beside "a=0.9596" read as three kinds of number),
        then per column 4 or 3 significant digits with the name, 4 (where whole), 3 or 2
        without (in presentation mode at 1024x768 "a=0.09878" was 6 pt beside 15 pt axes);
        where none
        fits whole, the one drawn largest. The inputs keep their "x1=": bare, among the δ of
        the later stages, they read as δ."""
        values: dict[int, list[float]] = {}
        layers: dict[int, int] = {}
        for c, _k, layer, v in labels:
            values.setdefault(c, []).append(float(v))
            layers[c] = layer
        # (the inputs' longest name: "x1=" and "x2=" fit alike)
        name_unit = max((int(u) for u in (self.shown[0] if self.shown else ())),
                        key=lambda u: len(self._input_name(u)), default=0)
        # (the inputs to 3 digits always: the point's own coordinates, as the point list has)
        # One form for the layers' numbers (the inputs' are another kind): all with an exponent
        # where one column needs it, else all fixed decimals.
        layered = any(needs_exponent(v) for c, v in values.items() if c > 0)
        exponent = {c: None if c == 0 else layered for c in values}
        # (the last: 4 digits without the name, as the formulas write them, where they fit
        # whole; at 1024x768 the labels said 0.658 beside the formulas' 0.6579, review r22)
        forms = {c: ([(True, 3)] if c == 0 else
                     [(True, 4), (True, 3), (False, 3), (False, 2), (False, 4)])
                 for c in values}
        widest = {c: [max((self._label_text(layers[c], v, prefix,
                                           label_style(vals, digits, exponent[c]),
                                           name_unit if c == 0 else 0)
                           for v in vals), key=len) for prefix, digits in forms[c]]
                  for c, vals in values.items()}
        # Fitted once for texts of these shapes: digits are one width (tabular figures), so
        # the fit of "a=0.2519" is that of "a=0.0000"; fitting every frame took ~1/4 of the
        # nodes' paint, and the numbers change with every frame while the run plays.
        key = (tuple((c, tuple(t.translate(_SAME_DIGITS) for t in texts))
                     for c, texts in sorted(widest.items())),
               tuple(self.col_x), tuple(self.node_size), tuple(self.lanes), self.width(),
               small.key())
        if self._fonts is not None and self._fonts[0] == key:
            return self._fonts[1]

        least = self.least_pt()

        def fitted(text: str, room: float) -> tuple[QFont, bool]:
            font = QFont(small)
            font.setBold(True)  # the selected node's label is bold: fit that
            size = small.pointSizeF()
            while size > least:
                font.setPointSizeF(size)
                if QFontMetricsF(font).horizontalAdvance(text) + 6 <= room:
                    break
                size -= 0.5
            font = QFont(small)
            font.setPointSizeF(max(size, least))
            return font, size >= small.pointSizeF()

        def best(c: int, room: float, allowed) -> tuple[QFont, bool, int]:
            """The first allowed form that fits whole, else the one drawn largest (the longer
            of equals)."""
            chosen = None
            for form, text in enumerate(widest[c]):
                if form not in allowed:
                    continue
                font, whole = fitted(text, room)
                if whole:
                    return font, True, form
                if chosen is None or font.pointSizeF() > chosen[0].pointSizeF() + 0.75:
                    chosen = (font, False, form)
            return chosen

        rooms, beside = {}, {}
        for c in values:
            s = self.node_size[c]
            beside[c] = False
            if self._lane(c):  # right of their nodes, in their lane (_place)
                rooms[c], beside[c] = self._lane(c) - PILL_GAP, True
                continue
            if c == 0:  # beside their nodes, in the margin kept for them (_sides)
                room = self.col_x[0] - s / 2 - 5
                font, _, _ = best(c, room, (0,))
                # (fitted in steps of 0.5 pt: one step under the share still counts)
                if font.pointSizeF() >= BESIDE_AT_LEAST * small.pointSizeF() - 0.5:
                    rooms[c], beside[c] = room, True
                    continue
            rooms[c] = self._room_above(c)
        named = all(best(c, rooms[c], (0, 1))[1] for c in values if c > 0)
        out = {}
        for c in values:
            allowed = (0,) if c == 0 else (0, 1) if named else (2, 3)
            font, _, form = best(c, rooms[c], allowed)
            if c > 0 and not named and form == 2:
                # (only where they fit whole at the size the 3 digits have: never smaller)
                four = best(c, rooms[c], (4,))
                if four[1]:
                    font, form = four[0], 4
            prefix, digits = forms[c][form]
            out[c] = (font, beside[c], prefix, label_style(values[c], digits, exponent[c]))
        drawn = {}
        for c, (font, *_rest) in out.items():
            bold = QFont(font)
            bold.setBold(True)
            drawn[c] = ((font, QFontMetricsF(font)), (bold, QFontMetricsF(bold)))
        self._fonts = (key, out, drawn)
        return out

    def _lane(self, c: int) -> float:
        return self.lanes[c] if c < len(self.lanes) else 0.0

    def _node_x(self, c: int) -> float:
        centres = self.centres[c]
        return float(centres[0, 0]) if len(centres) else float(self.col_x[c])

    def _room_above(self, c: int) -> float:
        """The width a label centred above a node of column ``c`` may take: clear of the
        neighbour columns' nodes (and the next one's bias squares, left of its nodes) and of
        their labels, centred as these are (or beside their nodes, in their lane); inside the
        widget."""
        sizes = self.node_size
        x = self._node_x(c)
        halves = [x - 2.0, self.width() - 2.0 - x]
        if c > 0:
            gap = x - self._node_x(c - 1)
            halves += [gap - sizes[c - 1] / 2 - self._lane(c - 1) - 3]
            if not self._lane(c - 1):
                halves.append((gap - 4) / 2)
        if c + 1 < len(self.col_x):
            gap = self._node_x(c + 1) - x
            s = sizes[c + 1]
            halves.append(gap - s / 2 - 0.7 * max(6.0, 0.3 * s) - 3)
            if not self._lane(c + 1):
                halves.append((gap - 4) / 2)
        return 2 * max(min(halves), 1.0)

    def _label_share(self) -> float:
        from .look import text_ratio
        return LABEL_SHARE if text_ratio(self) <= 1.0 else LARGE_LABEL_SHARE

    def _label_font(self, bold: bool = False) -> QFont:
        """A node label's font: the diagram's (the text's size, see LABEL_SHARE; smaller only
        where a column has not the room: _label_fonts), 7 pt at the least (bold: the selected
        node's, the largest a label gets)."""
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * self._label_share()))
        small.setBold(bold)
        return small

    def _lane_for(self, gap: float, node: float) -> float:
        """The lane a column of nodes ``node`` px, ``gap`` px from its neighbours, has for its
        labels beside them (PILL_GAP included): as wide as a named label ("δ=-0.0000") where
        the gap has room, as a bare one ("-0.000", a little smaller) at the least, with LINK_PX
        of links in sight on either side; 0 where even that does not fit."""
        small = self._label_font(bold=True)
        want = QFontMetricsF(small).horizontalAdvance("δ=-0.0000") + 6
        least_font = QFont(small)
        least_font.setPointSizeF(small.pointSizeF() * BESIDE_AT_LEAST)
        least = QFontMetricsF(least_font).horizontalAdvance("-0.000") + 6
        bias = 0.7 * max(6.0, 0.3 * node)
        room = gap - node - bias - 2 * LINK_PX - PILL_GAP
        return PILL_GAP + min(want, room) if room >= least else 0.0

    def _step_beside(self) -> float:
        """A unit's height in a column whose labels are beside its nodes."""
        bias_below = 0.4 * 6.0  # a MIN_NODE node's bias square, under its bottom edge
        return max(self._label_height() + 1, MIN_NODE + bias_below + PILL_STEP_CLEAR)

    def _step_above(self) -> float:
        """A unit's height in a column whose labels are above its nodes."""
        return self._label_height() + 2 + MIN_NODE + 0.4 * 6.0 + NODE_CLEAR

    def _column_gap(self) -> float:
        return (self.col_x[1] - self.col_x[0]) if len(self.col_x) > 1 else float(self.width())

    def _input_label_px(self) -> float:
        """The width an input's label ("x1=-0.000", bold) takes beside its node at the least
        (BESIDE_AT_LEAST of the labels' size: _label_fonts' test, _sides' margin)."""
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * self._label_share() * BESIDE_AT_LEAST))
        small.setBold(True)
        return QFontMetricsF(small).horizontalAdvance(f"{self._widest_input_name()}=-0.000") + 6

    def _inputs_beside(self, node: float | None = None) -> bool:
        """Whether the inputs' labels go beside their nodes, in the left margin (_label_fonts),
        for nodes ``node`` px (the column's as placed): then two inputs need a step as a
        hidden column's whose labels are beside (_step_beside), not room for a label above
        each node. Counted as above, the notebook's two inputs 42 px apart (43 needed) held
        every column to two units: at 1024x768 in presentation mode under a four-line lesson
        banner the diagram read "hidden 1: 4 sigmoid (2 shown)" in a 190 px band where the
        hidden columns' labels beside their nodes had room for four (review r25 F5)."""
        if not len(self.col_x):
            return False
        if node is None:
            node = self.node_size[0] if getattr(self, "node_size", None) else MIN_NODE
        return self.col_x[0] - node / 2 - 5 >= self._input_label_px() - 1

    def _step_for(self, c: int, wide: bool) -> float:
        """The least step between two units of column ``c``: a hidden column's labels beside
        its nodes where the columns are ``wide`` (_lane_for); the inputs' beside theirs where
        the margin holds them; else a label above each node."""
        last = len(self.spec.layer_sizes) - 1
        if (wide and 0 < c < last) or (c == 0 and self._inputs_beside(MIN_NODE)):
            return self._step_beside()
        return self._step_above()

    def _headers_bottom(self) -> float:
        return max((r.bottom() for r, _, _ in self.titles()), default=0.0)

    def _every_unit_height(self) -> float:
        """height_for_every_unit, of the geometry as it is (see there)."""
        gap = self._column_gap()
        wide = self._lane_for(gap, PILL_NODE) > 0
        # the headers on two lines (the "(8 shown)" of a partial column's third gone, unless
        # a layer is wider than MAX_SHOWN)
        lines = 3 if max(self.spec.layer_sizes) > MAX_SHOWN else 2
        heads = max((r.top() + lines * QFontMetricsF(f).lineSpacing()
                     for r, f, _ in self.titles()), default=0.0)
        above, beside = self._step_above(), self._step_beside()
        small = QFont(self.font())  # (as NetworkCanvas._geometry)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        top = max(44.0, 2 * QFontMetricsF(small).lineSpacing() + 12, heads + self._under_titles())
        tallest = 0.0
        for c, n in enumerate(self.spec.layer_sizes):
            n = min(n, MAX_SHOWN)
            if n < 2:
                continue
            need = top + n * above + 14
            if wide and 0 < c < len(self.spec.layer_sizes) - 1:
                need = min(need, heads + PILL_TOP + n * beside + PILL_BOTTOM)
            elif c == 0 and self._inputs_beside(MIN_NODE):
                need = top + n * beside + 14
            tallest = max(tallest, need)
        return tallest + 1 if tallest else 0.0

    def height_for_every_unit(self) -> int:
        """The height at which each column, at this width, draws every unit of its layer (up
        to MAX_SHOWN), labels beside where above they do not fit: the headers, the tallest
        column and the bottom margin."""
        if self.spec is None or self.params is None or self.width() <= 0:
            return 0
        if self._geometry_dirty or not getattr(self, "centres", None):
            self._geometry()
        return int(np.ceil(self._every_unit_height()))

    def _label_height(self) -> float:
        """The height of a node label's box at its largest (bold: the selected node's)."""
        return QFontMetricsF(self._label_font(bold=True)).tightBoundingRect(LABEL_GLYPHS) \
            .height() + 4

    def _under_titles(self) -> float:
        # the first nodes' labels go above them: under the headers too
        return QFontMetricsF(self._label_font()).height() + 6

    def _sides(self) -> tuple[float, float]:
        # Left: room for the inputs' labels beside their nodes ("x=-0.464", at least
        # BESIDE_AT_LEAST of the labels' size;
        # above them, at 1024x768 in presentation mode, they were 6.7 pt and ran into the
        # first hidden layer's bias squares), but at most 22% of the width. Right: the
        # output's label goes above its node, so the margin is small (more room between the
        # columns for their labels).
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * self._label_share() * BESIDE_AT_LEAST))
        small.setBold(True)
        label = QFontMetricsF(small).horizontalAdvance(f"{self._widest_input_name()}=-0.000") + 6
        cols = max(len(self.shown), 1)
        w = float(self.width())
        right = 10.0
        left = 46.0
        for _ in range(2):  # the nodes' size depends on the columns' spacing
            gap = (w - left - right) / cols
            node = min(gap * 0.42, 52.0)
            need = label + 5 + node / 2 + 2  # the first column's centre, from the left edge
            # the first column's centre is left + gap / 2
            left = max(46.0, min((need - (w - right) / (2 * cols)) / (1 - 1 / (2 * cols)),
                                 0.22 * w))
        return left, right

    def _geometry(self) -> None:
        self._place()
        if self._fit < MAX_SHOWN and self._every_unit_fits():
            return
        # A column whose labels and nodes do not fit shows fewer units (the selected one and
        # the most telling, as a wide layer does; its header says how many): in presentation
        # mode at 1024x768 the ten hidden-2 nodes were 10 px squares, each wedged between its
        # label and the next one's, which hid them.
        for _ in range(MAX_SHOWN):
            fit = self._fit_units()
            if fit == self._fit:
                break
            self._fit = fit
            before = [len(u) for u in self.shown]
            self._choose_units()
            if [len(u) for u in self.shown] == before:
                break
            self._links = self._compute_links()
            self._place()

    def _every_unit_fits(self) -> bool:
        """Whether every unit (up to MAX_SHOWN) fits, its header a line shorter ("(7 shown)"
        gone) than now, where fewer are shown: then they are shown (else as before)."""
        kept = self._fit
        self._fit = MAX_SHOWN
        self._lay_out_units()
        wide = self._lane_for(self._column_gap(), PILL_NODE) > 0
        fits = all(float(c[1, 1] - c[0, 1]) >= self._step_for(k, wide)
                   for k, c in enumerate(self.centres) if len(c) > 1)
        if not fits:
            self._fit = kept
            self._lay_out_units()
        return fits

    def _lay_out_units(self) -> None:
        """The units shown for ``_fit``, their links and their places."""
        self._choose_units()
        self._links = self._compute_links()
        self._place()

    def _fit_units(self) -> int:
        """How many units a column has room for (at most MAX_SHOWN), each label above its
        node, the node at least MIN_NODE, and NODE_CLEAR between the label and the node
        above (so that the label reads as its own node's) -- or, where the columns are wide
        enough (_lane_for), a hidden layer's labels beside its nodes."""
        wide = self._lane_for(self._column_gap(), PILL_NODE) > 0  # labels beside, if need be
        fit = MAX_SHOWN
        for c, (units, centres) in enumerate(zip(self.shown, self.centres)):
            if len(centres) < 2:
                continue
            step = float(centres[1, 1] - centres[0, 1])
            need = self._step_for(c, wide)
            if step < need:  # too many for this column: as many as its room holds
                fit = min(fit, max(2, int(step * len(centres) / need)))
            elif len(units) == self._fit:  # room to spare: one more, if that fits too
                fit = min(fit, max(self._fit, int(step * len(centres) / need)))
        return fit

    def _place(self) -> None:
        super()._geometry()
        if any(len(u) < n for u, n in zip(self.shown, self.spec.layer_sizes)):
            # room for a third title line
            self.centres = [np.column_stack([c[:, 0], 12 + c[:, 1] * (1 - 12 / max(self.height(), 1))])
                            for c in self.centres]
        # Each node's label goes above it: the nodes leave it room under the node above and
        # its bias square (8 px nodes at the least) -- or, in a column too tall for that but
        # wide enough, beside it (PILL_GAP): the node and its label centred on the column.
        label = self._label_height()
        gap = self._column_gap()
        self.lanes = [0.0] * len(self.centres)
        self.more = {}  # column: (units not drawn, the "+N more" line's centre)
        for c, centres in enumerate(self.centres):
            if len(centres) < 2:
                continue
            step = float(centres[1, 1] - centres[0, 1])
            if 0 < c < len(self.centres) - 1 and step < self._step_above():
                lane = self._lane_for(gap, PILL_NODE)
                if lane:
                    # no label above its first node: the column's nodes from just under the
                    # headers (PILL_TOP), to the others' last
                    # A layer drawn in part ends in a "+3 more" of its own slot, under its
                    # last unit: what the column leaves out is said where it is missing.
                    n = len(centres)
                    more = int(self.spec.layer_sizes[c]) - n
                    top = min(self._headers_bottom() + PILL_TOP, float(centres[0, 1]) - step / 2)
                    bottom = self.height() - PILL_BOTTOM
                    step = (bottom - top) / (n + (more > 0))
                    centres = np.column_stack([centres[:, 0], top + step * (np.arange(n) + 0.5)])
                    if more > 0:
                        self.more[c] = (more, top + step * (n + 0.5))
                    s = min(gap * 0.42, step - 0.4 * 6.0 - PILL_STEP_CLEAR, PILL_NODE)
                    if step >= self._step_beside():  # (not 15.999...)
                        s = max(s, MIN_NODE)
                    self.node_size[c] = max(s, 8.0)
                    self.lanes[c] = lane
                    self.centres[c] = centres - np.array([lane / 2, 0.0])
                    continue
            if c == 0 and self._inputs_beside(MIN_NODE):
                # the inputs' labels beside them: a node as tall as its step leaves (no bias
                # square), as wide as the margin still holds its label
                s = min(step - PILL_STEP_CLEAR - 2, PILL_NODE,
                        2 * (float(self.col_x[0]) - 5 - self._input_label_px() + 1))
                self.node_size[c] = max(min(self.node_size[c], s), min(self.node_size[c], 8.0))
                continue
            room = step - label - 2 - NODE_CLEAR
            s = room - 2.4 if room - 2.4 < 20 else room / 1.12  # the bias: 0.4 * max(6, 0.3 s)
            self.node_size[c] = max(min(self.node_size[c], s), min(self.node_size[c], 8.0))

    def _describe(self, item) -> str:
        spec = self.spec
        if item[0] == "w":
            _, layer, i, j = item
            return (f"{self.link_name} of the link from {neuron_label(spec, layer - 1, i, data_names_of(self))}\n"
                    f"to {neuron_label(spec, layer, j, data_names_of(self))}: {self.value_of(item):+.5g}\n"
                    "click: its formulas")
        if item[0] == "b":
            return (f"{self.link_name} of the bias of {neuron_label(spec, item[1], item[2], data_names_of(self))}: "
                    f"{self.value_of(item):+.5g}")
        _, layer, unit = item
        v = self.node_values[layer + 1][unit] if layer + 1 < len(self.node_values) else None
        name = self.node_name if layer >= 0 else self._input_name(unit)
        text = neuron_label(spec, layer, unit, data_names_of(self))
        if v is not None:
            text += f"\n{name} = {float(v):+.6g}"
        return text + "\nclick: its formulas"


class PointCombo(QComboBox):
    """The list of training points ("#12  x1=0.52, x2=-0.31  class 1"). Narrower than its
    current item, it shows that item shortened by whole parts -- the class, then the
    coordinates -- never cut mid-number ("#0  x1=1.63, x2=-" at 1024x768 in presentation
    mode); it asks for its longest item's width, and at least for the index's."""

    def _forms(self, text: str) -> list[str]:
        parts = text.split("  ")
        if len(parts) < 3:
            return [text]
        return [text, "  ".join(parts[:-1]), f"{parts[0]}  {parts[-1]}", parts[0]]

    def _frame(self, width: int) -> int:
        return combo_width(self, width)

    def _longest(self) -> str:
        n = self.count()
        if getattr(self, "_longest_of", None) != (n, self.itemText(0) if n else ""):
            # digits are one width: the longest item is the widest
            self._longest_text = max((self.itemText(i) for i in range(n)), key=len, default="")
            self._longest_of = (n, self.itemText(0) if n else "")
        return self._longest_text

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        hint = super().sizeHint()
        text = self._longest()
        return QSize(self._frame(self.fontMetrics().horizontalAdvance(text) + 2), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        hint = super().minimumSizeHint()
        index = self._forms(self._longest())[-1] or "#0000"
        return QSize(self._frame(self.fontMetrics().horizontalAdvance(index) + 2), hint.height())

    def shown_text(self) -> str:
        """The current item as drawn: whole, or shortened to fit."""
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()
        fm = self.fontMetrics()
        forms = self._forms(opt.currentText)
        return next((f for f in forms if fm.horizontalAdvance(f) + 2 <= room), forms[-1])

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        paint_combo(self, self.shown_text())


class _Column(QSplitter):
    """A splitter that tells the view when its size changes (the plot above the formulas; the
    column beside, or in presentation mode above, the diagram)."""

    def __init__(self, resized, orientation=Qt.Orientation.Vertical) -> None:
        super().__init__(orientation)
        self._resized = resized

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._resized()


class BackpropView(QWidget):
    """The "backprop" view."""

    point_selected = Signal(int)
    settings_changed = Signal()

    def __init__(self, window=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self.extras_key = "backprop"
        # The probe knows the stage on screen: while the run plays it computes what that stage
        # shows (the batch only for the batch and update stages; backprop.STAGE_PARTS).
        self.probe = backprop.BackpropProbe(stage=STAGES[0])
        self.snapshot = None
        self.result: backprop.BackpropResult | None = None
        # The snapshot ``result`` was computed with: its network and its settings are the ones
        # the trace's numbers are of. ``snapshot`` (the last frame) can be of another network
        # while its numbers have not come yet (the tab shown for a moment after a new preset).
        self._result_snapshot = None
        self.stage = 0
        self.unit: tuple[int, int] | None = None  # (layer, unit) whose formulas are written
        self._data = None
        self._drawn_result = None
        self._asked = None  # the epoch whose fresh numbers were asked for
        self._formulas_of = None  # (stage, unit) of the formulas shown
        self._written = None  # (stage, trace, spec) of the formulas written (_write_formulas)
        self._formulas_source: str | None = None  # their html, products whole (_set_formulas)
        self._formulas_html = None
        # (key, px, stages measured): the height the tallest of the selected unit's stage
        # texts takes in the formulas' box (_texts_need)
        self._texts_px: tuple | None = None

        # The title, the check and the stage's name wrap rather than widen the window: in one
        # row with the point's list they asked for ~760 px, and at 1024x768 the window came out
        # 1,160 px wide (1,201 in presentation mode). Each has room for the longest of the texts
        # it may show (TextRoom), so the diagram below stays put from stage to stage, and the
        # texts that change with every frame (the epoch, the check's difference) lay nothing out.
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title_room = TextRoom(self.title)
        # As least-tall as its lines at the width it has (TextRoom.least_at_width): at its hint's
        # 120 px it asked six lines, 56 px more than the two it takes, and the Backprop tab
        # made the window 522 px least-tall, more than a 1366x768 screen at 150% (512 px).
        self.title_room.least_at_width()
        self.points = PointCombo()
        self.points.setToolTip("The training point to follow (or click one on the plot).")
        self.points.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.points.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.back = QPushButton("◀ Back")
        self.next = QPushButton("Next ▶")
        self.back.setToolTip("The previous stage.")
        self.next.setToolTip("The next stage: forward, loss, δ, ∂L/∂w, batch gradient, update.")
        self.stage_label = QLabel()
        self.stage_label.setTextFormat(Qt.TextFormat.RichText)
        self.stage_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stage_room = TextRoom(self.stage_label, one_line=True)
        self.stage_room.expect(self._stage_text(k) for k in range(len(STAGES)))
        self.check = QLabel()
        self.check.setTextFormat(Qt.TextFormat.RichText)
        self.check.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.check_room = TextRoom(self.check, one_line=True)
        self._expect_checks()
        self.check.setToolTip("The largest difference of the numbers built by hand here "
                              "(numpy, float64) from jax.grad's (float32) -- the point's "
                              "gradient, the batch gradient -- and of the update from optax's. "
                              "While the run plays, what the stage shows is checked: the "
                              "point's gradient, with the batch and the update on their "
                              "stages; paused, all of them.")
        # The title and the check side by side where both fit on one line, else one above the
        # other (in presentation mode at 1024x768 side by side they took three lines).
        self.head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.head.addWidget(self.title_room, 1)
        self.head.addWidget(self.check_room)
        self.title_room.changed.connect(self._arrange_head)
        self.check_room.changed.connect(self._arrange_head)
        bar = QHBoxLayout()
        self.point_label = QLabel("Point:")
        bar.addWidget(self.point_label)
        bar.addWidget(self.points, 1)
        bar.addSpacing(12)
        bar.addWidget(self.back)
        bar.addWidget(self.stage_room)
        bar.addWidget(self.next)

        self.plot = DecisionPlot(colour_bar=False, fit_markers=True, steady_ticks=True)
        self.plot.setToolTip("Click a training point to follow it through the network.")
        self.plot.show_waiting(WAITING_POINTS)  # until the run's first frame (set_dataset)
        self.plot.setMinimumWidth(PLOT_LEAST)
        self.marker = pg.ScatterPlotItem(size=20, pen=pg.mkPen(colors.text(), width=3),
                                         brush=pg.mkBrush(0, 0, 0, 0), symbol="o")
        self.marker.setZValue(30)
        self.plot.getPlotItem().addItem(self.marker)
        self.pull_points = pg.ScatterPlotItem(pxMode=True)
        self.pull_points.setZValue(12)
        self.plot.getPlotItem().addItem(self.pull_points)
        # Sized here to the plot's room, the scale included (_fit_pulls), not scaled again by
        # presentation mode / the text size (nnviz.gui.presentation.scale_scene).
        self.pull_points.nnviz_fitted = True
        self._pull_share: np.ndarray | None = None  # each point's √(pull / largest)
        self.plot.getPlotItem().getViewBox().sigResized.connect(self._fit_pulls)
        for item in (self.marker, self.pull_points):
            # drawn again only when they change, not with each frame's picture under them
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.pull_box = QCheckBox("Size points by their pull")
        self.pull_box.setToolTip(PULL_TIP)
        self.pull_note = QLabel()
        self.pull_note.setWordWrap(True)
        self.pull_note.hide()  # until it says something: an empty line under the plot
        # (its width from the layout: one elided line in presentation mode, see _show_pull_note)
        self.pull_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.pull_note.installEventFilter(self)
        left = QWidget()
        self._plot_side = lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.plot, 1)
        lv.addWidget(self.pull_box)
        lv.addWidget(self.pull_note)

        self.canvas = BackpropCanvas()
        self.canvas.placeholder = WAITING_NETWORK
        self.formulas = QTextBrowser()
        self.formulas.setOpenLinks(False)
        self.formulas.setMinimumHeight(FORMULAS_LEAST)
        self.formulas.setToolTip("The selected unit's formulas with this point's numbers: "
                                 "click another node or link of the diagram for its own.")
        self.formulas.installEventFilter(self)  # presentation mode: written to fit its size
        right = QWidget()
        self._formula_side = rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.formulas, 1)

        # The plot (drawn 1:1) above the formulas, the diagram beside them at full height: in a
        # narrow column of its own the plot of the plane shrank to a stamp.
        column = self.column = _Column(self._share_column)
        column.addWidget(left)
        column.addWidget(right)
        column.setStretchFactor(0, 3)
        column.setStretchFactor(1, 2)
        column.setSizes([400, 280])
        self._column_moved = False  # the user's own share of the column, kept once dragged
        column.splitterMoved.connect(self._column_dragged)
        self.plot.installEventFilter(self)  # presentation mode's scale, set on the plot
        # The plot's resize shares the row again once the layout that resized it is done:
        # the column resizes the plot while it places its own widgets, and sizes set from
        # inside that pass were overwritten halfway (folding "What am I looking at?" left the
        # plot 19 px over the formulas' first characters, their pane where the old share put
        # it, until the tab was shown again).
        self._share_soon = QTimer(self)
        self._share_soon.setSingleShot(True)
        self._share_soon.setInterval(0)
        self._share_soon.timeout.connect(self._share_column)
        split = self.split = _Column(self._share_split, Qt.Orientation.Horizontal)
        self._split_moved = False  # the user's own share of presentation mode's diagram
        self._layout = "normal"  # or presentation mode's "row" or "beside" (_presenting_layout)
        split.splitterMoved.connect(self._split_dragged)
        split.addWidget(column)
        split.addWidget(self.canvas)
        # The diagram the larger share (5:7): its labels shrink first when the tab is narrow
        # (a projector's 1024 pixels); the formulas keep ~24 characters a line.
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 7)
        split.setSizes([500, 700])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        add_layout(lay, self.head)
        add_layout(lay, bar)
        # Scrolls where the diagram (_keep_diagram) or presentation mode's least sizes need it.
        self.split_scroll = Column(split)
        self.split_scroll.set_scrolling(True)
        lay.addWidget(self.split_scroll, 1)

        self.back.clicked.connect(lambda: self.go(self.stage - 1))
        self.next.clicked.connect(lambda: self.go(self.stage + 1))
        # Page Down / Page Up: Next / Back from the keyboard, and from a presentation clicker,
        # which sends those keys. Window-wide while this tab shows (a shortcut of a hidden
        # widget does not fire), so the teacher need not click into the view first.
        for key, button in ((Qt.Key.Key_PageDown, self.next), (Qt.Key.Key_PageUp, self.back)):
            shortcut = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.click)
            button.setToolTip(f"{button.toolTip()} ({QKeySequence(key).toString()})")
        self.points.activated.connect(self.select_point)
        self.pull_box.toggled.connect(self._set_pulls)
        self.canvas.node_clicked.connect(self.select_unit)
        self.canvas.edit_requested.connect(self._link_clicked)
        self.plot.scene().sigMouseClicked.connect(self._plot_clicked)
        self._show_stage()
        # The check's and the formulas' words carry the theme's colours: written again at a
        # change of look (the light theme's dark green stayed on the dark ground).
        colors.follow(self, self._restyle)

    # -- data ------------------------------------------------------------------------------------

    def set_dataset(self, data) -> None:
        if data is self._data:
            return
        self._data = data
        self.plot.set_dataset(data)
        self._share_column()  # presentation mode's row: the new plane's width at its height
        self.points.clear()
        n = len(data.train_index)
        names = data.feature_names or tuple(f"x{i + 1}" for i in range(data.n_features))
        # X_train and y_train index the whole data set at each use: taken once (read per
        # point, they made the tab's first frame at 100,000 points take ~12 s of CPU).
        listed = min(n, MAX_LISTED)
        X, Y = data.X_train[:listed], data.y_train[:listed]
        shown, classes = min(data.n_features, 3), data.is_classification
        target = data.target_name or "y"
        items = []
        for i in range(listed):
            xs = ", ".join(f"{names[k]}={X[i, k]:.2f}" for k in range(shown))
            what = f"class {int(Y[i])}" if classes else f"{target}={float(Y[i]):.3g}"
            items.append(f"#{i}  {xs}  {what}")
        self.points.addItems(items)
        sel = min(int(self.probe.selected), max(n - 1, 0))
        self.probe.selected = sel
        self.points.setCurrentIndex(sel if sel < MAX_LISTED else -1)
        self.pull_points.setData([], [])
        self._place_marker()
        # No plane (3+ features): no points to size; the box greyed with the reason, as the
        # Data & model tab's boxes are (it was enabled and did nothing).
        no_plane = (f"The data has {data.n_features} features: there is no plane of inputs to "
                    "draw the points on, so this does nothing here." if data.n_features > 2
                    else "")
        self.pull_box.setEnabled(not no_plane)
        self.pull_box.setToolTip(no_plane or PULL_TIP)

    def _say_check(self, text: str) -> None:
        """The check's words (rich text; "" while the numbers are computed)."""
        self.check_room.set_text(text)
        self._arrange_head()

    def _arrange_head(self) -> None:
        m = self.layout().contentsMargins() if self.layout() is not None else None
        room = self.width() - (m.left() + m.right() if m is not None else 0)
        need = self.title_room.one_line_width() + self.head.spacing() + \
            self.check_room.one_line_width()
        side = need <= room
        # Under the title with nothing to say (the numbers being computed), the check's room
        # goes: kept empty under the long "computing ..." title, it made the head a line
        # taller until the numbers came, and Next moved up ~20 px under the learner's click
        # (review r31). Beside the title it is kept, and costs no height; so is it where the
        # title is folded away (presentation mode), the head's one line.
        keep = side or bool(self.check.text()) or not self.title_room.isVisibleTo(self)
        if self.check_room.isVisibleTo(self) != keep:
            self.check_room.setVisible(keep)
        way = QBoxLayout.Direction.LeftToRight if side else QBoxLayout.Direction.TopToBottom
        if self.head.direction() != way:
            self.head.setDirection(way)
            self.check.setAlignment((Qt.AlignmentFlag.AlignRight if side else
                                     Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._arrange_head()
        self._follow_width()

    def _follow_width(self) -> None:
        """Presentation mode: the diagram beside the formulas or under them, as the tab's
        width and the network's depth allow now (_diagram_beside)."""
        if self._presenting() and self._diagram_beside() != (self._layout == "beside"):
            self._presenting_layout()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._arrange_head()
            self._share_split()
            self._share_column()

    def _column_dragged(self, *_) -> None:
        self._column_moved = True

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.plot and event.type() == QEvent.Type.DynamicPropertyChange and \
                bytes(event.propertyName()) == b"nnvizScale":
            self._presenting_layout()
            self._fit_pulls()
        elif obj is self.plot and event.type() == QEvent.Type.Resize:
            self._share_soon.start()  # presentation mode's row: the plot's width for its height
        elif obj is self.pull_note and event.type() == QEvent.Type.Resize and \
                event.oldSize().width() != event.size().width():
            self._show_pull_note()  # cut again to its new width
        elif isinstance(obj, QTextBrowser) and event.type() == QEvent.Type.Resize:
            if self._written is not None and self._presenting():  # (the formulas)
                self._write_formulas(*self._written)  # as many terms as read whole at this size
            elif self._formulas_source is not None and \
                    event.oldSize().width() != event.size().width():
                self._set_formulas(self._formulas_source)  # products breakable, or whole again
        return False

    def _presenting_layout(self) -> None:
        """Presentation mode (a scale above 1 on the plot, nnviz.gui.presentation): the plot
        beside the formulas, above the diagram at the tab's width, each at least its least
        size (PRESENTING_*), the diagram the larger share; the tab scrolls only below those.
        Where the diagram's columns fit beside them (_diagram_beside: a 2-8-1 network at
        1024x768), the diagram beside the plot over the formulas, at the tab's full height.
        The normal mode: the plot over the formulas beside the diagram, squeezed to the tab."""
        on = self._presenting()
        if on:
            self.plot.setMinimumSize(PRESENTING_PLOT)
            self.formulas.setMinimumHeight(self._formula_lines_px(PRESENTING_FORMULA_LINES))
            self.canvas.setMinimumHeight(PRESENTING_DIAGRAM_PX)
        else:
            self.plot.setMinimumSize(PLOT_LEAST, 0)
            self.formulas.setMinimumHeight(FORMULAS_LEAST)
            self.canvas.setMinimumHeight(0)  # (its every unit's height: _keep_diagram)
        # presentation's row (the plot beside the formulas, above the diagram), or the diagram
        # beside them (_diagram_beside: with the formulas' least height, set just above)
        row = on and not self._diagram_beside()
        layout = "row" if row else "beside" if on else "normal"
        # Presentation mode folds the title away, for the formulas' lines: what it says is on
        # screen elsewhere (the point in its list, the epoch in the readout, the batch in the
        # batch gradient's formula).
        self.title_room.setVisible(not on)
        self._arrange_head()  # (the check's room: kept where it is the head's one line)
        # ... and the word before the point's list (its items begin "#12"), for the list to
        # keep the point's class beside the stage's name on one line
        self.point_label.setVisible(not on)
        self.stage_room.expect(self._stage_text(k, on) for k in range(len(STAGES)))
        way = Qt.Orientation.Vertical
        if self._layout != layout:
            self._layout = layout
            self.split.setOrientation(way if row else Qt.Orientation.Horizontal)
            self.column.setOrientation(Qt.Orientation.Horizontal if row else way)
            # Presentation mode: the check box and its note under the formulas, the plot the
            # row's full height (under the plot they took 50 of its 110 px at 1024x768).
            # (the check box stays under the plot, the formulas their whole height; its
            # note, shown with the pulls, one line under them)
            (self._formula_side if row else self._plot_side).addWidget(self.pull_note)
            self._show_pull_note()
            if row:
                self.column.setSizes([PRESENTING_PLOT.width(), 10**4])
                self._split_moved = False
            elif on:
                self._split_moved = self._column_moved = False
            else:
                self.column.setSizes([400, 280])
                self.split.setSizes([500, 700])
        css = COMPACT_CSS if on else ""
        if self.formulas.document().defaultStyleSheet() != css:
            # the formulas written short, or whole again, in the new style (_formulas)
            self.formulas.document().setDefaultStyleSheet(css)
            self.formulas.document().setDocumentMargin(2 if on else 4)  # (Qt's 4)
            self._formulas_html = None
            self._show_stage()
        if not self.split_scroll.scrolling:  # (both modes: _keep_diagram)
            self.split_scroll.set_scrolling(True)
        self._share_split()
        self._share_column()

    def _presenting(self) -> bool:
        return float(self.plot.property("nnvizScale") or 1.0) > 1.0

    def _diagram_beside(self) -> bool:
        """Presentation mode: whether the diagram's columns fit beside the plot and the
        formulas (PRESENTING_COLUMN_PX each in PRESENTING_BESIDE_SHARE of the tab's width)."""
        spec = self.canvas.spec
        m = self.layout().contentsMargins()  # (the view's width: the scroll area's comes later)
        width = self.width() - m.left() - m.right()
        if spec is None or width <= 0 or \
                len(spec.layer_sizes) * PRESENTING_COLUMN_PX > PRESENTING_BESIDE_SHARE * width:
            return False
        # ... and their height: the plane readable over the formulas' least lines (the scroll
        # area's height is the column's there; it changes with a banner above the tabs)
        height = self.split_scroll.height()
        return height > 0 and \
            self._beside_plot_least() + self.formulas.minimumHeight() <= height

    def _beside_plot_least(self) -> int:
        """The diagram beside: the plot's side of the column (the plot, its check box and its
        note) with the plane PRESENTING_BESIDE_PLANE_PX tall."""
        return self.plot.height_for_plane(PRESENTING_BESIDE_PLANE_PX) + self._under_plot()

    def _under_plot(self) -> int:
        """The height of what the plot's side of the column has under the plot (its check box
        and its note, where shown)."""
        side = self._plot_side
        items = [side.itemAt(i) for i in range(side.count())]
        parts = [item.widget() for item in items]
        let_go(*items)
        return sum(w.sizeHint().height() + side.spacing() for w in parts
                   if w not in (None, self.plot) and not w.isHidden())

    def _split_dragged(self, *_) -> None:
        self._split_moved = True

    def _share_split(self) -> None:
        """Presentation mode: the diagram PRESENTING_DIAGRAM_SHARE of the split's height (until
        the user drags the handle), the row above it the rest, neither below its least. The
        normal mode: the diagram's least height (_keep_diagram)."""
        if not self._presenting():
            self._keep_diagram()
            return
        if self._split_moved:
            return
        split = self.split
        if self._layout == "beside":  # the diagram its share of the width
            w = split.width() - split.handleWidth()
            diagram = round(w * PRESENTING_BESIDE_SHARE)
            if w > 0 and abs(split.sizes()[1] - diagram) > 1:
                split.setSizes([w - diagram, diagram])
            return
        h = split.height() - split.handleWidth()
        if h <= 0:
            return
        row = self.column.minimumSizeHint().height()
        least = self.canvas.minimumHeight()
        # (the row keeps PRESENTING_FORMULA_KEEP lines of formulas, a stage's text whole, and
        # the pulls' note under them when shown; the plot's plane PRESENTING_ROW_PLANE_PX
        # tall over its check box)
        keep = self._formula_lines_px(PRESENTING_FORMULA_KEEP)
        if not self.pull_note.isHidden():
            keep += self.pull_note.sizeHint().height() + self._formula_side.spacing()
        keep = max(keep, self.plot.height_for_plane(PRESENTING_ROW_PLANE_PX)
                   + self.pull_box.sizeHint().height() + self._plot_side.spacing())
        every = min(self.canvas.height_for_every_unit(), round(h * PRESENTING_DIAGRAM_MOST),
                    h - keep)
        diagram = max(least, min(max(round(h * PRESENTING_DIAGRAM_SHARE), every), h - row))
        # The row as tall as its text needs, where that leaves the diagram more: the rest is
        # the diagram's. At 1400x900 at 150% the formulas' box was 353 px tall for 155 px of
        # text and the diagram 289 px, hidden 2's ten nodes 4 px apart (review r19 #13).
        text = self._texts_need()
        if text is not None:
            if not self.pull_note.isHidden():
                text += self.pull_note.sizeHint().height() + self._formula_side.spacing()
            plot = self.plot.height_for_plane(PRESENTING_ROW_PLANE_PX) \
                + self.pull_box.sizeHint().height() + self._plot_side.spacing()
            diagram = max(diagram, h - max(text, plot, row))
        if abs(split.sizes()[1] - diagram) > 1:
            split.setSizes([h - diagram, diagram])

    def _keep_diagram(self) -> None:
        """The normal mode: the diagram at least as tall as its every unit needs
        (BackpropCanvas.height_for_every_unit), up to the tab's own height; where the texts
        above it (the open "What am I looking at?", a lesson's banner over the tabs) leave it
        less, the plot, the formulas and the diagram scroll under them. Squeezed to the room
        left, hidden layer 2 of the notebook's network showed 10 units at 1024x768 with the
        paragraph folded, 5 with it open and 9 or 8 under a banner (review r27 F4): the units
        shown went with the length of a text."""
        # (the tab's page: the paragraph is above this view on it, explain.install)
        page = self.parentWidget() or self
        m = self.layout().contentsMargins()
        room = max(page.height(), self.height()) - m.top() - m.bottom()
        least = max(0, min(self.canvas.height_for_every_unit(), room))
        if self.canvas.minimumHeight() != least:
            self.canvas.setMinimumHeight(least)

    def _share_column(self) -> None:
        """The formulas' share of the column under the plot: FORMULA_LINES lines at the least
        while the plot keeps half the column (until the user drags the handle). At 3:2 a
        short column (presentation mode at 1024x768) left the formulas eight lines: the
        stage's words and the unit's name, and not one formula."""
        if self._column_moved:
            return  # dragged: the user's share
        column = self.column
        if column.orientation() != Qt.Orientation.Vertical:
            self._share_row()  # presentation mode's row: the plot beside the formulas
            return
        h = column.height() - column.handleWidth()
        if h <= 0:
            return
        want = self._formula_lines_px(FORMULA_LINES)
        share = min(max(want, round(h * 0.4)), round(h * 0.5))
        if self._presenting():  # the diagram beside: the formulas all but the plot's share
            share = h - max(round(h * PRESENTING_BESIDE_PLOT), self._beside_plot_least(),
                            column.widget(0).minimumSizeHint().height())
        else:
            # The formulas as tall as the selected unit's tallest stage text needs, where the
            # plot above them has room beyond its plane, drawn 1:1 at its width: at 1024x768
            # the box was 214 px for up to 365 px of text, the answer line of 1/6 and the
            # whole Σ wδ line of 3/6 below its fold, over a 294 px plot whose plane was 99 px
            # tall between blank bands (review r22 F11). The plot never shorter than its
            # plane needs: where the text needs more, the box scrolls.
            text, plot = self._texts_need(), self.plot.height_for_width()
            if text is not None and plot is not None:
                room = h - max(plot + self._under_plot(),
                               column.widget(0).minimumSizeHint().height())
                share = max(share, min(text, room))
        if abs(column.sizes()[1] - share) > 1:
            column.setSizes([h - share, share])

    def _texts_need(self) -> int | None:
        """The formulas' box's height that holds the tallest of the selected unit's stage
        texts whole at the box's width (the stages the trace has the numbers of: every one
        paused), None before there are any. Kept while the unit, the point, the network and
        the box's width and font stay: presentation's row, or the normal mode's column, stays
        put from stage to stage and frame to frame (grown, never shrunk, as more stages'
        numbers come)."""
        if self._written is None:
            return None
        _, tr, spec = self._written
        box = self.formulas
        width = box.contentsRect().width()
        if width <= 0:
            return None
        key = (spec, self.unit, tr.index, width, box.font().key(),
               box.document().defaultStyleSheet())
        frame = box.height() - box.viewport().height()
        kept = self._texts_px if self._texts_px is not None and self._texts_px[0] == key \
            else (key, 0, frozenset())
        new = [name for name in STAGES if tr.shows(name) and name not in kept[2]]
        tallest = kept[1]
        for name in new:
            doc = self._laid_out(self._breaking(self._formulas(name, tr, spec)), width)
            tallest = max(tallest, math.ceil(doc.size().height()))
        self._texts_px = (key, tallest, kept[2].union(new))
        return tallest + frame

    def _formula_lines_px(self, lines: int) -> int:
        """The formulas' box's height for ``lines`` lines of its text: the lines, its frame and
        its document's margins."""
        f = self.formulas
        return lines * f.fontMetrics().lineSpacing() + 2 * f.frameWidth() \
            + 2 * int(f.document().documentMargin())

    def _share_row(self) -> None:
        """Presentation mode's row: the plot as wide as its plane needs at the row's height
        (drawn 1:1, a narrower plot shrinks it), at most PRESENTING_PLOT_SHARE of the row; the
        formulas the rest."""
        row = self.column
        w = row.width() - row.handleWidth()
        need = self.plot.width_for_height()
        if w <= 0 or need is None:
            return
        plot = max(PRESENTING_PLOT.width(), min(need, round(w * PRESENTING_PLOT_SHARE)))
        if abs(row.sizes()[0] - plot) > 1:
            row.setSizes([plot, w - plot])

    def update_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        data = getattr(self.main_window, "dataset", None) if self.main_window is not None else None
        if data is not None:
            self.set_dataset(data)
        self.plot.update_grid(snapshot.grid)
        result = snapshot.extras.get(self.extras_key)
        if result is not None and result.epoch != snapshot.epoch and \
                not getattr(self.main_window, "playing", True) and self._asked != snapshot.epoch:
            # Paused on a frame whose throttled probe handed out an older result (a Step right
            # after another frame): ask once for this epoch's numbers.
            self._asked = snapshot.epoch
            self.settings_changed.emit()
        if result is not None and self._data is not None and _of_network(result, snapshot.spec):
            self.result, self._result_snapshot = result, snapshot
            if self.unit is None or not _valid_neuron(snapshot.spec, self.unit):
                self.unit = (snapshot.spec.n_layers - 1, 0)
            self.canvas.selected = self.unit
            if result is not self._drawn_result:  # a throttled probe hands out the same again
                self._drawn_result = result
                self._draw_pulls()
                self._show_stage()
        elif self.result is None or snapshot.spec != self._result_snapshot.spec:
            # No numbers yet, or only those of another network (the tab passed through after a
            # new preset, Ctrl+Tab): they are dropped, the diagram is of this network until its
            # numbers come. Kept, they were drawn with this network's shape at the next change
            # of theme: an IndexError at every switch, and a diagram that stayed black.
            self.result, self._result_snapshot, self._drawn_result = None, None, None
            self._show_stage()

    # -- user actions ----------------------------------------------------------------------------

    def go(self, stage: int) -> None:
        self.stage = int(min(max(stage, 0), len(STAGES) - 1))
        self._show_stage()
        new_parts = backprop.STAGE_PARTS[STAGES[self.stage]] != \
            backprop.STAGE_PARTS[self.probe.stage]
        self.probe.stage = STAGES[self.stage]
        if new_parts:
            # The worker's probe computes what the stage shows from now on (and its numbers
            # come at once, even while paused, when the last trace has not got them).
            self.settings_changed.emit()

    def select_point(self, index: int) -> None:
        if self._data is None or not 0 <= index < len(self._data.train_index):
            return
        self.probe.selected = int(index)
        if index < self.points.count():
            self.points.setCurrentIndex(index)
        self._place_marker()
        self.point_selected.emit(int(index))
        self.settings_changed.emit()

    def select_unit(self, layer: int, unit: int) -> None:
        self.unit = (layer, unit)
        self.canvas.selected = self.unit
        self._show_stage()

    def _link_clicked(self, item, _pos) -> None:
        self.select_unit(item[1], item[-1])

    def _set_pulls(self, on: bool) -> None:
        self.probe.pulls = bool(on)
        if not on:
            self.pull_points.setData([], [])
            self._pull_share = None
            self.plot.train_points.setVisible(True)
            self.pull_note.setText("")
            self._pull_text, self._pull_texts = "", ()
            self.pull_note.hide()
        self.settings_changed.emit()

    def pick_at(self, x: float, y: float) -> int | None:
        """The training point nearest to (x, y) in the plot's own scale, selected."""
        data = self._data
        if data is None or data.n_features > 2 or not len(data.train_index):
            return None
        vb = self.plot.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        X = data.X_train
        px = (X[:, 0] - x) / max(x1 - x0, 1e-12)
        py = ((X[:, 1] - y) / max(y1 - y0, 1e-12)) if data.n_features == 2 else \
            (data.y_train.astype(np.float64) - y) / max(y1 - y0, 1e-12)
        d = np.hypot(px, py)
        i = int(np.argmin(d))
        if d[i] > 0.05:
            return None
        self.select_point(i)
        return i

    def _plot_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        p = self.plot.getPlotItem().getViewBox().mapSceneToView(event.scenePos())
        self.pick_at(p.x(), p.y())

    # -- drawing ---------------------------------------------------------------------------------

    def _point_xy(self, rows):
        data = self._data
        X = data.X_train[rows]
        if data.n_features >= 2:
            return X[:, 0], X[:, 1]
        return X[:, 0], data.y_train[rows].astype(np.float32)

    def _place_marker(self) -> None:
        data = self._data
        if data is None or data.n_features > 2 or not len(data.train_index):
            self.marker.setData([], [])
            return
        x, y = self._point_xy(np.array([int(self.probe.selected)]))
        self.marker.setData(x, y)

    def _draw_pulls(self) -> None:
        r, data = self.result, self._data
        if r is None or r.pulls is None or data is None or data.n_features > 2 \
                or not self.pull_box.isChecked():
            return
        rows, pulls = r.pull_rows, np.nan_to_num(r.pulls)
        top = max(float(pulls.max()), 1e-12)
        self._pull_share = np.sqrt(pulls / top)
        sizes = self._pull_sizes()
        x, y = self._point_xy(rows)
        symbols = "o"
        if data.is_classification:
            rgb = np.array([colors.class_color(int(k)) for k in data.y_train[rows]])
            # In their class's shapes, as the points they stand in for (circles alone left
            # only colour to tell the classes apart).
            shapes = np.array([colors.class_symbol(k) for k in range(max(data.n_classes, 2))],
                              object)
            symbols = list(shapes[np.asarray(data.y_train[rows], int)])
        else:
            rgb = np.repeat(np.array([colors.BLUE]), len(rows), 0)
        self.pull_points.setData(x, y, size=sizes, brush=shared(rgb, pg.mkBrush),
                                 pen=pg.mkPen("w", width=1), symbol=symbols)
        self.plot.train_points.setVisible(False)
        hardest = ", ".join(f"#{i}" for i in rows[np.argsort(-pulls)[:3]])
        sample = f" (a sample of {len(rows):,})" if len(rows) < len(data.train_index) else ""
        self._pull_text = (f"Hardest now: {hardest}; size: ||∂Lₙ/∂θ|| of each point{sample}, "
                           f"largest {top:.3g}")
        # ... shorter, whole, where a line has not its room (presentation mode)
        self._pull_texts = (self._pull_text, f"Hardest now: {hardest}; size: ||∂Lₙ/∂θ||",
                            f"Hardest now: {hardest}", f"Hardest: {hardest}")
        self._show_pull_note()

    def _pull_sizes(self) -> np.ndarray:
        """The pulls' markers, as drawn: PULL_LEAST_PX to PULL_MOST_PX times the text's scale,
        the largest PULL_MOST_SHARE of the plot's shorter side at most (the points apart and
        read at any window size, presentation mode's too), by √ of the pull (its area)."""
        share = self._pull_share
        if share is None:
            return np.zeros(0)
        scale = float(self.plot.property("nnvizScale") or 1.0)
        vb = self.plot.getPlotItem().getViewBox()
        room = min(vb.width(), vb.height())
        most = PULL_MOST_PX * scale
        if room > 0:
            most = min(most, PULL_MOST_SHARE * room)
        least = min(PULL_LEAST_PX * scale, most / 2.5)
        return least + (most - least) * share

    def _fit_pulls(self, *_) -> None:
        """The pulls' markers sized again to the plot's room (a resize, presentation mode)."""
        if self._pull_share is None or len(self.pull_points.data) != len(self._pull_share):
            return
        sizes = self._pull_sizes()
        if not np.allclose(self.pull_points.data["size"], sizes):
            self.pull_points.setSize(sizes)

    def _show_pull_note(self) -> None:
        """The pulls' note: wrapped under the plot; in presentation mode one line under the
        formulas, the hardest points first: wrapped there, its three lines ran over the
        formulas in the row's fixed height. The longest of its shorter forms that reads whole
        on the line (the whole in its tooltip): cut with an ellipsis, it read "Hardest now:
        #74, #87, #95; size: ||∂Lₙ/∂θ|| o..."; wrapped only where not even the shortest fits."""
        note, text = self.pull_note, getattr(self, "_pull_text", "")
        if not text or not self.pull_box.isChecked():
            return
        presenting = self._presenting()
        shown, wrap = text, not presenting
        if presenting:
            forms = getattr(self, "_pull_texts", ()) or (text,)
            metrics, width = note.fontMetrics(), note.contentsRect().width()
            fits = [f for f in forms if metrics.horizontalAdvance(f) <= width]
            shown = fits[0] if fits else forms[-1]
            wrap = not fits and width > 0  # (0: not laid out yet)
        note.setWordWrap(wrap)
        if note.text() != shown:
            note.setText(shown)
        note.setToolTip(text if shown != text else "")
        note.show()

    @staticmethod
    def _stage_text(k: int, one_line: bool = False) -> str:
        """"2 / 6" over the stage's name; on one line in presentation mode, where the bar has
        the room and the formulas under it want the line."""
        return f"<b>{k + 1} / {len(STAGES)}</b>{' · ' if one_line else '<br>'}" \
            f"{STAGE_TITLES[STAGES[k]]}"

    def _expect_checks(self) -> None:
        """The check line's room: for every stage's words, passed or failed, from the start
        (the tab opened while training showed it as a 6 px column for a moment). A rarer line
        (another stage's failure, a diverged run) gets more room while it shows."""
        ok, bad = colors.hex_of(colors.ok()), colors.hex_of(colors.error())
        self.check_room.expect([check_text(w, 1e-9, good, ok if good else bad, False)
                                for _, w in CHECKED_AGAINST.values() for good in (True, False)]
                               + [NEXT_FRAME])

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): its numbers go now (the
        diagram follows with the new run's first frame)."""
        self.result, self._result_snapshot, self._drawn_result = None, None, None
        self._asked = None
        self._show_stage()

    def _restyle(self) -> None:
        self.marker.setPen(pg.mkPen(colors.text(), width=3))  # the chosen point's ring
        self._expect_checks()
        self._show_stage()

    def _show_stage(self) -> None:
        name = STAGES[self.stage]
        self.back.setEnabled(self.stage > 0)
        self.next.setEnabled(self.stage < len(STAGES) - 1)
        self.stage_room.set_text(self._stage_text(self.stage, self._presenting()))
        r, shot = self.result, self._result_snapshot
        if r is None or shot is None:
            self.title_room.set_text("<b>Backpropagation, step by step</b> — "
                                     + computing("this point's numbers", False))
            self._written = None
            # in the formulas' box too: presentation mode hides the title, and its empty box
            # over a grey diagram said nothing for the seconds a first compile takes (r15)
            self._set_formulas("<p>" + computing("this point's numbers") + "</p>")
            self._say_check("")
            self._draw_network()
            return
        tr, spec = r.trace, shot.spec
        step = tr.step
        where = ""
        if step.n_batches > 1:
            if step.batch_index < 0:
                where = (f" · epoch {step.epoch + 1} leaves this point out (its batches of "
                         f"{shot.config.batch_size} do not reach it)")
            else:
                where = (f" · in batch {step.batch_index + 1} of {step.n_batches} of epoch "
                         f"{step.epoch + 1} ({plural(tr.batch_size, 'point')}); the weights "
                         "are the run's "
                         "at that step")
        self.title_room.set_text(f"<b>Backpropagation, step by step</b> — training point "
                                 f"<b>#{tr.index}</b> at epoch {r.epoch:,}{where}")
        c = tr.check
        if not np.isfinite(c.worst):
            self._say_check(f"<span style='color:{colors.hex_of(colors.error())}'>"
                            f"{DIVERGED}</span>")
            self._draw_stage(name, tr, spec)
            return
        field, words = CHECKED_AGAINST[name]
        diff = getattr(c, field)
        if not tr.shows(name):  # Next / Back while playing: checked with the next frame
            self._say_check(NEXT_FRAME)
        elif diff is None:
            self._say_check(JAX_ALONE)
        else:
            ok = diff <= backprop.MATCH_TOLERANCE * c.scale
            colour = colors.hex_of(colors.ok() if ok else colors.error())
            self._say_check(check_text(words, diff, ok, colour, not c.ok))
        self._draw_stage(name, tr, spec)

    def _draw_network(self) -> None:
        """Before its numbers come: the diagram of the last frame's network, its weights on the
        links and its nodes blank (an older network's diagram is not left in its place)."""
        s = self.snapshot
        if s is None:
            return
        links = tuple((np.asarray(w, np.float32), np.asarray(b, np.float32)) for w, b in s.params)
        self.canvas.set_stage(s.spec, links, [], "a", "weight")

    def _draw_stage(self, name: str, tr, spec) -> None:
        """The diagram and the formulas of stage ``name``."""
        if not tr.shows(name):  # Next / Back while playing: the worker computes them now
            self._draw_canvas("forward", tr, spec)
            self._written = None
            self._set_formulas(f"<h3>{STAGE_TITLES[name]}</h3><p>The numbers of this stage "
                                  "come with the next frame.</p>")
            return
        self._draw_canvas(name, tr, spec)
        self._follow_width()  # (another network: another depth)
        if spec != getattr(self, "_split_spec", None):  # another widest layer: its height
            self._split_spec = spec
            self._share_split()
        self._write_formulas(name, tr, spec)

    def _write_formulas(self, name: str, tr, spec) -> None:
        """The formulas of stage ``name`` for the selected unit, in presentation mode as many
        terms as read whole in the box."""
        self._written = (name, tr, spec)
        if self._layout == "row" and not self._split_moved:
            before = self._texts_px
            if self._texts_need() is not None and \
                    (before is None or before[:2] != self._texts_px[:2]):
                self._share_split()  # another unit, point or width: the row's height anew
        elif self._layout == "normal" and not self._column_moved:
            before = self._texts_px
            if self._texts_need() is not None and \
                    (before is None or before[:2] != self._texts_px[:2]):
                self._share_column()  # ... the formulas' share of the column anew
        html = self._formulas(name, tr, spec)
        if self._presenting():
            # A term less in each list, step by step, until the text reads whole in its box:
            # laid out with this machine's font at the box's size (how many characters a
            # line holds is the font's; a term less is better than a scroll bar on a
            # projector).
            for tight in range(1, TIGHTER + 1):
                if self._fits(html):
                    break
                html = self._formulas(name, tr, spec, tight)
        self._set_formulas(html)

    def _hang(self) -> int:
        """How far a formula's row wrapped goes in under its start (px): two digits' width."""
        return self.formulas.fontMetrics().horizontalAdvance("00")

    def _laid_out(self, html: str, width: int, words_whole: bool = False) -> QTextDocument:
        """``html`` laid out as the formulas' box does, ``width`` wide; ``words_whole``: never
        broken inside a word (a line too short for one runs past the width)."""
        shown = self.formulas.document()
        doc = QTextDocument()
        if words_whole:
            option = doc.defaultTextOption()
            option.setWrapMode(QTextOption.WrapMode.WordWrap)
            doc.setDefaultTextOption(option)
        doc.setDefaultFont(shown.defaultFont())
        doc.setDefaultStyleSheet(shown.defaultStyleSheet())
        doc.setDocumentMargin(shown.documentMargin())
        doc.setHtml(html)
        doc.setTextWidth(width)
        return doc

    def _breaking(self, html: str) -> str:
        """``html`` with its products breakable after their dots (TIMES_BREAK) where a line of
        the box is too short for one: else a product stays whole on its line."""
        # (the lines' width with a scroll bar, shown or not: the same text either way, no
        # text written again as the bar comes and goes)
        box = self.formulas
        width = box.contentsRect().width() - box.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent, None, box)
        if (TIMES not in html and CELL_PAD not in html) or width <= 0:
            return html

        def fits(text: str) -> bool:
            # (the box breaks a word too long for its line anywhere: inside a number)
            return self._laid_out(text, width, words_whole=True).idealWidth() <= width
        if fits(html):
            return html
        if CELL_PAD in html:  # a table's columns closer together first
            html = html.replace(CELL_PAD, CELL_PAD_NARROW)
            if fits(html):
                return html
        return html.replace(TIMES, TIMES_BREAK)

    def _fits(self, html: str) -> bool:
        """Whether ``html`` laid out in the formulas' box is as tall as its viewport at most,
        the viewport as wide as it is without a scroll bar."""
        box = self.formulas
        room = box.contentsRect().size()
        if room.width() <= 0 or room.height() <= 0:
            return True  # not laid out yet: the resize writes the text again
        doc = self._laid_out(self._breaking(html), room.width())
        return doc.size().height() <= room.height()

    def _set_formulas(self, html: str) -> None:
        """The formulas' new text; the same text is not laid out again, and new numbers of the
        same stage and unit keep the place the user scrolled to (setHtml goes back to the top:
        while the run played, the panel jumped up with every frame)."""
        self._formulas_source = html  # (written again at a new width: eventFilter)
        html = self._breaking(html)
        if html == self._formulas_html:
            return
        same = (self.stage, self.unit) == self._formulas_of
        bar = self.formulas.verticalScrollBar()
        at = bar.value()
        self.formulas.setHtml(html)
        self._formulas_html = html
        self._formulas_of = (self.stage, self.unit)
        if same:
            bar.setValue(at)

    def _draw_canvas(self, name: str, tr, spec) -> None:
        layers = tr.layers
        x = tr.x.astype(np.float64)
        acts = [x] + [p.a[0] for p in layers]
        deltas = [x] + [p.delta[0] for p in layers]  # the inputs stay x
        if name in ("forward", "loss"):
            links, nodes, nn, ln = tr.params, acts, "a", "weight"
        elif name == "delta":
            links, nodes, nn, ln = tr.params, deltas, "δ", "weight"
        elif name == "grad":
            links, nodes, nn, ln = tr.point_grad, deltas, "δ", "∂L/∂w (this point)"
        elif name == "batch":
            links, nodes, nn, ln = tr.update.grad, acts, "a", "batch gradient g"
        else:
            links, nodes, nn, ln = tr.update.update, acts, "a", "update Δw"
        links = tuple((np.asarray(w, np.float32), np.asarray(b, np.float32)) for w, b in links)
        self.canvas.set_stage(spec, links, nodes, nn, ln)

    # -- the formulas ----------------------------------------------------------------------------

    def _formulas(self, name: str, tr, spec, tight: int = 0) -> str:
        """The stage's words and the selected unit's formulas with its numbers. Presentation
        mode writes them short (``compact``, COMPACT_CSS), to be read whole on a projector
        without scrolling (at 1024x768 they were 290-670 px tall in a 148 px box): no title
        (the bar above names the stage); the unit's name leads its first formula, without
        "click another node" (the tooltip says it); no names line of z's sum (its numbers line
        has the terms in the same order); COMPACT_TERMS terms of a sum or rows of a table (the
        diagram shows every link's); no jax / optax numbers beside the hand-built ones (the
        check line above says they match, and by how much), no mean column equal to g.
        ``tight``: presentation mode's terms and rows, each list one shorter a step (the
        text did not fit in its box: _write_formulas)."""
        compact = self._presenting()
        most = max(COMPACT_TERMS - tight, 1) if compact else MAX_TERMS
        layer, unit = self.unit if self.unit is not None else (spec.n_layers - 1, 0)
        who = neuron_label(spec, layer, unit, data_names_of(self))
        lead = f"<b>{who}</b>: " if compact else ""
        parts = [] if compact else [f"<h3>{STAGE_TITLES[name]}</h3>"]
        explain = {
            "forward": "Each unit adds up its inputs times their weights, plus its bias: z. "
                       "Its activation f gives a = f(z). Node labels: a.",
            "loss": f"The loss ({tr.loss_name}) compares the output with this point's target.",
            "delta": "δ = ∂L/∂z: how the loss changes with a unit's z. It goes back from the "
                     "output: a unit's δ is the δ of the units it feeds, weighted by the "
                     "links, times its own slope f′(z). Node labels: δ.",
            "grad": "A link's gradient is the activation coming in on it times the δ of the "
                    "unit it goes to: ∂L/∂wᵢⱼ = aᵢ·δⱼ. Links: these now.",
            "batch": "The run steps on the batch's mean gradient g (plus the penalty's), not "
                     "on one point's. Links: g.",
            "update": "The optimiser turns g into the change of each weight. Links: Δw.",
        }[name]
        if compact:  # shorter: the formulas under them say the rest
            explain = {
                "delta": "δ = ∂L/∂z: how the loss changes with a unit's z. Node labels: δ.",
                "grad": "∂L/∂wᵢⱼ = aᵢ·δⱼ: the activation coming in on a link times the δ of "
                        "the unit it goes to. Links: these now.",
                "update": "Links: Δw, the step made of g.",
            }.get(name, explain)
        parts.append(f"<p>{explain}</p>")
        if name in ("batch", "update") and tr.step.batch_index < 0:
            parts.append("<p><b>The next epoch leaves this point out</b> (the training points "
                         "do not fill a last batch): the gradient and step below are of this "
                         "point alone, to show the arithmetic; the run does not take them.</p>")
        if not compact:
            parts.append(f"<p><b>{who}</b> (click another node or link)</p>")
        if layer < 0:
            parts.append(f"<p>{lead}x{unit + 1} = {num(tr.x[unit])}: an input, the point's own "
                         "coordinate. Pick a unit of a later layer.</p>")
            return "".join(parts)
        p = tr.layers[layer]
        a_in, w = p.a_in[0], np.asarray(tr.params[layer][0], np.float64)[:, unit]
        b = float(np.asarray(tr.params[layer][1])[unit])
        act = spec.layer_activations[layer]
        z, a, d = float(p.z[0, unit]), float(p.a[0, unit]), float(p.delta[0, unit])
        prev = "x" if layer == 0 else "a"
        shown = shown_terms(w * a_in, most)
        more = len(w) - len(shown)
        rest = f" + … ({more} more)" if more else ""
        if name == "forward":
            # named and ordered as the later stages' w₁…wₙ, so a term can be found in both
            names = " + ".join(f"w<sub>{i + 1}</sub>·{prev}<sub>{i + 1}</sub>" for i in shown)
            terms = " +&nbsp;".join(f"{fac(w[i])}{TIMES}{fac(a_in[i])}" for i in shown)
            named = "" if compact else f"<br>&nbsp;&nbsp;= {names}{rest} + b"
            parts.append(f"<p>{lead}z = Σᵢ wᵢ·{prev}ᵢ + b{named}"
                         f"<br>&nbsp;&nbsp;= {terms}{rest} + {fac(b)}"
                         f"<br>&nbsp;&nbsp;= <b>{num(z)}</b></p>")
            if act == "softmax":
                parts.append(self._softmax_text(spec, layer, unit, p.z[0], a))
            elif compact:  # a's line goes on z's
                parts[-1] = parts[-1][:-len("</p>")] + \
                    f"; a = {act}(z) = <b>{num(a)}</b></p>"
            else:
                parts.append(f"<p>a = {act}(z) = {act}({num(z)}) = <b>{num(a)}</b></p>")
        elif name == "loss":
            out = tr.layers[-1].a[0]
            t = np.ravel(tr.target)
            # The loss is the network's, of its output, whichever unit is picked (it read
            # "hidden layer 1, unit 1 (sigmoid): L = (0.5444 − 1)²", the output's a).
            lead = ("<b>The network's loss</b>, of its output"
                    f"{'s' if len(out) > 1 else ''}: ") if compact else ""
            if tr.loss_name == "mse":
                k = len(out)
                # a and t with the digits their difference needs (written() above), and that
                # difference itself where it took more than 4 (a within 1e-4 of t)
                shown = written(tr.loss, [*out, *t], lambda *v: sum(
                    (o - tt) ** 2 for o, tt in zip(v[:k], v[k:])) / k)
                outs, ts = shown[:k], shown[k:]
                inner = " + ".join(f"({o} − {tt})²" for o, tt in zip(outs, ts))
                pre = "L = (a − t)²" if k == 1 else f"L = (1/{k}) Σₖ (aₖ − tₖ)²"
                diff = ""
                if k == 1 and outs[0] != num(out[0]):
                    diff = f" = ({num(float(outs[0]) - float(ts[0]))})²"
                parts.append(f"<p>{lead}{pre}<br>&nbsp;&nbsp;= {inner if k == 1 else f'(1/{k})[{inner}]'}"
                             f"{diff}<br>&nbsp;&nbsp;= <b>{num(tr.loss)}</b></p>")
            elif tr.loss_name == "bce":
                a0, a1 = float(out[0]), 1 - float(out[0])
                if spec.output_activation == "sigmoid":
                    # (the loss is taken from z, as optax's: a and 1 − a from z too, in
                    # float64, the output's float32 a has too few digits for 1 − a near 1)
                    z0 = float(tr.layers[-1].z[0, 0])
                    a0, a1 = 1 / (1 + math.exp(-z0)) if z0 > -700 else 0.0, \
                        1 / (1 + math.exp(z0)) if z0 < 700 else 0.0
                tt, a_txt, one_t, one_a = written(
                    tr.loss, [float(t[0]), a0, 1 - float(t[0]), a1],
                    lambda t_, a_, u_, v_: -((t_ * math.log(a_) if t_ else 0.0)
                                             + (u_ * math.log(v_) if u_ else 0.0)))
                parts.append(f"<p>{lead}L = −[t·log a + (1 − t)·log(1 − a)]<br>&nbsp;&nbsp;"
                             f"= −[{tt}·log {a_txt} + {one_t}·log "
                             f"{one_a}]<br>&nbsp;&nbsp;= <b>{num(tr.loss)}</b></p>")
            else:
                label = int(t[0])
                parts.append(f"<p>{lead}L = −log softmax(z)<sub>t</sub>, t = class {label}<br>"
                             f"&nbsp;&nbsp;= <b>{num(tr.loss)}</b></p>")
            parts.append(f"<p>target t = {', '.join(num(v) for v in t)}; the network says "
                         f"{', '.join(num(v) for v in out)}.</p>")
        elif name == "delta":
            fp = p.fprime
            dt = DERIVATIVE_TEXT[act]
            if layer == spec.n_layers - 1:
                up = float(p.upstream[0, unit])
                if tr.loss_name == "bce" and act == "sigmoid" or \
                        tr.loss_name == "cross-entropy" and act == "softmax":
                    parts.append(f"<p>{lead}At the output, with this loss taken from z: δ = a − t "
                                 f"= <b>{num(d)}</b></p>")
                elif fp is None:
                    parts.append(f"<p>{lead}δ = (softmax's Jacobian)ᵀ·∂L/∂a; {dt}<br>"
                                 f"∂L/∂a = {num(up)} → δ = <b>{num(d)}</b></p>")
                else:
                    dl = {"mse": f"2(a − t)/{len(p.a[0])}" if len(p.a[0]) > 1 else "2(a − t)",
                          "bce": "−t/a + (1 − t)/(1 − a)",
                          "cross-entropy": "softmax(a) − onehot(t)"}[tr.loss_name]
                    up_t, fp_t = written(d, [up, float(fp[0, unit])], lambda x, y: x * y)
                    parts.append(f"<p>{lead}δ = ∂L/∂a · f′(z)<br>∂L/∂a = {dl} = {up_t}<br>"
                                 f"{dt} = {fp_t}<br>δ = {fac(up_t)}{TIMES}{fac(fp_t)} "
                                 f"= <b>{num(d)}</b></p>")
            else:
                nxt = tr.layers[layer + 1]
                wn = np.asarray(tr.params[layer + 1][0], np.float64)[unit]
                dn = nxt.delta[0]
                up = float(p.upstream[0, unit])
                if compact:  # (the formula whole: it goes under the unit's name; WJ)
                    line = f"<p>{lead}δ&nbsp;=&nbsp;(Σₖ&nbsp;wₖ·δₖ)·f′{WJ}(z)<br>" \
                           f"{self._compact_sum('Σₖ wₖ·δₖ', wn, dn, up, tight)}<br>"
                else:
                    o2 = shown_terms(wn * dn, most)
                    more2 = len(dn) - len(o2)
                    rest2 = f" + … ({more2} more)" if more2 else ""
                    names = " + ".join(f"w<sub>{k + 1}</sub>·δ<sub>{k + 1}</sub>" for k in o2)
                    terms = " +&nbsp;".join(f"{fac(wn[k])}{TIMES}{fac(dn[k])}" for k in o2)
                    line = f"<p>{lead}δ = (Σₖ wₖ·δₖ) · f′(z)<br>Σₖ wₖ·δₖ = {names}{rest2}" \
                           f"<br>&nbsp;&nbsp;= {terms}{rest2} = {num(up)}<br>"
                if fp is None:
                    line += f"{dt}<br>δ = <b>{num(d)}</b></p>"
                else:
                    # (f′ longer first, where that does: Σ's result above as written)
                    fp_t, up_t = written(d, [float(fp[0, unit]), up], lambda x, y: x * y)
                    line += (f"{dt} = {fp_t}<br>δ = {fac(up_t)}{TIMES}{fac(fp_t)} = "
                             f"<b>{num(d)}</b></p>")
                parts.append(line)
        elif name == "grad":
            gw = tr.point_grad[layer][0][:, unit]
            jw = tr.jax_point_grad[layer][0][:, unit]
            grey = colors.hex_of(colors.note())
            # (presentation mode: "a₁·δ" is in the words above, and δ, the same in every row,
            # on the line over them: 0.6923·δ, not a row wrapped at "0.6923·(-0.0007202)")
            # A link a line, read in order, symbol = numbers = result: "∂L/∂w₁ = a₁·δ
            # = 0.2388·(-6.116e-06) = -1.46e-06 jax -1.46e-06", breaking only before an "="
            # (or the jax check), the rest of the row under it, indented. (A table's cells
            # wrapped each in its column: "∂L/∂w₁ = a₁·δ = | = -1.46e-06 | jax" read first,
            # the product on the two lines under it: review r18 #2.)
            row = (f"<p style='margin-top:0; margin-bottom:0; margin-left:{self._hang()}px; "
                   f"text-indent:-{self._hang()}px'>")
            # A row's product, as written, gives its result (written(): a, else δ, longer);
            # the rows share one δ, as long as the longest row's needs.
            listed = shown_terms(gw, most)
            d_text = max((written(gw[i], [float(a_in[i]), d], lambda x, y: x * y)[1]
                          for i in listed), key=len, default=num(d))
            pair = {i: written(gw[i], [float(a_in[i]), d_text], lambda x, y: x * y)
                    for i in listed}
            rows = "".join(f"{row}∂L/{WJ}∂w<sub>{i + 1}</sub>&nbsp;= "
                           + (f"{fac(pair[i][0])}·δ" if compact else
                              f"{prev}<sub>{i + 1}</sub>·δ =&nbsp;{fac(pair[i][0])}{TIMES}"
                              f"{fac(pair[i][1])}")
                           + f" =&nbsp;<b>{num(gw[i])}</b>"
                           + ("" if compact else
                              f" <span style='color:{grey}'>(jax {num(jw[i])})</span>")
                           + "</p>"
                           for i in listed)
            if compact:  # the bias first, in the line that names the unit
                more = len(gw) - min(len(gw), most)
                if more:
                    rows += f"{row}… ({more} more)</p>"
                # (whole: "∂L/" at a line's end, "∂b = δ" on the next)
                parts.append(f"<p>{lead}∂L/{WJ}∂b&nbsp;=&nbsp;δ&nbsp;=&nbsp;<b>{d_text}</b></p>"
                             f"{rows}")
            else:
                parts.append(f"<p>The links into this unit (δ = {d_text}):</p>{rows}")
                parts.append(f"<p>∂L/∂b = δ = <b>{num(d)}</b> (jax "
                             f"{num(tr.jax_point_grad[layer][1][unit])})</p>")
        elif name == "batch":
            n = tr.batch_size
            g = tr.update.grad[layer][0][:, unit]
            pen = tr.penalty_grad[layer][0][:, unit]
            mine = tr.point_grad[layer][0][:, unit]
            mean = tr.batch_data_grad[layer][0][:, unit] if tr.batch_data_grad is not None \
                else g - pen
            cfg = self._result_snapshot.config
            pen_text = ""
            if cfg.l1 or cfg.l2:
                pen_text = " + " + " + ".join(t for t in (
                    f"{cfg.l1:g}·sign(w)" if cfg.l1 else "",
                    f"2·{cfg.l2:g}·w" if cfg.l2 else "") if t)
            # One column a quantity, headed once, and no cell wraps: "g = -0.0001502" broke
            # after "g =" in a narrow pane, row by row differently.
            # (white-space in the style: Qt's nowrap attribute still broke a number where the
            # table was wider than the box)
            cell = f"<td style='{CELL_PAD} white-space:nowrap'>"
            # ... but for the headings, which wrap between their words where the box is
            # narrow: kept whole too, the table was wider than a 1024x768 window's box and
            # Qt broke its numbers instead, "-0.0996" over "9" (review r22 F11).
            heading = f"<td style='{CELL_PAD}'>"
            def table(both: bool) -> str:
                head = ("<tr><th></th>" + "".join(
                    f"{heading}<i>{h}</i></td>" for h in
                    ("this point",) + (() if both else (f"mean of {n:,}",))
                    + (("penalty",) if pen_text else ())
                    + ((f"g = mean of {n:,}",) if both else ("g",)))
                    + "</tr>")
                rows = "".join(f"<tr>{cell}w<sub>{i + 1}</sub></td>{cell}{num(mine[i])}</td>"
                               + ("" if both else f"{cell}{num(mean[i])}</td>")
                               + (f"{cell}{num(pen[i])}</td>" if pen_text else "")
                               + f"{cell}<b>{num(g[i])}</b></td></tr>"
                               for i in shown_terms(g, most))
                return f"<table>{head}{rows}</table>"
            # Without a penalty g is the mean: one column for both where room is short
            # (presentation mode; a box narrower than the three columns: at 1024x768 a hidden
            # unit's "-0.008417" ran under the box's edge, a scroll bar under it).
            both = compact and not pen_text
            tab = table(both)
            if not compact and not pen_text:
                box = self.formulas
                width = box.contentsRect().width() - box.style().pixelMetric(
                    QStyle.PixelMetric.PM_ScrollBarExtent, None, box)
                if 0 < width < self._laid_out(tab, width, words_whole=True).idealWidth():
                    tab = table(True)
            if both:  # the table's heading says g is the mean: the unit's name, and its batch
                # (presentation mode folds away the title, which says the batch)
                which = f", batch {tr.step.batch_index + 1} of {tr.step.n_batches}" \
                    if tr.step.n_batches > 1 and tr.step.batch_index >= 0 else ""
                parts.append(f"<p>{lead[:-len(': ')]}{which}:</p>{tab}")
            else:
                parts.append(f"<p>{lead}g = (1/{n:,}) Σₙ ∂Lₙ/∂w{pen_text}</p>{tab}")
            share = "all the training points" if n == len(self._data.train_index) else \
                f"the {n:,} points of its batch"
            if not compact:  # (1/n says it)
                parts.append(f"<p>This point is one of {share}: its own gradient weighs "
                             f"1/{n:,} of the step.</p>")
        else:
            parts.append(self._update_text(tr, layer, unit, compact, lead))
        return "".join(parts)

    @staticmethod
    def _compact_sum(name: str, ws, xs, total: float, tight: int = 0) -> str:
        """Presentation mode's Σ of products ``ws``·``xs``, a term a line: the
        COMPACT_SUM_TERMS largest (``tight`` fewer, one at least) in index order, then
        "… (n more)" and the total (four terms and the rest, wrapped anywhere, took 4-5 of the
        9 lines a hidden δ has at 1024x768). The total is the sum of all the terms."""
        shown = shown_terms(np.asarray(ws) * np.asarray(xs), max(COMPACT_SUM_TERMS - tight, 1))
        more = len(ws) - len(shown)
        terms = [f"{fac(ws[k])}{TIMES}{fac(xs[k])}" for k in shown]
        lines = [f"{name} = {terms[0]}"] + [f"&nbsp;&nbsp;+ {t}" for t in terms[1:]]
        if more:
            lines.append(f"&nbsp;&nbsp;+ … ({more} more)")
        lines[-1] += f" = {num(total)}"
        return "<br>".join(lines)

    @staticmethod
    def _softmax_text(spec, layer: int, unit: int, zs, a: float) -> str:
        """A softmax unit's a, written with all of its layer's z: "softmax(-1.061) = 0.0181"
        could not be reproduced from the one number. The output's units are the classes, from
        0 (class 1's output has z₁); a hidden layer's units count from 1, as their names."""
        zs = np.asarray(zs, np.float64)
        first = 0 if layer == spec.n_layers - 1 else 1

        def sub(i: int) -> str:
            return f"<sub>{i + first}</sub>"
        shown = list(range(len(zs)))
        if len(zs) > MAX_TERMS:  # the largest z (they weigh most) and this unit's
            shown = sorted(set(np.argsort(-zs)[:MAX_TERMS - 1].tolist()) | {unit})
        more = len(zs) - len(shown)
        zlist = ", ".join(f"z{sub(i)} = {num(zs[i])}" for i in shown) + \
            (f", … ({more} more)" if more else "")
        head = (f"<p>a{sub(unit)} = softmax(z){sub(unit)} = e<sup>z{sub(unit)}</sup> / "
                f"Σⱼ e<sup>zⱼ</sup>, over the layer's {len(zs)} z:<br>&nbsp;&nbsp;{zlist}<br>")
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(zs)
            total = float(e.sum())
        if not (math.isfinite(total) and total > 0):  # huge z: the sum overflows
            return head + f"&nbsp;&nbsp;= <b>{num(a)}</b></p>"
        exps = " + ".join(f"e<sup>{num(zs[i])}</sup>" for i in shown) + \
            (f" + … ({more} more)" if more else "")
        return (head + f"&nbsp;&nbsp;= e<sup>{num(zs[unit])}</sup> / ({exps})<br>"
                f"&nbsp;&nbsp;= {num(e[unit])} / {num(total)} = <b>{num(a)}</b></p>")

    def _update_text(self, tr, layer: int, unit: int, compact: bool = False,
                     lead: str = "") -> str:
        u = tr.update
        lr = u.learning_rate
        g = u.grad[layer][0][:, unit]
        dw = u.update[layer][0][:, unit]
        w = np.asarray(tr.params[layer][0], np.float64)[:, unit]
        i = int(np.argmax(np.abs(g)))
        gi, di = g[i], dw[i]
        # (plain gradient descent's g with the digits −lr·g needs to give Δw as written)
        g_text = written(di, [float(gi)], lambda x: -lr * x)[0] if u.optimizer == "gd" \
            else num(gi)
        head = (f"<p>{lead}For w<sub>{i + 1}</sub> (its largest gradient), g = {g_text}, "
                f"lr = {lr:g}:</p>")
        if u.optimizer == "gd":
            body = (f"<p>Plain gradient descent: Δw = −lr·g = −{lr:g}·{fac(g_text)} = "
                    f"<b>{num(di)}</b></p>")
        elif u.optimizer in ("momentum", "nesterov"):
            v0 = u.before["v"][layer][0][i, unit]
            v1 = u.after["v"][layer][0][i, unit]
            body = (f"<p>Momentum keeps a velocity v: v ← g + 0.9·v = {num(gi)} + 0.9·{fac(v0)} "
                    f"= {num(v1)}<br>")
            if u.optimizer == "momentum":
                body += f"Δw = −lr·v = −{lr:g}·{fac(v1)} = <b>{num(di)}</b></p>"
            else:
                body += (f"Nesterov looks ahead: Δw = −lr·(g + 0.9·v) = −{lr:g}·({num(gi)} + "
                         f"0.9·{fac(v1)}) = <b>{num(di)}</b></p>")
        elif u.optimizer == "adam":
            m0, v0 = u.before["m"][layer][0][i, unit], u.before["v"][layer][0][i, unit]
            m1, v1 = u.after["m"][layer][0][i, unit], u.after["v"][layer][0][i, unit]
            t = u.count
            mh, vh = m1 / (1 - 0.9 ** t), v1 / (1 - 0.999 ** t)
            # (presentation mode: the means' rules and results, not their sums written out,
            # each a line: at 1024x768 the whole took 18 lines in a box of 13)
            m_sum = "" if compact else f"0.9·{fac(m0)} + 0.1·{fac(gi)} = "
            v_sum = "" if compact else f"0.999·{fac(v0)} + 0.001·{fac(gi)}² = "
            body = (f"<p>Adam keeps running means of g and g²:<br>m ← 0.9·m + 0.1·g = "
                    f"{m_sum}{num(m1)}<br>v ← 0.999·v + 0.001·g² = {v_sum}{num(v1)}<br>"
                    + (f"m′ = m/(1 − 0.9ᵗ) = {num(mh)} (t = {t})<br>v′ = v/(1 − 0.999ᵗ) = "
                       f"{num(vh)}<br>" if compact else
                       f"bias-corrected at step t = {t}: m′ = m/(1 − 0.9ᵗ) = {num(mh)}, "
                       f"v′ = v/(1 − 0.999ᵗ) = {num(vh)}<br>") +
                    f"Δw = −lr·m′/(√v′ + 10⁻⁸) = <b>{num(di)}</b></p>")
        else:
            v0, v1 = u.before["v"][layer][0][i, unit], u.after["v"][layer][0][i, unit]
            body = (f"<p>RMSProp keeps a running mean of g²: v ← 0.9·v + 0.1·g² = 0.9·{fac(v0)} "
                    f"+ 0.1·{fac(gi)}² = {num(v1)}<br>Δw = −lr·g/√(v + 10⁻⁸) = "
                    f"<b>{num(di)}</b></p>")
        plain = ""  # (presentation mode: one paragraph with the weight's, run on: a line less)
        if u.optimizer != "gd":
            if compact:
                plain = f"Plain −lr·g would be {num(-lr * gi)}. "
            else:
                body += (f"<p>Not lr × g (that would be {num(-lr * gi)}): the optimiser's "
                         "state changes the step.</p>")
        before, after = num_pair(w[i], w[i] + di)
        body += (f"<p>{plain}The weight w<sub>{i + 1}</sub> goes from {before} to <b>{after}</b>"
                 + ("." if compact else f" (Δw = {num(di)}).") + "</p>")  # (Δw: just above)
        if compact:  # (the check line: the update matches optax's)
            return head + body
        hand = u.hand[layer][0][i, unit]
        grey = colors.hex_of(colors.note())
        differ = "the same" if hand == di else f"difference {abs(hand - di):.1e}"
        body += f"<p style='color:{grey}'>By hand {num(hand)}, optax {num(di)} ({differ}).</p>"
        return head + body


def build_view(ctx) -> BackpropView:
    """The Backprop tab (see nnviz.gui.views): the view and its probe."""
    view = BackpropView(ctx.window)
    tracker = ctx.track("backprop", view, {view.extras_key: (view.probe, BUDGET, BANK_S)},
                        draws_grid=True)
    view.settings_changed.connect(tracker.refresh)
    return view
