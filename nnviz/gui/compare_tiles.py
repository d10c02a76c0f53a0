"""Small multiples: every member of a sweep as a tile, all drawn from one image.

The tiles of 2-D data are one RGB mosaic (:func:`mosaic_rgb`) in one ImageItem, the training
points of every tile one ScatterPlotItem, the fitted curves of 1-D data one PlotDataItem (NaN
between tiles): a frame sets one image or one curve, whatever the number of members. The labels
and the points change only when the sweep does.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QWidget

from nnviz.core.data import Dataset

from . import colors
from .compare_plots import WORSE_MARK, WORSE_TIP

GAP = 0.06  # between tiles, in tile widths
LABEL_BAND = 0.2  # above each tile, for its label, in tile heights
DIVERGED_GREY = np.array([205, 205, 205], np.float32)
MIN_LABEL_PT = 6.5  # a tile's label shrinks to fit its band down to this
#: A two-axis grid's column names shrink to fit their room down to this share of the row
#: labels' size, no further (half their size read as a footnote on a projector).
COLUMN_FONT_FLOOR = 0.85
# The band grows past LABEL_BAND (up to this) to hold a label at the window's size where small
# tiles leave it less: 16 tiles at 1024x768 in presentation mode wrote 7 pt labels.
MAX_LABEL_BAND = 0.6
#: A class point's size on a tile: room for its shape to show (a 3-px dot had none).
CLASS_POINT_SIZE = 5


#: A label's state in words, and the mark that says it on a tile too small for them.
STATE_MARKS = ((" \u2014 diverged", " \u2717"), (" \u2014 got worse", " " + WORSE_MARK))


def _marked(label: str) -> str:
    """``label`` with its state's words as a mark ("lr 10 \u2717")."""
    for words, mark in STATE_MARKS:
        label = label.replace(words, mark)
    return label


STAR = "\u2605 "


def facet(label: str) -> tuple[str, str]:
    """A two-axis member's label ("\u2605 lr 10, tanh \u2014 got worse") as its row's header,
    the first axis's value ("lr 10"), and its tile's own words, the second's with the tile's
    best star and state ("\u2605 tanh \u2014 got worse")."""
    star = label.startswith(STAR)
    row, _, column = (label[len(STAR):] if star else label).partition(", ")
    return row, (STAR if star else "") + column


def _label_at(item: pg.TextItem, pt: float, scale: float) -> None:
    """A tile's label in a ``pt``-point font, written where presentation.scale_scene reads it
    back (its base size, ``pt`` / ``scale``), so that its scaling starts from it rather than
    scaling it again."""
    from .presentation import _BASE, _SET
    text_item = item.textItem
    if abs(text_item.font().pointSizeF() - pt) > 0.05:
        font = text_item.font()
        font.setPointSizeF(pt)
        text_item.setFont(font)
        item.updateTextPos()
    # (QGraphicsItem's own data: pyqtgraph's items override data())
    QGraphicsItem.setData(text_item, _BASE, {"font": pt / scale})
    QGraphicsItem.setData(text_item, _SET, {"font": pt})


def diverged_grey() -> np.ndarray:
    """What a diverged member's tile is washed towards: light grey, or on the dark theme its
    neutral dark grey (a light-grey block glared among the dark tiles)."""
    t = colors.theme()
    return np.array(t.neutral, np.float32) if t.dark else DIVERGED_GREY


def _lut() -> np.ndarray:
    """The boundary plot's scale (the current theme's and palette's), as 256 RGB rows."""
    return _plane_lut(*(x.name for x in colors.current()))


@functools.lru_cache(maxsize=8)
def _plane_lut(theme: str, palette: str) -> np.ndarray:
    return colors.diverging_map().getLookupTable(0.0, 1.0, 256, alpha=False)[:, :3]


def tile_layout(n: int, shape: tuple[int, ...] | None = None, aspect: float = 1.0,
                band: float = LABEL_BAND) -> tuple[int, int]:
    """(rows, cols) of ``n`` tiles: the two axes' grid for a two-axis sweep (``shape``), else
    the columns that make the tiles largest in a widget ``aspect`` (width / height) wide (of
    nearly equal sizes, the one with the fewest empty places)."""
    if shape is not None and len(shape) == 2 and shape[0] * shape[1] == n:
        return int(shape[0]), int(shape[1])
    best, best_key = (1, max(n, 1)), None
    for cols in range(1, max(n, 1) + 1):
        rows = int(math.ceil(n / cols))
        size = min(aspect / (cols * (1 + GAP)), 1 / (rows * (1 + band + GAP)))
        key = (round(size, 2), -(rows * cols - n))
        if best_key is None or key > best_key:
            best, best_key = (rows, cols), key
    return best


def tile_origin(i: int, cols: int, band: float = LABEL_BAND) -> tuple[float, float]:
    """The top-left corner of tile ``i`` (its picture, under its label band ``band`` high) in
    the mosaic's coordinates: a tile is 1 x 1, y grows downwards."""
    r, c = divmod(i, cols)
    return c * (1 + GAP), r * (1 + band + GAP) + band


def tile_at(x: float, y: float, n: int, cols: int, band: float = LABEL_BAND) -> int | None:
    """The tile under the point (x, y) of the mosaic (its label counts), or None."""
    if x < 0 or y < 0:
        return None
    c, fx = divmod(x, 1 + GAP)
    r, fy = divmod(y, 1 + band + GAP)
    i = int(r) * cols + int(c)
    if fx > 1 or fy > 1 + band or c >= cols or i >= n:
        return None
    return i


def member_rgb(values: np.ndarray, kind: str, levels: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """(members, res_y, res_x, 3) uint8 of every member's model over the plane: P(class 1) on
    the orange-blue scale (``kind`` "binary"), the predicted class ("multiclass"), or a value
    scaled by ``levels`` ("value")."""
    v = np.asarray(values, np.float32)
    if kind == "multiclass" and v.ndim == 4:
        return colors.class_image(np.nan_to_num(v))
    if v.ndim == 4:  # two class scores: P(class 1); one output: itself
        v = v[..., -1] if kind == "binary" else v[..., 0]
    lo, hi = levels
    scaled = (np.nan_to_num(v, nan=0.5 * (lo + hi)) - lo) / max(hi - lo, 1e-12)
    idx = np.clip(scaled * 255, 0, 255).astype(np.uint8)
    return _lut()[idx]


def mosaic_rgb(tiles: np.ndarray, cols: int, px_gap: int, diverged: np.ndarray | None = None,
               px_label: int = 0) -> np.ndarray:
    """One RGB image of ``tiles`` (members, res_y, res_x, 3), row-major from the top left, rows
    of tiles ``px_label`` pixels apart more than columns (the labels' band), white between.
    Each tile is flipped so that its top row is the plane's largest y. A diverged member's tile
    is washed out towards grey."""
    m, ry, rx, _ = tiles.shape
    rows = int(math.ceil(m / cols))
    h = rows * (ry + px_gap + px_label) + px_label
    w = cols * (rx + px_gap) - px_gap
    out = np.empty((h, w, 3), np.uint8)
    out[:] = colors.background()
    for i in range(m):
        r, c = divmod(i, cols)
        y0 = r * (ry + px_gap + px_label) + px_label
        x0 = c * (rx + px_gap)
        t = tiles[i, ::-1]
        if diverged is not None and diverged[i]:
            t = (0.25 * t + 0.75 * diverged_grey()).astype(np.uint8)
        out[y0:y0 + ry, x0:x0 + rx] = t
    return out


class TileMosaic(pg.GraphicsLayoutWidget):
    """Every member's tile, its label, the selected one framed. ``clicked(i)`` / ``activated(i)``
    (a double click) name the member under the mouse."""

    clicked = Signal(int)
    activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground(colors.background())
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self._drawn = None  # the last frame's (values, xs, diverged): drawn again at a new layout
        self.vb = self.addViewBox()
        self.vb.setMouseEnabled(False, False)
        self.vb.invertY(True)
        self.vb.setAspectLocked(True)
        self.vb.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.image)
        self.curves = pg.PlotDataItem(pen=pg.mkPen(colors.TRAIN_CURVE, width=2), connect="finite")
        self.curves.setZValue(5)
        self.vb.addItem(self.curves)
        self.frames = pg.PlotDataItem(pen=pg.mkPen(colors.axis(), width=1), connect="finite")
        self.vb.addItem(self.frames)
        self.points = pg.ScatterPlotItem(size=3, pxMode=True, pen=None)
        self.points.setZValue(10)
        self.vb.addItem(self.points)
        # The points and frames change once per sweep, the image under them every frame.
        for item in (self.points, self.frames):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.selection = QGraphicsRectItem()
        pen = QPen(QColor(*colors.text()))
        pen.setWidth(3)
        pen.setCosmetic(True)
        self.selection.setPen(pen)
        self.selection.setZValue(20)
        self.selection.hide()
        self.vb.addItem(self.selection)
        # the frame's inset is in pixels: placed again when a tile's size in pixels changes
        self.vb.sigTransformChanged.connect(lambda *_: self.select(getattr(self, "selected", None)))
        self.placeholder = pg.TextItem(
            "A sweep trains many variants of a network at once and shows them side by side.\n"
            "Pick a ready-made sweep on the left (Learning rate, say), then press Play:\n"
            "while this tab is shown, Play, Step and the speed slider drive the sweep.",
            color=colors.hex_of(colors.axis()), anchor=(0.5, 0.5))
        self.vb.addItem(self.placeholder)
        self.placeholder.setPos(0.5, 0.5)
        self.vb.setRange(QRectF(0, 0, 1, 1), padding=0)
        self.labels: list[pg.TextItem] = []
        # A two-axis grid's rows' values, left of each row (the tiles' labels say the columns'):
        # "lr 1, tanh" on a tile was cut to "1, ta\u2026" at 1024 x 768.
        self.row_labels: list[pg.TextItem] = []
        self.left = 0.0  # the room left of the tiles for the row labels, in tile widths
        self.n, self.cols, self.rows = 0, 1, 1
        self.shape: tuple[int, ...] | None = None
        self.kind = "binary"
        self.levels = (0.0, 1.0)
        self.selected: int | None = None
        self._texts: list[str] = []
        self._data: Dataset | None = None
        self._bounds = None
        self._aspect = 1.0
        self.band = LABEL_BAND  # the labels' band over each tile, in tile heights (_fit_band)
        self.setToolTip("Every member of the sweep: its model over the plane (or its fitted "
                        "curve), labelled with its values.\nClick a tile to select the member; "
                        "double-click to make it the main window's run.")
        self.scene().sigMouseClicked.connect(self._mouse)
        # The labels fit the tiles' size on the screen whenever it changes: once the view box
        # has its size, and once its range follows (the first layout's last step: fitted
        # only at the box's new size, "sigmoid" stayed "sigm\u2026" at 1400 x 900 in
        # presentation mode until something else laid the view out again). One fit per turn.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_labels)
        self.vb.sigResized.connect(lambda *_: self._refit.start())
        self.vb.sigTransformChanged.connect(self._tile_size_changed)

    # --- once per sweep ------------------------------------------------------------------------

    def set_members(self, labels: tuple[str, ...], data: Dataset, bounds, shape=None) -> None:
        """A new sweep: ``labels`` per member, the data set (its points are drawn on every tile),
        the plane's ``bounds`` ((x0, x1), (y0, y1)) or ((x0, x1),) for 1-D data, and the sweep's
        ``shape`` (values per axis: a two-axis sweep's tiles form its grid)."""
        self.placeholder.setVisible(not labels)
        self.n, self.shape, self._data, self._bounds = len(labels), shape, data, bounds
        self._texts = list(labels)
        if data.is_classification:
            self.kind = "multiclass" if data.n_classes > 2 else "binary"
            self.levels = (0.0, 1.0)
        else:
            self.kind = "value"
            y = np.asarray(data.y_train, np.float32)
            lo, hi = (float(y.min()), float(y.max())) if len(y) else (0.0, 1.0)
            self.levels = (lo, hi if hi > lo else lo + 1)
        self._drawn = None
        self.image.clear()
        self.curves.setData([], [])
        self.selected = None
        self.selection.hide()
        self._theme_pens()
        self._layout()

    def _theme_pens(self) -> None:
        """The frames, the selection's frame and a fitted curve in the current theme (set once
        per sweep: the view sets its members again when the theme changes)."""
        self.frames.setPen(pg.mkPen(colors.axis(), width=1))
        pen = QPen(QColor(*colors.text()))
        pen.setWidth(3)
        pen.setCosmetic(True)
        self.selection.setPen(pen)
        self.curves.setPen(pg.mkPen(colors.train_curve(), width=2))

    def clear_members(self) -> None:
        """No sweep: no tiles, the placeholder's hint. (Not ``clear``: GraphicsLayoutWidget
        binds that name to its layout's clear on each instance.)"""
        for item in self.labels + self.row_labels:
            self.vb.removeItem(item)
        self.labels, self.row_labels, self._texts, self.n, self._data = [], [], [], 0, None
        self.left = 0.0
        self._drawn = None
        self.image.clear()
        self.curves.setData([], [])
        self.points.setData([], [])
        self.frames.setData([], [])
        self.select(None)
        self.placeholder.show()
        self.vb.setRange(QRectF(0, 0, 1, 1), padding=0)

    def _layout(self) -> None:
        rows, cols = tile_layout(self.n, self.shape, self._aspect, self.band)
        self.rows, self.cols = rows, cols
        for item in self.labels + self.row_labels:
            self.vb.removeItem(item)
        self.labels, self.row_labels = [], []
        for i, text in enumerate(self._texts):
            x, y = tile_origin(i, cols, self.band)
            item = pg.TextItem(text if isinstance(text, str) else text[0],
                               color=colors.hex_of(colors.text()), anchor=(0.5, 1.0))
            item.setPos(x + 0.5, y - 0.01)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.vb.addItem(item)
            self.labels.append(item)
        if self.faceted():
            for r in range(rows):
                _, y = tile_origin(r * cols, cols, self.band)
                item = pg.TextItem("", color=colors.hex_of(colors.text()), anchor=(1.0, 0.5))
                item.setPos(-GAP, y + 0.5)
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.vb.addItem(item)
                self.row_labels.append(item)
        else:
            self.left = 0.0
        self._place_points()
        self._set_range()
        scale = float(self.property("nnvizScale") or 1.0)
        if scale != 1.0:  # new labels and points in presentation mode: at its size too
            from .presentation import scale_scene
            scale_scene(self, scale)
        self.fit_labels()
        if self.selected is not None:
            self.select(self.selected)

    def _set_range(self) -> None:
        """The tiles, their labels and the row labels (``left``) in the view."""
        w = self.cols * (1 + GAP) - GAP
        h = self.rows * (1 + self.band + GAP)
        # A gap's room above the first row: its labels' tops were cut at the edge.
        self.vb.setRange(QRectF(-self.left, -GAP, w + self.left, h + GAP), padding=0.01)

    def _tile_size_changed(self, *_) -> None:
        """The view's scale changed: the labels fit again if a tile's size in pixels did."""
        tile = round(self.tile_pixels(), 1)
        if tile != getattr(self, "_fitted_at", None):
            self._refit.start()

    def faceted(self) -> bool:
        """A two-axis sweep's grid: its rows' values on the left, its columns' over the tiles."""
        return (self.shape is not None and len(self.shape) == 2 and self.rows == self.shape[0]
                and bool(self._texts) and all(", " in (t if isinstance(t, str) else t[0])
                                              for t in self._texts))

    def tile_pixels(self) -> float:
        """A tile's width on the screen, in pixels."""
        units = self.vb.viewPixelSize()[0]  # view units per pixel
        return 1.0 / units if units > 0 else 0.0

    def _fit_height(self, item, tile: float) -> None:
        """The label's font at presentation mode's scale, smaller where the band above a small
        tile is lower than its lines (16 tiles at 1024 x 768: each label ran into the tile
        above). The size is written where presentation.scale_scene reads it back, so that its
        scaling starts from it rather than scaling it again."""
        from PySide6.QtWidgets import QApplication
        if tile <= 0:
            return
        scale = float(self.property("nnvizScale") or 1.0)
        want = QApplication.font().pointSizeF() * scale
        font = item.textItem.font()
        font.setPointSizeF(want)
        band = (self.band + GAP) * tile  # its band and the gap over it
        text_item = item.textItem
        margin = text_item.document().documentMargin()  # blank, above and below the line
        pt = want
        for _ in range(3):  # the line's height is about proportional to the size
            font.setPointSizeF(pt)
            height = QFontMetricsF(font).lineSpacing() + margin + 0.01 * tile
            if height <= band or pt <= MIN_LABEL_PT:
                break
            pt = max(MIN_LABEL_PT, pt * band / height)
        _label_at(item, pt, scale)

    def _label_px(self) -> float:
        """The height a label's line takes at the window's size (presentation mode's scale),
        with the text item's blank margin: what _fit_height fits into the band."""
        from PySide6.QtWidgets import QApplication
        scale = float(self.property("nnvizScale") or 1.0)
        font = QFont(self.labels[0].textItem.font() if self.labels else QApplication.font())
        font.setPointSizeF(QApplication.font().pointSizeF() * scale)
        margin = self.labels[0].textItem.document().documentMargin() if self.labels else 4.0
        return QFontMetricsF(font).lineSpacing() + margin + 2  # (2: the view's rounding)

    def _wanted_band(self) -> float:
        """The band, in tile heights, that holds a label at the window's size on tiles as large
        as the view box leaves them (LABEL_BAND at the least, MAX_LABEL_BAND at the most): a
        taller band makes the tiles a little smaller, so a few rounds find where both agree."""
        width, height = self.vb.width(), self.vb.height()
        if self.n == 0 or width <= 0 or height <= 0:
            return self.band
        need = self._label_px()
        band = self.band
        for _ in range(4):
            rows, cols = tile_layout(self.n, self.shape, self._aspect, band)
            units_w = cols * (1 + GAP) - GAP + self.left
            units_h = rows * (1 + band + GAP) + GAP
            tile = min(width / units_w, height / units_h) / 1.02  # setRange's padding
            band = min(MAX_LABEL_BAND, max(LABEL_BAND, (need + 0.01 * tile) / tile - GAP))
        return band

    def _fit_band(self) -> bool:
        """A band for the labels' size now (see _wanted_band); True if the tiles were laid out
        again for it."""
        if getattr(self, "_banding", False):
            return False
        band = self._wanted_band()
        if abs(band - self.band) <= 0.02:
            return False
        self._banding = True
        try:
            self.band = band
            self._layout()
            self.image.clear()
            if self._drawn is not None:  # in the new layout now: paused, no frame comes
                self.update_tiles(*self._drawn)
        finally:
            self._banding = False
        return True

    def fit_labels(self) -> None:
        """Each label within its tile's width (with its gap): "— diverged" shortened to "✗"
        ("— got worse" to "↑"), then its shorter form (a value without its axis's name),
        then cut with an ellipsis; the full label is the tooltip (a got-worse one's says what
        that means). Beside each other, "★ lr 3" and "lr 10 — diverged" ran
        into one another on small tiles. The grid's labels take the same form, the first in
        which every one fits: "sigmoid" over "activation cos" in one grid read as two kinds
        of tile (review r26 F4)."""
        import shiboken6
        if not all(shiboken6.isValid(item.textItem) for item in self.labels):
            return  # a deferred call after the scene was closed
        if self._fit_band():
            return  # (laid out again, its labels fitted there)
        self._fitted_at = round(self.tile_pixels(), 1)
        texts_of = self._texts
        if self.faceted():
            texts_of = self._fit_rows()
        tile = self.tile_pixels()
        fitted = []
        for item, texts in zip(self.labels, texts_of):
            self._fit_height(item, tile)
            fm = QFontMetricsF(item.textItem.font())
            # Its tile's width and its share of the gaps, less a word space between it and its
            # neighbour's ("act sigmoid act softmax ★ act tanh" read as one line); the
            # values alone under the view's title naming the axis where the full form does
            # not fit.
            room = tile * (1 + GAP) - fm.horizontalAdvance(" ")
            forms = (texts,) if isinstance(texts, str) else tuple(texts)
            fitted.append((item, forms, fm, room))

        def variants(forms: tuple, level: int) -> list[str]:
            """The label's form at ``level``: its state in words, then as a mark."""
            form = forms[min(level, len(forms) - 1)]
            return list(dict.fromkeys((form, _marked(form))))

        def fits(fm, room: float, text: str) -> bool:
            return room <= 0 or fm.horizontalAdvance(text) <= room

        if texts_of is not self._texts:
            fitted = self._narrowed(fitted, variants)
        levels = max((len(forms) for _, forms, _, _ in fitted), default=1)
        level = next((k for k in range(levels)
                      if all(any(fits(fm, room, v) for v in variants(forms, k))
                             for _, forms, fm, room in fitted)), levels - 1)
        for item, forms, fm, room in fitted:
            text = forms[0]
            options = variants(forms, level)
            shown = next((v for v in options if fits(fm, room, v)), options[-1])
            if room > 0 and fm.horizontalAdvance(shown) > room:
                shown = fm.elidedText(shown, Qt.TextElideMode.ElideRight, room)
            if item.textItem.toPlainText() != shown:
                item.setText(shown)
            tip = text if shown != text else ""
            if texts_of is not self._texts:  # the whole label: its row's value too
                tip = self._texts[self.labels.index(item)]
                tip = tip if isinstance(tip, str) else tip[0]
            if " \u2014 got worse" in text:  # what it means (and why, often)
                tip = f"{text}\n{WORSE_TIP}"
            item.setToolTip(tip)
        if self.selected is not None:  # (presentation mode scales the frame's pen)
            self.select(self.selected)

    def _narrowed(self, fitted: list, variants) -> list:
        """A two-axis grid's column labels (each names its column's value over its tile) in
        one size near the row labels', each given the room its neighbours leave it.

        "sigmoid" is wider than a 64 px tile at the row labels' size in presentation mode at
        1400 x 900: it read "sigm\u2026", and at 1024 x 768 it was shrunk to half the row
        labels' size. Now a column's name may stand off its tile's centre (still across it)
        into the room its neighbours' shorter names leave ("tanh", "relu") or left of the
        grid, and shrinks only as far as it must, to COLUMN_FONT_FLOOR of the row labels'
        size; only a grid too narrow for its names even so takes a smaller size."""
        if not fitted:
            return fitted
        tile = self.tile_pixels()
        cols = max(self.cols, 1)
        row_pt = max((r.textItem.font().pointSizeF() for r in self.row_labels), default=0.0)
        base = fitted[0][0].textItem.font()
        top = base.pointSizeF()  # the band's size (_fit_height): the row labels' at most
        floor = min(top, COLUMN_FONT_FLOOR * row_pt) if row_pt > 0 else top

        def narrowest(forms, fm) -> float:
            return min(fm.horizontalAdvance(v) for v in variants(forms, 0))

        pitch = tile * (1 + GAP)
        # a row's band: from the room left of the grid (the row labels stand beside the
        # tiles, under the band) to the last tile's edge and its gap
        lo = -max(self.left - GAP, 0.0) * tile
        hi = cols * pitch - GAP * tile

        def placed(widths: list[float], space: float) -> list[float] | None:
            """The centres (pixels from the first tile's left edge) of one row's labels of
            ``widths``: over their tiles' centres, or moved apart as little as keeps a space
            between them, each still over its own tile's centre; None if they cannot be."""
            want = [c * pitch + tile / 2 for c in range(len(widths))]
            xs = list(want)
            for i in range(len(xs)):  # pushed right past the one before (and the left edge)
                floor_x = lo + widths[i] / 2 if i == 0 else \
                    xs[i - 1] + (widths[i - 1] + widths[i]) / 2 + space
                xs[i] = max(xs[i], floor_x)
            for i in reversed(range(len(xs))):  # then left, off the right edge and the next
                ceil_x = hi - widths[i] / 2 if i == len(xs) - 1 else \
                    xs[i + 1] - (widths[i + 1] + widths[i]) / 2 - space
                xs[i] = min(xs[i], ceil_x)
            ok = all(abs(x - w) <= max(wd / 2 - 0.15 * tile, 0.0)
                     for x, w, wd in zip(xs, want, widths))
            ok = ok and xs[0] - widths[0] / 2 >= lo - 0.5 and \
                all(xs[i] + (widths[i] + widths[i + 1]) / 2 + space <= xs[i + 1] + 0.5
                    for i in range(len(xs) - 1))
            return xs if ok else None

        def layout(pt: float):
            font = QFont(base)
            font.setPointSizeF(pt)
            fm = QFontMetricsF(font)
            space = fm.horizontalAdvance(" ")
            widths = [narrowest(forms, fm) for _, forms, _, _ in fitted]
            # one place per column, for its widest label ("\u2605 relu"): a column's names
            # stand in one line down the grid, as a heatmap's would
            widest = [max(widths[c::cols]) for c in range(min(cols, len(widths)))]
            xs = placed(widest, space)
            if xs is None:
                return None
            return [xs[i % cols] for i in range(len(widths))]

        pt, centres = top, layout(top)
        while centres is None and pt > floor:  # the largest size at which every row fits
            pt = max(floor, pt * 0.95)
            centres = layout(pt)
        # Too many long names for the grid's width even so (5 columns of 45 px tiles): whole
        # in a smaller size, rather than cut ("si\u2026" named no column).
        while centres is None and pt > MIN_LABEL_PT:
            pt = max(MIN_LABEL_PT, pt * 0.95)
            centres = layout(pt)
        scale = float(self.property("nnvizScale") or 1.0)
        out = []
        for i, (item, forms, _, _) in enumerate(fitted):
            _label_at(item, pt, scale)
            font = item.textItem.font()
            x, y = tile_origin(i, cols, self.band)
            shift = (centres[i] - (i % cols * pitch + tile / 2)) / tile if centres else 0.0
            item.setPos(x + 0.5 + shift, y - 0.01)
            # its room: whole where it was placed, else its own tile's width (cut to that)
            room = 1e9 if centres else pitch - QFontMetricsF(font).horizontalAdvance(" ")
            out.append((item, forms, QFontMetricsF(font), room))
        return out

    def _fit_rows(self) -> list[tuple[str, ...]]:
        """The row labels of a two-axis grid set, the room left of the tiles made for them;
        returns each tile's own label forms (its column's value, its star and state)."""
        tiles = []
        rows = {}
        for i, texts in enumerate(self._texts):
            forms = (texts,) if isinstance(texts, str) else tuple(texts)
            parts = [facet(f) for f in forms]
            rows.setdefault(i // self.cols, parts[0][0])
            tiles.append(tuple(dict.fromkeys(column for _, column in parts)))
        tile = self.tile_pixels()
        widest = 0.0
        for r, item in enumerate(self.row_labels):
            self._fit_height(item, tile)
            text = rows.get(r, "")
            if item.textItem.toPlainText() != text:
                item.setText(text)
            widest = max(widest, QFontMetricsF(item.textItem.font()).horizontalAdvance(text)
                         + 2 * item.textItem.document().documentMargin())
        left = self._wanted_left(widest)
        if abs(left - self.left) > 0.02:
            self.left = left
            self._set_range()
        return tiles

    def _wanted_left(self, px: float) -> float:
        """The room, in tile widths, that holds ``px`` pixels left of the tiles (and a gap) on
        tiles as large as the view box leaves them with it."""
        width, height = self.vb.width(), self.vb.height()
        if width <= 0 or height <= 0:
            return self.left
        left = self.left
        for _ in range(4):
            units_w = self.cols * (1 + GAP) - GAP + left
            units_h = self.rows * (1 + self.band + GAP) + GAP
            tile = min(width / units_w, height / units_h) / 1.02
            left = px / tile + 2 * GAP
        return left

    def _place_points(self) -> None:
        data, b = self._data, self._bounds
        if data is None or b is None or self.n == 0:
            self.points.setData([], [])
            self.frames.setData([], [])
            return
        X, y = np.asarray(data.X_train, np.float32), np.asarray(data.y_train)
        if len(X) > 400:  # a sample on a small tile: the pattern, not every point
            keep = np.linspace(0, len(X) - 1, 400).astype(int)
            X, y = X[keep], y[keep]
        (x0, x1) = b[0]
        fx = (X[:, 0] - x0) / max(x1 - x0, 1e-12)
        if len(b) > 1:
            (y0, y1) = b[1]
            fy = (y1 - X[:, 1]) / max(y1 - y0, 1e-12)
        else:
            lo, hi = self.levels
            fy = 1 - (np.asarray(y, np.float32) - lo) / max(hi - lo, 1e-12) * 0.9 - 0.05
        ox, oy = np.array([tile_origin(i, self.cols, self.band) for i in range(self.n)],
                          np.float32).T
        px = (ox[:, None] + np.clip(fx, 0, 1)[None]).ravel()
        py = (oy[:, None] + np.clip(fy, 0, 1)[None]).ravel()
        if data.is_classification:
            # Each class's shape and colour, with the main plot's dark rim (r10 #8: plain discs,
            # told apart by colour alone, 1.3-1.5:1 on their own class's region): one brush
            # and one symbol a class, one pen for all.
            k = range(max(data.n_classes, 2))
            fills = [pg.mkBrush(*colors.point_fill(colors.class_color(c))) for c in k]
            shapes = [colors.class_symbol(c) for c in k]
            y = np.asarray(y, int)
            self.points.setData(px, py, brush=[fills[c] for c in y] * self.n,
                                symbol=[shapes[c] for c in y] * self.n, size=CLASS_POINT_SIZE,
                                pen=pg.mkPen(*colors.point_rim(), 200, width=0.8))
        else:
            self.points.setData(px, py, brush=pg.mkBrush(*colors.point_rim(), 160), symbol="o",
                                size=3, pen=None)
        # The frame of every tile (1-D data has no picture to show its edge).
        xs, ys = [], []
        for i in range(self.n):
            x, y_ = tile_origin(i, self.cols, self.band)
            xs += [x, x + 1, x + 1, x, x, np.nan]
            ys += [y_, y_, y_ + 1, y_ + 1, y_, np.nan]
        self.frames.setData(np.array(xs), np.array(ys))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if not hasattr(self, "vb"):  # pyqtgraph resizes while it builds the view
            return
        # After the view box takes its new size (its range follows in the next turn).
        self._refit.start()
        aspect = max(0.2, self.width() / max(self.height(), 1))
        if self.n and self.shape is None and abs(aspect - self._aspect) > 0.15:
            before = tile_layout(self.n, None, self._aspect, self.band)
            self._aspect = aspect
            if tile_layout(self.n, None, aspect, self.band) != before:
                self._layout()
                self.image.clear()
                if self._drawn is not None:  # in the new layout now: paused, no frame comes
                    self.update_tiles(*self._drawn)
            return
        self._aspect = aspect

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == event.Type.FontChange and hasattr(self, "_refit"):
            self._refit.start()  # presentation mode: after its scaling

    # --- every frame ---------------------------------------------------------------------------

    def update_tiles(self, values: np.ndarray | None, xs: np.ndarray, diverged: np.ndarray,
                     label_texts: list[str] | None = None) -> None:
        """Every member's model: ``values`` (members, res_y, res_x[, K]) over the plane, or
        (members, res[, K]) along the line at ``xs`` (1-D data)."""
        if values is None or self.n == 0:
            return
        self._drawn = (values, xs, diverged)
        if label_texts is not None and list(label_texts) != self._texts:
            self._texts = list(label_texts)
            self.fit_labels()
        if self._bounds is not None and len(self._bounds) == 1:
            self._update_curves(values, xs, diverged)
            return
        rgb = member_rgb(values, self.kind, self.levels)
        ry, rx = rgb.shape[1], rgb.shape[2]
        px_gap = max(1, int(round(GAP * rx)))
        px_label = int(round(self.band * ry))
        img = mosaic_rgb(rgb, self.cols, px_gap, diverged,
                         px_label=px_label)
        self.image.setImage(img, autoLevels=False, levels=(0, 255))
        # Pixel (0, 0) of the image is the top-left corner of the first label band.
        scale = (1 + GAP) / (rx + px_gap)
        self.image.setRect(QRectF(0, 0, img.shape[1] * scale,
                                  img.shape[0] * (1 + self.band + GAP) / (ry + px_gap + px_label)))

    def _update_curves(self, values: np.ndarray, xs: np.ndarray, diverged: np.ndarray) -> None:
        v = np.asarray(values, np.float32)
        if v.ndim == 3:
            v = v[..., -1] if self.kind == "binary" else v[..., 0]
        (x0, x1), (lo, hi) = self._bounds[0], self.levels
        fx = (np.asarray(xs, np.float32) - x0) / max(x1 - x0, 1e-12)
        fy = 1 - (v - lo) / max(hi - lo, 1e-12) * 0.9 - 0.05
        fy = np.clip(np.nan_to_num(fy, nan=2.0, posinf=2.0, neginf=-1.0), -0.02, 1.02)
        ox, oy = np.array([tile_origin(i, self.cols, self.band) for i in range(self.n)],
                          np.float32).T
        px = ox[:, None] + fx[None]
        py = oy[:, None] + fy
        py[np.asarray(diverged, bool)] = np.nan  # a diverged member's curve is not drawn
        pad = np.full((self.n, 1), np.nan, np.float32)
        self.curves.setData(np.hstack([px, pad]).ravel(), np.hstack([py, pad]).ravel())

    def select(self, i: int | None) -> None:
        self.selected = i
        if i is None or i >= self.n:
            self.selection.hide()
            return
        x, y = tile_origin(i, self.cols, self.band)
        # On the picture's edge, inside it: a frame around the label and the picture crossed
        # the label's text, and one just outside the picture touched the label of the tile
        # below (each label fills the band and the gap above its picture: _fit_height). The
        # pen is cosmetic (pixels): the inset is half its width, in the view's units.
        ux, uy = self.vb.viewPixelSize()
        half = self.selection.pen().widthF() / 2
        ix, iy = min(half * ux, 0.25), min(half * uy, 0.25)
        self.selection.setRect(QRectF(x + ix, y + iy, 1 - 2 * ix, 1 - 2 * iy))
        self.selection.show()

    def _mouse(self, event) -> None:
        p = self.vb.mapSceneToView(event.scenePos())
        i = tile_at(p.x(), p.y(), self.n, self.cols, self.band) if isinstance(p, QPointF) \
            else None
        if i is None:
            return
        if event.button() == Qt.MouseButton.LeftButton:
            if event.double():
                self.activated.emit(i)
            else:
                self.clicked.emit(i)
