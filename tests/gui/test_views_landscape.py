"""The Landscape view in the window: the loss over a plane, the path, sharpness; a click on the
plane moves the model (undoably) and every view shows the model moved."""
from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtWidgets import QApplication, QGraphicsTextItem, QLabel

from nnviz.core import landscape as ls

from ..conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
TIMEOUT = 60_000


def shown_landscape(qtbot, w, epoch):
    w.show_view("landscape")
    view = w._inspection_views["landscape"]
    qtbot.waitUntil(lambda: view.result is not None and view.result.epoch == epoch
                    and view.result.sharpness_missing == 0 and side_plots_free(view),
                    timeout=TIMEOUT)
    return view


def trained_and_shown(qtbot, w, epochs):
    """``epochs`` trained (a Step), then the Landscape tab shown with that epoch's numbers."""
    w.step(epochs)
    wait_for_run(qtbot, w, epochs)
    return shown_landscape(qtbot, w, epochs)


def side_plots_free(view) -> bool:
    """The side plots' paint no longer held back: a new landscape's wait for a pass of the
    event loop after the map's (LandscapeView._side_paints_next); grab() does not paint them
    meanwhile, nor update their ranges."""
    return view.glw.updatesEnabled()


def landscape_at(qtbot, w, presentation: bool = False, size=(1024, 768), epochs: int = 50):
    """``w`` at ``size`` (in presentation mode if asked) showing its Landscape tab, its run at
    ``epochs`` (a test that asks for presentation mode turns it off again in a ``finally``)."""
    w.resize(*size)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    w.set_presentation(presentation)
    return trained_and_shown(qtbot, w, epochs)


def relaid(qtbot, w, presentation: bool, size):
    """The window of ``landscape_at`` (its run at epoch 50, its landscape drawn) resized to
    ``size`` and in presentation mode or not: the tests over several sizes and modes resize
    one window instead of building one for each (a window built, trained and its landscape
    computed again, ~1 CPU s, proved nothing more)."""
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    w.set_presentation(presentation)
    return shown_landscape(qtbot, w, 50)


def graphics_view(plot):
    """The widget ``plot`` is drawn in."""
    return plot.vb.scene().views()[0]


def click(qtbot, view, a, b):
    scene = view.vb.mapViewToScene(QPointF(a, b))
    port = graphics_view(view.map)
    pos = port.mapFromScene(scene)
    qtbot.mouseClick(port.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def shown_part(widget) -> QRect:
    """The part of ``widget`` on screen, in its window's coordinates: its rectangle clipped by
    every parent's (a scroll area's viewport shows only some of what it holds)."""
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect &= QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        parent = parent.parentWidget()
    return rect


def in_window(port, scene_rect) -> QRect:
    """A rectangle of ``port``'s scene in its window's coordinates."""
    r = port.mapFromScene(scene_rect).boundingRect()
    return QRect(port.viewport().mapTo(port.window(), r.topLeft()), r.size())


def test_the_view_at_epoch_300_of_the_notebook_s_run(main_window, qtbot, monkeypatch):
    """One window trained to epoch 300 for the four checks below: each built, trained and drew
    a window of its own (~2 CPU s each). The first needs the view not yet built (it opens the
    tab); the side plots' paint reads the run's own landscape before the made-up frames of
    the model moving between two landscapes (the last: it ends on a landscape whose sharpness
    still compiles)."""
    w = main_window
    calls = _isocurve_threads(monkeypatch)  # before the first landscape is made
    the_view_draws_the_plane_the_path_and_the_sharpness(qtbot, w)
    the_map_s_contour_lines_are_made_in_the_worker_thread_as_pyqtgraph_draws_them(
        qtbot, w, calls)
    a_new_landscape_s_side_plots_paint_after_the_map_in_a_later_pass(qtbot, w)
    between_two_landscapes_the_model_moves_on_the_plane_and_nothing_else_is_redrawn(
        qtbot, w, monkeypatch)


def the_view_draws_the_plane_the_path_and_the_sharpness(qtbot, w):
    from nnviz.gui.landscape_view import LandscapeView
    w.step(300)
    wait_for_run(qtbot, w, 300)
    # Built when first shown; its probe runs only while it is shown.
    assert w.findChildren(LandscapeView) == [] and "landscape" not in w.worker.loop.probes
    view = shown_landscape(qtbot, w, 300)
    r = view.result
    assert view.image.image.shape == (ls.GRID_RES, ls.GRID_RES)
    x, y = view.path_curve.getData()
    assert x[0] < 0 and y[0] < 0  # the path comes in from the lower left (PCA plane)
    assert (x[-1], y[-1]) == pytest.approx((0.0, 0.0), abs=1e-6)  # to the model shown
    sx, sy = view.sharp_curve.getData()
    assert list(sx) == list(r.path.epochs) and np.all(sy > 0)
    assert np.all(view.limit_curve.getData()[1] == 2.0)  # 2 / lr at the notebook's lr 1.0
    assert "epoch 300" in view.summary.text() and "variance" in view.summary.text()
    # The limit says what it is: it was "(22% of the limit 2)", a bare 2. (A word joiner
    # after its slash keeps "2/lr" on one line.)
    assert f"{r.sharp_values[-1] / 2:.0%} of the stability limit 2/lr = 2)" in \
        view.summary.text().replace("\u2060", "")
    assert "edge of stability" in view.explanation.text()
    # Other directions: a new plane, drawn.
    view.directions.setCurrentIndex(view.directions.findData("initial"))
    qtbot.waitUntil(lambda: view.result.land.plane.kind == "initial", timeout=TIMEOUT)
    x, y = view.path_curve.getData()
    assert (x[0], y[0]) == pytest.approx((-1.0, 0.0), abs=1e-5)  # the initial weights
    view.grab()
    w.show_view("main")
    qtbot.waitUntil(lambda: "landscape" not in w.worker.loop.probes, timeout=TIMEOUT)


def between_two_landscapes_the_model_moves_on_the_plane_and_nothing_else_is_redrawn(
        qtbot, w, monkeypatch):
    """While a run plays, the probe's frames between two landscapes place the model shown on
    the last one's plane (LandscapeProbe._placed): the white dot moves, the picture stays."""
    import dataclasses
    view = shown_landscape(qtbot, w, 300)
    r, s = view.result, w.last_snapshot
    drawn = []
    monkeypatch.setattr(view.image, "setImage", lambda *a, **k: drawn.append(a))

    def frame(result, epoch):
        view.update_snapshot(dataclasses.replace(s, epoch=epoch,
                                                 extras={**s.extras, view.extras_key: result}))
    starts = []  # the start mark's data set again (it has not moved)
    original_start = view.path_start.setData
    monkeypatch.setattr(view.path_start, "setData",
                        lambda *a, **k: (starts.append(a), original_start(*a, **k)))
    dot = view.path_now.points()[0]
    frame(dataclasses.replace(r, now=(310, 0.25, -0.1)), 310)
    assert drawn == [] and starts == []  # the same landscape, the same start
    x, y = view.path_curve.getData()
    assert len(x) == len(r.path.ab) + 1 and (x[-1], y[-1]) == (0.25, -0.1)
    assert [(p.pos().x(), p.pos().y()) for p in view.path_now.points()] == [(0.25, -0.1)]
    # The white dot moved, not made anew (its looks kept: no lookup in the symbol atlas).
    assert view.path_now.points()[0] is dot
    assert view.path_start.points()[0].pos() == pg.Point(*r.path.ab[0])
    assert "epoch 310 (the landscape of epoch 300" in view.summary.text()
    # A new landscape (its own epoch, no placing): drawn in full, the dot at its centre.
    frame(dataclasses.replace(r, land=dataclasses.replace(r.land)), 300)
    assert drawn and drawn[0][0].shape == r.land.values.shape  # the picture, drawn anew
    assert [(p.pos().x(), p.pos().y()) for p in view.path_now.points()] == \
        [tuple(r.path.ab[-1])]
    # A landscape whose sharpness still compiles (LandscapeProbe hands out the map first): the
    # sharpness plot says so where its curve will be, not the 2/lr line alone without a word.
    frame(dataclasses.replace(r, land=dataclasses.replace(r.land),
                              sharp_epochs=np.zeros(0, np.int64), sharp_values=np.zeros(0),
                              sharpness_missing=len(r.path.epochs), sharpness_compiling=True),
          300)
    assert view.sharp_note.toPlainText() == "compiling\u2026"
    assert "the sharpness is being prepared" in view.summary.text()
    assert len(view.sharp_curve.getData()[0] or ()) == 0 and view.map_glw.isVisible()


def _isocurve_threads(monkeypatch) -> list:
    """The threads pyqtgraph's marching squares run on, from now on (a list it fills)."""
    import threading
    calls = []
    isocurve = pg.functions.isocurve

    def recorded(*a, **k):
        calls.append(threading.get_ident())
        return isocurve(*a, **k)
    monkeypatch.setattr(pg.functions, "isocurve", recorded)
    return calls


def the_map_s_contour_lines_are_made_in_the_worker_thread_as_pyqtgraph_draws_them(
        qtbot, w, calls):
    """A new landscape's ten contour lines (pyqtgraph's marching squares, in Python) were made
    on the GUI thread when first painted: ~8 ms of each new map's stall while a run plays. The
    probe makes them with the landscape now (LandscapeResult.picture), the GUI thread only
    hands them to its items; the lines are the ones pyqtgraph's own items draw."""
    import threading
    view = shown_landscape(qtbot, w, 300)
    view.grab()  # painted
    r = view.result
    assert r.picture is not None and r.picture.land is r.land and r.picture.log
    gui = threading.get_ident()
    assert calls and gui not in calls
    shown = view.image.image
    assert np.array_equal(shown, r.picture.shown)
    for item, (level, path) in zip(view.contours, r.picture.contours, strict=True):
        own = pg.IsocurveItem(shown, level, axisOrder="row-major")
        own.generatePath()
        assert item.path == own.path and not item.path.isEmpty()
    # The linear scale: its picture made here at once (the user asked for it), the worker's
    # next ones on that scale.
    view.log_scale.setChecked(False)
    assert gui in calls and not view.pictures.log
    assert np.array_equal(view.image.image, r.land.values)  # the losses themselves
    assert view.colorbar.levels()[1] == pytest.approx(np.percentile(r.land.values, 98))


def a_new_landscape_s_side_plots_paint_after_the_map_in_a_later_pass(qtbot, w):
    """The map and the three side plots painted in one pass of the event loop were the GUI
    thread's longest stall while a run played (66 ms at 200 points): the side plots' data is
    set at once, their paint waits for the next pass."""
    import dataclasses
    from PySide6.QtCore import QEvent, QObject
    view = shown_landscape(qtbot, w, 300)
    qtbot.waitUntil(view.glw.updatesEnabled, timeout=5000)
    r, s = view.result, w.last_snapshot
    painted = []

    class Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                painted.append(obj)
            return False
    spy = Painted()
    for port in (view.map_glw.viewport(), view.glw.viewport()):
        port.installEventFilter(spy)
    new = dataclasses.replace(r, land=dataclasses.replace(r.land), now=None,
                              sharp_values=r.sharp_values * 1.5)
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: new}))
    assert not view.glw.updatesEnabled()  # the side plots' paint waits
    assert np.array_equal(view.sharp_curve.getData()[1], new.sharp_values)  # their data is set
    qtbot.waitUntil(lambda: view.glw.updatesEnabled() and view.glw.viewport() in painted,
                    timeout=5000)
    assert view.map_glw.viewport() in painted


def in_x_range(plot, x) -> bool:
    lo, hi = plot.viewRange()[0]
    return len(x) > 0 and lo <= float(np.min(x)) and float(np.max(x)) <= hi


def test_the_sharpness_plot_shows_the_run_after_a_landscape_drawn_while_it_compiled(
        main_window, qtbot):
    """Live, the first landscape comes while the sharpness still compiles, at epoch 0: its
    "compiling..." note, at the one epoch there was, pulled the plot's x range to 1e-307 wide
    and the range never came back: all run the plot showed no curve, no 2/lr, no x ticks,
    while the summary gave the sharpness (--screenshot compiles first: it had the curve)."""
    import dataclasses
    w = main_window
    view = shown_landscape(qtbot, w, 0)
    r, s = view.result, w.last_snapshot
    compiling = dataclasses.replace(r, land=dataclasses.replace(r.land),
                                    sharp_epochs=np.zeros(0, np.int64), sharp_values=np.zeros(0),
                                    sharpness_missing=len(r.path.epochs),
                                    sharpness_compiling=True)
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: compiling}))
    qtbot.waitUntil(lambda: side_plots_free(view), timeout=5000)
    for _ in range(5):  # painted a few times, as it is while the functions compile
        view.grab()
        QApplication.processEvents()  # (what the paint queued: the range's update)
    w.step(300)
    qtbot.waitUntil(lambda: view.result.epoch == 300 and view.result.sharpness_missing == 0
                    and side_plots_free(view), timeout=TIMEOUT)
    view.grab()
    sx, _ = view.sharp_curve.getData()
    assert len(sx) == len(view.result.path.epochs) and in_x_range(view.sharp_plot, sx)
    assert in_x_range(view.sharp_plot, view.limit_curve.getData()[0])  # the 2/lr line
    lo, hi = view.sharp_plot.viewRange()[0]
    assert hi - lo < 2 * 300  # the run fills the plot's width


def bottom_ticks(plot) -> list[float]:
    lo, hi = plot.viewRange()[0]
    axis = plot.getAxis("bottom")
    return [v for _, values in axis.tickValues(lo, hi, axis.width()) for v in values]


def test_at_epoch_0_the_epoch_axes_run_from_0_and_the_line_plot_says_the_weights_have_not_moved(
        main_window, qtbot):
    # At epoch 0 the path is one point: pyqtgraph centred it, "along the path" had an axis
    # from -0.4 to 0.4 epochs. And before the weights move the line plot says so instead of
    # empty axes. (One window, one landscape at epoch 0: each test built and drew it before.)
    w = main_window
    view = shown_landscape(qtbot, w, 0)
    view.grab()
    for plot in (view.path_plot, view.sharp_plot):
        lo, hi = plot.viewRange()[0]
        assert -0.5 < lo <= 0 and hi >= 4, (lo, hi)
        ticks = bottom_ticks(plot)
        assert ticks and all(t == int(t) and t >= 0 for t in ticks), ticks
    assert view.result.line is None
    assert "the weights have not moved" in view.line_plot.titleLabel.text
    assert not view.line_plot.getAxis("left").isVisible()
    assert not view.line_plot.getAxis("bottom").isVisible()
    w.step(5)
    qtbot.waitUntil(lambda: view.result.epoch == 5 and view.result.line is not None,
                    timeout=TIMEOUT)
    assert "current (1) weights" in view.line_plot.titleLabel.text
    assert view.line_plot.getAxis("left").isVisible()
    # A longer path fills the axis again.
    w.step(195)
    qtbot.waitUntil(lambda: view.result.epoch == 200 and view.result.sharpness_missing == 0
                    and side_plots_free(view), timeout=TIMEOUT)
    view.grab()
    for plot in (view.path_plot, view.sharp_plot):
        lo, hi = plot.viewRange()[0]
        assert lo <= 0 and 200 <= hi < 300, (lo, hi)


def test_before_its_first_landscape_the_view_says_it_is_preparing_without_empty_axes(qtbot):
    from nnviz.gui.landscape_view import PREPARING, LandscapeView
    view = LandscapeView(set_params=lambda p: None, undo_stack=lambda: None)
    qtbot.addWidget(view)
    view.show()
    assert view.summary.isVisible() and view.summary.text() == PREPARING
    assert not any(part.isVisible() for part in (view.map_glw, view.glw, view.map_key))


def test_a_new_network_clears_the_last_runs_numbers_at_once(main_window, qtbot):
    # r4: after layer 1 went from 4 to 512 units the Landscape kept the old network's map, path
    # and sharpness ("epoch 2,488 ...") for ~30 s under a header saying "Epoch 0, compiling";
    # and Gradients, first shown while paused, was six empty plots for seconds, no word.
    from dataclasses import replace

    from nnviz.gui.landscape_view import PREPARING_NEW
    w = main_window
    w.step(30)
    wait_for_run(qtbot, w, 30)
    w.show_view("gradients")
    grads = w._inspection_views["gradients"]
    assert grads._drawn is None and not grads.glw.isVisible()
    assert "Computing the gradients" in grads.summary.text()
    qtbot.waitUntil(lambda: grads._drawn is not None, timeout=TIMEOUT)
    assert grads.glw.isVisible() and "Computing" not in grads.summary.text()
    view = shown_landscape(qtbot, w, 30)
    assert view.summary.text().startswith("epoch 30")
    spec = w.current_problem().spec
    w.editor.set_spec(replace(spec, hidden=(5,) + tuple(spec.hidden[1:])))
    w.editor.changed.emit()  # (a network edit: a fresh model, compiled before its first frame)
    assert view.result is None and view.summary.text() == PREPARING_NEW
    assert not any(part.isVisible() for part in (view.map_glw, view.glw, view.map_key))
    # A view built but behind another tab lets go of the last run's numbers too.
    assert grads._drawn is None and "Computing the gradients" in grads.summary.text()
    qtbot.waitUntil(lambda: view.result is not None, timeout=TIMEOUT)
    assert view.result.spec.hidden[0] == 5 and view.summary.text().startswith("epoch 0")
    assert view.map_glw.isVisible()


def test_a_click_on_the_plane_moves_the_model_and_undo_moves_it_back(main_window, qtbot):
    w = main_window
    w.step(200)
    wait_for_run(qtbot, w, 200)
    qtbot.waitUntil(lambda: w.last_snapshot.grid is not None, timeout=TIMEOUT)
    boundary = w.last_snapshot.grid.values  # the main view's, shown
    view = shown_landscape(qtbot, w, 200)
    before = w.last_snapshot
    plane = view.result.land.plane
    a, b = 0.4 * plane.extent, -0.3 * plane.extent
    stack = w.session_actions.undo_stack
    steps = stack.count()
    click(qtbot, view, a, b)
    qtbot.waitUntil(lambda: len(view.picked_mark.getData()[0]) == 1, timeout=TIMEOUT)
    (ca,), (cb,) = view.picked_mark.getData()
    assert (ca, cb) == pytest.approx((a, b), abs=0.05 * plane.extent)  # where it was clicked
    want = plane.params(before.spec, ca, cb)

    def moved_to(params, tol):
        return np.allclose(ls.flatten(w.last_snapshot.params), ls.flatten(params), atol=tol)
    # The model's weights are that point of the plane's.
    qtbot.waitUntil(lambda: moved_to(want, 1e-6), timeout=TIMEOUT)
    s = w.last_snapshot
    assert s.metrics.train_loss != pytest.approx(before.metrics.train_loss, rel=1e-3)
    # The plane stays put, and the model now sits where the click was.
    qtbot.waitUntil(lambda: view.result.pinned and view.result.epoch == 200
                    and abs(view.result.path.ab[-1, 0] - ca) < 1e-4,
                    timeout=TIMEOUT)
    assert view.result.land.plane is plane and view.follow.isEnabled()
    # The main view's boundary moved too (its grid is made when it is shown again).
    w.show_view("main")
    qtbot.waitUntil(lambda: w.last_snapshot.grid is not None, timeout=TIMEOUT)
    assert not np.allclose(w.last_snapshot.grid.values, boundary)
    w.show_view("landscape")
    # One Undo step puts the trained weights back: one, not the session's "edit 111
    # weights" besides (and none pushed by the Undo itself).
    assert stack.undoText() == "weights from the landscape" and stack.count() == steps + 1
    stack.undo()
    assert stack.count() == steps + 1 and stack.redoText() == "weights from the landscape"
    qtbot.waitUntil(lambda: moved_to(before.params, 1e-6), timeout=TIMEOUT)
    # And the view as it was before the click: the click's "+" gone, the plane no longer
    # pinned (they stayed, and the summary said "plane pinned where you clicked" of a model
    # that was no longer there).
    qtbot.waitUntil(lambda: not view.result.pinned, timeout=TIMEOUT)
    assert len(view.picked_mark.getData()[0]) == 0
    assert "pinned" not in view.summary.text() and not view.follow.isEnabled()
    assert tuple(view.result.path.ab[-1]) == pytest.approx((0.0, 0.0), abs=1e-6)
    # Redo: the click again, its mark and its pinned plane.
    stack.redo()
    qtbot.waitUntil(lambda: moved_to(want, 1e-6) and view.result.pinned, timeout=TIMEOUT)
    assert view.picked_mark.getData()[0] == pytest.approx([ca])
    assert "plane pinned" in view.summary.text() and view.follow.isEnabled()
    # Following the weights again recentres the plane on them.
    view.follow.click()
    qtbot.waitUntil(lambda: not view.result.pinned, timeout=TIMEOUT)
    assert tuple(view.result.path.ab[-1]) == pytest.approx((0.0, 0.0), abs=1e-6)
    assert len(view.picked_mark.getData()[0]) == 0


def test_the_landscape_s_layout_at_1024x768_and_other_sizes_in_both_modes(main_window, qtbot):
    """One window, its run at epoch 50 and its landscape drawn (landscape_at), resized and put
    in presentation mode and out again for each check below (relaid): each of them built,
    trained and drew a window of its own (~1-2 CPU s each) to look at the same landscape. The
    checks that only read the layout come first; the wheel's (which scrolls the column and
    zooms the sharpness plot) and the axis label's (which hands the view planes of its own)
    last."""
    w = main_window
    landscape_at(qtbot, w)
    the_map_and_its_three_plots_are_in_view_together_with_their_axes_whole(qtbot, w)
    at_1024x768_beside_the_settings_every_plot_lies_inside_the_view(qtbot, w)
    at_1024x768_no_key_covers_the_data_and_the_colour_bar_says_what_it_shows(qtbot, w)
    in_presentation_mode_the_map_and_the_model_are_in_view_without_scrolling(qtbot, w)
    the_sharpness_plot_has_numbers_and_the_hint_one_line(qtbot, w)
    in_presentation_mode_at_1024x768_the_window_s_left_column_keeps_its_share(qtbot, w)
    in_presentation_mode_the_explanation_lies_whole_under_the_plots_the_wheel_scrolls(qtbot, w)
    a_new_plane_s_axis_label_is_centred_under_it_clear_of_the_colour_bar_title(qtbot, w)


def the_map_and_its_three_plots_are_in_view_together_with_their_axes_whole(qtbot, w):
    # A reviewer at 1024x768: in presentation mode the 1-D plot, the path plot and the
    # sharpness plot lay under the map, below the fold (a projector's audience cannot scroll);
    # beside the settings the sharpness plot's x axis was cut at the bottom of its scroll box.
    # Now in both modes the map and the three plots are on screen at once, each whole with its
    # axes (numbers and words), nothing scrolled to get there. (Presentation mode at 1024x768
    # puts them under the map: beside it they were too narrow for their titles, see
    # test_views_landscape_large_text.)
    try:
        for size, presentation in itertools.product([(1024, 768), (1280, 720)],
                                                    [False, True]):
            if presentation and size == (1024, 768):
                continue
            view = relaid(qtbot, w, presentation, size)
            qtbot.waitUntil(lambda: _together(view, (size, presentation)), timeout=10_000)
    finally:
        w.set_presentation(False)


def _together(view, case=None) -> None:
    view.grab()
    assert view.column.verticalScrollBar().value() == 0, case
    assert view.plots_scroll.verticalScrollBar().maximum() == 0, case  # nothing to scroll to
    for name in ("map", "line_plot", "path_plot", "sharp_plot"):
        plot = getattr(view, name)
        port = graphics_view(plot)
        shown = shown_part(port.viewport())
        whole = in_window(port, plot.sceneBoundingRect())
        assert shown.contains(whole), (case, name, whole, shown)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            if axis.isVisible():
                rect = in_window(port, axis.sceneBoundingRect())
                assert shown.contains(rect), (case, name, side, rect, shown)
        data = in_window(port, plot.vb.sceneBoundingRect())
        assert data.width() >= 150 and data.height() >= 30, (case, name, data)
    # The side plots beside the map, not under it.
    plane = in_window(graphics_view(view.map), view.vb.sceneBoundingRect())
    sharp = in_window(graphics_view(view.sharp_plot), view.sharp_plot.sceneBoundingRect())
    assert sharp.left() > plane.right(), (case, sharp, plane)


def _plots_inside(view) -> list[str]:
    """Every plot of the view that is not inside the view's visible width, not inside its
    graphics widget vertically (the side plots scroll in presentation mode at 1024x768),
    smaller than 100x100 px, or whose title's text runs past the plot's sides, and the map's
    key if it is cut or wider than the map; [] when there are none."""
    problems = []
    visible = QRect(view.mapTo(view.window(), QPoint(0, 0)), view.size())
    for name in ("map", "line_plot", "path_plot", "sharp_plot"):
        plot = getattr(view, name)
        port = graphics_view(plot)
        rect = in_window(port, plot.sceneBoundingRect())
        if rect.width() < 100 or rect.height() < 100:
            problems.append(f"{name} too small: {rect.getRect()}")
        if rect.left() < visible.left() or rect.right() > visible.right() + 1:
            problems.append(f"{name} outside the view: {rect.getRect()} in {visible.getRect()}")
        content = QRect(port.mapTo(port.window(), QPoint(0, 0)), port.size())
        if rect.top() < content.top() or rect.bottom() > content.bottom() + 1:
            problems.append(f"{name} outside its widget: {rect.getRect()} in "
                            f"{content.getRect()}")
        title = plot.titleLabel.item.sceneBoundingRect()
        box = plot.sceneBoundingRect()
        if title.left() < box.left() - 1 or title.right() > box.right() + 1:
            problems.append(f"{name}'s title wider than the plot: {title} in {box}")
    # The map's key (red: the path, white: the model) whole, and no wider than the map: its
    # end was cut off.
    key = view.map_key
    plane = in_window(graphics_view(view.map), view.vb.sceneBoundingRect())
    if key.heightForWidth(key.contentsRect().width()) > key.height() + 1:
        problems.append(f"the map's key cut: {key.height()} px high")
    if shown_part(key).right() > graphics_view(view.map).mapTo(view.window(), QPoint(
            graphics_view(view.map).width(), 0)).x() + 1 or shown_part(key).width() < 100:
        problems.append(f"the map's key not under the map: {shown_part(key).getRect()} "
                        f"(the plane: {plane.getRect()})")
    return problems


def at_1024x768_beside_the_settings_every_plot_lies_inside_the_view(qtbot, w):
    # At 1024x768 beside the settings column the view is ~650 px wide: the plots' titles set
    # the columns' minimum widths, and the right column of three side plots reached ~50 px
    # past the view's right edge (cut off).
    try:
        for presentation in (False, True):
            view = relaid(qtbot, w, presentation, (1024, 768))
            assert view.isVisible(), ("every plot inside", presentation)

            def inside() -> None:
                view.grab()  # lays the scene out at the view's size
                assert _plots_inside(view) == [], ("every plot inside", presentation)
            qtbot.waitUntil(inside, timeout=10_000)
    finally:
        w.set_presentation(False)


def in_presentation_mode_the_map_and_the_model_are_in_view_without_scrolling(qtbot, w):
    # The map scrolled with the side plots (kept tall in presentation mode's larger text): at
    # 1024x768 and at 1400x900 the model's white dot lay below the visible part of the view.
    try:
        for size in [(1024, 768), (1400, 900)]:
            view = relaid(qtbot, w, True, size)
            qtbot.waitUntil(lambda: _map_and_model_in_view(w, view, size), timeout=10_000)
    finally:
        w.set_presentation(False)


def _map_and_model_in_view(w, view, size=None) -> None:
    view.grab()
    case = ("map and model in presentation", size)
    port = graphics_view(view.map)
    shown = shown_part(port.viewport())
    plane = in_window(port, view.vb.sceneBoundingRect())
    assert plane.width() >= 150 and plane.height() >= 150, (case, plane)
    assert shown.contains(plane), (case, plane, shown)  # the whole plane, no scrolling
    (a,), (b,) = view.path_now.getData()
    dot = port.mapFromScene(view.vb.mapViewToScene(QPointF(a, b)))
    dot = port.viewport().mapTo(w, dot)
    assert shown.contains(dot) and plane.contains(dot), (case, dot, shown)


def at_1024x768_no_key_covers_the_data_and_the_colour_bar_says_what_it_shows(qtbot, w):
    # Beside the settings at 1024x768 the map's key covered the bottom of the plane, the side
    # plots' legends covered their curves, and "log10 loss" ran up the colour bar's side where
    # it read as the title of the side plot beside it.
    view = relaid(qtbot, w, False, (1024, 768))
    plots = (view.map, view.line_plot, view.path_plot, view.sharp_plot)

    def clear() -> None:
        view.grab()
        areas = {p.titleLabel.text: in_window(graphics_view(p), p.vb.sceneBoundingRect())
                 for p in plots}
        keys = []  # legends and keys: in a plot's scene, or as words under the map
        for port in {graphics_view(p) for p in plots}:
            for item in port.scene().items():
                if isinstance(item, pg.LegendItem) and item.isVisible() and item.items:
                    keys.append(("legend", in_window(port, item.sceneBoundingRect())))
                elif isinstance(item, pg.TextItem) and item.isVisible() \
                        and "the model" in item.textItem.toPlainText():
                    keys.append(("map key", in_window(port, item.sceneBoundingRect())))
        for label in view.findChildren(QLabel):
            if label.isVisible() and "white" in label.text() and "the path" in label.text():
                keys.append(("map key", shown_part(label)))
        assert any(name == "map key" for name, _ in keys)  # the key is there
        for name, rect in keys:
            for title, area in areas.items():
                assert not rect.intersects(area), (name, rect, title, area)
        # Each curve still named, in the titles of the plots without a legend.
        line = view.line_plot.titleLabel.text
        assert "train" in line and "test" in line
        path = view.path_plot.titleLabel.text
        assert "real loss" in path and "shadow" in path
        # What the colours mean, written across the foot of the colour bar.
        port = graphics_view(view.map)
        bar = view.colorbar.bar.sceneBoundingRect()
        words = [i for i in port.scene().items() if isinstance(i, QGraphicsTextItem)
                 and i.isVisible() and "(log)" in i.toPlainText()]
        assert words
        for item in words:
            rect = item.sceneBoundingRect()
            assert not item.sceneTransform().isRotating(), item.toPlainText()
            assert rect.top() >= bar.bottom() - 1, (rect, bar)
            assert bar.left() - 15 <= rect.center().x() <= bar.right() + 30, (rect, bar)
    qtbot.waitUntil(clear, timeout=10_000)


def the_sharpness_plot_has_numbers_and_the_hint_one_line(qtbot, w):
    """In presentation mode at 1024x768 the sharpness plot's y axis had no numbers (the two
    its step left, 0 and 2, lay at its ends, where pyqtgraph leaves a cut number out), and the
    hint wrapped onto a second line, which the plots' height paid for."""
    from .test_narrow_window import _drawn_numbers
    try:
        for presentation, size in [(True, (1024, 768)), (False, (1400, 900))]:
            view = relaid(qtbot, w, presentation, size)

            def readable() -> None:
                view.grab()
                numbers = [t for _, t in _drawn_numbers(view.sharp_plot.getAxis("left")) if t]
                assert len(numbers) >= 2, (presentation, size, numbers)
                hint = view.hint
                fm = hint.fontMetrics()
                # one line
                assert hint.height() < 2 * fm.height(), (presentation, size, hint.height())
                assert fm.horizontalAdvance(hint.text()) <= hint.contentsRect().width(), \
                    (presentation, size)
                assert "move the model" in hint.text(), (presentation, size)
            qtbot.waitUntil(readable, timeout=10_000)
    finally:
        w.set_presentation(False)


def _axis_label_problems(view) -> list[str]:
    """The map's bottom label not centred under the plane, or over the colour bar's title."""
    label = view.map.getAxis("bottom").label.sceneBoundingRect()
    plane = view.vb.sceneBoundingRect()
    title = view.colorbar_title.item.sceneBoundingRect()
    problems = []
    if abs(label.center().x() - plane.center().x()) > 3:
        problems.append(f"the label not centred under the plane: {label} under {plane}")
    if label.intersects(title):
        problems.append(f"the label over the colour bar's title: {label}, {title}")
    return problems


def a_new_plane_s_axis_label_is_centred_under_it_clear_of_the_colour_bar_title(qtbot, w):
    # While playing at 1400x900 "PC 1 (98% of the path's variance)" began at the plane's middle
    # and ran into "log10 loss": pyqtgraph placed the label for the width of the text before
    # (none, or the last plane's) until the axis happened to be resized. A new plane comes with
    # no resize: its label is placed at once.
    import dataclasses
    view = relaid(qtbot, w, False, (1400, 900))
    view.grab()
    assert _axis_label_problems(view) == []
    r, s = view.result, w.last_snapshot
    for text in ("current - initial (initial weights at -1)", "PC 1 (9%)"):
        plane = dataclasses.replace(r.land.plane, labels=(text, "PC 2 (1%)"))
        r = dataclasses.replace(r, land=dataclasses.replace(r.land, plane=plane))
        view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: r}))
        assert view.map.getAxis("bottom").label.toPlainText().strip() == text
        assert _axis_label_problems(view) == []  # at once, no event in between


def in_presentation_mode_at_1024x768_the_window_s_left_column_keeps_its_share(qtbot, w):
    # The view's first row (the directions' combo as wide as its longest item, the box and the
    # button) made the view at least 832 px wide in presentation mode: at 1024x768 the window's
    # left column, the readout and the loss plot, was squeezed to 170 px. Now it keeps its share
    # as beside every other view, the combo shows its text whole, and the plane's axis label,
    # wider than the plane, is shortened under it instead of running under the colour bar's
    # title.
    from nnviz.gui.presentation import LEFT_SHARE
    try:
        view = relaid(qtbot, w, True, (1024, 768))

        def roomy() -> None:
            view.grab()
            left = w.main_split.sizes()[0]
            assert left >= 0.95 * LEFT_SHARE * w.width(), w.main_split.sizes()
            combo = view.directions
            text = combo.fontMetrics().horizontalAdvance(combo.currentText())
            assert combo.width() == combo.maximumWidth() and combo.width() > text, \
                (combo.width(), text)
            assert _axis_label_problems(view) == []
            assert _plots_inside(view) == []
        qtbot.waitUntil(roomy, timeout=10_000)
        # Whole, or shortened to what fits under the plane ("PC 1 (98%)", as PC 2's label),
        # not cut (the map is now as wide as the view: it fits whole there).
        label = view.map.getAxis("bottom").label
        assert label.toPlainText().startswith("PC 1 (") and "%" in label.toPlainText()
        assert label.sceneBoundingRect().width() <= view.vb.sceneBoundingRect().width() + 40
    finally:
        w.set_presentation(False)


def _wheel(widget, pos: QPoint, down: bool = True) -> None:
    """A notch of the mouse wheel over ``widget`` at ``pos``, as Qt delivers it."""
    from PySide6.QtGui import QWheelEvent
    glob = widget.mapToGlobal(pos)
    event = QWheelEvent(QPointF(pos), QPointF(glob), QPoint(0, 0),
                        QPoint(0, -120 if down else 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def in_presentation_mode_the_explanation_lies_whole_under_the_plots_the_wheel_scrolls(
        qtbot, w):
    # At 1024x768 in presentation mode the explanation was a 2-line box cut at the right, and
    # the wheel over a side plot zoomed it instead of scrolling on. Now the map and the side
    # plots fill the column's view (test_the_map_and_its_three_plots_are_in_view_together_...)
    # and the explanation lies whole under them, the column scrolling to it; the wheel over a
    # plot scrolls the column (and zooms the plot only once it has been clicked).
    try:
        view = relaid(qtbot, w, True, (1024, 768))
        column = view.column

        def roomy() -> None:
            view.grab()
            plane = in_window(graphics_view(view.map), view.vb.sceneBoundingRect())
            assert plane.width() >= 150 and plane.height() >= 200, plane
            text = view.explanation
            assert text.height() >= text.heightForWidth(text.width())  # the paragraph whole
            assert column.verticalScrollBar().maximum() > 0  # the column scrolls
        qtbot.waitUntil(roomy, timeout=10_000)

        # The wheel over the sharpness plot scrolls the column; the plot keeps its range.
        bar = column.verticalScrollBar()
        port = graphics_view(view.sharp_plot)
        centre = port.mapFromScene(view.sharp_plot.vb.sceneBoundingRect().center())
        before = view.sharp_plot.vb.viewRange()
        bar.setValue(bar.maximum() // 2)
        at = bar.value()
        _wheel(port.viewport(), centre)
        assert bar.value() > at
        assert view.sharp_plot.vb.viewRange() == before
        # Clicked into, it zooms.
        qtbot.mouseClick(port.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        assert port.hasFocus()
        at = bar.value()
        _wheel(port.viewport(), centre)
        assert bar.value() == at and view.sharp_plot.vb.viewRange() != before
        # Back in the normal mode, nothing scrolls and everything is in the column's view, the
        # explanation's box at the bottom too.
        w.set_presentation(False)

        def normal() -> None:
            view.grab()
            assert column.verticalScrollBar().maximum() == 0
            shown = shown_part(column.viewport())
            for part in (view.map_key, view.explanation_scroll):
                assert shown.contains(QRect(part.mapTo(w, QPoint(0, 0)), part.size())), part
        qtbot.waitUntil(normal, timeout=10_000)
    finally:
        w.set_presentation(False)


def test_the_numbers_over_the_plane_add_up_and_read_alike(main_window, qtbot):
    """'the plane holds 99.8%' stood beside axes of 98% and 1%; 'loss was 0.0638, its shadow's
    on the plane 0.02059' gave two precisions; the line plot's title named a test curve over a
    run without test points."""
    import dataclasses
    import re
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import make_problem
    w = main_window
    w.load_problem(make_problem(make_dataset(DataSpec("moons", test_fraction=0.0))))
    wait_for_run(qtbot, w, 0)
    view = trained_and_shown(qtbot, w, 150)
    r, s = view.result, w.last_snapshot
    assert r.line.test is None
    title = view.line_plot.titleLabel.text
    assert "train" in title and "test" not in title
    # The axes' shares add up to the plane's, to the same decimal.
    one, two = (re.search(r"\(([\d.]+)%", t).group(1) for t in r.land.plane.labels)
    whole = re.search(r"the plane holds (?:<nobr>)?([\d.]+)%", view.summary.text()).group(1)
    assert len({len(n.split(".")[-1]) for n in (one, two, whole)}) == 1, (one, two, whole)
    assert float(one) + float(two) == pytest.approx(float(whole), abs=1e-9)

    def show(result) -> None:
        view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: result}))
    # The path off the plane: both losses to the same decimals.
    p = r.path
    shadow = p.loss * 0.3227
    shadow[len(shadow) // 2] += 0.0000123
    show(dataclasses.replace(r, path=dataclasses.replace(p, loss_projected=shadow)))
    said = re.search(r"loss was ([\d.e+-]+), its shadow's on the plane ([\d.e+-]+)",
                     view.summary.text())
    assert said, view.summary.text()
    real, shown = said.groups()
    assert len(real.split(".")[-1]) == len(shown.split(".")[-1]), (real, shown)
    # A line with a test curve: the title names it again.
    show(dataclasses.replace(r, line=dataclasses.replace(r.line, test=r.line.train * 1.1)))
    assert "test" in view.line_plot.titleLabel.text


def test_the_path_off_the_plane_in_red_only_where_shown_poorly_and_in_the_theme_s_red(
        main_window, qtbot):
    """One window at epoch 150 of the notebook's run, its landscape handed made-up paths: each
    of the two built, trained and drew its own for that. The theme's part last (it switches
    to the dark theme and back)."""
    the_path_off_the_plane_is_a_warning_only_where_the_plane_shows_it_poorly(qtbot, main_window)
    the_plane_warnings_red_is_the_dark_themes_right_after_the_switch(qtbot, main_window)


def the_path_off_the_plane_is_a_warning_only_where_the_plane_shows_it_poorly(qtbot, w):
    # "the path leaves this plane: at epoch 0 ... (distance 0.716)" was written in red beside
    # "the plane holds 99.7% of the path's variance": a newcomer read it as an error. Red now
    # only where the map misleads about the path (its losses far from the run's, or a plane
    # that holds little of the path); otherwise plain words in the text's colour.
    import dataclasses
    from nnviz.gui import colors
    view = trained_and_shown(qtbot, w, 150)
    r, s = view.result, w.last_snapshot
    red = colors.hex_of(colors.error())

    def said(share, shadow_factor) -> str:
        plane = dataclasses.replace(r.land.plane, explained=share)
        p = r.path
        shadow = p.loss.copy()
        shadow[0] = p.loss[0] * shadow_factor
        result = dataclasses.replace(r, land=dataclasses.replace(r.land, plane=plane),
                                     path=dataclasses.replace(p, loss_projected=shadow))
        view.update_snapshot(dataclasses.replace(s, extras={**s.extras,
                                                            view.extras_key: result}))
        return view.summary.text()

    near = said((0.98, 0.017), 0.92)  # 8% off at epoch 0, the plane holding 99.7%
    assert "99.7%" in near and red not in near and "color" not in near.split("variance")[1]
    # in few words, the epoch and the two losses in its tooltip
    assert "path a little off the plane <nobr>(losses within 8%)</nobr>" in near
    assert "The path lies a little off this plane: at epoch 0 the model's loss was" in \
        view.summary.toolTip()
    assert "poorly" not in near and "leaves" not in near
    # 50% off where the plane holds 99.7% of the path: the loss off it misleads (it said "the
    # plane shows the path poorly" after "the plane holds 99.7%": review r31); a poor plane
    for far, words in ((said((0.98, 0.017), 0.5), "the loss just off the plane is not the map's"),
                       (said((0.5, 0.2), 0.92), "the plane shows the path poorly")):
        assert f"color:{red}" in far, far
        warning = far.split(f"color:{red}'>")[1]
        assert warning.startswith(f"{words}: at epoch 0"), warning
    close = said((0.98, 0.017), 0.99)
    assert "path close to the plane" in close and red not in close
    # One measure for the words and the number (review: "path a little off the plane (losses
    # within 143%)"): the largest gap in loss, 15% at epoch 0, made the words, the largest
    # share of the loss, 40% where the losses were smaller, at the path's end, the number.
    p = r.path
    shadow = p.loss.copy()
    shadow[0] = p.loss[0] * 0.85
    shadow[-1] = p.loss[-1] * 1.4
    assert abs(shadow[0] - p.loss[0]) > abs(shadow[-1] - p.loss[-1])  # the larger in loss
    result = dataclasses.replace(r, path=dataclasses.replace(p, loss_projected=shadow))
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: result}))
    text = view.summary.text()
    assert "a little off" not in text and "40%" not in text
    assert f"color:{red}'>the loss just off the plane is not the map's: at epoch " \
        f"{int(p.epochs[-1]):,}" in text, text


def _draw_specs(axis):
    """What the pyqtgraph ``axis`` would draw: (axis line, ticks, texts)."""
    from PySide6.QtGui import QImage, QPainter
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        return axis.generateDrawSpecs(painter)
    finally:
        painter.end()


def test_at_1024x768_the_colour_bar_and_a_long_run_s_epoch_axes_read(main_window, qtbot):
    """One window at 1024x768 trained to epoch 300 for the colour bar's numbers and then the
    side plots' epoch axes (each built, trained and drew its own)."""
    w = main_window
    w.resize(1024, 768)
    view = trained_and_shown(qtbot, w, 300)
    the_colour_bar_reads_as_losses_on_the_log_scale(qtbot, view)
    a_long_runs_epochs_read_apart_under_the_side_plots(view)


def the_colour_bar_reads_as_losses_on_the_log_scale(qtbot, view):
    # The bar gave log10 values (-0.5 to -3) that a newcomer read as losses. On the log scale
    # its numbers are now losses (0.3, 0.2, 0.1), each where that loss's colour is, and the
    # title says they are losses on a log scale.
    axis = view.colorbar.axis

    def painted() -> list[str]:
        return [text for _, _, text in _draw_specs(axis)[2]]

    def title() -> str:
        return view.colorbar_title.item.toPlainText()

    lo, hi = view.colorbar.levels()
    texts = painted()
    assert len(texts) >= 2, texts
    losses = [float(t) for t in texts]  # plain numbers, no powers of ten here
    assert all(10 ** lo * 0.999 <= x <= 10 ** hi * 1.001 for x in losses), (losses, lo, hi)
    assert any(x > 0 for x in losses) and not any(x < 0 for x in losses)
    # Each at its loss's place on the bar (the bar's values are log10 of the loss).
    ticks = dict((label, value) for value, label in axis._tickLevels[0])
    for t in texts:
        assert ticks[t] == pytest.approx(np.log10(float(t)), abs=1e-6)
    assert "loss" in title() and "log" in title() and "log10" not in title()
    # The linear scale: the bar's own numbers, losses too, under the title "loss".
    view.log_scale.setChecked(False)
    qtbot.waitUntil(lambda: title().strip() == "loss", timeout=5000)
    lo, hi = view.colorbar.levels()
    linear = [float(t) for t in painted()]
    assert linear and all(lo - 1e-9 <= x <= hi + 1e-9 for x in linear), (linear, lo, hi)


def test_the_loss_map_is_drawn_as_a_smooth_surface_not_as_squares(qtbot):
    """The 41x41 samples of the loss were drawn as hard squares, ~12 device px wide at 200 %,
    under smooth contour lines: between two samples the map now blends, as the loss does."""
    from PySide6.QtCore import QRectF
    from nnviz.gui.landscape_view import LandscapeView
    view = LandscapeView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view._show_plots(True)
    n = 41
    checker = (np.indices((n, n)).sum(axis=0) % 2).astype(np.float32)  # the harshest surface
    view.image.setImage(checker, levels=(0, 1), autoLevels=False)
    view.image.setRect(QRectF(0, 0, n, n))
    view.vb.setRange(xRange=(0, n), yRange=(0, n), padding=0)
    qtbot.waitUntil(lambda: view.vb.width() > 4 * n)  # several pixels a sample
    img = view.map_glw.grab().toImage()
    box = view.map_glw.mapFromScene(view.vb.mapRectToScene(view.vb.boundingRect())).boundingRect()
    y = box.center().y()
    row = {img.pixelColor(x, y).rgb() for x in range(box.left() + 3, box.right() - 3)}
    assert len(row) > 20  # shades between the samples, not their two colours


def a_long_runs_epochs_read_apart_under_the_side_plots(view):
    # A reviewer's long run: the side plots' epoch axes read "0 200000400000600000800000".
    for plot in (view.path_plot, view.sharp_plot):
        plot.disableAutoRange()
        plot.setXRange(0, 800_000, padding=0)
        texts = _draw_specs(plot.getAxis("bottom"))[2]
        rects = sorted((rect for rect, _, text in texts if text), key=lambda r: r.left())
        assert len(rects) >= 2, plot.titleLabel.text
        for a, b in zip(rects, rects[1:]):
            assert b.left() - a.right() >= 4, (plot.titleLabel.text, [t for _, _, t in texts])


def _diverged(qtbot, w) -> int:
    """``w``'s run blown up (test_small_things.blow_up: moons, a linear output at lr 10,
    diverged after epoch 3, epoch 0's weights put back); the epoch it diverged after."""
    from .test_small_things import blow_up
    blow_up(w, qtbot)
    qtbot.waitUntil(lambda: w.last_snapshot.restored, timeout=TIMEOUT)
    return w.last_snapshot.epoch


def test_after_a_divergence_the_landscape_draws_the_run_up_to_it_and_the_model_put_back(
        main_window, qtbot):
    """Review r19: after a divergence the Landscape tab said "epoch 14" over the model of
    epoch 0; its path plot drew a flat line at ~200 where the loss chart showed 1e8; the line
    from the initial to the current weights was empty axes (they were one point); the key
    named a red path and a square that were not drawn. Now it says the model's epoch as the
    counter does, draws the run up to the divergence with the losses the loss chart has, the
    model put back apart from it, and the line from it along the way the run went."""
    w = main_window
    end = _diverged(qtbot, w)
    s = w.last_snapshot
    best = s.weights_epoch
    assert best == 0 and end > 1
    view = shown_landscape(qtbot, w, end)
    r = view.result
    summary = view.summary.text()
    assert summary.startswith(f"epoch {best} <b>restored</b>; the run diverged after epoch "
                              f"{end}")
    assert r.restored == best
    # The path's losses are the loss chart's: its highest is the chart's highest (the loss of
    # the weights after epoch k is the chart's point at k + 1).
    chart = float(np.max(s.loss_values))
    assert chart > 1e3
    ys = np.asarray(view.path_real.yData)
    assert float(np.max(ys)) == pytest.approx(chart, rel=0.01)
    xs = np.asarray(view.path_real.xData)
    assert xs[-1] < end  # the curve ends before the divergence; the model put back is a mark
    mx, my = view.path_restored.getData()
    assert list(mx) == [end] and 10 ** my[0] == pytest.approx(r.path.loss[-1], rel=1e-6)
    # On the map: a red path that leads away from the model, which is the white dot.
    px, py = view.path_curve.getData()
    dx, dy = view.path_now.getData()
    assert len(px) >= 2 and np.max(np.hypot(px - dx[0], py - dy[0])) > 0.1 * r.land.plane.extent
    assert f"epoch\u00a0{best}'s weights put\u00a0back" in view.map_key.text().replace(
        "&nbsp;", "\u00a0")
    # The line: from the model put back (0) to the run's last weights before it diverged (1),
    # drawn, its loss climbing.
    lx, ly = view.line_train.getData()
    assert len(lx) > 10 and ly[-1] > ly[0]
    assert "restored (0)" in view.line_plot.titleLabel.text
    assert view.line_plot.getAxis("left").isVisible()
    # The sharpness far above 2/lr all the way (the reason it blew up): drawn, not cut off.
    top = view.sharp_plot.viewRange()[1][1]
    assert top >= float(np.nanmax(r.sharp_values))


def test_the_sharpness_note_lies_inside_its_plot(main_window, qtbot):
    """"up to 7.6e+04: off the s..." ran past the sharpness plot's right edge (review r19): it
    was placed at the epoch of the highest sharpness, the run's last."""
    import dataclasses
    w = main_window
    w.resize(1024, 768)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = trained_and_shown(qtbot, w, 20)
    r, s = view.result, w.last_snapshot
    values = np.full(len(r.sharp_epochs), 0.5 * float(np.nanmax(r.limit_values)))
    values[-1] = 7.6e4  # the last, far off the scale
    high = dataclasses.replace(r, land=dataclasses.replace(r.land), sharp_values=values)
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: high}))
    qtbot.waitUntil(lambda: side_plots_free(view) and view.result is high, timeout=5000)
    view.grab()
    note = view.sharp_note
    assert "7.6e+04" in note.toPlainText()
    inside = note.mapRectToScene(note.boundingRect())
    plot = view.sharp_plot.vb.sceneBoundingRect()
    assert plot.contains(inside), (inside, plot)
    # On one line, above the 2/lr line (two lines reached down over it).
    limit = view.sharp_plot.vb.mapViewToScene(QPointF(0, float(np.nanmax(r.limit_values))))
    assert inside.bottom() < limit.y()


def _line_blown_up(qtbot, w):
    """``w`` at 1024x768 and text size 150%, on the line data set (a 1 -> 1 linear network) at
    learning rate 50: it diverges after epoch 1, epoch 0's weights put back (review r21 F9)."""
    import argparse

    from nnviz.gui import app
    w.text_size.choose(1.5)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    w.load_problem(app.problem_from_args(argparse.Namespace(dataset="line", hidden=(),
                                                            lr=50.0)))
    wait_for_run(qtbot, w, 0)
    w.step(5)
    qtbot.waitUntil(lambda: w.last_snapshot.restored, timeout=TIMEOUT)
    return shown_landscape(qtbot, w, w.last_snapshot.epoch)


def test_a_divergence_at_its_first_step_on_the_line_at_1024x768_and_text_size_150(
        main_window, qtbot):
    """One window blown up at its first step (_line_blown_up), its summary and then its map's
    axes read: each of the two built, diverged and drew the same window."""
    view = _line_blown_up(qtbot, main_window)
    after_a_divergence_at_its_first_step_the_summary_says_no_rise_and_times_the_limit(view)
    at_1024x768_and_text_size_150_the_map_s_axis_labels_and_numbers_read_apart(view)


def after_a_divergence_at_its_first_step_the_summary_says_no_rise_and_times_the_limit(view):
    # Review r21 F9: "its loss rose to 141 after epoch 0", 141 the path's only (first) loss;
    # "sharpness 69.2 (172987% of the stability limit 2/lr = 0.04)".
    summary = view.summary.text().replace("\u2060", "")  # (2/lr's word joiner)
    assert "rose" not in summary
    assert "the run up to epoch 0 (one point, its loss 141)" in summary
    r = view.result
    ratio = r.sharp_values[-1] / r.limit_values[-1]
    assert ratio > 1000
    assert f"({ratio:,.0f} times the stability limit 2/lr = 0.04)" in summary
    assert "%" not in summary.split("sharpness")[1].split(")")[0]


def test_a_small_ratio_to_the_stability_limit_stays_a_percentage():
    from nnviz.gui.landscape_view import limit_share
    assert limit_share(0.22) == "22% of"
    assert limit_share(2.5) == "250% of"
    assert limit_share(1729.87) == "1,730 times"


def test_a_diverged_path_s_loss_is_said_to_rise_only_where_it_rose():
    from nnviz.gui.landscape_view import _path_rise
    ep = np.array([0, 1, 2])
    assert _path_rise(ep, np.array([0.25, 48.0, 19_000.0]), 2) == \
        ": its loss rose to 1.9e+04 after epoch 2"
    assert _path_rise(ep, np.array([141.0, 90.0, 120.0]), 0) == \
        ": its loss was highest at its start, 141 after epoch 0"
    assert _path_rise(ep[:1], np.array([141.0]), 0) == " (one point, its loss 141)"


def _text_rects(axis):
    """The scene rectangles of the numbers ``axis`` draws, and their texts."""
    texts = _draw_specs(axis)[2]
    return [(axis.mapRectToScene(rect), text) for rect, _, text in texts if text]


def at_1024x768_and_text_size_150_the_map_s_axis_labels_and_numbers_read_apart(view):
    # Review r21 F9: the map's labels broke and collided: "random 2 (filter-normalise d)" in
    # three lines, "random 1 (filter-" cut at the bottom, the x numbers "-0.500.5".
    view.grab()
    glw = view.map_glw
    whole = glw.mapToScene(glw.viewport().rect()).boundingRect()
    for side in ("bottom", "left"):
        axis = view.map.getAxis(side)
        label = axis.label
        shown = label.toPlainText().strip()
        assert shown, side
        assert _laid_out_lines(label) == 1, (side, shown)
        rect = label.sceneBoundingRect()
        assert whole.contains(rect), (side, shown, rect, whole)
        m = label.document().documentMargin()  # the text's own room, its margin aside
        ink = label.mapRectToScene(label.boundingRect().adjusted(m, m, -m, -m))
        numbers = _text_rects(axis)
        assert numbers, side
        for number, text in numbers:
            assert not ink.intersects(number), (side, shown, text, ink, number)
            assert text not in ("-0", "-0.0"), (side, text)  # -0.5 was written "-0"
        key = (lambda r: r[0].left()) if side == "bottom" else (lambda r: r[0].top())
        ordered = sorted(numbers, key=key)
        for (a, ta), (b, tb) in zip(ordered, ordered[1:]):
            gap = b.left() - a.right() if side == "bottom" else b.top() - a.bottom()
            assert gap >= 2, (side, ta, tb, gap)
    # Shortened where the map is narrow; whole where it has the width (the side plots under
    # it at this size since review r23 F15), never broken or cut.
    assert view.map.getAxis("left").label.toPlainText().strip() in (
        "random 2", "random 2 (filter-normalised)")
    assert view.map.getAxis("bottom").label.toPlainText().strip() in (
        "random 1", "random 1 (filter-normalised)")


def _laid_out_lines(label) -> int:
    from nnviz.gui.widgets import _laid_out_lines as lines
    return lines(label.document())


def test_the_numbers_say_how_many_points_they_use_and_a_short_path_marks_its_points(
        main_window, qtbot):
    # Review r23 F5: "loss at the centre 0.4531" was of the first 64 of 80,000 training points
    # (said at the end of the line, after the sharpness), and the 1-D plot's title said
    # nothing of them; the "along the path" plot drew straight lines between its 5 checkpoints
    # and read as the loss between them.
    import dataclasses
    w = main_window
    view = trained_and_shown(qtbot, w, 3)
    r, s = view.result, w.last_snapshot
    assert len(r.path.epochs) <= 24
    for curve in (view.path_real, view.path_shadow):  # a few points: each marked
        assert curve.opts["symbol"] == "o"
        assert len(curve.scatter.data) == len(r.path.epochs)
    assert "points" not in view.line_plot.titleLabel.text  # all the points: nothing to say
    n, many = r.land.n_points, 40 * r.land.n_points
    sampled = dataclasses.replace(r, n_train=many)
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: sampled}))
    c = len(r.land.coords) // 2
    # the count beside the number, how they were picked in its tooltip
    assert (f"loss at the centre {r.land.values[c, c]:.4g} (<nobr>{n:,} of {many:,}</nobr> "
            "points)") in view.summary.text()
    assert (f"on {n:,} of the {many:,} training points (a random sample, each class its "
            "share)") in view.summary.toolTip()
    assert "the first" not in view.summary.text() + view.summary.toolTip()
    assert f"({n:,} points)" in view.line_plot.titleLabel.text


def the_plane_warnings_red_is_the_dark_themes_right_after_the_switch(qtbot, w):
    # Review r23 F14: after View -> Theme -> Dark the summary's red warning stayed the light
    # theme's #B3261E on the dark ground (2:1) until the next landscape.
    import dataclasses
    from nnviz.gui import colors
    view = trained_and_shown(qtbot, w, 150)
    r, s = view.result, w.last_snapshot
    p = r.path
    shadow = p.loss.copy()
    shadow[0] = p.loss[0] * 0.5  # the loss off the plane misleads: the warning
    far = dataclasses.replace(r, path=dataclasses.replace(p, loss_projected=shadow))
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: far}))
    light = colors.hex_of(colors.error())
    assert f"color:{light}'>the loss just off the plane" in view.summary.text()
    try:
        colors.set_look("dark")
        dark = colors.hex_of(colors.error())
        assert dark != light
        qtbot.waitUntil(lambda: f"color:{dark}'>the loss just off the plane"
                        in view.summary.text(), timeout=5000)
        assert light not in view.summary.text()
    finally:
        colors.set_look("light")


def test_a_path_of_few_checkpoints_is_said_so_and_its_sharpness_drawn_as_points(main_window,
                                                                                  qtbot):
    # A 2-512x8-1 run keeps 2-3 checkpoints of its 1.8M weights: its path lies in any plane
    # through the model, and the summary said "the plane holds 100.0% of the path's variance"
    # and "path close to the plane", true of any plane; the sharpness plot joined epoch 0's
    # 234 to epoch 232's 0.006 by a line that read as a fall at ~230 (review r24 F3, F4).
    # The notebook's run after two epochs has such a path: three checkpoints.
    w = main_window
    view = trained_and_shown(qtbot, w, 2)
    qtbot.waitUntil(lambda: len(view.result.sharp_values) == 3, timeout=60_000)
    text = view.summary.text()
    assert "a path of only 3 checkpoints" in text and "epochs 0, 1, 2" in text, text
    assert "plane holds" not in text and "close to the plane" not in text, text
    assert "Only 3 checkpoints so far" in view.summary.toolTip()
    # its three estimates, not lines between them
    assert pg.mkPen(view.sharp_curve.opts["pen"]).style() == Qt.PenStyle.NoPen
    assert len(view.sharp_curve.getData()[0]) == 3
    # A longer run: the plane's share of the path's variance, the sharpness a curve.
    w.step(30)
    wait_for_run(qtbot, w, 32)
    view = shown_landscape(qtbot, w, 32)
    qtbot.waitUntil(lambda: len(view.result.sharp_values) > 8, timeout=60_000)
    text = view.summary.text()
    assert "plane holds" in text and "checkpoints" not in text, text
    assert pg.mkPen(view.sharp_curve.opts["pen"]).style() == Qt.PenStyle.SolidLine
