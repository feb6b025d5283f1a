"""The softmax-temperature explorer (lesson 02) and the static figure of the same idea.

The explorer is a ``VBox``: one slider per logit, a temperature slider (log scale), a
dropdown for the true class, a text readout and a PNG image of a bar chart.  Every change
recomputes :func:`lossedu.lessons.softmax.views.softmax_view` and updates the existing bars in place
(``set_height``, ``set_color``); :class:`~lossedu.explorer.BlitRenderer` redraws only
those artists over the saved background before encoding the PNG.  Tests drive it headless::

    box = make_softmax_explorer([2.0, 1.0, 0.5, -1.0])
    box.temperature.value = 0.1
    box.true_class.value = 1
    box.state.loss                     # about 10.00005
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu.explorer import BlitRenderer, Explorer, snap
from lossedu.i18n import _, figure_text
from lossedu.lessons.softmax.views import SoftmaxView, softmax_view

__all__ = ["SoftmaxExplorer", "make_softmax_explorer", "temperature_figure"]

TRUE = "#d1495b"
OTHER = "#1f5fa8"
LOGIT_RANGE = (-10.0, 10.0)
T_EXPONENTS = (-1.5, 1.5)  # the temperature slider runs from 10**-1.5 to 10**1.5


class _Bars:
    """The probability bar chart of one :class:`SoftmaxView`, updatable in place."""

    def __init__(self, ax, v: SoftmaxView, reference: np.ndarray | None = None):
        c = v.probs.size
        x = np.arange(c)
        self.ax = ax
        self.bars = ax.bar(x, v.probs, width=0.65, color=OTHER)
        self.labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in x]
        (self.marker,) = ax.plot([0], [1.09], "v", color=TRUE, ms=8)
        self.reference = None
        if reference is not None:
            (self.reference,) = ax.plot(x, reference, "_", color="0.2", ms=28, mew=1.5)
        ax.set_xticks(x, [figure_text("class {i}").format(i=i) for i in x])
        ax.set_xlim(-0.6, c - 0.4)
        ax.set_ylim(0, 1.15)
        ax.set_ylabel(figure_text("probability"))
        self.title = ax.set_title("", fontsize=10)
        self.update(v)

    def update(self, v: SoftmaxView, reference: np.ndarray | None = None) -> None:
        for i, (bar, label, h) in enumerate(zip(self.bars, self.labels, v.probs, strict=True)):
            bar.set_height(h)
            bar.set_color(TRUE if i == v.true_class else OTHER)
            label.set_y(h + 0.01)
            label.set_text(f"{h:.3f}")
        self.marker.set_visible(v.true_class is not None)
        if v.true_class is not None:
            self.marker.set_xdata([v.true_class])
        if reference is not None and self.reference is not None:
            self.reference.set_ydata(reference)
        head = f"T = {v.temperature:.3g}"
        if v.loss is not None:
            head += figure_text(";  true class {k} (red): loss = {loss:.3f}").format(
                k=v.true_class, loss=v.loss)
        if self.reference is not None:
            head += figure_text(";  black marks: T = 1")
        self.title.set_text(head)

    @property
    def moving(self) -> list:
        """The artists :meth:`update` changes."""
        extra = [] if self.reference is None else [self.reference]
        return [*self.bars, *self.labels, self.marker, self.title, *extra]

class SoftmaxExplorer(Explorer):
    """Sliders for the logits and the temperature, a true-class dropdown, a live bar chart.

    Children, in order: one ``FloatSlider`` per logit (also ``logit_sliders``), then
    ``temperature`` (a ``FloatLogSlider``), ``true_class`` (a ``Dropdown``), ``readout``
    (HTML) and ``image`` (PNG).  ``state`` is the
    :class:`~lossedu.lessons.softmax.views.SoftmaxView` last drawn; the true class's bar is red, and
    the short black marks show plain softmax (T = 1) for comparison.  ``controls`` names the
    sliders and the dropdown: ``z0``, ``z1``, ..., ``temperature``, ``true_class``.

    Starting values are rounded to the sliders' grids (logits to 0.1, the temperature's
    exponent to 0.01), so the state always matches what the sliders show.
    """

    def __init__(self, logits=(2.0, 1.0, 0.5, -1.0), temperature: float = 1.0,
                 true_class: int = 0):
        z = [float(v) for v in logits]
        if not 2 <= len(z) <= 8:
            raise ValueError(_("the explorer draws 2 to 8 logits, got {n}").format(n=len(z)))
        softmax_view(z, temperature, true_class)  # refuse bad input before building widgets
        self.logit_sliders = [
            widgets.FloatSlider(value=0.0, min=LOGIT_RANGE[0], max=LOGIT_RANGE[1], step=0.1,
                                description=f"z{i}", readout_format=".1f",
                                layout=widgets.Layout(width="420px"))
            for i in range(len(z))]
        for slider, v in zip(self.logit_sliders, z, strict=True):
            slider.value = snap(slider, v)
        self.temperature = widgets.FloatLogSlider(
            value=1.0, base=10, min=T_EXPONENTS[0], max=T_EXPONENTS[1],
            step=0.01, description="T", readout_format=".3g",
            layout=widgets.Layout(width="420px"))
        exponent = float(np.clip(round(float(np.log10(temperature)), 2), *T_EXPONENTS))
        self.temperature.value = float(10.0 ** exponent)
        z = self.logits
        first = softmax_view(z, self.temperature.value, true_class)
        self.true_class = widgets.Dropdown(
            options=[(_("class {i}").format(i=i), i) for i in range(len(z))],
            value=int(true_class), description=_("true class"))
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        super().__init__([*self.logit_sliders, self.temperature, self.true_class,
                          self.readout, self.image],
                         controls={**{f"z{i}": s for i, s in enumerate(self.logit_sliders)},
                                   "temperature": self.temperature,
                                   "true_class": self.true_class})
        self.fig = Figure(figsize=(6.4, 3.0))
        self.fig.subplots_adjust(left=0.11, right=0.98, bottom=0.1, top=0.9)
        ax = self.fig.subplots()
        self.chart = _Bars(ax, first, reference=softmax_view(z).probs)
        self.bars = self.chart.bars
        self.renderer = BlitRenderer(self.fig, self.chart.moving)
        self.state: SoftmaxView = first
        self._draw(first, z)
        for w in [*self.logit_sliders, self.temperature, self.true_class]:
            w.observe(self._on_change, names="value")

    def __repr__(self) -> str:
        # The text a static notebook viewer (GitHub) shows instead of the live widget.
        return _("<{name}: run the notebook in Jupyter to drag the sliders>").format(
            name=type(self).__name__)

    @property
    def logits(self) -> list[float]:
        return [s.value for s in self.logit_sliders]

    def _draw(self, v: SoftmaxView, z: list[float]) -> None:
        self.state = v
        self.chart.update(v, reference=softmax_view(z).probs)
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _on_change(self, _change=None) -> None:
        z = self.logits
        self._draw(softmax_view(z, self.temperature.value, self.true_class.value), z)


def make_softmax_explorer(logits=(2.0, 1.0, 0.5, -1.0), temperature: float = 1.0,
                          true_class: int = 0) -> SoftmaxExplorer:
    """The softmax-temperature explorer for one row of logits (2 to 8 of them)."""
    return SoftmaxExplorer(logits, temperature, true_class)


def temperature_figure(logits=(2.0, 1.0, 0.5, -1.0), temperatures=(0.25, 1.0, 4.0),
                       true_class: int = 1) -> Figure:
    """Static figure: the same logits through softmax at several temperatures, side by side."""
    ts = list(temperatures)
    fig = Figure(figsize=(2.6 * len(ts), 2.8))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.1, top=0.78, wspace=0.25)
    axes = np.atleast_1d(fig.subplots(1, len(ts), sharey=True))
    for ax, t in zip(axes, ts, strict=True):
        v = softmax_view(logits, t, true_class)
        bars = _Bars(ax, v)
        bars.title.set_text(figure_text("T = {t:g}: loss = {loss:.3f}").format(t=t, loss=v.loss))
        ax.tick_params(axis="x", labelsize=8)
    for ax in axes[1:]:
        ax.set_ylabel("")
    z = ", ".join(f"{v:g}" for v in logits)
    fig.suptitle(figure_text("softmax(z / T) for z = [{z}], true class {k} in red").format(
        z=z, k=true_class), fontsize=11)
    return fig
