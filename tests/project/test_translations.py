"""The Chinese edition (notebooks/zh/): complete, current, and saying the same as the English.

Each English Markdown cell has a translation in its lesson's catalogue, made from the English
text the cell holds now (its recorded hash matches); the built notebook is what the English
notebook and the catalogue give; the code cells are the English ones; every number and every
formula of a translated cell is in its English cell and the other way round; and the terms
follow the glossary.
"""

from __future__ import annotations

import re
from collections import Counter

import nbformat
import pytest
import tomllib

from tools import translate
from tools.cells import tags

NAMES = translate.lesson_names()
GLOSSARY = tomllib.loads((translate.CHINESE / "glossary.toml").read_text(encoding="utf-8"))["term"]

_FENCE = re.compile(r"```.*?```", re.S)
_CODE = re.compile(r"`[^`\n]*`")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]+\$", re.S)
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)\)")
_URL = re.compile(r"<?https?://[^\s)>]+>?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def pairs(name: str):
    """(cell id, English source, Chinese source) for each translated cell of ``name``."""
    by_id = {e.msgctxt: e for e in translate.load(name)}
    for cell in translate.translatable(translate.english(name)):
        entry = by_id.get(cell.id)
        if entry is not None and entry.msgstr:
            yield cell.id, cell.source, entry.msgstr


def prose(markdown: str) -> str:
    """``markdown`` without code, math, URLs or link targets: the words a reader reads."""
    for pattern in (_FENCE, _CODE, _MATH, _URL):
        markdown = pattern.sub(" ", markdown)
    return _LINK_TARGET.sub("]", markdown)


def numbers(markdown: str) -> Counter:
    text = _LINK_TARGET.sub("]", _URL.sub(" ", markdown))
    return Counter(_NUMBER.findall(text))


def formulas(markdown: str) -> Counter:
    return Counter(m.strip() for m in _MATH.findall(_FENCE.sub(" ", _CODE.sub(" ", markdown))))


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_is_translated_from_the_current_english(name):
    assert translate.problems(name) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_chinese_notebook_is_built_from_english_and_catalogue(name):
    path = translate.CHINESE / f"{name}.ipynb"
    assert path.exists(), f"{path} is missing: python -m tools.translate run {name}"
    committed = nbformat.read(path, as_version=4)
    expected = translate.built(name)
    assert [c.id for c in committed.cells] == [c.id for c in expected.cells]
    for have, want in zip(committed.cells, expected.cells, strict=True):
        where = f"{name} cell {have.id}"
        assert have.cell_type == want.cell_type, where
        assert have.source == want.source, f"{where} is stale: python -m tools.translate run {name}"
        assert tags(have) == tags(want), where


@pytest.mark.parametrize("name", NAMES)
def test_code_cells_are_identical_in_both_editions(name):
    en = translate.english(name)
    zh = nbformat.read(translate.CHINESE / f"{name}.ipynb", as_version=4)
    en_code = [(c.id, c.source, tags(c)) for c in en.cells if c.cell_type == "code"]
    zh_code = [(c.id, c.source, tags(c)) for c in zh.cells if c.cell_type == "code"]
    assert zh_code == en_code


@pytest.mark.parametrize("name", NAMES)
def test_numbers_and_formulas_are_the_same_in_both_editions(name):
    for cell_id, en, zh in pairs(name):
        assert numbers(zh) == numbers(en), f"{name} cell {cell_id}: numbers differ"
        assert formulas(zh) == formulas(en), f"{name} cell {cell_id}: math differs"


@pytest.mark.parametrize("name", NAMES)
def test_translations_are_in_chinese_and_keep_the_markdown_structure(name):
    for cell_id, en, zh in pairs(name):
        where = f"{name} cell {cell_id}"
        if re.search(r"[A-Za-z]{3,}", prose(en)):
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{where} has no Chinese"
        heading = re.compile(r"^(#+) ", re.M)
        assert heading.findall(zh) == heading.findall(en), f"{where}: headings differ"
        assert zh.count("```") == en.count("```"), f"{where}: code blocks differ"
        assert Counter(_CODE.findall(_FENCE.sub(" ", zh))) == \
            Counter(_CODE.findall(_FENCE.sub(" ", en))), f"{where}: inline code differs"
        assert [ln.count("|") for ln in zh.splitlines() if ln.startswith("|")] == \
            [ln.count("|") for ln in en.splitlines() if ln.startswith("|")], \
            f"{where}: table columns differ"


@pytest.mark.parametrize("name", NAMES)
def test_terms_follow_the_glossary(name):
    bad = []
    for cell_id, en, zh in pairs(name):
        en_words, zh_words = prose(en), prose(zh)
        for term in GLOSSARY:
            if re.search(rf"\b(?:{term['en']})\b", en_words, re.I) and term["zh"] not in zh_words:
                bad.append(f"{name} cell {cell_id}: English says {term['en']!r}, "
                           f"the Chinese lacks {term['zh']!r}")
            bad += [f"{name} cell {cell_id}: {word!r} where the glossary says {term['zh']!r}"
                    for word in term.get("avoid", []) if word in zh_words]
    assert bad == []


def _anchor(heading: str) -> str:
    return heading.strip().replace(" ", "-")


@pytest.mark.parametrize("name", NAMES)
def test_links_between_chinese_lessons_resolve(name):
    zh = nbformat.read(translate.CHINESE / f"{name}.ipynb", as_version=4)
    for cell in zh.cells:
        if cell.cell_type != "markdown":
            continue
        for target in _LINK_TARGET.findall(cell.source):
            if target.startswith(("http", "mailto:")) or not target:
                continue
            file, _, anchor = target.partition("#")
            path = (translate.CHINESE / file).resolve() if file else \
                translate.CHINESE / f"{name}.ipynb"
            assert path.exists(), f"{name}: link {target} leads nowhere"
            if anchor and path.suffix == ".ipynb":
                other = nbformat.read(path, as_version=4)
                heads = {_anchor(h) for c in other.cells if c.cell_type == "markdown"
                         for h in re.findall(r"^#+ (.+)$", c.source, re.M)}
                assert anchor in heads, f"{name}: link {target}: no heading {anchor!r}"


def test_the_readme_has_a_chinese_section_with_the_chinese_map():
    from lossedu.i18n import using_language
    from lossedu.lessons.registry import series_map_markdown

    readme = (translate.ROOT / "README.md").read_text(encoding="utf-8")
    assert "## 简体中文" in readme and "(#简体中文)" in readme
    section = readme.split("## 简体中文", 1)[1].split("\n## ", 1)[0]
    with using_language("zh"):
        expected = series_map_markdown("notebooks/zh/")
    assert expected in section, "README's Chinese map is stale: paste " \
        "series_map_markdown('notebooks/zh/') under using_language('zh') into it"
    assert "make lab" in section and "make test" in section
    assert "jupyterlab-language-pack-zh-CN" in section


def test_the_chinese_notebooks_start_with_the_chinese_map():
    from lossedu.i18n import using_language
    from lossedu.lessons.registry import series_map_markdown

    ids = {c.id for c in translate.english("00_start_here").cells if translate.is_generated(c)}
    zh = nbformat.read(translate.CHINESE / "00_start_here.ipynb", as_version=4)
    maps = [c.source for c in zh.cells if c.id in ids]
    with using_language("zh"):
        assert maps == [series_map_markdown()]


def test_editing_an_english_cell_makes_its_translation_stale(tmp_path, monkeypatch):
    """The gettext "fuzzy" workflow, end to end, on a copy of lesson 02 and its catalogue."""
    import shutil

    name = "02_softmax"
    english_dir, catalogues = tmp_path / "notebooks", tmp_path / "notebooks" / "zh" / "translations"
    catalogues.mkdir(parents=True)
    shutil.copy(translate.ENGLISH / f"{name}.ipynb", english_dir)
    shutil.copy(translate.catalogue_path(name), catalogues)
    monkeypatch.setattr(translate, "ENGLISH", english_dir)
    monkeypatch.setattr(translate, "CHINESE", english_dir / "zh")
    monkeypatch.setattr(translate, "CATALOGUES", catalogues)
    assert translate.problems(name) == []

    nb = translate.english(name)
    cell = translate.translatable(nb)[1]
    old = cell.source
    cell.source = old + "\n\nA sentence added to the English."
    nbformat.write(nb, english_dir / f"{name}.ipynb")
    stale = translate.problems(name)
    assert len(stale) == 1 and cell.id in stale[0] and "stale" in stale[0]

    translate.update(name)  # like msgmerge: the entry turns fuzzy and keeps the old English
    entry = next(e for e in translate.load(name) if e.msgctxt == cell.id)
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and entry.msgid == cell.source
    assert "fuzzy" in translate.problems(name)[0]
    with pytest.raises(SystemExit, match=cell.id):
        translate.build(name)   # a stale catalogue builds no notebook

    translated = f"{entry.msgstr}\n\n加在英文里的一句话。"
    translate.import_markdown(name, f"<!-- cell {cell.id} -->\n{translated}")
    assert translate.problems(name) == []
    entry = next(e for e in translate.load(name) if e.msgctxt == cell.id)
    assert translate.recorded_hash(entry) == translate.source_hash(cell.source)
