"""How the argument checks show a value in a message: the value and its kind, briefly."""

from __future__ import annotations

import numbers

import numpy as np

# ============================================================================ describing values


def show(value) -> str:
    """A short description of a received value, for the ``got`` part of a message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (bool, np.bool_)):
        return f"{value!r} (a bool)"
    if isinstance(value, str):
        return f"{value!r} (a str)"
    if isinstance(value, (list, tuple)):
        text = repr(value)
        return f"{text if len(text) <= 40 else text[:37] + '...'} (a {type(value).__name__})"
    if value is None:
        return "None"
    return repr(value.item() if isinstance(value, np.generic) else value)


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


