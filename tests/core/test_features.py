"""Input features (TensorFlow Playground's x1², x2², x1·x2, sin(x1), sin(x2)): part of the one
NetworkSpec, so the engine, sessions, the command line and the exported script agree."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from nnviz.cli import main

from ..conftest import all_digits
from nnviz.core import features, session
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.inspect import NeuronMapsProbe
from nnviz.core.network import NetworkSpec, SpecError
from nnviz.core.problem import Choices, make_problem


def _xor(feats=()):
    return make_problem(make_dataset(DataSpec("xor")), Choices(hidden=(), features=feats))


def test_x1_times_x2_solves_xor_without_a_hidden_layer_and_the_raw_inputs_do_not():
    with_product = _xor(("x1", "x2", "x1*x2")).make_trainer()
    with_product.run(1000)
    assert with_product.evaluate().test_accuracy >= 0.95
    raw = _xor().make_trainer()
    raw.run(1000)
    assert raw.evaluate().test_accuracy < 0.9


def test_the_raw_inputs_are_the_default_and_names_have_one_spelling():
    assert NetworkSpec().features == () and NetworkSpec().n_inputs == 2
    assert features.catalogue(2) == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    spec = NetworkSpec(2, (3,), ("tanh",), features=["x1\u00b2", "X1 \u00b7 x2", "sin(x2)"])
    assert spec.features == ("x1^2", "x1*x2", "sin(x2)")
    assert spec.layer_sizes == (3, 3, 1) and spec.param_shapes()[0] == ((3, 3), (3,))
    assert NetworkSpec(features=("x1", "x2")) == NetworkSpec()  # the raw inputs, spelt out
    assert [features.label(f) for f in spec.features] == ["x1\u00b2", "x1\u00b7x2", "sin(x2)"]


@pytest.mark.parametrize("feats, message", [
    (("x3",), "unknown input feature 'x3'"),
    (("x1", "x1"), "listed twice"),
    (("cos(x1)",), "unknown input feature"),
    ("x1", "must be a list"),
])
def test_a_bad_feature_is_a_spec_error(feats, message):
    with pytest.raises(SpecError, match=re.escape(message)):
        NetworkSpec(features=feats)


def test_one_input_data_offers_its_own_features():
    p = make_problem(make_dataset(DataSpec("sine")),
                     Choices(hidden=(), features=("x1", "sin(x1)")))
    assert p.spec.n_inputs == 2
    with pytest.raises(SpecError, match="with 1 input: x1, x1\\^2, sin\\(x1\\)"):
        make_problem(make_dataset(DataSpec("sine")), Choices(features=("x2",)))


def test_a_session_keeps_the_features(tmp_path):
    trainer = _xor(("x1", "x2", "x1*x2")).make_trainer()
    trainer.run(50)
    path = tmp_path / "f.nnviz"
    session.Session.from_trainer(trainer).save(path)
    back = session.load(path)
    assert back.spec.features == ("x1", "x2", "x1*x2")
    again = back.make_trainer()
    a, b = trainer.run(20).losses, again.run(20).losses
    np.testing.assert_array_equal(a, b)


def test_the_command_line_trains_with_features_and_refuses_unknown_ones(capsys):
    code = main(["train", "--dataset", "xor", "--hidden", "none", "--features", "x1,x2,x1*x2",
                 "--epochs", "1000", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    result = json.loads(out)
    assert result["architecture"] == "3 -> 1" and result["test_accuracy"] >= 0.95
    assert main(["train", "--dataset", "xor", "--features", "x1,x3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown input feature 'x3'" in err


def test_the_exported_script_computes_the_features_and_prints_the_runs_losses(capsys, tmp_path):
    script, hist = tmp_path / "f.py", tmp_path / "h.csv"
    assert main(["train", "--dataset", "xor", "--hidden", "3", "--activation", "tanh",
                 "--features", "x1^2,x2^2,x1*x2,sin(x1)", "--epochs", "300",
                 "--history", str(hist), "--export-script", str(script)]) == 0
    capsys.readouterr()
    with open(hist) as f:
        app = {int(r[0]): float(r[1]) for r in list(csv.reader(f))[1:]}
    out = subprocess.run([sys.executable, str(all_digits(script))], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    printed = {int(e): float(v) for e, v in
               re.findall(r"^Loss for epoch (\d+): (\S+)$", out.stdout, re.M)}
    assert sorted(printed) == [100, 200, 300]
    np.testing.assert_allclose([printed[e] for e in printed], [app[e] for e in printed],
                               rtol=1e-4)


def test_the_input_maps_are_the_features_over_the_plane():
    trainer = _xor(("x1*x2", "sin(x1)")).make_trainer()
    xs = np.linspace(-1, 1, 20, dtype=np.float32)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1).reshape(-1, 2)
    probe = NeuronMapsProbe(max_res=20)
    probe.selected = (-1, 0)
    maps = probe(trainer, grid)
    assert maps.inputs.shape[2] == 2
    np.testing.assert_allclose(maps.inputs[:, :, 0], (grid[:, 0] * grid[:, 1]).reshape(20, 20),
                               atol=1e-6)
    np.testing.assert_allclose(maps.inputs[:, :, 1], np.sin(grid[:, 0]).reshape(20, 20),
                               atol=1e-6)
    np.testing.assert_allclose(maps.selected_map, (grid[:, 0] * grid[:, 1]).reshape(20, 20),
                               atol=1e-6)


def test_the_python_api_takes_features_as_the_command_line_does():
    import nnviz
    X, y = nnviz.datasets.make("xor")
    run = nnviz.train(X, y, hidden=[], features="x1, x2, x1*x2", epochs=1000)
    assert [w.shape for w, _ in run.params] == [(3, 1)]  # x1, x2, x1*x2 into one unit
    assert run.metrics["test_accuracy"] >= 0.95


def test_a_session_of_the_raw_inputs_does_not_name_features(tmp_path):
    trainer = _xor().make_trainer()
    manifest = session.Session.from_trainer(trainer).manifest()
    assert "features" not in manifest["network"]
    with_product = session.Session.from_trainer(_xor(("x1*x2",)).make_trainer()).manifest()
    assert with_product["network"]["features"] == ["x1*x2"]


def test_data_of_many_inputs_checks_features_without_listing_them_all():
    spec = NetworkSpec(512, (4,), ("tanh",), features=("x500*x512", "sin(x3)"))
    assert spec.layer_sizes[0] == 2
    assert NetworkSpec(512, (4,), ("tanh",)).n_inputs == 512
    with pytest.raises(SpecError, match="unknown input feature 'x2\\*x1'"):
        NetworkSpec(512, (4,), ("tanh",), features=("x2*x1",))
