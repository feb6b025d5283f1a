"""Lesson 05's fixed model, shown on test images: which predictions to draw, and their titles.

:func:`prediction_examples` picks right and wrong rows; ``widgets.predictions_figure`` draws
them as images with probability bars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import as_float
from lossedu.constants import CLASS_NAMES
from lossedu.errors import LossInputError
from lossedu.i18n import _, figure_text

__all__ = ["PredictionExamples", "prediction_examples"]


@dataclass(frozen=True)
class PredictionExamples:
    """Test examples to draw with their probabilities: ``n_right`` right ones, then wrong ones.

    ``index`` are rows of the test set; ``probs`` their rows of ``p``; ``correct`` whether the
    argmax is the label.  ``titles`` reads "true: Shirt / predicted: T-shirt/top 62%".
    """

    index: np.ndarray
    probs: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    correct: np.ndarray
    class_names: tuple[str, ...]
    titles: tuple[str, ...]


def prediction_examples(probs, labels, n_right: int = 3, n_wrong: int = 3,
                        class_names=CLASS_NAMES) -> PredictionExamples:
    """The first ``n_right`` correctly and ``n_wrong`` wrongly predicted rows of ``probs``.

    >>> ex = prediction_examples([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8]], [0, 0, 1], 1, 1, "ab")
    >>> ex.index.tolist(), ex.correct.tolist(), ex.titles[1]
    ([0, 1], [True, False], 'true: a / predicted: b 70%')
    """
    p = as_float(probs, "probs")
    y = np.asarray(labels).reshape(-1)
    if p.ndim != 2 or len(p) != len(y):
        raise LossInputError("probs", got=_("shape {shape} for {n} labels").format(
                                 shape=p.shape, n=len(y)),
                             expected=_("shape (B, C), one row of probabilities per label"),
                             fix=_("pass the softmax of the model's logits on the test images"))
    hit = np.argmax(p, axis=1) == y
    right, wrong = np.flatnonzero(hit)[:n_right], np.flatnonzero(~hit)[:n_wrong]
    if len(right) < n_right or len(wrong) < n_wrong:
        raise LossInputError("n_right/n_wrong", got=_("{right} and {wrong}").format(
                                 right=n_right, wrong=n_wrong), fix=_("ask for fewer"),
                             expected=_("at most {right} right, {wrong} wrong").format(
                                 right=hit.sum(), wrong=(~hit).sum()))
    index = np.concatenate([right, wrong])
    pred = np.argmax(p[index], axis=1)
    names = tuple(str(n) for n in class_names)
    titles = tuple(figure_text("true: {true} / predicted: {predicted} {p:.0%}").format(
                       true=figure_text(names[t]), predicted=figure_text(names[k]), p=p[i, k])
                   for i, t, k in zip(index, y[index], pred, strict=True))
    return PredictionExamples(index, p[index], y[index], pred, hit[index], names, titles)
