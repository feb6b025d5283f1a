"""What the p ↔ logit explorer draws: a probability, its odds and its log-odds, from either end.

>>> v = logit_view(p=0.75)
>>> round(v.logit, 6), v.odds_text
(1.098612, '3 : 1')
>>> logit_view(logit=0.0).p
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lossedu.activations import logit as _logit
from lossedu.activations import sigmoid as _sigmoid
from lossedu.errors import LossInputError
from lossedu.i18n import _

__all__ = ["Z_RANGE", "LogitView", "logit_view", "sigmoid_curve", "odds_text"]

Z_RANGE = (-7.0, 7.0)
"""The logit axis the explorer draws: sigmoid(7) is about 0.999."""


@dataclass(frozen=True)
class LogitView:
    """One point on the sigmoid curve, with everything the explorer shows about it.

    ``p`` and ``q = 1 - p`` are the two bar heights, ``(logit, p)`` is the moving point,
    ``guide_x``/``guide_y`` the dashed path from the logit axis up to the curve and across
    to the probability axis (the logit clipped to :data:`Z_RANGE` so it stays on screen).
    """

    p: float
    q: float
    odds: float
    logit: float
    odds_text: str
    guide_x: tuple[float, float, float]
    guide_y: tuple[float, float, float]
    text: str


def odds_text(odds: float) -> str:
    """Odds as "a : b" with the larger side first reduced to 1: 3 → "3 : 1", 1/3 → "1 : 3".

    >>> odds_text(3.0), odds_text(0.25), odds_text(1.0)
    ('3 : 1', '1 : 4', '1 : 1')
    """
    if math.isnan(odds):
        return _("undefined")
    if odds == 0:
        return "0 : 1"
    if math.isinf(odds):
        return "1 : 0"
    if odds >= 1:
        return f"{odds:.3g} : 1"
    return f"1 : {1 / odds:.3g}"


def logit_view(p: float | None = None, *, logit: float | None = None) -> LogitView:
    """Everything about one probability: give exactly one of ``p`` or ``logit``.

    Computed in float64.  From ``logit`` the odds are ``exp(logit)`` and ``1 - p`` is
    ``sigmoid(-logit)``, so neither loses precision far out on the curve.
    """
    if (p is None) == (logit is None):
        raise LossInputError("p", got=_("both or neither of p and logit"),
                             expected=_("exactly one of them"), fix="logit_view(p=0.75)")
    if p is not None:
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise LossInputError("p", got=repr(p), expected=_("a probability in [0, 1]"),
                                 fix=_("pass logit=... for a log-odds value"))
        z = float(_logit(np.float64(p)))
        q = 1.0 - p
    else:
        z = float(logit)
        if math.isnan(z):
            raise LossInputError("logit", got="nan", expected=_("a real number or +-inf"),
                                 fix=_("check what produced it"))
        p = float(_sigmoid(np.float64(z)))
        q = float(_sigmoid(np.float64(-z)))
    with np.errstate(over="ignore"):
        odds = float(np.exp(np.float64(z)))
    lo, hi = Z_RANGE
    zc = min(max(z, lo), hi)
    text = _("p = {p:.4f}   1 − p = {q:.4f}   odds p/(1 − p) = {odds:.4g} ({odds_text})"
             "   logit = log odds = {logit:.4f}").format(p=p, q=q, odds=odds,
                                                       odds_text=odds_text(odds), logit=z)
    return LogitView(p=p, q=q, odds=odds, logit=z, odds_text=odds_text(odds),
                     guide_x=(lo, zc, zc), guide_y=(p, p, 0.0), text=text)


def sigmoid_curve(z_range: tuple[float, float] = Z_RANGE,
                  n: int = 281) -> tuple[np.ndarray, np.ndarray]:
    """``(z, sigmoid(z))`` on ``n`` evenly spaced points: the curve the explorer draws."""
    z = np.linspace(z_range[0], z_range[1], n)
    return z, _sigmoid(z)
