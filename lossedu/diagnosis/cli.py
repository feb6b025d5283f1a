"""``python -m lossedu doctor MODEL.keras [--labels y.npy] [--lang zh]``: load a saved model,
print the report.

Exit status 0 when no error-level finding (1 with ``--strict`` and a warning), 1 on an
error-level finding, 2 when the model or labels cannot be read.  Keras is loaded only once
the files have been found, so a wrong path fails fast.  ``--lang zh`` speaks Simplified
Chinese (the help, the messages and the report; finding codes and exit status are the same);
without it the language is ``LOSSEDU_LANG``'s, else English.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.codes import CODES, WATCH_CODES
from lossedu.diagnosis.examine import doctor
from lossedu.errors import ParameterError
from lossedu.i18n import LANGUAGES, _, language, using_language

__all__ = ["main_doctor"]


def _language(value: str) -> str:
    """A ``--lang`` value (``zh``, ``zh-CN``, ``en``, ...) as :mod:`lossedu.i18n` names it."""
    try:
        with using_language(value):
            return language()
    except ParameterError:
        raise argparse.ArgumentTypeError(
            _("unknown language {lang}: use one of {languages}").format(
                lang=repr(value), languages=", ".join(LANGUAGES))) from None


def _requested_language(argv: list[str]) -> str:
    """``--lang``, else ``LOSSEDU_LANG``, else ``"en"``: read before the parser is built, so
    that ``--help`` speaks the language asked for.  A bad ``--lang`` is left to the parser."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg[len("--lang="):]
    if value:
        try:
            return _language(value)
        except argparse.ArgumentTypeError:
            return "en"
    return os.environ.get("LOSSEDU_LANG") or "en"


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {sev:8s} {code}" for code, sev in CODES.items())
    codes += "\n" + _("reported during fit by lossedu.DoctorCallback:") + "\n" + "\n".join(
        f"  {sev:8s} {code}" for code, sev in WATCH_CODES.items())
    parser = argparse.ArgumentParser(
        prog="python -m lossedu doctor",
        description=_("Check a saved Keras model (.keras) for loss, output-layer, label and\n"
                      "metric mistakes: from_logits, softmax on one unit, label format, "
                      "accuracy."),
        epilog=_("exit status: 0 no error-level finding, 1 at least one error, 2 the model or "
                 "labels could not be read.\n\nfinding codes:\n{codes}").format(codes=codes),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help=_("path to a model saved with model.save('model.keras')"))
    parser.add_argument("--labels", metavar="Y.npy",
                        help=_("the training labels as a .npy file: enables the label checks"))
    parser.add_argument("--inputs", metavar="X.npy",
                        help=_("a batch of inputs as a .npy file, for models whose output "
                               "layer cannot be read from the graph"))
    parser.add_argument("--unsafe", action="store_true",
                        help=_("allow loading Lambda layers (runs code from the file: only for "
                               "files you trust)"))
    parser.add_argument("--strict", action="store_true",
                        help=_("exit 1 on warnings too, not only on errors"))
    parser.add_argument("--ascii", action="store_true",
                        help=_("no Unicode symbols in the output"))
    parser.add_argument("--lang", type=_language, metavar="{en,zh}",
                        help=_("the language of the help, the messages and the report: en "
                               "(English) or zh (Simplified Chinese); default: the "
                               "LOSSEDU_LANG environment variable, else en"))
    return parser


def _fail(message: str) -> int:
    print(f"lossedu doctor: {message}", file=sys.stderr)
    return 2


def _load_array(path: str, what: str):
    if not os.path.isfile(path):
        text = (_("labels file not found: {path}") if what == "labels" else
                _("inputs file not found: {path}"))
        raise FileNotFoundError(text.format(path=path))
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:
        text = (_("could not read labels from {path}: {error}") if what == "labels" else
                _("could not read inputs from {path}: {error}"))
        raise ValueError(text.format(path=path, error=f"{type(exc).__name__}: {exc}")) from exc


def _model_path_problem(path: str) -> str:
    """Why ``path`` cannot be a readable model file, or "" when it can."""
    if not os.path.exists(path):
        return _("no such file: {path}").format(path=path)
    if not os.path.isfile(path):
        return _("not a file: {path} (give the path of a .keras file)").format(path=path)
    if not os.access(path, os.R_OK):
        return _("cannot read {path}: permission denied").format(path=path)
    if not path.endswith(".keras"):
        return _("{path} is not a .keras file; save the model with model.save('model.keras') "
                 "(a .h5 or SavedModel: load it with keras.saving.load_model and call "
                 "lossedu.doctor(model) in Python)").format(path=path)
    return ""


def _load_hint(exc: Exception, unsafe: bool) -> str:
    """What to do when Keras cannot load the model."""
    if ("Lambda" in str(exc) or "safe_mode" in str(exc)) and not unsafe:
        return "\n  " + _("the model contains a Lambda layer; rerun with --unsafe if you "
                          "trust the file")
    if "Lambda" in str(exc):
        return "\n  " + _("Keras could not rebuild a Lambda layer (its code is restored "
                          "without the module's globals); load the model in Python and call "
                          "lossedu.doctor(model)")
    if "Could not locate" in str(exc) or "custom" in str(exc).lower():
        return "\n  " + _("the model uses a custom class: load it in Python (with the class "
                          "imported) and call lossedu.doctor(model)")
    return ""


def main_doctor(argv: Sequence[str]) -> int:
    """``python -m lossedu doctor MODEL.keras [--labels y.npy] [--lang zh]``: print the report.

    Exit status 0 when no error-level finding (1 with ``--strict`` and a warning), 1 on an
    error-level finding, 2 when the model or labels cannot be read.  ``--lang`` (else
    ``LOSSEDU_LANG``, else English) is set with :func:`lossedu.i18n.set_language` for the
    whole run, help included, and the language before it is restored afterwards.
    """
    argv = list(argv)
    try:
        lang = _language(_requested_language(argv))
    except argparse.ArgumentTypeError as exc:  # LOSSEDU_LANG names no language lossedu speaks
        return _fail(f"LOSSEDU_LANG: {exc}")
    with using_language(lang):
        return _run(argv)


def _run(argv: list[str]) -> int:
    """:func:`main_doctor` in the language chosen."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    with using_language(args.lang or language()):
        return _examine(args)


def _examine(args: argparse.Namespace) -> int:
    """Check the files, load the model, print the report; the exit status."""
    path = args.model
    problem = _model_path_problem(path)
    if problem:
        return _fail(problem)
    try:
        y = _load_array(args.labels, "labels") if args.labels else None
        x = _load_array(args.inputs, "inputs") if args.inputs else None
    except (FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))

    keras = keras_api.import_keras()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = keras.saving.load_model(path, compile=True, safe_mode=not args.unsafe)
    except Exception as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _fail(_("could not load the model from {path}: {error}").format(
            path=path, error=f"{type(exc).__name__}: {msg}") + _load_hint(exc, args.unsafe))

    report = doctor(model, x=x, y=y)
    try:
        print(report.format(ascii_only=args.ascii))
    except UnicodeEncodeError:
        print(report.format(ascii_only=True))
    return 1 if report.errors or (args.strict and not report.ok) else 0
