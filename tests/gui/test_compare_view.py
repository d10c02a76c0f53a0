"""The Compare view with a real sweep trained in the window's worker thread: it draws, Play,
Pause and Step drive the sweep, a diverging member is shown as such, and a promoted member
becomes the main run with its history."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core import session as session_io
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Choices, make_problem, notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from tests.conftest import FIRST_SNAPSHOT_MS, wait_for_run

LRS = (0.3, 1.0, 3.0)


def _compare(qtbot, window, spec):
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start(spec)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    return view


def _at(qtbot, view, epoch):
    qtbot.waitUntil(lambda: view.drawn.epoch == epoch and view.members_of == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    return view.drawn


def _sweep_epoch(qtbot, window):
    """The sweep's epoch, asked in the worker thread (after every command posted before)."""
    got = []
    window.worker.sweep_request(lambda sweep: sweep.epoch, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=FIRST_SNAPSHOT_MS)
    return got[0]


@pytest.fixture
def lr_view(qtbot, main_window):
    spec = SweepSpec(notebook_problem(), (Axis("learning_rate", LRS),))
    return main_window, _compare(qtbot, main_window, spec)


def test_no_star_while_tied_a_step_is_exact_then_the_view_draws_tiles_named_curves_table(
        qtbot, lr_view):
    """Three tests, each building this window and sweep and stepping it, in one: at epoch 0 no
    member is starred; a Step of 20 trains exactly 20 epochs; 20 more, and the view draws
    them, each curve named at its end (_each_curve_is_named_at_its_end_without_names_touching,
    below)."""
    from PySide6.QtCore import QRectF

    from nnviz.gui import colors
    window, view = lr_view
    # At epoch 0 every learning rate has the same weights and the same loss: the star went to
    # the first row (lr 0.3 here, 0.01 in the ready-made sweep) as if it had won.
    s = _at(qtbot, view, 0)
    assert len({sc["test_loss"] for sc in s.scores}) == 1  # tied, to the last digit
    model = view.table.model()
    assert model.rowCount() == len(LRS)
    assert not [r for r in range(model.rowCount()) if model.index(r, 0).data() == "\u2605"]
    assert not any(t.textItem.toPlainText().startswith("\u2605") for t in view.tiles.labels)
    assert not view.score_plot.best_mark.data.size
    # A short Step completes exactly n epochs. (No Pause here: a Step runs in chunks sized by
    # the time epochs take, and Pause stops it between two, as
    # test_a_long_sweep_step_is_paused_part_way_and_says_where shows; on a busy machine a Step
    # of 20 is several chunks.)
    window.step(20)  # trained apart: one member is the best
    assert [int(e[-1]) for e, _ in _at(qtbot, view, 20).loss_curves] == [20] * len(LRS)
    qtbot.waitUntil(lambda: not window.playing, timeout=FIRST_SNAPSHOT_MS)  # the Step is over
    assert _sweep_epoch(qtbot, window) == 20  # not one epoch more
    assert not window.controls.status.text().startswith("the sweep paused")
    qtbot.waitUntil(lambda: [r for r in range(model.rowCount())
                             if model.index(r, 0).data() == "\u2605"] != [])
    assert sum(t.textItem.toPlainText().startswith("\u2605") for t in view.tiles.labels) == 1
    window.step(20)
    s = _at(qtbot, view, 40)
    # Tiles: one mosaic; each member's tile differs from the others (different rates).
    img = view.tiles.image.image
    assert img is not None
    tiles = [img[y:y + 10, x:x + 10] for x, y in _tile_pixels(view, img, s)]
    assert len({t.tobytes() for t in tiles}) == len(LRS)
    assert [t.textItem.toPlainText().lstrip("\u2605 ") for t in view.tiles.labels] == \
        ["lr 0.3", "lr 1", "lr 3"]
    # Curves: every member's 40 epochs of loss.
    assert [len(c.xData) for c in view.curves.curves] == [40] * len(LRS)
    # Table: a row per member, the best starred.
    assert model.rowCount() == len(LRS)
    starred = [r for r in range(model.rowCount()) if model.index(r, 0).data() == "\u2605"]
    assert len(starred) == 1
    assert view.score_plot.test.yData is not None and len(view.score_plot.test.yData) == 3
    # _each_curve_is_named_at_its_end_without_names_touching: a learning-rate sweep's curves
    # run along viridis, and its last few are close teals: each curve says its rate at its end,
    # in its colour, inside the plot, no two names over each other, in the order of the
    # curves' ends from top to bottom.
    curves = view.curves
    vb = curves.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: all(n.isVisible() for n in curves.names))
    assert [n.textItem.toPlainText() for n in curves.names] == ["0.3", "1", "3"]

    plot = curves.getPlotItem()

    def placed() -> bool:
        # The 40 epochs' x range comes at the plot's next paint (pyqtgraph's auto range), and
        # the names with it: before it, they stood where the 20 epochs' range put them (a
        # loaded run read a name at x 424 of a plot ending at 395). In the margin right of the
        # curves, inside the plot.
        return all(plot.sceneBoundingRect().contains(n.mapRectToScene(n.boundingRect()))
                   and n.mapRectToScene(n.boundingRect()).left() >= vb.sceneBoundingRect().right()
                   for n in curves.names)
    qtbot.waitUntil(placed)
    boxes = []
    for name, curve, rgb in zip(curves.names, curves.curves, view._colors):
        assert name.textItem.defaultTextColor().getRgb()[:3] == \
            colors.readable(rgb, colors.background())
        box = name.mapRectToScene(name.boundingRect())
        xs, ys = curve.getData()  # as drawn (log10 of the losses)
        end = curve.mapToScene(xs[-1], ys[-1])
        assert box.left() >= end.x()  # right of the curve's end, over none of the curves
        boxes.append((end.y(), box))
    for i, (_, a) in enumerate(boxes):
        for _, b in boxes[i + 1:]:
            assert not a.intersected(b).isValid() or a.intersected(b).isEmpty(), (a, b)
    by_end = [b for _, b in sorted(boxes, key=lambda e: e[0])]
    assert [b.top() for b in by_end] == sorted(b.top() for b in by_end)


def _tile_pixels(view, img, s):
    """Top-left pixel of each member's picture in the mosaic."""
    from nnviz.gui.compare_tiles import GAP
    res = len(s.xs)
    gap, band = max(1, round(GAP * res)), round(view.tiles.band * res)
    out = []
    for i in range(s.n_members):
        r, c = divmod(i, view.tiles.cols)
        out.append((c * (res + gap) + 5, r * (res + gap + band) + band + 5))
    return out


def test_play_pause_and_step_drive_the_sweep_not_the_main_run(qtbot, lr_view):
    window, view = lr_view
    window.step(7)
    _at(qtbot, view, 7)
    window.play()
    qtbot.waitUntil(lambda: view.drawn.epoch > 50, timeout=FIRST_SNAPSHOT_MS)
    assert "member-epochs/s" in view.title.text()  # the speed: members x epochs per second
    # ... and the data it trains on (review r20 F10: a sweep kept on other data than the main
    # run's, after a preset, read as the preset's)
    assert f"members</b> on {view.drawn.dataset.name}:" in view.title.text()
    window.pause()
    qtbot.waitUntil(lambda: not window.playing, timeout=FIRST_SNAPSHOT_MS)
    paused_at = _sweep_epoch(qtbot, window)
    window.step(3)
    assert _sweep_epoch(qtbot, window) == paused_at + 3  # nothing trained while paused
    _at(qtbot, view, paused_at + 3)
    assert window.controls.epoch.text() == f"Epoch {paused_at + 3:,}"
    # The main run waited at epoch 0 all along; back on its tab, Step drives it again.
    window.show_view("main")
    window.step(5)
    wait_for_run(qtbot, window, 5)
    assert _sweep_epoch(qtbot, window) == paused_at + 3


def test_a_long_sweep_step_is_paused_part_way_and_says_where(qtbot, lr_view):
    # A Step of the sweep runs in chunks, as the main run's: it shows as training (the Pause
    # button), draws as it goes, and Pause stops it there (a big sweep's +1000 ignored Pause).
    window, view = lr_view
    window.step(1_000_000)
    qtbot.waitUntil(lambda: window.playing and view.drawn.epoch > 0, timeout=FIRST_SNAPSHOT_MS)
    assert window.controls.play.text().startswith("Pause")
    window.pause()
    status = window.controls.status
    qtbot.waitUntil(lambda: status.text().startswith("the sweep paused at epoch"),
                    timeout=FIRST_SNAPSHOT_MS)
    at = _sweep_epoch(qtbot, window)
    assert 0 < at < 1_000_000
    assert status.text() == f"the sweep paused at epoch {at:,}: {at:,} of the Step's " \
                            f"1,000,000 epochs done"
    # A frame of before the Pause, drawn after its note came (the queued draw of the last
    # snapshot the sweep published), is no news: the note went at once (CI, load ~3).
    window.sweep_drawn_at(at - 1)
    assert status.text().startswith(f"the sweep paused at epoch {at:,}:")
    _at(qtbot, view, at)  # drawn where it stopped
    assert not window.playing and window.controls.play.text().startswith("Play")
    assert _sweep_epoch(qtbot, window) == at  # paused: the Step does not go on
    window.show_view("main")  # the Compare tab's news stays there
    assert not status.text().startswith("the sweep")


def test_leaving_the_tab_during_a_sweep_step_stops_it_says_where_until_it_moves_on(
        qtbot, lr_view):
    # Another tab takes the controls back for the main run: the sweep's Step stops there, as
    # Pause stops it, and the Compare tab says so when shown again (it stopped without a word).
    window, view = lr_view
    window.step(1_000_000)
    qtbot.waitUntil(lambda: window.playing and view.drawn.epoch > 0, timeout=FIRST_SNAPSHOT_MS)
    window.show_view("main")
    at = _sweep_epoch(qtbot, window)  # (asked after the switch: where it stopped)
    assert 0 < at < 1_000_000 and not window.playing
    status = window.controls.status
    assert not status.text().startswith("the sweep")  # the Compare tab's news stays there
    window.show_view("compare")
    qtbot.waitUntil(lambda: status.text().startswith("the sweep paused at epoch"),
                    timeout=FIRST_SNAPSHOT_MS)
    assert status.text() == f"the sweep paused at epoch {at:,}: {at:,} of the Step's " \
                            f"1,000,000 epochs done"
    assert _sweep_epoch(qtbot, window) == at  # stopped: the Step does not go on
    # "the sweep paused at epoch N: ..." stayed on the Compare tab after the sweep had
    # trained on past N (as "stopped at epoch N (Stop at)" once did). (A test of its own built
    # a window and sweep and paused a Step for this: the same note, by the same code.)
    window.step(3)
    _at(qtbot, view, at + 3)
    qtbot.waitUntil(lambda: not status.text().startswith("the sweep paused"),
                    timeout=FIRST_SNAPSHOT_MS)


def test_a_diverging_member_is_shown_as_such(qtbot, main_window):
    line = make_dataset(DataSpec("line"))
    base = make_problem(line, Choices(hidden=(4,)))  # regression: lr 0.05 trains, 50 blows up
    view = _compare(qtbot, main_window, SweepSpec(base, (Axis("learning_rate", (0.05, 50.0)),)))
    main_window.step(200)
    qtbot.waitUntil(lambda: view.drawn.diverged[1] and view.members_of == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    s = _at(qtbot, view, 200)  # the other member goes on
    assert not s.diverged[0]
    assert "diverged" in view.tiles.labels[1].textItem.toPlainText()
    assert "diverged" not in view.tiles.labels[0].textItem.toPlainText()
    assert "1 diverged" in view.title.text()
    model = view.table.scores
    assert "\u2717" in model.index(1, model.columnCount() - 1).data()
    from PySide6.QtCore import Qt
    assert view.curves.curves[1].opts["pen"].style() == Qt.PenStyle.DashLine


def _undo_text(actions, which="undo"):
    return getattr(actions, f"{which}_action").text().replace("&", "")


def test_promote_is_one_undo_step_and_the_steps_before_stay_with_their_run(qtbot, main_window,
                                                                           tmp_path):
    """A new user's review: after Promote, Edit still offered "Undo learning rate" and "Redo
    added point" of the run before, Redo put that run's edited points under the promoted
    weights, and the promoted run could not be had back; Save then overwrote the run before's
    file with the promoted member."""
    from PySide6.QtCore import Qt
    window, actions = main_window, main_window.session_actions
    # The main run: saved, trained on, its rate changed and a point added (two Undo steps).
    window.step(10)
    wait_for_run(qtbot, window, 10)
    path = tmp_path / "mine.nnviz"
    with qtbot.waitSignal(actions.saved, timeout=FIRST_SNAPSHOT_MS):
        actions.save_to(str(path))
    field = window.training_panel.lr.lineEdit()
    field.setText("0.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    actions.edit_points_action.trigger()
    assert actions.add_point(0.5, 0.5)
    actions.stop_editing_points()
    window.step(20)
    mine = wait_for_run(qtbot, window, 30)
    points = len(window.dataset.X)
    assert window.windowTitle() == "mine.nnviz[*] \u2014 nnviz" and window.isWindowModified()
    actions.undo_action.trigger()  # the point goes; Redo would put it back
    qtbot.waitUntil(lambda: len(window.dataset.X) == points - 1, timeout=FIRST_SNAPSHOT_MS)
    assert _undo_text(actions, "redo") == "Redo added point"

    view = _compare(qtbot, window, SweepSpec(notebook_problem(), (Axis("learning_rate", LRS),)))
    window.step(60)
    s = _at(qtbot, view, 60)
    view.select(2)
    view.promote()
    promoted = wait_for_run(qtbot, window, 60)
    member_data = window.dataset
    assert len(member_data.X) == points - 1 and len(member_data.test_index) > 0
    assert _undo_text(actions) == "Undo promote member lr 3"
    assert not actions.redo_action.isEnabled()  # no "Redo added point" on the promoted run
    assert view.undo_button.isEnabled()
    assert window.windowTitle() == "nnviz[*]"  # not mine.nnviz's run: Save asks for a name
    asked = []
    actions.ask_path = lambda *a, **k: asked.append(a) or ""  # the Save dialog, cancelled
    actions.save_action.trigger()
    assert asked and session_io.load(str(path)).epoch == 10  # the file holds the run before

    # Undo: the run before, as it was -- its epoch, weights, rate, points and file.
    actions.undo_action.trigger()
    back = wait_for_run(qtbot, window, 30)
    np.testing.assert_array_equal(back.params[0][0], mine.params[0][0])
    assert window.current_problem().config.learning_rate == 0.5
    assert len(window.dataset.X) == points - 1
    assert window.windowTitle() == "mine.nnviz[*] \u2014 nnviz" and window.isWindowModified()
    assert _undo_text(actions) == "Undo learning rate 1 \u2192 0.5"
    assert _undo_text(actions, "redo") == "Redo promote member lr 3"
    assert not view.undo_button.isEnabled()  # the next Undo is not the promote's

    # Redo: the promoted run, on its own data (and its test set), not the edited points.
    actions.redo_action.trigger()
    again = wait_for_run(qtbot, window, 60)
    np.testing.assert_array_equal(again.params[0][0], promoted.params[0][0])
    np.testing.assert_array_equal(again.loss_values, s.loss_curves[2][1])
    assert window.dataset.X.shape == member_data.X.shape
    assert len(window.dataset.test_index) > 0 and np.isfinite(again.metrics.test_loss)
    assert window.current_problem().config.learning_rate == LRS[2]
    assert window.windowTitle() == "nnviz[*]"

    # The steps before the promote undo on their own run: the rate of the run before.
    view.undo_promote()  # the Compare tab's button: the same Undo step
    wait_for_run(qtbot, window, 30)
    actions.undo_action.trigger()
    qtbot.waitUntil(lambda: window.current_problem().config.learning_rate == 1.0,
                    timeout=FIRST_SNAPSHOT_MS)
    assert window.run_id == wait_for_run(qtbot, window, 30).run_id  # the same run goes on
    assert len(window.dataset.X) == points - 1


def test_promote_carries_the_members_loss_and_gradient_history_and_can_be_undone(
        qtbot, lr_view, monkeypatch):
    """The member's weights, losses and rate become the main run's, which rewinds and can be
    undone. Three tests, each building this window and training and promoting this member, in
    one: the loss history drawn at once, and the gradient history whole, were two of them."""
    window, view = lr_view
    window.step(300)  # (the gradient history's rows at > 20 checkpoints)
    s = _at(qtbot, view, 300)
    view.select(2)
    got = []
    window.worker.sweep_request(lambda sweep: sweep.params(2), got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=FIRST_SNAPSHOT_MS)
    member_params = got[0]
    # The main loss plot of a promoted member was empty until the run's first frame (a
    # compile: seconds on a busy machine), though the member's losses up to the promote were
    # known. They are drawn as the member becomes the main run, on an axis that shows them.
    seen = []
    adopt = view._adopt

    def adopt_and_look(result, label):
        adopt(result, label)
        plot = window.loss_plot  # now, before any frame of the new run has been drawn
        x, y = plot.train.getData()
        seen.append((x, y, plot.getPlotItem().getViewBox().viewRange(), window.last_snapshot))
    monkeypatch.setattr(view, "_adopt", adopt_and_look)
    view.promote()
    qtbot.waitUntil(lambda: bool(seen), timeout=FIRST_SNAPSHOT_MS)
    x, y, ((x0, x1), (y0, y1)), last = seen[0]
    assert last is None or last.run_id != window.run_id  # no frame of the member's run yet
    assert x is not None and len(x) == 300
    np.testing.assert_array_equal(y, s.loss_curves[2][1])
    assert x0 <= x[0] and x[-1] <= x1 and y0 <= np.min(y) and np.max(y) <= y1
    qtbot.waitUntil(lambda: window.last_snapshot is not None
                    and window.last_snapshot.run_id == window.run_id
                    and window.last_snapshot.epoch == 300, timeout=FIRST_SNAPSHOT_MS)
    snap = window.last_snapshot
    assert window.tabs.currentWidget() is window._views["main"]
    assert len(snap.loss_values) == 300
    np.testing.assert_array_equal(snap.loss_values, s.loss_curves[2][1])
    assert window.current_problem().config.learning_rate == LRS[2]
    for (w, b), (mw, mb) in zip(snap.params, member_params):
        np.testing.assert_array_equal(w, mw)
        np.testing.assert_array_equal(np.ravel(b), np.ravel(mb))
    # The Gradients view of a promoted member draws ||dL/dW|| and the update ratio from epoch
    # 0, as its loss curve: the sweep recorded them at the member's checkpoints, as a single
    # run does (they started at the promote's epoch).
    window.show_view("gradients")
    grads = window._inspection_views["gradients"]
    qtbot.waitUntil(lambda: len(grads.norm_curves) == 4 and grads.snapshot is not None
                    and grads.snapshot.run_id == window.run_id, timeout=FIRST_SNAPSHOT_MS)
    for curves in (grads.norm_curves, grads.ratio_curves):
        x, y = curves[0].numbers
        assert x[0] == 0 and x[-1] == 300
        assert len(x) > 20 and np.all(np.isfinite(y))  # a row at every checkpoint before
    window.show_view("main")
    # Rewind works on it: epoch 30 is replayed from the member's record.
    window.show_epoch(30)
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 30, timeout=FIRST_SNAPSHOT_MS)
    assert window.last_snapshot.past
    # Undo promote: the run before (the notebook's, at epoch 0) is back.
    view.undo_promote()
    qtbot.waitUntil(lambda: window.last_snapshot is not None
                    and window.last_snapshot.run_id == window.run_id, timeout=FIRST_SNAPSHOT_MS)
    assert window.last_snapshot.epoch == 0
    assert window.current_problem().config.learning_rate == 1.0


def test_the_command_line_pictures_a_ready_made_sweep(qapp, tmp_path, capsys):
    import argparse

    from PySide6.QtGui import QImage

    from nnviz.cli import main
    from nnviz.gui import app
    out = tmp_path / "seeds.png"
    args = argparse.Namespace(**{**app.DEFAULTS, "screenshot": str(out), "sweep": "activations",
                                 "epochs": 30})
    assert app.run(args) == 0
    assert "sweep, epoch 30" in capsys.readouterr().out
    img = QImage(str(out))
    assert (img.width(), img.height()) == app.SCREENSHOT_SIZE
    # An unknown sweep: one line naming the known ones, no window.
    assert main(["--sweep", "nope", "--screenshot", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnviz: error: ") and "double-descent" in err
    assert not (tmp_path / "x.png").exists()


def test_ending_the_sweep_clears_the_view_and_gives_play_back_to_the_main_tab(qtbot, lr_view):
    window, view = lr_view
    window.step(5)
    _at(qtbot, view, 5)
    assert window.controls.epoch.text() == "Epoch 5"
    view.end_sweep()
    # The counter: not the ended sweep's epoch 5 but the main run's, paused at 0 (review r31)
    assert window.controls.epoch.text() == "Epoch 0"
    assert view.tiles.n == 0 and not view.tiles.labels and view.tiles.placeholder.isVisible()
    assert view.table.model().rowCount() == 0
    assert not view.end_button.isEnabled() and not view.promote_button.isEnabled()
    # The tab is still shown, without a sweep: Step and Play say so rather than train the
    # main run out of sight; on its own tab they train it.
    window.step(3)
    window.play()
    assert not window.playing and "No sweep to train" in window.statusBar().currentMessage()
    window.show_view("main")
    window.step(3)
    wait_for_run(qtbot, window, 3)


def test_the_compare_view_follows_the_theme(qtbot, lr_view):
    from nnviz.gui import colors
    window, view = lr_view
    window.step(5)
    _at(qtbot, view, 5)
    view.select(1)
    light = view.tiles.image.image[0, 0].copy()  # the background above the first label
    try:
        colors.set_look("dark")
        qtbot.waitUntil(lambda: tuple(view.tiles.image.image[0, 0]) == colors.background(),
                        timeout=FIRST_SNAPSHOT_MS)
        assert tuple(light) != colors.background()
        assert view.selected == 1 and view.tiles.selection.isVisible()
    finally:
        colors.set_look("light")


def _close(window):
    """Close a window opened beside (it deletes itself when closed) if a test left it open."""
    import shiboken6
    if shiboken6.isValid(window):
        window.close()
        assert not window.worker.is_running()


def _opened_beside(qtbot, request, window, view, member: int, epoch: int):
    """Member ``member`` opened in a window beside (closed when the test ends), drawn at
    ``epoch``."""
    view.select(member)
    view.open_beside()
    qtbot.waitUntil(lambda: len(window.companions) == 1, timeout=FIRST_SNAPSHOT_MS)
    beside = window.companions[0]
    request.addfinalizer(lambda: _close(beside))
    wait_for_run(qtbot, beside, epoch)
    return beside


def test_open_beside_gives_the_member_a_window_of_its_own(qtbot, lr_view, request):
    """The member with its whole history in a second window; the main run untouched; closing
    that window asks before its trained run is lost; it works at a projector's 1024x768."""
    from PySide6.QtWidgets import QMessageBox
    from tests.gui.test_small_things import _answer_next_question
    window, view = lr_view
    main_run, main_problem = window.run_id, window.current_problem()
    window.step(60)
    s = _at(qtbot, view, 60)
    view.select(2)
    assert view.beside_button.isEnabled()
    view.beside_button.click()
    qtbot.waitUntil(lambda: len(window.companions) == 1, timeout=FIRST_SNAPSHOT_MS)
    beside = window.companions[0]
    request.addfinalizer(lambda: _close(beside))
    snap = wait_for_run(qtbot, beside, 60)
    assert beside.isVisible() and "lr 3" in beside.windowTitle()
    np.testing.assert_array_equal(snap.loss_values, s.loss_curves[2][1])  # its history
    assert beside.current_problem().config.learning_rate == LRS[2]
    # the main window's run is as it was, its sweep too
    assert window.run_id == main_run and window.last_snapshot.epoch == 0
    assert window.current_problem().config == main_problem.config
    assert view.drawn.n_members == len(LRS)
    assert window.tabs.currentWidget() is window._views["compare"]
    # Rewind and train in the second window: the member's record replays, the first waits.
    beside.show_epoch(20)
    qtbot.waitUntil(lambda: beside.last_snapshot.epoch == 20 and beside.last_snapshot.past,
                    timeout=FIRST_SNAPSHOT_MS)
    beside.show_epoch(None)
    beside.step(5)
    wait_for_run(qtbot, beside, 65)
    assert _sweep_epoch(qtbot, window) == 60 and window.last_snapshot.epoch == 0
    # A projector's screen.
    beside.resize(1024, 768)
    qtbot.waitUntil(lambda: (beside.width(), beside.height()) == (1024, 768))
    # Closing with the close button asks: Cancel keeps the window and its run.
    # Close window (Ctrl+W) closes it alone, and the question says so: it said "Save the
    # session before quitting?" and closed only this window.
    seen = _answer(qtbot, QMessageBox.StandardButton.Cancel)
    beside.close_action.trigger()
    (title, text, info, _buttons), = seen
    assert title == "Close window" and beside.isVisible()
    assert text == "This window's run has trained 65 epochs that are not saved."
    assert info == "Save the session before closing this window?"
    _answer_next_question(qtbot, QMessageBox.StandardButton.Discard)
    beside.close_action.trigger()
    qtbot.waitUntil(lambda: not window.companions, timeout=FIRST_SNAPSHOT_MS)
    assert window.isVisible() and window.run_id == main_run


def test_a_window_beside_leaves_the_remembered_layout_and_work_alone(qtbot, lr_view, request):
    from nnviz.gui.actions.settings import WORK_KEY
    window, view = lr_view
    settings = window.session_actions.settings
    settings.setValue(WORK_KEY, "untouched")
    window.step(10)
    _at(qtbot, view, 10)
    beside = _opened_beside(qtbot, request, window, view, 0, 10)
    beside.close()  # by the program: no question
    qtbot.waitUntil(lambda: not window.companions, timeout=FIRST_SNAPSHOT_MS)
    assert settings.value(WORK_KEY) == "untouched"


def test_the_presets_menu_starts_each_ready_sweep_in_the_compare_tab(qtbot, main_window):
    from nnviz.core.ready_sweeps import READY
    window = main_window
    actions = window.session_actions
    texts = [a.text() for a in actions.presets_menu.actions()]
    assert any("Sweeps" in t for t in texts)  # a section of its own
    assert set(actions.sweep_actions) == {r.key for r in READY}
    from nnviz.core import presets
    actions.load_preset(presets.get("xor"))  # its hint tells of the xor run...
    assert "XOR" in window.hint.text() and window.hint.isVisibleTo(window)
    actions.sweep_actions["width"].trigger()
    # ... which the sweep replaces: the hint is the sweep's
    title = dict((r.key, r.title) for r in READY)["width"]
    assert window.hint.text().startswith(f"Sweep \u201c{title}\u201d") and "XOR" not in \
        window.hint.text()
    view = window._inspection_views["compare"]
    assert window.tabs.currentWidget() is window._views["compare"]
    qtbot.waitUntil(lambda: view.drawn is not None and view.members_of == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    assert [m["hidden"] for m in view.drawn.members] == list(dict(
        (r.key, r.values) for r in READY)["width"])
    assert window.controls.stop_at_value() == 2000  # Play stops where the answer shows


def test_restart_starts_the_sweep_again_and_reset_leaves_the_main_run(qtbot, lr_view):
    window, view = lr_view
    window.show_view("main")
    window.step(8)
    wait_for_run(qtbot, window, 8)
    main_run = window.run_id
    window.show_view("compare")
    window.step(20)
    _at(qtbot, view, 20)
    assert not window.controls.reset.isEnabled() and not window.reset_action.isEnabled()
    window.reset()  # the R key's slot: says why, changes nothing
    assert "main run" in window.statusBar().currentMessage()
    window.controls.restart.click()  # (none of the epoch-20 numbers shown while it compiles)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 0
                    and view.members_of == view.sweep_id, timeout=FIRST_SNAPSHOT_MS)
    assert window.run_id == main_run
    window.show_view("main")
    assert window.controls.reset.isEnabled()
    wait_for_run(qtbot, window)
    assert window.last_snapshot.epoch == 8  # the main run kept its epochs


def _answer(qtbot, button, shot=None, times=1):
    """Answer the next ``times`` question boxes with ``button`` (or a list, one each); what
    each said: (title, text, informative text, its buttons). ``shot``: a PNG of the last box."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    seen, answered = [], []

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box in answered:
            QTimer.singleShot(20, click)
            return
        answered.append(box)
        seen.append((box.windowTitle(), box.text(), box.informativeText(),
                     {b for b in QMessageBox.StandardButton if box.button(b) is not None}))
        if shot:
            box.grab().save(shot)
        box.button(button[len(seen) - 1] if isinstance(button, list) else button).click()
        if len(seen) < times:
            QTimer.singleShot(20, click)
    QTimer.singleShot(0, click)
    return seen


def test_quitting_asks_before_a_trained_sweep_is_lost(qtbot, lr_view, wait_run, tmp_path):
    # A reviewer trained a sweep of 3 rates on the Compare tab, the main run at epoch 0, and
    # Ctrl+Q quit at once: the sweep was gone without a word.
    from PySide6.QtWidgets import QMessageBox
    B = QMessageBox.StandardButton
    window, view = lr_view
    window.step(40)
    _at(qtbot, view, 40)
    assert window.session_actions.unsaved_epochs() == 0  # the main run has nothing to save
    seen = _answer(qtbot, B.Cancel, str(tmp_path / "sweep_only.png"))
    window.quit_action.trigger()
    assert seen, "Ctrl+Q quit without a word about the sweep"
    (title, text, info, buttons), = seen
    assert window.isVisible()  # Cancel: nothing lost
    assert title == "Quit nnviz"
    assert text == "The sweep of 3 runs has trained 40 epochs each; quitting loses it."
    # No Save: saving the session would not keep the sweep, and the box says so.
    assert buttons == {B.Discard, B.Cancel} and "not a sweep" in info
    # The main run trained too: Save is offered for it, and the box says it keeps only it.
    window.show_view("main")
    window.step(30)
    wait_run(window, 30)
    seen = _answer(qtbot, B.Cancel, str(tmp_path / "both.png"))
    window.quit_action.trigger()
    (title, text, info, buttons), = seen
    assert text == ("The run has trained 30 epochs that are not saved.\n"
                    "The sweep of 3 runs has trained 40 epochs each; quitting loses it.")
    assert buttons == {B.Save, B.Discard, B.Cancel}
    assert "before quitting?" in info and "not the sweep" in info
    assert window.isVisible()
    _answer(qtbot, B.Discard)
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=FIRST_SNAPSHOT_MS)


def test_quit_in_a_window_beside_quits_every_window_asking_in_each(qtbot, lr_view, request,
                                                                   tmp_path, monkeypatch):
    # File > Quit (Ctrl+Q) in a window opened beside closed that window alone, asking "before
    # quitting?". Quit closes them all, asking first in each for what it would lose.
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QMessageBox
    B = QMessageBox.StandardButton
    window, view = lr_view
    window.step(60)
    _at(qtbot, view, 60)
    view.select(2)
    view.beside_button.click()
    qtbot.waitUntil(lambda: len(window.companions) == 1, timeout=FIRST_SNAPSHOT_MS)
    beside = window.companions[0]
    request.addfinalizer(lambda: _close(beside))
    wait_for_run(qtbot, beside, 60)
    for w in (window, beside):  # both items in each window's File menu, with their keys
        items = {a.text(): a.shortcuts() for a in w.file_menu.actions()}
        assert QKeySequence("Ctrl+W") in items["&Close window"]
        assert QKeySequence("Ctrl+Q") in items["&Quit"]
    # Cancel in the first question: nothing closes.
    seen = _answer(qtbot, B.Cancel)
    beside.quit_action.trigger()
    assert [t for t, *_ in seen] == ["Quit nnviz"]
    assert seen[0][1] == "This window's run has trained 60 epochs that are not saved."
    assert "before quitting?" in seen[0][2]
    assert beside.isVisible() and window.isVisible()
    # Save in this window (written, then it closes), Discard in the first one (its sweep):
    # both close.
    path = tmp_path / "member.nnviz"
    monkeypatch.setattr(beside.session_actions, "ask_path", lambda *a, **k: str(path))
    seen = _answer(qtbot, [B.Save, B.Discard], str(tmp_path / "quit_sweep.png"), times=2)
    beside.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible() and not window.companions,
                    timeout=FIRST_SNAPSHOT_MS)
    assert path.exists()
    assert [text for _t, text, *_ in seen] == [
        "This window's run has trained 60 epochs that are not saved.",
        "This window's sweep of 3 runs has trained 60 epochs each; quitting loses it."]


def test_a_window_beside_follows_presentation_mode_and_fits_the_screen(qtbot, lr_view, request,
                                                                       monkeypatch):
    """Opened from a window in presentation mode filling a projector's 1024x768 screen at
    (41, 65), the member's window came in the normal mode's small text and ran off the screen
    (1024x768 at (81, 105)): now it is in presentation mode too, and inside the screen's
    available geometry."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    screen = QRect(0, 0, 1024, 768)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(screen))
    window, view = lr_view
    window.set_presentation(True)
    window.resize(1024, 768)
    window.move(41, 65)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1024, 768))
    beside = _opened_beside(qtbot, request, window, view, 1, 0)
    assert beside.presentation.active and beside.presentation.readout.isVisible()
    assert beside.font().pointSizeF() == pytest.approx(window.font().pointSizeF())
    assert screen.contains(beside.frameGeometry()), beside.frameGeometry()


def test_a_ready_sweeps_stop_epoch_and_hint_stay_on_the_compare_tab(qtbot, main_window):
    """After the Activations sweep the main tab still said 'Sweep "Activations": Play (Space)
    trains it to epoch 2,000' and its run's Stop at had become 2,000: each tab shows its own."""
    from nnviz.core import presets
    from nnviz.core.ready_sweeps import READY
    window = main_window
    actions = window.session_actions
    preset = presets.get("xor")
    actions.load_preset(preset)
    main_hint = window.hint.text()
    assert window.controls.stop_at_value() == preset.epochs
    sweep = next(r for r in READY if r.key == "activations")
    assert sweep.epochs != preset.epochs
    actions.sweep_actions["activations"].trigger()
    assert window.tabs.currentWidget() is window._views["compare"]
    assert window.hint.text().startswith(f"Sweep \u201c{sweep.title}\u201d")
    assert window.controls.stop_at_value() == sweep.epochs
    window.show_view("main")
    assert window.hint.text() == main_hint and window.hint.isVisibleTo(window)
    assert "Sweep" not in window.hint.text()
    assert window.controls.stop_at_value() == preset.epochs
    # The worker pauses the main run there too, not at the sweep's epoch.
    got = []
    window.request_state(got.append, lambda ctx: None)
    qtbot.waitUntil(lambda: bool(got), timeout=FIRST_SNAPSHOT_MS)
    assert window.worker.loop.stop_at == preset.epochs
    # A Stop at typed on each tab stays that tab's.
    window.controls.stop_at.setValue(700)
    window.show_view("compare")
    assert window.controls.stop_at_value() == sweep.epochs
    assert window.hint.text().startswith(f"Sweep \u201c{sweep.title}\u201d")
    window.show_view("main")
    assert window.controls.stop_at_value() == 700


def test_the_sweeps_messages_show_on_its_tab_and_go_once_untrue(qtbot, main_window):
    """'the sweep stopped at epoch 2,000 (Stop at); Play trains on' stayed in the status line on
    the main run's tabs (after Save, after Export), and 'Play (Space) trains it to epoch 2,000'
    stayed over the sweep at epoch 3,860: a message is about its run, shown where that run
    shows, and gone once no longer true."""
    window = main_window
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start_ready("lr", stop_at=20)
    assert "trains it to epoch 20" in window.hint.text()
    window.play()
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == 20 and not window.playing,
                    timeout=FIRST_SNAPSHOT_MS)
    stopped = "the sweep stopped at epoch 20"
    qtbot.waitUntil(lambda: window.controls.status.text().startswith(stopped),
                    timeout=FIRST_SNAPSHOT_MS)
    window.show_view("main")  # the main run's tab: not the sweep's news
    assert "sweep" not in window.controls.status.text()
    assert "sweep" not in window.statusBar().currentMessage().lower()
    window.show_view("compare")  # back where the sweep shows: still true, still said
    assert window.controls.status.text().startswith(stopped)
    window.step(5)  # trained past it: neither the stop nor "trains it to epoch 20" is true
    _at(qtbot, view, 25)
    assert not window.controls.status.text().startswith(stopped)
    assert "trains it to epoch 20" not in window.hint.text()


def _table_epochs(view) -> list[str]:
    """The epoch column's texts, as the table shows them."""
    model = view.table.model()
    col = model.columnCount() - 1
    return [str(model.index(r, col).data()) for r in range(model.rowCount())]


def test_the_tables_epochs_say_they_trail_the_sweep_while_it_plays(qtbot, lr_view):
    """The Activations sweep's title said "epoch 600" over a column of 540s headed "epoch":
    the scores are measured a few times a second while it plays. The column says so; paused,
    every epoch is the title's."""
    window, view = lr_view
    model = view.table.model()
    col = model.columnCount() - 1
    window.play()

    def trailing() -> bool:
        shown = f"epoch {view.drawn.epoch:,}"
        return (shown in view.title.text() and view.drawn.epoch > 0
                and any(t and t != f"{view.drawn.epoch:,}" for t in _table_epochs(view)))
    qtbot.waitUntil(trailing, timeout=FIRST_SNAPSHOT_MS)  # seen: the table behind the title
    header = model.headerData(col, Qt.Orientation.Horizontal)
    tip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "as of" in header and "trail" in tip, (header, tip)
    window.pause()
    qtbot.waitUntil(lambda: not window.playing and _table_epochs(view) == [
        f"{view.drawn.epoch:,}"] * 3 and f"epoch {view.drawn.epoch:,}" in view.title.text()
        and window.controls.epoch.text() == f"Epoch {view.drawn.epoch:,}",
        timeout=FIRST_SNAPSHOT_MS)


def test_a_promoted_member_says_its_epoch_and_compiling_until_its_first_frame(qtbot,
                                                                              main_window):
    """Until the member's first frame the window said "Epoch 0" over an empty plot whose
    legend still named the run before's branch ("train (run 2)"), then the member at 2,000."""
    w = main_window
    w.step(20)  # the main run, branched: its curves are named "train (run 2)"
    wait_for_run(qtbot, w, 20)
    w.show_epoch(10)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 10, timeout=FIRST_SNAPSHOT_MS)
    w.branch()
    w.step(5)
    qtbot.waitUntil(lambda: bool(w.last_snapshot.branches) and w.last_snapshot.epoch == 15,
                    timeout=FIRST_SNAPSHOT_MS)
    assert "train (run 2)" in [label.text for _, label in w.loss_plot.legend.items]
    view = _compare(qtbot, w, SweepSpec(notebook_problem(), (Axis("learning_rate", LRS),)))
    w.step(60)
    _at(qtbot, view, 60)
    view.select(2)
    seen = {}
    adopt = view._adopt

    def adopted(result, label):
        adopt(result, label)  # what shows until the member's first frame:
        seen["epoch"] = w.controls.epoch.text()
        seen["legend"] = [lb.text for _, lb in w.loss_plot.legend.items]
        w.worker.status_changed.emit("compiling...")  # as the worker says while it compiles
        seen["compiling"] = w.controls.epoch.text()
    view._adopt = adopted
    view.promote()
    wait_for_run(qtbot, w, 60)
    assert seen["epoch"] == "Epoch 60"
    assert "(run 2)" not in " ".join(seen["legend"]), seen["legend"]
    assert seen["compiling"].startswith("Epoch 60") and "compiling" in seen["compiling"]
    qtbot.waitUntil(lambda: w.controls.epoch.text() == "Epoch 60", timeout=FIRST_SNAPSHOT_MS)


def test_the_epoch_counter_is_the_sweeps_while_compare_drives(qtbot, main_window):
    """The large counter over the run controls says the epoch of what they drive: the main
    run's "Epoch 30" stayed over the Compare tab while its sweep compiled, and a frame of the
    main run drawn then (one comes after a Step) put it back over the sweep's (review r30)."""
    from dataclasses import replace
    w = main_window
    w.step(30)
    s = wait_for_run(qtbot, w, 30)
    w.show_view("compare")
    view = w._inspection_views["compare"]
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", LRS),)))
    assert w.controls.epoch.text() == "Epoch 0"  # compiling: the sweep starts at 0
    w._latest = replace(s)  # a frame of the main run, drawn now
    w._draw_latest()
    assert w._drawn is w._latest and w.controls.epoch.text() == "Epoch 0"
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    w.step(5)
    _at(qtbot, view, 5)
    qtbot.waitUntil(lambda: w.controls.epoch.text() == "Epoch 5")
    w.show_view("main")  # the controls the main run's again, and their counter
    qtbot.waitUntil(lambda: w.controls.epoch.text() == "Epoch 30")
