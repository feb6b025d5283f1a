"""Which threshold?  Confusion counts at a threshold, and the thresholds worth choosing.

A prediction is positive when ``p > threshold``, Keras's rule (``keras.metrics.Precision``,
``Recall``, ``TruePositives`` and ``F1Score`` all use ``>``).  Choose the threshold on a
validation split, then report the test split at it.

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1, 1]); p = np.array([0.1, 0.6, 0.4, 0.8, 0.9])
>>> confusion_counts(y, p, threshold=0.5)
Confusion(tp=2, fp=1, fn=1, tn=1)
>>> round(f1_optimal_threshold(y, p), 6)
0.25
>>> precision_at_recall(y, p, recall=1.0)
(0.75, 0.25)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lossedu.arguments import as_array, as_float, as_float64
from lossedu.describe import _is_real, show
from lossedu.errors import (
    EmptyBatchError,
    LabelValueError,
    ParameterError,
    ProbabilitiesNotLogitsError,
    ShapeMismatchError,
)
from lossedu.i18n import _

__all__ = ["Confusion", "confusion_counts", "precision_recall_f1", "f1_optimal_threshold",
           "precision_at_recall", "require_threshold"]


class Confusion(NamedTuple):
    """The four counts of a binary decision."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        """``tp / (tp + fp)``; 0 when nothing is predicted positive (Keras's divide_no_nan)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else 0.0


def require_threshold(threshold, name: str = "threshold") -> float:
    """A probability threshold in [0, 1]."""
    if _is_real(threshold) and 0.0 <= threshold <= 1.0:
        return float(threshold)
    fix = _("threshold=0.5, or one chosen on the validation split")
    if _is_real(threshold) and np.isfinite(threshold):
        fix = _("a threshold on logits is one on probabilities after the sigmoid: "
                "threshold=sigmoid({logit:g}) = {p:.4g}").format(
                    logit=float(threshold), p=1 / (1 + np.exp(-float(threshold))))
    raise ParameterError(name, got=show(threshold), expected=_("a probability in [0, 1]"),
                         fix=fix)


def _require_binary(y_true, y_prob) -> tuple[np.ndarray, np.ndarray]:
    p = as_float64(y_prob, "y_prob")
    y = as_array(y_true, "y_true")
    if p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if p.ndim != 1 or y.shape != p.shape:
        raise ShapeMismatchError(
            "y_true", got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=y.shape, other="y_prob", other_shape=p.shape),
            expected=_("one 0/1 label and one probability per example, both (B,)"),
            fix=_("for several labels per example (B, L), pass one column at a time"))
    if p.size == 0:
        raise EmptyBatchError("y_prob", got=_("an empty split"),
                              expected=_("at least one example"),
                              fix=_("keep a validation split apart to choose the threshold on"))
    if not (np.min(p) >= 0 and np.max(p) <= 1):
        raise ProbabilitiesNotLogitsError(
            "y_prob", got=_("values from {low:.4g} to {high:.4g}").format(low=np.min(p),
                                                                          high=np.max(p)),
            expected=_("probabilities in [0, 1]"),
            fix=_("apply keras.ops.sigmoid to the logits first (or threshold the logits at "
                  "logit(threshold))"),
            problem=_("logits were given where probabilities are expected;"))
    if y.dtype.kind not in "iufb" or not np.all((y == 0) | (y == 1)):
        raise LabelValueError("y_true", got=_("values such as {values}").format(
                                  values=show(np.unique(y)[:4])),
                              expected=_("0/1 labels"), fix="(labels == positive_class)")
    return y.astype(bool), p


def confusion_counts(y_true, y_prob, threshold: float = 0.5) -> Confusion:
    """True/false positives and negatives when ``y_prob > threshold`` is called positive."""
    t = require_threshold(threshold)
    y, p = _require_binary(y_true, y_prob)
    # compared in the predictions' own dtype, as Keras does (float32 0.3 is not > 0.3)
    dt = as_float(y_prob, "y_prob").dtype
    pred = p.astype(dt) > dt.type(t)
    tp = int(np.sum(pred & y))
    fp = int(np.sum(pred & ~y))
    return Confusion(tp, fp, int(np.sum(y)) - tp, int(np.sum(~y)) - fp)


def precision_recall_f1(y_true, y_prob, threshold: float = 0.5) -> tuple[float, float, float]:
    """Precision, recall and F1 at ``threshold`` (Keras's rule, 0 where undefined).

    >>> precision_recall_f1([0, 1, 1], [0.7, 0.8, 0.2])
    (0.5, 0.5, 0.5)
    """
    c = confusion_counts(y_true, y_prob, threshold)
    return c.precision, c.recall, c.f1


def _curve(y: np.ndarray, p: np.ndarray):
    """Cut points between distinct scores, high to low, and the counts above each cut."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    last = np.flatnonzero(np.r_[ps[1:] != ps[:-1], True])   # the end of each tie group
    tp = np.cumsum(ys)[last]
    fp = (last + 1) - tp
    hi = ps[last]
    below = np.r_[hi[1:], -hi[-1]]                          # the next score down
    mid = 0.5 * (hi + below)
    cut = np.maximum(np.where(mid < hi, mid, below), 0.0)   # adjacent floats: the next score
    keep = cut < hi                 # with a score of exactly 0, "all positive" has no cut
    return cut[keep], tp[keep], fp[keep]


def f1_optimal_threshold(y_true, y_prob):
    """The threshold that maximises F1 (``p > t`` positive), halfway between two scores.

    Of several thresholds with the same F1, the highest.  For a (B, L) multi-label split,
    one threshold per column (an array of L).
    """
    p2 = as_float64(y_prob, "y_prob")
    if p2.ndim == 2 and p2.shape[1] > 1:
        y2 = as_array(y_true, "y_true")
        if y2.shape != p2.shape:
            raise ShapeMismatchError("y_true", got=_("shape {shape}").format(shape=y2.shape),
                                     expected=_("the shape of y_prob, {shape}").format(
                                         shape=p2.shape),
                                     fix=_("one 0/1 column per label"))
        return np.array([f1_optimal_threshold(y2[:, j], p2[:, j]) for j in range(p2.shape[1])])
    y, p = _require_binary(y_true, y_prob)
    cut, tp, fp = _curve(y, p)
    f1 = 2 * tp / (tp + fp + y.sum())
    return float(cut[int(np.argmax(f1))])


def precision_at_recall(y_true, y_prob, recall: float) -> tuple[float, float]:
    """The best precision whose recall is at least ``recall``, and its threshold.

    The exact version of ``keras.metrics.PrecisionAtRecall`` (which searches a grid of 200
    thresholds): every cut between two distinct scores is tried; of equal precisions the
    highest threshold wins.
    """
    if not (_is_real(recall) and 0.0 < recall <= 1.0):
        raise ParameterError("recall", got=show(recall),
                             expected=_("a target recall in (0, 1]"),
                             fix=_("recall=0.9 keeps 90 % of the positives"))
    y, p = _require_binary(y_true, y_prob)
    if not y.any():
        raise LabelValueError("y_true", got=_("no positive example"),
                              expected=_("at least one positive, or recall is undefined"),
                              fix=_("a larger (or stratified) validation split"))
    cut, tp, fp = _curve(y, p)
    ok = tp / y.sum() >= recall
    precision = np.where(ok, tp / (tp + fp), -1.0)
    best = int(np.argmax(precision))
    return float(precision[best]), float(cut[best])
