"""The cheat sheet's tables: :data:`TABLES`, gathered from the topic modules (:mod:`.topics`).

Each topic module holds its own ``TABLE`` next to the checks behind it; this module puts them
in order for the notebook, the printable page (:mod:`.render`) and the tests. Nothing here
imports TensorFlow, Keras or PyTorch.

>>> [t.key for t in TABLES][:2], table("reductions").row("sum").what
(['activations', 'softmax_ce'], 'sum')
"""

from __future__ import annotations

from lossedu.lessons.cheat_sheet.schema import (
    COLUMNS,
    HEADERS,
    LEGEND,
    NAMES,
    NONE,
    Row,
    Table,
)
from lossedu.lessons.cheat_sheet.topics import TOPICS, modules, topic

__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEGEND",
    "NAMES",
    "NONE",
    "Row",
    "Table",
    "TABLES",
    "TOPICS",
    "table",
]

TABLES: tuple[Table, ...] = tuple(m.TABLE for m in modules())
"""Every table, in the order the notebook and the printable page show them."""


def table(key: str) -> Table:
    """The table called ``key`` (``"activations"``, ``"reductions"``, …)."""
    return topic(key).TABLE
