"""Keras 3's three cross-entropies as its JAX backend computes them, in NumPy: the value and
the gradient with respect to the model's output.

On JAX a Keras loss is compiled by XLA before it runs; compiling a loss and its gradient
costs the doctor about a second, most of ``DoctorCallback``'s time in a short ``fit``.  The
formulas are short (``keras/src/backend/jax/nn.py``), so for the standard losses the doctor
computes them here instead, and compiles only what this module does not mirror (label
smoothing, other reductions, ``ignore_class``, custom losses).  They are *JAX's* formulas,
not TensorFlow's: with ``from_logits=False`` JAX divides the output by its row sum before
clipping it to ``[eps, 1 - eps]``, so a row whose label entry is clipped gets no gradient at
all, where TensorFlow's clip zeroes single entries (``tests/doctor`` compares both with
``jax.grad``).

>>> import numpy as np
>>> value, grad = value_and_grad("sparse", False, np.array([0]), np.array([[0.5, 0.5]]))
>>> round(value, 6), grad.tolist()
(0.693147, [[-1.0, 1.0]])
"""

from __future__ import annotations

import numpy as np

__all__ = ["mirrored", "value_and_grad"]

EPSILON = 1e-7  # keras.backend.epsilon()

_FUNCTIONS = {"sparse_categorical_crossentropy": "sparse",
              "categorical_crossentropy": "categorical", "binary_crossentropy": "binary"}
_CLASSES = {"SparseCategoricalCrossentropy": "sparse",
            "CategoricalCrossentropy": "categorical", "BinaryCrossentropy": "binary"}


def mirrored(loss) -> tuple[str, bool] | None:
    """(family, from_logits) when ``loss`` is a Keras cross-entropy this module computes
    exactly (the mean over the batch, no label smoothing, no ignored class, the last axis);
    None for anything else."""
    try:
        config = loss.get_config()
    except Exception:
        return None
    name = type(loss).__name__
    family = _CLASSES.get(name)
    if family is None and name == "LossFunctionWrapper":
        fn = getattr(loss, "fn", None)
        family = _FUNCTIONS.get(getattr(fn, "__name__", ""))
        extra = set(getattr(loss, "_fn_kwargs", {}) or {}) - {"from_logits"}
        if extra:
            return None
        config = {**config, **(getattr(loss, "_fn_kwargs", {}) or {})}
    if family is None or config.get("reduction") != "sum_over_batch_size":
        return None
    if config.get("label_smoothing", 0) or config.get("ignore_class") is not None:
        return None
    if config.get("axis", -1) != -1 or not _is_float32_policy(config.get("dtype")):
        return None
    return family, bool(config.get("from_logits", False))


def _is_float32_policy(dtype) -> bool:
    if dtype is None or dtype == "float32":
        return True
    if isinstance(dtype, dict):
        return dtype.get("config", {}).get("name") == "float32"
    return False


def value_and_grad(family: str, from_logits: bool, y, out) -> tuple[float, np.ndarray]:
    """The loss (mean over the batch) and d loss / d ``out``, in float32 like Keras."""
    z = np.asarray(out, dtype=np.float32)
    if family == "binary":
        t = np.asarray(y, dtype=np.float32).reshape(z.shape)
        return _binary(t, z, from_logits)
    c = z.shape[-1]
    rows = z.reshape(-1, c)
    if family == "sparse":
        ids = np.asarray(y).reshape(-1).astype(np.int64)
        t = np.zeros_like(rows)
        ok = (ids >= 0) & (ids < c)  # jax.nn.one_hot: an out-of-range label is a zero row
        t[np.nonzero(ok)[0], ids[ok]] = 1.0
    else:
        t = np.asarray(y, dtype=np.float32).reshape(rows.shape)
    n = rows.shape[0]
    if from_logits:
        shifted = rows - rows.max(axis=-1, keepdims=True)
        log_prob = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        losses = -(t * log_prob).sum(axis=-1)
        grad = np.exp(log_prob) * t.sum(axis=-1, keepdims=True) - t
    else:
        s = rows.sum(axis=-1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = rows / s
            clipped = np.clip(q, EPSILON, 1 - EPSILON)
            losses = -(t * np.log(clipped)).sum(axis=-1)
            inside = (q > EPSILON) & (q < 1 - EPSILON)
            a = np.where(inside, -t / clipped, 0.0).astype(np.float32)  # d loss / d q
            grad = a / s - (a * rows).sum(axis=-1, keepdims=True) / (s * s)
    return float(losses.mean()), _flush((grad / n).reshape(z.shape))


def _binary(t: np.ndarray, z: np.ndarray, from_logits: bool) -> tuple[float, np.ndarray]:
    n = z.size
    if from_logits:
        losses = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
        with np.errstate(over="ignore"):
            # d/dz of -t log sigmoid(z) - (1 - t) log sigmoid(-z), in JAX's form: a
            # confident right answer keeps a tiny gradient instead of 1.0 - 1 = 0
            grad = (1 - t) / (1 + np.exp(-z)) - t / (1 + np.exp(z))
    else:
        c = np.clip(z, EPSILON, 1 - EPSILON)
        losses = -(t * np.log(c) + (1 - t) * np.log(1 - c))
        inside = (z > EPSILON) & (z < 1 - EPSILON)
        grad = np.where(inside, -t / c + (1 - t) / (1 - c), 0.0)
    return float(losses.mean()), _flush(grad / n)


def _flush(grad: np.ndarray) -> np.ndarray:
    """float32, with subnormal values set to zero as XLA's CPU kernels do (flush to zero):
    a gradient of 1e-40 counts as zero on JAX, on every CPU."""
    grad = np.asarray(grad, dtype=np.float32)
    grad[np.abs(grad) < np.finfo(np.float32).tiny] = 0.0
    return grad
