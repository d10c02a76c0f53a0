"""Data sets: the notebook's (moons, blobs, line) and the playgrounds' classics.

A data set is described by a frozen :class:`DataSpec` (name, sample count, noise, seed, test
fraction, class count) and made by :func:`make_dataset`; the same spec always gives the same
points. Points are float32 rows ``X`` of shape (N, d); targets ``y`` are integer class labels
(classification) or float32 values (regression).

scikit-learn makes the moons, blobs and circles. Importing it takes ~0.9 s, half of nnviz's
import time, so it is imported only when such a set is generated, and the app keeps what it
generated in a cache folder (:func:`enable_cache`, ~/.cache/nnviz/data): opening the window on
the notebook's moons then reads 200 points from a file instead of importing scikit-learn. An
entry is keyed by the spec and scikit-learn's version and holds its output byte for byte.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

import numpy as np

from .checks import real_number, whole_number
from .errors import NnvizError
from .fileio import atomic_write

CLASSIFICATION = "classification"
REGRESSION = "regression"

MAX_SAMPLES = 100_000
# Seeds: 0..MAX_SEED everywhere (the command line, the sweep form, the API, session files and the
# window's Seed field, a 32-bit spin box). Seeds above it opened a session but broke the window.
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class DatasetInfo:
    """What the user sees of one generator: its task, defaults and a sentence about it."""

    task: str
    samples: int
    noise: float
    seed: int
    description: str
    noise_meaning: str = "noise"
    # The default network's hidden layer widths (the notebook's 4-10-4 unless the data set asks
    # for another) and a factor on the default learning rate of gd, momentum and Nesterov: below
    # 1 for data on a larger scale, above 1 for the wider networks that learn slowly at the
    # notebook's rate (see nnviz.core.problem). Every data set learns with its defaults within
    # 2,000 epochs of gradient descent (tests/core/test_problem.py).
    hidden: tuple[int, ...] = (4, 10, 4)
    rate_scale: float = 1.0


DATASETS: dict[str, DatasetInfo] = {
    "moons": DatasetInfo(CLASSIFICATION, 200, 0.1, 0,
                         "two interleaved half circles (the notebook's make_moons)",
                         "standard deviation of Gaussian noise"),
    "blobs": DatasetInfo(CLASSIFICATION, 200, 1.0, 0,
                         "two Gaussian clouds at (0, 1) and (0, -1) (the notebook's make_blobs)",
                         "standard deviation of each cloud"),
    "line": DatasetInfo(REGRESSION, 100, 1.0, 42,
                        "y = 2.31531 x + 0.23412 + noise on [0, 10] (the notebook's regression)",
                        "standard deviation of the noise on y",
                        # The notebook fits it by linear regression. A sigmoid 4-10-4 net on x in
                        # [0, 10] with targets to ~23 sat at the mean for hundreds of epochs and
                        # then rode the edge of stability: the loss bounced 3-30 at every rate
                        # that got anywhere in 3,000 epochs. One linear unit fits it in ~100
                        # epochs; its curvature (~2 mean x^2 = 68) needs lr < 2/68.
                        hidden=(), rate_scale=0.2),
    "circles": DatasetInfo(CLASSIFICATION, 200, 0.05, 0,
                           "a small circle inside a large one", "standard deviation of the noise"),
    "xor": DatasetInfo(CLASSIFICATION, 200, 0.0, 0,
                       "four quadrants: the class is the sign of x1 * x2",
                       "fraction of the box by which points are jittered"),
    "gaussian": DatasetInfo(CLASSIFICATION, 200, 1.0, 0,
                            "two Gaussian clouds at (2, 2) and (-2, -2)",
                            "standard deviation of each cloud"),
    "spiral": DatasetInfo(CLASSIFICATION, 200, 0.1, 0,
                          "two interleaved spirals: the hard one",
                          "standard deviation of the noise",
                          # Each sigmoid unit bends the boundary along one line; 4-10-4 has too
                          # few to wind round 1.75 turns and sat at 60% for good. Two layers of
                          # 32 at twice the rate pass 95% of the training points by epoch 2,000
                          # (the test points, 40 of them between the arms, lag behind).
                          hidden=(32, 32), rate_scale=2.0),
    "multiclass": DatasetInfo(CLASSIFICATION, 300, 1.0, 0,
                              "K Gaussian clouds around a circle (--classes K, 3 to 8)",
                              "standard deviation of each cloud"),
    "plane": DatasetInfo(REGRESSION, 200, 0.1, 0,
                         "y = (x1 + x2) / 2 on [-1, 1]^2 plus noise: 2-D regression",
                         "standard deviation of the noise on y"),
    "sine": DatasetInfo(REGRESSION, 200, 0.1, 0,
                        "y = sin(x) on [-3, 3] plus noise: 1-D curve fitting",
                        "standard deviation of the noise on y",
                        # The sigmoid units start with zero biases, every bend at x = 0: 4-10-4
                        # fitted one S for thousands of epochs, missing both humps. One layer
                        # of 32 has bends enough to move out to both, at twice the rate.
                        hidden=(32,), rate_scale=2.0),
}


class DataError(NnvizError):
    """Bad data settings or a bad data file; the message is meant for the user."""


@dataclass(frozen=True)
class DataSpec:
    """How to generate a data set. ``None`` means the data set's own default."""

    name: str = "moons"
    samples: int | None = None
    noise: float | None = None
    seed: int | None = None
    test_fraction: float = 0.2
    classes: int = 3

    def __post_init__(self) -> None:
        # whole_number / real_number: a string, a bool or 1e400 (e.g. from a session file) gets
        # the same message as an out-of-range number, never a TypeError.
        if not isinstance(self.name, str) or self.name not in DATASETS:
            raise DataError(f"unknown data set {self.name!r}; known: {', '.join(DATASETS)}")
        if self.samples is not None and not 4 <= (whole_number(self.samples) or 0) <= MAX_SAMPLES:
            raise DataError(f"sample count must be a whole number between 4 and {MAX_SAMPLES}, "
                            f"got {self.samples!r}")
        noise = real_number(self.noise)
        if self.noise is not None and not (noise is not None and 0 <= noise <= 10):
            raise DataError(f"noise must be between 0 and 10, got {self.noise!r}")
        if self.noise is not None and noise == 0:
            # -0.0 (typed "-0") passes the range check, and numpy's generators refuse it.
            object.__setattr__(self, "noise", 0.0)
        seed = whole_number(self.seed)
        if self.seed is not None and not (seed is not None and 0 <= seed <= MAX_SEED):
            raise DataError(f"seed must be a whole number between 0 and {MAX_SEED:,}, "
                            f"got {self.seed!r}")
        fraction = real_number(self.test_fraction)
        if not (fraction is not None and 0 <= fraction <= 0.9):
            raise DataError(f"test fraction must be between 0 and 0.9, got {self.test_fraction!r}")
        if fraction == 0:
            object.__setattr__(self, "test_fraction", 0.0)  # never -0.0
        if not 3 <= (whole_number(self.classes) or 0) <= 8:
            raise DataError(f"class count must be a whole number between 3 and 8, "
                            f"got {self.classes!r}")

    @property
    def info(self) -> DatasetInfo:
        return DATASETS[self.name]

    def resolved(self) -> "DataSpec":
        """The same spec with every default filled in."""
        info = self.info
        return replace(
            self,
            samples=info.samples if self.samples is None else self.samples,
            noise=info.noise if self.noise is None else self.noise,
            seed=info.seed if self.seed is None else self.seed,
        )


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points, targets and the train/test split. Arrays are read-only."""

    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int  # 0 for regression
    train_index: np.ndarray
    test_index: np.ndarray
    name: str = "custom"
    spec: DataSpec | None = None
    feature_names: tuple[str, ...] = field(default=())
    # (mean, sd) per feature when the points are standardised raw values (a CSV import far from
    # unit scale, nnviz.core.csvdata): raw = X * sd + mean. None: X are the values themselves.
    scaling: tuple[tuple[float, float], ...] | None = None
    # The target's name (a CSV file's header names its last column: "daylight"); "" when the
    # data does not name it (the axes then say "y").
    target_name: str = ""
    # (mean, sd) of the target when the targets are standardised raw values (a CSV import whose
    # regression targets are far from unit scale, nnviz.core.csvdata): raw = y * sd + mean, and
    # the losses are in these standardised units. None: y are the values themselves.
    target_scaling: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for a in (self.X, self.y, self.train_index, self.test_index):
            a.setflags(write=False)

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])

    @property
    def is_classification(self) -> bool:
        return self.task == CLASSIFICATION

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train_index]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train_index]

    @property
    def X_test(self) -> np.ndarray:
        return self.X[self.test_index]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[self.test_index]

    def bounds(self, margin: float = 0.1) -> tuple[tuple[float, float], ...]:
        """(low, high) per feature, widened by ``margin`` of the range on each side."""
        lo, hi = self.X.min(axis=0).astype(float), self.X.max(axis=0).astype(float)
        span = np.where(hi > lo, hi - lo, 1.0)
        return tuple((float(a - margin * s), float(b + margin * s)) for a, b, s in zip(lo, hi, span))


def split_indices(n: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random test subset; the training indices stay in the data's own order."""
    n_test = int(round(n * test_fraction))
    if test_fraction > 0 and n - n_test < 2:
        raise DataError(f"a test fraction of {test_fraction} leaves fewer than 2 training points")
    perm = np.random.default_rng(seed).permutation(n)
    test = np.sort(perm[:n_test])
    train = np.sort(perm[n_test:])
    return train.astype(np.int64), test.astype(np.int64)


def from_arrays(X: np.ndarray, y: np.ndarray, task: str, *, test_fraction: float = 0.2,
                seed: int = 0, name: str = "custom", spec: DataSpec | None = None,
                n_classes: int | None = None) -> Dataset:
    """A :class:`Dataset` from points and targets (classes must already be 0..K-1)."""
    X = np.ascontiguousarray(X, dtype=np.float32)
    if X.ndim != 2 or X.shape[0] != len(y):
        raise DataError(f"points must be (N, d) with one target each, got {X.shape} and {len(y)}")
    if task == CLASSIFICATION:
        y = np.ascontiguousarray(y, dtype=np.int32)
        k = int(y.max()) + 1 if n_classes is None else n_classes
    else:
        y = np.ascontiguousarray(y, dtype=np.float32)
        k = 0
    train, test = split_indices(len(y), test_fraction, seed)
    return Dataset(X, y, task, k, train, test, name=name, spec=spec,
                   feature_names=tuple(f"x{i + 1}" for i in range(X.shape[1])))


def _two_spirals(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    # TensorFlow Playground's spiral: radius grows with the angle, the second arm turned by pi.
    half = n // 2
    sizes = (n - half, half)
    X, y = [], []
    for label, (m, delta) in enumerate(zip(sizes, (0.0, np.pi))):
        i = np.arange(m)
        r = i / max(m, 1) * 5.0
        t = 1.75 * i / max(m, 1) * 2 * np.pi + delta
        pts = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        X.append(pts + rng.normal(scale=noise, size=pts.shape))
        y.append(np.full(m, label))
    return np.concatenate(X), np.concatenate(y)


_SKLEARN_SETS = frozenset({"moons", "blobs", "circles", "gaussian", "multiclass"})
_cache_dir: Path | None = None


def enable_cache(folder: str | os.PathLike) -> Path | None:
    """Keep scikit-learn's data sets in ``folder`` from now on; None if it cannot be made."""
    global _cache_dir
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    _cache_dir = Path(folder)
    return _cache_dir


def disable_cache() -> None:
    global _cache_dir
    _cache_dir = None


def _cache_path(spec: DataSpec) -> Path | None:
    if _cache_dir is None or spec.name not in _SKLEARN_SETS:
        return None
    try:
        version = metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        return None
    key = repr((spec.name, spec.samples, float(spec.noise), spec.seed, spec.classes, version))
    return _cache_dir / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".npz")


def _generate_cached(spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    path = _cache_path(spec)
    if path is not None:
        from .npzfile import read_npz  # here: npzfile's limits import this module
        # The data sets here have at most 3 columns of float64 and MAX_SAMPLES rows.
        bound = 32 * MAX_SAMPLES + (1 << 17)
        try:
            a = read_npz(path, max_bytes=bound, names={"X", "y"})
            return a["X"], a["y"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass  # not there yet, or unreadable: generate (and write it afresh)
    X, y = _generate(spec)
    if path is not None:
        try:  # atomically: a reader never sees half a file
            with atomic_write(path) as f:
                np.savez(f, X=X, y=y)
        except OSError:
            pass  # a full or read-only disk: no cache, no harm
    return X, y


def _generate(spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    n, noise, seed = spec.samples, spec.noise, spec.seed
    name = spec.name
    if name in _SKLEARN_SETS:
        from sklearn import datasets as skd
    if name == "moons":
        return skd.make_moons(n, noise=noise, random_state=seed)
    if name == "blobs":
        return skd.make_blobs(n, centers=[[0.0, 1], [0.0, -1]], cluster_std=noise,
                              random_state=seed)
    if name == "line":
        # The notebook: np.random.seed(42) then one normal draw per point.
        x = np.linspace(0.0, 10.0, n)
        y = 2.31531 * x + 0.23412 + noise * np.random.RandomState(seed).normal(size=x.size)
        return x[:, None], y
    if name == "circles":
        return skd.make_circles(n, noise=noise, factor=0.5, random_state=seed)
    rng = np.random.default_rng(seed)
    if name == "xor":
        X = rng.uniform(-1, 1, size=(n, 2))
        X = X + np.sign(X) * 0.05  # a small gap between the quadrants, as in the playground
        y = (X[:, 0] * X[:, 1] < 0).astype(int)
        return X + rng.uniform(-noise, noise, size=X.shape), y
    if name == "gaussian":
        return skd.make_blobs(n, centers=[[2.0, 2.0], [-2.0, -2.0]], cluster_std=noise,
                              random_state=seed)
    if name == "spiral":
        return _two_spirals(n, noise, rng)
    if name == "multiclass":
        k = spec.classes
        angles = 2 * np.pi * np.arange(k) / k
        centers = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        return skd.make_blobs(n, centers=centers, cluster_std=noise, random_state=seed)
    if name == "plane":
        X = rng.uniform(-1, 1, size=(n, 2))
        return X, (X[:, 0] + X[:, 1]) / 2 + rng.normal(scale=noise, size=n)
    if name == "sine":
        x = np.sort(rng.uniform(-3, 3, size=n))
        return x[:, None], np.sin(x) + rng.normal(scale=noise, size=n)
    raise DataError(f"unknown data set {name!r}")  # unreachable: DataSpec validates the name


def make_dataset(spec: DataSpec | None = None) -> Dataset:
    """Generate the data set ``spec`` describes (default: the notebook's moons)."""
    spec = (spec or DataSpec()).resolved()
    try:
        X, y = _generate_cached(spec)
    except DataError:
        raise
    except ValueError as e:  # a generator refusing what DataSpec let through: the user's words
        raise DataError(f"cannot make the {spec.name} data set with these settings: {e}") from e
    return from_arrays(X, y, spec.info.task, test_fraction=spec.test_fraction, seed=spec.seed,
                       name=spec.name, spec=spec)
