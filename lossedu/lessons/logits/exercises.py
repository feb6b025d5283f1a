"""Lesson 01 exercises: a stable sigmoid, binary cross-entropy from the logit, and the logit.

Each ``check_*`` runs the learner's function on edge cases and says what failed:

>>> import numpy as np
>>> print(check_sigmoid(lambda x: 1 / (1 + np.exp(-np.asarray(x, float)))))  # doctest: +ELLIPSIS
my_sigmoid: 7 of 8 checks passed.
  - x=-1000 (one huge negative logit): raised OverflowError: overflow in exp...
>>> print(check_sigmoid(solution_sigmoid))
my_sigmoid: all 8 checks passed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import _

__all__ = [
    "check_sigmoid",
    "check_binary_cross_entropy",
    "check_logit",
    "solution_sigmoid",
    "solution_binary_cross_entropy",
    "solution_logit",
    "SOLUTIONS",
]


def solution_sigmoid(x):
    """Reference: ``1 / (1 + exp(-x))`` without ever evaluating ``exp`` of a large number.

    ``e = exp(-|x|)`` is at most 1.  For ``x >= 0`` the answer is ``1 / (1 + e)``; for
    ``x < 0`` it is ``e / (1 + e)`` (multiply top and bottom by ``exp(x)``).
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def solution_logit(p):
    """Reference: the log-odds ``log(p / (1 - p))``, as ``log(p) - log1p(-p)``."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-p)


def solution_binary_cross_entropy(y, z):
    """Reference: ``-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]`` from the logit ``z``.

    ``-log sigmoid(z) = log(1 + exp(-z))`` and ``-log(1 - sigmoid(z)) = z + log(1 + exp(-z))``,
    so the loss is ``(1 - y) z + log(1 + exp(-z))``; with ``|z|`` no ``exp`` can overflow:
    ``max(z, 0) - z y + log1p(exp(-|z|))``, the form TensorFlow uses.
    """
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _no_overflow(fn: Callable) -> Callable:
    """Run ``fn`` with floating-point overflow turned into an error that explains itself.

    A naive ``1 / (1 + exp(-x))`` returns the right 0.0 at x = -1000, but only because
    ``exp(1000)`` overflowed to inf (and NumPy warned); that is a bug waiting to happen.
    """

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with np.errstate(over="raise"):
            try:
                return fn(*args, **kwargs)
            except FloatingPointError as exc:
                raise OverflowError(
                    _("overflow in exp ({error}); the value may still look right, because "
                      "1 / (1 + inf) = 0, but exp(1000) is inf. Fix: compute e = exp(-|x|), "
                      "which is at most 1 (np.where evaluates both branches, so each branch "
                      "must be safe on its own)").format(error=exc)) from None

    return wrapped


def _sigmoid64(x) -> np.ndarray:
    return solution_sigmoid(np.asarray(x, dtype=np.float64))


def check_sigmoid(fn: Callable) -> Feedback:
    """Check ``fn(x) == 1 / (1 + exp(-x))`` element-wise, at huge ``|x|`` without overflow."""
    grid = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
    batch = np.array([[-3.0, 0.0, 3.0], [10.0, -10.0, 0.5]])
    cases = [
        Case("x=0", (np.float64(0.0),), 0.5),
        Case("x=[-5, -1, 0, 1, 5]", (grid,), _sigmoid64(grid)),
        Case(_("x=1000 (one huge positive logit)"), (np.array([1000.0]),), np.array([1.0]),
             hint=_("exp(x) / (1 + exp(x)) is inf / inf = nan here")),
        Case(_("x=-1000 (one huge negative logit)"), (np.array([-1000.0]),), np.array([0.0])),
        Case(_("x=-30 (far tail, relative precision)"), (np.array([-30.0]),),
             _sigmoid64([-30.0]), rtol=1e-6, atol=0.0,
             hint=_("1 - sigmoid(30) cancels to 0; compute exp(-30) / (1 + exp(-30))")),
        Case(_("a batch of shape (2, 3)"), (batch,), _sigmoid64(batch),
             hint=_("sigmoid is element-wise: the output has the input's shape")),
        Case(_("float32 input, x=[-100, 100]"), (np.array([-100.0, 100.0], np.float32),),
             np.array([_sigmoid64(-100.0), 1.0]), atol=1e-30, rtol=1e-5,
             hint=_("float32 exp overflows above x = 88.7")),
        Case(_("symmetry sigmoid(-x) = 1 - sigmoid(x) at x=[-2, 2]"), (np.array([-2.0, 2.0]),),
             _sigmoid64([-2.0, 2.0])),
    ]
    return run_checks(_no_overflow(fn), cases, title="my_sigmoid")


def check_logit(fn: Callable) -> Feedback:
    """Check ``fn(p) == log(p / (1 - p))``: known values, the ends, a round trip, a batch."""
    z = np.linspace(-6.0, 6.0, 7)
    batch = np.array([[0.1, 0.5], [0.9, 0.99]])
    hint_log_p = _("log(p) is the log-probability; the logit is the log of the odds p / (1 - p)")
    cases = [
        Case(_("p=0.5 (even odds)"), (np.float64(0.5),), 0.0, hint=hint_log_p),
        Case(_("p=0.75 (odds 3 : 1)"), (np.float64(0.75),), np.log(3.0), hint=hint_log_p),
        Case(_("p=0.25 (odds 1 : 3)"), (np.float64(0.25),), -np.log(3.0),
             hint=_("the odds are 0.25 / 0.75 = 1/3, so the logit is log(1/3) = -log(3): "
                    "logit(1 - p) = -logit(p)")),
        Case(_("p=[0, 1] (the ends)"), (np.array([0.0, 1.0]),), np.array([-np.inf, np.inf]),
             hint=_("logit(0) is -inf and logit(1) is +inf: no finite log-odds")),
        Case(_("p=1e-12 (tiny)"), (np.array([1e-12]),), np.log([1e-12 / (1 - 1e-12)]),
             rtol=1e-9, atol=0.0),
        Case(_("round trip logit(sigmoid(z)) = z for z in [-6, 6]"), (_sigmoid64(z),), z,
             rtol=1e-9, atol=1e-9, hint=_("logit must undo sigmoid exactly")),
        Case(_("a batch of shape (2, 2)"), (batch,), np.log(batch / (1 - batch)),
             hint=_("logit is element-wise: the output has the input's shape")),
    ]
    return run_checks(fn, cases, title="my_logit")


def _bce64(y, z) -> np.ndarray:
    """The float64 answer: ``y softplus(-z) + (1 - y) softplus(z)``, softplus = logaddexp(0, .)."""
    y, z = np.asarray(y, dtype=np.float64), np.asarray(z, dtype=np.float64)
    return y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)


def check_binary_cross_entropy(fn: Callable) -> Feedback:
    """Check ``fn(y, z)`` = binary cross-entropy from the logit, finite for any finite ``z``."""
    y4, z4 = np.array([1.0, 0.0, 1.0, 0.0]), np.array([2.0, -1.0, -3.0, 0.5])
    yb = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]])
    zb = np.array([[0.5, -2.0, 4.0], [3.0, 1.0, -1.0]])
    via_p = (_("going through p = sigmoid(z) loses the answer: p rounds to exactly 1.0 (or 0.0) "
               "and log(0) = -inf; work from z: -log sigmoid(z) = log(1 + exp(-z)), and "
               "np.logaddexp(0, x) computes log(1 + exp(x)) without overflow"))
    cases = [
        Case(_("y=1, z=0 (a coin flip)"), (np.float64(1.0), np.float64(0.0)), np.log(2.0),
             hint=_("the model gives the truth probability 0.5, so the loss is -log 0.5 = log 2")),
        Case("y=[1, 0, 1, 0], z=[2, -1, -3, 0.5]", (y4, z4), _bce64(y4, z4),
             hint=_("the loss is -log of the probability given to what happened: sigmoid(z) "
                    "when y = 1, 1 - sigmoid(z) when y = 0")),
        Case(_("y=0, z=40 (confidently wrong)"), (np.array([0.0]), np.array([40.0])),
             _bce64([0.0], [40.0]), hint=via_p),
        Case(_("y=1, z=-1000 (confidently wrong)"), (np.array([1.0]), np.array([-1000.0])),
             np.array([1000.0]),
             hint=_("exp(-z) = exp(1000) is inf, in sigmoid or in log(1 + exp(-z)) alike; "
                    "np.logaddexp(0, -z) computes log(1 + exp(-z)) safely, or use |z|: "
                    "log(1 + exp(-z)) = max(-z, 0) + log1p(exp(-|z|))")),
        Case(_("y=1, z=1000 (confidently right)"), (np.array([1.0]), np.array([1000.0])),
             np.array([0.0]), hint=_("0 * log(0) is nan in floating point: never multiply a "
                                     "label by the log of a probability that rounded to 0")),
        Case(_("a soft label y=0.3, z=2"), (np.float64(0.3), np.float64(2.0)), _bce64(0.3, 2.0),
             hint=_("labels between 0 and 1 are allowed: keep both terms, weighted y and 1 - y")),
        Case(_("a batch of shape (2, 3)"), (yb, zb), _bce64(yb, zb),
             hint=_("the loss is element-wise: the output has the shape of z")),
    ]
    return run_checks(fn, cases, title="my_bce")


SOLUTIONS = {
    check_binary_cross_entropy: solution_binary_cross_entropy,
    check_sigmoid: solution_sigmoid,
    check_logit: solution_logit,
}
"""Each checker and the reference solution that passes it."""
