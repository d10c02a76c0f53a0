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
