"""Refusals and notes of the settings, as a teacher preparing a lesson met them (r15, items 4, 5,
8 and 10): a refused test fraction left in its field while the old one was in use; a refusal
that stayed through every action after and made the run bar taller; a training change that
spoke on the Network tab; a failed save that moved the folder every dialog opens in."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import FIRST_SNAPSHOT_MS, wait_for_run

from .test_presentation import _at_size
from .test_settings_tabs import _in_sight, _tab

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _type(qtbot, field, text: str, key=Qt.Key.Key_Return) -> None:
    """Select all of ``field``, type ``text`` and press ``key`` (Enter, or Tab), as a user."""
    field.window().panels_scroll.reveal(field)
    edit = field.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, key)


# --- item 4: a test fraction the data cannot take ------------------------------------------------

def test_a_test_fraction_the_points_cannot_take_goes_back_to_the_one_in_use(bare_window, qtbot):
    w = bare_window
    panel = w.data_panel
    _type(qtbot, panel.samples, "4")
    qtbot.waitUntil(lambda: w.dataset is not None and len(w.dataset.X) == 4,
                    timeout=FIRST_SNAPSHOT_MS)
    wait_for_run(qtbot, w)
    run = w.run_id
    _type(qtbot, panel.test_fraction, "0.9", Qt.Key.Key_Tab)
    # The field shows the fraction in use, and the message says it keeps it.
    assert panel.test_fraction.text() == "0.20"
    assert panel.message.is_error()
    assert panel.message.text() == ("A test fraction of 0.9 leaves fewer than 2 training "
                                    "points (it keeps 0.2).")
    assert "3 training, 1 test points" in panel.task.text()
    assert w.run_id == run and w.current_problem().source.test_fraction == 0.2
    # The next edit that is taken: the refusal is over.
    _type(qtbot, panel.test_fraction, "0.25")
    qtbot.waitUntil(lambda: w.run_id != run, timeout=FIRST_SNAPSHOT_MS)
    assert not panel.message.is_error()


# --- item 5: refusals that outstay their welcome ---------------------------------------------------

@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)])
def test_stop_at_epochs_refusal_moves_nothing_and_says_it_whole(main_window, qtbot, size):
    """Its two lines under the field made the run bar taller: every panel 25 px down while
    it showed."""
    w = main_window
    _at_size(w, qtbot, size)
    QApplication.processEvents()
    bar, tabs = w.controls, w.tabs
    before = (bar.height(), tabs.mapTo(w, QPoint(0, 0)), tabs.height())
    _type(qtbot, bar.stop_at, "99999999999")
    message = bar.stop_message
    qtbot.waitUntil(message.isVisible)
    QApplication.processEvents()
    assert message.text() == "Too large: at most 10,000,000."
    assert (bar.height(), tabs.mapTo(w, QPoint(0, 0)), tabs.height()) == before
    assert (w.width(), w.height()) == size
    # One line, beside the field, its title kept (r19 #17); where it is cut, its tooltip and
    # the status bar say it all.
    assert message.height() < 2 * message.fontMetrics().lineSpacing()
    assert message.geometry().left() >= bar.stop_at.geometry().right()
    assert any(t.text() == "Stop at epoch" and t.isVisible() for t in bar.findChildren(QLabel))
    shown = message.shown_text()
    assert shown == message.text() or (shown.endswith("\u2026")
                                       and message.toolTip() == message.text())
    assert w.statusBar().currentMessage() == "Too large: at most 10,000,000."
    assert any(t == message.text() for _, t in w.statusBar().recent)


def test_a_number_fields_refusal_goes_after_a_while_and_with_the_next_edit(bare_window, qtbot,
                                                                          monkeypatch):
    """'Too large: at most 10,000,000.' stayed through three bad files, two failed saves, Help
    and Save as exercise; a layer's "(it keeps 10)" through 700 more epochs."""
    from nnviz.gui import widgets
    w = bare_window
    stop, row = w.controls.stop_at, w.editor.rows[1]
    # The next edit, in any panel, takes the refusal in the run bar away.
    _type(qtbot, stop, "99999999999")
    assert w.controls.stop_message.isVisible()
    run = w.run_id
    w.data_panel.noise.setValue(0.15)
    qtbot.waitUntil(lambda: w.run_id != run, timeout=FIRST_SNAPSHOT_MS)
    assert not w.controls.stop_message.isVisible()
    # Left alone, a refusal goes after a while (here a short one), the field showing all
    # along the value it keeps.
    monkeypatch.setattr(widgets, "REFUSAL_LIFETIME_MS", 300)
    w.panels_scroll.reveal(row.width)
    _type(qtbot, row.width, "100000")
    assert row.error.text() == ("'100000' is out of range: Layer 2 takes 1 to 512 units "
                                "(it keeps 10).")
    _type(qtbot, stop, "99999999999")
    assert w.controls.stop_message.isVisible() and row.error.isVisible()
    qtbot.waitUntil(lambda: not w.controls.stop_message.isVisible()
                    and not row.error.isVisible(), timeout=5_000)
    assert row.width.value() == 10 and stop.text() == "never"
    # The same text again is refused again, and said again.
    _type(qtbot, stop, "99999999999")
    assert w.controls.stop_message.text() == "Too large: at most 10,000,000."


# --- item 8: a training change's note, on the Training tab -----------------------------------------

def test_a_training_change_speaks_on_the_training_tab(main_window, qtbot, wait_run):
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    panel = w.training_panel
    batch = panel.batch
    w.panels_scroll.reveal(batch)
    qtbot.waitUntil(lambda: _in_sight(batch), timeout=10_000)
    run = w.run_id
    _type(qtbot, batch, "7")
    qtbot.waitUntil(lambda: w.run_id != run, timeout=FIRST_SNAPSHOT_MS)
    # The mark on the tab where the change was made (in front), none on the Network's.
    network, i = _tab(w, "Network")
    training, j = _tab(w, "Training")
    assert network.tabText(i) == "Network" and w.editor.note.isHidden()
    assert training.tabText(j) == "Training \u2022"
    note = panel.note
    assert note.text().startswith("Training changed: a fresh model") and _in_sight(note)
    assert note.text() in training.tabToolTip(j)
    # A batch larger than the training points: what it means, rather than nothing.
    wait_run(w)
    n = len(w.dataset.train_index)
    run = w.run_id
    _type(qtbot, batch, "1000000")
    qtbot.waitUntil(lambda: w.run_id != run, timeout=FIRST_SNAPSHOT_MS)
    assert f"batch size 1,000,000 is larger than the {n:,} training points: full batch" \
        in note.text()
    assert note.text() in w.statusBar().currentMessage()


# --- item 10: a failed save leaves the folder alone ------------------------------------------------

def test_a_save_that_fails_leaves_the_folder_dialogs_open_in(main_window, qtbot, tmp_path,
                                                            monkeypatch):
    from nnviz.gui import session_actions
    w, actions = main_window, main_window.session_actions
    monkeypatch.setenv("HOME", str(tmp_path))
    answers = [str(tmp_path / "first.nnviz"), "/proc/x.nnviz", ""]
    starts = []

    def ask(parent, title, start, file_filter, *, save):
        starts.append(start if os.path.isdir(start) else os.path.dirname(start))
        return answers.pop(0), ""
    monkeypatch.setattr(session_actions, "ask_file", ask)
    with qtbot.waitSignal(actions.saved, timeout=FIRST_SNAPSHOT_MS):
        actions.save_as()
    w.reset_action.trigger()  # a fresh run: no file of its own, dialogs open in the last folder
    qtbot.waitUntil(lambda: actions.path is None)
    wait_for_run(qtbot, w)
    actions.save_as()  # to /proc: refused
    qtbot.waitUntil(lambda: "could not save /proc/x.nnviz" in w.statusBar().currentMessage(),
                    timeout=FIRST_SNAPSHOT_MS)
    actions.save_as()  # the next dialog: where the last save that worked went
    assert starts == [str(tmp_path)] * 3
