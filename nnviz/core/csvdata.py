"""Your own data: CSV import (with a preview) and CSV export of data and loss history.

Accepted files, one point per line, a header line optional:

- ``x1,x2,label`` -- classification; labels may be any values (numbers or words) and become
  classes 0..K-1 in sorted order, their names kept for display;
- ``x,y`` or ``x1,x2,y`` -- regression.

The separator may be a comma, a semicolon (then a decimal comma is accepted), a tab or spaces;
blank lines and lines starting with ``#`` are skipped. The task is read from the last column:
words, or a few distinct whole numbers, mean classification; anything else regression. The
caller may force either. Every problem raises :class:`~nnviz.core.data.DataError` with a
message naming the line or column.
"""
from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .data import CLASSIFICATION, REGRESSION, DataError, Dataset, from_arrays
from .fileio import atomic_write

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MIN_ROWS = 4
MAX_CLASSES = 10
PREVIEW_ROWS = 10
_FLOAT32_MAX = float(np.finfo(np.float32).max)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ImportedData:
    """A CSV file read into a Dataset, with what the user should see of it."""

    dataset: Dataset
    class_names: tuple[str, ...] | None  # the file's label for class 0, 1, ... (classification)
    header: tuple[str, ...] | None  # the header line's names, if the file had one
    delimiter: str  # "," ";" "\t" or " " (any whitespace)
    task_detected: bool  # False when the caller forced the task


@dataclass(frozen=True)
class CsvPreview:
    """What the import dialog shows: the first lines, and either the result or the problem."""

    path: str
    rows: tuple[tuple[str, ...], ...]  # the first data rows as text (after any header)
    header: tuple[str, ...] | None
    data: ImportedData | None  # None when the file cannot be imported
    error: str | None  # the message for the user, None when the import works

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
                if d.is_classification else "regression")
        return (f"{d.X.shape[0]} points, {d.n_features} feature{'s' if d.n_features > 1 else ''}"
                f" ({', '.join(d.feature_names)}); {what}; {len(d.train_index)} training / "
                f"{len(d.test_index)} test points")


# --- reading ---------------------------------------------------------------------------------------

def _read_text(path: str | os.PathLike) -> str:
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
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DataError(f"no such file: {name}") from None
    except OSError as e:
        raise DataError(f"cannot read {name}: {e.strerror or e}") from None
    except DataError:
        raise
    except ValueError:  # os.stat refuses a NUL byte in the name
        raise DataError(f"no such file: {name!r}") from None
    return _decode(raw)


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


def _records(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """(line number, cells) of every non-blank, non-comment line, and the separator used."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        raise DataError("the file is empty: no data lines")
    delimiter = next((d for d in (",", ";", "\t") if d in first), " ")
    out: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if delimiter == " ":
            cells = line.split()
        else:
            cells = next(csv.reader([line], delimiter=delimiter))
        out.append((number, [c.strip() for c in cells]))
        if len(out) > MAX_ROWS + 1:  # + 1: the header
            raise DataError(f"too many rows (more than {MAX_ROWS:,}); nnviz trains on at most "
                            f"{MAX_ROWS:,} points")
    return out, delimiter


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


def parse_csv_text(text: str, task: str | None = None, *, name: str = "custom",
                   test_fraction: float = 0.2, seed: int = 0) -> ImportedData:
    """Read CSV text (see the module's docstring); ``task`` forces classification or regression."""
    if task not in (None, CLASSIFICATION, REGRESSION):
        raise DataError(f"task must be {CLASSIFICATION!r} or {REGRESSION!r}, got {task!r}")
    records, delimiter = _records(text)
    first_line, first = records[0]
    n_cols = len(first)
    if n_cols < 2:
        raise DataError(f"line {first_line} has only one column; the file needs x,y (regression)"
                        " or x1,x2,label (classification) or x1,x2,y (regression)")
    if n_cols > 3:
        raise DataError(f"line {first_line} has {n_cols} columns; nnviz reads 2 (x,y) or 3 "
                        "(x1,x2,label or x1,x2,y)")
    header = None
    if any(_number(c, delimiter) is None for c in first[:-1]) or \
            all(_number(c, delimiter) is None for c in first):
        header = tuple(first)
        records = records[1:]
    names = list(header) if header else _column_names(n_cols)
    names = [nm or default for nm, default in zip(names, _column_names(n_cols))]

    def col(j: int) -> str:
        return f"column {j + 1} ({names[j]})"

    if len(records) > MAX_ROWS:
        raise DataError(f"too many rows ({len(records):,}); nnviz trains on at most "
                        f"{MAX_ROWS:,} points")
    if len(records) < MIN_ROWS:
        raise DataError(f"only {len(records)} data row{'s' if len(records) != 1 else ''}; "
                        f"at least {MIN_ROWS} are needed")
    X = np.empty((len(records), n_cols - 1), np.float64)
    labels: list[str] = []
    for i, (line, cells) in enumerate(records):
        if len(cells) != n_cols:
            raise DataError(f"line {line} has {len(cells)} column{'s' if len(cells) != 1 else ''},"
                            f" expected {n_cols} like line {first_line}")
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
            X[i, j] = v
        labels.append(cells[-1])

    last = n_cols - 1
    values = [_number(c, delimiter) for c in labels]
    numeric = all(v is not None for v in values)
    if task is None:
        task_detected = True
        if not numeric:
            task = CLASSIFICATION
        else:
            distinct = set(values)
            few = len(distinct) <= min(MAX_CLASSES, max(2, len(values) // 2))
            task = CLASSIFICATION if few and all(float(v).is_integer() for v in distinct) \
                else REGRESSION
    else:
        task_detected = False

    if task == REGRESSION:
        for (line, _), cell, v in zip(records, labels, values):
            if v is None:
                raise DataError(f"line {line}, {col(last)}: {cell!r} is not a number "
                                "(a regression target must be)")
            if not math.isfinite(v):
                raise DataError(f"line {line}, {col(last)}: {cell!r} is not a finite number")
            if abs(v) > _FLOAT32_MAX:
                raise DataError(f"line {line}, {col(last)}: {cell!r} is too large "
                                f"(at most {_FLOAT32_MAX:.3g})")
        y = np.asarray(values, np.float64)
        class_names = None
    else:
        if numeric:
            for (line, _), cell, v in zip(records, labels, values):
                if not math.isfinite(v):
                    raise DataError(f"line {line}, {col(last)}: {cell!r} is not a valid label")
            keys = sorted(set(values))
            class_names = tuple(str(int(k)) if float(k).is_integer() else f"{k:g}" for k in keys)
            index = {k: i for i, k in enumerate(keys)}
            y = np.array([index[v] for v in values], np.int64)
        else:
            keys = sorted(set(labels))
            class_names = tuple(keys)
            index = {k: i for i, k in enumerate(keys)}
            y = np.array([index[c] for c in labels], np.int64)
        if len(keys) < 2:
            raise DataError(f"{col(last)} holds one class only ({class_names[0]!r}); "
                            "classification needs at least 2")
        if len(keys) > MAX_CLASSES:
            shown = ", ".join(class_names[:5])
            raise DataError(f"{col(last)} holds {len(keys)} different labels ({shown}, ...); "
                            f"at most {MAX_CLASSES} classes. If these are numbers to predict, "
                            "import as regression")

    data = from_arrays(X, y, task, test_fraction=test_fraction, seed=seed, name=name,
                       n_classes=len(class_names) if class_names else None)
    data = replace(data, feature_names=tuple(names[:-1]))
    return ImportedData(data, class_names, header, delimiter, task_detected)


def read_csv(path: str | os.PathLike, task: str | None = None, *, test_fraction: float = 0.2,
             seed: int = 0) -> ImportedData:
    """Import a CSV file as a Dataset named after the file (see :func:`parse_csv_text`)."""
    text = _read_text(path)
    stem = os.path.splitext(os.path.basename(os.fspath(path)))[0] or "custom"
    try:
        return parse_csv_text(text, task, name=stem, test_fraction=test_fraction, seed=seed)
    except DataError as e:
        raise DataError(f"{os.path.basename(os.fspath(path))}: {e}") from None


def preview_csv(path: str | os.PathLike, task: str | None = None, *, rows: int = PREVIEW_ROWS,
                test_fraction: float = 0.2, seed: int = 0) -> CsvPreview:
    """The first ``rows`` lines and the import's result or problem; never raises DataError."""
    name = os.fspath(path)
    shown: tuple[tuple[str, ...], ...] = ()
    header = None
    try:
        text = _read_text(path)
        try:
            records, _ = _records(text)
            shown = tuple(tuple(c) for _, c in records[: rows + 1])
        except DataError:
            pass
        data = read_csv(path, task, test_fraction=test_fraction, seed=seed)
    except DataError as e:
        return CsvPreview(name, shown[:rows], None, None, str(e))
    header = data.header
    if header is not None:
        shown = shown[1:]
    return CsvPreview(name, shown[:rows], header, data, None)


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
        head = [*names, "y" if "y" not in names else "target"]
    rows = ([*(_fmt(v) for v in x), t] for x, t in zip(dataset.X, target))
    _write_rows(path, head, rows)


def write_history_csv(path: str | os.PathLike, epochs, values, test_epochs=None,
                      test_values=None) -> None:
    """The loss history as ``epoch,loss`` rows, plus ``test_loss`` where one was measured."""
    epochs = np.asarray(epochs, np.int64)
    values = np.asarray(values, np.float32)
    if test_epochs is None or len(test_epochs) == 0:
        _write_rows(path, ["epoch", "loss"], ([int(e), _fmt(v)] for e, v in zip(epochs, values)))
        return
    train = {int(e): _fmt(v) for e, v in zip(epochs, values)}
    test = {int(e): _fmt(v) for e, v in zip(test_epochs, test_values)}
    rows = ([e, train.get(e, ""), test.get(e, "")] for e in sorted(train.keys() | test.keys()))
    _write_rows(path, ["epoch", "loss", "test_loss"], rows)


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
            raise DataError(f"class must be 0..{data.n_classes - 1}, got {target}")
        y = np.append(data.y, np.int32(target)).astype(np.int32)
    else:
        if not math.isfinite(target):
            raise DataError(f"the value must be a finite number, got {target}")
        y = np.append(data.y, np.float32(target)).astype(np.float32)
    X = np.vstack([data.X, x[None, :]])
    train = np.append(data.train_index, len(data.X)).astype(np.int64)
    return Dataset(X, y, data.task, data.n_classes, train, data.test_index.copy(),
                   name=_edited_name(data), spec=None, feature_names=data.feature_names)


def with_point_removed(data: Dataset, index: int) -> Dataset:
    """``data`` without point ``index`` (at least ``MIN_ROWS`` points and 1 training point stay)."""
    n = len(data.X)
    if not 0 <= index < n:
        raise DataError(f"there is no point {index}")
    if n <= MIN_ROWS:
        raise DataError(f"only {n} points are left; at least {MIN_ROWS} are needed")
    if np.array_equal(data.train_index, [index]):
        raise DataError("this is the last training point")
    keep = np.arange(n) != index

    def shift(idx: np.ndarray) -> np.ndarray:
        idx = idx[idx != index]
        return (idx - (idx > index)).astype(np.int64)

    return Dataset(data.X[keep].copy(), data.y[keep].copy(), data.task, data.n_classes,
                   shift(data.train_index), shift(data.test_index), name=_edited_name(data),
                   spec=None, feature_names=data.feature_names)


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
