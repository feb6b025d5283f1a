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
