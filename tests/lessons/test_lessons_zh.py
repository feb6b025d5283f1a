"""The lessons in Chinese: the same calls, the same values and error classes, Chinese words.

Every lesson package marks what a learner reads (exercise feedback and hints, explorer
readouts and figure labels, widget labels, the quiz, the cheat sheet, the series map) for
translation; ``lossedu/locale/zh/lessons.po`` holds the Chinese. These tests run
representative calls under ``using_language("zh")`` and check that the words change while the
numbers, shapes, widget values, verdict codes and exception classes do not, and that English
stays exactly what it was.
"""

from __future__ import annotations

import re
import unicodedata

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import lossedu.i18n as i18n  # noqa: E402
from lossedu.errors import LabelValueError, LossInputError, ParameterError  # noqa: E402
from lossedu.i18n import using_language  # noqa: E402

# The figure tests pretend matplotlib has a CJK font; DejaVu Sans then lacks the glyphs.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


@pytest.fixture
def cjk_figures(monkeypatch):
    """Figures translate only where matplotlib has a CJK font: pretend it has one."""
    monkeypatch.setattr(i18n, "cjk_font", lambda: "WenQuanYi Micro Hei")


# ------------------------------------------------------------------ the series map and quiz

def test_the_series_map_speaks_chinese_with_the_same_lessons_and_minutes():
    from lossedu.lessons.registry import LESSONS, core_path_minutes, series_map_markdown

    english = series_map_markdown()
    assert english.splitlines()[0] == "| # | notebook | what you learn | core | everything |"
    assert english.endswith("check cells are collapsed and count nothing.")
    with using_language("zh"):
        table = series_map_markdown()
    head, rule, *rows = table.splitlines()
    assert chinese(head) and rule == "|---|---|---|---|---|"
    for les in LESSONS:
        row = next(r for r in rows if r.startswith(f"| {les.number} |"))
        assert f"[{les.name}]({les.path})" in row and chinese(row)
        assert f"{les.all_minutes} 分钟" in row and f"{les.core_minutes} 分钟" in row
    closing = table.splitlines()[-1]
    assert chinese(closing) and f"{core_path_minutes()} 分钟" in closing and "150" in closing
    assert "min" not in closing and table != english


def test_lesson_titles_stay_english_data_and_translate_when_shown():
    from lossedu.lessons.registry import lesson

    les = lesson("05")
    assert les.title == "The from_logits pitfall"      # the dataclass keeps the English
    with using_language("zh"):
        assert chinese(i18n._(les.title)) and "from_logits" in i18n._(les.title)
        assert chinese(i18n._(les.teaches)) and "2.30" in i18n._(les.teaches)


def test_the_quiz_grades_and_routes_the_same_in_chinese():
    from lossedu.lessons.start_here.quiz import QUESTIONS, grade, question, report, score

    q = question("logit")
    english = grade("logit", "b")
    assert english.message == f"✔ Right: (b) 0.5.\n{q.why}"
    with using_language("zh"):
        right, wrong = grade("logit", "b"), grade("logit", "a")
        routed = score({"logit": "a", "weights": "a"})
        text = report({"shift": "a"})
        # a choice given as its Chinese text is the same answer as its English text
        shown = question("shift").shown_choices()[0]
        assert grade("shift", shown).correct and grade("shift", shown).chosen == "a"
    assert (right.correct, wrong.correct, wrong.chosen) == (True, False, "a")
    assert chinese(right.message) and chinese(wrong.message) and "01_logits" in wrong.message
    assert "sigmoid(0) = 0.5" in right.message
    assert routed.start_at == score({"logit": "a", "weights": "a"}).start_at == "01_logits"
    assert routed.review == ("01_logits", "03b_smoothing_reductions_gradients")
    assert chinese(routed.message) and "03b_smoothing_reductions_gradients" in routed.message
    assert chinese(text) and "[shift]" in text and len(QUESTIONS) == 8
    with using_language("zh"), pytest.raises(ValueError) as bad:
        grade("logit", "z")
    message = str(bad.value)
    assert chinese(message) and "'z'" in message and "{'logit': 'a'}" in message


def test_the_quiz_widget_shows_chinese_labels_over_english_values():
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.start_here.quiz import question
    from lossedu.lessons.start_here.widgets import make_quiz

    with using_language("zh"):
        box = make_quiz()
        box.answer("shift", "a")
        radio = box.children[1].children[1]
        assert [value for _label, value in radio.options] == list(question("shift").choices)
        assert all(chinese(label) for label, _value in radio.options)
        assert chinese(box.children[1].children[0].value)       # the prompt
        assert chinese(box.children[1].children[2].value)       # the feedback
        assert chinese(box.summary.value) and "1" in box.summary.value
        assert box.result.correct == 1 and box.answers == {"shift": "a"}
        assert chinese(repr(box)) and "8" in repr(box)


# ------------------------------------------------------------------ exercises

def test_exercise_feedback_is_chinese_and_fails_the_same_cases():
    from lossedu.lessons.softmax.exercises import check_softmax, solution_softmax

    def naive(logits, axis=-1):
        e = np.exp(np.asarray(logits, dtype=float))
        return e / e.sum(axis=axis, keepdims=True)

    english = check_softmax(naive)
    with using_language("zh"):
        feedback = check_softmax(naive)
        assert check_softmax(solution_softmax).passed
    assert (feedback.passed, feedback.total, len(feedback.failures)) == \
        (english.passed, english.total, len(english.failures)) == (False, 9, 4)
    hints = [f for f in feedback.failures if "logits=[1000, 0]" in f]
    assert hints and chinese(hints[0]) and "softmax(z - max(z))" in hints[0]
    assert any("logits=[1000, 0]: got [nan  0.]" in f and "hint: overflow at" in f
               for f in english.failures)


@pytest.mark.parametrize("module, check", [
    ("logits", "check_binary_cross_entropy"), ("one_hot_vs_sparse", "check_one_hot"),
    ("smoothing_reductions_gradients", "check_keras_mean"),
    ("sigmoid_vs_softmax", "check_multi_hot"), ("from_logits_pitfall", "check_probability_path"),
    ("right_answer", "check_ece")])
def test_every_lessons_case_names_and_hints_translate(module, check):
    from importlib import import_module

    fn = getattr(import_module(f"lossedu.lessons.{module}.exercises"), check)

    def wrong(*args, **kwargs):
        raise ValueError("boom")

    english = fn(wrong)
    with using_language("zh"):
        feedback = fn(wrong)
    assert len(feedback.failures) == len(english.failures) == english.total
    assert sum(chinese(f) for f in feedback.failures) >= len(feedback.failures) - 1
    assert all("ValueError: boom" in f for f in feedback.failures)


def test_the_compile_predictions_keep_english_answers():
    from lossedu.lessons.from_logits_pitfall.exercises import (
        COMPILE_ANSWERS,
        check_compile_predictions,
    )

    with using_language("zh"):
        assert check_compile_predictions(COMPILE_ANSWERS).passed
        feedback = check_compile_predictions({k: "learns" for k in COMPILE_ANSWERS})
        unknown = check_compile_predictions({**COMPILE_ANSWERS, "a": "flies"})
    assert not feedback.passed and any("'stalls'" in f and chinese(f) for f in feedback.failures)
    assert len(unknown.failures) == 1 and "抛出了 ValueError" in unknown.failures[0]
    assert "'flies'" in unknown.failures[0] and chinese(unknown.failures[0])


# ------------------------------------------------------------------ views and their errors

def test_view_readouts_are_chinese_with_the_same_numbers():
    from lossedu.lessons.logits.views import logit_view
    from lossedu.lessons.right_answer.views import temperature_view, threshold_view
    from lossedu.lessons.smoothing_reductions_gradients.views import label_gradient_view
    from lossedu.lessons.softmax.views import softmax_view

    assert logit_view(p=0.75).text == ("p = 0.7500   1 − p = 0.2500   odds p/(1 − p) = 3 (3 : 1)"
                                       "   logit = log odds = 1.0986")
    y, p = np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9])
    with using_language("zh"):
        views = [logit_view(p=0.75).text, softmax_view([3.0, 1.0, -3.0], 0.5, 1).text,
                 threshold_view(y, p, 0.5).text,
                 temperature_view(np.array([1, 1, 0, 1]), np.array([2.0, 1.0, -3.0, -0.5]),
                                  2.0).text,
                 label_gradient_view([1.0, 2.0, 3.0], 0, 0.1, 2.0).text]
    assert all(chinese(v) for v in views)
    assert "1.0986" in views[0] and "3 : 1" in views[0]
    assert "4.0182" in views[1] and "0.9820" in views[1]
    assert "TP 1" in views[2] and "0.500" in views[2]
    assert "0.3478" in views[3] and "0.750" in views[3]
    assert "0.6652" in views[4]


@pytest.mark.parametrize("call, error", [
    (lambda: __import__("lossedu.lessons.logits.views", fromlist=["x"]).logit_view(2.0),
     LossInputError),
    (lambda: __import__("lossedu.lessons.softmax.views", fromlist=["x"]).softmax_view(
        [1.0, 2.0], 1.0, 5), LabelValueError),
    (lambda: __import__("lossedu.lessons.right_answer.views", fromlist=["x"]).focal_view(
        2.0, p_ref=2.0), ParameterError),
    (lambda: __import__("lossedu.lessons.from_logits_pitfall.views", fromlist=["x"])
     .probability_path([1.0, 2.0], 0, kind="x"), LossInputError),
])
def test_view_errors_keep_their_class_and_values(call, error):
    with pytest.raises(error) as english:
        call()
    with using_language("zh"), pytest.raises(error) as zh:
        call()
    assert type(zh.value) is type(english.value)
    assert chinese(str(zh.value)) and str(zh.value) != str(english.value)
    got = re.search(r"got ([^.\n]+)", str(english.value)).group(1)
    assert got in str(zh.value)


def test_label_shape_verdicts_stay_codes_and_read_in_chinese():
    from lossedu.lessons.one_hot_vs_sparse.views import label_shape_view

    english = label_shape_view("sparse (B, 1)", 4, 3)
    with using_language("zh"):
        view = label_shape_view("sparse (B, 1)", 4, 3)
        shown = [o.shown_verdict for o in view.outcomes]
    assert [o.verdict for o in view.outcomes] == [o.verdict for o in english.outcomes] == \
        ["silently wrong", "error", "error", "squeezed"]
    assert all(chinese(s) for s in shown) and [o.error for o in view.outcomes] == \
        ["", "ValueError", "ValueError", ""]
    assert english.text.splitlines()[-1] == "2 of 4 calls raise, 1 silently wrong"
    last = view.text.splitlines()[-1]
    assert chinese(last) and "2" in last and "1" in last and "4" in last
    assert all(call in view.text for call in ("tf.nn.softmax_cross_entropy_with_logits",
                                              "keras.losses.sparse_categorical_crossentropy"))


def test_the_path_table_keeps_its_columns_aligned_in_chinese():
    from lossedu.lessons.from_logits_pitfall.views import path_table, probability_path

    with using_language("zh"):
        path = probability_path([2.0, -1.0, 0.5], label=1)
        lines = path_table(path, names=["cat", "dog", "fish"]).splitlines()
    english = path_table(probability_path([2.0, -1.0, 0.5], label=1), names=["cat", "dog",
                                                                             "fish"]).splitlines()

    def columns(text):   # a CJK character takes two columns
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    assert chinese(lines[0])
    assert columns(lines[0][:lines[0].index("y_pred")]) == english[0].index("y_pred")
    assert lines[1].startswith(" cat") and chinese(lines[1])          # "zero gradient"
    assert "16.5236" in lines[4] and chinese(lines[4]) and chinese(lines[5])


# ------------------------------------------------------------------ widgets and figures

def test_explorer_labels_translate_and_values_do_not():
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.one_hot_vs_sparse.widgets import make_label_shape_explorer
    from lossedu.lessons.smoothing_reductions_gradients.widgets import (
        make_label_gradient_explorer,
    )
    from lossedu.lessons.softmax.widgets import make_softmax_explorer

    with using_language("zh"):
        soft = make_softmax_explorer()
        shapes = make_label_shape_explorer()
        grad = make_label_gradient_explorer()
        soft.true_class.value = 2
        shapes.controls["labels"].value = "one-hot (B, C)"
        grad.controls["true_class"].value = 0
    assert [v for _label, v in soft.true_class.options] == [0, 1, 2, 3]
    assert chinese(soft.true_class.description) and chinese(soft.true_class.options[0][0])
    assert soft.state.true_class == 2 and chinese(soft.readout.value)
    assert [v for _label, v in shapes.controls["labels"].options] == \
        ["sparse (B,)", "sparse (B, 1)", "one-hot (B, C)"]
    assert shapes.state.label_format == "one-hot (B, C)" and chinese(shapes.readout.value)
    assert grad.state.true_class == 0 and chinese(grad.controls["label_smoothing"].description)
    assert chinese(grad.readout.value)


def test_figures_translate_only_with_a_cjk_font(cjk_figures, monkeypatch):
    from lossedu.lessons.right_answer.widgets import make_focal_explorer, reliability_figure

    with using_language("zh"):
        box = make_focal_explorer(2.0)
        fig = reliability_figure(np.array([0, 1, 1, 0]), {"plain": np.array([.2, .7, .9, .4])})
    assert chinese(box.title.get_text()) and "0.0100" in box.title.get_text()
    assert chinese(fig.axes[0].get_title()) and chinese(fig.axes[0].get_xlabel())
    assert "plain (ECE" in fig.axes[0].get_legend().get_texts()[1].get_text()
    monkeypatch.setattr(i18n, "cjk_font", lambda: None)    # no font: boxes, so English
    with using_language("zh"):
        fig = reliability_figure(np.array([0, 1, 1, 0]), {"plain": np.array([.2, .7, .9, .4])})
    assert fig.axes[0].get_title() == "reliability diagram, test split"


def test_training_curves_keep_english_keys_and_translate_the_legend(cjk_figures):
    from lossedu.lessons.from_logits_pitfall.views import curves_view
    from lossedu.lessons.from_logits_pitfall.widgets import training_figure

    runs = {"True": {"history": {"loss": [1.0, 0.5]},
                     "probe": {"epoch": [0.5, 1.0, 2.0], "loss": [2.0, 1.0, 0.5],
                               "accuracy": [0.2, 0.5, 0.8],
                               "zero_grad_fraction": [0.0, 0.0, 0.0]}}}
    with using_language("zh"):
        view = curves_view(runs, 4)
        fig = training_figure(runs, 4)
    assert set(view.loss.series) == {"True", "True (training, per epoch)",
                                     "log(C): every gradient zero"}
    assert chinese(view.loss.title) and chinese(view.loss.xlabel) and chinese(view.text)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == "True" and legend[1].startswith("True") and chinese(legend[1])
    assert legend[2].startswith("log(C)") and chinese(legend[2])


def test_the_pitfall_explorer_keys_its_lines_by_the_shown_titles(cjk_figures):
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.from_logits_pitfall.widgets import make_pitfall_explorer

    x = np.zeros((40, 2, 2), np.float32)
    y = (np.arange(40) % 4).astype(np.uint8)
    with using_language("zh"):
        box = make_pitfall_explorer((x, y), (x[:8], y[:8]), n_train=40)
    assert all(chinese(title) for title in box.lines)
    assert box.output.value == "linear" and chinese(box.output.label)
    assert chinese(box.train_button.description) and chinese(box.readout.value)


# ------------------------------------------------------------------ the cheat sheet

def test_the_cheat_sheet_renders_chinese_prose_around_the_same_code():
    from lossedu.lessons.cheat_sheet import render_html, render_markdown, render_table_markdown

    english = render_html()
    assert '<html lang="en">' in english and "<title>lossedu cheat sheet</title>" in english
    with using_language("zh"):
        page, md = render_html(), render_markdown()
        table = render_table_markdown("reductions", intro=True)
    assert '<html lang="zh-CN">' in page and chinese(page)
    code = re.compile(r"<code>.*?</code>")
    assert set(code.findall(english)) <= set(code.findall(page))   # every piece of code as is
    assert chinese(md.splitlines()[0]) and md.splitlines()[0].startswith("# lossedu")
    assert table.startswith("### ") and chinese(table.splitlines()[0])
    assert '`lossedu.reduce_loss(l, "mean_with_sample_weight", w)`' in table
    assert table.count("\n|") == render_table_markdown("reductions", intro=True).count("\n|")


def test_a_cheat_sheet_check_matches_english_messages_in_a_chinese_notebook():
    from lossedu.lessons.cheat_sheet.checks import TableCheck
    from lossedu.lessons.cheat_sheet.schema import Row, Table

    def speaks_the_language():
        raise ValueError("got a label value of 3" if i18n.language() == "en" else "标签值 3 越界")

    tab = Table("t", "T", "", (Row("r", "r", "—", "—", "—", "—", "x"),))
    said = []
    with using_language("zh"):
        check = TableCheck(tab, torch=False, log=said.append)
        check.raises("r", ValueError, match="got a label value of 3", lossedu=speaks_the_language)
        verdict = check.finish()
    assert said[0] == "✓ r：lossedu 抛出 ValueError：got a label value of 3"
    assert chinese(verdict) and verdict.startswith("t：") and "1" in verdict
