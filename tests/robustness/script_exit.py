"""Run by test_closing.py in a subprocess (not a test module): a learner's own script that builds
the window itself, shows the Backprop view in presentation mode, trains a little, turns
presentation mode off, closes the window and leaves the event loop -- and then simply ends,
without nnviz's ``tear_down``. Left to the interpreter's exit, the window's pyqtgraph items were
deleted in an order that crashed with SIGSEGV in about half the runs. Prints whether the window
was deleted before the interpreter began to take itself apart."""
from __future__ import annotations

import atexit
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.gui.main_window import MainWindow  # noqa: E402

# atexit runs its functions last-registered first: this one, registered before the window
# exists, runs after anything the window registered.
atexit.register(lambda: print("window deleted before exit:", not shiboken6.isValid(window),
                              flush=True))

app = QApplication([])
window = MainWindow()
window.show()
window.show_view("backprop")
window.set_presentation(True)


def tick() -> None:
    s = window.last_snapshot
    if s is None:
        return
    if not window.playing:
        window.play()
    elif s.epoch > 20:
        timer.stop()
        window.set_presentation(False)
        window.close()
        app.quit()


timer = QTimer()
timer.timeout.connect(tick)
timer.start(5)
app.exec()
print("left the event loop at epoch", window.last_snapshot.epoch, flush=True)
