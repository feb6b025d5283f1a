"""Label smoothing, dense and sparse: the table and its checks."""

from __future__ import annotations

import inspect

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import K, Y, Z
from lossedu.lessons.cheat_sheet.schema import Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("label_smoothing", N_("Label smoothing: `y · (1 − s) + s / C`"),
    N_("`s = 0.1`; binary labels use C = 2."), (
    Row("categorical", N_("one-hot CE"),
        "`tf.losses.softmax_cross_entropy(y, z, label_smoothing=s)`",
        N_("no argument: `labels=y * (1 - s) + s / C`"),
        "`CategoricalCrossentropy(from_logits=True, label_smoothing=s)`",
        N_("`nn.CrossEntropyLoss(label_smoothing=s)` (torch ≥ 1.10)"),
        "`lossedu.categorical_crossentropy(y, z, True, label_smoothing=s)`"),
    Row("binary", N_("sigmoid / binary CE"),
        "`tf.losses.sigmoid_cross_entropy(y, z, label_smoothing=s)`",
        N_("no argument: `labels=y * (1 - s) + s / 2`"),
        "`BinaryCrossentropy(from_logits=True, label_smoothing=s)`",
        N_("no argument: smooth `target` yourself"),
        "`lossedu.binary_crossentropy(y, z, True, label_smoothing=s)`",
        N_("C = 2 here: labels move to s/2 and 1 − s/2")),
    Row("sparse", N_("sparse labels"),
        N_("no `label_smoothing` in `tf.losses.sparse_softmax_cross_entropy` (`TypeError`)"),
        N_("`tf.one_hot(k, C)` first, then as above"),
        N_("no `label_smoothing` in `SparseCategoricalCrossentropy` (`TypeError`): "
           "one-hot, then `CategoricalCrossentropy`"),
        N_("`nn.CrossEntropyLoss(label_smoothing=s)` works with class indices"),
        N_("none either (`TypeError`): `categorical_crossentropy(one_hot(k, C), z, True, "
           "label_smoothing=s)`"),
        N_("absent from the sparse Keras loss; PyTorch has it")),
))


INTRO = N_("""Smoothing moves every one-hot label towards the uniform distribution:
`y · (1 − s) + s / C`. The dense losses have the argument; Keras's sparse loss does not (one-hot
your labels first), while PyTorch's `CrossEntropyLoss` accepts it with class indices.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    tf, v1, keras, F, nn, T = lib.tf, lib.v1, lib.keras, lib.F, lib.nn, lib.T
    z, y, k, R = Z, Y, K, v1.losses.Reduction
    s, C = 0.1, 3
    CCE, BCE = keras.losses.CategoricalCrossentropy, keras.losses.BinaryCrossentropy

    smoothed = check.agree(
        "categorical",
        tf1=v1.losses.softmax_cross_entropy(y, z, label_smoothing=s, reduction=R.NONE),
        tf2=tf.nn.softmax_cross_entropy_with_logits(labels=y * (1 - s) + s / C, logits=z),
        keras=CCE(from_logits=True, label_smoothing=s, reduction=None)(y, z),
        torch=lambda: nn.CrossEntropyLoss(label_smoothing=s, reduction="none")(T(z), T(y)),
        lossedu=lossedu.categorical_crossentropy(y, z, True, label_smoothing=s))
    check.agree("categorical", expected=y * (1 - s) + s / C, lossedu=lossedu.smooth_labels(y, s))

    check.agree("binary",
                tf1=v1.reduce_mean(v1.losses.sigmoid_cross_entropy(
                    y, z, label_smoothing=s, reduction=R.NONE), -1),
                tf2=tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
                    labels=y * (1 - s) + s / 2, logits=z), -1),
                keras=BCE(from_logits=True, label_smoothing=s, reduction=None)(y, z),
                torch=lambda: F.binary_cross_entropy_with_logits(
                    T(z), T(y * (1 - s) + s / 2), reduction="none").mean(1),
                lossedu=lossedu.binary_crossentropy(y, z, True, label_smoothing=s))
    check.fact("binary", "torch",
               lambda: "label_smoothing" not in inspect.signature(nn.BCEWithLogitsLoss).parameters,
               _("BCEWithLogitsLoss has no label_smoothing"))

    check.raises("sparse", TypeError, match=r"unexpected keyword argument 'label_smoothing'",
                 tf1=lambda: v1.losses.sparse_softmax_cross_entropy(k, z, label_smoothing=s),
                 keras=lambda: keras.losses.SparseCategoricalCrossentropy(label_smoothing=s),
                 lossedu=lambda: lossedu.sparse_categorical_crossentropy(k, z, True,
                                                                        label_smoothing=s))
    check.raises("sparse", TypeError, match=r"unexpected keyword argument 'label_smoothing'",
                 keras=lambda: keras.losses.sparse_categorical_crossentropy(k, z, True,
                                                                           label_smoothing=s))
    check.agree("sparse", expected=smoothed,
                tf2=tf.nn.softmax_cross_entropy_with_logits(
                    labels=tf.one_hot(k, C) * (1 - s) + s / C, logits=z),
                keras=CCE(from_logits=True, label_smoothing=s, reduction=None)(
                    keras.ops.one_hot(k, C), z),
                torch=lambda: nn.CrossEntropyLoss(label_smoothing=s, reduction="none")(
                    T(z), T(k)),
                lossedu=lossedu.categorical_crossentropy(lossedu.one_hot(k, C), z, True,
                                                         label_smoothing=s))
