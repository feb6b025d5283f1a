"""What the package tells learners exists in Chinese too, and says the same thing.

Every message marked for translation (``_()``, ``N_()``, ``figure_text()``) has one reviewed
(non-fuzzy) Chinese translation in ``lossedu/locale/zh/``; no catalogue keeps a message the
package no longer uses; a translation keeps its message's placeholders and numbers; and
switching the language changes the words, never the error class.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from lossedu import errors
from lossedu.i18n import _, catalogue, language, set_language, using_language
from tools import messages

FOUND = messages.extract()
CATALOGUES = messages.catalogues()
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def entries():
    for path, po in CATALOGUES.items():
        for entry in po:
            yield path.name, entry


def test_every_marked_message_has_a_reviewed_translation():
    translated = {e.msgid for _name, e in entries() if e.msgstr and not e.fuzzy}
    missing = [f"{where[0]}: {message[:60]!r}" for message, where in FOUND.items()
               if message not in translated]
    assert missing == [], f"{len(missing)} messages lack a Chinese translation " \
                          "(python -m tools.messages update, then translate)"


def test_catalogues_hold_only_messages_the_package_uses_once():
    seen = Counter(e.msgid for _name, e in entries())
    assert [m for m, n in seen.items() if n > 1] == []
    assert [f"{name}: {e.msgid[:60]!r}" for name, e in entries() if e.msgid not in FOUND] == []


def test_no_message_is_built_inside_the_marker():
    assert messages.non_literal_calls() == []


@pytest.mark.parametrize("name, entry", list(entries()), ids=lambda v: getattr(v, "msgid", v)[:40])
def test_a_translation_keeps_placeholders_and_numbers(name, entry):
    if not entry.msgstr:
        pytest.skip("not translated")
    assert Counter(_PLACEHOLDER.findall(entry.msgstr)) == Counter(_PLACEHOLDER.findall(entry.msgid))
    assert Counter(_NUMBER.findall(_PLACEHOLDER.sub("", entry.msgstr))) == \
        Counter(_NUMBER.findall(_PLACEHOLDER.sub("", entry.msgid)))
    assert re.search(r"[\u4e00-\u9fff]", entry.msgstr) or not re.search(r"[A-Za-z]{4,}",
                                                                        entry.msgid)


def test_the_language_comes_from_setup_then_environment_then_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LOSSEDU_LANG", raising=False)
    set_language(None)
    monkeypatch.chdir(tmp_path)
    assert language() == "en"
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    assert language() == "zh"
    monkeypatch.setenv("LOSSEDU_LANG", "en")
    assert language() == "en"
    assert set_language("zh-CN") == "zh"
    assert set_language(None) == "en"
    with pytest.raises(errors.ParameterError, match="got 'fr'"):
        set_language("fr")


def test_english_is_the_default_and_chinese_is_read_only_when_asked_for():
    code = ("import sys, lossedu, lossedu.i18n as i; "
            "assert i.language() == 'en', i.language(); "
            "assert 'polib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd="/")


def test_chinese_changes_the_words_not_the_error_class():
    from lossedu.losses import sparse_categorical_crossentropy

    y, z = np.array([0, 3]), np.zeros((2, 3), np.float32)
    with pytest.raises(errors.LabelValueError) as english:
        sparse_categorical_crossentropy(y, z, from_logits=True)
    with using_language("zh"), pytest.raises(errors.LabelValueError) as chinese:
        sparse_categorical_crossentropy(y, z, from_logits=True)
    assert str(chinese.value) != str(english.value)
    assert re.search(r"[\u4e00-\u9fff]", str(chinese.value))
    assert "3" in str(chinese.value) and "3" in str(english.value)


def test_unknown_messages_stay_in_english():
    with using_language("zh"):
        assert _("a sentence nobody marked") == "a sentence nobody marked"
    assert catalogue("en") == {}


def test_chinese_figure_labels_draw_without_missing_glyphs_when_a_cjk_font_is_installed():
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lossedu import i18n
    from lossedu.notebook import setup

    if i18n.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei): figures keep "
                    "their English labels, which test_figures_translate_only_with_a_cjk_font "
                    "checks")
    saved = dict(matplotlib.rcParams)
    try:
        setup(lang="zh")
        assert matplotlib.rcParams["font.sans-serif"][0] == i18n.cjk_font()
        label = i18n.figure_text("threshold")
        assert re.search(r"[\u4e00-\u9fff]", label)
        fig, ax = plt.subplots()
        ax.set_xlabel(label)
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # "Glyph ... missing from font(s)" would raise
            fig.canvas.draw()
        plt.close(fig)
    finally:
        matplotlib.rcParams.update(saved)
        set_language(None)
