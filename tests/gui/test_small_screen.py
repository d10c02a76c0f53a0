"""A 150% laptop screen (r13): 1280x800 at 150% is 853x533 logical px, the room the window has
with large text (QT_FONT_DPI=144 or QT_SCALE_FACTOR=1.5 give a device pixel ratio 1.5). The
window's least size must fit it, and no view may raise it for good. Geometry, not pixels."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from .test_presentation import _at_size, layout_problems

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

LAPTOP_150 = QSize(853, 533)  # 1280x800 at 150%, in logical px
TITLE_BAR = 20  # the window manager's title bar (openbox's: 20 px), under the screen's height


def _least(w) -> QSize:
    return w.minimumSizeHint().expandedTo(w.minimumSize())


def _fits(size: QSize, screen: QSize) -> bool:
    return size.width() <= screen.width() and size.height() + TITLE_BAR <= screen.height()


def test_the_window_fits_a_150_percent_laptop_screen(main_window, qtbot):
    w = main_window
    _at_size(w, qtbot, (LAPTOP_150.width(), LAPTOP_150.height() - TITLE_BAR))
    # The run bar on two rows: its epoch counter in the window, not off its right edge.
    qtbot.waitUntil(lambda: w.controls.two_rows())
    assert _fits(_least(w), LAPTOP_150), _least(w)
    epoch = w.controls.epoch
    qtbot.waitUntil(lambda: epoch.mapTo(w, epoch.rect().topRight()).x() < w.width())
    assert w.statusBar().geometry().bottom() < w.height()
    # Back at 1024x768 the bar is one row again, as before.
    _at_size(w, qtbot, (1024, 768))
    qtbot.waitUntil(lambda: not w.controls.two_rows())
    assert layout_problems(w) == []


def test_no_view_raises_the_window_least_size_for_good(main_window, qtbot):
    w = main_window
    before = _least(w)
    for name in ("network", "backprop", "landscape", "neurons", "compare"):
        w.show_view(name)
        qtbot.waitUntil(lambda: w.tabs.currentWidget().isVisible())
        # shown, each view leaves the window a least size that fits the laptop screen
        assert _fits(_least(w), LAPTOP_150), (name, _least(w))
    w.show_view("main")
    qtbot.waitUntil(lambda: w.tabs.currentIndex() == 0)
    after = _least(w)
    assert after.width() <= before.width() and after.height() <= before.height(), (before, after)


def test_the_network_view_puts_its_node_map_under_the_diagram_when_narrow(main_window, qtbot):
    w = main_window
    w.show_view("network")
    view = w._inspection_views["network"]
    _at_size(w, qtbot, (1400, 900))
    qtbot.waitUntil(lambda: view.split.widget(1).x() > view.split.widget(0).x())  # beside
    _at_size(w, qtbot, (LAPTOP_150.width(), LAPTOP_150.height() - TITLE_BAR))
    # under it, both as wide as the tab: nothing scrolls sideways
    qtbot.waitUntil(lambda: view.split.widget(1).y() > view.split.widget(0).y())
    scroll = w.tabs.currentWidget().scroll
    assert not scroll.horizontalScrollBar().isVisible()
    assert view.canvas.width() >= view.canvas.minimumWidth()
