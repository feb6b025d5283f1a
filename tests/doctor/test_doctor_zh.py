"""The doctor in Simplified Chinese: the same codes, severities, classes and numbers, other words.

Under ``using_language("zh")`` every finding's message and reason, the report's headline and
labels, the "not checked" reasons, DoctorCallback's warnings, the argument errors and
``python -m lossedu doctor --lang zh`` speak Chinese; the finding codes, the exit status, the
error classes, the shapes and numbers, and the code in every fix stay what they are in English.
English stays character for character what it was: a few texts are compared with expectations
written out here.  Most tests need no Keras; the CLI test and the callback test use one tiny
model each (a few seconds after the Keras import).
"""

from __future__ import annotations

import ast
import itertools
import re
import warnings

import numpy as np
import pytest

from lossedu.diagnosis import callback, cli
from lossedu.diagnosis.arguments import check_input_shapes, check_lengths, model_from_path
from lossedu.diagnosis.examine import report_for
from lossedu.diagnosis.facts import LabelFacts, LossFacts, MetricFacts, OutputFacts, Subject
from lossedu.diagnosis.report import Finding, Report
from lossedu.diagnosis.rules import all_findings
from lossedu.errors import LabelShapeError, ParameterError, ShapeMismatchError
from lossedu.i18n import language, set_language, using_language

CJK = re.compile(r"[\u4e00-\u9fff]")
SPARSE = LossFacts("'sparse_categorical_crossentropy'", "sparse", False,
                   "SparseCategoricalCrossentropy")


@pytest.fixture(autouse=True)
def _english_around_each_test(monkeypatch):
    """Each test starts (and leaves) in English, whatever LOSSEDU_LANG or the folder says."""
    monkeypatch.delenv("LOSSEDU_LANG", raising=False)
    set_language("en")
    yield
    set_language(None)


def _dense(units, act, **kw):
    return OutputFacts("dense", units, act, "Dense", rank=2, shape=(None, units), **kw)


def _subjects():
    """A matrix of outputs, losses, labels and metrics that makes every static rule speak."""
    outs = [_dense(u, a) for u, a in itertools.product(
        (1, 10), ("linear", "softmax", "sigmoid", "hard_sigmoid", "relu", "tanh", "elu"))]
    outs += [_dense(10, "softmax", repaired=True), _dense(10, "softmax", backend="jax"),
             _dense(10, "softmax", after=("Dropout 'dropout'",)),
             _dense(10, "softmax", dtype="float16"), _dense(10, "linear", source="probe"),
             OutputFacts("out", None, "unknown", source="probe",
                         note="calling the model on x[:32] failed (ValueError: boom)"),
             OutputFacts("conv", 10, "softmax", "Dense", rank=4, shape=(None, 5, 5, 10))]
    losses = [SPARSE,
              LossFacts("SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)",
                        "sparse", True, "SparseCategoricalCrossentropy", ignore_class=-1),
              LossFacts("CategoricalCrossentropy(from_logits=False)", "categorical", False,
                        "CategoricalCrossentropy"),
              LossFacts("CategoricalFocalCrossentropy(from_logits=True)", "categorical", True,
                        "CategoricalFocalCrossentropy"),
              LossFacts("BinaryCrossentropy(from_logits=True)", "binary", True,
                        "BinaryCrossentropy"),
              LossFacts("BinaryCrossentropy(from_logits=False)", "binary", False,
                        "BinaryCrossentropy"),
              LossFacts("(none)", None, None, given=False, recognised=False),
              LossFacts("my_loss", None, None, recognised=False)]
    labels = [None, LabelFacts((40,), "sparse", True, 1, 10, 10),
              LabelFacts((40,), "sparse", True, -1, 5, 7),
              LabelFacts((40,), "sparse", False, 0, 2.5, 20, example_fraction=1.7),
              LabelFacts((40, 3), "dense", True, 0, 1, 3, exclusive=True, distribution=True),
              LabelFacts((40, 10), "dense", True, 0, 1, 10, multi_hot=True),
              LabelFacts((40, 10), "dense", True, 0, 2, 10),
              LabelFacts((40, 5), "mismatch", True, 0, 1, 5)]
    metrics = [[], [MetricFacts('"accuracy"', "accuracy")],
               [MetricFacts("BinaryAccuracy(threshold=0.5)", "binary_accuracy", 0.5)],
               [MetricFacts("Precision()", "thresholded", 0.5), MetricFacts("AUC()", "auc")]]
    inits = [{"value": 9.0, "chance": 2.302585, "floor": 2.1, "reference": "log 10",
              "rows": 40},
             {"value": float("nan"), "chance": 0.693147, "floor": 0.693147,
              "reference": "log 2", "rows": 40},
             {"value": 0.01, "chance": 1.098612, "floor": 1.0, "reference": "log 3", "rows": 40}]
    for (o, lo, lab, m), init in zip(itertools.product(outs, losses, labels, metrics),
                                     itertools.cycle([None, *inits])):
        yield Subject(o, lo, lab, m, init)


def _speak_both(subject):
    english = all_findings(subject)
    with using_language("zh"):
        chinese = all_findings(subject)
    return english, chinese


def test_every_static_finding_speaks_chinese_with_the_same_codes_and_runnable_fixes():
    codes = set()
    for s in _subjects():
        english, chinese = _speak_both(s)
        assert [(f.severity, f.code) for f in chinese] == [(f.severity, f.code) for f in english]
        for en, zh in zip(english, chinese, strict=True):
            codes.add(zh.code)
            assert CJK.search(zh.what) and CJK.search(zh.why), zh.code
            assert not CJK.search(en.what + en.why + en.fix), en.code
            ast.parse(zh.fix)  # prose goes into comments only: the fix is still Python
            assert [ln.split("#")[0] for ln in zh.fix.splitlines()] == \
                [ln.split("#")[0] for ln in en.fix.splitlines()], zh.code  # the same code
            # every number of the English message (shapes, counts, values) is still there
            for number in re.findall(r"\d+(?:\.\d+)?", en.what):
                assert number in zh.what, (zh.code, number)
    from lossedu.diagnosis.codes import CODES

    assert codes == set(CODES)  # the matrix reaches every code


def test_a_finding_names_the_same_shapes_and_values_in_chinese():
    s = Subject(_dense(10, "linear"), SPARSE, LabelFacts((40, 3), "dense", True, 0, 1, 3,
                                                         exclusive=True, distribution=True))
    with using_language("zh"):
        found = {f.code: f for f in all_findings(s)}
    f = found["one-hot-labels-sparse-loss"]
    assert f.what == ("标签的形状为 (40, 3)，每个类别一列（独热），但损失 "
                      "'sparse_categorical_crossentropy' 期望每个样本一个整数类别编号，"
                      "形状 (40,)。")
    assert f.fix.splitlines()[0] == "y = y.argmax(axis=-1)   # 类别编号"
    assert found["linear-output-probability-loss"].what.startswith(
        "输出 'dense'（Dense，10 个单元，激活函数 linear）没有激活函数，所以它产生的是 logit")


def test_the_report_renders_in_chinese_and_english_is_unchanged():
    s = Subject(_dense(10, "linear"), SPARSE, metrics=[MetricFacts('"accuracy"', "accuracy")])
    english = report_for([s], "m", "tensorflow")
    assert english.headline() == (
        "lossedu doctor, model 'm': 1 error. Checked: output 'dense' (Dense, 10 units, "
        "activation linear) gives logits; loss 'sparse_categorical_crossentropy'; metrics "
        "\"accuracy\".")
    assert english.format(ascii_only=True).splitlines()[2:5] == [
        "[x] error [linear-output-probability-loss]",
        "  what: The output 'dense' (Dense, 10 units, activation linear) has no activation, so "
        "it produces logits, but the loss 'sparse_categorical_crossentropy' expects "
        "probabilities (from_logits=False).",
        "  why:  With from_logits=False Keras clips the outputs to [1e-7, 1 - 1e-7], takes the "
        "log and renormalises. Logits are not probabilities: every value that ends up outside "
        "[1e-7, 1 - 1e-7] is clipped, and a clipped value has a gradient of exactly zero "
        "(every negative logit, about half of them at the start), so much of the output stops "
        "learning. Keras raises no error and prints no warning: the loss sits near a constant "
        "and accuracy stalls. (Lesson 05's Fashion-MNIST model: the training loss sticks at "
        "log 10 ≈ 2.30, where every gradient is zero, and the test accuracy lands anywhere "
        "from about 15 to 50 %, depending on the random seed and the machine, instead of about "
        "0.86.)"]
    with using_language("zh"):
        chinese = report_for([s], "m", "tensorflow")
        text, html = chinese.format(), chinese._repr_html_()
        ascii_text = chinese.format(ascii_only=True)
    assert chinese.codes == english.codes and chinese.ok == english.ok
    assert text.startswith("lossedu doctor，模型 'm'：1 个错误。已检查：输出 'dense'（Dense，"
                           "10 个单元，激活函数 linear）给出 logit；损失 "
                           "'sparse_categorical_crossentropy'；指标 \"accuracy\"。")
    assert "✖ 错误 [linear-output-probability-loss]\n  问题：" in text
    assert "\n  原因：" in text and "\n  修复：\n      loss = keras.losses." in text
    assert "[x] 错误 [linear-output-probability-loss]" in ascii_text
    assert "<b style='color:#c62828'>✖ 错误</b> <code>linear-output-probability-loss</code>" \
        in html and "<p><b>问题：</b>" in html
    assert "What:" not in html and "Checked:" not in html
    # the report keeps the language it was made in; rendering switches the frame only
    assert "error [linear-output-probability-loss]" in english.format()


def test_counts_and_clean_reports_in_chinese():
    findings = [Finding("error", "a", "甲。", "y", "f"), Finding("error", "b", "乙。", "y", "f"),
                Finding("warning", "c", "丙。", "y", "f"), Finding("info", "d", "丁。", "y", "f")]
    with using_language("zh"):
        assert Report(findings, "S。", "m").headline() == \
            "lossedu doctor，模型 'm'：2 个错误，1 个警告，1 条提示。已检查：S。"
        clean = Report([], "S。", "m")
        assert clean.headline() == "\u2714 未发现问题：S。"
        assert clean.headline(ascii_only=True) == "[ok] 未发现问题：S。"
        assert "<b>\u2714 未发现问题：</b>S。" in clean._repr_html_()
    assert Report(findings, "S.", "m").headline() == \
        "lossedu doctor, model 'm': 2 errors, 1 warning, 1 info. Checked: S."
    assert Report([], "S.", "m").headline() == "\u2714 No problems found: S."


def test_not_checked_reasons_in_chinese():
    out = OutputFacts("sub", None, "unknown", source="probe",
                      note="calling the model on x[:32] failed (ValueError: boom)")
    s = Subject(out, LossFacts("my_loss", None, None, recognised=False))
    english = report_for([s], "sub", "tensorflow")
    with using_language("zh"):
        chinese = report_for([s], "sub", "tensorflow")
        head, html = chinese.headline(), chinese._repr_html_()
    assert english.not_checked == [
        "The loss my_loss is not one of Keras's cross-entropies, so the from_logits and label "
        "checks were skipped.",
        "The doctor could not tell whether the output 'sub' gives logits or probabilities: "
        "calling the model on x[:32] failed (ValueError: boom)."]
    assert english.headline().startswith("\u2139 Not checked: The loss my_loss is not one of "
                                         "Keras's cross-entropies, so the from_logits and label "
                                         "checks were skipped. The doctor could not tell")
    assert not chinese.checked and chinese.codes == english.codes
    assert [CJK.search(r) is not None for r in chinese.not_checked] == [True, True]
    assert "x[:32]" in chinese.not_checked[1] and "ValueError: boom" in chinese.not_checked[1]
    assert head.startswith("\u2139 未检查：损失 my_loss 不是 Keras 的交叉熵之一")
    assert "已检查：" in head
    assert "<p><b>\u2139 未检查：</b>" in html


def test_several_outputs_are_named_in_chinese():
    a = Subject(OutputFacts("a", 3, "softmax", "Dense", rank=2),
                LossFacts("SparseCategoricalCrossentropy(from_logits=True)", "sparse", True,
                          "SparseCategoricalCrossentropy"))
    b = Subject(OutputFacts("b", 1, "softmax", "Dense", rank=2), SPARSE)
    with using_language("zh"):
        r = report_for([a, b], "two", "jax")
    assert all(f.what.startswith(("[输出 'a'] ", "[输出 'b'] ")) for f in r.findings)
    assert " | " in r.summary and r.summary.endswith("。")


def test_the_callbacks_findings_and_warning_in_chinese():
    s = Subject(_dense(10, "linear"), SPARSE)
    with using_language("zh"):
        built = [callback._nan_finding(float("nan"), 3), callback._nan_finding(1e400, 7, True),
                 callback._saturated_finding(s, {"max_abs": 61.25}, 5, True),
                 callback._saturated_finding(s, {"saturated_share": 0.734}, 5, False),
                 callback._zero_grad_finding(s, {"zero_fraction": 0.5, "dead_rows": 0.25}, 10),
                 callback._stuck_finding(s, 2.3025, 2.302585, 20)]
        watcher = callback._Watcher.__new__(callback._Watcher)  # its _warn needs no Keras
        watcher.findings, watcher.stop = [], False
        with pytest.warns(callback.DoctorWarning) as caught:
            watcher._warn(built[4])
    assert [f.code for f in built] == ["nan-loss", "nan-loss", "saturating-outputs",
                                       "saturating-outputs", "zero-output-gradients",
                                       "loss-stuck-at-chance"]
    assert all(CJK.search(f.what) and CJK.search(f.why) for f in built)
    assert built[0].what == "3 步之后，训练损失为 nan（不是有限值）。"
    assert "61.2" in built[2].what and "73%" in built[3].what
    assert "50%" in built[4].what and "25%" in built[4].what
    assert "2.3025" in built[5].what and "log 10 = 2.3026" in built[5].what
    for f in built:
        ast.parse(f.fix)
    assert str(caught[0].message) == (
        "lossedu.DoctorCallback [zero-output-gradients] " + built[4].what + "\n  修复："
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    english = callback._stuck_finding(s, 2.3025, 2.302585, 20)
    assert english.what == ("After 20 steps the training loss is still 2.3025, within 2 % of "
                            "log 10 = 2.3026: the model is not learning anything yet.")
    assert callback._nan_finding(float("inf"), 7, True).what == \
        "After 7 steps the model's outputs is inf (not finite)."


def test_argument_errors_in_chinese_keep_their_class_and_values(tmp_path):
    cases = [
        (LabelShapeError, lambda: check_lengths(np.zeros((4, 3)), np.zeros(5)), ["4", "5"]),
        (ParameterError, lambda: model_from_path(None, "model.h5"), ["model.h5", ".keras"]),
        (ParameterError, lambda: model_from_path(None, str(tmp_path / "m.keras")), ["m.keras"]),
        (ParameterError, lambda: callback._check_arguments(None, [1], 20, 10), ["x_sample"]),
        (LabelShapeError, lambda: callback._check_arguments(np.zeros((3, 2)), np.zeros(4),
                                                            20, 10), ["4", "x_sample"]),
        (ParameterError, lambda: callback._check_arguments(np.zeros((3, 2)), np.zeros(3), 0,
                                                           10), ["steps=20", ">= 1"]),
    ]
    for cls, call, values in cases:
        with pytest.raises(cls) as english:
            call()
        with using_language("zh"), pytest.raises(cls) as chinese:
            call()
        assert CJK.search(str(chinese.value)) and not CJK.search(str(english.value))
        assert chinese.value.argument == english.value.argument
        for v in values:
            assert v in str(chinese.value), (v, str(chinese.value))

    class Model:
        class _Input:
            shape = (None, 28, 28)

        inputs = [_Input()]

    with using_language("zh"), pytest.raises(ShapeMismatchError) as err:
        check_input_shapes(Model(), np.zeros((2, 784)))
    assert "形状为 (28, 28) 的行，即模型的输入 (None, 28, 28)" in str(err.value)
    assert "x = x.reshape(len(x), 28, 28)   # 如果数值本身对得上" in str(err.value)
    with pytest.raises(LabelShapeError) as english:
        check_lengths(np.zeros((4, 3)), np.zeros(5))
    assert str(english.value) == (
        "Bad `y`: 5 labels for 4 input rows got 5 rows.\n"
        "  expected: one label (row) per input row: 4\n"
        "  fix: lossedu.doctor(model, x=x_train[:n], y=y_train[:n])   # the same n rows of both")


# --- the command line ----------------------------------------------------------------------

def test_cli_help_in_chinese_documents_lang(capsys):
    assert cli.main_doctor(["--help"]) == 0
    english = capsys.readouterr().out
    assert "--lang {en,zh}" in english and "LOSSEDU_LANG" in english
    assert not CJK.search(english)
    assert cli.main_doctor(["--lang", "zh", "--help"]) == 0
    chinese = capsys.readouterr().out
    assert "检查已保存的 Keras 模型" in chinese and "--lang {en,zh}" in chinese
    assert "linear-output-probability-loss" in chinese  # the codes are listed as they are
    assert language() == "en"  # the CLI gives the language back


def test_cli_messages_follow_lang_then_lossedu_lang(tmp_path, capsys, monkeypatch):
    missing = str(tmp_path / "nope.keras")
    assert cli.main_doctor([missing, "--lang", "zh"]) == 2
    assert capsys.readouterr().err == f"lossedu doctor: 文件不存在：{missing}\n"
    assert cli.main_doctor(["--lang=zh-CN", str(tmp_path)]) == 2
    assert "不是文件" in capsys.readouterr().err
    monkeypatch.setenv("LOSSEDU_LANG", "zh")
    assert cli.main_doctor([missing]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert cli.main_doctor([missing, "--lang", "en"]) == 2
    assert capsys.readouterr().err == f"lossedu doctor: no such file: {missing}\n"
    monkeypatch.setenv("LOSSEDU_LANG", "fr")
    assert cli.main_doctor([missing]) == 2
    assert "LOSSEDU_LANG" in capsys.readouterr().err
    monkeypatch.delenv("LOSSEDU_LANG")
    assert cli.main_doctor([missing, "--lang", "fr"]) == 2  # a usage error, as argparse says
    assert "--lang" in capsys.readouterr().err
    set_language("zh")  # set in Python, the CLI still defaults to LOSSEDU_LANG / English
    assert cli.main_doctor([missing]) == 2
    assert "no such file" in capsys.readouterr().err and language() == "zh"


@pytest.fixture(scope="module")
def saved_model(keras, tmp_path_factory):
    """A saved .keras model with the silent from_logits error, and one-hot labels for it."""
    d = tmp_path_factory.mktemp("doctor_zh")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(d / "bad.keras")
    np.save(d / "y.npy", np.eye(3, dtype="float32")[np.arange(30) % 3])
    return str(d / "bad.keras"), str(d / "y.npy")


@pytest.mark.tf
def test_cli_reports_in_chinese_on_a_saved_model(saved_model, capsys):
    path, labels = saved_model
    assert cli.main_doctor([path, "--labels", labels]) == 1
    english = capsys.readouterr().out
    assert cli.main_doctor([path, "--labels", labels, "--lang", "zh"]) == 1
    chinese = capsys.readouterr().out
    codes = re.compile(r"^\S+ \S+ \[([a-z-]+)\]$", re.M)
    assert codes.findall(chinese) == codes.findall(english)
    assert "one-hot-labels-sparse-loss" in codes.findall(chinese)
    assert chinese.startswith("lossedu doctor，模型 'sequential")
    assert "✖ 错误 [linear-output-probability-loss]" in chinese
    assert "(30, 3)" in chinese and "标签为独热行，形状 (30, 3)" in chinese
    assert english.startswith("lossedu doctor, model 'sequential")
    assert "error [linear-output-probability-loss]" in english and not CJK.search(english)
    assert cli.main_doctor([path, "--lang", "zh", "--ascii"]) == 1
    assert "[x] 错误 [linear-output-probability-loss]" in capsys.readouterr().out
    assert language() == "en"


@pytest.mark.tf
def test_doctor_callback_warns_in_chinese(keras):
    import lossedu

    rng = np.random.default_rng(7)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with using_language("zh"):
        cb = lossedu.DoctorCallback(x, y, steps=2, every=1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(x, y, epochs=1, batch_size=32, verbose=0, callbacks=[cb])
    ours = [str(w.message) for w in caught if issubclass(w.category, lossedu.DoctorWarning)]
    assert ours and all(CJK.search(m) and "\n  修复：" in m for m in ours)
    assert "lossedu.DoctorCallback [linear-output-probability-loss] " in ours[0]
    assert "linear-output-probability-loss" in [f.code for f in cb.findings]
