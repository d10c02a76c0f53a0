"""The training settings: loss, optimiser, learning rate, batch size, regularisation."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from nnviz.core.losses import LOSSES
from nnviz.core.training import MAX_LEARNING_RATE, MAX_PENALTY_RATE, OPTIMIZERS, TrainConfig

from . import wheel
from .widgets import MessageLabel, MessageRoom, NumberCombo, combo, set_combo, spin

LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
REG_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
REGULARIZERS = {
    "none": "no penalty on the weights",
    "L1": "adds rate * sum |w| to the loss: pushes weights to exactly zero",
    "L2": "adds rate * sum w^2 to the loss: keeps weights small",
}


class TrainingPanel(QGroupBox):
    """``config_changed``: a setting that needs a fresh model (loss, optimiser, batch size,
    regularisation). ``lr_changed(float)``: the learning rate, applied without a reset.
    ``chosen(name)``: the user set the ``"loss"`` or the ``"learning_rate"`` (before the change
    is announced), so it stays when the data changes."""

    config_changed = Signal()
    lr_changed = Signal(float)
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        wheel.mark(self)  # the wheel scrolls the panel; changes only a focused field
        self.loss = combo(LOSSES, "mse", "What the training minimises. Hover over an entry for "
                          "a description.")
        self.optimizer = combo(OPTIMIZERS, "gd", "How each step moves the weights along the "
                               "gradient.")
        self.lr = NumberCombo(LEARNING_RATES, 1.0, 0, MAX_LEARNING_RATE, "Learning rate",
                              "The step size of each update. It applies at once, even while "
                              "training, without a reset. Pick one or type any number. Until you do, it follows "
                              "the data and the optimiser (a rate that trains them).")
        self.batch = spin(0, 1_000_000, 0, "How many training points each update sees; 0 = all "
                          "of them at once (full batch, the notebook's). Smaller batches are "
                          "reshuffled every epoch.")
        self.batch.setSpecialValueText("full batch")
        self.regularizer = combo(REGULARIZERS, "none", "A penalty on large weights, added to the "
                                 "loss.")
        self.reg_rate = NumberCombo(REG_RATES, 0.001, 0, MAX_PENALTY_RATE, "Regularization rate",
                                    "How strong the penalty is.", allow_zero=True)
        # Room for a two-line message kept: a refusal neither grows the panel nor squeezes
        # the loss plot under it.
        self.message = MessageLabel()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Loss", self.loss)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Batch size", self.batch)
        form.addRow("Regularization", self.regularizer)
        form.addRow("Regularization rate", self.reg_rate)
        form.addRow(MessageRoom(self.message))
        # The note on the fresh model a change here made ("Training changed: a fresh model ...
        # starts at epoch 0"), under the message (MainWindow._show_model_note).
        self.note = MessageLabel()
        note_room = MessageRoom(self.note)
        form.addRow(note_room)
        form.setRowVisible(note_room, False)  # (no row's spacing while it says nothing)
        self.note.changed.connect(lambda: form.setRowVisible(note_room, not self.note.isHidden()))
        self.reg_rate.setEnabled(False)
        self.batch.what = "Batch size"
        self.batch.out_of_range.connect(lambda t: self.message.show_error(t, owner=self.batch))

        self.loss.currentIndexChanged.connect(self._loss_chosen)
        self.optimizer.currentIndexChanged.connect(self._edited)
        self.batch.valueChanged.connect(self._edited)
        self.regularizer.currentIndexChanged.connect(self._reg_chosen)
        self.reg_rate.value_changed.connect(lambda _v: self._edited())
        self.reg_rate.validated.connect(lambda r: self._show_validation(self.reg_rate, r))
        self.lr.value_changed.connect(self._lr_chosen)
        self.lr.validated.connect(lambda r: self._show_validation(self.lr, r))

    def config(self) -> TrainConfig:
        """The settings as a TrainConfig (raises TrainingError with a reason)."""
        reg, rate = self.regularizer.currentData(), self.reg_rate.value()
        return TrainConfig(self.loss.currentData(), self.optimizer.currentData(),
                           self.lr.value(), self.batch.value(),
                           rate if reg == "L1" else 0.0, rate if reg == "L2" else 0.0)

    def set_config(self, c: TrainConfig) -> None:
        widgets = (self.loss, self.optimizer, self.batch, self.regularizer, self.reg_rate, self.lr)
        old = [w.blockSignals(True) for w in widgets]
        try:
            set_combo(self.loss, c.loss)
            set_combo(self.optimizer, c.optimizer)
            self.lr.set_value(c.learning_rate)
            self.batch.setValue(c.batch_size)
            reg = "L1" if c.l1 else "L2" if c.l2 else "none"
            set_combo(self.regularizer, reg)
            if reg != "none":
                self.reg_rate.set_value(c.l1 or c.l2)
            self.reg_rate.setEnabled(reg != "none")
        finally:
            for w, o in zip(widgets, old):
                w.blockSignals(o)
        self.message.clear_message()

    def forget_refusals(self) -> None:
        """A refused batch size's message is of the last edit: it goes with the next one (the
        rates' stay while their fields show the refused text)."""
        self.message.clear_message(self.batch)

    def put_back_refused(self) -> str:
        """Training starts while a rate field holds a text it refused ("1e9"): the field goes
        back to the rate in use (its message with it), and the words returned say so for the
        status bar ("" when no field held a refused text). Step trained at the old 0.3 while
        the field still said 1e9 in red, without a word."""
        said = []
        for field, what in ((self.lr, "learning rate"), (self.reg_rate, "regularization rate")):
            if not field.isEnabled():
                continue
            typed = field.currentText().strip()
            try:
                field.parse(typed)
            except ValueError:
                field.set_value(field.value())
                said.append(f"at {what} {field.value():g}: the '{typed}' typed was refused")
        return ("Training " + "; ".join(said) + ".") if said else ""

    def set_loss(self, loss: str) -> None:
        """Change the loss without firing ``config_changed`` (the caller applies it)."""
        old = self.loss.blockSignals(True)
        set_combo(self.loss, loss)
        self.loss.blockSignals(old)

    def _loss_chosen(self) -> None:
        self.chosen.emit("loss")
        self._edited()

    def _lr_chosen(self, lr: float) -> None:
        self.chosen.emit("learning_rate")
        self.lr_changed.emit(lr)

    def _reg_chosen(self) -> None:
        self.reg_rate.setEnabled(self.regularizer.currentData() != "none")
        self._edited()

    def _show_validation(self, field: NumberCombo, reason: str) -> None:
        """A rate's message is its own: it stays while the field shows the refused text, and
        goes when the field holds a valid rate again (typed, or put back by the window)."""
        if reason:
            self.message.show_error(reason, owner=field)
        else:  # only the field's own error: a note (where a rate set in the past applies)
            self.message.clear_message(field)  # stays, and Enter commits the field twice

    def _edited(self) -> None:
        # Another setting was applied: the messages of the past go (a refused batch size, a
        # config refused), not those of a rate field still holding its refused text.
        for owner in (None, self.batch):
            self.message.clear_message(owner)
        self.config_changed.emit()
