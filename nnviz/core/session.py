"""A session: everything a run is, saved to and opened from a ``.nnviz`` file.

A :class:`Session` holds the data (its points, plus the generator settings when it came from a
generator), the architecture, the training settings, the seed, the current and the initial
weights, the optimiser state, the shuffling key, the epoch and the loss history.
:meth:`Session.from_trainer` captures a :class:`~nnviz.core.training.Trainer`;
:meth:`Session.make_trainer` builds one that goes on exactly where the saved one stopped: the
same losses, bit for bit, as a run that was never interrupted (Adam, momentum and mini-batch
shuffling included).

The file is a zip (format ``nnviz-session``, version :data:`FORMAT_VERSION`) holding
``manifest.json`` (the settings, readable by people) and ``arrays.npz`` (the numbers, read with
``allow_pickle=False``); docs/session-format.md describes every field. Saving is atomic: the zip is
written to a temporary file in the same folder, flushed to disk, then renamed over the target, so
an interrupted save never destroys the file that was there. Opening validates everything and
raises :class:`SessionError` with a message naming the problem.
"""
from __future__ import annotations

import io
import json
import math
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, BinaryIO, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from nnviz import __version__
from . import limits, npzfile
from .csvdata import far_values_refused
from .data import CLASSIFICATION, MAX_SEED, REGRESSION, Dataset, DataError, DataSpec
from .history import LossHistory
from .losses import LossError
from .fileio import OutputError, atomic_write
from .network import NetworkSpec, SpecError, as_params
from .npzfile import ArrayHeader, NpzError
from .problem import Problem
from .runlog import MAX_BRANCH_NAME, Checkpoint, Run, RunLog, SparseSeries
from .training import (TrainConfig, Trainer, TrainingError, TrainState, check_learning_rate,
                       make_optimizer)
from .errors import NnvizError

FORMAT_NAME = "nnviz-session"
# 1: the optimiser state as positional leaves; 2: every state array named by its tree path
# (an optax field reorder cannot load Adam's mu into nu), and the run log with its branches and
# checkpoints. Version 1 files still open.
FORMAT_VERSION = 2
SUFFIX = ".nnviz"

# Limits that keep a hostile or broken file from exhausting memory (see nnviz.core.limits).
MAX_MANIFEST_BYTES = limits.MAX_MANIFEST_BYTES
MAX_ARRAYS_BYTES = 1 << 30  # no session within the limits comes near this
MAX_EPOCH = limits.MAX_EPOCH
MAX_OPEN_EPOCH = limits.MAX_OPEN_EPOCH
MAX_DIVERGENCE_TEXT = 4000  # characters of a branch's divergence message (a few hundred used)

_SETTING_ERRORS = (DataError, SpecError, TrainingError, LossError, TypeError, ValueError, KeyError,
                   OverflowError)

NumpyParams = tuple[tuple[np.ndarray, np.ndarray], ...]


class SessionError(NnvizError):
    """A session that cannot be saved or opened; the message is meant for the user."""


def _numpy_params(params) -> NumpyParams:
    return tuple((np.array(w, np.float32), np.array(b, np.float32).reshape(-1)) for w, b in params)


@dataclass(eq=False)
class Session:
    """Everything a run is. Arrays are numpy copies; nothing here is tied to a device or thread."""

    dataset: Dataset
    spec: NetworkSpec
    config: TrainConfig
    seed: int
    params: NumpyParams
    initial_params: NumpyParams
    epoch: int = 0
    # Leaves of the optimiser state in jax's flattening order; None = a fresh optimiser.
    opt_state: tuple[np.ndarray, ...] | None = None
    key: np.ndarray | None = None  # the mini-batch shuffling key; None = the seed's
    history: LossHistory = field(default_factory=LossHistory)
    test_epochs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    test_values: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    class_names: tuple[str, ...] | None = None  # display names of classes 0..K-1
    extras: dict[str, Any] = field(default_factory=dict)  # JSON-able view settings of the GUI
    # The run's record (branches, checkpoints); None for files of format 1, whose past epochs
    # were not recorded. Its live branch ends at ``epoch`` with the state above. A checkpoint
    # before a point edit holds the points its epochs trained on (``Checkpoint.data``).
    run: Run | None = None
    # The epochs train on padded data (``Trainer(padded=True)``): a run whose points were
    # edited; its epochs are then replayed and continued exactly as in the window.
    padded: bool = False
    # The epoch of the live branch the window showed when it was saved (its timeline rewound):
    # it opens there again. None: the live end (and files written before it was kept).
    shown_epoch: int | None = None
    # A learning rate set while the window showed ``shown_epoch``, waiting for where training
    # goes on next: Continue from here branches there at it (Play goes on from the live end at
    # ``config.learning_rate``, which is this rate too). None: none waits (and older files).
    pending_learning_rate: float | None = None

    # --- to and from a Trainer -----------------------------------------------------------------

    @classmethod
    def from_trainer(cls, trainer: Trainer, history: LossHistory | None = None, *,
                     test_epochs=None, test_values=None,
                     class_names: tuple[str, ...] | None = None,
                     extras: dict[str, Any] | None = None, run: Run | None = None,
                     learning_rate: float | None = None,
                     shown_epoch: int | None = None) -> "Session":
        """A snapshot of ``trainer`` (call it from the thread that drives the trainer).

        ``history`` is copied, so the caller may go on extending its own. With ``run`` (the
        trainer's run log), the history and test loss are its live branch's, and the whole
        record is kept (copied). ``learning_rate``: the rate the run goes on with from its end,
        chosen but not applied yet (set while the timeline showed the past): the file goes on at
        it, as the window would have; the epochs trained keep the rates they ran with.
        ``shown_epoch``: the past epoch the window shows (None: the live end), kept with ``run``;
        a ``learning_rate`` set there is kept as ``pending_learning_rate`` too, for a branch
        from the epoch shown.
        """
        state, config = trainer.state, trainer.config
        going_on = learning_rate is not None and float(learning_rate) != trainer.learning_rate
        if going_on:
            state = Trainer.with_learning_rate(state, float(learning_rate))
            config = replace(config, learning_rate=float(learning_rate))
        if run is not None:
            history = run.log.losses
            test_epochs, test_values = run.log.test.epochs, run.log.test.values
            run = _copy_run(run)
            if going_on:  # as the window's rate change: a replay from the end goes on at it
                run.log.checkpoint(trainer.epoch, state, "learning rate")
        h = history.copy() if history is not None else LossHistory()
        return cls(
            dataset=trainer.data, spec=trainer.spec, config=config, seed=int(trainer.seed),
            params=_numpy_params(state.params), initial_params=_numpy_params(trainer.initial_params),
            epoch=int(trainer.epoch),
            opt_state=tuple(np.array(x) for x in jax.tree_util.tree_leaves(state.opt_state)),
            key=np.array(state.key),
            history=h,
            test_epochs=np.asarray(test_epochs if test_epochs is not None else [], np.int64),
            test_values=np.asarray(test_values if test_values is not None else [], np.float32),
            class_names=tuple(class_names) if class_names is not None else None,
            extras=dict(extras or {}),
            run=run,
            padded=bool(trainer.padded),
            shown_epoch=None if run is None or shown_epoch is None else int(shown_epoch),
            pending_learning_rate=(float(learning_rate) if learning_rate is not None and
                                   run is not None and shown_epoch is not None else None),
        )

    @property
    def problem(self) -> Problem:
        """What the saved run trains (its initial weights, not where it stopped)."""
        return Problem(self.dataset, self.spec, self.config, self.initial_params, self.seed)

    def make_trainer(self) -> Trainer:
        """A Trainer that continues this session exactly (it is not compiled yet)."""
        self.validate()
        trainer = Trainer(self.spec, self.config, self.dataset, params=self.initial_params,
                          seed=self.seed, padded=self.padded)
        if self.opt_state is None:
            opt_state = trainer.state.opt_state
        else:
            treedef = jax.tree_util.tree_structure(trainer.state.opt_state)
            opt_state = jax.tree_util.tree_unflatten(
                treedef, [jax.device_put(np.asarray(x)) for x in self.opt_state])
        key = trainer.state.key if self.key is None else jax.device_put(np.asarray(self.key))
        trainer.epoch = self.epoch  # first: setting the state starts the run's best there
        trainer.state = TrainState(as_params(self.params), opt_state, key)
        return trainer

    @property
    def data_source(self) -> str:
        """``"generator"`` when the points are a generator's output, else ``"points"``."""
        return "generator" if self.dataset.spec is not None else "points"

    # --- validation ------------------------------------------------------------------------

    def validate(self) -> None:
        """A SessionError naming the first thing that does not fit together."""
        d = self.dataset
        _check_dataset(d)
        if self.class_names is not None and len(self.class_names) != d.n_classes:
            raise SessionError(f"{len(self.class_names)} class names for {d.n_classes} classes")
        if self.spec.input_dim != d.n_features:
            raise SessionError(f"the network takes {self.spec.input_dim} inputs but the data has "
                               f"{d.n_features} features")
        for what, params in (("current", self.params), ("initial", self.initial_params)):
            _check_weights(what, self.spec, params)
        if not (isinstance(self.epoch, int) and 0 <= self.epoch <= MAX_EPOCH):
            raise SessionError(f"epoch must be a whole number in 0..{MAX_EPOCH}, got {self.epoch!r}")
        if not (isinstance(self.seed, int) and 0 <= self.seed <= MAX_SEED):
            raise SessionError(f"seed must be a whole number from 0 to {MAX_SEED:,}, "
                               f"got {self.seed!r}")
        if self.opt_state is not None:
            expected = _fresh_opt_leaves(self.spec, self.config)
            if len(self.opt_state) != len(expected):
                raise SessionError(f"the optimiser state has {len(self.opt_state)} arrays; "
                                   f"{self.config.optimizer} on {self.spec.shapes_text()} needs "
                                   f"{len(expected)}")
            paths = _opt_paths(self.spec, self.config)
            for path, got, want in zip(paths, self.opt_state, expected):
                if got.shape != want.shape or got.dtype != want.dtype:
                    raise SessionError(f"optimiser state array {path} is {got.dtype} "
                                       f"{got.shape}, expected {want.dtype} {want.shape}")
                if not np.all(np.isfinite(got)):
                    raise SessionError(f"optimiser state array {path} holds NaN or infinite "
                                       "values")
        if self.key is not None and (self.key.shape != (2,) or self.key.dtype != np.uint32):
            raise SessionError(f"the shuffling key must be uint32 (2,), got "
                               f"{self.key.dtype} {self.key.shape}")
        e, v = self.history.arrays()
        if e.size and (np.any(np.diff(e) <= 0) or e[0] < 1):
            raise SessionError("loss history epochs must be increasing from 1")
        if self.test_epochs.shape != self.test_values.shape or self.test_epochs.ndim != 1:
            raise SessionError("test loss epochs and values differ in length")
        try:
            json.dumps(self.extras, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise SessionError(f"view settings are not plain JSON: {err}") from None

    # --- saving -------------------------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        """The JSON half of the file (see docs/session-format.md)."""
        d = self.dataset
        h = self.history
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "written_by": f"nnviz {__version__}",
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "data": {
                "source": self.data_source,
                "generator": asdict(d.spec) if d.spec is not None else None,
                "name": d.name,
                "task": d.task,
                "n_classes": int(d.n_classes),
                "n_points": int(d.X.shape[0]),
                "n_features": int(d.X.shape[1]),
                "feature_names": list(d.feature_names),
                "class_names": list(self.class_names) if self.class_names is not None else None,
                "scaling": [list(ms) for ms in d.scaling] if d.scaling else None,
                "target_name": d.target_name,
                "target_scaling": list(d.target_scaling) if d.target_scaling else None,
            },
            "network": _network_manifest(self.spec),
            "training": asdict(self.config),
            "seed": int(self.seed),
            "epoch": int(self.epoch),
            "optimizer_state": None if self.opt_state is None else {
                "paths": _opt_paths(self.spec, self.config)},
            "shuffle_key": self.key is not None,
            "history": {"capacity": h.capacity, "stride": h.stride, "count": h.count,
                        "last": h.last if math.isfinite(h.last) else None,
                        # the lowest loss of every epoch, thinned away or not: [epoch, loss]
                        "best": [h.best_epoch, h.best] if h.best_epoch else None},
            "extras": self.extras,
            "run": None if self.run is None else _run_manifest(self.run),
            "padded": self.padded,
            "shown_epoch": self.shown_epoch,
            "pending_learning_rate": self.pending_learning_rate,
        }

    def arrays(self) -> dict[str, np.ndarray]:
        """The npz half of the file."""
        d = self.dataset
        out = {"data_X": np.asarray(d.X), "data_y": np.asarray(d.y),
               "data_train_index": np.asarray(d.train_index, np.int64),
               "data_test_index": np.asarray(d.test_index, np.int64)}
        for prefix, params in (("", self.params), ("initial_", self.initial_params)):
            for i, (w, b) in enumerate(params):
                out[f"{prefix}w{i}"] = np.asarray(w, np.float32)
                out[f"{prefix}b{i}"] = np.asarray(b, np.float32)
        if self.opt_state is not None:
            for path, leaf in zip(_opt_paths(self.spec, self.config), self.opt_state):
                out[f"opt/{path}"] = np.asarray(leaf)
        if self.key is not None:
            out["shuffle_key"] = np.asarray(self.key)
        out["loss_epochs"], out["loss_values"] = self.history.arrays()
        out["test_epochs"] = np.asarray(self.test_epochs, np.int64)
        out["test_values"] = np.asarray(self.test_values, np.float32)
        if self.run is not None:
            out.update(_run_arrays(self.run))
        return out

    def make_run(self) -> Run | None:
        """A copy of the saved run log (None for a file without one)."""
        return None if self.run is None else _copy_run(self.run)

    def to_bytes(self) -> bytes:
        """The whole ``.nnviz`` file as bytes."""
        self.validate()
        buf = io.BytesIO()
        _write_zip(buf, self.manifest(), self.arrays())
        return buf.getvalue()

    def save(self, path: str | os.PathLike) -> None:
        """Write the session to ``path`` atomically; a SessionError if that is impossible."""
        self.validate()
        manifest, arrays = self.manifest(), self.arrays()
        try:
            with atomic_write(path) as f:
                _write_zip(f, manifest, arrays)
        except OutputError as e:  # refused before writing
            raise SessionError(f"could not save {os.fspath(path)}: {e.reason}") from None
        except OSError as e:
            raise SessionError(f"could not save {os.fspath(path)}: "
                               f"{e.strerror or e}") from None


def _network_manifest(spec: NetworkSpec) -> dict[str, Any]:
    """The spec's fields; ``features`` only when they are not the raw inputs, so a session of
    the default inputs stays readable by an nnviz from before input features."""
    out = asdict(spec)
    if not out["features"]:
        del out["features"]
    else:
        out["features"] = list(out["features"])
    return out


def _write_zip(f: BinaryIO, manifest: dict, arrays: dict[str, np.ndarray]) -> None:
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2, allow_nan=False))
        # Stored, not deflated: trained float32 weights hardly compress, and deflating a large
        # network's 30 MB took 3 s, the time the window's Save waits.
        z.writestr("arrays.npz", npz.getvalue(), compress_type=zipfile.ZIP_STORED)


def _check_dataset(d: Dataset) -> None:
    """A SessionError naming the first thing wrong with ``d``'s points, targets and split."""
    X, y = d.X, d.y
    if X.ndim != 2 or X.shape[0] < 1 or X.dtype != np.float32:
        raise SessionError(f"data points must be a float32 (N, d) array, got {X.dtype} {X.shape}")
    if y.shape != (X.shape[0],):
        raise SessionError(f"data has {X.shape[0]} points but {y.shape} targets")
    if not np.all(np.isfinite(X)):
        raise SessionError("data points hold NaN or infinite values")
    if d.task == CLASSIFICATION:
        if y.dtype != np.int32:
            raise SessionError(f"class labels must be int32, got {y.dtype}")
        if d.n_classes < 2 or y.min() < 0 or y.max() >= d.n_classes:
            raise SessionError(f"class labels must lie in 0..{d.n_classes - 1} "
                               f"({d.n_classes} classes)")
    elif d.task == REGRESSION:
        if y.dtype != np.float32 or not np.all(np.isfinite(y)):
            raise SessionError("regression targets must be finite float32 values")
    else:
        raise SessionError(f"unknown task {d.task!r}")
    n = X.shape[0]
    for name, idx in (("training", d.train_index), ("test", d.test_index)):
        if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
            raise SessionError(f"{name} indices must be a 1-D integer array")
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise SessionError(f"{name} indices point outside the {n} data points")
        if np.unique(idx).size != idx.size:
            raise SessionError(f"{name} indices repeat a point")
    if d.train_index.size == 0:
        raise SessionError("there are no training points")
    if np.intersect1d(d.train_index, d.test_index).size:
        raise SessionError("a point is both a training and a test point")


def _check_far_values(d: Dataset, plotted: bool) -> None:
    """A SessionError if a few values dominate a column of ``d``'s points (or a regression's
    targets), by the rule the CSV import and nnviz.train refuse them with
    (csvdata.far_values_refused): a file written before that rule, or edited by hand, opened
    with every other point drawn on one spot and nothing said. Not part of _check_dataset, which
    a save runs too: this is a check of what comes in. Rows are counted from 0, as in the
    file's data_X and data_y; ``plotted``: the window opens the file (the message speaks of
    the plot)."""
    test = np.zeros(len(d.X), bool)
    test[d.test_index] = True

    def row(i: int) -> str:
        return f"row {i} ({'test' if test[i] else 'training'} set)"
    columns = [(d.X[:, j], f"column {j + 1} ({name})", False)
               for j, name in enumerate(d.feature_names)]
    if d.task == REGRESSION:
        columns.append((d.y, f"the target ({d.target_name or 'y'})", True))
    for values, column, target in columns:
        said = far_values_refused(np.asarray(values, np.float64), row, column, target,
                                  plotted=plotted)
        if said:
            raise SessionError(f"the data's {said}")


def _check_weights(what: str, spec: NetworkSpec, params) -> None:
    expected = spec.param_shapes()
    if len(params) != len(expected):
        raise SessionError(f"the {what} weights have {len(params)} layers; the network "
                           f"{spec.shapes_text()} has {len(expected)}")
    for i, ((w, b), (ws, bs)) in enumerate(zip(params, expected)):
        if np.shape(w) != ws or np.shape(b) != bs:
            raise SessionError(f"{what} weights, layer {i}: w{i} {np.shape(w)} and b{i} "
                               f"{np.shape(b)} do not fit the network {spec.shapes_text()}, "
                               f"which needs {ws} and {bs}")
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise SessionError(f"{what} weights, layer {i}: NaN or infinite values")


def _fresh_opt_leaves(spec: NetworkSpec, config: TrainConfig) -> list[np.ndarray]:
    """What a fresh optimiser state of this problem looks like (for shapes and dtypes)."""
    zeros = tuple((jnp.zeros(ws, jnp.float32), jnp.zeros(bs, jnp.float32))
                  for ws, bs in spec.param_shapes())
    state = make_optimizer(config.optimizer, 1.0).init(zeros)
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(state)]


# --- opening ------------------------------------------------------------------------------------

def load(path: str | os.PathLike, *, plotted: bool = False) -> Session:
    """Open a ``.nnviz`` file; a SessionError naming the problem if it is not a valid session.
    ``plotted``: the window opens it, and a refusal of its data speaks of the plot
    (_check_far_values).

    What the file declares (zip headers, the manifest, every array's npy header) is checked
    against nnviz's limits (:mod:`nnviz.core.limits`) before any array is read or inflated.
    """
    name = os.fspath(path)
    try:
        # Only a regular file: opening a FIFO blocks, reading /dev/zero never ends.
        mode = os.stat(name).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise SessionError(f"{name} is not a regular file")
        f = open(name, "rb")
    except SessionError:
        raise
    except ValueError:  # a NUL byte in the name
        raise SessionError(f"no such file: {name!r}") from None
    except FileNotFoundError:
        raise SessionError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise SessionError(f"{name} is a folder, not a session file") from None
    except OSError as e:
        raise SessionError(f"cannot read {name}: {e.strerror or e}") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_ARRAYS_BYTES + MAX_MANIFEST_BYTES:
            raise SessionError(f"{name} is too large to be a session ({size} bytes)")
        try:
            return _from_file(f, plotted)
        except SessionError as e:
            raise SessionError(f"{name}: {e}") from None


def from_bytes(raw: bytes, *, plotted: bool = False) -> Session:
    """A Session from the bytes of a ``.nnviz`` file (see :func:`load`)."""
    return _from_file(io.BytesIO(raw), plotted)


def _looks_like_csv(head: bytes) -> str:
    """What to do instead, when a file's first bytes read as a table of text (a CSV file
    opened as a session said only "not a zip file", review r20 F11); "" otherwise."""
    try:
        first = head.decode("utf-8").splitlines()[0]
    except (UnicodeDecodeError, IndexError):
        return ""
    if not any(sep in first for sep in ",;\t"):
        return ""
    return ("; it looks like a CSV file: File \u2192 Import CSV opens it as data "
            "(nnviz --data FILE.csv)")


def _from_file(f: BinaryIO, plotted: bool) -> Session:
    head = f.read(64)
    f.seek(0)
    if not head:
        raise SessionError("the file is empty")
    if not zipfile.is_zipfile(f):
        if head[:4] == b"PK\x03\x04":
            raise SessionError("the file is damaged (truncated or corrupt zip)")
        raise SessionError("not an nnviz session (not a zip file)" + _looks_like_csv(head))
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            if "manifest.json" not in names:
                if _starts_with_manifest(head):
                    # Cut near its end, the file's own directory is gone and the zip found is
                    # the one of arrays.npz inside it.
                    raise SessionError("the file is damaged (truncated: its end is missing)")
                raise SessionError("not an nnviz session (the zip has no manifest.json)")
            manifest = _read_manifest(z)
            if "arrays.npz" not in names:
                raise SessionError("the file is damaged: arrays.npz is missing")
            plan = _plan(manifest)
            arrays = _read_arrays(z, f, plan)
    except SessionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError) as e:  # ValueError: a negative offset
        # Bad CRC, a member cut short, an unsupported compression...
        raise SessionError(f"the file is damaged (truncated or corrupt: {e})") from None
    return _build(manifest, arrays, plan, plotted)


def _starts_with_manifest(head: bytes) -> bool:
    # nnviz writes manifest.json first: a local header naming it opens every session.
    name = b"manifest.json"
    return (len(head) >= 30 + len(name) and head[:4] == b"PK\x03\x04"
            and struct.unpack_from("<H", head, 26)[0] == len(name)
            and head[30:30 + len(name)] == name)


def _read_manifest(z: zipfile.ZipFile) -> dict:
    info = z.getinfo("manifest.json")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise SessionError("not an nnviz session (manifest.json is too large)")
    try:
        manifest = json.loads(z.read("manifest.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SessionError(f"manifest.json is not valid JSON ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise SessionError("not an nnviz session (manifest.json does not say format "
                           f"{FORMAT_NAME!r})")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionError(f"manifest.json has no valid format version (got {version!r})")
    if version > FORMAT_VERSION:
        raise SessionError(f"this session was written by a newer nnviz ({manifest.get('written_by', '?')}, "
                           f"format version {version}); this nnviz {__version__} reads up to "
                           f"version {FORMAT_VERSION}. Update nnviz to open it")
    return manifest


# --- what the manifest declares, checked before any array is read -------------------------------

@dataclass(frozen=True)
class _Expect:
    """What one array must be: its dtype (a kind for indices and epochs) and shape."""

    dtype: str  # "float32", "int32", "uint32", or "integer" (any integer type)
    shape: tuple[int, ...] | None = None  # exact, or None: 1-D of at most max_len
    max_len: int = 0
    label: str = ""  # the message for a wrong dtype ({dtype} and {got}: what the file holds)
    shape_msg: str = ""  # the message for a wrong shape (same fields)
    cols: int = 0  # with shape None: 2-D, (at most max_len, at most cols)
    optional: bool = False  # checked if there; its absence is _build's to report

    def max_bytes(self) -> int:
        n = math.prod(self.shape) if self.shape is not None else self.max_len * max(self.cols, 1)
        return n * 8

    def check(self, h: ArrayHeader) -> None:
        dt = h.dtype
        ok = (dt.kind in "iu" if self.dtype == "integer"
              else dt.newbyteorder("=") == np.dtype(self.dtype))
        if not ok:
            if self.label:
                raise SessionError(self.label.format(dtype=dt.name, got=h.shape))
            want = "whole numbers" if self.dtype == "integer" else self.dtype
            raise SessionError(f"arrays.npz: {h.name} must hold {want}, got {dt.name}")
        if self.shape is not None and h.shape != self.shape:
            if self.shape_msg:
                raise SessionError(self.shape_msg.format(dtype=dt.name, got=h.shape))
            raise SessionError(f"arrays.npz: {h.name} is {dt.name} {h.shape}; the manifest "
                               f"declares {self.shape}")
        if self.shape is None:
            ndim = 2 if self.cols else 1
            if len(h.shape) != ndim:
                raise SessionError(f"arrays.npz: {h.name} must be {ndim}-D, got {h.shape}")
            if self.cols and h.shape[1] > self.cols:
                raise SessionError(f"arrays.npz: {h.name} has {h.shape[1]:,} columns; at most "
                                   f"{self.cols:,} here")
            if h.shape[0] > self.max_len:
                raise SessionError(f"arrays.npz: {h.name} holds {h.shape[0]:,} points; "
                                   f"nnviz's limit is {self.max_len:,}")


@dataclass
class _Plan:
    """The settings of a manifest and the arrays they need, before the arrays are read."""

    spec: NetworkSpec
    config: TrainConfig
    data_spec: DataSpec | None
    task: str
    n_points: int
    expect: dict[str, _Expect]

    def max_bytes(self) -> int:
        return min(MAX_ARRAYS_BYTES, sum(e.max_bytes() for e in self.expect.values())
                   + limits.NPY_OVERHEAD_BYTES * (len(self.expect) + 1))

    def check(self, headers: Mapping[str, ArrayHeader]) -> None:
        for name, e in self.expect.items():
            if name in headers:
                e.check(headers[name])
            elif not e.optional:
                raise SessionError(f"arrays.npz: {name} is missing")
        hl = {k: headers[k].shape for k in ("loss_epochs", "loss_values", "test_epochs",
                                             "test_values")}
        if hl["loss_epochs"] != hl["loss_values"]:
            raise SessionError(f"loss history: {hl['loss_epochs']} epochs for "
                               f"{hl['loss_values']} values")
        if hl["test_epochs"] != hl["test_values"]:
            raise SessionError("test loss epochs and values differ in length")


def _whole(m: dict, key: str, where: str) -> int:
    v = m.get(key)
    if not isinstance(v, int) or isinstance(v, bool):
        raise SessionError(f"manifest.json: {where}{key} must be a whole number, got {v!r}")
    return v


def _plan(manifest: dict) -> _Plan:
    data_m = _section(manifest, "data")
    try:
        spec = NetworkSpec(**_section(manifest, "network"))
    except _SETTING_ERRORS as e:
        raise SessionError(f"network settings: {e}") from None
    try:
        config = TrainConfig(**_section(manifest, "training"))
    except _SETTING_ERRORS as e:
        raise SessionError(f"training settings: {e}") from None
    gen = data_m.get("generator")
    try:
        data_spec = DataSpec(**gen) if gen is not None else None
    except _SETTING_ERRORS as e:
        raise SessionError(f"data generator settings: {e}") from None
    task = data_m.get("task")
    if task not in (CLASSIFICATION, REGRESSION):
        raise SessionError(f"data: unknown task {task!r}")
    n = _whole(data_m, "n_points", "data.")
    d = _whole(data_m, "n_features", "data.")
    if not 1 <= n <= limits.MAX_POINTS:
        raise SessionError(f"data: the manifest declares {n:,} points; nnviz's limit is "
                           f"{limits.MAX_POINTS:,} points")
    if not 1 <= d <= limits.MAX_FEATURES:
        raise SessionError(f"data: the manifest declares {d:,} features; nnviz's limit is "
                           f"{limits.MAX_FEATURES} features")
    if spec.input_dim != d:
        raise SessionError(f"the network takes {spec.input_dim} inputs but the data has "
                           f"{d} features")
    capacity, _, _, _ = _history_meta(_section(manifest, "history"))

    expect: dict[str, _Expect] = {
        "data_X": _Expect("float32", (n, d), label="data: points must be float32 (N, d), got "
                                                    "{dtype} {got}"),
        "data_y": _Expect("int32" if task == CLASSIFICATION else "float32", (n,),
                          label=("class labels must be int32" if task == CLASSIFICATION
                                 else "regression targets must be finite float32 values")),
        "data_train_index": _Expect("integer", None, n,
                                    label="training indices must be a 1-D integer array"),
        "data_test_index": _Expect("integer", None, n,
                                   label="test indices must be a 1-D integer array"),
    }
    for prefix, what in (("", "current"), ("initial_", "initial")):
        for i, (ws, bs) in enumerate(spec.param_shapes()):
            label = f"arrays.npz: {prefix}w{i}/{prefix}b{i} must be float32"
            for name, want in ((f"{prefix}w{i}", ws), (f"{prefix}b{i}", bs)):
                expect[name] = _Expect(
                    "float32", want, label=label,
                    shape_msg=f"{what} weights, layer {i}: {name} {{got}} does not fit the "
                              f"network {spec.shapes_text()}, which needs {want}")
    opt_m = manifest.get("optimizer_state")
    if opt_m is not None and manifest["version"] == 1:  # positional leaves opt_0, opt_1, ...
        count = opt_m.get("arrays") if isinstance(opt_m, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise SessionError("manifest.json: optimizer_state.arrays must be a whole number")
        fresh = _fresh_opt_leaves(spec, config)
        if count != len(fresh):
            raise SessionError(f"the optimiser state has {count} arrays; {config.optimizer} on "
                               f"{spec.shapes_text()} needs {len(fresh)}")
        for i, leaf in enumerate(fresh):
            msg = f"optimiser state array {i} is {{dtype}} {{got}}, expected {leaf.dtype} {leaf.shape}"
            expect[f"opt_{i}"] = _Expect(leaf.dtype.name, leaf.shape, label=msg, shape_msg=msg)
    elif opt_m is not None:  # by tree path; which names are there is _build's to check
        for path, leaf in zip(_opt_paths(spec, config), _fresh_opt_leaves(spec, config)):
            msg = (f"optimiser state array {path} is {{dtype}} {{got}}, expected {leaf.dtype} "
                   f"{leaf.shape}")
            expect[f"opt/{path}"] = _Expect(leaf.dtype.name, leaf.shape, label=msg,
                                            shape_msg=msg, optional=True)
    expect.update(_run_expect(manifest.get("run"), spec, config))
    expect.update(_points_expect(manifest.get("run"), task, d))
    if manifest.get("shuffle_key"):
        msg = "the shuffling key must be uint32 (2,), got {dtype} {got}"
        expect["shuffle_key"] = _Expect("uint32", (2,), label=msg, shape_msg=msg)
    hist = "loss history: epochs must be integers and values float32"
    expect["loss_epochs"] = _Expect("integer", None, capacity, label=hist)
    expect["loss_values"] = _Expect("float32", None, capacity, label=hist)
    expect["test_epochs"] = _Expect("integer", None, limits.MAX_HISTORY)
    expect["test_values"] = _Expect("float32", None, limits.MAX_HISTORY)
    return _Plan(spec, config, data_spec, task, n, expect)


def _run_expect(run_m: Any, spec: NetworkSpec, config: TrainConfig) -> dict[str, _Expect]:
    """What the run log's arrays (format 2) may be, from the manifest's branches; what does not
    fit together otherwise is _read_run's to report."""
    from .runlog import GRAD_CAPACITY, MAX_BRANCHES
    if not isinstance(run_m, dict) or not isinstance(run_m.get("branches"), list):
        return {}
    branches = run_m["branches"]
    if len(branches) > MAX_BRANCHES:
        raise SessionError(f"the run has {len(branches)} branches; at most {MAX_BRANCHES}")
    leaves, _ = jax.tree_util.tree_flatten_with_path(_template_state(spec, config))
    out: dict[str, _Expect] = {}
    for i, bm in enumerate(branches):
        if not isinstance(bm, dict):
            continue
        k = f"run/{i}/"
        pinned = bm.get("checkpoints")
        c = len(pinned) if isinstance(pinned, list) else 0
        if c > MAX_BRANCH_CHECKPOINTS:
            raise SessionError(f"run branch {i}: {c:,} checkpoints; at most "
                               f"{MAX_BRANCH_CHECKPOINTS:,}")
        hist = bm.get("history")
        cap = _history_meta(hist)[0] if isinstance(hist, dict) else limits.MAX_HISTORY
        out[k + "loss_epochs"] = _Expect("integer", None, cap, optional=True)
        out[k + "loss_values"] = _Expect("float32", None, cap, optional=True)
        out[k + "test_epochs"] = _Expect("integer", None, limits.MAX_HISTORY, optional=True)
        out[k + "test_values"] = _Expect("float32", None, limits.MAX_HISTORY, optional=True)
        out[k + "grads_epochs"] = _Expect("integer", None, 4 * GRAD_CAPACITY, optional=True)
        out[k + "grads_values"] = _Expect("float32", None, 4 * GRAD_CAPACITY,
                                          cols=8 * spec.n_layers, optional=True)
        out[k + "checkpoint_epochs"] = _Expect("integer", None, c, optional=True)
        for p, leaf in leaves:
            out[k + "checkpoint/" + _path(p)] = _Expect(
                np.dtype(leaf.dtype).name, (c, *leaf.shape), optional=True)
    return out


MAX_POINT_SETS = 1 << 12  # the points of earlier stretches a session holds, at most


def _point_set_list(run_m: Any) -> list:
    sets = run_m.get("points", []) if isinstance(run_m, dict) else []
    if not isinstance(sets, list) or len(sets) > MAX_POINT_SETS:
        raise SessionError(f"manifest.json: run.points must be a list of at most "
                           f"{MAX_POINT_SETS} point sets")
    return sets


def _points_expect(run_m: Any, task: str, d: int) -> dict[str, _Expect]:
    """What the arrays of earlier stretches' points may be (files without them: nothing)."""
    out: dict[str, _Expect] = {}
    for j, pm in enumerate(_point_set_list(run_m)):
        n = _whole(pm, "n_points", f"run.points[{j}].") if isinstance(pm, dict) else 0
        if not 1 <= n <= limits.MAX_POINTS:
            raise SessionError(f"run.points[{j}]: {n:,} points; between 1 and "
                               f"{limits.MAX_POINTS:,} are allowed")
        k = f"run/points/{j}/"
        out[k + "X"] = _Expect("float32", (n, d))
        out[k + "y"] = _Expect("int32" if task == CLASSIFICATION else "float32", (n,))
        out[k + "train_index"] = _Expect("integer", None, n)
        out[k + "test_index"] = _Expect("integer", None, n)
    return out


def _read_point_sets(run_m: Any, arrays: dict, data: Dataset, plotted: bool) -> list:
    """The earlier stretches' points as (Dataset, padded), checked as the session's own."""
    sets = []
    for j, pm in enumerate(_point_set_list(run_m)):
        k = f"run/points/{j}/"
        padded = pm.get("padded")
        if not isinstance(padded, bool):
            raise SessionError(f"manifest.json: run.points[{j}].padded must be true or false")
        name = pm.get("name")
        d = Dataset(_array(arrays, k + "X"), _array(arrays, k + "y"), data.task, data.n_classes,
                    _array(arrays, k + "train_index"), _array(arrays, k + "test_index"),
                    name=name if isinstance(name, str) else "custom",
                    feature_names=data.feature_names, scaling=data.scaling,
                    target_name=data.target_name, target_scaling=data.target_scaling)
        try:
            _check_dataset(d)
            _check_far_values(d, plotted)  # the timeline draws them
        except SessionError as e:
            raise SessionError(f"the points of an earlier stretch (run.points[{j}]): {e}") \
                from None
        sets.append((d, padded))
    return sets


class _Slice(io.RawIOBase):
    """A read-only window on ``f`` from ``start``, ``size`` bytes long: a stored zip member read
    in place, without a copy."""

    def __init__(self, f: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._f, self._start, self._size, self._pos = f, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, self._size)[whence]
        self._pos = min(max(base + offset, 0), self._size)
        return self._pos

    def readinto(self, b) -> int:
        n = min(len(b), self._size - self._pos)
        if n <= 0:
            return 0
        self._f.seek(self._start + self._pos)
        got = self._f.readinto(memoryview(b)[:n])
        self._pos += got
        return got


def _stored_member(z: zipfile.ZipFile, f: BinaryIO, info: zipfile.ZipInfo) -> BinaryIO:
    f.seek(info.header_offset)
    h = f.read(30)
    if len(h) < 30 or h[:4] != b"PK\x03\x04":
        raise SessionError("the file is damaged (a bad zip member header)")
    name_len, extra_len = struct.unpack_from("<HH", h, 26)
    return _Slice(f, info.header_offset + 30 + name_len + extra_len, info.compress_size)


def _read_arrays(z: zipfile.ZipFile, f: BinaryIO, plan: _Plan) -> dict[str, np.ndarray]:
    info = z.getinfo("arrays.npz")
    bound = plan.max_bytes()
    if info.file_size > min(bound, MAX_ARRAYS_BYTES):
        raise SessionError(f"arrays.npz is too large ({info.file_size} bytes): the manifest's "
                           f"settings need at most {min(bound, MAX_ARRAYS_BYTES):,}")
    try:
        npzfile.check_members(z, bound + MAX_MANIFEST_BYTES, "the session")
        if info.compress_type == zipfile.ZIP_STORED:  # as nnviz writes it: read in place
            src = _stored_member(z, f, info)
        else:  # an older file: inflate it, now that its size is known to be within bounds
            src = io.BytesIO(z.read(info))
        head = src.read(2)
        src.seek(0)
        if head != b"PK":
            raise SessionError("arrays.npz is damaged or holds unsupported data (not an npz "
                               "archive)")
        with zipfile.ZipFile(src) as inner:
            # What the plan expects, and every optimiser or run array the file names, so that
            # _build can say which do not belong; all of them bounded by their headers.
            names = set(plan.expect) | {n[:-4] for n in inner.namelist()
                                        if n.startswith(("opt/", "run/")) and n.endswith(".npy")}
            return npzfile.read_zip(inner, max_bytes=bound, what="arrays.npz", check=plan.check,
                                    names=names)
    except NpzError as e:
        text = str(e)
        raise SessionError(text if text.startswith(("arrays.npz", "the session"))
                           else f"arrays.npz: {text}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError) as e:
        if isinstance(e, SessionError):
            raise
        raise SessionError(f"arrays.npz is damaged or holds unsupported data ({e})") from None


def _section(manifest: dict, key: str) -> dict:
    value = manifest.get(key)
    if not isinstance(value, dict):
        raise SessionError(f"manifest.json: the {key!r} section is missing or not an object")
    return value


def _scaling(value: Any, n_features: int) -> tuple[tuple[float, float], ...] | None:
    """The manifest's data.scaling: (mean, sd) per feature, or None (absent in older files)."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == n_features
            and all(isinstance(p, list) and len(p) == 2
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                            and math.isfinite(v) for v in p) and p[1] > 0 for p in value)):
        raise SessionError(f"data: scaling must list a finite [mean, sd > 0] for each of the "
                           f"{n_features} features")
    return tuple((float(m), float(sd)) for m, sd in value)


def _target_scaling(value: Any, task: str) -> tuple[float, float] | None:
    """The manifest's data.target_scaling: [mean, sd] of a regression's standardised targets,
    or None (absent in older files)."""
    if value is None:
        return None
    if not (task == REGRESSION and isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    and math.isfinite(v) for v in value) and value[1] > 0):
        raise SessionError("data: target_scaling must be a finite [mean, sd > 0] of a "
                           "regression's targets")
    return float(value[0]), float(value[1])


def _target_name(value: Any) -> str:
    """The manifest's data.target_name ("" when absent, as in older files)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SessionError(f"data: target_name must be text, got {value!r}")
    return value


def _array(arrays: dict, key: str) -> np.ndarray:
    if key not in arrays:
        raise SessionError(f"arrays.npz: {key} is missing")
    return arrays[key]


def _build(manifest: dict, arrays: dict[str, np.ndarray], plan: _Plan,
           plotted: bool) -> Session:
    # Every array is here with the dtype and shape ``plan`` expects (checked from the headers).
    data_m = manifest["data"]
    spec, config, task = plan.spec, plan.config, plan.task
    X, y = _array(arrays, "data_X"), _array(arrays, "data_y")
    train, test = _array(arrays, "data_train_index"), _array(arrays, "data_test_index")
    n_classes = data_m.get("n_classes")
    if not isinstance(n_classes, int):
        raise SessionError(f"data: n_classes must be a whole number, got {n_classes!r}")
    feature_names = data_m.get("feature_names") or [f"x{i + 1}" for i in range(X.shape[1])]
    class_names = data_m.get("class_names")
    if class_names is not None and not (isinstance(class_names, list)
                                        and all(isinstance(c, str) for c in class_names)):
        raise SessionError("data: class_names must be a list of strings")
    if not (isinstance(feature_names, list) and len(feature_names) == X.shape[1]):
        n = len(feature_names) if isinstance(feature_names, list) else "no"
        raise SessionError(f"data: the points have {X.shape[1]} features but feature_names "
                           f"lists {n}")
    name = data_m.get("name")
    name = name if isinstance(name, str) else "custom"
    # The arrays were read afresh for this session: no copies needed.
    dataset = Dataset(X, y, task, n_classes, train, test, name=name,
                      spec=plan.data_spec, feature_names=tuple(str(f) for f in feature_names),
                      scaling=_scaling(data_m.get("scaling"), X.shape[1]),
                      target_name=_target_name(data_m.get("target_name")),
                      target_scaling=_target_scaling(data_m.get("target_scaling"), task))

    def params(prefix: str) -> NumpyParams:
        return tuple((_array(arrays, f"{prefix}w{i}"), _array(arrays, f"{prefix}b{i}"))
                     for i in range(spec.n_layers))

    opt_m = manifest.get("optimizer_state")
    opt_state = None
    if opt_m is not None and manifest["version"] == 1:  # positional leaves
        count = opt_m.get("arrays") if isinstance(opt_m, dict) else None
        if not isinstance(count, int) or count < 0:
            raise SessionError("manifest.json: optimizer_state.arrays must be a whole number")
        opt_state = tuple(_array(arrays, f"opt_{i}") for i in range(count))
    elif opt_m is not None:  # by tree path: what the file names is what goes there
        named = opt_m.get("paths") if isinstance(opt_m, dict) else None
        if not (isinstance(named, list) and all(isinstance(n, str) for n in named)):
            raise SessionError("manifest.json: optimizer_state.paths must be a list of names")
        saved = {k[len("opt/"):]: v for k, v in arrays.items() if k.startswith("opt/")}
        if set(named) != set(saved):
            raise SessionError("the optimiser state: manifest.json and arrays.npz name "
                               "different arrays")
        opt_state = tuple(_named_leaves(_opt_paths(spec, config), saved, "the optimiser state"))
    key = _array(arrays, "shuffle_key") if manifest.get("shuffle_key") else None

    history = _history(manifest["history"], _array(arrays, "loss_epochs"),
                       _array(arrays, "loss_values"))
    for k in ("seed", "epoch"):
        v = manifest.get(k)
        if not isinstance(v, int) or isinstance(v, bool):
            raise SessionError(f"manifest.json: {k} must be a whole number, got {v!r}")
    extras = manifest.get("extras", {})
    if not isinstance(extras, dict):
        raise SessionError("manifest.json: extras must be an object")
    session = Session(
        dataset=dataset, spec=spec, config=config, seed=manifest["seed"],
        params=params(""), initial_params=params("initial_"), epoch=manifest["epoch"],
        opt_state=opt_state, key=key, history=history,
        test_epochs=np.asarray(_array(arrays, "test_epochs"), np.int64),
        test_values=_array(arrays, "test_values"),
        class_names=tuple(class_names) if class_names is not None else None, extras=extras)
    session.validate()
    _check_far_values(dataset, plotted)
    if session.epoch > MAX_OPEN_EPOCH:
        raise SessionError(f"the file is damaged: epoch {session.epoch:,} is beyond "
                           f"{MAX_OPEN_EPOCH:,}, the last epoch nnviz opens (its timeline counts "
                           "epochs up to there)")
    if history.count > session.epoch:
        raise SessionError(f"the file is damaged: its loss history runs to epoch "
                           f"{history.count:,}, past the session's epoch {session.epoch:,}")
    _check_test_epochs(session.test_epochs, session.epoch, "the test loss")
    padded = manifest.get("padded", False)
    if not isinstance(padded, bool):
        raise SessionError("manifest.json: padded must be true or false")
    session.padded = padded
    if manifest.get("run") is not None:
        sets = _read_point_sets(manifest["run"], arrays, dataset, plotted)
        session.run = _read_run(manifest["run"], arrays, spec, config, session.epoch, sets)
        session.shown_epoch = _shown_epoch(manifest.get("shown_epoch"), session.run,
                                           session.epoch)
        if session.shown_epoch is not None:
            session.pending_learning_rate = _pending_rate(manifest.get("pending_learning_rate"))
    # The problem itself must be trainable (e.g. the loss fits the task and the class count).
    try:
        session.problem.make_trainer()
    except _SETTING_ERRORS as e:
        raise SessionError(f"the settings do not fit together: {e}") from None
    return session


def _shown_epoch(value: Any, run: Run, epoch: int) -> int | None:
    """The past epoch the window showed (``shown_epoch``), or None: the live end. Absent (files
    written before), or not an epoch of the live branch's record before its end (``epoch``),
    it is let go and the file opens at the live end, as a branch's colour out of range is:
    where the window looks, not what the run is."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if run.log.checkpoints[0].epoch <= value < epoch else None


def _pending_rate(value: Any) -> float | None:
    """The rate set at the epoch shown (``pending_learning_rate``), or None: absent (files
    written before) or no learning rate, it is let go as a bad ``shown_epoch`` is: the file
    opens without it, the run as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return check_learning_rate(float(value))
    except TrainingError:
        return None


def _history_meta(m: dict) -> tuple[int, int, int, float]:
    """capacity, stride, count, last of the manifest's history section, checked."""
    capacity, stride, count = m.get("capacity"), m.get("stride"), m.get("count")
    last = m.get("last")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (capacity, stride, count)):
        raise SessionError("manifest.json: history capacity, stride and count must be whole numbers")
    if capacity < 4 or capacity % 2 or capacity > limits.MAX_HISTORY:
        raise SessionError(f"history capacity must be an even number in 4..2^24, got {capacity}")
    if stride < 1 or stride & (stride - 1):
        raise SessionError(f"history stride must be a power of two, got {stride}")
    if stride > MAX_OPEN_EPOCH + 1:
        raise SessionError(f"the file is damaged: a loss history's stride {stride:,} is beyond "
                           "2^31")
    if not 0 <= count <= MAX_OPEN_EPOCH:
        raise SessionError(f"the file is damaged: a loss history counts {count:,} epochs "
                           f"(0 to {MAX_OPEN_EPOCH:,})")
    if last is not None and (isinstance(last, bool) or not isinstance(last, (int, float))):
        raise SessionError(f"manifest.json: history last must be a number or null, got {last!r}")
    last = float("nan") if last is None else float(min(max(last, -3e38), 3e38))
    return capacity, stride, count, last


def _check_test_epochs(epochs: np.ndarray, end: int, what: str) -> None:
    """Test losses (and gradient rows) are drawn at epochs 1..``end`` + 1 (the weights after
    epoch E at E + 1: runlog.measure_test)."""
    if len(epochs) and (int(epochs.min()) < 0 or int(epochs.max()) > end + 1):
        raise SessionError(f"the file is damaged: {what} has epochs outside 0..{end + 1:,}")


def _history(m: dict, epochs: np.ndarray, values: np.ndarray) -> LossHistory:
    capacity, stride, count, last = _history_meta(m)
    if epochs.ndim != 1 or epochs.shape != values.shape or epochs.size > capacity:
        raise SessionError(f"loss history: {epochs.shape} epochs for {values.shape} values "
                           f"(at most {capacity})")
    if not np.issubdtype(epochs.dtype, np.integer) or values.dtype != np.float32:
        raise SessionError("loss history: epochs must be integers and values float32")
    if epochs.size and (epochs[-1] > count or np.any(np.diff(epochs) <= 0) or epochs[0] < 1):
        raise SessionError("loss history: epochs must increase from 1 up to the epoch count")
    best = m.get("best")  # (files before it was kept: the kept points' lowest)
    ok = (isinstance(best, list) and len(best) == 2 and isinstance(best[0], int)
          and not isinstance(best[0], bool) and isinstance(best[1], (int, float))
          and not isinstance(best[1], bool) and math.isfinite(best[1]))
    if best is not None and not ok:
        raise SessionError(f"manifest.json: history best must be [epoch, loss] or null, got "
                           f"{best!r}")
    return LossHistory.restored(capacity, stride, count, last, epochs, values,
                                (best[0], float(best[1])) if ok else None)



# --- the run log in a file ------------------------------------------------------------------------

MAX_BRANCH_CHECKPOINTS = 1 << 16


def _path(p) -> str:
    return jax.tree_util.keystr(p, simple=True, separator="/")


def _template_state(spec: NetworkSpec, config: TrainConfig) -> TrainState:
    zeros = tuple((jnp.zeros(ws, jnp.float32), jnp.zeros(bs, jnp.float32))
                  for ws, bs in spec.param_shapes())
    opt = make_optimizer(config.optimizer, 1.0).init(zeros)
    return TrainState(zeros, opt, jax.random.PRNGKey(0))


def _opt_paths(spec: NetworkSpec, config: TrainConfig) -> list[str]:
    """The optimiser state's arrays by tree path, in jax's flattening order."""
    leaves, _ = jax.tree_util.tree_flatten_with_path(_template_state(spec, config).opt_state)
    return [_path(p) for p, _ in leaves]


def _named_leaves(paths: list[str], saved: dict[str, np.ndarray], what: str) -> list[np.ndarray]:
    missing = [p for p in paths if p not in saved]
    if missing:
        raise SessionError(f"{what}: {missing[0]} is missing ({len(missing)} arrays in all)")
    extra = sorted(set(saved) - set(paths))
    if extra:
        raise SessionError(f"{what}: {extra[0]} does not belong to this optimiser")
    return [saved[p] for p in paths]


def _copy_run(run: Run) -> Run:
    out = Run()
    for b in run.branches:
        c = RunLog(name=b.name, parent=b.parent, fork_epoch=b.fork_epoch,
                   budget_bytes=b.budget_bytes, max_gap=b.max_gap, colour=b.colour,
                   divergence=b.divergence)
        c.losses = b.losses.copy()
        c.test = b.test.truncated(b.test.epochs[-1] if len(b.test) else 0)
        c.grads = None if b.grads is None else b.grads.truncated(
            b.grads.epochs[-1] if len(b.grads) else 0)
        c.checkpoints = list(b.checkpoints)  # immutable: numpy states are never written
        out.add(c)
    out.active = run.active
    return out


def _point_sets(run: Run) -> list:
    """The distinct points (``Checkpoint.data``, a ``Trainer.feed_key``: (Dataset, padded))
    the run's checkpoints hold, in order of first appearance."""
    sets: list = []
    for b in run.branches:
        for c in b.checkpoints:
            if c.data is not None and not any(c.data is s for s in sets):
                sets.append(c.data)
    return sets


def _point_index(sets: list, data) -> int | None:
    return None if data is None else next(i for i, s in enumerate(sets) if s is data)


def _run_manifest(run: Run) -> dict:
    sets = _point_sets(run)
    branches = []
    for b in run.branches:
        h = b.losses
        branches.append({
            "name": b.name, "parent": b.parent, "fork_epoch": int(b.fork_epoch),
            "max_gap": int(b.max_gap), "colour": int(b.colour),
            "history": {"capacity": h.capacity, "stride": h.stride, "count": h.count,
                        "last": h.last if math.isfinite(h.last) else None,
                        # the lowest loss of every epoch, thinned away or not: [epoch, loss]
                        "best": [h.best_epoch, h.best] if h.best_epoch else None},
            "checkpoints": [c.pinned for c in b.checkpoints],
            # Per checkpoint: the index into "points" of what its epochs trained on (an
            # earlier stretch's points, before an edit), or null: the session's own data.
            "checkpoint_points": [_point_index(sets, c.data) for c in b.checkpoints],
            # After a divergence: the earlier epoch whose weights a checkpoint holds, -1 if its
            # own; and what the divergence said, while the branch ends there (the window's
            # banner and epoch counter say them again when the file is opened).
            "checkpoint_weights_of": [int(c.weights_of) for c in b.checkpoints],
            "divergence": None if b.divergence is None else
            {"epoch": int(b.divergence[0]), "message": str(b.divergence[1])},
        })
    return {"active": int(run.active), "branches": branches,
            "points": [{"n_points": int(d.X.shape[0]), "padded": bool(padded),
                        "name": d.name} for d, padded in sets]}


def _run_arrays(run: Run) -> dict[str, np.ndarray]:
    out = {}
    for j, (d, _) in enumerate(_point_sets(run)):
        k = f"run/points/{j}/"
        out[k + "X"], out[k + "y"] = np.asarray(d.X), np.asarray(d.y)
        out[k + "train_index"] = np.asarray(d.train_index, np.int64)
        out[k + "test_index"] = np.asarray(d.test_index, np.int64)
    for i, b in enumerate(run.branches):
        k = f"run/{i}/"
        out[k + "loss_epochs"], out[k + "loss_values"] = b.losses.arrays()
        out[k + "test_epochs"], out[k + "test_values"] = b.test.epochs, b.test.values
        if b.grads is not None:
            out[k + "grads_epochs"], out[k + "grads_values"] = b.grads.epochs, b.grads.values
        out[k + "checkpoint_epochs"] = b.checkpoint_epochs()
        if b.checkpoints:
            leaves = [jax.tree_util.tree_flatten_with_path(c.state)[0] for c in b.checkpoints]
            for j, (p, _) in enumerate(leaves[0]):
                out[k + "checkpoint/" + _path(p)] = np.stack([np.asarray(ls[j][1])
                                                              for ls in leaves])
    return out


def _divergence(m: Any, name: str) -> tuple[int, str] | None:
    """A branch's ``divergence`` (absent or null: none, as in files written before)."""
    if m is None:
        return None
    epoch = m.get("epoch") if isinstance(m, dict) else None
    message = m.get("message") if isinstance(m, dict) else None
    if not (isinstance(epoch, int) and not isinstance(epoch, bool) and 0 <= epoch <= MAX_EPOCH
            and isinstance(message, str) and len(message) <= MAX_DIVERGENCE_TEXT):
        raise SessionError(f"run branch {name!r}: divergence must be null or "
                           "{\"epoch\": a whole number, \"message\": a short text}")
    return epoch, message


def _read_run(m: Any, arrays: dict, spec: NetworkSpec, config: TrainConfig, epoch: int,
              sets: list = ()) -> Run:
    if not isinstance(m, dict) or not isinstance(m.get("branches"), list) or not m["branches"]:
        raise SessionError("manifest.json: run.branches must be a non-empty list")
    from .runlog import MAX_BRANCHES
    if len(m["branches"]) > MAX_BRANCHES:
        raise SessionError(f"the run has {len(m['branches'])} branches; at most {MAX_BRANCHES}")
    active = m.get("active")
    if not isinstance(active, int) or isinstance(active, bool) or not 0 <= active < len(m["branches"]):
        raise SessionError(f"manifest.json: run.active must name a branch, got {active!r}")
    template = _template_state(spec, config)
    paths_leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    run = Run()
    names = set()
    for i, bm in enumerate(m["branches"]):
        k = f"run/{i}/"
        if not isinstance(bm, dict):
            raise SessionError(f"manifest.json: run branch {i} is not an object")
        name, parent = bm.get("name"), bm.get("parent")
        if not isinstance(name, str) or not name or name in names or len(name) > MAX_BRANCH_NAME:
            raise SessionError(f"run branch {i}: a missing, repeated or too long name")
        names.add(name)
        fork, gap, pinned = bm.get("fork_epoch"), bm.get("max_gap"), bm.get("checkpoints")
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_OPEN_EPOCH
                   for v in (fork, gap)) or gap < 1:
            raise SessionError(f"run branch {name!r}: fork_epoch and max_gap must be whole numbers "
                               f"up to {MAX_OPEN_EPOCH:,}")
        if not isinstance(pinned, list) or not all(isinstance(p, str) for p in pinned) \
                or len(pinned) > MAX_BRANCH_CHECKPOINTS:
            raise SessionError(f"run branch {name!r}: checkpoints must be a list of strings")
        colour = bm.get("colour")  # absent (files written before): the first one free
        log = RunLog(name=name, parent=parent if isinstance(parent, str) else None,
                     fork_epoch=fork, max_gap=gap,
                     colour=colour if isinstance(colour, int) and not isinstance(colour, bool)
                     and 0 <= colour < MAX_BRANCHES else -1)
        log.losses = _history(_section(bm, "history"), _array(arrays, k + "loss_epochs"),
                              _array(arrays, k + "loss_values"))
        te, tv = _array(arrays, k + "test_epochs"), _array(arrays, k + "test_values")
        if te.ndim != 1 or te.shape != tv.shape or not np.issubdtype(te.dtype, np.integer) \
                or tv.dtype != np.float32:
            raise SessionError(f"run branch {name!r}: the test loss arrays do not fit together")
        log.test.epochs, log.test.values = te.astype(np.int64), tv
        if k + "grads_epochs" in arrays:
            ge, gv = arrays[k + "grads_epochs"], _array(arrays, k + "grads_values")
            if ge.ndim != 1 or gv.ndim != 2 or len(ge) != len(gv) or gv.dtype != np.float32:
                raise SessionError(f"run branch {name!r}: the gradient arrays do not fit together")
            log.grads = SparseSeries(max(len(ge), 2048), gv.shape[1])
            log.grads.epochs, log.grads.values = ge.astype(np.int64), gv
        ce = _array(arrays, k + "checkpoint_epochs")
        if ce.ndim != 1 or len(ce) != len(pinned) or not np.issubdtype(ce.dtype, np.integer) or (
                len(ce) and (np.any(np.diff(ce) <= 0) or ce[0] < 0 or ce[-1] > MAX_OPEN_EPOCH)):
            raise SessionError(f"run branch {name!r}: checkpoint epochs must increase")
        if not len(ce):
            raise SessionError(f"run branch {name!r} has no checkpoint")
        which = bm.get("checkpoint_points", [None] * len(ce))
        if not isinstance(which, list) or len(which) != len(ce) or not all(
                w is None or (isinstance(w, int) and not isinstance(w, bool)
                              and 0 <= w < len(sets)) for w in which):
            raise SessionError(f"run branch {name!r}: checkpoint_points must name a point set "
                               "(or null) per checkpoint")
        weights_of = bm.get("checkpoint_weights_of", [-1] * len(ce))  # absent: files before
        if not isinstance(weights_of, list) or len(weights_of) != len(ce) or not all(
                isinstance(w, int) and not isinstance(w, bool) and -1 <= w < e
                for w, e in zip(weights_of, ce.tolist())):
            raise SessionError(f"run branch {name!r}: checkpoint_weights_of must give an "
                               "earlier epoch (or -1) per checkpoint")
        log.divergence = _divergence(bm.get("divergence"), name)
        stacked = []
        for p, leaf in paths_leaves:
            a = _array(arrays, k + "checkpoint/" + _path(p))
            if a.shape != (len(ce), *leaf.shape) or a.dtype != leaf.dtype:
                raise SessionError(f"run branch {name!r}: checkpoint array {_path(p)} is "
                                   f"{a.dtype} {a.shape}, expected {leaf.dtype} "
                                   f"{(len(ce), *leaf.shape)}")
            stacked.append(a)
        for j, e in enumerate(ce):
            state = jax.tree_util.tree_unflatten(treedef, [a[j] for a in stacked])
            data = None if which[j] is None else sets[which[j]]
            log.checkpoints.append(Checkpoint(int(e), state, pinned[j], data, weights_of[j]))
        end = log.epoch
        if fork > end:
            raise SessionError(f"the file is damaged: run branch {name!r} forks at epoch "
                               f"{fork:,}, after its own end ({end:,})")
        if log.divergence is not None and log.divergence[0] > end:
            raise SessionError(f"the file is damaged: run branch {name!r} diverged at epoch "
                               f"{log.divergence[0]:,}, after its end ({end:,})")
        _check_test_epochs(log.test.epochs, end, f"run branch {name!r}'s test loss")
        if log.grads is not None:
            _check_test_epochs(log.grads.epochs, end, f"run branch {name!r}'s gradients")
        run.add(log)
    run.active = active
    _check_parents(run)
    if run.log.epoch > epoch:
        raise SessionError(f"the file is damaged: the live branch {run.log.name!r} runs to epoch "
                           f"{run.log.epoch:,}, past the session's epoch {epoch:,}")
    return run


def _check_parents(run: Run) -> None:
    """Each branch forks from a branch of the run at an epoch that branch reached.

    A parent that is not in the run, or the branch itself, is let go (parent None): nnviz wrote
    such files -- deleting a branch left its children naming it (Run.delete clears them now),
    and a child renamed to the deleted one's name named itself -- and every branch holds its
    whole record, so nothing of it is lost. A fork after the parent's end, or parents that go
    round in a circle, no run makes: the file is refused as damaged."""
    ends = {b.name: b.epoch for b in run.branches}
    for b in run.branches:
        if b.parent is not None and (b.parent not in ends or b.parent == b.name):
            b.parent = None
    parents = {b.name: b.parent for b in run.branches}
    for b in run.branches:
        if b.parent is not None and b.fork_epoch > ends[b.parent]:
            raise SessionError(f"the file is damaged: run branch {b.name!r} forks at epoch "
                               f"{b.fork_epoch:,}, after its parent {b.parent!r} ends "
                               f"(epoch {ends[b.parent]:,})")
        seen, p = {b.name}, b.parent
        while p is not None:
            if p in seen:
                raise SessionError(f"the file is damaged: run branch {b.name!r} descends from "
                                   "itself")
            seen.add(p)
            p = parents[p]
