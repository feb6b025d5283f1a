"""The checks behind :func:`lossedu.doctor`: pure functions from facts to findings.

:mod:`lossedu.doctor` reads a Keras model (its output layer, compiled loss and metrics, and the
labels if given) into the plain dataclasses below; the checks here turn those facts into
:class:`Finding` objects.  Nothing in this module imports Keras, so every rule can be tested
(and read) without TensorFlow.

>>> out = OutputFacts(name="dense", units=10, activation="linear", layer="Dense")
>>> loss = LossFacts(display="'sparse_categorical_crossentropy'", family="sparse",
...                  from_logits=False, class_name="SparseCategoricalCrossentropy")
>>> [f.code for f in run_checks(Subject(out, loss))]
['linear-output-probability-loss']
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "SEVERITIES",
    "CODES",
    "Finding",
    "Report",
    "OutputFacts",
    "LossFacts",
    "LabelFacts",
    "MetricFacts",
    "Subject",
    "run_checks",
    "CHECKS",
]

SEVERITIES = ("error", "warning", "info")
ICONS = {"error": "\u2716", "warning": "\u26a0", "info": "\u2139"}
ASCII_ICONS = {"error": "[x]", "warning": "[!]", "info": "[i]"}

# Every code the doctor can report, with its severity.  Codes are stable: tests, notebooks
# and users' scripts match on them.
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
    "no-loss": "info",
    "loss-not-checked": "info",
    "output-not-inspected": "info",
}

PROBABILITY = {"softmax", "sigmoid", "hard_sigmoid"}
# Outputs that are neither logits nor probabilities.  log_softmax is missing on purpose: its
# outputs are valid logits (softmax(log_softmax(z)) == softmax(z)).
NOT_PROBABILITY = {
    "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "softplus",
    "softsign", "tanh", "hard_tanh", "exponential", "mish", "celu", "glu", "log_softmax",
    "nonnegative", "log_sigmoid",
}
LOSS_CLASS = {"sparse": "SparseCategoricalCrossentropy", "categorical": "CategoricalCrossentropy",
              "binary": "BinaryCrossentropy"}


@dataclass(frozen=True)
class Finding:
    """One problem: how bad (``severity``), a stable ``code``, ``what`` is wrong, ``why`` it
    matters, and the ``fix`` as code.

    >>> Finding("error", "softmax-single-unit", "w", "y", "f").severity
    'error'
    """

    severity: str
    code: str
    what: str
    why: str
    fix: str

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def format(self, ascii_only: bool = False) -> str:
        icon = (ASCII_ICONS if ascii_only else ICONS)[self.severity]
        fix = "\n".join("      " + line for line in self.fix.splitlines())
        return (f"{icon} {self.severity} [{self.code}]\n"
                f"  what: {self.what}\n"
                f"  why:  {self.why}\n"
                f"  fix:\n{fix}")


@dataclass
class Report:
    """What :func:`lossedu.doctor` found.  ``ok`` is True when there is no error or warning.

    ``summary`` says in one line what was checked (output, loss, labels, metrics), so a clean
    report still tells you what "clean" covered.  ``context`` keeps the facts for the curious.
    """

    findings: list[Finding] = field(default_factory=list)
    summary: str = ""
    model_name: str = "model"
    context: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity in ("error", "warning") for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def headline(self, ascii_only: bool = False) -> str:
        if self.ok:
            mark = "[ok]" if ascii_only else "\u2714"
            return f"{mark} No problems found: {self.summary}"
        return (f"lossedu doctor, model '{self.model_name}': {self._counts()}. "
                f"Checked: {self.summary}")

    def _counts(self) -> str:
        counts = []
        for sev in SEVERITIES:
            n = sum(f.severity == sev for f in self.findings)
            if n:
                counts.append(f"{n} {sev}{'s' if n > 1 else ''}")
        return ", ".join(counts)

    def format(self, ascii_only: bool = False) -> str:
        blocks = [self.headline(ascii_only)]
        blocks += [f.format(ascii_only) for f in self.findings]
        return "\n\n".join(blocks)

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"<Report model={self.model_name!r} codes={self.codes}>"

    def _repr_html_(self) -> str:
        colors = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
        esc = html.escape
        if self.ok:
            head = (f"<p style='color:#2e7d32'><b>\u2714 No problems found:</b> "
                    f"{esc(self.summary)}</p>")
        else:
            head = (f"<p><b>lossedu doctor, model '{esc(self.model_name)}': "
                    f"{esc(self._counts())}.</b> Checked: {esc(self.summary)}</p>")
        parts = [f"<div class='lossedu-doctor'>{head}"]
        for f in self.findings:
            c = colors[f.severity]
            parts.append(
                f"<div style='border-left:4px solid {c};padding:2px 10px;margin:6px 0'>"
                f"<b style='color:{c}'>{ICONS[f.severity]} {f.severity}</b> "
                f"<code>{esc(f.code)}</code>"
                f"<p><b>What:</b> {esc(f.what)}</p><p><b>Why:</b> {esc(f.why)}</p>"
                f"<p><b>Fix:</b></p><pre><code>{esc(f.fix)}</code></pre></div>")
        parts.append("</div>")
        return "".join(parts)


@dataclass
class OutputFacts:
    """One model output, as read from the layer graph, the traced TF graph or a probe batch."""

    name: str
    units: int | None
    activation: str = "unknown"  # normalised: linear, softmax, sigmoid, relu, ..., unknown
    layer: str = ""  # the layer that applies the activation, e.g. "Dense"
    source: str = "graph"  # graph | traced graph | probe
    after: tuple[str, ...] = ()  # layers between the activation and the output
    dtype: str | None = None
    backend: str = "tensorflow"
    repaired: bool | None = None  # did Keras recover the hidden logits (from_logits=True)?
    repair_checked: bool = False  # True when `repaired` comes from tracing the real loss
    probe: dict | None = None  # min, max, rowsum_err of a probe batch
    note: str = ""  # why the output could not be inspected

    @property
    def desc(self) -> str:
        parts = []
        if self.layer:
            parts.append(self.layer)
        if self.units is not None:
            parts.append(f"{self.units} unit{'s' if self.units != 1 else ''}")
        if self.activation != "unknown":
            parts.append(f"activation {self.activation}")
        if self.after:
            parts.append("then " + ", ".join(self.after))
        if self.source == "probe":
            parts.append("seen on a probe batch")
        return f"'{self.name}' ({', '.join(parts)})" if parts else f"'{self.name}'"


@dataclass
class LossFacts:
    """The loss as Keras will apply it."""

    display: str
    family: str | None  # sparse | categorical | binary | auto ("crossentropy") | None
    from_logits: bool | None
    class_name: str = ""
    ignore_class: int | None = None
    given: bool = True
    recognised: bool = True


@dataclass
class LabelFacts:
    """What the labels ``y`` look like next to one output (``units`` classes)."""

    shape: tuple
    format: str  # sparse (class ids) | dense (one column per unit) | mismatch
    integer: bool
    vmin: float
    vmax: float
    n_values: int  # distinct values (sparse) or columns (dense)
    exclusive: bool = False  # dense rows that are exactly one-hot
    multi_hot: bool = False  # dense 0/1 rows, some with != 1 ones
    distribution: bool = False  # dense rows in [0, 1] summing to 1 (one-hot or soft)
    example_fraction: float | None = None  # a non-integer value, for the message


@dataclass
class MetricFacts:
    """A compiled metric that matters to the checks: accuracy in one of its spellings."""

    display: str
    kind: str  # accuracy (the string, resolved from shapes) | binary_accuracy | other
    threshold: float | None = None


@dataclass
class Subject:
    """Everything known about one output: the facts every check reads."""

    output: OutputFacts
    loss: LossFacts
    labels: LabelFacts | None = None
    metrics: list[MetricFacts] = field(default_factory=list)

    @property
    def family(self) -> str | None:
        """The loss family after Keras's own resolution of ``"crossentropy"`` from shapes."""
        fam = self.loss.family
        if fam != "auto":
            return fam
        if self.output.units == 1:
            return "binary"
        if self.labels is not None:
            return "sparse" if self.labels.format == "sparse" else "categorical"
        return "auto"

    @property
    def units(self) -> int | None:
        return self.output.units

    @property
    def act(self) -> str:
        return self.output.activation


def _finding(code: str, what: str, why: str, fix: str) -> Finding:
    return Finding(CODES[code], code, what, why, fix)


def _loss_class(s: Subject) -> str:
    fam = s.family
    if s.loss.class_name.endswith("FocalCrossentropy"):
        return s.loss.class_name
    return LOSS_CLASS.get(fam, "SparseCategoricalCrossentropy")


def _units(s: Subject) -> str:
    return str(s.units) if s.units is not None else "num_classes"


def _prob_layer(s: Subject) -> str:
    if s.family == "binary":
        return 'keras.layers.Activation("sigmoid")'
    return "keras.layers.Softmax()"


def _is_ce(s: Subject) -> bool:
    return s.family in ("sparse", "categorical", "binary", "auto")


# --- output layer against from_logits --------------------------------------------------------

def check_linear_output(s: Subject) -> Iterator[Finding]:
    """Logits (or other non-probabilities) fed to a loss that expects probabilities."""
    if not _is_ce(s) or s.loss.from_logits is not False:
        return
    if s.act == "softmax" and s.units == 1:
        return  # softmax-single-unit says it better
    clip = {
        "binary": "clips each output to [1e-7, 1 - 1e-7] and takes log(p) and log(1 - p)",
        "categorical": "divides each row by its sum, clips to [1e-7, 1 - 1e-7] and takes the log",
    }.get(s.family, "clips the outputs to [1e-7, 1 - 1e-7], takes the log and renormalises")
    fix = (f"loss = keras.losses.{_loss_class(s)}(from_logits=True)   "
           f"# the output layer stays keras.layers.Dense({_units(s)})\n"
           f"# probabilities for inference, after training:\n"
           f"prob_model = keras.Sequential([model, {_prob_layer(s)}])")
    if s.act == "linear":
        seen = (" (its values on a probe batch fall outside [0, 1])"
                if s.output.source == "probe" else "")
        yield _finding(
            "linear-output-probability-loss",
            f"The output {s.output.desc} has no activation, so it produces logits{seen}, but the "
            f"loss {s.loss.display} expects probabilities (from_logits=False).",
            f"With from_logits=False Keras {clip}. Logits are not probabilities: every value "
            "that ends up outside [1e-7, 1 - 1e-7] is clipped, and a clipped value has a "
            "gradient of exactly zero (every negative logit, about half of them at the start), "
            "so much of the output stops learning. Keras raises no error and prints no warning: "
            "the loss sits near a constant and accuracy stalls. (Lesson 05's Fashion-MNIST "
            "model: the training loss sticks at log 10 ≈ 2.30, where every gradient is zero, and "
            "the test accuracy lands anywhere from about 15 to 50 %, depending on the random seed "
            "and the machine, instead of about 0.86.)",
            fix)
    elif s.act in NOT_PROBABILITY:
        yield _finding(
            "nonprobability-output-probability-loss",
            f"The output {s.output.desc} applies {s.act}, whose values are not probabilities, but "
            f"the loss {s.loss.display} expects probabilities (from_logits=False).",
            f"With from_logits=False Keras {clip}. {s.act} outputs outside [1e-7, 1 - 1e-7] are "
            "clipped and get a gradient of exactly zero (a ReLU output of 0 or above 1, say), so "
            "training stalls without any error or warning.",
            f"keras.layers.Dense({_units(s)})   # no activation: logits\n" + fix.split("   #")[0])


_WHY_DOUBLE = {
    "softmax": ("A softmax of probabilities: its inputs all lie in [0, 1], so the second softmax "
                "is squeezed towards uniform. With C classes the top class can reach at most "
                "e / (e + C - 1) (0.23 for C = 10), so the loss can never fall below about "
                "-log(0.23) = 1.46 and the gradients shrink: training is slow and stalls."),
    "sigmoid": ("A sigmoid of probabilities: its inputs lie in [0, 1], so the second sigmoid only "
                "returns values in [0.5, 0.73]. The model can never predict a confident 'no', the "
                "loss cannot approach 0, and the gradients shrink: training stalls."),
}


def check_double_activation(s: Subject) -> Iterator[Finding]:
    """A softmax/sigmoid output given to a loss that will apply softmax/sigmoid again."""
    if not _is_ce(s) or s.loss.from_logits is not True or s.act not in PROBABILITY:
        return
    if s.act == "softmax" and s.units == 1:
        return
    act = "sigmoid" if s.act == "hard_sigmoid" else s.act
    fix = (f"# either keep the {s.act} and tell the loss it gets probabilities:\n"
           f"loss = keras.losses.{_loss_class(s)}(from_logits=False)\n"
           f"# or (better: numerically stable) output logits and keep from_logits=True:\n"
           f"keras.layers.Dense({_units(s)})   # no activation")
    if s.output.repaired:
        yield _finding(
            "probability-output-from-logits-repaired",
            f"The output {s.output.desc} already gives {act} probabilities, yet the loss "
            f"{s.loss.display} says from_logits=True. Keras 3 on TensorFlow repairs this "
            f"silently: it takes the logits the {act} left on the tensor (`_keras_logits`) and "
            "only prints a UserWarning.",
            "It trains correctly today, but the code says the opposite of what happens, and the "
            "repair is fragile. It is lost as soon as a layer follows the activation (even "
            "Flatten, Reshape or Dropout), with a mixed_float16 output, with "
            "SparseCategoricalCrossentropy(ignore_class=...), on the JAX or PyTorch backend, or "
            "when the loss is computed on model.predict() output. Then the double "
            f"{act} is real and training stalls.",
            fix)
        return
    if s.act == "hard_sigmoid":
        reason = "hard_sigmoid never leaves its logits on the tensor"
    elif s.loss.class_name.endswith("FocalCrossentropy"):
        reason = (f"{s.loss.class_name} applies the {act} itself (keras.ops.{act}) and never "
                  "looks for hidden logits")
    elif s.output.backend != "tensorflow":
        reason = (f"the {s.output.backend} backend never recovers hidden logits "
                  "(only the TensorFlow backend does)")
    elif s.output.after:
        reason = (f"{', '.join(s.output.after)} after the activation hides the logits Keras "
                  "would otherwise recover")
    elif s.loss.ignore_class is not None:
        reason = ("ignore_class masks the output (tf.where) before the cross-entropy sees it, "
                  "which drops the hidden logits")
    elif s.output.dtype not in (None, "float32"):
        reason = (f"the output is {s.output.dtype} (mixed precision) and the loss casts it to "
                  "float32, which drops the hidden logits; a float32 output layer, "
                  "dtype=\"float32\", would keep them")
    else:
        reason = "the tensor reaching the loss does not carry the logits Keras looks for"
    yield _finding(
        "probability-output-from-logits",
        f"The output {s.output.desc} already gives {act} probabilities, and the loss "
        f"{s.loss.display} applies {act} again (from_logits=True). Keras cannot repair it "
        f"here: {reason}.",
        _WHY_DOUBLE[act], fix)


def check_softmax_single_unit(s: Subject) -> Iterator[Finding]:
    if s.act != "softmax" or s.units != 1:
        return
    yield _finding(
        "softmax-single-unit",
        f"The output {s.output.desc} applies softmax over a single unit: it returns 1.0 for "
        "every input.",
        "Softmax normalises across the units: exp(z) / exp(z) = 1 whatever z is, so every "
        "prediction is 'class 1' with certainty and accuracy equals the share of positive "
        "examples. Worse, on TensorFlow Keras may train the hidden pre-softmax value (it takes "
        "it as a sigmoid logit for binary cross-entropy), so the loss goes down while "
        "model.predict() still returns 1.0 everywhere.",
        "# two classes: one sigmoid unit\n"
        "keras.layers.Dense(1)   # logits\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "# C classes: one unit per class\n"
        "keras.layers.Dense(num_classes)\n"
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)")


def check_categorical_single_unit(s: Subject) -> Iterator[Finding]:
    if s.family not in ("sparse", "categorical") or s.units != 1:
        return
    yield _finding(
        "categorical-loss-single-unit",
        f"The loss {s.loss.display} is a softmax cross-entropy over classes, but the output "
        f"{s.output.desc} has a single unit.",
        "A softmax over one class is always 1, so the loss is 0 for every example and no "
        "gradient flows: nothing learns. With 0/1 labels the sparse loss fails instead "
        "('Received a label value of 1 which is outside the valid range of [0, 1)').",
        "# two classes, labels 0/1:\n"
        "keras.layers.Dense(1)\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "# or one unit per class:\n"
        "keras.layers.Dense(num_classes)")


_WHY_ACTIVATION_ON_LOGITS = {
    "relu": "ReLU clips every logit at 0, so no class can get a negative score, and a unit that "
            "is 0 for every input gets no gradient at all (a dead class).",
    "relu6": "relu6 clips every logit to [0, 6]: no negative scores and a capped confidence.",
    "tanh": "tanh bounds every logit to [-1, 1], so the softmax can never be confident: with "
            "10 classes the top class reaches at most e^2 / (e^2 + 9) = 0.45, a loss floor of "
            "0.80.",
    "softplus": "softplus keeps every logit above 0, so no class can get a negative score.",
}


def check_activation_on_logits(s: Subject) -> Iterator[Finding]:
    if (not _is_ce(s) or s.loss.from_logits is not True or s.act not in NOT_PROBABILITY
            or s.act == "log_softmax"):
        return
    why = _WHY_ACTIVATION_ON_LOGITS.get(
        s.act, f"{s.act} limits the range of the logits, which must be free to take any value.")
    yield _finding(
        "activation-on-logits",
        f"The output {s.output.desc} applies {s.act}, and the loss {s.loss.display} treats the "
        "result as logits (from_logits=True).",
        why + " Logits should come straight from a Dense layer without an activation.",
        f"keras.layers.Dense({_units(s)})   # no activation before a from_logits=True loss")


def check_activation_loss_pairing(s: Subject) -> Iterator[Finding]:
    """Sigmoid with a softmax loss, softmax with a sigmoid loss."""
    if s.units is None or s.units < 2:
        return
    if s.act == "sigmoid" and s.family in ("sparse", "categorical"):
        yield _finding(
            "sigmoid-output-categorical-loss",
            f"The output {s.output.desc} applies sigmoid to each of {s.units} units, but the "
            f"loss {s.loss.display} is a softmax cross-entropy over mutually exclusive classes.",
            "Sigmoid scores each class on its own, so model.predict() returns values that do "
            "not sum to 1. On TensorFlow, Keras quietly trains the pre-sigmoid values as "
            "softmax logits (the sigmoid leaves them on the tensor); elsewhere the loss "
            "renormalises the sigmoids. Either way the probabilities you read are not the ones "
            "the loss optimised.",
            f"keras.layers.Dense({s.units}, activation=\"softmax\")   # with from_logits=False\n"
            f"# or, better, logits:\nkeras.layers.Dense({s.units})\n"
            f"loss = keras.losses.{_loss_class(s)}(from_logits=True)")
    elif s.act == "softmax" and s.family == "binary":
        yield _finding(
            "softmax-output-binary-loss",
            f"The output {s.output.desc} applies softmax across {s.units} units, but the loss "
            f"{s.loss.display} scores each unit as an independent yes/no (binary "
            "cross-entropy).",
            "Softmax makes the units compete (they sum to 1); binary cross-entropy treats them "
            "as independent. On TensorFlow, Keras silently swaps in the pre-softmax values as "
            "sigmoid logits, so the loss trains independent sigmoids while model.predict() "
            "returns a softmax: neither model is the one you wrote.",
            "# one class per example (mutually exclusive):\n"
            "loss = keras.losses.CategoricalCrossentropy()   # softmax output, one-hot labels\n"
            "# several labels per example (multi-label):\n"
            f"keras.layers.Dense({s.units})\n"
            "loss = keras.losses.BinaryCrossentropy(from_logits=True)")


# --- labels ----------------------------------------------------------------------------------

def _sparse_fix(s: Subject) -> str:
    return f"keras.losses.SparseCategoricalCrossentropy(from_logits={s.loss.from_logits})"


def _dense_fix(s: Subject) -> str:
    return f"keras.losses.CategoricalCrossentropy(from_logits={s.loss.from_logits})"


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def check_label_format(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.units is None or not _is_ce(s):
        return
    fam, units = s.family, s.units
    if fam == "sparse" and lab.format == "dense" and units > 1:
        yield _finding(
            "one-hot-labels-sparse-loss",
            f"The labels have shape {lab.shape}, one column per class (one-hot), but the loss "
            f"{s.loss.display} expects one integer class id per example, shape {lab.shape[:-1]}.",
            "Keras stops with 'Argument `output` must have rank (ndim) `target.ndim - 1`', which "
            "blames the model output although the labels are the problem.",
            "y = y.argmax(axis=-1)   # class ids\n# or keep the one-hot labels:\n"
            f"loss = {_dense_fix(s)}")
    elif fam == "categorical" and lab.format == "sparse" and units > 1:
        yield _finding(
            "sparse-labels-categorical-loss",
            f"The labels are class ids, shape {lab.shape}, but the loss {s.loss.display} "
            f"expects one-hot rows, shape (N, {units}).",
            "Keras stops with 'Arguments `target` and `output` must have the same rank' (or "
            "'the same shape' for (N, 1) labels).",
            f"loss = {_sparse_fix(s)}\n# or one-hot encode the labels:\n"
            f"y = keras.utils.to_categorical(y, num_classes={units})")
    elif fam == "binary" and lab.format == "sparse" and units > 1:
        yield _finding(
            "sparse-labels-binary-loss",
            f"The labels are class ids, shape {lab.shape}, but binary cross-entropy on {units} "
            f"output units expects a 0/1 column per unit, shape (N, {units}).",
            "Keras stops with 'Arguments `target` and `output` must have the same rank'. Class "
            "ids mean one class per example: a softmax cross-entropy is the right loss.",
            f"loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)   "
            f"# with keras.layers.Dense({units})")
    elif lab.format == "dense" and units > 1 and lab.n_values != units:
        yield _finding(
            "label-shape-mismatch",
            f"The labels have {lab.n_values} columns, shape {lab.shape}, but the output "
            f"{s.output.desc} has {units} units.",
            "Keras stops with 'Arguments `target` and `output` must have the same shape'; one "
            "output unit per label column is needed.",
            f"keras.layers.Dense({lab.n_values})")


def check_label_values(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.units is None or not _is_ce(s):
        return
    fam, units = s.family, s.units
    lo, hi = lab.vmin, lab.vmax
    if fam == "sparse" and lab.format == "sparse" and units > 1:
        if not lab.integer:
            yield _finding(
                "non-integer-sparse-labels",
                f"The loss {s.loss.display} needs integer class ids, but the labels contain "
                f"non-integer values such as {lab.example_fraction:g}.",
                "Keras casts them to integers without a word, truncating towards zero (1.7 "
                "becomes class 1), so examples silently train towards the wrong class.",
                "y = np.rint(y).astype('int64')   # if they were meant as class ids\n"
                "# soft targets need one column per class and\n"
                f"loss = {_dense_fix(s)}")
        ignore = s.loss.ignore_class
        bad_lo = lo < 0 and not (ignore is not None and lo == ignore)
        bad_hi = hi >= units and not (ignore is not None and hi == ignore)
        if bad_lo or bad_hi:
            yield _finding(
                "label-out-of-range",
                f"The labels run from {_fmt(lo)} to {_fmt(hi)}, but the output has {units} "
                f"units, so the valid class ids are 0 to {units - 1}.",
                "On CPU TensorFlow stops with 'Received a label value of "
                f"{_fmt(hi if bad_hi else lo)} which is outside the valid range of [0, {units})'. "
                "The TensorFlow documentation says that on GPU there is no check and those rows "
                "get a NaN loss instead, so a run can silently diverge.",
                f"keras.layers.Dense({int(hi) + 1 if bad_hi else units})   # one unit per class"
                + ("\ny = y - 1   # if the labels start at 1" if bad_hi and lo >= 1 else ""))
    elif fam == "binary" and (lo < 0 or hi > 1) and not (lab.format == "sparse" and units > 1):
        yield _finding(
            "label-out-of-range",
            f"Binary cross-entropy needs labels in [0, 1], but the labels run from {_fmt(lo)} "
            f"to {_fmt(hi)}.",
            "Keras computes -(y log p + (1 - y) log(1 - p)) without checking y: with y outside "
            "[0, 1] it is no longer a likelihood, its minimum is not at p = y, and it can even "
            "go negative. No error is raised.",
            "# several mutually exclusive classes: one unit per class and\n"
            f"keras.layers.Dense({int(hi) + 1 if lab.integer and hi >= 1 else 'num_classes'})\n"
            "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    elif fam == "categorical" and lab.format == "dense" and (lo < 0 or hi > 1):
        yield _finding(
            "label-out-of-range",
            f"Categorical cross-entropy needs label rows that are probability distributions, "
            f"but the labels run from {_fmt(lo)} to {_fmt(hi)}.",
            "Keras does not check: labels such as [2, 0] just double the loss of that row and "
            "the gradient no longer pulls the predictions towards the labels.",
            f"y = keras.utils.to_categorical(class_ids, num_classes={units})")


def check_exclusive_classes_with_bce(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.family != "binary":
        return
    if lab.format == "dense" and lab.exclusive and lab.n_values >= 2:
        how, n, loss = f"one-hot rows over {lab.n_values} columns", lab.n_values, _dense_fix(s)
    elif lab.format == "sparse" and lab.integer and lab.vmin >= 0 and lab.vmax >= 2:
        n = int(lab.vmax) + 1
        how = f"class ids 0 to {n - 1}"
        loss = _sparse_fix(s)
    else:
        return
    loss = loss.replace("from_logits=False", "from_logits=True").replace(
        "from_logits=None", "from_logits=True")
    yield _finding(
        "sigmoid-exclusive-classes",
        f"The labels are mutually exclusive classes ({how}: exactly one class per example), "
        f"but the loss {s.loss.display} treats each unit as an independent sigmoid yes/no "
        "(binary cross-entropy).",
        "Independent sigmoids do not know that the classes exclude each other: their "
        "probabilities need not sum to 1 and the model has to learn the exclusivity from data. "
        "Softmax cross-entropy builds it in and is the right likelihood for one label per "
        "example.",
        f"keras.layers.Dense({n})   # logits, one unit per class\nloss = {loss}")


def check_multi_hot_with_cce(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if (lab is None or s.family != "categorical" or lab.format != "dense" or not lab.multi_hot
            or lab.n_values != s.units):
        return
    yield _finding(
        "multi-hot-labels-categorical-loss",
        f"Some label rows have several 1s (or none), but the loss {s.loss.display} assumes "
        "exactly one class per example (rows that sum to 1).",
        "Under a softmax the classes compete for one unit of probability, so the model can "
        "never predict two labels at once; a row with k ones just weights the loss by k, and a "
        "row of zeros contributes nothing. Several labels per example call for one sigmoid per "
        "label.",
        f"keras.layers.Dense({s.units})   # logits\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "metrics = [keras.metrics.BinaryAccuracy(threshold=0.0)]")


# --- metrics ---------------------------------------------------------------------------------

def _output_is_logits(s: Subject) -> bool:
    return s.act == "linear" or (s.act == "unknown" and s.loss.from_logits is True)


def check_accuracy_metrics(s: Subject) -> Iterator[Finding]:
    if not s.metrics or s.units is None:
        return
    lab = s.labels
    exclusive = (s.family in ("sparse", "categorical")
                 or (lab is not None and lab.format == "dense" and lab.exclusive))
    reported = set()
    for m in s.metrics:
        binary_here = (m.kind == "accuracy" and s.units == 1) or m.kind == "binary_accuracy"
        multiclass = m.kind == "binary_accuracy" and s.units > 1 and exclusive
        threshold = 0.5 if m.kind == "accuracy" else m.threshold
        if (binary_here and threshold is not None and math.isclose(threshold, 0.5)
                and _output_is_logits(s) and not multiclass
                and "accuracy-threshold-on-logits" not in reported):
            reported.add("accuracy-threshold-on-logits")
            how = ("Keras 3 picks the accuracy from the shapes: with one output unit, "
                   "\"accuracy\" becomes BinaryAccuracy(threshold=0.5). "
                   if m.kind == "accuracy" else "")
            yield _finding(
                "accuracy-threshold-on-logits",
                f"The metric {m.display} is BinaryAccuracy(threshold=0.5), but the output "
                f"{s.output.desc} is a logit, not a probability.",
                how + "BinaryAccuracy compares the output with the threshold; for logits the "
                "decision boundary is 0 (sigmoid(0) = 0.5). Examples with a logit between 0 and "
                "0.5 are counted as the wrong class, so the reported accuracy is off by up to "
                "their share (lessons 04 and 05 show it on trained models). The loss and the "
                "model are fine; only the number is wrong.",
                "metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)]   "
                "# 0 is the logit of p = 0.5")
        if multiclass and "binary-accuracy-multiclass" not in reported:
            reported.add("binary-accuracy-multiclass")
            yield _finding(
                "binary-accuracy-multiclass",
                f"The metric {m.display} scores each of the {s.units} units as a separate "
                "yes/no, but the classes are mutually exclusive.",
                "BinaryAccuracy averages over units: with 10 classes a model that says 'no' to "
                "everything scores 0.9. This is the old 'accuracy looks too good' trap of TF 2.1 "
                "and standalone Keras 2.3 (where the loss chose the metric), still there when "
                "BinaryAccuracy is asked for by name.",
                "metrics=[\"accuracy\"]   # Keras 3 picks (Sparse)CategoricalAccuracy from shapes")
        if m.kind == "accuracy" and s.family == "binary" and s.units > 1:
            if lab is not None and lab.format == "dense" and lab.exclusive:
                if "bce-one-hot-accuracy" in reported:
                    continue
                reported.add("bce-one-hot-accuracy")
                yield _finding(
                    "bce-one-hot-accuracy",
                    "\"accuracy\" with binary cross-entropy on one-hot multi-class labels: "
                    "Keras 3 reports CategoricalAccuracy here, not BinaryAccuracy.",
                    "Keras 3 chooses the accuracy from the shapes of labels and outputs, not "
                    f"from the loss: {s.units} units and (N, {s.units}) labels give "
                    "CategoricalAccuracy (argmax), so the number is honest, as in tf.keras from "
                    "TF 2.2 on. Up to TF 2.1 (standalone Keras up to 2.3) the loss chose "
                    "BinaryAccuracy, which averages per-unit hits and looked far too good (0.9 "
                    "with 10 classes for a model that predicts nothing); older tutorials quote "
                    "such numbers. The loss itself is still the "
                    "wrong model (see sigmoid-exclusive-classes).",
                    "model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True),\n"
                    "              metrics=[\"accuracy\"])   # with keras.layers.Dense(C) logits")
            elif "accuracy-multilabel-categorical" not in reported:
                reported.add("accuracy-multilabel-categorical")
                th = "0.0" if _output_is_logits(s) else "0.5"
                yield _finding(
                    "accuracy-multilabel-categorical",
                    f"With binary cross-entropy on {s.units} units (several labels per "
                    "example), the metric \"accuracy\" becomes CategoricalAccuracy in Keras 3.",
                    "Keras 3 picks the accuracy from the shapes, not the loss: labels and "
                    f"outputs of the same shape (N, {s.units}) give CategoricalAccuracy, which "
                    "only checks that the largest output sits at the first positive label: "
                    "meaningless for multi-label data. (tf.keras from TF 2.2 on did the same; up "
                    "to TF 2.1 and standalone Keras 2.3 the loss chose BinaryAccuracy.)",
                    f"metrics=[keras.metrics.BinaryAccuracy(threshold={th})]")


# --- what could not be checked ---------------------------------------------------------------

def check_coverage(s: Subject) -> Iterator[Finding]:
    if not s.loss.given:
        yield _finding(
            "no-loss",
            "The model is not compiled and no loss was given, so only the output layer was "
            "checked.",
            "Most mistakes live in the pairing of the output layer with the loss "
            "(from_logits) and the labels.",
            "lossedu.doctor(model, loss=keras.losses.SparseCategoricalCrossentropy("
            "from_logits=True), y=y_train)")
    elif not s.loss.recognised or s.family is None:
        yield _finding(
            "loss-not-checked",
            f"The loss {s.loss.display} is not one of Keras's cross-entropies, so the "
            "from_logits and label checks were skipped.",
            "The doctor knows SparseCategoricalCrossentropy, CategoricalCrossentropy, "
            "BinaryCrossentropy (and their focal variants and string names); a custom function "
            "hides whether it expects logits or probabilities.",
            "lossedu.doctor(model, loss=keras.losses.SparseCategoricalCrossentropy("
            "from_logits=True))   # the loss your function computes")
    if s.act == "unknown":
        yield _finding(
            "output-not-inspected",
            f"The doctor could not tell whether the output '{s.output.name}' gives logits or "
            f"probabilities{': ' + s.output.note if s.output.note else ''}.",
            "The from_logits checks need either a readable layer graph or one probe batch "
            "through the model.",
            "lossedu.doctor(model, x=x_train[:32], y=y_train)")


CHECKS: list[Callable[[Subject], Iterator[Finding]]] = [
    check_softmax_single_unit,
    check_linear_output,
    check_double_activation,
    check_categorical_single_unit,
    check_activation_on_logits,
    check_activation_loss_pairing,
    check_label_format,
    check_label_values,
    check_exclusive_classes_with_bce,
    check_multi_hot_with_cce,
    check_accuracy_metrics,
    check_coverage,
]


def run_checks(subject: Subject) -> list[Finding]:
    """Every check on one output, errors first, each code once."""
    found: list[Finding] = []
    seen = set()
    for check in CHECKS:
        for f in check(subject):
            if (f.code, f.what) not in seen:
                seen.add((f.code, f.what))
                found.append(f)
    order = {sev: i for i, sev in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: order[f.severity])

