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
    from nnviz.gui.explain import EXPLANATIONS
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
        assert text == EXPLANATIONS[name] and len(text.split()) > 40
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
