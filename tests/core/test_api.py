"""The Python API (nnviz.train, nnviz.load, nnviz.datasets, nnviz.Run): the numbers of
``nnviz train``, the notebook's layout, sessions, and clear errors for bad arguments."""
import csv
import json
import os
import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pytest

import nnviz
from nnviz.cli import main
from nnviz.core.errors import NnvizError
from nnviz.core.session import load as load_session

from .test_export import script_predict


def _write_csv(path, X, y):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"x{i + 1}" for i in range(X.shape[1])] + ["y"])
        for row, t in zip(X, y):  # repr of the float32 values as float64: read back exactly
            w.writerow([repr(float(v)) for v in row] + [repr(t.item())])


def _history(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return np.array([int(r[0]) for r in rows]), np.array([float(r[1]) for r in rows], np.float32)


def _cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize("data, options, flags", [
    ("moons", {}, []),
    ("moons", {"optimizer": "adam", "lr": 0.05, "batch_size": 16, "hidden": [8],
               "activation": "tanh"},
     ["--optimizer", "adam", "--lr", "0.05", "--batch-size", "16", "--hidden", "8",
      "--activation", "tanh"]),
    ("sine", {"seed": 3, "test_fraction": 0.3}, ["--seed", "3", "--test-fraction", "0.3"]),
])
def test_train_gives_the_losses_of_nnviz_train_on_the_same_arrays(capsys, tmp_path, data,
                                                                  options, flags):
    X, y = nnviz.datasets.make(data)
    csv_path, hist = tmp_path / "d.csv", tmp_path / "h.csv"
    _write_csv(csv_path, X, y)
    _cli(capsys, "train", "--data", str(csv_path), "--epochs", "300", "--history", str(hist),
         *flags)
    epochs, losses = _history(hist)
    run = nnviz.train(X, y, epochs=300, **options)
    assert run.task == ("regression" if data == "sine" else "classification")
    np.testing.assert_array_equal(run.history["epoch"], epochs)
    np.testing.assert_array_equal(run.history["loss"], losses)


def test_made_moons_trained_from_python_equal_nnviz_train_dataset_moons(capsys, tmp_path):
    hist = tmp_path / "h.csv"
    _cli(capsys, "train", "--dataset", "moons", "--epochs", "200", "--history", str(hist))
    run = nnviz.train(*nnviz.datasets.make("moons"), epochs=200)
    np.testing.assert_array_equal(run.history["loss"], _history(hist)[1])


def test_datasets_make_returns_nnviz_points_in_sklearns_order():
    from sklearn.datasets import make_moons
    X, y = nnviz.datasets.make("moons")
    Xs, ys = make_moons(200, noise=0.1, random_state=0)
    assert X.shape == (200, 2) and X.dtype == np.float32
    np.testing.assert_array_equal(X, Xs.astype(np.float32))
    np.testing.assert_array_equal(y, ys)
    X2, y2 = nnviz.datasets.make("Spiral", samples=50, noise=0.0, seed=4)
    assert X2.shape == (50, 2) and set(np.unique(y2)) == {0, 1}
    Xr, yr = nnviz.datasets.make("line")
    assert Xr.shape == (100, 1) and yr.dtype == np.float32


def test_params_are_the_notebooks_layout_and_predict_is_their_forward_pass():
    X, y = nnviz.datasets.make("moons")
    run = nnviz.train(X, y, epochs=50)
    assert [(w.shape, b.shape) for w, b in run.params] == [
        ((2, 4), (4, 1)), ((4, 10), (10, 1)), ((10, 4), (4, 1)), ((4, 1), (1, 1))]
    A = X.T  # the notebook: a point per column, w.T @ A + b, sigmoid after every layer
    for w, b in run.params:
        A = 1 / (1 + np.exp(-(w.T @ A + b)))
    p = run.predict(X)
    assert p.shape == (200, 1)
    np.testing.assert_allclose(p[:, 0], A[0], rtol=1e-5, atol=1e-6)


def test_history_and_metrics_hold_what_was_measured():
    run = nnviz.train(*nnviz.datasets.make("moons"), epochs=400)
    h = run.history
    assert list(h["epoch"]) == list(range(1, 401)) and h["loss"].dtype == np.float32
    assert h["loss"][-1] < h["loss"][0]
    n = len(h["test_epoch"])
    assert n > 10 and len(h["test_loss"]) == len(h["train_accuracy"]) == len(h["test_accuracy"]) == n
    assert np.all(np.diff(h["test_epoch"]) > 0) and h["test_epoch"][-1] == 401
    # Both curves start at epoch 1, as in the window: the initial weights' test loss beside
    # their train loss (r16 #7), and every one of the first epochs measured (r15 #7).
    assert list(h["test_epoch"][:32]) == list(range(1, 33))
    assert np.all((0 <= h["test_accuracy"]) & (h["test_accuracy"] <= 1))
    assert run.epoch == 400 and run.metrics["train_accuracy"] > 0.8
    assert run.metrics["test_loss"] == pytest.approx(h["test_loss"][-1])


def test_regression_and_labels_that_are_not_0_to_k(tmp_path):
    X = np.linspace(-1, 1, 40)  # one feature: a 1-D X is a column
    run = nnviz.train(X, 2 * X + 1, hidden=[3], epochs=200)
    assert run.task == "regression" and run.predict(X).shape == (40, 1)
    Xc, yc = nnviz.datasets.make("blobs")
    labels = np.where(yc == 1, 7, -1)
    run = nnviz.train(Xc, labels, epochs=100)
    assert run.task == "classification" and run.classes == (-1, 7)
    # Each point's class as its label, by the rule of the run's accuracy.
    said = run.predict_classes(Xc)
    assert set(said) <= {-1, 7}
    d = run._trainer.data
    assert np.mean(said[d.train_index] == labels[d.train_index]) == \
        pytest.approx(run.metrics["train_accuracy"])
    with pytest.raises(NnvizError, match="regression: predict gives its values"):
        nnviz.train(X, 2 * X + 1, hidden=[3], epochs=1).predict_classes(X)
    forced = nnviz.train(Xc, yc.astype(float), task="classification", epochs=10)
    assert forced.task == "classification"


def test_save_writes_a_session_the_window_opens_and_load_reads_it_back(tmp_path):
    run = nnviz.train(*nnviz.datasets.make("moons"), optimizer="adam", epochs=300)
    # A name without a suffix gets the one the Open dialog lists (the file was hidden there).
    path = tmp_path / "run.nnviz"
    assert run.save(tmp_path / "run") == str(path)
    session = load_session(path)
    assert session.epoch == 300 and session.run is not None
    assert len(session.run.log.checkpoints) > 10  # the timeline's record
    back = nnviz.load(path)
    assert back.epoch == 300
    for (w, b), (w2, b2) in zip(run.params, back.params):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)
    np.testing.assert_array_equal(back.history["loss"], run.history["loss"])
    assert len(back.history["test_loss"]) > 0
    X = np.array([[0.0, 0.5], [1.0, -0.5]])
    np.testing.assert_array_equal(back.predict(X), run.predict(X))


@pytest.mark.parametrize("labels", [np.array([0, 1]), np.array([3, 7]), np.array(["cat", "dog"]),
                                    np.array([False, True])], ids=["0-1", "3-7", "text", "bool"])
def test_a_loaded_run_predicts_the_labels_it_was_trained_on(tmp_path, labels):
    # A student's check of accuracy after save and load (review r27 F1): the labels came back as
    # their text ('0', '1'), and predict_classes(X) == y read 0% of a run at 100%.
    X, y = nnviz.datasets.make("moons")
    y = labels[y]
    run = nnviz.train(X, y, epochs=200)
    before = np.mean(run.predict_classes(X) == y)
    assert before > 0.75
    back = nnviz.load(run.save(tmp_path / "run"))
    assert back.classes == run.classes
    np.testing.assert_array_equal(back.predict_classes(X), run.predict_classes(X))
    assert np.mean(back.predict_classes(X) == y) == before


X_OK, Y_OK = np.random.default_rng(0).normal(size=(50, 2)), np.arange(50) % 2


@pytest.mark.parametrize("call, message", [
    (lambda: nnviz.train(np.zeros((5, 2, 2)), np.zeros(5, int)), "X must be"),
    (lambda: nnviz.train(X_OK, Y_OK[:40]), "40"),
    (lambda: nnviz.train(np.where(np.eye(50, 2) > 0, np.nan, X_OK), Y_OK), "row 0"),
    (lambda: nnviz.train(X_OK, np.where(Y_OK, np.inf, 0.0)), "not a finite"),
    (lambda: nnviz.train(X_OK, Y_OK + 0.5, task="classification"), "not a class label"),
    (lambda: nnviz.train(X_OK, np.zeros(50, int)), "one class"),
    (lambda: nnviz.train(X_OK, np.arange(50)), "classes"),
    (lambda: nnviz.train(np.full((50, 2), "a"), Y_OK), "numbers"),
    (lambda: nnviz.train(np.broadcast_to(np.float32(0), (10**7, 2)), np.zeros(10**7, int)),
     "100,000"),
    (lambda: nnviz.train(X_OK, Y_OK, task="clustering"), "task"),
    (lambda: nnviz.train(X_OK, Y_OK, activation="swishy"), "unknown activation"),
    (lambda: nnviz.train(X_OK, Y_OK, optimizer="sgd2"), "unknown optimizer"),
    (lambda: nnviz.train(X_OK, Y_OK, loss="hinge"), "unknown loss"),
    (lambda: nnviz.train(X_OK, Y_OK.astype(float), loss="bce"), "regression"),
    (lambda: nnviz.train(X_OK, Y_OK, hidden="4,x"), "hidden"),
    (lambda: nnviz.train(X_OK, Y_OK, lr=-1), "learning rate"),
    (lambda: nnviz.train(X_OK, Y_OK, epochs=-5), "epochs"),
    (lambda: nnviz.train(X_OK, Y_OK, test_fraction=2), "test fraction"),
    (lambda: nnviz.train(X_OK, Y_OK, init=[(np.zeros((3, 3)), np.zeros((3, 1)))]), "layer"),
    (lambda: nnviz.datasets.make("moonz"), "unknown data set"),
    (lambda: nnviz.datasets.make("moons", points=10), "unknown option"),
    (lambda: nnviz.datasets.make("moons", samples=3), "sample count"),
    (lambda: nnviz.load("/no/such/file.nnviz"), "no such file"),
])
def test_bad_arguments_raise_an_nnviz_error_with_a_message(call, message):
    with pytest.raises(NnvizError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: nnviz.train(X_OK, np.zeros(50, int)), "y holds one class only (0);"),
    (lambda: nnviz.train(X_OK, np.array(["a"] * 50)), "y holds one class only ('a');"),
    (lambda: nnviz.train(X_OK, Y_OK, lr=np.float64(-1.0)), "up to 10000, got -1.0"),
    (lambda: nnviz.train(X_OK, Y_OK, hidden=np.array([0])), "width must be 1..512, got 0"),
    (lambda: nnviz.train(X_OK, Y_OK, seed=np.int64(-3)), "2,147,483,647, got -3"),
    (lambda: nnviz.train(X_OK, Y_OK, seed=3_000_000_000), "2,147,483,647, got 3000000000"),
    (lambda: nnviz.train(X_OK, Y_OK, test_fraction=np.float64(1.5)), "0.9, got 1.5"),
    (lambda: nnviz.train(X_OK, Y_OK, output_activation="softmax"), "always 1"),
    (lambda: nnviz.train(X_OK[:1], Y_OK[:1]), "1 point: nnviz trains on 4 to 100,000 points"),
])
def test_messages_show_numpy_values_as_plain_numbers(call, message):
    # Not "y holds one class only (np.int64(0))": numpy's repr is no message for a learner.
    with pytest.raises(NnvizError) as e:
        call()
    assert message in str(e.value) and "np." not in str(e.value)


def test_arrays_with_a_value_that_dominates_a_column_are_refused_as_the_csv_import_refuses():
    """One 1e30 among features of 0-10 trained on in silence, as the CSV import did: every
    other point standardised to one number, the plot one column of points. The message names
    the row, the column and the value (as the import's names the line), and the way out."""
    X = np.random.default_rng(0).uniform(0, 10, (60, 2))
    X[7, 1] = 1e30
    with pytest.raises(NnvizError) as e:
        nnviz.train(X, (X[:, 0] > 5).astype(int), epochs=1)
    # No plot yet (nnviz.train has none): the words are of the column's scale.
    assert str(e.value) == ("row 7, X column 1: 1e+30 is far outside the column's other values "
                            "(0.0274 to 9.95). The feature's scale would be dominated by it: "
                            "standardised, every other value would become nearly the same "
                            "number, the points no longer told apart. Correct the value or "
                            "remove the row; if such values are real, give the column's "
                            "logarithm instead")
    X[7, 1] = 3.0
    y = X[:, 0].copy()
    y[3] = 9e20
    with pytest.raises(NnvizError, match=r"^row 3, y: 9e\+20 is far outside .* The target's "
                                         r"scale would be dominated by it: standardised"):
        nnviz.train(X, y, epochs=1)
    with pytest.warns(UserWarning, match="The features were standardised"):
        nnviz.train(X, X[:, 0].copy(), epochs=1)  # the same arrays without it: trained


def test_float16_and_negative_means_are_said_plainly():
    """float16 features train without numpy's overflow warning (float32's largest number cast
    to float16 for the check); a negative mean is "(value + 7.5)", not "(value − -7.5)"."""
    X, y = nnviz.datasets.make("moons")  # the notebook's points: programs the suite has
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        nnviz.train(X.astype(np.float16), y, epochs=1)
    with pytest.warns(UserWarning) as said:
        nnviz.train(X * [10, 1] - [75, 0], y, epochs=1)
    words = " ".join(str(w.message) for w in said)
    assert "x1 = (value + 7" in words and "\u2212 -" not in words, words
    with pytest.warns(UserWarning) as said:  # a constant column is said to be one
        nnviz.train(X * [1, 0] + [0, 5000], y, epochs=1)
    assert "x2 = (value \u2212 5000) / 1 (constant: every point 0)" in str(said[0].message)


def test_predict_refuses_points_of_another_width():
    run = nnviz.train(*nnviz.datasets.make("moons"), epochs=1)  # the notebook's programs
    with pytest.raises(NnvizError, match="2 features"):
        run.predict(np.zeros((4, 3)))
    x = np.linspace(0, 10, 20)
    line = nnviz.train(x[:, None], 2 * x, hidden=[], epochs=1)
    with pytest.raises(NnvizError, match=r"this network takes 1 feature, got shape \(4, 3\)"):
        line.predict(np.zeros((4, 3)))  # ("1 features", review r31)


def test_import_nnviz_does_not_import_jax_until_the_api_is_used():
    code = ("import sys, nnviz; assert 'jax' not in sys.modules, 'import'; "
            "nnviz.datasets.make('xor'); assert 'jax' not in sys.modules, 'datasets'; "
            "nnviz.train; assert 'jax' in sys.modules; print(sorted(nnviz.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "'Run', 'datasets', 'load', 'show', 'train'" in out.stdout


def test_a_diverged_runs_test_losses_end_with_its_training_losses():
    # The training losses stop at the last sane epoch E; the test loss was measured once more,
    # of the best weights put back, and drawn at E + 1 (reviewer). It ends at E, the test loss
    # of the weights whose training loss is E's.
    X, y = nnviz.datasets.make("line")
    with pytest.warns(RuntimeWarning, match="diverged"):
        run = nnviz.train(X, y, hidden=[], activation=[], output_activation="linear", lr=3.0,
                          epochs=300)
    h = run.history
    e = int(h["epoch"][-1])
    assert e < 300 and int(h["test_epoch"][-1]) == e
    assert len(h["test_loss"]) == len(h["test_epoch"]) == len(h["test_accuracy"])
    options = dict(hidden=[], activation=[], output_activation="linear", lr=3.0)
    before = nnviz.train(X, y, epochs=e - 1, **options)  # the same run, stopped at E - 1
    assert h["test_loss"][-1] == pytest.approx(before.metrics["test_loss"], rel=1e-5)


def test_r2_is_nan_where_the_targets_have_no_spread_and_a_number_where_they_do():
    # 5 points leave 1 test point; its R^2 came out as -1652597456896.0.
    X = np.arange(5, dtype=np.float32).reshape(-1, 1)
    run = nnviz.train(X, X[:, 0] ** 2, epochs=20)
    m = run.metrics
    assert np.isnan(m["test_accuracy"]) and np.isfinite(m["test_loss"])
    assert np.isfinite(m["train_accuracy"]) and -10 < m["train_accuracy"] <= 1
    assert np.isnan(run.history["test_accuracy"]).all()
    # All targets equal (large ones, whose float32 mean is not exact): no R^2 either; a small
    # real spread on top of them still has one.
    X = np.linspace(-1, 1, 40, dtype=np.float32).reshape(-1, 1)
    flat = nnviz.train(X, np.full(40, 1234.567, np.float32), epochs=5).metrics
    assert np.isnan(flat["train_accuracy"]) and np.isnan(flat["test_accuracy"])
    wavy = nnviz.train(X, 1234.567 + 0.5 * X[:, 0], epochs=5).metrics
    assert np.isfinite(wavy["train_accuracy"]) and np.isfinite(wavy["test_accuracy"])


def test_features_far_from_unit_scale_are_standardised_as_a_csv_import_is_and_said():
    # x1 around ±30, x2 around ±0.01: standardised as nnviz train --data would (the user's
    # array untouched), with the import's words; raw_features=True keeps them as given, with
    # the import's warning and how to undo it.
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(150, 2)) * [30, 0.01]
    X0 = X.copy()
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    with pytest.warns(UserWarning, match=r"The features were standardised.*x1 = \(value "
                                         r"[+\u2212] .*\(raw_features=True keeps them"):
        run = nnviz.train(X, y, epochs=2)
    assert np.array_equal(X, X0)
    d = run._trainer.data
    assert d.feature_names == ("x1 (standardised)", "x2 (standardised)")
    assert np.allclose(np.asarray(d.X)[d.train_index].std(0), 1, atol=1e-4)
    with pytest.warns(UserWarning, match=r"x1 \(mean .*, sd 1\d.*\) are far from unit "
                                         r"scale and kept as given.*leave out raw_features"):
        raw = nnviz.train(X, y, epochs=2, raw_features=True)
    assert raw._trainer.data.scaling is None and np.array_equal(raw._trainer.data.X,
                                                                X.astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnviz.train(*nnviz.datasets.make("moons"), epochs=2)  # the notebook's data: no warning


@pytest.mark.parametrize("given", ["yes", 1, None])
def test_raw_features_and_raw_targets_take_true_or_false_and_say_so(given):
    X, y = nnviz.datasets.make("moons")
    for name in ("raw_features", "raw_targets"):
        with pytest.raises(NnvizError, match=f"{name} must be True or False, got"):
            nnviz.train(X, y, epochs=1, **{name: given})


def notebook_line():
    """The notebook's line, as its cell makes it: x from 0 to 10 (root mean square 5.8)."""
    x = np.linspace(0., 10., 100)
    y = 2.31531 * x + 0.23412 + np.random.RandomState(42).normal(size=x.size)
    return x[:, None], y


def test_the_notebooks_line_regression_has_no_scale_warning_and_fits_as_if_standardised():
    # A network without hidden layers is the notebook's linear regression: x from 0 to 10
    # fits as well as standardised x does, so a warning to standardise it was noise. (lr 0.01
    # as the window's line: 0.05 is above its stability limit, which divergence explains.)
    X, y = notebook_line()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = nnviz.train(X, y, hidden=[], lr=0.01, epochs=1000)
    std = nnviz.train((X - X.mean(0)) / X.std(0), y, hidden=[], lr=0.01, epochs=1000)
    assert raw.metrics["train_accuracy"] > 0.97
    assert raw.metrics["train_accuracy"] == pytest.approx(std.metrics["train_accuracy"], abs=2e-3)


def test_the_notebooks_line_trains_with_the_default_rate_and_fits_its_slope():
    # The regression table's 0.05 diverged by epoch 8 (loss 4.6e7) on x from 0 to 10, whose
    # stability limit for gradient descent is 1 / 34: the default now stays below it.
    X, y = notebook_line()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = nnviz.train(X, y, hidden=[], epochs=1000)
    slope, intercept = np.polyfit(X[run._trainer.data.train_index, 0],
                                  y[run._trainer.data.train_index], 1)
    (w, b), = run.params
    assert not run.diverged and run.epoch == 1000
    assert float(w[0, 0]) == pytest.approx(slope, abs=0.01) and 2.25 < slope < 2.37
    assert run.metrics["train_accuracy"] > 0.97


def test_a_diverged_run_says_which_epochs_weights_it_holds():
    X, y = notebook_line()
    with pytest.warns(RuntimeWarning, match="diverged after epoch 8"):
        run = nnviz.train(X, y, hidden=[], lr=0.05, epochs=1000)  # the old default rate
    assert run.diverged and run.epoch == 8 and run.best_epoch == 0
    assert "epoch 8 (diverged: the weights after epoch 0)" in repr(run)
    h = run.history  # the record of the epochs trained, the blow-up last; the weights' loss:
    assert h["loss"][-1] > 1e5 * h["loss"][0]
    assert h["loss"][run.best_epoch] == pytest.approx(run.metrics["train_loss"], rel=1e-5)


def test_float_labels_of_0_and_1_train_as_a_regression_with_a_warning():
    # make_moons' labels after .astype(float): a line through 0s and 1s, predicting 1.13, and
    # not a word said.
    X, y = nnviz.datasets.make("moons")
    with pytest.warns(UserWarning) as caught:
        run = nnviz.train(X, y.astype(float), epochs=1)
    said = [str(w.message) for w in caught if "as floats" in str(w.message)]
    assert said == ["y holds only the values 0 and 1, as floats: trained as a regression "
                    "(values to predict, a linear output and mse); for two classes pass "
                    "integer labels (y.astype(int)) or task='classification'"]
    assert caught[0].filename == __file__  # it points at the call, not into nnviz
    assert run.task == "regression"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnviz.train(X, y, epochs=1)  # integer labels: classes
        nnviz.train(X, y.astype(float), task="regression", epochs=1)  # said so
        nnviz.train(X, y + 0.5 * X[:, 0], epochs=1)  # values


def test_a_network_on_features_in_the_hundreds_is_standardised_and_trains_far_better():
    # Floor area (40-250 m^2) and year built (1900-2020) to a price: the hidden sigmoid units
    # saturate on the raw values (raw_features=True, as the warning says), not standardised.
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(40, 250, 200), rng.uniform(1900, 2020, 200)])
    y = (X[:, 0] / 50 + (X[:, 1] - 1900) / 40 + rng.normal(0, 0.3, 200)).astype(np.float32)
    with pytest.warns(UserWarning, match=r"x1 \(mean 1\d\d, sd 6\d.*\), x2 \(mean 1\.96e\+03, "
                                         r"sd 3\d.*\) are far from unit scale and kept"):
        raw = nnviz.train(X, y, hidden=[8], epochs=300, raw_features=True)
    with pytest.warns(UserWarning, match="The features were standardised"):
        std = nnviz.train(X, y, hidden=[8], epochs=300)
    assert raw.metrics["train_accuracy"] < 0.5 < 0.9 < std.metrics["train_accuracy"]
    # predict takes the user's rows, as the exported script and the ONNX model do
    got = std.predict(X).ravel()
    assert 1 - np.mean((got - y) ** 2) / np.var(y) > 0.9


FRUIT = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples", "fruit.csv")


def _file_rows(path):
    """The feature columns of a CSV example as its file has them (cm for fruit.csv)."""
    with open(path) as f:
        rows = [r[:-1] for r in csv.reader(line for line in f if not line.startswith("#"))][1:]
    return np.array(rows, np.float64)


def test_predict_on_a_standardised_csv_import_takes_the_files_rows_as_the_script_does(
        capsys, tmp_path):
    # fruit.csv (cm, far from unit scale) is standardised on import. A learner who opens the
    # session and predicts a row of the file gets the network's answer for that fruit, the
    # numbers the exported script's predict(rows) prints; it took standardised rows, and a
    # row in cm gave every fruit the same saturated answer.
    saved, script = tmp_path / "fruit.nnviz", tmp_path / "fruit.py"
    _cli(capsys, "train", "--data", FRUIT, "--epochs", "40", "--save", str(saved),
         "--export-script", str(script))
    raw = _file_rows(FRUIT)
    run = nnviz.load(saved)
    got = run.predict(raw)
    trainer = load_session(saved).make_trainer()
    assert trainer.data.scaling is not None
    np.testing.assert_allclose(got, trainer.predict(trainer.data.X), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[:20], script_predict(script, raw[:20], tmp_path)[0],
                               rtol=1e-4, atol=1e-5)


def _without_scaling(src, dst):
    """``src`` as a session saved before nnviz recorded a CSV import's means and sds."""
    with zipfile.ZipFile(src) as z:
        manifest = json.loads(z.read("manifest.json"))
        arrays = z.read("arrays.npz")
    del manifest["data"]["scaling"]
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("arrays.npz", arrays)


def test_predict_on_an_old_session_without_the_means_and_sds_says_it_takes_standardised_rows(
        capsys, tmp_path):
    saved, old = tmp_path / "fruit.nnviz", tmp_path / "old.nnviz"
    _cli(capsys, "train", "--data", FRUIT, "--epochs", "5", "--save", str(saved))
    _without_scaling(saved, old)
    run = nnviz.load(old)
    standardised = load_session(saved).make_trainer().data.X
    with pytest.warns(UserWarning, match=r"width \(standardised\).*does not record the means "
                                         r"and sds.*predict takes the standardised values"):
        got = run.predict(standardised)
    np.testing.assert_allclose(got, nnviz.load(saved).predict(_file_rows(FRUIT)), rtol=1e-5,
                               atol=1e-6)


def _circles(n):
    from sklearn.datasets import make_circles
    return make_circles(n, noise=0.1, factor=0.5, random_state=1)


def test_a_wide_relu_network_with_the_notebooks_weights_trains_and_is_told_to_start_smaller():
    # r4 #1: 2-512-512-1 relu, N(0, 1) weights: output logits of +-200 made the sigmoid's
    # gradient inf / inf = NaN, and the run "diverged after epoch 1" at every rate, told to
    # lower the rate ten times, and ten times again, for ever. The sigmoid is flat there
    # (gradient 0): the run trains. A hint says the notebook's weights are too large this
    # wide; "he" weights train without one.
    X, y = _circles(300)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = nnviz.train(X, y, hidden=[512, 512], activation="relu", epochs=2)
    said = [str(w.message) for w in caught]
    assert not run.diverged and run.epoch == 2, said
    assert [w.category for w in caught] == [UserWarning], said  # the hint; no divergence
    assert said[0].startswith(
        "Hidden layers of up to 512 units with N(0, 1) initial weights (the notebook's): each "
        "layer multiplies the values by about √512 ≈ 23"), said
    assert 'init_scheme="he" (for relu) or "glorot" scale the weights to the width' in said[0]
    assert caught[0].filename == __file__
    loss = run.history["loss"]
    assert np.isfinite(loss).all() and loss[1] < loss[0]
    assert all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in run.params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no hint, no divergence
        he = nnviz.train(X, y, hidden=[512, 512], activation="relu", init_scheme="he",
                         epochs=2)
    assert not he.diverged and np.isfinite(he.history["loss"]).all()


def test_a_run_that_blows_up_from_its_start_whatever_the_rate_blames_the_initial_weights():
    # Three 512-unit relu layers with N(0, 1) weights: the outputs start in the thousands, and
    # even lr 1e-6 blows up by epoch 2. "Lower the learning rate ten times" would go on forever.
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (200, 2))
    with pytest.warns(RuntimeWarning) as caught:
        run = nnviz.train(X, np.sin(X[:, 0]) + X[:, 1], hidden=[512] * 3, activation="relu",
                          lr=1e-6, epochs=3)
    said = str(caught[-1].message)
    assert run.diverged and run.best_epoch == 0
    assert said.startswith("Training diverged after epoch 2: ")
    assert "Lower the learning rate" not in said
    assert "Lowering the learning rate will not help: the network's outputs start at ±" in said
    assert "with N(0, 1) weights (the notebook's)" in said and "(512 units here)" in said
    assert 'Start from smaller weights: init_scheme="he" (for relu) or "glorot"' in said


def test_labels_mixing_words_and_numbers_are_said_to_mix_and_object_arrays_of_one_kind_train():
    """r11: ["a"] * 100 + [1] * 100 as an object array said "y must hold real numbers", though
    labels that are words train: say that they mix, where, and what works."""
    X = np.random.default_rng(0).normal(size=(200, 2))
    mixed = np.array(["a"] * 100 + [1] * 100, dtype=object)
    with pytest.raises(NnvizError) as e:
        nnviz.train(X, mixed, epochs=1)
    said = str(e.value)
    assert "mixes words and numbers" in said and "'a' at row 0" in said and "1 at row 100" in said
    assert "real numbers" not in said and "y.astype(str)" in said
    # What it suggests works, and an object array of one kind (a pandas column's) trains too.
    assert nnviz.train(X, mixed.astype(str), epochs=1).classes == ("1", "a")
    words = np.array(["cat"] * 100 + ["dog"] * 100, dtype=object)
    assert nnviz.train(X, words, epochs=1).classes == ("cat", "dog")
    assert nnviz.train(X, np.array([0] * 100 + [2] * 100, dtype=object), epochs=1).classes \
        == (0, 2)


def test_float_labels_of_a_few_whole_values_warn_as_two_do():
    # Review r20 F3: seven classes read as float64 (a pandas column) trained as a regression
    # with no word said; 0/1 as floats warned.
    X, _ = nnviz.datasets.make("moons")
    y = (np.arange(len(X)) % 7).astype(float)
    with pytest.warns(UserWarning) as caught:
        run = nnviz.train(X, y, epochs=1)
    said = [str(w.message) for w in caught if "as floats" in str(w.message)]
    assert said == ["y holds only the 7 whole values 0 to 6, as floats: trained as a "
                    "regression (values to predict, a linear output and mse); for 7 classes "
                    "pass integer labels (y.astype(int)) or task='classification'"]
    assert run.task == "regression"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnviz.train(X, (np.arange(len(X)) % 11).astype(float), epochs=1)  # 11 values: values
        nnviz.train(X, y, task="regression", epochs=1)  # said so


def test_the_notebooks_layout_of_points_in_columns_is_named_with_its_fix():
    # Review r20 F4: the notebook's np.vstack([moon_x, moon_y]), (2, 200), was refused with
    # "X has 2 points and y 200 targets" and no hint.
    X, y = nnviz.datasets.make("moons")
    with pytest.raises(NnvizError, match=r"X has 2 points and y 200 targets; they must be "
                                              r"as many; X looks like the notebook's layout, "
                                              r"one feature a row: .* pass X\.T$"):
        nnviz.train(X.T, y, epochs=1)
    run = nnviz.train(X, y, epochs=2)
    with pytest.raises(NnvizError, match=r"got shape \(2, 5\): one point a row, pass X\.T"):
        run.predict(X[:5].T)
    # A column left out is said as such, X.T only as the other reading (it was the advice,
    # wrong for two points of one feature: review r30).
    with pytest.raises(NnvizError, match=r"got shape \(2, 1\): one point a row, here of 1 "
                                         r"feature; if each column is a point .* pass X\.T$"):
        run.predict(X[:2, :1])
    with pytest.raises(NnvizError, match=r"got shape \(5, 1\): one point a row, here of 1 "
                                         r"feature$"):
        run.predict(X[:5, :1])
    # One point as a 1-D array is that point (it was refused), and words are named as train
    # names them (they were "not finite numbers").
    np.testing.assert_array_equal(run.predict(X[0]), run.predict(X[:1]))
    with pytest.raises(NnvizError, match=r"^X holds text, 'a', at row 0, column 0: it must "
                                         r"hold numbers"):
        run.predict(np.array([["a", "b"]]))


@pytest.mark.parametrize("make, said", [
    # np.column_stack of a float column and a word column: an array of strings (<U32)
    (lambda X: np.column_stack([X[:, 0], np.array(["a"] * len(X))]),
     "X holds text, 'a', at row 0, column 1: it must hold numbers, a point per row and a "
     "feature per column; leave that column out, or turn its words into numbers"),
    (lambda X: np.where(np.arange(len(X))[:, None] == 3, "oops", X.astype(object)),
     "X holds text, 'oops', at row 3, column 0:"),
    (lambda X: X.astype(str), "X holds numbers written as text ("),
])
def test_text_in_X_is_named_with_its_row_and_column(make, said):
    # Review r25 F11: "X must hold real numbers, got an array of <U32": numpy's name for an
    # array of strings, and no column, where a NaN is named with its row.
    X, y = nnviz.datasets.make("moons")
    with pytest.raises(NnvizError) as e:
        nnviz.train(make(X), y, epochs=1)
    assert str(e.value).startswith(said) and "<U" not in str(e.value)


def test_a_mistyped_option_of_show_names_the_one_meant():
    # Review r20 F11: show(X, y, hiden=[4]) raised a TypeError naming make_array_problem.
    X, y = nnviz.datasets.make("moons")
    with pytest.raises(NnvizError, match=r"^show has no option 'hiden'; did you mean "
                                               r"hidden\?$"):
        nnviz.show(X, y, hiden=[4])
    with pytest.raises(NnvizError, match=r"^show has no option 'colour'; it takes hidden, "
                                               r"activation, .*raw_targets and block$"):
        nnviz.show(X, y, colour=1)


def test_a_mistyped_option_of_train_names_the_one_meant():
    # Review r27 F10: train(X, y, hiden=[4]) and learning_rate=0.1 (nnviz sweep --json's
    # column) gave Python's bare "TypeError: train() got an unexpected keyword argument",
    # where show named the option meant.
    import inspect
    X, y = nnviz.datasets.make("moons")
    with pytest.raises(NnvizError, match=r"^train has no option 'hiden'; did you mean "
                                         r"hidden\?$"):
        nnviz.train(X, y, hiden=[4])
    with pytest.raises(NnvizError, match=r"^train has no option 'learning_rate'; nnviz calls "
                                         r"it lr$"):
        nnviz.train(X, y, learning_rate=0.1)
    with pytest.raises(NnvizError, match=r"^train has no option 'colour'; it takes hidden, "
                                         r"activation, .*raw_targets$"):
        nnviz.train(X, y, colour=1)
    with pytest.raises(NnvizError, match=r"^show has no option 'learning_rate'; nnviz calls "
                                         r"it lr$"):
        nnviz.show(X, y, learning_rate=0.1)
    # help() and an editor still read train's own options and words
    assert list(inspect.signature(nnviz.train).parameters)[:3] == ["X", "y", "hidden"]
    assert nnviz.train.__doc__.startswith("Train a network on points")
    assert nnviz.train(X, y, hidden=[2], epochs=2).epoch == 2


def test_an_object_array_of_numbers_is_taken_as_numpy_would_convert_it():
    """r29 L11: np.array(rows, dtype=object) of a learner's mixed lists (floats, ints, numpy
    scalars) was refused with "X must hold real numbers", though it holds nothing else and
    numpy converts it cleanly: train and predict take it as its floats (the same run as
    X.astype(float)); text, bools and None in it are still named with their cell."""
    X, y = nnviz.datasets.make("moons")
    rows = [[float(a), np.float32(b) if i % 2 else b] for i, (a, b) in enumerate(X.tolist())]
    boxed = np.array(rows, dtype=object)
    assert boxed.dtype == object
    run = nnviz.train(boxed, y, hidden=[4], epochs=5)
    plain = nnviz.train(boxed.astype(float), y, hidden=[4], epochs=5)
    np.testing.assert_array_equal(run.history["loss"], plain.history["loss"])
    np.testing.assert_array_equal(run.predict(boxed[:4]), plain.predict(X[:4].astype(float)))
    for cell, said in ((True, "X holds True at row 0, column 0"),
                       (None, "X holds None at row 0, column 0"),
                       ("1.5", "X holds numbers written as text ('1.5' at row 0, column 0): "
                               "pass X.astype(float)")):
        bad = boxed.copy()
        bad[0, 0] = cell
        with pytest.raises(NnvizError) as e:
            nnviz.train(bad, y, epochs=1)
        assert str(e.value).startswith(said), e.value


def test_a_batch_size_of_the_whole_training_set_is_said_to_train_full_batch():
    """batch_size=1000 on the moons' 160 training points trained full batch without a word
    (review r31); the same run as batch_size=0, and said so."""
    X, y = nnviz.datasets.make("moons")
    with pytest.warns(UserWarning, match=r"batch_size=1000 leaves fewer than two batches of "
                                         r"the 160 training points: .*full batch"):
        big = nnviz.train(X, y, batch_size=1000, epochs=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a batch size that makes batches: nothing to say
        nnviz.train(X, y, batch_size=16, epochs=1)
    np.testing.assert_array_equal(big.history["loss"], nnviz.train(X, y, epochs=3).history["loss"])
