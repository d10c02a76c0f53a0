"""A keyboard-first reviewer's items (the third keys review): what the keyboard and a screen
reader reach and see. The full-speed button's words; the menus' access letters; the settings'
Tab order; the network diagram's weights edited from the keyboard; a focus ring on sliders,
tab bars and dialog buttons."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _in_window(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


# -- the full-speed button ----------------------------------------------------------------------

@pytest.mark.parametrize("presentation", [False, True])
def test_the_full_speed_button_says_what_it_does_and_its_key(bare_window, qtbot, presentation):
    # "▶▶" alone: a screen reader read an unnamed button, and its words were in a tooltip only.
    w = bare_window
    w.set_presentation(presentation)
    _at_size(w, qtbot, (1024, 768))
    button = w.controls.full_speed
    assert button.accessibleName() == "Full speed"
    assert "(F)" in button.toolTip() and "full speed" in button.toolTip().lower()
    assert button.text() == "Full"  # words beside the glyph, seen whole ...
    assert button.width() >= button.sizeHint().width()
    assert _in_window(button, w).right() < _in_window(w.controls.stop_at, w).left()
    assert w.width() == 1024  # ... without widening the window


# -- access letters -----------------------------------------------------------------------------

def _letter(text: str) -> str | None:
    import re
    m = re.search(r"&([^&])", text.replace("&&", ""))
    return m.group(1).lower() if m else None


def _menus(menu, path=()):
    yield path + (menu.title().replace("&", ""),), menu
    for a in menu.actions():
        if a.menu() is not None:
            yield from _menus(a.menu(), path + (menu.title().replace("&", ""),))


def test_every_menu_entry_has_a_letter_of_its_own(main_window):
    # Alt+P opened Presets, and no letter reached "Moons" or "XOR"; the Lessons menu's entries
    # and its exercises had none either.
    w = main_window
    views = w.views_button.menu()  # the tab bar's "All views" list: a menu as the others
    for path, menu in [m for top in w.menuBar().actions() for m in _menus(top.menu())] + [
            (("All views",), views)]:
        menu.aboutToShow.emit()  # (as it shows: entries made since have theirs)
        entries = [a for a in menu.actions() if a.text() and not a.isSeparator()
                   and a.isEnabled()]
        letters = [_letter(a.text()) for a in entries]
        assert None not in letters, (path, [a.text() for a in entries])
        assert len(set(letters)) == len(letters), (path, [a.text() for a in entries])
    # A view has the same letter in the list as under View.
    listed = [a.text() for a in views.actions()]
    assert len(listed) >= 10 and listed == [a.text() for a in w.view_menu.actions()][:len(listed)]
    presets = w.session_actions.presets_menu
    assert _letter(w.session_actions.preset_actions["xor"].text()) == "x"
    notebook = [a.text() for a in presets.actions() if a.text().startswith("&")][:5]
    assert notebook == [a.text() for a in w.lessons_menu.actions()][:5]  # the same letters
    # r9: Alt+F, E, P opened "Decision plot as image" where most press P for Python.
    script, = [a for a in w.session_actions.export_menu.actions() if "Python" in a.text()]
    assert _letter(script.text()) == "p"


def test_a_preset_is_loaded_with_its_letter(main_window, qtbot):
    w = main_window
    menu = w.session_actions.presets_menu
    menu.popup(w.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, "x")  # Alt+P, X: "XOR: one small hidden layer"
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert w.current_problem().source.name == "xor"


def test_a_view_is_shown_with_its_letter_from_the_all_views_list(main_window, qtbot):
    # The list beside the view tabs had no letters: the keyboard went down it entry by entry.
    w = main_window
    assert w.current_view() == "main"
    menu = w.views_button.menu()
    menu.popup(w.mapToGlobal(QPoint(20, 20)))  # (the button's own is modal: exec)
    qtbot.waitUntil(menu.isVisible)
    gradients, = [a for a in menu.actions() if a.text().replace("&", "") == "Gradients"]
    assert _letter(gradients.text()) == "g"  # underlined, as under View
    qtbot.keyClick(menu, "g")
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert w.current_view() == "gradients"


# -- the settings' Tab order --------------------------------------------------------------------

def _tab_through_settings(w, qtbot) -> list:
    """From the first field of the settings (the data set), Tab until the focus leaves them:
    the widgets it visited, in order."""
    from PySide6.QtCore import Qt
    panels = (w.data_panel, w.training_panel, w.editor)
    first = w.data_panel.dataset
    assert first.isVisible()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    visited = [first]
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        f = QApplication.focusWidget()
        if not any(p.isAncestorOf(f) for p in panels) or f in visited:
            break
        visited.append(f)
    return visited


def test_tab_visits_the_settings_in_their_on_screen_order(main_window, qtbot):
    # At 1400x900 (the settings in columns) Tab went x1, x2, x1², x2², then back up to x1·x2
    # at the first row's end, then down to sin(x1).
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    panels = (w.data_panel, w.training_panel, w.editor)
    assert all(p.isVisible() for p in panels)  # side by side, not in tabs
    visited = _tab_through_settings(w, qtbot)
    names = [getattr(f, "text", lambda: "")() if hasattr(f, "isChecked") else
             type(f).__name__ for f in visited]
    assert {"x1", "x2", "x1·x2", "x1²", "sin(x2)"} <= set(names)  # it went through them

    def where(f):
        panel = next(i for i, p in enumerate(panels) if p.isAncestorOf(f))
        r = _in_window(f, w)
        return panel, r.center().y(), r.left()

    for a, b in zip(visited, visited[1:]):
        (pa, ya, xa), (pb, yb, xb) = where(a), where(b)
        if pa != pb:
            assert pb > pa, (names, "to an earlier panel")
            continue
        # the next field is below, or on the same row to the right
        assert yb > ya + 4 or (abs(yb - ya) <= 4 and xb > xa), (
            names[visited.index(a)], names[visited.index(b)], names)


# -- the network diagram from the keyboard ------------------------------------------------------

def test_a_weight_is_edited_from_the_keyboard(main_window, qtbot):
    # Only a click on a link or a bias opened its editor: the keyboard could not reach one.
    from PySide6.QtCore import Qt
    w = main_window
    w.show_view("network")
    view = w._inspection_views["network"]
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.spec is not None and canvas.isVisible())
    assert "Enter" in canvas.toolTip()  # said where the mouse finds it, and ...
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    canvas.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab gives it
    qtbot.waitUntil(canvas.hasFocus)
    assert "arrow keys" in w.statusBar().currentMessage()  # ... as Tab reaches the diagram
    out = canvas.spec.n_layers - 1
    assert canvas.selected == (out, 0)  # the output neuron, ringed
    qtbot.keyClick(canvas, Qt.Key.Key_Left)  # the diagram's, not the window's (Right: step)
    assert canvas.selected[0] == out - 1  # hidden layer 3, a unit level with the output
    first = canvas.selected[1]
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    layer, unit = canvas.selected
    assert (layer, unit) == (out - 1, first + 1)  # the unit under it
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.selected == (out - 1, unit)
    assert w.last_snapshot.epoch == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Return)  # its bias and weights, with their values
    menu = view.values_open
    qtbot.waitUntil(menu.isVisible)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0].startswith("bias: ") and texts[1].startswith("weight from hidden")
    assert sum(t.startswith("weight from") for t in texts) == canvas.spec.layer_sizes[out - 1]
    assert sum(t.startswith("weight to output") for t in texts) == 1
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Down)  # the first weight in
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(view.editor.isVisible)
    assert view.editor.hasFocus()
    item = ("w", layer, 0, unit)
    assert float(view.editor.text()) == pytest.approx(canvas.value_of(item), rel=1e-5)
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "0.5")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert not view.editor.isVisible() and canvas.hasFocus()  # back on the diagram
    qtbot.waitUntil(lambda: float(w.last_snapshot.params[layer][0][0, unit]) == 0.5,
                    timeout=10_000)
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)  # the keys back to the window
    assert not canvas.hasFocus()


# -- a focus ring on sliders, tab bars and dialog buttons ---------------------------------------

def _ring_pixels(widget, rect=None) -> int:
    """How many pixels of ``widget`` (of ``rect`` in it) are in the theme's focus colour."""
    from nnviz.gui import colors
    ring = colors.focus_ring()
    img = widget.grab(rect if rect is not None else widget.rect()).toImage()
    n = 0
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            if abs(c.red() - ring.red()) + abs(c.green() - ring.green()) \
                    + abs(c.blue() - ring.blue()) < 40:
                n += 1
    return n


def _keyed(qtbot, widget) -> None:
    from PySide6.QtCore import Qt
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab gives it
    qtbot.waitUntil(widget.hasFocus)
    QApplication.processEvents()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_tab_shows_a_ring_on_sliders_tab_bars_and_dialog_buttons(main_window, qtbot, theme):
    # Fusion's focus on a slider, a tab and a dialog's button was a faint 1-px outline, or
    # nothing: a keyboard reviewer could not tell where Tab had gone.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton
    from nnviz.gui import colors, help_menu
    from .test_review_keys import _contrast
    w = main_window
    w.look_actions[("theme", theme)].trigger()
    qtbot.waitUntil(lambda: (w.controls.palette().window().color().lightness() < 80)
                    == (theme == "dark"))
    assert _contrast(colors.focus_ring(), w.controls.palette().window().color()) >= 3.0
    slider = w.controls.speed
    assert _ring_pixels(slider) == 0  # none before the keyboard comes
    _keyed(qtbot, slider)
    around = 2 * (slider.width() + slider.height())
    assert _ring_pixels(slider) >= around  # a ring all round, 2 px thick or more
    bar = w.tabs.tabBar()
    _keyed(qtbot, bar)
    assert _ring_pixels(slider) == 0  # it went with the focus
    first = bar.tabRect(bar.currentIndex())
    assert _ring_pixels(bar, first) >= 2 * (first.width() + first.height())
    qtbot.keyClick(bar, Qt.Key.Key_Right)  # the next tab: the ring goes with it
    qtbot.waitUntil(lambda: _ring_pixels(bar, first) == 0)
    now = bar.tabRect(bar.currentIndex())
    assert _ring_pixels(bar, now) >= 2 * (now.width() + now.height())
    dialog = help_menu.ShortcutsDialog(w)
    dialog.show()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    button = dialog.findChildren(QPushButton)[0]
    _keyed(qtbot, button)
    assert _ring_pixels(button) >= 2 * (button.width() + button.height())
    dialog.close()


def _ringed_tab(bar, qtbot) -> None:
    """The ring round the bar's current tab, and nowhere else on the bar: as a user sees it."""
    from nnviz.gui import colors

    def ring_in_and_out() -> tuple[int, int]:
        now = bar.tabRect(bar.currentIndex()).intersected(bar.rect())
        ring, img = colors.focus_ring(), bar.grab().toImage()
        inside = outside = 0
        for y in range(img.height()):
            for x in range(img.width()):
                c = img.pixelColor(x, y)
                if abs(c.red() - ring.red()) + abs(c.green() - ring.green()) \
                        + abs(c.blue() - ring.blue()) < 40:
                    if now.contains(x, y):
                        inside += 1
                    else:
                        outside += 1
        return inside, outside

    now = bar.tabRect(bar.currentIndex()).intersected(bar.rect())
    around = 2 * (now.width() + now.height())
    qtbot.waitUntil(lambda: (lambda i, o: i >= around and o == 0)(*ring_in_and_out()))


def test_the_ring_follows_its_tab_when_compare_widens_the_tab_bar(main_window, qtbot):
    """Compare hides the left column, and the tab bar widens after the tab changed: the ring
    stayed where the narrow bar's tab had been (over "Gradients|Landscape") while Compare was
    current; back to Regions (the bar narrow again) there was no ring at all. Chosen from All
    views, the same (review r13, at 1366x768 at 125%; so at 1024x768 too)."""
    from PySide6.QtCore import Qt
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    bar = w.tabs.tabBar()
    compare, = [i for i in range(bar.count()) if bar.tabText(i) == "Compare"]
    _keyed(qtbot, bar)
    narrow = bar.width()
    _ringed_tab(bar, qtbot)
    while bar.currentIndex() != compare - 1:  # to Regions, along the tabs
        qtbot.keyClick(bar, Qt.Key.Key_Right)
        _ringed_tab(bar, qtbot)
    qtbot.keyClick(bar, Qt.Key.Key_Right)  # Compare: the bar widens
    qtbot.waitUntil(lambda: bar.width() > narrow)
    QApplication.processEvents()
    assert w._field_keys.ringed() is bar and bar.currentIndex() == compare
    _ringed_tab(bar, qtbot)
    qtbot.keyClick(bar, Qt.Key.Key_Left)  # Regions: the bar narrows
    qtbot.waitUntil(lambda: bar.width() == narrow)
    QApplication.processEvents()
    _ringed_tab(bar, qtbot)
    # All views -> Compare, the ring still on the bar (a click on the list leaves the focus)
    menu = w.views_button.menu()
    menu.popup(w.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(menu.isVisible)
    show, = [a for a in menu.actions() if a.text().replace("&", "") == "Compare"]
    show.trigger()
    menu.close()
    qtbot.waitUntil(lambda: bar.width() > narrow)
    QApplication.processEvents()
    assert w._field_keys.ringed() is bar and bar.currentIndex() == compare
    _ringed_tab(bar, qtbot)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_tab_shows_a_ring_on_the_lessons_list(main_window, qtbot, theme):
    # The Lessons tab's list looked the same focused or not (its chosen lesson's fill shows
    # either way): Tab went there and nothing said so.
    from nnviz.gui import colors
    from .test_review_keys import _contrast
    w = main_window
    w.look_actions[("theme", theme)].trigger()
    w.show_view("lessons")
    lessons = w._inspection_views["lessons"].list
    qtbot.waitUntil(lambda: lessons.isVisible() and (
        lessons.palette().base().color().lightness() < 80) == (theme == "dark"))
    assert _ring_pixels(lessons) == 0  # none before the keyboard comes
    _keyed(qtbot, lessons)
    assert _ring_pixels(lessons) >= 2 * (lessons.width() + lessons.height())  # all round
    for under in (lessons.palette().base().color(), w.palette().window().color()):
        assert _contrast(colors.focus_ring(), under) >= 3.0
    _keyed(qtbot, w.tabs.tabBar())
    assert _ring_pixels(lessons) == 0  # it went with the focus


def test_a_check_boxs_ring_goes_round_it_and_leaves_its_box_its_own_edge(main_window, qtbot):
    """With the keyboard on "Log scale" the ring was drawn over the box's edge: the box lost
    its border and read as an empty slot, and the ring touched the last letter (review r10)."""
    from PySide6.QtCore import QRect
    w = main_window
    box = w.log_scale
    _keyed(qtbot, box)
    qtbot.waitUntil(lambda: w._field_keys.ringed() is box)
    assert _ring_pixels(box) == 0  # the box and its words as they are without the keyboard
    word = QRect(box.pos(), box.size().boundedTo(box.sizeHint()))  # its box and words
    around = box.parentWidget()
    assert _ring_pixels(around, word.adjusted(-4, -4, 4, 4)) >= 2 * (word.width()
                                                                      + word.height())


def test_tab_leaves_the_shortcuts_list_for_its_close_button(main_window, qtbot):
    # F1's list took Tab to go from cell to cell: its Close button was never reached.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton
    from nnviz.gui import help_menu
    dialog = help_menu.ShortcutsDialog(main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _keyed(qtbot, dialog.table)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    close = dialog.findChildren(QPushButton)[0]
    qtbot.waitUntil(close.hasFocus)
    assert _ring_pixels(close) >= 2 * (close.width() + close.height())
    qtbot.keyClick(close, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_tab_goes_from_the_view_tabs_down_the_main_view(main_window, qtbot):
    # From the tabs Tab went to the plot and its check boxes at the bottom, then back up to
    # "All views" and "What am I looking at?" at the top.
    from PySide6.QtCore import Qt
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    bar = w.tabs.tabBar()
    _keyed(qtbot, bar)
    seen = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        f = QApplication.focusWidget()
        if not w.tabs.isAncestorOf(f):
            break
        seen.append(f)
    toggle = w.explain_panels["main"].toggle
    wanted = [w.views_button, toggle, w.show_test, w.discretize]
    assert [f for f in seen if f in wanted] == wanted
    assert w.boundary not in seen  # a plot, no control: no Tab stop (test_keyboard_after_review)
    tops = [_in_window(f, w).top() for f in seen if f not in (w.views_button,)]
    assert tops == sorted(tops)  # top to bottom (the scroll arrow and the tabs' row first)
