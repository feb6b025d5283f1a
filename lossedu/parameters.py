"""Checking the caller's option arguments: axes, flags, depths, steps, epsilons, masks.

See :mod:`lossedu.arguments` for the rules.
"""

from __future__ import annotations

import numpy as np

from lossedu.arrays import as_array, refuse_kind
from lossedu.describe import _is_int, _is_real, _number_in, show
from lossedu.errors import (
    AxisArgumentError,
    ClassCountError,
    EmptyBatchError,
    InputDtypeError,
    LabelValueError,
    ParameterError,
    RankError,
    ShapeMismatchError,
)
from lossedu.i18n import _

# ============================================================================ options


def _not_a_string(name: str, number: str) -> str:
    """The fix for a number given as a string: ``name=1e-6 (a number, not a string)``."""
    return _("{name}={number} (a number, not a string)").format(name=name, number=number)


def require_flag(value, name: str) -> bool:
    """``value`` as a bool; anything but True/False (including None and "no") is refused."""
    if value is True or value is False:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, str):
        meant = {"true": True, "yes": True, "1": True, "false": False, "no": False,
                 "0": False}.get(value.strip().lower())
        note = (_(" (a non-empty string is truthy: {value} would have meant True)").format(
                    value=repr(value)) if meant is False else "")
        fix = f"{name}={meant if meant is not None else False}{note}"
    elif value is None:
        fix = _("{name}=False (None is not a flag; leave the argument out for the "
                "default)").format(name=name)
    else:
        fix = _("{name}={flag} (a bool, not {kind})").format(name=name, flag=bool(value),
                                                             kind=type(value).__name__)
    raise ParameterError(name, got=show(value), expected=_("True or False"), fix=fix)


def require_rank(x: np.ndarray, name: str, min_rank: int = 1, needs: str | None = None,
                 fix: str | None = None) -> None:
    """Raise :class:`RankError` when ``x`` has fewer than ``min_rank`` axes.

    ``needs`` says what the axes are for (default: a class axis).
    """
    if x.ndim >= min_rank:
        return
    got = _("a scalar") if x.ndim == 0 else _("shape {shape}").format(shape=x.shape)
    if fix is None:
        fix = _("pass one score per class: shape (C,) for one example, (B, C) for a batch")
    if needs is None:
        needs = _("a class axis")
    if min_rank == 1:
        expected = _("an array with {needs} (at least {min_rank} axis)")
    else:
        expected = _("an array with {needs} (at least {min_rank} axes)")
    raise RankError(name, got=got, expected=expected.format(needs=needs, min_rank=min_rank),
                    fix=fix)


def _axis_fix(axis, name: str, array_name: str) -> str:
    """The fix for an ``axis`` that is not an int: the int it most likely meant."""
    if isinstance(axis, (bool, np.bool_)):
        return _("{name}={axis} if you meant axis {axis} (True and False are not "
                 "axes)").format(name=name, axis=int(axis))
    if isinstance(axis, str):
        number = _number_in(axis)
        return (_("{name}={number} (an int, not a string)").format(name=name, number=number)
                if number else f"{name}=-1")
    if _is_real(axis) and float(axis).is_integer():
        return f"{name}={int(axis)}"
    if isinstance(axis, (tuple, list)):
        return _("one axis, e.g. {name}=-1; to normalise over several axes, reshape "
                 "{array_name} so they become one").format(name=name, array_name=array_name)
    return _("{name}=-1 for the last axis").format(name=name)


def require_axis(axis, x: np.ndarray, name: str = "axis", array_name: str = "logits", *,
                 none_means: int | None = -1, allow_none: bool = True,
                 allow_tuple: bool = False, range_check: bool = True):
    """``axis`` as the int the caller gave, checked to be in ``[-x.ndim, x.ndim)`` (or a tuple
    of them, made non-negative, or None where allowed).

    ``none_means=-1`` maps ``axis=None`` to the last axis, as ``tf.nn.softmax`` does;
    ``none_means=None`` keeps None (all axes, as ``tf.reduce_logsumexp`` reads it).
    """
    if type(axis) is int and range_check and -x.ndim <= axis < x.ndim:  # the common case
        return axis
    if axis is None:
        if not allow_none:
            raise AxisArgumentError(
                name, got="None", expected=_("an int: the class axis"),
                fix=_("{name}=-1 for the last axis (Keras gives axis=None a different meaning "
                      "on each path, so lossedu asks for the axis)").format(name=name))
        if none_means is None:
            return None
        axis = none_means
    if allow_tuple and isinstance(axis, (tuple, list)):
        axes = tuple(require_axis(a, x, name, array_name, none_means=none_means,
                                  allow_none=False, range_check=range_check) % max(x.ndim, 1)
                     for a in axis)
        if len(set(axes)) != len(axes):
            twice = next(a for a in axes if axes.count(a) > 1)
            raise AxisArgumentError(
                name, got=_("{axis}, which names axis {twice} twice").format(axis=repr(axis),
                                                                             twice=twice),
                expected=_("each axis at most once"),
                fix=f"{name}={tuple(dict.fromkeys(axes))!r}")
        return axes
    if not _is_int(axis):
        raise AxisArgumentError(name, got=show(axis), expected=_("an int (an axis index)"),
                                fix=_axis_fix(axis, name, array_name))
    if not range_check:
        return int(axis)
    if x.ndim == 0:
        raise AxisArgumentError(
            name, got=_("axis {axis} for a scalar `{array_name}`").format(
                axis=axis, array_name=array_name),
            expected=_("a scalar has no axes"),
            fix=_("{name}=None, or give `{array_name}` an axis").format(name=name,
                                                                          array_name=array_name))
    if not -x.ndim <= axis < x.ndim:
        raise AxisArgumentError(
            name, got=_("axis {axis} for `{array_name}` of shape {shape} ({ndim} axes)").format(
                axis=axis, array_name=array_name, shape=x.shape, ndim=x.ndim),
            expected=_("an int in [{low}, {ndim})").format(low=-x.ndim, ndim=x.ndim),
            fix=_("{name}=-1 for the last axis (the classes)").format(name=name))
    return int(axis)


def require_not_empty(x: np.ndarray, name: str) -> None:
    """Raise :class:`EmptyBatchError` when ``x`` holds no elements."""
    if x.size == 0:
        raise EmptyBatchError(
            name,
            got=_("an empty array of shape {shape}").format(shape=x.shape),
            expected=_("at least one example"),
            fix=_("check the batch slicing or the data pipeline that produced it"),
        )


def require_batch_and_classes(x: np.ndarray, name: str, axis: int = -1,
                              min_classes: int = 1, why: str = "") -> bool:
    """Refuse an empty batch; return True when the class axis is empty but allowed.

    The batch is every axis but ``axis``.  A class axis of length 0 raises
    :class:`ClassCountError` when ``min_classes > 0``; with ``min_classes=0`` the caller gets
    True and returns TensorFlow's answer for no classes.
    """
    c = x.shape[axis]
    if x.size == 0 and (c != 0 or 0 in x.shape[:axis % x.ndim] + x.shape[axis % x.ndim + 1:]):
        require_not_empty(x, name)
    if c >= min_classes:
        return c == 0
    ax = axis % x.ndim - x.ndim
    got = (_("shape {shape}: {c} entry along the class axis (axis {ax})") if c == 1 else
           _("shape {shape}: {c} entries along the class axis (axis {ax})"))
    if why:
        expected = (_("at least {n} classes: {why}") if min_classes > 1 else
                    _("at least {n} class: {why}"))
    else:
        expected = _("at least {n} classes") if min_classes > 1 else _("at least {n} class")
    raise ClassCountError(
        name, got=got.format(shape=x.shape, c=c, ax=ax),
        expected=expected.format(n=min_classes, why=why),
        fix=_("give the model one output unit per class (check the last layer's size)"))


def require_depth(depth, name: str = "depth") -> int:
    """A number of classes: a whole number >= 1 (not a bool, not a float)."""
    if _is_int(depth) and depth >= 1:
        return int(depth)
    if isinstance(depth, (bool, np.bool_)):
        fix = _("{name}=2 for two classes ({value} is a bool)").format(name=name,
                                                                       value=repr(depth))
    elif isinstance(depth, str) and _number_in(depth):
        fix = _not_a_string(name, _number_in(depth))
    elif _is_real(depth) and depth >= 1 and float(depth).is_integer():
        fix = f"{name}={int(depth)}"
    else:
        fix = _("{name}=C, the number of classes (the model's output units, at least "
                "1)").format(name=name)
    raise LabelValueError(name, got=show(depth), expected=_("a positive whole number of classes"),
                          fix=fix)


def require_num_classes(num_classes, labels: np.ndarray, name: str = "num_classes",
                        labels_name: str = "labels") -> int:
    """``num_classes``, or the length of the labels' last axis when it is None."""
    if num_classes is not None:
        return require_depth(num_classes, name)
    require_rank(labels, labels_name, 1, needs=_("a class axis"),
                 fix=_("pass {name}=C, the number of classes, for a scalar label").format(
                     name=name))
    c = labels.shape[-1]
    if c == 0:
        raise ClassCountError(
            labels_name, got=_("shape {shape}: no classes along the last axis").format(
                shape=labels.shape),
            expected=_("at least one class"),
            fix=_("pass {name}=C, the number of classes").format(name=name))
    return c


def require_smoothing(value, name: str = "label_smoothing") -> float:
    """A label smoothing in [0, 1]."""
    if _is_real(value) and 0.0 <= value <= 1.0:
        return float(value)
    if isinstance(value, str) and _number_in(value):
        fix = _not_a_string(name, _number_in(value))
    elif _is_real(value) and value > 1:
        fix = _("{name}=0.1: above 1 the true class gets a smaller target than the others "
                "(typical values are 0.05 to 0.2)").format(name=name)
    else:
        fix = _("typical values are 0.05 to 0.2")
    raise LabelValueError(name, got=show(value), expected=_("a number in [0, 1]"), fix=fix)


def require_epsilon(eps, name: str = "eps", upper: float = 0.5) -> float | None:
    """None, or a clipping epsilon in ``[0, upper)``: clip to ``[eps, 1 - eps]`` keeps room."""
    if eps is None:
        return None
    if _is_real(eps) and 0.0 <= eps < upper:
        return float(eps)
    if isinstance(eps, str) and _number_in(eps):
        fix = _not_a_string(name, _number_in(eps))
    elif _is_real(eps) and eps >= upper:
        fix = _("{name}=1e-7 (Keras's epsilon): with eps >= {upper}, [eps, 1 - eps] is "
                "empty or one point and every p clips to the same value").format(name=name,
                                                                                upper=upper)
    else:
        fix = _("{name}=1e-7 (Keras's epsilon), or {name}=None for no clipping").format(
            name=name)
    raise ParameterError(name, got=show(eps),
                         expected=_("None or a number in [0, {upper})").format(upper=upper),
                         fix=fix)


def require_step(h, x: np.ndarray, name: str = "h") -> float:
    """A finite-difference step: positive, finite, and not lost in the rounding of ``x``."""
    if not (_is_real(h) and 0 < h < float("inf")):
        if isinstance(h, str) and _number_in(h):
            fix = _not_a_string(name, _number_in(h))
        else:
            fix = _("{name}=1e-6 (the default; central differences divide by 2 * "
                    "{name})").format(name=name)
        raise ParameterError(name, got=show(h), expected=_("a positive finite step, e.g. 1e-6"),
                             fix=fix)
    finite = x[np.isfinite(x)]
    with np.errstate(over="ignore"):
        up, down = finite + h, finite - h
    if np.any(~np.isfinite(up) | ~np.isfinite(down)):
        raise ParameterError(
            name, got=_("{h}, which overflows x + h at |x| = {big:.3g}").format(
                h=repr(h), big=np.max(np.abs(finite))),
            expected=_("x + h and x - h finite"), fix=f"{name}=1e-6 * max(1, |x|)")
    if finite.size and np.any((up == finite) | (down == finite)):
        big = float(np.max(np.abs(finite)))
        raise ParameterError(
            name, got=_("{h}, which is lost in rounding: x + h == x at |x| = {big:.3g}").format(
                h=repr(h), big=big),
            expected=_("a step that changes every entry of x"),
            fix=_("{name}={step:.1g} (about 1e-6 * max(1, |x|))").format(
                name=name, step=1e-6 * max(1.0, big)))
    return float(h)


def require_ignore_class(value, name: str = "ignore_class") -> int | None:
    """None, or the whole-number label to leave out (any int: -1 and 255 are common)."""
    if value is None or _is_int(value):
        return value if value is None else int(value)
    if _is_real(value) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and _number_in(value):
        fix = _not_a_string(name, _number_in(value))
    else:
        fix = _("{name}=-1 (or the label value your data uses for 'no class', e.g. "
                "255)").format(name=name)
    raise ParameterError(name, got=show(value),
                         expected=_("None or a whole-number label value"), fix=fix)


def require_dtype(dtype, name: str = "dtype") -> np.dtype:
    """A numeric NumPy dtype (bool, integer, float or complex)."""
    try:
        dt = np.dtype(dtype) if dtype is not None else None
    except TypeError:
        dt = None
    if dt is not None and dt.kind in "biufc":
        return dt
    raise ParameterError(name, got=show(dtype), expected=_("a numeric dtype such as np.float32"),
                         fix=_("{name}=np.float32 (the default)").format(name=name))


def require_callable(f, name: str = "f") -> None:
    if callable(f):
        return
    raise ParameterError(name, got=show(f), expected=_("a function of one array"),
                         fix=_("pass the function itself, e.g. {name}=lambda v: "
                               "loss(v).sum()").format(name=name))


def require_mask(mask, name: str = "mask") -> np.ndarray:
    """A boolean mask (True = keep): bools, or numbers that are all 0 or 1."""
    arr = as_array(mask, name)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind in "iuf":
        with np.errstate(invalid="ignore"):
            binary = (arr == 0) | (arr == 1)
        if np.all(binary):
            return arr.astype(bool)
        bad = arr[~binary].ravel()[0].item()
        raise ParameterError(
            name, got=_("the value {value} (a mask holds True/False or 0/1)").format(
                value=repr(bad)),
            expected=_("a boolean mask: True where a value counts"),
            fix=_("{name}=weights > 0, and pass the weights themselves as "
                  "sample_weight").format(name=name))
    refuse_kind(arr, name, cls=InputDtypeError, what=_("a boolean mask"))


def require_shapes_equal(a: np.ndarray, b: np.ndarray, a_name: str, b_name: str,
                         why: str, fix: str) -> None:
    if a.shape != b.shape:
        raise ShapeMismatchError(
            a_name, got=_("shape {shape} against {other} of shape {other_shape}").format(
                shape=a.shape, other=b_name, other_shape=b.shape),
            expected=_("the same shape: {why}").format(why=why), fix=fix,
            problem=_("the shapes differ;"))
