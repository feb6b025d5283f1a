"""Session rules shared by ``pytest tests`` and ``pytest notebooks --nbval``: Fashion-MNIST.

Some tests need the real Fashion-MNIST files: the notebooks in ``DATA_LESSONS`` (their nbval
cells and their browser tests) and every test that asks for the ``fashion_mnist_dir``
fixture (or carries the ``needs_data`` marker).  lossedu.data's own finder decides, once per
session and without downloading, whether the files are here.

* Found: those tests run as usual.
* Missing on a laptop: they skip, all with the one reason ``missing_data_reason()`` builds
  (what is missing and the ways to get it), printed at the top of the run and again in the
  summary.  Everything else still runs.
* Missing under CI (``CI`` set) or with ``LOSSEDU_REQUIRE_DATA=1``: they fail with that same
  message.  ``LOSSEDU_REQUIRE_DATA=0`` allows the skip even under CI.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from lossedu.lessons.registry import LESSONS

# The lessons that load Fashion-MNIST (the registry's needs_data): nbval cells and browser
# tests of these notebooks need the data, and skip (or fail, when it is required) without it.
DATA_LESSONS = tuple(les.path for les in LESSONS if les.needs_data)

DATA_FIXTURE = "fashion_mnist_dir"
_STATE = pytest.StashKey[dict]()


def _data_required() -> str | None:
    """Why missing data is a failure here (LOSSEDU_REQUIRE_DATA=1 or CI), or None."""
    flag = os.environ.get("LOSSEDU_REQUIRE_DATA", "").strip()
    if flag in ("0", "1"):
        return "LOSSEDU_REQUIRE_DATA=1" if flag == "1" else None
    ci = os.environ.get("CI", "").strip().lower()
    return f"CI={ci}" if ci not in ("", "0", "false", "no") else None


def _short(path: Path) -> str:
    """A searched folder as a person would type it: relative to the repository or to ~."""
    for base, prefix in ((Path(__file__).resolve().parent, ""), (Path.home(), "~/")):
        try:
            return f"{prefix}{path.relative_to(base)}/"
        except ValueError:
            pass
    return f"{path}/"


def missing_data_reason() -> str:
    """The one skip (or failure) message: what is missing, where lossedu looked, how to fix."""
    from lossedu import data

    searched = data.candidate_dirs()
    places = ", ".join(_short(c.path) + (" ($LOSSEDU_DATA)" if c.label == "$LOSSEDU_DATA" else "")
                       for c in searched)
    keras_cache = next(c.path for c in searched if c.label.startswith("Keras cache"))
    return (
        f"Fashion-MNIST is not on this machine (lossedu looked in {places}). "
        "Get the four *-ubyte.gz files in one of three ways: "
        "(1) put them in data/fashion-mnist/, or in any folder and set $LOSSEDU_DATA to it; "
        f"(2) the Keras cache {_short(keras_cache)}, which `make data` fills when there is "
        "a network; "
        "(3) Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist. "
        "`make data` then says where it found them.")


def _find_data() -> dict:
    """Where lossedu.data finds the four files (no download), and any warning it gave."""
    from lossedu import data
    from lossedu.errors import DataNotFoundError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            path = data.locate_fashion_mnist(download=False)
        except DataNotFoundError:
            path = None
    return {"path": path, "warnings": [str(w.message) for w in caught],
            "reason": None if path is not None else missing_data_reason(),
            "required": _data_required(), "skipped": 0, "failed": 0}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_data: needs the real Fashion-MNIST files (skips without them; "
                   "fails under CI or LOSSEDU_REQUIRE_DATA=1)")
    config.stash[_STATE] = _find_data()


def pytest_report_header(config):
    state = config.stash[_STATE]
    if state["path"] is not None:
        lines = [f"Fashion-MNIST: {state['path']}"]
        return lines + [f"Fashion-MNIST: {w}" for w in state["warnings"]]
    if state["required"]:
        return [f"Fashion-MNIST: MISSING, and required here ({state['required']}): the tests "
                "that need it will fail.", f"  {state['reason']}"]
    return ["Fashion-MNIST: MISSING: the tests that need it will skip (LOSSEDU_REQUIRE_DATA=1 "
            "or CI makes them fail).", f"  {state['reason']}"]


def _needs_data(item) -> bool:
    if item.get_closest_marker("needs_data") is not None:
        return True
    if DATA_FIXTURE in getattr(item, "fixturenames", ()):
        return True
    if Path(str(item.path)).name in DATA_LESSONS:            # an nbval cell of a data lesson
        return True
    spec = getattr(item, "callspec", None)                   # a browser test of a data lesson
    lesson = spec.params.get("lesson") if spec is not None else None
    return getattr(lesson, "notebook", None) in DATA_LESSONS


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _needs_data(item) and item.get_closest_marker("needs_data") is None:
            item.add_marker(pytest.mark.needs_data)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip (or fail) a test that needs the data before any fixture or kernel starts."""
    if item.get_closest_marker("needs_data") is None:
        return
    state = item.config.stash[_STATE]
    if state["path"] is not None:
        return
    if state["required"]:
        state["failed"] += 1
        pytest.fail(f"Fashion-MNIST is required here ({state['required']}). "
                    f"{state['reason']}", pytrace=False)
    state["skipped"] += 1
    pytest.skip(state["reason"])


def pytest_terminal_summary(terminalreporter, config):
    state = config.stash[_STATE]
    if state["path"] is not None or not (state["skipped"] or state["failed"]):
        return
    tr = terminalreporter
    if state["failed"]:
        tr.section("Fashion-MNIST missing: tests failed", red=True)
        tr.write_line(f"{state['failed']} tests need Fashion-MNIST and it is required here "
                      f"({state['required']}).")
    else:
        tr.section("Fashion-MNIST missing: tests skipped", yellow=True)
        tr.write_line(f"{state['skipped']} tests need Fashion-MNIST and were skipped; "
                      "everything else ran.")
    tr.write_line(state["reason"])


@pytest.fixture(scope="session")
def fashion_mnist_dir(pytestconfig) -> Path:
    """The folder holding the four real files (a test asking for it needs the data)."""
    path = pytestconfig.stash[_STATE]["path"]
    assert path is not None, "pytest_runtest_setup skips tests that need missing data"
    return path


@pytest.fixture(scope="session")
def data_lessons() -> tuple[str, ...]:
    """``DATA_LESSONS``, for the test that keeps the list in step with the notebooks."""
    return DATA_LESSONS
