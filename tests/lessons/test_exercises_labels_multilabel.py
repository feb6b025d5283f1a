"""Lesson 03, 03b and 04 exercises: solutions pass, the starters fail with useful feedback."""

from __future__ import annotations

import numpy as np
import pytest

import lossedu
from lossedu.lessons.one_hot_vs_sparse import exercises as ex03
from lossedu.lessons.sigmoid_vs_softmax import exercises as ex04
from lossedu.lessons.smoothing_reductions_gradients import exercises as ex03b


# The starters exactly as the notebooks show them.
def starter_sparse_ce(labels, logits):
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.log(probs[np.arange(len(labels)), labels])


def starter_one_hot(labels, depth):
    return np.eye(labels.max() + 1)[labels]


def starter_to_sparse(y):
    return (y * np.arange(y.shape[-1])).sum(axis=-1)


def starter_grad(labels, logits):
    return lossedu.softmax(logits) - labels


def starter_sigmoid_ce(labels, logits):
    p = 1 / (1 + np.exp(-logits))
    return -(labels * np.log(p) + (1 - labels) * np.log(1 - p))


def starter_predict_present(logits, threshold=0.5):
    return logits > threshold


def starter_multi_hot(label_lists, num_classes):
    return np.stack([np.eye(num_classes)[ids].sum(axis=0) for ids in label_lists])


ALL_SOLUTIONS = {**ex03.SOLUTIONS, **ex03b.SOLUTIONS, **ex04.SOLUTIONS}
# What each checker prints for a correct answer: its title and its number of checks.
ALL_PASSED = {
    ex03.check_sparse_cross_entropy: "sparse cross-entropy: all 6 checks passed.",
    ex03.check_one_hot: "one_hot: all 4 checks passed.",
    ex03.check_to_sparse: "to_sparse: all 4 checks passed.",
    ex03b.check_softmax_ce_gradient: "softmax CE gradient: all 6 checks passed.",
    ex03b.check_keras_mean: "the Keras default reduction: all 4 checks passed.",
    ex04.check_sigmoid_cross_entropy: "sigmoid cross-entropy: all 6 checks passed.",
    ex04.check_predict_present: "predict_present: all 4 checks passed.",
    ex04.check_multi_hot: "multi_hot: all 4 checks passed.",
}


def test_every_checker_has_a_solution():
    assert set(ALL_SOLUTIONS) == set(ALL_PASSED)


@pytest.mark.parametrize("check", list(ALL_SOLUTIONS), ids=lambda c: c.__name__)
def test_reference_solution_passes(check):
    """The solutions pass; the checkers' answers are TensorFlow's or literals (see below)."""
    feedback = check(ALL_SOLUTIONS[check])
    assert str(feedback) == ALL_PASSED[check]
    assert f"&#10004; {ALL_PASSED[check]}</b>" in feedback._repr_html_()


@pytest.mark.parametrize(("check", "starter", "n_failed", "must_mention"), [
    (ex03.check_sparse_cross_entropy, starter_sparse_ce, 4,
     ["overflow at logits=[1000, 0]", "underflow", "batch shape (2, 3)"]),
    (ex03.check_one_hot, starter_one_hot, 1, ["depth 5", "expected shape (3, 5)"]),
    (ex03.check_to_sparse, starter_to_sparse, 2, ["soft labels", "dtype: returned float64"]),
    (ex03b.check_softmax_ce_gradient, starter_grad, 2, ["sum to 2", "softmax(z) * sum(y) - y"]),
    (ex04.check_sigmoid_cross_entropy, starter_sigmoid_ce, 3,
     ["overflow at logits=[1000, -1000]", "0 * log(0) is nan", "single logit 30"]),
    (ex04.check_predict_present, starter_predict_present, 3,
     ["threshold is a probability", "log(0.75 / 0.25)"]),
    (ex04.check_multi_hot, starter_multi_hot, 1, ["repeated label", "never 2"]),
])
def test_starter_fails_with_instructive_feedback(check, starter, n_failed, must_mention):
    feedback = check(starter)
    assert not feedback.passed
    assert len(feedback.failures) == n_failed, str(feedback)
    text = str(feedback)
    for phrase in must_mention:
        assert phrase in text, f"{phrase!r} not in:\n{text}"


def test_not_implemented_and_crashing_functions_are_reported():
    def todo(*args, **kwargs):
        raise NotImplementedError

    for check in ALL_SOLUTIONS:
        fb = check(todo)
        assert not fb.passed and all("not implemented yet" in f or "dtype" in f
                                     for f in fb.failures), str(fb)
    fb = ex03.check_sparse_cross_entropy(lambda labels, logits: 1 / 0)
    assert "raised ZeroDivisionError" in str(fb)
    fb = ex04.check_multi_hot(lambda lists, c: "nope")
    assert len(fb.failures) == 4


def test_checkers_accept_float32_and_other_correct_forms():
    # a correct float32 implementation must pass too (the tolerances are honest, not
    # float64-only); each is written here from the formula, not taken from lossedu
    def sparse32(labels, logits):
        z = np.asarray(logits, np.float32)
        shifted = z - z.max(axis=-1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        return -np.take_along_axis(logp, np.asarray(labels)[..., None], axis=-1)[..., 0]

    def sigmoid_ce32(labels, logits):
        x = np.asarray(logits, np.float32)
        z = np.asarray(labels, np.float32)
        return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))

    assert ex03.check_sparse_cross_entropy(sparse32).passed
    assert ex04.check_sigmoid_cross_entropy(sigmoid_ce32).passed
    assert ex03.check_one_hot(lambda labels, depth: np.eye(depth)[labels]).passed
    assert ex04.check_predict_present(
        lambda z, threshold=0.5: 1 / (1 + np.exp(-np.asarray(z, np.float32))) > threshold
    ).passed
    assert ex03.check_to_sparse(lambda y: np.argmax(y, axis=-1)).passed


def test_to_sparse_dtype_check_accepts_integers_of_any_width():
    assert ex03.check_to_sparse(lambda y: np.argmax(y, axis=-1).astype(np.int32)).passed
    fb = ex03.check_to_sparse(lambda y: np.argmax(y, axis=-1).astype(np.float32))
    assert [f.split(":")[0] for f in fb.failures] == ["dtype"]


@pytest.mark.tf
def test_expected_answers_are_tensorflows(tf):
    """The checkers' expected values are what TensorFlow computes for the same inputs."""
    for case in ex03._sparse_cases():
        labels, logits = case.args
        want = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        np.testing.assert_allclose(case.expected, want.numpy(), rtol=1e-12, atol=1e-9)
    for case in ex03._one_hot_cases():
        labels, depth = case.args
        np.testing.assert_array_equal(case.expected, tf.one_hot(labels, depth).numpy())
    for case in ex03b._grad_cases():
        labels, logits = case.args
        z = tf.Variable(logits)
        with tf.GradientTape(persistent=True) as tape:
            kernel = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels,
                                                                          logits=z))
            # the same loss written out, so the tape differentiates the formula itself
            formula = tf.reduce_sum(-labels * tf.nn.log_softmax(z))
        np.testing.assert_allclose(float(kernel), float(formula), rtol=1e-12)
        np.testing.assert_allclose(case.expected, tape.gradient(formula, z).numpy(), atol=1e-12)
        kernel_grad = tape.gradient(kernel, z).numpy()
        if np.allclose(labels.sum(axis=-1), 1):
            np.testing.assert_allclose(case.expected, kernel_grad, atol=1e-12)
        else:  # the case exists because the kernel's gradient is wrong here
            assert not np.allclose(case.expected, kernel_grad, atol=1e-3)
    for case in ex03._to_sparse_cases():
        np.testing.assert_array_equal(case.expected, tf.argmax(case.args[0], axis=-1).numpy())
    for case in ex04._present_cases():
        (logits,) = case.args
        want = tf.math.sigmoid(logits).numpy() > case.kwargs["threshold"]
        np.testing.assert_array_equal(case.expected, want.astype(np.float64))
    for case in ex04._sigmoid_cases():
        labels, logits = case.args
        want = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        np.testing.assert_allclose(case.expected, want.numpy(), rtol=1e-12, atol=1e-12)
