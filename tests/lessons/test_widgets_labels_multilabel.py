"""The lesson 03 and 04 explorers, driven headless by setting slider and checkbox values."""

from __future__ import annotations

import dataclasses
import math

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lossedu.lessons.sigmoid_vs_softmax.views import ATTRIBUTES, probability_models_view  # noqa: E402
from lossedu.lessons.sigmoid_vs_softmax.widgets import (  # noqa: E402
    attribute_probabilities_figure,
    make_probability_models_explorer,
    probability_models_figure,
)
from lossedu.lessons.smoothing_reductions_gradients.views import (  # noqa: E402
    clip_then_log_curve,
    label_gradient_view,
)
from lossedu.lessons.smoothing_reductions_gradients.widgets import (  # noqa: E402
    clip_curve_figure,
    label_gradients_figure,
    make_label_gradient_explorer,
)

PNG = b"\x89PNG\r\n\x1a\n"


def logsumexp(z) -> float:
    return math.log(math.fsum(math.exp(v) for v in z))


def same_view(a, b) -> bool:
    """Field-by-field equality of two view dataclasses (their arrays compare element-wise)."""
    if type(a) is not type(b):
        return False
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def heights(bars) -> np.ndarray:
    return np.array([b.get_height() for b in bars])


def n_artists(fig) -> int:
    return sum(len(ax.get_children()) for ax in fig.axes)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- lesson 03 explorer
def test_label_gradient_explorer_starts_at_logits_1_2_3():
    box = make_label_gradient_explorer()
    assert isinstance(box, widgets.VBox)
    assert set(box.controls) == {"z0", "z1", "z2", "true_class", "label_smoothing",
                                 "label_total"}
    assert same_view(box.state, label_gradient_view([1.0, 2.0, 3.0], 2))
    assert "loss = 0.4076" in box.readout.value
    assert bytes(box.image.value).startswith(PNG)
    # the controls are reachable through children too
    assert box.children[0].children[0] is box.controls["z0"]
    assert box.children[1] is box.controls["true_class"]


def test_label_gradient_explorer_follows_the_sliders():
    box = make_label_gradient_explorer()
    before_png, before_artists = bytes(box.image.value), n_artists(box.figure)
    box.controls["z0"].value = 4.0
    box.controls["true_class"].value = 0
    box.controls["label_smoothing"].value = 0.2
    want = label_gradient_view([4.0, 2.0, 3.0], 0, 0.2, 1.0)
    assert same_view(box.state, want)
    # smoothed target [0.8 + 0.2/3, 0.2/3, 0.2/3]; loss = logsumexp(z) - target . z
    target = [0.8 + 0.2 / 3, 0.2 / 3, 0.2 / 3]
    closed = logsumexp([4.0, 2.0, 3.0]) - (target[0] * 4 + target[1] * 2 + target[2] * 3)
    assert box.state.loss == pytest.approx(closed, rel=1e-12)
    np.testing.assert_allclose(heights(box.plot.prob_bars), want.probs)
    np.testing.assert_allclose(heights(box.plot.target_bars), want.labels)
    np.testing.assert_allclose(heights(box.plot.true_bars), want.grad)
    np.testing.assert_allclose(heights(box.plot.tape_bars), want.tape_grad)
    assert bytes(box.image.value) != before_png
    assert n_artists(box.figure) == before_artists, "artists are updated in place, not added"
    assert f"loss = {want.loss:.4f}" in box.readout.value


def test_label_gradient_explorer_shows_the_wrong_tape_gradient():
    box = make_label_gradient_explorer()
    assert "tape gradient = true gradient" in box.readout.value
    box.controls["true_class"].value = 0
    box.controls["label_total"].value = 2.0
    assert box.state.tape_error == pytest.approx(0.66524094, rel=1e-6)
    assert "tape gradient is off by up to 0.6652" in box.readout.value
    assert "tape gradient sums to -1.0000" in box.readout.value
    assert "tape off by up to 0.665" in box.plot.ax_grad.get_title()
    assert box.plot.ax_probs.get_ylim()[1] >= 2.0  # the target bar of height 2 is visible


def test_label_gradient_explorer_with_four_classes():
    box = make_label_gradient_explorer(logits=(0.0, 1.0, -1.0, 2.0), true_class=3)
    assert len(box.plot.prob_bars) == 4 and "z3" in box.controls
    box.controls["z3"].value = -8.0
    assert box.state.logits[3] == -8.0
    assert box.state.loss == pytest.approx(logsumexp([0, 1, -1, -8.0]) + 8.0, rel=1e-12)


def test_static_label_figures():
    views = [label_gradient_view([1.0, 2.0, 3.0], 2),
             label_gradient_view([1.0, 2.0, 3.0], 0, label_total=2.0)]
    fig = label_gradients_figure(views, ["a", "b"])
    assert len(fig.axes) == 4
    assert fig.axes[0].get_title().startswith("a\nloss = 0.4076")
    fig2 = clip_curve_figure(clip_then_log_curve(np.linspace(0, 60, 61)))
    assert len(fig2.axes) == 2
    # *_figure() builds a bare Figure: nothing is left open in pyplot
    assert isinstance(fig, Figure) and isinstance(fig2, Figure) and plt.get_fignums() == []
    lines = fig2.axes[0].get_lines()
    assert max(lines[1].get_ydata()) == pytest.approx(23.02585, rel=1e-6)


# ---------------------------------------------------------------- lesson 04 explorer
def test_probability_models_explorer_defaults():
    box = make_probability_models_explorer()
    assert set(box.controls) == {"z0", "z1", "z2", "z3", "present0", "present1", "present2",
                                 "present3"}
    assert same_view(box.state, probability_models_view([2.0, -1.0, 1.5, -3.0], [1, 0, 1, 0]))
    assert "sigmoid → upper body, long sleeves; softmax → upper body" in box.readout.value
    assert bytes(box.image.value).startswith(PNG)
    assert box.controls["present0"].description == f"{ATTRIBUTES[0]} present"
    np.testing.assert_allclose(heights(box.plot.sig_bars), box.state.sigmoid_probs)
    np.testing.assert_allclose(heights(box.plot.soft_bars), box.state.softmax_probs)


def test_probability_models_explorer_follows_the_controls():
    box = make_probability_models_explorer()
    n0 = n_artists(box.figure)
    box.controls["z1"].value = 3.0
    box.controls["present0"].value = False
    box.controls["present2"].value = False
    want = probability_models_view([2.0, 3.0, 1.5, -3.0], [0, 0, 0, 0])
    assert same_view(box.state, want)
    assert box.state.sigmoid_sum == pytest.approx(
        sum(1 / (1 + math.exp(-v)) for v in (2.0, 3.0, 1.5, -3.0)), rel=1e-12)
    assert want.exclusive_loss is None and "undefined" in box.readout.value
    np.testing.assert_allclose(heights(box.plot.sig_bars), want.sigmoid_probs)
    assert len(box.plot.marks.get_xdata()) == 0
    box.controls["present1"].value = True
    np.testing.assert_array_equal(box.plot.marks.get_xdata(), [1])
    assert n_artists(box.figure) == n0
    assert f"sum to {want.sigmoid_sum:.2f}" in box.plot.ax.get_title()


def test_probability_models_explorer_all_negative_logits():
    box = make_probability_models_explorer()
    for i in range(4):
        box.controls[f"z{i}"].value = -5.0
    assert "sigmoid → none; softmax → none" in box.readout.value
    assert box.state.sigmoid_sum == pytest.approx(4 / (1 + np.exp(5.0)))


def test_static_multilabel_figures():
    v = probability_models_view([2.0, 1.5, -2.0, -3.0], [1, 1, 0, 0])
    fig = probability_models_figure([v, v], ["x", "y"])
    assert len(fig.axes) == 2 and fig.axes[0].get_title().startswith("x\n")
    fig2 = attribute_probabilities_figure([np.eye(4), np.full((4, 4), 0.25)], ["a", "b"],
                                        ["r0", "r1", "r2", "r3"])
    assert len(fig2.axes) == 3  # two heatmaps and a colour bar
    assert isinstance(fig, Figure) and isinstance(fig2, Figure) and plt.get_fignums() == []
