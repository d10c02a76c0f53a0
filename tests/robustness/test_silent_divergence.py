"""Issue 17 item 9: one Step whose update makes the weights non-finite is a divergence: reported
as one, the weights put back. The loss of that epoch is finite (it is the loss before the
update), so a check of the losses alone let it through.

It was found on 2-32-32-32-1 ReLU with a sigmoid output at lr 1, whose saturated output made the
sigmoid's gradient NaN (e^-x overflowed); that gradient is 0 now, and that run trains
(``test_the_sigmoid_run_that_blew_up_in_one_step_now_trains``). No drawn N(0, 1) weights of this
network overflow in one step at any rate nnviz takes (at lr 10,000 the largest weight is ~1e8
after it: the loss blows up at the next epoch, where the losses' check sees it), so the step
that overflows starts from weights set by hand: the last hidden layer's biases 1e38 (float32
holds up to 3.4e38) and the output weights 0. The output is then the output bias alone and the
loss a plain 0.52, but the output weights' gradient is each point's error times those 1e38
values, and one update at lr 100 is beyond float32."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import init_params, save_npz
from nnviz.core.training import TrainConfig, Trainer, network_for
from nnviz.core.problem import Problem

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

LR = 100.0


def _finite(params) -> bool:
    return all(np.isfinite(np.asarray(w)).all() and np.isfinite(np.asarray(b)).all()
               for w, b in params)


def _overflowing():
    """The moons, 2-32-32-32-1 ReLU with a linear output, and weights whose first update at
    ``LR`` overflows behind a finite loss (see the module's docstring)."""
    data = make_dataset(DataSpec("moons"))
    spec = network_for(data, "mse", (32, 32, 32), ("relu",) * 3, "linear")
    params = [(np.array(w), np.array(b)) for w, b in init_params(spec, 0)]
    params[2] = (params[2][0], np.full_like(params[2][1], 1e38))
    params[3] = (np.zeros_like(params[3][0]), params[3][1])
    return data, spec, params


@pytest.mark.parametrize("n", [1, 2, 7, 4096 + 3])
def test_a_step_that_makes_the_weights_non_finite_is_a_divergence(n):
    data, spec, first = _overflowing()
    t = Trainer(spec, TrainConfig(learning_rate=LR), data, params=first)
    assert np.isfinite(t.evaluate().train_loss)  # what a check of the losses alone sees
    r = t.run(n)
    assert r.diverged
    assert t.blow_up == "the weights overflowed to infinity (the loss was still finite)" \
        or n > 1  # (a longer chunk also meets the next epoch's loss, which is not finite)
    assert _finite(t.params)
    assert np.isfinite(t.evaluate().train_loss)
    # Back to the best weights of the run: here the first, before the update that blew them up.
    assert t.best_epoch == 0
    for (w, b), (w0, b0) in zip(t.params, first):
        np.testing.assert_array_equal(np.asarray(w), w0)
        np.testing.assert_array_equal(np.asarray(b), b0)


def test_a_step_whose_update_stays_finite_is_not_called_diverged():
    # The same weights a hundred times slower: the update, ~1e38, is still a float32.
    data, spec, first = _overflowing()
    t = Trainer(spec, TrainConfig(learning_rate=LR / 100), data, params=first)
    r = t.run(1)
    assert not r.diverged and t.epoch == 1 and _finite(t.params)


def test_the_sigmoid_run_that_blew_up_in_one_step_now_trains():
    # The issue's own run: 2-32-32-32-1 ReLU, sigmoid output, lr 1, seed 0. Its first step
    # drove output logits below -88.7, where 1 / (1 + e^-x)'s gradient was inf / inf = NaN:
    # NaN weights after one Step, then "diverged". The sigmoid is flat there (gradient 0).
    data = make_dataset(DataSpec("moons"))
    spec = network_for(data, "mse", (32, 32, 32), ("relu",) * 3, "sigmoid")
    t = Trainer(spec, TrainConfig(learning_rate=1.0), data, seed=0)
    r = t.run(1)
    assert not r.diverged and t.epoch == 1 and _finite(t.params)
    r = t.run(19)
    assert not r.diverged and t.epoch == 20 and _finite(t.params)
    assert np.isfinite(r.losses).all() and t.evaluate().train_loss < r.losses[0]


def test_cli_reports_the_divergence_of_a_single_epoch(capsys, tmp_path):
    *_, params = _overflowing()
    save_npz(tmp_path / "w.npz", params)
    code = main(["train", "--hidden", "32,32,32", "--activation", "relu",
                 "--output-activation", "linear", "--lr", str(LR), "--epochs", "1",
                 "--seed", "0", "--init", str(tmp_path / "w.npz")])
    out = capsys.readouterr()
    assert "diverged" in (out.out + out.err)
    assert "weights overflowed" in (out.out + out.err)
    assert "nan" not in out.out.lower()
    assert code in (0, 1)


def test_one_step_in_the_window_shows_the_banner_and_keeps_a_drawable_model(bare_window, qtbot,
                                                                            wait_run):
    w = bare_window
    data, spec, params = _overflowing()
    w.load_problem(Problem(data, spec, TrainConfig(learning_rate=LR), params, 0))
    wait_run(w, 0)
    w.step(1)
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=30_000)
    assert "diverged" in w.banner.text()
    s = w.last_snapshot
    assert s.diverged and _finite(s.params)
    assert np.isfinite(s.metrics.train_loss) and "n/a" not in w.metrics.text()
    assert np.isfinite(s.grid.values).all()
