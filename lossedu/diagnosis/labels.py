"""Reading the labels ``y`` next to one output: format, range, one-hot or multi-hot.

Only NumPy statistics are computed, so ``y`` may be the whole training set.

>>> import numpy as np
>>> label_facts(np.array([0, 2, 1]), units=3, out_rank=2).format
'sparse'
"""

from __future__ import annotations

import numpy as np

from lossedu.diagnosis.facts import LabelFacts

__all__ = ["label_facts"]


def _positions_match(y_shape: tuple, out_shape: tuple | None) -> bool:
    """Do (N, d1, ..) class ids fit the position axes of an (N, d1, .., C) output?"""
    if out_shape is None or len(out_shape) < 3:
        return True
    return all(o is None or int(o) == int(d) for d, o in zip(y_shape[1:], out_shape[1:-1],
                                                               strict=False))


def label_facts(y, units: int | None, out_rank: int | None,
                out_shape: tuple | None = None) -> LabelFacts | None:
    """The format and values of ``y`` next to an output with ``units`` units and rank
    ``out_rank`` (shape ``out_shape``, when known); None when there are no labels or they are
    not numbers.  Class ids of one rank less than the output must match its position axes:
    (N, T) ids for an (N, T, C) output, never (N, 5) ids for (N, 11, 5)."""
    if y is None or units is None:
        return None
    y = np.asarray(y)
    if y.size == 0 or y.dtype.kind not in "biuf":
        return None
    out_rank = out_rank or 2
    yf = y.astype(np.float64)
    finite = yf[np.isfinite(yf)]
    if finite.size == 0:
        return None
    frac = finite[finite != np.round(finite)]
    integer = frac.size == 0
    vmin, vmax = float(finite.min()), float(finite.max())
    if y.ndim == out_rank - 1 and not _positions_match(y.shape, out_shape):
        fmt = "mismatch"
    elif y.ndim == out_rank - 1 or (y.ndim == out_rank and y.shape[-1] == 1 and units > 1):
        fmt = "sparse"
    elif y.ndim == out_rank and (units > 1 or y.shape[-1] > 1):
        fmt = "dense"
    elif y.ndim == out_rank and units == 1:
        fmt = "sparse"  # (N, 1) binary labels: one column, one unit
    else:
        fmt = "mismatch"
    exclusive = multi_hot = distribution = False
    n_values = int(np.unique(finite).size) if fmt == "sparse" else int(y.shape[-1])
    if fmt == "dense" and y.shape[-1] > 1:
        rows = yf.reshape(-1, y.shape[-1])
        zero_one = bool(np.all((rows == 0) | (rows == 1)))
        sums = rows.sum(axis=1)
        in_unit = vmin >= 0 and vmax <= 1
        distribution = bool(in_unit and np.allclose(sums, 1.0, atol=1e-3))
        exclusive = bool(zero_one and np.all(sums == 1))
        multi_hot = bool(zero_one and not exclusive)
    return LabelFacts(shape=tuple(int(d) for d in y.shape), format=fmt, integer=integer,
                      vmin=vmin, vmax=vmax, n_values=n_values, exclusive=exclusive,
                      multi_hot=multi_hot, distribution=distribution,
                      example_fraction=float(frac[0]) if frac.size else None)
