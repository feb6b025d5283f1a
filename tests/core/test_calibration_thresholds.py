"""Calibration (ECE, reliability bins, the temperature fit) and threshold search (lesson 07).

TensorFlow has no ECE or temperature fit: those are checked against float64 loops written
out here and an mpmath root of the NLL's slope.  The confusion counts, precision, recall and
F1 at a threshold are checked against Keras's metrics; the threshold searches against a
brute force over every threshold and against ``keras.metrics.PrecisionAtRecall``.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossedu as le
from lossedu.errors import (
    EmptyBatchError,
    LabelValueError,
    ParameterError,
    ProbabilitiesNotLogitsError,
)


def _ece_reference(k, p, n_bins):
    """Top-label ECE by a plain loop over the examples (float64)."""
    p = np.asarray(p, np.float64)
    rows = np.stack([1 - p, p], 1) if p.ndim == 1 else p
    sums = [[0, 0.0, 0.0] for _ in range(n_bins)]
    for row, label in zip(rows, k, strict=True):
        conf = max(row)
        b = min(int(conf * n_bins), n_bins - 1)
        pred = int(np.argmax(row)) if p.ndim == 2 else int(row[1] > 0.5)
        sums[b][0] += 1
        sums[b][1] += conf
        sums[b][2] += float(pred == label)
    return sum(n / len(k) * abs(c / n - a / n) for n, c, a in sums if n)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_bins", [1, 10, 15])
def test_ece_matches_a_float64_loop(seed, n_bins):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 3, (200, 4))
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    k = rng.integers(0, 4, 200)
    assert np.isclose(le.expected_calibration_error(k, p, n_bins), _ece_reference(k, p, n_bins),
                      rtol=1e-12, atol=1e-15)
    pb = rng.random(300)
    kb = rng.integers(0, 2, 300)
    assert np.isclose(le.expected_calibration_error(kb, pb, n_bins),
                      _ece_reference(kb, pb, n_bins), rtol=1e-12, atol=1e-15)


def test_reliability_bins_literal():
    b = le.reliability_bins([1, 1, 0, 0], [0.95, 0.85, 0.9, 0.35], num_bins=5)
    np.testing.assert_array_equal(b.count, [0, 0, 0, 1, 3])
    assert np.isclose(b.confidence[4], 0.9) and np.isclose(b.confidence[3], 0.65)
    assert np.isclose(b.accuracy[4], 2 / 3) and b.accuracy[3] == 1.0
    assert np.isclose(b.ece, 0.25 * 0.35 + 0.75 * abs(0.9 - 2 / 3))
    assert np.isnan(b.accuracy[0])


def _mp_slope(k, z, beta):
    """d NLL / d beta for softmax(beta * z), in mpmath."""
    total = mpmath.mpf(0)
    for row, label in zip(z, k, strict=True):
        e = [mpmath.exp(beta * mpmath.mpf(float(v))) for v in row]
        mean_z = sum(ei * float(v) for ei, v in zip(e, row, strict=True)) / sum(e)
        total += mean_z - float(row[label])
    return total / len(k)


@pytest.mark.parametrize("seed,scale,classes", [(0, 4.0, 3), (1, 0.5, 5), (2, 8.0, 2)])
def test_fit_temperature_is_the_mpmath_root_of_the_nll_slope(seed, scale, classes):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, classes, 60)
    sign = rng.choice([1, -0.3], 60)[:, None]
    z = rng.normal(0, 1, (60, classes)) + scale * np.eye(classes)[k] * sign
    t = le.fit_temperature(k, z)
    mpmath.mp.dps = 30
    beta = mpmath.findroot(lambda b: _mp_slope(k, z, b), (0.01, 100), solver="illinois")
    assert np.isclose(t, float(1 / beta), rtol=1e-9)


def test_fit_temperature_binary_closed_form_and_nll_against_keras(keras):
    # 3 right and 1 wrong at |z| = 2: sigma(2 / T) = 3 / 4, so T = 2 / log 3
    t = le.fit_temperature([0, 1, 1, 0], [-2.0, 2.0, 2.0, 2.0])
    assert np.isclose(t, 2 / np.log(3), rtol=1e-12)
    rng = np.random.default_rng(7)
    z = rng.normal(0, 3, (50, 4))
    k = rng.integers(0, 4, 50)
    want = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(k, z / 1.7)
    assert np.isclose(le.temperature_nll(k, z, 1.7), float(want), rtol=1e-6)


def test_temperature_never_changes_the_predicted_class():
    rng = np.random.default_rng(3)
    k = rng.integers(0, 6, 100)
    z = rng.normal(0, 5, (100, 6)) + 6 * np.eye(6)[k]
    t = le.fit_temperature(k, z)
    assert 0.01 < t < 100
    np.testing.assert_array_equal(np.argmax(z / t, 1), np.argmax(z, 1))
    assert le.temperature_nll(k, z, t) <= min(le.temperature_nll(k, z, t * f)
                                              for f in (0.99, 1.01))


def test_fit_temperature_separable_split_goes_to_the_bound():
    assert le.fit_temperature([0, 1], [-3.0, 3.0]) == 0.01


def test_calibration_refuses_bad_input():
    with pytest.raises(EmptyBatchError, match="validation split"):
        le.fit_temperature(np.array([], np.int64), np.zeros((0, 3)))
    with pytest.raises(ProbabilitiesNotLogitsError):
        le.fit_temperature([0, 1], [[0.2, 0.8], [0.6, 0.4]])
    with pytest.raises(ProbabilitiesNotLogitsError, match="sigmoid"):
        le.expected_calibration_error([0, 1], [-2.0, 3.0])
    with pytest.raises(ParameterError, match="num_bins"):
        le.reliability_bins([0, 1], [0.2, 0.8], num_bins=0)
    with pytest.raises(LabelValueError):
        le.expected_calibration_error([0, 2], [0.2, 0.8])


# ------------------------------------------------------------------------ thresholds


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.75, 1.0])
def test_counts_precision_recall_f1_match_keras_metrics(keras, threshold):
    rng = np.random.default_rng(int(threshold * 100))
    y = rng.integers(0, 2, 300).astype(np.float32)
    p = np.round(rng.random(300), 2).astype(np.float32)   # ties and values at the threshold
    c = le.confusion_counts(y, p, threshold)
    for name, ours in zip(["TruePositives", "FalsePositives", "FalseNegatives",
                           "TrueNegatives"], c, strict=True):
        m = getattr(keras.metrics, name)(thresholds=threshold)
        m.update_state(y, p)
        assert ours == int(m.result()), name
    prec, rec, f1 = le.precision_recall_f1(y, p, threshold)
    for ours, m in [(prec, keras.metrics.Precision(thresholds=threshold)),
                    (rec, keras.metrics.Recall(thresholds=threshold))]:
        m.update_state(y, p)
        assert np.isclose(ours, float(m.result()), rtol=1e-6)
    if threshold > 0:   # F1Score refuses threshold 0
        m = keras.metrics.F1Score(threshold=threshold)
        m.update_state(y[:, None], p[:, None])
        assert np.isclose(f1, float(m.result()[0]), rtol=1e-5, atol=1e-7)


def _brute_best_f1(y, p):
    """Every threshold between or below the distinct scores; F1 with p > t positive."""
    s = np.unique(p)
    cands = np.r_[(s[:-1] + s[1:]) / 2, s[0] / 2, s[-1]]
    f1 = [2 * np.sum((p > t) & y) / (np.sum(p > t) + np.sum(y)) for t in cands]
    return max(f1)


@pytest.mark.parametrize("seed", range(5))
def test_f1_optimal_threshold_beats_every_other_threshold(seed):
    rng = np.random.default_rng(seed)
    y = rng.random(400) < 0.15
    p = np.clip(rng.normal(0.3 + 0.3 * y, 0.15), 0, 1).round(3)
    t = le.f1_optimal_threshold(y, p)
    assert np.isclose(le.precision_recall_f1(y, p, t)[2], _brute_best_f1(y, p), rtol=1e-12)


def test_f1_optimal_threshold_per_label_column():
    rng = np.random.default_rng(9)
    y = rng.random((200, 3)) < [0.1, 0.3, 0.5]
    p = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)
    ts = le.f1_optimal_threshold(y, p)
    assert ts.shape == (3,)
    for j in range(3):
        assert ts[j] == le.f1_optimal_threshold(y[:, j], p[:, j])


@pytest.mark.parametrize("recall", [0.5, 0.8, 0.95])
def test_precision_at_recall_matches_keras_on_grid_aligned_scores(keras, recall):
    # scores halfway between the thresholds of Keras's 201-point grid: every cut is on it
    rng = np.random.default_rng(int(recall * 100))
    y = (rng.random(500) < 0.2).astype(np.float32)
    grid = np.clip(np.round(rng.normal(0.35 + 0.3 * y, 0.2) * 200), 0, 199)
    p = ((grid + 0.5) / 200).astype(np.float32)
    ours, t = le.precision_at_recall(y, p, recall)
    m = keras.metrics.PrecisionAtRecall(recall, num_thresholds=201)
    m.update_state(y, p)
    assert np.isclose(ours, float(m.result()), rtol=1e-6)
    assert le.precision_recall_f1(y, p, t)[1] >= recall


def test_thresholds_refuse_bad_input():
    with pytest.raises(ParameterError, match=r"sigmoid\(2\)"):
        le.confusion_counts([0, 1], [0.2, 0.8], threshold=2.0)
    with pytest.raises(ProbabilitiesNotLogitsError):
        le.f1_optimal_threshold([0, 1], [-1.0, 4.0])
    with pytest.raises(EmptyBatchError, match="validation split"):
        le.f1_optimal_threshold(np.array([]), np.array([]))
    with pytest.raises(LabelValueError, match="no positive"):
        le.precision_at_recall([0, 0], [0.2, 0.8], recall=0.9)
    with pytest.raises(ParameterError, match="recall"):
        le.precision_at_recall([0, 1], [0.2, 0.8], recall=1.5)
    with pytest.raises(LabelValueError):
        le.confusion_counts([0, 3], [0.2, 0.8])
