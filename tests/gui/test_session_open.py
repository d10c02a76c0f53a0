"""`nnviz --open FILE.nnviz` reaches the window: the session is opened before the first frame."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from nnviz.cli import main  # noqa: E402


def test_open_from_the_command_line_shows_the_saved_epoch(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    session = tmp_path / "run.nnviz"
    assert main(["train", "--epochs", "7", "--hidden", "3", "--save", str(session)]) == 0
    capsys.readouterr()
    png = tmp_path / "shot.png"
    code = main(["--open", str(session), "--screenshot", str(png)])
    out, err = capsys.readouterr()
    assert code == 0, err
    # The picture is of the opened run (epoch 7, its 2-3-1 network), not the default problem.
    assert f"saved {png} (epoch 7)" in out
    assert QImage(str(png)).width() >= 1200


def test_open_a_broken_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.nnviz"
    bad.write_text("not a session")
    code = main(["--open", str(bad)])
    _, err = capsys.readouterr()
    assert code == 2 and err == f"nnviz: error: {bad}: not an nnviz session (not a zip file)\n"


@pytest.mark.parametrize("show, expected", [((), "network"), (("--show", "gradients"), "gradients")],
                         ids=["saved-view", "asked-view"])
def test_open_from_the_command_line_shows_the_view_it_was_saved_on(tmp_path, capsys, monkeypatch,
                                                                  show, expected):
    # `nnviz --open FILE` opened on Data & model whatever tab the session was saved on, while
    # File > Open reopened it (review r27 F2: --show's default, main, was taken as asked for).
    from nnviz.core.session import load as load_session
    from nnviz.gui import app
    monkeypatch.setenv("NNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    session = tmp_path / "run.nnviz"
    assert main(["train", "--epochs", "7", "--hidden", "3", "--save", str(session)]) == 0
    saved = load_session(session)
    saved.extras["view"] = "network"  # as the window saves it with the Network tab in front
    saved.save(session)
    seen = []
    monkeypatch.setattr(app, "_screenshot",
                        lambda app_, window, *rest, **kw: seen.append(window.current_view()) or 0)
    assert main(["--open", str(session), "--screenshot", str(tmp_path / "s.png"), *show]) == 0
    assert seen == [expected]
