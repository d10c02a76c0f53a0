"""The mouse wheel scrolls the settings; it changes a spin box or a combo box only once the user
has clicked into it (or tabbed to it).

Qt's default lets the wheel change whatever field is under the pointer, and gives that field the
focus on the way: scrolling a panel that is taller than the window then changed the batch size
or the test fraction that passed under the pointer, and a changed setting starts a fresh model.
Here, as in most well-made Qt applications, a spin box or combo box in a settings panel (one
marked with :func:`mark`, or any inside a scroll area) takes the wheel only while it has the
keyboard focus: it is given ``StrongFocus`` (Tab and click, not the wheel), and an unfocused one
leaves the wheel event ignored, so Qt passes it on to its parents and the scroll area scrolls.
A slider is a field only when marked itself (the run controls' speed: scrolling past it changed
the training speed); the timeline's scrubber still follows the wheel under the pointer.
A plot (a pyqtgraph graphics view) in a column that scrolls is such a field too: the wheel
over it scrolls the column, and zooms the plot only once the user has clicked into it (in
presentation mode the Landscape view's side plots zoomed where the column was meant to scroll).
The window's one application-wide filter (:class:`nnviz.gui.keys.FieldKeys`) covers every such
field, including those added later (a new layer's row), whatever container the panels are in.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox,
                               QApplication, QComboBox, QGraphicsView, QWidget)

FIELDS = (QAbstractSpinBox, QComboBox)
MARK = "nnvizWheelNeedsFocus"


def mark(panel: QWidget) -> None:
    """The fields in ``panel`` change by wheel only when focused, whatever holds the panel; a
    slider marked itself is such a field."""
    panel.setProperty(MARK, True)


def is_field(obj) -> bool:
    """A spin box or a combo box, or a slider marked with :func:`mark`."""
    return isinstance(obj, FIELDS) or (isinstance(obj, QAbstractSlider)
                                       and bool(obj.property(MARK)))


def guarded(field: QWidget) -> bool:
    """Whether ``field`` is marked, or in a marked panel or a scroll area (of its own window)."""
    if field.property(MARK):
        return True
    p = field.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractScrollArea) or p.property(MARK):
            return True
        if p.isWindow():
            return False
        p = p.parentWidget()
    return False


EVENTS = (QEvent.Type.Wheel, QEvent.Type.Polish, QEvent.Type.Enter)


def plot_of(obj) -> QGraphicsView | None:
    """The pyqtgraph plot ``obj`` is, or is the viewport of; else None."""
    if isinstance(obj, QGraphicsView):
        view = obj
    elif isinstance(obj, QWidget) and isinstance(obj.parentWidget(), QGraphicsView) \
            and obj is obj.parentWidget().viewport():
        view = obj.parentWidget()
    else:
        return None
    import pyqtgraph as pg  # loaded already wherever there is a plot
    return view if isinstance(view, pg.GraphicsView) else None


def scrolling_column(view: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area around ``view`` (in its window) that can scroll now, or None."""
    p = view.parentWidget()
    while p is not None and not p.isWindow():
        if isinstance(p, QAbstractScrollArea) and (p.verticalScrollBar().maximum() > 0
                                                   or p.horizontalScrollBar().maximum() > 0):
            return p
        p = p.parentWidget()
    return None


def filter_event(window: QWidget, obj, event) -> bool:
    """For the window's application-wide filter (:mod:`keys`, one filter for the input that
    belongs to a focused field): True when a wheel event is not the field's."""
    if event.type() == QEvent.Type.Wheel:
        plot = plot_of(obj)
        column = scrolling_column(plot) if plot is not None and not plot.hasFocus() \
            and QWidget.window(plot) is window else None
        if column is not None:  # not the plot's: the column's (given to it, not passed up:
            QApplication.sendEvent(column.viewport(), event)  # a plot in between took it)
            return True
    if not is_field(obj):
        return False
    if event.type() == QEvent.Type.Wheel:
        if not obj.hasFocus() and QWidget.window(obj) is window and guarded(obj):
            event.ignore()  # not the field's: Qt offers it to the parents (the scroll area)
            return True
    else:  # Polish, Enter: a field added later, before any wheel reaches it
        adopt(window, obj)
    return False


def adopt(window: QWidget, field: QWidget) -> None:
    """No focus by wheel (Qt gives a WheelFocus field the focus before it sees the wheel)."""
    if (field.focusPolicy() == Qt.FocusPolicy.WheelFocus and QWidget.window(field) is window
            and guarded(field)):
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def adopt_all(window: QWidget) -> None:
    """The fields the window has already (polished before its filter was installed)."""
    for field in [f for kind in (*FIELDS, QAbstractSlider) for f in window.findChildren(kind)]:
        if is_field(field):
            adopt(window, field)
