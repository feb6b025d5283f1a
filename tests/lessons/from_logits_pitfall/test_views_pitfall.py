"""Lesson 05's views and exercises (lossedu.lessons.from_logits_pitfall): from_logits=False.

The pure functions are checked against Keras 3 / TensorFlow (losses and gradients, from a
``tf.GradientTape``) and against the closed forms the lesson states: log 10 for a dead row,
log(1 + (C-1)/e) for a double softmax, -log(1e-7) = 16.118 for a clipped probability.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lossedu
from lossedu.errors import LabelValueError, LossInputError
from lossedu.lessons.from_logits_pitfall import exercises as ex
from lossedu.lessons.from_logits_pitfall import views

EPS32 = np.float32(1e-7)


# --------------------------------------------------------------------------- probability_path


def test_path_steps_by_hand():
    path = views.probability_path([2.0, -1.0, 0.5], label=1)
    assert path.kind == "sparse" and path.normalised is None and path.y_pred.dtype == np.float32
    assert path.clipped.tolist() == [1 - EPS32, EPS32, np.float32(0.5)]
    assert path.zero_grad.tolist() == [True, True, False]
    np.testing.assert_allclose(path.log_probs, np.log(path.clipped), rtol=1e-7)
    expected = -np.log(EPS32 / (1 - EPS32 + EPS32 + 0.5))
    assert path.loss == pytest.approx(expected, rel=1e-6)
    assert path.grad[:2].tolist() == [0.0, 0.0] and path.grad[2] > 0
    e = np.exp(np.array([2.0, -1.0, 0.5]) - 2.0)
    np.testing.assert_allclose(path.grad_from_logits, e / e.sum() - [0.0, 1.0, 0.0], atol=1e-7)
    assert any("true class" in n for n in path.notes)


def test_dead_row_costs_log_c_and_has_no_gradient():
    for c in (2, 3, 10):
        row = -np.linspace(0.1, 3.0, c).astype(np.float32)
        path = views.probability_path(row, label=c - 1)
        assert path.loss == pytest.approx(np.log(c), rel=1e-6) == views.uniform_loss(c)
        assert path.zero_grad.all() and np.all(path.grad == 0)


def test_float64_rows_stay_float64():
    path = views.probability_path(np.array([0.2, 0.3, 0.5]), 2)
    assert path.clipped.dtype == np.float64 and path.loss == pytest.approx(-np.log(0.5))
    assert not path.zero_grad.any()


def test_categorical_path_normalises_first():
    path = views.probability_path([1.0, 3.0, -2.0], 1, kind="categorical")
    np.testing.assert_allclose(path.normalised, [0.5, 1.5, -1.0])
    assert path.zero_grad.tolist() == [False, True, True] and path.grad is None
    assert path.loss == pytest.approx(-np.log(1 - EPS32), abs=1e-7)
    zero_sum = views.probability_path([1.0, -1.0, 0.0], 0, kind="categorical")
    assert np.isnan(zero_sum.loss) and any("sums to 0" in n for n in zero_sum.notes)


@pytest.mark.parametrize(("args", "error"), [
    (([[1.0, 2.0]], 0), LossInputError),            # not one row
    (([1.0], 0), LossInputError),                   # one class
    (([1.0, 2.0], 2), LabelValueError),             # label out of range
    (([1.0, 2.0], -1), LabelValueError),
])
def test_path_rejects_bad_input(args, error):
    with pytest.raises(error):
        views.probability_path(*args)
    with pytest.raises(LossInputError, match="kind"):
        views.probability_path([1.0, 2.0], 0, kind="binary")


def test_path_table():
    path = views.probability_path([1.3, -0.6, 0.4], 0)
    text = views.path_table(path, names=["cat", "dog", "cow"])
    lines = text.splitlines()
    assert lines[0].split() == ["class", "y_pred", "clip", "log", "grad", "(False)", "grad",
                                "(True)"]
    assert lines[1].startswith("*cat") and lines[1].endswith("zero gradient")
    assert lines[2].startswith(" dog") and lines[2].endswith("zero gradient")
    assert not lines[3].endswith("zero gradient")
    assert "loss with from_logits=False" in text and "true class" in text
    cat = views.path_table(views.probability_path([0.3, 0.7], 1, kind="categorical"))
    assert "/ sum" in cat.splitlines()[0] and "nan" in cat      # no grad column for CCE


@pytest.mark.tf
@pytest.mark.parametrize("seed", range(6))
def test_path_matches_keras_and_the_gradient_tape(tf, keras, seed):
    rng = np.random.default_rng(seed)
    c = int(rng.integers(2, 12))
    row = (rng.normal(size=c) * 1.5).astype(np.float32)
    row[rng.integers(c)] = rng.choice([EPS32, 1 - EPS32, 0.0, 1.0])     # bounds and edges
    label = int(rng.integers(c))
    path = views.probability_path(row, label)
    z = tf.Variable(row[None])
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(tf.constant([label]), z)
    grad = tape.gradient(loss, z).numpy()[0]
    assert float(loss[0]) == pytest.approx(path.loss, rel=1e-6)
    np.testing.assert_allclose(grad, path.grad, rtol=1e-5, atol=1e-6)
    assert np.array_equal(grad == 0, path.zero_grad)
    with tf.GradientTape() as tape:
        loss_l = keras.losses.sparse_categorical_crossentropy(tf.constant([label]), z,
                                                              from_logits=True)
    assert float(loss_l[0]) == pytest.approx(path.loss_from_logits, rel=1e-6, abs=1e-6)
    np.testing.assert_allclose(tape.gradient(loss_l, z).numpy()[0], path.grad_from_logits,
                               atol=1e-6)


@pytest.mark.tf
def test_categorical_path_matches_keras(keras):
    row = np.array([1.3, -0.6, 0.4, 2.7, 0.2], np.float32)
    for label in range(5):
        path = views.probability_path(row, label, kind="categorical")
        y = lossedu.one_hot([label], 5)
        k = keras.losses.categorical_crossentropy(y, row[None]).numpy()[0]
        assert k == pytest.approx(path.loss, rel=1e-6, abs=1e-7)
    zero_sum = np.array([1.0, -1.0, 0.0], np.float32)          # a row summing to 0 gives nan
    k = keras.losses.categorical_crossentropy(lossedu.one_hot([0], 3), zero_sum[None]).numpy()
    assert np.isnan(k[0]) and np.isnan(views.probability_path(zero_sum, 0, "categorical").loss)


def test_zero_gradient_mask():
    mask = views.zero_gradient_mask([[-0.3, 0.0, 5e-8, EPS32, 0.5, 1 - EPS32, 1.0, 2.0]])
    assert mask.tolist() == [[True, True, True, False, False, False, True, True]]
    assert views.zero_gradient_mask([1, 0]).tolist() == [True, True]     # ints: 1 > 1 - 1e-7


# --------------------------------------------------------------------------- closed forms


def test_closed_forms():
    assert views.clip_cap() == pytest.approx(16.118095, abs=1e-6)
    assert views.clip_cap(dtype=np.float64) == pytest.approx(-np.log(1e-7))
    assert views.uniform_loss(10) == pytest.approx(2.302585, abs=1e-6)
    assert views.double_softmax_floor(10) == pytest.approx(1.4612, abs=5e-5)
    assert views.double_softmax_floor(3) == pytest.approx(np.log(1 + 2 / np.e))
    assert views.dead_binary_loss(0.5) == pytest.approx(8.059, abs=5e-4)
    assert views.dead_binary_loss(0.0) == pytest.approx(0.0, abs=1e-6)
    assert views.dead_binary_loss(1.0) == pytest.approx(16.118095, abs=1e-6)   # -log(1e-7)


def test_double_softmax_floor_is_the_minimum():
    rng = np.random.default_rng(0)
    for c in (2, 5, 10):
        floor = np.log1p((c - 1) / np.e)            # a second softmax of a one-hot row
        assert views.double_softmax_floor(c) == pytest.approx(floor, rel=1e-15)
        onehot = np.eye(c)
        best = lossedu.sparse_softmax_cross_entropy_with_logits(np.arange(c), onehot)
        np.testing.assert_allclose(best, floor, rtol=1e-12)          # one-hot attains it
        p = lossedu.softmax(rng.normal(size=(500, c)) * 4)
        losses = lossedu.sparse_softmax_cross_entropy_with_logits(
            rng.integers(c, size=500), p, validate=False)
        assert losses.min() >= floor - 1e-12


def test_dead_binary_loss_matches_binary_crossentropy():
    y = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
    logits = np.array([[-3.0], [-0.1], [-7.0], [0.0]], np.float32)
    with pytest.warns(lossedu.LogitsAsProbabilitiesWarning):
        bce = lossedu.binary_crossentropy(y, logits)
    # every logit is <= 0, so clipped to 1e-7: positives cost -log(1e-7), negatives
    # -log(1 - 1e-7), in float32; half of each
    eps = np.float32(1e-7)
    dead = 0.5 * float(-np.log(eps)) + 0.5 * float(-np.log1p(-eps))
    assert bce.mean() == pytest.approx(dead, rel=1e-6)
    assert views.dead_binary_loss(0.5) == pytest.approx(dead, rel=1e-6)


# --------------------------------------------------------------------------- confidently wrong


def test_confidently_wrong_numbers():
    ex20 = views.confidently_wrong(20.0)
    assert ex20.probs.dtype == np.float32 and 0 < ex20.probs[0] < 1e-7
    assert ex20.loss_logits == pytest.approx(20.0, abs=1e-4)
    assert ex20.loss_probs == pytest.approx(16.1181, abs=1e-4)
    assert np.all(ex20.grad_probs == 0)
    assert ex20.grad_logits[0] == pytest.approx(-1.0) and ex20.grad_logits[1] == pytest.approx(1)
    small = views.confidently_wrong(2.0)
    assert small.loss_probs == pytest.approx(small.loss_logits, rel=1e-5)
    np.testing.assert_allclose(small.grad_probs, small.grad_logits, atol=1e-6)
    with pytest.raises(ValueError, match="differ"):
        views.confidently_wrong(label=1, wrong=1)


@pytest.mark.tf
@pytest.mark.parametrize("margin", [3.0, 12.0, 17.0, 20.0, 35.0])
def test_confidently_wrong_matches_tensorflow(tf, keras, margin):
    ex20 = views.confidently_wrong(margin)
    z = tf.Variable(ex20.logits[None])
    with tf.GradientTape(persistent=True) as tape:
        p = tf.nn.softmax(z)
        via_probs = keras.losses.sparse_categorical_crossentropy(tf.constant([0]), p)
        via_logits = keras.losses.sparse_categorical_crossentropy(tf.constant([0]), z,
                                                                  from_logits=True)
    np.testing.assert_allclose(p.numpy()[0], ex20.probs, rtol=1e-6, atol=1e-12)
    assert float(via_probs[0]) == pytest.approx(ex20.loss_probs, rel=1e-5)
    assert float(via_logits[0]) == pytest.approx(ex20.loss_logits, rel=1e-6)
    np.testing.assert_allclose(tape.gradient(via_probs, z).numpy()[0], ex20.grad_probs,
                               atol=1e-6)
    np.testing.assert_allclose(tape.gradient(via_logits, z).numpy()[0], ex20.grad_logits,
                               atol=1e-6)


def test_margin_sweep():
    s = views.margin_sweep(np.array([0.0, 10.0, 16.5, 25.0]))
    assert set(s) == {"margin", "loss_logits", "loss_probs", "grad_logits", "grad_probs"}
    assert s["loss_logits"][0] == pytest.approx(np.log(10), rel=1e-6)
    assert s["loss_probs"][2] == pytest.approx(16.118, abs=1e-3)
    assert s["loss_probs"][3] == pytest.approx(16.118, abs=1e-3)
    assert s["loss_logits"][3] == pytest.approx(25.0, abs=1e-4)
    assert abs(s["grad_probs"][2]) < 1e-6 and s["grad_probs"][3] == 0.0
    assert np.all(s["grad_logits"][1:] < -0.99)


# --------------------------------------------------------------------------- curves_view


def _records(n=5, zero_end=1.0):
    ep = np.linspace(0, 2, n)
    return {"epoch": ep.tolist(), "loss": np.linspace(3, 2.3, n).tolist(),
            "accuracy": np.linspace(0.1, 0.3, n).tolist(),
            "zero_grad_fraction": np.linspace(0.5, zero_end, n).tolist()}


def test_curves_view():
    runs = {"True": {"history": {"loss": [0.6, 0.4]}, "probe": _records(zero_end=0.0)},
            "False": SimpleNamespace(history={"loss": [2.2, 2.3]}, probe=_records())}
    v = views.curves_view(runs, num_classes=10)
    assert [p.title for p in v.panels] == [v.loss.title, v.accuracy.title, v.zero_grad.title]
    assert set(v.zero_grad.series) == {"True", "False"}
    x, y = v.loss.series["False (training, per epoch)"]
    assert x.tolist() == [1, 2] and y.tolist() == [2.2, 2.3]
    x, y = v.loss.series["log(C): every gradient zero"]
    assert x.tolist() == [0.0, 2.0] and np.allclose(y, np.log(10))
    assert v.accuracy.ylim == (0.0, 1.0) and v.zero_grad.ylim[1] > 1.0
    assert "False: probe accuracy 0.300, loss 2.3000, zero gradients 100%" in v.text


def test_curves_view_needs_probe_records():
    with pytest.raises(LossInputError, match="probe"):
        views.curves_view({"x": {"history": {}, "probe": None}})


# --------------------------------------------------------------------------- prediction bars

# Five rows, worked by hand: argmax 0, 1, 2, 0, 1 against labels 0, 0, 2, 1, 1, so rows
# 0, 2, 4 are right and rows 1, 3 wrong.
PROBS = [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1]]
LABELS = [0, 0, 2, 1, 1]


def test_prediction_examples_picks_the_first_right_then_the_first_wrong():
    ex = views.prediction_examples(PROBS, LABELS, n_right=2, n_wrong=2, class_names="abc")
    assert ex.index.tolist() == [0, 2, 1, 3]
    assert ex.correct.tolist() == [True, True, False, False]
    assert ex.predicted.tolist() == [0, 2, 1, 0] and ex.labels.tolist() == [0, 2, 0, 1]
    np.testing.assert_array_equal(ex.probs, np.float32(PROBS)[[0, 2, 1, 3]])
    assert ex.class_names == ("a", "b", "c")
    assert ex.titles == ("true: a / predicted: a 70%", "true: c / predicted: c 80%",
                         "true: a / predicted: b 50%", "true: b / predicted: a 60%")


def test_prediction_examples_defaults_to_the_fashion_mnist_names():
    p = np.eye(10, dtype=np.float32)[[9, 3]]
    ex = views.prediction_examples(p, [9, 0], n_right=1, n_wrong=1)
    assert ex.titles == ("true: Ankle boot / predicted: Ankle boot 100%",
                         "true: T-shirt/top / predicted: Dress 100%")


@pytest.mark.parametrize(("probs", "labels", "n_wrong", "match"), [
    (PROBS, LABELS, 3, "at most 3 right, 2 wrong"),
    (PROBS, LABELS[:4], 1, "one row of probabilities per label"),
    ([0.2, 0.8], [1], 0, "shape"),
])
def test_prediction_examples_rejects_what_it_cannot_show(probs, labels, n_wrong, match):
    with pytest.raises(LossInputError, match=match):
        views.prediction_examples(probs, labels, n_right=1, n_wrong=n_wrong)


# --------------------------------------------------------------------------- exercises


# The zero-gradient masks of the checker's five inputs, worked out by hand: True where the
# value is below 1e-7 or above 1 - 1e-7 (so 1.0 is clipped, 0.95 is not).
ZERO_GRAD_BY_HAND = {
    "[[2, -1, 0.5]]": [[True, True, False]],
    "[[0.05, 0.95, 0]]": [[False, False, True]],
    "[[3, 0.2, 0.7]]": [[True, False, False]],
    "[[1e-9, 5e-8, 0.5, 1.0]]": [[True, True, False, True]],
    "a batch of 3 rows": [[False, True, True, False], [False, False, False, False],
                          [True, True, False, False]],
}
CHECKER_INPUTS = {
    "[[2, -1, 0.5]]": ex._LOGITS, "[[0.05, 0.95, 0]]": ex._PROBS[:1],
    "[[3, 0.2, 0.7]]": ex._ABOVE_ONE,
    "[[1e-9, 5e-8, 0.5, 1.0]]": np.array([[1e-9, 5e-8, 0.5, 1.0]], np.float32),
    "a batch of 3 rows": ex._BATCH,
}
# What each compile in COMPILE_QUESTIONS does, from the lesson (and from Keras below).
COMPILE_BY_HAND = {"a": "learns", "b": "stalls", "c": "learns", "d": "repaired",
                   "e": "double softmax", "f": "stalls", "g": "repaired"}


def _by_hand(table):
    """A learner's function that answers from ``table``, looked up by the input's bytes."""
    answers = {CHECKER_INPUTS[k].tobytes(): np.array(v) for k, v in table.items()}
    return lambda p: answers[np.asarray(p, np.float32).tobytes()]


def test_probability_path_solution_passes_its_checker():
    # the checker's expected values are Keras's: test_exercise_answers_match_keras
    feedback = ex.check_probability_path(ex.SOLUTIONS[ex.check_probability_path])
    assert str(feedback) == "my_scce: all 7 checks passed."
    assert "&#10004;" in feedback._repr_html_()


def test_zero_gradient_mask_checker_expects_the_masks_worked_by_hand():
    assert str(ex.check_zero_gradient_mask(_by_hand(ZERO_GRAD_BY_HAND))) == (
        "my_zero_gradient_mask: all 5 checks passed.")
    # one entry wrong by hand: the checker notices (its answers are not anything-goes)
    wrong = dict(ZERO_GRAD_BY_HAND, **{"[[0.05, 0.95, 0]]": [[False, False, False]]})
    fb = ex.check_zero_gradient_mask(_by_hand(wrong))
    assert len(fb.failures) == 1 and fb.failures[0].startswith("probabilities [[0.05")
    solution = ex.check_zero_gradient_mask(ex.SOLUTIONS[ex.check_zero_gradient_mask])
    assert str(solution) == "my_zero_gradient_mask: all 5 checks passed."


@pytest.mark.tf
def test_zero_gradient_masks_are_where_the_tape_gives_zero(tf, keras):
    """The hand-worked masks are exactly the zeros of Keras's gradient (from_logits=False)."""
    for key, p in CHECKER_INPUTS.items():
        pv = tf.Variable(p)
        with tf.GradientTape() as tape:
            loss = keras.losses.sparse_categorical_crossentropy(
                tf.zeros(p.shape[0], tf.int32), pv)
        grad = tape.gradient(loss, pv).numpy()
        assert (grad == 0).tolist() == ZERO_GRAD_BY_HAND[key], key


def test_compile_checker_expects_the_answers_worked_by_hand():
    assert str(ex.check_compile_predictions(COMPILE_BY_HAND)) == (
        "predict the compile: all 7 checks passed.")
    assert str(ex.check_compile_predictions(ex.SOLUTIONS[ex.check_compile_predictions])) == (
        "predict the compile: all 7 checks passed.")
    fb = ex.check_compile_predictions(dict(COMPILE_BY_HAND, e="learns"))
    assert fb.failures == [f"e) {ex.COMPILE_QUESTIONS['e']}: expected 'double softmax', "
                           f"got 'learns' (hint: {ex._WHY['e']})"]


def test_the_starters_fail_instructively():
    def naive(y_true, y_pred):
        p = np.asarray(y_pred, dtype=np.float32)
        return -np.log(p[np.arange(len(p)), np.asarray(y_true).reshape(-1)])

    fb = ex.check_probability_path(naive)
    assert not fb.passed and "nan or inf" in str(fb) and "clips y_pred" in str(fb)
    fb = ex.check_zero_gradient_mask(lambda p: np.asarray(p) < 0)
    assert fb.total == 5 and len(fb.failures) == 5 and "above 1 - 1e-7" in str(fb)
    fb = ex.check_compile_predictions(dict.fromkeys("abcdefg", "?"))
    assert len(fb.failures) == 7 and "choose one of" in fb.failures[0]
    assert "expected" not in str(fb)                       # "?" gives nothing away
    fb = ex.check_compile_predictions(dict.fromkeys("abcdefg", "learns"))
    assert len(fb.failures) == 5 and "expected 'stalls', got 'learns'" in str(fb)
    assert "array(" not in str(fb)


def test_probability_path_solution_handles_float64_and_shapes():
    p = np.array([[0.2, 0.8], [1.5, -0.5]])
    got = ex.solution_probability_path(np.array([[1], [0]]), p)
    assert got.shape == (2,)
    np.testing.assert_allclose(got, lossedu.sparse_categorical_crossentropy(
        [1, 0], p.astype(np.float32), validate=False), rtol=1e-6)


@pytest.mark.tf
def test_exercise_answers_match_keras(keras):
    """The checker's expected values are what Keras computes on the TF backend."""
    cases = [(np.array([1, 2]), ex._PROBS), (np.array([1]), ex._LOGITS),
             (np.array([0]), ex._LOGITS), (np.array([2]), ex._ABOVE_ONE),
             (np.array([1]), ex._ALL_NEGATIVE), (np.array([1]), ex._WRONG),
             (np.array([2, 0, 3]), ex._BATCH)]
    for y, p in cases:
        k = keras.losses.sparse_categorical_crossentropy(y, p).numpy()
        np.testing.assert_allclose(ex.solution_probability_path(y, p), k, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ex._keras(y, p), k, rtol=1e-6, atol=1e-6)


@pytest.mark.tf
def test_compile_answers_match_keras(tf, keras):
    """Each compile's outcome, read off Keras 3 / TF at the loss level (no training).

    For every question, the loss and its gradient with respect to the logits are computed
    the way the compile would: "stalls" when the clip zeroes a gradient entry, "repaired"
    when Keras takes the hidden logits and warns, "learns" when the loss is the exact
    from_logits=True value with no warning, "double softmax" when it is larger and equals a
    softmax applied to the probabilities.
    """
    import warnings

    def outcome(y, logits, head, loss_fn, from_logits, exact_fn):
        zv = tf.Variable(logits)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with tf.GradientTape() as tape:
                loss = loss_fn(y, head(zv), from_logits=from_logits)
        grad = tape.gradient(loss, zv).numpy()
        value = float(loss[0])
        exact = float(exact_fn(y, tf.constant(logits), from_logits=True)[0])
        said = [str(w.message) for w in caught]
        if np.any(grad == 0):
            return "stalls"
        if value == pytest.approx(exact, rel=1e-6):
            return "repaired" if said else "learns"
        assert not said and value > exact, (value, exact, said)
        p = tf.nn.softmax(logits).numpy()
        again = float(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=p)[0])
        assert value == pytest.approx(again, rel=1e-6)
        return "double softmax"

    z = np.array([[2.0, -1.0, 0.5]], np.float32)
    y = tf.constant([0])
    zb = np.array([[-0.4]], np.float32)
    yb = tf.constant([[1.0]])
    scce = keras.losses.sparse_categorical_crossentropy
    bce = keras.losses.binary_crossentropy
    softmax = keras.activations.softmax
    sigmoid = keras.activations.sigmoid

    def reshaped(t):
        return keras.layers.Reshape((3,))(softmax(t))

    def linear(t):
        return t + 0.0        # a plain tensor, as a Dense layer without activation returns

    observed = {
        "a": outcome(y, z, linear, scce, True, scce),
        "b": outcome(y, z, linear, scce, False, scce),
        "c": outcome(y, z, softmax, scce, False, scce),
        "d": outcome(y, z, softmax, scce, True, scce),
        "e": outcome(y, z, reshaped, scce, True, scce),
        "f": outcome(yb, zb, linear, bce, False, bce),
        "g": outcome(yb, zb, sigmoid, bce, True, bce),
    }
    assert observed == COMPILE_BY_HAND
    assert ex.check_compile_predictions(observed).passed
