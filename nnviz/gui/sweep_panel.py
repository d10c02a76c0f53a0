"""Starting a sweep from the window: the ready-made sweeps, or one or two axes of your own over
the current run's problem."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from nnviz.core.ready_sweeps import READY
# The typed values are read in core, where nnviz sweep --seed 0-15 reads them too.
from nnviz.core.sweep import MAX_MEMBERS as SWEEP_MAX_MEMBERS
from nnviz.core.sweep_driver import AxisError, axis_title, parse_values  # noqa: F401
from . import colors
from .widgets import add_layout

# The most members the Compare tab trains (its tiles, curves and table show every one); the
# command line's ``nnviz sweep`` trains up to core.sweep.MAX_MEMBERS (1,024). One sentence for
# both refusals: a range of too many seeds, and axes whose product is too many.
MAX_MEMBERS = 64
LIMIT_TEXT = (f"the Compare tab trains at most {MAX_MEMBERS} members (nnviz sweep on the "
              f"command line: up to {SWEEP_MAX_MEMBERS:,})")

# The axes a sweep of your own may vary: name -> (what it is, example values).
AXES: dict[str, tuple[str, str]] = {
    "learning_rate": ("the learning rate", "0.1, 0.3, 1, 3"),
    "init_seed": ("the seed of the initial weights only (the data stay)", "0-7"),
    "seed": ("the seed of the data, the split and the weights", "0, 1, 2, 3"),
    "l2": ("the L2 penalty rate", "0, 0.001, 0.01, 0.1"),
    "l1": ("the L1 penalty rate", "0, 0.001, 0.01"),
    "hidden": ("the hidden layers' widths, layers joined by '-'", "2, 4, 4-4, 8-8"),
    "activation": ("the hidden layers' activation", "sigmoid, tanh, relu"),
}


class SweepPanel(QGroupBox):
    """``ready_clicked(key)``: a ready-made sweep; ``custom_requested(axes)``: ((name, values),
    ...) of one or two axes over the current run's problem."""

    ready_clicked = Signal(str)
    custom_requested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New sweep", parent)
        self.setToolTip("Train many variants of a network at once (one vmapped computation) "
                        "and compare them.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        ready = QGridLayout()
        ready.setSpacing(4)
        self.ready_buttons: dict[str, QPushButton] = {}
        for i, r in enumerate(READY):
            b = QPushButton(r.title)
            b.setToolTip(r.tip)
            b.clicked.connect(lambda _c=False, k=r.key: self.ready_clicked.emit(k))
            ready.addWidget(b, i // 3, i % 3)
            self.ready_buttons[r.key] = b
        self.ready_grid, self._ready_columns = ready, 3
        heading = QLabel("Ready-made (on the notebook's moons):")
        heading.setWordWrap(True)  # on two lines in presentation mode, not cut
        lay.addWidget(heading)
        add_layout(lay, ready)
        own = QLabel("Or your own, on the current run's problem:")
        own.setWordWrap(True)  # it was cut at "problem" in presentation mode at 1024 px
        own.setToolTip("The data, network and settings of the main window's run, with one or "
                       "two of them varied.")
        lay.addWidget(own)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.axis_boxes: list[QComboBox] = []
        self._typed: dict[int, dict[str, str]] = {}  # per field: the values typed per axis
        self.value_edits: list[QLineEdit] = []
        for row in range(2):
            box = QComboBox()
            box.setToolTip("What the sweep varies" + (" besides the first axis (optional): "
                           "every combination of the two is a member." if row else "."))
            if row == 1:
                box.addItem("(no second axis)", None)
            for name, (what, _example) in AXES.items():
                box.addItem(axis_title(name), name)
                box.setItemData(box.count() - 1, what, Qt.ItemDataRole.ToolTipRole)
            edit = QLineEdit()
            edit.setToolTip("Values separated by commas.")
            box.currentIndexChanged.connect(lambda _i, b=box, e=edit: self._axis_changed(b, e))
            grid.addWidget(box, row, 0)
            grid.addWidget(edit, row, 1)
            self.axis_boxes.append(box)
            self.value_edits.append(edit)
            self._axis_changed(box, edit)
        grid.setColumnStretch(1, 1)
        add_layout(lay, grid)
        self.start = QPushButton("Start sweep")
        self.start.setToolTip("Train every combination of the values: Play, Step and the speed "
                              "slider drive the sweep while this tab is shown.")
        self.start.clicked.connect(self._start)
        lay.addWidget(self.start)
        self.message = QLabel()
        self.message.setWordWrap(True)
        colors.tint(self.message, "error")
        self.message.hide()
        lay.addWidget(self.message)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._arrange_ready()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._arrange_ready()

    def _arrange_ready(self) -> None:
        """The ready-made sweeps in three columns where their names fit, else two: in
        presentation mode at 1024 px "Double descent" was squeezed in the third."""
        buttons = list(self.ready_buttons.values())
        widest = max(b.minimumSizeHint().width() for b in buttons)
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        columns = 3 if room >= 3 * widest + 2 * self.ready_grid.spacing() else 2
        if columns == self._ready_columns:
            return
        self._ready_columns = columns
        for b in buttons:
            self.ready_grid.removeWidget(b)
        for i, b in enumerate(buttons):
            self.ready_grid.addWidget(b, i // columns, i % columns)

    def _axis_changed(self, box: QComboBox, edit: QLineEdit) -> None:
        """The values field follows the axis: the values typed for the axis before, else its
        example. The learning rate's "0.1, 0.3, 1, 3" stayed when the axis became the
        activation, and Start said "activation: unknown '0.1'" (review r22 F7)."""
        typed = self._typed.setdefault(id(edit), {})
        before = edit.property("nnvizAxis")
        if before is not None and edit.text() != AXES[before][1]:
            typed[before] = edit.text()  # the user's own values: back when the axis is
        name = box.currentData()
        edit.setProperty("nnvizAxis", name)
        edit.setEnabled(name is not None)
        if name is None:
            edit.clear()
            edit.setPlaceholderText("")
            return
        what, example = AXES[name]
        edit.setPlaceholderText(example)
        edit.setToolTip(f"Values of {what}, separated by commas, e.g. {example}.")
        edit.setText(typed.get(name) or example)

    def axes(self) -> tuple:
        """((name, values), ...) typed; AxisError with the reason if they cannot be swept."""
        out = []
        for box, edit in zip(self.axis_boxes, self.value_edits):
            name = box.currentData()
            if name is None:
                continue
            out.append((name, parse_values(name, edit.text(), (MAX_MEMBERS, LIMIT_TEXT))))
        if len(out) == 2 and out[0][0] == out[1][0]:
            raise AxisError("the two axes must differ")
        n = 1
        for _, v in out:
            n *= len(v)
        if n > MAX_MEMBERS:
            raise AxisError(f"these values make {n} members; {LIMIT_TEXT}")
        return tuple(out)

    def _start(self) -> None:
        try:
            axes = self.axes()
        except AxisError as e:
            self.show_error(str(e))
            return
        self.message.hide()
        self.custom_requested.emit(axes)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
