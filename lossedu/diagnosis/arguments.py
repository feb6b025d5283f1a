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
from lossedu.i18n import _

__all__ = ["model_from_path", "check_lengths", "check_input_shapes", "rows"]


def model_from_path(keras, path):
    """Load a saved model given as a path, after checking it is a readable .keras file."""
    text = os.fspath(path)
    if not text.endswith(".keras"):
        ext = os.path.splitext(text)[1] or _("no extension")
        raise ParameterError(
            "model", got=_("the path {path} ({extension})").format(path=repr(text), extension=ext),
            problem=_("a path that is not a .keras file:"),
            expected=_("a Keras model, or the path of a file saved with "
                       "model.save('model.keras')"),
            fix="model.save('model.keras'); lossedu.doctor('model.keras')   "
                + _("# .h5 / SavedModel: load them with keras.saving.load_model first"))
    if not os.path.isfile(text):
        raise ParameterError("model", got=f"{text!r}", problem=_("no such file:"),
                             expected=_("an existing .keras file"),
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
            "y", got=_("{rows} rows").format(rows=ny),
            problem=_("{labels} labels for {rows} input rows").format(labels=ny, rows=nx),
            expected=_("one label (row) per input row: {rows}").format(rows=nx),
            fix="lossedu.doctor(model, x=x_train[:n], y=y_train[:n])   "
                + _("# the same n rows of both"))


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
        model_input = f"(None, {', '.join(map(str, want))})".replace(", )", ")")
        raise ShapeMismatchError(
            "x", got=_("rows of shape {shape}").format(shape=got),
            problem=_("the inputs do not fit the model:"),
            expected=_("rows of shape {shape}, the model's input {model_input}").format(
                shape=want, model_input=model_input),
            fix=f"x = x.reshape(len(x), {', '.join(str(w) for w in want)})   "
                + _("# if the values fit"))
