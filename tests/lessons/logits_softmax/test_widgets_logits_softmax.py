"""The lesson 01 and 02 explorers, driven headless by setting slider values."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from PIL import Image  # noqa: E402

from lossedu.lessons.logits.views import logit_view  # noqa: E402
from lossedu.lessons.logits.widgets import logit_figure, make_logit_explorer, snap  # noqa: E402
from lossedu.lessons.softmax.views import softmax_view  # noqa: E402
from lossedu.lessons.softmax.widgets import (  # noqa: E402
    OTHER,
    TRUE,
    make_softmax_explorer,
    temperature_figure,
)

PNG = b"\x89PNG\r\n\x1a\n"


def softmax_of(z, t=1.0) -> np.ndarray:
    """The closed form exp(z/T) / sum(exp(z/T)), with Python's math, term by term."""
    e = [math.exp((v - max(z)) / t) for v in z]
    return np.array([x / math.fsum(e) for x in e])


def pixels(png) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGBA"))


def n_artists(fig) -> int:
    return sum(len(ax.get_children()) for ax in fig.axes)


# ------------------------------------------------------------- logit explorer


def test_logit_explorer_layout():
    box = make_logit_explorer(p=0.75)
    kinds = [type(w) for w in box.children]
    assert kinds == [widgets.FloatSlider, widgets.FloatSlider, widgets.HTML, widgets.Image]
    assert box.children[0] is box.p_slider and box.children[1] is box.logit_slider
    assert box.controls == {"p": box.p_slider, "logit": box.logit_slider}
    assert box.state == logit_view(p=0.75)
    assert box.logit_slider.value == 1.1  # log 3 = 1.0986, on the slider's 0.01 grid
    assert bytes(box.image.value).startswith(PNG)


def test_moving_p_moves_the_logit_and_the_drawing():
    box = make_logit_explorer(p=0.75)
    before = bytes(box.image.value)
    box.children[0].value = 0.9
    assert box.state.logit == pytest.approx(math.log(9), rel=1e-14)
    assert box.children[1].value == 2.2  # log 9 = 2.1972, rounded to the slider's grid
    assert box.state.odds_text == "9 : 1"
    assert "9 : 1" in box.readout.value and "2.1972" in box.readout.value
    xs, ys = box.point.get_data()
    assert (xs[0], ys[0]) == pytest.approx((math.log(9), 0.9))
    assert [b.get_height() for b in box.bars] == pytest.approx([0.9, 0.1])
    assert box.odds_title.get_text() == "odds 9 : 1"
    after = bytes(box.image.value)
    assert after != before and after.startswith(PNG)


def test_moving_the_logit_moves_p():
    box = make_logit_explorer()
    box.children[1].value = 0.0
    assert box.state.p == 0.5 and box.children[0].value == 0.5
    assert box.state.odds_text == "1 : 1"
    box.children[1].value = -math.log(3)
    assert box.children[0].value == pytest.approx(0.25)
    assert [b.get_height() for b in box.bars] == pytest.approx([0.25, 0.75])
    assert list(box.guide.get_data()[1]) == pytest.approx([0.25, 0.25, 0.0])


def test_partner_slider_is_clamped_but_the_state_is_exact():
    box = make_logit_explorer()
    box.logit_slider.value = 7.0  # sigmoid(7) = 0.99909 > the p slider's max 0.999
    assert box.state.p == pytest.approx(1 / (1 + math.exp(-7)))
    assert box.p_slider.value == box.p_slider.max


def test_logit_explorer_updates_in_place():
    box = make_logit_explorer()
    count, point, bars = n_artists(box.fig), box.point, list(box.bars)
    for p in (0.1, 0.3, 0.6, 0.95):
        box.p_slider.value = p
    assert n_artists(box.fig) == count
    assert box.point is point and list(box.bars) == bars


def test_blitted_png_equals_a_fresh_full_drawing():
    moved = make_logit_explorer(p=0.75)
    moved.p_slider.value = 0.2
    fresh = make_logit_explorer(p=0.2)
    np.testing.assert_array_equal(pixels(moved.image.value), pixels(fresh.image.value))


def test_logit_figure():
    fig = logit_figure()
    assert len(fig.axes) == 2
    assert fig.axes[0].get_title() == "sigmoid: logit → probability"


# ----------------------------------------------------------- softmax explorer

Z = (2.0, 1.0, 0.5, -1.0)


def test_softmax_explorer_layout():
    box = make_softmax_explorer(Z, temperature=1.0, true_class=0)
    assert len(box.children) == len(Z) + 4
    assert list(box.children[:4]) == box.logit_sliders
    assert box.children[4] is box.temperature
    assert isinstance(box.temperature, widgets.FloatLogSlider)
    assert box.children[5] is box.true_class
    assert box.true_class.options == (("class 0", 0), ("class 1", 1), ("class 2", 2),
                                      ("class 3", 3))
    assert box.children[6] is box.readout and box.children[7] is box.image
    assert list(box.controls) == ["z0", "z1", "z2", "z3", "temperature", "true_class"]
    assert list(box.controls.values()) == list(box.children[:6])
    assert box.logits == list(Z)
    np.testing.assert_allclose(box.state.probs, softmax_of(Z), rtol=1e-12)


def test_temperature_slider_and_true_class():
    box = make_softmax_explorer(Z)
    box.children[4].value = 0.1
    box.children[5].value = 1
    want = softmax_view(Z, 0.1, 1)
    np.testing.assert_allclose(box.state.probs, want.probs)
    assert box.state.loss == pytest.approx(10.0000457, rel=1e-7)
    assert [b.get_height() for b in box.bars] == pytest.approx(want.probs.tolist())
    colors = [to_hex(b.get_facecolor()) for b in box.bars]
    assert colors == [OTHER, TRUE, OTHER, OTHER]
    assert box.chart.marker.get_xdata()[0] == 1
    assert "loss for true class 1 = −log p = 10.0000" in box.readout.value
    assert "loss = 10.000" in box.chart.title.get_text()


def test_logit_sliders_drive_the_state_and_the_reference_marks():
    box = make_softmax_explorer(Z, temperature=2.0, true_class=3)
    t = box.temperature.value
    assert t == pytest.approx(10**0.3)  # 2.0 on the slider's grid of exponents
    box.children[3].value = 5.0
    z = [2.0, 1.0, 0.5, 5.0]
    np.testing.assert_allclose(box.state.probs, softmax_of(z, t), rtol=1e-12)
    assert box.state.predicted == 3
    assert box.state.loss == pytest.approx(softmax_view(z, t, 3).loss)
    np.testing.assert_allclose(box.chart.reference.get_ydata(), softmax_view(z).probs)


@pytest.mark.parametrize("z", [(1.0, 0.0, -1.0), (3.0, 1.0, -3.0, 0.0, 2.0)])
def test_three_and_five_logits(z):
    box = make_softmax_explorer(z, true_class=len(z) - 1)
    assert len(box.logit_sliders) == len(z) and len(box.bars) == len(z)
    box.logit_sliders[0].value = -4.0
    assert box.state.logits[0] == -4.0
    assert box.state.true_class == len(z) - 1


def test_softmax_explorer_updates_in_place():
    box = make_softmax_explorer(Z)
    count, bars = n_artists(box.fig), list(box.bars)
    for t in (0.05, 0.5, 5.0, 20.0):
        box.temperature.value = t
    box.true_class.value = 2
    assert n_artists(box.fig) == count and list(box.bars) == bars


def test_softmax_blitted_png_equals_a_fresh_full_drawing():
    moved = make_softmax_explorer(Z, temperature=1.0, true_class=0)
    moved.temperature.value = 10**-0.3
    moved.true_class.value = 2
    fresh = make_softmax_explorer(Z, temperature=moved.temperature.value, true_class=2)
    np.testing.assert_array_equal(pixels(moved.image.value), pixels(fresh.image.value))


def test_softmax_explorer_refuses_too_many_logits():
    with pytest.raises(ValueError, match="2 to 8 logits"):
        make_softmax_explorer([0.0] * 9)


@pytest.mark.tf
def test_explorer_loss_is_tensorflows_sparse_ce(tf):
    box = make_softmax_explorer(Z, true_class=2)
    box.temperature.value = 0.3
    z = np.array(Z) / box.temperature.value
    want = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=[z]).numpy()[0]
    assert box.state.loss == pytest.approx(float(want), rel=1e-12)


def test_temperature_figure():
    ts = (0.25, 1.0, 4.0)
    fig = temperature_figure(Z, ts, true_class=1)
    assert len(fig.axes) == 3
    for ax, t in zip(fig.axes, ts, strict=True):
        heights = [p.get_height() for p in ax.patches]
        assert heights == pytest.approx(softmax_of(Z, t).tolist())
        assert ax.get_title().startswith(f"T = {t:g}: loss = ")


@pytest.mark.parametrize("make", [make_logit_explorer, make_softmax_explorer])
def test_static_viewers_get_a_short_hint_instead_of_a_widget_dump(make):
    text = make()._repr_mimebundle_()["text/plain"]
    assert "run the notebook in Jupyter" in text and len(text) <= 110


# ---------------------------------------------- linked sliders in a real browser


def test_partner_values_land_on_the_slider_grid():
    box = make_logit_explorer()
    for p in (0.123, 0.5, 0.767, 0.999):
        box.p_slider.value = p
        assert box.logit_slider.value == snap(box.logit_slider, box.state.logit)
        assert round(box.logit_slider.value * 100) == pytest.approx(box.logit_slider.value * 100)
    for z in (-3.21, 0.07, 4.44):
        box.logit_slider.value = z
        assert box.p_slider.value == snap(box.p_slider, box.state.p)


def test_the_browser_echo_is_ignored_and_nothing_drifts():
    """The front end sends back (a rounding of) every value Python sets; answer none of it."""
    box = make_logit_explorer()
    box.p_slider.value = 0.767
    state = box.state
    box.logit_slider.value = box.logit_slider.value + 1e-12   # the echo, with float noise
    assert box.state is state and box.p_slider.value == 0.767
    for _ in range(50):                                        # a front end that keeps echoing
        box.logit_slider.value = snap(box.logit_slider, box.logit_slider.value) - 1e-12
        box.p_slider.value = snap(box.p_slider, box.p_slider.value) - 1e-12
    assert box.state.p == pytest.approx(0.767, abs=1e-3)


def test_a_real_move_of_the_partner_after_an_echo_still_counts():
    box = make_logit_explorer()
    box.p_slider.value = 0.9                       # sets the logit slider to 2.2
    box.logit_slider.value = 2.21                  # the learner moves it one step
    assert box.state.logit == 2.21
    assert box.state.p == pytest.approx(1 / (1 + math.exp(-2.21)))


def test_softmax_explorer_snaps_its_start_to_the_grid():
    box = make_softmax_explorer([2.04, 1.0, -0.96], temperature=0.3)
    assert box.logits == [2.0, 1.0, -1.0]
    assert box.temperature.value == pytest.approx(10 ** -0.52)
    np.testing.assert_allclose(box.state.logits, [2.0, 1.0, -1.0])
    assert box.state.temperature == box.temperature.value


@pytest.mark.parametrize("kwargs", [{"temperature": 0.0}, {"true_class": 5}])
def test_softmax_explorer_refuses_bad_start(kwargs):
    with pytest.raises(ValueError):
        make_softmax_explorer(**kwargs)
