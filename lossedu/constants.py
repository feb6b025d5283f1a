"""Values several parts of lossedu share: one definition each.

>>> from lossedu.constants import EPSILON, LOSS_CLASS_NAMES
>>> EPSILON, LOSS_CLASS_NAMES["sparse"]
(1e-07, 'SparseCategoricalCrossentropy')
"""

from __future__ import annotations

from lossedu.i18n import N_

__all__ = ["EPSILON", "CLASS_NAMES", "LOSS_CLASS_NAMES", "LOSS_KINDS"]

EPSILON = 1e-7
"""``keras.backend.epsilon()``: Keras clips probabilities to ``[EPSILON, 1 - EPSILON]``."""

CLASS_NAMES = (
    N_("T-shirt/top"),
    N_("Trouser"),
    N_("Pullover"),
    N_("Dress"),
    N_("Coat"),
    N_("Sandal"),
    N_("Shirt"),
    N_("Sneaker"),
    N_("Bag"),
    N_("Ankle boot"),
)
"""The ten Fashion-MNIST classes, by label id (in English; marked with ``N_()``, so a figure
shows ``figure_text(name)``)."""

LOSS_CLASS_NAMES = {
    "sparse": "SparseCategoricalCrossentropy",
    "categorical": "CategoricalCrossentropy",
    "binary": "BinaryCrossentropy",
}
"""Loss family -> the ``keras.losses`` class that computes it: "sparse" takes integer class
ids, "categorical" one-hot (or soft) rows, "binary" one 0/1 column per output unit."""

LOSS_KINDS = tuple(LOSS_CLASS_NAMES)
"""The loss families, in the order the lessons introduce them."""
