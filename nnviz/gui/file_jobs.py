"""Reading files off the GUI thread, with a progress dialog and Cancel.

A job runs ``fn(progress)`` in a thread of a QThreadPool; ``progress(fraction)`` moves the
dialog's bar, and raises :class:`Cancelled` once the user has pressed Cancel, so a reader that
reports progress stops there. A reader that cannot report (a session file) shows a busy bar; on
Cancel its result is dropped when it comes. The result, or the exception, crosses back to the
GUI thread as an object on a signal (as the training worker's replies do).

:meth:`FileJobs.shutdown` (the window closing) cancels every job and waits for the threads: a
job never signals into a window that is gone, and no thread outlives the application.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

SHOW_AFTER_MS = 300  # a quick read shows no dialog at all
STEPS = 1000

Progress = Callable[[float], None]


class Cancelled(Exception):
    """Raised by ``progress`` in a job's thread once the user has cancelled it."""


@dataclass
class Job:
    """One file being read: what the GUI keeps of it."""

    id: int
    title: str
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    dialog: QProgressDialog
    bar: QProgressBar
    show_timer: QTimer
    cancel: threading.Event = field(default_factory=threading.Event)
    over: bool = False  # finished or cancelled: its dialog must never show again

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


class _Signals(QObject):
    progress = Signal(int, float)  # job id, fraction done
    finished = Signal(int, object, object)  # job id, result, exception


class _Runnable(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[Progress], Any], cancel: threading.Event,
                 signals: _Signals) -> None:
        super().__init__()
        self._id, self._fn, self._cancel, self._signals = job_id, fn, cancel, signals

    def run(self) -> None:  # in a pool thread
        def progress(fraction: float) -> None:
            if self._cancel.is_set():
                raise Cancelled
            self._signals.progress.emit(self._id, float(fraction))

        try:
            result = self._fn(progress)
        except BaseException as e:  # noqa: BLE001 -- every failure goes back to the GUI
            self._signals.finished.emit(self._id, None, e)
        else:
            self._signals.finished.emit(self._id, result, None)


class FileJobs(QObject):
    """The background file reads of one window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        # Two: a file opened after a cancelled one need not wait for it to finish.
        self.pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._ids = itertools.count(1)
        self.jobs: dict[int, Job] = {}

    def start(self, title: str, label: str, fn: Callable[[Progress], Any],
              on_done: Callable[[Any], None], on_error: Callable[[BaseException], None], *,
              reports_progress: bool = True) -> Job:
        """Run ``fn(progress)`` in a thread; ``on_done(result)`` or ``on_error(exception)`` is
        called on the GUI thread, neither when the user cancelled."""
        dialog = QProgressDialog(label, "Cancel", 0, STEPS if reports_progress else 0,
                                 self.window)
        dialog.setWindowTitle(f"nnviz: {title}")
        # The window keeps drawing (training goes on) but takes no edits meanwhile.
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # (Qt's own show-after timer starts only with setValue, never called: ours below, which
        # knows when the job is over, shows it.)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(380)
        # The bar is moved directly: a modal QProgressDialog's setValue runs the event loop,
        # and this job's own result could then arrive in the middle of it.
        bar = QProgressBar(dialog)
        bar.setRange(0, STEPS if reports_progress else 0)
        dialog.setBar(bar)
        # Shown only if the reading takes a while; stopped when the job is over.
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.setInterval(SHOW_AFTER_MS)
        job = Job(next(self._ids), title, on_done, on_error, dialog, bar, timer)
        timer.timeout.connect(lambda: None if job.over else dialog.show())
        dialog.canceled.connect(lambda: self.cancel(job))
        dialog.rejected.connect(lambda: self.cancel(job))  # Escape
        self.jobs[job.id] = job
        timer.start()
        self.pool.start(_Runnable(job.id, fn, job.cancel, self._signals))
        return job

    def cancel(self, job: Job) -> None:
        """Stop waiting for ``job``: its dialog goes, its result will be dropped."""
        job.cancel.set()
        self._close_dialog(job)

    def shutdown(self) -> None:
        """Cancel every job and wait for the threads (the window is closing)."""
        for job in list(self.jobs.values()):
            self.cancel(job)
        self.pool.waitForDone()
        self.jobs.clear()

    def _close_dialog(self, job: Job) -> None:
        """Hide the dialog for good, now: ``deleteLater`` alone is not enough, as ``on_done``
        may open a modal dialog of its own (the CSV preview) whose event loop does not delete
        it, and a show-after timer would then bring it back, modal, over the preview."""
        if job.over:
            return  # already closed (a cancel after it finished: the window closing)
        job.over = True
        job.show_timer.stop()
        d = job.dialog
        d.blockSignals(True)  # closing is not a Cancel
        d.hide()
        d.deleteLater()

    def _on_progress(self, job_id: int, fraction: float) -> None:
        job = self.jobs.get(job_id)
        if job is not None and not job.cancelled and job.bar.maximum():
            job.bar.setValue(min(STEPS, int(fraction * STEPS)))

    def _on_finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        job = self.jobs.get(job_id)
        if job is None or job.cancelled:
            self.jobs.pop(job_id, None)
            return  # cancelled: nobody waits for it any more
        self._close_dialog(job)
        # The reply runs once back in the event loop, the dialog gone: it may open a modal
        # dialog (the CSV preview), and that is not run from inside this signal's delivery.
        # The job stays listed until then, so "no jobs" still means "every reply has run".
        QTimer.singleShot(0, self, lambda: self._reply(job, result, error))

    def _reply(self, job: Job, result: Any, error: BaseException | None) -> None:
        if self.jobs.pop(job.id, None) is None or job.cancelled:
            return  # the window closed (shutdown) meanwhile
        if error is not None:
            job.on_error(error)
        else:
            job.on_done(result)
