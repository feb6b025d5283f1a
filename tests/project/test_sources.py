"""README's Sources section, lesson 00 and ``lossedu.sources`` name the same five posts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lossedu.lessons.start_here.quiz import LESSONS
from lossedu.sources import SOURCES, source, sources_markdown

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
START = ROOT / "notebooks" / "00_start_here.ipynb"

# The posts as the project names them: titles as published, and the links the posts carry.
TITLES = [
    "TensorFlow 中的 Loss 函数介绍",
    "损失函数",
    "tf.nn.sparse_softmax_cross_entropy_with_logits()函数",
    "tensorflow 中 sigmoid, softmax, sparse_softmax 的 cross_entropy_with_logits,常见loss",
    "softmax_cross_entropy_with_logits_v2",
]
LINKS = [
    "https://blog.csdn.net/ZJRN1027/article/details/80199248",
    "https://zhuanlan.zhihu.com/p/33560183",
]


def readme_sources() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Sources\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert match, "README.md has no '## Sources' section followed by another section"
    return match.group(1)


def test_module_lists_the_five_posts():
    assert len(SOURCES) == 5
    assert len({s.short for s in SOURCES}) == 5
    for title, s in zip(TITLES, SOURCES, strict=True):
        assert title in s.title
    assert [s.link for s in SOURCES if s.link] == LINKS[:1]
    assert LINKS[1] in source("the cnblogs post").where
    names = {les.name for les in LESSONS}
    for s in SOURCES:
        assert s.lessons and set(s.lessons) <= names, s.short
        assert s.where and s.reproduces and s.corrects


@pytest.mark.parametrize("s", SOURCES, ids=[s.short for s in SOURCES])
def test_readme_names_every_post_as_the_module_does(s):
    section = readme_sources()
    assert s.short in section
    assert s.title.split(" (")[0] in section
    if s.link:
        assert s.link in section


def test_readme_carries_every_title_and_link():
    section = readme_sources()
    for text in TITLES + LINKS:
        assert text in section, f"README's Sources section lacks {text!r}"


def test_readme_table_is_the_module_table():
    assert sources_markdown() in readme_sources(), (
        "README's Sources table is stale: paste lossedu.sources.sources_markdown() into it")


def test_lesson_00_renders_the_module_table():
    nb = json.loads(START.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("sources_markdown(" in src for src in code)
    shown = ["".join(out.get("data", {}).get("text/markdown", ""))
             for c in nb["cells"] if c["cell_type"] == "code" for out in c.get("outputs", [])]
    assert sources_markdown(link_lessons="") in shown, (
        "00_start_here shows an old Sources table: re-run it with tools/nbrun.py")


def test_links_in_lesson_00_point_at_sibling_notebooks():
    table = sources_markdown(link_lessons="")
    for name in re.findall(r"\]\(([^)]+)\)", table):
        assert (ROOT / "notebooks" / name).exists(), name


def test_unknown_source():
    with pytest.raises(KeyError, match="sources: the PoorMemory post"):
        source("the blog")
