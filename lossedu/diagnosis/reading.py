"""From a Keras model to the facts the rules read: one :class:`Subject` per output.

How each output is read, most reliable first:

1. the layer graph (Sequential and functional models, :mod:`~lossedu.diagnosis.graph`): the
   activation of the layer that produces the output, and any layer after it;
2. on the TensorFlow backend, a trace of ``model(x, training=True)`` plus the loss, exactly as
   ``fit`` runs them (:mod:`~lossedu.diagnosis.tracing`): whether Keras 3 will repair a
   softmax/sigmoid output passed with ``from_logits=True``, and which op made the output;
3. a probe batch (:mod:`~lossedu.diagnosis.probe`): the output values decide.

The loss and metrics come from ``model.compile`` (:mod:`~lossedu.diagnosis.compiled`) unless
a loss is given; the labels, when given, from :mod:`~lossedu.diagnosis.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lossedu.diagnosis import keras_api, tracing
from lossedu.diagnosis.compiled import compiled, describe_loss, metric_facts
from lossedu.diagnosis.facts import LossFacts, OutputFacts, Subject
from lossedu.diagnosis.graph import graph_outputs, output_names, walk_graph
from lossedu.diagnosis.init_loss import measure_init_loss
from lossedu.diagnosis.labels import label_facts
from lossedu.diagnosis.probe import activation_from_probe, from_dataset, probe_input, probe_stats
from lossedu.i18n import _

__all__ = ["read_subjects", "per_output"]


@dataclass
class _Probe:
    """The probe batch, and the model's outputs on it when they were needed."""

    x: object = None  # the batch, or None when there is no input to make one from
    source: str = ""  # "x[:32]" or "random input"
    outputs: list | None = None  # the flat outputs of model(x, training=False)
    error: str = ""  # why calling the model failed


def read_subjects(keras, model, loss=None, x=None, y=None) -> tuple[list[Subject], str]:
    """(one Subject per model output, the Keras backend's name)."""
    backend = keras_api.backend_name(keras)
    compiled_loss, compiled_metrics = compiled(model)
    x, y = from_dataset(x, y)
    outputs, ranks = _graph_facts(keras, model, backend)
    need = not outputs or any(o.activation == "unknown" for o in outputs)
    probe = _run_probe(keras, model, x, need)
    if not outputs:
        outputs, ranks = _probe_facts(model, probe, backend)
    names = output_names(model, len(outputs))
    losses = per_output(loss if loss is not None else compiled_loss, names, "loss")
    loss_facts = [describe_loss(keras, lo) for lo in losses]
    _read_probe_values(keras, outputs, probe)
    if backend == "tensorflow" and probe.x is not None and not probe.error:
        _read_trace(keras, model, probe.x, outputs, loss_facts, losses)
    _assume_repair(outputs, loss_facts, backend)
    ys = per_output(y, names, "labels") if y is not None else [None] * len(outputs)
    metric_items = per_output(compiled_metrics, names, "metrics")
    subjects = [
        Subject(output=o, loss=lf, labels=label_facts(ys[i], o.units, ranks[i], o.shape),
                metrics=metric_facts(keras, metric_items[i]))
        for i, (o, lf) in enumerate(zip(outputs, loss_facts, strict=True))]
    # The loss at initialisation means something only for a model that has not trained yet.
    untrained = keras_api.trained_steps(model) == 0
    if len(subjects) == 1 and x is not None and y is not None and not probe.error and untrained:
        s = subjects[0]
        s.init_loss = measure_init_loss(keras, model, losses[0], x, ys[0], s.family, s.units)
    return subjects, backend


def per_output(obj, names: list[str], kind: str) -> list:
    """Split a loss/labels/metrics structure into one item per output."""
    n = len(names)
    if n == 1:
        if isinstance(obj, dict) and set(obj) == {names[0]}:
            return [obj[names[0]]]
        if kind != "metrics" and isinstance(obj, (list, tuple)) and len(obj) == 1:
            return [obj[0]]
        return [obj]
    if isinstance(obj, dict):
        return [obj.get(name) for name in names]
    if isinstance(obj, (list, tuple)) and len(obj) == n:
        return list(obj)
    if kind == "loss":
        return [obj] * n
    return [None] * n


def _graph_facts(keras, model, backend: str) -> tuple[list[OutputFacts], list[int | None]]:
    """The outputs as the layer graph shows them, and their ranks; ([], []) without a graph."""
    outs = graph_outputs(model)
    if not outs:
        return [], []
    facts = []
    for name, t in zip(output_names(model, len(outs)), outs, strict=True):
        act, layer_cls, layer_name, after = walk_graph(keras, t)
        shape = tuple(t.shape)
        facts.append(OutputFacts(
            name=layer_name or name, units=shape[-1] if shape else None, activation=act,
            layer=layer_cls, source="graph", after=after,
            dtype=str(getattr(t, "dtype", "")) or None, backend=backend, rank=len(shape),
            shape=shape))
    return facts, [len(t.shape) for t in outs]


def _run_probe(keras, model, x, need: bool) -> _Probe:
    """The probe batch; the model is called on it only when the graph left a question."""
    batch, source = probe_input(keras, model, x)
    probe = _Probe(x=batch, source=source)
    if batch is not None and need:
        try:
            probe.outputs = keras.tree.flatten(model(batch, training=False))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            probe.error = (_("calling the model on random input failed ({error})")
                           if source == "random input" else
                           _("calling the model on {source} failed ({error})")).format(
                source=source, error=error)
    return probe


def _probe_facts(model, probe: _Probe, backend: str):
    """The outputs of a model without a readable graph, from the probe (if it ran)."""
    if probe.outputs is None:
        note = probe.error or _("the model has no readable graph and no input shape; pass x= "
                                "(a batch of inputs)")
        return [OutputFacts(name=output_names(model, 1)[0], units=None, activation="unknown",
                            source="probe", backend=backend, note=note)], [None]
    names = output_names(model, len(probe.outputs))
    facts = [OutputFacts(name=name, units=(int(t.shape[-1]) if len(t.shape) else None),
                         activation="unknown", source="probe", backend=backend,
                         dtype=str(getattr(t, "dtype", "")), rank=len(t.shape),
                         shape=(None, *tuple(t.shape)[1:]))
             for name, t in zip(names, probe.outputs, strict=True)]
    return facts, [len(t.shape) for t in probe.outputs]


def _read_probe_values(keras, outputs: list[OutputFacts], probe: _Probe) -> None:
    """The probe values decide what the graph could not."""
    for i, o in enumerate(outputs):
        if o.activation != "unknown":
            continue
        if probe.outputs is not None and i < len(probe.outputs):
            t = probe.outputs[i]
            o.probe = probe_stats(keras.ops.convert_to_numpy(t))
            o.activation = activation_from_probe(o.probe, o.units, keras_api.has_hidden_logits(t))
            o.source = "probe"
        elif probe.error:
            o.note = probe.error


def _read_trace(keras, model, x_probe, outputs: list[OutputFacts],
                loss_facts: list[LossFacts], losses: list) -> None:
    """Which op made each output, and does Keras repair from_logits=True (TF backend)."""
    jobs = {}
    for i, (o, lf) in enumerate(zip(outputs, loss_facts, strict=True)):
        if lf.from_logits is True and lf.family is not None:
            fam = lf.family
            if fam == "auto":
                fam = "binary" if o.units == 1 else "categorical"
            jobs[i] = (losses[i], fam, o.units or 1)
    if not jobs and not any(o.source == "probe" for o in outputs):
        return
    try:
        info = tracing.trace_model(keras, model, x_probe, jobs)
    except Exception as exc:
        info = {}
        for o in outputs:
            o.note = o.note or _("tracing the model failed ({error})").format(
                error=type(exc).__name__)
    for i, o in enumerate(outputs):
        if info.get(i):
            _apply_trace(o, info[i])


def _apply_trace(o: OutputFacts, r: dict) -> None:
    o.dtype = r["dtype"]
    if o.source == "probe":
        tf_act, tf_after = tracing.tf_activation(r["ops"])
        if tf_act != "unknown":  # the op that made the output beats the values
            o.activation = tf_act
            o.source = "traced graph"
            o.layer = f"TF op {r['ops'][-1]}"
            if tf_after:
                o.after = tuple(_("a {op} op").format(op=op) for op in r["ops"][:-1])
    if "repaired" in r:
        o.repaired = r["repaired"]
        o.repair_checked = True


def _assume_repair(outputs: list[OutputFacts], loss_facts: list[LossFacts], backend: str):
    """Without a trace, the rules Keras follows decide whether it repairs from_logits=True:
    the TF backend, no layer after the activation, a float32 output, no ignore_class, and a
    softmax/sigmoid (not hard_sigmoid) before a non-focal cross-entropy."""
    for o, lf in zip(outputs, loss_facts, strict=True):
        if o.repaired is None and lf.from_logits is True:
            o.repaired = (backend == "tensorflow" and not o.after and o.dtype in (None, "float32")
                          and lf.ignore_class is None and o.activation in ("softmax", "sigmoid")
                          and not lf.class_name.endswith("FocalCrossentropy"))
