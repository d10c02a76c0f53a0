"""Presentation mode's learning rate: the settings are folded away there, and "change the rate
while it runs" is a lesson of its own. A field in the run bar (Run > Learning rate, Ctrl+L)
goes through the settings' field: its validation, its Undo step, its note about past epochs."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from tests.conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _presenting(w, qtbot):
    w.set_presentation(True)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    assert not w.training_panel.lr.isVisibleTo(w)  # the settings' field is folded away


def _in_window(widget, w) -> bool:
    return widget.isVisibleTo(w) and w.rect().contains(
        QRect(widget.mapTo(w, QPoint(0, 0)), widget.size()))


def _type_rate(qtbot, w, text: str):
    """Ctrl+L, type over the field it focuses, Enter -- as a teacher does."""
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    field = w.controls.lr
    qtbot.waitUntil(lambda: field.lineEdit().hasFocus(), timeout=5000)
    assert field.lineEdit().selectedText() == field.currentText()
    qtbot.keyClicks(field.lineEdit(), text)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)
    return field


def test_the_learning_rate_is_set_in_presentation_mode_and_undone(main_window, qtbot):
    w = main_window
    _presenting(w, qtbot)
    field = w.controls.lr
    assert _in_window(field, w)
    before = w.training_panel.lr.value()
    assert field.currentText() == f"{before:g}"
    steps = w.session_actions.undo_stack.count()
    _type_rate(qtbot, w, "0.3")
    assert w.training_panel.lr.value() == 0.3  # the settings say it too (Save writes it)
    assert w.session_actions.undo_stack.count() == steps + 1
    w.step(1)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 1
                    and w.last_snapshot.config.learning_rate == 0.3, timeout=60_000)
    w.session_actions.undo_action.trigger()  # Ctrl+Z: the rate before, here too
    qtbot.waitUntil(lambda: w.training_panel.lr.value() == before, timeout=10_000)
    assert field.currentText() == f"{before:g}"
    # Out of presentation mode the field goes; Ctrl+L finds the settings' one.
    w.set_presentation(False)
    assert not w.controls.lr.isVisibleTo(w)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.training_panel.lr.lineEdit().hasFocus(), timeout=5000)


def test_a_refused_rate_is_said_in_presentation_mode(main_window, qtbot):
    w = main_window
    _presenting(w, qtbot)
    before = w.training_panel.lr.value()
    steps = w.session_actions.undo_stack.count()
    _type_rate(qtbot, w, "-2")
    message = w.controls.lr_message
    assert _in_window(message, w) and message.is_error()
    assert message.text() == w.training_panel.message.text() and "Learning rate" in message.text()
    assert w.controls.lr.currentText() == "-2"  # the text stays, to fix
    assert w.training_panel.lr.value() == before
    assert w.session_actions.undo_stack.count() == steps
    _type_rate(qtbot, w, "0.1")  # fixed: the message goes
    qtbot.waitUntil(lambda: not message.isVisibleTo(w), timeout=5000)
    assert w.training_panel.lr.value() == 0.1


def test_a_rate_set_in_the_past_is_noted_in_presentation_mode(main_window, qtbot):
    w = main_window
    w.step(200)
    wait_for_run(qtbot, w, 200)
    _presenting(w, qtbot)
    w.timeline.slider.setValue(120)  # (Home / Ctrl+Left in presentation mode)
    qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch == 120,
                    timeout=60_000)
    _type_rate(qtbot, w, "0.3")
    message = w.controls.lr_message
    qtbot.waitUntil(lambda: _in_window(message, w), timeout=5000)
    assert not message.is_error()
    assert message.text().startswith("0.3 applies when training goes on")
    w.timeline.go(None)  # live again: the rate applies, the note goes
    qtbot.waitUntil(lambda: not message.isVisibleTo(w), timeout=60_000)


def test_the_bar_shows_the_rate_a_preset_a_lesson_or_an_exercise_trains_at(main_window, qtbot):
    # The teacher's review: after Presets -> XOR (adam, 0.03), a lesson's "Try it live" (0.01)
    # or the exercise "The learning rate that diverges" (0.05), the run bar's box still said
    # "1", the rate before: the settings' field was set with its signals blocked, and the bar's
    # twin follows it through them. The class reads the rate off this box.
    from pathlib import Path
    from nnviz.core import presets
    w = main_window
    _presenting(w, qtbot)
    field = w.controls.lr

    def trains_at() -> str:
        wait_for_run(qtbot, w)
        return f"{w.last_snapshot.config.learning_rate:g}"

    assert w.session_actions.load_preset(presets.get("xor"))
    assert trains_at() == "0.03" and field.currentText() == "0.03"
    assert w.session_actions.load_preset(presets.get("sine"))
    assert field.currentText() == trains_at() != "0.03"
    folder = Path(__file__).resolve().parents[2] / "resources" / "exercises"
    w.open_exercise(str(folder / "04-learning-rate-diverges.toml"))
    assert trains_at() == "0.05" and field.currentText() == "0.05"
    w.session_actions.undo_action.trigger()  # Ctrl+Z: the sine's rate again, here too
    qtbot.waitUntil(lambda: w.training_panel.lr.value() != 0.05, timeout=10_000)
    assert field.currentText() == trains_at() == f"{w.training_panel.lr.value():g}"
    w.show_view("lesson-1")  # Ctrl+Shift+1, then "Try it live in the main window"
    button = w._inspection_views["lessons"].pages["line"].try_button
    qtbot.waitUntil(button.isVisible, timeout=60_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.current_problem().config.learning_rate == 0.01, timeout=10_000)
    assert trains_at() == "0.01" and field.currentText() == "0.01"


@pytest.mark.parametrize("presenting", [True, False], ids=["bar", "settings"])
def test_space_in_the_rate_field_plays_at_the_rate_typed(main_window, qtbot, presenting):
    # "1" then Space typed "1 " into the field and played nothing, though F1 and the README
    # say Space in a number field plays (Stop at epoch's does): the rate typed is taken, and
    # Space plays at it.
    w = main_window
    if presenting:
        _presenting(w, qtbot)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    field = w.controls.lr if presenting else w.training_panel.lr
    qtbot.waitUntil(lambda: field.lineEdit().hasFocus(), timeout=5000)
    qtbot.keyClicks(field.lineEdit(), "0.3")
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert field.currentText() == "0.3" and w.training_panel.lr.value() == 0.3
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 0
                    and w.last_snapshot.config.learning_rate == 0.3, timeout=60_000)
