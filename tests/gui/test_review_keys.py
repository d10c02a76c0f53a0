"""A teacher's and a learner's review: the keyboard on buttons and Stop at epoch, the keys F1
lists, the dark theme's links, and messages that must go, or say more, or say less."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from nnviz.gui import colors, help_menu
from tests.conftest import FIRST_SNAPSHOT_MS, wait_for_run

from .test_help_menu import f1_rows

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _tabbed_to(qtbot, widget) -> None:
    """``widget`` given the focus as Tab gives it (Tab's path there depends on the layout)."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def _try_button(w, qtbot):
    w.show_view("lesson-5")
    button = w._inspection_views["lessons"].pages["moons"].try_button
    qtbot.waitUntil(button.isVisible)
    return button


def test_try_it_live_then_a_presets_space_after_a_ringed_button(main_window, qtbot):
    """Space and Enter on the lesson's Try it live, then Space after a preset and an exercise
    loaded from a ringed button, on one window (a window each, alike at epoch 0; each part
    puts the focus where it needs it)."""
    _try_it_live_takes_space_and_enter_from_the_keyboard(main_window, qtbot)
    _space_plays_after_a_preset_is_loaded_from_a_ringed_button(main_window, qtbot)


def _try_it_live_takes_space_and_enter_from_the_keyboard(main_window, qtbot):
    # Space on the focused button played the main run instead (a window-wide shortcut); Enter
    # on it did nothing. Both keys in one window, back to the lesson between them (a window
    # each built the same lesson page again).
    w = main_window
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return):
        button = _try_button(w, qtbot)
        assert not w.boundary.isVisible(), key  # (the lesson's tab, not the main one)
        _tabbed_to(qtbot, button)
        qtbot.keyClick(button, key)
        # the main tab, the lesson's problem
        qtbot.waitUntil(lambda: w.boundary.isVisible(), timeout=5000)
        assert w.current_problem().spec.hidden == (4, 10, 4), key
        assert not w.playing, key


def test_presentation_at_1024_the_ring_and_the_dark_themes_link(main_window, qtbot,
                                                                light_after):
    """Presentation mode at 1024x768 on one window (a window each, alike): the keyboard's
    ring on the light theme, then the Gradients link on the dark (that part sets it)."""
    _the_keyboards_button_has_a_ring_a_projector_shows(main_window, qtbot)
    _the_gradients_more_link_reads_on_the_dark_theme(main_window, qtbot)


def _the_keyboards_button_has_a_ring_a_projector_shows(main_window, qtbot):
    w = main_window
    w.resize(1024, 768)
    w.set_presentation(True)
    button = _try_button(w, qtbot)
    _tabbed_to(qtbot, button)
    # A ring 3 px wide all round the button's edge, 3:1 or more on the panel (the style's
    # was a faint 1-px outline).
    panel = w.palette().window().color()

    def edge(img) -> list[QColor]:
        x0, y0 = button.mapTo(w, QPoint(0, 0)).toTuple()
        x1, y1 = x0 + button.width() - 1, y0 + button.height() - 1
        mid_x, mid_y = (x0 + x1) // 2, (y0 + y1) // 2
        return [img.pixelColor(x, y) for i in range(3) for x, y in (
            (x0 + i, mid_y), (x1 - i, mid_y), (mid_x, y0 + i), (mid_x, y1 - i))]

    ring = edge(w.grab().toImage())
    assert len({c.name() for c in ring}) == 1, [c.name() for c in ring]
    assert _contrast(ring[0], panel) >= 3
    # Gone once the focus moves on.
    others = w._inspection_views["lessons"].list
    others.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(others.hasFocus)
    qtbot.waitUntil(lambda: ring[0] not in edge(w.grab().toImage()), timeout=5000)


def test_space_plays_from_stop_at_a_clicked_button_and_a_check_box(main_window, qtbot):
    """Space and Enter in Stop at, and Space after a clicked button, on one window (a window
    each, alike at epoch 0). The Space typed after 40 first: its run stops there by itself,
    from epoch 0. Stop at is then cleared (a click on Step and Space play on from 41), and
    the run paused before Enter's part, whose Space must start it."""
    w = main_window
    _space_in_stop_at_plays_to_the_number_typed(w, qtbot)
    w.controls.stop_at.setValue(0)
    assert w.stop_at() is None
    _space_plays_after_a_button_is_clicked_and_from_a_check_box(w, qtbot)
    w.pause()
    qtbot.waitUntil(lambda: not w.playing)
    _enter_in_stop_at_gives_space_back_to_play(w, qtbot)


def _space_plays_after_a_button_is_clicked_and_from_a_check_box(main_window, qtbot):
    # A button focused by the mouse keeps Space for Play (after Step, Space plays, not steps),
    # and so does a check box: the window's Space works wherever the focus is not a button
    # reached with Tab.
    w = main_window
    w.activateWindow()
    before = w.last_snapshot.epoch
    qtbot.mouseClick(w.controls.step, Qt.MouseButton.LeftButton)
    wait_for_run(qtbot, w, before + 1)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)
    _tabbed_to(qtbot, w.show_test)
    checked = w.show_test.isChecked()
    qtbot.keyClick(w.show_test, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert w.show_test.isChecked() == checked


def _type_stop_at(w, qtbot, text: str):
    field = w.controls.stop_at
    qtbot.mouseClick(field.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.hasFocus)
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)
    return field


def _enter_in_stop_at_gives_space_back_to_play(main_window, qtbot):
    # "3000", Enter, Space: nothing played and the field went blank (Esc brought "3,000" back).
    w = main_window
    w.activateWindow()
    field = _type_stop_at(w, qtbot, "3000")
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)
    assert not field.hasFocus()
    assert field.text() == "3,000" and w.controls.stop_at_value() == 3000
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert field.text() == "3,000"


def _space_in_stop_at_plays_to_the_number_typed(main_window, qtbot):
    # Space straight after the number: the number is taken, and Space plays (no blank typed).
    w = main_window
    w.activateWindow()
    field = _type_stop_at(w, qtbot, "40")
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert field.text() == "40" and w.controls.stop_at_value() == 40
    qtbot.waitUntil(lambda: not w.playing and w.last_snapshot.epoch == 40,
                    timeout=FIRST_SNAPSHOT_MS)


def _f1_lists_ctrl_tab_which_switches_the_view_tabs(main_window, qtbot):
    w = main_window
    rows = dict(f1_rows(w, qtbot))
    assert rows["Ctrl+Tab"] == "Next view tab"
    assert rows["Ctrl+Shift+Tab"] == "Previous view tab"
    w.shortcuts_dialog.close()
    # ... and the key does what the list says, wherever the focus is: in the views, after Esc,
    # on the run bar, and in the settings (where it switched Data / Training / Network
    # instead, and the views stayed: review r5).
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    side = w.panels_scroll
    w.resize(1024, 768)  # the settings as tabs
    qtbot.waitUntil(lambda: side.tabbed, timeout=5000)
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    for where in ("views", "Esc", "run bar", "settings"):
        side.reveal(w.data_panel.dataset)
        if where == "views":
            w.show_view("main")
            w.boundary.setFocus()
        elif where == "Esc":  # from a field: the keys are the window's
            w.data_panel.dataset.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.waitUntil(w.data_panel.dataset.hasFocus)
            qtbot.keyClick(w.data_panel.dataset, Qt.Key.Key_Escape)
            qtbot.waitUntil(w.hasFocus)
        else:
            widget = w.controls.reset if where == "run bar" else w.data_panel.dataset
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.waitUntil(widget.hasFocus)
        focus = QApplication.focusWidget() or w
        before, left = w.tabs.currentIndex(), side.tabs.currentIndex()
        qtbot.keyClick(focus, Qt.Key.Key_Tab, ctrl)
        assert w.tabs.currentIndex() == (before + 1) % w.tabs.count(), where
        assert side.tabs.currentIndex() == left
        qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Backtab, ctrl | shift)
        assert w.tabs.currentIndex() == before, where
    # The settings' tabs have keys of their own, listed too.
    assert rows["Ctrl+PgDown"] == "Next settings tab"
    w.data_panel.dataset.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.data_panel.dataset.hasFocus)
    left, view = side.tabs.currentIndex(), w.tabs.currentIndex()
    qtbot.keyClick(w.data_panel.dataset, Qt.Key.Key_PageDown, ctrl)
    assert side.tabs.currentIndex() == left + 1 and w.tabs.currentIndex() == view
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageUp, ctrl)
    assert side.tabs.currentIndex() == left


@pytest.fixture
def light_after():
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def _the_gradients_more_link_reads_on_the_dark_theme(main_window, qtbot):
    # "More..." was Qt's #0000FF on the dark panel (about 2:1): the view, first seen on the
    # light theme, kept the light theme's link colour.
    from nnviz.gui.look import restyle
    w = main_window
    w.resize(1024, 768)
    w.set_presentation(True)  # the teacher's
    w.show_view("gradients")
    view = w._inspection_views["gradients"]
    qtbot.waitUntil(lambda: view.caption.isVisible() and view.caption.width() > 0)
    colors.set_look("dark")
    restyle(w)
    qtbot.waitUntil(lambda: "More" in view.caption.text(), timeout=5000)
    panel = QColor(*colors.theme().panel)

    def link_colour() -> QColor:
        """The bluest colour drawn in the caption: its link's."""
        img = view.caption.grab().toImage()
        return max((img.pixelColor(x, y) for x in range(img.width())
                    for y in range(img.height())), key=lambda c: c.blue() - c.red())

    def readable() -> bool:
        c = link_colour()
        return c.blue() - c.red() > 40 and _contrast(c, panel) >= 4.5

    qtbot.waitUntil(lambda: view.caption.isVisible() and view.caption.width() > 0)
    qtbot.waitUntil(readable, timeout=5000)
    # Opened, its "Less" is in the same colour.
    view.caption.linkActivated.emit("more")
    assert "Less" in view.caption.text()
    qtbot.waitUntil(readable, timeout=5000)


def _a_data_error_goes_once_the_data_is_edited_points(main_window, qtbot):
    w = main_window
    wait_for_run(qtbot, w, 0)  # (after the letter's Reset: its fresh run drawn)
    panel = w.data_panel
    panel.samples.setValue(5)
    wait_for_run(qtbot, w, 0)
    panel.test_fraction.setValue(0.9)
    assert panel.message.is_error() and "fewer than 2 training points" in panel.message.text()
    actions = w.session_actions
    actions.edit_points_action.trigger()
    assert actions.add_point(0.5, 0.5)
    qtbot.waitUntil(lambda: w.dataset.name.startswith("edited "), timeout=FIRST_SNAPSHOT_MS)
    assert not panel.test_fraction.isEnabled()
    assert not panel.message.is_error() and "fewer than 2" not in panel.message.text()


def test_a_refused_rate_then_the_quit_questions_letters(main_window, qtbot):
    """Step after a refused rate, then the quit question's access keys, on one window (a
    window each, alike at epoch 0; the question comes last: its D discards the run)."""
    _step_with_a_refused_rate_says_the_rate_it_trains_at(main_window, qtbot)
    _the_quit_question_answers_to_its_buttons_letters(main_window, qtbot)


def _step_with_a_refused_rate_says_the_rate_it_trains_at(main_window, qtbot):
    # 1e9 typed and refused, then Step: it trained at the previous 0.3 without a word, the
    # field still saying 1e9 in red.
    w = main_window
    panel = w.training_panel
    w.set_learning_rate(0.3)
    edit = panel.lr.lineEdit()
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    edit.selectAll()
    qtbot.keyClicks(edit, "1e9")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert panel.message.is_error() and "'1e9'" in panel.message.text()
    before = w.last_snapshot.epoch
    qtbot.mouseClick(w.controls.step, Qt.MouseButton.LeftButton)
    s = wait_for_run(qtbot, w, before + 1)
    assert s.config.learning_rate == 0.3
    assert edit.text() == "0.3" and not panel.message.is_error()
    assert w.statusBar().currentMessage() == (
        "Training at learning rate 0.3: the '1e9' typed was refused.")


def test_save_says_the_sweep_is_not_in_the_session(main_window, qtbot, tmp_path):
    from nnviz.core.problem import notebook_problem
    from nnviz.core.sweep import Axis, SweepSpec
    w = main_window
    actions = w.session_actions
    with qtbot.waitSignal(actions.saved, timeout=FIRST_SNAPSHOT_MS):
        actions.save_to(str(tmp_path / "a.nnviz"))
    assert w.statusBar().currentMessage() == "Saved a.nnviz at epoch 0."  # no sweep: no word
    w.show_view("compare")
    view = w._inspection_views["compare"]
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 1.0)),)))
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)
    # Read whole on a projector: presentation mode at 1024x768 showed "Saved blobs.nnviz at
    # epoch 1000; the Compare tab's…" and never the rest.
    w.set_presentation(True)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    with qtbot.waitSignal(actions.saved, timeout=FIRST_SNAPSHOT_MS):
        actions.save_to(str(tmp_path / "class.nnviz"))
    bar = w.statusBar()
    assert bar.currentMessage() == (
        "Saved class.nnviz at epoch 0; not the Compare sweep (Promote a member to save one).")
    qtbot.waitUntil(lambda: bar.displayed_message() == bar.currentMessage(), timeout=5000)
    assert bar.toolTip() == ""  # (its tooltip has it whole only when it is cut)


def test_keys_over_the_views_and_the_tabs(main_window, qtbot):
    """The keys over the views on one window (a window each, alike at epoch 0): Page Down and
    Up on the Backprop tab (first, while its stage is the first), keys and the wheel over
    three views, then Ctrl+Tab from F1's list (which makes the window 1024x768)."""
    _page_down_and_up_step_the_backprop_tabs_stages_as_a_clicker_does(main_window, qtbot)
    _keys_and_the_wheel_over_a_view_step_and_raise_nothing(main_window, qtbot)
    _f1_lists_ctrl_tab_which_switches_the_view_tabs(main_window, qtbot)


def _keys_and_the_wheel_over_a_view_step_and_raise_nothing(main_window, qtbot):
    # A reviewer clicked into the Backprop diagram (and the Compare tab's blank space) and
    # pressed Right: the run stepped, and "Something went wrong: TypeError: 'MainWindow' object
    # is not callable" came up. The view kept its window under the name of QWidget.window(),
    # which the window's key filter calls. pytest-qt fails the test on an exception in a filter.
    # The three views in turn in one window (a window per view proved nothing more).
    for view in ("backprop", "compare", "regions"):
        _key_and_wheel_over(main_window, qtbot, view)


def _key_and_wheel_over(w, qtbot, view: str) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    w.show_view(view)
    widget = w._inspection_views[view]
    qtbot.waitUntil(widget.isVisible)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    before = w.last_snapshot.epoch
    qtbot.keyClick(widget, Qt.Key.Key_Right)  # the key goes through the filter at once
    if view != "compare":  # Right steps the run shown (Compare's: its sweep; none here)
        wait_for_run(qtbot, w, before + 1)
        before += 1
    assert w.banner.isHidden() or "went wrong" not in w.banner.text(), view
    centre = QPointF(widget.rect().center())
    wheel = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, wheel)
    assert w.last_snapshot.epoch == before, view  # the wheel over a view does not train


def _page_down_and_up_step_the_backprop_tabs_stages_as_a_clicker_does(main_window, qtbot):
    # A teacher at a projector had no key for Next / Back (a presentation clicker sends Page
    # Down / Page Up): the stages' worked numbers needed the mouse. The keys act only while the
    # tab shows: on the Data & model tab they leave its stage alone.
    w = main_window
    w.activateWindow()
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(view.isVisible)
    assert view.stage == 0
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageDown)
    assert view.stage == 1
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageDown)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageUp)
    assert view.stage == 1
    w.show_view("main")
    qtbot.waitUntil(lambda: not view.isVisible())
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageDown)
    assert view.stage == 1
    rows = [keys for _menu, keys, what in help_menu.shortcuts(w) if "Backprop" in what]
    assert rows == ["PgDown, PgUp"]


# --- A keyboard-first newcomer at 1024x768 (review r5) ---------------------------------------

def _status(w) -> str:
    return w.statusBar().currentMessage()


def test_a_letter_in_a_list_then_a_data_error_edited_away(main_window, qtbot):
    """A letter in a list, then a data error that editing points takes away, on one window (a
    window each, alike at epoch 0). The letter's part first: it ends with R's Reset, a fresh
    run of the window's problem, where the data's part starts as on a new window."""
    _a_letter_in_a_list_picks_its_entry_and_resets_nothing(main_window, qtbot)
    _a_data_error_goes_once_the_data_is_edited_points(main_window, qtbot)


def _a_letter_in_a_list_picks_its_entry_and_resets_nothing(main_window, qtbot):
    # r typed on layer 1's activation list (to reach "relu") was the window's R: the trained
    # run was reset, and the list still said "sigmoid". Then Ctrl+Z put the keyboard's ring on
    # "+ Add layer", where the Space that should play added a layer.
    w = main_window
    w.step(3)
    wait_for_run(qtbot, w, 3)  # (from a window at epoch 0)
    # A list's popup open: a letter moves in it, and R is not the window's either.
    optimizer = w.training_panel.optimizer
    w.panels_scroll.reveal(optimizer)
    _tabbed_to(qtbot, optimizer)
    optimizer.showPopup()
    qtbot.waitUntil(optimizer.view().isVisible)
    qtbot.keyClick(optimizer.view(), Qt.Key.Key_R)
    assert optimizer.view().currentIndex().data() == "rmsprop"
    qtbot.keyClick(optimizer.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not optimizer.view().isVisible())
    assert not _status(w).startswith("Reset")
    combo = w.editor.rows[0].activation
    w.panels_scroll.reveal(combo)
    _tabbed_to(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_R)
    assert combo.currentText() == "relu"
    assert not _status(w).startswith("Reset")
    undo = w.session_actions.undo_action
    assert "reset" not in undo.text() and w.editor.hidden()[0][1] == "relu"
    # Ctrl+Z takes the activation back, and the keyboard's ring goes on no button.
    layers = len(w.editor.rows)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.editor.hidden()[0][1] == "sigmoid", timeout=5000)
    wait_for_run(qtbot, w)
    assert w._field_keys.ringed() is None
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert len(w.editor.rows) == layers
    # With no list or field in focus, R is still the window's Reset.
    w.pause()
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: _status(w).startswith("Reset"), timeout=5000)


def _space_plays_after_a_preset_is_loaded_from_a_ringed_button(main_window, qtbot):
    # The preset's note says "Press Play (Space)"; Space pressed "+ Add layer", where the
    # keyboard's ring was, and the preset's network got a fourth layer.
    w = main_window
    add = w.editor.add
    w.panels_scroll.reveal(add)
    _tabbed_to(qtbot, add)
    assert w._field_keys.ringed() is add
    w.session_actions.preset_actions["moons"].trigger()
    wait_for_run(qtbot, w, 0)
    assert "Press Play (Space)" in w.session_actions.last_message
    assert w._field_keys.ringed() is None
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert w.current_problem().spec.hidden == (4, 10, 4)
    # An exercise ("Press Play (Space)." in the status bar) too.
    w.pause()
    step = w.controls.step
    _tabbed_to(qtbot, step)
    assert w._field_keys.ringed() is step
    from .test_exercise_panel import FOLDER
    w.open_exercise(str(FOLDER / "06-moons-target-loss.toml"))
    wait_for_run(qtbot, w, 0)
    assert "Press Play (Space)" in _status(w)
    assert w._field_keys.ringed() is None
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.playing, timeout=5000)
    assert w.current_problem().spec.hidden == (4, 10, 4)


def _the_quit_question_answers_to_its_buttons_letters(main_window, qtbot):
    # Save / Discard / Cancel had no access keys: D and Alt+D did nothing (review r5).
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    w = main_window
    before = w.last_snapshot.epoch
    w.step(2)
    wait_for_run(qtbot, w, before + 2)
    seen = []

    def press_d() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_d)
            return
        seen.append(sorted(b.text() for b in box.buttons()))
        qtbot.keyClick(box, Qt.Key.Key_D)
        try:
            qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
        finally:
            if box.isVisible():  # (D did nothing: Cancel, so that the test ends)
                box.reject()
    QTimer.singleShot(0, press_d)
    assert w.session_actions.may_close(quitting=True)  # D: Discard
    assert seen == [["&Cancel", "&Discard", "&Save"]]
