"""`nnviz --open FILE.nnviz` reaches the window: the session is opened before the first frame."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
