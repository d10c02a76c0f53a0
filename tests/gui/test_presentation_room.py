"""Room for what a class reads (review r24): the loss plot beside a deep network's settings
(F1), the stuck-rate note in presentation mode (F13), the Gradients tab's plots in presentation
mode at 1024x768 (F14) and the left column's width from tab to tab there (F15). Geometry, on the
notebook's 200 points."""
from __future__ import annotations

import pytest

from nnviz.core.network import NetworkSpec

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_loss_plot_keeps_a_readable_height_beside_eight_hidden_layers(main_window, qtbot):
    # F1: eight 512-unit layers and the wide-layer hint under them took all of the left column
    # but the loss plot's least, 100 px (a ~50 px strip of curve) at 1400x900; the settings
    # scroll instead. (Shown in the editor only: the run stays the notebook's small one.)
    from nnviz.gui.main_window import LOSS_ROOMY_PX
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    spec = NetworkSpec(hidden=(512,) * 8, activations=("sigmoid",) * 8)
    w.editor.set_spec(spec)
    w.editor.note.show_note(f"Network changed: a fresh model {spec.shapes_text()} starts at "
                            "epoch 0.")  # (as the window says it after an edit)
    qtbot.waitUntil(lambda: w.editor.wide_hint.isVisible() and w.editor.note.isVisible())
    # the settings laid out again, taller than their pane: they scroll for their last rows
    qtbot.waitUntil(lambda: w.panels_scroll.needed_height() > w.panels_scroll.height(),
                    timeout=5000)
    qtbot.waitUntil(lambda: w.loss_plot.height() >= LOSS_ROOMY_PX, timeout=5000)


def _numbers_apart(plot) -> bool:
    """The left axis' numbers of ``plot``, as it paints them, clear of each other."""
    from .test_views_helpers import axis_texts
    ax = plot.getAxis("left")
    if not ax.isVisible():
        return True
    rects = sorted((r for r, _flags, _text in axis_texts(ax)), key=lambda r: r.top())
    return all(a.bottom() <= b.top() + 1 for a, b in zip(rects, rects[1:]))


def test_the_gradient_plots_are_readable_in_presentation_mode_at_1024x768(
        main_window, qtbot, wait_run):
    # F14: six plots in two rows under the caption, each ~80 px inside, the log axes' numbers
    # printed over each other. There one row shows at a time, chosen by two buttons.
    from PySide6.QtCore import Qt
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    w.set_presentation(True)
    w.show_view("gradients")
    v = w._views["gradients"].ensure()
    w.step(30)
    wait_run(w, 30)
    tall = 150  # px inside each plot's axes, at least

    def readable(row) -> bool:
        return all(p.isVisible() and p.getViewBox().height() >= tall and _numbers_apart(p)
                   for p in row)
    qtbot.waitUntil(lambda: v.glw.isVisible() and readable(v.rows[0]), timeout=10_000)
    assert not any(p.isVisible() for p in v.rows[1])
    qtbot.mouseClick(v.page_buttons.button(1), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: readable(v.rows[1]), timeout=5000)
    assert not any(p.isVisible() for p in v.rows[0])
    # the normal size at 1400x900: both rows, no buttons
    w.set_presentation(False)
    _at_size(w, qtbot, (1400, 900))
    qtbot.waitUntil(lambda: all(p.isVisible() for row in v.rows for p in row)
                    and not v.pager.isVisible(), timeout=5000)
