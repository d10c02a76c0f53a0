"""The Backprop view: stages with Next / Back, formulas with the real numbers, the jax.grad
check, picking a point on the plot, points sized by their pull."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnviz.core import backprop
from nnviz.core.backprop import STAGES
from nnviz.gui import colors
from nnviz.gui.backprop_view import BackpropView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = BackpropView()
    qtbot.addWidget(v)
    v.resize(1100, 750)
    v.show()
    return v


def frame(view, t):
    view.set_dataset(t.data)
    view.update_snapshot(snapshot_of(t, {"backprop": view.probe}))


def playing_frame(view, t):
    """A frame made while the run plays (the worker's ModelAt says so)."""
    from nnviz.core.snapshot import ModelAt
    model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, "main"), None, state=t.state,
                    playing=True)
    view.set_dataset(t.data)
    view.update_snapshot(snapshot_of(t, {"backprop": lambda _m, g: view.probe(model, g)}))


def test_while_training_the_check_says_what_the_stage_has_checked(view, qtbot):
    t = make_trainer(samples=80)
    t.run(20)
    playing_frame(view, t)
    tr = view.result.trace
    assert tr.parts == backprop.POINT  # the forward stage: the point's pass alone
    assert "✓ the point's loss matches jax's" in view.check.text()
    for _ in range(STAGES.index("grad")):  # the point's stages: no new numbers needed
        view.go(view.stage + 1)
    assert view.probe.stage == "grad" and view.result.trace is tr
    assert "✓ ∂L/∂w matches jax.grad" in view.check.text()
    with qtbot.waitSignal(view.settings_changed, timeout=1000):  # the worker is asked for them
        qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.probe.stage == "batch"
    assert "come with the next frame" in view.formulas.toPlainText()
    assert view.check.text() == "checked with the next frame"
    playing_frame(view, t)
    tr = view.result.trace
    assert tr.parts == backprop.ALL and tr.check.batch is not None
    assert "✓ batch gradient matches jax.grad" in view.check.text()
    assert f"mean of {tr.batch_size}" in view.formulas.toPlainText()
    with qtbot.waitSignal(view.settings_changed, timeout=1000):
        view.go(STAGES.index("update"))  # optax's update, without the hand batch
    playing_frame(view, t)
    assert view.result.trace.parts == backprop.UPDATE
    assert "✓ update matches optax's" in view.check.text()
    assert "Plain gradient descent" in view.formulas.toPlainText()


def test_next_and_back_walk_through_the_stages(view, qtbot):
    t = make_trainer(samples=80)
    t.run(20)
    frame(view, t)
    tr = view.result.trace
    assert "1 / 6" in view.stage_label.text() and not view.back.isEnabled()
    assert "✓ the point's loss matches jax's to" in view.check.text()
    text = view.formulas.toPlainText()
    z = tr.layers[-1].z[0, 0]
    assert "sigmoid(" in text and backprop.STAGE_TITLES["forward"] in text
    assert f"{z:.4g}" in text and f"{tr.layers[-1].a[0, 0]:.4g}" in text
    # forward: the links are the weights
    np.testing.assert_allclose(view.canvas.params[0][0], np.asarray(t.params[0][0]), rtol=1e-6)
    seen = [view.formulas.toPlainText()]
    for k in range(1, len(STAGES)):
        qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
        assert f"{k + 1} / 6" in view.stage_label.text()
        seen.append(view.formulas.toPlainText())
        if STAGES[k] == "loss":
            assert f"{tr.loss:.4g}" in seen[-1]
        if STAGES[k] == "grad":  # the links now show this point's dL/dw
            np.testing.assert_allclose(view.canvas.params[1][0], tr.point_grad[1][0], rtol=1e-5)
            assert "∂L/∂w" in seen[-1]
        if STAGES[k] in ("delta", "grad", "batch"):
            assert "✓" in view.check.text() and "matches jax.grad to" in view.check.text()
        if STAGES[k] == "update":
            # the hand-built update is compared with optax's, not with jax.grad (reviewer: the
            # line said "matches jax.grad" here too)
            assert "✓ update matches optax's" in view.check.text()
            assert "0.0e+00" not in view.check.text()
            assert "jax.grad" not in view.check.text()
            np.testing.assert_allclose(view.canvas.params[0][0], tr.update.update[0][0],
                                       rtol=1e-5)
            assert "Plain gradient descent" in seen[-1]
    assert len(set(seen)) == len(STAGES)  # every stage says something of its own
    assert not view.next.isEnabled()
    qtbot.mouseClick(view.back, Qt.MouseButton.LeftButton)
    assert "5 / 6" in view.stage_label.text()
    view.grab()


def test_a_hidden_unit_gets_its_delta_written_out(view):
    t = make_trainer(samples=80)
    frame(view, t)
    view.go(STAGES.index("delta"))
    view.canvas.node_clicked.emit(1, 3)  # hidden layer 2, unit 4
    tr = view.result.trace
    text = view.formulas.toPlainText()
    assert "hidden layer 2, unit 4" in text
    assert f"{tr.layers[1].delta[0, 3]:.4g}" in text and "a(1 − a)" in text


def test_adam_shows_what_its_update_is(view):
    t = make_trainer(optimizer="adam", lr=0.01, samples=80)
    t.run(5)
    frame(view, t)
    view.go(STAGES.index("update"))
    text = view.formulas.toPlainText()
    assert "Adam" in text and "Not lr × g" in text and "bias-corrected" in text


def test_clicking_a_point_on_the_plot_follows_it(view, qtbot):
    t = make_trainer(samples=80)
    frame(view, t)
    i = 17
    x, y = t.data.X_train[i]
    vb = view.plot.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: vb.width() > 50)
    scene = vb.mapViewToScene(QPointF(float(x), float(y)))
    pos = view.plot.mapFromScene(scene)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.probe.selected == i
    assert view.points.currentIndex() == i
    frame(view, t)
    assert view.result.trace.index == i and f"#{i}" in view.title.text()
    mx, my = view.marker.getData()
    assert (mx[0], my[0]) == pytest.approx((x, y))


def test_points_sized_by_their_pull(view):
    t = make_trainer(samples=80)
    t.run(30)
    frame(view, t)
    assert not view.probe.pulls
    view.pull_box.setChecked(True)
    assert view.probe.pulls
    frame(view, t)
    pulls = backprop.per_example_pull(t.spec, "mse", t.params, t.data.X_train,
                                      np.asarray(t.T_train))
    sizes = view.pull_points.data["size"]
    assert len(sizes) == len(pulls)
    assert int(np.argmax(sizes)) == int(np.argmax(pulls))
    # by √ of the pull (its area), from PULL_LEAST_PX to PULL_MOST_PX, the largest a share of
    # the plot's shorter side at most (test_backprop_presentation: at 1024x768 presenting)
    from nnviz.gui.backprop_view import PULL_LEAST_PX, PULL_MOST_PX, PULL_MOST_SHARE
    vb = view.plot.getPlotItem().getViewBox()
    most = min(PULL_MOST_PX, PULL_MOST_SHARE * min(vb.width(), vb.height()))
    least = min(PULL_LEAST_PX, most / 2.5)
    np.testing.assert_allclose(sizes, least + (most - least) * np.sqrt(pulls / pulls.max()),
                               rtol=1e-4)
    assert not view.plot.train_points.isVisible()
    # in their class's shapes, as the points they stand in for (they were all circles)
    assert [str(s) for s in view.pull_points.data["symbol"]] == [
        colors.class_symbol(int(c)) for c in t.data.y_train]
    assert f"#{int(np.argmax(pulls))}" in view.pull_note.text()
    view.pull_box.setChecked(False)
    assert view.plot.train_points.isVisible() and not len(view.pull_points.data)


def test_the_tab_in_the_window_gets_its_numbers_from_the_worker(main_window, qtbot):
    main_window.show_view("backprop")
    view = main_window._inspection_views["backprop"]
    # First shown while paused: until its numbers are computed (compiled, the first time)
    # the header says so; "its numbers come with the next frame" read as "press Play" (r4).
    assert view.result is None
    assert "computing this point's numbers" in view.title.text()
    assert "next frame" not in view.title.text()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    assert "computing" not in view.title.text() and "training point <b>#0</b>" in \
        view.title.text()
    assert "✓ the point's loss matches jax's" in view.check.text()
    # The point picker is a small copy of the main plot: the scale is the main plot's colour
    # bar's, and its own would take the small plane's room (in presentation mode its
    # "P(class 1)" was printed over its numbers).
    assert main_window.boundary.colorbar.isVisible()  # (a graphics item: in its scene)
    assert not view.plot.colorbar.isVisible() and view.plot.heat.isVisible()
    view.select_point(5)
    qtbot.waitUntil(lambda: view.result.trace.index == 5, timeout=60_000)
    main_window.step(3)
    qtbot.waitUntil(lambda: view.result.epoch == 3, timeout=60_000)
    view.go(5)
    assert "gradient descent" in view.formulas.toPlainText()
    # a past epoch of the timeline: the trace of that epoch's weights
    main_window.timeline.go(1)
    qtbot.waitUntil(lambda: view.result.epoch == 1, timeout=60_000)
    snap = main_window.last_snapshot
    np.testing.assert_allclose(view.result.trace.params[0][0], snap.params[0][0], rtol=1e-6)


def test_the_tab_keeps_up_with_training_and_next_brings_the_batch(main_window, qtbot):
    """While the run plays the tab shows new numbers for the point's stages, checked against
    jax.grad, and Next to the batch stage brings the batch's without a pause."""
    main_window.show_view("backprop")
    view = main_window._inspection_views["backprop"]
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    main_window.play()
    qtbot.waitUntil(lambda: view.result.epoch > 0 and view.result.trace.parts == backprop.POINT,
                    timeout=60_000)
    epochs = {view.result.epoch}
    qtbot.waitUntil(lambda: epochs.add(view.result.epoch) or len(epochs) >= 4, timeout=60_000)
    assert "✓ the point's loss matches jax's" in view.check.text()
    view.go(STAGES.index("batch"))
    qtbot.waitUntil(lambda: view.result.trace.shows("batch"), timeout=60_000)
    assert main_window.worker.loop.playing
    assert "✓ batch gradient matches jax.grad" in view.check.text()
    assert "mean of" in view.formulas.toPlainText()
    main_window.pause()


def test_a_big_data_sets_point_list_reads_the_training_points_once(view, monkeypatch):
    """X_train indexes the whole data set each time: read per listed point, the tab's first
    frame at 100,000 points took ~12 s."""
    from nnviz.core.data import Dataset
    t = make_trainer(samples=2000)
    reads = {"n": 0}
    real = Dataset.X_train

    def counted(self):
        reads["n"] += 1
        return real.fget(self)
    monkeypatch.setattr(Dataset, "X_train", property(counted))
    view.set_dataset(t.data)
    assert reads["n"] <= 10  # not once per listed point (2,000 before)
    assert view.points.count() == len(t.data.train_index)
    X = real.fget(t.data)
    assert view.points.itemText(1234).startswith(f"#1234  x1={X[1234, 0]:.2f}, x2={X[1234, 1]:.2f}")


def test_a_wide_layer_keeps_the_selected_units_path(view):
    t = make_trainer(hidden=(64, 64), act="relu", lr=0.1, samples=80)
    frame(view, t)
    # a unit with weak weights: not among the strongest links
    W1 = np.asarray(t.params[1][0])
    weak = int(np.argmin(np.abs(W1).sum(axis=0)))
    view.go(STAGES.index("grad"))
    view.canvas.node_clicked.emit(1, weak)  # hidden layer 2, a weak unit
    c = view.canvas
    assert weak in c.shown[2] and len(c.shown[2]) == 10  # shown, among 10 of 64
    layer, ii, jj, _ = c._links[1]
    into = {int(c.shown[1][i]) for i, j in zip(ii, jj) if c.shown[2][j] == weak}
    assert into == set(int(u) for u in c.shown[1])  # every drawn unit of layer 1 links to it
    layer, ii, jj, _ = c._links[2]
    out_of = {int(c.shown[3][j]) for i, j in zip(ii, jj) if c.shown[2][i] == weak}
    assert out_of == {0}  # and it links to the output
    assert f"hidden layer 2, unit {weak + 1}" in view.formulas.toPlainText()


def test_each_stage_says_what_its_numbers_were_compared_with(view):
    # A wrong update (optax's differs from the hand-built one) shows as ✗ on the update stage,
    # whose words name optax, and the other stages say that another stage's check fails.
    t = make_trainer(samples=80)
    t.run(5)
    frame(view, t)
    r = view.result
    bad = dataclasses.replace(r.trace.check, update=1.0)
    view.result = dataclasses.replace(r, trace=dataclasses.replace(r.trace, check=bad))
    view.go(STAGES.index("update"))
    assert "✗ update matches optax's to 1.0e+00" in view.check.text()
    view.go(STAGES.index("grad"))
    assert "✓ ∂L/∂w matches jax.grad" in view.check.text()
    assert "another stage's check fails" in view.check.text()
    unbuilt = dataclasses.replace(r.trace.check, batch=None)
    view.result = dataclasses.replace(r, trace=dataclasses.replace(r.trace, check=unbuilt))
    view.go(STAGES.index("batch"))
    assert "the batch gradient is jax's alone" in view.check.text()
    assert "✓" not in view.check.text()


def test_the_check_says_the_same_of_the_loss_and_exactly_for_no_difference(view):
    # Stages 1 and 2 compare the same loss in the same words ("its loss" / "loss" before); a
    # hand-built update equal to optax's to the last bit (plain gradient descent) reads
    # "exactly", not "to 0.0e+00" (reviewer).
    t = make_trainer(samples=80)
    t.run(5)
    frame(view, t)
    said = []
    for stage in ("forward", "loss"):
        view.go(STAGES.index(stage))
        said.append(view.check.text().split("✓ ")[1].split(" to ")[0].split(" exactly")[0])
    assert said[0] == said[1] == "the point's loss matches jax's"
    r = view.result
    same = dataclasses.replace(r.trace.check, update=0.0)
    view.result = dataclasses.replace(r, trace=dataclasses.replace(r.trace, check=same))
    view.go(STAGES.index("update"))
    assert "✓ update matches optax's exactly" in view.check.text()
    assert "0.0e+00" not in view.check.text()


def test_the_header_has_its_room_before_the_first_numbers_and_keeps_it(view, qtbot):
    # Opened while training, the tab showed the check line as a 6 px column until the first
    # numbers came; now its room is there from the start, and no stage changes it.
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    assert view.result is None
    room = view.check_room.geometry()
    assert room.width() > 150 and room.height() >= view.check.fontMetrics().height()
    t = make_trainer(samples=80)
    t.run(5)
    frame(view, t)
    QApplication.processEvents()
    assert view.check.text()
    places = set()
    for k in range(len(STAGES)):
        view.go(k)
        QApplication.processEvents()
        places.add((view.check_room.geometry().getRect(), view.stage_room.geometry().getRect(),
                    view.canvas.geometry().getRect()))
    assert len(places) == 1, places
    assert view.check_room.geometry() == room


def test_the_point_list_shows_its_point_whole_or_by_whole_parts(view, qtbot):
    from PySide6.QtWidgets import QApplication
    t = make_trainer(samples=80)
    frame(view, t)
    QApplication.processEvents()
    full = view.points.currentText()
    assert full.startswith("#0  x1=") and full.endswith("class 1") or full.endswith("class 0")
    assert view.points.shown_text() == full  # room for it: whole
    view.points.setFixedWidth(view.points.minimumSizeHint().width() + 40)
    QApplication.processEvents()
    shown = view.points.shown_text()
    # shorter, by whole parts: never a number cut short ("#0  x1=1.63, x2=-")
    parts = full.split("  ")
    assert shown in ("  ".join(parts[:2]), f"{parts[0]}  {parts[2]}", parts[0]), shown
    assert shown != full


def test_new_numbers_keep_the_formulas_where_the_user_scrolled(view, qtbot):
    # While the run played, every frame's new formulas sent the panel back to its top, so the
    # lower lines (at 1024x768 most of them) could not be read; a new stage starts at the top.
    from PySide6.QtWidgets import QApplication
    view.formulas.setFixedHeight(120)
    t = make_trainer(samples=80)
    t.run(5)
    playing_frame(view, t)
    QApplication.processEvents()
    bar = view.formulas.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    before = view.formulas.toPlainText()
    t.run(5)
    playing_frame(view, t)
    QApplication.processEvents()
    assert view.formulas.toPlainText() != before  # new numbers
    assert bar.value() == bar.maximum() > 0
    view.go(STAGES.index("delta"))
    QApplication.processEvents()
    assert bar.value() == 0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_diagrams_outlines_and_labels_stand_off_the_themes_ground(view, theme):
    """On the dark theme the nodes' outlines were fixed greys barely off the ground (contrast
    1.5 to 2.4; the selected node's black 1.1) and the labels sat in white boxes: now they are
    the theme's, at least 3:1 against its ground (WCAG's least for a shape's edge), and the
    picture is drawn with them."""
    from collections import Counter

    from PySide6.QtWidgets import QApplication

    from nnviz.gui import colors
    from nnviz.gui.backprop_view import diagram_colours
    colors.set_look(theme)
    try:
        t = make_trainer(samples=80)
        frame(view, t)
        QApplication.processEvents()
        look = diagram_colours()
        ground = colors.background()
        rgb = {k: c.getRgb()[:3] for k, c in look.items()}
        for part in ("node", "bias", "selected"):
            assert colors.contrast(rgb[part], ground) >= 3.0, (part, rgb[part], ground)
        box = colors.mix(ground, rgb["label box"], look["label box"].alphaF())
        assert colors.contrast(rgb["label"], box) >= colors.READABLE + 1
        image = view.canvas.grab().toImage()
        seen = Counter(image.pixelColor(x, y).getRgb()[:3]
                       for y in range(0, image.height()) for x in range(image.width()))
        assert seen[rgb["node"]] > 200 and seen[rgb["selected"]] > 20, seen.most_common(8)
        assert seen[ground] > image.width() * image.height() / 3  # the ground is the theme's
    finally:
        colors.set_look("light")


def _labels_painted(view):
    canvas = view.canvas
    canvas._picture = None
    canvas.repaint()
    return canvas.labels_drawn


@pytest.mark.parametrize("size", [(1100, 750), (760, 520)])
def test_node_labels_cover_no_node_and_read_alike_down_a_column(view, size):
    """The labels sat above and to the right of their nodes: a hidden-2 label lay on a
    hidden-3 node ("a=0.57"), the output's on its links; a column read "a=0.57" beside
    "a=0.2786", and one column had "a=" where the next had none. Now every label is clear of
    every node (and of the other labels), a column writes all its numbers alike (the same
    decimals, or all with an exponent), and the name is on every layer's labels or on none."""
    view.resize(*size)
    t = make_trainer(samples=80, hidden=(4, 10, 4))
    t.run(30)
    frame(view, t)
    for stage in ("forward", "delta"):
        view.go(STAGES.index(stage))
        drawn = _labels_painted(view)
        canvas = view.canvas
        assert {c for c, *_ in drawn} == set(range(len(canvas.shown)))
        nodes = [canvas.node_rect(c, k) for c, units in enumerate(canvas.shown)
                 for k in range(len(units))]
        boxes = [box for _, _, box, _ in drawn]
        for c, k, box, text in drawn:
            assert not any(box.intersects(n) for n in nodes), (stage, c, k, text)
            assert 0 <= box.left() and box.right() <= canvas.width(), text
        for i, a in enumerate(boxes):
            assert not any(a.intersects(b) for b in boxes[i + 1:]), drawn[i][3]
        named = set()
        for c in range(len(canvas.shown)):
            texts = [text for cc, _, _, text in drawn if cc == c]
            numbers = [text.split("=")[-1] for text in texts]
            if c > 0:
                named.add("=" in texts[0])
            exponent = {"e" in n for n in numbers if n != "0"}
            assert len(exponent) == 1, numbers  # all with an exponent or none
            if exponent == {False}:
                assert len({len(n.lstrip("-").split(".")[-1]) for n in numbers}) == 1, numbers
            # each number is its node's value, to what it shows
            for (_, k, _, _), n in zip([d for d in drawn if d[0] == c], numbers):
                v = canvas.node_values[c][canvas.shown[c][k]]
                places = len(n.split("e")[0].split(".")[-1]) if "." in n else 0
                scale = 10 ** int(n.split("e")[1]) if "e" in n else 1
                assert float(n) == pytest.approx(v, abs=0.51 * 10 ** -places * scale), (n, v)
        assert len(named) == 1, drawn


def test_the_inputs_labels_name_each_input(view):
    """Both inputs read "x=0.792" and "x=0.503" while the point's list and the plot's axes say
    x1 and x2 (review r27 F5): each input's label names its own."""
    t = make_trainer(samples=80, hidden=(4, 10, 4))
    t.run(10)
    frame(view, t)
    x1, x2 = t.data.X_train[0]
    inputs = [text for c, _, _, text in _labels_painted(view) if c == 0]
    assert inputs == [f"x1={x1:.3f}", f"x2={x2:.3f}"], inputs
    assert f"x1={x1:.2f}, x2={x2:.2f}" in view.points.currentText()


def test_the_label_style_keeps_a_columns_decimals():
    from nnviz.gui.backprop_view import label_number, label_style
    style = label_style([0.57, 0.2786, 0.0988], 3)
    assert [label_number(v, style) for v in (0.57, 0.2786, 0.0988)] == \
        ["0.570", "0.279", "0.099"]
    style = label_style([1.63, -0.464], 3)
    assert [label_number(v, style) for v in (1.63, -0.464)] == ["1.63", "-0.46"]
    # (from review r7 on, a column of values under 0.01 but not under 1e-4 has fixed decimals
    # as its neighbours have: "-0.00060", where it read "-6.0e-4" beside a column's "-0.00347")
    style = label_style([-6.04e-4, 2.1e-5], 2)
    assert [label_number(v, style) for v in (-6.04e-4, 2.1e-5)] == ["-0.00060", "0.00002"]
    style = label_style([-6.04e-5, 2.1e-6], 2)
    assert [label_number(v, style) for v in (-6.04e-5, 2.1e-6)] == ["-6.0e-5", "2.1e-6"]
    style = label_style([0.217, -0.0268], 3, exponent=True)  # a neighbour needs the exponent
    assert [label_number(v, style) for v in (0.217, -0.0268)] == ["2.17e-1", "-2.68e-2"]
    assert label_number(-1e-6, label_style([0.5, -1e-6], 3)) == "0.000"



def test_a_stages_deltas_are_written_alike_in_every_column(view):
    """Review r7: the notebook's run at epoch 0, point #0, read "δ=-4.32e-3" in hidden 1 beside
    "δ=-0.00347" in hidden 2: one kind of number in two forms (each column chose its own)."""
    from nnviz.core import presets

    view.resize(1100, 750)
    t = presets.get("moons").trainer()
    frame(view, t)
    view.go(STAGES.index("delta"))
    drawn = _labels_painted(view)
    numbers = {c: [text.split("=")[-1] for cc, _, _, text in drawn if cc == c]
               for c in range(1, len(view.canvas.shown))}
    forms = {"e" in n for ns in numbers.values() for n in ns if n != "0"}
    assert forms == {False}, numbers  # fixed decimals, as the formulas write these δ
    assert any(n.startswith("-0.00") for n in numbers[1]), numbers

def test_the_headers_are_one_size(view):
    """The hidden-2 header ("10 sigmoid") was a size smaller than its neighbours'."""
    view.resize(700, 600)
    t = make_trainer(samples=80, hidden=(4, 10, 4))
    t.run(5)
    frame(view, t)
    _labels_painted(view)
    sizes = {font.pointSizeF() for _, font, _ in view.canvas.titles()}
    assert len(sizes) == 1, sizes


def test_a_softmax_outputs_formula_has_all_of_the_layers_z(view):
    """"a = softmax(z) = softmax(-1.061) = 0.0181" could not be reproduced from the one number;
    and the outputs were "output 1" for class 0. Now the output of class k is named after it
    and its a is written out over the layer's z: the numbers shown give the value."""
    from .test_views_neurons import softmax_trainer
    t = softmax_trainer(classes=3, epochs=30)
    frame(view, t)
    tr = view.result.trace
    out = t.spec.n_layers - 1
    view.select_unit(out, 1)
    text = view.formulas.toPlainText()
    assert "output, P(class 1) (softmax)" in text
    zs = tr.layers[-1].z[0]
    for k, z in enumerate(zs):
        assert f"z{k} = {backprop_num(z)}" in text, (k, text)
    import re
    mine, total, a = next(m.groups() for m in (
        re.search(r"= (\S+) / (\S+) = (\S+)$", s.strip()) for s in text.splitlines()) if m)
    assert float(mine) / float(total) == pytest.approx(float(a), rel=2e-3)
    assert float(a) == pytest.approx(tr.layers[-1].a[0, 1], rel=1e-3)
    assert float(total) == pytest.approx(np.exp(zs.astype(float)).sum(), rel=1e-3)


def test_a_saturated_sigmoid_is_not_written_as_1(view):
    """A new user's review: "a = sigmoid(z) = sigmoid(9.949) = 1", where a sigmoid never
    reaches 1 -- a small error in the lesson itself. Its a is written with the digits that
    show it is not 1; a number of 4 digits keeps its 4."""
    from nnviz.core.training import Trainer, TrainConfig
    t0 = make_trainer(hidden=())
    bias = np.float32(9.949)  # z of every point, its weights 0
    t = Trainer(t0.spec, TrainConfig("mse", "gd", 1.0), t0.data, seed=0,
                params=[(np.zeros((2, 1), np.float32), np.array([bias]))])
    frame(view, t)
    view.select_unit(t.spec.n_layers - 1, 0)
    text = view.formulas.toPlainText()
    assert "= sigmoid(9.949) = 0.99995" in text, text
    assert "= 1\n" not in text + "\n" and "(9.949) = 1" not in text
    assert backprop_num(0.25) == "0.25" and backprop_num(-0.123456) == "-0.1235"
    assert backprop_num(1.0) == "1" and backprop_num(np.float32(1) / (1 + np.exp(-20))) == "1"


def backprop_num(v):
    from nnviz.gui.backprop_view import num
    return num(v)


def _output_fill(view):
    canvas = view.canvas
    c = len(canvas.shown) - 1
    img = canvas.grab().toImage()  # (laid out by its paint)
    rect = canvas.node_rect(c, 0)
    ratio = img.devicePixelRatio()
    centre = rect.center()
    return img.pixelColor(int(centre.x() * ratio), int(centre.y() * ratio)), \
        float(canvas.node_values[c][0])


def test_the_output_nodes_colour_is_its_probability_on_the_boundarys_scale(view, qtbot):
    """Scaled within its one-unit layer, the output was always the scale's end: a=0.0034 (class
    0, orange in every other view) as blue as a=0.9476. It is P(class 1) on the decision
    boundary's scale now, and "What am I looking at?" says what the colours mean."""
    from nnviz.gui import colors
    from nnviz.gui.explain import explanation
    t = make_trainer(samples=80)
    t.run(300)
    frame(view, t)
    view.go(STAGES.index("forward"))
    probs = np.asarray(t.predict(t.data.X_train)).ravel()
    low, high = int(np.argmin(probs)), int(np.argmax(probs))
    assert probs[low] < 0.2 and probs[high] > 0.8
    fills = {}
    for i in (low, high):
        view.select_point(i)
        frame(view, t)
        fill, a = _output_fill(view)
        assert a == pytest.approx(probs[i], abs=1e-4)
        fills[i] = (fill.red(), fill.green(), fill.blue())
        expected = colors.heat_lut()[round(255 * a)]
        assert np.abs(np.array(fills[i]) - expected).max() <= 2, (a, fills[i], expected)

    def nearer(rgb, k):
        d = [np.linalg.norm(np.subtract(rgb, colors.class_color(j))) for j in (0, 1)]
        return d[k] < d[1 - k]
    assert nearer(fills[low], 0) and nearer(fills[high], 1)  # orange, then blue
    text = explanation("backprop")
    assert "Colours" in text and "decision boundary" in text and "class 0" in text


def test_the_update_shows_a_small_change_of_the_weight(view):
    """Reviewer: "The weight goes from -2.595 to -2.595" -- a step of -0.00011 rounded away."""
    import re
    t = make_trainer(samples=80, lr=1e-4)
    t.run(3)
    frame(view, t)
    view.go(STAGES.index("update"))
    text = view.formulas.toPlainText()
    before, after = re.search(r"goes from (\S+) to (\S+) ", text).groups()
    assert before != after
    u = view.result.trace.update
    i = int(np.argmax(np.abs(u.grad[-1][0][:, 0])))
    w = float(np.asarray(view.result.trace.params[-1][0])[i, 0])
    dw = float(u.update[-1][0][i, 0])
    assert np.sign(float(after) - float(before)) == np.sign(dw) and abs(w) > 1e3 * abs(dw)
    assert f"Δw = {dw:.4g}" in text


def test_the_stages_name_and_order_the_weights_alike(view):
    """Reviewer: the forward sum listed its terms by size without names while the later stages
    listed w₁…w₄, so the two could not be matched."""
    t = make_trainer(samples=80)
    t.run(20)
    frame(view, t)
    text = view.formulas.toPlainText()  # the output unit, fed by hidden layer 3's 4 units
    assert "w1·a1 + w2·a2 + w3·a3 + w4·a4 + b" in text
    w = np.asarray(view.result.trace.params[-1][0], np.float64)[:, 0]
    a = view.result.trace.layers[-1].a_in[0]
    from nnviz.gui.backprop_view import fac
    plain = text.replace("\xa0", " ").replace("\u2060", "").replace("\u200b", "")
    assert " + ".join(f"{fac(w[i])}·{fac(a[i])}" for i in range(4)) in plain
    for stage in ("grad", "batch"):
        view.go(STAGES.index(stage))
        text = view.formulas.toPlainText()
        at = [text.index(f"w{i}") for i in range(1, 5)]
        assert at == sorted(at), stage


def test_the_batch_gradients_rows_do_not_wrap(view, qtbot):
    """Reviewer: in a narrow pane "g =" broke onto the next line, row by row differently."""
    t = make_trainer(samples=80)
    t.run(20)
    frame(view, t)
    view.resize(700, 750)
    view.go(STAGES.index("batch"))
    doc = view.formulas.document()
    qtbot.waitUntil(lambda: doc.documentLayout().documentSize().width() > 0)
    from PySide6.QtGui import QTextCursor
    cells = []
    block = doc.begin()
    while block.isValid():
        if QTextCursor(block).currentTable() is not None:
            cells.append((block.text(), block.layout().lineCount()))
        block = block.next()
    assert cells and all(n == 1 for _, n in cells), cells


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_link_shows_through_a_node_label(view, theme):
    """r3 #11: at 1400x900 hidden 2's "a=0.5153" labels sat on the orange and blue link lines
    running under them (the label's box let 16% of them through). Inside every label's box, only
    the box and its text: no coloured pixel of a link."""
    from PySide6.QtGui import QImage
    from nnviz.gui import colors
    colors.set_look(theme)
    try:
        view.resize(760, 640)  # the tab's size at 1400x900
        t = make_trainer(samples=80, hidden=(4, 10, 4))
        t.run(30)
        frame(view, t)
        drawn = _labels_painted(view)
        image = view.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        ratio = image.devicePixelRatio()
        assert len(drawn) > 10
        for c, k, box, text in drawn:
            inner = box.adjusted(1, 1, -1, -1)
            worst = 0
            for y in range(int(inner.top() * ratio) + 1, int(inner.bottom() * ratio)):
                for x in range(int(inner.left() * ratio) + 1, int(inner.right() * ratio)):
                    r, g, b = image.pixelColor(x, y).getRgb()[:3]
                    worst = max(worst, max(r, g, b) - min(r, g, b))
            assert worst <= 12, (text, worst)  # grey: the ground and the text's antialiasing
    finally:
        colors.set_look("light")


def test_a_narrow_formulas_box_breaks_a_product_after_its_dot_not_inside_a_number(view, qtbot):
    """A window of 1024x768 gave the links' column ~200 px: "0.9775·(-0.00189" / "1)" and
    "1.899e-49·(-3" / ".634e-20)" (r17 #1). A product that fits on a line stays whole on it
    ("(-4.222)·" ended a line and "0.2841" began the next: review r18 #2); in a box narrower
    than a product, it breaks after its dot. A number stays whole."""
    import re
    t = make_trainer(samples=80)
    t.run(20)
    frame(view, t)
    view.go(STAGES.index("grad"))
    number_end = re.compile(r"[0-9.e(-]$")
    number_start = re.compile(r"^[0-9.e)]")
    for width, breaks in ((260, False), (120, True)):
        view.formulas.setFixedWidth(width)
        qtbot.waitUntil(lambda: view.formulas.viewport().width() < width)
        doc = view.formulas.document()
        doc.setTextWidth(view.formulas.viewport().width())
        doc.size()  # (laid out)
        broke_after_dot = 0
        block = doc.begin()
        while block.isValid():
            layout, text = block.layout(), block.text()
            lines = [text[layout.lineAt(i).textStart():layout.lineAt(i).textStart()
                          + layout.lineAt(i).textLength()] for i in range(layout.lineCount())]
            for a, b in zip(lines, lines[1:]):
                assert not (number_end.search(a.rstrip("\u200b\u2060 "))
                            and number_start.search(b)), (width, a, b)
                broke_after_dot += a.rstrip("\u200b\u2060 ").endswith("\u00b7")
            block = block.next()
        assert bool(broke_after_dot) == breaks, width  # (120 px: narrower than a product)


def test_next_stays_put_when_the_points_numbers_come(view, qtbot):
    """The head said "computing this point's numbers... (a new network compiles first)" over
    an empty line kept for the check, and lost that line when the numbers came: Next moved up
    ~20 px, and a learner's clicks on it landed on nothing (review r31)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication
    view.resize(760, 750)  # the tab beside the settings at 1400x900, as the learner had it
    t = make_trainer(samples=80)
    t.run(5)
    view.set_dataset(t.data)
    view._show_stage()  # no numbers yet (a first visit, a new network)
    QApplication.processEvents()
    assert "omputing this point's numbers" in view.title.text() and not view.check.text()
    before = view.next.mapTo(view, QPoint(0, 0))
    frame(view, t)
    QApplication.processEvents()
    assert "matches jax" in view.check.text() and "training point" in view.title.text()
    qtbot.waitUntil(lambda: view.next.mapTo(view, QPoint(0, 0)) == before, timeout=1000)


NUMBER = r"\(?(-?\d+(?:\.\d*)?(?:e[-+]\d+)?)\)?"


def _reads_as(value: float, shown: str) -> bool:
    """Whether ``value`` rounds to the number ``shown`` at its significant digits."""
    digits = len(shown.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) or 1
    return float(f"{value:.{digits}g}") == float(shown)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_the_numbers_shown_give_the_result_shown(view, loss):
    """A student checking the loss stage by hand: "L = (a − t)² = (0.9999 − 1)² = 4.567e-09",
    and (0.9999 − 1)² is 1e-08 (a, 0.99993, written at 4 digits). On a well-trained point (a
    within 1e-4 of t), the loss's numbers and δ's product, computed as shown, give the result
    shown to its digits."""
    import re

    from nnviz.core.training import Trainer, TrainConfig
    t0 = make_trainer(hidden=(), loss=loss)
    bias = np.float32(9.6)  # z of every point (its weights 0): a = 0.99993
    t = Trainer(t0.spec, TrainConfig(loss, "gd", 1.0), t0.data, seed=0,
                params=[(np.zeros((2, 1), np.float32), np.array([bias]))])
    frame(view, t)
    view.select_point(int(np.flatnonzero(np.ravel(t.data.y_train) == 1)[0]))
    frame(view, t)
    tr = view.result.trace
    a = float(tr.layers[-1].a[0, 0])
    assert abs(a - float(np.ravel(tr.target)[0])) < 1e-4
    view.select_unit(t.spec.n_layers - 1, 0)
    view.go(STAGES.index("loss"))
    text = view.formulas.toPlainText().replace("\u2060", "").replace("\u2212", "-")
    result = re.search(r"= " + NUMBER + r"\s*\n?\s*target", text)
    assert result, text
    shown = result.group(1)
    if loss == "mse":
        m = re.search(r"= \(" + NUMBER + r" - " + NUMBER + r"\)²", text)
        assert m, text
        got = (float(m.group(1)) - float(m.group(2))) ** 2
    else:
        m = re.search(r"= -\[" + NUMBER + r"·log " + NUMBER + r" \+ " + NUMBER + r"·log "
                      + NUMBER + r"\]", text)
        assert m, text
        t_, a_, u_, v_ = (float(g) for g in m.groups())
        assert _reads_as(1 - t_, m.group(3)) and _reads_as(1 - a_, m.group(4)), text
        got = -(t_ * np.log(a_) + (u_ * np.log(v_) if u_ else 0.0))
    assert _reads_as(got, shown), (got, shown, text)
    # every difference written out between the two reads as its numbers give it
    for x, y, d in re.findall(r"\(" + NUMBER + r" - " + NUMBER + r"\)² = \(" + NUMBER + r"\)²",
                              text):
        assert _reads_as(float(x) - float(y), d), text
    # δ at the output and the links' gradients: products of the numbers written
    for stage in ("delta", "grad"):
        view.go(STAGES.index(stage))
        text = view.formulas.toPlainText().replace("\u2060", "").replace("\u2212", "-")
        for x, y, d in re.findall(NUMBER + r"·" + NUMBER + r"\s*=\s*" + NUMBER, text):
            assert _reads_as(float(x) * float(y), d), (x, y, d, text)
