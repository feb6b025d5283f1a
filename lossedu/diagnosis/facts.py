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

from lossedu.diagnosis.wording import join_list, with_parts
from lossedu.i18n import _

__all__ = ["OutputFacts", "LossFacts", "LabelFacts", "MetricFacts", "Subject", "keras_choice"]


def keras_choice(label_shape: tuple, output_rank: int, output_last: int | None) -> str:
    """Keras 3's own rule (``compile_utils.is_binary_or_sparse_categorical``) for the strings
    "accuracy"/"acc" and "crossentropy"/"ce": binary when the output's last axis is 1, sparse
    when the labels have fewer axes than the output or a last axis of 1 against more than one
    output unit, categorical otherwise.  Read from the shapes only, never from the loss.

    >>> keras_choice((32,), 2, 10), keras_choice((32, 10), 2, 10), keras_choice((32, 1), 2, 1)
    ('sparse', 'categorical', 'binary')
    """
    if output_last == 1:
        return "binary"
    y_rank, y_last = len(label_shape), (label_shape[-1] if label_shape else None)
    if y_rank < output_rank or (y_last == 1 and (output_last or 0) > 1):
        return "sparse"
    return "categorical"


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
    rank: int | None = None  # ndim of the output, batch axis included
    shape: tuple | None = None  # the output's shape, (None, ...) for the batch axis

    @property
    def desc(self) -> str:
        """The output as messages name it: its name, layer, units and activation."""
        parts = []
        if self.layer:
            parts.append(self.layer)
        if self.units is not None:
            parts.append((_("{units} unit") if self.units == 1 else _("{units} units"))
                         .format(units=self.units))
        if self.activation != "unknown":
            parts.append(_("activation {activation}").format(activation=self.activation))
        if self.after:
            parts.append(_("then {layers}").format(layers=", ".join(self.after)))
        if self.source == "probe":
            parts.append(_("seen on a probe batch"))
        if not parts:
            return f"'{self.name}'"
        return with_parts(f"'{self.name}'", join_list(parts))


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
    kind: str  # accuracy (string, resolved from shapes) | binary_accuracy | thresholded | auc
    threshold: float | None = None
    from_logits: bool = False  # AUC(from_logits=True)


@dataclass
class Subject:
    """Everything known about one output: the facts every check reads."""

    output: OutputFacts
    loss: LossFacts
    labels: LabelFacts | None = None
    metrics: list[MetricFacts] = field(default_factory=list)
    init_loss: dict | None = None  # the untrained model's loss next to its chance level

    @property
    def family(self) -> str | None:
        """The loss family after Keras's own resolution of ``"crossentropy"`` from shapes."""
        fam = self.loss.family
        if fam != "auto":
            return fam
        return {"binary": "binary", "sparse": "sparse", "categorical": "categorical"}.get(
            self.resolved_kind, "auto")

    @property
    def resolved_kind(self) -> str | None:
        """What Keras 3 makes of "accuracy" or "crossentropy" here: binary, sparse or
        categorical (:func:`keras_choice`); None when the labels' shape is needed and unknown."""
        if self.output.units == 1:
            return "binary"
        if self.labels is None or self.output.rank is None:
            return None
        return keras_choice(self.labels.shape, self.output.rank, self.output.units)

    @property
    def units(self) -> int | None:
        return self.output.units

    @property
    def act(self) -> str:
        return self.output.activation

