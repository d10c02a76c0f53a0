"""Shared helpers for the view tests: real trainers, and snapshots made the way the worker does."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from nnviz.core import inspect  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.inspect import NeuronMaps  # noqa: E402
from nnviz.core.network import NetworkSpec  # noqa: E402
from nnviz.core.snapshot import Grid, Snapshot, make_grid_points  # noqa: E402
from nnviz.core.training import TrainConfig, Trainer, network_for  # noqa: E402


def make_trainer(name: str = "moons", hidden=(4, 10, 4), act: str = "sigmoid", loss: str = "mse",
                 optimizer: str = "gd", lr: float = 1.0, **data_kw) -> Trainer:
    data = make_dataset(DataSpec(name, **data_kw))
    spec = network_for(data, loss, hidden, (act,) * len(hidden), "sigmoid")
    return Trainer(spec, TrainConfig(loss, optimizer, lr), data, seed=0)


def snapshot_of(trainer: Trainer, probes: dict | None = None, res: int = 40,
                run_id: int = 1) -> Snapshot:
    """A snapshot as the worker makes one: numpy params, the grid, and the probes' extras."""
    xs, ys, pts = make_grid_points(trainer.data.bounds(0.1), res)
    pred = trainer.predict(pts)
    values = pred[:, 0] if pred.shape[1] == 1 else pred
    grid = Grid(xs, ys, values.reshape(res, res, *values.shape[1:]) if len(ys) else values)
    extras = {name: fn(trainer, pts) for name, fn in (probes or {}).items()}
    metrics = trainer.evaluate()
    return Snapshot(run_id, trainer.epoch, trainer.spec, trainer.config, metrics,
                    np.arange(1, trainer.epoch + 1), np.zeros(trainer.epoch, np.float32),
                    np.zeros(0), np.zeros(0),
                    tuple((np.array(w), np.array(b)) for w, b in trainer.params), grid,
                    extras=extras)


def big_maps(widths=(512,) * 8, res=16, seed=0):
    """(spec, maps) of a 2-W..W-1 sigmoid network as the probe hands them out: random numbers,
    no training (a 2-512x8-1 network's compile and epochs cost seconds)."""
    spec = NetworkSpec(hidden=tuple(widths), activations=("sigmoid",) * len(widths))
    rng = np.random.default_rng(seed)
    xs = ys = np.linspace(-1, 1, res, dtype=np.float32)
    layers = tuple(rng.random((res, res, n), dtype=np.float32) for n in (*widths, 1))
    inputs = np.stack(np.meshgrid(xs, ys), -1)
    return spec, NeuronMaps(xs, ys, inputs, layers, (len(widths), 0), layers[-1][:, :, 0],
                            xs, ys)


def big_params(spec, seed=0):
    """Random numpy weights of ``spec``, layer k's with its own spread."""
    rng = np.random.default_rng(seed)
    sizes = spec.layer_sizes
    return tuple((rng.normal(scale=0.1 * (k + 1), size=(a, b)).astype(np.float32),
                  rng.normal(size=b).astype(np.float32))
                 for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])))


def default_probes() -> dict:
    return {"neurons": inspect.NeuronMapsProbe(), "network": inspect.NeuronMapsProbe(),
            "hidden-space": inspect.HiddenSpaceProbe(), "gradients": inspect.GradientProbe(),
            "baseline": inspect.BaselineProbe()}


def axis_texts(ax) -> list:
    """The (rect, flags, text) of each number a pyqtgraph axis ``ax`` paints (its own draw
    specs, made with a throwaway painter: the minor ticks' numbers it leaves out where they
    would not fit are not among them)."""
    from PySide6.QtGui import QImage, QPainter
    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        return ax.generateDrawSpecs(painter)[2]
    finally:
        painter.end()
