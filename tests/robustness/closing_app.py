"""Run by test_closing.py in a subprocess (not a test module): start nnviz through its real
command line ``N`` times in this process and close the window during training (``training``) or
while its first model compiles (``compile``, a never-seen shape each time). Exits with the
largest exit code of the runs and prints them on stdout."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402

from nnviz import cli  # noqa: E402
from nnviz.gui import main_window  # noqa: E402

mode, runs = sys.argv[1], int(sys.argv[2])
closed_at: list[str] = []
_init = main_window.MainWindow.__init__


def _init_and_plan_the_close(self, *args, **kwargs) -> None:
    _init(self, *args, **kwargs)
    if mode == "compile":
        def close_while_compiling() -> None:
            closed_at.append("compile" if self.last_snapshot is None else "after compile")
            self.close()
        QTimer.singleShot(30, close_while_compiling)
        return

    def tick() -> None:  # play once the model is drawn; close once it has trained a little
        s = self.last_snapshot
        if s is None:
            return
        if not self.playing and s.epoch == 0:
            self.play()
        elif self.playing and s.epoch > 20:
            timer.stop()
            closed_at.append(f"training, epoch {s.epoch}")
            self.close()
    timer = QTimer(self)
    timer.timeout.connect(tick)
    timer.start(5)


main_window.MainWindow.__init__ = _init_and_plan_the_close

codes = []
for i in range(runs):
    hidden = str(3 + i) if mode == "compile" else "4,10,4"
    codes.append(cli.main(["--hidden", hidden, "--seed", str(i)]))
print(codes)
print(closed_at)
sys.exit(max(codes))
