"""The real window under bad input and faults (pytest-qt, offscreen, real training thread):
bad values typed into the architecture editor and the training fields, a diverging run, and
exceptions injected into the worker and into a slot."""
from __future__ import annotations

import os

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.core import training
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Problem
from nnviz.core.training import TrainConfig, network_for

TIMEOUT = 30_000

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _run_fingerprint(w):
    """What must not change when an input is refused: the run, its settings, its epoch."""
    s = w.last_snapshot
    p = w.current_problem()
    data, spec, config, seed = p.source, p.spec, p.config, p.seed
    return (w.run_id, data, spec, config, seed, s.run_id, s.epoch, w.playing)


def _type_into(qtbot, field, text):
    """Bring the field in sight (its settings tab in front, in a narrow window), select all,
    type ``text`` and press Enter, as a user does."""
    field.window().panels_scroll.reveal(field)
    edit = field.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text) if text else qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def stepped(bare_window, wait_run):
    """The window after 7 epochs, paused."""
    bare_window.step(7)
    wait_run(bare_window, 7)
    return bare_window


# --- the architecture editor -------------------------------------------------------------------
# Each test types all its values, one after another, into one window: a window per value (~0.5 s
# each to build and step) proved nothing more about the field.

# (No two in a row with the same message: each one's words are its own, not the last one's.)
# The message quotes what was typed ("99999" was cut to 9999 and said "not 9999").
WIDTHS_OUT_OF_RANGE = [
    ("0", "'0' is out of range: Layer 2 takes 1 to 512 units (it keeps 10)."),
    ("99999", "'99999' is out of range: Layer 2 takes 1 to 512 units (it keeps 10)."),
    ("513", "'513' is out of range: Layer 2 takes 1 to 512 units (it keeps 10)."),
    ("-5", "'-5' is out of range: Layer 2 takes 1 to 512 units (it keeps 10)."),
]


def test_a_typed_width_out_of_range_is_refused_beside_the_field(stepped, qtbot):
    w = stepped
    before = _run_fingerprint(w)
    row = w.editor.rows[1]
    for text, words in WIDTHS_OUT_OF_RANGE:
        _type_into(qtbot, row.width, text)
        assert row.error.isVisible() and row.error.text() == words, text
        assert row.width.text() == "10"  # what it keeps, in the field
        qtbot.wait(100)
        assert _run_fingerprint(w) == before, text
        assert w.editor.shapes.text() == "2 -> 4 -> 10 -> 4 -> 1"
        assert not w.last_error and not w.banner.isVisible()


def test_a_width_that_is_not_a_number_cannot_be_typed(stepped, qtbot):
    w = stepped
    before = _run_fingerprint(w)
    row = w.editor.rows[0]
    # (Space is not typed: in a number field it plays the run, tests/gui/test_review_keys.py.)
    _type_into(qtbot, row.width, "")  # the field emptied: its value back on Enter, no word
    assert row.width.value() == 4 and row.width.text() == "4"
    assert not row.error.isVisible()
    for text in ["abc", ".", "e"]:
        _type_into(qtbot, row.width, text)
        # The field refuses the text, says so (the letters were dropped without a word: a
        # keyboard user's review, r5), and keeps its value.
        assert row.width.value() == 4 and row.width.text() == "4", text
        assert row.error.text() == (
            f"'{text}' is not a number: Layer 1 takes 1 to 512 units (it keeps 4).")
        assert _run_fingerprint(w) == before and not w.last_error, text
    # A minus sign is typed (it begins a number below the range) and refused with the words.
    _type_into(qtbot, row.width, "-")
    assert row.width.text() == "4" and _run_fingerprint(w) == before
    assert row.error.text() == "'-' is not a number: Layer 1 takes 1 to 512 units (it keeps 4)."


def test_a_refused_width_while_training_keeps_training(bare_window, qtbot, wait_run):
    w = bare_window
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 50, timeout=TIMEOUT)
    run = w.run_id
    _type_into(qtbot, w.editor.rows[2].width, "600")
    assert w.editor.rows[2].error.isVisible()
    e = w.last_snapshot.epoch
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > e + 50, timeout=TIMEOUT)
    assert w.playing and w.run_id == run and w.current_problem().spec.hidden == (4, 10, 4)
    w.pause()


# --- the training settings ---------------------------------------------------------------------

RATE = "Learning rate takes more than 0, up to 10,000."
BAD_RATES = [  # each quoted as typed, with the range
    ("0", f"'0' is out of range: {RATE}"),
    ("-1", f"'-1' is out of range: {RATE}"),
    ("nan", f"'nan' is not a number: {RATE}"),
    ("inf", f"'inf' is out of range: {RATE}"),
    ("1e400", f"'1e400' is out of range: {RATE}"),
    ("1e5", f"'1e5' is out of range: {RATE}"),
    ("", f"'' is not a number: {RATE}"),
    ("0.1.2", f"'0.1.2' is not a number: {RATE}"),
    ("½", f"'½' is not a number: {RATE}"),
    ("0.", f"'0.' is out of range: {RATE}"),
]


def test_a_bad_learning_rate_is_refused_beside_the_field(stepped, qtbot):
    w = stepped
    field = w.training_panel.lr
    msg = w.training_panel.message
    for text, words in BAD_RATES:
        _type_into(qtbot, field, "1")  # the rate in use: the last value's message goes
        assert not msg.isVisible()
        before = _run_fingerprint(w)
        _type_into(qtbot, field, text)
        assert msg.isVisible() and words in msg.text(), (text, msg.text())
        qtbot.wait(100)
        assert _run_fingerprint(w) == before and w.training_panel.lr.value() == 1.0, text
        # The next step still trains at the old rate.
        epoch = before[6] + 1
        w.step(1)
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch, timeout=TIMEOUT)
        s = w.last_snapshot
        assert s.config.learning_rate == 1.0 and w.run_id == before[0], text


def test_a_bad_regularisation_rate_is_refused(stepped, qtbot, wait_run):
    w = stepped
    panel = w.training_panel
    panel.regularizer.setCurrentIndex(panel.regularizer.findData("L2"))
    wait_run(w, 0)
    for text, words in [("-1", "'-1' is out of range: Regularization rate takes 0 to 10."),
                        ("11", "'11' is out of range: Regularization rate takes 0 to 10."),
                        ("x", "'x' is not a number: Regularization rate takes 0 to 10.")]:
        _type_into(qtbot, panel.reg_rate, "0.001")  # the rate in use: the last message goes
        assert not panel.message.isVisible()
        before = _run_fingerprint(w)
        _type_into(qtbot, panel.reg_rate, text)
        assert panel.message.isVisible() and words in panel.message.text(), text
        qtbot.wait(100)
        assert _run_fingerprint(w) == before and w.current_problem().config.l2 == 0.001, text


def test_a_typed_learning_rate_is_taken_as_typed(stepped, qtbot):
    # An editable list must not complete "1" into its first item starting with 1 (1e-05).
    w = stepped
    # (Space typed in the field plays, the number taken first, as in the spin boxes: blanks
    # around a number come from a paste.)
    for text, value in [("1", 1.0), ("0", None), ("3", 3.0), ("0.3", 0.3), ("1,5", 1.5),
                        (" 0.02 ", 0.02), ("1E-3", 0.001)]:
        w.training_panel.lr.set_value(0.1)
        if text.strip() != text:
            edit = w.training_panel.lr.lineEdit()
            edit.setFocus()
            edit.selectAll()
            edit.insert(text)  # what a paste does
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        else:
            _type_into(qtbot, w.training_panel.lr, text)
        if value is None:
            assert w.training_panel.message.isVisible() and w.training_panel.lr.value() == 0.1
        else:
            assert w.training_panel.lr.value() == value, text
            assert not w.training_panel.message.isVisible(), text


# --- divergence --------------------------------------------------------------------------------

def _finite_drawing(w) -> None:
    image = w.boundary.image_data()
    assert image is not None and np.all(np.isfinite(image)), "NaN drawn in the boundary plot"
    x, y = w.loss_plot.train.getData()
    assert x is not None and len(y) and np.all(np.isfinite(y)), "NaN drawn in the loss curve"
    assert np.all(np.isfinite(w.last_snapshot.loss_values))
    for wt, b in w.last_snapshot.params:
        assert np.all(np.isfinite(wt)) and np.all(np.isfinite(b))


def _diverge(w, qtbot, wait_run):
    """lr 100 on moons with MSE, ReLU and a linear output: played until it blows up."""
    moons = make_dataset(DataSpec("moons"))
    spec = network_for(moons, "mse", (4, 10, 4), ("relu",) * 3, "linear")
    w.load_problem(Problem(make_dataset(DataSpec("moons")), spec, TrainConfig("mse", "gd", 100.0)))
    wait_run(w, 0)
    w.play()
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=TIMEOUT)
    return w.last_snapshot


def test_divergence_pauses_says_what_to_do_and_draws_no_nan(bare_window, qtbot, wait_run):
    w = bare_window
    s = _diverge(w, qtbot, wait_run)
    # Detected within the chunk: training stopped at the last sane epoch, not chunks later.
    assert s.diverged and s.epoch < 100
    assert s.loss_epochs[-1] == s.epoch and len(s.loss_epochs) == s.epoch
    assert not w.playing and w.controls.play.text() == "Play"
    text = w.banner.text()
    assert "diverged" in text and "weights are back to those after epoch 0" in text
    # what happened, with the numbers (the first loss is the curve's only point)
    assert f"over a million times the first one ({s.loss_values[0]:.3g})" in text
    assert "Lower the learning rate ten times, to 10 (and ten times again if that " \
        "diverges too)" in text
    qtbot.wait(300)
    assert w.last_snapshot.epoch == s.epoch  # it stays paused
    _finite_drawing(w)
    assert not w.last_error  # a divergence is not a failure of nnviz


def test_after_divergence_a_lower_learning_rate_goes_on(bare_window, qtbot, wait_run):
    w = bare_window
    s = _diverge(w, qtbot, wait_run)
    # A lower rate, typed into the field, goes on from the kept weights (no reset).
    _type_into(qtbot, w.training_panel.lr, "0.001")
    assert not w.training_panel.message.isVisible()
    run = w.run_id
    w.play()
    assert not w.banner.isVisible()
    qtbot.waitUntil(lambda: w.last_snapshot is not s and (
        w.last_snapshot.epoch > s.epoch + 200 or w.last_snapshot.diverged or not w.playing),
        timeout=TIMEOUT)
    after = w.last_snapshot
    w.pause()
    assert w.run_id == run and after.config.learning_rate == 0.001
    assert not after.diverged, f"still diverges at lr 0.001 from the kept weights: {after.message}"
    assert after.epoch > s.epoch + 200 and np.isfinite(after.metrics.train_loss)
    _finite_drawing(w)


# --- honest failure ------------------------------------------------------------------------------

def test_an_exception_in_the_worker_reaches_the_user_and_play_works_again(
        bare_window, qtbot, monkeypatch):
    w = bare_window
    real_run = training.Trainer.run
    calls = []

    def run_once_broken(self, n):
        calls.append(n)
        if len(calls) == 1:
            raise RuntimeError("injected failure in the training step")
        return real_run(self, n)

    monkeypatch.setattr(training.Trainer, "run", run_once_broken)
    w.play()
    qtbot.waitUntil(lambda: bool(w.last_error), timeout=TIMEOUT)
    assert "RuntimeError: injected failure in the training step" in w.last_error
    assert w.banner.isVisible() and "injected failure" in w.banner.text()
    qtbot.waitUntil(lambda: not w.playing, timeout=TIMEOUT)
    assert w.controls.play.text() == "Play"
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "injected failure" in boxes[0].text()
    assert "Traceback" in boxes[0].detailedText()  # the details are there for a bug report
    for b in boxes:
        b.close()
    # Usable again: Play trains, the banner goes.
    assert w.worker.is_running()
    e0 = w.last_snapshot.epoch
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > e0 + 20, timeout=TIMEOUT)
    assert not w.banner.isVisible()
    w.pause()


def test_an_exception_in_a_drawing_slot_leaves_the_app_usable(bare_window, qtbot, monkeypatch):
    w = bare_window
    real = w.loss_plot.update_snapshot
    calls = []

    def broken_once(s):
        calls.append(s)
        if len(calls) == 1:
            raise RuntimeError("injected failure while drawing")
        return real(s)

    monkeypatch.setattr(w.loss_plot, "update_snapshot", broken_once)
    with qtbot.capture_exceptions() as raised:
        w.step(3)
        qtbot.waitUntil(lambda: len(calls) >= 1, timeout=TIMEOUT)
        qtbot.wait(50)
    assert raised and "injected failure while drawing" in str(raised[0][1])
    # The next snapshots draw; play and step still work.
    w.step(5)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 8 and len(calls) >= 2, timeout=TIMEOUT)
    assert w.worker.is_running() and w.frame_timer.isActive()
    x, _ = w.loss_plot.train.getData()
    assert x is not None and x[-1] == 9  # the loss after epoch 8, at 9 (train_curve)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_to_the_user(bare_window, qtbot, monkeypatch):
    w = bare_window
    real = w.loss_plot.update_snapshot
    calls = []

    def broken_once(s):
        calls.append(s)
        if len(calls) == 1:
            raise RuntimeError("injected failure while drawing")
        return real(s)

    monkeypatch.setattr(w.loss_plot, "update_snapshot", broken_once)
    w.step(3)
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=TIMEOUT)
    qtbot.wait(100)
    assert "injected failure while drawing" in (w.last_error + w.banner.text()
                                                + w.statusBar().currentMessage())


# --- hostile files opened through the window ------------------------------------------------------

def _fifo(p):
    os.mkfifo(p / "pipe.nnviz")
    return p / "pipe.nnviz"


def _dev_zero(p):
    os.symlink("/dev/zero", p / "zero.nnviz")
    return p / "zero.nnviz"


def _loop(p):
    os.symlink(p / "b.nnviz", p / "a.nnviz")
    os.symlink(p / "a.nnviz", p / "b.nnviz")
    return p / "a.nnviz"


def _sparse(p):
    with open(p / "huge.nnviz", "wb") as f:
        f.truncate(4 << 30)
    return p / "huge.nnviz"


def _junk(p):
    (p / "junk.nnviz").write_bytes(bytes(range(256)) * 4)
    return p / "junk.nnviz"


# (No two in a row with the same words: each message is its own file's, not the last one's.)
HOSTILE = [("fifo", _fifo, "is not a regular file"),
           ("symlink-loop", _loop, "cannot read"),
           ("symlink-to-dev-zero", _dev_zero, "is not a regular file"),
           ("sparse-4GB", _sparse, "too large to be a session"),
           ("binary-junk", _junk, "not an nnviz session"),
           ("folder", lambda p: p, "is a folder")]


def test_opening_a_hostile_file_says_why_and_keeps_the_run(stepped, qtbot, tmp_path, monkeypatch):
    """Each hostile file opened in turn in one window (a window per file, ~0.5 s each to build
    and step, proved nothing more): each is refused with its own words, the run kept, and the
    run goes on by a step after each."""
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    from nnviz.gui import session_actions
    w = stepped
    actions = session_actions.install(w)
    for i, (name, make, words) in enumerate(HOSTILE):
        folder = tmp_path / name
        folder.mkdir()
        path = make(folder)
        before = _run_fingerprint(w)
        actions._open_reporting(str(path))  # what File > Open does with the chosen path
        qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)  # read off the GUI thread
        assert words in actions.last_message, (name, actions.last_message)
        assert actions.message_box is not None and words in actions.message_box.text(), name
        assert str(path.name) in actions.last_message, (name, actions.last_message)
        # no file named
        assert _run_fingerprint(w) == before and w.windowTitle() == "nnviz[*]", name
        w.step(1)
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == 8 + i, timeout=TIMEOUT)  # it goes on
        actions.message_box.close()
