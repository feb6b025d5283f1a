"""The one notebook executor, shared by ``tools/nbrun.py`` (commit) and ``tools/site.py`` (site).

>>> from tools.nbexec import execute       # doctest: +SKIP
>>> nb = execute("notebooks/01_logits.ipynb", workdir="notebooks")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from tools.cells import CHECK

__all__ = ["LESSON_ENV", "execute", "clean"]

# What every lesson run sees: TensorFlow's C++ logs off (read at import) and a fixed hash seed.
LESSON_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}


def execute(path: str | os.PathLike, workdir: str | os.PathLike | None = None,
            timeout: int = 900, store_widget_state: bool = False):
    """Run the notebook at ``path`` top to bottom with kernel ``python3``; return it.

    ``path`` is only read. ``workdir`` (default: the notebook's folder) is the kernel's
    working directory. Errors stay in the outputs (``allow_errors``) for the caller to judge.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env_before = dict(os.environ)
    for key, value in LESSON_ENV.items():
        os.environ.setdefault(key, value)
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                       store_widget_state=store_widget_state,
                       resources={"metadata": {"path": str(workdir or path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    return nb


def clean(nb) -> None:
    """Strip widget state and execution timing, pin the kernel name, tag intended errors."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and CHECK in cell.metadata.get("tags", []):
            # Check cells show collapsed in JupyterLab: the learner reads their one-line verdict.
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                # Widget views carry model ids that change every run: keep the text fallback.
                out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
