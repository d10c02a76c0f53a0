"""Undo and redo of whole problems (architecture, data, settings), and the presets.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from nnviz.core import presets
from nnviz.core.errors import NnvizError
from nnviz.core.problem import Problem


USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

UNDO_LIMIT = 100
def same_problem(a: Problem, b: Problem) -> bool:
    """The same data (the same generator settings, or the very points), network, settings and
    seed: a panel edit that changed none of them is no undo step."""
    da, db = a.dataset, b.dataset
    same_data = da is db or (da.spec is not None and da.spec == db.spec)
    return same_data and (a.spec, a.config, a.seed) == (b.spec, b.config, b.seed)


class ProblemCommand(QUndoCommand):
    """One edit: the problem before and after it. The edit is already applied when pushed."""

    def __init__(self, actions: "UndoMixin", text: str, before: Problem,
                 after: Problem) -> None:
        super().__init__(text)
        self.actions, self.before, self.after = actions, before, after
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo; the edit happened already
            self._applied = False
            return
        self.actions.apply_state(self.after)

    def undo(self) -> None:
        self.actions.apply_state(self.before)




class UndoMixin:
    """Undo and redo of whole problems (architecture, data, settings), and the presets."""

    def apply_state(self, state: Problem) -> None:
        """Load ``state`` into the window (undo / redo)."""
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error("Cannot restore", str(e))
            return
        self._current = state
        self._update_edit_toolbar()

    def _load(self, text: str, state: Problem) -> bool:
        """Apply a new problem as one undoable step; False (and a message) if it does not fit."""
        before = self._current
        try:
            self.window.load_problem(state)
        except USER_ERRORS as e:
            self.show_error(f"Cannot apply the {text}", str(e))
            return False
        self._current = state
        self.undo_stack.push(ProblemCommand(self, text, before, state))
        self._update_edit_toolbar()
        return True

    def _panel_edited(self, text: str) -> None:
        now = self.window.current_problem()
        if same_problem(now, self._current):
            return  # the window refused the edit, or nothing changed
        before, self._current = self._current, now
        self.undo_stack.push(ProblemCommand(self, text, before, now))
        self._update_edit_toolbar()

    def _learning_rate_changed(self, *_) -> None:
        self._current = replace(self._current, config=self.window.current_problem().config)

    def load_preset(self, p: presets.Preset) -> bool:
        try:
            problem = p.problem()
        except USER_ERRORS as e:
            self.show_error(f"Preset {p.title}", str(e))
            return False
        ok = self._load(f"preset “{p.title}”", problem)
        if ok:
            self.window.set_stop_at(p.epochs)
            self.last_message = (f"{p.title}. Press Play (Space): it stops at epoch "
                                 f"{p.epochs:,}, where the result shows.")
            self.window.show_hint(self.last_message)
        return ok
