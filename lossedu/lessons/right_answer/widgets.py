"""Lesson 07's explorers (threshold, temperature, focal gamma) and the static reliability diagram.

A threshold slider over a fixed split: the histogram of the scores of negatives and
positives with the threshold as a vertical line, and bars for precision, recall and F1 with
the four confusion counts.  Each move recomputes
:func:`lossedu.lessons.right_answer.views.threshold_view` and redraws only the line, the
bars and the texts (:class:`~lossedu.explorer.BlitRenderer`).  Tests drive it headless::

    box = make_threshold_explorer(y_val, p_val)
    box.controls["threshold"].value = 0.3
    box.state.recall

The temperature explorer does the same for ``sigmoid(z / T)`` and the reliability diagram
(:func:`~lossedu.lessons.right_answer.views.temperature_view`), the focal explorer for the
focal loss and its gradient at a focusing parameter gamma
(:func:`~lossedu.lessons.right_answer.views.focal_view`).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu.calibration import reliability_bins
from lossedu.explorer import BlitRenderer, Explorer, snap
from lossedu.i18n import _, figure_text
from lossedu.lessons.right_answer.views import (
    FocalView,
    TemperatureView,
    ThresholdView,
    focal_view,
    score_histograms,
    temperature_view,
    threshold_view,
)

__all__ = ["ThresholdExplorer", "make_threshold_explorer", "TemperatureExplorer",
           "make_temperature_explorer", "FocalExplorer", "make_focal_explorer",
           "reliability_figure"]

NEG, POS = "#1f5fa8", "#d1495b"


class ThresholdExplorer(Explorer):
    """``threshold`` (a slider), a text readout and a PNG; ``state`` is the last view."""

    def __init__(self, y_true, y_prob, threshold: float = 0.5):
        self.y_true, self.y_prob = np.asarray(y_true), np.asarray(y_prob)
        first = threshold_view(self.y_true, self.y_prob, threshold)  # refuse bad input first
        self.threshold = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.01,
                                             description=_("threshold"), readout_format=".2f",
                                             layout=widgets.Layout(width="420px"))
        self.threshold.value = snap(self.threshold, first.threshold)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        super().__init__([self.threshold, self.readout, self.image],
                         controls={"threshold": self.threshold})
        self._build_figure()
        self._draw(threshold_view(self.y_true, self.y_prob, self.threshold.value))
        self.threshold.observe(self._on_change, names="value")

    def __repr__(self) -> str:
        return _("<{name}: run the notebook in Jupyter to move the threshold>").format(
            name=type(self).__name__)

    def _build_figure(self) -> None:
        self.fig = Figure(figsize=(7.2, 2.8))
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.86, wspace=0.3)
        ax, bx = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        edges, neg, pos = score_histograms(self.y_true, self.y_prob)
        width = np.diff(edges)
        ax.bar(edges[:-1], neg, width, align="edge", color=NEG, alpha=0.6,
               label=figure_text("negatives"))
        ax.bar(edges[:-1], pos, width, align="edge", color=POS, alpha=0.7,
               label=figure_text("positives"))
        ax.set_yscale("symlog", linthresh=10)
        ax.set_xlabel(figure_text("predicted probability p"))
        ax.set_ylabel(figure_text("examples"))
        ax.legend(fontsize=8, loc="upper center")
        self.line = ax.axvline(0.5, color="k", lw=1.5)
        self.bars = bx.bar([0, 1, 2], [0, 0, 0], color=["#6c8ebf", "#d79b00", "#82b366"])
        self.values = [bx.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(3)]
        bx.set_xticks([0, 1, 2], [figure_text("precision"), figure_text("recall"), "F1"])
        bx.set_ylim(0, 1.15)
        self.title = self.fig.suptitle("", fontsize=10)
        self.renderer = BlitRenderer(self.fig, [self.line, *self.bars, *self.values, self.title])

    def _draw(self, v: ThresholdView) -> None:
        self.state = v
        self.line.set_xdata([v.threshold, v.threshold])
        for bar, text, h in zip(self.bars, self.values, (v.precision, v.recall, v.f1),
                                strict=True):
            bar.set_height(h)
            text.set_y(h + 0.01)
            text.set_text(f"{h:.3f}")
        c = v.confusion
        self.title.set_text(figure_text("p > {t:.2f} is positive:  TP {tp}  FP {fp}  FN {fn}  "
                                        "TN {tn}").format(t=v.threshold, tp=c.tp, fp=c.fp,
                                                          fn=c.fn, tn=c.tn))
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _on_change(self, _change=None) -> None:
        self._draw(threshold_view(self.y_true, self.y_prob, self.threshold.value))


def make_threshold_explorer(y_true, y_prob, threshold: float = 0.5) -> ThresholdExplorer:
    """The threshold explorer over one split of 0/1 labels and probabilities."""
    return ThresholdExplorer(y_true, y_prob, threshold)


T_EXPONENTS = (-1.0, 1.0)  # the temperature slider runs from 0.1 to 10


class TemperatureExplorer(Explorer):
    """``temperature`` (a log slider), a readout and a PNG of the reliability diagram with the
    share of examples per bin; ``state`` is the last
    :class:`~lossedu.lessons.right_answer.views.TemperatureView`."""

    def __init__(self, y_true, logits, temperature: float = 1.0, num_bins: int = 10):
        self.y_true, self.logits, self.num_bins = np.asarray(y_true), np.asarray(logits), num_bins
        temperature_view(self.y_true, self.logits, temperature, num_bins)  # refuse bad input
        self.temperature = widgets.FloatLogSlider(
            value=1.0, base=10, min=T_EXPONENTS[0], max=T_EXPONENTS[1], step=0.01,
            description="T", readout_format=".3g", layout=widgets.Layout(width="420px"))
        exponent = float(np.clip(round(float(np.log10(temperature)), 2), *T_EXPONENTS))
        self.temperature.value = float(10.0 ** exponent)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        super().__init__([self.temperature, self.readout, self.image],
                         controls={"temperature": self.temperature})
        self._build_figure()
        self._on_change()
        self.temperature.observe(self._on_change, names="value")

    def __repr__(self) -> str:
        return _("<{name}: run the notebook in Jupyter to move the temperature>").format(
            name=type(self).__name__)

    def _build_figure(self) -> None:
        self.fig = Figure(figsize=(7.2, 2.9))
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.86, wspace=0.3)
        ax, bx = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
        lo = 0.5 if self.logits.ndim == 1 else 1.0 / self.logits.shape[1]
        ax.plot([lo, 1], [lo, 1], ":", color="0.4", label=figure_text("perfectly calibrated"))
        (self.line,) = ax.plot([], [], "o-", ms=4, color=POS,
                               label=figure_text("this model at T"))
        ax.set_xlim(lo - 0.02, 1.02)
        ax.set_ylim(min(lo, 0.4) - 0.02, 1.02)
        ax.set_xlabel(figure_text("confidence (mean per bin)"))
        ax.set_ylabel(figure_text("accuracy in the bin"))
        ax.legend(fontsize=8, loc="upper left")
        edges = np.linspace(0, 1, self.num_bins + 1)
        self.bars = bx.bar(edges[:-1], np.zeros(self.num_bins), np.diff(edges), align="edge",
                           color=NEG, alpha=0.7)
        bx.set_xlim(lo - 0.02, 1.02)
        bx.set_ylim(0, 1.05)
        bx.set_xlabel(figure_text("confidence bin"))
        bx.set_ylabel(figure_text("share of examples"))
        self.title = self.fig.suptitle("", fontsize=10)
        self.renderer = BlitRenderer(self.fig, [self.line, *self.bars, self.title])

    def _draw(self, v: TemperatureView) -> None:
        self.state = v
        b = v.bins
        keep = b.count > 0
        self.line.set_data(b.confidence[keep], b.accuracy[keep])
        for bar, share in zip(self.bars, b.count / b.count.sum(), strict=True):
            bar.set_height(share)
        self.title.set_text(figure_text("logits / T, T = {t:.2f}:  ECE {ece:.4f}, accuracy "
                                        "{accuracy:.3f}").format(t=v.temperature, ece=v.ece,
                                                                 accuracy=v.accuracy))
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _on_change(self, _change=None) -> None:
        self._draw(temperature_view(self.y_true, self.logits, self.temperature.value,
                                    self.num_bins))


def make_temperature_explorer(y_true, logits, temperature: float = 1.0,
                              num_bins: int = 10) -> TemperatureExplorer:
    """The temperature explorer over one split of labels and logits ((B,) or (B, C))."""
    return TemperatureExplorer(y_true, logits, temperature, num_bins)


class FocalExplorer(Explorer):
    """``gamma`` (a slider), a readout and a PNG: the focal loss of a positive and its
    gradient in the logit against ``p_t``, next to plain cross-entropy; ``state`` is the last
    :class:`~lossedu.lessons.right_answer.views.FocalView`."""

    def __init__(self, gamma: float = 2.0, p_ref: float = 0.9):
        first = focal_view(gamma, p_ref)  # refuse bad input first
        self.p_ref = first.p_ref
        self.gamma = widgets.FloatSlider(value=2.0, min=0.0, max=5.0, step=0.1,
                                         description="gamma", readout_format=".1f",
                                         layout=widgets.Layout(width="420px"))
        self.gamma.value = snap(self.gamma, first.gamma)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        super().__init__([self.gamma, self.readout, self.image], controls={"gamma": self.gamma})
        self._build_figure(first)
        self._on_change()
        self.gamma.observe(self._on_change, names="value")

    def __repr__(self) -> str:
        return _("<{name}: run the notebook in Jupyter to move gamma>").format(
            name=type(self).__name__)

    def _build_figure(self, v: FocalView) -> None:
        self.fig = Figure(figsize=(7.2, 2.9))
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.86, wspace=0.28)
        ax, bx = self.fig.subplots(1, 2)
        ax.plot(v.p, v.ce, color="0.4", lw=1.2, label=figure_text("cross-entropy"))
        (self.loss,) = ax.plot(v.p, v.focal, color=POS, lw=2, label=figure_text("focal"))
        (self.dot,) = ax.plot([v.p_ref], [v.focal_at], "o", color=POS, ms=5)
        ax.set_ylim(0, 5.5)
        ax.set_xlabel(figure_text("probability of the true class p_t"))
        ax.set_ylabel(figure_text("loss"))
        ax.legend(fontsize=8)
        bx.plot(v.p, -v.ce_grad, color="0.4", lw=1.2, label=figure_text("cross-entropy"))
        (self.grad,) = bx.plot(v.p, -v.focal_grad, color=POS, lw=2, label=figure_text("focal"))
        bx.set_ylim(0, 1.4)
        bx.set_xlabel(figure_text("probability of the true class p_t"))
        bx.set_ylabel(figure_text("-dloss/dz (push on the logit)"))
        bx.legend(fontsize=8)
        self.title = self.fig.suptitle("", fontsize=10)
        self.renderer = BlitRenderer(self.fig, [self.loss, self.dot, self.grad, self.title])

    def _draw(self, v: FocalView) -> None:
        self.state = v
        self.loss.set_ydata(v.focal)
        self.dot.set_ydata([v.focal_at])
        self.grad.set_ydata(-v.focal_grad)
        self.title.set_text(figure_text("gamma = {gamma:.1f}: (1 - p_t)^gamma scales the loss; "
                                        "at p_t = {p:.2f} it keeps {ratio:.4f} of it").format(
            gamma=v.gamma, p=v.p_ref, ratio=v.focal_at / v.ce_at))
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _on_change(self, _change=None) -> None:
        self._draw(focal_view(self.gamma.value, self.p_ref))


def make_focal_explorer(gamma: float = 2.0, p_ref: float = 0.9) -> FocalExplorer:
    """The focal-gamma explorer: binary focal loss and its gradient beside cross-entropy."""
    return FocalExplorer(gamma, p_ref)


def reliability_figure(y_true, curves: dict, num_bins: int = 10) -> Figure:
    """Static reliability diagram: accuracy against confidence per bin, one line per entry
    of ``curves`` (name -> probabilities), the diagonal for perfect calibration."""
    fig = Figure(figsize=(4.6, 3.6))
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.14, top=0.9)
    ax = fig.subplots()
    ax.plot([0.5, 1], [0.5, 1], ":", color="0.4", label=figure_text("perfectly calibrated"))
    for name, p in curves.items():
        b = reliability_bins(y_true, p, num_bins)
        keep = b.count > 0
        ax.plot(b.confidence[keep], b.accuracy[keep], "o-", ms=4,
                label=f"{name} (ECE {b.ece:.3f})")
    ax.set_xlabel(figure_text("confidence (mean per bin)"))
    ax.set_ylabel(figure_text("accuracy in the bin"))
    ax.set_title(figure_text("reliability diagram, test split"), fontsize=10)
    ax.legend(fontsize=8)
    return fig
