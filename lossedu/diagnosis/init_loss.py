"""The untrained model's loss on the labelled rows, next to its chance level.

A classifier that knows nothing predicts the uniform distribution and scores log C (softmax
cross-entropies over C classes) or log 2 (each sigmoid unit).  The best constant guess scores
the labels' prior entropy, which is lower for unbalanced data.  An untrained model far from
both tells of a broken pairing before a single step is taken (see
:func:`~lossedu.diagnosis.fit_rules.init_loss_findings`).

>>> round(prior_entropy(np.array([0, 0, 1, 1]), "sparse", 2), 6)
0.693147
"""

from __future__ import annotations

import math

import numpy as np

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.probe import take
from lossedu.diagnosis.watch import forward, loss_value

__all__ = ["INIT_ROWS", "measure_init_loss", "prior_entropy"]

INIT_ROWS = 256


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def prior_entropy(y: np.ndarray, family: str, units: int) -> float:
    """The loss of the best constant guess: the entropy of the label frequencies (mean
    binary entropy per column for sigmoid losses)."""
    y = np.asarray(y, dtype=np.float64)
    if family == "binary":
        cols = y.reshape(-1, y.shape[-1] if y.ndim > 1 else 1).mean(axis=0).clip(0, 1)
        return float(np.mean([_entropy(np.array([p, 1 - p])) for p in cols]))
    if family == "sparse":
        ids = y.reshape(-1)
        ids = ids[(ids >= 0) & (ids < units)].astype(int)
        if ids.size == 0:
            return 0.0
        return _entropy(np.bincount(ids, minlength=units) / ids.size)
    rows = y.reshape(-1, y.shape[-1])
    return _entropy(rows.mean(axis=0) / max(rows.mean(axis=0).sum(), 1e-12))


def measure_init_loss(keras, model, identifier, x, y, family: str | None,
                      units: int | None) -> dict | None:
    """{"value", "chance", "floor", "reference", "rows"} for the first rows of ``x`` and
    ``y``, or {"error": ...} when the loss cannot be computed; None when not applicable."""
    if x is None or y is None or identifier is None or units is None:
        return None
    if family not in ("sparse", "categorical", "binary"):
        return None
    try:
        yb = np.asarray(take(y, INIT_ROWS))
        out = forward(keras, model, take(x, INIT_ROWS))
        value = loss_value(keras, keras_api.fit_loss(keras, identifier, yb, out), yb, out)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    binary = family == "binary"
    chance = math.log(2) if binary else math.log(units)
    return {"value": value, "chance": chance, "rows": int(len(yb)),
            "floor": prior_entropy(yb, family, units),
            "reference": "log 2" if binary else f"log {units}"}
