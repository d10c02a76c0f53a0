"""The visual language: TensorFlow Playground's orange / blue, shared by every plot.

Class 0 is orange and class 1 blue; a model output P(class 1) runs from orange (0) through a
light grey (0.5) to blue (1). More classes take further distinct colours. Heatmaps use a
256-entry lookup table made from a pyqtgraph ColorMap, with fixed levels.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

ORANGE = (245, 147, 34)
BLUE = (8, 119, 189)
MID = (232, 234, 235)
# Classes beyond two: distinct colours that stay apart from orange and blue.
CLASS_COLORS: tuple[tuple[int, int, int], ...] = (
    ORANGE, BLUE, (44, 160, 44), (148, 103, 189), (214, 39, 40), (140, 86, 75),
    (227, 119, 194), (188, 189, 34),
)
TRAIN_CURVE = (40, 40, 40)
TEST_CURVE = ORANGE
# Other branches of a run on the loss plot (colour-blind safe, distinct from train and test).
BRANCH_CURVES = ((0, 114, 178), (204, 121, 167), (0, 158, 115), (86, 180, 233), (213, 94, 0),
                 (117, 112, 179))
TIMELINE_MARK = (138, 75, 0)
# Plot titles, axis labels, tick numbers and legends: near black. pyqtgraph's default grey
# (150, 150, 150) could not be read from the back of a room.
TEXT = (34, 34, 34)
pg.setConfigOption("foreground", TEXT)

# The heatmap's ends are a little lighter than the points, so points stay visible on it.
_HEAT_LIGHTEN = 0.35


def _lighten(rgb: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return tuple(int(round(c + (255 - c) * amount)) for c in rgb)


def diverging_map() -> pg.ColorMap:
    """Orange -> grey -> blue, for P(class 1) in [0, 1] or a regressed value."""
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]),
                       color=[_lighten(ORANGE, _HEAT_LIGHTEN), MID, _lighten(BLUE, _HEAT_LIGHTEN)],
                       name="nnviz-orange-blue")


def point_map() -> pg.ColorMap:
    """The same scale at full strength, for points coloured by a value (regression)."""
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]), color=[ORANGE, MID, BLUE])


def class_color(k: int) -> tuple[int, int, int]:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def class_image(scores: np.ndarray, discretize: bool = False) -> np.ndarray:
    """RGB uint8 (res_y, res_x, 3) for class scores (res_y, res_x, K): the argmax class's colour,
    its strength the confidence (chance level -> white, certain -> full colour)."""
    k = scores.shape[-1]
    winner = np.argmax(scores, axis=-1)
    if discretize:
        strength = np.ones(winner.shape, np.float32)
    else:
        conf = np.take_along_axis(scores, winner[..., None], axis=-1)[..., 0]
        total = np.maximum(scores.sum(axis=-1), 1e-12)  # scores need not sum to one (mse)
        conf = np.clip(conf / total, 0, 1)
        strength = np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1)
    strength = 0.15 + 0.85 * strength  # some colour even at chance: the winner is still shown
    palette = np.array([_lighten(class_color(i), _HEAT_LIGHTEN) for i in range(k)], np.float32)
    rgb = 255 - strength[..., None] * (255 - palette[winner])
    return rgb.astype(np.uint8)
