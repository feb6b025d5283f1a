"""The inputs every table's checks use: the Stack Overflow question's logits and labels.

The question (a translated question on ``softmax_cross_entropy_with_logits_v2``; see
:mod:`lossedu.sources`) gives two examples over three classes, and publishes their softmax
cross-entropy, :data:`QUESTION_CE`.

>>> Z.shape, Y.shape, K.tolist()
((2, 3), (2, 3), [1, 2])
"""

from __future__ import annotations

import numpy as np

from lossedu.activations import softmax

__all__ = ["Z", "Y", "K", "P", "QUESTION_CE", "Z3", "K3", "W"]

Z = np.array([[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]], np.float32)
"""Logits, (B, C) = (2, 3)."""
Y = np.array([[0, 1, 0], [0, 0, 1]], np.float32)
"""One-hot labels."""
K = np.array([1, 2])
"""The same labels as class indices (sparse labels)."""
P = softmax(Z)
"""The softmax probabilities of :data:`Z`."""
QUESTION_CE = [0.4790107, 1.19967598]
"""The question's softmax cross-entropy per example."""

Z3 = np.vstack([Z, [[0.0, 1.0, -1.0]]]).astype(np.float32)
"""Three examples: the question's two and ``[0, 1, -1]`` (reductions, ignored classes)."""
K3 = np.array([1, 2, 0])
"""Sparse labels for :data:`Z3`."""
W = np.array([1.0, 0.5, 0.0], np.float32)
"""Sample weights for :data:`Z3`: one of them zero."""
