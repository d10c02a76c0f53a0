"""The loss plot's key (review r23 F11): under the plot it sat on the x axis's title line and read
as part of it ("epoch ━━ train (slow lr 0.05) ┅┅ test (slow lr 0.05) ━━ run 1"), and in the
plot it covered a curve that filled every corner (a big run's loss between 0.25 and 0.5)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nnviz.core.snapshot import Branch

from .test_loss_plot import _legend_covers, _shown_plot
from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


def _title_lines(axis) -> list[str]:
    """The x axis's title as drawn, line by line (its text layout's lines)."""
    doc = axis.label.document()
    lines = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            text = block.text()[line.textStart(): line.textStart() + line.textLength()]
            lines.append(text.replace("\u2028", "").replace("\xa0", " ").strip())
        block = block.next()
    return [t for t in lines if t]


@pytest.mark.parametrize("size", [(340, 150), (600, 170)])
def test_a_key_under_the_plot_is_on_a_line_of_its_own_not_the_axis_title(qtbot, size):
    plot = _shown_plot(qtbot, size=size)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 607)
    loss = (0.02 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    # A renamed branch, live, looked at in the past (the reviewer's "slow lr 0.05" at 606).
    s = dataclasses.replace(base, epoch=606, live_epoch=1000, loss_epochs=epochs,
                            loss_values=loss, test_epochs=epochs + 1, test_values=loss + 0.01,
                            branch="slow lr 0.05",
                            branches=(Branch("run 1", np.arange(1, 1001),
                                             np.full(1000, 0.01, np.float32), 198, colour=0),))
    plot.update_snapshot(s)
    plot.grab()
    axis = plot.getPlotItem().getAxis("bottom")
    if plot.legend.isVisible():
        assert _legend_covers(plot) == 0
        assert _title_lines(axis) == ["epoch"]
        return
    lines = _title_lines(axis)
    assert lines[0] == "epoch", lines  # the axis's title alone on its line
    key = " ".join(lines[1:])
    assert "train" in key and "test" in key and "run 1" in key, lines
    # each line inside the plot's width
    label = axis.label.sceneBoundingRect()
    assert label.left() >= -1 and label.right() <= plot.width() + 1, (label, plot.width())


def test_a_loss_that_fills_every_corner_is_not_covered_by_the_key(qtbot):
    # A big run's loss jumping between 0.25 and 0.5 (review r23 F6): in every corner the key
    # lay over the curve. It goes under the plot instead, and back in once a corner is free.
    plot = _shown_plot(qtbot, size=(600, 220))
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 401)

    def show(train) -> None:
        plot.update_snapshot(dataclasses.replace(
            base, epoch=400, loss_epochs=epochs, loss_values=train, test_epochs=epochs + 1,
            test_values=train + 0.002))

    # every loss from ~0 to 0.5, epoch after epoch: every corner has the curve under it
    jumping = np.random.default_rng(0).uniform(0.01, 0.5, len(epochs)).astype(np.float32)
    show(jumping)
    plot.grab()
    qtbot.waitUntil(lambda: not plot.legend.isVisible() or _legend_covers(plot) == 0,
                    timeout=5000)
    if not plot.legend.isVisible():
        axis = plot.getPlotItem().getAxis("bottom")
        lines = _title_lines(axis)
        assert lines[0] == "epoch" and "train" in " ".join(lines[1:]), lines
    falling = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    show(falling)  # a new run, falling: the key back in the plot, top right
    qtbot.waitUntil(lambda: plot.legend.isVisible() and plot.legend_corner == "top right",
                    timeout=5000)
    assert _legend_covers(plot) == 0


@pytest.mark.parametrize("width", [200, 252])
@pytest.mark.parametrize("rates", [((0, 1.0),), ((0, 1.0), (2449, 5.0))])
def test_a_number_in_the_key_under_the_plot_is_never_split(qtbot, width, rates):
    """r29 M2: presentation mode at 1024x768, a branch made, the Backprop view: the plot is
    ~252 px wide and the key under it read "━·━ run 1: 0.0035" with "7" on the next line. An
    entry wider than a row breaks between its words, each number whole on one line."""
    import re

    from nnviz.gui.presentation import SCALE
    plot = _shown_plot(qtbot, size=(width, 420))
    plot.set_scale(SCALE)
    epochs = np.arange(1, 4144)
    loss = (0.0092 + 0.2 * np.exp(-epochs / 600)).astype(np.float32)
    other = (0.00357 + 0.2 * np.exp(-epochs[:3000] / 100)).astype(np.float32)
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=4143, loss_epochs=epochs, loss_values=loss,
        branch="run 2", rates=rates,
        branches=(Branch("run 1", epochs[:3000], other, 2449, 0, 3000),)))
    axis = plot.getPlotItem().getAxis("bottom")
    qtbot.waitUntil(lambda: not plot.legend.isVisible() and "0.00357" in axis.labelText)
    plot.grab()
    lines = _title_lines(axis)
    numbers = re.findall(r"\d[\d.,]*\d|\d", re.sub(r"<[^>]+>", "", axis.labelText))
    assert "0.00357" in numbers
    for number in numbers:
        assert any(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", line)
                   for line in lines), (number, lines)
