"""Lesson 07's experiment: one rare class (Shirt, about 1 in 10) against the rest, trained five
ways, each scored on recall, precision, PR-AUC and calibration.

Keras is imported inside the functions.  The task is small on purpose (10 000 training
images, a 32-unit MLP, 4 epochs) so that five models train in well under a minute.

>>> METHODS
('plain', 'class_weight', 'pos_weight', 'focal', 'bias')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.calibration import expected_calibration_error
from lossedu.class_weights import balanced_class_weight
from lossedu.i18n import _
from lossedu.thresholds import confusion_counts

__all__ = ["METHODS", "Task", "load_task", "build_model", "train_method", "Scores", "score"]

METHODS = ("plain", "class_weight", "pos_weight", "focal", "bias")
SHIRT = 6


@dataclass(frozen=True)
class Task:
    """Flattened images in [0, 1] and 0/1 labels (1 = Shirt): train, validation and test."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def prior(self) -> float:
        """The fraction of positives in the training split."""
        return float(self.y_train.mean())


def load_task(data=None, n_train: int = 10000, n_val: int = 5000, positive: int = SHIRT) -> Task:
    """Shirt-vs-rest from Fashion-MNIST: the first ``n_train`` training images, a validation
    split from the end of the training set, and the whole test set.

    ``data`` is what :func:`lossedu.data.load_fashion_mnist` returns (loaded here if None)."""
    if data is None:
        from lossedu.data import load_fashion_mnist

        data = load_fashion_mnist()
    (x, y), (xt, yt) = data
    flat = x.reshape(len(x), -1).astype(np.float32) / 255
    flat_t = xt.reshape(len(xt), -1).astype(np.float32) / 255
    lab, lab_t = (y == positive).astype(np.float32), (yt == positive).astype(np.float32)
    return Task(flat[:n_train], lab[:n_train], flat[-n_val:], lab[-n_val:], flat_t, lab_t)


def build_model(seed: int, bias: float = 0.0, zero_kernel: bool = False):
    """``Dense(32, relu) -> Dense(1)``: one logit.  ``bias`` starts the output's bias there."""
    import keras

    keras.utils.set_random_seed(seed)
    out = keras.layers.Dense(1, bias_initializer=keras.initializers.Constant(bias),
                             kernel_initializer="zeros" if zero_kernel else "glorot_uniform")
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(32, activation="relu"), out])


def _loss_and_weights(method: str, prior: float):
    import keras
    import tensorflow as tf

    q = (1 - prior) / prior                     # negatives per positive
    if method == "pos_weight":
        def loss(y, z):
            return tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(y, z, q), axis=-1)
        return loss, None
    if method == "focal":
        return keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True), None
    cw = {0: 1.0, 1: q} if method == "class_weight" else None
    return keras.losses.BinaryCrossentropy(from_logits=True), cw


def train_method(task: Task, method: str, seed: int = 0, epochs: int = 4):
    """Train one of :data:`METHODS`; returns the model (it outputs logits)."""
    import keras

    if method not in METHODS:
        raise ValueError(_("method={method}: expected one of {methods}").format(
            method=repr(method), methods=METHODS))
    p = task.prior
    model = build_model(seed, bias=float(np.log(p / (1 - p))) if method == "bias" else 0.0)
    loss, class_weight = _loss_and_weights(method, p)
    model.compile(keras.optimizers.Adam(2e-3), loss)
    model.fit(task.x_train, task.y_train[:, None], epochs=epochs, batch_size=256, verbose=0,
              class_weight=class_weight)
    return model


@dataclass(frozen=True)
class Scores:
    """Test-split figures of one model at threshold 0.5."""

    accuracy: float
    recall: float
    precision: float
    pr_auc: float
    ece: float


def logits_of(model, x, chunk: int = 5000) -> np.ndarray:
    """The model's logits for ``x``, one per example (float64).

    Calls the model directly, chunk by chunk: ``predict`` would build a new ``tf.function``
    for each of the lesson's models and warn about retracing."""
    import keras

    parts = [keras.ops.convert_to_numpy(model(x[i:i + chunk], training=False))
             for i in range(0, len(x), chunk)]
    return np.concatenate(parts)[:, 0].astype(np.float64)


def score(y: np.ndarray, z: np.ndarray) -> Scores:
    """Accuracy, minority recall and precision at p > 0.5, PR-AUC (Keras) and ECE."""
    import keras

    p = 1 / (1 + np.exp(-z))
    c = confusion_counts(y, p, 0.5)
    auc = keras.metrics.AUC(curve="PR", from_logits=True, num_thresholds=1000)
    auc.update_state(y, z)
    return Scores((c.tp + c.tn) / len(y), c.recall, c.precision, float(auc.result()),
                  expected_calibration_error(y.astype(np.int64), p))


def balanced_weights(task: Task) -> dict[int, float]:
    """The 'balanced' class weights of the training split (for comparison with 1 : q)."""
    return balanced_class_weight(task.y_train.astype(np.int64))
