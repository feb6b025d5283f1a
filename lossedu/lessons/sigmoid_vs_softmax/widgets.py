"""Lesson 04's explorer and figures: the same logits through sigmoid and through softmax.

``make_probability_models_explorer()`` returns a widget box.  Its ``controls`` dict holds one
logit slider per class (``z0``, ``z1``, ...) and one "present" checkbox per class
(``present0``, ...); set their ``value`` and read ``box.state`` (a
:class:`~.views.ProbabilityModelsView`), ``box.readout.value`` or the PNG in
``box.image.value``.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lossedu import i18n
from lossedu.constants import CLASS_NAMES
from lossedu.explorer import BlitRenderer, Explorer
from lossedu.i18n import _, figure_text
from lossedu.lessons.sigmoid_vs_softmax.views import (
    ATTRIBUTES,
    ProbabilityModelsView,
    grid_indices,
    probability_models_view,
)

__all__ = ["ProbabilityModelsPlot", "make_probability_models_explorer",
           "probability_models_figure", "attribute_probabilities_figure", "fashion_grid_figure"]

_SIG, _SOFT, _TARGET = "#2a9d4b", "#4c72b0", "#dd8452"


def fashion_grid_figure(images, labels, per_class: int = 3, names=CLASS_NAMES) -> Figure:
    """The first ``per_class`` images of each class, one column a class, named on top.

    ``images`` has shape (N, 28, 28) and ``labels`` (N,), as :func:`lossedu.data.load_fashion_mnist`
    returns them. Each axes keeps its image index in ``ax.image_index``.

    >>> import numpy as np
    >>> fig = fashion_grid_figure(np.zeros((20, 28, 28)), np.arange(20) % 10, per_class=2)
    >>> len(fig.axes), fig.axes[0].get_title()
    (20, 'T-shirt/top')
    """
    idx = grid_indices(labels, per_class, num_classes=len(names))
    fig = Figure(figsize=(1.0 * len(names), 1.05 * per_class + 0.3), layout="constrained")
    axes = fig.subplots(per_class, len(names), squeeze=False)
    for (r, k), ax in np.ndenumerate(axes):
        ax.imshow(np.asarray(images[idx[r, k]]), cmap="gray_r", vmin=0, vmax=255)
        ax.image_index = int(idx[r, k])
        ax.set_axis_off()
        if r == 0:
            ax.set_title(figure_text(names[k]), fontsize=8)
    return fig


class ProbabilityModelsPlot:
    """Grouped bars per class: sigmoid(z) and softmax(z), the 0.5 line, the target marked."""

    def __init__(self, ax, view: ProbabilityModelsView, names=None, title: str | None = None):
        self.ax = ax
        c = view.logits.size
        x = np.arange(c)
        w = 0.38
        self.sig_bars = ax.bar(x - w / 2, view.sigmoid_probs, w, color=_SIG,
                               label=figure_text("sigmoid: independent"))
        self.soft_bars = ax.bar(x + w / 2, view.softmax_probs, w, color=_SOFT,
                                label=figure_text("softmax: exactly one"))
        ax.axhline(0.5, color="0.4", lw=0.8, ls="--")
        (self.marks,) = ax.plot([], [], ls="none", marker="v", color=_TARGET, ms=9,
                                label=figure_text("in the target"))
        names = ([figure_text(n) for n in names] if names is not None else
                 [figure_text("class {i}").format(i=i) for i in range(c)])
        ax.set_xticks(x, names, fontsize=8)
        ax.set_ylim(0, 1.5)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.legend(loc="upper right", fontsize=7, frameon=False)
        self.title = title
        self.update(view)

    def update(self, view: ProbabilityModelsView) -> None:
        for bar, h in zip(self.sig_bars, view.sigmoid_probs, strict=True):
            bar.set_height(h)
        for bar, h in zip(self.soft_bars, view.softmax_probs, strict=True):
            bar.set_height(h)
        on = np.flatnonzero(view.present > 0.5)
        self.marks.set_data(on, np.full(on.size, 1.08))
        head = f"{self.title}\n" if self.title else ""
        self.ax.set_title(head + figure_text("sigmoid probabilities sum to {sig:.2f}; "
                                             "softmax ones to {soft:.2f}").format(
            sig=view.sigmoid_sum, soft=view.softmax_sum), fontsize=9)


def make_probability_models_explorer(logits=(2.0, -1.0, 1.5, -3.0),
                                     present=(True, False, True, False), names=ATTRIBUTES):
    """One slider per logit and one checkbox per class for the target.

    Returns an :class:`~lossedu.explorer.Explorer` (a ``VBox``) with ``controls`` (name → widget),
    ``state`` (the current :class:`ProbabilityModelsView`), ``readout`` (HTML), ``image`` (PNG)
    and ``figure``.
    """
    z = [float(v) for v in logits]
    english = list(names)[:len(z)] if names is not None else None   # the figure translates
    names = ([i18n._(n) for n in english] if english is not None else
             [_("class {i}").format(i=i) for i in range(len(z))])
    sliders = {f"z{i}": widgets.FloatSlider(value=v, min=-6.0, max=6.0, step=0.1,
                                            description=f"z{i}")
               for i, v in enumerate(z)}
    boxes = {f"present{i}": widgets.Checkbox(value=bool(p), indent=False,
                                             description=_("{name} present").format(
                                                 name=names[i]))
             for i, p in enumerate(present)}
    readout = widgets.HTML()
    image = widgets.Image(format="png")
    fig = Figure(figsize=(7.0, 3.2), dpi=80, layout="constrained")
    ax = fig.subplots()
    view = probability_models_view(z, [float(p) for p in present])
    plot = ProbabilityModelsPlot(ax, view, names=english)
    renderer = BlitRenderer(fig, [*plot.sig_bars, *plot.soft_bars, plot.marks, ax.title])
    box = Explorer([widgets.HBox([widgets.VBox(list(sliders.values())),
                                  widgets.VBox(list(boxes.values()))]),
                    readout, image], controls={**sliders, **boxes})

    def refresh(_change=None):
        v = probability_models_view([s.value for s in sliders.values()],
                                    [float(b.value) for b in boxes.values()])
        box.state = v
        plot.update(v)
        on_sig = ", ".join(names[i] for i in v.sigmoid_present) or _("none")
        on_soft = ", ".join(names[i] for i in v.softmax_present) or _("none")
        readout.value = (f"<code>{v.text}</code><br><code>"
                         + _("above 0.5: sigmoid → {sig}; softmax → {soft}").format(
                             sig=on_sig, soft=on_soft) + "</code>")
        image.value = renderer.png()

    for w in [*sliders.values(), *boxes.values()]:
        w.observe(refresh, names="value")
    box.readout, box.image, box.figure, box.plot = readout, image, fig, plot
    refresh()
    return box


def probability_models_figure(views, titles=None, names=ATTRIBUTES) -> Figure:
    """The static version: one panel per view."""
    n = len(views)
    fig = Figure(figsize=(4.2 * n, 3.2), layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)
    titles = titles or [None] * n
    for ax, v, t in zip(axes[0], views, titles, strict=True):
        ProbabilityModelsPlot(ax, v, names=names, title=t)
    return fig


def attribute_probabilities_figure(matrices, titles, row_names,
                                   col_names=ATTRIBUTES) -> Figure:
    """Heatmaps side by side: rows are classes, columns attributes, cells a mean probability."""
    n = len(matrices)
    fig = Figure(figsize=(2.6 * n + 1.2, 3.8), layout="constrained")
    axes = fig.subplots(1, n, sharey=True)
    axes = np.atleast_1d(axes)
    for j, (ax, m, t) in enumerate(zip(axes, matrices, titles, strict=True)):
        m = np.asarray(m, dtype=float)
        im = ax.imshow(m, vmin=0, vmax=1, cmap="Greens", aspect="auto")
        for (r, c), val in np.ndenumerate(m):
            ax.text(c, r, f"{val:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if val > 0.6 else "black")
        ax.set_xticks(range(len(col_names)), [figure_text(n) for n in col_names], rotation=35,
                      ha="right", fontsize=8)
        ax.set_title(t, fontsize=9)
        if j == 0:
            ax.set_yticks(range(len(row_names)), [figure_text(n) for n in row_names],
                          fontsize=8)
    fig.colorbar(im, ax=axes, shrink=0.8)
    return fig
