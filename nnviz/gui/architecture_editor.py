"""The architecture editor: hidden layers as a list (add, insert, remove, reorder), a width and an
activation per layer, the output activation and the init scheme.

It edits a draft. Every valid edit becomes a frozen :class:`NetworkSpec` (validated by the core)
and fires ``changed``; the window then stops the run and starts a fresh model, and the editor
says so. An invalid value never becomes a spec: the reason shows beside the field.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QToolButton, QVBoxLayout, QWidget)

from nnviz.core import activations as acts
from nnviz.core.network import (INIT_SCHEMES, MAX_HIDDEN_LAYERS, MAX_WIDTH, NetworkSpec, SpecError,
                                wide_start_hint)

from . import wheel
from .feature_picker import FeaturePicker
from .widgets import MessageLabel, SpinBox, add_layout, combo, set_combo


class _LayerRow:
    """The widgets of one hidden layer in the editor's grid."""

    def __init__(self, editor: "ArchitectureEditor", width: int, activation: str) -> None:
        self.label = QLabel()
        # A width out of range is refused with the words every field uses (what was typed, the
        # range, what it keeps); the field held up to 9999 and cut "99999" to "9999", then
        # said "not 9999".
        self.width = SpinBox()
        self.width.setRange(1, MAX_WIDTH)
        self.width.setValue(max(1, min(MAX_WIDTH, width)))
        self.width.unit = "units"
        self.width.setKeyboardTracking(False)
        self.width.setToolTip(f"How many units (neurons) this layer has, 1 to {MAX_WIDTH}.")
        self.activation = combo(acts.DESCRIPTIONS, activation,
                                "The function each unit of this layer applies to its input sum.")
        self.up = _tool("\u25b2", "Move this layer one place towards the input.")
        self.down = _tool("\u25bc", "Move this layer one place towards the output.")
        self.insert = _tool("+", "Insert a new layer (a copy of this one) below it.")
        self.remove = _tool("\u2715", "Remove this layer.")
        self.error = MessageLabel()
        self.width.out_of_range.connect(self.error.show_error)
        self.width.valueChanged.connect(editor._layers_edited)
        self.activation.currentIndexChanged.connect(editor._layers_edited)
        self.up.clicked.connect(lambda: editor._move(self, -1))
        self.down.clicked.connect(lambda: editor._move(self, +1))
        self.insert.clicked.connect(lambda: editor._insert_after(self))
        self.remove.clicked.connect(lambda: editor._remove(self))

    def widgets(self) -> list[QWidget]:
        return [self.label, self.width, self.activation, self.up, self.down, self.insert,
                self.remove, self.error]


def _tool(text: str, tip: str) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setAutoRaise(True)
    return b


class ArchitectureEditor(QGroupBox):
    """``changed``: the draft is a new valid spec (read it with :meth:`draft`).
    ``chosen("output_activation")``: the user picked the output activation (before ``changed``),
    so it stays when the data changes; ``chosen("hidden")``: the user edited the hidden layers
    (their widths, activations, order or number), which then stay too."""

    changed = Signal()
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Network", parent)
        wheel.mark(self)  # the wheel scrolls the panel; changes only a focused field
        self._input_dim, self._output_dim = 2, 1
        self.rows: list[_LayerRow] = []

        self.shapes = QLabel()
        self.shapes.setToolTip("The width of every layer, from the inputs to the outputs, and "
                               "how many weights and biases the network learns.")
        self.shapes.setWordWrap(True)
        font = self.shapes.font()
        font.setBold(True)
        self.shapes.setFont(font)
        self.params = QLabel()
        self.params.setToolTip(self.shapes.toolTip())

        self.inputs = FeaturePicker()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(2)
        self.add = QPushButton("+ Add layer")
        self.add.setToolTip(f"Add a hidden layer before the output (at most {MAX_HIDDEN_LAYERS}).")
        self.output_activation = combo(acts.DESCRIPTIONS, "sigmoid",
                                       "The function of the output layer: sigmoid gives a "
                                       "probability, linear any value (regression), softmax "
                                       "class probabilities. Until you pick one, it follows the "
                                       "data and the loss.")
        self.init_scheme = combo(INIT_SCHEMES, "normal", "How the first weights are drawn.")
        self.message = MessageLabel()
        self.note = MessageLabel()
        # A hint, not a new default: wide layers with the notebook's N(0, 1) weights.
        self.wide_hint = MessageLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(self.shapes)
        layout.addWidget(self.params)
        self.inputs_title = QLabel("Inputs")
        self.inputs_title.setToolTip("The features the first layer takes, computed from the raw "
                                     "inputs (TensorFlow Playground's).")
        layout.addWidget(self.inputs_title)
        layout.addWidget(self.inputs)
        head = QHBoxLayout()
        head.addWidget(QLabel("Hidden layers"))
        head.addStretch(1)
        add_layout(layout, head)
        add_layout(layout, self.grid)
        layout.addWidget(self.add)
        form = QFormLayout()
        form.addRow("Output activation", self.output_activation)
        form.addRow("Initial weights", self.init_scheme)
        add_layout(layout, form)
        layout.addWidget(self.wide_hint)
        layout.addWidget(self.message)
        layout.addWidget(self.note)
        layout.addStretch(1)

        self.add.clicked.connect(self._append)
        self.output_activation.currentIndexChanged.connect(self._output_chosen)
        self.init_scheme.currentIndexChanged.connect(self._edited)
        self.inputs.changed.connect(self._edited)
        self.inputs.refused.connect(lambda why: self.message.show_error(f"Refused: {why}"))
        self.set_spec(NetworkSpec())

    # --- reading and writing -------------------------------------------------------------------

    def hidden(self) -> list[tuple[int, str]]:
        return [(r.width.value(), r.activation.currentData()) for r in self.rows]

    def draft(self) -> NetworkSpec:
        """The spec the editor shows (raises SpecError with a reason)."""
        h = self.hidden()
        if not self.inputs.any_checked():
            raise SpecError(self.inputs.REASON)
        return NetworkSpec(self._input_dim, tuple(w for w, _ in h), tuple(a for _, a in h),
                           self._output_dim, self.output_activation.currentData(),
                           self.init_scheme.currentData(), self.inputs.features())

    def set_spec(self, spec: NetworkSpec) -> None:
        self._input_dim, self._output_dim = spec.input_dim, spec.output_dim
        for w in (self.output_activation, self.init_scheme):
            w.blockSignals(True)
        set_combo(self.output_activation, spec.output_activation)
        set_combo(self.init_scheme, spec.init_scheme)
        for w in (self.output_activation, self.init_scheme):
            w.blockSignals(False)
        self._rebuild(list(zip(spec.hidden, spec.activations)))
        self.inputs.set_inputs(spec.input_dim, spec.features)
        self.message.clear_message()
        self._describe()

    def set_io(self, input_dim: int, output_dim: int) -> None:
        """The data's input and the loss's output widths (they are not the user's to edit)."""
        if input_dim != self._input_dim:  # other raw inputs: their own features, raw at first
            self.inputs.set_inputs(input_dim, ())
        self._input_dim, self._output_dim = input_dim, output_dim
        self._describe()

    def set_output_activation(self, name: str) -> None:
        old = self.output_activation.blockSignals(True)
        set_combo(self.output_activation, name)
        self.output_activation.blockSignals(old)
        self._describe()

    def show_note(self, text: str) -> None:
        self.note.show_note(text)

    # --- the list ------------------------------------------------------------------------------

    def _rebuild(self, layers: list[tuple[int, str]]) -> None:
        for r in self.rows:
            for w in r.widgets():
                # Hidden and unparented at once: a pending deleteLater alone would leave the
                # old row drawn over the new one until the event loop runs.
                self.grid.removeWidget(w)
                w.hide()
                w.setParent(None)
                w.deleteLater()
        self.rows = [_LayerRow(self, w, a) for w, a in layers]
        for i, r in enumerate(self.rows):
            r.label.setText(f"{i + 1}")
            r.label.setToolTip(f"Hidden layer {i + 1}")
            r.width.what = f"Layer {i + 1}"
            r.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, w in enumerate(r.widgets()[:-1]):
                self.grid.addWidget(w, 2 * i, col)
            self.grid.addWidget(r.error, 2 * i + 1, 1, 1, 6)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 2)
        self.enable_buttons()
        # The Tab key goes as the eye does: the inputs, the rows top to bottom, "+ Add layer",
        # the output. New widgets join the focus chain at its end: the rebuilt rows came after
        # everything else, "+ Add layer" before them.
        boxes = self.inputs.in_tab_order()
        chain = boxes[-1:] + [w for r in self.rows for w in r.widgets()
                              if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.add, self.output_activation, self.init_scheme]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def enable_buttons(self) -> None:
        """Each button as the list allows it: \u25b2 but on the first row, \u25bc but on the
        last, + and "+ Add layer" below the most layers. Also when an exercise's lock is
        lifted: it enabled every widget of the rows, and after an exercise and File -> Open
        layer 1's \u25b2 looked usable and did nothing (review r18)."""
        room = len(self.rows) < MAX_HIDDEN_LAYERS
        for i, r in enumerate(self.rows):
            r.up.setEnabled(i > 0)
            r.down.setEnabled(i < len(self.rows) - 1)
            r.insert.setEnabled(room)
        self.add.setEnabled(room)

    def _structural(self, layers: list[tuple[int, str]]) -> None:
        self._rebuild(layers)
        self._layers_edited()

    def _append(self) -> None:
        h = self.hidden()
        last = h[-1] if h else (4, "sigmoid")
        self._structural(h + [last])

    def _insert_after(self, row: _LayerRow) -> None:
        h = self.hidden()
        i = self.rows.index(row)
        self._structural(h[:i + 1] + [h[i]] + h[i + 1:])

    def _remove(self, row: _LayerRow) -> None:
        h = self.hidden()
        del h[self.rows.index(row)]
        self._structural(h)

    def _move(self, row: _LayerRow, delta: int) -> None:
        h = self.hidden()
        i = self.rows.index(row)
        j = i + delta
        if 0 <= j < len(h):
            h[i], h[j] = h[j], h[i]
            self._structural(h)

    # --- validation ----------------------------------------------------------------------------

    def _layers_edited(self) -> None:
        self.chosen.emit("hidden")
        self._edited()

    def _output_chosen(self) -> None:
        self.chosen.emit("output_activation")
        self._edited()

    def _edited(self) -> None:
        # A width is refused as it is typed (the field keeps its valid value and the row says
        # why, until the next edit here): every row's width is valid.
        for r in self.rows:
            r.error.clear_message()
        try:
            self.draft()
        except SpecError as e:  # anything the per-field checks did not catch
            self.message.show_error(f"Refused: {e}")
            return
        self.message.clear_message()
        self._describe()
        self.changed.emit()

    def forget_refusals(self) -> None:
        """A refused width's message is of the last edit: it goes with the next one."""
        for r in self.rows:
            r.error.clear_message()

    def feature_widgets(self) -> list[QWidget]:
        return [self.inputs_title, self.inputs]

    def has_error(self) -> bool:
        return self.message.is_error() or any(r.error.is_error() for r in self.rows)

    def error_text(self) -> str:
        """What the editor refuses, in its own words (the first message shown)."""
        shown = [m for m in (self.message, *(r.error for r in self.rows)) if m.is_error()]
        return shown[0].text() if shown else ""

    def _describe(self) -> None:
        try:
            spec = self.draft()
        except SpecError:
            return
        self.shapes.setText(spec.shapes_text())
        self.params.setText(f"{spec.n_params:,} parameters (weights and biases)")
        hint = wide_start_hint(spec, '"he" (for relu) or "glorot" as the Initial weights')
        if not hint:
            self.wide_hint.clear_message()
        elif self.wide_hint.text() != f"{hint}.":
            self.wide_hint.show_note(f"{hint}.")
