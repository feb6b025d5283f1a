"""The cheat sheet's row checker: every checkable cell backed by a check that runs.

``notebooks/06_cheat_sheet.ipynb`` calls :meth:`SheetCheck.verify` once per table: it runs the
topic module's checks (:mod:`.topics`), which assert that TF1, TF2, Keras (and PyTorch, where
installed) and lossedu agree, and prints one line. The checker itself imports no TensorFlow,
Keras or PyTorch: it compares whatever arrays the checks hand it, with NumPy;
:meth:`SheetCheck.verify` imports the libraries when it runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from lossedu.i18n import _, using_language
from lossedu.lessons.cheat_sheet.libs import Libs, libraries, torch_available
from lossedu.lessons.cheat_sheet.schema import COLUMNS, NAMES, NONE, Row, Table
from lossedu.lessons.cheat_sheet.tables import TABLES, table
from lossedu.lessons.cheat_sheet.topics import topic

__all__ = [
    "torch_available",
    "SheetCheck",
    "TableCheck",
    "captured_tf_logs",
]


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
    Each passing check logs one line, unless ``detail`` is false; :meth:`finish` always logs
    the table's one-line verdict.
    """

    def __init__(self, tab: Table, torch: bool, log: Callable[[str], None] = print,
                 detail: bool = True):
        self.table = tab
        self.torch = torch
        self.checked: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self.skipped: dict[str, set[str]] = {r.key: set() for r in tab.rows}
        self._say = log
        self._log = log if detail else (lambda line: None)

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
        line = (_("✓ {row}: {names} agree {value}") if len(values) > 1
                else _("✓ {row}: {names} gives {value}"))
        self._log(line.format(row=row.key, names=names, value=_fmt(ref)))
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
                # ``match`` quotes the message as the library writes it, in English: lossedu's
                # own errors are raised in English here, whatever language the notebook speaks
                with using_language("en"):
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
        line = (_("✓ {row}: {names} raise {error}: {message}") if len(impls) > 1
                else _("✓ {row}: {names} raises {error}: {message}"))
        self._log(line.format(row=row.key, names=names, error=kind, message=shown))

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

    def finish(self) -> str:
        """Assert that every checkable cell was checked; log and return the one-line verdict."""
        gaps = self.missing()
        assert not gaps, f"table {self.table.key!r}: no check ran for " + ", ".join(gaps)
        n = sum(len(c - {"torch"}) for c in self.checked.values())
        doc = sum(1 for r in self.table.rows for c in r.documented)
        torch_cells = sum(1 for r in self.table.rows if r.checkable("torch"))
        if doc:
            line = _("{table}: all {rows} rows checked against TF ({n} TF1/TF2/Keras/lossedu "
                     "cells, {doc} documented only †)")
        else:
            line = _("{table}: all {rows} rows checked against TF ({n} TF1/TF2/Keras/lossedu "
                     "cells)")
        line = line.format(table=self.table.key, rows=len(self.table.rows), n=n, doc=doc)
        if self.torch:
            line += _("; PyTorch: {n} cells checked").format(n=torch_cells)
        else:
            line += _("; PyTorch not installed: {n} cells not run ‡").format(n=torch_cells)
        self._say(line)
        return line


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
        self._libs: Libs | None = None
        self.done: dict[str, TableCheck] = {}

    def table(self, key: str, detail: bool = True) -> TableCheck:
        """The checks of table ``key``, to fill by hand in a ``with`` block."""
        check = TableCheck(table(key), self.torch, self._log, detail)
        self.done[key] = check
        return check

    def libs(self) -> Libs:
        """TensorFlow, Keras and (where installed) PyTorch, imported on first use."""
        if self._libs is None:
            self._libs = libraries(self.torch)
        return self._libs

    def verify(self, key: str, detail: bool = False) -> None:
        """Run every check of table ``key`` and print its verdict, one line.

        The topic's checks (:mod:`.topics`) compare TF1 (through ``tf.compat.v1``), TF2, Keras,
        PyTorch (where installed) and lossedu on the same inputs. The first disagreement raises
        an ``AssertionError`` naming the row and the library, and so does a checkable cell that
        no check covered. With ``detail``, each check prints its own line first, and what
        TensorFlow logged (its deprecation notices) comes last.
        """
        lib = self.libs()   # import first: TF's logger exists before it is captured
        with captured_tf_logs() as tf_said:
            with self.table(key, detail) as check:
                topic(key).run(check, lib)
        if detail:
            for note in tf_said:
                self._log(_("TF logged: {note}").format(note=" ".join(note.split())))

    def finish(self) -> None:
        """Assert that every table was verified, completely; print the one-line verdict."""
        self.assert_complete()
        rows = sum(len(t.rows) for t in TABLES)
        doc = sum(1 for t in TABLES for r in t.rows for c in r.documented if c != "torch")
        self._log(_("{tables} tables, {rows} rows: every TF1, TF2, Keras and lossedu entry "
                    "checked, apart from {doc} stated from the documentation (†)").format(
            tables=len(self.done), rows=rows, doc=doc))

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
