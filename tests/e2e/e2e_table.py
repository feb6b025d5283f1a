"""The end-to-end test table: every lesson notebook, its explorers, and what to check.

Adding a notebook is adding one ``Lesson`` row; adding an explorer is adding one
``Explorer`` to its row.  ``test_e2e_lessons.py`` turns each row into

* ``test_notebook_runs_clean[NN_name]``: open in JupyterLab, restart the kernel and run
  all cells (toolbar button + confirmation dialog), wait until the kernel is idle and every
  cell has a prompt number, assert that no cell shows a traceback or stderr (cells whose
  cell is tagged ``raises-exception`` excepted), save ``build/screenshots/NN_name.png``;
* ``test_explorer[NN_name-explorer]``: in the same page and kernel, in the output of the
  cell whose source contains ``cell``: do ``setup`` if any (the notebook's own cells may
  have moved the explorer, so this puts it at a known start), read ``readout``, perform
  ``action`` through the UI (keys on a slider handle, typing into a slider's readout, a
  dropdown choice, a click), and assert that the readout ``expect``\\ s ("changes",
  "increases", "decreases") against the value before.  A screenshot of the cell after the
  action goes to ``build/screenshots/NN_name--explorer.png``.

``test_every_notebook_and_explorer_has_a_row`` fails when a notebook in ``notebooks/`` has
no row, or when a cell calls a ``make_*_explorer(...)``/``make_*quiz*(...)`` that no row
covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from e2e_lab import (
    Checkbox,
    Click,
    Dropdown,
    Matches,
    Number,
    Picture,
    Sequence,
    Slider,
    SliderValue,
    Text,
    TypeValue,
)

__all__ = ["Explorer", "Lesson", "LESSONS", "Checkbox", "Click", "Dropdown", "Matches",
           "Number", "Picture", "Sequence", "Slider", "SliderValue", "Text", "TypeValue"]


@dataclass(frozen=True)
class Explorer:
    name: str               # the test id
    cell: str               # text found in the source of the cell that shows the explorer
    action: Any             # Slider / TypeValue / Dropdown / Checkbox / Click / Sequence
    readout: Any            # Number / Matches / Text / Picture / SliderValue
    expect: str = "changes"  # "changes", "increases" or "decreases"
    timeout: float = 30     # seconds for the readout to respond
    setup: Any = None       # an action done before reading the value "before" (a known start)
    asserts: str = ""       # the claim in words (shown when the test fails)


@dataclass(frozen=True)
class Lesson:
    notebook: str                           # file name in notebooks/
    explorers: tuple[Explorer, ...] = ()
    run_timeout: float = 300                # restart + run all, seconds
    shows: tuple[str, ...] = ()             # regexes the outputs must show after Run All

    @property
    def stem(self) -> str:
        """``05_from_logits_pitfall``; ``zh-05_from_logits_pitfall`` for the Chinese edition."""
        return self.notebook.removesuffix(".ipynb").replace("/", "-")


LESSONS: list[Lesson] = [
    Lesson("00_start_here.ipynb", (
        Explorer("right-answer", "make_quiz()", Click("(b) 0.5", ".widget-radio-box label"),
                 Number(r"(\d+) of \d+ right"), "increases",
                 asserts="choosing the right answer to question 1 raises the score"),
        Explorer("wrong-answer", "make_quiz()", Click("(a) 0.0", ".widget-radio-box label"),
                 Number(r"(\d+) of \d+ right"), "decreases",
                 asserts="switching question 1 to a wrong answer lowers the score again"),
    )),
    Lesson("01_logits.ipynb", (
        Explorer("p-moves-logit", "make_logit_explorer(", Slider("p", key="PageUp", presses=4),
                 SliderValue("logit z"), "increases", setup=TypeValue("p", "0.5"),
                 asserts="raising p moves the linked logit slider up (log-odds grow)"),
        Explorer("figure", "make_logit_explorer(", Slider("logit z", key="PageDown", presses=6),
                 Picture(), asserts="moving the logit redraws the sigmoid figure"),
    )),
    Lesson("02_softmax.ipynb", (
        Explorer("temperature", "make_softmax_explorer(", Slider("T", key="PageUp", presses=6),
                 Number(r"max p = ([0-9.]+)"), "decreases",
                 setup=TypeValue("T", "1"),
                 asserts="a higher temperature flattens softmax: the top probability falls"),
        Explorer("true-class", "make_softmax_explorer(", Dropdown("class 3", "true class"),
                 Number(r"loss for true class \d+ = −log p = ([0-9.]+)"), "increases",
                 setup=Dropdown("class 0", "true class"),
                 asserts="choosing the least likely class as the true one raises the loss"),
    )),
    Lesson("03_one_hot_vs_sparse.ipynb", (
        Explorer("one-hot-labels", "make_label_shape_explorer(",
                 Dropdown("one-hot (B, C)", "labels"),
                 Number(r"(\d) silently wrong"), "decreases",
                 setup=Dropdown("sparse (B, 1)", "labels"),
                 asserts="one-hot labels end the silent broadcast that (B, 1) labels cause"),
        Explorer("batch-equals-classes", "make_label_shape_explorer(",
                 Slider("B", key="ArrowLeft", presses=1),
                 Number(r"(\d) of 4 calls raise"), "decreases",
                 setup=Sequence((Dropdown("sparse (B,)", "labels"), TypeValue("B", "4"))),
                 asserts="sparse (B,) labels with B = C = 3: the one-hot tf.nn loss stops "
                         "raising (and silently gets it wrong)"),
    )),
    Lesson("03b_smoothing_reductions_gradients.ipynb", (
        Explorer("labels-sum", "make_label_gradient_explorer(",
                 Slider("labels sum", key="PageUp", presses=2),
                 Number(r"tape gradient sums to ([+\-−]?[0-9.]+)"), "decreases",
                 setup=TypeValue("labels sum", "1"),
                 asserts="labels summing to 2 break the tape gradient: it sums to −1, not 0"),
        Explorer("true-class", "make_label_gradient_explorer(", Click("class 0"), Picture(),
                 setup=Click("class 2"),
                 asserts="picking another true class redraws the gradient bars"),
    )),
    Lesson("04_sigmoid_vs_softmax.ipynb", (
        Explorer("sigmoid-sum", "make_probability_models_explorer(",
                 Slider("z1", key="PageUp", presses=4),
                 Number(r"sigmoid probabilities sum to ([0-9.]+)"), "increases",
                 setup=TypeValue("z1", "-1"),
                 asserts="raising one logit raises the sum of the independent sigmoids"),
        Explorer("present", "make_probability_models_explorer(", Checkbox("lower body present"),
                 Number(r"exclusive loss = ([0-9.]+)"), "changes",
                 asserts="marking another class present changes the softmax (exclusive) loss"),
    )),
    Lesson("05_from_logits_pitfall.ipynb", (
        Explorer("train-from-logits-false", "make_pitfall_explorer(",
                 Sequence((Dropdown("linear", "output"), Click("from_logits=False"),
                           Slider("epochs", key="Home", presses=1),
                           Slider("images", key="Home", presses=1), Click("train"))),
                 Matches(r"test accuracy [0-9.]+"), "increases", timeout=180,
                 asserts="1 epoch on 1000 images, linear output, from_logits=False: pressing "
                         "train reports a run"),
        Explorer("from-logits-true-learns", "make_pitfall_explorer(",
                 Sequence((Click("from_logits=True"), Click("train"))),
                 Number(r"test accuracy ([0-9.]+)", last=True), "increases", timeout=180,
                 asserts="the same run with from_logits=True reaches a higher test accuracy "
                         "(about 0.58 against 0.22)"),
    ), run_timeout=600,
        # DoctorCallback, watching the broken model inside fit, names what it saw.
        shows=(r"error\s+linear-output-probability-loss", r"error\s+zero-output-gradients")),
    Lesson("06_cheat_sheet.ipynb"),
    Lesson("07_right_answer.ipynb", (
        Explorer("threshold-down-raises-recall", "make_threshold_explorer(",
                 Slider("threshold", key="PageDown", presses=3),
                 Number(r"recall ([0-9.]+)"), "increases", setup=TypeValue("threshold", "0.5"),
                 asserts="lowering the threshold calls more images positive: recall rises"),
        Explorer("figure", "make_threshold_explorer(",
                 Slider("threshold", key="PageUp", presses=2), Picture(),
                 asserts="moving the threshold redraws the line, the bars and the counts"),
        Explorer("temperature-moves-ece", "make_temperature_explorer(",
                 Slider("T", key="PageUp", presses=6), Number(r"ECE ([0-9.]+)"), "changes",
                 setup=TypeValue("T", "1"),
                 asserts="a new temperature moves the confidences: the validation ECE changes"),
        Explorer("temperature-figure", "make_temperature_explorer(",
                 Slider("T", key="PageDown", presses=4), Picture(),
                 asserts="moving T redraws the reliability curve and the bin shares"),
        Explorer("gamma-up-lowers-easy-loss", "make_focal_explorer(",
                 Slider("gamma", key="PageUp", presses=3), Number(r"focal loss ([0-9.]+)"),
                 "decreases", setup=TypeValue("gamma", "1"),
                 asserts="a larger gamma shrinks the focal loss of an easy example (p_t = 0.9)"),
        Explorer("gamma-figure", "make_focal_explorer(",
                 Slider("gamma", key="PageDown", presses=3), Picture(),
                 asserts="moving gamma redraws the focal loss and gradient curves"),
    ), run_timeout=420),
]


# The Chinese edition (notebooks/zh/): the same notebooks and explorers, driven through their
# Chinese labels, with the Chinese readouts asserted.  Labels the package does not translate
# (p, T, B, z1, gamma, from_logits=..., the quiz's "(b) 0.5") are the same as in English.
ZH_LESSONS: list[Lesson] = [
    Lesson("zh/00_start_here.ipynb", (
        Explorer("right-answer", "make_quiz()", Click("(b) 0.5", ".widget-radio-box label"),
                 Number(r"\d+ 题中答对 (\d+) 题"), "increases",
                 asserts="选对第 1 题的答案，得分上升"),
        Explorer("wrong-answer", "make_quiz()", Click("(a) 0.0", ".widget-radio-box label"),
                 Number(r"\d+ 题中答对 (\d+) 题"), "decreases",
                 asserts="把第 1 题改成错误答案，得分又下降"),
    )),
    Lesson("zh/01_logits.ipynb", (
        Explorer("p-moves-logit", "make_logit_explorer(", Slider("p", key="PageUp", presses=4),
                 SliderValue("logit z"), "increases", setup=TypeValue("p", "0.5"),
                 asserts="调高 p，联动的 logit 滑块上升（对数几率变大）"),
    )),
    Lesson("zh/02_softmax.ipynb", (
        Explorer("temperature", "make_softmax_explorer(", Slider("T", key="PageUp", presses=6),
                 Number(r"最大 p = ([0-9.]+)"), "decreases", setup=TypeValue("T", "1"),
                 asserts="温度越高，softmax 越平：最大概率下降"),
        Explorer("true-class", "make_softmax_explorer(", Dropdown("类别 3", "真实类别"),
                 Number(r"真实类别 \d+ 的损失 = −log p = ([0-9.]+)"), "increases",
                 setup=Dropdown("类别 0", "真实类别"),
                 asserts="把最不可能的类别选为真实类别，损失上升"),
    )),
    Lesson("zh/03_one_hot_vs_sparse.ipynb", (
        Explorer("one-hot-labels", "make_label_shape_explorer(",
                 Dropdown("独热 (B, C)", "标签"), Number(r"(\d) 个静默出错"), "decreases",
                 setup=Dropdown("稀疏 (B, 1)", "标签"),
                 asserts="独热标签消除了 (B, 1) 标签造成的静默广播"),
    )),
    Lesson("zh/03b_smoothing_reductions_gradients.ipynb", (
        Explorer("labels-sum", "make_label_gradient_explorer(",
                 Slider("标签之和", key="PageUp", presses=2),
                 Number(r"tape 梯度之和为 ([+\-−]?[0-9.]+)"), "decreases",
                 setup=TypeValue("标签之和", "1"),
                 asserts="和为 2 的标签让 tape 梯度出错：和为 −1 而不是 0"),
    )),
    Lesson("zh/04_sigmoid_vs_softmax.ipynb", (
        Explorer("sigmoid-sum", "make_probability_models_explorer(",
                 Slider("z1", key="PageUp", presses=4),
                 Number(r"sigmoid 概率之和为 ([0-9.]+)"), "increases",
                 setup=TypeValue("z1", "-1"),
                 asserts="调高一个 logit，相互独立的 sigmoid 概率之和上升"),
        Explorer("present", "make_probability_models_explorer(", Checkbox("目标含“下身”"),
                 Number(r"互斥损失 = ([0-9.]+)"), "changes",
                 asserts="再标记一个类别存在，softmax（互斥）损失随之改变"),
    )),
    Lesson("zh/05_from_logits_pitfall.ipynb", (
        Explorer("train-from-logits-false", "make_pitfall_explorer(",
                 Sequence((Dropdown("线性", "输出"), Click("from_logits=False"),
                           Slider("轮数", key="Home", presses=1),
                           Slider("图像数", key="Home", presses=1), Click("训练"))),
                 Matches(r"测试准确率 [0-9.]+"), "increases", timeout=180,
                 asserts="线性输出、from_logits=False，1000 张图像、1 轮：点击训练后报告结果"),
    ), run_timeout=600,
        shows=(r"error\s+linear-output-probability-loss", r"error\s+zero-output-gradients")),
    Lesson("zh/06_cheat_sheet.ipynb"),
    Lesson("zh/07_right_answer.ipynb", (
        Explorer("threshold-down-raises-recall", "make_threshold_explorer(",
                 Slider("阈值", key="PageDown", presses=3),
                 Number(r"召回率 ([0-9.]+)"), "increases", setup=TypeValue("阈值", "0.5"),
                 asserts="降低阈值，更多图像被判为正类：召回率上升"),
        Explorer("temperature-moves-ece", "make_temperature_explorer(",
                 Slider("T", key="PageUp", presses=6), Number(r"ECE ([0-9.]+)"), "changes",
                 setup=TypeValue("T", "1"),
                 asserts="新的温度改变置信度：验证集 ECE 随之改变"),
        Explorer("gamma-up-lowers-easy-loss", "make_focal_explorer(",
                 Slider("gamma", key="PageUp", presses=3), Number(r"focal 损失为 ([0-9.]+)"),
                 "decreases", setup=TypeValue("gamma", "1"),
                 asserts="gamma 越大，简单样本（p_t = 0.9）的 focal 损失越小"),
    ), run_timeout=420),
]
