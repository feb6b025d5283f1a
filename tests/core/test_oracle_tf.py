"""TensorFlow / Keras as the oracle: every public lossedu function against its counterpart.

Inputs are random (seeded NumPy generators and hypothesis) plus hand-made extreme rows.
Agreement is checked with the honest tolerance of tests/helpers.py (it says why): float32
``rtol=1e-6`` plus ``1e-6 * max(1, max|logit|)``, float64 ``1e-12`` with a matching floor.
Where TensorFlow is finite lossedu must be finite too, and NaN must appear where Keras gives
NaN (the from_logits=False path on raw logits reproduces Keras exactly, NaN included).

Run with ``LOSSEDU_ERROR_REPORT=1`` to print the largest error seen per function.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from helpers import assert_close_tf, extreme_rows, logits_like, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossedu as le

tfmark = pytest.mark.tf

DTYPES = [np.float32, np.float64]
DTYPE_IDS = ["f32", "f64"]
# logits shapes for the row-wise functions: batch shape (), (B,), (B, T)
ROW_SHAPES = [(5,), (8, 5), (3, 4, 6)]
# element-wise functions: batch shape (), (B,), (B, T)
ELEM_SHAPES = [(), (7,), (3, 4)]
# (shape, axis) pairs, including axis 0 and a middle axis
AXES = [((5,), -1), ((5,), 0), ((8, 5), -1), ((8, 5), 0), ((3, 4, 6), -1), ((3, 4, 6), 1),
        ((3, 4, 6), 0)]

HYP = settings(max_examples=50, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])


def float_arrays(dtype, shape, lo=-1e4, hi=1e4):
    width = 32 if dtype == np.float32 else 64
    return hnp.arrays(dtype, shape, elements=st.floats(lo, hi, width=width,
                                                       allow_subnormal=False))


row_shapes = st.tuples(st.integers(1, 4), st.integers(2, 6))


def np_softmax(x, axis=-1):
    """A float64 softmax, used only to make probability inputs (fed to both sides)."""
    x64 = np.asarray(x, np.float64)
    e = np.exp(x64 - x64.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def onehot_along(rng, shape, axis, dtype):
    """Random one-hot labels with the class axis at ``axis``."""
    moved = np.moveaxis(np.zeros(shape), axis, -1).shape
    idx = rng.integers(0, moved[-1], size=moved[:-1])
    return np.moveaxis(np.eye(moved[-1], dtype=dtype)[idx], -1, axis)


def quiet_logits_warning():
    """Suppress the LogitsAsProbabilitiesWarning on the deliberate from_logits pitfall path."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore", le.LogitsAsProbabilitiesWarning)
    return ctx


def pred_for(kind, logits, axis=-1):
    """``y_pred`` and ``from_logits`` for the three paths: logits, probabilities, raw logits."""
    if kind == "logits":
        return logits, True
    if kind == "probs":
        return np_softmax(logits, axis), False
    return logits, False  # "raw": the from_logits=False pitfall


PRED_KINDS = ["logits", "probs", "raw"]


def call_quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", le.LogitsAsProbabilitiesWarning)
        return fn(*args, **kwargs)


# =========================================================================== activations


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ELEM_SHAPES, ids=str)
def test_sigmoid_random(tf, rng, dtype, shape):
    x = logits_like(rng, shape, dtype, scale=10)
    ours = le.sigmoid(x)
    # sigmoid works on x itself, not on x - max: no scale-dependent floor is needed
    assert_close_tf(ours, tf.math.sigmoid(x), 1.0, dtype, "sigmoid")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_sigmoid_extremes(tf, dtype):
    x = np.array([-1e4, -1000, -100, -88, -20, -1e-8, 0, 1e-8, 20, 88, 100, 1000, 1e4], dtype)
    with np.errstate(over="raise", invalid="raise"):  # no overflow inside exp, ever
        ours = le.sigmoid(x)
    assert_close_tf(ours, tf.math.sigmoid(x), 1.0, dtype, "sigmoid")


@tfmark
@HYP
@given(data=st.data(), dtype=st.sampled_from(DTYPES))
def test_sigmoid_hypothesis(tf, data, dtype):
    x = data.draw(float_arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5)))
    assert_close_tf(le.sigmoid(x), tf.math.sigmoid(x), 1.0, dtype, "sigmoid")


def _mp_logit(p) -> float:
    mp = mpmath.mpf(float(p))
    return float(mpmath.log(mp / (1 - mp)))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_logit_against_mpmath(rng, dtype):
    """TensorFlow has no logit op: the oracle is mpmath at 50 digits on the same input."""
    p = np.concatenate([rng.uniform(0, 1, 200), [1e-30, 1e-8, 0.25, 0.5, 0.75, 1 - 1e-7]])
    p = p.astype(dtype)
    ours = le.logit(p)
    assert ours.dtype == dtype
    with mpmath.workdps(50):
        ref = np.array([_mp_logit(v) for v in p])
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    # log(p) and log1p(-p) are each rounded once: the error is a few ulps of |log p|
    floor = rtol * np.maximum(1.0, np.abs(np.log(p.astype(np.float64))))
    assert np.all(np.abs(ours - ref) <= rtol * np.abs(ref) + floor)


def test_logit_endpoints_and_eps():
    with np.errstate(all="raise"):
        assert le.logit(np.array([0.0, 1.0])).tolist() == [-np.inf, np.inf]
    eps = 1e-7
    clipped = le.logit(np.array([0.0, 1.0]), eps=eps)
    # 1 - eps is rounded in float64, so the reference uses the rounded bound itself
    with mpmath.workdps(50):
        ref = [_mp_logit(eps), _mp_logit(1 - eps)]
    np.testing.assert_allclose(clipped, ref, rtol=1e-12)
    np.testing.assert_allclose(clipped, [np.log(eps), -np.log(eps)], rtol=1e-6)


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), AXES, ids=str)
def test_softmax_and_log_softmax_random(tf, rng, dtype, shape, axis):
    x = logits_like(rng, shape, dtype)
    assert_close_tf(le.softmax(x, axis=axis), tf.nn.softmax(x, axis=axis), x, dtype, "softmax")
    assert_close_tf(le.log_softmax(x, axis=axis), tf.nn.log_softmax(x, axis=axis), x, dtype,
                    "log_softmax")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_family_extremes(tf, dtype, axis):
    x = extreme_rows(dtype)
    x = x if axis == -1 else x.T.copy()
    with np.errstate(over="raise", invalid="raise"):
        ours_sm = le.softmax(x, axis=axis)
        ours_lsm = le.log_softmax(x, axis=axis)
        ours_lse = le.logsumexp(x, axis=axis)
    assert_close_tf(ours_sm, tf.nn.softmax(x, axis=axis), x, dtype, "softmax")
    assert_close_tf(ours_lsm, tf.nn.log_softmax(x, axis=axis), x, dtype, "log_softmax")
    assert_close_tf(ours_lse, tf.reduce_logsumexp(x, axis=axis), x, dtype, "logsumexp")


def row_spread(x, axis=-1) -> float:
    """``max |x - max(x)|``: the error scale of a shift-invariant function (TF's included)."""
    x64 = np.asarray(x, np.float64)
    return float(np.max(x64.max(axis=axis, keepdims=True) - x64))


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("offset", [1e3, 3e4, -1e5])
def test_shift_invariant_functions_at_large_offset(tf, keras, rng, dtype, offset):
    """Logits ``offset + N(0, 5^2)``: both TF and lossedu only round ``x - max``.

    The tolerance floor uses the rows' spread, not ``max|logit|``; ``x - logsumexp(x)`` would
    fail here by a factor of about 30 in float32 (see test_properties.py).
    """
    x = (offset + logits_like(rng, (32, 10), np.float64)).astype(dtype)
    lab = rng.integers(0, 10, size=32)
    y = np.eye(10, dtype=dtype)[lab]
    scale = row_spread(x)
    assert_close_tf(le.log_softmax(x), tf.nn.log_softmax(x), scale, dtype, "log_softmax")
    assert_close_tf(le.softmax(x), tf.nn.softmax(x), scale, dtype, "softmax")
    assert_close_tf(le.sparse_softmax_cross_entropy_with_logits(lab, x),
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x),
                    scale, dtype, "sparse_softmax_cross_entropy_with_logits")
    assert_close_tf(le.softmax_cross_entropy_with_logits(y, x),
                    tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x),
                    scale, dtype, "softmax_cross_entropy_with_logits")
    assert_close_tf(le.sparse_categorical_crossentropy(lab, x, from_logits=True),
                    keras.losses.sparse_categorical_crossentropy(lab, x, from_logits=True),
                    scale, dtype, "sparse_categorical_crossentropy[logits]")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_random(tf, rng, dtype, shape, axis, keepdims):
    x = logits_like(rng, shape, dtype)
    ours = le.logsumexp(x, axis=axis, keepdims=keepdims)
    theirs = tf.reduce_logsumexp(x, axis=axis, keepdims=keepdims)
    assert_close_tf(ours, theirs, x, dtype, "logsumexp")


@tfmark
@HYP
@given(data=st.data(), dtype=st.sampled_from(DTYPES))
def test_softmax_family_hypothesis(tf, data, dtype):
    x = data.draw(float_arrays(dtype, data.draw(row_shapes)))
    axis = data.draw(st.sampled_from([-1, 0]))
    assert_close_tf(le.softmax(x, axis), tf.nn.softmax(x, axis=axis), x, dtype, "softmax")
    assert_close_tf(le.log_softmax(x, axis), tf.nn.log_softmax(x, axis=axis), x, dtype,
                    "log_softmax")
    keep = data.draw(st.booleans())
    assert_close_tf(le.logsumexp(x, axis, keep), tf.reduce_logsumexp(x, axis, keepdims=keep),
                    x, dtype, "logsumexp")


# =========================================================================== one_hot


@tfmark
@pytest.mark.parametrize("shape", ELEM_SHAPES, ids=str)
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("out_dtype", [np.float32, np.float64, np.int32])
def test_one_hot(tf, rng, shape, index_dtype, out_dtype):
    idx = rng.integers(0, 5, size=shape).astype(index_dtype)
    ours = le.one_hot(idx, 5, dtype=out_dtype)
    theirs = tf.one_hot(idx, 5, dtype=tf.as_dtype(out_dtype)).numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@tfmark
def test_one_hot_out_of_range_refused_where_tf_gives_zeros(tf):
    """A documented difference: tf.one_hot silently returns an all-zero row."""
    assert tf.one_hot([5], 5).numpy().tolist() == [[0.0] * 5]
    with pytest.raises(le.LabelValueError, match="5"):
        le.one_hot([5], 5)


# =========================================================================== tf.nn losses


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), AXES, ids=str)
@pytest.mark.parametrize("labels_kind", ["onehot", "soft"])
def test_softmax_cross_entropy_with_logits(tf, rng, dtype, shape, axis, labels_kind):
    x = logits_like(rng, shape, dtype)
    if labels_kind == "onehot":
        y = onehot_along(rng, shape, axis, dtype)
    else:
        y = np_softmax(logits_like(rng, shape, dtype, scale=2), axis)
    ours = le.softmax_cross_entropy_with_logits(y, x, axis=axis)
    theirs = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x, axis=axis)
    assert_close_tf(ours, theirs, x, dtype, "softmax_cross_entropy_with_logits")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ROW_SHAPES, ids=str)
@pytest.mark.parametrize("label_dtype", [np.int32, np.int64])
def test_sparse_softmax_cross_entropy_with_logits(tf, rng, dtype, shape, label_dtype):
    x = logits_like(rng, shape, dtype)
    lab = rng.integers(0, shape[-1], size=shape[:-1]).astype(label_dtype)
    ours = le.sparse_softmax_cross_entropy_with_logits(lab, x)
    theirs = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "sparse_softmax_cross_entropy_with_logits")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ELEM_SHAPES, ids=str)
@pytest.mark.parametrize("labels_kind", ["binary", "soft"])
def test_sigmoid_cross_entropy_with_logits(tf, rng, dtype, shape, labels_kind):
    x = logits_like(rng, shape, dtype, scale=10)
    if labels_kind == "binary":
        z = rng.integers(0, 2, size=shape).astype(dtype)
    else:
        z = rng.uniform(0, 1, size=shape).astype(dtype)
    ours = le.sigmoid_cross_entropy_with_logits(z, x)
    theirs = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "sigmoid_cross_entropy_with_logits")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tf_nn_losses_extremes(tf, rng, dtype):
    x = extreme_rows(dtype)
    n, c = x.shape
    labels = np.arange(n) % c
    with np.errstate(over="raise", invalid="raise"):
        ours = le.sparse_softmax_cross_entropy_with_logits(labels, x)
    theirs = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
    assert np.all(np.isfinite(theirs))
    assert_close_tf(ours, theirs, x, dtype, "sparse_softmax_cross_entropy_with_logits")

    y = np.eye(c, dtype=dtype)[labels]
    ours = le.softmax_cross_entropy_with_logits(y, x)
    theirs = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "softmax_cross_entropy_with_logits")

    z = (rng.uniform(size=x.shape) < 0.5).astype(dtype)
    with np.errstate(over="raise", invalid="raise"):
        ours = le.sigmoid_cross_entropy_with_logits(z, x)
    theirs = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "sigmoid_cross_entropy_with_logits")


@tfmark
@HYP
@given(data=st.data(), dtype=st.sampled_from(DTYPES))
def test_tf_nn_losses_hypothesis(tf, data, dtype):
    shape = data.draw(row_shapes)
    x = data.draw(float_arrays(dtype, shape))
    lab = np.asarray(data.draw(hnp.arrays(np.int64, shape[:-1],
                                          elements=st.integers(0, shape[-1] - 1))))
    # random floats may happen to look like probabilities: skip that heuristic
    ours = le.sparse_softmax_cross_entropy_with_logits(lab, x, validate=False)
    theirs = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "sparse_softmax_cross_entropy_with_logits")

    y = np.eye(shape[-1], dtype=dtype)[lab]
    ours = le.softmax_cross_entropy_with_logits(y, x, validate=False)
    theirs = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "softmax_cross_entropy_with_logits")

    z = data.draw(float_arrays(dtype, shape, 0.0, 1.0))
    ours = le.sigmoid_cross_entropy_with_logits(z, x)
    theirs = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert_close_tf(ours, theirs, x, dtype, "sigmoid_cross_entropy_with_logits")


# =========================================================================== Keras functions


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), [((8, 5), -1), ((3, 4, 6), -1), ((8, 5), 0),
                                             ((3, 4, 6), 1)], ids=str)
@pytest.mark.parametrize("kind", PRED_KINDS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_categorical_crossentropy(keras, rng, dtype, shape, axis, kind, label_smoothing):
    logits = logits_like(rng, shape, dtype)
    y_pred, from_logits = pred_for(kind, logits, axis)
    y = onehot_along(rng, shape, axis, dtype)
    ours = call_quiet(le.categorical_crossentropy, y, y_pred, from_logits=from_logits,
                      label_smoothing=label_smoothing, axis=axis)
    theirs = keras.losses.categorical_crossentropy(y, y_pred, from_logits=from_logits,
                                                   label_smoothing=label_smoothing, axis=axis)
    assert_close_tf(ours, theirs, logits if kind == "logits" else 1.0, dtype,
                    f"categorical_crossentropy[{kind}]")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kind", PRED_KINDS)
@pytest.mark.parametrize("ignore_class", [None, 1, -1])
@pytest.mark.parametrize(("label_form", "shape"), [
    ("int64", (8, 5)), ("int64", (3, 4, 6)), ("int32", (8, 5)), ("float", (3, 4, 6)),
    ("trailing1", (8, 5)), ("trailing1", (3, 4, 6))], ids=str)
def test_sparse_categorical_crossentropy(keras, rng, dtype, shape, kind, ignore_class,
                                         label_form):
    logits = logits_like(rng, shape, dtype)
    y_pred, from_logits = pred_for(kind, logits)
    lab = rng.integers(0, shape[-1], size=shape[:-1])
    if ignore_class is not None:
        lab[..., ::3] = ignore_class
    if label_form == "int32":
        lab = lab.astype(np.int32)
    elif label_form == "float":  # Keras accepts whole-number floats; so does lossedu
        lab = lab.astype(dtype)
    elif label_form == "trailing1":  # Keras squeezes a trailing axis of size 1
        lab = lab[..., None]
    ours = call_quiet(le.sparse_categorical_crossentropy, lab, y_pred, from_logits=from_logits,
                      ignore_class=ignore_class)
    theirs = keras.losses.sparse_categorical_crossentropy(
        lab, y_pred, from_logits=from_logits, ignore_class=ignore_class)
    assert_close_tf(ours, theirs, logits if kind == "logits" else 1.0, dtype,
                    f"sparse_categorical_crossentropy[{kind}]")
    if ignore_class is not None:
        flat = np.squeeze(lab, -1) if label_form == "trailing1" else lab
        assert np.all(ours[flat == ignore_class] == 0)


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), [((8, 5), -1), ((3, 4, 6), -1), ((8, 1), -1),
                                             ((8, 5), 0), ((3, 4, 6), 1)], ids=str)
@pytest.mark.parametrize("kind", PRED_KINDS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_binary_crossentropy(keras, rng, dtype, shape, axis, kind, label_smoothing):
    logits = logits_like(rng, shape, dtype)
    y_pred = {"logits": logits, "probs": 1 / (1 + np.exp(-logits)), "raw": logits}[kind]
    y_pred = y_pred.astype(dtype)
    from_logits = kind == "logits"
    for y in (rng.integers(0, 2, size=shape).astype(dtype),  # 0/1 targets
              rng.uniform(size=shape).astype(dtype)):  # soft targets
        ours = call_quiet(le.binary_crossentropy, y, y_pred, from_logits=from_logits,
                          label_smoothing=label_smoothing, axis=axis)
        theirs = keras.losses.binary_crossentropy(y, y_pred, from_logits=from_logits,
                                                  label_smoothing=label_smoothing, axis=axis)
        assert_close_tf(ours, theirs, logits if from_logits else 1.0, dtype,
                        f"binary_crossentropy[{kind}]")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kind", PRED_KINDS)
def test_keras_functions_extremes(keras, dtype, kind):
    x = extreme_rows(dtype)
    n, c = x.shape
    lab = np.arange(n) % c
    y = np.eye(c, dtype=dtype)[lab]
    y_pred, from_logits = pred_for(kind, x)
    scale = x if from_logits else 1.0

    ours = call_quiet(le.categorical_crossentropy, y, y_pred, from_logits=from_logits)
    theirs = keras.losses.categorical_crossentropy(y, y_pred, from_logits=from_logits)
    if kind == "raw":  # a raw row summing to 0 divides by 0: NaN in Keras, NaN here too
        assert np.isnan(to_numpy(theirs)).any()
    else:
        assert np.all(np.isfinite(to_numpy(theirs)))
    assert_close_tf(ours, theirs, scale, dtype, f"categorical_crossentropy[{kind}]")

    ours = call_quiet(le.sparse_categorical_crossentropy, lab, y_pred, from_logits=from_logits)
    theirs = keras.losses.sparse_categorical_crossentropy(lab, y_pred, from_logits=from_logits)
    assert_close_tf(ours, theirs, scale, dtype, f"sparse_categorical_crossentropy[{kind}]")

    yb = (np.arange(x.size).reshape(x.shape) % 3 == 0).astype(dtype)
    bpred = {"logits": x, "probs": le.sigmoid(x), "raw": x}[kind]
    ours = call_quiet(le.binary_crossentropy, yb, bpred, from_logits=from_logits)
    theirs = keras.losses.binary_crossentropy(yb, bpred, from_logits=from_logits)
    assert_close_tf(ours, theirs, scale, dtype, f"binary_crossentropy[{kind}]")


@tfmark
def test_raw_logits_path_warns_and_still_matches_keras(keras, rng):
    """The pitfall path warns, and its value is Keras's value (the stalled training loss)."""
    logits = logits_like(rng, (16, 10), np.float32)
    lab = rng.integers(0, 10, size=16)
    with pytest.warns(le.LogitsAsProbabilitiesWarning, match="from_logits=True"):
        ours = le.sparse_categorical_crossentropy(lab, logits)
    theirs = keras.losses.sparse_categorical_crossentropy(lab, logits)
    assert_close_tf(ours, theirs, 1.0, np.float32, "sparse_categorical_crossentropy[raw]")


@tfmark
@HYP
@given(data=st.data(), dtype=st.sampled_from(DTYPES), kind=st.sampled_from(PRED_KINDS))
def test_keras_functions_hypothesis(keras, data, dtype, kind):
    shape = data.draw(row_shapes)
    x = data.draw(float_arrays(dtype, shape, -50.0, 50.0))
    lab = np.asarray(data.draw(hnp.arrays(np.int64, shape[:-1],
                                          elements=st.integers(0, shape[-1] - 1))))
    y_pred, from_logits = pred_for(kind, x)
    scale = x if from_logits else 1.0
    ours = call_quiet(le.sparse_categorical_crossentropy, lab, y_pred, from_logits=from_logits,
                      validate=False)
    theirs = keras.losses.sparse_categorical_crossentropy(lab, y_pred, from_logits=from_logits)
    assert_close_tf(ours, theirs, scale, dtype, f"sparse_categorical_crossentropy[{kind}]")

    z = data.draw(float_arrays(dtype, shape, 0.0, 1.0))
    bpred = le.sigmoid(x) if kind == "probs" else x
    ours = call_quiet(le.binary_crossentropy, z, bpred, from_logits=from_logits)
    theirs = keras.losses.binary_crossentropy(z, bpred, from_logits=from_logits)
    assert_close_tf(ours, theirs, scale, dtype, f"binary_crossentropy[{kind}]")


# =========================================================================== reductions


def _loss_pair(keras, which, kind, reduction, dtype, ignore_class=None):
    """(lossedu per-example function, Keras loss object) for one configuration."""
    from_logits = kind == "logits"
    name = np.dtype(dtype).name
    if which == "cce":
        obj = keras.losses.CategoricalCrossentropy(from_logits=from_logits, reduction=reduction,
                                                   dtype=name)
        fn = le.categorical_crossentropy
    elif which == "scce":
        obj = keras.losses.SparseCategoricalCrossentropy(
            from_logits=from_logits, reduction=reduction, dtype=name, ignore_class=ignore_class)

        def fn(y, p, from_logits):
            return le.sparse_categorical_crossentropy(y, p, from_logits=from_logits,
                                                      ignore_class=ignore_class)
    else:
        obj = keras.losses.BinaryCrossentropy(from_logits=from_logits, reduction=reduction,
                                              dtype=name)
        fn = le.binary_crossentropy
    return fn, obj


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("reduction", le.REDUCTIONS, ids=str)
@pytest.mark.parametrize(("which", "shape"), [
    ("cce", (8, 5)), ("scce", (8, 5)), ("scce", (3, 4, 6)), ("bce", (8, 1)), ("bce", (3, 4, 6))],
    ids=str)
@pytest.mark.parametrize("weights", [None, "with_zeros", "trailing1"])
def test_reduce_loss_matches_keras_loss_objects(keras, rng, dtype, reduction, which, weights,
                                                shape):
    kind = "logits" if which != "bce" else "probs"
    logits = logits_like(rng, shape, dtype)
    if which == "cce":
        y = onehot_along(rng, shape, -1, dtype)
        y_pred = logits
    elif which == "scce":
        y = rng.integers(0, shape[-1], size=shape[:-1])
        y_pred = logits
    else:
        y = rng.integers(0, 2, size=shape).astype(dtype)
        y_pred = (1 / (1 + np.exp(-logits))).astype(dtype)
    fn, obj = _loss_pair(keras, which, kind, reduction, dtype)
    batch = shape[:-1]
    if weights == "with_zeros":  # positive weights, a third of them exactly 0
        sw = (rng.uniform(0, 2, size=batch) * (rng.uniform(size=batch) > 1 / 3)).astype(dtype)
    elif weights == "trailing1":  # one weight per example, shape (B, 1)
        sw = rng.uniform(0, 2, size=batch[:1] + (1,)).astype(dtype)
    else:
        sw = None
    values = fn(y, y_pred, from_logits=kind == "logits")
    ours = le.reduce_loss(values, reduction, sample_weight=sw)
    theirs = obj(y, y_pred, sample_weight=sw)
    assert_close_tf(ours, theirs, logits if kind == "logits" else 1.0, dtype,
                    f"reduce_loss[{reduction}]")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("reduction", le.REDUCTIONS, ids=str)
@pytest.mark.parametrize("ignore_class", [0, -1, 255])
@pytest.mark.parametrize("kind", ["logits", "probs"])
def test_reduce_loss_with_ignore_class(keras, rng, dtype, reduction, ignore_class, kind):
    shape = (6, 4, 5)
    logits = logits_like(rng, shape, dtype)
    y_pred, _ = pred_for(kind, logits)
    lab = rng.integers(0, shape[-1], size=shape[:-1])
    lab[rng.uniform(size=lab.shape) < 0.3] = ignore_class
    fn, obj = _loss_pair(keras, "scce", kind, reduction, dtype, ignore_class=ignore_class)
    values = fn(lab, y_pred, from_logits=kind == "logits")
    for sw in (None, rng.uniform(0, 2, size=shape[:-1]).astype(dtype)):
        ours = le.reduce_loss(values, reduction, sample_weight=sw, mask=lab != ignore_class)
        theirs = obj(lab, y_pred, sample_weight=sw)
        assert_close_tf(ours, theirs, logits if kind == "logits" else 1.0, dtype,
                        f"reduce_loss[{reduction}, ignore_class]")


@tfmark
def test_reduce_loss_everything_ignored_is_zero_like_keras(keras):
    lab = np.array([3, 3, 3])
    logits = np.zeros((3, 4), np.float32)
    obj = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=3)
    values = le.sparse_categorical_crossentropy(lab, logits, from_logits=True, ignore_class=3,
                                                validate=False)
    ours = le.reduce_loss(values, mask=lab != 3)
    assert float(ours) == float(obj(lab, logits)) == 0.0


# =========================================================================== gradients


def _tape_grad(tf, fn, x):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(fn(xt))
    return tape.gradient(loss, xt).numpy()


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "axis"), AXES, ids=str)
@pytest.mark.parametrize("labels_kind", ["onehot", "soft"])
def test_softmax_cross_entropy_grad(tf, rng, dtype, shape, axis, labels_kind):
    x = logits_like(rng, shape, dtype)
    if labels_kind == "onehot":
        y = onehot_along(rng, shape, axis, dtype)
    else:
        y = np_softmax(logits_like(rng, shape, dtype, scale=2), axis)
    theirs = _tape_grad(tf, lambda t: tf.nn.softmax_cross_entropy_with_logits(
        labels=y, logits=t, axis=axis), x)
    ours = le.softmax_cross_entropy_grad(y, x, axis=axis)
    assert_close_tf(ours, theirs, x, dtype, "softmax_cross_entropy_grad")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ROW_SHAPES, ids=str)
def test_sparse_softmax_cross_entropy_grad(tf, rng, dtype, shape):
    x = logits_like(rng, shape, dtype)
    lab = rng.integers(0, shape[-1], size=shape[:-1])
    theirs = _tape_grad(tf, lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=lab, logits=t), x)
    ours = le.sparse_softmax_cross_entropy_grad(lab, x)
    assert_close_tf(ours, theirs, x, dtype, "sparse_softmax_cross_entropy_grad")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ELEM_SHAPES, ids=str)
def test_sigmoid_cross_entropy_grad(tf, rng, dtype, shape):
    x = logits_like(rng, shape, dtype, scale=10)
    z = rng.uniform(size=shape).astype(dtype)
    theirs = _tape_grad(tf, lambda t: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=t), x)
    ours = le.sigmoid_cross_entropy_grad(z, x)
    assert_close_tf(ours, theirs, 1.0, dtype, "sigmoid_cross_entropy_grad")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_gradients_extremes(tf, rng, dtype):
    x = extreme_rows(dtype)
    n, c = x.shape
    lab = np.arange(n) % c
    y = np.eye(c, dtype=dtype)[lab]
    theirs = _tape_grad(tf, lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=lab, logits=t), x)
    with np.errstate(over="raise", invalid="raise"):
        ours = le.sparse_softmax_cross_entropy_grad(lab, x)
    assert_close_tf(ours, theirs, x, dtype, "sparse_softmax_cross_entropy_grad")
    theirs = _tape_grad(tf, lambda t: tf.nn.softmax_cross_entropy_with_logits(
        labels=y, logits=t), x)
    assert_close_tf(le.softmax_cross_entropy_grad(y, x), theirs, x, dtype,
                    "softmax_cross_entropy_grad")
    z = (rng.uniform(size=x.shape) < 0.5).astype(dtype)
    theirs = _tape_grad(tf, lambda t: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=t), x)
    assert_close_tf(le.sigmoid_cross_entropy_grad(z, x), theirs, 1.0, dtype,
                    "sigmoid_cross_entropy_grad")


@tfmark
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kind", ["probs", "raw", "boundaries", "logits"])
def test_sparse_categorical_crossentropy_grad(keras, tf, rng, dtype, kind):
    """Through Keras's clip: exactly zero where the clip is active, the same value elsewhere."""
    shape = (12, 6)
    logits = logits_like(rng, shape, dtype)
    lab = rng.integers(0, shape[-1], size=shape[0])
    if kind == "boundaries":
        # probabilities with entries below, at, and above the clip bounds 1e-7 and 1 - 1e-7
        eps = dtype(1e-7)
        p = np_softmax(logits)
        p[0, :3] = [0, eps, 2 * eps]
        p[1, :3] = [1 - eps, 1, 0.5]
        p[2, :3] = [eps / 2, -0.0, 1 - 2 * eps]
        y_pred, from_logits = p, False
    else:
        y_pred, from_logits = pred_for(kind, logits)
    theirs = _tape_grad(tf, lambda t: keras.losses.sparse_categorical_crossentropy(
        lab, t, from_logits=from_logits), y_pred)
    ours = le.sparse_categorical_crossentropy_grad(lab, y_pred, from_logits=from_logits)
    assert ours.dtype == theirs.dtype
    if not from_logits:
        # the pitfall: clipped entries get exactly zero gradient, in both
        np.testing.assert_array_equal(ours == 0, theirs == 0)
        if kind == "raw":
            assert np.all(ours[y_pred < 0] == 0) and (y_pred < 0).any()
    assert_close_tf(ours, theirs, logits if from_logits else 1.0, dtype,
                    f"sparse_categorical_crossentropy_grad[{kind}]")


# ------------------------------------------------------------------ numerical gradients


def _tf_scalar(tf, fn):
    return lambda v: float(tf.reduce_sum(fn(tf.constant(v))).numpy())


@tfmark
@pytest.mark.parametrize("loss", ["softmax", "sparse", "sigmoid", "scce_probs"])
def test_numerical_gradient_and_check_gradient_float64(tf, keras, rng, loss):
    """Central differences agree with lossedu's analytic gradients and with TF's tape."""
    x = logits_like(rng, (3, 4), np.float64, scale=2)
    lab = rng.integers(0, 4, size=3)
    y = np.eye(4)[lab]
    z = rng.uniform(size=x.shape)
    if loss == "softmax":
        ours_f = lambda v: le.softmax_cross_entropy_with_logits(y, v).sum()  # noqa: E731
        tf_f = lambda t: tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=t)  # noqa: E731
        analytic = le.softmax_cross_entropy_grad(y, x)
    elif loss == "sparse":
        ours_f = lambda v: le.sparse_softmax_cross_entropy_with_logits(lab, v).sum()  # noqa: E731
        tf_f = lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(  # noqa: E731
            labels=lab, logits=t)
        analytic = le.sparse_softmax_cross_entropy_grad(lab, x)
    elif loss == "sigmoid":
        ours_f = lambda v: le.sigmoid_cross_entropy_with_logits(z, v).sum()  # noqa: E731
        tf_f = lambda t: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=t)  # noqa: E731
        analytic = le.sigmoid_cross_entropy_grad(z, x)
    else:
        x = np_softmax(x) * 0.9 + 0.025  # strictly inside the clip, not a distribution
        ours_f = lambda v: le.sparse_categorical_crossentropy(lab, v).sum()  # noqa: E731
        tf_f = lambda t: keras.losses.sparse_categorical_crossentropy(lab, t)  # noqa: E731
        analytic = le.sparse_categorical_crossentropy_grad(lab, x)
    x_before = x.copy()
    num = le.numerical_gradient(ours_f, x)
    np.testing.assert_array_equal(x, x_before)  # the input is not modified
    assert num.dtype == np.float64 and num.shape == x.shape
    assert le.check_gradient(ours_f, analytic, x) < 1e-8
    tape = _tape_grad(tf, tf_f, x)
    assert le.check_gradient(_tf_scalar(tf, tf_f), tape, x) < 1e-8
    np.testing.assert_allclose(num, tape, rtol=1e-7, atol=1e-8)
    # a wrong gradient is caught
    assert le.check_gradient(ours_f, analytic + 1e-3, x) > 1e-4


@tfmark
def test_tf_gradient_is_wrong_for_non_distribution_labels(tf):
    """TF returns softmax - labels even when labels do not sum to 1; lossedu's grad is exact."""
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    y = np.array([[2.0, 0.0, 0.0], [0.0, 0.3, 0.3]])
    tf_f = lambda t: tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=t)  # noqa: E731
    tape = _tape_grad(tf, tf_f, x)
    num = le.numerical_gradient(_tf_scalar(tf, tf_f), x)
    ours = le.softmax_cross_entropy_grad(y, x)
    np.testing.assert_allclose(tape, tf.nn.softmax(x).numpy() - y, rtol=1e-12)
    assert np.max(np.abs(tape - num)) > 0.1  # TF's gradient is not its loss's gradient
    np.testing.assert_allclose(ours, num, rtol=1e-7, atol=1e-8)
    # and validate=False reproduces TF's loss value on these labels
    assert_close_tf(le.softmax_cross_entropy_with_logits(y, x, validate=False), tf_f(x), x,
                    np.float64, "softmax_cross_entropy_with_logits")
