"""The loss landscape, its directions and the path on it; sharpness against the full Hessian."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnviz.core import landscape as ls
from nnviz.core import losses, runlog, sharpness
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.training import TrainConfig, Trainer, network_for


def trainer_for(name="moons", hidden=(4, 10, 4), act="sigmoid", loss="mse", lr=1.0, l2=0.0,
                out="sigmoid", **data_kw):
    data = make_dataset(DataSpec(name, **data_kw))
    spec = network_for(data, loss, hidden, (act,) * len(hidden), out)
    return Trainer(spec, TrainConfig(loss, "gd", lr, l2=l2), data, seed=0)


@pytest.fixture(scope="module")
def recorded():
    """The notebook's network after 300 epochs, with its run log."""
    t = trainer_for()
    log = runlog.RunLog()
    runlog.advance(t, log, 300)
    return t, log


def path_of(t, log):
    t.log = log  # as the window's models carry their branch's log
    return ls.recorded_path(t)[:2]


@pytest.mark.parametrize("kind", list(ls.DIRECTIONS))
def test_the_landscape_at_the_centre_is_the_current_loss(recorded, kind):
    t, log = recorded
    epochs, path = path_of(t, log)
    plane = ls.make_plane(kind, t.spec, ls.flatten(t.params), ls.flatten(t.initial_params), path)
    assert plane.kind == kind and not plane.note
    land = ls.landscape(t, plane)
    assert land.values.shape == (ls.GRID_RES, ls.GRID_RES)
    c = ls.GRID_RES // 2
    assert land.coords[c] == 0.0
    assert land.values[c, c] == pytest.approx(t.evaluate().train_loss, rel=1e-5)
    # The landscape is not flat: the plane reaches other losses.
    assert land.values.max() > 1.2 * land.values[c, c]


def test_with_a_penalty_the_landscape_is_the_loss_the_run_optimises():
    t = trainer_for(l2=0.01)
    t.run(20)
    plane = ls.make_plane("random", t.spec, ls.flatten(t.params), None, None)
    land = ls.landscape(t, plane)
    c = ls.GRID_RES // 2
    penalty = 0.01 * sum(float(np.sum(np.square(w))) for w, _ in t.params)
    assert land.values[c, c] == pytest.approx(t.evaluate().train_loss + penalty, rel=1e-5)


def test_a_point_of_the_plane_is_those_weights(recorded):
    t, _ = recorded
    plane = ls.make_plane("random", t.spec, ls.flatten(t.params), None, None)
    land = ls.landscape(t, plane, res=5)  # a and b at -1, -0.5, 0, 0.5, 1 (extent 1)
    assert plane.extent == 1.0 and land.coords[3] == 0.5 and land.coords[1] == -0.5
    params = plane.params(t.spec, 0.5, -0.5)  # the grid's row b = -0.5, column a = 0.5
    assert t.evaluate(params).train_loss == pytest.approx(land.values[1, 3], rel=1e-5)


def test_filter_normalisation_gives_each_unit_the_norm_of_its_weights(recorded):
    t, _ = recorded
    d = ls.filter_normalise(t.spec, np.random.default_rng(3).standard_normal(t.spec.n_params),
                            ls.flatten(t.params))
    for (dw, db), (w, b) in zip(ls.unflatten(t.spec, d), t.params):
        w, b = np.asarray(w, np.float64), np.asarray(b, np.float64)
        for j in range(w.shape[1]):  # unit j: its incoming weights (column j) and its bias
            assert np.hypot(np.linalg.norm(dw[:, j]), db[j]) == pytest.approx(
                np.hypot(np.linalg.norm(w[:, j]), b[j]), rel=1e-9)
    # Each unit is scaled on its own: the direction is not just the weights' norm overall.
    assert not np.allclose(d / np.linalg.norm(d), ls.flatten(t.params) / np.linalg.norm(
        ls.flatten(t.params)))


def test_the_projected_path_starts_at_the_initial_weights(recorded):
    t, log = recorded
    epochs, path = path_of(t, log)
    initial = ls.flatten(t.initial_params)
    assert epochs[0] == 0 and np.array_equal(path[0], initial.astype(np.float32))
    plane = ls.make_plane("initial", t.spec, ls.flatten(t.params), initial, path)
    on = ls.project_path(t, plane, epochs, path)
    assert on.ab[0] == pytest.approx([-1.0, 0.0], abs=1e-6) and on.off[0] < 1e-6
    start = plane.params(t.spec, *on.ab[0])
    for (w, b), (w0, b0) in zip(start, t.initial_params):
        np.testing.assert_allclose(w, w0, atol=1e-5)
        np.testing.assert_allclose(b, b0, atol=1e-5)
    # On the plane, the real loss and the projection's agree; the end is the model shown.
    assert on.loss_projected[0] == pytest.approx(on.loss[0], rel=1e-5)
    assert on.loss[0] == pytest.approx(t.evaluate(t.initial_params).train_loss, rel=1e-5)
    assert on.ab[-1] == pytest.approx([0.0, 0.0], abs=1e-6)


def test_off_the_plane_the_projection_has_a_loss_of_its_own(recorded):
    t, log = recorded
    epochs, path = path_of(t, log)
    plane = ls.make_plane("random", t.spec, ls.flatten(t.params), None, path)
    on = ls.project_path(t, plane, epochs, path)
    assert on.off[0] > 1.0  # the initial weights are far off a random plane
    assert abs(on.loss_projected[0] - on.loss[0]) > 0.01


def test_principal_components_explain_the_path(recorded):
    t, log = recorded
    epochs, path = path_of(t, log)
    plane = ls.make_plane("pca", t.spec, ls.flatten(t.params), None, path)
    e1, e2 = plane.explained
    assert 0 < e2 <= e1 <= 1 and e1 + e2 <= 1 + 1e-9
    assert "%" in plane.labels[0]
    on = ls.project_path(t, plane, epochs, path)
    assert np.all(np.abs(on.ab) <= plane.extent)  # the grid holds the path


def test_a_plane_the_run_cannot_give_yet_falls_back_and_says_why():
    t = trainer_for()
    flat = ls.flatten(t.params)
    for kind in ("pca", "initial"):
        plane = ls.make_plane(kind, t.spec, flat, flat, flat[None])
        assert plane.kind == "random" and plane.note
    with pytest.raises(ls.LandscapeError, match="unknown directions"):
        ls.make_plane("sideways", t.spec, flat, None, None)


def test_the_line_from_initial_to_current_weights(recorded):
    t, _ = recorded
    line = ls.line_losses(t, ls.flatten(t.initial_params), ls.flatten(t.params))
    assert line.alphas[0] == 0 and line.alphas[-1] == pytest.approx(1.5)
    one = int(np.argmin(np.abs(line.alphas - 1.0)))
    m0, m1 = t.evaluate(t.initial_params), t.evaluate()
    assert line.train[0] == pytest.approx(m0.train_loss, rel=1e-5)
    assert line.train[one] == pytest.approx(m1.train_loss, rel=1e-5)
    assert line.test[one] == pytest.approx(m1.test_loss, rel=1e-5)


def test_a_wide_network_gets_a_coarser_grid():
    data = make_dataset(DataSpec("moons"))
    small = network_for(data, "mse", (4, 10, 4), ("sigmoid",) * 3, "sigmoid")
    wide = network_for(data, "mse", (512,) * 4, ("relu",) * 4, "sigmoid")
    assert ls.grid_resolution(small, 200) == ls.GRID_RES
    res = ls.grid_resolution(wide, 2048)
    assert ls.MIN_GRID_RES <= res < ls.GRID_RES and res % 2 == 1


# --- sharpness ----------------------------------------------------------------------------------


def full_hessian_top(t, params):
    flat = jnp.asarray(ls.flatten(params), jnp.float32)
    cfg = t.config

    def f(w):
        p = ls.unflatten(t.spec, w)
        return (losses.data_loss(t.spec, cfg.loss, p, t.X_train, t.T_train)
                + losses.penalty(p, cfg.l1, cfg.l2))
    # jitted: one compile, where op-by-op it compiled ~150 small programs (~5 s on a cold cache)
    H = np.asarray(jax.jit(jax.hessian(f))(flat), np.float64)
    return float(np.linalg.eigvalsh((H + H.T) / 2)[-1])


@pytest.mark.parametrize("act,epochs,l2", [("tanh", 0, 0.0), ("tanh", 200, 0.0),
                                           ("sigmoid", 500, 0.0), ("relu", 100, 0.01)])
def test_sharpness_is_the_top_eigenvalue_of_the_full_hessian(act, epochs, l2):
    t = trainer_for(hidden=(5, 3), act=act, lr=0.5, l2=l2, samples=60)
    t.run(epochs)
    want = full_hessian_top(t, t.params)
    got = sharpness.top_eigenvalue(t)
    assert got.value == pytest.approx(want, rel=0.01)
    # Started from the last estimate's vector, it agrees in fewer iterations.
    again = sharpness.top_eigenvalue(t, start=got.vector)
    assert again.value == pytest.approx(want, rel=0.01) and again.iterations <= got.iterations


def test_sharpness_when_the_largest_eigenvalue_in_magnitude_is_negative():
    t = trainer_for(hidden=(3,), act="tanh", samples=40)
    # A saddle of -x^2 + 0.1 y^2 shape made by hand would do; this net at these weights has a
    # negative dominant eigenvalue when the weights are large: check the algorithm's branch.
    rng = np.random.default_rng(1)
    hessian = jax.jit(jax.hessian(lambda w: losses.data_loss(  # one compile, not one per op
        t.spec, "mse", ls.unflatten(t.spec, w), t.X_train, t.T_train)))
    for _ in range(20):
        params = tuple((np.asarray(w) * 3 + rng.standard_normal(np.shape(w)) * 2,
                        np.asarray(b) + rng.standard_normal(np.shape(b)))
                       for w, b in t.params)
        flat = jnp.asarray(ls.flatten(params), jnp.float32)
        H = np.asarray(hessian(flat), np.float64)
        ev = np.linalg.eigvalsh((H + H.T) / 2)
        if -ev[0] > ev[-1] > 0:
            break
    else:
        raise AssertionError("no weights with a negative dominant eigenvalue: change the seed")
    got = sharpness.top_eigenvalue(t, params)
    assert got.value == pytest.approx(ev[-1], rel=0.01)


def test_the_stability_limit_is_2_over_lr_for_gradient_descent():
    assert sharpness.stability_limit("gd", 0.5) == 4.0
    assert sharpness.stability_limit("momentum", 1.0) == pytest.approx(3.8)
    assert sharpness.stability_limit("adam", 0.01) is None


def test_the_sharpness_of_many_weights_at_once_is_each_ones(recorded):
    t, log = recorded
    _, path = path_of(t, log)
    rows = path[[0, 5, 20, -1]]
    many = sharpness.top_eigenvalues(t, rows)
    for flat, value in zip(rows, many):
        one = sharpness.top_eigenvalue(t, ls.unflatten(t.spec, flat.astype(np.float32)))
        assert value == pytest.approx(one.value, rel=1e-3)


def test_after_a_divergence_the_path_is_the_run_up_to_it_on_a_plane_that_holds_it():
    """A 512-wide network's path has three points: its own checkpoint took one of them, so
    after a divergence the path was the start and the model put back, one point twice (the
    Landscape tab drew a flat line at ~200 where the run's loss reached 1e8, review r19), and
    the plane was random, the path a dot. Now: the start, the last weights before the
    divergence, the model; and the plane the path's one direction."""
    t = trainer_for(out="linear", lr=10.0)
    log = runlog.RunLog()
    assert runlog.advance(t, log, 50).diverged
    assert log.weights_of(t.epoch) == 0 < t.epoch
    t.log = log
    epochs, flats, _ = ls.recorded_path(t, max_points=3)
    assert list(epochs) == [0, t.epoch - 1, t.epoch]
    np.testing.assert_array_equal(flats[0], flats[-1])  # the start's weights, put back
    losses = ls.losses_of(t, flats)
    assert losses[1] > 1e3 * losses[0]  # the path goes where the loss blew up
    plane = ls.make_plane("pca", t.spec, flats[-1], flats[0], flats)
    assert plane.kind == "pca" and not plane.note and plane.explained == (1.0, 0.0)
    on = ls.project_path(t, plane, epochs, flats)
    assert on.off[1] < 1e-6 * np.linalg.norm(flats[1] - flats[0])  # on the plane
    assert on.loss_projected[1] == pytest.approx(on.loss[1], rel=1e-3)


def test_a_landscape_on_a_subset_of_the_points_has_the_runs_loss_train_and_test():
    # Review r23 F5: on 100,000 moons the landscape used the first 64 training points: its loss
    # at the centre 0.4531 against the readout's 0.4995, and a train/test gap of 0.09 on the
    # 1-D plot that the real losses (0.4995, 0.5020) did not have. The same on 4,000 moons
    # whose first points hold fewer of class 1 (46%) than the data (50%), at a saturated
    # output (~0 everywhere: each point's loss is its class's): a random sample in which each
    # class keeps its share gives the run's losses.
    t = trainer_for(samples=4000)
    params = [(np.array(w), np.array(b)) for w, b in t.params]
    w, b = params[-1]
    params[-1] = (w, b - 30.0)
    flat = ls.flatten(params)
    T = np.asarray(t.T_train)
    assert abs(T[:256].mean() - T.mean()) > 0.03  # the first points are no fair sample
    full = float(ls.losses_of(t, flat[None])[0])
    for n in (64, 256):
        assert float(ls.losses_of(t, flat[None], n)[0]) == pytest.approx(full, rel=0.01)
        # the 1-D plot's train and test ends, each on a sample of n of its points
        line = ls.line_losses(t, flat, flat, points=3, max_points=n)
        X_test, T_test = ls._test_arrays(t)
        test = float(ls.losses_at(t, flat, 0 * flat, 0 * flat, np.zeros(1), np.zeros(1),
                                  X_test, T_test)[0])
        assert line.train[-1] == pytest.approx(full, rel=0.01)
        assert line.test[-1] == pytest.approx(test, rel=0.01)
        i = ls.sample_index(T, n)
        assert len(i) == n == len(np.unique(i)) and np.all(np.diff(i) > 0)
        assert np.array_equal(i, ls.sample_index(T, n))  # the same points every time
    assert np.array_equal(ls.sample_index(T, len(T)), np.arange(len(T)))  # all: in order
