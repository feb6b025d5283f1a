"""The time rule: how long a lesson takes, computed from its notebook.

    python -m tools.lesson_time            # the table: core and everything, per lesson

A learner reads prose at 150 words a minute, spends half a minute on each code cell they
read and run, two minutes on each explorer and four on each exercise. Check cells (tag
``check``) are collapsed and count nothing. The *core* is everything before the lesson's
``## Going further`` heading. Minutes are rounded up. The registry
(``lossedu/lessons/registry.py``) states both times, and ``tests/project/test_notebook_cells.py``
recomputes them with this rule.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("word " * 300),
...                                      nbformat.v4.new_code_cell("x = 1")])
>>> lesson_minutes(nb)
(3, 3)
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.cells import (  # noqa: E402
    EXERCISE,
    EXPLORER,
    going_further_index,
    is_check,
    source,
    tags,
)

WORDS_PER_MINUTE = 150
CODE_CELL = 0.5
EXPLORER_MINUTES = 2
EXERCISE_MINUTES = 4

__all__ = ["cell_minutes", "lesson_minutes", "words"]


def words(cell) -> int:
    return len(source(cell).split())


def cell_minutes(cell) -> float:
    """The rule for one cell."""
    if cell["cell_type"] == "markdown":
        return words(cell) / WORDS_PER_MINUTE + EXERCISE_MINUTES * (EXERCISE in tags(cell))
    if cell["cell_type"] != "code" or is_check(cell):
        return 0.0
    return CODE_CELL + EXPLORER_MINUTES * (EXPLORER in tags(cell))


def lesson_minutes(nb) -> tuple[int, int]:
    """``(core, everything)`` in whole minutes, rounded up."""
    cut = going_further_index(nb["cells"])
    per_cell = [cell_minutes(c) for c in nb["cells"]]
    return math.ceil(sum(per_cell[:cut]) - 1e-9), math.ceil(sum(per_cell) - 1e-9)


def main() -> int:
    import nbformat

    from lossedu.lessons.registry import LESSONS

    root = Path(__file__).resolve().parents[1] / "notebooks"
    print(f"{'lesson':<36} {'core':>5} {'all':>5}   stated")
    for les in LESSONS:
        core, every = lesson_minutes(nbformat.read(root / les.path, as_version=4))
        print(f"{les.name:<36} {core:>5} {every:>5}   {les.core_minutes}/{les.all_minutes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
