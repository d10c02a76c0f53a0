"""The data panel: which data set, how many points, how noisy, the test split, the seed."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from nnviz.core.csvdata import STANDARDISED
from nnviz.core.data import DATASETS, MAX_SAMPLES, MAX_SEED, DataError, Dataset, DataSpec

from . import wheel
from .widgets import MessageLabel, MessageRoom, combo, dspin, set_combo, spin

CUSTOM = "custom"


class DataPanel(QGroupBox):
    """Edits a :class:`DataSpec`. ``changed`` fires when the settings make a new valid spec."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        wheel.mark(self)  # the wheel scrolls the panel; changes only a focused field
        info = DATASETS["moons"]
        self.dataset = combo({k: v.description for k, v in DATASETS.items()}, "moons",
                             "Which data set to learn. Hover over an entry for a description.")
        self.samples = spin(4, MAX_SAMPLES, info.samples, "How many points to generate in all "
                            "(training and test).")
        self.noise = dspin(0, 10, info.noise, 0.05, 2, "How noisy the points are.")
        self.test_fraction = dspin(0, 0.9, 0.2, 0.05, 2,
                                   "The share of points held out to test the model; they are "
                                   "never trained on. 0 trains on every point, as the notebook.")
        self.seed = spin(0, MAX_SEED, info.seed, "The random seed of the points, the train/test "
                         "split and the first weights: the same seed gives the same run.")
        self.classes = spin(3, 8, 3, "How many classes (clouds) the multiclass data set has.")
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("New random points of the same kind (the next seed).")
        self.task = QLabel()
        self.task.setWordWrap(True)
        self.task.setToolTip("The kind of problem: it follows the data set.")
        # Room for a two-line message kept: a refusal neither grows the panel nor squeezes
        # the loss plot under it.
        self.message = MessageLabel()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Data set", self.dataset)
        self.samples.setGroupSeparatorShown(True)  # 100,000 beside the plot's "of 100,000"
        form.addRow("Points", self.samples)
        form.addRow("Noise", self.noise)
        form.addRow("Test fraction", self.test_fraction)
        form.addRow("Seed", self.seed)
        form.addRow("Classes", self.classes)
        form.addRow(self.regenerate)
        form.addRow(self.task)
        form.addRow(MessageRoom(self.message))

        self._form = form
        self._fields = {"Points": self.samples, "Noise": self.noise,
                        "Test fraction": self.test_fraction, "Seed": self.seed}
        self.defaults_taken: list[str] = []  # while a data set's choice is applied: its fields'
        for w, what in ((self.samples, "Points"), (self.noise, "Noise"),
                        (self.test_fraction, "Test fraction"), (self.seed, "Seed"),
                        (self.classes, "Classes")):
            w.what = what
            w.out_of_range.connect(lambda text, w=w: self.message.show_error(text, owner=w))
        self._custom: Dataset | None = None
        self._update_enabled()
        self.dataset.currentIndexChanged.connect(self._dataset_chosen)
        for w in (self.samples, self.seed, self.classes):
            w.valueChanged.connect(self._edited)
        for w in (self.noise, self.test_fraction):
            w.valueChanged.connect(self._edited)
        self.regenerate.clicked.connect(self._regenerate)

    # --- reading and writing -------------------------------------------------------------------

    def spec(self) -> DataSpec:
        """The spec the fields describe (raises DataError with a reason)."""
        return DataSpec(self.dataset.currentData(), self.samples.value(), self.noise.value(),
                        self.seed.value(), self.test_fraction.value(), self.classes.value())

    def custom_dataset(self) -> Dataset | None:
        """The loaded data (CSV, session) when the panel shows one instead of a generator."""
        return self._custom if self.dataset.currentData() == CUSTOM else None

    def set_spec(self, spec: DataSpec) -> None:
        spec = spec.resolved()
        self._drop_custom()
        with _Blocked(self):
            set_combo(self.dataset, spec.name)
            self.samples.setValue(spec.samples)
            self.noise.setValue(spec.noise)
            self.seed.setValue(spec.seed)
            self.test_fraction.setValue(spec.test_fraction)
            self.classes.setValue(spec.classes)
        self.noise.setToolTip(f"How noisy the points are: the {spec.info.noise_meaning}.")
        self._update_enabled()
        self.message.clear_message()

    def set_custom(self, data: Dataset) -> None:
        """Show a data set that no generator made (it cannot be regenerated)."""
        self._custom = data
        with _Blocked(self):
            # Points edited on the plot were not loaded ("edited moons", not "edited moons
            # (loaded)", which told a new user a file had been read).
            edited = data.name.startswith("edited ")
            label = data.name if edited else f"{data.name} (loaded)"
            if self.dataset.findData(CUSTOM) < 0:
                self.dataset.addItem(label, CUSTOM)
            i = self.dataset.findData(CUSTOM)
            self.dataset.setItemText(i, label)
            where = "edited on the plot" if edited else "loaded from a file"
            self.dataset.setItemData(i, f"{len(data.X):,} points with {data.n_features} features, "
                                        f"{where}", 3)  # 3 = ToolTipRole
            self.dataset.setCurrentIndex(i)
            self.samples.setValue(max(4, min(MAX_SAMPLES, len(data.X))))
            # The loaded data's own split, not the generator's fraction left from before.
            self.test_fraction.setValue(len(data.test_index) / max(len(data.X), 1))
        self._update_enabled()
        # What the fields were refused for is of the generator's settings, gone with them (a
        # red "a test fraction of 0.9 leaves fewer than 2 training points" stayed beside the
        # edited points' 0.00).
        self.message.clear_message()

    def set_task_text(self, data: Dataset) -> None:
        if data.is_classification:
            kind = f"classification, {data.n_classes} classes"
        else:
            kind = f"regression (fit {data.target_name or 'a value'})"
        scaled = any(n.endswith(STANDARDISED) for n in data.feature_names)
        self.task.setText(f"Problem: {kind}; {len(data.train_index):,} training, "
                          f"{len(data.test_index):,} test points"
                          + ("; features standardised" if scaled else "")
                          + ("; target standardised (the losses are in its standardised units)"
                             if data.target_scaling else ""))

    def forget_refusals(self) -> None:
        """A refused number's message ("(it keeps 200)") is of the last edit: it goes with the
        next one, anywhere (the field it was typed into shows a valid value all along)."""
        for w in (self.samples, self.noise, self.test_fraction, self.seed, self.classes, self):
            self.message.clear_message(w)

    def refuse(self, reason: str, in_use: Dataset | None) -> None:
        """Settings the data could not be made of (``reason``: "a test fraction of 0.9 leaves
        fewer than 2 training points"): the fields go back to the data in use (``in_use``),
        and the message says what they keep, as a number out of range does. The field showed
        0.90 while 0.2 was in use."""
        spec = in_use.spec if in_use is not None else None
        if spec is None or self.dataset.currentData() != spec.name:
            self.message.show_error(reason)  # nothing generated to go back to here
            return
        spec = spec.resolved()
        kept = []
        with _Blocked(self):
            for w, v in ((self.samples, spec.samples), (self.noise, spec.noise),
                         (self.test_fraction, spec.test_fraction), (self.seed, spec.seed),
                         (self.classes, spec.classes)):
                if w.value() != v:
                    w.setValue(v)
                    kept.append((w.what, f"{v:,}" if isinstance(v, int) else f"{v:g}"))
        text = reason[:1].upper() + reason[1:]
        if len(kept) == 1:
            text += f" (it keeps {kept[0][1]})"
        elif kept:
            text += " (the fields keep " + ", ".join(f"{w} {v}" for w, v in kept) + ")"
        # It goes with the next edit (forget_refusals), as a range's refusal; not the field's
        # own (its finished edit, taken, says "" right after).
        self.message.show_error(text + ".", owner=self)

    # --- behaviour -----------------------------------------------------------------------------

    def _drop_custom(self) -> None:
        i = self.dataset.findData(CUSTOM)
        if i >= 0:
            with _Blocked(self):
                self.dataset.removeItem(i)
        self._custom = None

    def _update_enabled(self) -> None:
        name = self.dataset.currentData()
        generated = name != CUSTOM
        for w in (self.samples, self.noise, self.test_fraction, self.seed, self.regenerate):
            w.setEnabled(generated)
        # A field that means nothing for this data is not shown (a greyed "Classes 3" beside
        # two-class moons, or a noise and a seed that did not make the loaded points, misled).
        self._form.setRowVisible(self.noise, generated)
        self._form.setRowVisible(self.seed, generated)
        self._form.setRowVisible(self.classes, name == "multiclass")

    def _dataset_chosen(self) -> None:
        name = self.dataset.currentData()
        if name == CUSTOM:
            return
        self._drop_custom()
        info = DATASETS[name]
        # A new data set starts from its own defaults, as in TensorFlow Playground, its test
        # split too, as a preset's data gets it: a lesson's 0 (the notebook's, every point
        # trained on) stayed for the blobs picked next, and they had no test points.
        before = self._field_values()
        with _Blocked(self):
            self.samples.setValue(info.samples)
            self.noise.setValue(info.noise)
            self.seed.setValue(info.seed)
            self.test_fraction.setValue(DataSpec(name).test_fraction)
        self.noise.setToolTip(f"How noisy the points are: the {info.noise_meaning}.")
        # The fields it set, said with the data's change: the moons' noise 0.10 became the
        # blobs' 1.00 without a word, two clouds overlapping where two clean ones were
        # expected (review r30 F8).
        self._update_enabled()
        after = self._field_values()
        self.defaults_taken = [f"{what.lower()} {after[what]}" for what in after
                               if after[what] != before[what] and self._form.isRowVisible(
                                   self._fields[what])]
        self._edited()
        self.defaults_taken = []

    def _field_values(self) -> dict[str, str]:
        """The fields a data set sets, as they read (what they are called in a note)."""
        return {what: w.text() for what, w in self._fields.items()}

    def _regenerate(self) -> None:
        self.seed.setValue((self.seed.value() + 1) % (MAX_SEED + 1))  # fires _edited

    def _edited(self) -> None:
        try:
            self.spec()
        except DataError as e:
            self.message.show_error(str(e))
            return
        self.message.clear_message()
        self.changed.emit()


class _Blocked:
    """Set several fields without firing ``changed`` for each."""

    def __init__(self, panel: DataPanel) -> None:
        self.widgets = [panel.dataset, panel.samples, panel.noise, panel.seed,
                        panel.test_fraction, panel.classes]

    def __enter__(self) -> None:
        self.old = [w.blockSignals(True) for w in self.widgets]

    def __exit__(self, *exc) -> None:
        for w, old in zip(self.widgets, self.old):
            w.blockSignals(old)
