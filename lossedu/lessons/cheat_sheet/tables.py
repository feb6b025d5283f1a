"""The cheat sheet's data: TF1, TF2, Keras 3, PyTorch and lossedu names side by side.

:data:`TABLES` holds one :class:`Table` per topic, each a tuple of :class:`Row`. The notebook
(``notebooks/06_cheat_sheet.ipynb``), the printable page (:mod:`.render`) and the tests all read
this one source. Nothing here imports TensorFlow, Keras or PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEGEND",
    "NONE",
    "Row",
    "Table",
    "TABLES",
    "table",
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
