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


def test_a_wrong_way_import_fails(tmp_path):
    """activations (layer 2) importing losses (layer 3) breaks the layers contract."""
    tree = _copy(tmp_path)
    module = tree / "lossedu" / "activations.py"
    module.write_text(module.read_text() + "\nimport lossedu.losses  # noqa: E402, F401\n")
    out = _lint(tree)
    assert out.returncode != 0
    assert "lossedu.activations is not allowed to import lossedu.losses" in out.stdout


def test_a_view_importing_matplotlib_fails(tmp_path):
    """A pure view that draws breaks the NumPy-only contract."""
    tree = _copy(tmp_path)
    module = tree / "lossedu" / "lessons" / "softmax" / "views.py"
    module.write_text(module.read_text() + "\nimport matplotlib  # noqa: E402, F401\n")
    out = _lint(tree)
    assert out.returncode != 0
    assert "lossedu.lessons.softmax.views is not allowed to import matplotlib" in out.stdout


def test_one_lesson_importing_another_fails(tmp_path):
    tree = _copy(tmp_path)
    module = tree / "lossedu" / "lessons" / "softmax" / "widgets.py"
    module.write_text(module.read_text() + "\nimport lossedu.lessons.logits.widgets  # noqa\n")
    out = _lint(tree)
    assert out.returncode != 0
    assert "lossedu.lessons.softmax is not allowed to import lossedu.lessons.logits" in out.stdout
