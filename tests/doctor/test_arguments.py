"""Bad arguments to lossedu.doctor get teaching errors (ValueError subclasses from
lossedu.errors naming the argument, what arrived, what was expected and a fix)."""

from __future__ import annotations

import numpy as np
import pytest

from lossedu.errors import LabelShapeError, ParameterError, ShapeMismatchError


def _model(keras):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])


def test_path_that_is_not_a_keras_file(keras, tmp_path):
    import lossedu

    h5 = tmp_path / "model.h5"
    h5.write_bytes(b"x")
    with pytest.raises(ParameterError, match=r"Bad `model`: a path that is not a \.keras file"):
        lossedu.doctor(str(h5))
    with pytest.raises(ParameterError, match="no such file"):
        lossedu.doctor(tmp_path / "nope.keras")


def test_saved_path_is_loaded(keras, tmp_path):
    import lossedu

    m = _model(keras)
    m.compile(loss="sparse_categorical_crossentropy")
    m.save(tmp_path / "m.keras")
    assert lossedu.doctor(tmp_path / "m.keras").codes == ["linear-output-probability-loss"]


def test_y_of_the_wrong_length(keras):
    import lossedu

    with pytest.raises(LabelShapeError, match=r"6 labels for 5 input rows") as e:
        lossedu.doctor(_model(keras), x=np.zeros((5, 4), "float32"), y=np.zeros(6))
    assert isinstance(e.value, ValueError) and "y_train[:n]" in str(e.value)


def test_x_that_does_not_fit_the_input(keras):
    import lossedu

    with pytest.raises(ShapeMismatchError, match=r"got rows of shape \(3,\)") as e:
        lossedu.doctor(_model(keras), x=np.zeros((5, 3), "float32"))
    assert "expected: rows of shape (4,)" in str(e.value)
