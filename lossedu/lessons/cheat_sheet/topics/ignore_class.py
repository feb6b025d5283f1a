"""Ignoring a class (padding, unlabelled examples): the table and its checks."""

from __future__ import annotations

import inspect

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import Z3
from lossedu.lessons.cheat_sheet.schema import Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("ignore_class", N_("Ignoring a class (padding, unlabelled examples)"),
    N_("Labels `k = [2, -100, 0]`: the middle example must not count."), (
    Row("argument", N_("the argument"),
        N_("none: `weights=mask` with `mask = k != -100`, and a valid index in place of -100"),
        N_("none: replace -100 by 0, then `tf.reduce_sum(mask * l) / tf.reduce_sum(mask)`"),
        N_("`SparseCategoricalCrossentropy(ignore_class=None)`: off unless you set it"),
        N_("`nn.CrossEntropyLoss(ignore_index=-100)`: on by default"),
        N_("`sparse_categorical_crossentropy(k, z, True, ignore_class=-100)`, then "
           "`reduce_loss(…, mask=k != -100)`"),
        N_("PyTorch ignores -100 by default; Keras ignores nothing unless `ignore_class` is set")),
    Row("per_example", N_("per-example output"),
        N_("`tf.losses.…(…, weights=mask, reduction=Reduction.NONE)`: 0 where ignored"),
        "`l * mask`",
        N_("`sparse_categorical_crossentropy(…, ignore_class=-100)`: 0 where ignored"),
        N_("`reduction='none'`: 0 where ignored"),
        N_("0 where ignored"),
        N_("the mean divides by the kept examples, not by B")),
    Row("unhandled", N_("a -100 label, not ignored"),
        "`InvalidArgumentError` (CPU)",
        N_("`InvalidArgumentError` on CPU; NaN rows on GPU †"),
        "`InvalidArgumentError` (CPU)",
        N_("ignored: `ignore_index=-100` is the default"),
        N_("`LabelValueError` with the fix"),
        N_("padding copied from PyTorch code crashes TF on CPU")),
))


INTRO = N_("""PyTorch's `CrossEntropyLoss` skips targets equal to `-100` unless told otherwise
(`ignore_index=-100`), so PyTorch code often pads with `-100`. Keras's `ignore_class` is `None` by
default: the same labels crash TensorFlow on CPU. The TF docs say a GPU returns NaN rows instead;
that was not run here (no GPU).""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    tf, v1, keras, F, nn, T = lib.tf, lib.v1, lib.keras, lib.F, lib.nn, lib.T
    z3, R, SCCE = Z3, v1.losses.Reduction, keras.losses.SparseCategoricalCrossentropy
    k_pad = np.array([2, -100, 0])              # the middle example is padding
    mask = (k_pad != -100).astype(np.float32)
    safe = np.where(k_pad == -100, 0, k_pad)    # any valid index in its place
    l_safe = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=safe, logits=z3).numpy()
    kept_mean = (mask * l_safe).sum() / mask.sum()

    check.agree("argument", expected=kept_mean,
                tf1=v1.losses.sparse_softmax_cross_entropy(safe, z3, weights=mask),
                tf2=tf.reduce_sum(mask * l_safe) / tf.reduce_sum(mask),
                keras=SCCE(from_logits=True, ignore_class=-100)(k_pad, z3),
                torch=lambda: nn.CrossEntropyLoss()(T(z3), T(k_pad)),
                lossedu=lossedu.reduce_loss(
                    lossedu.sparse_categorical_crossentropy(k_pad, z3, True, ignore_class=-100),
                    mask=k_pad != -100))
    check.fact("argument", "keras", SCCE().get_config()["ignore_class"] is None,
               _("Keras: ignore_class=None by default"))
    check.fact("argument", "torch",
               lambda: inspect.signature(nn.CrossEntropyLoss).parameters["ignore_index"].default
               == -100, _("PyTorch: ignore_index=-100 by default"))

    check.agree("per_example", expected=mask * l_safe,
                tf1=v1.losses.sparse_softmax_cross_entropy(safe, z3, weights=mask,
                                                           reduction=R.NONE),
                tf2=l_safe * mask,
                keras=keras.losses.sparse_categorical_crossentropy(k_pad, z3, from_logits=True,
                                                                   ignore_class=-100),
                torch=lambda: F.cross_entropy(T(z3), T(k_pad), reduction="none"),
                lossedu=lossedu.sparse_categorical_crossentropy(k_pad, z3, True,
                                                                ignore_class=-100))

    check.raises("unhandled", tf.errors.InvalidArgumentError,
                 match=r"Received a label value of -100 which is outside the valid range "
                       r"of \[0, 3\)",
                 tf1=lambda: v1.nn.sparse_softmax_cross_entropy_with_logits(labels=k_pad,
                                                                           logits=z3),
                 tf2=lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k_pad,
                                                                           logits=z3),
                 keras=lambda: SCCE(from_logits=True)(k_pad, z3))
    check.agree("unhandled", expected=kept_mean,
                torch=lambda: F.cross_entropy(T(z3), T(k_pad)))
    check.raises("unhandled", lossedu.LabelValueError, match=r"got a label value of -100[^.]*",
                 lossedu=lambda: lossedu.sparse_categorical_crossentropy(k_pad, z3, True))
