"""``python -m lossedu doctor MODEL.keras [--labels y.npy]``: load a saved model, print the report.

Exit status 0 when no error-level finding (1 with ``--strict`` and a warning), 1 on an
error-level finding, 2 when the model or labels cannot be read.  Keras is loaded only once
the files have been found, so a wrong path fails fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np

from lossedu.diagnosis import keras_api
from lossedu.diagnosis.codes import CODES
from lossedu.diagnosis.examine import doctor

__all__ = ["main_doctor"]


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {sev:8s} {code}" for code, sev in CODES.items())
    parser = argparse.ArgumentParser(
        prog="python -m lossedu doctor",
        description="Check a saved Keras model (.keras) for loss, output-layer, label and\n"
                    "metric mistakes: from_logits, softmax on one unit, label format, accuracy.",
        epilog=f"exit status: 0 no error-level finding, 1 at least one error, 2 the model or "
               f"labels could not be read.\n\nfinding codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="path to a model saved with model.save('model.keras')")
    parser.add_argument("--labels", metavar="Y.npy",
                        help="the training labels as a .npy file: enables the label checks")
    parser.add_argument("--inputs", metavar="X.npy",
                        help="a batch of inputs as a .npy file, for models whose output layer "
                             "cannot be read from the graph")
    parser.add_argument("--unsafe", action="store_true",
                        help="allow loading Lambda layers (runs code from the file: only for "
                             "files you trust)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too, not only on errors")
    parser.add_argument("--ascii", action="store_true", help="no Unicode symbols in the output")
    return parser


def _fail(message: str) -> int:
    print(f"lossedu doctor: {message}", file=sys.stderr)
    return 2


def _load_array(path: str, what: str):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what} file not found: {path}")
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:
        raise ValueError(f"could not read {what} from {path}: {type(exc).__name__}: {exc}") \
            from exc


def _model_path_problem(path: str) -> str:
    """Why ``path`` cannot be a readable model file, or "" when it can."""
    if not os.path.exists(path):
        return f"no such file: {path}"
    if not os.path.isfile(path):
        return f"not a file: {path} (give the path of a .keras file)"
    if not os.access(path, os.R_OK):
        return f"cannot read {path}: permission denied"
    if not path.endswith(".keras"):
        return (f"{path} is not a .keras file; save the model with model.save('model.keras') "
                "(a .h5 or SavedModel: load it with keras.saving.load_model and call "
                "lossedu.doctor(model) in Python)")
    return ""


def _load_hint(exc: Exception, unsafe: bool) -> str:
    """What to do when Keras cannot load the model."""
    if ("Lambda" in str(exc) or "safe_mode" in str(exc)) and not unsafe:
        return ("\n  the model contains a Lambda layer; rerun with --unsafe if you trust "
                "the file")
    if "Lambda" in str(exc):
        return ("\n  Keras could not rebuild a Lambda layer (its code is restored without "
                "the module's globals); load the model in Python and call "
                "lossedu.doctor(model)")
    if "Could not locate" in str(exc) or "custom" in str(exc).lower():
        return ("\n  the model uses a custom class: load it in Python (with the class "
                "imported) and call lossedu.doctor(model)")
    return ""


def main_doctor(argv: Sequence[str]) -> int:
    """``python -m lossedu doctor MODEL.keras [--labels y.npy]``: print the report.

    Exit status 0 when no error-level finding (1 with ``--strict`` and a warning), 1 on an
    error-level finding, 2 when the model or labels cannot be read.
    """
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
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
        return _fail(f"could not load the model from {path}: {type(exc).__name__}: {msg}"
                     f"{_load_hint(exc, args.unsafe)}")

    report = doctor(model, x=x, y=y)
    try:
        print(report.format(ascii_only=args.ascii))
    except UnicodeEncodeError:
        print(report.format(ascii_only=True))
    return 1 if report.errors or (args.strict and not report.ok) else 0
