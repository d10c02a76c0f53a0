"""The window's theme and palette: the View menu's choices, remembered in the settings, applied
to every view at once (the colours themselves are :mod:`nnviz.gui.colors`'s)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QWidget

from . import colors
from .actions.settings import make_settings

THEME_KEY, PALETTE_KEY = "look/theme", "look/palette"
#: What the command line chose ("theme", "palette": ``--theme``, ``--palette``): the settings'
#: choice of it is then not restored.
GIVEN: set[str] = set()


def install(window) -> None:
    """The View menu's Theme and Palette, the look remembered from the last session (unless one
    was set already, e.g. by ``--theme``), and every view redrawn when it changes."""
    settings = make_settings()
    saved_theme = str(settings.value(THEME_KEY, "") or "")
    saved_palette = str(settings.value(PALETTE_KEY, "") or "")
    colors.set_look(saved_theme if saved_theme in colors.THEMES and "theme" not in GIVEN
                    else None,
                    saved_palette if saved_palette in colors.PALETTES and "palette" not in GIVEN
                    else None)

    window.view_menu.addSeparator()
    window.look_actions = {}
    for title, key, known, which in (("&Theme", THEME_KEY, colors.THEMES, "theme"),
                                     ("&Palette", PALETTE_KEY, colors.PALETTES, "palette")):
        menu = window.view_menu.addMenu(title)
        menu.setToolTipsVisible(True)
        group = QActionGroup(window)
        for name, item in known.items():
            a = QAction(item.title, window, checkable=True)
            tip = getattr(item, "tip", f"The {item.title.lower()} theme.")
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(lambda _=False, n=name, w=which, k=key: _choose(settings, k, w, n))
            group.addAction(a)
            menu.addAction(a)
            window.look_actions[(which, name)] = a

    def refresh() -> None:
        restyle(window)
        t, p = colors.current()
        for (which, name), a in window.look_actions.items():
            a.setChecked(name == (t.name if which == "theme" else p.name))
    colors.follow(window, refresh)
    refresh()


def _choose(settings, key: str, which: str, name: str) -> None:
    settings.setValue(key, name)
    settings.sync()
    colors.set_look(**{f"{which}_name": name})


def restyle(window) -> None:
    """Every widget of ``window`` in the current theme and palette (the plots that own colours
    follow colors.NOTIFIER themselves; the others are drawn again here)."""
    app = QApplication.instance()
    if app is not None:
        app.setPalette(colors.qt_palette())
    # A style sheet's "palette(window)" was read when it was set: set again, it reads the new
    # palette (the run controls' bar and its labels kept the light theme's black text).
    for widget in [window, *window.findChildren(QWidget)]:
        sheet = widget.styleSheet()
        if "palette(" in sheet:
            widget.setStyleSheet(sheet)
    for view in window.findChildren(pg.GraphicsView):
        colors.style_view(view)
    if window.dataset is not None:
        window._update_legend(window.dataset)
    last = window.last_snapshot
    if last is not None:
        window.metrics.setText(window._metrics_text(last))
    views = getattr(window, "_inspection_views", None)
    for view in views.built() if views is not None else ():
        apply = getattr(view, "apply_look", None)
        if apply is not None:
            apply()
        elif last is not None and view.isVisible():
            view.update_snapshot(last)


def style_tree(widget) -> None:
    """The plots under ``widget`` in the current theme (a view built after the choice)."""
    for view in widget.findChildren(pg.GraphicsView):
        colors.style_view(view)
    if isinstance(widget, pg.GraphicsView):
        colors.style_view(widget)
