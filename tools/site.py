"""Build the static site of the series: ``python -m tools.site build/html`` (``make html``).

Every lesson ``notebooks/NN_*.ipynb`` is executed afresh (a copy, in a temporary folder:
the committed notebooks are never written), with the widget state stored in the notebook
(``nbclient``'s ``store_widget_state=True``), and exported to ``NN_name.html`` with
nbconvert's ``lab`` template (``--no-execute`` exports the committed outputs as they are).
The pages embed that widget state, so the explorers render (sliders, readouts, the last
figure).  The site reads offline: require.js, MathJax 3 and the widget manager are npm
packages pinned in ``tools/site_assets/`` and copied into ``_static/`` next to the pages
(``tools/site_offline.py``); no page loads anything from the network.  Cells tagged
``check`` show their one-line verdict without their source.  Links between lessons
(``02_softmax.ipynb``) are rewritten to the pages (``02_softmax.html``); links to other
files of the repository go to the repository on GitHub.

``index.html`` links the lessons in order, each titled by its notebook's first heading,
and the printable cheat sheet (``cheatsheet.html``) when ``lossedu.lessons.cheat_sheet`` provides
``write_cheatsheet``.  :func:`check_site` then checks what was written: every page exists,
no cell shows an error except those tagged ``raises-exception``, every relative link
resolves, and no page loads a script or stylesheet from the network.  The command exits
with 1 if anything is wrong.

It lives in ``tools/``, outside the package: ``import lossedu`` never needs nbconvert or
BeautifulSoup (a declared ``dev`` dependency).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.nbcheck import notebook_problems  # noqa: E402
from tools.nbexec import execute as _execute  # noqa: E402
from tools.site_offline import (  # noqa: E402
    TEMPLATES,
    URLS,
    AssetsUnavailable,
    copy_assets,
    install,
)

__all__ = ["Page", "lesson_title", "execute", "export", "build_site", "check_site", "main"]

REPO_URL = "https://github.com/lossedu/lossedu"
LESSON_NAME = re.compile(r"^\d\d[a-z]?_[\w-]+\.ipynb$")   # 03b_...: a deep dive after 03
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_REMOTE = re.compile(r"^(https?:)?//", re.I)
HIDE_INPUT_TAGS = frozenset({"check"})   # check cells: the verdict shows, the asserts do not


@dataclass(frozen=True)
class Page:
    notebook: str      # "02_softmax.ipynb"
    html: str          # "02_softmax.html"
    title: str         # the notebook's first heading, e.g. "02 · Softmax"
    seconds: float     # execution time
    problems: tuple[str, ...] = ()


def _repo_url() -> str:
    try:
        from importlib.metadata import metadata

        for entry in metadata("lossedu").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("source", "repository", "homepage"):
                return url.strip().rstrip("/")
    except Exception:  # noqa: BLE001 - not installed: the default is right
        pass
    return REPO_URL


def _plain(markdown: str) -> str:
    """A heading's Markdown as plain text: no emphasis, code ticks or link targets."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = text.replace("`", "")
    text = re.sub(r"(\*\*?)(\S.*?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)(__?)(\S.*?)\1(?!\w)", r"\2", text)
    return re.sub(r"\s+", " ", text).strip()


def lesson_title(nb, fallback: str) -> str:
    """The text of the first Markdown heading (any level) in ``nb``, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return _plain(m.group(1))
            m = re.match(r"^\s*<h[1-6][^>]*>(.*?)</h[1-6]>", line, re.I)
            if m:
                return _plain(re.sub(r"<[^>]+>", "", m.group(1)))
    return fallback


def execute(path: Path, workdir: Path, timeout: int = 900):
    """Run the notebook at ``path`` in ``workdir`` and store the widget state in it."""
    return _execute(path, workdir, timeout=timeout, store_widget_state=True)


def _rewrite_links(body: str, source_dir: Path, lessons: dict[str, str], out: Path,
                   repo_root: Path | None) -> str:
    """Lesson links to pages; local images copied next to the page; other repo files to
    GitHub."""
    base = _repo_url()

    def fix(m: re.Match) -> str:
        attr, quote, url = m.group(1), m.group(2), m.group(3)
        if not url or url.startswith("#") or _SCHEME.match(url):
            return m.group(0)
        path, sep, frag = url.partition("#")
        path = html.unescape(path)
        name = Path(path).name
        target = (source_dir / path).resolve()
        if name in lessons and target.parent == source_dir.resolve():
            new = lessons[name] + sep + frag
        elif name in lessons and source_dir.name == "zh" and \
                target.parent == source_dir.resolve().parent:  # a Chinese page to its English
            new = "../" + lessons[name] + sep + frag
        elif attr == "src" and target.is_file() and source_dir.resolve() in target.parents:
            rel = target.relative_to(source_dir.resolve())
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, out / rel)
            new = rel.as_posix()
        elif repo_root is not None and target.exists() and (
                repo_root.resolve() in target.parents):
            rel = target.relative_to(repo_root.resolve()).as_posix()
            kind = "tree" if target.is_dir() else "blob"
            new = f"{base}/{kind}/main/{rel}" + sep + frag
        else:
            return m.group(0)  # check_site reports it
        return f"{attr}={quote}{html.escape(new, quote=True)}{quote}"

    return re.sub(r"""\b(href|src)=(["'])(.*?)\2""", fix, body)


def export(nb, title: str, lang: str = "en") -> str:
    """The notebook as one HTML page: nbconvert's ``lab`` template (``lossedu``: MathJax 3),
    images inline, scripts from ``_static/``, the source of ``check`` cells hidden.  A
    Chinese page (``lang="zh"``) lives in ``zh/`` and takes its scripts from ``../_static/``."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"TagRemovePreprocessor": {"enabled": True,
                                               "remove_input_tags": set(HIDE_INPUT_TAGS)}})
    prefix = "../" if lang != "en" else ""
    exporter = HTMLExporter(config=config, template_name="lossedu",
                            extra_template_basedirs=[str(TEMPLATES)],
                            language_code=LANGUAGE_CODES[lang],
                            **{k: prefix + v for k, v in URLS.items()})
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


LANGUAGE_CODES = {"en": "en", "zh": "zh"}  # ISO 639-1, as nbconvert requires
SWITCH_CLASS = "lossedu-language"
_SWITCH = ('<nav class="{cls}" style="position:absolute;top:0.5rem;right:1rem;z-index:10;'
           'font:0.95rem system-ui,sans-serif"><a href="{href}" hreflang="{code}" '
           'lang="{code}">{label}</a></nav>')


def language_switch(html_page: str, href: str, to: str) -> str:
    """``html_page`` with a link to the same page in the other language (``to``), first in
    its body."""
    nav = _SWITCH.format(cls=SWITCH_CLASS, href=html.escape(href, quote=True),
                         code=LANGUAGE_CODES[to], label="中文" if to == "zh" else "English")
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, html_page, count=1)


# The index pages' style; the Chinese one names CJK fonts first in the list.
_STYLE = """<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", {cjk}sans-serif; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.6rem; }}
ol.lessons {{ padding-left: 0; list-style: none; }}
ol.lessons li {{ margin: 0.4rem 0; }}
ol.lessons a {{ font-size: 1.1rem; }}
.note {{ color: #555; font-size: 0.9rem; }}
</style>"""
_CJK_FONTS = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", '

_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lossedu: classification losses, explained and checked</title>
{style}
</head>
<body>
<h1>lossedu: classification losses in TensorFlow and Keras, explained and checked</h1>
<p>The executed lessons, in order. Every number a lesson states is computed and asserted in
a cell.</p>
<ol class="lessons">
{items}
</ol>
{extras}
<p class="note">The explorers (sliders) are stored with the pages and render as they were
left. Moving a slider here does not recompute anything, since there is no kernel; run the
notebooks (<code>make lab</code>, or Binder) for that. The site needs no network: MathJax and
the widget manager are shipped with it, in <code>_static/</code>.</p>
<p class="note">Source: <a href="{repo}">{repo}</a></p>
</body>
</html>
"""


_INDEX_ZH = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lossedu：分类损失函数，讲清楚并逐条验证</title>
{style}
</head>
<body>
<h1>lossedu：TensorFlow 与 Keras 中的分类损失函数，讲清楚并逐条验证</h1>
<p>已执行的各课，按顺序排列。课中给出的每个数字都在某个单元格里计算并断言。</p>
<ol class="lessons">
{items}
</ol>
<p class="note">{note}</p>
<p class="note">源代码：<a href="{repo}">{repo}</a></p>
</body>
</html>
"""


_NOTE_ZH = ("交互探索器（滑块）随页面一起保存，显示的是保存时的状态。这里没有内核，"
            "移动滑块不会重新计算；要交互，请运行笔记本（<code>make lab</code> 或 Binder）。"
            "本站无需联网：MathJax 和 widget 管理器都随站点放在 <code>_static/</code> 中。")


def _index(pages: list[Page], cheatsheet: str | None, lang: str = "en") -> str:
    items = "\n".join(f'<li><a href="{html.escape(Path(p.html).name)}">'
                      f'{html.escape(p.title)}</a></li>' for p in pages)
    if lang == "zh":
        page = _INDEX_ZH.format(items=items, note=_NOTE_ZH, repo=html.escape(_repo_url()),
                                style=_STYLE.format(cjk=_CJK_FONTS))
        return language_switch(page, "../index.html", "en")
    extras = ""
    if cheatsheet:
        extras = (f'<p>Printable: <a href="{html.escape(cheatsheet)}">the cheat sheet</a> '
                  "(TF1, TF2, Keras 3, PyTorch and lossedu names side by side).</p>")
    return _INDEX.format(items=items, extras=extras, repo=html.escape(_repo_url()),
                         style=_STYLE.format(cjk=""))


def _write_cheatsheet(out: Path) -> str | None:
    """``cheatsheet.html`` through lesson 06's ``write_cheatsheet``, if it exists."""
    try:
        from lossedu.lessons import cheat_sheet as cheatsheet
    except ImportError:
        return None
    write = getattr(cheatsheet, "write_cheatsheet", None)
    if write is None:
        return None
    target = out / "cheatsheet.html"
    written = write(target)
    path = Path(written) if written else target
    if not path.exists():
        return None
    path.chmod(0o644)  # a web page: readable by the server that publishes the site
    return path.name


def build_site(out: Path, source: Path, names: list[str] | None = None, timeout: int = 900,
               repo_root: Path | None = None, log=print, run: bool = True,
               node_modules: Path | None = None) -> list[Page]:
    """Execute (or with ``run=False``, read) and export the lessons in ``source`` (all
    ``NN_*.ipynb``, or ``names``) to ``out``, and the Chinese edition in ``source/zh`` (when
    it exists) to ``out/zh``, each page with a link to its other language; copy the pages'
    scripts into ``out/_static`` (``npm ci`` first when needed); write each ``index.html``.
    Returns the pages, with each notebook's cell problems."""
    source = Path(source)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out, node_modules or install(log))
    paths = sorted(p for p in source.glob("*.ipynb") if LESSON_NAME.match(p.name))
    if names:
        paths = [source / n for n in names]
    zh_paths = [source / "zh" / p.name for p in paths if (source / "zh" / p.name).is_file()]
    other = {"en": {p.name for p in zh_paths}, "zh": {p.name for p in paths}}
    pages = []
    for lang, group, folder in (("en", paths, out), ("zh", zh_paths, out / "zh")):
        if not group:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        done = _build_pages(group, folder, lang, other[lang], timeout, repo_root, log, run)
        pages += done
        cheatsheet = _write_cheatsheet(out) if lang == "en" else None
        index = _index(done, cheatsheet, lang)
        if lang == "en" and zh_paths:
            index = language_switch(index, "zh/index.html", "zh")
        (folder / "index.html").write_text(index, encoding="utf-8")
    return pages


def _build_pages(paths: list[Path], out: Path, lang: str, translated: set[str], timeout: int,
                 repo_root: Path | None, log, run: bool) -> list[Page]:
    """The pages of one language: ``paths`` (all in one folder) exported into ``out``."""
    import nbformat

    source = paths[0].parent
    lessons = {p.name: p.with_suffix(".html").name for p in paths}
    pages = []
    with tempfile.TemporaryDirectory(prefix="lossedu-site-") as tmp:
        work = Path(tmp) / source.name  # "zh" for the Chinese edition: its kernels speak it
        # Execute copies, next to copies of whatever the lessons read from their folder.
        shutil.copytree(source, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "zh"))
        for path in paths:
            start = time.perf_counter()
            if run:
                nb = execute(work / path.name, work, timeout=timeout)
            else:
                nb = nbformat.read(work / path.name, as_version=4)
            seconds = time.perf_counter() - start
            title = lesson_title(nb, path.stem)
            body = _rewrite_links(export(nb, title, lang), source, lessons, out, repo_root)
            if path.name in translated:
                other = f"zh/{lessons[path.name]}" if lang == "en" else f"../{lessons[path.name]}"
                body = language_switch(body, other, "zh" if lang == "en" else "en")
            (out / lessons[path.name]).write_text(body, encoding="utf-8")
            name = path.name if lang == "en" else f"zh/{path.name}"
            page = Page(name, lessons[path.name] if lang == "en" else f"zh/{lessons[path.name]}",
                        title, seconds, tuple(notebook_problems(nb, machine_paths=False)))
            pages.append(page)
            log(f"{name} -> {page.html}: {seconds:.1f} s"
                + (f"  ({len(page.problems)} problems)" if page.problems else ""))
    return pages


# ---------------------------------------------------------------------- checking a build

def _links(soup) -> list[str]:
    urls = []
    for tag in soup.find_all(["a", "img", "link", "script"]):
        for attr in ("href", "src"):
            if tag.get(attr):
                urls.append(tag[attr])
    return urls


def _page_errors(soup) -> list[str]:
    """Error or stderr outputs in code cells not tagged ``raises-exception``."""
    found = []
    for i, cell in enumerate(soup.select("div.jp-CodeCell")):
        bad = cell.select('[data-mime-type="application/vnd.jupyter.stderr"]')
        if bad and "celltag_raises-exception" not in cell.get("class", []):
            lines = [ln for ln in bad[0].get_text().splitlines() if ln.strip()]
            found.append(f"code cell {i}: {(lines[-1] if lines else '')[:200]!r}")
    return found


def _remote_loads(soup) -> list[str]:
    """Scripts and stylesheets a page would fetch from the network."""
    urls = [tag.get("src", "") for tag in soup.find_all("script")]
    urls += [tag.get("href", "") for tag in soup.find_all("link")]
    return [u for u in urls if _REMOTE.match(u)]


def check_site(out: Path, notebooks: list[str] | None = None) -> list[str]:
    """What is wrong with the site in ``out``: missing pages, error outputs, dead links,
    scripts or stylesheets from the network.

    ``notebooks`` are the lesson file names whose pages must exist (default: every lesson
    the index links).  Returns a list of problems; empty when the site is sound.
    """
    from bs4 import BeautifulSoup

    out = Path(out)
    problems = []
    index = out / "index.html"
    if not index.is_file():
        return [f"{index} is missing"]
    pages = sorted(out.glob("*.html")) + sorted(out.glob("zh/*.html"))
    if notebooks is not None:
        for name in notebooks:
            page = out / Path(name).with_suffix(".html")
            folder_index = page.parent / "index.html"
            if not page.is_file():
                problems.append(f"{page.relative_to(out)} is missing (for {name})")
            elif not folder_index.is_file() or \
                    page.name not in folder_index.read_text(encoding="utf-8"):
                problems.append(f"{folder_index.relative_to(out)} does not link {page.name}")
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        name = page.relative_to(out).as_posix()
        twin = (out / page.name) if page.parent != out else (out / "zh" / page.name)
        if twin.is_file():  # the same page in the other language: the switch must lead there
            hrefs = [a["href"] for a in soup.select(f"nav.{SWITCH_CLASS} a[href]")]
            if not any((page.parent / h).resolve() == twin.resolve() for h in hrefs):
                problems.append(f"{name}: no link to {twin.relative_to(out).as_posix()}")
        for err in _page_errors(soup):
            problems.append(f"{name}: {err}")
        for url in _remote_loads(soup):
            problems.append(f"{name}: loads {url!r} from the network")
        for url in _links(soup):
            if url.startswith("#") or _SCHEME.match(url):
                continue
            target = (page.parent / html.unescape(url.split("#")[0].split("?")[0]))
            if not target.exists():
                problems.append(f"{name}: broken link {url!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder, e.g. build/html")
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                        help="folder of the lesson notebooks (default: notebooks)")
    parser.add_argument("--only", nargs="*", help="build only these notebook file names")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--no-execute", action="store_true",
                        help="export the committed notebooks with their outputs as they are "
                             "(fast; no widget snapshots, since those are not committed)")
    args = parser.parse_args(argv)
    if not args.notebooks.is_dir():
        print(f"no folder {args.notebooks}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    from lossedu.lessons.registry import LESSONS

    names = args.only or [les.path for les in LESSONS]   # the series, in the registry's order
    try:
        pages = build_site(args.out, args.notebooks, names, args.timeout,
                           repo_root=args.notebooks.resolve().parent,
                           run=not args.no_execute)
    except AssetsUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    problems = [f"{p.notebook}: {msg}" for p in pages for msg in p.problems]
    problems += check_site(args.out, [p.notebook for p in pages])
    total = time.perf_counter() - start
    print(f"{len(pages)} pages and index.html in {args.out}/ ({total:.0f} s)")
    if problems:
        print("problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
