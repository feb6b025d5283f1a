"""The cheat sheet: TF1, TF2, Keras 3, PyTorch and lossedu names side by side, one table per topic.

The tables are plain Python data (:data:`TABLES`), so three things share one source:

* ``notebooks/06_cheat_sheet.ipynb`` shows each table with :func:`show` and, under it, runs
  every row through a :class:`SheetCheck` that asserts TF1, TF2, Keras and lossedu agree;
* the printable page, :func:`render_html` (and :func:`render_markdown`), which ``make html``
  writes with :func:`write_cheatsheet`;
* the tests.

Nothing here imports TensorFlow, Keras or PyTorch: the checker compares whatever arrays the
notebook hands it, with NumPy.

>>> print(render_table_markdown("reductions").splitlines()[0])
### Reductions and sample weights
>>> render_html().startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html
import importlib.util
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEGEND",
    "NONE",
    "Row",
    "Table",
    "TABLES",
    "table",
    "render_table_markdown",
    "render_markdown",
    "render_html",
    "write_cheatsheet",
    "show",
    "torch_available",
    "SheetCheck",
    "TableCheck",
    "captured_tf_logs",
    "check_tf1_port",
    "solution_tf1_port",
    "check_torch_port",
    "solution_torch_port",
]

COLUMNS = ("tf1", "tf2", "keras", "torch", "lossedu")
"""The five name columns, in table order."""

HEADERS = {
    "what": "",
    "tf1": "TF1 (1.x)",
    "tf2": "TF2 (`tf.nn`, `tf.math`)",
    "keras": "Keras 3 `(y_true, y_pred)`",
    "torch": "PyTorch `(input, target)` ‡",
    "lossedu": "lossedu",
    "trap": "⚠ trap",
}
"""Column headings, keyed by :class:`Row` field."""

NAMES = {"tf1": "TF1", "tf2": "TF2", "keras": "Keras", "torch": "PyTorch", "lossedu": "lossedu"}

NONE = "—"
"""A cell with no equivalent at all (nothing to check)."""

LEGEND = (
    "`z` logits (B, C) · `p` probabilities · `y` one-hot or 0/1 labels (B, C) · "
    "`i` class indices (B,) · `l` per-example losses · `w` sample weights · "
    "`s` label smoothing · `C` classes · `F` = `torch.nn.functional`. "
    "TF1 names still run in TF 2.21 as `tf.compat.v1.<name>`; the notebook runs them there. "
    "† stated from the documentation, not run. "
    "‡ run only where PyTorch is installed (the committed notebook ran without it)."
)


@dataclass(frozen=True)
class Row:
    """One row: the same operation in each library, and the trap to flag.

    Cell text is Markdown-lite: backticks for code, ``\\n`` for a line break. ``documented``
    names the columns whose entry is stated from documentation only (TF 1.x behaviour that
    TF 2.21 no longer has); their text carries a ``†``. Every other cell except :data:`NONE`
    must be backed by a check in the notebook.
    """

    key: str
    what: str
    tf1: str
    tf2: str
    keras: str
    torch: str
    lossedu: str
    trap: str = ""
    documented: tuple[str, ...] = ()

    def cell(self, column: str) -> str:
        return getattr(self, column)

    def checkable(self, column: str) -> bool:
        """True when the notebook must back this cell with a check that runs."""
        return self.cell(column) != NONE and column not in self.documented


@dataclass(frozen=True)
class Table:
    """One topic: a title, a one-line note, its rows."""

    key: str
    title: str
    note: str
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(f"table {self.key!r} has no row {key!r}; rows: "
                       + ", ".join(r.key for r in self.rows))


TABLES: tuple[Table, ...] = (
    Table("activations", "Activations, logs and one-hot",
          "Element-wise or along the class axis; same values everywhere.", (
        Row("evaluate", "get a value out",
            "`with tf.Session() as s:`\n`s.run(t)`",
            "`t.numpy()` (eager)",
            "`keras.ops.convert_to_numpy(t)`",
            "`t.detach().numpy()`",
            "returns NumPy arrays",
            "TF1 builds a graph: nothing runs until `Session.run`"),
        Row("sigmoid", "sigmoid",
            "`tf.sigmoid(z)`", "`tf.math.sigmoid(z)`", "`keras.ops.sigmoid(z)`",
            "`torch.sigmoid(z)`", "`lossedu.sigmoid(z)`"),
        Row("logit", "logit (log-odds)",
            "— write `tf.log(p / (1 - p))`",
            "— no `tf.math.logit`:\n`tf.math.log(p) - tf.math.log1p(-p)`",
            "— no `keras.ops.logit`:\n`keras.ops.log(p / (1 - p))`",
            "`torch.logit(p)`", "`lossedu.logit(p)`",
            "only PyTorch and lossedu have a `logit` function"),
        Row("log", "natural log",
            "`tf.log(x)`", "`tf.math.log(x)`", "`keras.ops.log(x)`", "`torch.log(x)`",
            "`np.log(x)`",
            "`tf.log` is gone in TF2 (`AttributeError`)"),
        Row("softmax", "softmax",
            "`tf.nn.softmax(z, dim=-1)`", "`tf.nn.softmax(z, axis=-1)`",
            "`keras.ops.softmax(z, axis=-1)`", "`F.softmax(z, dim=1)`",
            "`lossedu.softmax(z, axis=-1)`",
            "`dim` became `axis`; PyTorch's class axis is 1 for (N, C, …), TF's the last"),
        Row("log_softmax", "log-softmax",
            "`tf.nn.log_softmax(z, dim=-1)`", "`tf.nn.log_softmax(z, axis=-1)`",
            "`keras.ops.log_softmax(z, axis=-1)`", "`F.log_softmax(z, dim=1)`",
            "`lossedu.log_softmax(z)`",
            "not `tf.log(tf.nn.softmax(z))`: `-inf` once a probability underflows"),
        Row("logsumexp", "log-sum-exp",
            "`tf.reduce_logsumexp(z, -1, keep_dims=True)`",
            "`tf.reduce_logsumexp(z, -1, keepdims=True)`",
            "`keras.ops.logsumexp(z, -1, keepdims=True)`",
            "`torch.logsumexp(z, 1, keepdim=True)`",
            "`lossedu.logsumexp(z, -1, keepdims=True)`",
            "`keep_dims` → `keepdims`; PyTorch says `keepdim`"),
        Row("one_hot", "one-hot",
            "`tf.one_hot(i, depth)`", "`tf.one_hot(i, depth)`",
            "`keras.ops.one_hot(i, C)`\n`keras.utils.to_categorical(i, C)`",
            "`F.one_hot(i, C)` (int64)", "`lossedu.one_hot(i, depth)`",
            "an index ≥ depth gives an all-zero row in TF, silently; lossedu raises"),
    )),
    Table("softmax_ce", "Softmax cross-entropy from logits: one-hot and sparse labels",
          "One loss per example, shape (B,). The Stack Overflow question: y = [[0,1,0],[0,0,1]], "
          "z = [[0.5,1.5,0.1],[2.2,1.3,1.7]] give [0.4790107, 1.1996760].", (
        Row("one_hot", "one-hot labels",
            "`tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)`",
            "`tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)`",
            "`keras.losses.categorical_crossentropy(y, z, from_logits=True)`",
            "`F.cross_entropy(z, y, reduction='none')` (probability targets, torch ≥ 1.10)",
            "`lossedu.softmax_cross_entropy_with_logits(y, z)`",
            "the result has shape (B,), not (B, 1) as the cnblogs post says"),
        Row("v2", "`_v2` naming",
            "`…_with_logits`: no gradient into `labels`, deprecated\n"
            "`…_with_logits_v2`: gradient into `labels`",
            "`tf.nn.softmax_cross_entropy_with_logits` is the old `_v2`; "
            "`tf.nn.…_v2` no longer exists",
            NONE, NONE,
            "the TF2 name, `softmax_cross_entropy_with_logits`",
            "drop `_v2` when porting; there is no sparse `_v2`"),
        Row("sparse", "sparse labels",
            "`tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=z)`",
            "`tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=z)`",
            "`keras.losses.sparse_categorical_crossentropy(i, z, from_logits=True)`",
            "`F.cross_entropy(z, i, reduction='none')` (`i` int64)",
            "`lossedu.sparse_softmax_cross_entropy_with_logits(i, z)`",
            "labels are int32/int64 class indices in [0, C)"),
        Row("sparse_shape", "sparse label shape",
            "`i` of shape (B,): rank of logits − 1;\n(B, 1) → `ValueError`",
            "`i` of shape (B,): rank of logits − 1;\n(B, 1) → `ValueError`",
            "squeezes a trailing 1: (B, 1) works",
            "`i` of shape (N,); (N, 1) → `RuntimeError`",
            "tf.nn-style: (B, 1) → `LabelShapeError` with the fix\nKeras-style: squeezes",
            "the cnblogs post's `[batch_size, 1]` labels fail in tf.nn: `i.squeeze(-1)`"),
        Row("order", "argument order",
            "keyword-only: a `_sentinel` first parameter refuses positional calls †",
            "`(labels, logits)`: positional works, keywords read better",
            "`(y_true, y_pred)`",
            "`(input, target)`: logits first",
            "`(labels, logits)`, `(y_true, y_pred)` as in TF and Keras",
            "PyTorch reverses the order: pass keywords when porting",
            documented=("tf1",)),
        Row("distribution", "labels not a distribution",
            "not checked: a row `[0, 2, 0]` doubles the loss",
            "not checked: a row `[0, 2, 0]` doubles the loss",
            "not checked: a row `[0, 2, 0]` doubles the loss", "not checked †",
            "`LabelValueError` (`validate=False` to skip)",
            "softmax CE assumes each label row sums to 1",
            documented=("torch",)),
    )),
    Table("sigmoid_ce", "Sigmoid cross-entropy: independent yes/no labels (multi-label)",
          "`y` has the logits' shape; each entry is 0/1 (or a probability).", (
        Row("elementwise", "element-wise loss (B, C)",
            "`tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)`",
            "`tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)`",
            "`keras.ops.binary_crossentropy(y, z, from_logits=True)`",
            "`F.binary_cross_entropy_with_logits(z, y, reduction='none')`",
            "`lossedu.sigmoid_cross_entropy_with_logits(y, z)`",
            "for mutually exclusive classes use softmax CE: summed binary CE is another model "
            "(the Stack Overflow question)"),
        Row("per_example", "one loss per example (B,)",
            "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…), -1)`",
            "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…), -1)`",
            "`keras.losses.binary_crossentropy(y, z, from_logits=True)`",
            "`F.binary_cross_entropy_with_logits(z, y, reduction='none').mean(1)`",
            "`lossedu.binary_crossentropy(y, z, from_logits=True)`",
            "the Keras function averages over the last axis: (B,), not (B, C)"),
        Row("scalar", "one number",
            "`tf.losses.sigmoid_cross_entropy(y, z)`",
            "`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…))`",
            "`keras.losses.BinaryCrossentropy(from_logits=True)(y, z)`",
            "`nn.BCEWithLogitsLoss()(z, y)`",
            "`lossedu.reduce_loss(lossedu.binary_crossentropy(y, z, True))`"),
        Row("probabilities", "from probabilities",
            "`tf.losses.log_loss(y, p)` (adds ε = 1e-7 inside the log)",
            "— `tf.nn` takes logits only",
            "`keras.losses.binary_crossentropy(y, p)`: clips `p` to [1e-7, 1 − 1e-7]",
            "`F.binary_cross_entropy(p, y)` (clamps the log at −100)",
            "`lossedu.binary_crossentropy(y, p)`",
            "`from_logits=False` is the Keras default: it wants probabilities"),
    )),
    Table("keras_losses", "Keras loss classes and functions",
          "Keras functions return one loss per example; classes reduce to one number.", (
        Row("categorical", "one-hot, from logits",
            "`tf.losses.softmax_cross_entropy(y, z)`",
            "`tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z))`",
            "`keras.losses.CategoricalCrossentropy(from_logits=True)(y, z)`",
            "`nn.CrossEntropyLoss()(z, y)`",
            "`lossedu.reduce_loss(lossedu.categorical_crossentropy(y, z, True))`"),
        Row("sparse", "sparse, from logits",
            "`tf.losses.sparse_softmax_cross_entropy(i, z)`",
            "`tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, "
            "logits=z))`",
            "`keras.losses.SparseCategoricalCrossentropy(from_logits=True)(i, z)`",
            "`nn.CrossEntropyLoss()(z, i)`",
            "`lossedu.reduce_loss(lossedu.sparse_categorical_crossentropy(i, z, True))`",
            "PyTorch's `CrossEntropyLoss` always takes logits: it has no `from_logits`"),
        Row("probabilities", "from probabilities",
            "`-tf.reduce_sum(y * tf.log(tf.clip_by_value(p, 1e-10, 1.0)), 1)` "
            "(the PoorMemory post)",
            "— `tf.nn` takes logits only",
            "`keras.losses.categorical_crossentropy(y, p)`: normalises, clips to "
            "[1e-7, 1 − 1e-7]",
            "`F.nll_loss(torch.log(p), i, reduction='none')`",
            "`lossedu.categorical_crossentropy(y, p)`",
            "`from_logits=False` is the default: fed raw logits, Keras trains silently badly, "
            "the loss stuck near log 10 ≈ 2.30 and 15–50 % test accuracy instead of about 87 % "
            "(lesson 05)"),
        Row("shapes", "function or object",
            "`tf.losses.*` return the mean; `reduction=Reduction.NONE` per example",
            "`tf.nn.*` return (B,)",
            "`keras.losses.sparse_categorical_crossentropy(…)` → (B,)\n"
            "`keras.losses.SparseCategoricalCrossentropy(…)(…)` → scalar",
            "`F.cross_entropy(…)` → scalar\n`reduction='none'` → (N,)",
            "`lossedu.sparse_categorical_crossentropy` → (B,)\n`lossedu.reduce_loss` → scalar",
            "Keras functions do not reduce; PyTorch functions do"),
    )),
    Table("reductions", "Reductions and sample weights",
          "Per-example losses `l` for three examples, weights `w = [1, 0.5, 0]`.", (
        Row("default", "default reduction",
            "`tf.losses.*`: `Reduction.SUM_BY_NONZERO_WEIGHTS`",
            "— `tf.nn` never reduces: `tf.reduce_mean(l)`",
            "`\"sum_over_batch_size\"` (= `\"mean\"`)",
            "`reduction='mean'`",
            "`lossedu.reduce_loss(l)`",
            "without weights all of them give the mean"),
        Row("weighted", "with sample weights",
            "`tf.losses.…(…, weights=w)`: `sum(w·l) / count(w ≠ 0)`",
            "`tf.reduce_sum(w * l) / tf.size(l)`",
            "`loss(y, z, sample_weight=w)`: `sum(w·l) / B`, not `/ sum(w)`",
            "no sample weights (`weight=` is per class): `(l * w).mean()`",
            "`lossedu.reduce_loss(l, sample_weight=w)`",
            "three divisors: TF1 counts nonzero weights, Keras counts examples"),
        Row("weighted_mean", "divide by `sum(w)`",
            "`reduction=tf.losses.Reduction.MEAN`",
            "`tf.reduce_sum(w * l) / tf.reduce_sum(w)`",
            "`reduction=\"mean_with_sample_weight\"`",
            "`(l * w).sum() / w.sum()`",
            "`lossedu.reduce_loss(l, \"mean_with_sample_weight\", w)`"),
        Row("sum", "sum",
            "`reduction=tf.losses.Reduction.SUM`", "`tf.reduce_sum(l)`",
            "`reduction=\"sum\"`", "`reduction='sum'`",
            "`lossedu.reduce_loss(l, \"sum\")`"),
        Row("none", "no reduction",
            "`reduction=tf.losses.Reduction.NONE`", "`tf.nn.*` (per example)",
            "`reduction=None` or `\"none\"`", "`reduction='none'`",
            "`lossedu.reduce_loss(l, None)`"),
        Row("auto", "`Reduction.AUTO`",
            "`tf.keras.losses.Reduction.AUTO`: the `tf.keras` default †",
            "`tf.keras.losses.Reduction.AUTO` still exists in TF 2.21, but Keras 3 rejects "
            "it: `ValueError`",
            "`keras.losses.Reduction` is gone; `reduction=\"auto\"` → `ValueError`",
            NONE,
            "`lossedu.reduce_loss(l, \"auto\")` → `ReductionError` with the fix",
            "removed in Keras 3: delete the argument; its meaning is now the default "
            "`\"sum_over_batch_size\"`",
            documented=("tf1",)),
    )),
    Table("label_smoothing", "Label smoothing: `y · (1 − s) + s / C`",
          "`s = 0.1`; binary labels use C = 2.", (
        Row("categorical", "one-hot CE",
            "`tf.losses.softmax_cross_entropy(y, z, label_smoothing=s)`",
            "no argument: `labels=y * (1 - s) + s / C`",
            "`CategoricalCrossentropy(from_logits=True, label_smoothing=s)`",
            "`nn.CrossEntropyLoss(label_smoothing=s)` (torch ≥ 1.10)",
            "`lossedu.categorical_crossentropy(y, z, True, label_smoothing=s)`"),
        Row("binary", "sigmoid / binary CE",
            "`tf.losses.sigmoid_cross_entropy(y, z, label_smoothing=s)`",
            "no argument: `labels=y * (1 - s) + s / 2`",
            "`BinaryCrossentropy(from_logits=True, label_smoothing=s)`",
            "no argument: smooth `target` yourself",
            "`lossedu.binary_crossentropy(y, z, True, label_smoothing=s)`",
            "C = 2 here: labels move to s/2 and 1 − s/2"),
        Row("sparse", "sparse labels",
            "no `label_smoothing` in `tf.losses.sparse_softmax_cross_entropy` (`TypeError`)",
            "`tf.one_hot(i, C)` first, then as above",
            "no `label_smoothing` in `SparseCategoricalCrossentropy` (`TypeError`): "
            "one-hot, then `CategoricalCrossentropy`",
            "`nn.CrossEntropyLoss(label_smoothing=s)` works with class indices",
            "none either (`TypeError`): `categorical_crossentropy(one_hot(i, C), z, True, "
            "label_smoothing=s)`",
            "absent from the sparse Keras loss; PyTorch has it"),
    )),
    Table("ignore_class", "Ignoring a class (padding, unlabelled examples)",
          "Labels `i = [2, -100, 0]`: the middle example must not count.", (
        Row("argument", "the argument",
            "none: `weights=mask` with `mask = i != -100`, and a valid index in place of -100",
            "none: replace -100 by 0, then `tf.reduce_sum(mask * l) / tf.reduce_sum(mask)`",
            "`SparseCategoricalCrossentropy(ignore_class=None)`: off unless you set it",
            "`nn.CrossEntropyLoss(ignore_index=-100)`: on by default",
            "`sparse_categorical_crossentropy(i, z, True, ignore_class=-100)`, then "
            "`reduce_loss(…, mask=i != -100)`",
            "PyTorch ignores -100 by default; Keras ignores nothing unless `ignore_class` is set"),
        Row("per_example", "per-example output",
            "`tf.losses.…(…, weights=mask, reduction=Reduction.NONE)`: 0 where ignored",
            "`l * mask`",
            "`sparse_categorical_crossentropy(…, ignore_class=-100)`: 0 where ignored",
            "`reduction='none'`: 0 where ignored",
            "0 where ignored",
            "the mean divides by the kept examples, not by B"),
        Row("unhandled", "a -100 label, not ignored",
            "`InvalidArgumentError` (CPU)",
            "`InvalidArgumentError` on CPU; NaN rows on GPU †",
            "`InvalidArgumentError` (CPU)",
            "ignored: `ignore_index=-100` is the default",
            "`LabelValueError` with the fix",
            "padding copied from PyTorch code crashes TF on CPU"),
    )),
)
"""Every table, in the order the notebook and the printable page show them."""


def table(key: str) -> Table:
    """The table called ``key`` (``"activations"``, ``"reductions"``, …)."""
    for t in TABLES:
        if t.key == key:
            return t
    raise KeyError(f"no table {key!r}; tables: " + ", ".join(t.key for t in TABLES))


# --- rendering -----------------------------------------------------------------------------

def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_table_markdown(key: str) -> str:
    """One table as Markdown: a ``###`` title, its note, the table."""
    t = table(key)
    fields = ("what", *COLUMNS, "trap")
    lines = [f"### {t.title}", "", t.note, "",
             "| " + " | ".join(_md_cell(HEADERS[f]) for f in fields) + " |",
             "|" + "|".join("---" for _ in fields) + "|"]
    for r in t.rows:
        lines.append("| " + " | ".join(_md_cell(getattr(r, f)) for f in fields) + " |")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The whole cheat sheet as one Markdown document (no code to run)."""
    parts = ["# lossedu cheat sheet: classification losses across TF1, TF2, Keras 3, PyTorch",
             "", LEGEND, ""]
    parts += [render_table_markdown(t.key) for t in TABLES]
    return "\n".join(parts)


_CODE = re.compile(r"`([^`]+)`")


def _code_html(code: str) -> str:
    """Code with break opportunities after dots, underscores, commas and brackets."""
    return re.sub(r"([._,(=])(?=\w)", r"\1<wbr>", code)


def _html_cell(text: str) -> str:
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f"<code>{_code_html(m.group(1))}</code>", out)
    return out.replace("\n", "<br>")


_CSS = """
@page { size: A4 landscape; margin: 7mm; }
body { font: 6.6pt/1.22 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 290mm; }
h1 { font-size: 10pt; margin: 0 0 2pt; }
h2 { font-size: 7.6pt; margin: 5pt 0 1pt; }
p { margin: 0 0 2pt; }
p.note { color: #444; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.4pt solid #aaa; padding: 0.8pt 2.5pt; vertical-align: top;
         text-align: left; overflow-wrap: break-word; }
section { break-inside: avoid; page-break-inside: avoid; }
th { background: #eef1f5; font-weight: 600; }
td.what { font-weight: 600; }
td.trap { color: #9a1d12; }
code { font: 6.1pt/1.2 "DejaVu Sans Mono", Consolas, monospace; }
col.what { width: 8%; } col.tf1, col.tf2, col.keras { width: 16.5%; }
col.torch { width: 13.5%; } col.lossedu { width: 14%; } col.trap { width: 15%; }
""".strip()


def render_html() -> str:
    """The printable page: every table as standalone HTML (inline CSS, no scripts, no code).

    Pure: the same string every time, no TensorFlow, no files. Styled for A4 landscape: two
    printed pages (one on A3), no table split across pages.
    """
    fields = ("what", *COLUMNS, "trap")
    body = ["<h1>lossedu cheat sheet: classification losses across TF1, TF2, Keras 3, "
            "PyTorch and lossedu</h1>", f"<p>{_html_cell(LEGEND)}</p>"]
    for t in TABLES:
        body.append(f'<section><h2 id="{t.key}">{_html_cell(t.title)}</h2>')
        body.append(f'<p class="note">{_html_cell(t.note)}</p>')
        body.append("<table>")
        body.append("<colgroup>" + "".join(f'<col class="{f}">' for f in fields)
                    + "</colgroup>")
        body.append("<thead><tr>" + "".join(f"<th>{_html_cell(HEADERS[f])}</th>"
                                            for f in fields) + "</tr></thead>")
        body.append("<tbody>")
        for r in t.rows:
            cells = "".join(f'<td class="{f}">{_html_cell(getattr(r, f))}</td>' for f in fields)
            body.append(f"<tr>{cells}</tr>")
        body.append("</tbody></table></section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>lossedu cheat sheet</title>\n<style>\n" + _CSS + "\n</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def write_cheatsheet(path) -> Path:
    """Write the printable page to ``path``: HTML for ``.html``/``.htm``, Markdown for ``.md``.

    Creates the parent folders; writes to a temporary file first, so no half-written page is
    left behind. Returns the path.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_html()
    elif suffix == ".md":
        text = render_markdown()
    else:
        raise ValueError(f"Bad `path`: got a {suffix or 'missing'!r} suffix.\n"
                         "  expected: a .html, .htm or .md file\n"
                         "  fix: write_cheatsheet('build/html/cheat_sheet.html')")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def show(key: str):
    """Display one table in a notebook (an ``IPython.display.Markdown`` object)."""
    from IPython.display import Markdown

    return Markdown(render_table_markdown(key))


# --- checking -------------------------------------------------------------------------------

def torch_available() -> bool:
    """True when PyTorch can be imported here (it is never required)."""
    return importlib.util.find_spec("torch") is not None


@contextmanager
def captured_tf_logs() -> Iterator[list[str]]:
    """Collect what TensorFlow logs (its deprecation notices) instead of printing to stderr.

    Yields a list that fills with each message, minus the ``From <file>:<line>:`` prefix,
    which names a machine path.
    """
    logger = logging.getLogger("tensorflow")
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record):
            text = record.getMessage()
            messages.append(re.sub(r"^From \S+:\d+: ", "", text).strip())

    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers = [_Collect()]
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.handlers = handlers
        logger.propagate = propagate


def _to_numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    elif hasattr(value, "numpy"):  # an eager TF tensor
        value = value.numpy()
    return np.asarray(value, dtype=np.float64)


def _fmt(arr: np.ndarray) -> str:
    text = np.array2string(np.round(arr, 4) + 0.0, precision=4, separator=" ",
                           max_line_width=10_000, suppress_small=True)
    return re.sub(r"\s+", " ", text).replace("[ ", "[").replace(" ]", "]")


def _first_line(text: str, limit: int = 110) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class TableCheck:
    """The checks under one table. Use as a context manager; leaving it asserts coverage.

    Every entry point takes the row key and implementations keyed by column (``tf1``, ``tf2``,
    ``keras``, ``torch``, ``lossedu``). A value may be an array, a TF or torch tensor, or a
    zero-argument callable; ``torch`` entries are called only when PyTorch is installed.
    """

    def __init__(self, tab: Table, torch: bool, log: Callable[[str], None] = print):
        self.table = tab
        self.torch = torch
        self.checked: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self.skipped: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self._log = log

    def __enter__(self) -> TableCheck:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.finish()
        return False

    def _resolve(self, row: Row, impls: dict) -> dict:
        unknown = set(impls) - set(COLUMNS)
        if unknown:
            raise TypeError(f"unknown column(s) {sorted(unknown)}; columns are {COLUMNS}")
        for col in impls:
            if row.cell(col) == NONE:
                raise AssertionError(f"{self.table.key}/{row.key}: the {NAMES[col]} cell says "
                                     "there is no equivalent, yet a check was given for it")
        if "torch" in impls and not self.torch:
            impls = {k: v for k, v in impls.items() if k != "torch"}
            self.skipped[row.key].add("torch")
        return impls

    def agree(self, row_key: str, *, expected=None, rtol: float = 1e-6, atol: float = 1e-6,
              **impls) -> np.ndarray:
        """Assert that every implementation gives the same array (and ``expected``, if given)."""
        row = self.table.row(row_key)
        if not impls:
            raise TypeError("agree() needs at least one implementation")
        impls = self._resolve(row, impls)
        if not impls:  # only PyTorch, and it is not installed
            return None
        values = {}
        for col, impl in impls.items():
            values[col] = _to_numpy(impl() if callable(impl) else impl)
        if expected is not None:
            ref_name, ref = "expected", _to_numpy(expected)
        else:
            first = next(iter(values))
            ref_name, ref = NAMES[first], values[first]
        for col, val in values.items():
            where = f"{self.table.key}/{row.key}: {NAMES[col]}"
            assert val.shape == ref.shape, f"{where} has shape {val.shape}, {ref_name} {ref.shape}"
            assert np.allclose(val, ref, rtol=rtol, atol=atol, equal_nan=True), (
                f"{where} gives {_fmt(val)}, {ref_name} {_fmt(ref)}")
        self.checked[row.key].update(values)
        names = ", ".join(NAMES[c] for c in values)
        verb = "agree" if len(values) > 1 else "gives"
        self._log(f"✓ {row.key}: {names} {verb} {_fmt(ref)}")
        return ref

    def raises(self, row_key: str, exc, match: str | None = None, **impls) -> None:
        """Assert that every callable raises ``exc`` (a message matching ``match``)."""
        row = self.table.row(row_key)
        impls = self._resolve(row, impls)
        if not impls:
            return
        shown = kind = ""
        for col, impl in impls.items():
            where = f"{self.table.key}/{row.key}: {NAMES[col]}"
            try:
                impl()
            except exc as err:
                msg = str(err)
                if match is not None:
                    found = re.search(match, msg)
                    assert found, f"{where} raised {type(err).__name__}, but {msg!r} " \
                                  f"does not match {match!r}"
                    shown = found.group(0)
                else:
                    shown = _first_line(msg)
                kind = type(err).__name__
            else:
                raise AssertionError(f"{where} was expected to raise {exc}, and did not")
        self.checked[row.key].update(impls)
        names = ", ".join(NAMES[c] for c in impls)
        verb = "raise" if len(impls) > 1 else "raises"
        self._log(f"✓ {row.key}: {names} {verb} {kind}: {shown}")

    def fact(self, row_key: str, column: str, ok, claim: str) -> None:
        """Assert a claim about one cell that is not a number (a name exists, a default…).

        ``ok`` is a bool, or a callable returning one (needed for ``torch``).
        """
        row = self.table.row(row_key)
        if not self._resolve(row, {column: None}):
            return
        if callable(ok):
            ok = ok()
        assert ok, f"{self.table.key}/{row.key} ({NAMES[column]}): not true that {claim}"
        self.checked[row.key].add(column)
        self._log(f"✓ {row.key} ({NAMES[column]}): {claim}")

    def missing(self) -> list[str]:
        """The checkable cells (row/column) that no check has covered yet."""
        out = []
        for r in self.table.rows:
            for col in COLUMNS:
                if col == "torch" and not self.torch:
                    continue
                if r.checkable(col) and col not in self.checked[r.key]:
                    out.append(f"{r.key}/{NAMES[col]}")
        return out

    def finish(self) -> None:
        """Assert that every checkable cell was checked, and print a one-line summary."""
        gaps = self.missing()
        assert not gaps, f"table {self.table.key!r}: no check ran for " + ", ".join(gaps)
        n = sum(len(c - {"torch"}) for c in self.checked.values())
        doc = sum(1 for r in self.table.rows for c in r.documented)
        torch_cells = sum(1 for r in self.table.rows if r.checkable("torch"))
        line = (f"{self.table.key}: all {len(self.table.rows)} rows checked "
                f"({n} TF1/TF2/Keras/lossedu cells"
                + (f", {doc} documented only †" if doc else "") + ")")
        if self.torch:
            line += f"; PyTorch: {torch_cells} cells checked"
        else:
            line += f"; PyTorch not installed: {torch_cells} cells not run ‡"
        self._log(line)


class SheetCheck:
    """All the tables' checks for one notebook run, and the coverage report at the end.

    >>> sheet = SheetCheck(torch=False, log=lambda line: None)
    >>> with sheet.table("activations") as check:
    ...     pass  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: table 'activations': no check ran for evaluate/TF1, ...
    """

    def __init__(self, torch: bool | None = None, log: Callable[[str], None] = print):
        self.torch = torch_available() if torch is None else bool(torch)
        self._log = log
        self.done: dict[str, TableCheck] = {}

    def table(self, key: str) -> TableCheck:
        check = TableCheck(table(key), self.torch, self._log)
        self.done[key] = check
        return check

    def report(self) -> str:
        """A grid: ✓ checked, † documented only, ‡ PyTorch not installed, — no equivalent."""
        width = max(len(f"{t.key}/{r.key}") for t in TABLES for r in t.rows)
        lines = [f"{'table/row':{width}s}  " + "  ".join(f"{NAMES[c]:>7s}" for c in COLUMNS)]
        for t in TABLES:
            check = self.done.get(t.key)
            for r in t.rows:
                marks = []
                for c in COLUMNS:
                    if r.cell(c) == NONE:
                        mark = "—"
                    elif c in r.documented:
                        mark = "†"
                    elif check is not None and c in check.checked[r.key]:
                        mark = "✓"
                    elif c == "torch" and not self.torch:
                        mark = "‡"
                    else:
                        mark = "MISSING"
                    marks.append(f"{mark:>7s}")
                lines.append(f"{t.key + '/' + r.key:{width}s}  " + "  ".join(marks))
        return "\n".join(lines)

    def assert_complete(self) -> None:
        """Assert that every table was checked and no checkable cell was left out."""
        absent = [t.key for t in TABLES if t.key not in self.done]
        assert not absent, "tables never checked: " + ", ".join(absent)
        gaps = [f"{k}: {g}" for k, c in self.done.items() for g in c.missing()]
        assert not gaps, "cells never checked: " + "; ".join(gaps)


# --- exercises: port old code --------------------------------------------------------------

def _question_inputs():
    """The Stack Overflow question's one-hot labels and logits."""
    y = np.array([[0, 1, 0], [0, 0, 1]], np.float32)
    z = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]], np.float32)
    return y, z


def check_tf1_port(fn):
    """Check a TF2 port of the Stack Overflow question's TF1 loss: ``fn(y_true, logits)``.

    One loss per example comes back.

    The TF1 original: ``-tf.reduce_sum(y_true * tf.log(tf.nn.softmax(logits)), 1)``.
    """
    from lossedu.exercises import Case, run_checks
    from lossedu.losses import softmax_cross_entropy_with_logits

    y, z = _question_inputs()
    big = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]], np.float32)
    big_y = np.array([[0, 1, 0], [0, 1, 0]], np.float32)
    cases = [
        Case("the Stack Overflow question's inputs", (y, z),
             np.array([0.4790107, 1.19967598]), atol=1e-5),
        Case("large logits [1000, 0, -1000], label on the middle class", (big_y, big),
             softmax_cross_entropy_with_logits(big_y, big),
             hint="log(softmax(z)) underflows to log(0); use "
                  "tf.nn.softmax_cross_entropy_with_logits(labels=..., logits=...)"),
        Case("one row", (y[:1], z[:1]), np.array([0.4790107]), atol=1e-5,
             hint="return one loss per example, shape (B,)"),
    ]
    return run_checks(fn, cases, title="TF1 → TF2 port")


def solution_tf1_port(y_true, logits):
    """Reference: the TF2 call, stable at any logits."""
    import tensorflow as tf

    return tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=logits)


def check_torch_port(fn):
    """Check a Keras port of ``F.cross_entropy(logits, target)`` (mean, ``ignore_index=-100``).

    ``fn(logits, target)`` must return one number: the mean loss over the targets that are not
    -100, as PyTorch's default does.
    """
    from lossedu.exercises import Case, run_checks
    from lossedu.losses import sparse_softmax_cross_entropy_with_logits

    _, z = _question_inputs()
    z3 = np.vstack([z, [[0.0, 1.0, -1.0]]]).astype(np.float32)
    kept = sparse_softmax_cross_entropy_with_logits(np.array([1, 2, 0]), z3)
    cases = [
        Case("no padding", (z3, np.array([1, 2, 0])), np.float32(kept.mean()), atol=1e-6),
        Case("the middle target is -100", (z3, np.array([1, -100, 0])),
             np.float32((kept[0] + kept[2]) / 2), atol=1e-6,
             hint="PyTorch ignores -100 by default; Keras needs ignore_class=-100"),
    ]
    return run_checks(fn, cases, title="PyTorch → Keras port")


def solution_torch_port(logits, target):
    """Reference: Keras's loss object with ``ignore_class=-100``."""
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)
    return loss(target, logits)
