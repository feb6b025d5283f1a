"""Rules on the labels against the loss and the output: format, range, exclusivity.

They run only when the labels were given (``lossedu.doctor(model, y=y)``).
"""

from __future__ import annotations

from collections.abc import Iterator

from lossedu.diagnosis.codes import (
    dense_loss_fix,
    finding,
    is_cross_entropy,
    number,
    sparse_loss_fix,
)
from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.report import Finding
from lossedu.i18n import _

__all__ = [
    "label_format_findings",
    "label_value_findings",
    "exclusive_classes_bce_findings",
    "multi_hot_cce_findings",
]


def label_format_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.units is None or not is_cross_entropy(s):
        return
    fam, units = s.family, s.units
    if fam == "sparse" and lab.format == "dense" and units > 1:
        yield finding(
            "one-hot-labels-sparse-loss",
            _("The labels have shape {shape}, one column per class (one-hot), but the loss "
              "{loss} expects one integer class id per example, shape {sparse_shape}.").format(
                shape=lab.shape, loss=s.loss.display, sparse_shape=lab.shape[:-1]),
            _("Keras stops with 'Argument `output` must have rank (ndim) `target.ndim - 1`', "
              "which blames the model output although the labels are the problem."),
            _("y = y.argmax(axis=-1)   # class ids\n# or keep the one-hot labels:\n"
              "loss = {loss}").format(loss=dense_loss_fix(s)))
    elif fam == "categorical" and lab.format == "sparse" and units > 1:
        yield finding(
            "sparse-labels-categorical-loss",
            _("The labels are class ids, shape {shape}, but the loss {loss} expects one-hot "
              "rows, shape (N, {units}).").format(shape=lab.shape, loss=s.loss.display,
                                                  units=units),
            _("Keras stops with 'Arguments `target` and `output` must have the same rank' (or "
              "'the same shape' for (N, 1) labels)."),
            _("loss = {loss}\n# or one-hot encode the labels:\n"
              "y = keras.utils.to_categorical(y, num_classes={units})").format(
                loss=sparse_loss_fix(s), units=units))
    elif fam == "binary" and lab.format == "sparse" and units > 1:
        yield finding(
            "sparse-labels-binary-loss",
            _("The labels are class ids, shape {shape}, but binary cross-entropy on {units} "
              "output units expects a 0/1 column per unit, shape (N, {units}).").format(
                shape=lab.shape, units=units),
            _("Keras stops with 'Arguments `target` and `output` must have the same rank'. "
              "Class ids mean one class per example: a softmax cross-entropy is the right "
              "loss."),
            "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)   "
            + _("# with keras.layers.Dense({units})").format(units=units))
    elif lab.format == "dense" and units > 1 and lab.n_values != units:
        yield finding(
            "label-shape-mismatch",
            _("The labels have {columns} columns, shape {shape}, but the output {desc} has "
              "{units} units.").format(columns=lab.n_values, shape=lab.shape,
                                       desc=s.output.desc, units=units),
            _("Keras stops with 'Arguments `target` and `output` must have the same shape'; one "
              "output unit per label column is needed."),
            f"keras.layers.Dense({lab.n_values})")


def _out_of_range_why(backend: str) -> str:
    """What an out-of-range sparse label does, on each backend (this model's named)."""
    return (_("On CPU TensorFlow stops with 'Received a label value of {value} which is "
             "outside the valid range of [0, {units})'. The TensorFlow documentation "
             "says that on GPU there is no check and those rows get a NaN loss instead, "
             "so a run can silently diverge. On the JAX backend there is no error at "
             "all: such a row silently gets a loss of -0.0 and no gradient (this model "
             "runs on JAX: nothing will stop you).") if backend == "jax" else
           _("On CPU TensorFlow stops with 'Received a label value of {value} which is "
             "outside the valid range of [0, {units})'. The TensorFlow documentation "
             "says that on GPU there is no check and those rows get a NaN loss instead, "
             "so a run can silently diverge. On the JAX backend there is no error at "
             "all: such a row silently gets a loss of -0.0 and no gradient."))


def label_value_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.units is None or not is_cross_entropy(s):
        return
    fam, units = s.family, s.units
    lo, hi = lab.vmin, lab.vmax
    if fam == "sparse" and lab.format == "sparse" and units > 1:
        if not lab.integer:
            yield finding(
                "non-integer-sparse-labels",
                _("The loss {loss} needs integer class ids, but the labels contain non-integer "
                  "values such as {example:g}.").format(loss=s.loss.display,
                                                        example=lab.example_fraction),
                _("Keras casts them to integers without a word, truncating towards zero (1.7 "
                  "becomes class 1), so examples silently train towards the wrong class."),
                _("y = np.rint(y).astype('int64')   # if they were meant as class ids\n"
                  "# soft targets need one column per class and\n"
                  "loss = {loss}").format(loss=dense_loss_fix(s)))
        ignore = s.loss.ignore_class
        bad_lo = lo < 0 and not (ignore is not None and lo == ignore)
        bad_hi = hi >= units and not (ignore is not None and hi == ignore)
        if bad_lo or bad_hi:
            why = _out_of_range_why(s.output.backend)
            yield finding(
                "label-out-of-range",
                _("The labels run from {low} to {high}, but the output has {units} units, so "
                  "the valid class ids are 0 to {last}.").format(
                    low=number(lo), high=number(hi), units=units, last=units - 1),
                why.format(value=number(hi if bad_hi else lo), units=units),
                _("keras.layers.Dense({units})   # one unit per class").format(
                    units=int(hi) + 1 if bad_hi else units)
                + ("\n" + _("y = y - 1   # if the labels start at 1") if bad_hi and lo >= 1
                   else ""))
    elif fam == "binary" and (lo < 0 or hi > 1) and not (lab.format == "sparse" and units > 1):
        yield finding(
            "label-out-of-range",
            _("Binary cross-entropy needs labels in [0, 1], but the labels run from {low} to "
              "{high}.").format(low=number(lo), high=number(hi)),
            _("Keras computes -(y log p + (1 - y) log(1 - p)) without checking y: with y outside "
              "[0, 1] it is no longer a likelihood, its minimum is not at p = y, and it can even "
              "go negative. No error is raised."),
            _("# several mutually exclusive classes: one unit per class and\n"
              "keras.layers.Dense({units})\n"
              "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)").format(
                units=int(hi) + 1 if lab.integer and hi >= 1 else "num_classes"))
    elif fam == "categorical" and lab.format == "dense" and (lo < 0 or hi > 1):
        yield finding(
            "label-out-of-range",
            _("Categorical cross-entropy needs label rows that are probability distributions, "
              "but the labels run from {low} to {high}.").format(low=number(lo), high=number(hi)),
            _("Keras does not check: labels such as [2, 0] just double the loss of that row and "
              "the gradient no longer pulls the predictions towards the labels."),
            f"y = keras.utils.to_categorical(class_ids, num_classes={units})")


def exclusive_classes_bce_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.family != "binary":
        return
    if lab.format == "dense" and lab.exclusive and lab.n_values >= 2:
        n, loss = lab.n_values, dense_loss_fix(s)
        how = _("one-hot rows over {columns} columns").format(columns=n)
    elif lab.format == "sparse" and lab.integer and lab.vmin >= 0 and lab.vmax >= 2:
        n = int(lab.vmax) + 1
        how = _("class ids 0 to {last}").format(last=n - 1)
        loss = sparse_loss_fix(s)
    else:
        return
    loss = loss.replace("from_logits=False", "from_logits=True").replace(
        "from_logits=None", "from_logits=True")
    yield finding(
        "sigmoid-exclusive-classes",
        _("The labels are mutually exclusive classes ({how}: exactly one class per example), "
          "but the loss {loss} treats each unit as an independent sigmoid yes/no (binary "
          "cross-entropy).").format(how=how, loss=s.loss.display),
        _("Independent sigmoids do not know that the classes exclude each other: their "
          "probabilities need not sum to 1 and the model has to learn the exclusivity from "
          "data. Softmax cross-entropy builds it in and is the right likelihood for one label "
          "per example."),
        _("keras.layers.Dense({units})   # logits, one unit per class").format(units=n)
        + f"\nloss = {loss}")


def multi_hot_cce_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if (lab is None or s.family != "categorical" or lab.format != "dense" or not lab.multi_hot
            or lab.n_values != s.units):
        return
    yield finding(
        "multi-hot-labels-categorical-loss",
        _("Some label rows have several 1s (or none), but the loss {loss} assumes exactly one "
          "class per example (rows that sum to 1).").format(loss=s.loss.display),
        _("Under a softmax the classes compete for one unit of probability, so the model can "
          "never predict two labels at once; a row with k ones just weights the loss by k, and "
          "a row of zeros contributes nothing. Several labels per example call for one sigmoid "
          "per label."),
        _("keras.layers.Dense({units})   # logits").format(units=s.units) + "\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "metrics = [keras.metrics.BinaryAccuracy(threshold=0.0)]")
