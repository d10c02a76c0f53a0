"""The banner's buttons, and its hint for a run stuck high.

A rate so large that one step drives the units into saturation leaves the loss far above the
run's best and flat (the gradient is ~0 there). Nothing is NaN, so it is no divergence: the run
is not paused and the best weights are not put back by themselves -- the loss is finite and may
climb out, and a sigmoid + MSE loss (at most 1) never rises the "million times" a divergence
is. The banner says what happened and names the rate that did it, read from the run log (a rate
is a pinned checkpoint), so Undo, another branch or a session opened later blame the same one.
Its button goes back to the run's best epoch (kept exactly as the run goes:
``LossHistory.best``) and continues from there at a lower rate, as "Continue from here" does: a
new branch, the saturated one kept on the timeline. The banner's x (or Esc) closes it.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QPushButton, QStyle, QStyleOption

from nnviz.core.problem import default_learning_rate
from nnviz.core.snapshot import Snapshot
from nnviz.core.training import (BACK_RATE_WHY, STUCK_EPOCHS, STUCK_FLAT, back_rate,
                                  high_loss_message, loss_far_above_best, stuck_from_start,
                                  stuck_start_message)

from .widgets import close_x

if TYPE_CHECKING:
    from .main_window import MainWindow


def blamed_rates(s: Snapshot) -> tuple[float, float | None]:
    """The learning rate of the step that drove the loss up to where it sits flat (the first
    loss of the flat stretch is the one after that step), and the rate the run trained at
    before that one (None: none; it started at it). Not a rate set since, which has not done
    it ("lr 1" was blamed for what lr 500 did, and after Undo "lr 5" for what 10000 did)."""
    values, epochs = np.asarray(s.loss_values), np.asarray(s.loss_epochs)
    last = float(values[-1])
    moved = np.flatnonzero(~(np.abs(values - last) <= STUCK_FLAT * abs(last)))
    flat_from = int(epochs[moved[-1] + 1]) if len(moved) else int(epochs[0])
    # History epoch E's loss is the weights' after E - 1 epochs: made by the update from E - 2.
    rates = s.rates
    i = next((i for i in range(len(rates) - 1, -1, -1) if rates[i][0] <= flat_from - 2), None)
    if i is None:
        return float(s.config.learning_rate), None
    return rates[i][1], rates[i - 1][1] if i > 0 else None


# The hint is folded to two lines (the first beside the x, the second beside the button) when
# its wrapped text and button would take more than this share of the window's height: in
# presentation mode at 1024x768 they took 104 of its 768 pixels, three lines and a button row
# over the Backprop diagram, squeezed to two nodes a layer until closed. (Folded to one line,
# it read "Learning rate too high? …" there: the class never saw why, review r24 F13.)
ONE_LINE_SHARE = 0.1
FOLDED_PAD = 2  # px above and below the folded banner's lines, inside its 1 px border


def clause_elided(text: str, metrics, width: int) -> str:
    """``text`` on one line of ``width`` pixels: whole, or cut after the longest run of whole
    clauses that fits (at a '?', ':', ',' or '.' and a space), then "…"; mid-word only when not
    even its first clause fits. "Learning rate too high? The lo…" said less than "Learning rate
    too high? …", and looked broken."""
    lines = lines_elided(text, metrics, [width])
    return lines[0] if lines else ""


def _wrapped(text: str, metrics, widths: list[int]) -> list[str] | None:
    """``text`` broken at spaces into lines of the ``widths`` (one each, in order), or None
    where it takes more lines than those (or a word is wider than its line)."""
    lines, line = [], ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if metrics.horizontalAdvance(trial) <= widths[len(lines)]:
            line = trial
            continue
        if not line:
            return None
        lines.append(line)
        if len(lines) == len(widths) or metrics.horizontalAdvance(word) > widths[len(lines)]:
            return None
        line = word
    return lines + ([line] if line else [])


def lines_elided(text: str, metrics, widths: list[int]) -> list[str]:
    """``text`` in lines of the ``widths`` (a line each at most): whole, or cut after the
    longest run of whole clauses that fits, then "…" (see :func:`clause_elided`); the first
    line cut mid-word, alone, where not even the first clause fits."""
    text = " ".join(text.split())
    whole = _wrapped(text, metrics, widths)
    if whole is not None:
        return whole
    ends = [i + 1 for i, c in enumerate(text[:-1]) if c in "?:,." and text[i + 1] == " "]
    for end in reversed(ends):
        cut = _wrapped(text[:end] + " …", metrics, widths)
        if cut is not None:
            return cut
    return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, widths[0])]


class Banner(QLabel):
    """The window's banner: a QLabel (its ``text()`` the whole message) that can be folded
    (``set_one_line``) to two lines, the first beside the x, the second beside the button
    (``last_line_end``: where that line ends, in the banner; ``row``: its height, the
    button's), cut after whole clauses, the whole message in its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.one_line = False  # (folded: two lines at most)
        self._tip = ""
        self.last_line_end: int | None = None
        self.first_row, self.row = 0, 0  # the lines' rows' heights (the x's, the button's)

    def set_one_line(self, on: bool) -> None:
        if on == self.one_line:
            return
        self.one_line = on
        if on:
            self._tip = self.toolTip()
        self.setToolTip(self.text() if on else self._tip)
        self.updateGeometry()
        self.update()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        super().setText(text)
        if self.one_line:
            self.setToolTip(text)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt)
        return not self.one_line and super().hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt)
        return self.sizeHint().height() if self.one_line else super().heightForWidth(width)

    def _one_line_size(self) -> QSize:
        m = self.contentsMargins()
        frame = 2 * (1 + FOLDED_PAD)  # the style sheet's border, and the padding
        line = self.fontMetrics().height()
        return QSize(m.left() + m.right() + frame + 40,
                     max(line, self.first_row) + max(line, self.row) + m.top() + m.bottom()
                     + frame)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._one_line_size() if self.one_line else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return self._one_line_size() if self.one_line else super().minimumSizeHint()

    def text_rect(self) -> QRect:
        """Where the folded banner's lines go."""
        return self.contentsRect().adjusted(7, 1 + FOLDED_PAD, -7, -1 - FOLDED_PAD)

    def shown_lines(self) -> list[str]:
        """The lines the folded banner draws."""
        rect = self.text_rect()
        last = rect.width() if self.last_line_end is None else self.last_line_end - rect.left()
        return lines_elided(self.text(), self.fontMetrics(), [rect.width(), max(last, 1)])

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if not self.one_line:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        opt = QStyleOption()
        opt.initFrom(self)
        # The box (the style sheet's ground and border), then the text's lines: the first at
        # the top, the second centred on the button's row.
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, opt, painter, self)
        rect, line = self.text_rect(), self.fontMetrics().height()
        second = rect.top() + max(line, self.first_row)
        tops = (rect.top(), second + (max(line, self.row) - line) // 2)
        for text, top in zip(self.shown_lines(), tops):
            self.style().drawItemText(painter, QRect(rect.left(), top, rect.width(), line),
                                      int(Qt.AlignmentFlag.AlignVCenter), self.palette(),
                                      self.isEnabled(), text, self.foregroundRole())
        painter.end()


class StuckHint:
    """The banner's close button and "back to the best" button beside it, and the hint."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = w = window
        # In the red box: the x at its top right, the button at its bottom right, and room kept
        # for them (beside the text, they took a third of its width: ten lines in
        # presentation mode at 1024x768).
        self.close_button = close_x(w.banner, "Close this message (Esc)", "Close the message",
                                    self.close)
        self.back = QPushButton(w.banner)
        self.back.setCursor(Qt.CursorShape.ArrowCursor)
        self.back.clicked.connect(self.go_back)
        # (its own words, with the epoch and rate, once it is shown)
        self.back.setToolTip("Continue from the run's lowest loss at a lower learning rate.")
        self.back.hide()
        self._placer = _Placer(self)
        w.banner.installEventFilter(self._placer)
        w.installEventFilter(self._placer)  # a taller or shorter window: one line or all
        self.text: str | None = None  # the hint while the banner says it
        self._target: tuple[int, float] | None = None  # (epoch, rate) the button goes back to
        self._stretch: tuple | None = None  # the stuck stretch the hint is about
        self._closed: tuple | None = None  # the stuck stretch whose hint was closed

    def place(self) -> None:
        """The buttons in their corners, and the text's margins clear of them; the hint folded
        to two lines, the second beside its button, where in full it would take much of a
        short window's height (ONE_LINE_SHARE)."""
        w = self.window
        banner, x, back = w.banner, self.close_button, self.back
        for b in (x, back):  # (the banner's font, presentation mode's: not passed on to them)
            if b.font() != banner.font():
                b.setFont(banner.font())
        x.adjustSize()
        button = back.isVisibleTo(banner)
        bottom = back.sizeHint().height() + 4 if button else 0
        full = x.width() + 2, bottom
        one_line = False
        if button and isinstance(banner, Banner) and banner.width() > 0:
            # (the text's width as wrapped: the margins of the full banner)
            text_width = banner.width() - full[0] - 2 * (banner.frameWidth() + 7)
            # (the text alone: the label's heightForWidth counts its margins, which hold the
            # button's row once placed, and a hint placed twice was counted one row taller)
            text = banner.fontMetrics().boundingRect(
                QRect(0, 0, max(text_width, 1), 100_000), int(Qt.TextFlag.TextWordWrap),
                banner.text()).height()
            tall = text + bottom  # (the button's row holds the frame's bottom padding)
            one_line = tall > ONE_LINE_SHARE * w.height()
        if isinstance(banner, Banner):
            # the rows: the first as tall as the x, the second as the button
            rows = (2 + x.height() - banner.text_rect().top(), back.sizeHint().height())
            if one_line and (banner.first_row, banner.row) != rows:
                banner.first_row, banner.row = rows
                banner.updateGeometry()
            banner.set_one_line(one_line)
        right = full[0]
        margins = (0, 0, right, 0 if one_line else bottom)
        m = banner.contentsMargins()
        if (m.top(), m.right(), m.bottom()) != margins[1:]:
            banner.setContentsMargins(*margins)
        x.move(banner.width() - x.width() - 2, 2)
        if one_line:  # the button at the right of the second line, the line ending before it
            back.resize(back.sizeHint())
            line = banner.fontMetrics().height()
            back.move(banner.width() - back.width() - 8,
                      banner.text_rect().top() + max(line, banner.first_row))
            if banner.last_line_end != back.x() - 8:
                banner.last_line_end = back.x() - 8
                banner.update()
        elif bottom:
            back.resize(back.sizeHint())
            back.move(banner.width() - back.width() - 8, banner.height() - back.height() - 6)

    # --- the banner ------------------------------------------------------------------------

    def shown(self) -> None:
        """The banner shows a new text: another message than the hint has no button."""
        if self.window.banner.text() != self.text:
            self.back.hide()
        self.place()

    def hidden(self) -> None:
        self.back.hide()

    def close(self) -> None:
        """The x (or Esc): the message goes. A hint stays closed while the run stays stuck the
        same way; a divergence's, while the branch ends there (MainWindow._show_divergence)."""
        w = self.window
        if w.banner.isHidden():
            return
        if w.banner.text() == self.text:
            self._closed = self._stretch
        divergence = w._divergence_text
        w._hide_banner()
        w._divergence_text = divergence  # (closed, not gone: not said again each frame)

    # --- the hint --------------------------------------------------------------------------

    def check(self, s: Snapshot) -> None:
        """A live run whose loss rose far above its best and stopped moving gets the hint
        (and a word in the status line), both gone once the loss moves again."""
        w = self.window
        values = s.loss_values
        best = s.best_loss if math.isfinite(s.best_loss) else (
            float(np.nanmin(values)) if len(values) else math.inf)
        recent, epoch_s = values[-STUCK_EPOCHS:], self.epoch_seconds()
        if len(values) and loss_far_above_best(recent, best, epoch_s):
            (lr, before), now = blamed_rates(s), float(s.config.learning_rate)
            back_epoch = max(s.best_epoch, 0)
            back_lr, why = back_rate(lr, now, before, self._fitted_rate(s))
            self._target = (back_epoch, back_lr)
            self._stretch = (s.run_id, s.branch, lr, back_epoch)
            text = high_loss_message(recent, best, lr, now=now, best_epoch=back_epoch,
                                     epoch_s=epoch_s)
            if self._stretch == self._closed:
                self.text = text
                return
            if w.banner.isHidden() or w.banner.text() != text:
                w._show_banner(text)
            self.text = text
            self.back.setText(f"Back to epoch {back_epoch:,} at lr {back_lr:g}"
                              + (" (default)" if why == "default" else ""))
            self.back.setToolTip(
                f"Continue from epoch {back_epoch:,}, the lowest loss of this run "
                f"({best:.4g}), at learning rate {back_lr:g} ({BACK_RATE_WHY[why]}), as a new "
                "branch; the saturated epochs stay on the timeline. Ctrl+Z takes it back.")
            self.back.show()
            self.place()
            w._set_status(False, "loss far above its best: learning rate too high?")
        elif len(values) and stuck_from_start(values, self.epoch_seconds()):
            # Flat since the first epoch: no gradient (units saturated or dead from the start),
            # where no best epoch is better and no rate helps: the words, no button.
            self._target = None
            self._stretch = (s.run_id, s.branch, "start")
            text = stuck_start_message(float(values[-1]), float(s.config.learning_rate))
            self.text = text
            if self._stretch == self._closed:
                return
            if w.banner.isHidden() or w.banner.text() != text:
                w._show_banner(text)
            self.back.hide()
            self.place()
            w._set_status(False, "loss stuck since the start: no gradient?")
        elif self.text is not None:
            self._clear()

    def _fitted_rate(self, s: Snapshot) -> float | None:
        """The rate nnviz fits to this data, optimiser and features (the Training tab's
        default), None where there is no data."""
        data = getattr(self.window, "dataset", None)
        if data is None:
            return None
        return default_learning_rate(data, s.config.optimizer, s.spec.features)

    def epoch_seconds(self) -> float | None:
        """Seconds an epoch of the live run takes, as the worker last timed it (None: not yet):
        a slow run is called stuck after fewer flat epochs (training.stuck_epochs)."""
        worker = getattr(self.window, "worker", None)
        return getattr(getattr(worker, "loop", None), "epoch_s", None)

    def _clear(self) -> None:
        """The hint and its word in the status line go."""
        w = self.window
        if w.banner.text() == self.text:
            w._hide_banner()
        if w._status_text[False].startswith(("loss stuck", "loss far above")):
            w._set_status(False, "")
        self.text, self._target, self._closed = None, None, None

    def go_back(self) -> None:
        """The run's best epoch, continued from at the lower rate: the timeline goes there,
        the rate is set, and "Continue from here" branches (an Undo step); a run that was
        playing plays on."""
        w, target = self.window, self._target
        if target is None:
            return
        epoch, lr = target
        playing = w.playing
        self._clear()
        w.show_epoch(epoch)
        # The rate, kept as one typed; no Undo step of its own: the branch's takes it all back
        # (a second one undid a rate of the branch gone, and changed nothing in sight).
        w.set_learning_rate(lr)
        w.training_panel.chosen.emit("learning_rate")
        w.branch()
        if playing:
            w.play()


class _Placer(QObject):
    """Places the banner's buttons at each resize of it or of the window (and font change:
    presentation mode)."""

    def __init__(self, hint: StuckHint) -> None:
        super().__init__(hint.window.banner)
        self.hint = hint

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange) and (
                obj is self.hint.window.banner or self.hint.window.banner.isVisible()):
            self.hint.place()
        return False
