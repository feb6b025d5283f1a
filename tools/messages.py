"""The package's translatable messages: every literal inside ``_()``, ``N_()`` or ``figure_text()``.

Usage::

    python -m tools.messages update   # new messages to lossedu/locale/zh/new.po; drop unused

The catalogues are ``lossedu/locale/zh/*.po`` (one per part of the package, so translators of
different parts never edit the same file); :mod:`lossedu.i18n` reads them all.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lossedu"
LOCALE = PACKAGE / "locale" / "zh"
MARKERS = {"_", "N_", "figure_text"}


def extract() -> dict[str, list[str]]:
    """Every translatable literal in the package -> the places (``file:line``) that use it."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else None
            if name not in MARKERS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(arg.value, []).append(where)
    return found


def non_literal_calls() -> list[str]:
    """Calls of ``_()`` or ``N_()`` on text built in place (an f-string, ``+``, ``%``, a
    ``.format()`` inside the call): that text can never match a catalogue entry.  ``_(name)``
    on a variable is fine; the literal it holds is marked with ``N_()`` where it is defined."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("_", "N_") and node.args \
                    and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp, ast.Call)):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "N_" and node.args \
                    and not (isinstance(node.args[0], ast.Constant)
                             and isinstance(node.args[0].value, str)):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return bad


def catalogues() -> dict[Path, polib.POFile]:
    return {p: polib.pofile(str(p), wrapwidth=0) for p in sorted(LOCALE.glob("*.po"))}


def update() -> None:
    found = extract()
    cats = catalogues()
    known = {e.msgid for po in cats.values() for e in po}
    for path, po in cats.items():
        for entry in list(po):
            if entry.msgid not in found:
                po.remove(entry)
        po.save(str(path))
    new = [m for m in found if m not in known]
    if new:
        target = LOCALE / "new.po"
        po = polib.pofile(str(target), wrapwidth=0) if target.exists() \
            else polib.POFile(wrapwidth=0)
        po.metadata = {"Language": "zh_CN", "Content-Type": "text/plain; charset=UTF-8"}
        for message in new:
            po.append(polib.POEntry(msgid=message, msgstr="", occurrences=[
                tuple(w.rsplit(":", 1)) for w in found[message]]))
        LOCALE.mkdir(parents=True, exist_ok=True)
        po.save(str(target))
        print(f"{len(new)} new messages in {target.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        print(__doc__)
        sys.exit(2)
    update()
