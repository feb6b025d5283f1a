"""The cheat sheet's row checker: every checkable cell backed by a check that runs.

``notebooks/06_cheat_sheet.ipynb`` runs each table's rows through a :class:`SheetCheck`, which
asserts that TF1, TF2, Keras (and PyTorch, where installed) and lossedu agree. Nothing here
imports TensorFlow, Keras or PyTorch: the checker compares whatever arrays the notebook hands
it, with NumPy.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from lossedu.lessons.cheat_sheet.tables import COLUMNS, NAMES, NONE, TABLES, Row, Table, table

__all__ = [
    "torch_available",
    "SheetCheck",
    "TableCheck",
    "captured_tf_logs",
]


def torch_available() -> bool:
    """True when PyTorch can be imported here (it is never required)."""
    return importlib.util.find_spec("torch") is not None


@contextmanager
def captured_tf_logs() -> Iterator[list[str]]:
    """Collect what TensorFlow logs (its deprecation notices) instead of printing to stderr.

    Yields a list that fills with each message, minus the ``From <file>:<line>:`` prefix,
    which names a machine path.
    """
    logger = logging.getLogger("tensorflow")
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record):
            text = record.getMessage()
            messages.append(re.sub(r"^From \S+:\d+: ", "", text).strip())

    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers = [_Collect()]
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.handlers = handlers
        logger.propagate = propagate


def _to_numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    elif hasattr(value, "numpy"):  # an eager TF tensor
        value = value.numpy()
    return np.asarray(value, dtype=np.float64)


def _fmt(arr: np.ndarray) -> str:
    text = np.array2string(np.round(arr, 4) + 0.0, precision=4, separator=" ",
                           max_line_width=10_000, suppress_small=True)
    return re.sub(r"\s+", " ", text).replace("[ ", "[").replace(" ]", "]")


def _first_line(text: str, limit: int = 110) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class TableCheck:
    """The checks under one table. Use as a context manager; leaving it asserts coverage.

    Every entry point takes the row key and implementations keyed by column (``tf1``, ``tf2``,
    ``keras``, ``torch``, ``lossedu``). A value may be an array, a TF or torch tensor, or a
    zero-argument callable; ``torch`` entries are called only when PyTorch is installed.
    """

    def __init__(self, tab: Table, torch: bool, log: Callable[[str], None] = print):
        self.table = tab
        self.torch = torch
        self.checked: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self.skipped: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self._log = log

    def __enter__(self) -> TableCheck:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.finish()
        return False

    def _resolve(self, row: Row, impls: dict) -> dict:
        unknown = set(impls) - set(COLUMNS)
        if unknown:
            raise TypeError(f"unknown column(s) {sorted(unknown)}; columns are {COLUMNS}")
        for col in impls:
            if row.cell(col) == NONE:
                raise AssertionError(f"{self.table.key}/{row.key}: the {NAMES[col]} cell says "
                                     "there is no equivalent, yet a check was given for it")
        if "torch" in impls and not self.torch:
            impls = {k: v for k, v in impls.items() if k != "torch"}
            self.skipped[row.key].add("torch")
        return impls

    def agree(self, row_key: str, *, expected=None, rtol: float = 1e-6, atol: float = 1e-6,
              **impls) -> np.ndarray:
        """Assert that every implementation gives the same array (and ``expected``, if given)."""
        row = self.table.row(row_key)
        if not impls:
            raise TypeError("agree() needs at least one implementation")
        impls = self._resolve(row, impls)
        if not impls:  # only PyTorch, and it is not installed
            return None
        values = {}
        for col, impl in impls.items():
            values[col] = _to_numpy(impl() if callable(impl) else impl)
        if expected is not None:
            ref_name, ref = "expected", _to_numpy(expected)
        else:
            first = next(iter(values))
            ref_name, ref = NAMES[first], values[first]
        for col, val in values.items():
            where = f"{self.table.key}/{row.key}: {NAMES[col]}"
            assert val.shape == ref.shape, f"{where} has shape {val.shape}, {ref_name} {ref.shape}"
            assert np.allclose(val, ref, rtol=rtol, atol=atol, equal_nan=True), (
                f"{where} gives {_fmt(val)}, {ref_name} {_fmt(ref)}")
        self.checked[row.key].update(values)
        names = ", ".join(NAMES[c] for c in values)
        verb = "agree" if len(values) > 1 else "gives"
        self._log(f"✓ {row.key}: {names} {verb} {_fmt(ref)}")
        return ref

    def raises(self, row_key: str, exc, match: str | None = None, **impls) -> None:
        """Assert that every callable raises ``exc`` (a message matching ``match``)."""
        row = self.table.row(row_key)
        impls = self._resolve(row, impls)
        if not impls:
            return
        shown = kind = ""
        for col, impl in impls.items():
            where = f"{self.table.key}/{row.key}: {NAMES[col]}"
            try:
                impl()
            except exc as err:
                msg = str(err)
                if match is not None:
                    found = re.search(match, msg)
                    assert found, f"{where} raised {type(err).__name__}, but {msg!r} " \
                                  f"does not match {match!r}"
                    shown = found.group(0)
                else:
                    shown = _first_line(msg)
                kind = type(err).__name__
            else:
                raise AssertionError(f"{where} was expected to raise {exc}, and did not")
        self.checked[row.key].update(impls)
        names = ", ".join(NAMES[c] for c in impls)
        verb = "raise" if len(impls) > 1 else "raises"
        self._log(f"✓ {row.key}: {names} {verb} {kind}: {shown}")

    def fact(self, row_key: str, column: str, ok, claim: str) -> None:
        """Assert a claim about one cell that is not a number (a name exists, a default…).

        ``ok`` is a bool, or a callable returning one (needed for ``torch``).
        """
        row = self.table.row(row_key)
        if not self._resolve(row, {column: None}):
            return
        if callable(ok):
            ok = ok()
        assert ok, f"{self.table.key}/{row.key} ({NAMES[column]}): not true that {claim}"
        self.checked[row.key].add(column)
        self._log(f"✓ {row.key} ({NAMES[column]}): {claim}")

    def missing(self) -> list[str]:
        """The checkable cells (row/column) that no check has covered yet."""
        out = []
        for r in self.table.rows:
            for col in COLUMNS:
                if col == "torch" and not self.torch:
                    continue
                if r.checkable(col) and col not in self.checked[r.key]:
                    out.append(f"{r.key}/{NAMES[col]}")
        return out

    def finish(self) -> None:
        """Assert that every checkable cell was checked, and print a one-line summary."""
        gaps = self.missing()
        assert not gaps, f"table {self.table.key!r}: no check ran for " + ", ".join(gaps)
        n = sum(len(c - {"torch"}) for c in self.checked.values())
        doc = sum(1 for r in self.table.rows for c in r.documented)
        torch_cells = sum(1 for r in self.table.rows if r.checkable("torch"))
        line = (f"{self.table.key}: all {len(self.table.rows)} rows checked "
                f"({n} TF1/TF2/Keras/lossedu cells"
                + (f", {doc} documented only †" if doc else "") + ")")
        if self.torch:
            line += f"; PyTorch: {torch_cells} cells checked"
        else:
            line += f"; PyTorch not installed: {torch_cells} cells not run ‡"
        self._log(line)


class SheetCheck:
    """All the tables' checks for one notebook run, and the coverage report at the end.

    >>> sheet = SheetCheck(torch=False, log=lambda line: None)
    >>> with sheet.table("activations") as check:
    ...     pass  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: table 'activations': no check ran for evaluate/TF1, ...
    """

    def __init__(self, torch: bool | None = None, log: Callable[[str], None] = print):
        self.torch = torch_available() if torch is None else bool(torch)
        self._log = log
        self.done: dict[str, TableCheck] = {}

    def table(self, key: str) -> TableCheck:
        check = TableCheck(table(key), self.torch, self._log)
        self.done[key] = check
        return check

    def report(self) -> str:
        """A grid: ✓ checked, † documented only, ‡ PyTorch not installed, — no equivalent."""
        width = max(len(f"{t.key}/{r.key}") for t in TABLES for r in t.rows)
        lines = [f"{'table/row':{width}s}  " + "  ".join(f"{NAMES[c]:>7s}" for c in COLUMNS)]
        for t in TABLES:
            check = self.done.get(t.key)
            for r in t.rows:
                marks = []
                for c in COLUMNS:
                    if r.cell(c) == NONE:
                        mark = "—"
                    elif c in r.documented:
                        mark = "†"
                    elif check is not None and c in check.checked[r.key]:
                        mark = "✓"
                    elif c == "torch" and not self.torch:
                        mark = "‡"
                    else:
                        mark = "MISSING"
                    marks.append(f"{mark:>7s}")
                lines.append(f"{t.key + '/' + r.key:{width}s}  " + "  ".join(marks))
        return "\n".join(lines)

    def assert_complete(self) -> None:
        """Assert that every table was checked and no checkable cell was left out."""
        absent = [t.key for t in TABLES if t.key not in self.done]
        assert not absent, "tables never checked: " + ", ".join(absent)
        gaps = [f"{k}: {g}" for k, c in self.done.items() for g in c.missing()]
        assert not gaps, "cells never checked: " + "; ".join(gaps)
