"""Exercises: a problem to start from, goals checked live, hints, and a solution with its reason.

An exercise is a TOML file (docs/exercises.md describes every field): people write these by
hand, and TOML takes comments and multi-line text (a task, a hint, an explanation) where JSON
takes neither. It is read with the standard library's ``tomllib`` and written with ``tomli-w``.

The problem is described by the same words as everywhere else: its ``data`` table holds the
fields of :class:`~nnviz.core.data.DataSpec`, its ``network`` and ``training`` tables those of
:class:`~nnviz.core.problem.Choices`, and :func:`~nnviz.core.problem.make_problem` builds it, so
what is left out takes the defaults that fit the data (as on the command line and in the window).
The solution is a partial problem laid over the exercise's own.

A goal is data, never code: a metric, a comparison and a value, plus optional limits on the
architecture and the epoch (``test_loss < 0.1`` with ``max_hidden_units = 8``).
"""
from __future__ import annotations

import math
import operator
import os
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

from .data import DataSpec, make_dataset
from .errors import NnvizError
from .network import NetworkSpec
from .problem import Choices, Problem, make_problem
from .training import Metrics

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, as a package
    import tomli as tomllib  # type: ignore[no-redef]

FORMAT_NAME = "nnviz-exercise"
FORMAT_VERSION = 1
SUFFIX = ".toml"
MAX_FILE_BYTES = 1 << 20  # an exercise is a page of text; anything larger is not one

# The controls an exercise may lock (shown, not editable) or hide.
CONTROLS: dict[str, str] = {
    "data": "the data set and its settings",
    "network": "the hidden layers: how many, their widths and activations",
    "features": "the input features",
    "output_activation": "the output layer's activation",
    "init_scheme": "how the initial weights are drawn",
    "loss": "the loss",
    "optimizer": "the optimiser",
    "learning_rate": "the learning rate",
    "batch_size": "the mini-batch size",
    "regularization": "the L1 / L2 penalty and its rate",
}

# Metric name -> (Metrics field, words). For regression "accuracy" is R^2 (as everywhere).
METRICS: dict[str, tuple[str, str]] = {
    "train_loss": ("train_loss", "train loss"),
    "test_loss": ("test_loss", "test loss"),
    "train_accuracy": ("train_accuracy", "train accuracy"),
    "test_accuracy": ("test_accuracy", "test accuracy"),
    "train_r2": ("train_accuracy", "train R\u00b2"),
    "test_r2": ("test_accuracy", "test R\u00b2"),
}
COMPARISONS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "<": (operator.lt, "below"),
    "<=": (operator.le, "at most"),
    ">": (operator.gt, "above"),
    ">=": (operator.ge, "at least"),
}
# Limits a goal may set, and how each reads: its words, then what it counts.
LIMITS: dict[str, tuple[str, str]] = {
    "max_hidden_units": ("at most", "hidden unit"),
    "max_hidden_layers": ("at most", "hidden layer"),
    "min_hidden_layers": ("at least", "hidden layer"),
    "max_parameters": ("at most", "parameter"),
    "max_epochs": ("within", "epoch"),
}


def _count(n: int, noun: str) -> str:
    """``3 hidden units``, ``1 hidden layer``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _limit_words(key: str, n: int) -> str:
    """How a limit reads: "at most 1 hidden layer", "at most 8 hidden units", and "without a
    hidden layer" for none at all (it read "at most 0 hidden layers")."""
    if key == "max_hidden_layers" and n == 0:
        return "without a hidden layer"
    words, noun = LIMITS[key]
    return f"{words} {_count(n, noun)}"

_TOP_KEYS = {"format", "version", "title", "task", "epochs", "hints", "controls", "problem",
             "goals", "solution"}
_PROBLEM_KEYS = {"data", "network", "training", "seed"}
_NETWORK_KEYS = {"hidden", "activation", "activations", "output_activation", "init_scheme",
                 "features"}
_TRAINING_KEYS = {"loss", "optimizer", "learning_rate", "batch_size", "l1", "l2"}
_GOAL_KEYS = {"metric", "op", "value", "text", *LIMITS}


class ExerciseError(NnvizError):
    """A broken exercise file or entry; the message says where and what."""


@dataclass(frozen=True)
class Goal:
    """``metric op value``, met only within the limits (None: no limit)."""

    metric: str
    op: str
    value: float
    max_hidden_units: int | None = None
    max_hidden_layers: int | None = None
    min_hidden_layers: int | None = None
    max_parameters: int | None = None
    max_epochs: int | None = None
    text: str = ""  # the teacher's words; empty: made from the fields

    def _format(self, v: float) -> str:
        # An accuracy reads as a percentage; a loss or R^2 as the number it is.
        return f"{100 * v:.4g}%" if self.metric.endswith("accuracy") else f"{v:.4g}"

    def _missing(self, metrics: Metrics) -> str:
        """Why the goal's number is not known: nothing measured yet, no test points to measure
        it on, or a loss that is not a number."""
        if all(math.isnan(float(v)) for v in (metrics.train_loss, metrics.train_accuracy,
                                             metrics.test_loss, metrics.test_accuracy)):
            return "not measured yet"
        if self.metric.startswith("test") and math.isnan(float(metrics.test_loss)):
            return "no test points"
        return "not a number"

    def describe(self) -> str:
        if self.text:
            return self.text
        words = f"{METRICS[self.metric][1]} {COMPARISONS[self.op][1]} {self._format(self.value)}"
        limits = [_limit_words(k, getattr(self, k)) for k in LIMITS
                  if getattr(self, k) is not None]
        return words + (", " + ", ".join(limits) if limits else "")

    def check(self, metrics: Metrics, spec: NetworkSpec, epoch: int,
              missing: str | None = None, met_at: int | None = None) -> "GoalStatus":
        """Whether the model with these metrics, this architecture, at this epoch meets it.
        ``missing``: what the detail says where the goal's number is not known (default: why
        not, from ``metrics``). ``met_at``: the epoch at which the run was seen to meet it
        first, if it was; past ``max_epochs`` a goal met by then stays met, saying when."""
        why = []
        units = sum(spec.hidden)
        if self.max_hidden_units is not None and units > self.max_hidden_units:
            why.append(_count(units, "hidden unit"))
        layers = len(spec.hidden)
        if self.max_hidden_layers is not None and layers > self.max_hidden_layers:
            why.append(_count(layers, "hidden layer"))
        if self.min_hidden_layers is not None and layers < self.min_hidden_layers:
            why.append(_count(layers, "hidden layer"))
        if self.max_parameters is not None and spec.n_params > self.max_parameters:
            why.append(f"{spec.n_params:,} parameters")
        value = float(getattr(metrics, METRICS[self.metric][0]))
        compare = COMPARISONS[self.op][0]
        holds = math.isfinite(value) and compare(value, self.value)
        now = f"now {self._format(value)}" if math.isfinite(value) else \
            missing or self._missing(metrics)
        # Its epochs used up: past them, or at the last one and not met there (Stop at the
        # budget said "Goal not yet met ... (now 0.07826)" at epoch 2,000 of 2,000, review r32).
        if self.max_epochs is not None and (epoch > self.max_epochs or
                                            epoch == self.max_epochs and not holds):
            if met_at is not None and met_at <= self.max_epochs and not why:
                return GoalStatus(self, True, f"met at epoch {met_at:,}, within "
                                              f"{self.max_epochs:,}; {now} at {epoch:,}")
            why.append(f"epoch {epoch:,}: restart to try again")
            return GoalStatus(self, False, f"{now}; " + ", ".join(why), final=True)
        return GoalStatus(self, holds and not why, now if not why else f"{now}; " + ", ".join(why))


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    met: bool
    detail: str  # what the value is now, and which limit is broken
    final: bool = False  # not met, and its epochs used up: only a restart can meet it


@dataclass(frozen=True)
class Exercise:
    """One exercise, as read from (or to be written to) a file."""

    title: str
    task: str
    problem_table: Mapping[str, Any]  # data / network / training / seed, as in the file
    goals: tuple[Goal, ...]
    hints: tuple[str, ...] = ()
    solution_table: Mapping[str, Any] = field(default_factory=dict)  # over problem_table
    explanation: str = ""  # why the solution works
    locked: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    epochs: int = 1000  # how long to train to see the goals met (the solution's budget)

    def problem(self) -> Problem:
        """The problem the exercise starts from."""
        return build_problem(self.problem_table, "problem")

    def solution_problem(self) -> Problem:
        """The problem with the solution applied."""
        return build_problem(merged(self.problem_table, self.solution_table), "solution")

    @property
    def has_solution(self) -> bool:
        return bool(self.solution_table)

    def solution_text(self) -> str:
        """What the solution changes, in the panel's words: "one hidden layer of 4 tanh units"
        (it read "hidden [4], activation tanh", the file's Python-like spelling)."""
        return solution_words(self.solution_table)

    def check(self, metrics: Metrics, spec: NetworkSpec, epoch: int) -> list[GoalStatus]:
        return [g.check(metrics, spec, epoch) for g in self.goals]

    def to_document(self) -> dict[str, Any]:
        """The file's content as plain tables (what :func:`parse` reads back)."""
        doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                               "title": self.title, "task": self.task, "epochs": self.epochs}
        if self.hints:
            doc["hints"] = list(self.hints)
        if self.locked or self.hidden:
            doc["controls"] = {"locked": list(self.locked), "hidden": list(self.hidden)}
        doc["problem"] = _plain(self.problem_table)
        doc["goals"] = [{k: v for k, v in asdict(g).items() if v is not None and v != ""}
                        for g in self.goals]
        solution = dict(_plain(self.solution_table))
        if self.explanation:
            solution["explanation"] = self.explanation
        if solution:
            doc["solution"] = solution
        return doc

    def to_toml(self) -> str:
        import tomli_w
        return tomli_w.dumps(self.to_document(), multiline_strings=True)

    def save(self, path: str | os.PathLike) -> None:
        """Write the exercise to ``path`` atomically (see fileio)."""
        from .fileio import atomic_write
        text = self.to_toml()
        parse(text)  # what is written must read back
        with atomic_write(path) as f:
            f.write(text.encode("utf-8"))


def _plain(table: Mapping[str, Any]) -> dict[str, Any]:
    """Tuples as lists, None left out: what TOML can hold."""
    out: dict[str, Any] = {}
    for k, v in table.items():
        if v is None:
            continue
        if isinstance(v, Mapping):
            out[k] = _plain(v)
        elif isinstance(v, tuple):
            out[k] = list(v)
        else:
            out[k] = v
    return out


def merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` laid on top, table by table."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


def _table(doc: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise ExerciseError(f"{where}.{key} must be a table")
    return value


def _unknown(table: Mapping[str, Any], known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ExerciseError(f"{where}: unknown field(s) {', '.join(extra)}; known: "
                            f"{', '.join(sorted(known))}")


def choices_of(network: Mapping[str, Any], training: Mapping[str, Any]) -> Choices:
    """The :class:`Choices` the ``network`` and ``training`` tables describe (their values are
    checked where the problem is built)."""
    hidden = network.get("hidden")  # left out: the data set's default (the line's: none)
    if hidden is not None:
        if not isinstance(hidden, (list, tuple)):
            raise ExerciseError(f"network.hidden must be a list of widths, got {hidden!r}")
        hidden = tuple(hidden)
    if "activations" in network:
        acts = network["activations"]
        if not isinstance(acts, (list, tuple)):
            raise ExerciseError(f"network.activations must be a list of names, got {acts!r}")
        acts = tuple(acts)
    else:
        acts = (network.get("activation", "sigmoid"),) * (1 if hidden is None else len(hidden))
    kw = {k: network[k] for k in ("output_activation", "init_scheme") if k in network}
    if "features" in network:
        feats = network["features"]
        if not isinstance(feats, (list, tuple)):
            raise ExerciseError(f"network.features must be a list of names, got {feats!r}")
        kw["features"] = tuple(feats)
    kw.update({k: training[k] for k in _TRAINING_KEYS if k in training})
    return Choices(hidden=hidden, activations=acts, **kw)


def build_problem(table: Mapping[str, Any], where: str = "problem") -> Problem:
    """The Problem a ``problem`` table describes; an ExerciseError says what does not fit."""
    _unknown(table, _PROBLEM_KEYS, where)
    data_t = _table(table, "data", where)
    network = _table(table, "network", where)
    training = _table(table, "training", where)
    _unknown(network, _NETWORK_KEYS, f"{where}.network")
    _unknown(training, _TRAINING_KEYS, f"{where}.training")
    seed = table.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ExerciseError(f"{where}.seed must be a whole number, got {seed!r}")
    try:
        data = make_dataset(DataSpec(**data_t))
        return make_problem(data, choices_of(network, training), seed=seed)
    except TypeError as e:  # an unknown DataSpec field
        raise ExerciseError(f"{where}.data: {e}") from None
    except NnvizError as e:
        raise ExerciseError(f"{where}: {e}") from None


def problem_table(problem: Problem) -> dict[str, Any]:
    """The ``problem`` table of ``problem`` (generated data only: an exercise holds no points)."""
    spec = problem.dataset.spec
    if spec is None:
        raise ExerciseError("an exercise describes its data by a generator (moons, xor, ...); "
                            "imported or edited points cannot be saved in one")
    s, c = problem.spec, problem.config
    return {
        "seed": int(problem.seed),
        "data": {k: v for k, v in asdict(spec).items() if v is not None},
        "network": {"hidden": list(s.hidden), "activations": list(s.activations),
                    "output_activation": s.output_activation, "init_scheme": s.init_scheme,
                    "features": list(s.feature_names)},
        "training": asdict(c),
    }


def _goal(entry: Any, i: int) -> Goal:
    where = f"goals[{i + 1}]"
    if not isinstance(entry, dict):
        raise ExerciseError(f"{where} must be a table")
    _unknown(entry, _GOAL_KEYS, where)
    metric, op, value = entry.get("metric"), entry.get("op"), entry.get("value")
    if metric not in METRICS:
        raise ExerciseError(f"{where}: metric must be one of {', '.join(METRICS)}, got {metric!r}")
    if op not in COMPARISONS:
        raise ExerciseError(f"{where}: op must be one of {', '.join(COMPARISONS)}, got {op!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ExerciseError(f"{where}: value must be a number, got {value!r}")
    limits = {}
    for k in LIMITS:
        v = entry.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ExerciseError(f"{where}: {k} must be a whole number >= 0, got {v!r}")
        limits[k] = v
    text = entry.get("text", "")
    if not isinstance(text, str):
        raise ExerciseError(f"{where}: text must be a string")
    return Goal(metric, op, float(value), text=text, **limits)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExerciseError(f"{where} must be a list of strings")
    return tuple(value)


def from_document(doc: Mapping[str, Any]) -> Exercise:
    """An Exercise from the file's tables, every field checked and the problem and solution
    built once (so a broken exercise is found when it is read, not when it is tried)."""
    if doc.get("format") != FORMAT_NAME:
        raise ExerciseError(f"not an exercise file (format must be {FORMAT_NAME!r})")
    if doc.get("version") != FORMAT_VERSION:
        raise ExerciseError(f"exercise file version {doc.get('version')!r}; this nnviz reads "
                            f"version {FORMAT_VERSION}")
    _unknown(doc, _TOP_KEYS, "the exercise")
    title, task = doc.get("title"), doc.get("task", "")
    if not isinstance(title, str) or not title.strip():
        raise ExerciseError("title must be a non-empty string")
    if not isinstance(task, str):
        raise ExerciseError("task must be a string")
    epochs = doc.get("epochs", 1000)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= 1_000_000:
        raise ExerciseError(f"epochs must be a whole number in 1..1000000, got {epochs!r}")
    hints = _strings(doc.get("hints", []), "hints")
    controls = _table(doc, "controls", "the exercise")
    _unknown(controls, {"locked", "hidden"}, "controls")
    locked = _strings(controls.get("locked", []), "controls.locked")
    hidden = _strings(controls.get("hidden", []), "controls.hidden")
    for name in (*locked, *hidden):
        if name not in CONTROLS:
            raise ExerciseError(f"controls: unknown control {name!r}; known: {', '.join(CONTROLS)}")
    goals_t = doc.get("goals")
    if not isinstance(goals_t, list) or not goals_t:
        raise ExerciseError("an exercise needs at least one [[goals]] entry")
    goals = tuple(_goal(g, i) for i, g in enumerate(goals_t))
    problem_t = _table(doc, "problem", "the exercise")
    solution_t = dict(_table(doc, "solution", "the exercise"))
    explanation = solution_t.pop("explanation", "")
    if not isinstance(explanation, str):
        raise ExerciseError("solution.explanation must be a string")
    ex = Exercise(title.strip(), task, problem_t, goals, hints, solution_t, explanation,
                  locked, hidden, epochs)
    ex.problem()
    if solution_t:
        ex.solution_problem()
    return ex


def parse(text: str) -> Exercise:
    """An Exercise from the text of a TOML file."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ExerciseError(f"not valid TOML: {e}") from None
    return from_document(doc)


def load(path: str | os.PathLike) -> Exercise:
    """The exercise in ``path``; ExerciseError (naming the file) if it cannot be one."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ExerciseError(f"cannot read {name}: {e.strerror or e}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ExerciseError(f"{name} is larger than {MAX_FILE_BYTES >> 10} KB: not an exercise")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ExerciseError(f"{name} is not a text file (UTF-8)") from None
    try:
        return parse(text)
    except ExerciseError as e:
        raise ExerciseError(f"{os.path.basename(name)}: {e}") from None


def from_problem(problem: Problem, base: Exercise | None = None, *, title: str | None = None,
                 task: str | None = None) -> Exercise:
    """An exercise that starts from ``problem``: the goals, hints, controls and solution of
    ``base`` (the exercise open now) if given, else one goal to edit (test accuracy >= 90%, or
    test R^2 for regression)."""
    table = problem_table(problem)
    if base is not None:
        return Exercise(title or base.title, base.task if task is None else task, table,
                        base.goals, base.hints, base.solution_table, base.explanation,
                        base.locked, base.hidden, base.epochs)
    metric = "test_accuracy" if problem.dataset.is_classification else "test_r2"
    return Exercise(title or "A new exercise", task or "Describe the task here.", table,
                    (Goal(metric, ">=", 0.9),))


def builtin_folder() -> Path | None:
    """The folder of the shipped exercises (None if there is none)."""
    candidates = [Path(str(resources.files("nnviz.resources"))) / "exercises",
                  Path(__file__).resolve().parents[2] / "resources" / "exercises"]
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*" + SUFFIX)):
            return folder
    return None


def builtin() -> list[tuple[Path, str, str]]:
    """The shipped exercises, in file-name order: (path, title, the task's first sentence),
    read without building their problems (a menu should not generate nine data sets; a broken
    one is refused when opened, and the test suite opens every one)."""
    folder = builtin_folder()
    out = []
    for path in sorted(folder.glob("*" + SUFFIX)) if folder else []:
        try:
            doc = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        title, task = doc.get("title"), doc.get("task", "")
        if isinstance(title, str) and isinstance(task, str):
            first = " ".join(task.split()).split(". ")[0]
            out.append((path, title, first))
    return out


def attempt(problem: Problem, epochs: int) -> tuple[Metrics, int]:
    """Train ``problem`` for ``epochs`` epochs headless; its metrics and the epoch it reached
    (fewer on a divergence)."""
    trainer = problem.make_trainer()
    trainer.run(epochs)
    return trainer.evaluate(), trainer.epoch


def solve(exercise: Exercise, problem: Problem | None = None) -> list[GoalStatus]:
    """The goals' status after training ``problem`` (default: the solution) for the exercise's
    epochs, headless."""
    problem = exercise.solution_problem() if problem is None else problem
    metrics, epoch = attempt(problem, exercise.epochs)
    return exercise.check(metrics, problem.spec, epoch)

_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SAID = {"learning_rate": "learning rate", "batch_size": "batches of", "l1": "L1", "l2": "L2",
         "output_activation": "output activation", "init_scheme": "initialisation"}


def _listed(items) -> str:
    items = [str(x) for x in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return _listed(v) if v else "none"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _layers(hidden, activation: str | None) -> str:
    """[4] and "tanh": "one hidden layer of 4 tanh units"."""
    n = len(hidden)
    if n == 0:
        return "no hidden layer"
    count = _COUNTS[n] if n < len(_COUNTS) else str(n)
    units = f"{activation} units" if activation else "units"
    if n == 1:
        widths = f"{hidden[0]} {units[:-1] if hidden[0] == 1 else units}"
    elif len(set(hidden)) == 1:
        widths = f"{hidden[0]} {units} each"
    else:
        widths = f"{_listed(hidden)} {units}"
    return f"{count} hidden layer{'s' if n > 1 else ''} of {widths}"


def solution_words(table: Mapping) -> str:
    """A solution's table (``[solution.network]`` ...) as the panel says it."""
    parts = []
    for section, entries in table.items():
        if not isinstance(entries, Mapping):
            parts.append(f"{section.replace('_', ' ')} {_value(entries)}")
            continue
        entries = dict(entries)
        if section == "network" and "hidden" in entries:
            act = entries.pop("activation", None)
            parts.append(_layers(list(entries.pop("hidden")), act))
        for k, v in entries.items():
            if k == "activation":
                parts.append(f"{v} in the hidden layers")
            elif k == "activations":
                parts.append(f"activations {_value(v)}")
            elif k == "features":
                parts.append(f"inputs {_value(v)}")
            elif k == "optimizer":
                parts.append(f"the {v} optimizer")
            elif k == "name" and section == "data":
                parts.append(f"the {v} data")
            else:
                parts.append(f"{_SAID.get(k, k.replace('_', ' '))} {_value(v)}")
    return ", ".join(parts)
