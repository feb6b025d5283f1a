"""00's "why the answers are right": one call settles every quiz answer, and it can fail."""

from __future__ import annotations

import numpy as np
import pytest

import lossedu
from lossedu.lessons.start_here import answers
from lossedu.lessons.start_here.quiz import QUESTIONS

pytestmark = pytest.mark.tf


def test_every_question_has_one_check():
    assert list(answers.CLAIMS) == [q.key for q in QUESTIONS]


def test_verify_answers_prints_one_line_per_question(tf, capsys):
    lines = answers.verify_answers()
    printed = capsys.readouterr().out.splitlines()
    assert printed == lines and len(lines) == len(QUESTIONS)
    assert lines[0] == "✓ logit: sigmoid(0) = 0.5 in TF and lossedu"
    assert lines[1] == ("✓ shift: softmax([101, 102, 103]) = softmax([1, 2, 3]) = "
                        "[0.0900, 0.2447, 0.6652]")
    assert lines[4] == ("✓ multi_label: softmax [0.4999, 0.4999, 0.0002] sums to 1; "
                        "sigmoid [0.982, 0.982, 0.018] says yes twice")
    assert lines[5] == ("✓ from_logits: no warning; loss 16.52 instead of 3.24; the true "
                        "class's negative logit gets gradient 0")
    assert all(line.startswith(f"✓ {q.key}: ") for line, q in zip(lines, QUESTIONS, strict=True))


def test_a_wrong_library_fails_the_check_and_names_the_question(tf, monkeypatch):
    """Break lossedu's softmax: the shift answer no longer holds, and the error says so."""
    monkeypatch.setattr(lossedu, "softmax", lambda z: np.asarray(z) / np.sum(z))
    with pytest.raises(AssertionError, match="the answer to 'shift'"):
        answers.verify_answers(out=None)


def test_a_missing_check_is_noticed(tf, monkeypatch):
    monkeypatch.delitem(answers.CLAIMS, "auto")
    with pytest.raises(AssertionError, match="every question needs exactly one check"):
        answers.verify_answers(out=None)
