"""The loss plot's dashed test curve has a point wherever the train curve shows something to
compare it with: from epoch 1 (r16 #7: it began at 2, the start-of-run test loss in the readout
not drawn) and at every epoch of a short run trained at speed (r15 #7: the diverging exercise's
train loss rose at 5, 6, 7, 8 while its test curve was a straight ramp from 4 to 8)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EXERCISE = Path(__file__).resolve().parents[2] / "resources" / "exercises" / \
    "04-learning-rate-diverges.toml"


def _drawn(curve) -> tuple[list[int], np.ndarray]:
    x, y = curve.getData()
    return ([] if x is None else [int(e) for e in x]), (np.zeros(0) if y is None else y)


def test_a_short_run_played_to_its_divergence_has_a_test_point_at_every_epoch(
        main_window, qtbot, wait_run):
    w = main_window
    w.open_exercise(str(EXERCISE))
    wait_run(w)
    w.play()  # at speed (a Step measured every epoch already; Play only at frames)
    qtbot.waitUntil(w.banner.isVisible, timeout=60_000)
    qtbot.waitUntil(lambda: not w.playing, timeout=60_000)
    plot = w.loss_plot
    end = int(w.last_snapshot.loss_epochs[-1])
    qtbot.waitUntil(lambda: _drawn(plot.train)[0][-1:] == [end], timeout=10_000)
    train = _drawn(plot.train)[0]
    assert len(train) >= 5 and train == list(range(1, end + 1))
    epochs, values = _drawn(plot.test)
    assert epochs == train
    # Measured, not joined: each epoch's test loss a few times the last one's, as the train
    # loss (a straight line between 4 and 8 would give equal steps).
    assert np.all(values[1:] > 2 * values[:-1]), values


def test_the_test_curve_starts_at_epoch_1_with_the_start_of_run_test_loss(
        main_window, qtbot, wait_run):
    w = main_window
    start = wait_run(w)  # epoch 0: the readout's test loss is the initial weights'
    assert start.epoch == 0 and np.isfinite(start.metrics.test_loss)
    w.step(100)
    wait_run(w, 100, timeout=60_000)
    plot = w.loss_plot
    qtbot.waitUntil(lambda: len(_drawn(plot.test)[0]) > 3 and _drawn(plot.train)[0][-1] == 100,
                    timeout=10_000)
    test_epochs, test_values = _drawn(plot.test)
    assert _drawn(plot.train)[0][0] == 1
    assert test_epochs[0] == 1, test_epochs[:5]
    assert test_values[0] == pytest.approx(start.metrics.test_loss, rel=1e-5)


def test_after_one_step_both_curves_end_at_the_same_epoch_with_the_readouts_losses(
        main_window, qtbot, wait_run, tmp_path):
    """After one Step the test curve had points at 1 and 2 (the test loss after epoch 1, at 2)
    and the train curve at 1 alone: "why is test ahead of train?", and the readout's "Train loss
    after epoch 1" was on neither curve (review r22 F5). The train loss after the last epoch is
    drawn at E + 1 too, where the notebook's numbering puts it (the loss at epoch 2's start);
    the exported record does not gain it (no epoch 2 has run)."""
    w = main_window
    start = wait_run(w)
    w.step(1)
    s = wait_run(w, 1, timeout=60_000)
    plot = w.loss_plot
    qtbot.waitUntil(lambda: _drawn(plot.test)[0] == [1, 2], timeout=10_000)
    epochs, values = _drawn(plot.train)
    assert epochs == [1, 2]
    assert values[0] == pytest.approx(start.metrics.train_loss, rel=1e-5)  # at the start
    assert values[1] == pytest.approx(s.metrics.train_loss, rel=1e-5)  # the readout's
    assert _drawn(plot.test)[1][1] == pytest.approx(s.metrics.test_loss, rel=1e-5)
    # Two points each: both drawn as dots, the train's second one too.
    assert plot.train.opts["symbol"] == plot.test.opts["symbol"] == "o"
    # The loss export is the record: epoch 2's train loss is not in it.
    actions = w.session_actions
    path = tmp_path / "loss.csv"
    with qtbot.waitSignal(actions.exported, timeout=10_000):
        actions.export("history", str(path))
    rows = path.read_text().splitlines()
    assert rows[0] == "epoch,loss,test_loss_every_few_epochs,weights_after_epochs" and rows[1].startswith("1,") and \
        rows[2].startswith("2,,"), rows
