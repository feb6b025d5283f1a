"""Re-run a measurement that lessons 04 and 05 quote but do not compute, and print its figures.

    .venv/bin/python tools/measure.py --list
    .venv/bin/python tools/measure.py default-pair
    .venv/bin/python tools/measure.py broken-seeds --seeds 0 1 2 3 4 5
    .venv/bin/python tools/measure.py full-pair
    .venv/bin/python tools/measure.py steps-per-execution
    .venv/bin/python tools/measure.py backends

``docs/measurements.md`` records what these commands printed, with the versions and the
machine; every figure a lesson's prose quotes without computing it is in that record (a
test checks it).  Each command first prints the environment it ran in: versions, CPU, the
CPU features NumPy dispatches to, whether TensorFlow's oneDNN kernels are on, and the
threads.  To measure a variant, set the environment before the command, e.g.

    TF_ENABLE_ONEDNN_OPTS=1 .venv/bin/python tools/measure.py default-pair
    taskset -c 0 env TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \\
        .venv/bin/python tools/measure.py default-pair

Training runs take minutes (``full-pair`` about two per model on two busy cores).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

# x86 CPU features that decide TensorFlow's default: oneDNN is on only with one of them.
ONEDNN_DEFAULT_FEATURES = ("avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile")


def _cpu() -> tuple[str, set[str]]:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model in ("", platform.machine()):
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:  # not Linux: the model from platform is all we know
        pass
    return model, flags


def onednn_state(flags: set[str]) -> str:
    """Whether TensorFlow's oneDNN kernels are on, and why (env var or CPU default)."""
    forced = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    if forced is not None:
        on = forced.strip().lower() in ("1", "true")
        return f"{'on' if on else 'off'} (TF_ENABLE_ONEDNN_OPTS={forced})"
    has = sorted(flags.intersection(ONEDNN_DEFAULT_FEATURES))
    if has:
        return f"on (TensorFlow's default on a CPU with {', '.join(has)})"
    return "off (TensorFlow's default on a CPU without AVX-512 VNNI/BF16 or AMX)"


def environment() -> list[str]:
    """The lines every measurement prints first."""
    import keras
    import tensorflow as tf
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    model, flags = _cpu()
    simd = sorted(f for f in flags if f.startswith(("avx", "amx")) or f == "fma")
    numpy_simd = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    threads = {k: os.environ[k] for k in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
                                          "OMP_NUM_THREADS") if k in os.environ}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    return [
        f"versions: Python {platform.python_version()}, TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__} (backend {keras.backend.backend()}), NumPy {np.__version__}",
        f"machine: {model}, {platform.system()} {platform.machine()}; "
        f"CPU flags {' '.join(simd) or '(none read)'}",
        f"NumPy SIMD dispatch: {' '.join(numpy_simd) or 'baseline only'}"
        + (f" (NPY_DISABLE_CPU_FEATURES={disabled})" if disabled else ""),
        f"oneDNN: {onednn_state(flags)}",
        f"threads: {cores} usable cores" + (f", {threads}" if threads else ", TF defaults"),
    ]


def _data():
    import lossedu

    (x, y), (xt, yt) = lossedu.data.load_fashion_mnist()
    return (x / np.float32(255), y), (xt / np.float32(255), yt)


def _first_dead(probe, fraction: float) -> str:
    """The first probe step (and epoch) with at least ``fraction`` of the rows dead."""
    for step, epoch, dead in zip(probe["step"], probe["epoch"], probe["dead_row_fraction"],
                                 strict=True):
        if dead >= fraction:
            return f"step {step:.0f} (epoch {epoch:.2f})"
    return "never"


def _line(r) -> str:
    p = r.probe
    return (f"test accuracy {r.test_accuracy:.4f}   final training loss {r.final_loss:.4f}   "
            f"probe: dead rows at the end {p['dead_row_fraction'][-1]:.1%}, "
            f"90 % dead from {_first_dead(p, 0.9)}, all dead from {_first_dead(p, 1.0)}   "
            f"fit {r.fit_seconds:.0f} s")


def _pair(mode: str, seed: int) -> None:
    from lossedu import training

    b = training.budget(mode)
    train, test = _data()
    print(f"setup: {b.describe()}, seed {seed}; from_logits=True first, as in lesson 05 §1")
    for from_logits in (True, False):
        r = training.run("linear", from_logits, train, test, epochs=b.epochs,
                         batch_size=b.batch_size, n_train=b.n_train, seed=seed)
        print(f"from_logits={from_logits!s:5s}  {_line(r)}")


def default_pair(args) -> None:
    """Lesson 05 §1's headline pair at the default budget (5 epochs x batch size 128)."""
    _pair("default", args.seed)


def full_pair(args) -> None:
    """The post's exact setup (10 epochs x batch size 32): LOSSEDU_FULL=1 in lesson 05."""
    _pair("full", args.seed)


def broken_seeds(args) -> None:
    """The broken model alone (linear output, from_logits=False), default budget, per seed."""
    from lossedu import training

    b = training.budget("default")
    train, test = _data()
    print(f"setup: {b.describe()}; only the from_logits=False model, one per seed")
    for seed in args.seeds:
        r = training.run("linear", False, train, test, epochs=b.epochs,
                         batch_size=b.batch_size, n_train=b.n_train, seed=seed)
        print(f"seed {seed}:  {_line(r)}")


def backends(args) -> None:
    """Which Keras backends look for the logits a softmax/sigmoid hides on its output."""
    import keras

    base = Path(keras.__file__).parent / "src" / "backend"
    for nn in sorted(base.glob("*/nn.py")):
        uses = "_keras_logits" in nn.read_text()
        print(f"keras/src/backend/{nn.parent.name}/nn.py reads _keras_logits: {uses}")


def steps_per_execution(args) -> None:
    """Fit time with steps_per_execution 1 and 50 (lesson 05's setting); same numbers?"""
    from lossedu import training

    b = training.budget("default")
    train, test = _data()
    runs = {}
    for spe in (1, 50):
        runs[spe] = r = training.run("linear", True, train, test, epochs=b.epochs,
                                     batch_size=b.batch_size, n_train=b.n_train,
                                     seed=args.seed, steps_per_execution=spe)
        print(f"steps_per_execution={spe:<3d} {_line(r)}")
    same = (runs[1].history["loss"] == runs[50].history["loss"]
            and runs[1].test_accuracy == runs[50].test_accuracy)
    print(f"identical training losses and test accuracy: {same}; fit time ratio "
          f"{runs[50].fit_seconds / runs[1].fit_seconds:.2f}")


MEASUREMENTS = {
    "default-pair": default_pair,
    "full-pair": full_pair,
    "broken-seeds": broken_seeds,
    "steps-per-execution": steps_per_execution,
    "backends": backends,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name", nargs="?", choices=sorted(MEASUREMENTS))
    parser.add_argument("--list", action="store_true", help="list the measurements")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the pair")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4, 5],
                        help="seeds for broken-seeds")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        for name, fn in MEASUREMENTS.items():
            print(f"{name:14s} {fn.__doc__.splitlines()[0]}")
        return 0
    print(f"$ tools/measure.py {' '.join(argv if argv is not None else sys.argv[1:])}")
    for line in environment():
        print(line)
    start = time.perf_counter()
    MEASUREMENTS[args.name](args)
    print(f"measured in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
