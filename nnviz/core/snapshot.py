"""What the view draws: an immutable picture of a run at one moment, all numpy.

The GUI's worker makes one after a chunk of epochs (at most at the display's rate) and the view
redraws from the latest. ``run_id`` tells runs apart: a snapshot of an old run is never drawn.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .network import NetworkSpec
from .training import Metrics, TrainConfig


@dataclass(frozen=True)
class Grid:
    """The model over the input plane (2-D data) or along the input line (1-D data).

    2-D: ``values`` has shape (res_y, res_x) -- P(class 1) or the regressed value -- or
    (res_y, res_x, K) class scores; row ``i`` is y = ys[i]. 1-D: ``values`` has shape (res,)
    or (res, K) at ``xs``; ``ys`` is empty.
    """

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    run_id: int
    epoch: int
    spec: NetworkSpec
    config: TrainConfig
    metrics: Metrics
    loss_epochs: np.ndarray  # the kept epochs of the train-loss history (bounded, see history)
    loss_values: np.ndarray
    test_epochs: np.ndarray  # test loss, one point per evaluation
    test_values: np.ndarray
    params: tuple[tuple[np.ndarray, np.ndarray], ...]
    grid: Grid | None = None
    diverged: bool = False
    message: str = ""
    # Filled when a view asks for them (see the worker's options); None otherwise.
    layer_grids: tuple[np.ndarray, ...] | None = None  # per layer (res_y, res_x, units)
    grad_norms: tuple[float, ...] | None = None  # per layer, ||dL/dW||
    extras: dict = field(default_factory=dict)


def make_grid_points(bounds: tuple[tuple[float, float], ...], res: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, points) covering ``bounds``; points are row-major (y outer) float32 rows."""
    xs = np.linspace(*bounds[0], res, dtype=np.float32)
    if len(bounds) == 1:
        return xs, np.zeros(0, np.float32), xs[:, None]
    ys = np.linspace(*bounds[1], res, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)
