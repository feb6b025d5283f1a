"""Lesson 02 exercises: cross-entropy from the logits, a softmax that cannot overflow, and a
log_softmax that cannot hit log(0).

Each ``check_*`` runs the learner's function on edge cases and says what failed:

>>> import numpy as np
>>> def naive(logits, axis=-1):
...     e = np.exp(np.asarray(logits, dtype=float))
...     return e / e.sum(axis=axis, keepdims=True)
>>> print(check_softmax(naive))  # doctest: +ELLIPSIS
my_softmax: 5 of 9 checks passed.
  - logits=[1000, 0]: got [nan  0.]: nan or inf where the answer is finite (hint: overflow...
>>> print(check_softmax(solution_softmax))
my_softmax: all 9 checks passed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lossedu import i18n
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import N_, _

__all__ = [
    "check_cross_entropy",
    "check_softmax",
    "check_log_softmax",
    "solution_cross_entropy",
    "solution_softmax",
    "solution_log_softmax",
    "SOLUTIONS",
]


def solution_softmax(logits, axis=-1):
    """Reference: subtract each row's max, exponentiate, divide by the row sum."""
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def solution_log_softmax(logits, axis=-1):
    """Reference: ``(z - max) - log(sum(exp(z - max)))``, never ``log(softmax(z))``."""
    z = np.asarray(logits, dtype=float)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def solution_cross_entropy(labels, logits):
    """Reference: ``-log softmax(z)[k]`` per row, from ``log_softmax``, never ``log(softmax)``.

    ``labels`` are integer classes of shape ``(B,)``, ``logits`` have shape ``(B, C)``; the
    result has shape ``(B,)``, like ``tf.nn.sparse_softmax_cross_entropy_with_logits``.
    """
    z = np.asarray(logits, dtype=float)
    k = np.asarray(labels)
    log_p = solution_log_softmax(z, axis=-1)
    return -np.take_along_axis(log_p, k[..., None], axis=-1)[..., 0]


def _truth_log_softmax(z, axis=-1) -> np.ndarray:
    """The float64 answer the checks compare against."""
    return solution_log_softmax(np.asarray(z, dtype=np.float64), axis=axis)


def _truth_softmax(z, axis=-1) -> np.ndarray:
    return np.exp(_truth_log_softmax(z, axis=axis))


# Shared inputs: every one of them is a trap for some implementation.
_SMALL = np.array([1.0, 2.0, 3.0])
_POST = np.array([3.0, 1.0, -3.0])
_BIG = np.array([1000.0, 0.0])
_ALL_SMALL = np.array([-1000.0, -1000.0])
_BATCH = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
_PER_ROW = np.array([[1000.0, 0.0], [0.0, 1.0]])
_COLS = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 5.0]])
_HINT_BATCH = N_("normalise each row on its own: sum over `axis` with keepdims=True")
_HINT_AXIS = N_("use the `axis` argument in every max and sum (keepdims=True keeps shapes aligned)")
_HINT_PER_ROW = (N_("subtract each row's own max (np.max(z, axis=axis, keepdims=True)), not the "
                    "max of the whole array"))


def check_softmax(fn: Callable) -> Feedback:
    """Check ``fn(logits, axis=-1)``: known values, huge logits, batches (B, C), ``axis``."""
    cases = [
        Case("logits=[1, 2, 3]", (_SMALL,), _truth_softmax(_SMALL)),
        Case(_("logits=[3, 1, -3] (the chinasem.cn post)"), (_POST,), _truth_softmax(_POST)),
        Case("logits=[1000, 0]", (_BIG,), np.array([1.0, 0.0]),
             hint=_("overflow at logits=[1000, 0]: exp(1000) is inf and inf / inf is nan; "
                    "subtract the max first, softmax(z) = softmax(z - max(z))")),
        Case("logits=[-1000, -1000]", (_ALL_SMALL,), np.array([0.5, 0.5]),
             hint=_("underflow at logits=[-1000, -1000]: exp(-1000) is 0 and 0 / 0 is nan; "
                    "subtracting the max fixes this too (the largest term becomes exp(0) = 1)")),
        Case(_("float32 logits=[1000, 1000.5] (all huge)"),
             (np.array([1000.0, 1000.5], np.float32),), _truth_softmax([1000.0, 1000.5]),
             hint=_("overflow: exp(1000) is inf even in float64 (float32 overflows above 88.7)")),
        Case(_("a batch of shape (2, 3)"), (_BATCH,), _truth_softmax(_BATCH),
             hint=i18n._(_HINT_BATCH)),
        Case(_("a batch [[1000, 0], [0, 1]]"), (_PER_ROW,), _truth_softmax(_PER_ROW),
             hint=i18n._(_HINT_PER_ROW)),
        Case(_("axis=0 on shape (3, 2)"), (_COLS,), _truth_softmax(_COLS, axis=0),
             kwargs={"axis": 0}, hint=i18n._(_HINT_AXIS)),
        Case(_("shift invariance: logits=[1, 2, 3] + 100"), (_SMALL + 100,),
             _truth_softmax(_SMALL)),
    ]
    return run_checks(fn, cases, title="my_softmax")


def check_log_softmax(fn: Callable) -> Feedback:
    """Check ``fn(logits, axis=-1)`` = log(softmax): finite at huge logits, precise in float32."""
    f32 = np.array([20000.0, 19999.0, 19990.0], np.float32)
    hint_log0 = (_("log(softmax) at logits=[1000, 0]: softmax rounds exp(-1000) to 0 and "
                   "log(0) = -inf; compute (z - max) - log(sum(exp(z - max))) instead"))
    cases = [
        Case("logits=[1, 2, 3]", (_SMALL,), _truth_log_softmax(_SMALL)),
        Case("logits=[1000, 0]", (_BIG,), np.array([0.0, -1000.0]), hint=hint_log0),
        Case("logits=[-1000, -1000]", (_ALL_SMALL,), np.full(2, -np.log(2.0)),
             hint=_("underflow: exp(-1000) is 0; subtract the max first")),
        Case(_("float32 logits=[20000, 19999, 19990] (precision)"), (f32,),
             _truth_log_softmax(f32.astype(np.float64)), rtol=1e-6, atol=1e-6,
             hint=_("z - logsumexp(z) rounds logsumexp to float32, whose spacing near 20000 is "
                    "1/512; subtract the max first, then take the log of the small sum")),
        Case(_("a batch of shape (2, 3)"), (_BATCH,), _truth_log_softmax(_BATCH),
             hint=i18n._(_HINT_BATCH)),
        Case(_("a batch [[1000, 0], [0, 1]]"), (_PER_ROW,), _truth_log_softmax(_PER_ROW),
             hint=_("row [1000, 0] needs log-softmax computed directly, not log(softmax); "
                    "every row subtracts its own max (keepdims=True)")),
        Case(_("axis=0 on shape (3, 2)"), (_COLS,), _truth_log_softmax(_COLS, axis=0),
             kwargs={"axis": 0}, hint=i18n._(_HINT_AXIS)),
    ]
    return run_checks(fn, cases, title="my_log_softmax")


def _truth_ce(labels, logits) -> np.ndarray:
    log_p = _truth_log_softmax(np.asarray(logits, dtype=np.float64))
    return -log_p[np.arange(len(labels)), np.asarray(labels)]


def check_cross_entropy(fn: Callable) -> Feedback:
    """Check ``fn(labels, logits)`` = ``-log softmax(logits)[label]`` per row, shape ``(B,)``."""
    post = np.array([[3.0, 1.0, -3.0], [3.0, 1.0, -3.0]])
    rows = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [0.0, 0.0, 5.0]])
    hint_log0 = (_("log(softmax) at logits=[1000, 0]: softmax rounds exp(-1000) to 0 and "
                   "-log(0) = inf; use log_softmax, -log softmax(z)[k] = logsumexp(z) - z[k], "
                   "with the max subtracted inside the logsumexp"))
    cases = [
        Case(_("label 0, logits [3, 1, -3]"), ([0], post[:1]), _truth_ce([0], post[:1]),
             hint=_("the loss is -log of the probability of the true class: -log softmax(z)[0]")),
        Case(_("labels [2, 0] (the chinasem.cn post)"), ([2, 0], post), _truth_ce([2, 0], post),
             hint=_("labels count from 0: label 2 is the third logit")),
        Case(_("four equal logits"), ([1], np.zeros((1, 4))), np.array([np.log(4.0)]),
             hint=_("a uniform guess over C = 4 classes costs log 4 whatever the label")),
        Case(_("label 1, logits [1000, 0]"), ([1], np.array([[1000.0, 0.0]])), np.array([1000.0]),
             hint=hint_log0),
        Case(_("label 0, logits [1000, 1000.5]"), ([0], np.array([[1000.0, 1000.5]])),
             _truth_ce([0], [[1000.0, 1000.5]]),
             hint=_("overflow: exp(1000) is inf; subtract each row's max before exp")),
        Case(_("a batch of 3 rows, labels [2, 0, 1]"), ([2, 0, 1], rows),
             _truth_ce([2, 0, 1], rows),
             hint=_("pick each row's own label, z[np.arange(B), labels]; z[:, labels] picks "
                    "every label in every row, shape (B, B)")),
    ]
    return run_checks(fn, cases, title="my_cross_entropy")


SOLUTIONS = {check_cross_entropy: solution_cross_entropy, check_softmax: solution_softmax,
             check_log_softmax: solution_log_softmax}
"""Each checker and the reference solution that passes it."""
