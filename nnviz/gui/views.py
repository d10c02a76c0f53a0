"""Installs the inspection views and the Lessons menu into the main window.

``install_views(window)`` is called at the end of ``MainWindow.__init__``. Each view is a tab
(``network``, ``neurons``, ``hidden-space``, ``gradients``, ``lessons``); its numbers come from
a probe (:mod:`nnviz.core.inspect`) that the worker thread runs with every snapshot. A costly
probe is registered only while its view is visible; the gradient probe always runs, so that
its history covers the whole run. A view redraws only while visible.

``show_view`` also accepts ``lesson-1`` .. ``lesson-5`` and ``baseline`` (the lessons tab on that
page), so that ``nnviz --screenshot F.png --show lesson-5`` works.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction

from nnviz.core import inspect

from .gradient_view import GradientView
from .hidden_space import HiddenSpaceView
from .lessons_view import LESSON_KEYS, LESSONS, LessonsView
from .network_view import NetworkView
from .neuron_maps import NeuronMapsView

#: The preset (nnviz.core.presets) that lets a lesson be trained live in the main window.
PRESET_FOR_LESSON = {"line": "line", "deep-linear": "deep-linear", "sigmoid": "deep-sigmoid",
                     "moons": "moons"}

#: show_view names that open one page of the lessons tab.
LESSON_ALIASES = {**{f"lesson-{i + 1}": key for i, key in enumerate(LESSON_KEYS[:5])},
                  "baseline": "baseline"}


class _Visibility(QObject):
    """Registers a view's probes while it is shown, removes them when it is hidden."""

    def __init__(self, window, view, probes: dict[str, Callable], always: tuple[str, ...] = ()):
        super().__init__(view)
        self.window, self.view, self.probes, self.always = window, view, probes, always
        for name in always:
            window.set_probe(name, probes[name])
        view.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if t == QEvent.Type.Show:
            for name, fn in self.probes.items():
                self.window.set_probe(name, fn)  # also makes the worker publish a fresh frame
            last = self.window.last_snapshot
            if last is not None:
                self.view.update_snapshot(last)
        elif t == QEvent.Type.Hide:
            for name in self.probes:
                if name not in self.always:
                    self.window.set_probe(name, None)
        return False

    def refresh(self, *_) -> None:
        """The probe's settings changed: ask for a new frame (even while paused)."""
        if self.view.isVisible():
            for name, fn in self.probes.items():
                self.window.set_probe(name, fn)


def install_views(window) -> dict:
    """Create the views, add them as tabs, wire their probes and the Lessons menu."""
    network = NetworkView(on_edit=window.set_params)
    network.probe = inspect.NeuronMapsProbe()
    neurons = NeuronMapsView()
    neurons.probe = inspect.NeuronMapsProbe()
    hidden = HiddenSpaceView(inspect.HiddenSpaceProbe())
    gradients = GradientView()
    gradient_probe = inspect.GradientProbe()
    lessons = LessonsView()
    baseline_probe = inspect.BaselineProbe()

    network.setToolTip("The network: weights as links, biases, each neuron's map; click to edit.")
    neurons.setToolTip("Every neuron's activation over the input plane.")
    hidden.setToolTip("The data and the input plane as a hidden layer sees them.")
    gradients.setToolTip("Gradient norms, update ratios, weight and activation histograms.")
    lessons.setToolTip("The notebook's demonstrations and a logistic-regression baseline.")

    views = {"network": network, "neurons": neurons, "hidden-space": hidden,
             "gradients": gradients, "lessons": lessons}
    titles = {"network": "Network", "neurons": "Neurons", "hidden-space": "Hidden space",
              "gradients": "Gradients", "lessons": "Lessons"}
    for name, view in views.items():
        window.add_view(name, titles[name], view)

    # Throttled: a wide network's probes may not eat the worker's time (see inspect.Throttled).
    # Small budgets: while the window draws, a probe's jax calls cost ~3x their time alone, and
    # at 15% each the probes took a third of the worker's time (bench/gui.py's view_cost); the
    # maps still refresh ~10-20 times a second, the boundary and the links every frame.
    T = inspect.Throttled
    trackers = {
        "network": _Visibility(window, network, {network.extras_key: T(network.probe, 0.02)}),
        "neurons": _Visibility(window, neurons, {neurons.extras_key: T(neurons.probe, 0.02)}),
        "hidden-space": _Visibility(window, hidden, {hidden.extras_key: T(hidden.probe, 0.05)}),
        "gradients": _Visibility(window, gradients,
                                 {gradients.extras_key: T(gradient_probe, 0.015)},
                                 always=(gradients.extras_key,)),
        "lessons": _Visibility(window, lessons, {lessons.extras_key: baseline_probe}),
    }
    network.neuron_selected.connect(trackers["network"].refresh)
    neurons.neuron_selected.connect(trackers["neurons"].refresh)
    hidden.settings_changed.connect(trackers["hidden-space"].refresh)

    # The views draw a moment after the main plots, in their own turn of the event loop: one
    # frame's work is two shorter stretches, and a click or a key waits for one, not both
    # (bench/gui.py's max stall with every view shown).
    pending = {"snapshot": None}

    def draw_pending() -> None:
        snapshot, pending["snapshot"] = pending["snapshot"], None
        if snapshot is None:
            return
        for view in views.values():
            if view.isVisible():
                view.update_snapshot(snapshot)

    def draw(snapshot) -> None:
        if pending["snapshot"] is None:
            QTimer.singleShot(1, window, draw_pending)
        pending["snapshot"] = snapshot
    window.snapshot_drawn.connect(draw)

    # The Lessons menu: each demonstration one click away.
    menu = window.menuBar().addMenu("&Lessons")
    for i, lesson in enumerate(LESSONS):
        a = QAction(lesson.title, window)
        a.setToolTip(lesson.text)
        if i < 5:
            a.setShortcut(f"Ctrl+Shift+{i + 1}")
        a.triggered.connect(lambda _=False, key=lesson.key: show_lesson(key))
        menu.addAction(a)
    menu.setToolTipsVisible(True)

    def show_lesson(key: str, wait: bool = False) -> None:
        lessons.show_lesson(key, wait=wait)
        original_show_view("lessons")

    # show_view learns the lesson pages' names (for --show lesson-5 and the like).
    original_show_view = window.show_view

    # "Try it live": the lesson's preset in the main window (through the Presets menu's action
    # when there is one, so that Undo knows about it).
    try:
        from nnviz.core import presets
        known = {p.id: p for p in presets.load_presets()}
    except Exception:  # noqa: BLE001 -- no presets, no buttons; the lessons still work
        known = {}
    tryable = {k: pid for k, pid in PRESET_FOR_LESSON.items() if pid in known}
    lessons.enable_try(tryable, {k: f"Load the preset “{known[pid].title}” and train it "
                                    "yourself." for k, pid in tryable.items()})

    def try_lesson(key: str) -> None:
        p = known[tryable[key]]
        action = getattr(getattr(window, "session_actions", None), "preset_actions", {}).get(p.id)
        if action is not None:
            action.trigger()
        else:
            window.load_problem(p.problem())
        original_show_view("main")
    lessons.try_requested.connect(try_lesson)

    def show_view(name: str) -> None:
        if name in LESSON_ALIASES:
            show_lesson(LESSON_ALIASES[name], wait=True)
        else:
            original_show_view(name)
    window.show_view = show_view

    executor_shutdown = lessons.shutdown
    window.destroyed.connect(lambda *_: executor_shutdown())
    window._inspection_views = views  # keeps the Python wrappers (and trackers) alive
    window._inspection_trackers = trackers
    return views
