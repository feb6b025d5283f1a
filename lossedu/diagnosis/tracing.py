"""Tracing the model and its loss on the TensorFlow backend, exactly as ``fit`` would.

The trace (``tf.function(...).get_concrete_function``: nothing is executed, no weight or
statistic changes) says which TensorFlow op made each output, and whether Keras 3 will
repair a softmax/sigmoid output passed to a loss with ``from_logits=True``: it does when the
tensor still carries its hidden logits, and then its loss emits a warning the trace records.
"""

from __future__ import annotations

import warnings

import numpy as np

from lossedu.diagnosis import keras_api

__all__ = ["tf_activation", "trace_model"]

# TensorFlow graph op types at the end of a traced output.
TF_ACTIVATIONS = {
    "Softmax": "softmax", "Sigmoid": "sigmoid", "Relu": "relu", "Relu6": "relu6",
    "Elu": "elu", "Selu": "selu", "Softplus": "softplus", "Tanh": "tanh",
    "LogSoftmax": "log_softmax", "LeakyRelu": "leaky_relu", "Exp": "exponential",
}
TF_LINEAR = {"MatMul", "BiasAdd", "BatchMatMulV2", "BatchMatMulV3", "Einsum", "Conv2D",
             "Conv1D", "Conv3D", "AddV2", "Add", "Sub"}
TF_PASS_THROUGH = {"Identity", "Reshape", "Squeeze", "ExpandDims", "Transpose", "IdentityN",
                   "StopGradient", "Cast"}


def tf_activation(ops: list[str]) -> tuple[str, bool]:
    """Activation named by the last non-pass-through op, and whether pass-through ops followed."""
    if not ops:
        return "unknown", False
    last = ops[-1]
    after = len(ops) > 1
    if last in TF_ACTIVATIONS:
        return TF_ACTIVATIONS[last], after
    if last in TF_LINEAR:
        return "linear", after
    return "unknown", after


def _op_chain(tensor) -> list[str]:
    """The op types from the op that made ``tensor`` back through pass-through ops: the last
    entry is the first op that is not a pass-through."""
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
        if typ in TF_PASS_THROUGH and len(op.inputs):
            cur = op.inputs[0]
            continue
        break
    return chain


def _dummy_labels(family: str, shape, units: int):
    """Labels of the right shape and dtype for ``family``: their values do not matter."""
    shape = tuple(int(d) for d in shape)
    if family == "sparse":
        return np.zeros(shape[:-1], dtype="int32")
    y = np.zeros(shape, dtype="float32")
    if family == "categorical" and units > 1:
        y[..., 0] = 1.0
    return y


def trace_model(keras, model, x_probe, repair_jobs: dict) -> dict:
    """Trace ``model(x, training=True)`` and the losses as ``fit`` does; never execute it.

    ``repair_jobs`` maps a flat output index to ``(loss identifier, family, units)``.
    Returns per flat output index: the op chain, whether the tensor carries hidden logits,
    its dtype, and (for the indices in ``repair_jobs``) whether Keras's loss emitted its
    "received from_logits=True, but the output was produced by a Softmax/Sigmoid" warning,
    i.e. whether it substituted the hidden logits.
    """
    tf = keras_api.import_tensorflow()
    info: dict = {}

    def fn(xb):
        out = model(xb, training=True)
        for i, t in enumerate(keras.tree.flatten(out)):
            info[i] = {"ops": _op_chain(t), "has_logits": keras_api.has_hidden_logits(t),
                       "dtype": getattr(t.dtype, "name", str(t.dtype)), "shape": tuple(t.shape)}
            if i in repair_jobs:
                info[i].update(_repair_check(keras, tf, repair_jobs[i], t))
        return tf.constant(0.0)

    x_t = tf.nest.map_structure(tf.constant, x_probe)
    tf.function(fn, autograph=False).get_concrete_function(x_t)
    return info


def _repair_check(keras, tf, job: tuple, output) -> dict:
    """Run the loss ``fit`` would build on the traced ``output``: {"repaired": bool}, or
    {"loss_error": ...} when the loss fails (the rules then decide)."""
    identifier, family, units = job
    y = tf.constant(_dummy_labels(family, output.shape, units))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            keras_api.fit_loss(keras, identifier, y, output)(y, output)
        except Exception as exc:
            return {"loss_error": f"{type(exc).__name__}: {exc}"}
        return {"repaired": any(keras_api.is_repair_warning(w.message) for w in caught)}
