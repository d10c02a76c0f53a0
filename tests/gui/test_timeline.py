"""The timeline in the real window: drag it or click the loss curve and every view shows that
epoch; it says it is the past; End goes back to live; Replay plays the record back; "Continue
from here" makes a branch that stays on the loss plot."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnviz.core.training import Trainer

from .test_small_things import blow_up

TIMEOUT = 30_000

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _trained(w, qtbot, wait_run, epochs=300):
    w.controls.step_buttons[100].click()
    for e in range(200, epochs + 1, 100):
        wait_run(w, e - 100)
        w.controls.step_buttons[100].click()
    return wait_run(w, epochs)


def test_300_epochs_replayed_dragged_through_and_branched_from_the_menu(main_window, qtbot,
                                                                        wait_run):
    """One run of 300 epochs for the three checks below (each trained its own window): the
    replay (first: it plays the whole record back from the live end), the drag through every
    view, then the branches from the menu and Ctrl+B (last: they make branches)."""
    w = main_window
    live = _trained(w, qtbot, wait_run)
    replay_plays_the_run_back_without_training(w, qtbot, wait_run)
    dragging_the_timeline_shows_that_epoch_in_every_view(w, qtbot, wait_run, live)
    the_menu_and_ctrl_b_branch_from_the_epoch_shown(w, qtbot, wait_run)


def dragging_the_timeline_shows_that_epoch_in_every_view(main_window, qtbot, wait_run, live):
    w = main_window
    assert not w.last_snapshot.past and w.last_snapshot.epoch == 300  # (the live end)
    views = w._inspection_views
    for name in ("network", "neurons", "hidden-space", "gradients", "main"):
        w.show_view(name)
        w.timeline.slider.setValue(120 if name != "main" else 80)  # as a drag ends
        target = 120 if name != "main" else 80
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == target, timeout=TIMEOUT)
        s = w.last_snapshot
        assert s.past and s.live_epoch == 300
        if name != "main":
            qtbot.waitUntil(lambda: views[name].snapshot is w.last_snapshot, timeout=TIMEOUT)
        # (The label says it on one line, shorter in a narrow column: "120/300" in the past's
        # bold colour, the whole "Past: epoch 120 of 300" in its tooltip.)
        assert "of 300" in w.controls.epoch.text() and f"{target}/300" in \
            w.timeline.label.text().replace(" of ", "/") and "Past" in w.timeline.label.full_text()
        assert w.loss_plot.marker.isVisible() and w.loss_plot.marker.value() == target
        w.timeline.go(None)
        qtbot.waitUntil(lambda: not w.last_snapshot.past, timeout=TIMEOUT)
    # The model shown was the run's own at that epoch.
    w.timeline.slider.setValue(80)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 80, timeout=TIMEOUT)
    straight = Trainer(live.spec, live.config, w.dataset)
    straight.run(80)
    for (wa, ba), (wb, bb) in zip(w.last_snapshot.params, straight.params):
        assert np.array_equal(wa, np.asarray(wb)) and np.array_equal(ba, np.asarray(bb))
    assert not np.array_equal(w.last_snapshot.grid.values, live.grid.values)


def test_200_epochs_moved_through_by_the_handle_the_keys_and_a_click(main_window, qtbot,
                                                                      wait_run):
    """One run of 200 epochs for the two checks below (each trained its own window): the loss
    plot's handle and the slider's keys (first: the handle at the live end), then the window's
    keys and a click on the loss curve (last: it ends presenting, a Step trained)."""
    w = main_window
    _trained(w, qtbot, wait_run, 200)
    the_handle_on_the_loss_plot_and_the_slider_keys_move_through_time(w, qtbot, wait_run)
    keys_and_a_click_on_the_loss_curve_move_through_the_run(w, qtbot, wait_run)


def keys_and_a_click_on_the_loss_curve_move_through_the_run(main_window, qtbot, wait_run):
    w = main_window
    assert w.last_snapshot.live_epoch == 200  # (trained: 200)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 0, timeout=TIMEOUT)
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 1, timeout=TIMEOUT)
    assert w.last_snapshot.live_epoch == 200  # the keys look; they do not train
    qtbot.keyClick(w, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: not w.last_snapshot.past and w.last_snapshot.epoch == 200,
                    timeout=TIMEOUT)
    # A click on the loss plot at epoch ~50.
    vb = w.loss_plot.getPlotItem().getViewBox()
    scene_pos = vb.mapViewToScene(QPointF(50, 0.2))
    view_pos = w.loss_plot.mapFromScene(scene_pos)
    qtbot.mouseClick(w.loss_plot.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    qtbot.waitUntil(lambda: w.last_snapshot.past, timeout=TIMEOUT)
    shown = w.last_snapshot.epoch
    assert abs(shown - 50) <= 3
    # Step trains at the live end, and says so: the view leaves the epoch shown (r19 #4) ...
    w.resize(1024, 768)
    w.set_presentation(True)
    qtbot.waitUntil(lambda: w.statusBar().lines == 2 and w.width() == 1024, timeout=TIMEOUT)
    w.controls.step.click()
    said = w.statusBar().currentMessage()
    assert f"live end, epoch 200; Ctrl+B continues from epoch {shown:,}" in said, said
    # ... on one line, whole, on a projector: on two it hung over the timeline's slider and
    # the check boxes under the plot for its ten seconds (review r29 M3).
    drawn = w.statusBar().displayed_message()
    assert drawn == said, drawn
    wait_run(w, 201)
    assert not w.last_snapshot.past


def replay_plays_the_run_back_without_training(main_window, qtbot, wait_run):
    w = main_window
    assert w.last_snapshot.epoch == 300 and not w.last_snapshot.past  # (trained: 300)
    w.timeline.speed.setProperty("chosen", True)
    w.timeline.speed.setCurrentIndex(w.timeline.speed.findData(300))
    shown = []
    w.snapshot_drawn.connect(lambda s: shown.append(s.epoch))
    w.timeline.replay.click()
    qtbot.waitUntil(lambda: not w.timeline.replay.isChecked(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 300 and not w.last_snapshot.past,
                    timeout=TIMEOUT)
    past = [e for e in shown if e < 300]
    assert len(past) >= 5 and past == sorted(past)  # forward, frame after frame
    assert w.worker.loop.trainer.epoch == 300  # nothing was trained


def test_continue_from_here_keeps_both_branches_on_the_loss_plot(main_window, qtbot, wait_run):
    w = main_window
    _trained(w, qtbot, wait_run, 300)
    w.timeline.slider.setValue(100)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 100, timeout=TIMEOUT)
    w.set_learning_rate(0.3)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    s = w.last_snapshot
    assert s.epoch == 100 and not s.past
    assert "run 1" in w.loss_plot._branch_curves
    # its whole curve, to the loss of its end's weights one epoch on, as it ended live
    assert w.loss_plot._branch_curves["run 1"].xData[-1] == 301
    assert w.timeline.branches.isVisible() and w.timeline.branches.count() == 2
    w.controls.step_buttons[100].click()
    wait_run(w, 200)
    # Back to the first branch, where it stopped.
    w.timeline.branches.setCurrentIndex(0)
    w.timeline.branches.activated.emit(0)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    assert w.last_snapshot.epoch == 300
    assert "run 2" in w.loss_plot._branch_curves
    # each branch keeps the colour it was made with, whichever is live (run 2 is not the
    # first colour because run 1 is live now)
    assert [(b.name, b.colour) for b in w.last_snapshot.branches] == [("run 2", 1)]


def _key_colour(w, name: str) -> tuple:
    """The colour of branch ``name`` in the loss plot's key, and that of its curve."""
    sample = next(sample for sample, label in w.loss_plot.legend.items  # (then its loss)
                  if label.text == name or label.text.startswith((f"{name}:", f"{name} (")))
    curve = w.loss_plot._branch_curves[name]
    assert sample.item is curve
    return curve.opts["pen"].color().getRgb()[:3]


def _switch(w, qtbot, name):
    i = w.timeline.branches.findText(name)
    w.timeline.branches.setCurrentIndex(i)
    w.timeline.branches.activated.emit(i)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == name, timeout=TIMEOUT)


def _fork_at(w, qtbot, epoch, name):
    w.timeline.slider.setValue(epoch)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == name, timeout=TIMEOUT)


def test_a_branch_keeps_its_colour_when_an_earlier_branch_is_deleted(main_window, qtbot,
                                                                     wait_run, monkeypatch,
                                                                     tmp_path):
    """Deleting "run 2" turned "run 3" the colour run 2 had had: the curve a learner was
    watching changed colour. It keeps its own, in the curve and in the key, through Undo and
    Redo of the delete, and in a session saved and opened again."""
    from PySide6.QtWidgets import QMessageBox
    w = main_window
    _trained(w, qtbot, wait_run, 300)
    _fork_at(w, qtbot, 100, "run 2")
    _switch(w, qtbot, "run 1")
    _fork_at(w, qtbot, 200, "run 3")
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: {"run 2", "run 3"} <= set(w.loss_plot._branch_curves),
                    timeout=TIMEOUT)
    run2, run3 = _key_colour(w, "run 2"), _key_colour(w, "run 3")
    assert run3 != run2
    # Delete run 2 (the branch the timeline shows: switch to it first); run 3 goes live, then
    # run 1 again: run 3 is drawn beside it anew.
    _switch(w, qtbot, "run 2")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.timeline.delete_action.trigger()
    qtbot.waitUntil(lambda: "run 2" not in [w.last_snapshot.branch,
                                            *(b.name for b in w.last_snapshot.branches)],
                    timeout=TIMEOUT)
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: "run 3" in w.loss_plot._branch_curves, timeout=TIMEOUT)
    assert _key_colour(w, "run 3") == run3
    # Undo brings run 2 back, live as it was when deleted, in its own colour; Redo deletes it
    # again. Run 3 keeps its colour throughout.
    actions = w.session_actions
    assert actions.undo_action.text().replace("&", "") == "Undo delete branch run 2"
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: {"run 2", "run 3"} <= set(w.loss_plot._branch_curves),
                    timeout=TIMEOUT)
    assert (_key_colour(w, "run 2"), _key_colour(w, "run 3")) == (run2, run3)
    actions.redo_action.trigger()  # (run 1 is live: run 2 goes from beside it)
    qtbot.waitUntil(lambda: [b.name for b in w.last_snapshot.branches] == ["run 3"],
                    timeout=TIMEOUT)
    assert _key_colour(w, "run 3") == run3
    # Saved and opened again (the window's own session actions), it is still run 3's colour.
    path = str(tmp_path / "branches.nnviz")
    with qtbot.waitSignal(w.session_actions.saved, timeout=TIMEOUT):
        w.session_actions.save_to(path)
    w.reset()
    wait_run(w, 0)
    w.session_actions.open_session(path)
    assert [b.name for b in wait_run(w).branches] == ["run 3"]
    qtbot.waitUntil(lambda: "run 3" in w.loss_plot._branch_curves, timeout=TIMEOUT)
    assert _key_colour(w, "run 3") == run3


def the_menu_and_ctrl_b_branch_from_the_epoch_shown(main_window, qtbot, wait_run):
    """They branched from epoch 0 once (the action's 'checked' argument arrived as the epoch)."""
    w = main_window
    assert w.last_snapshot.live_epoch == 300  # (trained: 300)
    w.timeline.slider.setValue(120)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 120, timeout=TIMEOUT)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    assert w.last_snapshot.epoch == 120 and not w.last_snapshot.past
    action = next(a for a in w.run_menu.actions() if "Continue from here" in a.text())
    w.timeline.slider.setValue(60)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 60, timeout=TIMEOUT)
    action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 3", timeout=TIMEOUT)
    assert w.last_snapshot.epoch == 60


def the_handle_on_the_loss_plot_and_the_slider_keys_move_through_time(main_window, qtbot,
                                                                            wait_run):
    w = main_window
    marker = w.loss_plot.marker
    assert marker.isVisible() and marker.value() == 200  # the live end's handle
    marker.setValue(75.2)
    marker.sigDragged.emit(marker)  # as a drag does
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 75, timeout=TIMEOUT)
    # Right on a focused slider moves it; it does not train an epoch (the window's Step key).
    w.timeline.slider.setFocus()
    qtbot.keyClick(w.timeline.slider, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 76, timeout=TIMEOUT)
    assert w.last_snapshot.live_epoch == 200


def test_100_epochs_replayed_at_a_chosen_pace_then_branched(main_window, qtbot, wait_run,
                                                             monkeypatch):
    """One run of 100 epochs for the two checks below (each trained its own window): the
    replay's pace kept (first: it ends at the live end), then a branch's rate and its delete
    (last: it makes a branch)."""
    w = main_window
    _trained(w, qtbot, wait_run, 100)
    a_chosen_replay_pace_is_kept(w, qtbot, wait_run)
    switching_branch_shows_its_learning_rate_and_delete_asks_first(w, qtbot, wait_run,
                                                                   monkeypatch)


def a_chosen_replay_pace_is_kept(main_window, qtbot, wait_run):
    w = main_window
    box = w.timeline.speed
    i = box.findData(30_000)
    box.setCurrentIndex(i)
    box.activated.emit(i)  # as a user's pick does
    w.timeline.replay.click()
    assert box.currentData() == 30_000
    qtbot.waitUntil(lambda: not w.timeline.replay.isChecked(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not w.last_snapshot.past and w.last_snapshot.epoch == 100,
                    timeout=TIMEOUT)  # (the replay's end: the live end again)


def switching_branch_shows_its_learning_rate_and_delete_asks_first(main_window, qtbot,
                                                                        wait_run, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    w = main_window
    assert w.last_snapshot.live_epoch == 100  # (trained: 100)
    w.timeline.slider.setValue(50)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 50, timeout=TIMEOUT)
    w.set_learning_rate(0.25)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    w.timeline.branches.setCurrentIndex(0)
    w.timeline.branches.activated.emit(0)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == 1.0, timeout=TIMEOUT)
    assert w.worker.loop.trainer.learning_rate == 1.0
    # A click on the list leaves the keys with the window: picked with the mouse, it kept the
    # focus without a ring, and Home and End switched branch instead of moving in time (r30).
    from PySide6.QtWidgets import QApplication
    w.setFocus()
    qtbot.mouseClick(w.timeline.branches, Qt.MouseButton.LeftButton)
    w.timeline.branches.hidePopup()
    assert not w.timeline.branches.hasFocus()
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch == 0, timeout=TIMEOUT)
    assert w.last_snapshot.branch == "run 1"
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    asked = []
    w.timeline.delete_requested.connect(asked.append)
    w.timeline.delete_action.trigger()
    assert asked == [] and w.timeline.branches.count() == 2  # cancelled: nothing asked of it
    w.timeline.delete_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2" and not w.last_snapshot.branches,
                    timeout=TIMEOUT)


def test_a_click_on_the_timelines_track_goes_to_the_epoch_clicked(qtbot):
    """A click on the slider's track stepped a page (a twentieth of the run: 59 epochs of
    1,195) towards the click; it goes to the epoch under the click, and the handle follows a
    drag from there."""
    from types import SimpleNamespace
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider
    from nnviz.gui.timeline import Timeline
    t = Timeline()
    qtbot.addWidget(t)
    t.resize(600, 60)
    t.show()
    t.update_snapshot(SimpleNamespace(live_epoch=1195, epoch=1195, branch="", first_epoch=0,
                                      branches=(), past=False))
    shown = []
    t.show_epoch.connect(shown.append)
    s = t.slider
    opt = QStyleOptionSlider()
    s.initStyleOption(opt)
    groove = s.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderGroove, s)
    handle = s.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderHandle, s)
    span = groove.width() - handle.width()
    for share in (0.25, 0.6):
        x = round(groove.left() + handle.width() / 2 + share * span)
        qtbot.mouseClick(s, Qt.MouseButton.LeftButton, pos=QPoint(x, groove.center().y()))
        assert shown and shown[-1] == pytest.approx(share * 1195, abs=1195 / span + 1), shown
    at = shown[-1]
    x = round(groove.left() + handle.width() / 2 + 0.6 * span)
    qtbot.mousePress(s, Qt.MouseButton.LeftButton, pos=QPoint(x, groove.center().y()))
    qtbot.mouseMove(s, QPoint(x - round(0.2 * span), groove.center().y()))
    qtbot.mouseRelease(s, Qt.MouseButton.LeftButton,
                       pos=QPoint(x - round(0.2 * span), groove.center().y()))
    assert shown[-1] == pytest.approx(at - 0.2 * 1195, abs=2 * 1195 / span + 1)


def test_the_wheel_over_the_timeline_and_stop_at_changes_them_only_once_clicked_into(
        bare_window, qtbot, wait_run):
    # Scrolling over the timeline's branches switched the branch shown, and over its pace or
    # "Stop at epoch" changed them: the settings panels' wheel guard covers them too.
    from PySide6.QtWidgets import QApplication

    from .test_main_window import _wheel
    w = bare_window
    tl = w.timeline
    _trained(w, qtbot, wait_run, 100)
    tl.slider.setValue(50)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 50, timeout=TIMEOUT)
    tl.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2" and tl.branches.count() == 2,
                    timeout=TIMEOUT)
    fields = (tl.branches, tl.speed, w.controls.stop_at)
    before = (tl.branches.currentText(), tl.speed.currentText(), w.controls.stop_at.value())
    for f in fields:
        assert not f.hasFocus() and f.isVisible()
        assert not _wheel(f) and not _wheel(f, up=True)
        # no focus by wheel either; the branch list none by a click (Tab only: Home and End
        # went to it after a pick with the mouse, review r30)
        assert f.focusPolicy() == (Qt.FocusPolicy.TabFocus if f is tl.branches
                                   else Qt.FocusPolicy.StrongFocus)
    QApplication.processEvents()  # what a switched branch would have queued
    assert (tl.branches.currentText(), tl.speed.currentText(),
            w.controls.stop_at.value()) == before
    assert w.last_snapshot.branch == "run 2"
    # Clicked into, the field is the wheel's.
    w.activateWindow()
    w.controls.stop_at.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(w.controls.stop_at.hasFocus)
    assert _wheel(w.controls.stop_at, up=True)
    assert w.controls.stop_at.value() == before[2] + w.controls.stop_at.singleStep()
    tl.speed.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(tl.speed.hasFocus)
    was = tl.speed.currentIndex()
    _wheel(tl.speed, up=was == tl.speed.count() - 1)
    assert tl.speed.currentIndex() != was


def test_the_wheel_over_the_speed_slider_changes_the_speed_only_once_clicked_into(bare_window,
                                                                                    qtbot):
    # Scrolling with the pointer passing over the run controls' speed slider changed the
    # training speed: it is guarded as "Stop at epoch" is.
    from PySide6.QtWidgets import QApplication

    from .test_main_window import _wheel
    w = bare_window
    speed = w.controls.speed
    qtbot.waitUntil(speed.isVisible)
    before = (speed.value(), w.controls.speed_value())
    assert not speed.hasFocus()
    assert not _wheel(speed) and not _wheel(speed, up=True)  # left for the window
    assert speed.focusPolicy() != Qt.FocusPolicy.WheelFocus  # no focus by wheel either
    QApplication.processEvents()
    assert (speed.value(), w.controls.speed_value()) == before
    # Clicked into, the slider is the wheel's.
    w.activateWindow()
    speed.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(speed.hasFocus)
    assert _wheel(speed, up=True)
    assert speed.value() == before[0] + 1 and w.controls.speed_value() != before[1]


def _worker_caught_up(w, qtbot):
    """Every command posted so far has been handled by the worker (a request queued after
    them has been answered): what it shows now is what they left."""
    done = []
    w.request_state(done.append, lambda ctx: ctx.trainer.epoch)
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT)
    return done[0]


def test_space_pauses_and_resumes_a_replay_and_trains_only_from_the_live_end(main_window,
                                                                             qtbot, wait_run):
    """Space during a replay went to the live end and trained past the preset's Stop at (the
    status still said 'stopped at epoch 500'): it pauses the replay where it is, as a media
    player's Space does; Space again goes on with the replay; at the live end it trains."""
    w = main_window
    w.set_stop_at(120)
    w.play()
    qtbot.waitUntil(lambda: not w.playing and w.last_snapshot.live_epoch == 120,
                    timeout=TIMEOUT)
    assert w.controls.status.text().startswith("stopped at epoch 120")
    tl = w.timeline
    tl.speed.setProperty("chosen", True)
    tl.speed.setCurrentIndex(tl.speed.findData(30))  # four seconds to replay it
    qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch >= 5, timeout=TIMEOUT)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert not tl.replay.isChecked() and not w.playing
    assert w.controls.play.text().endswith("Play")  # nothing trains
    paused = tl.slider.value()
    assert _worker_caught_up(w, qtbot) == 120  # not one epoch trained
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == paused, timeout=TIMEOUT)
    assert w.last_snapshot.past and "Past" in tl.label.full_text()
    assert tl.slider.value() == paused  # it stays where it paused
    # Space again: the replay goes on from there, to the live end, without training.
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert tl.replay.isChecked()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > paused, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not tl.replay.isChecked() and not w.last_snapshot.past,
                    timeout=TIMEOUT)
    assert _worker_caught_up(w, qtbot) == 120 and w.last_snapshot.live_epoch == 120
    # At the live end Space trains on, and the stop it passed is no longer news.
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert w.playing
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch > 125, timeout=TIMEOUT)
    assert not w.controls.status.text().startswith("stopped at")
    w.pause()


def _replaying(w, qtbot) -> None:
    """120 epochs trained (a Step: no frame on the way is looked at; they were played at the
    paced speed to a Stop at of 120, a frame drawn for each), then a replay at 10 epochs a
    second, past its fifth epoch."""
    w.step(120)
    qtbot.waitUntil(lambda: not w.playing and w.last_snapshot.live_epoch == 120
                    and not w.last_snapshot.past, timeout=TIMEOUT)
    tl = w.timeline
    tl.speed.setProperty("chosen", True)
    tl.speed.setCurrentIndex(tl.speed.findData(10))
    qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch >= 5, timeout=TIMEOUT)


@pytest.mark.parametrize("how", ["button", "button then a step"])
def test_space_goes_on_with_a_replay_its_button_paused(main_window, qtbot, how):
    """The Replay button reads Pause while a replay plays, and its tip says Space does the
    same; paused by the button (or by Space, then moved a step), Space trained from the live
    end: a reviewer's run was at epoch 500,071 before they stopped it."""
    w, tl = main_window, main_window.timeline
    _replaying(w, qtbot)
    qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)  # Pause
    assert not tl.replay.isChecked()
    at = tl.slider.value()
    if how == "button then a step":
        tl.step(1)
        at += 1
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == at, timeout=TIMEOUT)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert tl.replay.isChecked() and not w.playing  # the replay goes on; nothing trains
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > at, timeout=TIMEOUT)
    tl.replay.setChecked(False)
    assert _worker_caught_up(w, qtbot) == 120


def test_space_resumes_a_replay_paused_while_an_earlier_epoch_was_still_arriving(main_window,
                                                                              qtbot):
    """Under load the picture lags the replay: Space paused it while an earlier epoch's snapshot
    was still to arrive; that snapshot pulled the handle back, the pause took its epoch, and
    the next Space, finding the handle moved on, trained from the live end."""
    from dataclasses import replace
    w, tl = main_window, main_window.timeline
    _replaying(w, qtbot)
    late = replace(w.last_snapshot, epoch=2, asked_epoch=2)  # an earlier ask's, arriving late
    tl.update_snapshot(late)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert not tl.replay.isChecked()
    asked = tl.slider.value()
    assert asked >= 5  # the handle stays where the replay had got to
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == asked, timeout=TIMEOUT)
    assert tl.slider.value() == asked
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert tl.replay.isChecked() and not w.playing  # the replay goes on; nothing trains
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > asked, timeout=TIMEOUT)
    tl.replay.setChecked(False)
    assert _worker_caught_up(w, qtbot) == 120


def test_a_rate_set_in_the_past_says_where_it_applies_and_save_keeps_it_to_go_on_with(
        main_window, qtbot, wait_run, tmp_path):
    """Set at a past epoch, the rate applied nowhere the window said: the field showed 0.3, Save
    wrote the run's 1, and the new rate took effect only after a Step. A note says where it
    applies; the file keeps it as the rate to go on with (the epochs trained keep theirs), so
    that the file goes on as the window does."""
    from nnviz.core import session as session_io
    w = main_window
    _trained(w, qtbot, wait_run, 200)
    rate = w.last_snapshot.config.learning_rate
    assert rate != 0.3
    w.timeline.slider.setValue(120)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 120, timeout=TIMEOUT)
    lr = w.training_panel.lr
    w.panels_scroll.reveal(lr)
    lr.setEditText("0.3")
    lr.lineEdit().editingFinished.emit()
    note = w.training_panel.message
    assert note.isVisibleTo(w) and not note.is_error()
    assert note.text().startswith("0.3 applies when training goes on")
    assert "branches at epoch 120 at 0.3" in note.text() and "(epoch 200)" in note.text()
    # Scrubbed elsewhere, the note follows the epoch shown.
    w.timeline.slider.setValue(150)
    qtbot.waitUntil(lambda: "branches at epoch 150" in note.text(), timeout=TIMEOUT)
    path = tmp_path / "pending.nnviz"
    w.session_actions.save_to(str(path))
    qtbot.waitUntil(lambda: w.session_actions.path == str(path), timeout=TIMEOUT)
    saved = session_io.load(path)
    assert saved.epoch == 200 and saved.config.learning_rate == 0.3
    assert saved.make_trainer().learning_rate == pytest.approx(0.3)
    kept = [float(c.state.opt_state.hyperparams["learning_rate"])
            for c in saved.run.log.checkpoints]
    assert kept[-1] == pytest.approx(0.3) and all(r == pytest.approx(rate) for r in kept[:-1])
    assert np.array_equal(saved.history.arrays()[1], w.last_snapshot.loss_values)
    assert note.isVisibleTo(w)  # still waiting: the window still shows the past
    assert w.last_snapshot.past and w.last_snapshot.live_epoch == 200
    # End: back to the live end, where it applies; the note goes. The file goes on the same.
    w.timeline.go(None)
    qtbot.waitUntil(lambda: not w.last_snapshot.past, timeout=TIMEOUT)
    assert not note.isVisibleTo(w)
    w.step(10)
    s = wait_run(w, 210)
    assert s.config.learning_rate == 0.3
    again = saved.make_trainer()
    again.run(10)
    for (wa, ba), (wb, bb) in zip(s.params, again.params):
        assert np.allclose(wa, np.asarray(wb), rtol=0, atol=1e-6)
        assert np.allclose(ba, np.asarray(bb), rtol=0, atol=1e-6)


def test_redo_after_undoing_a_branch_delete_changes_that_branchs_rate_only(main_window, qtbot,
                                                                          wait_run,
                                                                          monkeypatch):
    """A reviewer changed the rate on "run 2", deleted it, pressed Ctrl+Z twice and Ctrl+Shift+Z:
    "Redo learning rate 0.05 -> 0.5" gave run 1 the deleted branch's rate (the delete was not a
    step, so the rate change was redone on the run left). Now Undo brings the branch back
    first, and the rate's undo and redo act on it."""
    from PySide6.QtWidgets import QMessageBox
    w, actions = main_window, main_window.session_actions
    _trained(w, qtbot, wait_run, 200)
    rate = w.training_panel.lr.value()
    _fork_at(w, qtbot, 100, "run 2")
    field = w.training_panel.lr.lineEdit()
    field.setText("0.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.worker.loop.trainer.config.learning_rate == 0.5, timeout=TIMEOUT)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.timeline.delete_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.worker.loop.trainer.config.learning_rate == rate, timeout=TIMEOUT)
    actions.undo_action.trigger()  # the delete: run 2 back, live
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    actions.undo_action.trigger()  # the rate, on run 2
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == rate, timeout=TIMEOUT)
    assert actions.redo_action.text().replace("&", "") == f"Redo learning rate {rate:g} \u2192 0.5"
    actions.redo_action.trigger()
    qtbot.waitUntil(lambda: w.worker.loop.trainer.config.learning_rate == 0.5, timeout=TIMEOUT)
    assert w.last_snapshot.branch == "run 2"
    _switch(w, qtbot, "run 1")  # run 1 keeps the rate it had
    qtbot.waitUntil(lambda: w.worker.loop.trainer.config.learning_rate == rate, timeout=TIMEOUT)


def test_a_diverged_branch_says_so_again_when_switched_back_to(bare_window, qtbot):
    """After a divergence the counter says whose weights it draws ("Epoch 0", "restored;
    diverged after epoch N" under it: the best, put back). Continued from before the
    divergence and switched back, the diverged branch said plain "Epoch 2" under the banner
    that explained the restore: the branch's end was saved over the restore's record. It says
    the same as before it was left; a new rate set at that end (the same weights) keeps it
    too, until training goes on."""
    w = bare_window
    blow_up(w, qtbot)
    qtbot.waitUntil(lambda: w.banner.isVisible() and "restored" in
                    w.controls.epoch.text(), timeout=TIMEOUT)
    epoch, counter, banner = w.last_snapshot.live_epoch, w.controls.epoch.text(), w.banner.text()
    _fork_at(w, qtbot, epoch - 1, "run 2")
    assert "diverged" not in w.controls.epoch.text() and not w.banner.isVisible()
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: w.controls.epoch.text() == counter, timeout=TIMEOUT)
    assert w.banner.isVisible() and w.banner.text() == banner

    w.set_learning_rate(0.5)  # at the live end: the weights are still the restored ones
    qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == 0.5, timeout=TIMEOUT)
    assert w.controls.epoch.text() == counter
    _switch(w, qtbot, "run 2")
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: w.controls.epoch.text() == counter, timeout=TIMEOUT)
    w.step(1)
    qtbot.waitUntil(lambda: w.last_snapshot.live_epoch == epoch + 1, timeout=TIMEOUT)
    assert w.controls.epoch.text() == f"Epoch {epoch + 1:,}"


def _type_rate(w, qtbot, rate: str) -> None:
    field = w.training_panel.lr.lineEdit()
    field.setText(rate)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.worker.loop.trainer.config.learning_rate == float(rate),
                    timeout=TIMEOUT)


def test_undo_of_a_rate_change_acts_on_the_branch_it_was_made_on(main_window, qtbot, wait_run):
    """A reviewer set 0.5 on "run 2", switched to "run 1" by hand and pressed Ctrl+Z: the undo
    set the rate of run 1, which nobody had changed, and run 2 kept 0.5 (Redo then gave run 1
    the 0.5). The rate's undo and redo go back to the branch it was made on, and act there;
    while another branch is shown the Edit menu says which; and a rate changed on the branch
    switched to is undone to that branch's own rate (it was the other branch's)."""
    w, actions = main_window, main_window.session_actions
    _trained(w, qtbot, wait_run, 100)
    rate = w.training_panel.lr.value()
    _fork_at(w, qtbot, 50, "run 2")
    _type_rate(w, qtbot, "0.5")
    assert actions.undo_action.text().replace("&", "") == \
        f"Undo learning rate {rate:g} \u2192 0.5"  # the branch shown: no need to name it
    _switch(w, qtbot, "run 1")
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == rate, timeout=TIMEOUT)
    assert actions.undo_action.text().replace("&", "") == \
        f"Undo learning rate {rate:g} \u2192 0.5 on run 2"

    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == rate, timeout=TIMEOUT)
    assert w.last_snapshot.config.learning_rate == rate
    assert "run 2" in w.statusBar().currentMessage()
    actions.redo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == 0.5, timeout=TIMEOUT)
    assert w.last_snapshot.branch == "run 2" and w.training_panel.lr.value() == 0.5

    _switch(w, qtbot, "run 1")  # run 1 kept its rate through all that
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == rate, timeout=TIMEOUT)
    _type_rate(w, qtbot, "0.2")
    assert actions.undo_action.text().replace("&", "") == f"Undo learning rate {rate:g} \u2192 0.2"
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.config.learning_rate == rate, timeout=TIMEOUT)
    assert w.last_snapshot.branch == "run 1" and w.training_panel.lr.value() == rate


@pytest.mark.parametrize("live", [2**31 - 1, 2**31, 3 * 2**31 + 5])
def test_the_slider_holds_a_run_longer_than_a_qt_int_at_the_right_place(qtbot, live):
    """The slider is a C int: a run past 2^31 - 1 epochs (trained on in the window) overflowed
    it. Its positions stand for several epochs each then; the handle stays where the epoch is,
    a drag or a click goes to the epoch there, and its end is the live end. (The state is made
    directly: no run trains that long in a test.)"""
    from types import SimpleNamespace
    from nnviz.gui.timeline import Timeline
    t = Timeline()
    qtbot.addWidget(t)
    t.resize(600, 60)
    t.show()
    shown = []
    t.show_epoch.connect(shown.append)
    epoch = live // 4 + 3  # a past epoch, a quarter of the way
    t.update_snapshot(SimpleNamespace(live_epoch=live, epoch=epoch, branch="", first_epoch=0,
                                      branches=(), past=True))
    s = t.slider
    assert s.maximum() <= 2**31 - 1
    assert (s.value() - s.minimum()) / (s.maximum() - s.minimum()) == pytest.approx(0.25)
    assert t.label.full_text() == f"Past: epoch {epoch:,} of {live:,}"
    s.setValue(s.maximum() // 2)  # a drag to the middle: the middle epoch
    assert shown[-1] == pytest.approx(live / 2, abs=live / s.maximum() + 1)
    s.setValue(s.maximum())  # to the end: the live end itself
    assert shown[-1] is None
    t.go(live - 1)  # (Ctrl+Left from the end) one epoch back, exactly
    assert shown[-1] == live - 1 and s.value() < s.maximum()  # the handle is in the past
    t.go(None)
    assert shown[-1] is None and s.value() == s.maximum()


def test_while_live_the_slider_repaints_only_when_its_handle_moves(qtbot):
    """Every frame of a training run sets a longer range with the value at its end: the handle
    stays at the end, drawn as it was, and the slider is not repainted for it (~0.5-1 ms of a
    frame at 100,000 points); a value the handle moves for is drawn."""
    from types import SimpleNamespace
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication
    from nnviz.gui.timeline import Timeline
    t = Timeline()
    qtbot.addWidget(t)
    t.resize(600, 60)
    t.show()
    qtbot.waitExposed(t)

    def live(epoch, shown=None):
        t.update_snapshot(SimpleNamespace(live_epoch=epoch, epoch=epoch if shown is None
                                          else shown, branch="", first_epoch=0, branches=(),
                                          past=shown is not None))

    paints = []

    class Count(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.append(t.slider.value())
            return False
    counter = Count()
    t.slider.installEventFilter(counter)
    live(1000)
    qtbot.waitUntil(lambda: bool(paints) and paints[-1] == 1000)
    for _ in range(3):  # the first layout settled (the label's first text)
        live(1000)
        QApplication.processEvents()
    n = len(paints)
    for epoch in range(1008, 1200, 8):  # the run goes on, the handle at the end
        live(epoch)
        QApplication.processEvents()
    assert len(paints) == n
    assert t.slider.maximum() == 1192 and t.slider.value() == 1192  # its range and value kept
    live(1200, shown=300)  # the past: the handle moves to a quarter of the track
    qtbot.waitUntil(lambda: len(paints) > n and paints[-1] == 300)


def test_quit_counts_the_epochs_a_branch_trained_since_the_save(main_window, qtbot, wait_run,
                                                                 tmp_path):
    """Saved at 300, branched at 100 and trained 150 there: Quit said "50 epochs" (the live
    end's distance from the epoch saved), which could talk a user into discarding a branch;
    switching back to the saved branch alone made the run unsaved."""
    w = main_window
    actions = w.session_actions
    _trained(w, qtbot, wait_run, 300)
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(tmp_path / "lab.nnviz"))
    assert actions.unsaved_epochs() == 0 and not w.isWindowModified()
    w.timeline.slider.setValue(100)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 100, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    w.controls.step_buttons[100].click()
    wait_run(w, 200)
    w.step(50)
    wait_run(w, 250)
    assert actions.unsaved_epochs() == 150
    w.timeline.branches.setCurrentIndex(0)  # back to the saved branch: the 150 are still new
    w.timeline.branches.activated.emit(0)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 1", timeout=TIMEOUT)
    assert w.last_snapshot.live_epoch == 300
    assert actions.unsaved_epochs() == 150 and w.isWindowModified()
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(tmp_path / "lab.nnviz"))
    assert actions.unsaved_epochs() == 0
    w.timeline.branches.setCurrentIndex(1)  # a switch of branch trains nothing
    w.timeline.branches.activated.emit(1)
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    assert actions.unsaved_epochs() == 0 and not w.isWindowModified()


@pytest.mark.parametrize("least", [False, True], ids=["as_opened", "least_width"])
def test_the_replay_button_says_it_pauses_while_a_replay_plays_and_keeps_its_width(
        bare_window, qtbot, wait_run, least):
    """r11: the button read "Replay" while a replay played; nothing said that pressing it
    again pauses it. At the window's least width (a 150% laptop screen's) the row's parts are
    at their least: the replay's "0/200" beside the live "200" moved them 15 px."""
    w = bare_window
    if least:
        w.resize(1, 1)
        qtbot.waitUntil(lambda: w.size() == w.minimumSizeHint().expandedTo(w.minimumSize()))
    _trained(w, qtbot, wait_run, 200)
    button, box = w.timeline.replay, w.timeline.speed
    i = box.findData(10)  # the slowest pace: still playing when looked at
    box.setCurrentIndex(i)
    box.activated.emit(i)
    qtbot.waitUntil(lambda: button.width() > 0)
    width, x = button.width(), w.timeline.fork.x()
    assert button.text() == "Replay" and not button.isChecked()
    button.click()
    qtbot.waitUntil(lambda: w.last_snapshot.past, timeout=TIMEOUT)
    assert button.isChecked() and button.text() == "Pause"
    assert "pause" in button.toolTip().lower()
    qtbot.waitUntil(lambda: w.timeline.fork.x() == x)  # the row did not move
    assert button.width() == width
    button.click()  # pauses at the epoch shown
    assert not button.isChecked() and button.text() == "Replay"
    assert "play the recorded run back" in button.toolTip().lower()
    assert button.width() == width and w.timeline.fork.x() == x
