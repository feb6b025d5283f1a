"""The facts the doctor reads from a model: plain dataclasses, no Keras.

:mod:`lossedu.diagnosis.reading` fills them from a Keras model (its output layer, compiled
loss and metrics, and the labels if given); the rules in :mod:`lossedu.diagnosis.rules` turn
them into findings.  Since nothing here imports Keras, every rule can be tested (and read)
without TensorFlow.

>>> out = OutputFacts(name="dense", units=10, activation="linear", layer="Dense")
>>> out.desc
"'dense' (Dense, 10 units, activation linear)"
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["OutputFacts", "LossFacts", "LabelFacts", "MetricFacts", "Subject"]


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

