"""Looking back on the timeline, the window says the rate the shown epoch trained at (r20 F2)."""
from __future__ import annotations

import pytest

TIMEOUT = 60_000  # a wait for a condition; generous, so a loaded machine only makes it slower

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


def _said(w) -> str:
    """The note under the Learning rate field as a user sees it ("" while hidden)."""
    note = w.training_panel.message
    return "" if note.isHidden() else note.text()


def _go(qtbot, w, epoch):
    w.timeline.go(epoch)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch, timeout=TIMEOUT)


def test_a_past_epoch_trained_at_another_rate_than_the_field_says_so(bare_window, qtbot,
                                                                      wait_run):
    """r20 F2: on a run at 1 to epoch 1,000 then 3, scrubbed back to epoch 849, the Learning
    rate field read 3, and nothing said that epoch 849 trained at 1. The field stays the rate
    training goes on at (Continue from here branches at it); a note under it says the shown
    epoch's own rate where that is another."""
    w = bare_window
    w.controls.step_buttons[10].click()
    wait_run(w, 10)
    w.controls.step_buttons[10].click()
    wait_run(w, 20)
    first = w.last_snapshot.rates[0][1]
    assert f"{first:g}" != "3"
    w.set_learning_rate(3.0)
    w.controls.step_buttons[10].click()
    wait_run(w, 30)
    assert _said(w) == ""  # live: the field's 3 is what trains

    _go(qtbot, w, 15)  # trained at the first rate
    qtbot.waitUntil(lambda: _said(w).startswith(
        f"Epoch 15 trained at learning rate {first:g}; 3 is the rate training goes on at"),
        timeout=TIMEOUT)
    assert w.training_panel.lr.currentText() == "3"  # what Continue from here would use
    _go(qtbot, w, 20)  # the change was made after epoch 20: epoch 20 trained at the first
    qtbot.waitUntil(lambda: _said(w).startswith(f"Epoch 20 trained at learning rate {first:g}"),
                    timeout=TIMEOUT)
    _go(qtbot, w, 25)  # trained at 3, the field's: said too (a replay's note stays put)
    qtbot.waitUntil(lambda: _said(w) == "Epoch 25 trained at learning rate 3, the rate "
                    "training goes on at.", timeout=TIMEOUT)

    _go(qtbot, w, 15)
    qtbot.waitUntil(lambda: _said(w).startswith("Epoch 15 trained"), timeout=TIMEOUT)
    w.set_learning_rate(0.3)  # set in the past: the note on where it applies, and the epoch's
    qtbot.waitUntil(lambda: _said(w).startswith("0.3 applies when training goes on"),
                    timeout=TIMEOUT)
    assert f"branches at epoch 15 at 0.3 (it trained at {first:g});" in _said(w)
    w.timeline.go(30)  # live again: the rate applies, the notes go
    qtbot.waitUntil(lambda: not w.last_snapshot.past and _said(w) == "", timeout=TIMEOUT)
