"""The plots' epoch axes write their counts as the app does, with thousands separators (review
r29 L7: "Epoch 4,143" in the header, "8000" on the loss plot's ticks)."""
from __future__ import annotations


def test_the_loss_plots_epochs_have_thousands_separators(main_window):
    axis = main_window.loss_plot.getPlotItem().getAxis("bottom")
    # The ticks pyqtgraph picks for a run of 8,000 epochs on a 400-px axis, as it draws them.
    levels = axis.tickValues(0, 8000, 400)
    texts = {v: t for spacing, values in levels
             for v, t in zip(values, axis.tickStrings(values, 1.0, spacing))}
    assert texts[0] == "0" and texts[2000] == "2,000" and texts[8000] == "8,000", texts
    assert not any(t.isdigit() and len(t) > 3 for t in texts.values()), texts
    # Decimals and small numbers as pyqtgraph writes them
    assert axis.tickStrings([0.5, 1.5], 1.0, 0.5) == ["0.5", "1.5"]
    assert axis.tickStrings([-1000, 250], 1.0, 250) == ["-1,000", "250"]
