"""The cheat sheet's topics: one module each, its table next to the checks behind every cell.

The checks themselves run against TensorFlow and Keras here (``verify``, marked ``tf``); the
PyTorch ones cannot run without torch, so their coverage is read from the source.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from lossedu.lessons import cheat_sheet as cs
from lossedu.lessons.cheat_sheet import COLUMNS, TABLES, TOPICS, SheetCheck, table
from lossedu.lessons.cheat_sheet.topics import modules, topic

TOPICS_DIR = Path(cs.topics.__file__).parent


def quiet_sheet(torch=False):
    lines = []
    return SheetCheck(torch=torch, log=lines.append), lines


# ------------------------------------------------------------------ the one list

def test_every_topic_module_is_listed_once_and_holds_its_table_intro_and_checks():
    files = sorted(p.stem for p in TOPICS_DIR.glob("*.py") if p.stem != "__init__")
    assert sorted(TOPICS) == files, "a module in topics/ is missing from TOPICS (or vice versa)"
    for key, mod in zip(TOPICS, modules(), strict=True):
        assert mod.TABLE.key == key and mod.TABLE is table(key)
        assert isinstance(mod.INTRO, str) and len(mod.INTRO.split()) >= 10
        assert "|" not in mod.INTRO and not mod.INTRO.startswith("#")
        assert list(inspect.signature(mod.run).parameters) == ["check", "lib"]


def test_an_unknown_topic_names_the_known_ones():
    with pytest.raises(KeyError, match="no table 'thresholds'; tables: activations, softmax_ce"):
        topic("thresholds")


def test_topic_modules_import_no_heavy_library():
    for path in TOPICS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {a.name.split(".")[0] for n in top if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in top if isinstance(n, ast.ImportFrom)}
        assert not names & {"tensorflow", "keras", "torch"}, path.name


# ------------------------------------------------------------------ coverage, from the source

def _checks_in(source: str) -> dict[str, set[str]]:
    """{row: columns} of the ``check.agree/raises/fact`` calls in a topic module's source."""
    covered: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "check"):
            continue
        if node.func.attr in ("agree", "raises"):
            cols = {kw.arg for kw in node.keywords if kw.arg in COLUMNS}
        elif node.func.attr == "fact":
            cols = {node.args[1].value}
        else:
            continue
        covered.setdefault(node.args[0].value, set()).update(cols)
    return covered


def test_every_checkable_cell_has_a_check_even_the_pytorch_ones():
    """Without torch the PyTorch checks never run here, so this is what guarantees that
    ``verify`` would not fail its coverage assertion on a machine that has torch."""
    for mod in modules():
        covered = _checks_in(inspect.getsource(mod))
        for r in mod.TABLE.rows:
            need = {c for c in COLUMNS if r.checkable(c)}
            have = covered.get(r.key, set())
            assert need <= have, f"{mod.TABLE.key}/{r.key}: no check for {sorted(need - have)}"
        assert set(covered) <= {r.key for r in mod.TABLE.rows}, mod.TABLE.key


def test_the_source_coverage_reader_can_fail():
    covered = _checks_in('check.agree("sum", tf1=1, tf2=2)\ncheck.fact("sum", "torch", 1, "")')
    assert covered == {"sum": {"tf1", "tf2", "torch"}}


# ------------------------------------------------------------------ verify and finish

class _Lib:
    """Stands in for the libraries: the fake topics below call nothing on it."""


def _fake_topic(monkeypatch, key, run):
    monkeypatch.setattr(topic(key), "run", run)
    monkeypatch.setattr(SheetCheck, "libs", lambda self: _Lib())


def test_verify_prints_one_line_or_every_check(monkeypatch):
    def run(check, lib):
        for r in check.table.rows:
            for col in COLUMNS:
                if r.checkable(col):
                    check.fact(r.key, col, True, "covered")

    _fake_topic(monkeypatch, "label_smoothing", run)
    sheet, lines = quiet_sheet()
    sheet.verify("label_smoothing")
    assert lines == ["label_smoothing: all 3 rows checked against TF (12 TF1/TF2/Keras/lossedu "
                     "cells); PyTorch not installed: 3 cells not run ‡"]
    sheet, lines = quiet_sheet()
    sheet.verify("label_smoothing", detail=True)
    assert len(lines) == 13 and lines[0] == "✓ categorical (TF1): covered"
    assert lines[-1].startswith("label_smoothing: all 3 rows checked against TF")


def test_verify_raises_on_a_disagreement_naming_the_row_and_library(monkeypatch):
    def run(check, lib):
        check.agree("binary", tf2=np.array([0.655, 1.308]), keras=np.array([0.655, 1.309]))

    _fake_topic(monkeypatch, "label_smoothing", run)
    sheet, lines = quiet_sheet()
    with pytest.raises(AssertionError, match=r"label_smoothing/binary: Keras gives "
                                             r"\[0\.655 1\.309\], TF2 \[0\.655 1\.308\]"):
        sheet.verify("label_smoothing")
    assert lines == []


def test_verify_raises_when_a_cell_went_unchecked(monkeypatch):
    _fake_topic(monkeypatch, "ignore_class",
                lambda check, lib: check.fact("argument", "keras", True, "only one"))
    sheet, _ = quiet_sheet()
    with pytest.raises(AssertionError, match=r"table 'ignore_class': no check ran for "
                                             r"argument/TF1"):
        sheet.verify("ignore_class")


def test_finish_needs_every_table(monkeypatch):
    def run(check, lib):
        for r in check.table.rows:
            for col in COLUMNS:
                if r.checkable(col):
                    check.fact(r.key, col, True, "covered")

    sheet, lines = quiet_sheet()
    for key in TOPICS:
        _fake_topic(monkeypatch, key, run)
    for key in TOPICS[:-1]:
        sheet.verify(key)
    with pytest.raises(AssertionError, match=f"tables never checked: {TOPICS[-1]}"):
        sheet.finish()
    sheet.verify(TOPICS[-1])
    sheet.finish()
    rows = sum(len(t.rows) for t in TABLES)
    assert lines[-1] == (f"{len(TOPICS)} tables, {rows} rows: every TF1, TF2, Keras and lossedu "
                         "entry checked, apart from 2 stated from the documentation (†)")


# ------------------------------------------------------------------ the real checks, against TF

@pytest.mark.tf
@pytest.mark.parametrize("key", TOPICS)
def test_every_row_agrees_with_tensorflow_and_keras(tf, keras, key, capfd):
    sheet, lines = quiet_sheet(torch=False)
    sheet.verify(key, detail=True)
    n = len(table(key).rows)
    assert re.match(rf"{key}: all {n} rows checked against TF \(\d+ TF1/TF2/Keras/lossedu",
                    [ln for ln in lines if not ln.startswith(("✓", "TF logged"))][0])
    assert all(ln.startswith(("✓", f"{key}: ", "TF logged: ")) for ln in lines)
    assert not sheet.done[key].missing()
    assert "From /" not in capfd.readouterr().err   # TF's notices were captured, not printed


@pytest.mark.tf
def test_verify_catches_a_library_that_changed(tf, keras, monkeypatch):
    """If Keras stopped squeezing (B, 1) sparse labels, the core table would say so."""
    real = keras.losses.sparse_categorical_crossentropy

    def no_squeeze(y_true, y_pred, *args, **kwargs):
        if np.ndim(y_true) == 2:
            raise ValueError("no squeezing")
        return real(y_true, y_pred, *args, **kwargs)

    monkeypatch.setattr(keras.losses, "sparse_categorical_crossentropy", no_squeeze)
    sheet, _ = quiet_sheet()
    with pytest.raises(ValueError, match="no squeezing"):
        sheet.verify("softmax_ce")
