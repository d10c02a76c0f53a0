"""app.run: the window from the command line's options, and the headless screenshot."""
from __future__ import annotations

import argparse

import pytest
from PySide6.QtGui import QImage

from nnviz.gui import app

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{**app.DEFAULTS, **kw})


def test_screenshot_trains_and_saves_the_whole_window(qapp, tmp_path, capsys):
    out = tmp_path / "shot.png"
    assert app.run(_args(screenshot=str(out), epochs=300)) == 0
    img = QImage(str(out))
    assert (img.width(), img.height()) == app.SCREENSHOT_SIZE
    assert "epoch 300" in capsys.readouterr().out
    # Not a blank picture: the heatmap's orange and blue are in it.
    colors = {img.pixelColor(x, y).name() for x in range(700, 1390, 23) for y in range(120, 860, 23)}
    assert len(colors) > 20


def test_screenshot_takes_the_train_options(qapp, tmp_path, capsys):
    out = tmp_path / "spiral.png"
    code = app.run(_args(screenshot=str(out), epochs=10, dataset="multiclass", classes=4,
                         loss="cross-entropy", output_activation="softmax", hidden=(8,),
                         activation="tanh", optimizer="adam", lr=0.03))
    assert code == 0 and out.exists()


def test_unknown_view_is_a_clear_error(qapp, tmp_path, capsys):
    code = app.run(_args(screenshot=str(tmp_path / "x.png"), show="nope"))
    err = capsys.readouterr().err
    assert code == 2 and "unknown view 'nope'" in err and "main" in err
    assert not (tmp_path / "x.png").exists()


def test_bad_options_are_one_line_errors(qapp, tmp_path, capsys):
    code = app.run(_args(screenshot=str(tmp_path / "x.png"), dataset="multiclass", loss="bce"))
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("nnviz: error: ") and "bce" in err
    assert "Traceback" not in err
    code = app.run(_args(screenshot=str(tmp_path / "missing" / "x.png")))
    assert code == 2 and "no such folder" in capsys.readouterr().err


def test_problem_from_args_is_the_notebooks_by_default():
    from nnviz.core.data import DataSpec
    from nnviz.core.network import NetworkSpec
    from nnviz.core.training import TrainConfig
    p = app.problem_from_args(argparse.Namespace())
    assert p.source == DataSpec("moons").resolved() and p.spec == NetworkSpec()
    assert p.config == TrainConfig() and p.params is None and p.seed == 0


def test_the_window_from_the_command_line_fits_its_defaults_to_the_data():
    p = app.problem_from_args(argparse.Namespace(dataset="line"))
    assert p.spec.output_activation == "linear" and p.config.learning_rate < 1.0
    p = app.problem_from_args(argparse.Namespace(dataset="line", lr=0.2,
                                                 output_activation="tanh"))
    assert p.spec.output_activation == "tanh" and p.config.learning_rate == 0.2


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen: raise_()
def test_epochs_without_a_screenshot_opens_on_the_trained_run(qapp, monkeypatch):
    """`nnviz --epochs 300` opens the window and trains 300 epochs (it opened at epoch 0)."""
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.main_window import MainWindow
    from tests.conftest import FIRST_SNAPSHOT_MS
    seen = []

    def exec_until_trained(self):  # the user's session: until the window shows epoch 300
        # The window this run shows: an earlier test's, closed but not yet deleted in this
        # process, is a top-level MainWindow too (picked first, it never trained to 300).
        w = next(t for t in QApplication.topLevelWidgets()
                 if isinstance(t, MainWindow) and t.isVisible())
        from pytestqt.qtbot import QtBot
        QtBot(None).waitUntil(lambda: w.last_snapshot is not None
                              and w.last_snapshot.epoch == 300, timeout=FIRST_SNAPSHOT_MS)
        seen.append((w.last_snapshot.epoch, w.controls.epoch.text(), w.playing))
        return 0
    monkeypatch.setattr(QApplication, "exec", exec_until_trained)
    monkeypatch.setattr(app, "restores_work", lambda args: False)
    assert app.run(_args(epochs=300)) == 0
    assert seen == [(300, "Epoch 300", False)]


def test_a_preset_opens_as_its_menu_loads_it(qapp, tmp_path, monkeypatch):
    # `nnviz --preset NAME`: the preset's problem and weights, its note over the plot and its
    # stop, as Presets > NAME gives them (one definition: core/presets.py).
    from nnviz.core import presets
    seen = {}

    def look(app_, window, path, *rest, **kw):
        seen.update(hint=window.hint.text(), stop=window.controls.stop_at_value())
        return 0
    monkeypatch.setattr(app, "_screenshot", look)
    p = presets.get("deep-linear")
    assert app.run(_args(screenshot=str(tmp_path / "p.png"), preset="deep-linear")) == 0
    assert seen["hint"].startswith(p.title) and p.note in seen["hint"]
    assert seen["stop"] == p.epochs


def test_a_presets_picture_trained_some_epochs_says_no_press_play(qapp, tmp_path, monkeypatch):
    """`nnviz --screenshot x.png --preset spiral --epochs 30`: the picture, trained 30 epochs,
    kept "Press Play (Space): it stops at epoch 3,000" over its plot. Its note now says
    where the result shows; the preset's stop is kept, and a picture of epoch 0 (no
    --epochs) still asks for Play."""
    from nnviz.core import presets
    from nnviz.gui.main_window import MainWindow
    seen = []
    real = MainWindow.grab
    monkeypatch.setattr(MainWindow, "grab", lambda self, *a: (
        seen.append((self.hint.text(), self.hint.isVisible(), self.last_snapshot.epoch,
                     self.controls.stop_at_value())), real(self, *a))[1])
    p = presets.get("spiral")
    assert app.run(_args(screenshot=str(tmp_path / "p.png"), preset="spiral", epochs=30)) == 0
    text, shown, epoch, stop = seen[-1]
    assert epoch == 30 and stop == p.epochs and shown
    assert text.startswith(p.title) and "Press Play" not in text, text
    assert f"epoch {p.epochs:,}" in text
    assert app.run(_args(screenshot=str(tmp_path / "q.png"), preset="spiral")) == 0
    assert "Press Play (Space)" in seen[-1][0]


def test_the_views_the_command_line_knows_are_the_windows(main_window):
    # nnviz.view_names checks --show before the imports (review r25 F11): its names must be
    # the window's views and lesson pages, no more and no fewer.
    from nnviz.view_names import VIEW_NAMES
    w = main_window
    assert sorted(VIEW_NAMES) == sorted([*w.view_names(), *w._view_aliases])
