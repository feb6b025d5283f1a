"""Focal losses with Keras 3's names and arithmetic: the cross-entropy times ``(1 - p_t)**gamma``.

An example the model already gets right (``p_t`` near 1) has its loss scaled down; a hard
one keeps nearly all of it.  ``gamma = 0`` is the plain cross-entropy.

>>> import numpy as np
>>> binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2.0).round(3)
array([0.33 , 0.206], dtype=float32)
>>> categorical_focal_crossentropy([[0, 1, 0]], [[0.1, 0.8, 0.1]], gamma=0.0, alpha=1.0).round(4)
array([0.2231], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from lossedu.activations import sigmoid, softmax
from lossedu.arguments import (
    as_float,
    as_float64,
    as_float_like,
    compute_dtype,
    require_axis,
    require_batch_and_classes,
    require_flag,
    require_smoothing,
)
from lossedu.constants import EPSILON
from lossedu.describe import _is_real, show, values_from
from lossedu.errors import ClassCountError, LabelValueError, ParameterError, ShapeMismatchError
from lossedu.i18n import _
from lossedu.labels import require_dense_labels, require_logits_not_probabilities
from lossedu.losses import _warn_if_not_probabilities, sigmoid_cross_entropy_with_logits

__all__ = ["binary_focal_crossentropy", "categorical_focal_crossentropy", "require_gamma"]


def require_gamma(gamma, name: str = "gamma") -> float:
    """A focusing parameter: a finite number >= 0 (0 is the plain cross-entropy)."""
    if _is_real(gamma) and np.isfinite(gamma) and gamma >= 0:
        return float(gamma)
    if _is_real(gamma) and gamma < 0:
        fix = _("gamma=2.0, the value of the focal-loss paper; gamma=0 is the plain "
                "cross-entropy; a negative gamma would weight easy examples up, not down")
    else:
        fix = _("gamma=2.0, the value of the focal-loss paper; gamma=0 is the plain "
                "cross-entropy")
    raise ParameterError(name, got=show(gamma), expected=_("a finite number >= 0"), fix=fix)


def _require_alpha(alpha, upper: float | None) -> np.ndarray:
    a = as_float64(alpha, "alpha") if not isinstance(alpha, bool) else None
    if a is None or not np.all(np.isfinite(a) & (a >= 0) & (a <= (upper or np.inf))):
        expected = _("a number in [0, 1]") if upper else _("a number >= 0 (or one per class)")
        raise ParameterError("alpha", got=show(alpha), expected=expected,
                             fix=_("alpha=0.25, Keras's default (the weight of class 1)"))
    return a


def _same_shape(y: np.ndarray, p: np.ndarray) -> None:
    if y.shape != p.shape:
        raise ShapeMismatchError(
            "y_true", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=y.shape, other="y_pred", other_shape=p.shape),
            expected=_("the same shape"), fix="y_true.reshape(y_pred.shape)",
            problem=_("the focal loss is element-wise before its mean;"))


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                              label_smoothing: float = 0.0, axis: int = -1) -> np.ndarray:
    """``keras.losses.binary_focal_crossentropy``: ``(1 - p_t)**gamma`` times the BCE, averaged.

    ``p_t = y p + (1 - y)(1 - p)``; with ``apply_class_balancing`` each term is also weighted
    ``alpha`` (targets 1) or ``1 - alpha`` (targets 0).  As in Keras, smoothed targets are
    ``y (1 - s) + s / 2``; with ``from_logits=True`` the BCE is the stable sigmoid
    cross-entropy of the logits, while ``p`` (in the focal factor) is their sigmoid.

    Stricter than Keras: targets must lie in [0, 1], ``gamma`` >= 0 and ``alpha`` in [0, 1].

    >>> binary_focal_crossentropy([1.0], [3.0], gamma=2.0, from_logits=True).round(6)
    np.float32(0.000109)
    """
    from_logits = require_flag(from_logits, "from_logits")
    balance = require_flag(apply_class_balancing, "apply_class_balancing")
    gamma = require_gamma(gamma)
    alpha = _require_alpha(alpha, upper=1.0)
    s = require_smoothing(label_smoothing, "label_smoothing")
    p = as_float(y_pred, "y_pred")
    axis = require_axis(axis, p, array_name="y_pred", none_means=None)
    y = as_float_like(y_true, p, "y_true")
    _same_shape(y, p)
    require_batch_and_classes(p, "y_pred", -1 if axis is None else axis, min_classes=1,
                              why=_("the loss is their mean")) if p.ndim else None
    if np.isnan(y).any() or np.any((y < 0) | (y > 1)):
        raise LabelValueError("y_true", got=values_from(np.nanmin(y), np.nanmax(y)),
                              expected=_("targets in [0, 1]"),
                              fix=_("for class indices use categorical_focal_crossentropy"))
    dt = compute_dtype(p.dtype)
    pc, yc = p.astype(dt), y.astype(dt)
    if s:
        yc = yc * dt.type(1.0 - s) + dt.type(0.5 * s)
    if from_logits:
        bce = sigmoid_cross_entropy_with_logits(yc, pc, validate=False).astype(dt)
        pc = sigmoid(pc)
    else:
        _warn_if_not_probabilities(pc, "binary_focal_crossentropy")
        q = np.clip(pc, dt.type(EPSILON), dt.type(1.0 - EPSILON))
        bce = -(yc * np.log(q) + (1 - yc) * np.log(1 - q))
    p_t = yc * pc + (1 - yc) * (1 - pc)
    focal = np.power(1 - p_t, dt.type(gamma)) * bce
    if balance:
        a = alpha.astype(dt)
        focal = (yc * a + (1 - yc) * (1 - a)) * focal
    return np.mean(focal, axis=axis).astype(p.dtype)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma: float = 2.0,
                                   from_logits: bool = False, label_smoothing: float = 0.0,
                                   axis: int = -1) -> np.ndarray:
    """``keras.losses.categorical_focal_crossentropy``: one-hot ``y_true``, one loss per example.

    ``loss = -sum(alpha * (1 - p)**gamma * y * log p)`` over the class axis, where ``p`` is
    normalised to sum to 1 and clipped to ``[1e-7, 1 - 1e-7]`` exactly as Keras does (also
    after a softmax, with ``from_logits=True``: so the loss of one example is at most
    ``-log(1e-7) * alpha``).  ``alpha`` is a number or one weight per class.

    Stricter than Keras: ``y_true`` must hold distributions, there must be two classes or
    more, and logits (``from_logits=True``) must not look like probabilities.

    >>> categorical_focal_crossentropy([[1.0, 0.0]], [[2.0, 0.0]], from_logits=True).round(6)
    array([0.000451], dtype=float32)
    """
    from_logits = require_flag(from_logits, "from_logits")
    gamma = require_gamma(gamma)
    a = _require_alpha(alpha, upper=None)
    s = require_smoothing(label_smoothing, "label_smoothing")
    p = as_float(y_pred, "y_pred")
    axis = require_axis(axis, p, array_name="y_pred", allow_none=False)
    y = as_float_like(y_true, p, "y_true")
    _same_shape(y, p)
    require_batch_and_classes(p, "y_pred", axis, min_classes=1,
                              why=_("each row is a distribution"))
    if p.shape[axis] == 1:
        raise ClassCountError("y_pred",
                              got=_("shape {shape}: a single class column").format(shape=p.shape),
                              expected=_("one column per class, at least 2"),
                              fix=_("for a yes/no target use binary_focal_crossentropy"))
    require_dense_labels(y, axis=axis, name="y_true")
    dt = compute_dtype(p.dtype)
    pc, yc = p.astype(dt), y.astype(dt)
    if s:
        # as Keras: C is the size of the LAST axis, whatever ``axis`` is
        yc = yc * dt.type(1.0 - s) + dt.type(s / p.shape[-1])
    if from_logits:
        require_logits_not_probabilities(pc, axis=axis, name="y_pred")
        pc = softmax(pc, axis=axis)
    else:
        _warn_if_not_probabilities(pc, "categorical_focal_crossentropy")
    out = pc / np.sum(pc, axis=axis, keepdims=True)
    out = np.clip(out, dt.type(EPSILON), dt.type(1.0 - EPSILON))
    cce = -yc * np.log(out)
    weighted = np.power(1 - out, dt.type(gamma)) * a.astype(dt) * cce
    return np.sum(weighted, axis=axis).astype(p.dtype)
