"""The lessons of the series, in order: the one list that 00's map, the quiz's routing, the
static site, the data-skipping rules and the tests read.

Pure Python, no NumPy: cheap to import from anywhere.

>>> lesson("02").title, lesson("02_softmax").package
('Softmax', 'lossedu.lessons.softmax')
>>> lesson("03b").package, lesson("03b").core_path
('lossedu.lessons.smoothing_reductions_gradients', False)
>>> [les.number for les in LESSONS if les.needs_data]
['04', '05', '07']
"""

from __future__ import annotations

from dataclasses import dataclass

from lossedu import i18n
from lossedu.i18n import N_, _

__all__ = ["Lesson", "LESSONS", "TIME_RULE", "lesson", "series_map_markdown", "core_path_minutes"]


@dataclass(frozen=True)
class Lesson:
    """One notebook of the series, ``notebooks/<name>.ipynb``, with its package."""

    name: str      # the notebook's file name without .ipynb: "02_softmax", "03b_smoothing_..."
    title: str     # English, marked with N_(): show it through i18n._()
    teaches: str   # the same
    core_minutes: int    # the core, before "Going further", by the time rule
    all_minutes: int     # the whole notebook, by the same rule
    needs_data: bool = False   # trains on Fashion-MNIST
    core_path: bool = True     # part of the two-hour path (00-05)

    @property
    def number(self) -> str:
        """The part before the first ``_``: ``"02"``, or ``"03b"`` for a deep dive after 03."""
        return self.name.partition("_")[0]

    @property
    def path(self) -> str:
        """The notebook's file name, relative to ``notebooks/``."""
        return f"{self.name}.ipynb"

    @property
    def package(self) -> str:
        """The lesson's package: its views, widgets and exercises."""
        return f"lossedu.lessons.{self.name.partition('_')[2]}"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_start_here", N_("Start here"),
           N_("the map, how to run the lessons, a 2-minute self-check"), 9, 14),
    Lesson("01_logits", N_("Logits"),
           N_("the logit as log-odds; sigmoid as its inverse; why cross-entropy, and why losses "
              "take logits"), 18, 40),
    Lesson("02_softmax", N_("Softmax"),
           N_("softmax from scratch and in TF; shift invariance; temperature; overflow and "
              "log-sum-exp; entropy; cross-entropy from `log_softmax`"), 18, 35),
    Lesson("03_one_hot_vs_sparse", N_("One-hot vs sparse labels"),
           N_("one-hot vs sparse labels; CCE vs SCCE; the shape rules; what Keras squeezes and "
              "`tf.nn` rejects or silently gets wrong"), 22, 35),
    Lesson("03b_smoothing_reductions_gradients", N_("Smoothing, reductions and gradients"),
           N_("a deep dive: label smoothing and soft labels; reductions and sample weights; the "
              "gradient `softmax − y`, and where TF's is wrong"), 27, 36, core_path=False),
    Lesson("04_sigmoid_vs_softmax", N_("Sigmoid vs softmax"),
           N_("multi-label vs multi-class; sigmoid CE; the \"accuracy\" metric trap; a decision "
              "table"), 22, 49, needs_data=True),
    Lesson("05_from_logits_pitfall", N_("The from_logits pitfall"),
           N_("the model that silently stalls at a loss of log 10 ≈ 2.30 (15–50 % test "
              "accuracy), reproduced, explained down to the gradient, and caught by "
              "`lossedu doctor`"), 24, 57, needs_data=True),
    Lesson("06_cheat_sheet", N_("Cheat sheet"),
           N_("TF1, TF2, Keras 3, PyTorch and lossedu names side by side, every row checked; a "
              "printable page"), 14, 23, core_path=False),
    Lesson("07_right_answer", N_("From the right loss to the right answer"),
           N_("loss strings and probabilities from a logits model; imbalance trained five ways; "
              "metrics on logits; thresholds; calibration and temperature scaling"), 26, 38,
           needs_data=True, core_path=False),
)
"""The series in order. The minutes come from the time rule (``tools/lesson_time.py``): prose at
150 words a minute, half a minute a code cell, two minutes an explorer, four an exercise;
``tests/project/test_notebook_cells.py`` recomputes them from the notebooks."""

TIME_RULE = N_("prose at 150 words a minute, half a minute for each code cell you read and "
               "run, two minutes for each explorer and four for each exercise; check cells are "
               "collapsed and count nothing")
"""The time rule in English; ``i18n._(TIME_RULE)`` in the language in use."""


def core_path_minutes() -> int:
    """The two-hour path: the core of every lesson on it, by the time rule."""
    return sum(les.core_minutes for les in LESSONS if les.core_path)


def lesson(name: str) -> Lesson:
    """The lesson called ``name`` (``"02_softmax"``), or by its number (``"02"``)."""
    for les in LESSONS:
        if name in (les.name, les.number):
            return les
    raise KeyError(f"no lesson {name!r}; lessons: " + ", ".join(le.name for le in LESSONS))


def series_map_markdown(link_prefix: str = "") -> str:
    """The map of the series as a Markdown table, linking each notebook (``link_prefix``
    goes before each notebook's file name: ``"notebooks/"`` in the README).

    In the language in use (:mod:`lossedu.i18n`): Chinese for the Chinese edition's 00."""
    lines = [_("| # | notebook | what you learn | core | everything |"), "|---|---|---|---|---|"]
    for les in LESSONS:
        minutes = _("{minutes} min").format(minutes=les.core_minutes)
        core = minutes if les.core_path else f"({minutes})"
        everything = _("{minutes} min").format(minutes=les.all_minutes)
        lines.append(f"| {les.number} | [{les.name}]({link_prefix}{les.path}) | "
                     f"{i18n._(les.teaches)} | {core} | {everything} |")
    lines.append("\n" + _("The two-hour path is the core of each lesson whose time is not in "
                          "brackets: {minutes} min in all. The times follow one rule: {rule}.")
                 .format(minutes=core_path_minutes(), rule=i18n._(TIME_RULE)))
    return "\n".join(lines)
