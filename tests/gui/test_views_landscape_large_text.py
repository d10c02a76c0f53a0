"""The Landscape view at a larger text size in a small window (review r23 F15): at 1024x768 and
text size 150% the side column kept its width and its three plots became ~40 px strips, "10⁻¹"
printed over "10⁻²", their axis words gone, the sharpness plot with one tick number, and their
titles ~10 px beside ~16 px tick numbers (smaller than at 100%)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect

from .test_narrow_window import _drawn_numbers
from .test_steady_layout import _metric_lines
from .test_views_landscape import (graphics_view, in_window, landscape_at, shown_part,
                                   trained_and_shown)

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _title_px(plot) -> float:
    """The height of one line of ``plot``'s title, in px (its font's)."""
    from PySide6.QtGui import QFontMetricsF
    return QFontMetricsF(plot.titleLabel.item.font()).height()


def _tick_px(plot) -> float:
    from PySide6.QtGui import QFontMetricsF
    return QFontMetricsF(plot.getAxis("left").style["tickFont"]).height()


def _side_plots_readable(w, view) -> None:
    view.grab()
    column = view.column
    bar = column.verticalScrollBar()
    # The map and the model in view as the tab opens, not scrolled.
    assert bar.value() == 0
    port = graphics_view(view.map)
    plane = in_window(port, view.vb.sceneBoundingRect())
    assert shown_part(port.viewport()).contains(plane), (plane, shown_part(port.viewport()))
    assert plane.height() >= 200, plane
    for name in ("line_plot", "path_plot", "sharp_plot"):
        plot = getattr(view, name)
        data = plot.vb.sceneBoundingRect()
        # a plot, not a strip: room for its curve and at least three tick numbers
        assert data.height() >= 3 * _tick_px(plot), (name, data)
        assert data.width() >= 250, (name, data)
        # the title as large as the numbers under it at least (it was ~10 px beside ~16)
        assert _title_px(plot) >= _tick_px(plot), (name, _title_px(plot), _tick_px(plot))
        # the title within its plot's width
        title = plot.titleLabel.item.sceneBoundingRect()
        box = plot.sceneBoundingRect()
        assert box.left() - 1 <= title.left() and title.right() <= box.right() + 1, name
        # the axis's words under it ("alpha", "epoch")
        bottom = plot.getAxis("bottom")
        assert bottom.label.isVisible() and bottom.label.toPlainText().strip(), name
        # the y numbers apart, two at least
        numbers = [(r, t) for r, t in _drawn_numbers(plot.getAxis("left")) if t]
        assert len(numbers) >= 2, (name, numbers)
        ordered = sorted(numbers, key=lambda n: n[0].top())
        for (a, ta), (b, tb) in zip(ordered, ordered[1:]):
            assert b.top() >= a.bottom() - 1, (name, ta, tb)
    # Scrolled to the end, the sharpness plot lies whole in view.
    bar.setValue(bar.maximum())
    try:
        sharp = in_window(graphics_view(view.sharp_plot), view.sharp_plot.sceneBoundingRect())
        shown = shown_part(graphics_view(view.sharp_plot).viewport())
        assert shown.contains(sharp), (sharp, shown)
    finally:
        bar.setValue(0)


def test_at_1024x768_and_text_150_the_side_plots_read_as_plots_under_the_map(main_window, qtbot):
    w = main_window
    w.text_size.choose(1.5)
    w.resize(1024, 768)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = trained_and_shown(qtbot, w, 100)
    qtbot.waitUntil(lambda: _side_plots_readable(w, view), timeout=10_000)


def test_in_presentation_mode_at_1024x768_the_side_plots_read_as_plots_under_the_map(
        main_window, qtbot):
    # Beside the map in presentation mode at 1024x768 the side plots were ~190 px wide under
    # titles fitted down to ~9 pt, and the map ~270 px across: now, as at text 150%, they go
    # under the map at the view's width, the map (and the model on it) in view unscrolled.
    w = main_window
    try:
        view = landscape_at(qtbot, w, presentation=True, epochs=100)
        qtbot.waitUntil(lambda: _side_plots_readable(w, view), timeout=10_000)
    finally:
        w.set_presentation(False)


def _summary_lines(view) -> int:
    label = view.summary
    view.grab()
    return round(label.height() / label.fontMetrics().lineSpacing())


@pytest.mark.parametrize("size, most, most_sampled", [((1024, 768), 3, 4), ((1400, 900), 2, 3)])
def test_at_text_150_the_summary_leaves_the_map_its_room(main_window, qtbot, size, most,
                                                         most_sampled):
    # The summary over the map ran 4 lines at 1024x768 and text 150% (3 at 1400x900), 5-6 with
    # a sample's note: "the path lies a little off this plane: at epoch 0 the model's loss was
    # 0.264, its shadow's on the plane 0.248", the sample's "(a random sample, each class its
    # share)". The few words a look at the map needs stay; the rest is the summary's tooltip.
    import dataclasses
    w = main_window
    w.text_size.set_factor(1.5)
    w.resize(*size)
    w.show()
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    view = trained_and_shown(qtbot, w, 50)
    r, s = view.result, w.last_snapshot
    qtbot.waitUntil(lambda: _summary_lines(view) <= most, timeout=10_000)
    text = view.summary.text().replace("\u2060", "")  # (a word joiner: see below)
    assert text.startswith("epoch 50") and "of the path's variance" in text
    assert f"sharpness {r.sharp_values[-1]:.3g}" in text and "the stability limit 2/lr = 2)" \
        in text
    # "2/lr" whole on a line, at the summary's width and any narrower: Qt breaks after a slash
    # inside <nobr>, and the summary ended a line with "2/" and began the next with "lr".
    label = view.summary
    for width in [label.contentsRect().width(), *range(100, label.contentsRect().width(), 5)]:
        lines = [t.replace("\u2060", "") for _, _, t in _metric_lines(label, width)]
        assert any("2/lr" in line for line in lines), (width, lines)
    assert "path a little off the plane" in text  # this run's path: 6% at epoch 0
    assert "at epoch 0 the model's loss was" in view.summary.toolTip()
    # a sample of the points: said in a few words, the rest in the tooltip
    many = 40 * r.land.n_points
    view.update_snapshot(dataclasses.replace(s, extras={
        **s.extras, view.extras_key: dataclasses.replace(r, n_train=many)}))
    assert f"losses on <nobr>{r.land.n_points:,} of {many:,}</nobr> points" in \
        view.summary.text()
    assert "each class its share" in view.summary.toolTip()
    qtbot.waitUntil(lambda: _summary_lines(view) <= most_sampled, timeout=10_000)


def test_in_presentation_mode_at_text_150_the_colour_bar_s_numbers_stand_apart(main_window,
                                                                               qtbot):
    """The colour bar of a loss between 0.25 and 0.99 (a run stuck high), on the log scale,
    in presentation mode at text 150% at 1024x768: its numbers 0.3 to 0.9, each 1 to 9 x 0.1,
    touched one another (0.9 on 0.8 on 0.7). Fewer of them, the roundest, with half a line of
    air at least between two."""
    import dataclasses

    import numpy as np

    from .test_views_helpers import axis_texts
    w = main_window
    w.text_size.choose(1.5)
    try:
        view = landscape_at(qtbot, w, presentation=True)
        view.log_scale.setChecked(True)
        r, s = view.result, w.last_snapshot
        v = r.land.values
        high = 0.25 * (0.99 / 0.25) ** ((v - v.min()) / (v.max() - v.min()))
        stuck = dataclasses.replace(r, land=dataclasses.replace(r.land, values=high))
        view.update_snapshot(dataclasses.replace(s, extras={**s.extras, view.extras_key: stuck}))
        axis = view.colorbar.axis

        def apart() -> bool:
            view.grab()
            boxes = sorted((b for b, _, t in axis_texts(axis) if t), key=lambda b: b.top())
            return (view.colorbar.levels()[1] > np.log10(0.9) and len(boxes) >= 3 and all(
                b.top() - a.bottom() >= a.height() / 2 for a, b in zip(boxes, boxes[1:])))
        qtbot.waitUntil(apart, timeout=10_000)
    finally:
        w.set_presentation(False)
