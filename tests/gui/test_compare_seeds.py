"""The 16 seeds sweep as a reader sees it (review r22 F18): at 1024 x 768 its loss curves have
a plot to be read in, not a strip under a table of 16 rows; and a seed is a name, not an
amount, so the curves are coloured by how each member is doing, not along "seed 0 → 15"."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.gui import colors
from nnviz.gui.compare_plots import axis_colors

from .test_compare_layout import _sweep

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_seeds_loss_plot_keeps_its_share_at_1024(qtbot, main_window):
    view = _sweep(qtbot, main_window, (1024, 768), epochs=5, key="seeds")
    assert view.narrow and view.bottom.isVisible()
    outer = view.outer.height()
    # The plots' row keeps its 40% (it was cut down so that all 16 table rows showed).
    assert view.bottom.height() >= 0.4 * outer - 8, (view.bottom.height(), outer)
    vb = view.curves.getPlotItem().getViewBox()
    assert vb.height() >= 0.25 * outer, (vb.height(), outer)
    # The table scrolls instead, its first rows (the best) in sight.
    assert view.table.verticalScrollBar().maximum() > 0
    assert view.table.rowViewportPosition(0) >= 0


def test_seeds_are_coloured_by_how_they_do_not_by_their_number(qtbot, main_window):
    view = _sweep(qtbot, main_window, (1400, 900), epochs=30, key="seeds")
    s = view.drawn
    key = view.curves.getPlotItem().titleLabel.text
    assert "seed" not in key and "loss" in key and "15" not in key
    last = [math.log10(np.asarray(v, float)[-1]) for _, v in s.loss_curves]
    pens = [c.opts["pen"].color().getRgb()[:3] for c in view.curves.curves]
    scale = axis_colors(25)  # the scale's steps, its last the lowest loss's (bright is low)
    step = [scale.index(p) for p in pens]  # every curve's colour is on the scale
    lowest, highest = int(np.argmin(last)), int(np.argmax(last))
    assert pens[lowest] == scale[-1] and pens[highest] == scale[0]
    # a lower loss never a darker step than a higher one
    for i in range(len(last)):
        for j in range(len(last)):
            if last[i] < last[j]:
                assert step[i] >= step[j], (i, j)
    assert all(colors.contrast(p, colors.background()) >= 2.95 for p in pens)  # (3:1 rounded)
