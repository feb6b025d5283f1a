"""Drive a real JupyterLab in a real browser: the server, the page, and the widget actions.

Used by ``tests/e2e/``.  Nothing here knows about a particular lesson: the lessons and
their explorers are rows in ``e2e_table.py``.

* :class:`LabServer` starts ``jupyter lab`` from the project's ``.venv`` on 127.0.0.1, with
  a random free port and token, an isolated config/settings/workspace directory (the news
  toast and update check turned off, every cell attached to the DOM) and a temporary copy
  of the notebooks as its root.  It never touches the committed notebooks.
* :class:`NotebookPage` opens a notebook in a Chromium page, restarts the kernel and runs
  all cells through the toolbar button and the confirmation dialog, waits until every cell
  has run and the kernel is idle, collects error outputs, and takes screenshots.
* :class:`Slider`, :class:`TypeValue`, :class:`Dropdown`, :class:`Checkbox` and
  :class:`Click` are the UI actions; :class:`Number`, :class:`Matches`, :class:`Text`,
  :class:`SliderValue` and :class:`Picture` the readouts an explorer test compares before
  and after the action.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from tools.cells import raises

ROOT = Path(__file__).resolve().parents[2]
# The lessons; LOSSEDU_E2E_NOTEBOOKS points the suite at another folder (harness development).
NOTEBOOKS = Path(os.environ.get("LOSSEDU_E2E_NOTEBOOKS", ROOT / "notebooks"))
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("LOSSEDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
TIMINGS: list[tuple[str, float]] = []   # (what, seconds): the summary at the end of a run

# JupyterLab settings overrides (``overrides.json``): no first-run popups, and every cell in
# the DOM so that prompts, outputs and screenshots cover the whole notebook.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",          # the "official Jupyter news?" toast
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {
        "windowingMode": "none",       # no virtual scrolling: all cells are rendered
        "kernelShutdown": True,        # closing a notebook shuts its kernel down
    },
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}


def find_chromium() -> str | None:
    """Path to the Chromium binary, or None when it is not installed."""
    path = Path(CHROMIUM)
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    return shutil.which(CHROMIUM)


def browser_required() -> bool:
    """``make e2e`` (LOSSEDU_E2E=1) and CI (CI=true) fail rather than skip."""
    flag = os.environ.get("LOSSEDU_E2E", "")
    if flag in ("0", "1"):
        return flag == "1"
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if os.environ.get("LOSSEDU_E2E", "") == "0":
        return "browser tests disabled by LOSSEDU_E2E=0"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if find_chromium() is None:
        return (f"Chromium not found at {CHROMIUM} (sudo apt-get install chromium, or set "
                "LOSSEDU_CHROMIUM); CI installs it in .ci/run")
    return None


def lab_python() -> Path:
    """The project's ``.venv`` interpreter (the server and its kernels run there), or the
    one running the tests when there is no ``.venv`` (a conda environment, say)."""
    venv = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return venv if venv.exists() else Path(sys.executable)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_copy(src: Path, dst: Path) -> Path:
    """Copy a notebook with its outputs and execution counts cleared.

    A cleared copy makes "every cell ran" unambiguous (the committed ``[1]`` prompts would
    otherwise look executed before anything ran), and the screenshot shows this run only.
    """
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, dst)
    return dst


class LabServer:
    """``jupyter lab`` in a subprocess, with everything it writes under ``workdir``."""

    def __init__(self, workdir: Path, root_dir: Path, env: dict[str, str] | None = None):
        self.workdir = Path(workdir)
        self.root_dir = Path(root_dir)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyter-lab.log"

    def _dirs(self) -> dict[str, Path]:
        names = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        return {var: self.workdir / sub for var, sub in names.items()}

    def start(self, timeout: float = 90) -> LabServer:
        dirs = self._dirs()
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        app_settings = self.workdir / "app-settings"
        app_settings.mkdir(exist_ok=True)
        (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=1))
        env = dict(os.environ)
        env.pop("JUPYTER_PATH", None)
        env.update({k: str(v) for k, v in dirs.items()})
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.setdefault("PYTHONHASHSEED", "0")
        env.update(self.extra_env)
        cmd = [
            str(lab_python()), "-m", "jupyter", "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.app_settings_dir={app_settings}",
            "--LabApp.extension_manager=readonly",
            "--ServerApp.terminals_enabled=False",
            "--allow-root",
        ]
        log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.proc = subprocess.Popen(cmd, env=env, cwd=self.root_dir, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.api_url("status"), timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n" + self.log_tail())

    def api_url(self, path: str) -> str:
        return f"{self.url}/api/{path}?token={self.token}"

    def lab_url(self, notebook: str) -> str:
        # ?reset: start from an empty workspace, so the previous notebook does not reopen.
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def shutdown_kernels(self) -> None:
        """Delete every session (and so its kernel) through the REST API."""
        try:
            with urllib.request.urlopen(self.api_url("sessions"), timeout=10) as r:
                sessions = json.load(r)
            for s in sessions:
                req = urllib.request.Request(self.api_url(f"sessions/{s['id']}"),
                                             method="DELETE")
                urllib.request.urlopen(req, timeout=30).close()
        except OSError:
            pass

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own process group only
                self.proc.wait(timeout=10)
        self._log.close()
        self.proc = None


# --------------------------------------------------------------------------- the page

_PROMPTS_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  // A collapsed check cell shows no input prompt: it ran if it printed its verdict
  // (in English, or in the Chinese edition's words).
  const prompts = [...panel.querySelectorAll('.jp-CodeCell')].map(cell => {
    const p = cell.querySelector('.jp-InputArea .jp-InputPrompt');
    if (p) return p.textContent.trim();
    const out = cell.querySelector('.jp-OutputArea-output')?.innerText ?? '';
    return /✓ (\\d+ claims? checked|已检查 \\d+ 条论断)/.test(out) ? '[✓]:' : '[ ]:';
  });
  return {status: ind ? ind.getAttribute('data-status') : null, prompts: prompts};
}"""

_OUTPUTS_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return [...panel.querySelectorAll('.jp-CodeCell')].map((cell, i) => ({
    index: i,
    source: cell.querySelector('.jp-InputArea-editor')?.innerText ?? '',
    errors: [...cell.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.innerText),
  }));
}"""


_TEXT_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return [...panel.querySelectorAll('.jp-CodeCell .jp-OutputArea-output')]
      .map(e => e.innerText).join('\\n');
}"""


# The notebook's scroll box: its top on the page, its height, and the height of its cells.
_METRICS_JS = """() => {
  const o = document.querySelector(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  const cells = o.querySelectorAll('.jp-Cell');
  const r = o.getBoundingClientRect();
  const last = cells.length ? cells[cells.length - 1].getBoundingClientRect().bottom : r.top;
  return {top: r.top, left: r.left, width: o.clientWidth, client: o.clientHeight,
          content: Math.ceil(last - r.top + o.scrollTop + 24)};
}"""

_SCROLL_JS = """(y) => {
  const o = document.querySelector(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  o.scrollTop = y;
  return o.scrollTop;
}"""


@dataclass
class RunResult:
    seconds: float
    prompts: list[str]
    status: str | None

    @property
    def not_run(self) -> list[int]:
        """Indices (among code cells) whose prompt is not ``[n]:`` (``[✓]:``: a collapsed
        check cell that printed its verdict)."""
        return [i for i, p in enumerate(self.prompts) if not re.fullmatch(r"\[(\d+|✓)\]:", p)]


class Retryable(RuntimeError):
    """A hiccup of the page or server, not of the notebook: worth one more try."""


class KernelLost(Retryable):
    """The page shows no live kernel connection while cells wait to run."""


class NotebookPage:
    """One notebook open in JupyterLab, in its own browser page."""

    lost_after = 60.0  # seconds without a connected kernel before giving up on the run

    def __init__(self, page, server: LabServer, name: str):
        self.page = page
        self.server = server
        self.name = name  # e.g. "02_softmax.ipynb"
        self.run: RunResult | None = None

    # -- opening and running
    def open(self, timeout: float = 90) -> None:
        page = self.page
        page.goto(self.server.lab_url(self.name), wait_until="domcontentloaded",
                  timeout=timeout * 1000)
        panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
        page.wait_for_selector(f"{panel} .jp-Cell", timeout=timeout * 1000)
        # Wait for the kernel the notebook asked for (kernelspec python3) to be idle.
        page.wait_for_function(
            """() => document.querySelector(
                 '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator')
                 ?.getAttribute('data-status') === 'idle'""", timeout=timeout * 1000)
        # Close the file browser so screenshots show the notebook at full width.
        tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if tab.count():
            tab.first.click()
        page.wait_for_timeout(200)

    def restart_and_run_all(self, timeout: float = 300) -> RunResult:
        """Toolbar "Restart the kernel and run all cells", confirm, wait for the end.

        Raises :class:`KernelLost` when the run never starts or the page loses its kernel
        connection for ``lost_after`` seconds (the caller may retry in a fresh page).
        """
        page = self.page
        # Let the first kernel connection settle: restarting while the page is still
        # connecting makes the server "replace a stale connection" and can lose the page.
        wait_kernel_idle(page, quiet=1.0, timeout=90)
        start = time.monotonic()
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                     "[data-command='notebook:restart-run-all']").first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=20_000)
        text = dialog.inner_text()
        if "restart" not in text.lower():
            raise Retryable(f"{self.name}: expected the restart dialog, got: {text!r}")
        dialog.locator("button.jp-mod-accept").click()
        dialog.wait_for(state="detached", timeout=20_000)
        # Started: some prompt is [*] or numbered (the copy was cleared, so all were blank).
        # Done: nothing queued or running, kernel idle, and it stays so for a moment.
        deadline = start + timeout
        started = False
        quiet_since = None
        lost_since = None
        state = page.evaluate(_PROMPTS_JS)
        while time.monotonic() < deadline:
            state = page.evaluate(_PROMPTS_JS)
            now = time.monotonic()
            started = started or any(p not in ("[ ]:", "") for p in state["prompts"])
            if not started:
                if now - start > self.lost_after:
                    raise KernelLost(f"{self.name}: no cell started within "
                                     f"{self.lost_after:.0f} s of the restart; kernel "
                                     f"{state['status']!r}")
                page.wait_for_timeout(250)
                continue
            busy = state["status"] != "idle" or any(p == "[*]:" for p in state["prompts"])
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since > 1.5:
                break
            # Neither idle nor busy ("starting", "connecting", ...) for a minute: the
            # page lost its kernel connection (a reconnect race after the restart).
            if state["status"] in ("idle", "busy"):
                lost_since = None
            elif lost_since is None:
                lost_since = now
            elif now - lost_since > self.lost_after:
                raise KernelLost(f"{self.name}: kernel {state['status']!r} for "
                                 f"{self.lost_after:.0f} s; prompts {state['prompts']}")
            page.wait_for_timeout(250)
        else:
            raise TimeoutError(f"{self.name}: still running after {timeout} s; "
                               f"prompts {state['prompts']}, kernel {state['status']}")
        self.run = RunResult(time.monotonic() - start, state["prompts"], state["status"])
        return self.run

    # -- what the page shows
    def output_text(self) -> str:
        """Every code cell's output as the page shows it, cell after cell."""
        return self.page.evaluate(_TEXT_JS)

    def error_cells(self) -> list[dict[str, Any]]:
        """Code cells showing a traceback or stderr, except those tagged ``raises-exception``
        in the notebook (the page does not show tags; the file does)."""
        nb = nbformat.read(NOTEBOOKS / self.name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        intended = {i for i, c in enumerate(code)
                    if raises(c)}
        return [cell for cell in self.page.evaluate(_OUTPUTS_JS)
                if cell["errors"] and cell["index"] not in intended]

    def screenshot(self, path: Path, full: bool = True, chunk: int = 8000) -> Path:
        """The notebook as a learner sees it.  ``full``: every cell, top to bottom (the
        viewport grows up to ``chunk`` pixels; longer notebooks are scrolled and stitched)."""
        page = self.page
        path.parent.mkdir(parents=True, exist_ok=True)
        page.mouse.move(0, 0)
        if not full:
            page.screenshot(path=str(path))
            return path
        width, base = VIEWPORT["width"], VIEWPORT["height"]
        try:
            m = page.evaluate(_METRICS_JS)
            extra = max(0, m["content"] - m["client"])
            if base + extra <= chunk:
                page.set_viewport_size({"width": width, "height": base + extra})
                page.wait_for_timeout(500)
                page.screenshot(path=str(path))
                return path
            page.set_viewport_size({"width": width, "height": chunk})
            page.wait_for_timeout(500)
            self._stitched(path, page.evaluate(_METRICS_JS))
        finally:
            page.evaluate(_SCROLL_JS, 0)
            page.set_viewport_size(VIEWPORT)
        return path

    def _stitched(self, path: Path, m: dict) -> None:
        """Screenshot, scroll the notebook by one view, repeat; glue the views together.

        The first view keeps the menus, toolbar and side bars; the later ones are clipped
        to the notebook, and the side bars' plain background is stretched beside them."""
        import io

        from PIL import Image

        page = self.page
        width = VIEWPORT["width"]
        top, client, content = int(m["top"]), int(m["client"]), int(m["content"])
        left, inner = int(m["left"]), int(m["width"])
        page.evaluate(_SCROLL_JS, 0)
        page.wait_for_timeout(300)
        first = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        first = first.crop((0, 0, width, top + client))    # menus, toolbar, first view
        views = []
        covered = client
        while covered < content:
            actual = int(page.evaluate(_SCROLL_JS, covered))
            page.wait_for_timeout(300)
            shot = Image.open(io.BytesIO(page.screenshot(
                clip={"x": left, "y": top, "width": inner, "height": client})))
            skip = covered - actual                        # the last view is clamped
            views.append(shot.convert("RGB").crop((0, skip, inner,
                                                   min(client, content - actual))))
            covered = actual + client
        rest = sum(v.height for v in views)
        out = Image.new("RGB", (width, first.height + rest), "white")
        out.paste(first, (0, 0))
        if rest:
            edge = first.crop((0, first.height - 1, width, first.height))
            out.paste(edge.resize((width, rest)), (0, first.height))
        y = first.height
        for view in views:
            out.paste(view, (left, y))
            y += view.height
        out.save(path, compress_level=6)

    def cell_screenshot(self, cell, path: Path) -> Path:
        """One cell, input and output, with the viewport grown so all of it is visible
        (the notebook scrolls inside its own box, so a tall cell would be clipped)."""
        page = self.page
        box = cell.bounding_box() or {"height": 0}
        need = int(box["height"]) + 260                 # menus, toolbar and status bar
        grow = need > VIEWPORT["height"]
        try:
            if grow:
                page.set_viewport_size({"width": VIEWPORT["width"], "height": min(need, 8000)})
                page.wait_for_timeout(300)
            cell.scroll_into_view_if_needed()
            cell.screenshot(path=str(path), timeout=10_000)
        finally:
            if grow:
                page.set_viewport_size(VIEWPORT)
        return path

    def code_cell(self, source_contains: str):
        """The code cell whose source contains ``source_contains`` (exactly one)."""
        cells = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=source_contains))
        n = cells.count()
        if n != 1:
            raise AssertionError(f"{self.name}: {n} code cells contain {source_contains!r}, "
                                 "expected exactly 1")
        return cells.first

    def close(self) -> None:
        self.server.shutdown_kernels()
        self.page.close()


# --------------------------------------------------------------------------- readouts

def _widget(area, kind: str, label: str | None, index: int):
    """The ``index``-th ipywidget of ``kind`` inside ``area`` whose description is ``label``
    (the whole label text, so "T" does not match "true class")."""
    loc = area.locator(f".widget-{kind}")
    if label is not None:
        exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
        loc = loc.filter(has=area.page.locator(".widget-label", has_text=exact))
    return loc.nth(index)


@dataclass(frozen=True)
class Number:
    """A number read from the text of the explorer's output: the first (or ``last``) match
    of ``pattern`` (its first group) in the text of the elements matching ``selector``."""

    pattern: str
    selector: str = ".jp-OutputArea-output"
    last: bool = False

    def read(self, area) -> float:
        joined = "\n".join(area.locator(self.selector).all_inner_texts())
        found = re.findall(self.pattern, joined)
        if not found:
            raise AssertionError(f"no match for {self.pattern!r} in the explorer's text:\n"
                                 f"{joined[:800]}")
        return float(found[-1 if self.last else 0].replace("−", "-"))

    def describe(self) -> str:
        return f"{'last ' if self.last else ''}number /{self.pattern}/"


@dataclass(frozen=True)
class Matches:
    """How many times ``pattern`` occurs in the explorer's text (e.g. one line per run)."""

    pattern: str
    selector: str = ".jp-OutputArea-output"

    def read(self, area) -> int:
        joined = "\n".join(area.locator(self.selector).all_inner_texts())
        return len(re.findall(self.pattern, joined))

    def describe(self) -> str:
        return f"count of /{self.pattern}/"


@dataclass(frozen=True)
class Text:
    """The visible text of the elements matching ``selector`` in the explorer's output."""

    selector: str = ".jp-OutputArea-output"

    def read(self, area) -> str:
        return "\n".join(area.locator(self.selector).all_inner_texts()).strip()

    def describe(self) -> str:
        return f"text of {self.selector}"


@dataclass(frozen=True)
class Picture:
    """The pixels of the ``index``-th image (``img``; matplotlib PNG or widgets.Image) in the
    explorer's output, as a SHA-256 of the rendered element's screenshot."""

    index: int = 0
    selector: str = "img"

    def read(self, area) -> str:
        img = area.locator(self.selector).nth(self.index)
        img.wait_for(state="visible", timeout=10_000)
        png = img.screenshot(animations="disabled", timeout=5_000)
        return hashlib.sha256(png).hexdigest()[:16]

    def describe(self) -> str:
        return f"image #{self.index} pixels"


@dataclass(frozen=True)
class SliderValue:
    """The readout of a slider (its displayed value), found by its label."""

    label: str | None = None
    index: int = 0

    def read(self, area) -> float:
        s = _widget(area, "slider", self.label, self.index)
        return float(s.locator(".widget-readout").inner_text().strip().replace("−", "-"))

    def describe(self) -> str:
        return f"slider {self.label!r} value"


# --------------------------------------------------------------------------- actions

@dataclass(frozen=True)
class Slider:
    """Focus the slider's handle and press ``key`` ``presses`` times."""

    label: str | None = None
    key: str = "ArrowRight"
    presses: int = 10
    index: int = 0

    def do(self, area) -> str:
        slider = _widget(area, "slider", self.label, self.index)
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        for _ in range(self.presses):
            handle.press(self.key)
            area.page.wait_for_timeout(40)
        return f"slider {self.label!r}: {self.key} x{self.presses}"


@dataclass(frozen=True)
class TypeValue:
    """Type ``text`` into the slider's editable readout and press Enter (sets a value)."""

    label: str | None
    text: str
    index: int = 0

    def do(self, area) -> str:
        readout = _widget(area, "slider", self.label, self.index).locator(".widget-readout")
        readout.click()
        page = area.page
        page.keyboard.press("Control+A")
        page.keyboard.type(self.text)
        page.keyboard.press("Enter")
        return f"slider {self.label!r} := {self.text}"


@dataclass(frozen=True)
class Dropdown:
    """Choose ``option`` (its visible label) in the dropdown labelled ``label``."""

    option: str
    label: str | None = None
    index: int = 0

    def do(self, area) -> str:
        select = _widget(area, "dropdown", self.label, self.index).locator("select")
        select.select_option(label=self.option)
        return f"dropdown {self.label!r} -> {self.option!r}"


@dataclass(frozen=True)
class Checkbox:
    """Click the checkbox whose description is ``label``."""

    label: str

    def do(self, area) -> str:
        exact = re.compile(rf"^\s*{re.escape(self.label)}\s*$")
        box = area.locator(".widget-checkbox").filter(
            has=area.page.locator(".widget-label-basic", has_text=exact)).first
        box.locator("input[type=checkbox]").click()
        return f"checkbox {self.label!r}"


@dataclass(frozen=True)
class Click:
    """Click the button (or toggle button) whose text contains ``text``."""

    text: str
    selector: str = "button"

    def do(self, area) -> str:
        area.locator(self.selector, has_text=self.text).first.click()
        return f"click {self.text!r}"


@dataclass(frozen=True)
class Sequence:
    """Several actions in a row (e.g. choose an answer, then press "Check")."""

    steps: tuple = field(default_factory=tuple)

    def do(self, area) -> str:
        return "; ".join(step.do(area) for step in self.steps)


# --------------------------------------------------------------------------- expectations

EXPECTATIONS = {
    "changes": lambda before, after: after != before,
    "increases": lambda before, after: after > before,
    "decreases": lambda before, after: after < before,
}


def wait_kernel_idle(page, quiet: float = 0.75, timeout: float = 60) -> None:
    """Wait until the notebook's kernel has been idle for ``quiet`` seconds (widget events
    are shell messages too: the kernel is busy while it handles them)."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline:
        status = page.evaluate(_PROMPTS_JS)["status"]
        if status != "idle":
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"the kernel was not idle for {quiet} s within {timeout} s")


def wait_for_readout(area, readout, before, expect: str, timeout: float,
                     settle: float = 1.0):
    """Poll ``readout`` until ``expect`` holds against ``before`` and the value has settled.

    Returns the settled value (which the caller asserts on again).  Raises on timeout with
    the last value seen.
    """
    ok = EXPECTATIONS[expect]
    deadline = time.monotonic() + timeout
    last, since = None, None
    page = area.page
    while time.monotonic() < deadline:
        try:
            now = readout.read(area)
        except Exception:  # noqa: BLE001 - not rendered yet, or replaced while read
            now = None
        if now is not None and now == last:
            if since is not None and time.monotonic() - since >= settle and ok(before, now):
                return now
        else:
            last, since = now, time.monotonic()
        page.wait_for_timeout(200)
    return last
