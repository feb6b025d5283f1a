"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

The suite needs Debian's ``chromium`` (``/usr/bin/chromium``, or ``$LOSSEDU_CHROMIUM``) and
the ``playwright`` Python package (in the ``dev`` extra; Playwright's own browser download
is not used).  Without them the tests skip with the reason.  ``make e2e`` sets
``LOSSEDU_E2E=1`` and CI sets ``CI=true``: either turns that skip into a failure.
``LOSSEDU_E2E=0`` skips the browser tests on purpose (``LOSSEDU_E2E=0 make unit``).

The server's root is a temporary copy of ``notebooks/`` (outputs cleared); the committed
notebooks are never opened by the browser, let alone saved.
"""

from __future__ import annotations

import os
import shutil
import time
import warnings
from pathlib import Path

import pytest
from e2e_lab import (
    CHROMIUM_FLAGS,
    NOTEBOOKS,
    SCREENSHOTS,
    TIMINGS,
    VIEWPORT,
    LabServer,
    NotebookPage,
    Retryable,
    browser_required,
    find_chromium,
    fresh_copy,
    missing_browser,
)
from e2e_table import LESSONS, ZH_LESSONS

HERE = Path(__file__).resolve().parent
ORDER = {lesson.notebook: i for i, lesson in enumerate(LESSONS + ZH_LESSONS)}


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    tr = terminalreporter
    tr.section("JupyterLab end-to-end: seconds")
    for what, seconds in TIMINGS:
        tr.write_line(f"{seconds:7.1f}  {what}")


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests ``e2e`` and order them lesson by lesson.

    Each notebook's run and its explorer tests then share one kernel and one page, and the
    kernel is shut down before the next notebook opens (at most one TensorFlow kernel at a
    time).
    """
    mine = [(i, it) for i, it in enumerate(items) if HERE in Path(str(it.path)).parents]
    if not mine:
        return

    def key(item):
        spec = getattr(item, "callspec", None)
        lesson = spec.params.get("lesson") if spec else None
        rank = ORDER.get(getattr(lesson, "notebook", None), -1)
        kind = 0 if item.originalname == "test_notebook_runs_clean" else 1
        return (rank, kind)

    ordered = sorted((it for _, it in mine), key=key)
    for (pos, _), item in zip(mine, ordered, strict=True):
        item.add_marker(pytest.mark.e2e)
        items[pos] = item


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A running JupyterLab on a temporary copy of notebooks/; stopped at the end."""
    reason = missing_browser()
    if reason:
        if browser_required():
            pytest.fail(f"the browser tests are required here (LOSSEDU_E2E=1 or CI=true), "
                        f"but {reason}", pytrace=False)
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("jupyterlab")
    root = work / "notebooks"
    root.mkdir()
    for src in sorted(NOTEBOOKS.glob("*.ipynb")):
        fresh_copy(src, root / src.name)
    # The Chinese edition, in zh/ as in the repository (its kernels speak Chinese there).
    (root / "zh").mkdir()
    for src in sorted((NOTEBOOKS / "zh").glob("*.ipynb")):
        fresh_copy(src, root / "zh" / src.name)
    # Data files or helpers a lesson may read next to itself.
    for src in NOTEBOOKS.iterdir():
        if src.is_file() and src.suffix != ".ipynb":
            shutil.copy2(src, root / src.name)
    # The lessons run as a learner runs them (the default budget), unless asked otherwise.
    env = {}
    if os.environ.get("LOSSEDU_E2E_QUICK", "") not in ("", "0"):
        env["LOSSEDU_QUICK"] = "1"
    server = LabServer(work, root, env=env)
    started = time.monotonic()
    server.start()
    TIMINGS.append(("jupyter lab start", time.monotonic() - started))
    try:
        yield server
    finally:
        server.stop()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(server.log_path, SCREENSHOTS / "jupyter-lab.log")  # for failures in CI


@pytest.fixture(scope="session")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=find_chromium(), headless=True,
                               args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


class Lessons:
    """Opens and runs one lesson at a time; its explorer tests reuse the page and kernel."""

    def __init__(self, lab: LabServer, browser):
        self.lab = lab
        self.context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        self.context.set_default_timeout(30_000)
        self.current: str | None = None
        self.page: NotebookPage | None = None
        self.error: BaseException | None = None

    def get(self, lesson) -> NotebookPage:
        if self.current != lesson.notebook:
            self._close()
            self.current = lesson.notebook
            self.error = None
            self.page = NotebookPage(self.context.new_page(), self.lab, lesson.notebook)
            try:
                start = time.monotonic()
                self.page.open()
                opened = time.monotonic() - start
                try:
                    run = self.page.restart_and_run_all(timeout=lesson.run_timeout)
                except Retryable as lost:
                    # Seen under heavy load: after the restart the page's websocket is
                    # replaced ("Replacing stale connection" in the server log) and the
                    # page never reconnects.  One fresh page and one more try; said loudly.
                    warnings.warn(f"{lost}; reopening the notebook and trying once more",
                                  stacklevel=1)
                    TIMINGS.append((f"{lesson.notebook}: RETRIED after: {lost}",
                                    time.monotonic() - start))
                    self.page.page.close()
                    self.lab.shutdown_kernels()
                    self.page = NotebookPage(self.context.new_page(), self.lab,
                                             lesson.notebook)
                    self.page.open()
                    run = self.page.restart_and_run_all(timeout=lesson.run_timeout)
                TIMINGS.append((f"{lesson.notebook}: open", opened))
                TIMINGS.append((f"{lesson.notebook}: restart + run all", run.seconds))
            except BaseException as exc:  # reported by every test of this lesson
                self.error = exc
            finally:
                try:
                    self.page.screenshot(SCREENSHOTS / f"{lesson.stem}.png")
                except Exception as exc:  # noqa: BLE001 - a screenshot never hides the cause
                    print(f"screenshot of {lesson.notebook} failed: {exc}")
        if self.error is not None:
            pytest.fail(f"{lesson.notebook} did not run in JupyterLab: {self.error}\n"
                        f"server log:\n{self.lab.log_tail(15)}", pytrace=False)
        return self.page

    def _close(self) -> None:
        if self.page is not None:
            self.page.close()
            self.page = None
        self.current = None

    def close(self) -> None:
        self._close()
        self.context.close()


@pytest.fixture(scope="session")
def lessons(lab, browser):
    runner = Lessons(lab, browser)
    try:
        yield runner
    finally:
        runner.close()
