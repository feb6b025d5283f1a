"""Keras loss classes and functions, and the from_logits default: the table and its checks."""

from __future__ import annotations

import inspect
import warnings

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import QUESTION_CE, K, P, Y, Z
from lossedu.lessons.cheat_sheet.schema import Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("keras_losses", N_("Keras loss classes and functions"),
    N_("Keras functions return one loss per example; classes reduce to one number."), (
    Row("categorical", N_("one-hot, from logits"),
        "`tf.losses.softmax_cross_entropy(y, z)`",
        "`tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z))`",
        "`keras.losses.CategoricalCrossentropy(from_logits=True)(y, z)`",
        "`nn.CrossEntropyLoss()(z, y)`",
        "`lossedu.reduce_loss(lossedu.categorical_crossentropy(y, z, True))`"),
    Row("sparse", N_("sparse, from logits"),
        "`tf.losses.sparse_softmax_cross_entropy(k, z)`",
        "`tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, "
        "logits=z))`",
        "`keras.losses.SparseCategoricalCrossentropy(from_logits=True)(k, z)`",
        "`nn.CrossEntropyLoss()(z, k)`",
        "`lossedu.reduce_loss(lossedu.sparse_categorical_crossentropy(k, z, True))`",
        N_("PyTorch's `CrossEntropyLoss` always takes logits: it has no `from_logits`")),
    Row("probabilities", N_("from probabilities"),
        N_("`-tf.reduce_sum(y * tf.log(tf.clip_by_value(p, 1e-10, 1.0)), 1)` "
           "(the PoorMemory post)"),
        N_("— `tf.nn` takes logits only"),
        N_("`keras.losses.categorical_crossentropy(y, p)`: normalises, clips to "
           "[1e-7, 1 − 1e-7]"),
        "`F.nll_loss(torch.log(p), k, reduction='none')`",
        "`lossedu.categorical_crossentropy(y, p)`",
        N_("`from_logits=False` is the default: fed raw logits, Keras trains silently badly, "
           "the loss stuck near log 10 ≈ 2.30 and 15–50 % test accuracy instead of about 87 % "
           "(lesson 05)")),
    Row("shapes", N_("function or object"),
        N_("`tf.losses.*` return the mean; `reduction=Reduction.NONE` per example"),
        N_("`tf.nn.*` return (B,)"),
        N_("`keras.losses.sparse_categorical_crossentropy(…)` → (B,)\n"
           "`keras.losses.SparseCategoricalCrossentropy(…)(…)` → scalar"),
        N_("`F.cross_entropy(…)` → scalar\n`reduction='none'` → (N,)"),
        N_("`lossedu.sparse_categorical_crossentropy` → (B,)\n`lossedu.reduce_loss` → scalar"),
        N_("Keras functions do not reduce; PyTorch functions do")),
))


INTRO = N_("""The loss *functions* return one value per example; the loss *objects* (the classes)
reduce to one number. `from_logits=False` is the default, so a model whose last layer is linear
must say `from_logits=True`: otherwise Keras treats the logits as probabilities, normalises and
clips them, and trains badly without a word (lesson 05). PyTorch's `CrossEntropyLoss` has no such
switch: it always takes logits.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    _reduced(check, lib)
    _probabilities(check, lib)


def _reduced(check, lib) -> None:
    tf, v1, keras, F, nn, T = lib.tf, lib.v1, lib.keras, lib.F, lib.nn, lib.T
    z, y, k = Z, Y, K
    question_mean = np.mean(QUESTION_CE)
    check.agree("categorical", expected=question_mean,
                tf1=v1.losses.softmax_cross_entropy(y, z),
                tf2=tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)),
                keras=keras.losses.CategoricalCrossentropy(from_logits=True)(y, z),
                torch=lambda: nn.CrossEntropyLoss()(T(z), T(y)),
                lossedu=lossedu.reduce_loss(lossedu.categorical_crossentropy(y, z, True)))

    check.agree("sparse", expected=question_mean,
                tf1=v1.losses.sparse_softmax_cross_entropy(k, z),
                tf2=tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k,
                                                                                  logits=z)),
                keras=keras.losses.SparseCategoricalCrossentropy(from_logits=True)(k, z),
                torch=lambda: nn.CrossEntropyLoss()(T(z), T(k)),
                lossedu=lossedu.reduce_loss(lossedu.sparse_categorical_crossentropy(k, z, True)))
    check.fact("sparse", "torch",
               lambda: "from_logits" not in inspect.signature(nn.CrossEntropyLoss).parameters,
               _("CrossEntropyLoss has no from_logits: it always takes logits"))

    none = v1.losses.Reduction.NONE
    check.agree("shapes", expected=QUESTION_CE,
                tf1=v1.losses.sparse_softmax_cross_entropy(k, z, reduction=none),
                tf2=tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=z),
                keras=keras.losses.sparse_categorical_crossentropy(k, z, from_logits=True),
                torch=lambda: F.cross_entropy(T(z), T(k), reduction="none"),
                lossedu=lossedu.sparse_categorical_crossentropy(k, z, from_logits=True))
    check.agree("shapes", expected=question_mean,
                tf1=v1.losses.sparse_softmax_cross_entropy(k, z),
                keras=keras.losses.SparseCategoricalCrossentropy(from_logits=True)(k, z),
                torch=lambda: F.cross_entropy(T(z), T(k)),
                lossedu=lossedu.reduce_loss(lossedu.sparse_categorical_crossentropy(k, z, True)))


def _probabilities(check, lib) -> None:
    tf, v1, keras, F, torch, T = lib.tf, lib.v1, lib.keras, lib.F, lib.torch, lib.T
    z, y, k, p = Z, Y, K, P
    # probabilities (the default from_logits=False): the PoorMemory post's manual TF1 formula agrees
    check.agree("probabilities", expected=QUESTION_CE,
                tf1=-v1.reduce_sum(y * v1.log(v1.clip_by_value(p, 1e-10, 1.0)), 1),
                keras=keras.losses.categorical_crossentropy(y, p),
                torch=lambda: F.nll_loss(torch.log(T(p)), T(k), reduction="none"),
                lossedu=lossedu.categorical_crossentropy(y, p))
    check.fact("probabilities", "tf2",
               all(n.endswith("_with_logits") for n in dir(tf.nn) if "cross_entropy" in n),
               _("tf.nn has no cross-entropy on probabilities"))
    # ... and the pitfall: raw logits with the default. Keras is silent; lossedu warns.
    with warnings.catch_warnings(record=True) as keras_warned:
        warnings.simplefilter("always")
        pitfall = keras.losses.categorical_crossentropy(y, z)
    with warnings.catch_warnings(record=True) as lossedu_warned:
        warnings.simplefilter("always")
        pitfall_np = lossedu.categorical_crossentropy(y, z)
    check.agree("probabilities", keras=pitfall, lossedu=pitfall_np)
    check.fact("probabilities", "keras", not keras_warned and not np.allclose(pitfall, QUESTION_CE),
               _("logits with the default from_logits=False: a wrong loss, and no warning"))
    check.fact("probabilities", "lossedu",
               [w.category.__name__ for w in lossedu_warned] == ["LogitsAsProbabilitiesWarning"],
               _("lossedu warns: LogitsAsProbabilitiesWarning"))
