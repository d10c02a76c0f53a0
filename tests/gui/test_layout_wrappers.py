"""A layout item's Python wrapper, left registered at its address after Qt deleted the item,
came back for a C++ object made later at that address: pyqtgraph's scatter points went to
drawPixmapFragments as a QWidgetItem and were not drawn (a TypeError on each paint, seen in
the Backprop tests in CI). The places that read layout items let go of their wrappers."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.gui.widgets import let_go


def _comes_back_as(address: int):
    return type(shiboken6.wrapInstance(address, QPainter.PixmapFragment))


def test_an_item_let_go_of_leaves_its_address_free(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    lay = QVBoxLayout(w)
    lay.addWidget(QLabel("x"))
    lay.addStretch(1)
    items = [lay.itemAt(i) for i in range(lay.count())]
    addresses = [shiboken6.getCppPointer(item)[0] for item in items]
    assert all(_comes_back_as(a) is not QPainter.PixmapFragment for a in addresses)  # the bug
    let_go(*items)
    assert all(_comes_back_as(a) is QPainter.PixmapFragment for a in addresses)
    assert lay.itemAt(0).widget().text() == "x"  # the layout's items as they were


def _addresses(layout) -> list[int]:
    """The addresses of ``layout``'s items that are no QObject (a layout in it is tracked)."""
    items = [layout.itemAt(i) for i in range(layout.count())]
    addresses = [shiboken6.getCppPointer(item)[0] for item in items
                 if not isinstance(item, QObject)]
    let_go(*items)  # (the test's own look)
    return addresses


def test_backprop_fitting_its_column_keeps_no_wrapper_of_its_rows(main_window, qtbot):
    """Backprop's room under its plot reads its column's items each time it fits (the CI
    run's scatter TypeErrors came in the Backprop tests)."""
    w = main_window
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    side = _addresses(view._plot_side)
    assert side
    view._under_plot()
    assert [_comes_back_as(a) for a in side] == [QPainter.PixmapFragment] * len(side)
