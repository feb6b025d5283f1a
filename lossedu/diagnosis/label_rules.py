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
            f"The labels have shape {lab.shape}, one column per class (one-hot), but the loss "
            f"{s.loss.display} expects one integer class id per example, shape {lab.shape[:-1]}.",
            "Keras stops with 'Argument `output` must have rank (ndim) `target.ndim - 1`', which "
            "blames the model output although the labels are the problem.",
            "y = y.argmax(axis=-1)   # class ids\n# or keep the one-hot labels:\n"
            f"loss = {dense_loss_fix(s)}")
    elif fam == "categorical" and lab.format == "sparse" and units > 1:
        yield finding(
            "sparse-labels-categorical-loss",
            f"The labels are class ids, shape {lab.shape}, but the loss {s.loss.display} "
            f"expects one-hot rows, shape (N, {units}).",
            "Keras stops with 'Arguments `target` and `output` must have the same rank' (or "
            "'the same shape' for (N, 1) labels).",
            f"loss = {sparse_loss_fix(s)}\n# or one-hot encode the labels:\n"
            f"y = keras.utils.to_categorical(y, num_classes={units})")
    elif fam == "binary" and lab.format == "sparse" and units > 1:
        yield finding(
            "sparse-labels-binary-loss",
            f"The labels are class ids, shape {lab.shape}, but binary cross-entropy on {units} "
            f"output units expects a 0/1 column per unit, shape (N, {units}).",
            "Keras stops with 'Arguments `target` and `output` must have the same rank'. Class "
            "ids mean one class per example: a softmax cross-entropy is the right loss.",
            f"loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)   "
            f"# with keras.layers.Dense({units})")
    elif lab.format == "dense" and units > 1 and lab.n_values != units:
        yield finding(
            "label-shape-mismatch",
            f"The labels have {lab.n_values} columns, shape {lab.shape}, but the output "
            f"{s.output.desc} has {units} units.",
            "Keras stops with 'Arguments `target` and `output` must have the same shape'; one "
            "output unit per label column is needed.",
            f"keras.layers.Dense({lab.n_values})")


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
                f"The loss {s.loss.display} needs integer class ids, but the labels contain "
                f"non-integer values such as {lab.example_fraction:g}.",
                "Keras casts them to integers without a word, truncating towards zero (1.7 "
                "becomes class 1), so examples silently train towards the wrong class.",
                "y = np.rint(y).astype('int64')   # if they were meant as class ids\n"
                "# soft targets need one column per class and\n"
                f"loss = {dense_loss_fix(s)}")
        ignore = s.loss.ignore_class
        bad_lo = lo < 0 and not (ignore is not None and lo == ignore)
        bad_hi = hi >= units and not (ignore is not None and hi == ignore)
        if bad_lo or bad_hi:
            yield finding(
                "label-out-of-range",
                f"The labels run from {number(lo)} to {number(hi)}, but the output has {units} "
                f"units, so the valid class ids are 0 to {units - 1}.",
                "On CPU TensorFlow stops with 'Received a label value of "
                f"{number(hi if bad_hi else lo)} which is outside the valid range of "
                f"[0, {units})'. "
                "The TensorFlow documentation says that on GPU there is no check and those rows "
                "get a NaN loss instead, so a run can silently diverge. On the JAX backend "
                "there is no error at all: such a row silently gets a loss of -0.0 and no "
                "gradient"
                + (" (this model runs on JAX: nothing will stop you)."
                   if s.output.backend == "jax" else "."),
                f"keras.layers.Dense({int(hi) + 1 if bad_hi else units})   # one unit per class"
                + ("\ny = y - 1   # if the labels start at 1" if bad_hi and lo >= 1 else ""))
    elif fam == "binary" and (lo < 0 or hi > 1) and not (lab.format == "sparse" and units > 1):
        yield finding(
            "label-out-of-range",
            f"Binary cross-entropy needs labels in [0, 1], but the labels run from {number(lo)} "
            f"to {number(hi)}.",
            "Keras computes -(y log p + (1 - y) log(1 - p)) without checking y: with y outside "
            "[0, 1] it is no longer a likelihood, its minimum is not at p = y, and it can even "
            "go negative. No error is raised.",
            "# several mutually exclusive classes: one unit per class and\n"
            f"keras.layers.Dense({int(hi) + 1 if lab.integer and hi >= 1 else 'num_classes'})\n"
            "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    elif fam == "categorical" and lab.format == "dense" and (lo < 0 or hi > 1):
        yield finding(
            "label-out-of-range",
            f"Categorical cross-entropy needs label rows that are probability distributions, "
            f"but the labels run from {number(lo)} to {number(hi)}.",
            "Keras does not check: labels such as [2, 0] just double the loss of that row and "
            "the gradient no longer pulls the predictions towards the labels.",
            f"y = keras.utils.to_categorical(class_ids, num_classes={units})")


def exclusive_classes_bce_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if lab is None or s.family != "binary":
        return
    if lab.format == "dense" and lab.exclusive and lab.n_values >= 2:
        how, n, loss = f"one-hot rows over {lab.n_values} columns", lab.n_values, dense_loss_fix(s)
    elif lab.format == "sparse" and lab.integer and lab.vmin >= 0 and lab.vmax >= 2:
        n = int(lab.vmax) + 1
        how = f"class ids 0 to {n - 1}"
        loss = sparse_loss_fix(s)
    else:
        return
    loss = loss.replace("from_logits=False", "from_logits=True").replace(
        "from_logits=None", "from_logits=True")
    yield finding(
        "sigmoid-exclusive-classes",
        f"The labels are mutually exclusive classes ({how}: exactly one class per example), "
        f"but the loss {s.loss.display} treats each unit as an independent sigmoid yes/no "
        "(binary cross-entropy).",
        "Independent sigmoids do not know that the classes exclude each other: their "
        "probabilities need not sum to 1 and the model has to learn the exclusivity from data. "
        "Softmax cross-entropy builds it in and is the right likelihood for one label per "
        "example.",
        f"keras.layers.Dense({n})   # logits, one unit per class\nloss = {loss}")


def multi_hot_cce_findings(s: Subject) -> Iterator[Finding]:
    lab = s.labels
    if (lab is None or s.family != "categorical" or lab.format != "dense" or not lab.multi_hot
            or lab.n_values != s.units):
        return
    yield finding(
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
