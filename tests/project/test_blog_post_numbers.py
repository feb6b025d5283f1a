"""The numbers published in the blog posts lossedu grew from come out of lossedu, and of TF.

* "TensorFlow 中的 Loss 函数介绍" (Loss functions in TensorFlow, PoorMemory's blog): logits
  [1, 2, 3], label 2 -> 0.40760595 from the sparse and the one-hot loss; its manual
  clip-at-1e-10 loss is capped at -log(1e-10) = 23.03;
* "tf.nn.sparse_softmax_cross_entropy_with_logits()函数" (chinasem.cn):
  softmax([3, 1, -3]) = [0.88, 0.12, 0.00];
* the Q&A site's translation of a Stack Overflow question on
  softmax_cross_entropy_with_logits_v2: softmax CE [0.4790107, 1.19967598], and binary CE
  summed over the softmax outputs [0.90335299, 2.11193571].

The expected values are the posts' own numbers (literals), checked against TF at the end.
"""

from __future__ import annotations

import numpy as np
import pytest

import lossedu
from lossedu.lessons.smoothing_reductions_gradients.views import clip_then_log_curve

LOSS_POST_LOGITS = np.array([[1.0, 2.0, 3.0]] * 3, np.float32)
LOSS_POST_LABELS = np.array([2, 2, 2])
QA_Y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
QA_Z = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]])


def test_loss_post_sparse_and_one_hot():
    sparse = lossedu.sparse_softmax_cross_entropy_with_logits(LOSS_POST_LABELS, LOSS_POST_LOGITS)
    dense = lossedu.softmax_cross_entropy_with_logits(lossedu.one_hot(LOSS_POST_LABELS, 3),
                                                      LOSS_POST_LOGITS)
    for loss in (sparse, dense):
        assert loss.shape == (3,) and loss.dtype == np.float32
        np.testing.assert_allclose(loss, 0.40760595, rtol=1e-6)
    np.testing.assert_allclose(lossedu.softmax(LOSS_POST_LOGITS[0]),
                               [0.09003057, 0.24472848, 0.66524094], rtol=1e-6)
    # the same through the Keras-style functions
    np.testing.assert_allclose(lossedu.sparse_categorical_crossentropy(
        LOSS_POST_LABELS, LOSS_POST_LOGITS, from_logits=True), 0.40760595, rtol=1e-6)
    np.testing.assert_allclose(lossedu.categorical_crossentropy(
        lossedu.one_hot(LOSS_POST_LABELS, 3), LOSS_POST_LOGITS, from_logits=True),
        0.40760595, rtol=1e-6)


def test_loss_post_manual_clip_then_log():
    p = lossedu.softmax(LOSS_POST_LOGITS)
    manual = np.sum(-lossedu.one_hot(LOSS_POST_LABELS, 3) * np.log(np.clip(p, 1e-10, 1.0)), axis=1)
    np.testing.assert_allclose(manual, 0.40760595, rtol=1e-6)
    # ...and its cap: a confidently wrong prediction scores -log(1e-10) at most
    wrong = np.array([[50.0, 0.0, 0.0]], np.float32)
    capped = -np.log(np.clip(lossedu.softmax(wrong), np.float32(1e-10), 1.0))[0, 2]
    assert capped == pytest.approx(-np.log(1e-10), rel=1e-6)
    assert -np.log(1e-10) == pytest.approx(23.03, abs=5e-3)
    assert float(lossedu.sparse_softmax_cross_entropy_with_logits([2], wrong)[0]) == \
        pytest.approx(50.0)
    curve = clip_then_log_curve([10.0, 50.0])
    assert curve.clipped_loss[1] == pytest.approx(23.02585, rel=1e-6)
    assert curve.clipped_grad[1] == 0.0 and curve.stable_grad[1] == pytest.approx(-1.0)


def test_sparse_post_softmax_of_3_1_minus_3():
    p = lossedu.softmax(np.array([3.0, 1.0, -3.0]))
    np.testing.assert_array_equal(p.round(2), [0.88, 0.12, 0.00])
    np.testing.assert_array_equal(lossedu.softmax(np.array([3.0, 1.0, -3.0]) + 1e-10).round(2),
                                  p.round(2))


def test_qa_post_two_models():
    softmax_ce = lossedu.softmax_cross_entropy_with_logits(QA_Y, QA_Z)
    np.testing.assert_allclose(softmax_ce, [0.4790107, 1.19967598], rtol=1e-7)
    p = lossedu.softmax(QA_Z)
    np.testing.assert_allclose(p, [[0.227863, 0.61939586, 0.15274114],
                                   [0.49674623, 0.20196195, 0.30129182]], rtol=1e-6)
    # the reader's formula: binary CE on the softmax outputs, summed over the 3 classes
    summed_bce = 3 * lossedu.binary_crossentropy(QA_Y, p)
    np.testing.assert_allclose(summed_bce, [0.90335299, 2.11193571], rtol=1e-7)
    per_class = -(QA_Y * np.log(p) + (1 - QA_Y) * np.log(1 - p))
    np.testing.assert_allclose(per_class, [[0.25859328, 0.4790107, 0.16574901],
                                           [0.68666072, 0.225599, 1.19967598]], rtol=1e-6)


@pytest.mark.tf
def test_post_numbers_from_tensorflow(tf):
    logits = tf.constant(LOSS_POST_LOGITS)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=LOSS_POST_LABELS, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=tf.one_hot(LOSS_POST_LABELS, 3),
                                                    logits=logits)
    np.testing.assert_allclose(sparse.numpy(), 0.40760595, rtol=1e-6)
    np.testing.assert_allclose(dense.numpy(), 0.40760595, rtol=1e-6)
    soft = tf.nn.softmax_cross_entropy_with_logits(labels=QA_Y, logits=QA_Z).numpy()
    np.testing.assert_allclose(soft, [0.4790107, 1.19967598], rtol=1e-7)
    np.testing.assert_allclose(tf.nn.softmax([3.0, 1.0, -3.0]).numpy().round(2),
                               [0.88, 0.12, 0.0])
