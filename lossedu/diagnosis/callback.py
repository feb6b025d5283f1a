"""``lossedu.DoctorCallback(x_sample, y_sample)``: the doctor inside ``fit``.

In the style of Keras's ``EarlyStopping`` and ``TerminateOnNaN``::

    model.fit(x, y, callbacks=[lossedu.DoctorCallback(x[:256], y[:256])])

At train begin it runs :func:`lossedu.doctor` on the model with the sample.  During the first
``steps`` steps it watches for what lessons 05 and 01 teach: the loss stuck at log C, the
output-logit gradients that are exactly zero (dead rows), NaN or inf, and saturating outputs.
Each finding is warned once (a :class:`DoctorWarning` with the finding and the fix) and kept
in ``.findings``; ``stop_training=True`` stops ``fit`` on an error-level finding or a
non-finite loss.  Works on the TensorFlow and JAX backends (and is written for torch).
Importing this module does not import Keras: the class is built on first access
(it subclasses ``keras.callbacks.Callback``), and ``import lossedu`` imports neither.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.codes import WATCH_CODES
from lossedu.diagnosis.examine import doctor
from lossedu.diagnosis.probe import take
from lossedu.diagnosis.report import Finding
from lossedu.diagnosis.watch import forward, gradient_stats, output_gradient, output_stats
from lossedu.diagnosis.wording import tidy
from lossedu.errors import LabelShapeError, ParameterError
from lossedu.i18n import _

__all__ = ["DoctorWarning", "DoctorCallback"]  # noqa: F822 (built on first access)

ROWS = 256


class DoctorWarning(UserWarning):
    """A finding of :class:`DoctorCallback`: what is wrong, and the fix."""


_CLASS = None


def __getattr__(name):
    """``DoctorCallback``: the Keras callback class, built (and Keras imported) on first use."""
    global _CLASS
    if name == "DoctorCallback":
        if _CLASS is None:
            _CLASS = _build(keras_api.import_keras())
        return _CLASS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _build(keras):
    """The callback class: :class:`_Watcher`'s checks on ``keras.callbacks.Callback``."""
    global _keras
    _keras = keras
    return type("DoctorCallback", (_Watcher, keras.callbacks.Callback),
                {"__doc__": _Watcher.__doc__, "__module__": __name__})


_keras = None


class _Watcher:
    """Check the model when training starts, then watch the first ``steps`` batches.

    ``x_sample``, ``y_sample``: a few hundred training rows (the first 256 are used).
    ``every``: watch the gradients every ``every`` steps (and at the last one).
    ``stop_training``: stop ``fit`` on an error or a NaN/inf loss.  ``static``: warn the
    doctor's static findings at train begin (it always reads the model, to know its output).
    """

    def __init__(self, x_sample, y_sample, steps: int = 20, every: int = 10,
                 stop_training: bool = False, static: bool = True):
        super().__init__()
        _check_arguments(x_sample, y_sample, steps, every)
        self.x = take(x_sample, ROWS)
        self.y = np.asarray(take(y_sample, ROWS))
        self.steps, self.every = int(steps), max(1, int(every))
        self.stop, self.static = bool(stop_training), bool(static)
        self.findings: list[Finding] = []
        self.seconds = 0.0  # time spent in this callback during the last fit
        self.losses: list[float] = []
        self.report = None
        self._step = self._offset = 0
        self._done = False
        self._subject = self._loss = None

    # --- Keras hooks ----------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        start = time.perf_counter()
        self._begin(logs)
        self.seconds = time.perf_counter() - start

    def on_train_batch_end(self, batch, logs=None):
        start = time.perf_counter()
        self._batch_end(batch, logs)
        self.seconds += time.perf_counter() - start

    def _begin(self, logs):
        self._loss = None
        self._step = self._offset = 0
        self._done, self.losses = False, []
        self.report = doctor(self.model, x=self.x, y=self.y)
        subjects = self.report.context.get("subjects") or []
        self._subject = subjects[0] if len(subjects) == 1 else None
        for f in self.report.findings if self.static else ():
            if f.severity in ("error", "warning"):
                self._warn(f)

    def on_epoch_begin(self, epoch, logs=None):
        self._offset = self._step  # steps done in earlier epochs

    def _batch_end(self, batch, logs):
        before = self._step
        self._step = self._offset + int(batch) + 1  # with steps_per_execution, batch jumps
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self._warn(_nan_finding(float(loss), self._step))
            return
        if self._done:
            return
        if loss is not None:
            self.losses.append(float(loss))
        if self._step // self.every > before // self.every or self._step >= self.steps:
            self._watch_outputs()
        if self._step >= self.steps:
            self._done = True
            self._check_stuck()

    # --- the checks -----------------------------------------------------------------------
    def _watch_outputs(self):
        s = self._subject
        if s is None:
            return
        out = forward(_keras, self.model, self.x)
        logits = s.output.activation == "linear"
        st = output_stats(_keras.ops.convert_to_numpy(out), logits)
        if not st["finite"]:
            self._warn(_nan_finding(float("nan"), self._step, outputs=True))
        elif st["saturated"]:
            self._warn(_saturated_finding(s, st, self._step, logits))
        if logits and s.loss.from_logits is False and s.family is not None:
            if self._loss is None:
                self._loss = keras_api.fit_loss(_keras, self.model.loss, self.y, out)
            grad = output_gradient(_keras, self._loss, self.y, out)
            if grad is not None:
                g = gradient_stats(grad)
                if g["zero_fraction"] >= 0.25:
                    self._warn(_zero_grad_finding(s, g, self._step))

    def _check_stuck(self):
        s = self._subject
        if s is None or s.units is None or not self.losses:
            return
        chance = math.log(2) if s.family == "binary" else math.log(max(s.units, 2))
        tail = self.losses[-max(1, len(self.losses) // 2):]
        if all(abs(v - chance) < 0.02 * chance for v in tail):
            self._warn(_stuck_finding(s, tail[-1], chance, self._step))

    def _warn(self, f: Finding):
        if any(g.code == f.code for g in self.findings):
            return
        self.findings.append(f)
        warnings.warn(_("lossedu.DoctorCallback [{code}] {what}\n  fix: {fix}").format(
            code=f.code, what=f.what, fix=f.fix.splitlines()[0]), DoctorWarning, stacklevel=2)
        if self.stop and (f.severity == "error" or f.code == "nan-loss"):
            self.model.stop_training = True


def _check_arguments(x, y, steps, every) -> None:
    if x is None or y is None:
        raise ParameterError("x_sample" if x is None else "y_sample", got="None",
                             expected=_("a few hundred training rows (arrays)"),
                             fix="lossedu.DoctorCallback(x_train[:256], y_train[:256])")
    first = x
    while isinstance(first, (dict, list, tuple)) and len(first):
        first = next(iter(first.values())) if isinstance(first, dict) else first[0]
    if len(np.asarray(y)) != len(np.asarray(first)):
        raise LabelShapeError("y_sample",
                              got=_("{rows} rows").format(rows=len(np.asarray(y))),
                              expected=_("as many rows as x_sample"),
                              fix="lossedu.DoctorCallback(x_train[:256], y_train[:256])")
    for name, v in (("steps", steps), ("every", every)):
        if not isinstance(v, int) or v < 1:
            raise ParameterError(name, got=repr(v), expected=_("an integer >= 1"),
                                 fix=f"lossedu.DoctorCallback(x, y, {name}=20)")


def _finding(severity: str, code: str, what: str, why: str, fix: str) -> Finding:
    if WATCH_CODES.get(code) != severity:
        raise AssertionError(f"{code}: not a DoctorCallback code of severity {severity}")
    return Finding(severity, code, tidy(what), tidy(why), fix)


def _nan_finding(value: float, step: int, outputs: bool = False) -> Finding:
    """A NaN or inf training loss (or, with ``outputs``, model outputs) after ``step`` steps."""
    what = (_("After {step} steps the model's outputs is {value} (not finite).") if outputs
            else _("After {step} steps the training loss is {value} (not finite)."))
    return _finding(
        "error", "nan-loss", what.format(step=step, value=value),
        _("A NaN or inf spreads to every weight at the next update; the run is lost from "
          "here."),
        "keras.optimizers.Adam(learning_rate=1e-4, clipnorm=1.0)   "
        + _("# and check the labels"))


def _saturated_finding(s, st: dict, step: int, logits: bool) -> Finding:
    what = (_("largest |logit| {max_abs:.1f}").format(max_abs=st["max_abs"]) if logits
            else _("{share:.0%} of the probabilities within 1e-7 of 0 or 1").format(
                share=st["saturated_share"]))
    return _finding(
        "warning", "saturating-outputs",
        _("After {step} steps the output {desc} saturates: {what}.").format(
            step=step, desc=s.output.desc, what=what),
        _("Saturated softmax/sigmoid outputs have gradients of about zero: learning stalls, "
          "and with from_logits=False Keras clips them to [1e-7, 1 - 1e-7]."),
        "keras.optimizers.Adam(learning_rate=1e-4)   "
        + _("# smaller steps; and scale the inputs"))


def _zero_grad_finding(s, g: dict, step: int) -> Finding:
    return _finding(
        "error", "zero-output-gradients",
        _("After {step} steps {zero:.0%} of the gradients of the loss {loss} with respect to "
          "the output {desc} are exactly zero ({dead:.0%} of the rows entirely).").format(
            step=step, zero=g["zero_fraction"], loss=s.loss.display, desc=s.output.desc,
            dead=g["dead_rows"]),
        _("The output gives logits but the loss expects probabilities: every value clipped to "
          "[1e-7, 1 - 1e-7] gets no gradient, so those logits never learn (lesson 05)."),
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
        if s.family == "sparse" else
        f"loss = keras.losses.{'Binary' if s.family == 'binary' else 'Categorical'}"
        "Crossentropy(from_logits=True)")


def _stuck_finding(s, last: float, chance: float, step: int) -> Finding:
    return _finding(
        "warning", "loss-stuck-at-chance",
        _("After {step} steps the training loss is still {last:.4f}, within 2 % of "
          "log {classes} = {chance:.4f}: the model is not learning anything yet.").format(
            step=step, last=last, classes=s.units if s.family != "binary" else 2,
            chance=chance),
        _("A loss pinned at log C means the predictions stay uniform. With a linear output and "
          "from_logits=False this is where every gradient is zero (lesson 05)."),
        "lossedu.doctor(model, x=x_train[:256], y=y_train[:256])   "
        + _("# read its findings"))
