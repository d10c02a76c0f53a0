"""Record a stretch of the run as an animation (GIF or MP4) for slides.

Each frame is the window's own picture of one recorded epoch: the :class:`Recorder` moves the
timeline to the epoch (the run log replays it exactly, whatever the speed training ran at),
waits until the window has drawn it, grabs the area asked for -- the decision plot, the view in
front, or the whole window -- and puts it on a 16:9 canvas under a caption with the epoch, the
loss and the accuracy. It goes frame by frame through the event loop, so the window stays
responsive and Cancel works; the file appears only when complete (``core.animation``).
Training is paused while recording; the timeline returns to where it was.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import QObject, QRect, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from nnviz.core.animation import SIZE, AnimationWriter, RecordError, caption
from nnviz.core.inspect import Throttled

from . import colors

AREAS = {"plot": "the decision plot", "view": "the view in front", "window": "the whole window"}
CAPTION_SHARE = 0.09  # of the frame's height
# The views draw a snapshot in a turn of the event loop of their own, on a 1 ms timer after the
# main plots (gui/views.py): a frame is grabbed on a later timer, once they have.
SETTLE_MS = 20


def compose(picture: QImage, text: str, size: tuple[int, int] = SIZE) -> np.ndarray:
    """``picture`` scaled into a ``size`` canvas (the theme's background, aspect kept, centred)
    under a caption bar holding ``text`` in the theme's text colour; an (h, w, 3) uint8 array.
    On the dark theme a white canvas framed the dark picture in glaring bands and a white
    caption bar."""
    w, h = size
    bar = max(24, int(h * CAPTION_SHARE))
    canvas = QImage(w, h, QImage.Format.Format_RGB888)
    canvas.fill(QColor(*colors.background()))
    p = QPainter(canvas)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        font = QFont()
        font.setPixelSize(max(12, int(bar * 0.5)))
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(*colors.text()))
        p.drawText(QRect(0, 0, w, bar), Qt.AlignmentFlag.AlignCenter, text)
        p.setPen(QColor(*colors.mix(colors.axis(), colors.background(), 0.6)))  # a faint rule
        p.drawLine(0, bar - 1, w, bar - 1)
        if not picture.isNull():
            scaled = picture.scaled(w, h - bar, Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
            p.drawImage((w - scaled.width()) // 2, bar + (h - bar - scaled.height()) // 2, scaled)
    finally:
        p.end()
    return qimage_array(canvas)


def view_picture(window, tab) -> QImage:
    """The view's tab as drawn, below its "What am I looking at?" fold (nnviz.gui.explain):
    a control of the window, not the view, and every frame of an animation showed it (open:
    its paragraph too)."""
    top = 0
    for panel in getattr(window, "explain_panels", {}).values():
        if panel.parentWidget() is tab and panel.isVisible():
            top = max(top, panel.geometry().bottom() + 1)
    return tab.grab(tab.rect().adjusted(0, top, 0, 0)).toImage()


def plot_picture(plot, size: tuple[int, int] = SIZE) -> QImage:
    """The decision plot (its plane, axes and colour bar, not the widget's blank letterbox
    margins) drawn at the size it gets in a ``size`` frame under the caption: its lines and
    text at that scale. Grabbed at its size on the screen and scaled, it took about half a
    1280x720 frame's width between wide white margins, its ticks ~10 px high under a 32 px
    caption."""
    w, h = size
    room = QSizeF(w, h - max(24, int(h * CAPTION_SHARE)))
    pi = plot.getPlotItem()
    if not pi.vb.state.get("aspectLocked") and plot.isVisible():
        # A curve (one input) has no 1:1 plane to keep: laid out at the frame's shape for the
        # picture, it fills a 16:9 frame. Drawn as on the screen, a 1280x720 frame held it in
        # its middle 550 px (a reviewer's slide). The widget is put back before any paint.
        old = plot.size()
        plot.resize((room * 0.7).toSize())  # scaled up to the frame: its text as the plane's
        pi.layout.activate()
        try:
            return _plot_region(plot, pi, room)
        finally:
            plot.resize(old)
            pi.layout.activate()
    return _plot_region(plot, pi, room)


def _plot_region(plot, pi, room: QSizeF) -> QImage:
    """The plane, its axes and the colour bar of ``plot`` rendered to fit ``room``."""
    # The plane, its axes and the colour bar: the plot item itself spans the letterbox's
    # margins (its layout's), the blank around a 1:1 plane.
    parts = [pi.vb, pi.getAxis("left"), pi.getAxis("bottom")]
    bar = getattr(plot, "colorbar", None)
    if bar is not None and bar.isVisible():
        parts.append(bar)
    source = QRectF()
    for item in parts:
        if item.isVisible():
            source = source.united(item.sceneBoundingRect())
    source.adjust(-8, -12, 8, 8)  # the colour bar's top label and the axes' end labels
    if source.isEmpty():
        return plot.grab().toImage()
    fit = source.size().scaled(room, Qt.AspectRatioMode.KeepAspectRatio).toSize()
    image = QImage(fit, QImage.Format.Format_RGB888)
    image.fill(plot.backgroundBrush().color())
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        plot.scene().render(p, QRectF(0, 0, fit.width(), fit.height()), source)
    finally:
        p.end()
    return image


def qimage_array(image: QImage) -> np.ndarray:
    """An RGB QImage as an (h, w, 3) uint8 array (a copy)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, :w * 3].reshape(h, w, 3).copy()


class Recorder(QObject):
    """Records ``epochs`` of ``window``'s live branch into ``path``.

    ``start()`` raises RecordError at once for a bad path or without imageio; afterwards the
    outcome is a signal: ``progress(done, total)``, then ``finished(path)``, ``failed(message)``
    (nothing written) or ``cancelled()`` (nothing written)."""

    progress = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, window, path: str, epochs: Sequence[int], *, area: str = "view",
                 size: tuple[int, int] = SIZE, fps: float = 10.0) -> None:
        super().__init__(window)
        if area not in AREAS:
            raise RecordError(f"record one of {', '.join(AREAS)}, not {area!r}")
        if not epochs:
            raise RecordError("no epoch to record")
        self.window, self.path, self.epochs = window, path, [int(e) for e in epochs]
        self.area, self.size, self.fps = area, size, fps
        self.frames: list[int] = []  # the epochs recorded so far
        self.running = False
        self._writer: AnimationWriter | None = None
        self._waiting: int | None = None

    def start(self) -> None:
        w = self.window
        self._writer = AnimationWriter(self.path, self.fps)
        self.running = True
        if self.area == "plot" and hasattr(w, "draw_grid"):
            # The decision plot may be behind another tab, where no grid is made
            # (loop.DrawGrid): the recording draws it, as a view would.
            w.draw_grid("record", True)
        if w.playing:
            w.pause()
        tl = w.timeline
        self._back = tl.epoch if tl.past else None  # where the timeline goes afterwards
        self._run_id = w.run_id
        w.snapshot_drawn.connect(self._drawn)
        w.worker.failed.connect(self._worker_failed)
        self._next()

    def cancel(self) -> None:
        """Stop; what was written is removed and the target left as it was."""
        if self.running:
            self._stop(None)
            self.cancelled.emit()

    # --- inside -----------------------------------------------------------------------------

    def _next(self) -> None:
        if not self.running:
            return
        if len(self.frames) == len(self.epochs):
            self._finish()
            return
        e = self.epochs[len(self.frames)]
        s = self.window.last_snapshot
        if s is not None and s.run_id == self._run_id and s.epoch == e:
            QTimer.singleShot(SETTLE_MS, self, self._capture)  # drawn already
            return
        self._waiting = e
        if e >= self.window.timeline.live_epoch:
            # The live end is not a past epoch: a view's throttled probe would hand out the
            # previous frame's result if asked hard on its heels (inspect.Throttled).
            QTimer.singleShot(int(2000 * Throttled.gap_s), self, lambda: self._go(e))
        else:
            self._go(e)

    def _go(self, e: int) -> None:
        if self.running:
            self.window.timeline.go(e)

    def _drawn(self, s) -> None:
        if not self.running:
            return
        if s.run_id != self._run_id:
            self._stop("the run changed while recording (a new problem, Reset or a session)")
            return
        if self._waiting is not None and s.epoch == self._waiting:
            self._waiting = None
            # After every other slot of this snapshot (the views) has drawn it.
            QTimer.singleShot(SETTLE_MS, self, self._capture)

    def _capture(self) -> None:
        if not self.running:
            return
        w, s = self.window, self.window.last_snapshot
        target = {"plot": w.boundary, "view": w.tabs.currentWidget(), "window": w}[self.area]
        if self.area == "plot":
            w.boundary.draw_pending()  # drawn when shown, if it is behind another tab
        clf = w.dataset is not None and w.dataset.is_classification
        m = s.metrics
        # (the numbers' epoch: a costly network's, playing, an earlier one than the picture's)
        text = caption(s.measured_epoch, m.train_loss, m.train_accuracy,
                       "accuracy" if clf else "R\u00b2", percent=clf)
        picture = plot_picture(target, self.size) if self.area == "plot" else \
            view_picture(w, target) if self.area == "view" else target.grab().toImage()
        try:
            self._writer.append(compose(picture, text, self.size))
        except RecordError as e:
            self._stop(str(e))
            return
        self.frames.append(s.epoch)
        self.progress.emit(len(self.frames), len(self.epochs))
        self._next()

    def _finish(self) -> None:
        writer, self._writer = self._writer, None
        try:
            path = writer.close()
        except RecordError as e:
            self._writer = writer
            self._stop(str(e))
            return
        self._stop(None)
        self.finished.emit(path)

    def _worker_failed(self, e) -> None:
        if self.running:
            self._stop(f"training failed while recording: {e}")

    def _stop(self, error: str | None) -> None:
        self.running = False
        w = self.window
        if self.area == "plot" and hasattr(w, "draw_grid"):
            w.draw_grid("record", False)
        for signal, slot in ((w.snapshot_drawn, self._drawn),
                             (w.worker.failed, self._worker_failed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        if w.run_id == self._run_id:
            w.timeline.go(self._back)
        if error is not None:
            self.failed.emit(error)
