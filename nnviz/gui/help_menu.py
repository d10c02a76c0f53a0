"""The Help menu: the keyboard shortcuts (read from the window's own actions, so the list is
never out of date) and About nnviz. A reviewer new to the app found no way to learn that Space
plays, Right steps or Home rewinds, short of opening every menu."""
from __future__ import annotations

import html

import shiboken6

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QMenu,
                               QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

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
        if a.menu() is not None and a.menu() is not getattr(window, "help_menu", None):
            title = a.menu().title().replace("&", "")
            walk(a.menu(), title)
            if title == "View":  # a tab's own keys, in no menu (a reviewer's F1 missed them)
                rows.extend(TAB_KEYS)
    return rows


#: Keys a view tab answers to itself (its own shortcuts), listed with the View menu's. (Ctrl+Tab
#: and Ctrl+Shift+Tab are the View menu's actions, window-wide: QTabWidget's own answered only
#: in the tab widget the focus was in.)
TAB_KEYS = [("View", "PgDown, PgUp", "Backprop tab: next / previous stage")]


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("nnviz: keyboard shortcuts")
        rows = shortcuts(window)
        table = self.table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels(["Menu", "Keys", "What it does"])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
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
        screen = window.screen().availableGeometry() if window.screen() is not None else None
        w, h = 640, 560
        if screen is not None:  # a projector's 1024x768 holds it whole
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 80)
        self.resize(w, h)


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
    keys = QAction("&Keyboard shortcuts", window)
    keys.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
    keys.setStatusTip("Every key the window answers to.")
    keys.triggered.connect(lambda: show_shortcuts(window))
    menu.addAction(keys)
    window.addAction(keys)  # F1 works with the menu bar hidden (presentation)
    about = QAction("&About nnviz", window)
    about.triggered.connect(lambda: QMessageBox.about(window, "About nnviz", about_text()))
    menu.addAction(about)
    return menu


def show_shortcuts(window) -> ShortcutsDialog:
    """The list, made afresh (a view installed since adds its keys), one at a time."""
    old = getattr(window, "shortcuts_dialog", None)
    if old is not None and shiboken6.isValid(old):
        old.close()
    dialog = window.shortcuts_dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog
