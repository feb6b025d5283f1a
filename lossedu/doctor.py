"""``lossedu.doctor``: find loss, output-layer, label and metric mistakes in a Keras model.

>>> report = lossedu.doctor(model)                  # doctest: +SKIP
>>> report = lossedu.doctor(model, x=x_train, y=y_train)  # doctest: +SKIP
>>> report.ok, report.codes                         # doctest: +SKIP
(False, ['linear-output-probability-loss'])

How the model is read, most reliable first:

1. the layer graph (Sequential and functional models): the activation of the layer that
   produces the output, and any layer after it (Reshape, Flatten, Dropout, ...);
2. on the TensorFlow backend, a trace of ``model(x, training=True)`` plus the loss, exactly as
   ``fit`` runs them (only traced, never executed, so no weight or statistic changes).  The
   trace says whether Keras 3 will repair a softmax/sigmoid output passed with
   ``from_logits=True`` (it does when the tensor still carries ``_keras_logits``, see
   ``keras/src/backend/tensorflow/nn.py::_get_logits``) and which op made the output;
3. a probe batch (``x[:32]``, or random input of the model's input shape): rows in [0, 1]
   summing to 1 are softmax probabilities, values in (0, 1) sigmoid ones, anything outside
   [0, 1] logits.

Keras is imported inside the functions only: ``import lossedu`` stays free of TensorFlow.
The command line is ``python -m lossedu doctor model.keras [--labels y.npy]``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np

from lossedu.doctor_checks import (
    CODES,
    Finding,
    LabelFacts,
    LossFacts,
    MetricFacts,
    OutputFacts,
    Report,
    Subject,
    run_checks,
)

__all__ = ["doctor", "main_doctor", "Finding", "Report", "CODES"]

PROBE_ROWS = 32

# Loss names (function, class, alias) -> family.  Strings mean from_logits=False.
_LOSS_FAMILIES = {
    "sparse_categorical_crossentropy": "sparse",
    "sparsecategoricalcrossentropy": "sparse",
    "categorical_crossentropy": "categorical",
    "categoricalcrossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "categoricalfocalcrossentropy": "categorical",
    "binary_crossentropy": "binary",
    "binarycrossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "binaryfocalcrossentropy": "binary",
    "bce": "binary",
    "crossentropy": "auto",
    "ce": "auto",
}

# Layers that pass their input through unchanged in value (or in inference): the activation
# before them still decides what the output is, but Keras's hidden-logits repair may be lost.
_PASS_THROUGH = (
    "Reshape", "Flatten", "Permute", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianDropout", "AlphaDropout", "GaussianNoise",
    "ActivityRegularization", "Identity", "Masking",
)
# Keras ops applied to KerasTensors in the functional API, by class name.
_OP_ACTIVATIONS = {
    "Softmax": "softmax", "Sigmoid": "sigmoid", "Relu": "relu", "LogSoftmax": "log_softmax",
    "Tanh": "tanh", "Softplus": "softplus", "HardSigmoid": "hard_sigmoid", "Relu6": "relu6",
}
_OP_PASS_THROUGH = {"Reshape", "Squeeze", "ExpandDims", "Transpose", "Cast"}
# TensorFlow graph op types at the end of a traced output.
_TF_ACTIVATIONS = {
    "Softmax": "softmax", "Sigmoid": "sigmoid", "Relu": "relu", "Relu6": "relu6",
    "Elu": "elu", "Selu": "selu", "Softplus": "softplus", "Tanh": "tanh",
    "LogSoftmax": "log_softmax", "LeakyRelu": "leaky_relu", "Exp": "exponential",
}
_TF_LINEAR = {"MatMul", "BiasAdd", "BatchMatMulV2", "BatchMatMulV3", "Einsum", "Conv2D",
              "Conv1D", "Conv3D", "AddV2", "Add", "Sub"}
_TF_PASS_THROUGH = {"Identity", "Reshape", "Squeeze", "ExpandDims", "Transpose", "IdentityN",
                    "StopGradient", "Cast"}


def _is_repair_warning(message) -> bool:
    """Keras's "received `from_logits=True`, but the `output` argument was produced by a
    Softmax activation and thus does not represent logits" (backend/tensorflow/nn.py)."""
    text = str(message)
    return "from_logits=True" in text and ("produced by" in text
                                           or "does not represent logits" in text)


# --- reading the loss ------------------------------------------------------------------------

def _describe_loss(keras, loss) -> LossFacts:
    """What Keras will do with ``loss``: its family and its from_logits."""
    if loss is None:
        return LossFacts(display="(none)", family=None, from_logits=None, given=False,
                         recognised=False)
    if isinstance(loss, str):
        fam = _LOSS_FAMILIES.get(loss.lower().replace(" ", ""))
        cls = {"sparse": "SparseCategoricalCrossentropy", "categorical": "CategoricalCrossentropy",
               "binary": "BinaryCrossentropy"}.get(fam, "")
        return LossFacts(display=repr(loss), family=fam, from_logits=False if fam else None,
                         class_name=cls, recognised=fam is not None)
    if isinstance(loss, dict) and "class_name" in loss:
        with contextlib.suppress(Exception):
            return _describe_loss(keras, keras.losses.get(loss))
    kwargs = {}
    fn = loss
    if isinstance(loss, functools.partial):
        fn, kwargs = loss.func, dict(loss.keywords or {})
    cls_name = type(fn).__name__
    fam = None
    from_logits = None
    ignore_class = None
    if isinstance(fn, keras.losses.Loss):
        fn_kwargs = dict(getattr(fn, "_fn_kwargs", {}) or {})
        inner = getattr(fn, "fn", None)
        fam = _LOSS_FAMILIES.get(cls_name.lower())
        if fam is None and inner is not None:  # LossFunctionWrapper(fn, **kwargs)
            fam = _LOSS_FAMILIES.get(getattr(inner, "__name__", "").lower())
            cls_name = getattr(inner, "__name__", cls_name)
        from_logits = getattr(fn, "from_logits", fn_kwargs.get("from_logits"))
        if fam is not None and from_logits is None:
            from_logits = False
        ignore_class = fn_kwargs.get("ignore_class")
        args = [f"from_logits={from_logits}"] if fam else []
        if ignore_class is not None:
            args.append(f"ignore_class={ignore_class}")
        display = f"{type(fn).__name__}({', '.join(args)})"
    elif callable(fn):
        name = getattr(fn, "__name__", type(fn).__name__)
        fam = _LOSS_FAMILIES.get(name.lower())
        if fam is not None:
            from_logits = bool(kwargs.get("from_logits", False))
            ignore_class = kwargs.get("ignore_class")
        display = (f"keras.losses.{name}" if fam else name) + (
            f"(from_logits={from_logits})" if isinstance(loss, functools.partial) and fam else "")
    else:
        display = repr(loss)
    return LossFacts(display=display, family=fam, from_logits=from_logits, class_name=cls_name,
                     ignore_class=ignore_class, recognised=fam is not None)


def _metric_facts(keras, metrics) -> list[MetricFacts]:
    """The accuracy metrics among ``metrics`` (strings, objects, functions; flattened)."""
    out = []
    for m in _flatten(metrics):
        if m is None:
            continue
        if isinstance(m, str):
            low = m.lower()
            if low in ("accuracy", "acc"):
                out.append(MetricFacts(display=f'"{m}"', kind="accuracy"))
            elif low in ("binary_accuracy", "binaryaccuracy"):
                out.append(MetricFacts(display=f'"{m}"', kind="binary_accuracy", threshold=0.5))
            continue
        if isinstance(m, keras.metrics.BinaryAccuracy):
            th = getattr(m, "threshold", None)
            if th is None:
                th = (getattr(m, "_fn_kwargs", {}) or {}).get("threshold", 0.5)
            out.append(MetricFacts(display=f"BinaryAccuracy(threshold={th})",
                                   kind="binary_accuracy", threshold=float(th)))
        elif getattr(m, "__name__", "") == "binary_accuracy":
            out.append(MetricFacts(display="keras.metrics.binary_accuracy",
                                   kind="binary_accuracy", threshold=0.5))
    return out


def _flatten(obj) -> list:
    if obj is None:
        return []
    if isinstance(obj, dict):
        return [v for value in obj.values() for v in _flatten(value)]
    if isinstance(obj, (list, tuple)):
        return [v for value in obj for v in _flatten(value)]
    return [obj]


def _compiled(model) -> tuple[object, object]:
    """(loss, metrics + weighted metrics) as passed to ``model.compile``, or (None, None)."""
    config = getattr(getattr(model, "_compile_config", None), "config", None) or {}
    loss = config.get("loss", getattr(model, "loss", None))
    metrics = config.get("metrics")
    weighted = config.get("weighted_metrics")
    if metrics is None and weighted is None:
        cm = getattr(model, "_compile_metrics", None)
        metrics = getattr(cm, "_user_metrics", None)
        weighted = getattr(cm, "_user_weighted_metrics", None)
    return loss, _merge_metrics(metrics, weighted)


def _merge_metrics(metrics, weighted):
    if weighted is None:
        return metrics
    if metrics is None:
        return weighted
    if isinstance(metrics, dict) and isinstance(weighted, dict):
        merged = {k: _flatten(v) for k, v in metrics.items()}
        for k, v in weighted.items():
            merged.setdefault(k, []).extend(_flatten(v))
        return merged
    return _flatten(metrics) + _flatten(weighted)


# --- reading the labels ----------------------------------------------------------------------

def _label_facts(y, units: int | None, out_rank: int | None) -> LabelFacts | None:
    if y is None or units is None:
        return None
    y = np.asarray(y)
    if y.size == 0 or y.dtype.kind not in "biuf":
        return None
    out_rank = out_rank or 2
    yf = y.astype(np.float64)
    finite = yf[np.isfinite(yf)]
    if finite.size == 0:
        return None
    frac = finite[finite != np.round(finite)]
    integer = frac.size == 0
    vmin, vmax = float(finite.min()), float(finite.max())
    if y.ndim == out_rank - 1 or (y.ndim == out_rank and y.shape[-1] == 1 and units > 1):
        fmt = "sparse"
    elif y.ndim == out_rank and (units > 1 or y.shape[-1] > 1):
        fmt = "dense"
    elif y.ndim == out_rank and units == 1:
        fmt = "sparse"  # (N, 1) binary labels: one column, one unit
    else:
        fmt = "mismatch"
    exclusive = multi_hot = distribution = False
    n_values = int(np.unique(finite).size) if fmt == "sparse" else int(y.shape[-1])
    if fmt == "dense" and y.shape[-1] > 1:
        rows = yf.reshape(-1, y.shape[-1])
        zero_one = bool(np.all((rows == 0) | (rows == 1)))
        sums = rows.sum(axis=1)
        in_unit = vmin >= 0 and vmax <= 1
        distribution = bool(in_unit and np.allclose(sums, 1.0, atol=1e-3))
        exclusive = bool(zero_one and np.all(sums == 1))
        multi_hot = bool(zero_one and not exclusive)
    return LabelFacts(shape=tuple(int(d) for d in y.shape), format=fmt, integer=integer,
                      vmin=vmin, vmax=vmax, n_values=n_values, exclusive=exclusive,
                      multi_hot=multi_hot, distribution=distribution,
                      example_fraction=float(frac[0]) if frac.size else None)


# --- reading the output: the layer graph -----------------------------------------------------

def _activation_name(fn) -> str:
    if fn is None:
        return "linear"
    name = getattr(fn, "__name__", None) or type(fn).__name__
    name = name.lower()
    table = [
        ("log_softmax", "log_softmax"), ("softmax", "softmax"), ("hard_sigmoid", "hard_sigmoid"),
        ("log_sigmoid", "log_sigmoid"), ("sigmoid", "sigmoid"), ("linear", "linear"),
        ("identity", "linear"), ("relu6", "relu6"), ("leaky_relu", "leaky_relu"),
        ("leakyrelu", "leaky_relu"), ("relu", "relu"), ("hard_tanh", "hard_tanh"),
        ("tanh", "tanh"), ("softplus", "softplus"), ("softsign", "softsign"), ("selu", "selu"),
        ("gelu", "gelu"), ("elu", "elu"), ("silu", "silu"), ("swish", "swish"),
        ("exponential", "exponential"), ("mish", "mish"),
    ]
    for key, value in table:
        if key in name:
            return value
    return "unknown"


def _layer_activation(keras, layer) -> str | None:
    """The activation a layer applies last, or None when the layer is not an activation."""
    L = keras.layers
    if isinstance(layer, L.Softmax):
        return "softmax"
    if isinstance(layer, L.ReLU):
        return "relu"
    if isinstance(layer, L.LeakyReLU):
        return "leaky_relu"
    if isinstance(layer, L.ELU):
        return "elu"
    if isinstance(layer, L.PReLU):
        return "leaky_relu"
    if isinstance(layer, keras.Model) or isinstance(layer, L.InputLayer):
        return None
    if hasattr(layer, "activation") and not isinstance(layer, (L.RNN,)):
        act = layer.activation
        if isinstance(act, keras.layers.Layer):
            return _layer_activation(keras, act) or "unknown"
        return _activation_name(act)
    return None


def _input_tensor(op, node_index: int):
    node = op._inbound_nodes[node_index]
    tensors = list(node.input_tensors)
    return tensors[0] if len(tensors) == 1 else None


def _walk_graph(keras, tensor, depth: int = 0):
    """(activation, layer class, layer name, layers after) for a symbolic output tensor."""
    after: list[str] = []
    for _ in range(64):
        hist = getattr(tensor, "_keras_history", None)
        if hist is None:
            return "unknown", "", "", tuple(after)
        op = hist.operation
        cls = type(op).__name__
        if isinstance(op, keras.Model) and depth < 8:
            try:
                inner = op.outputs[hist.tensor_index]
            except Exception:
                return "unknown", cls, op.name, tuple(after)
            act, lcls, lname, inner_after = _walk_graph(keras, inner, depth + 1)
            return act, lcls, lname, inner_after + tuple(after)
        if isinstance(op, keras.layers.Layer):
            if cls in _PASS_THROUGH or (isinstance(op, keras.layers.Activation)
                                        and _activation_name(op.activation) == "linear"):
                after.insert(0, f"{cls} '{op.name}'")
                nxt = _input_tensor(op, hist.node_index)
                if nxt is None:
                    return "unknown", cls, op.name, tuple(after)
                tensor = nxt
                continue
            act = _layer_activation(keras, op)
            if act is None:
                return "unknown", cls, op.name, tuple(after)
            return act, cls, op.name, tuple(after)
        # A keras.ops call on a KerasTensor (functional API): keras.ops.softmax(h), ...
        if cls in _OP_ACTIVATIONS:
            return _OP_ACTIVATIONS[cls], f"keras.ops.{_OP_ACTIVATIONS[cls]}", op.name, tuple(after)
        if cls in _OP_PASS_THROUGH:
            after.insert(0, f"keras.ops.{cls.lower()}")
            nxt = _input_tensor(op, hist.node_index)
            if nxt is None:
                return "unknown", cls, op.name, tuple(after)
            tensor = nxt
            continue
        return "unknown", cls, getattr(op, "name", cls), tuple(after)
    return "unknown", "", "", tuple(after)


def _graph_outputs(model) -> list | None:
    try:
        outs = model.outputs
    except Exception:
        return None
    if not outs:
        return None
    return list(outs)


def _output_names(model, n: int) -> list[str]:
    names = None
    with contextlib.suppress(Exception):
        names = list(model.output_names)
    if not names or len(names) != n:
        names = [f"output_{i}" for i in range(n)] if n > 1 else [getattr(model, "name", "output")]
    return names


# --- reading the output: probe and trace -----------------------------------------------------

def _take(x, n: int):
    if isinstance(x, dict):
        return {k: _take(v, n) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_take(v, n) for v in x)
    return np.asarray(x)[:n]


def _from_dataset(x, y):
    """A tf.data.Dataset (or other iterable of batches) becomes one (x, y) batch."""
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict)) or hasattr(x, "__array__"):
        return x, y
    if hasattr(x, "take") and hasattr(x, "element_spec"):
        batch = next(iter(x.take(1)))
        if isinstance(batch, tuple) and len(batch) >= 2:
            bx, by = batch[0], batch[1]
            return _to_numpy(bx), (y if y is not None else _to_numpy(by))
        return _to_numpy(batch), y
    return x, y


def _to_numpy(t):
    if isinstance(t, dict):
        return {k: _to_numpy(v) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(_to_numpy(v) for v in t)
    return np.asarray(t)


def _probe_input(keras, model, x):
    """One small batch to call the model on: ``x[:32]`` or random input of the right shape."""
    if x is not None:
        return _take(x, PROBE_ROWS), "x[:32]"
    specs = None
    with contextlib.suppress(Exception):
        ins = model.inputs
        if ins:
            specs = [(tuple(t.shape), str(getattr(t, "dtype", "float32"))) for t in ins]
    if specs is None:
        shapes = getattr(model, "_build_shapes_dict", None) or {}
        if len(shapes) == 1:
            shape = next(iter(shapes.values()))
            if isinstance(shape, (list, tuple)) and all(
                    d is None or isinstance(d, int) for d in shape):
                specs = [(tuple(shape), "float32")]
    if not specs:
        return None, ""
    rng = np.random.default_rng(0)
    arrays = []
    for shape, dtype in specs:
        dims = [8 if d is None else int(d) for d in shape]
        dims[0] = 8
        if "int" in dtype or "bool" in dtype:
            arrays.append(rng.integers(0, 2, size=dims).astype(dtype))
        else:
            arrays.append(rng.standard_normal(dims).astype("float32"))
    if len(arrays) == 1:
        return arrays[0], "random input"
    struct = getattr(model, "_inputs_struct", None)
    if struct is not None:
        with contextlib.suppress(Exception):
            return keras.tree.pack_sequence_as(struct, arrays), "random input"
    return arrays, "random input"


def _probe_stats(values: np.ndarray) -> dict:
    v = np.asarray(values, dtype=np.float64)
    v = v.reshape(-1, v.shape[-1]) if v.ndim >= 2 else v.reshape(-1, 1)
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return {"min": float("nan"), "max": float("nan"), "rowsum_err": float("nan")}
    return {
        "min": float(finite.min()),
        "max": float(finite.max()),
        "rowsum_err": float(np.nanmax(np.abs(v.sum(axis=-1) - 1.0))),
        "any_zero": bool(np.any(v == 0.0)),
        "constant_one": bool(np.all(v == 1.0)),
    }


def _activation_from_probe(stats: dict, units: int | None, has_logits: bool) -> str:
    lo, hi, err = stats["min"], stats["max"], stats["rowsum_err"]
    if not np.isfinite(lo):
        return "unknown"
    if units == 1 and stats.get("constant_one") and has_logits:
        return "softmax"
    if units and units > 1 and lo >= 0 and hi <= 1 and err < 1e-3:
        return "softmax"
    if lo >= 0 and hi <= 1 and (has_logits or (lo > 0 and hi < 1)):
        return "sigmoid"
    if lo >= 0:
        return "nonnegative"
    return "linear"


def _tf_activation(ops: list[str]) -> tuple[str, bool]:
    """Activation named by the last non-pass-through op, and whether pass-through ops followed."""
    if not ops:
        return "unknown", False
    last = ops[-1]
    after = len(ops) > 1
    if last in _TF_ACTIVATIONS:
        return _TF_ACTIVATIONS[last], after
    if last in _TF_LINEAR:
        return "linear", after
    return "unknown", after


def _op_chain(tensor) -> list[str]:
    chain = []
    cur = tensor
    for _ in range(32):
        op = getattr(cur, "op", None)
        if op is None:
            break
        try:
            typ = op.type
        except Exception:
            break
        chain.append(typ)
        if typ in _TF_PASS_THROUGH and len(op.inputs):
            cur = op.inputs[0]
            continue
        break
    return chain


def _dummy_labels(family: str, shape, units: int):
    shape = tuple(int(d) for d in shape)
    if family == "sparse":
        return np.zeros(shape[:-1], dtype="int32")
    y = np.zeros(shape, dtype="float32")
    if family == "categorical" and units > 1:
        y[..., 0] = 1.0
    return y


def _fit_loss(keras, identifier, y_true, y_pred):
    """The loss object ``fit`` would build from ``identifier`` (compile_utils.get_loss)."""
    try:
        from keras.src.trainers.compile_utils import get_loss

        return get_loss(identifier, y_true, y_pred)
    except Exception:
        return keras.losses.get(identifier)


def _trace(keras, model, x_probe, repair_jobs: dict) -> dict:
    """Trace ``model(x, training=True)`` and the losses as ``fit`` does; never execute it.

    Returns per flat output index: the op chain, whether the tensor carries ``_keras_logits``,
    its dtype, and (for the indices in ``repair_jobs``) whether Keras's loss emitted its
    "received from_logits=True, but the output was produced by a Softmax/Sigmoid" warning,
    i.e. whether it substituted the hidden logits.
    """
    import tensorflow as tf

    info: dict = {}

    def fn(xb):
        out = model(xb, training=True)
        for i, t in enumerate(keras.tree.flatten(out)):
            r = {"ops": _op_chain(t), "has_logits": hasattr(t, "_keras_logits"),
                 "dtype": getattr(t.dtype, "name", str(t.dtype)), "shape": tuple(t.shape)}
            if i in repair_jobs:
                identifier, family, units = repair_jobs[i]
                y = tf.constant(_dummy_labels(family, t.shape, units))
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        _fit_loss(keras, identifier, y, t)(y, t)
                        r["repaired"] = any(_is_repair_warning(w.message) for w in caught)
                    except Exception as exc:  # the oracle failed: fall back to the rules
                        r["loss_error"] = f"{type(exc).__name__}: {exc}"
            info[i] = r
        return tf.constant(0.0)

    x_t = tf.nest.map_structure(tf.constant, x_probe)
    tf.function(fn, autograph=False).get_concrete_function(x_t)
    return info


# --- putting it together ---------------------------------------------------------------------

def _per_output(obj, names: list[str], kind: str):
    """Split a loss/labels/metrics structure into one item per output."""
    n = len(names)
    if n == 1:
        if isinstance(obj, dict) and set(obj) == {names[0]}:
            return [obj[names[0]]]
        if kind != "metrics" and isinstance(obj, (list, tuple)) and len(obj) == 1:
            return [obj[0]]
        return [obj]
    if isinstance(obj, dict):
        return [obj.get(name) for name in names]
    if isinstance(obj, (list, tuple)) and len(obj) == n:
        return list(obj)
    if kind == "loss":
        return [obj] * n
    return [None] * n


def _backend_name(keras) -> str:
    return keras.backend.backend()


def _import_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def doctor(model, loss=None, x=None, y=None) -> Report:
    """Check a Keras model's output layer, loss, labels and metrics for the classic mistakes.

    ``loss`` defaults to the compiled loss (object, string or function).  ``x`` (a batch is
    enough; ``x[:32]`` is used) lets the doctor probe models whose graph it cannot read, such
    as subclassed models.  ``y`` (the labels, all of them if you like: only NumPy statistics
    are computed) enables the label checks.  Returns a :class:`Report`; nothing is trained,
    and the model's weights are not changed.
    """
    keras = _import_keras()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _doctor(keras, model, loss, x, y)


def _doctor(keras, model, loss, x, y) -> Report:
    backend = _backend_name(keras)
    compiled_loss, compiled_metrics = _compiled(model)
    loss_id = loss if loss is not None else compiled_loss
    model_name = getattr(model, "name", type(model).__name__)
    x, y = _from_dataset(x, y)

    graph_outs = _graph_outputs(model)
    n_out = len(graph_outs) if graph_outs else None
    outputs: list[OutputFacts] = []
    if graph_outs:
        names = _output_names(model, n_out)
        for name, t in zip(names, graph_outs, strict=True):
            act, lcls, lname, after = _walk_graph(keras, t)
            shape = tuple(t.shape)
            outputs.append(OutputFacts(
                name=lname or name, units=shape[-1] if shape else None, activation=act,
                layer=lcls, source="graph", after=after, dtype=str(getattr(t, "dtype", "")) or None,
                backend=backend))
        ranks = [len(t.shape) for t in graph_outs]

    # The probe: needed when the graph is missing or says "unknown", and for the repair oracle.
    x_probe, probe_from = _probe_input(keras, model, x)
    eager_outs = None
    probe_error = ""
    need_probe = not outputs or any(o.activation == "unknown" for o in outputs)
    if x_probe is not None and need_probe:
        try:
            eager_outs = keras.tree.flatten(model(x_probe, training=False))
        except Exception as exc:
            probe_error = f"calling the model on {probe_from} failed ({type(exc).__name__}: {exc})"
    if not outputs:
        if eager_outs is None:
            note = probe_error or ("the model has no readable graph and no input shape; "
                                   "pass x= (a batch of inputs)")
            names = _output_names(model, 1)
            outputs = [OutputFacts(name=names[0], units=None, activation="unknown",
                                   source="probe", backend=backend, note=note)]
            ranks = [None]
        else:
            names = _output_names(model, len(eager_outs))
            outputs = [OutputFacts(name=nm, units=(int(t.shape[-1]) if len(t.shape) else None),
                                   activation="unknown", source="probe", backend=backend,
                                   dtype=str(getattr(t, "dtype", "")))
                       for nm, t in zip(names, eager_outs, strict=True)]
            ranks = [len(t.shape) for t in eager_outs]
    model_out_names = _output_names(model, len(outputs))

    losses = _per_output(loss_id, model_out_names, "loss")
    ys = _per_output(y, model_out_names, "labels") if y is not None else [None] * len(outputs)
    metric_items = _per_output(compiled_metrics, model_out_names, "metrics")
    loss_facts = [_describe_loss(keras, lo) for lo in losses]

    # Values of the probe batch decide what the graph could not.
    for i, o in enumerate(outputs):
        if eager_outs is not None and i < len(eager_outs) and o.activation == "unknown":
            vals = keras.ops.convert_to_numpy(eager_outs[i])
            o.probe = _probe_stats(vals)
            has_logits = hasattr(eager_outs[i], "_keras_logits")
            o.activation = _activation_from_probe(o.probe, o.units, has_logits)
            o.source = "probe"
        elif o.activation == "unknown" and probe_error:
            o.note = probe_error

    # The TensorFlow trace: which op made each output, and does Keras repair from_logits=True.
    if backend == "tensorflow" and x_probe is not None and not probe_error:
        jobs = {}
        for i, (o, lf) in enumerate(zip(outputs, loss_facts, strict=True)):
            if lf.from_logits is True and lf.family is not None:
                fam = lf.family
                if fam == "auto":
                    fam = "binary" if o.units == 1 else "categorical"
                jobs[i] = (losses[i], fam, o.units or 1)
        needs_ops = any(o.source == "probe" for o in outputs)
        if jobs or needs_ops:
            try:
                info = _trace(keras, model, x_probe, jobs)
            except Exception as exc:
                info = {}
                for o in outputs:
                    o.note = o.note or f"tracing the model failed ({type(exc).__name__})"
            for i, o in enumerate(outputs):
                r = info.get(i)
                if not r:
                    continue
                o.dtype = r["dtype"]
                if o.source == "probe":
                    tf_act, tf_after = _tf_activation(r["ops"])
                    if tf_act != "unknown":  # the op that made the output beats the values
                        o.activation = tf_act
                        o.source = "traced graph"
                        o.layer = f"TF op {r['ops'][-1]}"
                        if tf_after:
                            o.after = tuple(f"a {op} op" for op in r["ops"][:-1])
                if "repaired" in r:
                    o.repaired = r["repaired"]
                    o.repair_checked = True
    for o, lf in zip(outputs, loss_facts, strict=True):
        if o.repaired is None and lf.from_logits is True:
            o.repaired = (backend == "tensorflow" and not o.after and o.dtype in (None, "float32")
                          and lf.ignore_class is None and o.activation in ("softmax", "sigmoid")
                          and not lf.class_name.endswith("FocalCrossentropy"))

    findings: list[Finding] = []
    subjects = []
    for i, o in enumerate(outputs):
        labels = _label_facts(ys[i], o.units, ranks[i] if i < len(ranks) else None)
        subject = Subject(output=o, loss=loss_facts[i], labels=labels,
                          metrics=_metric_facts(keras, metric_items[i]))
        subjects.append(subject)
        for f in run_checks(subject):
            if len(outputs) > 1:
                f = Finding(f.severity, f.code, f"[output '{o.name}'] {f.what}", f.why, f.fix)
            findings.append(f)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])
    return Report(findings=findings, summary=_summary(subjects), model_name=model_name,
                  context={"backend": backend, "subjects": subjects})


def _summary(subjects: list[Subject]) -> str:
    parts = []
    for s in subjects:
        o = s.output
        if o.activation == "linear":
            what = "logits"
        elif o.activation in ("softmax", "sigmoid", "hard_sigmoid"):
            what = f"{o.activation} probabilities"
        else:
            what = f"{o.activation} values" if o.activation != "unknown" else "unknown values"
        text = f"output {o.desc} gives {what}; loss {s.loss.display}"
        if s.labels is not None:
            lab = s.labels
            kind = ("class ids" if lab.format == "sparse" else
                    "one-hot rows" if lab.exclusive else
                    "multi-hot rows" if lab.multi_hot else f"{lab.format} labels")
            text += f"; labels {kind}, shape {lab.shape}"
        if s.metrics:
            text += "; metrics " + ", ".join(m.display for m in s.metrics)
        parts.append(text)
    return " | ".join(parts) + "."


# --- command line ----------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {sev:8s} {code}" for code, sev in CODES.items())
    parser = argparse.ArgumentParser(
        prog="python -m lossedu doctor",
        description="Check a saved Keras model (.keras) for loss, output-layer, label and\n"
                    "metric mistakes: from_logits, softmax on one unit, label format, accuracy.",
        epilog=f"exit status: 0 no error-level finding, 1 at least one error, 2 the model or "
               f"labels could not be read.\n\nfinding codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="path to a model saved with model.save('model.keras')")
    parser.add_argument("--labels", metavar="Y.npy",
                        help="the training labels as a .npy file: enables the label checks")
    parser.add_argument("--inputs", metavar="X.npy",
                        help="a batch of inputs as a .npy file, for models whose output layer "
                             "cannot be read from the graph")
    parser.add_argument("--unsafe", action="store_true",
                        help="allow loading Lambda layers (runs code from the file: only for "
                             "files you trust)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too, not only on errors")
    parser.add_argument("--ascii", action="store_true", help="no Unicode symbols in the output")
    return parser


def _fail(message: str) -> int:
    print(f"lossedu doctor: {message}", file=sys.stderr)
    return 2


def _load_array(path: str, what: str):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what} file not found: {path}")
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:
        raise ValueError(f"could not read {what} from {path}: {type(exc).__name__}: {exc}") \
            from exc


def main_doctor(argv: Sequence[str]) -> int:
    """``python -m lossedu doctor MODEL.keras [--labels y.npy]``: print the report.

    Exit status 0 when no error-level finding (1 with ``--strict`` and a warning), 1 on an
    error-level finding, 2 when the model or labels cannot be read.
    """
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    path = args.model
    if not os.path.exists(path):
        return _fail(f"no such file: {path}")
    if not os.path.isfile(path):
        return _fail(f"not a file: {path} (give the path of a .keras file)")
    if not os.access(path, os.R_OK):
        return _fail(f"cannot read {path}: permission denied")
    try:
        y = _load_array(args.labels, "labels") if args.labels else None
        x = _load_array(args.inputs, "inputs") if args.inputs else None
    except (FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))

    keras = _import_keras()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = keras.saving.load_model(path, compile=True, safe_mode=not args.unsafe)
    except Exception as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = ""
        if ("Lambda" in str(exc) or "safe_mode" in str(exc)) and not args.unsafe:
            hint = ("\n  the model contains a Lambda layer; rerun with --unsafe if you trust "
                    "the file")
        elif "Lambda" in str(exc):
            hint = ("\n  Keras could not rebuild a Lambda layer (its code is restored without "
                    "the module's globals); load the model in Python and call "
                    "lossedu.doctor(model)")
        elif "Could not locate" in str(exc) or "custom" in str(exc).lower():
            hint = ("\n  the model uses a custom class: load it in Python (with the class "
                    "imported) and call lossedu.doctor(model)")
        return _fail(f"could not load the model from {path}: {type(exc).__name__}: {msg}{hint}")

    report = doctor(model, x=x, y=y)
    text = report.format(ascii_only=args.ascii)
    try:
        print(text)
    except UnicodeEncodeError:
        print(report.format(ascii_only=True))
    if report.errors:
        return 1
    if args.strict and not report.ok:
        return 1
    return 0


# ``lossedu.doctor`` is first resolved by the package's lazy ``__getattr__`` (the function),
# but importing this submodule also binds ``lossedu.doctor`` to the module itself.  Making the
# module callable keeps ``lossedu.doctor(model, ...)`` working whichever of the two it is.
class _CallableModule(type(sys)):
    def __call__(self, model, loss=None, x=None, y=None) -> Report:
        return doctor(model, loss=loss, x=x, y=y)


sys.modules[__name__].__class__ = _CallableModule
