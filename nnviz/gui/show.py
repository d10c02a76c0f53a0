"""``nnviz.show``: the window from Python, blocking in a script, live in IPython / Jupyter.

Where an event loop already runs -- IPython's ``%gui qt`` (detected as napari detects it:
``get_ipython().active_eventloop == "qt"``) or a Qt loop running in this thread -- the window
opens and :func:`show_problem` returns a :class:`Shown` handle at once. Otherwise it runs a
local QEventLoop until the window closes and returns the Run: never ``app.exec()`` or
``app.quit()``, so a kernel's (or any other) application goes on as it was.
"""
from __future__ import annotations

import sys
import warnings
from typing import Any, Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.core.problem import Problem

REPLY_TIMEOUT_S = 600.0  # a first compile on a busy machine comes before any answer


def ipython_has_eventloop() -> bool:
    """True inside IPython / Jupyter with ``%gui qt`` active (napari's test)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    get = getattr(ipython, "get_ipython", None)
    shell = get() if get is not None else None
    return shell is not None and getattr(shell, "active_eventloop", None) in ("qt", "qt5", "qt6")


def event_loop_running() -> bool:
    """An event loop already runs for this thread: a kernel's, or the application's own."""
    return ipython_has_eventloop() or QThread.currentThread().loopLevel() > 0


_app: QApplication | None = None  # the one nnviz made, kept alive for the process


def get_app() -> QApplication:
    """The QApplication: the one there is, or a new one (never quit by nnviz)."""
    global _app
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else "nnviz"])
        app.setApplicationName("nnviz")
        app.setOrganizationName("nnviz")
        # Ours alone: the loop is a local one, closing the window ends it, not the app.
        app.setQuitOnLastWindowClosed(False)
        _app = app
    return app


class _Closed(QObject):
    """Calls ``on_close`` once the window has accepted its close (its thread has stopped)."""

    def __init__(self, window, on_close: Callable[[], None]) -> None:
        super().__init__(window)
        self._on_close = on_close
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            # Other filters (a save waiting to be written) may still refuse the close: look
            # once the event has been handled.
            QTimer.singleShot(0, self, self._check)
        return False

    def _check(self) -> None:
        window = self.parent()
        if window is not None and not window.isVisible():
            self._on_close()


class Shown:
    """The window ``nnviz.show`` opened, live: ``.run`` is its run now, ``.close()`` closes it.

    ``.window`` is the MainWindow itself (for a Qt user; None once closed); after ``.close()``
    (or the user's), ``.run`` is the run as it was when the window closed.
    """

    def __init__(self, window, classes: tuple | None) -> None:
        self.window = window
        self._classes = classes
        self._final = None  # the Run captured when the window closed
        self._watch = _Closed(window, self._finish)

    @property
    def closed(self) -> bool:
        return self._final is not None

    @property
    def run(self):
        """The run as it is now (a copy: its weights, settings and whole record), or as it was
        when the window closed."""
        if self._final is not None:
            return self._final
        from nnviz.core.session import Session
        names = self._names()
        box: dict[str, Any] = {}

        def capture(ctx) -> Session:  # in the worker thread
            return Session.from_trainer(ctx.trainer, class_names=names, run=ctx.run)

        loop = QEventLoop()

        def done(key: str) -> Callable[[Any], None]:
            def f(value: Any) -> None:
                box[key] = value
                loop.quit()
            return f

        self.window.request_state(done("session"), capture, on_error=done("error"))
        if not box:
            QTimer.singleShot(int(REPLY_TIMEOUT_S * 1000), loop.quit)
            loop.exec()
        if "error" in box:
            raise box["error"]
        if "session" not in box:
            raise TimeoutError("the window's training thread did not answer")
        return self._to_run(box["session"])

    def close(self) -> None:
        """Close the window (its training stops); ``.run`` stays readable."""
        if self._final is None:
            self.window.close()
            if self._final is None and not self.window.isVisible():
                self._finish()
                self._tear_down()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<nnviz window, {state}>"

    # --- inside -----------------------------------------------------------------------------

    def _names(self) -> tuple[str, ...] | None:
        actions = getattr(self.window, "session_actions", None)
        names = actions.class_names() if actions is not None else None
        if names is None and self._classes is not None:
            names = tuple(str(c) for c in self._classes)
        return names

    def _to_run(self, session):
        from nnviz.api import run_from_session
        return run_from_session(session, self._classes)

    def _finish(self) -> None:
        """The window has closed and its thread stopped: keep its run; the window is freed
        in a turn of the event loop of its own (this may run in one of its objects' slots)."""
        if self._final is not None:
            return
        from nnviz.core.session import Session
        loop = self.window.worker.loop  # the thread has stopped: safe to read here
        # Closed before the thread built its model (show(X, y) then close() at once): the
        # run is the window's problem, untrained.
        trainer = loop.trainer or self.window.current_problem().make_trainer()
        run = loop.run if loop.trainer is not None else None
        self._final = self._to_run(Session.from_trainer(trainer, class_names=self._names(),
                                                        run=run))
        QTimer.singleShot(0, self._tear_down)

    def _tear_down(self) -> None:
        from .app import tear_down
        if self.window is not None:
            window, self.window = self.window, None
            tear_down(window)


def _open(problem: Problem | None, classes: tuple | None, adopt: Callable | None,
          block: bool | None, hint: str = ""):
    get_app()  # made here if there is none
    if block is None:
        block = not event_loop_running()
    elif not block and not event_loop_running():
        # A script's show(..., block=False) got a handle and a window that never drew: no
        # event loop ran, and the script went on to its end, where the window went with it.
        warnings.warn("show(..., block=False): no Qt event loop runs here, so the window stays "
                      "blank and does not answer until one does (IPython or Jupyter: run "
                      "%gui qt first; a script: leave block out and the window is shown until "
                      "it is closed)", stacklevel=4)
    from .main_window import MainWindow
    window = MainWindow(problem)
    if classes is not None:
        window.name_classes(classes)
    if hasattr(window, "session_actions"):
        window.session_actions.run_goes_back = True  # quitting asks nothing (see closing.py)
    if adopt is not None:
        adopt(window)
    if hint:  # over the plot while this problem stays (a new data set or preset clears it)
        window.show_hint(hint)
    shown = Shown(window, classes)
    window.show()
    window.raise_()
    window.activateWindow()
    if not block:
        return shown
    loop = QEventLoop()
    finish = shown._finish

    def finished() -> None:
        finish()
        loop.quit()

    shown._watch._on_close = finished
    loop.exec()
    shown._tear_down()  # no event loop runs after this one
    return shown.run


def show_problem(problem: Problem, classes: tuple | None = None, *, block: bool | None = None,
                 hint: str = ""):
    """The window on ``problem``; see :func:`nnviz.api.show`. ``hint``: a note over the plot
    (the arrays' scale warnings)."""
    return _open(problem, classes, None, block, hint)


def show_run(run, *, block: bool | None = None):
    """The window on a copy of ``run`` (an :class:`nnviz.api.Run`), going on where it stopped."""
    session = run.session()  # copies: the window's thread owns what it trains
    trainer, record = session.make_trainer(), session.make_run()

    def adopt(window) -> None:
        if session.class_names and hasattr(window, "session_actions"):
            window.session_actions._class_names[trainer.data] = session.class_names
        window.load_trainer(trainer, record if record is not None else session.history,
                            session.test_epochs, session.test_values)

    problem = Problem(trainer.data, trainer.spec, trainer.config, trainer.initial_params,
                      int(trainer.seed))
    return _open(problem, run.classes, adopt, block)
