"""`make bench`: the performance figures lossedu promises, measured against TensorFlow.

    .venv/bin/python benchmarks/run.py [--quick] [--only SECTION ...] [--loss TEXT]
                                       [--runs N] [--setup] [--skip-notebooks] [--json PATH]

Prints a markdown table (figure, min, median, goal, pass/miss) and writes the same figures
to build/bench.json. This is a benchmark, not a test: nothing here fails the test suite.

Sections: 1 import cost, 2 loss kernels vs TF eager (ratio, GB/s, peak extra memory),
3 view functions per call and widget update latency, 4 notebook run times (lessons that need
Fashion-MNIST are skipped without it), 5 (with --setup) a fresh clone's setup time, 6 the
doctor: recall and precision on the public benchmark (benchmarks/doctor_cases) on each Keras
backend, and DoctorCallback's overhead on lesson 05's default model (benchmarks/doctor_bench.py).
``--only kernels`` runs section 2 alone (about five minutes), ``--loss sigmoid`` only the
losses whose name contains "sigmoid", ``--quick`` drops the 32768x1000 kernels.

Wall-clock budgets live here, not in the tests: a loaded machine would make a timed test
fail for no fault of the code.

The kernel rows: each loss in float32 against TF eager + ``.numpy()``, both warmed up, timed
in alternating rounds (``--runs``, at least 15), with ``validate=False`` (lossedu then makes
the checks TensorFlow makes and no more; the validate=True time is shown beside it).  The
ratio is the median of the per-round ratios; "spread" is the interquartile range over the
median, and a row says "noisy" instead of pass/miss when the middle half of the rounds
straddles the goal and is wider than 20 %.  Throughput is bytes of logits per second,
beside the two single-core limits measured on the same logits: ``np.copyto`` (memory) and
``np.exp`` (one exp per logit, which every softmax and sigmoid loss needs).
"""

from __future__ import annotations

import argparse
import functools
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
# Every loss, in float32, against its TensorFlow/Keras counterpart in eager mode, including
# `.numpy()` (the time until a learner has the values).  Noise on a shared machine is large
# (TF's time for one call has moved 3x between runs), so each side is warmed up, the two are
# timed in alternating rounds, and a verdict is given only when the rounds agree.
# Goals, as ratios lossedu/TF: 0.8 for the softmax family (the losses TF computes with a
# softmax kernel: the two tf.nn softmax losses, Keras CCE and SCCE with from_logits=True,
# and SCCE with from_logits=False, which Keras runs as TF's sparse kernel on log(p)); 1.0
# for the others (sigmoid CE, BCE, and CCE with from_logits=False, a normalise-clip-log).
SOFTMAX_GOAL, OTHER_GOAL = 0.8, 1.0
NOISY_SPREAD = 0.2  # interquartile range of the per-round ratios, relative to their median


@dataclass
class KernelCase:
    loss: str
    shape: tuple[int, int]
    ours: object               # lossedu, validate=False: the checks TF makes, and no more
    ours_default: object       # lossedu as learners call it (validate=True)
    theirs: object             # TF / Keras eager, then .numpy()
    input_bytes: int
    goal: float


@dataclass
class KernelResult:
    loss: str
    shape: str
    ours_ms: float
    ours_spread: float
    tf_ms: float
    tf_spread: float
    ratio: float
    ratio_p25: float
    ratio_p75: float
    goal: float
    verdict: str               # "pass", "miss" or "noisy"
    default_ms: float          # lossedu with validate=True
    gbs: float                 # GB of logits per second
    copy_gbs: float            # the same for np.copyto over the logits: the memory limit
    exp_gbs: float             # the same for np.exp over the logits: the exp limit
    peak_extra: float | None   # peak memory lossedu allocates during a call / input bytes


KERNELS: list[KernelResult] = []


def quartiles(values) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def spread(values) -> float:
    """Interquartile range over the median: 0.1 means the middle half lies within 10 %."""
    p25, med, p75 = quartiles(values)
    return (p75 - p25) / med


def calls_per_sample(fn, target: float = 0.01) -> int:
    """How many calls of ``fn`` make one sample of about ``target`` seconds (at least 1)."""
    t = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t, 1e-7)
    return max(1, round(target / once))


def sample(fn, number: int) -> float:
    t = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t) / number


def interleaved(fns, runs: int, warmup: int = 3) -> list[list[float]]:
    """Seconds per call of each of ``fns``, ``runs`` samples each, in alternating rounds.

    Each round times every function once; odd rounds go in reverse order, so whichever
    runs after the other gets no steady advantage (a warm cache, a boosted clock).
    """
    for _ in range(warmup):
        for fn in fns:
            fn()
    numbers = [calls_per_sample(fn) for fn in fns]
    times: list[list[float]] = [[] for _ in fns]
    for r in range(runs):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for i in order:
            times[i].append(sample(fns[i], numbers[i]))
    return times


def verdict(ratios, goal: float) -> str:
    """pass/miss when the middle half of the per-round ratios is on one side of the goal, or
    narrow (spread <= NOISY_SPREAD) so the median decides; otherwise noisy."""
    p25, med, p75 = quartiles(ratios)
    narrow = spread(ratios) <= NOISY_SPREAD
    if med <= goal and (p75 <= goal or narrow):
        return "pass"
    if med > goal and (p25 > goal or narrow):
        return "miss"
    return "noisy"


def peak_extra_bytes(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def kernel_cases(shape: tuple[int, int], rng) -> tuple[list[KernelCase], np.ndarray]:
    """Nine losses on one shape: the three tf.nn losses, then the three Keras losses with
    from_logits=True (on logits) and from_logits=False (on softmax/sigmoid probabilities)."""
    import keras
    import tensorflow as tf

    import lossedu as le

    b, c = shape
    logits = (rng.standard_normal(shape) * 3).astype(np.float32)
    sparse = rng.integers(0, c, b)
    dense = le.one_hot(sparse, c)
    multi = (rng.random(shape) < 0.3).astype(np.float32)
    probs = le.softmax(logits)
    sig = le.sigmoid(logits)
    t_logits, t_sparse, t_dense, t_multi, t_probs, t_sig = map(
        tf.constant, (logits, sparse, dense, multi, probs, sig))
    nn, kl = tf.nn, keras.losses
    lb, sb, db, mb = logits.nbytes, sparse.nbytes, dense.nbytes, multi.nbytes
    S, O = SOFTMAX_GOAL, OTHER_GOAL  # noqa: N806
    specs = [
        ("tf.nn sparse_softmax_cross_entropy_with_logits",
         lambda v: le.sparse_softmax_cross_entropy_with_logits(sparse, logits, validate=v),
         lambda: nn.sparse_softmax_cross_entropy_with_logits(labels=t_sparse,
                                                             logits=t_logits).numpy(),
         lb + sb, S),
        ("tf.nn softmax_cross_entropy_with_logits",
         lambda v: le.softmax_cross_entropy_with_logits(dense, logits, validate=v),
         lambda: nn.softmax_cross_entropy_with_logits(labels=t_dense, logits=t_logits).numpy(),
         lb + db, S),
        ("tf.nn sigmoid_cross_entropy_with_logits",
         lambda v: le.sigmoid_cross_entropy_with_logits(multi, logits, validate=v),
         lambda: nn.sigmoid_cross_entropy_with_logits(labels=t_multi, logits=t_logits).numpy(),
         lb + mb, O),
        ("keras categorical_crossentropy, from_logits=True",
         lambda v: le.categorical_crossentropy(dense, logits, from_logits=True, validate=v),
         lambda: kl.categorical_crossentropy(t_dense, t_logits, from_logits=True).numpy(),
         lb + db, S),
        ("keras sparse_categorical_crossentropy, from_logits=True",
         lambda v: le.sparse_categorical_crossentropy(sparse, logits, from_logits=True,
                                                      validate=v),
         lambda: kl.sparse_categorical_crossentropy(t_sparse, t_logits,
                                                    from_logits=True).numpy(),
         lb + sb, S),
        ("keras binary_crossentropy, from_logits=True",
         lambda v: le.binary_crossentropy(multi, logits, from_logits=True, validate=v),
         lambda: kl.binary_crossentropy(t_multi, t_logits, from_logits=True).numpy(),
         lb + mb, O),
        ("keras categorical_crossentropy, from_logits=False",
         lambda v: le.categorical_crossentropy(dense, probs, validate=v),
         lambda: kl.categorical_crossentropy(t_dense, t_probs).numpy(),
         lb + db, O),
        ("keras sparse_categorical_crossentropy, from_logits=False",
         lambda v: le.sparse_categorical_crossentropy(sparse, probs, validate=v),
         lambda: kl.sparse_categorical_crossentropy(t_sparse, t_probs).numpy(),
         lb + sb, S),
        ("keras binary_crossentropy, from_logits=False",
         lambda v: le.binary_crossentropy(multi, sig, validate=v),
         lambda: kl.binary_crossentropy(t_multi, t_sig).numpy(),
         lb + mb, O),
    ]
    cases = [KernelCase(name, shape, functools.partial(fn, False), functools.partial(fn, True),
                        theirs, nbytes, goal)
             for name, fn, theirs, nbytes, goal in specs]
    return cases, logits


def bench_kernels(quick: bool, runs: int, only: str | None = None) -> None:
    shapes = [(64, 10), (4096, 1000)] if quick else [(64, 10), (4096, 1000), (32768, 1000)]
    rng = np.random.default_rng(0)
    for shape in shapes:
        cases, logits = kernel_cases(shape, rng)
        # the two single-core limits, on the same logits: moving them once, and np.exp
        scratch = np.empty_like(logits)
        t_copy, t_exp = interleaved([functools.partial(np.copyto, scratch, logits),
                                     functools.partial(np.exp, logits, out=scratch)], runs)
        copy_gbs = logits.nbytes / statistics.median(t_copy) / 1e9
        exp_gbs = logits.nbytes / statistics.median(t_exp) / 1e9
        for case in cases:
            if only and only not in case.loss:
                continue
            t_ours, t_tf, t_default = interleaved([case.ours, case.theirs, case.ours_default],
                                                  runs)
            ratios = [a / b for a, b in zip(t_ours, t_tf, strict=True)]
            p25, ratio, p75 = quartiles(ratios)
            small = case.input_bytes < 1_000_000
            extra = peak_extra_bytes(case.ours) / case.input_bytes
            res = KernelResult(
                case.loss, f"{shape[0]}x{shape[1]}",
                statistics.median(t_ours) * 1e3, spread(t_ours),
                statistics.median(t_tf) * 1e3, spread(t_tf),
                ratio, p25, p75, case.goal, verdict(ratios, case.goal),
                statistics.median(t_default) * 1e3,
                logits.nbytes / statistics.median(t_ours) / 1e9, copy_gbs, exp_gbs,
                None if small else extra)
            KERNELS.append(res)
            ok = {"pass": True, "miss": False, "noisy": None}[res.verdict]
            ROWS.append(Row("kernels", f"{case.loss} {res.shape}: ratio lossedu/TF", min(ratios),
                            ratio, "x", f"<= {case.goal}", ok,
                            "noisy" if res.verdict == "noisy" else ""))
            if not small:
                ROWS.append(Row("kernels", f"{case.loss} {res.shape}: peak extra memory / input",
                                extra, extra, "x", "<= 1.0", extra <= 1.0))
            print(f"  {case.loss} {res.shape}: {res.ratio:.2f} [{p25:.2f}-{p75:.2f}] "
                  f"{res.verdict}", file=sys.stderr, flush=True)


def kernel_table() -> str:
    lines = [
        "| loss | shape | lossedu ms (spread) | TF ms (spread) | ratio [IQR] | goal | "
        "| validate=True ms, ratio | GB/s | copy, exp limits GB/s | % of exp limit "
        "| peak extra / input |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for k in KERNELS:
        mark = {"pass": "pass", "miss": "**miss**", "noisy": "noisy"}[k.verdict]
        peak = "–" if k.peak_extra is None else f"{k.peak_extra:.2f}"
        lines.append(
            f"| {k.loss} | {k.shape} | {fmt(k.ours_ms)} ({k.ours_spread:.0%}) "
            f"| {fmt(k.tf_ms)} ({k.tf_spread:.0%}) | {k.ratio:.2f} [{k.ratio_p25:.2f}–"
            f"{k.ratio_p75:.2f}] | ≤ {k.goal} | {mark} "
            f"| {fmt(k.default_ms)}, {k.default_ms / k.tf_ms:.2f} | {fmt(k.gbs)} "
            f"| {fmt(k.copy_gbs)}, {fmt(k.exp_gbs)} | {k.gbs / k.exp_gbs:.0%} | {peak} |")
    return "\n".join(lines)


# 3. Views and widgets -----------------------------------------------------------------------
def view_cases():
    """The pure functions behind the explorers: (name, call, per-call goal in ms).

    Each runs on every slider move, before any drawing: lessons 01-02's must stay under
    1 ms, lessons 03-04's and 07's (a few more arrays) under 10 ms.
    """
    from lossedu.lessons.logits.views import logit_view
    from lossedu.lessons.right_answer.views import focal_view, temperature_view, threshold_view
    from lossedu.lessons.sigmoid_vs_softmax.views import probability_models_view
    from lossedu.lessons.smoothing_reductions_gradients.views import label_gradient_view
    from lossedu.lessons.softmax.views import softmax_view

    z4 = [2.0, 1.0, 0.5, -1.0]
    y07, z07 = _split()
    p07 = 1 / (1 + np.exp(-z07))
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
        ("threshold_view, 10 000 examples", lambda: threshold_view(y07, p07, 0.3), 10.0),
        ("temperature_view, 10 000 examples", lambda: temperature_view(y07, z07, 0.7), 10.0),
        ("focal_view", lambda: focal_view(2.5), 10.0),
    ]


def bench_views(quick: bool) -> None:
    for name, call, goal_ms in view_cases():
        call()  # warm up
        per_call = [sample(call, 50) * 1e3 for _ in range(5 if quick else 9)]
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
                found.append((f"{les.package.rpartition('.')[2]}.{attr}", getattr(mod, attr)))
    return found


def _split(n: int = 10_000, seed: int = 0):
    """A synthetic split the size of lesson 07's (1 : 9 positives): labels and logits."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)
    return y, rng.normal(2.5 * y - 2.5, 1.5)


def _threshold_args():
    y, z = _split()
    return (y, 1 / (1 + np.exp(-z)))


# Explorers that need data: the arguments to make them with (the others need none).
EXPLORER_ARGS = {
    "right_answer.make_threshold_explorer": _threshold_args,
    "right_answer.make_temperature_explorer": _split,
}


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
    import ipywidgets as w
    import matplotlib

    matplotlib.use("Agg")
    for name, make in explorers():
        try:
            box = make(*EXPLORER_ARGS.get(name, tuple)())
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
            if isinstance(slider, w.FloatLogSlider):  # min and max are exponents
                values = slider.base ** values
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
        limit = 90 if path.name.startswith(("05", "07")) else 30
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


def lossedu_version() -> str:
    """The commit of the lossedu that was measured, "+changes" if its tree was edited."""
    import lossedu

    where = Path(lossedu.__file__).parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "lossedu (not a git checkout)"
    return f"lossedu {commit}{'+changes' if dirty else ''}"


def tf_threads() -> str:
    import tensorflow as tf

    intra = tf.config.threading.get_intra_op_parallelism_threads()
    return str(intra) if intra else f"default: {os.cpu_count()}"


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


def at_least_15(text: str) -> int:
    n = int(text)
    if n < 15:
        raise argparse.ArgumentTypeError("use at least 15 runs: medians of fewer are noise here")
    return n


SECTIONS = ("import", "kernels", "views", "widgets", "notebooks", "doctor")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, smaller kernels")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                    help=f"run only these sections: {', '.join(SECTIONS)}")
    ap.add_argument("--loss", help="kernels: only the losses whose name contains this text")
    ap.add_argument("--runs", type=at_least_15, default=15,
                    help="kernels: timed rounds per loss and size (default and minimum 15)")
    ap.add_argument("--setup", action="store_true", help="also time a fresh clone's setup")
    ap.add_argument("--skip-notebooks", action="store_true")
    ap.add_argument("--json", default=str(ROOT / "build" / "bench.json"))
    args = ap.parse_args(argv)
    sections = set(args.only or SECTIONS)
    if args.skip_notebooks:
        sections.discard("notebooks")

    import keras
    import tensorflow as tf

    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()[0]
    if "import" in sections:
        bench_import(args.quick)
    if "kernels" in sections:
        bench_kernels(args.quick, args.runs, args.loss)
    if "views" in sections:
        bench_views(args.quick)
    if "widgets" in sections:
        bench_widgets(args.quick)
    if "notebooks" in sections:
        bench_notebooks()
    if "doctor" in sections:  # 6. the doctor's benchmark per backend, DoctorCallback overhead
        sys.path.insert(0, str(ROOT))  # `python benchmarks/run.py` puts benchmarks/ first
        from benchmarks.doctor_bench import bench_doctor

        bench_doctor(add, quick=args.quick)
    if args.setup:
        bench_setup()

    header = (f"Machine: {machine()}; {lossedu_version()} (one thread), "
              f"TensorFlow {tf.__version__} ({tf_threads()} threads), Keras {keras.__version__}. "
              f"Run {started}: `{' '.join(['benchmarks/run.py', *sys.argv[1:]])}`, "
              f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.")
    print(header + "\n")
    print(table())
    if KERNELS:
        print("\nLoss kernels, float32, lossedu (validate=False) against TF eager + .numpy():\n")
        print(kernel_table())
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": header, "rows": [asdict(r) for r in ROWS],
                               "kernels": [asdict(k) for k in KERNELS]}, indent=1))
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
