"""Lesson 03 and 04 exercises: solutions pass, the notebook starters fail with useful feedback."""

from __future__ import annotations

import numpy as np
import pytest

import lossedu
from lossedu.exercises import labels as ex03
from lossedu.exercises import multilabel as ex04


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


ALL_SOLUTIONS = {**ex03.SOLUTIONS, **ex04.SOLUTIONS}


@pytest.mark.parametrize("check", list(ALL_SOLUTIONS), ids=lambda c: c.__name__)
def test_reference_solution_passes(check):
    feedback = check(ALL_SOLUTIONS[check])
    assert feedback.passed, str(feedback)
    assert "all" in str(feedback) and "passed" in feedback._repr_html_()


@pytest.mark.parametrize(("check", "starter", "n_failed", "must_mention"), [
    (ex03.check_sparse_cross_entropy, starter_sparse_ce, 4,
     ["overflow at logits=[1000, 0]", "underflow", "batch shape (2, 3)"]),
    (ex03.check_one_hot, starter_one_hot, 1, ["depth 5", "expected shape (3, 5)"]),
    (ex03.check_to_sparse, starter_to_sparse, 2, ["soft labels", "dtype: returned float64"]),
    (ex03.check_softmax_ce_gradient, starter_grad, 2, ["sum to 2", "softmax(z) * sum(y) - y"]),
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


def test_checkers_accept_float32_and_batch_variants_of_the_solution():
    # a correct float32 implementation must pass too (the tolerances are honest, not float64-only)
    def sparse32(labels, logits):
        z = np.asarray(logits, np.float32)
        return lossedu.sparse_softmax_cross_entropy_with_logits(np.asarray(labels), z,
                                                                validate=False)

    assert ex03.check_sparse_cross_entropy(sparse32).passed
    assert ex04.check_sigmoid_cross_entropy(
        lambda y, x: lossedu.sigmoid_cross_entropy_with_logits(y, x)).passed
    assert ex03.check_one_hot(lambda labels, depth: lossedu.one_hot(labels, depth)).passed
    assert ex04.check_predict_present(
        lambda z, threshold=0.5: lossedu.sigmoid(z) > threshold).passed


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
    for case in ex03._grad_cases():
        labels, logits = case.args
        z = tf.Variable(logits)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=z))
        tape_grad = tape.gradient(loss, z).numpy()
        sums = labels.sum(axis=-1)
        if np.allclose(sums, 1):
            np.testing.assert_allclose(case.expected, tape_grad, atol=1e-12)
        else:  # the case exists because TF's tape is wrong here
            assert not np.allclose(case.expected, tape_grad, atol=1e-3)
    for case in ex04._sigmoid_cases():
        labels, logits = case.args
        want = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        np.testing.assert_allclose(case.expected, want.numpy(), rtol=1e-12, atol=1e-12)
