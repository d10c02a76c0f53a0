"""The app ends when its last window closes, even when Qt still counts another top-level
window as open (a reviewer's Quit -> Discard once left the process running, nothing on screen)."""
from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
import nnviz.gui.main_window as mw

shown = mw.MainWindow.show
stray = []

def show(self):
    shown(self)
    w = QWidget()  # a visible top-level window that is not nnviz's: Qt's own quit waits for it
    w.resize(40, 40)
    w.show()
    stray.append(w)
    QTimer.singleShot(300, self.close)

mw.MainWindow.show = show
from nnviz.cli import main
code = main([])
print("exited", code, flush=True)
sys.exit(code)
"""


def test_the_app_ends_when_its_last_window_closes(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               NNVIZ_SETTINGS=str(tmp_path / "settings.ini"))
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                             text=True, timeout=240)
    except subprocess.TimeoutExpired:
        raise AssertionError("the window closed but the app went on running") from None
    assert out.returncode == 0, out.stderr[-2000:]
    assert "exited 0" in out.stdout
