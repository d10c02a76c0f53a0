"""The Backprop tab passed through (Ctrl+Tab) after the problem changed to a network of another
shape, then a change of theme while it is hidden: the teacher's review saw "Something went
wrong: IndexError: list index out of range" at every theme switch from then on, and an empty
black diagram when the tab was opened again."""
from __future__ import annotations

import pytest

from nnviz.gui import colors

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def restore_look():
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def _layers(view) -> list[int]:
    """The number of units in each column of the Backprop diagram as last drawn."""
    return [len(c) for c in view.canvas.centres]


def test_a_theme_switch_after_passing_the_backprop_tab_redraws_it_for_the_new_network(
        main_window, qtbot, wait_run, restore_look):
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # 2-4-10-4-1
    wait_run(w)
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.result is not None and view.canvas.spec is not None
                    and view.canvas.spec.n_layers == 4, timeout=60_000)
    view.go(5)  # 6 / 6, the update
    w.show_view("main")
    w.session_actions.preset_actions["blobs-linear"].trigger()  # 2-1: no hidden layer
    assert wait_run(w).spec.n_layers == 1
    # Ctrl+Tab through the views: the Backprop tab is shown for a moment and left before the
    # worker's fresh frame for it arrives.
    w.show_view("backprop")
    w.show_view("regions")
    w.look_actions[("theme", "dark")].trigger()
    w.look_actions[("theme", "light")].trigger()
    assert w.last_error == ""
    # back on the tab: the diagram of the network that is training, 2 inputs and 1 output
    w.show_view("backprop")
    qtbot.waitUntil(lambda: view.result is not None and view.canvas.spec == w.last_snapshot.spec
                    and view.result.trace.index is not None, timeout=60_000)
    renders = view.canvas.renders
    view.canvas.update()
    qtbot.waitUntil(lambda: view.canvas.renders > renders, timeout=10_000)
    assert _layers(view) == [2, 1]
    assert [c for c, *_ in view.canvas.labels_drawn] == [0, 0, 1]
    assert w.last_error == ""


def test_weights_of_another_network_leave_the_diagram_whole(qtbot):
    """The links of one network with another's shape: refused before anything is kept. Taken in
    half (the new shape, the old positions), every later paint failed with "index 1 is out of
    bounds" and the Backprop diagram stayed black until a network of yet another shape."""
    from nnviz.core.network import NetworkSpec
    from nnviz.gui.network_view import NetworkCanvas

    from .test_views_helpers import big_params

    canvas = NetworkCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 400)
    canvas.show()
    deep = NetworkSpec(hidden=(4, 10, 4))
    flat = NetworkSpec(hidden=(8, 8), activations=("tanh", "tanh"))
    canvas.set_state(deep, big_params(deep), None)
    with pytest.raises(ValueError, match="do not fit"):
        canvas.set_state(flat, big_params(deep), None)
    canvas.set_state(flat, big_params(flat), None)
    renders = canvas.renders
    canvas.grab()  # painted: the new network's nodes where its columns are
    assert canvas.renders == renders + 1
    assert [len(c) for c in canvas.centres] == [2, 8, 8, 1]
