"""The settings panels in two columns side by side, or one under the other (scrolling) when the
room is narrower than both: the window must fit a 1024-pixel projector."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QTabWidget, QWidget


class ColumnsScroll(QScrollArea):
    """A vertical scroll area over ``columns``, laid out side by side when they fit."""

    def __init__(self, columns: list[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        inner = QWidget()
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, inner)
        self.box.setContentsMargins(8, 8, 4, 8)
        for c in columns:
            self.box.addWidget(c, 1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._fit()

    def _needs(self, side_by_side: bool) -> int:
        m = self.box.contentsMargins()
        widths = [c.minimumSizeHint().width() for c in self.columns]
        inner = sum(widths) + self.box.spacing() * (len(widths) - 1) if side_by_side \
            else max(widths)
        return inner + m.left() + m.right() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self):  # noqa: N802 (Qt)
        hint = super().minimumSizeHint()
        hint.setWidth(self._needs(False))
        return hint

    def _fit(self) -> None:
        wide = self.width() >= self._needs(True)
        direction = QBoxLayout.Direction.LeftToRight if wide else \
            QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._fit()
        super().resizeEvent(event)


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
        if shown and not self.currentWidget().isVisibleTo(self) and self.isTabVisible(0):
            self.setCurrentIndex(0)
        if (shown == 0) != self.isHidden() and (shown == 0 or self.parentWidget() is not None):
            self.setVisible(shown > 0)
