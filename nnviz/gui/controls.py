"""The run controls: Reset, Play/Pause, Step (1, 10, 100, 1000), Restart, speed, epoch counter."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider,
                               QStyle, QVBoxLayout, QWidget)

# Epochs per frame from "one" to "as fast as possible" (None).
SPEEDS: tuple[int | None, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)


def speed_text(epochs_per_frame: int | None) -> str:
    if epochs_per_frame is None:
        return "full speed"
    return f"{epochs_per_frame} epoch{'s' if epochs_per_frame > 1 else ''}/frame"


class RunControls(QFrame):
    play_clicked = Signal()
    step_clicked = Signal(int)
    reset_clicked = Signal()
    restart_clicked = Signal()
    speed_changed = Signal(object)  # int epochs per frame, or None for full speed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunControls")
        # Colours from the palette: they follow the theme (nnviz.gui.look).
        self.setStyleSheet("#RunControls { background: palette(window); "
                           "border-bottom: 1px solid palette(mid); }")
        style = self.style()

        self.reset = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "Reset")
        self.reset.setToolTip("Start over with new random weights, at epoch 0 (R).")
        self.play = QPushButton()
        self.play.setMinimumWidth(96)
        self.play.setToolTip("Train continuously, or pause (Space).")
        self.play.setDefault(False)
        self.play.setStyleSheet("QPushButton { font-weight: bold; padding: 6px 14px; }")
        self.step_buttons: dict[int, QPushButton] = {}
        self.step = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward), "Step")
        self.step.setToolTip("Train exactly one epoch, then stop (Right arrow).")
        self.step_buttons[1] = self.step
        for n in (10, 100, 1000):
            b = QPushButton(f"+{n}")
            b.setMinimumWidth(0)
            b.setMaximumWidth(64)
            b.setToolTip(f"Train exactly {n} epochs, then stop.")
            self.step_buttons[n] = b
        self.restart = QPushButton("Restart")
        self.restart.setToolTip("Back to epoch 0 with the same initial weights as this run: "
                                "the same run again.")

        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(120)
        self.speed.setPageStep(1)
        self.speed.setToolTip("Training speed: from one epoch per frame (slow, to watch each "
                              "step) to as fast as possible.")
        self.speed_label = QLabel(speed_text(None))
        self.speed_label.setMinimumWidth(105)
        self.speed_label.setToolTip(self.speed.toolTip())
        speed_box = QVBoxLayout()
        speed_box.setSpacing(0)
        title = QLabel("Speed")
        title.setToolTip(self.speed.toolTip())
        speed_box.addWidget(title)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.speed)
        row.addWidget(self.speed_label)
        speed_box.addLayout(row)

        self.epoch = QLabel()
        font = self.epoch.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.epoch.setFont(font)
        self.epoch.setToolTip("How many epochs (passes over the training data) the model has "
                              "trained.")
        self.epoch.setMinimumWidth(170)
        self.epoch.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.epoch.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.status = QLabel()
        self.status.setToolTip("What the trainer is doing.")
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.addWidget(self.reset)
        lay.addWidget(self.play)
        for b in self.step_buttons.values():
            lay.addWidget(b)
        lay.addWidget(self.restart)
        lay.addSpacing(16)
        lay.addLayout(speed_box)
        lay.addWidget(self.status, 1)
        lay.addWidget(self.epoch)

        self.set_playing(False)
        self.set_epoch(0)
        self.play.clicked.connect(self.play_clicked)
        for n, b in self.step_buttons.items():
            b.clicked.connect(lambda _c=False, n=n: self.step_clicked.emit(n))
        self.reset.clicked.connect(self.reset_clicked)
        self.restart.clicked.connect(self.restart_clicked)
        self.speed.valueChanged.connect(self._speed_moved)

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))
        self.play.setText("Pause" if playing else "Play")

    def set_epoch(self, epoch: int, live_epoch: int = -1) -> None:
        """The epoch shown; ``live_epoch`` past it means the timeline shows the past."""
        if epoch < live_epoch:
            self.epoch.setText(f"Epoch {epoch:,} of {live_epoch:,}")
        else:
            self.epoch.setText(f"Epoch {epoch:,}")

    def speed_value(self) -> int | None:
        return SPEEDS[self.speed.value()]

    def _speed_moved(self, i: int) -> None:
        self.speed_label.setText(speed_text(SPEEDS[i]))
        self.speed_changed.emit(SPEEDS[i])
