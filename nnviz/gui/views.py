"""Installs the inspection views and the Lessons menu into the main window.

``install_views(window)`` is called at the end of ``MainWindow.__init__``. Each view is a tab
(``network``, ``neurons``, ``hidden-space``, ``gradients``, ``lessons``); its numbers come from
a probe (:mod:`nnviz.core.inspect`) that the worker thread runs with every snapshot. A costly
probe is registered only while its view is visible; the gradient probe always runs, so that
its history covers the whole run. A view redraws only while visible.

A tab's view is built the first time the tab is shown (``_LazyTab``): most sessions never open
most tabs, and building them all made the launch slower. ``window._inspection_views[name]``
builds the view when asked for it.

``show_view`` also accepts ``lesson-1`` .. ``lesson-5`` and ``baseline`` (the lessons tab on that
page), so that ``nnviz --screenshot F.png --show lesson-5`` works.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, Iterator

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.core import inspect

from .lessons_view import LESSON_KEYS, LESSONS

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


class _LazyTab(QWidget):
    """A tab's place: ``build()`` makes its view the first time the tab is shown."""

    def __init__(self, build: Callable[[], QWidget], tip: str) -> None:
        super().__init__()
        self._build, self.view = build, None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setToolTip(tip)

    def ensure(self) -> QWidget:
        if self.view is None:
            self.view = self._build()
            self.layout().addWidget(self.view)
            if self.isVisible():
                self.view.show()
        return self.view

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt)
        self.ensure()
        super().showEvent(event)


class _Views(Mapping):
    """name -> view, built when first asked for."""

    def __init__(self, tabs: dict[str, _LazyTab]) -> None:
        self.tabs = tabs

    def __getitem__(self, name: str) -> QWidget:
        return self.tabs[name].ensure()

    def __iter__(self) -> Iterator[str]:
        return iter(self.tabs)

    def __len__(self) -> int:
        return len(self.tabs)

    def built(self) -> list[QWidget]:
        return [t.view for t in self.tabs.values() if t.view is not None]


def install_views(window) -> Mapping:
    """Add the views' tabs (each built when first shown), wire their probes and the Lessons
    menu."""
    # Throttled: a wide network's probes may not eat the worker's time (see inspect.Throttled).
    # Small budgets: while the window draws, a probe's jax calls cost ~3x their time alone, and
    # at 15% each the probes took a third of the worker's time (bench/gui.py's view_cost); the
    # maps still refresh ~10-20 times a second, the boundary and the links every frame.
    T = inspect.Throttled
    trackers: dict[str, _Visibility] = {}
    # The gradient probe always runs, built or not, so that its history covers the whole run.
    gradient_probe = T(inspect.GradientProbe(), 0.015)
    gradients_key = "gradients"  # GradientView's extras_key
    window.set_probe(gradients_key, gradient_probe)
    # The preset (nnviz.core.presets) of each lesson that can be tried live.
    try:
        from nnviz.core import presets
        known = {p.id: p for p in presets.load_presets()}
    except Exception:  # noqa: BLE001 -- no presets, no buttons; the lessons still work
        known = {}
    tryable = {k: pid for k, pid in PRESET_FOR_LESSON.items() if pid in known}
    lesson_shutdowns: list[Callable] = []

    def network() -> QWidget:
        from .network_view import NetworkView
        view = NetworkView(on_edit=window.set_params)
        view.probe = inspect.NeuronMapsProbe()
        trackers["network"] = _Visibility(window, view, {view.extras_key: T(view.probe, 0.02)})
        view.neuron_selected.connect(trackers["network"].refresh)
        return view

    def neurons() -> QWidget:
        from .neuron_maps import NeuronMapsView
        view = NeuronMapsView()
        view.probe = inspect.NeuronMapsProbe()
        trackers["neurons"] = _Visibility(window, view, {view.extras_key: T(view.probe, 0.02)})
        view.neuron_selected.connect(trackers["neurons"].refresh)
        return view

    def hidden() -> QWidget:
        from .hidden_space import HiddenSpaceView
        view = HiddenSpaceView(inspect.HiddenSpaceProbe())
        trackers["hidden-space"] = _Visibility(window, view,
                                               {view.extras_key: T(view.probe, 0.05)})
        view.settings_changed.connect(trackers["hidden-space"].refresh)
        return view

    def gradients() -> QWidget:
        from .gradient_view import GradientView
        view = GradientView()
        trackers["gradients"] = _Visibility(window, view, {gradients_key: gradient_probe},
                                            always=(gradients_key,))
        return view

    def lessons() -> QWidget:
        from .lessons_view import LessonsView
        view = LessonsView()
        trackers["lessons"] = _Visibility(window, view,
                                          {view.extras_key: inspect.BaselineProbe()})
        view.enable_try(tryable, {k: f"Load the preset “{known[pid].title}” and train it "
                                     "yourself." for k, pid in tryable.items()})
        view.try_requested.connect(try_lesson)
        lesson_shutdowns.append(view.shutdown)
        return view

    specs = {
        "network": ("Network", network, "The network: weights as links, biases, each "
                                         "neuron's map; click to edit."),
        "neurons": ("Neurons", neurons, "Every neuron's activation over the input plane."),
        "hidden-space": ("Hidden space", hidden,
                         "The data and the input plane as a hidden layer sees them."),
        "gradients": ("Gradients", gradients,
                      "Gradient norms, update ratios, weight and activation histograms."),
        "lessons": ("Lessons", lessons,
                    "The notebook's demonstrations and a logistic-regression baseline."),
    }
    tabs = {name: _LazyTab(build, tip) for name, (_, build, tip) in specs.items()}
    for name, tab in tabs.items():
        window.add_view(name, specs[name][0], tab)
    views = _Views(tabs)

    # The views draw a moment after the main plots, in their own turn of the event loop: one
    # frame's work is two shorter stretches, and a click or a key waits for one, not both
    # (bench/gui.py's max stall with every view shown).
    pending = {"snapshot": None}

    def draw_pending() -> None:
        snapshot, pending["snapshot"] = pending["snapshot"], None
        if snapshot is None:
            return
        for view in views.built():
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
        views["lessons"].show_lesson(key, wait=wait)
        original_show_view("lessons")

    # show_view learns the lesson pages' names (for --show lesson-5 and the like).
    original_show_view = window.show_view

    # "Try it live": the lesson's preset in the main window (through the Presets menu's action
    # when there is one, so that Undo knows about it).
    def try_lesson(key: str) -> None:
        p = known[tryable[key]]
        action = getattr(getattr(window, "session_actions", None), "preset_actions", {}).get(p.id)
        if action is not None:
            action.trigger()
        else:
            window.load_problem(p.problem())
        original_show_view("main")

    def show_view(name: str) -> None:
        if name in LESSON_ALIASES:
            show_lesson(LESSON_ALIASES[name], wait=True)
        else:
            original_show_view(name)
    window.show_view = show_view

    window.destroyed.connect(lambda *_: [stop() for stop in lesson_shutdowns])
    window._inspection_views = views  # keeps the Python wrappers (and trackers) alive
    window._inspection_trackers = trackers
    return views
