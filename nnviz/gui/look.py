"""The window's theme and palette: the View menu's choices, remembered in the settings, applied
to every view at once (the colours themselves are :mod:`nnviz.gui.colors`'s)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import (QAction, QActionGroup, QColor, QFontMetrics, QIcon, QIconEngine,
                           QImage,
                           QPainter, QPalette, QPixmap)
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QWidget

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
                                     ("P&alette", PALETTE_KEY, colors.PALETTES, "palette")):
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


#: On the dark theme: the grey that Fusion's check boxes and radio buttons are outlined in, and
#: the colour of its arrows (spin boxes, the tabs' scroll buttons, combo boxes).
INDICATOR_EDGE = QColor(150, 153, 158)
ARROW = QColor(255, 255, 255)
#: A slider's edges (its track's and its handle's outline) by theme (dark?), and its handle's
#: fill on the dark theme: 3:1 or more on the panel (colors.MARK_CONTRAST). Fusion outlines
#: them in the window colour made darker, 1.4:1 on the light panel and 1.1:1 on the dark one,
#: where its handle, the button grey, was 1.8:1: the speed slider could hardly be found.
SLIDER_EDGE = {False: QColor(118, 118, 118), True: INDICATOR_EDGE}
SLIDER_HANDLE_DARK = QColor(200, 202, 206)

_R = QPalette.ColorRole
_INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
               QStyle.PrimitiveElement.PE_IndicatorRadioButton)
_ARROWS = (QStyle.PrimitiveElement.PE_IndicatorArrowUp,
           QStyle.PrimitiveElement.PE_IndicatorArrowDown,
           QStyle.PrimitiveElement.PE_IndicatorArrowLeft,
           QStyle.PrimitiveElement.PE_IndicatorArrowRight)


class ThemeStyle(QProxyStyle):
    """The platform's style, with the dark theme's indicators made visible. Fusion outlines a
    check box in the window colour made darker: on the dark theme an unchecked box was a dark
    square without an edge on the dark panel (x1·x2, Log scale, Discretize output looked like
    nothing at all), and it draws its arrows in the text colour at 160/255 on the button grey.
    Here, on the dark theme only, the indicators are drawn from a palette whose window colour
    gives Fusion's outline a light grey (INDICATOR_EDGE), and the arrows in full white; the
    light theme is drawn exactly as before."""

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 (Qt)
        if colors.theme().dark and (element in _INDICATORS or element in _ARROWS):
            option = _lifted(option, element in _ARROWS)
        super().drawPrimitive(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802 (Qt)
        C = QStyle.ComplexControl
        if control == C.CC_Slider:
            _draw_slider(super().drawComplexControl, option, painter, widget)
            return
        if control in (C.CC_SpinBox, C.CC_ComboBox):
            option = _text_sized(option, widget)
        if colors.theme().dark and (control in (C.CC_SpinBox, C.CC_ComboBox) or (
                control == C.CC_ToolButton and option.arrowType != Qt.ArrowType.NoArrow)):
            option = _lifted(option, True)  # the tabs' scroll buttons are arrow tool buttons
        super().drawComplexControl(control, option, painter, widget)

    def subControlRect(self, control, option, sub, widget=None):  # noqa: N802 (Qt)
        # A spin box's buttons take more room; a combo box's arrow keeps Fusion's 19 px, its
        # larger glyph drawn in it (drawComplexControl): Fusion makes a fixed 30 px of room for
        # the arrow whatever its size, and the grown arrow took its text's room in
        # presentation mode (Hidden space's "principal componen"; Edit points' class name).
        # The whole box is clicked, not its arrow.
        if control == QStyle.ComplexControl.CC_SpinBox:
            option = _text_sized(option, widget)
        elif control == QStyle.ComplexControl.CC_ComboBox and widget is not None:
            option = type(option)(option)  # (drawn: the option _text_sized made)
            option.fontMetrics = widget.fontMetrics()
        return super().subControlRect(control, option, sub, widget)

    def pixelMetric(self, metric, option=None, widget=None):  # noqa: N802 (Qt)
        size = super().pixelMetric(metric, option, widget)
        if metric in _INDICATOR_METRICS:
            return round(size * text_ratio(widget))
        return size


#: A check box's and a radio button's box: as large as the text beside it is, over its normal
#: size (the larger text of View > Text size and presentation mode left them 13 px beside
#: 14-19 pt words).
_INDICATOR_METRICS = (QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
                      QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
                      QStyle.PixelMetric.PM_ExclusiveIndicatorHeight)
_DPI = 96.0  # the dots per inch Fusion sizes its parts for (QStyleHelper's base)
_dpi_devices: dict[float, QImage] = {}


def text_ratio(widget) -> float:
    """How much larger ``widget``'s text is than the application's (1: not larger; a widget's
    own smaller font does not shrink its parts)."""
    if widget is None:
        return 1.0
    base, pt = QApplication.font().pointSizeF(), widget.font().pointSizeF()
    return max(1.0, pt / base) if base > 0 and pt > 0 else 1.0


def _text_sized(option, widget):
    """``option`` for a widget whose text is larger than the application's: Fusion sizes a spin
    box's buttons and arrows in pixels for the font's dots per inch (QStyleHelper::dpiScaled,
    read from the option's font metrics), so font metrics of a device with as many more dots
    per inch make them as much larger (at 150% text its arrows stayed 14 px wide and 4 px
    tall, hard to hit and to see). The option's text is not drawn from these metrics (the
    box's text is its line edit's)."""
    ratio = text_ratio(widget)
    if ratio <= 1.0:
        return option
    ratio = round(ratio, 2)
    device = _dpi_devices.get(ratio)
    if device is None:
        device = QImage(1, 1, QImage.Format.Format_RGB32)
        dots = round(_DPI * ratio / 0.0254)  # dots per metre
        device.setDotsPerMeterX(dots)
        device.setDotsPerMeterY(dots)
        _dpi_devices[ratio] = device
    option = type(option)(option)
    option.fontMetrics = QFontMetrics(widget.font(), device)
    return option


def _lifted(option, arrows: bool):
    """A copy of ``option`` whose palette makes Fusion draw a visible edge (``arrows`` False:
    an outline, made from the window colour darkened by 1.4) or white arrows (True)."""
    option = type(option)(option)
    pal = QPalette(option.palette)
    if arrows:
        for role in (_R.WindowText, _R.ButtonText, _R.Text):
            pal.setColor(QPalette.ColorGroup.Active, role, ARROW)
            pal.setColor(QPalette.ColorGroup.Inactive, role, ARROW)
    else:
        edge = QColor(INDICATOR_EDGE)
        window = QColor.fromRgbF(min(1.0, edge.redF() * 1.4), min(1.0, edge.greenF() * 1.4),
                                 min(1.0, edge.blueF() * 1.4))
        pal.setColor(_R.Window, window)
    option.palette = pal
    return option


def _draw_slider(draw, option, painter, widget) -> None:
    """A slider drawn by the base style with edges that stand off the panel in either theme
    (SLIDER_EDGE), and on the dark theme a light handle: the track first, then the handle
    with a palette of its own (the track's grey comes from the button colour too)."""
    dark = colors.theme().dark
    edge = SLIDER_EDGE[dark]
    # Fusion's outline is the window colour darkened by 1.4: give it the window that makes it
    # the edge's colour.
    window = QColor.fromRgbF(min(1.0, edge.redF() * 1.4), min(1.0, edge.greenF() * 1.4),
                             min(1.0, edge.blueF() * 1.4))
    S = QStyle.SubControl
    parts = option.subControls
    for sub in (parts & ~S.SC_SliderHandle, parts & S.SC_SliderHandle):
        if sub == S.SC_None:
            continue
        opt = type(option)(option)
        opt.subControls = sub
        pal = QPalette(opt.palette)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            pal.setColor(group, _R.Window, window)
            if dark and sub & S.SC_SliderHandle:
                pal.setColor(group, _R.Button, SLIDER_HANDLE_DARK)
        opt.palette = pal
        draw(QStyle.ComplexControl.CC_Slider, opt, painter, widget)


class _ThemedIcon(QIconEngine):
    """A black glyph of the style's (Qt's media icons: play, pause, step, fast forward) drawn
    in the theme's text colour when the dark theme is on, at each paint: the theme can change
    after the icon was given to its button. The light theme draws it as the style made it."""

    def __init__(self, icon: QIcon) -> None:
        super().__init__()
        self._icon = icon

    def pixmap(self, size, mode, state):  # noqa: D102 (Qt)
        pm = self._icon.pixmap(size, mode, state)
        if not colors.theme().dark or pm.isNull():
            return pm
        out = QPixmap(pm.size())
        out.setDevicePixelRatio(pm.devicePixelRatio())
        out.fill(Qt.GlobalColor.transparent)
        p = QPainter(out)
        p.drawPixmap(0, 0, pm)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        disabled = mode == QIcon.Mode.Disabled
        p.fillRect(out.rect(), QColor(130, 130, 130) if disabled else QColor(*colors.text()))
        p.end()
        return out

    def paint(self, painter, rect, mode, state):  # noqa: D102 (Qt)
        pm = self.pixmap(rect.size(), mode, state)
        painter.drawPixmap(QRect(rect.topLeft(), rect.size()), pm)

    def actualSize(self, size, mode, state):  # noqa: N802,D102 (Qt)
        return self._icon.actualSize(size, mode, state)

    def availableSizes(self, mode=QIcon.Mode.Normal, state=QIcon.State.Off):  # noqa: N802,D102
        return self._icon.availableSizes(mode, state)

    def clone(self):  # noqa: D102 (Qt)
        return _ThemedIcon(QIcon(self._icon))


def themed_icon(style: QStyle, which: QStyle.StandardPixmap) -> QIcon:
    """The style's standard icon ``which``, a black glyph, in the theme's text colour: on the
    dark theme the run controls' play, step and full-speed glyphs were black on the dark
    buttons and panel (1.4:1 on the panel: the full-speed button, which has no words, could
    not be found)."""
    return QIcon(_ThemedIcon(style.standardIcon(which)))


def install_style(app) -> None:
    """Put ThemeStyle over the application's style, once."""
    if app is not None and not isinstance(app.style(), ThemeStyle):
        style = ThemeStyle(app.style().name())
        app.setStyle(style)


def restyle(window) -> None:
    """Every widget of ``window`` in the current theme and palette (the plots that own colours
    follow colors.NOTIFIER themselves; the others are drawn again here)."""
    app = QApplication.instance()
    if app is not None:
        install_style(app)
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
        window._show_metrics(last)
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
