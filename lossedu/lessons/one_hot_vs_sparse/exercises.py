"""Lesson 03's exercises: sparse CE from logits, and sparse <-> one-hot.

Each ``check_*`` runs a learner's function on edge cases (huge logits, batch shapes, missing
classes, soft rows) and says what failed.  The reference solutions
below pass every check; ``tests/lessons/test_exercises_labels_multilabel.py`` makes sure of it.

>>> print(check_sparse_cross_entropy(solution_sparse_cross_entropy))
sparse cross-entropy: all 6 checks passed.
"""

from __future__ import annotations

import numpy as np

from lossedu import i18n
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import N_, _
from lossedu.labels import one_hot
from lossedu.losses import sparse_softmax_cross_entropy_with_logits

__all__ = [
    "check_sparse_cross_entropy",
    "check_one_hot",
    "check_to_sparse",
    "solution_sparse_cross_entropy",
    "solution_one_hot",
    "solution_to_sparse",
    "SOLUTIONS",
]

_OVERFLOW = (N_("overflow at logits=[1000, 0]: exp(1000) is inf, so the probabilities come out "
                "as inf/inf = nan and 1/inf = 0 (whose log is -inf). Subtract each row's max "
                "before exp (softmax does not change)"))


def _batch_logits() -> np.ndarray:
    return np.array([[[2.0, -1.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0], [-3.0, 4.0, 1.0, 2.5]],
                     [[1.0, 1.0, -2.0, 3.0], [5.0, -5.0, 0.0, 1.0], [0.3, 0.2, 0.1, 0.0]]])


# ---------------------------------------------------------------- sparse cross-entropy
def _sparse_expected(labels, logits) -> np.ndarray:
    return sparse_softmax_cross_entropy_with_logits(np.asarray(labels),
                                                    np.asarray(logits, np.float64))


def _sparse_cases() -> list[Case]:
    post = np.array([[1.0, 2.0, 3.0]])
    batch = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, -3.0], [0.0, 0.0, 0.0]])
    cube_labels = np.array([[0, 1, 3], [3, 0, 2]])
    cases = [
        (_("the PoorMemory post's logits [[1, 2, 3]], labels [2]"), [2], post, ""),
        (_("a batch of 3 rows, labels [2, 0, 1]"), [2, 0, 1], batch,
         _("one loss per row: pick row i's log-probability at labels[i]")),
        (_("huge logits [[1000, 0]], labels [1]"), [1], np.array([[1000.0, 0.0]]),
         i18n._(_OVERFLOW)),
        (_("very negative logits [[-1000, 0]], labels [0]"), [0], np.array([[-1000.0, 0.0]]),
         _("underflow: exp(-1000) is 0, so class 0 gets probability 0 and log(0) is -inf. "
           "Work with log-probabilities, (z - max) - log(sum(exp(z - max))), never "
           "log(softmax)")),
        (_("equal huge logits [[1000, 1000, 1000]], labels [1]"), [1],
         np.array([[1000.0, 1000.0, 1000.0]]),
         _("overflow at logits=[1000, 1000, 1000]: every exp(1000) is inf, and inf/inf is nan. "
           "Subtract the row's max first: the exponents become [0, 0, 0] and the loss is "
           "log(3)")),
        (_("batch shape (2, 3): logits (2, 3, 4), labels (2, 3)"), cube_labels, _batch_logits(),
         _("the class axis is the last one: use axis=-1 (not 1) and "
           "np.take_along_axis(log_probs, labels[..., None], axis=-1)")),
    ]
    return [Case(name, (np.asarray(lab), z), _sparse_expected(lab, z), hint)
            for name, lab, z, hint in cases]


def check_sparse_cross_entropy(fn) -> Feedback:
    """Check ``fn(labels, logits)`` against ``tf.nn.sparse_softmax_cross_entropy_with_logits``.

    ``labels`` are class indices of shape ``logits.shape[:-1]``; the answer has that shape.
    """
    return run_checks(fn, _sparse_cases(), title=_("sparse cross-entropy"))


def solution_sparse_cross_entropy(labels, logits):
    """Reference: log-softmax with the max subtracted, then pick each row's label."""
    z = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    shifted = z - z.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -np.take_along_axis(log_probs, labels[..., None], axis=-1)[..., 0]


# ---------------------------------------------------------------- sparse <-> one-hot
def _one_hot_cases() -> list[Case]:
    cases = [
        (_("labels [2, 0, 1], depth 3"), np.array([2, 0, 1]), 3, ""),
        (_("labels [0, 1, 1], depth 5 (this batch has no class 2, 3 or 4)"), np.array([0, 1, 1]),
         5, _("depth is the number of classes, not labels.max() + 1: a batch need not contain "
              "the last class (keras.utils.to_categorical without num_classes has this bug too)")),
        (_("batch shape (2, 2): labels [[0, 2], [1, 1]], depth 3"), np.array([[0, 2], [1, 1]]), 3,
         _("one-hot adds a last axis of size depth: shape labels.shape + (depth,)")),
        (_("a single label 3, depth 4"), np.array(3), 4, _("a 0-d label gives shape (depth,)")),
    ]
    return [Case(name, (lab, depth), one_hot(lab, depth, dtype=np.float64), hint)
            for name, lab, depth, hint in cases]


def check_one_hot(fn) -> Feedback:
    """Check ``fn(labels, depth)``: class indices to one-hot rows, like ``tf.one_hot``."""
    return run_checks(fn, _one_hot_cases(), title="one_hot")


def solution_one_hot(labels, depth):
    """Reference: compare each label with 0..depth-1 along a new last axis."""
    labels = np.asarray(labels)
    return (labels[..., None] == np.arange(depth)).astype(np.float32)


def _to_sparse_cases() -> list[Case]:
    eye = np.eye(3)
    return [
        Case(_("one-hot rows for [2, 0, 1]"), (eye[[2, 0, 1]],), np.array([2, 0, 1])),
        Case(_("batch shape (2, 2): one-hot of shape (2, 2, 3)"), (eye[[[0, 2], [1, 1]]],),
             np.array([[0, 2], [1, 1]]),
             hint=_("the class axis is the last one: argmax(axis=-1)")),
        Case(_("soft labels [[0.1, 0.2, 0.7], [0.25, 0.7, 0.05]]"),
             (np.array([[0.1, 0.2, 0.7], [0.25, 0.7, 0.05]]),), np.array([2, 1]),
             hint=_("the class is the position of the largest entry (argmax); a weighted sum "
                    "of positions is a mean, not a class")),
    ]


def check_to_sparse(fn) -> Feedback:
    """Check ``fn(one_hot)``: one-hot (or soft) rows back to integer class indices."""
    fb = run_checks(fn, _to_sparse_cases(), title="to_sparse")
    failures = list(fb.failures)
    try:
        with np.errstate(all="ignore"):
            got = np.asarray(fn(np.eye(3)[[2, 0, 1]]))
        if got.dtype.kind not in "iu":
            failures.append(
                _("dtype: returned {dtype}; sparse labels are integers, and "
                  "tf.nn.sparse_softmax_cross_entropy_with_logits accepts only int32 or int64 "
                  "(hint: .astype(np.int64), or np.argmax, which returns integers)").format(
                    dtype=got.dtype))
    except Exception as exc:  # noqa: BLE001 - reported by run_checks already
        failures.append(_("dtype: could not check, the call raised {error}").format(
            error=type(exc).__name__))
    return Feedback(fb.title, fb.total + 1, failures)


def solution_to_sparse(one_hot_labels):
    """Reference: the position of the largest entry along the last axis."""
    return np.argmax(np.asarray(one_hot_labels), axis=-1)


SOLUTIONS = {
    check_sparse_cross_entropy: solution_sparse_cross_entropy,
    check_one_hot: solution_one_hot,
    check_to_sparse: solution_to_sparse,
}
"""Each checker and the reference solution that passes it."""
