"""Analytic gradients of the losses, and a numerical check to trust them.

The two identities every learner should know:

* softmax cross-entropy: ``dL/dz = softmax(z) - y`` (for labels that sum to 1);
* sigmoid cross-entropy: ``dL/dx = sigmoid(x) - z``.

>>> import numpy as np
>>> from lossedu.losses import softmax_cross_entropy_with_logits
>>> z = np.array([[1.0, 2.0, 3.0]]); y = np.array([[0.0, 0.0, 1.0]])
>>> softmax_cross_entropy_grad(y, z).round(4)
array([[ 0.09  ,  0.2447, -0.3348]])
>>> gradient_error(lambda x: softmax_cross_entropy_with_logits(y, x).sum(),
...                softmax_cross_entropy_grad(y, z), z) < 1e-8
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lossedu.activations import sigmoid, softmax
from lossedu.arguments import (
    as_array,
    as_float,
    as_float64,
    as_float_like,
    require_axis,
    require_batch_and_classes,
    require_callable,
    require_flag,
    require_not_empty,
    require_rank,
    require_shapes_equal,
    require_step,
    scalar_result,
)
from lossedu.constants import EPSILON
from lossedu.errors import ShapeMismatchError
from lossedu.i18n import _
from lossedu.labels import one_hot, require_same_shape, require_sparse_labels, require_sparse_shape

__all__ = [
    "softmax_cross_entropy_grad",
    "sparse_softmax_cross_entropy_grad",
    "sigmoid_cross_entropy_grad",
    "sparse_categorical_crossentropy_grad",
    "numerical_gradient",
    "gradient_error",
    "check_gradient",
]


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
@np.errstate(over="ignore", invalid="ignore")
def softmax_cross_entropy_grad(labels, logits, axis: int = -1) -> np.ndarray:
    """Gradient of ``sum(softmax_cross_entropy_with_logits(labels, logits))`` w.r.t. logits.

    The exact derivative is ``softmax(z) * sum(y) - y``.  It equals the famous
    ``softmax(z) - y`` only when each label row sums to 1.  TensorFlow always returns
    ``softmax(z) - y``, which is wrong for labels that are not distributions.

    Stricter than TensorFlow: labels must have the logits' shape (TF broadcasts them), and
    an empty batch raises :class:`EmptyBatchError`, as the loss does.
    """
    z = as_float(logits, "logits")
    require_rank(z, "logits")
    axis = require_axis(axis, z)
    y = as_float_like(labels, z, "labels")
    require_same_shape(y, z, sparse_alternative="sparse_softmax_cross_entropy_grad")
    require_batch_and_classes(z, "logits", axis, min_classes=0)
    return softmax(z, axis=axis) * np.sum(y, axis=axis, keepdims=True) - y


def sparse_softmax_cross_entropy_grad(labels, logits) -> np.ndarray:
    """Gradient of the summed sparse softmax CE: ``softmax(z) - one_hot(labels)``.

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError`, as the loss does.
    """
    z = as_float(logits, "logits")
    require_rank(z, "logits")
    labels = require_sparse_shape(as_array(labels, "labels"), z, "labels",
                            "softmax_cross_entropy_grad", squeeze_trailing_one=False)
    require_batch_and_classes(z, "logits", min_classes=1,
                              why=_("each label picks one of them"))
    labels = require_sparse_labels(labels, z.shape[-1], name="labels")
    return softmax(z) - one_hot(labels, z.shape[-1], dtype=z.dtype)


def sigmoid_cross_entropy_grad(labels, logits) -> np.ndarray:
    """Gradient of the summed sigmoid CE: ``sigmoid(x) - z``, element-wise.

    Stricter than TensorFlow: an empty input raises :class:`EmptyBatchError`, as the loss does.
    """
    x = as_float(logits, "logits")
    z = as_float_like(labels, x, "labels")
    require_shapes_equal(z, x, "labels", "logits", _("sigmoid cross-entropy is element-wise"),
                         fix=_("one 0/1 target per logit: labels.reshape(logits.shape)"))
    require_not_empty(x, "logits")
    return sigmoid(x) - z


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
@np.errstate(over="ignore", invalid="ignore")
def sparse_categorical_crossentropy_grad(y_true, y_pred, from_logits: bool = False):
    """Gradient of summed Keras SCCE with respect to ``y_pred`` (what the last layer receives).

    With ``from_logits=False`` Keras computes ``-log(clip(p)[y] / sum(clip(p)))``.  Its
    gradient is ``(clip(p) / sum(clip(p)) - one_hot(y)) / clip(p)`` where ``p`` is in
    ``[1e-7, 1 - 1e-7]``, and exactly **zero** where the clip was active.  Feed it raw
    logits and every logit outside (0, 1), negative or above 1, gets no gradient at all.

    Stricter than TensorFlow: an empty batch raises :class:`EmptyBatchError`, and fractional
    or boolean labels raise, as the loss does.

    >>> g = sparse_categorical_crossentropy_grad([0], [[0.5, -1.0, 3.0]])
    >>> (g == 0).tolist()
    [[False, True, True]]
    """
    from_logits = require_flag(from_logits, "from_logits")
    p = as_float(y_pred, "y_pred")
    require_rank(p, "y_pred")
    labels = require_sparse_shape(as_array(y_true, "y_true"), p, "y_true",
                                  "categorical_crossentropy", squeeze_trailing_one=True)
    require_batch_and_classes(p, "y_pred", min_classes=1,
                              why=_("each label picks one of them"))
    labels = require_sparse_labels(labels, p.shape[-1], name="y_true", allow_integral_floats=True)
    if from_logits:
        return sparse_softmax_cross_entropy_grad(labels, p)
    eps = p.dtype.type(EPSILON)
    q = np.clip(p, eps, 1 - eps)
    inside = (p >= eps) & (p <= 1 - eps)  # tf.clip_by_value passes the gradient at the bounds
    g = (q / np.sum(q, axis=-1, keepdims=True) - one_hot(labels, p.shape[-1], p.dtype)) / q
    return np.where(inside, g, 0).astype(p.dtype)


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at ``x``, computed in float64.

    ``h`` is a positive step that is not lost in the rounding of ``x`` (``x + h != x``).

    >>> numerical_gradient(lambda v: float((v ** 2).sum()), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    require_callable(f, "f")
    x = as_float64(x, "x")
    h = require_step(h, x, "h")
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = scalar_result(f(x), "f")
        x[idx] = old - h
        down = scalar_result(f(x), "f")
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def gradient_error(f: Callable[[np.ndarray], float], analytic, x, h: float = 1e-6) -> float:
    """Largest relative error between ``analytic`` and the numerical gradient of ``f`` at ``x``.

    Around 1e-9 or less in float64 means the analytic gradient is right. (Also reachable as
    ``check_gradient``, its name before ``check_*`` was kept for exercise checkers.)
    """
    num = numerical_gradient(f, x, h)
    ana = as_float64(analytic, "analytic")
    if ana.shape != num.shape:
        raise ShapeMismatchError(
            "analytic", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=ana.shape, other="x", other_shape=num.shape),
            expected=_("one derivative per entry of x: analytic.shape == x.shape"),
            fix=_("pass the gradient with respect to x itself (not summed, not batched)"),
            problem=_("the shapes differ;"))
    if num.size == 0:
        return 0.0
    scale = np.maximum(1.0, np.maximum(np.abs(num), np.abs(ana)))
    return float(np.max(np.abs(num - ana) / scale))


check_gradient = gradient_error
"""The former name of :func:`gradient_error`, kept so existing code runs."""
