"""Coloured words and the status line read at WCAG AA for normal text (4.5:1) on what they sit
on, in both themes and every palette: a reviewer on the light theme measured the status line
at 3.9:1, "Test" in the metrics line 3.9:1, the captions' "orange" 3.4:1 and "red" (Tol)
3.7:1, the Landscape's "red:" 3.6:1 (the app aimed at 3.3, WCAG's level for large text)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QPalette

from nnviz.gui import colors

AA = 4.5
LOOKS = [(t, p) for t in colors.THEMES for p in colors.PALETTES]


def coloured_words(html: str) -> dict[str, tuple[int, int, int]]:
    """Each word in a ``<span style='color:#...'>`` (or ``<b style=...>``) of ``html``, with its
    colour."""
    out = {}
    for hexcode, word in re.findall(
            r"color:\s*#([0-9a-fA-F]{6})['\"]?>(?:<b>)?([^<]+)", html):
        out[word.strip()] = tuple(int(hexcode[i:i + 2], 16) for i in (0, 2, 4))
    return out


def rgb(qcolor) -> tuple[int, int, int]:
    return qcolor.red(), qcolor.green(), qcolor.blue()


@pytest.fixture
def look():
    def use(theme, palette):
        colors.set_look(theme, palette)
    yield use
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


@pytest.mark.parametrize("theme, palette", LOOKS)
def test_the_scales_words_read_on_the_window(qtbot, look, theme, palette):
    """The captions of Network and Neurons ("blue positive, orange negative"), on the
    window's own colour (Fusion's #efefef on the light theme, not the plots' white)."""
    look(theme, palette)
    window = rgb(colors.qt_palette().color(QPalette.ColorRole.Window))
    words = coloured_words(colors.scale_html("high", "low"))
    assert set(words) == {colors.colour_word(colors.high()), colors.colour_word(colors.low())}
    for word, c in words.items():
        assert colors.contrast(c, window) >= AA, (word, c, window)


@pytest.mark.parametrize("theme, palette", LOOKS)
def test_the_landscapes_titles_and_key_read(qtbot, look, theme, palette):
    from nnviz.gui.landscape_view import LandscapeView, _sharpness_title
    look(theme, palette)
    window = rgb(colors.qt_palette().color(QPalette.ColorRole.Window))
    plots = colors.background()
    view = LandscapeView()
    qtbot.addWidget(view)
    view._line_has_test = True
    view.apply_look()
    key = coloured_words(view.map_key.text())  # under the map, on the window
    assert colors.contrast(key["red"], window) >= AA
    titles = {**coloured_words(view._line_title()), **coloured_words(view._path_title()),
              **coloured_words(_sharpness_title("2/lr"))}
    assert {"test", "its shadow's on the plane", "sharpness", "2/lr"} <= set(titles)
    for word, c in titles.items():  # on the plots
        assert colors.contrast(c, plots) >= AA, (word, c)


def ink_contrast(label) -> float:
    """The contrast of ``label``'s words as drawn: its most contrasting pixel (a stem of a
    letter) with its ground (a corner)."""
    img = label.grab().toImage()
    ground = rgb(img.pixelColor(0, 0))
    return max(colors.contrast(rgb(img.pixelColor(x, y)), ground)
               for x in range(img.width()) for y in range(img.height()))


@pytest.mark.parametrize("theme", list(colors.THEMES))
def test_the_status_line_reads_in_either_theme(main_window, qtbot, look, theme):
    """The grey status line ("stopped at epoch 500 ...; Play trains on", "ready") as drawn."""
    w = main_window
    look(theme, colors.DEFAULT_PALETTE)
    status = w.controls.status
    status.setText("stopped at epoch 500 (Stop at); Play trains on")
    qtbot.waitUntil(lambda: status.isVisible() and status.width() > 100)
    assert ink_contrast(status) >= AA


def test_the_metrics_test_reads(main_window):
    """"Test" in the metrics line, in the test data's colour, on the window."""
    w = main_window
    text = w.metrics.text()
    test = coloured_words(text).get("Test")
    assert test is not None, text
    window = rgb(w.metrics.palette().color(QPalette.ColorRole.Window))
    assert colors.contrast(test, window) >= AA, (test, window)
