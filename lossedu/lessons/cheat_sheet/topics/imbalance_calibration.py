"""Rare classes, thresholds and calibration (lesson 07): the table and its checks."""

from __future__ import annotations

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import K, Y, Z
from lossedu.lessons.cheat_sheet.schema import NONE, Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("imbalance_calibration", N_("Rare classes, thresholds and calibration"),
    N_("Binary rows: `y` 0/1 labels (B,), `z` one logit each; `q` the positives' weight, "
       "`t` a threshold."), (
    Row("pos_weight", N_("sigmoid CE, positives weighted"),
        "`tf.nn.weighted_cross_entropy_with_logits(targets=y, logits=z, pos_weight=q)`",
        "`tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=q)`",
        N_("`keras.losses.binary_crossentropy(y, z, True)` with `sample_weight` q on the "
           "positives"),
        "`F.binary_cross_entropy_with_logits(z, y, pos_weight=q, reduction='none')`",
        "`lossedu.weighted_cross_entropy_with_logits(y, z, q)`",
        N_("TF1 named the labels `targets`; `fit(class_weight={0: 1, 1: q})` is the same loss")),
    Row("binary_focal", N_("binary focal loss"),
        N_("— no focal loss in TF1"), N_("— no focal loss in `tf.nn` or `tf.math`"),
        "`keras.losses.binary_focal_crossentropy(y, z, apply_class_balancing=True, "
        "alpha=0.25, gamma=2.0, from_logits=True)`",
        NONE,
        N_("`lossedu.binary_focal_crossentropy(…)`, the same arguments"),
        N_("`alpha` counts only with `apply_class_balancing=True`")),
    Row("categorical_focal", N_("categorical focal loss"),
        N_("— no focal loss in TF1"), N_("— no focal loss in `tf.nn` or `tf.math`"),
        "`keras.losses.categorical_focal_crossentropy(y, z, alpha=0.25, gamma=2.0, "
        "from_logits=True)`",
        NONE,
        N_("`lossedu.categorical_focal_crossentropy(…)`, the same arguments"),
        N_("with `gamma=0` and `alpha=1` it is the cross-entropy")),
    Row("class_weight", N_("class weights → sample weights"),
        "`tf.gather(w, k)`", "`tf.gather(w, k)`",
        "`model.fit(…, class_weight={c: w})`",
        "`F.cross_entropy(z, k, weight=w, reduction='none')`",
        N_("`lossedu.class_weight_to_sample_weights(k, class_weight)`;\n"
           "`lossedu.balanced_class_weight(k)` = n / (C · count)"),
        N_("Keras's loss still divides by the batch size, not by the sum of the weights")),
    Row("threshold", N_("decide from a logit"),
        "`tf.cast(z > 0.0, tf.float32)`", "`tf.cast(z > 0.0, tf.float32)` (p > 0.5)",
        "`BinaryAccuracy(threshold=0.0)`, `Precision(thresholds=0.0)`, "
        "`AUC(from_logits=True)`",
        "`(z > 0.0).float()`",
        "`lossedu.confusion_counts(y, lossedu.sigmoid(z), 0.5)`",
        N_("`Precision()` on logits compares z with 0.5, i.e. p with σ(0.5) ≈ 0.62")),
    Row("at_threshold", N_("precision, recall, F1 at t"),
        N_("`tf.metrics.precision_at_thresholds(y, p, [t])`: graph mode only"),
        N_("— no metrics in `tf.nn` or `tf.math`"),
        "`Precision(thresholds=t)`, `Recall(thresholds=t)`, `F1Score(threshold=t)`",
        NONE,
        N_("`lossedu.precision_recall_f1(y, p, t)` (`p > t`, as Keras)"),
        N_("choose t on a validation split, never on the test split")),
    Row("ece", N_("calibration error (ECE)"),
        N_("— none in TF1"), N_("— none in `tf.nn` or `tf.math`"), NONE, NONE,
        "`lossedu.expected_calibration_error(y, p, num_bins=10)`, "
        "`lossedu.reliability_bins(…)`",
        N_("TF 2.21 and Keras 3 have none: lossedu only")),
    Row("temperature", N_("temperature scaling"),
        "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z / T))`",
        "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z / T))`",
        "`keras.losses.binary_crossentropy(y, z / T, from_logits=True)`",
        NONE,
        "`lossedu.temperature_nll(y, z, T)`; `lossedu.fit_temperature(y_val, z_val)`",
        N_("the NLL at T is in every library; the fit of T is lossedu only. Fit T on validation")),
    Row("probabilities", N_("probabilities from a logits model"),
        "`tf.nn.softmax(logits)`",
        "`tf.nn.softmax(model(x))`",
        N_("`keras.ops.softmax(model(x))`, or\n"
           "`keras.Sequential([model, keras.layers.Softmax()])`"),
        "`torch.softmax(model(x), -1)`",
        "`lossedu.softmax(z)`",
        N_("keep the logits model for training with `from_logits=True`")),
))


INTRO = N_("""When one class is rare, the loss and the decision come apart (lesson 07). Weight the
rare class (`pos_weight`, `class_weight`) or down-weight easy examples (focal loss); then choose
the threshold on a validation split, and give Keras's metrics the threshold a logit needs (0, not
0.5). Calibration asks whether p = 0.9 is right 90 % of the time: TensorFlow and Keras have no ECE
or temperature fit, so those rows are lossedu's.""")

YB = np.array([0, 1, 0, 0, 1, 0, 0, 0], np.float32)
"""Binary labels, 1 in 4 positive."""
ZB = np.array([-1.2, 0.3, 0.2, 0.8, -0.4, -2.0, 0.6, -0.1], np.float32)
"""One logit per example."""


def _metric(metric, y, scores) -> float:
    metric.update_state(y, scores)
    return float(np.ravel(metric.result())[0])


def run(check, lib) -> None:
    """Check every row against TF2, Keras (and TF1, PyTorch where the row has them)."""
    _weights_and_focal(check, lib)
    _thresholds(check, lib)
    _calibration(check, lib)


def _weights_and_focal(check, lib) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    y, z, q = YB, ZB, 3.0
    sw = np.where(y == 1, q, 1.0).astype(np.float32)
    check.agree("pos_weight",
                tf1=v1.nn.weighted_cross_entropy_with_logits(targets=y, logits=z, pos_weight=q),
                tf2=tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=q),
                keras=sw * keras.ops.binary_crossentropy(y, z, from_logits=True),
                torch=lambda: F.binary_cross_entropy_with_logits(
                    T(z), T(y), pos_weight=T(np.float32(q)), reduction="none"),
                lossedu=lossedu.weighted_cross_entropy_with_logits(y, z, q))
    check.fact("binary_focal", "tf1", *_absent(lib, "focal", "tf1"))
    check.fact("binary_focal", "tf2", *_absent(lib, "focal", "tf2"))
    check.fact("categorical_focal", "tf1", *_absent(lib, "focal", "tf1"))
    check.fact("categorical_focal", "tf2", *_absent(lib, "focal", "tf2"))
    kw = dict(apply_class_balancing=True, alpha=0.25, gamma=2.0, from_logits=True)
    check.agree("binary_focal", keras=keras.losses.binary_focal_crossentropy(
                    y[:, None], z[:, None], **kw),
                lossedu=lossedu.binary_focal_crossentropy(y[:, None], z[:, None], **kw))
    kw = dict(alpha=0.25, gamma=2.0, from_logits=True)
    check.agree("categorical_focal", keras=keras.losses.categorical_focal_crossentropy(Y, Z, **kw),
                lossedu=lossedu.categorical_focal_crossentropy(Y, Z, **kw))
    check.agree("categorical_focal", expected=lossedu.categorical_crossentropy(Y, Z, True),
                keras=keras.losses.categorical_focal_crossentropy(
                    Y, Z, alpha=1.0, gamma=0.0, from_logits=True))
    _class_weight(check, lib)


def _absent(lib, word: str, column: str) -> tuple[bool, str]:
    """Back a "— none in TF" cell: no public name in those modules contains ``word``."""
    tf, v1 = lib.tf, lib.v1
    mods, where = {"tf1": ((v1.nn, v1.math, v1.losses, v1.metrics),
                           "tf.compat.v1's nn, math, losses, metrics"),
                   "tf2": ((tf.nn, tf.math), "tf.nn, tf.math")}[column]
    names = [n for mod in mods for n in dir(mod)]
    claim = _("no name in {where} contains {word}").format(where=where, word=repr(word))
    return not any(word in n.lower() for n in names), claim


def _class_weight(check, lib) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    # what model.fit(class_weight=...) calls (a private helper)
    from keras.src.trainers.data_adapters.data_adapter_utils import (
        class_weight_to_sample_weights,
    )
    weights = {0: 1.0, 1: 2.0, 2: 0.5}
    sw = check.agree("class_weight", expected=[2.0, 0.5],
                     keras=class_weight_to_sample_weights(K, weights),
                     lossedu=lossedu.class_weight_to_sample_weights(K, weights))
    w = np.array([weights[c] for c in range(3)], np.float32)
    check.agree("class_weight", expected=sw, tf1=v1.gather(w, K), tf2=tf.gather(w, K))
    check.agree("class_weight", expected=sw * lossedu.sparse_categorical_crossentropy(K, Z, True),
                torch=lambda: F.cross_entropy(T(Z), T(K), weight=T(w), reduction="none"))
    k = np.array([0, 0, 0, 1])
    check.agree("class_weight", expected=[4 / 6, 4 / 6, 4 / 6, 2.0],
                lossedu=lossedu.class_weight_to_sample_weights(
                    k, lossedu.balanced_class_weight(k, num_classes=2)))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(K, Z, sample_weight=sw)
    each = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=K, logits=Z).numpy()
    check.fact("class_weight", "keras", np.isclose(loss, (sw * each).sum() / 2, rtol=1e-6),
               _("the weighted loss divides by the batch size 2, not by {total:g}").format(
                   total=sw.sum()))


def _thresholds(check, lib) -> None:
    tf, v1, keras, T = lib.tf, lib.v1, lib.keras, lib.T
    y, z = YB, ZB
    p = lossedu.sigmoid(z)
    c = lossedu.confusion_counts(y, p, 0.5)
    check.agree("threshold", expected=(z > 0).astype(np.float32),
                tf1=v1.cast(z > 0.0, v1.float32), tf2=tf.cast(z > 0.0, tf.float32),
                torch=lambda: (T(z) > 0.0).float())
    check.agree("threshold", expected=(c.tp + c.tn) / y.size,
                keras=_metric(keras.metrics.BinaryAccuracy(threshold=0.0), y, z),
                lossedu=(c.tp + c.tn) / y.size)
    check.agree("threshold", expected=c.precision,
                keras=_metric(keras.metrics.Precision(thresholds=0.0), y, z))
    check.agree("threshold", expected=_metric(keras.metrics.AUC(), y, p),
                keras=_metric(keras.metrics.AUC(from_logits=True), y, z))
    wrong, cut = _metric(keras.metrics.Precision(), y, z), float(tf.math.sigmoid(0.5))
    check.fact("threshold", "keras", wrong == _metric(keras.metrics.Precision(thresholds=cut),
                                                      y, p) != c.precision,
               _("Precision() on logits gives {wrong:.2f} (p > {cut:.2f}), not {right:.2f}")
               .format(wrong=wrong, cut=cut, right=c.precision))
    t = 0.4
    check.agree("at_threshold", keras=[_metric(keras.metrics.Precision(thresholds=t), y, p),
                                       _metric(keras.metrics.Recall(thresholds=t), y, p),
                                       _metric(keras.metrics.F1Score(threshold=t),
                                               y[:, None], p[:, None].astype(np.float32))],
                lossedu=lossedu.precision_recall_f1(y, p, t))
    check.raises("at_threshold", RuntimeError, match="not supported when eager execution",
                 tf1=lambda: v1.metrics.precision_at_thresholds(y, p, [t]))
    check.fact("at_threshold", "tf2", *_absent(lib, "precision", "tf2"))


def _calibration(check, lib) -> None:
    tf, v1, keras, T = lib.tf, lib.v1, lib.keras, lib.T
    check.agree("ece", expected=0.15, lossedu=lossedu.expected_calibration_error(
        [1, 1, 1, 0], [0.9, 0.9, 0.9, 0.9], num_bins=10))      # accuracy 0.75 at confidence 0.9
    check.fact("ece", "tf1", *_absent(lib, "calibration", "tf1"))
    check.fact("ece", "tf2", *_absent(lib, "calibration", "tf2"))
    check.fact("ece", "lossedu", not any("calibration" in n.lower() for n in dir(keras.metrics)),
               _("keras.metrics has no calibration metric either"))
    y, z, temp = YB, ZB, 2.0
    check.agree("temperature", lossedu=lossedu.temperature_nll(y, z, temp),
                tf1=v1.reduce_mean(v1.nn.sigmoid_cross_entropy_with_logits(labels=y,
                                                                           logits=z / temp)),
                tf2=tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y,
                                                                           logits=z / temp)),
                keras=keras.losses.binary_crossentropy(y, z / temp, from_logits=True))
    check.agree("temperature", expected=2 / np.log(3),
                lossedu=lossedu.fit_temperature([0, 1, 1, 0], [-2.0, 2.0, 2.0, 2.0]))
    base = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
        3, use_bias=False, kernel_initializer="identity")])          # model(x) = x: logits
    check.agree("probabilities", expected=lossedu.softmax(Z),
                tf1=v1.nn.softmax(Z), tf2=tf.nn.softmax(base(Z)),
                keras=keras.Sequential([base, keras.layers.Softmax()])(Z),
                torch=lambda: lib.torch.softmax(T(Z), -1),
                lossedu=lossedu.softmax(Z))
    check.agree("probabilities", expected=lossedu.softmax(Z), keras=keras.ops.softmax(base(Z)))
