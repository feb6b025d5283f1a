"""What lesson 03's explorer shows: which of the four losses accepts which label shape.

Labels come in three shapes for logits of shape ``(B, C)``: sparse ``(B,)``, sparse ``(B, 1)``
and one-hot ``(B, C)``. :func:`label_shape_view` says, for each of the four functions, what
happens: a loss of shape ``(B,)``, the same after Keras squeezes a trailing 1, an error, or
(the dangerous one) a loss of shape ``(B,)`` that is silently wrong because ``tf.nn``
broadcast the labels. The rules are written out here without TensorFlow; lesson 03 and
``tests/lessons/one_hot_vs_sparse/`` check every one of them against TensorFlow and Keras.

Sparse labels are given as integers to the sparse losses and as floats to the one-hot ones
(each function's own dtype), so only the shapes decide.

>>> v = label_shape_view("sparse (B, 1)", batch=4, classes=3)
>>> [o.verdict for o in v.outcomes]
['silently wrong', 'error', 'error', 'squeezed']
>>> print(v.text.splitlines()[-1])
2 of 4 calls raise, 1 silently wrong
"""

from __future__ import annotations

from dataclasses import dataclass

from lossedu import i18n
from lossedu.errors import LabelValueError, LossInputError
from lossedu.i18n import N_, _

__all__ = ["LABEL_FORMATS", "CALLS", "Outcome", "ShapeView", "label_shape_view"]

LABEL_FORMATS = ("sparse (B,)", "sparse (B, 1)", "one-hot (B, C)")
CALLS = ("tf.nn.softmax_cross_entropy_with_logits",
         "tf.nn.sparse_softmax_cross_entropy_with_logits",
         "keras.losses.categorical_crossentropy",
         "keras.losses.sparse_categorical_crossentropy")
VERDICTS = ("ok", "squeezed", "error", "silently wrong")
VERDICT_LABELS = {"ok": N_("ok"), "squeezed": N_("squeezed"), "error": N_("error"),
                  "silently wrong": N_("silently wrong")}
"""How each verdict reads: the English text marked for translation (``i18n._()`` shows it)."""
FORMAT_LABELS = {"sparse (B,)": N_("sparse (B,)"), "sparse (B, 1)": N_("sparse (B, 1)"),
                 "one-hot (B, C)": N_("one-hot (B, C)")}
"""How each label format reads in the explorer's dropdown (the values stay English)."""


@dataclass(frozen=True)
class Outcome:
    """What one call does: ``verdict`` is one of :data:`VERDICTS`; ``error`` names the
    exception class when it raises (``""`` otherwise); ``why`` says it in words."""

    call: str
    verdict: str
    error: str
    why: str

    @property
    def shape(self) -> str:
        """The loss's shape as text, ``"(B,)"``, or ``"-"`` for an error."""
        return "-" if self.verdict == "error" else "(B,)"

    @property
    def shown_verdict(self) -> str:
        """:attr:`verdict` in the language in use (``verdict`` itself stays English)."""
        return i18n._(VERDICT_LABELS[self.verdict])


@dataclass(frozen=True)
class ShapeView:
    label_format: str
    batch: int
    classes: int
    labels_shape: tuple[int, ...]
    logits_shape: tuple[int, int]
    outcomes: tuple[Outcome, ...]
    text: str


def _labels_shape(label_format: str, b: int, c: int) -> tuple[int, ...]:
    return {"sparse (B,)": (b,), "sparse (B, 1)": (b, 1), "one-hot (B, C)": (b, c)}[label_format]


def _dense_tf(label_format: str, b: int, c: int) -> Outcome:
    call = CALLS[0]
    if label_format == "one-hot (B, C)":
        return Outcome(call, "ok", "", _("one label row per example"))
    if label_format == "sparse (B, 1)":
        return Outcome(call, "silently wrong", "",
                       _("the column broadcasts along the classes: example i gets the label "
                         "row [y_i, ..., y_i]"))
    if b == c or b == 1:
        return Outcome(call, "silently wrong", "",
                       _("(B,) fits the class axis because B = C") if b == c else
                       _("the one label stretches over every class"))
    return Outcome(call, "error", "InvalidArgumentError",
                   _("(B,) = ({b},) does not broadcast against ({b}, {c})").format(b=b, c=c))


def _sparse_tf(label_format: str, b: int, c: int) -> Outcome:
    call = CALLS[1]
    if label_format == "sparse (B,)":
        return Outcome(call, "ok", "", _("one class index per example"))
    return Outcome(call, "error", "ValueError",
                   _("labels must have rank logits rank - 1: tf.nn squeezes nothing"))


def _dense_keras(label_format: str, b: int, c: int) -> Outcome:
    call = CALLS[2]
    if label_format == "one-hot (B, C)":
        return Outcome(call, "ok", "", _("labels and logits have the same shape"))
    if label_format == "sparse (B,)":
        return Outcome(call, "error", "ValueError",
                       _("target and output must have the same rank"))
    return Outcome(call, "error", "ValueError", _("target and output must have the same shape"))


def _sparse_keras(label_format: str, b: int, c: int) -> Outcome:
    call = CALLS[3]
    if label_format == "sparse (B,)":
        return Outcome(call, "ok", "", _("one class index per example"))
    if label_format == "sparse (B, 1)":
        return Outcome(call, "squeezed", "", _("Keras squeezes the trailing 1 to (B,)"))
    return Outcome(call, "error", "ValueError",
                   _("one-hot rows have one axis too many (Keras blames the output's rank)"))


def label_shape_view(label_format: str, batch: int = 4, classes: int = 3) -> ShapeView:
    """The four calls' outcomes for labels of ``label_format`` and logits ``(batch, classes)``."""
    if label_format not in LABEL_FORMATS:
        raise LabelValueError("label_format", got=repr(label_format),
                              expected=_("one of {formats}").format(
                                  formats=", ".join(map(repr, LABEL_FORMATS))),
                              fix=f"label_format={LABEL_FORMATS[0]!r}")
    b, c = int(batch), int(classes)
    if b < 1 or c < 2:
        raise LossInputError("batch, classes", got=f"batch={batch}, classes={classes}",
                             expected=_("batch >= 1 and classes >= 2"),
                             fix="batch=4, classes=3")
    outcomes = tuple(rule(label_format, b, c)
                     for rule in (_dense_tf, _sparse_tf, _dense_keras, _sparse_keras))
    shape = _labels_shape(label_format, b, c)
    lines = [_("labels {shape}, logits ({b}, {c}):").format(shape=shape, b=b, c=c)]
    lines += [f"{o.call}: {o.shown_verdict}" + (f" ({o.error})" if o.error else "")
              + f": {o.why}" for o in outcomes]
    raising = sum(o.verdict == "error" for o in outcomes)
    silent = sum(o.verdict == "silently wrong" for o in outcomes)
    lines.append(_("{raising} of 4 calls raise, {silent} silently wrong").format(
        raising=raising, silent=silent))
    return ShapeView(label_format=label_format, batch=b, classes=c, labels_shape=shape,
                     logits_shape=(b, c), outcomes=outcomes, text="\n".join(lines))
