"""Is 0.9 confidence right 90 % of the time?  Reliability bins, ECE and temperature scaling.

The *confidence* of a prediction is the probability of the class it picks (``max p``; for
one sigmoid output, ``max(p, 1 - p)``).  :func:`reliability_bins` sorts predictions into
equal-width confidence bins, and :func:`expected_calibration_error` (ECE) is the gap between
confidence and accuracy, averaged over the bins with weights ``count / n``.
:func:`fit_temperature` finds the one number ``T`` that makes ``softmax(z / T)`` (or
``sigmoid(z / T)``) fit a validation split best: it never changes which class wins.

>>> import numpy as np
>>> y = np.array([1, 1, 1, 0]); p = np.array([0.9, 0.9, 0.9, 0.9])
>>> round(expected_calibration_error(y, p, num_bins=10), 6)
0.15
>>> z = np.array([4.0, 4.0, 4.0, -4.0, 4.0]); k = np.array([1, 1, 1, 0, 0])
>>> round(fit_temperature(k, z), 4)
2.8854
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import log_softmax
from lossedu.arguments import as_array, as_float64
from lossedu.describe import _is_int, show, values_from
from lossedu.errors import (
    EmptyBatchError,
    LabelValueError,
    ParameterError,
    ProbabilitiesNotLogitsError,
    ShapeMismatchError,
)
from lossedu.i18n import _
from lossedu.labels import require_logits_not_probabilities

__all__ = ["ReliabilityBins", "reliability_bins", "expected_calibration_error",
           "fit_temperature", "temperature_nll"]


@dataclass(frozen=True)
class ReliabilityBins:
    """Equal-width confidence bins: ``edges`` (num_bins + 1), and per bin the ``count``, the
    mean ``confidence`` and the ``accuracy`` (NaN where a bin is empty); ``ece`` is their
    weighted gap."""

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    ece: float


def _require_split(y_true, scores, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels (B,) as class indices and the scores as float64 (B,) or (B, C)."""
    s = as_float64(scores, what)
    if s.ndim not in (1, 2):
        raise ShapeMismatchError(what, got=_("shape {shape}").format(shape=s.shape),
                                 expected=_("(B,) for one sigmoid output or (B, C)"),
                                 fix=f"{what}.reshape(len({what}), -1)")
    if s.shape[0] == 0:
        raise EmptyBatchError(what, got=_("an empty array of shape {shape}").format(
                                  shape=s.shape),
                              expected=_("at least one example of the validation split"),
                              fix=_("keep a validation split apart (e.g. 10-20 % of the "
                                    "training data); calibration and thresholds are fitted "
                                    "there"))
    k = as_array(y_true, "y_true")
    if k.ndim == 2 and k.shape[1] == 1:
        k = k[:, 0]
    if k.shape != s.shape[:1] or k.dtype.kind not in "iufb":
        raise ShapeMismatchError("y_true", got=_("shape {shape}, dtype {dtype}").format(
                                     shape=k.shape, dtype=k.dtype),
                                 expected=_("one class index per example, shape {shape}").format(
                                     shape=s.shape[:1]),
                                 fix=_("np.argmax(one_hot, -1) for one-hot labels"))
    classes = 2 if s.ndim == 1 else s.shape[1]
    if not np.all((k == np.round(k)) & (k >= 0) & (k < classes)):
        raise LabelValueError("y_true", got=values_from(k.min(), k.max()),
                              expected=_("class indices in [0, {c})").format(c=classes),
                              fix=_("for one sigmoid output, labels are 0 or 1"))
    return k.astype(np.int64), s


def _confidence(k: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if p.ndim == 1:
        return np.maximum(p, 1 - p), (p > 0.5) == (k == 1)
    return p.max(axis=1), np.argmax(p, axis=1) == k


def reliability_bins(y_true, y_prob, num_bins: int = 10) -> ReliabilityBins:
    """The reliability diagram's bins: confidence against accuracy, ``num_bins`` wide bins.

    ``y_prob`` is (B,), the probability of class 1 of a sigmoid output, or (B, C) softmax
    rows; ``y_true`` holds class indices.  Bin ``i`` holds confidences in
    ``[i/n, (i+1)/n)``, the last one also 1.0.  One sigmoid output is predicted positive
    when ``p > 0.5``, Keras's rule.

    >>> b = reliability_bins(np.array([1, 0]), np.array([0.95, 0.3]), num_bins=5)
    >>> b.count, b.confidence[3:].round(2), b.accuracy[3:]
    (array([0, 0, 0, 1, 1]), array([0.7 , 0.95]), array([1., 1.]))
    """
    if not (_is_int(num_bins) and num_bins >= 1):
        raise ParameterError("num_bins", got=show(num_bins), expected=_("a whole number >= 1"),
                             fix=_("num_bins=10, the usual choice; 15 is also common"))
    k, p = _require_split(y_true, y_prob, "y_prob")
    if not (np.min(p) >= 0 and np.max(p) <= 1):
        raise ProbabilitiesNotLogitsError(
            "y_prob", got=_("values from {low:.4g} to {high:.4g}").format(low=np.min(p),
                                                                          high=np.max(p)),
            expected=_("probabilities in [0, 1]"),
            fix=_("these look like logits: apply keras.ops.sigmoid (one output) or "
                  "keras.ops.softmax (C outputs) first"),
            problem=_("logits were given where probabilities are expected;"))
    conf, correct = _confidence(k, p)
    idx = np.minimum((conf * num_bins).astype(np.int64), num_bins - 1)
    count = np.bincount(idx, minlength=num_bins)
    with np.errstate(invalid="ignore"):
        mean_conf = np.bincount(idx, conf, num_bins) / count
        acc = np.bincount(idx, correct.astype(np.float64), num_bins) / count
    gaps = np.where(count > 0, np.abs(mean_conf - acc), 0.0)
    ece = float(np.sum(count / conf.size * gaps))
    return ReliabilityBins(np.linspace(0, 1, num_bins + 1), count, mean_conf, acc, ece)


def expected_calibration_error(y_true, y_prob, num_bins: int = 10) -> float:
    """ECE: ``sum_bins count/n * |accuracy - confidence|`` (0 is perfectly calibrated).

    >>> round(expected_calibration_error([0, 1], [[0.8, 0.2], [0.4, 0.6]], num_bins=10), 6)
    0.3
    """
    return reliability_bins(y_true, y_prob, num_bins).ece


def _two_columns(z: np.ndarray) -> np.ndarray:
    return np.stack([np.zeros_like(z), z], axis=1) if z.ndim == 1 else z


def temperature_nll(y_true, logits, temperature: float) -> float:
    """The mean negative log-likelihood of ``softmax(logits / T)`` (float64).

    One column of logits (B,) is a sigmoid output: ``sigmoid(z / T)``.
    """
    k, z = _require_split(y_true, logits, "logits")
    z2 = _two_columns(z) / float(temperature)
    return float(-np.mean(log_softmax(z2)[np.arange(k.size), k]))


def _slope(k: np.ndarray, z2: np.ndarray, beta: float) -> float:
    """d NLL / d beta at ``beta = 1 / T``: mean of ``E_p[z] - z_k``, increasing in beta."""
    lp = log_softmax(beta * z2)
    return float(np.mean(np.sum(np.exp(lp) * z2, axis=1) - z2[np.arange(k.size), k]))


def fit_temperature(y_true, logits, bounds=(0.01, 100.0)) -> float:
    """The temperature ``T`` that minimises the NLL of ``softmax(logits / T)`` on a split.

    The NLL is convex in ``1 / T``; its slope is found by bisection (60 halvings of the
    log-interval, float64).  A split that the logits already separate perfectly has no
    finite optimum: ``T`` then goes to its lower bound.  Fit ``T`` on a validation split,
    never on the test split.

    >>> round(fit_temperature([0, 1, 1, 0], [-2.0, 2.0, 2.0, 2.0]), 4)  # 2 / log 3
    1.8205
    """
    k, z = _require_split(y_true, logits, "logits")
    if z.ndim == 2:
        require_logits_not_probabilities(z, name="logits")
    z2 = _two_columns(z)
    lo, hi = np.log(1.0 / bounds[1]), np.log(1.0 / bounds[0])
    if _slope(k, z2, np.exp(lo)) >= 0:
        return float(bounds[1])
    if _slope(k, z2, np.exp(hi)) <= 0:
        return float(bounds[0])
    for _i in range(60):
        mid = 0.5 * (lo + hi)
        if _slope(k, z2, np.exp(mid)) < 0:
            lo = mid
        else:
            hi = mid
    return float(1.0 / np.exp(0.5 * (lo + hi)))
