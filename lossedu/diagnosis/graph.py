"""Reading a model's output from its layer graph (Sequential and functional models).

The output's activation is the one applied by the layer (or ``keras.ops`` call) that makes
it; layers that pass their input on unchanged (Reshape, Flatten, Dropout, ...) are walked
through and listed, since they hide the logits Keras would otherwise recover.
"""

from __future__ import annotations

import contextlib

from lossedu.diagnosis import keras_api

__all__ = ["activation_name", "layer_activation", "walk_graph", "graph_outputs", "output_names"]

# Layers that pass their input through unchanged in value (or in inference): the activation
# before them still decides what the output is, but Keras's hidden-logits repair may be lost.
PASS_THROUGH = (
    "Reshape", "Flatten", "Permute", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianDropout", "AlphaDropout", "GaussianNoise",
    "ActivityRegularization", "Identity", "Masking",
)
# Keras ops applied to KerasTensors in the functional API, by class name.
OP_ACTIVATIONS = {
    "Softmax": "softmax", "Sigmoid": "sigmoid", "Relu": "relu", "LogSoftmax": "log_softmax",
    "Tanh": "tanh", "Softplus": "softplus", "HardSigmoid": "hard_sigmoid", "Relu6": "relu6",
}
OP_PASS_THROUGH = {"Reshape", "Squeeze", "ExpandDims", "Transpose", "Cast"}


# Activation function names, matched as substrings in this order (log_softmax before softmax).
ACTIVATION_NAMES = [
    ("log_softmax", "log_softmax"), ("softmax", "softmax"), ("hard_sigmoid", "hard_sigmoid"),
    ("log_sigmoid", "log_sigmoid"), ("sigmoid", "sigmoid"), ("linear", "linear"),
    ("identity", "linear"), ("relu6", "relu6"), ("leaky_relu", "leaky_relu"),
    ("leakyrelu", "leaky_relu"), ("relu", "relu"), ("hard_tanh", "hard_tanh"),
    ("tanh", "tanh"), ("softplus", "softplus"), ("softsign", "softsign"), ("selu", "selu"),
    ("gelu", "gelu"), ("elu", "elu"), ("silu", "silu"), ("swish", "swish"),
    ("exponential", "exponential"), ("mish", "mish"),
]


def activation_name(fn) -> str:
    """The normalised name of an activation function ("linear" for None)."""
    if fn is None:
        return "linear"
    name = (getattr(fn, "__name__", None) or type(fn).__name__).lower()
    for key, value in ACTIVATION_NAMES:
        if key in name:
            return value
    return "unknown"


def layer_activation(keras, layer) -> str | None:
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
            return layer_activation(keras, act) or "unknown"
        return activation_name(act)
    return None


def walk_graph(keras, tensor, depth: int = 0):
    """(activation, layer class, layer name, layers after) for a symbolic output tensor."""
    after: list[str] = []
    for _ in range(64):
        hist = keras_api.keras_history(tensor)
        if hist is None:
            return "unknown", "", "", tuple(after)
        op, node_index, tensor_index = hist
        cls = type(op).__name__
        if isinstance(op, keras.Model) and depth < 8:
            return _walk_nested(keras, op, tensor_index, depth, tuple(after))
        step = _pass_through_step(keras, op, cls)
        if step is None:
            return (*_activation_of(keras, op, cls), tuple(after))
        after.insert(0, step)
        tensor = keras_api.single_input(op, node_index)
        if tensor is None:
            return "unknown", cls, op.name, tuple(after)
    return "unknown", "", "", tuple(after)


def _walk_nested(keras, model, tensor_index: int, depth: int, after: tuple[str, ...]):
    """Continue the walk inside a model used as a layer."""
    try:
        inner = model.outputs[tensor_index]
    except Exception:
        return "unknown", type(model).__name__, model.name, after
    act, lcls, lname, inner_after = walk_graph(keras, inner, depth + 1)
    return act, lcls, lname, inner_after + after


def _pass_through_step(keras, op, cls: str) -> str | None:
    """How the walk lists ``op`` when it passes its input on unchanged in value, else None."""
    if isinstance(op, keras.layers.Layer):
        if cls in PASS_THROUGH or (isinstance(op, keras.layers.Activation)
                                   and activation_name(op.activation) == "linear"):
            return f"{cls} '{op.name}'"
        return None
    if cls in OP_PASS_THROUGH:  # a keras.ops call on a KerasTensor (functional API)
        return f"keras.ops.{cls.lower()}"
    return None


def _activation_of(keras, op, cls: str) -> tuple[str, str, str]:
    """(activation, layer class, name) of the layer or keras.ops call that ends the walk."""
    if isinstance(op, keras.layers.Layer):
        return layer_activation(keras, op) or "unknown", cls, op.name
    if cls in OP_ACTIVATIONS:  # keras.ops.softmax(h), ...
        return OP_ACTIVATIONS[cls], f"keras.ops.{OP_ACTIVATIONS[cls]}", op.name
    return "unknown", cls, getattr(op, "name", cls)


def graph_outputs(model) -> list | None:
    """The symbolic output tensors, or None for a model without a graph (subclassed)."""
    try:
        outs = model.outputs
    except Exception:
        return None
    if not outs:
        return None
    return list(outs)


def output_names(model, n: int) -> list[str]:
    """The model's output names, or made-up ones when they do not match ``n`` outputs."""
    names = None
    with contextlib.suppress(Exception):
        names = list(model.output_names)
    if not names or len(names) != n:
        names = [f"output_{i}" for i in range(n)] if n > 1 else [getattr(model, "name", "output")]
    return names

