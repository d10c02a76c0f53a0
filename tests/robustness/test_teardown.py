"""Issue 17 item 10: ``nnviz --screenshot FILE --show gradients`` died with SIGSEGV at interpreter
exit in a few runs out of 30: the window's pyqtgraph items were left for PySide to delete while
Python was being torn down. The window now goes before ``run`` returns: the training thread
stopped, the run's device arrays dropped, the Qt objects deleted. (bench/screenshot_exits.py runs
the real command many times in a row and counts exit codes: the crash itself is too rare to be a
test's verdict.)"""
from __future__ import annotations

import argparse

import pytest
import shiboken6

from nnviz.gui import app, main_window

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.mark.parametrize("show", ["gradients", "network", "main"])
def test_a_screenshot_deletes_its_window_before_returning(qapp, tmp_path, monkeypatch, show):
    made = []
    init = main_window.MainWindow.__init__

    def keep(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(main_window.MainWindow, "__init__", keep)
    path = tmp_path / "shot.png"
    args = argparse.Namespace(screenshot=str(path), show=show, epochs=3)
    assert app.run(args) == 0 and path.stat().st_size > 0
    (window,) = made
    assert not shiboken6.isValid(window), "the window was left for the interpreter's exit"
    loop = window.worker.loop
    assert not window.worker.is_running()
    assert loop.trainer is None and not loop.probes and loop.grid_points is None


def test_tear_down_is_safe_twice_and_on_a_window_that_is_gone(qapp):
    window = main_window.MainWindow(install_extras=True)
    app.tear_down(window)
    app.tear_down(window)
    assert not shiboken6.isValid(window)
