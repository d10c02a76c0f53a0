"""The Backprop tab on screen while the problem changes to a network of another shape (a data
set of three classes after one of two): the diagram is drawn for the new network."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _drawn_for(view, outputs: int, qtbot) -> None:
    """Wait until the tab's diagram is of a network of ``outputs`` outputs and drawn anew: a
    node (and its label) per output, each column's nodes where that column's units are."""
    canvas = view.canvas
    qtbot.waitUntil(lambda: view.result is not None and canvas.spec is not None
                    and canvas.spec.output_dim == outputs, timeout=60_000)
    renders = canvas.renders
    canvas.update()
    qtbot.waitUntil(lambda: canvas.renders > renders, timeout=10_000)
    assert [len(c) for c in canvas.centres] == [len(u) for u in canvas.shown]
    assert len(canvas.shown[-1]) == outputs
    last = len(canvas.shown) - 1
    assert len([1 for c, *_ in canvas.labels_drawn if c == last]) == outputs


def test_the_backprop_diagram_follows_the_network_to_more_outputs_and_back(
        main_window, qtbot, wait_run):
    """With the Backprop tab showing, a problem of three classes (one output to three) drew
    with the one-output diagram's node positions: the paint failed and the app segfaulted."""
    w = main_window
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    _drawn_for(view, 1, qtbot)
    panel = w.data_panel
    first = panel.dataset.currentData()
    panel.dataset.setCurrentIndex(panel.dataset.findData("multiclass"))
    assert wait_run(w, 0).spec.output_dim == 3
    _drawn_for(view, 3, qtbot)
    # and back to one output: the three outputs' positions are not kept either
    panel.dataset.setCurrentIndex(panel.dataset.findData(first))
    assert wait_run(w, 0).spec.output_dim == 1
    _drawn_for(view, 1, qtbot)



PAINT_ERROR = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nnviz.gui.network_view import NetworkCanvas

def broken(_painter):
    return ()[1]  # an error raised by Python itself (as numpy's): no message of ours

app = QApplication([])
canvas = NetworkCanvas()
canvas._render = broken
canvas.show()
QTimer.singleShot(500, app.quit)
app.exec()
print("still running")
"""


def test_an_error_in_the_diagrams_paint_does_not_take_the_app_down(tmp_path):
    """An error while the diagram paints is printed and the app goes on: through the canvas's
    own event() override PySide6 6.11 segfaulted on it (the Backprop tab's crash). In a process
    of its own: the old way killed it."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PAINT_ERROR], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "still running" in done.stdout
    assert "IndexError" in done.stderr and "in broken" in done.stderr
