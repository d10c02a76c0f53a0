"""Help: the keyboard shortcuts a newcomer could not find, and About."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import shiboken6

import nnviz



def f1_rows(w, qtbot) -> list[tuple[str, str]]:
    """F1 pressed in window ``w``: the (key, what it does) rows of the dialog it opens."""
    qtbot.keyClick(w, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: w.shortcuts_dialog is not None and w.shortcuts_dialog.isVisible())
    t = w.shortcuts_dialog.table
    return [(t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())]

def test_f1_lists_the_keys_the_window_answers_to(main_window, qtbot):
    w = main_window
    titles = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert titles[-1] == "Help"  # last, after the views' menus (Lessons)
    rows = {what: key for key, what in f1_rows(w, qtbot)}
    assert rows["Play / Pause"] == "Space"
    assert rows["Step one epoch"] == "Right"
    assert rows["Timeline: first epoch"] == "Home"
    assert rows["Continue from here"] == "Ctrl+B"
    assert rows["Undo the last step"] == "Ctrl+Z"  # not "Undo preset ..." of the moment
    assert any(k == "Ctrl+Shift+1" for k in rows.values())  # the Lessons menu's, too
    assert "Keyboard shortcuts" not in rows or rows["Keyboard shortcuts"] == "F1"
    # The dialog fits a projector's screen.
    geo = w.screen().availableGeometry()
    assert w.shortcuts_dialog.width() <= geo.width() and w.shortcuts_dialog.height() <= geo.height()

    # Getting started (first in Help: a newcomer found only the keys and About there) names
    # keys the window answers to, with what they do, and fits the screen too.
    import re
    start = w.help_menu.actions()[0]
    assert start.text() == "&Getting started"
    start.trigger()
    qtbot.waitUntil(lambda: w.getting_started.isVisible())
    text = w.getting_started.text.toPlainText()
    said = set(re.findall(r"\((Space|Right arrow|Ctrl\+\w|Home)[ )]", text))
    assert said == {"Space", "Right arrow", "Ctrl+B", "Ctrl+L"}, said
    keys = {key.replace("Right", "Right arrow") for key in rows.values()}
    assert said <= keys and "Home" in keys and "Ctrl+Z" in keys
    for word in ("Epoch", "Loss", "Learning rate", "Activation", "Test points", "mse", "gd"):
        assert word in text
    # The branch button by both its names: at 1024 px it reads "Branch" (review r30 F4).
    fork = w.timeline.fork
    long, short = fork._texts
    assert long in text and f"reads {short} in a narrow window" in text
    d = w.getting_started
    assert d.width() <= geo.width() and d.height() <= geo.height()
    d.close()

    # A message too long for the bar ends in "..." there; Ctrl+M shows the latest whole
    # (its rest was in a tooltip, which the keyboard cannot show).
    long = "Data changed: a fresh model starts at epoch 0. " + "More words that go on. " * 20
    w.statusBar().showMessage("an earlier one")
    w.statusBar().showMessage(long)
    assert w.statusBar().displayed_message() != long
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.recent_messages.isVisible())
    shown = w.recent_messages.text.toPlainText()
    assert long.strip() in shown and shown.index(long.strip()) < shown.index("an earlier one")
    assert rows.get("Recent messages") == "Ctrl+M"


def _cut_cells(table) -> list[str]:
    """The cells of ``table`` whose text is not shown whole: wider than its column's room (a
    word longer than it), or its wrapped lines taller than its row (ended in "...")."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle
    fm = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    cut = []
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            text, room = table.item(r, c).text(), table.columnWidth(c) - 2 * (margin + 1)
            lines = fm.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
            if lines.width() > room or lines.height() > table.rowHeight(r):
                cut.append(text)
    return cut


def test_every_shortcut_reads_whole_at_1024x768_presenting_and_at_a_larger_text_size(
        main_window, qtbot, monkeypatch):
    """At 1024x768 the 640 px dialog cut its descriptions ("Undo the last ...", Ctrl+Left and
    Ctrl+Right both "Timeline: one ..."), its Menu and Keys columns wide, its headers ~9 pt
    over 14 pt rows in presentation mode: now each text whole, the headers the rows' size, the
    dialog on the screen."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1024, 768))
    w = main_window
    w.resize(1024, 768)
    for mode in ("normal", "115%", "presentation"):
        if mode == "115%":
            w.text_size.choose(1.15)
        elif mode == "presentation":
            w.text_size.normal()
            w.set_presentation(True)
        keys = [a for a in w.help_menu.actions() if a.text() == "&Keyboard shortcuts"]
        keys[0].trigger()  # (F1: its key; a second F1 went to no window offscreen)
        qtbot.waitUntil(lambda: shiboken6.isValid(w.shortcuts_dialog)
                        and w.shortcuts_dialog.isVisible())
        d = w.shortcuts_dialog
        t = d.table
        described = {t.item(r, 2).text() for r in range(t.rowCount())}
        assert {"Timeline: one epoch back", "Timeline: one epoch on"} <= described
        qtbot.waitUntil(lambda: t.font().pointSizeF() == w.font().pointSizeF())
        qtbot.waitUntil(lambda: not _cut_cells(t), timeout=3000)
        assert t.horizontalHeader().font().pointSizeF() == t.font().pointSizeF(), mode
        frame = d.frameGeometry()
        assert frame.width() <= 1024 and frame.height() <= 768, mode
        d.close()


def test_about_names_the_version(main_window):
    from nnviz.gui import help_menu
    about = [a for a in main_window.help_menu.actions() if "About" in a.text()]
    assert len(about) == 1
    assert nnviz.__version__ in help_menu.about_text()


def test_esc_in_a_field_gives_space_back_to_play(main_window, qtbot):
    """A rate typed, then Esc: the rate is taken and Space plays (it typed a space before)."""
    w = main_window
    edit = w.training_panel.lr.lineEdit()
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "0.3")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert not edit.hasFocus() and edit.text() == "0.3"
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 0
                    and w.last_snapshot.config.learning_rate == 0.3, timeout=60_000)


def test_esc_on_a_refused_rate_puts_the_rate_back(main_window, qtbot):
    w = main_window
    panel = w.training_panel
    before = panel.lr.value()
    edit = panel.lr.lineEdit()
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "abc")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert panel.message.is_error() and "'abc'" in panel.message.text()
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == f"{before:g}" and not panel.message.is_error()
    assert not edit.hasFocus()


def test_a_hovered_items_status_tip_is_not_a_recent_message(main_window, qtbot, tmp_path):
    """r11: Help -> Recent messages listed a bare path, the Open recent menu's status tip shown
    while the pointer went over it. A hover's tip shows in the bar; only messages are kept."""
    w = main_window
    path = str(tmp_path / "lab week" / "session 1.nnviz")
    w.session_actions.settings.setValue("files/recent", [path])
    w.session_actions._rebuild_recent()
    item = next(a for a in w.session_actions.recent_menu.actions() if a.statusTip() == path)
    w.statusBar().showMessage("Saved session 1.nnviz at epoch 300.")
    item.showStatusText(w)  # as the menu does when the pointer is on the item
    assert w.statusBar().currentMessage() == path  # the tip is shown, as before
    opener = w.file_menu.actions()[0]  # Open session...: its tip, the pointer moving on
    opener.showStatusText(w)
    w.statusBar().showMessage("Opened session 1.nnviz.")
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.recent_messages.isVisible())
    shown = w.recent_messages.text.toPlainText()
    assert "Saved session 1.nnviz at epoch 300." in shown and "Opened session 1.nnviz." in shown
    assert path not in shown
    assert opener.statusTip() and opener.statusTip() not in shown


def test_recent_messages_shows_the_run_notes_words_first(main_window, qtbot):
    """r13: Ctrl+M said "No messages yet." while the bar's right-hand note read "stopped at epoch
    2,000 (Stop at); Play trains on": the dialog is where a reader with large text reads the
    bar's words whole, the note's too. It comes first, as it reads now."""
    w = main_window
    w.set_stop_at(3)
    w.play()
    qtbot.waitUntil(lambda: not w.playing and w.controls.status.text().startswith(
        "stopped at epoch 3"), timeout=60_000)
    note = w.controls.status.text()
    assert note == "stopped at epoch 3 (Stop at); Play trains on"
    w.statusBar().showMessage("an earlier one")
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.recent_messages.isVisible())
    shown = w.recent_messages.text.toPlainText()
    assert shown.startswith(f"Now {note}"), shown
    assert "an earlier one" in shown and "No messages" not in shown


def test_the_plateau_getting_started_warns_of_is_the_default_runs():
    """Getting started tells a newcomer that the first run sits on a plateau (a reviewer's
    student would have given up on it): its numbers must be the default run's."""
    import re

    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.network import NetworkSpec
    from nnviz.core.training import TrainConfig, Trainer
    from nnviz.gui.help_menu import GETTING_STARTED
    text = " ".join(GETTING_STARTED.split())
    right = int(re.search(r"(\d+)% of the points right", text).group(1))
    until = int(re.search(r"until about epoch ([\d,]+)", text).group(1).replace(",", ""))
    t = Trainer(NetworkSpec(), TrainConfig(), make_dataset(DataSpec("moons")), seed=0)
    t.run(500)
    flat = t.evaluate()
    t.run(int(0.8 * until) - 500)
    late = t.evaluate()
    assert round(100 * late.train_accuracy) == right == round(100 * flat.train_accuracy)
    assert late.train_loss > 0.97 * flat.train_loss  # flat: under 3% lower in 1,500 epochs
    t.run(int(1.4 * until) - t.epoch)
    assert t.evaluate().train_accuracy >= 0.98  # it breaks out
