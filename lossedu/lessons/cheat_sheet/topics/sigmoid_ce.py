"""Sigmoid cross-entropy, for independent yes/no labels: the table and its checks."""

from __future__ import annotations

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import QUESTION_CE, P, Y, Z
from lossedu.lessons.cheat_sheet.schema import Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("sigmoid_ce", N_("Sigmoid cross-entropy: independent yes/no labels (multi-label)"),
    N_("`y` has the logits' shape; each entry is 0/1 (or a probability)."), (
    Row("elementwise", N_("element-wise loss (B, C)"),
        "`tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)`",
        "`tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)`",
        "`keras.ops.binary_crossentropy(y, z, from_logits=True)`",
        "`F.binary_cross_entropy_with_logits(z, y, reduction='none')`",
        "`lossedu.sigmoid_cross_entropy_with_logits(y, z)`",
        N_("for mutually exclusive classes use softmax CE: summed binary CE is another model "
           "(the Stack Overflow question)")),
    Row("per_example", N_("one loss per example (B,)"),
        "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…), -1)`",
        "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…), -1)`",
        "`keras.losses.binary_crossentropy(y, z, from_logits=True)`",
        "`F.binary_cross_entropy_with_logits(z, y, reduction='none').mean(1)`",
        "`lossedu.binary_crossentropy(y, z, from_logits=True)`",
        N_("the Keras function averages over the last axis: (B,), not (B, C)")),
    Row("scalar", N_("one number"),
        "`tf.losses.sigmoid_cross_entropy(y, z)`",
        "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…))`",
        "`keras.losses.BinaryCrossentropy(from_logits=True)(y, z)`",
        "`nn.BCEWithLogitsLoss()(z, y)`",
        "`lossedu.reduce_loss(lossedu.binary_crossentropy(y, z, True))`"),
    Row("probabilities", N_("from probabilities"),
        N_("`tf.losses.log_loss(y, p)` (adds ε = 1e-7 inside the log)"),
        N_("— `tf.nn` takes logits only"),
        N_("`keras.losses.binary_crossentropy(y, p)`: clips `p` to [1e-7, 1 − 1e-7]"),
        N_("`F.binary_cross_entropy(p, y)` (clamps the log at −100)"),
        "`lossedu.binary_crossentropy(y, p)`",
        N_("`from_logits=False` is the Keras default: it wants probabilities")),
))


INTRO = N_("""One loss per label, for multi-label problems. Keras's `binary_crossentropy` function
then averages over the last axis. The Stack Overflow question's asker summed binary cross-entropy
over the classes of a softmax output and got a different number from softmax cross-entropy: they
are two different models (independent Bernoullis against one categorical distribution), so the
numbers should differ.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    tf, v1, keras, F, nn, T = lib.tf, lib.v1, lib.keras, lib.F, lib.nn, lib.T
    z, y, p = Z, Y, P
    elementwise = check.agree(
        "elementwise",
        tf1=v1.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z),
        tf2=tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z),
        keras=keras.ops.binary_crossentropy(y, z, from_logits=True),
        torch=lambda: F.binary_cross_entropy_with_logits(T(z), T(y), reduction="none"),
        lossedu=lossedu.sigmoid_cross_entropy_with_logits(y, z))
    # the Stack Overflow question: binary CE summed over the classes of the softmax output
    # is another number
    summed = check.agree("elementwise", expected=[0.90335299, 2.11193571],
                         keras=3 * keras.losses.binary_crossentropy(y, p),
                         lossedu=3 * lossedu.binary_crossentropy(y, p))
    check.fact("elementwise", "lossedu", not np.allclose(summed, QUESTION_CE),
               _("summed binary CE [0.9034 2.1119] is not softmax CE [0.479 1.1997]"))

    check.agree("per_example", expected=elementwise.mean(-1),
                tf1=v1.reduce_mean(v1.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z),
                                   -1),
                tf2=tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z),
                                   -1),
                keras=keras.losses.binary_crossentropy(y, z, from_logits=True),
                torch=lambda: F.binary_cross_entropy_with_logits(
                    T(z), T(y), reduction="none").mean(1),
                lossedu=lossedu.binary_crossentropy(y, z, from_logits=True))

    check.agree("scalar", expected=elementwise.mean(),
                tf1=v1.losses.sigmoid_cross_entropy(y, z),
                tf2=tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)),
                keras=keras.losses.BinaryCrossentropy(from_logits=True)(y, z),
                torch=lambda: nn.BCEWithLogitsLoss()(T(z), T(y)),
                lossedu=lossedu.reduce_loss(lossedu.binary_crossentropy(y, z, True)))

    check.agree("probabilities",
                tf1=v1.reduce_mean(v1.losses.log_loss(y, p, reduction=v1.losses.Reduction.NONE),
                                   -1),
                keras=keras.losses.binary_crossentropy(y, p),
                torch=lambda: F.binary_cross_entropy(T(p), T(y), reduction="none").mean(1),
                lossedu=lossedu.binary_crossentropy(y, p))
    ce_names = [n for n in dir(tf.nn) if "cross_entropy" in n]
    check.fact("probabilities", "tf2", all(n.endswith("_with_logits") for n in ce_names),
               _("every tf.nn cross-entropy takes logits: {names}").format(
                   names=", ".join(ce_names)))
