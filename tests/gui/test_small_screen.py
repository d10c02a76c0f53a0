"""A 150% laptop screen: 1280x800 at 150% is 853x533 logical px, 1366x768 is 910x512, the room
the window has with large text. QT_SCALE_FACTOR=1.5 (or QT_FONT_DPI=144 on X11) gives a device
pixel ratio of 1.5 and leaves every size in logical px as at 100%: the window's least size was
931x557 at both, on main (measured), and fonts keep their size in logical px. So what is
emulated here is nothing but the screen: sizes are compared in logical px at the tests' scale 1,
and one test checks in a process of its own, started with QT_SCALE_FACTOR=1.5, that this holds.
Geometry, not pixels."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import FIRST_SNAPSHOT_MS

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

LAPTOP_1280 = QSize(853, 533)  # 1280x800 at 150%, in logical px
LAPTOP_1366 = QSize(910, 512)  # 1366x768 at 150%
TITLE_BAR = 20  # a window manager's title bar (openbox's: 20 px), under the screen's height
ROOM = QSize(LAPTOP_1280.width(), LAPTOP_1366.height() - TITLE_BAR)  # both screens, framed


def _least(w) -> QSize:
    return w.minimumSizeHint().expandedTo(w.minimumSize())


def _fresh_least(w) -> QSize:
    """The least size with no layout's remembered sizes: they can lag behind a child's (the
    central widget's said 2 px less than its children asked, a few frames after the start)."""
    for widget in w.findChildren(QWidget):
        widget.updateGeometry()
    QApplication.processEvents()
    return _least(w)


def _fits(size: QSize) -> bool:
    return size.width() <= ROOM.width() and size.height() <= ROOM.height()


def _inside(widget, window) -> bool:
    """All of ``widget`` within the window (nothing of it off its edges)."""
    r = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
    return window.rect().contains(r)


def _at_size(w, qtbot, size: tuple[int, int]) -> None:
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    QApplication.processEvents()


def test_the_window_fits_a_150_percent_laptop_screen(main_window, qtbot):
    w = main_window
    assert _fits(_least(w)), _least(w)  # was 931x557
    _at_size(w, qtbot, (ROOM.width(), ROOM.height()))
    c = w.controls
    # what runs the lesson, the epoch, the plots and the settings: in the window, not cut off
    for widget in (c.reset, c.play, c.step, *c.step_buttons.values(), c.restart, c.speed,
                   c.full_speed, c.stop_at, c.epoch, w.boundary, w.loss_plot, w.timeline,
                   w.side_tabs, w.statusBar()):
        assert _inside(widget, w), widget
    assert c.height() == c.sizeHint().height()  # one row, as at 1024 px
    # The Edit points bar over the run bar: the window still fits (it grew past the screen)
    w.session_actions.edit_points_action.trigger()
    qtbot.waitUntil(w.session_actions.edit_toolbar.isVisible)
    assert _fits(_fresh_least(w)), _least(w)
    assert _inside(w.session_actions.edit_done, w)  # not in the bar's overflow menu


def test_visiting_network_and_backprop_leaves_the_least_size_as_it_was(main_window, qtbot):
    w = main_window
    before = _fresh_least(w)
    for name in ("network", "backprop"):
        w.show_view(name)
        qtbot.waitUntil(lambda: w.tabs.currentWidget().isVisible())
        QApplication.processEvents()
        assert _fits(_least(w)), (name, _least(w))  # was 937x557, 937x565
    w.show_view("main")
    qtbot.waitUntil(lambda: w.tabs.currentIndex() == 0)
    assert _fresh_least(w) == before  # it stayed 937x565 (for good)


@pytest.mark.parametrize("width", [931 + 2, ROOM.width()])  # 1400x900 at 144 dpi; the laptop
def test_the_run_bar_keeps_its_row_while_training(main_window, qtbot, width):
    """The bar's height and its buttons' places do not change as the epoch counter's text does
    (a run's epochs, "of N" under it while looking back): a bar that wrapped by the width of its
    text went from one row to two mid-run at 1400x900 / 144 dpi."""
    w = main_window
    _at_size(w, qtbot, (width, 600))
    c = w.controls
    seen = set()
    set_epoch = c.set_epoch

    def watched(*args, **kwargs):
        set_epoch(*args, **kwargs)
        QApplication.processEvents()  # the layout the new text asks for
        seen.add((c.height(), c.play.x(), c.stop_at.x()))
    c.set_epoch = watched
    w.step(1000)  # a compile and 1,000 epochs: a first window's time at load
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.epoch == 1000,
                    timeout=FIRST_SNAPSHOT_MS)
    w.timeline.go(100)  # "Epoch 100" over "of 1,000"
    qtbot.waitUntil(lambda: "of 1,000" in c.epoch.text())
    QApplication.processEvents()
    seen.add((c.height(), c.play.x(), c.stop_at.x()))
    assert len(seen) == 1, seen
    assert _inside(c.epoch, w)


def test_at_qt_scale_factor_1_5_the_least_size_is_the_same(tmp_path):
    """The claim this file rests on, checked at the real scale, in a process of its own."""
    script = textwrap.dedent("""
        import json, sys
        from PySide6.QtWidgets import QApplication, QWidget
        app = QApplication(sys.argv)
        from nnviz.gui.main_window import MainWindow
        w = MainWindow(install_extras=False)
        w.show()
        app.processEvents()
        least = w.minimumSizeHint().expandedTo(w.minimumSize())
        print(json.dumps([w.devicePixelRatioF(), least.width(), least.height()]))
        w.close()
    """)
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen",
               NNVIZ_SETTINGS=str(tmp_path / "settings.ini"))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    ratio, width, height = json.loads(out.stdout.strip().splitlines()[-1])
    assert ratio == 1.5
    assert _fits(QSize(width, height)), (width, height)
