"""The finding codes and the words every rule shares.

:data:`CODES` lists every code the doctor can report, with its severity;
:data:`WATCH_CODES` those that only DoctorCallback reports, from a running ``fit``.
Codes are stable: tests, notebooks and users' scripts match on them.  The helpers below
word the parts that several rules repeat (the loss class to suggest, the number of units).

>>> finding("softmax-single-unit", "what", "why", "fix").severity
'error'
"""

from __future__ import annotations

from lossedu.constants import LOSS_CLASS_NAMES
from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.report import Finding
from lossedu.diagnosis.wording import tidy

__all__ = ["CODES", "WATCH_CODES", "PROBABILITY", "NOT_PROBABILITY", "finding"]

CODES: dict[str, str] = {
    "linear-output-probability-loss": "error",
    "nonprobability-output-probability-loss": "error",
    "probability-output-from-logits": "error",
    "probability-output-from-logits-repaired": "warning",
    "softmax-single-unit": "error",
    "categorical-loss-single-unit": "error",
    "activation-on-logits": "warning",
    "sigmoid-output-categorical-loss": "warning",
    "softmax-output-binary-loss": "warning",
    "one-hot-labels-sparse-loss": "error",
    "sparse-labels-categorical-loss": "error",
    "sparse-labels-binary-loss": "error",
    "label-out-of-range": "error",
    "non-integer-sparse-labels": "error",
    "label-shape-mismatch": "error",
    "sigmoid-exclusive-classes": "warning",
    "multi-hot-labels-categorical-loss": "warning",
    "accuracy-threshold-on-logits": "warning",
    "binary-accuracy-multiclass": "warning",
    "accuracy-multilabel-categorical": "warning",
    "bce-one-hot-accuracy": "info",
    "metric-needs-probabilities": "warning",
    "output-rank-mismatch": "error",
    "init-loss-far-from-chance": "warning",
    "no-loss": "info",
    "loss-not-checked": "info",
    "output-not-inspected": "info",
}

# What DoctorCallback reports while ``fit`` runs (lossedu/diagnosis/callback.py): signatures
# of a run, not of the model, so the static matrix never sees them.
WATCH_CODES: dict[str, str] = {
    "nan-loss": "error",
    "zero-output-gradients": "error",
    "saturating-outputs": "warning",
    "loss-stuck-at-chance": "warning",
}

PROBABILITY = {"softmax", "sigmoid", "hard_sigmoid"}
# Outputs that are neither logits nor probabilities.  log_softmax is in the set, although its
# outputs are valid logits (softmax(log_softmax(z)) == softmax(z)): the rule that warns about
# an activation before a from_logits=True loss leaves it out explicitly.
NOT_PROBABILITY = {
    "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "softplus",
    "softsign", "tanh", "hard_tanh", "exponential", "mish", "celu", "glu", "log_softmax",
    "nonnegative", "log_sigmoid",
}


def finding(code: str, what: str, why: str, fix: str) -> Finding:
    """A :class:`Finding` with the severity :data:`CODES` gives ``code``."""
    return Finding(CODES[code], code, tidy(what), tidy(why), fix)


def loss_class(s: Subject) -> str:
    """The ``keras.losses`` class to suggest for the subject's loss family."""
    if s.loss.class_name.endswith("FocalCrossentropy"):
        return s.loss.class_name
    return LOSS_CLASS_NAMES.get(s.family, "SparseCategoricalCrossentropy")


def units_text(s: Subject) -> str:
    return str(s.units) if s.units is not None else "num_classes"


def probability_layer(s: Subject) -> str:
    """The layer that turns the subject's logits into probabilities, as code."""
    if s.family == "binary":
        return 'keras.layers.Activation("sigmoid")'
    return "keras.layers.Softmax()"


def is_cross_entropy(s: Subject) -> bool:
    return s.family in ("sparse", "categorical", "binary", "auto")


def sparse_loss_fix(s: Subject) -> str:
    return f"keras.losses.SparseCategoricalCrossentropy(from_logits={s.loss.from_logits})"


def dense_loss_fix(s: Subject) -> str:
    return f"keras.losses.CategoricalCrossentropy(from_logits={s.loss.from_logits})"


def number(v: float) -> str:
    """``3`` for 3.0, ``2.5`` for 2.5: label values as a reader writes them."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def output_is_logits(s: Subject) -> bool:
    return s.act == "linear" or (s.act == "unknown" and s.loss.from_logits is True)
