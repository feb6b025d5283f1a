"""The cheat sheet rendered: Markdown per table, the printable HTML page, and the file writer.

>>> print(render_table_markdown("reductions").splitlines()[0])
### Reductions and sample weights
>>> render_html().startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

from lossedu import i18n
from lossedu.i18n import _
from lossedu.lessons.cheat_sheet.tables import COLUMNS, HEADERS, LEGEND, TABLES, table
from lossedu.lessons.cheat_sheet.topics import topic

__all__ = [
    "render_table_markdown",
    "render_markdown",
    "render_html",
    "write_cheatsheet",
    "show",
]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _shown(text: str) -> str:
    """A cell, title or note in the language in use: the tables hold English marked with N_()
    (cells of code only are not marked, and stay as they are)."""
    return i18n._(text)


def render_table_markdown(key: str, intro: bool = False) -> str:
    """One table as Markdown: a ``###`` title, the topic's ``INTRO`` if asked, note, table.

    In the language in use (:mod:`lossedu.i18n`)."""
    t = table(key)
    fields = ("what", *COLUMNS, "trap")
    lines = [f"### {_shown(t.title)}", "",
             *([_shown(topic(key).INTRO), ""] if intro else []), _shown(t.note), "",
             "| " + " | ".join(_md_cell(_shown(HEADERS[f])) for f in fields) + " |",
             "|" + "|".join("---" for _f in fields) + "|"]
    for r in t.rows:
        lines.append("| " + " | ".join(_md_cell(_shown(getattr(r, f))) for f in fields) + " |")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The whole cheat sheet as one Markdown document (no code to run)."""
    parts = ["# " + _("lossedu cheat sheet: classification losses across TF1, TF2, Keras 3, "
                      "PyTorch"),
             "", _shown(LEGEND), ""]
    parts += [render_table_markdown(t.key) for t in TABLES]
    return "\n".join(parts)


_CODE = re.compile(r"`([^`]+)`")


def _code_html(code: str) -> str:
    """Code with break opportunities after dots, underscores, commas and brackets."""
    return re.sub(r"([._,(=])(?=\w)", r"\1<wbr>", code)


def _html_cell(text: str) -> str:
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f"<code>{_code_html(m.group(1))}</code>", out)
    return out.replace("\n", "<br>")


_CSS = """
@page { size: A4 landscape; margin: 7mm; }
body { font: 6.6pt/1.22 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 290mm; }
h1 { font-size: 10pt; margin: 0 0 2pt; }
h2 { font-size: 7.6pt; margin: 5pt 0 1pt; }
p { margin: 0 0 2pt; }
p.note { color: #444; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.4pt solid #aaa; padding: 0.8pt 2.5pt; vertical-align: top;
         text-align: left; overflow-wrap: break-word; }
section { break-inside: avoid; page-break-inside: avoid; }
th { background: #eef1f5; font-weight: 600; }
td.what { font-weight: 600; }
td.trap { color: #9a1d12; }
code { font: 6.1pt/1.2 "DejaVu Sans Mono", Consolas, monospace; }
col.what { width: 8%; } col.tf1, col.tf2, col.keras { width: 16.5%; }
col.torch { width: 13.5%; } col.lossedu { width: 14%; } col.trap { width: 15%; }
""".strip()


def render_html() -> str:
    """The printable page: every table as standalone HTML (inline CSS, no scripts, no code).

    Pure: the same string every time (in the language in use), no TensorFlow, no files. Styled
    for A4 landscape: two printed pages (one on A3), no table split across pages.
    """
    fields = ("what", *COLUMNS, "trap")
    body = ["<h1>" + _("lossedu cheat sheet: classification losses across TF1, TF2, Keras 3, "
                       "PyTorch and lossedu") + "</h1>", f"<p>{_html_cell(_shown(LEGEND))}</p>"]
    for t in TABLES:
        body.append(f'<section><h2 id="{t.key}">{_html_cell(_shown(t.title))}</h2>')
        body.append(f'<p class="note">{_html_cell(_shown(t.note))}</p>')
        body.append("<table>")
        body.append("<colgroup>" + "".join(f'<col class="{f}">' for f in fields)
                    + "</colgroup>")
        body.append("<thead><tr>" + "".join(f"<th>{_html_cell(_shown(HEADERS[f]))}</th>"
                                            for f in fields) + "</tr></thead>")
        body.append("<tbody>")
        for r in t.rows:
            cells = "".join(f'<td class="{f}">{_html_cell(_shown(getattr(r, f)))}</td>'
                            for f in fields)
            body.append(f"<tr>{cells}</tr>")
        body.append("</tbody></table></section>")
    lang = "zh-CN" if i18n.language() == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>" + _("lossedu cheat sheet") + "</title>\n<style>\n" + _CSS
            + "\n</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def write_cheatsheet(path) -> Path:
    """Write the printable page to ``path``: HTML for ``.html``/``.htm``, Markdown for ``.md``.

    Creates the parent folders; writes to a temporary file first, so no half-written page is
    left behind. Returns the path.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_html()
    elif suffix == ".md":
        text = render_markdown()
    else:
        raise ValueError(_("Bad `path`: got a {suffix} suffix.\n"
                           "  expected: a .html, .htm or .md file\n"
                           "  fix: {fix}").format(suffix=repr(suffix or "missing"),
                                                  fix="write_cheatsheet('build/html/cheat_sheet.html')"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def show(key: str, intro: bool = False):
    """One table for a notebook (an ``IPython.display.Markdown`` object); ``intro`` adds the
    paragraph that says what the table is about."""
    from IPython.display import Markdown

    return Markdown(render_table_markdown(key, intro))
