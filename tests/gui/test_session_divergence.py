"""What a run says after a divergence -- the banner's explanation, the epoch counter's "Epoch N"
of the weights put back with "restored" under it -- belongs to the run: it comes back with a
reopened session and with a branch switched back to (reviewers: both were lost)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from .test_session_actions import TIMEOUT, wait_run, win  # noqa: E402,F401
from .test_session_undo import _banner_says_divergence, _diverge, _open_with_the_menu, _save  # noqa: E402


def test_a_reopened_session_says_what_its_divergence_said(win, qtbot, tmp_path, monkeypatch):
    w, actions = win
    epoch = _diverge(qtbot, w)
    qtbot.waitUntil(lambda: "restored" in w.controls.epoch.text(), timeout=TIMEOUT)
    banner, counter = w.banner.text(), w.controls.epoch.text()
    path = tmp_path / "diverged.nnviz"
    _save(qtbot, actions, path)
    w.reset()  # another run in between: nothing of the first is left in the window
    wait_run(qtbot, w, 0)
    assert not w.banner.isVisible() and "restored" not in w.controls.epoch.text()

    _open_with_the_menu(qtbot, actions, monkeypatch, path)
    wait_run(qtbot, w, epoch)
    qtbot.waitUntil(lambda: _banner_says_divergence(w), timeout=TIMEOUT)
    assert w.banner.text() == banner
    assert w.controls.epoch.text() == counter


def test_the_banner_shows_a_message_as_written(main_window):
    # A divergence message read back from a session file (or an error's text with a "<" in it)
    # was given to Qt's guess of rich text: "<b>" or "<a href>" in it would have been markup.
    from PySide6.QtCore import Qt
    w = main_window
    w._show_banner("loss < 1e-3 after <b>epoch</b> 2")
    assert w.banner.textFormat() == Qt.TextFormat.PlainText
    assert w.banner.text() == "loss < 1e-3 after <b>epoch</b> 2"
