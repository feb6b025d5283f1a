"""Rules on the labels against the output's shape, and on the loss of the untrained model.

They run only when the labels were given (``lossedu.doctor(model, x=x, y=y)``); the loss at
initialisation needs ``x`` too.  No Keras here: :mod:`~lossedu.diagnosis.init_loss` measures.

>>> from lossedu.diagnosis.facts import LabelFacts, LossFacts, OutputFacts, Subject
>>> out = OutputFacts(name="dense", units=10, activation="softmax", rank=4,
...                   shape=(None, 5, 5, 10))
>>> lab = LabelFacts(shape=(40, 10), format="mismatch", integer=True, vmin=0, vmax=1,
...                  n_values=10)
>>> [f.code for f in output_rank_findings(Subject(out, LossFacts("'x'", "categorical", False),
...                                                  lab))]
['output-rank-mismatch']
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from lossedu.diagnosis.codes import finding, is_cross_entropy
from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.report import Finding
from lossedu.diagnosis.wording import join_sentences
from lossedu.i18n import _

__all__ = ["output_rank_findings", "single_unit_columns_findings", "init_loss_findings"]


def output_rank_findings(s: Subject) -> Iterator[Finding]:
    """Labels of one rank, an output of another: most often a forgotten Flatten."""
    lab, out = s.labels, s.output
    if lab is None or out.rank is None or lab.format != "mismatch":
        return
    shape = out.shape or (None,) * out.rank
    expected = ("(N,)" if s.family == "sparse" else f"(N, {out.units})")
    yield finding(
        "output-rank-mismatch",
        _("The output {desc} has shape {shape} (rank {rank}), but the labels have shape "
          "{label_shape} (rank {label_rank}): for one label per example the output must be "
          "(N, units), so the labels would be {expected}.").format(
            desc=out.desc, shape=shape, rank=out.rank, label_shape=lab.shape,
            label_rank=len(lab.shape), expected=expected),
        _("A Dense layer on a rank-3 or rank-4 tensor acts on every position (time step or "
          "pixel) separately, so the model makes one prediction per position. Keras then fails "
          "with 'Arguments `target` and `output` must have the same rank' or, worse, broadcasts "
          "the labels over the positions and trains on nonsense. The layer that turns the "
          "feature maps into one vector per example is missing."),
        _("keras.layers.Flatten()   # (or GlobalAveragePooling2D()) before the Dense head"))


def single_unit_columns_findings(s: Subject) -> Iterator[Finding]:
    """One output unit against labels with several columns (one-hot over C classes)."""
    lab = s.labels
    if lab is None or s.units != 1 or lab.format != "dense" or lab.n_values < 2:
        return
    yield finding(
        "label-shape-mismatch",
        _("The labels have {columns} columns, shape {shape}, but the output {desc} has a "
          "single unit.").format(columns=lab.n_values, shape=lab.shape, desc=s.output.desc),
        _("Keras stops with 'Shapes (None, 1) and (None, {columns}) are incompatible' or "
          "'Arguments `target` and `output` must have the same shape'. One output unit per "
          "label column is needed.").format(columns=lab.n_values),
        _("keras.layers.Dense({units})   # logits, one unit per class").format(
            units=lab.n_values))


def init_loss_findings(s: Subject) -> Iterator[Finding]:
    """The untrained model's loss against what a model that knows nothing scores."""
    r = s.init_loss
    if not r or "value" not in r or not is_cross_entropy(s):
        return
    value, chance, floor = r["value"], r["chance"], r["floor"]
    if not math.isfinite(value):
        yield _init_loss(s, r, _("is not finite"),
                         _("Some outputs are exactly 0 or 1 (or NaN) before any training: the "
                           "loss has no usable gradient from step 1."))
    elif value > chance + max(2.0, chance):
        yield _init_loss(s, r, _("is far above chance"),
                         _("The untrained model is already confidently wrong: its outputs are "
                           "huge (unscaled inputs, a large initialisation) or the loss reads "
                           "logits as probabilities and clips them, so most gradients are "
                           "zero."))
    elif floor > 0.05 and value < 0.25 * floor:
        yield _init_loss(s, r, _("is far below chance"),
                         _("No untrained model can beat a constant guess by that much: the "
                           "loss is not measuring the labels (a softmax over one unit is always "
                           "1, and on JAX a label outside [0, C) silently gives a loss of "
                           "-0.0)."))


def _init_loss(s: Subject, r: dict, how: str, why: str) -> Finding:
    values = dict(loss=s.loss.display, rows=r["rows"], value=r["value"], how=how,
                  reference=r["reference"], chance=r["chance"], floor=r["floor"])
    what = (_("Before training, the loss {loss} on {rows} labelled rows is {value:.3f}, which "
              "{how}: {reference} = {chance:.3f} (the labels' prior entropy is {floor:.3f}).")
            if r["floor"] != r["chance"] else
            _("Before training, the loss {loss} on {rows} labelled rows is {value:.3f}, which "
              "{how}: {reference} = {chance:.3f}."))
    return finding(
        "init-loss-far-from-chance",
        what.format(**values),
        join_sentences([why, _("A healthy untrained classifier scores close to chance.")]),
        "x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)   "
        + _("# inputs of order 1; then recheck the output layer and loss"))
