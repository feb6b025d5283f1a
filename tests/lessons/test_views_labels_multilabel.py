"""The pure functions behind lessons 03 and 04: label gradients, clipping, sigmoid vs softmax."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossedu
from lossedu.data import CLASS_NAMES
from lossedu.lessons.sigmoid_vs_softmax.views import (
    ATTRIBUTES,
    CLASS_ATTRIBUTES,
    attributes_of,
    multilabel_scores,
    probability_models_view,
    two_models,
)
from lossedu.lessons.smoothing_reductions_gradients.views import (
    clip_then_log_curve,
    label_gradient_view,
)

# The Q&A post's example (a translated Stack Overflow question on summing binary CE).
QA_Y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
QA_Z = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]])


def log_softmax_64(z) -> np.ndarray:
    """The closed form ``z - max - log(sum(exp(z - max)))`` in float64 (the reference)."""
    z = np.asarray(z, np.float64)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softplus(x: float) -> float:
    """``log(1 + exp(x))``: the sigmoid CE of a logit x whose label is 0 (label 1: x -> -x)."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


# ---------------------------------------------------------------- label_gradient_view
def test_one_hot_view_of_logits_1_2_3():
    v = label_gradient_view([1.0, 2.0, 3.0], true_class=2)
    assert v.loss == pytest.approx(0.40760596, rel=1e-7)
    np.testing.assert_allclose(v.probs, [0.09003057, 0.24472847, 0.66524096], rtol=1e-7)
    np.testing.assert_array_equal(v.labels, [0.0, 0.0, 1.0])
    np.testing.assert_allclose(v.grad, v.probs - v.labels, atol=1e-15)
    assert v.tape_error < 1e-12 and v.is_distribution
    assert v.loss_floor == 0.0
    assert "tape gradient = true gradient" in v.text


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.5, 0.9])
@pytest.mark.parametrize("total", [0.5, 1.0, 2.0, 3.0])
def test_view_gradient_is_the_numerical_gradient(smoothing, total):
    z = np.array([0.3, -1.2, 2.5, 0.0])
    v = label_gradient_view(z, true_class=1, label_smoothing=smoothing, label_total=total)
    assert v.labels.sum() == pytest.approx(total)
    num = lossedu.numerical_gradient(lambda x: -np.sum(v.labels * log_softmax_64(x)), z)
    np.testing.assert_allclose(v.grad, num, atol=1e-7)
    np.testing.assert_allclose(v.tape_grad, v.probs - v.labels, atol=1e-15)
    # the true gradient of a shift-invariant loss sums to 0; the tape's to 1 - sum(labels)
    assert v.grad.sum() == pytest.approx(0.0, abs=1e-12)
    assert v.tape_grad.sum() == pytest.approx(1.0 - total, abs=1e-12)
    assert (v.tape_error < 1e-12) == (total == 1.0)
    assert v.is_distribution == (total == 1.0)


def test_view_smoothing_matches_keras_formula():
    v = label_gradient_view([1.0, 2.0, 3.0], true_class=2, label_smoothing=0.1)
    np.testing.assert_allclose(v.labels, [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3])
    assert v.loss == pytest.approx(0.50760596, rel=1e-7)


@pytest.mark.parametrize("total", [1.0, 2.0])
def test_loss_floor_is_reached_where_softmax_equals_the_target(total):
    # smoothing 0.2 over 3 classes: q = 0.8 * one_hot + 0.2 / 3; the target is total * q
    q = np.array([0.8 + 0.2 / 3, 0.2 / 3, 0.2 / 3])
    floor = -total * float(np.sum(q * np.log(q)))           # total * entropy(q)
    v = label_gradient_view([0.0, 0.0, 0.0], true_class=0, label_smoothing=0.2,
                            label_total=total)
    np.testing.assert_allclose(v.labels, total * q, rtol=1e-15)
    assert v.loss_floor == pytest.approx(floor, rel=1e-12)
    assert v.loss == pytest.approx(total * math.log(3), rel=1e-12)   # uniform softmax
    assert v.loss > floor
    best = label_gradient_view(np.log(q), true_class=0, label_smoothing=0.2,
                               label_total=total)
    assert best.loss == pytest.approx(floor, rel=1e-12)
    np.testing.assert_allclose(best.grad, 0, atol=1e-12)


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"logits": [1.0], "true_class": 0}, lossedu.LossInputError),
    ({"logits": [[1.0, 2.0]], "true_class": 0}, lossedu.LossInputError),
    ({"logits": [1.0, 2.0], "true_class": 2}, lossedu.LabelValueError),
    ({"logits": [1.0, 2.0], "true_class": -1}, lossedu.LabelValueError),
    ({"logits": [1.0, 2.0], "true_class": 0, "label_total": 0.0}, lossedu.LabelValueError),
    ({"logits": [1.0, 2.0], "true_class": 0, "label_smoothing": 1.5}, lossedu.LabelValueError),
])
def test_view_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        label_gradient_view(**kwargs)


# ---------------------------------------------------------------- clip_then_log_curve
def test_clip_curve_caps_at_23_03_with_zero_gradient():
    c = clip_then_log_curve(np.linspace(0, 60, 601))
    assert c.cap == pytest.approx(23.02585093, rel=1e-9)
    assert c.clipped_loss.max() == pytest.approx(c.cap, rel=1e-6)
    assert c.first_capped_gap == pytest.approx(23.1, abs=1e-5)
    capped = c.gaps >= c.first_capped_gap
    assert np.all(c.clipped_grad[capped] == 0)
    np.testing.assert_allclose(c.stable_grad[capped], -1.0, atol=1e-6)
    np.testing.assert_allclose(c.clipped_loss[~capped], c.stable_loss[~capped], rtol=1e-5)
    np.testing.assert_allclose(c.stable_loss[-1], 60.0, rtol=1e-6)
    assert c.stable_loss.dtype == np.float32


def test_clip_curve_without_clipping():
    c = clip_then_log_curve([0.0, 5.0], clip=1e-30)
    assert c.first_capped_gap is None
    np.testing.assert_allclose(c.stable_loss, c.clipped_loss, rtol=1e-6)
    assert c.stable_loss[0] == pytest.approx(np.log(3), rel=1e-6)


def test_clip_curve_rejects_one_class():
    with pytest.raises(lossedu.LossInputError):
        clip_then_log_curve([1.0], num_classes=1)


@pytest.mark.tf
def test_clip_curve_matches_tensorflow(tf):
    gaps = np.array([0.0, 1.0, 10.0, 22.0, 23.5, 30.0, 80.0], np.float32)
    c = clip_then_log_curve(gaps)
    z = tf.Variable(np.stack([gaps, np.zeros_like(gaps), np.zeros_like(gaps)], axis=1))
    y = tf.one_hot([2] * len(gaps), 3)
    with tf.GradientTape(persistent=True) as tape:
        clipped = tf.reduce_sum(
            -y * tf.math.log(tf.clip_by_value(tf.nn.softmax(z), 1e-10, 1.0)), axis=1)
        stable = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)
    np.testing.assert_allclose(c.clipped_loss, clipped.numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(c.stable_loss, stable.numpy(), rtol=1e-6, atol=1e-6)
    g_clip = tape.gradient(clipped, z).numpy()[:, 2]
    g_stable = tape.gradient(stable, z).numpy()[:, 2]
    np.testing.assert_allclose(c.clipped_grad, g_clip, atol=1e-6)
    np.testing.assert_allclose(c.stable_grad, g_stable, atol=1e-6)


@pytest.mark.tf
def test_label_gradient_view_tape_grad_is_tensorflows(tf):
    v = label_gradient_view([1.0, 2.0, 3.0], true_class=0, label_smoothing=0.1, label_total=2.0)
    z = tf.Variable(v.logits[None])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=v.labels[None],
                                                                     logits=z))
    assert float(loss) == pytest.approx(v.loss, rel=1e-12)
    np.testing.assert_allclose(tape.gradient(loss, z).numpy()[0], v.tape_grad, atol=1e-12)


# ---------------------------------------------------------------- multilabel views
def test_probability_models_view():
    z = [2.0, -1.0, 1.5, -3.0]
    v = probability_models_view(z, present=[1, 0, 1, 0])
    assert v.softmax_sum == pytest.approx(1.0)
    assert v.sigmoid_sum == pytest.approx(2.0147, abs=1e-4)
    assert v.sigmoid_present.tolist() == [0, 2] and v.softmax_present.tolist() == [0]
    # independent: one binary CE per class, -log sigmoid(z) if present, -log(1 - sigmoid(z))
    independent = softplus(-2.0) + softplus(-1.0) + softplus(-1.5) + softplus(-3.0)
    assert v.independent_loss == pytest.approx(independent, rel=1e-12)
    # exclusive: the two present classes share the target mass, 1/2 each
    logsumexp = math.log(sum(math.exp(x) for x in z))
    assert v.exclusive_loss == pytest.approx(logsumexp - (2.0 + 1.5) / 2, rel=1e-12)
    assert f"exclusive loss = {v.exclusive_loss:.4f}" in v.text


def test_probability_models_view_with_no_label_present():
    v = probability_models_view([-2.0, -3.0, -1.5, -2.5])
    assert v.exclusive_loss is None and "undefined" in v.text
    assert v.sigmoid_present.size == 0
    assert v.independent_loss == pytest.approx(
        sum(softplus(x) for x in (-2.0, -3.0, -1.5, -2.5)), rel=1e-12)


@pytest.mark.parametrize("logits", np.random.default_rng(0).normal(scale=3, size=(20, 5)))
def test_softmax_never_calls_two_classes_present(logits):
    v = probability_models_view(logits)
    assert v.softmax_present.size <= 1
    np.testing.assert_array_equal(v.sigmoid_present, np.flatnonzero(v.sigmoid_probs > 0.5))


def test_probability_models_view_rejects_bad_shapes():
    with pytest.raises(lossedu.LossInputError):
        probability_models_view([1.0])
    with pytest.raises(lossedu.ShapeMismatchError):
        probability_models_view([1.0, 2.0], present=[1, 0, 0])


def test_two_models_on_the_qa_post_example():
    m = two_models(QA_Y, QA_Z)
    np.testing.assert_allclose(m.softmax_ce, [0.4790107, 1.19967598], rtol=1e-7)
    np.testing.assert_allclose(m.binary_ce_on_softmax, [0.90335299, 2.11193571], rtol=1e-7)
    np.testing.assert_allclose(m.sigmoid_ce, [1.9198869, 4.0138778], rtol=1e-7)
    p = np.exp(log_softmax_64(QA_Z))
    extra = -np.sum((1 - QA_Y) * np.log(1 - p), axis=1)
    np.testing.assert_allclose(m.binary_ce_on_softmax, m.softmax_ce + extra, rtol=1e-12)


@pytest.mark.tf
def test_two_models_match_tensorflow(tf, keras):
    m = two_models(QA_Y, QA_Z)
    soft = tf.nn.softmax_cross_entropy_with_logits(labels=QA_Y, logits=QA_Z).numpy()
    sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=QA_Y, logits=QA_Z).numpy()
    reader = 3 * keras.losses.binary_crossentropy(QA_Y, tf.nn.softmax(QA_Z)).numpy()
    np.testing.assert_allclose(m.softmax_ce, soft, rtol=1e-12)
    np.testing.assert_allclose(m.sigmoid_ce, sig.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(m.binary_ce_on_softmax, reader, rtol=1e-7)


def test_attribute_table():
    assert CLASS_ATTRIBUTES.shape == (len(CLASS_NAMES), len(ATTRIBUTES))
    assert set(np.unique(CLASS_ATTRIBUTES)) <= {0.0, 1.0}
    per_class = CLASS_ATTRIBUTES.sum(axis=1)
    assert per_class[CLASS_NAMES.index("Bag")] == 0
    assert sorted(CLASS_NAMES[i] for i in np.flatnonzero(per_class == 2)) == [
        "Coat", "Dress", "Pullover", "Shirt"]
    footwear = ATTRIBUTES.index("footwear")
    assert sorted(CLASS_NAMES[i] for i in np.flatnonzero(CLASS_ATTRIBUTES[:, footwear])) == [
        "Ankle boot", "Sandal", "Sneaker"]


def test_attributes_of_shapes_and_errors():
    a = attributes_of(np.array([[0, 3], [8, 9]]))
    assert a.shape == (2, 2, 4) and a.dtype == np.float32
    np.testing.assert_array_equal(a[0, 1], [1, 1, 0, 0])
    with pytest.raises(lossedu.LabelValueError):
        attributes_of([10])
    with pytest.raises(lossedu.LabelDtypeError):
        attributes_of([1.5])


def test_multilabel_scores():
    s = multilabel_scores([[0.9, 0.6], [0.2, 0.4]], [[1, 0], [0, 0]])
    np.testing.assert_allclose(s.per_label, [1.0, 0.5])
    assert (s.binary_accuracy, s.exact_match, s.labels_per_row) == (0.75, 0.5, 1.0)
    s2 = multilabel_scores([[0.9, 0.6]], [[1, 1]], threshold=0.7)
    assert s2.exact_match == 0.0 and s2.labels_per_row == 1.0
    with pytest.raises(lossedu.ShapeMismatchError):
        multilabel_scores([[0.5, 0.5]], [[1, 0, 0]])
