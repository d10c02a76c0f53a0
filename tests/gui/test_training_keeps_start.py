"""A training setting changed (loss, optimiser, batch size, penalty) starts the run again from
its own initial weights, as Restart does; the learning rate keeps the whole run. Presets ->
Moons started from the notebook's weights (loss 0.2537) until the batch size changed, then
from the seed's (0.2703): full batch and mini-batches did not start alike (review r22 F15)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QTextDocument

from nnviz.core import presets

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText().replace("\u2060", "").replace("\u00a0", " ")


def _same_weights(a, b) -> bool:
    return all(np.array_equal(wa, wb) and np.array_equal(ba, bb)
               for (wa, ba), (wb, bb) in zip(a.params, b.params))


def test_a_training_change_starts_again_from_the_runs_initial_weights(bare_window, qtbot,
                                                                       wait_run):
    w = bare_window
    w.load_problem(presets.get("moons").problem())  # the notebook's own initial weights
    start = wait_run(w, 0)
    assert "Train loss at the start: 0.2537" in _plain(w.metrics.text())
    w.step(20)
    wait_run(w, 20)

    w.training_panel.batch.setValue(50)
    s = wait_run(w, 0)
    assert s.config.batch_size == 50 and _same_weights(s, start)
    assert "Train loss at the start: 0.2537" in _plain(w.metrics.text())
    note = w.training_panel.note.text()
    assert "starts at epoch 0 from the same initial weights." in note, note

    w.training_panel.optimizer.setCurrentText("adam")
    s = wait_run(w, 0)
    assert s.config.optimizer == "adam" and _same_weights(s, start)
    assert "from the same initial weights" in w.training_panel.note.text()

    # After Reset, the new weights are the run's: a training change keeps them (it went back
    # to the seed's, the weights before the Reset).
    w.reset()
    fresh = wait_run(w, 0)
    assert not _same_weights(fresh, start)
    w.training_panel.batch.setValue(0)
    s = wait_run(w, 0)
    assert s.config.batch_size == 0 and _same_weights(s, fresh)
    assert "from the same initial weights" in w.training_panel.note.text()
