"""A throttled view names the epoch of its picture when it is not the window's.

While a run plays, the costly views' probes (the neuron maps, the hidden space, the gradients)
run less often than the loss curve is drawn (inspect.Throttled) and hand out their last result
again: such a view showed epoch 40 beside a status of epoch 55, and nothing said so. Here each
probe's budget is made all but nil, so that it computes nothing while the run plays whatever the
machine's speed: its picture lags for certain, and paused it catches up.
"""
from __future__ import annotations

import re

import pytest

from nnviz.gui import views

from .test_views_helpers import make_trainer, snapshot_of

TIMEOUT = 30_000

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

# view -> (its probe's budget in nnviz.gui.views, the label that says the epoch, the words)
THROTTLED = {
    "neurons": ("MAP_BUDGET", "header", "neuron maps"),
    "network": ("MAP_BUDGET", "header", "neuron maps"),
    "hidden-space": ("HIDDEN_BUDGET", "caption", "hidden space"),
    "gradients": ("GRADIENT_BUDGET", "summary", "gradients"),
}


def epochs_named(text: str, what: str) -> tuple[int, int] | None:
    """(the window's epoch, the picture's) from "epoch 55 (neuron maps: epoch 40)", or None."""
    m = re.search(rf"epoch ([\d,]+) \({what}: epoch ([\d,]+)\)", text)
    return None if m is None else (int(m[1].replace(",", "")), int(m[2].replace(",", "")))


@pytest.mark.parametrize("name", list(THROTTLED))
def test_a_lagging_view_names_its_epoch_and_drops_the_note_once_caught_up(
        name, main_window, qtbot, monkeypatch):
    budget, label, what = THROTTLED[name]
    # A budget that earns nothing in a test's time: after its first numbers the probe runs
    # again only when the run stops (a frame of a paused run is always fresh).
    monkeypatch.setattr(views, budget, 1e-12)
    w = main_window
    w.set_stop_at(None)
    w.show_view(name)
    view = w._inspection_views[name]
    text = getattr(view, label).text
    qtbot.waitUntil(lambda: view.snapshot is w.last_snapshot
                    and view.snapshot.extras.get(view.extras_key) is not None, timeout=TIMEOUT)
    assert epochs_named(text(), what) is None  # paused, caught up: no note

    def lags() -> bool:
        s = view.snapshot
        named = epochs_named(text(), what)
        result = s.extras.get(view.extras_key)
        return (named is not None and result is not None
                and named == (s.epoch, result.epoch) and result.epoch < s.epoch)
    w.play()
    try:
        qtbot.waitUntil(lags, timeout=TIMEOUT)
    finally:
        w.pause()
    loop = w.worker.loop
    qtbot.waitUntil(lambda: not loop.playing and w.last_snapshot.epoch == loop.trainer.epoch
                    and view.snapshot is w.last_snapshot, timeout=TIMEOUT)
    # Paused: the probe's numbers are the window's epoch's, and the note is gone.
    qtbot.waitUntil(lambda: view.snapshot.extras[view.extras_key].epoch == view.snapshot.epoch
                    and epochs_named(text(), what) is None, timeout=TIMEOUT)
    assert f"({what}: epoch" not in text()


def test_the_note_stays_while_the_run_plays_and_goes_when_it_stops(qtbot):
    # A probe that catches up now and then while the run plays: the note would blink off on
    # those frames; it stays (the epochs equal) until the run stops.
    from dataclasses import replace

    from nnviz.core.inspect import NeuronMapsProbe
    from nnviz.gui.neuron_maps import NeuronMapsView
    view = NeuronMapsView()
    qtbot.addWidget(view)
    view.probe = NeuronMapsProbe()
    view.playing = True  # the view is its own window: window_playing reads this
    t = make_trainer()
    t.run(20)
    at_20 = snapshot_of(t, {"neurons": view.probe})
    view.update_snapshot(at_20)
    assert "neuron maps: epoch" not in view.header.text()
    t.run(5)
    view.update_snapshot(replace(snapshot_of(t), extras=at_20.extras))  # the probe's last maps
    assert "epoch 25 (neuron maps: epoch 20)" in view.header.text()
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}))  # caught up, still playing
    assert "epoch 25 (neuron maps: epoch 25)" in view.header.text()
    view.playing = False
    view.update_snapshot(snapshot_of(t, {"neurons": view.probe}))
    assert "neuron maps: epoch" not in view.header.text()
    assert "Each tile is one neuron's activation" in view.header.text()


# view -> (its probe's class in nnviz.core.inspect, the label that says the epoch, the words)
REVISITED = {
    "gradients": ("GradientProbe", "summary", "gradients"),
    "hidden-space": ("HiddenSpaceProbe", "caption", "hidden space"),
}


@pytest.mark.parametrize("name", list(REVISITED))
def test_a_revisited_tab_says_the_window_s_epoch_while_it_computes_its_numbers(
        name, main_window, qtbot, wait_run, monkeypatch):
    """Review r24 F16: paused at 838, back on the Gradients tab (last seen at 628): its header
    read "epoch 628 (gradients: epoch 623)" for seconds, the words of its last visit, though
    the window said Epoch 838. At once it says the window's epoch and that its numbers are
    being computed (the older ones still drawn); then they come. The probe is held here until
    the test lets it go (on a 2-512x8-1 network its first numbers took seconds)."""
    import threading

    from nnviz.core import inspect
    cls, label, what = REVISITED[name]
    w = main_window
    w.step(20)
    wait_run(w, 20)
    w.show_view(name)
    view = w._inspection_views[name]
    text = getattr(view, label).text
    qtbot.waitUntil(lambda: view.snapshot is w.last_snapshot
                    and view.snapshot.extras.get(view.extras_key) is not None
                    and view.snapshot.extras[view.extras_key].epoch == 20, timeout=TIMEOUT)
    assert f"({what}: epoch" not in text()  # caught up: no note
    if name == "gradients":
        assert text().startswith("epoch 20")
    w.show_view("main")
    w.step(15)
    wait_run(w, 35)
    gate, held = threading.Event(), []
    probe_call = getattr(inspect, cls).__call__

    def slow(self, *args, **kwargs):
        held.append(1)
        gate.wait(timeout=60)  # (never forever: a failing test must not hang the worker)
        return probe_call(self, *args, **kwargs)
    monkeypatch.setattr(getattr(inspect, cls), "__call__", slow)
    try:
        w.show_view(name)
        qtbot.waitUntil(lambda: bool(held), timeout=TIMEOUT)  # its numbers of 35 are under way
        assert w.last_snapshot.epoch == 35 and view.snapshot is w.last_snapshot
        assert text().startswith(f"epoch 35 ({what}: epoch 20; computing epoch 35"), text()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.snapshot.extras.get(view.extras_key) is not None
                    and view.snapshot.extras[view.extras_key].epoch == 35, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "computing" not in text() and f"({what}: epoch" not in text(),
                    timeout=TIMEOUT)
    if name == "gradients":
        assert text().startswith("epoch 35")
