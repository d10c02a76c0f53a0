"""The Landscape view's probe: what the worker hands the view."""
import copy
import math

import numpy as np
import pytest

from nnviz.core import landscape as ls
from nnviz.core import runlog
from nnviz.core.landscape_probe import LandscapeProbe
from nnviz.core.problem import notebook_problem


@pytest.fixture(scope="module")
def model():
    t = notebook_problem().make_trainer()
    t.log = runlog.RunLog()
    runlog.advance(t, t.log, 200)
    return t


def test_the_probe_gives_the_plane_the_path_the_line_and_the_sharpness(model):
    probe = LandscapeProbe()
    probe.compile(model)
    r = probe(model)
    c = len(r.land.coords) // 2
    assert r.land.values[c, c] == pytest.approx(model.evaluate().train_loss, rel=1e-5)
    assert r.path.epochs[0] == 0 and r.path.epochs[-1] == model.epoch
    assert r.land.plane.kind == "pca" and r.land.plane.explained[0] > 0.5
    assert r.line is not None and len(r.line.alphas) == ls.LINE_POINTS
    # Not playing: the whole history of sharpness at once, one per point of the path.
    assert r.sharpness_missing == 0 and np.array_equal(r.sharp_epochs, r.path.epochs)
    assert np.all(r.sharp_values > 0)
    assert np.all(r.limit_values == 2.0)  # 2 / lr, the notebook's lr 1.0


def test_a_pinned_plane_stays_while_the_weights_move(model):
    probe = LandscapeProbe(kind="random")
    probe.compile(model)
    first = probe(model)
    probe.pinned = (first.run_key, first.land.plane)
    moved = first.land.plane.params(model.spec, 0.3, -0.2)
    old = model.params
    model.set_params(moved)
    try:
        r = probe(model)
    finally:
        model.set_params(old)
    assert r.pinned and r.land is not None and r.land.plane is first.land.plane
    assert r.path.ab[-1] == pytest.approx([0.3, -0.2], abs=1e-5)
    assert r.path.off[-1] < 1e-4
    assert r.path.loss[-1] == pytest.approx(r.path.loss_projected[-1], rel=1e-5)
    # Another run's pin is ignored.
    probe.pinned = ((-1,), first.land.plane)
    assert not probe(model).pinned


def test_before_training_there_is_no_line_and_the_plane_says_why():
    t = notebook_problem().make_trainer()
    probe = LandscapeProbe()
    probe.compile(t)
    r = probe(t)
    assert r.line is None and r.land.plane.kind == "random" and r.land.plane.note
    assert len(r.sharp_values) == 1 and math.isfinite(r.sharp_values[0])


def test_while_a_run_plays_the_probe_hands_out_its_last_result_until_it_is_due():
    t = notebook_problem().make_trainer()
    t.log = runlog.RunLog()
    runlog.advance(t, t.log, 20)
    probe = LandscapeProbe(budget=1e-9)  # its cost amortised only in ages
    probe.compile(t)
    probe(t)  # the first computation's cost does not count (it may have compiled)
    first = probe(t)
    runlog.advance(t, t.log, 1)  # the next frame of a playing run: epoch 21
    placed = probe(t)
    # The landscape is not due: the same one, with the model placed on its plane.
    assert placed.land is first.land and placed.path is first.path and placed.epoch == 20
    (a, b), = first.land.plane.coordinates(ls.flatten(t.params))[0]
    assert placed.now == (21, pytest.approx(a, rel=1e-6, abs=1e-9),
                          pytest.approx(b, rel=1e-6, abs=1e-9))
    runlog.advance(t, t.log, 1)  # placing again is not due either (its cost at the budget)
    assert probe(t) is placed
    # A frame at the same epoch (a pause, a weight set by hand) is computed afresh, and so is
    # one with other settings (another copy of the probe, as the view sends it).
    again = probe(t)
    assert again is not first and again.epoch == 22 and again.now is None
    other = copy.copy(probe)
    other.kind = "random"
    runlog.advance(t, t.log, 1)
    assert other(t).land.plane.kind == "random"


def test_a_new_network_compiles_in_the_background_and_the_worker_goes_on():
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem
    # A network no other test uses: nothing of it is compiled yet.
    t = make_problem(make_dataset(DataSpec("moons")), Choices(hidden=(3, 7))).make_trainer()
    probe = LandscapeProbe()
    assert probe(t) is None  # at once, not after the compile
    probe.compile(t)
    assert probe(t).epoch == 0


def test_the_map_comes_before_the_sharpness_has_compiled(model, monkeypatch):
    """On a cold cache the sharpness's compiles took two thirds of the wait before the first
    picture: the map is handed out as soon as its own functions are compiled, marked as
    waiting for the sharpness, and the sharpness follows once compiled."""
    import threading
    import time

    from nnviz.core import landscape_probe as lp
    gate = threading.Event()
    warm = LandscapeProbe._warm_up_sharpness

    def held(self, m):
        gate.wait(60)
        warm(self, m)
    monkeypatch.setattr(LandscapeProbe, "_warm_up_sharpness", held)
    probe = LandscapeProbe(res=13)  # a grid no other test compiles: its own compile key
    deadline = time.monotonic() + 120
    r = None
    while r is None and time.monotonic() < deadline:
        r = probe(model)
        time.sleep(0.05)
    assert r is not None, "the map never came"
    assert r.sharpness_compiling and len(r.sharp_values) == 0
    assert r.sharpness_missing == len(r.path.epochs)
    assert r.land.values.shape == (13, 13) and r.path.epochs[-1] == model.epoch
    # Said while it lasts (bench/gui.py measures a view's cost once it is over: the compile
    # thread slowed the training 2-3 times, seconds after the first picture).
    assert lp.compiling()
    gate.set()
    probe.compile(model)  # waits for the sharpness's part
    assert not lp.compiling()
    r = probe(model)
    assert not r.sharpness_compiling and len(r.sharp_values) > 0
    while r.sharpness_missing and time.monotonic() < deadline:  # as the view asks: the rest
        r = probe(model)
    assert r.sharpness_missing == 0
    assert np.array_equal(r.sharp_epochs, r.path.epochs) and np.all(r.sharp_values > 0)


def test_a_playing_runs_landscapes_take_their_budget_of_the_time_with_noisy_costs(monkeypatch):
    """The probe paces itself by what a landscape costs: with costs that vary (a busy machine:
    20 and 70 ms in turns) the landscapes take ~budget of the worker's time. Paced by the
    cheaper of the last two costs they took twice that (9% for 5% measured in the window)."""
    import contextlib
    import types

    from nnviz.core import landscape_probe as lp
    clock = types.SimpleNamespace(t=0.0)
    costs = iter([0.02, 0.07] * 10_000)
    spent = []

    def compute(self, model, idle, sharpness=True):
        c = next(costs)
        clock.t += c
        spent.append(c)
        return types.SimpleNamespace(epoch=model.epoch)
    monkeypatch.setattr(lp.time, "perf_counter", lambda: clock.t)
    monkeypatch.setattr(lp, "_compiled", lambda *a, **k: True)
    monkeypatch.setattr(lp, "_one_blas_thread", contextlib.nullcontext)
    monkeypatch.setattr(LandscapeProbe, "_compute", compute)
    monkeypatch.setattr(LandscapeProbe, "_placed", lambda self, r, model: r)
    probe = LandscapeProbe(budget=0.05)
    model = types.SimpleNamespace(epoch=0, past=False, run_key=(1,))
    while clock.t < 200.0:  # a run playing: a frame every 30 ms, a new epoch each
        model.epoch += 1
        probe(model)
        clock.t += 0.03
    share = sum(spent) / clock.t
    assert 0.035 < share < 0.065, share


def test_the_compiles_ahead_given_up_as_the_app_quits_stop_after_the_call_under_way(
        model, monkeypatch):
    """Python's exit waits for the compile thread: Quit -> Discard on 2-512x8-1 ended the
    process 7-18 s after the window had gone, the map's and then the sharpness's compiles run
    to the end for nobody (review r24 F9). Given up, the call under way ends (an XLA call
    cannot be interrupted), and nothing more runs: the thread ends. Asked again later (another
    window), the functions are prepared afresh, whole."""
    import threading

    from nnviz.core import landscape_probe as lp
    monkeypatch.setattr(lp, "_warm", {})
    inside, gate = threading.Event(), threading.Event()
    compute, sharp, line = LandscapeProbe._compute, LandscapeProbe._warm_up_sharpness, \
        ls.line_losses
    done: list[str] = []

    def on_compile_thread() -> bool:
        return threading.current_thread().name.startswith("nnviz-landscape-compile")

    def held(self, m, idle, sharpness=True):  # the map's first call, under way
        if on_compile_thread():
            inside.set()
            assert gate.wait(120)
        return compute(self, m, idle, sharpness)

    def lines(*args, **kwargs):
        if on_compile_thread():
            done.append("line")
        return line(*args, **kwargs)
    monkeypatch.setattr(LandscapeProbe, "_compute", held)
    monkeypatch.setattr(ls, "line_losses", lines)
    monkeypatch.setattr(LandscapeProbe, "_warm_up_sharpness",
                        lambda self, m: done.append("sharpness") or sharp(self, m))
    probe = LandscapeProbe(res=11)  # a grid of its own: its own compile key
    assert not lp._compiled(model, probe)
    assert inside.wait(120)
    threads = [t for t in threading.enumerate()
               if t.name.startswith("nnviz-landscape-compile")]
    assert threads and lp.compiling()
    lp.give_up()
    assert not lp.compiling()  # nothing is said to be on its way
    gate.set()
    for t in threads:
        t.join(120)
        assert not t.is_alive()
    assert done == []  # neither the rest of the map's calls nor the sharpness's
    probe.compile(model)  # asked again: prepared anew, both parts
    assert "line" in done and done[-1:] == ["sharpness"] and not lp.compiling()
    assert probe(model) is not None


def test_play_after_a_pause_keeps_the_paused_landscape_until_the_next_is_due(monkeypatch):
    """Review r24 F5: on 2-512x8-1, Play after a pause showed its first new epoch seconds late.
    Its first frame came long after the paused one's, and the probe took it for a still run's
    (IDLE_S): a new landscape, with the whole sharpness history, in that frame, though the
    paused epoch's was made. The paused landscape is handed out (the model placed on it), and
    the next is made as a playing run's (not idle), once its cost is amortised at the budget
    (the cost of the paused one's map: a still run's sharpness history says nothing of it)."""
    import contextlib
    import types

    from nnviz.core import landscape_probe as lp
    clock = types.SimpleNamespace(t=0.0)
    made = []

    def compute(self, model, idle, sharpness=True):
        made.append((model.epoch, idle, clock.t))
        self._memo["cost"] = 2.0  # the map, path and line (the real _compute's measure)
        clock.t += 2.0 + (30.0 if idle else 1.0)  # and the sharpness: of the history, paused
        return types.SimpleNamespace(epoch=model.epoch)
    monkeypatch.setattr(lp.time, "perf_counter", lambda: clock.t)
    monkeypatch.setattr(lp, "_compiled", lambda *a, **k: True)
    monkeypatch.setattr(lp, "_one_blas_thread", contextlib.nullcontext)
    monkeypatch.setattr(LandscapeProbe, "_compute", compute)
    monkeypatch.setattr(LandscapeProbe, "_placed",
                        lambda self, r, model: types.SimpleNamespace(epoch=r.epoch, now=model.epoch))
    probe = LandscapeProbe(budget=0.05)
    model = types.SimpleNamespace(epoch=2182, past=False, run_key=(1, "main"), playing=False)
    assert probe(model).epoch == 2182  # paused: made, the whole history (idle)
    assert made == [(2182, True, 0.0)]
    clock.t += 60.0  # paused a minute; then Play
    model.playing = True
    start = clock.t
    model.epoch += 1
    r = probe(model)  # Play's first frame: nothing made
    assert len(made) == 1 and r.epoch == 2182 and r.now == 2183
    while clock.t < start + 60.0:  # a frame every 40 ms, a new epoch each
        model.epoch += 1
        r = probe(model)
        if len(made) == 1:
            assert r.epoch == 2182 and r.now == model.epoch  # the paused one, the model on it
        clock.t += 0.04
    assert len(made) >= 2
    epoch, idle, at = made[1]
    assert not idle  # a playing run's: the sharpness of the model shown, not the history
    assert at - start >= 0.9 * 2.0 / 0.05  # not in Play's first frame: at the budget
