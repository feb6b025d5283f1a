"""Why the self-check's answers are right: each answer run in TensorFlow, Keras and lossedu.

:func:`verify_answers` settles every question of :mod:`~.quiz` with the calls it is about and
prints one line per answer, ``✓ key: what was shown``; a wrong answer key raises
``AssertionError`` naming the question. TensorFlow and Keras are imported on the first call,
so importing this module stays cheap::

    >>> from lossedu.lessons.start_here.answers import verify_answers
    >>> lines = verify_answers(out=None)              # doctest: +SKIP
    >>> lines[0]                                      # doctest: +SKIP
    '✓ logit: sigmoid(0) = 0.5 in TF and lossedu'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

import lossedu
from lossedu.i18n import _
from lossedu.lessons.start_here.quiz import QUESTIONS

__all__ = ["verify_answers", "CLAIMS"]


def _raises(call: Callable, message: str) -> bool:
    """True if ``call()`` raises a ``ValueError`` whose text contains ``message``."""
    try:
        call()
    except ValueError as err:
        return message in str(err)
    return False


def _logit(tf, keras) -> str:
    assert float(tf.math.sigmoid(0.0)) == 0.5 == float(lossedu.sigmoid(0.0))
    return _("sigmoid(0) = 0.5 in TF and lossedu")


def _shift(tf, keras) -> str:
    small = np.array([1.0, 2.0, 3.0], np.float32)
    big = small + 100
    assert np.allclose(tf.nn.softmax(big), tf.nn.softmax(small), atol=1e-6)
    assert np.allclose(lossedu.softmax(big), lossedu.softmax(small), atol=1e-6)
    shown = ", ".join(f"{v:.4f}" for v in lossedu.softmax(small))
    return f"softmax([101, 102, 103]) = softmax([1, 2, 3]) = [{shown}]"


def _batch():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=32)
    return labels, rng.normal(size=(32, 10)).astype(np.float32)


def _which_loss(tf, keras) -> str:
    labels, logits = _batch()
    keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)   # fine
    for wrong in (keras.losses.CategoricalCrossentropy, keras.losses.BinaryCrossentropy):
        assert _raises(lambda w=wrong: w(from_logits=True)(labels, logits),
                       "must have the same rank"), f"{wrong.__name__} accepted sparse labels"
    squeezed = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels[:, None],
                                                                            logits)
    assert np.isclose(squeezed, tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits)), rtol=1e-6), "Keras did not squeeze (32, 1) labels"
    message = "`labels.shape.rank` must equal `logits.shape.rank - 1`"
    assert _raises(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels[:, None], logits=logits), message), "tf.nn accepted (32, 1) labels"
    return _("SparseCategoricalCrossentropy takes them; the other two raise ValueError; "
             "with labels (32, 1) Keras squeezes and tf.nn raises")


def _weights(tf, keras) -> str:
    labels, logits = _batch()
    labels, logits = labels[:4], logits[:4]
    each = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits).numpy()
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    got = float(loss(labels, logits, sample_weight=[1, 1, 0, 0]))
    assert np.isclose(got, each[:2].sum() / 4, rtol=1e-6)
    assert not np.isclose(got, each[:2].sum() / 2, rtol=1e-3)
    mean = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction="mean_with_sample_weight")
    assert np.isclose(mean(labels, logits, sample_weight=[1, 1, 0, 0]), each[:2].sum() / 2,
                      rtol=1e-6)
    return _("(l1 + l2) / 4 = {got:.4f}; \"mean_with_sample_weight\" divides by 2: "
             "{mean:.4f}").format(got=got, mean=each[:2].sum() / 2)


def _multi_label(tf, keras) -> str:
    tags = np.array([4.0, 4.0, -4.0], np.float32)   # beach: yes, sunset: yes, dog: no
    assert np.isclose(tf.reduce_sum(tf.nn.softmax(tags)), 1.0) and tf.nn.softmax(tags)[0] < 0.5
    assert np.all(lossedu.sigmoid(tags)[:2] > 0.98)
    soft = ", ".join(f"{v:.4f}" for v in lossedu.softmax(tags))
    sig = ", ".join(f"{v:.3f}" for v in lossedu.sigmoid(tags))
    return _("softmax [{soft}] sums to 1; sigmoid [{sig}] says yes twice").format(soft=soft,
                                                                                   sig=sig)


def _from_logits(tf, keras) -> str:
    z = tf.constant([[2.0, -1.0, 0.5]])
    with warnings.catch_warnings(record=True) as caught, tf.GradientTape() as tape:
        warnings.simplefilter("always")
        tape.watch(z)
        wrong_loss = keras.losses.SparseCategoricalCrossentropy()(np.array([1]), z)
    grad = tape.gradient(wrong_loss, z).numpy()
    right_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([1]), z)
    assert not caught and grad[0, 1] == 0.0 and not np.isclose(wrong_loss, right_loss)
    return _("no warning; loss {wrong:.2f} instead of {right:.2f}; the true class's "
             "negative logit gets gradient {grad:g}").format(
        wrong=float(wrong_loss), right=float(right_loss), grad=grad[0, 1] + 0.0)


def _auto(tf, keras) -> str:
    assert tf.keras.losses.Reduction.AUTO == "auto" and not hasattr(keras.losses, "Reduction")
    assert _raises(lambda: keras.losses.SparseCategoricalCrossentropy(
        reduction=tf.keras.losses.Reduction.AUTO), "Invalid value for argument `reduction`"), (
        "Reduction.AUTO was accepted")
    return _("Reduction.AUTO exists in TF 2.21 but Keras 3 raises ValueError")


def _metric(metric, y, scores) -> float:
    metric.update_state(y, scores)
    return float(np.ravel(metric.result())[0])


def _threshold(tf, keras) -> str:
    z = np.array([0.8, 0.2, 0.6, 0.3, 0.1, -0.4, -1.0, -2.0, -0.7, -1.5], np.float32)
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], np.float32)        # 1 in 5 positive
    p = tf.math.sigmoid(z)
    two = tf.nn.softmax(np.stack([np.zeros_like(z), z], axis=1)).numpy()
    assert np.allclose(two[:, 1], p, atol=1e-6) and np.all((two[:, 1] > 0.5) == (z > 0))
    on_logits = _metric(keras.metrics.Precision(), y, z)             # z > 0.5
    assert on_logits == _metric(keras.metrics.Precision(thresholds=float(tf.math.sigmoid(0.5))),
                                y, p) != _metric(keras.metrics.Precision(), y, p)
    assert _metric(keras.metrics.Precision(thresholds=0.0), y, z) == _metric(
        keras.metrics.Precision(), y, p)
    weights = _keras_sample_weights(y, {0: 1, 1: 9})
    assert np.isclose(keras.losses.BinaryCrossentropy(from_logits=True, reduction="sum")(
        y[:, None], z[:, None], sample_weight=weights), tf.reduce_sum(
        tf.nn.weighted_cross_entropy_with_logits(y, z, pos_weight=9.0)), rtol=1e-6)
    return _threshold_on_splits(keras, on_logits)


def _keras_sample_weights(y, class_weight):
    """Keras's own conversion, the one ``model.fit(class_weight=...)`` uses (private)."""
    from keras.src.trainers.data_adapters.data_adapter_utils import (
        class_weight_to_sample_weights,
    )
    return class_weight_to_sample_weights(y, class_weight)


def _threshold_on_splits(keras, on_logits: float) -> str:
    rng = np.random.default_rng(7)
    y_val, y_test = ((rng.random(200) < 0.1).astype(np.float32) for _i in range(2))
    p_val, p_test = (1 / (1 + np.exp(-(rng.normal(size=200) + 1.5 * y - 2.5)))
                     for y in (y_val, y_test))

    def f1(y, p, t):
        return _metric(keras.metrics.F1Score(threshold=t), y[:, None],
                       p[:, None].astype(np.float32))
    t_val, t_test = lossedu.f1_optimal_threshold(y_val, p_val), lossedu.f1_optimal_threshold(
        y_test, p_test)
    assert t_val < 0.5 and f1(y_val, p_val, t_val) > f1(y_val, p_val, 0.5)
    assert f1(y_test, p_test, t_test) >= f1(y_test, p_test, t_val)
    return _("a 2-output softmax is p > 0.5; Precision() on logits is {precision:.2f}, on "
             "p at σ(0.5) ≈ {cut:.2f} too; class_weight 9 = pos_weight 9; validation F1 at "
             "t = {t:.2f} beats 0.5").format(precision=on_logits, cut=1 / (1 + np.exp(-0.5)),
                                             t=t_val)


CLAIMS: dict[str, Callable] = {
    "logit": _logit, "shift": _shift, "which_loss": _which_loss, "weights": _weights,
    "multi_label": _multi_label, "from_logits": _from_logits, "auto": _auto,
    "threshold": _threshold,
}
"""One check per question of the quiz, keyed like :data:`~.quiz.QUESTIONS`."""


def verify_answers(out: Callable | None = print) -> list[str]:
    """Settle every answer of the quiz in TF, Keras and lossedu; print ``✓ key: claim`` lines.

    Raises ``AssertionError`` (naming the question) if an answer is not what the libraries do.
    """
    import keras
    import tensorflow as tf

    assert list(CLAIMS) == [q.key for q in QUESTIONS], "every question needs exactly one check"
    lines = []
    for key, claim in CLAIMS.items():
        try:
            shown = claim(tf, keras)
        except AssertionError as err:
            raise AssertionError(f"the answer to {key!r} is not what the libraries do: "
                                 f"{err}") from err
        lines.append(f"✓ {key}: {shown}")
        if out is not None:
            out(lines[-1])
    return lines
