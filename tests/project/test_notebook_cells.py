"""The lessons keep their test machinery out of the learner's way, and their stated times true.

- every cell made only of assertions is a check cell (tag ``check``, ``%%check``, collapsed);
- no cell carries an ``NBVAL_*`` comment: nbval's cell tags say it instead;
- no code cell a learner reads is longer than 20 lines; check cells stay short too, because a
  long check belongs inside lossedu as one call;
- the registry's times are what the time rule gives, and the two-hour path fits in two hours.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from lossedu.lessons.registry import LESSONS, core_path_minutes, series_map_markdown
from tools.cells import (
    CHECK,
    assertions_only,
    code_lines,
    going_further_index,
    is_check,
    tags,
)
from tools.lesson_time import lesson_minutes

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LEARNER_LINES = 20
CHECK_LINES = 25


def _notebook(les):
    return nbformat.read(NOTEBOOKS / les.path, as_version=4)


@pytest.fixture(params=LESSONS, ids=lambda les: les.name)
def nb(request):
    return _notebook(request.param)


def test_assertion_cells_are_check_cells(nb):
    bare = [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and not is_check(c) and assertions_only(c)]
    assert not bare, f"cells {bare} are only assertions: tag them `check` and start with %%check"


def test_check_cells_use_the_magic_collapse_and_say_how_many_claims_they_checked(nb):
    for i, cell in enumerate(nb.cells):
        if not is_check(cell):
            continue
        assert cell.source.startswith("%%check"), f"cell {i}: a check cell starts with %%check"
        assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"cell {i}: not collapsed"
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert re.fullmatch(r"✓ \d+ claims? checked\n", text), (i, text)


def test_no_test_machinery_comments_in_cells(nb):
    found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and re.search(r"^\s*#\s*NBVAL_", c.source, re.M)]
    assert not found, f"cells {found}: use nbval's cell tags, not NBVAL_ comments"


def test_code_cells_are_short(nb):
    long = [(i, code_lines(c)) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and code_lines(c) > (CHECK_LINES if is_check(c) else LEARNER_LINES)]
    assert not long, f"(cell, lines) too long: {long}; move long checks into lossedu"


def test_every_lesson_has_a_going_further_part_after_its_core(nb):
    cut = going_further_index(nb.cells)
    assert cut < len(nb.cells), "no `## Going further` heading"
    core = nb.cells[:cut]
    assert any(c.cell_type == "code" and CHECK in tags(c) for c in core), "no checked claim"


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.name)
def test_stated_times_follow_the_rule(les):
    core, everything = lesson_minutes(_notebook(les))
    assert (les.core_minutes, les.all_minutes) == (core, everything), (
        f"{les.name}: the rule gives {core}/{everything} min; update lossedu/lessons/registry.py")


def test_the_core_path_takes_at_most_two_hours():
    assert core_path_minutes() <= 120
    on_path = [les.number for les in LESSONS if les.core_path]
    assert on_path[0] == "00" and "05" in on_path


def test_the_readme_shows_the_same_map():
    readme = (NOTEBOOKS.parent / "README.md").read_text(encoding="utf-8")
    assert series_map_markdown("notebooks/") in readme, (
        "README's lesson map is stale: paste series_map_markdown('notebooks/') into it")
