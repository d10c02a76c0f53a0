"""Small widgets the panels share: a message label for refused input, number fields; and
``cache_axes`` for pyqtgraph plots."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGraphicsItem, QLabel, QSpinBox, QWidget

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #555;"
INVALID_FIELD = "background: #fde7e9;"


class MessageLabel(QLabel):
    """A wrapped line of text under a field: empty, an error (red) or a note (grey)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self._set(text)

    def show_note(self, text: str) -> None:
        self.setStyleSheet(NOTE_STYLE)
        self._set(text)

    def clear_message(self) -> None:
        self._set("")

    def _set(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def is_error(self) -> bool:
        return self.isVisible() and self.styleSheet() == ERROR_STYLE


class _SaysOutOfRange:
    """A spin box that says so when a typed number is beyond its range (Qt clamps or drops it
    without a word): ``out_of_range(message)``, and the field keeps its value."""

    out_of_range = Signal(str)

    def validate(self, text: str, pos: int):  # noqa: D102 (Qt)
        state, text, pos = super().validate(text, pos)
        if state == QValidator.State.Invalid:
            number = self._typed(text)
            if number is not None and not self.minimum() <= number <= self.maximum():
                self._refused = number
                return QValidator.State.Intermediate, text, pos
        self._refused = None
        return state, text, pos

    def fixup(self, text: str) -> str:  # noqa: D102 (Qt)
        refused = getattr(self, "_refused", None)
        if refused is not None:
            self._refused = None
            low, high = self.minimum(), self.maximum()
            fmt = (lambda v: f"{v:,}") if isinstance(low, int) else (lambda v: f"{v:g}")
            self.out_of_range.emit(f"{fmt(refused)} is out of range: this field takes "
                                   f"{fmt(low)} to {fmt(high)} (it keeps {self.text()}).")
        return super().fixup(text)

    def _typed(self, text: str):
        body = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
        body = body.replace(self.locale().groupSeparator(), "").replace(",", "")
        try:
            return int(body) if isinstance(self, QSpinBox) else float(body)
        except ValueError:
            return None


class SpinBox(_SaysOutOfRange, QSpinBox):
    pass


class DoubleSpinBox(_SaysOutOfRange, QDoubleSpinBox):
    pass


def spin(low: int, high: int, value: int, tip: str) -> SpinBox:
    """An integer field that reports only finished edits (Enter, focus out, arrows), and says
    when a typed number is out of range (``out_of_range``)."""
    w = SpinBox()
    w.setRange(low, high)
    w.setValue(value)
    w.setKeyboardTracking(False)
    w.setToolTip(tip)
    w.setAccelerated(True)
    return w


def dspin(low: float, high: float, value: float, step: float, decimals: int,
          tip: str) -> DoubleSpinBox:
    w = DoubleSpinBox()
    w.setRange(low, high)
    w.setDecimals(decimals)
    w.setSingleStep(step)
    w.setValue(value)
    w.setKeyboardTracking(False)
    w.setToolTip(tip)
    return w


def combo(items: dict[str, str], value: str, tip: str) -> QComboBox:
    """A choice among ``items`` (name -> description); each item's tooltip is its description."""
    w = QComboBox()
    for i, (name, desc) in enumerate(items.items()):
        w.addItem(name, name)
        w.setItemData(i, desc, Qt.ItemDataRole.ToolTipRole)
    w.setCurrentIndex(max(0, w.findData(value)))
    w.setToolTip(tip)
    return w


def set_combo(w: QComboBox, value: str) -> None:
    i = w.findData(value)
    if i >= 0:
        w.setCurrentIndex(i)


class NumberCombo(QComboBox):
    """An editable list of suggested numbers (as TensorFlow Playground's learning rates) that
    also takes any typed number. ``value_changed(float)`` fires for a valid finished edit that
    changes the value; ``validated(str)`` after every finished edit with '' when the text is
    valid, else the reason it is refused (the field keeps the text to fix)."""

    value_changed = Signal(float)
    validated = Signal(str)

    def __init__(self, values: list[float], value: float, low: float, high: float, what: str,
                 tip: str, allow_zero: bool = False) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # No inline completion: it turned a typed "1" into "1e-05" and "0" into "0.0001".
        self.setCompleter(None)
        for v in values:
            self.addItem(f"{v:g}")
        self._low, self._high, self._what, self._zero = low, high, what, allow_zero
        self._value = float(value)
        self.setEditText(f"{value:g}")
        self.setToolTip(tip)
        self.lineEdit().editingFinished.connect(self._commit)
        self.activated.connect(lambda _i: self._commit())

    def value(self) -> float:
        return self._value

    def set_value(self, v: float) -> None:
        self._value = float(v)
        self.setEditText(f"{v:g}")
        self.setStyleSheet("")

    def parse(self, text: str) -> float:
        """The number in ``text``; a ValueError with a reason for the user otherwise."""
        try:
            v = float(text.strip().replace(",", "."))
        except ValueError:
            raise ValueError(f"{self._what}: {text.strip()!r} is not a number") from None
        if not math.isfinite(v) or not (self._low <= v <= self._high) or (v == 0 and not self._zero):
            low = "at least 0" if self._zero else "above 0"
            raise ValueError(f"{self._what} must be {low} and at most {self._high:g}, got {v:g}")
        return v

    def _commit(self) -> None:
        try:
            v = self.parse(self.currentText())
        except ValueError as e:
            self.setStyleSheet(f"QComboBox {{{INVALID_FIELD}}}")
            self.validated.emit(str(e))
            return
        self.setStyleSheet("")
        self.validated.emit("")
        if v != self._value:
            self._value = v
            self.value_changed.emit(v)


def cache_axes(plot_item) -> None:
    """Paint ``plot_item``'s axes from a pixmap kept until the axis itself changes.

    pyqtgraph replays an axis' tick labels (and its grid lines, which cover the whole plot) in
    every paint of the plot, and the plot is repainted whenever its image or curve changes:
    the axes were the largest single cost of a training frame (bench/gui.py). Qt's item cache
    redraws them only when their range, size or style changes.
    """
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        if axis is not None:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
