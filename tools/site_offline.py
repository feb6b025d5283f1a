"""The JavaScript the site's pages run, shipped with the site: no CDN, no network.

The pages need require.js (for the widget manager), MathJax 3 (the LaTeX) and
``@jupyter-widgets/html-manager`` (the stored widget snapshots).  They are npm packages,
pinned by ``tools/site_assets/package.json`` and ``package-lock.json``; :func:`install`
runs ``npm ci`` into ``tools/site_assets/node_modules/`` (git-ignored) when that folder
is missing or older than the lock file, and :func:`copy_assets` copies the files the pages
load into ``<site>/_static/``.  :data:`URLS` are the matching nbconvert ``HTMLExporter``
settings, relative to a page, and :data:`TEMPLATES` holds the ``lossedu`` template
(nbconvert's ``lab`` template with a MathJax 3 configuration).

>>> sorted(URLS)
['mathjax_url', 'require_js_url', 'widget_renderer_url']
>>> URLS["mathjax_url"]
'_static/mathjax/tex-chtml-full.js'
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

__all__ = ["ASSETS", "TEMPLATES", "URLS", "AssetsUnavailable", "install", "copy_assets"]

ASSETS = Path(__file__).resolve().parent / "site_assets"
TEMPLATES = ASSETS / "templates"
NODE_MODULES = ASSETS / "node_modules"
STATIC = "_static"
_STAMP = NODE_MODULES / ".lossedu-lock-sha256"

# (file or folder under node_modules/, where it goes under _static/)
FILES = (
    ("requirejs/require.js", "require.js"),
    ("mathjax/es5/tex-chtml-full.js", "mathjax/tex-chtml-full.js"),
    ("mathjax/es5/ui/safe.js", "mathjax/ui/safe.js"),
    ("mathjax/es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
    ("mathjax/LICENSE", "mathjax/LICENSE"),
    ("@jupyter-widgets/html-manager/dist/embed-amd.js", "html-manager/embed-amd.js"),
    ("@fortawesome/fontawesome-free/LICENSE.txt", "html-manager/fontawesome-LICENSE.txt"),
)
# The widget manager's bundled fonts (Font Awesome, named by hash), next to it.
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
PACKAGES = ("requirejs", "mathjax", "@jupyter-widgets/html-manager")

URLS = {
    "require_js_url": f"{STATIC}/require.js",
    "mathjax_url": f"{STATIC}/mathjax/tex-chtml-full.js",
    "widget_renderer_url": f"{STATIC}/html-manager/embed-amd.js",
}


class AssetsUnavailable(RuntimeError):
    """The site's JavaScript packages are not installed and cannot be (no ``npm``)."""


def _lock_digest() -> str:
    return hashlib.sha256((ASSETS / "package-lock.json").read_bytes()).hexdigest()


def installed() -> bool:
    """True when ``node_modules`` was installed from the current lock file."""
    return _STAMP.is_file() and _STAMP.read_text().strip() == _lock_digest()


def install(log=print) -> Path:
    """``npm ci`` in ``tools/site_assets`` unless already done for this lock file.

    Returns the ``node_modules`` folder; raises :class:`AssetsUnavailable` when ``npm`` is
    missing or fails.
    """
    if installed():
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsUnavailable(
            "the site ships MathJax, require.js and the widget manager from npm packages, "
            "but `npm` is not installed: `sudo apt-get install nodejs npm` (Debian/Ubuntu) "
            "or see https://nodejs.org, then run `make html` again")
    log("npm ci (tools/site_assets: MathJax, require.js, the widget manager)")
    done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                          cwd=ASSETS, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssetsUnavailable(f"`npm ci` in {ASSETS.name} failed:\n{done.stderr[-2000:]}")
    _STAMP.write_text(_lock_digest() + "\n")
    return NODE_MODULES


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        shutil.copy2(src, dst)


def copy_assets(out: Path, node_modules: Path | None = None) -> list[str]:
    """Copy the pages' JavaScript, fonts and licences into ``out/_static``; returns the
    packages copied as ``name@version``."""
    modules = Path(node_modules or NODE_MODULES)
    static = Path(out) / STATIC
    missing = [src for src, _ in FILES if not (modules / src).exists()]
    if missing:
        raise AssetsUnavailable(f"not in {modules}: {', '.join(missing)} (run `npm ci` in "
                                f"{ASSETS})")
    for src, dst in FILES:
        _copy(modules / src, static / dst)
    dist = modules / "@jupyter-widgets/html-manager/dist"
    for font in sorted(dist.iterdir()):
        if font.suffix in FONT_SUFFIXES:
            _copy(font, static / "html-manager" / font.name)
    versions = []
    for name in PACKAGES:
        meta = json.loads((modules / name / "package.json").read_text(encoding="utf-8"))
        versions.append(f"{name}@{meta['version']} ({meta.get('license', '?')})")
    (static / "README.txt").write_text(
        "The JavaScript these pages run, copied from the npm packages pinned in\n"
        "tools/site_assets/package-lock.json of the lossedu repository:\n  "
        + "\n  ".join(versions) + "\n", encoding="utf-8")
    return versions
