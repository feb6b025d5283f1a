"""Lesson 03b's second exercise: its expected answers are what a Keras loss object returns."""

from __future__ import annotations

import numpy as np
import pytest

from lossedu.lessons.smoothing_reductions_gradients import exercises as ex


def starter(losses, sample_weight):        # exactly as the notebook shows it
    return np.average(losses, weights=sample_weight)


def test_the_starter_fails_where_people_go_wrong():
    fb = ex.check_keras_mean(starter)
    assert str(fb).splitlines()[0] == "the Keras default reduction: 1 of 4 checks passed."
    assert "divides sum(w * L) by the number of loss values" in str(fb)
    assert "raised ZeroDivisionError" in str(fb) and "divide by all 6" in str(fb)


def test_a_hand_written_answer_passes_and_a_near_miss_fails():
    assert ex.check_keras_mean(lambda L, w: np.sum(np.multiply(L, w)) / np.size(L)).passed
    near = ex.check_keras_mean(lambda L, w: np.sum(np.multiply(L, w)) / max(np.sum(w), 1))
    assert not near.passed


@pytest.mark.tf
def test_expected_answers_are_what_keras_returns(keras):
    class Identity(keras.losses.Loss):       # the per-example losses, reduced by Keras itself
        def call(self, y_true, y_pred):
            return y_pred

    for case in ex._mean_cases():
        losses, weights = case.args
        got = Identity()(losses, losses.astype(np.float32), sample_weight=weights)
        np.testing.assert_allclose(case.expected, float(got), rtol=1e-6, atol=1e-7)
        assert float(got) == pytest.approx(np.sum(losses * weights) / losses.size, rel=1e-6)
