"""A trained network as an ONNX model, built with the ``onnx`` package (``pip install
'nnviz[onnx]'``): it opens in Netron and runs in onnxruntime.

The graph takes ``X``, float32 points in rows (N, features), and gives ``Y`` (N, outputs), the
numbers :meth:`nnviz.api.Run.predict` gives: P(class 1), class scores or values. Each layer is
a ``Gemm`` (X @ w + b, the weights as initializers named ``w0, b0, ...``) followed by its
activation's op(s), :data:`ONNX_OPS`:

=========== ================================================
nnviz       ONNX
=========== ================================================
linear      nothing (the Gemm's output is the layer's)
sigmoid     Sigmoid
tanh        Tanh
relu        Relu
leaky-relu  LeakyRelu (alpha 0.01)
elu         Elu (alpha 1)
gelu        Gelu (approximate "tanh", as jax.nn.gelu; opset 20)
swish       Sigmoid, then Mul by the input (x * sigmoid(x))
softplus    Softplus
sin         Sin
cos         Cos
softmax     Softmax (axis -1: over each point's units)
=========== ================================================

An activation without an entry (one added to nnviz later) is refused with an ExportError naming
it, before anything is written.

A network with input features (``x1*x2``, ``sin(x1)``, ...: :mod:`nnviz.core.features`) still
takes the raw points: the graph computes its features first (``Gather`` of a column, then
``Mul`` for a square or a product, ``Sin``), joined by a ``Concat``.

A network trained on a CSV file standardised on import (``Dataset.scaling``: each column
(value - mean) / sd) takes the file's raw values too, as the exported script's ``predict``
does: a ``Sub`` of the means (initializer ``input_means``) and a ``Div`` by the sds
(``input_sds``) come before everything else, so that new rows go in as the file has them.
"""
from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from nnviz import __version__

from .errors import NnvizError
from .formatting import plural
from .fileio import atomic_write

OPSET = 20  # the first with Gelu; onnxruntime >= 1.17 runs it
INSTALL_HINT = ("ONNX export needs the onnx package: pip install 'nnviz[onnx]' (or pip install "
                "onnx) into the environment that runs nnviz")

#: nnviz activation -> the ONNX ops that compute it, with their attributes.
ONNX_OPS: dict[str, tuple[tuple[str, dict], ...]] = {
    "linear": (),
    "sigmoid": (("Sigmoid", {}),),
    "tanh": (("Tanh", {}),),
    "relu": (("Relu", {}),),
    "leaky-relu": (("LeakyRelu", {"alpha": 0.01}),),
    "elu": (("Elu", {"alpha": 1.0}),),
    "gelu": (("Gelu", {"approximate": "tanh"}),),
    "swish": (("Sigmoid", {}), ("Mul", {})),  # Mul takes the layer's input as its 2nd operand
    "softplus": (("Softplus", {}),),
    "sin": (("Sin", {}),),
    "cos": (("Cos", {}),),
    "softmax": (("Softmax", {"axis": -1}),),
}


class OnnxError(NnvizError):
    """An ONNX export that cannot be made; the message says why."""


def have_onnx() -> bool:
    """Whether the onnx package is installed (found, not imported: the menu asks at launch)."""
    import importlib.util
    try:
        return importlib.util.find_spec("onnx") is not None
    except ValueError:  # a module without a spec
        return False


def check_exportable(activations: Sequence[str]) -> None:
    """OnnxError naming the first activation ONNX has no op for (and the ones it has)."""
    for i, name in enumerate(activations):
        if name not in ONNX_OPS:
            where = f"layer {i + 1}" if i < len(activations) - 1 else "the output layer"
            raise OnnxError(f"{where}'s activation {name!r} has no ONNX operator, so the model "
                            f"cannot be exported as ONNX; these can: {', '.join(ONNX_OPS)}")


def onnx_model(spec, params, *, doc: str = "", metadata: dict[str, str] | None = None,
               scaling: Sequence[tuple[float, float]] | None = None,
               target_scaling: tuple[float, float] | None = None):
    """The ``onnx.ModelProto`` of network ``spec`` with weights ``params`` ((w (in, out), b) per
    layer), checked by ``onnx.checker``; ``scaling``: the (mean, sd) of each input column the
    network was trained on standardised (``Dataset.scaling``), which the graph applies to the
    raw rows it takes; ``target_scaling``: the (mean, sd) of the standardised targets it was
    trained on (``Dataset.target_scaling``), which the graph undoes, output * sd + mean, so Y
    is in the file's units. OnnxError without the onnx package or for an activation that has
    no op."""
    acts = tuple(spec.layer_activations)
    check_exportable(acts)
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        raise OnnxError(INSTALL_HINT) from None
    nodes, inits = [], []
    x = "X"
    if scaling:
        mean, sd = np.array(scaling, np.float64).reshape(-1, 2).T
        if len(mean) != spec.input_dim:
            raise OnnxError(f"the data's scaling has {len(mean)} columns, the network takes "
                            f"{spec.input_dim}")
        inits += [numpy_helper.from_array(mean.astype(np.float32)[None, :], "input_means"),
                  numpy_helper.from_array(sd.astype(np.float32)[None, :], "input_sds")]
        nodes += [helper.make_node("Sub", ["X", "input_means"], ["X_centred"], name="centre"),
                  helper.make_node("Div", ["X_centred", "input_sds"], ["X_standardised"],
                                   name="standardise")]
        x = "X_standardised"
    x = _features(spec, x, nodes, inits, helper, numpy_helper)
    for i, ((w, b), name) in enumerate(zip(params, acts)):
        w = np.asarray(w, np.float32)
        b = np.asarray(b, np.float32).reshape(-1)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        z = f"z{i}"
        nodes.append(helper.make_node("Gemm", [x, f"w{i}", f"b{i}"], [z], name=f"layer{i}"))
        x = z
        for j, (op, attrs) in enumerate(ONNX_OPS[name]):
            out = f"a{i}_{j}"
            inputs = [x, z] if op == "Mul" else [x]
            nodes.append(helper.make_node(op, inputs, [out], name=f"{name}{i}_{j}", **attrs))
            x = out
    if target_scaling:
        t_mean, t_sd = target_scaling
        inits += [numpy_helper.from_array(np.array([t_sd], np.float32), "target_sd"),
                  numpy_helper.from_array(np.array([t_mean], np.float32), "target_mean")]
        nodes += [helper.make_node("Mul", [x, "target_sd"], ["Y_scaled"], name="target_scale"),
                  helper.make_node("Add", ["Y_scaled", "target_mean"], ["Y_raw"],
                                   name="target_unstandardise")]
        x = "Y_raw"
    nodes.append(helper.make_node("Identity", [x], ["Y"], name="output"))
    graph = helper.make_graph(
        nodes, "nnviz_mlp",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", spec.input_dim])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", spec.output_dim])],
        inits, doc_string=doc)
    model = helper.make_model(graph, producer_name="nnviz", producer_version=__version__,
                              opset_imports=[helper.make_opsetid("", OPSET)],
                              doc_string=doc)
    model.ir_version = min(model.ir_version, 9)  # readable by onnxruntime releases of 2024 on
    helper.set_model_props(model, dict(metadata or {}))
    onnx.checker.check_model(model, full_check=True)
    return model


def _features(spec, x: str, nodes: list, inits: list, helper, numpy_helper) -> str:
    """Nodes that make the first layer's input from the points ``x`` (a tensor's name); its
    name."""
    from .features import indices
    names = tuple(getattr(spec, "features", ()) or ())
    if not names:
        return x
    columns: dict[int, str] = {}

    def column(i: int) -> str:  # X[:, i:i+1]
        if i not in columns:
            idx = f"col{i}_index"
            inits.append(numpy_helper.from_array(np.array([i], np.int64), idx))
            columns[i] = f"x{i + 1}"
            nodes.append(helper.make_node("Gather", [x, idx], [columns[i]], axis=1,
                                          name=f"x{i + 1}"))
        return columns[i]

    outs = []
    for k, name in enumerate(names):
        idx = indices(name)
        if name.startswith("sin("):
            out = f"feature{k}"
            nodes.append(helper.make_node("Sin", [column(idx[0])], [out], name=name))
        elif name.endswith("^2") or len(idx) == 2:
            a = column(idx[0])
            b = a if len(idx) == 1 else column(idx[1])
            out = f"feature{k}"
            nodes.append(helper.make_node("Mul", [a, b], [out], name=name))
        else:
            out = column(idx[0])
        outs.append(out)
    nodes.append(helper.make_node("Concat", outs, ["features"], axis=1, name="features"))
    return "features"


def write_onnx(path: str | os.PathLike, spec, params, *, doc: str = "",
               metadata: dict[str, str] | None = None,
               scaling: Sequence[tuple[float, float]] | None = None,
               target_scaling: tuple[float, float] | None = None) -> None:
    """The ONNX model of the network into ``path`` (see :func:`onnx_model`), atomically (a
    failure leaves the file that was there); OnnxError if it cannot be made or written."""
    data = onnx_model(spec, params, doc=doc, metadata=metadata, scaling=scaling,
                      target_scaling=target_scaling).SerializeToString()
    try:
        with atomic_write(path) as f:
            f.write(data)
    except OSError as e:
        why = getattr(e, "reason", None) or e.strerror or e
        raise OnnxError(f"cannot write {os.fspath(path)}: {why}") from None


def describe(trainer, class_names: Sequence[str] | None = None,
             epoch: int | None = None) -> tuple[str, dict[str, str]]:
    """The doc string and metadata of a trainer's model: what goes in and what comes out;
    ``epoch``: the epoch whose weights are written (default: the trainer's)."""
    spec, data = trainer.spec, trainer.data
    epoch = trainer.epoch if epoch is None else int(epoch)
    out = ("P(class 1)" if data.is_classification and spec.output_dim == 1 else
           "class scores" if data.is_classification else "the predicted value")
    if getattr(data, "target_scaling", None):
        out += (" in the data file's units (the network's standardised output * target_sd + "
                "target_mean)")
    raw = (" as in the data file (raw values: the graph standardises them, (x - input_means) "
           "/ input_sds, as the training points were)" if data.scaling else "")
    doc = (f"nnviz {spec.shapes_text()} MLP trained on {data.name} for "
           f"{plural(epoch, 'epoch')} "
           f"({trainer.config.loss}, {trainer.config.optimizer}). Input X: points in rows "
           f"(N, {spec.input_dim}){raw}; output Y (N, {spec.output_dim}): {out}.")
    meta = {"task": data.task, "epoch": str(epoch), "loss": trainer.config.loss,
            "activations": ",".join(spec.layer_activations)}
    if data.scaling:
        meta["input_means"] = ",".join(repr(float(m)) for m, _ in data.scaling)
        meta["input_sds"] = ",".join(repr(float(sd)) for _, sd in data.scaling)
    if getattr(data, "target_scaling", None):
        meta["target_mean"], meta["target_sd"] = (repr(float(v)) for v in data.target_scaling)
    if getattr(spec, "features", ()):
        meta["input_features"] = ",".join(spec.features)
    if class_names:
        meta["class_names"] = ",".join(str(c) for c in class_names)
    return doc, meta
