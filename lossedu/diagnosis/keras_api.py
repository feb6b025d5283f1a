"""Every place the doctor reaches into Keras (or TensorFlow) beyond the public API.

When a Keras release moves something, this is the one module to mend.  Everything else in
:mod:`lossedu.diagnosis` uses the public API only (``keras.layers``, ``keras.losses``,
``keras.tree``, ``model.outputs``, ...) on the ``keras`` module these functions hand out.

Keras and TensorFlow are imported inside the functions, never at module level, so
``import lossedu`` (and ``import lossedu.diagnosis``) stays free of them.  Checked against
Keras 3.15 on TensorFlow 2.21.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = [
    "accuracy_metric_for",
    "crossentropy_loss_for",
    "compiled_metric_names",
    "import_keras",
    "import_tensorflow",
    "backend_name",
    "compile_arguments",
    "loss_kwargs",
    "metric_kwargs",
    "keras_history",
    "single_input",
    "has_hidden_logits",
    "build_shapes",
    "inputs_struct",
    "fit_loss",
    "is_repair_warning",
]


def import_keras():
    """``keras``, with TensorFlow's C++ logging silenced unless the user chose a level."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def import_tensorflow():
    """``tensorflow``, for tracing a model on the TensorFlow backend."""
    import tensorflow as tf

    return tf


def backend_name(keras) -> str:
    """"tensorflow", "jax", "torch" or "numpy"."""
    return keras.backend.backend()


def compile_arguments(model) -> tuple[object, object, object]:
    """(loss, metrics, weighted_metrics) as passed to ``model.compile``, else None each.

    Keras keeps them in ``model._compile_config.config`` (what ``model.save`` writes); a model
    compiled before that existed keeps the metrics on ``model._compile_metrics``.
    """
    config = getattr(getattr(model, "_compile_config", None), "config", None) or {}
    loss = config.get("loss", getattr(model, "loss", None))
    metrics = config.get("metrics")
    weighted = config.get("weighted_metrics")
    if metrics is None and weighted is None:
        cm = getattr(model, "_compile_metrics", None)
        metrics = getattr(cm, "_user_metrics", None)
        weighted = getattr(cm, "_user_weighted_metrics", None)
    return loss, metrics, weighted


def loss_kwargs(loss) -> dict:
    """The keyword arguments a ``keras.losses.Loss`` passes to its loss function
    (``LossFunctionWrapper._fn_kwargs``: from_logits, ignore_class, ...)."""
    return dict(getattr(loss, "_fn_kwargs", {}) or {})


def metric_kwargs(metric) -> dict:
    """The keyword arguments a function-backed metric passes on (``_fn_kwargs``)."""
    return dict(getattr(metric, "_fn_kwargs", {}) or {})


def keras_history(tensor) -> tuple | None:
    """The ``(operation, node_index, tensor_index)`` that made a symbolic tensor, or None
    (``tensor._keras_history``, a ``KerasHistory`` namedtuple)."""
    hist = getattr(tensor, "_keras_history", None)
    if hist is None:
        return None
    return hist.operation, hist.node_index, hist.tensor_index


def single_input(operation, node_index: int):
    """The one input tensor of ``operation`` at its call ``node_index``; None when it has
    several (``operation._inbound_nodes``)."""
    node = operation._inbound_nodes[node_index]
    tensors = list(node.input_tensors)
    return tensors[0] if len(tensors) == 1 else None


def has_hidden_logits(tensor) -> bool:
    """True when a softmax/sigmoid output still carries its logits (``_keras_logits``).

    On TensorFlow, Keras's cross-entropies with ``from_logits=True`` take those logits instead
    of the probabilities (``keras/src/backend/tensorflow/nn.py::_get_logits``).
    """
    return hasattr(tensor, "_keras_logits")


def build_shapes(model) -> dict:
    """The input shapes a subclassed model was built with (``_build_shapes_dict``), or {}."""
    return getattr(model, "_build_shapes_dict", None) or {}


def inputs_struct(model):
    """The nesting of a functional model's inputs (``_inputs_struct``), or None."""
    return getattr(model, "_inputs_struct", None)


def fit_loss(keras, identifier, y_true, y_pred):
    """The loss object ``fit`` would build from ``identifier``
    (``keras.src.trainers.compile_utils.get_loss``), else ``keras.losses.get``."""
    try:
        from keras.src.trainers.compile_utils import get_loss

        return get_loss(identifier, y_true, y_pred)
    except Exception:
        return keras.losses.get(identifier)


def is_repair_warning(message) -> bool:
    """Keras's "received `from_logits=True`, but the `output` argument was produced by a
    Softmax activation and thus does not represent logits" (backend/tensorflow/nn.py)."""
    text = str(message)
    return "from_logits=True" in text and ("produced by" in text
                                           or "does not represent logits" in text)


# --- read by lesson 04: which metric "accuracy" becomes ------------------------------------

def accuracy_metric_for(y_true, y_pred) -> str:
    """The metric class Keras 3 puts in place of the string ``"accuracy"`` for these shapes.

    It asks Keras itself: ``compile`` resolves the string in
    ``keras/src/trainers/compile_utils.py`` (``get_metric``), from the shapes of ``y_true``
    and ``y_pred`` only.  That function is a Keras internal, not public API, so lesson 04
    calls it through here (this module is lossedu's one place of private Keras
    access); in your own code, pass a metric object instead of the string.
    Imports Keras on first use.
    """
    import numpy as np
    from keras.src.trainers.compile_utils import get_metric

    return type(get_metric("accuracy", np.asarray(y_true), np.asarray(y_pred))).__name__


def crossentropy_loss_for(y_true, y_pred) -> str:
    """The loss function Keras 3 puts in place of the string ``"crossentropy"`` for these
    shapes (``compile_utils.get_loss``, a Keras internal), by name."""
    import numpy as np
    from keras.src.trainers.compile_utils import get_loss

    return get_loss("crossentropy", np.asarray(y_true), np.asarray(y_pred)).fn.__name__


def compiled_metric_names(model) -> list[str]:
    """The class names of the metrics a compiled model computes, once it has run.

    ``model.metrics`` holds the loss tracker and one container of the compiled metrics
    (Keras's internal ``CompileMetrics``); this reads that container's ``metrics``.  Run
    ``fit``, ``evaluate`` or ``train_on_batch`` first: Keras resolves ``"accuracy"`` only when
    it first sees data.
    """
    names = []
    for m in model.metrics:
        inner = getattr(m, "metrics", None)
        if type(m).__name__ == "CompileMetrics" and inner is not None:
            names += [type(x).__name__ for x in inner]
    return names


def trained_steps(model) -> int:
    """How many optimizer steps ``model`` has taken (0 when it has no optimizer yet)."""
    iterations = getattr(getattr(model, "optimizer", None), "iterations", None)
    try:
        return 0 if iterations is None else int(np.asarray(iterations))
    except (TypeError, ValueError):
        return 0
