"""The Help menu: the keyboard shortcuts (read from the window's own actions, so the list is
never out of date) and About nnviz. A reviewer new to the app found no way to learn that Space
plays, Right steps or Home rewinds, short of opening every menu."""
from __future__ import annotations

import html

import shiboken6

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QMenu, QMessageBox, QTableWidget, QTableWidgetItem, QTextBrowser,
                               QVBoxLayout)

import nnviz


def shortcuts(window) -> list[tuple[str, str, str]]:
    """(menu, keys, what it does) for every action of ``window``'s menus that has a key, in the
    menus' order: what the shortcut list shows."""
    rows, seen = [], set()

    def walk(menu: QMenu, title: str) -> None:
        for a in menu.actions():
            if a.menu() is not None:
                walk(a.menu(), f"{title} → {a.menu().title().replace('&', '')}")
                continue
            keys = [k for k in a.shortcuts() if not k.isEmpty()]
            if a.isSeparator() or not keys or id(a) in seen:
                continue
            seen.add(id(a))
            text = a.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            first = text.split(" ", 1)[0]
            if first in ("Undo", "Redo"):  # named after the step it would undo now
                text = f"{first} the last step" if first == "Undo" else "Redo the step undone"
            rows.append((title, ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                                          for k in keys), text))

    for a in window.menuBar().actions():
        if a.menu() is not None:
            title = a.menu().title().replace("&", "")
            walk(a.menu(), title)
            if title == "View":  # a tab's own keys, in no menu (a reviewer's F1 missed them)
                rows.extend(TAB_KEYS)
    return rows


#: Keys a view tab answers to itself (its own shortcuts), listed with the View menu's. (Ctrl+Tab
#: and Ctrl+Shift+Tab are the View menu's actions, window-wide: QTabWidget's own answered only
#: in the tab widget the focus was in.)
TAB_KEYS = [("View", "PgDown, PgUp", "Backprop tab: next / previous stage"),
            ("View", "Tab, arrows, Enter", "Network tab: Tab to the diagram, the arrows pick a "
             "neuron, Enter lists its bias and weights to edit")]


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts, every description whole: the dialog as wide
    as its columns where the screen has the room, else the descriptions wrapped. At 1024x768 in
    presentation mode the 640 px dialog cut 23 of them ("Undo the last ...", Ctrl+Left and
    Ctrl+Right both "Timeline: one ..."), its headers left at the normal size."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("nnviz: keyboard shortcuts")
        self._window = window
        rows = shortcuts(window)
        table = self.table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels(["Menu", "Keys", "What it does"])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        # Tab goes on to Close (the arrow keys move through the list): it went from cell to
        # cell, the Close button never reached from the keyboard.
        table.setTabKeyNavigation(False)
        # A description longer than its column goes on, on the next line (its row as tall as
        # its lines), where the screen is too narrow for the dialog to hold it on one.
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head = table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        note = ("Keys typed into a focused field (a number, a list) are the field's: press Esc "
                "to give them back to the window. A button reached with Tab (ringed) takes "
                "Space and Enter.")
        label = QLabel(note, self)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(table)
        lay.addWidget(label)
        lay.addWidget(buttons)
        self._fit()

    def _fit(self) -> None:
        """The headers in the table's font, the rows' padding and the dialog's size for it:
        the window's larger text (presentation mode, View > Text size) reaches the dialog as
        it is polished, after it was built (its headers stayed at ~9 pt)."""
        table = self.table
        table.horizontalHeader().setFont(table.font())
        fm = table.fontMetrics()
        table.verticalHeader().setMinimumSectionSize(fm.height() + 8)
        # As wide as the three columns on one line each (a 1024 px projector holds them at
        # the normal size; the descriptions wrap where it does not), never narrower than 640.
        m = self.layout().contentsMargins()
        want = (sum(table.sizeHintForColumn(c) for c in range(3)) + 2 * table.frameWidth()
                + table.verticalScrollBar().sizeHint().width() + m.left() + m.right() + 4)
        scale = table.font().pointSizeF() / max(QApplication.font().pointSizeF(), 1.0)
        w, h = max(640, want), round(560 * max(1.0, scale))
        window = self._window
        screen = window.screen().availableGeometry() if window.screen() is not None else None
        if screen is not None:  # a projector's 1024x768 holds it whole
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 80)
        self.resize(w, h)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):
            self._fit()


#: Getting started: what to press first and what the words mean, for someone who has never
#: trained a network (a keyboard newcomer found only "Keyboard shortcuts" and "About" here).
GETTING_STARTED = """
<h3>Getting started</h3>
<ol>
<li><b>Press Play</b> (Space). The network trains on the points on the right, one
<i>epoch</i> after another. The background colour is what it predicts at every place of the
plane; the loss curve under the settings falls as it learns. On the moons it falls at once,
then stays almost flat, the boundary still nearly a straight line (88% of the points right),
until about epoch 2,500, when the boundary bends around the moons: a <i>plateau</i>, common
in training. Keep it playing.</li>
<li><b>Pause</b> (Space again) and <b>Step</b> one epoch at a time (Right arrow). Drag the
timeline under the loss curve, or press Home, to look back at any earlier epoch; Continue from
here (Ctrl+B), the button under the timeline that reads <i>Branch</i> in a narrow window, trains
on from there as a new branch, beside the old one.</li>
<li><b>Change one thing</b> and watch: the learning rate (Ctrl+L) while it trains; the data set
in the Data settings on the left; layers and activations in the Network settings there (a new
network starts at epoch 0; Ctrl+Z brings the old run back).</li>
<li><b>Follow the lessons</b> (the Lessons menu, Ctrl+Shift+1 to 5): the course notebook's
steps, from a straight line to the moons. The exercises (Lessons → Exercises) set a goal and
give hints. Each view's <i>What am I looking at?</i> explains it.</li>
</ol>
<h3>Words</h3>
<dl>
<dt><b>Epoch</b></dt><dd>One pass over all the training points: the network's weights are
changed once (or once per batch).</dd>
<dt><b>Loss</b></dt><dd>How wrong the network is, one number: 0 is perfect. Training makes it
smaller. <i>mse</i>, mean squared error: the average of (prediction − truth)².</dd>
<dt><b>Weights and biases</b></dt><dd>The network's numbers, changed by training: each layer
computes <i>w.T @ X + b</i>, then its activation.</dd>
<dt><b>Activation</b></dt><dd>The bend after a layer: <i>sigmoid</i> squashes to 0..1,
<i>tanh</i> to −1..1, <i>relu</i> keeps positives and makes negatives 0. Without one, layers
stacked are still a straight line.</dd>
<dt><b>Gradient descent</b> (<i>gd</i>)</dt><dd>Training's step: move every weight a little
against its gradient, the direction in which the loss grows.</dd>
<dt><b>Learning rate</b></dt><dd>How big that step is. Too small: slow. Too large: the loss
jumps about or blows up.</dd>
<dt><b>Accuracy</b></dt><dd>The share of points put in their right class (for a class, the
prediction is rounded: 0.5 or more is class 1).</dd>
<dt><b>Test points</b></dt><dd>Points kept out of training (hollow on the plot): how the
network does on points it has not seen. A train loss far below the test loss is
<i>overfitting</i>.</dd>
</dl>
"""


class TextDialog(QDialog):
    """A page of text (``html``) with Close, sized to fit a 1024x768 screen."""

    def __init__(self, window, title: str, html_text: str, size: tuple[int, int]) -> None:
        super().__init__(window)
        self.setWindowTitle(title)
        self.text = QTextBrowser(self)
        self.text.setHtml(html_text)
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(buttons)
        screen = window.screen().availableGeometry() if window.screen() is not None else None
        w, h = size
        if screen is not None:
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 80)
        self.resize(w, h)


def getting_started(window) -> TextDialog:
    """What to press first and a glossary."""
    return TextDialog(window, "nnviz: getting started", GETTING_STARTED, (640, 640))


def recent_messages(window) -> TextDialog:
    """The status bar's latest messages, whole and newest first: a long one ends in "..." in
    the bar, its rest in a tooltip the keyboard cannot show. Above them, "Now", the note on the
    bar's right (the run's status) as it reads at the moment."""
    bar = window.statusBar()
    notes = [("Now", n) for n in getattr(bar, "notes", list)()]
    rows = notes + list(getattr(bar, "recent", ()))[::-1]
    text = "".join(f"<p><b>{html.escape(t)}</b> {html.escape(m)}</p>" for t, m in rows)
    return TextDialog(window, "nnviz: recent messages", text or "<p>No messages yet.</p>",
                      (640, 420))


def about_text() -> str:
    return (f"<h3>nnviz {html.escape(nnviz.__version__)}</h3>"
            "<p>Watch a neural network learn: a multilayer perceptron trained by jax gradient "
            "descent, its decision boundary and loss drawn live. It follows the teaching "
            "notebook <i>01-fundamentals</i> step by step and reproduces its numbers.</p>"
            "<p>Every run is recorded: rewind, replay and branch it on the timeline under the "
            "loss plot. The <b>Lessons</b> menu walks through the notebook; each view's "
            "<i>What am I looking at?</i> explains it.</p>"
            "<p>Built with PySide6 (Qt), pyqtgraph, numpy, jax, optax and scikit-learn.</p>")


def install(window) -> QMenu:
    """Add the Help menu, last in ``window``'s menu bar (after the views' menus)."""
    menu = window.help_menu = window.menuBar().addMenu("&Help")
    start = QAction("&Getting started", window)
    start.setStatusTip("What to press first, and what the words mean.")
    start.triggered.connect(lambda: _show_once(window, "getting_started", getting_started))
    menu.addAction(start)
    keys = QAction("&Keyboard shortcuts", window)
    keys.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
    keys.setStatusTip("Every key the window answers to.")
    keys.triggered.connect(lambda: show_shortcuts(window))
    menu.addAction(keys)
    window.addAction(keys)  # F1 works with the menu bar hidden (presentation)
    recent = QAction("Recent &messages", window)
    recent.setShortcut(QKeySequence("Ctrl+M"))
    recent.setStatusTip("The status bar's latest messages, whole (a long one is cut there).")
    recent.triggered.connect(lambda: _show_once(window, "recent_messages", recent_messages))
    menu.addAction(recent)
    window.addAction(recent)
    about = QAction("&About nnviz", window)
    about.triggered.connect(lambda: QMessageBox.about(window, "About nnviz", about_text()))
    menu.addAction(about)
    return menu


def _show_once(window, name: str, make) -> QDialog:
    """The dialog ``make(window)`` as ``window.<name>``, one at a time, on top."""
    old = getattr(window, name, None)
    if old is not None and shiboken6.isValid(old):
        old.close()
    dialog = make(window)
    setattr(window, name, dialog)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog


def show_shortcuts(window) -> ShortcutsDialog:
    """The list, made afresh (a view installed since adds its keys), one at a time."""
    return _show_once(window, "shortcuts_dialog", ShortcutsDialog)
