"""The p ↔ logit explorer (lesson 01) and the static figure of the same idea.

The explorer is a ``VBox`` of two linked sliders (``p`` and ``logit``), a text readout and
a PNG image of a matplotlib figure (no ipympl needed).  Moving either slider recomputes
:func:`lossedu.lessons.logits.views.logit_view`, moves the other slider, and updates the existing
artists in place (``set_data``, ``set_height``).  The figure is built and drawn once;
:class:`~lossedu.explorer.BlitRenderer` then redraws only the moving artists
over the saved background (blitting) before encoding the PNG.  Tests drive it headless::

    box = make_logit_explorer(p=0.75)
    box.children[0].value = 0.9        # the p slider
    box.state.logit                    # log 9
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu.activations import logit as _logit
from lossedu.explorer import BlitRenderer, Explorer, snap
from lossedu.i18n import _, figure_text
from lossedu.lessons.logits.views import Z_RANGE, LogitView, logit_view, odds_text, sigmoid_curve

__all__ = ["snap", "LogitExplorer", "make_logit_explorer", "logit_figure"]

CURVE = "#1f5fa8"
POINT = "#d1495b"
P_RANGE = (0.001, 0.999)


def _curve_axes(ax) -> None:
    z, p = sigmoid_curve()
    ax.plot(z, p, color=CURVE, lw=2)
    ax.axhline(0.5, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlim(*Z_RANGE)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("logit z = log(p / (1 − p))")
    ax.set_ylabel("p = sigmoid(z)")


class LogitExplorer(Explorer):
    """Linked ``p`` and ``logit`` sliders over a sigmoid curve with a moving point.

    Children, in order: ``p_slider``, ``logit_slider``, ``readout`` (HTML), ``image`` (PNG).
    ``state`` is the :class:`~lossedu.lessons.logits.views.LogitView` last drawn, computed exactly
    from the slider the learner moved; the other slider shows it rounded to its own grid.
    ``controls`` is ``{"p": p_slider, "logit": logit_slider}``.

    Linked sliders need care in a browser: the front end rounds every value to the slider's
    step and sends the rounded value back.  Answering that echo would round the other
    slider, whose echo rounds the first again, and the pair drifts.  So the partner is set
    to an on-grid value, and a change that lands within half a step of the value just set
    is taken as the echo and ignored.
    """

    def __init__(self, p: float = 0.75):
        self.p_slider = widgets.FloatSlider(
            value=0.5, min=P_RANGE[0], max=P_RANGE[1], step=0.001, description="p",
            readout_format=".3f", layout=widgets.Layout(width="420px"))
        self.logit_slider = widgets.FloatSlider(
            value=0.0, min=Z_RANGE[0], max=Z_RANGE[1], step=0.01,
            description="logit z", readout_format=".2f", layout=widgets.Layout(width="420px"))
        self.p_slider.value = snap(self.p_slider, p)
        first = logit_view(p=self.p_slider.value)
        self.logit_slider.value = snap(self.logit_slider, first.logit)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        super().__init__([self.p_slider, self.logit_slider, self.readout, self.image],
                         controls={"p": self.p_slider, "logit": self.logit_slider})
        self._syncing = False
        self._echo: dict[int, float] = {}
        self._build_figure(first)
        self.state: LogitView = first
        self._draw(first)
        self.p_slider.observe(self._on_p, names="value")
        self.logit_slider.observe(self._on_logit, names="value")

    def __repr__(self) -> str:
        # The text a static notebook viewer (GitHub) shows instead of the live widget.
        return _("<{name}: run the notebook in Jupyter to drag the sliders>").format(
            name=type(self).__name__)

    def _build_figure(self, v: LogitView) -> None:
        self.fig = Figure(figsize=(6.4, 2.8))
        self.fig.subplots_adjust(left=0.09, right=0.98, bottom=0.17, top=0.88, wspace=0.35)
        ax, bx = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
        _curve_axes(ax)
        (self.guide,) = ax.plot(v.guide_x, v.guide_y, ls="--", color=POINT, lw=1)
        (self.point,) = ax.plot([v.logit], [v.p], "o", color=POINT, ms=8)
        self.label = ax.set_title("")
        self.bars = bx.bar([0, 1], [v.p, v.q], color=[POINT, "0.6"], width=0.6)
        bx.set_xticks([0, 1], ["p", "1 − p"])
        bx.set_ylim(0, 1.15)
        self.bar_labels = [bx.text(i, 0, "", ha="center", va="bottom") for i in (0, 1)]
        self.odds_title = bx.set_title("")
        self.renderer = BlitRenderer(self.fig, [self.guide, self.point, self.label,
                                               *self.bars, *self.bar_labels, self.odds_title])

    def _draw(self, v: LogitView) -> None:
        """Update the artists in place, the readout and the PNG; record ``state``."""
        self.state = v
        self.guide.set_data(v.guide_x, v.guide_y)
        self.point.set_data([v.guide_x[1]], [v.p])
        self.label.set_text(figure_text("sigmoid(z) maps z = {logit:.2f} to p = {p:.3f}")
                            .format(logit=v.logit, p=v.p))
        for bar, label, h in zip(self.bars, self.bar_labels, (v.p, v.q), strict=True):
            bar.set_height(h)
            label.set_y(h + 0.02)
            label.set_text(f"{h:.3f}")
        self.odds_title.set_text(figure_text("odds {odds}").format(odds=v.odds_text))
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _set_partner(self, slider: widgets.FloatSlider, value: float) -> None:
        target = snap(slider, value)
        self._echo[id(slider)] = target
        self._syncing = True
        try:
            slider.value = target
        finally:
            self._syncing = False

    def _is_echo(self, slider: widgets.FloatSlider, new: float) -> bool:
        """True for the front end sending back (a rounding of) the value Python just set."""
        expected = self._echo.pop(id(slider), None)
        return expected is not None and abs(new - expected) <= slider.step / 2

    def _on_p(self, change) -> None:
        if self._syncing or self._is_echo(self.p_slider, change["new"]):
            return
        v = logit_view(p=change["new"])
        self._set_partner(self.logit_slider, v.logit)
        self._draw(v)

    def _on_logit(self, change) -> None:
        if self._syncing or self._is_echo(self.logit_slider, change["new"]):
            return
        v = logit_view(logit=change["new"])
        self._set_partner(self.p_slider, v.p)
        self._draw(v)


def make_logit_explorer(p: float = 0.75) -> LogitExplorer:
    """The p ↔ logit explorer, starting at probability ``p``."""
    return LogitExplorer(p=p)


def logit_figure(ps=(0.1, 0.25, 0.5, 0.75, 0.9)) -> Figure:
    """Static figure: the sigmoid with ``ps`` marked (odds and logit), and its inverse.

    Left: ``p = sigmoid(z)`` with each ``p`` in ``ps`` marked and labelled with its odds.
    Right: ``z = logit(p)``, the same curve with the axes swapped, running off to
    minus and plus infinity at p = 0 and p = 1.
    """
    fig = Figure(figsize=(7.2, 3.0))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.3)
    ax, bx = fig.subplots(1, 2)
    _curve_axes(ax)
    ax.set_title(figure_text("sigmoid: logit → probability"))
    for p in ps:
        v = logit_view(p=p)
        ax.plot([v.logit], [v.p], "o", color=POINT, ms=6)
        ax.annotate(figure_text("p={p:g}, odds {odds}").format(p=p, odds=odds_text(v.odds)),
                    (v.logit, v.p),
                    xytext=(6, -12 if p >= 0.5 else 4), textcoords="offset points",
                    fontsize=8)
    p = np.linspace(1e-4, 1 - 1e-4, 400)
    bx.plot(p, _logit(p), color=CURVE, lw=2)
    bx.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    bx.axvline(0.5, color="0.8", lw=0.8, zorder=0)
    bx.set_ylim(-8, 8)
    bx.set_xlabel(figure_text("probability p"))
    bx.set_ylabel("logit(p)")
    bx.set_title(figure_text("logit: probability → log-odds"))
    return fig
