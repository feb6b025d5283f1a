"""What the softmax-temperature explorer draws: probabilities, the true-class loss, the entropy.

>>> v = softmax_view([3.0, 1.0, -3.0], temperature=1.0, true_class=0)
>>> v.probs.round(2), round(v.loss, 4)
(array([0.88, 0.12, 0.  ]), 0.1291)
>>> softmax_view([3.0, 1.0, -3.0], temperature=1e6).probs.round(3)
array([0.333, 0.333, 0.333])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import log_softmax, softmax
from lossedu.errors import LabelValueError, LossInputError
from lossedu.i18n import _

__all__ = ["SoftmaxView", "softmax_view", "temperature_sweep"]


@dataclass(frozen=True)
class SoftmaxView:
    """The softmax of ``logits / temperature`` and what follows from it (all float64).

    ``loss`` is the sparse softmax cross-entropy ``-log_probs[true_class]``, the value
    ``tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[true_class],
    logits=[logits / temperature])`` returns; it is None when no true class is given.
    ``entropy`` is in nats: 0 for a one-hot distribution, ``log(C)`` for a uniform one.
    """

    logits: np.ndarray
    temperature: float
    scaled: np.ndarray
    probs: np.ndarray
    log_probs: np.ndarray
    predicted: int
    true_class: int | None
    loss: float | None
    entropy: float
    text: str


def _require_temperature(temperature) -> float:
    t = float(temperature)
    if not (t > 0 and np.isfinite(t)):
        raise LossInputError(
            "temperature", got=repr(temperature), expected=_("a finite number > 0"),
            fix=_("T = 1 is plain softmax; T < 1 sharpens, T > 1 flattens"),
        )
    return t


def softmax_view(logits, temperature: float = 1.0,
                 true_class: int | None = None) -> SoftmaxView:
    """Softmax with temperature for one row of logits, and the loss for ``true_class``."""
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size < 2:
        raise LossInputError("logits", got=f"shape {z.shape}",
                             expected=_("one row of at least 2 logits, shape (C,)"),
                             fix=_("pass a single example, e.g. logits[0]"))
    t = _require_temperature(temperature)
    scaled = z / t
    log_probs = log_softmax(scaled)
    probs = softmax(scaled)
    loss = None
    if true_class is not None:
        if not 0 <= int(true_class) < z.size:
            raise LabelValueError("true_class", got=repr(true_class),
                                  expected=_("a class index in [0, {n})").format(n=z.size),
                                  fix=_("pick one of the classes shown"))
        true_class = int(true_class)
        loss = float(-log_probs[true_class])
    # p * log p is 0 where p underflows to 0; log_probs stays finite there.
    entropy = float(-np.sum(probs * log_probs))
    predicted = int(np.argmax(probs))
    parts = [f"T = {t:.3g}",
             _("max p = {p:.4f} (class {k})").format(p=probs[predicted], k=predicted),
             _("entropy = {entropy:.4f} nats").format(entropy=entropy)]
    if loss is not None:
        parts.append(_("loss for true class {k} = −log p = {loss:.4f}").format(k=true_class,
                                                                              loss=loss))
    return SoftmaxView(logits=z, temperature=t, scaled=scaled, probs=probs,
                       log_probs=log_probs, predicted=predicted, true_class=true_class,
                       loss=loss, entropy=entropy, text="   ".join(parts))


def temperature_sweep(logits, temperatures) -> np.ndarray:
    """``softmax(logits / T)`` for every ``T``: shape ``(len(temperatures), C)``.

    >>> temperature_sweep([1.0, 0.0], [1.0, 1e9]).round(4)
    array([[0.7311, 0.2689],
           [0.5   , 0.5   ]])
    """
    z = np.asarray(logits, dtype=np.float64)
    ts = np.array([_require_temperature(t) for t in np.ravel(temperatures)])
    return softmax(z[None, :] / ts[:, None], axis=-1)
