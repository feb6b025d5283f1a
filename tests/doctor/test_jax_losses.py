"""lossedu.diagnosis.jax_losses against Keras's own JAX formulas, differentiated by jax.grad.

The oracle is ``keras/src/backend/jax/nn.py`` (the functions Keras runs on the JAX backend)
under ``jax.grad``; on ``KERAS_BACKEND=jax`` the Keras loss objects themselves are compared
too.  The exact zeros matter most: DoctorCallback counts them.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
keras_jax_nn = pytest.importorskip("keras.src.backend.jax.nn")

from lossedu.diagnosis.jax_losses import mirrored, value_and_grad  # noqa: E402

FUNCTIONS = {"sparse": keras_jax_nn.sparse_categorical_crossentropy,
             "categorical": keras_jax_nn.categorical_crossentropy,
             "binary": keras_jax_nn.binary_crossentropy}


def _labels(family, rng, n, c):
    if family == "sparse":
        return rng.integers(0, c, n)
    if family == "categorical":
        return np.eye(c, dtype=np.float32)[rng.integers(0, c, n)]
    return rng.integers(0, 2, (n, c)).astype(np.float32)


def _outputs(rng, n, c):
    z = (rng.standard_normal((n, c)) * 4).astype(np.float32)
    p = np.exp(z - z.max(1, keepdims=True))
    return {"logits": z, "softmax": (p / p.sum(1, keepdims=True)).astype(np.float32),
            "sigmoid": (1 / (1 + np.exp(-z))).astype(np.float32),
            "extreme": np.array([[80.0, -80.0, 0.0], [1e-30, 1.0, 0.0], [-5.0, -1.0, 2.0]] *
                                (n // 3), np.float32)[:, :c] if c == 3 else z * 30}


def _oracle(family, from_logits, y, out):
    def mean_loss(o):
        return jnp.mean(FUNCTIONS[family](y, o, from_logits=from_logits))
    value, grad = jax.value_and_grad(mean_loss)(jnp.asarray(out))
    return float(value), np.asarray(grad)


@pytest.mark.parametrize("family", ["sparse", "categorical", "binary"])
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("c", [3, 10])
@pytest.mark.parametrize("kind", ["logits", "softmax", "sigmoid", "extreme"])
def test_value_gradient_and_exact_zeros_match_keras_on_jax(family, from_logits, c, kind):
    rng = np.random.default_rng(c)
    out = _outputs(rng, 48, c)[kind]
    y = _labels(family, rng, 48, c)
    want_value, want_grad = _oracle(family, from_logits, y, out)
    value, grad = value_and_grad(family, from_logits, y, out)
    assert value == pytest.approx(want_value, rel=2e-6, abs=1e-6, nan_ok=True)
    scale = max(np.nanmax(np.abs(want_grad)), 1e-30)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-4, atol=1e-6 * scale)
    assert np.array_equal(np.isnan(grad), np.isnan(want_grad))
    assert np.array_equal(grad == 0, want_grad == 0)


def test_an_out_of_range_label_is_a_zero_row_as_on_jax():
    out = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], np.float32)
    y = np.array([3, 1])
    want_value, want_grad = _oracle("sparse", False, y, out)
    value, grad = value_and_grad("sparse", False, y, out)
    assert value == pytest.approx(want_value, rel=1e-6)
    assert np.array_equal(grad[0], np.zeros(3)) and np.array_equal(want_grad[0], np.zeros(3))


def test_only_standard_losses_are_mirrored():
    import keras

    assert mirrored(keras.losses.SparseCategoricalCrossentropy()) == ("sparse", False)
    assert mirrored(keras.losses.BinaryCrossentropy(from_logits=True)) == ("binary", True)
    assert mirrored(keras.losses.CategoricalCrossentropy(label_smoothing=0.1)) is None
    assert mirrored(keras.losses.SparseCategoricalCrossentropy(ignore_class=0)) is None
    assert mirrored(keras.losses.SparseCategoricalCrossentropy(reduction="sum")) is None
    assert mirrored(keras.losses.MeanSquaredError()) is None
    assert mirrored(lambda y, p: p) is None


@pytest.mark.skipif(keras_jax_nn is None, reason="needs jax")
def test_the_keras_loss_objects_agree_on_the_jax_backend():
    import keras

    if keras.backend.backend() != "jax":
        pytest.skip("KERAS_BACKEND=jax only (make test-jax)")
    rng = np.random.default_rng(5)
    out = _outputs(rng, 30, 10)["logits"]
    y = rng.integers(0, 10, 30)
    loss = keras.losses.SparseCategoricalCrossentropy()
    want = np.asarray(jax.grad(lambda o: loss(y, o))(jnp.asarray(out)))
    value, grad = value_and_grad("sparse", False, y, out)
    assert value == pytest.approx(float(loss(y, out)), rel=2e-6)
    assert np.array_equal(grad == 0, want == 0)
