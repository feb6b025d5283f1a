"""What lesson 07's explorers draw: the confusion counts, precision, recall and F1 at a
threshold; the reliability bins and ECE at a temperature; the focal loss and its gradient
for a focusing parameter gamma.

>>> import numpy as np
>>> v = threshold_view(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]), 0.5)
>>> v.confusion, round(v.f1, 3)
(Confusion(tp=1, fp=1, fn=1, tn=1), 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import sigmoid, softmax
from lossedu.calibration import ReliabilityBins, reliability_bins
from lossedu.errors import ParameterError
from lossedu.focal import require_gamma
from lossedu.i18n import _
from lossedu.labels import require_logits_not_probabilities
from lossedu.thresholds import Confusion, confusion_counts

__all__ = ["ThresholdView", "threshold_view", "score_histograms", "TemperatureView",
           "temperature_view", "FocalView", "focal_view"]


@dataclass(frozen=True)
class ThresholdView:
    """The decision at ``threshold``: its counts, precision, recall, F1, and a one-line text."""

    threshold: float
    confusion: Confusion
    precision: float
    recall: float
    f1: float
    text: str


def threshold_view(y_true, y_prob, threshold: float) -> ThresholdView:
    """Call ``y_prob > threshold`` positive (Keras's rule) and count the outcomes."""
    c = confusion_counts(y_true, y_prob, threshold)
    text = _("threshold {threshold:.2f}: precision {precision:.3f}, recall {recall:.3f}, "
             "F1 {f1:.3f}; TP {tp}, FP {fp}, FN {fn}, TN {tn}").format(
        threshold=threshold, precision=c.precision, recall=c.recall, f1=c.f1, tp=c.tp, fp=c.fp,
        fn=c.fn, tn=c.tn)
    return ThresholdView(float(threshold), c, c.precision, c.recall, c.f1, text)


def score_histograms(y_true, y_prob, bins: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin edges and the counts of negatives and of positives per probability bin."""
    y = np.asarray(y_true).astype(bool).ravel()
    p = np.asarray(y_prob, np.float64).ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    return edges, np.histogram(p[~y], edges)[0], np.histogram(p[y], edges)[0]


@dataclass(frozen=True)
class TemperatureView:
    """The split's probabilities at temperature ``T``: their reliability ``bins``, ECE,
    accuracy, and a one-line text."""

    temperature: float
    bins: ReliabilityBins
    ece: float
    accuracy: float
    text: str


def temperature_view(y_true, logits, temperature: float, num_bins: int = 10) -> TemperatureView:
    """``sigmoid(z / T)`` (logits (B,)) or ``softmax(z / T)`` (B, C), then the reliability bins.

    >>> v = temperature_view(np.array([1, 1, 0, 1]), np.array([2.0, 1.0, -3.0, -0.5]), 2.0)
    >>> v.text
    'T = 2.00: ECE 0.3478, accuracy 0.750'
    """
    if not (np.isscalar(temperature) and np.isfinite(temperature) and temperature > 0):
        raise ParameterError("temperature", got=repr(temperature),
                             expected=_("a number > 0 (T = 1 leaves the model as it is)"),
                             fix=_("temperature=1.0, or lossedu.fit_temperature(y_val, z_val)"))
    z = np.asarray(logits, np.float64)
    if z.ndim == 2:
        require_logits_not_probabilities(z, name="logits")
    z = z / float(temperature)
    p = sigmoid(z) if z.ndim == 1 else softmax(z, axis=-1)
    b = reliability_bins(y_true, p, num_bins)
    acc = float(np.sum(b.count * np.nan_to_num(b.accuracy)) / np.sum(b.count))
    text = _("T = {t:.2f}: ECE {ece:.4f}, accuracy {accuracy:.3f}").format(
        t=temperature, ece=b.ece, accuracy=acc)
    return TemperatureView(float(temperature), b, b.ece, acc, text)


@dataclass(frozen=True)
class FocalView:
    """Binary focal loss and plain cross-entropy of a positive, as functions of its
    probability ``p_t`` (the grid ``p``), and their gradients with respect to its logit;
    ``focal_at`` and ``ce_at`` are the two losses at ``p_ref``."""

    gamma: float
    p: np.ndarray
    focal: np.ndarray
    ce: np.ndarray
    focal_grad: np.ndarray
    ce_grad: np.ndarray
    p_ref: float
    focal_at: float
    ce_at: float
    text: str


def _focal(p, gamma: float):
    """``-(1 - p)**gamma log p`` and its derivative in the logit ``z`` (``p = sigmoid(z)``)."""
    q = 1.0 - p
    loss = -(q ** gamma) * np.log(p)
    grad = gamma * q ** gamma * p * np.log(p) - q ** (gamma + 1.0)
    return loss, grad


def focal_view(gamma: float, p_ref: float = 0.9, points: int = 199) -> FocalView:
    """The focal curves for ``gamma`` on ``p_t`` in [0.005, 0.995], in float64.

    >>> v = focal_view(2.0)
    >>> v.text
    'gamma 2.0: at p_t = 0.90 focal loss 0.001054, cross-entropy 0.105361 (0.0100 of it)'
    """
    gamma = require_gamma(gamma)
    if not (np.isscalar(p_ref) and 0 < p_ref < 1):
        raise ParameterError("p_ref", got=repr(p_ref), expected=_("a probability in (0, 1)"),
                             fix=_("p_ref=0.9, an easy example"))
    p = np.linspace(0.005, 0.995, points)
    focal, focal_grad = _focal(p, gamma)
    ce, ce_grad = _focal(p, 0.0)
    f_at, c_at = (float(v) for v in (_focal(np.float64(p_ref), gamma)[0], -np.log(p_ref)))
    text = _("gamma {gamma:.1f}: at p_t = {p:.2f} focal loss {focal:.6f}, "
             "cross-entropy {ce:.6f} ({ratio:.4f} of it)").format(
        gamma=gamma, p=p_ref, focal=f_at, ce=c_at, ratio=f_at / c_at)
    return FocalView(gamma, p, focal, ce, focal_grad, ce_grad, float(p_ref), f_at, c_at, text)
