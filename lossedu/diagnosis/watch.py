"""What :class:`~lossedu.diagnosis.callback.DoctorCallback` measures while ``fit`` runs: the
gradient of the loss with respect to the model's output, on every backend.

The gradient is taken with the backend's own autodiff (``tf.GradientTape``, ``jax.grad``,
``torch.autograd``); nothing here is private Keras.  On the numpy backend there is no
autodiff, so the gradient checks report themselves as not run.

>>> output_stats(np.array([[60.0, -2.0], [1.0, 0.5]]), logits=True)["max_abs"]
60.0
"""

from __future__ import annotations

import numpy as np

from lossedu.diagnosis.jax_losses import mirrored, value_and_grad

__all__ = ["forward", "loss_value", "output_gradient", "gradient_stats", "output_stats",
           "SATURATED_LOGIT"]


def forward(keras, model, x):
    """``model(x)`` in inference.  On JAX through the model's compiled predict function: an
    eager call compiles every op on first use, seconds where this takes a fraction of one.
    On TensorFlow eagerly, so a softmax output keeps the hidden logits the loss may use."""
    if keras.backend.backend() == "jax":
        return model.predict_on_batch(x)
    return model(x, training=False)


def loss_value(keras, loss, y, out) -> float:
    """The loss as a float.  On JAX, Keras's cross-entropies are computed in NumPy by
    :mod:`~lossedu.diagnosis.jax_losses` (JAX's own formulas), anything else is compiled once
    (``jax.jit``) rather than op by op."""
    if keras.backend.backend() == "jax":
        known = mirrored(loss)
        if known is not None:
            return value_and_grad(*known, y, keras.ops.convert_to_numpy(out))[0]
        return float(_jitted(loss, "value", lambda o, t: loss(t, o))(out, y))
    return float(keras.ops.convert_to_numpy(loss(y, out)))

_JITTED: dict = {}  # id(loss) -> (loss, compiled function): one compile per loss object
SATURATED_LOGIT = 30.0  # softmax/sigmoid of a logit gap this large is 1 - 1e-13: no gradient


def output_gradient(keras, loss, y, out) -> np.ndarray | None:
    """d loss / d output, as NumPy, or None when the backend has no autodiff."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        out = tf.convert_to_tensor(out)
        with tf.GradientTape() as tape:
            tape.watch(out)
            value = loss(y, out)
        return np.asarray(tape.gradient(value, out))
    if backend == "jax":
        import jax

        known = mirrored(loss)
        if known is not None:  # no compile: JAX's formula in NumPy (see jax_losses)
            return value_and_grad(*known, y, keras.ops.convert_to_numpy(out))[1]
        return np.asarray(_jitted(loss, "grad", jax.grad(lambda o, t: loss(t, o)))(out, y))
    if backend == "torch":  # designed for, not run here: torch is not installed in CI
        o = out.detach().clone().requires_grad_(True)
        loss(y, o).backward()
        return o.grad.detach().cpu().numpy()
    return None


def _jitted(loss, kind: str, fn):
    """``jax.jit(fn)``, kept per loss object so a callback watching the same loss compiles
    once; the loss object is held with it, so its id cannot be reused."""
    import jax

    key = (id(loss), kind)
    if key not in _JITTED:
        if len(_JITTED) > 64:
            _JITTED.clear()
        _JITTED[key] = (loss, jax.jit(fn))
    return _JITTED[key][1]


def gradient_stats(grad: np.ndarray) -> dict:
    """Fraction of gradient entries that are exactly zero, and of rows that are all zero."""
    g = np.asarray(grad, dtype=np.float64).reshape(-1, np.shape(grad)[-1])
    zero = g == 0.0
    return {"zero_fraction": float(zero.mean()), "dead_rows": float(zero.all(axis=1).mean())}


def output_stats(out: np.ndarray, logits: bool) -> dict:
    """How saturated the outputs are: the largest |logit|, or the share of probabilities
    within 1e-7 of 0 or 1; and whether any is NaN or infinite."""
    v = np.asarray(out, dtype=np.float64)
    finite = bool(np.isfinite(v).all())
    if logits:
        max_abs = float(np.nanmax(np.abs(v))) if v.size else 0.0
        return {"finite": finite, "max_abs": max_abs, "saturated": max_abs > SATURATED_LOGIT}
    share = float(np.mean((v < 1e-7) | (v > 1 - 1e-7))) if v.size else 0.0
    return {"finite": finite, "saturated_share": share, "saturated": share > 0.5}
