"""The architecture editor's Tab key order: the inputs, the layer rows top to bottom, "+ Add
layer", the output -- after rows are added, removed or moved too (rebuilt rows joined the focus
chain at its end, after "+ Add layer")."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from nnviz.gui.architecture_editor import ArchitectureEditor


def _tab_order(editor) -> list:
    first = editor.inputs.findChildren(QCheckBox)[0]
    order, w = [first], first.nextInFocusChain()
    while w is not first and len(order) < 500:
        order.append(w)
        w = w.nextInFocusChain()
    return order


def test_tab_goes_through_the_rows_in_order_then_add_then_the_output(qtbot):
    editor = ArchitectureEditor()
    qtbot.addWidget(editor)
    editor.show()
    for _ in range(2):
        editor.add.click()  # rebuilt rows, twice
    editor.rows[0].down.click()
    order = _tab_order(editor)
    widths = [order.index(r.width) for r in editor.rows]
    boxes = [order.index(b) for b in editor.inputs.findChildren(QCheckBox)]
    assert len(editor.rows) == 5 and widths == sorted(widths)
    assert max(boxes) < widths[0]
    assert widths[-1] < order.index(editor.rows[-1].activation) < order.index(editor.add) \
        < order.index(editor.output_activation) < order.index(editor.init_scheme)


def test_tab_leaves_stop_at_epoch(main_window, qtbot):
    """Click "Stop at epoch", 7, Tab, 8: the field read 78, Tab never left it (the next tab stop
    was the settings' outer tab widget, whose focus goes to its hidden bar). Tab moves on to
    the settings, and Shift+Tab comes back."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    w = main_window
    field = w.controls.stop_at
    qtbot.mouseClick(field.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.hasFocus)
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "7")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not field.hasFocus())
    moved_to = QApplication.focusWidget()
    assert moved_to is not None and moved_to.window() is w
    assert w.side_tabs.isAncestorOf(moved_to)  # the settings, next in the window's order
    qtbot.keyClicks(moved_to, "8")
    assert field.value() == 7 and field.text() == "7"
    qtbot.keyClick(moved_to, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(field.hasFocus)
