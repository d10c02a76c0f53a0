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
