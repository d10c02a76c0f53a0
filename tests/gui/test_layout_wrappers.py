"""A layout item's Python wrapper, left registered at its address after Qt deleted the item,
came back for a C++ object made later at that address: pyqtgraph's scatter points went to
drawPixmapFragments as a QWidgetItem and were not drawn (a TypeError on each paint, seen in
the Backprop tests in CI). The places that read layout items let go of their wrappers, and a
layout is added to another with widgets.add_layout: PySide's addLayout, and itemAt when the item
is a layout, wrap every item in it (the run bar's rows, though no nnviz code read them)."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLayout, QLayoutItem, QVBoxLayout,
                               QWidget)

from nnviz.gui.controls import RunControls
from nnviz.gui.widgets import add_layout, let_go


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


def _row(text: str) -> tuple[QHBoxLayout, QLabel]:
    """A row (a label, room to spare), as the bars have theirs, and its label."""
    row, label = QHBoxLayout(), QLabel(text)
    row.addWidget(label)
    row.addStretch(1)
    return row, label


def test_a_layout_added_leaves_no_wrapper_of_its_items(qtbot):
    """PySide's addLayout into a layout that is in a widget, and itemAt where the item is a
    layout, wrap every item in it, read by no one (its ownership glue, addLayoutOwnership)."""
    w = QWidget()
    qtbot.addWidget(w)
    lay = QVBoxLayout(w)
    bare, _ = _row("bare")
    lay.addLayout(bare)
    assert _items_of(bare)[1] == ["QLabel 'bare'", "QSpacerItem"]  # the bug, PySide's own
    let_go(lay.itemAt(0))  # the layout's: the items in it let go of
    assert _items_of(bare)[1] == []
    lay.itemAt(0)  # a layout read wraps them again
    assert _items_of(bare)[1] == ["QLabel 'bare'", "QSpacerItem"]
    let_go(lay.itemAt(0))
    row, label = _row("added")
    add_layout(lay, row, 1)
    addresses, held = _items_of(row)
    assert held == []
    assert lay.stretch(1) == 1 and label.parentWidget() is w  # added as asked
    label.deleteLater()  # its item deleted by Qt, the row still there: its address free
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    assert _comes_back_as(addresses[0]) is QPainter.PixmapFragment


def _name(item: QLayoutItem) -> str:
    w = item.widget()
    if w is None:
        return type(item).__name__
    text = w.text() if hasattr(w, "text") and callable(w.text) else ""
    return f"{type(w).__name__} {text!r}" if text else type(w).__name__


def _items_of(*layouts: QLayout) -> tuple[list[int], list[str]]:
    """The addresses of the items in ``layouts`` (and in the layouts in them), and the names of
    those that have a Python wrapper registered. The test's own reads leave none."""
    held = {shiboken6.getCppPointer(w)[0] for w in shiboken6.getAllValidWrappers()
            if isinstance(w, QLayoutItem) and not isinstance(w, QObject)}
    addresses, names, read = [], [], []

    def walk(layout: QLayout) -> None:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if isinstance(item, QLayout):  # (which wraps the items in it)
                walk(item)
                continue
            address = shiboken6.getCppPointer(item)[0]
            addresses.append(address)
            (names.append(_name(item)) if address in held else read.append(item))

    for layout in layouts:
        walk(layout)
    let_go(*read)
    return addresses, names


def test_the_run_bar_keeps_no_wrapper_of_its_rows(qtbot):
    """The run bar with its stop field's refusal shown (Play, Step ..., the speed, "Stop at
    epoch"): no wrapper of its rows' items stays registered (the speed's and the stop's rows
    had theirs from the start, and its layout requests wrapped all 20)."""
    bar = RunControls()
    qtbot.addWidget(bar)
    bar.resize(1200, 80)
    bar.show()
    qtbot.waitExposed(bar)
    edit = bar.stop_at.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "99999999999")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    message = bar.stop_message
    qtbot.waitUntil(lambda: message.isVisible() and message.width() > 0)
    assert message.text().startswith("Too large")
    addresses, held = _items_of(bar.layout())
    assert len(addresses) >= 15
    assert held == []


def test_the_window_keeps_no_wrapper_of_its_layout_items(main_window, qtbot):
    """Every view shown, the stop field's refusal too: no item in the window's layouts has a
    wrapper left registered (~200 had, for nnviz's forms' and nested rows' items)."""
    w = main_window
    for name in w.view_names():
        w.show_view(name)
        tab = w.tabs.currentWidget()
        qtbot.waitUntil(lambda: tab.isVisible() and getattr(tab, "view", tab) is not None)
    w.controls.stop_message.show_error("Too large: at most 10,000,000.")
    qtbot.waitUntil(lambda: w.controls.stop_message.width() > 0)
    addresses, held = _items_of(*w.findChildren(QLayout))
    assert len(addresses) > 100
    assert held == []
