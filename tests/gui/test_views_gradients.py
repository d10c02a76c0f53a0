"""Gradient flow: norms and update ratios per layer over the epochs, histograms, dead ReLUs."""
from __future__ import annotations

import numpy as np
import pytest
import pyqtgraph as pg

from nnviz.core import inspect, runlog
from nnviz.core.snapshot import ModelAt
from nnviz.gui.gradient_view import GradientView

from .test_views_helpers import make_trainer, snapshot_of

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def view(qtbot):
    v = GradientView()
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    return v


def _recorded_frames(view):
    """The notebook's trainer with its record and gradients kept as the worker keeps them, and
    ``frame(epochs, lr=None)``: train it ``epochs`` more (at ``lr`` if given), show ``view``
    the snapshot, return the gradient probe's result in it. Returns (trainer, log, frame)."""
    t = make_trainer()
    log = runlog.RunLog()
    log.checkpoint(0, t.state, "start")
    inspect.record_gradients(t, log)
    probe = inspect.GradientProbe()

    def frame(epochs: int, lr: float | None = None):
        if lr is not None:
            t.set_learning_rate(lr)
        runlog.advance(t, log, epochs, on_checkpoint=lambda lg: inspect.record_gradients(t, lg))
        model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log)
        s = _with_losses(snapshot_of(t, {"gradients": lambda _t, pts: probe(model, pts)}), log)
        view.update_snapshot(s)
        return s.extras["gradients"]

    return t, log, frame


def test_curves_per_layer_grow_as_training_advances(view):
    t, log, frame = _recorded_frames(view)
    for _ in range(3):
        frame(10)
    assert len(view.norm_curves) == 4 and len(view.ratio_curves) == 4
    x, y = view.norm_curves[0].numbers
    assert list(x) == list(log.checkpoint_epochs()) and x[-1] == 30
    frame(10)
    x, y = view.norm_curves[0].numbers
    assert x[-1] == 40 and np.all(y > 0)
    flow = view.snapshot.extras["gradients"]
    np.testing.assert_allclose(y, flow.grad_norms[:, 0])
    np.testing.assert_allclose(view.norm_curves[0].getData()[1], np.log10(y))  # a log plot
    ratio = view.ratio_curves[3].numbers[1]
    assert np.all(np.isfinite(ratio))  # plain gd: exact lr ||g|| / ||W|| from the first frame
    wx, wy = view.weight_curves[1].getData()
    assert wy.sum() == pytest.approx(1.0)  # a normalised histogram of layer 2's weights
    assert "epoch 40" in view.summary.text()
    # The key above the plots names each layer in its curves' colour (no legend over a plot).
    key = view.key.text()
    for name, curve in zip(("hidden 1", "hidden 2", "hidden 3", "output"), view.norm_curves):
        assert f"color:{curve.opts['pen'].color().name()}'>" in key and name in key
    assert view.norm_plot.legend is None
    # ... and so is each dot of "||dL/dW|| by layer, now": a narrow axis names only some
    # layers ("h1", "out"), and hidden 2's and 3's dots were the same blue (review r31).
    dots = [p.brush().color().name() for p in view.depth_dots.points()]
    assert dots == [c.opts["pen"].color().name() for c in view.norm_curves]
    view.grab()


def test_deep_sigmoid_vanishing_gradients_are_plain_to_see(view):
    t = make_trainer(hidden=(8,) * 8)
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    now = view.depth_curve.numbers[1]
    assert len(now) == 9 and now[0] < now[-1] / 100
    np.testing.assert_allclose(view.depth_dots.getData()[1], np.log10(now))  # a dot per layer
    assert view.key.isHidden()  # nine colours: the caption's "purple to green" says it
    assert view.caption.text().startswith(  # the ratio and the threshold, in the caption
        f"<b>Vanishing gradients</b>: first layer's ||dL/dW|| now {_part(now)} "
        "the output's (vanishing: below 1/100); the first layers stall.")


def _trained(view, trainer, epochs: int):
    """``trainer`` trained ``epochs`` epochs with its gradients recorded, shown in ``view``;
    the snapshot."""
    log = runlog.RunLog()
    log.checkpoint(0, trainer.state, "start")
    inspect.record_gradients(trainer, log)
    runlog.advance(trainer, log, epochs,
                   on_checkpoint=lambda lg: inspect.record_gradients(trainer, lg))
    model = ModelAt(trainer, trainer.params, trainer.epoch, trainer.learning_rate,
                    (1, log.name), log)
    probe = inspect.GradientProbe()
    s = _with_losses(snapshot_of(trainer, {"gradients": lambda _t, pts: probe(model, pts)}), log)
    view.update_snapshot(s)
    return s


def _with_losses(s, log):
    """``s`` with the run's loss history, as the worker's snapshots have it (snapshot_of's are
    zeros): the captions read whether the run has fitted its data off it."""
    import dataclasses
    epochs, values = log.losses.arrays()
    return dataclasses.replace(s, loss_epochs=epochs, loss_values=values)


def _part(norms) -> str:
    """The first layer's gradient as a part of the output layer's, as the caption writes it."""
    r = float(norms[0] / norms[-1])
    assert 1e-4 < r < 0.5 or 0.5 <= r <= 2, r  # (the cases the test meets)
    return f"1/{1 / r:,.0f} of" if r < 0.5 else f"{r:.2f}×"


def test_the_caption_says_what_this_run_s_gradients_show(view):
    # The caption opened with "Vanishing gradients" whatever the run: over the notebook's
    # network, whose layers' gradients lie within a factor of a few of each other, it told a
    # newcomer of a problem the plots did not show.
    import dataclasses
    s = _trained(view, make_trainer(), 100)  # the notebook's 2-4-10-4-1 sigmoid network
    norms = s.extras["gradients"].grad_norms
    assert np.all((norms[:, 0] / norms[:, -1] > 1e-2) & (norms[:, 0] / norms[:, -1] < 1e2))
    assert view.caption.text().startswith("<b>Healthy gradients</b>: first "
                                          f"layer's ||dL/dW|| now {_part(norms[-1])} the output's "
                                          "(healthy: 1/100 to 100×).")
    assert "anishing" not in view.caption.text()
    # A deep sigmoid network: its first layer's gradient starts at ~1/1,000 of the output's;
    # by epoch 100 the whole network has stalled and the two are close again, but the run has
    # shown vanishing gradients (the summary says when).
    s = _trained(view, make_trainer(hidden=(8,) * 8), 100)
    norms = s.extras["gradients"].grad_norms
    assert norms[0, 0] / norms[0, -1] < 1e-2 and norms[-1, 0] / norms[-1, -1] > 1e-2
    # The headline gave "fell 100-fold towards the input" (the threshold) beside a 26-fold
    # ratio at the epoch shown: now epoch 0's figure, the threshold as one, and the one shown.
    assert view.caption.text().startswith(
        "<b>Vanishing gradients</b> in this run: at epoch 0 the first layer's ||dL/dW|| was "
        f"{_part(norms[0])} the output's (vanishing: below 1/100); at epoch 100, "
        f"{_part(norms[-1]).removesuffix(' of')}.")
    assert "100-fold" not in view.caption.text()
    # Gradients that grow towards the input (the first layer's 10,000 times the output's; an
    # MLP here rarely shows it, so the notebook network's numbers scaled).
    s = snapshot_of(make_trainer(), {"gradients": inspect.GradientProbe()})
    flow = s.extras["gradients"]
    norms = flow.grad_norms.copy()
    norms[:, 0] = norms[:, -1] * 1e4
    flow = dataclasses.replace(flow, grad_norms=norms)
    view.update_snapshot(dataclasses.replace(s, extras={**s.extras, "gradients": flow}))
    assert view.caption.text().startswith("<b>Exploding gradients</b>: first "
                                          "layer's ||dL/dW|| now 10,000× the output's "
                                          "(exploding: above 100×).")
    # "More…" and back: the short caption is this run's again.
    short = view.caption.text()
    view.caption.linkActivated.emit("more")
    assert "exploding gradients" in view.caption.text() and "Less" in view.caption.text()
    view.caption.linkActivated.emit("less")
    assert view.caption.text() == short


def test_dead_relu_units_are_counted(view):
    t = make_trainer(hidden=(16, 16), act="relu", lr=0.1)
    (w0, b0), *rest = [(np.array(w), np.array(b)) for w, b in t.params]
    b0[:8] = -100.0  # eight units that never fire
    t.set_params([(w0, b0), *rest])
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    heights = view.dead_bars.opts["height"]
    assert heights[0] >= 0.5
    assert "dead ReLU units" in view.summary.text()


def _mixed_trainer(acts):
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.training import TrainConfig, Trainer, network_for
    data = make_dataset(DataSpec("moons"))
    spec = network_for(data, "mse", (6,) * len(acts), acts, "sigmoid")
    return Trainer(spec, TrainConfig("mse", "gd", 0.1), data, seed=0)


def _shown_na(view) -> list[float]:
    """The hidden layers (1, 2, ...) over which the dead-ReLU chart says "n/a"."""
    return sorted(item.pos().x() for item in view.dead_na
                  if item.isVisible() and item.toPlainText() == "n/a")


def test_a_layer_that_is_not_relu_says_n_a_on_the_dead_relu_chart_not_a_0_bar(view, qtbot):
    # relu, sigmoid, relu: the sigmoid layer's bar was a 0-height one, "no unit dead" to the
    # eye, as a ReLU layer whose units all fire.
    view.update_snapshot(snapshot_of(_mixed_trainer(("relu", "sigmoid", "relu")),
                                     {"gradients": inspect.GradientProbe()}))
    qtbot.waitUntil(lambda: view.dead_bars.isVisible())
    assert _shown_na(view) == [2.0]
    assert list(view.dead_bars.opts["x"]) == [1.0, 3.0]  # no bar, not even a flat one, at 2
    assert view.dead_plot.getAxis("left").isVisible()  # the ReLU layers' fractions, on an axis
    assert view.dead_text.toPlainText() == ""
    # Another mix: the labels follow the layers.
    view.update_snapshot(snapshot_of(_mixed_trainer(("tanh", "relu", "sigmoid", "relu")),
                                     {"gradients": inspect.GradientProbe()}))
    assert _shown_na(view) == [1.0, 3.0]
    # All ReLU: nothing to say n/a of; none ReLU: the words alone, no per-layer labels. (The
    # dead-ReLU test's network: its programs are compiled once for both.)
    view.update_snapshot(snapshot_of(make_trainer(hidden=(16, 16), act="relu", lr=0.1),
                                     {"gradients": inspect.GradientProbe()}))
    assert _shown_na(view) == []
    view.update_snapshot(snapshot_of(make_trainer(), {"gradients": inspect.GradientProbe()}))
    assert _shown_na(view) == [] and view.dead_text.toPlainText() == "no ReLU layer"


def test_a_new_architecture_rebuilds_the_curves(view):
    view.update_snapshot(snapshot_of(make_trainer(), {"gradients": inspect.GradientProbe()}))
    t = make_trainer(hidden=(16, 16), act="relu", lr=0.1)  # the dead-ReLU test's network
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    assert len(view.norm_curves) == 3


def test_the_same_numbers_again_are_not_drawn_again(view, monkeypatch):
    t = make_trainer()
    log = runlog.RunLog()
    log.checkpoint(0, t.state, "start")
    inspect.record_gradients(t, log)
    model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log)
    probe = inspect.GradientProbe()
    s = snapshot_of(t, {"gradients": lambda _t, pts: probe(model, pts)})
    view.update_snapshot(s)
    drawn = []
    curve = view.norm_curves[0]
    monkeypatch.setattr(curve, "setData", lambda *a, **k: drawn.append(a))
    view.update_snapshot(s)  # a throttled probe hands out its last result again
    assert drawn == []
    view.apply_look()  # a new look: drawn again, its curves built anew in its layer colours
    assert view.norm_curves[0] is not curve
    np.testing.assert_allclose(view.norm_curves[0].numbers[1], curve.numbers[1])


def test_a_frame_finds_each_curves_bounds_once_and_its_rectangle_holds_the_curve(view,
                                                                                monkeypatch):
    """pyqtgraph scanned every curve (nanmin, nanmax, a pixel through the view's transform)
    at each repaint; the curves know their bounds from their new numbers. What they draw must
    still lie inside the rectangle Qt repaints, or a moving curve would leave traces."""
    import pyqtgraph as pg
    t = make_trainer()
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    view.grab()
    scans = []
    scan = pg.PlotCurveItem.dataBounds
    monkeypatch.setattr(pg.PlotCurveItem, "dataBounds",
                        lambda self, *a, **k: scans.append(self) or scan(self, *a, **k))
    t.run(30)
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    view.grab()  # the repaint
    assert scans == []
    curves = [*view.norm_curves, *view.ratio_curves, *view.weight_curves, *view.act_curves,
              view.depth_curve]
    for c in curves:
        x, y = c.getData()
        ok = np.isfinite(y)
        xs = x if c.kind == "hist" else x[ok]  # a histogram: steps over its bins' edges
        rect = c.boundingRect()
        assert ok.any() and rect.left() < xs.min() and xs.max() < rect.right()
        assert rect.top() < y[ok].min() and y[ok].max() < rect.bottom()


def _gradient_frame(view, hidden=(4, 10, 4)):
    t = make_trainer(hidden=hidden)
    log = runlog.RunLog()
    log.checkpoint(0, t.state, "start")
    runlog.advance(t, log, 10, on_checkpoint=lambda lg: inspect.record_gradients(t, lg))
    model = ModelAt(t, t.params, t.epoch, t.learning_rate, (1, log.name), log)
    probe = inspect.GradientProbe()
    view.update_snapshot(snapshot_of(t, {"gradients": lambda _t, pts: probe(model, pts)}))


def _rgb(curve):
    c = curve.opts["pen"].color()
    return c.red(), c.green(), c.blue()


def test_every_layers_colour_reads_on_the_dark_theme(view):
    # viridis' dark purple, "hidden 1"'s, was 1.1:1 on the dark plots (reviewer).
    from nnviz.gui import colors
    _gradient_frame(view)
    light = [_rgb(c) for c in view.norm_curves]
    try:
        colors.set_look("dark")
        view.apply_look()
        for curve in view.norm_curves:
            assert colors.contrast(_rgb(curve), colors.background()) >= colors.READABLE, \
                _rgb(curve)
        assert f"color:{view.norm_curves[0].opts['pen'].color().name()}'>" in view.key.text()
    finally:
        colors.set_look("light")
        view.apply_look()
    assert [_rgb(c) for c in view.norm_curves] == light


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_default_networks_layers_are_told_apart_also_by_a_colour_blind_viewer(view, theme):
    """r19: the default 2-4-10-4-1's hidden 1, 2 and 3 were a dark purple, a navy and a teal on
    the light plots (viridis' steps: CIEDE2000 28.7 between the first two with normal vision,
    15.6 for a deuteranope) and a lifted blue and teal on the dark ones (5.1 for a
    protanope): three lines hard to tell apart. Each pair of the four curves' colours, as
    drawn: 30 apart with normal vision and 15 with deuteranopia or protanopia; the key above
    the plots in the same colours."""
    from nnviz.gui import colors

    from .test_look import _lab
    from .test_mark_contrast import _delta_e_lab
    try:
        colors.set_look(theme)
        view.apply_look()
        _gradient_frame(view)
        drawn = [_rgb(c) for c in view.norm_curves]
        assert len(drawn) == 4
        for least, vision in ((30, None), (15, "deuteranopia"), (15, "protanopia")):
            for i, a in enumerate(drawn):
                for j in range(i + 1, 4):
                    d = _delta_e_lab(tuple(_lab(a, vision)), tuple(_lab(drawn[j], vision)))
                    assert d >= least, (theme, vision, i, j, d)
        for curves in (view.ratio_curves, view.weight_curves, view.act_curves):
            assert [_rgb(c) for c in curves] == drawn  # one colour a layer, in every plot
        key = view.key.text()
        for name, curve in zip(("hidden 1", "hidden 2", "hidden 3", "output"), view.norm_curves):
            assert f"color:{curve.opts['pen'].color().name()}'>" in key and name in key
        # Each a line that reads on the plots and, in the key, on the panel.
        for rgb in drawn:
            assert colors.contrast(rgb, colors.background()) >= colors.LINE_CONTRAST, rgb
            assert colors.contrast(rgb, colors.theme().panel) >= colors.READABLE, rgb
        view.caption_open = True
        view._write_caption()
        assert "key above the plots" in view.caption.text()
        assert "purple" not in view.caption.text()  # no longer viridis' run
    finally:
        colors.set_look("light")
        view.apply_look()


def test_more_than_eight_layers_run_from_purple_to_green_as_the_caption_says(view):
    # nine layers (eight hidden and the output), one more than the key's eight colours: the
    # deep sigmoid network the caption and vanishing-gradient tests draw, compiled once for all
    _gradient_frame(view, hidden=(8,) * 8)
    first, last = _rgb(view.norm_curves[0]), _rgb(view.norm_curves[-1])
    assert first[2] > first[1] and first[0] > first[1]  # purple
    assert last[1] > last[0] and last[1] > last[2]  # green
    assert view.key.isHidden() and "(purple)" in view.caption.text()


def test_a_big_data_sets_gradient_is_every_points_and_its_histograms_a_named_sample(view):
    """At 6,250 points (5,000 training points) the gradient norms, drawn and recorded, are the
    whole training set's (what gradient descent follows: a sample's ||dL/dW|| stalls at its
    noise floor, 8-18x above the full one at 80,000 points), padded or not; the activation
    histograms are the first MAX_STAT_POINTS points', and the summary names that sample. A
    small data set is measured whole and says nothing of it."""
    from nnviz.core.training import Trainer
    t = make_trainer(samples=6250)
    t.run(30)
    assert len(t.data.train_index) == 5000
    every = [np.linalg.norm(gw) for gw, _ in inspect.gradients(t, max_points=5000)]
    sample = [np.linalg.norm(gw) for gw, _ in inspect.gradients(t)]  # the first 4,096 points'
    assert np.max(np.abs(np.subtract(sample, every)) / np.array(every)) > 1e-3
    padded = Trainer(t.spec, t.config, t.data, seed=0, padded=True)
    padded.set_params([(np.array(w), np.array(b)) for w, b in t.params])
    for model in (t, padded):
        flow = inspect.GradientProbe()(model, None)
        np.testing.assert_allclose(flow.grad_norms[-1], every, rtol=1e-4)
        np.testing.assert_allclose(inspect.gradient_row(model)[0], every, rtol=1e-4)
        assert flow.points == inspect.MAX_STAT_POINTS and flow.train_points == 5000
        assert flow.sampled
        assert flow.activation_hists[0].counts.sum() == 4 * inspect.MAX_STAT_POINTS  # 4 units
    view.update_snapshot(snapshot_of(t, {"gradients": lambda m, pts: flow}))
    assert f"activations of {inspect.MAX_STAT_POINTS:,} of the 5,000 training points" in \
        view.summary.text()
    small = make_trainer()
    view.update_snapshot(snapshot_of(small, {"gradients": inspect.GradientProbe()}))
    whole = view.snapshot.extras["gradients"]
    assert whole.points == whole.train_points == len(small.data.train_index)
    assert not whole.sampled and "training points" not in view.summary.text()


def _drawn_names(ax) -> list:
    """The rectangles and texts of the names ``ax`` paints, left to right (pyqtgraph's own
    draw specs: what it leaves out, as sticking out past the axis, is not among them)."""
    from .test_narrow_window import _drawn_numbers
    return [(rect, text) for rect, text in _drawn_numbers(ax) if text]


@pytest.mark.parametrize("width, presentation", [(640, True), (960, True), (640, False)],
                         ids=["projector-1024", "projector-1400", "normal-narrow"])
def test_nine_layers_names_do_not_run_together(view, qtbot, width, presentation):
    """Nine layers' "h1 h2 ... out" under "||dL/dW|| by layer" ran together as "h2h3h4h5h6h7h8"
    in presentation mode at 1024x768 and 1400x900 (the view ~640 and ~960 px wide), and the
    first and last were hidden: now fewer names, apart, the first and the output among them."""
    from nnviz.gui.presentation import SCALE, scale_scene
    t = make_trainer(hidden=(8,) * 8)
    view.resize(width, 520)
    view.update_snapshot(snapshot_of(t, {"gradients": inspect.GradientProbe()}))
    if presentation:
        scale_scene(view.glw, SCALE)
    axes = {"depth": (view.depth_plot.getAxis("bottom"), "h1", "out"),
            "dead": (view.dead_plot.getAxis("bottom"), None, "8")}  # eight: "2 4 6 8" may do

    def apart() -> None:
        for what, (ax, first, last) in axes.items():
            names = _drawn_names(ax)
            texts = [text for _, text in names]
            assert len(texts) >= 2 and texts[-1] == last, (what, texts)
            assert first is None or texts[0] == first, (what, texts)
            for (a, ta), (b, tb) in zip(names, names[1:]):
                assert b.left() - a.right() >= 4, (what, ta, tb)
    qtbot.waitUntil(apart, timeout=10_000)


def test_titles_fitted_again_larger_break_only_where_they_are_broken(view, qtbot):
    """A title fitted at one size kept that width for its words, and fitted again larger
    (presentation mode) broke mid-word or anywhere: "weight" over "s", "||dL/dW|| per" over
    "layer" at 1400x900. Each title now has the lines it is given: one, or its two halves."""
    import pyqtgraph as pg

    from nnviz.gui.presentation import SCALE, scale_scene
    view.resize(870, 560)
    view.update_snapshot(snapshot_of(make_trainer(hidden=(8,) * 8),
                                     {"gradients": inspect.GradientProbe()}))
    plots = [i for i in view.glw.ci.items if isinstance(i, pg.PlotItem)]
    qtbot.waitUntil(lambda: all(getattr(p.titleLabel, "nnviz_fitted", False) for p in plots))
    scale_scene(view.glw, SCALE)
    for width in (560, 1100):  # fitted small first (two lines), then with room for one
        view.resize(width, 560)
        qtbot.waitUntil(lambda: abs(sum(p.width() for p in plots[:3]) - view.glw.width()) < 60
                        and abs(view.glw.width() - (width - 8)) <= 8)
        view.titles.fit()

    def as_given() -> None:
        for p in plots:
            label = p.titleLabel
            doc = label.item.document()
            drawn, block = 0, doc.begin()
            while block.isValid():
                drawn += block.layout().lineCount()
                block = block.next()
            assert drawn == label.text.count("<br>") + 1, (label.text, drawn)
        assert all("<br>" not in p.titleLabel.text for p in plots)  # the room for one line
    qtbot.waitUntil(as_given, timeout=10_000)


def test_a_long_runs_curves_draw_each_pixel_columns_extremes_not_every_row(view):
    """A run's gradient history holds up to runlog.GRAD_CAPACITY rows (2,048, ~20 s flat out)
    where a plot is a few hundred pixels wide: each curve draws at most two points a pixel
    column (its lowest and highest there), so a frame's paint does not grow with the run,
    and what the eye sees, the extremes, the ends and a gap where the numbers are not finite,
    stays."""
    t = make_trainer()
    rows = runlog.GRAD_CAPACITY
    epochs = np.unique(np.geomspace(1, 2e6, rows).astype(np.int64))
    rng = np.random.default_rng(0)
    L = 4
    norms = np.exp(rng.normal(-3, 1, (len(epochs), L)))
    ratios = np.exp(rng.normal(-7, 1, (len(epochs), L)))
    ratios[len(epochs) // 2: len(epochs) // 2 + 300] = np.nan  # not measured: a gap
    hist = inspect.histogram(rng.normal(size=40))
    flow = inspect.GradientFlow(epochs, norms, ratios, (hist,) * L, (hist,) * L,
                                (None,) * (L - 1), False, 140, 140)
    view.update_snapshot(snapshot_of(t, {"gradients": lambda _t, _pts: flow}))
    view.grab()
    for curve in (*view.norm_curves, *view.ratio_curves):
        width = curve.getViewBox().width()
        x, y = curve.getData()
        nx, ny = curve.numbers
        assert len(nx) == len(epochs) > 3 * width  # its numbers are all the rows
        assert len(x) <= 2 * (width + 1)
        ok = np.isfinite(ny)
        assert np.nanmin(y) == pytest.approx(np.log10(ny[ok].min()))
        assert np.nanmax(y) == pytest.approx(np.log10(ny[ok].max()))
        assert x[0] == epochs[0] and epochs[-1] - x[-1] <= (epochs[-1] - epochs[0]) / width
    x, y = view.ratio_curves[0].getData()
    inside = (x > epochs[len(epochs) // 2 + 10]) & (x < epochs[len(epochs) // 2 + 290])
    assert inside.any() and np.isnan(y[inside]).all()


@pytest.mark.parametrize("height", [250, 350, 450, 700])
def test_update_per_weight_labels_each_decade_once(view, qtbot, height):
    """The log axis of 'update / weight' drew '0.01' and '0.001' twice at one place (they
    looked bold): pyqtgraph lists each decade among the major and again among the minor
    ticks. Every label is drawn at its own place, and the decades are still labelled."""
    view.resize(900, height)
    plot = view.ratio_plot
    plot.setYRange(-3.8, -1.1, padding=0)  # 0.00016 .. 0.08: two whole decades inside
    axis = plot.getAxis("left")
    qtbot.waitUntil(lambda: abs(axis.range[0] + 3.8) < 1e-6)
    lo, hi = axis.range
    places = {}
    for spacing, values in axis.tickValues(lo, hi, axis.size().height()):
        for v, text in zip(values, axis.tickStrings(values, axis.autoSIPrefixScale, spacing)):
            if text:
                places.setdefault(round(float(v), 6), []).append(text)
    assert all(len(texts) == 1 for texts in places.values()), places
    # (powers of ten: the axis reaches below 0.001, see widgets.PLAIN_LOG_LABELS)
    assert places.get(-2.0) == ["10⁻²"] and places.get(-3.0) == ["10⁻³"]


@pytest.mark.parametrize("now", [(9.9e-4, 2.6e-4, 6.4e-4, 6.2e-4),  # the reviewer's run
                                 (1.0e-3, 1.01e-4, 3e-4, 5e-4),  # on the decades themselves
                                 (0.5, 0.3, 0.2, 0.11)])
def test_the_gradient_by_layer_dots_are_whole_under_a_labelled_tick(view, qtbot, now):
    """'||dL/dW|| by layer, now' cut its dots in half at the top and bottom edges, and its
    largest value had no tick label (a run's norms just under 10⁻³, the axis ending there):
    each dot is whole inside the plot, and a label stands at or above the highest dot."""
    t = make_trainer()
    L = len(now)
    epochs = np.array([0, 10, 20])
    norms = np.tile(np.asarray(now, np.float64), (3, 1))
    hist = inspect.histogram(np.random.default_rng(0).normal(size=40))
    flow = inspect.GradientFlow(epochs, norms, norms * 1e-3, (hist,) * L, (hist,) * L,
                                (None,) * (L - 1), False, 140, 140)
    view.resize(1000, 700)
    view.update_snapshot(snapshot_of(t, {"gradients": lambda _t, _pts: flow}))
    plot = view.depth_plot
    box = plot.getViewBox()
    axis = plot.getAxis("left")
    from PySide6.QtGui import QImage, QPainter

    def whole_and_labelled():
        view.grab()
        inside = box.sceneBoundingRect()
        dots = [box.mapViewToScene(p.pos()) for p in view.depth_dots.points()]
        r = view.depth_dots.opts["size"] / 2 + 1  # the dot and its 1-pixel outline
        for d in dots:
            assert inside.adjusted(r, r, -r, -r).contains(d), (inside, d)
        image = QImage(10, 10, QImage.Format.Format_ARGB32)
        painter = QPainter(image)  # the labels as the axis draws them (those that fit)
        try:
            _, _, texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        tops = [axis.mapToScene(rect.center()).y() for rect, _, text in texts if text]
        assert tops and min(tops) <= min(d.y() for d in dots) + 0.5, (tops, dots)
    qtbot.waitUntil(whole_and_labelled)


def _text_rect(item):
    """A QGraphicsTextItem's lines in scene coordinates (its document margin left out)."""
    m = item.document().documentMargin()
    return item.sceneBoundingRect().adjusted(m, m, -m, -m)


@pytest.mark.parametrize("scale", [1.0, 1.5, 1.6], ids=["100%", "150%", "presentation"])
def test_the_top_rows_axis_labels_stand_apart_from_the_titles_under_them(view, qtbot, scale):
    """At text size 150% (1400x900) the top row's axis label "epoch" touched the bottom row's
    title, "epoch weights" read as one phrase (review r18 #10; 2 px apart, and overlapping in
    presentation mode): at least half a line between them, at every text size."""
    from PySide6.QtGui import QFontMetricsF

    from nnviz.gui.presentation import scale_scene
    view.resize(745, 690)  # the view's size at 1400x900 beside the settings
    view.update_snapshot(snapshot_of(make_trainer(), {"gradients": inspect.GradientProbe()}))
    scale_scene(view.glw, scale)
    top = (view.norm_plot, view.ratio_plot, view.depth_plot)
    bottom = (view.weight_plot, view.act_plot, view.dead_plot)

    def apart() -> None:
        for above, below in zip(top, bottom):
            label = above.getAxis("bottom").label
            title = below.titleLabel.item
            line = QFontMetricsF(label.font()).height()
            gap = _text_rect(title).top() - _text_rect(label).bottom()
            assert gap >= line / 2, (above.getAxis("bottom").labelText, below.titleLabel.text,
                                     gap, line)
        for row in (top, bottom):  # a two-line title's plot level with its neighbours'
            assert len({round(p.getViewBox().sceneBoundingRect().top()) for p in row}) == 1
    qtbot.waitUntil(apart, timeout=10_000)


def test_every_layers_gradient_falling_at_once_is_named_before_the_depth_ratio(view):
    # Review r23 F3: a 2-512x4-1 sigmoid run at lr 1 saturated its output at epoch 8 (every
    # layer's gradient fell ~1,000x at once and stayed there), and the caption said only
    # "Vanishing gradients ... the first layers stall", the depth ratio it had had from the
    # start: a student changed the depth, when the cure was a lower rate. The same signature on
    # the notebook's network: 100 epochs at lr 5, then a step at lr 10000 saturates it.
    _, _, frame = _recorded_frames(view)
    frame(100, 5.0)  # a healthy run whose gradients shrink as it learns: no collapse said
    assert view.caption.text().startswith("<b>Healthy gradients</b>")
    assert "fell" not in view.caption.text()
    flow = frame(30, 10000.0)
    norms, epochs = flow.grad_norms, flow.epochs
    at = int(np.flatnonzero(epochs > 100)[0])  # the first row after the long step
    assert np.all(norms[at] < norms[at - 1] / 100) and np.all(norms[-1] < norms[at - 1] / 100)
    text = view.caption.text()
    assert text.startswith(f"<b>Every layer's gradient fell over a million times at epoch "
                           f"{int(epochs[at]):,}</b>: a saturated output? (a step too long: "
                           "lower the rate, not the depth)")
    # then what the depth ratio says, as before
    assert text.index("fell") < text.index("gradients</b>")


def test_a_run_whose_gradient_falls_as_it_fits_the_data_is_not_told_to_lower_the_rate(view):
    # Review r24 F2: 2-512x8-1 sigmoid at lr 1 fit the moons at epoch 57 (loss 0.3 -> 0.006)
    # and every layer's gradient fell 800x with the error; the caption said "a saturated
    # output? (a step too long: lower the rate, not the depth)" of a converged run. 2-64x8-1
    # does the same: its gradient falls over 100x at epoch 34 and stays down as it fits.
    from nnviz.gui.gradient_view import gradient_collapse
    s = _trained(view, make_trainer(hidden=(64,) * 8), 400)
    flow = s.extras["gradients"]
    assert gradient_collapse(flow.epochs, flow.grad_norms) is not None  # the same signature
    assert s.loss_values[-1] < 0.01 * s.loss_values[0]  # and a run that fits its data
    text = view.caption.text()
    assert "lower the rate" not in text and "saturated output" not in text
    assert "fits its training data" in text and "no problem" in text


def test_adams_fading_output_gradient_at_a_fitted_loss_is_not_called_exploding(view):
    # Review r24 F2: adam on 20,000 points at loss 0.0003 (accuracy 100%): the output layer's
    # gradient faded as its sigmoid sat at the right answers, the first layer's stood 171x it,
    # and the caption said "Exploding gradients". Adam's steps do not follow the gradient's
    # size anyway. The same ratio on the notebook network's adam run once it fits (its output
    # gradient scaled down where the loss is below a tenth of its first: that run's 2,000-step
    # epochs are minutes here); the same ratio at epoch 0, before it learned, is exploding.
    import dataclasses
    s = _trained(view, make_trainer(optimizer="adam", lr=0.1), 300)
    flow = s.extras["gradients"]
    # (the loss of each row's weights: the history's next epoch, runlog)
    at = np.interp(flow.epochs + 1, s.loss_epochs, s.loss_values)
    fitted = at <= 0.1 * s.loss_values[0]
    assert fitted[-1] and not fitted[0] and s.metrics.train_accuracy > 0.99
    norms = flow.grad_norms.copy()
    norms[fitted, -1] = norms[fitted, 0] / 171
    shown = dataclasses.replace(s, extras={"gradients": dataclasses.replace(flow,
                                                                            grad_norms=norms)})
    view.update_snapshot(shown)
    text = view.caption.text()
    assert "xploding" not in text
    assert text.startswith("<b>Healthy gradients</b> as it learned; now the gradients fade as "
                           "the loss fell to ") and "fits its training data" in text
    norms[0, 0] = norms[0, -1] * 171  # before it learned: a true explosion of the first layer
    view.update_snapshot(dataclasses.replace(s, extras={"gradients": dataclasses.replace(
        flow, grad_norms=norms)}))
    assert view.caption.text().startswith("<b>Exploding gradients</b> in this run: at epoch 0 "
                                          "the first layer's ||dL/dW|| was 171× the output's")


def test_a_network_no_gradient_reaches_is_named_and_its_zero_drawn_as_0(view):
    # Review r24 F8: relu 512x8 with N(0, 1) weights: every gradient exactly 0 (the sigmoid
    # output saturated at 0 or 1), the loss flat at 0.3563 for 274 epochs; the curves lay on
    # the log plots' floor, read as 10^-12, and the caption named nothing. 2-32x8-1 relu does
    # the same from its first epoch.
    s = _trained(view, make_trainer(hidden=(32,) * 8, act="relu"), 60)
    flow = s.extras["gradients"]
    assert np.all(flow.grad_norms == 0) and np.ptp(s.loss_values) == 0
    text = view.caption.text()
    assert text.startswith("<b>No gradient</b>: ||dL/dW|| is 0 in every layer, so no weight "
                           "moves, at any rate, and the loss stays where it is: the sigmoid "
                           "output is saturated")
    assert '"glorot"' in text and "lower the rate" not in text
    # The plots say 0 where the curves lie, not a number of their floor's.
    for plot in (view.norm_plot, view.depth_plot, view.ratio_plot):
        assert view.zero_marks[plot].isVisible()
        assert view.zero_marks[plot].label.toPlainText().startswith("0: no ")
        assert not plot.getAxis("left").style["showValues"]  # no 10^-12 beside it
    # A run with a gradient: no such line, and the numbers back.
    _trained(view, make_trainer(), 10)
    assert not any(m.isVisible() for m in view.zero_marks.values())
    assert view.norm_plot.getAxis("left").style["showValues"]


def test_the_histograms_y_axes_say_what_their_heights_are(view):
    # Review r27 F7: the weights' and activations' histograms had y axes of 0-0.4 and 0-0.2
    # with no name: counts? a density? Each bar is its bin's share of the layer's values.
    _gradient_frame(view)
    for plot in (view.weight_plot, view.act_plot):
        axis = plot.getAxis("left")
        assert axis.label.isVisible() and axis.labelText == "share of values"
        heights = [c.yData for c in (view.weight_curves if plot is view.weight_plot
                                     else view.act_curves)]
        for h in heights:  # (shares: each layer's sum to 1)
            assert abs(float(np.sum(h)) - 1.0) < 1e-6


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_branch_on_the_loss_chart_is_drawn_like_a_layer_beside_it(view, qtbot, theme):
    """r27 F7: the Gradients key's "hidden 3" was the magenta of branch "run 2" on the loss
    chart beside it, and both solid lines: read as one thing. A branch curve whose colour is
    near a layer's (CIEDE2000 under 20, with normal vision or a red-green deficiency) is drawn
    in another style: the layers solid, every branch dash-dotted or dotted, up to a run's most
    branches."""
    import dataclasses

    from nnviz.core.snapshot import Branch
    from nnviz.gui import colors
    from nnviz.gui.loss_plot import LossPlot

    from .test_look import _lab
    from .test_mark_contrast import _delta_e_lab
    plot = LossPlot()
    qtbot.addWidget(plot)
    epochs = np.arange(1, 101)
    loss = (0.05 + 0.2 * np.exp(-epochs / 60)).astype(np.float32)
    others = tuple(Branch(f"run {k + 1}", epochs, loss * (1 + k / 20), 50, colour=k)
                   for k in range(runlog.MAX_BRANCHES - 1))
    try:
        colors.set_look(theme)
        view.apply_look()
        _gradient_frame(view)
        plot.update_snapshot(dataclasses.replace(
            snapshot_of(make_trainer()), epoch=100, loss_epochs=epochs, loss_values=loss,
            branch="run 16", branches=others))
        layers = view.norm_curves + view.weight_curves
        assert len(view.norm_curves) == 4
        alike = []
        for layer in layers:
            lp = layer.opts["pen"]
            assert lp.style() == pg.QtCore.Qt.PenStyle.SolidLine  # the layers: solid lines
            for b in others:
                bp = plot._branch_curves[b.name].opts["pen"]
                near = min(_delta_e_lab(tuple(_lab(_rgb(layer), v)),
                                        tuple(_lab(bp.color().getRgb()[:3], v)))
                           for v in (None, "deuteranopia", "protanopia"))
                if near < 20 and bp.style() == lp.style() and \
                        list(bp.dashPattern()) == list(lp.dashPattern()):
                    alike.append((b.name, bp.color().name(), lp.color().name(), round(near, 1)))
        assert not alike, (theme, alike)
    finally:
        colors.set_look("light")
        view.apply_look()
