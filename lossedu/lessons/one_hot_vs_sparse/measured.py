"""The explorer's rules, measured: run the four real calls and name what each one did.

TensorFlow and Keras are imported on the first call only (``import lossedu`` stays light).
Lesson 03 and ``tests/lessons/one_hot_vs_sparse/`` compare :func:`tf_verdicts` with
:func:`~lossedu.lessons.one_hot_vs_sparse.views.label_shape_view` on a grid of shapes.

>>> tf_verdicts("sparse (B, 1)", batch=4, classes=3)  # doctest: +SKIP
['silently wrong', 'error', 'error', 'squeezed']
"""

from __future__ import annotations

import numpy as np

__all__ = ["outcome", "tf_verdicts"]


def outcome(fn) -> str:
    """What ``fn()`` gave: the shape of its result, or the name of the error it raised.

    >>> import numpy as np
    >>> outcome(lambda: np.zeros((4, 3)).sum(-1)), outcome(lambda: np.zeros(2) + np.zeros(3))
    ('(4,)', 'ValueError')
    """
    try:
        return str(tuple(fn().shape))
    except Exception as exc:  # noqa: BLE001 - naming the error is the point
        return type(exc).__name__


def _calls(tf, keras):
    return (
        lambda y, z: tf.nn.softmax_cross_entropy_with_logits(labels=y.astype(np.float32),
                                                             logits=z),
        lambda y, z: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y.astype(np.int64),
                                                                    logits=z),
        lambda y, z: keras.losses.categorical_crossentropy(y.astype(np.float32), z,
                                                           from_logits=True),
        lambda y, z: keras.losses.sparse_categorical_crossentropy(y.astype(np.int64), z,
                                                                  from_logits=True),
    )


def tf_verdicts(label_format: str, batch: int = 4, classes: int = 3) -> list[str]:
    """``"ok"``, ``"squeezed"``, ``"error"`` or ``"silently wrong"`` for each of the four calls.

    A call that returns is compared with the right per-example loss (lossedu's, checked
    against TensorFlow in ``tests/core``): equal means ``"ok"`` (``"squeezed"`` for sparse
    labels of shape ``(B, 1)``), different means ``"silently wrong"``.
    """
    import keras
    import tensorflow as tf

    from lossedu.losses import sparse_softmax_cross_entropy_with_logits

    rng = np.random.default_rng(100 * batch + classes)
    z = rng.normal(size=(batch, classes)).astype(np.float32)
    k = rng.permutation(np.arange(batch) % classes)
    labels = {"sparse (B,)": k, "sparse (B, 1)": k[:, None],
              "one-hot (B, C)": np.eye(classes)[k]}[label_format]
    right = sparse_softmax_cross_entropy_with_logits(k, z)
    verdicts = []
    for call in _calls(tf, keras):
        try:
            got = np.asarray(call(labels, z))
        except (ValueError, tf.errors.InvalidArgumentError):
            verdicts.append("error")
            continue
        if got.shape == right.shape and np.allclose(got, right, rtol=1e-5, atol=1e-6):
            verdicts.append("squeezed" if labels.shape == (batch, 1) else "ok")
        else:
            verdicts.append("silently wrong")
    return verdicts
