"""The pace of Play: a watchable default speed, full speed one step away, and "stop at N epochs"
(the loop stops exactly there and the picture stays; Play goes on past it)."""
from __future__ import annotations

from nnviz.core.loop import NewProblem, Play, SetSpeed, SetStopAt, Step

from .test_worker import Recorder, moons_problem


def play_until_paused(rec: Recorder, turns: int = 10_000):
    rec.do(Play(), 0)
    for _ in range(turns):
        rec.loop.work_once()
        if not rec.loop.playing:
            break
    return rec.last


def test_play_stops_exactly_at_the_stop_epoch_and_the_picture_stays():
    rec = Recorder()
    rec.do(NewProblem(1, moons_problem()))
    rec.do(SetSpeed(None))  # full speed: chunks of many epochs must still stop at N
    rec.do(SetStopAt(1000))
    s = play_until_paused(rec)
    assert not rec.loop.playing and rec.playing[-1] is False
    assert s.epoch == 1000 and s.live_epoch == 1000
    n = len(rec.snapshots)
    for _ in range(5):  # nothing moves any more: the picture stays
        rec.loop.work_once()
    assert rec.last.epoch == 1000 and len(rec.snapshots) == n
    assert any("1,000" in t for t in rec.status)


def test_play_past_the_stop_epoch_trains_on_and_none_never_stops():
    rec = Recorder()
    rec.do(NewProblem(1, moons_problem()))
    rec.do(SetSpeed(50))
    rec.do(SetStopAt(100))
    assert play_until_paused(rec).epoch == 100
    rec.do(Play(), 0)
    for _ in range(5):
        rec.loop.work_once()
    assert rec.loop.playing and rec.last.epoch > 100  # on from N: the teacher wants more
    rec.do(SetStopAt(None))
    for _ in range(5):
        rec.loop.work_once()
    assert rec.loop.playing


def test_steps_are_not_cut_by_the_stop_epoch():
    rec = Recorder()
    rec.do(NewProblem(1, moons_problem()))
    rec.do(SetStopAt(50))
    assert rec.do(Step(100)).epoch == 100


# --- in the window ------------------------------------------------------------------------------

from PySide6.QtCore import Qt  # noqa: E402

from nnviz.gui.controls import DEFAULT_SPEED  # noqa: E402


def test_play_starts_at_a_watchable_pace_and_full_speed_is_one_key_away(bare_window, qtbot):
    w = bare_window
    assert w.controls.speed_value() == DEFAULT_SPEED and w.worker.loop.epochs_per_frame is not None
    assert w.controls.speed_label.text() == f"{DEFAULT_SPEED} epochs/frame"
    qtbot.keyClick(w, Qt.Key.Key_F)
    assert w.controls.speed_value() is None and w.controls.full_speed.isChecked()
    assert w.controls.speed_label.text() == "maximum"
    qtbot.waitUntil(lambda: w.worker.loop.epochs_per_frame is None)
    qtbot.keyClick(w, Qt.Key.Key_F)  # and back to the pace watched at
    assert w.controls.speed_value() == DEFAULT_SPEED and not w.controls.full_speed.isChecked()


def test_a_preset_stops_at_its_epochs_shows_them_and_its_hint_stays(main_window, qtbot, wait_run):
    w = main_window
    actions = w.session_actions
    actions.preset_actions["moons"].trigger()
    assert w.controls.stop_at_value() == 1000
    assert w.hint.isVisible() and "1,000" in w.hint.text()
    wait_run(w)  # compiled: "compiling..." came and went, the hint is still there
    assert w.hint.isVisible() and "1,000" in w.hint.text()
    w.controls.speed.setValue(w.controls.speed.maximum())  # the test need not watch
    w.play()
    qtbot.waitUntil(lambda: not w.playing and w.last_snapshot.epoch == 1000, timeout=120_000)
    assert w.controls.epoch.text() == "Epoch 1,000"
    assert w.controls.play.text() == "Play"
    # The worker's status line comes by a signal of its own: waited for, not assumed there
    # with the snapshot (a loaded machine's run read "ready" at this line a moment before).
    qtbot.waitUntil(lambda: "1,000" in w.controls.status.text())
    assert w.hint.isVisible()
    assert w.last_snapshot.loss_epochs[-1] == 1000  # the loss curve ends at N too
    # A branch forked at 266 is not "stopped at epoch 1,000": that news went with the run.
    w.timeline.slider.setValue(266)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 266, timeout=120_000)
    assert "stopped at epoch 1,000" in w.controls.status.text()  # still the live run's news
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=120_000)
    assert "stopped at" not in w.controls.status.text()
