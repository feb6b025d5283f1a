"""lossedu: classification losses, explained, and checked against TensorFlow.

NumPy implementations with TensorFlow's and Keras 3's names. Importing lossedu never imports
TensorFlow; :func:`lossedu.doctor` and :mod:`lossedu.data` load Keras only when asked.

>>> import lossedu, numpy as np
>>> float(lossedu.sparse_softmax_cross_entropy_with_logits([2], [[1.0, 2.0, 3.0]])[0])
0.40760594606399536
"""

from lossedu.activations import log_softmax, logit, logsumexp, sigmoid, softmax
from lossedu.calibration import (
    ReliabilityBins,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
    temperature_nll,
)
from lossedu.class_weights import (
    balanced_class_weight,
    class_weight_to_sample_weights,
    weighted_cross_entropy_with_logits,
)
from lossedu.errors import (
    AxisArgumentError,
    ClassCountError,
    DataCorruptError,
    DataError,
    DataNotFoundError,
    EmptyBatchError,
    InputDtypeError,
    LabelDtypeError,
    LabelShapeError,
    LabelValueError,
    LossInputError,
    ParameterError,
    ProbabilitiesNotLogitsError,
    RaggedInputError,
    RankError,
    ReductionError,
    ShapeMismatchError,
)
from lossedu.focal import binary_focal_crossentropy, categorical_focal_crossentropy
from lossedu.gradients import (
    check_gradient,
    gradient_error,
    numerical_gradient,
    sigmoid_cross_entropy_grad,
    softmax_cross_entropy_grad,
    sparse_categorical_crossentropy_grad,
    sparse_softmax_cross_entropy_grad,
)
from lossedu.labels import one_hot, smooth_labels
from lossedu.losses import (
    EPSILON,
    LogitsAsProbabilitiesWarning,
    binary_crossentropy,
    categorical_crossentropy,
    keras_probability_path,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_categorical_crossentropy,
    sparse_softmax_cross_entropy_with_logits,
)
from lossedu.reductions import REDUCTIONS, reduce_loss
from lossedu.thresholds import (
    Confusion,
    confusion_counts,
    f1_optimal_threshold,
    precision_at_recall,
    precision_recall_f1,
)

__version__ = "0.1.0"

__all__ = [
    "logit", "sigmoid", "softmax", "log_softmax", "logsumexp", "one_hot", "smooth_labels",
    "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
    "sigmoid_cross_entropy_with_logits", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_crossentropy", "keras_probability_path",
    "reduce_loss", "REDUCTIONS", "EPSILON", "LogitsAsProbabilitiesWarning",
    "softmax_cross_entropy_grad", "sparse_softmax_cross_entropy_grad",
    "sigmoid_cross_entropy_grad", "sparse_categorical_crossentropy_grad",
    "numerical_gradient", "check_gradient", "gradient_error", "doctor",
    "weighted_cross_entropy_with_logits", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "class_weight_to_sample_weights", "balanced_class_weight",
    "reliability_bins", "ReliabilityBins", "expected_calibration_error", "fit_temperature",
    "temperature_nll", "confusion_counts", "Confusion", "precision_recall_f1",
    "f1_optimal_threshold", "precision_at_recall",
    "LossInputError", "LabelShapeError", "LabelValueError", "LabelDtypeError",
    "ShapeMismatchError", "ProbabilitiesNotLogitsError", "ReductionError", "EmptyBatchError",
    "InputDtypeError", "RaggedInputError", "RankError", "AxisArgumentError", "ClassCountError",
    "ParameterError",
    "DataError", "DataNotFoundError", "DataCorruptError",
]

_LAZY_MODULES = {"data", "lessons", "exercise", "explorer", "training", "notebook",
                 "diagnosis"}


def doctor(model, loss=None, x=None, y=None):
    """Check a Keras model's output layer, loss, labels and metrics for the classic mistakes.

    ``loss`` defaults to the compiled loss; ``x`` (a batch) lets the doctor probe models whose
    layer graph it cannot read; ``y`` (the labels) enables the label checks.  Returns a
    :class:`lossedu.diagnosis.Report`.  Keras is imported on the first call, not before; the
    work is done by :mod:`lossedu.diagnosis`.
    """
    from lossedu.diagnosis import doctor as run_doctor

    return run_doctor(model, loss=loss, x=x, y=y)


def __getattr__(name):
    """Import the heavier submodules (data, widgets, ...) only on first use."""
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(f"lossedu.{name}")
    # lossedu.DoctorCallback / DoctorWarning: Keras is imported on first access (so they stay
    # out of __all__: `from lossedu import *` must not import Keras)
    if name in ("DoctorCallback", "DoctorWarning"):
        return getattr(importlib.import_module("lossedu.diagnosis.callback"), name)
    raise AttributeError(f"module 'lossedu' has no attribute {name!r}")
