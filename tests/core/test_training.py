"""lossedu.training: budgets, the blog post's MLP, quiet timed runs, the zero-gradient probe.

The MLP (Flatten, Dense(128, relu), Dense(10); adam, 10 epochs) is the one of the CSDN post
"损失函数" (Keras categorical vs sparse CE and ``from_logits`` on Fashion-MNIST).

Everything trains on tiny synthetic data (a few hundred examples, a few epochs), so the
whole module takes seconds; the Fashion-MNIST runs live in notebook 05.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from lossedu import training

ROOT = Path(__file__).resolve().parents[2]


def _toy(n: int = 768, classes: int = 4, seed: int = 0):
    """A learnable toy task: images (n, 2, 4); the class is the brightest of the first 4 pixels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2, 4)).astype(np.float32)
    y = np.argmax(x.reshape(n, -1)[:, :classes], axis=1).astype(np.uint8)
    return x, y


@pytest.fixture(scope="module")
def toy():
    x, y = _toy()
    return (x[:640], y[:640]), (x[640:], y[640:])


# --------------------------------------------------------------------------- pure helpers


def test_budgets():
    d, f, q = training.budget("default"), training.budget("full"), training.budget("quick")
    assert (d.epochs, d.batch_size, d.n_train) == (5, 128, None)
    assert (f.epochs, f.batch_size, f.n_train) == (10, 32, None)      # the post's setup
    assert q.n_train is not None and q.n_train < 60000
    assert d.good_at_least == 0.85 and d.broken_at_most == 0.55       # the bands
    assert "5 epochs x batch size 128" in d.describe()
    with pytest.raises(ValueError, match="expected one of"):
        training.budget("huge")


@pytest.mark.parametrize(("env", "mode"), [({}, "default"), ({"LOSSEDU_FULL": "1"}, "full"),
                                           ({"LOSSEDU_QUICK": "1"}, "quick"),
                                           ({"LOSSEDU_FULL": "0"}, "default"),
                                           ({"LOSSEDU_FULL": "1", "LOSSEDU_QUICK": "1"}, "full")])
def test_budget_follows_the_environment(monkeypatch, env, mode):
    monkeypatch.delenv("LOSSEDU_FULL", raising=False)
    monkeypatch.delenv("LOSSEDU_QUICK", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert training.budget().mode == mode
    assert training.full_mode() == (env.get("LOSSEDU_FULL") == "1")


def test_subset_and_binary_subtask():
    x = np.arange(20).reshape(10, 2)
    y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0])
    assert training.subset(x, y, None)[0] is x
    xs, ys = training.subset(x, y, 3)
    assert xs.shape == (3, 2) and ys.tolist() == [0, 1, 2]
    xb, yb = training.binary_subtask(x, y, negative=1, positive=2)
    assert yb.dtype == np.float32 and yb.tolist() == [0, 1, 0, 1, 1, 0]
    assert xb[:, 0].tolist() == [2, 4, 6, 10, 12, 14]


# --------------------------------------------------------------------------- keras pieces


@pytest.mark.tf
def test_build_mlp_is_the_blog_posts_model(keras):
    m = training.build_mlp("linear")
    assert [type(layer).__name__ for layer in m.layers] == ["Flatten", "Dense", "Dense"]
    assert m.layers[1].units == 128 and m.layers[1].activation.__name__ == "relu"
    assert m.layers[2].units == 10 and m.layers[2].activation.__name__ == "linear"
    assert m.count_params() == 101_770 and m.input_shape == (None, 28, 28)
    s = training.build_mlp("softmax", num_classes=3, input_shape=(5,), units=4, after="reshape")
    assert [type(layer).__name__ for layer in s.layers][-1] == "Reshape"
    assert s.layers[2].activation.__name__ == "softmax" and s.output_shape == (None, 3)
    out = s(np.ones((2, 5), np.float32))
    assert not hasattr(out, "_keras_logits")                  # the repair is lost
    assert hasattr(training.build_mlp("softmax", input_shape=(5,))(np.ones((1, 5))),
                   "_keras_logits")
    with pytest.raises(ValueError, match="output="):
        training.build_mlp("relu")
    with pytest.raises(ValueError, match="after="):
        training.build_mlp(after="dropout")


@pytest.mark.tf
def test_make_loss(keras):
    sparse = training.make_loss("sparse", True)
    assert isinstance(sparse, keras.losses.SparseCategoricalCrossentropy)
    assert isinstance(training.make_loss("categorical"), keras.losses.CategoricalCrossentropy)
    b = training.make_loss("binary", from_logits=True)
    assert isinstance(b, keras.losses.BinaryCrossentropy) and b.get_config()["from_logits"]
    with pytest.raises(ValueError, match="loss kind"):
        training.make_loss("hinge")


@pytest.mark.tf
def test_probe_gradients_counts_exactly_the_clipped_logits(keras, tf):
    import lossedu

    keras.utils.set_random_seed(1)
    model = training.build_mlp("linear", num_classes=5, input_shape=(6,), units=8)
    x = np.random.default_rng(0).normal(size=(64, 6)).astype(np.float32)
    y = np.arange(64) % 5
    row = training.probe_gradients(model, x, y, training.make_loss("sparse", False))
    logits = model(x).numpy()
    clipped = (logits < np.float32(1e-7)) | (logits > 1 - np.float32(1e-7))
    assert row["zero_grad_fraction"] == pytest.approx(clipped.mean())
    assert row["outside_fraction"] == row["zero_grad_fraction"]
    assert row["negative_fraction"] == pytest.approx((logits < 0).mean())
    assert row["dead_row_fraction"] == pytest.approx(clipped.all(axis=1).mean())
    grad = lossedu.sparse_categorical_crossentropy_grad(y, logits)
    assert np.array_equal(grad == 0, clipped)
    assert row["accuracy"] == pytest.approx(np.mean(logits.argmax(1) == y))
    loss = keras.losses.sparse_categorical_crossentropy(y, logits).numpy().mean()
    assert row["loss"] == pytest.approx(float(loss), rel=1e-5)
    healthy = training.probe_gradients(model, x, y, training.make_loss("sparse", True))
    assert healthy["zero_grad_fraction"] == 0.0


@pytest.mark.tf
def test_probe_gradients_follows_the_hidden_logits(keras):
    keras.utils.set_random_seed(2)
    model = training.build_mlp("softmax", num_classes=4, input_shape=(3,), units=5)
    x = np.random.default_rng(1).normal(size=(32, 3)).astype(np.float32)
    y = np.arange(32) % 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = training.probe_gradients(model, x, y, training.make_loss("sparse", True))
    # The gradient is taken at the logits behind the softmax: softmax - one_hot, no zeros.
    assert row["zero_grad_fraction"] == 0.0 and row["outside_fraction"] == 0.0


@pytest.mark.tf
def test_binary_probe_and_accuracy_thresholds(keras):
    keras.utils.set_random_seed(3)
    model = training.build_mlp("linear", num_classes=1, input_shape=(3,), units=4)
    x = np.random.default_rng(2).normal(size=(40, 3)).astype(np.float32)
    y = (np.arange(40) % 2).astype(np.float32)
    row = training.probe_gradients(model, x, y, training.make_loss("binary", False))
    out = model(x).numpy()[:, 0]
    assert row["accuracy"] == pytest.approx(np.mean((out > 0) == (y > 0.5)))  # threshold 0
    assert row["zero_grad_fraction"] == pytest.approx(
        np.mean((out < np.float32(1e-7)) | (out > 1 - np.float32(1e-7))))
    sig = training.build_mlp("sigmoid", num_classes=1, input_shape=(3,), units=4)
    assert training._output_is_probability(sig) and not training._output_is_probability(model)


@pytest.mark.tf
def test_evaluate_matches_keras_evaluate(keras, toy):
    (x, y), (xt, yt) = toy
    keras.utils.set_random_seed(0)
    model = training.build_mlp("softmax", num_classes=4, input_shape=(2, 4), units=8)
    loss = training.make_loss("sparse", False)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    k_loss, k_acc = model.evaluate(xt, yt, verbose=0)
    ours_loss, ours_acc = training.evaluate(model, xt, yt, loss, chunk=50)
    assert ours_loss == pytest.approx(k_loss, rel=1e-5)
    assert ours_acc == pytest.approx(k_acc, abs=1e-6)


# --------------------------------------------------------------------------- training runs


@pytest.fixture(scope="module")
def pair(keras, toy):
    """linear + from_logits True / False, and softmax + True (repaired), on the toy task."""
    train, test = toy
    kw = {"epochs": 3, "batch_size": 64, "probe_size": 64, "every_n_batches": 5,
          "steps_per_execution": 5}
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # train() must swallow every warning itself
        runs = {key: training.run(out, fl, train, test, **kw)
                for key, (out, fl) in {"good": ("linear", True), "bad": ("linear", False),
                                       "repaired": ("softmax", True)}.items()}
    return runs


@pytest.mark.tf
@pytest.mark.slow
def test_run_result_fields(pair):
    r = pair["good"]
    assert r.config == {"output": "linear", "from_logits": True, "after": None, "epochs": 3,
                        "batch_size": 64, "n_train": 640, "seed": 0, "loss": "sparse"}
    assert len(r.history["loss"]) == 3 and r.final_loss == r.history["loss"][-1]
    assert r.fit_seconds > 0 and r.eval_seconds > 0 and r.warnings == []
    assert 0.0 <= r.test_accuracy <= 1.0 and np.isfinite(r.test_loss)
    assert r.model.output_shape == (None, 4)
    assert "linear output, from_logits=True" in r.summary() and "test accuracy" in r.summary()
    # 640 / 64 = 10 steps per epoch, 5 per execution: records at 0, 5, 10, ... 30.
    assert r.probe["step"] == [float(s) for s in range(0, 31, 5)]
    assert r.probe["epoch"] == pytest.approx([s / 10 for s in range(0, 31, 5)])
    assert set(r.probe) == {"step", "epoch", "loss", "accuracy", "zero_grad_fraction",
                            "dead_row_fraction", "outside_fraction", "negative_fraction"}


@pytest.mark.tf
@pytest.mark.slow
def test_the_pitfall_on_toy_data(pair):
    good, bad = pair["good"], pair["bad"]
    assert good.test_accuracy > bad.test_accuracy
    assert good.final_loss < bad.final_loss
    assert max(good.probe["zero_grad_fraction"]) == 0.0
    assert bad.probe["zero_grad_fraction"][-1] > 0.5
    assert bad.probe["zero_grad_fraction"] == bad.probe["outside_fraction"]
    assert bad.warnings == []                                  # Keras says nothing


@pytest.mark.tf
@pytest.mark.slow
def test_softmax_with_from_logits_true_is_repaired_bit_for_bit(pair):
    good, rep = pair["good"], pair["repaired"]
    assert rep.history["loss"] == good.history["loss"]
    assert rep.test_accuracy == good.test_accuracy
    [w] = rep.warnings
    assert w.startswith("UserWarning:") and "produced by a Softmax activation" in w


@pytest.mark.tf
@pytest.mark.slow
def test_runs_are_deterministic_and_the_probe_changes_nothing(keras, toy, pair):
    train, test = toy
    again = training.run("linear", True, train, test, epochs=3, batch_size=64, probe_size=None,
                         steps_per_execution=5)
    assert again.probe is None
    assert again.history["loss"] == pair["good"].history["loss"]
    assert again.test_accuracy == pair["good"].test_accuracy


@pytest.mark.tf
@pytest.mark.slow
def test_steps_per_execution_changes_no_number(keras, toy):
    """The lesson's claim: steps_per_execution only batches calls; the updates are the same."""
    train, test = toy
    kw = {"epochs": 2, "batch_size": 64, "probe_size": None}
    one = training.run("linear", False, train, test, steps_per_execution=1, **kw)
    many = training.run("linear", False, train, test, steps_per_execution=7, **kw)
    assert one.history["loss"] == many.history["loss"]
    assert one.test_accuracy == many.test_accuracy and one.test_loss == many.test_loss


@pytest.mark.tf
@pytest.mark.slow
def test_binary_run_stalls_at_the_dead_loss(keras):
    from lossedu.lessons.from_logits_pitfall.views import dead_binary_loss

    x, y = _toy(512, classes=2, seed=4)
    yb = y.astype(np.float32)
    bad = training.run("linear", False, (x[:448], yb[:448]), (x[448:], yb[448:]), epochs=4,
                       batch_size=32, probe_size=64, steps_per_execution=7)
    assert bad.config["loss"] == "binary" and bad.model.output_shape == (None, 1)
    if bad.probe["zero_grad_fraction"][-1] == 1.0:           # every logit <= 1e-7 (or >= 1)
        assert bad.history["loss"][-1] == pytest.approx(
            dead_binary_loss(float(yb[:448].mean())), abs=0.05)
    good = training.run("linear", True, (x[:448], yb[:448]), (x[448:], yb[448:]), epochs=4,
                        batch_size=32, probe_size=None, steps_per_execution=7)
    assert good.test_accuracy > bad.test_accuracy


@pytest.mark.tf
def test_run_needs_data():
    with pytest.raises(ValueError, match="train_data"):
        training.run("linear", True)


@pytest.mark.tf
def test_train_takes_a_custom_probe_and_callbacks(keras, toy):
    (x, y), test = toy
    seen = []

    class Count(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    keras.utils.set_random_seed(0)
    model = training.build_mlp("linear", num_classes=4, input_shape=(2, 4), units=8)
    probe = training.zero_gradient_probe(test[0][:16], test[1][:16], every_n_batches=None)
    r = training.train(model, (x[:128], y[:128]), test, loss="sparse_categorical_crossentropy",
                       epochs=2, batch_size=64, probe=probe, callbacks=[Count()],
                       steps_per_execution=1)
    assert seen == [0, 1]
    # every_n_batches=None: before training and at each epoch's end only.
    assert r.probe["step"] == [0.0, 2.0, 4.0]
    # The probe fell back on the compiled loss (a string, so from_logits=False).
    assert r.probe["zero_grad_fraction"][0] == r.probe["outside_fraction"][0] > 0


def test_trainresult_summary_without_config():
    r = training.TrainResult({"loss": [1.0, 0.5]}, 0.75, 0.6, 1.0, 0.1)
    assert r.final_loss == 0.5 and "? output" in r.summary()
    assert SimpleNamespace(**r.__dict__).history == {"loss": [1.0, 0.5]}
