"""Execute lesson notebooks in place and clean them for committing.

    .venv/bin/python tools/nbrun.py notebooks/01_logits.ipynb [more.ipynb ...]

Runs each notebook top to bottom with nbclient (kernel ``python3``, working directory
``notebooks/``), then: drops widget state (``metadata.widgets``), keeps execution counts,
and fails if any cell wrote to stderr, raised without ``# NBVAL_RAISES_EXCEPTION``, or shows
a machine path.  Prints the seconds each notebook took.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lossedu.nbcheck import notebook_problems


def clean(nb) -> None:
    """Strip widget state and execution timing, pin the kernel name, tag intended errors."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and "NBVAL_RAISES_EXCEPTION" in cell.source:
            # JupyterLab's Run All stops at an error unless the cell carries this tag.
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                # Widget views carry model ids that change every run: keep the text fallback.
                data = out.get("data", {})
                data.pop("application/vnd.jupyter.widget-view+json", None)


def run(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    env_before = dict(os.environ)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    start = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    seconds = time.perf_counter() - start
    clean(nb)
    nbformat.write(nb, path)
    bad = notebook_problems(nb)
    if bad:
        raise SystemExit(f"{path}:\n  " + "\n  ".join(bad))
    return seconds


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        seconds = run(Path(name))
        print(f"{name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
