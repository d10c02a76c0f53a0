"""Presentation mode (View menu, F11): the window as a class sees it on a projector.

Text and markers :data:`SCALE` times larger, thicker curves, dark text; the settings panels
and the advanced run buttons folded away; a large epoch / loss / accuracy readout above the
loss plot; the timeline's slider under it (rewinding to where the boundary bent is the lesson a
teacher shows: folded away, it took Ctrl+Left once an epoch, r19 #5). The menu's choice is
remembered (``view/presentation`` in the settings); ``window.set_presentation(on)`` (tests,
``--presentation``) does not write it.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QLabel, QLayout, QMenu,
                               QSizePolicy, QToolTip, QWidget)
import shiboken6

from nnviz.core.snapshot import Snapshot
from .widgets import LabelRoom

SCALE = 1.6  # the floor for fonts and markers a room can read
# The loss chart's x axis: the curve at N is the notebook's "Loss for epoch N", the loss at the
# epoch's start (before its update), where the readout's "Epoch N" is after it (0.1387 on the
# curve at 300, 0.1381 under "Epoch 300"). Said in a tooltip only, it was never read on a
# projector. ("... before its update" was 284 px, the chart 281 at 1024x768: cut to "epoch".)
EPOCH_TITLE = "epoch (loss at its start)"
SETTINGS_KEY = "view/presentation"
LEFT_SHARE = 0.36
# ... or the share the view in front asks for (its tab's ``presenting_left_share``:
# nnviz.gui.views.ViewEntry).
# With an exercise open: its text beside the plot, above the readout. At least 0.46, and as
# wide as the readout's widest lines beside "Log scale" need (READOUT_SAMPLE; measured: the
# fixed 0.46 fitted at 1024 px until the fonts moved by a few px, then the readout went above
# the check box and took the exercise's text ~34 px, a line and a half, of its 6 at 1024x768),
# up to EXERCISE_MOST (the decision plot beside it is as wide as its column).
EXERCISE_SHARE = 0.46
EXERCISE_MOST = 0.5
EXERCISE_LOSS_PX = 120  # the loss plot's least under an exercise whose text fits
# ... and once a hint or the solution shows: the learner is solving, and watches the loss. At
# 120 px (68 px of plot) the solution's text took the rest of the column and the loss was a
# strip; at 175 (~123 px of plot) the text scrolls instead, the hint or solution just shown
# scrolled into sight (ExercisePanel.text_changed). The task alone keeps the room to be read
# whole first (at 175 three of the nine shipped tasks scrolled at 1024x768).
EXERCISE_SOLVING_PX = 175
# ... and never a plot (the axes' inside) under this: under XOR's longer task at 1024x768 the
# chart's 120 px left a 95 px plot with one tick label, 60 px once the learning rate's error
# showed under the run bar; a task that does not fit scrolls instead, its goals in sight.
EXERCISE_PLOT_PX = 132
PLOT_FRAME_GUESS = 56  # the chart's axis, title and legend around the plot, until measured
READOUT_STYLE = ("QLabel {{ color: {text}; background: {ground}; border-radius: 4px; "
                 "padding: 6px; border: {border}; }}")
#: The readout's widest lines in a usual run: the readout goes beside "Log scale" only where
#: these fit there on one line each (measured on the text of the moment, it went beside with a
#: short number and wrapped, or was cut, when a longer one came: "100.0%" after "51.9%").
READOUT_SAMPLE = ("<b>Epoch 10,000</b>", ("loss", "0.0000", "0.0000"),
                  ("accuracy", "100.0%", "100.0%"))


def past_colour() -> str:
    """The timeline's colour for the past (the loss plot's marker, the "Past:" label)."""
    from . import colors
    return colors.hex_of(colors.readable(colors.TIMELINE_MARK, colors.background()))


def readout_style(past: bool = False) -> str:
    """The readout's box in the current theme (a white box on the dark theme glared); framed
    in the past's colour while it shows a past epoch, seen from the back of a room."""
    from . import colors
    t = colors.theme()
    border = f"3px solid {past_colour()}" if past else "3px solid transparent"
    if t.dark:
        return READOUT_STYLE.format(text=colors.hex_of(t.text),
                                    ground=colors.hex_of(t.background), border=border)
    return READOUT_STYLE.format(text="#111111", ground="#f4f5f6", border=border)



# The application has one tooltip font. Each window's larger text asks for its own; the largest
# asked by a window still open is used, and the application's own when none asks. (Each window
# kept the font it found and gave it back as it went back to normal or closed: with two
# windows, the second kept the first's 18 pt and gave it back after the first had closed, and
# the next window's tooltips were 18 pt at the normal size; a CI run's test_text_size.)
_TIP_NORMAL: list[QFont] = []  # the application's tooltip font before any window's
_TIP_ASKED: dict[int, QFont] = {}  # id(Presentation) -> the font it asks for (until it closes)


def _tooltip_font(asker, font: QFont | None) -> None:
    """``asker`` (a window's Presentation) asks for tooltips in ``font``, or no longer (None)."""
    if not _TIP_NORMAL:
        _TIP_NORMAL.append(QFont(QToolTip.font()))
    if font is None:
        _TIP_ASKED.pop(id(asker), None)
    else:
        _TIP_ASKED[id(asker)] = QFont(font)
    QToolTip.setFont(max(_TIP_ASKED.values(), key=QFont.pointSizeF, default=_TIP_NORMAL[0]))

class _Readout(QLabel):
    """The readout's label: as tall as its least height, which Presentation sets to its lines'
    height at its width. A wrapped label's height-for-width went through the left column's
    layouts and splitter (which keep their own guesses and the splitter none of it): the box
    was cut at the bottom under an exercise, or kept a blank line after F11 off and on."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt)
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(super().minimumSizeHint().width(), self.minimumHeight())


class SizeBack(QObject):
    """Out of presentation mode, the window at the size it had before it, as soon as the
    normal layouts allow it: a window grown in the mode (its least size: larger fonts, the
    views' presentation layouts) did not shrink by itself when the mode ended (left on the
    Landscape, it stayed 1,009 px high, the run buttons below a 768 px screen's edge).

    Driven by the window's own layout passes, not by timers: the normal layouts settle in as
    many passes as they take (at load, past the two fixed retries of 0 and 500 ms this had; and
    the 500 ms one, due after the user's next resize, undid it). Any size in the mode comes
    back (the mode's growth or the presenter's drag); out of it, a size someone chooses (a
    drag, a maximise, the program's ``resize``) ends the hold: only the growth the layouts
    force on the window while they settle is undone."""

    def __init__(self, window, presenting) -> None:
        super().__init__(window)
        self.window = window
        self._presenting = presenting  # () -> bool
        self.before: QSize | None = None
        window.installEventFilter(self)

    def hold(self) -> None:
        """Entering the mode: the size to come back to (none for a maximised window)."""
        w = self.window
        self.before = QSize(w.size()) if w.isVisible() and not (
            w.isMaximized() or w.isFullScreen()) else None

    def release(self) -> None:
        """Leaving the mode: back to that size once the window's least size fits in it."""
        QTimer.singleShot(0, self, self._back)

    def _back(self) -> None:
        w, before = self.window, self.before
        if before is None or self._presenting() or not w.isVisible() or w.size() == before:
            return
        if w.isMaximized() or w.isFullScreen():
            self.before = None
            return
        least = w.minimumSizeHint()
        if least.width() <= before.width() and least.height() <= before.height():
            w.resize(before)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.window and self.before is not None:
            t = event.type()
            if t == QEvent.Type.Resize and not self._presenting():
                new, least = event.size(), self.window.minimumSize()
                # Grown by the layouts, or this hold's own resize held up by the least size
                # they set last (a pass due lowers it, and _back tries again): not chosen.
                # The second read as the user's choice, and the window stayed grown for good.
                if new != self.before and new not in (event.oldSize().expandedTo(least),
                                                      self.before.expandedTo(least)):
                    self.before = None  # a size chosen: the chooser's
            elif t == QEvent.Type.LayoutRequest and not self._presenting():
                QTimer.singleShot(0, self, self._back)  # (after the pass lays the window out)
        return False


class Presentation(QObject):
    """Owns the mode's action and readout; switches the window's parts between the modes."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._normal_split = None
        # The left column's share each group of views had from the user's own drag of the
        # splitter in this presentation session (_group: a share of the width): every change
        # of tab put the tab's share back, and a teacher's adjustment was lost at each switch.
        self._dragged: dict[object, float] = {}
        window.main_split.installEventFilter(self)
        # Emitted by the user's drag of the handle only, never by setSizes (the program's).
        window.main_split.splitterMoved.connect(self._split_dragged)
        window.tabs.currentChanged.connect(self._view_changed)
        self.active = False
        self._size_back = SizeBack(window, lambda: self.active)
        self.text_factor = 1.0  # the user's text size (View > Text size: nnviz.gui.text_size)
        self._applied = 1.0  # the scale the window's text is at
        self._kept_fonts: dict = {}  # the normal fonts of the parts _own_fonts sets
        self._normal_font = QFont(window.font())
        self.readout = _Readout()
        self.readout.setObjectName("PresentationReadout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        from . import colors
        self._past = False
        self.readout.setStyleSheet(readout_style())
        colors.follow(self.readout,
                      lambda: self.readout.setStyleSheet(readout_style(self._past)))
        # The readout's link is a way back to live, as the timeline's Live button is.
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.readout.linkActivated.connect(lambda _: window.timeline.go(None))
        self.readout.setWordWrap(True)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setToolTip(
            "The epoch, and the loss and accuracy of the weights after its update (the weights "
            "the views show) on the training points (test points in brackets). The notebook "
            "prints \u201cLoss for epoch N\u201d before epoch N's update: the loss curve at N, "
            "this readout at epoch N \u2212 1. A past epoch (Home, a click on the loss curve) is "
            "framed; End goes back to the live run.")
        self.readout.hide()
        box = window.metrics_room.parentWidget().layout()
        self._readout_room = LabelRoom(self.readout)  # new numbers each frame: no new layout
        box.insertWidget(0, self._readout_room)
        self._readout_room.installEventFilter(self)  # its width: the height its lines need
        # The readout's text on one line a line, to measure (never shown).
        self._twin = QLabel()
        self._twin.setTextFormat(Qt.TextFormat.RichText)

        self.action = QAction("&Presentation mode", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = ("Large text and markers, dark lines, the settings folded away: for a projector. "
               "F11 again goes back.")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.toggled.connect(self._chosen)
        window.view_menu.addAction(self.action)
        window.addAction(self.action)  # F11 works with the menu bar hidden
        window.snapshot_drawn.connect(self._update_readout)

    def _chosen(self, on: bool) -> None:
        self.set_active(on)
        from .actions.settings import make_settings
        settings = make_settings()
        settings.setValue(SETTINGS_KEY, on)
        settings.sync()

    def set_active(self, on: bool) -> None:
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.blockSignals(True)
            self.action.setChecked(on)
            self.action.blockSignals(False)
        if on == self.active:
            return
        self.active = on
        w = self.window
        if on:  # before the large fonts and the run bar's rate field move the columns
            self._normal_split = (w.main_split.saveState(), w.left_split.saveState())
            self._dragged = {}  # a new session starts from the views' own shares
            self._size_back.hold()
        self._apply_scale()
        w.loss_plot.set_epoch_title(EPOCH_TITLE if on else "epoch")
        w.side_tabs.set_settings_shown(not on)
        w.statusBar().set_lines(2 if on else 1)  # a long message read whole from the back
        w.metrics.setVisible(not on)  # the readout says it larger
        w.timeline.set_compact(on)  # the slider: the readout says the epoch and Live
        self._show_timeline()
        self.readout.setVisible(on)
        self._place_readout()
        if on:
            self._share_width()
        elif self._normal_split is not None:
            from .main_window import LOSS_LEAST_PX
            w.loss_plot.setMinimumHeight(LOSS_LEAST_PX)
            w.main_split.restoreState(self._normal_split[0])
            w.left_split.restoreState(self._normal_split[1])
        forget_sizes(w)
        s = w.last_snapshot
        if s is not None and s.run_id == w.run_id:
            self._update_readout(s)
        else:
            self.new_run()  # (its text of another run, when the mode was last on, would stay)
        if not on:
            self._size_back.release()
        text_size = getattr(w, "text_size", None)
        if not on and text_size is not None and w.isVisible():
            # A size chosen in the mode, whose layouts fit 1024 px at 200%, may not fit the
            # normal layouts: the window went 1,260 px wide on a 1024x768 screen.
            # (once the normal layouts have taken their sizes: the window grows after)
            QTimer.singleShot(0, text_size, lambda: text_size.fit_shown(
                "outside presentation mode"))

    def scale(self) -> float:
        """The text's (and markers') scale: presentation mode's SCALE or the user's text size
        (View > Text size, :mod:`nnviz.gui.text_size`), whichever is larger. Not their
        product: presentation mode's 1.6 is a floor for a room, its layouts made for it and for
        a 1024x768 projector (200% on top of it, 3.2x, is twice the text those layouts were
        fitted to), and a presenter who needs 200% gets 200% either way."""
        return max(SCALE if self.active else 1.0, self.text_factor)

    def set_text_factor(self, factor: float) -> None:
        """The user's text size (1.0: normal), applied at once through the same scaling as
        presentation mode's (fonts, menus, dialogs, tooltips, the run bar, every plot)."""
        factor = float(factor)
        if abs(factor - self.text_factor) < 1e-9:
            return
        self.text_factor = factor
        if self._applied == self.scale():
            return  # (presentation mode's larger scale stays)
        self._apply_scale()
        forget_sizes(self.window)
        if self.active:
            self._share_width()
            s = self.window.last_snapshot
            if s is not None and s.run_id == self.window.run_id:
                self._update_readout(s)

    def _apply_scale(self) -> None:
        """The window's text, markers and lines at ``scale()``: its font, the parts the font
        does not reach (_own_fonts), the run bar, the two plots and every view built (a view
        built later is scaled as it draws: nnviz.gui.views)."""
        w = self.window
        scale = self._applied = self.scale()
        font = QFont(self._normal_font)
        font.setPointSizeF(self._normal_font.pointSizeF() * scale)
        w.setFont(font)
        self._own_fonts(scale != 1.0, font)
        w.controls.set_presentation(self.active, scale)
        w.boundary.set_scale(scale)
        w.loss_plot.set_scale(scale)
        views = getattr(w, "_inspection_views", None)
        for view in views.built() if views is not None else ():
            scale_views(view, scale)

    def _own_fonts(self, on: bool, font: QFont) -> None:
        """The text the window's font does not reach at the presentation size too: the labels
        with a style sheet of their own (the blue hint, the red banner), the menus and the
        dialogs (windows of their own: the All views list, Import CSV, Export an animation)
        were left at ~9 pt; and the tooltips (the application's one font for them). (The
        status line's colour is its palette's: it takes the window's font as it is.)"""
        w = self.window
        parts = [w.hint, w.banner, *w.findChildren(QMenu)]
        if on:
            if not self._kept_fonts:  # (a new size over a larger one: the normal ones kept)
                self._kept_fonts = {id(p): (p, QFont(p.font())) for p in parts}
            for p in parts:
                if id(p) not in self._kept_fonts:  # a menu added since (a view's)
                    self._kept_fonts[id(p)] = (p, QFont(p.font()))
                p.setFont(font)
            _tooltip_font(self, font)
            # The dialogs and menus opened from now on, through the window's one filter of
            # the application's events (a second cost ~1% of a core while training).
            if self._polish not in w._field_keys.polishing:
                w._field_keys.polishing.append(self._polish)
        else:
            if self._polish in w._field_keys.polishing:
                w._field_keys.polishing.remove(self._polish)
            for p, kept in self._kept_fonts.values():
                if shiboken6.isValid(p):
                    p.setFont(kept)
            self._kept_fonts = {}
            _tooltip_font(self, None)

    def release(self) -> None:
        """The window closes: the application's tooltip font back to what it was before this
        window enlarged it. It outlived a window closed in presentation mode or at a larger
        text size: the next window's tooltips were 14.4 pt at the normal size."""
        _tooltip_font(self, None)

    def normal_split(self):
        """The normal mode's splitter states (main, left) while presentation mode is on, to
        save for the next launch; None in the normal mode (the splitters are the normal ones)."""
        return self._normal_split if self.active else None

    def _exercise_open(self) -> bool:
        return self.window.side_tabs.exercise is not None

    def layout_changed(self) -> None:
        """An exercise opened or closed: share the room again."""
        if self.active:
            self._show_timeline()
            self._share_width()

    def _show_timeline(self) -> None:
        """The timeline (its slider, in the mode) but under an exercise in the mode: at
        1024x768 its text needs those 20 px to read whole; Home, End and Ctrl+Left / Right
        still move through the run, and the readout's link goes back to live."""
        self.window.timeline.setVisible(not (self.active and self._exercise_open()))

    def _view_changed(self, *_) -> None:
        """Another view in front: the left column its share beside it."""
        if self.active:
            self._share_width()

    def _group(self) -> object:
        """The views that share a left column: those asking the same share
        (``presenting_left_share``: the Network and Backprop diagrams, the others), or, with
        an exercise open, every view (its text is the column's, whatever the view)."""
        if self._exercise_open():
            return "exercise"
        tabs = getattr(self.window, "tabs", None)
        tab = tabs.currentWidget() if tabs is not None else None
        return getattr(tab, "presenting_left_share", None) or LEFT_SHARE

    def _left_share(self) -> float:
        """The left column's share of the width: where the user dragged the splitter to beside
        a view of this group in this session, else an exercise's, the view in front's own
        (``presenting_left_share``), else LEFT_SHARE."""
        group = self._group()
        if group in self._dragged:
            return self._dragged[group]
        return self._exercise_share() if group == "exercise" else group

    def _exercise_share(self) -> float:
        """EXERCISE_SHARE, or more where the readout's widest lines need more to fit beside
        "Log scale" (at most EXERCISE_MOST)."""
        total = self._split_total()
        if total <= 0:
            return EXERCISE_SHARE
        w = self.window
        m = w.loss_box.layout().contentsMargins()
        need = self._readout_need() + w.metrics_row.spacing() + w.log_scale.sizeHint().width() \
            + m.left() + m.right()
        share = math.ceil(need + 1) / total
        return EXERCISE_SHARE if share > EXERCISE_MOST else max(EXERCISE_SHARE, share)

    def _split_total(self) -> int:
        """The width the splitter shares between the columns (its own, less the handle): in a
        Resize event the sizes are still the old width's."""
        split = self.window.main_split
        if not all(split.widget(i).isVisibleTo(split) for i in range(split.count())):
            return max(sum(split.sizes()), 0)  # (the Compare view folds the left column away)
        return max(split.width() - split.handleWidth() * (split.count() - 1), 0)

    def _split_dragged(self, *_) -> None:
        """The user dragged the splitter: the share kept for the views of this group (a resize
        keeps it as a proportion), the readout placed for the column's new width."""
        if not self.active:
            return
        sizes = self.window.main_split.sizes()
        if len(sizes) >= 2 and sum(sizes) > 0 and min(sizes[:2]) > 0:
            self._dragged[self._group()] = sizes[0] / sum(sizes)
        self._place_readout()

    def _share_width(self) -> None:
        """The readout and the loss take LEFT_SHARE of the width (less beside a view that asks
        for more), the plot the rest (the settings' place goes to the plot). An open exercise
        takes a wider column, and the loss plot keeps only its minimum height under it. A share
        the user chose by dragging the splitter is kept for the views of its group."""
        split = self.window.main_split
        total = self._split_total()
        left = round(total * self._left_share())
        if total > 0 and split.sizes()[:2] != [left, total - left]:
            split.setSizes([left, total - left])
        self._place_readout()
        # Under an exercise the loss plot may give up a little height, for the task and goals
        # to be whole (720 px is short); _share_height gives it back where the text scrolls.
        # (120 px: the solution's text, 276 px at 1024x768, needs a viewport as tall to be
        # read whole; at LOSS_LEAST_PX it had 258)
        from .main_window import LOSS_LEAST_PX
        self.window.loss_plot.setMinimumHeight(EXERCISE_LOSS_PX if self._exercise_open()
                                               else LOSS_LEAST_PX)
        if self._exercise_open():
            panel = self.window.side_tabs.exercise
            for part in (panel, getattr(panel, "body", None)):
                if part is not None:  # its width and its text: the height it needs
                    part.installEventFilter(self)
            self._share_height()

    def _place_readout(self) -> None:
        """The readout beside "Log scale" where its lines fit there (an exercise's wider
        column), else above it: the check box's own row took ~34 px of a short loss chart."""
        w = self.window
        room, row = self._readout_room, w.metrics_row
        box = w.metrics_room.parentWidget().layout()
        beside = self.active and self._readout_fits_beside()
        if (row.indexOf(room) >= 0) == beside:
            return
        (row if row.indexOf(room) >= 0 else box).removeWidget(room)
        if beside:
            row.insertWidget(0, room, 1)
        else:
            box.insertWidget(0, room)

    def _readout_fits_beside(self) -> bool:
        """Whether READOUT_SAMPLE's lines fit beside the check box, each on one line: decided
        by the column's width and the fonts alone, the same after any number of F11 toggles
        and for any numbers."""
        w = self.window
        need = self._readout_need()
        m = w.loss_box.layout().contentsMargins()
        width = w.main_split.sizes()[0] - m.left() - m.right()
        return need + w.metrics_row.spacing() + w.log_scale.sizeHint().width() <= width

    def _readout_need(self) -> int:
        """The width of READOUT_SAMPLE's lines, each on one line, in the readout's font."""
        head, *lines = READOUT_SAMPLE
        return self._copy(self._readout_html(head, "".join(_metric_line(*line)
                                                         for line in lines)),
                          wrap=False).sizeHint().width()

    def _fit_readout_height(self) -> None:
        """The readout at least as tall as its lines at its width: the left column's splitter
        goes by least heights, and the wrapped label's guess of its own (its lines at some
        other width) let an exercise's panel take the last line's room ("accuracy 100.0%
        (test" over half a line, cut)."""
        room = self._readout_room
        if not self.active or room.width() <= 0:
            return
        # (measured on a copy: the label's own measure counts the least height set here)
        need = self._copy(self.readout.text(), wrap=True).heightForWidth(room.width())
        if need > 0 and self.readout.minimumHeight() != need:
            self.readout.setMinimumHeight(need)
            # the room's layout item forgets the label's last size (a label changed while its
            # room was hidden posts nothing: the box kept a line too many after F11 off and on)
            room.updateGeometry()

    def _copy(self, html: str, wrap: bool) -> QLabel:
        """The readout's twin, never shown, showing ``html`` in the readout's font and style,
        its lines wrapped (``wrap``) or each on one line."""
        twin = self._twin
        twin.setFont(self.readout.font())
        if twin.styleSheet() != self.readout.styleSheet():
            twin.setStyleSheet(self.readout.styleSheet())
        twin.setWordWrap(wrap)
        twin.setText(html)
        twin.ensurePolished()
        return twin

    def _share_height(self) -> None:
        """Under an exercise: its panel the height its text and buttons need, the loss chart the
        rest (at least its minimum, the text scrolling beyond that). Giving the panel all the
        splitter could left the chart 70 px tall at 1024x768 under a blank band of the panel.
        The chart's minimum: EXERCISE_LOSS_PX, EXERCISE_SOLVING_PX with a hint or the solution
        shown."""
        w = self.window
        panel = w.side_tabs.exercise if self._exercise_open() else None
        if not self.active or panel is None:
            return
        solving = not (panel.hints.isHidden() and panel.solution.isHidden())
        least = max(EXERCISE_SOLVING_PX if solving else EXERCISE_LOSS_PX,
                    EXERCISE_PLOT_PX + self._plot_frame())
        if w.loss_plot.minimumHeight() != least:
            w.loss_plot.setMinimumHeight(least)
        left = w.left_split
        total = sum(left.sizes())
        if total <= 0:
            return
        needed = getattr(panel, "needed_height", None)
        need = needed() + w.side_tabs.height() - panel.height() if needed else total
        room = total - w.loss_box.minimumSizeHint().height()
        top = max(min(need, room), 0)
        if abs(left.sizes()[0] - top) > 1:
            left.setSizes([top, total - top])

    def _plot_frame(self) -> int:
        """The loss chart's height around its plot: the axis' ticks and title, the legend."""
        chart = self.window.loss_plot
        box = chart.getPlotItem().getViewBox()
        if chart.height() > 0 and 0 < box.height() < chart.height():
            self._frame = int(chart.height() - box.height()) + 1
        return getattr(self, "_frame", PLOT_FRAME_GUESS)

    def _polish(self, obj) -> None:
        """A dialog or menu of this window's, about to show, takes the large text."""
        if isinstance(obj, (QDialog, QMenu)) and self._applied != 1.0:
            parent = obj.parentWidget()
            # A submenu's parent is its menu, a window of its own: View > Theme and Palette,
            # added after the saved text size was applied, stayed small (review r21).
            while isinstance(parent, QMenu):
                parent = parent.parentWidget()
            if parent is not None and parent.window() is self.window:
                obj.setFont(self.window.font())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if obj is self.window.main_split and self.active and t in (QEvent.Type.Resize,
                                                                   QEvent.Type.Show):
            self._share_width()
        elif obj is self._readout_room:
            if t == QEvent.Type.Resize:
                self._fit_readout_height()
                if event.oldSize().height() != event.size().height():
                    # The loss's box has a new least height (a line of the readout given back
                    # a second after it was last needed, LabelRoom.GIVE_BACK_MS): the exercise's
                    # share again, not the size the splitter kept from its last request, which
                    # may have been asked with the line held (the moons' task, opened after the
                    # sine's, got its room back only by a request made mid-resize).
                    self._share_height()
        elif self.active and t in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and \
                obj is not self.window.main_split:  # the exercise's panel or its text
            panel = self.window.side_tabs.exercise
            if panel is not None and obj in (panel, getattr(panel, "body", None)):
                self._share_height()
        return False

    def _update_readout(self, s: Snapshot) -> None:
        if not self.active:
            return
        from nnviz.core.formatting import format_accuracy, format_loss
        w = self.window
        clf = w.dataset is not None and w.dataset.is_classification
        m = s.metrics
        what = "accuracy" if clf else "R\u00b2"
        # The losses of targets standardised on import are in standardised units: it says so.
        standardised = (" (standardised)" if w.dataset is not None
                        and w.dataset.target_scaling is not None else "")
        tested = _has_test(w.dataset)
        # Sizes in the text: the label's style sheet keeps the window's font from it.
        pt = self.window.font().pointSizeF()
        if s.past != self._past:
            self._past = s.past
            self.readout.setStyleSheet(readout_style(s.past))
        # A past epoch says so, and how to go back: the timeline that says it in the normal
        # mode is folded away here, and "Epoch 171" alone read as the live run.
        live = max(s.live_epoch, s.epoch)
        of = f" of {live:,}" if s.past else ""
        # After a divergence the model drawn, epoch 0's put back, and beside it the epoch the
        # run diverged after (as the counter of the normal mode says: review r18 #7). Else the
        # epoch the numbers under it are of (a costly network's, playing, trail the plots'
        # by a few frames: core.loop.METRICS_EVERY_S).
        shown, note = (s.weights_epoch, f" restored; diverged after epoch {s.epoch:,}{of}") \
            if s.restored else (s.numbers_epoch, of)
        back = (f"<div style='color:{past_colour()}'><b>\u25c0 Past</b> \u00b7 "
                f"<a href='live' style='color:{past_colour()}'>End: back to live</a></div>"
                if s.past else "")
        self._set_readout(
            # the note beside it, not under: a line more squeezed the loss plot at 1024 x 768
            f"<b>Epoch {shown:,}</b>"
            + (f"<span style='font-size:{pt:g}pt'>{note}</span>" if note else ""),
            # The loss of the weights after the epoch's update, which the views show; the
            # notebook's "Loss for epoch N" is the loss before it: the tooltip and the moons
            # preset's note say so ("loss after it" here wrapped "(test ...)" onto a line of
            # its own at 1024x768 and cut the readout).
            back + _metric_line(f"loss{standardised}", format_loss(m.train_loss),
                                format_loss(m.test_loss) if tested else None)
            + _metric_line(what, format_accuracy(m.train_accuracy, clf),
                           format_accuracy(m.test_accuracy, clf) if tested else None)
            # a straight-line fit's line (the notebook's first step: m and b)
            + (f"<div>line {line}</div>" if (line := w.line_of(s)) else ""))

    def new_run(self, compiling: bool = False) -> None:
        """A new run, until its first frame: its epoch (0, or an adopted run's) and none of the
        old model's numbers (the readout kept the previous run's "R² -7.298" over
        classification data while the new model compiled); ``compiling``: the new model is
        being compiled, and it says so. The same lines as a frame's, so that a fast first
        frame replaces them in place."""
        if not self.active:
            return
        if self._past:
            self._past = False
            self.readout.setStyleSheet(readout_style(False))
        w = self.window
        what = "accuracy" if w.dataset is None or w.dataset.is_classification else "R\u00b2"
        test = "\u2013" if _has_test(w.dataset) else None
        self._set_readout(
            f"<b>Epoch {w.epoch_to_come():,}</b>",  # an adopted run's (a promoted member's)
            "<div>compiling the new model\u2026</div><div>&nbsp;</div>" if compiling else
            _metric_line("loss", "\u2013", test) + _metric_line(what, "\u2013", test))
        self._readout_room.give_back()  # (the last run's lines: none of them comes back)

    def _set_readout(self, head: str, lines: str) -> None:
        """The readout: ``head`` (the epoch) large over ``lines`` (divs) at the window's size."""
        self.readout.setText(self._readout_html(head, lines))
        self._fit_readout_height()

    def _readout_html(self, head: str, lines: str) -> str:
        pt = self.window.font().pointSizeF()
        return (f"<div style='font-size:{pt:g}pt'><div style='font-size:{pt * 1.5:g}pt'>{head}"
                f"</div>{lines}</div>")


def _has_test(data) -> bool:
    """Whether ``data`` has test points (none known yet: as if it had)."""
    return data is None or len(data.test_index) > 0


def _metric_line(what: str, train: str, test: str | None) -> str:
    """A line of the readout: "loss 0.2152 (test 0.2322)". Where it must wrap it wraps
    before the bracket, never inside either half ("(test" over "0.2322)"). Without test points
    (``test`` None) the training set's number alone: "(test n/a)" twice, the largest text on
    the screen, said nothing (review r26 F7)."""
    nb = "\u00a0"
    if test is None:
        return f"<div>{what}{nb}<b>{train}</b></div>"
    return f"<div>{what}{nb}<b>{train}</b> (test{nb}{test})</div>"


def forget_sizes(root) -> None:
    """Make the widgets under ``root`` measure their least sizes again after a change of font,
    hidden ones too. Qt keeps two measures through it: a QComboBox's first least size (a
    style change drops it; a font change, setMinimumContentsLength and setSizeAdjustPolicy do
    not, on PySide6 6.11), and the least sizes of the layouts in a hidden tab (a hidden
    widget's new size is not passed up to them). The tab widget's least width is its widest
    page's, so a view last laid out in presentation mode kept the window at 1,245 px after
    it, where 1,024 px had been (the Landscape view's first row: 832 px for 557): each widget's
    layout item forgets its sizes (updateGeometry), and each layout its own."""
    for combo in root.findChildren(QComboBox):
        QApplication.sendEvent(combo, QEvent(QEvent.Type.StyleChange))
    for widget in root.findChildren(QWidget):
        widget.updateGeometry()  # drops its layout item's kept sizes, hidden or not
    for layout in root.findChildren(QLayout):
        layout.invalidate()


# --- every view's plots at the presentation scale --------------------------------------------

_BASE, _SET = 0x4E4E, 0x4E4F  # QGraphicsItem.data keys: (property -> base value, value set)


def _rescaled(item, prop: str, current: float, scale: float) -> float | None:
    """The value ``prop`` of ``item`` should have at ``scale``, or None when it has it. The base
    (normal-mode) value is what the view last gave it: a value other than the one set here is
    the view's new base (it drew the item again)."""
    from PySide6.QtWidgets import QGraphicsItem as _G  # pyqtgraph's items override data()
    base, applied = dict(_G.data(item, _BASE) or {}), dict(_G.data(item, _SET) or {})
    if prop in applied and abs(applied[prop] - current) < 1e-6:
        b = base[prop]
    else:
        b = current
    new = b * scale
    base[prop], applied[prop] = b, new
    _G.setData(item, _BASE, base)
    _G.setData(item, _SET, applied)
    return None if abs(new - current) < 1e-6 else new


def _pen_scaled(item, pen, scale: float):
    if pen is None or pen.style() == Qt.PenStyle.NoPen:
        return None
    new = _rescaled(item, "pen", pen.widthF(), scale)
    if new is None:
        return None
    from PySide6.QtGui import QPen
    p = QPen(pen)
    p.setWidthF(new)
    return p


def scale_scene(view, scale: float) -> None:
    """Every line, marker and text of a pyqtgraph widget (or a QGraphicsView) ``scale`` times
    its normal size: what the view draws next is scaled again (call after each draw while
    presentation mode is on, and once with 1.0 to go back)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import (QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem,
                                   QGraphicsEllipseItem,
                                   QGraphicsRectItem, QGraphicsSimpleTextItem,
                                   QGraphicsTextItem)
    from .widgets import scale_axes
    scene = view.scene()
    if scene is None:
        return
    if view.property("nnvizScale") != scale:
        view.setProperty("nnvizScale", scale)
        for fitter in view.findChildren(QObject):
            if type(fitter).__name__ == "FittedTitles":
                fitter.fit()
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            if QGraphicsItem.data(item, _SET + 1) != scale:
                QGraphicsItem.setData(item, _SET + 1, scale)
                scale_axes([item], view.font(), scale)
        elif isinstance(item, pg.LabelItem):
            if getattr(item, "nnviz_fitted", False):
                continue  # a title FittedTitles sizes (at the scale) to its plot's width
            size = item.opts.get("size") or "9pt"
            try:
                pt = float(str(size).replace("pt", ""))
            except ValueError:
                continue
            new = _rescaled(item, "size", pt, scale)
            if new is not None and item.text:
                item.setText(item.text, size=f"{new:g}pt")
        elif isinstance(item, pg.PlotDataItem):
            pen = _pen_scaled(item, pg.mkPen(item.opts["pen"]), scale) \
                if item.opts.get("pen") is not None else None
            if pen is not None:
                item.setPen(pen)
            if item.opts.get("symbol") is not None:
                new = _rescaled(item, "symbol", float(item.opts.get("symbolSize") or 10), scale)
                if new is not None:
                    item.setSymbolSize(new)
        elif isinstance(item, pg.PlotCurveItem):
            if isinstance(item.parentItem(), pg.PlotDataItem):
                continue  # a PlotDataItem's own curve: its pen is set above
            pen = _pen_scaled(item, pg.mkPen(item.opts["pen"]), scale)  # e.g. the gradients'
            if pen is not None:
                item.setPen(pen)
        elif isinstance(item, pg.ScatterPlotItem):
            if isinstance(item.parentItem(), pg.PlotDataItem):
                continue  # the curve's own symbols: set above
            if getattr(item, "nnviz_fitted", False):
                continue  # markers its view sizes (at the scale) to its plot's room
            sizes = item.data["size"] if len(item.data) else None
            if sizes is None or not len(sizes):
                continue
            sizes = sizes.astype(float)
            sizes[sizes < 0] = float(item.opts.get("size") or 7)  # -1: the default size
            total = float(sizes.sum())
            new = _rescaled(item, "size", total, scale)
            if new is not None and total > 0:
                item.setSize(sizes * (new / total))
        elif isinstance(item, (pg.InfiniteLine,)):
            pen = _pen_scaled(item, item.pen, scale)
            if pen is not None:
                item.setPen(pen)
        elif isinstance(item, (QGraphicsLineItem, QGraphicsPathItem, QGraphicsEllipseItem,
                               QGraphicsRectItem)) and not isinstance(item, pg.GraphicsObject):
            pen = _pen_scaled(item, item.pen(), scale)
            if pen is not None:
                item.setPen(pen)
        elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)):
            font = item.font()
            pt = font.pointSizeF()
            if pt > 0:
                new = _rescaled(item, "font", pt, scale)
                if new is not None:
                    font.setPointSizeF(new)
                    item.setFont(font)
            if isinstance(item, QGraphicsTextItem) and isinstance(item.parentItem(),
                                                                  pg.TextItem):
                item.parentItem().updateTextPos()
    fit = getattr(view, "fit_after_scale", None)
    if fit is not None:  # a view's own fitting to its room (the heatmap's numbers), at this size
        fit()


def scale_views(root, scale: float) -> None:
    """scale_scene on every graphics view under ``root`` (a view, the window)."""
    from PySide6.QtWidgets import QGraphicsView
    views = root.findChildren(QGraphicsView)
    if isinstance(root, QGraphicsView):
        views.append(root)
    for v in views:
        scale_scene(v, scale)
