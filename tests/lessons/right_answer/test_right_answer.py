"""Lesson 07's package: the threshold view and explorer, the exercises' checkers, the figure."""

from __future__ import annotations

import numpy as np
import pytest

from lossedu.errors import ParameterError, ProbabilitiesNotLogitsError
from lossedu.lessons.right_answer import exercises as ex
from lossedu.lessons.right_answer.views import score_histograms, threshold_view

Y = np.array([0, 0, 1, 1, 1, 0])
P = np.array([0.1, 0.6, 0.4, 0.8, 0.9, 0.3])


def test_threshold_view_counts_by_hand():
    v = threshold_view(Y, P, 0.5)             # positives: 0.6, 0.8, 0.9
    assert v.confusion == (2, 1, 1, 2)
    assert v.precision == 2 / 3 and v.recall == 2 / 3 and np.isclose(v.f1, 2 / 3)
    assert v.text == ("threshold 0.50: precision 0.667, recall 0.667, F1 0.667; "
                      "TP 2, FP 1, FN 1, TN 2")
    assert threshold_view(Y, P, 0.0).recall == 1.0 and threshold_view(Y, P, 1.0).recall == 0.0


def test_threshold_view_refuses_logits_and_bad_thresholds():
    with pytest.raises(ProbabilitiesNotLogitsError):
        threshold_view(Y, P * 10 - 5, 0.5)
    with pytest.raises(ParameterError):
        threshold_view(Y, P, 1.5)


def test_score_histograms_split_the_classes():
    edges, neg, pos = score_histograms(Y, P, bins=10)
    assert edges.size == 11 and neg.sum() == 3 and pos.sum() == 3
    assert neg[1] == 1 and pos[9] == 1


def test_threshold_explorer_follows_its_slider():
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.right_answer.widgets import make_threshold_explorer

    box = make_threshold_explorer(Y, P)
    assert box.state.threshold == 0.5 and box.image.value[:4] == b"\x89PNG"
    box.controls["threshold"].value = 0.35
    assert box.state.confusion == (3, 1, 0, 2) and "recall 1.000" in box.readout.value
    assert "run the notebook in Jupyter" in repr(box)


def test_reliability_figure_draws_one_line_per_model():
    pytest.importorskip("matplotlib")
    from lossedu.lessons.right_answer.widgets import reliability_figure

    fig = reliability_figure(Y, {"a": P, "b": np.full(6, 0.5)})
    assert len(fig.axes[0].lines) == 3


def _brute_best_f1_threshold(y, p):
    """An independent oracle: every midpoint between sorted distinct scores, and 0."""
    s = np.unique(p)
    cuts = np.r_[(s[:-1] + s[1:]) / 2, 0.0]
    y = np.asarray(y).astype(bool)
    f1 = [2 * np.sum((p > t) & y) / (np.sum(p > t) + y.sum()) for t in cuts]
    return float(cuts[int(np.argmax(f1))])


def test_best_threshold_checker_passes_an_oracle_and_fails_05():
    assert str(ex.check_best_threshold(_brute_best_f1_threshold)) == \
        "best threshold: all 4 checks passed."
    fb = ex.check_best_threshold(lambda y, p: 0.5)
    assert not fb.passed and "of 4 checks passed" in str(fb)


def _ece_by_hand(y, p, n_bins=10):
    """The literal cases worked out: 0.9 always, right 3 in 4 -> |0.75 - 0.9|."""
    conf = np.maximum(p, 1 - p)
    right = (p > 0.5) == (np.asarray(y) == 1)
    total = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        m = (conf >= lo) & ((conf < hi) | (b == n_bins - 1))
        if m.any():
            total += m.mean() * abs(right[m].mean() - conf[m].mean())
    return total


def test_ece_checker_passes_an_oracle_and_fails_binning_p():
    assert np.isclose(_ece_by_hand(np.array([1, 1, 1, 0]), np.full(4, 0.9)), 0.15)
    assert str(ex.check_ece(_ece_by_hand)) == "ECE: all 4 checks passed."

    def bins_p(y, p, n_bins=10):
        idx = np.minimum((p * n_bins).astype(int), n_bins - 1)
        return sum(np.mean(idx == b) * abs(np.mean(y[idx == b]) - np.mean(p[idx == b]))
                   for b in range(n_bins) if np.any(idx == b))

    assert not ex.check_ece(bins_p).passed


@pytest.mark.parametrize("check", list(ex.SOLUTIONS))
def test_reference_solutions_pass(check):
    assert check(ex.SOLUTIONS[check]).passed


# The temperature view: expected values by hand from sigmoid(z / T) and the bin rule.
ZT = np.array([2.0, 1.0, -3.0, -0.5])
YT = np.array([1, 1, 0, 1])


def _sig(x):
    return 1 / (1 + np.exp(-x))


def test_temperature_view_bins_by_hand():
    from lossedu.lessons.right_answer.views import temperature_view

    v = temperature_view(YT, ZT, 2.0)
    conf = [_sig(1.0), _sig(0.5), 1 - _sig(-1.5), 1 - _sig(-0.25)]   # bins 7, 6, 8, 5
    gaps = [1 - conf[0], 1 - conf[1], 1 - conf[2], conf[3]]           # the last is wrong
    assert np.isclose(v.ece, np.mean(gaps), rtol=1e-12) and v.accuracy == 0.75
    assert list(v.bins.count) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert v.text == f"T = 2.00: ECE {np.mean(gaps):.4f}, accuracy 0.750"


def test_temperature_view_keeps_accuracy_and_matches_softmax_rows():
    from lossedu.lessons.right_answer.views import temperature_view

    accs = {temperature_view(YT, ZT, t).accuracy for t in (0.1, 0.5, 1.0, 3.0, 10.0)}
    assert accs == {0.75}
    z2 = np.stack([np.zeros(4), ZT], axis=1)          # two softmax columns = one sigmoid
    assert np.isclose(temperature_view(YT, z2, 0.7).ece, temperature_view(YT, ZT, 0.7).ece,
                      rtol=1e-12)


def test_temperature_view_refuses_bad_input():
    from lossedu.lessons.right_answer.views import temperature_view

    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ParameterError, match="temperature"):
            temperature_view(YT, ZT, bad)
    with pytest.raises(ProbabilitiesNotLogitsError):
        temperature_view(YT, np.array([[0.3, 0.7], [0.6, 0.4], [0.5, 0.5], [0.1, 0.9]]), 1.0)


def test_temperature_explorer_follows_its_slider():
    pytest.importorskip("ipywidgets")
    import lossedu
    from lossedu.lessons.right_answer.widgets import make_temperature_explorer

    box = make_temperature_explorer(YT, ZT)
    assert box.state.temperature == 1.0 and box.image.value[:4] == b"\x89PNG"
    box.controls["temperature"].value = 2.0
    p = _sig(ZT / 2.0)
    assert np.isclose(box.state.ece, lossedu.expected_calibration_error(YT, p), rtol=1e-12)
    assert "T = 2.00" in box.readout.value and "ECE " in box.readout.value
    assert "run the notebook in Jupyter" in repr(box)


# The focal view: closed-form values of -(1 - p)^gamma log p and its logit derivative.
def test_focal_view_closed_form():
    from lossedu.lessons.right_answer.views import focal_view

    v = focal_view(2.0, p_ref=0.9)
    assert np.isclose(v.focal_at, 0.01 * -np.log(0.9), rtol=1e-12)
    assert np.isclose(v.ce_at, -np.log(0.9), rtol=1e-12)
    assert v.text == ("gamma 2.0: at p_t = 0.90 focal loss 0.001054, "
                      "cross-entropy 0.105361 (0.0100 of it)")
    np.testing.assert_allclose(v.ce_grad, v.p - 1, rtol=1e-12)       # d(-log sigmoid z)/dz
    np.testing.assert_allclose(focal_view(0.0).focal, focal_view(0.0).ce, rtol=0)


def test_focal_view_gradient_is_the_derivative():
    from lossedu.lessons.right_answer.views import _focal

    z = np.linspace(-4, 4, 33)
    h = 1e-6
    for g in (0.0, 0.5, 2.0, 5.0):
        numeric = (_focal(_sig(z + h), g)[0] - _focal(_sig(z - h), g)[0]) / (2 * h)
        np.testing.assert_allclose(_focal(_sig(z), g)[1], numeric, rtol=1e-6, atol=1e-9)


def test_focal_view_agrees_with_lossedu_and_keras():
    import lossedu
    from lossedu.lessons.right_answer.views import focal_view

    for g in (0.0, 0.5, 2.0, 4.3):
        v = focal_view(g, p_ref=0.9)
        ours = lossedu.binary_focal_crossentropy(np.ones((1, 1)), np.array([[0.9]]), gamma=g)
        assert np.isclose(v.focal_at, ours[0], rtol=1e-12)
        grid = lossedu.binary_focal_crossentropy(np.ones((v.p.size, 1)), v.p[:, None], gamma=g)
        np.testing.assert_allclose(v.focal, grid, rtol=1e-12)
    keras = pytest.importorskip("keras")
    tf_value = keras.losses.binary_focal_crossentropy(np.ones((1, 1)), np.array([[0.9]]),
                                                      gamma=2.0)
    assert np.isclose(focal_view(2.0).focal_at, float(np.asarray(tf_value)[0]), rtol=1e-6)


def test_focal_view_refuses_bad_input():
    from lossedu.lessons.right_answer.views import focal_view

    with pytest.raises(ParameterError, match="gamma"):
        focal_view(-1.0)
    with pytest.raises(ParameterError, match="p_ref"):
        focal_view(2.0, p_ref=1.0)


def test_focal_explorer_follows_its_slider():
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.right_answer.widgets import make_focal_explorer

    box = make_focal_explorer()
    assert box.state.gamma == 2.0 and box.image.value[:4] == b"\x89PNG"
    box.controls["gamma"].value = 3.0
    assert np.isclose(box.state.focal_at, 0.001 * -np.log(0.9), rtol=1e-12)
    assert "gamma 3.0" in box.readout.value and "focal loss 0.000105" in box.readout.value
    np.testing.assert_array_equal(box.loss.get_ydata(), box.state.focal)
    assert "run the notebook in Jupyter" in repr(box)
