"""Exports of the model and the run: a Python script or a notebook, ONNX, an animation.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module). The live run
is read in the worker thread (``request_state``) and written here; every failure is shown in
the window, and the session stays as it was."""
from __future__ import annotations

import os
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QProgressDialog

from nnviz.core import animation, onnx_export
from nnviz.core.errors import NnvizError
from nnviz.core.formatting import plural

from .exports import epoch_words, shown_params

CODE = {
    "script": ("Python script", "Python scripts (*.py)", ".py"),
    "notebook": ("Jupyter notebook", "Jupyter notebooks (*.ipynb)", ".ipynb"),
}
ONNX_FILTER = "ONNX models (*.onnx)"
ANIMATION_FILTER = "GIF animation (*.gif);;MP4 video (*.mp4)"


def code_epochs(view_epoch: int | None, live: int) -> tuple[int, str]:
    """How many epochs an exported script trains, and the message's words for it: up to the
    epoch the views show; at the past's start (epoch 0) the whole run, since a script of no
    epochs would print nothing; a run not trained yet, 1,000 (the notebook's)."""
    if view_epoch is not None and 0 < view_epoch < live:
        return view_epoch, (f"it trains epochs 1 to {view_epoch:,}, the epoch shown "
                            f"(of {live:,})")
    if live:
        return live, f"it trains the run's {plural(live, 'epoch')}"
    return 1000, "it trains 1,000 epochs (none are trained yet)"


class ModelExportMixin:
    """Exports of the model and the run: a Python script or a notebook, ONNX, an animation."""

    recorder = None  # the recording in progress, if any

    # --- code -------------------------------------------------------------------------------

    def export_code_dialog(self, kind: str) -> None:
        title, file_filter, ext = CODE[kind]
        path = self.ask_path(f"Export as a {title.lower()}", file_filter, save=True,
                             suggested=self._suggested_name() + ext)
        if path:
            self.export_code(kind, path)

    def export_code(self, kind: str, path: str) -> None:
        """The run as a standalone script (``kind`` "script") or notebook ("notebook") that
        trains the live branch again from its initial weights, at its learning rates, and
        prints its losses; ``exported`` fires. It trains up to the epoch the views show (the
        timeline rewound: that epoch; its start, epoch 0: the whole run; a run not trained
        yet: 1,000 epochs). The message says how many epochs, and what it does not replay."""
        from nnviz.core import export
        names = self.class_names()  # a CSV's labels: the script's CLASS_NAMES

        def capture(ctx) -> tuple[str, str, str]:  # in the worker thread
            t, log = ctx.trainer, ctx.run.log
            make = export.script_text if kind == "script" else export.notebook_text
            epochs, what = code_epochs(ctx.view_epoch, t.epoch)
            return make(t, epochs, names, log), export.script_run(t, epochs, log).note, what

        def write(result: tuple[str, str, str]) -> None:
            text, note, what = result
            self._finish_write(path, lambda: export._write_text(path, text), note, what)

        self._request_write(write, capture, "Export")

    # --- ONNX -------------------------------------------------------------------------------

    def export_onnx_dialog(self) -> None:
        if not onnx_export.have_onnx():  # say how to get it before asking for a file
            self.show_error("Export as ONNX", onnx_export.INSTALL_HINT)
            return
        path = self.ask_path("Export as ONNX", ONNX_FILTER, save=True,
                             suggested=self._suggested_name() + ".onnx")
        if path:
            self.export_onnx(path)

    def export_onnx(self, path: str) -> None:
        """The network with its live weights as an ONNX model; ``exported`` fires."""
        try:
            if not onnx_export.have_onnx():
                raise onnx_export.OnnxError(onnx_export.INSTALL_HINT)
            onnx_export.check_exportable(self.window.current_problem().spec.layer_activations)
        except NnvizError as e:
            self.show_error("Export as ONNX", str(e))
            return
        names = self.class_names()

        def capture(ctx):  # in the worker thread: numpy copies of the shown epoch's weights
            t = ctx.trainer
            epoch, live, params = shown_params(ctx)
            return (t.spec, params, onnx_export.describe(t, names, epoch), t.data.scaling,
                    t.data.target_scaling, f"the weights of {epoch_words(epoch, live)}")

        def write(result) -> None:
            spec, params, (doc, meta), scaling, target_scaling, what = result
            self._finish_write(path, lambda: onnx_export.write_onnx(
                path, spec, params, doc=doc, metadata=meta, scaling=scaling,
                target_scaling=target_scaling), what=what)

        self._request_write(write, capture, "Export as ONNX")

    def _finish_write(self, path: str, do: Callable[[], None], note: str = "",
                      what: str = "") -> None:
        """``what``: what the file holds ("the weights of epoch 0 (of 1,000)"); ``note``: what
        it does not reproduce (the script's docstring says it too)."""
        try:
            do()
        except (NnvizError, OSError) as e:
            self.show_error("Export", str(e))
            self._written(False)
            return
        text = f"Exported {os.path.basename(path)}" + (f": {what}." if what else ".")
        # What it does not reproduce goes to the status bar for longer, not a message box:
        # nothing is to be decided, and a window-modal box took the keys typed next (r3 #4).
        self._status(f"{text} {note}" if note else text, 20000 if note else 6000)
        self._written(True)
        self.exported.emit(path)

    # --- animation --------------------------------------------------------------------------

    def record_dialog(self) -> None:
        from ..record_dialog import RecordDialog
        w = self.window
        s = w.last_snapshot
        if s is None or s.live_epoch < 1:
            self.show_error("Export an animation", "train a few epochs first: an animation "
                            "shows the run from its record")
            return
        if not animation.have_imageio():
            self.show_error("Export an animation", animation.INSTALL_HINT)
            return
        view = w.tabs.tabText(w.tabs.currentIndex()).replace("&", "")
        dialog = RecordDialog(s.first_epoch, s.live_epoch, view, w)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = self.ask_path("Export an animation", ANIMATION_FILTER, save=True,
                             suggested=self._suggested_name() + ".gif")
        if path:
            self.record(path, dialog.epochs(), area=dialog.area.currentData(),
                        fps=dialog.fps.value())

    def record(self, path: str, epochs: list[int], *, area: str = "view", fps: float = 10.0):
        """Record ``epochs`` of the live branch into ``path`` (GIF or MP4) with a progress
        dialog and Cancel; returns the Recorder (None if it could not start, said in the
        window). ``exported`` fires when the file is written."""
        from ..recorder import Recorder
        if self.recorder is not None and self.recorder.running:
            self.show_error("Export an animation", "an animation is being recorded already")
            return None
        try:
            rec = Recorder(self.window, path, epochs, area=area, fps=fps)
        except NnvizError as e:
            self.show_error("Export an animation", str(e))
            return None
        progress = QProgressDialog(f"Recording {os.path.basename(path)}\u2026", "Cancel", 0,
                                   len(epochs), self.window)
        progress.setWindowTitle("nnviz: Export an animation")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(rec.cancel)
        rec.progress.connect(lambda done, total: progress.setValue(done))

        def over() -> None:
            progress.canceled.disconnect(rec.cancel)
            progress.close()
            progress.deleteLater()

        def finished(p: str) -> None:
            over()
            self._status(f"Exported {os.path.basename(p)} ({plural(len(rec.frames), 'frame')}).")
            self.exported.emit(p)

        def failed(message: str) -> None:
            over()
            self.show_error("Export an animation", message)

        def cancelled() -> None:
            over()
            self._status("Recording cancelled: nothing was written.")

        rec.finished.connect(finished)
        rec.failed.connect(failed)
        rec.cancelled.connect(cancelled)
        self.recorder, self.record_progress = rec, progress
        try:
            rec.start()
        except NnvizError as e:
            over()
            self.show_error("Export an animation", str(e))
            return None
        progress.show()
        return rec
