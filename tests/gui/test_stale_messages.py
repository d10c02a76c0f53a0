"""Messages that outlived what they were about (a reviewer's screenshots): the note on the
defaults a change of optimiser took, still there after Undo or Open while the form showed gd at
lr 1; a branch-rename refusal that stayed through a delete, Undo and scrubbing; and the sweep
form's two limits (1,024 and 64) in two messages about the same thing."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox  # noqa: E402

from .test_session_actions import (  # noqa: E402,F401
    TIMEOUT, _step, own_settings, wait_run, win)

STALE = "learning rate 0.1"  # what the note said of momentum's default rate


def _choose_optimizer(qtbot, w, name: str) -> None:
    box = w.training_panel.optimizer
    i = box.findText(name)
    assert i >= 0, name
    box.setCurrentIndex(i)
    box.activated.emit(i)
    qtbot.waitUntil(lambda: w.current_problem().config.optimizer == name, timeout=TIMEOUT)


def _note(w) -> str:
    # Under the Training settings, where the optimiser was chosen (on a settings tab of its
    # own in a small window: not isVisible)
    note = w.training_panel.note
    return "" if note.isHidden() else note.text()


def test_the_defaults_note_goes_with_the_change_undo_takes_back(win, qtbot):
    w, actions = win
    _choose_optimizer(qtbot, w, "momentum")
    qtbot.waitUntil(lambda: STALE in _note(w), timeout=TIMEOUT)
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.training_panel.optimizer.currentText() == "gd", timeout=TIMEOUT)
    assert w.training_panel.lr.value() == 1.0
    assert STALE not in _note(w) and STALE not in w.statusBar().currentMessage()  # (its echo)
    s = _step(qtbot, w, 3)  # the run moves: the note on momentum's rate came back here
    assert s.config.optimizer == "gd"
    assert STALE not in _note(w)


def test_the_defaults_note_goes_when_another_session_opens(win, qtbot, tmp_path):
    w, actions = win
    _step(qtbot, w, 5)
    path = tmp_path / "gd.nnviz"
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(path))
    _choose_optimizer(qtbot, w, "momentum")
    qtbot.waitUntil(lambda: STALE in _note(w), timeout=TIMEOUT)
    actions.open_session(str(path))  # (as File > Open, read in this thread)
    s = wait_run(qtbot, w, 5)
    assert s.config.optimizer == "gd" and w.training_panel.optimizer.currentText() == "gd"
    assert STALE not in _note(w)


def test_the_defaults_note_goes_when_the_rate_it_names_is_changed(win, qtbot):
    w, actions = win
    _choose_optimizer(qtbot, w, "momentum")
    _step(qtbot, w, 3)
    assert STALE in _note(w)  # true: the run trains at momentum's 0.1
    field = w.training_panel.lr.lineEdit()
    field.selectAll()
    qtbot.keyClicks(field, "0.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current_problem().config.learning_rate == 0.5, timeout=TIMEOUT)
    s = _step(qtbot, w, 2)
    assert s.config.learning_rate == 0.5
    assert STALE not in _note(w)


def _rename(w, answers: list) -> list[str]:
    """Branch menu > Rename branch...: each dialog that comes up gets the next of ``answers``
    typed and OK (None: Cancel). The dialogs' labels, as the user read them."""
    labels, done = [], []

    def answer():
        if done:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, QInputDialog) or not box.isVisible():
            QTimer.singleShot(20, answer)
            return
        labels.append(box.labelText())
        text = answers.pop(0) if answers else None
        if text is None:
            box.reject()
        else:
            box.setTextValue(text)
            box.accept()
        if answers:
            QTimer.singleShot(20, answer)
    QTimer.singleShot(0, answer)
    w.timeline.rename_action.trigger()
    done.append(True)
    return labels


def _branched(qtbot, w):
    """Trained 20 epochs, Continue from here at 10 (run 2, shown), 5 more."""
    _step(qtbot, w, 20)
    w.timeline.slider.setValue(10)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 10, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    return _step(qtbot, w, 5)


def _banner(w) -> str:
    return "" if w.banner.isHidden() else w.banner.text()


def _branch_names(w) -> list[str]:
    return [w.timeline.branches.itemText(i) for i in range(w.timeline.branches.count())]


def test_a_taken_branch_name_is_refused_in_the_rename_dialog_and_leaves_nothing_behind(
        win, qtbot, monkeypatch):
    """'there is already a branch 'run 1'' came as a banner over the plot, which stayed through
    a branch delete, Undo and scrubbing (reviewer). The dialog says it, with the name typed
    still there to correct; Cancel leaves nothing behind, and the run is as it was."""
    w, actions = win
    _branched(qtbot, w)
    labels = _rename(w, ["run 1", None])
    assert len(labels) == 2, labels  # asked again, not taken
    assert "There is already a branch \u201crun 1\u201d" in labels[1]
    assert "New name" in labels[1]
    QApplication.processEvents()
    assert "already a branch" not in _banner(w)
    assert _branch_names(w) == ["run 1", "run 2"] and w.last_snapshot.branch == "run 2"
    # The Undo steps still know run 2 by its name: the refused name was given to them
    # (Undo of Continue from here then took nothing away).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.timeline.delete_action.trigger()  # run 2, shown
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    actions.undo_action.trigger()  # run 2 back
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    actions.undo_action.trigger()  # the Continue from here that made run 2
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "back on run 1; run 2 stays in the branch list" in
                    w.statusBar().currentMessage(), timeout=TIMEOUT)
    assert _branch_names(w) == ["run 1", "run 2"]  # (it has epochs of its own)
    assert "already a branch" not in _banner(w)


def test_a_name_corrected_in_the_rename_dialog_is_taken(win, qtbot):
    w, _actions = win
    _branched(qtbot, w)
    labels = _rename(w, ["run 1", "  wide   one "])
    assert len(labels) == 2 and "already a branch" in labels[1]
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "wide one", timeout=TIMEOUT)
    assert _branch_names(w) == ["run 1", "wide one"]
    assert "already a branch" not in _banner(w)


def test_undo_takes_a_rename_back_and_the_steps_before_it_follow(win, qtbot):
    """A rename was no Undo step: Ctrl+Z after it took back the Continue from here before it."""
    w, actions = win
    _branched(qtbot, w)
    _rename(w, ["wide one"])
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "wide one", timeout=TIMEOUT)
    assert actions.undo_action.text() == "&Undo rename branch run 2 to wide one"
    actions.undo_action.trigger()  # Ctrl+Z: the old name back, the branch and its epochs kept
    qtbot.waitUntil(lambda: _branch_names(w) == ["run 1", "run 2"], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    assert w.last_snapshot.live_epoch == 15
    actions.redo_action.trigger()  # and the new one again
    qtbot.waitUntil(lambda: _branch_names(w) == ["run 1", "wide one"], timeout=TIMEOUT)
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: _branch_names(w) == ["run 1", "run 2"], timeout=TIMEOUT)
    # The step before the rename, Continue from here, knows its branch by the name it has now:
    # its Undo goes back to run 1 (a step that kept "wide one" found no such branch).
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "back on run 1" in w.statusBar().currentMessage(), timeout=TIMEOUT)


def _sweep_refusal(qtbot, panel, axes) -> str:
    for row, (name, text) in enumerate(axes):
        box = panel.axis_boxes[row]
        box.setCurrentIndex(box.findData(name))
        panel.value_edits[row].setText(text)
    with qtbot.assertNotEmitted(panel.custom_requested):
        panel.start.click()
    assert panel.message.isVisible()
    return panel.message.text()


def test_the_sweep_form_states_one_member_limit_and_keeps_it(qtbot):
    """'seed: 0-100000 is 100,001 seeds; a sweep has at most 1,024 members', then for 0-99
    '100 members: a sweep has at most 64' (u6c.png, u8.png): the Compare tab trains 64 at most
    and says so each time; the 1,024 is the command line's, and named as such."""
    from nnviz.gui.sweep_panel import MAX_MEMBERS, SweepPanel
    assert MAX_MEMBERS == 64  # the README's number
    panel = SweepPanel()
    qtbot.addWidget(panel)
    panel.show()
    far = _sweep_refusal(qtbot, panel, [("seed", "0-100000")])
    hundred = _sweep_refusal(qtbot, panel, [("seed", "0-99")])
    both = _sweep_refusal(qtbot, panel, [("seed", "0-7"), ("learning_rate",
                                                          "0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 9")])
    assert "100,001 seeds" in far and "100 seeds" in hundred and "72 members" in both
    limit = ("the Compare tab trains at most 64 members (nnviz sweep on the command line: "
             "up to 1,024)")
    for text in (far, hundred, both):
        assert text.endswith(limit) and "a sweep has at most" not in text
    # ... and 64 is taken
    panel.value_edits[0].setText("0-63")
    panel.axis_boxes[1].setCurrentIndex(0)
    with qtbot.waitSignal(panel.custom_requested) as got:
        panel.start.click()
    (name, values), = got.args[0]
    assert name == "seed" and len(values) == 64 and panel.message.isHidden()
