"""Every dialog of the window's within its screen's available geometry, frame included.

In presentation mode at 1024x768 the Save session dialog came up 887x883 on a 768-px screen, its
file name field and Save button below the edge (review r29 M1): the file dialog took Qt's first
size of it as a floor, its list views' hints in the large font before the folder was read, and
nothing bounded a dialog by the screen. The window's one filter of the application's events
(:class:`nnviz.gui.keys.FieldKeys`) passes each dialog of the window's, as it shows, to
:func:`fit_on_screen`: a dialog that fits is left as it is, one that does not is made no larger
than the screen's room, least size too (its layout squeezes its rows: a field cut short beats a
Save button nobody can reach), and moved inside it.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The title bar and borders of a window not yet shown (its frame is not known before the window
# manager has framed it): a title bar at a projector's large font, and a border each side.
UNKNOWN_FRAME = QSize(16, 48)


def screen_room(widget: QWidget) -> QRect | None:
    """The available geometry (no panel, no dock) of the screen ``widget`` shows on: its
    owner's window's screen for a dialog not yet shown."""
    owner = widget.parentWidget()
    screen = (owner.window().screen() if owner is not None else None) or widget.screen() \
        or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def frame_size(widget: QWidget) -> QSize:
    """What the window manager adds around ``widget``: its own frame once known, else its
    owner's window's, else :data:`UNKNOWN_FRAME`."""
    for w in (widget, widget.parentWidget().window() if widget.parentWidget() else None):
        if w is not None and w.isVisible():
            extra = w.frameGeometry().size() - w.size()
            if extra.width() > 0 or extra.height() > 0:
                return extra
    return QSize(UNKNOWN_FRAME)


def fitting_size(widget: QWidget, want: QSize) -> QSize:
    """``want`` no larger than the room of ``widget``'s screen, its frame included."""
    room = screen_room(widget)
    if room is None:
        return QSize(want)
    frame = frame_size(widget)
    return QSize(max(1, min(want.width(), room.width() - frame.width())),
                 max(1, min(want.height(), room.height() - frame.height())))


def fit_on_screen(widget: QWidget) -> None:
    """``widget`` (a window: a dialog about to show) within its screen's room, frame included:
    smaller if it is larger (its least size too), moved if it lies across an edge."""
    room = screen_room(widget)
    if room is None:
        return
    size = fitting_size(widget, widget.size())
    least = widget.minimumSize()
    if least.width() > size.width() or least.height() > size.height():
        widget.setMinimumSize(least.boundedTo(size))
    if size != widget.size():
        widget.resize(size)
    frame = frame_size(widget)
    outer = QRect(widget.pos(), widget.size() + frame)
    x = max(room.left(), min(outer.left(), room.right() + 1 - outer.width()))
    y = max(room.top(), min(outer.top(), room.bottom() + 1 - outer.height()))
    if (x, y) != (outer.left(), outer.top()):
        widget.move(x, y)
