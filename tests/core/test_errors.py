"""Errors that teach: one test per bad input, and TensorFlow's message side by side.

Each lossedu error is a ``ValueError`` subclass from :mod:`lossedu.errors` whose message
names the argument, shows what was received (a shape or a value), says what was expected,
and gives the fix.  The ``*_side_by_side`` tests call the TF/Keras counterpart on the same
input, capture its message, and print both: run ``pytest tests/core/test_errors.py -s -m tf`` to
read them next to each other.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import lossedu as le
from lossedu.errors import (
    EmptyBatchError,
    LabelDtypeError,
    LabelShapeError,
    LabelValueError,
    LossInputError,
    ProbabilitiesNotLogitsError,
    ReductionError,
    ShapeMismatchError,
)

tfmark = pytest.mark.tf

LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 3.0, -2.0], [-1.5, 0.0, 1.0], [0.3, 0.2, -0.4]],
                  np.float32)
LABELS = np.array([0, 1, 2, 0])


def assert_teaches(excinfo, cls, argument, *received, fix):
    """The error is ``cls`` (a ValueError) and its message names argument, input and fix."""
    err = excinfo.value
    assert isinstance(err, ValueError)
    assert isinstance(err, LossInputError)
    assert type(err) is cls, f"{type(err).__name__} raised, {cls.__name__} expected"
    assert err.argument == argument
    msg = str(err)
    assert msg.startswith(f"Bad `{argument}`"), msg
    for fragment in received:
        assert fragment in msg, f"{fragment!r} not in message:\n{msg}"
    assert "expected:" in msg
    assert "fix:" in msg
    assert fix in msg.split("fix:", 1)[1], f"fix {fix!r} not in:\n{msg}"
    return msg


def side_by_side(case: str, theirs: BaseException | str, ours: BaseException) -> None:
    """Print both messages; ours must be a ValueError that says more (it has the fix)."""
    theirs_text = theirs if isinstance(theirs, str) else (
        f"{type(theirs).__name__}: {theirs}")
    ours_text = f"{type(ours).__name__}: {ours}"
    print(f"\n=== {case}\n--- TensorFlow / Keras:\n{theirs_text}\n--- lossedu:\n{ours_text}")
    assert isinstance(ours, ValueError)
    assert "fix:" in ours_text and "fix:" not in theirs_text
    assert "expected:" in ours_text


# =========================================================================== 1. (B, 1) labels


def test_sparse_labels_with_trailing_one():
    with pytest.raises(LabelShapeError) as excinfo:
        le.sparse_softmax_cross_entropy_with_logits(LABELS[:, None], LOGITS)
    assert_teaches(excinfo, LabelShapeError, "labels", "(4, 1)", "(4,)", "(4, 3)",
                   fix="squeeze(-1)")


def test_keras_style_sparse_loss_squeezes_the_trailing_one_like_keras():
    a = le.sparse_categorical_crossentropy(LABELS[:, None], LOGITS, from_logits=True)
    b = le.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True)
    np.testing.assert_array_equal(a, b)


@tfmark
def test_sparse_labels_with_trailing_one_side_by_side(tf):
    with pytest.raises(ValueError) as theirs:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS[:, None], logits=LOGITS)
    assert "rank" in str(theirs.value)
    with pytest.raises(LabelShapeError) as ours:
        le.sparse_softmax_cross_entropy_with_logits(LABELS[:, None], LOGITS)
    side_by_side("labels of shape (B, 1) to tf.nn.sparse_softmax_cross_entropy_with_logits",
                 theirs.value, ours.value)


# =========================================================================== 2. out of range


@pytest.mark.parametrize("bad", [3, 7, -1])
def test_label_out_of_range(bad):
    labels = LABELS.copy()
    labels[2] = bad
    with pytest.raises(LabelValueError) as excinfo:
        le.sparse_softmax_cross_entropy_with_logits(labels, LOGITS)
    assert_teaches(excinfo, LabelValueError, "labels", f"label value of {bad}", "index (2,)",
                   "[0, 3)", fix="labels - 1")


def test_label_out_of_range_keras_style():
    with pytest.raises(LabelValueError) as excinfo:
        le.sparse_categorical_crossentropy(np.array([0, 1, 10, 0]), LOGITS, from_logits=True)
    assert_teaches(excinfo, LabelValueError, "y_true", "label value of 10", "[0, 3)",
                   fix="one output unit per class")


@tfmark
@pytest.mark.parametrize("bad", [3, -1])
def test_label_out_of_range_side_by_side(tf, bad):
    labels = LABELS.copy()
    labels[2] = bad
    with pytest.raises(tf.errors.InvalidArgumentError) as theirs:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    assert f"label value of {bad}" in str(theirs.value)
    # TF's error is not even a ValueError; ours is
    assert not isinstance(theirs.value, ValueError)
    with pytest.raises(LabelValueError) as ours:
        le.sparse_softmax_cross_entropy_with_logits(labels, LOGITS)
    side_by_side(f"label {bad} with 3 classes", theirs.value, ours.value)


# ======================================================================= 3. float and NaN labels


@pytest.mark.parametrize("value", [1.7, 2.0])
def test_float_labels_to_tf_nn_style_sparse_loss(value):
    labels = np.array([0.0, value, 2.0, 0.0])
    with pytest.raises(LabelDtypeError) as excinfo:
        le.sparse_softmax_cross_entropy_with_logits(labels, LOGITS)
    assert_teaches(excinfo, LabelDtypeError, "labels", "dtype float64", "int32 or int64",
                   fix="labels.astype(np.int64)")


def test_fractional_label_to_keras_style_sparse_loss():
    labels = np.array([0.0, 1.7, 2.0, 0.0])
    with pytest.raises(LabelDtypeError) as excinfo:
        le.sparse_categorical_crossentropy(labels, LOGITS, from_logits=True)
    assert_teaches(excinfo, LabelDtypeError, "y_true", "1.7", "index (1,)", "truncate",
                   fix="class indices")


def test_whole_number_float_labels_accepted_keras_style():
    as_float = le.sparse_categorical_crossentropy(LABELS.astype(np.float32), LOGITS,
                                                  from_logits=True)
    as_int = le.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True)
    np.testing.assert_array_equal(as_float, as_int)


@pytest.mark.parametrize("fn", ["sparse_softmax_cross_entropy_with_logits",
                                "sparse_categorical_crossentropy"])
def test_nan_labels(fn):
    labels = np.array([0.0, np.nan, 2.0, 0.0])
    with pytest.raises(LabelValueError) as excinfo:
        getattr(le, fn)(labels, LOGITS)
    argument = "labels" if fn.startswith("sparse_softmax") else "y_true"
    assert_teaches(excinfo, LabelValueError, argument, "NaN", "index (1,)", fix="NaN labels")


@tfmark
def test_float_labels_side_by_side(tf, keras):
    # tf.nn refuses float labels, even whole numbers, with an attr-list message
    labels = np.array([0.0, 2.0, 2.0, 0.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as theirs:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    assert "Tlabels" in str(theirs.value)
    with pytest.raises(LabelDtypeError) as ours:
        le.sparse_softmax_cross_entropy_with_logits(labels, LOGITS)
    side_by_side("float labels [0., 2., 2., 0.] to tf.nn.sparse_softmax_cross_entropy_with_logits",
                 theirs.value, ours.value)

    # Keras accepts 2.0 (so does lossedu) and silently truncates 1.7 to 1
    fractional = np.array([0.0, 1.7, 2.0, 0.0])
    truncated = np.array([0, 1, 2, 0])
    k_frac = keras.losses.sparse_categorical_crossentropy(fractional, LOGITS, from_logits=True)
    k_trunc = keras.losses.sparse_categorical_crossentropy(truncated, LOGITS, from_logits=True)
    np.testing.assert_array_equal(k_frac.numpy(), k_trunc.numpy())
    with pytest.raises(LabelDtypeError) as ours:
        le.sparse_categorical_crossentropy(fractional, LOGITS, from_logits=True)
    side_by_side("label 1.7 to keras.losses.sparse_categorical_crossentropy",
                 f"(no error: Keras silently used label 1; losses {k_frac.numpy()})", ours.value)

    # NaN labels: Keras casts NaN to int64 and TF reports a huge negative label
    nan_labels = np.array([0.0, np.nan, 2.0, 0.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as theirs:
        keras.losses.sparse_categorical_crossentropy(nan_labels, LOGITS, from_logits=True)
    with pytest.raises(LabelValueError) as ours:
        le.sparse_categorical_crossentropy(nan_labels, LOGITS, from_logits=True)
    side_by_side("NaN label to keras.losses.sparse_categorical_crossentropy", theirs.value,
                 ours.value)


# =========================================================================== 4. shape mismatch


def test_mismatched_shapes_dense():
    labels = np.eye(3, dtype=np.float32)[[0, 1, 2]]  # 3 rows against 4
    with pytest.raises(ShapeMismatchError) as excinfo:
        le.softmax_cross_entropy_with_logits(labels, LOGITS)
    assert_teaches(excinfo, ShapeMismatchError, "labels", "(3, 3)", "(4, 3)",
                   fix="one row per example")


def test_mismatched_shapes_sparse():
    with pytest.raises(ShapeMismatchError) as excinfo:
        le.sparse_softmax_cross_entropy_with_logits(LABELS[:3], LOGITS)
    assert_teaches(excinfo, ShapeMismatchError, "labels", "(3,)", "(4, 3)",
                   fix="same batch")


def test_mismatched_shapes_binary():
    with pytest.raises(ShapeMismatchError) as excinfo:
        le.binary_crossentropy(np.zeros((4, 1)), np.zeros((4, 3)) + 0.5)
    assert_teaches(excinfo, ShapeMismatchError, "y_true", "(4, 1)", "(4, 3)",
                   fix="reshape")


def test_mismatched_shapes_sigmoid():
    with pytest.raises(ShapeMismatchError) as excinfo:
        le.sigmoid_cross_entropy_with_logits(LABELS, LOGITS)
    assert_teaches(excinfo, ShapeMismatchError, "labels", "(4,)", "(4, 3)", fix="one_hot")


def test_mismatched_sample_weight():
    with pytest.raises(ShapeMismatchError) as excinfo:
        le.reduce_loss(np.ones(4), sample_weight=np.ones(3))
    assert_teaches(excinfo, ShapeMismatchError, "sample_weight", "(3,)", "(4,)",
                   fix="one entry per example")


@tfmark
def test_mismatched_shapes_side_by_side(tf, keras):
    labels = np.eye(3, dtype=np.float32)[[0, 1, 2, 0]][:, :2]  # (4, 2) against (4, 3)
    with pytest.raises(tf.errors.InvalidArgumentError) as theirs:
        tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    with pytest.raises(ShapeMismatchError) as ours:
        le.softmax_cross_entropy_with_logits(labels, LOGITS)
    assert "(4, 2)" in str(ours.value) and "(4, 3)" in str(ours.value)
    side_by_side("labels (4, 2) against logits (4, 3), tf.nn", theirs.value, ours.value)

    with pytest.raises(ValueError) as theirs:
        keras.losses.categorical_crossentropy(labels, LOGITS)
    with pytest.raises(ShapeMismatchError) as ours:
        le.categorical_crossentropy(labels, LOGITS)
    side_by_side("y_true (4, 2) against y_pred (4, 3), Keras", theirs.value, ours.value)


# =========================================================================== 5. wrong label format


@pytest.mark.parametrize(("fn", "argument", "fix"), [
    ("sparse_softmax_cross_entropy_with_logits", "labels", "softmax_cross_entropy_with_logits"),
    ("sparse_categorical_crossentropy", "y_true", "categorical_crossentropy"),
])
def test_one_hot_labels_to_sparse_loss(fn, argument, fix):
    onehot = np.eye(3, dtype=np.float32)[LABELS]
    with pytest.raises(LabelShapeError) as excinfo:
        getattr(le, fn)(onehot, LOGITS)
    msg = assert_teaches(excinfo, LabelShapeError, argument, "one-hot", "(4, 3)", "(4,)",
                         fix=fix)
    assert "argmax(-1)" in msg


@pytest.mark.parametrize(("fn", "argument", "fix"), [
    ("softmax_cross_entropy_with_logits", "labels", "sparse_softmax_cross_entropy_with_logits"),
    ("categorical_crossentropy", "y_true", "sparse_categorical_crossentropy"),
])
def test_sparse_labels_to_one_hot_loss(fn, argument, fix):
    with pytest.raises(LabelShapeError) as excinfo:
        getattr(le, fn)(LABELS, LOGITS)
    msg = assert_teaches(excinfo, LabelShapeError, argument, "(4,)", "(4, 3)", fix=fix)
    assert f"one_hot({argument}, depth=3)" in msg


@tfmark
def test_wrong_label_format_side_by_side(tf, keras):
    onehot = np.eye(3, dtype=np.float32)[LABELS]
    # Keras's message is inverted: it blames `output`, the argument that is right
    with pytest.raises(ValueError) as theirs:
        keras.losses.sparse_categorical_crossentropy(onehot, LOGITS, from_logits=True)
    assert "Argument `output` must have rank" in str(theirs.value)
    with pytest.raises(LabelShapeError) as ours:
        le.sparse_categorical_crossentropy(onehot, LOGITS, from_logits=True)
    side_by_side("one-hot labels to keras.losses.sparse_categorical_crossentropy",
                 theirs.value, ours.value)

    with pytest.raises(ValueError) as theirs:
        keras.losses.categorical_crossentropy(LABELS, LOGITS, from_logits=True)
    with pytest.raises(LabelShapeError) as ours:
        le.categorical_crossentropy(LABELS, LOGITS, from_logits=True)
    side_by_side("sparse labels to keras.losses.categorical_crossentropy",
                 theirs.value, ours.value)

    with pytest.raises(tf.errors.InvalidArgumentError) as theirs:
        tf.nn.softmax_cross_entropy_with_logits(labels=LABELS.astype(np.float32), logits=LOGITS)
    with pytest.raises(LabelShapeError) as ours:
        le.softmax_cross_entropy_with_logits(LABELS, LOGITS)
    side_by_side("sparse labels to tf.nn.softmax_cross_entropy_with_logits",
                 theirs.value, ours.value)


# =========================================================================== reductions


def test_unknown_reduction():
    with pytest.raises(ReductionError) as excinfo:
        le.reduce_loss(np.ones(3), "average")
    msg = assert_teaches(excinfo, ReductionError, "reduction", "'average'",
                         fix='reduction="sum_over_batch_size"')
    for valid in le.REDUCTIONS:
        assert repr(valid) in msg


@pytest.mark.parametrize("auto", ["auto", "AUTO", "Reduction.AUTO"])
def test_auto_reduction_was_removed_in_keras_3(auto):
    with pytest.raises(ReductionError) as excinfo:
        le.reduce_loss(np.ones(3), auto)
    msg = assert_teaches(excinfo, ReductionError, "reduction", repr(auto),
                         fix="removed in Keras 3")
    for valid in le.REDUCTIONS:
        assert repr(valid) in msg


@tfmark
def test_auto_reduction_side_by_side(keras):
    with pytest.raises(ValueError) as theirs:
        keras.losses.SparseCategoricalCrossentropy(reduction="auto")
    with pytest.raises(ReductionError) as ours:
        le.reduce_loss(np.ones(3), "auto")
    side_by_side('reduction="auto"', theirs.value, ours.value)


# =========================================================================== empty batch


@pytest.mark.parametrize("call", [
    lambda: le.sparse_softmax_cross_entropy_with_logits(np.zeros(0, int),
                                                        np.zeros((0, 3), np.float32)),
    lambda: le.softmax_cross_entropy_with_logits(np.zeros((0, 3)), np.zeros((0, 3))),
    lambda: le.categorical_crossentropy(np.zeros((0, 3)), np.zeros((0, 3)), from_logits=True),
    lambda: le.sparse_categorical_crossentropy(np.zeros(0, int), np.zeros((0, 3))),
    lambda: le.binary_crossentropy(np.zeros((0, 1)), np.zeros((0, 1))),
    lambda: le.sigmoid_cross_entropy_with_logits(np.zeros(0), np.zeros(0)),
], ids=["sparse_tf_nn", "dense_tf_nn", "cce", "scce", "bce", "sigmoid"])
def test_empty_batch(call):
    with pytest.raises(EmptyBatchError) as excinfo:
        call()
    argument = excinfo.value.argument
    assert argument in ("logits", "y_pred")
    assert_teaches(excinfo, EmptyBatchError, argument, "empty array", "(0,", fix="batch")


def test_empty_batch_reduce_loss():
    with pytest.raises(EmptyBatchError) as excinfo:
        le.reduce_loss(np.zeros(0, np.float32))
    assert_teaches(excinfo, EmptyBatchError, "values", "shape (0,)", fix="batch slicing")


@tfmark
def test_empty_batch_keras_returns_an_empty_loss(keras):
    """Keras does not complain: the loss of an empty batch is an empty tensor, not a number."""
    out = keras.losses.SparseCategoricalCrossentropy()(np.zeros(0, int),
                                                      np.zeros((0, 3), np.float32))
    assert out.shape == (0,)
    with pytest.raises(EmptyBatchError) as ours:
        le.sparse_categorical_crossentropy(np.zeros(0, int), np.zeros((0, 3), np.float32))
    side_by_side("empty batch to SparseCategoricalCrossentropy()",
                 f"(no error: Keras returned {out!r})", ours.value)


# =========================================================================== probabilities / logits


@pytest.mark.parametrize("fn", ["sparse_softmax_cross_entropy_with_logits",
                                "sparse_categorical_crossentropy"])
def test_probabilities_given_as_logits(fn):
    probs = le.softmax(LOGITS)
    kwargs = {"from_logits": True} if fn == "sparse_categorical_crossentropy" else {}
    with pytest.raises(ProbabilitiesNotLogitsError) as excinfo:
        getattr(le, fn)(LABELS, probs, **kwargs)
    argument = "logits" if fn.startswith("sparse_softmax") else "y_pred"
    assert_teaches(excinfo, ProbabilitiesNotLogitsError, argument, "sum to 1",
                   fix="drop the final softmax")
    # validate=False computes the loss anyway, as TF would
    out = getattr(le, fn)(LABELS, probs, validate=False, **kwargs)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("fn", ["sparse_categorical_crossentropy", "categorical_crossentropy",
                                "binary_crossentropy"])
def test_logits_given_with_from_logits_false_warns(fn):
    y = {"sparse_categorical_crossentropy": LABELS,
         "categorical_crossentropy": np.eye(3, dtype=np.float32)[LABELS],
         "binary_crossentropy": np.eye(3, dtype=np.float32)[LABELS]}[fn]
    with pytest.warns(le.LogitsAsProbabilitiesWarning) as record:
        getattr(le, fn)(y, LOGITS)
    msg = str(record[0].message)
    assert fn in msg and "from_logits=True" in msg and "Fix:" in msg
    assert "min -2" in msg and "max 3" in msg  # the values that gave it away


def test_probabilities_with_from_logits_false_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        le.sparse_categorical_crossentropy(LABELS, le.softmax(LOGITS))


# =========================================================================== not distributions


@pytest.mark.parametrize(("labels", "received"), [
    (np.array([[2.0, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32), "summing to 2"),
    (np.array([[0.5, 0.2, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32), "summing to 0.7"),
    (np.array([[1.5, -0.5, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32), "negative"),
])
def test_labels_not_a_distribution(labels, received):
    with pytest.raises(LabelValueError) as excinfo:
        le.softmax_cross_entropy_with_logits(labels, LOGITS)
    assert_teaches(excinfo, LabelValueError, "labels", received, "distribution",
                   fix="one_hot(class_ids, depth)")


@tfmark
def test_labels_not_a_distribution_validate_false_reproduces_tf(tf):
    labels = np.array([[2.0, 0, 0], [0, 1, 0], [0, 0.3, 0.3], [1, 0, 0]], np.float32)
    theirs = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS).numpy()
    with pytest.raises(LabelValueError):
        le.softmax_cross_entropy_with_logits(labels, LOGITS)
    ours = le.softmax_cross_entropy_with_logits(labels, LOGITS, validate=False)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6 * np.abs(LOGITS).max())
    # TF silently doubles the first loss
    one_hot_first = le.softmax_cross_entropy_with_logits(np.eye(3)[[0]], LOGITS[:1])
    np.testing.assert_allclose(theirs[0], 2 * one_hot_first[0], rtol=1e-6)
