"""The input features the first layer takes, switched on and off (TensorFlow Playground's x1,
x2, x1², x2², x1·x2, sin(x1), sin(x2)); part of the architecture editor."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from nnviz.core import features

TIPS = {
    "x": "The raw input {x}.",
    "^2": "{x} squared: a unit can draw circles and parabolas with it.",
    "*": "The product {x}: its sign is XOR's class.",
    "sin": "{x}: periodic, for stripes and spirals.",
}


# An input's name longer than this is cut short in its box (the full name in its tip), so that a
# file's "sepal length (cm)" does not widen the editor.
SHORT_NAME = 12


def _short(name: str) -> str:
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "\u2026"


def _tip(name: str, inputs: tuple[str, ...] = ()) -> str:
    label = features.label(name, inputs)
    if name.startswith("sin("):
        text = TIPS["sin"]
    elif name.endswith("^2"):
        text = TIPS["^2"]
    elif "*" in name:
        text = TIPS["*"]
    else:
        text = TIPS["x"]
    return text.format(x=label) + " Switch it on or off: the model starts afresh."


def _cell(name: str, n_inputs: int) -> tuple[int, int]:
    """A row per kind (the inputs and their products, squares, sines), a column per input:
    three narrow columns for two inputs, so the editor keeps its width."""
    idx = features.indices(name)
    if len(idx) == 2:
        return 0, n_inputs + idx[0]
    row = 2 if name.startswith("sin(") else 1 if name.endswith("^2") else 0
    return row, idx[0]


class FeaturePicker(QWidget):
    """One check box per feature of the data's inputs; ``changed`` when one is toggled,
    ``refused(reason)`` when the last one ticked is unticked: it is ticked again."""

    changed = Signal()
    refused = Signal(str)
    REASON = "the first layer needs at least one input feature"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(0)
        self.boxes: dict[str, QCheckBox] = {}
        self.n_inputs = 0
        # Data of many inputs: no boxes; the features given (say by --features) are kept.
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.grid.addWidget(self.note, 3, 0, 1, 3)
        self._unlisted: tuple[str, ...] = ()
        self.input_names: tuple[str, ...] = ()  # the data's names for x1, x2 (() for those)
        self.set_inputs(2, ())

    def set_names(self, names: tuple[str, ...]) -> None:
        """The raw inputs' names to show for x1, x2 (an imported file's "width", "height":
        the boxes say width², width·height); () for x1, x2 themselves (generated data)."""
        self.input_names = tuple(names)
        self._relabel()

    def _relabel(self) -> None:
        short = tuple(_short(n) for n in self.input_names)
        for name, box in self.boxes.items():
            box.setText(features.label(name, short))
            box.setToolTip(_tip(name, self.input_names))

    def set_inputs(self, n_inputs: int, chosen: tuple[str, ...]) -> None:
        """The features of ``n_inputs`` raw inputs, ``chosen`` checked (() = the raw inputs).
        Fires nothing."""
        if n_inputs != self.n_inputs:
            for box in self.boxes.values():
                self.grid.removeWidget(box)
                box.hide()
                box.setParent(None)
                box.deleteLater()
            self.boxes = {}
            offered = n_inputs <= features.MAX_LISTED_INPUTS
            for name in features.catalogue(n_inputs) if offered else ():
                box = QCheckBox()
                box.toggled.connect(lambda on, box=box: self._toggled(box, on))
                self.grid.addWidget(box, *_cell(name, n_inputs))
                self.boxes[name] = box
            # Tab goes as the eye reads the grid, row by row: in the catalogue's order it went
            # x1, x2, x1², x2², then back up to x1·x2 (a keyboard reviewer). The architecture
            # editor chains its rows on from the last box (sin(x2)), which stays the last.
            order = self.in_tab_order()
            for a, b in zip(order, order[1:]):
                QWidget.setTabOrder(a, b)
            self.n_inputs = n_inputs
            self._relabel()
        self._unlisted = () if self.boxes else tuple(chosen)
        self.note.setVisible(not self.boxes)
        named = ", ".join(features.label(f, self.input_names) for f in chosen)
        self.note.setText(named if chosen else
                          f"the {n_inputs} raw inputs (other features are offered for data of "
                          f"one or two inputs)")
        on = set(chosen or features.raw(min(n_inputs, features.MAX_LISTED_INPUTS)))
        for name, box in self.boxes.items():
            old = box.blockSignals(True)
            box.setChecked(name in on)
            box.blockSignals(old)

    def _toggled(self, box: QCheckBox, on: bool) -> None:
        if not on and not self.any_checked():
            # Refused, and the box says so: left unticked, the boxes showed no input at all
            # while the model kept the last one (x2 unticked after x1: 1 -> 4 -> ... with no
            # box ticked).
            old = box.blockSignals(True)
            box.setChecked(True)
            box.blockSignals(old)
            self.refused.emit(self.REASON)
            return
        self.changed.emit()

    def features(self) -> tuple[str, ...]:
        """The checked features in the catalogue's order; () when they are the raw inputs."""
        names = tuple(n for n, b in self.boxes.items() if b.isChecked())
        if not self.boxes:
            return self._unlisted
        return () if names == features.raw(self.n_inputs) else names

    def any_checked(self) -> bool:
        """Whether the first layer has an input (data of many inputs: the raw ones, always)."""
        return not self.boxes or any(b.isChecked() for b in self.boxes.values())

    def in_tab_order(self) -> list[QCheckBox]:
        """The boxes row by row, each row left to right (as Tab visits them)."""
        return sorted(self.boxes.values(),
                      key=lambda b: self.grid.getItemPosition(self.grid.indexOf(b))[:2])

    def widgets(self) -> list[QWidget]:
        return list(self.boxes.values())
