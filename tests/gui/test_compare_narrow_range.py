"""r19 #18: a custom sweep "learning rate 0.1, 0.3, 1, 3" on the spiral left every loss between
0.22 and 0.37, less than a decade with no 1, 2 or 5 x 10^k inside but at an edge: both score
plots ("training loss" and "loss now") showed no number on their log y axes, and the names at
the curves' ends were pushed onto the neighbouring curves, struck through by them ("0.3" under
the lines of 0.1 and 1)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from nnviz.gui import colors
from nnviz.gui.compare_plots import LossCurves, ScorePlot, member_colors

from .test_views_helpers import axis_texts

LRS = (0.1, 0.3, 1.0, 3.0)
AXES = (("learning_rate", LRS),)
MEMBERS = tuple({"learning_rate": v} for v in LRS)
ENDS = (0.2301, 0.2294, 0.2272, 0.2197)  # the review's training losses at epoch 3,000


@pytest.fixture
def dark():
    colors.set_look("dark")
    yield
    colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def _curves(start: float = 0.33) -> tuple:
    e = np.arange(1, 3001)
    return tuple((e, end + (start - end) * np.exp(-e * (k + 1) / 30.0))
                 for k, end in enumerate(ENDS))


def _loss_curves(qtbot, size=(470, 300)) -> LossCurves:
    c = LossCurves()
    qtbot.addWidget(c)
    c.resize(*size)
    c.show()
    qtbot.waitExposed(c)
    c.set_members(member_colors(MEMBERS, AXES), "colour: learning rate",
                  names=[f"{v:g}" for v in LRS])
    return c


def _score_plot(qtbot) -> ScorePlot:
    p = ScorePlot()
    qtbot.addWidget(p)
    p.resize(470, 300)
    p.show()
    qtbot.waitExposed(p)
    p.set_members(AXES, MEMBERS)
    p.update_scores(tuple({"train_loss": a, "test_loss": b, "diverged": False}
                          for a, b in zip(ENDS, (0.2730, 0.2724, 0.2729, 0.2859))), best=1)
    return p


def _numbers(plot) -> list[tuple[float, float]]:
    """(the value, its text's middle in px from the axis' top) of each number the y axis
    paints, top to bottom."""
    ax = plot.getPlotItem().getAxis("left")
    return sorted(((float(t), r.center().y()) for r, _, t in axis_texts(ax) if t),
                  key=lambda vy: vy[1])


def _readable(plot) -> bool:
    """At least two numbers, each a loss within the axis' range, larger ones higher, apart by
    at least a line (pyqtgraph has already left out any number cut at an end)."""
    ax = plot.getPlotItem().getAxis("left")
    lo, hi = (10.0 ** v for v in ax.range)
    got = _numbers(plot)
    line = ax.fontMetrics().height() if hasattr(ax, "fontMetrics") else 12
    return (len(got) >= 2 and all(lo <= v <= hi for v, _ in got)
            and all(a[0] > b[0] and b[1] - a[1] >= 0.9 * line for a, b in zip(got, got[1:])))


@pytest.mark.parametrize("start", [0.33, 0.26, 0.69], ids=["review", "flat", "from-ln2"])
def test_the_training_loss_axis_has_numbers_for_a_narrow_range(qtbot, dark, start):
    c = _loss_curves(qtbot)
    c.update_curves(_curves(start), np.zeros(len(LRS), bool))
    qtbot.waitUntil(lambda: _readable(c), timeout=3000)


def test_the_loss_now_axis_has_numbers_for_a_narrow_range(qtbot, dark):
    p = _score_plot(qtbot)
    qtbot.waitUntil(lambda: _readable(p), timeout=3000)


def _name_boxes(c: LossCurves) -> list:
    """Each shown name's box in the scene (the widget's pixels), with its text colour."""
    return [(name.mapRectToScene(name.boundingRect()),
             name.textItem.defaultTextColor().getRgb()[:3])
            for name in c.names if name.isVisible()]


def _struck(c: LossCurves) -> list:
    """The names with a pixel in their box that is neither the background nor the name's
    colour nor a blend of the two: a line drawn across the name."""
    img = c.grab().toImage()
    bg = np.array(colors.background(), float)
    out = []
    for scene, rgb in _name_boxes(c):
        box = c.mapFromScene(scene).boundingRect()
        t = np.array(rgb, float) - bg
        worst = 0.0
        for y in range(box.top() + 1, box.bottom()):
            for x in range(box.left() + 1, box.right()):
                px = img.pixelColor(x, y)
                d = np.array([px.red(), px.green(), px.blue()], float) - bg
                a = np.clip(d @ t / (t @ t), 0, 1)
                worst = max(worst, float(np.linalg.norm(d - a * t)))
        if worst > 40:
            out.append((box, worst))
    return out


def _apart(c: LossCurves) -> bool:
    boxes = [b for b, _ in _name_boxes(c)]
    return len(boxes) == len(LRS) and all(  # touching (a shared edge) is apart
        a.intersected(b).height() < 0.5 for i, a in enumerate(boxes) for b in boxes[i + 1:])


@pytest.mark.parametrize("size", [(470, 300), (470, 180)], ids=["window", "short"])
def test_the_curves_names_stand_apart_and_no_line_crosses_them(qtbot, dark, size):
    """Curves whose ends lie a pixel or two apart: their names are moved apart, so some sit on
    the neighbouring curves; they are drawn over them, readable, each in its colour."""
    c = _loss_curves(qtbot, size)
    c.update_curves(_curves(), np.zeros(len(LRS), bool))
    qtbot.waitUntil(lambda: _apart(c), timeout=3000)
    qtbot.waitUntil(lambda: not _struck(c), timeout=3000)


def test_the_names_move_apart_again_when_the_plot_is_resized_while_paused(qtbot, dark):
    """Paused (no new curves), a shorter plot (the splitter dragged, presentation mode): the
    names stayed where they were in the curves' units, and came to lie over each other."""
    c = _loss_curves(qtbot, (470, 400))
    c.update_curves(_curves(), np.zeros(len(LRS), bool))
    qtbot.waitUntil(lambda: _apart(c), timeout=3000)
    c.resize(470, 160)
    vb = c.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: vb.height() < 120, timeout=3000)
    qtbot.waitUntil(lambda: _apart(c), timeout=3000)


def test_every_curve_of_a_learning_rate_sweep_is_named_in_a_short_plot(qtbot):
    """r29 L1: the lr sweep (7 members) in presentation mode at 1024x768: the loss plot is
    ~100 px high, room for four or five names above each other, and three showed ("10", "0.3",
    "3"). Every curve is named, each name whole inside the plot, none over another."""
    from PySide6.QtGui import QFont

    lrs = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
    axes = (("learning_rate", lrs),)
    members = tuple({"learning_rate": v} for v in lrs)
    c = LossCurves()
    qtbot.addWidget(c)
    c.resize(508, 176)
    c.show()
    qtbot.waitExposed(c)
    c.set_members(member_colors(members, axes), "colour: learning rate",
                  names=[f"{v:g}" for v in lrs])
    for name in c.names:  # at presentation mode's size (NAME_PT x 1.6)
        font = QFont(name.textItem.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        name.setFont(font)
    e = np.arange(1, 2001)
    ends = (0.05, 0.02, 3e-3, 9e-4, 8e-5, 1.3e-5, 0.48)
    c.update_curves(tuple((e, end + (0.3 - end) * np.exp(-e / 300.0)) for end in ends),
                    np.zeros(len(lrs), bool))
    vb = c.getPlotItem().getViewBox()

    def named() -> bool:
        c.grab()
        boxes = [b for b, _ in _name_boxes(c)]
        view = c.getPlotItem().sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
        return len(boxes) == len(lrs) and all(view.contains(b) for b in boxes) and all(
            a.intersected(b).width() < 0.5 or a.intersected(b).height() < 0.5
            for i, a in enumerate(boxes) for b in boxes[i + 1:])
    qtbot.waitUntil(lambda: 0 < vb.height() < 7 * c.names[0].boundingRect().height(),
                    timeout=3000)  # (the axes shown): not room for them in one column
    qtbot.waitUntil(named, timeout=3000)


def _points_under_names(c: LossCurves) -> list:
    """(name, member) for each curve point, in the scene, inside a shown name's box."""
    vb = c.getPlotItem().getViewBox()
    out = []
    for name in c.names:
        if not name.isVisible():
            continue
        box = name.mapRectToScene(name.boundingRect())
        for k, item in enumerate(c.curves):
            xs, ys = item.getData()
            for x, y in zip(xs, ys):
                if box.contains(vb.mapViewToScene(QPointF(float(x), float(y)))):
                    out.append((name.textItem.toPlainText(), k))
                    break
    return out


def test_the_names_cover_no_curve(qtbot):
    """The lr sweep at epoch 300: lr 1 and lr 3 ended at the same loss, and each name, just
    above its curve's end, lay over the other's tail ("3" and "10" over lr 1's and 3's last
    epochs). The names stand in a margin right of the curves, each whole in the plot, level
    with its end, over no point of any curve."""
    c = _loss_curves(qtbot)
    e = np.arange(1, 301)
    c.update_curves(tuple((e, end + (0.4 - end) * np.exp(-e / 40.0)) for end in ENDS),
                    np.zeros(len(LRS), bool))
    vb = c.getPlotItem().getViewBox()
    plot = c.getPlotItem().sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)

    def clear() -> bool:
        c.grab()
        boxes = [b for b, _ in _name_boxes(c)]
        return (len(boxes) == len(LRS) and all(plot.contains(b) for b in boxes)
                and all(b.left() >= vb.sceneBoundingRect().right() for b in boxes)
                and not _points_under_names(c))
    qtbot.waitUntil(clear, timeout=3000)
    qtbot.waitUntil(lambda: _apart(c), timeout=3000)


def test_the_names_stand_in_the_order_of_the_curves_ends_at_the_plots_bottom(qtbot):
    """The activations sweep at epoch 2,000 in a short plot: tanh's and cos's curves ended
    within the last half line of the plot, tanh lowest, and the names read "relu, tanh, cos"
    from the top: both were put at the plot's bottom and then ordered by member, so "tanh"
    stood above "cos" although its curve ends below it (review r31). The names stand in the
    order of their curves' ends, top to bottom."""
    names = ("sigmoid", "softmax", "tanh", "cos", "relu")
    ends = (7.53e-3, 8.53e-2, 1.08e-4, 2.21e-4, 3.82e-4)  # the review's
    axes = (("activation", names),)
    members = tuple({"activation": v} for v in names)
    c = LossCurves()
    qtbot.addWidget(c)
    c.resize(508, 110)  # one column of names, ~105 px
    c.show()
    qtbot.waitExposed(c)
    c.set_members(member_colors(members, axes), "colour: activation", names=list(names))
    from PySide6.QtGui import QFont
    for name in c.names:  # at presentation mode's size (NAME_PT x 1.6)
        font = QFont(name.textItem.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        name.setFont(font)
    # As the sweep trains: epoch 600's losses set the range (10^-4 to 1), and at epoch 2,000
    # tanh's and cos's ends lie within its last half line.
    for last in (600, 2000):
        e = np.arange(1, last + 1)
        c.update_curves(tuple((e, end + (0.25 - end) * np.exp(-e / 100.0)) for end in ends),
                        np.zeros(len(names), bool))
    by_end = [names[k] for k in np.argsort(ends)[::-1]]  # highest end first

    def in_order() -> bool:
        c.grab()
        shown = sorted((n.mapRectToScene(n.boundingRect()).center().y(), n.textItem.toPlainText())
                       for n in c.names if n.isVisible())
        return [t for _, t in shown] == by_end and _apart_all(c)
    qtbot.waitUntil(in_order, timeout=3000)


def _apart_all(c: LossCurves) -> bool:
    boxes = [b for b, _ in _name_boxes(c)]
    return len(boxes) == len(c.names) and all(
        a.intersected(b).height() < 0.5 for i, a in enumerate(boxes) for b in boxes[i + 1:])
