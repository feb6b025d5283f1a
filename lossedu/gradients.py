"""Analytic gradients of the losses, and a numerical check to trust them.

The two identities every learner should know:

* softmax cross-entropy: ``dL/dz = softmax(z) - y`` (for labels that sum to 1);
* sigmoid cross-entropy: ``dL/dx = sigmoid(x) - z``.

>>> import numpy as np
>>> z = np.array([[1.0, 2.0, 3.0]]); y = np.array([[0.0, 0.0, 1.0]])
>>> softmax_cross_entropy_grad(y, z).round(4)
array([[ 0.09  ,  0.2447, -0.3348]])
>>> check_gradient(lambda x: softmax_cross_entropy_with_logits(y, x).sum(),
...                softmax_cross_entropy_grad(y, z), z) < 1e-8
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lossedu.activations import as_float, sigmoid, softmax
from lossedu.labels import one_hot
from lossedu.losses import EPSILON, softmax_cross_entropy_with_logits  # noqa: F401 (doctest)

__all__ = [
    "softmax_cross_entropy_grad",
    "sparse_softmax_cross_entropy_grad",
    "sigmoid_cross_entropy_grad",
    "sparse_categorical_crossentropy_grad",
    "numerical_gradient",
    "check_gradient",
]


def softmax_cross_entropy_grad(labels, logits, axis: int = -1) -> np.ndarray:
    """Gradient of ``sum(softmax_cross_entropy_with_logits(labels, logits))`` w.r.t. logits.

    The exact derivative is ``softmax(z) * sum(y) - y``.  It equals the famous
    ``softmax(z) - y`` only when each label row sums to 1.  TensorFlow always returns
    ``softmax(z) - y``, which is wrong for labels that are not distributions.
    """
    z = as_float(logits, "logits")
    y = np.asarray(labels, dtype=z.dtype)
    return softmax(z, axis=axis) * np.sum(y, axis=axis, keepdims=True) - y


def sparse_softmax_cross_entropy_grad(labels, logits) -> np.ndarray:
    """Gradient of the summed sparse softmax CE: ``softmax(z) - one_hot(labels)``."""
    z = as_float(logits, "logits")
    return softmax(z) - one_hot(labels, z.shape[-1], dtype=z.dtype)


def sigmoid_cross_entropy_grad(labels, logits) -> np.ndarray:
    """Gradient of the summed sigmoid CE: ``sigmoid(x) - z``, element-wise."""
    x = as_float(logits, "logits")
    return sigmoid(x) - np.asarray(labels, dtype=x.dtype)


def sparse_categorical_crossentropy_grad(y_true, y_pred, from_logits: bool = False):
    """Gradient of summed Keras SCCE with respect to ``y_pred`` (what the last layer receives).

    With ``from_logits=False`` Keras computes ``-log(clip(p)[y] / sum(clip(p)))``.  Its
    gradient is ``(clip(p) / sum(clip(p)) - one_hot(y)) / clip(p)`` where ``p`` is in
    ``[1e-7, 1 - 1e-7]``, and exactly **zero** where the clip was active.  Feed it raw
    logits and every logit outside (0, 1), negative or above 1, gets no gradient at all.

    >>> g = sparse_categorical_crossentropy_grad([0], [[0.5, -1.0, 3.0]])
    >>> (g == 0).tolist()
    [[False, True, True]]
    """
    p = as_float(y_pred, "y_pred")
    labels = np.asarray(y_true).astype(np.int64)
    if from_logits:
        return sparse_softmax_cross_entropy_grad(labels, p)
    eps = p.dtype.type(EPSILON)
    q = np.clip(p, eps, 1 - eps)
    inside = (p >= eps) & (p <= 1 - eps)  # tf.clip_by_value passes the gradient at the bounds
    g = (q / np.sum(q, axis=-1, keepdims=True) - one_hot(labels, p.shape[-1], p.dtype)) / q
    return np.where(inside, g, 0).astype(p.dtype)


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at ``x``, computed in float64.

    >>> numerical_gradient(lambda v: float((v ** 2).sum()), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = float(f(x))
        x[idx] = old - h
        down = float(f(x))
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def check_gradient(f: Callable[[np.ndarray], float], analytic, x, h: float = 1e-6) -> float:
    """Largest relative error between ``analytic`` and the numerical gradient of ``f`` at ``x``.

    Around 1e-9 or less in float64 means the analytic gradient is right.
    """
    num = numerical_gradient(f, x, h)
    ana = np.asarray(analytic, dtype=np.float64)
    scale = np.maximum(1.0, np.maximum(np.abs(num), np.abs(ana)))
    return float(np.max(np.abs(num - ana) / scale))
