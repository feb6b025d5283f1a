"""How the argument checks show a value in a message: the value and its kind, briefly."""

from __future__ import annotations

import numbers

import numpy as np

from lossedu.i18n import _

# ============================================================================ describing values


def show(value) -> str:
    """A short description of a received value, for the ``got`` part of a message."""
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape} and dtype {dtype}").format(shape=value.shape,
                                                                        dtype=value.dtype)
    if isinstance(value, (bool, np.bool_)):
        return _("{value} (a bool)").format(value=repr(value))
    if isinstance(value, str):
        return _("{value} (a str)").format(value=repr(value))
    if isinstance(value, (list, tuple)):
        text = repr(value)
        return _("{value} (a {kind})").format(
            value=text if len(text) <= 40 else text[:37] + "...", kind=type(value).__name__)
    if value is None:
        return "None"
    return repr(value.item() if isinstance(value, np.generic) else value)


def values_from(low, high) -> str:
    """The ``got`` of values out of range: ``values from -1.0 to 3.0`` (their reprs)."""
    return _("values from {low} to {high}").format(low=repr(low), high=repr(high))


def _is_int(value) -> bool:
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def _number_in(text) -> str | None:
    """``text`` as a number literal if a string holds one (for a "write 1, not '1'" fix)."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return repr(int(number)) if number.is_integer() else repr(number)


