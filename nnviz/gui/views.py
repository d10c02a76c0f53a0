"""The inspection views: one registry, and how their tabs are installed in the main window.

:data:`REGISTRY` lists every view once: its name (for ``show_view`` and ``--show``), its tab's
title and tooltip, and where its ``build_view(ctx)`` lives. A new view is one new module with a
``build_view`` and one line here. Each tab's view is built the first time the tab is shown
(most sessions never open most tabs, and building them all made the launch slower);
``window._inspection_views[name]`` builds the view when asked for it.

A view's numbers come from a probe (:mod:`nnviz.core.inspect`) that the worker thread runs with
every snapshot on the model shown (live or a past epoch of the run log). A costly probe is
registered only while its view is visible. The worker gets its
own copy of a probe (:meth:`ViewContext.track`): a view changes its probe's settings (the neuron
selected, the layer shown) on the GUI thread and sends a new copy, so the GUI thread never writes
what the worker reads.

The Lessons menu and its page names (``lesson-1`` .. ``lesson-5``, ``baseline``: for
``nnviz --screenshot F.png --show lesson-5``) are installed here too, as aliases of the window's
``show_view`` (:meth:`MainWindow.add_view_alias`).
"""
from __future__ import annotations

import copy
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.core import inspect

from .lessons_view import LESSON_KEYS, LESSONS
from .widgets import settle_plots


@dataclass(frozen=True)
class ViewEntry:
    name: str
    title: str
    tip: str
    module: str  # the module (in nnviz.gui) whose build_view(ctx) makes the view
    #: In presentation mode, the window's left column (the readout and the loss plot) takes
    #: this share of the width while the view is in front (None: the usual, presentation.
    #: LEFT_SHARE): a diagram read by its units gains what the loss plot gives up.
    presenting_left_share: float | None = None


#: The Network and Backprop tabs' share for the left column in presentation mode (see
#: ViewEntry): at 1024x768 the loss plot ~260 px wide, its readout on four lines (each
#: number's "(test ...)" under it); beside the usual 0.36 the Network tab's 6x8 network drew
#: 18 px units, at 0.26 26 px (with the diagram's margins fitted, NetworkCanvas._sides).
DIAGRAM_LEFT_SHARE = 0.26
#: The Landscape tab's: its first row ("Directions:", the combo as wide as its longest item,
#: "log scale") needs 644 px in presentation mode, its check box grown with the text (21 px);
#: beside the usual 0.36 the view had 641 at 1024x768 and cut "initial -> current, and an
#: orthogonal o...". 0.35 gives it 10 px more.
LANDSCAPE_LEFT_SHARE = 0.35


REGISTRY: tuple[ViewEntry, ...] = (
    ViewEntry("network", "Network", "The network: weights as links, biases, each neuron's map; "
              "click to edit.", "network_view", DIAGRAM_LEFT_SHARE),
    ViewEntry("neurons", "Neurons", "Every neuron's activation over the input plane.",
              "neuron_maps"),
    ViewEntry("hidden-space", "Hidden space",
              "The data and the input plane as a hidden layer sees them.", "hidden_space"),
    ViewEntry("gradients", "Gradients",
              "Gradient norms, update ratios, weight and activation histograms.", "gradient_view"),
    ViewEntry("landscape", "Landscape",
              "The loss over a plane through weight space, the run's path across it, and the "
              "sharpness against 2/lr; click to move the model.", "landscape_view",
              LANDSCAPE_LEFT_SHARE),
    ViewEntry("lessons", "Lessons",
              "The notebook's demonstrations and a logistic-regression baseline.", "lessons_view"),
    ViewEntry("backprop", "Backprop",
              "Backpropagation step by step for one training point, checked against jax.grad.",
              "backprop_view", DIAGRAM_LEFT_SHARE),
    ViewEntry("regions", "Regions",
              "The linear regions of a ReLU network over the input plane, and their count over "
              "the run.", "regions_view"),
    ViewEntry("compare", "Compare", "Many runs at once: a sweep's members side by side, their "
              "losses and scores; promote one to the main run.", "compare_view"),
)

#: The preset (nnviz.core.presets) that lets a lesson be trained live in the main window.
PRESET_FOR_LESSON = {"line": "line", "deep-linear": "deep-linear", "sigmoid": "deep-sigmoid",
                     "moons": "moons"}
#: The button's words where the live run is not the page's picture: lesson 3's page shows the
#: stack's sigmoids saturated on random inputs (the notebook never trains it), its preset trains
#: the stack on a sine with Adam; "Try it live" led a presenter to expect the saturation
#: (review r25 F6). The button says what it opens, the tooltip why.
LIVE_LABEL_FOR_LESSON = {"sigmoid": "Train this stack live: a sine curve"}
LIVE_TIP_FOR_LESSON = {
    "sigmoid": "The notebook never trains this stack, so there is no live run of the "
               "saturation on this page. This loads the preset “{title}”: the same "
               "4-10-30-10-4 stack with sigmoids between its layers (the page's last plot: "
               "smoothly non-linear) and N(0, 1) weights learns a sine curve (a linear output, "
               "Adam, learning rate 0.01)."}
#: Lessons whose live counterpart is a ready-made sweep in the Compare view: the five
#: activations, each in the notebook's network on its moons, trained side by side. Its button
#: says so: "Try it live in the main window" opened the Compare tab with a sweep of five
#: (review r30 F1).
SWEEP_FOR_LESSON = {"activations": "activations"}
SWEEP_LABEL_FOR_LESSON = {"activations": "Try all five live, side by side in Compare"}

#: show_view names that open one page of the lessons tab.
LESSON_ALIASES = {**{f"lesson-{i + 1}": key for i, key in enumerate(LESSON_KEYS[:5])},
                  "baseline": "baseline"}

# A probe's share of the worker's time while training runs (see inspect.Throttled). Small: while
# the window draws, a probe's jax calls cost ~3x their time alone. The gradient probe takes
# ~1.2-1.6 ms at 200 points: at 1.5% it ran ~10 times a second, which set the Gradients view's
# pace (~12 frames/s) and its longest wait between new numbers (cost / budget). Since its norms
# are the whole training set's (not a 4,096-point sample's, which stalled at its noise floor) it
# takes ~10 ms of CPU at 80,000 training points: at 5% the tab drew 5-6 frames/s there and 21-26
# at 200 points; at 12%, 14-16 and 30-31, training flat out ~15% fewer epochs/s while the tab
# is shown (bench/gui.py --steady-only --views gradients, in turns, load 0.4-1.8).
# The maps' 2% was set when a probe paid the cheaper of its last two costs (up to ~2x its budget
# on a busy machine): paying what each call cost, the Neurons tab drew 22.7, 25.5 frames/s at 2%
# (the session's start 28.2, 28.0); at 3% 31.0, 32.7 (29.6, 27.0) at the same view cost, 0.81,
# 0.91 (0.89, 0.88) (bench/gui.py --steady-only --views neurons, in turns, load 1.1-1.4).
MAP_BUDGET, HIDDEN_BUDGET, GRADIENT_BUDGET = 0.03, 0.05, 0.12
# The gradient probe's balance keeps what its budget earns in a quarter of a second (see
# inspect.Throttled): at 100,000 points a call costs ~1.5 ms, ~5% of a frame, but on a busy
# machine one in a few takes 10-20 ms, and with the balance kept to two calls' worth (3 ms) each
# left the next frames on old numbers: the tab painted a new picture for 93-96% of the snapshots
# (64% in one run at load ~1); with it, 99% (bench/gui.py --points 100000 --views gradients
# --steady-only, in turns, bench/README). Its share of the worker's time stays at its budget.
GRADIENT_BANK_S = 0.25
# The neuron maps' probe (the Neurons and Network tabs) keeps what its budget earns in a second,
# 30 ms at 3%: at 100,000 points a call costs ~0.4 ms of the worker's CPU and ~0.7 ms of wall
# time, but on a busy machine one in ten to twenty takes 2-30 ms (preempted, or waiting for the
# GIL while the window paints), and with the balance kept to two calls' worth (~1.4 ms) each such
# call left the next one to six snapshots on the old maps: the Neurons tab painted new maps for
# 68-85% of its snapshots, 86-99% with the bank (bench/gui.py --points 100000 --views neurons
# --steady-only, in turns, load 8-16; bench/README). Its share of the worker's time stays at
# the budget. A wide network's probe, dearer than what a frame earns (2-512x8-1:
# ~6 ms a call), never fills the bank while the run plays: it is throttled as before, but for
# up to ~5 calls in a row after a pause has filled it.
MAP_BANK_S = 1.0


class _Visibility(QObject):
    """Sends a view's probes to the worker while it is shown, removes them when it is hidden;
    and for a view that draws the grid's prediction (``draws_grid``: named ``name``), tells the
    worker when it does (loop.DrawGrid: no grid is computed behind the other tabs)."""

    def __init__(self, window, view, probes: dict[str, Callable[[], Any]],
                 always: tuple[str, ...] = (), shown_by=None, name: str = "",
                 draws_grid: bool = False) -> None:
        super().__init__(view)
        self.window, self.view, self.probes, self.always = window, view, probes, always
        self.shown_by = shown_by if shown_by is not None else view
        self.shown_by.installEventFilter(self)
        self.name, self.draws_grid = name, draws_grid
        if draws_grid:
            self.window.draw_grid(name, self.shown_by.isVisible())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        t = event.type()
        if t == QEvent.Type.Show:
            if self.draws_grid:
                self.window.draw_grid(self.name, True)  # before the probes' fresh frame
            self.send()  # also makes the worker publish a fresh frame
            last = self.window.last_snapshot
            if last is not None and last.run_id != getattr(self.window, "run_id", last.run_id):
                last = None  # a run that has left (Reset keeps its last frame drawn)
            if last is not None and hasattr(self.view, "update_snapshot"):
                self.view.update_snapshot(last)
                _presentation_scale(self.window, self.view)
        elif t == QEvent.Type.Hide:
            for name in self.probes:
                if name not in self.always:
                    self.window.set_probe(name, None)
            if self.draws_grid:
                self.window.draw_grid(self.name, False)
        return False

    def send(self) -> None:
        for name, make in self.probes.items():
            self.window.set_probe(name, make())

    def refresh(self, *_) -> None:
        """The probe's settings changed: send a new copy (a new frame, even while paused)."""
        if self.shown_by.isVisible():
            self.send()


@dataclass
class ViewContext:
    """What a view's ``build_view(ctx)`` gets: the window, and the means to wire its probes."""

    window: Any
    gradient_probe: Any  # the gradients view's probe (its history is the run log's)
    trackers: dict[str, _Visibility] = field(default_factory=dict)
    on_destroy: list[Callable[[], None]] = field(default_factory=list)
    lessons: dict[str, Any] = field(default_factory=dict)  # tryable presets, try_lesson

    def track(self, name: str, view, probes: dict[str, tuple],
              always: tuple[str, ...] = (), shown_by=None,
              draws_grid: bool = False) -> _Visibility:
        """Run ``probes`` = {extras key: (probe, time budget or 0[, the budget's bank in
        seconds, inspect.Throttled's bank_s])} while ``view`` is shown (or
        ``shown_by``, a part of it: the page that draws them). The worker gets a copy of each
        probe, made when it is sent. ``draws_grid``: the view (the page) draws
        ``snapshot.grid``, which is computed only while such a view is shown."""
        def maker(probe, budget, bank_s=0.0):
            def make():
                p = copy.copy(probe)
                return inspect.Throttled(p, budget, bank_s) if budget else p
            return make
        tracker = _Visibility(self.window, view, {k: maker(*v) for k, v in probes.items()},
                              always, shown_by, name, draws_grid)
        self.trackers[name] = tracker
        return tracker


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
            from .explain import fill_tooltips
            from .look import style_tree
            style_tree(self.view)  # built in the theme chosen
            fill_tooltips(self.view)
            self.layout().addWidget(self.view)
            if self.isVisible():
                self.view.show()
            window = self.window()
            QTimer.singleShot(0, self.view, lambda: _presentation_scale(window, self.view))
        return self.view

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt)
        self.ensure()
        super().showEvent(event)
        self._tell_tabs()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().hideEvent(event)
        self._tell_tabs()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        # Behind another tab it asks for no room. The tabs' stack is as least-large as its
        # largest page's least, shown or not: a view shown once raised the window's least size
        # for good (the Network tab's diagram and node map side by side, 937 px wide; the
        # Backprop tab, 565 px tall: more than a 1280x800 screen at 150%, 853x533 logical px).
        if self.isHidden():
            return QSize(0, 0)
        return super().minimumSizeHint()

    def _tell_tabs(self) -> None:
        """The tab came to the front or went behind: the layouts above it measure it again
        (their items keep the sizes they measured last)."""
        w = self.parentWidget()
        while w is not None and not w.isWindow():
            w.updateGeometry()
            w = w.parentWidget()


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

    def __contains__(self, name: object) -> bool:
        # Mapping's own asks for the item, which builds the view: the Lessons menu's
        # `"compare" in views` built the Compare tab (0.14 CPU s) in every window.
        return name in self.tabs

    def built(self) -> list[QWidget]:
        return [t.view for t in self.tabs.values() if t.view is not None]


def install_views(window) -> Mapping:
    """Add the registry's tabs (each built when first shown), the Lessons menu and its page
    names."""
    # The gradient probe runs while its tab is shown, as every view's: the history it draws is
    # the run log's (recorded at the checkpoints whichever tab is open), and nothing else reads
    # its numbers. Running it always cost every other tab its budget of the worker's time.
    ctx = ViewContext(window, inspect.GradientProbe())
    # The main tab's boundary is the grid's first user; the views that draw it too say so
    # (track(draws_grid=True)). Behind any other tab, snapshots come without it.
    ctx.track("main", window.main_tab, {}, draws_grid=True)

    def builder(entry: ViewEntry) -> Callable[[], QWidget]:
        def build() -> QWidget:
            module = importlib.import_module(f"nnviz.gui.{entry.module}")
            return module.build_view(ctx)
        return build

    tabs = {e.name: _LazyTab(builder(e), e.tip) for e in REGISTRY}
    for e in REGISTRY:
        if e.presenting_left_share is not None:  # read by presentation mode, built or not
            tabs[e.name].presenting_left_share = e.presenting_left_share
    for e in REGISTRY:
        window.add_view(e.name, e.title, tabs[e.name])
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
                _presentation_scale(window, view)
                settle_plots(view)  # its plots painted once (widgets.settle_plots)

    def draw(snapshot) -> None:
        if pending["snapshot"] is None:
            QTimer.singleShot(1, window, draw_pending)
        pending["snapshot"] = snapshot
    window.snapshot_drawn.connect(draw)

    def new_run() -> None:
        # Another run: every view built drops the last run's numbers now (shown or not: a tab
        # shown later must not draw them either), and says it prepares the new one's.
        pending["snapshot"] = None
        for view in views.built():
            if hasattr(view, "new_run"):
                view.new_run()
    if hasattr(window, "run_changed"):
        window.run_changed.connect(new_run)

    def scale_shown(*_) -> None:  # a tab (or a lesson's page) just built draws unscaled
        for view in views.built():
            if view.isVisible():
                _presentation_scale(window, view)
    window.tabs.currentChanged.connect(lambda *_: QTimer.singleShot(50, window, scale_shown))
    window._scale_shown_views = scale_shown

    _install_lessons(window, views, ctx)
    window.destroyed.connect(lambda *_: [stop() for stop in ctx.on_destroy])
    window._inspection_views = views  # keeps the Python wrappers (and trackers) alive
    window._inspection_context = ctx
    return views


def _presentation_scale(window, view) -> None:
    """In presentation mode, or at a larger text size, the view's lines, markers and text at
    its scale (what the view just drew is in its normal size)."""
    p = getattr(window, "presentation", None)
    scale = p.scale() if p is not None else 1.0
    if scale != 1.0:
        from .presentation import scale_views
        scale_views(view, scale)


def _install_lessons(window, views: _Views, ctx: ViewContext) -> None:
    """The Lessons menu, each lesson's page name for show_view, and "try it live"."""
    try:
        from nnviz.core import presets
        known = {p.id: p for p in presets.load_presets()}
    except Exception:  # noqa: BLE001 -- no presets, no buttons; the lessons still work
        known = {}
    tryable = {k: pid for k, pid in PRESET_FOR_LESSON.items() if pid in known}
    swept = dict(SWEEP_FOR_LESSON) if "compare" in views else {}

    def show_lesson(key: str, wait: bool = False) -> None:
        views["lessons"].show_lesson(key, wait=wait)
        window.show_view("lessons")
        window.take_keys()  # Space plays, not the button ringed before (a preset's too)

    def try_lesson(key: str) -> None:
        if key in swept:  # (through the Presets menu's action when there is one)
            action = getattr(getattr(window, "session_actions", None), "sweep_actions",
                             {}).get(swept[key])
            if action is not None:
                action.trigger()
            else:
                window.show_view("compare")
                views["compare"].start_ready(swept[key])
            return
        # The lesson's preset in the main window (through the Presets menu's action when there
        # is one, so that Undo knows about it).
        p = known[tryable[key]]
        action = getattr(getattr(window, "session_actions", None), "preset_actions", {}).get(p.id)
        if action is not None:
            action.trigger()
        else:
            window.load_problem(p.problem())
        window.show_view("main")

    tips = {k: LIVE_TIP_FOR_LESSON[k].format(title=known[pid].title)
            if k in LIVE_TIP_FOR_LESSON else
            f"Load the preset “{known[pid].title}” and train it yourself."
            for k, pid in tryable.items()}
    tips.update({k: "Train the notebook's run (its moons, its initial weights) with each of "
                    "these activations, side by side (the Compare view's ready-made sweep; the "
                    "main run stays). Its softmax normalises each point's units, not the whole "
                    "array as on this page."
                 for k in swept})
    labels = {k: LIVE_LABEL_FOR_LESSON[k] for k in tryable if k in LIVE_LABEL_FOR_LESSON}
    labels.update({k: SWEEP_LABEL_FOR_LESSON[k] for k in swept if k in SWEEP_LABEL_FOR_LESSON})
    ctx.lessons.update(tryable={**tryable, **swept}, tips=tips, labels=labels,
                       try_lesson=try_lesson)
    menu = window.lessons_menu = window.menuBar().addMenu("&Lessons")
    for i, lesson in enumerate(LESSONS):
        if i == 5:  # the notebook's five steps, then what nnviz adds (Presets has the same list)
            menu.addSection("Beyond the notebook")
        a = QAction(lesson.title, window)
        a.setToolTip(lesson.text)
        if i < 5:
            a.setShortcut(f"Ctrl+Shift+{i + 1}")
        a.triggered.connect(lambda _=False, key=lesson.key: show_lesson(key))
        menu.addAction(a)
    menu.setToolTipsVisible(True)
    for alias, key in LESSON_ALIASES.items():
        window.add_view_alias(alias, lambda key=key: show_lesson(key, wait=True))
