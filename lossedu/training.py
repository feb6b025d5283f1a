"""Small, quiet, timed training runs for the lessons, and a probe that counts zero gradients.

The model is the MLP of TensorFlow's beginner tutorial, which the CSDN blog post
"损失函数 (Loss functions)" trains on Fashion-MNIST: ``Flatten -> Dense(128, relu) ->
Dense(C)``, compiled with adam.
:func:`run` builds, trains and evaluates it in one call; :func:`train` does the same for a
model you built; :func:`zero_gradient_probe` (from :mod:`lossedu.probes`, re-exported here)
records, during training, which fraction of the
gradient reaching the output is exactly zero (the from_logits=False pitfall, measured).

Keras is imported inside the functions, so ``import lossedu.training`` stays cheap.

>>> budget("default").epochs, budget("default").batch_size, budget("full").batch_size
(5, 128, 32)
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# The table of loss families lives in lossedu.constants (the doctor reads it too).
from lossedu.constants import LOSS_CLASS_NAMES, LOSS_KINDS
from lossedu.i18n import _
from lossedu.probes import (  # noqa: F401 (re-exported: the probe lives there)
    _accuracy,
    _output_is_probability,
    probe_gradients,
    zero_gradient_probe,
)

__all__ = [
    "Budget",
    "TrainResult",
    "budget",
    "full_mode",
    "subset",
    "binary_subtask",
    "build_mlp",
    "make_loss",
    "zero_gradient_probe",
    "probe_gradients",
    "train",
    "evaluate",
    "run",
]

OUTPUTS = ("linear", "softmax", "sigmoid")
"""The output activations :func:`build_mlp` knows: raw logits, or probabilities."""



def full_mode() -> bool:
    """True when ``LOSSEDU_FULL=1``: the lessons replay the blog post's exact, slow setup."""
    return os.environ.get("LOSSEDU_FULL", "") not in ("", "0")


@dataclass(frozen=True)
class Budget:
    """How much training a lesson does: the headline runs and the smaller side experiments.

    ``good_at_least`` and ``broken_at_most`` are the test-accuracy bands the lesson asserts
    for the headline pair (from_logits=True and from_logits=False).
    """

    mode: str
    epochs: int
    batch_size: int
    n_train: int | None
    side_n_train: int
    side_epochs: int
    good_at_least: float
    broken_at_most: float

    def describe(self) -> str:
        if self.n_train is None:
            text = _("{mode} run: {epochs} epochs x batch size {batch_size} on all 60000 "
                     "training images; side experiments {side_epochs} epochs on {side_n} "
                     "images")
        else:
            text = _("{mode} run: {epochs} epochs x batch size {batch_size} on the first "
                     "{n_train} training images; side experiments {side_epochs} epochs on "
                     "{side_n} images")
        return text.format(mode=self.mode, epochs=self.epochs, batch_size=self.batch_size,
                           n_train=self.n_train, side_epochs=self.side_epochs,
                           side_n=self.side_n_train)


_BUDGETS = {
    # The blog post's setup: 10 epochs at Keras's default batch size 32 (minutes a model).
    "full": Budget("full", 10, 32, None, 15000, 5, 0.85, 0.55),
    # The lesson's default: the same contrast in about a sixth of the time.
    "default": Budget("default", 5, 128, None, 15000, 5, 0.85, 0.55),
    # Tests only: a subset, so the whole notebook runs in seconds.
    "quick": Budget("quick", 3, 128, 12000, 5000, 3, 0.75, 0.55),
}


def budget(mode: str | None = None) -> Budget:
    """The training budget for ``mode`` ("full", "default" or "quick").

    By default it follows the environment: ``LOSSEDU_FULL=1`` gives the post's setup,
    ``LOSSEDU_QUICK=1`` a small one for tests, otherwise the lesson's default.
    """
    if mode is None:
        from lossedu.notebook import quick_mode

        mode = "full" if full_mode() else "quick" if quick_mode() else "default"
    if mode not in _BUDGETS:
        raise ValueError(_("budget mode {mode}: expected one of {choices}").format(
            mode=repr(mode), choices=sorted(_BUDGETS)))
    return _BUDGETS[mode]


def subset(x, y, n: int | None):
    """The first ``n`` examples (all of them for ``None``). Fashion-MNIST is already shuffled."""
    if n is None:
        return x, y
    return x[:n], y[:n]


def binary_subtask(x, y, negative: int, positive: int):
    """Keep two classes and relabel them 0 (``negative``) and 1 (``positive``), as float32."""
    keep = (y == negative) | (y == positive)
    return x[keep], (y[keep] == positive).astype(np.float32)


def build_mlp(output: str = "linear", *, units: int = 128, num_classes: int = 10,
              input_shape: tuple[int, ...] = (28, 28), after: str | None = None):
    """The post's model: ``Flatten -> Dense(units, relu) -> Dense(num_classes, output)``.

    ``output`` is "linear" (logits), "softmax" or "sigmoid".  ``after="reshape"`` appends an
    identity ``Reshape`` after the output activation: it changes no value, but the tensor no
    longer carries Keras's hidden ``_keras_logits``, so Keras can no longer repair a wrong
    ``from_logits`` (the double softmax becomes real).
    """
    import keras

    if output not in OUTPUTS:
        raise ValueError(_("output={output}: expected one of {choices}").format(
            output=repr(output), choices=OUTPUTS))
    if after not in (None, "reshape"):
        raise ValueError(_("after={after}: expected None or 'reshape'").format(after=repr(after)))
    layers = [
        keras.Input(input_shape),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(num_classes, activation=None if output == "linear" else output),
    ]
    if after == "reshape":
        layers.append(keras.layers.Reshape((num_classes,)))
    return keras.Sequential(layers, name=f"mlp_{output}" + (f"_{after}" if after else ""))


def make_loss(kind: str = "sparse", from_logits: bool = False):
    """A Keras loss object: "sparse" (integer labels), "categorical" (one-hot) or "binary"."""
    import keras

    if kind not in LOSS_CLASS_NAMES:
        raise ValueError(_("loss kind {kind}: expected one of {choices}").format(
            kind=repr(kind), choices=LOSS_KINDS))
    return getattr(keras.losses, LOSS_CLASS_NAMES[kind])(from_logits=from_logits)


@dataclass
class TrainResult:
    """What :func:`train` measured: per-epoch history, test figures, timings, warnings."""

    history: dict[str, list[float]]
    test_accuracy: float
    test_loss: float
    fit_seconds: float
    eval_seconds: float
    warnings: list[str] = field(default_factory=list)
    probe: dict[str, list[float]] | None = None
    model: Any = None
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def final_loss(self) -> float:
        """The training loss Keras reported for the last epoch."""
        return float(self.history["loss"][-1])

    def summary(self) -> str:
        cfg = self.config
        name = _("{output} output, from_logits={from_logits}").format(
            output=cfg.get("output", "?"), from_logits=cfg.get("from_logits", "?"))
        if cfg.get("after"):
            name += _(", then {after}").format(after=cfg["after"])
        return _("{name:45s} test accuracy {accuracy:.4f}   final training loss "
                 "{loss:.4f}").format(name=name, accuracy=self.test_accuracy,
                                      loss=self.final_loss)


def evaluate(model, x, y, loss, chunk: int = 5000) -> tuple[float, float]:
    """Test loss and accuracy from eager forward passes: no tracing, so no compile cost.

    Eager outputs of a softmax/sigmoid layer still carry ``_keras_logits``, so the loss
    matches what ``model.evaluate`` would report for the compiled loss.
    """
    import keras
    import tensorflow as tf

    loss = keras.losses.get(loss) if isinstance(loss, str) else loss
    outs, total = [], 0.0
    for start in range(0, len(x), chunk):
        xb = tf.convert_to_tensor(np.asarray(x[start:start + chunk], dtype=np.float32))
        out = model(xb, training=False)
        yb = tf.convert_to_tensor(np.asarray(y[start:start + chunk]))
        total += float(tf.reduce_mean(loss(yb, out))) * len(xb)
        outs.append(np.asarray(out))
    out = np.concatenate(outs)
    return total / len(x), _accuracy(out, y, _output_is_probability(model))


@contextlib.contextmanager
def _quiet():
    """Catch every warning (returned as text) and mute TensorFlow's Python logger."""
    import logging

    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        logger.setLevel(level)


def train(model, train_data, test_data, *, loss, epochs: int = 5, batch_size: int = 128,
          probe: Any = None, callbacks=(), steps_per_execution: int = 50,
          config: dict | None = None) -> TrainResult:
    """Compile ``model`` with adam and ``loss``, fit quietly, evaluate; time both.

    ``loss`` is a Keras loss object, function or name.  ``probe`` is a
    :func:`zero_gradient_probe` (or any callback with ``.records``).  Every
    warning raised while compiling, fitting and evaluating is caught and returned in
    ``.warnings`` as text, so nothing reaches stderr.  ``steps_per_execution`` runs several
    steps per call into TensorFlow: the same updates, bit for bit, in about half the time.
    The test accuracy is computed from the outputs (argmax, or a threshold of 0 for one
    logit unit and 0.5 for one sigmoid unit), so no metric can pick a wrong threshold.
    """
    x, y = train_data
    xt, yt = test_data
    x = np.asarray(x, dtype=np.float32)
    cbs = list(callbacks) + ([probe] if probe is not None else [])
    with _quiet() as caught:
        model.compile(optimizer="adam", loss=loss, steps_per_execution=steps_per_execution)
        start = time.perf_counter()
        hist = model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0,
                         callbacks=cbs, shuffle=True)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        test_loss, test_acc = evaluate(model, xt, yt, loss)
        eval_seconds = time.perf_counter() - start
    messages = []
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        if text not in messages:
            messages.append(text)
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    return TrainResult(history, test_acc, test_loss, fit_seconds, eval_seconds, messages,
                       getattr(probe, "records", None), model, dict(config or {}))


def run(output: str = "linear", from_logits: bool = True, train_data=None, test_data=None, *,
        epochs: int = 5, batch_size: int = 128, n_train: int | None = None, seed: int = 0,
        after: str | None = None, loss_kind: str | None = None, probe_size: int | None = 512,
        every_n_batches: int | None = 50, steps_per_execution: int = 50) -> TrainResult:
    """Seed, build :func:`build_mlp`, train and evaluate: one cell of the lesson's grid.

    ``train_data`` and ``test_data`` are ``(x, y)`` pairs (images scaled to [0, 1]).  The
    number of output units follows the labels: one unit (binary loss) for float 0/1 labels,
    else ``max(label) + 1``, at least 10 for Fashion-MNIST.  ``probe_size`` test examples
    form the fixed probe batch (``None``: no probe), recorded every ``every_n_batches``
    steps, rounded up to a multiple of ``steps_per_execution``.
    """
    import keras

    if train_data is None or test_data is None:
        raise ValueError(_("run() needs train_data=(x, y) and test_data=(x_test, y_test)"))
    x, y = subset(*train_data, n_train)
    xt, yt = test_data
    binary = loss_kind == "binary" or (loss_kind is None and np.asarray(y).dtype.kind == "f")
    kind = "binary" if binary else (loss_kind or "sparse")
    num_classes = 1 if binary else int(max(np.max(y), np.max(yt))) + 1
    keras.utils.set_random_seed(seed)
    model = build_mlp(output, num_classes=num_classes, input_shape=tuple(np.shape(x)[1:]),
                      after=after)
    loss = make_loss(kind, from_logits)
    probe = None
    if probe_size:
        px = np.asarray(xt[:probe_size], dtype=np.float32)
        probe = zero_gradient_probe(px, np.asarray(yt[:probe_size]), loss=make_loss(
            kind, from_logits), every_n_batches=every_n_batches)
    config = {"output": output, "from_logits": from_logits, "after": after, "epochs": epochs,
              "batch_size": batch_size, "n_train": len(x), "seed": seed, "loss": kind}
    return train(model, (x, y), (xt, yt), loss=loss, epochs=epochs, batch_size=batch_size,
                 probe=probe, config=config, steps_per_execution=steps_per_execution)
