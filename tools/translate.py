"""The Chinese edition: build ``notebooks/zh/NN_*.ipynb`` from the English lesson and its catalogue.

Usage::

    python -m tools.translate update [NAME ...]   # bring catalogues up to the English cells
    python -m tools.translate build  [NAME ...]   # write notebooks/zh/NAME.ipynb (no outputs)
    python -m tools.translate run    [NAME ...]   # build, then execute in notebooks/zh/
    python -m tools.translate check               # list stale, missing and unbuilt translations
    python -m tools.translate export NAME FILE.md # the English cells, one block per cell id
    python -m tools.translate import NAME FILE.md # set translations from such a file

``export`` and ``import`` let a translator work in a plain Markdown file, with no PO
escaping of LaTeX's backslashes: each cell's text follows a line ``<!-- cell ID -->``.

Each lesson has one gettext catalogue, ``notebooks/zh/translations/NAME.po``: an entry per
English Markdown cell, keyed by the cell's id (``msgctxt``), whose ``msgid`` is the English
source and ``msgstr`` its translation. A comment ``source-sha256: ...`` records the hash of
the English text the translation was made from. When an English cell changes, ``update``
marks its entry fuzzy (keeping the old English as ``#| msgid`` so the translator sees the
difference); ``check`` and ``make test`` name it until a translator fixes it and removes
the fuzzy flag. Code cells are never translated: both editions run the same code, and a
notebook in ``notebooks/zh/`` speaks Chinese because of the folder it runs in
(:mod:`lossedu.i18n`).
"""

from __future__ import annotations

import copy
import hashlib
import re
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat  # noqa: E402
import polib  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "notebooks"
CHINESE = ENGLISH / "zh"
CATALOGUES = CHINESE / "translations"
MAP_START = "| # | notebook |"  # 00's map cell, generated from the registry in each language
HASH_PREFIX = "source-sha256: "


def lesson_names() -> list[str]:
    from lossedu.lessons.registry import LESSONS

    return [les.name for les in LESSONS]


def source_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of an English cell's source."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_generated(cell) -> bool:
    """A Markdown cell the build writes itself (00's series map) rather than translates."""
    return cell.cell_type == "markdown" and cell.source.startswith(MAP_START)


def translatable(nb) -> list:
    """The English notebook's Markdown cells that a catalogue translates."""
    return [c for c in nb.cells if c.cell_type == "markdown" and not is_generated(c)]


def catalogue_path(name: str) -> Path:
    return CATALOGUES / f"{name}.po"


def english(name: str):
    return nbformat.read(ENGLISH / f"{name}.ipynb", as_version=4)


def recorded_hash(entry: polib.POEntry) -> str | None:
    for line in (entry.comment or "").splitlines():
        if line.startswith(HASH_PREFIX):
            return line[len(HASH_PREFIX):].strip()
    return None


def _set_hash(entry: polib.POEntry, digest: str) -> None:
    lines = [ln for ln in (entry.comment or "").splitlines() if not ln.startswith(HASH_PREFIX)]
    entry.comment = "\n".join([HASH_PREFIX + digest, *lines])


def load(name: str) -> polib.POFile:
    path = catalogue_path(name)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"lossedu {name}",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def update(name: str) -> list[str]:
    """Bring ``name``'s catalogue up to the English notebook; return what changed."""
    nb, po = english(name), load(name)
    by_id = {e.msgctxt: e for e in po}
    changed, keep = [], set()
    for cell in translatable(nb):
        keep.add(cell.id)
        entry = by_id.get(cell.id)
        if entry is None:
            entry = polib.POEntry(msgctxt=cell.id, msgid=cell.source, msgstr="")
            _set_hash(entry, source_hash(cell.source))
            po.append(entry)
            changed.append(f"{name} {cell.id}: new")
        elif entry.msgid != cell.source:
            entry.previous_msgid = entry.msgid
            entry.msgid = cell.source
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            changed.append(f"{name} {cell.id}: English changed, marked fuzzy")
    for entry in list(po):
        if entry.msgctxt not in keep:
            po.remove(entry)
            changed.append(f"{name} {entry.msgctxt}: English cell gone, entry removed")
    order = {c.id: i for i, c in enumerate(translatable(nb))}
    po.sort(key=lambda e: order[e.msgctxt])
    catalogue_path(name).parent.mkdir(parents=True, exist_ok=True)
    po.save(str(catalogue_path(name)))
    return changed


def accept(po: polib.POFile) -> None:
    """Stamp the hash of every translated, non-fuzzy entry: its translation is of its msgid."""
    for entry in po:
        if entry.msgstr and "fuzzy" not in entry.flags:
            _set_hash(entry, source_hash(entry.msgid))
            entry.previous_msgid = None


def problems(name: str) -> list[str]:
    """Stale, fuzzy, missing and unknown entries of ``name``'s catalogue, one line each."""
    nb = english(name)
    path = catalogue_path(name)
    if not path.exists():
        return [f"{name}: no catalogue {path.relative_to(ROOT)} (python -m tools.translate update)"]
    po = load(name)
    by_id = {e.msgctxt: e for e in po}
    bad = []
    for cell in translatable(nb):
        entry = by_id.get(cell.id)
        where = f"{name} cell {cell.id} ({cell.source.splitlines()[0][:50]!r})"
        if entry is None:
            bad.append(f"{where}: no translation")
        elif not entry.msgstr.strip():
            bad.append(f"{where}: not translated yet")
        elif "fuzzy" in entry.flags:
            bad.append(f"{where}: stale (fuzzy): the English changed since it was translated")
        elif recorded_hash(entry) != source_hash(cell.source) or entry.msgid != cell.source:
            bad.append(f"{where}: stale: translated from English whose hash was "
                       f"{recorded_hash(entry)}, the English cell's is now "
                       f"{source_hash(cell.source)}")
    ids = {c.id for c in translatable(nb)}
    bad += [f"{name}: entry {e.msgctxt} names no English Markdown cell" for e in po
            if e.msgctxt not in ids]
    return bad


_OUTSIDE_LINK = re.compile(r"(\]\()(\.\./)")


def localise_links(markdown: str) -> str:
    """Links out of ``notebooks/`` gain one ``../``: the Chinese pages sit a folder deeper."""
    return _OUTSIDE_LINK.sub(r"\1../\2", markdown)


def built(name: str):
    """The Chinese notebook for ``name``, without outputs: what ``build`` writes."""
    from lossedu.i18n import using_language
    from lossedu.lessons.registry import series_map_markdown

    nb = english(name)
    by_id = {e.msgctxt: e for e in load(name)}
    zh = copy.deepcopy(nb)
    zh.metadata.setdefault("lossedu", {})["lang"] = "zh"
    zh.metadata["lossedu"]["english"] = f"../{name}.ipynb"
    for cell in zh.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif is_generated(cell):
            with using_language("zh"):
                cell.source = series_map_markdown()
        elif cell.cell_type == "markdown":
            entry = by_id[cell.id]
            cell.source = localise_links(entry.msgstr)
            cell.metadata.setdefault("lossedu", {})["source_sha256"] = recorded_hash(entry)
    return zh


def build(name: str) -> Path:
    bad = problems(name)
    if bad:
        raise SystemExit("\n".join(bad))
    CHINESE.mkdir(parents=True, exist_ok=True)
    out = CHINESE / f"{name}.ipynb"
    nbformat.write(built(name), out)
    return out


_BLOCK = re.compile(r"^<!-- cell (\S+) -->\n", re.MULTILINE)


def export_markdown(name: str) -> str:
    """The English cells of ``name`` as one Markdown file, each after ``<!-- cell ID -->``."""
    return "\n\n".join(f"<!-- cell {c.id} -->\n{c.source}" for c in translatable(english(name)))


def import_markdown(name: str, text: str) -> int:
    """Set the translations of ``name`` from ``export_markdown``-style text; return how many."""
    parts = _BLOCK.split(text)
    blocks = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    po = load(name)
    by_id = {e.msgctxt: e for e in po}
    unknown = sorted(set(blocks) - set(by_id))
    if unknown:
        raise SystemExit(f"{name}: no English cell with id {', '.join(unknown)}")
    for cell_id, body in blocks.items():
        entry = by_id[cell_id]
        entry.msgstr = body
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    accept(po)
    po.save(str(catalogue_path(name)))
    return len(blocks)


def main(argv: list[str]) -> int:
    commands = ("update", "build", "run", "check", "accept", "export", "import")
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    if argv[0] in ("export", "import"):
        name, file = argv[1], Path(argv[2])
        if argv[0] == "export":
            file.write_text(export_markdown(name) + "\n", encoding="utf-8")
        else:
            print(f"{name}: {import_markdown(name, file.read_text(encoding='utf-8'))} cells")
        return 0
    command, names = argv[0], argv[1:] or lesson_names()
    if command == "update":
        for name in names:
            for line in update(name):
                print(line)
    elif command == "accept":
        for name in names:
            po = load(name)
            accept(po)
            po.save(str(catalogue_path(name)))
    elif command == "check":
        bad = [line for name in names for line in problems(name)]
        print("\n".join(bad) or f"{len(names)} catalogues up to date")
        return 1 if bad else 0
    else:
        for name in names:
            out = build(name)
            if command == "run":
                from tools.nbrun import run

                print(f"{out.relative_to(ROOT)}: {run(out):.1f} s")
            else:
                print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
