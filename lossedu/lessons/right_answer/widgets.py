"""The threshold explorer (lesson 07) and the static reliability diagram.

A threshold slider over a fixed split: the histogram of the scores of negatives and
positives with the threshold as a vertical line, and bars for precision, recall and F1 with
the four confusion counts.  Each move recomputes
:func:`lossedu.lessons.right_answer.views.threshold_view` and redraws only the line, the
bars and the texts (:class:`~lossedu.explorer.BlitRenderer`).  Tests drive it headless::

    box = make_threshold_explorer(y_val, p_val)
    box.controls["threshold"].value = 0.3
    box.state.recall
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu.calibration import reliability_bins
from lossedu.explorer import BlitRenderer, Explorer, snap
from lossedu.lessons.right_answer.views import ThresholdView, score_histograms, threshold_view

__all__ = ["ThresholdExplorer", "make_threshold_explorer", "reliability_figure"]

NEG, POS = "#1f5fa8", "#d1495b"


class ThresholdExplorer(Explorer):
    """``threshold`` (a slider), a text readout and a PNG; ``state`` is the last view."""

    def __init__(self, y_true, y_prob, threshold: float = 0.5):
        self.y_true, self.y_prob = np.asarray(y_true), np.asarray(y_prob)
        first = threshold_view(self.y_true, self.y_prob, threshold)  # refuse bad input first
        self.threshold = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.01,
                                             description="threshold", readout_format=".2f",
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
        return f"<{type(self).__name__}: run the notebook in Jupyter to move the threshold>"

    def _build_figure(self) -> None:
        self.fig = Figure(figsize=(7.2, 2.8))
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.86, wspace=0.3)
        ax, bx = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        edges, neg, pos = score_histograms(self.y_true, self.y_prob)
        width = np.diff(edges)
        ax.bar(edges[:-1], neg, width, align="edge", color=NEG, alpha=0.6, label="negatives")
        ax.bar(edges[:-1], pos, width, align="edge", color=POS, alpha=0.7, label="positives")
        ax.set_yscale("symlog", linthresh=10)
        ax.set_xlabel("predicted probability p")
        ax.set_ylabel("examples")
        ax.legend(fontsize=8, loc="upper center")
        self.line = ax.axvline(0.5, color="k", lw=1.5)
        self.bars = bx.bar([0, 1, 2], [0, 0, 0], color=["#6c8ebf", "#d79b00", "#82b366"])
        self.values = [bx.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(3)]
        bx.set_xticks([0, 1, 2], ["precision", "recall", "F1"])
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
        self.title.set_text(f"p > {v.threshold:.2f} is positive:  TP {c.tp}  FP {c.fp}  "
                            f"FN {c.fn}  TN {c.tn}")
        self.readout.value = f"<code>{html.escape(v.text)}</code>"
        self.image.value = self.renderer.png()

    def _on_change(self, _change=None) -> None:
        self._draw(threshold_view(self.y_true, self.y_prob, self.threshold.value))


def make_threshold_explorer(y_true, y_prob, threshold: float = 0.5) -> ThresholdExplorer:
    """The threshold explorer over one split of 0/1 labels and probabilities."""
    return ThresholdExplorer(y_true, y_prob, threshold)


def reliability_figure(y_true, curves: dict, num_bins: int = 10) -> Figure:
    """Static reliability diagram: accuracy against confidence per bin, one line per entry
    of ``curves`` (name -> probabilities), the diagonal for perfect calibration."""
    fig = Figure(figsize=(4.6, 3.6))
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.14, top=0.9)
    ax = fig.subplots()
    ax.plot([0.5, 1], [0.5, 1], ":", color="0.4", label="perfectly calibrated")
    for name, p in curves.items():
        b = reliability_bins(y_true, p, num_bins)
        keep = b.count > 0
        ax.plot(b.confidence[keep], b.accuracy[keep], "o-", ms=4,
                label=f"{name} (ECE {b.ece:.3f})")
    ax.set_xlabel("confidence (mean per bin)")
    ax.set_ylabel("accuracy in the bin")
    ax.set_title("reliability diagram, test split", fontsize=10)
    ax.legend(fontsize=8)
    return fig
