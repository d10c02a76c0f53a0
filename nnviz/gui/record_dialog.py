"""File -> Export -> Animation: what to record (the area, the stretch of epochs, the frames),
then the recording with a progress bar and Cancel."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QLabel, QSpinBox, QWidget)

from nnviz.core.animation import MAX_FRAMES, SIZE, frame_epochs
from nnviz.core.errors import NnvizError

from . import colors
from .recorder import AREAS
from .widgets import access_keys


class RecordDialog(QDialog):
    """The recording's settings for a run whose record reaches epochs ``first``..``last``."""

    def __init__(self, first: int, last: int, view_title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("nnviz: Export an animation")
        form = QFormLayout(self)
        intro = QLabel(f"A GIF or MP4 ({SIZE[0]}x{SIZE[1]}, 16:9) of the run as it was recorded: "
                       "each frame is one epoch, replayed exactly, under a caption with the "
                       "epoch, the loss and the accuracy. Training pauses while it records.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.area = QComboBox()
        for key, text in AREAS.items():
            label = f"{text} ({view_title})" if key == "view" else text
            self.area.addItem(label[0].upper() + label[1:], key)
        self.area.setToolTip("What each frame shows.")
        form.addRow("Record", self.area)
        self.first, self.last = QSpinBox(), QSpinBox()
        for box, value in ((self.first, first), (self.last, last)):
            box.setRange(first, last)
            box.setValue(value)
            box.setGroupSeparatorShown(True)
        self.first.setToolTip("The first epoch recorded.")
        self.last.setToolTip("The last epoch recorded.")
        form.addRow("From epoch", self.first)
        form.addRow("To epoch", self.last)
        self.frames = QSpinBox()
        self.frames.setRange(2, MAX_FRAMES)
        self.frames.setValue(60)
        self.frames.setToolTip("How many frames (fewer if the stretch has fewer epochs).")
        form.addRow("Frames", self.frames)
        self.spacing = QComboBox()
        self.spacing.addItem("Evenly in epochs", "even")
        self.spacing.addItem("Geometrically: more frames early, where most is learnt",
                             "geometric")
        form.addRow("Spacing", self.spacing)
        self.fps = QDoubleSpinBox()
        self.fps.setRange(0.5, 60)
        self.fps.setValue(10)
        self.fps.setSuffix(" frames/s")
        form.addRow("Speed", self.fps)
        self.note = QLabel()
        colors.tint(self.note, "error")
        self.note.setWordWrap(True)
        form.addRow(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file and record\u2026")
        access_keys(buttons)  # Alt+C(hoose), Alt+A (Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for box in (self.first, self.last, self.frames, self.fps):  # a note on an old value
            box.valueChanged.connect(lambda *_: self.note.clear())
        self.spacing.currentIndexChanged.connect(lambda *_: self.note.clear())

    def epochs(self) -> list[int]:
        """The epochs of the frames; RecordError for a stretch that cannot be recorded."""
        return frame_epochs(self.first.value(), self.last.value(), self.frames.value(),
                            self.spacing.currentData())

    def _accept(self) -> None:
        first, last = self.first.value(), self.last.value()
        if first > last:  # in the fields' own words, with what would do
            self.note.setText(f"From epoch ({first:,}) is after To epoch ({last:,}): make From "
                              f"epoch {last:,} or less, or To epoch {first:,} or more.")
            self.first.setFocus()
            return
        try:
            self.epochs()
        except NnvizError as e:
            self.note.setText(str(e))
            return
        self.accept()
