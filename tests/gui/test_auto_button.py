"""pyqtgraph's "A" (auto-range) button shows on a plot only once the user has dragged or zoomed
it, as the way back (review r29 L4): it stood in the corner of the Blobs preset's loss plot with
the mouse elsewhere, and on lesson 5's planes, and a newcomer could not tell what it was."""
from __future__ import annotations

import pyqtgraph as pg

from .test_presentation import LESSON_PAGES


def _hovered_button(plot: pg.PlotItem) -> bool:
    """Whether the plot's "A" shows with the mouse over the plot (pyqtgraph's own rule)."""
    plot.mouseHovering = True
    plot.updateButtons()
    return plot.autoBtn.isVisible()


def _plots(window) -> list[pg.PlotItem]:
    out = []
    for view in window.findChildren(pg.GraphicsView):
        out += [i for i in view.scene().items() if isinstance(i, pg.PlotItem)]
    return out


def test_no_plot_shows_its_auto_range_button_till_the_user_moves_it(main_window, qtbot):
    from nnviz.gui.views import REGISTRY
    w = main_window
    for entry in REGISTRY:
        w.show_view(entry.name)
    for name, key in LESSON_PAGES:
        w.show_view(name)
        page = w._inspection_views["lessons"].pages[key]
        qtbot.waitUntil(lambda: page.filled, timeout=120_000)
    plots = _plots(w)
    assert len(plots) > 20
    shown = [p.titleLabel.text or type(p.getViewBox()).__name__ for p in plots
             if _hovered_button(p)]
    assert shown == []
    # The loss plot (its range its own, never pyqtgraph's auto-range): a drag shows its "A",
    # the way back to following the run; pressed, it follows and the "A" goes.
    loss = w.loss_plot.getPlotItem()
    assert w.loss_plot.following
    loss.getViewBox().translateBy(x=5)  # as a drag does (sigRangeChangedManually)
    loss.getViewBox().sigRangeChangedManually.emit([True, False])
    assert not w.loss_plot.following and _hovered_button(loss)
    loss.autoBtn.clicked.emit(loss.autoBtn)
    assert w.loss_plot.following and not _hovered_button(loss)
