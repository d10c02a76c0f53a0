"""Quitting with a trained run that is not saved asks first: Save, Discard or Cancel; a trained
sweep (which no session keeps) too: Discard or Cancel.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module). The File menu's
Quit (Ctrl+Q, every window), Close window (Ctrl+W) and the window's close button ask; a window
closed by the program (tests, the screenshot command) does not."""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEventLoop
from PySide6.QtWidgets import QApplication, QMessageBox

from ..widgets import access_keys


class ClosingMixin:
    """``may_close()``: True when nothing would be lost, or the user said to go on."""

    # (run id, ends, undo step) of the last save or open: the run, the last epoch of each of its
    # branches by name (``_branch_ends``) and the Undo step its edits were at (``_undo_anchor``);
    # a run Undo brings back brings its mark back too.
    _saved_mark: tuple | None = None
    # The window of nnviz.show(): closing it hands the run back to the script (show returns
    # it), so nothing is lost and there is nothing to ask ("Discard" would have said otherwise).
    run_goes_back = False

    def _mark_saved(self, session) -> None:
        """The run is as ``session`` (just saved or opened) holds it: its branches' epochs, and
        its edits too (the Undo step it is at; an opening marks it again once its Undo step is
        pushed)."""
        run = session.run
        ends = {"": int(session.epoch)} if run is None else {
            b.name: int(b.epoch) for b in run.branches}
        self._saved_mark = (self.window.run_id, ends, self._undo_anchor())
        self.undo_stack.setClean()

    def _undo_anchor(self):
        """The Undo step the window's state is after (None: the first). Each save keeps its
        own, not the stack's one clean index: undoing an Open brings back a run saved at
        another step, which the clean index (moved to the opened file) called edited."""
        stack = self.undo_stack
        return stack.command(stack.index() - 1) if stack.index() > 0 else None

    def unsaved_edits(self) -> bool:
        """The file's run has been edited since it was saved or opened (a new learning rate,
        points, weights or branch: Undo steps that keep the run and its file), or its file holds a
        state of it that Undo left. False for a run without a file: its edits on an untrained
        model lose nothing, and a trained one counts its epochs."""
        if not getattr(self, "path", None):
            return False
        mark = self._saved_mark
        return mark is None or mark[0] != self.window.run_id or \
            mark[2] is not self._undo_anchor()

    def unsaved_changes(self) -> tuple[list[str], bool]:
        """What the edits since the save or open are (each Undo step's ``change``), and whether
        Undo took them back (the file holds the state after them) rather than made them. None
        named when the Undo list no longer reaches the save (the steps it dropped at its limit).
        Quit said "changes (learning rate, points or weights)" for a branch alone (review r18)."""
        stack, mark = self.undo_stack, self._saved_mark
        if mark is None:
            return [], False
        anchor = mark[2]
        at = 0 if anchor is None else next(
            (i + 1 for i in range(stack.count()) if stack.command(i) is anchor), None)
        if at is None:
            return [], False
        now = stack.index()
        steps = [stack.command(i) for i in range(min(at, now), max(at, now))]
        return [getattr(c, "change", c.text)() for c in steps], now < at

    def unsaved_work(self) -> bool:
        """Closing now would lose something of the run: what the title marks ("[*]") and what
        Quit asks about, besides a sweep."""
        return self.unsaved_epochs() > 0 or self.unsaved_edits()

    def unsaved_epochs(self) -> int:
        """How many epochs the run has trained that no save holds (0: nothing to lose): on
        every branch, those past where the save ended it, and all of a branch made since. It
        was the live end's distance from the epoch saved: saved at 1,300, a branch from 700
        trained to 1,219 was "81 epochs", and a switch of branch alone was unsaved work."""
        s = self.window.last_snapshot
        if s is None or s.run_id != self.window.run_id or s.live_epoch == 0:
            return 0
        mark = self._saved_mark
        ends = mark[1] if mark is not None and mark[0] == self.window.run_id else {}
        if "" in ends:  # a file without a record (format 1): its one line
            return abs(s.live_epoch - ends[""])
        n = 0
        for name, fork, end in [(s.branch, s.branch_fork, s.live_epoch)] + [
                (b.name, b.fork_epoch, b.end_epoch) for b in s.branches]:
            if end >= 0:
                n += abs(end - ends[name]) if name in ends else max(0, end - fork)
        return n

    def unsaved_sweep(self) -> tuple[int, int] | None:
        """(members, epochs each) of the Compare tab's sweep when it has trained: a session
        keeps the main run only, so closing the window loses it. None: no such sweep."""
        view = getattr(self.window, "_inspection_views", {}).get("compare")
        if view is None or getattr(view, "spec", None) is None:
            return None
        got: list = []
        # Its epoch as the worker has it (after every step posted before), not the last drawn.
        self.window.worker.sweep_request(lambda sweep: int(sweep.epoch), got.append,
                                         lambda _e: got.append(None))
        clock = QElapsedTimer()
        clock.start()
        while not got and clock.elapsed() < 1000:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        epoch = got[0] if got else None
        if epoch is None:  # no answer in time: the last drawn one says
            s = view.latest or view.drawn
            epoch = s.epoch if s is not None and s.sweep_id == view.sweep_id else 0
        return (view.spec.n_members, epoch) if epoch else None

    def may_close(self, quitting: bool | None = None) -> bool:
        """Ask before what closing loses. ``quitting``: the words say the app quits (default:
        when this is its last window; else "closing this window")."""
        w = self.window
        windows = w.open_windows() if hasattr(w, "open_windows") else [w]
        if quitting is None:  # closing the last window quits
            quitting = len(windows) == 1
        was_playing = bool(getattr(w, "playing", False))
        if was_playing:
            # The run stops while the question is asked, or it went on training under it and
            # the number it gave was out of date (720 epochs asked, 925 a second later).
            w.pause()
            self._wait_paused()
        if self.run_goes_back:
            return True
        n = self.unsaved_epochs()
        edited = not n and self.unsaved_edits()
        sweep = self.unsaved_sweep()
        if not n and not edited and sweep is None:
            return True
        doing = "quitting" if quitting else "closing this window"
        title = "Quit nnviz" if quitting else "Close window"
        B = QMessageBox.StandardButton
        # With other windows open, which run: this window's (raised, the box over it).
        whose = "This window's" if len(windows) > 1 else "The"

        def words(n: int) -> str:
            lines = []
            if n:
                lines.append(f"{whose} run has trained {n:,} epochs that are not saved.")
            elif edited:
                lines.append(_changes_line(whose, *self.unsaved_changes()))
            if sweep is not None:
                members, epochs = sweep
                lines.append(f"{whose} sweep of {members} runs has trained {epochs:,} epochs "
                             f"each; {doing} loses it.")
            return "\n".join(lines)
        box = QMessageBox(QMessageBox.Icon.Question, title, words(n),
                          (B.Save if n or edited else B.NoButton) | B.Discard | B.Cancel,
                          self.window)
        if n or edited:
            info = f"Save the session before {doing}?"
            if sweep is not None:  # Save would seem to keep everything: it does not
                info += (" A session keeps the main run only, not the sweep (Promote a "
                         "member to keep it as the run).")
            box.setDefaultButton(B.Save)
        else:
            info = ("A session keeps the main run only, not a sweep: to keep one of its runs, "
                    "Promote it to the main run and save that.")
            box.setDefaultButton(B.Cancel)
        box.setInformativeText(info)
        access_keys(box)  # S, D, C (the platform's texts had none)
        self.message_box = box

        def recount(_snapshot) -> None:
            # The epoch under way when Quit paused the run (one cannot be interrupted: ~15 s on
            # a 512x4 network at 100,000 points) ends under the question: it asked about 2
            # epochs over a window at epoch 3. The number follows what Save would keep.
            now = self.unsaved_epochs()
            if n and now:
                box.setText(words(now))
        w.snapshot_drawn.connect(recount)
        try:
            answer = box.exec()
        finally:
            w.snapshot_drawn.disconnect(recount)
        self.message_box = None
        if answer == B.Discard:
            return True
        if answer == B.Save:
            self.save()  # asks for a file if there is none; the window closes once written
            if self._pending_writes:
                self._close_when_written = True
        elif was_playing:  # Cancel: back to what it was doing
            w.play()
        return False

    def _wait_paused(self, timeout_ms: int = 1000) -> None:
        """Until the worker has taken the pause and its last epoch is drawn (a chunk in
        progress finishes first), at most ``timeout_ms``."""
        w, clock = self.window, QElapsedTimer()
        loop = w.worker.loop
        clock.start()
        while clock.elapsed() < timeout_ms:
            s, t = w.last_snapshot, loop.trainer
            if not loop.playing and s is not None and t is not None and \
                    s.live_epoch == t.epoch:
                return
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _changes_line(whose: str, changes: list[str], undone: bool) -> str:
    """Quit's line about the edits not saved, naming them (the first few)."""
    if not changes:
        return f"{whose} run has changes that are not saved."
    named = "; ".join(changes[:3]) + (f"; and {len(changes) - 3} more" if len(changes) > 3
                                      else "")
    if undone:
        return f"{whose} run is not as saved: Undo took back {named}."
    return f"{whose} run has changes that are not saved: {named}."
