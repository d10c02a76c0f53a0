"""Animations of a run for slides: which epochs make the frames, and the GIF / MP4 writer.

The frames are pictures of the run at recorded epochs (the run log replays any epoch exactly),
so an animation does not depend on how fast training ran. The writer uses imageio: GIF through
its pillow plugin, MP4 (H.264) through imageio-ffmpeg's own ffmpeg binary, so no system ffmpeg
is needed (``pip install 'nnviz[record]'``). The file is written beside its target under a
temporary name and renamed only when complete: a cancel or a failure leaves no partial file, and
the file that was there stays.
"""
from __future__ import annotations

import math
import os
import tempfile
import warnings
from contextlib import contextmanager
from typing import Iterator
import numpy as np

from .errors import NnvizError
from .fileio import output_mode, resolve_output

FORMATS = (".gif", ".mp4")
SPACINGS = ("even", "geometric")
SIZE = (1280, 720)  # 16:9; both sides multiples of 16, as H.264 wants
MAX_FRAMES = 2000
INSTALL_HINT = ("animations need imageio and imageio-ffmpeg: pip install 'nnviz[record]' (or "
                "pip install imageio imageio-ffmpeg) into the environment that runs nnviz")


@contextmanager
def _no_fork_warning() -> Iterator[None]:
    # imageio-ffmpeg starts ffmpeg with subprocess (fork, then exec at once), which jax warns
    # about; nothing runs between the two, and the warning would be noise on stderr.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"os\.fork\(\) was called",
                                category=RuntimeWarning)
        yield


class RecordError(NnvizError):
    """An animation that cannot be made; the message says why."""


def check_path(path: str | os.PathLike) -> str:
    """The animation's format (".gif" or ".mp4") from ``path``; RecordError for another name or
    a place that cannot be written (checked before anything is drawn)."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        raise RecordError(f"cannot record {os.fspath(path)}: an animation is a .gif or .mp4 file")
    try:
        resolve_output(path)
    except OSError as e:
        raise RecordError(str(e)) from None
    return ext


def have_imageio(ext: str = ".mp4") -> bool:
    try:
        import imageio  # noqa: F401
        if ext == ".mp4":
            import imageio_ffmpeg  # noqa: F401
    except ImportError:
        return False
    return True


def frame_epochs(start: int, end: int, frames: int, spacing: str = "even") -> list[int]:
    """``frames`` epochs from ``start`` to ``end`` (both included), increasing: evenly spaced,
    or geometrically (ever further apart: early learning, where most happens, gets most frames).
    Fewer when the stretch has fewer epochs than frames. RecordError for a bad request."""
    start, end, frames = int(start), int(end), int(frames)
    if spacing not in SPACINGS:
        raise RecordError(f"the frames are spaced evenly or geometrically "
                          f"({' or '.join(SPACINGS)}), not {spacing!r}")
    # Said as a user reads them ("must be 0 <= first <= last, got 150..100" was a formula).
    if start < 0:
        raise RecordError(f"the first epoch to record ({start:,}) is before epoch 0, where "
                          "training starts")
    if start > end:
        raise RecordError(f"the first epoch to record ({start:,}) is after the last "
                          f"({end:,}): the first must come before the last, or be the same")
    if not 2 <= frames <= MAX_FRAMES:
        raise RecordError(f"an animation has from 2 to {MAX_FRAMES:,} frames, not {frames:,}")
    n = min(frames, end - start + 1)
    if n == 1:
        return [start]
    if spacing == "even":
        raw = np.linspace(start, end, n)
    else:  # geometric in the epochs after start (epoch 0 itself cannot be on a geometric scale)
        raw = start - 1 + np.geomspace(1, end - start + 1, n)
    out: list[int] = []
    for i, v in enumerate(raw):
        # Rounded, then nudged so that every frame is a new epoch and the last is ``end``.
        e = max(int(round(v)), out[-1] + 1 if out else start)
        out.append(min(e, end - (n - 1 - i)))
    return out


class AnimationWriter:
    """Frames (uint8 arrays of shape (height, width, 3)) into a GIF or an MP4, atomically.

    ``append`` each frame, then ``close()`` puts the file in place; ``abort()`` (or leaving a
    ``with`` block by an exception) removes what was written. RecordError without imageio."""

    def __init__(self, path: str | os.PathLike, fps: float = 10.0) -> None:
        self.ext = check_path(path)
        if not have_imageio(self.ext):
            raise RecordError(INSTALL_HINT)
        if not 0.1 <= fps <= 60:
            raise RecordError(f"the speed must be from 0.1 to 60 frames a second, not {fps:g}")
        self.target = resolve_output(path)
        folder = os.path.dirname(self.target) or "."
        fd, self.temp = tempfile.mkstemp(prefix=".nnviz-record-", suffix=self.ext, dir=folder)
        os.close(fd)
        self.fps, self.count, self._shape = fps, 0, None
        try:
            with _no_fork_warning():
                self._writer = self._open()
        except Exception:
            self._remove()
            raise

    def _open(self):
        if self.ext == ".gif":
            import imageio.v3 as iio
            return iio.imopen(self.temp, "w", plugin="pillow", extension=".gif")
        import imageio.v2 as iio2
        return iio2.get_writer(self.temp, format="FFMPEG", mode="I", fps=self.fps,
                               codec="libx264", quality=8, macro_block_size=16,
                               pixelformat="yuv420p", ffmpeg_log_level="error")

    def append(self, frame: np.ndarray) -> None:
        frame = np.ascontiguousarray(frame, np.uint8)
        if self._shape is None:
            self._shape = frame.shape
        elif frame.shape != self._shape:
            raise RecordError(f"every frame must be {self._shape}, got {frame.shape}")
        try:
            if self.ext == ".gif":
                self._writer.write(frame, duration=int(round(1000 / self.fps)), loop=0)
            else:
                with _no_fork_warning():
                    self._writer.append_data(frame)
        except OSError as e:
            raise RecordError(f"cannot write {self.target}: {e.strerror or e}") from None
        self.count += 1

    def close(self) -> str:
        """Finish the file and put it in place; returns its path."""
        if self.count == 0:
            self.abort()
            raise RecordError("no frame was recorded")
        try:
            self._writer.close()
            self._writer = None
            # mkstemp made the file 0o600: give it what any other output gets (the umask's
            # mode, or the replaced file's), not a recording only its owner can read.
            os.chmod(self.temp, output_mode(self.target))
            os.replace(self.temp, self.target)
        except OSError as e:
            self.abort()
            raise RecordError(f"cannot write {self.target}: {e.strerror or e}") from None
        return self.target

    def abort(self) -> None:
        """Stop and remove what was written; the target is left as it was."""
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception:  # noqa: BLE001 -- half a file is thrown away anyway
                pass
            self._writer = None
        self._remove()

    def _remove(self) -> None:
        try:
            os.remove(self.temp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "AnimationWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
        elif self._writer is not None:
            self.close()


def caption(epoch: int, loss: float, accuracy: float | None = None,
            accuracy_name: str = "accuracy", percent: bool = True) -> str:
    """The frame's caption: "epoch 400 · loss 0.1234 · accuracy 97.5%"."""
    def num(v: float) -> str:
        if not math.isfinite(v):
            return "n/a"
        return f"{v:.4f}" if 0.001 <= abs(v) < 1000 else f"{v:.3g}"
    text = f"epoch {epoch:,} \u00b7 loss {num(loss)}"
    if accuracy is not None and math.isfinite(accuracy):
        acc = f"{100 * accuracy:.1f}%" if percent else f"{accuracy:.3g}"
        text += f" \u00b7 {accuracy_name} {acc}"
    return text

