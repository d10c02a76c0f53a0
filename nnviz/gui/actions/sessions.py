"""Open and save sessions (off the GUI thread, with progress and Cancel); what a save waits for at closing.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import os
from typing import Any, Callable


from nnviz.core import session as session_io
from nnviz.core.data import DataError, Dataset
from nnviz.core.losses import LossError
from nnviz.core.network import SpecError
from nnviz.core.session import Session, SessionError
from nnviz.core.errors import NnvizError
from nnviz.core.limits import MAX_EPOCH
from nnviz.core.training import TrainingError

from ..file_jobs import Cancelled
from .undo import ProblemCommand

USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

SESSION_FILTER = "nnviz sessions (*.nnviz);;All files (*)"
def _epochs_of(s: Session) -> str:
    """The session's epochs for Save's and Open's messages: "epoch 4,747 (showing epoch
    2,488)" when the window shows a past epoch, as the exports say it."""
    shown = s.shown_epoch
    past = f" (showing epoch {shown:,})" if shown is not None and shown < s.epoch else ""
    return f"epoch {s.epoch:,}{past}"


def _read_session(path: str) -> tuple[Session, Any, Any]:
    """The session in ``path``, a Trainer made from it and its recorded run (None: an older
    file), in any thread; SessionError if broken."""
    s = session_io.load(path, plotted=True)
    try:
        trainer = s.make_trainer()
    except (TrainingError, SpecError, LossError, DataError) as e:
        raise SessionError(f"{path}: {e}") from None
    return s, trainer, s.make_run()




class OpenCommand(ProblemCommand):
    """Opening a session over a trained run or an open exercise: undo brings back the run
    before (its epoch, branches and settings), its file (ProblemCommand), view options and
    exercise; redo the opened session's run (as it was left, where it was kept)."""

    def __init__(self, actions, text: str, before, after, kept: dict, opened: Session,
                 before_view: dict, exercise: tuple | None) -> None:
        super().__init__(actions, text, before, after, kept)
        self.kept["after"] = {"problem": after, "session": opened}
        self.views = {"before": before_view, "after": None}  # the view's options
        self.exercise = exercise

    def put(self, value, undoing: bool) -> None:
        target, leaving = ("before", "after") if undoing else ("after", "before")
        self.views[leaving] = self.actions._view_extras()
        super().put(value, undoing)
        if self.views[target] is not None:
            self.actions._apply_view_extras(self.views[target])
        ex_actions = getattr(self.actions.window, "exercise_actions", None)
        if ex_actions is not None and self.exercise is not None:
            ex_actions.put_back(self.exercise if undoing else None)
        left = "the run" if self.exercise is None else "the exercise"
        self.actions._status(f"Undo {self.text()}: {left} before is back." if undoing else
                             f"Redo {self.text()}: Ctrl+Z brings {left} before back.", 10000)


class SessionsMixin:
    """Open and save sessions (off the GUI thread, with progress and Cancel); what a save waits for at closing."""

    def class_names(self, data: Dataset | None = None) -> tuple[str, ...] | None:
        data = data if data is not None else self.window.dataset
        return self._class_names.get(data) if data is not None else None

    def open_session(self, path: str) -> None:
        """Open a .nnviz file; raises SessionError (the current run stays) if it is broken.
        Reads in this thread (``nnviz --open``); the menus read off the GUI thread."""
        self._adopt_session(path, *_read_session(path))

    def _adopt_session(self, path: str, s: Session, trainer, run) -> None:
        """The session read from ``path`` replaces the run. A trained run or an open exercise
        it replaces comes back with Undo ("Undo open moons.nnviz"): a reviewer's 1,000 unsaved
        epochs went at once, Undo greyed; the exercise left open graded the opened problem."""
        w = self.window
        before, before_view = w.current_problem(), self._view_extras()
        ex_actions = getattr(w, "exercise_actions", None)
        exercise = ex_actions.state() if ex_actions is not None else None
        trained = w.has_trained_run()
        if s.class_names:
            self._class_names[trainer.data] = s.class_names
        w.load_trainer(trainer, run if run is not None else s.history, s.test_epochs,
                       s.test_values)
        # Saved looking at the past: it opens there (End: live), a rate typed there waiting.
        w.put_back_view(s.shown_epoch, s.pending_learning_rate)
        w.timeline.opening(w.epoch_to_come(), s.shown_epoch, "Opening")  # (while it compiles)
        kept = w.replaced_run
        if exercise is not None:
            ex_actions.close_exercise()  # its goals are not this problem's
        self._apply_view_extras(s.extras)
        self.path = os.path.abspath(path)
        self._add_recent(self.path)
        self._mark_saved(s)
        self._set_title()
        self._current = w.current_problem()
        name = os.path.basename(path)
        note = ""
        # An untrained run before it is a step too when Undo has steps before that: clearing
        # them let the trained runs they keep go without a word (trained, a preset, Open).
        if trained or exercise is not None or self.undo_stack.canUndo():
            self.undo_stack.push(OpenCommand(self, f"open {name}", before, self._current, kept,
                                             s, before_view, exercise))
            left = "the run" if exercise is None else "the exercise"
            note = f" Ctrl+Z brings {left} before back."
        else:
            self.undo_stack.clear()  # no step to go back to; the redo steps were the old run's
        self._mark_saved(s)  # the run as the file holds it (after its Undo step)
        self._show_modified()
        self._update_edit_toolbar()
        self._status(f"Opened {name}: {_epochs_of(s)}, {s.spec.shapes_text()}, "
                     f"{s.config.optimizer}.{note}", 10000)
        self.opened.emit(self.path)

    def _file_state(self) -> tuple:
        """The file of the run now, its save mark (branch ends, Undo step; None: not this run's) and
        the view's options: what undoing an open puts back."""
        mark = self._saved_mark
        saved = mark[1:] if mark is not None and mark[0] == self.window.run_id else None
        return self.path, saved, self._view_extras()

    def _put_file_state(self, state: tuple | None) -> None:
        """``state`` (``_file_state``'s) back: the run's file and its save mark (the epochs of its
        branches and the Undo step it was saved at); the view's options unless they are None."""
        if state is None:
            return
        path, saved, extras = state
        self.path = path
        self._saved_mark = None if saved is None else (self.window.run_id, *saved)
        self._set_title()
        if extras is not None:
            self._apply_view_extras(extras)

    left_file: tuple | None = None  # the file of the run that left last (run_leaves)

    def run_leaves(self) -> None:
        """Another run replaces the window's (``MainWindow._new_run_id``): its file, (path,
        its save mark) or None, is kept in ``left_file`` for the Undo step that
        brings the run back (ProblemCommand), and the new run has none. A preset, other data,
        an import, a promoted member or a fresh model (Reset) is not what the file holds: Save
        asks for a name (it wrote an XOR run at epoch 0 over a moons run saved at 2,001, the
        title still naming that file)."""
        path, saved, _ = self._file_state()
        self.left_file = (path, saved) if path is not None and saved is not None else None
        self.path = None
        self._set_title()

    def _set_title(self) -> None:
        """The file's name in the title ("nnviz" alone: the run has none), and Qt's mark of
        unsaved changes ("[*]": an asterisk) while the run has trained or been edited since it
        was saved."""
        name = os.path.basename(self.path) if self.path else ""
        self.window.setWindowTitle(f"{name}[*] \u2014 nnviz" if name else "nnviz[*]")
        self._show_modified()

    def _show_modified(self, *_) -> None:
        """The title's mark of unsaved work: what Quit would ask about (``unsaved_work``).
        Called with each snapshot drawn and each Undo step; a title without Qt's placeholder
        is left alone."""
        w = self.window
        if "[*]" in w.windowTitle():  # (nnviz.show's window hands its run back: nothing lost)
            w.setWindowModified(self.unsaved_work() and not self.run_goes_back)

    def open_dialog(self) -> None:
        path = self.ask_path("Open session", SESSION_FILTER, save=False)
        if path:
            self._open_reporting(path)

    def _open_recent(self, path: str) -> None:
        if not os.path.exists(path):
            self._forget_recent(path)
            self.show_error("Open recent", f"{path} is gone; it was removed from the list.")
            return
        self._open_reporting(path)

    def _open_reporting(self, path: str) -> None:
        """Open ``path`` off the GUI thread, with a progress dialog and Cancel; a message if it
        cannot be opened (the current session stays)."""
        def done(result: tuple) -> None:
            try:
                self._adopt_session(path, *result)
            except USER_ERRORS as e:
                self.show_error("Cannot open the session", str(e))

        self.jobs.start("Open session", f"Opening {os.path.basename(path)}\u2026",
                        lambda progress: _read_session(path), done,
                        lambda e: self._job_failed("Cannot open the session", e),
                        reports_progress=False)

    def _job_failed(self, title: str, e: BaseException) -> None:
        if isinstance(e, Cancelled):
            return
        if isinstance(e, MemoryError):
            self.show_error(title, "the file needs more memory than this computer has")
        elif isinstance(e, USER_ERRORS):
            self.show_error(title, str(e))
        else:  # a bug: say what it was rather than nothing
            self.show_error(title, f"{type(e).__name__}: {e}")

    def save(self) -> None:
        """Save to the file of the run on screen, or ask for one (it has none: another run
        replaced the file's, see ``run_leaves``)."""
        if self.path:
            self.save_to(self.path)
        else:
            self.save_as()

    def save_as(self) -> None:
        name = os.path.splitext(os.path.basename(self.path or ""))[0] or self._suggested_name()
        path = self.ask_path("Save session", SESSION_FILTER, save=True,
                             suggested=name + session_io.SUFFIX)
        if path:
            self.save_to(path)

    def _suggested_name(self) -> str:
        data = self.window.dataset
        return data.name.replace(" ", "-") if data is not None else "session"

    def save_to(self, path: str) -> None:
        """Save the live run to ``path`` (captured in the worker thread, written here): the
        file of that run from then on, unless another run has replaced it meanwhile."""
        names = self.class_names()
        extras = self._view_extras()
        run_id = self.window.run_id

        def capture(ctx) -> Session:  # in the worker thread
            return Session.from_trainer(ctx.trainer, class_names=names, extras=extras,
                                        run=ctx.run, learning_rate=ctx.pending_lr,
                                        shown_epoch=ctx.view_epoch)

        def write(s: Session) -> None:  # back on the GUI thread
            try:
                s.save(path)
            except SessionError as e:
                self.show_error("Cannot save the session", str(e))
                self._written(False)
                return
            path_now = os.path.abspath(path)
            if self.window.run_id == run_id:  # (the worker captures in order: that run's)
                self.path = path_now
                self._mark_saved(s)
                self._set_title()
            self._add_recent(path_now)
            self._status(f"Saved {os.path.basename(path)} at {_epochs_of(s)}"
                         f"{self._sweep_not_saved()}.")
            self._written(True)
            self.saved.emit(path_now)

        self._request_write(write, capture, "Cannot save the session")

    def _sweep_not_saved(self) -> str:
        """What Save leaves out, said at Save: a session holds the main run only, and a sweep
        on the Compare tab was not there when the file was opened again ("No sweep yet")."""
        views = getattr(self.window, "_inspection_views", None)
        tab = getattr(views, "tabs", {}).get("compare")
        view = getattr(tab, "view", None)
        if view is None or getattr(view, "spec", None) is None:
            return ""
        # Short enough for the status bar at presentation mode's size, 1024 px wide: "; the
        # Compare tab's sweep is not saved in sessions (Promote a member to save its run)"
        # was cut after "the Compare tab's".
        return "; not the Compare sweep (Promote a member to save one)"

    def _request_write(self, write: Callable[[Any], None], capture: Callable,
                       title: str) -> None:
        """Capture the live run in the worker thread and ``write`` it here; counted until
        written, so that closing the window waits for it."""
        def failed(e: BaseException) -> None:  # the capture failed in the worker
            self.show_error(title, str(e))
            self._written(False)

        self._pending_writes += 1
        self.window.request_state(write, capture, on_error=failed)

    def _written(self, ok: bool) -> None:
        """A requested write is over; close the window if that was waiting for it."""
        self._pending_writes = max(0, self._pending_writes - 1)
        if self._pending_writes or not self._close_when_written:
            return
        self._close_when_written = False
        if ok:
            self.window.close()
        else:
            self._status("The window stays open: the file was not written.", 0)

    def _view_extras(self) -> dict[str, Any]:
        w = self.window
        return {"show_test": w.show_test.isChecked(), "discretize": w.discretize.isChecked(),
                "log_scale": w.log_scale.isChecked(), "view": w.current_view(),
                "stop_at": w.stop_at()}

    def _apply_view_extras(self, extras: dict[str, Any]) -> None:
        w = self.window
        for key, box in (("show_test", w.show_test), ("discretize", w.discretize),
                         ("log_scale", w.log_scale)):
            if isinstance(extras.get(key), bool):
                box.setChecked(extras[key])
        # The view it was saved on (a teacher's prepared Network tab opened on the main one);
        # a view this window has not (an older or newer nnviz's) leaves the one in front.
        if extras.get("view") in w.view_names():
            w.show_view(extras["view"])
        # Where Play pauses (a teacher's session that stops at the lesson's picture; review
        # r23 F10: it opened as "never"). A file from before it was kept leaves the field.
        if "stop_at" in extras:
            stop = extras["stop_at"]
            if stop is None or (type(stop) is int and 0 < stop <= MAX_EPOCH):
                w.set_stop_at(stop, own=True)
