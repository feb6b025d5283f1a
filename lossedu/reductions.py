"""Keras 3's loss reductions, with sample weights and masks, in NumPy.

>>> import numpy as np
>>> values = np.array([1.0, 2.0, 3.0, 4.0])
>>> float(reduce_loss(values)), float(reduce_loss(values, "sum"))
(2.5, 10.0)
>>> w = np.array([1.0, 1.0, 0.0, 0.0])
>>> float(reduce_loss(values, sample_weight=w))  # divides by 4 values, not by sum(w)
0.75
>>> float(reduce_loss(values, "mean_with_sample_weight", w))
1.5
"""

from __future__ import annotations

import numpy as np

from lossedu.arguments import as_float, require_mask, require_not_empty
from lossedu.errors import ReductionError, ShapeMismatchError
from lossedu.i18n import _

__all__ = ["REDUCTIONS", "reduce_loss", "require_reduction"]

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def require_reduction(reduction) -> None:
    """Raise :class:`ReductionError` unless ``reduction`` is one Keras 3 accepts."""
    if reduction is None or (isinstance(reduction, str) and reduction in REDUCTIONS):
        return
    fix = _('reduction="sum_over_batch_size" for the mean over every loss value')
    if str(reduction).lower().endswith("auto"):
        fix = _('"auto" (Reduction.AUTO) was removed in Keras 3; its old meaning is the '
                'default, "sum_over_batch_size". {fix}').format(fix=fix)
    raise ReductionError(
        "reduction", got=repr(reduction),
        expected=_("one of {choices}").format(choices=", ".join(repr(r) for r in REDUCTIONS)),
        fix=fix,
        problem=_("unknown reduction;"),
    )


def _same_rank(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keras's ``squeeze_or_expand_to_same_rank``: fix a rank difference of one trailing 1."""
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    if x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def _merge_mask(sample_weight, mask: np.ndarray, reduction, dtype) -> np.ndarray:
    """Keras's ``apply_mask``: masked-out entries get weight 0, the rest total/valid."""
    mask = np.asarray(mask).astype(bool)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.sum()
        scale = mask.size / valid if valid else 0.0
        weight = np.where(mask, scale, 0.0).astype(dtype)
    else:
        weight = mask.astype(dtype)
    if sample_weight is None:
        return weight
    weight, sample_weight = _same_rank(weight, sample_weight.astype(dtype))
    return sample_weight * weight


def _apply_weights(values: np.ndarray, sample_weight, sample_weight_given,
                   mask) -> tuple[np.ndarray, np.ndarray]:
    """Multiply the losses by their weights (given, or built from the mask): ``(values, w)``.

    ``sample_weight_given`` is the caller's own weights (``None`` when the weights come
    from the mask alone); it decides which argument a shape error names.
    """
    sw = as_float(sample_weight, "sample_weight").astype(values.dtype)
    values, sw = _same_rank(values, sw)
    try:
        values = values * sw
    except ValueError:
        if sample_weight_given is None:  # the weights came from the mask alone
            raise ShapeMismatchError(
                "mask", got=_("shape {shape} against losses of shape {other_shape}").format(
                    shape=np.shape(mask), other_shape=values.shape),
                expected=_("the losses' shape: one True/False per loss"),
                fix=_("build the mask from the same labels, e.g. mask = y_true != "
                      "ignore_class"),
                problem=_("the mask does not broadcast;")) from None
        raise ShapeMismatchError(
            "sample_weight", got=_("shape {shape} against losses of shape {other_shape}").format(
                shape=sw.shape, other_shape=values.shape),
            expected=_("one weight per example, shape (B,), or the losses' own shape"),
            fix=_("sample_weight.reshape(-1) with one entry per example"),
            problem=_("the weights do not broadcast;"),
        ) from None
    return values, sw


# float errors that give Keras's answer: weighted sums overflow to inf, and inf * 0 is NaN
@np.errstate(over="ignore", invalid="ignore")
def reduce_loss(values, reduction="sum_over_batch_size", sample_weight=None, mask=None):
    """Reduce per-example losses to one number, exactly as a Keras 3 loss object does.

    * ``"sum_over_batch_size"`` (default) and ``"mean"``: ``sum(w * loss) / number of values``
      (not divided by the sum of the weights!);
    * ``"mean_with_sample_weight"``: ``sum(w * loss) / sum(w)``;
    * ``"sum"``: ``sum(w * loss)``;
    * ``"none"`` or ``None``: the weighted values, unreduced.

    ``mask`` (True = keep) is what Keras attaches for ``ignore_class``; masked-out values are
    left out of the mean.  It holds bools, or numbers that are all 0 or 1.

    Stricter than TensorFlow: empty ``values`` raise :class:`EmptyBatchError` (Keras returns
    them unreduced, or 0), and complex values raise :class:`InputDtypeError` (losses are
    real numbers; Keras sums complex ones).
    """
    require_reduction(reduction)
    values = as_float(values, "values")
    require_not_empty(values, "values")
    sample_weight_given = None if sample_weight is None else as_float(sample_weight,
                                                                       "sample_weight")
    if mask is not None:
        mask = require_mask(mask, "mask")
        try:
            sample_weight = _merge_mask(sample_weight_given, mask, reduction, values.dtype)
        except ValueError:
            raise ShapeMismatchError(
                "mask", got=_("shape {shape} against {other} of shape {other_shape}").format(
                    shape=mask.shape, other="sample_weight",
                    other_shape=sample_weight_given.shape),
                expected=_("shapes that broadcast: one weight and one True/False per loss"),
                fix=_("build both from the same batch"),
                problem=_("the mask and the weights do not fit;")) from None
    if sample_weight is not None:
        values, sw = _apply_weights(values, sample_weight, sample_weight_given, mask)
    else:
        sw = None
    if reduction in (None, "none") or values.shape == ():
        return values
    total = np.sum(values)
    if reduction == "sum":
        return values.dtype.type(total)
    if reduction == "mean_with_sample_weight" and sw is not None:
        divisor = np.sum(sw)
    else:
        divisor = values.size
    return values.dtype.type(total / divisor if divisor else 0.0)
