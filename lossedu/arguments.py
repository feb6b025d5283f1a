"""Argument checking for every public function: one layer, one way of checking.

Each function here takes one of the caller's arguments and the name the caller knows it
by, and returns it in canonical form or raises a :mod:`lossedu.errors` class whose message
names that argument, shows the value received and gives the fix that is right for it.
Only which checks run differs between the public functions, not how they are made.

Conversion rules, the same everywhere:

* **Float arguments** (logits, probabilities, targets, weights, values): NumPy float arrays
  keep their dtype (float16, float32, float64); Python numbers and lists become float32, as
  ``tf.convert_to_tensor`` makes them.  Integer and boolean arrays become float32 too, as
  Keras's loss objects cast them (``tf.nn`` refuses them outright).  Strings, objects,
  complex numbers, None, ragged lists and Python lists holding numbers beyond float32's
  range (TF refuses those too) raise a teaching error.
* **Class indices**: any integer dtype, as Keras casts any (``tf.nn`` accepts only int32
  and int64, so Fashion-MNIST's uint8 labels would need a cast there).  Booleans, NaN and
  fractions are refused (see :func:`lossedu.labels.require_sparse_labels`).
* **Options** are what they say: flags are ``True`` or ``False`` (not ``"no"``, which is
  truthy, nor None); an ``axis`` is an int (not ``1.0``, ``True`` or ``"1"``, which
  ``tf.nn.softmax`` happens to accept); steps, epsilons and smoothings are real numbers
  inside their range.

>>> require_axis(-1, np.zeros((2, 3)))
-1
>>> require_flag("no", "from_logits")
Traceback (most recent call last):
  ...
lossedu.errors.ParameterError: Bad `from_logits`: got 'no' (a str).
  expected: True or False
  fix: from_logits=False (a non-empty string is truthy: 'no' would have meant True)
"""

from __future__ import annotations

import numpy as np  # noqa: F401 (doctest)

from lossedu.arrays import (
    as_array,
    as_float,
    as_float64,
    as_float_like,
    compute_dtype,
    refuse_kind,
    scalar_result,
)
from lossedu.describe import show  # noqa: F401
from lossedu.parameters import (
    require_axis,
    require_batch_and_classes,
    require_callable,
    require_depth,
    require_dtype,
    require_epsilon,
    require_flag,
    require_ignore_class,
    require_mask,
    require_not_empty,
    require_num_classes,
    require_rank,
    require_shapes_equal,
    require_smoothing,
    require_step,
)

__all__ = [
    "compute_dtype",
    "as_array",
    "as_float",
    "as_float64",
    "as_float_like",
    "require_flag",
    "require_axis",
    "require_rank",
    "require_not_empty",
    "require_batch_and_classes",
    "require_depth",
    "require_num_classes",
    "require_smoothing",
    "require_epsilon",
    "require_step",
    "require_ignore_class",
    "require_dtype",
    "require_callable",
    "require_mask",
    "require_shapes_equal",
    "refuse_kind",
    "scalar_result",
]


