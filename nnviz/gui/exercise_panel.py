"""The exercise panel: the task, its goals met or not (live), hints one by one, the solution.

``install(window)`` adds File -> Exercises (the shipped ones), Open exercise..., Save as
exercise..., and ``window.open_exercise(path)`` (``nnviz --exercise``). Opening an exercise
loads its problem as a fresh run, locks or hides the controls it names and shows the panel
above the plots; every snapshot drawn checks the goals against the model on screen.
"""
from __future__ import annotations

import html
import os
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QPalette, QShortcut
from PySide6.QtWidgets import (QApplication, QFormLayout, QFrame, QHBoxLayout, QInputDialog,
                               QLabel, QMenu, QMessageBox, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from nnviz.core import exercises
from nnviz.core.errors import NnvizError, sentence
from nnviz.core.exercises import Exercise, GoalStatus
from nnviz.core.problem import Problem
from nnviz.core.snapshot import Snapshot
from nnviz.core.training import Metrics

from . import colors
from .actions.imports import DATA_KEPT
from .file_dialog import ask_file, start_folder
from .widgets import add_layout

MET, NOT_MET = "\u2714", "\u2718"
#: Each goal's state in words beside its mark: the marks alone were told apart mostly by their
#: red and green (review r13). Its row says "Goal", in place of a "Goals" heading: the words
#: cost the moons' goal a second line at 1280x720 in presentation mode, and the heading's line
#: pays for it (the task would have scrolled).
MET_WORDS, NOT_MET_WORDS = "Goal met", "Goal not yet met"
MISSED_WORDS = "Goal not met"  # its epochs used up (GoalStatus.final)
TITLE_SCALE = 1.15  # the title's size, of the text's
LARGE_TEXT = 1.3  # ... but at this many times the normal text or more, the text's (bold)
NOT_MEASURED = Metrics(*(4 * [float("nan")]))  # before the first snapshot
PENDING = "not measured yet: the model is compiling"  # ... the goal line's words then


def _panel_colours() -> dict[str, str]:
    """The panel's colours in the current theme: its ground, the goals' marks, the notes."""
    t = colors.theme()
    if t.dark:
        return {"ground": colors.hex_of(t.background), "rim": "#4a5058", "met": "#6fd08a",
                "not_met": "#ff8a80", "note": "#b8b8b8", "text": colors.hex_of(t.text)}
    return {"ground": "#f3f7fb", "rim": "#c9d8e6", "met": "#1b7a2f", "not_met": "#8c1d18",
            "note": "#555555", "text": colors.hex_of(t.text)}


class ExercisePanel(QFrame):
    """What the student reads: title, task, goals, hints, solution; the buttons above them. It
    is a tab of the left column (:class:`~nnviz.gui.columns.SideTabs`), as tall as the settings
    beside it: the text scrolls only when the hints and the solution outgrow even that. It only
    draws; the :class:`ExerciseActions` decide what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExercisePanel")
        self.title = QLabel()
        self.title.setObjectName("ExerciseTitle")
        self.title.setWordWrap(True)
        self.task = QLabel()
        self.task.setWordWrap(True)
        self.task.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.goals = QLabel()
        self.goals.setWordWrap(True)
        self.goals.setTextFormat(Qt.TextFormat.RichText)
        self.goals.setToolTip("The exercise's goals, checked on the model shown: "
                              f"{MET} met, {NOT_MET} not yet.")
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        self.hints.hide()
        self.solution = QLabel()
        self.solution.setWordWrap(True)
        self.solution.setTextFormat(Qt.TextFormat.RichText)
        self.solution.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.solution.hide()
        self.hint_button = QPushButton("Hint")
        self.hint_button.setToolTip("Reveal the next hint, one at a time.")
        self.solution_button = QPushButton("Solution")
        self.solution_button.setToolTip("Show what solves the exercise and why it works.")
        self.apply_button = QPushButton("Apply it")
        self.apply_button.setToolTip("Load the solution's network and settings as a fresh run "
                                     "(undo with Ctrl+Z).")
        self.apply_button.hide()
        self.restart_button = QPushButton("Start over")
        self.restart_button.setToolTip("Load the exercise's starting problem again.")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Leave the exercise: every control is free again.")
        self._statuses: list[GoalStatus] = []

        self.body = body = QWidget()
        body.setObjectName("ExerciseBody")
        v = QVBoxLayout(body)
        v.setContentsMargins(8, 4, 8, 4)
        v.setSpacing(4)
        for label in (self.title, self.task, self.hints, self.solution):
            v.addWidget(label)
        v.addStretch(1)
        # The goals' live line under the text, never scrolled away: with the hints and the
        # solution shown, "✘ test accuracy at least 95%" had scrolled out of sight at 1024x768.
        self.goals_box = QWidget()
        self.goals_box.setObjectName("ExerciseGoals")
        g = QVBoxLayout(self.goals_box)
        g.setContentsMargins(8, 4, 8, 2)
        g.addWidget(self.goals)
        self._reveal: QWidget | None = None  # the hint or solution to keep in sight (text_changed)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # One row where the five buttons fit, two where they do not (presentation mode's
        # larger text in a narrow column). At the panel's top, above the text: under the goals
        # each hint shown pushed "Hint (n left)" ~18 px down, the panel growing by its lines,
        # and a second click at the same place missed (review r22 F3).
        self.buttons = QVBoxLayout()
        self.buttons.setContentsMargins(8, 6, 8, 2)
        self.buttons.setSpacing(4)
        self._button_rows = (QHBoxLayout(), QHBoxLayout())
        for row in self._button_rows:
            add_layout(self.buttons, row)
        self._rows = 0
        self._arrange_buttons()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        add_layout(outer, self.buttons)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.goals_box)
        self.scroll.verticalScrollBar().rangeChanged.connect(lambda *_: self._show_revealed())
        self.apply_look()
        colors.follow(self, self.apply_look)

    def apply_look(self) -> None:
        """The panel's ground, text and the goals' marks in the current theme. A palette, not
        a style sheet: a style sheet stops the window's font reaching the panel (presentation
        mode's larger text)."""
        c = _panel_colours()
        pal = QPalette(self.palette())
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            pal.setColor(role, QColor(c["ground"]))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            pal.setColor(role, QColor(c["text"]))
        for w in (self, self.body, self.scroll.viewport(), self.goals_box):
            w.setAutoFillBackground(True)
            w.setPalette(pal)
        self._title_font()
        if self._statuses:
            self.show_goals(self._statuses, force=True)

    def _title_font(self) -> None:
        """The title bold, and larger than the text at the normal text size; at a larger one
        (presentation mode, View > Text size) bold at the text's size, which is large already:
        at 1024x768 in presentation mode its 1.15 times took "XOR without a hidden layer" to
        a second line, of the few the task has there."""
        font = QFont(self.font())
        font.setBold(True)
        if font.pointSizeF() < LARGE_TEXT * QApplication.font().pointSizeF():
            font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
        self.title.setFont(font)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode: the title grows too
            self._title_font()
            self._rows = 0
            self._arrange_buttons()

    def _button_list(self) -> list[QPushButton]:
        return [self.hint_button, self.solution_button, self.apply_button, self.restart_button,
                self.close_button]

    def _arrange_buttons(self) -> None:
        shown = [b for b in self._button_list() if not b.isHidden()]
        m = self.buttons.contentsMargins()
        spacing = max(self._button_rows[0].spacing(), 6)
        need = sum(b.sizeHint().width() for b in shown) + spacing * len(shown) \
            + m.left() + m.right()
        rows = 1 if need <= self.width() else 2
        if rows == self._rows:
            return
        self._rows = rows
        for row in self._button_rows:
            while row.count():
                row.takeAt(0)
        first, second = self._button_rows
        for b in self._button_list()[:3]:
            first.addWidget(b)
        first.addStretch(1)
        rest = first if rows == 1 else second
        if rows == 2:
            second.addStretch(1)
        for b in self._button_list()[3:]:
            rest.addWidget(b)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._arrange_buttons()

    def needed_height(self) -> int:
        """The height that shows the title, the task, the goals (and the hints and solution
        shown) and the buttons at the panel's width, without scrolling."""
        m = self.body.layout().contentsMargins()
        width = max(self.scroll.viewport().width(), 1)
        shown = [x for x in (self.title, self.task, self.hints, self.solution)
                 if not x.isHidden()]
        text = sum(x.heightForWidth(width - m.left() - m.right()) for x in shown)
        spacing = self.body.layout().spacing() * max(len(shown) - 1, 0)
        g = self.goals_box.layout().contentsMargins()
        goals = self.goals.heightForWidth(max(self.width(), 1) - g.left() - g.right()) \
            + g.top() + g.bottom()
        return text + spacing + m.top() + m.bottom() + goals + self.buttons.sizeHint().height()

    def text_changed(self) -> None:
        """A hint or the solution shown: scroll to it, now and as the text's new height is laid
        out (the scroll's range grows after this: scrolled at once, hint 2 stayed below the
        visible part, where hint 1 had ended)."""
        self._rows = 0
        self._arrange_buttons()  # "Apply it" came, "Hint (3 left)" became "No more hints"
        last = self.solution if not self.solution.isHidden() else self.hints
        self._reveal = last if not last.isHidden() else None
        if self._reveal is None:
            return
        self._show_revealed()
        QTimer.singleShot(0, self, self._show_revealed)  # once the body has its new height
        # Until the layouts have settled (a splitter giving the panel more height comes after):
        # then the reader's own scrolling stays where it is.
        QTimer.singleShot(500, self, self._forget_reveal)

    def _show_revealed(self) -> None:
        """The text revealed last in sight: the hints' end (the new one is last), the
        solution's end where it fits, else its start."""
        label = self._reveal
        if label is None or not label.isVisible():
            return
        bar, port = self.scroll.verticalScrollBar(), self.scroll.viewport().height()
        top = label.mapTo(self.body, label.rect().topLeft()).y()
        bottom = top + label.height()
        value = bar.value()
        if bottom > value + port:
            value = bottom - port if label is self.hints else min(top, bottom - port)
        elif top < value and label is self.solution:
            value = top
        bar.setValue(value)

    def _forget_reveal(self) -> None:
        self._reveal = None

    def show_goals(self, statuses: list[GoalStatus], force: bool = False) -> None:
        self._statuses = list(statuses)
        c = _panel_colours()
        rows = []
        for s in statuses:
            mark, colour = (f"{MET} {MET_WORDS}", c["met"]) if s.met \
                else (f"{NOT_MET} {MISSED_WORDS if s.final else NOT_MET_WORDS}", c["not_met"])
            rows.append(f"<span style='color:{colour}'><b>{mark}:</b></span> "
                        f"{html.escape(s.goal.describe())} "
                        f"<span style='color:{c['note']}'>({html.escape(s.detail)})</span>")
        text = "<br>".join(rows)
        if force or text != self.goals.text():  # a snapshot a frame: lay out only what changed
            self.goals.setText(text)

    def goals_summary(self) -> str:
        """'1/2 goals met' for the tab's title."""
        n = len(self._statuses)
        met = sum(s.met for s in self._statuses)
        return f"{met}/{n} goals met" if n else ""


class ExerciseActions(QObject):
    """The open exercise of one main window, its panel, locks and menu actions."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.exercise: Exercise | None = None
        self.path: str | None = None
        self.hints_shown = 0
        self._solution_asked = self._solved_by_solution = False
        self._import_refusal: QShortcut | None = None  # Import's key while it is locked
        self.statuses: list[GoalStatus] = []
        # (run id, branch) -> {goal index: the first epoch it was seen met}: a goal met within
        # its epoch limit stays met past it (_statuses).
        self._met_at: dict[tuple[int, str], dict[int, int]] = {}
        self._locked_run = -1  # the run whose controls were last locked
        self._applied_run: int | None = None  # the solution's run, while it is the run
        self.panel = ExercisePanel(window)  # (a top-level of its own outlived its window)
        self.panel.hide()
        self._apply_tip = self.panel.apply_button.toolTip()
        self._summary = ""
        p = self.panel
        p.hint_button.clicked.connect(self.reveal_hint)
        p.solution_button.clicked.connect(self.reveal_solution)
        p.apply_button.clicked.connect(self.apply_solution)
        p.restart_button.clicked.connect(self.start_over)
        p.close_button.clicked.connect(self._closed_by_user)
        window.snapshot_drawn.connect(self._on_snapshot)
        self._build_menu()

    # --- menus ---------------------------------------------------------------------------------

    def _action(self, text: str, tip: str, slot: Callable[[], None]) -> QAction:
        a = QAction(text, self.window)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(lambda checked=False: slot())
        return a

    def _build_menu(self) -> None:
        w = self.window
        menu, before = w.file_menu, w.close_action  # above Close window and Quit
        self.menu = QMenu("Exercises", w)  # its letter per menu: E under Lessons (access_keys)
        self.menu.setToolTipsVisible(True)
        for path, title, tip in exercises.builtin():
            a = self._action(title.replace("&", "&&"), tip,
                             lambda p=str(path): self._open_reporting(p))
            self.menu.addAction(a)
        self.open_action = self._action("Ope&n exercise...", "Open an exercise file (.toml).",
                                        self.open_dialog)
        self.save_action = self._action(
            "Sa&ve as exercise...", "Make an exercise that starts from the current data, "
            "network and settings (the goals, hints and solution of the exercise open now are "
            "kept; edit the file to change them).", self.save_dialog)
        menu.insertMenu(before, self.menu)
        lessons = getattr(w, "lessons_menu", None)
        if lessons is not None:  # where a learner looks for them too (not only under File)
            lessons.addSection("Practise")
            lessons.addMenu(self.menu)
        menu.insertAction(before, self.open_action)
        menu.insertAction(before, self.save_action)
        menu.insertSeparator(before)

    def _folder(self) -> str:
        """Where the exercise dialogs open: as every file dialog of the window does."""
        actions = getattr(self.window, "session_actions", None)
        return actions.dialog_folder() if actions is not None else start_folder()

    def _chosen(self, path: str) -> None:
        """A file chosen in an exercise dialog, opened or written: its folder is the last
        folder, as any dialog's (not one that failed: see SessionActions._worked)."""
        actions = getattr(self.window, "session_actions", None)
        if path and actions is not None:
            actions.remember_folder(path)

    def open_dialog(self) -> None:
        path, _ = ask_file(self.window, "Open an exercise", self._folder(),
                           "Exercises (*.toml);;All files (*)", save=False)
        if path and self._open_reporting(path):
            self._chosen(path)

    def save_dialog(self) -> None:
        title = self.exercise.title if self.exercise else "A new exercise"
        title, ok = QInputDialog.getText(self.window, "Save as exercise", "Title:", text=title)
        if not ok:
            return
        start = os.path.join(self._folder(), "exercise.toml")
        path, _ = ask_file(self.window, "Save as exercise", start, "Exercises (*.toml)",
                           save=True)
        if not path:
            return
        if not path.lower().endswith(exercises.SUFFIX):
            path += exercises.SUFFIX
        try:
            self.save_exercise_to(path, title)
        except (NnvizError, OSError) as e:
            self._error("Cannot save the exercise", str(e))
            return
        self._chosen(path)

    def _open_reporting(self, path: str) -> bool:
        try:
            self.open_exercise(path)
        except NnvizError as e:
            self._error("Cannot open the exercise", str(e))
            return False
        return True

    def _error(self, title: str, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- opening, saving -----------------------------------------------------------------------

    def open_exercise(self, path: str) -> None:
        """Open the exercise in ``path``; ExerciseError (the current run untouched) if it is
        not one."""
        self.load_exercise(exercises.load(path), path)

    def load_exercise(self, ex: Exercise, path: str | None = None) -> None:
        problem = ex.problem()
        before, after = self.state(), (ex, path, 0, False)

        def then(undoing: bool) -> None:  # undo: the exercise open before (or none) is back
            self.put_back(before if undoing else after)
            # said, as undoing a Reset is ("Undo reset: the run is back.")
            left = (f"the exercise \u201c{before[0].title}\u201d" if before is not None
                    else "the run before it")
            self.window.statusBar().showMessage(
                f"Undo exercise \u201c{ex.title}\u201d: {left} is back." if undoing else
                f"Redo exercise \u201c{ex.title}\u201d: Ctrl+Z brings {left} back.", 10000)

        self._unlock()
        if not self._load(f"exercise \u201c{ex.title}\u201d", problem, then):
            self._lock()  # the exercise open before stays as it was
            return
        self._show(ex, path, problem)
        # Its run in front, paused where its task says (a preset's Stop at 1,000 stopped the
        # 2,000 epochs an exercise asks for; the page shown before, a lesson's, stayed).
        self.window.set_stop_at(ex.epochs)
        self.window.show_view("main")
        self.window.statusBar().showMessage(
            f"Exercise: {sentence(ex.title)} Press Play (Space).", 10000)
        self.window.take_keys()  # as it says: Space plays (not the button ringed before)

    def state(self) -> tuple | None:
        """The open exercise as ``put_back`` takes it again (None: none is open)."""
        if self.exercise is None:
            return None
        return self.exercise, self.path, self.hints_shown, self._solved_by_solution

    def put_back(self, state: tuple | None) -> None:
        """The exercise of ``state()`` open again over the run loaded now (an undone session
        open brought its run back: the exercise's problem is not loaded afresh)."""
        if state is None:
            self.close_exercise()
            return
        ex, path, hints, solved = state
        self._unlock()
        self._show(ex, path, self.window.current_problem())
        self.window.set_stop_at(ex.epochs)  # its stop comes back with it (close_exercise)
        for _ in range(hints):
            self.reveal_hint()
        self._solved_by_solution = solved

    def _show(self, ex: Exercise, path: str | None, problem: Problem) -> None:
        """The panel shows ``ex``, its goals not yet measured, and its controls are locked."""
        self.exercise, self.path, self.hints_shown = ex, path, 0
        self._solution_asked = self._solved_by_solution = False
        p = self.panel
        self._applied_run = None
        self._show_applied(False)
        p.solution_button.setText("Solution")
        p.solution_button.setToolTip("Show what solves the exercise and why it works.")
        p.title.setText(f"Exercise: {ex.title}")
        task = " ".join(ex.task.split())
        # How long to train, unless the task says it ("within 1,000 epochs. Train about 1,000
        # epochs." read twice)
        if f"{ex.epochs:,} epochs" not in task:
            task += f" Train about {ex.epochs:,} epochs."
        p.task.setText(task)
        p.hints.clear()
        p.hints.hide()
        solution = []
        if ex.has_solution:
            solution.append(f"<b>Solution:</b> {html.escape(ex.solution_text())}.")
        if ex.explanation:
            solution.append(f"<b>Why it works:</b> {html.escape(' '.join(ex.explanation.split()))}")
        p.solution.setText("<br>".join(solution))
        p.solution.hide()
        p.apply_button.hide()
        p.solution_button.setEnabled(ex.has_solution or bool(ex.explanation))
        self._update_hint_button()
        self.statuses = []
        self._met_at = {}
        # Until the run's first numbers come: the goal line says why it has none where the
        # loss plot says "compiling the new model...", and "(now 0.2644)" once they come (at
        # epoch 0 both; review r22 F17 saw "(not measured yet)" and took it for a difference).
        p.show_goals([g.check(NOT_MEASURED, problem.spec, 0, missing=PENDING)
                      for g in ex.goals])
        self._summary = ""
        self.window.side_tabs.set_exercise(p, "Exercise")
        p.scroll.verticalScrollBar().setValue(0)
        self.window.presentation.layout_changed()
        self._lock()

    def save_exercise_to(self, path: str, title: str | None = None) -> Exercise:
        """Write an exercise that starts from the current problem (see exercises.from_problem)."""
        problem = self.window.current_problem()
        ex = exercises.from_problem(problem, self.exercise, title=title)
        ex.save(path)
        note = ("; its initial weights will be drawn from the seed (an exercise keeps no "
                "weights)" if problem.params is not None else "")
        self.window.statusBar().showMessage(f"Saved the exercise {path}{note}", 10000)
        return ex

    def _load(self, text: str, problem: Problem,
              then: Callable[[bool], None] | None = None) -> bool:
        actions = getattr(self.window, "session_actions", None)
        if actions is not None:  # one undoable step, like a preset
            return actions._load(text, problem, then)
        try:
            self.window.load_problem(problem)
        except NnvizError as e:
            self._error(f"Cannot apply the {text}", str(e))
            return False
        return True

    # --- the student's buttons -----------------------------------------------------------------

    def hides_answers(self) -> bool:
        """Whether a message naming the setting to try would give the exercise away: one is
        open, with hints left to give and its solution not shown."""
        ex = self.exercise
        return ex is not None and self.hints_shown < len(ex.hints) \
            and not self.panel.solution.isVisible()

    def reveal_hint(self) -> None:
        ex = self.exercise
        if ex is None or self.hints_shown >= len(ex.hints):
            return
        self.hints_shown += 1
        rows = [f"<b>Hint {i + 1}.</b> {html.escape(h)}"
                for i, h in enumerate(ex.hints[:self.hints_shown])]
        self.panel.hints.setText("<br>".join(rows))
        self.panel.hints.show()
        self.panel.text_changed()
        self._update_hint_button()

    def _update_hint_button(self) -> None:
        ex, b = self.exercise, self.panel.hint_button
        left = len(ex.hints) - self.hints_shown if ex else 0
        b.setEnabled(left > 0)
        b.setText(f"Hint ({left} left)" if left else "No more hints")
        self.panel.text_changed()

    def reveal_solution(self) -> None:
        if self.exercise is None:
            return
        b = self.panel.solution_button
        if self.hints_shown < len(self.exercise.hints) and not self._solution_asked:
            # One click spoiled the exercise: the first asks, while hints are left.
            self._solution_asked = True
            b.setText("Sure? Show it")
            b.setToolTip("A hint first? The Hint button gives one at a time. Click again to "
                         "see the solution.")
            self.panel.text_changed()
            return
        # The button says what it does next: hide the solution shown (it read "Sure? Show it"
        # beside the solution it had shown), or show it again without asking.
        shown = not self.panel.solution.isVisible() and bool(self.panel.solution.text())
        self.panel.solution.setVisible(shown)
        self.panel.apply_button.setVisible(shown and self.exercise.has_solution)
        b.setText("Hide solution" if shown else "Solution")
        b.setToolTip("Hide the solution again." if shown else
                     "Show what solves the exercise and why it works.")
        self.panel.text_changed()

    def apply_solution(self) -> None:
        ex = self.exercise
        if ex is None or not ex.has_solution:
            return
        try:
            problem = ex.solution_problem()
        except NnvizError as e:
            self._error("Cannot apply the solution", str(e))
            return
        if self._load("solution", problem):
            self._solved_by_solution = True  # its goals say so (see _on_snapshot)
            # Done: the button says so (it read "Apply it" still) until another run starts.
            self._applied_run = self.window.run_id
            self._show_applied(True)
        self._lock()

    def _show_applied(self, applied: bool) -> None:
        b = self.panel.apply_button
        if applied and b.hasFocus():
            # The keys to the window (Space: Play), before the button goes grey: Qt passed its
            # focus on to "Start over", and the next Space wiped the solution just applied.
            self.window.setFocus(Qt.FocusReason.OtherFocusReason)
        b.setText("Applied" if applied else "Apply it")
        b.setEnabled(not applied)
        b.setToolTip("The run is the solution's; Start over goes back to the exercise's start."
                     if applied else self._apply_tip)

    def start_over(self) -> None:
        if self.exercise is not None:
            if self._load(f"exercise \u201c{self.exercise.title}\u201d",
                          self.exercise.problem()):
                self._solved_by_solution = False
            self._lock()

    def _closed_by_user(self) -> None:
        """Close: the exercise's run stays in the window, which is said (its set-up, made to
        be mended, stayed without a word; Quit keeps the work before it for the next launch)."""
        self.close_exercise(keep_stop=True)
        # Its network and settings are the learner's now, on its data (not its rate on other
        # data: r17 #6).
        self.window.keep_loaded_choices_for_this_data()
        undo = getattr(getattr(self.window, "session_actions", None), "undo_stack", None)
        back = " Ctrl+Z brings back the run before it." if undo is not None and \
            undo.canUndo() else ""
        self.window.statusBar().showMessage(
            f"Closed the exercise: its data, network and settings stay.{back}", 10000)

    def close_exercise(self, keep_stop: bool = False) -> None:
        """The exercise leaves, and with it the Stop at its task set (unless ``keep_stop``: its
        run stays, as Close leaves it). Opening a session over it left Play stopping the
        session's run at the exercise's epoch, "2,000" in the field for a file that says
        nothing of it. A stop the user has changed since is the user's, and stays."""
        ex = self.exercise
        if ex is not None and not keep_stop and self.window.stop_at() == ex.epochs:
            self.window.set_stop_at(None)
        self._unlock()
        self.exercise, self.path, self.statuses = None, None, []
        self.window.side_tabs.set_exercise(None)
        self.panel.hide()
        self.window.presentation.layout_changed()

    # --- live goals ----------------------------------------------------------------------------

    def _on_snapshot(self, s: Snapshot) -> None:
        if self.exercise is None:
            return
        self.statuses = self._statuses(s)
        self.panel.show_goals(self.statuses)
        summary = self.panel.goals_summary()
        if summary and self._solved_by_solution:
            summary += " (the solution's run)"
        if summary != self._summary:  # the goals' state stays in sight on the Settings tab
            self._summary = summary
            self.window.side_tabs.set_exercise_title(f"Exercise \u00b7 {summary}")
        if self._applied_run is not None and s.run_id > self._applied_run:
            self._applied_run = None  # another run (undo, Start over, Reset): apply again
            self._show_applied(False)
        if s.run_id != self._locked_run:
            # A new run (undo, a preset): the editor rebuilt its rows, lock them again.
            self._lock()

    def _statuses(self, s: Snapshot) -> list[GoalStatus]:
        """The goals at snapshot ``s``. A goal "within N epochs" that this branch of the run
        was seen to meet by epoch N stays met past N, saying when: +1000 after the spiral's
        goals were met at epoch 3,000 turned both to "not yet met ... restart to try
        again" (review r30). Before N the goal is the model's as shown (a rewind too)."""
        met = self._met_at.setdefault((s.run_id, s.branch), {})
        statuses = []
        epoch = s.measured_epoch  # (a costly network's numbers, playing: an earlier epoch's)
        for i, goal in enumerate(self.exercise.goals):
            st = goal.check(s.metrics, s.spec, epoch, met_at=met.get(i))
            if st.met and goal.max_epochs is not None and epoch <= goal.max_epochs:
                met[i] = min(met.get(i, epoch), epoch)
            statuses.append(st)
        return statuses

    @property
    def all_met(self) -> bool:
        return bool(self.statuses) and all(s.met for s in self.statuses)

    # --- locked and hidden controls ------------------------------------------------------------

    def control_widgets(self, name: str) -> list[QWidget]:
        """The widgets of one of exercises.CONTROLS."""
        w = self.window
        e, t = w.editor, w.training_panel
        if name == "data":
            return [w.data_panel]
        if name == "network":
            return [x for r in e.rows for x in r.widgets()] + [e.add]
        if name == "features":
            return e.feature_widgets()
        return {
            "output_activation": [e.output_activation],
            "init_scheme": [e.init_scheme],
            "loss": [t.loss],
            "optimizer": [t.optimizer],
            "learning_rate": [t.lr],
            "batch_size": [t.batch],
            "regularization": [t.regularizer, t.reg_rate],
        }[name]

    def _lock(self) -> None:
        ex = self.exercise
        if ex is None:
            return
        self._locked_run = self.window.run_id
        for name in ex.locked:
            for x in self.control_widgets(name):
                if x.isEnabled():
                    x.setEnabled(False)
                    x.setToolTip(_locked_tip(x.toolTip()))
        for name in ex.hidden:
            for x in self.control_widgets(name):
                _set_row_visible(x, False)
        actions = getattr(self.window, "session_actions", None)
        if actions is not None and "data" in ex.locked:
            actions.import_action.setEnabled(False)
            actions.examples_menu.menuAction().setEnabled(False)
            actions.edit_points_action.setEnabled(False)
            self._refusals(actions, True)

    def _refusals(self, actions, on: bool) -> None:
        """While the exercise keeps its data, Import's key says why it does nothing (a greyed
        menu item says it to the mouse only)."""
        if self._import_refusal is None:
            key = actions.import_action.shortcut()
            if key.isEmpty():
                return
            self._import_refusal = QShortcut(key, self.window)
            self._import_refusal.activated.connect(lambda: self.window.statusBar().showMessage(
                DATA_KEPT, 10000))
        self._import_refusal.setEnabled(on)

    def _unlock(self) -> None:
        ex = self.exercise
        if ex is None:
            return
        for name in ex.locked:
            for x in self.control_widgets(name):
                x.setToolTip(x.toolTip().replace(LOCKED_NOTE, ""))
                x.setEnabled(True)
        for name in ex.hidden:
            for x in self.control_widgets(name):
                _set_row_visible(x, True)
        # Panels that enable fields by their state (the regularisation rate, the editor's
        # \u25b2/\u25bc at the ends of its list) set them again.
        t = self.window.training_panel
        t.reg_rate.setEnabled(t.regularizer.currentData() != "none")
        self.window.editor.enable_buttons()
        actions = getattr(self.window, "session_actions", None)
        if actions is not None:
            actions.import_action.setEnabled(True)
            actions.examples_menu.menuAction().setEnabled(True)
            actions.edit_points_action.setEnabled(True)
            self._refusals(actions, False)


LOCKED_NOTE = "\n(Locked by the exercise.)"


def _locked_tip(tip: str) -> str:
    return tip if LOCKED_NOTE in tip else tip + LOCKED_NOTE


def _set_row_visible(widget: QWidget, visible: bool) -> None:
    """Show or hide a field, with its label when it is a row of a form."""
    parent = widget.parentWidget()
    for form in (parent.findChildren(QFormLayout) if parent is not None else []):
        if form.indexOf(widget) >= 0:
            form.setRowVisible(widget, visible)
            return
    widget.setVisible(visible)


def install(window) -> ExerciseActions:
    actions = ExerciseActions(window)
    window.exercise_actions = actions
    window.open_exercise = actions.open_exercise
    return actions
