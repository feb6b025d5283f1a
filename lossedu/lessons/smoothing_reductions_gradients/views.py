"""What lesson 03b draws: soft and smoothed labels, the gradient ``softmax - y``, and clipping.

The label-gradient explorer shows, for one row of logits and one target row, the
probabilities, the target, the loss and two gradients: the true derivative of the loss and
the one TensorFlow's tape returns (``softmax - y``).  They differ exactly when the target
row does not sum to 1.

>>> v = label_gradient_view([1.0, 2.0, 3.0], true_class=2)
>>> round(v.loss, 8), v.grad.round(4)
(0.40760596, array([ 0.09  ,  0.2447, -0.3348]))
>>> w = label_gradient_view([1.0, 2.0, 3.0], true_class=0, label_total=2.0)
>>> w.tape_grad.round(4), w.grad.round(4)
(array([-1.91  ,  0.2447,  0.6652]), array([-1.8199,  0.4895,  1.3305]))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossedu.activations import log_softmax, softmax
from lossedu.errors import LabelValueError, LossInputError
from lossedu.i18n import _
from lossedu.labels import smooth_labels

__all__ = ["LabelGradientView", "label_gradient_view", "ClipCurve", "clip_then_log_curve"]


def _tidy(x) -> float:
    """``x`` as a float with rounding noise (and the sign of -0.0) removed, for display."""
    return float(np.round(float(x), 12)) + 0.0


@dataclass(frozen=True)
class LabelGradientView:
    """One example's target, probabilities, loss and gradients (all float64).

    * ``labels``: ``one_hot(true_class)``, smoothed by ``label_smoothing``, times
      ``label_total`` (1 keeps it a distribution);
    * ``loss``: ``-sum(labels * log_softmax(logits))``, what
      ``tf.nn.softmax_cross_entropy_with_logits`` returns for it;
    * ``grad``: the true derivative of that loss, ``softmax * sum(labels) - labels``;
    * ``tape_grad``: what ``tf.GradientTape`` returns, ``softmax - labels``.  The loss does
      not change when every logit moves by the same amount, so its true gradient always
      sums to 0; the tape's sums to ``1 - sum(labels)``;
    * ``loss_floor``: the smallest loss any logits can reach for this target (the entropy
      of the target times its total), 0 only for a one-hot target.
    """

    logits: np.ndarray
    true_class: int
    label_smoothing: float
    label_total: float
    labels: np.ndarray
    probs: np.ndarray
    loss: float
    loss_floor: float
    grad: np.ndarray
    tape_grad: np.ndarray
    tape_error: float
    is_distribution: bool
    text: str


def label_gradient_view(logits, true_class: int, label_smoothing: float = 0.0,
                        label_total: float = 1.0) -> LabelGradientView:
    """The label-gradient explorer's state for one row of logits.

    ``label_total`` scales the target row so it sums to that number: 1 is a proper
    distribution; 2 is what summing two one-hot rows (or a duplicated label) produces.
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size < 2:
        raise LossInputError("logits", got=f"shape {z.shape}",
                             expected=_("one row of at least 2 logits, shape (C,)"),
                             fix=_("pass a single example, e.g. logits[0]"))
    c = z.size
    if not 0 <= int(true_class) < c:
        raise LabelValueError("true_class", got=repr(true_class),
                              expected=_("a class index in [0, {n})").format(n=c),
                              fix=_("pick one of the classes shown"))
    total = float(label_total)
    if not total > 0:
        raise LabelValueError("label_total", got=repr(label_total),
                              expected=_("a positive number (1 for a distribution)"),
                              fix="label_total=1.0")
    t = int(true_class)
    target = smooth_labels(np.eye(c)[t], float(label_smoothing)) * total
    probs = softmax(z)
    logp = log_softmax(z)
    loss = float(-np.sum(target * logp))
    grad = probs * np.sum(target) - target
    tape_grad = probs - target
    # min over z of -sum(y log softmax(z)) = total * H(y / total), reached at softmax = y/total
    q = target / total
    with np.errstate(divide="ignore", invalid="ignore"):
        floor = _tidy(-total * np.sum(np.where(q > 0, q * np.log(q), 0.0)))
    err = float(np.max(np.abs(tape_grad - grad)))
    is_dist = bool(abs(np.sum(target) - 1.0) < 1e-12)
    parts = [_("labels sum to {total:.3g}").format(total=np.sum(target)),
             _("loss = {loss:.4f} (lowest possible {floor:.4f})").format(loss=loss, floor=floor),
             _("tape gradient sums to {total:+.4f} (true: 0)").format(
                 total=_tidy(np.sum(tape_grad)))]
    parts.append(_("tape gradient = true gradient") if err < 1e-12
                 else _("tape gradient is off by up to {err:.4f}").format(err=err))
    return LabelGradientView(logits=z, true_class=t, label_smoothing=float(label_smoothing),
                             label_total=total, labels=target, probs=probs, loss=loss,
                             loss_floor=floor, grad=grad, tape_grad=tape_grad,
                             tape_error=err, is_distribution=is_dist,
                             text="   ".join(parts))


@dataclass(frozen=True)
class ClipCurve:
    """The PoorMemory post's clip-then-log loss against the stable one, as the model grows wrong.

    Logits ``[gap, 0, ..., 0]`` with the true class last: the model puts its mass on class
    0, and the bigger ``gap`` the more wrong it is.  Values are computed in float32, as in
    TensorFlow.

    * ``stable_loss``: ``softmax_cross_entropy_with_logits``, which grows like ``gap``;
    * ``clipped_loss``: ``-log(clip(softmax, clip, 1))[true]``, capped at ``-log(clip)``;
    * ``stable_grad`` and ``clipped_grad``: the derivative with respect to the true class's
      logit.  The stable one tends to -1 (push that logit up!); the clipped one is exactly 0
      once the clip is active: the model gets no signal to fix its worst mistakes.
    """

    gaps: np.ndarray
    clip: float
    cap: float
    stable_loss: np.ndarray
    clipped_loss: np.ndarray
    stable_grad: np.ndarray
    clipped_grad: np.ndarray
    first_capped_gap: float | None


def clip_then_log_curve(gaps, clip: float = 1e-10, num_classes: int = 3) -> ClipCurve:
    """Compute :class:`ClipCurve` for each gap (float32, like the PoorMemory post's TF code).

    >>> c = clip_then_log_curve([1.0, 30.0])
    >>> c.stable_loss.round(3), c.clipped_loss.round(3)
    (array([ 1.551, 30.   ], dtype=float32), array([ 1.551, 23.026], dtype=float32))
    >>> c.clipped_grad.round(3)
    array([-0.788,  0.   ], dtype=float32)
    """
    g = np.asarray(gaps, dtype=np.float32).ravel()
    if num_classes < 2:
        raise LossInputError("num_classes", got=repr(num_classes), expected=_("at least 2"),
                             fix=_("num_classes=3, as in the PoorMemory post"))
    z = np.zeros((g.size, num_classes), np.float32)
    z[:, 0] = g
    probs = softmax(z)
    logp = log_softmax(z)
    p_true = probs[:, -1]
    lo = np.float32(clip)
    stable = -logp[:, -1]
    clipped = -np.log(np.clip(p_true, lo, np.float32(1.0)))
    # d(-log p_true)/d z_true = p_true - 1 on both paths, unless the clip is active.
    stable_grad = p_true - np.float32(1.0)
    active = p_true < lo
    clipped_grad = np.where(active, np.float32(0.0), stable_grad).astype(np.float32)
    first = float(g[active][0]) if active.any() else None
    return ClipCurve(gaps=g, clip=float(clip), cap=float(-np.log(np.float64(clip))),
                     stable_loss=stable.astype(np.float32), clipped_loss=clipped,
                     stable_grad=stable_grad, clipped_grad=clipped_grad,
                     first_capped_gap=first)
