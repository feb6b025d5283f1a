"""Lesson 03b's explorer and figures: the gradient ``softmax - y`` for hard, smoothed, bad labels.

``make_label_gradient_explorer()`` returns a widget box.  Its ``controls`` dict holds the
sliders (``z0``, ``z1``, ... , ``true_class``, ``label_smoothing``, ``label_total``); set their
``value`` and read ``box.state`` (a :class:`~.views.LabelGradientView`), the
readout ``box.readout.value`` or the PNG in ``box.image.value``.  Tests do exactly that.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu.explorer import BlitRenderer, Explorer
from lossedu.i18n import _, figure_text
from lossedu.lessons.smoothing_reductions_gradients.views import (
    ClipCurve,
    LabelGradientView,
    label_gradient_view,
)

__all__ = ["LabelGradientPlot", "make_label_gradient_explorer", "label_gradients_figure",
           "clip_curve_figure"]

_PROB, _TARGET, _TRUE, _TAPE = "#4c72b0", "#dd8452", "#2a9d4b", "#c44e52"



class LabelGradientPlot:
    """Two panels for one view, drawn once and then updated in place.

    Left: the softmax probabilities next to the target row.  Right: the true gradient of the
    loss next to the one the tape returns (``softmax - y``); they coincide when the target
    sums to 1.
    """

    def __init__(self, ax_probs, ax_grad, view: LabelGradientView, title: str | None = None):
        self.ax_probs, self.ax_grad = ax_probs, ax_grad
        c = view.logits.size
        x = np.arange(c)
        w = 0.38
        self.prob_bars = ax_probs.bar(x - w / 2, view.probs, w, color=_PROB, label="softmax(z)")
        self.target_bars = ax_probs.bar(x + w / 2, view.labels, w, color=_TARGET, label="y")
        self.true_bars = ax_grad.bar(x - w / 2, view.grad, w, color=_TRUE,
                                     label=figure_text("true ∂L/∂z"))
        self.tape_bars = ax_grad.bar(x + w / 2, view.tape_grad, w, color=_TAPE,
                                     label=figure_text("tape: softmax − y"), alpha=0.75)
        ax_grad.axhline(0, color="0.3", lw=0.8)
        for ax in (ax_probs, ax_grad):
            ax.set_xticks(x, [figure_text("class {i}").format(i=i) for i in range(c)])
            ax.legend(loc="best", fontsize=8, frameon=False)
        self.title = title
        self.update(view)

    def update(self, view: LabelGradientView) -> None:
        for bar, h in zip(self.prob_bars, view.probs, strict=True):
            bar.set_height(h)
        for bar, h in zip(self.target_bars, view.labels, strict=True):
            bar.set_height(h)
        for bar, h in zip(self.true_bars, view.grad, strict=True):
            bar.set_height(h)
        for bar, h in zip(self.tape_bars, view.tape_grad, strict=True):
            bar.set_height(h)
        # Limits move in coarse steps, so most updates keep the same background (see limits).
        top = 1.25 * np.ceil(max(1.0, float(view.labels.max())) * 2) / 2
        self.ax_probs.set_ylim(0, top)
        biggest = max(0.5, float(np.max(np.abs(np.r_[view.grad, view.tape_grad]))))
        lim = 1.3 * 2.0 ** np.ceil(np.log2(biggest))
        self.ax_grad.set_ylim(-lim, lim)
        head = f"{self.title}\n" if self.title else ""
        self.ax_probs.set_title(head + figure_text("loss = {loss:.4f}").format(loss=view.loss),
                                fontsize=9)
        note = (figure_text("tape = true gradient") if view.tape_error < 1e-12
                else figure_text("tape off by up to {err:.3f}").format(err=view.tape_error))
        tape_sum = float(np.round(np.sum(view.tape_grad), 12)) + 0.0
        self.ax_grad.set_title(note + "\n" + figure_text("tape gradient sums to {total:+.3f}")
                               .format(total=tape_sum), fontsize=9)

    @property
    def moving(self) -> list:
        """The artists an update changes: every bar and both titles."""
        return [*self.prob_bars, *self.target_bars, *self.true_bars, *self.tape_bars,
                self.ax_probs.title, self.ax_grad.title]

    @property
    def limits(self) -> tuple:
        """The axis limits: a new value means the background must be redrawn."""
        return (self.ax_probs.get_ylim(), self.ax_grad.get_ylim())


def make_label_gradient_explorer(logits=(1.0, 2.0, 3.0), true_class: int = 2,
                                 label_smoothing: float = 0.0, label_total: float = 1.0):
    """Sliders for the logits, the true class, label smoothing and the label row's total.

    Returns an :class:`~lossedu.explorer.Explorer` (a ``VBox``) with ``controls`` (name → widget),
    ``state`` (the current :class:`LabelGradientView`), ``readout`` (HTML), ``image`` (PNG)
    and ``figure``.
    """
    z = [float(v) for v in logits]
    c = len(z)
    sliders = {f"z{i}": widgets.FloatSlider(value=v, min=-8.0, max=8.0, step=0.1,
                                            description=f"z{i}", continuous_update=True)
               for i, v in enumerate(z)}
    cls = widgets.ToggleButtons(options=[(_("class {i}").format(i=i), i) for i in range(c)],
                                value=int(true_class), description=_("true class"))
    smooth = widgets.FloatSlider(value=label_smoothing, min=0.0, max=0.9, step=0.05,
                                 description=_("smoothing"))
    total = widgets.FloatSlider(value=label_total, min=0.5, max=3.0, step=0.1,
                                description=_("labels sum"))
    readout = widgets.HTML()
    image = widgets.Image(format="png")
    fig = Figure(figsize=(8.0, 3.2), dpi=80, layout="constrained")
    ax_p, ax_g = fig.subplots(1, 2)
    view = label_gradient_view(z, true_class, label_smoothing, label_total)
    plot = LabelGradientPlot(ax_p, ax_g, view)
    renderer = BlitRenderer(fig, plot.moving)
    box = Explorer([widgets.HBox(list(sliders.values())), cls,
                    widgets.HBox([smooth, total]), readout, image],
                   controls={**sliders, "true_class": cls, "label_smoothing": smooth,
                             "label_total": total})

    def refresh(_change=None):
        v = label_gradient_view([s.value for s in sliders.values()], cls.value,
                                smooth.value, total.value)
        box.state = v
        plot.update(v)
        readout.value = f"<code>{v.text}</code>"
        image.value = renderer.png(key=plot.limits)

    for w in [*sliders.values(), cls, smooth, total]:
        w.observe(refresh, names="value")
    box.readout, box.image, box.figure, box.plot = readout, image, fig, plot
    refresh()
    return box


def label_gradients_figure(views, titles=None) -> Figure:
    """The static version: one column per view, probabilities on top, gradients below."""
    n = len(views)
    fig = Figure(figsize=(3.2 * n, 5.0), layout="constrained")
    axes = fig.subplots(2, n, squeeze=False)
    titles = titles or [None] * n
    for j, (v, t) in enumerate(zip(views, titles, strict=True)):
        LabelGradientPlot(axes[0, j], axes[1, j], v, title=t)
    return fig


def clip_curve_figure(curve: ClipCurve) -> Figure:
    """The PoorMemory post's clipped loss against the stable loss, and their gradients."""
    fig = Figure(figsize=(8.0, 3.0), layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    ax_l.plot(curve.gaps, curve.stable_loss, color=_TRUE,
              label=figure_text("stable: log-softmax"))
    ax_l.plot(curve.gaps, curve.clipped_loss, color=_TAPE, ls="--",
              label=figure_text("the post's -log(clip(p, {clip:g}, 1))").format(clip=curve.clip))
    ax_l.axhline(curve.cap, color="0.5", lw=0.8, ls=":")
    ax_l.annotate(figure_text("cap −log({clip:g}) ≈ {cap:.2f}").format(clip=curve.clip,
                                                                       cap=curve.cap),
                  (curve.gaps[0], curve.cap), xytext=(0, 4), textcoords="offset points",
                  fontsize=8)
    ax_l.set(xlabel=figure_text("how wrong: logits [gap, 0, 0], true class 2"),
             ylabel=figure_text("loss"))
    ax_l.legend(fontsize=8, frameon=False, loc="lower right")
    ax_g.plot(curve.gaps, curve.stable_grad, color=_TRUE, label=figure_text("stable"))
    ax_g.plot(curve.gaps, curve.clipped_grad, color=_TAPE, ls="--",
              label=figure_text("clipped"))
    if curve.first_capped_gap is not None:
        ax_g.axvline(curve.first_capped_gap, color="0.5", lw=0.8, ls=":")
    ax_g.set(xlabel=figure_text("gap"), ylabel=figure_text("∂L/∂z(true class)"),
             ylim=(-1.1, 0.1))
    ax_g.legend(fontsize=8, frameon=False)
    return fig
