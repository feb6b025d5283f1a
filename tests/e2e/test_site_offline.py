"""The static site reads offline: every page in Chromium with the network cut off.

The site is built into a temporary folder from the committed lessons as they are
(``build_site(..., run=False)``: executing them is ``make html``'s job and takes minutes),
plus a one-lesson site executed here whose stored widget state holds a slider (labelled in
LaTeX), an HTML readout, an image and an icon button.  Chromium opens every page through a
route that lets ``file://`` requests through and aborts, and records, every other one.  Each
page must then have made no such request, logged no console error and failed no load; each
lesson must show its LaTeX typeset by MathJax (``mjx-container`` elements, no ``mjx-merror``, no
``$...$`` left in the text); the widget snapshot must render.

Needs Debian's ``chromium``, the ``playwright`` package and ``npm`` (or an installed
``tools/site_assets/node_modules``); without them the tests skip with the reason, and with
``CI`` or ``LOSSEDU_E2E=1`` set they fail instead (``e2e_lab.browser_required``, the rule
of the JupyterLab tests).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from e2e_lab import CHROMIUM_FLAGS, browser_required, find_chromium, missing_browser
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lossedu.lessons.registry import LESSONS
from tools import site, site_offline

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LESSON_PAGES = [Path(les.path).with_suffix(".html").name for les in LESSONS]
LESSON_PAGES += [f"zh/{name}" for name in LESSON_PAGES]   # the Chinese edition, in zh/
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJ"
         "RU5ErkJggg==")   # a 1x1 PNG
WIDGET_LESSON = [
    new_markdown_cell("# 01 · Widgets\n\nThe sigmoid $p = \\sigma(z)$, and\n\n"
                      "$$\\frac{1}{1 + e^{-z}}.$$"),
    new_code_cell("import base64\nimport ipywidgets as w\n"
                  "t = w.FloatSlider(value=1.0, min=0.1, max=5.0, description='$T$')\n"
                  "out = w.HTML(f'top probability: {1 / (1 + t.value):.4f}')\n"
                  f"img = w.Image(value=base64.b64decode('{PIXEL}'), format='png', width=40)\n"
                  "w.VBox([t, out, img, w.Button(description='go', icon='check')])"),
]
# Raw TeX left in the rendered text: $...$ or \( \[ delimiters outside code.
RAW_TEX = re.compile(r"\$[^$\n]+\$|\\\(|\\\[")

_VISIT = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const skip = 'mjx-container, code, pre, script, style';
  const texts = [];
  for (const root of document.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedLatex')) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const node = walk.currentNode;
      if (!node.parentElement.closest(skip)) texts.push(node.textContent);
    }
  }
  return {
    mathjax: Boolean(window.MathJax && MathJax.startup),
    typeset: document.querySelectorAll('mjx-container').length,
    errors: document.querySelectorAll('mjx-merror').length,
    text: texts.join(' '),
  };
}"""


def _require(reason: str | None) -> None:
    if reason is None:
        return
    if browser_required():
        pytest.fail(f"the offline-site test is required here (LOSSEDU_E2E=1 or CI=true), "
                    f"but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def node_modules():
    _require(missing_browser())
    try:
        return site_offline.install(log=lambda *_: None)
    except site_offline.AssetsUnavailable as exc:
        _require(str(exc))


@pytest.fixture(scope="module")
def lesson_site(node_modules, tmp_path_factory) -> Path:
    """The committed lessons exported as they are, with index.html and the cheat sheet."""
    out = tmp_path_factory.mktemp("site") / "html"
    site.build_site(out, ROOT / "notebooks", [les.path for les in LESSONS], repo_root=ROOT,
                    log=lambda *_: None, run=False, node_modules=node_modules)
    return out


@pytest.fixture(scope="module")
def widget_site(node_modules, tmp_path_factory) -> Path:
    """A one-lesson site, executed here, with the widget state stored in the page."""
    repo = tmp_path_factory.mktemp("widgets")
    src = repo / "notebooks"
    src.mkdir()
    nb = new_notebook(cells=WIDGET_LESSON)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, src / "01_widgets.ipynb")
    out = repo / "html"
    site.build_site(out, src, repo_root=repo, log=lambda *_: None, node_modules=node_modules)
    return out


class OfflineBrowser:
    """One Chromium context; every request that is not ``file://`` is aborted and kept."""

    def __init__(self, context):
        self.context = context
        self.blocked: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def visit(self, path: Path, wait_for: str | None = None) -> dict:
        """Open ``path``; its blocked requests, console errors and MathJax's results."""
        before = len(self.blocked)
        errors: list[str] = []
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: errors.append(f"failed to load {r.url}"))
        try:
            page.goto(path.as_uri(), wait_until="load")
            if wait_for:
                page.wait_for_selector(wait_for, state="attached", timeout=30_000)
            result = page.evaluate(_VISIT)
            result["widgets"] = page.evaluate(
                "() => Array.from(document.querySelectorAll('.jupyter-widgets.widget-html, "
                ".widget-html-content')).map(e => e.textContent.trim())")
            result["slider"] = page.locator(".widget-slider").count()
            result["image"] = page.locator("img.widget-image, .widget-image img, "
                                           ".jupyter-widgets img").count()
            page.wait_for_timeout(200)   # late font and style loads report their errors
        finally:
            page.close()
        result["blocked"] = self.blocked[before:]
        result["console"] = errors
        return result


@pytest.fixture(scope="module")
def offline(node_modules, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=find_chromium(), headless=True,
            args=[*CHROMIUM_FLAGS, "--disable-sync"])
        try:
            yield OfflineBrowser(context)
        finally:
            context.close()


@pytest.fixture(scope="module")
def visited(lesson_site, offline) -> dict[str, dict]:
    """Every page of the lesson site, opened once."""
    pages = sorted(lesson_site.glob("*.html")) + sorted(lesson_site.glob("zh/*.html"))
    return {p.relative_to(lesson_site).as_posix(): offline.visit(p) for p in pages}


def test_every_page_was_opened(visited):
    assert set(LESSON_PAGES) | {"index.html", "zh/index.html"} <= set(visited), sorted(visited)


def test_every_page_links_its_other_language(lesson_site):
    assert site.check_site(lesson_site, [les.path for les in LESSONS] +
                           [f"zh/{les.path}" for les in LESSONS]) == []


def test_no_request_leaves_the_machine(visited):
    blocked = {name: r["blocked"] for name, r in visited.items() if r["blocked"]}
    assert blocked == {}


def test_no_console_errors(visited):
    errors = {name: r["console"] for name, r in visited.items() if r["console"]}
    assert errors == {}


@pytest.mark.parametrize("name", LESSON_PAGES)
def test_lesson_renders_its_math(visited, name):
    result = visited[name]
    assert result["mathjax"], f"{name}: MathJax did not start"
    assert result["errors"] == 0, f"{name}: {result['errors']} TeX errors (mjx-merror)"
    raw = RAW_TEX.findall(result["text"])
    assert raw == [], f"{name}: LaTeX left untypeset: {raw[:5]}"
    source = nbformat.read(ROOT / "notebooks" / name.replace(".html", ".ipynb"), 4)
    has_math = any(c.cell_type == "markdown" and RAW_TEX.search(c.source)
                   for c in source.cells)
    if has_math:
        assert result["typeset"] > 0, f"{name}: the notebook has math, the page shows none"


def test_widget_snapshot_renders_offline(widget_site, offline):
    result = offline.visit(widget_site / "01_widgets.html", wait_for=".widget-slider")
    assert result["blocked"] == []
    assert result["console"] == []
    assert result["slider"] == 1
    assert "top probability: 0.5000" in result["widgets"]
    assert result["image"] >= 1
    assert result["typeset"] == 3, "two formulas in the Markdown and the slider's label"
    assert result["errors"] == 0
