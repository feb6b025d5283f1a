"""The same code on several Keras backends: each in a fresh process, since Keras picks its
backend once, at import (``KERAS_BACKEND``).  Lesson 05's "Going further" uses it to show
what a mistake does on TensorFlow and on JAX side by side.

>>> run_on_backend("tensorflow", "import keras\\nresult = {'b': keras.backend.backend()}")
... # doctest: +SKIP
{'b': 'tensorflow'}
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

from lossedu.errors import ParameterError
from lossedu.i18n import _

__all__ = ["BACKENDS", "installed_backends", "run_on_backend"]

BACKENDS = ("tensorflow", "jax", "torch")
_MARK = "@@lossedu-result@@"
_WRAPPER = (
    "import json, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "namespace = dict()\n"
    "exec(compile(%r, '<cell>', 'exec'), namespace)\n"
    "print(%r + json.dumps(namespace['result']))\n"
)


def installed_backends() -> list[str]:
    """The Keras backends whose library is installed here, in :data:`BACKENDS` order."""
    return [b for b in BACKENDS if importlib.util.find_spec(b) is not None]


def run_on_backend(backend: str, code: str, timeout: float = 600) -> dict:
    """Run ``code`` in a new Python process on Keras's ``backend``; ``code`` assigns a
    JSON-serialisable ``result``, which is returned.  Warnings in the child are silenced."""
    if backend not in BACKENDS:
        raise ParameterError("backend", got=repr(backend),
                             expected=_("one of {backends}").format(backends=BACKENDS),
                             fix="run_on_backend('jax', code)")
    if importlib.util.find_spec(backend) is None:
        raise ParameterError("backend",
                             got=_("{backend}, which is not installed").format(
                                 backend=repr(backend)),
                             expected=_("one of {backends}").format(
                                 backends=installed_backends()),
                             fix="pip install -e '.[jax]'" if backend == "jax"
                             else f"pip install {backend}")
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-c", _WRAPPER % (code, _MARK)],
                          capture_output=True, text=True, env=env, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(_MARK)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise RuntimeError(_("the code failed on the {backend} backend:\n{tail}").format(
            backend=backend, tail=tail))
    return json.loads(lines[-1][len(_MARK):])
