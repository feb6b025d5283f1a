"""The libraries the cheat sheet's checks call, imported only when a check runs.

:func:`libraries` imports TensorFlow, Keras and (when asked) PyTorch, and hands them to each
topic's ``run(check, lib)`` as one :class:`Libs`.
"""

from __future__ import annotations

import importlib.util
import inspect
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Libs", "libraries", "params", "torch_available"]


def torch_available() -> bool:
    """True when PyTorch can be imported here (it is never required)."""
    return importlib.util.find_spec("torch") is not None


def params(fn, n: int = 2) -> list[str]:
    """The names of a function's first ``n`` parameters.

    >>> params(lambda labels, logits, axis=-1: None)
    ['labels', 'logits']
    """
    return list(inspect.signature(fn).parameters)[:n]


@dataclass(frozen=True)
class Libs:
    """TensorFlow (``tf``), its TF1 names (``v1 = tf.compat.v1``), Keras, and PyTorch's
    ``torch``, ``F`` (``torch.nn.functional``) and ``nn``, which are None without PyTorch."""

    tf: Any
    v1: Any
    keras: Any
    torch: Any = None
    F: Any = None
    nn: Any = None

    def T(self, a):
        """A NumPy array as a torch tensor: floats keep their dtype, integers become int64."""
        a = np.asarray(a)
        return self.torch.as_tensor(a.astype(np.int64) if a.dtype.kind in "iu" else a)


def libraries(torch: bool) -> Libs:
    """Import TensorFlow and Keras (and PyTorch when ``torch`` is true)."""
    import keras
    import tensorflow as tf

    if not torch:
        return Libs(tf, tf.compat.v1, keras)
    import torch as torch_module
    import torch.nn.functional as functional
    from torch import nn

    return Libs(tf, tf.compat.v1, keras, torch_module, functional, nn)
