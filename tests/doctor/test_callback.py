"""lossedu.DoctorCallback inside fit, on this run's backend: it warns once per finding with
the fix, sees what the lessons teach (zero output gradients, the loss stuck at log C, NaN,
saturation), stays silent on a healthy model, and stops training when asked."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

RNG = np.random.default_rng(7)
X = RNG.standard_normal((256, 4)).astype("float32")
Y = (X[:, 0] > 0).astype("int64") + 2 * (X[:, 1] > 0)  # 4 learnable classes


def _fit(keras, model, loss, cb, x=X, y=Y, epochs=2):
    import lossedu

    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hist = model.fit(x, y, epochs=epochs, batch_size=16, verbose=0, callbacks=[cb])
    ours = [str(w.message) for w in caught if issubclass(w.category, lossedu.DoctorWarning)]
    return hist, ours


def _mlp(keras, act=None, units=4):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(units, activation=act)])


def test_broken_model_warned_once_with_fix(keras):
    import lossedu

    cb = lossedu.DoctorCallback(X, Y, steps=10, every=5)
    model = _mlp(keras)
    _, msgs = _fit(keras, model, keras.losses.SparseCategoricalCrossentropy(), cb)
    codes = [f.code for f in cb.findings]
    assert "linear-output-probability-loss" in codes and "zero-output-gradients" in codes
    assert len(codes) == len(set(codes)) == len(msgs)  # each finding warned once
    assert any("from_logits=True" in m and "fix:" in m for m in msgs)
    g = next(f for f in cb.findings if f.code == "zero-output-gradients")
    assert f"'{model.layers[-1].name}'" in g.what and "from_logits=True" in g.fix


def test_healthy_model_is_silent(keras):
    import lossedu

    cb = lossedu.DoctorCallback(X, Y, steps=10, every=5)
    hist, msgs = _fit(keras, _mlp(keras), keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), cb, epochs=6)
    assert cb.findings == [] and msgs == [] and cb.report.ok
    assert hist.history["loss"][-1] < np.log(4) - 0.3  # it learned: the loss left log 4


def test_nan_loss_stops_training_on_request(keras):
    import lossedu

    x = X.copy()
    x[3] = np.nan
    cb = lossedu.DoctorCallback(X, Y, stop_training=True, static=False)
    hist, msgs = _fit(keras, _mlp(keras), keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), cb, x=x, epochs=5)
    assert [f.code for f in cb.findings] == ["nan-loss"] and len(msgs) == 1
    assert len(hist.history["loss"]) == 1  # stopped in the first epoch


def test_stuck_loss_and_saturation(keras):
    import lossedu

    # labels unrelated to x: an honest model stays at log 4 for the first steps
    y = np.arange(256) % 4
    cb = lossedu.DoctorCallback(X, y, steps=8, every=4)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, use_bias=False,
                                                                    kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(1e-6),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, epochs=1, batch_size=16, verbose=0, callbacks=[cb])
    assert [f.code for f in cb.findings] == ["loss-stuck-at-chance"]
    assert "log 4 = 1.3863" in cb.findings[0].what
    cb2 = lossedu.DoctorCallback(X * 1e4, Y, steps=4, every=2, static=False)
    _fit(keras, _mlp(keras), keras.losses.SparseCategoricalCrossentropy(from_logits=True), cb2,
         x=X * 1e4, epochs=1)
    assert "saturating-outputs" in [f.code for f in cb2.findings]


def test_importing_lossedu_does_not_import_keras():
    import subprocess
    import sys

    code = "import lossedu, sys; print('keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


@pytest.mark.parametrize("bad", ["x", "steps"])
def test_bad_arguments_teach(keras, bad):
    import lossedu

    with pytest.raises(ValueError, match=bad):
        if bad == "x":
            lossedu.DoctorCallback(None, Y)
        else:
            lossedu.DoctorCallback(X, Y, steps=0)
