"""What the window says of a lesson's run (review r25): the preset's note follows the branch
shown (F8), and "Show test data" reads unchecked where the run has no test points (F16)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox

from nnviz.core import presets
from tests.conftest import FIRST_SNAPSHOT_MS

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


def _looks_like(box, checked: bool, enabled: bool) -> bool:
    """Whether ``box`` is drawn as a plain check box of its text, ``checked`` and
    ``enabled``, is (pixel for pixel)."""
    ref = QCheckBox(box.text(), box.parentWidget())
    try:
        ref.setFont(box.font())
        ref.setChecked(checked)
        ref.setEnabled(enabled)
        ref.resize(box.size())
        return ref.grab().toImage() == box.grab().toImage()
    finally:
        ref.deleteLater()


def test_show_test_data_reads_unchecked_without_test_points_and_keeps_the_choice(
        main_window, qtbot, wait_run):
    """Lessons -> 5 -> Try it live: the notebook's run has no test points ("(test n/a)"),
    yet "Show test data" read checked, only greyed. It reads unchecked there; data with test
    points shows it checked again, as the user left it."""
    w = main_window
    box = w.show_test
    assert len(w.dataset.test_index) > 0 and box.isChecked()
    QApplication.processEvents()
    assert _looks_like(box, checked=True, enabled=True)
    w.session_actions.load_preset(presets.get("moons"))
    wait_run(w, 0)
    assert len(w.dataset.test_index) == 0
    qtbot.waitUntil(lambda: not box.isEnabled(), timeout=5000)
    assert _looks_like(box, checked=False, enabled=False)
    assert not _looks_like(box, checked=True, enabled=False)
    assert "no test points" in box.toolTip()
    assert box.isChecked()  # the choice kept (sessions and settings save it)
    w.data_panel.test_fraction.setValue(0.2)  # test points again: shown as chosen
    qtbot.waitUntil(lambda: len(w.dataset.test_index) > 0 and box.isEnabled(), timeout=TIMEOUT)
    assert _looks_like(box, checked=True, enabled=True)
    box.setChecked(False)  # the user's choice, unchecked, stays so without test points too
    w.data_panel.test_fraction.setValue(0.0)
    qtbot.waitUntil(lambda: len(w.dataset.test_index) == 0 and not box.isEnabled(),
                    timeout=TIMEOUT)
    assert _looks_like(box, checked=False, enabled=False) and not box.isChecked()


def test_the_notes_x_hides_it_until_the_next_note(main_window, qtbot, wait_run):
    """A preset's note over the plot took two or three lines of a 1024x768 window (more in
    presentation mode) until the problem changed, with no way to put it away. Its x hides it;
    its rewording as the run goes (the stop reached) does not bring it back; the next
    preset's note shows. The sweep's note on the Compare tab has its own x: closed there, the
    main run's stays closed too, and a new sweep's note shows. Presentation mode's font
    reaches the x, and the text never runs under it."""
    w = main_window
    w.resize(1024, 768)
    w.session_actions.preset_actions["xor"].trigger()
    wait_run(w, 0)
    x = w.hint_close.button
    assert w.hint.isVisible() and x.isVisible() and "Press Play" in w.hint.text()
    assert w.hint.contentsRect().right() < x.geometry().left()  # the text clear of the x
    qtbot.mouseClick(x, Qt.MouseButton.LeftButton)
    assert not w.hint.isVisible()
    stop = w.controls.stop_at_value()
    w.step(stop)  # the preset's run to its stop: the note would now read "Stopped at ..."
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == stop and not w.playing,
                    timeout=FIRST_SNAPSHOT_MS)
    assert "Stopped at" in w._hint_text[False] and not w.hint.isVisible()

    w.show_view("compare")
    view = w._inspection_views["compare"]
    view.start_ready("lr", stop_at=3)
    qtbot.waitUntil(lambda: w.hint.isVisible() and "Sweep" in w.hint.text())
    qtbot.mouseClick(x, Qt.MouseButton.LeftButton)
    assert not w.hint.isVisible()
    w.show_view("main")
    assert not w.hint.isVisible()  # the main run's note stays closed
    w.show_view("compare")
    view.start_ready("seeds", stop_at=3)
    qtbot.waitUntil(lambda: w.hint.isVisible() and "Sweep" in w.hint.text())
    w.show_view("main")

    w.session_actions.preset_actions["spiral"].trigger()
    qtbot.waitUntil(lambda: w.hint.isVisible() and w.hint.text().startswith("Two spirals"))
    w.set_presentation(True)
    qtbot.waitUntil(lambda: x.font().pointSizeF() == w.hint.font().pointSizeF()
                    and w.hint.contentsRect().right() < x.geometry().left())
    assert x.geometry().right() <= w.hint.width() and x.isVisible()
    w.set_presentation(False)
