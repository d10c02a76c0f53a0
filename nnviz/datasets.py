"""nnviz's data sets as numpy arrays: ``nnviz.datasets.make("moons") -> (X, y)``.

The points are exactly those ``nnviz train --dataset NAME`` trains on, in the generator's own
order (for moons, scikit-learn's ``make_moons(200, noise=0.1, random_state=0)`` rounded to
float32, nnviz's dtype). ``nnviz.train(X, y)`` with the same ``test_fraction`` and ``seed`` as
the data set's holds out the same test points. Importing this module does not import jax.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.data import DATASETS, DataError, DataSpec, make_dataset

NAMES: tuple[str, ...] = tuple(DATASETS)
OPTIONS = ("samples", "noise", "seed", "classes")


def make(name: str = "moons", **options) -> tuple[np.ndarray, np.ndarray]:
    """The points ``X`` (N, d) float32 and targets ``y`` of the data set ``name``.

    ``y`` holds int32 class labels 0..K-1 (classification) or float32 values (regression).
    ``options``: ``samples``, ``noise``, ``seed`` (each the data set's own when left out) and
    ``classes`` (for ``multiclass``). Raises :class:`~nnviz.core.data.DataError` on an unknown
    name or option, or a value out of range.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise DataError(f"unknown option{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(map(repr, unknown))} for a data set; known: "
                        f"{', '.join(OPTIONS)}")
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else name
    data = make_dataset(DataSpec(key, options.get("samples"), options.get("noise"),
                                 options.get("seed"), 0.0, options.get("classes", 3)))
    return data.X.copy(), data.y.copy()
