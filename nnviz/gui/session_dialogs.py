"""The CSV import dialog: the file's first rows, what importing it gives, or why it cannot."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from nnviz.core.csvdata import (CsvPreview, ImportedData, preview_csv, preview_table,
                                scale_warnings)
from nnviz.core.data import CLASSIFICATION, REGRESSION

from . import colors
from .widgets import MessageLabel, access_keys, add_layout, dspin

BASE_SIZE = (560, 480)  # at the application's font; larger in proportion to a larger one
TASKS = {"auto": "Detect from the last column", CLASSIFICATION: "Classification (labels)",
         REGRESSION: "Regression (numbers)"}


class ImportDialog(QDialog):
    """Preview a CSV file before importing it; ``imported`` is the result once accepted.

    ``source``: the file as read already (the window reads it off the GUI thread), or a path,
    read here at once. A change of task or split re-uses what was read.
    """

    def __init__(self, source: CsvPreview | str, parent: QWidget | None = None, *,
                 test_fraction: float = 0.2, seed: int = 0) -> None:
        super().__init__(parent)
        first = preview_csv(source, test_fraction=test_fraction, seed=seed) \
            if isinstance(source, str) else source
        path = self.path = first.path
        self.seed = seed
        self.setWindowTitle(f"Import {os.path.basename(path)}")
        self.resize(*BASE_SIZE)

        where = QLabel(path)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        colors.tint(where, "note")
        expected = QLabel("One point per line: <b>x1,x2,label</b> for classification (any label "
                          "values), <b>x,y</b> or <b>x1,x2,y</b> for regression. A header line "
                          "is optional; commas, semicolons, tabs or spaces separate the columns.")
        expected.setWordWrap(True)

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setTabKeyNavigation(False)  # Tab on to the settings below, not cell by cell
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("The first lines of the file, as nnviz reads them.")

        self.task = QComboBox()
        for key, text in TASKS.items():
            self.task.addItem(text, key)
        self.task.setToolTip("Words or a few whole numbers in the last column mean classes; "
                             "choose here if nnviz guessed wrong.")
        self.test_fraction = dspin(0, 0.9, test_fraction, 0.05, 2,
                                   "The share of points held out to test the model.")
        self.standardise = QCheckBox("Standardise features far from unit scale")
        self.standardise.setChecked(True)
        self.standardise.setToolTip(
            "Features such as lengths in cm (values around 5-10) saturate the default network, "
            "which then barely learns: each becomes (value - mean) / sd of the training points, "
            "and its name says so. Unchecked, the features stay as they are.")
        self.standardise_target = QCheckBox("Standardise regression targets far from unit "
                                            "scale")
        self.standardise_target.setChecked(True)
        self.standardise_target.setToolTip(
            "Targets such as prices in thousands (values around 100-400) leave the default "
            "network's fit a flat line at the mean: each becomes (value - mean) / sd of the "
            "training points, and its name says so; the losses are then in these units, R\u00b2 "
            "the same. Unchecked, the targets stay as they are.")
        form = QFormLayout()
        form.addRow("Task", self.task)
        form.addRow("Test fraction", self.test_fraction)
        form.addRow("", self.standardise)
        form.addRow("", self.standardise_target)

        # In the theme's colours through the palette (colors.tint), not a style sheet: a style
        # sheet's dark green was ~8 px on the dark grey, presentation mode's font kept from it.
        self.summary = MessageLabel()
        # Features far from unit scale kept as they are (Standardise unticked): the run then
        # stalls, and nothing else says why.
        self.scale_warning = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        access_keys(self.buttons)  # Alt+I, Alt+C
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(expected)
        layout.addWidget(self.table, 1)
        add_layout(layout, form)
        layout.addWidget(self.summary)
        layout.addWidget(self.scale_warning)
        layout.addWidget(self.buttons)

        self.preview: CsvPreview = first
        self.task.currentIndexChanged.connect(self.refresh)
        self.test_fraction.valueChanged.connect(self.refresh)
        self.standardise.toggled.connect(self.refresh)
        self.standardise_target.toggled.connect(self.refresh)
        self._show(first)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As large as the font asks (presentation mode's cut the words at 560x480) and as
        tall as the words need, centred on the window and within the screen."""
        scale = max(1.0, self.font().pointSizeF() / max(QApplication.font().pointSizeF(), 1.0))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width = max(self.width(), int(BASE_SIZE[0] * scale))
        height = int(BASE_SIZE[1] * scale)
        if screen is not None:
            width = min(width, int(screen.width() * 0.95))
            height = min(height, int(screen.height() * 0.9))
        layout = self.layout()
        need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        height = max(self.height(), height, need)
        if screen is not None:
            height = min(height, screen.height())
        if (width, height) == (self.width(), self.height()):
            return
        self.resize(width, height)
        # Grown after Qt placed it: centred on the window again, and inside the screen (at
        # 1024x768 it ran off the right edge).
        frame = self.frameGeometry()
        owner = self.parentWidget()
        frame.moveCenter(owner.window().frameGeometry().center() if owner is not None
                         else frame.center())
        if screen is not None:
            frame.moveLeft(max(screen.left(), min(frame.left(), screen.right() - frame.width())))
            frame.moveTop(max(screen.top(), min(frame.top(), screen.bottom() - frame.height())))
        self.move(frame.topLeft())

    @property
    def imported(self) -> ImportedData | None:
        return self.preview.data if self.preview is not None else None

    def refresh(self) -> None:
        table = self.preview.table
        if table is None:
            return  # the file could not be read: another task or split does not change that
        task = self.task.currentData()
        self._show(preview_table(table, None if task == "auto" else task,
                                 test_fraction=self.test_fraction.value(), seed=self.seed,
                                 standardise=self.standardise.isChecked(),
                                 standardise_target=self.standardise_target.isChecked()))

    def _show(self, pv: CsvPreview) -> None:
        self.preview = pv
        width = max((len(r) for r in pv.rows), default=0)
        if pv.header:
            names = list(pv.header)
        elif width == 2:
            names = ["x", "y"]
        else:
            names = ["x1", "x2", "label"][:width]
        names += [f"column {i + 1}" for i in range(len(names), width)]
        self.table.setColumnCount(width)
        self.table.setRowCount(len(pv.rows))
        self.table.setHorizontalHeaderLabels(names)
        for i, row in enumerate(pv.rows):
            for j, cell in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(cell))
        # Each row by its line in the file, as the messages name it: with a header line the
        # first row is line 2 ("line 3 ... is empty" was the row labelled 2).
        if len(pv.lines) == len(pv.rows):
            self.table.setVerticalHeaderLabels([str(n) for n in pv.lines])
            self.table.verticalHeader().setToolTip("The line of the file each row is on, as "
                                                   "the messages name it.")
        if pv.error:
            self.summary.show_error(pv.summary())
        else:
            self.summary.clear_message()
            colors.tint(self.summary, "ok")
            self.summary.setText(pv.summary())
            self.summary.show()
        self.scale_warning.show_error(scale_warnings(pv.data))
        # The target's box means something for regression only.
        self.standardise_target.setEnabled(pv.data is None
                                           or not pv.data.dataset.is_classification)
        self.import_button.setEnabled(pv.data is not None)
        if self.isVisible():
            self._fit()  # room for a warning that came
