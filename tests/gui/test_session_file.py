"""Which file Save writes: the file of the run on screen, named in the title with Qt's mark of
unsaved epochs. A new user's review: after a preset (or a promoted member) the title still
named the saved file, unmarked, and Save wrote the XOR run at epoch 0 over a moons run saved at
2,001."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from nnviz.core import session as session_io  # noqa: E402

from .test_session_actions import (  # noqa: E402,F401
    TIMEOUT, _step, own_settings, shown_title, wait_run, win)


def _save_with_the_menu(qtbot, actions):
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_action.trigger()  # File -> Save session (Ctrl+S)


def _trained_and_saved(qtbot, w, actions, path, monkeypatch):
    """The window's run trained 10 epochs and saved to ``path`` with File -> Save session (no
    file yet: Save asks for the name, answered ``path``)."""
    _step(qtbot, w, 10)
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: str(path))
    _save_with_the_menu(qtbot, actions)


def _asking(actions, monkeypatch):
    """The Save dialog's questions (the name it suggests); each answered with Cancel."""
    asked = []
    monkeypatch.setattr(actions, "ask_path",
                        lambda *a, **k: asked.append(k.get("suggested")) or "")
    return asked


def test_save_after_a_preset_asks_for_a_name_and_undo_brings_the_file_back(win, qtbot,
                                                                           tmp_path,
                                                                           monkeypatch):
    w, actions = win
    actions.preset_actions["moons"].trigger()
    wait_run(qtbot, w, 0)
    _step(qtbot, w, 20)
    path = tmp_path / "check2.nnviz"
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: str(path))
    _save_with_the_menu(qtbot, actions)  # no file yet: Save asks, as Save as
    assert shown_title(w) == "check2.nnviz \u2014 nnviz"
    _step(qtbot, w, 5)
    assert shown_title(w) == "check2.nnviz* \u2014 nnviz"  # trained since it was saved

    actions.preset_actions["xor"].trigger()  # another run: not check2.nnviz's
    wait_run(qtbot, w, 0)
    assert shown_title(w) == "nnviz"
    asked = _asking(actions, monkeypatch)
    actions.save_action.trigger()
    assert asked == ["xor.nnviz"]  # a name for the XOR run
    kept = session_io.load(str(path))
    assert kept.epoch == 20 and kept.dataset.name == "moons"  # the file is untouched

    actions.undo_action.trigger()  # the moons run comes back, and its file with it
    wait_run(qtbot, w, 25)
    assert shown_title(w) == "check2.nnviz* \u2014 nnviz"
    _save_with_the_menu(qtbot, actions)
    assert asked == ["xor.nnviz"]  # written where it belongs, without asking
    assert shown_title(w) == "check2.nnviz \u2014 nnviz"
    saved = session_io.load(str(path))
    assert saved.epoch == 25 and saved.dataset.name == "moons"

    actions.redo_action.trigger()  # the preset again: untitled again
    wait_run(qtbot, w, 0)
    assert shown_title(w) == "nnviz" and w.current_problem().source.name == "xor"


def test_training_on_branching_and_the_rate_keep_the_file_reset_leaves_it(win, qtbot,
                                                                          tmp_path,
                                                                          monkeypatch):
    w, actions = win
    path = tmp_path / "mine.nnviz"
    _trained_and_saved(qtbot, w, actions, path, monkeypatch)
    w.open_session(str(path))  # (as `nnviz --open` does)
    wait_run(qtbot, w, 10)
    assert shown_title(w) == "mine.nnviz \u2014 nnviz"
    asked = _asking(actions, monkeypatch)
    # The opened run's own changes: trained on, branched at 5, its rate changed.
    _step(qtbot, w, 10)
    w.timeline.slider.setValue(5)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 5, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    field = w.training_panel.lr.lineEdit()
    field.setText("0.3")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    _step(qtbot, w, 3)
    assert shown_title(w) == "mine.nnviz* \u2014 nnviz"
    _save_with_the_menu(qtbot, actions)
    assert asked == [] and shown_title(w) == "mine.nnviz \u2014 nnviz"
    saved = session_io.load(str(path))
    assert saved.epoch == 8 and saved.config.learning_rate == 0.3
    assert [b.name for b in saved.run.branches] == ["run 1", "run 2"]  # (the fork kept)

    w.reset()  # a fresh model is not the file's run either
    wait_run(qtbot, w, 0)
    assert shown_title(w) == "nnviz"
    actions.save_action.trigger()
    assert asked == ["moons.nnviz"] and session_io.load(str(path)).epoch == 8
    actions.undo_action.trigger()
    wait_run(qtbot, w, 8)
    assert shown_title(w) == "mine.nnviz \u2014 nnviz"  # as saved: nothing marked


def test_a_new_rate_on_the_files_run_is_marked_and_quit_asks_for_it(win, qtbot, tmp_path,
                                                                     monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from .test_small_things import _answer_next_question
    w, actions = win
    path = tmp_path / "mine.nnviz"
    _trained_and_saved(qtbot, w, actions, path, monkeypatch)
    assert shown_title(w) == "mine.nnviz \u2014 nnviz" and actions.may_close()  # no question
    field = w.training_panel.lr.lineEdit()
    field.setText("0.3")  # not trained since: the file still has the old rate
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert shown_title(w) == "mine.nnviz* \u2014 nnviz"
    seen = _answer_next_question(qtbot, QMessageBox.StandardButton.Cancel)
    assert not actions.may_close(quitting=True)
    assert seen == ["The run has changes that are not saved: learning rate 1 \u2192 0.3."]
    actions.undo_action.trigger()  # the rate the file holds: nothing left to save
    assert shown_title(w) == "mine.nnviz \u2014 nnviz" and actions.may_close()


def test_quit_names_a_branch_made_since_the_save(win, qtbot, tmp_path, monkeypatch):
    """Review r18 #12: a branch alone ("Continue from here" at an earlier epoch, nothing
    trained on it) and Quit said "changes (learning rate, points or weights) that are not
    saved", none of which had changed. It names the branch; Undo of a branch the file holds
    says that Undo took it back."""
    from PySide6.QtWidgets import QMessageBox

    from .test_small_things import _answer_next_question
    from .test_timeline import _fork_at
    w, actions = win
    _trained_and_saved(qtbot, w, actions, tmp_path / "mine.nnviz", monkeypatch)
    _fork_at(w, qtbot, 4, "run 2")
    assert actions.unsaved_epochs() == 0 and shown_title(w) == "mine.nnviz* \u2014 nnviz"
    seen = _answer_next_question(qtbot, QMessageBox.StandardButton.Cancel)
    assert not actions.may_close(quitting=True)
    assert seen == ["The run has changes that are not saved: a new branch, run 2 (continued "
                    "from epoch 4)."]

    _save_with_the_menu(qtbot, actions)  # the file holds the branch ...
    actions.undo_action.trigger()  # ... which Undo takes out of the run
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    seen = _answer_next_question(qtbot, QMessageBox.StandardButton.Cancel)
    assert not actions.may_close(quitting=True)
    assert seen == ["The run is not as saved: Undo took back a new branch, run 2 (continued "
                    "from epoch 4)."]

