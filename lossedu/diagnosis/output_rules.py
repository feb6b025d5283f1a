"""Rules on the output layer against the loss: logits, probabilities, from_logits.

Each rule takes a :class:`~lossedu.diagnosis.facts.Subject` and yields findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from lossedu.diagnosis.codes import (
    NOT_PROBABILITY,
    PROBABILITY,
    finding,
    is_cross_entropy,
    loss_class,
    probability_layer,
    units_text,
)
from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.report import Finding
from lossedu.diagnosis.wording import join_sentences
from lossedu.i18n import _

__all__ = [
    "linear_output_findings",
    "double_activation_findings",
    "softmax_single_unit_findings",
    "categorical_single_unit_findings",
    "activation_on_logits_findings",
    "activation_loss_pairing_findings",
]


def _clip(family: str | None) -> str:
    """What Keras does to probabilities before the log, for the loss ``family``."""
    if family == "binary":
        return _("clips each output to [1e-7, 1 - 1e-7] and takes log(p) and log(1 - p)")
    if family == "categorical":
        return _("divides each row by its sum, clips to [1e-7, 1 - 1e-7] and takes the log")
    return _("clips the outputs to [1e-7, 1 - 1e-7], takes the log and renormalises")


def linear_output_findings(s: Subject) -> Iterator[Finding]:
    """Logits (or other non-probabilities) fed to a loss that expects probabilities."""
    if not is_cross_entropy(s) or s.loss.from_logits is not False:
        return
    if s.act == "softmax" and s.units == 1:
        return  # softmax-single-unit says it better
    clip = _clip(s.family)
    loss_line = f"loss = keras.losses.{loss_class(s)}(from_logits=True)"
    fix = (loss_line + "   " + _(
        "# the output layer stays keras.layers.Dense({units})\n"
        "# probabilities for inference, after training:\n"
        "prob_model = keras.Sequential([model, {probability_layer}])").format(
        units=units_text(s), probability_layer=probability_layer(s)))
    if s.act == "linear":
        what = (_("The output {desc} has no activation, so it produces logits (its values on a "
                  "probe batch fall outside [0, 1]), but the loss {loss} expects probabilities "
                  "(from_logits=False).") if s.output.source == "probe" else
                _("The output {desc} has no activation, so it produces logits, but the loss "
                  "{loss} expects probabilities (from_logits=False)."))
        yield finding(
            "linear-output-probability-loss",
            what.format(desc=s.output.desc, loss=s.loss.display),
            _("With from_logits=False Keras {clip}. Logits are not probabilities: every value "
              "that ends up outside [1e-7, 1 - 1e-7] is clipped, and a clipped value has a "
              "gradient of exactly zero (every negative logit, about half of them at the start), "
              "so much of the output stops learning. Keras raises no error and prints no "
              "warning: the loss sits near a constant and accuracy stalls. (Lesson 05's "
              "Fashion-MNIST model: the training loss sticks at log 10 ≈ 2.30, where every "
              "gradient is zero, and the test accuracy lands anywhere from about 15 to 50 %, "
              "depending on the random seed and the machine, instead of about 0.86.)"
              ).format(clip=clip),
            fix)
    elif s.act in NOT_PROBABILITY:
        yield finding(
            "nonprobability-output-probability-loss",
            _("The output {desc} applies {activation}, whose values are not probabilities, but "
              "the loss {loss} expects probabilities (from_logits=False).").format(
                desc=s.output.desc, activation=s.act, loss=s.loss.display),
            _("With from_logits=False Keras {clip}. {activation} outputs outside "
              "[1e-7, 1 - 1e-7] are clipped and get a gradient of exactly zero (a ReLU output "
              "of 0 or above 1, say), so training stalls without any error or warning."
              ).format(clip=clip, activation=s.act),
            _("keras.layers.Dense({units})   # no activation: logits").format(
                units=units_text(s)) + "\n" + loss_line)


def _why_double(act: str) -> str:
    """Why a second softmax or sigmoid on probabilities stalls training."""
    if act == "softmax":
        return _("A softmax of probabilities: its inputs all lie in [0, 1], so the second "
                 "softmax is squeezed towards uniform. With C classes the top class can reach at "
                 "most e / (e + C - 1) (0.23 for C = 10), so the loss can never fall below "
                 "about -log(0.23) = 1.46 and the gradients shrink: training is slow and "
                 "stalls.")
    return _("A sigmoid of probabilities: its inputs lie in [0, 1], so the second sigmoid "
             "only returns values in [0.5, 0.73]. The model can never predict a confident "
             "'no', the loss cannot approach 0, and the gradients shrink: training stalls.")


def double_activation_findings(s: Subject) -> Iterator[Finding]:
    """A softmax/sigmoid output given to a loss that will apply softmax/sigmoid again."""
    if not is_cross_entropy(s) or s.loss.from_logits is not True or s.act not in PROBABILITY:
        return
    if s.act == "softmax" and s.units == 1:
        return
    act = "sigmoid" if s.act == "hard_sigmoid" else s.act
    fix = _("# either keep the {activation} and tell the loss it gets probabilities:\n"
            "loss = keras.losses.{loss_class}(from_logits=False)\n"
            "# or (better: numerically stable) output logits and keep from_logits=True:\n"
            "keras.layers.Dense({units})   # no activation").format(
        activation=s.act, loss_class=loss_class(s), units=units_text(s))
    if s.output.repaired:
        yield finding(
            "probability-output-from-logits-repaired",
            _("The output {desc} already gives {activation} probabilities, yet the loss {loss} "
              "says from_logits=True. Keras 3 on TensorFlow repairs this silently: it takes the "
              "logits the {activation} left on the tensor (`_keras_logits`) and only prints a "
              "UserWarning.").format(desc=s.output.desc, activation=act, loss=s.loss.display),
            _("It trains correctly today, but the code says the opposite of what happens, and "
              "the repair is fragile. It is lost as soon as a layer follows the activation (even "
              "Flatten, Reshape or Dropout), with a mixed_float16 output, with "
              "SparseCategoricalCrossentropy(ignore_class=...), on the JAX or PyTorch backend, "
              "or when the loss is computed on model.predict() output. Then the double "
              "{activation} is real and training stalls.").format(activation=act),
            fix)
        return
    if s.act == "hard_sigmoid":
        reason = _("hard_sigmoid never leaves its logits on the tensor")
    elif s.loss.class_name.endswith("FocalCrossentropy"):
        reason = _("{loss_class} applies the {activation} itself (keras.ops.{activation}) and "
                   "never looks for hidden logits").format(loss_class=s.loss.class_name,
                                                          activation=act)
    elif s.output.backend != "tensorflow":
        reason = _("the {backend} backend never recovers hidden logits (only the TensorFlow "
                   "backend does)").format(backend=s.output.backend)
    elif s.output.after:
        reason = _("{layers} after the activation hides the logits Keras would otherwise "
                   "recover").format(layers=", ".join(s.output.after))
    elif s.loss.ignore_class is not None:
        reason = _("ignore_class masks the output (tf.where) before the cross-entropy sees it, "
                   "which drops the hidden logits")
    elif s.output.dtype not in (None, "float32"):
        reason = _("the output is {dtype} (mixed precision) and the loss casts it to float32, "
                   "which drops the hidden logits; a float32 output layer, dtype=\"float32\", "
                   "would keep them").format(dtype=s.output.dtype)
    else:
        reason = _("the tensor reaching the loss does not carry the logits Keras looks for")
    yield finding(
        "probability-output-from-logits",
        _("The output {desc} already gives {activation} probabilities, and the loss {loss} "
          "applies {activation} again (from_logits=True). Keras cannot repair it here: "
          "{reason}.").format(desc=s.output.desc, activation=act, loss=s.loss.display,
                              reason=reason),
        _why_double(act), fix)


def softmax_single_unit_findings(s: Subject) -> Iterator[Finding]:
    if s.act != "softmax" or s.units != 1:
        return
    yield finding(
        "softmax-single-unit",
        _("The output {desc} applies softmax over a single unit: it returns 1.0 for every "
          "input.").format(desc=s.output.desc),
        _("Softmax normalises across the units: exp(z) / exp(z) = 1 whatever z is, so every "
          "prediction is 'class 1' with certainty and accuracy equals the share of positive "
          "examples. Worse, on TensorFlow Keras may train the hidden pre-softmax value (it takes "
          "it as a sigmoid logit for binary cross-entropy), so the loss goes down while "
          "model.predict() still returns 1.0 everywhere."),
        _("# two classes: one sigmoid unit\n"
          "keras.layers.Dense(1)   # logits\n"
          "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
          "# C classes: one unit per class\n"
          "keras.layers.Dense(num_classes)\n"
          "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)"))


def categorical_single_unit_findings(s: Subject) -> Iterator[Finding]:
    if s.family not in ("sparse", "categorical") or s.units != 1:
        return
    yield finding(
        "categorical-loss-single-unit",
        _("The loss {loss} is a softmax cross-entropy over classes, but the output {desc} has a "
          "single unit.").format(loss=s.loss.display, desc=s.output.desc),
        _("A softmax over one class is always 1, so the loss is 0 for every example and no "
          "gradient flows: nothing learns. With 0/1 labels the sparse loss fails instead "
          "('Received a label value of 1 which is outside the valid range of [0, 1)')."),
        _("# two classes, labels 0/1:\n"
          "keras.layers.Dense(1)\n"
          "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
          "# or one unit per class:\n"
          "keras.layers.Dense(num_classes)"))


def _why_activation_on_logits(act: str) -> str:
    """What the activation ``act`` does to logits that should be free."""
    if act == "relu":
        return _("ReLU clips every logit at 0, so no class can get a negative score, and a unit "
                 "that is 0 for every input gets no gradient at all (a dead class).")
    if act == "relu6":
        return _("relu6 clips every logit to [0, 6]: no negative scores and a capped "
                 "confidence.")
    if act == "tanh":
        return _("tanh bounds every logit to [-1, 1], so the softmax can never be confident: "
                 "with 10 classes the top class reaches at most e^2 / (e^2 + 9) = 0.45, a loss "
                 "floor of 0.80.")
    if act == "softplus":
        return _("softplus keeps every logit above 0, so no class can get a negative score.")
    return _("{activation} limits the range of the logits, which must be free to take any "
             "value.").format(activation=act)


def activation_on_logits_findings(s: Subject) -> Iterator[Finding]:
    if (not is_cross_entropy(s) or s.loss.from_logits is not True or s.act not in NOT_PROBABILITY
            or s.act == "log_softmax"):
        return
    why = _why_activation_on_logits(s.act)
    yield finding(
        "activation-on-logits",
        _("The output {desc} applies {activation}, and the loss {loss} treats the result as "
          "logits (from_logits=True).").format(desc=s.output.desc, activation=s.act,
                                               loss=s.loss.display),
        join_sentences([why, _("Logits should come straight from a Dense layer without an "
                               "activation.")]),
        _("keras.layers.Dense({units})   # no activation before a from_logits=True loss").format(
            units=units_text(s)))


def activation_loss_pairing_findings(s: Subject) -> Iterator[Finding]:
    """Sigmoid with a softmax loss, softmax with a sigmoid loss."""
    if s.units is None or s.units < 2:
        return
    if s.act == "sigmoid" and s.family in ("sparse", "categorical"):
        yield finding(
            "sigmoid-output-categorical-loss",
            _("The output {desc} applies sigmoid to each of {units} units, but the loss {loss} "
              "is a softmax cross-entropy over mutually exclusive classes.").format(
                desc=s.output.desc, units=s.units, loss=s.loss.display),
            _("Sigmoid scores each class on its own, so model.predict() returns values that do "
              "not sum to 1. On TensorFlow, Keras quietly trains the pre-sigmoid values as "
              "softmax logits (the sigmoid leaves them on the tensor); elsewhere the loss "
              "renormalises the sigmoids. Either way the probabilities you read are not the "
              "ones the loss optimised."),
            _("keras.layers.Dense({units}, activation=\"softmax\")   # with from_logits=False\n"
              "# or, better, logits:\nkeras.layers.Dense({units})\n"
              "loss = keras.losses.{loss_class}(from_logits=True)").format(
                units=s.units, loss_class=loss_class(s)))
    elif s.act == "softmax" and s.family == "binary":
        yield finding(
            "softmax-output-binary-loss",
            _("The output {desc} applies softmax across {units} units, but the loss {loss} "
              "scores each unit as an independent yes/no (binary cross-entropy).").format(
                desc=s.output.desc, units=s.units, loss=s.loss.display),
            _("Softmax makes the units compete (they sum to 1); binary cross-entropy treats "
              "them as independent. On TensorFlow, Keras silently swaps in the pre-softmax "
              "values as sigmoid logits, so the loss trains independent sigmoids while "
              "model.predict() returns a softmax: neither model is the one you wrote."),
            _("# one class per example (mutually exclusive):\n"
              "loss = keras.losses.CategoricalCrossentropy()   # softmax output, one-hot labels\n"
              "# several labels per example (multi-label):\n"
              "keras.layers.Dense({units})\n"
              "loss = keras.losses.BinaryCrossentropy(from_logits=True)").format(units=s.units))
