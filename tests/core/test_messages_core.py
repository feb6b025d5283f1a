"""The core package speaks Chinese: teaching errors, exercise feedback, check cells, data, CLI.

Each representative call is made twice, in English and under ``using_language("zh")``: the
Chinese text must contain Chinese, raise the same error class, and keep the values (shapes,
numbers, argument names, the code of a fix); the English text is compared with an independent
expectation where one is short enough to write out.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import warnings

import numpy as np
import polib
import pytest

import lossedu as L
from lossedu import errors
from lossedu.claims import run_claims
from lossedu.exercise import Case, run_checks
from lossedu.i18n import using_language
from tools import messages

CJK = re.compile(r"[\u4e00-\u9fff]")
CORE = messages.LOCALE / "core.po"


def _raised(call):
    with pytest.raises(errors.LossInputError) as info:
        call()
    return info.value


# (call, text that must appear in both languages)
ERRORS = {
    "label out of range": (
        lambda: L.sparse_categorical_crossentropy(np.array([0, 3]), np.zeros((2, 3), np.float32),
                                                  from_logits=True),
        ["`y_true`", "3", "[0, 3)", "(1,)", "labels - 1"]),
    "trailing axis": (
        lambda: L.sparse_softmax_cross_entropy_with_logits(np.array([[0], [1]]), np.zeros((2, 3))),
        ["`labels`", "(2, 1)", "(2,)", "(2, 3)", "labels.squeeze(-1)"]),
    "sparse to one-hot": (
        lambda: L.softmax_cross_entropy_with_logits(np.array([0, 1]), np.zeros((2, 3))),
        ["sparse_softmax_cross_entropy_with_logits", "one_hot(labels, depth=3)"]),
    "ragged": (lambda: L.softmax([[1, 2], [3]]), ["row[1]", "row[0]", "1", "2"]),
    "strings": (lambda: L.softmax(np.array(["a", "b"])), ["<U1", "'a'", "`logits`"]),
    "axis type": (lambda: L.softmax(np.zeros(3), axis=1.5), ["1.5", "axis=-1"]),
    "axis range": (lambda: L.softmax(np.zeros((2, 3)), axis=4), ["(2, 3)", "[-2, 2)", "4"]),
    "flag": (lambda: L.categorical_crossentropy(np.eye(3), np.zeros((3, 3)), from_logits="no"),
             ["'no'", "from_logits=False", "True"]),
    "reduction": (lambda: L.reduce_loss(np.ones(3), reduction="auto"),
                  ["'auto'", "Reduction.AUTO", 'reduction="sum_over_batch_size"', "3"]),
    "depth": (lambda: L.one_hot([1, 2], depth=0), ["depth=C", "1"]),
    "scalar": (lambda: L.softmax(5.0), ["(C,)", "(B, C)", "1"]),
    "no classes": (lambda: L.softmax_cross_entropy_with_logits(np.zeros((2, 0)), np.zeros((2, 0))),
                   ["(2, 0)", "-1", "0"]),
    "scalar result": (lambda: L.numerical_gradient(lambda v: v, np.ones(2)),
                      ["(2,)", "lambda v: float(loss(v).sum())"]),
    "float labels": (
        lambda: L.sparse_softmax_cross_entropy_with_logits(np.array([0.5]), np.zeros((1, 3))),
        ["float64", "int32", "int64", "labels.astype(np.int64)"]),
    "class weight key": (lambda: L.class_weight_to_sample_weights(np.array([0, 1]), {"a": 1.0}),
                         ["'a'", "{CLASS_NAMES.index(name): w}"]),
    "recall": (lambda: L.precision_at_recall([0, 1], [0.1, 0.9], recall=2),
               ["(0, 1]", "recall=0.9", "90"]),
    "threshold": (lambda: L.confusion_counts([0, 1], [0.2, 0.7], threshold=2.0),
                  ["sigmoid(2)", "0.8808"]),
    "focal gamma": (lambda: L.binary_focal_crossentropy([1.0], [0.5], gamma=-1.0),
                    ["gamma=2.0", "gamma=0", "-1.0"]),
    "calibration logits": (lambda: L.reliability_bins(np.array([0, 1]), np.array([-2.0, 3.0])),
                           ["-2", "3", "keras.ops.sigmoid"]),
    "mask": (lambda: L.reduce_loss(np.ones(3), mask=np.array([0.0, 0.5, 1.0])),
             ["0.5", "True/False", "sample_weight"]),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_an_error_in_chinese_keeps_its_class_and_its_values(case):
    call, kept = ERRORS[case]
    english = _raised(call)
    with using_language("zh"):
        chinese = _raised(call)
    assert type(chinese) is type(english)
    assert (chinese.argument, type(chinese).__mro__) == (english.argument, type(english).__mro__)
    assert CJK.search(str(chinese)) and not CJK.search(str(english))
    assert "应为：" in str(chinese) and "修正：" in str(chinese)
    for text in kept:
        assert text in str(english), text
        assert text in str(chinese), text


def test_the_english_error_is_unchanged():
    err = _raised(ERRORS["label out of range"][0])
    assert str(err) == (
        "Bad `y_true`: a label is out of range; got a label value of 3 at index (1,).\n"
        "  expected: class indices in [0, 3) for 3 output units\n"
        "  fix: check the label encoding (1-based labels? use labels - 1) or give the model "
        "one output unit per class")
    err = _raised(ERRORS["axis range"][0])
    assert str(err) == ("Bad `axis`: got axis 4 for `logits` of shape (2, 3) (2 axes).\n"
                        "  expected: an int in [-2, 2)\n"
                        "  fix: axis=-1 for the last axis (the classes)")


def test_the_frame_of_a_teaching_error_is_translated_when_it_is_raised():
    err = errors.LossInputError("labels", got="shape (4, 1)", expected="shape (4,)",
                                fix="labels.squeeze(-1)")
    with using_language("zh"):
        chinese = errors.LossInputError("labels", got="shape (4, 1)", expected="shape (4,)",
                                        fix="labels.squeeze(-1)", problem="x;")
    assert str(err) == ("Bad `labels`: got shape (4, 1).\n  expected: shape (4,)\n"
                        "  fix: labels.squeeze(-1)")
    assert str(chinese) == ("`labels` 有误：x;实际得到 shape (4, 1)。\n  应为：shape (4,)\n"
                            "  修正：labels.squeeze(-1)")


def test_the_from_logits_warning_speaks_chinese():
    for lang in ("en", "zh"):
        with using_language(lang), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            L.sparse_categorical_crossentropy([1], [[2.0, -1.0, 0.5]])
        (warning,) = caught
        assert warning.category is L.LogitsAsProbabilitiesWarning
        text = str(warning.message)
        assert bool(CJK.search(text)) == (lang == "zh")
        for kept in ("sparse_categorical_crossentropy", "from_logits=True", "-1",
                     "[1e-7, 1 - 1e-7]"):
            assert kept in text


def test_exercise_feedback_in_both_languages():
    cases = [Case("a small vector", (np.array([1.0, 2.0]),), np.array([2.0, 4.0]),
                  hint="double it")]

    def raises(x):
        raise ValueError("no")

    def todo(x):
        raise NotImplementedError

    assert str(run_checks(lambda x: x, cases, title="double")) == (
        "double: 0 of 1 checks passed.\n"
        "  - a small vector: expected [2. 4.], got [1. 2.] (hint: double it)")
    assert str(run_checks(lambda x: 2 * x, cases, title="double")) == \
        "double: all 1 checks passed."
    with using_language("zh"):
        wrong = str(run_checks(lambda x: x, cases, title="double"))
        right = str(run_checks(lambda x: 2 * x, cases, title="double"))
        failed = str(run_checks(raises, cases, title="double"))
        missing = str(run_checks(todo, cases, title="double"))
        shape = str(run_checks(lambda x: x[:1], cases, title="double"))
        html = run_checks(lambda x: x, cases, title="double")._repr_html_()
    assert wrong == ("double：1 项检查中通过了 0 项。\n"
                     "  - a small vector：应为 [2. 4.]，实际得到 [1. 2.]（提示：double it）")
    assert right == "double：全部 1 项检查通过。"
    assert "ValueError: no" in failed and CJK.search(failed)
    assert "尚未实现" in missing
    assert "(2,)" in shape and "(1,)" in shape and CJK.search(shape)
    assert "double：1 项检查中通过了 0 项。" in html


def test_the_check_cell_line():
    for lang, one, two in (("en", "✓ 1 claim checked", "✓ 2 claims checked"),
                           ("zh", "✓ 已检查 1 条论断", "✓ 已检查 2 条论断")):
        with using_language(lang):
            lines = []
            for source in ("assert 1", "assert 1\nassert 2"):
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    run_claims(source, {})
                lines.append(out.getvalue().strip())
        assert lines == [one, two]


def test_data_messages_in_chinese(tmp_path):
    english = pytest.raises(errors.DataNotFoundError, L.data.load_fashion_mnist, tmp_path)
    with using_language("zh"):
        chinese = pytest.raises(errors.DataNotFoundError, L.data.load_fashion_mnist, tmp_path)
    assert "is not a Fashion-MNIST folder" in str(english.value)
    text = str(chinese.value)
    assert CJK.search(text) and str(tmp_path) in text
    assert "sudo apt-get install dataset-fashion-mnist" in text
    assert "LOSSEDU_DATA=/path/to/that/folder" in text
    assert "train-images-idx3-ubyte.gz" in text


def test_a_corrupt_file_in_chinese(tmp_path):
    bad = tmp_path / "train-labels-idx1-ubyte.gz"
    with gzip.open(bad, "wb") as f:
        f.write(b"\x00\x00\x08\x03" + b"\x00" * 4)
    with using_language("zh"):
        err = L.data._corrupt(bad, "x", "y", "z")
        with pytest.raises(errors.DataCorruptError) as info:
            L.data._read_idx(bad, verify=False)
    assert str(err).startswith("Fashion-MNIST 文件 train-labels-idx1-ubyte.gz 已损坏：x。")
    assert "魔数 2049" in str(info.value) and "魔数 2051" in str(info.value)


def test_training_texts_and_cli_usage(capsys):
    from lossedu.__main__ import main

    quick = L.training.budget("quick")
    with using_language("zh"):
        text = quick.describe()
        main([])
        usage = capsys.readouterr().out
        with pytest.raises(ValueError, match="应为以下之一") as info:
            L.training.budget("slow")
    assert CJK.search(text) and all(n in text for n in ("3", "128", "12000", "5000"))
    assert quick.describe() == ("quick run: 3 epochs x batch size 128 on the first 12000 "
                                "training images; side experiments 3 epochs on 5000 images")
    assert usage.startswith("用法：python -m lossedu COMMAND [options]")
    assert "'slow'" in str(info.value)


def test_the_sources_table_in_chinese():
    from lossedu.sources import SOURCES, sources_markdown

    english = sources_markdown()
    with using_language("zh"):
        chinese = sources_markdown()
    assert english.startswith("| the lessons call it |")
    assert chinese.startswith("| 课程中的称呼 |") and "PoorMemory 的文章" in chinese
    assert english.count("\n") == chinese.count("\n")
    numbers = re.compile(r"\d+(?:\.\d+)?")
    assert sorted(numbers.findall(english)) == sorted(numbers.findall(chinese))
    assert SOURCES[0].short == "the PoorMemory post"  # the lessons' key stays English


def test_class_names_stay_english_values_marked_for_figures():
    from lossedu.constants import CLASS_NAMES
    from lossedu.i18n import catalogue

    assert CLASS_NAMES[0] == "T-shirt/top" and CLASS_NAMES[9] == "Ankle boot"
    assert catalogue("zh")["Ankle boot"] == "短靴"


def test_the_core_catalogue_holds_only_the_core_package():
    po = polib.pofile(str(CORE))
    assert po.metadata["Language"] == "zh_CN"
    found = messages.extract()
    for entry in po:
        where = found[entry.msgid]
        assert any(not w.startswith(("lossedu/diagnosis/", "lossedu/lessons/")) for w in where)
        assert not entry.fuzzy and CJK.search(entry.msgstr)
