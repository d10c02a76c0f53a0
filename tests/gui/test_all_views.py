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
