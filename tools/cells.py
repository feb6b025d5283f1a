"""The cell conventions of the lesson notebooks, in one place.

Tags (``cell.metadata.tags``) carry everything the tools and the tests need; no cell a learner
reads starts with a test-machinery comment.

- ``check``: a *check cell*. Its first line is ``%%check`` (:mod:`lossedu.claims`), its body is
  assertions, it prints ``✓ N claims checked``, JupyterLab shows it collapsed
  (``metadata.jupyter.source_hidden``) and the static site hides its input.
- ``nbval-ignore-output``: nbval runs the cell but does not compare its output (timings,
  training curves; the numbers are asserted as bands in the check cell that follows).
- ``raises-exception``: the cell shows an intended error (nbval, and JupyterLab's Run All).
- ``explorer``: the cell shows an interactive explorer (counted by the time rule).
- ``exercise``: the markdown cell that sets one exercise (counted by the time rule).

The part of a lesson after its ``## Going further`` heading is outside the core path.

>>> import nbformat
>>> cell = nbformat.v4.new_code_cell("%%check\\nassert 1 + 1 == 2")
>>> cell.metadata["tags"] = ["check"]
>>> is_check(cell), assertions_only("assert 1 + 1 == 2\\nassert True")
(True, True)
"""

from __future__ import annotations

import ast

from lossedu.claims import is_claim_call

__all__ = ["CHECK", "IGNORE_OUTPUT", "RAISES", "EXPLORER", "EXERCISE", "GOING_FURTHER",
           "tags", "source", "is_check", "raises", "assertions_only", "code_lines",
           "going_further_index"]

CHECK = "check"
IGNORE_OUTPUT = "nbval-ignore-output"
RAISES = "raises-exception"
EXPLORER = "explorer"
EXERCISE = "exercise"
GOING_FURTHER = "## Going further"


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_check(cell) -> bool:
    return cell.get("cell_type") == "code" and CHECK in tags(cell)


def raises(cell) -> bool:
    """An intended error: tagged ``raises-exception``."""
    return cell.get("cell_type") == "code" and RAISES in tags(cell)


def source(cell_or_source) -> str:
    """A cell's source as one string (nbformat keeps it as a string, raw JSON as a list)."""
    src = cell_or_source if isinstance(cell_or_source, str) else cell_or_source["source"]
    return "".join(src) if isinstance(src, list) else src


def code_lines(cell) -> int:
    """Non-blank source lines of a cell."""
    return sum(1 for line in source(cell).splitlines() if line.strip())


def _is_claim(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assert):
        return True
    if isinstance(stmt, ast.Expr):
        return is_claim_call(stmt.value)
    if isinstance(stmt, (ast.For, ast.With)):
        return all(_is_claim(s) for s in stmt.body)
    return False


def assertions_only(cell_or_source) -> bool:
    """True if every statement is an ``assert``, an ``assert_*`` call or a loop of them."""
    lines = [ln for ln in source(cell_or_source).splitlines() if not ln.startswith("%")]
    try:
        body = ast.parse("\n".join(lines)).body
    except SyntaxError:
        return False
    return bool(body) and all(_is_claim(s) for s in body)


def going_further_index(cells) -> int:
    """Index of the first ``## Going further`` markdown cell, or ``len(cells)``."""
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown" and source(cell).lstrip().startswith(GOING_FURTHER):
            return i
    return len(cells)
