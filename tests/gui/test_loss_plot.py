"""The loss plot follows the run in steps: the whole curve stays in view, the labels stay still."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from nnviz.gui.loss_plot import epoch_axis_end, loss_axis_end

TIMEOUT = 60_000  # a wait for a condition; generous, so a loaded machine only makes it slower

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]



def _shown_plot(qtbot, size=(600, 220)):
    """A LossPlot of its own, shown at ``size``."""
    from nnviz.gui.loss_plot import LossPlot
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    return plot

def test_the_epoch_axis_ends_at_round_numbers_and_the_curve_fills_most_of_it():
    assert [epoch_axis_end(e) for e in (0, 1, 10, 11, 20, 21, 51, 999, 1002, 2e6, 2e6 + 1)] == \
        pytest.approx([10, 10, 10, 12.5, 20, 25, 60, 1000, 1250, 2e6, 2.5e6])
    assert all(e / epoch_axis_end(e) >= 2 / 3 for e in range(10, 100_000, 7))


def test_the_epoch_axis_runs_at_most_a_quarter_past_the_run_and_moves_in_few_steps():
    # A run at epoch 1,002 got an axis to 1,500: the last third of the plot empty.
    epochs = np.arange(10, 1_000_001)
    ends = np.array([epoch_axis_end(e) for e in epochs[::37]])
    assert np.all(ends <= 1.25 * epochs[::37] + 1e-9) and np.all(ends >= epochs[::37])
    # Steps, not a following axis: a handful of ends a decade.
    assert len({epoch_axis_end(e) for e in range(1000, 10_000)}) <= 14


@pytest.mark.parametrize("value, end", [(1.0, 1.2), (0.25, 0.3), (3.565, 4.0), (0.0093, 0.01),
                                        (980.0, 1000.0), (1.1e19, 1.2e19)])
def test_the_loss_axis_ends_at_a_round_number_above_the_largest_loss(value, end):
    assert loss_axis_end(value) == pytest.approx(end)


def _shown(plot):
    (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    return x0, x1, y0, y1


def test_the_whole_run_stays_in_view_and_the_axes_move_in_steps(bare_window, qtbot):
    w = bare_window
    ranges, seen = [], []

    def drawn(s):
        ranges.append(_shown(w.loss_plot))
        seen.append(s)
    w.snapshot_drawn.connect(drawn)
    w.controls.toggle_full_speed()  # a long run: Play starts at a pace to watch
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch >= 30_000 and len(seen) >= 90, timeout=TIMEOUT)
    w.pause()
    for (x0, x1, y0, y1), s in zip(ranges, seen):
        if not len(s.loss_epochs):
            continue
        values = np.concatenate([s.loss_values, s.test_values, [s.end_loss]])
        values = values[np.isfinite(values)]
        assert x0 <= 1 and s.loss_epochs[-1] <= x1 <= 1.25 * max(s.loss_epochs[-1], 10)
        assert y0 <= values.min() and values.max() <= y1 <= 1.25 * values.max()
    # ~30 frames a second for seconds, yet the axes changed only now and then: at the round
    # ends of the epoch axis (10, 15, 20, ... whatever the frame rate) and at the few steps of
    # the loss axis while the loss falls. (Counting changes against the number of frames
    # failed on a slow machine, where each frame covers more epochs.)
    last = max(int(s.loss_epochs[-1]) for s in seen if len(s.loss_epochs))
    ends = {epoch_axis_end(e) for e in np.unique(np.geomspace(1, last, 20_000).round())}
    assert {x1 for _, x1, _, _ in ranges} <= ends | {epoch_axis_end(0)}
    y_ranges = {(y0, y1) for _, _, y0, y1 in ranges}
    assert len(y_ranges) <= 8  # round numbers: a handful while the loss falls
    assert len(set(ranges)) <= len(ends) + len(y_ranges)
    assert len(set(ranges)) < len(ranges)  # the same range is drawn again and again


def test_dragging_the_plot_stops_the_following_and_reset_brings_it_back(bare_window, qtbot,
                                                                        wait_run):
    w = bare_window
    w.controls.step_buttons[100].click()
    wait_run(w, 100)
    vb = w.loss_plot.getPlotItem().getViewBox()
    view = w.loss_plot.viewport()
    before = _shown(w.loss_plot)
    centre = QPointF(view.rect().center())
    for _ in range(3):  # the mouse wheel zooms in, as a user does to look closer
        QApplication.sendEvent(view, QWheelEvent(
            centre, QPointF(view.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
            False))
    moved = _shown(w.loss_plot)
    assert moved[1] - moved[0] < before[1] - before[0] and not w.loss_plot.following
    w.controls.step_buttons[1000].click()
    wait_run(w, 1100)
    assert _shown(w.loss_plot) == moved  # the user's view is kept while training goes on
    w.controls.reset.click()
    wait_run(w, 0)
    w.controls.step_buttons[100].click()
    wait_run(w, 100)
    assert w.loss_plot.following and _shown(w.loss_plot)[:2] == (0, 100)
    assert vb.viewRange()[1][1] >= w.last_snapshot.loss_values.max()


def test_the_log_scale_shows_whole_decades(bare_window, qtbot, wait_run):
    w = bare_window
    w.controls.step_buttons[1000].click()
    s = wait_run(w, 1000)
    w.log_scale.setChecked(True)
    x0, x1, y0, y1 = _shown(w.loss_plot)
    assert y0 == int(y0) and y1 == int(y1)
    assert 10 ** y0 <= s.loss_values.min() and s.loss_values.max() <= 10 ** y1


def test_a_learning_rate_change_mid_run_is_marked_where_it_happened(bare_window, qtbot,
                                                                     wait_run):
    """r19 #1: after lr 1 -> 0.1 at epoch 20 nothing on the chart said where the run changed
    rate. A dashed line at epoch 20, labelled with the new rate, inside the plot."""
    w = bare_window
    w.controls.step_buttons[10].click()
    wait_run(w, 10)
    w.controls.step_buttons[10].click()
    wait_run(w, 20)
    plot = w.loss_plot
    assert not any(line.isVisible() for line in plot._rate_lines)  # one rate: no mark
    w.set_learning_rate(0.1)
    w.controls.step_buttons[10].click()
    wait_run(w, 30)
    qtbot.waitUntil(lambda: any(line.isVisible() for line in plot._rate_lines), timeout=TIMEOUT)
    shown = [line for line in plot._rate_lines if line.isVisible()]
    assert len(shown) == 1 and shown[0].value() == 20
    assert shown[0].label.toPlainText() == "lr 0.1"
    x0, x1, _, _ = _shown(plot)
    assert x0 < 20 < x1
    view = plot.getPlotItem().getViewBox()
    label = shown[0].label.mapRectToItem(view, shown[0].label.boundingRect())
    assert view.boundingRect().contains(label), (label, view.boundingRect())


def test_a_run_of_one_epoch_shows_its_loss_as_a_point(bare_window, qtbot, wait_run):
    w = bare_window
    w.controls.step.click()
    wait_run(w, 1)
    assert w.loss_plot.train.opts["symbol"] == "o"  # one point: no line to draw, so a dot
    w.controls.step_buttons[10].click()
    wait_run(w, 11)
    assert w.loss_plot.train.opts["symbol"] is None  # a line from three points on


@pytest.mark.parametrize("low, high, start", [(0.20, 0.27, 0.15), (0.26, 0.27, 0.25),
                                              (0.10, 0.27, 0.0), (0.0, 1.0, 0.0),
                                              (950.0, 1000.0, 800.0)])
def test_the_loss_axis_starts_under_an_early_curve_and_at_zero_once_it_has_halved(low, high,
                                                                                  start):
    from nnviz.gui.loss_plot import loss_axis_start
    assert loss_axis_start(low, high) == pytest.approx(start)


def test_after_reset_the_plot_is_empty_and_starts_afresh(bare_window, qtbot, wait_run):
    w = bare_window
    w.controls.step_buttons[1000].click()
    wait_run(w, 1000)
    assert _shown(w.loss_plot)[1] >= 1000
    w.controls.reset.click()
    wait_run(w, 0)
    x0, x1, y0, y1 = _shown(w.loss_plot)
    assert (x0, x1) == (0, 10)  # not the old run's axis
    assert w.loss_plot.train.opts["symbol"] is None  # no points, no dots in the legend either


def _legend_covers(plot) -> int:
    """How many drawn curve samples lie under the legend (scene coordinates)."""
    plot.grab()  # laid out and drawn
    box = plot.legend.sceneBoundingRect()
    vb = plot.getPlotItem().getViewBox()
    n = 0
    for curve in (plot.train, plot.test):
        x, y = curve.getData()
        for xi, yi in zip(x, y):
            n += box.contains(vb.mapViewToScene(QPointF(float(xi), float(yi))))
    return n


def test_the_legend_moves_off_a_loss_stuck_high_and_stays_top_right_over_a_falling_one(qtbot):
    """The legend sat top right over the curves of a run whose loss jumped and stayed high (a
    learning rate of 500: 0.26, then 0.5188 for good). It now goes where it hides no curve; over
    a falling loss it stays top right."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 401)

    def show(train, test):
        s = dataclasses.replace(base, epoch=400, loss_epochs=epochs, loss_values=train,
                                test_epochs=epochs + 1, test_values=test)
        plot.update_snapshot(s)  # one frame: the axes and the legend follow at once

    falling = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    show(falling, falling + 0.03)
    assert plot.legend_corner == "top right" and _legend_covers(plot) == 0
    stuck = np.full(400, 0.5188, np.float32)
    stuck[0] = 0.26
    show(stuck, stuck + 0.001)
    assert plot.legend_corner != "top right"
    assert _legend_covers(plot) == 0
    show(falling, falling + 0.03)  # a new run: back top right, where it is free again
    assert plot.legend_corner == "top right" and _legend_covers(plot) == 0


def test_the_legend_shrinks_back_to_one_row_when_a_branch_is_deleted(qtbot):
    # After "Continue from here" the legend held "train (run 2)", "test (run 2)" and "run 1";
    # once run 1 was deleted its box kept the room of the longer names and of the second row.
    import dataclasses

    from nnviz.core.snapshot import Branch
    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 201)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    s = dataclasses.replace(base, epoch=200, loss_epochs=epochs, loss_values=loss,
                            test_epochs=epochs + 1, test_values=loss + 0.03)
    plot.update_snapshot(s)
    qtbot.waitUntil(lambda: plot.legend.width() > 0)
    alone = (plot.legend.width(), plot.legend.height())
    other = Branch("run 1", epochs, loss * 1.5, 100)
    plot.update_snapshot(dataclasses.replace(s, branch="run 2", branches=(other,)))
    assert plot.legend.height() > alone[1]  # a second row for run 1
    plot.update_snapshot(s)  # run 1 deleted: the live run alone again
    labels = sorted(label.text for _, label in plot.legend.items)
    assert labels == ["test", "train"]
    assert plot.legend.width() == pytest.approx(alone[0], abs=1)
    assert plot.legend.height() == pytest.approx(alone[1], abs=1)


def _line_like_run(epochs=1000):
    """The line data set's loss (nnviz train --dataset line): 141 and 14 in the first two
    epochs, then ~0.93 falling slowly to 0.92."""
    e = np.arange(1, epochs + 1)
    v = (0.92 + 0.01 * np.exp(-e / 300)).astype(np.float32)
    v[:4] = (140.6, 14.18, 2.19, 1.05)
    return e, v


def _plot_with(qtbot, train_epochs, train, log=False):
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    if log:
        plot.set_log(True)
    base = snapshot_of(make_trainer())
    plot.update_snapshot(dataclasses.replace(
        base, epoch=int(train_epochs[-1]), loss_epochs=train_epochs, loss_values=train,
        test_epochs=train_epochs + 1, test_values=np.append(train[1:], train[-1]) * 0.9))
    return plot


def test_a_first_epochs_spike_does_not_flatten_the_rest_and_the_plot_says_so(qtbot):
    # The line data set: epoch 1's loss of 141 set a linear axis to 150 and the other 998
    # epochs were a flat line on the floor. The scale now comes from the rest of the run.
    e, v = _line_like_run()
    plot = _plot_with(qtbot, e, v)
    (_, _), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    rest = v[2:]
    assert y0 <= 0.5 * rest.min() and rest.max() <= y1  # every later epoch in view
    assert (0.93 - y0) / (y1 - y0) >= 0.3  # the curve stands off the floor, readable
    assert plot.spike_note.isVisible()
    assert "epochs 1–2" in plot.spike_note.toPlainText()
    assert "141" in plot.spike_note.toPlainText()
    for width in (600, 260):  # beside the legend, or under it in a narrow plot
        plot.resize(width, 220)
        qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().width() < width)
        plot.update_snapshot(plot._last)
        from PySide6.QtCore import QRectF
        vb = plot.getPlotItem().getViewBox()
        # The note's text is drawn at its anchor, top left, in pixels.
        note = QRectF(vb.mapViewToScene(plot.spike_note.pos()),
                      plot.spike_note.boundingRect().size())
        legend = plot.legend.sceneBoundingRect()
        assert not note.intersects(legend), (width, note, legend)
        assert plot.getPlotItem().getViewBox().sceneBoundingRect().contains(note)
    plot.set_log(True)  # the log scale shows everything, and needs no note
    (_, _), (ly0, ly1) = plot.getPlotItem().getViewBox().viewRange()
    assert ly1 >= np.log10(v.max()) and not plot.spike_note.isVisible()


def test_a_spike_whose_way_down_stays_above_the_usual_loss_is_cut_too(qtbot):
    # README's landscape example (sine, 16-16 tanh, 3,000 epochs): 3.5, 27, 29, 4.6, then 0.74
    # and 0.31 are all over 10x the run's usual loss, but 0.31 stands less than 4x above the
    # 0.26 after it, so none of it was a spike: a 29 axis, and the run a flat line on its
    # floor. The spike is the first four epochs, which stand 4x above all that follows.
    e = np.arange(1, 3001)
    v = (0.01 + 0.25 * np.exp(-(e - 7) / 150)).astype(np.float32)
    v[:6] = (3.496, 27.08, 28.68, 4.629, 0.7412, 0.3126)
    plot = _plot_with(qtbot, e, v)
    (_, _), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    rest = v[4:]
    assert y0 <= rest.min() and rest.max() <= y1 < 2  # every later epoch in view, no 29 axis
    assert (v[100] - y0) / (y1 - y0) >= 0.1  # epoch 101's loss stands off the floor
    assert plot.spike_note.isVisible()
    assert "epochs 1–4" in plot.spike_note.toPlainText()
    assert "28.7" in plot.spike_note.toPlainText()


@pytest.mark.parametrize("case", ["falling", "late spike", "slow start", "long fall"])
def test_curves_without_a_first_epochs_spike_are_shown_whole(qtbot, case):
    e = np.arange(1, 1001)
    v = (0.05 + 0.2 * np.exp(-e / 60)).astype(np.float32)  # a plain falling loss
    if case == "long fall":  # a long run's losses: 0.264, 0.241, ... to 1e-4; the 90th
        # percentile ~0.025 puts the first epoch (only) over 10x it, yet it is no spike
        v = (1e-4 + 0.264 * np.exp(-(e - 1) / 42)).astype(np.float32)
        v[1:] = np.minimum(v[1:], 0.241)
    if case == "late spike":  # a rise late in the run is news: never cut off
        v[900:905] = 40.0
    elif case == "slow start":  # a loss that takes tens of epochs to come down: its shape
        v = (0.001 + 0.7 * np.exp(-e / 8)).astype(np.float32)
    plot = _plot_with(qtbot, e, v)
    (_, _), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    assert y1 >= v.max() and not plot.spike_note.isVisible()


def _legend_labels(plot) -> list[str]:
    return [label.text for _, label in plot.legend.items if label.isVisible()]


def test_the_legend_lists_a_test_curve_only_while_the_data_has_test_points(bare_window, qtbot):
    # At a test fraction of 0 the legend still said "test" beside "train": there is no test
    # set, so no test curve to find.
    w = bare_window
    plot = w.loss_plot
    assert _legend_labels(plot) == ["train", "test"]
    with_test = plot.legend.width()
    old = w.run_id
    w.data_panel.test_fraction.setValue(0.0)
    qtbot.waitUntil(lambda: w.run_id != old and w.dataset is not None
                    and len(w.dataset.test_index) == 0, timeout=TIMEOUT)
    assert _legend_labels(plot) == ["train"]
    plot.grab()
    assert plot.legend.width() < with_test  # the box shrank to its one entry
    old = w.run_id
    # back to the notebook's 0.2 (test_main_window's test-point tests take 0.0 too): a fraction
    # of its own was a model of new shapes to compile, for a legend that only counts curves
    w.data_panel.test_fraction.setValue(0.2)
    qtbot.waitUntil(lambda: w.run_id != old and len(w.dataset.test_index) > 0, timeout=TIMEOUT)
    assert _legend_labels(plot) == ["train", "test"]  # back, in its place
    plot.grab()
    assert plot.legend.width() == pytest.approx(with_test, abs=1)


def test_a_two_branch_legend_fits_inside_a_narrow_presentation_plot(qtbot):
    # Presentation mode at 1024x768 (the plot ~355 px wide): "train (run 2)  test (run 2)" side
    # by side was wider than the plot; the box ran off its left edge, the first line sample a
    # stub, and it covered the top of the curve. It now goes one entry a line where the row
    # does not fit, inside the plot and off the curves.
    import dataclasses

    from nnviz.core.snapshot import Branch
    from nnviz.gui.presentation import SCALE
    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, size=(355, 500))
    plot.set_scale(SCALE)
    base = snapshot_of(make_trainer())
    run1 = np.arange(1, 1001)
    first = (0.08 + 0.32 * np.exp(-run1 / 60)).astype(np.float32)  # from 0.4
    run2 = np.arange(251, 751)
    second = np.full(500, 0.0799, np.float32)
    s = dataclasses.replace(
        base, epoch=750, branch="run 2",
        branches=(Branch("run 1", run1, first, 250),),
        loss_epochs=np.concatenate([run1[:250], run2]),
        loss_values=np.concatenate([first[:250], second]),
        test_epochs=np.array([751]), test_values=np.array([0.1118], np.float32))
    plot.update_snapshot(s)
    plot.grab()
    frame = plot.getPlotItem().getViewBox().sceneBoundingRect()
    box = plot.legend.sceneBoundingRect()
    assert frame.contains(box), (frame, box)
    for sample, label in plot.legend.items:  # every entry whole: its line and its name
        assert frame.contains(sample.sceneBoundingRect()), label.text
        assert frame.contains(label.sceneBoundingRect()), label.text
    assert _legend_covers(plot) == 0
    # Back at the normal size in a wide plot, the entries sit side by side again.
    plot.set_scale(1.0)
    plot.resize(600, 300)
    qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().width() > 400)
    plot.grab()
    rows = {round(label.sceneBoundingRect().top()) for _, label in plot.legend.items}
    assert len(rows) < len(plot.legend.items)


def test_a_spike_note_goes_with_its_run(qtbot):
    # A reviewer loaded Preset 5 after the line data set: the empty loss plot of the new run
    # still said "↑ epochs 1–2: up to 139", the last run's spike. A note belongs to its run.
    import dataclasses
    e, v = _line_like_run()
    plot = _plot_with(qtbot, e, v)
    assert plot.spike_note.isVisible()
    last = plot._last
    plot.clear_curves()  # a new run (what the window does for a preset, new data, Reset)
    assert not plot.spike_note.isVisible()
    none = np.array([], np.float32)
    plot.update_snapshot(dataclasses.replace(  # the new run's first picture, before a step
        last, epoch=0, loss_epochs=none.astype(int), loss_values=none,
        test_epochs=none.astype(int), test_values=none))
    assert not plot.spike_note.isVisible()


def test_a_branch_keeps_its_colour_whichever_branch_is_live(qtbot):
    """Reviewer: "run 1" was blue, and pink once a third branch existed (another had been live
    in between, and the colours went by the curves drawn at the time)."""
    import dataclasses

    from nnviz.core.snapshot import Branch
    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 201)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    s = dataclasses.replace(base, epoch=200, loss_epochs=epochs, loss_values=loss)

    def live(name, *others):  # the others as the loop hands them: their place in the run
        return dataclasses.replace(s, branch=name, branches=tuple(
            Branch(n, epochs, loss * (1 + k), 100, int(n[-1]) - 1) for k, n in enumerate(others)))

    def colour(name):
        return plot._branch_curves[name].opts["pen"].color().getRgb()[:3]
    plot.update_snapshot(live("run 2", "run 1"))
    first = colour("run 1")
    plot.update_snapshot(live("run 1", "run 2"))
    run2 = colour("run 2")
    plot.update_snapshot(live("run 3", "run 1", "run 2"))
    assert colour("run 1") == first and colour("run 2") == run2 and first != run2



@pytest.mark.parametrize("loss", [1.5, 4.09, 217.5])
def test_before_training_the_untrained_loss_is_in_view(qtbot, loss):
    """Reviewer: before training the loss axis ran 0-0.8 while the loss was 1.50 (fruit), 4.09
    (sine) or 217 (daylight): the first epochs' curve would start above the frame."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())  # epoch 0: no history yet
    assert not len(base.loss_epochs)
    s = dataclasses.replace(base, metrics=dataclasses.replace(base.metrics, train_loss=loss,
                                                              test_loss=loss * 0.8))
    plot.update_snapshot(s)
    view_box = plot.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: view_box.viewRange()[1][1] >= loss)
    y0, y1 = view_box.viewRange()[1]
    assert y0 <= 0.8 * loss and y1 <= 2 * loss  # in view, and not lost at the bottom either


def test_the_handle_dragged_past_2_to_the_31_asks_for_that_epoch(qtbot):
    # The signal was a Qt int, the epoch cut to 2^31 - 1: a run trained past it showed epoch
    # 2,147,483,647 for any epoch dragged to beyond (the timeline maps such runs).
    plot = _shown_plot(qtbot)
    asked = []
    plot.epoch_clicked.connect(asked.append)
    plot.marker.setValue(3_000_000_000)
    plot.marker.sigDragged.emit(plot.marker)
    assert asked == [3_000_000_000]


def test_a_key_under_a_short_plot_fits_its_axis_after_a_branch(qtbot):
    """Keyboard newcomer at 1024x768 under a window manager, after Continue from here: the key
    went under the short plot and read "epoch ── train (run 2) ···· test (rur", run 1 cut
    off.
    Too wide, it names the live branch once: "run 2: ━━ train ┅┅ test ━·━ run 1: 0.229" (the
    other branch dash-dotted, with its last loss)."""
    import dataclasses
    import re

    from PySide6.QtGui import QFontMetrics

    from nnviz.core.snapshot import Branch
    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, size=(340, 150))
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 41)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    s = dataclasses.replace(base, epoch=40, loss_epochs=epochs, loss_values=loss,
                            test_epochs=epochs + 1, test_values=loss + 0.03, branch="run 2",
                            branches=(Branch("run 1", epochs, loss * 1.5, 20),))
    plot.update_snapshot(s)
    plot.grab()
    axis = plot.getPlotItem().getAxis("bottom")
    assert not plot.legend.isVisible()  # the key is under the plot
    # The axis's title, then the key on a line of its own (review r23 F11: beside "epoch" it
    # read as the title).
    title, key = (re.sub(r"<[^>]+>", "", line).replace("&nbsp;", " ")
                  for line in axis.labelText.split("<br>"))
    assert title == "epoch"
    assert key in ("━━ train (run 2)   ┅┅ test (run 2)   ━·━ run 1: 0.229",
                   "run 2: ━━ train   ┅┅ test   ━·━ run 1: 0.229"), key
    vb = plot.getPlotItem().getViewBox()
    assert QFontMetrics(axis.label.font()).horizontalAdvance(key) <= vb.width()


def test_a_live_run_s_epochs_within_the_drawn_pixels_wait_and_are_drawn_soon_after(qtbot):
    """At 100,000 points a frame adds ~8 epochs where a pixel of a long run's chart holds tens:
    a snapshot whose curve ends, epoch mark and axes land on the pixels already drawn is not
    drawn at once (the chart was the window's largest cost a frame), and is drawn within
    CATCH_UP_MS all the same; one that moves an end by a pixel is drawn at once."""
    import dataclasses

    from nnviz.gui.loss_plot import CATCH_UP_MS
    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())

    def at(epoch, end=0.1):
        epochs = np.arange(1, epoch + 1)
        values = np.full(epoch, end, np.float32)
        values[:100] = np.linspace(0.3, end, 100)
        return dataclasses.replace(base, epoch=epoch, live_epoch=epoch, loss_epochs=epochs,
                                   loss_values=values, test_epochs=epochs + 1,
                                   test_values=values + np.float32(0.01), end_loss=end)

    first = at(48_000)
    plot.update_snapshot(first)
    (x0, x1), _ = plot.getPlotItem().getViewBox().viewRange()
    per_pixel = (x1 - x0) / plot.getPlotItem().getViewBox().width()
    assert per_pixel > 40  # the premise: tens of epochs a pixel
    near = at(48_008)  # ends in the same pixels
    plot.update_snapshot(near)
    # (the curve given to the chart ends with the loss after the last epoch, at E + 1)
    assert plot.train.xData[-1] == 48_001  # not drawn yet
    qtbot.waitUntil(lambda: plot.train.xData[-1] == 48_009, timeout=TIMEOUT)
    assert plot._catch_up.interval() == CATCH_UP_MS
    far = at(48_008 + int(3 * per_pixel))  # three pixels on: drawn at once
    plot.update_snapshot(far)
    assert plot.train.xData[-1] == far.epoch + 1
    lower = dataclasses.replace(far, epoch=far.epoch + 4, live_epoch=far.epoch + 4,
                                loss_epochs=np.arange(1, far.epoch + 5),
                                loss_values=np.append(far.loss_values,
                                                      np.full(4, 0.02, np.float32)),
                                end_loss=0.02)
    plot.update_snapshot(lower)  # the same column, but the loss fell by many pixels
    assert plot.train.xData[-1] == lower.epoch + 1


def test_the_axis_title_stays_centred_when_the_key_leaves_it(qtbot):
    """After a visit to the Compare tab the loss plot's "epoch" sat ~55 px left of the axis's
    centre, through training and a change of data: the plot made short for a moment, the key
    went under it beside "epoch", and when it came back into the plot, "epoch" kept the wide
    title's place (pyqtgraph places an axis title only when the axis is resized)."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, size=(600, 300))
    epochs = np.arange(1, 41)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=40, loss_epochs=epochs, loss_values=loss,
        test_epochs=epochs, test_values=loss + 0.03))
    axis = plot.getPlotItem().getAxis("bottom")

    def off_centre() -> float:
        label = axis.label
        return label.mapToParent(label.boundingRect().center()).x() - axis.size().width() / 2

    for height in (100, 300):  # short: the key under the plot; tall again: in it
        plot.resize(600, height)
        qtbot.waitUntil(lambda: plot.legend.isVisible() == (height == 300))
        assert abs(off_centre()) <= 2, (height, axis.labelText, off_centre())


def _key_entries(plot) -> list[tuple[str, object]]:
    """The names of the loss plot's key and where each is drawn: the legend's labels (in the
    plot) or the bottom axis' title (the key under the plot)."""
    if plot.legend.isVisible():
        return [(label.text, label.sceneBoundingRect()) for _, label in plot.legend.items]
    title = plot.getPlotItem().getAxis("bottom").label
    return [(label.text, title.sceneBoundingRect()) for _, label in plot.legend.items]


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)])
def test_every_branch_has_a_key_entry_inside_the_plot_up_to_the_most_branches(
        bare_window, qtbot, size):
    """r11: with four branches at 1400x900 the key under the plot read "epoch ━━ train (run 4)
    ┅┅ test (run 4) ━━ run 1" and "run 2" and "run 3" ran off the plot's right edge, though
    their curves were drawn. Every branch a run may have gets its entry, whole, in the plot,
    off the tick numbers; long names are cut where room is short."""
    import dataclasses
    import re

    from PySide6.QtCore import QRectF

    from nnviz.core.runlog import MAX_BRANCHES, MAX_BRANCH_NAME
    from nnviz.core.snapshot import Branch
    from nnviz.gui.loss_plot import KEY_NAME
    w = bare_window
    w.resize(*size)
    qtbot.waitUntil(lambda: w.width() == size[0])
    plot = w.loss_plot
    base = w.last_snapshot
    epochs = np.arange(1, 1601)
    loss = (0.08 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    long = "lr 0.3 after the plateau, from run 3 ep7"  # as long as a name may be
    assert len(long) == MAX_BRANCH_NAME
    for others, names in ((3, None), (MAX_BRANCHES - 1, None), (MAX_BRANCHES - 1, long)):
        branches = tuple(Branch(names if names and k == 2 else f"run {k + 1}", epochs[:1000 + k],
                                loss[:1000 + k] * (1 + k / 50), 500, colour=k)
                         for k in range(others))
        live = f"run {others + 1}"
        plot.update_snapshot(dataclasses.replace(
            base, epoch=602, live_epoch=602, loss_epochs=epochs[:602], loss_values=loss[:602],
            test_epochs=epochs[:602] + 1, test_values=loss[:602] + 0.03, branch=live,
            branches=branches))
        plot.grab()
        QApplication.processEvents()
        plot.grab()
        inside = QRectF(0, 0, plot.width(), plot.height())
        axis = plot.getPlotItem().getAxis("bottom")
        entries = _key_entries(plot)
        assert len(entries) == others + 2
        for name, rect in entries:
            assert inside.contains(rect), (size, others, name, rect, inside)
        if not plot.legend.isVisible():  # under the plot: each name in its text
            shown = re.sub(r"<[^>]+>", "", axis.labelText).replace("&nbsp;", " ")
            for b in branches:
                assert b.name in shown or b.name[:KEY_NAME - 1] + "\u2026" in shown, shown
            for curve in ("train", "test"):
                assert curve in shown and live in shown
            # Under the tick numbers, not over them (the title's text, inside its margin).
            view = plot.getPlotItem().getViewBox().sceneBoundingRect()
            numbers = view.bottom() + max(0, axis.style["tickLength"]) + \
                axis.style["tickTextOffset"][1] + axis.textHeight
            top = axis.label.sceneBoundingRect().top() + axis.label.document().documentMargin()
            assert top >= numbers - 1, (size, others, top, numbers)
        # The curves keep most of the plot.
        view = plot.getPlotItem().getViewBox().sceneBoundingRect()
        assert view.height() >= 0.5 * plot.height(), (size, others, view, plot.height())


def _rate_labels(plot) -> list[tuple[int, str]]:
    """The rate marks a user sees on the chart: (epoch, label text), left to right."""
    return sorted((int(line.value()), line.label.toPlainText())
                  for line in plot._rate_lines if line.isVisible())


def test_a_rate_mark_reused_from_an_earlier_run_says_the_new_rate(qtbot):
    """r20 F1: a session opened with marks "lr 3" and "lr 0.5", then another run: a change
    to 2 made while it played was marked "lr 3", and one to 0.7 after it "lr 0.5" (the
    exported script said 2 and 0.7). The marks' lines are kept for the next run, hidden, and
    pyqtgraph does not retext a hidden line's label: every shown mark says its own rate."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 1201)
    loss = (0.05 + 0.2 * np.exp(-epochs / 300)).astype(np.float32)

    def at(epoch, rates):
        return dataclasses.replace(base, epoch=epoch, loss_epochs=epochs[:epoch],
                                   loss_values=loss[:epoch], rates=rates)
    plot.update_snapshot(at(1200, ((0, 1.0), (1000, 3.0), (1100, 0.5))))  # the opened session
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(1000, "lr 3"), (1100, "lr 0.5")])
    plot.clear_curves()  # another run (an import, a preset)
    assert _rate_labels(plot) == []
    plot.update_snapshot(at(100, ((0, 1.0),)))
    qtbot.waitUntil(lambda: _rate_labels(plot) == [])
    plot.update_snapshot(at(300, ((0, 1.0), (265, 2.0))))  # changed while it played
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(265, "lr 2")])
    plot.update_snapshot(at(1200, ((0, 1.0), (265, 2.0), (1101, 0.7))))
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(265, "lr 2"), (1101, "lr 0.7")])


def test_rate_marks_close_together_keep_their_labels_apart(qtbot):
    """r20 F7: two changes ~100 epochs apart on a 2,000-epoch chart read "lr 3r 0.5" (and
    "lr 0.7r 0.9"): each label is drawn clear of the others, lower down its line, and back at
    the top once the plot is wide enough for them side by side."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    plot.resize(400, 300)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 2001)
    loss = (0.05 + 0.2 * np.exp(-epochs / 300)).astype(np.float32)
    s = dataclasses.replace(base, epoch=2000, loss_epochs=epochs, loss_values=loss,
                            rates=((0, 1.0), (1000, 3.0), (1100, 0.5), (1150, 0.9)))
    plot.update_snapshot(s)
    qtbot.waitUntil(lambda: [t for _, t in _rate_labels(plot)] == ["lr 3", "lr 0.5", "lr 0.9"])

    def marks():
        """Each shown label's place: its text's left and right ends and its anchor's height,
        in the scene, from its line's transform (up to date at once, where a label's own box
        is brought up to date only as it is painted): right of its line (its anchor's x 0)
        or left of it (1)."""
        out = []
        for line in plot._rate_lines:
            if line.isVisible():
                r = line.label.boundingRect()
                x = line.scenePos().x()
                left = x - line.label.anchor.x() * r.width()
                out.append((left, left + r.width(), line.mapToScene(line.label.pos()).y(),
                            r.height()))
        return sorted(out)

    def apart() -> bool:
        m = marks()
        return all(b[0] >= a[1] + 2 or a[0] >= b[1] + 2 or abs(b[2] - a[2]) >= max(a[3], b[3]) - 6
                   for i, a in enumerate(m) for b in m[i + 1:])

    def whole_run() -> bool:
        return plot.getPlotItem().getViewBox().viewRange()[0][1] >= 2000
    qtbot.waitUntil(whole_run)
    QApplication.processEvents()
    assert apart(), marks()
    # Two changes either side of the middle, each label right of its line (r29 M4), the two
    # apart (r21: "lrlr20.3").
    plot.update_snapshot(dataclasses.replace(s, rates=((0, 1.0), (900, 2.0), (1100, 0.3))))
    qtbot.waitUntil(lambda: [t for _, t in _rate_labels(plot)] == ["lr 2", "lr 0.3"])
    QApplication.processEvents()
    assert apart(), marks()
    plot.resize(3000, 300)  # room for both side by side: one height
    qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().width() > 2500 and whole_run())
    QApplication.processEvents()
    assert len({round(y) for _, _, y, _ in marks()}) == 1 and apart(), marks()


def test_the_train_curve_ends_beside_the_test_curve_live_and_in_the_past(qtbot):
    """The train loss after the last epoch E (Snapshot.end_loss, the readout's) is drawn at
    E + 1, where the test curve has the test loss of the same weights: after one Step the test
    curve had points at 1 and 2, the train curve at 1 alone (review r22 F5). The epoch axis
    still ends at E's round number (a run stopped at 1,000: 1,000, not 1,250), the loss axis
    takes the point in, and the past shown keeps the branch's whole curve."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 1001)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    live = dataclasses.replace(base, epoch=1000, live_epoch=1000, loss_epochs=epochs,
                               loss_values=loss, test_epochs=np.append(epochs[::10], 1001),
                               test_values=np.append(loss[::10], 0.3).astype(np.float32),
                               end_loss=0.4)  # a loss that rose in the last epoch
    plot.update_snapshot(live)
    x, y = plot.train.getOriginalDataset()
    assert x[-1] == 1001 and y[-1] == np.float32(0.4) and x[-2] == 1000 and y[-2] == loss[-1]
    (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    assert x1 == 1000 and y1 >= 0.4
    past = dataclasses.replace(live, epoch=400)
    plot.update_snapshot(past)
    assert plot.train.getOriginalDataset()[0][-1] == 1001 and plot.marker.value() == 400
    unknown = dataclasses.replace(live, end_loss=float("nan"))  # mini-batches: not known
    plot.update_snapshot(unknown)
    assert plot.train.getOriginalDataset()[0][-1] == 1000
    one = dataclasses.replace(base, epoch=1, live_epoch=1, loss_epochs=epochs[:1],
                              loss_values=loss[:1], test_epochs=np.array([1, 2]),
                              test_values=np.float32([0.26, 0.25]), end_loss=0.24)
    plot.update_snapshot(one)
    x, y = plot.train.getData()
    assert list(x) == [1, 2] and plot.train.opts["symbol"] == "o"  # two dots, as the test's


def _rate_set_at(qtbot, plot, epoch: int) -> None:
    """``plot`` drawing a 1,000-epoch run whose rate went from 1 to 3 at ``epoch``, its mark's
    label "lr 3" placed."""
    import dataclasses

    from .test_views_helpers import make_trainer, snapshot_of
    base = snapshot_of(make_trainer())
    epochs = np.arange(1, 1001)
    loss = (0.05 + 0.2 * np.exp(-epochs / 300)).astype(np.float32)
    plot.update_snapshot(dataclasses.replace(base, epoch=1000, loss_epochs=epochs,
                                             loss_values=loss, rates=((0, 1.0), (epoch, 3.0))))
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(epoch, "lr 3")])


@pytest.mark.parametrize("scale_first", [True, False])
def test_a_rate_mark_reads_at_presentation_size_over_a_branch_curve(qtbot, scale_first):
    """r25 F7: in presentation mode "lr 3" stayed ~8 px while the key beside it was 1.6 times
    larger, and the branch trained from that epoch drew its curve through the letters. The
    label is as large as the key's entries (the mode on before the mark or after), drawn on
    the plot's background over every curve."""
    import pyqtgraph as pg

    from nnviz.gui import colors
    from nnviz.gui.presentation import SCALE

    plot = _shown_plot(qtbot, (330, 420))  # the chart at 1024 x 768 in presentation mode
    if scale_first:
        plot.set_scale(SCALE)
    _rate_set_at(qtbot, plot, 200)
    if not scale_first:
        plot.set_scale(SCALE)
    label = next(line.label for line in plot._rate_lines if line.isVisible())
    key_pt = float(plot.legend.opts["labelTextSize"].replace("pt", ""))
    assert key_pt >= 9 * SCALE - 0.01
    qtbot.waitUntil(lambda: abs(label.textItem.font().pointSizeF() - key_pt) < 0.01)
    # On the plot's background, and over the curves: the topmost thing at the label's middle.
    fill = label.fill.color()
    assert fill.getRgb()[:3] == tuple(colors.background()[:3]) and fill.alpha() >= 200

    def on_top() -> bool:
        """The label (or its text) the topmost item at its text's middle, over the curves."""
        middle = label.textItem.mapToScene(label.textItem.boundingRect().center())
        over = plot.scene().items(middle)
        mine = [i for i, item in enumerate(over) if item in (label, label.textItem)]
        curves = [i for i, item in enumerate(over)
                  if isinstance(item, (pg.PlotCurveItem, pg.PlotDataItem))]
        return bool(mine) and all(min(mine) < i for i in curves)
    plot.grab()  # (pyqtgraph places a label's text as it paints)
    qtbot.waitUntil(on_top)


def _moons_at_lr_5():
    """The review's chart (r25 F7, r27 16.png): the moons at lr 1, then from epoch 149 "run 2"
    at lr 5, whose loss falls steeply right of the mark, and "run 1" going on at lr 1 to 349."""
    epochs = np.arange(1, 1001)
    slow = 0.25 - 0.012 * (epochs / 149) ** 2
    fast = 0.008 + (slow[148] - 0.008) * np.exp(-(epochs - 149) / 25)
    front = np.where(epochs <= 149, slow, fast).astype(np.float32)
    other = np.where(epochs <= 149, slow,
                     slow[148] - 0.125 * (1 - np.exp(-(epochs - 149) / 150))).astype(np.float32)
    return epochs, front, other


@pytest.mark.parametrize("size, presenting", [((445, 330), False), ((330, 420), True)])
def test_no_curve_runs_through_a_rate_mark_s_label(qtbot, size, presenting):
    """r25 F7, still in r27: "lr 5" sat right of its line at a fixed height, where the curve
    of the branch trained from that epoch fell straight through its letters (at 1024x768 and
    in presentation mode). The label goes where no drawn curve crosses it."""
    import dataclasses

    from PySide6.QtGui import QPainterPath, QPainterPathStroker

    from nnviz.core.snapshot import Branch
    from nnviz.gui.presentation import SCALE

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, size)
    if presenting:
        plot.set_scale(SCALE)
    epochs, front, other = _moons_at_lr_5()
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=1000, loss_epochs=epochs, loss_values=front,
        rates=((0, 1.0), (149, 5.0)), branch="run 2",
        branches=(Branch("run 1", epochs[:349], other[:349], 149, 0, 349),)))
    qtbot.waitUntil(lambda: _rate_labels(plot) == [(149, "lr 5")])
    label = next(line.label for line in plot._rate_lines if line.isVisible())
    vb = plot.getPlotItem().getViewBox()

    def crossed() -> list[str]:
        """The curves whose drawn line (2 px wide) crosses the label's text, in the scene."""
        plot.grab()  # (pyqtgraph places a label's text as it paints)
        text = label.textItem.sceneBoundingRect()
        out = []
        for name, curve in (("front", plot.train), ("run 1", plot._branch_curves["run 1"])):
            x, y = curve.getData()
            path = QPainterPath(vb.mapViewToScene(QPointF(float(x[0]), float(y[0]))))
            for a, b in zip(x[1:], y[1:]):
                path.lineTo(vb.mapViewToScene(QPointF(float(a), float(b))))
            stroker = QPainterPathStroker()
            stroker.setWidth(2)
            if stroker.createStroke(path).intersects(text):
                out.append(name)
        return out
    qtbot.waitUntil(lambda: not crossed(), timeout=TIMEOUT)
    # ... and inside the plot, beside its line.
    plot.grab()
    text, view = label.textItem.sceneBoundingRect(), vb.sceneBoundingRect()
    assert view.contains(text), (text, view)
    line_x = vb.mapViewToScene(QPointF(149, 0)).x()
    assert abs(text.left() - line_x) < 12, (text, line_x)


def _key_text(plot) -> str:
    """The key's words as a user reads them: the legend's entries, or the key under the plot."""
    import re
    if plot.legend.isVisible():
        return " | ".join(label.text for _, label in plot.legend.items)
    text = plot.getPlotItem().getAxis("bottom").labelText.split("<br>", 1)[-1]
    return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ")


@pytest.mark.parametrize("size", [(445, 330), (600, 300), (340, 150)])
def test_the_key_says_what_another_branch_changed_and_where_it_ended(qtbot, size):
    """r27 F8: the branches were "run 1" and "run 2" and only the one in front had numbers: to
    compare them a learner had to switch in the branch box. The key names another branch's
    learning rate where it is not the front one's, and its last loss (short of room: the loss)."""
    import dataclasses

    from nnviz.core import runlog
    from nnviz.core.loop import branch_curves

    from .test_views_helpers import make_trainer, snapshot_of
    t = make_trainer()
    run = runlog.Run(runlog.RunLog(name="run 1"))
    runlog.advance(t, run.log, 40)
    runlog.continue_from(t, run, 15, runlog.state_at(t, run.log, 15)[1], lr=5.0)  # "run 2"
    runlog.advance(t, run.log, 40)
    plot = _shown_plot(qtbot, size)

    def shown(active: int) -> str:
        run.active = active
        le, lv = run.log.losses.arrays()
        plot.update_snapshot(dataclasses.replace(
            snapshot_of(t), epoch=int(le[-1]), loss_epochs=le, loss_values=lv,
            branch=run.log.name, branches=branch_curves(run), rates=run.log.rates()))
        plot.grab()
        return _key_text(plot)

    def last(name: str) -> str:
        return f"{float(run.branches[run.index(name)].losses.arrays()[1][-1]):.3g}"
    key = shown(1)  # run 2 in front, run 1 went on at lr 1
    assert f"run 1: {last('run 1')}" in key or f"run 1 (lr 1): {last('run 1')}" in key, key
    if size[1] > 200:  # room for the rate
        assert f"run 1 (lr 1): {last('run 1')}" in key, key
    key = shown(0)  # run 1 in front
    assert f": {last('run 2')}" in key and "run 2" in key, key
    if size[1] > 200:
        assert f"run 2 (lr 5 from 15): {last('run 2')}" in key, key
    # A branch of run 2's rates, run 2 in front: its loss, nothing said of a rate.
    run.active = 1  # (where the trainer is)
    runlog.continue_from(t, run, 30, runlog.state_at(t, run.log, 30)[1])  # "run 3", at lr 5
    runlog.advance(t, run.log, 5)
    key = shown(1)
    assert f"run 3: {last('run 3')}" in key and "run 3 (" not in key, key


def test_another_branchs_curve_and_key_end_on_its_end_weights_loss(qtbot):
    """A branch beside the live one whose end's loss is known (BranchCurve.end_loss) ends its
    curve one epoch after its last, on that loss, as the live branch's train curve does, and
    its key says that number: the one the readout says once it is in front. Without it (a
    mini-batch run), its record's last loss."""
    import dataclasses

    from nnviz.core.snapshot import Branch

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, (600, 300))
    epochs, front, other = _moons_at_lr_5()
    end = float(other[348]) * 0.5  # another number than the record's last, 0.5x

    def shown(end_loss: float) -> str:
        plot.update_snapshot(dataclasses.replace(
            snapshot_of(make_trainer()), epoch=1000, loss_epochs=epochs, loss_values=front,
            branch="run 2", branches=(Branch("run 1", epochs[:349], other[:349], 149, 0,
                                             int(epochs[348]), end_loss=end_loss),)))
        plot.grab()
        return _key_text(plot)

    key = shown(end)
    x, y = plot._branch_curves["run 1"].getData()
    assert (int(x[-1]), float(y[-1])) == (int(epochs[348]) + 1, pytest.approx(end))
    assert f"run 1: {end:.3g}" in key, key
    key = shown(float("nan"))
    x, y = plot._branch_curves["run 1"].getData()
    assert int(x[-1]) == int(epochs[348]) and f"run 1: {float(other[348]):.3g}" in key, key


@pytest.mark.parametrize("scale_first", [True, False])
def test_in_presentation_mode_another_branch_is_as_thick_in_proportion(qtbot, scale_first):
    """The train curve goes 2 -> 3.2 px in presentation mode; another branch's dash-dotted
    curve stayed 1.5 px, a faint dotted trail on a projector. It grows by the same scale, the
    mode on before the branch is drawn or after."""
    import dataclasses

    from nnviz.core.snapshot import Branch
    from nnviz.gui.presentation import SCALE

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot)
    if scale_first:
        plot.set_scale(SCALE)
    epochs, front, other = _moons_at_lr_5()
    plot.update_snapshot(dataclasses.replace(
        snapshot_of(make_trainer()), epoch=1000, loss_epochs=epochs, loss_values=front,
        branch="run 2", branches=(Branch("run 1", epochs[:349], other[:349], 149, 0, 349),)))
    if not scale_first:
        plot.set_scale(SCALE)
    width = plot._branch_curves["run 1"].opts["pen"].widthF()
    train = plot.train.opts["pen"].widthF()
    assert width == pytest.approx(1.5 * SCALE) and train == pytest.approx(2 * SCALE)
    plot.set_scale(1.0)
    assert plot._branch_curves["run 1"].opts["pen"].widthF() == pytest.approx(1.5)


def test_a_rate_mark_s_label_is_beside_its_line_over_the_new_rate(qtbot):
    """r29 M4: presentation mode at 1024x768, the rate changed to 0.1 at epoch 3,876 of 5,046:
    the label "lr 0.1" was drawn left of its line, over the stretch trained at the old rate,
    and a class read it as that stretch's rate. It is right of its line, touching it; left of
    it (still touching) only where the plot has no room on the right."""
    import dataclasses

    from nnviz.gui.presentation import SCALE

    from .test_views_helpers import make_trainer, snapshot_of
    plot = _shown_plot(qtbot, (360, 420))  # the chart beside a view (a06)
    plot.set_scale(SCALE)
    epochs = np.arange(1, 5047)
    loss = (0.0092 + 0.2 * np.exp(-epochs / 600)).astype(np.float32)
    base = dataclasses.replace(snapshot_of(make_trainer()), epoch=5046, loss_epochs=epochs,
                               loss_values=loss)
    vb = plot.getPlotItem().getViewBox()
    for change, side in ((3876, "right"), (800, "right"), (5040, "left")):
        plot.update_snapshot(dataclasses.replace(base, rates=((0, 1.0), (change, 0.1))))
        qtbot.waitUntil(lambda: _rate_labels(plot) == [(change, "lr 0.1")])
        label = next(line.label for line in plot._rate_lines if line.isVisible())
        plot.grab()  # (pyqtgraph places a label's text as it paints)
        text, view = label.textItem.sceneBoundingRect(), vb.sceneBoundingRect()
        line_x = vb.mapViewToScene(QPointF(change, 0)).x()
        assert view.contains(text), (change, text, view)
        if side == "right":
            assert line_x - 1 <= text.left() <= line_x + 12, (change, text, line_x)
        else:
            assert line_x - 12 <= text.right() <= line_x + 1, (change, text, line_x)


def test_a_rate_mark_s_label_stays_clear_of_the_legend_in_a_plot_made_shorter(qtbot):
    """The legend came to lie over "lr 3": paused, the plot made shorter (the window resized,
    the splitter dragged), the label kept its height as a share of the plot's while the legend
    kept its pixels at the top. At each height the label is placed again, clear of it."""
    plot = _shown_plot(qtbot, (445, 400))
    _rate_set_at(qtbot, plot, 800)
    label = next(line.label for line in plot._rate_lines if line.isVisible())

    def clear(height: int) -> bool:
        plot.grab()  # (pyqtgraph places a label's text as it paints)
        box = label.mapRectToScene(label.boundingRect())
        return (plot.getPlotItem().getViewBox().height() < height and plot.legend.isVisible()
                and not box.intersects(plot.legend.sceneBoundingRect()))
    for height in (300, 220, 175, 150):
        plot.resize(445, height)
        qtbot.waitUntil(lambda: clear(height))
