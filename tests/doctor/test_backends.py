"""run_on_backend: the same code in a fresh process per Keras backend, and the differences
lesson 05's "Going further" asserts (checked here against closed forms in NumPy)."""

from __future__ import annotations

import numpy as np
import pytest

from lossedu.diagnosis.backends import installed_backends, run_on_backend
from lossedu.errors import ParameterError

CODE = """
import numpy as np, keras
z = np.array([[2.0, 1.0, 0.1]], "float32")
ce = lambda y, out: float(keras.losses.sparse_categorical_crossentropy(
    np.array([y]), out, from_logits=True)[0])
result = {"backend": keras.backend.backend(), "logits": ce(0, z),
          "double": ce(0, keras.ops.softmax(z))}
try:
    result["label_5"] = ce(5, z)
except Exception as exc:
    result["label_5"] = type(exc).__name__
"""


@pytest.mark.slow
@pytest.mark.skipif("jax" not in installed_backends(), reason="needs the [jax] extra")
def test_tensorflow_repairs_jax_does_not():
    z = np.array([2.0, 1.0, 0.1])
    p = np.exp(z) / np.exp(z).sum()
    logits_loss = np.log(np.exp(z).sum()) - z[0]
    double_loss = np.log(np.exp(p).sum()) - p[0]
    tf_run, jax_run = (run_on_backend(b, CODE) for b in ("tensorflow", "jax"))
    assert (tf_run["backend"], jax_run["backend"]) == ("tensorflow", "jax")
    assert np.isclose(tf_run["logits"], logits_loss, rtol=1e-5)
    assert np.isclose(tf_run["double"], logits_loss, rtol=1e-5)
    assert np.isclose(jax_run["double"], double_loss, rtol=1e-5)
    assert tf_run["label_5"] == "InvalidArgumentError"
    assert jax_run["label_5"] == 0.0 and np.signbit(jax_run["label_5"])


def test_bad_backend_and_failing_code_teach():
    with pytest.raises(ParameterError, match="one of"):
        run_on_backend("theano", CODE)
    if "torch" not in installed_backends():
        with pytest.raises(ParameterError, match="not installed"):
            run_on_backend("torch", CODE)
    with pytest.raises(RuntimeError, match="failed on the tensorflow backend"):
        run_on_backend("tensorflow", "raise ValueError('boom')")
