"""Property tests (hypothesis), no TensorFlow: the mathematics every loss must respect.

References are computed in float64 or with mpmath from the exact input values, so a failure
here is lossedu's, not the reference's.  Tolerances are tests/helpers.py's (it says why):
``rtol`` (1e-6 in float32, 1e-12 in float64) plus an absolute floor ``rtol * max(1, scale)``.

For the shift-invariant functions (log_softmax, the softmax losses) the honest ``scale`` is
the *spread* of each row, ``max|x - max(x)|``: a stable implementation only ever rounds
``x - max(x)``, so its error does not grow with a constant offset.  That is exactly what the
naive ``x - logsumexp(x)`` gets wrong; ``test_log_softmax_large_logits_stable_vs_naive``
shows the difference.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from helpers import tolerance
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossedu as le

DTYPES = [np.float32, np.float64]
FAST = settings(max_examples=60, deadline=None)
EPS = {np.dtype(np.float32): float(np.finfo(np.float32).eps),
       np.dtype(np.float64): float(np.finfo(np.float64).eps)}


def floats(dtype, lo, hi, **kw):
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(lo, hi, width=width, allow_subnormal=False, **kw)


@st.composite
def logits(draw, dtype=None, lo=-1e4, hi=1e4, min_classes=2):
    """A (B, C) logits array, B in 1..4, C in min_classes..6."""
    dtype = draw(st.sampled_from(DTYPES)) if dtype is None else dtype
    shape = (draw(st.integers(1, 4)), draw(st.integers(min_classes, 6)))
    return draw(hnp.arrays(dtype, shape, elements=floats(dtype, lo, hi)))


@st.composite
def logits_and_labels(draw, dtype=None, lo=-1e4, hi=1e4):
    x = draw(logits(dtype, lo, hi))
    lab = draw(hnp.arrays(np.int64, x.shape[:-1], elements=st.integers(0, x.shape[-1] - 1)))
    return x, np.asarray(lab)


def spread(x) -> float:
    """The shift-invariant scale of a row-wise function: ``max |x - rowmax|``."""
    x64 = np.asarray(x, np.float64)
    return float(np.max(x64.max(axis=-1, keepdims=True) - x64))


def assert_within(ours, ref, scale, dtype, what=""):
    ours = np.asarray(ours, np.float64)
    ref = np.asarray(ref, np.float64)
    tol = tolerance(ref, scale, dtype)
    bad = np.abs(ours - ref) > tol
    assert not bad.any(), (f"{what}: ours={ours[bad]}, reference={ref[bad]}, "
                           f"tol={tol[bad]}, scale={scale}")


def mp_logsumexp(row) -> mpmath.mpf:
    return mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in row))


# =========================================================================== softmax


@FAST
@given(x=logits(), axis=st.sampled_from([-1, 0]))
def test_softmax_is_a_distribution(x, axis):
    p = le.softmax(x, axis=axis)
    assert p.dtype == x.dtype and p.shape == x.shape
    assert np.all((p >= 0) & (p <= 1))
    n = x.shape[axis]
    sums = p.astype(np.float64).sum(axis=axis)
    assert np.all(np.abs(sums - 1) <= 2 * n * EPS[x.dtype])


@FAST
@given(x=logits(lo=-1e3, hi=1e3), data=st.data())
def test_shift_invariance_of_softmax_and_log_softmax(x, data):
    c = data.draw(hnp.arrays(x.dtype, (x.shape[0], 1), elements=floats(x.dtype, -1e3, 1e3)))
    shifted = x + c
    # x + c is rounded once: the honest floor scales with |x| + |c|, not with the spread
    scale = float(np.abs(x).max() + np.abs(c).max())
    assert_within(le.softmax(shifted), le.softmax(x), scale, x.dtype, "softmax")
    assert_within(le.log_softmax(shifted), le.log_softmax(x), scale, x.dtype, "log_softmax")
    assert_within(le.logsumexp(shifted), le.logsumexp(x) + c[:, 0].astype(np.float64), scale,
                  x.dtype, "logsumexp")


@FAST
@given(xl=logits_and_labels(lo=-1e3, hi=1e3), data=st.data())
def test_shift_invariance_of_cross_entropy_losses(xl, data):
    x, lab = xl
    c = data.draw(hnp.arrays(x.dtype, (x.shape[0], 1), elements=floats(x.dtype, -1e3, 1e3)))
    shifted = x + c
    scale = float(np.abs(x).max() + np.abs(c).max())
    y = le.one_hot(lab, x.shape[-1], dtype=x.dtype)
    # random logits may happen to look like probabilities: skip that heuristic
    pairs = {
        "sparse_softmax_cross_entropy_with_logits":
            lambda z: le.sparse_softmax_cross_entropy_with_logits(lab, z, validate=False),
        "softmax_cross_entropy_with_logits":
            lambda z: le.softmax_cross_entropy_with_logits(y, z, validate=False),
        "categorical_crossentropy":
            lambda z: le.categorical_crossentropy(y, z, from_logits=True, validate=False),
        "sparse_categorical_crossentropy":
            lambda z: le.sparse_categorical_crossentropy(lab, z, from_logits=True,
                                                         validate=False),
    }
    for name, fn in pairs.items():
        assert_within(fn(shifted), fn(x), scale, x.dtype, name)


# =========================================================================== CE >= 0


@FAST
@given(xl=logits_and_labels(lo=-100, hi=100), data=st.data())
def test_cross_entropies_are_non_negative(xl, data):
    x, lab = xl
    c = x.shape[-1]
    y = le.one_hot(lab, c, dtype=x.dtype)
    soft = le.softmax(data.draw(hnp.arrays(x.dtype, x.shape, elements=floats(x.dtype, -5, 5))))
    z = data.draw(hnp.arrays(x.dtype, x.shape, elements=floats(x.dtype, 0, 1)))
    p = le.softmax(x)
    sig = le.sigmoid(x)
    smoothing = data.draw(st.sampled_from([0.0, 0.1]))
    values = [
        le.sparse_softmax_cross_entropy_with_logits(lab, x, validate=False),
        le.softmax_cross_entropy_with_logits(y, x, validate=False),
        le.softmax_cross_entropy_with_logits(soft, x, validate=False),
        le.sigmoid_cross_entropy_with_logits(z, x),
        le.categorical_crossentropy(y, x, from_logits=True, label_smoothing=smoothing,
                                    validate=False),
        le.categorical_crossentropy(soft, p, label_smoothing=smoothing, validate=False),
        le.sparse_categorical_crossentropy(lab, x, from_logits=True, validate=False),
        le.sparse_categorical_crossentropy(lab, p, validate=False),
        le.sparse_categorical_crossentropy(lab, x, validate=False),  # the raw-logits pitfall
        le.binary_crossentropy(z, x, from_logits=True, label_smoothing=smoothing),
        le.binary_crossentropy(z, sig, label_smoothing=smoothing),
        le.binary_crossentropy(z, x, validate=False),
    ]
    for v in values:
        assert np.all(np.isfinite(v)) and np.all(v >= 0), v


# =========================================================================== references


@settings(max_examples=50, deadline=None)
@given(xl=logits_and_labels())
def test_sparse_ce_equals_logsumexp_minus_picked_logit_mpmath(xl):
    """``CE = logsumexp(z) - z[label]``, against 40-digit mpmath on the same input values."""
    x, lab = xl
    ours = le.sparse_softmax_cross_entropy_with_logits(lab, x, validate=False)
    with mpmath.workdps(40):
        ref = np.array([float(mp_logsumexp(row) - mpmath.mpf(float(row[k])))
                        for row, k in zip(x, lab, strict=True)])
    assert_within(ours, ref, spread(x), x.dtype, "sparse CE vs mpmath")
    # the same identity in closed form, float64 NumPy
    x64 = x.astype(np.float64)
    m = x64.max(-1)
    lse = m + np.log(np.exp(x64 - m[:, None]).sum(-1))
    ident = lse - np.take_along_axis(x64, lab[:, None], -1)[:, 0]
    assert_within(ours, ident, spread(x), x.dtype, "sparse CE vs logsumexp identity")


@settings(max_examples=100, deadline=None)
@given(dtype=st.sampled_from(DTYPES), data=st.data())
def test_sigmoid_inverts_logit(dtype, data):
    tiny = float(np.finfo(dtype).tiny)
    p = data.draw(hnp.arrays(dtype, st.integers(1, 8),
                             elements=floats(dtype, tiny, 1.0, exclude_max=True)))
    assume(np.all(p > 0))
    back = le.sigmoid(le.logit(p)).astype(np.float64)
    p64 = p.astype(np.float64)
    # logit rounds log(p) and log1p(-p) once each; sigmoid's slope is p(1-p)
    logs = np.abs(np.log(p64)) + np.abs(np.log1p(-p64))
    bound = 4 * EPS[np.dtype(dtype)] * (p64 * (1 - p64) * logs + p64)
    assert np.all(np.abs(back - p64) <= bound), (p, back)


def mp_sigmoid_ce(z: float, x: float) -> float:
    """``-(z log sigmoid(x) + (1 - z) log(1 - sigmoid(x)))`` as two softplus terms."""
    mz, mx = mpmath.mpf(z), mpmath.mpf(x)
    return float(mz * mpmath.log1p(mpmath.exp(-mx)) + (1 - mz) * mpmath.log1p(mpmath.exp(mx)))


@settings(max_examples=80, deadline=None)
@given(dtype=st.sampled_from(DTYPES), data=st.data())
def test_sigmoid_ce_stable_at_large_logits_mpmath(dtype, data):
    n = data.draw(st.integers(1, 6))
    mag = data.draw(hnp.arrays(dtype, n, elements=floats(dtype, 20, 1e4)))
    sign = np.where(data.draw(hnp.arrays(np.bool_, n)), 1, -1).astype(dtype)
    x = mag * sign
    z = data.draw(hnp.arrays(dtype, n, elements=st.one_of(
        st.sampled_from([0.0, 1.0]), floats(dtype, 0, 1))))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ours = le.sigmoid_cross_entropy_with_logits(z, x)
    with mpmath.workdps(40):
        ref = np.array([mp_sigmoid_ce(float(a), float(b)) for a, b in zip(z, x, strict=True)])
    # the only rounding that grows with |x| is that of x * z
    assert_within(ours, ref, float(np.abs(x).max()), dtype, "sigmoid CE vs mpmath")


def test_sigmoid_ce_naive_formula_breaks_where_the_stable_one_does_not():
    x = np.array([100.0, -100.0, 1e4, -1e4], np.float32)
    z = np.array([0.0, 1.0, 0.0, 1.0], np.float32)
    with np.errstate(all="ignore"):
        s = 1 / (1 + np.exp(-x))
        naive = -(z * np.log(s) + (1 - z) * np.log(1 - s))
    assert not np.all(np.isfinite(naive))  # log(0) = -inf, 0 * -inf = NaN
    ours = le.sigmoid_cross_entropy_with_logits(z, x)
    np.testing.assert_allclose(ours, np.abs(x), rtol=1e-6)  # the exact loss is about |x|


# =========================================================================== log_softmax


@pytest.mark.parametrize("offset", [1e3, 3e4, 1e5])
def test_log_softmax_large_logits_stable_vs_naive(offset):
    """Why ``(x - max) - log(sum(exp(x - max)))`` and not ``x - logsumexp(x)``.

    Logits ``offset + N(0, 5^2)`` in float32.  The stable form stays within the honest bound
    (``rtol=1e-6`` plus ``1e-6 * spread``); the naive form rounds ``logsumexp(x)`` to the
    float32 grid at ``offset`` (an ulp of 3e4 is 0.002) and misses the bound many times over.
    """
    rng = np.random.default_rng(7)
    x = (offset + 5 * rng.standard_normal((200, 10))).astype(np.float32)
    x64 = x.astype(np.float64)
    ref = (x64 - x64.max(-1, keepdims=True))
    ref = ref - np.log(np.exp(ref).sum(-1, keepdims=True))
    stable = le.log_softmax(x)
    naive = x - le.logsumexp(x, keepdims=True)
    tol = tolerance(ref, spread(x), np.float32)
    stable_err = np.abs(stable - ref)
    naive_err = np.abs(naive - ref)
    assert np.all(stable_err <= tol)
    assert np.any(naive_err > tol)
    assert naive_err.max() > 10 * stable_err.max()
    # on the loss of the most likely class the naive form can lose every digit
    lab = x.argmax(-1)
    loss_ref = -np.take_along_axis(ref, lab[:, None], -1)
    loss_naive = -np.take_along_axis(naive, lab[:, None], -1)
    loss_stable = -np.take_along_axis(stable, lab[:, None], -1)
    assert np.all(np.abs(loss_stable - loss_ref) <= tolerance(loss_ref, spread(x), np.float32))
    assert np.max(np.abs(loss_naive - loss_ref) / loss_ref) > 1e-2


@FAST
@given(data=st.data())
def test_log_softmax_float32_error_does_not_grow_with_offset(data):
    dtype = np.float32
    offset = data.draw(floats(dtype, -1e5, 1e5))
    base = data.draw(logits(dtype, -30, 30))
    x = (base + np.float32(offset)).astype(dtype)
    x64 = x.astype(np.float64)
    ref = x64 - x64.max(-1, keepdims=True)
    ref = ref - np.log(np.exp(ref).sum(-1, keepdims=True))
    assert_within(le.log_softmax(x), ref, spread(x), dtype, "log_softmax")
    lse_ref = x64.max(-1) + np.log(np.exp(x64 - x64.max(-1, keepdims=True)).sum(-1))
    # logsumexp itself is not shift invariant: its honest floor is the offset's ulp
    assert_within(le.logsumexp(x), lse_ref, float(np.abs(x).max()), dtype, "logsumexp")


@FAST
@given(x=logits())
def test_logsumexp_bounds(x):
    lse = le.logsumexp(x).astype(np.float64)
    m = x.max(-1).astype(np.float64)
    slack = 4 * EPS[x.dtype] * np.maximum(1.0, np.abs(m))
    assert np.all(lse >= m - slack)
    assert np.all(lse <= m + np.log(x.shape[-1]) + slack)


@FAST
@given(xl=logits_and_labels())
def test_one_hot_softmax_ce_equals_sparse_ce(xl):
    x, lab = xl
    dense = le.softmax_cross_entropy_with_logits(le.one_hot(lab, x.shape[-1], x.dtype), x,
                                                 validate=False)
    sparse = le.sparse_softmax_cross_entropy_with_logits(lab, x, validate=False)
    assert_within(dense, sparse, spread(x), x.dtype, "dense vs sparse CE")
