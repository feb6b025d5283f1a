"""What the from_logits lesson draws: Keras's from_logits=False path, step by step, in NumPy.

>>> path = probability_path([2.0, -1.0, 0.5], label=1)
>>> eps = np.float32(1e-7)
>>> bool(np.all(path.clipped == [1 - eps, eps, 0.5]))
True
>>> path.zero_grad.tolist()
[True, True, False]
>>> round(path.loss, 4), round(path.loss_from_logits, 4)
(16.5236, 3.2413)
>>> round(double_softmax_floor(10), 4), round(clip_cap(), 4)
(1.4612, 16.1181)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from lossedu.activations import as_float, softmax
from lossedu.constants import EPSILON
from lossedu.errors import LabelValueError, LossInputError
from lossedu.gradients import (
    sparse_categorical_crossentropy_grad,
    sparse_softmax_cross_entropy_grad,
)
from lossedu.i18n import _, figure_text
from lossedu.lessons.from_logits_pitfall.predictions import (  # noqa: F401 - shown from here
    PredictionExamples,
    prediction_examples,
)
from lossedu.losses import sparse_softmax_cross_entropy_with_logits

__all__ = [
    "has_hidden_logits",
    "ProbabilityPath",
    "probability_path",
    "path_table",
    "zero_gradient_mask",
    "clip_cap",
    "uniform_loss",
    "double_softmax_floor",
    "dead_binary_loss",
    "ConfidentlyWrong",
    "confidently_wrong",
    "margin_sweep",
    "PredictionExamples",
    "prediction_examples",
    "Panel",
    "CurvesView",
    "curves_view",
]


def has_hidden_logits(tensor) -> bool:
    """True when ``tensor`` carries the logits a Keras softmax/sigmoid hid on it.

    Keras 3's TensorFlow backend stores the input of ``softmax``/``sigmoid`` on the output
    tensor as ``_keras_logits``, and its cross-entropy losses use those logits whatever
    ``from_logits`` says (``keras/src/backend/tensorflow/nn.py``, ``_get_logits``).  The
    attribute is a Keras internal, not public API: lesson 05 looks at it through this
    function, so that no lesson cell teaches code that reads it.

    >>> has_hidden_logits(np.zeros(3))
    False
    """
    return hasattr(tensor, "_keras_logits")


@dataclass(frozen=True)
class ProbabilityPath:
    """One row of ``y_pred`` through Keras 3's ``from_logits=False`` path, every step kept.

    ``kind`` "sparse" (SCCE): clip to ``[eps, 1 - eps]``, log, then
    ``tf.nn.sparse_softmax_cross_entropy_with_logits``, which normalises again.  ``kind``
    "categorical" (CCE): divide by the row sum first, then clip, log, and ``-sum(y log)``.

    ``zero_grad`` marks the entries the clip changed: their gradient is exactly 0.
    ``grad`` is d loss / d y_pred on this path (sparse only, else None);
    ``grad_from_logits`` is ``softmax(y_pred) - one_hot``, what from_logits=True would send.
    """

    kind: str
    y_pred: np.ndarray
    label: int
    normalised: np.ndarray | None
    clipped: np.ndarray
    log_probs: np.ndarray
    zero_grad: np.ndarray
    loss: float
    loss_from_logits: float
    grad: np.ndarray | None
    grad_from_logits: np.ndarray
    eps: float = EPSILON
    notes: list[str] = field(default_factory=list)


def _row(y_pred) -> np.ndarray:
    z = as_float(y_pred, "y_pred")                  # lists and ints become float32, as in TF
    z = z.astype(np.float32) if z.dtype == np.float16 else z
    if z.ndim != 1 or z.size < 2:
        raise LossInputError("y_pred", got=f"shape {z.shape}",
                             expected=_("one row of at least 2 values, shape (C,)"),
                             fix=_("pass a single example, e.g. logits[0]"))
    return z


def probability_path(y_pred, label: int, kind: str = "sparse") -> ProbabilityPath:
    """Follow one row through Keras's ``from_logits=False`` path (float32 unless given float64).

    The numbers match ``keras.losses.sparse_categorical_crossentropy`` (and the categorical
    one) on the TensorFlow backend for a tensor without ``_keras_logits``, e.g. raw logits.
    """
    z = _row(y_pred)
    c = z.size
    if not 0 <= int(label) < c:
        raise LabelValueError("label", got=repr(label),
                              expected=_("a class index in [0, {n})").format(n=c),
                              fix=_("pick one of the row's classes"))
    label = int(label)
    if kind not in ("sparse", "categorical"):
        raise LossInputError("kind", got=repr(kind), expected=_('"sparse" or "categorical"'),
                             fix=_('kind="sparse" for SparseCategoricalCrossentropy'))
    eps = z.dtype.type(EPSILON)
    notes = []
    normalised = None
    before_clip = z
    if kind == "categorical":
        with np.errstate(divide="ignore", invalid="ignore"):
            normalised = z / np.sum(z)
        before_clip = normalised
        if not np.isfinite(normalised).all():
            notes.append(_("the row sums to 0: dividing by the sum gives nan or inf"))
    clipped = np.clip(before_clip, eps, 1 - eps)
    # Inside the clip range (bounds included, as tf.clip_by_value's gradient) the gradient
    # flows; outside it is exactly 0.
    zero_grad = (before_clip < eps) | (before_clip > 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_probs = np.log(clipped)
    if kind == "sparse":
        loss = float(sparse_softmax_cross_entropy_with_logits(
            np.array([label]), log_probs[None], validate=False)[0])
        grad = sparse_categorical_crossentropy_grad([label], z[None])[0]
    else:
        # -sum(y * log q), as Keras computes it: a nan anywhere in the row makes it nan.
        with np.errstate(invalid="ignore"):
            loss = float(-np.sum(np.eye(c, dtype=z.dtype)[label] * log_probs))
        grad = None
    loss_from_logits = float(sparse_softmax_cross_entropy_with_logits(
        np.array([label]), z[None], validate=False)[0])
    grad_from_logits = sparse_softmax_cross_entropy_grad(np.array([label]), z[None])[0]
    if zero_grad[label]:
        notes.append(_("the true class's value {value:.4g} is clipped: no gradient can raise "
                       "it").format(value=float(before_clip[label])))
    return ProbabilityPath(kind, z, label, normalised, clipped, log_probs, zero_grad, loss,
                           loss_from_logits, grad, grad_from_logits, float(eps), notes)


def _columns(text: str) -> int:
    """How many columns ``text`` takes in a fixed-width font: a wide (CJK) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - _columns(text))


def path_table(path: ProbabilityPath, names=None, digits: int = 6) -> str:
    """The steps of :func:`probability_path` as a fixed-width text table, one row per class.

    Numbers are shown with ``digits`` significant digits (``:.{digits}g``).
    """
    c = path.y_pred.size
    names = [str(i) for i in range(c)] if names is None else [str(n) for n in names]
    head = [_("class"), "y_pred"]
    cols = [path.y_pred]
    if path.normalised is not None:
        head.append("/ sum")
        cols.append(path.normalised)
    head += ["clip", "log", "grad (False)", "grad (True)"]
    cols += [path.clipped, path.log_probs,
             path.grad if path.grad is not None else np.full(c, np.nan), path.grad_from_logits]
    width = max(12, max(_columns(n) for n in names) + 2)
    lines = [_ljust(head[0], width) + "".join(f"{h:>14}" for h in head[1:])]
    for i in range(c):
        mark = "*" if i == path.label else " "
        cells = "".join(f"{float(col[i]):>14.{digits}g}" for col in cols)
        flag = "   " + _("zero gradient") if path.zero_grad[i] else ""
        lines.append(f"{mark}{_ljust(names[i], width - 1)}{cells}{flag}")
    lines.append(_("loss with from_logits=False: {loss}   with from_logits=True: {loss_true}"
                   "   (* = true class)").format(loss=f"{path.loss:.{digits}g}",
                                                 loss_true=f"{path.loss_from_logits:.{digits}g}"))
    return "\n".join(lines + path.notes)


def zero_gradient_mask(y_pred, eps: float = EPSILON) -> np.ndarray:
    """True where Keras's clip to ``[eps, 1 - eps]`` is active, so the gradient is exactly 0.

    >>> zero_gradient_mask([[-0.3, 0.2, 1.5]]).tolist()
    [[True, False, True]]
    """
    p = as_float(y_pred, "y_pred")
    e = p.dtype.type(eps)
    return (p < e) | (p > 1 - e)


def clip_cap(eps: float = EPSILON, dtype=np.float32) -> float:
    """The largest loss a clipped probability can give: ``-log(eps)``, about 16.118."""
    return float(-np.log(np.asarray(eps, dtype=dtype)))


def uniform_loss(num_classes: int) -> float:
    """``log(C)``: the loss of a row whose values are all clipped to the same bound."""
    return float(np.log(num_classes))


def double_softmax_floor(num_classes: int) -> float:
    """The lowest loss possible when softmax is applied to probabilities: ``log(1 + (C-1)/e)``.

    Probabilities lie in [0, 1], so a second softmax sees logits at most 1 apart and its
    largest output is ``e / (e + C - 1)``: 0.2320 for C = 10.
    """
    return float(np.log1p((num_classes - 1) / np.e))


def dead_binary_loss(positive_fraction: float, eps: float = EPSILON) -> float:
    """BCE when every logit is clipped to ``eps`` (all <= 0): positives cost ``-log(eps)``.

    With half the labels positive it is ``16.118 / 2 = 8.059``.
    """
    return float(positive_fraction) * clip_cap(eps) + (1 - float(positive_fraction)) * float(
        -np.log1p(-np.float32(eps)))


@dataclass(frozen=True)
class ConfidentlyWrong:
    """One confidently wrong prediction, its loss computed from logits and from probabilities.

    ``probs`` is the float32 softmax of ``logits``.  ``loss_logits`` and
    ``grad_logits`` are what from_logits=True computes; ``loss_probs`` and
    ``grad_probs`` come from the probability path (clip, log) followed back through softmax
    to the logits: the loss is capped near 16.118 and the gradient vanishes.
    """

    logits: np.ndarray
    label: int
    probs: np.ndarray
    loss_logits: float
    grad_logits: np.ndarray
    loss_probs: float
    grad_probs: np.ndarray


def _softmax_backward(p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Chain ``g = dL/dp`` through ``p = softmax(z)``: ``p * (g - sum(p * g))``."""
    return p * (g - np.sum(p * g, axis=-1, keepdims=True))


def confidently_wrong(margin: float = 20.0, num_classes: int = 10, label: int = 0,
                      wrong: int = 1, dtype=np.float32) -> ConfidentlyWrong:
    """Logits 0 everywhere except ``margin`` on the class ``wrong``; the true class is ``label``.

    >>> ex = confidently_wrong(20.0)
    >>> round(ex.loss_logits, 4), round(ex.loss_probs, 4), float(np.abs(ex.grad_probs).max())
    (20.0, 16.1181, 0.0)
    """
    if label == wrong:
        raise ValueError(_("label and wrong must differ: the example is confidently *wrong*"))
    z = np.zeros(num_classes, dtype=dtype)
    z[wrong] = margin
    p = softmax(z)
    lab = np.array([label])
    loss_logits = float(sparse_softmax_cross_entropy_with_logits(lab, z[None])[0])
    grad_logits = sparse_softmax_cross_entropy_grad(lab, z[None])[0]
    eps = p.dtype.type(EPSILON)
    log_q = np.log(np.clip(p, eps, 1 - eps))
    loss_probs = float(sparse_softmax_cross_entropy_with_logits(lab, log_q[None],
                                                                validate=False)[0])
    g = sparse_categorical_crossentropy_grad(lab, p[None])[0]
    grad_probs = _softmax_backward(p, g).astype(p.dtype)
    return ConfidentlyWrong(z, label, p, loss_logits, grad_logits, loss_probs, grad_probs)


def margin_sweep(margins, num_classes: int = 10, dtype=np.float32) -> dict[str, np.ndarray]:
    """:func:`confidently_wrong` over ``margins``: losses and the true-class logit's gradient.

    >>> s = margin_sweep([0.0, 30.0])
    >>> s["loss_logits"].round(3).tolist(), s["loss_probs"].round(3).tolist()
    ([2.303, 30.0], [2.303, 16.118])
    """
    rows = [confidently_wrong(float(m), num_classes, dtype=dtype) for m in np.ravel(margins)]
    return {
        "margin": np.asarray(margins, dtype=np.float64).ravel(),
        "loss_logits": np.array([r.loss_logits for r in rows]),
        "loss_probs": np.array([r.loss_probs for r in rows]),
        "grad_logits": np.array([float(r.grad_logits[r.label]) for r in rows]),
        "grad_probs": np.array([float(r.grad_probs[r.label]) for r in rows]),
    }


@dataclass(frozen=True)
class Panel:
    """One plot: a title, axis labels and named ``(x, y)`` series."""

    title: str
    xlabel: str
    ylabel: str
    series: dict[str, tuple[np.ndarray, np.ndarray]]
    ylim: tuple[float, float] | None = None


@dataclass(frozen=True)
class CurvesView:
    """The three panels the training figure and explorer draw, and a one-line summary."""

    loss: Panel
    accuracy: Panel
    zero_grad: Panel
    text: str

    @property
    def panels(self) -> list[Panel]:
        return [self.loss, self.accuracy, self.zero_grad]


def curves_view(runs: dict[str, dict], num_classes: int = 10) -> CurvesView:
    """Loss, accuracy and zero-gradient fraction against epochs, for named runs.

    ``runs`` maps a label to ``{"history": {...}, "probe": {...}}``, the fields of a
    :class:`lossedu.training.TrainResult` (a result object with those attributes works too).
    The probe's records ("epoch", "loss", "accuracy", "zero_grad_fraction") give the
    curves; the per-epoch training loss from ``history`` is added as points.  A dashed line
    marks ``log(C)``, the loss of a row whose gradient is entirely zero.
    """
    loss, acc, zero, parts = {}, {}, {}, []
    for name, run in runs.items():
        hist = run["history"] if isinstance(run, dict) else run.history
        probe = run["probe"] if isinstance(run, dict) else run.probe
        if not probe:
            raise LossInputError("runs", got=_("run {name} without probe records").format(
                                     name=repr(name)),
                                 expected=_("records from lossedu.training.zero_gradient_probe"),
                                 fix=_("train with probe_size > 0"))
        ep = np.asarray(probe["epoch"], dtype=np.float64)
        loss[name] = (ep, np.asarray(probe["loss"], dtype=np.float64))
        acc[name] = (ep, np.asarray(probe["accuracy"], dtype=np.float64))
        zero[name] = (ep, np.asarray(probe["zero_grad_fraction"], dtype=np.float64))
        if hist and "loss" in hist:
            train_loss = np.asarray(hist["loss"], dtype=np.float64)
            loss[f"{name} (training, per epoch)"] = (np.arange(1, train_loss.size + 1),
                                                     train_loss)
        parts.append(_("{name}: probe accuracy {accuracy:.3f}, loss {loss:.4f}, zero gradients "
                       "{zero:.0%}").format(name=name, accuracy=acc[name][1][-1],
                                            loss=loss[name][1][-1], zero=zero[name][1][-1]))
    xmax = max([float(s[0].max()) for s in loss.values()] + [1.0])
    loss["log(C): every gradient zero"] = (np.array([0.0, xmax]),
                                           np.full(2, uniform_loss(num_classes)))
    # Titles and axis labels are figure text; the series keep their names (the legend
    # translates them, see lossedu.lessons.from_logits_pitfall.widgets).
    epoch = figure_text("epoch")
    return CurvesView(
        Panel(figure_text("loss on a fixed probe batch"), epoch, figure_text("loss"), loss),
        Panel(figure_text("accuracy on the probe batch"), epoch, figure_text("accuracy"), acc,
              (0.0, 1.0)),
        Panel(figure_text("logit gradients that are exactly 0"), epoch, figure_text("fraction"),
              zero, (-0.02, 1.02)),
        "; ".join(parts),
    )
