"""The tab bar's "All views" list: ten views do not fit one row of tabs, so the bar lists them
all beside its scroll arrows, and any of them is one click away however narrow the window."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _shown(text: str) -> str:
    """A menu entry's text as shown: its access letter's "&" gone, "&&" an "&"."""
    return re.sub("&(.)", r"\1", text)


def test_every_view_is_listed_and_shown_from_the_list_at_a_projectors_size(main_window, qtbot):
    w = main_window
    w.set_presentation(True)
    _at_size(w, qtbot, (1024, 768))
    bar, button = w.tabs.tabBar(), w.views_button
    titles = [bar.tabText(i).replace("&&", "&") for i in range(bar.count())]
    assert len(titles) >= 10
    hidden = [t for i, t in enumerate(titles)
              if not QRect(QPoint(0, 0), bar.size()).contains(bar.tabRect(i))]
    assert hidden, "every tab fits: the list would not be needed"  # what the list is for
    # the button is on screen, inside the window, beside the tabs
    assert button.isVisible()
    at = QRect(button.mapTo(w, QPoint(0, 0)), button.size())
    assert w.rect().contains(at) and at.width() >= button.sizeHint().width()
    menu = button.menu()
    menu.aboutToShow.emit()
    listed = [_shown(a.text()) for a in menu.actions()]  # (each with its letter)
    assert listed == titles
    assert [a.isChecked() for a in menu.actions()] == [i == 0 for i in range(len(titles))]
    for title in hidden:  # the tabs past the arrows, picked from the list
        menu.aboutToShow.emit()
        [a for a in menu.actions() if _shown(a.text()) == title][0].trigger()
        assert bar.tabText(w.tabs.currentIndex()).replace("&&", "&") == title
        menu.aboutToShow.emit()
        assert [_shown(a.text()) for a in menu.actions() if a.isChecked()] == [title]


@pytest.mark.parametrize("presentation", [False, True])
def test_the_settings_column_keeps_its_width_whatever_view_is_shown(main_window, qtbot,
                                                                    presentation):
    """At 1024x768 the Network and Backprop views were wider at their least than the tab:
    showing one pushed the settings and the loss plot 39 px narrower, and they stayed so. (In
    presentation mode those two ask the loss plot to give way, views.DIAGRAM_LEFT_SHARE, while
    they are in front; it has its width back beside the others.)"""
    w = main_window
    w.set_presentation(presentation)
    _at_size(w, qtbot, (1024, 768))
    start = w.main_split.sizes()
    for name in w.view_names():
        if name == "compare":  # (folds the settings away: its own settings are on the tab)
            continue
        w.show_view(name)
        qtbot.waitUntil(lambda: w._views[name].isVisible())
        for _ in range(3):  # the layout requests the new page posted
            QApplication.processEvents()
        share = getattr(w.tabs.currentWidget(), "presenting_left_share", None)
        if presentation and share is not None:
            assert abs(w.main_split.sizes()[0] - share * w.width()) <= 4, name
        else:
            assert w.main_split.sizes() == start, name
    w.show_view("main")
    assert w.main_split.sizes() == start


def _whole(bar, i: int) -> bool:
    """Tab ``i`` seen whole on the bar: in view, short of the scroll arrows."""
    r = bar.tabRect(i)
    return 0 <= r.left() and r.right() < bar.room()


@pytest.mark.parametrize("size, presentation", [((1400, 900), False), ((1024, 768), False),
                                                ((1400, 900), True), ((1024, 768), True)])
def test_every_view_is_on_the_tabs_or_counted_and_named_by_the_button_beside_them(
        main_window, qtbot, size, presentation):
    """Review r18: at 1400x900 the bar ended at "Lessons", and a newcomer never found Backprop,
    Regions or Compare (three of ten tabs showed at 1024x768 in presentation mode); the flat
    "All views" beside the arrows went unnoticed. The button now says how many views are off
    the bar, its tooltip names them, its list shows them in bold; its words are read whole."""
    w = main_window
    w.set_presentation(presentation)
    _at_size(w, qtbot, size)
    bar, button = w.tabs.tabBar(), w.views_button
    titles = [bar.tabText(i).replace("&&", "&") for i in range(bar.count())]
    assert len(titles) >= 10

    def off() -> list[str]:
        return [t for i, t in enumerate(titles) if not _whole(bar, i)]

    def counted() -> bool:
        """The button counts the views off the bar, and its tooltip names them, them only."""
        n, named = len(off()), [t for t in titles if t in button.toolTip()]
        return button.text() == (f"{n} more views" if n > 1 else "1 more view" if n
                                 else "All views") and named == off()
    qtbot.waitUntil(counted, timeout=5000)
    hidden = off()
    assert hidden, "every tab fits"  # (at these sizes they do not)
    if size == (1400, 900) and not presentation:
        assert {"Backprop", "Regions", "Compare"} <= set(hidden)
    # the button seen whole, in the window, its words whole inside it beside its menu's arrow
    assert button.isVisible()
    at = QRect(button.mapTo(w, QPoint(0, 0)), button.size())
    assert w.rect().contains(at)
    assert button.width() >= button.fontMetrics().horizontalAdvance(button.text()) + 12
    assert not button.autoRaise()  # framed: a button, not a label
    # its list: every view, those off the bar in bold, each shown from it
    menu = button.menu()
    menu.aboutToShow.emit()
    assert [_shown(a.text()) for a in menu.actions()] == titles
    assert [_shown(a.text()) for a in menu.actions() if a.font().bold()] == hidden
    assert all(a.font().resolve(menu.font()).pointSizeF() == menu.font().pointSizeF()
               for a in menu.actions())  # (as large as the menu's others)
    [a for a in menu.actions() if _shown(a.text()) == hidden[-1]][0].trigger()
    qtbot.waitUntil(lambda: bar.tabText(bar.currentIndex()).replace("&&", "&") == hidden[-1]
                    and _whole(bar, bar.currentIndex()) and counted(), timeout=5000)
    assert hidden[-1] not in button.toolTip()  # (on the bar now, in front)


def test_a_click_on_the_tabs_scroll_arrow_scrolls_them_to_the_last_view(main_window, qtbot):
    """Review r18: five clicks on the bar's right arrow at 1400x900 left it where it was (the
    bar's fit scrolled back at once, to show whole the tab the scroll had cut)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QToolButton
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    bar = w.tabs.tabBar()
    last = bar.count() - 1
    right, = [b for b in bar.findChildren(QToolButton) if b.parentWidget() is bar
              and b.arrowType() == Qt.ArrowType.RightArrow]
    qtbot.waitUntil(lambda: right.isVisible() and right.isEnabled(), timeout=5000)
    assert not _whole(bar, last)
    start = bar.tabRect(0).left()
    QTest.mouseClick(right, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.tabRect(0).left() < start, timeout=5000)
    for _ in range(bar.count()):  # on to the end, as far as it goes
        if not right.isEnabled():
            break
        at = bar.tabRect(0).left()
        QTest.mouseClick(right, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bar.tabRect(0).left() < at, timeout=5000)
    qtbot.waitUntil(lambda: _whole(bar, last), timeout=5000)
    for _ in range(5):  # and it stays there, the current view unchanged
        QApplication.processEvents()
    assert _whole(bar, last) and w.current_view() == "main"
    assert "Compare" not in w.views_button.toolTip()
    left, = [b for b in bar.findChildren(QToolButton) if b.parentWidget() is bar
             and b.arrowType() == Qt.ArrowType.LeftArrow]
    QTest.mouseClick(left, Qt.MouseButton.LeftButton)  # and back
    qtbot.waitUntil(lambda: not _whole(bar, last), timeout=5000)


@pytest.mark.parametrize("name", ["backprop", "lessons"])
def test_a_view_chosen_near_the_arrows_leaves_no_tab_seen_in_part(main_window, qtbot, name):
    """Backprop chosen at 1400x900 left "el" of "Data & model" at the bar's start: the tabs
    widened into the room by the arrows (where Regions was seen in part) and did not scroll."""
    from .test_compare_layout import _tabs_cut
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    bar = w.tabs.tabBar()
    w.show_view(name)
    qtbot.waitUntil(lambda: _whole(bar, bar.currentIndex()) and _tabs_cut(bar) == [],
                    timeout=5000)
    for _ in range(5):  # and it stays so
        QApplication.processEvents()
    assert _tabs_cut(bar) == [] and _whole(bar, bar.currentIndex())
