"""The public benchmark (benchmarks/doctor_cases): every real user's mistake is caught with
the verdict its report's root cause names, and no healthy control is flagged, on the
backend this run uses (``KERAS_BACKEND=jax pytest tests/doctor`` for JAX)."""

from __future__ import annotations

import ast

import pytest

from benchmarks.doctor_cases.cases import ALL, BUGGY, CONTROLS, UNREADABLE
from benchmarks.doctor_cases.runner import run_case, score


def test_benchmark_size_and_sources():
    """>= 40 buggy cases and >= 15 controls, each with a source and a root cause; controls
    include functional and subclassed models; ids are unique."""
    assert len(BUGGY) >= 40 and len(CONTROLS) >= 15 and UNREADABLE
    assert len({c.id for c in ALL}) == len(ALL)
    assert {c.kind for c in CONTROLS} == {"seq", "fun", "sub"}
    for c in ALL:
        assert c.source and c.root_cause, c.id
        assert (c.group == "control") == (not c.expected("tensorflow")), c.id


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_case(case, keras):
    r = run_case(keras, case)
    want = {"buggy": "hit", "control": "clean", "unreadable": "not-checked"}[case.group]
    assert r.verdict == want, (r.codes, r.infos, r.expected)
    for fix in r.fixes:  # every fix is Python (Keras 3 code, or NumPy on the labels)
        ast.parse(fix)


def test_score_counts():
    """Recall and precision as make bench prints them, on hand-made results."""
    from benchmarks.doctor_cases.runner import Result

    rs = [Result("a", "buggy", ["x"], ["x"], [], "hit", 0), Result("b", "buggy", ["x"], [], [],
          "miss", 0), Result("c", "control", [], ["y"], [], "false-alarm", 0)]
    s = score(rs)
    assert (s["recall"], s["precision"], s["misses"], s["alarms"]) == (0.5, 0.5, ["b"], ["c"])
