"""File -> Export: a Python script, a notebook, ONNX and an animation, from the window; errors
are shown in the window and the session stays as it was."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QProgressDialog, QPushButton

from ..conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _menu_texts(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.session_actions.export_menu.actions()]


def _trained(qtbot, window, epochs=50):
    window.step(epochs)
    return wait_for_run(qtbot, window, epochs)


def test_the_export_menu_has_script_notebook_onnx_and_animation(main_window):
    texts = _menu_texts(main_window)
    for item in ("Python script...", "Notebook (.ipynb)...", "ONNX model...",
                 "Animation (GIF, MP4)..."):
        assert item in texts


def test_script_export_from_the_window_trains_the_live_run_again(qtbot, main_window, tmp_path):
    _trained(qtbot, main_window, 200)
    path = tmp_path / "run.py"
    with qtbot.waitSignal(main_window.session_actions.exported, timeout=60_000):
        main_window.session_actions.export_code("script", str(path))
    text = path.read_text()
    assert "epochs = 200" in text and "w.T @ X + b" in text


def test_onnx_export_from_the_window_gives_the_live_networks_outputs(qtbot, main_window,
                                                                     tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    s = _trained(qtbot, main_window, 100)
    path = tmp_path / "moons.onnx"
    with qtbot.waitSignal(main_window.session_actions.exported, timeout=60_000):
        main_window.session_actions.export_onnx(str(path))
    X = main_window.dataset.X.astype(np.float32)
    a = X
    for w, b in s.params:  # the notebook's network: sigmoid everywhere
        a = 1 / (1 + np.exp(-(a @ w + np.reshape(b, -1))))
    out = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
        ["Y"], {"X": X})[0]
    np.testing.assert_allclose(out, a, atol=1e-5)


def test_onnx_without_the_package_says_how_to_get_it_and_keeps_the_run(qtbot, main_window,
                                                                       tmp_path, monkeypatch):
    _trained(qtbot, main_window, 30)
    monkeypatch.setitem(sys.modules, "onnx", None)
    main_window.session_actions.export_onnx_dialog()  # says so before asking for a file
    assert "pip install 'nnviz[onnx]'" in main_window.session_actions.last_message
    assert "nnviz[onnx]" in main_window.session_actions._onnx_tip()
    main_window.step(1)
    wait_for_run(qtbot, main_window, 31)  # the session goes on


def test_an_export_that_cannot_be_written_is_shown_and_the_session_stays(qtbot, main_window,
                                                                        tmp_path):
    _trained(qtbot, main_window, 20)
    folder = tmp_path / "a-folder.py"
    folder.mkdir()
    main_window.session_actions.export_code("script", str(folder))
    qtbot.waitUntil(lambda: "a-folder.py" in main_window.session_actions.last_message,
                    timeout=60_000)
    assert main_window.session_actions.message_box is not None
    main_window.step(1)
    wait_for_run(qtbot, main_window, 21)


def test_recording_from_the_window_shows_progress_and_cancel_writes_nothing(qtbot, main_window,
                                                                          tmp_path):
    pytest.importorskip("imageio")
    _trained(qtbot, main_window, 100)
    path = tmp_path / "run.gif"
    actions = main_window.session_actions
    rec = actions.record(str(path), list(range(0, 101, 5)), area="plot")
    assert rec is not None
    progress = actions.record_progress
    assert isinstance(progress, QProgressDialog) and progress.maximum() == 21
    # The dialog's Cancel, pressed as the second frame is done.
    button = progress.findChild(QPushButton)
    assert button.text() == "Cancel"
    rec.progress.connect(lambda done, total: button.click() if done == 2 else None)
    qtbot.waitUntil(lambda: not rec.running, timeout=60_000)
    assert rec.frames == [0, 5]
    assert "nothing was written" in actions.last_message
    assert os.listdir(tmp_path) == []
    qtbot.waitUntil(lambda: main_window.last_snapshot.epoch == 100)


def test_recording_from_the_window_writes_the_file(qtbot, main_window, tmp_path):
    pytest.importorskip("imageio")
    _trained(qtbot, main_window, 60)
    path = tmp_path / "run.gif"
    with qtbot.waitSignal(main_window.session_actions.exported, timeout=120_000):
        main_window.session_actions.record(str(path), [0, 30, 60], area="window")
    import imageio.v3 as iio
    assert iio.imread(path, index=None).shape[0] == 3
