"""TensorFlow / Keras as the oracle for the imbalance pieces: the weighted sigmoid CE, the
focal losses and class weights turned into sample weights (lesson 07).

Random inputs (seeded generators) and hand-made extreme rows, compared with the honest
tolerances of tests/helpers.py; every bad input raises a teaching error.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_tf, extreme_rows, logits_like

import lossedu as le
from lossedu.errors import (
    ClassCountError,
    LabelValueError,
    LossInputError,
    ParameterError,
    ProbabilitiesNotLogitsError,
    ShapeMismatchError,
)

pytestmark = pytest.mark.tf

DTYPES = [np.float32, np.float64]
SHAPES = [(7,), (8, 1), (6, 5), (3, 4, 2)]


def _binary_targets(rng, shape, dtype, soft=False):
    return (rng.random(shape) if soft else rng.integers(0, 2, shape)).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("pos_weight", [0.0, 0.3, 1.0, 9.0])
def test_weighted_cross_entropy_matches_tf(tf, dtype, shape, pos_weight):
    rng = np.random.default_rng(hash((shape, pos_weight)) % 2**32)
    x = logits_like(rng, shape, dtype)
    z = _binary_targets(rng, shape, dtype, soft=pos_weight == 0.3)
    ours = le.weighted_cross_entropy_with_logits(z, x, pos_weight=pos_weight)
    theirs = tf.nn.weighted_cross_entropy_with_logits(z, x, pos_weight=dtype(pos_weight))
    assert_close_tf(ours, theirs, x, dtype, name="weighted_cross_entropy_with_logits")


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_weighted_cross_entropy_extremes_and_per_column_weights(tf, dtype):
    x = extreme_rows(dtype)
    z = np.random.default_rng(1).integers(0, 2, x.shape).astype(dtype)
    q = np.linspace(0.5, 4.0, x.shape[-1]).astype(dtype)
    ours = le.weighted_cross_entropy_with_logits(z, x, pos_weight=q)
    assert_close_tf(ours, tf.nn.weighted_cross_entropy_with_logits(z, x, pos_weight=q), x, dtype)


def test_weighted_cross_entropy_with_weight_one_is_the_sigmoid_ce():
    x = np.array([-30.0, -1.0, 0.0, 2.0, 40.0])
    z = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    np.testing.assert_allclose(le.weighted_cross_entropy_with_logits(z, x, 1.0),
                               np.logaddexp(0, x) - z * x, rtol=1e-12)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), "9", True])
def test_weighted_cross_entropy_refuses_bad_weights(bad):
    with pytest.raises(ParameterError, match="pos_weight"):
        le.weighted_cross_entropy_with_logits([1.0], [0.5], pos_weight=bad)


def test_weighted_cross_entropy_refuses_labels_outside_0_1_and_bad_shapes():
    with pytest.raises(LabelValueError, match="labels"):
        le.weighted_cross_entropy_with_logits([3.0], [0.5], pos_weight=2.0)
    with pytest.raises(ShapeMismatchError):
        le.weighted_cross_entropy_with_logits([[1.0, 0.0]], [[0.5, 1.0, 2.0]], pos_weight=2.0)


# ------------------------------------------------------------------------ focal losses

FOCAL_CASES = [
    dict(gamma=2.0), dict(gamma=0.0), dict(gamma=0.5, apply_class_balancing=True),
    dict(gamma=3.0, apply_class_balancing=True, alpha=0.9), dict(gamma=2.0, label_smoothing=0.1),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("shape", [(6, 1), (5, 4), (2, 3, 3)])
@pytest.mark.parametrize("kw", FOCAL_CASES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in
                                                                     kw.items()))
@pytest.mark.parametrize("from_logits", [True, False], ids=["logits", "probs"])
def test_binary_focal_matches_keras(keras, dtype, shape, kw, from_logits):
    rng = np.random.default_rng(len(shape) * 7 + int(10 * kw["gamma"]))
    x = logits_like(rng, shape, dtype)
    pred = x if from_logits else (1 / (1 + np.exp(-x.astype(np.float64)))).astype(dtype)
    y = _binary_targets(rng, shape, dtype)
    ours = le.binary_focal_crossentropy(y, pred, from_logits=from_logits, **kw)
    theirs = keras.losses.binary_focal_crossentropy(y, pred, from_logits=from_logits, **kw)
    assert_close_tf(ours, theirs, x, dtype, name="binary_focal_crossentropy")


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_binary_focal_extremes(keras, dtype):
    x = extreme_rows(dtype, big=60.0)
    y = np.random.default_rng(3).integers(0, 2, x.shape).astype(dtype)
    ours = le.binary_focal_crossentropy(y, x, from_logits=True, axis=None)
    theirs = keras.losses.binary_focal_crossentropy(y, x, from_logits=True, axis=None)
    assert_close_tf(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("shape,axis", [((6, 5), -1), ((2, 3, 4), -1), ((4, 3), 0)])
@pytest.mark.parametrize("kw", [dict(), dict(gamma=0.0, alpha=1.0), dict(label_smoothing=0.2),
                                dict(gamma=1.0, alpha=0.5)])
@pytest.mark.parametrize("from_logits", [True, False], ids=["logits", "probs"])
def test_categorical_focal_matches_keras(keras, dtype, shape, axis, kw, from_logits):
    rng = np.random.default_rng(sum(shape) + axis)
    x = logits_like(rng, shape, dtype)
    e = np.exp(x.astype(np.float64) - x.max(axis=axis, keepdims=True))
    pred = x if from_logits else (e / e.sum(axis=axis, keepdims=True)).astype(dtype)
    k = rng.integers(0, shape[axis], np.delete(shape, axis % len(shape)))
    y = np.moveaxis(np.eye(shape[axis], dtype=dtype)[k], -1, axis)
    ours = le.categorical_focal_crossentropy(y, pred, from_logits=from_logits, axis=axis, **kw)
    theirs = keras.losses.categorical_focal_crossentropy(y, pred, from_logits=from_logits,
                                                         axis=axis, **kw)
    assert_close_tf(ours, theirs, x, dtype, name="categorical_focal_crossentropy")


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_categorical_focal_extremes_and_per_class_alpha(keras, dtype):
    x = extreme_rows(dtype)
    y = np.eye(x.shape[-1], dtype=dtype)[np.arange(x.shape[0]) % x.shape[-1]]
    alpha = np.linspace(0.1, 1.0, x.shape[-1]).astype(dtype)
    ours = le.categorical_focal_crossentropy(y, x, alpha=alpha, from_logits=True)
    theirs = keras.losses.categorical_focal_crossentropy(y, x, alpha=alpha, from_logits=True)
    assert_close_tf(ours, theirs, x, dtype)


def test_focal_with_gamma_0_is_the_cross_entropy_mpmath():
    import mpmath

    z, y = 1.5, 1.0
    want = float(-mpmath.log(1 / (1 + mpmath.exp(-z))))
    got = le.binary_focal_crossentropy([y], np.array([z]), gamma=0.0, from_logits=True)
    assert abs(float(got) - want) < 1e-12


@pytest.mark.parametrize("fn", [le.binary_focal_crossentropy, le.categorical_focal_crossentropy])
@pytest.mark.parametrize("gamma", [-0.5, float("inf"), "2", None])
def test_focal_refuses_bad_gamma(fn, gamma):
    with pytest.raises(ParameterError, match="gamma"):
        fn([[0.0, 1.0]], [[0.3, 0.7]], gamma=gamma)


def test_focal_refuses_bad_alpha_targets_and_probabilities_as_logits():
    with pytest.raises(ParameterError, match="alpha"):
        le.binary_focal_crossentropy([[1.0]], [[0.4]], alpha=1.5, apply_class_balancing=True)
    with pytest.raises(LabelValueError):
        le.binary_focal_crossentropy([[2.0]], [[0.4]])
    with pytest.raises(ProbabilitiesNotLogitsError):
        le.categorical_focal_crossentropy([[0.0, 1.0]], [[0.3, 0.7]], from_logits=True)
    with pytest.raises(ClassCountError):
        le.categorical_focal_crossentropy([[1.0]], [[0.7]])


# ------------------------------------------------------------------------ class weights


@pytest.fixture(scope="module")
def keras_class_weights():
    """Keras's own conversion, the one model.fit(class_weight=...) uses (a private helper)."""
    from keras.src.trainers.data_adapters.data_adapter_utils import (
        class_weight_to_sample_weights,
    )
    return class_weight_to_sample_weights


@pytest.mark.parametrize("form", ["sparse", "column", "one_hot", "float", "half"])
def test_class_weights_match_keras_fit(keras_class_weights, form):
    rng = np.random.default_rng(5)
    k = rng.integers(0, 4, 50)
    y = {"sparse": k, "column": k[:, None], "one_hot": np.eye(4)[k],
         "float": k.astype(np.float32), "half": k + 0.5}[form]
    weights = {0: 0.25, 2: 3.0, 3: 0.0}
    np.testing.assert_array_equal(le.class_weight_to_sample_weights(y, weights),
                                  keras_class_weights(y, weights))


def test_balanced_class_weight_closed_form():
    y = np.array([0] * 90 + [1] * 10)
    assert le.balanced_class_weight(y) == {0: 100 / 180, 1: 100 / 20}
    w = le.class_weight_to_sample_weights(y, le.balanced_class_weight(y))
    assert np.isclose(w[y == 0].sum(), w[y == 1].sum())


@pytest.mark.parametrize("bad", [{1: -2.0}, {1: float("nan")}, {"shirt": 2.0}, [1.0, 2.0]])
def test_class_weights_refuse_bad_weights(bad):
    with pytest.raises(ParameterError) as info:
        le.class_weight_to_sample_weights(np.array([0, 1]), bad)
    assert "fix:" in str(info.value)


def test_balanced_class_weight_refuses_a_missing_class_and_empty_labels():
    with pytest.raises(LabelValueError, match="class 1"):
        le.balanced_class_weight(np.array([0, 0, 2]))
    with pytest.raises(LossInputError):
        le.balanced_class_weight(np.array([], np.int64))
