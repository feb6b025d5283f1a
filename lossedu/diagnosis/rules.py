"""The doctor's rules: pure functions from the facts about one output to findings.

Each rule takes a :class:`~lossedu.diagnosis.facts.Subject` and yields the
:class:`~lossedu.diagnosis.report.Finding` objects it is named for; :func:`all_findings` runs
them all.  No rule imports Keras.  The rules themselves live by topic in
:mod:`~lossedu.diagnosis.output_rules`, :mod:`~lossedu.diagnosis.label_rules` and
:mod:`~lossedu.diagnosis.metric_rules`.

>>> from lossedu.diagnosis.facts import LossFacts, OutputFacts, Subject
>>> out = OutputFacts(name="dense", units=10, activation="linear", layer="Dense")
>>> loss = LossFacts(display="'sparse_categorical_crossentropy'", family="sparse",
...                  from_logits=False, class_name="SparseCategoricalCrossentropy")
>>> [f.code for f in all_findings(Subject(out, loss))]
['linear-output-probability-loss']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.fit_rules import (
    init_loss_findings,
    output_rank_findings,
    single_unit_columns_findings,
)
from lossedu.diagnosis.label_rules import (
    exclusive_classes_bce_findings,
    label_format_findings,
    label_value_findings,
    multi_hot_cce_findings,
)
from lossedu.diagnosis.metric_rules import (
    accuracy_metric_findings,
    coverage_findings,
    metric_on_logits_findings,
)
from lossedu.diagnosis.output_rules import (
    activation_loss_pairing_findings,
    activation_on_logits_findings,
    categorical_single_unit_findings,
    double_activation_findings,
    linear_output_findings,
    softmax_single_unit_findings,
)
from lossedu.diagnosis.report import Finding, by_severity

__all__ = ["RULES", "all_findings"]

RULES: list[Callable[[Subject], Iterator[Finding]]] = [
    softmax_single_unit_findings,
    linear_output_findings,
    double_activation_findings,
    categorical_single_unit_findings,
    activation_on_logits_findings,
    activation_loss_pairing_findings,
    label_format_findings,
    label_value_findings,
    exclusive_classes_bce_findings,
    multi_hot_cce_findings,
    output_rank_findings,
    single_unit_columns_findings,
    accuracy_metric_findings,
    metric_on_logits_findings,
    init_loss_findings,
    coverage_findings,
]


def all_findings(subject: Subject) -> list[Finding]:
    """Every rule on one output, errors first, each (code, message) once."""
    found: list[Finding] = []
    seen = set()
    for rule in RULES:
        for f in rule(subject):
            if (f.code, f.what) not in seen:
                seen.add((f.code, f.what))
                found.append(f)
    return by_severity(found)
