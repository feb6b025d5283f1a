"""Reductions and sample weights, and Keras 3's missing `Reduction.AUTO`: the table, its checks."""

from __future__ import annotations

import inspect

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import K3, Z3, W
from lossedu.lessons.cheat_sheet.schema import NONE, Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("reductions", N_("Reductions and sample weights"),
    N_("Per-example losses `l` for three examples, weights `w = [1, 0.5, 0]`."), (
    Row("default", N_("default reduction"),
        "`tf.losses.*`: `Reduction.SUM_BY_NONZERO_WEIGHTS`",
        N_("— `tf.nn` never reduces: `tf.reduce_mean(l)`"),
        "`\"sum_over_batch_size\"` (= `\"mean\"`)",
        "`reduction='mean'`",
        "`lossedu.reduce_loss(l)`",
        N_("without weights all of them give the mean")),
    Row("weighted", N_("with sample weights"),
        "`tf.losses.…(…, weights=w)`: `sum(w·l) / count(w ≠ 0)`",
        "`tf.reduce_sum(w * l) / tf.size(l)`",
        N_("`loss(y, z, sample_weight=w)`: `sum(w·l) / B`, not `/ sum(w)`"),
        N_("no sample weights (`weight=` is per class): `(l * w).mean()`"),
        "`lossedu.reduce_loss(l, sample_weight=w)`",
        N_("three divisors: TF1 counts nonzero weights, Keras counts examples")),
    Row("weighted_mean", N_("divide by `sum(w)`"),
        "`reduction=tf.losses.Reduction.MEAN`",
        "`tf.reduce_sum(w * l) / tf.reduce_sum(w)`",
        "`reduction=\"mean_with_sample_weight\"`",
        "`(l * w).sum() / w.sum()`",
        "`lossedu.reduce_loss(l, \"mean_with_sample_weight\", w)`"),
    Row("sum", N_("sum"),
        "`reduction=tf.losses.Reduction.SUM`", "`tf.reduce_sum(l)`",
        "`reduction=\"sum\"`", "`reduction='sum'`",
        "`lossedu.reduce_loss(l, \"sum\")`"),
    Row("none", N_("no reduction"),
        "`reduction=tf.losses.Reduction.NONE`", N_("`tf.nn.*` (per example)"),
        N_("`reduction=None` or `\"none\"`"), "`reduction='none'`",
        "`lossedu.reduce_loss(l, None)`"),
    Row("auto", "`Reduction.AUTO`",
        N_("`tf.keras.losses.Reduction.AUTO`: the `tf.keras` default †"),
        N_("`tf.keras.losses.Reduction.AUTO` still exists in TF 2.21, but Keras 3 rejects "
           "it: `ValueError`"),
        N_("`keras.losses.Reduction` is gone; `reduction=\"auto\"` → `ValueError`"),
        NONE,
        N_("`lossedu.reduce_loss(l, \"auto\")` → `ReductionError` with the fix"),
        N_("removed in Keras 3: delete the argument; its meaning is now the default "
           "`\"sum_over_batch_size\"`"),
        documented=("tf1",)),
))


INTRO = N_("""Without weights every library takes the mean. With weights they part ways: TF1's
`tf.losses` divide by the number of *nonzero* weights, Keras's default divides by the number of
examples, and only `"mean_with_sample_weight"` divides by the sum of the weights. `Reduction.AUTO`
is gone from Keras 3, though TF 2.21 still defines the name.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    l = lib.tf.nn.sparse_softmax_cross_entropy_with_logits(labels=K3, logits=Z3).numpy()
    _default_and_weighted(check, lib, l)
    _the_other_reductions(check, lib, l)


def _default_and_weighted(check, lib, l) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    z3, k3, w, SCCE, R = Z3, K3, W, keras.losses.SparseCategoricalCrossentropy, v1.losses.Reduction
    check.agree("default", expected=l.mean(),
                tf1=v1.losses.sparse_softmax_cross_entropy(k3, z3),
                tf2=tf.reduce_mean(l),
                keras=SCCE(from_logits=True)(k3, z3),
                torch=lambda: F.cross_entropy(T(z3), T(k3)),
                lossedu=lossedu.reduce_loss(l))
    check.agree("default", expected=l.mean(),
                keras=SCCE(from_logits=True, reduction="mean")(k3, z3))
    tf1_default = inspect.signature(v1.losses.sparse_softmax_cross_entropy).parameters["reduction"]
    check.fact("default", "tf1", tf1_default.default == R.SUM_BY_NONZERO_WEIGHTS,
               _("tf.losses default: {default}").format(default=repr(tf1_default.default)))
    check.fact("default", "keras", SCCE().reduction == "sum_over_batch_size",
               _("Keras default: 'sum_over_batch_size'"))
    check.fact("default", "torch",
               lambda: inspect.signature(F.cross_entropy).parameters["reduction"].default == "mean",
               _("PyTorch default: 'mean'"))
    check.fact("default", "lossedu",
               inspect.signature(lossedu.reduce_loss).parameters["reduction"].default
               == "sum_over_batch_size", _("lossedu default: 'sum_over_batch_size'"))

    by_nonzero, by_count, by_weight = (w * l).sum() / 2, (w * l).sum() / 3, (w * l).sum() / 1.5
    check.agree("weighted", expected=by_nonzero,
                tf1=v1.losses.sparse_softmax_cross_entropy(k3, z3, weights=w))
    check.agree("weighted", expected=by_count,
                tf2=tf.reduce_sum(w * l) / tf.cast(tf.size(l), tf.float32),
                keras=SCCE(from_logits=True)(k3, z3, sample_weight=w),
                torch=lambda: (F.cross_entropy(T(z3), T(k3), reduction="none") * T(w)).mean(),
                lossedu=lossedu.reduce_loss(l, sample_weight=w))
    check.fact("weighted", "keras", len({round(float(v), 6) for v in
                                         (by_nonzero, by_count, by_weight)}) == 3,
               _("three divisors, three answers: {a:.4f}, {b:.4f}, {c:.4f}").format(
                   a=by_nonzero, b=by_count, c=by_weight))


def _the_other_reductions(check, lib, l) -> None:
    tf, v1, keras, F, T = lib.tf, lib.v1, lib.keras, lib.F, lib.T
    z3, k3, w, SCCE, R = Z3, K3, W, keras.losses.SparseCategoricalCrossentropy, v1.losses.Reduction
    by_weight = (w * l).sum() / 1.5   # the weights sum to 1.5
    check.agree("weighted_mean", expected=by_weight,
                tf1=v1.losses.sparse_softmax_cross_entropy(k3, z3, weights=w, reduction=R.MEAN),
                tf2=tf.reduce_sum(w * l) / tf.reduce_sum(w),
                keras=SCCE(from_logits=True, reduction="mean_with_sample_weight")(
                    k3, z3, sample_weight=w),
                torch=lambda: (F.cross_entropy(T(z3), T(k3), reduction="none") * T(w)).sum()
                / T(w).sum(),
                lossedu=lossedu.reduce_loss(l, "mean_with_sample_weight", w))

    check.agree("sum", expected=l.sum(),
                tf1=v1.losses.sparse_softmax_cross_entropy(k3, z3, reduction=R.SUM),
                tf2=tf.reduce_sum(l), keras=SCCE(from_logits=True, reduction="sum")(k3, z3),
                torch=lambda: F.cross_entropy(T(z3), T(k3), reduction="sum"),
                lossedu=lossedu.reduce_loss(l, "sum"))

    check.agree("none", expected=l,
                tf1=v1.losses.sparse_softmax_cross_entropy(k3, z3, reduction=R.NONE),
                tf2=tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k3, logits=z3),
                keras=SCCE(from_logits=True, reduction=None)(k3, z3),
                torch=lambda: F.cross_entropy(T(z3), T(k3), reduction="none"),
                lossedu=lossedu.reduce_loss(l, None))
    check.agree("none", expected=l, keras=SCCE(from_logits=True, reduction="none")(k3, z3),
                lossedu=lossedu.reduce_loss(l, "none"))

    check.fact("auto", "tf2", tf.keras.losses.Reduction.AUTO == "auto",
               _("tf.keras.losses.Reduction.AUTO still exists in TF 2.21: 'auto'"))
    check.raises("auto", ValueError, match=r"Invalid value for argument `reduction`",
                 tf2=lambda: tf.keras.losses.SparseCategoricalCrossentropy(
                     reduction=tf.keras.losses.Reduction.AUTO),
                 keras=lambda: SCCE(reduction="auto"))
    check.fact("auto", "keras", not hasattr(keras.losses, "Reduction"),
               _("keras.losses.Reduction is gone"))
    check.raises("auto", lossedu.ReductionError, match=r"\"auto\" \(Reduction.AUTO\)[^;]*",
                 lossedu=lambda: lossedu.reduce_loss(l, "auto"))
