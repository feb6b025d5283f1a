"""The doctor's copy of Keras 3's shape rule for "accuracy"/"acc" and "crossentropy"/"ce"
(lossedu.diagnosis.facts.keras_choice) against Keras's own compile_utils, shape by shape."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.facts import keras_choice

METRIC = {"BinaryAccuracy": "binary", "SparseCategoricalAccuracy": "sparse",
          "CategoricalAccuracy": "categorical"}
LOSS = {"binary_crossentropy": "binary", "sparse_categorical_crossentropy": "sparse",
        "categorical_crossentropy": "categorical"}
OUTPUTS = [(8, 1), (8, 3), (8, 10), (8, 5, 3), (8, 4, 4, 1), (8, 4, 4, 6)]
LABELS = [(8,), (8, 1), (8, 3), (8, 10), (8, 5), (8, 5, 1), (8, 5, 3), (8, 4, 4), (8, 4, 4, 6)]


@pytest.mark.parametrize("y_shape,out_shape", list(itertools.product(LABELS, OUTPUTS)))
def test_same_choice_as_keras(keras, y_shape, out_shape):
    y, out = np.zeros(y_shape, "float32"), np.zeros(out_shape, "float32")
    ours = keras_choice(y_shape, len(out_shape), out_shape[-1])
    assert METRIC[keras_api.accuracy_metric_for(y, out)] == ours
    assert LOSS[keras_api.crossentropy_loss_for(y, out)] == ours
