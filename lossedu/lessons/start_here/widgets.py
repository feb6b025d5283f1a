"""The self-check quiz of ``00_start_here`` as ipywidgets, over :mod:`~.quiz`.

One block per question (its prompt, radio buttons, a feedback line), then a summary that
routes the learner to a lesson. Choosing an answer grades it at once. Tests drive it
headless::

    box = make_quiz()
    box.children[0].children[1].value = box.children[0].children[1].options[1]
    box.children[0].children[2].value      # the feedback HTML: "✔ Right: (b) 0.5. …"
    box.summary.value                      # "1 of 8 right (1 answered). …"
    box.result.start_at                    # "02_softmax"
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from lossedu.i18n import _
from lossedu.lessons.start_here.quiz import LETTERS, QUESTIONS, Question, Result, grade, score

__all__ = ["QuizBox", "make_quiz"]


class QuizBox(widgets.VBox):
    """The quiz: ``children`` are one ``VBox(prompt, choices, feedback)`` per question, then
    the summary ``HTML``. ``answers`` maps question keys to the chosen letter."""

    def __init__(self, questions: tuple[Question, ...] = QUESTIONS):
        self.questions = tuple(questions)
        self.answers: dict[str, str] = {}
        self.summary = widgets.HTML(layout=widgets.Layout(margin="8px 0 0 0"))
        blocks = []
        self._choices: dict[str, widgets.RadioButtons] = {}
        self._feedback: dict[str, widgets.HTML] = {}
        for n, q in enumerate(self.questions, 1):
            prompt = widgets.HTML(f"<b>{n}.</b> {html.escape(q.shown_prompt())}")
            # the label in the language in use; the value, which grade() reads, in English
            choices = widgets.RadioButtons(
                options=[(f"({LETTERS[j]}) {shown}", c) for j, (shown, c)
                         in enumerate(zip(q.shown_choices(), q.choices, strict=True))],
                value=None, layout=widgets.Layout(width="max-content"))
            feedback = widgets.HTML("")
            choices.observe(self._on_answer(q), names="value")
            self._choices[q.key] = choices
            self._feedback[q.key] = feedback
            blocks.append(widgets.VBox([prompt, choices, feedback],
                                       layout=widgets.Layout(margin="0 0 6px 0")))
        super().__init__(blocks + [self.summary])
        self._update_summary()

    def __repr__(self) -> str:
        # the text a static page shows in place of the widget
        return _("<the {n}-question quiz: run this notebook in Jupyter to answer it; the text "
                 "version follows>").format(n=len(self.questions))

    def _on_answer(self, q: Question):
        def handler(change) -> None:
            if change["new"] is None:
                self.answers.pop(q.key, None)
                self._feedback[q.key].value = ""
            else:
                verdict = grade(q.key, change["new"])
                self.answers[q.key] = verdict.chosen
                self._feedback[q.key].value = verdict.html()
            self._update_summary()
        return handler

    def _update_summary(self) -> None:
        self.result: Result = score(self.answers)
        self.summary.value = (
            '<div style="border:1px solid #bbb;border-radius:4px;padding:4px 10px">'
            + self.result.html() + "</div>")

    def answer(self, key: str, letter: str) -> None:
        """Choose answer ``letter`` ("a", "b", …) for question ``key``, as a click would."""
        q = next(q for q in self.questions if q.key == key)
        self._choices[key].value = q.choices[LETTERS.index(letter)]

    def reset(self) -> None:
        """Clear every answer."""
        for choices in self._choices.values():
            choices.value = None


def make_quiz() -> QuizBox:
    """The 2-minute self-check: choose an answer, read the feedback, follow the route."""
    return QuizBox()
