"""What the threshold explorer draws: the confusion counts, precision, recall and F1 at a
threshold, over a fixed split of labels and probabilities.

>>> import numpy as np
>>> v = threshold_view(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]), 0.5)
>>> v.confusion, round(v.f1, 3)
(Confusion(tp=1, fp=1, fn=1, tn=1), 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.thresholds import Confusion, confusion_counts

__all__ = ["ThresholdView", "threshold_view", "score_histograms"]


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
    text = (f"threshold {threshold:.2f}: precision {c.precision:.3f}, recall {c.recall:.3f}, "
            f"F1 {c.f1:.3f}; TP {c.tp}, FP {c.fp}, FN {c.fn}, TN {c.tn}")
    return ThresholdView(float(threshold), c, c.precision, c.recall, c.f1, text)


def score_histograms(y_true, y_prob, bins: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin edges and the counts of negatives and of positives per probability bin."""
    y = np.asarray(y_true).astype(bool).ravel()
    p = np.asarray(y_prob, np.float64).ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    return edges, np.histogram(p[~y], edges)[0], np.histogram(p[y], edges)[0]
