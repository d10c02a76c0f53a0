"""The training loop's logic, Qt-free: what the GUI's worker thread runs.

:class:`TrainLoop` owns the core :class:`~nnviz.core.training.Trainer` and the run's record
(:class:`~nnviz.core.runlog.Run`); commands -- the dataclasses below -- arrive through
:meth:`TrainLoop.post` (a thread-safe queue) and results leave through plain callbacks:
snapshots, status lines, the playing state and failures (exception objects). Tests drive it
synchronously, one :meth:`TrainLoop.work_once` at a time (as superqt's GeneratorWorker lets one
drive ``work()``), so pause and step are deterministic. ``nnviz.gui.worker`` runs it in a QThread.

Every run carries an id chosen by the GUI (a new problem, Reset, Restart start a new run); the
snapshots say which run they belong to and the GUI drops those of an old run.
"""
from __future__ import annotations

import math
import queue
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any, Callable, NamedTuple

import jax
import numpy as np

from . import heap, preempt, runlog
from .data import Dataset
from .errors import NnvizError
from .history import LossHistory
from .inspect import (drawing_layers, gradient_norms, gradient_row, grid_device,
                      record_gradients, shares_grid, update_ratios)
from .losses import scores
from .network import NetworkSpec
from .problem import Problem
from .runlog import Run, RunLog
from .snapshot import Branch as BranchCurve, Grid, ModelAt, Snapshot, make_grid_points
from .training import (MAX_CHUNK, Metrics, TrainConfig, Trainer, TrainingError,
                       check_learning_rate, divergence_message, neighbour_counts, padded_size,
                       uses_mini_batches)

USER_ERRORS = (NnvizError,)  # every error meant for the user (core/errors.py)

FRAME_S = 1 / 60  # the most often a snapshot is published
# While playing, a snapshot waits for the window to have drawn the last one, but no longer than
# this (or than the snapshots' own pacing, when they are costly).
MAX_PUBLISH_S = 0.1
# Snapshots take at most about this share of the worker's time, whatever they cost: a 512-wide
# network's grid and probes made at 10 a second left the training a sixth of its time. At 0.25 a
# 2-512x8-1 network's ~10 ms snapshots alone held its training to 0.75 of its speed; at 0.2 it
# trains ~17% faster in the window (main view 39.5, 37.1 -> 45.5, 43.6 epochs/s; network view
# 31.2, 30.8, 29.3 -> 35.3, 35.8, 35.0) at 23-25 and 20.3-20.6 frames/s instead of ~31 and ~23.
SNAPSHOT_SHARE = 0.2
# A long gradient step is a big network's: XLA spreads its products over both cores of a 2-core
# machine, and every frame the window draws (~10 ms of the GUI thread, which runs before the
# training: worker.TRAINING_NICE) holds part of a step up. Its frames wait for FRAME_STEPS
# steps, but never longer than BIG_FRAME_S. A 2-512x8-1 network on 200 points (~12 ms a step)
# drew ~30 frames/s and trained 0.69 of its headless speed; paced, 22 frames/s and 0.77
# (bench/frame_pacing_ab.py). A small network's steps (microseconds; full-batch 100,000 points
# ~3 ms) and mini-batches' are not held back. 1/24 since its numbers are measured a few times a
# second, not with every frame (METRICS_EVERY_S): at 1/22 it then drew 19.0-19.5 frames/s at
# 0.77-0.85 of its headless speed, at 1/24 20.6-20.9 at 0.77-0.91, at 1/26 23.0-23.6 at
# 0.73-0.88 (three turns each, load 0.2-2.0; bench/README.md).
FRAME_STEPS = 4
BIG_FRAME_S = 1 / 24
# One chunk takes about this long at full speed: about a frame, so Pause still answers within
# ~20 ms. Half a frame (8 ms) lost ~20% of the epochs to the per-chunk work (commands, the test
# loss) while the window draws (bench/gui.py: 66k -> 79k epochs/s with all views shown).
CHUNK_TARGET_S = 0.016
GRID_RES_2D = 100
# The 2-D grid's side is what a prediction of about GRID_FLOPS costs (2 x points x weights),
# between GRID_MIN_RES and GRID_RES_2D: a 2-512x8-1 network took 0.4 s a snapshot to predict
# 100x100 points. Counted, not timed: a busy machine must not blur a small network's plot.
# 2-512x8-1 gets 12 x 12 (11.6 by the count): its snapshot is then ~350 points through the
# network (its 200 data points and the grid) instead of ~460 with 16 x 16, and the frames come
# ~25% more often at the same share of the worker's time (SNAPSHOT_SHARE). The maps and the
# boundary are drawn from the same grid (interpolated on the main plot).
GRID_FLOPS = 5e8
GRID_MIN_RES = 12
# A costly network's numbers (the training and test sets' loss and accuracy, a pass over both)
# while it plays at full speed: measured at most every METRICS_EVERY_S, the snapshots between
# carrying the last ones and the epoch they are of (Snapshot.metrics_epoch: the readout says
# "after epoch E" of them). A 2-512x8-1 network's pass over its 200 points took 5.2 of a
# snapshot's 9.3 ms, ~45 times a second: its frames' numbers changed faster than anyone reads
# them and took a fifth of the training's time. Costly: more than METRICS_FLOPS (2 x points x
# weights: counted, not timed, so that a busy machine never changes a small network's
# readout). Paused, stepped, slowed down (N epochs a frame) or shown in the past, every
# snapshot's numbers are its own.
METRICS_EVERY_S = 0.2
METRICS_FLOPS = 2e8
GRID_RES_1D = 400
SWEEP_FRAME_S = 1 / 40  # a sweep's snapshots, at most this often (the window's redraw rate)
# A Step expected to take longer than this is shown as training (the window's Pause button,
# its progress drawn as it goes); a shorter one is one picture at its end, no flicker.
STEP_SHOWN_S = 0.3
# Epochs slower than this: the status line says that training is working, and how fast (a
# 2-512x4-1 sigmoid network at 100,000 points takes ~10 s an epoch: the window looked frozen).
SLOW_EPOCH_S = 1.0
# A view's probe that takes longer than this for a snapshot that answers the user (a Step, a
# seek on the timeline, a Pause) gives way: the snapshot goes out with the probe's last result,
# marked as being computed (Snapshot.pending), and the probe runs afresh once no command waits
# (review r24 F18: a 2-512x8-1 network's Landscape held a Step for 15 s). A probe that gave way
# after that long is not even started for the next such snapshot (until it is quick again).
# Only probes that ask (core.preempt.check) can give way.
SLOW_PROBE_S = 0.5
# A run's start whose gradient row (inspect.gradient_row: a forward and backward pass over every
# training point, the Gradients tab's first row) is guessed to take this long or more (as an
# epoch: _guess_epoch_s) has it measured on a thread of its own, after the first frame: the
# first frame waits for the compile and the metrics only. 2-512x4-1 sigmoid at 100,000 points
# waited ~9 s more for it (bench/README.md, "A relaunch after a big problem"). A quicker one is
# measured where the start is recorded, as every checkpoint's row is.
BESIDE_START_S = 0.5
# A new model's time per epoch before any is measured: ~6 multiply-adds per weight and training
# point (forward and backward) at this many a second (that network's ~2.5e11 in ~10 s).
GUESS_FLOPS_PER_S = 2.5e10

Probe = Callable[[Any, np.ndarray], Any]  # (ModelAt, grid points) -> a view's numbers


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProblem:
    """Build and compile a Trainer of ``problem`` here: a fresh run."""
    run_id: int
    problem: Problem


@dataclass(frozen=True)
class Adopt:
    """Go on with a ready-made, uncompiled Trainer (a saved session), with its record: a Run,
    or (a file of format 1) its loss history and test points."""
    run_id: int
    trainer: Trainer
    history: Any = None
    test_epochs: Any = None
    test_values: Any = None


@dataclass(frozen=True)
class Play:
    pass


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Step:
    epochs: int = 1


@dataclass(frozen=True)
class Reset:
    """New random weights from ``seed``: a fresh run."""
    run_id: int
    seed: int


@dataclass(frozen=True)
class Restart:
    """Back to epoch 0 with the same initial weights: a fresh run."""
    run_id: int


@dataclass(frozen=True)
class SetLearningRate:
    """The rate training goes on at. ``branch``: of that branch, switched to first if another
    is live (an undo of a rate change made there); None or a branch gone: the live one's."""
    lr: float
    branch: str | None = None


@dataclass(frozen=True)
class SetParams:
    """Hand-edited weights; drawn at once."""
    params: Any


@dataclass(frozen=True)
class SetData:
    """Edited points (added, deleted): the run goes on from its weights and epoch on
    ``dataset``, whose network and settings are the run's. Within one padded size
    (``training.padded_size``) nothing compiles; past it the runner compiles once, here."""
    dataset: Dataset
    text: str = "points edited"


@dataclass(frozen=True)
class EditingPoints:
    """The window's point editing is ``on``: have the padded runner of this problem compiled
    (beside the training, which goes on), so that the first edited point compiles nothing."""
    on: bool


@dataclass(frozen=True)
class SetSpeed:
    epochs_per_frame: int | None  # None: as fast as possible


@dataclass(frozen=True)
class SetStopAt:
    """Play pauses when the live epoch reaches ``epoch`` (None: never); Play from there on
    trains past it, and Step is never cut by it."""
    epoch: int | None


@dataclass(frozen=True)
class SetProbe:
    """Run ``fn(model, grid_points)`` with every snapshot (None: stop); its result lands in
    ``snapshot.extras[name]``."""
    name: str
    fn: Any


@dataclass(frozen=True)
class DrawGrid:
    """Whether view ``name`` draws the prediction over the 2-D grid (``snapshot.grid``: the
    main view's boundary, the Backprop view's, the baseline lesson's) while it is shown. Once a
    view has said, the grid is computed only while one of them draws it (~0.5 ms CPU a
    snapshot at 100 x 100 for the notebook's network, 388 ms for a 2-512x8-1 one: for nothing
    behind another tab); before any has (headless uses: the API, the benches), always. A view
    that starts drawing it gets a fresh snapshot at once, paused or not."""
    name: str
    on: bool


def newest_problems(cmds: list) -> list:
    """``cmds`` without the problems (NewProblem, Adopt) that a later one replaces before
    anything asked about them: several quick edits must not compile one after another. A
    Request between two keeps the one before it, its subject: Ctrl+Z held down brought a
    trained run back (Adopt), left it at once (the window's capture of it, a Request, then the
    next problem), and the capture, the Adopt dropped, took the run before it, an untrained
    one; Ctrl+Z again brought that back at epoch 0, the trained run lost."""
    keep, replaced = [], False
    for c in reversed(cmds):
        if isinstance(c, (NewProblem, Adopt)):
            if replaced:
                continue
            replaced = True
        elif isinstance(c, Request):
            replaced = False
        keep.append(c)
    return keep[::-1]


@dataclass(frozen=True)
class _StartRow:
    """A big run's start's gradient row being measured (TrainLoop._measure_start_row): the
    row of ``run``'s start at ``epoch`` (see BESIDE_START_S), ``norms``: a Future of
    ``gradient_norms`` of weights ``params``, trained with ``optimizer`` at rate ``lr``."""
    run: Any
    epoch: int
    params: Any
    optimizer: str
    lr: float
    norms: Future


@dataclass(frozen=True)
class ProbeCame:
    """(The loop's own, from the thread that computed them:) the numbers of probe ``name`` that
    a snapshot went out without (``preempt.Later`` with their Future: a landscape, a big run's
    start's gradient row) are done: the next snapshot takes them, and one is made now if the
    run is paused."""
    name: str


@dataclass(frozen=True)
class Request:
    """Run ``fn(RunContext)`` in the loop's thread and hand the result to ``callback`` (None:
    a RunState copy of the run). With ``on_error``, a failure (no model, ``fn`` raising) goes
    to ``on_error(exception)`` instead of the loop's error callback: the asker says what failed
    (a save), and hears of it even when waiting for it (the window closing)."""
    fn: Any
    callback: Callable[[Any], None]
    on_error: Callable[[BaseException], None] | None = None


@dataclass(frozen=True)
class ShowEpoch:
    """Show ``epoch`` of the live branch (the timeline); None: the live end."""
    epoch: int | None


@dataclass(frozen=True)
class Branch:
    """Continue from ``epoch`` (None: the one shown) as a new branch; ``reply`` (if any) is
    handed (its name, its parent's name, the epoch it starts at): the window's Undo step."""
    epoch: int | None = None
    reply: Callable[[tuple[str, str, int]], None] | None = None


@dataclass(frozen=True)
class TakeBranch:
    """Undo of a Branch: back to branch ``back_to`` (its parent), and branch ``name`` out of
    the run unless it has trained epochs of its own (those stay in the run: nothing trained is
    lost to an Undo). ``callback`` gets ("removed", the RunLog, its end a checkpoint),
    ("kept", epochs of its own) or ("gone", None) (deleted or renamed since)."""
    name: str
    back_to: str | None
    callback: Callable[[tuple[str, Any]], None]


@dataclass(frozen=True)
class PutBranch:
    """Redo of a Branch: ``log`` (a TakeBranch's) back in the run as its live branch, or (None)
    branch ``name`` live again; ``callback`` gets the branch's name (None: it cannot be)."""
    name: str
    log: Any
    callback: Callable[[str | None], None]


@dataclass(frozen=True)
class SwitchBranch:
    name: str


@dataclass(frozen=True)
class RenameBranch:
    name: str
    new: str


@dataclass(frozen=True)
class DeleteBranch:
    """Branch ``name`` out of the run; ``reply`` (if any) gets its RunLog, its end a checkpoint:
    the window's Undo step, which puts it back (PutBranch)."""
    name: str
    reply: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class StartSweep:
    """Build and compile a sweep of ``spec`` (a SweepSpec) here, paused; the live run stays.
    ``on_error``: a build that fails goes to it (the Compare tab says why, and that there is
    no sweep), else to the loop's error callback."""
    sweep_id: int
    spec: Any
    on_error: Callable[[BaseException], None] | None = None


@dataclass(frozen=True)
class FocusSweep:
    """``on``: Play, Pause and Step drive the sweep (the Compare view is shown); off: the live
    run again. Either way, whatever was playing pauses."""
    on: bool


@dataclass(frozen=True)
class EndSweep:
    pass


@dataclass(frozen=True)
class SweepRequest:
    """Run ``fn(sweep)`` in the loop's thread and hand the result to ``callback`` (a failure,
    or no sweep, to ``on_error``)."""
    fn: Callable[[Any], Any]
    callback: Callable[[Any], None]
    on_error: Callable[[BaseException], None]


# The commands that may stand between a problem still being prepared and the problem queued
# after it without keeping the first (see TrainLoop._superseded): the window's settings, which
# hold for any run, and what the next problem undoes anyway (Play, Step, a rate...). Anything
# else -- a Request (Save's capture, Undo's), a branch's reply, an edit of the points -- is about
# the problem before it, which is then prepared to the end, as before.
_PASSING = (Play, Pause, Step, Reset, Restart, SetLearningRate, SetSpeed, SetStopAt, SetProbe,
            DrawGrid, ShowEpoch, ProbeCame)

Command = (NewProblem | Adopt | Play | Pause | Step | Reset | Restart | SetLearningRate
           | SetParams | SetData | EditingPoints | SetSpeed | SetStopAt | SetProbe | DrawGrid
           | Request
           | ShowEpoch | Branch | TakeBranch | PutBranch
           | SwitchBranch | RenameBranch | DeleteBranch | Stop | StartSweep | FocusSweep
           | EndSweep | SweepRequest | ProbeCame)


class _LiveBranch:
    """The live branch's record, read through ``self.run``."""

    @property
    def log(self) -> RunLog:
        """The live branch's record."""
        return self.run.log

    @property
    def history(self) -> LossHistory:
        return self.run.log.losses

    @property
    def test_epochs(self) -> np.ndarray:
        return self.run.log.test.epochs

    @property
    def test_values(self) -> np.ndarray:
        return self.run.log.test.values


@dataclass
class RunContext(_LiveBranch):
    """What a ``request`` function sees, in the worker thread. Do not keep references to it."""

    trainer: Trainer
    run: Run
    run_id: int
    # A learning rate set while the views showed the past: the run goes on at it from where it
    # goes on next (its live end, or a branch); None: none pending.
    pending_lr: float | None = None
    # The past epoch of the live branch the views show (the timeline rewound); None: the live end.
    view_epoch: int | None = None


@dataclass(frozen=True)
class RunState:
    """A copy of the live run, safe to use on any thread (the default ``request`` result)."""

    dataset: Dataset
    spec: NetworkSpec
    config: TrainConfig
    seed: int
    epoch: int
    params: tuple
    initial_params: tuple
    loss_epochs: np.ndarray
    loss_values: np.ndarray
    test_epochs: np.ndarray
    test_values: np.ndarray


def numpy_params(params) -> tuple:
    """Weights as numpy copies (never views of device buffers)."""
    return tuple((np.array(w), np.array(b)) for w, b in params)


def params_seen(params) -> tuple:
    """A snapshot's weights: read-only numpy views of the CPU buffers, not copies. Copying a
    2-512x8-1 network's 1.8 million weights took 3.0 ms of an 11.8 ms snapshot, which the
    training thread makes ~20 times a second; a view takes 0.01 ms. Safe where a copy was
    needed for a view of a buffer that changes or goes: nothing donates or deletes a jax
    buffer here (a step makes new arrays), a view keeps its buffer alive, and a read-only one
    cannot write into it (a snapshot is immutable anyway)."""
    views = []
    for w, b in params:
        # (a view of a view: a numpy array given stays writeable for its owner)
        w, b = np.asarray(w).view(), np.asarray(b).view()
        w.flags.writeable = b.flags.writeable = False
        views.append((w, b))
    return tuple(views)


def shown_state(ctx: RunContext) -> tuple[int, Any]:
    """(epoch, device state) of the epoch the views show: the live end, or the past epoch the
    timeline rewound to, replayed from the run log's nearest checkpoint (in the loop's thread,
    as the views' own past snapshots are)."""
    t = ctx.trainer
    if ctx.view_epoch is None or ctx.view_epoch >= t.epoch:
        return t.epoch, t.state
    return runlog.state_at(t, ctx.log, ctx.view_epoch)


def run_state(ctx: RunContext) -> RunState:
    t = ctx.trainer
    le, lv = ctx.history.arrays()
    return RunState(t.data, t.spec, t.config, t.seed, t.epoch, numpy_params(t.params),
                    numpy_params(t.initial_params), le, lv, ctx.test_epochs.copy(),
                    ctx.test_values.copy())


def branch_curves(run: Run, end_loss: Callable[[RunLog], float] | None = None
                  ) -> tuple[BranchCurve, ...]:
    """The loss curves of the run's branches beside the live one; ``end_loss(log)``: the
    training loss of a branch's end weights (BranchCurve.end_loss; None: not known)."""
    return tuple(BranchCurve(b.name, *b.losses.arrays(), b.fork_epoch, b.colour, b.epoch,
                             b.rates(), math.nan if end_loss is None else end_loss(b))
                 for b in run.branches if b is not run.log)


def record_snapshot(run_id: int, trainer: Trainer, history, test_epochs=None,
                    test_values=None) -> Snapshot | None:
    """An adopted run's record (see Adopt) as a snapshot of its losses alone, to draw before its
    first frame (a compile away); None without a record. Read before the worker owns it."""
    nan = math.nan
    branches, branch, fork = (), "", 0
    if isinstance(history, Run):
        log = history.log
        (le, lv), te, tv = log.losses.arrays(), log.test.epochs.copy(), log.test.values.copy()
        branches, branch, fork = branch_curves(history), log.name, log.fork_epoch
    elif history is not None:
        le, lv = history.arrays()
        te = np.asarray(test_epochs if test_epochs is not None else [], np.int64)
        tv = np.asarray(test_values if test_values is not None else [], np.float32)
    else:
        return None
    return Snapshot(run_id, int(trainer.epoch), trainer.spec, trainer.config,
                    Metrics(nan, nan, nan, nan), le, lv, te, tv, (),
                    live_epoch=int(trainer.epoch), branch=branch, branches=branches,
                    branch_fork=int(fork))


def grid_resolution(spec: NetworkSpec) -> int:
    """The side of the 2-D grid drawn for ``spec`` (see GRID_FLOPS)."""
    side = int(math.sqrt(GRID_FLOPS / (2 * max(spec.n_params, 1))))
    return max(GRID_MIN_RES, min(GRID_RES_2D, side))


@dataclass
class _Stepping:
    """A Step of ``total`` epochs under way: run in chunks like Play, the queue read between
    them (Pause, Reset, Quit answered within a chunk, not after the whole Step). ``sweep``:
    a Step of the sweep (the Compare tab's), paced and answered the same way."""
    total: int
    done: int = 0
    piece: int = 1  # the test loss is measured every ``piece`` epochs (~50 points a Step)
    shown: bool = False  # the window was told that training runs (playing_changed(True))
    said: bool = False  # the status line says "training epoch ..."
    sweep: bool = False


def _about(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds >= 2 else f"about {seconds:.1f} s"


def _pow2_at_most(n: float) -> int:
    # Chunk sizes are powers of two: each distinct size costs a small one-off compile in jax's
    # slicing of the loss buffer, so a handful of sizes keeps that cost to the first seconds.
    n = int(max(1, min(MAX_CHUNK, n)))
    return 1 << (n.bit_length() - 1)


def _pow2_near(n: float) -> int:
    """The power of two nearest to ``n`` (geometrically), within 1..MAX_CHUNK."""
    p = _pow2_at_most(n)
    return min(MAX_CHUNK, 2 * p) if n > 1.4142 * p else p


def _steps_per_epoch(trainer: Trainer) -> int:
    """The gradient steps in an epoch of ``trainer``'s: its mini-batches, or one."""
    n, batch = len(trainer.data.train_index), trainer.config.batch_size
    return n // batch if uses_mini_batches(trainer.config, n) else 1


def _own_end_loss(trainer: Trainer, log: RunLog, epoch: int) -> bool:
    """Whether the weights after ``epoch`` epochs of ``log`` have the training loss its next
    epoch prints: an epoch trained, the weights its own (not a divergence's best put back),
    full batch (a mini-batch epoch prints its batches' mean)."""
    return epoch > 0 and log.weights_of(epoch) == epoch and _steps_per_epoch(trainer) == 1


def _guess_epoch_s(spec: NetworkSpec, data) -> float:
    """Seconds an epoch of ``spec`` on ``data`` takes, guessed from its size (~6 flops per
    parameter per training point) before one has been timed."""
    return 6 * spec.n_params * max(1, len(data.train_index)) / GUESS_FLOPS_PER_S


def _next_chunk(n: int, dt: float) -> int:
    """The chunk after one of ``n`` epochs that took ``dt`` s: about CHUNK_TARGET_S, growing
    at most 2x at a time (the run's chunks and the sweep's)."""
    return _pow2_near(min(2 * n, n * CHUNK_TARGET_S / max(dt, 1e-5)))


class _KeptNumbers(NamedTuple):
    """A costly network's numbers measured while it plays (TrainLoop._numbers): of ``epoch``
    of branch ``log`` of ``trainer`` on ``data``, at ``when`` (perf_counter)."""

    trainer: Trainer
    log: RunLog
    data: Dataset
    epoch: int
    metrics: Metrics
    when: float


class TrainLoop(_LiveBranch):
    """The worker's logic, Qt-free. Callbacks are called in the thread that runs the loop."""

    def __init__(self, publish: Callable[[Snapshot], None] = lambda s: None,
                 status: Callable[[str], None] = lambda s: None,
                 playing_changed: Callable[[bool], None] = lambda p: None,
                 error: Callable[[Exception], None] = lambda e: None,
                 reply: Callable[[Callable, Any], None] = lambda cb, r: cb(r),
                 paced: bool = False,
                 publish_sweep: Callable[[Any], None] = lambda s: None,
                 sweep_status: Callable[[str], None] | None = None) -> None:
        self._publish, self._status, self._playing_cb = publish, status, playing_changed
        self._publish_sweep = publish_sweep
        # The sweep's news apart from the run's: the window shows each where its run shows.
        self._sweep_status = status if sweep_status is None else sweep_status
        self._error, self._reply = error, reply
        heap.watch_compiles()
        self.commands: queue.Queue = queue.Queue()
        self.trainer: Trainer | None = None
        self.run: Run | None = None  # the run's branches and their records
        # The epoch the views show: None is the live end; an epoch before it is the past,
        # replayed from the run log (the timeline).
        self.view_epoch: int | None = None
        self._replayed: tuple[int, Any] | None = None  # (epoch, state) of the last replay
        self._end: tuple[Any, float] | None = None  # (live state, its train loss): _end_loss
        # The numbers last measured while playing (_numbers); any command forgets them.
        self._numbers_kept: _KeptNumbers | None = None
        self._pending_lr: float | None = None  # a rate set while showing the past
        self.run_id = 0
        self.playing = False
        self.alive = True
        self.epochs_per_frame: int | None = None  # None: as fast as possible
        self.stop_at: int | None = None  # Play pauses at this live epoch (None: never)
        self.chunk = 1  # adapted so that a chunk takes about CHUNK_TARGET_S
        self.epoch_s: float | None = None  # seconds an epoch (measured, else guessed)
        self._step: _Stepping | None = None  # a Step under way
        self._slow_said = False  # the status line says "training epoch N (about ...)"
        self.probes: dict[str, Probe] = {}
        # The probes' last results (name -> (run id, result)), for a snapshot that goes out
        # before a slow probe's new one; the probes known to be slow (SLOW_PROBE_S); whether a
        # snapshot with probes still to compute (Snapshot.pending) went out while paused.
        self._probe_last: dict[str, tuple[int, Any]] = {}
        self._probe_slow: set[str] = set()
        self._probes_due = False
        self.grid_users: set[str] | None = None  # the views drawing the grid (see DrawGrid)
        self.grid_points: np.ndarray | None = None
        self._grid_axes: tuple[np.ndarray, np.ndarray] | None = None
        self._grid_res = 0
        self._last_publish = 0.0
        self._publish_every = FRAME_S  # grows when snapshots are costly (big networks)
        self._snapshot_cost = 0.0
        self._last_test = 0.0
        self._next_frame = 0.0
        # Set from any thread by stop(): a long Step gives up between its parts.
        self.stopping = threading.Event()
        self._dirty = False  # state changed since the last snapshot
        # Paced (the window): while playing, the next snapshot waits until the GUI has drawn
        # the last one (``drawn`` set from the GUI thread), or MAX_PUBLISH_S has passed. A
        # snapshot the GUI never draws is worker time taken from training for nothing.
        self.paced = paced
        self.drawn = threading.Event()
        self.drawn.set()
        # A sweep (core/sweep_driver.py) beside the live run; Play/Pause/Step drive it while
        # ``sweep_focus`` (the Compare view is shown). Its snapshots go to ``publish_sweep``,
        # paced like the run's by ``sweep_drawn``, at most SWEEP_FRAME_S apart.
        self.sweep = None
        self.sweep_focus = False
        self.sweep_drawn = threading.Event()
        self.sweep_drawn.set()
        self._sweep_dirty = False
        self._sweep_last_publish = 0.0
        # Point editing (SetData): while on, each problem's padded runner is compiled ahead on
        # a thread of its own, beside the training (see _prepare_points).
        self.editing_points = False
        self._preparing: ThreadPoolExecutor | None = None
        self.prepared: Any = None  # the Future of the last preparation (tests wait on it)
        # Set by post() and by the end of each part of a new model's preparation: the loop,
        # waiting for that preparation, looks whether a newer problem has replaced it.
        self._wake = threading.Event()
        # The preparations a newer problem replaced: their thread finishes the call under way
        # (XLA's cannot be stopped) and nothing more; release() waits for them.
        self._given_up: list[ThreadPoolExecutor] = []
        # What the preparation of the current model measured at its start (_warm_up): the
        # first snapshot's metrics, not worked out twice (2-512x4-1 at 100,000 points: ~3 s
        # more before its first frame).
        self._start_numbers: tuple | None = None
        # (seconds of the compile, seconds of the warm-up's measuring) of the last preparation:
        # the status line's "compiled in ..." is the compile's alone.
        self._prepared_s: tuple[float, float] = (0.0, 0.0)
        # A big run's start row (BESIDE_START_S), measured on a thread of its own, until it
        # is in the record (_take_start_row); the Future of the last one (tests wait on it).
        self._row_coming: _StartRow | None = None
        self._start_rows: ThreadPoolExecutor | None = None
        self.start_row: Future | None = None
        # The probes that wait for numbers measured elsewhere (preempt.Later): their snapshot
        # went out without them, and the next comes when they do (not _probes_due); the
        # Future each was last told to wait for (a ProbeCame is posted when it is done).
        self._probes_waiting: set[str] = set()
        self._probes_awaited: dict[str, Future] = {}
        self._prepared_sizes: set = set()  # (problem, size, mini-batches, test points) done

    # --- the thread-safe way in ------------------------------------------------------------

    def post(self, command: Command) -> None:
        """Queue a command; any thread may call this."""
        self.commands.put(command)
        self._wake.set()

    # --- driving ---------------------------------------------------------------------------

    def run_forever(self) -> None:
        while self.alive:
            self.work_once(wait=True)

    def work_once(self, wait: bool = False) -> None:
        """Handle the queued commands, then run one chunk if playing.

        ``wait``: when idle, block until a command arrives (the thread); tests pass False.
        """
        cmds = self._take_commands(wait)
        self._take_start_row()
        for cmd in cmds:
            try:
                self._handle(cmd)
            except Exception as e:  # noqa: BLE001 -- every failure must reach the user
                self._fail(e)
            if not self.alive:
                return
        if self.playing and self.sweeping:
            try:
                self._sweep_chunk()
            except Exception as e:  # noqa: BLE001
                self._fail(e)
        elif self.playing and self.trainer is not None:
            try:
                self._chunk()
            except Exception as e:  # noqa: BLE001
                self._fail(e)
        elif self._stepping:
            # A Step's chunks until it is done or a command waits (handled by the next call).
            try:
                while self._step is not None and self.commands.empty() and \
                        not self.stopping.is_set():
                    self._chunk()
            except Exception as e:  # noqa: BLE001
                self._fail(e)
        if self._dirty and not self.playing and self._step is None:
            self._publish_now(answer=True)
        elif self._probes_due and not self.playing and self._step is None and \
                self.commands.empty():
            self._publish_now()  # what a slow probe gave way for is done: its result now
        if self._sweep_dirty and not self.playing and not (self._step and self._step.sweep):
            self._publish_sweep_now()
        heap.trim_after_compiles()  # what a compile freed, back to the system (core/heap.py)

    @property
    def _stepping(self) -> bool:
        """A Step under way, of the live run or of the sweep."""
        step = self._step
        return step is not None and (self.sweep is not None if step.sweep
                                     else self.trainer is not None)

    def _take_commands(self, wait: bool) -> list[Command]:
        timeout: float | None = 0.0
        if wait:
            if self._stepping:
                timeout = 0.0  # a Step under way: its next chunk
            elif self._probes_due and not self.playing:
                timeout = 0.0  # the probes a snapshot went out without: computed next
            elif not self.playing or (self.trainer is None and not self.sweeping):
                timeout = None  # idle: sleep until told something
            elif self.epochs_per_frame is not None:
                timeout = max(0.0, self._next_frame - time.perf_counter())
        cmds = []
        try:
            if timeout is None:
                cmds.append(self.commands.get())
            elif timeout > 0:
                cmds.append(self.commands.get(timeout=timeout))
        except queue.Empty:
            pass
        while True:
            try:
                cmds.append(self.commands.get_nowait())
            except queue.Empty:
                break
        cmds = newest_problems(cmds)
        # Only the newest epoch to show counts: a dragged timeline sends many.
        last = max((i for i, c in enumerate(cmds) if isinstance(c, ShowEpoch)), default=-1)
        return [c for i, c in enumerate(cmds) if i == last or not isinstance(c, ShowEpoch)]

    # --- commands ----------------------------------------------------------------------------

    def _handle(self, cmd: Command) -> None:
        self._numbers_kept = None  # (a weight edit, a rewind...: the next numbers are measured)
        step = self._step
        if step is not None and not step.shown and not isinstance(cmd, Stop):
            # A short Step (expected under STEP_SHOWN_S) ends before the next command, as when
            # a Step was one command: a request right after +10 was answered at the epoch the
            # Step started from, and the window waited for that epoch to be drawn forever.
            # One that turns out long is shown as training, and commands come between chunks.
            try:
                while self._step is step and not step.shown and not self.stopping.is_set():
                    self._chunk()
            except Exception as e:  # noqa: BLE001
                self._fail(e)
        match cmd:
            case Stop():
                self.alive = False
                self._set_playing(False, notify=False)
                for pool in (self._preparing, self._start_rows):  # they finish on their own
                    if pool is not None:
                        pool.shutdown(wait=False, cancel_futures=True)
                for fn in self.probes.values():
                    _stop_beside(fn)
            case NewProblem(run_id, problem):
                self._set_playing(False)
                self._start_problem(run_id, problem)
            case Adopt(run_id, trainer, history, test_epochs, test_values):
                self._set_playing(False)
                self._adopt(run_id, trainer, history, test_epochs, test_values)
            case SetSpeed(epochs_per_frame):
                self.epochs_per_frame = epochs_per_frame
            case SetStopAt(epoch):
                self.stop_at = None if epoch is None or epoch <= 0 else int(epoch)
            case SetProbe(name, fn):
                if fn is None:
                    _stop_beside(self.probes.pop(name, None))
                    self._probe_last.pop(name, None)
                else:
                    self.probes[name] = fn
                self._dirty = True
            case DrawGrid(name, on):
                wanted = self.grid_wanted
                users = set() if self.grid_users is None else self.grid_users
                if on:
                    users.add(name)
                else:
                    users.discard(name)
                self.grid_users = users
                if self.grid_wanted and not wanted:
                    self._dirty = True  # the grid at once, not at the next epoch
            case StartSweep() | FocusSweep() | EndSweep() | SweepRequest():
                self._sweep_command(cmd)
            case ProbeCame(name):
                if name in self.probes:
                    self._dirty = True  # (paused: a snapshot now; playing: the next one's)
            case Play() | Pause() | Step() if self.sweep_focus:
                # The sweep's controls, with a sweep or not (one refused, still to come): the
                # main run waits, paused. Play with a refused sweep trained it out of sight.
                self._sweep_command(cmd)
            case Request(fn, callback, on_error):
                try:
                    if self.trainer is None:
                        raise TrainingError("there is no model yet")
                    result = (fn or run_state)(RunContext(self.trainer, self.run, self.run_id,
                                                       self._pending_lr, self.view_epoch))
                except Exception as e:  # noqa: BLE001 -- to the asker, as an object
                    if on_error is None:
                        raise
                    self._reply(on_error, e)
                else:
                    self._reply(callback, result)
            case _ if self.trainer is None:
                # No model (its settings failed, and said why): nothing to run. The GUI may
                # already show "Pause": tell it the truth.
                if isinstance(cmd, Play):
                    self._playing_cb(False)
            case Play():
                self._go_live()
                self.log.divergence = None  # gone on from it: the window's banner goes
                self._set_playing(True)
                self._next_frame = time.perf_counter()
                # The pace is set anew by the snapshots of this play: those made while paused
                # may have compiled (a new model, a view's probe), and must not delay its first
                # frame.
                self._snapshot_cost, self._publish_every = 0.0, FRAME_S
                self._say_slow()
            case Pause():
                step = self._step
                self._set_playing(False)
                self._say_step_paused(step)
                self._dirty = True
            case Step(epochs):
                self._set_playing(False)
                self._go_live()
                self._start_step(int(epochs))
            case Reset(run_id, seed):
                self._set_playing(False)
                t = self.trainer
                self._replace_trainer(run_id, Trainer(t.spec, t.config, t.data, seed=seed,
                                                      padded=t.padded))
            case Restart(run_id):
                self._set_playing(False)
                self.trainer.restart()
                self._new_run(run_id)
            case SetLearningRate(lr, branch):
                check_learning_rate(lr)
                if branch in self.run.names() and self.run.index(branch) != self.run.active:
                    self._switch(self.run.index(branch))
                if self.view_epoch is not None:
                    # Set while looking at the past: for where training goes on next (a branch
                    # from here, or the live end); the live branch's end keeps its own rate.
                    self._pending_lr = float(lr)
                else:
                    self._apply_learning_rate(float(lr))
                self._dirty = True
            case SetParams(params):
                self._go_live()
                self.trainer.set_params(params)
                self.log.checkpoint(self.trainer.epoch, self.trainer.state, "weights",
                                    weights_of=-1)  # edited: no longer a restore's weights
                self._dirty = True
                self._publish_now()  # at once, even while playing
            case SetData(dataset, text):
                self._set_data(dataset, text)
            case EditingPoints(on):
                self.editing_points = bool(on)
                if on:
                    self._prepare_points()
            case ShowEpoch(epoch):
                self._show(epoch)
            case Branch(epoch, reply):
                self._branch(epoch)
                if reply is not None:
                    log = self.log
                    self._reply(reply, (log.name, log.parent or "", log.fork_epoch))
            case TakeBranch(name, back_to, callback):
                self._reply(callback, self._take_branch(name, back_to))
            case PutBranch(name, log, callback):
                self._reply(callback, self._put_branch(name, log))
            case SwitchBranch(name):
                self._switch(self.run.index(name))
            case RenameBranch(name, new):
                self.run.rename(name, new)
                self._dirty = True
            case DeleteBranch(name, reply):
                i, active = self.run.index(name), self.run.active
                log = self.run.branches[i]
                if i == active:
                    self._set_playing(False)
                    t = self.trainer
                    log.checkpoint(t.epoch, t.state, "branch end")  # where Undo goes on from
                self.run.delete(name)
                if i == active:
                    self._resume(self.run.active)
                self._dirty = True
                if reply is not None:
                    self._reply(reply, log)
            case _:
                raise TypeError(f"unknown worker command {cmd!r}")

    # --- a sweep ------------------------------------------------------------------------------

    @property
    def sweeping(self) -> bool:
        """Play, Pause and Step drive the sweep."""
        return self.sweep is not None and self.sweep_focus

    def _sweep_command(self, cmd: Command) -> None:
        match cmd:
            case StartSweep(sweep_id, spec, on_error):
                from .sweep import Sweep  # jax's vmapped engine: loaded when first needed
                from .sweep_driver import SweepDriver
                self._set_playing(False)
                self.sweep = None  # a failing build must not leave the old sweep half-replaced
                self._sweep_status("compiling the sweep...")
                t0 = time.perf_counter()
                try:
                    driver = SweepDriver(sweep_id, Sweep(spec))
                    driver.warm_up()
                except Exception as e:  # noqa: BLE001 -- to the Compare tab, as an object
                    self._sweep_status("")  # "compiling the sweep..." stayed for good
                    if on_error is None:
                        raise
                    self._reply(on_error, e)
                    return
                dt = time.perf_counter() - t0
                self.sweep, self._sweep_dirty = driver, True
                # Its first chunk by its size, as its first Step is judged (_start_step): a big
                # sweep's first chunk of 8 epochs took seconds before Pause was read; a small
                # one's of 1 epoch, slowed by one-off costs, made +20 look long.
                driver.chunk = min(8, _pow2_at_most(CHUNK_TARGET_S / self._epoch_seconds(True)))
                self._sweep_status(f"sweep compiled in {dt:.1f} s" if dt > 0.2 else "sweep ready")
            case FocusSweep(on):
                # The controls go to the other one: a Step under way stops where it is, and
                # says so on its own tab, as Pause does (the sweep's stopped without a word
                # when its tab was left).
                step = self._step
                self._set_playing(False)
                self._say_step_paused(step)
                self.sweep_focus = bool(on)
                # The controls show what they drive now: a fresh picture of it.
                if self.sweeping:
                    self._sweep_dirty = True
                else:
                    self._dirty = True
            case EndSweep():
                if self.sweeping:
                    self._set_playing(False)
                self.sweep = None
            case SweepRequest(fn, callback, on_error):
                try:
                    if self.sweep is None:
                        raise TrainingError("there is no sweep")
                    result = fn(self.sweep.sweep)
                except Exception as e:  # noqa: BLE001 -- to the asker, as an object
                    self._reply(on_error, e)
                else:
                    self._reply(callback, result)
            case Play() | Step() if self.sweep is None:
                # No sweep to train (its build was refused, or it ended): nothing runs, and
                # the window's button says so (it showed Pause).
                self._set_playing(False, notify=False)
                self._playing_cb(False)
            case Play():
                self._set_playing(True)
                self._next_frame = time.perf_counter()
            case Pause():
                step = self._step
                self._set_playing(False)
                self._say_step_paused(step)
                self._sweep_dirty = True
            case Step(epochs):
                # In chunks, as the run's Step (see _Stepping): Pause, Restart and a new sweep
                # are answered between them (a big sweep's +1000 ignored them to the end).
                self._set_playing(False)
                self._start_step(int(epochs), sweep=True)
                self._sweep_dirty = True

    def _say_step_paused(self, step: _Stepping | None) -> None:
        """A Step stopped part-way (``step``, ended by Pause or by the other one taking the
        controls) says where, on the status line of the run or the sweep it was of."""
        if step is None:
            return
        done = f"{step.done:,} of the Step's {step.total:,} epochs done"
        if not step.sweep:
            self._status(f"paused at epoch {self.trainer.epoch:,}: {done}")
        elif self.sweep is not None:
            self._sweep_status(f"the sweep paused at epoch {self.sweep.sweep.epoch:,}: {done}")

    def _sweep_chunk(self) -> None:
        d = self.sweep
        n = d.chunk if self.epochs_per_frame is None else min(self.epochs_per_frame, d.chunk)
        # As the run's: Play pauses the sweep at the Stop-at epoch, exactly there.
        stop = self.stop_at
        stop = stop if stop is not None and d.sweep.epoch < stop else None
        if stop is not None:
            n = min(n, stop - d.sweep.epoch)
        dt = d.advance(n, should_stop=self.stopping.is_set)
        if stop is not None and d.sweep.epoch >= stop:
            self._set_playing(False)
            self._publish_sweep_now()
            self._sweep_status(f"the sweep stopped at epoch {stop:,} (Stop at); Play trains on")
            return
        if n == d.chunk:
            d.chunk = _next_chunk(n, dt)
        now = time.perf_counter()
        if self.epochs_per_frame is not None:
            self._next_frame = max(self._next_frame + FRAME_S, now - FRAME_S)
        if bool(np.all(d.sweep.diverged)):  # nothing left to train
            self._set_playing(False)
        self._publish_sweep_if_due(now, dt)

    def _publish_sweep_if_due(self, now: float, dt: float, may: bool = True) -> None:
        """As the run's: publish now (``may``) if waiting for the next chunk of ``dt`` s would
        overshoot the frame more, and the GUI has drawn the last one (or has taken too long
        to); else the sweep is left to publish later."""
        since = now - self._sweep_last_publish
        if may and since + dt / 2 >= SWEEP_FRAME_S and (
                self.sweep_drawn.is_set() or since >= MAX_PUBLISH_S):
            self._publish_sweep_now()
        else:
            self._sweep_dirty = True

    def _publish_sweep_now(self) -> None:
        self._sweep_dirty = False
        if self.sweep is None:
            return
        if self.paced:
            self.sweep_drawn.clear()
        snapshot = self.sweep.snapshot(playing=self._training(sweep=True))
        self._sweep_last_publish = time.perf_counter()
        self._publish_sweep(snapshot)

    def _start_problem(self, run_id: int, p: Problem) -> None:
        trainer = p.make_trainer()
        self._replace_trainer(run_id, trainer)

    def _adopt(self, run_id, trainer, history, test_epochs, test_values) -> None:
        # (A session's Run has its own record, the start's gradient row in it.)
        if not self._replace_trainer(run_id, trainer, start_row=not isinstance(history, Run)):
            return  # given up for a newer problem: its record goes with it
        if isinstance(history, Run):  # a session with its run log
            self.run = history
            return
        if history is not None:
            self.log.losses = history
        if test_epochs is not None:
            for e, v in zip(np.asarray(test_epochs, np.int64), np.asarray(test_values, np.float32)):
                self.log.record_test(int(e), float(v))

    def _replace_trainer(self, run_id: int, trainer: Trainer, start_row: bool = True) -> bool:
        """``trainer`` is the run from now on, once prepared (_prepare); False if a newer
        problem replaced it first. ``start_row``: the new run's start gets its gradient row
        (not a session's Run, which comes with its own: _adopt)."""
        old = self.trainer
        self.trainer = None  # a failing compile must not leave a half-made run behind
        self.run_id = run_id  # (a failure of its compile is that run's: see failed_at)
        self._status("compiling...")
        t0 = time.perf_counter()
        res = grid_resolution(trainer.spec) if trainer.data.n_features == 2 else None
        if old is None or old.data is not trainer.data or (res and res != self._grid_res):
            self._make_grid(trainer.data, res)
        self._start_numbers = None
        if not self._prepare(trainer):
            return False  # a newer problem replaced this one before it was ready
        dt = time.perf_counter() - t0
        self.trainer = trainer
        self._new_pace()
        self._new_run(run_id, start_row)
        self._status(_prepared_text(dt, *self._prepared_s))
        if self.editing_points:
            self._prepare_points()
        return True

    def _set_data(self, data: Dataset, text: str) -> None:
        """Go on training on edited points (see SetData): a pinned checkpoint at the edit, the
        points before it kept on the earlier checkpoints, so that replays stay exact."""
        t = self.trainer
        self._go_live()
        if data is t.data:
            return
        runlog.stamp_data(self.run, t.feed_key)
        bounds = t.data.bounds(0.1)
        recompile = t.set_data(data)
        self._new_pace()
        self.log.checkpoint(t.epoch, t.state, "points")
        self._record_grads(self.log)
        if data.n_features in (1, 2) and data.bounds(0.1) != bounds:
            self._make_grid(data, self._grid_res or None)  # the same size: nothing compiles
        if recompile:
            self._status(f"compiling for {t.data_size[0]:,} points...")
            t0 = time.perf_counter()
            t.compile()
            t.evaluate()
            dt = time.perf_counter() - t0
            self._status(f"{text}: compiled in {dt:.1f} s for up to {t.data_size[0]:,} points"
                         if dt > 0.2 else text)
        else:  # said every time: an undo left "added point" standing after the point was gone
            self._status(text)
        self._dirty = True
        self._prepare_points()  # the sizes next to the new count, beside the training

    def _prepare_points(self) -> None:
        """Compile what the trainer runs once its points are edited -- the padded runner and
        metrics of this problem for its number of points, and for the sizes just across
        (``training.neighbour_counts``), so that a click that crosses a padded size compiles
        nothing either -- on another thread, while training goes on here. A run trains on
        its data unpadded until its first point edit (the notebook's numbers and speed, bit
        for bit); from then on on padded data (``Trainer.set_data``). Each size is prepared
        once; called again after every edit, it prepares the sizes next to the new count."""
        t = self.trainer
        if t is None:
            return
        spec, config, data, seed = t.spec, t.config, t.data, t.seed
        n = len(data.train_index)
        counts = ([] if t.padded else [n]) + list(neighbour_counts(n))
        params = None
        for count in counts:
            key = (t._shape_key(), padded_size(count), uses_mini_batches(config, count),
                   len(data.test_index))
            if key in self._prepared_sizes:
                continue
            self._prepared_sizes.add(key)
            if params is None:
                params = numpy_params(t.initial_params)
            if self._preparing is None:
                self._preparing = ThreadPoolExecutor(max_workers=1,
                                                     thread_name_prefix="nnviz-prepare-points")
            # One worker: the futures finish in order, so the last says all are done.
            self.prepared = self._preparing.submit(_prepare_size, spec, config,
                                                   _with_train_count(data, count), params, seed)

    def _prepare(self, trainer: Trainer) -> bool:
        """Compile ``trainer``'s step and what its first snapshot calls, and measure its start
        (_warm_up), in threads of their own; False if a newer problem replaced this one first
        (_superseded): the loop goes on to it at once, and the preparation given up stops after
        the call under way. A relaunch after a big problem (2-512x4-1 at 100,000 points) spent
        ~25 s of a busy 2-core machine here before its first frame, and an opened session, or
        any other problem, waited behind it (review r23 F7). A compile that fails raises here.

        XLA compiles without the GIL: the functions of the first snapshot compile on a second
        core while the training step compiles on a third thread (cold cache, bench/gui.py's
        first frame: the compiles were ~1 s one after another)."""
        gave_up = threading.Event()
        pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="nnviz-warm-up")
        jobs: list[Future] = [pool.submit(_timed, trainer.compile),
                              pool.submit(_timed, self._warm_up, trainer, False, gave_up),
                              pool.submit(_timed, self._warm_up, trainer, True, gave_up)]
        for job in jobs:
            job.add_done_callback(lambda _job: self._wake.set())
        while True:
            self._wake.clear()
            if all(job.done() for job in jobs):
                break
            if self.stopping.is_set() or self._superseded():  # (closing: no run to wait for)
                gave_up.set()
                pool.shutdown(wait=False, cancel_futures=True)
                self._given_up.append(pool)
                return False
            self._wake.wait()
        pool.shutdown(wait=True)
        # The compile's failure is the run's (the warm-up's are left, see there).
        (_, compile_s), (numbers, rest_s), (_, probes_s) = (job.result() for job in jobs)
        self._prepared_s = (compile_s, max(rest_s, probes_s))
        # (The compile ran the step for 0 epochs: the same weights, maybe in new arrays.)
        if numbers is not None and _same_weights(numbers[0], trainer.params):
            self._start_numbers = (trainer, trainer.params, trainer.data, *numbers[1:])
        return True

    def _measured_start(self, params) -> bool:
        """The preparation measured ``params`` of the current trainer, on its data now."""
        start, t = self._start_numbers, self.trainer
        return start is not None and start[0] is t and start[1] is params and start[2] is t.data

    def _superseded(self) -> bool:
        """A problem queued (NewProblem, Adopt) replaces the one being prepared: only commands
        that hold for any run stand between them (_PASSING), none about the run being prepared
        (a Request keeps it, as in newest_problems)."""
        with self.commands.mutex:
            queued = list(self.commands.queue)
        for cmd in queued:
            if isinstance(cmd, (NewProblem, Adopt)):
                return True
            if not isinstance(cmd, _PASSING):
                return False
        return False

    def _warm_up(self, trainer: Trainer, probes: bool,
                 gave_up: threading.Event | None = None) -> tuple | None:
        """Call what a snapshot calls (the views' probes, or the rest), once, so that it is
        compiled; a failure is left for the real snapshot. The rest returns what the run's
        start is shown with: (the weights, their Metrics) -- None if it failed or was given up
        (``gave_up`` set: a newer problem replaced this one; it stops between calls).

        The start's gradient row is not measured here (_new_run: beside the first frame for a
        big run, BESIDE_START_S), nor the test loss run (compiled ahead of time: the metrics
        have the start's, and 20,000 test points of 2-512x4-1 took ~0.8 s more)."""
        def going() -> bool:
            return gave_up is None or not gave_up.is_set()

        try:
            if probes:
                # The first snapshot's gradient row: in the log by then, or being measured.
                # (a row to come: a Future never done, as the first snapshot's waits for)
                model = _Warming(trainer, Future() if _row_beside(trainer) else "known")
                for fn in list(self.probes.values()):
                    if not going():
                        return None
                    with np.errstate(all="ignore"):
                        try:
                            fn(model, self.grid_points)
                        except preempt.Later:
                            pass
                return None
            params = trainer.params
            metrics = trainer.evaluate(params)
            if not going():
                return None
            trainer.compile_test_loss()
            if self.grid_points is not None and going():
                trainer.predict_for_drawing(self._grid_device)
            return params, metrics
        except Exception:  # noqa: BLE001 -- see the docstring
            return None

    def _new_run(self, run_id: int, start_row: bool = True) -> None:
        self.run_id = run_id
        t = self.trainer
        self.run = Run(RunLog(max_gap=RunLog.max_gap_for(len(t.data.train_index),
                                                         t.spec.n_params)))
        self.view_epoch, self._replayed, self._pending_lr = None, None, None
        self._row_coming = None
        self.log.checkpoint(t.epoch, t.state, "start")
        if start_row and _row_beside(t):
            self._measure_start_row()
        elif start_row:
            self._record_grads(self.log)
        self._dirty = True

    def _measure_start_row(self) -> None:
        """The start's gradient row measured on a thread of its own (BESIDE_START_S): the
        first frame goes out before it, the Gradients tab says it is computing (its probe:
        preempt.Later with the row's Future, ModelAt.gradient_row), and the row goes into the
        record once measured (_take_start_row). What it reads is taken now (training may go
        on meanwhile)."""
        t, run = self.trainer, self.run
        params, epoch = t.params, int(t.epoch)
        model = SimpleNamespace(spec=t.spec, config=t.config, params=params,
                                grad_data=t.grad_data, X_train=t.X_train, T_train=t.T_train)
        if self._start_rows is None:
            self._start_rows = ThreadPoolExecutor(max_workers=1,
                                                  thread_name_prefix="nnviz-start-row")
        future = self._start_rows.submit(gradient_norms, model)
        self.start_row = future
        self._row_coming = _StartRow(run, epoch, params, t.config.optimizer, t.learning_rate,
                                     future)

    def _take_start_row(self) -> None:
        """The start's gradient row, once measured (_measure_start_row), into the run's record,
        in every branch that starts there, unless the run is gone (a new problem, a Restart).
        Called before each batch of commands and each snapshot: a probe that waits for the row hears
        that it came as for any numbers measured elsewhere (a ProbeCame: _await), and whatever
        else reads the record (a save) finds it there."""
        row = self._row_coming
        if row is None or not row.norms.done():
            return
        self._row_coming = None
        if self.trainer is None or self.run is not row.run or row.norms.cancelled():
            return
        try:
            norms, wnorm = row.norms.result()
        except Exception as e:  # noqa: BLE001 -- the loop's, as a checkpoint's row
            self._fail(e)
            return
        ratios = update_ratios(row.optimizer, row.lr, row.epoch, row.params, norms, wnorm)
        for log in row.run.branches:
            if log.checkpoints and log.checkpoints[0].epoch == row.epoch and \
                    not log.has_grads(row.epoch):
                log.put_grads(row.epoch, norms, ratios)

    # --- the timeline ----------------------------------------------------------------------------

    def _record_grads(self, log: RunLog) -> None:
        """The gradient statistics at the checkpoint just taken (the gradient view's history)."""
        record_gradients(self.trainer, log)

    def _apply_learning_rate(self, lr: float) -> None:
        self.trainer.set_learning_rate(lr)
        # The epochs from here on run at the new rate: a replay must start here.
        self.log.checkpoint(self.trainer.epoch, self.trainer.state, "learning rate")

    def _go_live(self) -> None:
        if self.view_epoch is not None:
            self.view_epoch, self._replayed = None, None
            self._dirty = True
        if self._pending_lr is not None:
            lr, self._pending_lr = self._pending_lr, None
            self._apply_learning_rate(lr)

    def _show(self, epoch: int | None) -> None:
        """Show ``epoch`` of the live branch (None or its last epoch: the live end)."""
        if epoch is None or int(epoch) >= self.trainer.epoch:
            self._go_live()
            return
        self._set_playing(False)
        self.view_epoch = max(self.log.checkpoints[0].epoch, int(epoch))
        self._dirty = True

    def _state_shown(self):
        """(epoch, device state) of the epoch shown, replayed from the log when in the past."""
        t = self.trainer
        if self.view_epoch is None:
            return t.epoch, t.state
        at, state = runlog.state_at(t, self.log, self.view_epoch, self._replayed)
        self._replayed = (at, state)
        return at, state

    def _branch(self, epoch: int | None) -> None:
        """Continue from ``epoch`` (default: the one shown) as a new branch, with the current
        settings; the branch left behind keeps its end, to be switched back to."""
        t = self.trainer
        self._set_playing(False)
        at, state = self._state_shown() if epoch is None else runlog.state_at(t, self.log, epoch)
        runlog.continue_from(t, self.run, at, state, self._pending_lr)
        self._pending_lr = None
        self.view_epoch, self._replayed = None, None
        self._dirty = True

    def _take_branch(self, name: str, back_to: str | None) -> tuple[str, Any]:
        """See TakeBranch."""
        names = self.run.names()
        if name not in names or len(names) == 1:
            return ("gone", None)
        i = self.run.index(name)
        log = self.run.branches[i]
        if i == self.run.active:
            target = back_to if back_to in names and back_to != name else None
            if target is None:
                target = next(n for n in names if n != name)
            self._switch(self.run.index(target))  # (the branch's end kept as a checkpoint)
        own = log.epoch - log.fork_epoch
        if own > 0:
            return ("kept", own)
        active = self.run.log
        self.run.branches.remove(log)
        self.run.active = self.run.branches.index(active)
        self._dirty = True
        return ("removed", log)

    def _put_branch(self, name: str, log: RunLog | None) -> str | None:
        """See PutBranch."""
        if log is None:
            if name not in self.run.names():
                return None
            self._switch(self.run.index(name))
            return name
        if len(self.run.branches) >= runlog.MAX_BRANCHES:
            return None
        self._set_playing(False)
        t = self.trainer
        self.log.checkpoint(t.epoch, t.state, "branch end")
        if log.name in self.run.names():
            log.name = self.run.new_name()
        self.run.add(log)  # its colour back, unless a branch made since has it
        self._pending_lr = None
        self._resume(len(self.run.branches) - 1)
        return log.name

    def _switch(self, index: int) -> None:
        if index == self.run.active:
            self._go_live()
            return
        self._set_playing(False)
        t = self.trainer
        self.log.checkpoint(t.epoch, t.state, "branch end")
        self._pending_lr = None  # the branch goes on at its own rate
        self._resume(index)

    def _resume(self, index: int) -> None:
        """Make branch ``index`` the live one and the trainer its end."""
        self.run.active = index
        end = self.log.checkpoints[-1]
        t = self.trainer
        t.epoch = end.epoch
        t.state = jax.device_put(end.state)
        # The branch goes on at the rate it ran with; the snapshot's config tells the window.
        t.set_learning_rate(float(end.state.opt_state.hyperparams["learning_rate"]))
        self.view_epoch, self._replayed = None, None
        self._dirty = True

    def _make_grid(self, data: Dataset, res: int | None = None) -> None:
        self._grid_res = res or 0
        if data.n_features not in (1, 2):
            self.grid_points, self._grid_axes = None, None  # no plane to draw
            return
        res = res or (GRID_RES_2D if data.n_features == 2 else GRID_RES_1D)
        xs, ys, points = make_grid_points(data.bounds(0.1), res)
        self.grid_points, self._grid_axes = points, (xs, ys)
        self._grid_device = grid_device(points)  # copied to the device once, shared with probes

    def _set_playing(self, playing: bool, notify: bool = True) -> None:
        """Play (True) or stop training (False); either way a Step under way ends here (Play
        goes on past it; Pause, Reset, a new problem... stop it where it is)."""
        step, self._step = self._step, None
        if step is not None and step.said and step.sweep:
            self._sweep_status("")  # "the sweep is training epoch ..." is no longer true
        elif step is not None and step.said or not playing and self._slow_said:
            self._slow_said = False
            self._status("")  # "training epoch ..." is no longer true
        if step is not None and step.shown and not playing and not self.playing and notify:
            self._playing_cb(False)
        if playing != self.playing:
            self.playing = playing
            if notify:
                self._playing_cb(playing)

    # --- training ----------------------------------------------------------------------------

    def _run_epochs(self, n: int, pieces: int = 1) -> tuple[bool, float]:
        """Run ``n`` epochs in about ``pieces`` parts, the test loss measured after each part
        (with one part, the caller measures it)."""
        t = self.trainer
        piece = n if pieces <= 1 else _pow2_at_most(max(1, n // pieces))
        left, t0 = n, time.perf_counter()
        if t.epoch == 0:
            self._record_start_test()
        while left > 0 and not self.stopping.is_set():
            k = min(piece, left)
            result = runlog.advance(t, self.log, k, on_checkpoint=self._at_checkpoint)
            left -= k
            if result.diverged:
                self._set_playing(False)
                self._record_diverged_test()
                self.log.divergence = (t.epoch, divergence_message(
                    t.epoch, t.learning_rate, t.best_epoch, t.best_loss, what=t.blow_up,
                    start=t.blame_start()))
                self._publish_now(diverged=True)
                return True, time.perf_counter() - t0
            if pieces > 1:
                self._record_test()
        return False, time.perf_counter() - t0

    def _at_checkpoint(self, log: RunLog) -> None:
        """At each checkpoint of the epochs trained: the gradient statistics, and the test
        loss (as ``nnviz train --save`` records it). Checkpoints are every epoch at first, then
        about every 1/32 of the run so far: the test curve has a point at each of the first 32
        epochs, and its straight segments never span more than ~3% of the run. Measured only
        when frames came (~30 a second), a diverging run at speed had its test loss at epochs
        2, 4, 6, 8 (or 4 and 8) while its train loss rose at every epoch in between (r15 #7).
        One test-set pass per checkpoint, beside the gradient pass already made there."""
        self._record_grads(log)
        self._record_test()

    def _record_start_test(self) -> None:
        """The test loss of the weights the run starts from, at epoch 1 beside the train
        curve's first point (the loss of the same weights): recorded once training starts,
        not before (a lone test point on an empty plot). Both curves start at epoch 1 (r16
        #7)."""
        t = self.trainer
        if t.epoch == 0 and len(t.data.test_index) and not len(self.test_epochs):
            self.log.record_test(1, t.test_loss())

    def _record_diverged_test(self) -> None:
        """The test curve of a diverged run ends where its train curve does, with the test
        loss of the same weights (runlog.diverged_end), not the best weights' at E + 1."""
        t = self.trainer
        params = runlog.diverged_end(t, self.log)
        if params is not None and len(t.data.test_index) and not (
                len(self.test_epochs) and self.test_epochs[-1] == t.epoch):
            with np.errstate(all="ignore"):
                self.log.record_test(t.epoch, t.test_loss(params))

    def _record_test(self) -> None:
        t = self.trainer
        if t.epoch == 0 or not len(t.data.test_index) or (
                len(self.test_epochs) and self.test_epochs[-1] == t.epoch + 1):
            return
        if self.log.weights_of(t.epoch) != t.epoch:  # the best weights put back: no E + 1
            return                                   # (see runlog.diverged_end)
        # The test loss of the weights after epoch E is drawn at E + 1, beside the train loss of
        # the same weights (epoch E + 1's loss, taken before its update, as the notebook does).
        self.log.record_test(t.epoch + 1, t.test_loss())

    def _start_step(self, epochs: int, sweep: bool = False) -> None:
        """A Step of ``epochs`` epochs of the live run or (``sweep``) of the sweep: run by
        work_once in chunks (see _Stepping)."""
        if epochs <= 0:
            return
        step = _Stepping(epochs, piece=_pow2_at_most(max(1, epochs // 50)), sweep=sweep)
        self._step = step
        if epochs * self._epoch_seconds(sweep) > STEP_SHOWN_S:
            step.shown = True
            self._playing_cb(True)  # the window's Pause button stops it
        self._say_slow()

    def _epoch_seconds(self, sweep: bool = False) -> float:
        """Seconds an epoch takes: the last chunk's, or a guess from the model's size (of
        the sweep's members, ``sweep``)."""
        if sweep:
            d = self.sweep
            if d.epoch_s is not None:
                return d.epoch_s
            return sum(_guess_epoch_s(p.spec, p.dataset) for p in d.sweep.problems)
        if self.epoch_s is not None:
            return self.epoch_s
        return _guess_epoch_s(self.trainer.spec, self.trainer.data)

    def _say_slow(self) -> None:
        """When an epoch takes seconds, the status line says training is working (the
        Compare tab's, in a Step of the sweep)."""
        step = self._step
        sweep = step is not None and step.sweep
        s = self._epoch_seconds(sweep)
        say = self._sweep_status if sweep else self._status
        if s < SLOW_EPOCH_S:
            if step is not None and step.said or step is None and self._slow_said:
                # Fast again (a stalled chunk on a busy machine was no slow epoch).
                self._slow_said = False
                if step is not None:
                    step.said = False
                say("")
            return
        if step is not None:
            step.said = True
            # The run's epoch, as the header counts (the Step's own count said "epoch 1 of
            # 1,000" under "Epoch 3"), and how far into the Step.
            epoch = self.sweep.sweep.epoch if sweep else self.trainer.epoch
            say(f"{'the sweep is ' if sweep else ''}training epoch {epoch + 1:,}: "
                f"{step.done + 1:,} of the Step's {step.total:,} ({_about(s)} an epoch)")
        elif self.playing:
            self._slow_said = True
            self._status(f"training epoch {self.trainer.epoch + 1:,} ({_about(s)} an epoch)")

    def _training(self, sweep: bool = False) -> bool:
        """Playing, or in a Step shown as training (of the sweep, ``sweep``): a throttled
        probe may hand out its last result (the snapshot after the Step, or a pause, is not:
        every probe fresh)."""
        step = self._step
        return self.playing or (step is not None and step.shown and step.sweep == sweep)

    def _new_pace(self) -> None:
        """Another model or data: chunks start at one epoch again (a chunk sized for a small
        network ran a big one's 1,000 epochs before the queue was read)."""
        self.chunk, self.epoch_s = 1, None

    def _chunk(self) -> None:
        step = self._step
        if step is not None:
            self._step_chunk(step)
            return
        if self.epochs_per_frame is not None and self.paced and not self.drawn.is_set() and \
                time.perf_counter() - self._last_publish < MAX_PUBLISH_S:
            # N epochs per frame the window draws: a snapshot it would drop is a frame's
            # epochs nobody saw. Wait briefly for it (the queue is read again right after).
            self.drawn.wait(FRAME_S / 4)
            return
        # N epochs per frame, but never more than fit in a chunk's time: Pause must still
        # answer within a frame when a big network cannot do N epochs per frame.
        n = self.chunk if self.epochs_per_frame is None else min(self.epochs_per_frame,
                                                                  self.chunk)
        stop = self.stop_at
        stop = stop if stop is not None and self.trainer.epoch < stop else None
        if stop is not None:
            n = min(n, stop - self.trainer.epoch)  # exactly N, whatever the chunk
        diverged, dt = self._run_epochs(n)
        if diverged:
            return
        if stop is not None and self.trainer.epoch == stop:
            self._set_playing(False)
            self._record_test()
            self._publish_now()
            self._status(f"stopped at epoch {stop:,} (Stop at); Play trains on")
            return
        now = time.perf_counter()
        self._adapt(n, dt)
        if self._slow_said or self.epoch_s >= SLOW_EPOCH_S:
            self._say_slow()
        if self.epochs_per_frame is None:
            # Publish now if waiting for the next chunk would overshoot the frame more, and
            # the GUI has drawn the last snapshot (or has taken too long to).
            due = now - self._last_publish + dt / 2 >= self._publish_every
            late = now - self._last_publish >= max(MAX_PUBLISH_S, self._publish_every)
            publish = due and (self.drawn.is_set() or late)
        else:
            publish = True
        if publish:
            # The snapshot's metrics record this epoch's test loss: no pass of its own.
            self._last_test = now
        elif now - self._last_test >= 2 * FRAME_S:  # ~30 points a second besides the frames':
            self._record_test()                     # the curve keeps its shape when sparse
            self._last_test = now
        if not publish:
            self._dirty = True
            return
        self._publish_now()
        if self.epochs_per_frame is not None:  # paced: the next frame's time
            self._next_frame = max(self._next_frame + FRAME_S, now - FRAME_S)

    def _adapt(self, n: int, dt: float) -> None:
        self.epoch_s = dt / max(n, 1)
        if n == self.chunk:
            self.chunk = _next_chunk(n, dt)

    def _step_chunk(self, step: _Stepping) -> None:
        """One chunk of a Step, at full speed (the speed slider and Stop at are Play's): the
        test loss at the same epochs as ever (every ``piece``), progress drawn when the Step
        is shown as training."""
        if step.sweep:
            self._sweep_step_chunk(step)
            return
        left = step.total - step.done
        n = min(left, _pow2_at_most(min(self.chunk, step.piece - step.done % step.piece)))
        diverged, dt = self._run_epochs(n)
        if diverged:  # published, and the Step ended (_set_playing)
            return
        step.done += n
        self._adapt(n, dt)
        if step.done % step.piece == 0 or step.done == step.total:
            self._record_test()
        if step.done >= step.total:
            self._set_playing(False)  # the Step ends: the window's button says Play again
            self._dirty = True
            return
        if not step.shown and left * self.epoch_s > STEP_SHOWN_S:
            step.shown = True
            self._playing_cb(True)
        if step.said or self.epoch_s >= SLOW_EPOCH_S:
            self._say_slow()
        if not step.shown:
            self._dirty = True
            return
        now = time.perf_counter()
        due = now - self._last_publish + dt / 2 >= self._publish_every
        late = now - self._last_publish >= max(MAX_PUBLISH_S, self._publish_every)
        if due and (self.drawn.is_set() or late):
            self._publish_now()
        else:
            self._dirty = True

    def _sweep_step_chunk(self, step: _Stepping) -> None:
        """One chunk of a Step of the sweep, sized as Play's (the driver's ``chunk``, about
        CHUNK_TARGET_S); its snapshots paced as Play's while the Step is shown as training."""
        d = self.sweep
        left = step.total - step.done
        n = min(left, d.chunk)
        dt = d.advance(n, should_stop=self.stopping.is_set)
        step.done += n
        if n == d.chunk:
            d.chunk = _next_chunk(n, dt)
        if step.done >= step.total or bool(np.all(d.sweep.diverged)):
            self._set_playing(False)  # the Step ends: the window's button says Play again
            self._sweep_dirty = True
            return
        if not step.shown and left * self._epoch_seconds(True) > STEP_SHOWN_S:
            step.shown = True
            self._playing_cb(True)  # the window's Pause button stops it
        if step.said or self._epoch_seconds(True) >= SLOW_EPOCH_S:
            self._say_slow()
        self._publish_sweep_if_due(time.perf_counter(), dt, may=step.shown)

    # --- publishing --------------------------------------------------------------------------

    def model_shown(self) -> ModelAt:
        """The model the views draw: the live one, or the past epoch the timeline shows."""
        t = self.trainer
        epoch, state = self._state_shown()
        lr = float(state.opt_state.hyperparams["learning_rate"])
        coming = self._row_coming
        coming = coming is not None and coming.run is self.run and coming.epoch == epoch
        return ModelAt(t, state.params, epoch, lr, (self.run_id, self.log.name), self.log,
                       past=epoch < t.epoch, state=state, playing=self._training(),
                       gradient_row=self._row_coming.norms if coming else "")

    def make_snapshot(self, diverged: bool = False, answer: bool = False) -> Snapshot:
        """The snapshot of the model shown; ``answer``: it answers the user (made while paused,
        after a command): a slow probe gives way to it (see SLOW_PROBE_S)."""
        self._take_start_row()
        t = self.trainer
        model = self.model_shown()
        m, metrics_epoch = self._numbers(model, answer)
        # The test loss of the weights after epoch E is drawn at E + 1 (see _record_test), but
        # not that of the best weights a divergence put back (see runlog.diverged_end).
        if metrics_epoch < 0 and not model.past and t.epoch > 0 and (
                not len(self.test_epochs) or self.test_epochs[-1] != t.epoch + 1) and \
                self.log.weights_of(t.epoch) == t.epoch:
            self.log.record_test(t.epoch + 1, m.test_loss)
        grid = None
        if self.grid_points is not None and self.grid_wanted:
            # The device copy the probes look up too (the same object: see shares_grid).
            device = grid_device(self.grid_points)
            if any(shares_grid(fn, self.grid_points, t.spec) for fn in self.probes.values()):
                # The maps probes draw every layer over this grid: one pass for both.
                acts = drawing_layers(t.spec, model.params, device)
                values = np.asarray(scores(t.spec, t.config.loss, acts[-1]))
            else:
                values = t.predict_for_drawing(device, model.params)
            xs, ys = self._grid_axes
            if len(ys):
                values = values.reshape(len(ys), len(xs), -1)
            if values.shape[-1] == 1:
                values = values[..., 0]
            grid = Grid(xs, ys, values)
        extras, pending = self._run_probes(model, answer)
        le, lv = self.history.arrays()
        # The divergence that ended the live branch, while it ends there (scrubbed back to an
        # earlier epoch too); not once it has trained on, nor on another branch or run.
        d = self.log.divergence
        divergence = d[1] if d is not None and d[0] == t.epoch else ""
        message = divergence if diverged else ""
        branches = branch_curves(self.run, self._branch_end_loss)
        return Snapshot(self.run_id, model.epoch, t.spec, t.config, m, le, lv,
                        self.test_epochs.copy(), self.test_values.copy(),
                        params_seen(model.params), grid, diverged, message, extras=extras,
                        live_epoch=t.epoch, first_epoch=self.log.checkpoints[0].epoch,
                        branch=self.log.name, branches=branches,
                        branch_fork=int(self.log.fork_epoch),
                        weights_epoch=self._weights_epoch(model.epoch), divergence=divergence,
                        restarts=tuple(c.epoch for c in self.log.checkpoints
                                       if c.weights_of >= 0),
                        checkpoint_epochs=tuple(c.epoch for c in self.log.checkpoints),
                        asked_epoch=-1 if self.view_epoch is None else int(self.view_epoch),
                        # (the loss at history epoch E is that of the weights after E - 1)
                        best_loss=self.history.best, best_epoch=self.history.best_epoch - 1,
                        rates=self.log.rates(),
                        end_loss=self._end_loss(model, m) if metrics_epoch < 0 else math.nan,
                        pending=frozenset(pending), metrics_epoch=metrics_epoch)

    def _numbers(self, model: ModelAt, answer: bool) -> tuple[Metrics, int]:
        """(the metrics of ``model``, -1), or, while a costly network plays at full speed
        (METRICS_EVERY_S), the last ones measured and the epoch they are of."""
        t = self.trainer
        if self._measured_start(model.params):
            # measured by the preparation (_prepare): the same weights and data
            return self._start_numbers[3], -1
        kept, now = self._numbers_kept, time.perf_counter()
        if kept is not None and not answer and model.playing and not model.past and \
                self._step is None and self.epochs_per_frame is None and \
                kept.trainer is t and kept.log is self.log and kept.data is t.data and \
                kept.epoch <= model.epoch and now - kept.when < METRICS_EVERY_S:
            return kept.metrics, -1 if kept.epoch == model.epoch else kept.epoch
        m = t.evaluate(model.params)
        costly = 2 * len(t.data.X) * t.spec.n_params > METRICS_FLOPS
        self._numbers_kept = _KeptNumbers(t, self.log, t.data, model.epoch, m, now) \
            if costly and model.playing and not model.past else None
        return m, -1

    def _run_probes(self, model: ModelAt, answer: bool) -> tuple[dict, set]:
        """The views' probes on ``model``: (their results, the names of those that gave way
        and carry their last result, or none, until they are computed: SLOW_PROBE_S; or that
        wait for numbers measured elsewhere, preempt.Later: ``_probes_waiting``)."""
        extras, pending = {}, set()
        self._probes_waiting = set()
        for name, fn in list(self.probes.items()):
            last = self._probe_last.get(name)
            last = last[1] if last is not None and last[0] == self.run_id else None
            if answer and name in self._probe_slow:
                if last is not None:
                    extras[name] = last
                pending.add(name)
                continue
            t0 = time.perf_counter()

            def give_way(t0=t0) -> bool:
                return not self.commands.empty() or self.stopping.is_set() or (
                    answer and time.perf_counter() - t0 > SLOW_PROBE_S)
            try:
                with np.errstate(all="ignore"), preempt.when(give_way, later=True):
                    # (a diverging model's numbers overflow: fine)
                    value = fn(model, self.grid_points)
            except preempt.Later as e:  # its numbers come from elsewhere: a fresh snapshot then
                if last is not None:
                    extras[name] = last
                pending.add(name)
                self._probes_waiting.add(name)
                self._await(name, e.future)
                continue
            except preempt.Preempted:
                if time.perf_counter() - t0 > SLOW_PROBE_S:
                    self._probe_slow.add(name)
                if last is not None:
                    extras[name] = last
                pending.add(name)
                continue
            except Exception as e:  # noqa: BLE001 -- a view's bug must show, but only once
                self.probes.pop(name, None)
                failure = ViewFailed(f"view {name!r} failed and was switched off: "
                                     f"{type(e).__name__}: {e}")
                failure.__cause__ = e
                self._report(failure)
                continue
            if not model.playing and time.perf_counter() - t0 <= SLOW_PROBE_S:
                # (only a probe that gave way is skipped: one that never asks whether to would
                # leave its view a snapshot behind for nothing; a playing run's throttled
                # probes hand out their last result, which says nothing of their cost)
                self._probe_slow.discard(name)
            extras[name] = value
            self._probe_last[name] = (self.run_id, value)
        return extras, pending

    def _await(self, name: str, future: Future | None) -> None:
        """Hear (a ProbeCame) when ``future``, the numbers probe ``name`` waits for, is done:
        once per Future, however many snapshots go out meanwhile."""
        if self._probes_awaited.get(name) is future:
            return
        self._probes_awaited[name] = future
        future.add_done_callback(lambda _f: self.post(ProbeCame(name)))

    def _end_loss(self, model: ModelAt, m: Metrics) -> float:
        """Snapshot.end_loss: the live end's train loss, which the next epoch prints (nan where
        it prints another number). Shown in the past, the live weights' loss is worked out once
        for the state they are in (scrubbing asks for it at every epoch shown)."""
        t = self.trainer
        if not _own_end_loss(t, self.log, t.epoch):
            return math.nan
        if not model.past:
            self._end = (t.state, float(m.train_loss))
        elif self._end is None or self._end[0] is not t.state:
            with np.errstate(all="ignore"):
                self._end = (t.state, float(t.evaluate().train_loss))
        return self._end[1]

    def _branch_end_loss(self, log: RunLog) -> float:
        """BranchCurve.end_loss of branch ``log`` (not the live one): the training loss of the
        weights at its end on the data trained on now, which the readout says once the
        branch is live again -- nan where _end_loss is (mini-batches, a divergence's best
        weights put back, no epoch yet) or its end is not a checkpoint. Worked out once per
        end and data (RunLog.end_loss). The key under the plot gave a branch the loss its
        record printed last, the loss before its last epoch's update, and switched to, the
        readout said another number for the same branch."""
        t = self.trainer
        end = log.checkpoints[-1] if log.checkpoints else None
        if t is None or end is None or end.epoch != log.epoch or \
                not _own_end_loss(t, log, end.epoch):
            return math.nan
        kept = log.end_loss
        if kept is not None and kept[0] == end.epoch and kept[1] is t.data and \
                kept[2] == t.padded:
            return kept[3]
        with np.errstate(all="ignore"):
            loss = float(t.evaluate(end.state.params).train_loss)
        log.end_loss = (end.epoch, t.data, t.padded, loss)
        return loss

    @property
    def grid_wanted(self) -> bool:
        """Whether snapshots carry the grid's prediction (see DrawGrid)."""
        return self.grid_users is None or bool(self.grid_users)

    def _weights_epoch(self, epoch: int) -> int:
        """Snapshot.weights_epoch of the model at ``epoch``: -1 unless a divergence put an
        earlier epoch's weights back there."""
        w = self.log.weights_of(epoch)
        return w if w != epoch else -1

    def _publish_now(self, diverged: bool = False, answer: bool = False) -> None:
        """Publish the snapshot of the model shown; ``answer``: see make_snapshot."""
        if self.trainer is None:
            return
        self._dirty = False
        if self.paced:
            self.drawn.clear()
        t0 = time.perf_counter()
        snapshot = self.make_snapshot(diverged, answer)
        self._probes_due = bool(snapshot.pending - self._probes_waiting)
        self._last_publish = time.perf_counter()
        # The next snapshot comes once the training has had (1 - SNAPSHOT_SHARE) of the time:
        # a costly snapshot is made less often. The smaller of the last two costs: a snapshot
        # that compiled something (a new model, a view's probe) must not slow the next ones down.
        cost, self._snapshot_cost = min(self._snapshot_cost, self._last_publish - t0), \
            self._last_publish - t0
        steps = min(BIG_FRAME_S, FRAME_STEPS * self.epoch_s / _steps_per_epoch(self.trainer)) \
            if self.epoch_s else 0.0
        self._publish_every = max(FRAME_S, steps, cost * (1 - SNAPSHOT_SHARE) / SNAPSHOT_SHARE)
        self._publish(snapshot)

    def _fail(self, e: Exception) -> None:
        self._set_playing(False)
        self._report(e)
        self._status("")

    def _report(self, e: Exception) -> None:
        """Tell the window of ``e``, stamped with the model it was about (see failed_at)."""
        t = self.trainer
        if self.sweeping:
            about = None  # the sweep's: the Compare tab, not the run's views
        elif t is None:
            about = (self.run_id, None, None, None)  # no model: its settings failed
        else:
            shown = t.epoch if self.view_epoch is None else self.view_epoch
            about = (self.run_id, self.log.name, int(shown), int(t.epoch))
        try:
            e.nnviz_failed_at = about
        except AttributeError:  # (an exception type without a __dict__)
            pass
        self._error(e)

    def release(self, wait: bool = True) -> None:
        """Drop the run's device arrays and the views' probes (after the loop has stopped): what
        remains of them is then freed in an orderly way now, not by the interpreter's last
        collection. ``wait``: for the compiles ahead and the preparations given up to end their
        call under way (False: the app quits; their threads end after it, on their own)."""
        if self._preparing is not None:
            self._preparing.shutdown(wait=wait, cancel_futures=True)
            self._preparing = None
        while self._given_up:  # (each is at the end of its call under way, at most)
            self._given_up.pop().shutdown(wait=wait, cancel_futures=True)
        if self._start_rows is not None:
            self._start_rows.shutdown(wait=wait, cancel_futures=True)
            self._start_rows = None
        self.trainer, self._start_numbers, self._row_coming = None, None, None
        self.sweep = None
        for fn in self.probes.values():
            _stop_beside(fn)
        self.probes.clear()
        self._probes_awaited.clear()
        self.grid_points, self._grid_axes = None, None
        self.__dict__.pop("_grid_device", None)
        while True:  # commands never run (a queued problem holds a Dataset and weights)
            try:
                self.commands.get_nowait()
            except queue.Empty:
                break


def _stop_beside(probe) -> None:
    """A probe no longer run: the work it has under way on a thread of its own (a landscape)
    stops at its next check (``stop_beside``, where it has such work)."""
    stop = getattr(probe, "stop_beside", None)
    if stop is not None:
        stop()


def _timed(fn, *args) -> tuple[Any, float]:
    """(``fn(*args)``, the seconds it took in this thread)."""
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def _row_beside(trainer: Trainer) -> bool:
    """Whether ``trainer``'s start has its gradient row measured beside the first frame
    (BESIDE_START_S), not before it."""
    return _guess_epoch_s(trainer.spec, trainer.data) >= BESIDE_START_S


def _prepared_text(total_s: float, compile_s: float, measure_s: float) -> str:
    """The status line after a preparation of ``total_s`` s: the compile's seconds said as
    such, and the measuring of the start (the metrics over every point, the views' first
    numbers) apart -- 2-512x4-1 at 100,000 points said "compiled in 13 s" for ~1.4 s of
    compile (a warm cache) and the rest measuring."""
    if total_s <= 0.2:
        return "ready"
    if measure_s <= 0.2 or measure_s < compile_s / 2:
        return f"compiled in {compile_s:.1f} s" if compile_s > 0.2 else "ready"
    if compile_s <= 0.2:
        return f"ready: the start's numbers in {measure_s:.1f} s"
    return f"compiled in {compile_s:.1f} s; the start's numbers in {measure_s:.1f} s"


class _Warming:
    """``trainer`` as the compile's warm-up hands it to the views' probes: its start's gradient
    row marked (ModelAt.gradient_row), so that the gradient probe compiles what the first
    snapshot will call, and takes no gradient over every point that the run measures anyway."""

    def __init__(self, trainer: Trainer, gradient_row: str) -> None:
        self._trainer, self.gradient_row = trainer, gradient_row

    def __getattr__(self, name: str):
        return getattr(self.__dict__["_trainer"], name)


def _same_weights(a, b) -> bool:
    """Whether weights ``a`` and ``b`` (lists of (W, b)) are the same, bit for bit."""
    if a is b:
        return True
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(
        x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes()
        for x, y in zip(jax.device_get(la), jax.device_get(lb)))


def _with_train_count(data: Dataset, n: int) -> Dataset:
    """``data`` with ``n`` training points (its first ones, or repeated): the shapes of an
    edited data set of that many points, for compiling ahead."""
    idx = data.train_index
    return replace(data, train_index=idx[:n] if n <= len(idx) else np.resize(idx, n))


def _prepare_size(spec, config, data: Dataset, params, seed: int) -> None:
    """Compile the padded runner, metrics and gradient statistics of ``data``'s shapes (a
    compiled function serves every trainer of the same shapes); a failure is left for the
    edit itself to report."""
    try:
        p = Trainer(spec, config, data, params=params, seed=seed, padded=True)
        p.compile()
        p.evaluate()
        p.test_loss()
        gradient_row(p)
    except Exception:  # noqa: BLE001 -- an edit compiles (and reports) for itself
        pass


class ViewFailed(RuntimeError):
    """A view's probe raised: the view was switched off (a bug, reported once)."""


def failed_at(e: BaseException) -> tuple | None:
    """The model a failure TrainLoop reported was about, as the snapshots of that model say it:
    (run id, branch, epoch shown, live epoch); (run id, None, None, None) when the run had no
    model (its settings failed to compile); None when not one model's (the thread's end, a
    sweep's). The window's banner says the failure while that model is shown."""
    return getattr(e, "nnviz_failed_at", None)


def describe(e: BaseException) -> str:
    """What to tell the user about a failure: the message of a user's error; for anything
    else (a bug) a first line, then the details after a blank line."""
    if isinstance(e, NnvizError):
        return str(e)
    cause = e.__cause__ or e
    detail = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
    return f"{type(e).__name__}: {e}\n\n{detail}"
