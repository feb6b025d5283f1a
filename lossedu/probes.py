"""The zero-gradient probe: during training, how much of the gradient reaching the output is 0.

:func:`probe_gradients` does one forward and backward pass on a fixed batch and counts the
gradient entries that are exactly zero (the from_logits=False pitfall, measured);
:func:`zero_gradient_probe` is a Keras callback that records it while ``fit`` runs. The output
readers here (:func:`_accuracy`, :func:`_output_is_probability`) are shared with
:func:`lossedu.training.evaluate`.

Keras and TensorFlow are imported inside the functions, so ``import lossedu.probes`` stays cheap.
"""

from __future__ import annotations

import numpy as np

__all__ = ["probe_gradients", "zero_gradient_probe"]


def _output_is_probability(model) -> bool:
    """True when the model's last layer with an activation applies softmax or sigmoid."""
    for layer in reversed(model.layers):
        act = getattr(layer, "activation", None)
        if act is not None:
            return getattr(act, "__name__", "") in ("softmax", "sigmoid")
        if type(layer).__name__ in ("Softmax",):
            return True
    return False


def _accuracy(out: np.ndarray, y, probability: bool) -> float:
    """Argmax accuracy for C > 1 units; for one unit, threshold 0.5 (sigmoid) or 0 (logits)."""
    y = np.asarray(y).reshape(-1)
    if out.shape[-1] == 1:
        threshold = 0.5 if probability else 0.0
        return float(np.mean((out[..., 0] > threshold) == (y > 0.5)))
    return float(np.mean(np.argmax(out, axis=-1) == y))


def probe_gradients(model, x, y, loss) -> dict[str, float]:
    """One batch, one forward and backward pass: loss, accuracy and the zero-gradient fractions.

    The gradient is taken with respect to the logits that reach the loss: the model's
    output, or, when that output is a softmax/sigmoid carrying Keras's ``_keras_logits``, the
    logits before it.  ``zero_grad_fraction`` is the fraction of those entries whose gradient
    is exactly 0.0; ``dead_row_fraction`` the fraction of examples whose whole row is 0 (they
    teach the network nothing); ``outside_fraction`` the fraction of outputs outside
    ``[1e-7, 1 - 1e-7]``, the values Keras clips when ``from_logits=False``.
    """
    import tensorflow as tf

    xt = tf.convert_to_tensor(x)
    yt = tf.convert_to_tensor(y)
    with tf.GradientTape() as tape:
        out = model(xt, training=False)
        target = getattr(out, "_keras_logits", out)
        tape.watch(target)
        value = tf.reduce_mean(loss(yt, out))   # loss functions return one value per row
    grad = tape.gradient(value, target)
    out_np = np.asarray(out)
    grad_np = np.zeros_like(out_np) if grad is None else np.asarray(grad)
    zero = grad_np == 0.0
    eps = np.float32(1e-7)
    acc = _accuracy(out_np, y, _output_is_probability(model))
    return {
        "loss": float(value),
        "accuracy": acc,
        "zero_grad_fraction": float(np.mean(zero)),
        "dead_row_fraction": float(np.mean(np.all(zero, axis=-1))),
        "outside_fraction": float(np.mean((out_np < eps) | (out_np > 1 - eps))),
        "negative_fraction": float(np.mean(out_np < 0)),
    }


_PROBE_CLASS = None


def _probe_class():
    """Define the callback class on first use (it subclasses a Keras class)."""
    global _PROBE_CLASS
    if _PROBE_CLASS is not None:
        return _PROBE_CLASS
    import keras

    class ZeroGradientProbe(keras.callbacks.Callback):
        """Every ``every_n_batches`` training steps, probe a fixed batch (see probe_gradients)."""

        def __init__(self, x, y, loss=None, every_n_batches=50):
            super().__init__()
            self.x = x
            self.y = y
            self.loss = loss
            self.every_n_batches = every_n_batches
            self.records: dict[str, list[float]] = {}
            self._last = None

        def _loss(self):
            if self.loss is not None:
                return self.loss
            import keras

            return keras.losses.get(self.model.loss)

        def _record(self, step: int, steps_per_epoch: int) -> None:
            row = probe_gradients(self.model, self.x, self.y, self._loss())
            row = {"step": float(step), "epoch": step / max(1, steps_per_epoch), **row}
            for key, value in row.items():
                self.records.setdefault(key, []).append(value)
            self._last = step

        def _steps(self) -> int:
            return int((self.params or {}).get("steps") or 1)

        def on_train_begin(self, logs=None):
            self.records = {}
            self._epoch = 0
            self._record(0, self._steps())

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            n = self._steps()
            step = self._epoch * n + min(int(batch), n - 1) + 1
            if self.every_n_batches and step - self._last >= self.every_n_batches:
                self._record(step, n)

        def on_epoch_end(self, epoch, logs=None):
            n = self._steps()
            step = (epoch + 1) * n
            if step != self._last:
                self._record(step, n)

    _PROBE_CLASS = ZeroGradientProbe
    return _PROBE_CLASS


def zero_gradient_probe(x, y, loss=None, every_n_batches: int | None = 50):
    """A Keras callback recording :func:`probe_gradients` on ``(x, y)`` during ``fit``.

    It records before training, every ``every_n_batches`` steps (rounded up to Keras's
    ``steps_per_execution``) and at each epoch's end.  ``loss`` defaults to the compiled
    loss.  After ``fit``, ``probe.records`` maps "step", "epoch", "loss", "accuracy",
    "zero_grad_fraction", "dead_row_fraction", "outside_fraction" and "negative_fraction" to
    lists.  The probe only reads the model, so it changes no training result.
    """
    return _probe_class()(x, y, loss=loss, every_n_batches=every_n_batches)
