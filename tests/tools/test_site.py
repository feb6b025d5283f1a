"""The static site builder (``make html``, ``tools/site.py``).

The builder is tested on two tiny lessons written here (one with a slider and an HTML
readout, one with an intended error and links between the lessons): executing the seven
real lessons takes minutes and is ``make html``'s job, which runs :func:`check_site` on its
own output.  ``test_built_site_is_sound`` checks that real output too when ``build/html``
exists (after ``make html``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import site, site_offline

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "build" / "html"

FIRST = [
    new_markdown_cell("# 01 · The *first* lesson\n\nIn this notebook you will move a slider.\n\n"
                      "Next: [the second lesson](02_second.ipynb), "
                      "[its part two](02_second.ipynb#Part-two), "
                      "[the data notes](../data/README.md)."),
    new_code_cell("import ipywidgets as w\nprint('two plus two is', 2 + 2)"),
    new_code_cell("t = w.FloatSlider(value=1.0, min=0.1, max=5.0, "
                  "description='T')\nout = w.HTML(f'top probability: {1 / (1 + t.value):.4f}')"
                  "\nw.VBox([t, out])", metadata={"tags": ["nbval-ignore-output"]}),
]
SECOND = [
    new_markdown_cell("Some words before the title.\n\n## 02 · `Second` lesson\n\n"
                      "Back to [the first](01_first.ipynb)."),
    new_code_cell("raise ValueError('shown on purpose')", metadata={"tags": ["raises-exception"]}),
    new_markdown_cell("## Part two"),
    new_code_cell("print('after the error')"),
]


ZH_FIRST = [
    new_markdown_cell("# 01 · 第一课\n\n[数据说明](../../data/README.md)，"
                      "[English](../01_first.ipynb)。"),
    new_code_cell("import lossedu.i18n\nprint('language', lossedu.i18n.language())"),
]


def _write(folder: Path, name: str, cells) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def node_modules():
    """The site's npm packages (``npm ci`` on first use); skipped without npm, but not in CI,
    whose .ci/run installs it."""
    try:
        return site_offline.install(log=lambda *_: None)
    except site_offline.AssetsUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def built(tmp_path_factory, node_modules):
    """A repo-shaped tmp folder with two lessons (and a non-lesson), built once."""
    repo = tmp_path_factory.mktemp("repo")
    (repo / "data").mkdir()
    (repo / "data" / "README.md").write_text("data notes\n")
    src = repo / "notebooks"
    src.mkdir()
    _write(src, "01_first.ipynb", FIRST)
    _write(src, "02_second.ipynb", SECOND)
    _write(src, "scratch.ipynb", [new_code_cell("1/0")])  # not a lesson: not built
    (src / "zh").mkdir()
    _write(src / "zh", "01_first.ipynb", ZH_FIRST)  # 01 has a Chinese edition, 02 not yet
    before = _digest(src)
    out = repo / "build" / "html"
    pages = site.build_site(out, src, repo_root=repo, log=lambda *_: None,
                            node_modules=node_modules)
    return {"src": src, "out": out, "pages": pages, "before": before}


@pytest.mark.slow
def test_every_lesson_gets_a_page_and_the_index_links_them_in_order(built):
    out, pages = built["out"], built["pages"]
    assert [p.notebook for p in pages] == ["01_first.ipynb", "02_second.ipynb",
                                           "zh/01_first.ipynb"]
    assert [p.title for p in pages] == ["01 · The first lesson", "02 · Second lesson",
                                        "01 · 第一课"]
    for p in pages:
        assert (out / p.html).is_file()
    assert not (out / "scratch.html").exists()
    index = (out / "index.html").read_text()
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', index)
    assert links == [("01_first.html", "01 · The first lesson"),
                     ("02_second.html", "02 · Second lesson")]


@pytest.mark.slow
def test_the_chinese_edition_gets_its_pages_and_a_switch_both_ways(built):
    out = built["out"]
    zh = (out / "zh" / "01_first.html").read_text()
    en = (out / "01_first.html").read_text()
    assert '<html lang="zh">' in zh and "language zh" in zh   # its kernel ran in zh/
    assert "language en" not in zh
    assert 'href="zh/01_first.html"' in en and 'href="../01_first.html"' in zh
    assert "lossedu-language" not in (out / "02_second.html").read_text()  # no twin yet
    assert 'src="../_static/require.js"' in zh
    assert "/blob/main/data/README.md" in zh and zh.count('href="../01_first.html"') == 2
    index = (out / "zh" / "index.html").read_text()
    assert 'href="01_first.html"' in index and 'href="../index.html"' in index
    assert 'href="zh/index.html"' in (out / "index.html").read_text()
    assert [p.notebook for p in built["pages"]][-1] == "zh/01_first.ipynb"


@pytest.mark.slow
def test_pages_are_executed_and_sound(built):
    out = built["out"]
    first = (out / "01_first.html").read_text()
    second = (out / "02_second.html").read_text()
    assert "two plus two is 4" in first          # executed, not the empty source outputs
    assert "after the error" in second            # the intended error did not stop the run
    assert "shown on purpose" in second
    assert all(not p.problems for p in built["pages"])
    assert site.check_site(out, ["01_first.ipynb", "02_second.ipynb"]) == []


@pytest.mark.slow
def test_widget_state_is_embedded(built):
    page = (built["out"] / "01_first.html").read_text()
    m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                  page, re.S)
    assert m, "no widget state in the page"
    state = json.loads(m.group(1))["state"]
    models = {v["model_name"] for v in state.values()}
    assert {"FloatSliderModel", "HTMLModel", "VBoxModel"} <= models
    html_model = next(v for v in state.values() if v["model_name"] == "HTMLModel")
    assert html_model["state"]["value"] == "top probability: 0.5000"
    assert 'application/vnd.jupyter.widget-view+json' in page


@pytest.mark.slow
def test_links_are_rewritten_to_pages_and_the_repository(built):
    first = (built["out"] / "01_first.html").read_text()
    assert 'href="02_second.html"' in first
    assert 'href="02_second.html#Part-two"' in first
    assert "/blob/main/data/README.md" in first
    assert ".ipynb\"" not in first.split("<body")[1]


@pytest.mark.slow
def test_pages_load_their_scripts_from_the_site(built):
    page = (built["out"] / "01_first.html").read_text()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert "_static/require.js" in scripts
    assert "_static/mathjax/tex-chtml-full.js" in scripts
    assert "'_static/html-manager/embed-amd.js'" in page     # loaded by the widget snippet
    assert not [u for u in scripts if "//" in u]
    for rel in ("require.js", "mathjax/tex-chtml-full.js", "mathjax/ui/safe.js",
                "html-manager/embed-amd.js", "README.txt"):
        assert (built["out"] / "_static" / rel).is_file(), rel
    assert list((built["out"] / "_static/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))


@pytest.mark.slow
def test_the_source_notebooks_are_not_modified(built):
    assert _digest(built["src"]) == built["before"]


@pytest.mark.slow
def test_cheatsheet_page_when_the_package_has_one(built):
    cheatsheet = pytest.importorskip("lossedu.lessons.cheat_sheet")
    if not hasattr(cheatsheet, "write_cheatsheet"):
        pytest.skip("lossedu.lessons.cheat_sheet.write_cheatsheet does not exist yet")
    out = built["out"]
    assert (out / "cheatsheet.html").stat().st_size > 1000
    assert 'href="cheatsheet.html"' in (out / "index.html").read_text()


@pytest.mark.slow
def test_check_site_finds_errors_dead_links_and_missing_pages(built, tmp_path):
    import shutil

    out = tmp_path / "html"
    shutil.copytree(built["out"], out)
    page = out / "02_second.html"
    text = page.read_text()
    # An error in a cell that is not tagged: drop the tag's class from the page.
    page.write_text(text.replace("celltag_raises-exception", "celltag_other")
                    .replace('href="01_first.html"', 'href="01_gone.html"'))
    problems = site.check_site(out, ["01_first.ipynb", "02_second.ipynb", "03_third.ipynb"])
    assert any("02_second.html: code cell 0" in p and "shown on purpose" in p
               for p in problems), problems
    assert any("broken link '01_gone.html'" in p for p in problems), problems
    assert any("03_third.html is missing" in p for p in problems), problems


def _stdout(text: str):
    return new_output("stream", name="stdout", text=text)


def test_check_cells_show_their_verdict_not_their_source():
    check = new_code_cell("%%check\nassert 1 + 1 == 2\nassert 2 * 3 == 6",
                          metadata={"tags": ["check"]}, outputs=[_stdout("✓ 2 claims checked\n")])
    shown = new_code_cell("x = 41 + 1\nprint(x)", outputs=[_stdout("42\n")])
    nb = new_notebook(cells=[new_markdown_cell("# 01 · Checks"), shown, check])
    soup = BeautifulSoup(site.export(nb, "01 · Checks"), "html.parser")
    first, second = soup.select("div.jp-CodeCell")
    assert "x = 41 + 1" in first.select_one(".jp-InputArea").get_text()
    assert "42" in first.get_text()
    assert second.select_one(".jp-InputArea") is None
    assert "celltag_check" in second["class"]
    assert "✓ 2 claims checked" in second.get_text()
    assert "2 * 3 == 6" not in soup.get_text() and "%%check" not in soup.get_text()
    assert nb.cells[2].source.startswith("%%check")           # the notebook is not changed


def test_check_site_reports_remote_scripts_and_honours_the_raises_tag(tmp_path):
    error = new_output("error", ename="ValueError", evalue="shown on purpose",
                       traceback=["ValueError: shown on purpose"])
    nb = new_notebook(cells=[new_code_cell("raise ValueError('shown on purpose')",
                                           metadata={"tags": ["raises-exception"]},
                                           outputs=[error])])
    (tmp_path / "01_tagged.html").write_text(site.export(nb, "01"))
    nb.cells[0].metadata["tags"] = []
    (tmp_path / "02_untagged.html").write_text(site.export(nb, "02"))
    (tmp_path / "index.html").write_text('<script src="https://cdn.example.org/x.js"></script>'
                                         '<a href="01_tagged.html">1</a>')
    for url in (site_offline.URLS["require_js_url"], site_offline.URLS["mathjax_url"]):
        (tmp_path / url).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / url).write_text("// a stand-in\n")
    problems = site.check_site(tmp_path)
    assert "index.html: loads 'https://cdn.example.org/x.js' from the network" in problems
    assert [p for p in problems if p.startswith("02_untagged.html: code cell 0")], problems
    assert not [p for p in problems if p.startswith("01_tagged.html")], problems
    assert len(problems) == 2, problems


def test_lesson_title_reads_the_first_heading():
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_markdown_cell("text\n### 05 · The "
                                                                      "`from_logits` **pitfall**")])
    assert site.lesson_title(nb, "fallback") == "05 · The from_logits pitfall"
    assert site.lesson_title(new_notebook(cells=[]), "06_cheat_sheet") == "06_cheat_sheet"


def test_built_site_is_sound():
    """``make html``'s output, when it exists: a page per lesson, no errors, links resolve."""
    if not (BUILT / "index.html").is_file():
        pytest.skip("build/html does not exist (run `make html`)")
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")
                     if site.LESSON_NAME.match(p.name))
    stale = [n for n in lessons if not (BUILT / Path(n).with_suffix(".html").name).exists()]
    if stale and len(stale) < len(lessons):
        pytest.skip(f"build/html predates {stale} (run `make html` again)")
    assert site.check_site(BUILT, lessons) == []
