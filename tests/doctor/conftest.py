"""The doctor's tests run on every Keras 3 backend installed: ``KERAS_BACKEND=jax pytest
tests/doctor`` is the second run in ``.ci/run``.  The ``keras`` fixture here replaces the TF
oracle's (which insists on TensorFlow) with Keras on whatever backend this process uses."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def keras():
    """``keras`` on this process's backend (KERAS_BACKEND), TF logging silenced."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras as keras_module

    return keras_module


@pytest.fixture(scope="session")
def backend(keras) -> str:
    return keras.backend.backend()


@pytest.fixture
def tf_backend(backend):
    """Skip a test that checks something only the TensorFlow backend does."""
    if backend != "tensorflow":
        pytest.skip(f"checks TensorFlow-backend behaviour; this run is on {backend}")
