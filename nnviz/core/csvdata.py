"""Your own data: CSV import (with a preview) and CSV export of data and loss history.

Accepted files, one point per line, a header line optional:

- ``x1,x2,label`` -- classification; labels may be any values (numbers or words) and become
  classes 0..K-1 in sorted order, their names kept for display;
- ``x,y`` or ``x1,x2,y`` -- regression.

The separator may be a comma, a semicolon (then a decimal comma is accepted), a tab or spaces;
blank lines and lines starting with ``#`` are skipped. The task is read from the last column:
words, or a few distinct whole numbers, mean classification; anything else regression. The
caller may force either. Every problem raises :class:`~nnviz.core.data.DataError` with a
message naming the line or column; among them a value that dominates its column's range (one
1e30 among values of 0-10: FAR_FACTOR), which would leave every other point on one spot.

Features far from the scale the default network and learning rates are made for (the generated
data sets' few units around 0) are standardised on import: every feature becomes (value - mean)
/ sd of the training points, and its name says so ("width (standardised)"), so the axes, a saved
session and exported code all read the same numbers. Fruit measured in cm (means 6-8) saturated
the default sigmoid network: 77% training accuracy after 500 epochs, 98% standardised.

A regression's targets far from unit scale (OFF_SCALE_TARGET_RMS: a wider bound than the
features') are standardised the same way, and their name says so ("price_k (standardised)"):
the plot, the losses and a saved session are then in standardised units (R² is the same).
House prices of 75-375 (k) left the default network's fit a flat line at the mean, R² 0.000
after 2,000 epochs; standardised, R² 0.94 after 200. The exported script, ONNX model and
``Run.predict`` give predictions in the file's units.
"""
from __future__ import annotations

import csv
import io
import math
import os
import re
from array import array
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Sequence

import numpy as np

from .data import CLASSIFICATION, REGRESSION, DataError, Dataset, from_arrays
from .fileio import atomic_write
from .formatting import plural

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MIN_ROWS = 4
MAX_CLASSES = 10
PREVIEW_ROWS = 10
_FLOAT32_MAX = float(np.finfo(np.float32).max)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# A feature is far from unit scale when its training values' root mean square is above
# OFF_SCALE_RMS (cm, hours, years...) or their standard deviation below OFF_SCALE_SD (a small
# spread around an offset); the generated data sets lie within about 3 of 0.
OFF_SCALE_RMS = 3.0
OFF_SCALE_SD = 0.1
STANDARDISED = " (standardised)"
# A regression's targets are far from unit scale when their training values' root mean square
# is above OFF_SCALE_TARGET_RMS, or their sd below OFF_SCALE_SD. The bound is the features'
# rule widened by what the default network (sigmoid, mse, lr 0.05) was measured to fit as it
# is: daylight.csv's hours (rms 13.6) and the notebook's line (rms ~14) train well raw, and
# standardised they train slower (daylight: R² 0.03 against 0.94 after 500 epochs); the
# same targets scaled up stalled at the mean from an rms of about 70-80 (daylight x6, house
# prices x0.3), house.csv's prices (rms 248) at once. 20 keeps a margin of 3 below that.
OFF_SCALE_TARGET_RMS = 20.0
# A column whose range a few points dominate: one cell of 1e30 among values of 0-10 drew the
# other points on one spot of the plot, and standardised they all became the same number
# (-0.146 to float32's precision), the heat map one colour; kept as they were, a cell of 3e38
# drew no map. The import refuses a value further than FAR_FACTOR times the other values'
# range from them (they would span under a thousandth of the plot, less than a pixel), among
# at most FAR_SHARE of the rows (at least 1): more such values are the data's own spread.
FAR_FACTOR = 1000.0
FAR_SHARE = 0.05


@dataclass(frozen=True)
class ImportedData:
    """A CSV file read into a Dataset, with what the user should see of it."""

    dataset: Dataset
    class_names: tuple[str, ...] | None  # the file's label for class 0, 1, ... (classification)
    header: tuple[str, ...] | None  # the header line's names, if the file had one
    delimiter: str  # "," ";" "\t" or " " (any whitespace)
    task_detected: bool  # False when the caller forced the task
    # (mean, sd) per feature when the features were standardised on import (see the top)
    scaling: tuple[tuple[float, float], ...] | None = None

    @property
    def target_scaling(self) -> tuple[float, float] | None:
        """(mean, sd) of the targets when they were standardised on import (see the top)."""
        return self.dataset.target_scaling

    def scaling_text(self) -> str:
        """How the features and the target were standardised, for the user ("" if neither
        was): :meth:`feature_scaling_text` and :meth:`target_scaling_text`."""
        return ". ".join(t for t in (self.feature_scaling_text(), self.target_scaling_text())
                         if t)

    def feature_scaling_text(self) -> str:
        """How the features were standardised, for the user ("" if they were not)."""
        return scaling_texts(self.dataset)[0]

    def target_scaling_text(self) -> str:
        """How the target was standardised, for the user ("" if it was not)."""
        return scaling_texts(self.dataset)[1]


def _centred(mean: float, sd: float) -> str:
    """"(value − 5.2) / 1.3", and "(value + 0.075) / 9.661" for a negative mean (not "− -")."""
    sign = "\u2212" if mean >= 0 else "+"
    return f"(value {sign} {abs(mean):.4g}) / {sd:.4g}"


def scaling_texts(data: Dataset, units: str = "the file's") -> tuple[str, str]:
    """How ``data``'s features and target were standardised, for the user ("" for each that
    was not): the CSV import's words, and nnviz.train's on arrays (``units``: "y's own")."""
    features = target = ""
    if data.scaling:
        names = [n[: -len(STANDARDISED)] if n.endswith(STANDARDISED) else n
                 for n in data.feature_names]
        X = np.asarray(data.X)[data.train_index]
        const = [bool(len(X)) and np.ptp(X[:, j]) == 0 for j in range(X.shape[1])]
        parts = ", ".join(f"{n} = {_centred(m, s)}" + (" (constant: every point 0)" if c else "")
                          for n, (m, s), c in zip(names, data.scaling, const))
        features = ("The features were standardised, being far from the unit scale the "
                    f"default network trains on: {parts}")
    if data.target_scaling:
        m, s = data.target_scaling
        target = (f"The target was standardised{' too' if data.scaling else ''}, being far "
                  f"from unit scale: {target_words(data)} = {_centred(m, s)}; the losses and the "
                  f"plot are in these standardised units (R\u00b2 is the same in {units})")
    return features, target


@dataclass(frozen=True)
class CsvPreview:
    """What the import dialog shows: the first lines, and either the result or the problem."""

    path: str
    rows: tuple[tuple[str, ...], ...]  # the first data rows as text (after any header)
    header: tuple[str, ...] | None
    data: ImportedData | None  # None when the file cannot be imported
    error: str | None  # the message for the user, None when the import works
    table: "CsvTable | None" = None  # the file as read, to choose another task or split from
    # the file's line number of each of ``rows``, as the messages name them ("line 3"): with
    # a header line, the first data row is line 2, not row 1
    lines: tuple[int, ...] = ()

    @property
    def task(self) -> str | None:
        return self.data.dataset.task if self.data else None

    @property
    def class_names(self) -> tuple[str, ...] | None:
        return self.data.class_names if self.data else None

    def summary(self) -> str:
        """One line: what importing this file gives."""
        if self.data is None:
            return f"Cannot import: {self.error}"
        d = self.data.dataset
        what = (f"classification, {d.n_classes} classes ({', '.join(self.data.class_names or ())})"
                if d.is_classification else
                f"regression of {d.target_name}" if d.target_name else "regression")
        scaled = self.data.scaling_text()
        return (f"{d.X.shape[0]} points, {d.n_features} feature{'s' if d.n_features > 1 else ''}"
                f" ({', '.join(d.feature_names)}); {what}; {len(d.train_index)} training / "
                f"{plural(len(d.test_index), 'test point')}" + (f". {scaled}" if scaled else ""))


# --- reading ---------------------------------------------------------------------------------------
#
# A file is read once into a CsvTable (numbers as arrays, each distinct label text once); the task
# and the split are chosen afterwards, so the import dialog can change them without reading again.
# Rows stream through the csv module one at a time: memory follows the data, not the line count.

MAX_CELL_CHARS = 1000  # a number, or a class name a legend can show
PREVIEW_CELL_CHARS = 40
_PROGRESS_ROWS = 4096  # rows between two progress reports

Progress = Callable[[float], None]

# The csv module refuses a field over 128 kB with its own error; nnviz refuses long cells itself,
# naming the line, after reading them (the preview shows them cut).
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))
_BLANKS = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's cells, read and checked: points as numbers, the last column as label texts."""

    path: str
    name: str  # the data set's name (the file's stem)
    header: tuple[str, ...] | None
    delimiter: str
    names: tuple[str, ...]  # every column's name: the header's, or x,y / x1,x2,label
    X: np.ndarray  # (rows, columns - 1) float64, finite and within float32
    lines: np.ndarray  # (rows,) the file's line number of each row
    label_texts: tuple[str, ...]  # each distinct last cell once, in order of appearance
    label_codes: np.ndarray  # (rows,) index into label_texts
    label_values: np.ndarray  # (len(label_texts),) each text's number; NaN if not a number
    label_is_number: np.ndarray  # (len(label_texts),) bool
    head: tuple[tuple[str, ...], ...]  # the first data rows as text, long cells cut
    head_lines: tuple[int, ...] = ()  # the file's line number of each of ``head``

    def column(self, j: int) -> str:
        return f"column {j + 1} ({self.names[j]})"

    def imported(self, task: str | None = None, *, test_fraction: float = 0.2,
                 seed: int = 0, standardise: bool = True,
                 standardise_target: bool = True, plotted: bool = False) -> ImportedData:
        """The Dataset for ``task`` (None: detected from the last column); features far from
        unit scale standardised unless ``standardise`` is False, a regression's targets far
        from unit scale unless ``standardise_target`` is False (see the top). ``plotted``:
        for the window's preview, whose refusal of a far value speaks of the plot
        (far_values_refused)."""
        if task not in (None, CLASSIFICATION, REGRESSION):
            raise DataError(f"task must be {CLASSIFICATION!r} or {REGRESSION!r}, got {task!r}")
        numeric = bool(self.label_is_number.all())
        last = len(self.names) - 1
        task_detected = task is None
        if task is None:
            task = REGRESSION
            if not numeric:
                task = CLASSIFICATION
            else:
                distinct = np.unique(self.label_values)
                few = len(distinct) <= min(MAX_CLASSES, max(2, len(self.lines) // 2))
                if few and np.all(np.isfinite(distinct)) and np.all(distinct == np.round(distinct)):
                    task = CLASSIFICATION

        def first_row(bad_text: np.ndarray) -> tuple[int, str]:
            i = int(np.argmax(bad_text[self.label_codes]))
            return int(self.lines[i]), self.label_texts[self.label_codes[i]]

        values = self.label_values
        if task == REGRESSION:
            with np.errstate(invalid="ignore"):
                reason = np.where(~self.label_is_number, 1, np.where(
                    ~np.isfinite(values), 2, np.where(np.abs(values) > _FLOAT32_MAX, 3, 0)))
            if reason.any():
                line, cell = first_row(reason != 0)
                why = {1: "is not a number (a regression target must be)",
                       2: "is not a finite number",
                       3: f"is too large (at most {_FLOAT32_MAX:.3g})"}[
                           int(reason[self.label_texts.index(cell)])]
                raise DataError(f"line {line}, {self.column(last)}: {cell!r} {why}")
            y = values[self.label_codes]
            class_names = None
        else:
            if numeric:
                if not np.all(np.isfinite(values)):
                    line, cell = first_row(~np.isfinite(values))
                    raise DataError(f"line {line}, {self.column(last)}: {cell!r} is not a valid "
                                    "label")
                keys, rank = np.unique(values, return_inverse=True)
                class_names = tuple(str(int(k)) if float(k).is_integer() else f"{k:g}"
                                    for k in keys)
            else:
                order = sorted(range(len(self.label_texts)), key=self.label_texts.__getitem__)
                rank = np.empty(len(order), np.int64)
                rank[order] = np.arange(len(order))
                class_names = tuple(self.label_texts[i] for i in order)
            y = np.asarray(rank).reshape(-1)[self.label_codes]
            if len(class_names) < 2:
                raise DataError(f"{self.column(last)} holds one class only "
                                f"({class_names[0]!r}); classification needs at least 2")
            if len(class_names) > MAX_CLASSES:
                shown = ", ".join(class_names[:5])
                raise DataError(f"{self.column(last)} holds {len(class_names)} different labels "
                                f"({shown}, ...); at most {MAX_CLASSES} classes. If these are "
                                "numbers to predict, import as regression")
        columns = [(self.X[:, j], j) for j in range(self.X.shape[1])]
        if task == REGRESSION:
            columns.append((y, last))

        def line(i: int) -> str:
            return f"line {int(self.lines[i])}"
        for col, j in columns:
            said = far_values_refused(col, line, self.column(j), j == last, plotted=plotted)
            if said:
                raise DataError(said)
        data = from_arrays(self.X, y, task, test_fraction=test_fraction, seed=seed,
                           name=self.name, n_classes=len(class_names) if class_names else None)
        data = replace(data, feature_names=self.names[:-1],
                       target_name=self.names[-1] if self.header else "")
        scaling = off_scale(data) if standardise else None
        if scaling:
            data = standardised(data, scaling)
        target_scaling = target_off_scale(data) if standardise_target else None
        if target_scaling:
            data = standardised_target(data, target_scaling)
        return ImportedData(data, class_names, self.header, self.delimiter, task_detected,
                            scaling)


def _far_values(col: np.ndarray) -> tuple[np.ndarray, float, float] | None:
    """(indices in the file's order, low, high of the others) of the values of ``col`` that
    dominate its range (FAR_FACTOR, FAR_SHARE), or None when none does."""
    n = len(col)
    few = max(1, int(n * FAR_SHARE))
    if n < 2 * few + 2:
        return None
    order = np.argsort(col, kind="stable")
    bulk = col[order[few:n - few]]
    lo, hi = float(bulk[0]), float(bulk[-1])
    spread = hi - lo
    if spread <= 0:  # the others are one value: there is no spread to lose
        return None
    with np.errstate(over="ignore"):
        gap = np.maximum(lo - col, col - hi)
    far = np.flatnonzero(gap > FAR_FACTOR * spread)
    if not len(far) or len(far) > 2 * few:
        return None
    others = np.delete(col, far)
    return far, float(others.min()), float(others.max())


def far_values_refused(col: np.ndarray, row: Callable[[int], str], column: str,
                       target: bool, *, plotted: bool) -> str | None:
    """Why the values of ``col`` that dominate its range (_far_values) are refused, or None:
    ``row(i)`` names the i-th value's row ("line 9", "row 8"), ``column`` its column, as the
    import's other messages do; ``target``: the column is a regression's targets.
    ``plotted``: the message is the window's, which would draw the data; elsewhere (``nnviz
    train``, nnviz.train) there is no plot to speak of, and it says what the value does to
    the column's scale instead."""
    found = _far_values(col)
    if found is None:
        return None
    far, lo, hi = found
    i = int(far[0])
    more = (f" (and {plural(len(far) - 1, 'more such value')}: "
            f"{', '.join(row(int(k)) for k in far[1:4])}{', ...' if len(far) > 4 else ''})"
            if len(far) > 1 else "")
    what, it = ("target" if target else "feature"), ("it" if len(far) == 1 else "them")
    if plotted:
        effect = (f"The plot's range and the standardised {what} would be dominated by {it}, "
                  "every other point drawn on one spot")
    else:
        effect = (f"The {what}'s scale would be dominated by {it}: standardised, every other "
                  "value would become nearly the same number, the points no longer told apart")
    return (f"{row(i)}, {column}: {col[i]:.6g} is far outside the column's other values "
            f"({lo:.3g} to {hi:.3g}){more}. {effect}. Correct the value or remove the row; if "
            "such values are real, give the column's logarithm instead")


def input_names(data: Dataset) -> tuple[str, ...]:
    """The names of ``data``'s raw inputs as its file gave them ("width", not "width
    (standardised)"); () for data without names of its own (x1, x2)."""
    return tuple(n[: -len(STANDARDISED)] if n.endswith(STANDARDISED) else n
                 for n in data.feature_names)


def _far_from_unit(data: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, sd, far) of each feature on the training points; ``far``: the feature is far
    from unit scale (see OFF_SCALE_RMS)."""
    X = np.asarray(data.X, np.float64)[data.train_index]
    if not len(X):
        empty = np.zeros(0)
        return empty, empty, np.zeros(0, bool)
    mean, sd = X.mean(axis=0), X.std(axis=0)
    rms = np.sqrt(np.mean(np.square(X), axis=0))
    return mean, sd, (rms > OFF_SCALE_RMS) | ((sd > 0) & (sd < OFF_SCALE_SD))


def off_scale(data: Dataset) -> tuple[tuple[float, float], ...] | None:
    """(mean, sd) of each feature on the training points when any feature is far from unit
    scale (see OFF_SCALE_RMS), else None. A constant feature's sd counts as 1."""
    mean, sd, far = _far_from_unit(data)
    if not far.any():
        return None
    sd = np.where(sd > 0, sd, 1.0)
    return tuple((float(m), float(s)) for m, s in zip(mean, sd))


def unscaled_warning(data: Dataset) -> str:
    """What to say of ``data`` kept as it is when features are far from unit scale (by
    off_scale's rule): which, how far, and what it does to training; "" when none is."""
    mean, sd, far = _far_from_unit(data)
    if not far.any():
        return ""
    names = data.feature_names or tuple(f"x{i + 1}" for i in range(len(far)))
    which = [f"{n} (mean {m:.3g}, sd {s:.3g})" for n, m, s, f in zip(names, mean, sd, far) if f]
    return (f"{', '.join(which)} {'is' if len(which) == 1 else 'are'} far from unit scale and "
            "kept as given: the network's units saturate on such values and it barely learns "
            "(the loss stalls)")


def target_words(data: Dataset) -> str:
    """The target's name as its file gave it ("price_k", not "price_k (standardised)"); "y"
    when the file named none."""
    name = data.target_name
    return (name[: -len(STANDARDISED)] if name.endswith(STANDARDISED) else name) or "y"


def _target_far(data: Dataset) -> tuple[float, float, bool]:
    """(mean, sd, far) of a regression's targets on the training points; ``far``: far from
    unit scale (OFF_SCALE_TARGET_RMS, OFF_SCALE_SD). Classes never are."""
    if data.is_classification or not len(data.train_index):
        return 0.0, 1.0, False
    y = np.asarray(data.y, np.float64)[data.train_index]
    mean, sd = float(y.mean()), float(y.std())
    rms = float(np.sqrt(np.mean(np.square(y))))
    return mean, sd, bool(rms > OFF_SCALE_TARGET_RMS or 0 < sd < OFF_SCALE_SD)


def target_off_scale(data: Dataset) -> tuple[float, float] | None:
    """(mean, sd) of a regression's targets on the training points when they are far from unit
    scale (see OFF_SCALE_TARGET_RMS), else None. Constant targets' sd counts as 1."""
    mean, sd, far = _target_far(data)
    if not far:
        return None
    return mean, (sd if sd > 0 else 1.0)


def target_unscaled_warning(data: Dataset) -> str:
    """What to say of a regression's targets kept as they are when far from unit scale (by
    target_off_scale's rule); "" when they are not."""
    mean, sd, far = _target_far(data)
    if not far:
        return ""
    return (f"the target {target_words(data)} (mean {mean:.3g}, sd {sd:.3g}) is far from unit "
            "scale and kept as given: the default network's fit tends to stay a flat line at "
            "the mean (R\u00b2 near 0)")


def scale_warnings(imported: ImportedData | None, *, imported_already: bool = False) -> str:
    """The import dialog's warning (and, ``imported_already``, the window's after such an
    import): features and a target far from unit scale that the import keeps as they are,
    each with the box that standardises it; "" when there are none."""
    if imported is None:
        return ""
    d = imported.dataset
    far = "" if imported.scaling else unscaled_warning(d)
    target = "" if d.target_scaling else target_unscaled_warning(d)
    tick = "Import the file again with" if imported_already else "Tick"
    said = []
    if far:
        said.append(f"Warning: {far}. {tick} Standardise features to train on (value \u2212 "
                    "mean) / sd.")
    if target:
        said.append(f"Warning: {target}. {tick} Standardise regression targets to fit "
                    "(value \u2212 mean) / sd.")
    return " ".join(said)


def standardised_target(data: Dataset, target_scaling: tuple[float, float]) -> Dataset:
    """``data`` with its targets (value - mean) / sd, their name saying so."""
    mean, sd = target_scaling
    y = ((np.asarray(data.y, np.float64) - mean) / sd).astype(np.float32)
    name = data.target_name or "y"
    return replace(data, y=y, target_name=name if name.endswith(STANDARDISED)
                   else name + STANDARDISED, target_scaling=(float(mean), float(sd)))


def standardised(data: Dataset, scaling: tuple[tuple[float, float], ...]) -> Dataset:
    """``data`` with each feature (value - mean) / sd, its name saying so."""
    mean, sd = np.array(scaling, np.float64).T
    X = ((np.asarray(data.X, np.float64) - mean) / sd).astype(np.float32)
    names = tuple(n if n.endswith(STANDARDISED) else n + STANDARDISED
                  for n in data.feature_names)
    return replace(data, X=X, feature_names=names,
                   scaling=tuple((float(m), float(s)) for m, s in scaling))


class _Reader:
    """Reads the rows of a CSV text into a CsvTable, keeping the first ones for a preview."""

    def __init__(self, text: str, path: str, progress: Progress | None = None,
                 head_rows: int = PREVIEW_ROWS) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text, self.path, self.progress = text, path, progress
        self.keep = head_rows + 1  # + 1: the header, if there is one
        self.head: list[tuple[str, ...]] = []
        self.head_lines: list[int] = []  # the file's line number of each of head
        self.header: tuple[str, ...] | None = None
        self.delimiter: str | None = None

    def rows(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) of each line that is neither blank nor a comment."""
        lines = _lines(self.text)
        if delimiter == " ":
            numbered: Iterator[tuple[int, list[str]]] = (
                (n, _BLANKS.split(line.strip(" \t"))) for n, line in enumerate(lines, 1))
        else:
            reader = csv.reader(lines, delimiter=delimiter)
            numbered = ((reader.line_num, cells) for cells in reader)
        try:
            for number, cells in numbered:
                cells = [c.strip() for c in cells]
                if (len(cells) <= 1 and not any(cells)) or cells[0].startswith("#"):
                    continue
                yield number, cells
        except csv.Error as e:  # e.g. a quote left open up to the end of the file
            raise DataError(f"line {reader.line_num}: {e}") from None

    def read(self) -> CsvTable:
        text = self.text
        first = next((ln for ln in _lines(text)
                      if ln.strip() and not ln.lstrip().startswith("#")), None)
        if first is None:
            raise DataError("the file is empty: no data lines")
        delimiter = self.delimiter = next((d for d in (",", ";", "\t") if d in first), " ")
        total = max(1, text.count("\n"))
        names: list[str] = []
        n_cols = first_line = 0
        xs: array[float] = array("d")
        lines: array[int] = array("q")
        codes: array[int] = array("q")
        index: dict[str, int] = {}
        count = 0
        for line, cells in self.rows(delimiter):
            if len(self.head) < self.keep:
                self.head.append(tuple(_cut(c) for c in cells))
                self.head_lines.append(line)
            if not n_cols:  # the first line: the columns, and a header or data
                first_line, n_cols = line, len(cells)
                if n_cols < 2:
                    raise DataError(f"line {line} has only one column; the file needs x,y "
                                    "(regression) or x1,x2,label (classification) or x1,x2,y "
                                    "(regression)")
                if n_cols > 3:
                    raise DataError(f"line {line} has {n_cols} columns; nnviz reads 2 (x,y) or "
                                    "3 (x1,x2,label or x1,x2,y)")
                defaults = _column_names(n_cols)
                if any(_number(c, delimiter) is None for c in cells[:-1]) or \
                        all(_number(c, delimiter) is None for c in cells):
                    _check_lengths(line, cells, defaults)
                    self.header = tuple(cells)
                    names = [nm or d for nm, d in zip(cells, defaults)]
                    continue
                names = defaults

            def col(j: int) -> str:
                return f"column {j + 1} ({names[j]})"

            if len(cells) != n_cols:
                raise DataError(f"line {line} has {len(cells)} column"
                                f"{'s' if len(cells) != 1 else ''}, expected {n_cols} like line "
                                f"{first_line}")
            _check_lengths(line, cells, names)
            for j, cell in enumerate(cells):
                if not cell:
                    raise DataError(f"line {line}, {col(j)} is empty")
            for j in range(n_cols - 1):
                v = _number(cells[j], delimiter)
                if v is None:
                    raise DataError(f"line {line}, {col(j)}: {cells[j]!r} is not a number")
                if not math.isfinite(v):
                    raise DataError(f"line {line}, {col(j)}: {cells[j]!r} is not a finite number")
                if abs(v) > _FLOAT32_MAX:  # would become infinite in the float32 points
                    raise DataError(f"line {line}, {col(j)}: {cells[j]!r} is too large "
                                    f"(at most {_FLOAT32_MAX:.3g})")
                xs.append(v)
            codes.append(index.setdefault(cells[-1], len(index)))
            lines.append(line)
            count += 1
            if count > MAX_ROWS:
                raise DataError(f"too many rows (more than {MAX_ROWS:,}); nnviz trains on at "
                                f"most {MAX_ROWS:,} points")
            if self.progress is not None and count % _PROGRESS_ROWS == 0:
                self.progress(min(1.0, line / total))
        if count < MIN_ROWS:
            raise DataError(f"only {count} data row{'s' if count != 1 else ''}; "
                            f"at least {MIN_ROWS} are needed")
        texts = tuple(index)
        values = [_number(t, delimiter) for t in texts]
        head, head_lines = self.preview_rows()
        table = CsvTable(
            self.path, os.path.splitext(os.path.basename(self.path))[0] or "custom",
            self.header, delimiter, tuple(names),
            np.frombuffer(xs, np.float64).reshape(count, n_cols - 1),
            np.frombuffer(lines, np.int64), texts, np.frombuffer(codes, np.int64),
            np.array([np.nan if v is None else v for v in values], np.float64),
            np.array([v is not None for v in values], bool), head, head_lines)
        if self.progress is not None:
            self.progress(1.0)
        return table

    def preview_rows(self) -> tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]:
        """The first rows, after the header if one was recognised: those read before a problem
        stopped the reading, and those after it up to the preview's length; and the file's
        line number of each."""
        head, numbers = self.head, self.head_lines
        if len(head) < self.keep and self.delimiter is not None:
            head, numbers = [], []
            try:
                for line, cells in self.rows(self.delimiter):
                    head.append(tuple(_cut(c) for c in cells))
                    numbers.append(line)
                    if len(head) >= self.keep:
                        break
            except DataError:  # a broken quote: what came before it
                pass
        skip = 1 if self.header is not None else 0
        end = skip + self.keep - 1
        return tuple(head[skip:end]), tuple(numbers[skip:end])


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, one at a time (no list of them, no copy of the whole text).

    Only \\n, \\r\\n and \\r end a line: str.splitlines would also split a label at U+2028,
    U+0085 or a form feed, and every message after it would name the wrong line.
    """
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop
        yield text[start:stop]
        start = stop + 1


def _cut(cell: str) -> str:
    if len(cell) <= PREVIEW_CELL_CHARS:
        return cell
    return f"{cell[:PREVIEW_CELL_CHARS - 10]}\u2026 ({len(cell):,} characters)"


def _check_lengths(line: int, cells: list[str], names: Sequence[str]) -> None:
    for j, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            raise DataError(f"line {line}, column {j + 1} ({names[j]}) is {len(cell):,} "
                            f"characters long; a cell holds a number or a class name of at "
                            f"most {MAX_CELL_CHARS:,} characters")


def _read_raw(path: str | os.PathLike) -> bytes:
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if os.path.isdir(name):
            raise DataError(f"{name} is a folder, not a CSV file")
        if not os.path.isfile(name):  # a FIFO would block, a device never end
            raise DataError(f"{name} is not a regular file")
        if size > MAX_BYTES:
            raise DataError(f"{name} is too large ({size / 2**20:.0f} MB); the limit is "
                            f"{MAX_BYTES // 2**20} MB")
        with open(name, "rb") as f:
            # read(n) allocates n bytes first: ask for the size the file says it has.
            return f.read(size + 1 if size else MAX_BYTES + 1)
    except FileNotFoundError:
        raise DataError(f"no such file: {name}") from None
    except OSError as e:
        raise DataError(f"cannot read {name}: {e.strerror or e}") from None
    except DataError:
        raise
    except ValueError:  # os.stat refuses a NUL byte in the name
        raise DataError(f"no such file: {name!r}") from None


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise DataError("this is not a text file (it holds binary data); a CSV file is needed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old spreadsheets; any byte decodes
    m = _CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise DataError(f"this is not a text file (binary data on line {line}); "
                        "a CSV file is needed")
    return text


def _number(cell: str, delimiter: str) -> float | None:
    """The cell's value, or None if it is not a number (NaN and infinity are numbers here)."""
    if delimiter == ";":
        cell = cell.replace(",", ".")  # "1,5;2,25;0": the decimal comma of many locales
    try:
        return float(cell)
    except ValueError:
        return None


def _column_names(n: int) -> list[str]:
    return ["x", "y"] if n == 2 else ["x1", "x2", "label"]


def read_table(path: str | os.PathLike, progress: Progress | None = None) -> CsvTable:
    """Read a CSV file's cells (see the module's docstring); messages name the file.

    ``progress(fraction)`` is called now and then from this thread; it may raise to stop.
    """
    raw = _read_raw(path)  # its messages name the file already
    try:
        return _Reader(_decode(raw), os.fspath(path), progress).read()
    except DataError as e:
        raise DataError(f"{os.path.basename(os.fspath(path))}: {e}") from None


def parse_csv_text(text: str, task: str | None = None, *, name: str = "custom",
                   test_fraction: float = 0.2, seed: int = 0,
                   standardise: bool = True, standardise_target: bool = True) -> ImportedData:
    """Read CSV text (see the module's docstring); ``task`` forces classification or regression."""
    if task not in (None, CLASSIFICATION, REGRESSION):
        raise DataError(f"task must be {CLASSIFICATION!r} or {REGRESSION!r}, got {task!r}")
    table = _Reader(text, name).read()
    return table.imported(task, test_fraction=test_fraction, seed=seed, standardise=standardise,
                          standardise_target=standardise_target)


def read_csv(path: str | os.PathLike, task: str | None = None, *, test_fraction: float = 0.2,
             seed: int = 0, progress: Progress | None = None,
             standardise: bool = True, standardise_target: bool = True) -> ImportedData:
    """Import a CSV file as a Dataset named after the file (see :func:`parse_csv_text`)."""
    table = read_table(path, progress)
    try:
        return table.imported(task, test_fraction=test_fraction, seed=seed,
                              standardise=standardise, standardise_target=standardise_target)
    except DataError as e:
        raise DataError(f"{os.path.basename(os.fspath(path))}: {e}") from None


def preview_table(table: CsvTable, task: str | None = None, *, test_fraction: float = 0.2,
                  seed: int = 0, standardise: bool = True,
                  standardise_target: bool = True) -> CsvPreview:
    """What importing a table read already gives for ``task`` and the split; never raises
    DataError."""
    try:  # the window's preview: the data is to be drawn
        data = table.imported(task, test_fraction=test_fraction, seed=seed,
                              standardise=standardise, standardise_target=standardise_target,
                              plotted=True)
    except DataError as e:
        return CsvPreview(table.path, table.head, table.header, None,
                          f"{os.path.basename(table.path)}: {e}", table, table.head_lines)
    return CsvPreview(table.path, table.head, table.header, data, None, table, table.head_lines)


def preview_csv(path: str | os.PathLike, task: str | None = None, *, rows: int = PREVIEW_ROWS,
                test_fraction: float = 0.2, seed: int = 0,
                progress: Progress | None = None, standardise: bool = True,
                standardise_target: bool = True) -> CsvPreview:
    """The first ``rows`` lines and the import's result or problem; never raises DataError."""
    name = os.fspath(path)
    try:
        raw = _read_raw(path)
    except DataError as e:
        return CsvPreview(name, (), None, None, str(e))
    reader = None
    try:
        reader = _Reader(_decode(raw), name, progress, head_rows=rows)
        del raw
        table = reader.read()
    except DataError as e:
        shown, numbers = reader.preview_rows() if reader is not None else ((), ())
        header = reader.header if reader is not None else None
        return CsvPreview(name, shown, header, None, f"{os.path.basename(name)}: {e}",
                          lines=numbers)
    return preview_table(table, task, test_fraction=test_fraction, seed=seed,
                         standardise=standardise, standardise_target=standardise_target)


# --- writing -----------------------------------------------------------------------------------------

def _fmt(v) -> str:
    # The shortest text that reads back as the same float32.
    return str(np.float32(v))


def _write_rows(path: str | os.PathLike, header: Sequence[str], rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    try:
        with atomic_write(path) as f:
            f.write(buf.getvalue().encode("utf-8"))
    except OSError as e:  # OutputError's reason: refused before writing (a FIFO, a folder...)
        why = getattr(e, "reason", None) or e.strerror or e
        raise DataError(f"could not write {os.fspath(path)}: {why}") from None


def write_data_csv(path: str | os.PathLike, dataset: Dataset,
                   class_names: Sequence[str] | None = None) -> None:
    """The points as CSV (features, then the label or target), readable by :func:`read_csv`."""
    names = list(dataset.feature_names) or [f"x{i + 1}" for i in range(dataset.n_features)]
    if dataset.is_classification:
        labels = list(class_names) if class_names else [str(i) for i in range(dataset.n_classes)]
        target = [labels[int(c)] for c in dataset.y]
        head = [*names, "label"]
    else:
        target = [_fmt(v) for v in dataset.y]
        target_name = dataset.target_name or "y"
        head = [*names, target_name if target_name not in names else "target"]
    rows = ([*(_fmt(v) for v in x), t] for x, t in zip(dataset.X, target))
    _write_rows(path, head, rows)


#: The loss history's columns with test losses. A row's losses are of the weights at the start
#: of its epoch, before that epoch's update (the app's "loss at epoch N"), so the final
#: weights' test loss of a 500-epoch run is on row 501, and the test loss is measured every
#: few epochs (once per chunk of training), blank on the other rows. The file said neither:
#: a reader took row 501 for an epoch never trained and the blanks for missing values (review
#: r28 F2). The names say it, and ``weights_after_epochs`` gives each row's weights.
HISTORY_COLUMNS = ("epoch", "loss", "test_loss_every_few_epochs", "weights_after_epochs")


def write_history_csv(path: str | os.PathLike, epochs, values, test_epochs=None,
                      test_values=None) -> None:
    """The loss history as ``epoch,loss`` rows, plus, where test losses were measured, the
    columns of HISTORY_COLUMNS: the test loss where one was measured, and the epochs trained
    before each row's weights (its epoch - 1)."""
    epochs = np.asarray(epochs, np.int64)
    values = np.asarray(values, np.float32)
    if test_epochs is None or len(test_epochs) == 0:
        _write_rows(path, ["epoch", "loss"], ([int(e), _fmt(v)] for e, v in zip(epochs, values)))
        return
    train = {int(e): _fmt(v) for e, v in zip(epochs, values)}
    test = {int(e): _fmt(v) for e, v in zip(test_epochs, test_values)}
    rows = ([e, train.get(e, ""), test.get(e, ""), e - 1]
            for e in sorted(train.keys() | test.keys()))
    _write_rows(path, HISTORY_COLUMNS, rows)


# --- editing points by hand ------------------------------------------------------------------------

def _edited_name(data: Dataset) -> str:
    return data.name if data.name.startswith("edited ") else f"edited {data.name}"


def _widened(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = max(hi - lo, 1.0)
    return lo - span, hi + span


def point_range(data: Dataset) -> tuple[tuple[float, float], ...]:
    """Per feature, the (low, high) a new point may take: the data's range widened by its width
    on each side (at least 1). Far beyond it the plot's range, its grid and the training's
    numbers are dominated by the one point (1e30 made every pixel of the heat map NaN)."""
    return tuple(_widened(data.X[:, j]) for j in range(data.n_features))


def value_range(data: Dataset) -> tuple[float, float]:
    """The (low, high) a new point's value may take (regression), widened as ``point_range``."""
    return _widened(data.y)


def with_point_added(data: Dataset, x: Sequence[float], target: float) -> Dataset:
    """``data`` plus one training point at ``x`` with class (or value) ``target``.

    The point must lie within ``point_range(data)`` (and its value within ``value_range``).
    The result is no generator's output any more (``spec`` None); the split of the old points
    stays.
    """
    raw = np.asarray(x, np.float64).reshape(-1)
    if raw.shape != (data.n_features,) or not np.all(np.isfinite(raw)):
        raise DataError(f"a point needs {data.n_features} finite coordinates, got {raw.tolist()}")
    box = point_range(data)
    if any(not lo <= v <= hi for v, (lo, hi) in zip(raw, box)):
        names = data.feature_names or tuple(f"x{i + 1}" for i in range(data.n_features))
        accepted = ", ".join(f"{n} from {lo:.3g} to {hi:.3g}" for n, (lo, hi) in zip(names, box))
        got = ", ".join(f"{v:.3g}" for v in raw)
        raise DataError(f"the point ({got}) is far outside the data: points are accepted with "
                        f"{accepted} (the data's range widened by its width on each side)")
    if not data.is_classification and math.isfinite(target):
        lo, hi = value_range(data)
        if not lo <= target <= hi:
            raise DataError(f"the value {target:.3g} is far outside the data's values: values "
                            f"from {lo:.3g} to {hi:.3g} are accepted")
    x = raw.astype(np.float32)
    if len(data.X) >= MAX_ROWS:
        raise DataError(f"the data has {len(data.X):,} points already, the most nnviz trains on")
    if data.is_classification:
        if not (float(target).is_integer() and 0 <= target < data.n_classes):
            raise DataError(f"the class must be a whole number from 0 to "
                            f"{data.n_classes - 1}, not {target:g}")
        y = np.append(data.y, np.int32(target)).astype(np.int32)
    else:
        if not math.isfinite(target):
            raise DataError(f"the value must be a finite number, not {target:g}")
        y = np.append(data.y, np.float32(target)).astype(np.float32)
    X = np.vstack([data.X, x[None, :]])
    train = np.append(data.train_index, len(data.X)).astype(np.int64)
    return Dataset(X, y, data.task, data.n_classes, train, data.test_index.copy(),
                   name=_edited_name(data), spec=None, feature_names=data.feature_names,
                   scaling=data.scaling, target_name=data.target_name,
                   target_scaling=data.target_scaling)


def with_point_removed(data: Dataset, index: int) -> Dataset:
    """``data`` without point ``index`` (at least ``MIN_ROWS`` points and 1 training point stay)."""
    n = len(data.X)
    if not 0 <= index < n:
        raise DataError(f"there is no point {index}")
    if n <= MIN_ROWS:
        raise DataError(f"deleting it would leave {n - 1} points; at least {MIN_ROWS} are needed")
    if np.array_equal(data.train_index, [index]):
        raise DataError("this is the last training point")
    keep = np.arange(n) != index

    def shift(idx: np.ndarray) -> np.ndarray:
        idx = idx[idx != index]
        return (idx - (idx > index)).astype(np.int64)

    return Dataset(data.X[keep].copy(), data.y[keep].copy(), data.task, data.n_classes,
                   shift(data.train_index), shift(data.test_index), name=_edited_name(data),
                   spec=None, feature_names=data.feature_names, scaling=data.scaling,
                   target_name=data.target_name, target_scaling=data.target_scaling)


def nearest_point(data: Dataset, x: Sequence[float], scale: Sequence[float] | None = None,
                  *, targets: bool = False) -> tuple[int, float]:
    """(index, distance) of the point nearest ``x``; coordinates are divided by ``scale``
    (e.g. the visible range of each axis, so that distance means distance on screen). With
    ``targets`` the point is (x, y) of 1-D data: the target counts as the second coordinate."""
    P = np.column_stack([data.X, data.y]) if targets else data.X
    q = np.asarray(x, np.float64).reshape(-1)
    s = np.ones(P.shape[1]) if scale is None else np.asarray(scale, np.float64)
    d = np.sqrt((((P - q) / s) ** 2).sum(axis=1))
    i = int(np.argmin(d))
    return i, float(d[i])
