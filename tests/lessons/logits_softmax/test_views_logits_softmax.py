"""The pure view functions behind the lesson 01 and 02 explorers: values, edges, errors.

Their speed (a slider move must feel instant) is a figure of ``make bench``, not a test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossedu.errors import LabelValueError, LossInputError
from lossedu.lessons.logits.views import Z_RANGE, logit_view, odds_text, sigmoid_curve
from lossedu.lessons.softmax.views import softmax_view, temperature_sweep

# ---------------------------------------------------------------- logit_view


def test_logit_view_at_three_quarters():
    v = logit_view(p=0.75)
    assert v.logit == pytest.approx(math.log(3), rel=1e-15)
    assert v.odds == pytest.approx(3.0, rel=1e-14)
    assert v.q == 0.25
    assert v.odds_text == "3 : 1"
    assert "odds p/(1 − p) = 3 (3 : 1)" in v.text


@pytest.mark.parametrize("p, z", [(0.5, 0.0), (0.75, math.log(3)), (0.25, -math.log(3)),
                                  (0.9, math.log(9)), (0.99, math.log(99))])
def test_logit_view_both_directions(p, z):
    from_p = logit_view(p=p)
    from_z = logit_view(logit=z)
    assert from_p.logit == pytest.approx(z, abs=1e-14)
    assert from_z.p == pytest.approx(p, abs=1e-15)
    assert from_z.p + from_z.q == pytest.approx(1.0, abs=1e-15)


@given(st.floats(1e-6, 1 - 1e-6))
def test_round_trip_p_to_logit_to_p(p):
    assert logit_view(logit=logit_view(p=p).logit).p == pytest.approx(p, rel=1e-9)


def test_logit_view_ends_and_far_tails():
    assert logit_view(p=0.0).logit == -math.inf
    assert logit_view(p=0.0).odds_text == "0 : 1"
    assert logit_view(p=1.0).logit == math.inf
    assert logit_view(p=1.0).odds_text == "1 : 0"
    far = logit_view(logit=40.0)
    assert far.p == 1.0  # rounds to 1 in float64 ...
    assert far.q == pytest.approx(math.exp(-40), rel=1e-12)  # ... but 1 - p stays precise
    assert far.odds == pytest.approx(math.exp(40), rel=1e-12)
    assert logit_view(logit=-1000.0).p == 0.0
    assert logit_view(logit=1000.0).odds == math.inf


def test_logit_view_guides_stay_on_the_drawn_axis():
    lo, hi = Z_RANGE
    v = logit_view(logit=50.0)
    assert v.guide_x == (lo, hi, hi)
    assert v.guide_y == (v.p, v.p, 0.0)
    v = logit_view(p=0.75)
    assert v.guide_x[1] == v.logit


@pytest.mark.parametrize("kwargs", [{}, {"p": 0.5, "logit": 0.0}, {"p": 1.5}, {"p": -0.1},
                                    {"logit": math.nan}])
def test_logit_view_refuses_bad_input(kwargs):
    with pytest.raises(LossInputError):
        logit_view(**kwargs)


@pytest.mark.parametrize("odds, text", [(3.0, "3 : 1"), (1 / 3, "1 : 3"), (1.0, "1 : 1"),
                                        (9.0, "9 : 1"), (0.0, "0 : 1"), (math.inf, "1 : 0"),
                                        (math.nan, "undefined")])
def test_odds_text(odds, text):
    assert odds_text(odds) == text


def test_sigmoid_curve_is_the_sigmoid():
    z, p = sigmoid_curve()
    assert z[0] == Z_RANGE[0] and z[-1] == Z_RANGE[1]
    assert np.all(np.diff(p) > 0)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)), rtol=1e-15)


@pytest.mark.tf
def test_logit_view_agrees_with_tensorflow(tf):
    z = np.linspace(-30, 30, 61)
    ours = np.array([logit_view(logit=v).p for v in z])
    np.testing.assert_allclose(ours, tf.math.sigmoid(z).numpy(), rtol=1e-12, atol=0)
    p = np.linspace(0.01, 0.99, 99)
    ours = np.array([logit_view(p=v).logit for v in p])
    theirs = (tf.math.log(p) - tf.math.log1p(-p)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


# -------------------------------------------------------------- softmax_view

Z = [2.0, 1.0, 0.5, -1.0]


def softmax_of(z, t=1.0) -> np.ndarray:
    """The closed form exp(z/T) / sum(exp(z/T)), with Python's math, term by term."""
    e = [math.exp(v / t - max(z) / t) for v in z]
    return np.array([x / math.fsum(e) for x in e])


def test_softmax_view_is_softmax_of_scaled_logits():
    v = softmax_view(Z, temperature=0.5, true_class=2)
    np.testing.assert_allclose(v.scaled, [4.0, 2.0, 1.0, -2.0], rtol=0)
    want = softmax_of(Z, 0.5)
    np.testing.assert_allclose(v.probs, want, rtol=1e-14)
    np.testing.assert_allclose(v.log_probs, np.log(want), rtol=1e-14)
    assert v.probs.sum() == pytest.approx(1.0, abs=1e-15)
    # -log p = logsumexp(z / T) - z_2 / T
    lse = math.log(math.fsum(math.exp(x) for x in (4.0, 2.0, 1.0, -2.0)))
    assert v.loss == pytest.approx(lse - 1.0, rel=1e-14)
    entropy = -math.fsum(p * math.log(p) for p in want)
    assert v.entropy == pytest.approx(entropy, rel=1e-12)
    assert v.predicted == 0
    assert f"loss for true class 2 = −log p = {lse - 1.0:.4f}" in v.text


def test_the_blog_posts_softmax_example():
    """softmax([3, 1, -3]) is about [0.88, 0.12, 0.00], as the chinasem.cn post says."""
    v = softmax_view([3.0, 1.0, -3.0])
    np.testing.assert_array_equal(v.probs.round(2), [0.88, 0.12, 0.0])
    assert v.probs[2] == pytest.approx(0.00217852, rel=1e-5)  # small, not zero
    assert v.loss is None and "loss" not in v.text


def test_temperature_limits():
    cold = softmax_view(Z, temperature=0.01)
    assert cold.probs[0] == 1.0 and cold.probs[1] < 1e-40 and cold.entropy < 1e-30
    hot = softmax_view(Z, temperature=1e6)
    np.testing.assert_allclose(hot.probs, 0.25, atol=1e-6)
    assert hot.entropy == pytest.approx(math.log(4), abs=1e-9)
    assert softmax_view(Z, 1.0).probs.tolist() == softmax_view(Z).probs.tolist()


def test_wrong_class_loss_grows_like_the_gap_over_t():
    for t in (0.1, 0.05, 0.02):
        v = softmax_view(Z, t, true_class=1)
        assert v.loss == pytest.approx((Z[0] - Z[1]) / t, abs=1e-3)
    assert softmax_view(Z, 0.02, true_class=0).loss < 1e-20


@given(st.lists(st.floats(-20, 20), min_size=2, max_size=6),
       st.floats(0.03, 30), st.floats(0.03, 30))
@settings(max_examples=60, deadline=None)
def test_temperature_keeps_the_order_and_raises_the_entropy(z, t1, t2):
    lo, hi = sorted((t1, t2))
    a, b = softmax_view(z, lo), softmax_view(z, hi)
    order = np.argsort(z, kind="stable")
    assert np.all(np.diff(a.probs[order]) >= 0) and np.all(np.diff(b.probs[order]) >= 0)
    assert b.entropy >= a.entropy - 1e-9
    assert 0 <= a.entropy <= math.log(len(z)) + 1e-12


@given(st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=6), st.floats(0.03, 30),
       st.integers(0, 5))
@settings(max_examples=60, deadline=None)
def test_loss_is_finite_and_nonnegative_even_for_huge_logits(z, t, k):
    k = k % len(z)
    v = softmax_view(z, t, k)
    assert np.isfinite(v.loss) and v.loss >= 0
    assert np.all(np.isfinite(v.log_probs))
    assert v.probs.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("t", [0, -1, math.inf, math.nan])
def test_bad_temperature(t):
    with pytest.raises(LossInputError, match="temperature"):
        softmax_view(Z, t)


@pytest.mark.parametrize("k", [-1, 4])
def test_bad_true_class(k):
    with pytest.raises(LabelValueError, match="true_class"):
        softmax_view(Z, 1.0, k)


@pytest.mark.parametrize("z", [[1.0], [[1.0, 2.0]], []])
def test_bad_logits_shape(z):
    with pytest.raises(LossInputError):
        softmax_view(z)


def test_temperature_sweep_rows_match_the_view():
    ts = [0.25, 1.0, 4.0]
    sweep = temperature_sweep(Z, ts)
    assert sweep.shape == (3, 4)
    for row, t in zip(sweep, ts, strict=True):
        np.testing.assert_allclose(row, softmax_of(Z, t), rtol=1e-14)
        np.testing.assert_allclose(row, softmax_view(Z, t).probs, rtol=1e-15)
    with pytest.raises(LossInputError):
        temperature_sweep(Z, [1.0, 0.0])


@pytest.mark.tf
@pytest.mark.parametrize("t", [0.05, 0.3, 1.0, 7.0])
def test_softmax_view_agrees_with_tensorflow(tf, t):
    rng = np.random.default_rng(int(t * 100))
    z = rng.normal(0, 5, size=5)
    for k in range(5):
        v = softmax_view(z, t, k)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[k], logits=[z / t])
        assert v.loss == pytest.approx(float(loss.numpy()[0]), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(v.probs, tf.nn.softmax(z / t).numpy(), rtol=1e-12,
                                   atol=1e-300)
