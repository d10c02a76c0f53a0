"""Adding a point on the plot while training (issue 14): the run goes on -- its epoch, its loss
curve, its run id -- nothing compiles within a padded size, and a session saved afterwards
holds the real points."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnviz.core import compiled, training
from nnviz.core import session as session_io

TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))


@pytest.fixture
def win(qtbot):
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(install_extras=False)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    qtbot.waitUntil(lambda: w.last_snapshot is not None, timeout=TIMEOUT)
    yield w, actions
    w.close()


def _click(qtbot, w, x, y, button=Qt.MouseButton.LeftButton):
    vb = w.boundary.getPlotItem().vb
    pos = w.boundary.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(w.boundary.viewport(), button, pos=pos)


def test_a_click_while_training_keeps_the_epoch_and_the_curve(win, qtbot, tmp_path):
    w, actions = win
    run_id, n = w.run_id, len(w.dataset.X)
    actions.edit_points_action.trigger()
    qtbot.waitUntil(lambda: w.worker.loop.prepared is not None, timeout=TIMEOUT)
    w.worker.loop.prepared.result(timeout=120)  # compiled ahead, beside the training
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch > 200, timeout=TIMEOUT)
    traces, counts = training.TRACE_COUNT["chunk"], compiled.cached_counts()
    seen = []
    w.snapshot_drawn.connect(lambda s: seen.append((s.run_id, s.live_epoch, len(s.loss_values))))
    before = w.last_snapshot.live_epoch
    _click(qtbot, w, 0.5, 0.25)
    assert len(w.dataset.X) == n + 1 and w.run_id == run_id
    assert "training goes on" in actions.last_message
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch > before + 500, timeout=TIMEOUT)
    w.pause()
    assert seen and all(r == run_id and e >= before and h >= before for r, e, h in seen)
    assert training.TRACE_COUNT["chunk"] == traces  # nothing compiled for the new point
    assert compiled.cached_counts() == counts
    qtbot.waitUntil(lambda: w.worker.loop.trainer.data is w.dataset, timeout=TIMEOUT)
    assert w.worker.loop.trainer.padded
    # Undo and redo put the points back the same way: the same run goes on.
    actions.undo_action.trigger()
    assert len(w.dataset.X) == n and w.run_id == run_id
    actions.redo_action.trigger()
    assert len(w.dataset.X) == n + 1 and w.run_id == run_id
    edited = w.dataset
    w.step(10)
    qtbot.waitUntil(lambda: w.worker.loop.trainer.data is edited and
                    w.last_snapshot.live_epoch == w.worker.loop.trainer.epoch, timeout=TIMEOUT)

    # A session saved now holds the 201 real points (no padding), and goes on from them.
    path = str(tmp_path / "edited.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    saved = session_io.load(path)
    assert len(saved.dataset.X) == n + 1
    assert np.array_equal(saved.dataset.X, w.dataset.X)
    assert np.array_equal(saved.dataset.y, w.dataset.y)
    actions.open_session(path)
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.run_id == w.run_id,
                    timeout=TIMEOUT)
    assert len(w.dataset.X) == n + 1 and w.last_snapshot.live_epoch == saved.epoch > before


def _shown(qtbot, w, epoch):
    """The snapshot of ``epoch`` shown from the timeline (replayed from the run log)."""
    w.show_epoch(epoch)
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.epoch == epoch
                    and w.last_snapshot.run_id == w.run_id, timeout=TIMEOUT)
    s = w.last_snapshot
    return s.params, s.metrics.train_loss


def test_a_session_saved_after_edits_replays_each_stretch_on_its_points(win, qtbot, tmp_path):
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow
    w, actions = win
    n = len(w.dataset.X)
    actions.edit_points_action.trigger()
    w.step(100)
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch == 100, timeout=TIMEOUT)
    _click(qtbot, w, 0.5, 0.25)
    _click(qtbot, w, -0.5, 0.75)
    assert len(w.dataset.X) == n + 2
    w.step(50)
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch == 150 and
                    w.worker.loop.trainer.data is w.dataset, timeout=TIMEOUT)
    path = str(tmp_path / "edited.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    live = {e: _shown(qtbot, w, e) for e in (60, 130)}  # before and after the edit

    fresh = MainWindow(install_extras=False)
    qtbot.addWidget(fresh)
    other = session_actions.install(fresh)
    fresh.show()
    qtbot.waitUntil(lambda: fresh.last_snapshot is not None, timeout=TIMEOUT)
    other.open_session(path)
    qtbot.waitUntil(lambda: fresh.last_snapshot is not None and
                    fresh.last_snapshot.run_id == fresh.run_id and
                    fresh.last_snapshot.live_epoch == 150, timeout=TIMEOUT)
    assert len(fresh.dataset.X) == n + 2
    for epoch, (params, loss) in live.items():
        got, got_loss = _shown(qtbot, fresh, epoch)
        assert got_loss == loss, epoch  # the loss drawn at that epoch
        for (a, b), (c, d) in zip(got, params):  # the weights, bit for bit
            assert np.array_equal(a, c) and np.array_equal(b, d), epoch
    fresh.close()
