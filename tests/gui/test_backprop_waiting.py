"""The Backprop tab before its run's first frame (a first compile, a session opening while the
tab is in front): it says what is coming, not an empty plane numbered from -6e-17 to 0 with
"0 2e-15 4e-15" printed over each other (review r25 F9)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.gui.backprop_view import BackpropView

from .test_views_helpers import axis_texts, make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _numbers(plot) -> list[str]:
    """The numbers drawn on the plot's axes (none of a hidden axis)."""
    pi = plot.getPlotItem()
    return [text for side in ("left", "bottom") if pi.getAxis(side).isVisible()
            for _, _, text in axis_texts(pi.getAxis(side)) if text.strip()]


def test_before_the_first_frame_the_tab_says_what_comes(qtbot):
    view = BackpropView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    plot, canvas = view.plot, view.canvas
    vb = plot.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: vb.width() > 0 and canvas.renders > 0, timeout=10_000)
    QApplication.processEvents()
    # no axes of an empty plane: a line saying what appears there instead
    assert _numbers(plot) == [], _numbers(plot)
    assert plot.note.isVisible()
    assert plot.note.textItem.toPlainText() == \
        "The training points appear here with the run's first numbers."
    # the diagram and the formulas say the same
    assert canvas.spec is None and getattr(canvas, "placeholder", "") == \
        "The network appears here with the run's first numbers."
    assert "Computing this point's numbers" in view.formulas.toPlainText()
    # The first frame: the points on their plane, numbered as the data's (-1 .. 2 on x1).
    t = make_trainer(samples=80)
    view.set_dataset(t.data)
    view.update_snapshot(snapshot_of(t, {"backprop": view.probe}))

    def drawn() -> bool:
        QApplication.processEvents()
        return view.result is not None and {"0", "1", "2"} <= set(_numbers(plot))
    qtbot.waitUntil(drawn, timeout=10_000)
    assert plot.note.textItem.toPlainText() == ""
    assert all(not any(c.isalpha() for c in text) for text in _numbers(plot))  # no 2e-15
