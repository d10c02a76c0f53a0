"""What the window says of a lesson's run (review r25): the preset's note follows the branch
shown (F8)."""
from __future__ import annotations

import pytest

from nnviz.core import presets

TIMEOUT = 60_000  # a wait for a condition; generous, so a loaded machine only makes it slower

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _step(qtbot, w, wait_run, n):
    target = w.last_snapshot.epoch + n
    w.step(n)
    return wait_run(w, target)


def test_the_presets_note_says_the_run_is_the_learners_own_only_on_that_branch(
        main_window, qtbot, wait_run):
    """Lesson 5's run trained to 40, the rate set to 3 at epoch 20 and a branch made there
    (Ctrl+B): the note says the run is the learner's own. Run 1 chosen again (the preset's,
    at its rate 1): the note still said "You changed the learning rate to 3: this is your own
    run now", over the notebook's own numbers."""
    w = main_window
    p = presets.get("moons")
    w.session_actions.load_preset(p)
    wait_run(w, 0)
    note = w.hint.text()
    assert note.startswith("5. Moons") and "own run" not in note
    _step(qtbot, w, wait_run, 40)
    w.timeline.go(20)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 20 and w.last_snapshot.past,
                    timeout=TIMEOUT)
    w.set_learning_rate(3.0)
    qtbot.waitUntil(lambda: "You changed the learning rate to 3" in w.hint.text(),
                    timeout=TIMEOUT)
    w.branch()
    qtbot.waitUntil(lambda: w.timeline.branch == "run 2" and not w.last_snapshot.past,
                    timeout=TIMEOUT)
    _step(qtbot, w, wait_run, 10)
    assert "You changed the learning rate to 3" in w.hint.text()
    branches = w.timeline.branches
    assert [branches.itemText(i) for i in range(branches.count())] == ["run 1", "run 2"]
    branches.setCurrentIndex(branches.findText("run 1"))  # the preset's own run, chosen
    branches.activated.emit(branches.currentIndex())
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.training_panel.lr.currentText() == "1", timeout=5000)
    qtbot.waitUntil(lambda: w.hint.text() == note, timeout=5000)
    assert w.hint.isVisible()
    branches.setCurrentIndex(branches.findText("run 2"))  # the learner's own again
    branches.activated.emit(branches.currentIndex())
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2"
                    and "You changed the learning rate to 3" in w.hint.text(), timeout=TIMEOUT)
