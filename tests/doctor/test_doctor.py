"""lossedu.doctor: a matrix of model/loss/label/metric configurations with the expected verdict.

Every configuration lists exactly the finding codes (and severities) it must produce; the clean
ones must produce none.  They span Sequential, functional and subclassed models, losses given
as objects, strings and functions, compiled or passed as ``loss=``, and saved ``.keras`` files
(``test_saved_model_same_verdict``).  A few tests check that the verdicts are physically
right: the repaired double softmax really has the gradients of the logits model, the
unrepaired one does not, a linear output under from_logits=False really gets zero gradients,
and Keras 3 really resolves "accuracy" the way the metric findings say.

Models are tiny and nothing is trained, so the whole file runs in seconds after the TF import.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

from lossedu.diagnosis import keras_api, tracing
from lossedu.diagnosis.codes import CODES
from lossedu.diagnosis.facts import LabelFacts, LossFacts, MetricFacts, OutputFacts, Subject
from lossedu.diagnosis.report import Finding, Report
from lossedu.diagnosis.rules import all_findings

RNG = np.random.default_rng(4)
X = RNG.standard_normal((40, 4)).astype("float32")
X_IMG = RNG.standard_normal((40, 6, 6, 1)).astype("float32")
X_INT = RNG.integers(0, 10, size=(40, 5)).astype("int32")
Y3 = np.arange(40) % 3  # sparse class ids 0..2
Y3_ONEHOT = np.eye(3, dtype="float32")[Y3]
YB = (np.arange(40) % 2).astype("float32")  # binary 0/1
Y5_MULTI = (RNG.random((40, 5)) > 0.5).astype("float32")
Y5_MULTI[0] = [1, 1, 0, 0, 0]  # certainly multi-hot


# --- model builders: the same stack of layers as Sequential, functional or subclassed ---------

def seq(keras, layers, inp=(4,), **kw):
    return keras.Sequential([keras.Input(inp, **kw), *layers])


def fun(keras, layers, inp=(4,), **kw):
    i = keras.Input(inp, **kw)
    h = i
    for layer in layers:
        h = layer(h)
    return keras.Model(i, h)


def sub(keras, layers, post=None, build=None):
    """A subclassed model applying ``layers`` then ``post`` (a keras.ops function) in call()."""

    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.stack = list(layers)

        def call(self, x):
            for layer in self.stack:
                x = layer(x)
            return post(x) if post is not None else x

    model = Stack()
    if build is not None:
        model(np.zeros(build, "float32"))  # build by calling once
    return model


@dataclass
class Case:
    id: str
    build: Callable  # (keras) -> model
    loss: object  # (keras) -> loss, or a string, or None
    expect: dict[str, str]
    y: np.ndarray | dict | None = None
    x: np.ndarray | None = None
    metrics: Callable | list | None = None  # (keras) -> list, or a list of strings
    compile: bool = True  # compile with the loss, or pass it as doctor(loss=...)
    policy: str | None = None  # a dtype policy to build the model under
    backend: str | None = None  # pretend Keras runs on this backend
    save: bool = False  # also check the model after a .keras round trip
    kind: str = field(init=False, default="")

    def __post_init__(self):
        self.kind = self.id.split("-")[0]


def _L(keras):
    return keras.layers


def _sc(**kw):
    return lambda k: k.losses.SparseCategoricalCrossentropy(**kw)


def _cc(**kw):
    return lambda k: k.losses.CategoricalCrossentropy(**kw)


def _bc(**kw):
    return lambda k: k.losses.BinaryCrossentropy(**kw)


E, W, I = "error", "warning", "info"
LIN_F = {"linear-output-probability-loss": E}
REPAIRED = {"probability-output-from-logits-repaired": W}
DOUBLE = {"probability-output-from-logits": E}

CASES = [
    # 1. a linear output with a probability loss: the silent ~33 % case
    Case("seq-linear-scce-object", lambda k: seq(k, [_L(k).Dense(3)]), _sc(), LIN_F, y=Y3,
         save=True),
    Case("seq-linear-scce-string", lambda k: seq(k, [_L(k).Dense(3)]),
         "sparse_categorical_crossentropy", LIN_F, y=Y3, metrics=["accuracy"], save=True),
    Case("fun-linear-cce-string", lambda k: fun(k, [_L(k).Dense(8, "relu"), _L(k).Dense(3)]),
         "categorical_crossentropy", LIN_F, y=Y3_ONEHOT, save=True),
    Case("seq-linear1-bce-object", lambda k: seq(k, [_L(k).Dense(1)]), _bc(), LIN_F, y=YB),
    Case("sub-linear-scce-object-probe-x", lambda k: sub(k, [_L(k).Dense(3)]), _sc(), LIN_F,
         x=X, compile=False),
    Case("seq-linear-crossentropy-string", lambda k: seq(k, [_L(k).Dense(3)]), "crossentropy",
         LIN_F, y=Y3),
    Case("seq-linear-scce-function-arg", lambda k: seq(k, [_L(k).Dense(3)]),
         lambda k: k.losses.sparse_categorical_crossentropy, LIN_F, compile=False),
    Case("seq-relu-scce-object", lambda k: seq(k, [_L(k).Dense(3, activation="relu")]), _sc(),
         {"nonprobability-output-probability-loss": E}),
    # 2. softmax/sigmoid + from_logits=True: Keras repairs it ...
    Case("seq-softmax-scce-logits", lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         _sc(from_logits=True), REPAIRED, y=Y3, save=True),
    Case("fun-softmaxlayer-scce-logits", lambda k: fun(k, [_L(k).Dense(3), _L(k).Softmax()]),
         _sc(from_logits=True), REPAIRED, save=True),
    Case("seq-sigmoid1-bce-logits", lambda k: seq(k, [_L(k).Dense(1, activation="sigmoid")]),
         _bc(from_logits=True), REPAIRED, y=YB),
    Case("sub-opssoftmax-scce-logits-built",
         lambda k: sub(k, [_L(k).Dense(3)], post=k.ops.softmax, build=(2, 4)),
         _sc(from_logits=True), REPAIRED, compile=False),
    Case("fun-lambdasoftmax-cce-logits",
         lambda k: fun(k, [_L(k).Dense(3), _L(k).Lambda(lambda t: k.ops.softmax(t))]),
         _cc(from_logits=True), REPAIRED, y=Y3_ONEHOT),
    Case("seq-softmax-f32head-mixed-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3), _L(k).Activation("softmax", dtype="float32")]),
         _sc(from_logits=True), REPAIRED, policy="mixed_float16"),
    # ... and where it cannot: a real double softmax
    Case("seq-softmax-reshape-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax"), _L(k).Reshape((3,))]),
         _sc(from_logits=True), DOUBLE, y=Y3, save=True),
    Case("fun-softmax-flatten-cce-logits",
         lambda k: fun(k, [_L(k).Dense(3, activation="softmax"), _L(k).Flatten()]),
         _cc(from_logits=True), DOUBLE),
    Case("seq-softmax-dropout-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax"), _L(k).Dropout(0.2)]),
         _sc(from_logits=True), DOUBLE),
    Case("sub-softmax-reshape-scce-logits-probe-x",
         lambda k: sub(k, [_L(k).Dense(3)], post=lambda t: k.ops.reshape(k.ops.softmax(t),
                                                                          (-1, 3))),
         _sc(from_logits=True), DOUBLE, x=X, compile=False),
    Case("seq-softmax-ignoreclass-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         _sc(from_logits=True, ignore_class=2), DOUBLE),
    Case("seq-softmax-mixed16-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         _sc(from_logits=True), DOUBLE, policy="mixed_float16"),
    Case("seq-softmax-jaxbackend-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         _sc(from_logits=True), DOUBLE, backend="jax"),
    Case("seq-hardsigmoid1-bce-logits",
         lambda k: seq(k, [_L(k).Dense(1, activation="hard_sigmoid")]),
         _bc(from_logits=True), DOUBLE, y=YB),
    Case("seq-sigmoid1-binaryfocal-logits",
         lambda k: seq(k, [_L(k).Dense(1, activation="sigmoid")]),
         lambda k: k.losses.BinaryFocalCrossentropy(from_logits=True), DOUBLE, y=YB),
    # 3. softmax over a single unit; a categorical loss on a single unit
    Case("seq-softmax1-bce-string", lambda k: seq(k, [_L(k).Dense(1, activation="softmax")]),
         "binary_crossentropy", {"softmax-single-unit": E}, y=YB, save=True),
    Case("fun-linear1-scce-logits", lambda k: fun(k, [_L(k).Dense(1)]), _sc(from_logits=True),
         {"categorical-loss-single-unit": E}),
    # 7. more output-layer mistakes
    Case("seq-relu-scce-logits", lambda k: seq(k, [_L(k).Dense(3, activation="relu")]),
         _sc(from_logits=True), {"activation-on-logits": W}),
    Case("fun-tanh-cce-logits", lambda k: fun(k, [_L(k).Dense(3, activation="tanh")]),
         _cc(from_logits=True), {"activation-on-logits": W}, y=Y3_ONEHOT),
    Case("seq-sigmoid3-scce-string", lambda k: seq(k, [_L(k).Dense(3, activation="sigmoid")]),
         "sparse_categorical_crossentropy", {"sigmoid-output-categorical-loss": W}, y=Y3),
    Case("seq-softmax3-bce-object", lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         _bc(), {"softmax-output-binary-loss": W}),
    # 4. sigmoid/BCE on mutually exclusive classes (y given)
    Case("seq-sigmoid3-bce-onehot", lambda k: seq(k, [_L(k).Dense(3, activation="sigmoid")]),
         "binary_crossentropy", {"sigmoid-exclusive-classes": W}, y=Y3_ONEHOT, save=True),
    Case("fun-linear3-bce-logits-sparse", lambda k: fun(k, [_L(k).Dense(3)]),
         _bc(from_logits=True),
         {"sparse-labels-binary-loss": E, "sigmoid-exclusive-classes": W}, y=Y3),
    Case("seq-sigmoid1-bce-labels012", lambda k: seq(k, [_L(k).Dense(1, activation="sigmoid")]),
         _bc(), {"label-out-of-range": E, "sigmoid-exclusive-classes": W}, y=Y3),
    # 5. label format and range (y given)
    Case("seq-linear-scce-logits-onehot", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {"one-hot-labels-sparse-loss": E}, y=Y3_ONEHOT, save=True),
    Case("fun-linear-cce-logits-sparse", lambda k: fun(k, [_L(k).Dense(3)]),
         _cc(from_logits=True), {"sparse-labels-categorical-loss": E}, y=Y3),
    Case("sub-linear2-scce-logits-labels012", lambda k: sub(k, [_L(k).Dense(2)]),
         _sc(from_logits=True), {"label-out-of-range": E}, x=X, y=Y3, compile=False),
    Case("seq-linear-scce-logits-floatlabels", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {"non-integer-sparse-labels": E}, y=(Y3 * 0.9).astype("float32")),
    Case("fun-linear3-cce-logits-5columns", lambda k: fun(k, [_L(k).Dense(3)]),
         _cc(from_logits=True), {"label-shape-mismatch": E}, y=Y5_MULTI),
    Case("fun-linear5-cce-logits-multihot", lambda k: fun(k, [_L(k).Dense(5)]),
         _cc(from_logits=True), {"multi-hot-labels-categorical-loss": W}, y=Y5_MULTI),
    # 6. accuracy, as Keras 3 really resolves it
    Case("seq-linear1-bce-logits-accuracy", lambda k: seq(k, [_L(k).Dense(1)]),
         _bc(from_logits=True), {"accuracy-threshold-on-logits": W}, y=YB,
         metrics=["accuracy"], save=True),
    Case("fun-linear1-bce-logits-binaryaccuracy-object", lambda k: fun(k, [_L(k).Dense(1)]),
         _bc(from_logits=True), {"accuracy-threshold-on-logits": W}, y=YB,
         metrics=lambda k: [k.metrics.BinaryAccuracy()]),
    Case("seq-linear-scce-logits-binary_accuracy", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {"binary-accuracy-multiclass": W}, y=Y3,
         metrics=["binary_accuracy"]),
    Case("seq-sigmoid3-bce-onehot-accuracy",
         lambda k: seq(k, [_L(k).Dense(3, activation="sigmoid")]), "binary_crossentropy",
         {"sigmoid-exclusive-classes": W, "bce-one-hot-accuracy": I}, y=Y3_ONEHOT,
         metrics=["accuracy"], save=True),
    Case("fun-sigmoid5-bce-multihot-accuracy",
         lambda k: fun(k, [_L(k).Dense(5, activation="sigmoid")]), _bc(),
         {"accuracy-multilabel-categorical": W}, y=Y5_MULTI, metrics=["accuracy"]),
    # metrics that cannot read logits; labels against the output's rank; the loss at init
    Case("seq-linear1-bce-logits-precision-auc", lambda k: seq(k, [_L(k).Dense(1)]),
         _bc(from_logits=True), {"metric-needs-probabilities": W}, x=X, y=YB,
         metrics=lambda k: [k.metrics.Precision(), k.metrics.AUC()]),
    Case("fun-noflatten-softmax-cce-onehot",
         lambda k: fun(k, [_L(k).Conv2D(4, 3), _L(k).Dense(3, activation="softmax")], (6, 6, 1)),
         "categorical_crossentropy", {"output-rank-mismatch": E}, x=X_IMG, y=Y3_ONEHOT),
    Case("seq-linear-scce-logits-unscaled-x", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {"init-loss-far-from-chance": W}, x=X * 1000, y=Y3),
    # what could not be checked
    Case("seq-softmax-uncompiled-noloss",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]), None, {"no-loss": I},
         compile=False),
    Case("seq-softmax-mse-string", lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]),
         "mse", {"loss-not-checked": I}),
    Case("sub-unbuilt-noinput", lambda k: sub(k, [_L(k).Dense(3)]), _sc(from_logits=True),
         {"output-not-inspected": I}, compile=False),
]

CLEAN = [
    Case("seq-linear-scce-logits-accuracy", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {}, y=Y3, metrics=["accuracy"], save=True),
    Case("seq-softmax-scce-string-accuracy",
         lambda k: seq(k, [_L(k).Dense(8, "relu"), _L(k).Dense(3, activation="softmax")]),
         "sparse_categorical_crossentropy", {}, y=Y3, metrics=["accuracy"], save=True),
    Case("fun-linear-cce-logits-onehot", lambda k: fun(k, [_L(k).Dense(3)]),
         _cc(from_logits=True), {}, y=Y3_ONEHOT, metrics=["accuracy"]),
    Case("fun-softmax-cce-string-onehot",
         lambda k: fun(k, [_L(k).Dense(3, activation="softmax")]), "categorical_crossentropy",
         {}, y=Y3_ONEHOT, metrics=["accuracy"], save=True),
    Case("seq-sigmoid1-bce-string-accuracy",
         lambda k: seq(k, [_L(k).Dense(1, activation="sigmoid")]), "binary_crossentropy", {},
         y=YB, metrics=["accuracy"], save=True),
    Case("fun-sigmoid1-bce-accuracy-labels-n1",
         lambda k: fun(k, [_L(k).Dense(1, activation="sigmoid")]), _bc(), {},
         y=YB[:, None], metrics=["acc"]),
    Case("seq-linear1-bce-logits-threshold0", lambda k: seq(k, [_L(k).Dense(1)]),
         _bc(from_logits=True), {}, y=YB,
         metrics=lambda k: [k.metrics.BinaryAccuracy(threshold=0.0)], save=True),
    Case("seq-sigmoid5-bce-multihot-binaryaccuracy",
         lambda k: seq(k, [_L(k).Dense(5, activation="sigmoid")]), _bc(), {}, y=Y5_MULTI,
         metrics=lambda k: [k.metrics.BinaryAccuracy()], save=True),
    Case("fun-linear5-bce-logits-multihot", lambda k: fun(k, [_L(k).Dense(5)]),
         _bc(from_logits=True), {}, y=Y5_MULTI,
         metrics=lambda k: [k.metrics.BinaryAccuracy(threshold=0.0)]),
    Case("sub-linear-scce-logits-probe-x", lambda k: sub(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {}, x=X, y=Y3, compile=False),
    Case("sub-opssoftmax-scce-object-built",
         lambda k: sub(k, [_L(k).Dense(3)], post=k.ops.softmax, build=(2, 4)), _sc(), {}, y=Y3,
         compile=False),
    Case("seq-softmaxlayer-scce-string",
         lambda k: seq(k, [_L(k).Dense(3), _L(k).Softmax()]), "sparse_categorical_crossentropy",
         {}, y=Y3),
    Case("seq-conv-scce-logits",
         lambda k: seq(k, [_L(k).Conv2D(2, 3), _L(k).Flatten(), _L(k).Dense(3)], inp=(6, 6, 1)),
         _sc(from_logits=True), {}, y=Y3, metrics=["accuracy"]),
    Case("fun-embedding-scce-logits",
         lambda k: fun(k, [_L(k).Embedding(10, 4), _L(k).GlobalAveragePooling1D(),
                           _L(k).Dense(3)], inp=(5,), dtype="int32"),
         _sc(from_logits=True), {}, y=Y3),
    Case("seq-linear-scce-logits-ignoreclass-minus1", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True, ignore_class=-1), {}, y=np.where(Y3 == 0, -1, Y3)),
    Case("seq-linear-cce-logits-labelsmoothing", lambda k: seq(k, [_L(k).Dense(3)]),
         _cc(from_logits=True, label_smoothing=0.1), {}, y=Y3_ONEHOT),
    Case("seq-softmax-crossentropy-string",
         lambda k: seq(k, [_L(k).Dense(3, activation="softmax")]), "crossentropy", {}, y=Y3),
    Case("seq-linear1-binaryfocal-logits", lambda k: seq(k, [_L(k).Dense(1)]),
         lambda k: k.losses.BinaryFocalCrossentropy(from_logits=True), {}, y=YB),
    Case("seq-logsoftmax-scce-logits",
         lambda k: seq(k, [_L(k).Dense(3, activation="log_softmax")]), _sc(from_logits=True),
         {}, y=Y3),
    Case("seq-linear-f32head-mixed-scce-logits",
         lambda k: seq(k, [_L(k).Dense(8, "relu"), _L(k).Dense(3, dtype="float32")]),
         _sc(from_logits=True), {}, y=Y3, policy="mixed_float16"),
    Case("fun-softmax2-scce-object-binarylabels",
         lambda k: fun(k, [_L(k).Dense(2, activation="softmax")]), _sc(), {},
         y=YB.astype("int64"), metrics=["accuracy"]),
    Case("seq-nested-logits-then-softmax-scce-string",
         lambda k: k.Sequential([seq(k, [_L(k).Dense(3)]), _L(k).Softmax()]),
         "sparse_categorical_crossentropy", {}, y=Y3),
    Case("fun-twoheads-dictloss", lambda k: _two_heads(k),
         {"cls": _sc(from_logits=True), "bin": "binary_crossentropy"}, {},
         y={"cls": Y3, "bin": YB}, save=True),
    Case("seq-linear-scce-logits-jaxbackend", lambda k: seq(k, [_L(k).Dense(3)]),
         _sc(from_logits=True), {}, y=Y3, backend="jax"),
]


def _two_heads(keras):
    L = keras.layers
    i = keras.Input((4,))
    h = L.Dense(8, activation="relu")(i)
    return keras.Model(i, {"cls": L.Dense(3, name="cls")(h),
                           "bin": L.Dense(1, activation="sigmoid", name="bin")(h)})


def _resolve(keras, obj):
    if isinstance(obj, dict):
        return {k: _resolve(keras, v) for k, v in obj.items()}
    if callable(obj) and getattr(obj, "__name__", "") == "<lambda>":
        return obj(keras)
    return obj


@contextlib.contextmanager
def _policy(keras, name):
    if name is None:
        yield
        return
    old = keras.config.dtype_policy().name
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(old)


def _make(keras, case: Case):
    """Build (and maybe compile) the model of a case; return (model, loss for doctor)."""
    with _policy(keras, case.policy):
        model = case.build(keras)
    loss = _resolve(keras, case.loss)
    metrics = _resolve(keras, case.metrics)
    if case.compile and loss is not None:
        model.compile(optimizer="adam", loss=loss, metrics=metrics)
        return model, None
    return model, loss


def _run(case: Case, model, loss, monkeypatch):
    import lossedu

    if case.backend is not None:
        monkeypatch.setattr(keras_api, "backend_name", lambda keras: case.backend)
    return lossedu.doctor(model, loss=loss, x=case.x, y=case.y)


def _expect(case: Case, keras) -> dict[str, str]:
    """The case's verdict on this process's backend: only TensorFlow repairs a softmax or
    sigmoid output given to a from_logits=True loss; on JAX (or torch) the double activation
    is real."""
    if keras.backend.backend() == "tensorflow" or case.backend is not None:
        return case.expect
    return {("probability-output-from-logits" if c == "probability-output-from-logits-repaired"
             else c): ("error" if c == "probability-output-from-logits-repaired" else sev)
            for c, sev in case.expect.items()}


def _verdict(report) -> dict[str, str]:
    codes = [f.code for f in report.findings]
    assert len(codes) == len(set(codes)), f"a code reported twice: {codes}"
    return {f.code: f.severity for f in report.findings}


ALL = CASES + CLEAN


def test_matrix_size():
    """The issue asks for >= 25 configurations and >= 10 clean ones, across model kinds."""
    assert len(ALL) >= 25 and len(CLEAN) >= 10
    assert {c.kind for c in ALL} == {"seq", "fun", "sub"}
    assert sum(c.save for c in ALL) >= 10
    assert len({c.id for c in ALL}) == len(ALL)
    covered = {code for c in CASES for code in c.expect}
    assert covered == set(CODES), f"codes without a configuration: {set(CODES) - covered}"
    for c in CASES:
        for code, sev in c.expect.items():
            assert CODES[code] == sev, (c.id, code)


@pytest.mark.tf
@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_configuration(case, keras, monkeypatch):
    model, loss = _make(keras, case)
    report = _run(case, model, loss, monkeypatch)
    expect = _expect(case, keras)
    assert _verdict(report) == expect, str(report)
    assert report.ok == (not any(s in ("error", "warning") for s in expect.values()))
    assert {f.code for f in report.errors} == {c for c, s in expect.items() if s == "error"}


SAVED = [c for c in ALL if c.save]


@pytest.mark.tf
@pytest.mark.parametrize("case", SAVED, ids=[c.id for c in SAVED])
def test_saved_model_same_verdict(case, keras, tmp_path, monkeypatch):
    """Save to .keras, load with compile=True: the compiled loss and metrics come back."""
    model, loss = _make(keras, case)
    assert loss is None, "saved cases must be compiled"
    path = tmp_path / f"{case.id}.keras"
    with warnings.catch_warnings():
        # Keras's own noise: NumPy 2 __array__ copy keyword, "Skipping variable loading for
        # optimizer" (the optimizer was never built).
        warnings.simplefilter("ignore")
        model.save(path)
        loaded = keras.saving.load_model(path, compile=True)
    report = _run(case, loaded, None, monkeypatch)
    assert _verdict(report) == _expect(case, keras), str(report)


FROM_LOGITS_GRAPH = [c for c in CASES if c.kind != "sub" and set(c.expect) & {
    "probability-output-from-logits", "probability-output-from-logits-repaired"}]


@pytest.mark.tf
@pytest.mark.parametrize("case", FROM_LOGITS_GRAPH, ids=[c.id for c in FROM_LOGITS_GRAPH])
def test_rules_agree_with_the_traced_oracle(case, keras, monkeypatch, tf_backend):
    """When the trace cannot run, the doctor falls back on rules read from the layer graph
    (TF backend, no layer after the activation, float32 output, no ignore_class); on graph
    models they must give the same verdict as tracing Keras's own loss."""
    def no_trace(*args, **kwargs):
        raise RuntimeError("trace disabled by the test")

    monkeypatch.setattr(tracing, "trace_model", no_trace)
    model, loss = _make(keras, case)
    report = _run(case, model, loss, monkeypatch)
    assert _verdict(report) == case.expect, str(report)


# --- the verdicts are physically right -------------------------------------------------------

def _grads(tf, model, loss, x, y):
    """Gradients of the loss w.r.t. the weights, traced like fit() traces a train step."""

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            value = loss(y, model(x, training=True))
        return tape.gradient(value, model.trainable_variables)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [g.numpy() for g in step()]


@pytest.mark.tf
@pytest.mark.parametrize("after", [None, "Reshape"])
def test_repair_verdict_matches_gradients(tf, keras, after, tf_backend):
    """'repaired' means the gradients equal the logits model's; 'error' means they do not."""
    import lossedu

    L = keras.layers
    layers = [L.Dense(3, activation="softmax")] + ([L.Reshape((3,))] if after else [])
    prob_model = seq(keras, layers)
    logit_model = seq(keras, [L.Dense(3)])
    logit_model.set_weights(prob_model.get_weights())
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    same = all(np.allclose(a, b, atol=1e-6) for a, b in zip(
        _grads(tf, prob_model, loss, X, Y3), _grads(tf, logit_model, loss, X, Y3), strict=True))
    report = lossedu.doctor(prob_model, loss=loss)
    assert same == (after is None)
    assert report.codes == (["probability-output-from-logits-repaired"] if same
                            else ["probability-output-from-logits"])


@pytest.mark.tf
def test_linear_output_probability_loss_really_kills_gradients(tf, keras, tf_backend):
    """from_logits=False on raw logits: every clipped logit gets a gradient of exactly 0."""
    logits = tf.Variable(RNG.standard_normal((64, 10)).astype("float32") * 3)
    labels = np.arange(64) % 10
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=False)
    with tf.GradientTape() as tape:
        value = loss(labels, logits)
    grad = tape.gradient(value, logits).numpy()
    zero = np.mean(grad == 0.0)
    outside = np.mean((logits.numpy() < 1e-7) | (logits.numpy() > 1 - 1e-7))
    assert zero == pytest.approx(outside) and zero > 0.5


@pytest.mark.tf
def test_keras3_accuracy_resolution_matches_the_findings(keras):
    """The metric findings rely on Keras 3 choosing "accuracy" from shapes, not the loss."""
    from keras.src.trainers.compile_utils import get_metric

    def kind(y_true, units):
        y_pred = np.zeros((len(y_true), units), "float32")
        return type(get_metric("accuracy", y_true, y_pred)).__name__

    assert kind(YB, 1) == "BinaryAccuracy"  # Dense(1): threshold 0.5, even on logits
    assert kind(Y3_ONEHOT, 3) == "CategoricalAccuracy"  # BCE + one-hot: not BinaryAccuracy
    assert kind(Y5_MULTI, 5) == "CategoricalAccuracy"  # BCE multi-label: argmax, meaningless
    assert kind(Y3, 3) == "SparseCategoricalAccuracy"
    assert keras.metrics.BinaryAccuracy().threshold == 0.5


@pytest.mark.tf
def test_accuracy_threshold_on_logits_misreports(keras):
    """Dense(1) logits + "accuracy": Keras thresholds the logits at 0.5 instead of 0."""
    from keras.src.trainers.compile_utils import get_metric

    import lossedu

    logits = np.array([[0.2], [0.3], [2.0], [-1.0]], "float32")  # 0.2, 0.3 mean "positive"
    y = np.array([1, 1, 1, 0], "float32")
    accuracy = get_metric("accuracy", y, logits)  # what compile(metrics=["accuracy"]) builds
    accuracy.update_state(y, logits)
    right = keras.metrics.BinaryAccuracy(threshold=0.0)
    right.update_state(y, logits)
    assert float(accuracy.result()) == pytest.approx(0.5)
    assert float(right.result()) == pytest.approx(1.0)
    model = seq(keras, [keras.layers.Dense(1)])
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    assert lossedu.doctor(model).codes == ["accuracy-threshold-on-logits"]


# --- API, printing, side effects -------------------------------------------------------------

@pytest.mark.tf
def test_api_and_printing(keras):
    import lossedu

    bad = seq(keras, [keras.layers.Dense(3)])
    bad.compile(loss="sparse_categorical_crossentropy")
    report = lossedu.doctor(bad)
    assert isinstance(report, Report) and not report.ok
    assert [f.code for f in report.errors] == ["linear-output-probability-loss"]
    f = report.findings[0]
    assert isinstance(f, Finding) and f.severity == "error"
    assert "from_logits=True" in f.fix and "15 to 50 %" in f.why
    text = str(report)
    assert "\u2716 error [linear-output-probability-loss]" in text
    assert "what:" in text and "why:" in text and "fix:" in text
    html = report._repr_html_()
    assert "linear-output-probability-loss" in html and "<pre><code>" in html
    assert "&#x27;" in html or "&quot;" in html  # escaped quotes from the messages

    good = seq(keras, [keras.layers.Dense(3)])
    good.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    clean = lossedu.doctor(good, y=Y3)
    assert clean.ok and clean.findings == [] and clean.errors == []
    assert str(clean).startswith("\u2714 No problems found: output 'dense")
    assert "logits" in str(clean) and "from_logits=True" in str(clean)
    assert "No problems found" in clean._repr_html_()
    assert clean.format(ascii_only=True).startswith("[ok] No problems found:")


@pytest.mark.tf
def test_doctor_is_quiet_and_leaves_the_model_alone(keras, capfd):
    """No warning or stderr output (nbval), no weight or BatchNorm statistic change."""
    import lossedu

    L = keras.layers
    model = seq(keras, [L.Dense(3), L.BatchNormalization(), L.Dense(3, activation="softmax"),
                        L.Reshape((3,))])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    before = [w.copy() for w in model.get_weights()]
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = lossedu.doctor(model, x=X, y=Y3)
    assert report.codes == ["probability-output-from-logits"]
    assert "Reshape 'reshape" in report.findings[0].what
    assert caught == []
    assert capfd.readouterr().err == ""
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


@pytest.mark.tf
def test_dataset_input_gives_probe_and_labels(tf, keras):
    import lossedu

    model = sub(keras, [keras.layers.Dense(3)])
    ds = tf.data.Dataset.from_tensor_slices((X, Y3_ONEHOT)).batch(8)
    report = lossedu.doctor(model, loss="sparse_categorical_crossentropy", x=ds)
    assert set(report.codes) == {"linear-output-probability-loss", "one-hot-labels-sparse-loss"}


# --- the pure rules, without TensorFlow ------------------------------------------------------

def _subject(act="linear", units=10, family="sparse", from_logits=False, labels=None,
             metrics=(), **out):
    return Subject(OutputFacts(name="out", units=units, activation=act, layer="Dense", **out),
                   LossFacts(display="L", family=family, from_logits=from_logits),
                   labels=labels, metrics=list(metrics))


def test_rules_without_keras():
    assert [f.code for f in all_findings(_subject())] == ["linear-output-probability-loss"]
    assert all_findings(_subject(from_logits=True)) == []
    assert all_findings(_subject(act="softmax")) == []
    rep = all_findings(_subject(act="softmax", from_logits=True, repaired=True))
    assert [f.code for f in rep] == ["probability-output-from-logits-repaired"]
    bad = all_findings(_subject(act="softmax", from_logits=True, repaired=False,
                              after=("Reshape 'r'",)))
    assert bad[0].code == "probability-output-from-logits" and "Reshape 'r'" in bad[0].what
    jax = all_findings(_subject(act="softmax", from_logits=True, repaired=False, backend="jax"))
    assert "jax backend" in jax[0].what
    # "crossentropy" resolves from shapes like Keras: one unit means binary
    auto = _subject(act="sigmoid", units=1, family="auto", from_logits=False)
    assert auto.family == "binary" and all_findings(auto) == []
    labels = LabelFacts(shape=(6,), format="sparse", integer=True, vmin=0, vmax=12, n_values=13)
    assert [f.code for f in all_findings(_subject(from_logits=True, labels=labels))] == [
        "label-out-of-range"]
    acc = MetricFacts(display='"accuracy"', kind="accuracy")
    assert [f.code for f in all_findings(_subject(units=1, family="binary", from_logits=True,
                                                metrics=[acc]))] == [
        "accuracy-threshold-on-logits"]


def test_finding_and_report_basics():
    with pytest.raises(ValueError, match="severity"):
        Finding("fatal", "x", "w", "y", "f")
    r = Report(findings=[Finding("info", "no-loss", "w", "y", "f")], summary="s.")
    assert r.ok and r.infos and not r.errors and r.codes == ["no-loss"]
    # an info that something was not read makes the headline "Not checked", never "clean"
    assert not r.checked and r.not_checked == ["w"]
    assert "1 info" not in str(r) and str(r).startswith("\u2139 Not checked: w Checked: s.")
    assert "No problems found" not in str(r) and "Not checked" in r._repr_html_()
    clean = Report(findings=[Finding("info", "bce-one-hot-accuracy", "w", "y", "f")],
                   summary="s.")
    assert clean.checked and str(clean).startswith("\u2714 No problems found: s.")
    r2 = Report(findings=[Finding("warning", "a", "w", "y", "f"),
                          Finding("error", "b", "w", "y", "f")], summary="s.", model_name="m")
    assert not r2.ok and str(r2).startswith("lossedu doctor, model 'm': 1 error, 1 warning.")
    assert r2.format(ascii_only=True).isascii()


def test_the_loss_at_initialisation_is_judged_only_before_training(keras):
    """A trained model's loss is far below chance for a good reason: no init-loss finding."""
    import lossedu

    model = seq(keras, [_L(keras).Dense(3)])
    model.compile(optimizer="adam", loss=_sc(from_logits=True)(keras))
    x, y = X * 1000, Y3
    assert "init-loss-far-from-chance" in lossedu.doctor(model, x=x, y=y).codes
    model.fit(x, y, epochs=1, batch_size=40, verbose=0)
    assert "init-loss-far-from-chance" not in lossedu.doctor(model, x=x, y=y).codes
