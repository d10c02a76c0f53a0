"""The network diagram: layers as columns of nodes, weighted links, biases, neuron thumbnails.

Links are blue for positive weights and orange for negative ones (TensorFlow Playground's
colours), as thick as the weight is large; each node's bias is the small square at its lower
left. Hover anything to read its current value (the tooltip follows training); click a link or
a bias square to type a new value, which goes to the worker at once (the loss and the boundary
follow); click a node to see its activation map large on the right.

Wide networks stay legible: at most ``MAX_UNITS`` units per layer are drawn (the ones with the
strongest weights) and at most ``MAX_LINKS`` links between two layers (the strongest); the
header says how many are shown.
"""
from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import (QApplication, QLabel, QLineEdit, QMenu, QSplitter, QToolTip,
                               QVBoxLayout, QWidget)

from nnviz.core.features import label as feature_label
from nnviz.core.inspect import NeuronMaps
from nnviz.core.network import EDIT_LIMIT

from . import colors
from .neuron_maps import (NeuronMapPanel, Strip, follow_selection, neuron_label, no_plane_text,
                          output_luts, over_inputs, probe_choice)
from .widgets import (EpochNote, LabelRoom, computing, data_names_of, model_epoch,
                      window_playing)

MAX_UNITS = 32
MAX_LINKS = 160
ELLIPSIS = "\u2026"  # what QFontMetrics.elidedText ends a cut header with
CANVAS_TIP = ("The network, inputs on the left, output on the right: hover a link or a bias "
              "to read it, click it to edit it; click a neuron to see its map.")
#: The diagram from the keyboard (NetworkCanvas.keyboard): said in its tooltip, in the status bar
#: as Tab reaches it, and in F1's list.
KEYS_TIP = ("From the keyboard: Tab to the diagram, the arrow keys pick a neuron, Enter lists "
            "its bias and weights to edit.")
KEYS_STATUS = ("Network diagram: the arrow keys pick a neuron, Enter lists its bias and weights "
               "to edit, Esc gives the keys back to the window.")
#: The keys the diagram takes while it has the focus (the window's Right steps, elsewhere).
_CANVAS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2, Qt.Key.Key_Menu}
_LEVELS = 8  # link widths are drawn in this many steps (one pen each: fast)
# A network of this many weights or fewer has each weight written on its link and each bias
# beside its square: lesson 1's 1 -> 1 line is y = m x + b, and its diagram showed m and b only
# as a blue line and a square to hover (review r19). Above it the numbers crowd the links.
FEW_WEIGHTS = 4


DIAGRAM_LEAST = (180, 200)  # px, the diagram's least width and height


class NetworkCanvas(QWidget):
    """The diagram itself, painted by hand into an image once per new state (a snapshot, a
    resize, a selection, a theme): a paint for any other reason (a tooltip, a neighbour's
    relayout) only copies the image. A 2-512x8-1 network's diagram (~260 nodes with their
    thumbnails and biases, ~1,300 links) took ~50 ms of the GUI thread a paint, several paints
    a snapshot."""

    node_clicked = Signal(int, int)  # layer (-1 = input), unit
    edit_requested = Signal(object, QPoint)  # ("w", layer, i, j) or ("b", layer, j), position
    values_requested = Signal(int, int)  # Enter on the selected neuron (keyboard)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.installEventFilter(self)  # its tooltips (eventFilter)
        # Beside its map panel in a 1024-pixel window: at 360 the view's minimum was wider than
        # the tab, and showing it pushed the settings column 39 px narrower (for good). At 300
        # x 260 the Network tab made the window 937 px least-wide and the Backprop tab 565 px
        # least-tall: more than a 1280x800 screen at 150% (853x533 logical px).
        self.setMinimumSize(*DIAGRAM_LEAST)
        # Every paint covers the whole widget with the diagram's image: Qt need not clear it first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.spec = None
        self.params: tuple | None = None
        # Said in the middle before the first network comes (in the widget's font: the image
        # painted here has the application's, small in presentation mode)
        self.placeholder = "The network appears here."
        self.maps: NeuronMaps | None = None
        self._selected: tuple[int, int] | None = None
        self.shown: list[np.ndarray] = []  # unit indices drawn, per column (input first)
        self._shown_at = 0.0
        # (layer, unit) -> (Strip, index): the thumbnails, one image per column
        self._images: dict[tuple[int, int], tuple[Strip, int]] = {}
        self._titles: tuple | None = None  # (what they were fitted for, titles)
        self._hover = None
        self._hover_global: QPoint | None = None
        self.links_drawn = 0
        self.links_total = 0
        self._geometry_dirty = True
        self._picture: QImage | None = None  # the diagram as last drawn (None: draw it anew)
        self._base: tuple | None = None  # (what it shows, the links and headers drawn)
        self._spare: QImage | None = None
        self.renders = 0  # how many times the diagram was drawn (not copied)
        self.keyboard = False  # the arrow keys and Enter (set_keyboard): the Network tab's only
        self._last_in: dict[int, int] = {}  # column -> the unit last picked there (keys)
        self._reserve = 0  # px kept free under the diagram (set_reserve: the editor's refusal)

    def set_reserve(self, px: int) -> None:
        """Keep ``px`` pixels under the diagram free of it: the weight editor's refusal lies
        there (over the diagram it hid its bottom nodes and links)."""
        if px != self._reserve:
            self._reserve = px
            self._geometry_dirty = True
            self.update()

    @property
    def selected(self) -> tuple[int, int] | None:
        return self._selected

    @selected.setter
    def selected(self, value: tuple[int, int] | None) -> None:
        self._selected = value
        self._picture = None

    def set_keyboard(self, on: bool) -> None:
        """Reachable with Tab (not by a click: Right after clicking a neuron still steps an
        epoch), the arrow keys moving the selection, Enter asking for its values."""
        self.keyboard = on
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus if on else Qt.FocusPolicy.NoFocus)

    def update(self, *args) -> None:
        """Draw the diagram anew at the next paint (its state changed) and schedule it."""
        self._picture = None
        super().update(*args)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        # A new font (presentation mode) or style: the titles and the picture, drawn anew.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange,
                            QEvent.Type.StyleChange):
            self._picture = None
            self._geometry_dirty = True
        super().changeEvent(event)

    # -- data ------------------------------------------------------------------------------------

    def set_state(self, spec, params, maps: NeuronMaps | None) -> None:
        sizes = spec.layer_sizes
        if len(params) != len(sizes) - 1 or any(
                np.shape(w) != (sizes[i], sizes[i + 1]) for i, (w, _) in enumerate(params)):
            # Checked before anything is kept: weights of another network, taken in half, left
            # the diagram unable to paint until the next network (an empty black rectangle).
            raise ValueError(f"weights of shapes {[np.shape(w) for w, _ in params]} do not "
                             f"fit a network of layer sizes {list(sizes)}")
        new_spec = spec != self.spec
        new_maps = maps is not self.maps
        if new_spec:
            self._last_in = {}
        self.spec, self.params, self.maps = spec, params, maps
        units_before = [u.tobytes() for u in self.shown]
        if new_spec or self._choice_due():
            self._choose_units()
        new_units = units_before != [u.tobytes() for u in self.shown]
        if new_spec or new_maps or new_units:
            self._make_images()  # a throttled probe hands out the same maps again: reuse
        self._links = self._compute_links()
        if new_spec or new_units:  # else the columns and nodes stay where they are
            self._geometry_dirty = True
        self.update()
        if self._hover is not None and self._hover_global is not None and QToolTip.isVisible():
            QToolTip.showText(self._hover_global, self._describe(self._hover), self)

    def _choice_due(self) -> bool:
        """Whether the units drawn of each column are chosen again (the network's shape is the
        same): the strongest ones, once a second."""
        return time.monotonic() - self._shown_at > 1.0

    def _choose_units(self) -> None:
        """Per column, the MAX_UNITS units with the strongest weights in and out, in order."""
        sizes = self.spec.layer_sizes
        shown = []
        for c, n in enumerate(sizes):
            if n <= MAX_UNITS:
                shown.append(np.arange(n))
                continue
            score = np.zeros(n)
            if c > 0:
                score += np.abs(self.params[c - 1][0]).sum(axis=0)
            if c < len(self.params):
                score += np.abs(self.params[c][0]).sum(axis=1)
            shown.append(np.sort(np.argpartition(-score, MAX_UNITS)[:MAX_UNITS]))
        self.shown = shown
        self._shown_at = time.monotonic()

    def _make_images(self) -> None:
        self._images = {}
        self._picture = None
        maps = self.maps
        if maps is None or not self.shown:
            return
        for c, units in enumerate(self.shown):
            layer = c - 1
            src = maps.inputs if layer < 0 else maps.layers[layer]
            if src.shape[2] != self.spec.layer_sizes[c]:
                return  # maps of another architecture (a stale probe result)
            act = "linear" if layer < 0 else self.spec.layer_activations[layer]
            strip = Strip(src[:, :, units], act, None if layer < 0 else
                          output_luts(self.spec, layer, units))
            for k, u in enumerate(units):
                self._images[(layer, int(u))] = (strip, k)

    def thumbnail(self, layer: int, unit: int) -> QImage | None:
        """The thumbnail drawn in node (layer, unit), or None (no map, or not shown)."""
        found = self._images.get((layer, unit))
        return None if found is None else found[0].thumbnail(found[1])

    # -- geometry --------------------------------------------------------------------------------

    def _geometry(self) -> None:
        w, h = self.width(), self.height()
        top, bottom = 44, 14
        left, right = self._sides()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        # Under the headers: two lines, three where a layer shows only some of its units
        # (the "(32 shown)" may need a line of its own in a narrow column).
        partial = any(len(u) < n for u, n in zip(self.shown, self.spec.layer_sizes))
        top = max(top, (3 if partial else 2) * QFontMetricsF(small).lineSpacing() + 12)
        cols = len(self.shown)
        xs = [left + (w - left - right) * (c + 0.5) / cols for c in range(cols)]
        self.col_x = xs
        # under the headers, staggered ones included (see titles)
        top = max(top, max(r.bottom() for r, _, _ in self.titles()) + self._under_titles())
        avail = max(h - top - bottom - self._reserve, 40)
        gap_x = (w - left - right) / cols
        self.node_size, self.centres = [], []
        for c, units in enumerate(self.shown):
            n = len(units)
            s = min(avail / n * 0.72, gap_x * 0.42, 52.0)
            s = max(s, 4.0)
            step = avail / n
            ys = [top + step * (k + 0.5) for k in range(n)]
            self.node_size.append(s)
            self.centres.append(np.array([[xs[c], y] for y in ys]))
        self.col_x = xs
        self._geometry_dirty = False

    def _under_titles(self) -> float:
        """The room between the headers and the first nodes."""
        return 10.0

    def _sides(self) -> tuple[float, float]:
        """The margins left of the first column (the inputs' names) and right of the last.
        Each column has half its gap on either side already: the left margin is what the
        names need beyond that (a node takes at most 0.42 of a gap), the right one only the
        selected node's frame. Fixed at 46 and 34 px they took 80 of the 417 px of the
        Network tab's diagram in presentation mode at 1024x768."""
        fm = QFontMetricsF(self.font())
        inputs = data_names_of(self)[0]
        widest = max((min(fm.horizontalAdvance(feature_label(name, inputs)), 60.0)
                      for name in self.spec.feature_names), default=0.0)
        w, cols, right = float(self.width()), max(len(self.shown), 1), 6.0
        left = 46.0
        for _ in range(2):  # the gap depends on the margin (the second pass: a wider gap)
            gap = (w - left - right) / cols
            left = max(4.0, widest + 8.0 - (0.5 - 0.21) * gap)
        return left, right

    def _compute_links(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """Per layer: (layer, rows i, cols j, weights) of the links to draw."""
        out, drawn, total = [], 0, 0
        for layer, (W, _) in enumerate(self.params):
            total += W.size
            src, dst = self.shown[layer], self.shown[layer + 1]
            sub = np.asarray(W)[np.ix_(src, dst)]
            flat = np.abs(sub).ravel()
            if flat.size > MAX_LINKS:
                keep = np.argpartition(-flat, MAX_LINKS)[:MAX_LINKS]
            else:
                keep = np.arange(flat.size)
            ii, jj = np.unravel_index(keep, sub.shape)
            out.append((layer, ii, jj, sub[ii, jj]))
            drawn += len(keep)
        self.links_drawn, self.links_total = drawn, total
        if drawn < total:
            # Only the strongest links are drawn: every one of them was above the whole network's
            # 95th percentile, so all were drawn at the thickest width and a 2-512x8-1 network's
            # diagram read as a solid block. Their thickness is then measured among themselves
            # (one scale for all layers still).
            self._weight_scale = weight_scale([(np.concatenate([w for *_, w in out]), None)])
        else:
            self._weight_scale = weight_scale(self.params)
        # Many crossing links: lighter, so the picture stays readable.
        busiest = max((len(w) for *_, w in out), default=0)
        self._link_alpha = 1.0 if busiest <= 60 else 0.55
        return out

    def _link_segments(self):
        """(x0, y0, x1, y1, weight, layer, unit_i, unit_j) arrays of all drawn links."""
        segs = []
        for layer, ii, jj, w in self._links:
            a, b = self.centres[layer][ii], self.centres[layer + 1][jj]
            sa, sb = self.node_size[layer], self.node_size[layer + 1]
            segs.append(np.column_stack([a[:, 0] + sa / 2, a[:, 1], b[:, 0] - sb / 2, b[:, 1], w,
                                         np.full(len(w), layer), self.shown[layer][ii],
                                         self.shown[layer + 1][jj]]))
        return np.concatenate(segs) if segs else np.zeros((0, 8))

    def node_rect(self, c: int, k: int) -> QRectF:
        s = self.node_size[c]
        x, y = self.centres[c][k]
        return QRectF(x - s / 2, y - s / 2, s, s)

    def bias_rect(self, c: int, k: int) -> QRectF:
        s = self.node_size[c]
        b = max(6.0, s * 0.3)
        x, y = self.centres[c][k]
        return QRectF(x - s / 2 - b * 0.7, y + s / 2 - b * 0.6, b, b)

    # -- painting --------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(700, 480)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._geometry_dirty = True
        self._picture = None
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        ratio = self.devicePixelRatioF()
        pic = self._picture
        if pic is None or pic.size() != self.size() * ratio or pic.devicePixelRatioF() != ratio:
            pic = self._spare  # the last picture's memory, drawn over (a new one page-faults)
            if pic is None or pic.size() != self.size() * ratio or \
                    pic.devicePixelRatioF() != ratio:
                pic = QImage(self.size() * ratio, QImage.Format.Format_RGB32)
                pic.setDevicePixelRatio(ratio)
            self._spare = pic
            p = QPainter(pic)
            self._render(p)
            p.end()
            self._picture = pic
            self.renders += 1
        p = QPainter(self)
        p.drawImage(0, 0, pic)
        if self.keyboard and self.hasFocus():  # the keyboard is here: a ring says so
            p.setPen(QPen(colors.focus_ring(), 3))
            p.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
            sel = self._selected_rect()
            if sel is not None:
                p.drawRect(sel.adjusted(-4, -4, 4, 4))
        p.end()

    def _selected_rect(self) -> QRectF | None:
        """The selected node's square, or None (none selected, or not drawn)."""
        if self._selected is None or self.spec is None or self.params is None:
            return None
        if self._geometry_dirty:
            self._geometry()
        c = self._selected[0] + 1
        if not 0 <= c < len(self.shown):
            return None
        k = self.drawn_at(c, self._selected[1])
        return self.node_rect(c, k) if k is not None else None

    def drawn_at(self, c: int, unit: int) -> int | None:
        """Where unit ``unit`` of column ``c`` is drawn among the column's shown units (None:
        not drawn)."""
        k = np.flatnonzero(self.shown[c] == unit)
        return int(k[0]) if len(k) else None

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().focusInEvent(event)
        if self.keyboard and self.spec is not None and self._selected_rect() is None \
                and self.shown:
            self._pick(len(self.shown) - 1, 0)  # the output's first unit
        QWidget.update(self)  # the ring (the picture is the same)
        bar = getattr(self.window(), "statusBar", None)
        if self.keyboard and bar is not None:
            bar().showMessage(KEYS_STATUS, 10000)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().focusOutEvent(event)
        QWidget.update(self)

    def _pick(self, c: int, k: int) -> None:
        """Select the node drawn k-th in column c, as a click on it does."""
        u = int(self.shown[c][k])
        self._last_in[c] = u
        self.selected = (c - 1, u)
        self.update()
        self.node_clicked.emit(c - 1, u)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt)
        key = event.key()
        take_keys = getattr(self.window(), "take_keys", None)
        if self.keyboard and key == Qt.Key.Key_Escape and take_keys is not None:
            take_keys()  # Space plays again, as Esc in a field
            return
        if not self.keyboard or self.spec is None or event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier) or key not in _CANVAS_KEYS:
            super().keyPressEvent(event)
            return
        sel = self._selected_rect()
        if sel is None:
            self._pick(len(self.shown) - 1, 0)
            return
        c = self._selected[0] + 1
        k = self.drawn_at(c, self._selected[1])
        self._last_in[c] = self._selected[1]  # (selected by a click, say)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._pick(c, min(max(k + (1 if key == Qt.Key.Key_Down else -1), 0),
                              len(self.shown[c]) - 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            to = min(max(c + (1 if key == Qt.Key.Key_Right else -1), 0), len(self.shown) - 1)
            if to != c:  # the unit last picked there (Right then Left: back), else the
                # one at about the same height
                back = self.drawn_at(to, self._last_in.get(to, -1))
                y = self.centres[c][k][1]
                self._pick(to, back if back is not None else
                           int(np.argmin(np.abs(self.centres[to][:, 1] - y))))
        else:
            self.values_requested.emit(*self._selected)

    def item_point(self, item) -> QPoint:
        """Where ``item`` (a weight or a bias) is drawn: its link's middle, its square's centre."""
        if self._geometry_dirty:
            self._geometry()
        if item[0] == "b":
            c = item[1] + 1
            return self.bias_rect(c, self.drawn_at(c, item[2])).center().toPoint()
        _, layer, i, j = item
        a = self.centres[layer][self.drawn_at(layer, i)]
        b = self.centres[layer + 1][self.drawn_at(layer + 1, j)]
        return QPoint(int((a[0] + b[0]) / 2), int((a[1] + b[1]) / 2))

    def _render(self, p: QPainter) -> None:
        p.fillRect(self.rect(), QColor(*colors.background()))
        if self.spec is None or self.params is None:
            p.setPen(QColor(*colors.text()))
            p.setFont(self.font())
            p.drawText(self.rect().adjusted(8, 8, -8, -8),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        if self._geometry_dirty:
            self._geometry()
        # The links and the headers, drawn only when what they show changes: a link's width
        # and colour come in _LEVELS steps, which a new snapshot rarely moves a link out of,
        # while the nodes' colours and labels change with every frame (the Backprop tab's
        # numbers). Antialiased wide lines were ~40% of its diagram's paint.
        segs = self._link_segments()
        level, positive = self._link_levels(segs)
        ratio = self.devicePixelRatioF()
        self.titles()  # fitted (and their key kept) before the key is made
        key = (self.size(), ratio, colors.background(), colors.low(), colors.high(),
               colors.text(), self._link_alpha, segs[:, :4].tobytes(), level.tobytes(),
               positive.tobytes(), self._titles[0])
        if self._base is None or self._base[0] != key:
            base = QImage(self.size() * ratio, QImage.Format.Format_RGB32)
            base.setDevicePixelRatio(ratio)
            q = QPainter(base)
            q.fillRect(self.rect(), QColor(*colors.background()))
            # Antialiased wide lines are the costly part: only for a few hundred links.
            q.setRenderHint(QPainter.RenderHint.Antialiasing, self.links_drawn <= 300)
            self._paint_links(q, segs, level, positive)
            q.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_titles(q)
            q.end()
            self._base = (key, base)
        p.drawImage(0, 0, self._base[1])
        # Nodes are axis-aligned squares: antialiasing only blurs them, and costs 3x (4 -> 1.3 ms)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_nodes(p)

    def _link_levels(self, segs) -> tuple[np.ndarray, np.ndarray]:
        """Each link's width step (0 .. _LEVELS - 1) and sign (True: positive)."""
        mags = np.nan_to_num(np.abs(segs[:, 4]), nan=0.0, posinf=1e300)
        level = np.minimum(mags / self._weight_scale, 1.0) * (_LEVELS - 1)  # clipped first
        return level.round().astype(np.int8), segs[:, 4] >= 0

    def _paint_links(self, p: QPainter, segs, level, positive) -> None:
        if not len(segs):
            return
        # Opaque colours mixed with the background, weak links first: translucent wide
        # lines cost the raster engine ~10x more (13 ms a frame for the notebook's 92 links).
        # The weakest a whole pixel wide and standing off the background (colors.link_colour):
        # at 0.6 px and 24% of their colour they vanished on a projector (r19 #15).
        for lv in range(_LEVELS):
            for sign, colour in ((False, colors.low()), (True, colors.high())):
                sel = np.flatnonzero((positive == sign) & (level == lv))
                if not len(sel):
                    continue
                t = lv / (_LEVELS - 1)
                c = QColor(*colors.link_colour(colour, t, self._link_alpha))
                p.setPen(QPen(c, 1.0 + 4.0 * t, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                p.drawLines([QLineF(*row) for row in segs[sel, :4].tolist()])

    def titles(self) -> list[tuple[QRectF, QFont, str]]:
        """Each column's header: where its text is drawn, in which font. As wide as a column
        at most (a font size smaller when needed): "40 sigmoid (32 shown)" over a narrow
        column ran into its neighbours'. Where that leaves them small (under STAGGER_BELOW of
        their size) and every other column's header one row lower lets them be larger, they
        take two columns' width each, staggered (the Backprop tab's diagram at 1024x768 in
        presentation mode: 7 pt headers beside 14 pt text), or where staggered they reach
        ``least_header_size`` and side by side they do not."""
        spec = self.spec
        least = self.least_header_size()
        key = (spec, tuple(len(u) for u in self.shown), tuple(self.col_x), self.width(),
               self.font().key(), least)
        if self._titles is not None and self._titles[0] == key:
            return self._titles[1]  # fitted already: the same columns in the same font
        gap = (self.col_x[1] - self.col_x[0]) if len(self.col_x) > 1 else float(self.width())
        out = self._fitted_titles(max(gap - 6.0, 20.0))
        base = self._header_size(self.font())
        smallest = min(f.pointSizeF() for _, f, _ in out)
        # A header cut ("input 2 featu\u2026", "hidden 1 4 sigm\u2026" at 1024x768 and text
        # size 150%, review r23 F16: its least size was the text's, so never "under" it) is
        # staggered too where that makes it whole.
        cut = any(ELLIPSIS in t for _, _, t in out)
        if len(self.col_x) > 2 and (cut or smallest < max(self.STAGGER_BELOW * base, least)):
            wide = self._fitted_titles(max(2 * gap - 6.0, 20.0))
            staggered = min(f.pointSizeF() for _, f, _ in wide)
            whole = cut and not any(ELLIPSIS in t for _, _, t in wide)
            if staggered >= 1.2 * smallest or staggered >= least > smallest or whole:
                drop = max(r.height() for c, (r, _, _) in enumerate(wide) if c % 2 == 0) + 2
                out = []
                for c, (r, f, t) in enumerate(wide):
                    r = r.translated(0, drop) if c % 2 else QRectF(r)
                    r.moveLeft(min(max(r.left(), 2.0), self.width() - 2.0 - r.width()))
                    out.append((r, f, t))
        self._titles = (key, out)
        return out

    STAGGER_BELOW = 0.7  # of the headers' size: staggered below it, when that is larger

    def least_header_size(self) -> float:
        """The size (pt) under which the headers are staggered where that brings them to it
        (0: only by STAGGER_BELOW); their largest is never under it either. The application's
        text size: in the Network tab at 1024x768 the headers fitted side by side at 6 pt and
        were cut ("10 sigm\u2026"), beside 9 pt text; staggered they are whole at it."""
        return QApplication.font().pointSizeF()

    LEAST_PT = 6.0  # the smallest a diagram's text is drawn at the normal text size

    def least_pt(self) -> float:
        """The smallest this diagram draws its headers and numbers: LEAST_PT, as much larger as
        the diagram's text is than the application's (View > Text size, presentation mode).
        A fixed 6 pt was 0.4 of the text beside it at 150%, and still shown where a column
        was narrow."""
        from .look import text_ratio
        return self.LEAST_PT * text_ratio(self)

    def _header_size(self, font: QFont) -> float:
        """The headers' largest size in ``font`` (the widget's)."""
        return max(7.0, font.pointSizeF() * 0.9, self.least_header_size())

    def _fitted_titles(self, width: float) -> list[tuple[QRectF, QFont, str]]:
        """The headers fitted to ``width`` each, side by side (see ``titles``)."""
        spec = self.spec
        out = []
        for c, x in enumerate(self.col_x):
            if c == 0:
                lines = ["input", f"{spec.n_inputs} feature{'s' if spec.n_inputs > 1 else ''}"]
            elif c == len(self.col_x) - 1:
                lines = ["output", f"{spec.output_dim} {spec.output_activation}"]
            else:
                lines = [f"hidden {c}", f"{spec.hidden[c - 1]} {spec.activations[c - 1]}"]
            n, shown = spec.layer_sizes[c], len(self.shown[c])
            # From the fullest wording to the tersest: the "(32 shown)" on a line of its
            # own, then every line elided to the column ("2 featu512 sigmoid (32 shown)"
            # ran together over eight 512-wide layers).
            wordings = [lines]
            if shown < n:
                wordings = [[lines[0], f"{lines[1]} ({shown} shown)"],
                            [lines[0], lines[1], f"({shown} shown)"]]
            font = QFont(self.font())
            base = self._header_size(font)
            # The wording drawn largest (the first of equals): "10 sigmoid (7 shown)" at 7 pt
            # was taken over "(7 shown)" on its own line at the headers' full size.
            fitted, best = None, 0.0
            least = self.least_pt()
            for words in wordings:
                size = base
                while size >= least and size > best:
                    font.setPointSizeF(size)
                    fm = QFontMetricsF(font)
                    if max(fm.horizontalAdvance(line) for line in words) <= width:
                        fitted, best = words, size
                        break
                    size -= 0.5
            if fitted is not None:
                font.setPointSizeF(best)
            else:
                font.setPointSizeF(least)
                fm = QFontMetricsF(font)
                fitted = [fm.elidedText(line, Qt.TextElideMode.ElideRight, width)
                          for line in wordings[-1]]
            out.append((x, font, fitted))
        # One size for all the headers, the smallest one's: the Backprop diagram's "hidden 2 /
        # 10 sigmoid" was a size smaller than its neighbours' at 1024x768 and read as a lesser
        # heading.
        size = min(f.pointSizeF() for _, f, _ in out)
        rects = []
        for x, font, lines in out:
            font.setPointSizeF(size)
            fm = QFontMetricsF(font)
            need = max(fm.horizontalAdvance(line) for line in lines)
            height = fm.lineSpacing() * len(lines)
            rects.append((QRectF(x - need / 2, 2, need, height), font, "\n".join(lines)))
        return rects

    def _paint_titles(self, p: QPainter) -> None:
        p.setPen(QColor(*colors.text()))
        for rect, font, text in self.titles():
            p.setFont(font)
            p.drawText(rect.adjusted(-2, 0, 2, 0), Qt.AlignmentFlag.AlignHCenter, text)

    def _paint_nodes(self, p: QPainter) -> None:
        # Few painter calls per node (a wide network shows ~260): the thumbnail, the bias's
        # colour; the outlines of a column in one call.
        border = QPen(QColor(*colors.axis()), 1)
        sel_pen = QPen(QColor(*colors.text()), 3)
        neutral = QColor(*colors.theme().neutral)
        heat = colors.heat_qcolors()
        # The thumbnails are sampled continuous maps: blended between samples (NeuronGrid).
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        selected = None
        for c, units in enumerate(self.shown):
            layer = c - 1
            s = self.node_size[c]
            centres = self.centres[c].tolist()  # plain floats: ~260 rectangles, twice
            rects = [QRectF(x - s / 2, y - s / 2, s, s) for x, y in centres]
            for r, u in zip(rects, units):
                found = self._images.get((layer, int(u)))
                if found is not None:
                    p.drawImage(r, found[0].image, found[0].source(found[1]))
                else:
                    p.fillRect(r, neutral)
                if self.selected == (layer, int(u)):
                    selected = r
            p.setPen(border)
            p.drawRects(rects)
            if layer < 0:
                p.setPen(QColor(*colors.text()))
                # the widget's font (presentation mode's larger one): the painter of the
                # picture has the application's, and "x1", "x2" stayed small on a projector
                p.setFont(self.font())
                inputs = data_names_of(self)[0]  # an imported file's "width", not "x1"
                for r, u in zip(rects, units):
                    p.drawText(QRectF(r.left() - 64, r.top(), 60, r.height()),
                               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                               p.fontMetrics().elidedText(
                                   feature_label(self.spec.feature_names[int(u)], inputs),
                                   Qt.TextElideMode.ElideRight, 60))
                continue
            # Each bias's colour (as diverging_colour, for the column at once), then outlines.
            b = np.asarray(self.params[layer][1], np.float64)[units]
            with np.errstate(all="ignore"):
                t = 0.5 + 0.5 * np.clip(np.nan_to_num(b / self._bias_scale(layer), nan=0.0),
                                        -1.0, 1.0)
            shades = np.rint(t * 255).astype(int)
            b = max(6.0, s * 0.3)  # as bias_rect
            bias_rects = [QRectF(x - s / 2 - b * 0.7, y + s / 2 - b * 0.6, b, b)
                          for x, y in centres]
            for br, shade in zip(bias_rects, shades):
                p.fillRect(br, heat[shade])
            p.drawRects(bias_rects)
        if selected is not None:
            p.setPen(sel_pen)
            p.drawRect(selected)
        labels = self.value_labels()
        if labels:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setFont(self.font())
            p.setPen(QColor(*colors.text()))
            for rect, text in labels:
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def value_labels(self) -> list[tuple[QRectF, str]]:
        """Where and what the diagram writes of a network of FEW_WEIGHTS weights or fewer:
        "w = 2.33" by each link, a third of the way along it (two links from one unit are
        apart there, and two that cross are not yet crossing) on the side its line leaves
        free, "b = 0.115" under each bias's square. None for a bigger network."""
        if self.spec is None or self.params is None or self.links_total > FEW_WEIGHTS:
            return []
        if self._geometry_dirty:
            self._geometry()
        fm = QFontMetricsF(self.font())
        high = fm.height()
        out = []
        for x0, y0, x1, y1, w, *_ in self._link_segments().tolist():
            text = f"w = {w:.3g}"
            wide = fm.horizontalAdvance(text) + 4
            x, y = x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3
            if abs(y1 - y0) < 1:  # level: over it
                out.append((QRectF(x - wide / 2, y - high - 3, wide, high), text))
            else:  # on the side of the point the line leaves free: falling, above; rising, below
                top = y - high - 3 if y1 > y0 else y + 3
                out.append((QRectF(x + 3, top, wide, high), text))
        for c, units in enumerate(self.shown[1:], start=1):
            for k, u in enumerate(units):
                text = f"b = {float(self.params[c - 1][1][int(u)]):.3g}"
                wide = fm.horizontalAdvance(text) + 4
                br = self.bias_rect(c, k)
                out.append((QRectF(br.center().x() - wide / 2, br.bottom() + 2, wide, high),
                            text))
        return out

    def _bias_scale(self, layer: int) -> float:
        b = np.abs(np.asarray(self.params[layer][1]))
        b = b[np.isfinite(b)]
        return max(float(b.max()), 1e-6) if b.size else 1.0

    # -- hit testing, tooltips, clicks -----------------------------------------------------------

    def item_at(self, pos: QPointF):
        """("b", layer, unit), ("n", layer, unit) or ("w", layer, i, j) under ``pos``, or None."""
        if self.spec is None or self.params is None:
            return None
        if self._geometry_dirty:
            self._geometry()
        for c, units in enumerate(self.shown):
            for k, u in enumerate(units):
                if c > 0 and self.bias_rect(c, k).adjusted(-2, -2, 2, 2).contains(pos):
                    return ("b", c - 1, int(u))
        for c, units in enumerate(self.shown):
            for k, u in enumerate(units):
                if self.node_rect(c, k).contains(pos):
                    return ("n", c - 1, int(u))
        segs = self._link_segments()
        if len(segs):
            px, py = pos.x(), pos.y()
            x0, y0, x1, y1 = segs[:, 0], segs[:, 1], segs[:, 2], segs[:, 3]
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((px - x0) * dx + (py - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-9),
                        0, 1)
            d = np.hypot(x0 + t * dx - px, y0 + t * dy - py)
            # Prefer the strongest of the links within reach (they are drawn on top).
            near = np.flatnonzero(d <= 4.0)
            if len(near):
                best = near[np.argmax(np.abs(segs[near, 4]))]
                return ("w", int(segs[best, 5]), int(segs[best, 6]), int(segs[best, 7]))
        return None

    def value_of(self, item) -> float:
        if item[0] == "w":
            return float(self.params[item[1]][0][item[2], item[3]])
        return float(self.params[item[1]][1][item[2]])

    def _describe(self, item) -> str:
        spec = self.spec
        if item[0] == "w":
            _, layer, i, j = item
            return (f"weight from {neuron_label(spec, layer - 1, i, data_names_of(self))}\n"
                    f"to {neuron_label(spec, layer, j, data_names_of(self))}:\n"
                    f"{self.value_of(item):+.5g}   (click to type a new value)")
        if item[0] == "b":
            return (f"bias of {neuron_label(spec, item[1], item[2], data_names_of(self))}:\n"
                    f"{self.value_of(item):+.5g}   (click to type a new value)")
        _, layer, unit = item
        text = neuron_label(spec, layer, unit, data_names_of(self))
        if layer >= 0:
            text += f"\nbias {float(self.params[layer][1][unit]):+.5g}"
        maps = self.maps
        if maps is not None and self._images.get((layer, unit)) is not None:
            src = maps.inputs if layer < 0 else maps.layers[layer]
            m = src[:, :, unit]
            text += (f"\nactivation {over_inputs(self)}: {np.nanmin(m):.3g} to "
                     f"{np.nanmax(m):.3g}")
        return text + ("" if no_plane_text(self, spec) else "\nclick to see its map large")

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        item = self.item_at(event.position())
        self._hover = item
        self._hover_global = event.globalPosition().toPoint()
        if item is None:
            QToolTip.hideText()
            self.setCursor(Qt.CursorShape.ArrowCursor)
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(self._hover_global, self._describe(item), self)

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._hover = None
        super().leaveEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt)
        # Qt asks for a tooltip when the mouse rests; unanswered, the question goes to the tab,
        # whose generic tooltip replaced the value under the mouse. The canvas answers itself,
        # in a filter on itself rather than an override of event(): PySide6 6.11 segfaults
        # when an error raised by Python or numpy (an IndexError) in an override (paintEvent)
        # unwinds through a Python event()'s super().event() -- a Backprop diagram's paint
        # error took the app down -- where from Qt's own event() it prints the traceback.
        if watched is self and event.type() == QEvent.Type.ShortcutOverride and self.keyboard \
                and self.hasFocus() and event.key() in _CANVAS_KEYS \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            event.accept()  # the diagram's arrow (its selection), not the window's Right
            return True
        if watched is self and event.type() == QEvent.Type.ToolTip:
            item = self.item_at(QPointF(event.pos()))
            if item is not None:
                QToolTip.showText(event.globalPos(), self._describe(item), self)
            else:
                QToolTip.showText(event.globalPos(), self.toolTip() or CANVAS_TIP, self)
            return True
        return False

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        item = self.item_at(event.position())
        if item is None:
            return
        if item[0] == "n":
            self.selected = (item[1], item[2])
            self.update()
            self.node_clicked.emit(item[1], item[2])
        else:
            self.edit_requested.emit(item, event.position().toPoint())


class NetworkView(QWidget):
    """The "network" view: the diagram, an inline editor for weights, the selected neuron's map."""

    neuron_selected = Signal(int, int)
    params_edited = Signal(object)

    def __init__(self, on_edit: Callable | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_edit = on_edit  # called with the edited params (e.g. MainWindow.set_params)
        self.probe = None  # a NeuronMapsProbe, set by install_views
        self.extras_key = "network"
        self.snapshot = None
        self.canvas = NetworkCanvas()
        self.panel = NeuronMapPanel()
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.epoch_note = EpochNote("neuron maps")
        self.header.setToolTip("The network's shape, the epoch shown, and how to read the "
                               "links (weights) and the small squares (biases).")
        # The editor's refusal lies at the diagram's foot, the diagram drawn above it (the
        # canvas keeps it free: set_reserve) and the edit box moved with its link: in the
        # layout above the diagram it pushed the diagram down ~20 px, the box left off the
        # link or bias it edits; over the diagram under the box it hid the bottom nodes.
        self.message = QLabel(self.canvas)
        self.message.setWordWrap(True)
        self.message.setMargin(3)
        self.message.setAutoFillBackground(True)  # readable over the links
        colors.tint(self.message, "error")
        self.message.hide()
        split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([720, 300])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(LabelRoom(self.header))  # the epoch in it: a new text every frame
        lay.addWidget(split, 1)
        self.editor = QLineEdit(self.canvas)
        self.editor.setFixedWidth(110)
        self.editor.setToolTip("Type the new value and press Enter (Escape: keep the old one).")
        self.editor.hide()
        self.editor.installEventFilter(self)  # Enter commits, Esc cancels (eventFilter)
        self._editing = None
        self.canvas.node_clicked.connect(self.select)
        self.canvas.edit_requested.connect(self.begin_edit)
        self.canvas.set_keyboard(True)
        self.canvas.values_requested.connect(self.values_menu)
        self._keyed = False  # the edit open was asked from the keyboard: the focus comes back
        self.canvas.installEventFilter(self)  # a new size: the refusal placed again
        self._set_header()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode on or off
            self._set_header()

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look): the links, the key, the maps."""
        self._set_header()
        if self.canvas.maps is not None:
            self.canvas._make_images()
        self.canvas.update()

    # -- updates ---------------------------------------------------------------------------------

    def update_snapshot(self, snapshot) -> None:
        old_spec = self.snapshot.spec if self.snapshot is not None else None
        self.snapshot = snapshot
        spec = snapshot.spec
        maps = snapshot.extras.get(self.extras_key)
        if maps is not None and len(maps.layers) != spec.n_layers:
            maps = None
        elif self.extras_key not in snapshot.extras and spec == self.canvas.spec:
            # A frame made while this view's probe was off: the window's last one, drawn as the
            # tab comes to the front again, made behind another tab. The maps drawn last stay
            # (the header says their epoch when it is not the frame's) until the probe's own
            # frame; taken for "no maps", every unit went grey until the worker had done what
            # it was doing, the Backprop tab's first numbers (a compile) ~10 s on a busy
            # machine. (A probe that ran and found no plane says None: the maps go.)
            maps = self.canvas.maps
        sel = self.canvas.selected
        if sel is None:
            if maps is not None:
                self.canvas.selected = maps.selected  # the probe's default: the output neuron
        elif spec != old_spec:
            # Another network: the diagram, the probe and the map agree on the neuron shown.
            self._carry_selection(old_spec, spec, sel)
        self.canvas.set_state(spec, snapshot.params, maps)
        sel = self.canvas.selected
        if maps is not None and maps.selected == sel:
            layer = maps.selected[0]
            act = "linear" if layer < 0 else spec.layer_activations[layer]
            self.panel.show_map(maps, spec, act)
        elif spec != old_spec:
            # No map of this neuron of this network yet: not the last network's map meanwhile.
            self.panel.clear("" if sel is None else
                             f"<b>{neuron_label(spec, *sel, data_names_of(self))}</b> "
                             f"— {computing('its map', False)}")
        self._previous_run = False
        self._set_header()

    def new_run(self) -> None:
        """Another run replaces the one shown (nnviz.gui.views): the neuron maps go now, and
        until the new run's first frame (after its compile) the header says the diagram is the
        last run's."""
        self._previous_run = self.snapshot is not None
        if self.canvas.spec is not None and self.canvas.maps is not None:
            self.canvas.set_state(self.canvas.spec, self.canvas.params, None)
        self.panel.clear("")
        self._set_header()

    def _carry_selection(self, old_spec, spec, sel: tuple[int, int]) -> None:
        new = follow_selection(old_spec, spec, sel)
        self.canvas.selected = new
        if self.probe is not None:
            choice = probe_choice(spec, new)
            if choice != self.probe.selected:
                self.probe.selected = choice
                self.neuron_selected.emit(*new)  # the worker's probe: a new copy

    def _set_header(self) -> None:
        c = self.canvas
        # No plane (3+ features): no map to click for, and no empty map panel beside.
        no_plane = no_plane_text(self, c.spec) if c.spec is not None else ""
        self.panel.setVisible(not no_plane)
        self.canvas.setToolTip((CANVAS_TIP.replace("; click a neuron to see its map", "")
                                if no_plane else CANVAS_TIP) + " " + KEYS_TIP)
        # In presentation mode the words for the mouse go (the diagram's tooltip has them):
        # on a projector at 1024x768 the header took four lines above the diagram.
        hands = "" if _presenting(self) else (
            " Hover to read a value, click a link or a bias to edit it"
            + ("." if no_plane else ", click a node to see its map."))
        legend = ("links: " + colors.scale_html("positive", "negative") + ", thickness = size; "
                  "small square = bias." + hands
                  + (" " + no_plane.split(": ")[0] + ": there is no plane of inputs to draw "
                     "a node's map on." if no_plane else ""))
        if c.spec is None:
            self.header.setText(legend)
            return
        epoch = self.snapshot.epoch if self.snapshot is not None else 0
        if c.links_drawn < c.links_total:
            links = f"the {c.links_drawn:,} strongest of {c.links_total:,} links shown"
        elif c.links_total == 1:
            links = "its one link shown"  # "all 1 links shown" for a 1 -> 1 network (r21 F9)
        else:
            links = f"all {c.links_total:,} links shown"
        # The maps' probe is throttled while the run plays: its maps may be a few frames
        # older than the links; said, not passed off as this epoch's (a reviewer saw the
        # view's epoch differ from the window's).
        shown = c.maps.epoch if c.maps is not None else -1
        epoch_text = (self.epoch_note.text(epoch, shown, window_playing(self))
                      or model_epoch(self.snapshot))
        if getattr(self, "_previous_run", False):
            self.header.setText(f"<b>The last run's network</b>, {c.spec.shapes_text()}: the new "
                                "run's comes with its first frame (once its model has "
                                f"compiled)\u2026<br>{legend}")
            return
        self.header.setText(f"<b>{c.spec.shapes_text()}</b> &nbsp; {epoch_text} &nbsp; "
                            f"{links}<br>{legend}")

    # -- selecting and editing -------------------------------------------------------------------

    def select(self, layer: int, unit: int) -> None:
        self.canvas.selected = (layer, unit)
        self.canvas.update()
        if self.probe is not None:
            self.probe.selected = (layer, unit) if self.snapshot is None else \
                probe_choice(self.snapshot.spec, (layer, unit))
        if self.snapshot is not None:
            self.panel.title.setText(f"<b>{neuron_label(self.snapshot.spec, layer, unit, data_names_of(self))}</b> "
                                     f"— {computing('its map', False)}")
            maps = self.snapshot.extras.get(self.extras_key)
            if maps is not None and maps.selected == (layer, unit):
                act = "linear" if layer < 0 else self.snapshot.spec.layer_activations[layer]
                self.panel.show_map(maps, self.snapshot.spec, act)
        self.neuron_selected.emit(layer, unit)

    def values_menu(self, layer: int, unit: int) -> QMenu | None:
        """Enter on a neuron of the diagram (the keyboard's click): a list of its bias and the
        weights drawn into and out of it, each with its value; the one chosen opens the editor
        on it, where a click would have. None when there is nothing to edit."""
        c = self.canvas
        spec, params = c.spec, c.params
        if spec is None or params is None:
            return None
        names = data_names_of(self)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        items = []
        if layer >= 0:
            items.append((("b", layer, unit), "bias"))
            items += [(("w", layer, int(i), unit),
                       f"weight from {neuron_label(spec, layer - 1, int(i), names)}")
                      for i in c.shown[layer]]
        if layer + 1 < len(params):
            items += [(("w", layer + 1, unit, int(j)),
                       f"weight to {neuron_label(spec, layer + 1, int(j), names)}")
                      for j in c.shown[layer + 2]]
        if not items:
            return None
        menu.addSection(neuron_label(spec, layer, unit, names))
        for item, text in items:
            a = menu.addAction(f"{text}: {c.value_of(item):+.4g}".replace("&", "&&"))
            a.setToolTip("Enter: type a new value")
            a.triggered.connect(lambda _=False, item=item: self._edit_keyed(item))
        self.values_open = menu  # (tests)
        menu.popup(c.mapToGlobal(c.item_point(items[0][0])))
        return menu

    def _edit_keyed(self, item) -> None:
        self.begin_edit(item, self.canvas.item_point(item))
        self._keyed = True

    def _back_to_canvas(self) -> None:
        if self._keyed:
            self._keyed = False
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def begin_edit(self, item, pos: QPoint) -> None:
        """Open the inline editor on a weight ("w", layer, i, j) or bias ("b", layer, j)."""
        self._keyed = False
        self._editing = item
        self.editor.setText(f"{self.canvas.value_of(item):.6g}")
        self.editor.selectAll()
        x = min(max(pos.x() - 20, 0), self.canvas.width() - self.editor.width())
        y = min(max(pos.y() - 12, 0), self.canvas.height() - self.editor.height())
        self.editor.move(x, y)
        what = "weight" if item[0] == "w" else "bias"
        self.editor.setToolTip(f"new {what}: Enter to apply, Esc to cancel")
        self.editor.show()
        self.editor.setFocus()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.canvas and event.type() == event.Type.Resize \
                and self.message.isVisible():
            QTimer.singleShot(0, self, self._place_message)
        if obj is self.editor and event.type() == event.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            self.cancel_edit()
            return True
        if obj is self.editor and event.type() == event.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Taken here: QLineEdit ignores Enter once it has said returnPressed, and an ignored
            # key goes on to its parent, the diagram, whose Enter lists the neuron's values (the
            # list popped up again over the new value, or over a bad value's message).
            self._commit_edit()
            return True
        return super().eventFilter(obj, event)

    def cancel_edit(self) -> None:
        self._editing = None
        self.editor.hide()
        self._hide_message()
        self._back_to_canvas()

    def _hide_message(self) -> None:
        self.message.hide()
        self.canvas.set_reserve(0)

    def _commit_edit(self) -> None:
        item = self._editing
        if item is None:
            return
        text = self.editor.text().strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > EDIT_LIMIT:
            self.message.setText(f"“{text}” is not a usable value: type a number between "
                                 f"-{EDIT_LIMIT:g} and {EDIT_LIMIT:g}, e.g. -0.5 (Esc cancels).")
            self._place_message()
            self.message.show()
            self.message.raise_()
            return
        self._hide_message()
        self.editor.hide()
        self._editing = None
        self.set_value(item, value)
        self._back_to_canvas()

    def _place_message(self) -> None:
        """The refusal across the diagram's foot, the diagram drawn above it (the canvas keeps
        its height free) and the edit box moved onto its link or bias where that is drawn now."""
        if not self.message.isVisible() and self._editing is None:
            return
        room = self.canvas.rect()
        m = self.message
        width = room.width()
        height = m.heightForWidth(width)
        m.setGeometry(0, room.height() - height, width, height)
        self.canvas.set_reserve(height + 4)
        if self._editing is not None and self.editor.isVisible():
            try:
                pos = self.canvas.item_point(self._editing)
            except (IndexError, TypeError, ValueError):  # not drawn now (another network)
                return
            x = min(max(pos.x() - 20, 0), room.width() - self.editor.width())
            y = min(max(pos.y() - 12, 0), room.height() - height - self.editor.height() - 2)
            self.editor.move(x, max(y, 0))

    def set_value(self, item, value: float) -> None:
        """Change one weight or bias and send the whole set of weights on."""
        params = [(np.array(w, np.float32), np.array(b, np.float32))
                  for w, b in self.canvas.params]
        if item[0] == "w":
            params[item[1]][0][item[2], item[3]] = value
        else:
            params[item[1]][1][item[2]] = value
        params = tuple(params)
        # Show the new value at once; the worker's next snapshot confirms it.
        self.canvas.set_state(self.canvas.spec, params, self.canvas.maps)
        if self.on_edit is not None:
            self.on_edit(params)
        self.params_edited.emit(params)


def weight_scale(params, sample: int = 1 << 13) -> float:
    """One scale for the whole network's links (so layers compare honestly): a large weight, the
    95th percentile of their sizes, not the largest, gets the thickest line. Above ``sample``
    weights the percentile is of an even stride through every layer: a wide network has millions,
    and sorting them all every frame cost more than the rest of the frame; a stride of 8,192 is
    within ~1% of the whole network's percentile, at a tenth of the 65,536's millisecond a frame
    (2-512x8-1)."""
    step = max(1, sum(np.size(W) for W, _ in params) // sample)
    allw = np.abs(np.concatenate([np.asarray(W).ravel()[::step] for W, _ in params]))
    allw = allw[np.isfinite(allw)]
    if not allw.size:
        return 1.0
    # np.percentile's linear 95th, from a partition around its two neighbours (np.percentile
    # itself took ~0.3 ms a frame for the notebook's 111 weights, most of it overhead)
    q = 0.95 * (allw.size - 1)
    lo = int(q)
    hi = min(lo + 1, allw.size - 1)
    part = np.partition(allw, (lo, hi))
    scale = float(part[lo] + (part[hi] - part[lo]) * (q - lo))
    return scale if scale > 1e-12 else 1.0


def _presenting(widget: QWidget) -> bool:
    """Whether the window of ``widget`` is in presentation mode (nnviz.gui.presentation)."""
    presentation = getattr(widget.window(), "presentation", None)
    return bool(getattr(presentation, "active", False))


def _valid_neuron(spec, neuron: tuple[int, int]) -> bool:
    layer, unit = neuron
    return -1 <= layer < spec.n_layers and 0 <= unit < spec.layer_sizes[layer + 1]


def build_view(ctx) -> NetworkView:
    """The Network tab (see nnviz.gui.views): the diagram, its neuron maps' probe."""
    from nnviz.core import inspect

    from .views import MAP_BANK_S, MAP_BUDGET
    view = NetworkView(on_edit=ctx.window.set_params)
    view.probe = inspect.NeuronMapsProbe()
    tracker = ctx.track("network", view, {view.extras_key: (view.probe, MAP_BUDGET,
                                                        MAP_BANK_S)})
    view.neuron_selected.connect(tracker.refresh)
    return view
