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

from lossedu.errors import LossInputError

__all__ = ["as_float", "logit", "sigmoid", "softmax", "log_softmax", "logsumexp"]


def as_float(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as a floating array, with the dtype TensorFlow would give it.

    NumPy float arrays keep their dtype; Python numbers and lists, and integer arrays, become
    float32, as ``tf.convert_to_tensor`` makes them.

    >>> as_float([1.5, 2]).dtype
    dtype('float32')
    >>> as_float(np.zeros(2, np.float64)).dtype
    dtype('float64')
    """
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        if not isinstance(x, (np.ndarray, np.generic)) and arr.dtype == np.float64:
            return arr.astype(np.float32)
        return arr
    if arr.dtype.kind in "iub":
        return arr.astype(np.float32)
    raise LossInputError(
        name,
        got=f"an array of dtype {arr.dtype}",
        expected="numbers (a float array)",
        fix=f"np.asarray({name}, dtype=np.float32)",
    )


def _compute_dtype(dtype: np.dtype) -> np.dtype:
    """float16 is computed in float32 (as TF's CPU kernels do) and cast back."""
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def sigmoid(x) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, the inverse of :func:`logit`.

    Computed as ``1 / (1 + e)`` for x >= 0 and ``e / (1 + e)`` for x < 0, with
    ``e = exp(-|x|)``, so ``exp`` never overflows.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = as_float(x)
    z = x.astype(_compute_dtype(x.dtype))
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out.astype(x.dtype)


def logit(p, eps: float | None = None) -> np.ndarray:
    """The log-odds ``log(p / (1 - p))``, the inverse of :func:`sigmoid`.

    ``logit(0)`` is ``-inf`` and ``logit(1)`` is ``+inf``; pass ``eps`` to clip ``p`` to
    ``[eps, 1 - eps]`` first (like ``scipy.special.logit`` after ``np.clip``).

    >>> float(logit(0.5)), round(float(logit(0.75)), 6)
    (0.0, 1.098612)
    """
    p = as_float(p, "p")
    if np.any((p < 0) | (p > 1)):
        bad = p[(p < 0) | (p > 1)].ravel()[0]
        raise LossInputError(
            "p",
            got=f"a value of {bad.item()!r}",
            expected="probabilities in [0, 1]",
            fix="pass probabilities; if these are already logits, you do not need logit()",
            problem="logit() is defined only for probabilities;",
        )
    if eps is not None:
        p = np.clip(p, eps, 1 - eps)
    with np.errstate(divide="ignore"):
        return (np.log(p) - np.log1p(-p)).astype(p.dtype)


def logsumexp(x, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """``log(sum(exp(x)))`` along ``axis``, stable for large ``x`` (``tf.reduce_logsumexp``).

    >>> float(logsumexp(np.array([1000.0, 1000.0])))  # naive: inf
    1000.6931471805599
    """
    x = as_float(x)
    z = x.astype(_compute_dtype(x.dtype))
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True).astype(np.float64)) + m
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out.astype(x.dtype)


def log_softmax(logits, axis: int = -1) -> np.ndarray:
    """``log(softmax(logits))`` computed as ``(x - max) - log(sum(exp(x - max)))``.

    Not ``x - logsumexp(x)``: in float32 that loses the small terms at large logits.

    >>> log_softmax(np.array([1000.0, 0.0]))
    array([    0., -1000.])
    """
    x = as_float(logits, "logits")
    z = x.astype(_compute_dtype(x.dtype))
    shifted = z - np.max(z, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True).astype(np.float64))
    return out.astype(x.dtype)


def softmax(logits, axis: int = -1) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``axis``, with the maximum subtracted first.

    Shifting every logit by the same constant changes nothing, so subtracting the maximum
    keeps ``exp`` from overflowing without changing the answer.

    >>> softmax(np.array([3.0, 1.0, -3.0])).round(2)
    array([0.88, 0.12, 0.  ])
    """
    x = as_float(logits, "logits")
    z = x.astype(_compute_dtype(x.dtype))
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)
