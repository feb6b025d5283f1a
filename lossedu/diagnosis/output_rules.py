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

__all__ = [
    "linear_output_findings",
    "double_activation_findings",
    "softmax_single_unit_findings",
    "categorical_single_unit_findings",
    "activation_on_logits_findings",
    "activation_loss_pairing_findings",
]


def linear_output_findings(s: Subject) -> Iterator[Finding]:
    """Logits (or other non-probabilities) fed to a loss that expects probabilities."""
    if not is_cross_entropy(s) or s.loss.from_logits is not False:
        return
    if s.act == "softmax" and s.units == 1:
        return  # softmax-single-unit says it better
    clip = {
        "binary": "clips each output to [1e-7, 1 - 1e-7] and takes log(p) and log(1 - p)",
        "categorical": "divides each row by its sum, clips to [1e-7, 1 - 1e-7] and takes the log",
    }.get(s.family, "clips the outputs to [1e-7, 1 - 1e-7], takes the log and renormalises")
    fix = (f"loss = keras.losses.{loss_class(s)}(from_logits=True)   "
           f"# the output layer stays keras.layers.Dense({units_text(s)})\n"
           f"# probabilities for inference, after training:\n"
           f"prob_model = keras.Sequential([model, {probability_layer(s)}])")
    if s.act == "linear":
        seen = (" (its values on a probe batch fall outside [0, 1])"
                if s.output.source == "probe" else "")
        yield finding(
            "linear-output-probability-loss",
            f"The output {s.output.desc} has no activation, so it produces logits{seen}, but the "
            f"loss {s.loss.display} expects probabilities (from_logits=False).",
            f"With from_logits=False Keras {clip}. Logits are not probabilities: every value "
            "that ends up outside [1e-7, 1 - 1e-7] is clipped, and a clipped value has a "
            "gradient of exactly zero (every negative logit, about half of them at the start), "
            "so much of the output stops learning. Keras raises no error and prints no warning: "
            "the loss sits near a constant and accuracy stalls. (Lesson 05's Fashion-MNIST "
            "model: the training loss sticks at log 10 ≈ 2.30, where every gradient is zero, and "
            "the test accuracy lands anywhere from about 15 to 50 %, depending on the random seed "
            "and the machine, instead of about 0.86.)",
            fix)
    elif s.act in NOT_PROBABILITY:
        yield finding(
            "nonprobability-output-probability-loss",
            f"The output {s.output.desc} applies {s.act}, whose values are not probabilities, but "
            f"the loss {s.loss.display} expects probabilities (from_logits=False).",
            f"With from_logits=False Keras {clip}. {s.act} outputs outside [1e-7, 1 - 1e-7] are "
            "clipped and get a gradient of exactly zero (a ReLU output of 0 or above 1, say), so "
            "training stalls without any error or warning.",
            f"keras.layers.Dense({units_text(s)})   # no activation: logits\n"
            + fix.split("   #")[0])


_WHY_DOUBLE = {
    "softmax": ("A softmax of probabilities: its inputs all lie in [0, 1], so the second softmax "
                "is squeezed towards uniform. With C classes the top class can reach at most "
                "e / (e + C - 1) (0.23 for C = 10), so the loss can never fall below about "
                "-log(0.23) = 1.46 and the gradients shrink: training is slow and stalls."),
    "sigmoid": ("A sigmoid of probabilities: its inputs lie in [0, 1], so the second sigmoid only "
                "returns values in [0.5, 0.73]. The model can never predict a confident 'no', the "
                "loss cannot approach 0, and the gradients shrink: training stalls."),
}


def double_activation_findings(s: Subject) -> Iterator[Finding]:
    """A softmax/sigmoid output given to a loss that will apply softmax/sigmoid again."""
    if not is_cross_entropy(s) or s.loss.from_logits is not True or s.act not in PROBABILITY:
        return
    if s.act == "softmax" and s.units == 1:
        return
    act = "sigmoid" if s.act == "hard_sigmoid" else s.act
    fix = (f"# either keep the {s.act} and tell the loss it gets probabilities:\n"
           f"loss = keras.losses.{loss_class(s)}(from_logits=False)\n"
           f"# or (better: numerically stable) output logits and keep from_logits=True:\n"
           f"keras.layers.Dense({units_text(s)})   # no activation")
    if s.output.repaired:
        yield finding(
            "probability-output-from-logits-repaired",
            f"The output {s.output.desc} already gives {act} probabilities, yet the loss "
            f"{s.loss.display} says from_logits=True. Keras 3 on TensorFlow repairs this "
            f"silently: it takes the logits the {act} left on the tensor (`_keras_logits`) and "
            "only prints a UserWarning.",
            "It trains correctly today, but the code says the opposite of what happens, and the "
            "repair is fragile. It is lost as soon as a layer follows the activation (even "
            "Flatten, Reshape or Dropout), with a mixed_float16 output, with "
            "SparseCategoricalCrossentropy(ignore_class=...), on the JAX or PyTorch backend, or "
            "when the loss is computed on model.predict() output. Then the double "
            f"{act} is real and training stalls.",
            fix)
        return
    if s.act == "hard_sigmoid":
        reason = "hard_sigmoid never leaves its logits on the tensor"
    elif s.loss.class_name.endswith("FocalCrossentropy"):
        reason = (f"{s.loss.class_name} applies the {act} itself (keras.ops.{act}) and never "
                  "looks for hidden logits")
    elif s.output.backend != "tensorflow":
        reason = (f"the {s.output.backend} backend never recovers hidden logits "
                  "(only the TensorFlow backend does)")
    elif s.output.after:
        reason = (f"{', '.join(s.output.after)} after the activation hides the logits Keras "
                  "would otherwise recover")
    elif s.loss.ignore_class is not None:
        reason = ("ignore_class masks the output (tf.where) before the cross-entropy sees it, "
                  "which drops the hidden logits")
    elif s.output.dtype not in (None, "float32"):
        reason = (f"the output is {s.output.dtype} (mixed precision) and the loss casts it to "
                  "float32, which drops the hidden logits; a float32 output layer, "
                  "dtype=\"float32\", would keep them")
    else:
        reason = "the tensor reaching the loss does not carry the logits Keras looks for"
    yield finding(
        "probability-output-from-logits",
        f"The output {s.output.desc} already gives {act} probabilities, and the loss "
        f"{s.loss.display} applies {act} again (from_logits=True). Keras cannot repair it "
        f"here: {reason}.",
        _WHY_DOUBLE[act], fix)


def softmax_single_unit_findings(s: Subject) -> Iterator[Finding]:
    if s.act != "softmax" or s.units != 1:
        return
    yield finding(
        "softmax-single-unit",
        f"The output {s.output.desc} applies softmax over a single unit: it returns 1.0 for "
        "every input.",
        "Softmax normalises across the units: exp(z) / exp(z) = 1 whatever z is, so every "
        "prediction is 'class 1' with certainty and accuracy equals the share of positive "
        "examples. Worse, on TensorFlow Keras may train the hidden pre-softmax value (it takes "
        "it as a sigmoid logit for binary cross-entropy), so the loss goes down while "
        "model.predict() still returns 1.0 everywhere.",
        "# two classes: one sigmoid unit\n"
        "keras.layers.Dense(1)   # logits\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "# C classes: one unit per class\n"
        "keras.layers.Dense(num_classes)\n"
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)")


def categorical_single_unit_findings(s: Subject) -> Iterator[Finding]:
    if s.family not in ("sparse", "categorical") or s.units != 1:
        return
    yield finding(
        "categorical-loss-single-unit",
        f"The loss {s.loss.display} is a softmax cross-entropy over classes, but the output "
        f"{s.output.desc} has a single unit.",
        "A softmax over one class is always 1, so the loss is 0 for every example and no "
        "gradient flows: nothing learns. With 0/1 labels the sparse loss fails instead "
        "('Received a label value of 1 which is outside the valid range of [0, 1)').",
        "# two classes, labels 0/1:\n"
        "keras.layers.Dense(1)\n"
        "loss = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "# or one unit per class:\n"
        "keras.layers.Dense(num_classes)")


_WHY_ACTIVATION_ON_LOGITS = {
    "relu": "ReLU clips every logit at 0, so no class can get a negative score, and a unit that "
            "is 0 for every input gets no gradient at all (a dead class).",
    "relu6": "relu6 clips every logit to [0, 6]: no negative scores and a capped confidence.",
    "tanh": "tanh bounds every logit to [-1, 1], so the softmax can never be confident: with "
            "10 classes the top class reaches at most e^2 / (e^2 + 9) = 0.45, a loss floor of "
            "0.80.",
    "softplus": "softplus keeps every logit above 0, so no class can get a negative score.",
}


def activation_on_logits_findings(s: Subject) -> Iterator[Finding]:
    if (not is_cross_entropy(s) or s.loss.from_logits is not True or s.act not in NOT_PROBABILITY
            or s.act == "log_softmax"):
        return
    why = _WHY_ACTIVATION_ON_LOGITS.get(
        s.act, f"{s.act} limits the range of the logits, which must be free to take any value.")
    yield finding(
        "activation-on-logits",
        f"The output {s.output.desc} applies {s.act}, and the loss {s.loss.display} treats the "
        "result as logits (from_logits=True).",
        why + " Logits should come straight from a Dense layer without an activation.",
        f"keras.layers.Dense({units_text(s)})   # no activation before a from_logits=True loss")


def activation_loss_pairing_findings(s: Subject) -> Iterator[Finding]:
    """Sigmoid with a softmax loss, softmax with a sigmoid loss."""
    if s.units is None or s.units < 2:
        return
    if s.act == "sigmoid" and s.family in ("sparse", "categorical"):
        yield finding(
            "sigmoid-output-categorical-loss",
            f"The output {s.output.desc} applies sigmoid to each of {s.units} units, but the "
            f"loss {s.loss.display} is a softmax cross-entropy over mutually exclusive classes.",
            "Sigmoid scores each class on its own, so model.predict() returns values that do "
            "not sum to 1. On TensorFlow, Keras quietly trains the pre-sigmoid values as "
            "softmax logits (the sigmoid leaves them on the tensor); elsewhere the loss "
            "renormalises the sigmoids. Either way the probabilities you read are not the ones "
            "the loss optimised.",
            f"keras.layers.Dense({s.units}, activation=\"softmax\")   # with from_logits=False\n"
            f"# or, better, logits:\nkeras.layers.Dense({s.units})\n"
            f"loss = keras.losses.{loss_class(s)}(from_logits=True)")
    elif s.act == "softmax" and s.family == "binary":
        yield finding(
            "softmax-output-binary-loss",
            f"The output {s.output.desc} applies softmax across {s.units} units, but the loss "
            f"{s.loss.display} scores each unit as an independent yes/no (binary "
            "cross-entropy).",
            "Softmax makes the units compete (they sum to 1); binary cross-entropy treats them "
            "as independent. On TensorFlow, Keras silently swaps in the pre-softmax values as "
            "sigmoid logits, so the loss trains independent sigmoids while model.predict() "
            "returns a softmax: neither model is the one you wrote.",
            "# one class per example (mutually exclusive):\n"
            "loss = keras.losses.CategoricalCrossentropy()   # softmax output, one-hot labels\n"
            "# several labels per example (multi-label):\n"
            f"keras.layers.Dense({s.units})\n"
            "loss = keras.losses.BinaryCrossentropy(from_logits=True)")
