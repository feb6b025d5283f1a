"""Lesson 03's explorer: pick a label shape, a batch size B and a class count C, and see which
of the four losses takes it, which squeezes it, which raises and which is silently wrong.

``make_label_shape_explorer()`` returns an :class:`~lossedu.explorer.Explorer`: ``controls``
holds ``labels`` (a dropdown), ``B`` and ``C`` (sliders); ``state`` is the current
:class:`~lossedu.lessons.one_hot_vs_sparse.views.ShapeView`; ``readout`` is the HTML table.
Tests set the controls' ``value`` and read ``state``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from lossedu import i18n
from lossedu.explorer import Explorer
from lossedu.i18n import _
from lossedu.lessons.one_hot_vs_sparse.views import (
    FORMAT_LABELS,
    LABEL_FORMATS,
    ShapeView,
    label_shape_view,
)

__all__ = ["make_label_shape_explorer", "shape_table_html"]

COLORS = {"ok": "#1a7f37", "squeezed": "#1a7f37", "error": "#9a6700",
          "silently wrong": "#b42318"}
MARKS = {"ok": "✔", "squeezed": "✔", "error": "✘", "silently wrong": "⚠"}


def shape_table_html(view: ShapeView) -> str:
    """The view as an HTML table: one row per call, coloured by what happened."""
    rows = []
    for o in view.outcomes:
        verdict = o.shown_verdict + (f" ({o.error})" if o.error else "")
        rows.append(f"<tr><td><code>{html.escape(o.call)}</code></td>"
                    f"<td style='color:{COLORS[o.verdict]}'><b>{MARKS[o.verdict]} "
                    f"{html.escape(verdict)}</b></td><td>{html.escape(o.why)}</td></tr>")
    head, *_middle, summary = view.text.splitlines()
    return (f"<p>{html.escape(head)}</p><table>{''.join(rows)}</table>"
            f"<p><b>{html.escape(summary)}</b></p>")


def make_label_shape_explorer(label_format: str = "sparse (B, 1)", batch: int = 4,
                              classes: int = 3) -> Explorer:
    """A dropdown for the label shape and sliders for B and C, over the four calls' outcomes."""
    # labels in the language in use; the values, which label_shape_view reads, in English
    fmt = widgets.Dropdown(options=[(i18n._(FORMAT_LABELS[f]), f) for f in LABEL_FORMATS],
                           value=label_format, description=_("labels"))
    b = widgets.IntSlider(value=batch, min=1, max=8, description="B")
    c = widgets.IntSlider(value=classes, min=2, max=6, description="C")
    readout = widgets.HTML()
    box = Explorer([widgets.HBox([fmt, b, c]), readout],
                   controls={"labels": fmt, "B": b, "C": c})

    def refresh(_change=None):
        box.state = label_shape_view(fmt.value, b.value, c.value)
        readout.value = shape_table_html(box.state)

    for w in (fmt, b, c):
        w.observe(refresh, names="value")
    box.readout = readout
    refresh()
    return box
