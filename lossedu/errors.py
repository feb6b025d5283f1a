"""Errors that teach: every message names the argument, what arrived, what was expected, the fix.

>>> from lossedu.errors import LabelValueError
>>> issubclass(LabelValueError, ValueError)
True
"""

from __future__ import annotations

from lossedu.i18n import _

__all__ = [
    "LossInputError",
    "LabelShapeError",
    "LabelValueError",
    "LabelDtypeError",
    "ShapeMismatchError",
    "ProbabilitiesNotLogitsError",
    "ReductionError",
    "EmptyBatchError",
    "InputDtypeError",
    "RaggedInputError",
    "RankError",
    "AxisArgumentError",
    "ClassCountError",
    "ParameterError",
    "DataError",
    "DataNotFoundError",
    "DataCorruptError",
]


class LossInputError(ValueError):
    """Base class for bad input to a lossedu function.

    It is a ``ValueError``, so ``except ValueError`` keeps working.  The message has four
    parts, each on its own line: what is wrong with which argument, what was received,
    what was expected, and the likely fix.

    >>> err = LossInputError("labels", got="shape (4, 1)", expected="shape (4,)",
    ...                      fix="labels.squeeze(-1)")
    >>> print(err)
    Bad `labels`: got shape (4, 1).
      expected: shape (4,)
      fix: labels.squeeze(-1)
    """

    def __init__(self, argument: str, got: str, expected: str, fix: str, problem: str = ""):
        self.argument = argument
        self.got = got
        self.expected = expected
        self.fix = fix
        if problem:
            head = _("Bad `{argument}`: {problem} got {got}.").format(
                argument=argument, problem=problem, got=got)
        else:
            head = _("Bad `{argument}`: got {got}.").format(argument=argument, got=got)
        super().__init__(_("{head}\n  expected: {expected}\n  fix: {fix}").format(
            head=head, expected=expected, fix=fix))


class InputDtypeError(LossInputError):
    """An array of something lossedu cannot compute with: strings, objects, complex, None."""


class LabelShapeError(LossInputError):
    """Labels whose shape does not fit the loss (for example (B, 1) where (B,) is needed)."""


class LabelValueError(LossInputError):
    """Label values outside what the loss accepts (out of [0, C), NaN, not a distribution)."""


class LabelDtypeError(InputDtypeError):
    """Labels of the wrong kind, for example floats where class indices are needed."""


class ShapeMismatchError(LossInputError):
    """Two arrays whose shapes must agree but do not."""


class ProbabilitiesNotLogitsError(LossInputError):
    """Probabilities passed where logits are expected (or the reverse)."""


class ReductionError(LossInputError):
    """An unknown reduction name."""


class EmptyBatchError(LossInputError):
    """An input with no examples in it."""


class RaggedInputError(LossInputError):
    """Nested lists whose rows differ in length: they do not make an array."""


class RankError(LossInputError):
    """An array with too few axes, for example a scalar where a class axis is needed."""


class AxisArgumentError(LossInputError):
    """An ``axis`` that is not a whole number, or names an axis the array does not have."""


class ClassCountError(LossInputError):
    """A class axis with no classes, or with one where the loss needs at least two."""


class ParameterError(LossInputError):
    """An option of the wrong type or outside its range: a flag, a step, an epsilon, a dtype."""


class DataError(ValueError):
    """A problem with the Fashion-MNIST files."""


class DataNotFoundError(DataError, FileNotFoundError):
    """The dataset is not in any of the places lossedu looks, and could not be downloaded."""


class DataCorruptError(DataError):
    """A dataset file exists but is truncated or its content does not match the checksum."""
