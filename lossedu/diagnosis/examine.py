""":func:`doctor`: read the model, run every rule on every output, hand back a Report."""

from __future__ import annotations

import os
import warnings

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.arguments import check_input_shapes, check_lengths, model_from_path
from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.reading import read_subjects
from lossedu.diagnosis.report import Finding, Report, by_severity, summary_line
from lossedu.diagnosis.rules import all_findings
from lossedu.diagnosis.wording import tidy
from lossedu.i18n import _

__all__ = ["doctor", "report_for"]


def doctor(model, loss=None, x=None, y=None) -> Report:
    """Check a Keras model's output layer, loss, labels and metrics for the classic mistakes.

    ``loss`` defaults to the compiled loss (object, string or function).  ``x`` (a batch is
    enough; ``x[:32]`` is used) lets the doctor probe models whose graph it cannot read, such
    as subclassed models.  ``y`` (the labels, all of them if you like: only NumPy statistics
    are computed) enables the label checks.  Returns a :class:`Report`; nothing is trained,
    and the model's weights are not changed.  ``model`` may be the path of a ``.keras`` file.
    Bad arguments (a path that is not a .keras file, ``y`` of another length than ``x``,
    ``x`` that does not fit the model's input) raise a teaching ``ValueError``.
    """
    keras = keras_api.import_keras()
    if isinstance(model, (str, os.PathLike)):
        model = model_from_path(keras, model)
    check_lengths(x, y)
    check_input_shapes(model, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        subjects, backend = read_subjects(keras, model, loss, x, y)
        return report_for(subjects, getattr(model, "name", type(model).__name__), backend)


def report_for(subjects: list[Subject], model_name: str, backend: str) -> Report:
    """The findings of every rule on every subject, errors first; with several outputs each
    message names its output."""
    findings: list[Finding] = []
    for s in subjects:
        for f in all_findings(s):
            if len(subjects) > 1:
                what = tidy(_("[output '{name}'] {what}").format(name=s.output.name, what=f.what))
                f = Finding(f.severity, f.code, what, f.why, f.fix)
            findings.append(f)
    return Report(findings=by_severity(findings), summary=summary_line(subjects),
                  model_name=model_name, context={"backend": backend, "subjects": subjects})
