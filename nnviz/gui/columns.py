"""The settings panels in two columns side by side, or one under the other (scrolling) when the
room is narrower than both: the window must fit a 1024-pixel projector."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QWidget


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
