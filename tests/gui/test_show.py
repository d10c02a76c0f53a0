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

# block=False with no event loop running warns (the window would not draw in a script); the
# tests run the loop themselves through qtbot's waits.
NO_LOOP = "no Qt event loop runs here"
pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"),
              pytest.mark.filterwarnings(f"ignore:.*{NO_LOOP}:UserWarning")]


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
    with pytest.raises(NnvizError, match="block must be True, False or None"):
        nnviz.show(X, y, block="no")  # was taken as True: the shell blocked
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=f".*{NO_LOOP}")  # a loop runs: no warning
        shown = nnviz.show(X, y, hidden=[5], activation="tanh", seed=3, block=False)
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
    # A script's show(block=False) got a window that never drew, and no word of why.
    with pytest.warns(UserWarning, match=NO_LOOP):
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


def test_show_standardises_features_in_the_hundreds_but_not_the_notebooks_line(qtbot, qapp):
    # The notebook's line (x from 0 to 10) as its linear regression: no hidden layer, nothing
    # to saturate, trained as given without a word. A network on floor areas and years: their
    # features standardised as a CSV import's, and said.
    x = np.linspace(0., 10., 100)
    y = 2.31531 * x + 0.23412 + np.random.RandomState(42).normal(size=x.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message=f".*{NO_LOOP}")  # (the tests run the loop)
        line = nnviz.show(x[:, None], y, hidden=[], lr=0.01, block=False)
    wait_for_run(qtbot, line.window, 0)
    assert line.window.dataset.scaling is None
    line.close()
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(40, 250, 200), rng.uniform(1900, 2020, 200)])
    with pytest.warns(UserWarning, match="The features were standardised"):
        houses = nnviz.show(X, X[:, 0] / 50 + (X[:, 1] - 1900) / 40, block=False)
    wait_for_run(qtbot, houses.window, 0)
    assert houses.window.dataset.feature_names == ("x1 (standardised)", "x2 (standardised)")
    houses.close()
    qtbot.waitUntil(lambda: line.closed and houses.closed)


def _house_prices():
    """house.csv's columns as arrays: area_m2 (50-250), price_k = 1.5 area + noise (75-375)."""
    rng = np.random.default_rng(0)
    area = rng.uniform(50, 250, 100)
    return area[:, None], 1.5 * area + rng.normal(0, 10, 100)


def test_show_on_house_prices_standardises_as_the_csv_import_and_fits(qtbot, qapp):
    """nnviz.show(X, y) on house prices (75-375) fitted a flat line at the mean (R² -6.1 after
    300 epochs) under a warning. As File > Import on the same numbers: standardised, said
    over the plot in the import's words, R² over 0.9 after 300 epochs; the arrays untouched,
    the Run's predictions in prices."""
    X, y = _house_prices()
    X0, y0 = X.copy(), y.copy()
    with pytest.warns(UserWarning, match="The target was standardised"):
        shown = nnviz.show(X, y, block=False)
    w = shown.window
    wait_for_run(qtbot, w, 0)
    m, s = w.dataset.target_scaling
    hint = w.hint.text()
    assert w.hint.isVisible()
    assert "The features were standardised" in hint and "x1 = (value \u2212 155" in hint
    assert f"y = (value \u2212 {m:.4g}) / {s:.4g}; the losses and the plot are in these " \
           "standardised units" in hint and "raw_targets=True keeps them" in hint
    assert "Warning" not in hint
    assert "target standardised" in w.data_panel.task.text()
    w.step(300)
    wait_for_run(qtbot, w, 300)
    run = shown.run
    assert run.metrics["train_accuracy"] > 0.9 and run.metrics["test_accuracy"] > 0.9
    got = np.asarray(run.predict(X), np.float64).ravel()
    assert 1 - np.mean((got - y) ** 2) / np.var(y) > 0.9  # prices, not standardised values
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    shown.close()
    qtbot.waitUntil(lambda: shown.closed)


def test_show_with_raw_targets_keeps_them_and_warns_in_the_window(qtbot, qapp):
    """raw_targets=True / raw_features=True (--raw-targets, --raw-features): trained as given,
    and the window says what that does and how to leave it."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1e6, size=(100, 1))
    y = 3 * X[:, 0] + rng.normal(size=100) * 1e4
    with pytest.warns(UserWarning, match="far from unit scale and kept as given"):
        big = nnviz.show(X, y, block=False, raw_targets=True, raw_features=True)
    w = big.window
    wait_for_run(qtbot, w, 0)
    hint = w.hint.text()
    assert "Warning: x1 (mean" in hint and "leave out raw_features=True" in hint
    assert "Warning: the target y (mean" in hint and "leave out raw_targets=True" in hint
    assert w.dataset.target_scaling is None and w.dataset.y.max() > 1e6  # trained as given
    big.close()
    # the features standardised, the target kept: only the target is warned of
    with pytest.warns(UserWarning, match="The features were standardised"):
        half = nnviz.show(X, y, block=False, raw_targets=True)
    wait_for_run(qtbot, half.window, 0)
    hint = half.window.hint.text()
    assert "The features were standardised" in hint and "Warning: x1" not in hint
    assert "Warning: the target y" in hint
    half.close()
    qtbot.waitUntil(lambda: big.closed and half.closed)


@pytest.mark.parametrize("args, kwargs, message", [
    ((np.zeros((10, 2)), np.zeros(9, int)), {}, "10 points and y 9"),
    ((np.full((10, 2), np.nan), np.arange(10) % 2), {}, "finite"),
    ((np.zeros((10, 2)), np.arange(10) % 2), {"activation": "nope"}, "nope"),
    ((np.zeros((10, 2)), np.arange(10) % 2), {"epochs": 5}, "Play"),
    ((), {}, "show(X, y)"),
    ((np.zeros((10, 2)), np.arange(10) % 2), {"raw_targets": "no"}, "raw_targets must be True"),
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
