"""A sweep of your own over the initial weights' seed, started from the Compare tab's form
over a run whose weights are pinned (Presets -> Moons: the notebook's own; a promoted or loaded
run the same): each member starts from its seed's draw, as a single run of that seed does.
Every member of a learning rate had the run's weights: 8 seeds, 8 copies of one run, their
losses and tiles identical to 4 digits (review r24 F11)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core import presets
from nnviz.core.network import init_params
from tests.conftest import FIRST_SNAPSHOT_MS, wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

EPOCHS = 3


def test_each_member_starts_from_its_own_seeds_weights(qtbot, main_window):
    w = main_window
    assert w.session_actions.load_preset(presets.get("moons"))
    wait_for_run(qtbot, w)
    run = w.current_problem()
    assert run.params is not None  # the notebook's weights (loss 0.2537 at epoch 0)
    w.show_view("compare")
    view = w._inspection_views["compare"]
    panel = view.panel
    for box, edit, name, text in zip(panel.axis_boxes, panel.value_edits,
                                     ("learning_rate", "init_seed"), ("0.3, 1", "0-2")):
        box.setCurrentIndex(box.findData(name))
        edit.setText(text)
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    w.step(EPOCHS)
    qtbot.waitUntil(lambda: view.drawn.epoch == EPOCHS and view.members_of == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    s = view.drawn
    curves = {(m["learning_rate"], m["init_seed"]): np.asarray(v, float)
              for m, (_, v) in zip(s.members, s.loss_curves)}
    assert len(curves) == 6 and all(len(v) >= EPOCHS for v in curves.values())
    for lr in (0.3, 1.0):
        starts = [round(curves[lr, k][0], 6) for k in range(3)]
        assert len(set(starts)) == 3, (lr, starts)  # three draws, three starting losses
    # The member of seed 2 at lr 1 is the single run of seed 2 (the run's data and settings).
    single = replace(run, params=init_params(run.spec, 2),
                     config=replace(run.config, learning_rate=1.0)).make_trainer()
    np.testing.assert_allclose(curves[1.0, 2][:EPOCHS], single.run(EPOCHS).losses, rtol=1e-5)

