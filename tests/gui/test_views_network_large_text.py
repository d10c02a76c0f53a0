"""The Network view at text size 150% in a 1024x768 window (review r23 F16): the layer headers
were cut ("input 2 featu…", "hidden 1 4 sigm…") and the node map beside the diagram drew its
160 points as ~12 px markers over a 125x70 px map, covering it."""
from __future__ import annotations

import pytest

from ..conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _network_at_150(qtbot, w):
    w.text_size.choose(1.5)
    w.resize(1024, 768)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    w.step(10)
    wait_for_run(qtbot, w, 10)
    w.show_view("network")
    view = w._inspection_views["network"]
    qtbot.waitUntil(lambda: view.canvas.maps is not None and view.panel._shown is not None,
                    timeout=60_000)
    return view


def _marker_size(scatter) -> float:
    """The size the markers are drawn at (-1 for a point: the item's own)."""
    sizes = scatter.data["size"]
    if len(sizes) and float(sizes[0]) >= 0:
        return float(sizes[0])
    return float(scatter.opts["size"])


def _headers_whole(view) -> None:
    view.grab()
    canvas = view.canvas
    titles = canvas.titles()
    texts = [t for _, _, t in titles]
    assert not any("\u2026" in t for t in texts), texts
    assert texts[0].split("\n") == ["input", "2 features"], texts
    assert texts[1].split("\n") == ["hidden 1", "4 sigmoid"], texts
    # as large as the text they stand in at least its least size, inside the diagram, apart
    for rect, font, text in titles:
        assert font.pointSizeF() >= canvas.least_header_size(), (text, font.pointSizeF())
        assert 0 <= rect.left() and rect.right() <= canvas.width(), (text, rect)
    for (a, _, ta), (b, _, tb) in zip(titles, titles[1:]):
        assert not a.intersects(b), (ta, tb)


def _points_leave_the_map_seen(view) -> None:
    panel = view.panel
    scatter = panel.scatter
    n = len(scatter.data)
    assert n >= 100
    vb = panel.plot.getPlotItem().vb
    area = vb.rect()
    # the map laid out as shown: 1:1, a unit of x1 as long as a unit of x2
    (x0, x1), (y0, y1) = vb.viewRange()
    assert abs(area.width() / (x1 - x0) / (area.height() / (y1 - y0)) - 1) < 0.05, area
    size = _marker_size(scatter)
    # the markers' squares together cover at most half of the map (they covered 2.6 times it)
    assert n * size * size <= 0.5 * area.width() * area.height(), (n, size, area)
    assert size >= 3, size  # still points one can see
    assert size <= 7 * 1.5 + 1e-6, size  # never larger than the text's scale makes them


def test_at_1024x768_and_text_150_the_headers_are_whole_and_the_node_map_shows(main_window,
                                                                               qtbot):
    view = _network_at_150(qtbot, main_window)
    qtbot.waitUntil(lambda: _headers_whole(view), timeout=10_000)
    qtbot.waitUntil(lambda: _points_leave_the_map_seen(view), timeout=10_000)
