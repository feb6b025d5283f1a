"""The package's shape, as CONTRIBUTING.md states it: small modules, short functions, light import.

Each rule here is one a reader relies on: a module fits on a few screens (at most 400 lines),
a function on one (at most 60 lines, data tables apart), and ``import lossedu`` loads NumPy
only, so a learner's first cell and ``python -m lossedu`` start fast.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lossedu"
MODULES = sorted(PACKAGE.rglob("*.py"))

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Modules that are mostly data tables (the cheat sheet's rows): counted without the tables.
DATA_TABLES = {"lossedu/lessons/cheat_sheet/tables.py"}

HEAVY = ("tensorflow", "keras", "matplotlib", "ipywidgets", "IPython", "bs4", "nbconvert",
         "nbclient", "jax", "torch")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("module", MODULES, ids=_rel)
def test_module_is_at_most_400_lines(module):
    if _rel(module) in DATA_TABLES:
        pytest.skip("a data table")
    n = len(module.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{_rel(module)} has {n} lines; split it by what it holds"


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("module", MODULES, ids=_rel)
def test_functions_are_at_most_60_lines(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    long = [f"{f.name} ({f.end_lineno - f.lineno + 1} lines, line {f.lineno})"
            for f in _functions(tree) if f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{_rel(module)}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_size_rules_can_fail(tmp_path):
    """The rules above catch a long function (so a green run means something)."""
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    tree = ast.parse(f"def long():\n{body}\n")
    (f,) = list(_functions(tree))
    assert f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES


def _loaded_after(statement: str) -> set[str]:
    code = (f"import sys; {statement}; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return set(out.stdout.split())


@pytest.mark.parametrize("statement", [
    "import lossedu",
    "import lossedu; lossedu.doctor",
    "import lossedu.data, lossedu.notebook, lossedu.training, lossedu.probes",
    "import lossedu.lessons.start_here.quiz as q; q.report({'logit': 'b'})",
    "import os, tempfile, lossedu.lessons.cheat_sheet as cs; cs.render_html(); "
    "cs.write_cheatsheet(os.path.join(tempfile.mkdtemp(), 'c.html')); cs.SheetCheck(torch=False)",
    "from lossedu.lessons.registry import LESSONS",
    "import lossedu.lessons.logits.views, lossedu.lessons.softmax.views",
    "import lossedu.lessons.one_hot_vs_sparse.views, lossedu.lessons.sigmoid_vs_softmax.views",
    "import lossedu.lessons.one_hot_vs_sparse.measured, "
    "lossedu.lessons.smoothing_reductions_gradients.views",
    "import lossedu.lessons.from_logits_pitfall.views, lossedu.exercise",
    "import lossedu.diagnosis",
])
def test_light_imports_stay_light(statement):
    """None of these pulls in TensorFlow, Keras, plotting, widgets or the site's tools (the
    one list of such checks: the package, each lesson's pure parts, the quiz and the cheat
    sheet at work)."""
    assert _loaded_after(statement) == set()


def test_the_light_import_check_can_fail():
    assert "matplotlib" in _loaded_after("import matplotlib")


def test_doctor_is_a_plain_function_whatever_was_imported():
    code = ("import types, lossedu, lossedu.diagnosis, lossedu.diagnosis.cli, "
            "lossedu.diagnosis.rules; "
            "print(isinstance(lossedu.doctor, types.FunctionType), lossedu.doctor.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "lossedu"]


def test_the_registry_lists_every_lesson_notebook_and_package():
    """The one list of lessons (00's map, the quiz, the site, the data rules) matches the tree."""
    import importlib.util
    import re

    from lossedu.lessons.registry import LESSONS

    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")
                     if re.match(r"^\d\d[a-z]?_\w+\.ipynb$", p.name))
    assert [les.path for les in LESSONS] == on_disk
    for les in LESSONS:
        assert importlib.util.find_spec(les.package) is not None, f"no package {les.package}"
