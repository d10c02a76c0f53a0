"""The Compare view's layout and look as a reader sees them: at 1024 x 768 in presentation mode
the table, the tile labels and the plots are whole; in the dark theme every text, curve and
the diverged tile stand off the ground; without a sweep the view says what a sweep is instead
of drawing empty plots."""
from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from nnviz.core.problem import notebook_problem
from nnviz.core.ready_sweeps import ready
from nnviz.core.sweep import Axis, SweepSpec
from nnviz.gui import colors
from nnviz.gui.presentation import SCALE
from tests.conftest import FIRST_SNAPSHOT_MS

from .look_audit import text_problems
from .test_compare_view import _tile_pixels

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(autouse=True)
def light_again():
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def _diverging_lr_sweep() -> SweepSpec:
    """The ready-made learning-rate sweep's rates (0.01 to 10) on the notebook's network with a
    linear output: 3 and 10 diverge within a few epochs, the longest label "lr 10 — diverged".
    (The ready sweep's own relu network with its sigmoid output diverged there only through
    the sigmoid's NaN gradient; with that gradient 0 its large rates saturate and go on.)"""
    base = notebook_problem()
    base = dataclasses.replace(base, spec=dataclasses.replace(base.spec,
                                                              output_activation="linear"))
    return SweepSpec(base, ready("lr").spec().axes)


def _sweep(qtbot, window, size, presentation=False, epochs=30, key="lr"):
    """A ready-made sweep trained ``epochs`` epochs; "lr": the learning rates 0.01 to 10, with
    10 diverged (``_diverging_lr_sweep``), its label the longest, "lr 10 — diverged"."""
    window.resize(*size)
    window.set_presentation(presentation)
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start(_diverging_lr_sweep() if key == "lr" else ready(key).spec())
    window.step(epochs)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == epochs and view.table._sized
                    and (key != "lr" or view.drawn.diverged[-1]), timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()  # the layout settles, the view ranges follow
    QApplication.processEvents()
    view.tiles.fit_labels()  # what the zero timer after a resize does, done now
    return view


def _cells_whole(table) -> list[str]:
    """Every cell of a shown column whose text (bold: the best row's) is wider than its
    column, and every row below the table's bottom edge."""
    bold = QFont(table.font())
    bold.setBold(True)
    fm = QFontMetrics(bold)
    model, header = table.model(), table.horizontalHeader()
    cut = []
    for r in range(model.rowCount()):
        if table.rowViewportPosition(r) + table.rowHeight(r) > table.viewport().height():
            cut.append(f"row {r} below the edge")
        for c in range(model.columnCount()):
            if header.isSectionHidden(c):
                continue
            text = str(model.index(r, c).data() or "")
            if fm.horizontalAdvance(text) + 6 > table.columnWidth(c):
                cut.append(f"{text!r} in a column {table.columnWidth(c)} px wide")
    if table.horizontalScrollBar().maximum() > 0:
        cut.append("a horizontal scroll bar")
    return cut


def _overlapping_labels(tiles) -> list[tuple[str, str]]:
    rects = [(t.textItem.toPlainText(), t.mapRectToScene(t.boundingRect()))
             for t in tiles.labels]
    return [(a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:]
            if ra.intersects(rb)]


def test_a_projector_window_shows_the_whole_table_labels_plots_and_tabs(qtbot, main_window):
    """1024 x 768 in presentation mode: cells were cut ("0.0004…"), five rows showed behind a
    scroll bar, "★ lr 3" ran into "lr 10 — diverged", the plots were ~290 px wide with their
    axes and keys cut. And the tab bar opened scrolled so that its first tab read "urons"
    (Neurons, cut), and the table left out its training accuracy though it had room. (Two
    tests, each building this window and training this sweep: one window reads both.)"""
    view = _sweep(qtbot, main_window, (1024, 768), presentation=True)
    assert _cells_whole(view.table) == []
    assert _overlapping_labels(view.tiles) == []
    texts = [t.textItem.toPlainText() for t in view.tiles.labels]
    assert texts[-1].startswith("lr 10")  # shortened, still naming its member
    # Each plot takes about half the view's width, and its title fits it.
    for plot in (view.curves, view.score_plot):
        assert plot.width() >= 0.4 * view.width()
        title = plot.getPlotItem().titleLabel
        assert title.item.boundingRect().width() <= plot.width()
    # The score plot shows every swept value on its axis.
    assert view.score_plot.getPlotItem().getAxis("bottom").width() >= 0.3 * view.width()
    _whole_tabs_and_the_training_accuracy(qtbot, main_window, view)


def _tab_room(bar) -> tuple[int, int]:
    """Where the tabs are seen: from the end of the "tear" Qt draws at the start of a scrolled
    bar (over the tab before) to the scroll arrows."""
    from PySide6.QtWidgets import QStyle, QStyleOptionTab, QToolButton
    arrows = [b.x() for b in bar.findChildren(QToolButton) if b.isVisible()]
    room = min(arrows, default=bar.width())
    if room >= bar.width():
        return 0, room
    opt = QStyleOptionTab()
    bar.initStyleOption(opt, 0)
    opt.rect = bar.rect()
    tear = bar.style().subElementRect(QStyle.SubElement.SE_TabBarTearIndicatorLeft, opt, bar)
    return (tear.right() + 1 if tear.isValid() else 0), room


def _tabs_cut(bar) -> list[str]:
    """The view tabs shown in part: a tab cut at the bar's start (or at its scroll arrows)."""
    lead, room = _tab_room(bar)
    cut = []
    for i in range(bar.count()):
        r = bar.tabRect(i)
        if r.left() < 0 and r.right() >= lead or r.left() < room <= r.right():
            cut.append(f"{bar.tabText(i)!r} at {r.left()}..{r.right()} of {lead}..{room}")
    return cut


def _whole_tabs_and_the_training_accuracy(qtbot, main_window, view):
    """1024 x 768 in presentation mode: the tab bar opened scrolled so that its first tab read
    "urons" (Neurons, cut), and the table left out its training accuracy though it had room."""
    bar = main_window.tabs.tabBar()
    qtbot.waitUntil(lambda: _tabs_cut(bar) == [], timeout=FIRST_SNAPSHOT_MS)
    current = bar.tabRect(bar.currentIndex())
    assert bar.tabText(bar.currentIndex()) == "Compare"
    assert current.left() >= 0 and current.right() < _tab_room(bar)[1]  # the view shown, whole
    header, model = view.table.horizontalHeader(), view.table.model()
    shown = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(header.count())
             if not header.isSectionHidden(c)]
    assert any("train" in t and "acc" in t for t in shown), shown
    assert _cells_whole(view.table) == []  # ... and every column shown whole, no scroll bar
    # Another view chosen, and the window resized: still no tab in part at the start.
    main_window.show_view("neurons")
    qtbot.waitUntil(lambda: bar.currentIndex() == 2 and not any(
        r.left() < 0 and r.right() >= _tab_room(bar)[0]
        for r in map(bar.tabRect, range(bar.count()))), timeout=FIRST_SNAPSHOT_MS)
    main_window.show_view("compare")
    main_window.resize(1100, 768)
    qtbot.waitUntil(lambda: _tabs_cut(bar) == [] and bar.width() > 900,
                    timeout=FIRST_SNAPSHOT_MS)


def _cut_at_start(bar) -> list[str]:
    lead = _tab_room(bar)[0]
    return [bar.tabText(i) for i in range(bar.count())
            if bar.tabRect(i).left() < 0 and bar.tabRect(i).right() >= lead]


def test_the_lessons_tab_at_1024_leaves_no_sliver_of_a_tab_at_the_bars_start(qtbot,
                                                                              main_window):
    """Review r28 F6: Lessons chosen at 1024 x 768 left "s" of Neurons at the bar's start. The
    bar flipped at every paint between that and whole tabs: Qt scrolls the current Lessons tab
    to end 2 px under the scroll arrows, which the bar took for a tab cut at the arrows and
    pushed out of view, and Qt scrolled it back. The view button counted Lessons as off the
    bar too. (Each grab paints the bar, which fits its tabs again if it sees one in part.)"""
    w = main_window
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024, timeout=FIRST_SNAPSHOT_MS)
    bar = w.tabs.tabBar()
    w.show_view("lesson-1")
    qtbot.waitUntil(lambda: bar.tabText(bar.currentIndex()) == "Lessons" and bar.room() < 500
                    and _cut_at_start(bar) == [], timeout=FIRST_SNAPSHOT_MS)
    for _ in range(6):
        w.grab()
        QApplication.processEvents()
        assert _cut_at_start(bar) == [], [bar.tabRect(i) for i in range(bar.count())]
    current = bar.tabRect(bar.currentIndex())
    assert current.left() >= 0  # the view shown, whole (its end may lie 2 px under the arrows)
    assert "Lessons" not in w.views_button.toolTip()
    assert w.views_button.text() == f"{len(bar.hidden())} more views"


def _the_whole_table_labels_and_titles(view):
    """(At 1024 x 768 the table had a scroll bar and its epochs were cut.) Other windows than
    the projector's: 1400 x 900 in presentation mode (below), in normal mode
    (test_at_1400_the_table_and_curves_read_and_presentation_mode_switches_the_layout_and_back)
    and 1024 x 768 in normal mode (test_opening_new_sweep_in_a_1024_window_...[lr])."""
    assert _cells_whole(view.table) == []
    assert _overlapping_labels(view.tiles) == []
    for plot in (view.curves, view.score_plot):
        title = plot.getPlotItem().titleLabel
        assert title.item.boundingRect().width() <= plot.width()


def test_a_1400_presentation_window_shows_the_whole_table(qtbot, main_window):
    _the_whole_table_labels_and_titles(_sweep(qtbot, main_window, (1400, 900), presentation=True))


def test_the_compare_view_reads_in_the_dark_theme(qtbot, main_window):
    """Its titles and keys were dark grey on near-black, the lowest rate's curve dark purple
    (1.1:1), the selected curve black, the diverged tile a light-grey block."""
    colors.set_look("dark")
    view = _sweep(qtbot, main_window, (1400, 900))
    view.select(0)
    QApplication.processEvents()
    assert text_problems(view) == []
    bg = colors.background()
    for curve in view.curves.curves:
        rgb = curve.opts["pen"].color().getRgb()[:3]
        assert colors.contrast(rgb, bg) >= 3.0, rgb
    for item in (view.score_plot.train, view.score_plot.test):
        assert colors.contrast(item.opts["pen"].color().getRgb()[:3], bg) >= 3.0
    img = view.tiles.image.image
    x, y = _tile_pixels(view, img, view.drawn)[-1]  # lr 10, diverged
    assert img[y:y + 20, x:x + 20].mean() < 110  # a dark grey, not a light block
    # Back to light: the light theme's colours again.
    colors.set_look("light")
    qtbot.waitUntil(lambda: tuple(view.tiles.image.image[0, 0]) == colors.background(),
                    timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()  # the widgets' palettes follow the application's in events
    assert text_problems(view) == []


def test_without_a_sweep_the_view_says_what_a_sweep_is(qtbot, main_window):
    """It showed plots with axes that meant nothing (epoch 0.2-0.8, loss 2-5) and an empty
    table with a scroll bar."""
    main_window.resize(1400, 900)
    main_window.show_view("compare")
    view = main_window._inspection_views["compare"]
    QApplication.processEvents()
    shown = lambda w: w.isVisibleTo(view)  # noqa: E731
    assert shown(view.empty) and "No sweep yet" in view.empty.text()
    assert not any(shown(w) for w in (view.curves, view.score_plot, view.table, view.tiles))
    assert view.empty.width() > 0.5 * view.width()
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 1.0)),)))
    qtbot.waitUntil(lambda: view.members_of == view.sweep_id, timeout=FIRST_SNAPSHOT_MS)
    assert all(shown(w) for w in (view.curves, view.score_plot, view.table, view.tiles))
    assert not shown(view.empty)
    view.end_sweep()
    assert shown(view.empty) and not shown(view.curves) and shown(view.panel)


def test_sixteen_small_tiles_keep_their_labels_between_them_and_the_scores_seeds_apart(
        qtbot, main_window):
    """16 tiles at 1024 x 768 in presentation mode: each label ran into the tile above it, and
    the first row's were cut at the top edge. And the score plot's sixteen seeds under its x
    axis ran together ("1011121314"): its names are thinned where they would touch (every
    other seed), each still a tick. (Two tests, each building this window and sweep.)"""
    from PySide6.QtCore import QRectF

    from nnviz.gui.compare_tiles import tile_origin

    from .test_narrow_window import _drawn_numbers
    view = _sweep(qtbot, main_window, (1024, 768), presentation=True, epochs=5, key="seeds")
    tiles = view.tiles
    assert tiles.n == 16 and _overlapping_labels(tiles) == []
    # At the mode's text size, as the table's beside them: the labels shrank to their band
    # of a fifth of a 70 px tile, 8.8 pt for the mode's 14.4 (the band grows instead).
    big = QApplication.font().pointSizeF() * SCALE
    sizes = [label.textItem.font().pointSizeF() for label in tiles.labels]
    assert min(sizes) >= big - 0.1, (sizes, big)
    texts = [label.textItem.toPlainText() for label in tiles.labels]
    # whole: "init 7", or the best's "★ 13" (the title names the axis), never cut with "…"
    assert all(t.replace("\u2605 ", "") in (f"init {i}", str(i)) for i, t in enumerate(texts)), \
        texts
    assert tiles.tile_pixels() >= 65  # the pictures hardly smaller (70 px before)
    top = tiles.mapToScene(0, 0).y()
    for i, label in enumerate(tiles.labels):
        rect = label.mapRectToScene(label.boundingRect())
        assert rect.top() >= top - 1, (i, rect)
        if i >= tiles.cols:  # under a row of tiles: below their pictures
            x, y = tile_origin(i - tiles.cols, tiles.cols, tiles.band)
            above = tiles.vb.mapViewToScene(QRectF(x, y, 1, 1)).boundingRect()
            # the text item's own margin (blank) may reach into the tile above
            margin = label.textItem.document().documentMargin()
            assert rect.top() + margin + 1 >= above.bottom(), (label.textItem.toPlainText(),
                                                               rect, above)
    ax = view.score_plot.getPlotItem().getAxis("bottom")

    def apart() -> None:
        numbers = [(r, t) for r, t in _drawn_numbers(ax) if t]
        assert len(numbers) >= 4, numbers  # still most of the seeds named
        for (a, ta), (b, tb) in zip(numbers, numbers[1:]):
            assert b.left() - a.right() >= 4, (ta, tb, a, b)
    qtbot.waitUntil(apart, timeout=30_000)


def test_at_1400_the_table_and_curves_read_and_presentation_mode_switches_the_layout_and_back(
        qtbot, main_window):
    """F11 at 1400 x 900 with a sweep shown: the plots go under table and tiles (each half the
    width), the panel folds; back, they return beside the table and the panel opens. Before
    F11, what other tests read in this window and sweep (each built its own): the table, the
    labels and the titles whole; a teacher's projector lost the highest rates' curves
    (viridis's yellow-green end is 1.5:1 on white); an ordered sweep's scores are a line."""
    view = _sweep(qtbot, main_window, (1400, 900))
    _the_whole_table_labels_and_titles(view)
    bg = colors.background()
    for curve in view.curves.curves:  # every member's curve reads on the light theme's white
        rgb = curve.opts["pen"].color().getRgb()[:3]
        assert colors.contrast(rgb, bg) >= 3.0, rgb
    for item in (view.score_plot.train, view.score_plot.test):  # an ordered sweep: a line
        assert pg.mkPen(item.opts["pen"]).style() == Qt.PenStyle.SolidLine
    assert not view.narrow and view.panel.isVisibleTo(view)
    assert view.curves.width() < 0.4 * view.width()
    main_window.set_presentation(True)
    qtbot.waitUntil(lambda: view.curves.width() >= 0.4 * view.width(), timeout=5000)
    assert view.narrow and not view.panel.isVisibleTo(view)
    assert _cells_whole(view.table) == []
    main_window.set_presentation(False)
    qtbot.waitUntil(lambda: view.curves.width() < 0.4 * view.width(), timeout=5000)
    assert not view.narrow and view.panel.isVisibleTo(view)
    assert _cells_whole(view.table) == []


def test_a_sweep_of_activations_reads_at_1024_in_presentation_mode(qtbot, main_window):
    """The Activations sweep at 1024 x 768 in presentation mode (a projector): the table's
    "test acc." column was cut behind a scroll bar; the tile titles ran into each other ("act
    sigmoid act softmax ★ act tanh") and said "act", a word nobody had explained; the score
    plot's key stayed at 9 pt beside 13 pt text. Then, in this window and sweep (two tests
    built their own): its scores as named dots (_categories_named_as_dots, below) and the
    selected tile's frame clear of the labels (_selected_frames_leave_the_labels_clear)."""
    from .test_narrow_window import _drawn_numbers
    view = _sweep(qtbot, main_window, (1024, 768), presentation=True, key="activations")
    assert _cells_whole(view.table) == []
    values = [v for _, vs in view.drawn.axes for v in vs]
    texts = [t.textItem.toPlainText().replace("\u2605 ", "") for t in view.tiles.labels]
    for text in texts:  # the activation, named in full or not at all (the title names it)
        assert text in values or text.startswith("activation "), texts
    space = QFontMetrics(view.tiles.labels[0].textItem.font()).horizontalAdvance(" ")
    rects = [t.mapRectToScene(t.boundingRect()) for t in view.tiles.labels]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            if abs(a.center().y() - b.center().y()) < 2:  # in one row: a word space between
                margin = 2 * view.tiles.labels[0].textItem.document().documentMargin()
                gap = max(b.left(), a.left()) - min(a.right(), b.right()) + margin
                assert gap >= space, (texts, gap, space)
    scale = float(view.score_plot.property("nnvizScale") or 1.0)
    assert scale > 1.2
    key = view.score_plot.getPlotItem().titleLabel
    assert "train loss" in key.text  # (no test points: the notebook's 200 all train)
    assert float(str(key.opts["size"]).replace("pt", "")) >= 9 * scale - 0.1
    for plot in (view.curves, view.score_plot):  # the keys within their plots, which are whole
        pi = plot.getPlotItem()
        assert pi.titleLabel.item.boundingRect().width() <= pi.vb.width() + 1
        assert pi.mapRectToScene(pi.boundingRect()).right() <= plot.width() + 1
    # _categories_named_as_dots (a test of its own built this window and sweep): "softmax"
    # and "cos" had no name under the score plot (thinned as if they were seeds between named
    # ones), and the five were joined by lines as if in an order. Now every one is named (a
    # second line for every other where one line is too narrow) and each member's losses are
    # dots.
    ax = view.score_plot.getPlotItem().getAxis("bottom")
    names = ["sigmoid", "softmax", "tanh", "cos", "relu"]

    def named() -> None:
        drawn = [(r, t) for r, t in _drawn_numbers(ax) if t]
        assert [t for _, t in drawn] == names
        for i, (a, ta) in enumerate(drawn):  # none over another, all within the axis
            assert ax.boundingRect().contains(a), (ta, a, ax.boundingRect())
            for b, tb in drawn[i + 1:]:
                assert not a.intersects(b), (ta, tb)
    qtbot.waitUntil(named, timeout=30_000)
    for item in (view.score_plot.train, view.score_plot.test):
        assert pg.mkPen(item.opts["pen"]).style() == Qt.PenStyle.NoPen  # no line
        assert item.opts["symbol"] == "o"
    assert len(view.score_plot.train.xData) == len(names)
    # (no test losses: since review r7 this sweep is the notebook's run, all 200 points trained)
    assert view.score_plot.test.xData is None or not len(view.score_plot.test.xData)
    _selected_frames_leave_the_labels_clear(view)


def _selected_frames_leave_the_labels_clear(view):
    """The frame of the selected tile ran through its label ("★ tanh"); just outside its
    picture, it would touch the label of the tile under it. (At 1024 x 768 in presentation
    mode and at 1400 x 900.)"""
    for i in range(view.tiles.n):
        view.select(i)
        QApplication.processEvents()
        sel = view.tiles.selection
        half = sel.pen().widthF() / 2 + 0.5  # a cosmetic pen: pixels, as the scene's units
        frame = sel.mapRectToScene(sel.rect()).adjusted(-half, -half, half, half)
        for label in view.tiles.labels:  # its own, and the one of the tile under it
            m = label.textItem.document().documentMargin()  # blank around the line
            text = label.mapRectToScene(label.boundingRect()).adjusted(m, m, -m, -m)
            assert not frame.intersects(text), (i, label.textItem.toPlainText(), frame, text)


def test_categories_get_colours_of_their_own_and_a_key_naming_each(qtbot, main_window):
    """Activations were coloured along viridis, "sigmoid → relu", as if relu were more of
    something than sigmoid, and the key named only the two ends. Numbers (learning rates)
    keep their scale."""
    from nnviz.gui.compare_plots import member_colors
    from nnviz.gui.compare_view import colour_key
    view = _sweep(qtbot, main_window, (1400, 900), key="activations")
    s = view.drawn
    (name, values), = s.axes
    key = view.curves.getPlotItem().titleLabel.text
    assert "\u2192" not in key
    for v in values:
        assert v in key
    rgb = member_colors(s.members, s.axes)
    assert len(set(rgb)) == len(values)
    # distinct colours: every two at least ΔE 20 apart (CIE76; tab10's red and orange, 30)
    from .test_look import _closest
    assert _closest(rgb, None) >= 20
    for a in rgb:
        assert colors.contrast(a, colors.background()) >= 3.0
    lr = ((0.01, 0.1, 1.0),)
    assert "\u2192" in colour_key((("learning_rate", lr[0]),))
    _selected_frames_leave_the_labels_clear(view)  # at 1400 x 900 (a test of its own built this)


@pytest.mark.parametrize("key", ["seeds", "lr"])
def test_opening_new_sweep_in_a_1024_window_leaves_the_plots_readable(qtbot, main_window, key):
    """1024 x 768, normal mode: opening New sweep over the 16 seeds' table left both plots
    ~40 px high inside their frames, "0.1" over "0.01" on the loss axis. The panel takes its
    room from the table (which scrolls), not from the plots."""
    view = _sweep(qtbot, main_window, (1024, 768), key=key)
    if key == "lr":  # (a test of its own built this window and sweep for this)
        _the_whole_table_labels_and_titles(view)
    assert view.narrow and not view.panel.isVisible()
    view.panel_toggle.click()
    least = 6 * view.fontMetrics().lineSpacing()  # a plot of a few lines, its numbers apart

    # (each once laid out: the plots' view boxes are sized in pyqtgraph's own layout passes,
    # and one pass of the event loop was not always all of them at load, 1f4630d; plots
    # squeezed to ~40 px, the bug, stay so)
    def plots_readable() -> None:
        QApplication.processEvents()
        assert view.panel.isVisible()
        for plot in (view.curves, view.score_plot):
            box = plot.getPlotItem().getViewBox()
            assert plot.isVisible() and box.height() >= least, (box.height(), least)
        assert view.table.isVisible() and view.table.height() >= 4 * view.table.rowHeight(0)
    qtbot.waitUntil(plots_readable)
    view.panel_toggle.click()  # folded: the table takes its room back

    def table_back() -> None:
        QApplication.processEvents()
        assert not view.panel.isVisible()
        assert view.table.height() >= 8 * view.table.rowHeight(0)
    qtbot.waitUntil(table_back)


def test_no_view_tab_is_seen_in_part_at_the_scroll_arrows(qtbot, main_window):
    """Keyboard newcomer at ~1024 px: the view bar ended in "Re", "Le" or "Ba", a tab cut at
    its scroll arrows. At every width from 960 to 1140 px each tab is whole or out of view."""
    w = main_window
    bar = w.tabs.tabBar()
    for width in range(960, 1141, 12):
        w.resize(width, 768)
        qtbot.waitUntil(lambda: bar.width() > 0 and _tabs_cut(bar) == [], timeout=5000)
    w.show_view("gradients")  # a tab near the arrows in front: it is shown whole
    qtbot.waitUntil(lambda: _tabs_cut(bar) == [], timeout=5000)
    r = bar.tabRect(bar.currentIndex())
    assert r.left() >= 0 and r.right() < _tab_room(bar)[1]
    # Presentation mode at 1024x768 with Backprop in front read "Reg" at the arrows.
    w.resize(1024, 768)
    w.set_presentation(True)
    w.show_view("backprop")
    qtbot.waitUntil(lambda: _tabs_cut(bar) == [], timeout=5000)
    w.set_presentation(False)


def test_a_sweep_without_test_points_sorts_and_keys_by_its_training_loss(qtbot, main_window):
    """The activations sweep trains on all 200 points, as the notebook does: its table opened
    sorted by the test loss, a column of "n/a", and the score plot's key listed a "test loss"
    it had no dot of. The lr sweep (a test split) keeps both."""
    from PySide6.QtCore import Qt
    view = _sweep(qtbot, main_window, (1400, 900), key="activations")
    table, n = view.table, 1  # one swept axis
    header = table.horizontalHeader()
    assert table.model().headerData(header.sortIndicatorSection(),
                                    Qt.Orientation.Horizontal).split() == ["train", "loss"]
    losses = [table.model().index(r, n + 1).data(Qt.ItemDataRole.UserRole)
              for r in range(table.model().rowCount())]
    assert losses == sorted(losses)
    key = view.score_plot.getPlotItem().titleLabel.text
    assert "train loss" in key and "test loss" not in key
    view = _sweep(qtbot, main_window, (1400, 900), key="lr")
    assert "test loss" in view.score_plot.getPlotItem().titleLabel.text
    header = view.table.horizontalHeader()
    assert view.table.model().headerData(header.sortIndicatorSection(),
                                         Qt.Orientation.Horizontal).split() == ["test", "loss"]


def _loss_plot_parts(window) -> dict:
    """Where the loss plot's view box (its curves) and its bottom axis (the numbers and the
    "epoch" title) are, in the plot widget's pixels."""
    pi = window.loss_plot.getPlotItem()
    return {name: window.loss_plot.mapFromScene(item.mapRectToScene(item.rect())).boundingRect()
            for name, item in (("curves", pi.getViewBox()), ("axis", pi.getAxis("bottom")))}


def test_the_loss_plot_comes_back_whole_after_the_compare_tab(qtbot, main_window):
    # r13 #2: the Compare tab hides the left column, which Qt shows again from a 0 px wide
    # pass; the loss plot fitted its key to that width (the title wrapped a word a line, the
    # plot ~150 px taller) and kept the height once back: at 1024x768 its x axis, "epoch" and
    # the lower half of the curve were under the timeline until the splitter was dragged.
    w = main_window
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768))
    QApplication.processEvents()
    before = _loss_plot_parts(w)
    box = w.loss_plot.rect().adjusted(-1, -1, 1, 1)  # (the scene's rounding)
    assert all(box.contains(r) for r in before.values()), (before, box)
    w.show_view("compare")
    qtbot.waitUntil(lambda: not w.left_split.isVisible())
    QApplication.processEvents()
    w.show_view("main")
    qtbot.waitUntil(lambda: w.left_split.isVisible())

    def whole() -> None:
        now = _loss_plot_parts(w)
        assert w.loss_plot.rect().adjusted(-1, -1, 1, 1) == box
        assert all(box.contains(r) for r in now.values()), (now, box)
        assert now == before
    qtbot.waitUntil(whole, timeout=5000)
