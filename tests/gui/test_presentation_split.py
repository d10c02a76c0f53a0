"""Presentation mode's columns: the left column (the readout and the loss plot) takes the view's
share of the width (views.DIAGRAM_LEFT_SHARE beside the Network and Backprop diagrams,
presentation.LEFT_SHARE beside the others) until the teacher drags the splitter; then their
choice stays with that group of views for the session, through tab switches and resizes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nnviz.gui.presentation import LEFT_SHARE
from nnviz.gui.views import DIAGRAM_LEFT_SHARE

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _at_size(w, qtbot, size) -> None:
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    QApplication.processEvents()


def _left(w) -> int:
    return w.main_split.sizes()[0]


def _share(w) -> float:
    return _left(w) / sum(w.main_split.sizes())


def _drag(w, qtbot, dx: int) -> None:
    """The user's drag of the handle between the columns, ``dx`` px in steps, with the mouse
    (what the splitter reports as the user's move: splitterMoved, which setSizes never emits)."""
    split = w.main_split
    handle = split.handle(1)
    start = _left(w)
    grip = handle.rect().center()
    at = handle.mapTo(split, grip)  # where the mouse takes the handle, in the splitter

    def to(x: int) -> QPoint:  # a point of the splitter, in the handle's coordinates now
        return handle.mapFrom(split, QPoint(at.x() + x, at.y()))
    with qtbot.waitSignal(split.splitterMoved, timeout=5000):
        QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grip)
        for step in range(1, 5):
            QTest.mouseMove(handle, to(dx * step // 4))
            QApplication.processEvents()
        QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           to(dx))
    qtbot.waitUntil(lambda: abs(_left(w) - (start + dx)) <= 2, timeout=5000)


def _shown(w, qtbot, name: str, share: float) -> None:
    """Show the view ``name``: the left column takes ``share`` of the columns' width."""
    w.show_view(name)
    try:
        qtbot.waitUntil(lambda: abs(_left(w) - share * sum(w.main_split.sizes())) <= 2,
                        timeout=5000)
    except qtbot.TimeoutError:
        raise AssertionError(f"{name}: left column {w.main_split.sizes()}, expected "
                             f"{share:.3f} of them") from None


def test_a_drag_of_the_columns_stays_through_tab_switches_in_presentation(main_window, qtbot):
    # Each switch of tab put the tab's share back: a teacher who widened the loss plot beside
    # the Network diagram lost it on going to Gradients and back.
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    normal = w.main_split.sizes()
    w.set_presentation(True)
    _shown(w, qtbot, "network", DIAGRAM_LEFT_SHARE)
    _drag(w, qtbot, 120)
    diagram = _share(w)
    # another group of views: its own share, not the diagrams' drag
    _shown(w, qtbot, "gradients", LEFT_SHARE)
    _drag(w, qtbot, -60)
    others = _share(w)
    # back beside a diagram (the other diagram too): the drag is kept; and the others' too
    _shown(w, qtbot, "backprop", diagram)
    _shown(w, qtbot, "network", diagram)
    _shown(w, qtbot, "main", others)
    # a resize keeps the chosen proportions
    _at_size(w, qtbot, (1400, 900))
    _shown(w, qtbot, "main", others)
    _shown(w, qtbot, "network", diagram)
    _at_size(w, qtbot, (1024, 768))
    _shown(w, qtbot, "network", diagram)
    # the normal mode's columns as the user had them
    w.set_presentation(False)
    qtbot.waitUntil(lambda: w.main_split.sizes() == normal, timeout=5000)
    # and the next session starts from the views' own shares
    w.set_presentation(True)
    _shown(w, qtbot, "gradients", LEFT_SHARE)
    _shown(w, qtbot, "network", DIAGRAM_LEFT_SHARE)


def test_the_normal_mode_columns_stay_through_tab_switches(main_window, qtbot):
    # The normal mode has no share per view: a drag stays whatever tab is shown.
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    _drag(w, qtbot, 80)
    dragged = _share(w)
    for name in ("network", "gradients", "backprop", "main"):
        _shown(w, qtbot, name, dragged)
