"""Turn a benchmark case into a compiled Keras 3 model and (x, y) of the report's formats.

Layers are written as tuples, ``("Dense", 10, "softmax")``, ``("Conv2D", 4, 3)``,
``("Flatten",)``, ``("Activation", "softmax")``; labels as ``("sparse", C)``,
``("ids", lo, hi)`` (class ids lo..hi), ``("onehot", C)``, ``("column", C)`` (ids as (N, 1)),
``("binary",)``, ``("multihot", C)``; losses as a string or ``("SparseCategoricalCrossentropy",
{"from_logits": True})``; metrics likewise.  Everything is seeded: the same case gives the
same model and data.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ROWS", "build_model", "build_data", "build_loss", "build_metrics", "build_case"]

ROWS = 64


def _layer(keras, spec):
    name, *args = spec
    kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
    if name == "Dense" and len(args) == 2:
        return keras.layers.Dense(args[0], activation=args[1], **kwargs)
    return getattr(keras.layers, name)(*args, **kwargs)


def build_model(keras, case):
    """Sequential ("seq"), functional ("fun") or subclassed ("sub") model of ``case.layers``."""
    keras.utils.set_random_seed(0)
    layers = [_layer(keras, spec) for spec in case.layers]
    if case.kind == "seq":
        return keras.Sequential([keras.Input(case.input), *layers])
    if case.kind == "fun":
        inp = keras.Input(case.input)
        h = inp
        for layer in layers:
            h = layer(h)
        return keras.Model(inp, h)

    class CaseModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.stack = layers

        def call(self, x):
            for layer in self.stack:
                x = layer(x)
            return x

    return CaseModel()


def build_data(case, rows: int = ROWS) -> tuple[np.ndarray, np.ndarray | None]:
    """Inputs of the case's shape and labels of the case's format."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((rows, *case.input)).astype("float32")
    if case.labels is None:
        return x, None
    kind, *a = case.labels
    ids = np.arange(rows)
    if kind == "sparse":
        y = ids % a[0]
    elif kind == "ids":
        y = a[0] + ids % (a[1] - a[0] + 1)
    elif kind == "onehot":
        y = np.eye(a[0], dtype="float32")[ids % a[0]]
    elif kind == "column":
        y = (ids % a[0])[:, None]
    elif kind == "binary":
        y = (ids % 2).astype("float32")
    elif kind == "multihot":
        y = (rng.random((rows, a[0])) > 0.6).astype("float32")
        y[0, :2] = 1.0
    else:
        raise ValueError(f"unknown label format {kind!r}")
    return x, y


def _object(module, spec):
    if isinstance(spec, str):
        return spec
    name, *rest = spec
    return getattr(module, name)(**(rest[0] if rest else {}))


def build_loss(keras, spec):
    """A Keras loss; "dice" is the custom Dice loss of NeuraLint's GitHub sample 1."""
    if spec == "dice":
        def dice_coef_loss(y_true, y_pred):
            ops = keras.ops
            t, p = ops.reshape(y_true, (-1,)), ops.reshape(y_pred, (-1,))
            return -(2.0 * ops.sum(t * p) + 1) / (ops.sum(t) + ops.sum(p) + 1)
        return dice_coef_loss
    return _object(keras.losses, spec)


def build_metrics(keras, specs):
    return [_object(keras.metrics, s) for s in specs] if specs else None


def build_case(keras, case):
    """(compiled model, x, y) for one case."""
    model = build_model(keras, case)
    model.compile(optimizer="adam", loss=build_loss(keras, case.loss),
                  metrics=build_metrics(keras, case.metrics))
    x, y = build_data(case)
    return model, x, y
