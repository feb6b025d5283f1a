"""The exercise framework: what a learner reads when a case fails, returns wrong or raises."""

from __future__ import annotations

import numpy as np
import pytest

from lossedu.exercise import Case, run_checks

CASES = [
    Case("a small vector", (np.array([1.0, 2.0]),), np.array([2.0, 4.0]),
         hint="multiply by two"),
    Case("no hint here", (np.array([3.0]),), np.array([6.0])),
]


class InvalidArgumentError(Exception):
    """Stands in for TensorFlow's, whose messages carry op bookkeeping around the text."""


def test_all_passed():
    assert str(run_checks(lambda x: 2 * x, CASES, title="double")) == (
        "double: all 2 checks passed.")


def test_wrong_answer_shows_expected_got_and_hint():
    fb = run_checks(lambda x: x, CASES, title="double")
    assert fb.failures == [
        "a small vector: expected [2. 4.], got [1. 2.] (hint: multiply by two)",
        "no hint here: expected [6.], got [3.]",
    ]
    assert str(fb) == ("double: 0 of 2 checks passed.\n"
                       "  - a small vector: expected [2. 4.], got [1. 2.] (hint: multiply by two)\n"
                       "  - no hint here: expected [6.], got [3.]")


def test_raising_function_shows_its_error_and_the_hint_on_one_line():
    def broken(x):
        raise ValueError("Bad `x`: too short.\n  expected: two numbers\n  fix: pad it")

    fb = run_checks(broken, CASES, title="double")
    assert fb.failures == [
        "a small vector: raised ValueError: Bad `x`: too short. expected: two numbers "
        "fix: pad it (hint: multiply by two)",
        "no hint here: raised ValueError: Bad `x`: too short. expected: two numbers fix: pad it",
    ]
    assert all("\n" not in f for f in fb.failures)


def test_tensorflow_op_bookkeeping_is_dropped_from_the_error():
    def tf_like(x):
        raise InvalidArgumentError(
            "{{function_node __wrapped__SparseSoftmaxCrossEntropyWithLogits_device_/job:"
            "localhost/replica:0/task:0/device:CPU:0}} Received a label value of -100 which is "
            "outside the valid range of [0, 3).  Label values: 1 -100 0 "
            "[Op:SparseSoftmaxCrossEntropyWithLogits] name: ")

    fb = run_checks(tf_like, CASES[:1], title="port")
    assert fb.failures == [
        "a small vector: raised InvalidArgumentError: Received a label value of -100 which is "
        "outside the valid range of [0, 3). Label values: 1 -100 0 (hint: multiply by two)"]


def test_error_without_a_message():
    def silent(x):
        raise KeyError

    fb = run_checks(silent, CASES[1:], title="t")
    assert fb.failures == ["no hint here: raised KeyError: (no message)"]


def test_not_implemented_is_not_an_error():
    def todo(x):
        raise NotImplementedError

    fb = run_checks(todo, CASES, title="t")
    assert fb.failures == ["a small vector: not implemented yet",
                           "no hint here: not implemented yet"]


def test_html_escapes_the_learners_error():
    def broken(x):
        raise ValueError("<script>alert(1)</script>")

    page = run_checks(broken, CASES[:1], title="t")._repr_html_()
    assert "&lt;script&gt;" in page and "<script" not in page
    assert "(hint: multiply by two)" in page


@pytest.mark.tf
def test_keras_error_in_the_cheat_sheet_port_keeps_its_hint(keras):
    from lossedu.lessons.cheat_sheet import check_torch_port

    def forgot_ignore_class(logits, target):
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)(target, logits)

    fb = check_torch_port(forgot_ignore_class)
    assert fb.failures == [
        "the middle target is -100: raised InvalidArgumentError: Received a label value of -100 "
        "which is outside the valid range of [0, 3). Label values: 1 -100 0 (hint: PyTorch "
        "ignores -100 by default; Keras needs ignore_class=-100)"]
