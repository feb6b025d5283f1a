"""The self-check of 00_start_here: the lesson map, grading, routing, and the widget."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

from lossedu.lessons.start_here import quiz
from lossedu.lessons.start_here.quiz import LESSONS, QUESTIONS, grade, score

ROOT = Path(__file__).resolve().parents[3]
START = ROOT / "notebooks" / "00_start_here.ipynb"
# The answer key, written out: a question whose stored answer drifts fails here.
ALL_RIGHT = {"logit": "b", "shift": "a", "which_loss": "b", "weights": "b",
             "multi_label": "b", "from_logits": "b", "auto": "b", "threshold": "b"}


def wrong_letter(q) -> str:
    return next(letter for letter in "abcd" if letter != q.answer)


# ------------------------------------------------------------------ the lesson map

def test_lessons_are_numbered_in_order_and_unique():
    on_path = [les.number for les in LESSONS if les.core_path]
    assert on_path == [f"{n:02d}" for n in range(6)]
    numbers = [les.number for les in LESSONS]          # deep dives: "03b" right after "03"
    assert numbers == sorted(numbers) and "03b" in numbers
    assert len({les.name for les in LESSONS}) == len(LESSONS)
    assert LESSONS[0].name == "00_start_here"
    assert all(0 < les.core_minutes <= les.all_minutes and les.teaches for les in LESSONS)


def test_lessons_match_the_readme_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\[(\d\d_\w+)\]\(notebooks/\1\.ipynb\)", readme)
    assert linked, "the README's lesson table links notebooks/NN_name.ipynb"
    names = {les.name for les in LESSONS}
    assert set(linked) <= names, f"README lessons missing from quiz.LESSONS: {set(linked) - names}"
    for name in ("01_logits", "02_softmax", "03_one_hot_vs_sparse", "04_sigmoid_vs_softmax",
                 "05_from_logits_pitfall"):
        assert name in names


def test_lesson_lookup_by_name_and_number():
    assert quiz.lesson("02_softmax").title == "Softmax"
    assert quiz.lesson("05").name == "05_from_logits_pitfall"
    assert quiz.lesson("03_one_hot_vs_sparse").path == "03_one_hot_vs_sparse.ipynb"
    with pytest.raises(KeyError, match="lessons: 00_start_here"):
        quiz.lesson("07_nope")


def test_series_map_links_every_lesson():
    table = quiz.series_map_markdown()
    lines = table.splitlines()
    assert lines[0] == "| # | notebook | what you learn | core | everything |"
    rows = [line for line in lines if line.startswith("| ")][1:]
    assert len(rows) == len(LESSONS)
    for les, row in zip(LESSONS, rows, strict=True):
        assert row.startswith(f"| {les.number} | [{les.name}]({les.name}.ipynb) |")
        core = f"{les.core_minutes} min" if les.core_path else f"({les.core_minutes} min)"
        assert row.endswith(f" | {core} | {les.all_minutes} min |"), row
    off_path = [les.name for les in LESSONS if not les.core_path]
    assert {"03b_smoothing_reductions_gradients", "06_cheat_sheet", "07_right_answer"} <= set(
        off_path)


def test_start_here_notebook_shows_the_current_map():
    nb = json.loads(START.read_text(encoding="utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert any(quiz.series_map_markdown() in text for text in markdown), (
        "the map in 00_start_here is stale: rebuild it from quiz.series_map_markdown()")


def test_start_here_notebook_runs_the_quiz_widget_and_its_text_version():
    nb = json.loads(START.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    widget_cells = [c for c in nb["cells"] if "make_quiz(" in "".join(c["source"])]
    assert len(widget_cells) == 1
    assert {"nbval-ignore-output", "explorer"} <= set(widget_cells[0]["metadata"]["tags"])
    assert any("quiz.as_text()" in src for src in code)
    assert any("quiz.report(" in src for src in code)


# ------------------------------------------------------------------ the questions

def test_questions_are_well_formed():
    assert 5 <= len(QUESTIONS) <= 8, "about 2 minutes: 15-20 seconds a question"
    keys = [q.key for q in QUESTIONS]
    assert len(set(keys)) == len(keys)
    lesson_names = {les.name for les in LESSONS}
    for q in QUESTIONS:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4, q.key
        assert q.answer in "abcd"
        assert q.lesson in lesson_names, q.key
        assert q.prompt.strip() and q.why.strip()
        assert max(len(c) for c in q.choices) <= 80, "radio labels do not wrap: keep them short"


def test_the_answer_key():
    assert {q.key: q.answer for q in QUESTIONS} == ALL_RIGHT


@pytest.mark.tf
def test_the_answers_are_what_tensorflow_does(tf, keras):
    """Every answer a TF or Keras call can settle, settled by that call."""
    def right(key):
        q = quiz.question(key)
        return q.choices["abcd".index(q.answer)]

    assert right("logit") == f"{float(tf.math.sigmoid(0.0)):.1f}"
    np.testing.assert_allclose(tf.nn.softmax([101.0, 102.0, 103.0]).numpy(),
                               tf.nn.softmax([1.0, 2.0, 3.0]).numpy(), rtol=1e-6)
    assert right("shift") == "They are the same distribution"
    labels = np.arange(32) % 10
    logits = np.zeros((32, 10), np.float32)
    keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    with pytest.raises(ValueError):
        keras.losses.CategoricalCrossentropy(from_logits=True)(labels, logits)
    assert right("which_loss") == "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
    with pytest.raises(ValueError, match="rank"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels[:, None], logits=logits)
    assert "tf.nn.sparse_softmax_cross_entropy_with_logits raises" in quiz.question(
        "which_loss").why
    with pytest.raises(ValueError):
        keras.losses.SparseCategoricalCrossentropy(reduction="auto")
    assert right("auto").startswith("ValueError: Keras 3 rejects")
    weighted = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        labels[:4], logits[:4] + np.arange(10, dtype=np.float32), sample_weight=[1, 1, 0, 0])
    per_example = keras.losses.sparse_categorical_crossentropy(
        labels[:4], logits[:4] + np.arange(10, dtype=np.float32), from_logits=True).numpy()
    np.testing.assert_allclose(float(weighted), per_example[:2].sum() / 4, rtol=1e-6)
    assert right("weights") == "4, the number of losses"
    z = np.array([0.8, 0.2, 0.6, 0.3, 0.1, -0.4, -1.0], np.float32)     # logits
    y = np.array([1, 1, 0, 0, 0, 0, 0], np.float32)

    def precision(scores, **kw):
        m = keras.metrics.Precision(**kw)
        m.update_state(y, scores)
        return float(m.result())

    p = tf.math.sigmoid(z)
    assert precision(z) == precision(p, thresholds=float(tf.math.sigmoid(0.5))) == 1 / 2  # z > 0.5
    assert precision(p) == precision(z, thresholds=0.0) == pytest.approx(2 / 5)      # z > 0
    np.testing.assert_allclose(tf.nn.softmax(np.stack([0 * z, z], 1))[:, 1], p, atol=1e-6)
    assert right("threshold").startswith("Pick the threshold on a validation split")
    assert "σ(0.5) ≈ 0.62" in quiz.question("threshold").why
    assert f"{float(tf.math.sigmoid(0.5)):.2f}" == "0.62"


def test_every_lesson_after_the_start_has_a_question():
    routed = {q.lesson for q in QUESTIONS}
    assert routed == {les.name for les in LESSONS[1:]}


def test_questions_follow_the_series_order():
    order = [quiz.lesson(q.lesson).number for q in QUESTIONS]
    assert order == sorted(order)


# ------------------------------------------------------------------ grading

@pytest.mark.parametrize("q", QUESTIONS, ids=[q.key for q in QUESTIONS])
def test_grade_right_and_wrong(q):
    right = grade(q.key, q.answer)
    assert right.correct and right.chosen == q.answer
    assert right.message.startswith("✔ Right") and q.why in right.message
    wrong = grade(q.key, wrong_letter(q))
    assert not wrong.correct
    assert wrong.message.startswith(f"✘ Not quite: the answer is ({q.answer})")
    assert f"→ Learn it in {q.lesson}." in wrong.message


def test_grade_accepts_a_letter_an_index_or_the_text():
    q = quiz.question("logit")
    for choice in ("b", "B", " b) ", 1, "0.5"):
        assert grade("logit", choice).correct, choice
    assert grade("logit", 0).chosen == "a" and not grade("logit", 0).correct
    assert grade("logit", q.choices[3]).chosen == "d"


@pytest.mark.parametrize("bad", ["e", 4, -1, "0.7", True, 1.0, None])
def test_grade_refuses_what_is_not_a_choice(bad):
    with pytest.raises(ValueError, match=r"(?s)Bad answer to 'logit'.*expected: one of the "
                                         r"letters a, b, c, d.*fix:"):
        grade("logit", bad)


def test_unknown_question():
    with pytest.raises(KeyError, match="questions: logit, shift"):
        grade("softmax_temperature", "a")
    with pytest.raises(KeyError):
        score({"nope": "a"})


def test_verdict_html_is_escaped_and_coloured():
    v = grade("which_loss", "a")
    out = v.html()
    assert "#b42318" in out and "<b" in out
    assert "SparseCategoricalCrossentropy(from_logits=True)" in out
    raw = quiz.Verdict("k", True, "a", "✔ <b>head</b>\nwhy <script>x</script>").html()
    assert "&lt;b&gt;head&lt;/b&gt;" in raw and "&lt;script&gt;" in raw and "<script" not in raw
    assert "#1a7f37" in raw


# ------------------------------------------------------------------ routing

def test_no_answers_start_at_the_first_lesson():
    result = score({})
    assert (result.answered, result.correct, result.start_at) == (0, 0, "01_logits")
    assert result.missed == () and result.review == ()
    assert "Answer the questions" in result.message


def test_all_right_goes_to_the_cheat_sheet():
    result = score(ALL_RIGHT)
    assert (result.answered, result.correct) == (len(QUESTIONS), len(QUESTIONS))
    assert result.start_at == "06_cheat_sheet" and result.review == ()
    assert result.message.startswith(f"{len(QUESTIONS)} of {len(QUESTIONS)} right.")


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.key for q in QUESTIONS])
def test_one_wrong_answer_routes_to_its_lesson(q):
    result = score(dict(ALL_RIGHT, **{q.key: wrong_letter(q)}))
    assert result.start_at == q.lesson
    assert result.missed == (q.key,) and result.review == (q.lesson,)
    assert f"Start at {q.lesson}" in result.message


def test_several_wrong_answers_start_at_the_earliest_and_review_the_rest():
    answers = dict(ALL_RIGHT, auto="a", which_loss="a", from_logits="c", threshold="d")
    result = score(answers)
    assert result.start_at == "03_one_hot_vs_sparse"
    assert result.review == ("03_one_hot_vs_sparse", "05_from_logits_pitfall", "06_cheat_sheet",
                             "07_right_answer")
    assert result.missed == ("which_loss", "from_logits", "auto", "threshold")
    assert ("Then review: 05_from_logits_pitfall, 06_cheat_sheet, 07_right_answer."
            in result.message)
    assert result.correct == len(QUESTIONS) - 4


def test_unanswered_questions_count_as_unknown():
    partial = {q.key: q.answer for q in QUESTIONS if q.lesson != "04_sigmoid_vs_softmax"}
    result = score(partial)
    assert result.start_at == "04_sigmoid_vs_softmax" and result.review == ()
    assert "So far so good" in result.message
    assert result.message.startswith(f"{len(partial)} of {len(QUESTIONS)} right "
                                     f"({len(partial)} answered).")
    assert score(dict(partial, multi_label=None)).answered == len(partial)


def test_report_gives_feedback_for_each_question():
    text = quiz.report({"logit": "b", "which_loss": "a"})
    lines = text.splitlines()
    assert lines[0] == "[logit] ✔ Right: (b) 0.5."
    assert "[shift] – not answered yet" in lines
    assert "[which_loss] ✘ Not quite: the answer is (b)" in text
    assert text.endswith(score({"logit": "b", "which_loss": "a"}).message)


def test_as_text_lists_every_question_and_choice():
    text = quiz.as_text()
    for n, q in enumerate(QUESTIONS, 1):
        assert f"{n}. [{q.key}] {q.prompt}" in text
        for letter, choice in zip("abcd", q.choices, strict=True):
            assert f"   ({letter}) {choice}" in text


# ------------------------------------------------------------------ the widget

@pytest.fixture
def box():
    pytest.importorskip("ipywidgets")
    from lossedu.lessons.start_here.widgets import make_quiz

    return make_quiz()


def radios(box, n):
    return box.children[n].children[1]


def feedback(box, n):
    return box.children[n].children[2].value


def test_widget_layout(box):
    import ipywidgets as widgets

    assert len(box.children) == len(QUESTIONS) + 1
    assert box.children[-1] is box.summary
    for n, q in enumerate(QUESTIONS):
        prompt, choices, fb = box.children[n].children
        assert isinstance(choices, widgets.RadioButtons) and choices.value is None
        assert html.escape(q.prompt) in prompt.value
        assert [label for label, _ in choices.options] == [
            f"({letter}) {c}" for letter, c in zip("abcd", q.choices, strict=True)]
        assert fb.value == ""
    assert "0 of 8 right (0 answered)" in box.summary.value
    assert box.result.start_at == "01_logits"
    assert "run this notebook in Jupyter" in repr(box)


def test_choosing_an_answer_gives_instant_feedback(box):
    q = QUESTIONS[0]
    radios(box, 0).value = q.right_choice
    assert "✔ Right: (b) 0.5." in feedback(box, 0)
    assert box.answers == {"logit": "b"}
    assert "1 of 8 right (1 answered)" in box.summary.value
    assert box.result.start_at == "02_softmax"
    assert feedback(box, 1) == ""


def test_a_wrong_answer_routes_and_can_be_changed(box):
    n = [q.key for q in QUESTIONS].index("from_logits")
    q = QUESTIONS[n]
    radios(box, n).value = q.choices[0]
    assert "✘ Not quite" in feedback(box, n) and "05_from_logits_pitfall" in feedback(box, n)
    assert box.result.missed == ("from_logits",)
    radios(box, n).value = q.right_choice
    assert "✔ Right" in feedback(box, n) and box.result.missed == ()


def test_all_right_through_the_widget(box):
    for n, q in enumerate(QUESTIONS):
        radios(box, n).value = q.right_choice
    assert box.result.correct == len(QUESTIONS)
    assert box.result.start_at == "06_cheat_sheet"
    assert "You know the essentials" in box.summary.value


def test_answer_helper_and_reset(box):
    box.answer("shift", "c")
    assert radios(box, 1).value == QUESTIONS[1].choices[2]
    assert box.result.missed == ("shift",)
    box.reset()
    assert box.answers == {} and box.result.answered == 0
    assert all(feedback(box, n) == "" for n in range(len(QUESTIONS)))


def test_summary_score_is_a_number_the_browser_test_can_read(box):
    def read():
        return int(re.search(r"(\d+) of 8 right", box.summary.value).group(1))

    before = read()
    radios(box, 0).value = QUESTIONS[0].right_choice
    assert read() == before + 1
