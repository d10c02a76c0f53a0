"""FittedTitles: each plot's title sized to fit, centred over its plot."""
from __future__ import annotations

import pyqtgraph as pg

from nnviz.gui.widgets import TITLE_PT, FittedTitles, fit_title

# The Gradients view's row of plots (gradient_view: fit_title, FittedTitles two_lines, grow).
TITLES = ("weights of each layer", "activations on the training data", "gradient norms")


def _off_centre(plot) -> tuple[float, float, float]:
    """(how far the title's text is right of its label's centre, how far it reaches left of
    the plot, how far right of it), in pixels."""
    label = plot.titleLabel
    text, place = label.item.sceneBoundingRect(), label.sceneBoundingRect()
    edges = plot.sceneBoundingRect()
    return (text.center().x() - place.center().x(), edges.left() - text.left(),
            text.right() - edges.right())


def test_a_title_set_anew_stays_centred_over_its_plot(qtbot):
    """A title set at a new size kept the place its text had at its width before (pyqtgraph's
    LabelItem places its text only on a resize or a setText, and its lines were centred after
    that): the Gradients view's row 900 px wide, 300 (its titles in two lines), 900 again,
    then 500, and each title sat 12-24 px left of centre, 6-18 px past its plot's left edge
    (the Compare key had the same: 57 px right of centre)."""
    glw = pg.GraphicsLayoutWidget()
    qtbot.addWidget(glw)
    plots = [glw.addPlot(title=t) for t in TITLES]
    for p in plots:
        fit_title(p)
    FittedTitles(glw, two_lines=True, grow=True)
    glw.show()

    def fitted(two_lines: bool, full: bool = False) -> bool:
        return all(("<br>" in p.titleLabel.text) == two_lines and (
            not full or p.titleLabel.opts.get("size") == f"{TITLE_PT:g}pt") for p in plots)

    def centred_inside() -> bool:
        return all(abs(x) < 1 and left <= 0.5 and right <= 0.5
                   for x, left, right in map(_off_centre, plots))

    glw.resize(900, 300)
    qtbot.waitUntil(lambda: fitted(False, full=True))
    glw.resize(300, 300)
    qtbot.waitUntil(lambda: fitted(True))
    glw.resize(900, 300)
    qtbot.waitUntil(lambda: fitted(False, full=True))
    glw.resize(500, 300)
    qtbot.waitUntil(lambda: fitted(False) and centred_inside(), timeout=5000)
