"""The punctuation the doctor's messages share, in the language in use (:mod:`lossedu.i18n`).

English lists are joined with ", " and sentences with " "; Chinese uses the full-width
comma, brackets and full stop, and runs sentences together after their "。".

>>> join_list(["Dense", "10 units"]), join_sentences(["One.", "Two."])
('Dense, 10 units', 'One. Two.')
>>> with_parts("'dense'", "Dense, 10 units"), full_stop("checked")
("'dense' (Dense, 10 units)", 'checked.')
>>> tidy("输出 'dense'（Dense） 没有激活函数")
"输出 'dense'（Dense）没有激活函数"
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lossedu.i18n import language

__all__ = ["full_stop", "join_list", "join_sentences", "tidy", "with_parts"]

_FULL_WIDTH = "（）：；，。、！？"
_SPACE_AT_FULL_WIDTH = re.compile(rf" +(?=[{_FULL_WIDTH}])|(?<=[{_FULL_WIDTH}]) +")


def join_list(items: Iterable[str]) -> str:
    """Prose items joined with a comma: ", " in English, "，" in Chinese."""
    return ("，" if language() == "zh" else ", ").join(items)


def join_sentences(sentences: Iterable[str]) -> str:
    """Sentences joined with a space, except after a full-width full stop."""
    items = list(sentences)
    return "".join(s if i == 0 or items[i - 1].endswith(("。", "！", "？", "：")) else " " + s
                   for i, s in enumerate(items))


def with_parts(head: str, parts: str) -> str:
    """``head (parts)``; full-width brackets, without the space, in Chinese."""
    return f"{head}（{parts}）" if language() == "zh" else f"{head} ({parts})"


def full_stop(text: str) -> str:
    """``text`` ended with a full stop: "." in English, "。" in Chinese."""
    return text + ("。" if language() == "zh" else ".")


def tidy(text: str) -> str:
    """``text`` without the spaces a template leaves next to full-width punctuation (after
    an output's "（…）", say).  English text has no full-width punctuation: it is unchanged."""
    return _SPACE_AT_FULL_WIDTH.sub("", text)
