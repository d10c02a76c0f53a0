"""Issue 17 item 11: a point added on the plot far outside the data's range (1e30, +-3.4e38) is
refused with the range that is accepted; the data, the run and the view stay as they were."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.csvdata import point_range, with_point_added
from nnviz.core.data import DataError, DataSpec, make_dataset

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EXTREME = [(1e30, 0.0), (0.0, -1e30), (3.4e38, 3.4e38), (-3.4e38, 0.5), (0.5, 1e6)]


@pytest.mark.parametrize("point", EXTREME)
def test_core_refuses_a_point_far_outside_the_data(point):
    data = make_dataset(DataSpec("moons"))
    with pytest.raises(DataError) as e:
        with_point_added(data, point, 1)
    (lo1, hi1), (lo2, hi2) = point_range(data)
    assert f"{lo1:.3g}" in str(e.value) and f"{hi2:.3g}" in str(e.value)


def test_core_accepts_points_near_the_data_and_tiny_numbers():
    data = make_dataset(DataSpec("moons"))
    (lo1, hi1), (lo2, hi2) = point_range(data)
    lo, hi = data.X.min(axis=0), data.X.max(axis=0)
    assert lo1 < lo[0] - 1 and hi1 > hi[0] + 1 and lo2 < lo[1] - 0.5 and hi2 > hi[1] + 0.5
    for p in [(1e-300, 0.0), (hi1, hi2), (lo1, lo2), (2.5, -1.5)]:
        assert len(with_point_added(data, p, 0).X) == len(data.X) + 1


def test_core_refuses_a_far_value_on_a_curve():
    data = make_dataset(DataSpec("sine"))
    with pytest.raises(DataError, match="value"):
        with_point_added(data, (0.5,), 1e30)
    assert len(with_point_added(data, (0.5,), 2.0).X) == len(data.X) + 1


@pytest.fixture
def editing(main_window):
    w = main_window
    actions = w.session_actions
    actions.edit_points_action.trigger()
    return w, actions


def test_the_window_refuses_an_extreme_point_and_stays_usable(editing, qtbot, wait_run):
    # Every point tried in one window, each after a sane one went in (a window per point proved
    # nothing more).
    w, actions = editing
    for point in EXTREME + [(np.inf, 0.0), (np.nan, 0.0)]:
        run, n = w.run_id, len(w.dataset.X)
        view = w.boundary.getPlotItem().vb.viewRange()
        actions.last_message = ""
        assert not actions.add_point(*point)
        assert "accepted" in actions.last_message or "finite" in actions.last_message, point
        assert w.run_id == run and len(w.dataset.X) == n, point
        qtbot.wait(100)
        assert w.boundary.getPlotItem().vb.viewRange() == view, point
        s = w.last_snapshot
        assert np.isfinite(s.grid.values).all()
        # A sane point next to it still goes in.
        assert actions.add_point(0.5, 0.25) and len(w.dataset.X) == n + 1
        wait_run(w)
        assert max(abs(v) for r in w.boundary.getPlotItem().vb.viewRange() for v in r) < 100
