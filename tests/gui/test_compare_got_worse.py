"""A member that did not blow up but got worse is said so (review r22 F6: the ready-made
learning-rate sweep's lr 10 rose from 0.3678 to 0.4812, its ReLU units dead, 51.9%, with no
mark: only a blow-up was "diverged"); the ready-made sweep's hint says when its epoch is
reached ("Play (Space) trains it to epoch 2,000" stayed at epoch 2,000)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nnviz.core.ready_sweeps import relu_notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from nnviz.gui import colors
from tests.conftest import FIRST_SNAPSHOT_MS

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EPOCHS = 20


def test_a_member_whose_loss_rose_is_marked_got_worse(qtbot, main_window):
    window = main_window
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start(SweepSpec(relu_notebook_problem(), (Axis("learning_rate", (1.0, 10.0)),)))
    window.step(EPOCHS)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == EPOCHS and view.members_of == view.sweep_id
                    and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    s = view.drawn
    (_, lr1), (_, lr10) = s.loss_curves
    assert lr10[-1] > lr10[0] and lr1[-1] < lr1[0]  # what the reviewer saw: 10 rose, 1 fell
    assert not s.diverged.any()  # and nothing blew up
    # The tile says it in words, and its tooltip what it means.
    labels = [t.textItem.toPlainText() for t in view.tiles.labels]
    assert "got worse" in labels[1] and "got worse" not in labels[0], labels
    assert "higher now" in view.tiles.labels[1].toolTip()
    # The table marks its row and its training loss, and says why on hover; lr 1's is plain.
    model = view.table.scores
    col = 1 + len(s.axes)  # the train loss
    assert model.index(1, 0).data() == "\u2191" and model.index(0, 0).data() != "\u2191"
    red = model.index(1, col).data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color().getRgb()[:3] == colors.error()
    assert model.index(0, col).data(Qt.ItemDataRole.ForegroundRole) is None
    for c in (0, col):
        tip = model.index(1, c).data(Qt.ItemDataRole.ToolTipRole)
        assert "got worse" in tip and "higher now" in tip
        assert model.index(0, c).data(Qt.ItemDataRole.ToolTipRole) is None
    # The title counts it, as it counts the diverged.
    assert "1 got worse" in view.title.text()
    view.select(1)
    assert "got worse" in view.selection_label.text()


def test_a_ready_sweeps_hint_says_when_its_epoch_is_reached(qtbot, main_window):
    window = main_window
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start_ready("lr", stop_at=EPOCHS)
    assert f"trains it to epoch {EPOCHS}" in window.hint.text()
    window.play()
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == EPOCHS and not window.playing,
                    timeout=FIRST_SNAPSHOT_MS)
    qtbot.waitUntil(lambda: f"epoch {EPOCHS} reached" in window.hint.text())
    assert "trains it to" not in window.hint.text()
    window.show_view("main")  # and back (after a promote, say): still so
    window.show_view("compare")
    assert f"epoch {EPOCHS} reached" in window.hint.text()
    window.step(5)  # trained past it: gone
    qtbot.waitUntil(lambda: view.drawn.epoch == EPOCHS + 5, timeout=FIRST_SNAPSHOT_MS)
    assert "reached" not in window.hint.text()
