"""The probes behind the inspection views, on real trainers."""
import jax
import numpy as np
import pytest

from nnviz.core import inspect, runlog
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import forward_layers
from nnviz.core.snapshot import ModelAt, make_grid_points
from nnviz.core.training import TrainConfig, Trainer, network_for

# The reference activations, jitted: one compile per network and number of points, where
# op by op each call compiled ~20 small programs (a matmul, an add, an exp... per layer).
forward_layers = jax.jit(forward_layers, static_argnums=0)


def trainer_for(name="moons", hidden=(4, 10, 4), act="sigmoid", loss="mse", opt="gd", lr=1.0,
                **data_kw):
    data = make_dataset(DataSpec(name, **data_kw))
    spec = network_for(data, loss, hidden, (act,) * len(hidden), "sigmoid")
    return Trainer(spec, TrainConfig(loss, opt, lr), data, seed=0)


@pytest.fixture(scope="module")
def moons():
    t = trainer_for()
    t.run(50)
    return t


def test_grid_shape_and_subsample():
    xs, ys, pts = make_grid_points(((-1, 2), (0, 1)), 100)
    assert inspect.grid_shape(pts) == (100, 100)
    sub, shape = inspect.subsample_grid(pts, 32)
    assert shape == (25, 25) and len(sub) == 625
    assert sub[1, 0] == pytest.approx(xs[4]) and sub[25, 1] == pytest.approx(ys[4])
    xs1, _, pts1 = make_grid_points(((0, 10),), 200)
    assert inspect.grid_shape(pts1) == (1, 200)


def test_neuron_maps_are_each_neurons_activation_over_the_plane(moons):
    _, _, pts = make_grid_points(moons.data.bounds(0.1), 64)
    probe = inspect.NeuronMapsProbe(max_res=32)
    probe.selected = (1, 3)
    maps = probe(moons, pts)
    assert [m.shape for m in maps.layers] == [(32, 32, 4), (32, 32, 10), (32, 32, 4), (32, 32, 1)]
    # The output neuron's map is the network's prediction at those points.
    sub, _ = inspect.subsample_grid(pts, 32)
    np.testing.assert_allclose(maps.layers[-1].reshape(-1), moons.predict(sub)[:, 0], rtol=1e-5,
                               atol=1e-6)
    assert maps.selected == (1, 3) and maps.selected_map.shape == (64, 64)
    full = np.array(forward_layers(moons.spec, moons.params, pts)[1])[:, 3]
    np.testing.assert_allclose(maps.selected_map.ravel(), full, rtol=1e-5, atol=1e-6)
    probe.selected = (7, 0)  # no such layer: the output neuron instead (the boundary)
    out = probe(moons, pts)
    assert out.selected == (3, 0)
    np.testing.assert_allclose(out.selected_map.ravel(), moons.predict(pts)[:, 0], rtol=1e-5,
                               atol=1e-6)


def test_neuron_maps_on_1d_input():
    t = trainer_for("line", hidden=(3,), act="tanh", test_fraction=0.0)
    _, _, pts = make_grid_points(t.data.bounds(0.1), 200)
    maps = inspect.NeuronMapsProbe()(t, pts)
    n = maps.layers[0].shape[1]
    assert maps.layers[0].shape == (1, n, 3) and 16 <= n <= 32 and len(maps.ys) == 0
    assert len(maps.xs) == n and maps.xs[0] == pytest.approx(pts[0, 0])


def test_hidden_space_pca_and_units(moons):
    _, _, pts = make_grid_points(moons.data.bounds(0.1), 50)
    probe = inspect.HiddenSpaceProbe(layer=1)
    hs = probe(moons, pts)
    assert hs.axes == ("PC 1", "PC 2") and hs.width == 10
    assert hs.points.shape == (200, 2) and hs.mesh.shape == (34, 60, 2)
    assert hs.explained[0] >= hs.explained[1] > 0 and sum(hs.explained) <= 1 + 1e-6
    assert hs.is_test.sum() == len(moons.data.test_index)
    # The principal components are scikit-learn's (up to each axis's sign), and their variances.
    from sklearn.decomposition import PCA
    h1 = np.asarray(forward_layers(moons.spec, moons.params, moons.data.X)[1], np.float64)
    pca = PCA(2).fit(h1)
    ref = pca.transform(h1)
    signs = np.sign(np.sum(ref * hs.points, axis=0))
    np.testing.assert_allclose(hs.points, ref * signs, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(hs.explained, pca.explained_variance_ratio_, rtol=1e-5)
    # PC signs do not flip between snapshots of nearly the same weights.
    moons.run(1)
    hs2 = probe(moons, pts)
    assert np.mean(np.sign(hs2.points[:, 0]) == np.sign(hs.points[:, 0])) > 0.95
    probe.units = (2, 5)
    hs3 = probe(moons, pts)
    h = np.array(forward_layers(moons.spec, moons.params, moons.data.X)[1])
    np.testing.assert_allclose(hs3.points, h[:, [2, 5]], rtol=1e-5, atol=1e-6)
    assert hs3.axes == ("unit 3", "unit 6") and hs3.explained is None


def recorded(t, epochs: int):
    """``t`` trained ``epochs`` epochs with a run log that records the gradients at its
    checkpoints, as the window's loop does; the model at the end, as a view sees it."""
    log = runlog.RunLog()
    log.checkpoint(t.epoch, t.state, "start")
    inspect.record_gradients(t, log)
    runlog.advance(t, log, epochs, on_checkpoint=lambda lg: inspect.record_gradients(t, lg))
    return ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log), log


def test_gradient_history_is_the_run_logs_and_the_ratio_is_exact_for_gd():
    t = trainer_for(lr=0.5)
    model, log = recorded(t, 30)
    flow = inspect.GradientProbe()(model, None)
    assert list(flow.epochs) == list(log.checkpoint_epochs()) == list(range(31))
    assert flow.grad_norms.shape == (31, 4) and flow.exact_ratio
    ws = [np.array(w) for w, _ in t.params]
    g = inspect.gradients(t)
    np.testing.assert_allclose(flow.update_ratios[-1],
                               [0.5 * np.linalg.norm(gw) / np.linalg.norm(w)
                                for (gw, _), w in zip(g, ws)], rtol=1e-5)
    np.testing.assert_allclose(flow.grad_norms[-1], [np.linalg.norm(gw) for gw, _ in g],
                               rtol=1e-5)
    assert len(flow.weight_hists) == 4 and flow.weight_hists[1].counts.sum() == 40
    assert flow.activation_hists[0].counts.sum() == 4 * len(t.data.train_index)
    assert flow.dead_fraction == (None, None, None)
    # A past epoch shows the history up to it; a new run (Restart) has its own.
    past = inspect.GradientProbe()(ModelAt(t, log.nearest(12).state.params, 12, 0.5, (1, "x"),
                                           log, past=True), None)
    assert list(past.epochs) == list(range(13))
    t.restart()
    model, _ = recorded(t, 5)
    assert list(inspect.GradientProbe()(model, None).epochs) == [0, 1, 2, 3, 4, 5]


def test_gradient_probe_measures_ratio_for_adam_between_checkpoints():
    t = trainer_for(opt="adam", lr=0.01)
    model, log = recorded(t, 4)
    flow = inspect.GradientProbe()(model, None)
    assert not flow.exact_ratio and np.isnan(flow.update_ratios[0]).all()
    w0 = [np.asarray(w) for w, _ in log.nearest(3).state.params]
    w1 = [np.array(w) for w, _ in t.params]
    expected = [np.linalg.norm(b - a) / np.linalg.norm(b) for a, b in zip(w0, w1)]
    np.testing.assert_allclose(flow.update_ratios[-1], expected, rtol=1e-5)


@pytest.mark.parametrize("case", ["narrow, columns", "wide, rows"])
def test_gradient_probe_numbers_are_the_notebook_formulas_in_either_layout(case):
    """The probe computes a narrow network's gradient in columns (as training does, twice as
    fast) and a wide one's in rows: either way its norms, recorded and drawn, are those of
    jax.grad of the mean loss written as the notebook writes it, and its activation histograms
    count every layer's activations of the notebook's forward pass, padded or not. The narrow
    case takes input features, softmax and cross-entropy; the wide one ReLU units."""
    from dataclasses import replace

    from nnviz.core import losses
    from nnviz.core.training import penalty, penalty_rates
    if case == "narrow, columns":
        data = make_dataset(DataSpec("blobs"))
        spec = replace(network_for(data, "cross-entropy", (5, 3), ("tanh", "tanh"), "softmax"),
                       features=("x1", "x2", "x1^2", "sin(x2)"))
        config = TrainConfig("cross-entropy", "gd", 0.5, l2=0.01)
    else:
        data = make_dataset(DataSpec("moons"))
        spec = network_for(data, "mse", (130,), ("relu",), "sigmoid")
        config = TrainConfig("mse", "gd", 0.5)
    t = Trainer(spec, config, data, seed=0)
    t.run(5)
    X, T = np.asarray(t.X_train), np.asarray(t.T_train)
    grads = jax.grad(lambda p: losses.data_loss(spec, config.loss, p, X, T)
                     + penalty(p, config, penalty_rates(config)))(t.params)
    expected = [np.linalg.norm(np.asarray(gw)) for gw, _ in grads]
    acts = [np.asarray(a) for a in forward_layers(spec, t.params, X)]
    padded = Trainer(spec, config, data, seed=0, padded=True)
    padded.set_params([(np.array(w), np.array(b)) for w, b in t.params])
    for model in (t, padded):
        flow = inspect.GradientProbe()(model, None)
        np.testing.assert_allclose(flow.grad_norms[-1], expected, rtol=1e-4)
        np.testing.assert_allclose(inspect.gradient_row(model)[0], expected, rtol=1e-4)
        lo, hi = inspect._common_range(acts)
        for hist, a in zip(flow.activation_hists, acts):
            ref = inspect.histogram(a, bins=len(hist.counts), value_range=(lo, hi))
            assert np.abs(hist.counts - ref.counts).sum() <= 0.001 * a.size  # float rounding


def test_a_model_without_a_record_gets_its_own_row():
    t = trainer_for()
    t.run(7)
    flow = inspect.GradientProbe()(t, None)
    assert list(flow.epochs) == [7] and flow.grad_norms.shape == (1, 4)


def test_deep_sigmoid_gradients_vanish_towards_the_input():
    t = trainer_for(hidden=(8,) * 8, act="sigmoid")
    flow = inspect.GradientProbe()(t, None)
    norms = flow.grad_norms[-1]
    assert norms[0] < norms[-1] / 100  # the first layer learns orders of magnitude slower


def test_dead_relu_fraction():
    t = trainer_for(hidden=(16, 16), act="relu")
    # Kill six units of the first layer: large negative biases.
    (w0, b0), *rest = [(np.array(w), np.array(b)) for w, b in t.params]
    b0[:6] = -100.0
    t.set_params([(w0, b0), *rest])
    flow = inspect.GradientProbe()(t, None)
    assert flow.dead_fraction[0] >= 6 / 16
    assert flow.dead_fraction[0] == pytest.approx(
        inspect.dead_relu_fraction(np.array(forward_layers(t.spec, t.params, t.data.X_train)[0])))


def test_baseline_probe_is_fitted_once_per_data(moons):
    _, _, pts = make_grid_points(moons.data.bounds(0.1), 20)
    probe = inspect.BaselineProbe()
    a = probe(moons, pts)
    assert a is probe(moons, pts)
    assert a.baseline.grid_values.shape == (400,) and 0.8 < a.baseline.train_accuracy < 0.95
    assert a.xs.shape == (20,) and a.ys.shape == (20,) and len(a.data_X) == 200
    assert probe(trainer_for("line", hidden=(3,)), None) is None
    # More than two features: no plane, but the accuracies.
    from nnviz.core.data import from_arrays
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    data3 = from_arrays(X, (X.sum(axis=1) > 0).astype(int), "classification")
    spec = network_for(data3, "mse", (4,), ("sigmoid",), "sigmoid")
    b3 = inspect.BaselineProbe()(Trainer(spec, TrainConfig(), data3), None)
    assert b3.baseline.train_accuracy > 0.9 and b3.baseline.grid_values is None


class _Clock:
    def __init__(self, epoch=0, playing=None):
        self.epoch = epoch
        if playing is not None:  # as the worker's ModelAt says; without it, the gap decides
            self.playing = playing


def test_throttled_probe_amortises_its_cost_but_recomputes_when_paused(monkeypatch):
    import types
    now = {"t": 100.0}  # a fake clock: the test does not depend on the machine's speed
    monkeypatch.setattr(inspect, "time", types.SimpleNamespace(perf_counter=lambda: now["t"]))
    calls = []

    def slow(trainer, pts):
        now["t"] += 0.02
        calls.append(trainer.epoch)
        return trainer.epoch

    probe = inspect.Throttled(slow, budget=0.1)  # 20 ms each: at most every 200 ms
    t = _Clock(playing=True)
    results = []
    while len(calls) < 3:
        now["t"] += 0.005
        t.epoch += 1
        results.append(probe(t, None))
    # The first computation is not amortised (it compiles, see the next test): the second frame
    # is computed too; between the second and the third computations, the frames got the
    # second result again.
    assert results[:2] == calls[:2]
    assert len(calls) == 3 and len(results) > 4 and results[2] == results[1]
    assert results[-1] == calls[-1]  # the latest computed result is handed out again
    # The epoch did not move (an edit while paused): always fresh.
    n = len(calls)
    probe(t, None)
    probe(t, None)
    assert len(calls) == n + 2
    # A frame of a run that does not play (a Step): fresh.
    t.playing = False
    t.epoch += 1
    assert probe(t, None) == t.epoch
    # Without word from the worker, a frame after a gap in the calls is taken for a Step.
    t = _Clock(t.epoch)
    probe(t, None)
    n = len(calls)
    now["t"] += 0.01
    t.epoch += 1
    probe(t, None)
    assert len(calls) == n  # in quick succession: throttled
    now["t"] += 0.06
    t.epoch += 1
    assert probe(t, None) == t.epoch
    # Another trainer: fresh at once.
    probe(_Clock(99), None)
    assert calls[-1] == 99


def test_hidden_space_of_data_with_three_features_has_no_mesh():
    from nnviz.core.data import from_arrays
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    data3 = from_arrays(X, (X.sum(axis=1) > 0).astype(int), "classification")
    spec = network_for(data3, "mse", (5,), ("tanh",), "sigmoid")
    hs = inspect.HiddenSpaceProbe()(Trainer(spec, TrainConfig(), data3), None)
    assert hs.points.shape == (60, 2) and hs.mesh.shape[0] == 0


def test_hidden_space_survives_overflowing_activations():
    t = trainer_for(hidden=(6, 6), act="relu")
    (w0, b0), *rest = [(np.array(w), np.array(b)) for w, b in t.params]
    w0[:] = 1e38  # the next layer overflows to infinity
    t.set_params([(w0, b0), *rest])
    hs = inspect.HiddenSpaceProbe(layer=1)(t, None)
    assert hs.axes == ("unit 1", "unit 2") and hs.points.shape == (200, 2)


def test_hidden_space_of_many_points_draws_a_fixed_sample_of_them():
    t = trainer_for(samples=20_000)
    probe = inspect.HiddenSpaceProbe(layer=1, units=(2, 5))
    hs = probe(t, None)
    n = len(hs.points)
    assert n == inspect.HIDDEN_SPACE_POINTS < 20_000 and hs.total == 20_000
    assert len(hs.labels) == len(hs.is_test) == n
    # The sample is the same points every snapshot (no flicker), and each one is where its
    # own activations put it, with its own label and test flag.
    assert np.array_equal(probe(t, None).points, hs.points)
    h = np.array(forward_layers(t.spec, t.params, t.data.X)[1])[:, [2, 5]]
    rows = [int(np.argmin(np.abs(h - p).sum(axis=1))) for p in hs.points[:20]]
    np.testing.assert_allclose(h[rows], hs.points[:20], rtol=1e-5, atol=1e-6)
    assert np.array_equal(t.data.y[rows], hs.labels[:20])
    test = np.zeros(20_000, bool)
    test[t.data.test_index] = True
    assert np.array_equal(test[rows], hs.is_test[:20])
    # Both sets keep their share of the sample.
    assert abs(hs.is_test.mean() - test.mean()) < 0.03


def test_selected_map_of_a_coarse_grid_is_the_units_activation_there():
    t = trainer_for(hidden=(200, 200))  # a big network: a coarse grid, maps shared with tiles
    _, _, pts = make_grid_points(t.data.bounds(0.1), 16)
    probe = inspect.NeuronMapsProbe()
    probe.selected = (1, 7)
    maps = probe(t, pts)
    h = np.array(forward_layers(t.spec, t.params, pts)[1])[:, 7].reshape(16, 16)
    assert maps.selected == (1, 7)
    np.testing.assert_allclose(maps.selected_map, h, rtol=1e-5, atol=1e-6)


def test_maps_taken_from_the_grids_pass_equal_the_maps_of_their_own_passes(moons, monkeypatch):
    _, _, pts = make_grid_points(moons.data.bounds(0.1), 100)
    probe = inspect.NeuronMapsProbe()
    for selected in [(1, 3), (-1, 1), None]:
        probe.selected = selected
        shared = probe(moons, pts)
        monkeypatch.setattr(inspect, "MAX_SHARED_MAP_VALUES", 0)  # too many to share: own passes
        own = probe(moons, pts)
        monkeypatch.undo()
        assert shared.selected == own.selected and shared.selected_map.shape == (100, 100)
        np.testing.assert_allclose(shared.selected_map, own.selected_map, rtol=1e-5, atol=1e-6)
        for a, b in zip(shared.layers, own.layers):
            assert a.shape == b.shape == (25, 25, a.shape[2])
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(shared.xs, own.xs)


def test_a_snapshot_with_the_maps_makes_one_forward_pass_over_the_grid(monkeypatch):
    """The grid's prediction and the maps (thumbnails and the neuron shown) come from one pass:
    at 2-512x8-1 that pass is as costly as an epoch."""
    from nnviz.core.loop import NewProblem, TrainLoop
    from nnviz.core.network import NetworkSpec
    from nnviz.core.problem import Problem
    loop = TrainLoop()
    spec = NetworkSpec(hidden=(64, 64), activations=("tanh", "tanh"))
    loop._handle(NewProblem(1, Problem(make_dataset(DataSpec("moons")), spec, TrainConfig(),
                                       None, 0)))
    loop.probes = {"network": inspect.Throttled(inspect.NeuronMapsProbe(), 0.02),
                   "neurons": inspect.NeuronMapsProbe()}
    loop.make_snapshot()  # compiled
    from nnviz.core import training
    passes = []
    for module, name in ((inspect, "_drawing_layers_fn"), (inspect, "_unit_fn"),
                         (training, "_predict_fn")):
        def counting(*key, make=getattr(module, name), name=name):
            fn = make(*key)
            return lambda *a: passes.append(name) or fn(*a)
        monkeypatch.setattr(module, name, counting)
    loop.trainer.run(3)
    s = loop.make_snapshot()
    assert passes == ["_drawing_layers_fn"]
    maps = s.extras["neurons"]
    np.testing.assert_allclose(maps.selected_map, s.grid.values, rtol=1e-5, atol=1e-6)
    assert s.extras["network"].layers[0] is not None


class _Playing:
    def __init__(self, epoch, playing=True):
        self.epoch, self.playing, self.past, self.run_key = epoch, playing, False, (1, "main")


@pytest.fixture
def clock(monkeypatch):
    """A fake clock for inspect.Throttled: a test advances ``clock["now"]`` itself, so it does
    not depend on the machine's speed."""
    import types
    now = {"now": 100.0}
    monkeypatch.setattr(inspect, "time", types.SimpleNamespace(perf_counter=lambda: now["now"]))
    return now


def test_a_probes_first_call_compiling_does_not_freeze_its_view(clock):
    """The first call for a run compiles (a second or more when the Gradients tab is first
    opened on a new problem); amortised at 1.5% of the worker's time it left the tab on its
    first numbers for over a minute while the run played. Later calls are throttled by what a
    call really costs."""
    calls = []

    def compiles_first(model, pts):
        clock["now"] += 1.5 if not calls else 0.001
        calls.append(model.epoch)
        return model.epoch
    probe = inspect.Throttled(compiles_first, budget=0.015)
    for epoch in range(1, 41):  # 40 frames, 30 ms apart, while the run plays: 1.2 s
        clock["now"] += 0.03
        probe(_Playing(epoch), None)
    # 1 ms a call at 1.5%: once in ~67 ms, so about every third frame after the compile.
    assert 10 <= len(calls) <= 20, calls


def test_a_playing_runs_probe_is_throttled_however_far_apart_its_frames_come(clock):
    """A 2-512x8-1 network's frames come ~50-100 ms apart: the gap since the last frame must not
    pass for a Step there (the gradient probe ran in every snapshot, half the worker's time)."""
    calls = []

    def costly(model, pts):
        clock["now"] += 0.05  # 50 ms a call: with a budget of 1.5%, once in ~3.3 s
        calls.append(model.epoch)
        return model.epoch
    probe = inspect.Throttled(costly, budget=0.015)
    for epoch in range(1, 41):  # 40 frames, 0.1 s apart, while the run plays: 4 s
        clock["now"] += 0.1
        probe(_Playing(epoch), None)
    assert len(calls) == 3  # the first two frames (the first is not amortised), then one
    clock["now"] += 0.1
    assert probe(_Playing(41, playing=False), None) == 41  # paused, or a Step: fresh


def test_a_probe_a_little_dearer_than_its_share_of_a_frame_still_runs_on_most_frames(clock):
    """The budget is a balance carried from frame to frame: the gradient probe at 100,000 points
    (2.7 ms at 5%, snapshots 50 ms apart) ran on every other snapshot when each computation
    waited cost / budget from scratch; its share of the time stays within the budget."""
    calls = []

    def probe(model, pts):
        clock["now"] += 0.0027
        calls.append(model.epoch)
        return model.epoch
    throttled = inspect.Throttled(probe, budget=0.05)
    start = clock["now"]
    frames = 100
    for epoch in range(1, frames + 1):  # 5 s of a playing run, a snapshot every 50 ms
        clock["now"] += 0.05 - (0.0027 if calls and calls[-1] == epoch - 1 else 0)
        throttled(_Playing(epoch), None)
    assert len(calls) >= 0.85 * frames  # new numbers on most snapshots (was 50 of 100)
    spent = 0.0027 * (len(calls) - 1)  # the first computation is not counted (it compiles)
    assert spent <= 0.05 * (clock["now"] - start) + 2 * 0.0027  # within the budget


def test_a_cheap_probes_now_and_then_slow_call_leaves_no_frame_on_old_numbers(clock):
    """The gradient probe at 100,000 points costs ~1.5 ms a call, ~5% of a 31 ms frame against
    its 12% budget, but on a busy machine one call in a few takes 10-20 ms (preempted, or
    waiting for the GIL while the window paints). With the balance kept to two computations'
    worth (3 ms) each such call left the next two frames on the old numbers: the Gradients
    tab drew a new picture for 64-96% of the snapshots (bench/gui.py --points 100000). The
    balance keeps what the budget earned in the last ``bank_s``, and the share of the
    time stays within the budget (views.GRADIENT_BANK_S: the gradient probe's)."""
    calls, spent = [], []

    def probe(model, pts):
        cost = 0.015 if len(calls) % 20 == 19 else 0.0015
        clock["now"] += cost
        calls.append(model.epoch)
        spent.append(cost)
        return model.epoch
    throttled = inspect.Throttled(probe, budget=0.12, bank_s=0.25)
    start, stale = clock["now"], 0
    for epoch in range(1, 401):  # 400 frames of a playing run, 31 ms apart
        clock["now"] += 0.031
        stale += throttled(_Playing(epoch), None) != epoch
    assert stale <= 0.02 * 400, stale  # was 19: one after each slow call
    assert sum(spent[1:]) <= 0.12 * (clock["now"] - start)
    # (the others keep their balance to two calls: their budgets were set with it)
    assert inspect.Throttled(probe, budget=0.12).bank_s == 0


def test_gradient_probe_takes_its_numbers_off_the_device_in_one_transfer(monkeypatch):
    """Its norms, weights and activations come as one vector (the weights, gradients and
    activations fetched as twenty arrays were ~60% of its time), padded points or not, and
    they are the numbers the separate arrays give."""
    t = trainer_for()
    t.run(20)
    params, g, acts = inspect._stats(t)  # the separate arrays, as the probe fetched them before
    from nnviz.core.training import Trainer
    padded = Trainer(t.spec, t.config, t.data, seed=0, padded=True)
    padded.set_params([(np.array(w), np.array(b)) for w, b in t.params])
    monkeypatch.setattr(inspect, "_stats", lambda *a, **k: pytest.fail("fetched separately"))
    for model in (t, padded):
        flow = inspect.GradientProbe()(model, None)
        np.testing.assert_allclose(flow.grad_norms[-1], [np.linalg.norm(gw) for gw, _ in g],
                                   rtol=1e-5)
        ws = [np.asarray(w) for w, _ in params]
        wr, ar = inspect._common_range(ws), inspect._common_range(acts)
        for w, a, hw, ha in zip(ws, acts, flow.weight_hists, flow.activation_hists):
            np.testing.assert_array_equal(
                hw.counts, inspect.histogram(w, symmetric=True, value_range=wr).counts)
            np.testing.assert_array_equal(ha.counts, inspect.histogram(a, value_range=ar).counts)


@pytest.mark.parametrize("padded", [False, True])
def test_a_playing_big_runs_gradient_row_is_its_last_epochs_and_costs_no_gradient(padded,
                                                                                 monkeypatch):
    """On STEP_ROWS_FROM training points or more (plain gd, full batch) a playing run's probe
    draws the gradient its last epoch took on every training point -- at that epoch, the one
    before the model's -- instead of taking it again; paused, it takes this epoch's own. The
    numbers are those of a run trained to that epoch: the same ||dL/dW|| and lr ||g|| / ||W||,
    and the same histograms."""
    from nnviz.core.training import STEP_ROWS_FROM
    data = make_dataset(DataSpec("moons", samples=int(STEP_ROWS_FROM * 1.3)))
    assert len(data.train_index) >= STEP_ROWS_FROM
    spec = network_for(data, "mse", (4, 10, 4), ("sigmoid",) * 3, "sigmoid")
    live = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0, padded=padded)
    before = Trainer(spec, TrainConfig("mse", "gd", 0.5), data, seed=0, padded=padded)
    live.run(30)
    before.run(29)
    norms, ratios = inspect.gradient_row(before)  # the probe's own gradient at epoch 29

    def model(playing):
        return ModelAt(live, live.params, live.epoch, 0.5, (1, "main"), None, playing=playing)
    paused = inspect.GradientProbe()(model(False))
    for name in ("_flow_fn", "_padded_flow_fn"):
        monkeypatch.setattr(inspect, name, lambda *a, **k: pytest.fail("a gradient again"))
    playing = inspect.GradientProbe()(model(True))
    assert list(playing.epochs) == [29] and list(paused.epochs) == [30]
    np.testing.assert_allclose(playing.grad_norms[-1], norms, rtol=1e-5)
    np.testing.assert_allclose(playing.update_ratios[-1], ratios, rtol=1e-5)
    assert not np.allclose(paused.grad_norms[-1], norms, rtol=1e-5)  # epoch 30's is another
    for a, b in zip(playing.weight_hists + playing.activation_hists,
                    paused.weight_hists + paused.activation_hists):
        np.testing.assert_array_equal(a.counts, b.counts)  # this epoch's weights and units
    # A run whose last epoch is not known -- weights set by hand, or Adam, whose ratio is
    # measured between kept states -- has the probe take its own.
    monkeypatch.undo()
    live.set_params(live.params)
    assert live.step_row() is None
    adam = Trainer(spec, TrainConfig("mse", "adam", 0.01), data, seed=0, padded=padded)
    adam.run(3)
    assert adam.step_row() is None
    assert list(inspect.GradientProbe()(ModelAt(adam, adam.params, 3, 0.01, (2, "main"), None,
                                                playing=True)).epochs) == [3]


def test_a_small_runs_chunks_keep_no_gradient_row():
    """Below STEP_ROWS_FROM points the probe's own gradient is cheap: the epochs stay as
    they were (no reductions in the loop) and a playing probe takes this epoch's gradient."""
    t = trainer_for()
    t.run(5)
    assert t.step_row() is None
    flow = inspect.GradientProbe()(ModelAt(t, t.params, 5, 1.0, (1, "main"), None,
                                           playing=True))
    assert list(flow.epochs) == [5]


def test_a_probe_with_noisy_costs_takes_its_budget_not_twice_it(clock):
    """On a busy machine a probe's cost varies (here 1 and 4 ms in turns): the balance pays
    what each computation cost, so the probe's share of the time stays at its budget (paying
    the cheaper of the last two costs, it took ~1.6x the budget)."""
    spent = []
    costs = iter([0.001, 0.004] * 100_000)

    def probe(model, pts):
        c = next(costs)
        clock["now"] += c
        spent.append(c)
        return model.epoch
    throttled = inspect.Throttled(probe, budget=0.05)
    start = clock["now"]
    for epoch in range(1, 4001):  # 4,000 frames of a playing run, 25 ms apart
        clock["now"] += 0.025
        throttled(_Playing(epoch), None)
    share = sum(spent) / (clock["now"] - start)
    assert 0.04 < share < 0.06, share


def test_play_after_a_pause_hands_out_a_slow_probes_paused_numbers_first(clock):
    """Review r24 F5: Play from a pause on the Regions tab of a 2-512x8-1 relu network showed its
    first new epoch 1.5 s after the click: the balance banked while paused paid for new regions
    in the play's first frame, and the frame waited for them. A probe that costs PLAY_KEEPS_S or
    more hands out the numbers it made while paused there (the paused epoch's, the run's own
    until then) and earns the next from Play on; a cheap one is fresh at once, as before."""
    for cost, kept in ((1.4, True), (0.001, False)):
        calls = []

        def probe(model, pts, cost=cost):
            clock["now"] += cost
            calls.append(model.epoch)
            return model.epoch
        throttled = inspect.Throttled(probe, budget=0.05)
        for _ in range(2):  # paused at epoch 0: computed (twice: its cost is known)
            clock["now"] += 1.0
            assert throttled(_Playing(0, playing=False), None) == 0
        clock["now"] += 120.0  # a pause of two minutes; then Play
        first = throttled(_Playing(1), None)
        assert (first == 0) is kept and calls == [0, 0] + ([] if kept else [1])
        start, fresh_at = clock["now"], None
        for epoch in range(2, 1200):  # 48 s of a playing run, a frame every 40 ms
            clock["now"] += 0.04
            if throttled(_Playing(epoch), None) == epoch and fresh_at is None:
                fresh_at = clock["now"] - start
        # The next numbers come at the budget: 1.4 s at 5% is earned in ~28 s.
        assert fresh_at is not None and (fresh_at > 20.0 if kept else fresh_at < 0.1), fresh_at
