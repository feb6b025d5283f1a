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

from lossedu.activations import _compute_dtype, as_float
from lossedu.errors import LabelShapeError, LabelValueError, LossInputError, ShapeMismatchError
from lossedu.labels import (
    check_dense_labels,
    check_logits_not_probabilities,
    check_not_empty,
    check_same_shape,
    check_sparse_labels,
    is_one_hot,
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

EPSILON = 1e-7
"""``keras.backend.epsilon()``: Keras clips probabilities to ``[EPSILON, 1 - EPSILON]``."""


class LogitsAsProbabilitiesWarning(UserWarning):
    """``from_logits=False`` was given values that cannot be probabilities: likely logits."""


def _warn_if_not_probabilities(y_pred: np.ndarray, loss: str) -> None:
    if np.any(y_pred < 0) or np.any(y_pred > 1):
        warnings.warn(
            f"{loss} received from_logits=False, but `y_pred` has values outside [0, 1] "
            f"(min {float(np.min(y_pred)):.4g}, max {float(np.max(y_pred)):.4g}): these look "
            "like logits. Keras will clip them to [1e-7, 1 - 1e-7] and training stalls. "
            "Fix: from_logits=True, or end the model with a softmax/sigmoid.",
            LogitsAsProbabilitiesWarning,
            stacklevel=3,
        )


def _check_logits(logits, name: str = "logits") -> np.ndarray:
    x = as_float(logits, name)
    if x.ndim == 0:
        raise LossInputError(
            name, got="a scalar", expected="an array with a class axis, shape (..., C)",
            fix=f"{name}[None] for a single example",
        )
    check_not_empty(x, name)
    return x


def _sparse_shapes(labels: np.ndarray, logits: np.ndarray, name: str, dense_alternative: str,
                   squeeze_trailing_one: bool) -> np.ndarray:
    """Check the sparse shape rule ``labels.shape == logits.shape[:-1]``."""
    want = logits.shape[:-1]
    if squeeze_trailing_one and labels.ndim == logits.ndim and labels.shape[-1:] == (1,):
        labels = labels[..., 0]
    if labels.shape == want:
        return labels
    if labels.shape == want + (1,):
        raise LabelShapeError(
            name, got=f"shape {labels.shape} (a trailing axis of size 1)",
            expected=f"shape {want}: labels rank = logits rank - 1, for logits {logits.shape}",
            fix=f"{name}.squeeze(-1)  (tf.nn does not squeeze; Keras does)",
            problem="sparse labels have one axis too many;",
        )
    if labels.shape == logits.shape and is_one_hot(labels):
        raise LabelShapeError(
            name, got=f"one-hot labels of shape {labels.shape}",
            expected=f"class indices of shape {want}",
            fix=f"{name}.argmax(-1), or use {dense_alternative} for one-hot labels",
            problem="one-hot labels were given to a sparse loss;",
        )
    raise ShapeMismatchError(
        name, got=f"shape {labels.shape} against logits of shape {logits.shape}",
        expected=f"shape {want}: one class index per row of logits",
        fix="check that labels and logits come from the same batch",
        problem="the shapes do not fit;",
    )


def _sparse_ce(labels: np.ndarray, z: np.ndarray) -> np.ndarray:
    """TF's kernel: ``log(sum(exp(z - max))) - (z - max)[label]``.

    One scratch buffer the size of ``z``.  The log of the row sums (one per example, so
    cheap) is taken in float64: NumPy's float32 ``log`` can be an ulp off, TF's is not.
    """
    m = np.max(z, axis=-1, keepdims=True)
    buf = np.subtract(z, m)
    np.exp(buf, out=buf)
    lse = np.log(np.sum(buf, axis=-1).astype(np.float64))
    picked = np.take_along_axis(z, labels[..., None], axis=-1) - m
    return lse - picked[..., 0]


def softmax_cross_entropy_with_logits(labels, logits, axis: int = -1, *,
                                      validate: bool = True) -> np.ndarray:
    """``tf.nn.softmax_cross_entropy_with_logits``: one-hot (or soft) labels, shape drops ``axis``.

    ``loss = -sum(labels * log_softmax(logits), axis)``, one value per example.

    >>> softmax_cross_entropy_with_logits(np.eye(3)[[2, 2]], np.tile([1.0, 2.0, 3.0], (2, 1)))
    array([0.40760596, 0.40760596])
    """
    x = _check_logits(logits)
    y = as_float(labels, "labels").astype(x.dtype, copy=False)
    check_same_shape(y, x, sparse_alternative="sparse_softmax_cross_entropy_with_logits")
    if validate:
        check_dense_labels(y, axis=axis)
        check_logits_not_probabilities(x, axis=axis)
    z = x.astype(_compute_dtype(x.dtype), copy=False)
    m = np.max(z, axis=axis, keepdims=True)
    buf = np.subtract(z, m)                       # shifted logits: the one scratch buffer
    np.exp(buf, out=buf)
    lse = np.log(np.sum(buf, axis=axis, keepdims=True).astype(np.float64))
    np.subtract(z, m, out=buf)
    np.multiply(buf, y, out=buf)
    # sum(y * (lse - shifted)) = lse * sum(y) - sum(y * shifted)
    out = lse * np.sum(y, axis=axis, keepdims=True) - np.sum(buf, axis=axis, keepdims=True)
    return np.squeeze(out, axis=axis).astype(x.dtype)


def sparse_softmax_cross_entropy_with_logits(labels, logits, *,
                                             validate: bool = True) -> np.ndarray:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: integer labels, rank = logits rank - 1.

    ``loss = logsumexp(logits) - logits[label]``.  Labels of shape (B, 1) are refused, as in
    TensorFlow, but with the fix in the message.

    >>> sparse_softmax_cross_entropy_with_logits(np.array([0]), np.array([[3.0, 1.0, -3.0]]))
    array([0.12910891])
    """
    x = _check_logits(logits)
    lab = np.asarray(labels)
    lab = _sparse_shapes(lab, x, "labels", "softmax_cross_entropy_with_logits",
                         squeeze_trailing_one=False)
    lab = check_sparse_labels(lab, x.shape[-1])
    if validate:
        check_logits_not_probabilities(x)
    return _sparse_ce(lab, x.astype(_compute_dtype(x.dtype), copy=False)).astype(x.dtype)


def sigmoid_cross_entropy_with_logits(labels, logits, *, validate: bool = True) -> np.ndarray:
    """``tf.nn.sigmoid_cross_entropy_with_logits``: element-wise, output shape = input shape.

    Uses TensorFlow's stable form ``max(x, 0) - x * z + log(1 + exp(-|x|))``.

    >>> sigmoid_cross_entropy_with_logits(np.array([1.0, 0.0]), np.array([1000.0, 1000.0]))
    array([   0., 1000.])
    """
    # element-wise, so a scalar logit is fine (as in TF); there is no class axis to check
    x = as_float(logits, "logits")
    check_not_empty(x, "logits")
    z = as_float(labels, "labels").astype(x.dtype, copy=False)
    if z.shape != x.shape:
        raise ShapeMismatchError(
            "labels", got=f"shape {z.shape} against logits of shape {x.shape}",
            expected="the same shape: one 0/1 target per logit",
            fix="for class indices with C independent outputs use one_hot(labels, C); "
                "for one output unit use labels.reshape(logits.shape)",
            problem="sigmoid cross-entropy is element-wise;",
        )
    if validate and not (np.min(z) >= 0 and np.max(z) <= 1):  # NaN fails too
        raise LabelValueError(
            "labels", got=f"values from {np.min(z).item()!r} to {np.max(z).item()!r}",
            expected="targets in [0, 1]: 0/1 or a probability per logit",
            fix="for class indices use one_hot(labels, C) or a softmax loss",
            problem="each label is the probability that its class is present;",
        )
    xc = x.astype(_compute_dtype(x.dtype), copy=False)
    return _sigmoid_ce(xc, z.astype(xc.dtype, copy=False)).astype(x.dtype, copy=False)


_CHUNK = 1 << 15


def _sigmoid_ce(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``max(x, 0) - x * z + log1p(exp(-|x|))``, in cache-sized chunks.

    ``np.log1p`` has no SIMD loop and is several times slower than ``np.log``, so log1p is
    computed with Kahan's trick, ``log(u) * e / (u - 1)`` with ``u = 1 + e`` (exact to a few
    ulp), falling back to ``e`` where ``u`` rounds to 1.
    """
    out = np.empty_like(x)
    fx, fz, fo = x.reshape(-1), z.reshape(-1), out.reshape(-1)
    u = np.empty(min(_CHUNK, fx.size), x.dtype)
    w = np.empty_like(u)
    for start in range(0, fx.size, _CHUNK):
        xs, zs, o = fx[start:start + _CHUNK], fz[start:start + _CHUNK], fo[start:start + _CHUNK]
        uu, ww = u[:o.size], w[:o.size]
        np.abs(xs, out=o)
        np.negative(o, out=o)
        np.exp(o, out=o)                     # e = exp(-|x|) in (0, 1]
        np.add(o, 1, out=uu)                 # u = 1 + e
        np.subtract(uu, 1, out=ww)           # u - 1, which is 0 where e < ulp(1) / 2
        exact = ww != 0
        np.log(uu, out=uu)
        np.divide(o, ww, out=ww, where=exact)
        np.multiply(uu, ww, out=uu)
        np.copyto(o, uu, where=exact)        # o = log1p(e)
        np.maximum(xs, 0, out=ww)            # TF's order: (max(x, 0) - x * z) + log1p(e),
        np.multiply(xs, zs, out=uu)          # which keeps x = 17, z = 1 at 4.1e-8, not 0
        ww -= uu
        o += ww
    return out


def keras_probability_path(y_pred, axis: int = -1, normalise: bool = True) -> np.ndarray:
    """What Keras does to ``y_pred`` when ``from_logits=False``: normalise, clip, log.

    Returns the log-probabilities it then uses.  On raw logits, every negative entry is
    clipped to 1e-7, so its gradient is exactly zero: that is the from_logits pitfall.

    >>> keras_probability_path(np.array([[2.0, -1.0, 0.5]])).round(3)
    array([[ -0.   , -16.118,  -1.099]])
    """
    p = as_float(y_pred, "y_pred")
    if normalise:
        p = p / np.sum(p, axis=axis, keepdims=True)
    eps = p.dtype.type(EPSILON)
    return np.log(np.clip(p, eps, 1 - eps))


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1, *,
                             validate: bool = True) -> np.ndarray:
    """``keras.losses.categorical_crossentropy``: one-hot ``y_true``, one loss per example.

    >>> y_true = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> y_pred = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    >>> categorical_crossentropy(y_true, y_pred).round(4)
    array([0.0513, 2.3026])
    """
    p = _check_logits(y_pred, "y_pred")
    y = as_float(y_true, "y_true").astype(p.dtype)
    check_same_shape(y, p, "y_true", "y_pred", sparse_alternative="sparse_categorical_crossentropy")
    if validate:
        check_dense_labels(y, axis=axis, name="y_true")
        if p.shape[axis] == 1:
            raise LossInputError(
                "y_pred", got=f"shape {p.shape}: a single class column",
                expected="one column per class, at least 2",
                fix="for a yes/no target use binary_crossentropy with one sigmoid unit",
                problem="categorical cross-entropy over one class is always 0;",
            )
    if label_smoothing:
        y = smooth_labels(y, label_smoothing, num_classes=y.shape[-1])
    if from_logits:
        if validate:
            check_logits_not_probabilities(p, axis=axis, name="y_pred")
        return softmax_cross_entropy_with_logits(y, p, axis=axis, validate=False)
    if validate:
        _warn_if_not_probabilities(p, "categorical_crossentropy")
    with np.errstate(invalid="ignore", divide="ignore"):
        logp = keras_probability_path(p, axis=axis)
    return (-np.sum(y * logp, axis=axis)).astype(p.dtype)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1, *,
                                    validate: bool = True) -> np.ndarray:
    """``keras.losses.sparse_categorical_crossentropy``: integer ``y_true``, squeezes a trailing 1.

    With ``ignore_class``, those positions get loss 0 (use :func:`lossedu.reduce_loss` with
    ``mask=y_true != ignore_class`` to average over the rest, as Keras's loss object does).

    >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]).round(4)
    array([0.0513, 2.3026], dtype=float32)
    """
    p = _check_logits(y_pred, "y_pred")
    if axis not in (-1, p.ndim - 1):
        raise LossInputError(
            "axis", got=repr(axis), expected=f"-1 (or {p.ndim - 1}): Keras supports only the "
            "last axis here", fix="np.moveaxis(y_pred, axis, -1) first",
        )
    lab = _sparse_shapes(np.asarray(y_true), p, "y_true", "categorical_crossentropy",
                         squeeze_trailing_one=True)
    lab = check_sparse_labels(lab, p.shape[-1], name="y_true", allow_integral_floats=True,
                              ignore_class=ignore_class)
    valid = None
    if ignore_class is not None:
        valid = lab != ignore_class
        lab = np.where(valid, lab, 0)
        p = np.where(valid[..., None], p, p.dtype.type(0))
    if from_logits:
        if validate:
            check_logits_not_probabilities(p if valid is None else p[valid], name="y_pred")
        res = _sparse_ce(lab, p.astype(_compute_dtype(p.dtype), copy=False)).astype(p.dtype)
    else:
        if validate:
            _warn_if_not_probabilities(p, "sparse_categorical_crossentropy")
        logp = keras_probability_path(p, normalise=False)
        res = _sparse_ce(lab, logp.astype(_compute_dtype(p.dtype))).astype(p.dtype)
    if valid is not None:
        res = np.where(valid, res, p.dtype.type(0))
    return res


def binary_crossentropy(y_true, y_pred, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1, *,
                        validate: bool = True) -> np.ndarray:
    """``keras.losses.binary_crossentropy``: element-wise BCE, then the mean over ``axis``.

    >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).round(3)
    array([0.916, 0.714], dtype=float32)
    """
    p = _check_logits(y_pred, "y_pred")
    y = as_float(y_true, "y_true").astype(p.dtype)
    if y.shape != p.shape:
        raise ShapeMismatchError(
            "y_true", got=f"shape {y.shape} against y_pred of shape {p.shape}",
            expected="the same shape (the BinaryCrossentropy object squeezes or expands a "
                     "trailing 1 for you; the function does not)",
            fix="y_true.reshape(y_pred.shape)",
            problem="binary cross-entropy is element-wise;",
        )
    if validate and (np.isnan(y).any() or np.any((y < 0) | (y > 1))):
        raise LabelValueError(
            "y_true", got=f"values from {np.nanmin(y).item()!r} to {np.nanmax(y).item()!r}",
            expected="targets in [0, 1]: 0/1 or a probability per output",
            fix="for class indices use sparse_categorical_crossentropy",
            problem="binary cross-entropy targets are probabilities;",
        )
    if label_smoothing:
        y = smooth_labels(y, label_smoothing, num_classes=2)
    if from_logits:
        per_elem = sigmoid_cross_entropy_with_logits(y, p, validate=False)
    else:
        if validate:
            _warn_if_not_probabilities(p, "binary_crossentropy")
        eps = p.dtype.type(EPSILON)
        q = np.clip(p, eps, 1 - eps)
        per_elem = -(y * np.log(q) + (1 - y) * np.log(1 - q))
    return np.mean(per_elem, axis=axis).astype(p.dtype)

