"""A sweep of one's own that cannot be trained (r15, item 3): the Compare tab's form refuses what
the window's fields refuse, with the same bounds; a sweep the worker refuses to build says why
every time, leaves no "Compiling a sweep…" behind, and Play on the tab never trains the main
run out of sight (the README: while a sweep is on, the main run waits, paused)."""
from __future__ import annotations

from nnviz.core.problem import notebook_problem
from nnviz.core.sweep import Axis, SweepSpec
from tests.conftest import FIRST_SNAPSHOT_MS


def _refused(qtbot, panel, name: str, text: str) -> str:
    box = panel.axis_boxes[0]
    box.setCurrentIndex(box.findData(name))
    panel.value_edits[0].setText(text)
    with qtbot.assertNotEmitted(panel.custom_requested):
        panel.start.click()
    assert panel.message.isVisible()
    return panel.message.text()


def _taken(qtbot, panel, name: str, text: str) -> tuple:
    box = panel.axis_boxes[0]
    box.setCurrentIndex(box.findData(name))
    panel.value_edits[0].setText(text)
    with qtbot.waitSignal(panel.custom_requested) as got:
        panel.start.click()
    assert panel.message.isHidden()
    return got.args[0][0][1]


def test_the_sweep_form_takes_the_rates_the_windows_fields_take(qtbot):
    """'0.5, 50000' was taken by the form (the window refuses over 10,000), and the sweep was
    refused only once it was being built."""
    from nnviz.gui.sweep_panel import SweepPanel
    from nnviz.gui.training_panel import TrainingPanel
    panel, fields = SweepPanel(), TrainingPanel()
    qtbot.addWidget(panel)
    qtbot.addWidget(fields)
    panel.show()
    text = _refused(qtbot, panel, "learning_rate", "0.5, 50000")
    assert "'50000' is out of range" in text and "up to 10,000" in text
    # The same edge in both: what the window's field takes, the form takes.
    for typed, taken in (("10000", True), ("10000.5", False), ("0", False)):
        try:
            fields.lr.parse(typed)
        except ValueError:
            window_takes = False
        else:
            window_takes = True
        assert window_takes is taken
        if taken:
            assert _taken(qtbot, panel, "learning_rate", typed) == (float(typed),)
        else:
            assert "out of range" in _refused(qtbot, panel, "learning_rate", typed)
    # The penalty rates as the Regularization rate field: 0 to 10.
    assert _taken(qtbot, panel, "l2", "0, 10") == (0.0, 10.0)
    assert "0 to 10" in _refused(qtbot, panel, "l2", "0, 11")
    assert "0 to 10" in _refused(qtbot, panel, "l1", "20")
    fields.reg_rate.setEnabled(True)
    assert fields.reg_rate.parse("10") == 10.0


def _bad_spec():
    """A sweep the form would refuse, given to the view as a preset or a file could: the
    worker refuses it when it builds the members."""
    return SweepSpec(notebook_problem(), (Axis("learning_rate", (0.5, 50000.0)),))


def _main_run(qtbot, window):
    """(the main run's epoch, whether the worker is training) asked in the worker thread,
    after every command posted before."""
    got = []
    window.worker.request(lambda ctx: (ctx.trainer.epoch, window.worker.loop.playing),
                          got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=FIRST_SNAPSHOT_MS)
    return got[0]


def test_a_refused_sweep_says_why_every_time_and_play_leaves_the_main_run(qtbot, main_window):
    window = main_window
    window.show_view("compare")
    view = window._inspection_views["compare"]
    panel = view.panel
    for attempt in range(2):
        view.start(_bad_spec())
        assert view.title.text().startswith("Compiling a sweep of 2 members")
        window.play_or_replay()  # Space while it says it is starting
        qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=FIRST_SNAPSHOT_MS)
        said = panel.message.text()
        assert "learning rate" in said and "50000" in said, said
        # Nothing says it is starting any more, on the tab or in its status line.
        assert "Compiling" not in view.title.text() and "No sweep" in view.title.text()
        qtbot.waitUntil(lambda: "compiling" not in window.controls.status.text(),
                        timeout=FIRST_SNAPSHOT_MS)
        # Each time in the status bar, which Help -> Recent messages keeps.
        assert any(said in text for _, text in window.statusBar().recent)
        if attempt == 0:
            window.statusBar().clearMessage()
            window.statusBar().recent.clear()
        # The sweep's refusal is not the main run's banner (it followed onto every tab).
        assert not window.banner.isVisible()
        # Space trained nothing: the main run waits, paused, and the button says Play.
        qtbot.waitUntil(lambda: not window.playing, timeout=FIRST_SNAPSHOT_MS)
        assert _main_run(qtbot, window) == (0, False)
        window.play_or_replay()  # Space once refused: no sweep, and it says so
        assert "No sweep to train yet" in window.statusBar().currentMessage()
        assert _main_run(qtbot, window) == (0, False) and not window.playing
    # A good sweep after: it starts, and the refusal's words go.
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 1.0)),)))
    assert panel.message.isHidden()
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id,
                    timeout=FIRST_SNAPSHOT_MS)


def test_leaving_the_tab_while_a_sweep_compiles_gives_play_back_to_the_main_run(qtbot,
                                                                                main_window):
    """The tab left before the sweep's first picture kept the worker's controls on the
    sweep: Play on the main tab trained the sweep, out of sight, and the main run stood."""
    window = main_window
    window.show_view("compare")
    view = window._inspection_views["compare"]
    view.start(SweepSpec(notebook_problem(), (Axis("learning_rate", (0.3, 1.0)),)))
    window.show_view("main")  # before its first picture
    window.step(3)
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 3, timeout=FIRST_SNAPSHOT_MS)
    got = []
    window.worker.sweep_request(lambda sweep: sweep.epoch, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=FIRST_SNAPSHOT_MS)
    assert got[0] == 0  # the sweep waited on its tab
