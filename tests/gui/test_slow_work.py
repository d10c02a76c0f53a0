"""What the window says while slow work is under way (review r23: a 100,000-point 2-512x4-1 run,
where a compile takes ~35 s and a past epoch seconds to recompute). The slowness is made here by
holding the worker where the big run is slow -- its compile, its recomputing of a past epoch
(runlog.state_at) -- until the test lets it go: the tests wait for what the window shows, never
on the clock."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from nnviz.core import runlog
from nnviz.core.training import Trainer

TIMEOUT = 30_000

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _held(monkeypatch, obj, name: str, gate, only_new: bool = False):
    """``obj.name`` made to wait for ``gate`` (acquired: an Event's wait or a Semaphore's
    acquire) before it runs, in the worker's thread. ``only_new``: only the first call for
    each epoch (state_at's third argument) waits: a frame made again for the same epoch is
    not a new one to wait for (until ``done`` is cleared). Returns (the epochs, or None, it was
    called for, in order; ``done``)."""
    calls: list = []
    done: set = set()
    orig = getattr(obj, name)
    wait = gate.wait if isinstance(gate, threading.Event) else gate.acquire

    def held(*args, **kwargs):
        key = args[2] if only_new else None
        if not only_new or key not in done:
            calls.append(key)
            wait(timeout=60)  # (never forever: a failing test must not hang the worker)
            done.add(key)
        return orig(*args, **kwargs)
    monkeypatch.setattr(obj, name, held)
    return calls, done


def test_a_new_model_compiling_leaves_the_plane_blank_and_live_off(bare_window, qtbot,
                                                                   wait_run, monkeypatch):
    """r23 F2: while a new model compiled (35 s at 4x512), the plot kept the last model's
    boundary under its colour bar, read as the new model's prediction; and Live stood enabled
    with no run behind it. As after an Undo: the plane blank, "compiling the new model...", until
    the new model's first frame."""
    w = bare_window
    w.step(20)
    wait_run(w, 20)
    w.timeline.go(5)  # the last run shown in the past: Live was enabled
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 5, timeout=TIMEOUT)
    assert w.timeline.live.isEnabled() and w.boundary.image_data() is not None
    gate = threading.Event()
    _held(monkeypatch, Trainer, "compile", gate)
    try:
        w.editor.rows[0].width.setValue(7)  # a new model
        qtbot.waitUntil(lambda: w.boundary.busy.isVisible(), timeout=TIMEOUT)
        assert w.boundary.image_data() is None  # no prediction drawn: not the last model's
        assert not w.timeline.live.isEnabled()
        assert "compiling the new model" in w.boundary.busy.text()
    finally:
        gate.set()  # (the compiles after it go straight on)
    s = wait_run(w, 0)
    assert s.spec.hidden[0] == 7
    qtbot.waitUntil(lambda: not w.boundary.busy.isVisible(), timeout=TIMEOUT)
    assert w.boundary.image_data() is not None  # the new model's own
    assert not w.timeline.live.isEnabled()


def _checkpoints(w, qtbot) -> list[int]:
    got = []
    w.request_state(got.append, lambda ctx: [c.epoch for c in ctx.log.checkpoints])
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    return got[0]


def test_a_slow_seek_says_it_computes_the_epoch_until_it_comes(bare_window, qtbot, wait_run,
                                                               monkeypatch):
    """r23 F4: a click on the timeline of a big run left the handle at 10 for ~10 s while the
    line said "Past: epoch 5 of 14" and the views showed 5, nothing saying epoch 10 was being
    recomputed from the checkpoint at 7. The line says it until the epoch comes."""
    w, tl = bare_window, bare_window.timeline
    w.step(300)
    wait_run(w, 300)
    ck = _checkpoints(w, qtbot)
    at = next(c + 2 for c, d in zip(ck, ck[1:]) if d - c > 3 and c > 0)  # not a checkpoint
    gate = threading.Event()
    _held(monkeypatch, runlog, "state_at", gate)
    try:
        tl.go(at)
        want = f"Computing epoch {at:,} from the checkpoint at epoch {at - 2:,}\u2026"
        qtbot.waitUntil(lambda: tl.label.full_text() == want, timeout=TIMEOUT)
        assert w.last_snapshot.epoch == 300  # the views still show the epoch before
        assert tl._slider_epoch() == at
    finally:
        gate.set()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == at, timeout=TIMEOUT)
    assert tl.label.full_text() == f"Past: epoch {at:,} of 300"


def test_replay_waits_for_each_epoch_it_shows_and_pauses_on_a_second_click(
        bare_window, qtbot, wait_run, monkeypatch):
    """r23 F17: on a run whose past epochs take seconds to recompute, Replay turned back from
    "Pause" to "Replay" within 0.3 s, epochs 0 and 5 came seconds later, 1-4 never, and clicks
    on the button flipped the window 0 <-> 5. Each epoch is asked for once the last has come:
    all are shown, in order, the button reads "Pause" while they come, and a click pauses."""
    w, tl = bare_window, bare_window.timeline
    w.step(6)
    wait_run(w, 6)
    tl.speed.setProperty("chosen", True)
    tl.speed.setCurrentIndex(tl.speed.findData(10))  # 10 epochs a second
    ticks = [0]
    tl._timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    gate = threading.Semaphore(0)
    asked, done = _held(monkeypatch, runlog, "state_at", gate, only_new=True)
    shown = []
    w.snapshot_drawn.connect(lambda s: shown.append(s.epoch) if s.past else None)
    try:
        qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)
        for k in range(6):
            # Slower than the pace: a third of a second (10 ticks) for each epoch, while the
            # replay would move on 3 epochs.
            t0 = ticks[0]
            qtbot.waitUntil(lambda: ticks[0] >= t0 + 10, timeout=TIMEOUT)
            assert tl.replay.isChecked() and tl.replay.text() == "Pause"
            assert asked == list(range(k + 1))  # never one asked for before the last came
            gate.release()
            qtbot.waitUntil(lambda: w.last_snapshot.epoch == k, timeout=TIMEOUT)
            assert tl.label.full_text() == f"Past: epoch {k} of 6"
        qtbot.waitUntil(lambda: not w.last_snapshot.past, timeout=TIMEOUT)
        assert not tl.replay.isChecked() and tl.replay.text() == "Replay"
        assert shown == list(range(6))
        # Again, paused by a second click while its first epoch is still to come: it stays
        # there, and asks for nothing more.
        done.clear()
        qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)
        assert tl.replay.isChecked()
        qtbot.waitUntil(lambda: len(asked) == 7, timeout=TIMEOUT)  # epoch 0, made again
        t0 = ticks[0]
        qtbot.waitUntil(lambda: ticks[0] >= t0 + 10, timeout=TIMEOUT)
        assert tl.replay.isChecked() and tl.replay.text() == "Pause"
        qtbot.mouseClick(tl.replay, Qt.MouseButton.LeftButton)
        assert not tl.replay.isChecked() and tl.replay.text() == "Replay"
        gate.release()
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == 0, timeout=TIMEOUT)
        assert not tl._timer.isActive() and tl._slider_epoch() == 0 and len(asked) == 7
    finally:
        for _ in range(20):
            gate.release()


def test_an_opened_session_says_it_opens_and_compiles(main_window, qtbot, wait_run, tmp_path,
                                                      monkeypatch):
    """r23 F7: for the ~35 s an opened big session compiled, the header said "Epoch 14" and
    the timeline "Timeline: train, then drag to look back" over a session saved at epoch 3 of
    14. They say it opens epoch 3 of 14 and compiles."""
    w, actions = main_window, main_window.session_actions
    w.step(14)
    wait_run(w, 14)
    w.timeline.go(3)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 3, timeout=TIMEOUT)
    path = tmp_path / "big.nnviz"
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(str(path))
    gate = threading.Event()
    _held(monkeypatch, Trainer, "compile", gate)
    try:
        w.open_session(str(path))
        qtbot.waitUntil(lambda: w.boundary.busy.isVisible(), timeout=TIMEOUT)
        text = w.timeline.label.full_text()
        assert text == "Opening epoch 3 of 14: compiling the model\u2026", text
        header = w.controls.epoch.text()
        assert "Epoch 3<" in header and "compiling" in header and "of 14" in header, header
    finally:
        gate.set()
    wait_run(w, 3)
    qtbot.waitUntil(lambda: w.timeline.label.full_text() == "Past: epoch 3 of 14",
                    timeout=TIMEOUT)


# --- a slow view's probe gives way to the user (review r24 F18) ------------------------------
# On a 2-512x8-1 network the Landscape's probe took 10-40 s a snapshot (its map, path, line and
# sharpness), and a Step, or a click on the timeline, waited for it: "Computing 39..." for
# 17-30 s, nothing saying what for. Here the landscape is made slow by holding its map until
# the test lets it go, giving way (core.preempt) as the real one does between its parts.


def _slow(monkeypatch, module, name: str, gate: threading.Event) -> list:
    """``module.name(model, ...)`` held until ``gate`` is set, in the worker's thread (not the
    landscape's compile thread's warm-up), asking meanwhile whether to give way, as the probes
    do between their parts. Returns the epochs it was called for while held."""
    from nnviz.core import preempt
    orig, held = getattr(module, name), []

    def slow(model, *args, **kwargs):
        if not gate.is_set() and \
                not threading.current_thread().name.startswith("nnviz-landscape-compile"):
            held.append(int(getattr(model, "epoch", -1)))
            for _ in range(6000):  # (never forever: a failing test must not hang the worker)
                if gate.wait(0.01):
                    break
                preempt.check()
        return orig(model, *args, **kwargs)
    monkeypatch.setattr(module, name, slow)
    return held


def _slow_landscape(monkeypatch, gate: threading.Event) -> list:
    """The landscape probe's map (``landscape.landscape``) held: see _slow."""
    from nnviz.core import landscape as ls
    return _slow(monkeypatch, ls, "landscape", gate)


LANDSCAPE_TIMEOUT = 90_000  # its functions' first compile, on a busy machine


def _landscape_shown(qtbot, w, epoch: int):
    w.show_view("landscape")
    view = w._inspection_views["landscape"]
    try:
        qtbot.waitUntil(lambda: view.result is not None and view.result.epoch == epoch
                        and view.result.sharpness_missing == 0, timeout=LANDSCAPE_TIMEOUT)
    except Exception:
        r = view.result
        print("landscape shown:", None if r is None else (r.epoch, r.sharpness_compiling,
              r.sharpness_missing), w.last_snapshot.pending, view.summary.text())
        raise
    return view


def _held_after(qtbot, w, wait_run, monkeypatch, epochs: int):
    """``epochs`` trained (a Step) and their landscape shown, then the landscape's map held
    (_slow_landscape): (the view, the gate that lets the map go)."""
    w.step(epochs)
    wait_run(w, epochs)
    view = _landscape_shown(qtbot, w, epochs)
    gate = threading.Event()
    _slow_landscape(monkeypatch, gate)
    return view, gate


def _comes_computing(qtbot, w, view, epoch: int) -> None:
    """The window shows ``epoch`` (a Step's, a seek's) while its landscape is held, and the
    Landscape says it computes that epoch's."""
    from nnviz.gui.landscape_view import COMPUTING
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: COMPUTING.format(epoch=epoch) in view.summary.text(),
                    timeout=TIMEOUT)


def test_a_step_comes_at_once_while_the_landscape_of_its_epoch_is_slow(main_window, qtbot,
                                                                        wait_run, monkeypatch):
    """The Step's epoch comes while the landscape of it is still being computed: every view
    but the Landscape shows it, and the Landscape says it is computing that epoch's, over the
    last one's numbers; then they come."""
    w = main_window
    view, gate = _held_after(qtbot, w, wait_run, monkeypatch, 10)
    try:
        w.step(1)
        _comes_computing(qtbot, w, view, 11)
        assert view.result.epoch == 10  # the last landscape stays drawn meanwhile
        w.step(1)  # and again: the next Step does not wait for the landscape either
        _comes_computing(qtbot, w, view, 12)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.result.epoch == 12 and view.result.sharpness_missing == 0
                    and "Computing" not in view.summary.text(), timeout=TIMEOUT)
    qtbot.waitUntil(view.ready, timeout=TIMEOUT)  # the window's epoch, sharpness and all


def test_a_seek_comes_at_once_while_the_landscape_of_its_epoch_is_slow(main_window, qtbot,
                                                                       wait_run, monkeypatch):
    """r24 F18's addendum: a click on the timeline at epoch 39 on the Landscape tab showed
    "Computing 39..." for 17-30 s (0.32 s on another tab). The epoch comes; the Landscape
    says it computes it."""
    w, tl = main_window, main_window.timeline
    view, gate = _held_after(qtbot, w, wait_run, monkeypatch, 60)
    try:
        tl.go(39)
        _comes_computing(qtbot, w, view, 39)
        assert tl.label.full_text() == "Past: epoch 39 of 60"
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.result.epoch == 39 and "Computing" not in view.summary.text(),
                    timeout=TIMEOUT)


def test_play_after_a_pause_shows_new_epochs_without_waiting_for_the_landscape(
        main_window, qtbot, wait_run, monkeypatch):
    """r24 F5: paused at 2,182 on the Landscape of 2-512x8-1, Play: the button read Pause and
    the epoch stayed 2,182 for ~4.5 s. The play's first frame came long after the paused one,
    and the probe took it for a still run's: a new landscape, the whole sharpness history and
    all, though the paused epoch's was drawn. The epochs come at once; the landscape drawn
    stays (the next one comes at the probe's budget, made all but nil here: not in this test's
    time) until the run pauses again."""
    from nnviz.core import landscape_probe as lp
    from nnviz.gui import landscape_view
    monkeypatch.setattr(landscape_view, "LANDSCAPE_BUDGET", 1e-9)
    # The pause lasts longer than the probe's idea of a playing run's gap between frames
    # (IDLE_S), whatever the machine's speed: as the user's did.
    monkeypatch.setattr(lp, "IDLE_S", 0.0)
    w = main_window
    w.set_stop_at(None)
    w.step(10)
    wait_run(w, 10)
    view = _landscape_shown(qtbot, w, 10)
    gate = threading.Event()
    _slow_landscape(monkeypatch, gate)  # a new landscape would hold the worker
    try:
        w.play()
        qtbot.waitUntil(lambda: w.last_snapshot.epoch > 10, timeout=TIMEOUT)
        epoch = w.last_snapshot.epoch
        assert f"Epoch {epoch:,}" in w.controls.epoch.text() and w.playing
        qtbot.waitUntil(lambda: w.last_snapshot.epoch > epoch, timeout=TIMEOUT)  # and on
        assert view.result.epoch == 10  # the paused epoch's landscape, the model placed on it
    finally:
        w.pause()
        gate.set()
    loop = w.worker.loop
    qtbot.waitUntil(lambda: not loop.playing and w.last_snapshot.epoch == loop.trainer.epoch,
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.result.epoch == w.last_snapshot.epoch, timeout=TIMEOUT)


def test_while_the_sharpness_compiles_the_paused_landscape_is_not_made_again_and_again(
        main_window, qtbot, monkeypatch):
    """Paused, while the sharpness compiled, the view sent its probe every 300 ms, and the
    worker made the same landscape each time (seconds on 2-512x8-1: a Step waited behind
    them). It waits for the compile, then asks once for the sharpness."""
    from nnviz.core import landscape as ls
    from nnviz.core import landscape_probe as lp
    monkeypatch.setattr(lp, "_warm", {})  # this network's functions prepared anew, held here
    gate = threading.Event()
    _held(monkeypatch, lp.LandscapeProbe, "_warm_up_sharpness", gate)
    looks, made = [], []
    compiling, landscape = lp.compiling, ls.landscape
    monkeypatch.setattr(lp, "compiling", lambda part=None: looks.append(part) or compiling(part))

    def counted(model, *args, **kwargs):
        if not threading.current_thread().name.startswith("nnviz-landscape-compile"):
            made.append(int(model.epoch))
        return landscape(model, *args, **kwargs)
    monkeypatch.setattr(ls, "landscape", counted)
    w = main_window
    try:
        w.show_view("landscape")
        view = w._inspection_views["landscape"]
        qtbot.waitUntil(lambda: view.result is not None and view.result.sharpness_compiling,
                        timeout=TIMEOUT)
        assert "the sharpness is being prepared (compiling)" in view.summary.text()
        n = len(made)
        # The view looks whether the compile is done a few times (every 300 ms) ...
        qtbot.waitUntil(lambda: looks.count("sharpness") >= 3, timeout=TIMEOUT)
        assert len(made) == n  # ... and asks for no landscape meanwhile
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not view.result.sharpness_compiling
                    and view.result.sharpness_missing == 0, timeout=TIMEOUT)
    assert len(made) == n  # the sharpness came without the landscape made again


def test_paused_after_play_the_regions_say_they_compute_the_window_s_epoch(main_window, qtbot,
                                                                           monkeypatch):
    """r24 F6: a 2-512x8-1 relu network's Regions tab read "at epoch 0: 6493 regions", one dot
    over the run, long after a pause at 274 (its probe takes 20-30 s there). Paused, the tab
    says it computes the window's epoch over the last regions, and they come."""
    from nnviz.core import regions
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem
    from nnviz.gui.regions_view import COMPUTING
    w = main_window
    w.load_problem(make_problem(make_dataset(DataSpec("moons")),
                                Choices((4, 10, 4), ("relu",) * 3)))
    w.show_view("regions")
    view = w._inspection_views["regions"]
    qtbot.waitUntil(lambda: view.result is not None and view.result.reason is None,
                    timeout=LANDSCAPE_TIMEOUT)
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 30, timeout=TIMEOUT)
    gate = threading.Event()
    _slow(monkeypatch, regions, "region_ids", gate)  # the regions of a new epoch are slow
    try:
        w.pause()
        qtbot.waitUntil(lambda: not w.playing and view.header.text().startswith(
            COMPUTING.format(epoch=w.last_snapshot.epoch)), timeout=TIMEOUT)
        epoch = w.last_snapshot.epoch
        assert view.result.epoch < epoch  # the last regions stay drawn meanwhile
    finally:
        gate.set()
    # (the chunk under way at the Pause may still end a few epochs on: the window's last)
    qtbot.waitUntil(lambda: view.result.epoch == w.last_snapshot.epoch, timeout=TIMEOUT)
    epoch = w.last_snapshot.epoch
    assert f"at epoch {epoch:,}:" in view.header.text() and "Computing" not in \
        view.header.text()
    assert view.result.history_epochs[-1] == epoch and len(view.result.history_epochs) > 1


def test_leaving_the_landscape_stops_its_sharpness_history(main_window, qtbot, wait_run,
                                                           monkeypatch):
    """r24 F17: paused, after a visit to the Landscape of 2-512x8-1, XLA's threads stayed busy
    for minutes on another tab: the worker was estimating the sharpness of every checkpoint of
    the run in one go (seconds each there), and leaving the tab did not stop it. It stops at
    the next checkpoint's estimate."""
    from nnviz.core import landscape_probe as lp
    monkeypatch.setattr(lp, "_sharpness_batch", lambda spec: 1)  # one checkpoint a call
    w = main_window
    w.step(100)
    wait_run(w, 100)
    gate, calls = threading.Event(), []
    estimates = lp.top_eigenvalues

    def held(*args, **kwargs):
        if not threading.current_thread().name.startswith("nnviz-landscape-compile"):
            calls.append(1)
            gate.wait(timeout=60)
        return estimates(*args, **kwargs)
    monkeypatch.setattr(lp, "top_eigenvalues", held)
    try:
        w.show_view("landscape")
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=LANDSCAPE_TIMEOUT)  # the history's
        w.show_view("main")  # another tab, while the first checkpoint's estimate runs
        got = []
        w.request_state(got.append, lambda ctx: True)  # (the worker has done what came before)
        qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    finally:
        gate.set()
    # (the landscape is computed on a thread of its own: that thread's work ends)
    qtbot.waitUntil(lambda: not lp.busy(), timeout=TIMEOUT)
    assert len(calls) == 1
