"""The lessons of the series, in order: the one list that 00's map, the quiz's routing, the
static site, the data-skipping rules and the tests read.

Pure Python, no NumPy: cheap to import from anywhere.

>>> lesson("02").title, lesson("02_softmax").package
('Softmax', 'lossedu.lessons.softmax')
>>> [les.number for les in LESSONS if les.needs_data]
['04', '05']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Lesson", "LESSONS", "lesson", "series_map_markdown"]


@dataclass(frozen=True)
class Lesson:
    """One notebook of the series, ``notebooks/<name>.ipynb``, with its package."""

    name: str      # the notebook's file name without .ipynb, e.g. "02_softmax"
    title: str
    teaches: str
    minutes: int   # an estimate of the time to work through it
    needs_data: bool = False   # trains on Fashion-MNIST

    @property
    def number(self) -> str:
        return self.name[:2]

    @property
    def path(self) -> str:
        """The notebook's file name, relative to ``notebooks/``."""
        return f"{self.name}.ipynb"

    @property
    def package(self) -> str:
        """The lesson's package: its views, widgets and exercises."""
        return f"lossedu.lessons.{self.name[3:]}"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_start_here", "Start here",
           "the map, how to run the lessons, a 2-minute self-check", 5),
    Lesson("01_logits", "Logits",
           "the logit as log-odds; sigmoid as its inverse; why networks output logits", 20),
    Lesson("02_softmax", "Softmax",
           "softmax from scratch and in TF; shift invariance; temperature; overflow and "
           "log-sum-exp", 25),
    Lesson("03_one_hot_vs_sparse", "One-hot vs sparse labels",
           "one-hot vs sparse labels; shape rules; label smoothing; reductions; the gradient "
           "`softmax − y`", 30),
    Lesson("04_sigmoid_vs_softmax", "Sigmoid vs softmax",
           "multi-label vs multi-class; sigmoid CE; the \"accuracy\" metric trap; a decision "
           "table", 25, needs_data=True),
    Lesson("05_from_logits_pitfall", "The from_logits pitfall",
           "the model that silently stalls at a loss of log 10 ≈ 2.30 (15–50 % test accuracy), "
           "reproduced, explained down to the gradient, and caught by `lossedu doctor`", 35,
           needs_data=True),
    Lesson("06_cheat_sheet", "Cheat sheet",
           "TF1, TF2, Keras 3, PyTorch and lossedu names side by side, every row checked; a "
           "printable page", 15),
)
"""The series in order. ``minutes`` are estimates for a first pass, running every cell."""


def lesson(name: str) -> Lesson:
    """The lesson called ``name`` (``"02_softmax"``), or by its number (``"02"``)."""
    for les in LESSONS:
        if name in (les.name, les.number):
            return les
    raise KeyError(f"no lesson {name!r}; lessons: " + ", ".join(le.name for le in LESSONS))


def series_map_markdown() -> str:
    """The map of the series as a Markdown table, linking each notebook."""
    lines = ["| # | notebook | what you learn | time |", "|---|---|---|---|"]
    for les in LESSONS:
        lines.append(f"| {les.number} | [{les.name}]({les.path}) | {les.teaches} | "
                     f"~{les.minutes} min |")
    return "\n".join(lines)
