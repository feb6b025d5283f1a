"""The doctor's arguments, checked before anything is read: teaching errors for a path that
is not a ``.keras`` file, labels of the wrong length, and inputs of the wrong shape.

>>> check_lengths(np.zeros((4, 3)), np.zeros(5))
Traceback (most recent call last):
...
lossedu.errors.LabelShapeError: Bad `y`: 5 labels for 4 input rows got 5 rows.
  expected: one label (row) per input row: 4
  fix: lossedu.doctor(model, x=x_train[:n], y=y_train[:n])   # the same n rows of both
"""

from __future__ import annotations

import os

import numpy as np

from lossedu.errors import LabelShapeError, ParameterError, ShapeMismatchError

__all__ = ["model_from_path", "check_lengths", "check_input_shapes", "rows"]


def model_from_path(keras, path):
    """Load a saved model given as a path, after checking it is a readable .keras file."""
    text = os.fspath(path)
    if not text.endswith(".keras"):
        ext = os.path.splitext(text)[1] or "no extension"
        raise ParameterError(
            "model", got=f"the path {text!r} ({ext})", problem="a path that is not a .keras file:",
            expected="a Keras model, or the path of a file saved with model.save('model.keras')",
            fix="model.save('model.keras'); lossedu.doctor('model.keras')   # .h5 / SavedModel: "
                "load them with keras.saving.load_model first")
    if not os.path.isfile(text):
        raise ParameterError("model", got=f"{text!r}", problem="no such file:",
                             expected="an existing .keras file",
                             fix="lossedu.doctor(keras.saving.load_model('path/to/model.keras'))")
    return keras.saving.load_model(text, compile=True)


def rows(a) -> int | None:
    """The number of rows of an array, or of the first array in a nested input."""
    while isinstance(a, dict) or (isinstance(a, (list, tuple)) and a
                                  and not np.isscalar(a[0])):
        a = next(iter(a.values())) if isinstance(a, dict) else a[0]
    shape = np.shape(a)
    return int(shape[0]) if shape else None


def check_lengths(x, y) -> None:
    """``y`` must have one label (row) per row of ``x``."""
    if x is None or y is None or isinstance(y, dict):
        return
    nx, ny = rows(x), rows(y)
    if nx is not None and ny is not None and nx != ny:
        raise LabelShapeError(
            "y", got=f"{ny} rows", problem=f"{ny} labels for {nx} input rows",
            expected=f"one label (row) per input row: {nx}",
            fix="lossedu.doctor(model, x=x_train[:n], y=y_train[:n])   # the same n rows of both")


def check_input_shapes(model, x) -> None:
    """A single-input model's ``x`` must have the model's input shape after the batch axis."""
    if x is None or isinstance(x, (dict, list, tuple)):
        return
    try:
        inputs = model.inputs
    except Exception:
        return
    if not inputs or len(inputs) != 1:
        return
    want = tuple(inputs[0].shape)[1:]
    got = tuple(np.shape(x))[1:]
    if len(want) != len(got) or any(w is not None and w != g for w, g in zip(want, got,
                                                                             strict=True)):
        raise ShapeMismatchError(
            "x", got=f"rows of shape {got}", problem="the inputs do not fit the model:",
            expected=f"rows of shape {want}, the model's input (None, {', '.join(map(str, want))})"
            .replace(", )", ")"),
            fix=f"x = x.reshape(len(x), {', '.join(str(w) for w in want)})   # if the values fit")
