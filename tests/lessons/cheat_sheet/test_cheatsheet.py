"""The cheat sheet: its data, the printable page, the row checker, and the 06 notebook."""

from __future__ import annotations

import json
import logging
import re
import stat
import sys
from pathlib import Path

import numpy as np
import pytest

from lossedu.lessons import cheat_sheet as cs
from lossedu.lessons.cheat_sheet import COLUMNS, NONE, TABLES, TOPICS, SheetCheck, table

ROOT = Path(__file__).resolve().parents[3]
SHEET_NB = ROOT / "notebooks" / "06_cheat_sheet.ipynb"
# The topics the cheat sheet was asked for (#5), in this order; later lessons may add more.
ISSUE_TOPICS = ["activations", "softmax_ce", "sigmoid_ce", "keras_losses", "reductions",
                "label_smoothing", "ignore_class"]
CORE = "softmax_ce"   # the table the notebook's core checks in full


def quiet_sheet(torch=False):
    lines = []
    return SheetCheck(torch=torch, log=lines.append), lines


def cover_everything(check) -> None:
    """Back every checkable cell of ``check``'s table with a trivially true fact."""
    for row in check.table.rows:
        for col in COLUMNS:
            if row.checkable(col):
                check.fact(row.key, col, True, "covered")


# ------------------------------------------------------------------ the data

def test_one_table_per_topic_of_the_issue():
    assert [t.key for t in TABLES] == list(TOPICS)
    assert len(set(TOPICS)) == len(TOPICS)
    assert [key for key in TOPICS if key in ISSUE_TOPICS] == ISSUE_TOPICS


def test_rows_are_complete_and_unique():
    for t in TABLES:
        keys = [r.key for r in t.rows]
        assert len(keys) == len(set(keys)), t.key
        assert t.title and t.note and t.rows
        for r in t.rows:
            for col in ("what", *COLUMNS):
                assert r.cell(col).strip(), f"{t.key}/{r.key}: empty {col}"
            assert set(r.documented) <= set(COLUMNS)
            for col in r.documented:
                assert "†" in r.cell(col), f"{t.key}/{r.key}/{col} is documented only: mark it †"
            assert r.cell("tf1") != NONE and r.cell("tf2") != NONE and r.cell("lossedu") != NONE
            assert r.cell("what") != NONE
            assert r.cell("tf1").count("`") % 2 == 0 and r.cell("trap").count("`") % 2 == 0


def test_no_cell_holds_a_pipe_or_html():
    for t in TABLES:
        for r in t.rows:
            for col in ("what", *COLUMNS, "trap"):
                text = r.cell(col) if col != "trap" else r.trap
                assert "|" not in text and "<" not in text, f"{t.key}/{r.key}/{col}"


def test_headers_state_the_argument_orders():
    assert "(y_true, y_pred)" in cs.HEADERS["keras"]
    assert "(input, target)" in cs.HEADERS["torch"]
    assert set(cs.HEADERS) == {"what", *COLUMNS, "trap"}


def test_every_trap_of_the_issue_is_flagged():
    order = table("softmax_ce").row("order")
    assert "PyTorch reverses the order" in order.trap
    assert "`(input, target)`" in order.torch and "`(y_true, y_pred)`" in order.keras
    assert "_sentinel" in order.tf1 and "positional works" in order.tf2

    shape = table("softmax_ce").row("sparse_shape")
    assert "(B, 1) → `ValueError`" in shape.tf2 and "squeezes" in shape.keras
    assert "[batch_size, 1]" in shape.trap

    v2 = table("softmax_ce").row("v2")
    assert "_v2" in v2.trap and "no longer exists" in v2.tf2

    auto = table("reductions").row("auto")
    assert "removed in Keras 3" in auto.trap
    assert "`ValueError`" in auto.keras and "`keras.losses.Reduction` is gone" in auto.keras
    assert "still exists in TF 2.21" in auto.tf2

    smooth = table("label_smoothing").row("sparse")
    assert "absent from the sparse Keras loss" in smooth.trap and "`TypeError`" in smooth.keras

    ignore = table("ignore_class").row("argument")
    assert "ignore_index=-100" in ignore.torch and "ignore_class=None" in ignore.keras
    assert "-100" in ignore.trap and "ignore_class" in ignore.trap

    weighted = table("reductions").row("weighted")
    assert "not `/ sum(w)`" in weighted.keras and "count(w ≠ 0)" in weighted.tf1


def test_table_and_row_lookup_errors_name_the_options():
    with pytest.raises(KeyError, match="tables: activations, softmax_ce"):
        table("nope")
    with pytest.raises(KeyError, match="rows: evaluate, sigmoid"):
        table("activations").row("nope")


# ------------------------------------------------------------------ rendering

def md_cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |")
    return re.split(r"(?<!\\)\|", line.strip()[1:-1])


@pytest.mark.parametrize("key", TOPICS)
def test_markdown_table(key):
    t = table(key)
    text = cs.render_table_markdown(key)
    lines = text.splitlines()
    assert lines[0] == f"### {t.title}" and lines[2] == t.note
    rows = [ln for ln in lines if ln.startswith("| ")]
    assert len(rows) == 1 + len(t.rows)
    assert lines[5] == "|---|---|---|---|---|---|---|"
    for line in rows:
        assert len(md_cells(line)) == 7
    for r, line in zip(t.rows, rows[1:], strict=True):
        cells = [c.strip() for c in md_cells(line)]
        assert cells[0] == r.what.replace("\n", "<br>")
        assert cells[4] == r.torch.replace("\n", "<br>")
        assert cells[6] == r.trap.replace("\n", "<br>")


def test_markdown_page_holds_every_table_and_the_legend():
    page = cs.render_markdown()
    assert page.startswith("# lossedu cheat sheet")
    assert cs.LEGEND in page
    for key in TOPICS:
        assert cs.render_table_markdown(key) in page


def test_html_page_is_standalone_static_and_pure():
    page = cs.render_html()
    assert page == cs.render_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and "<style>" in page
    assert "@page { size: A4 landscape" in page
    for forbidden in ("<script", "http://", "https://", "<link", "<img", "src="):
        assert forbidden not in page
    assert page.count("<table>") == len(TABLES) == page.count("</table>")
    assert page.count("<section>") == len(TABLES)
    n_rows = sum(len(t.rows) for t in TABLES)
    assert page.count("<tr>") == n_rows + len(TABLES)
    assert page.count("<code>") == page.count("</code>") > 100
    assert "`" not in re.sub(r"<style>.*?</style>", "", page, flags=re.S)


def test_html_escapes_text_and_breaks_long_names():
    page = cs.render_html()
    assert "<code>tf.<wbr>compat.<wbr>v1.&lt;name&gt;</code>" in page
    assert "softmax_<wbr>cross_<wbr>entropy_<wbr>with_<wbr>logits" in page
    assert cs._html_cell("a < b `x.y`\nz") == "a &lt; b <code>x.<wbr>y</code><br>z"


@pytest.mark.parametrize("name, render", [("sheet.html", cs.render_html),
                                          ("sheet.htm", cs.render_html),
                                          ("sheet.md", cs.render_markdown)])
def test_write_cheatsheet(tmp_path, name, render):
    target = tmp_path / "build" / "html" / name
    written = cs.write_cheatsheet(target)
    assert written == target
    assert target.read_text(encoding="utf-8") == render()
    assert stat.S_IMODE(target.stat().st_mode) & 0o444 == 0o444, "a web page: readable"
    assert sorted(p.name for p in target.parent.iterdir()) == [name], "no temporary file left"


def test_write_cheatsheet_refuses_other_suffixes(tmp_path):
    with pytest.raises(ValueError, match=r"(?s)got a '\.pdf' suffix.*fix: write_cheatsheet"):
        cs.write_cheatsheet(tmp_path / "sheet.pdf")
    assert list(tmp_path.iterdir()) == []


def test_show_returns_markdown_for_the_notebook():
    pytest.importorskip("IPython")
    shown = cs.show("reductions")
    assert shown.data == cs.render_table_markdown("reductions")
    with_intro = cs.show("reductions", intro=True).data
    intro = cs.topics.topic("reductions").INTRO
    assert with_intro.startswith(f"### Reductions and sample weights\n\n{intro}\n\n")
    assert with_intro.replace(intro + "\n\n", "") == shown.data


# ------------------------------------------------------------------ the checker

def test_agree_records_the_columns_and_prints_one_line():
    sheet, lines = quiet_sheet()
    check = sheet.table("activations")
    x = np.array([0.0, 1.0])
    ref = check.agree("sigmoid", tf1=1 / (1 + np.exp(-x)), tf2=lambda: 1 / (1 + np.exp(-x)),
                      lossedu=[0.5, 0.7310586])
    assert np.allclose(ref, [0.5, 0.7310586])
    assert check.checked["sigmoid"] == {"tf1", "tf2", "lossedu"}
    assert lines == ["✓ sigmoid: TF1, TF2, lossedu agree [0.5 0.7311]"]


def test_agree_converts_tensors_with_numpy_or_detach():
    class FakeTF:
        def numpy(self):
            return np.array([1.0, 2.0])

    class FakeTorch:
        def detach(self):
            return self

        def cpu(self):
            return self

        def numpy(self):
            return np.array([1.0, 2.0])

    sheet, _ = quiet_sheet(torch=True)
    check = sheet.table("activations")
    check.agree("sigmoid", expected=[1, 2], tf2=FakeTF(), torch=lambda: FakeTorch())
    assert check.checked["sigmoid"] == {"tf2", "torch"}


def test_agree_fails_on_a_different_value_or_shape():
    sheet, _ = quiet_sheet()
    check = sheet.table("activations")
    with pytest.raises(AssertionError, match=r"activations/softmax: Keras gives \[0\.6 0\.4\], "
                                             r"TF2 \[0\.5 0\.5\]"):
        check.agree("softmax", tf2=[0.5, 0.5], keras=[0.6, 0.4])
    with pytest.raises(AssertionError, match=r"lossedu has shape \(1, 2\), expected \(2,\)"):
        check.agree("softmax", expected=[0.5, 0.5], lossedu=[[0.5, 0.5]])
    assert check.checked["softmax"] == set()


def test_agree_uses_an_honest_float32_tolerance():
    sheet, _ = quiet_sheet()
    check = sheet.table("activations")
    check.agree("logsumexp", tf2=np.float32(2.4076059), lossedu=np.float32(2.4076061))
    with pytest.raises(AssertionError):
        check.agree("logsumexp", tf2=2.4076, lossedu=2.4077)


def test_torch_is_skipped_cleanly_without_torch():
    sheet, lines = quiet_sheet(torch=False)
    check = sheet.table("activations")

    def boom():
        raise AssertionError("torch code must not run without torch")

    check.agree("sigmoid", tf2=[0.5], torch=boom)
    check.raises("sigmoid", ValueError, torch=boom)
    check.fact("sigmoid", "torch", boom, "never evaluated")
    assert check.agree("sigmoid", torch=boom) is None
    assert "torch" not in check.checked["sigmoid"] and "torch" in check.skipped["sigmoid"]
    assert lines == ["✓ sigmoid: TF2 gives [0.5]"]


def test_torch_is_checked_when_installed():
    sheet, _ = quiet_sheet(torch=True)
    check = sheet.table("activations")
    check.agree("sigmoid", expected=[0.5], torch=lambda: np.array([0.5]))
    check.fact("sigmoid", "torch", lambda: True, "callable facts are called")
    assert "torch" in check.checked["sigmoid"]
    with pytest.raises(AssertionError, match="PyTorch gives"):
        check.agree("sigmoid", expected=[0.5], torch=lambda: np.array([0.6]))


def test_raises_checks_type_and_message():
    sheet, lines = quiet_sheet()
    check = sheet.table("softmax_ce")

    def bad_shape():
        raise ValueError("`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: …")

    check.raises("sparse_shape", ValueError,
                 match=r"`labels.shape.rank` must equal `logits.shape.rank - 1`",
                 tf1=bad_shape, tf2=bad_shape)
    assert lines[-1] == ("✓ sparse_shape: TF1, TF2 raise ValueError: `labels.shape.rank` must "
                         "equal `logits.shape.rank - 1`")
    check.raises("sparse_shape", ValueError, lossedu=bad_shape)
    assert lines[-1].startswith("✓ sparse_shape: lossedu raises ValueError: `labels.shape")
    with pytest.raises(AssertionError, match="was expected to raise"):
        check.raises("sparse_shape", ValueError, keras=lambda: None)
    with pytest.raises(AssertionError, match="does not match"):
        check.raises("sparse_shape", ValueError, match="squeeze", keras=bad_shape)
    with pytest.raises(KeyError):  # another exception type is not swallowed
        check.raises("sparse_shape", ValueError, keras=lambda: {}["x"])
    assert "keras" not in check.checked["sparse_shape"]


def test_fact():
    sheet, lines = quiet_sheet()
    check = sheet.table("reductions")
    check.fact("auto", "keras", True, "keras.losses.Reduction is gone")
    assert lines == ["✓ auto (Keras): keras.losses.Reduction is gone"]
    with pytest.raises(AssertionError, match=r"reductions/auto \(TF2\): not true that AUTO"):
        check.fact("auto", "tf2", False, "AUTO")


def test_checks_refuse_cells_without_an_equivalent_and_unknown_names():
    sheet, _ = quiet_sheet(torch=True)
    check = sheet.table("reductions")
    assert table("reductions").row("auto").torch == NONE
    with pytest.raises(AssertionError, match="no equivalent"):
        check.fact("auto", "torch", True, "x")
    with pytest.raises(TypeError, match="unknown column"):
        check.agree("sum", pytorch=[1.0])
    with pytest.raises(TypeError, match="at least one"):
        check.agree("sum")
    with pytest.raises(KeyError, match="rows: default"):
        check.agree("mean", tf2=[1.0])


@pytest.mark.parametrize("torch", [False, True])
def test_leaving_the_block_asserts_that_every_cell_was_checked(torch):
    sheet, lines = quiet_sheet(torch=torch)
    with pytest.raises(AssertionError, match=r"table 'ignore_class': no check ran for "
                                             r"argument/TF1, argument/TF2"):
        with sheet.table("ignore_class") as check:
            check.fact("argument", "keras", True, "only one")
    with sheet.table("ignore_class") as check:
        cover_everything(check)
    assert lines[-1].startswith("ignore_class: all 3 rows checked against TF (12 "
                                "TF1/TF2/Keras/lossedu cells)")
    assert ("PyTorch: 3 cells checked" in lines[-1]) is torch
    assert ("PyTorch not installed: 3 cells not run ‡" in lines[-1]) is (not torch)


def test_an_exception_inside_the_block_is_not_masked_by_the_coverage_check():
    sheet, _ = quiet_sheet()
    with pytest.raises(ZeroDivisionError):
        with sheet.table("sigmoid_ce"):
            1 / 0  # noqa: B018


def test_documented_cells_need_no_check():
    sheet, _ = quiet_sheet()
    with sheet.table("softmax_ce") as check:
        cover_everything(check)
    assert "tf1" not in check.checked["order"]
    assert "torch" not in check.checked["distribution"]


def test_report_and_assert_complete():
    sheet, _ = quiet_sheet(torch=False)
    with pytest.raises(AssertionError, match="tables never checked: activations"):
        sheet.assert_complete()
    for t in TABLES:
        with sheet.table(t.key) as check:
            cover_everything(check)
    sheet.assert_complete()
    report = sheet.report().splitlines()
    assert report[0].split() == ["table/row", "TF1", "TF2", "Keras", "PyTorch", "lossedu"]
    assert len(report) == 1 + sum(len(t.rows) for t in TABLES)
    grid = {line.split()[0]: line.split()[1:] for line in report[1:]}
    assert grid["softmax_ce/order"] == ["†", "✓", "✓", "‡", "✓"]
    assert grid["reductions/auto"] == ["†", "✓", "✓", "—", "✓"]
    assert grid["softmax_ce/v2"] == ["✓", "✓", "—", "—", "✓"]
    assert "MISSING" not in sheet.report()

    fresh, _ = quiet_sheet(torch=True)
    for t in TABLES:
        fresh.table(t.key)  # started, never checked
    assert "MISSING" in fresh.report()
    with pytest.raises(AssertionError, match="cells never checked: activations: evaluate/TF1"):
        fresh.assert_complete()


def test_captured_tf_logs_keeps_stderr_clean_and_drops_machine_paths(capsys):
    logger = logging.getLogger("tensorflow")
    handler = logging.StreamHandler(sys.stderr)
    logger.addHandler(handler)
    try:
        with cs.captured_tf_logs() as said:
            logger.warning("From /opt/x/lib/site-packages/dispatch.py:1264: f (from m) is "
                           "deprecated.\nInstructions for updating: use g")
        assert said == ["f (from m) is deprecated.\nInstructions for updating: use g"]
        assert capsys.readouterr().err == ""
        assert handler in logger.handlers
    finally:
        logger.removeHandler(handler)


# ------------------------------------------------------------------ the notebook

def notebook():
    return json.loads(SHEET_NB.read_text(encoding="utf-8"))


def test_notebook_shows_every_table_from_the_data():
    """The core shows its table alone; Going further shows the others, each with its intro."""
    shown = []
    for cell in notebook()["cells"]:
        if cell["cell_type"] != "code":
            continue
        for out in cell["outputs"]:
            if "text/markdown" in out.get("data", {}):
                shown.append("".join(out["data"]["text/markdown"]))
    want = [cs.render_table_markdown(CORE)]
    want += [cs.render_table_markdown(k, intro=True) for k in TOPICS if k != CORE]
    assert shown == want, "06_cheat_sheet shows stale tables: re-run tools/nbrun.py on it"


def test_notebook_checks_its_core_table_in_full_right_under_it():
    code = ["".join(c["source"]) for c in notebook()["cells"] if c["cell_type"] == "code"]
    at = code.index(f'cheat_sheet.show("{CORE}")')
    after = code[at + 1:]
    assert any(f'sheet.verify("{CORE}", detail=True)' in src for src in after)


def test_notebook_ran_clean_and_checked_everything():
    cells = [c for c in notebook()["cells"] if c["cell_type"] == "code"]
    text = ""
    for cell in cells:
        for out in cell["outputs"]:
            assert out["output_type"] != "error" or "raises-exception" in cell["metadata"].get(
                "tags", [])
            if out["output_type"] == "stream":
                assert out["name"] == "stdout"
                text += "".join(out["text"])
    for key in TOPICS:
        n = len(table(key).rows)
        assert re.search(rf"^{key}: all {n} rows checked against TF ", text, re.M), key
    assert re.search(rf"^{len(TOPICS)} tables, \d+ rows: every TF1, TF2, Keras and lossedu "
                     "entry checked", text, re.M)
    assert "✓ sparse_shape: TF1, TF2 raise ValueError" in text   # the core's checks, in full


# ------------------------------------------------------------------ the exercises

def naive_tf1_port(y_true, logits):
    import tensorflow as tf

    return -tf.reduce_sum(y_true * tf.math.log(tf.nn.softmax(logits)), 1)


# The checkers' answers, worked out by hand.  The Q&A post's rows (y [[0, 1, 0], [0, 0, 1]],
# logits [[0.5, 1.5, 0.1], [2.2, 1.3, 1.7]]) give 0.4790107 and 1.19967598 (its published
# numbers); logits [0, 1, -1] with label 0 give log(1 + e + 1/e).  At logits [1000, 0, -1000]
# with the middle label the loss is logsumexp - 0 = 1000 (+ e^-1000); at [0, 1000, 0] with
# the middle label it is log(1 + 2 e^-1000) = 0 in float32.
QA_ROWS = [0.4790107, 1.19967598]
THIRD_ROW = float(np.log(1 + np.e + 1 / np.e))


def tf1_port_by_hand(y_true, logits):
    if np.asarray(logits).max() == 1000:
        return np.array([1000.0, 0.0])
    return np.array(QA_ROWS[:len(logits)])


def torch_port_by_hand(logits, target):
    kept = [loss for loss, t in zip(QA_ROWS + [THIRD_ROW], target, strict=True) if t != -100]
    return np.float32(np.mean(kept))


def test_port_checkers_expect_the_answers_worked_by_hand():
    assert str(cs.check_tf1_port(tf1_port_by_hand)) == "TF1 → TF2 port: all 3 checks passed."
    assert str(cs.check_torch_port(torch_port_by_hand)) == (
        "PyTorch → Keras port: all 2 checks passed.")
    fb = cs.check_tf1_port(lambda y, z: tf1_port_by_hand(y, z) + 1e-3)
    assert len(fb.failures) == 3


@pytest.mark.tf
def test_tf1_port_checker(tf):
    assert str(cs.check_tf1_port(cs.solution_tf1_port)) == "TF1 → TF2 port: all 3 checks passed."
    feedback = cs.check_tf1_port(naive_tf1_port)
    assert not feedback.passed and len(feedback.failures) == 1
    assert "large logits" in feedback.failures[0] and "hint: log(softmax(z))" in \
        feedback.failures[0]


@pytest.mark.tf
def test_the_reference_solutions_pass_their_checkers(keras):
    assert list(cs.SOLUTIONS) == [cs.check_tf1_port, cs.check_torch_port]
    for check, solution in cs.SOLUTIONS.items():
        feedback = check(solution)
        assert feedback.passed, feedback
        assert str(feedback).endswith("checks passed.") and "all" in str(feedback)


@pytest.mark.tf
def test_torch_port_checker(keras):
    assert str(cs.check_torch_port(cs.solution_torch_port)) == (
        "PyTorch → Keras port: all 2 checks passed.")

    def forgot_ignore_class(logits, target):
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)(target, logits)

    feedback = cs.check_torch_port(forgot_ignore_class)
    assert len(feedback.failures) == 1
    assert "the middle target is -100: raised InvalidArgumentError" in feedback.failures[0]

    def swapped(logits, target):
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)
        return loss(logits, target)

    assert not cs.check_torch_port(swapped).passed


def test_exercise_checkers_run_numpy_solutions_without_tf():
    """NumPy ports (the stable formulas, written here) pass: the checkers need no TF."""
    def log_softmax(z):
        z = np.asarray(z, np.float64)
        shifted = z - z.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    def numpy_port(y_true, logits):
        return -np.sum(np.asarray(y_true) * log_softmax(logits), axis=-1)

    def numpy_torch_port(logits, target):
        target = np.asarray(target)
        keep = target != -100
        picked = np.take_along_axis(log_softmax(logits), np.where(keep, target, 0)[:, None], -1)
        return -picked[keep].mean()

    assert cs.check_tf1_port(numpy_port).passed
    assert cs.check_torch_port(numpy_torch_port).passed
