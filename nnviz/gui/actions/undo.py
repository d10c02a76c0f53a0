"""Undo and redo of whole problems (architecture, data, settings), the presets, the learning
rate and hand-edited weights; each step named by what it changed ("noise 0.1 -> 0.3").

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from nnviz.core import presets
from nnviz.core.errors import NnvizError, sentence
from nnviz.core.formatting import plural
from nnviz.core.data import DataSpec
from nnviz.core.problem import Problem
from nnviz.core.runlog import MAX_BRANCHES, branch_name


USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

UNDO_LIMIT = 100
# Trained runs kept for undo and redo (ProblemCommand): each holds its run's record, tens of MB
# for a wide network (runlog.CHECKPOINT_BUDGET_BYTES a branch), so only the KEPT_RUNS nearest
# the present step; a farther one comes back as a fresh model of its settings, and the status
# bar says so when one is let go. An untrained run is not counted: its step's Problem (settings,
# seed, initial weights) brings it back exactly, and it holds nothing.
KEPT_RUNS = 4
NOTE_GAP = "  "  # between what a step said and the note on the runs it let go
NOTE_MARK = "To keep a run, save the session."


def fits_status_bar(window, text: str) -> bool:
    """``text`` fits the status bar's message area beside what it shows for good (the run
    controls' status): a longer message is cut off at its end."""
    bar = window.statusBar()
    right = bar.width() - 12
    for child in bar.children():
        if child.isWidgetType() and child.isVisible() and child.x() > 0:
            right = min(right, child.x() - 6)
    return bar.fontMetrics().horizontalAdvance(text) <= right - 6


def same_problem(a: Problem, b: Problem) -> bool:
    """The same data (the same generator settings, or the very points), network, settings and
    seed: a panel edit that changed none of them is no undo step."""
    da, db = a.dataset, b.dataset
    same_data = da is db or (da.spec is not None and da.spec == db.spec)
    return same_data and (a.spec, a.config, a.seed) == (b.spec, b.config, b.seed)


def _num(v) -> str:
    return f"{v:g}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)


def _batch(size: int) -> str:
    return "full batch" if size == 0 else f"{size:,}"  # as the panel's Batch size shows it


def _regularization(config) -> str:
    """The panel's Regularization and its rate: "none", "L2 0.001"."""
    parts = [f"{name} {rate:g}" for name, rate in (("L1", config.l1), ("L2", config.l2)) if rate]
    return " + ".join(parts) or "none"


def describe_change(before: Problem, after: Problem) -> str:
    """What the user changed from ``before`` to ``after``, in a few words for the Edit menu
    ("hidden layer 2: 10 -> 7 units", "data set moons -> circles"); "" if nothing named."""
    changes: list[str] = []
    arrow = " \u2192 "
    a, b = before.source, after.source
    if before.dataset is not after.dataset:
        if isinstance(a, DataSpec) and isinstance(b, DataSpec):
            a, b = a.resolved(), b.resolved()
            if a.name != b.name:
                changes.append(f"data set {a.name}{arrow}{b.name}")
            else:
                for field, name in (("samples", "points"), ("noise", "noise"), ("seed", "seed"),
                                    ("test_fraction", "test fraction"), ("classes", "classes")):
                    x, y = getattr(a, field), getattr(b, field)
                    if x != y:
                        changes.append(f"{name} {_num(x)}{arrow}{_num(y)}")
        elif isinstance(b, DataSpec):
            changes.append(f"data set {b.name}")
        else:
            changes.append(f"data: {after.dataset.name}")
    s, t = before.spec, after.spec
    if len(s.hidden) != len(t.hidden):
        more = len(t.hidden) > len(s.hidden)
        changes.append(f"{'add' if more else 'remove'} a hidden layer "
                       f"({len(s.hidden)}{arrow}{len(t.hidden)})")
    else:
        for i, (w0, w1, f0, f1) in enumerate(zip(s.hidden, t.hidden, s.activations,
                                                  t.activations)):
            if w0 != w1:
                changes.append(f"hidden layer {i + 1}: {w0}{arrow}{plural(w1, 'unit')}")
            if f0 != f1:
                changes.append(f"hidden layer {i + 1}: {f0}{arrow}{f1}")
    for field, name in (("output_activation", "output activation"),
                        ("init_scheme", "initial weights")):
        x, y = getattr(s, field), getattr(t, field)
        if x != y:
            changes.append(f"{name} {x}{arrow}{y}")
    c, d = before.config, after.config
    # In the panel's words: batch size 0 is "full batch", L1/L2 are one Regularization choice.
    for field, name in (("loss", "loss"), ("optimizer", "optimizer"),
                        ("learning_rate", "learning rate")):
        x, y = getattr(c, field), getattr(d, field)
        if x != y:
            changes.append(f"{name} {_num(x)}{arrow}{_num(y)}")
    if c.batch_size != d.batch_size:
        changes.append(f"batch size {_batch(c.batch_size)}{arrow}{_batch(d.batch_size)}")
    if (c.l1, c.l2) != (d.l1, d.l2):
        kinds = [tuple(bool(r) for r in (x.l1, x.l2)) for x in (c, d)]
        if kinds[0] == kinds[1] and sum(kinds[0]) == 1:  # only the rate changed
            changes.append(f"regularization rate {c.l1 or c.l2:g}{arrow}{d.l1 or d.l2:g}")
        else:
            changes.append(f"regularization {_regularization(c)}{arrow}{_regularization(d)}")
    if not changes and before.seed != after.seed:
        changes.append(f"seed {before.seed}{arrow}{after.seed}")
    if len(changes) > 2:
        return ", ".join(changes[:2]) + f" and {len(changes) - 2} more"
    return ", ".join(changes)


class AppliedCommand(QUndoCommand):
    """An edit that is already made when it is pushed (QUndoStack.push calls redo: the first
    call does nothing); undo and redo hand the state before or after it to ``put``."""

    def __init__(self, text: str, before, after) -> None:
        super().__init__(text)
        self.before, self.after = before, after
        self._applied = True

    def put(self, value, undoing: bool) -> None:
        raise NotImplementedError

    def change(self) -> str:
        """What the step changed, as Quit names it among the changes not saved."""
        return self.text()

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.put(self.after, undoing=False)

    def undo(self) -> None:
        self.put(self.before, undoing=True)


class ProblemCommand(AppliedCommand):
    """One edit: the problem before and after it, and the runs trained on each side (the
    window's ``replaced_run`` when a side was left): undo and redo bring back the trained run,
    its epochs and record, where it was kept, else a fresh model of the side's settings.
    The file of each side's run comes back with it (the actions' ``left_file`` when it was
    left): Save writes there again, and only there."""

    def __init__(self, actions: "UndoMixin", text: str, before: Problem,
                 after: Problem, kept: dict | None = None,
                 then: Callable[[bool], None] | None = None) -> None:
        super().__init__(text, before, after)
        self.actions = actions
        # The very dict (filled when the capture comes back; empty now, so not ``kept or {}``).
        self.kept = {"before": {} if kept is None else kept, "after": {}}
        # The epoch of each side's trained run when Undo let it go (KEPT_RUNS), else None:
        # said when that side comes back as a fresh model.
        self.let_go: dict[str, int | None] = {"before": None, "after": None}
        self.then = then  # called with ``undoing`` once a side is back (an exercise's panel)
        # (path, (the epoch and Undo step it was saved at)) of each side's run; None: no file.
        self.files = {"before": getattr(actions, "left_file", None), "after": None}

    def put(self, value: Problem, undoing: bool) -> None:
        target, leaving = ("before", "after") if undoing else ("after", "before")
        kept, run_id = self.kept[target], self.actions.window.run_id
        let_go = self.let_go[target] if not kept else None
        # The problem of the run left, which may not be this step's side: a Reset of an
        # untrained run is no step of its own (a new seed), and Redo after R, R, training and
        # Undo brought the side's first run back fresh, at epoch 0, the one trained since
        # lost for good (review r21): the side is what was left, the kept run's own.
        left = self.actions.window.current_problem()
        self.actions.apply_state(value, kept)
        self.kept[leaving] = self.actions.window.replaced_run
        self.let_go[leaving] = None
        if self.actions.window.run_id != run_id:  # (not refused)
            setattr(self, leaving, left)
        if let_go is not None and self.actions.window.run_id != run_id:
            self.let_go[target] = None  # (said once: the fresh model is this side's run now)
            self.actions._tell_run_let_go(let_go, undoing)
        file = self.files[target]
        if self.actions.window.run_id != run_id:  # (not refused)
            self.files[leaving] = getattr(self.actions, "left_file", None)
            # The file's again if its run came back as it was, or a fresh model where the
            # file holds epoch 0; not a fresh model of a run that was let go.
            back = kept.get("session") is not None and same_problem(kept["problem"], value)
            if file is not None and (back or file[1][0] == 0):
                self.actions._put_file_state((*file, None))
        if self.then is not None:
            self.then(undoing)


class RunCommand(ProblemCommand):
    """Reset or Restart over a trained run: undo brings the run back (its epoch, branches and
    record), redo the fresh run again; the status says which (it said "reset: Ctrl+Z ..."
    still, the run back)."""

    saved: tuple | None = None  # (branch ends, Undo step) the run left was saved at (None: it was not)

    def put(self, value: Problem, undoing: bool) -> None:
        super().put(value, undoing)
        if undoing and self.saved is not None:  # Quit does not ask about a saved run
            self.actions._saved_mark = (self.actions.window.run_id, *self.saved)
        self.actions._status(f"Undo {self.text()}: the run is back." if undoing else
                             f"Redo {self.text()}: Ctrl+Z brings the run back.", 10000)


class PointsCommand(AppliedCommand):
    """Points added or deleted on the plot: the run goes on on the edited points; undo puts the
    points back the same way (no new run either)."""

    def __init__(self, actions, text: str, before, after) -> None:
        super().__init__(text, before, after)
        self.actions = actions

    def put(self, value, undoing: bool) -> None:
        self.actions._put_points(value, f"{'undo' if undoing else 'redo'}: {self.text()}")


class LearningRateCommand(AppliedCommand):
    """A new learning rate, applied to the running model (no reset), undone the same way --
    on the branch it was made on: switched back to first if the user has shown another since
    (the undo set the rate of whichever branch was live, one nobody had changed), its name in
    the Edit menu's text while another is shown. A branch no longer in the run: said, and no
    rate changes."""

    def __init__(self, actions: "UndoMixin", before: float, after: float,
                 branch: str | None = None) -> None:
        self.rates = f"learning rate {before:g} \u2192 {after:g}"
        super().__init__(self.rates, before, after)
        self.actions, self.branch = actions, branch

    def put(self, value: float, undoing: bool) -> None:
        w, branch = self.actions.window, self.branch
        s = w.last_snapshot
        live = s.branch if s is not None and s.run_id == w.run_id else None
        if branch is None or live is None or branch == live:
            self.actions._set_rate(value)
            return
        what = f"{'undo' if undoing else 'redo'} {self.rates}"
        if branch not in (b.name for b in s.branches):
            self.actions._status(f"{what}: the branch {branch} is no longer there; no rate "
                                 "was changed.", 10000)
            return
        self.actions._set_rate(value, branch)
        self.actions._status(f"{what}: back on {branch}, at {value:g}.", 10000)

    def shown(self, branch: str | None) -> None:
        """``branch`` is the one shown: the text names this one's if it is another."""
        other = self.branch is not None and branch is not None and branch != self.branch
        self.setText(f"{self.rates} on {self.branch}" if other else self.rates)

    def renamed(self, old: str, new: str) -> None:
        new = branch_name(new)
        if new and self.branch == old:
            self.branch = new


class WeightsCommand(AppliedCommand):
    """Hand-edited weights: undo puts the edited entries back to their old values in the
    weights of now (training may have gone on since), redo puts the new values back. After
    training on, the status line says that only those entries went back: a reviewer read "the
    weights before it are back" and took the mix (the old entry, every other weight trained
    on) for the model from before the edit."""

    def __init__(self, actions: "UndoMixin", before, after) -> None:
        super().__init__("", None, None)  # the changed entries are kept, not whole weights
        self.actions = actions
        s = actions.window.last_snapshot
        self.epoch = s.live_epoch if s is not None else None  # the epoch of the edit
        self.changes = [(k, j, np.flatnonzero(np.asarray(a).ravel() != np.asarray(b).ravel()),
                         np.asarray(a).ravel().copy(), np.asarray(b).ravel().copy())
                        for k, (pa, pb) in enumerate(zip(before, after))
                        for j, (a, b) in enumerate(zip(pa, pb))]
        self.changes = [c for c in self.changes if len(c[2])]
        self.setText(self._name(before))

    def _name(self, before) -> str:
        n = sum(len(c[2]) for c in self.changes)
        if n != 1:
            return f"edit {n} weights"
        k, j, where, a, b = self.changes[0]
        i = int(where[0])
        if j == 0:
            row, col = np.unravel_index(i, np.shape(before[k][0]))
            what = f"weight w{k + 1}[{row + 1}, {col + 1}]"
        else:
            what = f"bias b{k + 1}[{i + 1}]"
        return f"{what} {a[i]:.4g} \u2192 {b[i]:.4g}"

    def put(self, value, undoing: bool) -> None:
        now = self.actions.window.last_snapshot
        if now is None:
            return
        params = [[np.array(x, copy=True) for x in layer] for layer in now.params]
        for k, j, where, a, b in self.changes:
            flat = params[k][j].reshape(-1)
            flat[where] = (a if undoing else b)[where]
        if self.actions._set_weights([tuple(layer) for layer in params]):
            # said, as undoing a Reset is (the weights plot's change is small to see)
            since = now.live_epoch - self.epoch if self.epoch is not None else 0
            n = sum(len(c[2]) for c in self.changes)
            if not undoing:
                said = f"Redo {self.text()}: Ctrl+Z takes it back."
            elif since > 0:
                said = (f"Undo {self.text()}: {'that entry is' if n == 1 else 'those entries are'}"
                        f" back; every other weight keeps the {since:,} epoch{'s' * (since != 1)} "
                        "trained since the edit.")
            else:
                said = f"Undo {self.text()}: the weights before it are back."
            self.actions._status(said, 10000)


class BranchCommand(AppliedCommand):
    """"Continue from here": undo goes back to the branch before and takes the new one out of
    the run, kept here for Redo; a new branch that has trained epochs of its own stays in the
    run's list instead (an Undo loses nothing trained), and redo makes it live again. Before
    this was a step, Ctrl+Z after a branch undid the step before it ("Undo open s1.nnviz")."""

    def __init__(self, actions: "UndoMixin", name: str, parent: str, epoch: int) -> None:
        super().__init__(f"continue from here (epoch {epoch:,})", None, None)
        self.actions, self.name, self.parent, self.epoch = actions, name, parent, epoch
        self.log = None  # the branch taken out of the run (undone), for redo

    def put(self, value, undoing: bool) -> None:
        worker, say = self.actions.window.worker, self.actions._status

        def taken(result: tuple) -> None:
            how, got = result
            if how == "removed":
                self.log = got
                say(f"Undo {self.text()}: back on {self.parent}; {self.name} is removed "
                    "(Redo brings it back).", 10000)
            elif how == "kept":
                say(f"Undo {self.text()}: back on {self.parent}; {self.name} stays in the "
                    f"branch list with its {got:,} epochs of its own.", 10000)
            else:
                say(f"Undo {self.text()}: the branch {self.name} is no longer there.", 10000)

        def put_back(name: str | None) -> None:
            self.log = None if name is not None else self.log
            if name is not None:
                self.name = name
            say(f"Redo {self.text()}: on {name} again." if name is not None else
                f"Redo {self.text()}: the branch {self.name} cannot come back (the run keeps "
                f"at most {MAX_BRANCHES} branches, or it is no longer there).", 10000)

        if undoing:
            worker.take_branch(self.name, self.parent, taken)
        else:
            worker.put_branch(self.name, self.log, put_back)

    def change(self) -> str:
        return f"a new branch, {self.name} (continued from epoch {self.epoch:,})"

    def renamed(self, old: str, new: str) -> None:
        new = branch_name(new)
        if new and self.name == old:
            self.name = new
        if new and self.parent == old:
            self.parent = new


class DeleteBranchCommand(AppliedCommand):
    """Delete branch: undo puts the branch back in the run, live as it was when deleted, with
    its record, its end and its colour; redo deletes it again."""

    def __init__(self, actions: "UndoMixin", name: str, log) -> None:
        super().__init__(f"delete branch {name}", None, None)
        self.actions, self.name = actions, name
        self.log = log  # the branch out of the run (None while it is back in it)

    def put(self, value, undoing: bool) -> None:
        worker, say = self.actions.window.worker, self.actions._status

        def put_back(name: str | None) -> None:
            if name is None:
                say(f"Undo {self.text()}: the branch cannot come back (the run keeps at most "
                    f"{MAX_BRANCHES} branches).", 10000)
                return
            self.name, self.log = name, None
            say(f"Undo {self.text()}: {name} is back.", 10000)

        def deleted(log) -> None:
            self.log = log
            say(f"Redo {self.text()}.", 10000)

        if undoing and self.log is not None:
            worker.put_branch(self.name, self.log, put_back)
        elif not undoing and self.log is None:
            worker.delete_branch(self.name, deleted)

    def change(self) -> str:
        return f"the branch {self.name} deleted"

    def renamed(self, old: str, new: str) -> None:
        new = branch_name(new)
        if new and self.name == old:
            self.name = new


class RenameBranchCommand(AppliedCommand):
    """Rename branch: undo gives the branch its old name back, redo the new one again. The
    steps before it that name the branch follow each way (UndoMixin._branch_renamed)."""

    def __init__(self, actions: "UndoMixin", old: str, new: str) -> None:
        super().__init__(f"rename branch {old} to {new}", old, new)
        self.actions = actions

    def put(self, value, undoing: bool) -> None:
        name = self.after if undoing else self.before
        self.actions.window.worker.rename_branch(name, value)
        self.actions._rename_in_steps_before(self, name, value)
        self.actions._status(f"{'Undo' if undoing else 'Redo'} {self.text()}.", 10000)


class UndoMixin:
    """Undo and redo of whole problems (architecture, data, settings), the presets, the
    learning rate and edited weights."""

    _undoing = False  # an undo or redo is applying a rate or weights: not a new step

    def apply_state(self, state: Problem, kept: dict | None = None) -> None:
        """Load ``state`` into the window (undo / redo): the run ``kept`` of it (see
        ProblemCommand) where there is one, else a fresh run."""
        if self._restore_run(state, {} if kept is None else kept):
            return
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error("Cannot restore", str(e))
            return
        self._current = state
        self._update_edit_toolbar()

    def _bound_kept_runs(self, index: int) -> None:
        """The undo stack has moved to ``index``: of the trained runs its steps hold, the
        :data:`KEPT_RUNS` nearest ``index`` are kept, the others let go (the status bar says
        so when Undo or Redo comes back to one of them). Untrained runs hold nothing and count for nothing: five untrained networks
        no longer pushed a trained run out (a reviewer lost 1,225 epochs to five "+ Add layer"
        and five Ctrl+Z)."""
        stack = self.undo_stack
        held = []  # (steps from index, command, side) of each trained run kept
        for i in range(stack.count()):
            command = stack.command(i)
            if not isinstance(command, ProblemCommand):
                continue
            # Command i's "before" side is at index i of the stack, its "after" at i + 1. The
            # side away from the present holds its run as it was last left; the side towards
            # it a stale copy (of the live run, or of one captured again since, when it was
            # left the other way), which no undo or redo uses before it is captured again.
            side, stale = ("before", "after") if i < index else ("after", "before")
            command.kept[stale] = {}
            if command.kept[side]:
                held.append((abs(i + (side == "after") - index), command, side))
        held.sort(key=lambda h: h[0])
        # A run let go is said when Undo or Redo comes back to it as a fresh model, not now:
        # said at each preset or lesson loaded after four trained runs, "Undo keeps 4 trained
        # runs: the run at epoch 1,000 will come back untrained. To keep…" was noise in front
        # of a class, about a run nobody had asked for and that nothing could keep any more.
        for _, command, side in held[KEPT_RUNS:]:
            command.let_go[side] = int(command.kept[side].get("epoch", 0))
            command.kept[side].clear()  # in place: a capture still under way is not kept
            command.kept[side] = {}
        # The stack's UNDO_LIMIT drops its first step when one more is pushed: a trained run
        # that step kept goes with it.
        bottom = self._bottom_run
        if bottom is not None and stack.count() == UNDO_LIMIT and \
                stack.command(0) is not bottom[0]:
            self._tell_runs_let_go([bottom[1:]], f"Undo keeps {UNDO_LIMIT} steps", dropped=True)
        first = stack.command(0) if stack.count() else None
        self._bottom_run = None
        if isinstance(first, ProblemCommand) and first.kept["before"]:
            self._bottom_run = (first, first.kept["before"].get("epoch", 0), first.text(),
                                "before")

    _bottom_run: tuple | None = None  # the first step of the stack and the trained run it keeps

    def _tell_runs_let_go(self, gone: list[tuple[int, str, str]], why: str,
                          dropped: bool = False) -> None:
        """The status bar says which trained runs Undo no longer keeps ((epoch, step, side) of
        each), ``why`` ("Undo keeps 4 trained runs"), and what to do about it, in a line that
        fits the status bar at 1024 px. It was one long sentence naming each step ("before
        “data set moons -> line, remove a hidden layer (3 -> 0) and 2 more”) now comes back
        untrained; Save session keeps a run. — Data changed: a fresh model 2 -> 4 ->...") that
        a reviewer found confusing, cut off mid-word. ``dropped``: the step itself left the
        stack (its run cannot be undone to at all), else it comes back untrained."""
        epochs = [g[0] for g in gone]
        if len(epochs) == 1:
            runs = f"the run at epoch {epochs[0]:,}"
        elif len(set(epochs)) == 1:
            runs = f"{len(epochs)} runs at epoch {epochs[0]:,}"
        else:
            shown = [f"{e:,}" for e in epochs[:3]]
            more = f" and {len(epochs) - 3} more" if len(epochs) > 3 else ""
            listed = ", ".join(shown[:-1]) + " and " + shown[-1] if not more \
                else ", ".join(shown) + more
            runs = f"the runs at epochs {listed}"
        fate = "can no longer be undone to" if dropped else "will come back untrained"
        note = f"{why}: {runs} {fate}. To keep a run, save the session."

        def show() -> None:
            # After what the step said, where that fits the bar beside it; else alone (the
            # step's news shows in its panel too). An earlier note of this kind is replaced.
            said = self.window.statusBar().currentMessage()
            if said.endswith(NOTE_MARK):
                said = said.rpartition(NOTE_GAP)[0]
            both = f"{said}{NOTE_GAP}{note}" if said else note
            self._status(both if said and fits_status_bar(self.window, both) else note, 20000)
        QTimer.singleShot(0, self.window, show)  # after the step's own message

    def _tell_run_let_go(self, epoch: int, undoing: bool) -> None:
        """Undo (``undoing``) or Redo came back to a step whose trained run (at ``epoch``) it
        had let go: the fresh model in its place is said, and why."""
        what = "Undo" if undoing else "Redo"
        note = (f"{what}: a fresh model, not the run at epoch {epoch:,} (Undo keeps the last "
                f"{KEPT_RUNS} trained runs; Save keeps a run).")
        QTimer.singleShot(0, self.window, lambda: self._status(note, 20000))

    def _restore_run(self, state: Problem, kept: dict) -> bool:
        """The trained run ``kept`` of ``state`` back in the window; False if there is none."""
        if kept and "session" not in kept:
            self._wait_for_capture(kept)
        session = kept.get("session")
        if session is None or not same_problem(kept["problem"], state):
            return False
        try:
            trainer = session.make_trainer()
            run = session.make_run()
        except USER_ERRORS:
            return False
        if session.class_names:  # the data set is a new object: its names go with it
            self._class_names[trainer.data] = session.class_names
        self.window.load_trainer(trainer, run if run is not None else session.history,
                                 session.test_epochs, session.test_values)
        # As it was seen: the epoch shown and a rate typed there (_keep_the_run captures them).
        self.window.put_back_view(session.shown_epoch, session.pending_learning_rate)
        self._current = state
        self._update_edit_toolbar()
        return True

    def _wait_for_capture(self, kept: dict, timeout_ms: int = 120_000) -> None:
        """Until the worker has captured the run ``kept`` is for (it comes back as an event;
        Ctrl+Z pressed again at once came to it before), at most ``timeout_ms``, under a busy
        cursor. The user's input waits meanwhile: no second undo runs inside this one. (10 s
        was too short behind an epoch that cannot be interrupted, or a compile on a loaded
        machine: Undo then brought a fresh model, the trained run lost.)"""
        clock = QElapsedTimer()
        clock.start()
        flags = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            while kept and "session" not in kept and clock.elapsed() < timeout_ms:
                QApplication.processEvents(flags, 20)
        finally:
            QApplication.restoreOverrideCursor()

    def _load(self, text: str, state: Problem,
              then: Callable[[bool], None] | None = None) -> bool:
        """Apply a new problem as one undoable step; False (and a message) if it does not fit.
        ``then(undoing)`` follows each undo and redo of it (see ProblemCommand)."""
        before = self._current
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error(f"Cannot apply the {text}", str(e))
            return False
        self._current = state
        self.undo_stack.push(ProblemCommand(self, text, before, state,
                                            self.window.replaced_run, then))
        self._update_edit_toolbar()
        return True

    def run_replaced(self, text: str, before: Problem, after: Problem, kept: dict,
                     run_id: int) -> None:
        """Reset or Restart (``text``) left a trained run, ``kept`` (the window's
        ``replaced_run``; ``run_id`` its id): one undo step that brings it back, and the
        status says so."""
        self._current = after
        command = RunCommand(self, text, before, after, kept)
        mark = self._saved_mark
        if mark is not None and mark[0] == run_id:
            command.saved = mark[1:]
        self.undo_stack.push(command)
        self._update_edit_toolbar()
        self._status(f"{text[:1].upper()}{text[1:]}: Ctrl+Z brings the run back.", 10000)

    def _branched(self, name: str, parent: str, epoch: int) -> None:
        """"Continue from here" made branch ``name``: an Undo step. Paused, it trains nothing
        yet: said, with the key that does (a newcomer saw no change and no word)."""
        self.undo_stack.push(BranchCommand(self, name, parent, epoch))
        self._update_edit_toolbar()
        then = "it trains on" if self.window.playing else "Play (Space) trains it"
        self._status(f"Made the branch {name} at epoch {epoch:,} of {parent}: {then}; "
                     "Ctrl+Z takes it back.", 10000)

    def _branch_deleted(self, name: str, log) -> None:
        """Delete branch: an Undo step that brings it back."""
        self.undo_stack.push(DeleteBranchCommand(self, name, log))
        self._update_edit_toolbar()
        self._status(f"Deleted the branch {name}: Ctrl+Z brings it back.", 10000)

    def _branch_renamed(self, old: str, new: str) -> None:
        """Rename branch (the timeline's menu): an Undo step of its own."""
        step = RenameBranchCommand(self, old, new)
        self.undo_stack.push(step)
        self._rename_in_steps_before(step, old, new)
        self._update_edit_toolbar()
        self._status(f"Renamed the branch {old} to {new}: Ctrl+Z takes it back.", 10000)

    def _rename_in_steps_before(self, step: QUndoCommand, old: str, new: str) -> None:
        """The steps before ``step`` that name branch ``old`` name it ``new``. The steps after
        it were made under the name it gives and run only while it holds; a rename before it
        runs only once it is undone, so keeps the names it had."""
        for i in range(self.undo_stack.count()):
            command = self.undo_stack.command(i)
            if command is step:
                return
            if isinstance(command, (BranchCommand, DeleteBranchCommand, LearningRateCommand)):
                command.renamed(old, new)

    def _branch_drawn(self, s) -> None:
        """Each drawn snapshot: once another branch of the run is shown, the rate the undo
        steps start from is its own (Undo after a rate change there went back to the other
        branch's), and the rate steps of other branches name theirs in the Edit menu."""
        w = self.window
        if s.run_id != w.run_id or s.branch == self._branch_shown:
            return
        self._branch_shown = s.branch
        lr = w.current_problem().config.learning_rate
        if lr != self._current.config.learning_rate:
            self._current = replace(self._current,
                                    config=replace(self._current.config, learning_rate=lr))
        for i in range(self.undo_stack.count()):
            command = self.undo_stack.command(i)
            if isinstance(command, LearningRateCommand):
                command.shown(s.branch)
        # The Edit menu's texts follow (the stack says a text only when its index moves).
        self.undo_stack.undoTextChanged.emit(self.undo_stack.undoText())
        self.undo_stack.redoTextChanged.emit(self.undo_stack.redoText())

    def _panel_edited(self, text: str) -> None:
        now = self.window.current_problem()
        if same_problem(now, self._current):
            return  # the window refused the edit, or nothing changed
        before, self._current = self._current, now
        self.undo_stack.push(ProblemCommand(self, describe_change(before, now) or text,
                                            before, now, self.window.replaced_run))
        self._update_edit_toolbar()

    def _learning_rate_changed(self, *_) -> None:
        before = self._current.config.learning_rate
        self._current = replace(self._current, config=self.window.current_problem().config)
        after = self._current.config.learning_rate
        if after != before and not self._undoing:
            s, w = self.window.last_snapshot, self.window
            branch = s.branch if s is not None and s.run_id == w.run_id else None
            self.undo_stack.push(LearningRateCommand(self, before, after, branch))
            self._update_edit_toolbar()

    def _set_rate(self, lr: float, branch: str | None = None) -> None:
        self._undoing = True
        try:
            self.window.set_learning_rate(lr, branch)
            self._current = replace(self._current,
                                    config=replace(self._current.config, learning_rate=lr))
        finally:
            self._undoing = False
        self._update_edit_toolbar()

    def _weights_edited(self, before, after) -> None:
        if not self._undoing and before is not None:
            command = WeightsCommand(self, before, after)
            if command.changes:
                self.undo_stack.push(command)
                self._update_edit_toolbar()

    def _set_weights(self, params) -> bool:
        """Put ``params`` in the run; False (and a message) if they do not fit."""
        self._undoing = True
        try:
            self.window.set_params(params)
        except USER_ERRORS as e:
            self.show_error("Cannot restore the weights", str(e))
            return False
        finally:
            self._undoing = False
        return True

    def load_preset(self, p: presets.Preset) -> bool:
        try:
            problem = p.problem()
        except USER_ERRORS as e:
            self.show_error(f"Preset {p.title}", str(e))
            return False
        # A preset (a lesson's "Try it live" too) replaces the whole problem: an exercise open
        # over it graded the preset's run ("now 100%; 1 hidden layer" over XOR's data under
        # "Sigmoid saturation"). It leaves the exercise, as Open does; Ctrl+Z brings both back.
        ex_actions = getattr(self.window, "exercise_actions", None)
        exercise = ex_actions.state() if ex_actions is not None else None
        then = None
        if exercise is not None:
            def then(undoing: bool) -> None:
                ex_actions.put_back(exercise if undoing else None)
                title = f"“{exercise[0].title}”"
                self._status(f"Undo preset “{p.title}”: the exercise {title} is "
                             "back." if undoing else f"Redo preset “{p.title}”: "
                             f"closed the exercise {title}; Ctrl+Z brings it back.", 10000)
        ok = self._load(f"preset “{p.title}”", problem, then)
        if ok:
            if exercise is not None:
                ex_actions.close_exercise()
            self.window.set_stop_at(p.epochs)
            self.announce_preset(p)
            self.window.take_keys()  # the Space the note asks for plays (MainWindow.take_keys)
            if exercise is not None:
                self._status(f"Closed the exercise: the preset “{p.title}” replaced its "
                             "problem. Ctrl+Z brings both back.", 10000)
        return ok

    def announce_preset(self, p: presets.Preset, trained: bool = False) -> None:
        """The note over the plot for the preset ``p`` just loaded: its title, what it shows
        beside the notebook (its note), and where Play stops. ``trained``: the run is trained
        without Play (``nnviz --screenshot --preset spiral --epochs 300``): the note says where
        the result shows, not "Press Play (Space)" over a picture trained 300 epochs."""
        head = sentence(p.title) + (f" {sentence(p.note)}" if p.note else "")
        self.last_message = (f"{head} The result shows at epoch {p.epochs:,}." if trained else
                             f"{head} Press Play (Space): it stops at epoch {p.epochs:,}, "
                             "where the result shows.")
        self.window.show_hint(self.last_message,
                              (p.epochs, f"{head} The result shows at epoch {p.epochs:,}.",
                               f"{head} Stopped at epoch {p.epochs:,}: this is the result. "
                               "Play (Space) trains on past it."),
                              preset=p.title)
