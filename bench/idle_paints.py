"""Paints of the Backprop tab's point plot while the window sits idle in presentation mode at
1024x768 (the moons preset, the stage of the links' gradients), and after presentation mode is
turned off and on again: an idle plot should not be painted at all.

    python bench/idle_paints.py

Prints one line per phase: the plot's paints in 2 idle seconds. With ticks picked by the
axis's length in pixels, each width of the numbers gave a view box whose ticks had the other
width: it went 198x103 -> 180x114 -> 198x103 ..., and the idle window painted the plot 98-114
times in 2 s (~30% of a core). Its ticks are now one step for the data set whatever the plot's
size (a61e0b9, ``steady_ticks``, review r25 F5): 0. (Keeping the axes' widest room instead,
``autoReduceTextSpace=False``, also gave 0, but took room the formulas beside the plot need.)
"""
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(__file__))
import _fresh  # noqa: E402  (a settings file of its own: the window a new user sees)

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> None:
    app = QApplication([])
    from nnviz.gui.main_window import MainWindow
    w = MainWindow()
    w.resize(1024, 768)
    w.show()

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    spin(3)
    w.session_actions.preset_actions["moons"].trigger()
    w.set_presentation(True)
    w.show_view("backprop")
    w.resize(1024, 768)
    spin(15)
    view = w._inspection_views["backprop"]
    for _ in range(3):
        view.next.click()
    spin(3)

    class Count(QObject):
        n = 0

        def eventFilter(self, obj, event):  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                Count.n += 1
            return False
    counter = Count()
    view.plot.viewport().installEventFilter(counter)

    def measure(tag: str) -> None:
        Count.n = 0
        spin(2)
        print(f"{tag}: {Count.n} paints of the point plot in 2 idle seconds", flush=True)
    measure("presentation mode")
    for on in (False, True, False, True):
        w.set_presentation(on)
        spin(4)
        measure("presentation mode" if on else "normal mode")
    w.close()


if __name__ == "__main__":
    main()
