"""A session saved while the timeline shows a past epoch reopens where it was saved: the same
branch at the same epoch, the timeline and the epoch counter saying it is the past; End goes to
the live end. It reopened at the live end. A file without the field (written before), or with
one that is no epoch of the run, opens at the live end, without a word."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from ..conftest import session_copy  # noqa: E402
from .test_session_actions import (  # noqa: E402,F401
    TIMEOUT, _step, own_settings, wait_run, win)
from .test_session_undo import _branched, _open_with_the_menu, _save, _type_rate  # noqa: E402


def _on_screen(w) -> tuple:
    """Where the window says the run is: the branch box, the timeline's words and handle, the
    epoch counter, and whether Live is offered."""
    tl = w.timeline
    return (tl.branches.currentText(), tl.label.full_text(), tl.slider.value(),
            w.controls.epoch.text(), tl.live.isEnabled())


def _shown_by_the_worker(qtbot, w):
    """The epoch the training thread shows (None: the live end), asked after every command
    posted before: an opened file's epoch to show is one of them."""
    got = []
    w.request_state(got.append, lambda ctx: ctx.view_epoch)
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    return got[0]


def test_a_session_saved_looking_at_the_past_reopens_there(win, qtbot, tmp_path, monkeypatch):
    w, actions = win
    _branched(qtbot, w, epochs=40, fork=20, more=10)  # "run 2" at epoch 30, "run 1" beside it
    w.timeline.go(25)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 25, timeout=TIMEOUT)
    seen = _on_screen(w)
    assert seen[0] == "run 2" and "Past: epoch 25 of 30" in seen[1] and seen[2] == 25
    assert "of 30" in seen[3] and seen[4]
    path = tmp_path / "past.nnviz"
    _save(qtbot, actions, path)
    # Save says which epoch is on screen, as the exports do (it said "at epoch 30" alone).
    assert w.statusBar().currentMessage() == "Saved past.nnviz at epoch 30 (showing epoch 25)."
    w.reset()  # another run in between
    wait_run(qtbot, w, 0)

    _open_with_the_menu(qtbot, actions, monkeypatch, path)
    s = wait_run(qtbot, w, 25)
    assert w.statusBar().currentMessage().startswith(
        "Opened past.nnviz: epoch 30 (showing epoch 25), 2 -> 4 -> 10 -> 4 -> 1, gd.")
    assert s.past and (s.branch, s.live_epoch) == ("run 2", 30)
    assert _on_screen(w) == seen
    assert [b.name for b in s.branches] == ["run 1"]  # the other branch is still beside it
    # The usual key goes to the live end of that branch.
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: not w.last_snapshot.past, timeout=TIMEOUT)
    assert (w.last_snapshot.epoch, w.last_snapshot.branch) == (30, "run 2")
    assert w.timeline.label.full_text() == "Live \u00b7 epoch 30" and not w.timeline.live.isEnabled()


def test_an_older_or_damaged_epoch_shown_opens_at_the_live_end(win, qtbot, tmp_path,
                                                               monkeypatch):
    w, actions = win
    _branched(qtbot, w, epochs=40, fork=20, more=10)
    w.timeline.go(25)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 25, timeout=TIMEOUT)
    good = tmp_path / "past.nnviz"
    _save(qtbot, actions, good)
    for value in ("absent", 31, -1, "25", True):
        def change(m, value=value):
            m = dict(m)
            if value == "absent":  # as nnviz wrote sessions before
                del m["shown_epoch"]
            else:
                m["shown_epoch"] = value
            return m
        path = tmp_path / "other.nnviz"
        session_copy(str(good), str(path), manifest=change)
        _open_with_the_menu(qtbot, actions, monkeypatch, path)
        assert actions.message_box is None or not actions.message_box.isVisible(), value
        s = wait_run(qtbot, w, 30)
        assert _shown_by_the_worker(qtbot, w) is None, value
        assert (s.branch, s.past) == ("run 2", False), value
        assert w.timeline.label.full_text() == "Live \u00b7 epoch 30", value


def _pending_in_the_worker(qtbot, w):
    """The rate the training thread keeps for where training goes on next (None: none)."""
    got = []
    w.request_state(got.append, lambda ctx: ctx.pending_lr)
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    return got[0]


def _rate_typed_in_the_past(qtbot, w, rate="0.3", at=25):
    """"run 2" at epoch 30 beside "run 1", shown at epoch ``at`` with ``rate`` typed there:
    what the window says (the screen and the rate's note)."""
    _branched(qtbot, w, epochs=40, fork=20, more=10)
    assert w.last_snapshot.config.learning_rate != float(rate)
    w.timeline.go(at)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == at, timeout=TIMEOUT)
    _type_rate(qtbot, w, rate, live=False)
    note = w.training_panel.message
    assert not note.isHidden() and note.text().startswith(f"{rate} applies when training goes on")
    assert _pending_in_the_worker(qtbot, w) == float(rate)
    return _on_screen(w), note.text()


def _still_waiting_there(qtbot, w, seen, said, rate=0.3, at=25):
    """The window as it was: the epoch shown, the rate in the field and waiting in the worker,
    its note; Continue from here branches there at it."""
    s = wait_run(qtbot, w, at)
    assert s.past and (s.branch, s.live_epoch) == ("run 2", 30)
    note = w.training_panel.message
    qtbot.waitUntil(lambda: note.text() == said, timeout=TIMEOUT)
    assert not note.isHidden() and not note.is_error()
    assert _on_screen(w) == seen and w.training_panel.lr.value() == rate
    assert _pending_in_the_worker(qtbot, w) == rate
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 3", timeout=TIMEOUT)
    s = _step(qtbot, w, 5)
    assert (s.epoch, s.config.learning_rate) == (at + 5, rate)
    assert note.isHidden()  # it applied


def test_a_rate_typed_at_a_past_epoch_reopens_waiting_there(win, qtbot, tmp_path, monkeypatch):
    """A rate typed while the timeline showed epoch 25, then Save: the file opened at epoch
    25 with the rate in the field but no note, and Continue from here branched at the epoch's
    old rate. It reopens as it was saved: the note, and the branch at the rate typed."""
    w, actions = win
    seen, said = _rate_typed_in_the_past(qtbot, w)
    path = tmp_path / "pending.nnviz"
    _save(qtbot, actions, path)
    w.reset()  # another run in between: the note goes with its run
    wait_run(qtbot, w, 0)
    assert w.training_panel.message.isHidden()
    _open_with_the_menu(qtbot, actions, monkeypatch, path)
    _still_waiting_there(qtbot, w, seen, said)


def test_undoing_an_open_returns_to_the_epoch_shown_and_the_rate_typed_there(
        win, qtbot, tmp_path, monkeypatch):
    """File > Open over a run shown at a past epoch, then Edit > Undo: the run came back at its
    live end, the rate typed at that epoch forgotten. It comes back as it was seen."""
    w, actions = win
    other = tmp_path / "other.nnviz"
    _step(qtbot, w, 3)
    _save(qtbot, actions, other)
    seen, said = _rate_typed_in_the_past(qtbot, w)
    _open_with_the_menu(qtbot, actions, monkeypatch, other)
    wait_run(qtbot, w, 3)
    assert w.training_panel.message.isHidden()
    actions.undo_action.trigger()
    _still_waiting_there(qtbot, w, seen, said)


def test_undoing_an_open_over_a_run_shown_in_the_past_without_a_rate(win, qtbot, tmp_path,
                                                                     monkeypatch):
    w, actions = win
    other = tmp_path / "other.nnviz"
    _step(qtbot, w, 3)
    _save(qtbot, actions, other)
    _branched(qtbot, w, epochs=40, fork=20, more=10)
    w.timeline.go(12)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 12, timeout=TIMEOUT)
    seen, rate = _on_screen(w), w.training_panel.lr.value()
    _open_with_the_menu(qtbot, actions, monkeypatch, other)
    wait_run(qtbot, w, 3)
    actions.undo_action.trigger()
    s = wait_run(qtbot, w, 12)
    assert s.past and (s.branch, s.live_epoch) == ("run 2", 30) and _on_screen(w) == seen
    assert _pending_in_the_worker(qtbot, w) is None and w.training_panel.lr.value() == rate
    assert w.training_panel.message.isHidden()
    # Redo: the file as opened, at its live end
    actions.redo_action.trigger()
    s = wait_run(qtbot, w, 3)
    assert not s.past
