"""What makes an executed lesson notebook unfit to commit or publish.

Used by ``tools/nbrun.py`` (before committing) and ``tools/site.py`` (``make html``).

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0")])
>>> nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
...                                               evalue="division by zero", traceback=[])]
>>> notebook_problems(nb)
['cell 0: error ZeroDivisionError: division by zero']
"""

from __future__ import annotations

import re

from tools.cells import raises

__all__ = ["MACHINE_PATH", "notebook_problems"]

MACHINE_PATH = re.compile(r"(/work/|/root/|/tmp/|/home/\w+/|site-packages|\.venv/)")


def notebook_problems(nb, machine_paths: bool = True) -> list[str]:
    """Stderr, errors outside ``raises-exception``-tagged cells, and (optionally) paths."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append(f"cell {i}: stderr: {out.get('text', '')[:200]!r}")
            if out.get("output_type") == "error" and not raises(cell):
                found.append(f"cell {i}: error {out.get('ename')}: {out.get('evalue', '')[:200]}")
            if not machine_paths:
                continue
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
            text += str(out.get("traceback", ""))
            m = MACHINE_PATH.search(text)
            if m:
                found.append(f"cell {i}: machine path {m.group(0)!r} in output")
    return found
