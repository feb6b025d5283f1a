"""The cheat sheet's schema: the columns, the legend, and the :class:`Row` and :class:`Table` types.

Pure Python, no NumPy: each topic module (:mod:`.topics`) builds its ``TABLE`` from these.

>>> Row("sum", "sum", "a", "b", "c", NONE, "e").checkable("torch")
False
"""

from __future__ import annotations

from dataclasses import dataclass

from lossedu.i18n import N_

__all__ = ["COLUMNS", "HEADERS", "LEGEND", "NAMES", "NONE", "Row", "Table"]
COLUMNS = ("tf1", "tf2", "keras", "torch", "lossedu")
"""The five name columns, in table order."""

HEADERS = {
    "what": "",
    "tf1": "TF1 (1.x)",
    "tf2": "TF2 (`tf.nn`, `tf.math`)",
    "keras": "Keras 3 `(y_true, y_pred)`",
    "torch": "PyTorch `(input, target)` ‡",
    "lossedu": "lossedu",
    "trap": N_("⚠ trap"),
}
"""Column headings, keyed by :class:`Row` field (English; ``i18n._()`` shows them)."""

NAMES = {"tf1": "TF1", "tf2": "TF2", "keras": "Keras", "torch": "PyTorch", "lossedu": "lossedu"}

NONE = "—"
"""A cell with no equivalent at all (nothing to check)."""

LEGEND = N_(
    "`z` logits (B, C) · `p` probabilities · `y` one-hot or 0/1 labels (B, C) · "
    "`k` class indices (B,) · `l` per-example losses · `w` sample weights · "
    "`s` label smoothing · `C` classes · `F` = `torch.nn.functional`. "
    "TF1 names still run in TF 2.21 as `tf.compat.v1.<name>`; the notebook runs them there. "
    "† stated from the documentation, not run. "
    "‡ run only where PyTorch is installed (the committed notebook ran without it)."
)
"""What the letters and marks mean (English; ``i18n._()`` shows it)."""


@dataclass(frozen=True)
class Row:
    """One row: the same operation in each library, and the trap to flag.

    Cell text is Markdown-lite: backticks for code, ``\\n`` for a line break; cells with prose
    are marked with ``N_()`` in the topic modules and translated where they are rendered.
    ``documented`` names the columns whose entry is stated from documentation only (TF 1.x
    behaviour that TF 2.21 no longer has); their text carries a ``†``. Every other cell except
    :data:`NONE` must be backed by a check in its topic module's ``run`` (:mod:`.topics`).
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

