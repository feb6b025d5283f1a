"""Converting the caller's array arguments: dtypes, ragged lists, scalars, non-numbers.

See :mod:`lossedu.arguments` for the rules.
"""

from __future__ import annotations

import numpy as np

from lossedu.describe import _is_real, _number_in, show
from lossedu.errors import (
    InputDtypeError,
    LabelDtypeError,
    ParameterError,
    RaggedInputError,
)
from lossedu.i18n import _

# ============================================================================ arrays


def _ragged_detail(x) -> str:
    """Where a nested list stops being rectangular: the first two rows that differ."""
    def walk(obj, path):
        if not isinstance(obj, (list, tuple)):
            return None
        lengths = [len(o) if isinstance(o, (list, tuple, np.ndarray)) else None for o in obj]
        kinds = {n is None for n in lengths}
        if len(kinds) > 1:
            i = next(k for k, n in enumerate(lengths) if n is None)
            return _("{path}[{i}] is a number where its neighbours are lists").format(
                path=path, i=i)
        if lengths and lengths[0] is not None and len(set(lengths)) > 1:
            i = next(k for k, n in enumerate(lengths) if n != lengths[0])
            return _("{path}[{i}] has {n} entries where {path}[0] has {first}").format(
                path=path, i=i, n=lengths[i], first=lengths[0])
        for k, o in enumerate(obj):
            found = walk(o, f"{path}[{k}]")
            if found:
                return found
        return None

    return walk(x, "row") or _("rows of different lengths")


def compute_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype to compute in: float16 is computed in float32 (as TF's CPU kernels do)."""
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def as_array(x, name: str) -> np.ndarray:
    """``np.asarray(x)``, with ragged lists and None refused by a teaching error."""
    if x is None:
        raise InputDtypeError(
            name, got="None", expected=_("an array of numbers"),
            fix=_("pass the array itself (did the code that made `{name}` return None?)").format(
                name=name))
    if isinstance(x, np.ndarray):
        return x
    try:
        return np.asarray(x)  # NumPy >= 1.24 raises ValueError for ragged lists
    except (ValueError, TypeError):
        detail = _ragged_detail(x) if isinstance(x, (list, tuple)) else _("not an array")
        raise RaggedInputError(
            name, got=_("nested lists that are not rectangular: {detail}").format(detail=detail),
            expected=_("an array: every row with the same number of entries"),
            fix=_("pad or trim the rows to one length (or pass one example at a time)"),
            problem=_("this is not an array;")) from None


def refuse_kind(arr: np.ndarray, name: str, cls=InputDtypeError, what: str | None = None,
                labels: bool = False, cast: str = "np.float32"):
    """Raise ``cls`` for an array of strings, objects or complex numbers, with the right fix.

    ``what`` is what was expected (default: numbers); ``labels=True`` suggests encoding class
    names; ``cast`` is the dtype the fix converts to.
    """
    if what is None:
        what = _("numbers")
    kind = arr.dtype.kind
    if kind in "US":
        sample = arr.ravel()[0].item() if arr.size else ""
        if _number_in(sample):
            fix = _("np.asarray({name}).astype({cast}): the strings hold numbers").format(
                name=name, cast=cast)
        elif labels:
            fix = _("class names are not numbers: encode them first, e.g. "
                    "names, codes = np.unique({name}, return_inverse=True)").format(name=name)
        else:
            fix = _("pass the model's scores: `{name}` holds text, not numbers").format(name=name)
        raise cls(name, got=_("strings (dtype {dtype}), e.g. {sample}").format(
                      dtype=arr.dtype, sample=repr(sample)), expected=what, fix=fix)
    if kind == "c":
        raise cls(name, got=_("complex numbers (dtype {dtype})").format(dtype=arr.dtype),
                  expected=_("real {what}").format(what=what),
                  fix=_("np.real({name}) if the imaginary parts are meant to be 0").format(
                      name=name))
    if kind == "O":
        bad = next((v for v in arr.ravel() if not _is_real(v)), None)
        detail = (_(", e.g. {value}").format(value=show(bad))
                  if bad is not None or arr.size else "")
        raise cls(name, got=_("an array of Python objects (dtype object){detail}").format(
                      detail=detail),
                  expected=what,
                  fix=_("np.asarray({name}, dtype={cast}) once every entry is a number").format(
                      name=name, cast=cast))
    raise cls(name, got=f"dtype {arr.dtype}", expected=what,
              fix=f"np.asarray({name}, dtype={cast})")


def as_float(x, name: str = "x") -> np.ndarray:
    """``x`` as a float array, with the dtype TensorFlow would compute it in.

    NumPy float arrays keep their dtype; Python numbers and lists become float32 (as
    ``tf.convert_to_tensor`` makes them), and so do integer and boolean arrays (as Keras's
    loss objects cast them).

    >>> as_float([1.5, 2]).dtype, as_float(np.zeros(2, np.float64)).dtype
    (dtype('float32'), dtype('float64'))
    """
    arr = as_array(x, name)
    if arr.dtype.kind == "f":
        if not isinstance(x, (np.ndarray, np.generic)) and arr.dtype == np.float64:
            big = np.isfinite(arr) & (np.abs(arr) > np.finfo(np.float32).max)
            if big.any():
                raise InputDtypeError(
                    name, got=_("the number {value}, beyond float32's range (3.4e38), in a "
                                "Python list").format(value=repr(arr[big].ravel()[0].item())),
                    expected=_("numbers a float32 can hold (Python lists become float32, as "
                               "in TensorFlow, which refuses this list too)"),
                    fix=_("np.asarray({name}, dtype=np.float64) to compute in float64").format(
                        name=name))
            return arr.astype(np.float32)
        return arr
    if arr.dtype.kind in "iub":
        return arr.astype(np.float32)
    refuse_kind(arr, name, what=_("numbers (a float array)"))


def as_float64(x, name: str) -> np.ndarray:
    """``x`` as a new float64 array (any real numbers; lists are not rounded to float32)."""
    arr = as_array(x, name)
    if arr.dtype.kind not in "fiub":
        refuse_kind(arr, name, what=_("real numbers"))
    return np.array(arr, dtype=np.float64)


def as_float_like(y, like: np.ndarray, name: str) -> np.ndarray:
    """Labels or targets ``y`` as numbers in ``like``'s dtype (TF and Keras cast them so)."""
    arr = as_array(y, name)
    if arr.dtype.kind not in "fiub":
        refuse_kind(arr, name, cls=LabelDtypeError, what=_("numbers: 0/1 or probabilities"),
                    labels=True)
    return arr.astype(like.dtype, copy=False)


def scalar_result(value, name: str = "f") -> float:
    """The number a callable returned, refused unless it is one real number."""
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        arr = np.asarray(None, dtype=object)
    if arr.size != 1 or arr.dtype.kind not in "fiub":
        what = (_("an array of shape {shape}").format(shape=arr.shape)
                if arr.dtype.kind in "fiubc" else show(value))
        raise ParameterError(
            name, got=_("a function that returned {what}").format(what=what),
            expected=_("a function returning one number (the scalar loss)"),
            fix=_("return the total, e.g. lambda v: float(loss(v).sum()); or sum `{name}`'s "
                  "result yourself").format(name=name))
    return float(arr.reshape(()))


