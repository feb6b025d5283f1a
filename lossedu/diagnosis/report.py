"""What the doctor hands back: :class:`Finding`, :class:`Report`, and how they render.

The one severity order lives here (:data:`SEVERITIES`, most severe first); the rules and the
report sort by it with :func:`by_severity`.

>>> by_severity([Finding("info", "b", "w", "y", "f"), Finding("error", "a", "w", "y", "f")])[0].code
'a'
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

from lossedu.diagnosis.facts import Subject
from lossedu.diagnosis.wording import full_stop, join_list, join_sentences, tidy
from lossedu.i18n import _

__all__ = ["SEVERITIES", "Finding", "Report", "by_severity", "summary_line"]

SEVERITIES = ("error", "warning", "info")
NOT_CHECKED = ("no-loss", "loss-not-checked", "output-not-inspected")
ICONS = {"error": "\u2716", "warning": "\u26a0", "info": "\u2139"}
ASCII_ICONS = {"error": "[x]", "warning": "[!]", "info": "[i]"}
COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


def _severity_label(severity: str) -> str:
    """How a severity is shown, with ``{icon}`` to fill (the attribute stays the English
    word, as the codes do)."""
    return {"error": _("{icon} error"), "warning": _("{icon} warning"),
            "info": _("{icon} info")}[severity]


def _count(severity: str, n: int) -> str:
    """``"2 errors"``, ``"1 warning"``, ...: ``n`` findings of ``severity``."""
    if n > 1:
        text = {"error": _("{n} errors"), "warning": _("{n} warnings"),
                "info": _("{n} infos")}[severity]
    else:
        text = {"error": _("{n} error"), "warning": _("{n} warning"),
                "info": _("{n} info")}[severity]
    return text.format(n=n)


@dataclass(frozen=True)
class Finding:
    """One problem: how bad (``severity``), a stable ``code``, ``what`` is wrong, ``why`` it
    matters, and the ``fix`` as code.

    >>> Finding("error", "softmax-single-unit", "w", "y", "f").severity
    'error'
    """

    severity: str
    code: str
    what: str
    why: str
    fix: str

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def label(self, ascii_only: bool = False) -> str:
        """The severity as shown: its icon and its word (``"✖ error"``)."""
        icon = (ASCII_ICONS if ascii_only else ICONS)[self.severity]
        return _severity_label(self.severity).format(icon=icon)

    def format(self, ascii_only: bool = False) -> str:
        fix = "\n".join("      " + line for line in self.fix.splitlines())
        return f"{self.label(ascii_only)} [{self.code}]\n" + _(
            "  what: {what}\n"
            "  why:  {why}\n"
            "  fix:\n{fix}").format(what=self.what, why=self.why, fix=fix)


@dataclass
class Report:
    """What :func:`lossedu.doctor` found.  ``ok`` is True when there is no error or warning.

    ``summary`` says in one line what was checked (output, loss, labels, metrics), so a clean
    report still tells you what "clean" covered.  ``context`` keeps the facts for the curious.
    """

    findings: list[Finding] = field(default_factory=list)
    summary: str = ""
    model_name: str = "model"
    context: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity in ("error", "warning") for f in self.findings)

    @property
    def checked(self) -> bool:
        """False when part of the model could not be read (a custom loss, an output whose
        kind is unknown, no loss at all): then "no problems" means "not checked"."""
        return not any(f.code in NOT_CHECKED for f in self.findings)

    @property
    def not_checked(self) -> list[str]:
        """Why parts of the model were not checked, one reason per finding."""
        return [f.what for f in self.findings if f.code in NOT_CHECKED]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def headline(self, ascii_only: bool = False) -> str:
        if self.ok and not self.checked:
            mark = "[i]" if ascii_only else "\u2139"
            return _("{mark} Not checked: {reasons} Checked: {summary}").format(
                mark=mark, reasons=join_sentences(self.not_checked), summary=self.summary)
        if self.ok:
            mark = "[ok]" if ascii_only else "\u2714"
            return _("{mark} No problems found: {summary}").format(mark=mark,
                                                                   summary=self.summary)
        return _("lossedu doctor, model '{model}': {counts}. Checked: {summary}").format(
            model=self.model_name, counts=self._counts(), summary=self.summary)

    def _counts(self) -> str:
        counts = []
        for sev in SEVERITIES:
            n = sum(f.severity == sev for f in self.findings)
            if n:
                counts.append(_count(sev, n))
        return join_list(counts)

    def format(self, ascii_only: bool = False) -> str:
        blocks = [self.headline(ascii_only)]
        blocks += [f.format(ascii_only) for f in self.findings]
        return "\n\n".join(blocks)

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"<Report model={self.model_name!r} codes={self.codes}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        if self.ok and not self.checked:
            head = _("<p><b>{mark} Not checked:</b> {reasons} Checked: {summary}</p>").format(
                mark="\u2139", reasons=esc(join_sentences(self.not_checked)),
                summary=esc(self.summary))
        elif self.ok:
            head = _("<p style='color:{color}'><b>{mark} No problems found:</b> "
                     "{summary}</p>").format(color="#2e7d32", mark="\u2714",
                                             summary=esc(self.summary))
        else:
            head = _("<p><b>lossedu doctor, model '{model}': {counts}.</b> Checked: "
                     "{summary}</p>").format(model=esc(self.model_name),
                                             counts=esc(self._counts()),
                                             summary=esc(self.summary))
        parts = [f"<div class='lossedu-doctor'>{head}"]
        for f in self.findings:
            c = COLORS[f.severity]
            parts.append(
                f"<div style='border-left:4px solid {c};padding:2px 10px;margin:6px 0'>"
                f"<b style='color:{c}'>{esc(f.label())}</b> "
                f"<code>{esc(f.code)}</code>"
                + _("<p><b>What:</b> {what}</p><p><b>Why:</b> {why}</p>"
                    "<p><b>Fix:</b></p>").format(what=esc(f.what), why=esc(f.why))
                + f"<pre><code>{esc(f.fix)}</code></pre></div>")
        parts.append("</div>")
        return "".join(parts)


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` errors first, then warnings, then infos; a stable sort."""
    rank = {sev: i for i, sev in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: rank[f.severity])


def _output_and_loss(s: Subject) -> str:
    """What the output gives (logits, probabilities, ...) and the loss."""
    activation = s.output.activation
    if activation == "linear":
        text = _("output {desc} gives logits; loss {loss}")
    elif activation in ("softmax", "sigmoid", "hard_sigmoid"):
        text = _("output {desc} gives {activation} probabilities; loss {loss}")
    elif activation != "unknown":
        text = _("output {desc} gives {activation} values; loss {loss}")
    else:
        text = _("output {desc} gives unknown values; loss {loss}")
    return text.format(desc=s.output.desc, activation=activation, loss=s.loss.display)


def _labels_part(labels) -> str:
    if labels.format == "sparse":
        text = _("; labels class ids, shape {shape}")
    elif labels.exclusive:
        text = _("; labels one-hot rows, shape {shape}")
    elif labels.multi_hot:
        text = _("; labels multi-hot rows, shape {shape}")
    else:
        text = _("; labels {format} labels, shape {shape}")
    return text.format(format=labels.format, shape=labels.shape)


def summary_line(subjects: list[Subject]) -> str:
    """One line per output, joined: what was checked (output, loss, labels, metrics)."""
    parts = []
    for s in subjects:
        text = _output_and_loss(s)
        if s.labels is not None:
            text += _labels_part(s.labels)
        if s.metrics:
            text += _("; metrics {metrics}").format(
                metrics=", ".join(m.display for m in s.metrics))
        parts.append(text)
    return tidy(full_stop(" | ".join(parts)))
