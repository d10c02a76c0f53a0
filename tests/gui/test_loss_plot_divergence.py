"""The loss plot after a divergence the run went on from at a lower rate: the exercise "The
learning rate that diverges" reached 2.5e+08 in 8 epochs, and the 1,000 epochs at 0.005 that
fitted the line after it were a flat line on the floor of a 0-4e7 axis (review r1 #10)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EXERCISE = Path(__file__).resolve().parents[2] / "resources" / "exercises" / \
    "04-learning-rate-diverges.toml"


def test_after_a_divergence_the_loss_plot_scales_to_the_run_that_went_on(main_window, qtbot,
                                                                         wait_run):
    w = main_window
    w.open_exercise(str(EXERCISE))
    wait_run(w)
    w.step(50)  # at 0.05 it diverges within a few epochs
    qtbot.waitUntil(w.banner.isVisible, timeout=60_000)
    diverged = w.last_snapshot
    spike = float(np.nanmax(diverged.loss_values))
    assert spike > 1e6
    plot = w.loss_plot
    (_, _), (_, top) = plot.getPlotItem().getViewBox().viewRange()
    assert top >= spike  # the divergence itself: all of it in sight
    w.set_learning_rate(0.005)
    w.step(1000)
    s = wait_run(w, diverged.live_epoch + 1000, timeout=120_000)
    after = s.loss_values[s.loss_epochs > diverged.live_epoch]
    assert float(after.max()) < spike / 1e4  # it trained on, and fitted the line
    (_, _), (bottom, top) = plot.getPlotItem().getViewBox().viewRange()
    # The run that went on fills the plot: its highest loss near the top, not a line on the floor
    assert float(after.max()) <= top <= 2 * float(after.max()), (top, float(after.max()))
    assert bottom <= float(after.min())
    # and the plot says the diverged epochs are above it
    assert plot.spike_note.isVisible()
    assert f"{spike:.3g}" in plot.spike_note.toPlainText()
    # Back in the diverged part (the timeline at its last epoch): the whole of it again.
    w.timeline.go(diverged.live_epoch)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == diverged.live_epoch, timeout=30_000)
    qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().viewRange()[1][1] >= spike,
                    timeout=10_000)
