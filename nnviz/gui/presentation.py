"""Presentation mode (View menu, F11): the window as a class sees it on a projector.

Text and markers :data:`SCALE` times larger, thicker curves, dark text; the settings panels,
the timeline and the advanced run buttons folded away; a large epoch / loss / accuracy readout
above the loss plot. The menu's choice is remembered (``view/presentation`` in the settings);
``window.set_presentation(on)`` (tests, ``--presentation``) does not write it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy

from nnviz.core.snapshot import Snapshot

SCALE = 1.6  # the floor for fonts and markers a room can read
SETTINGS_KEY = "view/presentation"
LEFT_SHARE = 0.36
READOUT_STYLE = "QLabel { color: #111; background: #f4f5f6; border-radius: 4px; padding: 6px; }"


class Presentation(QObject):
    """Owns the mode's action and readout; switches the window's parts between the modes."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._normal_split = None
        window.main_split.installEventFilter(self)
        self.active = False
        self._normal_font = QFont(window.font())
        self.readout = QLabel()
        self.readout.setObjectName("PresentationReadout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setStyleSheet(READOUT_STYLE)
        self.readout.setWordWrap(True)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setToolTip("The epoch, and the loss and accuracy of the model on the "
                                "training points (test points in brackets).")
        self.readout.hide()
        box = window.metrics.parentWidget().layout()
        box.insertWidget(0, self.readout)

        self.action = QAction("&Presentation mode", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = ("Large text and markers, dark lines, the settings folded away: for a projector. "
               "F11 again goes back.")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.toggled.connect(self._chosen)
        window.view_menu.addAction(self.action)
        window.addAction(self.action)  # F11 works with the menu bar hidden
        window.snapshot_drawn.connect(self._update_readout)

    def _chosen(self, on: bool) -> None:
        self.set_active(on)
        from .actions.settings import make_settings
        settings = make_settings()
        settings.setValue(SETTINGS_KEY, on)
        settings.sync()

    def set_active(self, on: bool) -> None:
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.blockSignals(True)
            self.action.setChecked(on)
            self.action.blockSignals(False)
        if on == self.active:
            return
        self.active = on
        w = self.window
        scale = SCALE if on else 1.0
        font = QFont(self._normal_font)
        font.setPointSizeF(self._normal_font.pointSizeF() * scale)
        w.setFont(font)
        w.controls.set_presentation(on, scale)
        w.boundary.set_scale(scale)
        w.loss_plot.set_scale(scale)
        for part in (w.panels_scroll, w.timeline, w.metrics):
            part.setVisible(not on)
        self.readout.setVisible(on)
        if on:
            self._normal_split = w.main_split.saveState()
            self._share_width()
        elif self._normal_split is not None:
            w.main_split.restoreState(self._normal_split)
        if w.last_snapshot is not None:
            self._update_readout(w.last_snapshot)

    def _share_width(self) -> None:
        """The readout and the loss take LEFT_SHARE of the width, the plot the rest (the
        settings' place goes to the plot)."""
        split = self.window.main_split
        total = max(sum(split.sizes()), self.window.width())
        split.setSizes([int(total * LEFT_SHARE), total - int(total * LEFT_SHARE)])

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if self.active and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._share_width()
        return False

    def _update_readout(self, s: Snapshot) -> None:
        if not self.active:
            return
        from .main_window import format_accuracy, format_loss
        w = self.window
        clf = w.dataset is not None and w.dataset.is_classification
        m = s.metrics
        what = "accuracy" if clf else "R\u00b2"
        # Sizes in the text: the label's style sheet keeps the window's font from it.
        pt = self.window.font().pointSizeF()
        self.readout.setText(
            f"<div style='font-size:{pt:g}pt'>"
            f"<div style='font-size:{pt * 1.5:g}pt'><b>Epoch {s.epoch:,}</b></div>"
            f"<div>loss <b>{format_loss(m.train_loss)}</b> (test {format_loss(m.test_loss)})"
            f"</div><div>{what} <b>{format_accuracy(m.train_accuracy, clf)}</b> "
            f"(test {format_accuracy(m.test_accuracy, clf)})</div></div>")
