"""What lesson 04 draws: one set of logits read as a categorical or as independent yes/no's.

Softmax reads the logits as one categorical distribution: exactly one class is true, the
probabilities sum to 1.  Sigmoid reads each logit on its own: every class is a separate
yes/no, and the probabilities need not sum to anything.

>>> v = probability_models_view([2.0, -1.0, 1.5, -3.0], present=[1, 0, 1, 0])
>>> v.sigmoid_probs.round(3), round(v.sigmoid_sum, 3)
(array([0.881, 0.269, 0.818, 0.047]), 2.015)
>>> v.softmax_probs.round(3), v.sigmoid_present.tolist(), v.softmax_present.tolist()
(array([0.601, 0.03 , 0.365, 0.004]), [0, 2], [0])

The Fashion-MNIST attributes of lesson 04, derived from the class labels:

>>> attributes_of([0, 3, 8]).astype(int)
array([[1, 0, 0, 0],
       [1, 1, 0, 0],
       [0, 0, 0, 0]])

Which images lesson 04's grid shows: the first ``per_class`` of each class, one column a class:

>>> grid_indices([2, 0, 1, 0, 2, 1], per_class=2, num_classes=3)
array([[1, 2, 0],
       [3, 5, 4]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import log_softmax, sigmoid, softmax
from lossedu.constants import CLASS_NAMES
from lossedu.errors import LabelValueError, LossInputError, ShapeMismatchError
from lossedu.i18n import N_, _
from lossedu.labels import require_sparse_labels
from lossedu.losses import (
    binary_crossentropy,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
)

__all__ = [
    "ATTRIBUTES",
    "CLASS_ATTRIBUTES",
    "attributes_of",
    "grid_indices",
    "ProbabilityModelsView",
    "probability_models_view",
    "TwoModels",
    "two_models",
    "MultilabelScores",
    "multilabel_scores",
]

ATTRIBUTES = (N_("upper body"), N_("lower body"), N_("long sleeves"), N_("footwear"))
"""Four yes/no attributes of a Fashion-MNIST item; an item can have 0, 1 or 2 of them.

English, marked for translation: the explorer and figures show them through ``i18n._()``."""

CLASS_ATTRIBUTES = np.array(
    [
        # upper, lower, long sleeves, footwear
        [1, 0, 0, 0],  # T-shirt/top
        [0, 1, 0, 0],  # Trouser
        [1, 0, 1, 0],  # Pullover
        [1, 1, 0, 0],  # Dress: covers both
        [1, 0, 1, 0],  # Coat
        [0, 0, 0, 1],  # Sandal
        [1, 0, 1, 0],  # Shirt (mostly long-sleeved in Fashion-MNIST)
        [0, 0, 0, 1],  # Sneaker
        [0, 0, 0, 0],  # Bag: none of them
        [0, 0, 0, 1],  # Ankle boot
    ],
    dtype=np.float32,
)
"""Row ``k`` holds the attributes of class ``CLASS_NAMES[k]``; shape (10, 4)."""

assert CLASS_ATTRIBUTES.shape == (len(CLASS_NAMES), len(ATTRIBUTES))


def attributes_of(class_ids) -> np.ndarray:
    """Multi-hot attribute targets, shape ``class_ids.shape + (4,)``, float32."""
    ids = require_sparse_labels(class_ids, len(CLASS_NAMES), name="class_ids")
    return CLASS_ATTRIBUTES[ids]


def grid_indices(labels, per_class: int = 3, num_classes: int = len(CLASS_NAMES)) -> np.ndarray:
    """Indices of the first ``per_class`` examples of each class, shape ``(per_class, C)``.

    Column ``k`` holds examples of class ``k``, in the order they appear in ``labels``.
    """
    ids = require_sparse_labels(labels, num_classes, name="labels")
    if ids.ndim != 1:
        raise LossInputError("labels", got=f"shape {ids.shape}",
                             expected=_("one class id per image, shape (N,)"),
                             fix=_("pass y_train or y_test as loaded, not reshaped"))
    columns = []
    for k in range(num_classes):
        found = np.flatnonzero(ids == k)[:per_class]
        if found.size < per_class:
            raise LabelValueError("labels",
                                  got=_("{n} example(s) of class {k}").format(n=found.size, k=k),
                                  expected=_("at least per_class={per_class} of every class")
                                  .format(per_class=per_class),
                                  fix=_("pass more labels (e.g. all of y_train) or a smaller "
                                        "per_class"))
        columns.append(found)
    return np.stack(columns, axis=1)


@dataclass(frozen=True)
class ProbabilityModelsView:
    """One row of logits under both probability models (all float64).

    * ``sigmoid_probs``: ``P(class c present)`` for each class on its own;
    * ``softmax_probs``: ``P(the one true class is c)``;
    * ``*_present``: the classes each model calls present (probability above 0.5);
      softmax can name at most one, sigmoid any number, including none;
    * ``independent_loss``: summed sigmoid CE against the multi-hot target ``present``;
    * ``exclusive_loss``: softmax CE against ``present`` normalised to sum to 1, None when
      no class is present (a categorical model cannot say "none of them").
    """

    logits: np.ndarray
    present: np.ndarray
    sigmoid_probs: np.ndarray
    softmax_probs: np.ndarray
    sigmoid_sum: float
    softmax_sum: float
    sigmoid_present: np.ndarray
    softmax_present: np.ndarray
    independent_loss: float
    exclusive_loss: float | None
    text: str


def probability_models_view(logits, present=None) -> ProbabilityModelsView:
    """Both readings of ``logits`` (shape (C,)); ``present`` is an optional 0/1 target."""
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size < 2:
        raise LossInputError("logits", got=f"shape {z.shape}",
                             expected=_("one row of at least 2 logits, shape (C,)"),
                             fix=_("pass a single example, e.g. logits[0]"))
    y = np.zeros_like(z) if present is None else np.asarray(present, dtype=np.float64)
    if y.shape != z.shape:
        raise ShapeMismatchError("present", got=f"shape {y.shape}",
                                 expected=_("one 0/1 flag per logit, shape {shape}").format(
                                     shape=z.shape),
                                 fix=_("present=[1, 0, ...] with one entry per class"))
    ps = sigmoid(z)
    pm = softmax(z)
    indep = float(np.sum(sigmoid_cross_entropy_with_logits(y, z)))
    excl = None
    if y.sum() > 0:
        excl = float(-np.sum(y / y.sum() * log_softmax(z)))
    sig_on = np.flatnonzero(z > 0)  # sigmoid(z) > 0.5 exactly when z > 0
    soft_on = np.flatnonzero(pm > 0.5)
    parts = [_("sigmoid probabilities sum to {total:.3f}").format(total=ps.sum()),
             _("softmax ones to 1.000"),
             _("independent loss = {loss:.4f}").format(loss=indep)]
    parts.append(_("exclusive loss = undefined (no class present)") if excl is None
                 else _("exclusive loss = {loss:.4f}").format(loss=excl))
    return ProbabilityModelsView(
        logits=z, present=y, sigmoid_probs=ps, softmax_probs=pm,
        sigmoid_sum=float(ps.sum()), softmax_sum=float(pm.sum()),
        sigmoid_present=sig_on, softmax_present=soft_on,
        independent_loss=indep, exclusive_loss=excl, text="   ".join(parts))


@dataclass(frozen=True)
class TwoModels:
    """The Stack Overflow question's two numbers, and the one it did not compute (shape (B,)).

    * ``softmax_ce``: the categorical model, ``-log softmax(z)[true]``;
    * ``binary_ce_on_softmax``: the reader's formula, binary CE summed over classes but on
      the *softmax* outputs, i.e. ``softmax_ce + sum_{j != true} -log(1 - softmax(z)_j)``;
    * ``sigmoid_ce``: the independent model done properly, binary CE summed over classes on
      ``sigmoid(z)`` (``sigmoid_cross_entropy_with_logits`` summed over the last axis).
    """

    softmax_ce: np.ndarray
    binary_ce_on_softmax: np.ndarray
    sigmoid_ce: np.ndarray


def two_models(labels, logits) -> TwoModels:
    """Compute :class:`TwoModels` with lossedu's losses.

    >>> m = two_models([[0.0, 1.0, 0.0]], [[0.5, 1.5, 0.1]])
    >>> m.softmax_ce.round(7), m.binary_ce_on_softmax.round(7), m.sigmoid_ce.round(7)
    (array([0.4790107]), array([0.903353]), array([1.9198869]))
    """
    y = np.asarray(labels, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    c = z.shape[-1]
    soft = softmax_cross_entropy_with_logits(y, z)
    # Keras's binary_crossentropy averages over the last axis; the reader summed.
    bce_soft = binary_crossentropy(y, softmax(z)) * c
    sig = np.sum(sigmoid_cross_entropy_with_logits(y, z), axis=-1)
    return TwoModels(softmax_ce=soft, binary_ce_on_softmax=bce_soft, sigmoid_ce=sig)


@dataclass(frozen=True)
class MultilabelScores:
    """How well 0/1 predictions match multi-hot targets (shape (N, C)).

    ``per_label`` is the accuracy of each column, ``binary_accuracy`` their mean (what
    ``keras.metrics.BinaryAccuracy`` reports), ``exact_match`` the fraction of rows with
    every label right, ``labels_per_row`` the mean number of labels predicted present.
    """

    per_label: np.ndarray
    binary_accuracy: float
    exact_match: float
    labels_per_row: float


def multilabel_scores(probs, targets, threshold: float = 0.5) -> MultilabelScores:
    """Score probabilities against multi-hot targets at ``threshold``.

    >>> s = multilabel_scores([[0.9, 0.6], [0.2, 0.4]], [[1, 0], [0, 0]])
    >>> s.per_label.tolist(), s.binary_accuracy, s.exact_match, s.labels_per_row
    ([1.0, 0.5], 0.75, 0.5, 1.0)
    """
    p = np.asarray(probs, dtype=np.float64)
    t = np.asarray(targets) > 0.5
    if p.shape != t.shape:
        raise ShapeMismatchError("targets", got=_("shape {shape} against probs {probs}").format(
                                     shape=t.shape, probs=p.shape),
                                 expected=_("the same shape (N, C)"),
                                 fix=_("one 0/1 target per predicted probability"))
    pred = p > threshold
    right = pred == t
    return MultilabelScores(per_label=right.mean(axis=0), binary_accuracy=float(right.mean()),
                            exact_match=float(np.all(right, axis=-1).mean()),
                            labels_per_row=float(pred.sum(axis=-1).mean()))
