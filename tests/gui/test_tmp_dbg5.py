import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication
from .test_session_actions import win, own_settings, wait_run, TIMEOUT  # noqa
def test_edit(win, qtbot):
    w, actions = win
    n = len(w.dataset.X)
    pi = w.boundary.getPlotItem()
    def show(tag):
        print(tag, w.size().toTuple(), w.boundary.mapTo(w, w.boundary.rect().topLeft()).toTuple(), w.boundary.size().toTuple(), pi.vb.viewRange(), len(w.dataset.X))
    show("0")
    actions.edit_points_action.trigger()
    actions.edit_class.setCurrentIndex(1)
    scene_pos = pi.vb.mapViewToScene(QPointF(1.5, 1.0))
    view_pos = w.boundary.mapFromScene(scene_pos)
    show("1")
    qtbot.mouseClick(w.boundary.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    show("2")
    wait_run(qtbot, w)
    show("3")
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.controls.status.text() == "undo: added point", timeout=TIMEOUT)
    actions.redo_action.trigger()
    wait_run(qtbot, w)
    show("4")
    print(pi.vb.mapSceneToView(w.boundary.mapToScene(view_pos)))
    qtbot.mouseClick(w.boundary.viewport(), Qt.MouseButton.RightButton, pos=view_pos)
    show("5")
