"""Quitting with a trained run that is not saved asks first: Save, Discard or Cancel.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module). The File menu's
Quit (Ctrl+Q) and the window's close button ask; a window closed by the program (tests, the
screenshot command) does not."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


class ClosingMixin:
    """``may_close()``: True when nothing would be lost, or the user said to go on."""

    _saved_mark: tuple[int, int] | None = None  # (run id, epoch) of the last save or open
    # The window of nnviz.show(): closing it hands the run back to the script (show returns
    # it), so nothing is lost and there is nothing to ask ("Discard" would have said otherwise).
    run_goes_back = False

    def _mark_saved(self, epoch: int) -> None:
        self._saved_mark = (self.window.run_id, int(epoch))

    def unsaved_epochs(self) -> int:
        """How many epochs the run has trained that no save holds (0: nothing to lose)."""
        s = self.window.last_snapshot
        if s is None or s.run_id != self.window.run_id or s.live_epoch == 0:
            return 0
        mark = self._saved_mark
        if mark is not None and mark[0] == self.window.run_id:
            return 0 if s.live_epoch == mark[1] else abs(s.live_epoch - mark[1])
        return s.live_epoch

    def may_close(self) -> bool:
        w = self.window
        was_playing = bool(getattr(w, "playing", False))
        if was_playing:
            # The run stops while the question is asked, or it went on training under it and
            # the number it gave was out of date (720 epochs asked, 925 a second later).
            w.pause()
            self._wait_paused()
        n = self.unsaved_epochs()
        if not n or self.run_goes_back:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Quit nnviz",
                          f"The run has trained {n:,} epochs that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setInformativeText("Save the session before quitting?")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        self.message_box = box
        answer = box.exec()
        self.message_box = None
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer == QMessageBox.StandardButton.Save:
            self.save()  # asks for a file if there is none; the window closes once written
            if self._pending_writes:
                self._close_when_written = True
        elif was_playing:  # Cancel: back to what it was doing
            w.play()
        return False

    def _wait_paused(self, timeout_ms: int = 1000) -> None:
        """Until the worker has taken the pause and its last epoch is drawn (a chunk in
        progress finishes first), at most ``timeout_ms``."""
        from PySide6.QtCore import QElapsedTimer, QEventLoop
        from PySide6.QtWidgets import QApplication
        w, clock = self.window, QElapsedTimer()
        loop = w.worker.loop
        clock.start()
        while clock.elapsed() < timeout_ms:
            s, t = w.last_snapshot, loop.trainer
            if not loop.playing and s is not None and t is not None and \
                    s.live_epoch == t.epoch:
                return
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
