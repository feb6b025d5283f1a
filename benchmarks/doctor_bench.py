"""`make bench` rows for the doctor: recall and precision on the public benchmark
(benchmarks/doctor_cases) per Keras backend, and DoctorCallback's overhead on lesson 05's
default model.  Each backend runs in its own process (Keras picks its backend at import).

    python -m benchmarks.doctor_bench --callback [--quick]   # one JSON line, this backend
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("tensorflow", "jax")

__all__ = ["bench_doctor", "callback_overhead", "BACKENDS"]


def _in_backend(backend: str, args: list[str], timeout: int = 3600) -> dict:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": str(ROOT), "JAX_COMPILATION_CACHE_DIR": str(ROOT / "build/jax-cache"),
           "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0"}
    out = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=timeout, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_doctor(add, quick: bool = False) -> None:
    """Recall, precision and the misses per backend; then the callback's overhead."""
    for backend in BACKENDS:
        if backend == "jax" and importlib.util.find_spec("jax") is None:
            add("doctor", "benchmark on jax", [], "", "installed", None,
                "jax not installed: pip install -e '.[jax]'")
            continue
        r = _in_backend(backend, ["benchmarks.doctor_cases.runner"])
        note = (f"{r['hits']}/{r['buggy']} buggy cases, {r['controls']} controls, "
                f"not-checked {r['not_checked']}; misses: {', '.join(r['misses']) or 'none'}; "
                f"false alarms: {', '.join(r['alarms']) or 'none'}; {r['seconds']:.0f} s")
        add("doctor", f"recall on the public benchmark ({backend})", r["recall"], "",
            ">= 0.95", r["recall"] >= 0.95, note)
        add("doctor", f"precision on the public benchmark ({backend})", r["precision"], "",
            "= 1", r["precision"] == 1.0)
    for backend in BACKENDS:
        if backend == "jax" and importlib.util.find_spec("jax") is None:
            continue
        args = ["benchmarks.doctor_bench", "--callback"] + (["--quick"] if quick else [])
        r = _in_backend(backend, args)
        if "skip" in r:
            add("doctor", f"DoctorCallback overhead ({backend})", [], "%", "<= 5 %", None,
                r["skip"])
            continue
        add("doctor", f"DoctorCallback overhead, lesson 05's default model ({backend})",
            r["overhead"], "%", "<= 5 %", r["overhead"] <= 5.0,
            f"{r['own_seconds']:.2f} s inside the callback; fit {r['fit_without']:.1f} s "
            f"without, {r['fit_with']:.1f} s with (medians of {r['rounds']} interleaved "
            f"rounds: {r['interleaved']:+.1f} %); {r['mode']} budget")


def callback_overhead(quick: bool = False, rounds: int = 2) -> dict:
    """Fit lesson 05's default (broken) model with and without DoctorCallback, interleaved.
    The overhead is the time spent inside the callback over the rest of the fit, in %
    (robust on a loaded machine); the difference of the interleaved medians is shown too."""
    import lossedu
    from lossedu import data, training

    try:
        (x, y), _ = data.load_fashion_mnist()
    except Exception as exc:  # no data set: the row says so
        return {"skip": f"Fashion-MNIST not found ({type(exc).__name__})"}
    b = training.budget("default")  # lesson 05's default run; --quick only drops a round
    rounds = 1 if quick else rounds
    x, y = training.subset(x.astype("float32") / 255.0, y, b.n_train)
    times, inside = {True: [], False: []}, []
    for _ in range(rounds):
        for with_cb in (False, True):
            import keras

            keras.utils.set_random_seed(0)
            model = training.build_mlp("linear")
            model.compile(optimizer="adam", loss=training.make_loss("sparse", False),
                          steps_per_execution=50)
            cbs = [lossedu.DoctorCallback(x[:256], y[:256])] if with_cb else []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = time.perf_counter()
                model.fit(x, y, epochs=b.epochs, batch_size=b.batch_size, verbose=0,
                          callbacks=cbs)
                times[with_cb].append(time.perf_counter() - t)
            if with_cb:
                inside.append(cbs[0].seconds)
    with_, without = statistics.median(times[True]), statistics.median(times[False])
    own = statistics.median(inside)
    return {"overhead": 100 * own / (with_ - own), "own_seconds": own,
            "interleaved": 100 * (with_ - without) / without, "fit_with": with_,
            "fit_without": without, "rounds": rounds, "mode": b.mode,
            "times": {str(k): v for k, v in times.items()}}


if __name__ == "__main__":
    if "--callback" in sys.argv:
        print(json.dumps(callback_overhead(quick="--quick" in sys.argv)))
