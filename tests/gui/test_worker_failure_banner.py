"""A failure the training worker reports is said in the red banner while the model it was about
is shown, and goes once it is not: the run trained on (a Step), rewound to an earlier epoch, its
points or weights edited, another run. It stayed until Play (a reviewer), over all of those."""
from __future__ import annotations

import pytest

from nnviz.core import csvdata, training
from nnviz.core.training import TrainingError

TIMEOUT = 30_000
FAILURE = "injected: the device ran out of memory"

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _failed_step(w, qtbot, wait_run, monkeypatch):
    """20 epochs, then a Step whose training fails at once (a user's error: no dialog)."""
    w.step(20)
    wait_run(w, 20)
    real, calls = training.Trainer.run, []

    def run_failing_once(self, n):
        calls.append(n)
        if len(calls) == 1:
            raise TrainingError(FAILURE)
        return real(self, n)
    monkeypatch.setattr(training.Trainer, "run", run_failing_once)
    w.step(10)
    qtbot.waitUntil(lambda: w.banner.isVisible() and w.banner.text() == FAILURE, timeout=TIMEOUT)
    assert w.last_snapshot.epoch == 20 and not w.playing


def test_the_failure_stays_while_its_model_is_shown(bare_window, qtbot, wait_run, monkeypatch):
    w = bare_window
    _failed_step(w, qtbot, wait_run, monkeypatch)
    # The same model drawn again (a view that asks for more of it): still the one it was about.
    w.set_probe("looked", lambda model, grid: model.epoch)
    qtbot.waitUntil(lambda: w.last_snapshot.extras.get("looked") == 20, timeout=TIMEOUT)
    assert w.banner.isVisible() and w.banner.text() == FAILURE


@pytest.mark.parametrize("change", ["rewind", "step", "points", "weights"])
def test_the_failure_goes_once_its_model_is_not_shown(bare_window, qtbot, wait_run, monkeypatch,
                                                      change):
    w = bare_window
    _failed_step(w, qtbot, wait_run, monkeypatch)
    if change == "rewind":  # back to an epoch before it
        w.timeline.go(10)
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == 10, timeout=TIMEOUT)
    elif change == "step":  # trained on, without Play
        w.step(3)
        wait_run(w, 23)
    elif change == "points":  # a point deleted on the plot: the run goes on on the others
        assert w.edit_points(csvdata.with_point_removed(w.dataset, 0), "deleted point")
    else:  # a weight edited
        params = [[W.copy(), b.copy()] for W, b in w.last_snapshot.params]
        params[0][1][0] += 0.5
        w.set_params(tuple(map(tuple, params)))
        qtbot.waitUntil(lambda: w.last_snapshot.params[0][1][0] == params[0][1][0],
                        timeout=TIMEOUT)
    assert not w.banner.isVisible() and FAILURE not in w.statusBar().currentMessage()
