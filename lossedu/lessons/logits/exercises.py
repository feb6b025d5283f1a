"""Lesson 01 exercises: a stable sigmoid, the logit, and the sigmoid logit of two softmax logits.

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

__all__ = [
    "check_sigmoid",
    "check_logit",
    "check_binary_logit",
    "solution_sigmoid",
    "solution_logit",
    "solution_binary_logit",
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


def solution_binary_logit(z):
    """Reference: for two softmax logits ``[z0, z1]``, the sigmoid logit of class 1 is z1 - z0.

    ``softmax(z)[1] = exp(z1) / (exp(z0) + exp(z1)) = sigmoid(z1 - z0)``: no probability is
    ever formed, so nothing underflows.
    """
    z = np.asarray(z, dtype=float)
    return z[..., 1] - z[..., 0]


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
                    f"overflow in exp ({exc}); the value may still look right, because "
                    "1 / (1 + inf) = 0, but exp(1000) is inf. Fix: compute e = exp(-|x|), "
                    "which is at most 1 (np.where evaluates both branches, so each branch "
                    "must be safe on its own)") from None

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
        Case("x=1000 (one huge positive logit)", (np.array([1000.0]),), np.array([1.0]),
             hint="exp(x) / (1 + exp(x)) is inf / inf = nan here"),
        Case("x=-1000 (one huge negative logit)", (np.array([-1000.0]),), np.array([0.0])),
        Case("x=-30 (far tail, relative precision)", (np.array([-30.0]),),
             _sigmoid64([-30.0]), rtol=1e-6, atol=0.0,
             hint="1 - sigmoid(30) cancels to 0; compute exp(-30) / (1 + exp(-30))"),
        Case("a batch of shape (2, 3)", (batch,), _sigmoid64(batch),
             hint="sigmoid is element-wise: the output has the input's shape"),
        Case("float32 input, x=[-100, 100]", (np.array([-100.0, 100.0], np.float32),),
             np.array([_sigmoid64(-100.0), 1.0]), atol=1e-30, rtol=1e-5,
             hint="float32 exp overflows above x = 88.7"),
        Case("symmetry sigmoid(-x) = 1 - sigmoid(x) at x=[-2, 2]", (np.array([-2.0, 2.0]),),
             _sigmoid64([-2.0, 2.0])),
    ]
    return run_checks(_no_overflow(fn), cases, title="my_sigmoid")


def check_logit(fn: Callable) -> Feedback:
    """Check ``fn(p) == log(p / (1 - p))``: known values, the ends, a round trip, a batch."""
    z = np.linspace(-6.0, 6.0, 7)
    batch = np.array([[0.1, 0.5], [0.9, 0.99]])
    hint_log_p = "log(p) is the log-probability; the logit is the log of the odds p / (1 - p)"
    cases = [
        Case("p=0.5 (even odds)", (np.float64(0.5),), 0.0, hint=hint_log_p),
        Case("p=0.75 (odds 3 : 1)", (np.float64(0.75),), np.log(3.0), hint=hint_log_p),
        Case("p=0.25 (odds 1 : 3)", (np.float64(0.25),), -np.log(3.0),
             hint="the odds are 0.25 / 0.75 = 1/3, so the logit is log(1/3) = -log(3): "
                  "logit(1 - p) = -logit(p)"),
        Case("p=[0, 1] (the ends)", (np.array([0.0, 1.0]),), np.array([-np.inf, np.inf]),
             hint="logit(0) is -inf and logit(1) is +inf: no finite log-odds"),
        Case("p=1e-12 (tiny)", (np.array([1e-12]),), np.log([1e-12 / (1 - 1e-12)]),
             rtol=1e-9, atol=0.0),
        Case("round trip logit(sigmoid(z)) = z for z in [-6, 6]", (_sigmoid64(z),), z,
             rtol=1e-9, atol=1e-9, hint="logit must undo sigmoid exactly"),
        Case("a batch of shape (2, 2)", (batch,), np.log(batch / (1 - batch)),
             hint="logit is element-wise: the output has the input's shape"),
    ]
    return run_checks(fn, cases, title="my_logit")


def check_binary_logit(fn: Callable) -> Feedback:
    """Check ``fn(z)`` turns softmax logits of shape (..., 2) into the sigmoid logit of class 1."""
    z_small = np.array([0.3, 1.7])
    batch = np.array([[0.0, 0.0], [2.0, -1.0], [5.0, 5.5]])
    via_probs = ("going through probabilities loses everything below their precision: "
                 "softmax rounds exp(-1000) to 0 and logit(0) = -inf; work with the "
                 "logits themselves")
    cases = [
        Case("z=[0, 0] (a tie)", (np.array([0.0, 0.0]),), 0.0),
        Case("z=[0.3, 1.7]", (z_small,), 1.4, hint="sigmoid(answer) must equal softmax(z)[1]"),
        Case("z=[1000, 0] (huge logits)", (np.array([1000.0, 0.0]),), -1000.0, hint=via_probs),
        Case("z=[0, 1000] (huge logits)", (np.array([0.0, 1000.0]),), 1000.0, hint=via_probs),
        Case("shift: z=[100, 101]", (np.array([100.0, 101.0]),), 1.0,
             hint="adding a constant to both logits changes nothing"),
        Case("a batch of shape (3, 2) gives shape (3,)", (batch,), np.array([0.0, -3.0, 0.5]),
             hint="one logit per row: index the last axis, z[..., 1] - z[..., 0]"),
    ]
    return run_checks(fn, cases, title="my_binary_logit")


SOLUTIONS = {
    check_sigmoid: solution_sigmoid,
    check_logit: solution_logit,
    check_binary_logit: solution_binary_logit,
}
"""Each checker and the reference solution that passes it."""
