"""Every figure a lesson's prose states is computed in the lesson or recorded with its command.

A lesson may quote a number in its markdown only if one of its code cells holds that number as
a literal (where an ``assert`` checks it), or if ``docs/measurements.md`` records it: a
measurement there names the ``tools/measure.py`` command that reproduces it, and the file gives
the versions and the machine.  A figure counts as found when a literal or a recorded figure
rounds to it (``0.86`` is found in ``0.8627``).  The check covers the notebooks in ``STRICT``;
every notebook's links to the record must point at the file.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "docs" / "measurements.md"
MEASURE = ROOT / "tools" / "measure.py"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STRICT = ("04_sigmoid_vs_softmax.ipynb", "05_from_logits_pitfall.ipynb")

# A figure: digits, a point and at least two decimals, not part of a longer dotted version.
FIGURE = re.compile(r"(?<![\w.])\d+\.\d{2,}(?![\w.]*\d)")
LITERAL = re.compile(r"(?<![\w.])\d+\.\d+(?:e-?\d+)?")
# Version numbers are not figures: "TF 2.21", "Keras 3.15", "TF 2.2–2.15", "Python 3.11".
VERSION = re.compile(r"\b(?:TF|TensorFlow|tf\.keras|Keras|NumPy|Python)\s*(?:≤\s*)?"
                     r"\d+(?:\.\d+)*(?:\s*(?:[–-]|to)\s*\d+(?:\.\d+)*)?")


def _figures(text: str) -> list[str]:
    return FIGURE.findall(VERSION.sub(" ", text))


def _found(figure: str, values: set[float]) -> bool:
    decimals = len(figure.split(".")[1])
    target = float(figure)
    return any(abs(round(v, decimals) - target) < 1e-12 for v in values)


def _record_sections() -> dict[str, str]:
    """``### name`` sections under ``## Measurements``: name -> body."""
    text = RECORD.read_text(encoding="utf-8")
    part = text.split("\n## Measurements", 1)[1].split("\n## ", 1)[0]
    sections = re.split(r"^### ", part, flags=re.M)[1:]
    return {s.split("\n", 1)[0].strip(): s for s in sections}


def _record_values() -> set[float]:
    """The figures under ``## Measurements`` and ``## Quoted from the source posts`` only."""
    text = RECORD.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    kept = [p for p in parts if p.startswith(("Measurements", "Quoted from the source posts"))]
    assert len(kept) == 2, "docs/measurements.md lost a '## Measurements' or '## Quoted' section"
    return {float(f) for part in kept for f in _figures(part)}


def _measure_module():
    spec = importlib.util.spec_from_file_location("lossedu_measure", MEASURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_record_names_machine_versions_and_commands():
    text = RECORD.read_text(encoding="utf-8")
    for needed in ("TensorFlow", "Keras", "NumPy", "Python", "oneDNN", "threads", "CPU"):
        assert needed in text, f"docs/measurements.md does not say which {needed}"
    sections = _record_sections()
    assert sections, "docs/measurements.md has no '### name' measurement under '## Measurements'"
    known = set(_measure_module().MEASUREMENTS)
    for name, body in sections.items():
        commands = re.findall(r"tools/measure\.py ([\w-]+)", body)
        assert commands, f"measurement {name!r} gives no tools/measure.py command"
        unknown = set(commands) - known
        assert not unknown, f"measurement {name!r} runs {sorted(unknown)}, not in tools/measure.py"
        assert "\n|" in body, f"measurement {name!r} records no table of results"


def test_the_scanner_sees_figures_and_skips_versions():
    text = "0.8812 or 0.332 on TF 2.21 / Keras 3.15, TF 2.2–2.15; log 10 = 2.302585, 1e-7, 18.3"
    assert _figures(text) == ["0.8812", "0.332", "2.302585"]
    assert _found("0.86", {0.8627}) and not _found("0.87", {0.8627})


@pytest.mark.parametrize("name", STRICT)
def test_every_figure_in_the_prose_is_computed_or_recorded(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    values = {float(v) for v in LITERAL.findall(code)} | _record_values()
    missing = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for figure in _figures(cell.source):
            if not _found(figure, values):
                at = cell.source.index(figure)
                context = " ".join(cell.source[max(0, at - 60):at + 20].split())
                missing.append(f"cell {i}: {figure} (…{context}…)")
    assert not missing, (f"{name} states figures that no cell computes and "
                         "docs/measurements.md does not record:\n  " + "\n  ".join(missing))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_to_the_record_resolve(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(([^)#]*measurements\.md)(?:#[^)]*)?\)", cell.source):
                assert (path.parent / target).resolve() == RECORD, target
