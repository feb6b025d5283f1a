"""Command line: ``python -m lossedu data`` and ``python -m lossedu doctor model.keras``.

>>> main(["--help"])  # doctest: +SKIP
"""

from __future__ import annotations

import sys

from lossedu import i18n
from lossedu.i18n import N_, _

USAGE = N_("""usage: python -m lossedu COMMAND [options]

commands:
  data                 find Fashion-MNIST, verify its checksums, say where it came from
  doctor MODEL.keras   check a saved Keras model's output layer and loss for the classic
                       mistakes (from_logits, label format, metrics); exits 1 on an error
""")


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a subcommand; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(i18n._(USAGE))  # USAGE is marked with N_ where it is defined
        return 0
    command, rest = argv[0], argv[1:]
    if command == "data":
        from lossedu.cli_data import main_data

        return main_data(rest)
    if command == "doctor":
        from lossedu.diagnosis.cli import main_doctor

        return main_doctor(rest)
    print(_("unknown command {command}").format(command=repr(command)) + "\n\n"
          + i18n._(USAGE), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
