"""nnviz from Python: train headless, open a session, predict, save, export as a script.

``import nnviz`` loads this module on first use of ``nnviz.train``, ``nnviz.load`` or
``nnviz.Run`` (it imports jax). docs/api.md describes it with examples.

:func:`train` is ``nnviz train --data FILE.csv`` for arrays: the same Dataset (split by
``test_fraction`` and ``seed``), the same :func:`~nnviz.core.problem.make_problem` defaults, the
same trainer and so the same losses, bit for bit.
"""
from __future__ import annotations

import math
import os
import warnings
from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np

from nnviz.core import runlog
from nnviz.core.arrays import dataset_from_arrays
from nnviz.core.checks import real_number, whole_number
from nnviz.core.data import MAX_SEED, DataError
from nnviz.core.errors import NnvizError, shown
from nnviz.core.network import SpecError, as_params, check_params, load_npz
from nnviz.core.problem import Choices, Problem, make_problem
from nnviz.core.session import Session
from nnviz.core.session import load as load_session
from nnviz.core.training import Trainer, TrainingError, divergence_message

MAX_EPOCHS = 1_000_000_000  # as ``nnviz train --epochs``

__all__ = ["train", "load", "show", "Run"]


def _name(v: Any) -> Any:
    # Names as the command line reads them: "Leaky_ReLU" is leaky-relu.
    return v.strip().lower().replace("_", "-") if isinstance(v, str) else v


class Run:
    """A trained (or opened) run: its weights, its loss history, and what it can do."""

    def __init__(self, trainer: Trainer, run: runlog.Run, classes: tuple | None = None,
                 losses: np.ndarray | None = None, measured: dict | None = None,
                 diverged: bool = False) -> None:
        self._trainer, self._run, self._classes = trainer, run, classes
        self._losses, self._measured, self.diverged = losses, measured, diverged

    # --- what the run is -------------------------------------------------------------------

    @property
    def task(self) -> str:
        """``"classification"`` or ``"regression"``."""
        return self._trainer.data.task

    @property
    def classes(self) -> tuple | None:
        """The labels of classes 0..K-1 as they were in ``y`` (None for regression)."""
        return self._classes

    @property
    def epoch(self) -> int:
        """How many epochs the run trained: the weights' epoch, except after a divergence
        (``diverged``), whose weights went back to those after epoch ``best_epoch``."""
        return int(self._trainer.epoch)

    @property
    def best_epoch(self) -> int:
        """The epoch of the weights the run holds: ``epoch``, or after a divergence the epoch
        with the lowest loss, whose weights it went back to."""
        return int(self._trainer.best_epoch) if self.diverged else self.epoch

    @property
    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights in the notebook's layout, one ``(w, b)`` per layer: ``w`` of shape
        (in, out) and ``b`` of shape (out, 1), so a layer is ``w.T @ X + b`` for points in
        columns. Copies: changing them changes nothing in the run. On a CSV import
        standardised on the way in they act on the standardised features (:meth:`predict`)."""
        return [(np.array(w, np.float32), np.array(b, np.float32).reshape(-1, 1))
                for w, b in self._trainer.params]

    @property
    def history(self) -> dict[str, np.ndarray]:
        """``epoch`` and ``loss``: the rows of ``nnviz train --history`` (every epoch of a run
        trained here; a session keeps at most 4,096 of a longer run's, ever further apart).
        ``test_epoch``, ``test_loss``: the test loss where measured, drawn at epoch E + 1 for
        the weights after E epochs (beside epoch E + 1's training loss, taken before its
        update; a diverged run's last at its last training loss's epoch, of the same
        weights). A run trained here also has ``train_accuracy`` and ``test_accuracy`` at those
        epochs (R² for regression).

        The history is the record of every epoch trained: after a divergence it ends with the
        loss that blew up, while the weights are back to those after epoch ``best_epoch``
        (``history["loss"][best_epoch]``, the loss of their next epoch's forward pass, is
        theirs; :attr:`metrics` measures them)."""
        log = self._run.log
        if self._losses is not None:
            epochs = np.arange(1, len(self._losses) + 1, dtype=np.int64)
            out = {"epoch": epochs, "loss": self._losses.copy()}
        else:
            epochs, losses = log.losses.arrays()
            out = {"epoch": epochs, "loss": losses}
        if self._measured is not None:
            out.update({k: np.array(v) for k, v in self._measured.items()})
        else:
            out["test_epoch"] = np.array(log.test.epochs, np.int64)
            out["test_loss"] = np.array(log.test.values, np.float32)
        return out

    @property
    def metrics(self) -> dict[str, float]:
        """Loss and accuracy (R² for regression) of the current weights on the training and
        test points; the test figures are NaN without test points."""
        m = self._trainer.evaluate()
        return {"train_loss": m.train_loss, "train_accuracy": m.train_accuracy,
                "test_loss": m.test_loss, "test_accuracy": m.test_accuracy}

    def __repr__(self) -> str:
        t = self._trainer
        back = (f" (diverged: the weights after epoch {self.best_epoch})"
                if self.diverged else "")
        return (f"<nnviz.Run {t.data.name} {t.spec.shapes_text()}, {t.config.loss}, "
                f"{t.config.optimizer} lr {t.learning_rate:g}, epoch {self.epoch}{back}>")

    # --- what it does ----------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """The network's output for points ``X`` (N, features): (N, 1) P(class 1) for two
        classes with one output, (N, K) class scores, or (N, 1) predicted values.

        ``X`` is in the units of the data the run was given: the arrays passed to
        :func:`train` or :func:`show` as they were, or a CSV file's own values. A CSV import
        far from unit scale was trained on standardised features (``Dataset.scaling``: each
        column's training mean and sd); predict standardises ``X`` with them first, as the
        exported script's ``predict(rows)`` and the ONNX model do, so a row straight from the
        file gives the network's answer for it. A session saved before nnviz recorded the
        means and sds (its features named "(standardised)", no scaling in its file) cannot
        be given the file's units: predict then takes standardised rows and warns so.

        A CSV import whose regression targets were far from unit scale was trained on
        standardised targets (``Dataset.target_scaling``); predict gives the values back in
        the file's units (output * sd + mean), as the exported script and the ONNX model do."""
        n_features = self._trainer.data.n_features
        shape = tuple(np.shape(X))
        if len(shape) == 1 and n_features == 1:
            X = np.reshape(X, (-1, 1))
        elif len(shape) != 2 or shape[1] != n_features:
            raise DataError(f"X must be of shape (points, {n_features}): this network takes "
                            f"{n_features} features, got shape {shape}")
        X = np.asarray(X)
        if X.dtype.kind not in "biuf" or not np.all(np.isfinite(X)):
            raise DataError("X must hold finite numbers")
        out = self._trainer.predict(self._network_inputs(X))
        target = self._trainer.data.target_scaling
        if target:
            mean, sd = target
            out = (np.asarray(out, np.float64) * sd + mean).astype(np.float32)
        return out

    def _network_inputs(self, X: np.ndarray) -> np.ndarray:
        """Rows in the data's units as the network takes them: standardised with the
        recorded means and sds, as the exported script's ``standardise`` does."""
        d = self._trainer.data
        if d.scaling:
            mean, sd = np.array(d.scaling, np.float64).T
            return ((X.astype(np.float64) - mean) / sd).astype(np.float32)
        from nnviz.core.csvdata import STANDARDISED
        unrecorded = [n for n in d.feature_names if n.endswith(STANDARDISED)]
        if unrecorded:
            warnings.warn(
                f"this run's features ({', '.join(unrecorded)}) were standardised on import, "
                "but its session does not record the means and sds (it was saved by an older "
                "nnviz): predict takes the standardised values, (value - mean) / sd with the "
                "training points' mean and sd, not the file's own; re-import the CSV file and "
                "save again to predict on its rows", UserWarning, stacklevel=3)
        return X.astype(np.float32)

    def _class_names(self) -> tuple[str, ...] | None:
        return None if self._classes is None else tuple(str(c) for c in self._classes)

    def session(self) -> Session:
        """The run as a Session (copies of its arrays): what :meth:`save` writes."""
        return Session.from_trainer(self._trainer, class_names=self._class_names(),
                                    run=self._run)

    def save(self, path: str | os.PathLike) -> None:
        """A session file (``.nnviz``) the window opens (``nnviz --open``, *File → Open*), with
        the run's record for the timeline; ``nnviz train --session`` goes on with it."""
        self.session().save(path)

    def export_script(self, path: str | os.PathLike, epochs: int | None = None) -> None:
        """A standalone Python script (jax and numpy only) that trains this run's network from
        its initial weights on its training points with its settings for ``epochs`` epochs
        (default: as many as the run) and prints the loss every 100 epochs, as the notebook
        does: the losses of this run's history, learning-rate changes and branches included
        (the live branch's). A run that has trained no epochs exports 1000. What the script
        cannot replay (weights or points edited during the run, a divergence nnviz recovered
        from) its docstring says, and a warning."""
        from nnviz.core.export import write_script
        self._warn_not_replayed(write_script(path, self._trainer, self._script_epochs(epochs),
                                             self._class_names(), self._run.log))

    @staticmethod
    def _warn_not_replayed(replayed) -> None:
        if replayed.note:
            warnings.warn(replayed.note, stacklevel=3)

    def _script_epochs(self, epochs: int | None) -> int:
        if epochs is None:
            return self.epoch or 1000
        n = _epochs(epochs)
        if n < 1:
            raise TrainingError(f"a script trains at least 1 epoch, got {shown(epochs)}")
        return n


    def export_notebook(self, path: str | os.PathLike, epochs: int | None = None) -> None:
        """:meth:`export_script` as a Jupyter notebook (``.ipynb``, written with nbformat:
        ``pip install 'nnviz[notebook]'``): the same code, a cell per section."""
        from nnviz.core.export import write_notebook
        self._warn_not_replayed(write_notebook(path, self._trainer,
                                               self._script_epochs(epochs),
                                               self._class_names(), self._run.log))

    def export_onnx(self, path: str | os.PathLike) -> None:
        """The network with its current weights as an ONNX model (``pip install
        'nnviz[onnx]'``): input ``X`` (N, features) float32, output ``Y``, the numbers of
        :meth:`predict`. Which op each activation becomes: :mod:`nnviz.core.onnx_export`.
        Raises OnnxError (an NnvizError) without the onnx package, saying how to get it, or
        for an activation that has no ONNX op."""
        from nnviz.core.onnx_export import describe, write_onnx
        names = None if self._classes is None else tuple(str(c) for c in self._classes)
        doc, meta = describe(self._trainer, names)
        write_onnx(path, self._trainer.spec, self._trainer.params, doc=doc, metadata=meta,
                   scaling=self._trainer.data.scaling,
                   target_scaling=self._trainer.data.target_scaling)


def _epochs(epochs: Any) -> int:
    n = whole_number(epochs)
    if n is None or not 0 <= n <= MAX_EPOCHS:
        raise TrainingError(f"epochs must be a whole number from 0 to {MAX_EPOCHS:,}, "
                            f"got {shown(epochs)}")
    return n


def _hidden(hidden: Any) -> tuple:
    if isinstance(hidden, (int, np.integer)):
        hidden = (hidden,)
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, (Sequence, np.ndarray)):
        raise SpecError(f"hidden must be a list of layer widths like [4, 10, 4], got {hidden!r}")
    return tuple(hidden)


#: ``init="notebook"``: the notebook's own initial weights of its moons network (2-4-10-4-1).
NOTEBOOK_INIT = "notebook"


def _initial(init: Any, spec) -> Any:
    if isinstance(init, str) and init == NOTEBOOK_INIT:
        from nnviz.core.presets import named_weights
        params = named_weights("notebook-moons")
        shapes = " -> ".join(str(n) for n in (params[0][0].shape[0],
                                               *(w.shape[1] for w, _ in params)))
        if spec.shapes_text() != shapes:
            raise SpecError(f"init='notebook' is the notebook's moons network, {shapes}; this "
                            f"one is {spec.shapes_text()} (use hidden=[4, 10, 4] on 2 inputs "
                            "with one output)")
        return params
    if isinstance(init, (str, os.PathLike)):
        return load_npz(init, spec)
    try:
        layers = [(np.asarray(w, np.float32), np.asarray(b, np.float32)) for w, b in init]
    except (TypeError, ValueError):
        raise SpecError("init must be weights in the notebook's layout, a list of (w, b) with "
                        "w (in, out) and b (out, 1), or the path of an .npz file") from None
    for i, (w, b) in enumerate(layers):
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise SpecError(f"init: layer {i} holds NaN or infinite values")
    params = as_params(layers)
    check_params(spec, params)
    return params


def _warn_off_scale(problem: Problem) -> None:
    """Arrays are trained as given (the numbers of ``nnviz train`` on them, predictions and
    exports in their units). Features far from unit scale, by the rule that standardises an
    imported CSV, get a warning saying what to do when the network has hidden layers: their
    units see the raw features, saturate (sigmoid, tanh) or blow up (relu), and the network
    trains badly, and the learner should know why. A network without hidden layers (the
    notebook's linear regression of its line, x from 0 to 10) fits scaled features as well as
    standardised ones; their scale only lowers the learning rate it stays stable at, and a
    rate too high for it is caught and explained as a divergence."""
    for note in scale_notes(problem):
        warnings.warn(note, UserWarning, stacklevel=4)


def scale_notes(problem: Problem) -> list[str]:
    """What :func:`_warn_off_scale` says of the arrays (features, then targets), as the window
    of :func:`show` shows it too: [] when they are near unit scale or the network has no
    hidden layer. Targets far from unit scale (the rule that standardises an imported CSV's:
    csvdata.OFF_SCALE_TARGET_RMS) leave the default network's fit a flat line at the mean
    (prices in the hundreds: R² 0.000 after 2,000 epochs); the arrays are trained as given
    all the same, the user's numbers."""
    if not problem.spec.hidden:
        return []
    from nnviz.core.csvdata import off_scale, target_off_scale
    data = problem.dataset
    notes = []
    scaling = off_scale(data)
    if scaling is not None:
        sds = ", ".join(f"{n} {s:.3g}" for n, (_, s) in zip(data.feature_names, scaling))
        notes.append(f"X's features are far from unit scale (sd: {sds}) and are trained as "
                     "given; the hidden units saturate or blow up on such inputs; a network "
                     "learns far better from standardised features: pass (X - X.mean(0)) / "
                     "X.std(0), and give predict rows scaled the same way")
    target = target_off_scale(data)
    if target is not None:
        mean, sd = target
        notes.append(f"y is far from unit scale (mean {mean:.3g}, sd {sd:.3g}) and is trained "
                     "as given; the network's fit tends to stay a flat line at the mean "
                     "(R\u00b2 near 0); it learns far better from standardised targets: pass "
                     "(y - y.mean()) / y.std(), and turn predict's values back with "
                     "* y.std() + y.mean()")
    return notes


def make_array_problem(X, y, *, hidden: Sequence[int] = (4, 10, 4),
                       activation: str | Sequence[str] = "sigmoid", loss: str | None = None,
                       optimizer: str = "gd", lr: float | None = None,
                       test_fraction: float = 0.2, seed: int = 0, batch_size: int = 0,
                       output_activation: str | None = None, task: str | None = None,
                       init_scheme: str = "normal", l1: float = 0.0, l2: float = 0.0,
                       init: Any = None, features: str | Sequence[str] | None = None
                       ) -> tuple[Problem, tuple | None]:
    """The Problem of :func:`train`'s arguments (and the original labels of classes 0..K-1,
    None for regression): what :func:`train` trains and :func:`show` opens. Raises an
    NnvizError saying what is wrong."""
    fraction = real_number(test_fraction)
    if fraction is None or not 0 <= fraction <= 0.9:
        raise DataError(f"test fraction must be between 0 and 0.9, got {shown(test_fraction)}")
    seed_ = whole_number(seed)
    if seed_ is None or not 0 <= seed_ <= MAX_SEED:
        raise DataError(f"seed must be a whole number from 0 to {MAX_SEED:,}, got {shown(seed)}")
    data, classes = dataset_from_arrays(X, y, _name(task), test_fraction=fraction, seed=seed_)
    widths = _hidden(hidden)
    acts = ((_name(activation),) * len(widths) if isinstance(activation, str)
            else tuple(_name(a) for a in activation))
    choices = Choices(widths, acts, _name(output_activation), _name(init_scheme), _name(loss),
                      _name(optimizer), lr, batch_size, l1, l2,
                      tuple(features.split(",") if isinstance(features, str) else features or ()))
    problem = make_problem(data, choices, seed=seed_)
    if init is not None:
        problem = replace(problem, params=_initial(init, problem.spec))
    _warn_off_scale(problem)
    return problem, classes


def train(X, y, *, hidden: Sequence[int] = (4, 10, 4), activation: str | Sequence[str] = "sigmoid",
          loss: str | None = None, optimizer: str = "gd", lr: float | None = None,
          epochs: int = 1000, test_fraction: float = 0.2, seed: int = 0, batch_size: int = 0,
          output_activation: str | None = None, task: str | None = None,
          init_scheme: str = "normal", l1: float = 0.0, l2: float = 0.0,
          init: Any = None, features: str | Sequence[str] | None = None) -> Run:
    """Train a network on points ``X`` (N, features) and targets ``y`` (N,), headless.

    The options are ``nnviz train``'s, with the same defaults; ``loss``, ``lr`` and
    ``output_activation`` left as None fit the data (:mod:`nnviz.core.problem`). Integer (or
    bool, or text) ``y`` are class labels, floats are values to predict; ``task=
    "classification"`` or ``"regression"`` says otherwise. ``activation`` is one name for every
    hidden layer or one per layer; ``init`` starts from given weights (the notebook's layout,
    as :attr:`Run.params`, an .npz path as ``--init``, or ``"notebook"``: the notebook's own
    initial weights of its 2-4-10-4-1 moons network); ``features`` the first layer's
    inputs (``"x1,x2,x1*x2"`` or a list, as ``--features``). A bad argument raises an
    :class:`~nnviz.core.errors.NnvizError` saying what is wrong. A run that diverges stops,
    goes back to its best weights and warns (``run.diverged``).
    """
    n_epochs = _epochs(epochs)
    problem, classes = make_array_problem(
        X, y, hidden=hidden, activation=activation, loss=loss, optimizer=optimizer, lr=lr,
        test_fraction=test_fraction, seed=seed, batch_size=batch_size,
        output_activation=output_activation, task=task, init_scheme=init_scheme, l1=l1, l2=l2,
        init=init, features=features)
    trainer = problem.make_trainer()
    run = runlog.Run(runlog.RunLog())
    measured: dict[str, list] = {k: [] for k in ("test_epoch", "test_loss", "train_accuracy",
                                                 "test_accuracy")}

    def keep(epoch: int, m) -> None:
        for k, v in zip(measured, (epoch, m.test_loss, m.train_accuracy, m.test_accuracy)):
            measured[k].append(v)

    def measure(log: runlog.RunLog) -> None:
        # As the window does: the weights after epoch E are measured and drawn at E + 1.
        m = runlog.measure_test(trainer, log)
        if m is not None:
            keep(trainer.epoch + 1, m)

    result = runlog.advance(trainer, run.log, n_epochs, on_checkpoint=measure)
    if result.diverged:  # the test curve ends with the train curve (see runlog.diverged_end)
        while measured["test_epoch"] and measured["test_epoch"][-1] > trainer.epoch:
            for v in measured.values():
                v.pop()
    last = runlog.finish_test(trainer, run.log, result.diverged)
    if last is not None:
        keep(*last)
    if result.diverged:
        warnings.warn(divergence_message(trainer.epoch, trainer.learning_rate,
                                         trainer.best_epoch, trainer.best_loss,
                                         then="train again", what=trainer.blow_up),
                      RuntimeWarning, stacklevel=2)
    arrays = {"test_epoch": np.array(measured["test_epoch"], np.int64),
              **{k: np.array(measured[k], np.float64) for k in list(measured)[1:]}}
    return Run(trainer, run, classes, np.asarray(result.losses, np.float32), arrays,
               result.diverged)


def load(path: str | os.PathLike) -> Run:
    """The run a session file holds (saved by the window, ``nnviz train --save`` or
    :meth:`Run.save`), ready to predict, save or export. Raises SessionError for a file that
    is not a readable session."""
    return run_from_session(load_session(path))


def run_from_session(session: Session, classes: tuple | None = None) -> Run:
    """The Run a Session (read from a file, or captured from the window) holds; ``classes``:
    the original labels of classes 0..K-1 (default: the session's class names)."""
    trainer = session.make_trainer()
    run = session.make_run()
    if run is None:  # a file of format 1: its losses, but no record of its past states
        run = runlog.Run(runlog.RunLog(losses=session.history))
        run.log.checkpoint(trainer.epoch, trainer.state, "start")
    d = session.dataset
    if classes is None and d.is_classification:
        classes = session.class_names or tuple(range(d.n_classes))
    return Run(trainer, run, classes)


def show(X=None, y=None, *, block: bool | None = None, **options: Any):
    """Open the window on points ``X`` and targets ``y`` (the keyword options of :func:`train`,
    except ``epochs``), or on a :class:`Run` (``show(run)``: its weights, settings and record),
    paused, ready to train.

    In a script it blocks until the window is closed and returns the :class:`Run` as it was
    then (its latest state and history). Where an event loop already runs (IPython or Jupyter
    after ``%gui qt``, or a Qt application's running loop) it returns at once with a
    :class:`nnviz.gui.show.Shown` handle: ``.run`` is the latest state, ``.close()`` closes
    the window. ``block`` says which, instead of the detection. The QApplication is created
    only if there is none, and is never quit. Bad arguments raise an NnvizError before any
    window opens.
    """
    from nnviz.gui.show import show_problem, show_run
    if isinstance(X, Run):
        if y is not None or options:
            raise TrainingError("show(run) takes the run alone: its settings are the run's")
        return show_run(X, block=block)
    if X is None or y is None:
        raise DataError("show needs points and targets, show(X, y), or a run, show(run)")
    if "epochs" in options:
        raise TrainingError("show does not take epochs: the window trains when you press Play")
    problem, classes = make_array_problem(X, y, **options)
    # The scale warnings in the window too: on stderr alone a learner never saw them.
    return show_problem(problem, classes, block=block,
                        hint=" ".join(f"Warning: {n}." for n in scale_notes(problem)))
