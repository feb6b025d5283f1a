"""06 · Cheat sheet: the checked tables, their renderings and the exercises.

TF1, TF2, Keras 3, PyTorch and lossedu names side by side, one table per topic. Each topic is
one module in :mod:`.topics`: its table (plain Python data), a paragraph on what it is about,
and the checks behind every cell. Three things read them, in the order of :data:`TOPICS`:

* ``notebooks/06_cheat_sheet.ipynb`` shows each table with :func:`show` and, under it, calls
  :meth:`SheetCheck.verify` (:mod:`.checks`), which runs the topic's checks (TF1, TF2, Keras,
  PyTorch where installed, and lossedu must agree) and prints one line;
* the printable page, :func:`render_html` (and :func:`render_markdown`), which ``make html``
  writes with :func:`write_cheatsheet` (:mod:`.render`);
* the tests.

Adding a topic is one module in :mod:`.topics` and its name in :data:`TOPICS`. The exercises
(port old TF1 and PyTorch code) live in :mod:`.exercises`. Nothing here imports TensorFlow,
Keras or PyTorch at import time.
"""

from lossedu.lessons.cheat_sheet.checks import (
    SheetCheck,
    TableCheck,
    captured_tf_logs,
)
from lossedu.lessons.cheat_sheet.exercises import (
    SOLUTIONS,
    check_tf1_port,
    check_torch_port,
    solution_tf1_port,
    solution_torch_port,
)
from lossedu.lessons.cheat_sheet.libs import torch_available
from lossedu.lessons.cheat_sheet.render import (
    _html_cell,  # noqa: F401 (tested directly)
    render_html,
    render_markdown,
    render_table_markdown,
    show,
    write_cheatsheet,
)
from lossedu.lessons.cheat_sheet.tables import (
    COLUMNS,
    HEADERS,
    LEGEND,
    NONE,
    TABLES,
    TOPICS,
    Row,
    Table,
    table,
)

__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEGEND",
    "NONE",
    "Row",
    "Table",
    "TABLES",
    "TOPICS",
    "table",
    "render_table_markdown",
    "render_markdown",
    "render_html",
    "write_cheatsheet",
    "show",
    "torch_available",
    "SheetCheck",
    "TableCheck",
    "captured_tf_logs",
    "check_tf1_port",
    "solution_tf1_port",
    "check_torch_port",
    "solution_torch_port",
    "SOLUTIONS",
]
