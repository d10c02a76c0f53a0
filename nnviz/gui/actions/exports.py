"""Exports: each plot as PNG or SVG, the loss history and the data as CSV, the weights as .npz.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import os
from typing import Callable

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (pg.exporters)
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QWidget

from nnviz.core import csvdata, fileio
from nnviz.core.formatting import and_list
from nnviz.core.data import DataError
from nnviz.core.network import save_npz
from nnviz.core.errors import NnvizError

from ..app import picture_bytes

USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"
# A right-click deletes the nearest point only if it is this close (in plot widths/heights).
def _ext_for(path: str, selected_filter: str, default: str) -> str:
    """``path`` with an extension: the one typed, else the chosen filter's, else ``default``."""
    if os.path.splitext(path)[1]:
        return path
    for ext in (".png", ".svg", ".nnviz", ".csv", ".npz"):
        if ext in selected_filter:
            return path + ext
    return path + default


def _export_mode(widget: QWidget, on: bool) -> None:
    """Tell every pyqtgraph item in ``widget`` that it is drawn for export (as pyqtgraph's
    exporters do): scatter points then paint as shapes instead of cached pixmaps, which an SVG
    would otherwise hold as blurred fragments. Items Qt caches as pixmaps (the axes, see
    ``widgets.cache_axes``) are drawn uncached meanwhile, for the same reason."""
    views = widget.findChildren(pg.GraphicsView)
    if isinstance(widget, pg.GraphicsView):
        views.append(widget)
    no_cache = QGraphicsItem.CacheMode.NoCache
    for view in views:
        for item in view.scene().items():
            if hasattr(item, "setExportMode"):
                item.setExportMode(on, {"antialias": True} if on else None)
            if on and item.cacheMode() != no_cache:
                item._cache_before_export = item.cacheMode()
                item.setCacheMode(no_cache)
            elif not on and hasattr(item, "_cache_before_export"):
                item.setCacheMode(item._cache_before_export)
                del item._cache_before_export


def export_image(target: QWidget | pg.PlotItem, path: str) -> None:
    """Save a plot (a pyqtgraph PlotWidget / PlotItem) or any widget as PNG or SVG.

    The picture is drawn in memory and written atomically (``fileio``): a full disk or any other
    failure raises OSError and leaves the file that was at ``path`` as it was.

    A plot's PNG goes through pyqtgraph's ImageExporter (at least 800 pixels wide). For SVG,
    pyqtgraph's SVGExporter is tried first; with Qt >= 6.9 it fails on the path format Qt now
    writes (pyqtgraph issue #3485), and the plot is then drawn through Qt's QSvgGenerator with
    pyqtgraph's export mode on. Any other widget: PNG as shown on screen, SVG as drawn by Qt.
    """
    fileio.check_output(path)  # a folder, a FIFO, a missing folder: say so before drawing
    fileio.write_bytes(path, _image_bytes(target, path.lower().endswith(".svg")))


def _image_bytes(target: QWidget | pg.PlotItem, svg: bool) -> bytes:
    item = target.getPlotItem() if isinstance(target, pg.PlotWidget) else target
    if isinstance(item, pg.PlotItem):
        try:
            if svg:
                data = pg.exporters.SVGExporter(item).export(toBytes=True)
            else:
                ex = pg.exporters.ImageExporter(item)
                ex.parameters()["width"] = int(max(800, item.sceneBoundingRect().width() * 2))
                data = picture_bytes(ex.export(toBytes=True))
            if data:
                return bytes(data)
        except (ValueError, IndexError, AttributeError):
            pass  # the SVG exporter's known failure: fall through to Qt
    widget = target if isinstance(target, QWidget) else item.getViewWidget()
    if widget is None:
        raise OSError("the plot is not shown")
    if not svg:
        return picture_bytes(widget.grab())
    from PySide6.QtSvg import QSvgGenerator
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(widget.size())
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setTitle("nnviz")
    _export_mode(widget, True)
    painter = QPainter(gen)
    try:
        # QWidget's own render (a QGraphicsView overrides render with another signature):
        # the widget and its children, as on screen.
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
        _export_mode(widget, False)
    data = bytes(buf.data())
    if not data:
        raise OSError("the SVG drawing came out empty")
    return data


def _path_of(run) -> list[tuple[str, int]]:
    """The live branch's record as (branch, the epoch its piece ends at) pieces, oldest
    first: [("run 1", 312), ("run 2", -1)] for run 2 forked from run 1 at epoch 312 (-1: to
    its end). A branch forked at epoch 0 has its own record only; one whose parent was
    deleted starts with ("", the fork epoch)."""
    if run is None:
        return []
    by_name = {b.name: b for b in run.branches}
    log, pieces, seen = run.log, [(run.log.name, -1)], {run.log.name}
    end = log.fork_epoch
    while end > 0:
        parent = by_name.get(log.parent) if log.parent else None
        if parent is None or parent.name in seen:
            pieces.insert(0, ("", end))
            break
        seen.add(parent.name)
        if parent.fork_epoch < end:  # else its record up to ``end`` is its own parent's
            pieces.insert(0, (parent.name, end))
            end = parent.fork_epoch
        log = parent
    return pieces


def _history_words(epochs, values, test_epochs, test_values, live: str, others: list[str],
                   path_of: list[tuple[str, int]]) -> str:
    """What an exported loss history holds, for the status bar: the whole record of the
    branch shown, as the loss plot draws it whatever epoch is shown. Which branch is said, and
    for a branch its shared trunk: "run 2's losses (not run 1)" read as none of run 1's
    numbers, but epochs 1 to 312 were run 1's (review r21 F7; r20 F5 before it). The range is
    that of the file's rows: the final weights' test loss is drawn, and written, at the epoch
    after the last train loss (their train loss is measured with the next update). And that
    the test loss is not on every row: it is measured every few epochs."""
    rows = np.union1d(np.asarray(epochs, np.int64), np.asarray(test_epochs, np.int64))
    if not len(rows):
        return "no losses yet"
    span = (f"epochs {int(rows[0]):,} to {int(rows[-1]):,}" if len(rows) > 1
            else f"epoch {int(rows[0]):,}")
    if len(path_of) > 1:
        trunk = ", ".join(f"{name or 'a deleted branch'} to epoch {end:,}"
                          for name, end in path_of[:-1])
        text = f"{span} of {live}'s path ({trunk}, then {live})"
    elif others:
        text = f"{live}'s losses, {span} (not {and_list(others)})"
    else:
        text = f"the losses, {span}"
    if 0 < len(test_epochs) < len(rows):
        text += "; test loss only every few epochs"
    return text


def _write_error(path: str, e: OSError) -> str:
    """What went wrong, naming the file once."""
    why = getattr(e, "reason", None) or e.strerror or str(e)
    return str(e) if path in str(e) else f"could not write {path}: {why}"


def epoch_words(epoch: int, live: int) -> str:
    """Which epoch an export holds, for its message: "epoch 300 (of 1,000)" when the timeline
    shows the past, "epoch 1,000 (the live end)" otherwise."""
    return (f"epoch {epoch:,} (of {live:,})" if epoch < live
            else f"epoch {epoch:,} (the live end)")


def shown_params(ctx) -> tuple[int, int, tuple]:
    """In the worker thread: (the epoch the views show, the live epoch, numpy copies of the
    shown epoch's weights). A past epoch's are replayed from the run's nearest checkpoint
    (loop.shown_state), as the timeline's views are: every export of the weights writes the
    epoch on screen, not the live end behind it."""
    from nnviz.core.loop import numpy_params, shown_state
    epoch, state = shown_state(ctx)
    return int(epoch), int(ctx.trainer.epoch), numpy_params(state.params)


def _save_weights(path: str, params) -> None:
    try:
        save_npz(path, params)
    except OSError as e:
        raise OSError(_write_error(path, e)) from None




class ExportMixin:
    """Exports: each plot as PNG or SVG, the loss history and the data as CSV, the weights as .npz."""

    def _plot_target(self, which: str) -> QWidget | pg.PlotItem:
        w = self.window
        if which == "plot":
            if not w.boundary.isVisible():
                self._fresh_grid()  # behind another tab no grid is made (loop.DrawGrid)
            w.boundary.draw_pending()  # the plot may be in a tab not shown
            return w.boundary
        if which == "loss":
            return w.loss_plot
        return w.tabs.currentWidget()  # the whole view, as the user sees it

    def _fresh_grid(self, timeout_ms: int = 5000) -> None:
        """The grid of the model shown, asked of the worker for the decision plot behind
        another tab and waited for (a snapshot, at most ``timeout_ms``)."""
        from PySide6.QtCore import QElapsedTimer, QEventLoop
        from PySide6.QtWidgets import QApplication
        w, clock = self.window, QElapsedTimer()
        if not hasattr(w, "draw_grid"):
            return
        w.draw_grid("export", True)
        try:
            clock.start()
            while clock.elapsed() < timeout_ms:
                s = w.last_snapshot
                if s is None or s.grid is not None or w.worker.loop.trainer is None:
                    return
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        finally:
            w.draw_grid("export", False)

    def export_plot_dialog(self, which: str) -> None:
        name = {"plot": "decision-plot", "loss": "loss-curve", "view": "view"}[which]
        path = self.ask_path("Export image", IMAGE_FILTER, save=True, suggested=name + ".png")
        if path:
            self.export_plot(which, path)

    def export_plot(self, which: str, path: str) -> bool:
        """Save plot ``which`` ("plot", "loss" or "view") as PNG or SVG (by the extension)."""
        if not path.lower().endswith((".png", ".svg")):
            self.show_error("Export", f"{os.path.basename(path)}: choose a .png or .svg file")
            return False
        try:
            export_image(self._plot_target(which), path)
        except OSError as e:
            self.show_error("Export", _write_error(path, e))
            return False
        self._status(f"Exported {os.path.basename(path)}.")
        self.exported.emit(path)
        return True

    def export_dialog(self, what: str) -> None:
        s = self.window.last_snapshot
        weights = f"weights-epoch{s.epoch}.npz" if s is not None and s.past else "weights.npz"
        suggested = {"history": "loss-history.csv", "weights": weights,
                     "data": f"{self._suggested_name()}.csv"}[what]
        file_filter = ("NumPy arrays (*.npz)" if what == "weights" else "CSV files (*.csv)")
        path = self.ask_path("Export", file_filter, save=True, suggested=suggested)
        if path:
            self.export(what, path)

    def export(self, what: str, path: str) -> None:
        """Write the loss history, the weights or the data to ``path``; ``exported`` fires."""
        if what == "data":
            self._write(path, lambda: csvdata.write_data_csv(path, self.window.dataset,
                                                             self.class_names()))
            return
        if what == "history":
            def fn(ctx):
                e, v = ctx.history.arrays()
                run = getattr(ctx, "run", None)
                names = run.names() if run is not None else []
                live = run.log.name if run is not None else ""
                return (e, v, np.array(ctx.test_epochs), np.array(ctx.test_values)), live, \
                    [n for n in names if n != live], _path_of(run)

            def write(captured):
                arrays, live, others, path_of = captured
                what = _history_words(*arrays, live, others, path_of)
                what += self._sweep_not_saved().replace("to save one", "to export its losses")
                self._write(path, lambda: csvdata.write_history_csv(path, *arrays), True,
                            what)
        elif what == "weights":
            def write(shown):
                epoch, live, params = shown
                self._write(path, lambda: _save_weights(path, params), True,
                            f"the weights of {epoch_words(epoch, live)}")
            fn = shown_params
        else:
            raise ValueError(f"unknown export {what!r}")
        self._request_write(write, fn, "Export")

    def _write(self, path: str, do: Callable[[], None], requested: bool = False,
               what: str = "") -> None:
        """``what``: what the file holds, for the message ("the weights of epoch 0 (of
        1,000)")."""
        try:
            do()
        except (DataError, OSError) as e:
            self.show_error("Export", str(e))
            if requested:
                self._written(False)
            return
        self._status(f"Exported {os.path.basename(path)}" + (f": {what}." if what else "."))
        if requested:
            self._written(True)
        self.exported.emit(path)
