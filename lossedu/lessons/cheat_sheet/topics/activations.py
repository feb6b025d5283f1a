"""Activations, logs and one-hot: the table, and the checks behind its cells."""

from __future__ import annotations

import numpy as np

import lossedu
from lossedu.i18n import N_, _
from lossedu.lessons.cheat_sheet.inputs import QUESTION_CE, K, P, Y, Z
from lossedu.lessons.cheat_sheet.schema import Row, Table

__all__ = ["TABLE", "INTRO", "run"]

TABLE = Table("activations", N_("Activations, logs and one-hot"),
    N_("Element-wise or along the class axis; same values everywhere."), (
    Row("evaluate", N_("get a value out"),
        "`with tf.Session() as s:`\n`s.run(t)`",
        N_("`t.numpy()` (eager)"),
        "`keras.ops.convert_to_numpy(t)`",
        "`t.detach().numpy()`",
        N_("returns NumPy arrays"),
        N_("TF1 builds a graph: nothing runs until `Session.run`")),
    Row("sigmoid", "sigmoid",
        "`tf.sigmoid(z)`", "`tf.math.sigmoid(z)`", "`keras.ops.sigmoid(z)`",
        "`torch.sigmoid(z)`", "`lossedu.sigmoid(z)`"),
    Row("logit", N_("logit (log-odds)"),
        N_("— write `tf.log(p / (1 - p))`"),
        N_("— no `tf.math.logit`:\n`tf.math.log(p) - tf.math.log1p(-p)`"),
        N_("— no `keras.ops.logit`:\n`keras.ops.log(p / (1 - p))`"),
        "`torch.logit(p)`", "`lossedu.logit(p)`",
        N_("only PyTorch and lossedu have a `logit` function")),
    Row("log", N_("natural log"),
        "`tf.log(x)`", "`tf.math.log(x)`", "`keras.ops.log(x)`", "`torch.log(x)`",
        "`np.log(x)`",
        N_("`tf.log` is gone in TF2 (`AttributeError`)")),
    Row("softmax", "softmax",
        "`tf.nn.softmax(z, dim=-1)`", "`tf.nn.softmax(z, axis=-1)`",
        "`keras.ops.softmax(z, axis=-1)`", "`F.softmax(z, dim=1)`",
        "`lossedu.softmax(z, axis=-1)`",
        N_("`dim` became `axis`; PyTorch's class axis is 1 for (N, C, …), TF's the last")),
    Row("log_softmax", "log-softmax",
        "`tf.nn.log_softmax(z, dim=-1)`", "`tf.nn.log_softmax(z, axis=-1)`",
        "`keras.ops.log_softmax(z, axis=-1)`", "`F.log_softmax(z, dim=1)`",
        "`lossedu.log_softmax(z)`",
        N_("not `tf.log(tf.nn.softmax(z))`: `-inf` once a probability underflows")),
    Row("logsumexp", "log-sum-exp",
        "`tf.reduce_logsumexp(z, -1, keep_dims=True)`",
        "`tf.reduce_logsumexp(z, -1, keepdims=True)`",
        "`keras.ops.logsumexp(z, -1, keepdims=True)`",
        "`torch.logsumexp(z, 1, keepdim=True)`",
        "`lossedu.logsumexp(z, -1, keepdims=True)`",
        N_("`keep_dims` → `keepdims`; PyTorch says `keepdim`")),
    Row("one_hot", N_("one-hot"),
        "`tf.one_hot(k, depth)`", "`tf.one_hot(k, depth)`",
        "`keras.ops.one_hot(k, C)`\n`keras.utils.to_categorical(k, C)`",
        "`F.one_hot(k, C)` (int64)", "`lossedu.one_hot(k, depth)`",
        N_("an index ≥ depth gives an all-zero row in TF, silently; lossedu raises")),
))


INTRO = N_("""TF1 code evaluates nothing until a `Session` runs the graph; TF2 is eager. Most names
survived, with their `dim` and `keep_dims` arguments renamed; `tf.log` did not.""")


def run(check, lib) -> None:
    """Check every row: TF1 (through ``tf.compat.v1``), TF2, Keras, PyTorch and lossedu."""
    _values(check, lib)
    _logs_and_one_hot(check, lib)


def _values(check, lib) -> None:
    tf, v1, keras, F, torch, T = lib.tf, lib.v1, lib.keras, lib.F, lib.torch, lib.T
    z, y = Z, Y
    # TF1: build a graph first, then run it in a Session (the PoorMemory post's way)
    graph = tf.Graph()
    with graph.as_default():
        loss_t = v1.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)
        with v1.Session(graph=graph) as sess:
            tf1_value = sess.run(loss_t)
    loss_2 = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)
    check.agree("evaluate", expected=QUESTION_CE, tf1=tf1_value, tf2=loss_2.numpy(),
                keras=keras.ops.convert_to_numpy(loss_2),
                torch=lambda: F.cross_entropy(T(z), T(y), reduction="none").detach().numpy(),
                lossedu=lossedu.softmax_cross_entropy_with_logits(y, z))
    check.fact("evaluate", "lossedu", type(lossedu.softmax(z)) is np.ndarray,
               _("lossedu returns plain NumPy arrays"))

    check.agree("sigmoid", expected=1 / (1 + np.exp(-z.astype(np.float64))),
                tf1=v1.sigmoid(z), tf2=tf.math.sigmoid(z),
                keras=keras.ops.sigmoid(z), torch=lambda: torch.sigmoid(T(z)),
                lossedu=lossedu.sigmoid(z))

    q = np.array([0.1, 0.5, 0.9], np.float32)
    check.agree("logit", expected=[-2.1972246, 0.0, 2.1972246], rtol=1e-5,
                tf1=v1.log(q / (1 - q)), tf2=tf.math.log(q) - tf.math.log1p(-q),
                keras=keras.ops.log(q / (1 - q)), torch=lambda: torch.logit(T(q)),
                lossedu=lossedu.logit(q))
    check.fact("logit", "tf2", not hasattr(tf.math, "logit"), _("there is no tf.math.logit"))
    check.fact("logit", "keras", not hasattr(keras.ops, "logit"), _("there is no keras.ops.logit"))

    check.agree("softmax", tf1=v1.nn.softmax(z, dim=-1), tf2=tf.nn.softmax(z, axis=-1),
                keras=keras.ops.softmax(z, axis=-1), torch=lambda: F.softmax(T(z), dim=1),
                lossedu=lossedu.softmax(z, axis=-1))
    z123 = np.array([[1.0, 2.0, 3.0]], np.float32)   # the PoorMemory post's softmax
    check.agree("softmax", expected=[[0.09003057, 0.24472848, 0.66524094]],
                tf1=v1.nn.softmax(z123, dim=-1), tf2=tf.nn.softmax(z123),
                lossedu=lossedu.softmax(z123))


def _logs_and_one_hot(check, lib) -> None:
    tf, v1, keras, F, torch, T = lib.tf, lib.v1, lib.keras, lib.F, lib.torch, lib.T
    z, y, k, p = Z, Y, K, P
    check.agree("log", tf1=v1.log(p), tf2=tf.math.log(p), keras=keras.ops.log(p),
                torch=lambda: torch.log(T(p)), lossedu=np.log(p))
    check.fact("log", "tf2", not hasattr(tf, "log"), _("tf.log is gone: tf.math.log"))

    check.agree("log_softmax", tf1=v1.nn.log_softmax(z, dim=-1),
                tf2=tf.nn.log_softmax(z, axis=-1), keras=keras.ops.log_softmax(z, axis=-1),
                torch=lambda: F.log_softmax(T(z), dim=1), lossedu=lossedu.log_softmax(z))
    far = np.array([[1000.0, 0.0]], np.float32)
    naive = v1.log(v1.nn.softmax(far)).numpy()
    check.fact("log_softmax", "tf1", bool(np.isneginf(naive[0, 1])),
               f"tf.log(tf.nn.softmax([1000, 0])) = {naive[0].tolist()}")
    check.agree("log_softmax", expected=[[0.0, -1000.0]], tf2=tf.nn.log_softmax(far),
                lossedu=lossedu.log_softmax(far))

    check.agree("logsumexp", tf1=v1.reduce_logsumexp(z, -1, keep_dims=True),
                tf2=tf.reduce_logsumexp(z, -1, keepdims=True),
                keras=keras.ops.logsumexp(z, -1, keepdims=True),
                torch=lambda: torch.logsumexp(T(z), 1, keepdim=True),
                lossedu=lossedu.logsumexp(z, -1, keepdims=True))

    check.agree("one_hot", expected=y, tf1=v1.one_hot(k, 3), tf2=tf.one_hot(k, 3),
                keras=keras.ops.one_hot(k, 3), torch=lambda: F.one_hot(T(k), 3),
                lossedu=lossedu.one_hot(k, 3))
    check.agree("one_hot", expected=y, keras=keras.utils.to_categorical(k, 3))
    check.agree("one_hot", expected=[[0, 0, 0]], tf2=tf.one_hot([3], 3))   # silently zero
    check.raises("one_hot", lossedu.LabelValueError, match=r"got a label value of 3[^.]*",
                 lossedu=lambda: lossedu.one_hot([3], 3))
