"""The loss kernels on inputs that are not small C-ordered arrays, with TensorFlow as the oracle.

The kernels work through their input in cache-sized blocks of rows (or flat chunks), so
these tests give them: a batch that spans several blocks and ends in a partial one, a
transposed (Fortran-ordered) array, and a strided view.  Expected values come from
``tf.nn`` / ``keras.losses`` on the same arrays, compared with the honest tolerance of
tests/helpers.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_tf, logits_like

import lossedu as le
from lossedu.kernels import _BLOCK_BYTES

tfmark = pytest.mark.tf

LAYOUTS = ["several_blocks", "transposed", "strided"]


def layout(rng, kind, dtype):
    """Logits of shape (B, C) in the given memory layout."""
    if kind == "several_blocks":  # rows of 40 filling two and a half blocks
        rows = int(2.5 * _BLOCK_BYTES / (40 * np.dtype(dtype).itemsize))
        return logits_like(rng, (rows, 40), dtype)
    if kind == "transposed":
        return logits_like(rng, (7, 9), dtype).T  # (9, 7), Fortran order
    return logits_like(rng, (9, 14), dtype)[:, ::2]  # (9, 7), every other column


def same_layout(a, like):
    """``a`` (a C-ordered array of ``like``'s shape) laid out in memory like ``like``."""
    if like.flags.f_contiguous and not like.flags.c_contiguous:
        return np.asfortranarray(a)
    if not like.flags.c_contiguous:
        wide = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        wide[..., ::2] = a
        return wide[..., ::2]
    return a


def cases(x, rng):
    b, c = x.shape
    sparse = rng.integers(0, c, b)
    dense = same_layout(le.one_hot(sparse, c, dtype=x.dtype), x)
    multi = same_layout((rng.random((b, c)) < 0.3).astype(x.dtype), x)
    probs = same_layout(le.softmax(x), x)
    sig = same_layout(le.sigmoid(x), x)
    return sparse, dense, multi, probs, sig


@tfmark
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kind", LAYOUTS)
def test_tf_nn_losses_on_layouts(tf, rng, dtype, kind):
    x = layout(rng, kind, dtype)
    sparse, dense, multi, _, _ = cases(x, rng)
    nn = tf.nn
    assert_close_tf(le.sparse_softmax_cross_entropy_with_logits(sparse, x),
                    nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=x),
                    x, dtype, f"sparse_softmax_cross_entropy_with_logits[{kind}]")
    assert_close_tf(le.softmax_cross_entropy_with_logits(dense, x),
                    nn.softmax_cross_entropy_with_logits(labels=dense, logits=x),
                    x, dtype, f"softmax_cross_entropy_with_logits[{kind}]")
    assert_close_tf(le.softmax_cross_entropy_with_logits(dense.T, x.T, axis=0),
                    nn.softmax_cross_entropy_with_logits(labels=dense.T, logits=x.T, axis=0),
                    x, dtype, f"softmax_cross_entropy_with_logits[{kind}, axis=0]")
    assert_close_tf(le.sigmoid_cross_entropy_with_logits(multi, x),
                    nn.sigmoid_cross_entropy_with_logits(labels=multi, logits=x),
                    x, dtype, f"sigmoid_cross_entropy_with_logits[{kind}]")


@tfmark
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kind", LAYOUTS)
@pytest.mark.parametrize("from_logits", [True, False])
def test_keras_losses_on_layouts(keras, rng, dtype, kind, from_logits):
    x = layout(rng, kind, dtype)
    sparse, dense, multi, probs, sig = cases(x, rng)
    kl = keras.losses
    soft_in, sig_in = (x, x) if from_logits else (probs, sig)
    scale = x if from_logits else 1.0
    tag = f"[{kind}, from_logits={from_logits}]"
    assert_close_tf(le.categorical_crossentropy(dense, soft_in, from_logits=from_logits),
                    kl.categorical_crossentropy(dense, soft_in, from_logits=from_logits),
                    scale, dtype, f"categorical_crossentropy{tag}")
    assert_close_tf(le.categorical_crossentropy(dense.T, soft_in.T, from_logits=from_logits,
                                                axis=0),
                    kl.categorical_crossentropy(dense.T, soft_in.T, from_logits=from_logits,
                                                axis=0),
                    scale, dtype, f"categorical_crossentropy{tag}, axis=0")
    assert_close_tf(le.sparse_categorical_crossentropy(sparse, soft_in,
                                                       from_logits=from_logits),
                    kl.sparse_categorical_crossentropy(sparse, soft_in,
                                                       from_logits=from_logits),
                    scale, dtype, f"sparse_categorical_crossentropy{tag}")
    for axis in (-1, 0):
        assert_close_tf(le.binary_crossentropy(multi, sig_in, from_logits=from_logits,
                                               axis=axis),
                        kl.binary_crossentropy(multi, sig_in, from_logits=from_logits,
                                               axis=axis),
                        scale, dtype, f"binary_crossentropy{tag}, axis={axis}")
