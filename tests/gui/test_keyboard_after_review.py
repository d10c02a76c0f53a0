"""A keyboard reviewer's fourth pass over the keyboard work: Enter in the diagram's inline
editor; focus rings on check boxes and on every Tab stop in presentation mode; Tab from the
last setting not landing on Reset; the speed label's words and the menus' letters."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _keyed_editor(w, qtbot, item_row: int):
    """The network diagram from the keyboard: the focus on it, Left, Enter, the list's
    ``item_row``-th entry chosen with Enter; returns (view, the item being edited)."""
    w.show_view("network")
    view = w._inspection_views["network"]
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.spec is not None and canvas.isVisible())
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    menu = view.values_open
    qtbot.waitUntil(menu.isVisible)
    for _ in range(item_row + 1):
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    item = menu.activeAction().text()
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(view.editor.isVisible)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert view.editor.hasFocus()
    return view, item


@pytest.mark.parametrize("enter", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_the_weight_editor_does_not_open_the_list_again(main_window, qtbot, enter):
    # The value was applied, but the list of the neuron's bias and weights popped up again over
    # the diagram (the editor's Enter went on to the diagram, its parent: Enter there lists).
    w = main_window
    view, item = _keyed_editor(w, qtbot, 2)  # bias, the first weight in, the second
    assert item.startswith("weight from")
    first_list = view.values_open
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "5")
    mods = Qt.KeyboardModifier.KeypadModifier if enter == Qt.Key.Key_Enter \
        else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(view.editor, enter, mods)
    assert not view.editor.isVisible()
    assert view.values_open is first_list and not first_list.isVisible()  # no list again
    assert QApplication.activePopupWidget() is None
    assert view.canvas.hasFocus()  # the keys back on the diagram
    layer, unit = view.canvas.selected
    qtbot.waitUntil(lambda: float(w.last_snapshot.params[layer][0][1, unit]) == 5.0,
                    timeout=10_000)


def test_a_bad_value_in_the_weight_editor_shows_its_message_and_no_list(main_window, qtbot):
    w = main_window
    view, _ = _keyed_editor(w, qtbot, 2)
    first_list = view.values_open
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert view.message.isVisible() and "“abc” is not a usable value" in view.message.text()
    assert view.values_open is first_list and QApplication.activePopupWidget() is None
    assert view.editor.isVisible() and view.editor.hasFocus()  # to type it again
