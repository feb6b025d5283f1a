"""Lesson 01 and 02 exercise checkers: solutions pass, instructive wrong answers fail by name."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossedu as le
from lossedu.lessons.logits import exercises as ex_logits
from lossedu.lessons.logits.exercises import (
    check_binary_cross_entropy,
    check_logit,
    check_sigmoid,
)
from lossedu.lessons.softmax import exercises as ex_softmax
from lossedu.lessons.softmax.exercises import (
    check_cross_entropy,
    check_log_softmax,
    check_softmax,
)

CHECKERS = {
    "bce": check_binary_cross_entropy,
    "sigmoid": check_sigmoid,
    "logit": check_logit,
    "cross_entropy": check_cross_entropy,
    "softmax": check_softmax,
    "log_softmax": check_log_softmax,
}
SOLUTIONS = {**ex_logits.SOLUTIONS, **ex_softmax.SOLUTIONS}
ALL_PASSED = {
    "bce": "my_bce: all 7 checks passed.",
    "sigmoid": "my_sigmoid: all 8 checks passed.",
    "logit": "my_logit: all 7 checks passed.",
    "cross_entropy": "my_cross_entropy: all 6 checks passed.",
    "softmax": "my_softmax: all 9 checks passed.",
    "log_softmax": "my_log_softmax: all 7 checks passed.",
}


def test_every_checker_has_a_solution():
    assert CHECKERS.keys() == ALL_PASSED.keys()
    assert list(SOLUTIONS) == list(CHECKERS.values())   # keyed by the checker, in order


@pytest.mark.parametrize("name", list(CHECKERS))
def test_reference_solution_passes(name):
    """The solutions pass; the checkers' answers are mpmath's and TensorFlow's (see below)."""
    check = CHECKERS[name]
    assert str(check(SOLUTIONS[check])) == ALL_PASSED[name]


# ------------------------------------------------- mpmath as the oracle, no TensorFlow


def _elementwise(f):
    """Apply an mpmath function to every element, at 50 digits, back to float64."""
    def fn(x):
        with mpmath.workdps(50):
            return np.vectorize(lambda v: float(f(mpmath.mpf(float(v)))))(np.asarray(x))
    return fn


def _rowwise(f):
    """Apply an mpmath function to every 1-d slice along ``axis``, at 50 digits."""
    def fn(z, axis=-1):
        z = np.moveaxis(np.asarray(z, np.float64), axis, -1)
        with mpmath.workdps(50):
            rows = [f([mpmath.mpf(float(v)) for v in row]) for row in z.reshape(-1, z.shape[-1])]
        out = np.array([[float(v) for v in row] for row in rows]).reshape(z.shape)
        return np.moveaxis(out, -1, axis)
    return fn


def _mp_log_softmax(row):
    lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in row))
    return [v - lse for v in row]


def _mp_bce(y, z):
    """-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] at 50 digits, element by element.

    -log sigmoid(z) = log(1 + e^-z) and -log(1 - sigmoid(z)) = log(1 + e^z): mpmath's
    exponent range has room for e^1000, where 1 - sigmoid(1000) would cancel at any precision.
    """
    def one(yv, zv):
        with mpmath.workdps(50):
            yv, zv = mpmath.mpf(float(yv)), mpmath.mpf(float(zv))
            log1p_exp = mpmath.log1p(mpmath.exp(-zv)), mpmath.log1p(mpmath.exp(zv))
            return float(yv * log1p_exp[0] + (1 - yv) * log1p_exp[1])
    y, z = np.broadcast_arrays(np.asarray(y, np.float64), np.asarray(z, np.float64))
    return np.vectorize(one)(y, z)


def _mp_cross_entropy(labels, logits):
    """-log softmax(z)[k] per row, at 50 digits."""
    with mpmath.workdps(50):
        return np.array([float(-_mp_log_softmax([mpmath.mpf(float(v)) for v in row])[k])
                         for k, row in zip(labels, np.asarray(logits, np.float64), strict=True)])


MP_ORACLES = {
    "bce": _mp_bce,
    "cross_entropy": _mp_cross_entropy,
    "sigmoid": _elementwise(lambda x: 1 / (1 + mpmath.exp(-x))),
    "logit": _elementwise(lambda p: mpmath.log(p / (1 - p)) if 0 < p < 1
                          else (-mpmath.inf if p == 0 else mpmath.inf)),
    "softmax": _rowwise(lambda row: [mpmath.exp(v) for v in _mp_log_softmax(row)]),
    "log_softmax": _rowwise(_mp_log_softmax),
}


@pytest.mark.parametrize("name", list(MP_ORACLES))
def test_mpmath_passes_the_checks(name):
    """The checkers' expected values are the exact answers, to each case's tolerance."""
    assert str(CHECKERS[name](MP_ORACLES[name])) == ALL_PASSED[name]


def test_the_checks_notice_a_small_error():
    """A relative error of 1e-4 (above every case's tolerance) fails every finite case."""
    fb = check_softmax(lambda z, axis=-1: MP_ORACLES["softmax"](z, axis) * (1 + 1e-4))
    assert len(fb.failures) == 9


@pytest.mark.parametrize("name, fn", [
    ("sigmoid", le.sigmoid), ("logit", le.logit), ("softmax", le.softmax),
    ("log_softmax", le.log_softmax)])
def test_lossedu_passes_its_own_lessons_checks(name, fn):
    assert CHECKERS[name](fn).passed


def failures(feedback) -> str:
    assert not feedback.passed
    return "\n".join(feedback.failures)


# -------------------------------------------------------------------- sigmoid


def naive_sigmoid(x):
    x = np.asarray(x, dtype=float)
    return 1 / (1 + np.exp(-x))


def test_naive_sigmoid_fails_only_on_overflow_at_minus_1000():
    fb = check_sigmoid(naive_sigmoid)
    assert len(fb.failures) == 1
    line = fb.failures[0]
    assert line.startswith("x=-1000") and "overflow" in line and "exp(-|x|)" in line


def test_exp_over_one_plus_exp_gives_nan_at_plus_1000():
    def sig(x):
        e = np.exp(np.asarray(x, dtype=float))
        return e / (1 + e)

    text = failures(check_sigmoid(sig))
    assert "x=1000" in text


def test_np_where_with_an_unsafe_branch_is_flagged():
    def sig(x):
        x = np.asarray(x, dtype=float)
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

    text = failures(check_sigmoid(sig))
    assert "np.where evaluates both branches" in text


def test_one_minus_sigmoid_loses_the_tail():
    def sig(x):
        x = np.asarray(x, dtype=float)
        pos = 1 / (1 + np.exp(-np.abs(x)))
        return np.where(x >= 0, pos, 1 - pos)

    assert "x=-30" in failures(check_sigmoid(sig))


def test_sigmoid_that_flattens_the_batch_fails_the_shape_case():
    assert "shape (2, 3)" in failures(check_sigmoid(lambda x: le.sigmoid(np.ravel(x))))


# ---------------------------------------------------------------------- logit


def test_log_p_is_not_the_logit():
    text = failures(check_logit(lambda p: np.log(np.asarray(p, dtype=float))))
    assert "p=0.5 (even odds): expected 0., got -0.693147" in text
    assert "log of the odds" in text


def test_clipping_logit_misses_the_ends():
    text = failures(check_logit(lambda p: le.logit(np.asarray(p, dtype=float), eps=1e-7)))
    assert "p=[0, 1]" in text


# ------------------------------------------------- binary cross-entropy from z


def naive_bce(y, z):
    """The textbook formula through p = sigmoid(z): the starter of exercise 2."""
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    p = 1 / (1 + np.exp(-z))
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_bce_through_probabilities_fails_exactly_the_confident_cases():
    fb = check_binary_cross_entropy(naive_bce)
    assert [f.split(": got ")[0] for f in fb.failures] == [
        "y=0, z=40 (confidently wrong)", "y=1, z=-1000 (confidently wrong)",
        "y=1, z=1000 (confidently right)"]
    assert "got [inf]" in fb.failures[0] and "work from z" in fb.failures[0]
    assert "got [nan]" in fb.failures[2] and "0 * log(0) is nan" in fb.failures[2]


def test_bce_without_the_absolute_value_overflows_at_minus_1000():
    def half_stable(y, z):
        y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
        return (1 - y) * z + np.log1p(np.exp(-z))

    fb = check_binary_cross_entropy(half_stable)
    assert len(fb.failures) == 1 and fb.failures[0].startswith("y=1, z=-1000")
    assert "np.logaddexp(0, -z)" in fb.failures[0]


def test_bce_that_drops_the_soft_label_term_fails():
    def hard_labels_only(y, z):
        y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
        return np.where(y > 0.5, np.logaddexp(0, -z), np.logaddexp(0, z))

    text = failures(check_binary_cross_entropy(hard_labels_only))
    assert "a soft label y=0.3, z=2" in text and "keep both terms" in text


def test_bce_with_swapped_labels_fails_the_known_values():
    text = failures(check_binary_cross_entropy(lambda y, z: _mp_bce(1 - np.asarray(y), z)))
    assert "y=[1, 0, 1, 0]" in text


def test_lossedu_sigmoid_cross_entropy_passes_the_bce_checks():
    assert check_binary_cross_entropy(le.sigmoid_cross_entropy_with_logits).passed


# ------------------------------------------------------------- cross-entropy


def test_cross_entropy_through_log_of_softmax_fails_only_at_1000_0():
    def log_of_softmax(labels, logits):
        p = le.softmax(np.asarray(logits, dtype=float))
        return -np.log(p[np.arange(len(labels)), labels])

    fb = check_cross_entropy(log_of_softmax)
    assert fb.failures == [
        "label 1, logits [1000, 0]: got [inf]: nan or inf where the answer is finite (hint: "
        "log(softmax) at logits=[1000, 0]: softmax rounds exp(-1000) to 0 and -log(0) = inf; "
        "use log_softmax, -log softmax(z)[k] = logsumexp(z) - z[k], with the max subtracted "
        "inside the logsumexp)"]


def test_cross_entropy_with_the_naive_softmax_overflows():
    def naive(labels, logits):
        e = np.exp(np.asarray(logits, dtype=float))
        return -np.log((e / e.sum(axis=-1, keepdims=True))[np.arange(len(labels)), labels])

    text = failures(check_cross_entropy(naive))
    assert "label 0, logits [1000, 1000.5]: got [nan]" in text and "subtract each row's max" in text


def test_cross_entropy_indexing_every_label_in_every_row_fails_on_shape():
    fb = check_cross_entropy(lambda labels, logits: -le.log_softmax(np.asarray(logits))[:, labels])
    assert len(fb.failures) == 6
    assert "expected shape (3,), got shape (3, 3)" in fb.failures[-1]
    assert "z[:, labels] picks every label in every row" in fb.failures[-1]


def test_cross_entropy_off_by_one_labels_fail():
    def one_based(labels, logits):
        return _mp_cross_entropy(np.asarray(labels) - 1, logits)

    text = failures(check_cross_entropy(one_based))
    assert "labels [2, 0] (the chinasem.cn post)" in text and "labels count from 0" in text


def test_lossedu_sparse_cross_entropy_passes_the_lessons_check():
    assert check_cross_entropy(lambda k, z: le.sparse_softmax_cross_entropy_with_logits(
        np.asarray(k), np.asarray(z, dtype=float))).passed


# -------------------------------------------------------------------- softmax


def naive_softmax(logits, axis=-1):
    e = np.exp(np.asarray(logits, dtype=float))
    return e / e.sum(axis=axis, keepdims=True)


def test_naive_softmax_says_overflow_at_1000_0():
    fb = check_softmax(naive_softmax)
    text = failures(fb)
    assert "logits=[1000, 0]: got [nan  0.]" in text
    assert "overflow at logits=[1000, 0]" in text
    assert "underflow at logits=[-1000, -1000]" in text
    assert not any("axis=0" in f or "shape (2, 3)" in f for f in fb.failures)


def test_softmax_ignoring_axis_fails_batch_and_axis_cases():
    def whole_array(logits, axis=-1):
        z = np.asarray(logits, dtype=float)
        e = np.exp(z - z.max())
        return e / e.sum()

    text = failures(check_softmax(whole_array))
    assert "a batch of shape (2, 3)" in text and "axis=0 on shape (3, 2)" in text


def test_softmax_with_the_global_max_fails_the_per_row_case():
    def global_max(logits, axis=-1):
        z = np.asarray(logits, dtype=float)
        e = np.exp(z - z.max())
        return e / e.sum(axis=axis, keepdims=True)

    fb = check_softmax(global_max)
    assert len(fb.failures) == 1
    assert "[[1000, 0], [0, 1]]" in fb.failures[0] and "own max" in fb.failures[0]


def test_softmax_that_raises_is_reported_not_crashed():
    def broken(logits, axis=-1):
        raise ValueError("oops")

    fb = check_softmax(broken)
    assert fb.failures[0] == "logits=[1, 2, 3]: raised ValueError: oops"


# ---------------------------------------------------------------- log_softmax


def test_log_of_softmax_gives_minus_inf_at_1000_0():
    fb = check_log_softmax(lambda z, axis=-1: np.log(le.softmax(z, axis=axis)))
    text = failures(fb)
    assert "logits=[1000, 0]: got [  0. -inf]" in text
    assert "log(0) = -inf" in text
    assert len(fb.failures) == 2


def test_x_minus_logsumexp_fails_the_float32_precision_case():
    def naive(z, axis=-1):
        z = np.asarray(z)
        return z - le.logsumexp(z, axis=axis, keepdims=True)

    fb = check_log_softmax(naive)
    assert len(fb.failures) == 1
    assert "precision" in fb.failures[0] and "1/512" in fb.failures[0]


def test_feedback_renders_as_html_naming_the_failure():
    html = check_softmax(naive_softmax)._repr_html_()
    assert "5 of 9 checks passed" in html and "logits=[1000, 0]" in html


# ---------------------------------------------------- TensorFlow as the oracle


@pytest.mark.tf
def test_tensorflow_passes_the_checks(tf):
    assert check_sigmoid(lambda x: tf.math.sigmoid(x).numpy()).passed
    assert check_logit(lambda p: (tf.math.log(p) - tf.math.log1p(-p)).numpy()).passed
    assert check_softmax(lambda z, axis=-1: tf.nn.softmax(z, axis=axis).numpy()).passed
    assert check_log_softmax(lambda z, axis=-1: tf.nn.log_softmax(z, axis=axis).numpy()).passed
    assert check_cross_entropy(lambda k, z: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=k, logits=tf.constant(z, tf.float64)).numpy()).passed
    assert check_binary_cross_entropy(lambda y, z: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.constant(y, tf.float64), logits=tf.constant(z, tf.float64)).numpy()).passed
