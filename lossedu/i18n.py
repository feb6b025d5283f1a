"""The language lossedu speaks to learners: English by default, Simplified Chinese on request.

Every sentence a learner reads from the package (errors, exercise feedback, explorer
readouts, the quiz, the doctor's findings) is written in English inside ``_()``; the
Chinese text lives in gettext catalogues, ``lossedu/locale/zh/*.po``, read with polib the
first time Chinese is asked for. Error classes and finding codes are the same in both.

The language is, in order: ``set_language()`` (which ``lossedu.notebook.setup(lang=...)``
calls), the ``LOSSEDU_LANG`` environment variable, and the folder a notebook runs in
(``notebooks/zh/`` speaks Chinese, so the two editions share their code cells).

>>> from lossedu.i18n import _, set_language
>>> set_language("en")
'en'
>>> _("labels must be integers")
'labels must be integers'
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "_", "figure_text", "language", "set_language", "using_language"]

LANGUAGES = ("en", "zh")
_LOCALE = Path(__file__).with_name("locale")
_chosen: str | None = None


def _normalise(lang: str) -> str:
    code = lang.strip().lower().replace("_", "-")
    if code in ("zh", "zh-cn", "zh-hans", "zh-hans-cn", "cn"):
        return "zh"
    if code in ("en", "en-us", "en-gb", "c", "posix"):
        return "en"
    from lossedu.errors import ParameterError

    raise ParameterError("lang", got=repr(lang), expected=f"one of {LANGUAGES}",
                         fix="setup(lang='zh') for Simplified Chinese, or setup(lang='en')")


def _from_environment() -> str:
    env = os.environ.get("LOSSEDU_LANG", "")
    if env:
        return _normalise(env)
    if Path.cwd().name in LANGUAGES:  # a notebook in notebooks/zh/
        return Path.cwd().name
    return "en"


def set_language(lang: str | None) -> str:
    """Choose the language (``"en"`` or ``"zh"``); ``None`` goes back to the environment's."""
    global _chosen
    _chosen = None if lang is None else _normalise(lang)
    return language()


@contextmanager
def using_language(lang: str):
    """Speak ``lang`` inside a ``with`` block, then go back to the language before it."""
    global _chosen
    saved = _chosen
    set_language(lang)
    try:
        yield
    finally:
        _chosen = saved


def language() -> str:
    """The language in use now: ``"en"`` or ``"zh"``."""
    return _chosen if _chosen is not None else _from_environment()


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every translated, non-fuzzy message of ``lang``: English text -> translation."""
    if lang == "en":
        return {}
    import polib

    table: dict[str, str] = {}
    for po_path in sorted((_LOCALE / lang).glob("*.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.fuzzy and not entry.obsolete:
                table[entry.msgid] = entry.msgstr
    return table


def _(message: str) -> str:
    """``message`` in the current language (English when no translation is recorded)."""
    lang = language()
    if lang == "en":
        return message
    return catalogue(lang).get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; ``_()`` translates it where shown."""
    return message


def figure_text(message: str) -> str:
    """``_(message)`` for a figure: translated only when matplotlib has a font for it.

    Without a CJK font a Chinese label would draw as empty boxes (and warn), so figures keep
    their English labels there.
    """
    lang = language()
    if lang == "en" or cjk_font() is None:
        return message
    return catalogue(lang).get(message, message)


_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
              "Droid Sans Fallback", "AR PL UMing CN")
# File names of those fonts, for a font installed after matplotlib built its font cache.
_CJK_FILES = ("notosanscjk", "notosanssc", "sourcehansans", "wqy", "msyh", "simhei",
              "pingfang", "droidsansfallback", "uming")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font matplotlib can draw Simplified Chinese with, or None.

    matplotlib caches the fonts it found on first use; a CJK font installed later (``apt-get
    install fonts-wqy-microhei``) is looked for on disk once and added to that list.
    """
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in _CJK_FONTS if name in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name.lower().replace("-", "").replace("_", "")
                   for part in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found
