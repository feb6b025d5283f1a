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

__all__ = ["SEVERITIES", "Finding", "Report", "by_severity", "summary_line"]

SEVERITIES = ("error", "warning", "info")
NOT_CHECKED = ("no-loss", "loss-not-checked", "output-not-inspected")
ICONS = {"error": "\u2716", "warning": "\u26a0", "info": "\u2139"}
ASCII_ICONS = {"error": "[x]", "warning": "[!]", "info": "[i]"}
COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


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

    def format(self, ascii_only: bool = False) -> str:
        icon = (ASCII_ICONS if ascii_only else ICONS)[self.severity]
        fix = "\n".join("      " + line for line in self.fix.splitlines())
        return (f"{icon} {self.severity} [{self.code}]\n"
                f"  what: {self.what}\n"
                f"  why:  {self.why}\n"
                f"  fix:\n{fix}")


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
            return (f"{mark} Not checked: {' '.join(self.not_checked)} Checked: "
                    f"{self.summary}")
        if self.ok:
            mark = "[ok]" if ascii_only else "\u2714"
            return f"{mark} No problems found: {self.summary}"
        return (f"lossedu doctor, model '{self.model_name}': {self._counts()}. "
                f"Checked: {self.summary}")

    def _counts(self) -> str:
        counts = []
        for sev in SEVERITIES:
            n = sum(f.severity == sev for f in self.findings)
            if n:
                counts.append(f"{n} {sev}{'s' if n > 1 else ''}")
        return ", ".join(counts)

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
            head = (f"<p><b>\u2139 Not checked:</b> {esc(' '.join(self.not_checked))} "
                    f"Checked: {esc(self.summary)}</p>")
        elif self.ok:
            head = (f"<p style='color:#2e7d32'><b>\u2714 No problems found:</b> "
                    f"{esc(self.summary)}</p>")
        else:
            head = (f"<p><b>lossedu doctor, model '{esc(self.model_name)}': "
                    f"{esc(self._counts())}.</b> Checked: {esc(self.summary)}</p>")
        parts = [f"<div class='lossedu-doctor'>{head}"]
        for f in self.findings:
            c = COLORS[f.severity]
            parts.append(
                f"<div style='border-left:4px solid {c};padding:2px 10px;margin:6px 0'>"
                f"<b style='color:{c}'>{ICONS[f.severity]} {f.severity}</b> "
                f"<code>{esc(f.code)}</code>"
                f"<p><b>What:</b> {esc(f.what)}</p><p><b>Why:</b> {esc(f.why)}</p>"
                f"<p><b>Fix:</b></p><pre><code>{esc(f.fix)}</code></pre></div>")
        parts.append("</div>")
        return "".join(parts)


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` errors first, then warnings, then infos; a stable sort."""
    rank = {sev: i for i, sev in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: rank[f.severity])


def _output_kind(activation: str) -> str:
    if activation == "linear":
        return "logits"
    if activation in ("softmax", "sigmoid", "hard_sigmoid"):
        return f"{activation} probabilities"
    return f"{activation} values" if activation != "unknown" else "unknown values"


def _label_kind(labels) -> str:
    if labels.format == "sparse":
        return "class ids"
    if labels.exclusive:
        return "one-hot rows"
    return "multi-hot rows" if labels.multi_hot else f"{labels.format} labels"


def summary_line(subjects: list[Subject]) -> str:
    """One line per output, joined: what was checked (output, loss, labels, metrics)."""
    parts = []
    for s in subjects:
        text = (f"output {s.output.desc} gives {_output_kind(s.output.activation)}; "
                f"loss {s.loss.display}")
        if s.labels is not None:
            text += f"; labels {_label_kind(s.labels)}, shape {s.labels.shape}"
        if s.metrics:
            text += "; metrics " + ", ".join(m.display for m in s.metrics)
        parts.append(text)
    return " | ".join(parts) + "."
