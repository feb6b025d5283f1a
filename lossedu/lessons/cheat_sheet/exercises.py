"""Lesson 06's exercises: port old TF1 and PyTorch loss code to TF2 and Keras."""

from __future__ import annotations

import numpy as np

from lossedu.i18n import _

__all__ = [
    "check_tf1_port",
    "solution_tf1_port",
    "check_torch_port",
    "solution_torch_port",
    "SOLUTIONS",
]


def _question_inputs():
    """The Stack Overflow question's one-hot labels and logits."""
    y = np.array([[0, 1, 0], [0, 0, 1]], np.float32)
    z = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]], np.float32)
    return y, z


def check_tf1_port(fn):
    """Check a TF2 port of the Stack Overflow question's TF1 loss: ``fn(y_true, logits)``.

    One loss per example comes back.

    The TF1 original: ``-tf.reduce_sum(y_true * tf.log(tf.nn.softmax(logits)), 1)``.
    """
    from lossedu.exercise import Case, run_checks
    from lossedu.losses import softmax_cross_entropy_with_logits

    y, z = _question_inputs()
    big = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]], np.float32)
    big_y = np.array([[0, 1, 0], [0, 1, 0]], np.float32)
    cases = [
        Case(_("the Stack Overflow question's inputs"), (y, z),
             np.array([0.4790107, 1.19967598]), atol=1e-5),
        Case(_("large logits [1000, 0, -1000], label on the middle class"), (big_y, big),
             softmax_cross_entropy_with_logits(big_y, big),
             hint=_("log(softmax(z)) underflows to log(0); use "
                    "tf.nn.softmax_cross_entropy_with_logits(labels=..., logits=...)")),
        Case("one row", (y[:1], z[:1]), np.array([0.4790107]), atol=1e-5,
             hint=_("return one loss per example, shape (B,)")),
    ]
    return run_checks(fn, cases, title=_("TF1 → TF2 port"))


def solution_tf1_port(y_true, logits):
    """Reference: the TF2 call, stable at any logits."""
    import tensorflow as tf

    return tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=logits)


def check_torch_port(fn):
    """Check a Keras port of ``F.cross_entropy(logits, target)`` (mean, ``ignore_index=-100``).

    ``fn(logits, target)`` must return one number: the mean loss over the targets that are not
    -100, as PyTorch's default does.
    """
    from lossedu.exercise import Case, run_checks
    from lossedu.losses import sparse_softmax_cross_entropy_with_logits

    _y, z = _question_inputs()
    z3 = np.vstack([z, [[0.0, 1.0, -1.0]]]).astype(np.float32)
    kept = sparse_softmax_cross_entropy_with_logits(np.array([1, 2, 0]), z3)
    cases = [
        Case(_("no padding"), (z3, np.array([1, 2, 0])), np.float32(kept.mean()), atol=1e-6),
        Case(_("the middle target is -100"), (z3, np.array([1, -100, 0])),
             np.float32((kept[0] + kept[2]) / 2), atol=1e-6,
             hint=_("PyTorch ignores -100 by default; Keras needs ignore_class=-100")),
    ]
    return run_checks(fn, cases, title=_("PyTorch → Keras port"))


def solution_torch_port(logits, target):
    """Reference: Keras's loss object with ``ignore_class=-100``."""
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)
    return loss(target, logits)


SOLUTIONS = {
    check_tf1_port: solution_tf1_port,
    check_torch_port: solution_torch_port,
}
"""Each checker and the reference solution that passes it."""
