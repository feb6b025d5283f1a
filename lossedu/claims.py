"""``%%check``: a cell of assertions that prints one line when every claim holds.

A lesson states a claim in prose, then proves it in a *check cell*: a cell tagged ``check``
whose first line is ``%%check`` and whose body is ``assert`` statements (plus the few lines
they need). JupyterLab shows the cell collapsed and the static site hides its input, so the
learner reads ``✓ 3 claims checked``; a failing claim raises as a plain ``assert`` would.
:func:`lossedu.notebook.setup` registers the magic.

>>> run_claims("x = 2\\nassert x + x == 4\\nassert x * x == 4", {})
✓ 2 claims checked
2
>>> count_claims("for k in range(3):\\n    assert k < 3, k")
1
"""

from __future__ import annotations

import ast
import itertools
import linecache

from lossedu.i18n import _

__all__ = ["count_claims", "is_claim_call", "run_claims", "register"]

_CELLS = itertools.count(1)


def count_claims(source: str) -> int:
    """The number of ``assert`` statements and ``np.testing.assert_*`` calls in ``source``."""
    return sum(isinstance(node, ast.Assert) or is_claim_call(node)
               for node in ast.walk(ast.parse(source)))


def is_claim_call(node: ast.AST) -> bool:
    """A call of an ``assert_*`` function, such as ``np.testing.assert_allclose(...)``."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name.startswith("assert_")


def run_claims(source: str, namespace: dict) -> int:
    """Run ``source`` in ``namespace``; print ``✓ N claims checked`` if it finished."""
    n = count_claims(source)
    # Give the cell a file name the traceback can show, so a failing claim shows its line.
    name = f"<check cell {next(_CELLS)}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    exec(compile(source, name, "exec"), namespace)  # noqa: S102 - the lesson's own cell
    print((_("✓ {n} claim checked") if n == 1 else _("✓ {n} claims checked")).format(n=n))
    return n


def register(ipython) -> None:
    """Register the ``%%check`` cell magic in ``ipython`` (an IPython shell)."""

    def check(line: str, cell: str) -> None:
        run_claims(cell, ipython.user_ns)

    ipython.register_magic_function(check, magic_kind="cell", magic_name="check")
