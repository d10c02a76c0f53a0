"""Every view of the registry in the dark theme (and back): plot backgrounds, axes, titles,
legends, notes and labels in the theme's colours, every text readable on its ground. Read from
the widgets and plot items, not from screenshots."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.gui import colors
from nnviz.gui.views import REGISTRY

from .look_audit import text_problems


@pytest.fixture(autouse=True)
def default_look():
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    from nnviz.gui.actions.settings import make_settings
    from nnviz.gui.look import PALETTE_KEY, THEME_KEY
    s = make_settings()
    s.remove(THEME_KEY)
    s.remove(PALETTE_KEY)
    s.sync()


def _show(w, qtbot, name: str) -> None:
    w.show_view(name)
    view = w._inspection_views.get(name)
    # The view's first frame (and its probe's numbers, where it has a probe) has arrived.
    qtbot.waitUntil(lambda: view is None or (getattr(view, "snapshot", True) is not None and
                                             getattr(view, "result", True) is not None),
                    timeout=60_000)
    QApplication.processEvents()


def test_every_view_is_readable_in_the_light_theme_and_follows_the_dark_theme(
        main_window, qtbot, wait_run):
    """Every view in the light theme; then the switch to the dark theme repaints every view and
    the main one, in each palette in turn (the next one's switch made in the dark theme), and
    the switch back to light repaints them again: one window, each problem named by its
    palette and view. (The way back to the same light look was checked after each palette
    before, three times the same end state by the same repaint.)"""
    w = main_window
    w.resize(1280, 800)
    w.step(30)
    wait_run(w, 30)
    problems = []
    # Built in the light theme first: the switch, not the start, must repaint them.
    for entry in REGISTRY:
        _show(w, qtbot, entry.name)
        problems += text_problems(w, f"light: {entry.name}: ")
    for palette in colors.PALETTES:
        colors.set_look("dark", palette)
        for entry in [*REGISTRY, None]:
            name = entry.name if entry else "main"
            _show(w, qtbot, name)
            problems += text_problems(w, f"dark {palette}: {name}: ")
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
    for entry in [*REGISTRY, None]:
        name = entry.name if entry else "main"
        _show(w, qtbot, name)
        problems += text_problems(w, f"back to light from {palette}: {name}: ")
    assert problems == [], "\n".join(problems)


def test_presentation_modes_readout_follows_the_dark_theme(main_window, qtbot, wait_run):
    """The large epoch / loss readout was a white box on the dark theme."""
    w = main_window
    w.step(10)
    wait_run(w, 10)
    w.set_presentation(True)
    colors.set_look("dark")
    QApplication.processEvents()
    r = w.presentation.readout
    r.ensurePolished()
    ground = r.palette().color(r.backgroundRole())
    assert ground.lightness() < 80 and r.palette().color(r.foregroundRole()).lightness() > 180
    assert text_problems(w) == []
    colors.set_look("light")
    QApplication.processEvents()
    r.ensurePolished()
    assert r.palette().color(r.backgroundRole()).lightness() > 200
    w.set_presentation(False)
