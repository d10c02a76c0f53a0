"""Issue 17 item 8: the weight editor took 1e6 (the window then froze for seconds). A hand-edited
weight or bias is bounded to a range the views draw and the trainer recovers from; beyond it the
editor says which range it takes and sends nothing."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core.network import SpecError
from nnviz.gui.network_view import EDIT_LIMIT

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def network(main_window, qtbot, wait_run):
    w = main_window
    w.show_view("network")
    view = w._inspection_views["network"]
    qtbot.waitUntil(lambda: view.canvas.params is not None, timeout=30_000)
    sent = []
    view.params_edited.connect(sent.append)
    return w, view, sent


def _type(qtbot, view, item, text):
    view.begin_edit(item, view.canvas.rect().center())
    view.editor.clear()
    qtbot.keyClicks(view.editor, text)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)


def test_a_weight_beyond_the_range_is_refused_with_the_range(network, qtbot):
    # Every value typed in one window (a window per value proved nothing more).
    w, view, sent = network
    run, before = w.run_id, [np.array(a) for a, _ in view.canvas.params]
    for text in ["1e6", "1000000", "-1e30", "101", "-100.5", "1e308"]:
        view.message.hide()  # (each refusal must show it again)
        _type(qtbot, view, ("w", 0, 0, 0), text)
        assert view.message.isVisible(), text
        assert f"between -{EDIT_LIMIT:g} and {EDIT_LIMIT:g}" in view.message.text()
        assert view.editor.isVisible() and sent == [], text
        view.message.hide()
        _type(qtbot, view, ("b", 1, 0), text)
        assert view.message.isVisible(), text
        assert sent == [] and w.run_id == run, text
        assert all((a == np.array(b)).all() for a, (b, _) in zip(before, view.canvas.params))


def test_the_largest_weight_taken_trains_on(network, qtbot, wait_run):
    w, view, sent = network
    assert EDIT_LIMIT <= 1000
    _type(qtbot, view, ("w", 3, 0, 0), f"{EDIT_LIMIT:g}")
    _type(qtbot, view, ("b", 0, 1), f"-{EDIT_LIMIT:g}")
    assert len(sent) == 2 and not view.message.isVisible()
    qtbot.waitUntil(lambda: float(w.last_snapshot.params[0][1][1]) == -EDIT_LIMIT,
                    timeout=30_000)
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 500, timeout=60_000)
    w.pause()
    s = w.last_snapshot
    assert not s.diverged and np.isfinite(s.metrics.train_loss)
    # A weight of 100 into the sigmoid output saturates it: the loss stays (0.4813), and the
    # window says why (the stuck-from-the-start note), not that anything failed or diverged.
    assert not w.banner.isVisible() or "The loss has not moved since epoch 0" in \
        w.banner.text(), w.banner.text()


@pytest.mark.parametrize("bad", [np.inf, np.nan, 1e30])
def test_set_params_refuses_what_no_view_can_draw(network, bad):
    w, view, sent = network
    params = [(np.array(a), np.array(b)) for a, b in w.last_snapshot.params]
    params[0][0][0, 0] = bad
    with pytest.raises(SpecError, match="between"):
        w.set_params(tuple(params))
