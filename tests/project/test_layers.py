"""The import layering of CONTRIBUTING.md, read from the code by import-linter.

The contracts live in pyproject.toml (``[tool.importlinter]``): the core's layers, widgets
over views and exercises inside each lesson, lessons that do not import each other, and a
NumPy-only core. ``lint-imports`` reads every import, including those inside functions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())", "--no-cache"]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.run(LINT, cwd=tree, env=env, capture_output=True, text=True, check=False)


def test_the_tree_keeps_every_contract():
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "BROKEN" not in out.stdout


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "lossedu", tree / "lossedu",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


WRONG_IMPORTS = [
    # (module that gets the import, the import, what lint-imports must say)
    ("activations.py", "import lossedu.losses",
     "lossedu.activations is not allowed to import lossedu.losses"),          # layer 2 -> 3
    ("lessons/softmax/views.py", "import matplotlib",
     "lossedu.lessons.softmax.views is not allowed to import matplotlib"),    # a view that draws
    ("lessons/softmax/widgets.py", "import lossedu.lessons.logits.widgets",
     "lossedu.lessons.softmax is not allowed to import lossedu.lessons.logits"),  # lesson -> lesson
]


@pytest.mark.parametrize(("module", "statement", "message"), WRONG_IMPORTS,
                         ids=["layers", "numpy-core", "lessons-independent"])
def test_a_wrong_import_fails(tmp_path, module, statement, message):
    tree = _copy(tmp_path)
    path = tree / "lossedu" / module
    path.write_text(path.read_text() + f"\n{statement}  # noqa: E402, F401\n")
    out = _lint(tree)
    assert out.returncode != 0
    assert message in out.stdout
