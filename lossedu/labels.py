"""Labels: one-hot encoding, label smoothing, and the checks that catch the wrong format.

Two label formats exist for the same targets:

* **sparse** (integer) labels hold a class index per example, shape ``(B,)``;
* **one-hot** (or soft, dense) labels hold a probability per class, shape ``(B, C)``.

>>> one_hot([2, 0], depth=3)
array([[0., 0., 1.],
       [1., 0., 0.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from lossedu.arguments import (
    as_array,
    as_float,
    refuse_kind,
    require_depth,
    require_dtype,
    require_not_empty,
    require_num_classes,
    require_smoothing,
)
from lossedu.errors import (
    LabelDtypeError,
    LabelShapeError,
    LabelValueError,
    ProbabilitiesNotLogitsError,
    ShapeMismatchError,
)
from lossedu.i18n import _

__all__ = [
    "one_hot",
    "smooth_labels",
    "require_not_empty",
    "require_sparse_labels",
    "require_dense_labels",
    "require_same_shape",
    "require_logits_not_probabilities",
    "is_one_hot",
    "is_distribution",
]


def _first_bad(mask: np.ndarray) -> tuple:
    idx = np.argwhere(mask)[0]
    return tuple(int(i) for i in idx)


def nan_at(where: tuple) -> str:
    """The ``got`` of a NaN label: ``NaN at index (1,)``."""
    return _("NaN at index {where}").format(where=where)


def _require_float_labels(arr: np.ndarray, name: str, allow_integral_floats: bool) -> None:
    """Refuse float sparse labels that are NaN, infinite, not allowed, or not whole numbers."""
    if np.isnan(arr).any():
        raise LabelValueError(
            name, got=nan_at(_first_bad(np.isnan(arr))),
            expected=_("integer class indices"),
            fix=_("find where the NaN labels come from (missing values?) and drop those rows"),
            problem=_("labels contain NaN;"),
        )
    if np.isinf(arr).any():
        where = _first_bad(np.isinf(arr))
        raise LabelValueError(
            name, got=_("{value} at index {where}").format(value=repr(arr[where].item()),
                                                           where=where),
            expected=_("integer class indices"),
            fix=_("find where the infinite labels come from (a division by zero?) and fix "
                  "or drop those rows"),
            problem=_("labels contain an infinity;"),
        )
    if not allow_integral_floats:
        raise LabelDtypeError(
            name, got=f"dtype {arr.dtype}",
            expected=_("an integer dtype (int32 or int64), as tf.nn requires"),
            fix=f"{name}.astype(np.int64)",
            problem=_("sparse labels are class indices, not floats;"),
        )
    frac = arr != np.round(arr)
    if frac.any():
        where = _first_bad(frac)
        raise LabelDtypeError(
            name, got=_("the value {value} at index {where}").format(
                value=repr(arr[where].item()), where=where),
            expected=_("whole-number class indices"),
            fix=_("pass class indices; if these are probabilities, use a one-hot "
                  "(categorical) loss instead"),
            problem=_("sparse labels must be whole numbers (Keras would silently "
                      "truncate this one);"),
        )


def _require_label_range(arr: np.ndarray, num_classes: int, name: str,
                         ignore_class: int | None) -> None:
    """Refuse a label outside ``[0, num_classes)`` (``ignore_class`` entries excepted)."""
    valid = np.ones(arr.shape, bool) if ignore_class is None else arr != ignore_class
    bad = valid & ((arr < 0) | (arr >= num_classes))  # before the cast: 1e30 stays 1e30
    if bad.any():
        where = _first_bad(bad)
        value = arr[where].item()
        shown = int(value) if float(value).is_integer() and abs(value) < 1e15 else value
        raise LabelValueError(
            name, got=_("a label value of {value} at index {where}").format(value=repr(shown),
                                                                            where=where),
            expected=_("class indices in [0, {c}) for {c} output units").format(c=num_classes),
            fix=_("check the label encoding (1-based labels? use labels - 1) or give the "
                  "model one output unit per class"),
            problem=_("a label is out of range;"),
        )


def require_sparse_labels(labels, num_classes: int | None, name: str = "labels",
                          allow_integral_floats: bool = False,
                          ignore_class: int | None = None) -> np.ndarray:
    """Return ``labels`` as int64 after checking they are class indices in ``[0, num_classes)``.

    ``allow_integral_floats`` accepts floats like ``2.0`` (Keras does); ``1.7`` is refused
    either way, where Keras would silently truncate it to 1.

    >>> require_sparse_labels(np.array([2.0, 0.0]), 3, allow_integral_floats=True)
    array([2, 0])
    """
    arr = as_array(labels, name)
    if arr.dtype.kind == "b":
        raise LabelDtypeError(
            name, got=_("booleans"), expected=_("integer class indices"),
            fix=f"{name}.astype(np.int64)",
        )
    if arr.dtype.kind == "f":
        _require_float_labels(arr, name, allow_integral_floats)
    elif arr.dtype.kind in "USOc":
        refuse_kind(arr, name, LabelDtypeError, _("integer class indices"), labels=True,
                    cast="np.int64")
    elif arr.dtype.kind not in "iu":
        raise LabelDtypeError(
            name, got=f"dtype {arr.dtype}", expected=_("integer class indices"),
            fix=f"np.asarray({name}).astype(np.int64)",
        )
    if num_classes is not None:
        _require_label_range(arr, num_classes, name, ignore_class)
    return arr.astype(np.int64)


def is_one_hot(labels, axis: int = -1) -> bool:
    """True when every entry is 0 or 1 and each slice along ``axis`` holds exactly one 1.

    >>> is_one_hot([[0, 1], [1, 0]]), is_one_hot([1, 0, 2])
    (True, False)
    """
    arr = np.asarray(labels)
    if arr.ndim == 0 or arr.shape[axis] < 2 or arr.size == 0:
        return False
    binary = np.all((arr == 0) | (arr == 1))
    return bool(binary and np.all(np.sum(arr, axis=axis) == 1))


def is_distribution(x, axis: int = -1, atol: float | None = None) -> bool:
    """True when every entry is in [0, 1] and each slice along ``axis`` sums to 1.

    >>> is_distribution([[0.2, 0.8]]), is_distribution([[2.0, 0.0]])
    (True, False)
    """
    arr = np.asarray(x, dtype=float) if np.asarray(x).dtype.kind != "f" else np.asarray(x)
    if arr.ndim == 0 or arr.size == 0:
        return False
    if atol is None:
        atol = 1e-2 if arr.dtype == np.float16 else 1e-4
    lo, hi = np.min(arr), np.max(arr)  # no temporaries; NaN fails both tests below
    if not (lo >= 0 and hi <= 1):
        return False
    sums = np.sum(arr, axis=axis, dtype=np.float64)
    return bool(np.all(np.abs(sums - 1) <= atol))


def require_same_shape(labels: np.ndarray, logits: np.ndarray, labels_name: str = "labels",
                       logits_name: str = "logits", sparse_alternative: str | None = None) -> None:
    """Raise when dense labels and logits differ in shape; spot sparse labels given instead.

    ``sparse_alternative`` names the sparse loss to suggest when the labels look like class
    indices (their shape is the logits' shape without the last axis).
    """
    if labels.shape == logits.shape:
        return
    if sparse_alternative and labels.shape in (logits.shape[:-1], logits.shape[:-1] + (1,)):
        depth = logits.shape[-1]
        raise LabelShapeError(
            labels_name,
            got=_("shape {shape}, which looks like sparse class indices").format(
                shape=labels.shape),
            expected=_("one-hot labels of the logits' shape {shape}").format(shape=logits.shape),
            fix=_("use {loss}, or one_hot({labels}, depth={depth})").format(
                loss=sparse_alternative, labels=labels_name, depth=depth),
            problem=_("sparse labels were given to a one-hot loss;"),
        )
    raise ShapeMismatchError(
        labels_name,
        got=_("shape {shape} against {other} of shape {other_shape}").format(
            shape=labels.shape, other=logits_name, other_shape=logits.shape),
        expected=f"{labels_name}.shape == {logits_name}.shape",
        fix=_("make both arrays one row per example and one column per class"),
        problem=_("the shapes differ;"),
    )


def require_dense_labels(labels: np.ndarray, axis: int = -1, name: str = "labels") -> None:
    """Raise :class:`LabelValueError` unless each slice of ``labels`` is a distribution.

    Softmax cross-entropy assumes labels that are probabilities summing to 1. TensorFlow
    never checks: labels ``[2, 0]`` double the loss, and the gradient it returns,
    ``softmax - labels``, is then not the gradient of that loss.
    """
    if np.isnan(np.min(labels)):  # min propagates NaN without a full-size boolean temporary
        raise LabelValueError(
            name, got=nan_at(_first_bad(np.isnan(labels))),
            expected=_("probabilities"), fix=_("find where the NaN labels come from"),
            problem=_("labels contain NaN;"),
        )
    if is_distribution(labels, axis=axis):
        return
    sums = np.sum(labels.astype(np.float64), axis=axis)
    if np.min(labels) < 0:
        got = _("a negative value {value}").format(
            value=repr(labels[labels < 0].ravel()[0].item()))
    else:
        bad = np.argmax(np.abs(sums - 1))
        got = _("a row summing to {total:.6g}").format(total=sums.ravel()[bad])
    raise LabelValueError(
        name, got=got,
        expected=_("each row a probability distribution: entries in [0, 1] summing to 1"),
        fix=_("one_hot(class_ids, depth), or {name} / {name}.sum(axis={axis}, keepdims=True); "
              "for independent yes/no labels use sigmoid_cross_entropy_with_logits").format(
                  name=name, axis=axis),
        problem=_("labels are not a distribution;"),
    )


def require_logits_not_probabilities(logits: np.ndarray, axis: int = -1,
                                     name: str = "logits") -> None:
    """Raise when ``logits`` look like softmax outputs: entries in [0, 1], rows summing to 1.

    A row of hard zeros and ones is let through (it is a valid, if odd, logit vector).
    """
    if logits.ndim == 0 or logits.shape[axis] < 2:
        return
    if is_distribution(logits, axis=axis, atol=1e-5) and np.any((logits > 0) & (logits < 1)):
        raise ProbabilitiesNotLogitsError(
            name,
            got=_("values in [0, 1] whose rows sum to 1: these look like softmax probabilities"),
            expected=_("logits: the raw, unnormalised scores from the last linear layer"),
            fix=_("drop the final softmax (use the layer's output before it), or use a loss "
                  "with from_logits=False; pass validate=False if these really are logits"),
            problem=_("probabilities were given where logits are expected;"),
        )


def one_hot(indices, depth: int, dtype=np.float32) -> np.ndarray:
    """Encode class indices as one-hot rows, like ``tf.one_hot(indices, depth)``.

    Stricter than TensorFlow: an index outside ``[0, depth)`` raises instead of giving a
    row of zeros, boolean indices are refused (``tf.one_hot`` reads True as 1), and
    ``depth`` must be a whole number of classes >= 1 (``tf.one_hot`` accepts 0 and True).

    >>> one_hot(np.array([[1], [0]]), 2).shape
    (2, 1, 2)
    """
    depth = require_depth(depth, "depth")
    dtype = require_dtype(dtype, "dtype")
    idx = require_sparse_labels(indices, depth, name="indices")
    return (idx[..., None] == np.arange(depth)).astype(dtype)


# labels near the float maximum may round up to inf, as the same formula does in TF
@np.errstate(over="ignore")
def smooth_labels(labels, label_smoothing: float, num_classes: int | None = None) -> np.ndarray:
    """Keras's label smoothing: ``y * (1 - s) + s / C``.

    For binary labels Keras uses ``C = 2`` (``y * (1 - s) + 0.5 * s``).

    Stricter than TensorFlow's formula: without ``num_classes``, labels with no class axis
    (a scalar) or an empty one raise, where ``s / C`` would divide by zero.

    >>> smooth_labels(np.array([0.0, 0.0, 1.0]), 0.3).round(3)
    array([0.1, 0.1, 0.8])
    """
    y = as_float(labels, "labels")
    label_smoothing = require_smoothing(label_smoothing, "label_smoothing")
    c = require_num_classes(num_classes, y, "num_classes", "labels")
    return (y * (1.0 - label_smoothing) + label_smoothing / c).astype(y.dtype)


def require_sparse_shape(labels: np.ndarray, logits: np.ndarray, name: str, dense_alternative: str,
                   squeeze_trailing_one: bool) -> np.ndarray:
    """Check the sparse shape rule ``labels.shape == logits.shape[:-1]``."""
    want = logits.shape[:-1]
    if squeeze_trailing_one and labels.ndim == logits.ndim and labels.shape[-1:] == (1,):
        labels = labels[..., 0]
    if labels.shape == want:
        return labels
    if labels.shape == want + (1,):
        raise LabelShapeError(
            name, got=_("shape {shape} (a trailing axis of size 1)").format(shape=labels.shape),
            expected=_("shape {want}: labels rank = logits rank - 1, for logits {shape}").format(
                want=want, shape=logits.shape),
            fix=_("{name}.squeeze(-1)  (tf.nn does not squeeze; Keras does)").format(name=name),
            problem=_("sparse labels have one axis too many;"),
        )
    if labels.shape == logits.shape and is_one_hot(labels):
        raise LabelShapeError(
            name, got=_("one-hot labels of shape {shape}").format(shape=labels.shape),
            expected=_("class indices of shape {shape}").format(shape=want),
            fix=_("{name}.argmax(-1), or use {loss} for one-hot labels").format(
                name=name, loss=dense_alternative),
            problem=_("one-hot labels were given to a sparse loss;"),
        )
    raise ShapeMismatchError(
        name, got=_("shape {shape} against {other} of shape {other_shape}").format(
            shape=labels.shape, other="logits", other_shape=logits.shape),
        expected=_("shape {want}: one class index per row of logits").format(want=want),
        fix=_("check that labels and logits come from the same batch"),
        problem=_("the shapes do not fit;"),
    )
