"""Execute lesson notebooks in place and clean them for committing.

    .venv/bin/python tools/nbrun.py notebooks/01_logits.ipynb [more.ipynb ...]

Runs each notebook top to bottom (:func:`tools.nbexec.execute`: kernel ``python3``, working
directory ``notebooks/``), then: drops widget state (``metadata.widgets``), keeps execution
counts, and fails if any cell wrote to stderr, raised without being marked as an intended
error, or shows a machine path.  Prints the seconds each notebook took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat  # noqa: E402

from tools.nbcheck import notebook_problems  # noqa: E402
from tools.nbexec import clean, execute  # noqa: E402


def run(path: Path, timeout: int = 600) -> float:
    """Execute ``path`` in place, clean it, and raise SystemExit if it is unfit to commit."""
    start = time.perf_counter()
    nb = execute(path, timeout=timeout)
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
