"""A regression's targets far from unit scale (house prices in thousands, values in the
millions): the CSV import standardises them as it does features, says so, keeps them raw on
request, and the session, the exported script and predict reproduce it. Arrays passed to the
Python API are standardised the same way (never changed themselves), raw_targets=True keeping
them; nnviz train --json says what was standardised."""
import csv
import json
import re
import warnings

import numpy as np
import pytest

import nnviz
from nnviz.cli import main

from .test_export import app_scores, checked, script_predict
from nnviz.core import csvdata
from nnviz.core.csvdata import read_csv
from nnviz.core.problem import make_problem
from nnviz.core.session import Session
from nnviz.core.session import load as load_session


def house_csv(path, scale=1.0):
    """A reviewer's file: 100 rows of area_m2 (50-250) and price_k = 1.5 area + noise (75-375)."""
    rng = np.random.default_rng(0)
    area = rng.uniform(50, 250, 100)
    price = (1.5 * area + rng.normal(0, 10, 100)) * scale
    path.write_text("area_m2,price_k\n"
                    + "".join(f"{a:.17g},{p:.17g}\n" for a, p in zip(area, price)))
    return path


def test_house_prices_imported_with_the_defaults_fit(tmp_path):
    """The fitted curve was a flat line at the mean, R² 0.000 after 2,000 epochs, and nothing
    said why. Standardised on import, the default network fits them within 300 epochs (the
    window's +100 three times), and the names and the note say how."""
    imported = read_csv(house_csv(tmp_path / "house.csv"))
    d = imported.dataset
    m, s = d.target_scaling
    y = np.asarray(d.y, np.float64)[d.train_index]
    assert y.mean() == pytest.approx(0, abs=1e-5) and y.std() == pytest.approx(1, abs=1e-5)
    assert 200 < m < 260 and 60 < s < 110  # the file's prices' mean and sd
    assert d.target_name == "price_k (standardised)"
    said = imported.scaling_text()
    assert f"price_k = (value \u2212 {m:.4g}) / {s:.4g}" in said
    assert "the losses and the plot are in these standardised units" in said
    assert said in csvdata.preview_csv(tmp_path / "house.csv").summary()
    trainer = make_problem(d).make_trainer()
    trainer.run(300)
    m300 = trainer.evaluate()
    assert m300.train_accuracy > 0.9 and m300.test_accuracy > 0.9  # R²
    # kept raw (the box unticked), the same network stays at the mean
    raw = read_csv(tmp_path / "house.csv", standardise_target=False).dataset
    flat = make_problem(raw).make_trainer()
    flat.run(300)
    assert flat.evaluate().train_accuracy < 0.1


def test_targets_in_the_millions_fit_too(tmp_path):
    # y ~ 3e6: the loss stayed at 779393630208 from epoch 100 to 2000.
    d = read_csv(house_csv(tmp_path / "big.csv", scale=1e4)).dataset
    assert d.target_scaling is not None
    trainer = make_problem(d).make_trainer()
    trainer.run(300)
    assert trainer.evaluate().train_accuracy > 0.9


def test_targets_the_default_network_fits_as_they_are_keep_their_numbers(tmp_path):
    """daylight.csv's hours (rms 13.6) train well raw and slower standardised: kept; so are a
    generated sine written out and read back, and classes."""
    import os
    examples = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples")
    day = read_csv(os.path.join(examples, "daylight.csv"))
    assert day.dataset.target_scaling is None and day.dataset.target_name == "daylight"
    assert day.target_scaling_text() == ""
    from nnviz.core.data import DataSpec, make_dataset
    for name in ("sine", "moons", "line"):
        d = make_dataset(DataSpec(name))
        csvdata.write_data_csv(tmp_path / f"{name}.csv", d)
        back = read_csv(tmp_path / f"{name}.csv").dataset
        assert back.target_scaling is None and np.array_equal(back.y, d.y)


def test_the_cli_says_so_and_raw_targets_keeps_them(capsys, tmp_path):
    path = str(house_csv(tmp_path / "house.csv"))
    assert main(["train", "--data", path, "--epochs", "300", "--print-every", "1000"]) == 0
    out, err = capsys.readouterr()
    assert "The target was standardised too" in err and "--raw-targets keeps them" in err
    assert "the losses are of price_k (standardised): in standardised units" in out
    r2 = float(re.search(r"train loss \S+, R\^2 (\S+);", out).group(1))
    assert r2 > 0.9
    # the escape: the file's values, and a warning that says what that does
    assert main(["train", "--data", path, "--epochs", "300", "--raw-targets", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "the target price_k (mean 2" in err and "far from unit scale and kept as given" in err
    assert "leave out --raw-targets" in err
    assert json.loads(out)["train_accuracy"] < 0.1
    assert main(["train", "--raw-targets", "--epochs", "1"]) == 2  # --data only
    assert "--raw-targets only applies to --data FILE.csv" in capsys.readouterr().err


def test_a_sweep_on_the_file_standardises_and_says_so_as_train_does(capsys, tmp_path):
    path = str(house_csv(tmp_path / "house.csv"))
    assert main(["sweep", "--data", path, "--lr", "0.05,0.1", "--epochs", "300"]) == 0
    out, err = capsys.readouterr()
    assert "The target was standardised too" in err
    assert "the losses are of price_k (standardised): in standardised units" in out
    rows = [line.split() for line in out.splitlines() if re.match(r"^[01] ", line)]
    assert len(rows) == 2 and all(float(r[4]) > 0.9 for r in rows)  # train R^2 of each


def test_the_session_and_the_exported_script_reproduce_the_standardised_run(capsys, tmp_path):
    """The script holds the file's prices and standardises them as nnviz did: it prints the
    app's losses, and its predict gives prices in the file's units, as Run.predict does."""
    path = str(house_csv(tmp_path / "house.csv"))
    script, saved, hist = tmp_path / "h.py", tmp_path / "h.nnviz", tmp_path / "h.csv"
    assert main(["train", "--data", path, "--epochs", "300", "--export-script", str(script),
                 "--save", str(saved), "--history", str(hist)]) == 0
    capsys.readouterr()
    run = nnviz.load(saved)
    d = run._trainer.data
    imported = read_csv(path)
    assert d.target_scaling == imported.target_scaling and d.target_name == "price_k (standardised)"
    assert np.array_equal(d.y, imported.dataset.y)
    rows = np.loadtxt(path, delimiter=",", skiprows=1)
    got, printed_out = script_predict(script, rows[:5, :1], tmp_path)
    with open(hist) as f:
        app = {int(r[0]): float(r[1]) for r in list(csv.reader(f))[1:]}
    printed = re.findall(r"^Loss for epoch (\d+): (\S+)$", printed_out, re.M)
    assert [int(e) for e, _ in printed] == [100, 200, 300]
    assert [float(v) for _, v in printed] == pytest.approx([app[int(e)] for e, _ in printed],
                                                           rel=1e-6)
    want = run.predict(rows[:5, :1])
    np.testing.assert_allclose(got, want, rtol=1e-5)
    # its check against the ground truth, in the file's prices: the R^2 the app shows of the
    # standardised ones (the same number) on the training and the test points
    scores = app_scores(run.metrics, False)
    assert set(scores) == {"training", "test"} and checked(printed_out) == scores
    # prices, near the file's own (R² 0.96): not standardised values around 0
    assert np.abs(want[:, 0] - rows[:5, 1]).max() < 40 < rows[:5, 1].min()


def test_the_scripts_targets_standardise_back_to_the_apps_bit_for_bit():
    """The script holds the targets in the file's units (float32, as nnviz reads them) and
    standardises them itself: the app's standardised targets, every bit."""
    from nnviz.core.export import raw_targets
    rng = np.random.default_rng(5)
    for mean, sd in [(231.7, 88.9), (0.01, 3e-3), (1.5e6, 8.8e5), (-40.0, 25.0)]:
        file_values = (mean + sd * rng.normal(size=2000)).astype(np.float32)
        y = ((file_values.astype(np.float64) - mean) / sd).astype(np.float32)  # the app's
        raw = raw_targets(y, (mean, sd))
        again = ((raw.astype(np.float64) - mean) / sd).astype(np.float32)
        assert np.array_equal(again, y)


def test_the_scripts_features_are_the_users_own_numbers_where_they_standardise_back():
    """A user's x = 0 was written 1.4400256e-06 in the exported script (the float32 nearest to
    the standardised value's way back; review r30): of the values that standardise back to
    the app's, bit for bit, the one with the fewest decimals is written; never fewer values
    come back bit for bit than the nearest float32s did."""
    from nnviz.core.export import raw_features
    x = np.linspace(0, 100, 50)
    X = np.stack([x, 40 + 7 * x], 1)  # two columns, two scales
    mean, sd = X.mean(0), X.std(0)
    app = ((X - mean) / sd).astype(np.float32)

    def back(raw):
        return ((raw.astype(np.float32).astype(np.float64) - mean) / sd).astype(np.float32)
    nearest = (app.astype(np.float64) * sd + mean).astype(np.float32)
    raw = raw_features(app, tuple(zip(mean, sd)))
    assert (back(raw) == app).sum() >= (back(nearest) == app).sum()
    assert np.array_equal(back(raw)[back(nearest) == app], app[back(nearest) == app])
    assert (raw[0, 0], raw[-1, 0], raw[0, 1], raw[-1, 1]) == (0, 100, 40, 740)
    assert nearest[0, 0] != 0  # (what was written)
    assert np.abs(raw - X).max() < 1e-3  # the user's numbers, to float32's room


def test_a_session_file_keeps_the_targets_scaling(tmp_path):
    d = read_csv(house_csv(tmp_path / "house.csv")).dataset
    Session.from_trainer(make_problem(d).make_trainer()).save(tmp_path / "s.nnviz")
    back = load_session(tmp_path / "s.nnviz").dataset
    assert back.target_scaling == d.target_scaling and back.target_name == d.target_name


def house_arrays():
    """house.csv's columns as a learner's numpy arrays: area_m2 (50-250), price_k (75-375)."""
    rng = np.random.default_rng(0)
    area = rng.uniform(50, 250, 100)
    return area[:, None], 1.5 * area + rng.normal(0, 10, 100)


def test_arrays_far_from_unit_scale_are_standardised_as_the_csv_import_does(tmp_path, capsys):
    """nnviz.train(X, y) on house prices fitted a flat line at the mean (R² -6.1 after 300
    epochs) with only a warning. As nnviz train --data on the same file: standardised, with
    the import's words, R² over 0.9; the user's arrays untouched, predict and the exports in
    their units; raw_targets=True (--raw-targets) trains on them as given."""
    X, y = house_arrays()
    X0, y0 = X.copy(), y.copy()
    with pytest.warns(UserWarning) as said:
        run = nnviz.train(X, y, epochs=300)
    words = " ".join(str(w.message) for w in said)
    d = run._trainer.data
    m, s = d.target_scaling
    assert f"y = (value \u2212 {m:.4g}) / {s:.4g}; the losses and the plot are in these " \
           "standardised units" in words and "(raw_targets=True keeps them" in words
    assert "The features were standardised" in words
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert run.metrics["train_accuracy"] > 0.9 and run.metrics["test_accuracy"] > 0.9
    got = np.asarray(run.predict(X), np.float64).ravel()  # prices, not standardised values
    assert 1 - np.mean((got - y) ** 2) / np.var(y) > 0.9
    # the numbers of nnviz train --data on the same points
    assert main(["train", "--data", str(house_csv(tmp_path / "house.csv")), "--epochs", "300",
                 "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["target_scaling"]["mean"] == pytest.approx(m, rel=1e-12)
    assert cli["train_loss"] == pytest.approx(run.metrics["train_loss"], rel=1e-4)
    with pytest.warns(UserWarning, match=r"the target y \(mean 2\d\d, sd \d\d.*\) is far "
                                         r"from unit scale and kept as given.*leave out "
                                         r"raw_targets=True"):
        raw = nnviz.train(X, y, epochs=300, raw_targets=True)
    assert raw._trainer.data.target_scaling is None
    assert np.array_equal(raw._trainer.data.y, y.astype(np.float32))
    assert raw.metrics["train_accuracy"] < 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnviz.train(X, y, hidden=[], epochs=1)  # a linear model fits any scale: as given
        nnviz.train((X - X.mean()) / X.std(), (y - y.mean()) / y.std(), epochs=1)


def test_arrays_in_the_millions_export_and_save_in_their_own_units(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (100, 1))
    y = 3e6 * X[:, 0] + 1.5e6
    with pytest.warns(UserWarning, match="The target was standardised"):
        run = nnviz.train(X, y, epochs=300)
    assert run.metrics["train_accuracy"] > 0.9
    run.save(tmp_path / "m.nnviz")
    back = nnviz.load(tmp_path / "m.nnviz")
    np.testing.assert_allclose(back.predict(X[:5]), run.predict(X[:5]), rtol=1e-6)
    got = np.asarray(run.predict(X), np.float64).ravel()  # in the millions
    assert 1 - np.mean((got - y) ** 2) / np.var(y) > 0.9


def test_the_onnx_model_answers_in_the_files_units(tmp_path, capsys):
    ort = pytest.importorskip("onnxruntime")
    path = str(house_csv(tmp_path / "house.csv"))
    model, saved = tmp_path / "h.onnx", tmp_path / "h.nnviz"
    assert main(["train", "--data", path, "--epochs", "200", "--export-onnx", str(model),
                 "--save", str(saved)]) == 0
    capsys.readouterr()
    rows = np.loadtxt(path, delimiter=",", skiprows=1)[:5, :1].astype(np.float32)
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    got = session.run(["Y"], {"X": rows})[0]
    np.testing.assert_allclose(got, nnviz.load(saved).predict(rows), rtol=1e-5)
    assert got.min() > 50  # prices, not standardised values
    meta = session.get_modelmeta().custom_metadata_map
    assert float(meta["target_sd"]) > 50


def test_a_saved_session_goes_on_without_raw_targets_changing_it(tmp_path, capsys):
    path = str(house_csv(tmp_path / "house.csv"))
    saved = tmp_path / "h.nnviz"
    assert main(["train", "--data", path, "--epochs", "1", "--save", str(saved)]) == 0
    capsys.readouterr()
    assert main(["train", "--session", str(saved), "--raw-targets", "--epochs", "1"]) == 2
    assert "--raw-targets cannot change them" in capsys.readouterr().err


def test_train_json_says_what_was_standardised_and_the_units_of_its_losses(capsys, tmp_path):
    """--json gave the losses with nothing saying they were of (price - mean) / sd: a script
    reading final_loss could not turn it back into the file's units, nor tell a standardised
    run from a raw one. The scaling's mean and sd per column and the losses' units are there;
    the fields before are unchanged."""
    path = house_csv(tmp_path / "house.csv")
    d = read_csv(path).dataset
    assert main(["train", "--data", str(path), "--epochs", "5", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["loss_units"] == "standardised"
    assert r["target_scaling"] == {"target": "price_k", "mean": d.target_scaling[0],
                                   "sd": d.target_scaling[1]}
    (m, s), = d.scaling  # area_m2 in the hundreds: standardised too
    assert r["feature_scaling"] == [{"feature": "area_m2", "mean": m, "sd": s}]
    assert {"final_loss", "train_loss", "test_loss", "train_accuracy", "accuracy_measure",
            "dataset", "task", "learning_rate", "epochs"} <= set(r)
    # Kept raw, the losses are of the file's prices, and the JSON says so.
    assert main(["train", "--data", str(path), "--epochs", "5", "--json", "--raw-targets",
                 "--raw-features"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert (r["loss_units"], r["target_scaling"], r["feature_scaling"]) == ("data", None, None)
    # Classes: no target scaling, no units to a loss of probabilities.
    assert main(["train", "--epochs", "2", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert (r["loss_units"], r["target_scaling"], r["feature_scaling"]) == (None, None, None)
    # A sweep's members say it too.
    assert main(["sweep", "--data", str(path), "--lr", "0.05,0.1", "--epochs", "3",
                 "--json"]) == 0
    members = json.loads(capsys.readouterr().out)["members"]
    assert all(m["loss_units"] == "standardised" and m["target_scaling"]["target"] == "price_k"
               for m in members)
