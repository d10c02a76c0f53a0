"""Start the window from the command line's options (see ``nnviz.cli``), or render it to a PNG.

``run(args) -> int`` takes the argparse.Namespace of ``nnviz`` without a sub-command: the train
options (dataset, samples, noise, seed, test_fraction, classes, hidden, activation,
output_activation, init_scheme, loss, optimizer, lr, batch_size, l1, l2, init), ``epochs``,
``screenshot``, ``show``, ``open``, ``exercise``, ``theme`` and ``palette``. Missing attributes take the notebook's defaults; the loss,
output activation and learning rate left as None fit the data (as ``nnviz train`` does).

``--screenshot FILE.png`` renders offscreen: it trains ``epochs`` epochs (Step, in the worker
thread, exactly as the window does), shows the view ``show`` -- at the recorded epoch
``at_epoch`` of the run if given (the timeline) -- and saves the whole window, ``size`` (W, H)
pixels, in presentation mode if ``presentation``. It prints nothing on stderr when all goes
well (:mod:`nnviz.gui.qt_messages`).
``--open FILE`` calls ``window.open_session(path)``, which the session actions install;
``--exercise FILE`` calls ``window.open_exercise(path)`` (gui/exercise_panel.py).
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from nnviz.core.problem import Problem

DEFAULTS: dict[str, Any] = dict(
    screenshot=None, show=None, epochs=None, open=None, dataset="moons", samples=None,
    noise=None, seed=None, test_fraction=0.2, classes=None, hidden=None, activation="sigmoid",
    output_activation=None, init_scheme="normal", loss=None, optimizer="gd", lr=None,
    batch_size=0, l1=0.0, l2=0.0, init=None, at_epoch=None, exercise=None,
    features=None, theme=None, palette=None, size=None, presentation=False, stop_at=None,
    sweep=None, record=None, frames=60, spacing="even", area="view", fps=10.0, preset=None)

SCREENSHOT_SIZE = (1400, 900)


def _opt(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, DEFAULTS[name])


def problem_from_args(args: argparse.Namespace) -> Problem:
    """The :class:`~nnviz.core.problem.Problem` of the train options, built as ``nnviz train``
    builds it. Raises the core's user errors (DataError, SpecError, LossError, TrainingError)."""
    from nnviz.cli import build_problem
    return build_problem(argparse.Namespace(**{**DEFAULTS, **vars(args)}))


def _ready_sweeps() -> list[str]:
    from nnviz.core.ready_sweeps import BY_KEY
    return list(BY_KEY)


def _error(message: str) -> None:
    print(f"nnviz: error: {message}", file=sys.stderr)


PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP"}


def check_screenshot_path(path: str, inputs: dict[str, str | None]) -> str | None:
    """Why ``path`` cannot take a screenshot (None if it can), checked before the window is
    built: a picture name, a writable place, and no file there that is not a picture."""
    from nnviz.core import fileio
    ext = os.path.splitext(path)[1].lower()
    try:
        fileio.check_output(path)
        fileio.check_distinct({"--screenshot": path}, inputs)
    except fileio.OutputError as e:
        return str(e)
    kind = fileio.existing_kind(path)
    name = os.path.basename(path)
    if kind == "session":
        return f"{name} is a session, not a picture: use --open to open it"
    if kind in ("zip", "other"):
        return (f"{name} is not a picture; nnviz does not write a screenshot over it "
                "(choose another file name)")
    if ext not in PICTURE_FORMATS:
        return f"cannot write {path}: a screenshot is a {', '.join(PICTURE_FORMATS)} file"
    return None


def run(args: argparse.Namespace) -> int:
    """Open the window (or render it to ``args.screenshot``); returns the exit code."""
    screenshot = _opt(args, "screenshot")
    record = _opt(args, "record")
    if (screenshot or record) and _opt(args, "show") == "compare" and not _opt(args, "sweep") \
            and (_opt(args, "epochs") or 0) > 0:
        # While Compare is shown Step drives the sweep: without one nothing would train and the
        # picture would wait forever.
        _error(f"--show compare shows a sweep: add --sweep NAME ({', '.join(_ready_sweeps())}) "
               "to train one, or leave out --epochs")
        return 2
    if record:
        from nnviz.core import animation, fileio
        try:
            ext = animation.check_path(record)
            fileio.check_distinct({"--record": record}, {"--open": _opt(args, "open"),
                                                         "--init": _opt(args, "init")})
        except (animation.RecordError, fileio.OutputError) as e:
            _error(str(e))
            return 2
        if not animation.have_imageio(ext):
            _error(animation.INSTALL_HINT)
            return 2
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if screenshot:
        problem = check_screenshot_path(screenshot, {"--open": _opt(args, "open"),
                                                     "--init": _opt(args, "init"),
                                                     "--exercise": _opt(args, "exercise")})
        if problem:
            _error(problem)
            return 2
        # A picture needs no display: render offscreen unless told otherwise.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from nnviz.core.data import DataError
    from nnviz.core.losses import LossError
    from nnviz.core.network import SpecError
    from nnviz.core.training import TrainingError
    user_errors = (DataError, SpecError, LossError, TrainingError)

    try:
        if _opt(args, "exercise"):  # its problem from the start: one compile, not two
            from nnviz.core import exercises
            problem = exercises.load(_opt(args, "exercise")).problem()
        else:
            problem = problem_from_args(args)
    except (*user_errors, ValueError) as e:
        _error(str(e))
        return 2

    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    from .qt_messages import install_filter
    install_filter()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "nnviz"])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    theme, palette = _opt(args, "theme"), _opt(args, "palette")
    if theme or palette:  # this run's look, over the one remembered (and not remembered)
        from . import colors, look
        colors.set_look(theme, palette)
        look.GIVEN.update(k for k, v in (("theme", theme), ("palette", palette)) if v)
    window = MainWindow(problem)
    try:
        # A remembered presentation mode does not change a screenshot or a recording: only
        # the option does.
        if screenshot or record or _opt(args, "presentation"):
            window.set_presentation(bool(_opt(args, "presentation")))
        if screenshot or record:  # rendered at its size, whatever the (offscreen) screen
            window.text_size.screen_bound = False
        size = _opt(args, "size")
        if size:
            window.resize(*size)
        preset = _opt(args, "preset")
        if preset:  # as the Presets menu loads it: its stop and its note over the plot
            from nnviz.core import presets
            p = presets.get(preset)
            window.set_stop_at(p.epochs)
            actions = getattr(window, "session_actions", None)
            if actions is not None:  # a picture trained --epochs epochs: no "Press Play"
                actions.announce_preset(p, trained=bool(screenshot or record)
                                        and (_opt(args, "epochs") or 0) > 0)
        if _opt(args, "stop_at") is not None:
            window.set_stop_at(_opt(args, "stop_at"))
        show = _opt(args, "show") or "main"
        sweep = _opt(args, "sweep")
        if sweep and show == "main":
            show = "compare"  # where a sweep is seen
        try:
            window.show_view(show)
        except KeyError as e:
            _error(e.args[0])
            return 2
        for option, method, what in (("open", "open_session", "opening a session"),
                                     ("exercise", "open_exercise", "opening an exercise")):
            path = _opt(args, option)
            if not path:
                continue
            opener = getattr(window, method, None)
            if opener is None:
                _error(f"{what} is not available in this build")
                return 2
            try:
                opener(path)
            except (ValueError, OSError) as e:  # SessionError and ExerciseError are ValueErrors
                _error(str(e))
                return 2
            if _opt(args, "show"):
                window.show_view(show)  # asked for: before the view the session was saved on
        if sweep:
            window._inspection_views["compare"].start_ready(sweep, _opt(args, "stop_at"))
        if screenshot and sweep:
            return _sweep_screenshot(app, window, screenshot, _opt(args, "epochs") or 0,
                                     _opt(args, "size") or SCREENSHOT_SIZE)
        if screenshot:
            return _screenshot(app, window, screenshot, _opt(args, "epochs") or 0,
                               _opt(args, "at_epoch"), _opt(args, "size") or SCREENSHOT_SIZE)
        if record:
            return _record(app, window, record, _opt(args, "epochs") or 0, args)
        actions = getattr(window, "session_actions", None)
        if actions is not None and restores_work(args):
            actions.restore_work()  # plain `nnviz`: the work of the last session again
        window.show()
        window.raise_()
        epochs = _opt(args, "epochs") or 0
        if epochs > 0:
            # `nnviz --epochs 1000` opens on a trained run (a Step of N, in the worker, after
            # the compile): it opened at epoch 0, the option silently taken for a screenshot's.
            window.step(epochs)
        MainWindow.quits_app = True
        try:
            code = app.exec()
        finally:
            MainWindow.quits_app = False  # (a window closed after, in a test's process, quits not)
        return int(code)
    finally:
        # The app quits: work for views no one will see again stops (the Landscape's compiles
        # ahead), beside the teardown, which waits for no compile given up either.
        from nnviz.core import landscape_probe
        landscape_probe.give_up()
        tear_down(window, wait=False)


#: The options of the command line that are not the problem's.
_NOT_TRAIN = {"screenshot", "show", "epochs", "open", "at_epoch", "theme", "palette",
              "record", "frames", "spacing", "area", "fps", "size", "presentation"}


def restores_work(args: argparse.Namespace) -> bool:
    """Whether the window starts with the last session's work: only when the command line
    names nothing to show instead (a session, an exercise, a sweep, a problem's options)."""
    return not (_opt(args, "open") or _opt(args, "exercise") or _opt(args, "sweep")
                or _train_options_given(args))


def _train_options_given(args: argparse.Namespace) -> bool:
    """Whether the command line set any of the problem's options (their defaults are
    DEFAULTS, the same as the parser's)."""
    return any(_opt(args, k) != v for k, v in DEFAULTS.items() if k not in _NOT_TRAIN)


def tear_down(window, wait: bool = True) -> None:
    """Close ``window`` in an order that cannot crash: stop its training thread, drop the run's
    device arrays, then delete the window's Qt objects (pyqtgraph's items with them) while
    Python is still whole, and collect what is left. ``wait``: for the compiles given up (a
    model replaced while it compiled) to end their call under way (False: the app quits).

    Left to the interpreter's exit, PySide deletes whatever Qt objects still have a Python
    wrapper, and a pyqtgraph item's destructor then calls back into Python as it is being torn
    down: ``--screenshot --show gradients`` died with SIGSEGV in a few runs out of 30
    (bench/screenshot_exits.py counts them).
    """
    import gc

    import shiboken6

    if shiboken6.isValid(window):
        for beside in list(getattr(window, "companions", ())):  # members opened beside it
            tear_down(beside, wait)
        window.shutdown()
        window.worker.release(wait)
        window.hide()
        shiboken6.delete(window)
    gc.collect()


#: At the end of the ``nnviz`` program, how long the threads still running may take to end.
EXIT_GRACE_S = 0.5


def still_running(grace_s: float = EXIT_GRACE_S) -> list[threading.Thread]:
    """Python's threads but the main one still running after ``grace_s`` (each is given that
    long to end, together). Daemons count: the pools' threads started from the worker's are,
    and Python's exit waits for a pool's threads all the same (concurrent.futures). Not the
    threads Python did not start (Qt's: the worker's QThread has stopped by now)."""
    end = time.monotonic() + grace_s
    threads = [t for t in threading.enumerate()
               if t is not threading.main_thread() and t.is_alive()
               and not isinstance(t, threading._DummyThread)]
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    return [t for t in threads if t.is_alive()]


def end_program(code: int) -> int:
    """The end of the ``nnviz`` program, its windows closed and torn down (``run`` returned):
    when a thread still runs a call that was given up -- a compile or computation for a view,
    or of a model replaced, none of which can be interrupted and none of which holds anything
    the user keeps (a session being saved is written before its window closes, the settings
    on closing) -- the process ends now (``os._exit``, its output flushed) rather than wait
    for it: Python's exit joined them, and Quit -> Discard on a 2-512x8-1 network ended the
    process 7-18 s after the window had gone (review r24 F9). Otherwise it returns ``code``
    and Python ends as usual."""
    busy = still_running()
    if not busy:
        return code
    import logging
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, or none (pythonw)
            pass
    os._exit(code)


def _wait(app, done: Callable[[], bool], timeout_s: float) -> bool:
    from PySide6.QtCore import QEventLoop
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)
    return True


def _train_shown(app, window, epochs: int, size: tuple[int, int]) -> int | None:
    """Show ``window`` at ``size``, wait for its first snapshot and train ``epochs`` epochs;
    None when done, else the exit code (said on stderr)."""
    window.resize(*size)
    window.show()
    if (window.width(), window.height()) != tuple(size):
        _error(f"the window cannot be as small as {size[0]}x{size[1]}: at least "
               f"{window.minimumSizeHint().width()}x{window.minimumSizeHint().height()}")
        return 2
    run_id = window.run_id

    def drawn(epoch: int) -> Callable[[], bool]:
        def check() -> bool:
            s = window.last_snapshot
            return bool(window.last_error) or (
                s is not None and s.run_id == run_id and (s.epoch >= epoch or s.diverged))
        return check

    # The first snapshot comes after the compile (seconds on a cold cache).
    if not _wait(app, drawn(0), 300):
        _error("the model did not compile within 5 minutes")
        return 1
    if epochs > 0 and not window.last_error:
        s = window.last_snapshot  # 0, or where an opened session stopped: its live end (one
        start = max(s.epoch, s.live_epoch)  # saved looking at the past opens showing that)
        window.step(epochs)
        if not _wait(app, drawn(start + epochs), 3600):
            _error(f"training {epochs} epochs took over an hour")
            return 1
    return None


def _screenshot(app, window, path: str, epochs: int, at_epoch: int | None = None,
                size: tuple[int, int] = SCREENSHOT_SIZE) -> int:
    failed = _train_shown(app, window, epochs, size)
    if failed is not None:
        return failed
    if at_epoch is not None and not window.last_error:
        live = window.last_snapshot.live_epoch
        if at_epoch > live:
            _error(f"--at-epoch {at_epoch} is past the run's last epoch, {live}")
            return 2
        window.timeline.go(at_epoch)
        if not _wait(app, lambda: window.last_error or window.last_snapshot.epoch == at_epoch,
                     600):
            _error(f"epoch {at_epoch} could not be shown within 10 minutes")
            return 1
    if window.last_error:
        _error(window.last_error.split("\n\n", 1)[0])
        return 1
    # A view that computes in the background says when it shows the final snapshot.
    tab = window.tabs.currentWidget()
    ready = getattr(getattr(tab, "view", tab), "ready", None)
    if callable(ready) and not window.last_error:
        _wait(app, ready, 300)
    # Let the views and the layout settle on the final snapshot.
    _wait(app, lambda: False, 0.3)
    try:
        write_picture(window.grab(), path)
    except OSError as e:
        _error(f"cannot write {path}: {e.strerror or e}")
        return 2
    s = window.last_snapshot
    print(f"nnviz: saved {path} (epoch {s.epoch if s else 0})")
    return 0


def _sweep_screenshot(app, window, path: str, epochs: int, size=SCREENSHOT_SIZE) -> int:
    """The window with the sweep started by ``--sweep`` trained ``epochs`` epochs (Step)."""
    window.resize(*size)
    window.show()
    view = window._inspection_views["compare"]

    def drawn(epoch: int) -> Callable[[], bool]:
        def check() -> bool:
            s = view.drawn
            return bool(window.last_error) or (s is not None and s.sweep_id == view.sweep_id and (
                s.epoch >= epoch or bool(s.diverged.all())))
        return check

    if not _wait(app, drawn(0), 300):
        _error("the sweep did not compile within 5 minutes")
        return 1
    if epochs > 0 and not window.last_error:
        window.step(epochs)
        if not _wait(app, drawn(epochs), 3600):
            _error(f"training the sweep {epochs} epochs took over an hour")
            return 1
    if window.last_error:
        _error(window.last_error.split("\n\n", 1)[0])
        return 1
    _wait(app, lambda: False, 0.3)
    try:
        write_picture(window.grab(), path)
    except OSError as e:
        _error(f"cannot write {path}: {e.strerror or e}")
        return 2
    print(f"nnviz: saved {path} (sweep, epoch {view.drawn.epoch})")
    return 0


def _record(app, window, path: str, epochs: int, args: argparse.Namespace) -> int:
    """``--record``: train ``epochs`` epochs, then record the run's epochs 0..end as
    ``--frames`` frames of ``--area`` showing ``--show``."""
    from nnviz.core.animation import RecordError, SIZE, frame_epochs

    from .recorder import Recorder
    area = _opt(args, "area")
    size = _opt(args, "size") or (SIZE if area == "window" else SCREENSHOT_SIZE)
    failed = _train_shown(app, window, epochs, size)
    if failed is not None:
        return failed
    if window.last_error:
        _error(window.last_error.split("\n\n", 1)[0])
        return 1
    _wait(app, lambda: False, 0.3)  # the layout settles on the final snapshot
    if area == "view":
        # Offscreen the window may be any size: widen it until the view in front is 16:9,
        # so that the frames are filled rather than a tall view between white margins.
        for _ in range(3):
            tab = window.tabs.currentWidget()
            extra = int(tab.height() * SIZE[0] / SIZE[1]) - tab.width()
            if abs(extra) < 8:
                break
            window.resize(max(SCREENSHOT_SIZE[0], window.width() + extra), window.height())
            _wait(app, lambda: False, 0.2)
    s = window.last_snapshot
    if s.live_epoch <= s.first_epoch:
        _error("there is nothing to record yet: train some epochs first (--epochs N)")
        return 2
    result: list = []
    try:
        frames = frame_epochs(s.first_epoch, s.live_epoch, _opt(args, "frames"),
                              _opt(args, "spacing"))
        rec = Recorder(window, path, frames, area=area, fps=_opt(args, "fps"))
        rec.finished.connect(lambda p: result.append(("ok", p)))
        rec.failed.connect(lambda m: result.append(("failed", m)))
        rec.start()
    except (RecordError, OSError) as e:
        _error(str(e))
        return 2
    if not _wait(app, lambda: bool(result), 3600):
        rec.cancel()
        _error("recording took over an hour")
        return 1
    kind, what = result[0]
    if kind == "failed":
        _error(what)
        return 1
    print(f"nnviz: saved {path} ({len(rec.frames)} frames, epochs {rec.frames[0]} to "
          f"{rec.frames[-1]})")
    return 0


def picture_bytes(image, fmt: str = "PNG") -> bytes:
    """A QImage or QPixmap encoded as ``fmt``; OSError if Qt cannot encode it."""
    from PySide6.QtCore import QBuffer, QIODevice
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, fmt):
        raise OSError(f"cannot encode the picture as {fmt}")
    return bytes(buf.data())


def write_picture(image, path: str) -> None:
    """Save a QImage or QPixmap to ``path`` (format by its extension) atomically: a full disk
    or any failure leaves the file that was there as it was, and raises OSError."""
    from nnviz.core import fileio
    fmt = PICTURE_FORMATS.get(os.path.splitext(path)[1].lower(), "PNG")
    fileio.write_bytes(path, picture_bytes(image, fmt))
