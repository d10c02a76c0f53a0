"""The tab bar's "All views" list: ten views do not fit one row of tabs, so the bar lists them
all beside its scroll arrows, and any of them is one click away however narrow the window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


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
    listed = [a.text().replace("&&", "&") for a in menu.actions()]
    assert listed == titles
    assert [a.isChecked() for a in menu.actions()] == [i == 0 for i in range(len(titles))]
    for title in hidden:  # the tabs past the arrows, picked from the list
        menu.aboutToShow.emit()
        [a for a in menu.actions() if a.text().replace("&&", "&") == title][0].trigger()
        assert bar.tabText(w.tabs.currentIndex()).replace("&&", "&") == title
        menu.aboutToShow.emit()
        assert [a.text().replace("&&", "&") for a in menu.actions() if a.isChecked()] == [title]
