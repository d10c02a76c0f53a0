"""The network diagram: live weights, tooltips, editing a weight, wide networks."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from nnviz.core import inspect
from nnviz.gui.network_view import MAX_LINKS, MAX_UNITS, NetworkView

from .test_views_helpers import big_maps, big_params, make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    v.probe = inspect.NeuronMapsProbe()
    qtbot.addWidget(v)
    v.resize(1000, 600)
    v.show()
    return v


def link_position(view, layer, i, j) -> QPointF:
    """The midpoint of the drawn link from unit i of column ``layer`` to unit j of the next."""
    c = view.canvas
    c._geometry()
    segs = c._link_segments()
    row = np.flatnonzero((segs[:, 5] == layer) & (segs[:, 6] == i) & (segs[:, 7] == j))[0]
    x0, y0, x1, y1 = segs[row, :4]
    return QPointF((x0 + x1) / 2, (y0 + y1) / 2)


def test_diagram_follows_training(view):
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    assert [len(u) for u in c.shown] == [2, 4, 10, 4, 1]
    assert c.links_drawn == c.links_total == 2 * 4 + 4 * 10 + 10 * 4 + 4
    assert "all 92 links shown" in view.header.text() and "epoch 0" in view.header.text()
    assert len(c._images) == 2 + 4 + 10 + 4 + 1  # a thumbnail in every node
    w_before = c.value_of(("w", 1, 2, 3))
    thumb_before = c.thumbnail(0, 1)
    t.run(200)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    assert "epoch 200" in view.header.text()
    assert c.value_of(("w", 1, 2, 3)) == pytest.approx(float(np.array(t.params[1][0])[2, 3]))
    assert c.value_of(("w", 1, 2, 3)) != w_before
    assert c.thumbnail(0, 1) != thumb_before
    view.grab()  # paints without error


def test_a_network_of_one_link_says_so_in_the_singular(view):
    # Review r21 F9: the line data set's 1 -> 1 network read "all 1 links shown".
    t = make_trainer("line", hidden=())
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    assert view.canvas.links_total == 1
    text = view.header.text()
    assert "its one link shown" in text and "1 links" not in text


def test_a_frame_made_without_the_maps_probe_keeps_the_maps_drawn(view):
    # The tab shown again draws the window's last frame, made behind another tab without the
    # maps' probe: the maps drawn stay (their epoch said) until the probe's frame. They went,
    # every unit a grey square, for as long as the worker took (the Backprop tab's compile).
    from dataclasses import replace
    t = make_trainer()
    t.run(20)
    fresh = snapshot_of(t, {"network": view.probe})
    view.update_snapshot(fresh)
    c = view.canvas
    assert len(c._images) == 2 + 4 + 10 + 4 + 1
    t.run(5)
    view.update_snapshot(snapshot_of(t))  # no "network" in its extras
    assert c.maps is fresh.extras["network"] and len(c._images) == 2 + 4 + 10 + 4 + 1
    assert "epoch 25 (neuron maps: epoch 20)" in view.header.text()
    # A probe that ran and found no plane (None) takes them away.
    view.update_snapshot(replace(snapshot_of(t), extras={"network": None}))
    assert c.maps is None and not c._images


def test_maps_older_than_the_links_say_their_epoch(view):
    # While the run plays the maps' probe is throttled: it hands out its last maps again. The
    # header names the epoch of the links, and the maps' own when it differs.
    from dataclasses import replace
    t = make_trainer()
    t.run(20)
    fresh = snapshot_of(t, {"network": view.probe})
    view.update_snapshot(fresh)
    assert "epoch 20 " in view.header.text() + " " and "neuron maps" not in view.header.text()
    t.run(5)
    later = snapshot_of(t)
    view.update_snapshot(replace(later, extras=fresh.extras))  # the throttled probe's last
    assert "epoch 25 (neuron maps: epoch 20)" in view.header.text()


def test_hover_names_the_link_and_its_current_value(view):
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    pos = link_position(view, 1, 2, 3)
    item = view.canvas.item_at(pos)
    assert item[0] == "w"
    w = float(np.array(t.params[item[1]][0])[item[2], item[3]])
    text = view.canvas._describe(item)
    assert f"{w:+.5g}" in text and "hidden layer" in text
    t.run(50)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    w2 = float(np.array(t.params[item[1]][0])[item[2], item[3]])
    assert f"{w2:+.5g}" in view.canvas._describe(item)  # live, not frozen
    node = view.canvas.node_rect(2, 5).center()
    assert view.canvas.item_at(node) == ("n", 1, 5)
    bias = view.canvas.bias_rect(2, 5).center()
    assert view.canvas.item_at(bias) == ("b", 1, 5)


def test_clicking_a_link_and_typing_a_value_changes_the_weights_and_the_loss(view, qtbot):
    t = make_trainer()
    t.run(100)
    sent = []
    view.on_edit = sent.append
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    loss_before = t.evaluate().train_loss
    item = view.canvas.item_at(link_position(view, 3, 1, 0))  # hidden 3 -> output
    assert item == ("w", 3, 1, 0)
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=link_position(view, 3, 1, 0).toPoint())
    assert view.editor.isVisible()
    assert float(view.editor.text()) == pytest.approx(view.canvas.value_of(item), rel=1e-5)
    view.editor.clear()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert view.message.isVisible() and "not a usable value" in view.message.text()
    assert view.editor.isVisible() and sent == []  # nothing lost, nothing sent
    view.editor.clear()
    qtbot.keyClicks(view.editor, "-7.5")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert not view.editor.isVisible() and not view.message.isVisible()
    assert len(sent) == 1
    params = sent[0]
    assert params[3][0][1, 0] == -7.5
    before = np.array(t.params[3][0]).copy()
    before[1, 0] = -7.5
    np.testing.assert_array_equal(params[3][0], before)  # only that weight changed
    t.set_params(params)  # what the worker does with it
    assert t.evaluate().train_loss != pytest.approx(loss_before, abs=1e-4)
    assert view.canvas.value_of(item) == -7.5  # drawn at once


def test_editing_a_bias_and_escape_cancels(view, qtbot):
    t = make_trainer()
    sent = []
    view.on_edit = sent.append
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    view.canvas._geometry()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=view.canvas.bias_rect(1, 2).center().toPoint())
    assert view.editor.isVisible()
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert not view.editor.isVisible() and sent == []
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=view.canvas.bias_rect(1, 2).center().toPoint())
    view.editor.clear()
    qtbot.keyClicks(view.editor, "3")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert sent[0][0][1][2] == 3.0


def test_clicking_a_node_shows_its_map_large(view, qtbot):
    t = make_trainer()
    t.run(100)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    # Before any click: the output neuron (the decision boundary) is shown.
    assert view.canvas.selected == (3, 0)
    assert view.panel.image.image is not None
    view.canvas._geometry()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=view.canvas.node_rect(2, 7).center().toPoint())
    assert view.canvas.selected == (1, 7) and view.probe.selected == (1, 7)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    assert "hidden layer 2, unit 8" in view.panel.title.text()
    maps = view.snapshot.extras["network"]
    np.testing.assert_array_equal(view.panel.image.image, maps.selected_map)


def test_a_wide_network_draws_the_strongest_links_and_says_so(view):
    t = make_trainer(hidden=(256, 256, 256), act="tanh", lr=0.1)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    assert [len(u) for u in c.shown] == [2, MAX_UNITS, MAX_UNITS, MAX_UNITS, 1]
    assert c.links_total == 2 * 256 + 256 * 256 * 2 + 256
    assert c.links_drawn <= 2 * MAX_UNITS + 2 * MAX_LINKS + MAX_UNITS
    assert f"strongest of {c.links_total:,} links" in view.header.text()
    # The units shown in a wide layer are among its strongest.
    W = np.abs(np.array(t.params[1][0]))
    score = np.abs(np.array(t.params[0][0])).sum(0) + W.sum(1)
    assert score[c.shown[1]].min() >= np.sort(score)[-MAX_UNITS]
    # Every drawn link between hidden 1 and 2 is at least as strong as any link left out.
    sub = W[np.ix_(c.shown[1], c.shown[2])]
    drawn = np.abs(c._links[1][3])
    assert drawn.min() >= np.sort(sub.ravel())[-MAX_LINKS]
    view.grab()


def test_the_tooltip_follows_training_while_the_mouse_rests(view, qtbot):
    from PySide6.QtWidgets import QToolTip
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    pos = link_position(view, 2, 4, 1)
    qtbot.mouseMove(view.canvas, pos.toPoint())
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    item = view.canvas._hover
    assert item is not None and item[0] == "w"
    assert f"{view.canvas.value_of(item):+.5g}" in QToolTip.text()
    t.run(100)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    now = float(np.array(t.params[item[1]][0])[item[2], item[3]])
    assert f"{now:+.5g}" in QToolTip.text()


def test_huge_or_broken_values_still_draw(view):
    t = make_trainer()
    s = snapshot_of(t, {"network": view.probe})
    params = [(w.copy(), b.copy()) for w, b in s.params]
    params[1][0][0, 0] = 1e30
    params[1][1][2] = np.nan
    params[2][0][3, 3] = np.inf
    from dataclasses import replace
    view.update_snapshot(replace(s, params=tuple(params)))
    view.grab()  # no exception while painting
    assert "1e+30" in view.canvas._describe(("w", 1, 0, 0))

def test_link_scale_of_a_wide_network_is_the_95th_percentile_of_its_weights():
    from nnviz.gui.network_view import weight_scale
    rng = np.random.default_rng(0)
    small = [(rng.normal(size=(2, 4)), rng.normal(size=(4, 1))),
             (rng.normal(size=(4, 1)), rng.normal(size=(1, 1)))]
    exact = np.percentile(np.abs(np.concatenate([w.ravel() for w, _ in small])), 95)
    assert weight_scale(small) == pytest.approx(exact)
    # 2-512x8-1: ~1.8 million weights, each layer with its own spread; the scale is drawn from
    # a sample of them but must still be the whole network's 95th percentile.
    sizes = [2] + [512] * 8 + [1]
    wide = [(rng.normal(scale=0.1 * (k + 1), size=(a, b)).astype(np.float32), np.zeros((b, 1)))
            for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]
    exact = np.percentile(np.abs(np.concatenate([w.ravel() for w, _ in wide])), 95)
    assert weight_scale(wide) == pytest.approx(exact, rel=0.02)


def test_a_wide_networks_strongest_links_are_drawn_in_several_widths(qtbot):
    """Only the strongest links of a wide network are drawn; measured against the whole
    network's 95th percentile they were nearly all at the thickest widths (a 2-512x8-1 diagram
    read as a solid block). Their widths now spread over the steps, the widest for the few
    strongest."""
    from nnviz.core.network import NetworkSpec
    from nnviz.gui.network_view import _LEVELS, NetworkCanvas
    rng = np.random.default_rng(0)
    sizes = [2, 512, 512, 1]
    spec = NetworkSpec(2, (512, 512), ("sigmoid", "sigmoid"), 1, "sigmoid", "normal")
    params = tuple((rng.normal(size=(a, b)).astype(np.float32),
                    rng.normal(size=b).astype(np.float32)) for a, b in zip(sizes[:-1], sizes[1:]))
    canvas = NetworkCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.set_state(spec, params, None)
    assert canvas.links_drawn < canvas.links_total
    w = np.concatenate([x for *_, x in canvas._links])
    levels = np.round(np.minimum(np.abs(w) / canvas._weight_scale, 1) * (_LEVELS - 1))
    counts = np.bincount(levels.astype(int), minlength=_LEVELS)
    assert counts[-2:].sum() < len(w) / 3, counts  # was 68% of them
    assert (counts > 0).sum() >= 5, counts


def test_a_512_wide_network_is_drawn_once_a_state_with_a_bounded_number_of_links(qtbot):
    """2-512x8-1 (1.8 million weights, 4,097 neurons): the diagram draws MAX_UNITS units a column
    and MAX_LINKS links between two columns, makes a thumbnail per node shown, and is drawn once
    per new state; a paint for another reason (a tooltip, a neighbour's relayout) copies it."""
    from nnviz.gui.network_view import NetworkCanvas
    c = NetworkCanvas()
    qtbot.addWidget(c)
    c.resize(900, 600)
    c.show()
    spec, maps = big_maps()
    c.set_state(spec, big_params(spec), maps)
    assert [len(u) for u in c.shown] == [2] + [MAX_UNITS] * 8 + [1]
    # All links of the 2 inputs and of the output; the MAX_LINKS strongest between two layers.
    assert c.links_drawn == 2 * MAX_UNITS + 7 * MAX_LINKS + MAX_UNITS
    assert c.links_total == 2 * 512 + 7 * 512 ** 2 + 512
    assert len(c._images) == 2 + 8 * MAX_UNITS + 1
    for _ in range(3):
        c.grab()
    assert c.renders == 1
    _, maps2 = big_maps(seed=1)
    c.set_state(spec, big_params(spec, seed=1), maps2)  # the next snapshot
    c.grab()
    c.grab()
    assert c.renders == 2
    c.selected = (0, int(c.shown[1][0]))  # a click on a node: drawn anew, with its outline
    c.grab()
    assert c.renders == 3


def test_the_column_titles_are_fitted_once_per_layout(qtbot):
    """The titles ("hidden 3 / 512 sigmoid (32 shown)") are fitted to their columns by trying
    font sizes: once per layout, not in every frame; a new width fits them again."""
    from nnviz.gui.network_view import NetworkCanvas
    c = NetworkCanvas()
    qtbot.addWidget(c)
    c.resize(900, 600)
    c.show()
    spec, maps = big_maps(widths=(512, 512))
    c.set_state(spec, big_params(spec), maps)
    c.grab()
    first = c.titles()
    c.set_state(spec, big_params(spec, seed=1), maps)  # the next snapshot
    c.grab()
    assert c.titles() is first
    c.resize(500, 600)
    c.grab()
    narrower = c.titles()
    assert narrower is not first
    assert narrower[1][0].width() <= first[1][0].width()


def test_after_another_network_the_selected_node_the_probe_and_the_map_agree(view, qtbot):
    """A clicked output stays the output of a deeper network (not the hidden neuron its old
    (layer, unit) names there); a clicked hidden neuron that the new network has stays."""
    small = make_trainer(hidden=(3,))
    view.update_snapshot(snapshot_of(small, {"network": view.probe}))
    view.canvas._geometry()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=view.canvas.node_rect(2, 0).center().toPoint())  # the output
    assert view.canvas.selected == (1, 0)
    deep = make_trainer("spiral", hidden=(16, 16, 16, 16), act="tanh")
    view.update_snapshot(snapshot_of(deep, {"network": view.probe}))
    maps = view.snapshot.extras["network"]
    assert view.canvas.selected == maps.selected == (4, 0)
    assert view.panel.title.text().startswith("<b>output (sigmoid)</b>: from")
    np.testing.assert_array_equal(view.panel.image.image, maps.selected_map)

    view.canvas._geometry()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                     pos=view.canvas.node_rect(1, 2).center().toPoint())  # hidden 1, unit 3
    view.update_snapshot(snapshot_of(small, {"network": view.probe}))
    maps = view.snapshot.extras["network"]
    assert view.canvas.selected == maps.selected == (0, 2)
    assert view.panel.title.text().startswith("<b>hidden layer 1, unit 3 (sigmoid)</b>: from")


@pytest.mark.parametrize("typed", ["abc", "nan", "1e40"])
def test_a_refused_weight_leaves_the_editor_on_its_link(view, qtbot, typed):
    """"abc" in the inline editor: its refusal, a line above the diagram, pushed the diagram
    down ~20 px, and the edit box no longer sat on the link it edits. The diagram's top stays
    put, the box on its link (where the diagram, drawn above the refusal, has it now), and the
    refusal lies in the diagram's area, whole, clear of the box."""
    from PySide6.QtCore import QPoint
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    at = link_position(view, 3, 1, 0).toPoint()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(view.editor.isVisible)
    view.layout().activate()
    canvas_at = view.canvas.mapTo(view, QPoint(0, 0))
    view.editor.clear()
    qtbot.keyClicks(view.editor, typed)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(view.message.isVisible)
    view.layout().activate()  # what the window's next layout would do
    assert view.canvas.mapTo(view, QPoint(0, 0)) == canvas_at
    box = view.editor.geometry()
    at = link_position(view, 3, 1, 0).toPoint()
    assert box.adjusted(-24, -16, 24, 16).contains(at)  # on the link clicked
    message = view.message.geometry() if view.message.parentWidget() is view.canvas else None
    assert message is not None and view.canvas.rect().contains(message)
    assert not message.intersects(box)  # the box's text not hidden
    assert view.message.height() >= view.message.heightForWidth(view.message.width())
    assert view.editor.isVisible() and view.editor.hasFocus()


def test_a_refused_weight_hides_no_part_of_the_diagram(view, qtbot):
    """"abc" typed for the bottom link of the first layer: the red refusal lay over the
    diagram under the edit box, over the bottom nodes of the hidden layers and their links.
    The diagram is drawn above it now, every node, bias and link clear of it, and whole again
    once the edit is cancelled."""
    from PySide6.QtCore import QRect
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    last = int(c.shown[1][-1])
    item = ("w", 0, int(c.shown[0][-1]), last)
    at = link_position(view, 0, item[2], last).toPoint()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(view.editor.isVisible)
    view.editor.clear()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(view.message.isVisible)
    message = QRect(c.mapFrom(view.message.parentWidget(), view.message.pos()),
                    view.message.size())
    assert message.intersects(c.rect())  # (under the diagram, in its frame)

    def clear_of_message() -> list[str]:
        c._geometry()
        hidden = [f"node {col},{k}" for col, units in enumerate(c.shown)
                  for k in range(len(units))
                  if c.node_rect(col, k).toAlignedRect().intersects(message)]
        hidden += [f"bias {col},{k}" for col in range(1, len(c.shown))
                   for k in range(len(c.shown[col]))
                   if c.bias_rect(col, k).toAlignedRect().intersects(message)]
        segs = c._link_segments()
        hidden += [f"link {int(r[5])},{int(r[6])},{int(r[7])}" for r in segs
                   if max(r[1], r[3]) >= message.top()]
        return hidden
    assert clear_of_message() == []
    box = view.editor.geometry()
    assert not box.intersects(message)
    assert box.adjusted(-24, -16, 24, 16).contains(link_position(view, 0, item[2], last).toPoint())
    squeezed = c.node_rect(1, len(c.shown[1]) - 1).center().y()
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert not view.message.isVisible()
    c._geometry()
    assert c.node_rect(1, len(c.shown[1]) - 1).center().y() > squeezed  # the room back


def test_a_nodes_map_is_blended_between_its_samples_not_drawn_in_steps(view):
    """A node's thumbnail samples a continuous map on a grid; drawn without smoothing each
    sample was a block of pixels (stair-stepped bands at 150 % and 200 %). The input x1's node,
    a ramp sampled 8 times across, shows more shades across than 8 steps."""
    t = make_trainer()
    res = 8
    view.update_snapshot(snapshot_of(t, {"network": view.probe}, res=res))
    c = view.canvas
    c._geometry()
    s = c.node_size[0]
    assert s >= 3 * res  # several pixels a sample
    x, y = c.centres[0][0]
    img = c.grab().toImage()
    row = {img.pixelColor(int(x - s / 2) + 2 + i, int(y)).rgb() for i in range(int(s) - 4)}
    assert len(row) > 2 * res


def test_a_network_of_a_few_weights_writes_each_one_on_the_diagram(view):
    """Lesson 1's 1 -> 1 line is y = m x + b, and its diagram showed m and b only as a line and
    a square to hover (review r19). A network of a few weights writes each weight by its link
    and each bias under its square, as they train; a bigger one writes none."""
    from nnviz.gui import colors
    t = make_trainer("blobs", hidden=())
    t.run(30)
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    c = view.canvas
    W, b = (np.array(a) for a in t.params[0])
    labels = {text: rect for rect, text in c.value_labels()}
    assert set(labels) == {f"w = {W[0, 0]:.3g}", f"w = {W[1, 0]:.3g}", f"b = {b[0]:.3g}"}
    nodes = [c.node_rect(col, k) for col in range(2) for k in range(len(c.shown[col]))]
    for i in range(2):  # each weight by its own link, clear of the nodes, inside the diagram
        rect = labels[f"w = {W[i, 0]:.3g}"]
        mine, other = link_position(view, 0, i, 0), link_position(view, 0, 1 - i, 0)
        centre = rect.center()
        assert (centre - mine).manhattanLength() < (centre - other).manhattanLength()
        assert QRectF(c.rect()).contains(rect)
        assert not any(rect.intersects(n) for n in nodes)
    # Painted: the text's colour in each label's box.
    img = c.grab().toImage()
    ratio = img.devicePixelRatio()
    ink = colors.text()
    for text, rect in labels.items():
        dark = sum(1 for x in range(int(rect.left() * ratio), int(rect.right() * ratio))
                   for y in range(int(rect.top() * ratio), int(rect.bottom() * ratio))
                   if sum(abs(a - b) for a, b in zip(img.pixelColor(x, y).getRgb()[:3], ink))
                   < 120)
        assert dark >= 10, text
    t.run(30)  # they follow training
    view.update_snapshot(snapshot_of(t, {"network": view.probe}))
    assert f"w = {float(np.array(t.params[0][0])[0, 0]):.3g}" in \
        [text for _, text in c.value_labels()]
    view.update_snapshot(snapshot_of(make_trainer(), {"network": view.probe}))
    assert c.value_labels() == []  # 92 weights: the links alone


@pytest.mark.parametrize("size", [(560, 560), (750, 690)], ids=["1024x768", "1400x900"])
def test_the_large_map_sits_under_its_title_its_axes_the_planes(qtbot, size):
    """Review r28 F3: the moons' output map was a thin ~220x100 px band in the middle of a tall
    220x460 px plot (its y axis -4.5 to 5 where the letterbox missed), far below its title; at
    1400x900 a ~150x85 px map in the middle of its column. It is drawn right under its
    title, its axes the data plane's.
    (``size``: the Network view's room in a window of that size.)"""
    from PySide6.QtWidgets import QApplication
    v = NetworkView()
    v.probe = inspect.NeuronMapsProbe()
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    t = make_trainer()
    t.run(10)
    v.update_snapshot(snapshot_of(t, {"network": v.probe}))
    p = v.panel
    vb = p.plot.getPlotItem().getViewBox()
    plane = p.image.mapRectToView(p.image.boundingRect())

    def fitted() -> bool:
        QApplication.processEvents()
        (x0, x1), (y0, y1) = vb.viewRange()
        return (vb.height() > 20 and y1 - y0 <= 1.05 * plane.height()
                and x1 - x0 <= 1.05 * plane.width())

    qtbot.waitUntil(fitted)  # the axes are the plane's, no blank band of axis above or below
    top = vb.mapRectToScene(vb.boundingRect()).top()
    map_top = p.plot.mapTo(p, p.plot.mapFromScene(0, top)).y()
    title_bottom = p.title.parentWidget().geometry().bottom()
    assert map_top - title_bottom < 15, (map_top, title_bottom)  # right under its title
