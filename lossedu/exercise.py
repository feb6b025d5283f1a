"""Exercises with instant feedback: run a learner's function on edge cases, say what failed.

Each lesson's module (``lossedu.lessons.softmax.exercises`` and so on) defines ``check_*`` functions
built on :func:`run_checks`, and reference solutions that the tests run through them.

>>> import numpy as np
>>> cases = [Case("a small vector", (np.array([1.0, 2.0]),), np.array([2.0, 4.0]))]
>>> print(run_checks(lambda x: 2 * x, cases, title="double"))
double: all 1 checks passed.
>>> print(run_checks(lambda x: x, cases, title="double"))
double: 0 of 1 checks passed.
  - a small vector: expected [2. 4.], got [1. 2.]
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lossedu import i18n
from lossedu.i18n import _

__all__ = ["Case", "Feedback", "run_checks"]


@dataclass
class Case:
    """One check: call ``fn(*args, **kwargs)`` and compare with ``expected``.

    ``hint`` is shown when the case fails, for example "overflow: subtract the max first",
    whether the function returned a wrong answer or raised.  ``name`` and ``hint`` are shown
    in the learner's language: pass them through ``_()`` (or mark them with ``N_()``).
    """

    name: str
    args: tuple
    expected: Any
    hint: str = ""
    kwargs: dict = field(default_factory=dict)
    rtol: float = 1e-5
    atol: float = 1e-6


@dataclass
class Feedback:
    """The result of :func:`run_checks`; prints as plain text and renders as HTML."""

    title: str
    total: int
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        title = i18n._(self.title)  # a title marked with N_() is translated here
        if self.passed:
            return _("{title}: all {total} checks passed.").format(title=title,
                                                                   total=self.total)
        lines = [_("{title}: {passed} of {total} checks passed.").format(
            title=title, passed=self.total - len(self.failures), total=self.total)]
        lines += [f"  - {f}" for f in self.failures]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.passed else "#b42318"
        mark = "&#10004;" if self.passed else "&#10008;"
        body = "".join(f"<li>{html.escape(f)}</li>" for f in self.failures)
        head = html.escape(str(self).splitlines()[0])
        return (f'<div style="border-left:4px solid {color};padding:4px 10px">'
                f'<b style="color:{color}">{mark} {head}</b>'
                f'{"<ul>" + body + "</ul>" if body else ""}</div>')


def _fmt(x: Any) -> str:
    arr = np.asarray(x)
    if arr.dtype.kind in "fc":
        return np.array2string(arr, precision=6, threshold=12)
    return repr(x)


def _compare(got: Any, case: Case, name: str) -> str | None:
    """Return the failure line (``name``: why ``got`` is wrong), or None when it matches."""
    want = np.asarray(case.expected)
    try:
        arr = np.asarray(got, dtype=np.float64 if want.dtype.kind in "fc" else None)
    except (TypeError, ValueError):
        return _("{case}: expected an array like {want}, got {kind}").format(
            case=name, want=_fmt(want), kind=type(got).__name__)
    if arr.shape != want.shape:
        return _("{case}: expected shape {want}, got shape {got}").format(
            case=name, want=want.shape, got=arr.shape)
    if want.dtype.kind in "fc":
        if not np.all(np.isfinite(arr)) and np.all(np.isfinite(want)):
            return _("{case}: got {got}: nan or inf where the answer is finite").format(
                case=name, got=_fmt(arr))
        if not np.allclose(arr, want, rtol=case.rtol, atol=case.atol, equal_nan=True):
            return _expected_got(name, want, arr)
        return None
    if not np.array_equal(arr, want):
        return _expected_got(name, want, arr)
    return None


def _expected_got(name: str, want, got) -> str:
    return _("{case}: expected {want}, got {got}").format(case=name, want=_fmt(want),
                                                          got=_fmt(got))


def run_checks(fn: Callable, cases: Sequence[Case], title: str = "checks") -> Feedback:
    """Run ``fn`` on every case; collect one line per failure (exceptions included)."""
    failures = []
    for case in cases:
        name = i18n._(case.name)  # a name marked with N_() is translated here
        try:
            with np.errstate(all="ignore"):
                got = fn(*case.args, **case.kwargs)
        except NotImplementedError:
            failures.append(_("{case}: not implemented yet").format(case=name))
            continue
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            failures.append(_("{case}: raised {error}: {message}").format(
                case=name, error=type(exc).__name__, message=_one_line(exc)) + _hint(case))
            continue
        failure = _compare(got, case, name)
        if failure:
            failures.append(failure + _hint(case))
    return Feedback(title, len(cases), failures)


def _hint(case: Case) -> str:
    return _(" (hint: {hint})").format(hint=i18n._(case.hint)) if case.hint else ""


# TensorFlow wraps an op's message in the name of the function and op that raised it.
_TF_PREFIX = re.compile(r"^\{\{function_node [^}]*\}\}\s*")
_TF_SUFFIX = re.compile(r"\s*\[Op:\w+\](?: name:\s*\S*)?\s*$")


def _one_line(exc: BaseException) -> str:
    r"""The message of ``exc`` on one line, without TensorFlow's op bookkeeping around it.

    >>> _one_line(ValueError("Bad `labels`: ...\n  fix: labels.squeeze(-1)"))
    'Bad `labels`: ... fix: labels.squeeze(-1)'
    >>> _one_line(ValueError("{{function_node __wrapped__Op_device_/job:0}} Received a label "
    ...                      "value of 3.  Label values: 3 [Op:Op] name: "))
    'Received a label value of 3. Label values: 3'
    """
    text = " ".join(str(exc).split())
    text = _TF_SUFFIX.sub("", _TF_PREFIX.sub("", text))
    return text or _("(no message)")
