"""Lesson 03's label-shape explorer: its rules, against literals and against TensorFlow/Keras."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lossedu.errors import LabelValueError, LossInputError
from lossedu.lessons.one_hot_vs_sparse.views import CALLS, LABEL_FORMATS, label_shape_view

# The rules, written out by hand: (labels, B, C) -> the four calls' verdicts, in CALLS order
# (tf.nn one-hot, tf.nn sparse, Keras categorical, Keras sparse).
BY_HAND = {
    ("sparse (B,)", 4, 3): ["error", "ok", "error", "ok"],
    ("sparse (B,)", 3, 3): ["silently wrong", "ok", "error", "ok"],     # B = C broadcasts
    ("sparse (B,)", 1, 5): ["silently wrong", "ok", "error", "ok"],     # B = 1 broadcasts
    ("sparse (B, 1)", 4, 3): ["silently wrong", "error", "error", "squeezed"],
    ("sparse (B, 1)", 7, 2): ["silently wrong", "error", "error", "squeezed"],
    ("one-hot (B, C)", 4, 3): ["ok", "error", "ok", "error"],
    ("one-hot (B, C)", 3, 3): ["ok", "error", "ok", "error"],
}
GRID = list(itertools.product(LABEL_FORMATS, range(1, 7), range(2, 6)))


@pytest.mark.parametrize(("key", "want"), BY_HAND.items(), ids=str)
def test_the_rules_by_hand(key, want):
    view = label_shape_view(*key)
    assert [o.verdict for o in view.outcomes] == want
    assert [o.call for o in view.outcomes] == list(CALLS)
    assert all(bool(o.error) == (o.verdict == "error") for o in view.outcomes)


def test_the_readout_counts_errors_and_silent_mistakes():
    view = label_shape_view("sparse (B, 1)", 4, 3)
    assert view.labels_shape == (4, 1) and view.logits_shape == (4, 3)
    assert view.text.splitlines()[0] == "labels (4, 1), logits (4, 3):"
    assert view.text.splitlines()[-1] == "2 of 4 calls raise, 1 silently wrong"
    assert label_shape_view("one-hot (B, C)", 4, 3).text.endswith("2 of 4 calls raise, "
                                                                   "0 silently wrong")
    assert [o.shape for o in view.outcomes] == ["(B,)", "-", "-", "(B,)"]


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"label_format": "dense"}, LabelValueError),
    ({"label_format": "sparse (B,)", "batch": 0}, LossInputError),
    ({"label_format": "sparse (B,)", "classes": 1}, LossInputError),
])
def test_bad_input_is_refused_with_a_teaching_error(kwargs, error):
    with pytest.raises(error, match="Bad"):
        label_shape_view(**kwargs)


@pytest.mark.tf
def test_the_rules_are_what_tensorflow_and_keras_do_on_a_grid(tf):
    from lossedu.lessons.one_hot_vs_sparse.measured import tf_verdicts

    wrong = [(f, b, c) for f, b, c in GRID
             if [o.verdict for o in label_shape_view(f, b, c).outcomes] != tf_verdicts(f, b, c)]
    assert not wrong, wrong


@pytest.mark.tf
def test_the_measurement_sees_a_silent_mistake_in_the_raw_calls(tf, keras):
    """The B = C case, with the real calls written out: no error, and the wrong numbers."""
    z = np.array([[1.0, 2.0, 3.0]] * 3, np.float32)
    labels = np.array([0.0, 1.0, 2.0], np.float32)
    got = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=z).numpy()
    lse = np.log(np.exp(1.0) + np.exp(2.0) + np.exp(3.0))
    np.testing.assert_allclose(got, 3 * lse - 8, rtol=1e-6)            # every row [0, 1, 2]
    right = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels.astype(np.int64),
                                                           logits=z).numpy()
    assert not np.allclose(got, right)
    with pytest.raises(ValueError, match="must have the same rank"):
        keras.losses.categorical_crossentropy(labels, z, from_logits=True)
    with pytest.raises(ValueError, match="must have the same shape"):
        keras.losses.categorical_crossentropy(labels[:, None], z, from_logits=True)


def test_the_explorer_follows_its_controls():
    import ipywidgets  # noqa: F401  (skips nothing: the dev install has it)

    from lossedu.lessons.one_hot_vs_sparse.widgets import make_label_shape_explorer

    box = make_label_shape_explorer()
    assert [o.verdict for o in box.state.outcomes] == BY_HAND[("sparse (B, 1)", 4, 3)]
    assert "1 silently wrong" in box.readout.value and "&#x27;" not in box.readout.value
    box.controls["labels"].value = "sparse (B,)"
    assert [o.verdict for o in box.state.outcomes] == BY_HAND[("sparse (B,)", 4, 3)]
    box.controls["B"].value = 3
    assert [o.verdict for o in box.state.outcomes] == BY_HAND[("sparse (B,)", 3, 3)]
    assert "0 of 4" not in box.readout.value and "1 of 4 calls raise" in box.readout.value
    box.controls["labels"].value = "one-hot (B, C)"
    assert box.state.labels_shape == (3, 3) and "silently" not in box.readout.value.split(
        "</table>")[0]
