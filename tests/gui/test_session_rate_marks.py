"""The loss chart's rate marks after a session was opened say the rates that ran (r20 F1)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from .test_loss_plot import _rate_labels  # noqa: E402
from .test_session_actions import TIMEOUT, _step, own_settings, wait_run, win  # noqa: E402,F401


def _type_rate(qtbot, w, text):
    field = w.training_panel.lr.lineEdit()
    field.setText(text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_rate_changed_while_playing_after_an_opened_session_is_marked_with_its_rate(
        win, qtbot, tmp_path):
    """r20 F1: `nnviz --open` of a session marked "lr 3" and "lr 0.5", another run loaded,
    then the rate typed as 2 while it played: the new mark read "lr 3" (the exported script:
    lr_changes = {225: 2.0})."""
    w, actions = win
    _step(qtbot, w, 10)
    _type_rate(qtbot, w, "3")
    _step(qtbot, w, 10)
    _type_rate(qtbot, w, "0.5")
    _step(qtbot, w, 10)
    path = str(tmp_path / "two rates.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    w.open_session(path)  # (as `nnviz --open` does)
    wait_run(qtbot, w, 30)
    plot = w.loss_plot
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(10, "lr 3"), (20, "lr 0.5")],
                    timeout=TIMEOUT)

    actions.preset_actions["moons"].trigger()  # another run
    wait_run(qtbot, w, 0)
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.run_id == w.run_id and w.last_snapshot.epoch > 5,
                    timeout=TIMEOUT)
    _type_rate(qtbot, w, "2")  # while it plays
    qtbot.waitUntil(lambda: len(w.last_snapshot.rates) == 2, timeout=TIMEOUT)
    w.pause()
    changed = w.last_snapshot.rates[1]
    assert f"{changed[1]:g}" == "2"  # the record: what trained
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(changed[0], "lr 2")], timeout=TIMEOUT)
