"""How often the worker makes snapshots: what a snapshot costs sets it, so that a big network's
snapshots (its grid, its maps, its probes) do not take the training's time. Time is a fake clock
here: a slow probe moves it on, as a 512-wide network's probes would, and so does each chunk."""
from __future__ import annotations

import types

import pytest

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.training import TrainConfig
from nnviz.core import loop as worker  # the worker thread's logic
from nnviz.core.loop import TrainLoop
from nnviz.core.problem import Problem
from nnviz.core.loop import NewProblem, Play, SetProbe, Step

CHUNK_S = 0.016  # what a chunk of epochs takes on the fake clock


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def snapshot_share(monkeypatch, probe_s: float, chunks: int = 300) -> tuple[float, int]:
    """Play ``chunks`` chunks with a probe that costs ``probe_s``; the share of the (fake) time
    spent making snapshots, and how many were made."""
    clock = Clock()
    monkeypatch.setattr(worker, "time", types.SimpleNamespace(perf_counter=clock))
    snapshots = []
    loop = TrainLoop(publish=snapshots.append)
    loop.post(NewProblem(1, Problem(make_dataset(DataSpec("moons")), NetworkSpec(),
                                    TrainConfig(), None, 0)))
    loop.work_once()
    spent = {"snapshots": 0.0}

    def slow_probe(trainer, grid):
        clock.now += probe_s
        spent["snapshots"] += probe_s

    run = loop.trainer.run

    def timed_run(n):
        clock.now += CHUNK_S
        return run(n)
    loop.trainer.run = timed_run
    loop.post(SetProbe("slow", slow_probe))
    loop.post(Play())
    loop.work_once()  # the probe's first snapshot, and the first chunk
    start, spent["snapshots"], made = clock.now, 0.0, len(snapshots)
    for _ in range(chunks):
        loop.work_once()
    assert loop.playing
    return spent["snapshots"] / (clock.now - start), len(snapshots) - made


def test_costly_snapshots_are_made_less_often(monkeypatch):
    # A snapshot of 0.4 s (a 2-512x8-1 network's grid and probes): at most about a quarter of
    # the time goes to snapshots, however long that leaves between two.
    share, made = snapshot_share(monkeypatch, 0.4)
    assert made >= 2  # the window still follows the run
    assert share <= 0.3


def test_cheap_snapshots_still_come_every_frame(monkeypatch):
    share, made = snapshot_share(monkeypatch, 0.0, chunks=120)
    # 120 chunks of 16 ms: about two chunks a frame at 60 frames a second.
    assert made >= 120 * CHUNK_S / (2 * worker.FRAME_S) * 0.9
    assert share == pytest.approx(0.0)


def grid_sides(monkeypatch, seconds_per_point: float, snapshots: int = 8,
               then: float | None = None) -> list[int]:
    """The grid's side at each of ``snapshots`` steps, its prediction costing
    ``seconds_per_point`` (``then``: afterwards as many steps at that cost)."""
    clock = Clock()
    monkeypatch.setattr(worker, "time", types.SimpleNamespace(perf_counter=clock))
    loop = TrainLoop()
    loop.post(NewProblem(1, Problem(make_dataset(DataSpec("moons")), NetworkSpec(),
                                    TrainConfig(), None, 0)))
    loop.work_once()
    cost = {"per_point": seconds_per_point}
    predict = loop.trainer.predict_for_drawing

    def timed_predict(points, *params):
        clock.now += cost["per_point"] * len(points)
        return predict(points, *params)
    loop.trainer.predict_for_drawing = timed_predict
    sides = []
    for i in range(2 * snapshots if then is not None else snapshots):
        if i == snapshots:
            cost["per_point"] = then
        loop.post(Step(1))
        loop.work_once()
        sides.append(len(loop._grid_axes[0]))
    return sides


def test_a_costly_grid_is_made_coarser_and_a_cheap_one_finer_again(monkeypatch):
    # 40 ms for the 100x100 grid (a 512-wide network's): halved until it costs <= 4 ms.
    sides = grid_sides(monkeypatch, 40e-3 / 10_000, then=1e-9)
    assert sides[7] == 25  # 625 points: 2.5 ms
    assert sides[-1] == 100  # cheap again: back to the full resolution


def test_a_cheap_grid_keeps_its_resolution(monkeypatch):
    assert set(grid_sides(monkeypatch, 1e-9)) == {100}
