"""Lesson 04's Fashion-MNIST grid and its decision table, tested without the notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lossedu.constants import CLASS_NAMES  # noqa: E402
from lossedu.errors import LabelValueError, LossInputError  # noqa: E402
from lossedu.lessons.sigmoid_vs_softmax.views import grid_indices  # noqa: E402
from lossedu.lessons.sigmoid_vs_softmax.widgets import fashion_grid_figure  # noqa: E402


def test_grid_indices_take_the_first_examples_of_each_class_in_order():
    labels = [2, 0, 1, 0, 2, 1, 0]
    assert grid_indices(labels, per_class=2, num_classes=3).tolist() == [[1, 2, 0], [3, 5, 4]]
    assert grid_indices(labels, per_class=1, num_classes=3).tolist() == [[1, 2, 0]]


def test_grid_indices_explain_a_class_with_too_few_examples():
    with pytest.raises(LabelValueError, match="1 example\\(s\\) of class 1") as info:
        grid_indices([0, 0, 1], per_class=2, num_classes=2)
    assert "smaller per_class" in str(info.value)


@pytest.mark.parametrize("labels", [[[0, 1], [1, 0]], [0, 1, 5]])
def test_grid_indices_reject_labels_that_are_not_class_ids(labels):
    with pytest.raises(LossInputError, match="labels"):
        grid_indices(labels, per_class=1, num_classes=2)


def test_fashion_grid_shows_each_image_under_its_class_name():
    rng = np.random.default_rng(0)
    labels = rng.permutation(np.arange(40) % 10)
    images = rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    fig = fashion_grid_figure(images, labels, per_class=3)
    assert len(fig.axes) == 30
    assert [ax.get_title() for ax in fig.axes[:10]] == list(CLASS_NAMES)
    assert all(ax.get_title() == "" for ax in fig.axes[10:])
    for k, ax in enumerate(fig.axes):
        assert labels[ax.image_index] == k % 10          # column k % 10 is class k % 10
        assert np.array_equal(ax.images[0].get_array(), images[ax.image_index])
    assert len({ax.image_index for ax in fig.axes}) == 30   # no image shown twice


def test_fashion_grid_on_the_real_data():
    from lossedu.data import load_fashion_mnist

    (x_train, y_train), _ = load_fashion_mnist()
    fig = fashion_grid_figure(x_train, y_train, per_class=1)
    # the first image of each class, as listed in the Fashion-MNIST training labels
    assert [ax.image_index for ax in fig.axes] == [np.flatnonzero(y_train == k)[0]
                                                  for k in range(10)]
    assert fig.axes[9].image_index == 0 and CLASS_NAMES[y_train[0]] == "Ankle boot"


# The decision table's rows: the oracle is float64 closed-form math on the same inputs.
def _inputs(seed=4, batch=6, c=5):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(batch, c)).astype(np.float32).astype(np.float64)
    binary = (rng.random((batch, 1)) > 0.5).astype(np.float64)
    ids = rng.integers(0, c, size=batch)
    multi = (rng.random((batch, c)) > 0.5).astype(np.float64)
    return z, binary, ids, multi


def _sigmoid_ce(y, z):
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _softmax_ce(k, z):
    shifted = z - z.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_p[np.arange(len(k)), k]


@pytest.mark.tf
def test_decision_table_rows_agree_with_closed_form_math(tf, keras):
    from lossedu.lessons.sigmoid_vs_softmax.table import TASKS, decision_table_rows

    rows = decision_table_rows(seed=4)
    z, binary, ids, multi = _inputs()
    expected = [_sigmoid_ce(binary, z[:, :1]).mean(), _sigmoid_ce(binary, z[:, :1]).mean(),
                _softmax_ce(ids, z).mean(), _softmax_ce(ids, z).mean(),
                _sigmoid_ce(multi, z).mean()]
    assert [r.task for r in rows] == list(TASKS)
    for row, want in zip(rows, expected, strict=True):
        for got in (row.keras, row.tf_nn, row.lossedu):
            assert got == pytest.approx(want, rel=1e-5), row.task
    assert [r.metric for r in rows] == ["BinaryAccuracy", "BinaryAccuracy",
                                        "SparseCategoricalAccuracy", "CategoricalAccuracy",
                                        "CategoricalAccuracy"]
    # the lesson prints these to four decimals
    assert [round(r.keras, 4) for r in rows] == [0.8076, 0.8076, 2.3213, 2.3213, 0.7561]


@pytest.mark.tf
def test_decision_table_rows_follow_the_seed(tf, keras):
    from lossedu.lessons.sigmoid_vs_softmax.table import decision_table_rows

    a, b = decision_table_rows(seed=1), decision_table_rows(seed=2)
    assert a[0].keras != b[0].keras
    z, binary, _, _ = _inputs(seed=1)
    assert a[0].keras == pytest.approx(_sigmoid_ce(binary, z[:, :1]).mean(), rel=1e-5)
