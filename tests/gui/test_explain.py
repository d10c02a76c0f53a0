"""Everything on the screen explained: a tooltip on every control and every legend, and a "What
am I looking at?" paragraph on every view."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit,
                               QSlider, QWidget)

from nnviz.gui.views import LESSON_ALIASES

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QLineEdit)


def _qt_internal(w: QWidget) -> bool:
    """Qt's own parts of a widget (a spin box's line edit, a tab bar's scroll buttons)."""
    parent = w.parentWidget()
    return (w.objectName().startswith(("qt_", "ScrollLeft", "ScrollRight"))
            or isinstance(parent, (QAbstractSpinBox, QComboBox)))


def _every_view_built(window, qtbot) -> None:
    for name in [*window.view_names(), *LESSON_ALIASES]:
        window.show_view(name)
        qtbot.wait(1)
    window.show_view("main")


def unexplained(window) -> list[str]:
    """Every control, plot and legend of ``window`` without a tooltip, shown or not."""
    missing = []
    for w in window.findChildren(QWidget):
        if isinstance(w, CONTROLS) and not _qt_internal(w) and not w.toolTip():
            missing.append(f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r} in "
                           f"{type(w.parentWidget()).__name__}")
        elif isinstance(w, pg.GraphicsView) and not w.toolTip():
            missing.append(f"plot {type(w).__name__} in {type(w.parentWidget()).__name__}")
        elif isinstance(w, QLabel) and "color:" in w.text() and not w.toolTip():
            missing.append(f"legend {w.text()[:50]!r}")
        if isinstance(w, pg.GraphicsView):
            for item in w.scene().items():
                if isinstance(item, pg.LegendItem) and not item.toolTip():
                    missing.append(f"legend item in {type(w.parentWidget()).__name__}")
    return missing


def test_every_control_plot_and_legend_has_a_tooltip(main_window, qtbot):
    _every_view_built(main_window, qtbot)
    assert unexplained(main_window) == []


def test_a_forms_labels_say_what_their_fields_say(main_window):
    panel = main_window.data_panel
    from PySide6.QtWidgets import QFormLayout
    form = panel.findChild(QFormLayout)
    label = form.labelForField(panel.samples)
    assert label.toolTip() and label.toolTip() == panel.samples.toolTip()


def test_every_view_has_a_what_am_i_looking_at_paragraph(main_window, qtbot):
    from nnviz.gui.explain import explanation, facts_of
    window = main_window
    assert set(window.explain_panels) == set(window.view_names())
    for name in window.view_names():
        window.show_view(name)
        panel = window.explain_panels[name]
        qtbot.waitUntil(panel.toggle.isVisible)
        assert not panel.body.isVisible()  # folded away until asked for
        qtbot.mouseClick(panel.toggle, pg.QtCore.Qt.MouseButton.LeftButton)
        assert panel.body.isVisible()
        text = panel.body.text()
        assert text == explanation(name, facts_of(window)) and len(text.split()) > 40
        qtbot.mouseClick(panel.toggle, pg.QtCore.Qt.MouseButton.LeftButton)
        assert not panel.body.isVisible()


def test_the_folded_panel_takes_one_line_not_half_the_tab(main_window, qtbot):
    window = main_window
    window.resize(1400, 900)
    for name in ("neurons", "gradients"):
        window.show_view(name)
        panel = window.explain_panels[name]
        qtbot.waitUntil(panel.isVisible)
        qtbot.wait(50)
        assert panel.height() <= panel.toggle.sizeHint().height() + 8


def test_an_open_paragraph_leaves_the_plot_most_of_the_tab(main_window, qtbot):
    """Keyboard newcomer: "What am I looking at?" open, then F11 (presentation mode at
    1024x768): the paragraph took the whole tab, the decision boundary a 60 px thumbnail with
    its tick numbers on top of each other. It scrolls beyond a third of the tab now."""
    from nnviz.gui.explain import MAX_SHARE
    w = main_window
    w.resize(1400, 900)
    panel = w.explain_panels["main"]
    panel.set_open(True)
    qtbot.waitUntil(lambda: panel.scroll.height() > 0)
    whole = panel.body.heightForWidth(panel.scroll.viewport().width())
    assert panel.scroll.height() >= whole - 2  # at 1400x900 the paragraph reads whole
    w.resize(1024, 768)
    w.set_presentation(True)
    tab = panel.parentWidget()
    plot = w.boundary

    def settled() -> bool:
        return panel.scroll.height() <= MAX_SHARE * tab.height() + 1 and \
            plot.height() >= 0.5 * tab.height()
    qtbot.waitUntil(settled)
    assert panel.body.heightForWidth(panel.scroll.viewport().width()) > panel.scroll.height()
    assert panel.scroll.verticalScrollBar().maximum() > 0  # the rest scrolls
    w.set_presentation(False)


def _read(window, qtbot, name: str) -> str:
    """The paragraph of view ``name`` as a user reads it: the tab shown, the panel unfolded."""
    window.show_view(name)
    panel = window.explain_panels[name]
    qtbot.waitUntil(panel.toggle.isVisible)
    panel.set_open(True)
    assert panel.body.isVisible()
    return panel.body.text()


def _ten_class_import():
    """A file of ten classes (csvdata.MAX_CLASSES), named, round a circle."""
    import numpy as np
    from nnviz.core.csvdata import parse_csv_text
    rng = np.random.default_rng(3)
    names = ("ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "ibis", "jay")
    lines = ["x1,x2,animal"]
    for k, name in enumerate(names):
        centre = 4 * np.array([np.cos(k * np.pi / 5), np.sin(k * np.pi / 5)])
        for x, y in centre + rng.normal(0, 0.7, (30, 2)):
            lines.append(f"{x:.4f},{y:.4f},{name}")
    return parse_csv_text("\n".join(lines), name="ten")


def test_the_paragraphs_follow_a_ten_class_import(main_window, qtbot):
    """A 10-class CSV imported: the paragraphs said the background was P(class 1), the
    output's probability coloured from class 0's orange to class 1's blue, and Hidden space's
    line split "the classes" of the notebook's two."""
    w = main_window
    before = _read(w, qtbot, "main")  # open while the import comes: written again at once
    assert "P(class 1)" in before
    assert w.session_actions.import_data(_ten_class_import())
    qtbot.waitUntil(lambda: w.explain_panels["main"].body.text() != before)
    main = w.explain_panels["main"].body.text()
    assert "10 classes" in main and "softmax" in main and "one per class" in main
    assert "P(" not in main and "two classes" not in main
    assert "softmax cross-entropy" in main  # the loss the run has (the moons': squared error)
    back = _read(w, qtbot, "backprop")
    assert "P(" not in back and "its class's colour" in back and "softmax cross-entropy" in back
    assert "10 output neurons give one probability per class" in _read(w, qtbot, "network")
    assert "a tile per class" in _read(w, qtbot, "neurons")


def test_the_paragraphs_name_the_colours_the_palette_draws(main_window, qtbot):
    """Cividis (and Paul Tol's, and the dark theme): "blue (class 1's colour) is positive,
    orange (class 0's) negative" over yellow squares and navy discs."""
    from nnviz.gui import colors
    w = main_window
    main = _read(w, qtbot, "main")
    assert "class 0 (orange discs) and class 1 (blue squares)" in main
    assert "orange towards class 0, blue towards class 1" in main
    colors.set_look(palette_name="cividis")
    main = w.explain_panels["main"].body.text()  # open: written again with the look
    assert "class 0 (dark blue discs) and class 1 (yellow squares)" in main
    assert "dark blue towards class 0, yellow towards class 1" in main
    assert "orange" not in main
    back = _read(w, qtbot, "backprop")  # folded until now: written as it unfolds
    assert "Colours: yellow is positive, dark blue negative" in back
    assert "dark blue at 0 (class 0), pale at 0.5, yellow at 1 (class 1)" in back
    assert "orange" not in back
    colors.set_look(theme_name="dark")  # cividis' navy lifted off the dark ground
    assert "class 0 (grey-blue discs)" in w.explain_panels["main"].body.text()
    colors.set_look(theme_name="light", palette_name="tol")
    assert "class 0 (red discs) and class 1 (blue squares)" in \
        w.explain_panels["main"].body.text()
    assert "(blue positive, red negative)" in _read(w, qtbot, "network")


def test_the_paragraphs_follow_a_regression(main_window, qtbot):
    """The line preset (a regression, no hidden layer): no classes, no probability, no
    decision boundary -- a curve fitted to the points by its squared error."""
    from .test_session_actions import wait_run
    w = main_window
    w.session_actions.preset_actions["line"].trigger()
    wait_run(qtbot, w, 0)
    main = _read(w, qtbot, "main")
    assert "prediction of" in main and "line moves towards the dots" in main
    for word in ("class", "P(", "probability", "boundary", "Discretize"):
        assert word not in main, word
    net = _read(w, qtbot, "network")
    assert "no hidden layer" in net and "P(" not in net and "strip coloured by its activation" in net
    back = _read(w, qtbot, "backprop")
    assert "squared error" in back and "class" not in back and "probability" not in back
    assert "class" not in _read(w, qtbot, "hidden-space")


def test_the_scales_ends_are_named_as_they_look_in_every_palette_and_theme():
    """The explanations and the Network / Neurons captions name the scale's ends with one
    function (colors.colour_word): orange / blue, red / blue, dark blue / yellow, on either
    theme (a palette once carried its own words beside it)."""
    from nnviz.gui import colors
    from tests.gui.test_text_contrast import coloured_words
    named = {"playground": ("orange", "blue"), "tol": ("red", "blue"),
             "cividis": ("dark blue", "yellow")}
    try:
        for palette, (low, high) in named.items():
            for theme in colors.THEMES:
                colors.set_look(theme, palette)
                assert (colors.colour_word(colors.low()),
                        colors.colour_word(colors.high())) == (low, high), (theme, palette)
                assert list(coloured_words(colors.scale_html("up", "down"))) == [high, low]
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
