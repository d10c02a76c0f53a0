"""View > Text size: Larger (Ctrl+= and Ctrl++), Smaller (Ctrl+-), Normal (Ctrl+0), in the
steps of :data:`STEPS`, remembered in the settings (``look/text_size``, beside the theme and the
palette) and restored at launch. A low-vision learner's review: the only ways to larger text were
the system's scaling and presentation mode, which is made for a projector and changes the layout.

The text is made larger by presentation mode's own scaling (:meth:`Presentation.scale
<nnviz.gui.presentation.Presentation.scale>`): the window's font, the menus, dialogs and
tooltips, the run bar, every plot's axes, titles and keys, the diagrams, and with them the
markers and lines that go with the text (a key's swatch stays the size of its word). In
presentation mode the larger of its size and this one is taken (see there).

The window is kept on its screen (a reviewer at 1024x768: at 175% the window's least width was
1,059 px and at 200% 1,197, its right side off the screen, "Epoch 0" read "E"): a Larger step
whose window would not fit the screen's free area is taken back and said; at launch the largest
step that fits is used (the saved size is kept, for a larger screen); after Smaller or Normal a
window larger than its screen is fitted to it again."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from .actions.settings import make_settings

SETTINGS_KEY = "look/text_size"
#: The text sizes, as factors of the normal one: small steps near 100% (115% is a step a user
#: reaching for a little more takes), larger ones above; at 200% the window's layouts still
#: fit 1400x900 (the widest view asks 1,382 px; what does not fit scrolls, nothing overlaps).
STEPS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
NORMAL = 1.0
MESSAGE_MS = 6000


def percent(factor: float) -> str:
    return f"{round(factor * 100)}%"


def nearest_step(factor) -> float:
    """The step nearest ``factor`` (a value read back from the settings: a number, a string, or
    something else, which means normal)."""
    try:
        f = float(factor)
    except (TypeError, ValueError):
        return NORMAL
    if not f == f:  # NaN
        return NORMAL
    return min(STEPS, key=lambda s: abs(s - f))


class TextSize(QObject):
    """The window's text size: its menu, its keys, its setting."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.factor = NORMAL
        #: False: the screen does not bound the text size at launch (a screenshot or a
        #: recording, rendered offscreen at its --size whatever the screen: the offscreen
        #: screen's 800 px made a 1024 px picture in presentation mode 849 px wide)
        self.screen_bound = True
        self.menu = window.view_menu.addMenu(f"Text si&ze ({percent(NORMAL)})")
        self.menu.setToolTipsVisible(True)

        def action(text: str, tip: str, keys, slot) -> QAction:
            a = QAction(text, window)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            self.menu.addAction(a)
            window.addAction(a)  # the keys work with the menu bar hidden
            return a

        # Ctrl+= is Ctrl++ without Shift on most keyboards (and the keypad's plus).
        self.larger_action = action("&Larger", "Make all the text larger (the plots' and "
                                    "diagrams' too).", ("Ctrl+=", "Ctrl++"), self.larger)
        self.smaller_action = action("&Smaller", "Make the text smaller again.", ("Ctrl+-",),
                                     self.smaller)
        self.normal_action = action("&Normal size", "The text at its normal size.",
                                    ("Ctrl+0",), self.normal)
        saved = make_settings().value(SETTINGS_KEY, NORMAL)
        self.set_factor(nearest_step(saved))
        window.installEventFilter(self)  # its first showing: the saved size on this screen

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            # once shown (polished, laid out, on its screen: hidden, the least width at 200%
            # was 1,093 px, shown 1,197)
            QTimer.singleShot(0, self, self._fit_launch)
        return False

    # -- the user's choices ---------------------------------------------------------------------

    def larger(self) -> None:
        self._step(+1)

    def smaller(self) -> None:
        self._step(-1)

    def normal(self) -> None:
        self.choose(NORMAL)

    def _step(self, by: int) -> None:
        i = STEPS.index(nearest_step(self.factor)) + by
        if not 0 <= i < len(STEPS):
            limit = "largest" if by > 0 else "smallest"
            back = "Ctrl+0: normal size" if by > 0 else "Ctrl+=: larger"
            self._say(f"The text is at its {limit} size, {percent(self.factor)} ({back}).")
            return
        if by > 0:
            old, before = self.factor, self._least()
            self.set_factor(STEPS[i])
            short = self._shortfall()
            # (in presentation mode a step below its size changes nothing: never refused)
            if short is not None and (before is None or self._least() != before):
                self.set_factor(old)
                self.fit_screen()  # (it grew to the larger size's least width)
                self._say(f"Text as large as the screen allows: {percent(old)} "
                          f"({percent(STEPS[i])} needs {short}).")
                return
        self.choose(STEPS[i])

    def choose(self, factor: float) -> None:
        """The text at ``factor`` (a step of STEPS) in every window, remembered for the next
        launch, and said in the status bar."""
        factor = nearest_step(factor)
        settings = make_settings()
        settings.setValue(SETTINGS_KEY, factor)
        settings.sync()
        for window in _windows(self.window):
            window.text_size.set_factor(factor)
            # Back inside its screen, smaller or larger: on the way to a larger size that
            # fits, the layouts' passes grew the window past a 1024 px screen for a moment
            # (the run bar shows its parts again before it folds them), and it stayed 1,049
            # px wide, its right edge off the screen (review r21, 100% to 150% at run time).
            window.text_size.fit_screen()
            QTimer.singleShot(0, window, window.text_size.fit_screen)
        presentation = self.window.presentation
        more = (f" (presentation mode shows it at {percent(presentation.scale())})"
                if presentation.scale() > factor else "")
        self._say(f"Text size {percent(factor)}{more}.")

    # -- applying -------------------------------------------------------------------------------

    def set_factor(self, factor: float) -> None:
        """This window's text at ``factor`` (not remembered: ``choose`` is)."""
        self.factor = factor
        self.window.presentation.set_text_factor(factor)
        # The size now, always: at 100% the title said nothing, and a reviewer looked for it
        # (r18 #13).
        self.menu.setTitle(f"Text si&ze ({percent(factor)})")

    def _least(self):
        """The window's least size with its frame, once the new fonts' posted events and the
        layouts' requests are processed (None without a screen)."""
        w = self.window
        # Until it stops changing: a layout's pass posts the next (the run bar shows its parts
        # again at the new size: 1,021 px after one pass at 175%, 1,063 after the next, and a
        # size that did not fit the 1,024 px screen was taken).
        least, previous = None, object()
        for _ in range(6):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
            least = w.minimumSizeHint().expandedTo(w.minimumSize())
            if least == previous:
                break
            previous = least
        if w.screen() is None:
            return None
        fg, g = w.frameGeometry(), w.geometry()  # the frame: none before a window manager's
        return (least.width() + fg.width() - g.width(), least.height() + fg.height() - g.height())

    def _shortfall(self) -> str | None:
        """None if the window's least size fits its screen's free area, else what it would
        need ("1,059 px of its 1,024": the screen's)."""
        least = self._least()
        if least is None:
            return None
        avail = self.window.screen().availableGeometry()
        if least[0] > avail.width():
            return f"{least[0]:,} px of its {avail.width():,}"
        if least[1] > avail.height():
            return f"{least[1]:,} px of its {avail.height():,} in height"
        return None

    def _fit_launch(self) -> None:
        """The largest step at most the saved one that fits the screen (the setting is kept:
        on a larger screen the next launch has it)."""
        self.fit_shown()

    def fit_shown(self, where: str = "") -> None:
        """The largest step at most this one that fits the screen, said (the setting is kept:
        on a larger screen the next launch has it): at launch, and as presentation mode goes
        off (``where``: "outside presentation mode")."""
        if self.factor <= NORMAL or not self.screen_bound:
            return  # nothing to lower (the window's own size is the window's, as before)
        saved, short = self.factor, self._shortfall()
        if short is None:
            self.fit_screen()  # (a window grown past its screen on the way: the mode's)
            return
        need, lower = short, short
        while lower is not None and self.factor > NORMAL:
            self.set_factor(STEPS[STEPS.index(nearest_step(self.factor)) - 1])
            lower = self._shortfall()
        self.fit_screen()
        # and once more after the smaller fonts' last posted layouts: the run bar's parts
        # showed again at the smaller size grew the window to 1,152 px for a pass after the
        # first fit (leaving presentation mode at 200% on a 1024 px screen)
        QTimer.singleShot(0, self, self.fit_screen)
        if where:  # (one line at 150% on a 1024 px screen: the launch's wording was cut)
            self._say(f"Text at {percent(self.factor)} {where}, as large as the screen allows "
                      f"({percent(saved)} needs {need.split(' of ')[0]}).")
            return
        self._say(f"Text at {percent(self.factor)}, as large as the screen allows "
                  f"({percent(saved)}, kept for a larger screen, needs {need}).")

    def fit_screen(self) -> None:
        """The window inside its screen's free area if it is larger (it does not shrink by
        itself when the text does)."""
        QApplication.processEvents()  # the smaller fonts' layouts: the least size smaller
        w = self.window
        screen = w.screen()
        if screen is None or not w.isVisible() or w.isMaximized() or w.isFullScreen():
            return
        avail, fg, g = screen.availableGeometry(), w.frameGeometry(), w.geometry()
        if fg.width() <= avail.width() and fg.height() <= avail.height():
            return
        extra_w, extra_h = fg.width() - g.width(), fg.height() - g.height()
        w.resize(min(g.width(), avail.width() - extra_w), min(g.height(), avail.height() - extra_h))
        fg = w.frameGeometry()
        if not avail.contains(fg):
            w.move(max(avail.left(), min(fg.left(), avail.right() + 1 - fg.width())),
                   max(avail.top(), min(fg.top(), avail.bottom() + 1 - fg.height())))

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)


def _windows(window) -> list:
    """``window`` and nnviz's other main windows (a sweep's member opened beside it): one text
    size for the application, as one theme."""
    out = [window]
    app = QApplication.instance()
    for w in app.topLevelWidgets() if app is not None else ():
        if w is not window and isinstance(getattr(w, "text_size", None), TextSize):
            out.append(w)
    return out


def install(window) -> TextSize:
    """The View menu's Text size, the size of the last session applied."""
    window.text_size = TextSize(window)
    return window.text_size
