"""Cross-entropy losses with TensorFlow's and Keras 3's names and semantics, in NumPy.

The ``tf.nn``-style functions take logits and return one loss per example:

>>> import numpy as np
>>> logits = np.array([[1.0, 2.0, 3.0]], np.float32)
>>> sparse_softmax_cross_entropy_with_logits(np.array([2]), logits)
array([0.40760595], dtype=float32)

The Keras-style functions take ``(y_true, y_pred)`` and a ``from_logits`` flag.  With
``from_logits=False`` they copy Keras 3 exactly, including what it does to raw logits:

>>> float(sparse_categorical_crossentropy(np.array([2]), logits, from_logits=True)[0])
0.40760594606399536

Every function checks its input first and raises a :class:`lossedu.LossInputError`
subclass that explains the fix.  Pass ``validate=False`` to skip the checks that TensorFlow
does not make (labels that are not distributions, probabilities given as logits).
"""

from __future__ import annotations

import warnings

import numpy as np

from lossedu.arguments import (
    as_array,
    as_float,
    as_float_like,
    compute_dtype,
    require_axis,
    require_batch_and_classes,
    require_flag,
    require_ignore_class,
    require_rank,
    require_smoothing,
)
from lossedu.describe import values_from
from lossedu.errors import (
    AxisArgumentError,
    ClassCountError,
    LabelValueError,
    ShapeMismatchError,
)
from lossedu.i18n import _
from lossedu.kernels import (
    _binary_ce,
    _binary_ce_probs,
    _categorical_ce_probs,
    _elementwise,
    _keras_log_probs,
    _sigmoid_ce,
    _softmax_ce,
    _sparse_ce,
    _sparse_ce_probs,
)
from lossedu.labels import (
    nan_at,
    require_dense_labels,
    require_logits_not_probabilities,
    require_not_empty,
    require_same_shape,
    require_sparse_labels,
    require_sparse_shape,
    smooth_labels,
)

__all__ = [
    "EPSILON",
    "LogitsAsProbabilitiesWarning",
    "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
    "sigmoid_cross_entropy_with_logits",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "keras_probability_path",
]

from lossedu.constants import EPSILON  # noqa: E402 (re-exported: lossedu.EPSILON)

"""``keras.backend.epsilon()``: Keras clips probabilities to ``[EPSILON, 1 - EPSILON]``."""


class LogitsAsProbabilitiesWarning(UserWarning):
    """``from_logits=False`` was given values that cannot be probabilities: likely logits."""


def _warn_if_not_probabilities(y_pred: np.ndarray, loss: str) -> None:
    if np.any(y_pred < 0) or np.any(y_pred > 1):
        warnings.warn(
            _("{loss} received from_logits=False, but `y_pred` has values outside [0, 1] "
              "(min {low:.4g}, max {high:.4g}): these look like logits. Keras will clip them "
              "to [1e-7, 1 - 1e-7] and training stalls. Fix: from_logits=True, or end the "
              "model with a softmax/sigmoid.").format(
                loss=loss, low=float(np.min(y_pred)), high=float(np.max(y_pred))),
            LogitsAsProbabilitiesWarning,
            stacklevel=3,
        )


def _require_logits(logits, name: str = "logits") -> np.ndarray:
    """Scores with a class axis: floats, at least one axis (the empty checks come later)."""
    x = as_float(logits, name)
    require_rank(x, name, 1, needs=_("a class axis, shape (..., C)"))
    return x


def _first_nan(y: np.ndarray) -> str:
    return nan_at(tuple(int(i) for i in np.argwhere(np.isnan(y))[0]))


@np.errstate(over="ignore", invalid="ignore")
def softmax_cross_entropy_with_logits(labels, logits, axis: int = -1, *,
                                      validate: bool = True) -> np.ndarray:
    """``tf.nn.softmax_cross_entropy_with_logits``: one-hot (or soft) labels, shape drops ``axis``.

    ``loss = -sum(labels * log_softmax(logits), axis)``, one value per example.
    ``axis=None`` means the last axis, as in TF.

    Stricter than TensorFlow: labels must have the logits' shape (TF broadcasts (B,) or
    (B, 1) labels silently); an empty batch raises :class:`EmptyBatchError` (TF returns an
    empty loss).  With ``validate=True`` (the default) labels must be distributions, logits
    must not look like probabilities, and the class axis must not be empty (TF's loss over
    no classes is 0); ``validate=False`` skips those three checks and gives TF's values.

    >>> softmax_cross_entropy_with_logits(np.eye(3)[[2, 2]], np.tile([1.0, 2.0, 3.0], (2, 1)))
    array([0.40760596, 0.40760596])
    """
    validate = require_flag(validate, "validate")
    x = _require_logits(logits)
    axis = require_axis(axis, x)
    y = as_float_like(labels, x, "labels")
    require_same_shape(y, x, sparse_alternative="sparse_softmax_cross_entropy_with_logits")
    if require_batch_and_classes(x, "logits", axis, min_classes=int(validate),
                                 why=_("a loss over no classes is always 0")):
        return np.zeros(np.delete(x.shape, axis), x.dtype)
    if validate:
        require_dense_labels(y, axis=axis)
        require_logits_not_probabilities(x, axis=axis)
    return _softmax_ce(y, x, axis).astype(x.dtype)


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
@np.errstate(over="ignore", invalid="ignore")
def sparse_softmax_cross_entropy_with_logits(labels, logits, *,
                                             validate: bool = True) -> np.ndarray:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: integer labels, rank = logits rank - 1.

    ``loss = logsumexp(logits) - logits[label]``.  Labels of shape (B, 1) are refused, as in
    TensorFlow, but with the fix in the message.  Any integer dtype is accepted (TF takes
    only int32 and int64).

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError` (TF returns an
    empty loss), and with ``validate=True`` logits that look like probabilities raise;
    ``validate=False`` skips that check and gives TF's values.

    >>> sparse_softmax_cross_entropy_with_logits(np.array([0]), np.array([[3.0, 1.0, -3.0]]))
    array([0.12910891])
    """
    validate = require_flag(validate, "validate")
    x = _require_logits(logits)
    lab = as_array(labels, "labels")
    lab = require_sparse_shape(lab, x, "labels", "softmax_cross_entropy_with_logits",
                         squeeze_trailing_one=False)
    require_batch_and_classes(x, "logits", min_classes=1,
                              why=_("each label picks one of them"))
    lab = require_sparse_labels(lab, x.shape[-1])
    if validate:
        require_logits_not_probabilities(x)
    return _sparse_ce(lab, x).astype(x.dtype)


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
@np.errstate(over="ignore", invalid="ignore")
def sigmoid_cross_entropy_with_logits(labels, logits, *, validate: bool = True) -> np.ndarray:
    """``tf.nn.sigmoid_cross_entropy_with_logits``: element-wise, output shape = input shape.

    Uses TensorFlow's stable form ``max(x, 0) - x * z + log(1 + exp(-|x|))``.

    Stricter than TensorFlow: an empty input raises :class:`EmptyBatchError` (TF returns an
    empty loss), and with ``validate=True`` labels outside [0, 1] (or NaN) raise;
    ``validate=False`` skips that check and gives TF's values.

    >>> sigmoid_cross_entropy_with_logits(np.array([1.0, 0.0]), np.array([1000.0, 1000.0]))
    array([   0., 1000.])
    """
    # element-wise, so a scalar logit is fine (as in TF); there is no class axis to check
    validate = require_flag(validate, "validate")
    x = as_float(logits, "logits")
    z = as_float_like(labels, x, "labels")
    require_not_empty(x, "logits")
    if z.shape != x.shape:
        raise ShapeMismatchError(
            "labels", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=z.shape, other="logits", other_shape=x.shape),
            expected=_("the same shape: one 0/1 target per logit"),
            fix=_("for class indices with C independent outputs use one_hot(labels, C); "
                  "for one output unit use labels.reshape(logits.shape)"),
            problem=_("sigmoid cross-entropy is element-wise;"),
        )
    if validate and not (np.min(z) >= 0 and np.max(z) <= 1):  # NaN fails too
        raise LabelValueError(
            "labels", got=_first_nan(z) if np.isnan(np.min(z)) else
            values_from(np.min(z).item(), np.max(z).item()),
            expected=_("targets in [0, 1]: 0/1 or a probability per logit"),
            fix=_("for class indices use one_hot(labels, C) or a softmax loss"),
            problem=_("each label is the probability that its class is present;"),
        )
    xc = x.astype(compute_dtype(x.dtype), copy=False)
    loss = _elementwise(_sigmoid_ce, xc, z.astype(xc.dtype, copy=False))
    return loss.astype(x.dtype, copy=False)


@np.errstate(divide="ignore", invalid="ignore")
def keras_probability_path(y_pred, axis: int = -1, normalise: bool = True) -> np.ndarray:
    """What Keras does to ``y_pred`` when ``from_logits=False``: normalise, clip, log.

    Returns the log-probabilities it then uses.  On raw logits, every negative entry is
    clipped to 1e-7, so its gradient is exactly zero: that is the from_logits pitfall.

    A row that sums to 0 gives NaN, as in Keras (0 / 0).

    >>> keras_probability_path(np.array([[2.0, -1.0, 0.5]])).round(3)
    array([[ -0.   , -16.118,  -1.099]])
    """
    p = as_float(y_pred, "y_pred")
    normalise = require_flag(normalise, "normalise")
    axis = require_axis(axis, p, array_name="y_pred", allow_none=False, range_check=normalise)
    return _keras_log_probs(p, axis, normalise)


@np.errstate(over="ignore", invalid="ignore")
def categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1, *,
                             validate: bool = True) -> np.ndarray:
    """``keras.losses.categorical_crossentropy``: one-hot ``y_true``, one loss per example.

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError` (Keras returns
    an empty loss); ``label_smoothing`` must be in [0, 1] and ``axis`` an int (Keras's
    ``axis=None`` means different axes on its two paths).  With ``validate=True`` (the
    default) ``y_true`` must hold distributions, logits (with ``from_logits=True``) must not
    look like probabilities, and there must be at least two classes (over one or none the
    loss is always 0); ``validate=False`` skips those checks and gives Keras's values.

    >>> y_true = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> y_pred = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    >>> categorical_crossentropy(y_true, y_pred).round(4)
    array([0.0513, 2.3026])
    """
    from_logits = require_flag(from_logits, "from_logits")
    validate = require_flag(validate, "validate")
    label_smoothing = require_smoothing(label_smoothing, "label_smoothing")
    p = _require_logits(y_pred, "y_pred")
    axis = require_axis(axis, p, array_name="y_pred", allow_none=False)
    y = as_float_like(y_true, p, "y_true")
    require_same_shape(y, p, "y_true", "y_pred",
                       sparse_alternative="sparse_categorical_crossentropy")
    if require_batch_and_classes(p, "y_pred", axis, min_classes=int(validate),
                                 why=_("categorical cross-entropy over no classes is always "
                                       "0")):
        return np.zeros(np.delete(p.shape, axis), p.dtype)
    if validate:
        require_dense_labels(y, axis=axis, name="y_true")
        if p.shape[axis] == 1:
            raise ClassCountError(
                "y_pred", got=_("shape {shape}: a single class column").format(shape=p.shape),
                expected=_("one column per class, at least 2"),
                fix=_("for a yes/no target use binary_crossentropy with one sigmoid unit"),
                problem=_("categorical cross-entropy over one class is always 0;"),
            )
    if label_smoothing:
        y = smooth_labels(y, label_smoothing, num_classes=y.shape[-1])
    if from_logits:
        if validate:
            require_logits_not_probabilities(p, axis=axis, name="y_pred")
        return softmax_cross_entropy_with_logits(y, p, axis=axis, validate=False)
    if validate:
        _warn_if_not_probabilities(p, "categorical_crossentropy")
    with np.errstate(invalid="ignore", divide="ignore"):
        return _categorical_ce_probs(y, p, axis)


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
@np.errstate(over="ignore", invalid="ignore")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1, *,
                                    validate: bool = True) -> np.ndarray:
    """``keras.losses.sparse_categorical_crossentropy``: integer ``y_true``, squeezes a trailing 1.

    With ``ignore_class``, those positions get loss 0 (use :func:`lossedu.reduce_loss` with
    ``mask=y_true != ignore_class`` to average over the rest, as Keras's loss object does).

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError` (Keras returns
    an empty loss); fractional labels such as 1.7 and boolean labels raise (Keras truncates
    1.7 to 1 and reads True as 1); ``ignore_class`` must be a whole number.  With
    ``validate=True`` logits (with ``from_logits=True``) that look like probabilities raise;
    ``validate=False`` skips that check and gives Keras's values.

    >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]).round(4)
    array([0.0513, 2.3026], dtype=float32)
    """
    from_logits = require_flag(from_logits, "from_logits")
    validate = require_flag(validate, "validate")
    ignore_class = require_ignore_class(ignore_class, "ignore_class")
    p = _require_logits(y_pred, "y_pred")
    axis = require_axis(axis, p, array_name="y_pred", allow_none=False)
    if axis % p.ndim != p.ndim - 1:
        raise AxisArgumentError(
            "axis", got=_("axis {axis} for y_pred of shape {shape}").format(axis=axis,
                                                                            shape=p.shape),
            expected=_("-1 (or {last}): Keras supports only the last axis here").format(
                last=p.ndim - 1),
            fix=_("np.moveaxis(y_pred, axis, -1) first"),
        )
    lab = require_sparse_shape(as_array(y_true, "y_true"), p, "y_true", "categorical_crossentropy",
                         squeeze_trailing_one=True)
    require_batch_and_classes(p, "y_pred", min_classes=1,
                              why=_("each label picks one of them"))
    lab = require_sparse_labels(lab, p.shape[-1], name="y_true", allow_integral_floats=True,
                                ignore_class=ignore_class)
    valid = None
    if ignore_class is not None:
        valid = lab != ignore_class
        lab = np.where(valid, lab, 0)
        p = np.where(valid[..., None], p, p.dtype.type(0))
    if from_logits:
        if validate:
            require_logits_not_probabilities(p if valid is None else p[valid], name="y_pred")
        res = _sparse_ce(lab, p).astype(p.dtype)
    else:
        if validate:
            _warn_if_not_probabilities(p, "sparse_categorical_crossentropy")
        res = _sparse_ce_probs(lab, p).astype(p.dtype)
    if valid is not None:
        res = np.where(valid, res, p.dtype.type(0))
    return res


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
# (and in float16, 1 - 1e-7 rounds to 1, so Keras's clip keeps 1 and log(1 - 1) = -inf)
@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def binary_crossentropy(y_true, y_pred, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1, *,
                        validate: bool = True) -> np.ndarray:
    """``keras.losses.binary_crossentropy``: element-wise BCE, then the mean over ``axis``.

    ``axis=None`` takes the mean over every axis, as in Keras.

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError` (Keras returns
    an empty loss) and ``label_smoothing`` must be in [0, 1].  With ``validate=True`` targets
    outside [0, 1] (or NaN) raise; ``validate=False`` skips that check and gives Keras's
    values.

    >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).round(3)
    array([0.916, 0.714], dtype=float32)
    """
    from_logits = require_flag(from_logits, "from_logits")
    validate = require_flag(validate, "validate")
    label_smoothing = require_smoothing(label_smoothing, "label_smoothing")
    p = _require_logits(y_pred, "y_pred")
    axis = require_axis(axis, p, array_name="y_pred", none_means=None)
    y = as_float_like(y_true, p, "y_true")
    if y.shape != p.shape:
        raise ShapeMismatchError(
            "y_true", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=y.shape, other="y_pred", other_shape=p.shape),
            expected=_("the same shape (the BinaryCrossentropy object squeezes or expands a "
                       "trailing 1 for you; the function does not)"),
            fix="y_true.reshape(y_pred.shape)",
            problem=_("binary cross-entropy is element-wise;"),
        )
    if axis is None:
        require_not_empty(p, "y_pred")
    else:
        require_batch_and_classes(p, "y_pred", axis, min_classes=1,
                                  why=_("the loss is their mean (Keras gives NaN, the mean of "
                                        "none)"))
    if validate and (np.isnan(y).any() or np.any((y < 0) | (y > 1))):
        raise LabelValueError(
            "y_true", got=_first_nan(y) if np.isnan(y).any() else
            values_from(np.min(y).item(), np.max(y).item()),
            expected=_("targets in [0, 1]: 0/1 or a probability per output"),
            fix=_("for class indices use sparse_categorical_crossentropy"),
            problem=_("binary cross-entropy targets are probabilities;"),
        )
    if label_smoothing:
        y = smooth_labels(y, label_smoothing, num_classes=2)
    if from_logits:
        return _binary_ce(y, p, axis, _sigmoid_ce, compute_dtype(p.dtype))
    if validate:
        _warn_if_not_probabilities(p, "binary_crossentropy")
    return _binary_ce(y, p, axis, _binary_ce_probs, p.dtype)

