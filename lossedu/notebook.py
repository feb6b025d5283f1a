"""One call at the top of every lesson: fixed seeds, quiet TensorFlow, tidy printing, and
the ``%%check`` magic of the check cells (:mod:`lossedu.claims`).

>>> from lossedu.notebook import setup
>>> setup(seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

__all__ = ["setup", "quick_mode"]


def quick_mode() -> bool:
    """True when ``LOSSEDU_QUICK=1``: training cells shrink so tests run fast."""
    return os.environ.get("LOSSEDU_QUICK", "") not in ("", "0")


def setup(seed: int = 0, lang: str | None = None) -> None:
    """Fix the seeds, silence TensorFlow's C++ logs and set NumPy/matplotlib display options.

    ``lang`` (``"en"`` or ``"zh"``) is the language of what lossedu prints; by default it is
    ``LOSSEDU_LANG``, or Chinese for a notebook in ``notebooks/zh/`` (:mod:`lossedu.i18n`).

    Call it before importing TensorFlow: ``TF_CPP_MIN_LOG_LEVEL`` is read at import time.
    Keras's seeds are set only if Keras is already imported; a lesson that trains calls
    ``keras.utils.set_random_seed(seed)`` itself, next to the model it seeds.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - learners still call the legacy global API
    np.set_printoptions(precision=8, suppress=False, linewidth=100)
    from lossedu.i18n import cjk_font, language, set_language

    if lang is not None:
        set_language(lang)
    try:
        import matplotlib

        if language() == "zh" and cjk_font() is not None:  # Chinese labels need its glyphs
            matplotlib.rcParams["font.sans-serif"] = [
                cjk_font(), *matplotlib.rcParams["font.sans-serif"]]
        matplotlib.rcParams.update({
            "figure.dpi": 80,
            "figure.figsize": (6.4, 3.6),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "lossedu",
        })
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass

    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)
    _register_check_magic()


def _register_check_magic() -> None:
    """Make ``%%check`` cells work (:mod:`lossedu.claims`) when running under IPython."""
    ipython_mod = sys.modules.get("IPython")
    shell = ipython_mod.get_ipython() if ipython_mod is not None else None
    if shell is not None:
        from lossedu.claims import register

        register(shell)
