"""The model doctor behind :func:`lossedu.doctor`: find loss, output-layer, label and metric
mistakes in a Keras model.

>>> report = lossedu.doctor(model)                        # doctest: +SKIP
>>> report = lossedu.doctor(model, x=x_train, y=y_train)  # doctest: +SKIP
>>> report.ok, report.codes                               # doctest: +SKIP
(False, ['linear-output-probability-loss'])

The parts, in the order a diagnosis runs through them:

* :mod:`~lossedu.diagnosis.keras_api`: every use of Keras beyond its public API (the one
  module to mend when Keras changes), and the lazy Keras import;
* :mod:`~lossedu.diagnosis.reading` (with ``compiled``, ``labels``, ``graph``, ``probe`` and
  ``tracing``): model, loss, labels and metrics to the plain facts of
  :mod:`~lossedu.diagnosis.facts`, one :class:`~lossedu.diagnosis.facts.Subject` per output;
* :mod:`~lossedu.diagnosis.rules` (with ``output_rules``, ``label_rules``, ``metric_rules``
  and the codes of :mod:`~lossedu.diagnosis.codes`): facts to findings, without Keras;
* :mod:`~lossedu.diagnosis.report`: :class:`Finding`, :class:`Report`, the severity order,
  text and HTML ("Not checked: ..." when part of the model could not be read);
* :mod:`~lossedu.diagnosis.cli`: ``python -m lossedu doctor model.keras``;
* :mod:`~lossedu.diagnosis.arguments`: teaching errors for bad arguments;
  :mod:`~lossedu.diagnosis.init_loss`: the untrained loss against log C / the prior entropy;
* :mod:`~lossedu.diagnosis.callback` (with ``watch``): ``lossedu.DoctorCallback`` inside
  ``fit``; :mod:`~lossedu.diagnosis.backends`: the same code on each Keras backend.

Backends: every rule reads the backend's name.  Only TensorFlow repairs a softmax/sigmoid
output given to a ``from_logits=True`` loss (a warning there, an error on JAX and torch); an
out-of-range class id raises on TensorFlow (CPU) and silently gives -0.0 on JAX.  TensorFlow
and JAX are tested (``make test-jax``); torch is designed for by name, not installed.

Importing this package does not import Keras or TensorFlow; :func:`doctor` does.
"""

from lossedu.diagnosis.codes import CODES
from lossedu.diagnosis.examine import doctor
from lossedu.diagnosis.report import Finding, Report

__all__ = ["doctor", "Report", "Finding", "CODES"]  # and DoctorCallback, built on access


def __getattr__(name):
    """``DoctorCallback`` and ``DoctorWarning`` subclass Keras classes: Keras is imported on
    first access, never by ``import lossedu.diagnosis``."""
    if name in ("DoctorCallback", "DoctorWarning"):
        from lossedu.diagnosis import callback

        return getattr(callback, name)
    raise AttributeError(f"module 'lossedu.diagnosis' has no attribute {name!r}")
