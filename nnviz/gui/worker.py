"""The training thread: the ONLY module of nnviz that touches QThread.

:class:`TrainingWorker` runs a :class:`~nnviz.core.loop.TrainLoop` (the Qt-free logic) in a
QThread and turns its callbacks into Qt signals: ``snapshot_ready(Snapshot)`` at most at the
display's rate, ``status_changed(str)`` ("compiling..."), ``playing_changed(bool)`` and
``failed(object)`` (the exception). Its methods post the loop's commands. The GUI keeps only the
latest snapshot and redraws from a timer.
"""
from __future__ import annotations

import os
import queue
import sys
import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal

from nnviz.core.history import LossHistory
from nnviz.core.loop import (GRID_RES_2D, Adopt, Branch, DeleteBranch, DrawGrid, EditingPoints,
                             EndSweep, FocusSweep, NewProblem, Pause, Play, Probe, RenameBranch,
                             Request, Reset, Restart, RunContext, RunState, SetData, SetLearningRate,
                             SetParams, SetProbe, SetSpeed, SetStopAt, ShowEpoch, StartSweep,
                             Step, Stop, SweepRequest, SwitchBranch, TakeBranch, PutBranch,
                             TrainLoop)
from nnviz.core.problem import Problem
from nnviz.core.training import Trainer

__all__ = ["TrainingWorker", "TrainLoop", "RunContext", "RunState", "Problem", "GRID_RES_2D",
           "collect_garbage_in_gui_thread", "paint_in_gui_thread", "lower_training_priority"]


TRAINING_NICE = 10  # how far below the GUI thread the training runs (Linux' nice steps)
XLA_THREADS = "XLAEigen"  # in the names of XLA's compute threads (jaxlib's "tf_XLAEigen")


def lower_training_priority() -> int | None:
    """The calling thread (the training thread, started by the GUI thread at the GUI's priority)
    and XLA's compute threads run TRAINING_NICE steps below the GUI thread from now on (Linux;
    elsewhere nothing: macOS' setpriority would lower the whole process). The threads a lowered
    thread starts (a compile's) inherit it. Returns the new nice value, or None.

    With training flat out, XLA's threads and the training thread kept both cores of a 2-core
    machine busy, and the GUI thread, runnable, waited its turn for tens of ms at a time: most of
    the Gradients and Backprop tabs' longest stalls (bench/gui.py; /proc's schedstat of the GUI
    thread showed the wait on the run queue). At a lower priority the scheduler runs the GUI
    thread first when it has work; when it has none, the training has the cores as before. The
    cost: other programs' busy threads now come before the training too (bench/gui.py's
    view_cost ~10% lower at a load of 3-6 from other programs, up to half at 10-12; nice 5 was
    between 0 and 10 on both counts in a few runs): TRAINING_NICE is the trade."""
    if not sys.platform.startswith("linux") or not hasattr(os, "setpriority"):
        return None
    try:
        target = min(19, os.getpriority(os.PRIO_PROCESS, 0) + TRAINING_NICE)
        os.setpriority(os.PRIO_PROCESS, 0, target)  # Linux: this thread alone
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/comm") as f:
                    if XLA_THREADS not in f.read():
                        continue
                if os.getpriority(os.PRIO_PROCESS, int(tid)) < target:
                    os.setpriority(os.PRIO_PROCESS, int(tid), target)
            except OSError:  # the thread ended meanwhile
                continue
        return target
    except OSError:
        return None


class _Thread(QThread):
    def __init__(self, loop: TrainLoop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop = loop
        self.go = threading.Event()  # set: work (TrainingWorker.begin)

    def run(self) -> None:  # the worker thread
        lower_training_priority()
        self.go.wait()
        if self._loop.stopping.is_set():  # stopped before it began: no compile to wait for
            return
        try:
            self._loop.run_forever()
        except Exception as e:  # noqa: BLE001 -- the last resort: say it, then stop
            failure = RuntimeError(f"the training thread stopped: {type(e).__name__}: {e}")
            failure.__cause__ = e
            self._loop._error(failure)


def paint_in_gui_thread() -> None:
    """Qt's raster engine paints in the GUI thread alone from now on (QT_NO_GUI_THREADPOOL,
    unless the user set it): it hands a fill or blend of ~100 rows or more (the cached
    background of every pyqtgraph view, a translucent rectangle, a cached axis) to a thread
    pool and waits for it, and with the training thread and XLA's threads on the cores those
    pool threads waited to be scheduled, the GUI thread idle meanwhile: 2-4 times a frame's CPU
    in wall time, the Gradients tab's longest stalls (bench/gui.py, py-spy: QLatch::waitInternal
    under QRasterPaintEngine::drawImage). The work itself is a few ms per frame at most. Qt reads
    the variable once, when its pool is first wanted: call this before the first paint."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


_gc_in_gui_thread = None
# The longest a thread that asks for the GIL waits for it while the other runs Python: both
# ways. The training thread asks at every piece of a chunk (its jax calls release the GIL while
# XLA runs), and the GUI thread, painting, held it up to 1 ms each time: the Gradients tab at
# 200 points trained ~10% fewer epochs a second at 1 ms than at 0.1 ms (bench/README, "The night
# of 2026-12-04"). Shorter still (20 us) measured no better, and costs more switches when both
# threads run Python.
SWITCH_INTERVAL_S = 0.0001


def collect_garbage_in_gui_thread() -> None:
    """Python's cyclic garbage collector from now on runs only in this (the GUI) thread.

    Left automatic, a collection runs in whichever thread happens to allocate, often the
    training thread, and there it may free Qt widgets of a closed window: their destructor
    waits for a Qt lock the GUI thread holds while it waits for the GIL, and both hang for good
    (seen in the test suite, found with gdb). pyqtgraph's GarbageCollector disables the
    automatic collector and collects from a timer in the thread that creates it.
    """
    global _gc_in_gui_thread
    if _gc_in_gui_thread is None:
        import gc

        from pyqtgraph.util.garbage_collector import GarbageCollector
        # What is alive now (the modules: jax, numpy, Qt, ...) lives as long as the program:
        # out of the collector's sight. A full collection, which pyqtgraph's collector runs
        # about once a minute, walked all of it on the GUI thread (bench/compare.py's stalls).
        gc.freeze()
        _gc_in_gui_thread = GarbageCollector(interval=0.5)


def keep_no_module_sources() -> None:
    """PySide6's import hook reads the source of every Python module imported after PySide6, to
    see whether it names PySide6 (for its ``__feature__`` switches), through inspect.getsource,
    which leaves each file's lines in linecache for good: with every view open (scikit-learn,
    scipy) ~1,100 files, 25 M characters, ~50 MB of memory. The same test, the file read and
    let go."""
    for name in ("shibokensupport.feature", "PySide6.support.feature"):
        feature = sys.modules.get(name)
        if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
            break
    else:
        return  # another PySide6: nothing to do
    if getattr(feature._mod_uses_pyside, "__module__", None) == __name__:
        return

    def _mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False  # no source (an extension, a .pyc alone): as inspect.getsource fails
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return False
    feature._mod_uses_pyside = _mod_uses_pyside


class _Courier:
    """Emits the training thread's signals from a thread of its own, in the order they are given.

    A signal to the GUI thread is posted at once, but PySide's ``emit`` lets the GIL go and takes
    it back, and the GUI thread it wakes starts the frame at once (main_window._on_snapshot),
    holding the GIL through its C++ calls: the training thread, at TRAINING_NICE below it, got
    the GIL back only late in that frame, and XLA sat idle meanwhile, with no chunk started. A
    snapshot's ``emit`` took 9-20 ms of the training thread's wall time at a load of ~10 (0.1 ms
    of its CPU), 10-15% of its time (bench/README.md, 2026-12-06 late evening). Handed to this
    thread, the training thread goes straight on to its next chunk while the frame is drawn.
    Every callback of the loop goes through it while it runs (a snapshot, then the
    ``playing_changed`` of the same pause, come in that order); before ``start`` and after
    ``close`` they are emitted where they are called."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (from the GUI thread: it runs at the GUI's priority)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="nnviz-courier", daemon=True)
            self._thread.start()

    def wrap(self, emit: Callable[..., None]) -> Callable[..., None]:
        return lambda *args: self.send(emit, *args)

    def send(self, emit: Callable[..., None], *args) -> None:
        if self._thread is None:
            emit(*args)
        else:
            self._queue.put((emit, args))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                item[0](*item[1])
            except RuntimeError:  # the worker's QObject is gone (a window closed unstopped)
                continue

    def close(self) -> None:
        """Emit what is queued, then stop the thread; what is sent from now on is emitted at
        once."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()
        while True:  # sent between the check in send and the end of the thread
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                item[0](*item[1])


class TrainingWorker(QObject):
    """A TrainLoop in a QThread. Call the methods from the GUI thread; results come as signals."""

    snapshot_ready = Signal(object)
    sweep_ready = Signal(object)  # a SweepSnapshot (core/sweep_driver.py)
    status_changed = Signal(str)
    sweep_status_changed = Signal(str)  # the sweep's ("the sweep stopped at epoch 2,000 ...")
    playing_changed = Signal(bool)
    failed = Signal(object)  # the exception (core.loop.describe says it for the user)
    _replied = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        collect_garbage_in_gui_thread()
        keep_no_module_sources()
        # The training thread runs Python between its jax calls (a sweep: every member's
        # record); a paint runs many short Python calls, each waiting for the GIL, by default
        # up to 5 ms each: on a busy machine a frame took hundreds of ms (bench/compare.py).
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        paint_in_gui_thread()
        self._courier = c = _Courier()
        self.loop = TrainLoop(publish=c.wrap(self.snapshot_ready.emit),
                              status=c.wrap(self.status_changed.emit),
                              playing_changed=c.wrap(self.playing_changed.emit),
                              error=c.wrap(self.failed.emit),
                              reply=c.wrap(lambda cb, r: self._replied.emit((cb, r))), paced=True,
                              publish_sweep=c.wrap(self.sweep_ready.emit),
                              sweep_status=c.wrap(self.sweep_status_changed.emit))
        self._replied.connect(self._deliver)
        self._thread = _Thread(self.loop)
        self._thread.setObjectName("nnviz-trainer")

    def snapshot_drawn(self) -> None:
        """The GUI has drawn (or dropped) the last snapshot: the worker may publish the next."""
        self.loop.drawn.set()

    def sweep_drawn(self) -> None:
        """The GUI has drawn (or dropped) the last sweep snapshot."""
        self.loop.sweep_drawn.set()

    def _deliver(self, item: tuple) -> None:  # on the GUI thread
        callback, result = item
        callback(result)

    def start(self, hold: bool = False) -> None:
        """Start the thread; ``hold``: it waits (asleep, without the GIL) for :meth:`begin`
        before it handles the commands posted meanwhile."""
        if not hold:
            self._thread.go.set()
        self._courier.start()
        self._thread.start()

    def begin(self) -> None:
        """A held thread goes to work (nothing if it already has)."""
        self._thread.go.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def stop(self) -> bool:
        """Stop the thread and wait for it (a compile in progress finishes first)."""
        if not self._thread.isRunning():
            self._courier.close()
            return True
        self.loop.stopping.set()
        self.loop.post(Stop())
        self._thread.go.set()
        self._thread.quit()
        # A compile cannot be interrupted: wait for it rather than destroy a running QThread.
        stopped = self._thread.wait()
        self._courier.close()  # what the thread sent, posted
        # Hand over the answers the thread gave before it stopped (a save asked for just before
        # the application quit): no event loop may run again to deliver them.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall.value)
        return stopped

    def release(self, wait: bool = True) -> None:
        """Drop the run's device arrays and the views' probes, once the thread has stopped
        (``wait``: see TrainLoop.release)."""
        if not self._thread.isRunning():
            self.loop.release(wait)

    # --- commands ----------------------------------------------------------------------------

    def new_problem(self, run_id: int, problem: Problem) -> None:
        self.loop.post(NewProblem(run_id, problem))

    def adopt_trainer(self, run_id: int, trainer: Trainer, history: LossHistory | None = None,
                      test_epochs=None, test_values=None) -> None:
        self.loop.post(Adopt(run_id, trainer, history, test_epochs, test_values))

    def play(self) -> None:
        self.loop.post(Play())

    def pause(self) -> None:
        self.loop.post(Pause())

    def step(self, n: int = 1) -> None:
        self.loop.post(Step(int(n)))

    def reset(self, run_id: int, seed: int) -> None:
        self.loop.post(Reset(run_id, seed))

    def restart(self, run_id: int) -> None:
        self.loop.post(Restart(run_id))

    def set_learning_rate(self, lr: float, branch: str | None = None) -> None:
        """The live branch's rate, or (``branch``) that branch's, switched to first."""
        self.loop.post(SetLearningRate(float(lr), branch))

    def set_params(self, params) -> None:
        self.loop.post(SetParams(params))

    def editing_points(self, on: bool) -> None:
        """Point editing is on: the worker compiles the padded runner ahead (core.loop)."""
        self.loop.post(EditingPoints(bool(on)))

    def set_data(self, dataset, text: str = "points edited") -> None:
        """Edited points: the run goes on on them (see core.loop.SetData)."""
        self.loop.post(SetData(dataset, text))

    def show_epoch(self, epoch: int | None) -> None:
        """Show a past epoch of the live branch (None: the live end); pauses training."""
        self.loop.post(ShowEpoch(epoch))

    def branch(self, epoch: int | None = None,
               reply: Callable[[tuple[str, str, int]], None] | None = None) -> None:
        """Continue from ``epoch`` (default: the one shown) as a new branch; ``reply`` gets
        (its name, its parent's, the epoch it starts at), on this thread."""
        self.loop.post(Branch(epoch, reply))

    def take_branch(self, name: str, back_to: str | None,
                    callback: Callable[[tuple[str, Any]], None]) -> None:
        """Undo of a branch (core.loop.TakeBranch); ``callback`` on this thread."""
        self.loop.post(TakeBranch(name, back_to, callback))

    def put_branch(self, name: str, log: Any, callback: Callable[[str | None], None]) -> None:
        """Redo of a branch (core.loop.PutBranch); ``callback`` on this thread."""
        self.loop.post(PutBranch(name, log, callback))
    def switch_branch(self, name: str) -> None:
        self.loop.post(SwitchBranch(name))

    def rename_branch(self, name: str, new: str) -> None:
        self.loop.post(RenameBranch(name, new))

    def delete_branch(self, name: str, reply: Callable[[Any], None] | None = None) -> None:
        """Delete branch ``name``; ``reply`` (if any) gets its RunLog, on this thread (for Undo:
        put_branch brings it back)."""
        self.loop.post(DeleteBranch(name, reply))

    def set_speed(self, epochs_per_frame: int | None) -> None:
        self.loop.post(SetSpeed(epochs_per_frame))

    def set_stop_at(self, epoch: int | None) -> None:
        """Play pauses when the live epoch reaches ``epoch`` (None: never)."""
        self.loop.post(SetStopAt(epoch))

    def set_probe(self, name: str, fn: Probe | None) -> None:
        self.loop.post(SetProbe(name, fn))

    def draw_grid(self, name: str, on: bool) -> None:
        """View ``name`` draws the grid's prediction now, or no longer (see DrawGrid)."""
        self.loop.post(DrawGrid(name, on))

    def start_sweep(self, sweep_id: int, spec,
                    on_error: Callable[[BaseException], None] | None = None) -> None:
        """Build a sweep of ``spec`` (a SweepSpec) beside the live run, paused; a build that
        fails goes to ``on_error`` (on the GUI thread), given, else to ``failed``."""
        self.loop.post(StartSweep(sweep_id, spec, on_error))

    def focus_sweep(self, on: bool) -> None:
        """Play/Pause/Step drive the sweep (True) or the live run (False); both pause."""
        self.loop.post(FocusSweep(bool(on)))

    def end_sweep(self) -> None:
        self.loop.post(EndSweep())

    def sweep_request(self, fn: Callable[[Any], Any], callback: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> None:
        """``fn(sweep)`` in the worker thread; its result to ``callback`` on the GUI thread."""
        self.loop.post(SweepRequest(fn, callback, on_error))

    def request(self, fn: Callable[[RunContext], Any] | None, callback: Callable[[Any], None],
                on_error: Callable[[BaseException], None] | None = None) -> None:
        self.loop.post(Request(fn, callback, on_error))
