"""Shared fixtures for the unit and TensorFlow-oracle tests.

TensorFlow is imported lazily, once per session, by the ``tf`` fixture, so the fast tests
(test_properties.py, most of test_errors.py) never pay its 3-6 s import.  Nothing here
touches notebook collection: the suite also runs as ``pytest tests notebooks --nbval``.
"""

from __future__ import annotations

import os
import zlib

import numpy as np
import pytest
from helpers import ERROR_TABLE, REFEREE_TABLE, assert_close_tf, error_report_enabled

__all__ = ["assert_close_tf"]


@pytest.fixture(scope="session")
def tf():
    """``tensorflow``, imported on first use with its C++ logging silenced."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tensorflow = pytest.importorskip("tensorflow")
    return tensorflow


@pytest.fixture(scope="session")
def keras(tf):
    """``keras`` (Keras 3 on the TensorFlow backend), imported after TensorFlow."""
    import keras as keras_module

    assert keras_module.backend.backend() == "tensorflow", "the oracle is the TF backend"
    return keras_module


@pytest.fixture
def rng(request) -> np.random.Generator:
    """A NumPy generator seeded from the test's name: reproducible, different per test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


def referee_table_lines() -> list[str]:
    """The referee's outcomes by function (tests/core/test_referee.py), one row per function."""
    outcomes = sorted({o for c in REFEREE_TABLE.values() for o in c},
                      key=lambda o: (o.startswith("F:"), o))
    width = max(len(n) for n in REFEREE_TABLE)
    cols = list(zip(outcomes, [max(6, len(o)) for o in outcomes], strict=True))
    head = f"{'function':{width}s} " + " ".join(f"{o:>{w}s}" for o, w in cols) \
        + f" {'calls':>6s}"
    lines = [head]
    for name, counts in REFEREE_TABLE.items():
        cells = " ".join(f"{counts.get(o, 0) or '.':>{w}}" for o, w in cols)
        lines.append(f"{name:{width}s} {cells} {sum(counts.values()):6d}")
    total = sum(sum(c.values()) for c in REFEREE_TABLE.values())
    fails = sum(n for c in REFEREE_TABLE.values() for o, n in c.items() if o.startswith("F:"))
    lines.append(f"{len(REFEREE_TABLE)} functions, {total} calls, {fails} failed")
    return lines


def pytest_terminal_summary(terminalreporter):
    """The referee's table when it ran; with LOSSEDU_ERROR_REPORT=1, the largest TF errors."""
    tr = terminalreporter
    if REFEREE_TABLE:
        tr.section("referee: outcomes by function (tests/core/test_referee.py)")
        for line in referee_table_lines():
            tr.write_line(line)
    if not (error_report_enabled() and ERROR_TABLE):
        return
    tr.section("largest |lossedu - TF| per function (and as a fraction of the tolerance)")
    tr.write_line(f"{'function':48s} {'float32':>22s} {'float64':>22s}")
    for name in sorted(ERROR_TABLE):
        cells = []
        for dt in ("float32", "float64"):
            if dt in ERROR_TABLE[name]:
                err, ratio = ERROR_TABLE[name][dt]
                cells.append(f"{err:9.2e} ({ratio:5.2f}x)")
            else:
                cells.append("-")
        tr.write_line(f"{name:48s} {cells[0]:>22s} {cells[1]:>22s}")
