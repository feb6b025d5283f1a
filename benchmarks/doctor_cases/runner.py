"""Run the doctor on every benchmark case and score it: recall, precision, the misses.

    python -m benchmarks.doctor_cases.runner            # this process's Keras backend
    KERAS_BACKEND=jax python -m benchmarks.doctor_cases.runner

A buggy case is a *hit* when the report has an error or warning whose code is one of the
case's expected codes.  A report with an error or warning is a *flag*; a flag on a control,
or on a buggy case with none of its expected codes, is a false alarm.  Recall = hits / buggy
cases; precision = hits / (hits + false alarms).  An unreadable case passes when the report
says what it did not check (and claims no clean bill of health).
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from dataclasses import asdict, dataclass

from benchmarks.doctor_cases.build import build_case
from benchmarks.doctor_cases.cases import ALL, Case

__all__ = ["Result", "run_case", "run_all", "score", "main"]


@dataclass
class Result:
    id: str
    group: str
    expected: list
    codes: list  # error and warning codes
    infos: list
    verdict: str  # hit | miss | false-alarm | clean | not-checked | claimed-clean
    seconds: float
    fixes: list = None  # the fix of every finding, as code


def run_case(keras, case: Case) -> Result:
    import lossedu

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, x, y = build_case(keras, case)
        report = lossedu.doctor(model, x=x, y=y)
    backend = keras.backend.backend()
    expected = case.expected(backend)
    flagged = [f.code for f in report.findings if f.severity in ("error", "warning")]
    infos = [f.code for f in report.findings if f.severity == "info"]
    if case.group == "control":
        verdict = "false-alarm" if flagged else "clean"
    elif case.group == "unreadable":
        verdict = "not-checked" if (set(infos) & expected and not report.checked) \
            else "claimed-clean"
    elif set(flagged) & expected:
        verdict = "hit"
    else:
        verdict = "false-alarm" if flagged else "miss"
    return Result(case.id, case.group, sorted(expected), flagged, infos, verdict,
                  time.perf_counter() - t, [f.fix for f in report.findings])


def run_all(keras=None, cases=ALL) -> list[Result]:
    if keras is None:
        from lossedu.diagnosis.keras_api import import_keras

        keras = import_keras()
    return [run_case(keras, c) for c in cases]


def score(results: list[Result]) -> dict:
    buggy = [r for r in results if r.group == "buggy"]
    hits = sum(r.verdict == "hit" for r in buggy)
    alarms = sum(r.verdict == "false-alarm" for r in results)
    unread = [r for r in results if r.group == "unreadable"]
    return {
        "buggy": len(buggy), "controls": sum(r.group == "control" for r in results),
        "hits": hits, "false_alarms": alarms,
        "recall": hits / len(buggy) if buggy else float("nan"),
        "precision": hits / (hits + alarms) if hits + alarms else float("nan"),
        "not_checked": f"{sum(r.verdict == 'not-checked' for r in unread)}/{len(unread)}",
        "misses": [r.id for r in buggy if r.verdict != "hit"],
        "alarms": [r.id for r in results if r.verdict == "false-alarm"],
        "seconds": sum(r.seconds for r in results),
    }


def main(argv=None) -> int:
    """Print the score for this backend as one JSON line (read by benchmarks/run.py)."""
    from lossedu.diagnosis.keras_api import import_keras

    keras = import_keras()
    results = run_all(keras)
    out = {"backend": keras.backend.backend(), **score(results)}
    if "--details" in (argv or sys.argv[1:]):
        out["results"] = [asdict(r) for r in results]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    raise SystemExit(main())
