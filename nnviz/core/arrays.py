"""A person's own arrays as a :class:`~nnviz.core.data.Dataset` (the Python API's way in).

The same limits and the same reading of labels as a CSV import (:mod:`nnviz.core.csvdata`):
between MIN_ROWS and MAX_ROWS points, finite numbers within float32's range, at most
MAX_CLASSES classes, labels mapped to classes 0..K-1 in sorted order. What differs is how the
task is told: an array has a dtype, so integer (or bool, or text) targets are class labels and
floating-point ones are values to predict; ``task=`` overrides it. Every problem raises
:class:`~nnviz.core.data.DataError` with a message naming the array and, where it helps, the row.
"""
from __future__ import annotations

import decimal
import numbers

import numpy as np

from .csvdata import MAX_CLASSES, MAX_ROWS, MIN_ROWS, far_values_refused
from .data import CLASSIFICATION, REGRESSION, DataError, Dataset, from_arrays
from .errors import shown, user_stacklevel

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _cell(a: np.ndarray, index: tuple) -> str:
    """Where ``index`` is, said as a person reads the array: "row 5" or "row 5, column 1"."""
    return f"row {index[0]}" + (f", column {index[1]}" if len(index) > 1 else "")


def not_numbers(a: np.ndarray, what: str) -> str:
    """The message for an array ``a`` (named ``what``) that does not hold numbers: the first
    cell that is not one, its row and column, and what to do. It said "got an array of <U32"
    (numpy's name for strings) and no column (review r25 F11)."""
    kind = a.dtype.kind
    if kind in "USO":
        first = None
        for index in np.ndindex(a.shape):
            v = a[index]
            if isinstance(v, (bytes, np.bytes_)):
                v = v.decode(errors="replace")
            if isinstance(v, str):
                v = str(v)  # np.str_('a') read as 'a'
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (str, int, float,
                                                                     np.number)):
                return (f"{what} holds {v!r} at {_cell(a, index)}: it must hold numbers, a "
                        "point per row and a feature per column")
            if isinstance(v, str):
                try:
                    float(v)
                except ValueError:
                    return (f"{what} holds text, {v!r}, at {_cell(a, index)}: it must hold "
                            "numbers, a point per row and a feature per column; leave that "
                            "column out, or turn its words into numbers")
                first = (v, index) if first is None else first
        if first is not None:  # every cell a number, written as text
            v, index = first
            return (f"{what} holds numbers written as text ({v!r} at {_cell(a, index)}): pass "
                    f"{what}.astype(float)")
        return f"{what} must hold real numbers: pass {what}.astype(float)"
    words = {"c": "complex numbers", "M": "dates", "m": "time spans"}.get(kind, "values that "
                                                                              "are not numbers")
    return f"{what} must hold real numbers, not {words}"


def _a_number(v) -> bool:
    """A real number a float holds as it is: an int, a float, numpy's, a Fraction or a Decimal;
    not a bool (True is no coordinate), not text ("1.5" is refused as the string arrays are)."""
    return isinstance(v, (numbers.Real, decimal.Decimal)) and not isinstance(v, (bool, np.bool_))


def unboxed_numbers(a: np.ndarray) -> np.ndarray:
    """``a`` as floats if it is an object array whose every cell is a real number (a list of
    rows mixing ints, floats and numpy scalars, ``np.array(rows, dtype=object)``, a pandas
    frame's ``.values`` of mixed columns): numpy converts those cleanly, and they were refused
    with "X must hold real numbers" (review r29 L11). Any other array as it is."""
    if a.dtype.kind != "O" or not a.size:
        return a
    if not np.frompyfunc(_a_number, 1, 1)(a).astype(bool).all():
        return a  # (the caller names the first cell that is not a number)
    return a.astype(np.float64)


def _numbers(a, what: str) -> np.ndarray:
    a = unboxed_numbers(np.asarray(a))
    if a.dtype.kind not in "biuf":
        raise DataError(not_numbers(a, what))
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
        if bad.any():
            row = int(np.argwhere(bad)[0][0])
            raise DataError(f"{what} holds {a[np.unravel_index(np.argmax(bad), a.shape)].item()!r} "
                            f"at row {row}: not a finite number")
        # (float16 and float32 hold nothing larger; float32's max cast to float16 warned)
        big = np.abs(a) > _FLOAT32_MAX if a.dtype.itemsize > 4 else np.zeros(0, bool)
        if big.any():
            raise DataError(f"{what} holds a number too large at row {int(np.argwhere(big)[0][0])}"
                            f" (at most {_FLOAT32_MAX:.3g})")
    return a


def _unboxed(y: np.ndarray) -> np.ndarray:
    """An object array of targets (a pandas column's, a list of mixed Python values) as the
    array of what it holds: words, or numbers. Mixed, it said "y must hold real numbers",
    though labels that are words are taken: the message names a word and a number and
    their rows."""
    words = np.fromiter((isinstance(v, (str, np.str_)) for v in y), bool, len(y))
    if words.all():
        return y.astype(str)
    numbers = np.fromiter((isinstance(v, (int, float, np.number)) for v in y), bool, len(y))
    other = ~(words | numbers)
    if other.any():
        row = int(np.argmax(other))
        raise DataError(f"y holds {y[row]!r} at row {row}: a target is a number, or a label that "
                        "is a number or a word")
    if words.any() and numbers.any():
        w, n = int(np.argmax(words)), int(np.argmax(numbers))
        raise DataError(f"y mixes words and numbers ({y[w]!r} at row {w}, {y[n]!r} at row {n}): "
                        "labels must be all words or all numbers; for words throughout, pass "
                        "y.astype(str)")
    return np.array(y.tolist())  # numbers: their own dtype (int, float)


FEW_WHOLE_VALUES = 10  # floats holding at most this many whole values: labels, most likely


def _warn_labels_as_floats(y: np.ndarray) -> None:
    """Floats are values to predict, but a few whole values only (make_moons' labels after
    ``.astype(float)``, a pandas column of 7 classes read as float64) are almost surely class
    labels: the run would fit a line through them with a linear output (predictions such as
    1.13) and not a word said. Warned, not refused: the rule stays the one the docs state, and
    a regression on a few values is possible. (Two values only were warned of: 0..6 as floats
    trained as a regression in silence, review r20 F3.)"""
    values = np.unique(y)
    if not 2 <= len(values) <= FEW_WHOLE_VALUES or not np.all(values == np.round(values)):
        return
    import warnings
    if len(values) == 2:
        held, classes = "only the values {} and {}".format(*(f"{v:g}" for v in values)), "two"
    else:
        held = f"only the {len(values)} whole values {values[0]:g} to {values[-1]:g}"
        classes = f"{len(values)}"
    warnings.warn(f"y holds {held}, as floats: trained as a regression (values to predict, a "
                  f"linear output and mse); for {classes} classes pass integer labels "
                  f"(y.astype(int)) or task='classification'", UserWarning,
                  stacklevel=user_stacklevel())


def _refuse_far(values: np.ndarray, column: str, target: bool) -> None:
    """A DataError if a few of ``values`` dominate their range, as the CSV import refuses
    them (csvdata.far_values_refused); said of the data's scale, there being no plot yet."""
    said = far_values_refused(values, lambda i: f"row {i}", column, target, plotted=False)
    if said:
        raise DataError(said)


def _shape(a) -> tuple[int, ...]:
    # The shape before any conversion: 10^7 points are refused without being copied.
    return tuple(np.shape(a))


def dataset_from_arrays(X, y, task: str | None = None, *, test_fraction: float = 0.2,
                        seed: int = 0) -> tuple[Dataset, tuple | None]:
    """The Dataset of points ``X`` ((N, d), or (N,) for one feature) and targets ``y`` (N,),
    split by ``test_fraction`` and ``seed`` as ``nnviz train --data`` splits a CSV file; and the
    original labels of classes 0..K-1 (None for regression)."""
    if task is not None and task not in (CLASSIFICATION, REGRESSION):
        raise DataError(f"task must be {CLASSIFICATION!r} or {REGRESSION!r}, got {task!r}")
    xs, ys = _shape(X), _shape(y)
    if len(xs) not in (1, 2):
        raise DataError(f"X must be an array of shape (points, features) or (points,), got "
                        f"shape {xs}")
    if len(ys) == 2 and ys[1] == 1:
        ys = ys[:1]
    if len(ys) != 1:
        raise DataError(f"y must be one target per point, shape (points,), got shape {ys}")
    if xs[0] != ys[0]:
        # The notebook's layout, features in rows (np.vstack([moon_x, moon_y]) for w.T @ X):
        # said so, with the fix (review r20 F4: the bare count did not).
        layout = (f"; X looks like the notebook's layout, one feature a row: nnviz takes one "
                  f"point a row, pass X.T" if len(xs) == 2 and xs[1] == ys[0] else "")
        raise DataError(f"X has {xs[0]} points and y {ys[0]} targets; they must be as many"
                        f"{layout}")
    if not MIN_ROWS <= xs[0] <= MAX_ROWS:
        raise DataError(f"{xs[0]:,} point{'' if xs[0] == 1 else 's'}: nnviz trains on "
                        f"{MIN_ROWS} to {MAX_ROWS:,} points")
    X = _numbers(X, "X").astype(np.float64)
    if X.ndim == 1:
        X = X[:, None]
    for j in range(X.shape[1]):  # one 1e30 among 0-10 put every other point on one spot
        _refuse_far(X[:, j], f"X column {j}", target=False)
    y = np.asarray(y).reshape(-1)
    if y.dtype.kind == "O":
        y = _unboxed(y)
    told = task is not None
    if task is None:
        task = REGRESSION if y.dtype.kind == "f" else CLASSIFICATION
    if task == REGRESSION:
        y = _numbers(y, "y").astype(np.float64)
        _refuse_far(y, "y", target=True)
        if not told:
            _warn_labels_as_floats(y)
        return from_arrays(X, y, task, test_fraction=test_fraction, seed=seed), None
    if y.dtype.kind not in "biuUS":
        y = _numbers(y, "y")
        whole = y == np.round(y)
        if not whole.all():
            row = int(np.argmin(whole))
            raise DataError(f"y holds {y[row].item()!r} at row {row}: not a class label (labels are "
                            "whole numbers or words; for values to predict use "
                            "task='regression')")
        y = y.astype(np.int64)
    labels, classes = np.unique(y, return_inverse=True)
    if len(labels) < 2:
        raise DataError(f"y holds one class only ({shown(labels[0])}); classification needs at "
                        "least 2")
    if len(labels) > MAX_CLASSES:
        raise DataError(f"y holds {len(labels)} different labels; at most {MAX_CLASSES} classes. "
                        "If these are values to predict, pass floats or task='regression'")
    data = from_arrays(X, classes.reshape(-1), task, test_fraction=test_fraction, seed=seed,
                       n_classes=len(labels))
    return data, tuple(v.item() for v in labels)
