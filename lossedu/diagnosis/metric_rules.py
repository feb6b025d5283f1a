"""Rules on the accuracy metrics as Keras 3 resolves them, and on what could not be checked."""

from __future__ import annotations

import math
from collections.abc import Iterator

from lossedu.diagnosis.codes import finding, output_is_logits
from lossedu.diagnosis.facts import MetricFacts, Subject
from lossedu.diagnosis.report import Finding
from lossedu.diagnosis.wording import join_sentences
from lossedu.i18n import _

__all__ = ["accuracy_metric_findings", "metric_on_logits_findings", "coverage_findings"]


def metric_on_logits_findings(s: Subject) -> Iterator[Finding]:
    """Precision, Recall, AUC, TruePositives, ... compare the output with thresholds in
    [0, 1]: on logits their numbers are wrong (tf.keras 2 stopped with 'predictions must be
    <= 1')."""
    if not output_is_logits(s) or s.units is None:
        return
    bad = [m for m in s.metrics if m.kind in ("thresholded", "auc") and not m.from_logits]
    if not bad:
        return
    names = ", ".join(m.display for m in bad)
    auc = any(m.kind == "auc" for m in bad)
    prob = ("keras.layers.Activation(\"sigmoid\")" if s.units == 1
            else "keras.layers.Softmax()")
    yield finding(
        "metric-needs-probabilities",
        _("The metrics {metrics} read the output {desc} as probabilities, but it gives "
          "logits.").format(metrics=names, desc=s.output.desc),
        _("These metrics count an example as positive when the output is above a threshold in "
          "[0, 1] (0.5 by default). A logit is not a probability: Keras 3 computes them without "
          "a word and reports wrong numbers (every logit above 0.5 is a 'yes', every negative "
          "logit and those in [0, 0.5] a 'no'; AUC lumps all logits above 1 together). "
          "tf.keras 2 stopped with 'assertion failed: [predictions must be <= 1]'. The loss "
          "and training are fine; only the numbers are wrong."),
        (_("keras.metrics.AUC(from_logits=True)   # AUC reads logits itself") + "\n" if auc
         else "")
        + _("keras.metrics.Precision(thresholds=0.0)   # 0 is the logit of p = 0.5\n"
            "# or compute them on probabilities: keras.Sequential([model, {probability_layer}])"
            ).format(probability_layer=prob))


def accuracy_metric_findings(s: Subject) -> Iterator[Finding]:
    """The accuracy metrics, as Keras 3 resolves them from the shapes; each code once."""
    if not s.metrics or s.units is None:
        return
    reported = set()
    for m in s.metrics:
        for f in _one_metric_findings(s, m):
            if f.code not in reported:
                reported.add(f.code)
                yield f


def _one_metric_findings(s: Subject, m: MetricFacts) -> Iterator[Finding]:
    lab = s.labels
    exclusive = (s.family in ("sparse", "categorical")
                 or (lab is not None and lab.format == "dense" and lab.exclusive))
    binary_here = (m.kind == "accuracy" and s.units == 1) or m.kind == "binary_accuracy"
    multiclass = m.kind == "binary_accuracy" and s.units > 1 and exclusive
    threshold = 0.5 if m.kind == "accuracy" else m.threshold
    if (binary_here and threshold is not None and math.isclose(threshold, 0.5)
            and output_is_logits(s) and not multiclass):
        yield _threshold_on_logits(s, m)
    if multiclass:
        yield _binary_accuracy_multiclass(s, m)
    if m.kind == "accuracy" and s.family == "binary" and s.units > 1:
        if lab is not None and lab.format == "dense" and lab.exclusive:
            yield _bce_one_hot_accuracy(s)
        else:
            yield _accuracy_multilabel(s)


def _threshold_on_logits(s: Subject, m: MetricFacts) -> Finding:
    why = _("BinaryAccuracy compares the output with the threshold; for logits the decision "
            "boundary is 0 (sigmoid(0) = 0.5). Examples with a logit between 0 and 0.5 are "
            "counted as the wrong class, so the reported accuracy is off by up to their share "
            "(lessons 04 and 05 show it on trained models). The loss and the model are fine; "
            "only the number is wrong.")
    if m.kind == "accuracy":
        why = join_sentences([_("Keras 3 picks the accuracy from the shapes: with one output "
                                "unit, \"accuracy\" becomes BinaryAccuracy(threshold=0.5)."),
                              why])
    return finding(
        "accuracy-threshold-on-logits",
        _("The metric {metric} is BinaryAccuracy(threshold=0.5), but the output {desc} is a "
          "logit, not a probability.").format(metric=m.display, desc=s.output.desc),
        why,
        "metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)]   "
        + _("# 0 is the logit of p = 0.5"))


def _binary_accuracy_multiclass(s: Subject, m: MetricFacts) -> Finding:
    return finding(
        "binary-accuracy-multiclass",
        _("The metric {metric} scores each of the {units} units as a separate yes/no, but the "
          "classes are mutually exclusive.").format(metric=m.display, units=s.units),
        _("BinaryAccuracy averages over units: with 10 classes a model that says 'no' to "
          "everything scores 0.9. This is the old 'accuracy looks too good' trap of TF 2.1 "
          "and standalone Keras 2.3 (where the loss chose the metric), still there when "
          "BinaryAccuracy is asked for by name."),
        _("metrics=[\"accuracy\"]   # Keras 3 picks (Sparse)CategoricalAccuracy from shapes"))


def _bce_one_hot_accuracy(s: Subject) -> Finding:
    return finding(
        "bce-one-hot-accuracy",
        _("\"accuracy\" with binary cross-entropy on one-hot multi-class labels: Keras 3 "
          "reports CategoricalAccuracy here, not BinaryAccuracy."),
        _("Keras 3 chooses the accuracy from the shapes of labels and outputs, not from the "
          "loss: {units} units and (N, {units}) labels give CategoricalAccuracy (argmax), so "
          "the number is honest, as in tf.keras from TF 2.2 on. Up to TF 2.1 (standalone Keras "
          "up to 2.3) the loss chose BinaryAccuracy, which averages per-unit hits and looked "
          "far too good (0.9 with 10 classes for a model that predicts nothing); older "
          "tutorials quote such numbers. The loss itself is still the wrong model (see "
          "sigmoid-exclusive-classes).").format(units=s.units),
        _("model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True),\n"
          "              metrics=[\"accuracy\"])   # with keras.layers.Dense(C) logits"))


def _accuracy_multilabel(s: Subject) -> Finding:
    th = "0.0" if output_is_logits(s) else "0.5"
    return finding(
        "accuracy-multilabel-categorical",
        _("With binary cross-entropy on {units} units (several labels per example), the metric "
          "\"accuracy\" becomes CategoricalAccuracy in Keras 3.").format(units=s.units),
        _("Keras 3 picks the accuracy from the shapes, not the loss: labels and outputs of the "
          "same shape (N, {units}) give CategoricalAccuracy, which only checks that the "
          "largest output sits at the first positive label: meaningless for multi-label data. "
          "(tf.keras from TF 2.2 on did the same; up to TF 2.1 and standalone Keras 2.3 the "
          "loss chose BinaryAccuracy.)").format(units=s.units),
        f"metrics=[keras.metrics.BinaryAccuracy(threshold={th})]")


# --- what could not be checked ---------------------------------------------------------------

def coverage_findings(s: Subject) -> Iterator[Finding]:
    if not s.loss.given:
        yield finding(
            "no-loss",
            _("The model is not compiled and no loss was given, so only the output layer was "
              "checked."),
            _("Most mistakes live in the pairing of the output layer with the loss "
              "(from_logits) and the labels."),
            "lossedu.doctor(model, loss=keras.losses.SparseCategoricalCrossentropy("
            "from_logits=True), y=y_train)")
    elif not s.loss.recognised or s.family is None:
        yield finding(
            "loss-not-checked",
            _("The loss {loss} is not one of Keras's cross-entropies, so the from_logits and "
              "label checks were skipped.").format(loss=s.loss.display),
            _("The doctor knows SparseCategoricalCrossentropy, CategoricalCrossentropy, "
              "BinaryCrossentropy (and their focal variants and string names); a custom "
              "function hides whether it expects logits or probabilities."),
            "lossedu.doctor(model, loss=keras.losses.SparseCategoricalCrossentropy("
            "from_logits=True))   " + _("# the loss your function computes"))
    if s.act == "unknown":
        what = (_("The doctor could not tell whether the output '{name}' gives logits or "
                  "probabilities: {note}.") if s.output.note else
                _("The doctor could not tell whether the output '{name}' gives logits or "
                  "probabilities."))
        yield finding(
            "output-not-inspected",
            what.format(name=s.output.name, note=s.output.note),
            _("The from_logits checks need either a readable layer graph or one probe batch "
              "through the model."),
            "lossedu.doctor(model, x=x_train[:32], y=y_train)")
