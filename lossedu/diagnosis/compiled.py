"""Reading what ``model.compile`` was given: the loss (and its from_logits) and the metrics.

A loss may come as an object (``keras.losses.SparseCategoricalCrossentropy(...)``), a string
(``"sparse_categorical_crossentropy"``), a function (``keras.losses.binary_crossentropy``),
a ``functools.partial`` of one, or the config dict a saved model stores.  Each becomes a
:class:`~lossedu.diagnosis.facts.LossFacts`.
"""

from __future__ import annotations

import contextlib
import functools

from lossedu.constants import LOSS_CLASS_NAMES
from lossedu.diagnosis import keras_api
from lossedu.diagnosis.facts import LossFacts, MetricFacts
from lossedu.i18n import _

__all__ = ["LOSS_FAMILIES", "compiled", "describe_loss", "metric_facts", "flatten"]

# Loss names (function, class, alias) -> family.  Strings mean from_logits=False.
LOSS_FAMILIES = {
    "sparse_categorical_crossentropy": "sparse",
    "sparsecategoricalcrossentropy": "sparse",
    "categorical_crossentropy": "categorical",
    "categoricalcrossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "categoricalfocalcrossentropy": "categorical",
    "binary_crossentropy": "binary",
    "binarycrossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "binaryfocalcrossentropy": "binary",
    "bce": "binary",
    "crossentropy": "auto",
    "ce": "auto",
}


# Metrics that compare the output with thresholds in [0, 1]: they need probabilities.
THRESHOLDED_CLASSES = {
    "Precision", "Recall", "AUC", "TruePositives", "FalsePositives", "TrueNegatives",
    "FalseNegatives", "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
    "SpecificityAtSensitivity", "F1Score", "FBetaScore",
}
THRESHOLDED_NAMES = {"precision", "recall", "auc", "true_positives", "false_positives",
                     "true_negatives", "false_negatives"}


def describe_loss(keras, loss) -> LossFacts:
    """What Keras will do with ``loss``: its family and its from_logits."""
    if loss is None:
        return LossFacts(display=_("(none)"), family=None, from_logits=None, given=False,
                         recognised=False)
    if isinstance(loss, str):
        return _string_loss(loss)
    if isinstance(loss, dict) and "class_name" in loss:
        with contextlib.suppress(Exception):
            return describe_loss(keras, keras.losses.get(loss))
    fn, kwargs = loss, {}
    if isinstance(loss, functools.partial):
        fn, kwargs = loss.func, dict(loss.keywords or {})
    if isinstance(fn, keras.losses.Loss):
        return _loss_object(fn)
    if callable(fn):
        return _loss_function(fn, kwargs, isinstance(loss, functools.partial))
    return LossFacts(display=repr(loss), family=None, from_logits=None,
                     class_name=type(fn).__name__, recognised=False)


def _string_loss(loss: str) -> LossFacts:
    fam = LOSS_FAMILIES.get(loss.lower().replace(" ", ""))
    return LossFacts(display=repr(loss), family=fam, from_logits=False if fam else None,
                     class_name=LOSS_CLASS_NAMES.get(fam, ""), recognised=fam is not None)


def _loss_object(fn) -> LossFacts:
    """A ``keras.losses.Loss``: a cross-entropy class, or ``LossFunctionWrapper(fn, ...)``."""
    cls_name = type(fn).__name__
    fn_kwargs = keras_api.loss_kwargs(fn)
    inner = getattr(fn, "fn", None)
    fam = LOSS_FAMILIES.get(cls_name.lower())
    if fam is None and inner is not None:  # LossFunctionWrapper(fn, **kwargs)
        fam = LOSS_FAMILIES.get(getattr(inner, "__name__", "").lower())
        cls_name = getattr(inner, "__name__", cls_name)
    from_logits = getattr(fn, "from_logits", fn_kwargs.get("from_logits"))
    if fam is not None and from_logits is None:
        from_logits = False
    ignore_class = fn_kwargs.get("ignore_class")
    args = [f"from_logits={from_logits}"] if fam else []
    if ignore_class is not None:
        args.append(f"ignore_class={ignore_class}")
    return LossFacts(display=f"{type(fn).__name__}({', '.join(args)})", family=fam,
                     from_logits=from_logits, class_name=cls_name, ignore_class=ignore_class,
                     recognised=fam is not None)


def _loss_function(fn, kwargs: dict, partial: bool) -> LossFacts:
    """A loss function such as ``keras.losses.binary_crossentropy`` (maybe a partial)."""
    name = getattr(fn, "__name__", type(fn).__name__)
    fam = LOSS_FAMILIES.get(name.lower())
    from_logits = ignore_class = None
    if fam is not None:
        from_logits = bool(kwargs.get("from_logits", False))
        ignore_class = kwargs.get("ignore_class")
    display = (f"keras.losses.{name}" if fam else name) + (
        f"(from_logits={from_logits})" if partial and fam else "")
    return LossFacts(display=display, family=fam, from_logits=from_logits,
                     class_name=type(fn).__name__, ignore_class=ignore_class,
                     recognised=fam is not None)


def metric_facts(keras, metrics) -> list[MetricFacts]:
    """The accuracy metrics among ``metrics`` (strings, objects, functions; flattened)."""
    out = []
    for m in flatten(metrics):
        if m is None:
            continue
        if isinstance(m, str):
            low = m.lower()
            if low in ("accuracy", "acc"):
                out.append(MetricFacts(display=f'"{m}"', kind="accuracy"))
            elif low in ("binary_accuracy", "binaryaccuracy"):
                out.append(MetricFacts(display=f'"{m}"', kind="binary_accuracy", threshold=0.5))
            elif low in THRESHOLDED_NAMES:
                out.append(MetricFacts(display=f'"{m}"', kind="auc" if low == "auc"
                                       else "thresholded", threshold=0.5))
            continue
        name = type(m).__name__
        if name in THRESHOLDED_CLASSES and isinstance(m, keras.metrics.Metric):
            logits = bool(getattr(m, "_from_logits", False) or getattr(m, "from_logits", False))
            out.append(MetricFacts(display=f"{name}()" + (" (from_logits=True)" if logits else ""),
                                   kind="auc" if name == "AUC" else "thresholded",
                                   threshold=0.5, from_logits=logits))
            continue
        if isinstance(m, keras.metrics.BinaryAccuracy):
            th = getattr(m, "threshold", None)
            if th is None:
                th = keras_api.metric_kwargs(m).get("threshold", 0.5)
            out.append(MetricFacts(display=f"BinaryAccuracy(threshold={th})",
                                   kind="binary_accuracy", threshold=float(th)))
        elif getattr(m, "__name__", "") == "binary_accuracy":
            out.append(MetricFacts(display="keras.metrics.binary_accuracy",
                                   kind="binary_accuracy", threshold=0.5))
    return out


def flatten(obj) -> list:
    """The leaves of nested dicts, lists and tuples, in order; [] for None."""
    if obj is None:
        return []
    if isinstance(obj, dict):
        return [v for value in obj.values() for v in flatten(value)]
    if isinstance(obj, (list, tuple)):
        return [v for value in obj for v in flatten(value)]
    return [obj]


def compiled(model) -> tuple[object, object]:
    """(loss, metrics + weighted metrics) as passed to ``model.compile``, or (None, None)."""
    loss, metrics, weighted = keras_api.compile_arguments(model)
    return loss, _merge_metrics(metrics, weighted)


def _merge_metrics(metrics, weighted):
    if weighted is None:
        return metrics
    if metrics is None:
        return weighted
    if isinstance(metrics, dict) and isinstance(weighted, dict):
        merged = {k: flatten(v) for k, v in metrics.items()}
        for k, v in weighted.items():
            merged.setdefault(k, []).extend(flatten(v))
        return merged
    return flatten(metrics) + flatten(weighted)
