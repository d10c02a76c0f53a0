"""The Compare tab at 200% text in presentation mode on a 1024 x 768 projector (a reviewer's
`--presentation --sweep lr` with View > Text size at 200%): the size check let the text grow
(the window's least width fits), but the tab clipped its content: the table showed two rows and
a half, its Promote buttons were cut at the bottom, the curves' key read "olour: learning rate"
and the Activations sweep's key and names stood over a 60 px plot. Now the view scrolls as a
whole there: the table whole beside the tiles, each plot at the view's width under them."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from nnviz.gui import text_size
from tests.conftest import FIRST_SNAPSHOT_MS

from .test_compare_layout import _cells_whole

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
CTRL = Qt.KeyboardModifier.ControlModifier


def _sweep(qtbot, w, key: str, epochs: int):
    view = w._inspection_views["compare"]
    view.start_ready(key)
    w.step(epochs)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == epochs and view.table._sized,
                    timeout=FIRST_SNAPSHOT_MS)
    return view


def _scrolled_to(view, widget) -> QWidget:
    """``widget`` scrolled to the top of the scroll area it is in inside ``view``, if any
    (QScrollArea.ensureWidgetVisible goes by a plot's input cursor, not by the plot); returns
    the area's viewport, or ``view`` itself."""
    p = widget.parentWidget()
    while p is not None and p is not view:
        if isinstance(p, QScrollArea) and view.isAncestorOf(p):
            p.verticalScrollBar().setValue(widget.mapTo(p.widget(), QPoint(0, 0)).y())
            return p.viewport()
        p = p.parentWidget()
    return view


def _in_sight(widget, port) -> bool:
    return port.rect().contains(QRect(widget.mapTo(port, QPoint(0, 0)), widget.size()))


def _reads(view) -> None:
    """What a class reads: every row and cell of the table, its buttons whole and in sight
    with the table, and each plot, scrolled to, whole: a plot of several lines and at least
    half its width, its key within it."""
    QApplication.processEvents()
    table = view.table
    assert _cells_whole(table) == [] and table.verticalScrollBar().maximum() == 0
    port = _scrolled_to(view, table)
    for b in (view.promote_button, view.beside_button, view.undo_button):
        assert b.width() >= b.sizeHint().width() and b.height() >= b.sizeHint().height(), \
            (b.text(), b.size(), b.sizeHint())
        # in sight, and nothing over it (the plots under the table were over the buttons)
        assert _in_sight(b, port) and b.visibleRegion().boundingRect() == b.rect(), b.text()
    line = view.fontMetrics().lineSpacing()
    for plot in (view.curves, view.score_plot):
        assert _in_sight(plot, _scrolled_to(view, plot))
        pi = plot.getPlotItem()
        vb = pi.getViewBox()
        assert vb.height() >= 6 * line, (vb.height(), line)
        assert vb.width() >= 0.5 * plot.width(), (vb.width(), plot.width())
        assert pi.titleLabel.item.boundingRect().width() <= vb.width() + 1
    _scrolled_to(view, table)


def presenting_at_200(qtbot, w, monkeypatch) -> None:
    """``w`` on a 1024 x 768 screen in presentation mode, the Compare tab shown, the text at
    200% (Ctrl+= to the largest, as the reviewer did)."""
    from PySide6.QtGui import QScreen
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1024, 768))
    w.resize(1024, 768)
    w.set_presentation(True)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768))
    w.show_view("compare")
    for _ in text_size.STEPS[1:]:
        qtbot.keyClick(w, Qt.Key.Key_Equal, CTRL)
    assert w.text_size.factor == 2.0, w.statusBar().currentMessage()


def test_at_200_percent_text_presenting_at_1024_the_compare_tab_reads(main_window, qtbot,
                                                                       monkeypatch):
    w = main_window
    presenting_at_200(qtbot, w, monkeypatch)
    view = _sweep(qtbot, w, "lr", 30)
    qtbot.waitUntil(lambda: _reads(view))  # (it raises until it reads)
    view = _sweep(qtbot, w, "activations", 20)
    qtbot.waitUntil(lambda: _reads(view))
    # Back at the mode's own size the view is as it was: no scroll bar, the plots side by side.
    w.text_size.set_factor(1.0)
    qtbot.waitUntil(lambda: not any(a.verticalScrollBar().isVisible()
                                    for a in view.findChildren(QScrollArea)
                                    if a.isVisible() and a.isAncestorOf(view.curves))
                    and view.curves.y() == view.score_plot.y())
