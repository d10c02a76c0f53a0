"""What the view draws: an immutable picture of a run at one moment, all numpy.

The GUI's worker makes one after a chunk of epochs (at most at the display's rate) and the view
redraws from the latest. ``run_id`` tells runs apart: a snapshot of an old run is never drawn.
"""
from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .network import NetworkSpec
from .training import Metrics, TrainConfig


@dataclass(frozen=True)
class Grid:
    """The model over the input plane (2-D data) or along the input line (1-D data).

    2-D: ``values`` has shape (res_y, res_x) -- P(class 1) or the regressed value -- or
    (res_y, res_x, K) class scores; row ``i`` is y = ys[i]. 1-D: ``values`` has shape (res,)
    or (res, K) at ``xs``; ``ys`` is empty.
    """

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class ModelAt:
    """One model of a run at one epoch, live or past: what a snapshot and a view's probe are
    computed from. The run's fixed parts (spec, settings, data and its device arrays) are read
    from ``source``, the run's Trainer, and never written; the weights are this epoch's own."""

    source: Any
    params: Any
    epoch: int
    learning_rate: float
    run_key: tuple  # (run id, branch name): a probe's memory of one run and branch
    log: Any = None  # the branch's RunLog (read in the worker thread only)
    past: bool = False  # an epoch before the branch's live end
    state: Any = None  # the whole TrainState shown (optimiser state, key): the backprop view's
    playing: bool = False  # made while the run plays (a throttled probe may hand out its last)
    # This epoch's gradient row (``inspect.gradient_row`` on every training point): "" in the
    # branch's log or to be taken; a Future: being measured on another thread (a big run's
    # start, TrainLoop), which a probe waits for (``preempt.Later`` with that Future) rather
    # than take that gradient itself; "known": measured, not in ``log`` (the compile's
    # warm-up model).
    gradient_row: Any = ""

    spec = property(lambda self: self.source.spec)
    config = property(lambda self: self.source.config)
    data = property(lambda self: self.source.data)
    X_train = property(lambda self: self.source.X_train)
    T_train = property(lambda self: self.source.T_train)
    grad_data = property(lambda self: getattr(self.source, "grad_data", None))

    def step_row(self):
        """The run's last epoch's gradient row (``Trainer.step_row``) when this is the live
        model (else None): the epoch just before this one."""
        if self.past or self.epoch != getattr(self.source, "epoch", None):
            return None
        row = getattr(self.source, "step_row", None)
        return row() if row is not None else None


@dataclass(frozen=True)
class Branch:
    """One branch's loss curve, for drawing beside the live one."""

    name: str
    epochs: np.ndarray
    values: np.ndarray
    fork_epoch: int
    # its colour: an index into the branch palette, given when the branch was made and kept for
    # its life, whichever branch is live or deleted (RunLog.colour; -1: not known, the order given)
    colour: int = -1
    end_epoch: int = -1  # its last epoch (-1: not known)
    # its learning rates: (the epoch from which, rate), oldest first (RunLog.rates; (): not known)
    rates: tuple[tuple[int, float], ...] = ()
    # The training loss of its end's weights, as the readout says it once the branch is live
    # ("Train loss after epoch E", Snapshot.end_loss): nan where that is another number
    # than its record would print next, or not known.
    end_loss: float = math.nan


@dataclass(frozen=True)
class Snapshot:
    run_id: int
    epoch: int
    spec: NetworkSpec
    config: TrainConfig
    metrics: Metrics
    loss_epochs: np.ndarray  # the kept epochs of the train-loss history (bounded, see history)
    loss_values: np.ndarray
    test_epochs: np.ndarray  # test loss, one point per evaluation
    test_values: np.ndarray
    params: tuple[tuple[np.ndarray, np.ndarray], ...]
    grid: Grid | None = None
    diverged: bool = False
    message: str = ""
    # Filled when a view asks for them (see the worker's options); None otherwise.
    layer_grids: tuple[np.ndarray, ...] | None = None  # per layer (res_y, res_x, units)
    grad_norms: tuple[float, ...] | None = None  # per layer, ||dL/dW||
    extras: dict = field(default_factory=dict)
    # The timeline: the branch's last epoch (``epoch`` is the one shown: < live_epoch in the
    # past), the branches of the run (the live one first is not implied: see ``branch``).
    live_epoch: int = -1
    first_epoch: int = 0  # the first epoch the record reaches (a file of format 1: its epoch)
    branch: str = ""
    branches: tuple[Branch, ...] = ()
    branch_fork: int = 0  # the epoch the live branch was made at (0: the run's first)
    # After a divergence, the earlier epoch whose weights (the run's best, put back at
    # ``epoch``) the views draw; -1 when they are ``epoch``'s own.
    weights_epoch: int = -1
    # What the divergence that ended the live branch says, while the branch ends there (the
    # banner's text; ``message`` is set only in the snapshot of the divergence itself); "" if none.
    divergence: str = ""
    # The live branch's epochs where a divergence put earlier weights back and the run went on
    # from them (the loss plot scales to what came after the last; its diverged epochs above).
    restarts: tuple[int, ...] = ()
    # The live branch's lowest training loss, exact (LossHistory.best: not the thinned curve's),
    # and the epoch whose weights have it (-1: none yet); the rates it trained at, (the epoch
    # from which, rate) oldest first (RunLog.rates): what the "too high" hint names.
    best_loss: float = math.inf
    best_epoch: int = -1
    rates: tuple[tuple[int, float], ...] = ()
    # The training loss of the live end's weights (the readout's "Train loss after epoch E"
    # there): the loss the record prints at live_epoch + 1 once that epoch runs, where the test
    # curve has its point of the same weights already. The loss plot draws it there, in the
    # past too, so that both curves end at the same epoch (review r22 F5). nan where the next
    # epoch prints another number: mini-batches (an epoch's loss is its batches' mean), best
    # weights a divergence put back, epoch 0 (no curve yet).
    end_loss: float = math.nan
    # The live branch's checkpoints (their epochs, oldest first): a past epoch is recomputed
    # from the last one at or before it, which on a big run takes seconds the timeline says
    # (review r23 F4). And the epoch the timeline asked to see that this snapshot answers
    # (-1: the live end): ``epoch`` itself unless that replay met a loss that is not finite.
    checkpoint_epochs: tuple[int, ...] = ()
    asked_epoch: int = -1
    # The views' probes that gave way to the user (core.loop.SLOW_PROBE_S): ``extras`` holds
    # their last result (of an earlier epoch), or none, and a snapshot with their own follows.
    pending: frozenset = frozenset()
    # The epoch whose weights ``metrics`` are of, where that is an earlier epoch of the live
    # branch than the one shown (-1: the weights shown, ``numbers_epoch``): a costly network's
    # numbers while it plays at full speed are measured a few times a second, not with every
    # frame (core.loop.METRICS_EVERY_S).
    metrics_epoch: int = -1

    @property
    def measured_epoch(self) -> int:
        """The run's epoch ``metrics`` were measured at: ``epoch``, or the earlier one of a
        costly network's numbers carried on while it plays (``metrics_epoch``)."""
        return self.metrics_epoch if self.metrics_epoch >= 0 else self.epoch

    @property
    def numbers_epoch(self) -> int:
        """The epoch whose weights ``metrics`` are of (a divergence's restored weights: the
        epoch they were put back from, ``weights_epoch``)."""
        return self.weights_epoch if self.restored and self.metrics_epoch < 0 \
            else self.measured_epoch

    @property
    def past(self) -> bool:
        return 0 <= self.epoch < self.live_epoch

    @property
    def trained_rate(self) -> float | None:
        """The learning rate that trained the shown epoch: that of the last change before it (a
        change pinned at epoch E trains epochs E + 1 on, as the exported script's
        ``lr_changes`` says); at epoch 0, the first. None: no rates known."""
        if not self.rates:
            return None
        rate = self.rates[0][1]
        for epoch, r in self.rates:
            if epoch >= self.epoch:
                break
            rate = r
        return rate

    @property
    def restored(self) -> bool:
        """The weights drawn are an earlier epoch's (``weights_epoch``): a divergence's."""
        return 0 <= self.weights_epoch != self.epoch


def make_grid_points(bounds: tuple[tuple[float, float], ...], res: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, points) covering ``bounds``; points are row-major (y outer) float32 rows.

    Bounds beyond float32's largest number stop there: raw features of +-3e38 widened by the
    plot's margin gave grid points of inf, and the plot drew no decision map."""
    top = float(np.finfo(np.float32).max)
    bounds = tuple((float(np.clip(lo, -top, top)), float(np.clip(hi, -top, top)))
                   for lo, hi in bounds)
    xs = np.linspace(*bounds[0], res, dtype=np.float32)
    if len(bounds) == 1:
        return xs, np.zeros(0, np.float32), xs[:, None]
    ys = np.linspace(*bounds[1], res, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)
