"""The cheat sheet's topics: one module per table, and :data:`TOPICS`, the one list of them.

A topic module holds everything about its table, side by side:

* ``TABLE``: the :class:`~lossedu.lessons.cheat_sheet.schema.Table` (its key is the module's
  name);
* ``INTRO``: a short Markdown paragraph, shown above the table in the notebook;
* ``run(check, lib)``: the checks behind every checkable cell. ``check`` is a
  :class:`~lossedu.lessons.cheat_sheet.checks.TableCheck`, ``lib`` the libraries
  (:class:`~lossedu.lessons.cheat_sheet.libs.Libs`: TF, its TF1 names, Keras, PyTorch if
  installed). Importing the module imports none of them.

Adding a topic is adding one module here and its name to :data:`TOPICS`: the notebook, the
printable page, the coverage grid and the tests all read this list.

>>> topic("reductions").TABLE.title
'Reductions and sample weights'
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["TOPICS", "topic", "modules"]

TOPICS: tuple[str, ...] = (
    "activations",
    "softmax_ce",
    "sigmoid_ce",
    "keras_losses",
    "reductions",
    "label_smoothing",
    "ignore_class",
    "imbalance_calibration",
)
"""The topics, in the order the notebook and the printable page show them."""


def topic(key: str) -> ModuleType:
    """The module of topic ``key`` (``"activations"``, ``"reductions"``, …)."""
    if key not in TOPICS:
        raise KeyError(f"no table {key!r}; tables: " + ", ".join(TOPICS))
    return import_module(f"{__name__}.{key}")


def modules() -> tuple[ModuleType, ...]:
    """Every topic's module, in :data:`TOPICS` order."""
    return tuple(topic(key) for key in TOPICS)
