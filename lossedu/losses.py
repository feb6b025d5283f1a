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


# How the kernels stay fast in plain NumPy: each works through its input in blocks of about
# _BLOCK_BYTES, blocks of rows for the losses over a class axis (a row is never split), flat
# chunks for the element-wise ones.  A block's first pass reads it from memory; every later
# pass (subtract, exp, sum, ...) finds it in the CPU's cache.  Scratch space is a block or
# two, never an array the size of the input.  No sum crosses a block, so the block size
# changes no result.  One thread: a pool of threads over the blocks was measured on the
# 2-core machine of the README's benchmark and was not clearly faster (0.7-1.1x the
# single-threaded time, depending on the loss and on the other jobs running).
_BLOCK_BYTES = 1 << 19


def _block_len(item_bytes: int) -> int:
    """How many rows (or elements) of ``item_bytes`` bytes fill one block."""
    return max(1, _BLOCK_BYTES // max(1, item_bytes))


def _for_each_block(work, n: int, item_bytes: int) -> None:
    """Call ``work(sl)`` for consecutive slices ``sl`` of ``range(n)``, each about a block."""
    step = _block_len(item_bytes)
    for start in range(0, n, step):
        work(slice(start, start + step))


def _row_sums(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)``, as dot products with a row of ones: BLAS's dot is 2-3x faster than
    NumPy's pairwise sum on these rows, and as accurate in float32 (a few 1e-7 relative)."""
    return np.vecdot(a, np.ones(a.shape[1], a.dtype))


def _as_rows(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """``a`` as a 2-D array ``(examples, classes)``, the class axis last (a view if it can)."""
    a = np.moveaxis(a, axis, -1)
    return a.reshape(-1, a.shape[-1])


def _without_axis(shape: tuple, axis: int) -> tuple:
    axis %= len(shape)
    return shape[:axis] + shape[axis + 1:]


def _sparse_ce(labels: np.ndarray, z: np.ndarray) -> np.ndarray:
    """TF's kernel: ``log(sum(exp(z - max))) - (z - max)[label]``, one float64 per example.

    The log of the row sums (one per example, so cheap) is taken in float64: NumPy's
    float32 ``log`` can be an ulp off.
    """
    rows, lab = _as_rows(z), labels.reshape(-1)
    dtype = _compute_dtype(z.dtype)
    out = np.empty(len(rows), np.float64)

    def block(sl: slice) -> None:
        zb = rows[sl].astype(dtype, copy=False)             # float16 is computed in float32
        m = zb.max(axis=1)                                  # pass 1: the row maximum
        picked = zb[np.arange(len(zb)), lab[sl]] - m        # the label's shifted logit
        b = np.subtract(zb, m[:, None])                     # pass 2: shifted logits, <= 0
        np.exp(b, out=b)                                    # pass 3: exp, in cache
        lse = np.log(_row_sums(b).astype(np.float64))       # pass 4: log-sum-exp - max
        out[sl] = lse - picked

    _for_each_block(block, len(rows), rows.shape[1] * dtype.itemsize)
    return out.reshape(labels.shape)


def _sparse_ce_probs(labels: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Keras's ``from_logits=False`` sparse loss: TF's sparse kernel on ``log(clip(p))``.

    With ``q = clip(p, 1e-7, 1 - 1e-7)``, ``softmax(log q) = q / sum(q)``, so that loss is
    ``log(sum(q)) - log(q[label])``: a clip and a sum per entry, two logs per example,
    where the literal route takes a log and an exp of every entry.
    """
    rows, lab = _as_rows(p), labels.reshape(-1)
    dtype = _compute_dtype(p.dtype)
    eps = dtype.type(EPSILON)
    out = np.empty(len(rows), np.float64)

    def block(sl: slice) -> None:
        q = np.clip(rows[sl].astype(dtype, copy=False), eps, 1 - eps)  # pass 1: q = clip(p)
        total = _row_sums(q).astype(np.float64)                        # pass 2: sum(q)
        out[sl] = np.log(total) - np.log(q[np.arange(len(q)), lab[sl]])

    _for_each_block(block, len(rows), rows.shape[1] * dtype.itemsize)
    return out.reshape(labels.shape)


def _softmax_ce(y: np.ndarray, z: np.ndarray, axis: int = -1) -> np.ndarray:
    """``sum(y * (lse - shifted)) = lse * sum(y) - sum(y * shifted)``, one float64 per example.

    ``shifted = z - max(z)`` and ``lse = log(sum(exp(shifted)))``: the sparse kernel plus a
    row-wise dot product ``<y, shifted>``, taken before ``exp`` overwrites the block.
    """
    zr, yr = _as_rows(z, axis), _as_rows(y, axis)
    dtype = _compute_dtype(z.dtype)
    out = np.empty(len(zr), np.float64)

    def block(sl: slice) -> None:
        zb, yb = zr[sl].astype(dtype, copy=False), yr[sl].astype(dtype, copy=False)  # f16: f32
        m = zb.max(axis=1, keepdims=True)                   # pass 1: the row maximum
        b = np.subtract(zb, m)                              # pass 2: shifted logits, <= 0
        y_dot = np.vecdot(yb, b)                            # pass 3: sum(y * shifted)
        y_sum = _row_sums(yb)                               # pass 4: sum(y), 1 for one-hot
        np.exp(b, out=b)                                    # pass 5: exp, in cache
        lse = np.log(_row_sums(b).astype(np.float64))       # pass 6: log-sum-exp - max
        out[sl] = lse * y_sum - y_dot

    _for_each_block(block, len(zr), zr.shape[1] * dtype.itemsize)
    return out.reshape(_without_axis(z.shape, axis))


def _categorical_ce_probs(y: np.ndarray, p: np.ndarray, axis: int = -1) -> np.ndarray:
    """Keras's ``-sum(y * log(clip(p / sum(p))), axis)``, in row blocks, in ``p``'s dtype."""
    pr, yr = _as_rows(p, axis), _as_rows(y, axis)
    out = np.empty(len(pr), p.dtype)

    def block(sl: slice) -> None:
        logp = _keras_log_probs(pr[sl])                     # passes 1-4: sum, /, clip, log
        out[sl] = -np.vecdot(yr[sl], logp)                  # pass 5: -sum(y * log p)

    _for_each_block(block, len(pr), pr.shape[1] * p.dtype.itemsize)
    return out.reshape(_without_axis(p.shape, axis))


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
    return _softmax_ce(y, x, axis).astype(x.dtype)


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
    return _sparse_ce(lab, x).astype(x.dtype)


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
    loss = _elementwise(_sigmoid_ce, xc, z.astype(xc.dtype, copy=False))
    return loss.astype(x.dtype, copy=False)


def _elementwise(kernel, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``kernel(x, z, out)`` over flat chunks of ``x`` and ``z``, into a new array."""
    out = np.empty(x.shape, x.dtype)         # C order, so out.reshape(-1) is a view
    fx, fz, fo = x.reshape(-1), z.reshape(-1), out.reshape(-1)
    _for_each_block(lambda sl: kernel(fx[sl], fz[sl], fo[sl]), fx.size, x.dtype.itemsize)
    return out


def _sigmoid_ce(x: np.ndarray, z: np.ndarray, out: np.ndarray) -> None:
    """``out = max(x, 0) - x * z + log1p(exp(-|x|))``, in cache-sized chunks.

    ``np.log1p`` has no SIMD loop and is several times slower than ``np.log``, so log1p(e)
    is ``log(u) - (u - 1 - e) / u`` with ``u = 1 + e`` rounded: ``u - 1 - e`` is exactly the
    rounding error of ``u`` (both subtractions are exact), and dividing it by ``u`` undoes
    that error's effect on the log to first order, a few ulp in all.  Where ``e`` is below
    half an ulp of 1, ``u`` is 1 and the formula gives ``e`` itself, as log1p does.
    """
    fx, fz, fo = x.reshape(-1), z.reshape(-1), out.reshape(-1)
    step = _block_len(x.dtype.itemsize)
    u, w = np.empty(min(step, fx.size), x.dtype), np.empty(min(step, fx.size), x.dtype)
    zeros = np.zeros(min(step, fx.size), x.dtype)  # np.maximum(x, 0) is 3x slower
    for start in range(0, fx.size, step):
        sl = slice(start, start + step)
        xs, zs, o = fx[sl], fz[sl], fo[sl]
        uu, ww = u[:o.size], w[:o.size]
        np.abs(xs, out=o)                    # pass 1: |x|
        np.negative(o, out=o)                # pass 2: -|x|
        np.exp(o, out=o)                     # pass 3: e = exp(-|x|) in (0, 1]
        np.add(o, 1, out=uu)                 # pass 4: u = 1 + e, rounded
        np.subtract(uu, 1, out=ww)           # pass 5: u - 1
        ww -= o                              # pass 6: u - 1 - e, the rounding error of u
        ww /= uu                             # pass 7: its effect on log(u)
        np.log(uu, out=uu)                   # pass 8: log(u)
        np.subtract(uu, ww, out=o)           # pass 9: log1p(e)
        # TF's order, (max(x, 0) - x * z) + log1p(e), keeps x = 17, z = 1 at 4.1e-8, not 0
        np.maximum(xs, zeros[:o.size], out=ww)  # pass 10: max(x, 0)
        np.multiply(xs, zs, out=uu)          # pass 11: x * z
        ww -= uu                             # pass 12: max(x, 0) - x * z
        o += ww                              # pass 13: the loss


def _binary_ce_probs(p: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    """Keras's element-wise ``out = -(y * log(q) + (1 - y) * log(1 - q))``, ``q = clip(p)``."""
    fp, fy, fo = p.reshape(-1), y.reshape(-1), out.reshape(-1)
    eps = p.dtype.type(EPSILON)
    step = _block_len(p.dtype.itemsize)
    a, b = np.empty(min(step, fp.size), p.dtype), np.empty(min(step, fp.size), p.dtype)
    for start in range(0, fp.size, step):
        sl = slice(start, start + step)
        ys, o = fy[sl], fo[sl]
        aa, bb = a[:o.size], b[:o.size]
        np.clip(fp[sl], eps, 1 - eps, out=aa)  # pass 1: q
        np.subtract(1, aa, out=bb)           # pass 2: 1 - q
        np.log(bb, out=bb)                   # pass 3: log(1 - q)
        np.log(aa, out=aa)                   # pass 4: log(q)
        aa *= ys                             # pass 5: y * log(q)
        np.subtract(1, ys, out=o)            # pass 6: 1 - y
        bb *= o                              # pass 7: (1 - y) * log(1 - q)
        aa += bb                             # pass 8: their sum
        np.negative(aa, out=o)               # pass 9: the loss


def _binary_ce(y: np.ndarray, p: np.ndarray, axis: int, kernel, dtype) -> np.ndarray:
    """Keras's binary cross-entropy: ``kernel(p, y, losses)`` in ``dtype``, then the mean of
    ``losses`` over ``axis``, in row blocks, so the element-wise losses never all exist."""
    pr, yr = _as_rows(p, axis), _as_rows(y, axis)
    out = np.empty(len(pr), p.dtype)

    def block(sl: slice) -> None:
        pb, yb = pr[sl].astype(dtype, copy=False), yr[sl].astype(dtype, copy=False)
        losses = np.empty(pb.shape, dtype)
        kernel(pb, yb, losses)                              # the element-wise losses
        out[sl] = losses.astype(p.dtype, copy=False).mean(axis=1)      # each row's mean

    _for_each_block(block, len(pr), pr.shape[1] * np.dtype(dtype).itemsize)
    return out.reshape(_without_axis(p.shape, axis))


def keras_probability_path(y_pred, axis: int = -1, normalise: bool = True) -> np.ndarray:
    """What Keras does to ``y_pred`` when ``from_logits=False``: normalise, clip, log.

    Returns the log-probabilities it then uses.  On raw logits, every negative entry is
    clipped to 1e-7, so its gradient is exactly zero: that is the from_logits pitfall.

    >>> keras_probability_path(np.array([[2.0, -1.0, 0.5]])).round(3)
    array([[ -0.   , -16.118,  -1.099]])
    """
    p = as_float(y_pred, "y_pred")
    return _keras_log_probs(p, axis, normalise)


def _keras_log_probs(p: np.ndarray, axis: int = -1, normalise: bool = True) -> np.ndarray:
    """:func:`keras_probability_path`'s steps, one pass each, in one new array."""
    eps = p.dtype.type(EPSILON)
    if normalise:
        q = np.divide(p, np.sum(p, axis=axis, keepdims=True))  # sum, then p / sum(p)
        np.clip(q, eps, 1 - eps, out=q)      # into [1e-7, 1 - 1e-7]
    else:
        q = np.clip(p, eps, 1 - eps)         # into [1e-7, 1 - 1e-7]
    return np.log(q, out=q)


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
    y = as_float(y_true, "y_true").astype(p.dtype, copy=False)
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
        return _categorical_ce_probs(y, p, axis)


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
        res = _sparse_ce(lab, p).astype(p.dtype)
    else:
        if validate:
            _warn_if_not_probabilities(p, "sparse_categorical_crossentropy")
        res = _sparse_ce_probs(lab, p).astype(p.dtype)
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
    y = as_float(y_true, "y_true").astype(p.dtype, copy=False)
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
        return _binary_ce(y, p, axis, _sigmoid_ce, _compute_dtype(p.dtype))
    if validate:
        _warn_if_not_probabilities(p, "binary_crossentropy")
    return _binary_ce(y, p, axis, _binary_ce_probs, p.dtype)

