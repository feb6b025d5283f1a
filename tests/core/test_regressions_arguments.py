"""Regression tests: every reproducer of the argument-checking issue, one test each.

Each one used to answer with NumPy's internals (a zero-size reduction, an AxisError, an
"inhomogeneous shape"), a Python builtin (ZeroDivisionError, TypeError), a leaked
RuntimeWarning, a misreported value, or quiet garbage.  Now each gets TensorFlow's answer
(the literal values come from closed-form math; the ``tf``-marked tests ask TF itself) or a
teaching error, named by class, whose message names the caller's argument and the value.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import lossedu as le
from lossedu.errors import (
    AxisArgumentError,
    ClassCountError,
    EmptyBatchError,
    InputDtypeError,
    LabelDtypeError,
    LabelValueError,
    LossInputError,
    ParameterError,
    RaggedInputError,
    RankError,
    ShapeMismatchError,
)

tfmark = pytest.mark.tf

ROW = np.array([1.0, 2.0, 3.0])
SOFTMAX_ROW = np.exp(ROW) / np.exp(ROW).sum()  # closed form, float64
P = np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], np.float32)


def raises(cls, argument, *fragments):
    """pytest.raises for exactly ``cls``, checking the argument named and the message."""
    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(cls)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            suppressed = self.ctx.__exit__(*exc)
            err = self.info.value
            assert type(err) is cls, f"{type(err).__name__} raised, {cls.__name__} expected"
            assert isinstance(err, ValueError) and isinstance(err, LossInputError)
            assert err.argument == argument, err.argument
            msg = str(err)
            assert msg.startswith(f"Bad `{argument}`") and "expected:" in msg and "fix:" in msg
            for fragment in fragments:
                assert fragment in msg, f"{fragment!r} not in:\n{msg}"
            return suppressed

    return Check()


def no_warnings():
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("error")
    return ctx


# ============================================================================ zero classes


def test_softmax_of_zero_classes_is_an_empty_array_like_tf():
    out = le.softmax(np.zeros((4, 0), np.float32))
    assert out.shape == (4, 0) and out.dtype == np.float32


def test_log_softmax_of_zero_classes_is_an_empty_array_like_tf():
    out = le.log_softmax(np.zeros((4, 0), np.float32))
    assert out.shape == (4, 0) and out.dtype == np.float32


def test_logsumexp_of_zero_classes_is_minus_inf_like_tf():
    # log(sum of no terms) = log(0) = -inf, what tf.reduce_logsumexp returns
    out = le.logsumexp(np.zeros((4, 0), np.float32))
    np.testing.assert_array_equal(out, np.full(4, -np.inf, np.float32))
    assert out.dtype == np.float32


def test_softmax_cross_entropy_grad_of_zero_classes_is_empty():
    out = le.softmax_cross_entropy_grad(np.zeros((4, 0)), np.zeros((4, 0)))
    assert out.shape == (4, 0)


@pytest.mark.parametrize("fn", ["sparse_softmax_cross_entropy_grad",
                                "sparse_categorical_crossentropy_grad"])
def test_sparse_gradients_of_zero_classes_refuse(fn):
    # TF: "Must have at least one class"; there is no class a label could pick
    argument = "logits" if fn.startswith("sparse_softmax") else "y_pred"
    with raises(ClassCountError, argument, "(4, 0)"):
        getattr(le, fn)(np.zeros(4, int), np.zeros((4, 0), np.float32))


def test_sigmoid_gradient_of_nothing_refuses_like_its_loss():
    with raises(EmptyBatchError, "logits", "(4, 0)"):
        le.sigmoid_cross_entropy_grad(np.zeros((4, 0)), np.zeros((4, 0)))


def test_softmax_loss_of_zero_classes_refuses_unless_validate_false():
    # TF's loss over no classes is 0: validate=False gives it, validate=True explains
    with raises(ClassCountError, "logits", "(4, 0)"):
        le.softmax_cross_entropy_with_logits(np.zeros((4, 0)), np.zeros((4, 0), np.float32))
    out = le.softmax_cross_entropy_with_logits(np.zeros((4, 0)), np.zeros((4, 0), np.float32),
                                               validate=False)
    np.testing.assert_array_equal(out, np.zeros(4, np.float32))


@tfmark
def test_zero_classes_against_tf(tf):
    x = np.zeros((4, 0), np.float32)
    assert le.softmax(x).shape == tuple(tf.nn.softmax(x).shape)
    assert le.log_softmax(x).shape == tuple(tf.nn.log_softmax(x).shape)
    np.testing.assert_array_equal(le.logsumexp(x), tf.reduce_logsumexp(x, axis=-1).numpy())
    np.testing.assert_array_equal(
        le.softmax_cross_entropy_with_logits(x, x, validate=False),
        tf.nn.softmax_cross_entropy_with_logits(labels=x, logits=x).numpy())


# ============================================================================ the axis


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "logsumexp"])
def test_axis_out_of_range(fn):
    arg = "x" if fn == "logsumexp" else "logits"
    with raises(AxisArgumentError, "axis", "axis 5", "(2, 3)", "[-2, 2)", f"`{arg}`"):
        getattr(le, fn)(np.ones((2, 3)), axis=5)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "logsumexp"])
def test_axis_as_a_string(fn):
    with raises(AxisArgumentError, "axis", "'1' (a str)", "axis=1 (an int, not a string)"):
        getattr(le, fn)(np.ones((2, 3)), axis="1")


@pytest.mark.parametrize(("axis", "fix"), [(1.0, "axis=1"), (True, "axis=1 if you meant")])
def test_axis_as_a_float_or_bool(axis, fix):
    with raises(AxisArgumentError, "axis", fix):
        le.softmax(np.ones((2, 3)), axis=axis)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_axis_none_means_the_last_axis_as_in_tf(fn):
    x = np.stack([ROW, ROW])
    expected = np.stack([SOFTMAX_ROW, SOFTMAX_ROW])
    if fn == "log_softmax":
        expected = np.log(expected)
    np.testing.assert_allclose(getattr(le, fn)(x, axis=None), expected, rtol=1e-12)


def test_logsumexp_axis_none_means_every_axis_as_in_tf():
    x = np.stack([ROW, ROW])
    np.testing.assert_allclose(le.logsumexp(x, axis=None), np.log(2 * np.exp(ROW).sum()),
                               rtol=1e-12)


def test_logsumexp_axis_named_twice():
    with raises(AxisArgumentError, "axis", "(1, 1)", "axis 1 twice", "axis=(1,)"):
        le.logsumexp(np.ones((2, 3)), axis=(1, 1))


@tfmark
def test_axis_none_against_tf(tf):
    x = np.stack([ROW, ROW * 2]).astype(np.float32)
    np.testing.assert_allclose(le.softmax(x, axis=None), tf.nn.softmax(x, axis=None).numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(le.log_softmax(x, axis=None),
                               tf.nn.log_softmax(x, axis=None).numpy(), rtol=1e-5, atol=1e-6)


def test_scalar_logits_refused_like_tf():
    # tf.nn.softmax: "logits must have >= 1 dimension"
    with raises(RankError, "logits", "a scalar"):
        le.softmax(np.float32(2.0))


# ============================================================================ ragged lists


def test_ragged_logits():
    with raises(RaggedInputError, "logits", "row[1] has 2 entries where row[0] has 3"):
        le.softmax_cross_entropy_with_logits(np.eye(3)[[0, 1]], [[1.0, 2, 3], [1.0, 2]])


def test_ragged_labels():
    with raises(RaggedInputError, "labels", "not rectangular"):
        le.softmax_cross_entropy_with_logits([[1.0, 0, 0], [1.0]], np.zeros((2, 3)))


# ============================================================================ gradients


def test_sparse_categorical_crossentropy_grad_squeezes_a_trailing_one_like_keras():
    """It used to broadcast (2, 1) labels into a (2, 2, 3) gradient."""
    g = le.sparse_categorical_crossentropy_grad([[0], [2]], P)
    assert g.shape == (2, 3)
    np.testing.assert_array_equal(g, le.sparse_categorical_crossentropy_grad([0, 2], P))
    # closed form: (q / sum(q) - one_hot) / q with q = p (inside the clip, rows sum to 1)
    q = P.astype(np.float64)
    expected = (q / q.sum(-1, keepdims=True) - np.eye(3)[[0, 2]]) / q
    np.testing.assert_allclose(g, expected, rtol=1e-6)


def test_gradient_with_misshaped_labels_refuses():
    with raises(ShapeMismatchError, "y_true", "(2, 2)", "(2, 3)"):
        le.sparse_categorical_crossentropy_grad([[0, 1], [2, 0]], P)
    with raises(ShapeMismatchError, "labels", "(2, 2, 2)", "(2, 2)"):
        le.sigmoid_cross_entropy_grad(np.zeros((2, 2, 2)), np.zeros((2, 2)))
    with raises(ShapeMismatchError, "labels", "(3, 3)", "(2, 3)"):
        le.softmax_cross_entropy_grad(np.eye(3), P)


def test_gradients_refuse_string_and_none_labels():
    with raises(InputDtypeError, "labels", "None"):
        le.softmax_cross_entropy_grad(None, P)
    with raises(LabelDtypeError, "labels", "strings", "np.unique"):
        le.sparse_softmax_cross_entropy_grad(["cat", "dog"], P)
    with raises(LabelDtypeError, "labels", "strings"):
        le.sigmoid_cross_entropy_grad(np.array([["a"] * 3] * 2), P)


def test_gradient_errors_name_the_callers_labels_not_one_hots_indices():
    with raises(LabelValueError, "labels", "label value of 5", "[0, 3)"):
        le.sparse_softmax_cross_entropy_grad([0, 5], P)
    with raises(LabelDtypeError, "y_true", "1.5"):
        le.sparse_categorical_crossentropy_grad([0, 1.5], P)


# ============================================================================ raw arithmetic


def test_numerical_gradient_step_zero():
    """It used to raise ZeroDivisionError."""
    with raises(ParameterError, "h", "got 0.", "h=1e-6"):
        le.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), h=0)


def test_numerical_gradient_step_nan():
    """It used to return NaN silently."""
    with raises(ParameterError, "h", "nan"):
        le.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), h=float("nan"))


def test_numerical_gradient_step_lost_in_rounding():
    with raises(ParameterError, "h", "lost in rounding", "1e+10"):
        le.numerical_gradient(lambda v: float(np.sum(v)), np.array([1e10]), h=1e-7)


def test_numerical_gradient_refuses_none_and_a_vector_valued_f():
    with raises(InputDtypeError, "x", "None"):
        le.numerical_gradient(lambda v: 0.0, None)
    with raises(ParameterError, "f", "shape (2,)", "one number"):
        le.numerical_gradient(lambda v: v, np.ones(2))
    with raises(ParameterError, "f", "3.0"):
        le.numerical_gradient(3.0, np.ones(2))


def test_check_gradient_refuses_a_misshaped_analytic_gradient():
    with raises(ShapeMismatchError, "analytic", "(2, 2)", "(2,)"):
        le.check_gradient(lambda v: float(np.sum(v)), np.ones((2, 2)), np.ones(2))


def test_smooth_labels_zero_classes():
    """It used to raise ZeroDivisionError."""
    with raises(LabelValueError, "num_classes", "0"):
        le.smooth_labels(np.eye(3), 0.1, num_classes=0)
    with raises(ClassCountError, "labels", "(4, 0)"):
        le.smooth_labels(np.zeros((4, 0)), 0.1)


def test_smooth_labels_scalar_without_num_classes():
    with raises(RankError, "labels", "a scalar", "num_classes"):
        le.smooth_labels(1.0, 0.1)


def test_logit_eps_that_leaves_no_room():
    """eps=0.6 used to map every p to one value: clip(p, 0.6, 0.4) is 0.4 everywhere."""
    with raises(ParameterError, "eps", "0.6", "[0, 0.5)", "eps=1e-7"):
        le.logit(np.array([0.1, 0.5, 0.9]), eps=0.6)


def test_ignore_class_that_is_not_a_class():
    """ignore_class="a" used to be ignored silently."""
    with raises(ParameterError, "ignore_class", "'a' (a str)"):
        le.sparse_categorical_crossentropy([0, 1], P, ignore_class="a")
    with raises(ParameterError, "ignore_class", "1.5"):
        le.sparse_categorical_crossentropy([0, 1], P, ignore_class=1.5)


@pytest.mark.parametrize("value", ["no", None, 1])
def test_flags_are_bools(value):
    with raises(ParameterError, "from_logits", "True or False"):
        le.categorical_crossentropy(np.eye(3)[[0, 1]], P, from_logits=value)


def test_string_flag_fix_warns_about_truthiness():
    with raises(ParameterError, "validate", "'no' would have meant True"):
        le.sparse_softmax_cross_entropy_with_logits([0, 1], P, validate="no")


def test_mask_that_is_not_boolean():
    with raises(ParameterError, "mask", "0.5"):
        le.reduce_loss(np.ones(4), mask=np.array([1.0, 0.5, 0.0, 1.0]))


def test_mask_that_does_not_fit_is_named():
    with raises(ShapeMismatchError, "mask", "(3,)", "(4,)"):
        le.reduce_loss(np.ones(4), mask=np.ones(3, bool))


def test_reduction_given_as_an_array():
    with raises(le.ReductionError, "reduction"):
        le.reduce_loss(np.ones(4), np.array(["sum", "mean"]))


def test_strings_that_hold_numbers_get_the_right_fix():
    with raises(InputDtypeError, "logits", "'1.5'", "np.asarray(logits).astype(np.float32)"):
        le.softmax(np.array(["1.5", "2"]))


def test_python_list_beyond_float32_refused_like_tf():
    # tf.convert_to_tensor([1e300]) raises "value out of range"
    with raises(InputDtypeError, "logits", "1e+300", "dtype=np.float64"):
        le.softmax([1e300, 1.0])
    np.testing.assert_array_equal(le.softmax(np.array([1e300, 1.0])), [1.0, 0.0])


# ============================================================================ leaked warnings


def test_softmax_at_the_float32_limit_warns_nothing():
    """It used to print NumPy's "overflow encountered in subtract"; TF gives [1, 0, 0]."""
    ctx = no_warnings()
    try:
        out = le.softmax(np.array([[3e38, -3e38, 0]], np.float32))
    finally:
        ctx.__exit__(None, None, None)
    np.testing.assert_array_equal(out, np.array([[1, 0, 0]], np.float32))


def test_logsumexp_of_minus_inf_warns_nothing():
    ctx = no_warnings()
    try:
        out = le.logsumexp(np.array([-np.inf, -np.inf], np.float32))
    finally:
        ctx.__exit__(None, None, None)
    assert out == -np.inf


@tfmark
def test_float32_limit_against_tf(tf):
    x = np.array([[3e38, -3e38, 0]], np.float32)
    np.testing.assert_array_equal(le.softmax(x), tf.nn.softmax(x).numpy())


# ============================================================================ misreports


def test_infinite_label_is_reported_as_inf():
    """It used to be reported as the label value -9223372036854775808."""
    with raises(LabelValueError, "y_true", "inf at index (1,)") as info:
        le.sparse_categorical_crossentropy([0.0, np.inf], P)
    assert "-9223372036854775808" not in str(info.value)


def test_huge_label_is_reported_as_itself():
    with raises(LabelValueError, "y_true", "label value of 1e+30"):
        le.sparse_categorical_crossentropy([0.0, 1e30], P)


def test_nan_targets_are_reported_as_nan():
    """It used to say "values from 0.0 to 1.0" (the range of the other targets)."""
    y = np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 0.0]])
    with raises(LabelValueError, "y_true", "NaN at index (0, 0)") as info:
        le.binary_crossentropy(y, P)
    assert "from 0.0 to 1.0" not in str(info.value)
    with raises(LabelValueError, "labels", "NaN at index (0, 0)"):
        le.sigmoid_cross_entropy_with_logits(y, P)
