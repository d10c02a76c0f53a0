"""nnviz from Python: train headless, open a session, predict, save, export as a script.

``import nnviz`` loads this module on first use of ``nnviz.train``, ``nnviz.load`` or
``nnviz.Run`` (it imports jax). docs/api.md describes it with examples.

:func:`train` is ``nnviz train --data FILE.csv`` for arrays: the same Dataset (split by
``test_fraction`` and ``seed``), the same :func:`~nnviz.core.problem.make_problem` defaults, the
same trainer and so the same losses, bit for bit.
"""
from __future__ import annotations

import functools
import inspect
import math
import os
import warnings
from dataclasses import replace
from typing import Any, Callable, Mapping, ParamSpec, Sequence, TypeVar

import numpy as np

from nnviz.core import runlog
from nnviz.core.arrays import dataset_from_arrays
from nnviz.core.checks import real_number, whole_number
from nnviz.core.data import MAX_SEED, DataError
from nnviz.core.errors import NnvizError, shown, user_stacklevel
from nnviz.core.formatting import plural
from nnviz.core.network import SpecError, as_params, check_params, load_npz, wide_start_hint
from nnviz.core.problem import Choices, Problem, make_problem
from nnviz.core.session import Session
from nnviz.core.session import load as load_session
from nnviz.core.training import Trainer, TrainingError, divergence_message, uses_mini_batches

MAX_EPOCHS = 1_000_000_000  # as ``nnviz train --epochs``

__all__ = ["train", "load", "show", "Run"]


P = ParamSpec("P")
R = TypeVar("R")


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
        columns. Copies: changing them changes nothing in the run. On data standardised on the
        way in (a CSV import, or arrays far from unit scale) they act on the standardised
        features and give standardised targets (:meth:`predict` takes and gives yours)."""
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
        :func:`train` or :func:`show` as they were, or a CSV file's own values. Data far
        from unit scale (a CSV import, or arrays given to a network with hidden layers) was trained on standardised features (``Dataset.scaling``: each
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
        elif len(shape) == 1 and shape[0] == n_features:
            X = np.reshape(X, (1, -1))  # one point, as a row (review r20 F11: refused)
        elif len(shape) != 2 or shape[1] != n_features:
            layout = ""
            if len(shape) == 2 and shape[0] == n_features and shape[1] > n_features:
                layout = (": one point a row, pass X.T (the notebook's layout is one feature a "
                          "row)")
            elif len(shape) == 2:
                # Fewer columns than features: a column left out, most likely; X.T alone was
                # the advice, wrong for X[:2, :1] (review r30).
                layout = (f": one point a row, here of {plural(shape[1], 'feature')}"
                          + ("; if each column is a point (the notebook's layout, one feature "
                             "a row), pass X.T" if shape[0] == n_features else ""))
            raise DataError(f"X must be of shape (points, {n_features}): this network takes "
                            f"{plural(n_features, 'feature')}, got shape {shape}{layout}")
        from nnviz.core.arrays import not_numbers, unboxed_numbers
        X = unboxed_numbers(np.asarray(X))  # (an object array of numbers, as train takes it)
        if X.dtype.kind not in "biuf":  # (as train says it: words were "not finite")
            raise DataError(not_numbers(X, "X"))
        if not np.all(np.isfinite(X)):
            raise DataError("X must hold finite numbers")
        out = self._trainer.predict(self._network_inputs(X))
        target = self._trainer.data.target_scaling
        if target:
            mean, sd = target
            out = (np.asarray(out, np.float64) * sd + mean).astype(np.float32)
        return out

    def predict_classes(self, X) -> np.ndarray:
        """The class each point of ``X`` is put in, as its label in ``y`` (``classes``): the
        notebook's rounding of P(class 1) at 0.5, or the class of the largest score: the
        rule the run's accuracy uses. Classification runs only."""
        if self._classes is None:
            raise DataError("predict_classes is for a classification run; this one is a "
                            "regression: predict gives its values")
        from nnviz.core.losses import predicted_class
        return np.asarray(self._classes)[np.asarray(predicted_class(self.predict(X)))]

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
                                    extras=self._class_labels(), run=self._run)

    def _class_labels(self) -> dict:
        """The classes' own labels (ints, strings, bools), for :func:`load` to give back: the
        class names are their text, and a run saved with labels 0 and 1 came back predicting
        '0' and '1', so that ``predict_classes(X) == y`` read 0% (review r27 F1)."""
        if self._classes is None:
            return {}
        labels = [c.item() if isinstance(c, np.generic) else c for c in self._classes]
        if not all(isinstance(c, (bool, int, float, str)) for c in labels):
            return {}  # the names alone, as before
        return {CLASS_LABELS: labels}

    def save(self, path: str | os.PathLike) -> str:
        """A session file (``.nnviz``) the window opens (``nnviz --open``, *File → Open*), with
        the run's record for the timeline; ``nnviz train --session`` goes on with it. A name
        without a suffix gets ``.nnviz`` (the Open dialog lists those files only); returns the
        path written."""
        path = os.fspath(path)
        if not os.path.splitext(path)[1]:
            path += ".nnviz"
        self.session().save(path)
        return path

    def export_script(self, path: str | os.PathLike, epochs: int | None = None) -> None:
        """A standalone Python script (jax and numpy only) that trains this run's network from
        its initial weights on its training points with its settings for ``epochs`` epochs
        (default: as many as the run) and prints the loss every 100 epochs, as the notebook
        does: the losses of this run's history, learning-rate changes and branches included
        (the live branch's). A run that has trained no epochs exports 1000, and a warning
        and the script's docstring say so. What the script
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
            if not self.epoch:
                # The script's own 1,000 were trained by no one: "Loss for epoch 1000" from a
                # run that showed none, and nothing said why (review r27 F9).
                warnings.warn("the run has trained no epochs: the script trains 1,000 (the "
                              "notebook's number); epochs=N chooses another",
                              stacklevel=user_stacklevel())
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


def standardised_arrays(data, hidden: Sequence[int], *, raw_features: bool = False,
                        raw_targets: bool = False):
    """``data`` (from the user's arrays) as the network trains on it, and what to say of it:
    features and a regression's targets far from unit scale standardised by the rule and
    with the messages of the CSV import (csvdata.off_scale, target_off_scale; ``nnviz train
    --data``'s stderr), unless ``raw_features`` / ``raw_targets`` (``--raw-features`` /
    ``--raw-targets``) keep them as given, with the import's warning. The user's arrays are
    never changed (the Dataset holds copies); Run.predict, the exported script and the ONNX
    model take and give the user's units (Dataset.scaling, target_scaling).

    House prices 75-375 against areas 50-250 (tests/core/test_target_scaling.py's house.csv
    as arrays): trained as given, R² -6.1 after 300 epochs, a flat line; standardised, 0.96.

    A network without hidden layers is trained on the arrays as given, as before: nothing in
    it saturates, a linear model fits scaled features as well as standardised ones (the
    notebook's line, x 0..10: R² 0.980 both) and the target's scale only scales its
    solution; standardising would change the notebook's weights the learner compares with
    (its w 2.3 and b 0.23 of y = 2.3 x + 0.23).

    Returns (dataset, [(is_warning, message), ...])."""
    from nnviz.core import csvdata
    if not hidden:
        return data, []
    said: list[tuple[bool, str]] = []
    scaling = csvdata.off_scale(data) if not raw_features else None
    if scaling:
        data = csvdata.standardised(data, scaling)
    target = csvdata.target_off_scale(data) if not raw_targets else None
    if target:
        data = csvdata.standardised_target(data, target)
    texts = csvdata.scaling_texts(data, "y's own units")
    for text, warning, flag in ((texts[0], csvdata.unscaled_warning, "raw_features"),
                                (texts[1], csvdata.target_unscaled_warning, "raw_targets")):
        if text:
            said.append((False, f"{text} ({flag}=True keeps them as they are)"))
        elif warned := warning(data):
            said.append((True, f"{warned}; leave out {flag}=True to train on (value - mean) "
                               "/ sd"))
    return data, said


def make_array_problem(X, y, *, hidden: Sequence[int] = (4, 10, 4),
                       activation: str | Sequence[str] = "sigmoid", loss: str | None = None,
                       optimizer: str = "gd", lr: float | None = None,
                       test_fraction: float = 0.2, seed: int = 0, batch_size: int = 0,
                       output_activation: str | None = None, task: str | None = None,
                       init_scheme: str = "normal", l1: float = 0.0, l2: float = 0.0,
                       init: Any = None, features: str | Sequence[str] | None = None,
                       raw_features: bool = False, raw_targets: bool = False
                       ) -> tuple[Problem, tuple | None, list[tuple[bool, str]]]:
    """The Problem of :func:`train`'s arguments (and the original labels of classes 0..K-1,
    None for regression; and what standardised_arrays says of the scale, also given as
    warnings): what :func:`train` trains and :func:`show` opens. Raises an NnvizError saying
    what is wrong."""
    for name, flag in (("raw_features", raw_features), ("raw_targets", raw_targets)):
        if not isinstance(flag, (bool, np.bool_)):
            raise DataError(f"{name} must be True or False, got {shown(flag)}")
    fraction = real_number(test_fraction)
    if fraction is None or not 0 <= fraction <= 0.9:
        raise DataError(f"test fraction must be between 0 and 0.9, got {shown(test_fraction)}")
    seed_ = whole_number(seed)
    if seed_ is None or not 0 <= seed_ <= MAX_SEED:
        raise DataError(f"seed must be a whole number from 0 to {MAX_SEED:,}, got {shown(seed)}")
    data, classes = dataset_from_arrays(X, y, _name(task), test_fraction=fraction, seed=seed_)
    widths = _hidden(hidden)
    data, said = standardised_arrays(data, widths, raw_features=bool(raw_features),
                                     raw_targets=bool(raw_targets))
    acts = ((_name(activation),) * len(widths) if isinstance(activation, str)
            else tuple(_name(a) for a in activation))
    choices = Choices(widths, acts, _name(output_activation), _name(init_scheme), _name(loss),
                      _name(optimizer), lr, batch_size, l1, l2,
                      tuple(features.split(",") if isinstance(features, str) else features or ()))
    problem = make_problem(data, choices, seed=seed_)
    n_train, batch = len(problem.dataset.train_index), problem.config.batch_size
    if batch > 0 and not uses_mini_batches(problem.config, n_train):
        # batch_size=1000 on 160 training points ran full batch without a word (review r31).
        said.append((False, f"batch_size={batch} leaves fewer than two batches of the "
                            f"{plural(n_train, 'training point')}: each epoch is one step on "
                            f"them all (full batch), as batch_size=0 trains"))
    if init is not None:
        problem = replace(problem, params=_initial(init, problem.spec))
    elif hint := wide_start_hint(problem.spec, 'init_scheme="he" (for relu) or "glorot"'):
        said.append((True, hint))
    for _, text in said:
        warnings.warn(text, UserWarning, stacklevel=user_stacklevel())
    return problem, classes, said


# Other names for train's and show's options, as other tools spell them: nnviz sweep --json's
# column "learning_rate", scikit-learn's MLPClassifier (hidden_layer_sizes, max_iter, ...).
# difflib finds a slip of the keyboard ("hiden"), not these.
OPTION_ALIASES = {"learning_rate": "lr", "learning_rate_init": "lr", "hidden_layer_sizes": "hidden",
                  "hidden_layers": "hidden", "max_iter": "epochs", "n_epochs": "epochs",
                  "random_state": "seed", "solver": "optimizer", "alpha": "l2"}


def _option_error(function: str, name: str, known: Sequence[str], also: str = "") -> TrainingError:
    """The error for an option ``name`` that ``function`` does not take: the one meant where
    it is another tool's name for it or a slip of one, else the options it takes."""
    from nnviz.view_names import did_you_mean
    meant = OPTION_ALIASES.get(name)
    if meant in known:
        hint = f"; nnviz calls it {meant}"
    else:
        hint = did_you_mean(name, known, cutoff=0.6) or (
            f"; it takes {', '.join(known)}{f' and {also}' if also else ''}")
    return TrainingError(f"{function} has no option {name!r}{hint}")


def _named_options(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` refusing a keyword it does not take with a TrainingError that names the
    one meant (:func:`_option_error`): ``train(X, y, hiden=[4])`` raised Python's bare
    "TypeError: train() got an unexpected keyword argument 'hiden'", where show said "did you
    mean hidden?" (review r27 F10). Its signature and docstring stay the function's own
    (functools.wraps: help() and inspect.signature read them)."""
    keywords = [n for n, p in inspect.signature(function).parameters.items()
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]

    @functools.wraps(function)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        for name in kwargs:
            if name not in keywords:
                raise _option_error(function.__name__, name,
                                    [n for n in keywords if n not in ("X", "y")])
        return function(*args, **kwargs)
    return checked


@_named_options
def train(X, y, *, hidden: Sequence[int] = (4, 10, 4), activation: str | Sequence[str] = "sigmoid",
          loss: str | None = None, optimizer: str = "gd", lr: float | None = None,
          epochs: int = 1000, test_fraction: float = 0.2, seed: int = 0, batch_size: int = 0,
          output_activation: str | None = None, task: str | None = None,
          init_scheme: str = "normal", l1: float = 0.0, l2: float = 0.0,
          init: Any = None, features: str | Sequence[str] | None = None,
          raw_features: bool = False, raw_targets: bool = False) -> Run:
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

    As ``nnviz train --data FILE.csv`` does, features and a regression's targets far from
    unit scale (house prices in the hundreds) are standardised for a network with hidden
    layers, (value - mean) / sd of the training points, with a warning that says how:
    the losses and :attr:`Run.params` are then in standardised units, while
    :meth:`Run.predict` and the exports take and give your units. ``raw_features=True`` /
    ``raw_targets=True`` (``--raw-features`` / ``--raw-targets``) train on them as given.
    ``X`` and ``y`` themselves are never changed.
    """
    n_epochs = _epochs(epochs)
    problem, classes, _ = make_array_problem(
        X, y, hidden=hidden, activation=activation, loss=loss, optimizer=optimizer, lr=lr,
        test_fraction=test_fraction, seed=seed, batch_size=batch_size,
        output_activation=output_activation, task=task, init_scheme=init_scheme, l1=l1, l2=l2,
        init=init, features=features, raw_features=raw_features, raw_targets=raw_targets)
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

    measure(run.log)  # the initial weights: both curves start at epoch 1, as in the window
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
                                         then="train again", what=trainer.blow_up,
                                         start=trainer.blame_start(),
                                         init='init_scheme="he" (for relu) or "glorot"'),
                      RuntimeWarning, stacklevel=user_stacklevel())
    arrays = {"test_epoch": np.array(measured["test_epoch"], np.int64),
              **{k: np.array(measured[k], np.float64) for k in list(measured)[1:]}}
    return Run(trainer, run, classes, np.asarray(result.losses, np.float32), arrays,
               result.diverged)


def load(path: str | os.PathLike) -> Run:
    """The run a session file holds (saved by the window, ``nnviz train --save`` or
    :meth:`Run.save`), ready to predict, save or export. Raises SessionError for a file that
    is not a readable session."""
    return run_from_session(load_session(path))


CLASS_LABELS = "class_labels"  # the session's extras key of Run._class_labels


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
        labels = session.extras.get(CLASS_LABELS)
        if isinstance(labels, list) and len(labels) == d.n_classes:
            classes = tuple(labels)  # as they were given to train (Run._class_labels)
        else:
            classes = session.class_names or tuple(range(d.n_classes))
    return Run(trainer, run, classes)


def _known_options(options: dict) -> None:
    """Raise a TrainingError naming an option :func:`show` does not take, and the one meant
    when it is a slip of one (``hiden=[4]``: a TypeError named an internal function,
    make_array_problem, review r20 F11)."""
    known = [n for n in inspect.signature(make_array_problem).parameters if n not in ("X", "y")]
    for name in options:
        if name not in known:
            raise _option_error("show", name, known, also="block")


def show(X=None, y=None, *, block: bool | None = None, **options: Any):
    """Open the window on points ``X`` and targets ``y`` (the keyword options of :func:`train`,
    except ``epochs``; features and targets far from unit scale standardised as there, and
    said over the plot, unless ``raw_features=True`` / ``raw_targets=True``), or on a :class:`Run` (``show(run)``: its weights, settings and record),
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
    if block is not None and not isinstance(block, (bool, np.bool_)):
        raise TrainingError(f"block must be True, False or None (the default: detected), "
                            f"not {block!r}")
    if isinstance(X, Run):
        if y is not None or options:
            raise TrainingError("show(run) takes the run alone: its settings are the run's")
        return show_run(X, block=block)
    if X is None or y is None:
        raise DataError("show needs points and targets, show(X, y), or a run, show(run)")
    if "epochs" in options:
        raise TrainingError("show does not take epochs: the window trains when you press Play")
    _known_options(options)
    problem, classes, said = make_array_problem(X, y, **options)
    # What was standardised (or is far from unit scale and kept) in the window too: on stderr
    # alone a learner never saw it.
    return show_problem(problem, classes, block=block,
                        hint=" ".join(f"Warning: {t}." if warning else f"{t}."
                                      for warning, t in said))
