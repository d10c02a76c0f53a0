"""The notebook's demonstrations, one click each, and a logistic-regression baseline.

Lessons 1-4 replay the notebook's own code on its own random stream
(:func:`nnviz.core.lessons.replay`, a few milliseconds of numpy); lesson 5 trains the moons for
1000 epochs on the core Trainer, in a background thread so the window never waits. The baseline
page compares sklearn's LogisticRegression with the network being trained in the main window
(its numbers come from :class:`nnviz.core.inspect.BaselineProbe` in the worker thread).
"""
from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import shiboken6
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import (QBoxLayout, QGraphicsTextItem, QHBoxLayout, QLabel, QListWidget,
                               QPushButton, QSizePolicy, QStackedWidget, QStyle, QVBoxLayout, QWidget)

from nnviz.core import lessons
from nnviz.core.inspect import BaselineView

from . import colors
from .colors import class_color, class_image, diverging_map, point_map
from .widgets import (CappedScroll, Column, FittedTitles, LogAxis, PlaneHeights, SparseAxis,
                      add_layout, auto_button_once_moved, fit_title)


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    text: str

    @property
    def short(self) -> str:
        """The title without its subtitle, for the list."""
        return self.title.split(":")[0]


LESSONS = (
    Lesson("line", "1. Linear regression: y = m x + b",
           "The notebook starts with y = m x + b: sklearn's LinearRegression fitted to 100 points "
           "of y = 2.31531 x + 0.23412 plus unit Gaussian noise (np.random.seed(42)). Two numbers "
           "describe the fit, and it is easy to read, but a straight line is all it can draw."),
    Lesson("deep-linear", "2. Deep linear model: values grow",
           "Layers without activations: each is w.T @ X + b with N(0, 1) weights. Stacking them "
           "(hidden 4, 10, 20, 50) is still one linear map, and the values grow with every layer "
           "-- the notebook's first hint of why deep networks need care."),
    Lesson("sigmoid", "3. Sigmoid: at the output or between layers",
           "Sigmoid squeezes Y into (0, 1): large Y near 1, small or negative Y near 0. It "
           "bends a 1-4-1 model's small Y gently and a deep linear model's (hidden 4, 10, 30, "
           "10, 4) huge Y into a step. Between layers it keeps values small: smoothly "
           "non-linear."),
    Lesson("activations", "4. Five activations: one network each",
           "The same 1-D inputs through five random (4, 10, 30, 10, 4) networks, each with one "
           "activation after every layer (points coloured as in the notebook, by lesson 3's "
           "1-4-1 model's Y). The notebook's softmax normalises over the whole array, so its "
           "100 outputs sum to 1. tanh gives a step; cos wiggles; ReLU stays piecewise linear."),
    Lesson("moons", "5. Moons: the notebook's final figure",
           "A 2-4-10-4-1 sigmoid network trained with the notebook's mean squared error and plain "
           "gradient descent (learning rate 1, 1000 epochs) from the notebook's own initial "
           "weights: its true labels, its predictions (the probability of class 1), and the "
           "predictions rounded to 0 or 1 -- the notebook's final figure."),
    Lesson("baseline", "6. Baseline: logistic regression vs network",
           "Is the network worth it? sklearn's LogisticRegression draws the best straight "
           "boundary (a hyperplane) for the problem in the main window; the network being "
           "trained there must beat it where the classes are not linearly separable."),
)
LESSON_KEYS = tuple(lesson.key for lesson in LESSONS)


def _value_brushes(values: np.ndarray) -> list:
    """Points coloured by value on the orange-blue scale (the notebook's Spectral, our colours)."""
    v = np.asarray(values, np.float64).ravel()
    lo, hi = float(v.min()), float(v.max())
    t = (v - lo) / (hi - lo) if hi > lo else np.full(v.shape, 0.5)
    cmap = point_map()
    return [pg.mkBrush(c) for c in cmap.map(t, mode="qcolor")]


def _value_key(name: str) -> str:
    """What the colours of _value_brushes' points mean, with the scale's two ends (the
    palette's: orange and blue, or cividis' navy and yellow)."""
    lo, hi = (colors.hex_of(c) for c in point_map().map([0.0, 1.0], mode="byte")[:, :3])
    return (f"colour: {name}, <span style='color:{lo}'>\u25cf</span> low to "
            f"<span style='color:{hi}'>\u25cf</span> high")


# Lessons 3 and 4's inputs, as the notebook draws them (np.random.randn(1, 100)).
X_INPUT = "X (input)"
X_WORDS = "X: 100 single numbers from N(0, 1), not the moons"


# Lesson 3's two linear models, a shape each on the plots they share (and in its key).
SMALL_MODEL, SMALL_SYMBOL, SMALL_GLYPH = "1-4-1", "t1", "\u25b2"
DEEP_MODEL, DEEP_GLYPH = "deep", "\u25cf"


def _key_brush():
    """A key's sample of points coloured by value: the shape in the axes' grey, which stands
    off either theme's background (the colour scale's middle was dark grey on the dark one)."""
    return pg.mkBrush(*colors.theme().axis)


def _class_symbols(labels: np.ndarray) -> list:
    """Each class's own shape (nnviz.gui.colors): the plots read without colour."""
    return [colors.class_symbol(int(c)) for c in np.asarray(labels).ravel()]


def _class_brushes(labels: np.ndarray) -> list:
    cache: dict[int, object] = {}
    return [cache.setdefault(int(c), pg.mkBrush(*colors.point_fill(class_color(int(c)))))
            for c in labels]


def _edge():
    """The rim of a lesson's points. On the light theme the dark rim of the main plot's points
    (colors.point_rim): what stands off the white where a class's own colour does not (the
    playground's orange, 2.3:1; the yellows, 1.6 to 1.9: the thin grey edge this was, 0.6 px
    at 160/255, left pale discs on a projector). On the dark theme the fills stand off the
    background themselves (colors.point_fill, point_map), and a thin dark edge only parts
    points that overlap."""
    if colors.theme().dark:
        return pg.mkPen(40, 40, 40, 160, width=0.6)
    return pg.mkPen(*colors.point_rim(), 200, width=1)
LEFT_AXIS_WIDTH = 56  # room for "0.7915": the same for every plot, so their widths match


FIGURE_ROW_PX = 280  # a row of a lesson's plots in presentation mode, where there is room
# ... and down to this, so that a row (the first of several) is whole in sight under the words:
# at 280 px a preset's note above the tabs cut lesson 2's x axis and lesson 4's "Y (output)"
# at the bottom edge at 1024x768.
FIGURE_ROW_LEAST = 200
# Out of presentation mode, a page whose words are longer than their share scrolls, and its
# figure keeps rows this high at the least (lesson 4's at 1024x768 had ~130 px when its words
# were cut in a box of their own).
SCROLLED_ROW_LEAST = 150
# A caption this long, at most, keeps its room under the figure (_arrange) where the figure's
# rows keep FIGURE_ROW_PX over it: lessons 2 and 3's numbers (5 lines at 1400x900 in
# presentation mode) were below the bottom edge at 3, over 400 px of figure for one row of plots.
CAPTION_LINES = 6
TEXT_SHARE = 0.4  # of a lesson page's height, at most, for its title and words
# A short page (a projector's 720 or 768 lines) keeps less for them: at 40% lesson 5's planes
# were 55 px tall at 1280x720 in presentation mode.
SHORT_PAGE, SHORT_TEXT_SHARE = 640, 0.3


#: Lesson 5's page while its network trains in the background (in its numbers and its figure).
MOONS_COMING = ("Training the notebook's network for 1,000 epochs (the first time, jax compiles "
                "it): its three plots and its loss curve come here in a few seconds\u2026")


class LessonPage(QWidget):
    """A title, a sentence or two, the numbers, and the plots (built once, on first show)."""

    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        title = QLabel(f"<h3>{lesson.title}</h3>")
        title.setWordWrap(True)  # on two lines on a projector, not wider than the window
        text = QLabel(lesson.text)
        text.setWordWrap(True)
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground("w")
        self.glw.setToolTip(f"The plots of \u201c{lesson.title}\u201d: drag to pan, wheel to "
                            "zoom.")
        # Shown when the main window has a matching preset (see LessonsView.enable_try).
        # Alt+T from the keyboard: reached with Tab it took 37 presses (review r28 F5).
        self.try_button = QPushButton("&Try it live in the main window")
        self.try_button.setToolTip("Load this lesson's problem into the main window and train "
                                   "it yourself.")
        self.try_button.hide()
        self.title = title
        self.head = head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        head.addWidget(title, 1)
        head.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)
        words = QWidget()
        wl = QVBoxLayout(words)
        wl.setContentsMargins(0, 0, 0, 0)
        add_layout(wl, head)
        wl.addWidget(text)
        wl.addWidget(self.numbers)
        # The words scroll when they would take more than TEXT_SHARE of the page: on a
        # projector in presentation mode they left the plots a strip 20 pixels high.
        self.words = CappedScroll(words, TEXT_SHARE)
        # The page is one column: in presentation mode it scrolls as a whole, the words whole
        # over the figure rather than in a 2-4 line box of their own over blank room.
        body = QWidget()
        self._body = lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 0, 6, 6)
        lay.addWidget(self.words)
        lay.addWidget(self.glw, 1)
        # Under all: what the page has left over where its figure is as tall as its plots (the
        # baseline's in presentation mode), not spread between the figure and its caption.
        lay.addStretch(0)
        self._words_layout = wl
        self.column = Column(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.column)
        self.filled = False
        self._numbers_below = False  # presentation mode's: under the figure
        self.titles = FittedTitles(self.glw)
        self.glw.installEventFilter(self)  # presentation mode's scale: wider y axes
        words.installEventFilter(self)
        self.numbers.installEventFilter(self)  # as a caption: the figure leaves it room

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if event.oldSize().height() != event.size().height():
            self._share_words()
        if event.oldSize().width() != event.size().width():
            self._place_button()
        QTimer.singleShot(0, self, self._arrange)

    def _presenting(self) -> bool:
        return float(self.glw.property("nnvizScale") or 1.0) > 1.0

    def _share_words(self) -> None:
        """The words' cap: a share of the page (less on a short page); none where the page
        scrolls (presentation mode, or words longer than their share)."""
        self.words.set_share(None if self.column.scrolling else self._text_share())

    def _text_share(self) -> float:
        return TEXT_SHARE if self.height() >= SHORT_PAGE else SHORT_TEXT_SHARE

    def _words_overflow(self) -> bool:
        """Whether the words, whole, take more than their share of the page: then the page
        scrolls as a whole, as in presentation mode (at 1024x768 lesson 4's "sum to 1.000000"
        and lesson 5's note on how the epochs are counted were below the fold of a words box
        five lines high, over a figure with room to spare). Measured at the width the words
        have beside a scroll bar, so that the bar's coming does not change the answer."""
        body = self.words.widget()
        margins = self._body.contentsMargins()
        width = self.column.width() - margins.left() - margins.right() - self._bar()
        if width <= 0 or self.height() <= 0:
            return False
        return body.heightForWidth(width) + 2 > self._text_share() * self.height()

    def scroll_bar_width(self) -> int:
        """The page's scroll bar's width where long words have it scroll out of presentation
        mode, else 0: a column of plots the bar narrows still counts as one (lesson 4's five
        plots at 1024x768 went from two columns to one, 280 px tall each, for its 15 px)."""
        if not self.column.scrolling or self._presenting():
            return 0
        return self._bar()

    def _bar(self) -> int:
        return self.column.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def _arrange(self) -> None:
        """The page scrolls (presentation mode, or words longer than their share): the words
        whole, the figure at least FIGURE_ROW_LEAST (to FIGURE_ROW_PX) a row of plots and as
        tall as the room left under the words. Otherwise: the words capped, the figure the
        rest."""
        presenting = self._presenting()
        on = presenting or self._words_overflow()
        if on != self.column.scrolling or presenting != self._numbers_below:
            self.column.set_scrolling(on)
            if presenting != self._numbers_below:
                # Presentation mode: the numbers under the figure, as its caption, the figure
                # up under the lesson's words (lesson 4's four lines of ranges pushed its first
                # row past the bottom edge at 1024x768).
                self._numbers_below = presenting
                (self._words_layout if presenting else self._body).removeWidget(self.numbers)
                if presenting:
                    self._body.insertWidget(self._body.count() - 1, self.numbers)
                else:
                    self._words_layout.addWidget(self.numbers)
            self._share_words()
            self._place_button()
            if not on:
                self.glw.setMinimumHeight(0)
                self.glw.setMaximumHeight(16777215)
        if not on:
            return
        room = self.column.viewport().height() - self.words.height() - 6
        rows = max(1, self.glw.ci.layout.rowCount())
        # A key under its plot adds its height: the plot keeps its row (lesson 1's data was
        # 105 px high over its key's two lines at 1024x768).
        keys = [item.legend for item in self.glw.ci.items
                if isinstance(getattr(item, "legend", None), LegendRow)]
        key = max((k.effectiveSizeHint(Qt.SizeHint.PreferredSize).height() for k in keys),
                  default=0.0)
        if presenting:
            row = min(FIGURE_ROW_PX, max(FIGURE_ROW_LEAST, room - math.ceil(key)))
        else:  # long words: the figure the room under them, its rows no lower than they were
            row = SCROLLED_ROW_LEAST
        height = max(room, rows * row + math.ceil(key))
        over = self._room_over_caption() if presenting else None
        planner = getattr(self.__dict__.get("columns_grid"), "figure_height", None)
        if planner is not None:  # the figure weighs its own arrangements (BaselineGrid)
            height = planner(room, over, row)
        elif over is not None and over < room and \
                rows * FIGURE_ROW_PX + math.ceil(key) <= over:
            # A short caption in sight under the figure where its rows keep their full height
            # over it: lesson 1's "fitted slope m = 2.32910" was below the bottom edge at
            # 1400x900, the figure taking all the room under the words (review r22, F10). At
            # 1024x768 its plot would be ~100 px high over the caption: the page scrolls.
            height = over
        if self.glw.minimumHeight() != height or self.glw.maximumHeight() != height:
            self.glw.setFixedHeight(height)

    def _width_beside_bar(self) -> int:
        """The page's body's width with a scroll bar beside it: what the words and the caption
        are measured at, so that the bar's coming or going does not change the answer."""
        margins = self._body.contentsMargins()
        return self.column.width() - margins.left() - margins.right() - self._bar()

    def _room_over_caption(self) -> int | None:
        """In presentation mode, the figure's height that leaves its caption (the numbers under
        it) in sight under it, the page not scrolled: the viewport's height less the words'
        and the caption's, measured beside a scroll bar. None where the caption is long
        (more than CAPTION_LINES: lesson 5's notes are read by scrolling, the plots at their
        rows' height) or not under the figure."""
        if not self._numbers_below:
            return None
        width = max(self._width_beside_bar(), 1)
        caption = self.numbers.heightForWidth(width)
        if caption > CAPTION_LINES * self.numbers.fontMetrics().lineSpacing() + 4:
            return None
        body = self.words.widget()
        words = body.heightForWidth(width) + 2  # as CappedScroll is, uncapped
        margins = self._body.contentsMargins()
        spacing = max(self._body.spacing(), 0)
        return (self.column.viewport().height() - margins.top() - margins.bottom() - words
                - caption - 2 * spacing)

    def titles_later(self) -> None:
        """The titles fitted once the figure just drawn is laid out: FittedTitles fits them at
        a resize, and a figure drawn again at the same width (a change of look) had none
        (lesson 1's title at pyqtgraph's 11 pt where presentation mode's fitting gave 14.6)."""
        QTimer.singleShot(0, self.titles, self.titles.fit)

    #: The figure's arrangers (ColumnsGrid, PlanesGrid, PlaneHeights): made with its plots,
    #: gone with them (clear_figure).
    ARRANGERS = ("columns_grid", "planes_grid", "plane_heights")

    def clear_figure(self) -> None:
        """The figure gone, to be drawn again (a change of look): its plots and their arrangers.
        An arranger left behind watched the view still and put its old plots back in the grid
        at the next change of width or of presentation mode: the figure over its ghost."""
        for name in self.ARRANGERS:
            arranger = self.__dict__.pop(name, None)
            if arranger is not None and shiboken6.isValid(arranger):
                shiboken6.delete(arranger)  # now: a pending arrange() of its goes with it
        self.glw.clear()
        self.filled = False

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Later: the page hears of a new font before its title and button have it (measured
            # at the old size, lesson 5's title stayed beside the button on four lines).
            QTimer.singleShot(0, self, self._place_button)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._place_button)  # resized or restyled while hidden

    def _place_button(self) -> None:
        """"Try it live" beside the title where the title keeps its lines there, else under
        it: the title takes the width (in presentation mode at 1024 px, lessons 3 and 5's
        titles were a narrow column of four lines beside the button)."""
        if self.try_button.isHidden():
            return
        width = self.words.viewport().width() or self.width()
        spacing = max(self.head.spacing(), 0)
        alone = self.title.heightForWidth(width)
        beside = self.title.heightForWidth(width - self.try_button.sizeHint().width() - spacing)
        direction = (QBoxLayout.Direction.LeftToRight if beside <= alone
                     else QBoxLayout.Direction.TopToBottom)
        if self.head.direction() != direction:
            self.head.setDirection(direction)

    coming: QGraphicsTextItem | None = None

    def say_coming(self, text: str | None) -> None:
        """``text`` at the top of the figure while its plots are made (None: no more). In
        presentation mode the numbers are under the figure, below the edge at 1024x768: while
        lesson 5's network trained (10-15 s with its compile) the page showed a blank white box,
        where Landscape and Backprop say what is coming (review r29 M6)."""
        if self.coming is not None:
            self.glw.scene().removeItem(self.coming)
            self.coming = None
        if text is None:
            return
        self.coming = QGraphicsTextItem()
        self.coming.setHtml(f"<div align='center'>{text}</div>")
        self._place_coming()
        self.glw.scene().addItem(self.coming)

    def _place_coming(self) -> None:
        """The note in the page's text font and colour, wrapped to the figure's width."""
        note = self.coming
        if note is None:
            return
        font = QFont(self.numbers.font())  # the words' size (points read larger in a scene)
        font.setPixelSize(QFontInfo(self.numbers.font()).pixelSize())
        note.setFont(font)
        note.setDefaultTextColor(QColor(*colors.text()))
        margin = 12
        note.setTextWidth(max(self.glw.width() - 2 * margin, 60))
        note.setPos(margin, margin)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.glw and event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._place_coming()
        if obj is self.numbers:
            if event.type() == QEvent.Type.Resize and self._numbers_below and \
                    event.oldSize().height() != event.size().height():
                QTimer.singleShot(0, self, self._arrange)  # a line more or less of caption
            return False
        if obj is self.words.widget():
            if event.type() == QEvent.Type.LayoutRequest:  # new numbers, another font
                QTimer.singleShot(0, self, self._arrange)  # longer than their share now?
            return False
        if event.type() == QEvent.Type.DynamicPropertyChange and \
                bytes(event.propertyName()) == b"nnvizScale":
            for item in self.glw.ci.items:
                if isinstance(item, pg.PlotItem):
                    item.getAxis("left").setWidth(self.axis_width())
                    self.air_under_title(item)
            QTimer.singleShot(0, self, self._arrange)
        return False

    widest_tick = "0.7915"  # the widest number on this page's y axes (lesson 5's: "0.25")

    def axis_width(self) -> int:
        """The y axes' common width: room for the page's widest number and the axis' title at
        presentation mode's scale too (at the normal width, "loss" was written over its
        numbers); pyqtgraph's own sum (AxisItem._updateWidth) and a few pixels of air."""
        scale = float(self.glw.property("nnvizScale") or 1.0)
        if scale == 1.0:
            return LEFT_AXIS_WIDTH
        font = QFont()
        font.setPointSizeF(font.pointSizeF() * scale)  # as nnviz.gui.widgets.scale_axes
        fm = QFontMetrics(font)
        title = fm.height() + 8  # a QGraphicsTextItem's height: its 4 px margins
        need = fm.horizontalAdvance(self.widest_tick) + 5 + 0.8 * title + 4
        return max(LEFT_AXIS_WIDTH, int(need + 0.999))

    def air_under_title(self, plot: pg.PlotItem) -> None:
        """Room between ``plot``'s title and its data, half a line of the y axis' numbers: a
        number at the plot's top edge is drawn centred on it, half over the plot, and reached
        into the title's letters (lesson 1's "25" at 1400x900 in presentation mode). Not over
        a plane (``plane``): its range is padded past the data, its top number well inside,
        and its 1:1 drawing pays for every pixel of height (the baseline's planes kept
        PLANE_LEAST_PX at 1400x900 in presentation mode by a few)."""
        if getattr(plot, "nnviz_plane", False):
            return
        scale = float(self.glw.property("nnvizScale") or 1.0)
        font = QFont()
        font.setPointSizeF(font.pointSizeF() * scale)  # as nnviz.gui.widgets.scale_axes
        air = math.ceil(QFontMetrics(font).height() / 2)
        if plot.layout.rowSpacing(0) != air:
            plot.layout.setRowSpacing(0, air)

    def plot(self, row: int, col: int, title: str, x: str = "X", y: str = "Y",
             log_y: bool = False) -> pg.PlotItem:
        # log_y: the project's LogAxis (pyqtgraph's own printed lesson 2's 2·10^k, 3·10^k, ...
        # 9·10^k over each other)
        axes = {"bottom": SparseAxis("bottom")}
        if log_y:
            axes["left"] = LogAxis("left")
        p = self.glw.addPlot(row=row, col=col, title=title, axisItems=axes)
        if log_y:
            p.setLogMode(y=True)
        fit_title(p)
        auto_button_once_moved(p)
        p.setLabels(bottom=x, left=y)
        for side in ("bottom", "left"):
            p.getAxis(side).enableAutoSIPrefix(False)
        # Plots side by side share the width equally (lesson 5's three had 3 different widths,
        # lesson 3's third title was cut): equal columns, and one width for the y axes.
        p.setPreferredWidth(10)  # what the grid compares: equal, so the columns are
        p.setMinimumWidth(10)
        p.getAxis("left").setWidth(self.axis_width())
        self.air_under_title(p)
        return p

    def key_under(self, plot: pg.PlotItem) -> "LegendRow":
        """``plot``'s key, under it (see LegendRow); the figure grows with it in presentation
        mode."""
        key = LegendRow(plot)
        key.geometryChanged.connect(lambda: QTimer.singleShot(0, self, self._arrange))
        return key

    def plane(self, row: int, col: int, title: str) -> pg.PlotItem:
        """A plot of the input plane, kept 1:1 by its height (see PlaneHeights)."""
        p = self.plot(row, col, title, "x1", "x2")
        p.nnviz_plane = True
        p.layout.setRowSpacing(0, 0)
        return p

    def scatter(self, plot: pg.PlotItem, x, y, brushes, size: int = 7,
                name: str | None = None, symbol="o") -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(np.asarray(x).ravel(), np.asarray(y).ravel(), size=size,
                                  brush=brushes, pen=_edge(), name=name, symbol=symbol)
        plot.addItem(item)
        return item


class PointSample(ItemSample):
    """A key's sample of a scatter's points at their size: presentation mode sizes each point
    (nnviz.gui.presentation), and pyqtgraph's sample stayed at the normal 7 px beside them
    (lesson 3's triangles and circles, barely told apart in its key)."""

    def paint(self, p, *args) -> None:
        item = self.item
        sizes = item.data["size"] if isinstance(item, pg.ScatterPlotItem) and \
            len(item.data) else None
        if sizes is None or not np.any(sizes > 0) or not item.isVisible():
            super().paint(p, *args)
            return
        opts = item.opts
        if opts.get("antialias"):
            p.setRenderHint(p.RenderHint.Antialiasing)
        p.translate(10, 10)  # the middle of pyqtgraph's 20x20 sample
        size = min(float(np.max(sizes)), 18.0)
        drawSymbol(p, opts["symbol"], size, pg.mkPen(opts["pen"]), pg.mkBrush(opts["brush"]))


class LegendRow(pg.LegendItem):
    """A plot's key in a row of the plot's own layout under its x axis, outside the data: in
    the plot, in presentation mode at 1024x768, lesson 1's key covered about 40 of its points
    and was nearly as wide as the plot in any corner. Its entries side by side as far as the
    plot's width allows, else on more lines. Entries are added as pyqtgraph adds them to a
    plot's legend (``name=`` of the items)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        # Not anchored in the view box: the plot's layout places it. No box: outside the data,
        # nothing to stand apart from.
        super().__init__(offset=None, frame=False)
        self.sampleType = PointSample
        self.plot = plot
        self.setToolTip("What each mark and line of this plot is.")
        # As wide as its entries, centred; never the reason for a wider plot (its lines are).
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(0)
        self.layout.setContentsMargins(0, 4, 0, 0)  # 4 px under the x axis; no box to pad
        plot.legend = self  # PlotItem.addItem(item, name=...) lists the item here
        plot.layout.addItem(self, 4, 0, 1, 3, Qt.AlignmentFlag.AlignHCenter)
        plot.geometryChanged.connect(self._later)
        self.geometryChanged.connect(self._later)  # its text's size changed (presentation)

    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph)
        """The plot's layout sizes the key (pyqtgraph's own sets it at the plot's corner)."""
        self.updateGeometry()
        self._later()

    def _later(self) -> None:
        QTimer.singleShot(0, self, self.reflow)

    def _width(self, columns: int) -> float:
        """The key's width with its entries in ``columns`` columns (as _addItemToLayout puts
        them: row by row)."""
        spacing = self.layout.horizontalSpacing()
        widths = [0.0] * columns
        for i, (sample, label) in enumerate(self.items):
            entry = sample.boundingRect().width() + spacing + \
                label.effectiveSizeHint(Qt.SizeHint.PreferredSize).width()
            widths[i % columns] = max(widths[i % columns], entry)
        left, _, right, _ = self.layout.getContentsMargins()
        return sum(widths) + spacing * (columns - 1) + left + right

    def reflow(self) -> None:
        room = self.plot.width() - 4
        if not self.items or room <= 0:
            return
        columns = next((c for c in range(len(self.items), 1, -1) if self._width(c) <= room), 1)
        if columns != self.columnCount:
            self.setColumnCount(columns)

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph)
        ev.ignore()  # the layout places it (pyqtgraph's legend is dragged about the plot)


LOSS_MOST = 170  # pixels lesson 5's loss curve takes, at most (a row of a figure in presentation)
LOSS_ROOM = 120  # pixels the loss curve under a row of planes keeps, at least


class PlanesGrid(QObject):
    """Lesson 5's three planes and its loss curve, arranged for the room: the planes in one row
    over the loss where that draws them largest, else two by two with the loss in the fourth
    cell. Three 1:1 planes side by side in the narrow page of a 1024 px window (presentation
    mode's or not) were 35-50 px tall."""

    def __init__(self, page: LessonPage, planes, loss: pg.PlotItem) -> None:
        super().__init__(page.glw)
        self.page, self.planes, self.loss = page, list(planes), loss
        self.columns = 3  # as the planes were added
        page.glw.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize or (
                event.type() == QEvent.Type.DynamicPropertyChange
                and bytes(event.propertyName()) == b"nnvizScale"):
            QTimer.singleShot(0, self, self.arrange)  # gone with the view, if it goes first
        return False

    def plane_height(self, columns: int) -> float:
        """The height of a plane's drawing, in pixels, with the planes in ``columns`` columns."""
        view = self.page.glw.viewport()
        width, height = view.width(), view.height()
        p = self.planes[0]
        vb = p.getViewBox()
        laid_out = p.width() > vb.width() > 0 and p.height() > vb.height() > 0
        around_w = p.width() - vb.width() if laid_out else LEFT_AXIS_WIDTH + 10
        around_h = p.height() - vb.height() if laid_out else 80
        x, y = self.page.plane_heights.extent
        aspect = x / y if x > 0 and y > 0 else 1.0
        if columns == 3:  # one row, the loss under it
            return min((width / 3 - around_w) / aspect, height - LOSS_ROOM - around_h)
        return min((width / 2 - around_w) / aspect, height / 2 - around_h)

    def arrange(self) -> None:
        if self.page._presenting():
            # The page scrolls: the planes as wide as columns of BASELINE_COLUMN_PX allow (in
            # two columns at 1024 px they were 80 px high over blank room).
            width = self.page.glw.viewport().width()
            columns = max(1, min(3, width // BASELINE_COLUMN_PX))
        else:
            columns = max((3, 2), key=self.plane_height)
        # Under presentation mode's larger axes the loss kept 93 px of its 170 for the curve.
        self.loss.setMaximumHeight(LOSS_MOST * (FIGURE_ROW_PX / LOSS_MOST if columns == 1
                                                and self.page._presenting() else 1))
        if columns == self.columns:
            return
        self.columns = columns
        grid = self.page.glw.ci.layout  # Qt's grid: the items stay in the scene, as they are
        for item in (*self.planes, self.loss):
            grid.removeItem(item)
        cells = {3: ((0, 0), (0, 1), (0, 2)), 2: ((0, 0), (0, 1), (1, 0)),
                 1: ((0, 0), (1, 0), (2, 0))}[columns]
        for plane, (row, col) in zip(self.planes, cells):
            grid.addItem(plane, row, col)
        if columns == 3:
            grid.addItem(self.loss, 1, 0, 1, 3)
        elif columns == 2:
            grid.addItem(self.loss, 1, 1)
        else:
            grid.addItem(self.loss, 3, 0)
        grid.activate()
        self.page.plane_heights._later()  # the planes' 1:1 heights at their new widths
        QTimer.singleShot(0, self, self.page.titles.fit)
        QTimer.singleShot(0, self.page, self.page._arrange)  # another number of rows


BASELINE_COLUMN_PX = 300  # lesson 5's planes in presentation mode: in columns this wide
MIN_COLUMN_PX = 200  # a lesson's plot of X against Y in a narrower column gets fewer columns


class ColumnsGrid(QObject):
    """A page's plots in at most ``most`` columns, fewer when a column would be narrower than
    MIN_COLUMN_PX: lesson 3's three plots side by side in presentation mode at 1024 px were
    60 px wide strips with their titles at the smallest size."""

    def __init__(self, page: LessonPage, plots, most: int, least: int = MIN_COLUMN_PX,
                 least_presenting: int | None = None) -> None:
        """``least_presenting``: the least column width in presentation mode (the page scrolls
        there), if not ``least``."""
        super().__init__(page.glw)
        self.page, self.plots, self.most, self.least = page, list(plots), most, least
        self.least_presenting = least if least_presenting is None else least_presenting
        self.columns = most  # as the plots were added
        page.glw.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize or (
                event.type() == QEvent.Type.DynamicPropertyChange
                and bytes(event.propertyName()) == b"nnvizScale"):
            QTimer.singleShot(0, self, self.arrange)  # gone with the view, if it goes first
        return False

    def arrange(self) -> None:
        width = self.page.glw.viewport().width() + self.page.scroll_bar_width()
        least = self.least_presenting if self.page._presenting() else self.least
        columns = max(1, min(self.most, width // max(least, 1)))
        if columns == self.columns:
            return
        self.columns = columns
        grid = self.page.glw.ci.layout  # Qt's grid: the items stay in the scene, as they are
        for item in self.plots:
            grid.removeItem(item)
        for i, item in enumerate(self.plots):
            grid.addItem(item, *divmod(i, columns))
        grid.activate()
        heights = getattr(self.page, "plane_heights", None)
        if heights is not None:
            heights._later()  # the planes' 1:1 heights at their new widths
        QTimer.singleShot(0, self, self.page.titles.fit)
        QTimer.singleShot(0, self.page, self.page._arrange)  # another number of rows


# A baseline plane's drawing, at least, for the page in presentation mode to show the planes
# and the accuracies under them without scrolling (else it scrolls, the planes in taller rows).
PLANE_LEAST_PX = 140


class BaselineGrid(QObject):
    """The baseline's two planes side by side or one under the other, whichever draws them
    larger in the figure's room, each 1:1 (a unit of x1 as long as one of x2) and as large as
    its cell allows, in the middle of it. Side by side at 1024x768 they were 135x65 px over
    ~300 px of blank page, at 1400x900 ~225x130 (review r22, F13); one under the other only in
    presentation mode's narrow page. The page asks it for the figure's height where the page
    scrolls (:meth:`figure_height`): in presentation mode the planes and the accuracies under
    them in sight where the planes keep PLANE_LEAST_PX (at 1400x900 the accuracies were off
    screen under ~240x130 px planes over ~300 px of blank: F10)."""

    def __init__(self, page: LessonPage, plots) -> None:
        super().__init__(page.glw)
        self.page, self.plots = page, list(plots)
        self.columns = 2  # as the plots were added
        self.extent: tuple[float, float] | None = None  # the plane's (width, height)
        # The grid's own margins: arrange() widens them to put planes narrower than their
        # cells in the middle (the page's grid outlives this figure, drawn again in a new look).
        if "grid_margins" not in page.__dict__:
            page.grid_margins = page.glw.ci.layout.getContentsMargins()
        self.margins = page.grid_margins
        for p in self.plots:
            p.geometryChanged.connect(self._later)  # its title refitted: another height
        page.glw.installEventFilter(self)
        page.glw.ci.installEventFilter(self)  # the planes' heights changed (PlaneHeights)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) or (
                event.type() == QEvent.Type.DynamicPropertyChange
                and bytes(event.propertyName()) == b"nnvizScale"):
            self._later()
        return False

    def _later(self, *_) -> None:
        QTimer.singleShot(0, self, self.arrange)  # gone with the view, if it goes first

    def _aspect(self) -> float:
        """The plane's width over its height."""
        if self.extent is not None and self.extent[0] > 0 and self.extent[1] > 0:
            return self.extent[0] / self.extent[1]
        (x0, x1), (y0, y1) = self.plots[0].getViewBox().viewRange()
        return (x1 - x0) / (y1 - y0) if x1 > x0 and y1 > y0 else 1.0

    def _around(self, plot_width: float) -> tuple[float, float]:
        """A plot's width and height beyond its drawing (axes, title) were it ``plot_width``
        wide: its title on one line or two, at the size FittedTitles gives it there."""
        p = self.plots[0]
        vb = p.getViewBox()
        title = p.titleLabel
        if p.width() > vb.width() > 0 and p.height() > vb.height() > 0:
            around_w = p.width() - vb.width()
            rest = p.height() - vb.height() - title.geometry().height()
        else:  # not laid out yet
            around_w = self.page.axis_width() + 10
            rest = p.getAxis("bottom").height() + 4
        return around_w, rest + self.page.titles.row_height(self.plots, plot_width)

    def _cell(self, width: float, height: float, columns: int) -> tuple[float, float]:
        grid = self.page.glw.ci.layout
        left, top, right, bottom = self.margins
        rows = math.ceil(len(self.plots) / columns)
        return ((width - left - right - max(grid.horizontalSpacing(), 0) * (columns - 1))
                / columns,
                (height - top - bottom - max(grid.verticalSpacing(), 0) * (rows - 1)) / rows)

    def plane(self, width: float, height: float, columns: int) -> tuple[float, float]:
        """A plane's drawing's height and its plot's width, the figure ``width`` x ``height``
        px, the planes in ``columns`` columns."""
        cell_w, cell_h = self._cell(width, height, columns)
        aspect = self._aspect()
        plot_w = cell_w
        for _ in range(2):  # its title fitted to the plot's width, which the title's height sets
            around_w, around_h = self._around(plot_w)
            drawn = max(0.0, min((cell_w - around_w) / aspect, cell_h - around_h))
            plot_w = min(cell_w, around_w + drawn * aspect)
        return drawn, plot_w

    def best(self, width: float, height: float) -> tuple[int, float]:
        """The number of columns that draws the planes largest, and their drawing's height."""
        return max(((c, self.plane(width, height, c)[0]) for c in (2, 1)),
                   key=lambda option: option[1])

    def figure_height(self, room: int, over: int | None, row: int) -> int:
        """The figure's height where the page scrolls (LessonPage._arrange): the room over the
        caption (``over``, presentation mode's) where the planes keep PLANE_LEAST_PX there,
        all of the page in sight; else the arrangement that draws them larger in rows ``row``
        high (the figure at least the ``room`` under the words), the page scrolled to them."""
        glw = self.page.glw
        # beside a scroll bar, as the caption is measured
        width = self.page._width_beside_bar() - (glw.width() - glw.viewport().width())
        if width <= 0:
            return max(room, 1)
        if over is not None and over < room:
            columns, drawn = self.best(width, over)
            if drawn >= PLANE_LEAST_PX:
                # no taller than the planes: the caption right under them (the circles' planes
                # side by side, as wide as they can be, were ~170 px over it)
                return min(over, self._height_of(width, over, columns, drawn))
        options = []
        for columns in (2, 1):
            height = max(room, math.ceil(len(self.plots) / columns) * row)
            options.append((self.plane(width, height, columns)[0], height))
        return max(options)[1]

    def _height_of(self, width: float, height: float, columns: int, drawn: float) -> int:
        """The figure's height that holds its planes in ``columns`` columns, drawn ``drawn``
        px high, at ``width`` (``height``: the room they were weighed in)."""
        _, plot_w = self.plane(width, height, columns)
        _, around_h = self._around(plot_w)
        grid = self.page.glw.ci.layout
        _, top, _, bottom = self.margins
        rows = math.ceil(len(self.plots) / columns)
        return math.ceil(top + bottom + rows * (drawn + around_h)
                         + max(grid.verticalSpacing(), 0) * (rows - 1)) + 1

    def arrange(self) -> None:
        glw = self.page.glw
        width, height = glw.viewport().width(), glw.viewport().height()
        if width <= 0 or height <= 0:
            return
        columns, _ = self.best(width, height)
        regrid = columns != self.columns
        if regrid:
            self.columns = columns
            grid = glw.ci.layout  # Qt's grid: the items stay in the scene, as they are
            for item in self.plots:
                grid.removeItem(item)
            for i, item in enumerate(self.plots):
                grid.addItem(item, *divmod(i, columns))
            QTimer.singleShot(0, self, self.page.titles.fit)
            QTimer.singleShot(0, self.page, self.page._arrange)  # another number of rows
        # No wider than 1:1 at the height its cell gives it (one under the other the moons
        # were drawn twice as wide as high), in the middle: the grid's margins take the rest
        # (a plot's maximum width left the grid, and the planes, at the view's left).
        cell_w, _ = self._cell(width, height, columns)
        _, plot_w = self.plane(width, height, columns)
        spare = columns * (cell_w - plot_w) / 2 if cell_w - plot_w >= 2 else 0.0
        left, top, right, bottom = self.margins
        grid = glw.ci.layout
        changed = regrid
        if abs(grid.getContentsMargins()[0] - (left + spare)) >= 1:
            grid.setContentsMargins(left + spare, top, right + spare, bottom)
            changed = True
        if changed:
            grid.activate()
            heights = getattr(self.page, "plane_heights", None)
            if heights is not None:
                heights._later()  # the planes' 1:1 heights at their new widths
        # The grid as large as the view where its planes' new heights allow: the view sizes
        # it only as it is resized, and a grid bounded by planes lower a moment before kept
        # that height (its planes squeezed out of 1:1 under heights that had grown since).
        ci, room = glw.ci, glw.range
        most = ci.effectiveSizeHint(Qt.SizeHint.MaximumSize)
        if abs(ci.size().width() - min(room.width(), most.width())) >= 1 or \
                abs(ci.size().height() - min(room.height(), most.height())) >= 1:
            ci.setGeometry(room)


LIST_SHARE = 0.22  # of the lessons view's width, at most, for the list (its names wrap to fit)


def _wrapped(text: str, fm, width: int) -> str:
    """``text`` on as many lines as it needs to be at most ``width`` wide (greedy, by words)."""
    lines: list[str] = []
    for word in text.split():
        if lines and fm.horizontalAdvance(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class LessonList(QListWidget):
    """The lessons' names, each whole: the list is as wide as the longest name where the view
    has room, else narrower with the names on two lines (presentation mode at 1024 px cut them
    at "1. Linear regres", with a scroll bar under them)."""

    def __init__(self, names, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = list(names)
        self.addItems(self.names)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.room = 10**6  # the widest the view lets the list be (LessonsView.resizeEvent)
        self.fit()

    def padding(self) -> int:
        """The list's width beyond its widest line: frame, the item's text margins, a little
        air."""
        from PySide6.QtWidgets import QStyle
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        return 2 * self.frameWidth() + 2 * margin + 8

    def fit(self, room: int | None = None) -> None:
        if room is not None:
            self.room = room
        fm, pad = self.fontMetrics(), self.padding()
        whole = max(fm.horizontalAdvance(n) for n in self.names)
        word = max(fm.horizontalAdvance(w) for n in self.names for w in n.split())
        text_width = max(min(whole, self.room - pad), word)
        for i, name in enumerate(self.names):
            text = _wrapped(name, fm, text_width)
            if self.item(i).text() != text:
                self.item(i).setText(text)
        if self.width() != text_width + pad or self.minimumWidth() != text_width + pad:
            self.setFixedWidth(text_width + pad)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()  # presentation mode's larger names


class LessonsView(QWidget):
    """The "lessons" view: the list of lessons on the left, the chosen one on the right."""

    try_requested = Signal(str)  # a lesson's key: load its counterpart into the main window
    # A page was shown or drew its plots: they are drawn at the normal size, and the window
    # scales them in presentation mode (build_view). Lessons 4 and 5 picked from the list or
    # the Lessons menu, the tab already shown, stayed at the normal size.
    page_drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.extras_key = "baseline"
        self.list = LessonList([lesson.short for lesson in LESSONS])
        for i, lesson in enumerate(LESSONS):
            self.list.item(i).setToolTip(lesson.title)
        self.stack = QStackedWidget()
        self.pages = {lesson.key: LessonPage(lesson) for lesson in LESSONS}
        for lesson in LESSONS:
            self.stack.addWidget(self.pages[lesson.key])
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.list)
        lay.addWidget(self.stack, 1)
        self._executor: ThreadPoolExecutor | None = None
        self._moons_future: Future | None = None
        self.moons_result: lessons.MoonsLesson | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_moons)
        self._baseline_items = None
        self._lut = diverging_map().getLookupTable(0.0, 1.0, 256)
        self.snapshot = None
        self.list.currentRowChanged.connect(lambda row: self.show_lesson(LESSON_KEYS[row]))
        self.list.setCurrentRow(0)

    # -- navigation ------------------------------------------------------------------------------

    def show_lesson(self, key: str, wait: bool = False) -> None:
        """Show lesson ``key`` (see LESSON_KEYS); ``wait`` blocks until its numbers are ready."""
        if key not in self.pages:
            raise KeyError(f"unknown lesson {key!r}; known: {', '.join(LESSON_KEYS)}")
        row = LESSON_KEYS.index(key)
        if self.list.currentRow() != row:
            self.list.setCurrentRow(row)  # comes back here through the signal
            if not wait:
                return
        page = self.pages[key]
        if self.stack.currentWidget() is not page:
            # Opened at its top: a page kept where it had been scrolled to, and lesson 5 came
            # back with its title and "Try it live" scrolled out of sight.
            page.column.verticalScrollBar().setValue(0)
            page.words.verticalScrollBar().setValue(0)
        self.stack.setCurrentWidget(page)
        # Filled when first seen (the replay trains the notebook's models): the window opens
        # ~0.2 s sooner than if the first page were filled while it is built.
        if not page.filled and (wait or self.isVisible()):
            self._fill(key)
        self.page_drawn.emit()
        if wait and key == "moons" and self._moons_future is not None:
            self._moons_future.result()
            self._check_moons()

    def _fill(self, key: str) -> None:
        page = self.pages[key]
        getattr(self, "_fill_" + key.replace("-", "_"))(page)
        page.titles_later()
        self.page_drawn.emit()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        key = self.current_key
        if not self.pages[key].filled:
            self._fill(key)

    def enable_try(self, keys, tooltips: dict[str, str] | None = None,
                   labels: dict[str, str] | None = None) -> None:
        """Show the "Try it live" button on the pages of ``keys`` (``labels``: other words
        for it, where the live run is not the page's picture)."""
        for key in keys:
            button = self.pages[key].try_button
            if key in (labels or {}):
                button.setText(labels[key] if "&" in labels[key] else "&" + labels[key])
            button.setToolTip((tooltips or {}).get(key, ""))
            button.clicked.connect(lambda _=False, k=key: self.try_requested.emit(k))
            button.show()
            self.pages[key]._place_button()

    @property
    def current_key(self) -> str:
        return LESSON_KEYS[max(self.list.currentRow(), 0)]

    # -- lessons 1-4: the notebook's replay --------------------------------------------------------

    def _fill_line(self, page: LessonPage) -> None:
        r = lessons.replay().line
        p = page.plot(0, 0, "LinearRegression on the notebook's line data", "x", "y")
        page.key_under(p)
        page.scatter(p, r.x, r.y, pg.mkBrush(*colors.point_fill(class_color(1))), size=7,
                     name="Truth (noisy data)")
        p.plot(r.x, r.y_pred, pen=pg.mkPen(colors.train_curve(), width=2,
                                           style=Qt.PenStyle.DashLine), name="Fit")
        p.plot(r.x, lessons.TRUE_SLOPE * r.x + lessons.TRUE_INTERCEPT,
               pen=pg.mkPen(colors.line(class_color(0)), width=1.5), name="true line (no noise)")
        page.numbers.setText(
            f"fitted slope m = <b>{r.slope:.5f}</b>, intercept b = <b>{r.intercept:.5f}</b> "
            f"(the data's true line: {lessons.TRUE_SLOPE}, {lessons.TRUE_INTERCEPT})")
        page.filled = True

    def _fill_deep_linear(self, page: LessonPage) -> None:
        d = lessons.replay().deep_linear
        p = page.plot(0, 0, "largest |value| after each layer (log scale)", "layer", "max |value|",
                      log_y=True)
        page.key_under(p)
        # Names a newcomer reads, short enough for the plot's width: the notebook's
        # "LinearModel(3, 2, (4, 10, 20, 50))" ran past the plot in presentation mode.
        for layers, name, k in ((d.shallow_layers, "hidden 4", 0),
                                (d.deep_layers, "hidden 4-10-20-50", 1)):
            colour = colors.line(class_color(k))
            mags = lessons.DeepLinearLesson.magnitudes(layers)
            p.plot(np.arange(1, len(mags) + 1), mags, pen=pg.mkPen(colour, width=2), symbol="o",
                   symbolBrush=colour, name=name)
        p.getAxis("bottom").setTicks([[(i, str(i)) for i in range(1, 6)]])

        def fmt(a):
            return "[" + ", ".join(f"{v:.4g}" for v in np.ravel(a)) + "]"
        # The notebook's first layer by hand (cells 10-14) comes first, with its shapes: its
        # printed numbers had no place in the window (review r3, defect 5).
        page.numbers.setText(
            f"by hand (the notebook's w.T @ X + b, a random b): hidden layer "
            f"<b>{fmt(d.hand_hidden)}</b>, shape {d.hand_hidden.shape}; output "
            f"<b>{fmt(d.hand_output)}</b>, shape {d.hand_output.shape}. With LinearModel, "
            f"the same input X {d.X.shape} -> one hidden layer: <b>{fmt(d.shallow_output)}</b>; "
            f"four hidden layers: <b>{fmt(d.deep_output)}</b>")
        page.filled = True

    def _fill_sigmoid(self, page: LessonPage) -> None:
        s = lessons.replay().sigmoid
        x = s.X[0]
        colours = _value_brushes(s.Y_deep)
        # The notebook's cells 25-30 first: a 1-4-1 linear model's y and G = sigmoid(y), each
        # point coloured by its y. Its two scatters share the deep linear model's two plots
        # (cells 31-33), a shape each: the same sigmoid bends the small y gently and turns the
        # huge Y into a step, side by side on one plot. Two plots of their own made two rows,
        # and in presentation mode at 1400x900 the numbers went under the bottom edge.
        small = _value_brushes(s.y_small)
        # The notebook's names (X, Y, G), each saying what it is: "X", "Y", "G" alone read as
        # nothing, and X as the moons of the other tabs.
        p0 = page.plot(0, 0, "linear models", X_INPUT, "Y (output)")
        p1 = page.plot(0, 1, "sigmoid on the output only", X_INPUT, "G = sigmoid(Y)")
        for plot, y_small, y_deep in ((p0, s.y_small, s.Y_deep), (p1, s.G_small, s.G_deep)):
            page.key_under(plot)
            one = page.scatter(plot, x, y_small, small, name=SMALL_MODEL, symbol=SMALL_SYMBOL)
            deep = page.scatter(plot, x, y_deep, colours, name=DEEP_MODEL)
            one.setZValue(1)  # over the deep model's points where they meet (X near 0)
            for item in (one, deep):  # the key's sample: the shape (each point keeps its own)
                item.setBrush(_key_brush())
        p2 = page.plot(0, 2, "sigmoid between layers", X_INPUT, "Y (output)")
        page.scatter(p2, x, s.Y_between, _value_brushes(s.Y_between))
        # In presentation mode's columns "sigmoid on the output only" fitted on one line at
        # the smallest size, and all three titles with it: on two lines, larger.
        page.titles.two_lines = page.titles.grow = True
        page.columns_grid = ColumnsGrid(page, (p0, p1, p2), 3)
        page.columns_grid.arrange()
        sat = lessons.SigmoidLesson.saturated_fraction(s.G_deep)
        key = _value_key("Y")
        page.numbers.setToolTip(
            "The notebook's names: X its inputs (np.random.randn(1, 100)), Y a model's output, "
            "G = sigmoid(Y). The points are coloured by their own model's Y, as the notebook "
            "colours them, so that a point can be followed from one plot to the next: "
            f"{SMALL_GLYPH} the 1-4-1 linear model of cells 26-29, {DEEP_GLYPH} the deep "
            "linear model (hidden 4, 10, 30, 10, 4) of cells 31-33.")
        page.numbers.setText(
            f"{X_WORDS}; Y: the output; G = sigmoid(Y); {key}. "
            f"{SMALL_GLYPH} 1-4-1 model: Y from {s.y_small.min():.4g} to {s.y_small.max():.4g}, "
            f"G from <b>{s.G_small.min():.4f}</b> to <b>{s.G_small.max():.4f}</b>. "
            f"{DEEP_GLYPH} Deep linear: Y from {s.Y_deep.min():.4g} to {s.Y_deep.max():.4g}, so "
            f"<b>{sat:.0%}</b> of G are within 0.01 of 0 or 1 (a step); with "
            f"sigmoid between layers they all lie between <b>{s.Y_between.min():.4f}</b> and "
            f"<b>{s.Y_between.max():.4f}</b>.")
        page.filled = True

    def _fill_activations(self, page: LessonPage) -> None:
        a = lessons.replay().activations
        x = a.X[0]
        brushes = _value_brushes(a.colour)
        parts, plots = [], []
        for i, (label, Y) in enumerate(a.outputs):
            p = page.plot(*divmod(i, 3), label, X_INPUT, "Y (output)")  # 3 + 2: legible
            page.scatter(p, x, Y[0], brushes, size=6)
            if label == "Softmax":
                # Every output is 1/100 up to rounding: show that, not the rounding noise.
                p.setYRange(0, 2.0 / Y.size)
            parts.append(f"{label}: {Y.min():.3g} to {Y.max():.3g}")
            plots.append(p)
        # Fewer columns in a narrow page: three in presentation mode at 1024 px cut tanh's.
        page.columns_grid = ColumnsGrid(page, plots, 3)
        page.columns_grid.arrange()
        soft = dict(a.outputs)["Softmax"]
        page.numbers.setText("; ".join(parts) + f". The softmax outputs sum to "
                             f"<b>{soft.sum():.6f}</b> over all {soft.size} points.")
        page.filled = True

    # -- lesson 5: trained in the background -----------------------------------------------------

    def _fill_moons(self, page: LessonPage) -> None:
        if self._moons_future is None:
            page.numbers.setText(MOONS_COMING)
            page.say_coming(MOONS_COMING)
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnviz-lesson")
            self._moons_future = self._executor.submit(lessons.moons_lesson)
            self._poll.start()

    def _check_moons(self) -> None:
        f = self._moons_future
        if f is None or not f.done():
            return
        self._poll.stop()
        page = self.pages["moons"]
        if page.filled:
            return
        try:
            m = f.result()
        except Exception as e:  # noqa: BLE001 -- shown to the user, the window goes on
            page.numbers.setText(f"The lesson could not be computed: {type(e).__name__}: {e}")
            page.filled = True
            return
        self.moons_result = m
        page.say_coming(None)
        X = m.X
        page.widest_tick = "0.25"  # the loss; the planes' "-0.5" is no wider
        planes = []
        for col, (title, brushes, symbols) in enumerate((
                ("True Labels", _class_brushes(m.labels), _class_symbols(m.labels)),
                ("Predicted", _value_brushes(np.clip(m.predictions, 0, 1)), "o"),
                ("Rounded Predictions", _class_brushes(m.rounded.astype(int)),
                 _class_symbols(m.rounded.astype(int))))):
            p = page.plane(0, col, title)
            page.scatter(p, X[:, 0], X[:, 1], brushes, size=6, symbol=symbols)
            # A fixed range: pyqtgraph's auto-range pads by the view's size, which the height
            # (PlaneHeights) changes.
            # Python floats: float32 ends made pyqtgraph's range check overflow (a warning on
            # stderr for every plot).
            lo, hi = X.min(axis=0).astype(float), X.max(axis=0).astype(float)
            pad = 0.06 * (hi - lo)
            # 1:1 where the cell is wider than the plane at its height, too (the grid's cells
            # at 1280x720 are): the x range grows, the moons keep their shape.
            p.getViewBox().setAspectLocked(True)
            p.setRange(xRange=(lo[0] - pad[0], hi[0] + pad[0]),
                       yRange=(lo[1] - pad[1], hi[1] + pad[1]), padding=0)
            planes.append(p)
        extent = tuple(float(v) for v in 1.12 * (hi - lo))
        page.plane_heights = PlaneHeights(page.glw, planes, extent=extent)
        page.plane_heights.fit()
        lp = page.glw.addPlot(row=1, col=0, colspan=3, title="loss (mse) per epoch")
        fit_title(lp)
        auto_button_once_moved(lp)
        lp.setLabels(bottom="epoch", left="loss")
        lp.getAxis("left").enableAutoSIPrefix(False)
        lp.getAxis("left").setWidth(page.axis_width())
        page.air_under_title(lp)
        lp.setPreferredWidth(10)  # a column as wide as a plane's, when it takes a plane's cell
        lp.setMinimumWidth(10)
        lp.setMaximumHeight(LOSS_MOST)
        page.planes_grid = PlanesGrid(page, planes, lp)
        page.planes_grid.arrange()
        lp.plot(np.arange(1, len(m.losses) + 1), m.losses,
                pen=pg.mkPen(colors.train_curve(), width=2))
        printed = ", ".join(f"{e}: {m.losses[e - 1]:.4f}" for e in (100, 500, 1000)
                            if e <= len(m.losses))
        # The notebook's numbering, said where its numbers are: its "Loss for epoch N" is the
        # loss before epoch N's update, which the main window's curve shows at N and its line
        # under "Epoch N - 1" (review r3: 0.1381 beside "Epoch 300" read as a wrong 0.1387).
        page.numbers.setText(
            f"initial cost {m.initial_cost:.3f} (the notebook's first model). The model "
            "trained here is its next, LinearModelWithGrad, which draws new weights: its loss "
            f"at the start is {m.losses[0]:.4f}, where \u201cTry it live\u201d starts too. Loss "
            f"at epoch {printed}; accuracy of the rounded predictions <b>{m.accuracy:.0%}</b>. "
            "The notebook's loss for epoch N is taken before epoch N's update: after N\u00a0\u2212"
            "\u00a01 epochs (in the main window the loss curve at N; the numbers under Epoch N "
            "are after its update).")
        page.filled = True
        page.titles_later()
        self.page_drawn.emit()  # trained in the background: drawn after the page was shown

    # -- the baseline ----------------------------------------------------------------------------

    BASELINE_COMING = "The baseline appears with the next frame of the main window's run."

    def _fill_baseline(self, page: LessonPage) -> None:
        page.numbers.setText(self.BASELINE_COMING)
        page.filled = True
        if self.snapshot is not None:
            self.update_snapshot(self.snapshot)

    def _baseline_plots(self, page: LessonPage):
        if self._baseline_items is None:
            items = []
            page.widest_tick = "-2.5"  # a plane's numbers (the widest y axes made it narrow)
            # Two planes side by side at 1024 px: their titles on two lines, where that is
            # larger ("logistic regression:" over "88.1% (train)"); the page has the height.
            page.titles.two_lines = page.titles.grow = True
            for col, title in enumerate(("logistic regression", "the network")):
                p = page.plane(0, col, title)
                img = pg.ImageItem(axisOrder="row-major")
                p.addItem(img)
                sc = pg.ScatterPlotItem(size=6, pen=_edge())
                p.addItem(sc)
                # Hidden (another problem's figure, update_snapshot), a plane keeps its cell:
                # with both hidden pyqtgraph's grid shrank to its margins (18x18 px) and, shown
                # again, stayed a scrap of titles and axes over each other until the view was
                # resized (review r22: after the data changed behind another tab).
                policy = p.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                p.setSizePolicy(policy)
                items.append((p, img, sc))
            self._baseline_heights = PlaneHeights(page.glw, [p for p, _, _ in items],
                                                  linked=True)
            # Side by side or one under the other, whichever draws them larger (BaselineGrid)
            page.plane_heights = self._baseline_heights
            page.columns_grid = BaselineGrid(page, [p for p, _, _ in items])
            page.columns_grid.arrange()
            items[1][0].setXLink(items[0][0])  # one plane: zoom or pan both at once
            items[1][0].setYLink(items[0][0])
            self._baseline_items = items
        return self._baseline_items

    def update_snapshot(self, snapshot) -> None:
        """Only the baseline page follows the run."""
        self.snapshot = snapshot
        page = self.pages["baseline"]
        if not page.filled:
            return
        if self.extras_key not in snapshot.extras:
            # A frame made while the page was hidden (its probe runs only while it is shown;
            # the window shows it the last frame as it comes back, the probe's comes next): not
            # "a regression" (review r22: said of the moons after Points changed behind another
            # tab). Another run's: no figure of the old one's data meanwhile.
            if snapshot.run_id != getattr(self, "_baseline_run", None):
                for p, _, _ in self._baseline_items or ():
                    p.setVisible(False)
                page.numbers.setText(self.BASELINE_COMING)
            return
        self._baseline_run = snapshot.run_id
        view: BaselineView | None = snapshot.extras.get(self.extras_key)
        # The planes show this problem's data or nothing: under "the main window's problem is
        # a regression" they kept the imported data's "logistic regression: 96.9% (train)".
        planes = view is not None and len(view.ys) > 0 and view.baseline.grid_values is not None \
            and snapshot.grid is not None
        for p, _, _ in self._baseline_items or ():
            p.setVisible(planes)  # (the figure's room stays: the words keep their place)
        # A regression has no figure here at all: its blank room stood over the words that say
        # why, which presentation mode puts under the figure, a scroll away at 1024x768 (review).
        page.glw.setVisible(view is not None)
        if view is None:
            page.numbers.setText("The baseline is for classification problems; the main "
                                 "window's problem is a regression.")
            return
        base = view.baseline
        (p0, img0, sc0), (p1, img1, sc1) = self._baseline_plots(page)
        m = snapshot.metrics
        acc = "train {:.1%}".format
        net = acc(m.train_accuracy) + ("" if np.isnan(m.test_accuracy)
                                       else f", test {m.test_accuracy:.1%}")
        lin = acc(base.train_accuracy) + ("" if np.isnan(base.test_accuracy)
                                          else f", test {base.test_accuracy:.1%}")
        titles = (f"logistic regression: {base.train_accuracy:.1%} (train)",
                  f"the network: {m.train_accuracy:.1%} (train)")
        if titles != getattr(self, "_baseline_titles", None):
            # Set anew (at pyqtgraph's full size), then fitted to the planes' width: set with
            # every frame and never fitted, at 1024x768 they ran off their planes into each
            # other ("gistic regression: 88.1% (trathe network: 51.9% (train)").
            self._baseline_titles = titles
            p0.setTitle(titles[0])
            p1.setTitle(titles[1])
            page.titles.fit()
        if not planes:
            page.numbers.setText(f"logistic regression: {lin}; the network: {net}.")
            return
        page.numbers.setText(
            f"accuracy of logistic regression: <b>{lin}</b>; of the network at epoch "
            f"{snapshot.epoch:,}: <b>{net}</b>.")
        ry, rx = len(view.ys), len(view.xs)
        rect = _image_rect(view.xs, view.ys)
        if getattr(self, "_baseline_rect", None) != rect:
            self._baseline_rect = rect
            p0.setRange(rect, padding=0)  # the plane of the grid, 1:1 by the plot's height
            self._baseline_heights.fit()
            page.columns_grid.extent = (rect.width(), rect.height())
            page.columns_grid.arrange()  # another plane's shape: side by side, or not
        for img, values in ((img0, base.grid_values), (img1, snapshot.grid.values)):
            values = np.asarray(values)
            if values.size == ry * rx:  # P(class 1)
                img.setLookupTable(self._lut)
                img.setImage(values.reshape(ry, rx), levels=(0, 1), autoLevels=False)
            else:  # class scores: the winner's colour
                img.setLookupTable(None)
                img.setImage(class_image(values.reshape(ry, rx, -1)), autoLevels=False,
                             levels=(0, 255))
            img.setRect(rect)
        key = id(view.data_X)
        if getattr(self, "_baseline_data", None) != key:
            self._baseline_data = key
            brushes = _class_brushes(view.data_y)
            for sc in (sc0, sc1):
                sc.setData(view.data_X[:, 0], view.data_X[:, 1], brush=brushes,
                           symbol=_class_symbols(view.data_y))
            # The whole plane, set once per data set (auto-range across the two linked plots
            # showed a sliver of it: x from -0.4 to 0.4 of the moons' -1.2 to 2.2).
            p0.getViewBox().setRange(rect, padding=0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self.list.fit(max(int(self.width() * LIST_SHARE), 60))

    def apply_look(self) -> None:
        """The theme or palette changed (nnviz.gui.look): every page drawn so far again."""
        self._lut = diverging_map().getLookupTable(0.0, 1.0, 256)
        for page in self.pages.values():
            if page.filled:
                page.clear_figure()
        self._baseline_items = self._baseline_data = self._baseline_titles = None
        self._baseline_rect = None  # the new planes' range, heights and arrangement set anew
        from .look import style_tree
        style_tree(self)
        self.pages["moons"]._place_coming()  # lesson 5 still training: its note's new colour
        if self.isVisible():
            self._fill(self.current_key)
        self._check_moons()
        if self.snapshot is not None and self.pages["baseline"].filled:
            self.update_snapshot(self.snapshot)

    def shutdown(self) -> None:
        """Stop the background lesson (if any); safe after the widget is gone."""
        try:
            self._poll.stop()
        except RuntimeError:  # the C++ timer was deleted with the window
            pass
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)


def _image_rect(xs: np.ndarray, ys: np.ndarray) -> QRectF:
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    return QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)


def build_view(ctx) -> LessonsView:
    """The Lessons tab (see nnviz.gui.views): the notebook's demonstrations and the baseline."""
    from nnviz.core import inspect
    view = LessonsView()
    # The baseline's probe runs while its page is shown: it fits scikit-learn's
    # LogisticRegression, whose import alone costs ~120 MB and up to 2 s (issue 16), and the
    # other pages draw nothing of the run.
    ctx.track("lessons", view, {view.extras_key: (inspect.BaselineProbe(), 0)},
              shown_by=view.pages["baseline"], draws_grid=True)
    view.enable_try(ctx.lessons.get("tryable", {}), ctx.lessons.get("tips", {}),
                    ctx.lessons.get("labels", {}))
    if "try_lesson" in ctx.lessons:
        view.try_requested.connect(ctx.lessons["try_lesson"])
    ctx.on_destroy.append(view.shutdown)

    def scale_later() -> None:  # once the page is laid out (nnviz.gui.views scale_shown)
        scale = getattr(ctx.window, "_scale_shown_views", None)
        if scale is not None:
            scale()
    view.page_drawn.connect(lambda: QTimer.singleShot(0, view, scale_later))
    return view
