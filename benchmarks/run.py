"""`make bench`: the performance figures lossedu promises, measured against TensorFlow.

    .venv/bin/python benchmarks/run.py [--quick] [--setup] [--skip-notebooks] [--json PATH]

Prints a markdown table (figure, min, median, goal, pass/miss) and writes the same figures
to build/bench.json. This is a benchmark, not a test: nothing here fails the test suite.

Sections: 1 import cost, 2 loss kernels vs TF eager (ratio, GB/s, peak extra memory),
3 view functions per call and widget update latency, 4 notebook run times (lessons that need
Fashion-MNIST are skipped without it), 5 (with --setup) a fresh clone's setup time.

Wall-clock budgets live here, not in the tests: a loaded machine would make a timed test
fail for no fault of the code.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass
class Row:
    section: str
    figure: str
    minimum: float | None
    median: float | None
    unit: str
    goal: str
    ok: bool | None
    note: str = ""


ROWS: list[Row] = []


def add(section, figure, values, unit, goal, ok, note=""):
    vals = [values] if isinstance(values, (int, float)) else list(values)
    ROWS.append(Row(section, figure, min(vals), statistics.median(vals), unit, goal, ok, note))


def timeit(fn, repeats: int, number: int = 1) -> list[float]:
    """Seconds per call: ``repeats`` samples, each the mean of ``number`` calls."""
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        out.append((time.perf_counter() - t) / number)
    return out


# 1. Import -------------------------------------------------------------------------------
def fresh_import(module: str) -> tuple[float, bool]:
    code = (f"import time, sys; t = time.perf_counter(); import {module}; "
            "print(time.perf_counter() - t, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    secs, tf_loaded = out.stdout.split()
    return float(secs), tf_loaded == "True"


def bench_import(quick: bool) -> None:
    ours = [fresh_import("lossedu") for _ in range(3 if quick else 7)]
    tf = [fresh_import("tensorflow")[0] for _ in range(2 if quick else 3)]
    ours_s = [s for s, _ in ours]
    loaded = any(flag for _, flag in ours)
    add("import", "import lossedu (fresh process)", ours_s, "s", "< 0.3 s",
        max(ours_s) < 0.3 if quick else statistics.median(ours_s) < 0.3)
    add("import", "import tensorflow (fresh process)", tf, "s", "reference", None)
    ratio = statistics.median(ours_s) / statistics.median(tf)
    add("import", "lossedu / tensorflow", ratio, "x", "< 0.1", ratio < 0.1)
    add("import", "TensorFlow loaded by import lossedu", float(loaded), "bool", "no (0)",
        not loaded)


# 2. Loss kernels ---------------------------------------------------------------------------
def memory_bandwidth(nbytes: int) -> float:
    """GB/s of a NumPy copy of ``nbytes`` (read + write counted)."""
    src = np.ones(nbytes // 4, np.float32)
    dst = np.empty_like(src)
    secs = min(timeit(lambda: np.copyto(dst, src), 5, 3))
    return 2 * nbytes / secs / 1e9


def peak_extra_bytes(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def kernel_cases(shape: tuple[int, int], rng) -> tuple[dict, int]:
    """The three tf.nn losses on one shape: name -> (lossedu call, TF call, bytes read)."""
    import tensorflow as tf

    import lossedu

    b, c = shape
    logits = (rng.standard_normal(shape) * 3).astype(np.float32)
    sparse = rng.integers(0, c, b)
    dense = lossedu.one_hot(sparse, c)
    multi = (rng.random(shape) < 0.3).astype(np.float32)
    tl, ts, td, tm = (tf.constant(logits), tf.constant(sparse), tf.constant(dense),
                      tf.constant(multi))
    nn = tf.nn
    cases = {
        "sparse_softmax_cross_entropy_with_logits": (
            lambda: lossedu.sparse_softmax_cross_entropy_with_logits(sparse, logits),
            lambda: nn.sparse_softmax_cross_entropy_with_logits(labels=ts, logits=tl).numpy(),
            logits.nbytes),
        "softmax_cross_entropy_with_logits": (
            lambda: lossedu.softmax_cross_entropy_with_logits(dense, logits),
            lambda: nn.softmax_cross_entropy_with_logits(labels=td, logits=tl).numpy(),
            logits.nbytes + dense.nbytes),
        "sigmoid_cross_entropy_with_logits": (
            lambda: lossedu.sigmoid_cross_entropy_with_logits(multi, logits),
            lambda: nn.sigmoid_cross_entropy_with_logits(labels=tm, logits=tl).numpy(),
            logits.nbytes + multi.nbytes),
    }
    return cases, logits.size


def bench_kernels(quick: bool) -> None:
    shapes = [(64, 10), (4096, 1000)] if quick else [(64, 10), (4096, 1000), (32768, 1000)]
    rng = np.random.default_rng(0)
    for shape in shapes:
        b, c = shape
        cases, size = kernel_cases(shape, rng)
        number = max(1, int(2e6 // size))
        repeats = 5 if quick else 9
        bw = memory_bandwidth(size * 4)
        for name, (ours, theirs, nbytes) in cases.items():
            ours(), theirs()  # warm up
            t_ours = timeit(ours, repeats, number)
            t_tf = timeit(theirs, repeats, number)
            label = f"{name} {b}x{c}"
            ratio = statistics.median(t_ours) / statistics.median(t_tf)
            add("kernels", f"{label}: lossedu", [t * 1e3 for t in t_ours], "ms", "reference",
                None)
            add("kernels", f"{label}: TF eager + .numpy()", [t * 1e3 for t in t_tf], "ms",
                "reference", None)
            add("kernels", f"{label}: ratio lossedu/TF", ratio, "x", "<= 1.0", ratio <= 1.0)
            gbs = nbytes / min(t_ours) / 1e9
            add("kernels", f"{label}: lossedu bandwidth", gbs, "GB/s",
                f"copy: {bw:.1f} GB/s", None, note=f"{gbs / bw:.0%} of a NumPy copy")
            extra = peak_extra_bytes(ours) / nbytes
            small = nbytes < 1_000_000
            add("kernels", f"{label}: peak extra memory / input", extra, "x", "<= 2.0",
                None if small else extra <= 2.0,
                note="fixed overheads dominate below 1 MB" if small else "")


# 3. Views and widgets -----------------------------------------------------------------------
def view_cases():
    """The pure functions behind the explorers: (name, call, per-call goal in ms).

    Each runs on every slider move, before any drawing: lessons 01-02's must stay under
    1 ms, lessons 03-04's (a few more arrays) under 10 ms.
    """
    from lossedu.lessons.logits.views import logit_view
    from lossedu.lessons.one_hot_vs_sparse.views import label_gradient_view
    from lossedu.lessons.sigmoid_vs_softmax.views import probability_models_view
    from lossedu.lessons.softmax.views import softmax_view

    z4 = [2.0, 1.0, 0.5, -1.0]
    return [
        ("logit_view(p=0.3)", lambda: logit_view(p=0.3), 1.0),
        ("logit_view(logit=-2.5)", lambda: logit_view(logit=-2.5), 1.0),
        ("softmax_view, 4 logits", lambda: softmax_view(z4, 0.7, 1), 1.0),
        ("softmax_view, 5 logits", lambda: softmax_view([1.0, -2.0, 3.0, 0.5, 4.0], 3.0, 4),
         1.0),
        ("label_gradient_view", lambda: label_gradient_view([1.0, 2.0, 3.0], 2, 0.1, 1.5),
         10.0),
        ("probability_models_view",
         lambda: probability_models_view([2.0, -1.0, 1.5, -3.0], [1, 0, 1, 0]), 10.0),
    ]


def bench_views(quick: bool) -> None:
    for name, call, goal_ms in view_cases():
        call()  # warm up
        per_call = [t * 1e3 for t in timeit(call, 5 if quick else 9, 50)]
        add("views", f"{name}: per call", per_call, "ms", f"< {goal_ms:g} ms",
            min(per_call) < goal_ms)



def explorers():
    """Every ``make_*_explorer`` in the lessons' ``widgets`` modules, with the sliders to move."""
    from lossedu.lessons.registry import LESSONS

    found = []
    for les in LESSONS:
        if importlib.util.find_spec(f"{les.package}.widgets") is None:
            continue
        mod = importlib.import_module(f"{les.package}.widgets")
        for attr in sorted(dir(mod)):
            if attr.startswith("make_") and attr.endswith("_explorer"):
                found.append((f"{les.name[3:]}.{attr}", getattr(mod, attr)))
    return found


def _controls(widget):
    import ipywidgets as w

    stack, out = [widget], []
    while stack:
        node = stack.pop()
        if isinstance(node, (w.FloatSlider, w.IntSlider, w.FloatLogSlider)):
            out.append(node)
        stack.extend(getattr(node, "children", ()))
    return out


def bench_widgets(quick: bool) -> None:
    import matplotlib

    matplotlib.use("Agg")
    for name, make in explorers():
        try:
            box = make()
        except TypeError as exc:
            add("widgets", f"{name}: update", [], "ms", "< 30 ms", None, note=f"skipped: {exc}")
            continue
        sliders = _controls(box)
        if not sliders:
            ROWS.append(Row("widgets", f"{name}: update", None, None, "ms", "< 30 ms", None,
                            "no slider (button-driven; see its test)"))
            continue
        per_slider = {}
        moves = max(10, (30 if quick else 100) // len(sliders))
        for slider in sliders:
            values = np.linspace(slider.min, slider.max, 10)
            if isinstance(slider.value, int):
                values = values.round().astype(int)
            samples = []
            for i in range(moves):
                v = values[i % len(values)]
                if v == slider.value:
                    v = values[(i + 1) % len(values)]
                t = time.perf_counter()
                slider.value = v.item() if hasattr(v, "item") else v
                samples.append((time.perf_counter() - t) * 1e3)
            per_slider[slider.description or "slider"] = samples
        everything = [t for samples in per_slider.values() for t in samples]
        worst = max(per_slider, key=lambda k: statistics.median(per_slider[k]))
        med = statistics.median(everything)
        add("widgets", f"{name}: update, {len(per_slider)} sliders", everything, "ms",
            "median < 30 ms", med < 30,
            note=f"slowest: {worst} at {statistics.median(per_slider[worst]):.0f} ms")


# 4. Notebooks ------------------------------------------------------------------------------
def data_lessons() -> tuple[str, ...]:
    """The notebooks that need Fashion-MNIST: the one list, in the repository's conftest.py."""
    spec = importlib.util.spec_from_file_location("lossedu_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATA_LESSONS


def have_data() -> bool:
    from lossedu.data import locate_fashion_mnist
    from lossedu.errors import DataNotFoundError

    try:
        locate_fashion_mnist(download=False)
    except DataNotFoundError:
        return False
    return True


def bench_notebooks() -> None:
    import nbformat
    from nbclient import NotebookClient

    skip = () if have_data() else data_lessons()
    total = 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if path.name in skip:
            ROWS.append(Row("notebooks", path.name, None, None, "s", "–", None,
                            "skipped: Fashion-MNIST not found (make data)"))
            continue
        nb = nbformat.read(path, as_version=4)
        t = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        secs = time.perf_counter() - t
        total += secs
        limit = 90 if path.name.startswith("05") else 30
        add("notebooks", f"{path.name}", secs, "s", f"< {limit} s", secs < limit)
    add("notebooks", "whole series", total, "s", "< 180 s", None if skip else total < 180,
        note="without the lessons that need the data" if skip else "")


# 5. Setup ----------------------------------------------------------------------------------
def bench_setup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "lossedu"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        t = time.perf_counter()
        subprocess.run(["make", "-s", "setup"], cwd=clone, check=True,
                       stdout=subprocess.DEVNULL)
        secs = time.perf_counter() - t
    add("setup", "fresh clone: make setup (.venv + install, pip cache warm)", secs, "s",
        "reference", None)


# Report ------------------------------------------------------------------------------------
def fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"


def table() -> str:
    lines = ["| section | figure | min | median | unit | goal | |",
             "|---|---|---|---|---|---|---|"]
    for r in ROWS:
        mark = {True: "pass", False: "**miss**", None: ""}[r.ok]
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.section} | {r.figure}{note} | {fmt(r.minimum)} | {fmt(r.median)} "
                     f"| {r.unit} | {r.goal} | {mark} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    py = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, Python {py}, NumPy {np.__version__}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, smaller kernels")
    ap.add_argument("--setup", action="store_true", help="also time a fresh clone's setup")
    ap.add_argument("--skip-notebooks", action="store_true")
    ap.add_argument("--json", default=str(ROOT / "build" / "bench.json"))
    args = ap.parse_args(argv)

    bench_import(args.quick)
    bench_kernels(args.quick)
    bench_views(args.quick)
    bench_widgets(args.quick)
    if not args.skip_notebooks:
        bench_notebooks()
    if args.setup:
        bench_setup()

    import tensorflow as tf

    header = f"Machine: {machine()}; TensorFlow {tf.__version__}."
    print(header + "\n")
    print(table())
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": header, "rows": [asdict(r) for r in ROWS]}, indent=1))
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
