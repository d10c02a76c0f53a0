"""Linear regions of piecewise-linear networks (nnviz.core.regions)."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import regions, runlog
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec, as_params
from nnviz.core.training import TrainConfig, Trainer, network_for

# A box whose grid never lands exactly on a line (no point with z exactly 0).
BOX = ((-2.0313, 2.0771), (-1.9687, 2.1129))


def grid(res=300, box=BOX):
    return regions.grid_over(box, res)[2]


def test_three_lines_cut_the_plane_into_seven_regions():
    # hidden units x, y and x + y - 1: the lines x = 0, y = 0 and x + y = 1, each crossing the
    # others inside the box: 4 regions, then the third line crosses two lines: +3
    spec = NetworkSpec(2, (3,), ("relu",), 1, "sigmoid")
    params = as_params([(np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), np.array([0.0, 0.0, -1.0])),
                        (np.ones((3, 1)), np.zeros(1))])
    assert regions.count_on_grid(spec, params, grid()) == 7
    assert regions.exact_count_one_layer(params[0][0], params[0][1], BOX) == 7
    assert regions.zaslavsky_bound(3) == 7  # three lines in general position: the most there is
    # leaky relu kinks at the same place
    leaky = NetworkSpec(2, (3,), ("leaky-relu",), 1, "sigmoid")
    assert regions.count_on_grid(leaky, params, grid()) == 7


def test_a_second_relu_layer_bends_the_lines_of_the_first():
    # relu(x), relu(y), then relu(relu(x) + relu(y) - 1): quadrants 1, 2 and 4 are each cut once
    # more (by x + y = 1, y = 1 and x = 1); quadrant 3 is not: 4 + 3 = 7 regions
    spec = NetworkSpec(2, (2, 1), ("relu", "relu"), 1, "linear")
    params = as_params([(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.array([-1.0])),
                        (np.ones((1, 1)), np.zeros(1))])
    assert regions.count_on_grid(spec, params, grid()) == 7
    # and the network is one linear function in each: its slope is constant per region
    ids, _ = regions.region_ids(spec, params, grid(137))
    s = regions.slopes(spec, params, grid(137))
    for r in np.unique(ids):
        assert np.ptp(s[ids == r]) < 1e-5


def test_parallel_and_repeated_lines_and_lines_outside_the_box():
    # x = 0 twice, x = 1 (parallel), y = 5 (outside the box): 3 regions
    w = np.array([[1.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    b = np.array([0.0, 0.0, -1.0, -5.0])
    assert regions.exact_count_one_layer(w, b, BOX) == 3
    spec = NetworkSpec(2, (4,), ("relu",), 1, "sigmoid")
    params = as_params([(w, b), (np.ones((4, 1)), np.zeros(1))])
    assert regions.count_on_grid(spec, params, grid()) == 3


def test_one_input_cuts_the_line_into_intervals():
    w, b = np.array([[1.0, -2.0, 0.5]]), np.array([0.5, 1.0, 3.0])  # kinks at -0.5, 0.5, -6
    assert regions.exact_count_one_layer(w, b, ((-1.0, 1.0),)) == 3
    assert regions.zaslavsky_bound(3, 1) == 4


def test_grid_count_matches_the_exact_count_on_a_trained_network():
    data = make_dataset(DataSpec("moons", samples=100, seed=0))
    spec = network_for(data, "mse", (8,), ("relu",), "sigmoid")
    t = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0)
    t.run(200)
    box = data.bounds(0.1)
    exact = regions.exact_count_one_layer(*(np.asarray(a) for a in t.params[0]), box)
    assert exact <= regions.zaslavsky_bound(8)
    assert regions.count_on_grid(spec, t.params, regions.grid_over(box, 400)[2]) == exact


def test_smooth_activations_have_no_regions_and_say_why():
    spec = NetworkSpec(2, (4, 10, 4), ("sigmoid",) * 3, 1, "sigmoid")
    why = regions.not_applicable(spec)
    assert "sigmoid" in why and "relu" in why
    assert regions.not_applicable(NetworkSpec(2, (4,), ("relu",), 1, "sigmoid")) is None
    # A network with relu in one layer is told which layers are still smooth, not that its
    # hidden layers use sigmoid (r19 #3: a learner had just picked relu for one).
    mixed = NetworkSpec(2, (4, 512, 4, 3), ("sigmoid", "relu", "tanh", "sigmoid"), 1, "sigmoid")
    why = regions.not_applicable(mixed)
    assert "in every hidden layer; hidden layers 1, 3 and 4 use sigmoid and tanh" in why, why
    assert "this network's hidden layers" not in why
    # a linear network is one region
    lin = NetworkSpec(2, (3,), ("linear",), 1, "sigmoid")
    params = as_params([(np.ones((2, 3)), np.zeros(3)), (np.ones((3, 1)), np.zeros(1))])
    assert regions.count_on_grid(lin, params, grid()) == 1


def test_the_probe_counts_the_regions_over_the_runs_checkpoints():
    data = make_dataset(DataSpec("moons", samples=100, seed=0))
    spec = network_for(data, "mse", (6, 6), ("relu", "relu"), "sigmoid")
    t = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0)
    log = runlog.RunLog()
    log.checkpoint(0, t.state, "start")
    runlog.advance(t, log, 40)
    from nnviz.core.snapshot import ModelAt
    model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log, state=t.state)
    probe = regions.RegionsProbe(res=120)
    pts = regions.grid_over(data.bounds(0.1), 120)[2]
    for _ in range(20):  # the history fills in over a few calls
        r = probe(model, None)
        if len(r.history_epochs) >= min(len(log.checkpoints), regions.MAX_HISTORY) + 1:
            break
    assert r.reason is None and r.count == regions.count_on_grid(spec, t.params, pts)
    assert r.history_epochs[-1] == 40 and r.history_counts[-1] == r.count
    cks = {c.epoch: c for c in log.checkpoints}
    for e, n in zip(r.history_epochs[:-1], r.history_counts[:-1]):
        assert n == regions.count_on_grid(spec, cks[int(e)].state.params, pts)
    assert r.ids.shape == (120, 120) and r.edges.any() and r.exact is None  # two layers
    smooth = Trainer(network_for(data, "mse", (4,), ("tanh",), "sigmoid"),
                     TrainConfig("mse", "gd", 0.5), data)
    assert "tanh" in probe(smooth, None).reason


def test_wide_layers_patterns_are_told_apart_as_numpy_does():
    # more than 64 units: the patterns are compared as opaque bytes
    rng = np.random.default_rng(0)
    spec = NetworkSpec(2, (70,), ("relu",), 1, "sigmoid")
    params = as_params([(rng.normal(size=(2, 70)), rng.normal(size=70)),
                        (np.ones((70, 1)), np.zeros(1))])
    pts = grid(120)
    ids, count = regions.region_ids(spec, params, pts)
    sides = (pts @ np.asarray(params[0][0]) + np.asarray(params[0][1])) > 0
    assert count == len(np.unique(sides, axis=0)) > 100
    # same pattern, same id
    first = {}
    for i, row in zip(ids[:3000], map(bytes, np.packbits(sides[:3000], axis=1))):
        assert first.setdefault(row, i) == i


def test_one_input_is_not_told_of_a_plane():
    # The sine (one input) with tanh: the message spoke of "the plane", which one input has not.
    why = regions.not_applicable(NetworkSpec(1, (8, 8), ("tanh",) * 2, 1, "linear"))
    assert "plane" not in why and "interval of the input" in why and "tanh" in why
    assert "plane" in regions.not_applicable(NetworkSpec(2, (4,), ("tanh",), 1, "sigmoid"))


def test_the_history_keeps_what_was_seen_when_the_log_thins_its_checkpoints():
    """Reviewer: at epoch 1,400 the curve had ~10 points and a peak of 127 near epoch 250; at
    2,890 only the points at 0, 1000, 2000 and 2890 were left (the run log had thinned its
    checkpoints) and the peak was gone."""
    from types import SimpleNamespace

    from nnviz.core.snapshot import ModelAt
    data = make_dataset(DataSpec("moons", samples=100, seed=0))
    spec = network_for(data, "mse", (6, 6), ("relu", "relu"), "sigmoid")
    t = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0)
    states = {0: t.state}
    for e in range(10, 90, 10):
        t.run(10)
        states[e] = t.state
    log = SimpleNamespace(name="main", checkpoints=[
        SimpleNamespace(epoch=e, state=s) for e, s in states.items() if e <= 60])
    probe = regions.RegionsProbe(res=60)

    def at(epoch):
        return ModelAt(t, states[epoch].params, epoch, 0.5, (1, "main"), log, state=states[epoch])
    for _ in range(10):
        r = probe(at(60), None)
    before = dict(zip(r.history_epochs.tolist(), r.history_counts.tolist()))
    assert sorted(before) == [0, 10, 20, 30, 40, 50, 60]
    # the log keeps fewer checkpoints as the run grows
    log.checkpoints = [SimpleNamespace(epoch=e, state=states[e]) for e in (0, 40, 80)]
    for _ in range(5):
        r = probe(at(80), None)
    after = dict(zip(r.history_epochs.tolist(), r.history_counts.tolist()))
    assert all(after.get(e) == n for e, n in before.items()), (before, after)
    assert after[80] == r.count


def test_thinning_a_history_keeps_its_first_last_and_extremes():
    from nnviz.core.history import thin_keeping_extremes
    e = np.arange(1000)
    v = np.sin(e / 50.0)
    v[237], v[811] = 9.0, -9.0  # a spike and a dip
    keep = thin_keeping_extremes(e, v, 40)
    assert len(keep) <= 40 and {0, 999, 237, 811} <= set(keep.tolist())
    assert list(keep) == sorted(keep)
    assert thin_keeping_extremes(e[:30], v[:30], 40).tolist() == list(range(30))


def test_three_features_with_sigmoid_do_not_ask_for_relu():
    # "Choose relu (or leaky-relu) to see its regions" with 3 features: relu shows none either.
    why = regions.not_applicable(NetworkSpec(3, (8,), ("sigmoid",), 1, "sigmoid"))
    assert why.startswith("The data has 3 features: there is no plane") and "relu" not in why


def test_a_pause_s_fresh_copy_of_the_probe_keeps_the_counts_seen_while_playing():
    """Review r29 L13: while playing, the count plot had ~20 points up to epoch ~330; after
    Pause at 1,054 it had 4 (0, ~350, ~700, 1,054). The window sends the worker a copy of the
    view's probe (views.ViewContext.track: copy.copy) each time the tab is shown and again
    when a Pause lands on an older result (the view's refresh); each copy started with no
    memory of the counts the one before had seen."""
    import copy
    from types import SimpleNamespace

    from nnviz.core.snapshot import ModelAt
    data = make_dataset(DataSpec("moons", samples=100, seed=0))
    spec = network_for(data, "mse", (6, 6), ("relu", "relu"), "sigmoid")
    t = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0)
    states = {0: t.state}
    for e in range(5, 205, 5):
        t.run(5)
        states[e] = t.state
    # the run log's checkpoints: a few, far apart (it thins them as the run grows)
    log = SimpleNamespace(name="main", checkpoints=[
        SimpleNamespace(epoch=e, state=states[e]) for e in (0, 100, 200)])
    view_probe = regions.RegionsProbe(res=60)  # the view's, never called itself

    def at(epoch):
        return ModelAt(t, states[epoch].params, epoch, 0.5, (1, "main"), log, state=states[epoch])
    playing = copy.copy(view_probe)  # sent when the tab was shown
    for e in range(5, 105, 5):  # the frames the probe saw while playing
        r = playing(at(e), None)
    live = dict(zip(r.history_epochs.tolist(), r.history_counts.tolist()))
    assert len(live) >= 20  # the premise: a point a frame shown
    paused = copy.copy(view_probe)  # the Pause on an older result: a fresh copy sent
    r = paused(at(200), None)
    kept = dict(zip(r.history_epochs.tolist(), r.history_counts.tolist()))
    assert all(kept.get(e) == n for e, n in live.items()), (live, kept)
    assert kept[200] == r.count
