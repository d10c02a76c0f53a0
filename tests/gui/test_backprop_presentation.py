"""The Backprop tab in presentation mode at 1024x768: the network diagram in sight with the
formulas and a plot a point can be picked on, no scrolling to see the lesson's picture."""
from __future__ import annotations

import collections

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication

from nnviz.gui.backprop_view import PRESENTING_DIAGRAM_PX, PRESENTING_FORMULA_LINES

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]

# The plane the points are picked on, at 1024x768 with a preset's note above the tabs: it was
# 93x53 px (the check box and its empty note under it, the plot as narrow as its least width),
# too small for a room to see which point is followed. It was then ~217x125; now ~172x99, the
# plot ~245 px wide, that the formulas beside it have the width to be read whole (each
# stage's text of the output unit: test_every_stages_words_read_whole_on_a_projector).
PLANE_PX = QSize(165, 95)


def _in_sight(widget, area) -> bool:
    """The whole of ``widget`` inside the scroll area's viewport (what is on screen of it)."""
    port = area.viewport()
    return port.rect().contains(QRect(widget.mapTo(port, QPoint(0, 0)), widget.size()))


def test_the_backprop_diagram_is_in_sight_with_the_formulas_in_presentation_at_1024(main_window,
                                                                                     qtbot):
    # Before: at least 250 px of plot, 10 lines of formulas and 420 px of diagram, one under
    # the other, scrolled: at 1024x768 only the diagram's layer headings showed at the bottom
    # edge, and scrolling to the diagram took the formulas and the plot out of sight.
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # as in class: the preset's note on top
    assert w.hint.isVisible()
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = w._inspection_views["backprop"]
    for _ in range(3):  # ∂L/∂w for each link: the diagram is the stage's picture
        view.next.click()
    area = view.split_scroll
    vb = view.plot.getPlotItem().getViewBox()
    lines = PRESENTING_FORMULA_LINES * view.formulas.fontMetrics().lineSpacing()

    def in_sight() -> bool:
        QApplication.processEvents()
        # (the network drawn: before the first frame the plot's plane is a line saying so)
        return (view.canvas.spec is not None and _in_sight(view.canvas, area)
                and _in_sight(view.formulas, area)
                and _in_sight(view.plot, area)
                and view.canvas.height() >= PRESENTING_DIAGRAM_PX
                and view.formulas.viewport().height() >= lines - 1
                and vb.width() >= PLANE_PX.width() and vb.height() >= PLANE_PX.height())
    qtbot.waitUntil(in_sight, timeout=30_000)
    assert area.verticalScrollBar().value() == 0
    assert w.width() == 1024 and w.rect().contains(QRect(area.mapTo(w, QPoint(0, 0)),
                                                         area.size()))
    # the diagram, the lesson's picture, shows two units of each layer at the least (its
    # height beyond that showed no more: the formulas have the rest)
    assert all(len(u) >= min(2, n) for u, n in zip(view.canvas.shown,
                                                    view.canvas.spec.layer_sizes))
    # The pulls: the check box and its note under the formulas, one line, over nothing, the
    # plane as large (wrapped there, the note's three lines ran over the formulas).
    view.pull_box.setChecked(True)
    w.step(1)  # a frame, with the pulls
    note = view.pull_note

    def pulls_shown() -> bool:
        QApplication.processEvents()
        return note.isVisible() and note.text().startswith("Hardest now: #")
    qtbot.waitUntil(pulls_shown, timeout=30_000)

    def apart() -> bool:
        QApplication.processEvents()
        # what is seen of each: a widget is clipped by its parent's edge (the check box's
        # widget ran 12 px past the plot's side, blank, clipped there, at 1024x768)
        rects = [QRect(x.mapTo(w, x.visibleRegion().boundingRect().topLeft()),
                       x.visibleRegion().boundingRect().size())
                 for x in (view.formulas, view.pull_box, note)]
        return not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:]) \
            and note.height() <= 1.5 * note.fontMetrics().lineSpacing() \
            and vb.width() >= PLANE_PX.width() and vb.height() >= PLANE_PX.height() \
            and _in_sight(note, area) and _in_sight(view.canvas, area)
    qtbot.waitUntil(apart, timeout=10_000)
    assert note.toolTip().startswith(note.text().rstrip("\u2026"))  # the whole in its tooltip
    # The normal mode again: every unit of the diagram, the tab scrolling under the preset's
    # note only by what the diagram needs beyond the room it leaves (review r27 F4: the note
    # took hidden 2's units away), never beyond the tab's height.
    w.set_presentation(False)

    def normal() -> bool:
        QApplication.processEvents()
        view.canvas.grab()
        return view._layout == "normal" and \
            [len(u) for u in view.canvas.shown] == list(view.canvas.spec.layer_sizes)
    qtbot.waitUntil(normal, timeout=30_000)
    assert view.canvas.height() <= view.parentWidget().height()


def _every_unit_reads_whole(w, view, qtbot, size) -> None:
    """At window ``size``, Next after Next (Page Down, as a clicker sends) through the output
    unit's stages (the tab opens on it), each stage checked (its check line, a box of readable
    width); then every other unit (a node clicked) and each of its stages: the stage's text of
    every unit whole in its box -- no scroll bar -- beside the plot, over the diagram, which
    keeps its two units a layer and its place; a hidden unit's δ with its numbers (the sum over
    the units it feeds and δ, the trace's, which the check line compares with jax.grad).

    A clicked unit's other stages are set directly, one after another (there and back, as a
    teacher walks a unit's stages), and read at once: the view draws the stage as Next does
    (Next also asks the paused worker for numbers its trace already has, a frame whose drawing
    is the same). Each unit's first and last stage are read after the window's events, as
    laid out and painted. (It clicked every unit once per stage, 936 clicks over the test, each
    laying out the unit's six texts again for the row's height: ~16 ms a click.)"""
    from nnviz.core.backprop import STAGES
    from PySide6.QtCore import QEvent, Qt
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    box, canvas, area = view.formulas, view.canvas, view.split_scroll
    spec = view._result_snapshot.spec
    tops = collections.defaultdict(set)  # the diagram's top, for each unit's stages

    def whole() -> bool:
        doc = box.document()
        return ("next frame" not in box.toPlainText()
                and box.toPlainText().strip() != ""
                and doc.size().height() <= box.viewport().height()
                and box.verticalScrollBar().maximum() == 0
                and box.horizontalScrollBar().maximum() == 0
                and _in_sight(box, area) and _in_sight(canvas, area)
                and area.verticalScrollBar().maximum() == 0)

    def reads_whole(layer: int, unit: int, events: bool) -> None:
        """The text shown whole: after the window's events (``events``), or at once (its
        layouts' requests sent), waiting for the events only where it is not whole yet."""
        stage = STAGES[view.stage]
        where = (size, stage, layer, unit)
        if not events:
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if events or not whole():
            def settled() -> bool:
                QApplication.processEvents()
                return whole()
            try:
                qtbot.waitUntil(settled, timeout=30_000)
            except qtbot.TimeoutError:
                pytest.fail(f"{where}: {box.document().size().height():.0f} px of text in a "
                            f"box of {box.viewport().height()}")
        assert not box.verticalScrollBar().isVisible(), where
        text = box.toPlainText()
        if stage == "loss":  # the network's, not the picked hidden unit's
            assert "The network's loss" in text and "hidden layer" not in text, where
        else:
            assert ("output" if layer == spec.n_layers - 1 else f"unit {unit + 1}") \
                in text, where
        if stage == "delta" and layer < spec.n_layers - 1:
            p = view.result.trace.layers[layer]
            assert f"= {p.upstream[0, unit]:.4g}" in text, (where, text)
            assert f"= {p.delta[0, unit]:.4g}" in text, (where, text)
        assert all(len(u) >= min(2, n) for u, n in zip(canvas.shown, canvas.spec.layer_sizes)), \
            where
        tops[layer, unit].add(canvas.mapTo(w, QPoint(0, 0)).y())

    units = [(layer, unit) for layer in reversed(range(spec.n_layers))  # the output first
             for unit in range(spec.layer_sizes[layer + 1])]
    view.go(0)
    canvas.node_clicked.emit(*units[0])
    for k, stage in enumerate(STAGES):
        if k:
            qtbot.keyClick(w, Qt.Key.Key_PageDown)
        assert view.stage == k
        reads_whole(*units[0], events=True)
        assert "✓" in view.check.text(), (size, stage)
        # a box of readable lines: ~36 characters wide at the least, the stage's words in it
        metrics = box.fontMetrics()
        assert box.viewport().width() >= 36 * metrics.averageCharWidth(), stage
    for layer, unit in units[1:]:
        canvas.node_clicked.emit(layer, unit)
        reads_whole(layer, unit, events=True)
        there = range(1, len(STAGES)) if view.stage == 0 else range(len(STAGES) - 2, -1, -1)
        for k in there:
            view.stage = k  # (set directly: go(k) without the worker's frame)
            view._show_stage()
            reads_whole(layer, unit, events=k in (0, len(STAGES) - 1))
    view.go(0)
    # the diagram stayed put from stage to stage (the row above it is as tall as the picked
    # unit's tallest text needs: another unit may move it)
    assert all(len(t) == 1 for t in tops.values()), tops


def test_every_stages_words_read_whole_on_a_projector(main_window, qtbot, wait_run):
    """A teacher's review: at 1024x768 in presentation mode the stage's words and formulas sat
    in a box of ~350x150 px and scrolled (290-670 px of text), so the class read the step only as
    the teacher scrolled. The output unit's then read whole in a box of ~387x233, but a hidden
    unit's δ (its sum over the next layer's units) took 2-5 lines more (284-353 px) and the
    third hidden layer's ∂L/∂w 2 more (273 px). Now every stage's text of every unit reads
    whole, at 1024x768 and at 1400x900, in the notebook's network and in a deeper one."""
    from nnviz.core.problem import Choices, make_problem
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # as in class: the preset's note on top
    wait_run(w)
    w.pause()
    w.set_presentation(True)
    w.show_view("backprop")
    view = w._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.result is not None, timeout=120_000)
    for size in ((1024, 768), (1400, 900)):
        _every_unit_reads_whole(w, view, qtbot, size)
    # the words keep what they say: the node labels' name, the stage's formula
    view.go(0)
    view.canvas.node_clicked.emit(view._result_snapshot.spec.n_layers - 1, 0)
    box = view.formulas
    assert "Node labels: a." in box.toPlainText() and "sigmoid(z)" in box.toPlainText()
    # A deeper network (the notebook page's 4-10-30-10-4 stack, here on the moons): the sums
    # into and out of its 30 units' layer.
    hidden = (4, 10, 30, 10, 4)
    w.load_problem(make_problem(w.dataset, Choices(hidden=hidden)))
    wait_run(w)
    w.pause()
    qtbot.waitUntil(lambda: view.result is not None and view._result_snapshot is not None
                    and view._result_snapshot.spec.hidden == hidden, timeout=120_000)
    for size in ((1024, 768), (1400, 900)):
        _every_unit_reads_whole(w, view, qtbot, size)


def test_folding_the_explanation_leaves_the_plot_beside_the_formulas(main_window, qtbot):
    """Presentation mode at 1024x768, "What am I looking at?" unfolded and folded again: the
    plot stayed drawn over the formulas' first characters ("ach unit adds up ...") until
    another tab was shown. The row's plot widened with the taller row while the row placed
    its panes, and the share it set there was half overwritten: the plot 269 px wide, the
    formulas' pane where a 250 px plot would end."""
    w = main_window
    w.session_actions.preset_actions["moons"].trigger()  # the preset's note above the tabs
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = w._inspection_views["backprop"]
    panel = w.explain_panels["backprop"]
    box = view.formulas

    def rect(widget) -> QRect:
        return QRect(widget.mapTo(w, QPoint(0, 0)), widget.size())

    def apart() -> bool:
        QApplication.processEvents()
        plot, text = rect(view.plot), rect(box.viewport())
        return view._layout == "row" and plot.width() > 0 and not plot.intersects(text) \
            and plot.right() < text.left()
    qtbot.waitUntil(lambda: view._result_snapshot is not None and apart(), timeout=30_000)
    folded = view.column.height()
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.column.height() < folded and apart(), timeout=5000)
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.column.height() == folded, timeout=5000)  # the row as before
    try:
        qtbot.waitUntil(apart, timeout=5000)
    except qtbot.TimeoutError:
        pytest.fail(f"the plot {rect(view.plot)} over the formulas' text {rect(box.viewport())}")


def test_points_sized_by_their_pull_stay_apart_and_their_note_reads_whole_at_1024(main_window,
                                                                                   qtbot):
    """Presentation mode at 1024x768, "Size points by their pull" ticked: the markers were up
    to ~35-50 px on a plane of ~220x130 px and covered it, the note under the formulas cut:
    "Hardest now: #74, #87, #95; size: ||∂Lₙ/∂θ|| o...". The largest marker is now at most an
    eighth of the plane's shorter side, and the note reads whole (its longest form in its
    tooltip)."""
    w = main_window
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    view = w._inspection_views["backprop"]
    view.pull_box.setChecked(True)
    w.step(1)  # a frame, with the pulls
    vb, note = view.plot.getPlotItem().getViewBox(), view.pull_note

    def shown() -> bool:
        QApplication.processEvents()
        return note.isVisible() and note.text().startswith("Hardest") and \
            len(view.pull_points.data) > 0 and vb.height() > 0

    qtbot.waitUntil(shown, timeout=30_000)

    def largest_px() -> float:
        # as drawn: the markers' size times any scale put on them after
        scale = float(view.plot.property("nnvizScale") or 1.0)
        fitted = getattr(view.pull_points, "nnviz_fitted", False)
        return float(view.pull_points.data["size"].max()) * (1.0 if fitted else scale)

    def apart_and_whole() -> bool:
        QApplication.processEvents()
        room = min(vb.width(), vb.height())
        text = note.text()
        whole = "\u2026" not in text and "..." not in text and (
            note.wordWrap() or
            note.fontMetrics().horizontalAdvance(text) <= note.contentsRect().width())
        return largest_px() <= room / 8 and whole

    qtbot.waitUntil(apart_and_whole, timeout=10_000)
    # the hardest points named, and the note's whole in the tooltip where it is shorter
    assert note.text().startswith("Hardest") and "#" in note.text()
    assert note.toolTip() == "" or note.toolTip().startswith("Hardest now: #") and \
        "largest" in note.toolTip()
