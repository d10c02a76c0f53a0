"""The settings panels in columns side by side, or as tabs (one a panel, named by its title) when
the room is narrower than the columns: the window must fit a 1024-pixel projector, and one
column under the other there put the architecture editor below the fold, out of sight."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QGroupBox, QHBoxLayout, QScrollArea,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from .widgets import MessageLabel

MARGINS = (8, 8, 4, 8)
MARK = "\u2022"  # after a tab's name: a message waits there


def _scroll(inner: QWidget) -> QScrollArea:
    """A frameless area that scrolls ``inner`` down when the height is short (never across)."""
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    # No stop of its own for the Tab key (it scrolls to the field the keyboard goes to).
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def _height_at(area: QScrollArea) -> int:
    """The height ``area``'s widget needs at the area's width (no scroll bar beside it): its
    wrapped messages' lines as they are laid out. Its size hint guesses a label's lines at a
    width of its own: a rate note of four lines counted as three, and the settings were fitted
    a line short."""
    inner = area.widget()
    height = inner.heightForWidth(area.width()) if inner.hasHeightForWidth() else -1
    return height if height >= 0 else inner.sizeHint().height()


class ColumnsScroll(QStackedWidget):
    """``columns``, each a list of group boxes one under the other, side by side where they fit
    (scrolling down when the height is short). Narrower, each group box is a tab of its own,
    the tab named by the box's title (the box shows none then): every group's name in sight and
    a click away, each tab as tall as the room. The same widgets move between the two (what was
    typed stays, focus stays where it was, on its tab); the last tab chosen is kept."""

    #: the panels went from columns to tabs or back (the height they need changed)
    arranged = Signal()
    #: another tab in front (tabbed: the height they need is that tab's)
    page_changed = Signal()

    def __init__(self, columns: list[list[QGroupBox]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.panels = [p for column in columns for p in column]
        self.titles = [p.title() for p in self.panels]
        self.tabbed = False
        self._moving = False  # the panels going from columns to tabs or back

        # The tabs first: their bar comes before the panels' fields in the focus chain.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._page_layouts: list[QVBoxLayout] = []
        for p, title in zip(self.panels, self.titles):
            page = QWidget()
            v = QVBoxLayout(page)
            v.setContentsMargins(*MARGINS)
            v.addStretch(1)
            self._page_layouts.append(v)
            self.tabs.addTab(_scroll(page), title)
            p.installEventFilter(self)  # shown or hidden (an exercise's): its tab with it
            for m in p.findChildren(MessageLabel):  # (and the layer rows' as they come)
                m.installEventFilter(self)
        self._mark_tabs()
        self.tabs.currentChanged.connect(self._page_changed)
        self.tabs.tabBar().installEventFilter(self)  # (a tooltip says the messages of now)
        self.addWidget(self.tabs)

        inner = QWidget()
        self.box = QHBoxLayout(inner)
        self.box.setContentsMargins(*MARGINS)
        self._column_layouts: list[QVBoxLayout] = []
        for column in columns:
            holder = QWidget()
            v = QVBoxLayout(holder)
            v.setContentsMargins(0, 0, 0, 0)
            for p in column:
                v.addWidget(p)
            v.addStretch(1)  # each box as tall as its rows, not an empty frame down to the loss
            self._column_layouts.append(v)
            self.box.addWidget(holder, 1)
        self.scroll = _scroll(inner)
        self.insertWidget(0, self.scroll)
        self.setCurrentWidget(self.scroll)

        self._fit()

    # --- the room each way ----------------------------------------------------------------------

    def _needs(self, side_by_side: bool) -> int:
        """The least width of the columns side by side, or of the widest panel alone."""
        widths = [max(p.minimumSizeHint().width() for p in column) for column in self.columns]
        inner = sum(widths) + self.box.spacing() * (len(widths) - 1) if side_by_side \
            else max(widths)
        return inner + MARGINS[0] + MARGINS[2] + self.scroll.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self):  # noqa: N802 (Qt)
        hint = super().minimumSizeHint()
        hint.setWidth(self._needs(False))
        return hint

    def needed_height(self) -> int:
        """The height that shows every field without scrolling: the columns' tallest, or the
        tab in front's page under the tab bar. Each tab as tall as the tallest (the Network's)
        left ~150 px of empty grey under the Data and Training tabs, while the loss chart under
        them shrank to ~135 px (text at 150% at 1400x900, and 1024x768); the other tabs' own
        heights count when they come in front (``page_changed``)."""
        if not self.tabbed:
            return _height_at(self.scroll)
        page = self.tabs.currentWidget()
        return self.tabs.tabBar().sizeHint().height() + (_height_at(page) if page else 0)

    def reveal(self, widget: QWidget) -> None:
        """Bring ``widget`` (one of the panels' fields, or a panel) into view: its tab in front
        where the panels are tabs, scrolled to where it is not."""
        for i, p in enumerate(self.panels):
            if p is widget or p.isAncestorOf(widget):
                if self.tabbed:
                    self.tabs.setCurrentIndex(i)
                area = self.tabs.widget(i) if self.tabbed else self.scroll
                area.ensureWidgetVisible(widget, 0, 0)
                return

    # --- switching ------------------------------------------------------------------------------

    def _fit(self) -> None:
        tabbed = self.width() < self._needs(True)
        if tabbed != self.tabbed:
            self._arrange(tabbed)

    def _arrange(self, tabbed: bool) -> None:
        focus = QApplication.focusWidget()
        focused = next((i for i, p in enumerate(self.panels)
                        if focus is not None and p.isAncestorOf(focus)), None)
        self.tabbed = tabbed
        self.setUpdatesEnabled(False)
        self._moving = True  # (a panel moved is hidden and shown, not on purpose)
        try:
            k = 0
            for c, column in enumerate(self.columns):
                for row, p in enumerate(column):
                    if tabbed:
                        p.setTitle("")  # the tab says it
                        self._page_layouts[k].insertWidget(0, p)
                    else:
                        p.setTitle(self.titles[k])
                        self._column_layouts[c].insertWidget(row, p)
                    k += 1
            self.setCurrentWidget(self.tabs if tabbed else self.scroll)
        finally:
            self._moving = False
            self.setUpdatesEnabled(True)
        self._tabs_as_panels()
        self.arranged.emit()
        if focused is not None:  # a field being edited stays in front, with the keyboard
            if tabbed:
                self.tabs.setCurrentIndex(focused)
            # (the move took the focus away, which enters a typed value: a layer row may
            # have been built anew by it)
            if shiboken6.isValid(focus) and focus.isVisible():
                focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_changed(self, *_) -> None:
        if self.tabbed and not self._moving:
            self.page_changed.emit()

    def _tabs_as_panels(self) -> None:
        """A tab for every panel not hidden on purpose (an exercise hides the data's)."""
        for i, p in enumerate(self.panels):
            hidden = p.isHidden() and p.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            if self.tabs.isTabVisible(i) == hidden:
                self.tabs.setTabVisible(i, not hidden)

    def _mark_tabs(self) -> None:
        """A panel's refusal or note (a message under its fields) marks its tab: "Network •",
        the message in the tab's tooltip. A change on one tab can speak on another (new data:
        the Network's "a fresh model starts at epoch 0"), out of sight without the mark."""
        for i, (p, title) in enumerate(zip(self.panels, self.titles)):
            said = [m.text() for m in p.findChildren(MessageLabel)
                    if m.text() and not m.isHidden()]
            text = f"{title} {MARK}" if said else title
            if self.tabs.tabText(i) != text:
                self.tabs.setTabText(i, text)
            tip = f"The {title.lower()} settings."
            self.tabs.setTabToolTip(i, "\n".join([tip, *said]))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        kind = event.type()
        if kind == QEvent.Type.ToolTip and obj is self.tabs.tabBar():
            self._mark_tabs()  # a message that changed its words since it showed
        elif kind in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent) and not self._moving:
            if isinstance(obj, MessageLabel):
                self._mark_tabs()
            else:
                self._tabs_as_panels()
        elif kind == QEvent.Type.ChildAdded and isinstance(event.child(), MessageLabel) \
                and obj in self.panels:
            event.child().installEventFilter(self)
        elif kind == QEvent.Type.ChildRemoved and obj in self.panels:
            QTimer.singleShot(0, self, self._mark_tabs)  # (a layer removed, its message too)
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._fit()
        super().resizeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._fit()  # the font may have changed while hidden (presentation mode)
        super().showEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.FontChange:  # wider or narrower panels, once laid out
            QTimer.singleShot(0, self, self._fit)
        super().changeEvent(event)


class SideTabs(QTabWidget):
    """The left column's top: the settings, and an open exercise beside them as a tab of its own
    (at 768 pixels of height the exercise above the plot was squeezed to two lines of its task;
    here it has the settings' whole height). The tab bar shows only when there are two tabs to
    choose from; presentation mode folds the settings away (the exercise stays)."""

    def __init__(self, settings: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.exercise: QWidget | None = None
        self._settings_shown = True
        self.setDocumentMode(True)
        self.addTab(settings, "Settings")
        self.setTabToolTip(0, "The data, the network and the training settings.")
        self._refresh()

    def set_exercise(self, widget: QWidget | None, title: str = "Exercise") -> None:
        """Show ``widget`` in front as the exercise's tab (None: remove it)."""
        if self.exercise is not None and widget is not self.exercise:
            self.removeTab(self.indexOf(self.exercise))
        self.exercise = widget
        if widget is not None:
            if self.indexOf(widget) < 0:
                self.insertTab(0, widget, title)
                self.setTabToolTip(0, "The exercise: its task, its goals checked live, hints "
                                      "and the solution.")
            self.setCurrentWidget(widget)
        self._refresh()

    def set_exercise_title(self, title: str) -> None:
        if self.exercise is not None:
            self.setTabText(self.indexOf(self.exercise), title)

    def set_settings_shown(self, on: bool) -> None:
        self._settings_shown = bool(on)
        self._refresh()

    def _refresh(self) -> None:
        i = self.indexOf(self.settings)
        self.setTabVisible(i, self._settings_shown)
        shown = sum(self.isTabVisible(k) for k in range(self.count()))
        self.tabBar().setVisible(shown > 1)
        # A tab stop only with its bar in sight: Tab came to the tab widget, whose focus goes
        # to its hidden bar, and stayed where it was (trapped in "Stop at epoch", the last
        # field before it: 7, Tab, 8 typed 78).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus if shown > 1 else Qt.FocusPolicy.NoFocus)
        if shown and not self.currentWidget().isVisibleTo(self) and self.isTabVisible(0):
            self.setCurrentIndex(0)
        if (shown == 0) != self.isHidden() and (shown == 0 or self.parentWidget() is not None):
            self.setVisible(shown > 0)
