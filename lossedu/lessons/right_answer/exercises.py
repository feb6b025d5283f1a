"""Lesson 07's exercises: the F1-optimal threshold, and the ECE of one sigmoid output.

>>> print(check_best_threshold(solution_best_threshold))
best threshold: all 4 checks passed.
>>> print(check_ece(solution_ece))
ECE: all 4 checks passed.
"""

from __future__ import annotations

import numpy as np

from lossedu.calibration import expected_calibration_error
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import _
from lossedu.thresholds import f1_optimal_threshold, precision_recall_f1

__all__ = ["check_best_threshold", "solution_best_threshold", "check_ece", "solution_ece",
           "SOLUTIONS"]


def _splits():
    rng = np.random.default_rng(7)
    y = rng.random(500) < 0.1
    p = np.clip(rng.normal(0.25 + 0.35 * y, 0.15), 0, 1).round(3)
    return [
        (_("a 1:9 split with tied scores"), np.array([0, 0, 1, 1, 1]),
         np.array([.1, .6, .4, .8, .9]),
         _("try every cut between two distinct scores, not only 0.5")),
        (_("rare positives, 500 examples"), y.astype(int), p,
         _("F1 = 2 TP / (2 TP + FP + FN); count p > t as positive")),
        (_("every positive scores highest"), np.array([0, 0, 0, 1]), np.array([.2, .3, .4, .45]),
         _("the best threshold can be far below 0.5")),
        (_("ties at the top"), np.array([1, 0, 1, 0]), np.array([.9, .9, .9, .1]),
         _("examples with the same score fall on the same side")),
    ]


def check_best_threshold(fn) -> Feedback:
    """``fn(y, p)`` returns a threshold; its F1 (``p > t``) must be the best possible F1."""
    cases = [Case(name, (y, p), precision_recall_f1(y, p, f1_optimal_threshold(y, p))[2], hint)
             for name, y, p, hint in _splits()]
    return run_checks(lambda y, p: precision_recall_f1(y, p, float(fn(y, p)))[2], cases,
                      title=_("best threshold"))


def solution_best_threshold(y, p):
    """Try every distinct score as a cut (and one below all); keep the best F1."""
    y = np.asarray(y).astype(bool)
    cuts = np.clip(np.r_[np.unique(p) - 1e-9, np.unique(p)], 0, 1)
    f1 = [2 * np.sum((p > t) & y) / (np.sum(p > t) + y.sum()) for t in cuts]
    return float(cuts[int(np.argmax(f1))])


def check_ece(fn) -> Feedback:
    """``fn(y, p, n_bins)`` for one sigmoid output: the top-label ECE over equal-width bins."""
    rng = np.random.default_rng(3)
    p = rng.random(400)
    y = (rng.random(400) < p ** 2).astype(int)
    data = [(_("always 0.9, right 3 times in 4"), np.array([1, 1, 1, 0]), np.full(4, 0.9), 10,
             _("confidence is max(p, 1 - p): how sure the model is of the class it picks")),
            (_("a confident negative"), np.array([0, 0]), np.array([0.05, 0.1]), 10,
             _("p = 0.05 predicts class 0 with confidence 0.95")),
            (_("400 over-confident predictions"), y, p, 10,
             _("weight each bin's |accuracy - confidence| by its share of the examples")),
            (_("one bin"), y, p, 1, _("with one bin, ECE = |accuracy - mean confidence|"))]
    cases = [Case(name, (yy, pp, n), expected_calibration_error(yy, pp, n), hint)
             for name, yy, pp, n, hint in data]
    return run_checks(fn, cases, title="ECE")


def solution_ece(y, p, n_bins=10):
    conf = np.maximum(p, 1 - p)
    correct = (p > 0.5) == (np.asarray(y) == 1)
    idx = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    return sum(np.mean(idx == b) * abs(correct[idx == b].mean() - conf[idx == b].mean())
               for b in range(n_bins) if np.any(idx == b))


SOLUTIONS = {check_best_threshold: solution_best_threshold, check_ece: solution_ece}
