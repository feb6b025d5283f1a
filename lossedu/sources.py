"""The five blog posts the lessons grew from: one list, shown in README.md and in lesson 00.

The lessons name each post by its ``short`` name ("the PoorMemory post", ...), defined here
once; :func:`sources_markdown` is the table that ``00_start_here`` renders and README.md's
"Sources" section carries (``tests/project/test_sources.py`` keeps the two in step).

>>> [s.short for s in SOURCES][:2]
['the PoorMemory post', 'the CSDN post']
>>> source("the chinasem.cn post").link
'https://blog.csdn.net/ZJRN1027/article/details/80199248'
"""

from __future__ import annotations

from dataclasses import dataclass

from lossedu import i18n
from lossedu.i18n import N_, _

__all__ = ["Source", "SOURCES", "source", "sources_markdown"]


@dataclass(frozen=True)
class Source:
    """One post: how the lessons name it, where it is, and what the lessons do with it."""

    short: str                 # the name the lessons use
    title: str                 # as published (with a translation)
    where: str                 # site and author
    link: str | None           # the link the post itself carries, if any
    lessons: tuple[str, ...]   # the notebooks that use it
    reproduces: str            # the numbers and ideas the lessons reproduce
    corrects: str              # what the lessons correct or add


SOURCES: tuple[Source, ...] = (
    Source(
        N_("the PoorMemory post"),
        N_("TensorFlow 中的 Loss 函数介绍 (\"Loss functions in TensorFlow\")"),
        N_("a blog by 珍妮的算法之路 / PoorMemory, also on Zhihu (专栏 PoorMemory-机器学习)"),
        None,
        ("02_softmax", "03_one_hot_vs_sparse", "06_cheat_sheet"),
        N_("`tf.nn.softmax_cross_entropy_with_logits` and its sparse twin on logits [1, 2, 3] "
           "with label 2: 0.40760595 per row; softmax [0.09003057, 0.24472848, 0.66524094]; "
           "(B, C) logits give (B,) losses"),
        N_("TF1 code (`tf.Session`, `tf.log`) ported to TF 2; its manual loss clips the "
           "probabilities at 1e-10, which caps the loss at 23.03 and zeroes the gradient of a "
           "badly wrong prediction (log-softmax is the stable way)"),
    ),
    Source(
        N_("the CSDN post"),
        N_("损失函数 (\"Loss functions\")"),
        N_("a CSDN blog post: Keras categorical vs sparse cross-entropy and `from_logits` on "
           "Fashion-MNIST"),
        None,
        ("03_one_hot_vs_sparse", "05_from_logits_pitfall"),
        N_("`categorical_crossentropy` vs `sparse_categorical_crossentropy`; the Fashion-MNIST "
           "model `Flatten → Dense(128, relu) → Dense(10)` trained with `from_logits=True` and "
           "`False` (the post: 0.8812 against 0.332 test accuracy)"),
        N_("it calls `from_logits=True` \"more numerically stable\" but not why `False` breaks "
           "training: the clipped, normalised logits stall the loss at log 10 ≈ 2.30, and the test "
           "accuracy lands anywhere from 15 to 50 % (about 87 % with the right loss); "
           "`Reduction.AUTO` no longer exists in Keras 3"),
    ),
    Source(
        N_("the chinasem.cn post"),
        "tf.nn.sparse_softmax_cross_entropy_with_logits()函数",
        N_("chinasem.cn, 2023-10-11, reposting a CSDN post"),
        "https://blog.csdn.net/ZJRN1027/article/details/80199248",
        ("02_softmax",),
        N_("softmax of [3, 1, -3] ≈ [0.88, 0.12, 0.00]; sparse labels are 1-D, one class index "
           "in [0, num_classes) per example"),
        N_("the \"0.00\" is 0.0022, never 0; adding 1e-10 to the logits \"for safety\" does "
           "nothing: softmax is shift-invariant, and float32 rounds the shift away"),
    ),
    Source(
        N_("the cnblogs post"),
        "tensorflow 中 sigmoid, softmax, sparse_softmax 的 cross_entropy_with_logits,常见loss",
        N_("cnblogs, by Sunshine168, 2020-11-13 (it cites https://zhuanlan.zhihu.com/p/33560183)"),
        None,
        ("01_logits", "03_one_hot_vs_sparse", "04_sigmoid_vs_softmax", "06_cheat_sheet"),
        N_("the logit as log-odds; independent vs mutually exclusive classes; "
           "`sigmoid_cross_entropy_with_logits` is element-wise, shape (B, C); softmax "
           "cross-entropy wants each label row to be a distribution"),
        N_("softmax cross-entropy returns shape `[batch_size]`, not `[batch_size, 1]`; `tf.nn` "
           "rejects sparse labels of shape `[batch_size, 1]` (Keras squeezes the trailing 1); "
           "the logit maps the open interval (0, 1); label rows that are not distributions are "
           "not checked, and get a wrong gradient"),
    ),
    Source(
        N_("the Stack Overflow question"),
        N_("a question on `softmax_cross_entropy_with_logits_v2` and binary cross-entropy summed "
           "over the classes"),
        N_("a Chinese translation of a Stack Overflow question, on a Q&A translation site"),
        None,
        ("04_sigmoid_vs_softmax", "06_cheat_sheet"),
        N_("y_true [[0,1,0],[0,0,1]], logits [[0.5,1.5,0.1],[2.2,1.3,1.7]]: softmax "
           "cross-entropy [0.4790107, 1.19967598]; binary cross-entropy summed over the softmax "
           "outputs [0.90335299, 2.11193571]"),
        N_("the question (which number is right?) went unanswered: they are two different "
           "models, one categorical distribution against independent Bernoullis, and which one "
           "fits depends on whether the classes are mutually exclusive"),
    ),
)
"""The posts in the order the project first used them."""


def source(short: str) -> Source:
    """The post the lessons call ``short`` (``"the cnblogs post"``)."""
    for s in SOURCES:
        if s.short == short:
            return s
    raise KeyError(f"no source {short!r}; sources: " + ", ".join(s.short for s in SOURCES))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sources_markdown(link_lessons: str | None = "notebooks/") -> str:
    """The sources as a Markdown table; lesson names link to ``{link_lessons}NN_name.ipynb``.

    README.md uses the default; lesson 00, which sits next to the other notebooks, passes
    ``link_lessons=""``; ``None`` leaves the names unlinked.
    """
    lines = [_("| the lessons call it | post | where | used in | the lessons reproduce | "
               "and correct or add |"),
             "|---|---|---|---|---|---|"]
    shown = i18n._  # the texts of SOURCES are marked with N_() and translated here
    for s in SOURCES:
        where = shown(s.where)
        if s.link:
            where += _("; link given in the post: <{link}>").format(link=s.link)
        if link_lessons is None:
            used = ", ".join(s.lessons)
        else:
            used = ", ".join(f"[{n[:2]}]({link_lessons}{n}.ipynb)" for n in s.lessons)
        lines.append(f"| {_cell(shown(s.short))} | *{_cell(shown(s.title))}* | {_cell(where)} | "
                     f"{used} | {_cell(shown(s.reproduces))} | {_cell(shown(s.corrects))} |")
    return "\n".join(lines)
