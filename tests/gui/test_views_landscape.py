"""The Landscape view in the window: the loss over a plane, the path, sharpness; a click on the
plane moves the model (undoably) and every view shows the model moved."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnviz.core import landscape as ls

from ..conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]
TIMEOUT = 60_000


def shown_landscape(qtbot, w, epoch):
    w.show_view("landscape")
    view = w._inspection_views["landscape"]
    qtbot.waitUntil(lambda: view.result is not None and view.result.epoch == epoch
                    and view.result.sharpness_missing == 0, timeout=TIMEOUT)
    return view


def click(qtbot, view, a, b):
    scene = view.vb.mapViewToScene(QPointF(a, b))
    pos = view.glw.mapFromScene(scene)
    qtbot.mouseClick(view.glw.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_the_view_draws_the_plane_the_path_and_the_sharpness(main_window, qtbot):
    from nnviz.gui.landscape_view import LandscapeView
    w = main_window
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
    assert "edge of stability" in view.explanation.text()
    # Other directions: a new plane, drawn.
    view.directions.setCurrentIndex(view.directions.findData("initial"))
    qtbot.waitUntil(lambda: view.result.land.plane.kind == "initial", timeout=TIMEOUT)
    x, y = view.path_curve.getData()
    assert (x[0], y[0]) == pytest.approx((-1.0, 0.0), abs=1e-5)  # the initial weights
    view.grab()
    w.show_view("main")
    qtbot.waitUntil(lambda: "landscape" not in w.worker.loop.probes, timeout=TIMEOUT)


def test_between_two_landscapes_the_model_moves_on_the_plane_and_nothing_else_is_redrawn(
        main_window, qtbot, monkeypatch):
    """While a run plays, the probe's frames between two landscapes place the model shown on
    the last one's plane (LandscapeProbe._placed): the white dot moves, the picture stays."""
    import dataclasses
    w = main_window
    w.step(300)
    wait_for_run(qtbot, w, 300)
    view = shown_landscape(qtbot, w, 300)
    r, s = view.result, w.last_snapshot
    drawn = []
    monkeypatch.setattr(view.image, "setImage", lambda *a, **k: drawn.append(a))

    def frame(result, epoch):
        view.update_snapshot(dataclasses.replace(s, epoch=epoch,
                                                 extras={**s.extras, view.extras_key: result}))
    frame(dataclasses.replace(r, now=(310, 0.25, -0.1)), 310)
    assert drawn == []  # the same landscape
    x, y = view.path_curve.getData()
    assert len(x) == len(r.path.ab) + 1 and (x[-1], y[-1]) == (0.25, -0.1)
    assert [(p.pos().x(), p.pos().y()) for p in view.path_now.points()] == [(0.25, -0.1)]
    assert "epoch 310 (the landscape of epoch 300" in view.summary.text()
    # A new landscape (its own epoch, no placing): drawn in full, the dot at its centre.
    frame(dataclasses.replace(r, land=dataclasses.replace(r.land)), 300)
    assert drawn and drawn[0][0].shape == r.land.values.shape  # the picture, drawn anew
    assert [(p.pos().x(), p.pos().y()) for p in view.path_now.points()] == \
        [tuple(r.path.ab[-1])]


def test_a_click_on_the_plane_moves_the_model_and_undo_moves_it_back(main_window, qtbot):
    w = main_window
    w.step(200)
    wait_for_run(qtbot, w, 200)
    view = shown_landscape(qtbot, w, 200)
    before = w.last_snapshot
    plane = view.result.land.plane
    a, b = 0.4 * plane.extent, -0.3 * plane.extent
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
    assert not np.allclose(s.grid.values, before.grid.values)  # the boundary moved
    # The plane stays put, and the model now sits where the click was.
    qtbot.waitUntil(lambda: view.result.pinned and view.result.epoch == 200
                    and abs(view.result.path.ab[-1, 0] - ca) < 1e-4,
                    timeout=TIMEOUT)
    assert view.result.land.plane is plane and view.follow.isEnabled()
    # One Undo step puts the trained weights back.
    stack = w.session_actions.undo_stack
    assert stack.undoText() == "weights from the landscape"
    stack.undo()
    qtbot.waitUntil(lambda: moved_to(before.params, 1e-6), timeout=TIMEOUT)
    # Following the weights again recentres the plane on them.
    view.follow.click()
    qtbot.waitUntil(lambda: not view.result.pinned, timeout=TIMEOUT)
    assert tuple(view.result.path.ab[-1]) == pytest.approx((0.0, 0.0), abs=1e-6)


def test_in_presentation_mode_on_a_small_screen_the_landscape_scrolls_instead_of_squeezing(
        main_window, qtbot):
    # At 1280x720 in presentation mode the three side plots were squeezed to strips with their
    # titles over each other: the plots now keep their height and the view scrolls.
    from nnviz.gui.landscape_view import MIN_PLOTS_HEIGHT
    w = main_window
    w.resize(1280, 720)
    w.show()
    w.set_presentation(True)
    try:
        w.step(30)
        wait_for_run(qtbot, w, 30)
        view = shown_landscape(qtbot, w, 30)
        w.step(1)
        qtbot.waitUntil(lambda: view.result.epoch == 31, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: view.glw.minimumHeight() >= MIN_PLOTS_HEIGHT * 1.5,
                        timeout=TIMEOUT)
        view.grab()
        assert view.plots_scroll.viewport().height() < view.glw.height()  # it scrolls
        width = view.glw.viewport().width()
        for plot in (view.line_plot, view.path_plot, view.sharp_plot):
            rect = plot.sceneBoundingRect()
            assert rect.height() >= 100, rect
            # its title sized to the column, so the plot is not pushed out on the right
            assert rect.right() <= width + 1, (rect, width)
    finally:
        w.set_presentation(False)


def _plots_inside(view) -> list[str]:
    """Every plot of the view that is not inside the view's visible width, not inside the
    plots' scroll area vertically (it scrolls, in presentation mode at 1024x768 well beyond the
    visible part), smaller than 100x100 px, or whose title's text runs past the plot's sides,
    and the map's key if it runs past the map; [] when there are none."""
    from PySide6.QtCore import QRect
    problems = []
    port = view.glw.viewport()
    visible = view.rect()
    for name in ("map", "line_plot", "path_plot", "sharp_plot"):
        plot = getattr(view, name)
        rect = view.glw.mapFromScene(plot.sceneBoundingRect()).boundingRect()
        rect = QRect(port.mapTo(view, rect.topLeft()), rect.size())  # in the view
        if rect.width() < 100 or rect.height() < 100:
            problems.append(f"{name} too small: {rect.getRect()}")
        if rect.left() < visible.left() or rect.right() > visible.right() + 1:
            problems.append(f"{name} outside the view: {rect.getRect()} in {visible.getRect()}")
        content = QRect(view.glw.mapTo(view, view.glw.rect().topLeft()), view.glw.size())
        if rect.top() < content.top() or rect.bottom() > content.bottom() + 1:
            problems.append(f"{name} outside its scroll area: {rect.getRect()} in "
                            f"{content.getRect()}")
        title = plot.titleLabel.item.sceneBoundingRect()
        box = plot.sceneBoundingRect()
        if title.left() < box.left() - 1 or title.right() > box.right() + 1:
            problems.append(f"{name}'s title wider than the plot: {title} in {box}")
    # The map's key (red: the path, white: the model) inside the map: its end was cut off.
    key, plane = view.map_legend.sceneBoundingRect(), view.vb.sceneBoundingRect()
    if key.left() < plane.left() - 1 or key.right() > plane.right() + 1:
        problems.append(f"the map's key wider than the map: {key} in {plane}")
    return problems


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_at_1024x768_beside_the_settings_every_plot_lies_inside_the_view(main_window, qtbot,
                                                                         presentation):
    # At 1024x768 beside the settings column the view is ~650 px wide: the plots' titles set
    # the columns' minimum widths, and the right column of three side plots reached ~50 px
    # past the view's right edge (cut off).
    w = main_window
    w.resize(1024, 768)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    w.set_presentation(presentation)
    try:
        w.step(50)
        wait_for_run(qtbot, w, 50)
        view = shown_landscape(qtbot, w, 50)
        assert view.isVisible()

        def inside() -> None:
            view.grab()  # lays the scene out at the view's size
            assert _plots_inside(view) == []
        qtbot.waitUntil(inside, timeout=10_000)
    finally:
        w.set_presentation(False)
