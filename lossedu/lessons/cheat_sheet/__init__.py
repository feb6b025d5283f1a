"""06 · Cheat sheet: the checked tables, their renderings and the exercises.

TF1, TF2, Keras 3, PyTorch and lossedu names side by side, one table per topic. The tables are
plain Python data (:data:`TABLES`, in :mod:`.tables`), so three things share one source:

* ``notebooks/06_cheat_sheet.ipynb`` shows each table with :func:`show` and, under it, runs
  every row through a :class:`SheetCheck` (:mod:`.checks`) that asserts TF1, TF2, Keras and
  lossedu agree;
* the printable page, :func:`render_html` (and :func:`render_markdown`), which ``make html``
  writes with :func:`write_cheatsheet` (:mod:`.render`);
* the tests.

The exercises (port old TF1 and PyTorch code) live in :mod:`.exercises`. Nothing here imports
TensorFlow, Keras or PyTorch at import time.
"""

from lossedu.lessons.cheat_sheet.checks import (
    SheetCheck,
    TableCheck,
    captured_tf_logs,
    torch_available,
)
from lossedu.lessons.cheat_sheet.exercises import (
    check_tf1_port,
    check_torch_port,
    solution_tf1_port,
    solution_torch_port,
)
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
]
