"""Weighting a rare class: in the loss (``pos_weight``) or in ``fit`` (``class_weight``).

``weighted_cross_entropy_with_logits`` is ``tf.nn.weighted_cross_entropy_with_logits``: the
sigmoid cross-entropy with the positive term multiplied by ``pos_weight``.
``class_weight_to_sample_weights`` is what ``model.fit(..., class_weight=...)`` does to the
labels before the loss sees them: one weight per example, looked up by its class.
``balanced_class_weight`` gives the usual choice, ``n / (C * count)`` per class.

>>> import numpy as np
>>> weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0], pos_weight=9.0).round(4)
array([6.2383, 0.6931], dtype=float32)
>>> class_weight_to_sample_weights(np.array([0, 1, 1]), {1: 5.0})
array([1., 5., 5.], dtype=float32)
>>> balanced_class_weight(np.array([0, 0, 0, 1]))
{0: 0.6666666666666666, 1: 2.0}
"""

from __future__ import annotations

import numpy as np

from lossedu.arguments import as_array, as_float, as_float_like, compute_dtype, require_not_empty
from lossedu.describe import _is_int, _is_real, show, values_from
from lossedu.errors import LabelValueError, ParameterError, ShapeMismatchError
from lossedu.i18n import _

__all__ = ["weighted_cross_entropy_with_logits", "class_weight_to_sample_weights",
           "balanced_class_weight", "require_weight"]


def require_weight(value, name: str) -> float:
    """A weight: a finite real number >= 0 (a bool, a string or NaN is refused)."""
    if _is_real(value) and np.isfinite(value) and value >= 0:
        return float(value)
    if _is_real(value) and value < 0:
        fix = _("{name}={weight:g}? A weight scales a loss term; a negative one "
                "rewards the mistake it should punish").format(name=name,
                                                               weight=abs(float(value)))
    else:
        fix = _("a number >= 0; for a 1:9 imbalance, 9 (negatives per positive)")
    raise ParameterError(name, got=show(value), expected=_("a finite number >= 0"), fix=fix)


@np.errstate(over="ignore", invalid="ignore")
def weighted_cross_entropy_with_logits(labels, logits, pos_weight) -> np.ndarray:
    """``tf.nn.weighted_cross_entropy_with_logits``: sigmoid CE with the positives weighted.

    ``loss = -(pos_weight * z * log σ(x) + (1 - z) * log(1 - σ(x)))`` element-wise, computed
    as TensorFlow does, ``(1 - z) x + (1 + (q - 1) z) (log1p(exp(-|x|)) + max(-x, 0))``.
    ``pos_weight`` is a number or an array that broadcasts against ``logits`` (one weight per
    output column, say); ``pos_weight = 1`` is plain sigmoid cross-entropy.

    Stricter than TensorFlow: labels must have the logits' shape and lie in [0, 1], and
    ``pos_weight`` must be >= 0 (TF accepts a negative weight, which rewards mistakes).

    >>> weighted_cross_entropy_with_logits([1.0], [2.0], pos_weight=1.0).round(6)
    array([0.126928], dtype=float32)
    """
    x = as_float(logits, "logits")
    require_not_empty(x, "logits")
    z = as_float_like(labels, x, "labels")
    if z.shape != x.shape:
        raise ShapeMismatchError(
            "labels", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=z.shape, other="logits", other_shape=x.shape),
            expected=_("the same shape: one 0/1 target per logit"),
            fix="labels.reshape(logits.shape)", problem=_("the loss is element-wise;"))
    if not (np.min(z) >= 0 and np.max(z) <= 1):
        raise LabelValueError(
            "labels", got=values_from(np.min(z).item(), np.max(z).item()),
            expected=_("targets in [0, 1]"), fix=_("for class indices use one_hot(labels, C)"))
    q = as_array(pos_weight, "pos_weight")
    if q.dtype.kind not in "fiu":
        require_weight(pos_weight if q.ndim == 0 else q.ravel()[0], "pos_weight")
    q = q.astype(x.dtype)                        # TF converts pos_weight to the logits' dtype
    bad = ~(np.isfinite(q) & (q >= 0))
    if bad.any():
        require_weight(q[bad].ravel()[0].item(), "pos_weight")
    try:
        np.broadcast_shapes(q.shape, x.shape)
    except ValueError:
        raise ShapeMismatchError(
            "pos_weight", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=q.shape, other="logits", other_shape=x.shape),
            expected=_("a number, or one weight per output column"),
            fix=_("pos_weight=n_negative / n_positive, a single number")) from None
    dt = compute_dtype(x.dtype)
    xc, zc, qc = x.astype(dt), z.astype(dt), q.astype(dt)
    log_weight = 1 + (qc - 1) * zc
    loss = (1 - zc) * xc + log_weight * (np.log1p(np.exp(-np.abs(xc))) + np.maximum(-xc, 0))
    return loss.astype(x.dtype, copy=False)


def _require_class_weight(class_weight) -> dict[int, float]:
    if not isinstance(class_weight, dict):
        raise ParameterError(
            "class_weight", got=show(class_weight),
            expected=_("a dict from class index to weight, as model.fit takes"),
            fix="class_weight={0: 1.0, 1: 9.0}")
    out = {}
    for key, value in class_weight.items():
        if not (_is_int(key) and key >= 0):
            raise ParameterError(
                "class_weight", got=_("the key {key}").format(key=repr(key)),
                expected=_("class indices 0, 1, ... as keys"),
                fix=_("use the class's index, not its name: {CLASS_NAMES.index(name): w}"))
        out[int(key)] = require_weight(value, f"class_weight[{key!r}]")
    return out


def _class_indices(y) -> np.ndarray:
    """Keras's rule: one-hot rows give their argmax, a trailing 1 is squeezed, then round."""
    arr = as_array(y, "y")
    if arr.dtype.kind not in "fiub":
        raise LabelValueError("y", got=f"dtype {arr.dtype}",
                              expected=_("class indices or one-hot"),
                              fix=_("encode class names first: np.unique(y, "
                                    "return_inverse=True)"))
    if arr.ndim == 0:
        raise ShapeMismatchError("y", got=_("a scalar"),
                                 expected=_("one label per example, (B,)"),
                                 fix="np.atleast_1d(y)")
    require_not_empty(arr, "y")
    if arr.ndim > 1:
        arr = np.argmax(arr, axis=-1) if arr.shape[-1] != 1 else np.squeeze(arr, axis=-1)
    return np.round(arr).astype(np.int64).reshape(arr.shape[0], -1)[:, 0]


def class_weight_to_sample_weights(y, class_weight) -> np.ndarray:
    """The sample weights ``model.fit(x, y, class_weight=...)`` gives each example (float32).

    As Keras does it: one-hot rows are turned into their argmax, a trailing axis of 1 is
    squeezed, labels are rounded to integers, and a class missing from the dict gets 1.0.
    Stricter than Keras: weights must be numbers >= 0 and keys class indices.

    >>> class_weight_to_sample_weights(np.eye(3)[[2, 0]], {0: 0.5, 2: 3.0})
    array([3. , 0.5], dtype=float32)
    """
    weights = _require_class_weight(class_weight)
    k = _class_indices(y)
    table = np.ones(max([*weights, int(k.max()) if k.size else 0]) + 1, np.float32)
    for cls, w in weights.items():
        table[cls] = w
    out = np.ones(k.shape[0], np.float32)
    valid = k >= 0
    out[valid] = table[k[valid]]
    return out


def balanced_class_weight(y, num_classes: int | None = None) -> dict[int, float]:
    """``{c: n / (C * count_c)}``: every class then carries the same total weight.

    ``C`` is ``num_classes`` or ``max(y) + 1``.  A class with no example has no finite
    weight and raises.

    >>> balanced_class_weight(np.array([1, 1, 1, 0]), num_classes=2)
    {0: 2.0, 1: 0.6666666666666666}
    """
    k = _class_indices(y)
    c = int(k.max()) + 1 if num_classes is None else int(num_classes)
    counts = np.bincount(k, minlength=c)[:c]
    if (counts == 0).any():
        missing = int(np.flatnonzero(counts == 0)[0])
        raise LabelValueError(
            "y", got=_("no example of class {c} among {n}").format(c=missing, n=k.size),
            expected=_("at least one example of every class"),
            fix=_("check the split (a stratified split keeps every class), or pass "
                  "num_classes"))
    return {i: float(k.size / (c * counts[i])) for i in range(c)}
