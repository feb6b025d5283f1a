"""The from_logits explorer (lesson 05) and the static figures of the same ideas.

The explorer is a ``VBox``: pick the output activation, ``from_logits``, the number of
epochs and the training subset, press **train**, and a quick run on the subset draws its
loss, accuracy and zero-gradient curves next to the previous run's (faint), so a True/False
pair can be compared.  The curves come from
:func:`~lossedu.lessons.from_logits_pitfall.views.curves_view`; the lines are updated in
place (``set_data``) and the figure is shown as a PNG image (no ipympl needed).  Tests
drive it headless, with tiny data::

    box = make_pitfall_explorer((x, y), (x_test, y_test))
    box.epochs.value = 1
    box.train_button.click()
    box.result.test_accuracy
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lossedu.explorer import Explorer
from lossedu.i18n import _, figure_text
from lossedu.lessons.from_logits_pitfall.views import (
    CurvesView,
    Panel,
    PredictionExamples,
    curves_view,
    margin_sweep,
    uniform_loss,
)

__all__ = [
    "PitfallExplorer",
    "make_pitfall_explorer",
    "training_figure",
    "margin_figure",
    "predictions_figure",
]

COLORS = ("#1f5fa8", "#d1495b", "#2a9d55", "#8a5a9e")
PREVIOUS = "0.65"
N_TRAIN_RANGE = (1000, 30000, 1000)


def _draw_panels(axes, view: CurvesView, colors=COLORS) -> dict[str, object]:
    """Draw every series of ``view`` on ``axes``; return the line artists by (panel, name)."""
    lines = {}
    for ax, panel in zip(axes, view.panels, strict=True):
        _draw_panel(ax, panel, lines, colors)
    return lines


_PER_EPOCH = " (training, per epoch)"


def _legend_label(name: str) -> str:
    """A series' name as its legend shows it: the names :func:`~.views.curves_view` adds are
    figure text, the runs' own names are the caller's."""
    if name == "log(C): every gradient zero":
        return figure_text("log(C): every gradient zero")
    if name.endswith(_PER_EPOCH):
        return figure_text("{name} (training, per epoch)").format(name=name[:-len(_PER_EPOCH)])
    return name


def _draw_panel(ax, panel: Panel, lines: dict, colors) -> None:
    k = 0
    for name, (x, y) in panel.series.items():
        label = _legend_label(name)
        if name.startswith("log(C)"):
            (line,) = ax.plot(x, y, ls="--", color="0.5", lw=1, label=label)
        elif name.endswith(_PER_EPOCH):
            (line,) = ax.plot(x, y, "o", ms=4, color=colors[(k - 1) % len(colors)],
                              alpha=0.6, label=label)
        else:
            (line,) = ax.plot(x, y, color=colors[k % len(colors)], lw=1.8, label=label)
            k += 1
        lines[(panel.title, name)] = line
    ax.set_title(panel.title, fontsize=10)
    ax.set_xlabel(panel.xlabel)
    ax.set_ylabel(panel.ylabel)
    if panel.ylim is not None:
        ax.set_ylim(*panel.ylim)


def training_figure(runs: dict, num_classes: int = 10, title: str | None = None) -> Figure:
    """Static figure: loss, accuracy and the zero-gradient fraction of named runs.

    ``runs`` maps a label to a :class:`lossedu.training.TrainResult` (or a dict with
    "history" and "probe"), as :func:`~.views.curves_view` takes them.
    """
    view = curves_view(runs, num_classes)
    fig = Figure(figsize=(10.0, 3.6))
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.22 if title else 0.14, top=0.76,
                        wspace=0.3)
    axes = fig.subplots(1, 3)
    _draw_panels(axes, view)
    axes[0].set_ylim(0, max(3.0, min(8.0, max(float(np.max(s[1]))
                                              for s in view.loss.series.values()) * 1.05)))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(3, len(labels)), fontsize=8,
               frameon=False, bbox_to_anchor=(0.5, 1.0))
    if title:
        fig.text(0.5, 0.01, title, ha="center", va="bottom", fontsize=8, color="0.3")
    return fig


def margin_figure(margins=None, num_classes: int = 10) -> Figure:
    """Static figure: a confidently wrong example, loss and gradient against the margin.

    Left, the loss computed from logits grows with the margin; computed from float32
    probabilities (clip, log) it stops at ``-log(1e-7)`` = 16.118.  Right, the gradient on
    the true class's logit: -1 from logits, 0 once the probability is clipped.
    """
    m = np.linspace(0, 40, 161) if margins is None else np.asarray(margins, dtype=np.float64)
    s = margin_sweep(m, num_classes)
    fig = Figure(figsize=(9.0, 3.0))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.17, top=0.86, wspace=0.28)
    ax, bx = fig.subplots(1, 2)
    ax.plot(m, s["loss_logits"], color=COLORS[0], lw=2, label=figure_text("from logits (exact)"))
    ax.plot(m, s["loss_probs"], color=COLORS[1], lw=2, ls="--",
            label=figure_text("from float32 probabilities (clip, log)"))
    ax.axhline(-np.log(np.float32(1e-7)), color="0.6", lw=0.8, zorder=0)
    ax.set_xlabel(figure_text("margin: wrong-class logit minus true-class logit"))
    ax.set_ylabel(figure_text("loss"))
    ax.set_title(figure_text("the loss is capped at −log(1e-7) ≈ 16.118"), fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    bx.plot(m, s["grad_logits"], color=COLORS[0], lw=2, label=figure_text("from logits"))
    bx.plot(m, s["grad_probs"], color=COLORS[1], lw=2, ls="--",
            label=figure_text("via probabilities"))
    bx.axhline(0.0, color="0.6", lw=0.8, zorder=0)
    bx.set_ylim(-1.1, 0.1)
    bx.set_xlabel(figure_text("margin"))
    bx.set_ylabel(figure_text("d loss / d (true-class logit)"))
    bx.set_title(figure_text("…and its gradient vanishes"), fontsize=10)
    bx.legend(fontsize=8, frameon=False, loc="center right")
    return fig


def predictions_figure(images, examples: PredictionExamples, columns: int = 3) -> Figure:
    """Static figure: each example's image next to its C probabilities as bars.

    ``images`` is the test set the examples index, ``examples`` comes from
    :func:`~.views.prediction_examples`.  The predicted class's bar is green when right and
    red when wrong; the true class's bar is outlined in black.
    """
    n = len(examples.index)
    rows = -(-n // columns)
    fig = Figure(figsize=(4.4 * columns, 2.1 * rows + 0.4))
    # per example: the image, room for the class names, the bars, a gap
    grid = fig.add_gridspec(rows, 4 * columns, width_ratios=[1.0, 0.8, 1.7, 0.25] * columns,
                            left=0.01, right=0.99, bottom=0.06, top=0.82, wspace=0.0,
                            hspace=0.7)
    axes = [(fig.add_subplot(grid[k // columns, 4 * (k % columns)]),
             fig.add_subplot(grid[k // columns, 4 * (k % columns) + 2])) for k in range(n)]
    ticks = np.arange(len(examples.class_names))
    for k, (ax_img, ax_bar) in enumerate(axes):
        ax_img.imshow(np.asarray(images[examples.index[k]]), cmap="gray_r")
        ax_img.set_axis_off()
        ax_img.set_title(figure_text("test image {index}").format(index=examples.index[k]),
                         fontsize=8)
        colors = ["0.75"] * len(ticks)
        colors[examples.predicted[k]] = COLORS[2] if examples.correct[k] else COLORS[1]
        bars = ax_bar.barh(ticks, examples.probs[k], color=colors)
        bars[examples.labels[k]].set_edgecolor("black")
        bars[examples.labels[k]].set_linewidth(1.2)
        ax_bar.set_yticks(ticks, [figure_text(n) for n in examples.class_names], fontsize=6)
        ax_bar.invert_yaxis()
        ax_bar.set_xlim(0, 1)
        ax_bar.tick_params(axis="x", labelsize=6)
        ax_bar.set_title(examples.titles[k].replace(" / ", "\n"), fontsize=7,
                         color="black" if examples.correct[k] else COLORS[1])
    fig.suptitle(figure_text("p = softmax(z) for test images. Green: predicted, and right. "
                             "Red: predicted, but wrong. Outlined: the true class."),
                 fontsize=9, y=0.99)
    return fig


def _default_data(n_test: int):
    from lossedu.data import load_fashion_mnist

    (x, y), (xt, yt) = load_fashion_mnist()
    return (x / np.float32(255), y), (xt[:n_test] / np.float32(255), yt[:n_test])


class PitfallExplorer(Explorer):
    """Output activation, from_logits, epochs and subset size; a train button; live curves.

    Children, in order: ``output`` (Dropdown: "linear" or "softmax"), ``from_logits``
    (ToggleButtons), ``epochs`` (IntSlider), ``n_train`` (IntSlider), ``train_button``,
    ``readout`` (HTML: one line per run so far) and ``image`` (PNG).  After a run,
    ``result`` is its :class:`~lossedu.training.TrainResult`, ``state`` its
    :class:`~.views.CurvesView` and ``runs`` a list of one-line summaries.  ``controls``
    names the four settings: ``output``, ``from_logits``, ``epochs``, ``n_train``.
    """

    def __init__(self, train_data, test_data, *, output: str = "linear",
                 from_logits: bool = False, epochs: int = 3, n_train: int = 6000,
                 batch_size: int = 128, probe_size: int = 256, seed: int = 0):
        self.train_data = train_data
        self.test_data = test_data
        self.batch_size = batch_size
        self.probe_size = probe_size
        self.seed = seed
        n_max = int(min(N_TRAIN_RANGE[1], len(train_data[0])))
        n_min = int(max(1, min(N_TRAIN_RANGE[0], n_max // 10)))
        # the labels in the language in use; the values, which training.run reads, in English
        self.output = widgets.Dropdown(options=[(_("linear"), "linear"), ("softmax", "softmax")],
                                       value=output, description=_("output"))
        self.from_logits = widgets.ToggleButtons(options=[("from_logits=True", True),
                                                          ("from_logits=False", False)],
                                                 value=bool(from_logits), description=_("loss"))
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=10, description=_("epochs"))
        self.n_train = widgets.IntSlider(value=int(np.clip(n_train, n_min, n_max)),
                                         min=n_min, max=n_max,
                                         step=max(1, min(N_TRAIN_RANGE[2], n_max // 10)),
                                         description=_("images"))
        self.train_button = widgets.Button(description=_("train"), button_style="primary",
                                           icon="play")
        self.readout = widgets.HTML("<i>" + _("press train: a quick run on the subset") + "</i>")
        self.image = widgets.Image(format="png")
        super().__init__([self.output, self.from_logits, self.epochs, self.n_train,
                          self.train_button, self.readout, self.image],
                         controls={"output": self.output, "from_logits": self.from_logits,
                                   "epochs": self.epochs, "n_train": self.n_train})
        self.result = None
        self.state: CurvesView | None = None
        self.runs: list[str] = []
        self._previous = None
        self._build_figure()
        self.image.value = self._png()
        self.train_button.on_click(self._on_train)

    def __repr__(self) -> str:
        # The text a static notebook viewer (GitHub) shows instead of the live widget.
        return _("<{name}: run the notebook in Jupyter to train and compare>").format(
            name=type(self).__name__)

    def _build_figure(self) -> None:
        self.fig = Figure(figsize=(9.6, 2.9))
        self.fig.subplots_adjust(left=0.07, right=0.99, bottom=0.17, top=0.8, wspace=0.32)
        self.axes = self.fig.subplots(1, 3)
        # the same titles as curves_view's panels: self.lines is keyed by them
        titles = (figure_text("loss on a fixed probe batch"),
                  figure_text("accuracy on the probe batch"),
                  figure_text("logit gradients that are exactly 0"))
        ylabels = (figure_text("loss"), figure_text("accuracy"), figure_text("fraction"))
        self.lines = {}
        for ax, title, ylabel in zip(self.axes, titles, ylabels, strict=True):
            (prev,) = ax.plot([], [], color=PREVIOUS, lw=1.5, label=figure_text("previous run"))
            (cur,) = ax.plot([], [], color=COLORS[1], lw=2, label=figure_text("this run"))
            self.lines[title] = (cur, prev)
            ax.set_title(title, fontsize=10)
            ax.set_xlabel(figure_text("epoch"))
            ax.set_ylabel(ylabel)
        (self.log_c,) = self.axes[0].plot([], [], ls="--", color="0.5", lw=1,
                                          label=figure_text("log(C): every gradient zero"))
        self.axes[1].set_ylim(0, 1)
        self.axes[2].set_ylim(-0.02, 1.02)
        self.fig.legend(*self.axes[0].get_legend_handles_labels(), loc="upper center",
                        ncol=3, fontsize=8, frameon=False)
        self.canvas = FigureCanvasAgg(self.fig)

    def _png(self) -> bytes:
        buf = io.BytesIO()
        self.canvas.print_png(buf)
        return buf.getvalue()

    def _update_lines(self, view: CurvesView, previous: CurvesView | None) -> None:
        # by position: the panels come in the order of self.lines, whatever their titles say
        for (cur, prev), i in zip(self.lines.values(), range(len(view.panels)), strict=True):
            cur.set_data(*view.panels[i].series["this run"])
            if previous is not None:
                prev.set_data(*previous.panels[i].series["this run"])
        loss_lines = next(iter(self.lines.values()))
        x_max = max(float(loss_lines[0].get_xdata().max()),
                    float(np.max(loss_lines[1].get_xdata(), initial=0.0)))
        c = int(np.max(self.train_data[1])) + 1 if len(self.train_data[1]) else 10
        self.log_c.set_data([0, x_max], [uniform_loss(c)] * 2)
        for ax in self.axes:
            ax.set_xlim(0, max(1.0, x_max))
        loss_max = max(float(np.max(line.get_ydata(), initial=0.0)) for line in loss_lines)
        self.axes[0].set_ylim(0, max(3.0, min(8.0, loss_max * 1.05)))

    def train(self) -> None:
        """Run one quick training with the current settings and redraw the curves."""
        from lossedu.training import run

        self.train_button.disabled = True
        self.readout.value = "<i>" + _("training…") + "</i>"
        try:
            result = run(self.output.value, self.from_logits.value, self.train_data,
                         self.test_data, epochs=self.epochs.value, batch_size=self.batch_size,
                         n_train=self.n_train.value, seed=self.seed,
                         probe_size=self.probe_size, every_n_batches=5,
                         steps_per_execution=5)
        finally:
            self.train_button.disabled = False
        c = int(np.max(self.train_data[1])) + 1
        view = curves_view({"this run": result}, num_classes=c)
        self._update_lines(view, self.state)
        self.result, self.state = result, view
        zero = result.probe["zero_grad_fraction"][-1]
        line = _("{output} output, from_logits={from_logits}, {epochs} epochs on {n} images: "
                 "test accuracy {accuracy:.3f}, final loss {loss:.4f}, zero gradients "
                 "{zero:.0%}, {seconds:.1f} s").format(
            output=self.output.label, from_logits=self.from_logits.value,
            epochs=self.epochs.value, n=self.n_train.value, accuracy=result.test_accuracy,
            loss=result.final_loss, zero=zero, seconds=result.fit_seconds)
        self.runs.append(line)
        rows = [html.escape(r) for r in self.runs[-4:]]
        rows += [f"&nbsp;&nbsp;&#9888; {html.escape(w[:200])}" for w in result.warnings]
        self.readout.value = "<br>".join(rows)
        self.image.value = self._png()

    def _on_train(self, _button=None) -> None:
        self.train()


def make_pitfall_explorer(train_data=None, test_data=None, **kwargs) -> PitfallExplorer:
    """The from_logits explorer; by default on Fashion-MNIST (2000 test images for speed).

    ``train_data`` and ``test_data`` are ``(x, y)`` pairs scaled to [0, 1]; keyword
    arguments set the starting values (``output``, ``from_logits``, ``epochs``,
    ``n_train``) and ``batch_size``, ``probe_size``, ``seed``.
    """
    if train_data is None or test_data is None:
        train_data, test_data = _default_data(n_test=2000)
    return PitfallExplorer(train_data, test_data, **kwargs)
