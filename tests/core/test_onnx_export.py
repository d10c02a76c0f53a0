"""ONNX export: the model's outputs equal Run.predict under onnxruntime, for every activation."""
from __future__ import annotations

import csv
import os
import sys

import numpy as np
import pytest

import nnviz
from nnviz import cli
from nnviz.core import activations
from nnviz.core.errors import NnvizError
from nnviz.core.onnx_export import ONNX_OPS, OnnxError, onnx_model
from nnviz.core.session import load as load_session

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def _outputs(path, X):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(["Y"], {"X": np.asarray(X, np.float32)})[0]


def test_every_activation_of_nnviz_has_an_onnx_op():
    assert set(ONNX_OPS) == set(activations.ACTIVATIONS)


@pytest.mark.parametrize("activation", sorted(ONNX_OPS))
def test_onnx_outputs_equal_predict_for_each_activation(tmp_path, activation):
    X, y = nnviz.datasets.make("moons")
    # Two hidden layers of the activation; a softmax hidden layer is fine too. The initial
    # weights (epochs=0): the export is compared with predict at the same weights, whichever
    # they are, and a run of no epochs compiles no trainer for each of the twelve activations.
    run = nnviz.train(X, y, hidden=[5, 3], activation=activation, epochs=0)
    path = tmp_path / f"{activation}.onnx"
    run.export_onnx(path)
    grid = np.random.default_rng(0).uniform(-3, 3, (500, 2)).astype(np.float32)
    np.testing.assert_allclose(_outputs(path, grid), run.predict(grid), atol=1e-5, rtol=0)


@pytest.mark.parametrize("name, kw", [
    ("multiclass", dict(classes=4)),  # softmax output, 4 scores
    ("sine", {}),  # regression: a linear output
])
def test_onnx_outputs_equal_predict_for_other_outputs(tmp_path, name, kw):
    X, y = nnviz.datasets.make(name, **kw)
    X = X.reshape(len(X), -1)
    run = nnviz.train(X, y, hidden=[8], activation="tanh", optimizer="adam", epochs=50)
    path = tmp_path / "m.onnx"
    run.export_onnx(path)
    out = _outputs(path, X)
    assert out.shape == run.predict(X).shape
    np.testing.assert_allclose(out, run.predict(X), atol=1e-5, rtol=0)
    model = onnx.load(str(path))
    assert {p.key for p in model.metadata_props} >= {"task", "epoch"}


def test_onnx_of_a_network_with_input_features_takes_the_raw_points(tmp_path):
    X, y = nnviz.datasets.make("xor")
    run = nnviz.train(X, y, hidden=[], features="x1,x2^2,x1*x2,sin(x2)", epochs=100)
    path = tmp_path / "xor.onnx"
    run.export_onnx(path)
    grid = np.random.default_rng(1).uniform(-4, 4, (400, 2)).astype(np.float32)
    np.testing.assert_allclose(_outputs(path, grid), run.predict(grid), atol=1e-5, rtol=0)


def test_an_activation_without_an_op_is_refused_by_name(monkeypatch, tmp_path):
    from nnviz.core.network import NetworkSpec
    monkeypatch.setitem(activations.ACTIVATIONS, "mystery", activations.relu)
    spec = NetworkSpec(2, (3,), ("mystery",), 1, "sigmoid")
    with pytest.raises(OnnxError, match="'mystery' has no ONNX operator"):
        onnx_model(spec, [(np.zeros((2, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))])


def test_without_the_onnx_package_the_message_says_how_to_get_it(monkeypatch, tmp_path):
    X, y = nnviz.datasets.make("xor")
    run = nnviz.train(X, y, hidden=[3], epochs=2)
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx -> ImportError
    with pytest.raises(NnvizError, match=r"pip install 'nnviz\[onnx\]'"):
        run.export_onnx(tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_nnviz_train_export_onnx_writes_the_trained_model(tmp_path, capsys):
    path = tmp_path / "moons.onnx"
    code = cli.main(["train", "--dataset", "moons", "--hidden", "4,10,4", "--epochs", "200",
                     "--test-fraction", "0", "--export-onnx", str(path)])
    assert code == 0
    assert f"wrote the ONNX model {path}" in capsys.readouterr().out
    X, y = nnviz.datasets.make("moons")
    ref = nnviz.train(X, y, hidden=[4, 10, 4], epochs=200, test_fraction=0)
    np.testing.assert_allclose(_outputs(path, X), ref.predict(X), atol=1e-5, rtol=0)


def test_nnviz_train_export_onnx_refuses_before_training_without_onnx(monkeypatch, tmp_path,
                                                                       capsys):
    monkeypatch.setitem(sys.modules, "onnx", None)
    code = cli.main(["train", "--epochs", "100000000", "--export-onnx",
                     str(tmp_path / "m.onnx")])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'nnviz[onnx]'" in err and "Traceback" not in err


EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples")


@pytest.mark.parametrize("name", ["fruit", "daylight"])
def test_onnx_of_a_standardised_import_takes_the_files_raw_rows(tmp_path, capsys, name):
    # fruit.csv and daylight.csv are far from unit scale: nnviz trains on their standardised
    # columns. The ONNX model took standardised rows, and said nothing of it: fed rows as the
    # file has them (or new measurements), it answered nonsense. It now standardises them
    # itself, with the training data's means and sds, as the exported script's predict() does.
    csv_path = os.path.join(EXAMPLES, f"{name}.csv")
    path, saved = tmp_path / f"{name}.onnx", tmp_path / "run.nnviz"
    assert cli.main(["train", "--data", csv_path, "--epochs", "200", "--save", str(saved),
                     "--export-onnx", str(path)]) == 0
    assert "standardises them itself" in capsys.readouterr().out
    with open(csv_path) as f:
        rows = [r[:-1] for r in csv.reader(line for line in f if not line.startswith("#"))][1:]
    raw = np.array(rows, np.float64)
    trainer = load_session(saved).make_trainer()  # the app's run at epoch 200
    d = trainer.data
    assert d.scaling is not None and np.abs(raw - d.X).max() > 1  # the rows are not d.X
    want = trainer.predict(d.X)  # the app's outputs of the same points, in the file's order
    np.testing.assert_allclose(_outputs(path, raw), want, rtol=1e-4, atol=1e-5)
    model = onnx.load(str(path))
    meta = {p.key: p.value for p in model.metadata_props}
    np.testing.assert_allclose([float(v) for v in meta["input_means"].split(",")],
                               [m for m, _ in d.scaling])
    assert "standardises them" in model.graph.doc_string
