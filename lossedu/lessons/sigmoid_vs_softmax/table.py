"""Lesson 04's decision table, each row run through Keras, its ``tf.nn`` function and lossedu.

One row per task of the table: the Keras loss object, the ``tf.nn`` function behind it (averaged
over the batch, as Keras does) and lossedu's loss on the same labels and logits, plus the metric
that ``metrics=["accuracy"]`` resolves to for those shapes. Keras and TensorFlow are imported
inside the function, so importing this module stays cheap.

>>> rows = decision_table_rows()                       # doctest: +SKIP
>>> rows[-1].task, rows[-1].metric                     # doctest: +SKIP
('multi-label', 'CategoricalAccuracy')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import sigmoid
from lossedu.diagnosis.keras_api import accuracy_metric_for, import_keras, import_tensorflow
from lossedu.labels import one_hot
from lossedu.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from lossedu.reductions import reduce_loss

__all__ = ["TableRow", "decision_table_rows", "TASKS"]

TASKS = ("binary, logits", "binary, sigmoid", "one of C, integers", "one of C, one-hot",
         "multi-label")
"""The table's rows, in its order."""


@dataclass(frozen=True)
class TableRow:
    """One task: the three losses (floats) and what ``"accuracy"`` becomes."""

    task: str
    keras: float
    tf_nn: float
    lossedu: float
    metric: str


def _inputs(seed: int, batch: int, num_classes: int):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(batch, num_classes)).astype(np.float32)
    binary = (rng.random((batch, 1)) > 0.5).astype(np.float32)
    ids = rng.integers(0, num_classes, size=batch)
    multi = (rng.random((batch, num_classes)) > 0.5).astype(np.float32)
    return z, binary, ids, one_hot(ids, num_classes), multi


def decision_table_rows(seed: int = 4, batch: int = 6, num_classes: int = 5) -> list[TableRow]:
    """Run every row of the decision table on random logits and labels (``seed``)."""
    keras, tf = import_keras(), import_tensorflow()
    losses, nn = keras.losses, tf.nn
    z, binary, ids, hot, multi = _inputs(seed, batch, num_classes)
    z1 = z[:, :1]
    cases = [  # (Keras loss, tf.nn loss per example, lossedu per example, y_true, y_pred)
        (losses.BinaryCrossentropy(from_logits=True)(binary, z1),
         nn.sigmoid_cross_entropy_with_logits(binary, z1),
         binary_crossentropy(binary, z1, from_logits=True), binary, z1),
        (losses.BinaryCrossentropy()(binary, tf.sigmoid(z1)),
         nn.sigmoid_cross_entropy_with_logits(binary, z1),
         binary_crossentropy(binary, sigmoid(z1)), binary, z1),
        (losses.SparseCategoricalCrossentropy(from_logits=True)(ids, z),
         nn.sparse_softmax_cross_entropy_with_logits(ids, z),
         sparse_categorical_crossentropy(ids, z, from_logits=True), ids, z),
        (losses.CategoricalCrossentropy(from_logits=True)(hot, z),
         nn.softmax_cross_entropy_with_logits(hot, z),
         categorical_crossentropy(hot, z, from_logits=True), hot, z),
        (losses.BinaryCrossentropy(from_logits=True)(multi, z),
         nn.sigmoid_cross_entropy_with_logits(multi, z),
         binary_crossentropy(multi, z, from_logits=True), multi, z),
    ]
    return [TableRow(task, float(k), float(np.mean(t)), float(reduce_loss(ours)),
                     accuracy_metric_for(y_true, y_pred))
            for task, (k, t, ours, y_true, y_pred) in zip(TASKS, cases, strict=True)]
