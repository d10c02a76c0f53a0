"""--screenshot --size WxH --presentation, and a screenshot that prints nothing on stderr."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from nnviz import cli
from nnviz.gui import app

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{**app.DEFAULTS, **kw})


def test_size_and_presentation_shape_the_picture(qapp, tmp_path, capsys):
    normal, shown = tmp_path / "normal.png", tmp_path / "presentation.png"
    assert app.run(_args(screenshot=str(normal), size=(1024, 768))) == 0
    assert app.run(_args(screenshot=str(shown), size=(1024, 768), presentation=True)) == 0
    a, b = QImage(str(normal)), QImage(str(shown))
    assert (a.width(), a.height()) == (b.width(), b.height()) == (1024, 768)
    # Presentation mode folds the settings away: the left column's top differs.
    assert a.copy(0, 60, 300, 200) != b.copy(0, 60, 300, 200)


@pytest.mark.parametrize("text, words", [("1024", "WxH"), ("10x10", "at least"),
                                         ("axb", "WxH"), ("100000x768", "at most")])
def test_a_bad_size_is_a_one_line_error(capsys, text, words):
    assert cli.main(["--screenshot", "x.png", "--size", text]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnviz: error: ") and words in err and err.count("\n") == 1


def test_a_screenshot_prints_nothing_on_stderr(tmp_path):
    out = tmp_path / "quiet.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # its own default
    r = subprocess.run([sys.executable, "-m", "nnviz", "--screenshot", str(out), "--epochs", "20",
                        "--size", "1280x720", "--presentation"], capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0 and out.exists()
    assert r.stderr == ""
    assert "saved" in r.stdout


def test_a_screenshot_of_lesson_5_prints_nothing_on_stderr(tmp_path):
    """Its three planes' ranges were float32: pyqtgraph's range check printed nine "overflow
    encountered in cast" warnings."""
    out = tmp_path / "lesson.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    r = subprocess.run([sys.executable, "-m", "nnviz", "--screenshot", str(out), "--epochs", "5",
                        "--size", "1024x768", "--show", "lesson-5"], capture_output=True,
                       text=True, env=env, timeout=600)
    assert r.returncode == 0 and out.exists()
    assert r.stderr == ""


def test_a_session_saved_in_the_past_trains_on_from_its_live_end(qapp, tmp_path, capsys):
    # It opens showing the epoch it was saved at (12 of 30); --epochs 20 trains from the live
    # end, 30, and the picture is taken once the 20 are done, not once epoch 12 + 20 is passed.
    from nnviz.core import runlog
    from nnviz.core.problem import notebook_problem
    from nnviz.core.session import Session
    t = notebook_problem().make_trainer()
    log = runlog.RunLog()
    runlog.advance(t, log, 30)
    path = tmp_path / "past.nnviz"
    Session.from_trainer(t, run=runlog.Run(log), shown_epoch=12).save(path)
    shot = tmp_path / "s.png"
    assert app.run(_args(screenshot=str(shot), open=str(path), epochs=20)) == 0
    assert f"saved {shot} (epoch 50)" in capsys.readouterr().out


def test_stop_at_from_the_command_line_sets_the_field(qapp, tmp_path, monkeypatch):
    from nnviz.gui import main_window
    seen = []
    real = main_window.MainWindow.set_stop_at
    monkeypatch.setattr(main_window.MainWindow, "set_stop_at",
                        lambda self, n: (seen.append(n), real(self, n)))
    assert cli.main(["--screenshot", str(tmp_path / "s.png"), "--stop-at", "1000"]) == 0
    assert seen == [1000]


def test_the_help_of_show_names_every_view():
    from nnviz.cli import build_parser
    from nnviz.gui.views import REGISTRY
    show = next(a for a in build_parser()._actions if a.dest == "show")
    named = {w.strip(" ,") for w in show.help.replace(":", ",").split()}
    assert {e.name for e in REGISTRY} <= named, {e.name for e in REGISTRY} - named


@pytest.mark.parametrize("option", ["--screenshot", "--record"])
def test_compare_without_a_sweep_refuses_to_train_at_once(tmp_path, capsys, monkeypatch, option):
    """While Compare is shown Step drives the sweep: without --sweep the picture waited forever
    for epochs that never came (10 minutes of nothing)."""
    out = tmp_path / ("c.png" if option == "--screenshot" else "c.gif")
    def no_window(*a, **kw):
        raise AssertionError("refused before any window")
    monkeypatch.setattr(app, "problem_from_args", no_window)
    assert cli.main([option, str(out), "--show", "compare", "--epochs", "300"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnviz: error: ") and err.count("\n") == 1
    assert "--sweep" in err and "lr" in err
    assert not out.exists()


def test_compare_without_a_sweep_at_epoch_0_shows_the_empty_view(qapp, tmp_path):
    out = tmp_path / "empty.png"
    assert app.run(_args(screenshot=str(out), show="compare", epochs=0)) == 0
    assert out.exists()
