"""The cases: real users' mistakes, and healthy controls, each with its public source.

``root_cause`` is what the report's answer, fix or maintainer says; ``expect`` is the verdict
taken from that root cause (finding codes, any of which counts as a hit), never from what the
doctor says.  Where a backend changes what the mistake does, ``expect`` maps the backend to
its codes (a double softmax is repaired on TensorFlow, real on JAX).  Cases from an old Keras
are judged by what Keras 3 does; the note says so.  Sizes are scaled down (8x8 images, 64
rows, fewer classes where the count does not matter); the label format, output layer, loss
and metrics are the report's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Case", "BUGGY", "CONTROLS", "UNREADABLE", "ALL"]

NL = "neuralint/neuralint, sample_buggy_scripts/"
SCCE_L = ("SparseCategoricalCrossentropy", {"from_logits": True})
CCE_L = ("CategoricalCrossentropy", {"from_logits": True})
BCE_L = ("BinaryCrossentropy", {"from_logits": True})
REPAIRED_OR_REAL = {"tensorflow": {"probability-output-from-logits-repaired"},
                    "jax": {"probability-output-from-logits"}}
IMG = (8, 8, 1)
SEQ = (12, 1)


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    root_cause: str
    expect: object  # set of codes (any one is a hit), or {backend: set}; empty for controls
    layers: tuple
    loss: object
    labels: tuple | None
    metrics: tuple = ()
    input: tuple = (6,)
    kind: str = "seq"  # seq | fun | sub
    note: str = ""
    group: str = field(default="buggy")  # buggy | control | unreadable

    def expected(self, backend: str) -> set[str]:
        if isinstance(self.expect, dict):
            return set(self.expect.get(backend, self.expect.get("tensorflow", set())))
        return set(self.expect)


def _c(*a, **k):
    return Case(*a, **k)


SOFTMAX1 = {"softmax-single-unit"}

BUGGY = [
    # --- NeuraLint's published buggy scripts (Stack Overflow and GitHub) -------------------
    _c("nl-so-33969059", NL + "SO Samples/33969059.py (Stack Overflow 33969059)",
       "softmax on a 1-unit output (NeuraLint: 'softmax cannot be used for 1-D vector')",
       SOFTMAX1, (("Dense", 3, "tanh"), ("Dense", 2, "tanh"), ("Dense", 1, "softmax")),
       "mean_squared_error", None, input=(3,)),
    _c("nl-so-34311586", NL + "SO Samples/34311586.py (Stack Overflow 34311586)",
       "softmax on a 1-unit output for 0/1 targets", SOFTMAX1,
       (("Dense", 2, "sigmoid"), ("Dense", 3, "sigmoid"), ("Dense", 1, "softmax")),
       "mean_squared_error", ("binary",), input=(2,)),
    _c("nl-so-50079585", NL + "SO Samples/50079585.py (Stack Overflow 50079585)",
       "Dense(1) + softmax with categorical_crossentropy on binary labels",
       SOFTMAX1 | {"categorical-loss-single-unit"},
       (("Conv2D", 4, 3), ("Flatten",), ("Dense", 8), ("Activation", "relu"), ("Dense", 1),
        ("Activation", "softmax")), "categorical_crossentropy", ("binary",), ("accuracy",),
       input=IMG),
    _c("nl-so-58844149", NL + "SO Samples/58844149.py (Stack Overflow 58844149)",
       "Dense(1) + Activation('softmax') with binary_crossentropy", SOFTMAX1,
       (("Conv2D", 4, 3), ("Flatten",), ("Dense", 8, "relu"), ("Dense", 1),
        ("Activation", "softmax")), "binary_crossentropy", ("binary",), ("accuracy",),
       input=IMG),
    _c("nl-keras-45378493", NL + "keras/45378493.py (Stack Overflow 45378493)",
       "Dense(1) + softmax with binary_crossentropy", SOFTMAX1,
       (("Conv1D", 4, 4, {"padding": "same"}), ("Flatten",), ("Dense", 8), ("LeakyReLU",),
        ("Dense", 1), ("Activation", "softmax")), "binary_crossentropy", ("binary",),
       ("accuracy",), input=SEQ),
    _c("nl-keras-51749207", NL + "keras/51749207.py (Stack Overflow 51749207)",
       "Dense(1, activation='softmax') with binary_crossentropy", SOFTMAX1,
       (("Conv1D", 4, 4, {"padding": "same"}), ("Flatten",), ("Dense", 8, "relu"),
        ("Dense", 1, "softmax")), "binary_crossentropy", ("binary",), ("accuracy",),
       input=SEQ),
    _c("nl-so-45120429", NL + "SO Samples/45120429.py (Stack Overflow 45120429)",
       "missing Flatten: Dense(32, sigmoid) applied to Conv1D feature maps",
       {"output-rank-mismatch"},
       (("Conv1D", 4, 2), ("Activation", "relu"), ("Dense", 5), ("Activation", "sigmoid")),
       "binary_crossentropy", ("multihot", 5), ("accuracy",), input=SEQ),
    _c("nl-so-53119432", NL + "SO Samples/53119432.py (Stack Overflow 53119432)",
       "missing Flatten before Dense(1, sigmoid) after Conv1D", {"output-rank-mismatch"},
       (("Conv1D", 4, 3, {"activation": "relu"}), ("MaxPooling1D", 2), ("Dropout", 0.5),
        ("Dense", 1, "sigmoid")), "binary_crossentropy", ("binary",), ("accuracy",),
       input=SEQ),
    _c("nl-so-61030068", NL + "SO Samples/61030068.py (Stack Overflow 61030068)",
       "missing Flatten: Dense(28, softmax) on Conv1D output, one-hot labels",
       {"output-rank-mismatch"},
       (("Conv1D", 4, 3, {"activation": "relu"}), ("MaxPooling1D", 2),
        ("Dense", 8, "relu"), ("Dense", 5, "softmax")), "categorical_crossentropy",
       ("onehot", 5), ("accuracy",), input=(20, 1),
       note="72 steps / 28 classes scaled to 20 / 5, keeping the output's 9 positions apart "
            "from the 5 classes as the report's 16 positions are from its 28"),
    _c("nl-keras-38584268", NL + "keras/38584268.py (Stack Overflow 38584268)",
       "Flatten forgotten (commented out) before the Dense head on CIFAR-10",
       {"output-rank-mismatch"},
       (("Conv2D", 4, 3, {"padding": "same", "activation": "relu"}), ("MaxPooling2D", 2),
        ("Dense", 8), ("Activation", "relu"), ("Dense", 10), ("Activation", "softmax")),
       "categorical_crossentropy", ("onehot", 10), ("accuracy",), input=IMG),
    _c("nl-keras-44322611", NL + "keras/44322611.py (Stack Overflow 44322611)",
       "softmax over 2 units with binary_crossentropy (wrong loss for a softmax output)",
       {"softmax-output-binary-loss", "sigmoid-exclusive-classes"},
       (("Conv2D", 4, 3, {"activation": "relu"}), ("Flatten",), ("Dense", 8, "relu"),
        ("Dense", 2, "softmax")), "binary_crossentropy", ("onehot", 2), ("accuracy",),
       input=IMG),
    _c("nl-github-3", NL + "GitHub Samples/3.py",
       "no classifier head: a ReLU conv block fed to categorical_crossentropy",
       {"nonprobability-output-probability-loss"},
       (("Conv2D", 8, 3, {"padding": "same"}), ("Activation", "relu"),
        ("GlobalAveragePooling2D",), ("Dense", 4, "relu")), "categorical_crossentropy",
       ("onehot", 4), ("accuracy",), input=IMG, kind="fun"),
    # --- GitHub issues and pull requests ---------------------------------------------------
    _c("gh-tf-37103", "tensorflow/tensorflow#37103",
       "Precision, Recall and AUC only accept values in [0, 1]; the model outputs logits "
       "(Dense(1) + BinaryCrossentropy(from_logits=True))", {"metric-needs-probabilities"},
       (("Dense", 8, "relu"), ("Dense", 1)), BCE_L, ("binary",),
       (("Precision",), ("Recall",), ("AUC",))),
    _c("gh-keras-15715", "keras-team/keras#15715",
       "TruePositives/Precision/Recall/AUC cannot handle predictions out of [0, 1] with "
       "BinaryCrossentropy(from_logits=True)", {"metric-needs-probabilities"},
       (("Dense", 8, "relu"), ("Dense", 1)), BCE_L, ("binary",),
       (("TruePositives",), ("Precision",), ("AUC",)), kind="fun",
       note="tf.keras raised 'predictions must be <= 1'; Keras 3 gives wrong numbers"),
    _c("gh-tf-41413", "tensorflow/tensorflow#41413 (fixed by tensorflow/docs#1623)",
       "'accuracy' thresholds logits at 0.5; with from_logits=True the threshold must be 0",
       {"accuracy-threshold-on-logits"}, (("GlobalAveragePooling2D",), ("Dense", 1)),
       BCE_L, ("binary",), ("accuracy",), input=IMG, kind="fun"),
    _c("gh-docs-2102", "tensorflow/docs#2102",
       "text-classification exercise: a 4-class logits head with a loss that expects "
       "probabilities; fix SparseCategoricalCrossentropy(from_logits=True)",
       {"linear-output-probability-loss"},
       (("Dense", 8, "relu"), ("Dropout", 0.2), ("Dense", 4)),
       ("SparseCategoricalCrossentropy",), ("sparse", 4), ("accuracy",)),
    _c("gh-kerashub-1008", "keras-team/keras-hub#1008",
       "classifier with activation=None compiled with loss='sparse_categorical_crossentropy'"
       " ('This will not converge!')", {"linear-output-probability-loss"},
       (("Dense", 8, "relu"), ("Dense", 3)), "sparse_categorical_crossentropy",
       ("sparse", 3), ("accuracy",), kind="fun"),
    _c("gh-keras-16906", "keras-team/keras#16906 (also keras-team/tf-keras#485)",
       "softmax output with SparseCategoricalCrossentropy(from_logits=True) in a subclassed "
       "model: Keras warns the output 'does not represent logits'", REPAIRED_OR_REAL,
       (("Conv2D", 4, 3, {"activation": "relu"}), ("Flatten",), ("Dense", 10, "softmax")),
       SCCE_L, ("sparse", 10), ("accuracy",), input=IMG, kind="sub"),
    _c("gh-lovedlim-2", "lovedlim/tensorflow#2",
       "sigmoid output with BinaryCrossentropy(from_logits=True); the author: the last layer "
       "should have had no sigmoid", REPAIRED_OR_REAL,
       (("Conv2D", 4, 3, {"activation": "relu"}), ("Flatten",), ("Dense", 1, "sigmoid")),
       BCE_L, ("binary",), ("accuracy",), input=IMG),
    _c("gh-keras-15271", "keras-team/keras#15271",
       "'from_logits=True means there should not be a sigmoid' (maintainer)",
       REPAIRED_OR_REAL, (("Dense", 8, "relu"), ("Dense", 1, "sigmoid")), BCE_L,
       ("binary",), kind="fun"),
    _c("gh-book-140", "dragen1860/Deep-Learning-with-TensorFlow-book#140",
       "CategoricalCrossentropy(from_logits=True) needs one-hot labels; the labels were ids",
       {"sparse-labels-categorical-loss"}, (("Dense", 16, "relu"), ("Dense", 10)), CCE_L,
       ("sparse", 10), ("accuracy",)),
    _c("gh-nabu-9", "vrenkens/nabu#9",
       "label 48 outside [0, 40): the output dimension is smaller than the alphabet",
       {"label-out-of-range"}, (("Dense", 8, "relu"), ("Dense", 6)), SCCE_L,
       ("sparse", 8), note="40 units / 49 symbols scaled to 6 / 8"),
    _c("gh-chatbot-32", "llSourcell/tensorflow_chatbot#32",
       "Dense(256, softmax) for labels up to 23000: set the units to the largest label + 1",
       {"label-out-of-range"}, (("Dense", 8, "relu"), ("Dense", 5, "softmax")),
       "sparse_categorical_crossentropy", ("sparse", 9), note="scaled to 5 units, 9 ids"),
    _c("gh-stagesepx-5", "williamfzc/work_with_stagesepx#5",
       "label 9 outside [0, 6): more classes in the data than output units",
       {"label-out-of-range"}, (("Flatten",), ("Dense", 6, "softmax")),
       "sparse_categorical_crossentropy", ("sparse", 10), ("accuracy",), input=IMG),
    _c("gh-tf-5932", "tensorflow/tensorflow#5932",
       "label 255 outside [0, 10): the labels were read wrongly from the TFRecord file",
       {"label-out-of-range"}, (("Flatten",), ("Dense", 10)), SCCE_L, ("ids", 0, 255),
       input=IMG),
    _c("gh-hvass-60", "Hvass-Labs/TensorFlow-Tutorials#60",
       "labels 1..124 for 124 classes (1-based ids)", {"label-out-of-range"},
       (("Flatten",), ("Dense", 12)), SCCE_L, ("ids", 1, 12), input=IMG,
       note="124 classes scaled to 12"),
    _c("gh-keras-7749", "keras-team/keras#7749",
       "one-hot targets with sparse_categorical_crossentropy (sparse expects class ids)",
       {"one-hot-labels-sparse-loss"}, (("Dense", 2), ("Activation", "softmax")),
       "sparse_categorical_crossentropy", ("onehot", 2), ("accuracy",), input=(2,)),
    _c("gh-keras-7339", "keras-team/keras#7339",
       "(N, 1) class ids with categorical_crossentropy on Dense(2); answer: "
       "sparse_categorical_crossentropy", {"sparse-labels-categorical-loss"},
       (("Dense", 8, "relu"), ("Dense", 2, "softmax")), "categorical_crossentropy",
       ("column", 2), ("accuracy",)),
    _c("gh-keras-7339-ascii", "keras-team/keras#7339 (comment by DodiyaParth)",
       "to_categorical of ASCII codes 97..122 gives 123 columns for 26 output units; "
       "fix: subtract 97", {"label-shape-mismatch"},
       (("Dense", 8, "relu"), ("Dense", 4, "softmax")), "categorical_crossentropy",
       ("onehot", 7), ("accuracy",), note="123 columns / 26 units scaled to 7 / 4"),
    # --- Q&A threads and tutorials ----------------------------------------------------------
    _c("qa-label1-range01", "'Received a label value of 1 which is outside the valid range "
       "of [0, 1)' (newbedev.com, from Stack Overflow)",
       "Dense(1, softmax) with sparse_categorical_crossentropy on 0/1 labels",
       SOFTMAX1 | {"categorical-loss-single-unit", "label-out-of-range"},
       (("Dense", 8, "relu"), ("Dense", 1, "softmax")), "sparse_categorical_crossentropy",
       ("binary",), ("accuracy",)),
    _c("qa-stats-565956", "stats.stackexchange.com/questions/565956",
       "1 sigmoid unit with categorical_crossentropy: minimised by p = 1 for every input",
       {"categorical-loss-single-unit"}, (("LSTM", 8), ("Dense", 1, "sigmoid")),
       "categorical_crossentropy", ("column", 2), ("accuracy",), input=(5, 3)),
    _c("qa-shapes-1-10", "'Shapes (None, 1) and (None, 10) are incompatible' "
       "(office.net.cn/info/show/2279500.html)",
       "Dense(1, sigmoid) for 10-class one-hot labels; use Dense(10, softmax)",
       {"label-shape-mismatch"}, (("Dense", 8, "relu"), ("Dense", 1, "sigmoid")),
       "binary_crossentropy", ("onehot", 10), ("accuracy",)),
    _c("qa-shapes-1-2", "'Resolving Shape Incompatibility Errors in TensorFlow/Keras' "
       "(kouhan.cn/en/article/00027281)",
       "Dense(2, softmax) + categorical_crossentropy with (N, 1) labels; use the sparse loss",
       {"sparse-labels-categorical-loss"}, (("Flatten",), ("Dense", 2, "softmax")),
       "categorical_crossentropy", ("column", 2), ("accuracy",), input=IMG),
    _c("qa-onehot-width", "'Keras Dense Layer Output - Shape Error' (Stack Overflow, mirrored "
       "at whosebug.com/question/3634840)",
       "classes 1, 2, 3: to_categorical gives 4 columns for Dense(3)",
       {"label-shape-mismatch"}, (("LSTM", 8), ("Dense", 3, "softmax")),
       "categorical_crossentropy", ("onehot", 4), ("accuracy",), input=(5, 3)),
    _c("qa-boohere-80265", "boohere.com/detail/80265 (Stack Overflow answer, translated)",
       "the second model 'always answers class 0': one output unit with softmax; use "
       "Dense(2, softmax) + categorical_crossentropy or sigmoid + binary_crossentropy",
       SOFTMAX1 | {"categorical-loss-single-unit"},
       (("Dense", 8, "relu"), ("Dense", 1, "softmax")), "categorical_crossentropy",
       ("binary",), ("accuracy",)),
    _c("qa-geektips-557592", "geek-tips.imtqy.com/articles/557592",
       "binary_crossentropy with softmax on a single output node: always 1.0", SOFTMAX1,
       (("Dense", 8, "relu"), ("Dense", 1, "softmax")), "binary_crossentropy",
       ("binary",), ("accuracy",)),
    _c("qa-ecom-mnist", "e-com-net.com/article/1188291707914002432.htm",
       "categorical_crossentropy with integer MNIST labels: to_categorical them",
       {"sparse-labels-categorical-loss"}, (("Flatten",), ("Dense", 10, "softmax")),
       "categorical_crossentropy", ("sparse", 10), ("accuracy",), input=IMG),
    _c("qa-readke-5class", "readke.com/c/01034051B2022.html",
       "five classes, integer labels, categorical_crossentropy: one-hot encode or use the "
       "sparse loss", {"sparse-labels-categorical-loss"},
       (("Dense", 8, "relu"), ("Dense", 5, "softmax")), "categorical_crossentropy",
       ("sparse", 5), ("accuracy",)),
    _c("qa-dsse-38604", "datascience.stackexchange.com/questions/38604",
       "MNIST digits 0..9 as labels of a 1-unit sigmoid with binary_crossentropy "
       "(negative loss, 11 % accuracy)", {"label-out-of-range", "sigmoid-exclusive-classes"},
       (("Dense", 8, "relu"), ("Dense", 1, "sigmoid")), "binary_crossentropy",
       ("sparse", 10), ("accuracy",)),
    _c("qa-so-44164749", "'How does Keras handle multilabel classification?' (Stack Overflow "
       "44164749)", "multi-hot labels with softmax + categorical_crossentropy: use sigmoid "
       "+ binary_crossentropy", {"multi-hot-labels-categorical-loss"},
       (("Dense", 16, "relu"), ("Dropout", 0.1), ("Dense", 6, "softmax")),
       "categorical_crossentropy", ("multihot", 6), ("accuracy",)),
    _c("qa-dsse-77834", "datascience.stackexchange.com/questions/77834",
       "multi-label sigmoid + binary_crossentropy with 'accuracy': ~0.09, not the per-label "
       "accuracy; use binary accuracy", {"accuracy-multilabel-categorical"},
       (("Dense", 8, "relu"), ("Dense", 6, "sigmoid")), "binary_crossentropy",
       ("multihot", 6), ("accuracy",),
       note="judged by Keras 3: 'accuracy' becomes CategoricalAccuracy from the shapes (the "
            "answer describes tf.keras <= 2.1, where the loss chose BinaryAccuracy)"),
]


def _ok(*a, **k):
    return Case(*a, **k, group="control")


CONTROLS = [
    _ok("ok-kerasio-755", "keras-team/keras-io#755",
        "teacher model: Dense(10) logits with SparseCategoricalCrossentropy(from_logits=True); "
        "the maintainer confirms it is correct", set(),
        (("Conv2D", 4, 3, {"strides": 2, "padding": "same"}), ("LeakyReLU", {"negative_slope":
         0.2}), ("Flatten",), ("Dense", 10)), SCCE_L, ("sparse", 10),
        (("SparseCategoricalAccuracy",),), input=IMG),
    _ok("ok-docs-2003", "tensorflow/docs#2003 (the basic classification tutorial)",
        "Flatten, Dense(128, relu), Dense(10) logits, SparseCategoricalCrossentropy("
        "from_logits=True), 'accuracy'", set(),
        (("Flatten",), ("Dense", 16, "relu"), ("Dense", 10)), SCCE_L, ("sparse", 10),
        ("accuracy",), input=IMG),
    _ok("ok-docs-1623", "tensorflow/docs#1623 (the transfer-learning tutorial, fixed)",
        "Dense(1) logits, BinaryCrossentropy(from_logits=True), BinaryAccuracy(threshold=0)",
        set(), (("GlobalAveragePooling2D",), ("Dense", 1)), BCE_L, ("binary",),
        (("BinaryAccuracy", {"threshold": 0.0}),), input=IMG, kind="fun"),
    _ok("ok-so-44164749", "'How does Keras handle multilabel classification?' (Stack Overflow "
        "44164749, the answer)", "multi-hot labels: sigmoid + binary_crossentropy", set(),
        (("Dense", 16, "relu"), ("Dense", 6, "sigmoid")), "binary_crossentropy",
        ("multihot", 6)),
    _ok("ok-kerashub-1008", "keras-team/keras-hub#1008 (the fix it suggests)",
        "activation=None with SparseCategoricalCrossentropy(from_logits=True)", set(),
        (("Dense", 8, "relu"), ("Dense", 3)), SCCE_L, ("sparse", 3), ("accuracy",),
        kind="fun"),
    _ok("ok-kerasio-494", "keras-team/keras-io#494 (writing a training loop from scratch)",
        "subclassed-style model, Dense(10) logits, SparseCategoricalCrossentropy("
        "from_logits=True); 'working as intended'", set(),
        (("Dense", 16, "relu"), ("Dense", 10)), SCCE_L, ("sparse", 10),
        (("SparseCategoricalAccuracy",),), kind="sub"),
    _ok("ok-nl-45711636", NL + "SO Samples/45711636.py",
        "softmax + categorical_crossentropy on one-hot labels (NeuraLint's bug there is in "
        "the convolutions, outside the doctor's scope)", set(),
        (("Conv2D", 4, 3, {"activation": "relu"}), ("Flatten",), ("Dense", 16, "relu"),
         ("Dense", 10, "softmax")), "categorical_crossentropy", ("onehot", 10), ("accuracy",),
        input=IMG),
    _ok("ok-nl-60566498", NL + "SO Samples/60566498.py",
        "Dense(3) + Activation('softmax') with categorical_crossentropy (bug: dropout/pooling)",
        set(), (("Conv2D", 4, 3, {"padding": "same"}), ("Activation", "relu"),
                ("Flatten",), ("Dense", 3), ("Activation", "softmax")),
        "categorical_crossentropy", ("onehot", 3), ("accuracy",), input=IMG),
    _ok("ok-nl-55776436", NL + "keras/55776436.py",
        "Dense(6, softmax) + categorical_crossentropy (bug: hyper-parameters)", set(),
        (("Conv1D", 4, 3), ("Activation", "relu"), ("Flatten",), ("Dense", 6, "softmax")),
        "categorical_crossentropy", ("onehot", 6), ("accuracy",), input=SEQ),
    _ok("ok-nl-56103207", NL + "keras/56103207.py",
        "Dense(4, softmax) + categorical_crossentropy, one-hot labels", set(),
        (("Conv2D", 4, 3, {"activation": "relu"}), ("MaxPooling2D",), ("Flatten",),
         ("Dense", 8, "relu"), ("Dense", 4, "softmax")), "categorical_crossentropy",
        ("onehot", 4), ("accuracy",), input=IMG),
    _ok("ok-nl-44184091", NL + "keras/44184091.py",
        "Dense(1, sigmoid) + binary_crossentropy on 0/1 labels", set(),
        (("Conv1D", 4, 5, {"padding": "same", "activation": "relu"}), ("MaxPooling1D",),
         ("Flatten",), ("Dense", 8, "relu"), ("Dense", 1, "sigmoid")), "binary_crossentropy",
        ("binary",), ("accuracy",), input=SEQ),
    _ok("ok-nl-55731589", NL + "keras/55731589.py",
        "Dense(1, sigmoid) + binary_crossentropy (bug: learning rate)", set(),
        (("Conv2D", 4, 3, {"activation": "relu"}), ("Flatten",), ("Dense", 8, "relu"),
         ("Dense", 1, "sigmoid")), "binary_crossentropy", ("binary",), ("accuracy",),
        input=IMG, kind="fun"),
    _ok("ok-taourl-sparse", "'Shapes (None, 5) and (None, 1) are incompatible' "
        "(taourl.com/read-3015889.html, its fix 2)",
        "Dense(5, softmax) + the string 'sparse_categorical_crossentropy', integer labels",
        set(), (("Dense", 16, "relu"), ("Dense", 5, "softmax")),
        "sparse_categorical_crossentropy", ("sparse", 5), ("accuracy",)),
    _ok("ok-kouhan-sparse", "kouhan.cn/en/article/00027281 (its first solution)",
        "Dense(2, softmax) + sparse_categorical_crossentropy with (N, 1) labels", set(),
        (("Flatten",), ("Dense", 2, "softmax")), "sparse_categorical_crossentropy",
        ("column", 2), ("accuracy",), input=IMG),
    _ok("ok-ecom-onehot", "e-com-net.com/article/1188291707914002432.htm (its fix)",
        "Dense(10, softmax) + categorical_crossentropy with to_categorical labels", set(),
        (("Flatten",), ("Dense", 10, "softmax")), "categorical_crossentropy",
        ("onehot", 10), ("accuracy",), input=IMG, kind="fun"),
    _ok("ok-tf-37103-auc", "tensorflow/tensorflow#37103 (resolved: AUC(from_logits=True))",
        "Dense(1) logits + BinaryCrossentropy(from_logits=True) + AUC(from_logits=True)",
        set(), (("Dense", 8, "relu"), ("Dense", 1)), BCE_L, ("binary",),
        (("AUC", {"from_logits": True}), ("BinaryAccuracy", {"threshold": 0.0}))),
    _ok("ok-sub-multilabel", "'How does Keras handle multilabel classification?' (the "
        "answer's recipe, as a subclassed model with logits)",
        "Dense(6) logits + BinaryCrossentropy(from_logits=True) for multi-hot labels", set(),
        (("Dense", 16, "relu"), ("Dense", 6)), BCE_L, ("multihot", 6),
        (("BinaryAccuracy", {"threshold": 0.0}),), kind="sub"),
]


def _nc(*a, **k):
    return Case(*a, **k, group="unreadable")


UNREADABLE = [
    _nc("nc-nl-github-1", NL + "GitHub Samples/1.py",
        "U-Net with a ReLU output and a custom dice loss: the doctor cannot know what a custom "
        "loss expects, so it must say 'not checked', never 'clean'", {"loss-not-checked"},
        (("Conv2D", 4, 3, {"padding": "same", "activation": "relu"}),
         ("Conv2D", 1, 1, {"activation": "relu"})), "dice", None, input=IMG, kind="fun"),
]

ALL = BUGGY + CONTROLS + UNREADABLE
