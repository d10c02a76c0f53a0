"""nnviz.show: the window from Python, live in IPython (%gui qt), blocking in a script."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
import warnings

import numpy as np
from PySide6.QtCore import QTimer
import pytest

import nnviz
from nnviz.core.errors import NnvizError

from ..conftest import wait_for_run

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ipython_qt(monkeypatch):
    """An IPython shell with ``%gui qt`` active, as a kernel would have it."""
    shell = types.SimpleNamespace(active_eventloop="qt")
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", fake)
    return shell


def _moons():
    return nnviz.datasets.make("moons")


def test_in_ipython_with_gui_qt_show_returns_a_live_handle(qtbot, qapp, ipython_qt):
    X, y = _moons()
    shown = nnviz.show(X, y, hidden=[5], activation="tanh", seed=3)
    window = shown.window
    try:
        assert window.isVisible()
        # The window holds the arrays given and the options, ready to train (paused at 0).
        assert len(window.dataset.X) == len(X)
        assert window.current_problem().spec.hidden == (5,)
        wait_for_run(qtbot, window, 0)
        assert shown.run.epoch == 0
        window.step(40)
        wait_for_run(qtbot, window, 40)
        run = shown.run
        assert run.epoch == 40
        assert list(run.history["epoch"]) == list(range(1, 41))
        # The live run's weights: the same as training 40 epochs headless with the same options.
        ref = nnviz.train(X, y, hidden=[5], activation="tanh", seed=3, epochs=40)
        np.testing.assert_allclose(run.history["loss"], ref.history["loss"], rtol=1e-6)
        np.testing.assert_allclose(run.predict(X), ref.predict(X), atol=1e-6)
    finally:
        shown.close()
    assert shown.closed and not window_alive(window) and shown.window is None
    assert shown.run.epoch == 40  # the run as it was when the window closed


def window_alive(window) -> bool:
    import shiboken6
    return shiboken6.isValid(window) and window.isVisible()


def test_show_of_a_run_goes_on_where_it_stopped(qtbot, qapp):
    X, y = _moons()
    # the options of the test above: its headless and its window's programs
    trained = nnviz.train(X, y, hidden=[5], activation="tanh", seed=3, epochs=30)
    shown = nnviz.show(trained, block=False)
    try:
        wait_for_run(qtbot, shown.window, 30)
        again = shown.run
        assert again.epoch == 30
        np.testing.assert_array_equal(again.predict(X), trained.predict(X))
        assert trained.epoch == 30  # the caller's run is not the window's
    finally:
        shown.close()


def test_the_user_closing_the_window_keeps_the_run(qtbot, qapp):
    X, y = _moons()
    shown = nnviz.show(X, y, block=False)
    wait_for_run(qtbot, shown.window, 0)
    shown.window.step(5)
    wait_for_run(qtbot, shown.window, 5)
    # Quit (the File menu's, the close button's) asks nothing: the run goes back to the
    # script, and "Save / Discard" would have said it could be lost.
    actions = shown.window.session_actions
    asked = []

    def answer() -> None:  # a box, if one was opened: noted, and cancelled
        asked.append(actions.message_box)
        if actions.message_box is not None:
            actions.message_box.reject()
    QTimer.singleShot(0, answer)
    assert actions.unsaved_epochs() == 5 and actions.may_close()
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [None]
    shown.window.close()
    qtbot.waitUntil(lambda: shown.closed)
    assert shown.run.epoch == 5
    assert qapp is not None and not qapp.closingDown()  # the application goes on


def test_closing_at_once_gives_the_untrained_run(qtbot, qapp):
    # show then close in one cell, before the window's thread had built its model: close()
    # raised AttributeError ('NoneType' object has no attribute 'state').
    X, y = _moons()
    shown = nnviz.show(X, y, hidden=[5], seed=3, block=False)
    shown.close()
    qtbot.waitUntil(lambda: shown.closed)
    run = shown.run
    assert run.epoch == 0
    np.testing.assert_array_equal(run.predict(X),
                                  nnviz.train(X, y, hidden=[5], seed=3, epochs=0).predict(X))


def test_show_warns_of_features_in_the_hundreds_but_not_of_the_notebooks_line(qtbot, qapp):
    # The notebook's line (x from 0 to 10) as its linear regression: no hidden layer, nothing
    # to saturate, no warning. A network on floor areas and years: told to standardise.
    x = np.linspace(0., 10., 100)
    y = 2.31531 * x + 0.23412 + np.random.RandomState(42).normal(size=x.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        line = nnviz.show(x[:, None], y, hidden=[], lr=0.01, block=False)
    wait_for_run(qtbot, line.window, 0)
    line.close()
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(40, 250, 200), rng.uniform(1900, 2020, 200)])
    with pytest.warns(UserWarning, match="far from unit scale.*hidden units saturate"):
        houses = nnviz.show(X, X[:, 0] / 50 + (X[:, 1] - 1900) / 40, block=False)
    wait_for_run(qtbot, houses.window, 0)
    houses.close()
    qtbot.waitUntil(lambda: line.closed and houses.closed)


def test_show_on_arrays_far_from_unit_scale_says_so_in_the_window(qtbot, qapp):
    """X in the millions and y = 3 X: the rate came out 1.3e-12, nothing trained, and the scale
    warning went to the terminal only. The window says it too, for X and for y, with what to
    pass instead; the arrays are shown as given."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1e6, size=(100, 1))
    y = 3 * X[:, 0] + rng.normal(size=100) * 1e4
    with pytest.warns(UserWarning, match="far from unit scale"):
        big = nnviz.show(X, y, block=False)
    w = big.window
    wait_for_run(qtbot, w, 0)
    hint = w.hint.text()
    assert w.hint.isVisible()
    assert "X's features are far from unit scale" in hint and "(X - X.mean(0)) / X.std(0)" in hint
    assert "y is far from unit scale" in hint and "(y - y.mean()) / y.std()" in hint
    assert w.dataset.target_scaling is None and w.dataset.y.max() > 1e6  # trained as given
    big.close()
    # standardised X, as advised: only y is left to warn of
    with pytest.warns(UserWarning, match="y is far from unit scale"):
        half = nnviz.show((X - X.mean(0)) / X.std(0), y, block=False)
    wait_for_run(qtbot, half.window, 0)
    assert "X's features" not in half.window.hint.text()
    assert "y is far from unit scale" in half.window.hint.text()
    half.close()
    qtbot.waitUntil(lambda: big.closed and half.closed)


@pytest.mark.parametrize("args, kwargs, message", [
    ((np.zeros((10, 2)), np.zeros(9, int)), {}, "10 points and y 9"),
    ((np.full((10, 2), np.nan), np.arange(10) % 2), {}, "finite"),
    ((np.zeros((10, 2)), np.arange(10) % 2), {"activation": "nope"}, "nope"),
    ((np.zeros((10, 2)), np.arange(10) % 2), {"epochs": 5}, "Play"),
    ((), {}, "show(X, y)"),
])
def test_bad_arguments_raise_before_any_window_opens(qapp, args, kwargs, message):
    from nnviz.gui.main_window import MainWindow
    before = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
    with pytest.raises(NnvizError, match=message.replace("(", r"\(").replace(")", r"\)")):
        nnviz.show(*args, block=False, **kwargs)
    after = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
    assert len(after) == len(before)


def test_in_a_script_show_blocks_until_the_window_closes_and_returns_the_run(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        import nnviz
        from nnviz.gui.main_window import MainWindow

        def drive():
            # The script's own hand on the window: train 25 epochs, then close it.
            w = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            w.step(25)
            def close_when_done():
                s = w.last_snapshot
                if s is not None and s.epoch == 25:
                    w.close()
                else:
                    QTimer.singleShot(50, close_when_done)
            close_when_done()

        X, y = nnviz.datasets.make("moons")
        QTimer.singleShot(0, drive)  # the application is made by show: the timer waits for it
        run = nnviz.show(X, y, hidden=[3])
        print("epoch", run.epoch, len(run.history["loss"]))
        app = QApplication.instance()
        print("app alive", app is not None and not app.closingDown())
    """))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, timeout=280)
    assert out.returncode == 0, out.stderr
    assert "epoch 25 25" in out.stdout
    assert "app alive True" in out.stdout


def test_string_labels_name_the_classes_in_the_window(qtbot, qapp, ipython_qt):
    # show(X, y) with y "red" / "green": the key said "class 0 / class 1" where an import's
    # names show (the labels were recorded after the window had drawn its key).
    from nnviz.gui.hidden_space import HiddenSpaceView
    X, y = _moons()
    names = np.where(y == 1, "red", "green")
    shown = nnviz.show(X, names, hidden=[5], seed=3)
    window = shown.window
    try:
        wait_for_run(qtbot, window, 0)
        key = window.legend.text()
        assert "green" in key and "red" in key and "class 0" not in key
        assert window.boundary.colorbar.axis.labelText == "P(red)"
        window.show_view("hidden-space")
        view = window.findChildren(HiddenSpaceView)[0]
        qtbot.waitUntil(lambda: "red" in view.key.text(), timeout=30_000)
        assert "class 0" not in view.key.text()
        assert shown.run.classes == ("green", "red")
    finally:
        shown.close()
