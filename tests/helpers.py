"""Shared helpers for the lossedu test-suite: honest tolerances and input generators.

A correct NumPy implementation and TensorFlow differ only by rounding, so compare with

* float32: ``|ours - theirs| <= 1e-6 * |theirs| + 1e-6 * max(1, max|logit|)``;
* float64: ``|ours - theirs| <= 1e-12 * |theirs| + 1e-12 * max(1, max|logit|)``;
* float16: ``2e-3`` in both places, two float16 ulps (``eps = 9.8e-4``): TF rounds every step
  of a float16 kernel to float16, lossedu computes in float32 and rounds once.

Why these numbers: on logits drawn from N(0, 5^2), a correct max-subtracted float32
implementation was measured against TensorFlow within 2.4e-6 relative for softmax, 1.9e-6
absolute for the sparse softmax CE (200 random batches) and 4.8e-7 absolute for the sigmoid
CE; the relative error is large only where a loss is itself near 0 (up to 1e-2 at a loss of
about 1e-4), which is what the absolute floor is for.  The floor grows with the logits' scale
because every loss and log-probability is computed from ``logit - max(logit)``, whose
rounding error is proportional to the logits.  Nothing here is loosened to hide an
algorithmic error: the naive ``x - logsumexp(x)`` fails these bounds at large logits (see
tests/core/test_properties.py).
"""

from __future__ import annotations

import os
from collections import defaultdict

import numpy as np

__all__ = [
    "RTOL",
    "assert_close_tf",
    "tolerance",
    "record_error",
    "ERROR_TABLE",
    "REFEREE_TABLE",
    "logits_like",
    "extreme_rows",
    "to_numpy",
]

RTOL = {np.dtype(np.float16): 2e-3, np.dtype(np.float32): 1e-6, np.dtype(np.float64): 1e-12}

# function name -> dtype name -> (largest absolute error, largest error / tolerance)
ERROR_TABLE: dict[str, dict[str, list[float]]] = defaultdict(dict)

# function name -> Counter of the referee's outcomes (tests/core/test_referee.py)
REFEREE_TABLE: dict = {}


def to_numpy(x) -> np.ndarray:
    """A TF tensor, a Python number or a NumPy array as a NumPy array."""
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def _scale(logits_scale) -> float:
    if logits_scale is None:
        return 1.0
    arr = np.asarray(logits_scale, dtype=np.float64)
    finite = arr[np.isfinite(arr)]
    return float(max(1.0, np.max(np.abs(finite)) if finite.size else 1.0))


def tolerance(theirs, logits_scale, dtype) -> np.ndarray:
    """The element-wise tolerance ``rtol * |theirs| + rtol * max(1, max|logit|)``."""
    rtol = RTOL[np.dtype(dtype)]
    return rtol * np.abs(np.asarray(theirs, np.float64)) + rtol * _scale(logits_scale)


def record_error(name: str, dtype, abs_err: float, ratio: float) -> None:
    """Remember the largest error seen per function and dtype (printed on request)."""
    key = np.dtype(dtype).name
    old = ERROR_TABLE[name].get(key, [0.0, 0.0])
    ERROR_TABLE[name][key] = [max(old[0], abs_err), max(old[1], ratio)]


def assert_close_tf(ours, theirs, logits_scale, dtype, name: str | None = None,
                    require_dtype: bool = True) -> float:
    """Assert lossedu's ``ours`` agrees with TensorFlow's ``theirs`` to honest precision.

    ``logits_scale`` is the logits array itself (or a number): its largest finite magnitude
    sets the absolute floor.  Shapes must match exactly; so must the dtype (unless
    ``require_dtype=False``), the positions of NaN and of +-inf.  Where TF is finite, ours
    must be finite too.  Returns the largest absolute difference.
    """
    ours_a = to_numpy(ours)
    theirs_a = to_numpy(theirs)
    dtype = np.dtype(dtype)
    assert ours_a.shape == theirs_a.shape, f"shape {ours_a.shape} != TF's {theirs_a.shape}"
    if require_dtype:
        assert ours_a.dtype == theirs_a.dtype, f"dtype {ours_a.dtype} != TF's {theirs_a.dtype}"
    o = ours_a.astype(np.float64)
    t = theirs_a.astype(np.float64)
    t_finite = np.isfinite(t)
    assert np.all(np.isfinite(o)[t_finite]), (
        f"lossedu gives NaN/inf where TF is finite: ours={o[~np.isfinite(o) & t_finite]}, "
        f"TF={t[~np.isfinite(o) & t_finite]}")
    assert np.array_equal(np.isnan(o), np.isnan(t)), "NaN positions differ from TF"
    inf = np.isinf(t)
    assert np.array_equal(o[inf], t[inf]), "infinities differ from TF"
    tol = tolerance(t, logits_scale, dtype)
    diff = np.atleast_1d(np.abs(o - t))
    tol = np.atleast_1d(tol)
    diff[~t_finite] = 0.0
    bad = diff > tol
    abs_err = float(diff.max()) if diff.size else 0.0
    ratio = float((diff / tol).max()) if diff.size else 0.0
    if name is not None:
        record_error(name, dtype, abs_err, ratio)
    if bad.any():
        idx = tuple(np.argwhere(bad)[0])
        raise AssertionError(
            f"{name or 'value'} ({dtype.name}) differs from TF beyond the honest tolerance "
            f"at {idx}: ours={o[idx]!r}, TF={t[idx]!r}, |diff|={diff[idx]:.3g} > "
            f"tol={tol[idx]:.3g} (max|logit|={_scale(logits_scale):.3g}); "
            f"{int(bad.sum())} of {bad.size} elements")
    return abs_err


def logits_like(rng: np.random.Generator, shape, dtype, scale: float = 5.0) -> np.ndarray:
    """Random logits ~ N(0, scale**2): the distribution the tolerances were measured on."""
    return (rng.standard_normal(shape) * scale).astype(dtype)


def extreme_rows(dtype, big: float = 1e4) -> np.ndarray:
    """Rows that break a naive implementation: one huge value, all huge, mixed signs."""
    rows = [
        [big, 0, 0, 0],
        [-big, 0, 0, 0],
        [0, 0, big, 0],
        [0, -big, 0, 0],
        [big, big, big, big],
        [-big, -big, -big, -big],
        [big, -big, 0, 1],
        [big, -big, 0, 0],  # sums to 0: Keras's from_logits=False CCE divides 0 by 0
        [-big, big, -big, big],
        [big, big - 1, big - 2, -big],
        [1e-3, -1e-3, 0, 2e-3],
    ]
    return np.asarray(rows, dtype=dtype)


def error_report_enabled() -> bool:
    return os.environ.get("LOSSEDU_ERROR_REPORT", "") not in ("", "0")
