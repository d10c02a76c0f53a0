"""A keyboard reviewer's fourth pass over the keyboard work: Enter in the diagram's inline
editor; focus rings on check boxes and on every Tab stop in presentation mode; Tab from the
last setting not landing on Reset; the speed label's words and the menus' letters."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _keyed_editor(w, qtbot, item_row: int):
    """The network diagram from the keyboard: the focus on it, Left, Enter, the list's
    ``item_row``-th entry chosen with Enter; returns (view, the item being edited)."""
    w.show_view("network")
    view = w._inspection_views["network"]
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.spec is not None and canvas.isVisible())
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    menu = view.values_open
    qtbot.waitUntil(menu.isVisible)
    for _ in range(item_row + 1):
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    item = menu.activeAction().text()
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(view.editor.isVisible)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert view.editor.hasFocus()
    return view, item


@pytest.mark.parametrize("enter", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_the_weight_editor_does_not_open_the_list_again(main_window, qtbot, enter):
    # The value was applied, but the list of the neuron's bias and weights popped up again over
    # the diagram (the editor's Enter went on to the diagram, its parent: Enter there lists).
    w = main_window
    view, item = _keyed_editor(w, qtbot, 2)  # bias, the first weight in, the second
    assert item.startswith("weight from")
    first_list = view.values_open
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "5")
    mods = Qt.KeyboardModifier.KeypadModifier if enter == Qt.Key.Key_Enter \
        else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(view.editor, enter, mods)
    assert not view.editor.isVisible()
    assert view.values_open is first_list and not first_list.isVisible()  # no list again
    assert QApplication.activePopupWidget() is None
    assert view.canvas.hasFocus()  # the keys back on the diagram
    layer, unit = view.canvas.selected
    qtbot.waitUntil(lambda: float(w.last_snapshot.params[layer][0][1, unit]) == 5.0,
                    timeout=10_000)


def test_a_bad_value_in_the_weight_editor_shows_its_message_and_no_list(main_window, qtbot):
    w = main_window
    view, _ = _keyed_editor(w, qtbot, 2)
    first_list = view.values_open
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert view.message.isVisible() and "“abc” is not a usable value" in view.message.text()
    assert view.values_open is first_list and QApplication.activePopupWidget() is None
    assert view.editor.isVisible() and view.editor.hasFocus()  # to type it again


# -- a ring on every Tab stop -------------------------------------------------------------------

def _ring_round(box) -> int:
    """Focus-ring pixels round ``box``'s box and words, within its parent: a check box's ring
    is drawn there, a pixel clear of it (it no longer covers the box's own edge)."""
    from PySide6.QtCore import QRect
    from .test_keyboard_reach import _ring_pixels
    parent = box.parentWidget()
    word = QRect(box.pos(), box.size().boundedTo(box.sizeHint()))  # its box and words
    return _ring_pixels(parent, word.adjusted(-4, -4, 4, 4).intersected(parent.rect()))


def test_tab_shows_a_ring_on_check_boxes(main_window, qtbot):
    # Log scale, Show test data, Discretize output: a pale fill (about 1.15:1), no ring.
    from .test_keyboard_reach import _keyed
    w = main_window
    from PySide6.QtWidgets import QCheckBox
    box = next(b for b in w.findChildren(QCheckBox) if b.text() == "Log scale")
    assert _ring_round(box) == 0
    _keyed(qtbot, box)
    qtbot.waitUntil(lambda: _ring_round(box) >= 2 * (box.sizeHint().width() + box.height()))
    _keyed(qtbot, w.show_test)
    qtbot.waitUntil(lambda: _ring_round(box) == 0)  # it went with the focus
    size = w.show_test.sizeHint()
    qtbot.waitUntil(lambda: _ring_round(w.show_test) >= 2 * (size.width()
                                                               + w.show_test.height()))


@pytest.mark.parametrize("presentation", [False, True])
def test_every_tab_stop_is_a_control_that_shows_the_focus(main_window, qtbot, presentation):
    # In presentation mode Tab stopped, with nothing to see, on the loss chart (after Log
    # scale) and on the neuron's map (after the diagram): plots, not controls.
    from nnviz.gui.keys import LETTER_FIELDS, RINGED
    from .test_presentation import _at_size
    w = main_window
    w.set_presentation(presentation)
    _at_size(w, qtbot, (1024, 768))
    w.show_view("network")
    canvas = w._inspection_views["network"].canvas
    qtbot.waitUntil(lambda: canvas.spec is not None and canvas.isVisible())
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.controls.play.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.controls.play.hasFocus)
    seen = []
    while True:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        f = QApplication.focusWidget()
        if f is w.controls.play or len(seen) > 80:
            break
        seen.append(f)
    assert canvas in seen
    odd = [type(f).__name__ for f in seen
           if not isinstance(f, RINGED + LETTER_FIELDS) and f is not canvas]
    assert odd == []


# -- Tab from the last setting ------------------------------------------------------------------

@pytest.mark.parametrize("presentation", [False, True])
def test_tab_then_space_from_the_last_setting_does_not_reset_the_run(main_window, qtbot,
                                                                      presentation):
    # Tab out of the Learning rate field wrapped round to Reset (the toolbar's first button):
    # the next key, Space ("Space plays", the window says), threw the run away.
    w = main_window
    w.set_presentation(presentation)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    seen = []  # Tab from the toolbar's Play to the chain's last stop and round
    w.controls.play.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.controls.play.hasFocus)
    while len(seen) < 80:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        f = QApplication.focusWidget()
        if f is w.controls.play:
            break
        seen.append(f)
    assert w.controls.lr in seen or w.controls.lr.isAncestorOf(seen[-1]) or not presentation
    last = seen[-1]  # Tab from here goes to Play: Space plays, as everywhere
    assert last not in (w.controls.reset, w.controls.restart)
    assert w.controls.reset in seen  # still reached by Tab, in the toolbar's pass
    run = w.run_id
    last.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(last.hasFocus)
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert w.run_id == run
    qtbot.waitUntil(lambda: w.playing)
    w.controls.play.click()
    qtbot.waitUntil(lambda: not w.playing)


# -- words and letters --------------------------------------------------------------------------

def test_the_speed_row_does_not_say_speed_twice_at_full_speed(bare_window, qtbot):
    # "Speed full speed": the row's title and the speed's words, read together.
    from PySide6.QtWidgets import QLabel
    w = bare_window
    c = w.controls
    title = next(t for t in c.findChildren(QLabel) if t.text() == "Speed")
    qtbot.keyClick(w, Qt.Key.Key_F)
    assert c.full_speed.isChecked()
    row = f"{title.text()} {c.speed_label.text()}"
    assert row.lower().count("speed") == 1, row
    assert c.speed_label.width() >= c.speed_label.fontMetrics().horizontalAdvance(
        c.speed_label.text())  # seen whole


def _shown(w, qtbot, menu):
    from PySide6.QtCore import QPoint
    menu.popup(w.mapToGlobal(QPoint(20, 20)))  # (aboutToShow: the letters for this menu)
    qtbot.waitUntil(menu.isVisible)


def test_exercises_take_e_in_the_lessons_menu(main_window, qtbot):
    # Alt+L: "E&xercises", though no other entry of the Lessons menu had E (the same entry is
    # under File, where Export has E, and it got its letter there).
    from .test_keyboard_reach import _letter
    w = main_window
    lessons = w.lessons_menu
    entry = next(a for a in lessons.actions() if a.menu() is not None)
    _shown(w, qtbot, lessons)
    assert _letter(entry.text()) == "e"
    qtbot.keyClick(lessons, "e")
    qtbot.waitUntil(entry.menu().isVisible)  # the exercises, from their letter
    entry.menu().close()
    lessons.close()
    qtbot.waitUntil(lambda: not lessons.isVisible())
    file_menu = next(top.menu() for top in w.menuBar().actions()
                     if top.text().replace("&", "") == "File")
    _shown(w, qtbot, file_menu)  # under File it keeps a letter of its own there
    letters = [_letter(a.text()) for a in file_menu.actions()
               if a.text() and not a.isSeparator() and a.isEnabled()]
    assert _letter(entry.text()) in letters and letters.count(_letter(entry.text())) == 1
    file_menu.close()


def test_the_sine_preset_has_a_letter_of_its_name(main_window, qtbot):
    # "Sine: fitting &a curve": its letter came from "a", not from the word naming it.
    from .test_keyboard_reach import _letter
    w = main_window
    menu = w.session_actions.presets_menu
    sine = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Sine"))
    assert _letter(sine.text()) in "sine"
    _shown(w, qtbot, menu)
    qtbot.keyClick(menu, _letter(sine.text()))
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert w.current_problem().source.name.startswith("sin")
