"""Lesson 05's widgets: the from_logits explorer, driven headless, and the static figures."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from lossedu.lessons.from_logits_pitfall import widgets as w  # noqa: E402


def _toy(n=400, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2, 4)).astype(np.float32)
    y = np.argmax(x.reshape(n, -1)[:, :classes], axis=1).astype(np.uint8)
    return (x[:320], y[:320]), (x[320:], y[320:])


@pytest.fixture(scope="module")
def explorer():
    train, test = _toy()
    return w.make_pitfall_explorer(train, test, epochs=1, n_train=320, probe_size=32,
                                   batch_size=32)


def test_layout_and_defaults(explorer):
    names = [type(c).__name__ for c in explorer.children]
    assert names == ["Dropdown", "ToggleButtons", "IntSlider", "IntSlider", "Button", "HTML",
                     "Image"]
    assert explorer.children[0] is explorer.output and explorer.output.value == "linear"
    assert explorer.from_logits.value is False and explorer.epochs.max == 10
    assert explorer.n_train.max == 320 and 1 <= explorer.n_train.min <= 320
    assert explorer.result is None and explorer.state is None and explorer.runs == []
    assert explorer.controls == {"output": explorer.output, "from_logits": explorer.from_logits,
                                 "epochs": explorer.epochs, "n_train": explorer.n_train}
    assert explorer.image.value[:4] == b"\x89PNG"
    assert "run the notebook in Jupyter" in repr(explorer)


def test_slider_limits_for_real_sizes():
    x = np.zeros((60000, 1), np.float32)
    y = np.zeros(60000, np.uint8)
    box = w.PitfallExplorer((x, y), (x[:10], y[:10]))
    assert (box.n_train.min, box.n_train.max, box.n_train.step) == (1000, 30000, 1000)
    assert box.n_train.value == 6000


@pytest.mark.tf
@pytest.mark.slow
def test_train_button_runs_and_draws(explorer):
    explorer.output.value = "linear"
    explorer.from_logits.value = False
    explorer.epochs.value = 2
    explorer.n_train.value = 320
    explorer.train_button.click()
    r = explorer.result
    assert r.config["output"] == "linear" and r.config["from_logits"] is False
    assert r.config["epochs"] == 2 and r.config["n_train"] == 320
    assert r.probe["epoch"][-1] == 2.0 and len(r.history["loss"]) == 2
    cur, prev = explorer.lines[explorer.state.zero_grad.title]
    assert np.array_equal(cur.get_ydata(), r.probe["zero_grad_fraction"])
    assert np.array_equal(cur.get_xdata(), r.probe["epoch"])
    assert len(prev.get_xdata()) == 0                       # no previous run yet
    assert len(explorer.runs) == 1 and "from_logits=False" in explorer.runs[0]
    assert "test accuracy" in explorer.readout.value
    assert not explorer.train_button.disabled
    first_png = explorer.image.value

    # A second run: the first one becomes the grey "previous" curve; the repair warns.
    explorer.output.value = "softmax"
    explorer.from_logits.value = True
    explorer.epochs.value = 1
    explorer.children[4].click()
    r2 = explorer.result
    assert r2.config["output"] == "softmax" and r2.probe["epoch"][-1] == 1.0
    cur, prev = explorer.lines[explorer.state.loss.title]
    assert np.array_equal(prev.get_ydata(), r.probe["loss"])
    assert np.array_equal(cur.get_ydata(), r2.probe["loss"])
    assert explorer.axes[0].get_xlim() == (0.0, 2.0)
    assert "&#9888;" in explorer.readout.value and "Softmax activation" in explorer.readout.value
    assert len(explorer.runs) == 2 and explorer.image.value != first_png
    log_c = explorer.log_c.get_ydata()
    assert np.allclose(log_c, np.log(4))                    # 4 classes in the toy data


def test_training_figure_from_records():
    rec = {"epoch": [0.0, 0.5, 1.0], "loss": [3.0, 2.5, 2.3], "accuracy": [0.1, 0.2, 0.3],
           "zero_grad_fraction": [0.5, 0.9, 1.0]}
    good = {"epoch": [0.0, 0.5, 1.0], "loss": [2.4, 1.0, 0.5], "accuracy": [0.1, 0.6, 0.8],
            "zero_grad_fraction": [0.0, 0.0, 0.0]}
    fig = w.training_figure({"True": {"history": {"loss": [0.7]}, "probe": good},
                             "False": {"history": {"loss": [2.4]}, "probe": rec}},
                            title="toy")
    axes = fig.get_axes()
    assert len(axes) == 3
    assert [a.get_title() for a in axes][2] == "logit gradients that are exactly 0"
    zero_lines = axes[2].get_lines()
    assert [list(line.get_ydata()) for line in zero_lines] == [[0.0, 0.0, 0.0], [0.5, 0.9, 1.0]]
    assert axes[0].get_ylim()[1] >= 3.0
    assert [t.get_text() for t in fig.texts] == ["toy"]


def test_margin_figure():
    fig = w.margin_figure(np.linspace(0, 30, 31))
    ax, bx = fig.get_axes()
    exact, probs = ax.get_lines()[:2]
    assert exact.get_ydata()[-1] == pytest.approx(30.0, abs=1e-3)
    assert probs.get_ydata()[-1] == pytest.approx(16.118, abs=1e-3)
    assert bx.get_lines()[1].get_ydata()[-1] == 0.0
    assert "16.118" in ax.get_title()


def test_predictions_figure_draws_each_example_with_its_bars():
    from lossedu.lessons.from_logits_pitfall.views import prediction_examples

    probs = np.array([[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.1, 0.1, 0.8]], np.float32)
    ex = prediction_examples(probs, [0, 0, 2], n_right=2, n_wrong=1, class_names="abc")
    images = np.arange(3 * 4 * 4, dtype=np.float32).reshape(3, 4, 4)
    fig = w.predictions_figure(images, ex, columns=2)
    axes = fig.get_axes()
    assert len(axes) == 6                                  # an image and a bar chart each
    images_shown = [a.get_images()[0].get_array() for a in axes[0::2]]
    for shown, row in zip(images_shown, [0, 2, 1], strict=True):
        np.testing.assert_array_equal(shown, images[row])
    bars = [[p.get_width() for p in a.patches] for a in axes[1::2]]
    np.testing.assert_allclose(bars, probs[[0, 2, 1]], rtol=1e-6)
    wrong_bars = axes[5].patches
    assert wrong_bars[1].get_facecolor()[:3] != wrong_bars[0].get_facecolor()[:3]  # predicted
    assert wrong_bars[0].get_linewidth() > wrong_bars[2].get_linewidth()           # true class
    assert [a.get_title() for a in axes[1::2]][2] == "true: a\npredicted: b 50%"
