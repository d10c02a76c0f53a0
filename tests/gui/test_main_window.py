"""The main window, driven through its real widgets with qtbot (offscreen, real thread)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,
                               QSlider)

from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.network import NetworkSpec
from nnviz.core.problem import Problem
from nnviz.core.training import TrainConfig, network_for

TIMEOUT = 60_000  # a wait for a condition; generous, so a loaded machine only makes it slower

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_window_opens_with_the_notebooks_problem(bare_window):
    w = bare_window
    assert w.windowTitle() == "nnviz"
    # As large as the screen allows, up to 1400x900, never larger than the screen beyond what the
    # window's own minimum needs (a projector's 1024x768 once got a 1400x900 window).
    avail = QApplication.primaryScreen().availableGeometry()
    hint = w.minimumSizeHint()
    assert w.width() <= max(min(1400, avail.width()), hint.width())
    assert w.height() <= max(min(900, avail.height()), hint.height())
    assert w.width() >= min(1400, avail.width()) and w.height() >= min(900, avail.height())
    assert w.data_panel.dataset.currentData() == "moons"
    assert w.editor.shapes.text() == "2 -> 4 -> 10 -> 4 -> 1"
    assert [r.activation.currentData() for r in w.editor.rows] == ["sigmoid"] * 3
    assert w.training_panel.loss.currentData() == "mse"
    assert w.training_panel.optimizer.currentData() == "gd"
    assert w.training_panel.lr.value() == 1.0
    p = w.current_problem()
    data, spec, config, seed = p.source, p.spec, p.config, p.seed
    assert data == DataSpec("moons").resolved() and spec == NetworkSpec() and config == TrainConfig()
    assert w.controls.epoch.text() == "Epoch 0"
    image = w.boundary.image_data()
    assert image.shape[0] >= 100 and image.shape[1] >= 100
    assert w.controls.play.text() == "Play"


def test_play_lowers_the_loss_and_moves_the_boundary(bare_window, qtbot):
    w = bare_window
    before = w.boundary.image_data().copy()
    # At full speed: at the default 5 epochs a frame the 500 epochs were 100 frames, ~4 CPU s of
    # drawing that no assertion looks at (paced Play: test_pause_stops_the_epoch_counter; the
    # speeds: test_speed_control_goes_from_one_epoch_per_frame_to_full_speed).
    w.controls.speed.setValue(w.controls.speed.maximum())
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    assert w.controls.play.text() == "Pause"
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 500, timeout=TIMEOUT)
    s = w.last_snapshot
    assert s.loss_values[-1] < 0.8 * s.loss_values[0]
    assert np.abs(w.boundary.image_data() - before).max() > 0.05
    x, y = w.loss_plot.train.getOriginalDataset()  # as given, before downsampling
    # the record, then the loss after the last epoch (the readout's) beside the test curve's
    assert len(x) > 100 and y[-2] == s.loss_values[-1] and x[-2] == s.epoch
    assert x[-1] == s.epoch + 1 and y[-1] == np.float32(s.metrics.train_loss)


def test_pause_stops_the_epoch_counter(bare_window, qtbot):
    w = bare_window
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 50, timeout=TIMEOUT)
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    assert w.controls.play.text() == "Play"
    # The pause publishes the final state; after it, nothing moves.
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == w.worker.loop.trainer.epoch
                    and not w.worker.loop.playing, timeout=TIMEOUT)
    shown = w.controls.epoch.text()
    epoch = w.last_snapshot.epoch
    qtbot.wait(300)
    assert w.last_snapshot.epoch == epoch and w.controls.epoch.text() == shown


def test_step_is_exactly_one_epoch_and_plus_100_exactly_100(bare_window, qtbot, wait_run):
    w = bare_window
    qtbot.mouseClick(w.controls.step, Qt.MouseButton.LeftButton)
    wait_run(w, 1)
    assert w.controls.epoch.text() == "Epoch 1"
    qtbot.mouseClick(w.controls.step_buttons[100], Qt.MouseButton.LeftButton)
    wait_run(w, 101)
    assert len(w.last_snapshot.loss_values) == 101
    qtbot.wait(100)
    assert w.last_snapshot.epoch == 101  # and no further


def test_a_paused_steps_note_goes_once_the_run_moves_on(bare_window, qtbot, wait_run):
    # "paused at epoch N: k of the Step's M epochs done" stayed after the run trained on.
    w = bare_window
    w.step(1_000_000)
    qtbot.waitUntil(lambda: w.playing and w.last_snapshot.epoch > 0, timeout=TIMEOUT)
    w.pause()
    status = w.controls.status
    qtbot.waitUntil(lambda: status.text().startswith("paused at epoch"), timeout=TIMEOUT)
    at = w.worker.loop.trainer.epoch
    assert status.text().startswith(f"paused at epoch {at:,}: ")
    w.step(3)
    wait_run(w, at + 3)
    assert not status.text().startswith("paused at")


def test_reset_returns_to_epoch_zero_with_new_weights(bare_window, qtbot, wait_run):
    w = bare_window
    first = w.last_snapshot.params
    qtbot.mouseClick(w.controls.step_buttons[100], Qt.MouseButton.LeftButton)
    wait_run(w, 100)
    qtbot.mouseClick(w.controls.reset, Qt.MouseButton.LeftButton)
    s = wait_run(w, 0)
    assert w.controls.epoch.text() == "Epoch 0"
    assert len(s.loss_values) == 0
    assert not np.allclose(s.params[0][0], first[0][0])
    x, _ = w.loss_plot.train.getData()
    assert x is None or len(x) == 0


def test_restart_reproduces_the_same_first_losses(bare_window, qtbot, wait_run):
    w = bare_window
    first_weights = w.last_snapshot.params
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 30, timeout=TIMEOUT)
    w.pause()
    qtbot.waitUntil(lambda: not w.worker.loop.playing, timeout=TIMEOUT)
    qtbot.wait(50)
    # A long run keeps every 2nd, 4th... epoch (the bounded history): compare at kept epochs.
    epochs, values = w.last_snapshot.loss_epochs, w.last_snapshot.loss_values
    early = epochs <= 30
    assert early.sum() >= 8
    qtbot.mouseClick(w.controls.restart, Qt.MouseButton.LeftButton)
    s = wait_run(w, 0)
    np.testing.assert_array_equal(s.params[0][0], first_weights[0][0])
    w.step(30)
    s = wait_run(w, 30)
    np.testing.assert_array_equal(s.loss_epochs, np.arange(1, 31))
    np.testing.assert_array_equal(s.loss_values[epochs[early] - 1], values[early])


def test_architecture_edit_while_running_gives_a_fresh_model_of_the_new_shape(
        bare_window, qtbot, wait_run):
    w = bare_window
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 20, timeout=TIMEOUT)
    # 7 wide: (4, 7, 4) and (4, 7, 4, 4) are the shapes the undo tests (test_session_actions)
    # compile, so in a whole run they come from the shared compile cache.
    w.editor.rows[1].width.setValue(7)
    s = wait_run(w, 0)
    assert s.spec.hidden == (4, 7, 4)
    assert [W.shape for W, _ in s.params] == [(2, 4), (4, 7), (7, 4), (4, 1)]
    assert not w.playing and w.controls.play.text() == "Play"
    assert w.editor.shapes.text() == "2 -> 4 -> 7 -> 4 -> 1"
    assert "training stopped" in w.editor.note.text()
    assert not w.banner.isVisible() and not w.last_error
    # Structural edits: add a layer, remove one, reorder.
    qtbot.mouseClick(w.editor.add, Qt.MouseButton.LeftButton)
    assert wait_run(w, 0).spec.hidden == (4, 7, 4, 4)
    qtbot.mouseClick(w.editor.rows[0].remove, Qt.MouseButton.LeftButton)
    assert wait_run(w, 0).spec.hidden == (7, 4, 4)
    qtbot.mouseClick(w.editor.rows[0].down, Qt.MouseButton.LeftButton)
    assert wait_run(w, 0).spec.hidden == (4, 7, 4)
    w.step(5)
    assert wait_run(w, 5).epoch == 5


def test_an_invalid_width_is_refused_with_the_reason(bare_window, qtbot, wait_run):
    w = bare_window
    w.step(10)
    wait_run(w, 10)
    run = w.run_id
    row = w.editor.rows[0]
    w.panels_scroll.reveal(row.width)  # the Network tab in front in a narrow window
    edit = row.width.lineEdit()

    def type_in(text: str) -> None:
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    for bad in ("0", "600"):
        type_in(bad)
        assert row.error.isVisible()
        assert "1 to 512" in row.error.text() and f"'{bad}'" in row.error.text()
        assert row.width.text() == "4"  # it keeps its width
        qtbot.wait(50)
        assert w.run_id == run and w.current_problem().spec.hidden == (4, 10, 4)
        assert w.last_snapshot.epoch == 10  # the model is untouched
    type_in("4")  # the width it has: nothing to change, the trained model stays
    assert not row.error.isVisible()
    assert w.run_id == run and w.last_snapshot.epoch == 10
    row.width.setValue(9)  # (9, 10, 4): the shape test_session_actions' keyboard undo compiles
    assert not row.error.isVisible()
    assert wait_run(w, 0).spec.hidden == (9, 10, 4)


def test_learning_rate_change_applies_without_reset(bare_window, qtbot, wait_run):
    w = bare_window
    w.step(100)
    wait_run(w, 100)
    run = w.run_id
    lr = w.training_panel.lr
    w.panels_scroll.reveal(lr)  # the Training tab in front in a narrow window
    lr.setEditText("0.1")
    lr.lineEdit().editingFinished.emit()
    w.step(1)
    s = wait_run(w, 101)
    assert w.run_id == run
    assert s.config.learning_rate == 0.1 and w.current_problem().config.learning_rate == 0.1
    lr.setEditText("abc")
    lr.lineEdit().editingFinished.emit()
    assert w.training_panel.message.isVisible()
    assert "not a number" in w.training_panel.message.text()
    assert w.current_problem().config.learning_rate == 0.1


def test_closing_during_training_leaves_no_thread_running(qtbot, wait_run):
    from nnviz.gui.main_window import MainWindow
    w = MainWindow(install_extras=False)
    w.show()
    wait_run(w)
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 10, timeout=TIMEOUT)
    w.close()
    assert not w.worker.is_running()
    # And during a compile (a problem never compiled in this process).
    w2 = MainWindow(install_extras=False)
    w2.show()
    spec = NetworkSpec(hidden=(3, 3, 3, 3, 3), activations=("elu",) * 5)
    w2.load_problem(Problem(make_dataset(DataSpec("moons")), spec, TrainConfig(optimizer="adam")))
    qtbot.wait(20)
    w2.close()
    assert not w2.worker.is_running()


def test_keyboard_space_right_r_and_ctrl_q(bare_window, qtbot, wait_run):
    w = bare_window
    w.activateWindow()
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Right)
    wait_run(w, 1)
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert w.playing
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 20, timeout=TIMEOUT)
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert not w.playing
    qtbot.keyClick(w, Qt.Key.Key_R)
    wait_run(w, 0)
    qtbot.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=TIMEOUT)
    assert not w.worker.is_running()


def test_every_control_has_a_tooltip(bare_window):
    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QSlider)
    missing = [f"{type(c).__name__} {getattr(c, 'text', lambda: '')()!r}"
               for kind in kinds for c in bare_window.findChildren(kind)
               if c.isVisibleTo(bare_window) and not c.toolTip()
               and type(c).__name__ not in ("QTabBar", "QScrollBar")
               and not c.objectName().startswith("qt_")]
    assert not missing, missing


def test_test_points_can_be_hidden_and_discretize_rounds_the_output(bare_window, qtbot, wait_run):
    w = bare_window
    assert w.boundary.test_points.isVisible() and "hollow: test" in w.legend.text()
    w.show_test.setChecked(False)
    # the key names only what is drawn: no hollow points, no "hollow: test"
    assert not w.boundary.test_points.isVisible() and "hollow" not in w.legend.text()
    assert "class 0" in w.legend.text() and "background" in w.legend.text()
    w.show_test.setChecked(True)
    assert "hollow: test" in w.legend.text()
    w.step(200)
    wait_run(w, 200)
    w.discretize.setChecked(True)
    assert set(np.unique(w.boundary.image_data())) <= {0.0, 1.0}
    w.discretize.setChecked(False)
    assert len(np.unique(w.boundary.image_data())) > 2


def test_other_data_sets_switch_the_plot_and_fit_loss_and_output(bare_window, qtbot, wait_run):
    w = bare_window
    panel = w.data_panel
    panel.dataset.setCurrentIndex(panel.dataset.findData("blobs"))
    # A data set starts from its own settings, and the message says which fields that changed:
    # the moons' noise 0.10 became the blobs' 1.00 without a word (review r30 F8).
    said = w.statusBar().currentMessage()
    assert panel.noise.text() == "1.00" and "noise 1.00 is the blobs data set's own" in said, said
    assert "points" not in said and "seed" not in said, said  # (the moons' 200 and 0 too)
    wait_run(w, 0)
    panel.dataset.setCurrentIndex(panel.dataset.findData("multiclass"))
    s = wait_run(w, 0)
    assert s.spec.output_dim == 3
    img = w.boundary.image_data()
    assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8  # class colours
    assert "3 classes" in panel.task.text()

    w.training_panel.loss.setCurrentIndex(w.training_panel.loss.findData("bce"))
    s = wait_run(w, 0)  # bce cannot do three classes: the loss falls back, with a note
    # (said under the Training settings, where the loss was chosen)
    assert s.config.loss == "cross-entropy" and "loss set to" in w.training_panel.note.text()

    panel.dataset.setCurrentIndex(panel.dataset.findData("sine"))
    s = wait_run(w, 0)
    assert s.spec.input_dim == 1 and s.spec.output_activation == "linear"
    assert s.config.loss == "mse"
    assert w.boundary.curve.isVisible() and len(w.boundary.image_data()) == len(s.grid.xs)
    assert "regression" in panel.task.text()


def test_data_edits_regenerate_and_refuse_bad_values(bare_window, qtbot, wait_run):
    w = bare_window
    panel = w.data_panel
    qtbot.mouseClick(panel.regenerate, Qt.MouseButton.LeftButton)
    wait_run(w, 0)
    assert w.current_problem().source.seed == 1
    panel.test_fraction.setValue(0.5)
    wait_run(w, 0)
    assert len(w.dataset.test_index) == 100
    panel.samples.setValue(4)
    w.step(5)
    wait_run(w, 5)
    run = w.run_id
    panel.test_fraction.setValue(0.9)  # leaves no training points: refused, with the reason
    assert panel.message.isVisible() and "training points" in panel.message.text()
    qtbot.wait(50)
    assert w.run_id == run and w.last_snapshot.epoch == 5


def test_divergence_pauses_and_shows_the_message(bare_window, qtbot, wait_run):
    w = bare_window
    line = make_dataset(DataSpec("line"))
    spec = network_for(line, "mse", (), (), "linear")
    w.load_problem(Problem(line, spec, TrainConfig(learning_rate=50.0), seed=42))
    wait_run(w, 0)
    w.play()
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=TIMEOUT)
    assert "diverged" in w.banner.text()
    assert not w.playing and w.controls.play.text() == "Play"


def test_a_rate_that_saturates_the_units_gets_a_hint_not_a_stop(bare_window, qtbot, wait_run):
    # lr 500 on the moons: the loss jumps 0.26 -> 0.5188 at the first step and stays there for
    # good (saturated sigmoids, no NaN: no divergence). It used to say nothing.
    w = bare_window
    moons = make_dataset(DataSpec("moons"))
    w.load_problem(Problem(moons, NetworkSpec(), TrainConfig(learning_rate=500.0)))
    wait_run(w, 0)
    w.step(200)
    s = wait_run(w, 200)
    assert not s.diverged and s.metrics.train_loss > 0.5
    assert w.banner.isVisible() and "Learning rate too high?" in w.banner.text()
    assert "lr 500" in w.banner.text()
    # Its way out: the run's best (here its start) at the data's default rate, as a new branch.
    assert w.stuck_hint.back.isVisible() and \
        w.stuck_hint.back.text() == "Back to epoch 0 at lr 1 (default)"
    assert "learning rate too high?" in w.controls.status.text()
    # The notebook's rate: the loss keeps moving, no hint.
    w.load_problem(Problem(moons, NetworkSpec(), TrainConfig()))
    wait_run(w, 0)
    w.step(200)
    wait_run(w, 200)
    assert not w.banner.isVisible() and "too high" not in w.controls.status.text()


def test_the_saturation_hint_names_the_rate_that_did_it_not_a_new_one(bare_window, qtbot,
                                                                      wait_run):
    # lr 500 saturated the units; the user set the rate to 1: the hint was reworded to "(lr 1)
    # can push the units into saturation... Try a lower rate (say 0.1)", blaming a rate that
    # had not trained an epoch of the flat loss. It names 500 until the new rate has trained as
    # long as the loss has been flat, or goes when the loss moves.
    w = bare_window
    moons = make_dataset(DataSpec("moons"))
    w.load_problem(Problem(moons, NetworkSpec(), TrainConfig(learning_rate=500.0)))
    wait_run(w, 0)
    w.step(200)
    wait_run(w, 200)
    assert "lr 500" in w.banner.text()
    w.set_learning_rate(1.0)
    w.step(5)
    s = wait_run(w, 205)
    assert s.config.learning_rate == 1.0
    assert "lr 1)" not in w.banner.text() and "say 0.1)" not in w.banner.text()
    assert w.banner.isHidden() or "lr 500" in w.banner.text()
    w.step(100)  # longer than the flat stretch the hint looks at: still 500's doing
    wait_run(w, 305)
    if w.banner.isVisible():
        assert "lr 500" in w.banner.text() and "At lr 1 they stay stuck" in w.banner.text()
        assert "Try a lower rate" not in w.banner.text()


def test_hooks_for_views_and_sessions(bare_window, qtbot, wait_run):
    from PySide6.QtWidgets import QLabel
    w = bare_window
    extra = QLabel("a view")
    w.add_view("extra", "Extra", extra)
    w.show_view("extra")
    assert w.tabs.currentWidget() is extra
    w.show_view("main")
    assert w.tabs.currentIndex() == 0
    try:
        w.show_view("nope")
        raise AssertionError("an unknown view must raise")
    except KeyError as e:
        assert "extra" in str(e) and "main" in str(e)

    drawn = []
    w.snapshot_drawn.connect(drawn.append)
    w.set_probe("n", lambda trainer, points: len(points))
    w.step(1)
    s = wait_run(w, 1)
    assert s.extras["n"] == 100 * 100
    assert drawn and drawn[-1] is s

    zeros = tuple((np.zeros_like(W), np.zeros_like(b)) for W, b in s.params)
    w.set_params(zeros)
    qtbot.waitUntil(lambda: np.all(w.last_snapshot.params[0][0] == 0), timeout=TIMEOUT)

    got = []
    w.request_state(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    assert got[0].epoch == 1 and got[0].spec == NetworkSpec()
    assert QApplication.instance() is not None


def test_an_exception_in_the_worker_is_shown_not_swallowed(bare_window, qtbot):
    w = bare_window

    def broken(ctx):
        raise RuntimeError("something broke in the thread")
    w.request_state(lambda result: None, broken)
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=TIMEOUT)
    assert "something broke in the thread" in w.banner.text()
    assert "Traceback" in w.last_error  # the details, for a bug report
    dialogs = [d for d in QApplication.topLevelWidgets() if d.isVisible()
               and d.windowTitle() == "nnviz: something went wrong"]
    assert dialogs
    for d in dialogs:
        d.close()
    w.step(1)  # the thread is still alive
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 1, timeout=TIMEOUT)


def test_speed_control_goes_from_one_epoch_per_frame_to_full_speed(bare_window, qtbot):
    w = bare_window
    c = w.controls
    c.speed.setValue(0)
    assert c.speed_label.text() == "1 epoch/frame"
    qtbot.waitUntil(lambda: w.worker.loop.epochs_per_frame == 1, timeout=TIMEOUT)
    c.speed.setValue(c.speed.maximum())
    assert c.speed_label.text() == "maximum"
    qtbot.waitUntil(lambda: w.worker.loop.epochs_per_frame is None, timeout=TIMEOUT)


def _load_three_features(w, wait_run):
    """Loads 60 points of three features (the first's sign their class), drawn at epoch 0."""
    from nnviz.core.data import from_arrays
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)).astype(np.float32)
    data = from_arrays(X, (X[:, 0] > 0).astype(int), "classification", name="mine")
    spec = network_for(data, "mse", (4,), ("tanh",), "sigmoid")
    w.load_problem(Problem(data, spec, TrainConfig(learning_rate=0.5)))
    wait_run(w, 0)
    return data


def test_loaded_points_train_and_survive_architecture_edits(bare_window, qtbot, wait_run):
    w = bare_window
    data = _load_three_features(w, wait_run)
    assert w.current_problem().source is data
    assert "mine" in w.data_panel.dataset.currentText()
    assert not w.data_panel.samples.isEnabled() and not w.data_panel.regenerate.isEnabled()
    assert "3 features" in w.boundary.note.toPlainText()  # no plane to draw, said so
    w.editor.rows[0].width.setValue(5)
    s = wait_run(w, 0)
    assert s.spec.layer_sizes == (3, 5, 1) and w.current_problem().source is data
    w.step(5)
    assert wait_run(w, 5).metrics.train_loss > 0
    # Back to a generator: the loaded entry goes away.
    w.data_panel.dataset.setCurrentIndex(w.data_panel.dataset.findData("circles"))
    assert wait_run(w, 0).spec.input_dim == 2
    assert w.data_panel.dataset.findData("custom") == -1


def test_load_problem_refuses_weights_of_another_shape_and_keeps_the_run(bare_window, qtbot,
                                                                          wait_run):
    w = bare_window
    w.step(3)
    wait_run(w, 3)
    run = w.run_id
    wrong = tuple((np.zeros((2, 2)), np.zeros(2)) for _ in range(2))
    try:
        w.load_problem(Problem(make_dataset(DataSpec("moons")), NetworkSpec(), TrainConfig(),
                               params=wrong))
        raise AssertionError("weights of the wrong shape must be refused")
    except ValueError as e:
        assert "layers" in str(e) or "fit" in str(e)
    assert w.run_id == run and w.editor.shapes.text() == "2 -> 4 -> 10 -> 4 -> 1"
    w.step(1)
    assert wait_run(w, 4).epoch == 4


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_reaches_the_user(bare_window, qtbot, monkeypatch, capsys):
    w = bare_window
    real = w.loss_plot.update_snapshot
    calls = []

    def broken_once(s):
        calls.append(s)
        if len(calls) == 1:
            raise RuntimeError("a bug while drawing")
        return real(s)
    monkeypatch.setattr(w.loss_plot, "update_snapshot", broken_once)
    w.step(2)
    qtbot.waitUntil(lambda: "a bug while drawing" in w.banner.text(), timeout=TIMEOUT)
    assert "Traceback" in w.last_error
    assert "a bug while drawing" in capsys.readouterr().err  # and still on stderr
    for d in QApplication.topLevelWidgets():
        if d.isVisible() and d.windowTitle() == "nnviz: something went wrong":
            d.close()
    w.step(1)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 3, timeout=TIMEOUT)  # it goes on


def test_a_window_given_a_bad_problem_raises_and_leaves_no_thread(qtbot):
    from nnviz.core.losses import LossError
    from nnviz.gui.main_window import MainWindow
    with pytest.raises(LossError):
        MainWindow(Problem(make_dataset(DataSpec("multiclass")), NetworkSpec(output_dim=3),
                           TrainConfig(loss="bce")), install_extras=False)
    import gc

    from nnviz.gui.worker import TrainingWorker
    workers = [o for o in gc.get_objects() if isinstance(o, TrainingWorker)]
    running = []
    for wk in workers:
        try:
            running.append(wk.is_running())
        except RuntimeError:  # its C++ side is gone: not running
            pass
    assert not any(running)


def test_compiling_is_shown_on_the_plot_until_the_new_model_is_ready(bare_window, qtbot,
                                                                      wait_run):
    w = bare_window
    seen = []
    w.worker.status_changed.connect(lambda t: seen.append((t, w.boundary.busy.isVisible(),
                                                           w.metrics.text())))
    # (9, 10, 4): the shape test_an_invalid_width_is_refused_with_the_reason, the keyboard undo
    # (test_session_actions) and others make, so it loads from the compile cache. The chip and
    # the header come with the "compiling..." the loop says for every new run, compiled or
    # loaded (TrainLoop._replace_trainer); a shape of this test's own was 5 more compiles a run.
    w.editor.rows[0].width.setValue(9)
    wait_run(w, 0)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=TIMEOUT)
    assert seen[0][:2] == ("compiling...", True)
    # The Train/Test header says what is happening (it was blank for a big model's ~25 s).
    assert "compiling the new model" in seen[0][2]
    assert not w.boundary.busy.isVisible()
    assert "compiling" not in w.metrics.text() and "loss" in w.metrics.text()


def test_reset_and_restart_say_epoch_0_at_once(bare_window, qtbot, wait_run):
    # A reviewer's Reset of a big network left "Epoch 12" in the header (over a cleared loss
    # plot) until the new run's first frame, seconds later.
    w = bare_window
    for button in (w.controls.reset, w.controls.restart):
        w.step(5)
        wait_run(w, 5)
        assert w.controls.epoch.text() == "Epoch 5"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert w.controls.epoch.text() == "Epoch 0"  # before the worker has answered
        assert wait_run(w, 0).epoch == 0


def test_pause_during_a_slow_epoch_says_it_comes_after_the_epoch(bare_window):
    # An epoch of ~10 s cannot be cut short: the window says the Pause was heard.
    w = bare_window
    w._on_status("training epoch 4 (about 10 s an epoch)")  # as the worker says it
    w.pause()
    assert w.controls.status.text() == "pausing once this epoch is done\u2026"


def test_a_snapshot_of_an_old_run_is_never_drawn(bare_window, qtbot, wait_run):
    from dataclasses import replace
    w = bare_window
    qtbot.mouseClick(w.controls.reset, Qt.MouseButton.LeftButton)
    current = wait_run(w, 0)
    stale = replace(current, run_id=current.run_id - 1, epoch=999)
    w.worker.snapshot_ready.emit(stale)
    qtbot.wait(100)
    assert w.last_snapshot is current and w.controls.epoch.text() == "Epoch 0"
    fresh = replace(current, epoch=7)
    w.worker.snapshot_ready.emit(fresh)
    qtbot.waitUntil(lambda: w.last_snapshot is fresh, timeout=TIMEOUT)
    assert w.controls.epoch.text() == "Epoch 7"


def test_a_snapshot_a_frame_after_the_last_is_drawn_as_it_arrives(bare_window, qtbot, wait_run):
    """Not at the frame timer's next tick: the worker makes its next snapshot only once this one
    is drawn, so a tick's wait made it skip publishing (a 100,000-point hidden space ran at ~25
    frames/s whatever its drawing cost)."""
    from dataclasses import replace

    from nnviz.gui.main_window import FRAME_MS
    w = bare_window
    current = wait_run(w)
    w.frame_timer.stop()  # no tick can draw it
    import time
    qtbot.waitUntil(lambda: time.perf_counter() - w._drawn_at >= FRAME_MS / 1000,
                    timeout=TIMEOUT)  # a frame's time since the last frame
    w.worker.loop.drawn.clear()
    fresh = replace(current, epoch=current.epoch + 3)
    w.worker.snapshot_ready.emit(fresh)
    assert w.last_snapshot is fresh and w.controls.epoch.text().startswith("Epoch 3")
    assert w.worker.loop.drawn.is_set()  # the worker may go on
    w.frame_timer.start()


def test_frames_come_less_often_while_big_epochs_run_on_both_cores(bare_window, qtbot):
    """A frame costs the training the GUI thread's CPU: a big problem's epochs (XLA on both
    cores) get a frame every 30 ms (33 a second), the notebook's 200 points every 25 (40 a
    second), where the training loses little to the GUI thread."""
    from nnviz.core.problem import notebook_problem
    from nnviz.gui.main_window import BIG_FRAME_MS, FRAME_MS
    w = bare_window
    assert w.frame_timer.interval() == FRAME_MS
    # ~5e8 multiply-adds an epoch: tens of ms here, several ms on a fast machine (>= 1 ms).
    big = Problem(make_dataset(DataSpec("moons", samples=20_000)),
                  NetworkSpec(hidden=(64, 64), activations=("tanh", "tanh")), TrainConfig())
    w.load_problem(big)
    w.play()
    # 30 ms at once; shorter later only if the frames come late (a busy machine)
    qtbot.waitUntil(lambda: w.frame_timer.interval() == BIG_FRAME_MS, timeout=TIMEOUT)
    assert w.last_snapshot.spec.hidden == (64, 64)
    w.load_problem(notebook_problem())
    w.play()
    qtbot.waitUntil(lambda: w.frame_timer.interval() == FRAME_MS, timeout=TIMEOUT)
    assert w.last_snapshot.spec.hidden == notebook_problem().spec.hidden
    assert w.frame_timer.isActive()


def test_frame_interval_follows_the_epochs_time_with_a_margin_and_keeps_30_frames_a_second():
    """Up at 1 ms an epoch, down below 0.5 ms: a chunk slowed by a busy machine between the
    two does not make the frame rate flip; before an epoch is timed the interval is kept. Frames
    that come late (a busy machine) get a shorter interval, so that they still come ~31 a
    second (32 ms apart), but never shorter than the small problems' 25 ms."""
    from nnviz.gui.main_window import BIG_FRAME_MS, FRAME_MS, frame_ms_for
    assert frame_ms_for(13e-6, FRAME_MS) == FRAME_MS  # 200 points
    assert frame_ms_for(3.5e-3, FRAME_MS) == BIG_FRAME_MS  # 100,000 points
    assert frame_ms_for(0.7e-3, FRAME_MS) == FRAME_MS
    assert frame_ms_for(0.7e-3, BIG_FRAME_MS) == BIG_FRAME_MS
    assert frame_ms_for(0.3e-3, BIG_FRAME_MS) == FRAME_MS
    assert frame_ms_for(None, BIG_FRAME_MS) == BIG_FRAME_MS
    # how late the frames come after the timer's interval (ms)
    assert frame_ms_for(3.5e-3, BIG_FRAME_MS, 0.4) == BIG_FRAME_MS  # a quiet machine
    assert frame_ms_for(3.5e-3, BIG_FRAME_MS, 4.0) == 28  # 32 ms apart
    assert frame_ms_for(3.5e-3, 28, None) == 28  # just changed: kept until timed
    assert frame_ms_for(3.5e-3, 28, 1.0) == BIG_FRAME_MS
    assert frame_ms_for(3.5e-3, 28, 15.0) == FRAME_MS  # no shorter
    assert frame_ms_for(13e-6, 28, 0.0) == FRAME_MS  # a small problem again


def _wheel(widget, up: bool = False) -> bool:
    """One notch of the mouse wheel over the middle of ``widget``; whether the widget took it."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    pos = QPointF(widget.rect().center())
    ev = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos)), QPoint(), QPoint(0, 120 if up else -120),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)
    return ev.isAccepted()


def test_the_wheel_over_the_settings_scrolls_and_changes_a_field_only_once_clicked_into(
        bare_window, qtbot, wait_run):
    """Scrolling the settings panel with the wheel must not change the batch size, the test
    fraction or a combo that passes under the pointer (a changed setting discarded the run)."""
    w = bare_window
    tp, dp = w.training_panel, w.data_panel
    w.step(5)
    s = wait_run(w, 5)
    fields = [tp.batch, dp.test_fraction, tp.loss, tp.lr, w.editor.rows[0].width,
              w.editor.output_activation]
    before = [f.value() if isinstance(f, QAbstractSpinBox) else f.currentText() for f in fields]
    for f in fields:
        assert not f.hasFocus()
        # Qt's default (WheelFocus) would hand the field the focus on the first notch
        assert f.focusPolicy() == Qt.FocusPolicy.StrongFocus
        assert not _wheel(f) and not _wheel(f, up=True)  # left for the scroll area
    after = [f.value() if isinstance(f, QAbstractSpinBox) else f.currentText() for f in fields]
    assert after == before
    QApplication.processEvents()  # (what a changed setting would have queued)
    assert w.run_id == s.run_id and w.last_snapshot.epoch == 5
    # Clicked into, the field is the wheel's, and Tab still reaches it. (A spin box and a combo
    # whose change compiles nothing: the noise, same shapes, and the learning rate, no new run.
    # The batch size and the loss, changed here before, made two new models that only the
    # window's closing waited for: ~3 CPU s of compiles that no assertion looked at.)
    w.activateWindow()
    dp.noise.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(dp.noise.hasFocus)
    noise = dp.noise.value()
    assert _wheel(dp.noise, up=True)
    assert dp.noise.value() > noise
    tp.lr.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(tp.lr.hasFocus)
    was = tp.lr.currentIndex()
    _wheel(tp.lr, up=was == tp.lr.count() - 1)
    assert tp.lr.currentIndex() != was


def _readout(w) -> str:
    """The metrics line's words as a reader sees them."""
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setHtml(w.metrics.text())
    return doc.toPlainText().replace("\u2060", "").replace("\u00a0", " ")


def test_a_costly_networks_readout_names_the_epoch_its_numbers_are_of(bare_window, qtbot,
                                                                       monkeypatch):
    # A costly network's numbers while it plays at full speed are measured a few times a
    # second (core.loop.METRICS_EVERY_S): the readout names the epoch they are of, not the
    # plots'; paused, the epoch paused at and its own numbers.
    import math
    from nnviz.core import loop
    monkeypatch.setattr(loop, "METRICS_FLOPS", 0.0)  # the notebook's network counted costly
    monkeypatch.setattr(loop, "METRICS_EVERY_S", math.inf)  # measured once while it plays
    w = bare_window
    w.controls.speed.setValue(w.controls.speed.maximum())
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < w.last_snapshot.metrics_epoch < w.last_snapshot.epoch - 10,
                    timeout=TIMEOUT)
    s = w.last_snapshot
    assert f"Train loss after epoch {s.metrics_epoch:,}: " in _readout(w), _readout(w)
    qtbot.mouseClick(w.controls.play, Qt.MouseButton.LeftButton)
    # (the snapshot that answers the Pause: one drawn before it may be the last played one)
    qtbot.waitUntil(lambda: not w.worker.loop.playing and w.last_snapshot.metrics_epoch == -1
                    and w.last_snapshot.epoch == w.worker.loop.trainer.epoch, timeout=TIMEOUT)
    s = w.last_snapshot
    assert f"Train loss after epoch {s.epoch:,}: " in _readout(w), _readout(w)


def test_metrics_without_test_points_give_the_training_sets_numbers_alone(bare_window,
                                                                          wait_run):
    # Test fraction 0: the line read "Train loss ... · accuracy 50.0%  Test loss n/a ·
    # accuracy n/a", half of it saying nothing (review r26 F7); with test points both sets.
    w = bare_window

    def plain() -> str:
        return _readout(w)

    w.data_panel.test_fraction.setValue(0.0)
    wait_run(w, 0)
    w.step(3)
    wait_run(w, 3)
    words = plain()
    assert "Train loss after epoch 3: " in words and "accuracy " in words, words
    assert "Test" not in words and "n/a" not in words, words
    w.data_panel.test_fraction.setValue(0.2)
    wait_run(w, 0)
    assert "Test loss " in plain() and "n/a" not in plain(), plain()


def test_the_plots_boxes_are_greyed_with_the_reason_while_there_is_no_plane(bare_window, wait_run):
    # With three features the plot shows a message, yet "Show test data" and "Discretize
    # output" stayed enabled: clicking them did nothing.
    from .test_preset_run_notes import _looks_like
    w = bare_window
    assert w.show_test.isEnabled() and w.discretize.isEnabled()  # the moons: a plane
    w.discretize.setChecked(True)
    _load_three_features(w, wait_run)
    for box in (w.show_test, w.discretize):
        assert not box.isEnabled()
        assert "3 features" in box.toolTip() and "plane" in box.toolTip()
        # read unchecked where they do nothing ("Discretize output" read checked, greyed, as
        # "Show test data" did: review r25 F16), the choices kept for data with a plane
        assert box.isChecked() and _looks_like(box, checked=False, enabled=False), box.text()
    from nnviz.core.problem import notebook_problem
    w.load_problem(notebook_problem())
    wait_run(w, 0)
    for box in (w.show_test, w.discretize):
        assert box.isEnabled() and "features" not in box.toolTip()
        assert _looks_like(box, checked=True, enabled=True), box.text()
    w.data_panel.test_fraction.setValue(0.0)  # no test points: nothing for "Show test" to show
    wait_run(w, 0)
    assert not w.show_test.isEnabled() and "no test points" in w.show_test.toolTip()
    assert w.discretize.isEnabled()
    assert "hollow" not in w.legend.text()  # no test points: none drawn hollow


def test_data_with_three_features_shows_a_message_not_an_empty_plot(bare_window, qtbot, wait_run):
    # nnviz.show(X3, y): an empty 0-1 axis frame with a note in it, and the key still said
    # "background: P(class 1)" where there is no background.
    w = bare_window
    _load_three_features(w, wait_run)
    pi = w.boundary.getPlotItem()
    assert not pi.getAxis("bottom").isVisible() and not pi.getAxis("left").isVisible()
    note = w.boundary.note.toPlainText()
    assert "3 features" in note and "Hidden space" in note  # what is not drawn, where to look
    w.boundary.resize(420, 400)  # wrapped inside a narrow plot, not run off its sides
    qtbot.waitUntil(lambda: w.boundary.note.textItem.boundingRect().width()
                    <= w.boundary.width() - 20)
    assert "background" not in w.legend.text()
    assert "class 0" in w.legend.text()  # the classes' key stays (other views use it)
    # Back to two features: the axes and the background's key again.
    from nnviz.core.problem import notebook_problem
    moons = notebook_problem()
    w.load_problem(moons)
    wait_run(w, 0)
    assert pi.getAxis("bottom").isVisible() and pi.getAxis("left").isVisible()
    assert "background" in w.legend.text() and not w.boundary.note.toPlainText()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_sine_keys_swatches_are_the_points_colours(bare_window, wait_run, theme):
    """The sine's key showed a black "● train" beside blue training points (exercise 08): the
    swatch is in the colour the points are drawn in, the test ring in the rings' colour."""
    import re

    from nnviz.gui import colors
    w = bare_window
    colors.set_look(theme)
    try:
        w.data_panel.dataset.setCurrentIndex(w.data_panel.dataset.findData("sine"))
        wait_run(w, 0)
        key = w.legend.text()
        fill = re.search(r"color:\s*(#[0-9a-fA-F]{6})'?\"?>\u25cf", key)
        ring = re.search(r"color:\s*(#[0-9a-fA-F]{6})'?\"?>\u25cb", key)
        assert fill and ring, key
        drawn = w.boundary.train_points.data["brush"][0].color().name()
        outline = w.boundary.test_points.data["pen"][0].color().name()
        assert (fill.group(1).lower(), ring.group(1).lower()) == (drawn, outline)
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_a_framed_window_fits_the_screen_with_its_title_bar(main_window, monkeypatch):
    """A keyboard newcomer's first launch at 1024x768 under a window manager: the window's
    inside was the screen's free area, and the title bar pushed the status bar (every message)
    below the screen. Once framed, the frame fits. (Offscreen has no frame: one is faked.)"""
    w = main_window
    avail = w.screen().availableGeometry()
    w.move(avail.topLeft())
    w._first_size = (w.width(), avail.height())  # the size a first launch sets
    w.resize(*w._first_size)
    title = 25
    monkeypatch.setattr(w, "frameGeometry", lambda: w.geometry().adjusted(0, -title, 0, 0))
    w._frame_unfitted = True
    w.fit_frame()
    # the inside as high as the free area less the title bar, the frame at its top left
    # (move() places the frame; offscreen's screen is narrower than the least width)
    assert w.height() == avail.height() - title and w.pos() == avail.topLeft()
    w.resize(w.width(), avail.height())  # once: later sizes are the user's
    w.fit_frame()
    assert w.height() == avail.height()


def test_a_framed_window_fits_the_screen_at_a_fractional_scale(main_window, monkeypatch):
    """At 150 % on a 1920x1080 screen the first size, the free area's 1280x720, came back from
    the window manager as 1279x719 (whole device pixels): fit_frame took it for a size chosen
    since and left the frame 18 device px below the screen, the status line cut through."""
    w = main_window
    avail = w.screen().availableGeometry()
    w.move(avail.topLeft())
    w._first_size = (w.width() + 1, avail.height() + 1)  # asked for; rounded one less
    w.resize(w.width(), avail.height())
    title = 13
    monkeypatch.setattr(w, "frameGeometry", lambda: w.geometry().adjusted(-1, -title, 1, 1))
    w._frame_unfitted = True
    w.fit_frame()
    # the frame (title bar, the inside, a 1 px border) as high as the free area, at its top
    assert w.height() + title + 1 <= avail.height() and w.pos() == avail.topLeft()


def test_the_metrics_line_keeps_its_rows_while_the_epoch_grows(bare_window, qtbot, wait_run):
    # r13 #6: at 1400x900 / 144 dpi "Train loss after epoch 1,000: 0.0804 · accuracy 88.0%"
    # took two rows where "at the start:" and "after epoch 116:" took one, and the settings
    # above jumped a line each time while training and scrubbing. At any width of the left
    # column, the numbers of epoch 0 to 20,000 take as many rows, and the settings keep their
    # height.
    import dataclasses
    w = bare_window
    s = wait_run(w, 0)
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: w.width() == 1400)
    epochs = (0, 5, 116, 1000, 20_000)
    for column in range(380, 760, 10):
        w.main_split.setSizes([column, 1400 - column])
        QApplication.processEvents()
        seen = set()
        for epoch in epochs:
            w._show_metrics(dataclasses.replace(s, epoch=epoch))
            rows = w.metrics.heightForWidth(w.metrics.width())  # its height once laid out
            qtbot.waitUntil(lambda: w.metrics.height() >= rows)
            QApplication.processEvents()  # the settings' fit (a zero timer)
            seen.add((rows, w.side_tabs.height()))
        assert len(seen) == 1, (column, w.metrics.width(), seen)
