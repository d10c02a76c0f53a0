"""The views' axes move in round steps, not with every frame (nnviz.gui.stepped_range)."""
from __future__ import annotations

import pyqtgraph as pg

from nnviz.gui.stepped_range import SteppedRange, nice_range


def test_nice_range_is_round_and_holds_the_data():
    assert nice_range(0.13, 0.87) == (0.1, 0.9)
    assert nice_range(-3.3, 7.1) == (-4.0, 8.0)
    lo, hi = nice_range(5.0, 5.0)
    assert lo < 5 < hi


def test_the_range_changes_only_when_the_data_leave_it_or_shrink_to_under_half(qtbot):
    w = pg.PlotWidget()
    qtbot.addWidget(w)
    r = SteppedRange(w.getPlotItem())
    assert r.follow((0.0, 0.8), (0.0, 1.0))
    first = r.x
    # Data moving a little inside the range: the axes stay put.
    assert not any(r.follow((0.02 * k, 0.8 + 0.02 * k), (0.0, 1.0)) for k in range(5))
    assert r.x == first
    assert r.follow((0.0, 3.0), (0.0, 1.0)) and r.x[1] >= 3.0  # left it
    assert r.follow((0.0, 0.5), (0.0, 1.0)) and r.x[1] < 3.0  # shrank to a sixth


def test_gradient_and_hidden_space_views_do_not_re_range_every_frame(qtbot):
    from nnviz.core import inspect
    from nnviz.gui.gradient_view import GradientView
    from nnviz.gui.hidden_space import HiddenSpaceView
    from tests.gui.test_views_helpers import make_trainer, snapshot_of
    probes = {"hidden-space": inspect.HiddenSpaceProbe(), "gradients": inspect.GradientProbe()}
    g, h = GradientView(), HiddenSpaceView(probes["hidden-space"])
    for v in (g, h):
        qtbot.addWidget(v)
        v.show()
    t = make_trainer()
    ranges = {"hidden": [], "gradients": []}
    t.run(200)
    for _ in range(12):
        t.run(20)
        s = snapshot_of(t, probes)
        g.update_snapshot(s)
        h.update_snapshot(s)
        g.grab(), h.grab()  # painted, as on screen (pyqtgraph's auto-range acts in the paint)
        ranges["gradients"].append(g.norm_plot.viewRange())
        ranges["hidden"].append(h.plot.getPlotItem().viewRange())
    for name, seen in ranges.items():
        distinct = {repr(r) for r in seen}
        assert len(distinct) <= len(seen) // 2, (name, distinct)
