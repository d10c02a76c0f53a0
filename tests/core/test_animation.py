"""Which epochs an animation's frames show, and the writer's all-or-nothing file."""
from __future__ import annotations

import os

import numpy as np
import pytest

from nnviz.core.animation import AnimationWriter, RecordError, caption, frame_epochs


def test_even_frames_cover_the_stretch_at_equal_steps():
    assert frame_epochs(0, 1000, 11) == list(range(0, 1001, 100))
    assert frame_epochs(200, 300, 3) == [200, 250, 300]


def test_geometric_frames_grow_apart_and_are_all_distinct():
    e = frame_epochs(0, 3000, 30, "geometric")
    assert len(e) == 30 and e[0] == 0 and e[-1] == 3000
    gaps = np.diff(e)
    assert np.all(gaps >= 1)
    assert gaps[-1] > 20 * gaps[0]  # early learning gets most of the frames


def test_fewer_epochs_than_frames_gives_every_epoch_once():
    assert frame_epochs(0, 4, 60) == [0, 1, 2, 3, 4]
    assert frame_epochs(0, 4, 60, "geometric") == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("args, message", [
    ((0, 10, 1), "from 2 to 2,000 frames, not 1"),
    ((150, 100, 4), r"the first epoch to record \(150\) is after the last \(100\)"),
    ((-3, 10, 4), r"\(-3\) is before epoch 0"),
    ((0, 10, 4, "log"), "evenly or geometrically"),
])
def test_bad_requests_say_why(args, message):
    with pytest.raises(RecordError, match=message):
        frame_epochs(*args)


def test_caption_has_epoch_loss_and_accuracy():
    assert caption(1200, 0.01234, 0.975) == "epoch 1,200 \u00b7 loss 0.0123 \u00b7 accuracy 97.5%"


@pytest.mark.parametrize("name", ["a.txt", "a.png"])
def test_only_gif_and_mp4(tmp_path, name):
    with pytest.raises(RecordError, match=".gif or .mp4"):
        AnimationWriter(tmp_path / name)


def test_an_aborted_animation_leaves_the_old_file_and_no_partial_one(tmp_path):
    pytest.importorskip("imageio")
    path = tmp_path / "a.gif"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with AnimationWriter(path) as w:
            w.append(np.zeros((72, 128, 3), np.uint8))
            raise RuntimeError("stop")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.gif"]


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("name", ["a.gif", "a.mp4"])
def test_a_recording_is_readable_by_others_as_any_new_file_is(tmp_path, name, umask_022):
    # `ls -l` of a fresh recording under umask 022: -rw-r--r--, as a saved picture or
    # session, not mkstemp's -rw------- (others could not open the GIF one had shared).
    pytest.importorskip("imageio")
    from nnviz.core.animation import have_imageio
    if not have_imageio(os.path.splitext(name)[1]):
        pytest.skip("no ffmpeg for mp4")
    path = tmp_path / name
    with AnimationWriter(path) as w:
        for _ in range(2):
            w.append(np.zeros((64, 128, 3), np.uint8))
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert os.stat(path).st_mode & 0o777 == os.stat(plain).st_mode & 0o777 == 0o644


def test_a_replaced_recording_keeps_its_mode(tmp_path, umask_022):
    pytest.importorskip("imageio")
    path = tmp_path / "a.gif"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    with AnimationWriter(path) as w:
        w.append(np.zeros((64, 128, 3), np.uint8))
    assert path.read_bytes()[:3] == b"GIF"
    assert os.stat(path).st_mode & 0o777 == 0o640
