"""Lesson 05 exercises: Keras's from_logits=False path, its zero gradients, and what compiles do.

>>> import numpy as np
>>> def naive(y_true, y_pred):
...     p = np.asarray(y_pred, dtype=float)
...     return -np.log(p[np.arange(len(p)), np.asarray(y_true).reshape(-1)])
>>> print(check_probability_path(naive))  # doctest: +ELLIPSIS
my_scce: 1 of 7 checks passed.
  - raw logits [[2, -1, 0.5]], label 1: got [nan]: nan or inf where the answer is finite...
>>> print(check_probability_path(solution_probability_path))
my_scce: all 7 checks passed.
>>> print(check_compile_predictions(COMPILE_ANSWERS))
predict the compile: all 7 checks passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from lossedu import i18n
from lossedu.constants import EPSILON
from lossedu.exercise import Case, Feedback, run_checks
from lossedu.i18n import N_, _
from lossedu.losses import sparse_categorical_crossentropy

__all__ = [
    "check_probability_path",
    "check_zero_gradient_mask",
    "check_compile_predictions",
    "solution_probability_path",
    "solution_zero_gradient_mask",
    "COMPILE_QUESTIONS",
    "COMPILE_ANSWERS",
    "OUTCOMES",
    "SOLUTIONS",
]


def solution_probability_path(y_true, y_pred):
    """Reference: clip to [1e-7, 1 - 1e-7], log, then a (stable) sparse softmax CE."""
    p = np.asarray(y_pred, dtype=np.float32)
    y = np.asarray(y_true).reshape(p.shape[:-1]).astype(np.int64)
    eps = np.float32(EPSILON)
    z = np.log(np.clip(p, eps, 1 - eps))                        # "logits" = log-probabilities
    z = z - np.max(z, axis=-1, keepdims=True)
    log_softmax = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return -np.take_along_axis(log_softmax, y[..., None], axis=-1)[..., 0]


def solution_zero_gradient_mask(y_pred):
    """Reference: the entries the clip changes, below 1e-7 or above 1 - 1e-7."""
    p = np.asarray(y_pred, dtype=np.float32)
    eps = np.float32(EPSILON)
    return (p < eps) | (p > 1 - eps)


def _keras(y_true, y_pred) -> np.ndarray:
    """What Keras computes (lossedu's copy, checked against TensorFlow in tests/)."""
    p = np.asarray(y_pred, dtype=np.float32)
    return np.asarray(sparse_categorical_crossentropy(np.asarray(y_true), p, validate=False),
                      dtype=np.float64)


_PROBS = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]], np.float32)
_LOGITS = np.array([[2.0, -1.0, 0.5]], np.float32)
_ABOVE_ONE = np.array([[3.0, 0.2, 0.7]], np.float32)
_ALL_NEGATIVE = np.array([[-0.3, -2.0, -1.1, -0.01]], np.float32)
_WRONG = np.array([[1.0 - 1e-9, 1e-9, 0.0]], np.float32)
_BATCH = np.array([[0.2, -0.5, 1.4, 0.6], [0.7, 0.1, 0.1, 0.1], [-1.0, -1.0, 0.5, 0.25]],
                  np.float32)


def check_probability_path(fn: Callable) -> Feedback:
    """Check ``fn(y_true, y_pred)`` = Keras's SCCE with from_logits=False, per example."""
    hint_clip = (_("Keras clips y_pred to [1e-7, 1 - 1e-7] before the log: log of a negative "
                   "number is nan, log(0) is -inf"))
    hint_norm = (_("after clip and log, Keras calls sparse_softmax_cross_entropy_with_logits on "
                   "the logs: softmax(log q) = q / sum(q) renormalises the row"))
    cases = [
        Case(_("probabilities [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], labels [1, 2]"),
             (np.array([1, 2]), _PROBS), _keras([1, 2], _PROBS), hint=hint_clip),
        Case(_("raw logits [[2, -1, 0.5]], label 1"), (np.array([1]), _LOGITS),
             _keras([1], _LOGITS), hint=hint_clip),
        Case(_("raw logits [[2, -1, 0.5]], label 0"), (np.array([0]), _LOGITS),
             _keras([0], _LOGITS), hint=hint_clip + "; " + hint_norm),
        Case(_("values above 1 [[3, 0.2, 0.7]], label 2"), (np.array([2]), _ABOVE_ONE),
             _keras([2], _ABOVE_ONE), hint=hint_norm + " (3 is clipped to 1 - 1e-7 first)"),
        Case(_("all logits negative, label 1 (the answer is log 4)"),
             (np.array([1]), _ALL_NEGATIVE), _keras([1], _ALL_NEGATIVE),
             hint=_("every value is clipped to 1e-7, so after renormalising each class has "
                    "probability 1/4")),
        Case(_("confidently wrong: p = [1 - 1e-9, 1e-9, 0], label 1 (capped near 16.118)"),
             (np.array([1]), _WRONG), _keras([1], _WRONG),
             hint=_("1e-9 is clipped up to 1e-7: the loss cannot exceed about -log(1e-7)")),
        Case(_("a batch of 3 rows, labels of shape (3, 1)"), (np.array([[2], [0], [3]]), _BATCH),
             _keras([2, 0, 3], _BATCH),
             hint=_("Keras squeezes labels of shape (B, 1) to (B,); work row by row")),
    ]
    return run_checks(fn, cases, title="my_scce")


def check_zero_gradient_mask(fn: Callable) -> Feedback:
    """Check ``fn(y_pred)``: True where SCCE with from_logits=False sends exactly 0 gradient."""
    hint_high = (_("values above 1 - 1e-7 are clipped too, and a clipped value gets no gradient, "
                   "however far it is from the bound"))
    hint_low = _("0 and tiny positive values below 1e-7 are clipped up to 1e-7: no gradient")
    rows = [
        (_("raw logits [[2, -1, 0.5]]"), _LOGITS, hint_high),
        (_("probabilities [[0.05, 0.95, 0]]"), _PROBS[:1], hint_low),
        (_("logits [[3, 0.2, 0.7]]"), _ABOVE_ONE, hint_high),
        (_("tiny values [[1e-9, 5e-8, 0.5, 1.0]]"), np.array([[1e-9, 5e-8, 0.5, 1.0]], np.float32),
         hint_low + _("; 1.0 is above 1 - 1e-7")),
        (_("a batch of 3 rows"), _BATCH, hint_high),
    ]
    cases = [Case(name, (arr,), solution_zero_gradient_mask(arr), hint=hint)
             for name, arr, hint in rows]
    return run_checks(fn, cases, title="my_zero_gradient_mask")


OUTCOMES = ("learns", "repaired", "stalls", "double softmax")
"""The answers for :func:`check_compile_predictions`.

"learns": trains normally.  "repaired": trains normally because Keras 3 (TF backend) takes
the logits hidden in the softmax/sigmoid tensor, with a UserWarning.  "stalls": the clip
zeroes the gradients and accuracy stalls.  "double softmax": the loss applies softmax to
probabilities; it trains, badly, and its loss cannot go below log(1 + (C - 1)/e).
"""

COMPILE_QUESTIONS = {
    "a": "Dense(10) + SparseCategoricalCrossentropy(from_logits=True)",
    "b": "Dense(10) + SparseCategoricalCrossentropy(from_logits=False)",
    "c": "Dense(10, activation='softmax') + SparseCategoricalCrossentropy(from_logits=False)",
    "d": "Dense(10, activation='softmax') + SparseCategoricalCrossentropy(from_logits=True)",
    "e": "Dense(10, activation='softmax'), Reshape((10,)) + "
         "SparseCategoricalCrossentropy(from_logits=True)",
    "f": "Dense(1) + BinaryCrossentropy(from_logits=False)",
    "g": "Dense(1, activation='sigmoid') + BinaryCrossentropy(from_logits=True)",
}

COMPILE_ANSWERS = {"a": "learns", "b": "stalls", "c": "learns", "d": "repaired",
                   "e": "double softmax", "f": "stalls", "g": "repaired"}

_ARRAY_REPR = re.compile(r"array\(('[^']*'), dtype='<U\d+'\)")

_WHY = {
    "a": N_("logits with from_logits=True is the recommended setup"),
    "b": N_("raw logits are clipped to [1e-7, 1 - 1e-7]; negative ones get zero gradient"),
    "c": N_("on the TF backend Keras even uses the hidden logits here, so it is exact"),
    "d": N_("the softmax tensor carries _keras_logits; Keras uses them and warns"),
    "e": N_("Reshape drops _keras_logits, so softmax is applied twice"),
    "f": N_("one logit clipped to [1e-7, 1 - 1e-7]: every logit <= 0 gets zero gradient"),
    "g": N_("sigmoid sets _keras_logits too; Keras uses the logits and warns"),
}


def check_compile_predictions(answers: dict) -> Feedback:
    """Check a dict mapping "a" to "g" (see COMPILE_QUESTIONS) to one of OUTCOMES."""
    def lookup(key):
        value = answers.get(key, "?")
        if value not in OUTCOMES:
            raise ValueError(_("answer {value} for {key}: choose one of {outcomes}").format(
                value=repr(value), key=repr(key), outcomes=OUTCOMES))
        return value

    cases = [Case(f"{key}) {question}", (key,), COMPILE_ANSWERS[key], hint=i18n._(_WHY[key]))
             for key, question in COMPILE_QUESTIONS.items()]
    feedback = run_checks(lookup, cases, title=_("predict the compile"))
    # Show answers as 'stalls', not as NumPy's array('stalls', dtype='<U6').
    feedback.failures = [_ARRAY_REPR.sub(r"\1", f) for f in feedback.failures]
    return feedback


SOLUTIONS = {
    check_probability_path: solution_probability_path,
    check_zero_gradient_mask: solution_zero_gradient_mask,
    check_compile_predictions: COMPILE_ANSWERS,
}
