"""The Lessons tab's Baseline page: its two planes (logistic regression, the network) keep a
readable size however the data changed while it was away (review r22, F1)."""
from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from nnviz.core import inspect
from nnviz.gui.lessons_view import LessonsView
from tests.conftest import FIRST_SNAPSHOT_MS, wait_for_run

from .test_presentation import _at_size
from .test_field_messages import _type
from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

PLANE_W, PLANE_H = 120, 60  # a plane's drawing at least this large (the scrap: ~40x20)


def _planes(page) -> list:
    return [i for i in page.glw.ci.items if isinstance(i, pg.PlotItem) and i.isVisible()]


def _planes_readable(page, n_points: int, least=(PLANE_W, PLANE_H)) -> list:
    """Both planes drawn at a usable size (``least``, width and height of each drawing),
    apart, inside the page's figure, showing the ``n_points`` points of the data now in use.
    Returns the drawings' sizes."""
    QApplication.processEvents()
    planes = _planes(page)
    assert len(planes) == 2
    room = page.glw.viewport().rect().adjusted(-1, -1, 1, 1)
    boxes = []
    for p in planes:
        assert p.vb.width() >= least[0] and p.vb.height() >= least[1], (
            p.titleLabel.text, p.vb.width(), p.vb.height(), least)
        box = page.glw.mapFromScene(p.sceneBoundingRect()).boundingRect()
        assert room.contains(box), (p.titleLabel.text, box, room)
        boxes.append(box)
        points = [i for i in p.items if isinstance(i, pg.ScatterPlotItem)][0]
        assert len(points.getData()[0]) == n_points
    assert not boxes[0].intersects(boxes[1]), boxes
    return [(p.vb.width(), p.vb.height()) for p in planes]


def test_the_baseline_keeps_its_size_after_data_changed_on_another_tab(main_window, qtbot):
    # Review r22 (F1), the reviewer's minimal steps at 1024x768: Lessons -> Baseline (drawn
    # fine) -> Data & model -> Points 200 -> 150, Enter -> Lessons -> Baseline: both planes a
    # ~100x60 px scrap, titles and axis labels printed over each other, until the data
    # changed again with the tab shown.
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    w.show_view("baseline")
    page = w._inspection_views["lessons"].pages["baseline"]
    qtbot.waitUntil(lambda: bool(_planes_readable(page, 200)), timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()
    before = _planes_readable(page, 200)
    w.show_view("main")
    _type(qtbot, w.data_panel.samples, "150")
    qtbot.waitUntil(lambda: w.dataset is not None and len(w.dataset.X) == 150,
                    timeout=FIRST_SNAPSHOT_MS)
    wait_for_run(qtbot, w)
    lessons = w._inspection_views["lessons"]
    said = []  # the page's words after each frame it is given
    drawn = lessons.update_snapshot

    def update_snapshot(snapshot) -> None:
        drawn(snapshot)
        said.append(page.numbers.text())
    lessons.update_snapshot = update_snapshot
    w.show_view("baseline")
    # as large as they were before (the moons' plane has the same shape)
    least = (0.9 * min(s[0] for s in before), 0.9 * min(s[1] for s in before))
    qtbot.waitUntil(lambda: bool(_planes_readable(page, 150, least)), timeout=FIRST_SNAPSHOT_MS)
    # and on the way the moons were never called a regression (the last frame, made while the
    # page was hidden, has no baseline: it comes with the next)
    assert said and not any("regression" in text and "classification" in text for text in said)


def test_the_baselines_planes_keep_their_room_after_a_regression(qtbot):
    # Hidden under a regression's words, the two planes took their room with them: shown again
    # for a classification they were the same scrap as above.
    view = LessonsView()
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    view.show_lesson("baseline")
    page = view.pages["baseline"]
    moons = snapshot_of(make_trainer(), {"baseline": inspect.BaselineProbe()})
    view.update_snapshot(moons)
    qtbot.waitUntil(lambda: bool(_planes_readable(page, 200)), timeout=10_000)
    before = _planes_readable(page, 200)
    view.update_snapshot(snapshot_of(make_trainer("sine", hidden=(3,)),
                                     {"baseline": inspect.BaselineProbe()}))
    assert "regression" in page.numbers.text() and _planes(page) == []
    QApplication.processEvents()
    view.update_snapshot(moons)
    least = (0.9 * min(s[0] for s in before), 0.9 * min(s[1] for s in before))
    qtbot.waitUntil(lambda: bool(_planes_readable(page, 200, least)), timeout=10_000)
    view.shutdown()
