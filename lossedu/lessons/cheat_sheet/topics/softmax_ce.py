"""Softmax cross-entropy from logits, one-hot and sparse: the table and its checks.

The notebook's core: it runs this table with every check printed.
"""

from __future__ import annotations

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import QUESTION_CE, K, Y, Z
from lossedu.lessons.cheat_sheet.libs import params
from lossedu.lessons.cheat_sheet.schema import NONE, Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("softmax_ce", N_("Softmax cross-entropy from logits: one-hot and sparse labels"),
    N_("One loss per example, shape (B,). The Stack Overflow question: y = [[0,1,0],[0,0,1]], "
       "z = [[0.5,1.5,0.1],[2.2,1.3,1.7]] give [0.4790107, 1.1996760]."), (
    Row("one_hot", N_("one-hot labels"),
        "`tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)`",
        "`tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)`",
        "`keras.losses.categorical_crossentropy(y, z, from_logits=True)`",
        N_("`F.cross_entropy(z, y, reduction='none')` (probability targets, torch ≥ 1.10)"),
        "`lossedu.softmax_cross_entropy_with_logits(y, z)`",
        N_("the result has shape (B,), not (B, 1) as the cnblogs post says")),
    Row("v2", N_("`_v2` naming"),
        N_("`…_with_logits`: no gradient into `labels`, deprecated\n"
           "`…_with_logits_v2`: gradient into `labels`"),
        N_("`tf.nn.softmax_cross_entropy_with_logits` is the old `_v2`; "
           "`tf.nn.…_v2` no longer exists"),
        NONE, NONE,
        N_("the TF2 name, `softmax_cross_entropy_with_logits`"),
        N_("drop `_v2` when porting; there is no sparse `_v2`")),
    Row("sparse", N_("sparse labels"),
        "`tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=z)`",
        "`tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=z)`",
        "`keras.losses.sparse_categorical_crossentropy(k, z, from_logits=True)`",
        "`F.cross_entropy(z, k, reduction='none')` (`k` int64)",
        "`lossedu.sparse_softmax_cross_entropy_with_logits(k, z)`",
        N_("labels are int32/int64 class indices in [0, C)")),
    Row("sparse_shape", N_("sparse label shape"),
        N_("`k` of shape (B,): rank of logits − 1;\n(B, 1) → `ValueError`"),
        N_("`k` of shape (B,): rank of logits − 1;\n(B, 1) → `ValueError`"),
        N_("squeezes a trailing 1: (B, 1) works"),
        N_("`k` of shape (N,); (N, 1) → `RuntimeError`"),
        N_("tf.nn-style: (B, 1) → `LabelShapeError` with the fix\nKeras-style: squeezes"),
        N_("the cnblogs post's `[batch_size, 1]` labels fail in tf.nn: `k.squeeze(-1)`")),
    Row("order", N_("argument order"),
        N_("keyword-only: a `_sentinel` first parameter refuses positional calls †"),
        N_("`(labels, logits)`: positional works, keywords read better"),
        "`(y_true, y_pred)`",
        N_("`(input, target)`: logits first"),
        N_("`(labels, logits)`, `(y_true, y_pred)` as in TF and Keras"),
        N_("PyTorch reverses the order: pass keywords when porting"),
        documented=("tf1",)),
    Row("distribution", N_("labels not a distribution"),
        N_("not checked: a row `[0, 2, 0]` doubles the loss"),
        N_("not checked: a row `[0, 2, 0]` doubles the loss"),
        N_("not checked: a row `[0, 2, 0]` doubles the loss"), N_("not checked †"),
        N_("`LabelValueError` (`validate=False` to skip)"),
        N_("softmax CE assumes each label row sums to 1"),
        documented=("torch",)),
))


INTRO = N_("""The core of every classifier. In TF2 the plain name *is* TF1's `_v2`. The sparse loss
wants labels of shape (B,); the cnblogs post's `[batch_size, 1]` fails in `tf.nn` and works in
Keras. And PyTorch puts the logits first.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    _one_hot_and_v2(check, lib)
    _sparse(check, lib)
    _order_and_distribution(check, lib)


def _one_hot_and_v2(check, lib) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    z, y = Z, Y
    check.agree("one_hot", expected=QUESTION_CE,
                tf1=v1.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z),
                tf2=tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z),
                keras=keras.losses.categorical_crossentropy(y, z, from_logits=True),
                torch=lambda: F.cross_entropy(T(z), T(y), reduction="none"),
                lossedu=lossedu.softmax_cross_entropy_with_logits(y, z))

    # _v2: the same values; only the gradient with respect to the labels differs
    labels = tf.Variable(y)
    with tf.GradientTape(persistent=True) as tape:
        old = v1.nn.softmax_cross_entropy_with_logits(labels=labels, logits=z)
        new = v1.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=z)
        now = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=z)
    check.agree("v2", expected=QUESTION_CE, tf1=old, tf2=now,
                lossedu=lossedu.softmax_cross_entropy_with_logits(y, z))
    check.agree("v2", expected=QUESTION_CE, tf1=new)
    check.fact("v2", "tf1", tape.gradient(old, labels) is None,
               _("the name without _v2 lets no gradient into `labels`"))
    check.agree("v2", expected=-lossedu.log_softmax(z), tf1=tape.gradient(new, labels),
                tf2=tape.gradient(now, labels))
    check.fact("v2", "tf2", not hasattr(tf.nn, "softmax_cross_entropy_with_logits_v2"),
               _("tf.nn.softmax_cross_entropy_with_logits_v2 does not exist in TF2"))
    check.fact("v2", "tf1", not hasattr(v1.nn, "sparse_softmax_cross_entropy_with_logits_v2"),
               _("there never was a sparse _v2"))
    check.fact("v2", "lossedu", not hasattr(lossedu, "softmax_cross_entropy_with_logits_v2"),
               _("lossedu has only the TF2 name"))


def _sparse(check, lib) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    z, k = Z, K
    check.agree("sparse", expected=QUESTION_CE,
                tf1=v1.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=z),
                tf2=tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=z),
                keras=keras.losses.sparse_categorical_crossentropy(k, z, from_logits=True),
                torch=lambda: F.cross_entropy(T(z), T(k), reduction="none"),
                lossedu=lossedu.sparse_softmax_cross_entropy_with_logits(k, z))
    check.raises("sparse", tf.errors.InvalidArgumentError,
                 match=r"not in the list of allowed values: int32, int64",
                 tf2=lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
                     labels=k.astype(np.float32), logits=z))

    col = k[:, None]   # shape (2, 1): the cnblogs post's [batch_size, 1]
    check.raises("sparse_shape", ValueError,
                 match=r"`labels.shape.rank` must equal `logits.shape.rank - 1`",
                 tf1=lambda: v1.nn.sparse_softmax_cross_entropy_with_logits(labels=col, logits=z),
                 tf2=lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=col, logits=z))
    check.raises("sparse_shape", (RuntimeError, ValueError),
                 torch=lambda: F.cross_entropy(T(z), T(col)))
    check.agree("sparse_shape", expected=QUESTION_CE,
                keras=keras.losses.sparse_categorical_crossentropy(col, z, from_logits=True),
                lossedu=lossedu.sparse_categorical_crossentropy(col, z, from_logits=True))
    check.raises("sparse_shape", lossedu.LabelShapeError, match=r"fix: .*",
                 lossedu=lambda: lossedu.sparse_softmax_cross_entropy_with_logits(col, z))


def _order_and_distribution(check, lib) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    z, k = Z, K
    # argument order: positional calls, then the parameter names
    check.agree("order", expected=QUESTION_CE,
                tf2=tf.nn.sparse_softmax_cross_entropy_with_logits(k, z),
                keras=keras.losses.sparse_categorical_crossentropy(k, z, True),
                torch=lambda: F.cross_entropy(T(z), T(k), reduction="none"),
                lossedu=lossedu.sparse_softmax_cross_entropy_with_logits(k, z))
    check.fact("order", "tf2",
               params(tf.nn.sparse_softmax_cross_entropy_with_logits) == ["labels", "logits"],
               _("tf.nn takes (labels, logits)"))
    check.fact("order", "keras",
               params(keras.losses.sparse_categorical_crossentropy) == ["y_true", "y_pred"]
               and params(keras.losses.Loss.__call__, 3)[1:] == ["y_true", "y_pred"],
               _("Keras takes (y_true, y_pred), functions and loss objects alike"))
    check.fact("order", "torch", lambda: params(F.cross_entropy) == ["input", "target"],
               _("PyTorch takes (input, target): logits first"))
    check.fact("order", "lossedu",
               params(lossedu.sparse_softmax_cross_entropy_with_logits) == ["labels", "logits"]
               and params(lossedu.sparse_categorical_crossentropy) == ["y_true", "y_pred"],
               _("lossedu takes (labels, logits) and (y_true, y_pred)"))

    y_bad = np.array([[0, 2, 0], [0, 0, 1]], np.float32)   # the first row sums to 2
    check.agree("distribution", expected=[2 * QUESTION_CE[0], QUESTION_CE[1]],
                tf1=v1.nn.softmax_cross_entropy_with_logits_v2(labels=y_bad, logits=z),
                tf2=tf.nn.softmax_cross_entropy_with_logits(labels=y_bad, logits=z),
                keras=keras.losses.categorical_crossentropy(y_bad, z, from_logits=True))
    check.raises("distribution", lossedu.LabelValueError, match=r"got a row summing to 2",
                 lossedu=lambda: lossedu.softmax_cross_entropy_with_logits(y_bad, z))
