"""The 2-minute self-check of ``00_start_here``: the lessons, the questions, and where to start.

Pure Python: no TensorFlow, no widgets. The lessons themselves are in
:mod:`lossedu.lessons.registry`; :mod:`lossedu.lessons.start_here.widgets` wires the quiz to
buttons, and the tests call it directly.

>>> grade("logit", "b").correct
True
>>> score({"logit": "a"}).start_at
'01_logits'
>>> score({q.key: q.answer for q in QUESTIONS}).start_at
'06_cheat_sheet'
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from lossedu import i18n
from lossedu.i18n import N_, _
from lossedu.lessons.registry import LESSONS, Lesson, lesson, series_map_markdown

__all__ = [
    "Lesson",
    "LESSONS",
    "lesson",
    "series_map_markdown",
    "Question",
    "QUESTIONS",
    "question",
    "Verdict",
    "Result",
    "grade",
    "score",
    "as_text",
    "report",
    "reveal_answers",
    "AnswerKey",
    "answer_key",
    "LETTERS",
]

LETTERS = "abcd"


@dataclass(frozen=True)
class Question:
    """A multiple-choice question; a wrong answer sends the learner to ``lesson``.

    The texts are English (marked with ``N_()``); :meth:`shown_prompt`, :meth:`shown_choices`
    and :meth:`shown_why` give them in the language in use. A choice's English text stays its
    value, whatever the language shows.
    """

    key: str
    prompt: str
    choices: tuple[str, ...]
    answer: str    # the letter of the right choice: "a", "b", ...
    why: str       # shown after any answer
    lesson: str    # the lesson that teaches it

    @property
    def right_choice(self) -> str:
        return self.choices[LETTERS.index(self.answer)]

    def shown_prompt(self) -> str:
        return i18n._(self.prompt)

    def shown_choices(self) -> tuple[str, ...]:
        return tuple(i18n._(c) for c in self.choices)

    def shown_why(self) -> str:
        return i18n._(self.why)

    def shown_right_choice(self) -> str:
        """The right choice in the learner's language (what the answer key prints)."""
        return i18n._(self.right_choice)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "logit",
        N_("A binary classifier's last layer outputs the logit 0.0 for an image. What probability "
           "does it give the positive class?"),
        ("0.0", "0.5", "1.0", N_("It cannot say without a softmax over the other logits")),
        "b",
        N_("A logit is the log-odds log(p / (1 − p)), and sigmoid turns it back into p: "
           "sigmoid(0) = 0.5. A logit of 0 means even odds."),
        "01_logits"),
    Question(
        "shift",
        N_("How does softmax([101, 102, 103]) compare with softmax([1, 2, 3])?"),
        (N_("They are the same distribution"),
         N_("The first is sharper: larger logits mean more confidence"),
         N_("The first overflows to nan in every implementation"),
         N_("The first is nearly uniform: the logits are close in relative terms")),
        "a",
        N_("Softmax only sees the differences between logits: adding the same number to all of "
           "them changes nothing. Stable implementations use this to subtract the maximum first, "
           "so exp never overflows."),
        "02_softmax"),
    Question(
        "which_loss",
        N_("Your labels are class indices such as [3, 0, 7], shape (32,), and the model outputs "
           "10 logits per example, shape (32, 10). Which loss fits without converting the labels?"),
        ("keras.losses.CategoricalCrossentropy(from_logits=True)",
         "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
         "keras.losses.BinaryCrossentropy(from_logits=True)",
         N_("Any of them: Keras converts the labels")),
        "b",
        N_("Sparse losses take integer class indices; categorical losses take one-hot rows of "
           "shape (32, 10). CategoricalCrossentropy refuses these labels with a shape error: "
           "one-hot them first if you want it. Keep the labels at shape (32,): Keras squeezes "
           "labels of shape (32, 1), but tf.nn.sparse_softmax_cross_entropy_with_logits raises "
           "a ValueError on them (fix: tf.squeeze(y, -1))."),
        "03_one_hot_vs_sparse"),
    Question(
        "weights",
        N_("A Keras loss object gets a batch of 4 losses with sample_weight=[1, 1, 0, 0] and the "
           "default reduction. It sums the weighted losses and divides by:"),
        (N_("2, the sum of the weights"),
         N_("4, the number of losses"),
         N_("Nothing: with weights it returns the sum"),
         N_("2, the number of non-zero losses")),
        "b",
        N_("The default reduction, \"sum_over_batch_size\", divides the weighted sum by the number "
           "of losses, 4, so zero weights pull the mean down. The weighted mean, divided by the "
           "sum of the weights, is reduction=\"mean_with_sample_weight\"."),
        "03b_smoothing_reductions_gradients"),
    Question(
        "multi_label",
        N_("A photo can carry several tags at once: 'beach', 'sunset' and 'dog'. Which output and "
           "loss?"),
        (N_("softmax over the tags + CategoricalCrossentropy"),
         N_("one sigmoid per tag + BinaryCrossentropy"),
         N_("softmax over the tags + SparseCategoricalCrossentropy"),
         N_("one sigmoid per tag + SparseCategoricalCrossentropy")),
        "b",
        N_("Softmax makes the tags compete: its outputs sum to 1, so 'beach' and 'sunset' cannot "
           "both be near 1. Independent yes/no labels need one sigmoid per tag and binary "
           "cross-entropy (tf.nn.sigmoid_cross_entropy_with_logits)."),
        "04_sigmoid_vs_softmax"),
    Question(
        "from_logits",
        N_("The model ends with Dense(10), no activation, and is compiled with "
           "loss=keras.losses.SparseCategoricalCrossentropy(), the defaults. What happens?"),
        (N_("Keras notices the logits and trains normally"),
         N_("It trains badly and silently: 15–50 % test accuracy instead of about 87 %"),
         N_("It raises an error when the model is compiled"),
         N_("It prints a warning and switches to from_logits=True")),
        "b",
        N_("from_logits=False is the default, so Keras treats the raw logits as probabilities: it "
           "clips them to [1e-7, 1 − 1e-7], and every negative logit gets a zero gradient. On "
           "Fashion-MNIST the training loss stays near log 10 ≈ 2.30 and the test accuracy lands "
           "anywhere from 15 to 50 % (it depends on the run), against about 87 % with the right "
           "loss. Say from_logits=True, or end the model with a softmax."),
        "05_from_logits_pitfall"),
    Question(
        "auto",
        N_("Code from an old tutorial passes reduction=tf.keras.losses.Reduction.AUTO to a Keras "
           "loss. With TF 2.21 and Keras 3:"),
        (N_("It works: AUTO is still the default"),
         N_("ValueError: Keras 3 rejects \"auto\"; just delete the argument"),
         N_("It silently becomes \"sum\""),
         N_("AttributeError: tf.keras.losses.Reduction no longer exists")),
        "b",
        N_("tf.keras.losses.Reduction.AUTO still exists in TF 2.21 (its value is \"auto\"), but "
           "Keras 3 losses reject it; keras.losses.Reduction itself is gone. What AUTO meant is "
           "now the default, \"sum_over_batch_size\". The cheat sheet maps every such TF1-era "
           "name."),
        "06_cheat_sheet"),
    Question(
        "threshold",
        N_("A Shirt-vs-rest model (1 shirt in 10) ends with Dense(1), no activation. At the usual "
           "p > 0.5 it finds almost no shirts. What do you do first?"),
        (N_("Switch to a softmax over two outputs"),
         N_("Pick the threshold on a validation split (or train with class_weight)"),
         N_("Pick the threshold with the best F1 on the test split"),
         N_("Add keras.metrics.Precision() to compile() to see what is wrong")),
        "b",
        N_("0.5 is only a default: where to cut p is your choice. Pick the threshold on a "
           "validation split (lossedu.f1_optimal_threshold), or train with "
           "class_weight={0: 1, 1: 9}, and check recall and precision there. A softmax over two "
           "outputs makes the very decision of p > 0.5; a threshold tuned on the test split "
           "overstates the result; and Precision() on logits compares z with 0.5, that is p "
           "with σ(0.5) ≈ 0.62."),
        "07_right_answer"),
)
"""Eight questions, about 15 seconds each, in the order of the lessons they route to."""


def question(key: str) -> Question:
    """The question called ``key``."""
    for q in QUESTIONS:
        if q.key == key:
            return q
    raise KeyError(f"no question {key!r}; questions: " + ", ".join(q.key for q in QUESTIONS))


def _letter(q: Question, choice) -> str:
    """Normalise a choice (a letter, an index, or the choice's text) to its letter."""
    if isinstance(choice, bool):
        choice = None  # neither an index nor a letter
    if isinstance(choice, int) and 0 <= choice < len(q.choices):
        return LETTERS[choice]
    if isinstance(choice, str):
        low = choice.strip().lower().rstrip(")")
        if len(low) == 1 and low in LETTERS[: len(q.choices)]:
            return low
        if choice in q.choices:
            return LETTERS[q.choices.index(choice)]
        shown = q.shown_choices()
        if choice in shown:
            return LETTERS[shown.index(choice)]
    raise ValueError(
        _("Bad answer to {key}: got {choice}.\n"
          "  expected: one of the letters {letters}, an index 0-{last}, or the text of a "
          "choice\n"
          "  fix: {fix}").format(key=repr(q.key), choice=repr(choice),
                                 letters=", ".join(LETTERS[: len(q.choices)]),
                                 last=len(q.choices) - 1, fix=f"{{{q.key!r}: 'a'}}"))


@dataclass(frozen=True)
class Verdict:
    """Feedback on one answer."""

    key: str
    correct: bool
    chosen: str    # the letter given
    message: str   # plain text: right or not, the right answer, why, where to learn it

    def html(self) -> str:
        """The message as a small coloured HTML block (for the widget)."""
        color = "#1a7f37" if self.correct else "#b42318"
        head, _sep, rest = self.message.partition("\n")
        return (f'<div style="border-left:4px solid {color};padding:2px 8px">'
                f'<b style="color:{color}">{html.escape(head)}</b><br>'
                f'{html.escape(rest).replace(chr(10), "<br>")}</div>')


def grade(key: str, choice) -> Verdict:
    """Grade one answer: ``grade("logit", "b")``; ``choice`` may be a letter, index or text."""
    q = question(key)
    letter = _letter(q, choice)
    right, why = i18n._(q.right_choice), q.shown_why()
    if letter == q.answer:
        message = _("✔ Right: ({letter}) {choice}.").format(letter=q.answer, choice=right) + \
            f"\n{why}"
    else:
        message = (_("✘ Not quite: the answer is ({letter}) {choice}.").format(
            letter=q.answer, choice=right) + f"\n{why}\n"
            + _("→ Learn it in {lesson}.").format(lesson=q.lesson))
    return Verdict(key, letter == q.answer, letter, message)


@dataclass(frozen=True)
class Result:
    """The quiz so far: the score, what was missed, and the lesson to start at."""

    total: int
    answered: int
    correct: int
    missed: tuple[str, ...]      # question keys answered wrongly
    review: tuple[str, ...]      # lessons to (re)visit, in series order
    start_at: str                # the lesson name to open next
    message: str

    def html(self) -> str:
        """The summary as HTML, the route in bold."""
        head, _sep, rest = self.message.partition("\n")
        return (f"<b>{html.escape(head)}</b><br>"
                f"{html.escape(rest).replace(chr(10), '<br>')}")


_ORDER = {les.name: n for n, les in enumerate(LESSONS)}


def score(answers: Mapping[str, object]) -> Result:
    """Score ``{question key: choice}`` and route the learner.

    The route: the earliest lesson (in series order) behind a wrong answer or an unanswered
    question. With every answer right, ``06_cheat_sheet`` (keep it at hand and pick any
    lesson). Unknown keys raise ``KeyError``; bad choices raise ``ValueError``.
    """
    verdicts = {k: grade(k, v) for k, v in answers.items() if v is not None}
    missed = tuple(q.key for q in QUESTIONS if q.key in verdicts and not verdicts[q.key].correct)
    unanswered = tuple(q.key for q in QUESTIONS if q.key not in verdicts)
    correct = sum(v.correct for v in verdicts.values())
    review = tuple(sorted({question(k).lesson for k in missed}, key=_ORDER.__getitem__))
    todo = sorted({question(k).lesson for k in missed + unanswered}, key=_ORDER.__getitem__)
    total, answered = len(QUESTIONS), len(verdicts)
    if answered < total:
        head = _("{correct} of {total} right ({answered} answered).").format(
            correct=correct, total=total, answered=answered)
    else:
        head = _("{correct} of {total} right.").format(correct=correct, total=total)
    if not answered:
        start = todo[0]
        body = _("Answer the questions: your route appears here. Without answers, start at "
                 "{start}: {title}.").format(start=start, title=i18n._(lesson(start).title))
    elif not todo:
        start = "06_cheat_sheet"
        body = _("You know the essentials. Pick any lesson you like; keep 06_cheat_sheet at "
                 "hand when you port old TF1 or PyTorch code.")
    else:
        start = todo[0]
        if review:
            others = [name for name in review if name != start]
            body = _("Start at {start}: {title}.").format(
                start=start, title=i18n._(lesson(start).title)) + (
                _(" Then review: {lessons}.").format(lessons=", ".join(others)) if others
                else "")
        else:
            body = _("So far so good. Answer the rest, or start at {start}: {title}.").format(
                start=start, title=i18n._(lesson(start).title))
    return Result(total, answered, correct, missed, review, start, f"{head}\n{body}")


def as_text() -> str:
    """Every question with its lettered choices, for reading without widgets."""
    out = []
    for n, q in enumerate(QUESTIONS, 1):
        out.append(f"{n}. [{q.key}] {q.shown_prompt()}")
        out += [f"   ({LETTERS[j]}) {c}" for j, c in enumerate(q.shown_choices())]
    return "\n".join(out)


def report(answers: Mapping[str, object]) -> str:
    """Plain-text feedback on every answer given, then the score and the route."""
    out = []
    for q in QUESTIONS:
        if answers.get(q.key) is None:
            out.append(_("[{key}] – not answered yet").format(key=q.key))
        else:
            verdict = grade(q.key, answers[q.key])
            out.append(f"[{q.key}] " + verdict.message.replace("\n", "\n    "))
    out.append("")
    out.append(score(answers).message)
    return "\n".join(out)


def reveal_answers() -> str:
    """Every question's right answer and why, for after you have answered (plain text)."""
    out = []
    for n, q in enumerate(QUESTIONS, 1):
        out.append(f"{n}. [{q.key}] ({q.answer}) {q.shown_right_choice()}")
        out.append(f"   {q.shown_why()}")
        out.append(f"   → {q.lesson}")
    return "\n".join(out)


@dataclass(frozen=True)
class AnswerKey:
    """The answers, closed until asked for: a notebook shows a box to click open.

    ``str()`` (and ``print``) give the full text, the same as :func:`reveal_answers`.
    """

    def __str__(self) -> str:
        return reveal_answers()

    def __repr__(self) -> str:
        return _("<the answer key, closed: click 'Show the answers' in Jupyter, or "
                 "print(quiz.reveal_answers())>")

    def _repr_html_(self) -> str:
        return (_("<details><summary><b>Show the answers</b> (after you have answered)"
                  "</summary>") + f"<pre>{html.escape(reveal_answers())}</pre></details>")


def answer_key() -> AnswerKey:
    """The answers behind a closed box (in a notebook); ``print`` it to read them as text."""
    return AnswerKey()
