"""Re-run the notebook checks under the kernels other machines would pick (`make portability`).

Learners run `make test` on whatever CPU they have, so no checked output may depend on the
SIMD path, subnormal handling, thread count or summation order. This script proves it here by
re-running nbval over every lesson, plus the TensorFlow-oracle tests, once per variant:

=============  ==================================================================
variant        what changes
=============  ==================================================================
default        nothing: this machine's own choice
onednn-on      ``TF_ENABLE_ONEDNN_OPTS=1``: TensorFlow's oneDNN kernels, which flush
               subnormals (the default on CPUs with AVX-512 VNNI/BF16 or AMX)
onednn-off     ``TF_ENABLE_ONEDNN_OPTS=0``: TensorFlow's Eigen kernels (the default elsewhere)
onednn-avx2    oneDNN on, limited to AVX2 (``ONEDNN_MAX_CPU_ISA=AVX2``)
numpy-sse      NumPy's SIMD dispatch cut to its SSE4.2 baseline (``NPY_DISABLE_CPU_FEATURES``)
one-thread     one CPU (``taskset -c 0``) and one thread for TensorFlow, OpenMP and BLAS
=============  ==================================================================

Usage::

    python tools/portability.py                 # every variant, then a table of pass counts
    python tools/portability.py onednn-on       # only the named variants
    python tools/portability.py --other         # the oneDNN setting this machine does not use
    python tools/portability.py --list          # the variants and their settings
    python tools/portability.py --targets notebooks/zh   # only these paths (default: all)

Other options go to pytest, e.g. ``--ignore=notebooks/zh`` (CI's run: the Chinese edition
runs the same code cells as the English, so CI varies the kernels under the English only).

The exit status is non-zero when any variant has a failure or an error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
TARGETS = ["notebooks", "tests/core/test_oracle_tf.py"]

# NumPy names its dispatch groups X86_V3 (AVX2/FMA3) and X86_V4 (AVX-512); disabling a group
# the CPU lacks is allowed, so the same setting gives the SSE4.2 baseline on every x86-64 CPU.
NUMPY_SIMD_OFF = "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"
ONE_THREAD = {
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "onednn-on": {"TF_ENABLE_ONEDNN_OPTS": "1"},
    "onednn-off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "onednn-avx2": {"TF_ENABLE_ONEDNN_OPTS": "1", "ONEDNN_MAX_CPU_ISA": "AVX2"},
    "numpy-sse": {"NPY_DISABLE_CPU_FEATURES": NUMPY_SIMD_OFF},
    "one-thread": ONE_THREAD,
}
PINNED = {"one-thread"}  # run under `taskset -c 0` where taskset exists


def onednn_on_by_default() -> bool:
    """Whether TensorFlow turns oneDNN on here when nobody says (it logs that it did)."""
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "0"
    out = subprocess.run([sys.executable, "-c", "import tensorflow"], env=env,
                         capture_output=True, text=True, check=False)
    return "oneDNN custom operations are on" in out.stderr


def other_variant() -> str:
    """The oneDNN variant this machine's default does not exercise."""
    return "onednn-off" if onednn_on_by_default() else "onednn-on"


def summary_counts(output: str) -> dict[str, int]:
    """pytest's closing line as counts: {'passed': 180, 'skipped': 2, ...}."""
    lines = [ln for ln in output.splitlines() if re.search(r"\d+ (passed|failed|error)", ln)]
    if not lines:
        return {}
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", lines[-1])}


def run_variant(name: str, extra: list[str], targets: list[str] = TARGETS
                ) -> tuple[dict[str, int], float]:
    """Run the checks under one variant; return pytest's counts and the wall time."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **VARIANTS[name])
    cmd = [sys.executable, "-m", "pytest", *targets, *NBVAL, "-q", "-p", "no:cacheprovider",
           *extra]
    if name in PINNED and shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    print(f"\n=== {name}: {' '.join(f'{k}={v}' for k, v in VARIANTS[name].items()) or '(as is)'}",
          flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    tail = proc.stdout.strip().splitlines()
    counts = summary_counts(proc.stdout)
    if proc.returncode not in (0, 5) or counts.get("failed") or counts.get("error"):
        print(proc.stdout[-8000:])
        print(proc.stderr[-2000:])
    else:
        print(tail[-1] if tail else "(no output)")
    if proc.returncode not in (0, 5) and not counts:
        counts = {"error": 1}
    return counts, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="*", help=f"any of {', '.join(VARIANTS)}")
    parser.add_argument("--other", action="store_true",
                        help="only the oneDNN setting this machine does not use by default")
    parser.add_argument("--list", action="store_true", help="print the variants and exit")
    parser.add_argument("--targets", nargs="+", default=TARGETS,
                        help=f"what pytest runs (default: {' '.join(TARGETS)})")
    args, extra = parser.parse_known_args(argv)
    if args.list:
        for name, env in VARIANTS.items():
            print(f"{name:12s} {' '.join(f'{k}={v}' for k, v in env.items()) or '(as is)'}")
        return 0
    names = [other_variant()] if args.other else (args.variants or list(VARIANTS))
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; choose from {list(VARIANTS)}")
    print(f"oneDNN on by default on this machine: {onednn_on_by_default()}")
    results = {name: run_variant(name, extra, args.targets) for name in names}
    print("\n| variant | passed | failed | errors | skipped | time |")
    print("|---|---|---|---|---|---|")
    bad = False
    for name, (counts, seconds) in results.items():
        failed, errors = counts.get("failed", 0), counts.get("error", 0) + counts.get("errors", 0)
        bad |= bool(failed or errors) or not counts
        print(f"| {name} | {counts.get('passed', 0)} | {failed} | {errors} | "
              f"{counts.get('skipped', 0)} | {seconds:.0f} s |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
