"""Lesson 04's exercises: stable sigmoid CE, reading predictions off logits, multi-hot targets.

>>> print(check_sigmoid_cross_entropy(solution_sigmoid_cross_entropy))
sigmoid cross-entropy: all 6 checks passed.
"""

from __future__ import annotations

import numpy as np

from lossedu import i18n
from lossedu.activations import sigmoid
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import N_, _
from lossedu.losses import sigmoid_cross_entropy_with_logits

__all__ = [
    "check_sigmoid_cross_entropy",
    "check_predict_present",
    "check_multi_hot",
    "solution_sigmoid_cross_entropy",
    "solution_predict_present",
    "solution_multi_hot",
    "SOLUTIONS",
]

_STABLE = (N_("use the stable form max(z, 0) - z*y + log1p(exp(-|z|)) for logits z and labels y: "
              "exp never sees a large positive number and no log ever sees 0"))


# ---------------------------------------------------------------- sigmoid cross-entropy
def _sigmoid_cases() -> list[Case]:
    post = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]])
    post_y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    cube = np.array([[[3.0, -2.0, 0.0], [0.5, 0.5, -0.5]], [[-4.0, 1.0, 2.0], [0.0, 9.0, -9.0]]])
    cube_y = (cube > 0.2).astype(float)
    cases = [
        (_("the Stack Overflow question's logits and one-hot labels, shape (2, 3)"), post_y, post,
         ""),
        (_("soft targets 0.25 and 0.75"), np.array([[0.25, 0.75]]), np.array([[1.0, -1.0]]),
         _("labels may be any probability in [0, 1], not only 0 or 1")),
        (_("huge logits [[1000, -1000]], labels [[0, 1]] (confidently wrong)"),
         np.array([[0.0, 1.0]]), np.array([[1000.0, -1000.0]]),
         _("overflow at logits=[1000, -1000]: sigmoid rounds to exactly 1 or 0 and log(0) is "
           "-inf; ") + i18n._(_STABLE)),
        (_("huge logits [[1000, -1000]], labels [[1, 0]] (confidently right)"),
         np.array([[1.0, 0.0]]), np.array([[1000.0, -1000.0]]),
         _("the loss is 0 here, but 0 * log(0) is nan; ") + i18n._(_STABLE)),
        (_("a single logit 30 with label 0"), np.array([0.0]), np.array([30.0]),
         _("in float64 1 - sigmoid(30) loses all its digits; ") + i18n._(_STABLE)),
        (_("batch shape (2, 2, 3): element-wise, same shape out"), cube_y, cube,
         _("sigmoid CE has no class axis to sum over: return one loss per logit")),
    ]
    return [Case(name, (y, x), sigmoid_cross_entropy_with_logits(y, x), hint)
            for name, y, x, hint in cases]


def check_sigmoid_cross_entropy(fn) -> Feedback:
    """Check ``fn(labels, logits)`` against ``tf.nn.sigmoid_cross_entropy_with_logits``."""
    return run_checks(fn, _sigmoid_cases(), title=_("sigmoid cross-entropy"))


def solution_sigmoid_cross_entropy(labels, logits):
    """Reference: TensorFlow's stable formula."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


# ---------------------------------------------------------------- predictions from logits
def _present_cases() -> list[Case]:
    z = np.array([[0.3, -0.2, 2.0, 1.0]])

    def want(x, t):
        return (sigmoid(x) > t).astype(np.float64)

    return [
        Case(_("logits [[0.3, -0.2, 2, 1]], threshold 0.5"), (z,), want(z, 0.5),
             kwargs={"threshold": 0.5},
             hint=_("the threshold is a probability: sigmoid(0.3) = 0.574 is above 0.5, so "
                    "that label is present. Compare sigmoid(logits) > threshold, or logits > 0")),
        Case(_("logits [[0.3, -0.2, 2, 1]], threshold 0.75"), (z,), want(z, 0.75),
             kwargs={"threshold": 0.75},
             hint=_("sigmoid(1.0) = 0.731 is below 0.75; as a logit the threshold is "
                    "log(0.75 / 0.25) = 1.0986")),
        Case(_("huge logits [[800, -800]], threshold 0.5"), (np.array([[800.0, -800.0]]),),
             np.array([[1.0, 0.0]]), kwargs={"threshold": 0.5}),
        Case(_("batch shape (2, 1, 2): logits [[[0.1, -0.1]], [[2, -2]]]"),
             (np.array([[[0.1, -0.1]], [[2.0, -2.0]]]),), np.array([[[1.0, 0.0]], [[1.0, 0.0]]]),
             kwargs={"threshold": 0.5}, hint=_("keep the input's shape: one decision per logit")),
    ]


def check_predict_present(fn) -> Feedback:
    """Check ``fn(logits, threshold)``: which labels a multi-label model calls present."""
    return run_checks(fn, _present_cases(), title="predict_present")


def solution_predict_present(logits, threshold=0.5):
    """Reference: compare logits with the threshold turned into a logit."""
    t = float(threshold)
    return np.asarray(logits) > np.log(t / (1 - t))


# ---------------------------------------------------------------- multi-hot targets
def _multi_hot_cases() -> list[Case]:
    return [
        Case(_("[[0, 2], [1]] with 3 classes"), ([[0, 2], [1]], 3),
             np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])),
        Case(_("an item with no labels: [[], [1]]"), ([[], [1]], 3),
             np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
             hint=_("an empty list is a row of zeros (a Fashion-MNIST bag has none of the "
                    "four attributes)")),
        Case(_("a repeated label: [[1, 1], [2, 0, 2]]"), ([[1, 1], [2, 0, 2]], 3),
             np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
             hint=_("a label is present or not: the entry is 1, never 2. Sigmoid CE needs "
                    "targets in [0, 1]")),
        Case(_("[[3]] with 5 classes"), ([[3]], 5), np.array([[0.0, 0.0, 0.0, 1.0, 0.0]])),
    ]


def check_multi_hot(fn) -> Feedback:
    """Check ``fn(label_lists, num_classes)``: lists of present labels to a (B, C) 0/1 array."""
    return run_checks(fn, _multi_hot_cases(), title="multi_hot")


def solution_multi_hot(label_lists, num_classes):
    """Reference: set the listed positions of a row of zeros to 1."""
    out = np.zeros((len(label_lists), num_classes), np.float32)
    for i, ids in enumerate(label_lists):
        out[i, list(ids)] = 1.0
    return out


SOLUTIONS = {
    check_sigmoid_cross_entropy: solution_sigmoid_cross_entropy,
    check_predict_present: solution_predict_present,
    check_multi_hot: solution_multi_hot,
}
"""Each checker and the reference solution that passes it."""
