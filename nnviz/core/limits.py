"""nnviz's documented limits, in one place (docs/session-format.md lists them for people).

Readers check files against these from what the files declare (the manifest, zip headers, each
array's npy header) before reading or inflating any data, so a hostile or broken file is refused
with a message that names the limit instead of exhausting memory.
"""
from __future__ import annotations

from .csvdata import MAX_ROWS
from .data import MAX_SAMPLES, MAX_SEED  # noqa: F401 (MAX_SEED: one seed range)
from .network import MAX_HIDDEN_LAYERS, MAX_WIDTH

# Data points: the generators' and the CSV importer's limit.
MAX_POINTS = max(MAX_SAMPLES, MAX_ROWS)
# Features of a point: the network's input is a layer, bounded like every layer's width.
MAX_FEATURES = MAX_WIDTH
# Hidden layers, and the width of any layer (input and output included).
MAX_LAYERS = MAX_HIDDEN_LAYERS
# Points kept on a loss curve (training or test) in a session.
MAX_HISTORY = 1 << 24
# Epochs: beyond 2^53 the int64 epochs of the history no longer fit a float exactly. A session
# opens only up to MAX_OPEN_EPOCH, so training on leaves it room to be saved again.
MAX_EPOCH = 2**53
# ... and the window's timeline (a Qt slider, a C int) counts epochs up to 2^31 - 1: a session
# opened beyond it gave "Something went wrong: OverflowError" under the header's
# "Epoch 1,000,000,000,000". No run comes near it by accident: at nnviz's fastest (~116,000
# epochs a second, bench/README) it is five hours of training without a pause. Every epoch a
# file names (its epoch, a branch's end, fork, checkpoints, test points) is held to it.
MAX_OPEN_EPOCH = 2**31 - 1
# What a session's manifest.json may hold.
MAX_MANIFEST_BYTES = 1 << 20
# Zip members above this size may not inflate more than MAX_COMPRESSION_RATIO times their packed
# size: real numbers hardly compress, a zip bomb does.
COMPRESSION_CHECK_BYTES = 1 << 20
MAX_COMPRESSION_RATIO = 100
# A header or small array's worth of slack per npy member (the npy header is at most 64 kB).
NPY_OVERHEAD_BYTES = 1 << 16


def describe() -> str:
    """The limits in one line, for messages."""
    return (f"at most {MAX_POINTS:,} points of {MAX_FEATURES} features, {MAX_LAYERS} hidden "
            f"layers of width {MAX_WIDTH}, {MAX_HISTORY:,} loss points")
