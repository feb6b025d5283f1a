"""Activations with TensorFlow's names: logit, sigmoid, softmax, log_softmax, logsumexp.

Every function takes NumPy arrays (or anything ``np.asarray`` accepts), keeps a float
input's dtype, and is stable at extreme inputs: softmax and log_softmax subtract the row
maximum first, sigmoid never evaluates ``exp`` of a large positive number.

>>> import numpy as np
>>> softmax(np.array([1.0, 2.0, 3.0])).round(8)
array([0.09003057, 0.24472847, 0.66524096])
"""

from __future__ import annotations

import numpy as np

from lossedu.arguments import (
    as_float,
    compute_dtype,
    require_axis,
    require_epsilon,
    require_flag,
    require_rank,
)
from lossedu.errors import LossInputError
from lossedu.i18n import _

__all__ = ["as_float", "logit", "sigmoid", "softmax", "log_softmax", "logsumexp"]


def sigmoid(x) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, the inverse of :func:`logit`.

    Computed as ``1 / (1 + e)`` for x >= 0 and ``e / (1 + e)`` for x < 0, with
    ``e = exp(-|x|)``, so ``exp`` never overflows.

    Stricter than TensorFlow: complex input is refused (``tf.math.sigmoid`` computes the
    complex logistic function); lossedu's activations are real.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = as_float(x)
    z = x.astype(compute_dtype(x.dtype))
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out.astype(x.dtype)


def logit(p, eps: float | None = None) -> np.ndarray:
    """The log-odds ``log(p / (1 - p))``, the inverse of :func:`sigmoid`.

    ``logit(0)`` is ``-inf`` and ``logit(1)`` is ``+inf``; pass ``eps`` in ``[0, 0.5)`` to
    clip ``p`` to ``[eps, 1 - eps]`` first (like ``scipy.special.logit`` after ``np.clip``).

    >>> float(logit(0.5)), round(float(logit(0.75)), 6)
    (0.0, 1.098612)
    """
    p = as_float(p, "p")
    eps = require_epsilon(eps, "eps")
    if np.any((p < 0) | (p > 1)):
        bad = p[(p < 0) | (p > 1)].ravel()[0]
        raise LossInputError(
            "p",
            got=_("a value of {value}").format(value=repr(bad.item())),
            expected=_("probabilities in [0, 1]"),
            fix=_("pass probabilities; if these are already logits, you do not need logit()"),
            problem=_("logit() is defined only for probabilities;"),
        )
    if eps is not None:
        p = np.clip(p, eps, 1 - eps)
    with np.errstate(divide="ignore"):
        return (np.log(p) - np.log1p(-p)).astype(p.dtype)


# float errors that give TF's answer: x - max(x) overflows to -inf (exp makes it 0), and a
# row of -inf has log(0) = -inf, as in TF
@np.errstate(over="ignore", divide="ignore")
def logsumexp(x, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """``log(sum(exp(x)))`` along ``axis``, stable for large ``x`` (``tf.reduce_logsumexp``).

    ``axis`` is an int, a tuple of ints, or None for every axis (TF's default; lossedu's is
    -1).  Over an axis of length 0 the sum is empty and the answer is ``-inf``, as in TF.

    >>> float(logsumexp(np.array([1000.0, 1000.0])))  # naive: inf
    1000.6931471805599
    """
    x = as_float(x)
    axis = require_axis(axis, x, array_name="x", none_means=None, allow_tuple=True)
    keepdims = require_flag(keepdims, "keepdims")
    if x.size == 0:  # the sum of no terms is 0 and its log -inf; other shapes stay empty
        return np.full(np.sum(x, axis=axis, keepdims=keepdims).shape, -np.inf, x.dtype)
    z = x.astype(compute_dtype(x.dtype))
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True).astype(np.float64)) + m
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out.astype(x.dtype)


# float errors that give TF's answer: x - max(x) overflows to -inf at a huge spread (exp
# makes it the right 0), and inf - inf is NaN as in TF
@np.errstate(over="ignore", invalid="ignore")
def log_softmax(logits, axis: int = -1) -> np.ndarray:
    """``log(softmax(logits))`` computed as ``(x - max) - log(sum(exp(x - max)))``.

    Not ``x - logsumexp(x)``: in float32 that loses the small terms at large logits.

    ``axis=None`` means the last axis, as in ``tf.nn.log_softmax``.

    >>> log_softmax(np.array([1000.0, 0.0]))
    array([    0., -1000.])
    """
    x = as_float(logits, "logits")
    require_rank(x, "logits")
    axis = require_axis(axis, x)
    if x.size == 0:  # no classes (or no rows): TF returns the empty array
        return x.copy()
    z = x.astype(compute_dtype(x.dtype))
    shifted = z - np.max(z, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True).astype(np.float64))
    return out.astype(x.dtype)


# float errors that give TF's answer: x - max(x) overflows to -inf at a huge spread (exp
# makes it the right 0), and inf - inf is NaN as in TF
@np.errstate(over="ignore", invalid="ignore")
def softmax(logits, axis: int = -1) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``axis``, with the maximum subtracted first.

    Shifting every logit by the same constant changes nothing, so subtracting the maximum
    keeps ``exp`` from overflowing without changing the answer.

    ``axis=None`` means the last axis, as in ``tf.nn.softmax``.

    >>> softmax(np.array([3.0, 1.0, -3.0])).round(2)
    array([0.88, 0.12, 0.  ])
    """
    x = as_float(logits, "logits")
    require_rank(x, "logits")
    axis = require_axis(axis, x)
    if x.size == 0:  # no classes (or no rows): TF returns the empty array
        return x.copy()
    z = x.astype(compute_dtype(x.dtype))
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)
