"""What a reader of a view sees of its colours, read from the widgets and plot items (not from
pixels): every text's colour against the ground it is drawn on, every plot's background. For
the tests of the dark theme and of presentation mode over every view of the registry."""
from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from nnviz.gui import colors

#: WCAG's contrast for large text: the least that can be read at all.
MIN_CONTRAST = 3.0
_HEX = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")
# A coloured span of words (a swatch, a glyph of a class's shape, is a mark, not text).
_SPAN = re.compile(r"<span style=['\"][^'\"]*?(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})[^>]*>(.*?)"
                   r"</span>", re.S)


contrast = colors.contrast  # WCAG's ratio, as the app computes it for readable()


def _rgb(c) -> tuple[int, int, int]:
    c = QColor(c)
    return c.red(), c.green(), c.blue()


def _inline_colours(text: str) -> list[tuple[int, int, int]]:
    """The colours of the words of a rich text (not of its marks: a lone glyph, a swatch)."""
    out = []
    for colour, inner in _SPAN.findall(text or ""):
        words = re.sub(r"<[^>]+>|&\w+;", "", inner)
        if any(ch.isalnum() for ch in words):
            out.append(_rgb(colour))
    return out


def _ground(w: QWidget) -> tuple[int, int, int]:
    """The colour behind a widget's text: its own filled background, or the nearest filled
    ancestor's, or the window's."""
    p = w
    while p is not None:
        p.ensurePolished()
        named = re.search(r"background:\s*palette\(([\w-]+)\)", p.styleSheet())
        if named:  # what the sheet draws: the application's palette now
            role = {"window": QPalette.ColorRole.Window, "base": QPalette.ColorRole.Base,
                    "button": QPalette.ColorRole.Button}[named.group(1)]
            return _rgb(QApplication.palette().color(role))
        if p.autoFillBackground() or "background" in p.styleSheet():
            return _rgb(p.palette().color(p.backgroundRole()))
        p = p.parentWidget()
    return _rgb(w.palette().color(QPalette.ColorRole.Window))


def text_problems(root: QWidget, where: str = "") -> list[str]:
    """Every visible label or button under ``root`` whose text (or a coloured part of it) cannot
    be read on its ground, and every plot whose background, axes, titles, legends or notes are
    not the theme's."""
    t = colors.theme()
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not isinstance(w, (QLabel, QAbstractButton)):
            continue
        if not w.isEnabled():
            continue  # greyed on purpose
        text = w.text() if hasattr(w, "text") else ""
        if not text:
            continue
        w.ensurePolished()
        ground = _ground(w)
        role = QPalette.ColorRole.WindowText if isinstance(w, QLabel) else \
            QPalette.ColorRole.ButtonText
        own = [_rgb(m) for m in _HEX.findall(w.styleSheet())]
        for rgb in [_rgb(w.palette().color(role))] + own + _inline_colours(text):
            if contrast(rgb, ground) < MIN_CONTRAST:
                out.append(f"{where}{type(w).__name__} {text[:50]!r}: {rgb} on {ground}")
    views = root.findChildren(pg.GraphicsView) + ([root] if isinstance(root, pg.GraphicsView)
                                                   else [])
    for view in views:
        if not view.isVisibleTo(root):
            continue
        bg = _rgb(view.backgroundBrush().color())
        if bg != t.background:
            out.append(f"{where}{type(view).__name__} background {bg} not {t.background}")
        for item in view.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.AxisItem):
                for what, rgb in (("numbers", _rgb(item.textPen().color())),
                                  ("line", _rgb(item.pen().color()))):
                    if contrast(rgb, t.background) < MIN_CONTRAST:
                        out.append(f"{where}axis {item.orientation} {what} {rgb}")
                for rgb in _inline_colours(item.labelString()):
                    # The axis's title in the text's colour, not the line's pale grey.
                    if rgb != t.text:
                        out.append(f"{where}axis {item.orientation} label {rgb}")
            elif isinstance(item, pg.LabelItem) and item.text:
                # What it was drawn in: the colour in its text (pyqtgraph writes it there).
                for c in _inline_colours(item.item.toHtml()):
                    if contrast(c, t.background) < MIN_CONTRAST:
                        out.append(f"{where}label {item.text[:40]!r}: {c}")
            elif isinstance(item, pg.TextItem) and item.textItem.toPlainText():
                fill = item.fill.color() if item.fill.style() != Qt.BrushStyle.NoBrush else None
                ground = _rgb(fill) if fill is not None and fill.alpha() > 150 else t.background
                for c in [_rgb(item.color)] + _inline_colours(item.textItem.toHtml()):
                    if contrast(c, ground) < MIN_CONTRAST:
                        out.append(f"{where}text {item.textItem.toPlainText()[:40]!r}: {c} "
                                   f"on {ground}")
    return out
