"""A sweep driven by the training loop: chunks of epochs, and pictures of every member.

:class:`SweepDriver` wraps a :class:`~nnviz.core.sweep.Sweep` for :class:`~nnviz.core.loop.TrainLoop`
(which owns the thread): it advances all members in chunks sized to about a frame, measures the
members x epochs per second, and makes a :class:`SweepSnapshot` -- numpy only, immutable -- of
every member's model over a small grid of the input plane, its loss curve and its scores. The
Compare view draws from the latest snapshot; nothing here knows about Qt.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import activations as acts
from .data import MAX_SEED, Dataset
from .errors import NnvizError
from .network import MAX_WIDTH
from .runlog import Run, RunLog, host_state
from .snapshot import make_grid_points
from .sweep import MAX_MEMBERS
from .training import MAX_LEARNING_RATE, MAX_PENALTY_RATE

# The side of one member's tile: a small picture, many of them.
TILE_RES = 48
TILE_RES_MANY = 32  # above MANY_MEMBERS members
MANY_MEMBERS = 24
CURVE_RES = 400  # points along the line of 1-D data
SCORES_EVERY_S = 0.25  # while playing, the members' scores are evaluated at most this often
CURVE_POINTS = 300  # a loss curve is thinned to about this many points for drawing


def member_label(values: dict, axes: tuple) -> str:
    """A member's swept values, short: "lr 0.1, seed 3"."""
    return ", ".join(f"{axis_title(a.name, short=True)} {format_value(values[a.name])}"
                     for a in axes)


_TITLES = {"learning_rate": ("learning rate", "lr"), "init_seed": ("initial weights seed",
                                                                   "init"),
           "seed": ("seed", "seed"), "l2": ("L2", "L2"), "l1": ("L1", "L1"),
           "hidden": ("hidden layer widths", "widths"), "activation": ("activation", "activation"),
           "width": ("width", "width"), "noise": ("noise", "noise"),
           "label_noise": ("label noise", "flip")}


def axis_title(name: str, short: bool = False) -> str:
    long, brief = _TITLES.get(name, (name.replace("_", " "), name.replace("_", " ")))
    return brief if short else long


def format_value(v: Any) -> str:
    if isinstance(v, (tuple, list)):
        return "-".join(format_value(x) for x in v)
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


class AxisError(NnvizError):
    """Values of an axis that cannot be swept; the message is meant for the user."""


#: How the command line's sweep says its limit (``nnviz sweep``; the Compare tab has its own).
MEMBERS_LIMIT = (MAX_MEMBERS, f"a sweep has at most {MAX_MEMBERS:,} members")


def parse_values(name: str, text: str, limit: tuple[int, str] = MEMBERS_LIMIT) -> tuple:
    """The values typed for axis ``name``, comma-separated (for seeds also a range "0-15").
    ``limit``: (the most members a sweep trains, the words that say so): a range of more seeds
    is refused with them before it is made."""
    most, limit_text = limit
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise AxisError(f"{axis_title(name)}: type one value or more, separated by commas")
    out: list = []
    for p in parts:
        try:
            if name in ("seed", "init_seed"):
                if "-" in p[1:]:
                    a, b = p.split("-", 1)
                    lo, hi = int(a), int(b)
                    if hi < lo:  # "5-2" said "cannot read", which hid what was wrong
                        raise AxisError(f"{axis_title(name)}: {p} runs backwards; write the "
                                        f"smaller seed first: {hi}-{lo}")
                else:
                    lo = hi = int(p)
                # Checked before the range is made: 0-4000000000 built a list of 4e9 seeds.
                if lo < 0 or hi > MAX_SEED:
                    raise AxisError(f"{axis_title(name)}: seeds are whole numbers from 0 "
                                    f"to {MAX_SEED:,}")
                if hi - lo >= most:
                    raise AxisError(f"{axis_title(name)}: {p} is {hi - lo + 1:,} seeds; "
                                    + limit_text)
                out.extend(range(lo, hi + 1))
            elif name in ("learning_rate", "l1", "l2"):
                v = float(p)
                # The window's fields' bounds, which a run's settings take (TrainConfig).
                lr = name == "learning_rate"
                high = MAX_LEARNING_RATE if lr else MAX_PENALTY_RATE
                if v != v or not (0 < v if lr else 0 <= v) or v > high:
                    raise AxisError(f"{axis_title(name)}: '{p}' is out of range: it takes "
                                    + (f"more than 0, up to {high:,g}" if lr else
                                       f"0 to {high:,g}"))
                out.append(v)
            elif name == "hidden":
                widths = tuple(int(w) for w in p.split("-"))
                if not widths or min(widths) < 1 or max(widths) > MAX_WIDTH:
                    raise AxisError(f"hidden layers: {p}: widths are 1 to {MAX_WIDTH}")
                out.append(widths)
            elif name == "activation":
                if p not in acts.ACTIVATIONS:
                    raise AxisError(f"activation: unknown {p!r}; known: "
                                    f"{', '.join(acts.ACTIVATIONS)}")
                out.append(p)
            else:
                raise AxisError(f"cannot sweep {name!r}")
        except AxisError:  # a ValueError too: it said "cannot read" instead of the reason
            raise
        except ValueError:
            raise AxisError(f"{axis_title(name)}: cannot read {p!r}") from None
    if len(set(out)) != len(out):
        raise AxisError(f"{axis_title(name)}: a value is given twice")
    return tuple(out)


def thin_curve(epochs: np.ndarray, values: np.ndarray, n: int = CURVE_POINTS):
    """At most about ``n`` points of a loss curve, the last one kept (for drawing)."""
    if len(epochs) <= n:
        return epochs, values
    step = int(math.ceil(len(epochs) / n))
    idx = np.r_[np.arange(0, len(epochs) - 1, step), len(epochs) - 1]
    return epochs[idx], values[idx]


@dataclass(frozen=True)
class SweepSnapshot:
    """Every member of a sweep at one moment (numpy only; safe on any thread)."""

    sweep_id: int
    epoch: int
    axes: tuple  # ((name, values), ...) in the order swept
    members: tuple  # per member: {axis name: value}
    labels: tuple[str, ...]
    dataset: Dataset
    xs: np.ndarray  # the grid: 2-D data: (res,) and ys (res,); 1-D: xs (res,), ys empty
    ys: np.ndarray
    values: np.ndarray | None  # (members, res_y, res_x[, K]) or (members, res[, K]); None: no plane
    loss_curves: tuple  # per member: (epochs, values), thinned for drawing
    test_curves: tuple  # per member: (epochs, values)
    scores: tuple  # per member: {train_loss, test_loss, train_accuracy, test_accuracy, epoch, diverged}
    diverged: np.ndarray  # (members,) bool
    member_epochs_per_second: float = 0.0
    message: str = ""
    extras: dict = field(default_factory=dict)

    @property
    def n_members(self) -> int:
        return len(self.members)

    def best(self) -> int | None:
        """The member with the lowest test loss (train loss without a test set) among those
        that did not diverge; None if none qualifies, before any epoch has run (the members'
        starting losses are the same weights', or a seed's luck) and while the lowest is tied
        (at epoch 0 of a learning-rate sweep the star went to the first row as if it had won)."""
        if self.epoch <= 0:
            return None
        key = "test_loss" if any(math.isfinite(s.get("test_loss", math.nan))
                                 for s in self.scores) else "train_loss"
        ranked = sorted((v, i) for i, s in enumerate(self.scores)
                        if not s.get("diverged") and math.isfinite(v := s.get(key, math.nan)))
        if not ranked:
            return None
        if len(ranked) > 1 and math.isclose(ranked[0][0], ranked[1][0], rel_tol=1e-6,
                                            abs_tol=1e-12):
            return None
        return ranked[0][1]


class SweepDriver:
    """One sweep in the training thread. Not thread-safe: the loop's thread drives it."""

    def __init__(self, sweep_id: int, sweep) -> None:
        self.sweep_id, self.sweep = sweep_id, sweep
        self.chunk = 8  # epochs a chunk: the loop sizes it to about a frame (first_chunk)
        self.epoch_s: float | None = None  # seconds the last chunk took an epoch (None: none yet)
        self.rate = 0.0  # members x epochs per second, smoothed
        self._scores, self._scores_at = None, 0.0
        data = sweep.spec.base.dataset
        self.dataset = data
        self.xs = self.ys = np.zeros(0, np.float32)
        self.grid_points = None
        if data.n_features == 2:
            res = TILE_RES if sweep.n_members <= MANY_MEMBERS else TILE_RES_MANY
            self.xs, self.ys, self.grid_points = make_grid_points(data.bounds(0.1), res)
        elif data.n_features == 1:
            self.xs, self.ys, self.grid_points = make_grid_points(data.bounds(0.1), CURVE_RES)
        axes = sweep.spec.axes
        self.members = tuple(dict(m) for m in sweep.spec.members())
        self.axes = tuple((a.name, tuple(a.values)) for a in axes)
        self.labels = tuple(member_label(m, axes) for m in self.members)

    def warm_up(self) -> None:
        """Compile the sweep's chunk now (paused, nothing trained) and what a snapshot calls:
        the first Play then trains at once."""
        self.sweep.compile()
        self.snapshot()

    def advance(self, n: int, should_stop=None) -> float:
        """Train every member ``n`` epochs; returns the seconds it took."""
        t0 = time.perf_counter()
        alive = int(np.count_nonzero(~np.asarray(self.sweep.diverged)))
        self.sweep.advance(int(n), should_stop)
        dt = time.perf_counter() - t0
        if dt > 0 and n > 0:
            self.epoch_s = dt / n
            rate = alive * n / dt
            self.rate = rate if self.rate == 0 else 0.7 * self.rate + 0.3 * rate
        return dt

    def snapshot(self, message: str = "", playing: bool = False) -> SweepSnapshot:
        """Every member now. ``playing``: the scores (an evaluation of every member: numbers to
        read, not to watch move) are those of the last SCORES_EVERY_S."""
        s = self.sweep
        values = None
        if self.grid_points is not None:
            with np.errstate(all="ignore"):
                v = np.asarray(s.predict(self.grid_points), np.float32)  # (M, N, out)
            if len(self.ys):
                v = v.reshape(v.shape[0], len(self.ys), len(self.xs), -1)
            if v.shape[-1] == 1:
                v = v[..., 0]
            values = v
        curves, tests = [], []
        for log in s.logs:
            curves.append(thin_curve(*log.losses.arrays()))
            tests.append(thin_curve(log.test.epochs.copy(), log.test.values.copy()))
        now = time.perf_counter()
        if not playing or self._scores is None or now - self._scores_at >= SCORES_EVERY_S:
            self._scores, self._scores_at = tuple(dict(x) for x in s.scores()), now
        scores = self._scores
        return SweepSnapshot(self.sweep_id, int(s.epoch), self.axes, self.members, self.labels,
                             self.dataset, self.xs, self.ys, values, tuple(curves), tuple(tests),
                             scores, np.array(s.diverged, bool).copy(), float(self.rate),
                             message)


def member_run(sweep, i: int):
    """(Trainer, Run) of member ``i`` as a run of its own: its problem, its weights and optimiser
    state now, and a copy of its record (losses, test loss, checkpoints: the timeline replays
    it). The Trainer is not compiled; the sweep is left as it was."""
    import jax
    log = sweep.logs[i]
    epoch = int(log.epoch)
    state = host_state(sweep.state(i))
    trainer = sweep.spec.problem_for(i).make_trainer()
    trainer.epoch = epoch  # first: setting the state starts the run's best there
    trainer.state = jax.device_put(state)
    copy = RunLog(losses=log.losses.copy(upto=epoch), test=log.test.truncated(epoch),
                  grads=log.grads.truncated(epoch) if log.grads is not None else None,
                  checkpoints=[c for c in log.checkpoints if c.epoch < epoch],
                  budget_bytes=log.budget_bytes, max_gap=log.max_gap)
    copy.checkpoint(epoch, state, "start" if epoch == 0 else "")
    return trainer, Run(copy)
