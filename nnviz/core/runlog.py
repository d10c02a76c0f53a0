"""The record of a run: every epoch's loss, the test loss, gradient statistics, and checkpoints
from which any epoch can be reached exactly.

Training is deterministic, so the state after epoch E is the nearest checkpoint at or before E
replayed forward (:func:`nnviz.core.training.Trainer.replay`). Checkpoints are taken where
``next_checkpoint`` says: every epoch at first, then ever further apart (a fixed fraction of the
epoch, at most ``max_gap`` epochs, so that a replay is short whatever the run's length), and
always at a user's action (a learning-rate change, an edited weight, a restore after a
divergence, a branch): those are *pinned*, since the epochs after them cannot be replayed from
an earlier state. When the unpinned checkpoints outgrow the memory budget, every other one is
dropped and the gaps double.

A run has branches (:class:`Run`): "Continue from here" forks the log at an epoch; the new
branch starts with a copy of its parent's record up to there.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import jax
import numpy as np

from .history import LossHistory
from .training import ChunkResult
from .errors import NnvizError

# Memory budget of one branch's unpinned checkpoints: about a thousand of the notebook's network,
# a handful of a 512-wide one (whose replay is then longer, but memory stays bounded).
CHECKPOINT_BUDGET_BYTES = 32 * 2**20
MIN_CHECKPOINTS = 8  # whatever a state costs, at least this many (besides the pinned ones)
MAX_CHECKPOINTS = 4096  # however small a state (each has a few hundred bytes of Python besides)
DENSITY = 32  # early on, a checkpoint every epoch / DENSITY epochs
MAX_GAP = 1024  # epochs between two checkpoints, at most (until the budget doubles it)
MAX_BRANCH_NAME = 40  # characters of a branch's name
# ... or up to 4x that for a problem whose epoch is as cheap as the notebook's (training points
# x weights at most SMALL_EPOCH_WORK / 4: its 160 x 111 = 17,760). There 1,024 epochs replay in
# ~6 ms, and a checkpoint (a copy of the state, a gradient row) every 1,024 epochs split a
# playing run's chunks in three: each piece of a chunk hands the GIL back and forth with the
# GUI thread, and the window trained 20-30% fewer epochs a second than with 4,096
# (bench/README, "The night of 2026-12-04"). A replay stays at most 4,096 such epochs (~25 ms).
SMALL_EPOCH_WORK = 80_000
TEST_CAPACITY = 2048
GRAD_CAPACITY = 2048
MAX_BRANCHES = 16


class BranchError(NnvizError):
    """A branch that cannot be made, renamed or deleted; the message is meant for the user."""


def host_state(state: Any) -> Any:
    """``state`` (a pytree of device arrays) as numpy copies, safe on any thread."""
    return jax.tree_util.tree_map(np.array, state)


def state_nbytes(state: Any) -> int:
    return int(sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(state)))


def branch_name(text: str) -> str:
    """A branch's name as the run keeps it: the words typed, one space apart."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Checkpoint:
    epoch: int  # the state after this many epochs
    state: Any  # a TrainState of numpy arrays (weights, optimiser state, shuffling key)
    pinned: str = ""  # why it is never thinned ("start", "learning rate", ...); "" if it may be
    # What the epochs after it read, as ``Trainer.feed_key``: None while it is the trainer's
    # own; a point edit (TrainLoop's SetData) stamps the old one on the checkpoints before it.
    data: Any = None
    # A divergence's restore: the state is that after this earlier epoch (the run's best), put
    # back at ``epoch``; -1 otherwise. What the window says it shows (a session keeps it).
    weights_of: int = -1


class SparseSeries:
    """Values at some epochs (the test loss, gradient statistics), bounded: when full, every
    other point of the older half goes."""

    def __init__(self, capacity: int, width: int = 0) -> None:
        self.capacity, self.width = capacity, width
        shape = (0, width) if width else (0,)
        self.epochs = np.zeros(0, np.int64)
        self.values = np.zeros(shape, np.float32)

    def add(self, epoch: int, value) -> None:
        value = np.asarray(value, np.float32)
        if self.width and value.shape != (self.width,):
            return  # a row of another network's shape: not this run's
        if len(self.epochs) and epoch <= self.epochs[-1]:
            keep = self.epochs < epoch  # the same epoch again (an edit): the newest counts
            self.epochs, self.values = self.epochs[keep], self.values[keep]
        self.epochs = np.append(self.epochs, epoch)
        self.values = np.concatenate([self.values, value[None] if self.width else value[None]])
        if len(self.epochs) > self.capacity:
            half = len(self.epochs) // 2
            self.epochs = np.concatenate([self.epochs[:half:2], self.epochs[half:]])
            self.values = np.concatenate([self.values[:half:2], self.values[half:]])

    def put(self, epoch: int, value) -> None:
        """``value`` at ``epoch`` in its place, the later epochs kept (``add`` takes them for
        an edit's): a row measured late (the start's gradient row of a big run, which came
        after the epochs trained meanwhile)."""
        value = np.asarray(value, np.float32)
        if self.width and value.shape != (self.width,):
            return
        if not len(self.epochs) or epoch > self.epochs[-1]:
            self.add(epoch, value)
            return
        keep = self.epochs != epoch
        epochs, values = self.epochs[keep], self.values[keep]
        i = int(np.searchsorted(epochs, epoch))
        self.epochs = np.insert(epochs, i, epoch)
        self.values = np.insert(values, i, value, axis=0)
        if len(self.epochs) > self.capacity:
            half = len(self.epochs) // 2
            self.epochs = np.concatenate([self.epochs[:half:2], self.epochs[half:]])
            self.values = np.concatenate([self.values[:half:2], self.values[half:]])

    def upto(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        keep = self.epochs <= epoch
        return self.epochs[keep].copy(), self.values[keep].copy()

    def truncated(self, epoch: int) -> "SparseSeries":
        s = SparseSeries(self.capacity, self.width)
        s.epochs, s.values = self.upto(epoch)
        return s

    def __len__(self) -> int:
        return len(self.epochs)


@dataclass
class RunLog:
    """One branch's record. Losses are per epoch (1-based: epoch E's loss is the notebook's,
    computed before E's update); checkpoints are states after ``epoch`` epochs."""

    name: str = "run 1"
    parent: str | None = None  # the branch this one was forked from
    fork_epoch: int = 0
    losses: LossHistory = field(default_factory=LossHistory)
    test: SparseSeries = field(default_factory=lambda: SparseSeries(TEST_CAPACITY))
    # Per checkpoint: ||dL/dW|| per layer, then the update ratio per layer.
    grads: SparseSeries | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)
    budget_bytes: int = CHECKPOINT_BUDGET_BYTES
    max_gap: int = MAX_GAP
    # Its colour on the loss plot: an index into the branch palette, given when the branch
    # joins a run (Run.add) and kept for its life; -1: none given yet.
    colour: int = -1
    # (epoch, message) of the divergence that ended this branch, while it ends there: the
    # window's banner says it whenever this branch is shown live at that end (None: none).
    divergence: tuple[int, str] | None = None
    # (its last epoch, the trainer's data, padded or not, the training loss of its end's
    # weights on that data), worked out once while another branch is live
    # (TrainLoop._branch_end_loss); not saved: a session's branches work it out again.
    # None: not yet.
    end_loss: tuple | None = field(default=None, compare=False, repr=False)

    # --- recording -------------------------------------------------------------------------

    @property
    def epoch(self) -> int:
        """The last epoch recorded (losses or a checkpoint)."""
        last_ckpt = self.checkpoints[-1].epoch if self.checkpoints else 0
        return max(self.losses.count, last_ckpt)

    def record_losses(self, first_epoch: int, values: np.ndarray) -> None:
        self.losses.extend(first_epoch, values)

    def record_test(self, epoch: int, value: float) -> None:
        if math.isfinite(value):
            self.test.add(epoch, value)

    def record_grads(self, epoch: int, norms: np.ndarray, ratios: np.ndarray) -> None:
        row = np.concatenate([np.asarray(norms, np.float32), np.asarray(ratios, np.float32)])
        if self.grads is None or self.grads.width != len(row):
            self.grads = SparseSeries(GRAD_CAPACITY, len(row))
        self.grads.add(epoch, row)

    def put_grads(self, epoch: int, norms: np.ndarray, ratios: np.ndarray) -> None:
        """``record_grads`` of a row measured late, put in its place (SparseSeries.put)."""
        row = np.concatenate([np.asarray(norms, np.float32), np.asarray(ratios, np.float32)])
        if self.grads is None or self.grads.width != len(row):
            self.grads = SparseSeries(GRAD_CAPACITY, len(row))
        self.grads.put(epoch, row)

    def has_grads(self, epoch: int) -> bool:
        """Whether a gradient row is recorded at ``epoch``."""
        return self.grads is not None and bool(np.any(self.grads.epochs == epoch))

    def gap(self, epoch: int) -> int:
        """How many epochs after ``epoch`` the next checkpoint is due: epoch / DENSITY, but never
        closer than the budget can keep over the run so far (epoch / the checkpoints it holds).
        A 2-512x8-1 network's budget holds 8: checkpoints every epoch, each a copy of its 8 MB
        and a gradient pass as costly as an epoch, were thinned away as fast as they were taken
        and halved the training's speed (bench/gui.py's headless loop)."""
        gap = max(1, epoch // DENSITY)
        if self.checkpoints:
            gap = max(gap, epoch // self._limit(self.checkpoints[-1].state))
        return int(min(self.max_gap, gap))

    @staticmethod
    def max_gap_for(points: int, n_params: int) -> int:
        """The ``max_gap`` of a run on ``points`` training points with ``n_params`` weights:
        MAX_GAP, doubled once or twice for the cheapest epochs (SMALL_EPOCH_WORK)."""
        factor = SMALL_EPOCH_WORK // max(1, int(points) * int(n_params))
        return MAX_GAP * (4 if factor >= 4 else 2 if factor >= 2 else 1)

    def _limit(self, state: Any) -> int:
        """How many unpinned checkpoints of ``state``'s size the budget holds."""
        size = state_nbytes(state)
        return min(max(MIN_CHECKPOINTS, self.budget_bytes // max(size, 1)), MAX_CHECKPOINTS)

    def next_checkpoint(self, epoch: int) -> int:
        """The epoch at which the next checkpoint is due, after a run now at ``epoch``."""
        last = self.checkpoints[-1].epoch if self.checkpoints else 0
        return max(epoch + 1, last + self.gap(last))

    def checkpoint(self, epoch: int, state: Any, pinned: str = "",
                   weights_of: int | None = None) -> None:
        """Keep ``state`` (the state after ``epoch`` epochs; copied to the host here; after a
        divergence, ``weights_of``: the earlier epoch whose weights were put back).

        ``weights_of`` None: the weights are those the log already holds at ``epoch`` -- a
        branch's end, a new learning rate or new points over a divergence's restore are still
        the best weights it put back (the counter lost its note of the restore once a branch
        was switched away from and back). An edit of the weights gives -1: their own."""
        if weights_of is None:
            weights_of = self.weights_of(epoch)
            weights_of = -1 if weights_of == epoch else weights_of
        ck = Checkpoint(int(epoch), host_state(state), pinned, weights_of=int(weights_of))
        # A later state at the same epoch (an edit, a restore) replaces the earlier one, unless
        # that one is pinned and this one is not.
        while self.checkpoints and self.checkpoints[-1].epoch >= ck.epoch:
            if self.checkpoints[-1].epoch == ck.epoch and self.checkpoints[-1].pinned and not pinned:
                return
            self.checkpoints.pop()
        self.checkpoints.append(ck)
        self._thin()

    def _thin(self) -> None:
        free = [i for i, c in enumerate(self.checkpoints) if not c.pinned]
        if not free:
            return
        if len(free) <= self._limit(self.checkpoints[free[0]].state):
            return
        # Every other unpinned checkpoint goes (the newest stays), and the gaps double.
        drop = set(free[-2::-2])
        self.checkpoints = [c for i, c in enumerate(self.checkpoints) if i not in drop]
        self.max_gap *= 2

    # --- reading ---------------------------------------------------------------------------

    def nearest(self, epoch: int) -> Checkpoint:
        """The last checkpoint at or before ``epoch``."""
        best = None
        for c in self.checkpoints:
            if c.epoch > epoch:
                break
            best = c
        if best is None:
            raise ValueError(f"no checkpoint at or before epoch {epoch}")
        return best

    def weights_of(self, epoch: int) -> int:
        """The epoch whose weights the state after ``epoch`` epochs holds: ``epoch`` itself,
        but where a divergence put the run's best weights back, that earlier epoch."""
        for c in reversed(self.checkpoints):
            if c.epoch <= epoch:
                return c.weights_of if c.epoch == epoch and c.weights_of >= 0 else epoch
        return epoch

    def rates(self) -> tuple[tuple[int, float], ...]:
        """The learning rates this branch trained at: (the epoch from which, rate), oldest
        first, from its checkpoints (a rate changes only at a pinned one: a change, a branch,
        a session's start; the first is the run's start)."""
        out: list[tuple[int, float]] = []
        for i, c in enumerate(self.checkpoints):
            if i and not c.pinned:
                continue
            try:
                lr = float(c.state.opt_state.hyperparams["learning_rate"])
            except (AttributeError, KeyError, TypeError):
                continue  # (a state without an injected rate: nothing to say)
            if not out or out[-1][1] != lr:
                out.append((int(c.epoch), lr))
        return tuple(out)

    def checkpoint_epochs(self) -> np.ndarray:
        return np.array([c.epoch for c in self.checkpoints], np.int64)

    def fork(self, epoch: int, state: Any, name: str) -> "RunLog":
        """A new branch: this record up to ``epoch``, then ``state`` (the state after ``epoch``
        epochs, with the settings the branch goes on with) as its pinned start."""
        child = RunLog(name=name, parent=self.name, fork_epoch=int(epoch),
                       losses=self.losses.copy(upto=epoch),
                       test=self.test.truncated(epoch),
                       grads=self.grads.truncated(epoch) if self.grads is not None else None,
                       checkpoints=[c for c in self.checkpoints if c.epoch < epoch],
                       budget_bytes=self.budget_bytes, max_gap=self.max_gap)
        child.checkpoint(epoch, state, "branch")
        return child

    def nbytes(self) -> int:
        n = sum(state_nbytes(c.state) for c in self.checkpoints)
        n += self.losses.capacity * 12 + self.test.capacity * 12
        if self.grads is not None:
            n += self.grads.capacity * (8 + 4 * self.grads.width)
        return n


class Run:
    """A run's branches; one of them is the live one."""

    def __init__(self, first: RunLog | None = None) -> None:
        """A run of ``first`` (None: no branch yet; ``add`` them, then set ``active``)."""
        self.branches: list[RunLog] = []
        self.active = 0
        if first is not None:
            self.add(first)

    def add(self, log: RunLog) -> RunLog:
        """``log`` joins the run as its last branch. It keeps its colour unless it has none or
        a branch of the run has it; then it takes the first one free: a branch's colour never
        moves to another while it lives (deleting "run 2" turned "run 3" run 2's colour)."""
        taken = {b.colour for b in self.branches}
        if log.colour < 0 or log.colour in taken:
            log.colour = next(i for i in range(len(taken) + 1) if i not in taken)
        self.branches.append(log)
        return log

    @property
    def log(self) -> RunLog:
        return self.branches[self.active]

    def names(self) -> list[str]:
        return [b.name for b in self.branches]

    def new_name(self) -> str:
        taken, i = set(self.names()), len(self.branches) + 1
        while f"run {i}" in taken:
            i += 1
        return f"run {i}"

    def branch(self, epoch: int, state: Any) -> RunLog:
        """Fork the live branch at ``epoch``; the new branch becomes the live one."""
        if len(self.branches) >= MAX_BRANCHES:
            raise BranchError(f"a run keeps at most {MAX_BRANCHES} branches: delete one first")
        child = self.add(self.log.fork(epoch, state, self.new_name()))
        self.active = len(self.branches) - 1
        return child

    def index(self, name: str) -> int:
        try:
            return self.names().index(name)
        except ValueError:
            raise BranchError(f"there is no branch {name!r}") from None

    def rename(self, name: str, new: str) -> None:
        new = branch_name(new)
        if not new:
            raise BranchError("a branch needs a name")
        if len(new) > MAX_BRANCH_NAME:
            raise BranchError(f"a branch name has at most {MAX_BRANCH_NAME} characters")
        if new != name and new in self.names():
            raise BranchError(f"there is already a branch {new!r}")
        i = self.index(name)
        for b in self.branches:
            if b.parent == name:
                b.parent = new
        self.branches[i].name = new

    def delete(self, name: str) -> None:
        if len(self.branches) == 1:
            raise BranchError("the only branch of a run cannot be deleted: Reset starts afresh")
        i = self.index(name)
        del self.branches[i]
        for b in self.branches:  # its children keep their whole record, and no parent: a
            if b.parent == name:  # name left naming it went to the next branch given it
                b.parent = None
        if self.active > i or self.active == len(self.branches):
            self.active = max(0, self.active - 1)


# --- driving a trainer with a log -------------------------------------------------------------


def advance(trainer, log: RunLog, n_epochs: int, should_stop=None, on_checkpoint=None):
    """Run ``trainer`` ``n_epochs`` epochs (fewer on a divergence or when ``should_stop()``),
    recording the losses and taking the checkpoints that ``log`` asks for;
    ``on_checkpoint(log)`` is called after each (to record what views need there).

    Returns the trainer's ``ChunkResult`` for all the epochs run. A divergence pins a checkpoint
    of the weights the trainer put back.
    """
    parts, diverged, left = [], False, int(n_epochs)
    if not log.checkpoints:
        log.checkpoint(trainer.epoch, trainer.state, "start")
    while left > 0 and not diverged and not (should_stop is not None and should_stop()):
        k = min(left, log.next_checkpoint(trainer.epoch) - trainer.epoch)
        first = trainer.epoch + 1
        result = trainer.run(k)
        log.record_losses(first, result.losses)
        parts.append(result.losses)
        left -= k
        diverged = result.diverged
        if diverged:
            log.checkpoint(trainer.epoch, trainer.state, "restored", trainer.best_epoch)
        elif trainer.epoch >= log.next_checkpoint(trainer.epoch - 1):
            log.checkpoint(trainer.epoch, trainer.state)
        else:
            continue
        if on_checkpoint is not None:
            on_checkpoint(log)
    losses = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return ChunkResult(losses, diverged)


def diverged_end(trainer, log: RunLog):
    """After a divergence: the weights whose loss ends the train curve, or None.

    The train losses end at epoch E = ``trainer.epoch`` (the loss of the weights after E - 1
    epochs) and the trainer holds the run's best weights, put back (``weights_of``). Those are
    not the weights after epoch E: their test loss belongs at E, beside E's train loss, not at
    E + 1 as a live run's. This drops test losses recorded past E and returns the weights after
    E - 1 epochs (replayed) to measure at E; None when there are none (E = 0) or the replay did
    not reach them."""
    e = int(trainer.epoch)
    if len(log.test) and log.test.epochs[-1] > e:  # measured before the epoch that blew up
        log.test = log.test.truncated(e)
    if e == 0:
        return None
    at, state = state_at(trainer, log, e - 1)
    return state.params if at == e - 1 else None


def measure_test(trainer, log: RunLog):
    """Measure the trainer's weights (after epoch E) and record their test loss at E + 1, where
    the window draws it; once per epoch. Returns the metrics, or None when nothing new was
    measured. For a run trained without the window (the Python API, ``nnviz train --save``)
    as an ``advance(on_checkpoint=...)``, and once before it (the initial weights, at epoch 1
    beside the train curve's first loss): its saved record then has a test curve as a run
    trained in the window has."""
    e = int(trainer.epoch) + 1
    if len(log.test) and int(log.test.epochs[-1]) == e:
        return None
    m = trainer.evaluate()
    log.record_test(e, m.test_loss)
    return m


def finish_test(trainer, log: RunLog, diverged: bool):
    """The test curve's last point after a run without the window: the final weights' (as
    ``measure_test``), or after a divergence the restored weights' at the epoch the train curve
    ends (``diverged_end``). Returns (epoch, metrics), or None when nothing new was measured."""
    if not diverged:
        m = measure_test(trainer, log)
        return None if m is None else (int(trainer.epoch) + 1, m)
    params = diverged_end(trainer, log)
    e = int(trainer.epoch)
    if params is None or (len(log.test) and int(log.test.epochs[-1]) == e):
        return None
    with np.errstate(all="ignore"):
        m = trainer.evaluate(params)
    log.record_test(e, m.test_loss)
    return e, m


def state_at(trainer, log: RunLog, epoch: int, start: tuple[int, Any] | None = None):
    """The state after ``epoch`` epochs of ``log``'s branch, replayed from the nearest
    checkpoint (or from ``start`` = (epoch, device state), when it is nearer and not past
    ``epoch``). Returns (epoch reached, device state): the epoch is ``epoch`` unless the replay
    met a loss that is not finite."""
    # Before the first checkpoint (a session saved without its record starts at its epoch)
    # nothing is reachable: the first one is shown.
    epoch = int(min(max(epoch, log.checkpoints[0].epoch), log.epoch))
    ck = log.nearest(epoch)
    if start is not None and ck.epoch <= start[0] <= epoch:
        at, state = start
    else:
        at, state = ck.epoch, jax.device_put(ck.state)
    if epoch > at:
        state, done = trainer.replay(state, epoch - at, ck.data)
        at += done
    return at, state


def stamp_data(run: Run, data) -> None:
    """Record ``data`` (a ``Trainer.feed_key``) on every checkpoint that has none yet: call it
    before the trainer's points change, so that replays before the change read the old ones."""
    for b in run.branches:
        if any(c.data is None for c in b.checkpoints):
            b.checkpoints = [replace(c, data=data) if c.data is None else c
                             for c in b.checkpoints]


def continue_from(trainer, run: Run, epoch: int, state, lr: float | None = None) -> RunLog:
    """Make ``run`` go on from ``state`` -- the state after ``epoch`` epochs of its live branch
    (see :func:`state_at`) -- as a new live branch that ``trainer`` trains at ``lr`` (None: the
    trainer's current rate). The branch left behind keeps its end as a checkpoint, to be switched
    back to. Nothing changes when the run has no room for another branch."""
    if len(run.branches) >= MAX_BRANCHES:
        raise BranchError(f"a run keeps at most {MAX_BRANCHES} branches: delete one first")
    lr = trainer.learning_rate if lr is None else lr
    run.log.checkpoint(trainer.epoch, trainer.state, "branch end")
    trainer.epoch, trainer.state = int(epoch), state
    trainer.set_learning_rate(lr)
    return run.branch(epoch, trainer.state)
