"""``python -m lossedu data``: where is Fashion-MNIST, and is every byte right?

>>> from lossedu.cli_data import main_data
>>> main_data(["--no-download"])  # doctest: +ELLIPSIS
Fashion-MNIST found in ...
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lossedu.data import DataReport, verify_fashion_mnist
from lossedu.errors import DataError
from lossedu.i18n import _

# The array each file becomes in ``load_fashion_mnist()``.
ARRAY_NAMES = {
    "train-images-idx3-ubyte.gz": "x_train",
    "train-labels-idx1-ubyte.gz": "y_train",
    "t10k-images-idx3-ubyte.gz": "x_test",
    "t10k-labels-idx1-ubyte.gz": "y_test",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lossedu data",
        description=_("Locate Fashion-MNIST, verify the SHA-256 of its four files, show the "
                      "shapes."),
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help=_("only look on disk; do not download through Keras (like LOSSEDU_OFFLINE=1)"),
    )
    parser.add_argument("--quiet", action="store_true",
                        help=_("print one line on success (make lab uses this)"))
    return parser


def format_report(report: DataReport) -> str:
    """The report as text: the search, the folder used, then one line per file."""
    lines = [_("Fashion-MNIST found in {source}: {directory}").format(
                 source=report.source, directory=report.directory),
             _("searched, in order:")]
    lines += [f"  {i}. {line}" for i, line in enumerate(report.searched, 1)]
    lines.append(_("files (SHA-256 of the decompressed content):"))
    for f in report.files:
        sha = f"sha256 {f.sha256[:12]}..." if f.sha256 else ""
        shape = f"{ARRAY_NAMES[f.name]} {f.shape} uint8" if f.shape else ""
        lines.append(f"  {f.status:<8}{f.name:<28}{sha:<23}{shape}".rstrip())
    if report.ok:
        lines.append(_("All four files verified."))
    return "\n".join(lines)


def main_data(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m lossedu data``; return 0 when all four files verify, else 1."""
    args = _parser().parse_args(argv)
    try:
        report = verify_fashion_mnist(download=False if args.no_download else None)
    except DataError as err:
        print(_("error: {error}").format(error=err), file=sys.stderr)
        return 1
    if report.ok and args.quiet:
        print(_("Fashion-MNIST verified in {source}: {directory}").format(
            source=report.source, directory=report.directory))
        return 0
    print(format_report(report))
    if report.ok:
        return 0
    for f in report.files:
        if f.status != "ok":
            print("\n" + _("error: {error}").format(error=f.problem), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main_data(sys.argv[1:]))
