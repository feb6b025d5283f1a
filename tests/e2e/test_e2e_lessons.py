"""Every lesson in JupyterLab, in Chromium: restart and run all, no errors, every explorer
responds to the real UI.  The rows live in ``e2e_table.py``; the machinery in
``e2e_lab.py`` and ``conftest.py``.  Run with ``make e2e``.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from e2e_lab import NOTEBOOKS, SCREENSHOTS, TIMINGS, wait_for_readout, wait_kernel_idle
from e2e_table import LESSONS, ZH_LESSONS

from tools.cells import raises

pytestmark = pytest.mark.e2e

EXPLORER_CALL = re.compile(r"\b(make_\w*(?:explorer|quiz)\w*)\s*\(")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _not_ready(name: str) -> str | None:
    """Why a row's notebook cannot be tested yet (not in the tree, or never executed)."""
    path = NOTEBOOKS / name
    if not path.exists():
        return f"notebooks/{name} has not landed yet"
    doc = json.loads(path.read_text())
    if not any(c.get("outputs") for c in doc["cells"] if c["cell_type"] == "code"):
        return f"notebooks/{name} has not been executed yet (tools/nbrun.py)"
    return None


# Decided once, at collection, like the server's copy of notebooks/: a colleague re-running
# a notebook mid-session does not turn half of its tests into skips.
# Both editions run: the English rows, then the Chinese ones (notebooks/zh/).
ALL = LESSONS + ZH_LESSONS
NOT_READY = {lesson.notebook: _not_ready(lesson.notebook) for lesson in ALL}


def _landed(lesson) -> None:
    if NOT_READY[lesson.notebook]:
        pytest.skip(NOT_READY[lesson.notebook])


EXPLORERS = [(lesson, ex) for lesson in ALL for ex in lesson.explorers]


def test_every_notebook_and_explorer_has_a_row():
    """A new notebook or explorer without a browser test fails here, not silently."""
    rows = {lesson.notebook: lesson for lesson in LESSONS}
    problems = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        lesson = rows.get(path.name)
        if lesson is None:
            problems.append(f"{path.name}: no Lesson row in tests/e2e/e2e_table.py")
            continue
        doc = json.loads(path.read_text())
        code = [_source(c) for c in doc["cells"] if c["cell_type"] == "code"]
        for ex in lesson.explorers:
            n = sum(ex.cell in src for src in code)
            if n != 1:
                problems.append(f"{path.name}: explorer {ex.name!r}: {n} cells contain "
                                f"{ex.cell!r} (expected 1)")
        for src in code:
            for call in sorted(set(EXPLORER_CALL.findall(src))):
                if not any(ex.cell in src for ex in lesson.explorers):
                    problems.append(f"{path.name}: the cell calling {call}() has no Explorer "
                                    "row")
    assert not problems, "\n".join(problems)


def test_every_chinese_notebook_has_a_row_whose_explorers_exist():
    """The Chinese rows drive a subset of each lesson's explorers, by their Chinese labels."""
    rows = {lesson.notebook: lesson for lesson in ZH_LESSONS}
    english = {f"zh/{lesson.notebook}" for lesson in LESSONS}
    assert set(rows) == english, "every English row needs its Chinese row in ZH_LESSONS"
    for name, lesson in rows.items():
        path = NOTEBOOKS / name
        assert path.exists(), f"{path} is missing: python -m tools.translate run"
        code = [_source(c) for c in json.loads(path.read_text())["cells"]
                if c["cell_type"] == "code"]
        for ex in lesson.explorers:
            assert sum(ex.cell in src for src in code) == 1, (name, ex.name)


def test_intended_errors_are_tagged_for_run_all():
    """JupyterLab's "Restart Kernel and Run All" stops at the first error, and only the
    cell tag ``raises-exception`` lets it go on (nbclient and nbval honour the tag too).
    Every committed error output must sit in a cell with that tag, or a learner's Run All
    stops half-way."""
    missing = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(NOTEBOOKS.glob("zh/*.ipynb")):
        doc = json.loads(path.read_text())
        for i, cell in enumerate(doc["cells"]):
            shows_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            if shows_error and not raises(cell):
                missing.append(f"{path.name} cell {i}")
    assert not missing, (
        "cells showing an error lack the cell tag `raises-exception`, so Run All in "
        "JupyterLab stops there: " + ", ".join(missing))


@pytest.mark.parametrize("lesson", ALL, ids=[lesson.stem for lesson in ALL])
def test_notebook_runs_clean(lesson, lessons):
    _landed(lesson)
    nb = lessons.get(lesson)
    run = nb.run
    bad = nb.error_cells()
    assert not bad, f"{lesson.notebook}: error or stderr output in code cells:\n" + "\n".join(
        f"  code cell {c['index']}: {c['errors'][0][-600:]!r}" for c in bad)
    assert not run.not_run, (
        f"{lesson.notebook}: code cells {run.not_run} did not run (prompts {run.prompts})")
    assert (SCREENSHOTS / f"{lesson.stem}.png").stat().st_size > 10_000
    text = nb.output_text()
    for pattern in lesson.shows:
        assert re.search(pattern, text), f"{lesson.notebook}: no output matches {pattern!r}"


@pytest.mark.parametrize("lesson,explorer", EXPLORERS,
                         ids=[f"{lesson.stem}-{ex.name}" for lesson, ex in EXPLORERS])
def test_explorer(lesson, explorer, lessons):
    _landed(lesson)
    nb = lessons.get(lesson)
    cell = nb.code_cell(explorer.cell)
    area = cell.locator(".jp-OutputArea").first
    cell.scroll_into_view_if_needed()
    # The widget views render after the kernel went idle: wait for the first readout.
    area.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=30_000)
    start = time.monotonic()
    shot = SCREENSHOTS / f"{lesson.stem}--{explorer.name}.png"
    try:
        if explorer.setup is not None:
            explorer.setup.do(area)
            wait_kernel_idle(area.page)
        before = wait_for_readout(area, explorer.readout, None, "changes", timeout=20,
                                  settle=0.5)
        assert before is not None, f"no {explorer.readout.describe()} before the action"
        did = explorer.action.do(area)
        after = wait_for_readout(area, explorer.readout, before, explorer.expect,
                                 timeout=explorer.timeout)
    except BaseException:
        # What the widget looked like, for a failure in CI.
        shot.with_suffix(".html").write_text(area.inner_html(timeout=5_000))
        raise
    finally:
        nb.cell_screenshot(cell, shot)
    TIMINGS.append((f"{lesson.stem}/{explorer.name}: {did}: {explorer.readout.describe()} "
                    f"{before!r} -> {after!r}", time.monotonic() - start))
    ok = after is not None and {"changes": after != before, "increases": after > before,
                                "decreases": after < before}[explorer.expect]
    assert ok, (f"{lesson.stem}/{explorer.name}: after {did}, expected the "
                f"{explorer.readout.describe()} to {explorer.expect[:-1]}: {before!r} -> "
                f"{after!r}. {explorer.asserts}")
