"""Reading a model's output from its values on one small batch (the probe).

Used when the layer graph cannot say what the output is (subclassed models): rows in [0, 1]
summing to 1 are softmax probabilities, values in (0, 1) sigmoid ones, anything outside
[0, 1] logits.  The probe batch is ``x[:32]``, or random input of the model's input shape.
"""

from __future__ import annotations

import contextlib

import numpy as np

from lossedu.diagnosis import keras_api

__all__ = ["PROBE_ROWS", "from_dataset", "probe_input", "probe_stats", "activation_from_probe"]

PROBE_ROWS = 32


def take(x, n: int):
    """The first ``n`` rows of every array in a (nested) input."""
    if isinstance(x, dict):
        return {k: take(v, n) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(take(v, n) for v in x)
    return np.asarray(x)[:n]


def from_dataset(x, y):
    """A tf.data.Dataset (or other iterable of batches) becomes one (x, y) batch."""
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict)) or hasattr(x, "__array__"):
        return x, y
    if hasattr(x, "take") and hasattr(x, "element_spec"):
        batch = next(iter(x.take(1)))
        if isinstance(batch, tuple) and len(batch) >= 2:
            bx, by = batch[0], batch[1]
            return to_numpy(bx), (y if y is not None else to_numpy(by))
        return to_numpy(batch), y
    return x, y


def to_numpy(t):
    """Tensors (nested) as NumPy arrays."""
    if isinstance(t, dict):
        return {k: to_numpy(v) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(to_numpy(v) for v in t)
    return np.asarray(t)


def probe_input(keras, model, x):
    """One small batch to call the model on: ``x[:32]`` or random input of the right shape."""
    if x is not None:
        return take(x, PROBE_ROWS), "x[:32]"
    specs = _input_specs(model)
    if not specs:
        return None, ""
    arrays = _random_arrays(specs)
    if len(arrays) == 1:
        return arrays[0], "random input"
    struct = keras_api.inputs_struct(model)
    if struct is not None:
        with contextlib.suppress(Exception):
            return keras.tree.pack_sequence_as(struct, arrays), "random input"
    return arrays, "random input"


def _input_specs(model) -> list[tuple[tuple, str]] | None:
    """(shape, dtype) of each model input: from ``model.inputs``, or the shapes it was built
    with (a subclassed model called once)."""
    specs = None
    with contextlib.suppress(Exception):
        ins = model.inputs
        if ins:
            specs = [(tuple(t.shape), str(getattr(t, "dtype", "float32"))) for t in ins]
    if specs is None:
        shapes = keras_api.build_shapes(model)
        if len(shapes) == 1:
            shape = next(iter(shapes.values()))
            if isinstance(shape, (list, tuple)) and all(
                    d is None or isinstance(d, int) for d in shape):
                specs = [(tuple(shape), "float32")]
    return specs


def _random_arrays(specs: list[tuple[tuple, str]]) -> list[np.ndarray]:
    """A batch of 8 random rows per input (0/1 for integer inputs), seeded."""
    rng = np.random.default_rng(0)
    arrays = []
    for shape, dtype in specs:
        dims = [8 if d is None else int(d) for d in shape]
        dims[0] = 8
        if "int" in dtype or "bool" in dtype:
            arrays.append(rng.integers(0, 2, size=dims).astype(dtype))
        else:
            arrays.append(rng.standard_normal(dims).astype("float32"))
    return arrays


def probe_stats(values: np.ndarray) -> dict:
    """min, max and the largest |row sum - 1| of the probe outputs, over finite values."""
    v = np.asarray(values, dtype=np.float64)
    v = v.reshape(-1, v.shape[-1]) if v.ndim >= 2 else v.reshape(-1, 1)
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return {"min": float("nan"), "max": float("nan"), "rowsum_err": float("nan")}
    return {
        "min": float(finite.min()),
        "max": float(finite.max()),
        "rowsum_err": float(np.nanmax(np.abs(v.sum(axis=-1) - 1.0))),
        "any_zero": bool(np.any(v == 0.0)),
        "constant_one": bool(np.all(v == 1.0)),
    }


def activation_from_probe(stats: dict, units: int | None, has_logits: bool) -> str:
    """The activation the probe values point to: softmax, sigmoid, nonnegative or linear."""
    lo, hi, err = stats["min"], stats["max"], stats["rowsum_err"]
    if not np.isfinite(lo):
        return "unknown"
    if units == 1 and stats.get("constant_one") and has_logits:
        return "softmax"
    if units and units > 1 and lo >= 0 and hi <= 1 and err < 1e-3:
        return "softmax"
    if lo >= 0 and hi <= 1 and (has_logits or (lo > 0 and hi < 1)):
        return "sigmoid"
    if lo >= 0:
        return "nonnegative"
    return "linear"
