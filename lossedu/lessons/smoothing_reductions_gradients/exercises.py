"""Lesson 03b's exercises: the gradient for any labels, and Keras's default weighted mean.

Each ``check_*`` runs a learner's function on edge cases (labels that are not distributions,
huge logits, weights that sum to 0, padded sequences) and says what failed.  The
reference solutions below pass every check; ``tests/lessons/test_exercises_labels_multilabel.py``
and ``tests/lessons/smoothing_reductions_gradients/`` make sure of it, against TensorFlow and
Keras.

>>> print(check_softmax_ce_gradient(solution_softmax_ce_gradient))
softmax CE gradient: all 6 checks passed.
>>> print(check_keras_mean(solution_keras_mean))
the Keras default reduction: all 4 checks passed.
"""

from __future__ import annotations

import numpy as np

from lossedu import i18n
from lossedu.activations import softmax
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.gradients import softmax_cross_entropy_grad
from lossedu.i18n import N_, _
from lossedu.reductions import reduce_loss

__all__ = [
    "check_softmax_ce_gradient",
    "check_keras_mean",
    "solution_softmax_ce_gradient",
    "solution_keras_mean",
    "SOLUTIONS",
]

_OVERFLOW = (N_("overflow at logits=[1000, 0]: exp(1000) is inf, so the probabilities come out "
                "as inf/inf = nan and 1/inf = 0 (whose log is -inf). Subtract each row's max "
                "before exp (softmax does not change)"))


# ---------------------------------------------------------------- the gradient
def _grad_cases() -> list[Case]:
    z = np.array([[1.0, 2.0, 3.0]])
    cases = [
        (_("the PoorMemory post's one-hot [[0, 0, 1]], logits [[1, 2, 3]]"),
         np.array([[0.0, 0.0, 1.0]]), z,
         _("for labels summing to 1: softmax(z) - y")),
        (_("smoothed labels [[0.05, 0.05, 0.9]]"), np.array([[0.05, 0.05, 0.9]]), z, ""),
        (_("a batch of 2 rows"), np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]),
         np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]]), _("one gradient row per example")),
        (_("labels [[2, 0, 0]] that sum to 2"), np.array([[2.0, 0.0, 0.0]]), z,
         _("the loss is sum(y) * logsumexp(z) - y . z, so its gradient is "
           "softmax(z) * sum(y) - y; softmax(z) - y is right only when sum(y) = 1")),
        (_("labels [[1, 0, 1]] (a multi-hot row)"), np.array([[1.0, 0.0, 1.0]]), z,
         _("same rule: softmax(z) * sum(y, axis=-1, keepdims=True) - y")),
        (_("huge logits [[1000, 0]], labels [[0, 1]]"), np.array([[0.0, 1.0]]),
         np.array([[1000.0, 0.0]]), i18n._(_OVERFLOW)),
    ]
    return [Case(name, (y, x), softmax_cross_entropy_grad(y, x), hint)
            for name, y, x, hint in cases]


def check_softmax_ce_gradient(fn) -> Feedback:
    """Check ``fn(labels, logits)``: the gradient of ``sum(softmax CE)`` for *any* labels."""
    return run_checks(fn, _grad_cases(), title=_("softmax CE gradient"))


def solution_softmax_ce_gradient(labels, logits):
    """Reference: ``softmax(z) * sum(y) - y``, with a stable softmax."""
    y = np.asarray(labels, dtype=np.float64)
    return softmax(np.asarray(logits, np.float64)) * y.sum(axis=-1, keepdims=True) - y


# ---------------------------------------------------------------- Keras's weighted mean
_BY_B = (N_("Keras's default, \"sum_over_batch_size\", divides sum(w * L) by the number of "
            "loss values, not by sum(w): np.sum(w * L) / L.size"))


def _mean_cases() -> list[Case]:
    losses = np.array([0.4076, 0.4076, 1.0986, 4.1429])
    seq = np.array([[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]])
    cases = [
        (_("4 losses, weights [1, 1, 1, 1]"), losses, np.ones(4), ""),
        (_("4 losses, weights [1, 1, 0, 0.5]"), losses, np.array([1.0, 1.0, 0.0, 0.5]),
         i18n._(_BY_B)),
        (_("weights [0, 0, 0, 0] (a batch of padding)"), losses, np.zeros(4),
         _("every weight is 0, so sum(w * L) = 0 and Keras returns 0.0; dividing by sum(w) "
           "would be 0 / 0. ") + i18n._(_BY_B)),
        (_("a sequence: losses and weights of shape (2, 3), the last 2 steps padding"), seq,
         np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]),
         _("the count is every loss value, padding included: divide by all 6, not by the "
           "4 that carry weight")),
    ]
    return [Case(name, (values, w), reduce_loss(values, "sum_over_batch_size", w), hint)
            for name, values, w, hint in cases]


def check_keras_mean(fn) -> Feedback:
    """Check ``fn(losses, sample_weight)``: what a Keras loss object returns by default."""
    return run_checks(fn, _mean_cases(), title=_("the Keras default reduction"))


def solution_keras_mean(losses, sample_weight):
    """Reference: weight each loss, sum, divide by the number of loss values."""
    values = np.asarray(losses, dtype=np.float64)
    return np.sum(np.asarray(sample_weight, dtype=np.float64) * values) / values.size


SOLUTIONS = {
    check_softmax_ce_gradient: solution_softmax_ce_gradient,
    check_keras_mean: solution_keras_mean,
}
"""Each checker and the reference solution that passes it."""
