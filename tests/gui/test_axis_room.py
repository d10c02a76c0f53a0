"""The Backprop plot's numbers stand clear of their axis' titles at 1024x768, normal and in
presentation mode, from the first frame after presentation mode came on."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from tests.conftest import FIRST_SNAPSHOT_MS

from .test_views_helpers import axis_texts

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _glyphs(plot, side: str = "left"):
    """The scene rects of the ink of ``plot``'s ``side`` axis' tick numbers, as drawn (right
    or centre aligned in their boxes, on their baselines), and of its title's."""
    ax = plot.getPlotItem().getAxis(side)
    fm = QFontMetricsF(ax.style["tickFont"] or ax.font())
    ticks = []
    for rect, flags, text in axis_texts(ax):
        drawn = fm.boundingRect(rect, int(flags), text)  # the line's box where it is drawn
        ink = fm.tightBoundingRect(text).translated(drawn.left(), drawn.top() + fm.ascent())
        ticks.append((text, ax.mapRectToScene(ink)))
    label = ax.label
    title = QFontMetricsF(label.font())
    margin = label.document().documentMargin()
    ink = title.tightBoundingRect(label.toPlainText()).translated(margin, margin + title.ascent())
    return ticks, label.mapRectToScene(ink)


AIR = 3  # px between a number's ink and the title's, at least


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_backprop_plot_numbers_clear_their_axis_title_at_1024(main_window, qtbot, presentation):
    # Laid out at 1024x768, the small plot's numbers stand clear of "x2" and "x1" (its "0.5"
    # was seen over "x2" in presentation mode, on a busy machine: the axis' width of the
    # normal-size numbers, the next test).
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # as in class: the preset's note on top
    w.set_presentation(presentation)
    w.show_view("backprop")
    w.resize(1024, 768)
    view = w._inspection_views["backprop"]
    plot = view.plot

    seen = []

    def settled_and_clear() -> None:
        # laid out: the same numbers at the same places in two polls running; and clear of
        # the titles then. (Waited for, not asserted at the first settled poll: on a loaded
        # machine the moons' new range, the presentation's split and the 1024 px came in
        # several passes, and one pass' numbers were taken for the last. An overlap that
        # stays fails here as it did.)
        QApplication.processEvents()
        now = [(t, r.getRect()) for side in ("left", "bottom") for t, r in _glyphs(plot, side)[0]]
        seen.append(now)
        assert (w.width(), w.height()) == (1024, 768) and plot.isVisible()
        assert plot._data is not None and _glyphs(plot)[1].isValid() and len(now) >= 4
        assert seen[-2:] == [now, now]
        for side in ("left", "bottom"):
            ticks, title = _glyphs(plot, side)
            assert ticks and title.isValid()
            for text, rect in ticks:
                assert not rect.adjusted(-AIR, -AIR, AIR, AIR).intersects(title), \
                    (side, text, rect, title)
    # (the preset's compile and the Backprop probe's first: 30 s ran out at load 20 on
    # 2026-12-06; 60 s at load ~15 beside two busy loops, the plot still without data)
    qtbot.waitUntil(settled_and_clear, timeout=FIRST_SNAPSHOT_MS)


def test_backprop_plot_axes_make_room_for_presentation_modes_numbers_before_they_paint(
        main_window, qtbot):
    # Presentation mode set while another tab is in front: the Backprop plot's left axis
    # kept the width of the normal-size numbers until it was next painted, and its first
    # frame drew "-0.5" and "0.5" in presentation mode's size over "x2" (the axis ~14 px too
    # narrow; a screenshot or a busy machine kept that frame).
    w = main_window
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.plot._data is not None and view.plot.isVisible(),
                    timeout=30_000)
    ax = view.plot.getPlotItem().getAxis("left")
    view.plot.grab()  # drawn at the normal size: the axis as wide as those numbers
    qtbot.waitUntil(lambda: ax.width() == ax.minimumWidth() and
                    _glyphs(view.plot)[0][0][1].right() <= ax.mapRectToScene(
                        ax.boundingRect()).right(), timeout=5000)
    w.show_view("main")
    w.set_presentation(True)
    w.show_view("backprop")
    # Before the axis paints again: room beside its title for the widest number it shows
    # now (with the plot's steady ticks, one step for the data set: "-1"; it was "-0.5"), at
    # presentation mode's size.
    margin = ax.label.document().documentMargin()
    fm_title = QFontMetricsF(ax.label.font())
    title_right = -5 + margin + fm_title.tightBoundingRect(ax.label.toPlainText()).bottom() \
        + fm_title.ascent()  # pyqtgraph's title: 5 px left of the axis, turned a quarter
    numbers = ax.width() - max(0, ax.style["tickLength"]) - ax.style["tickTextOffset"][0]
    lo, hi = view.plot.getPlotItem().getViewBox().viewRange()[1]
    shown = [t for spacing, values in ax.tickValues(lo, hi, max(ax.height(), 1.0))
             for t in ax.tickStrings(values, ax.autoSIPrefixScale, spacing)]
    assert shown, (lo, hi)
    widest = max(QFontMetricsF(ax.style["tickFont"]).horizontalAdvance(t) for t in shown)
    assert numbers - title_right >= widest + AIR, (numbers, title_right, widest, shown)
