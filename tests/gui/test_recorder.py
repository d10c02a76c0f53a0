"""Recording the run as an animation: one frame per chosen epoch, frames that differ, Cancel."""
from __future__ import annotations

import os

import numpy as np
import pytest

from nnviz.core.animation import SIZE, frame_epochs
from nnviz.gui.recorder import Recorder

from ..conftest import wait_for_run

iio = pytest.importorskip("imageio.v3")
pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _trained(qtbot, window, epochs: int):
    window.step(epochs)
    return wait_for_run(qtbot, window, epochs)


def _record(qtbot, window, path, epochs, on_frame=None, **kw) -> Recorder:
    rec = Recorder(window, str(path), epochs, **kw)
    if on_frame is not None:
        rec.progress.connect(lambda *_: on_frame(rec))
    done: list = []
    rec.finished.connect(done.append)
    rec.failed.connect(lambda m: done.append(("failed", m)))
    rec.start()
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    assert done == [str(path)], done
    return rec


def test_gif_has_one_frame_per_epoch_and_the_frames_differ(qtbot, main_window, tmp_path):
    _trained(qtbot, main_window, 300)
    epochs = frame_epochs(0, 300, 6, "geometric")
    path = tmp_path / "run.gif"
    rec = _record(qtbot, main_window, path, epochs, area="plot")
    assert rec.frames == epochs
    frames = iio.imread(path, index=None)
    assert frames.shape == (6, SIZE[1], SIZE[0], 3)  # 16:9
    for a, b in zip(frames, frames[1:]):
        assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.05  # the boundary moved
    # The timeline is back at the live end, and the run is as it was.
    qtbot.waitUntil(lambda: main_window.last_snapshot.epoch == 300)
    assert not main_window.timeline.past


# The test's own reader starts ffmpeg (the writer keeps jax's fork warning quiet itself).
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")
def test_mp4_of_the_network_view(qtbot, main_window, tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    _trained(qtbot, main_window, 100)
    main_window.show_view("network")
    path = tmp_path / "net.mp4"
    headers = []
    view = main_window._views["network"].view
    # Each frame shows the network view as drawn for its own epoch, not the frame before's.
    _record(qtbot, main_window, path, frame_epochs(0, 100, 5), area="view",
            on_frame=lambda rec: headers.append((rec.frames[-1], view.header.text())))
    assert [e for e, _ in headers] == [0, 25, 50, 75, 100]
    for e, text in headers:
        assert f"epoch {e:,} " in text
    import imageio.v2 as iio2
    reader = iio2.get_reader(str(path))
    assert reader.count_frames() == 5 and reader.get_meta_data()["size"] == SIZE
    frames = [f for f in reader]
    assert not np.array_equal(frames[0], frames[-1])


def test_a_recorded_view_leaves_out_the_what_am_i_looking_at_fold(qtbot, main_window, tmp_path,
                                                                    monkeypatch):
    """`nnviz --record run.gif` (the view in front): every frame began with the "What am I
    looking at?" row over the plot, a control of the window's, and with it open its paragraph.
    A frame holds the view below it: the plot, its key and its check boxes."""
    from nnviz.gui import recorder
    w = main_window
    _trained(qtbot, w, 20)
    tab, panel = w.tabs.currentWidget(), w.explain_panels["main"]
    pictures = []

    def composed(picture, text, size=SIZE):
        pictures.append(picture.copy())
        return real(picture, text, size)
    real = recorder.compose
    monkeypatch.setattr(recorder, "compose", composed)
    for fold_open in (False, True):
        panel.set_open(fold_open)
        _record(qtbot, w, tmp_path / f"view{fold_open}.gif", [10, 20], area="view")
        picture = pictures[-1]
        below = tab.height() - (panel.geometry().bottom() + 1)
        assert panel.height() > 0 and (picture.width(), picture.height()) == (tab.width(), below)
        boundary = w.boundary.mapTo(tab, w.boundary.rect().topLeft())
        assert boundary.y() >= panel.geometry().bottom() + 1  # the plot is in the frame


def test_recording_the_same_run_twice_gives_the_same_frames(qtbot, main_window, tmp_path):
    # The frames come from the run log, not from what training happened to draw.
    # At a size with room to spare: at the window's least width (the tests' window, the
    # offscreen screen being 800 px wide; 833 px with the fit150 run bar) the timeline's
    # controls for the past, shown while recording, pushed the settings column 15 px wider,
    # and the plot drawn in the last frame differed with it.
    main_window.resize(1024, 768)
    qtbot.waitUntil(lambda: main_window.width() == 1024)
    _trained(qtbot, main_window, 200)
    epochs = [0, 50, 200]
    _record(qtbot, main_window, tmp_path / "a.gif", epochs, area="plot")
    main_window.timeline.go(120)
    qtbot.waitUntil(lambda: main_window.last_snapshot.epoch == 120)
    _record(qtbot, main_window, tmp_path / "b.gif", epochs, area="plot")
    assert np.array_equal(iio.imread(tmp_path / "a.gif", index=None),
                          iio.imread(tmp_path / "b.gif", index=None))
    qtbot.waitUntil(lambda: main_window.last_snapshot.epoch == 120)  # back where it was


def test_cancel_leaves_no_partial_file_and_the_old_one_intact(qtbot, main_window, tmp_path):
    _trained(qtbot, main_window, 200)
    path = tmp_path / "run.gif"
    path.write_bytes(b"the old animation")
    rec = Recorder(main_window, str(path), frame_epochs(0, 200, 40), area="window")
    cancelled = []
    rec.cancelled.connect(lambda: cancelled.append(True))
    rec.progress.connect(lambda done, total: rec.cancel() if done == 3 else None)
    rec.start()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=120_000)
    assert len(rec.frames) == 3
    assert path.read_bytes() == b"the old animation"
    assert os.listdir(tmp_path) == ["run.gif"]
    qtbot.waitUntil(lambda: main_window.last_snapshot.epoch == 200)


def _nnviz(*args, cwd):
    import subprocess
    import sys
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "nnviz", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=280)


def test_record_headless_writes_k_frames_and_says_nothing_on_stderr(tmp_path):
    out = _nnviz("--record", "run.gif", "--epochs", "200", "--frames", "5", "--spacing",
                 "geometric", "--area", "plot", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert "saved run.gif (5 frames, epochs 0 to 200)" in out.stdout
    frames = iio.imread(tmp_path / "run.gif", index=None)
    assert frames.shape == (5, SIZE[1], SIZE[0], 3)
    assert len({f.tobytes() for f in frames}) == 5


# The refusals run `nnviz` in this process (cli.main, as the shell's would): a process of its own
# for each, 0.7-2.7 s, proved nothing the headless recording above does not (a real process, its
# exit code and its stderr).
def test_record_refuses_a_name_that_is_not_an_animation_in_one_line(qapp, tmp_path, monkeypatch,
                                                                     capsys):
    from nnviz import cli
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--record", "run.avi", "--epochs", "10"]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and ".gif or .mp4" in err
    assert os.listdir(tmp_path) == []


def test_record_without_epochs_says_to_train_first(qapp, tmp_path, monkeypatch, capsys):
    from nnviz import cli
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--record", "run.gif"]) == 2
    err = capsys.readouterr().err
    assert "--epochs N" in err and err.startswith("nnviz: error: ")
    assert os.listdir(tmp_path) == []


def test_the_recorded_plot_fills_its_frame(qtbot, main_window, tmp_path):
    """The decision plot was grabbed at its size on the screen with its blank margins and put
    in the middle of the 1280x720 frame: about half its width and 60% of its height, its ticks
    ~10 px high under a 32 px caption. It is drawn at the frame's size: as tall as the room
    under the caption."""
    from nnviz.gui.recorder import CAPTION_SHARE
    _trained(qtbot, main_window, 100)
    path = tmp_path / "run.gif"
    _record(qtbot, main_window, path, [50, 100], area="plot")
    frame = iio.imread(path, index=None)[-1]
    bar = int(SIZE[1] * CAPTION_SHARE)
    below = frame[bar + 2:]
    ink = np.flatnonzero((below < 235).any(axis=2).any(axis=1))  # rows with anything drawn
    assert ink[-1] - ink[0] >= 0.85 * len(below), (ink[0], ink[-1], len(below))  # was 0.44


def test_a_curve_fills_the_width_of_its_frame_and_the_window_keeps_its_plot(qtbot, main_window,
                                                                             tmp_path):
    """One input (the notebook's line): no 1:1 plane to keep, so the picture is laid out at the
    frame's shape: it took the middle 550 px of a 1280x720 slide, drawn as on the screen. The
    plot on the screen keeps its size."""
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Choices, make_problem
    w = main_window
    # At a size with room to spare, as the test above: in the tests' 800 px window (the
    # offscreen screen's; the window's least is 707 since the 150% fit) the recording left the
    # main splitter 13 px to the left, the plot 391 -> 404 px wide (left for later: a splitter
    # between its parts' least sizes; at 1024 px it stays).
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    w.load_problem(make_problem(make_dataset(DataSpec("line")), Choices()))
    _trained(qtbot, w, 50)
    size = w.boundary.size()
    path = tmp_path / "line.gif"
    _record(qtbot, w, path, [50], area="plot")
    frame = iio.imread(path, index=None)[-1]
    below = frame[int(SIZE[1] * 0.1):]
    ink = np.flatnonzero((below < 235).any(axis=2).any(axis=0))  # columns with anything drawn
    assert ink[-1] - ink[0] >= 0.9 * SIZE[0], (ink[0], ink[-1])  # was 0.45
    assert w.boundary.size() == size


def test_a_frame_recorded_in_the_dark_theme_is_dark(qtbot, main_window, tmp_path):
    """On the dark theme the frame was a white canvas: a white caption bar with dark words over
    the dark plot, and white bands each side of it. The canvas and the caption's bar take the
    theme's background, the words its text colour."""
    from nnviz.gui import colors
    from nnviz.gui.recorder import CAPTION_SHARE
    try:
        colors.set_look("dark")
        _trained(qtbot, main_window, 50)
        path = tmp_path / "dark.gif"
        _record(qtbot, main_window, path, [25, 50], area="plot")
        frame = iio.imread(path, index=None)[-1].astype(int)
        bg = np.array(colors.THEMES["dark"].background)
        bar = int(SIZE[1] * CAPTION_SHARE)

        def near(rgb, ref) -> bool:
            return np.abs(np.asarray(rgb) - ref).max() <= 10  # a GIF's palette
        caption = frame[:bar - 2]
        assert near(caption[2, 2], bg) and near(caption[2, -3], bg), caption[2, 2]
        # the words: light on the dark bar
        assert caption.min(axis=2).max() >= 200, caption.min(axis=2).max()
        # the bands beside the plot (a plot drawn at the frame's height is narrower than 16:9)
        below = frame[bar + 2:]
        assert near(below[len(below) // 2, 1], bg) and near(below[len(below) // 2, -2], bg), \
            (below[len(below) // 2, 1], below[len(below) // 2, -2])
    finally:
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)


def test_the_animation_dialog_says_a_backwards_stretch_in_its_own_words(qtbot):
    """From epoch 150 to 100 said "the epochs to record must be 0 <= first <= last, got
    150..100": now the fields' names, the numbers and what would do; the note goes on an edit."""
    from PySide6.QtWidgets import QDialogButtonBox

    from nnviz.gui.record_dialog import RecordDialog
    dialog = RecordDialog(0, 200, "Network")
    qtbot.addWidget(dialog)
    dialog.first.setValue(150)
    dialog.last.setValue(100)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.note.text() == ("From epoch (150) is after To epoch (100): make From epoch "
                                  "100 or less, or To epoch 150 or more.")
    assert "<=" not in dialog.note.text() and "got" not in dialog.note.text()
    dialog.last.setValue(160)
    assert dialog.note.text() == ""
    ok.click()
    assert dialog.result() == dialog.DialogCode.Accepted
