"""``python -m lossedu doctor model.keras``: exit codes, messages, and import hygiene.

Most cases call :func:`lossedu.diagnosis.cli.main_doctor` in-process (cheap once TensorFlow is
loaded).  Only one subprocess imports TensorFlow (4-15 s): a saved model with an error, exit 1.
The other subprocesses never import TensorFlow: a missing file is rejected before Keras is
loaded, and ``import lossedu`` must stay free of TensorFlow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from lossedu.diagnosis.cli import main_doctor

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lossedu", *args], cwd=REPO, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def files(keras, tmp_path_factory):
    """Saved models: one with the silent from_logits error, one clean, one with a Lambda."""
    d = tmp_path_factory.mktemp("doctor_cli")
    L = keras.layers

    def save(model, name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.save(d / name)
        return str(d / name)

    bad = keras.Sequential([keras.Input((28, 28)), L.Flatten(), L.Dense(16, "relu"), L.Dense(10)])
    bad.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    good = keras.Sequential([keras.Input((28, 28)), L.Flatten(), L.Dense(10)])
    good.compile(optimizer="adam", metrics=["accuracy"],
                 loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    # A Lambda after the softmax; it must not use globals (Keras restores lambdas without them)
    i = keras.Input((4,))
    lam = keras.Model(i, L.Lambda(lambda t: t)(L.Dense(3, activation="softmax")(i)))
    lam.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    labels_sparse = d / "y_sparse.npy"
    np.save(labels_sparse, np.arange(50) % 10)
    labels_onehot = d / "y_onehot.npy"
    np.save(labels_onehot, np.eye(10, dtype="float32")[np.arange(50) % 10])
    garbage = d / "garbage.keras"
    garbage.write_bytes(b"this is not a zip archive")
    paths = {"bad": save(bad, "bad.keras"), "good": save(good, "good.keras"),
             "lambda": save(lam, "lambda.keras"), "y_sparse": str(labels_sparse),
             "y_onehot": str(labels_onehot), "garbage": str(garbage)}
    # Start the one TensorFlow subprocess now, so its import overlaps the in-process tests.
    proc = _run("doctor", paths["bad"])
    yield {**paths, "bad_process": proc}
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


# --- no TensorFlow needed ---------------------------------------------------------------------

def test_help(capsys):
    assert main_doctor(["--help"]) == 0
    out = capsys.readouterr().out
    assert "python -m lossedu doctor" in out and "--labels" in out
    assert "linear-output-probability-loss" in out  # the codes are listed


def test_usage_error_exit_2(capsys):
    assert main_doctor([]) == 2
    assert "required" in capsys.readouterr().err


def test_missing_file_exit_2(tmp_path, capsys):
    assert main_doctor([str(tmp_path / "nope.keras")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_directory_exit_2(tmp_path, capsys):
    assert main_doctor([str(tmp_path)]) == 2
    assert "not a file" in capsys.readouterr().err


def test_not_a_keras_file_exit_2(tmp_path, capsys):
    h5 = tmp_path / "model.h5"
    h5.write_bytes(b"x")
    assert main_doctor([str(h5)]) == 2
    err = capsys.readouterr().err
    assert "is not a .keras file" in err and "model.save('model.keras')" in err


def test_missing_labels_exit_2(tmp_path, capsys):
    model = tmp_path / "m.keras"
    model.write_bytes(b"x")
    assert main_doctor([str(model), "--labels", str(tmp_path / "y.npy")]) == 2
    assert "labels file not found" in capsys.readouterr().err


def test_unreadable_labels_exit_2(tmp_path, capsys):
    model = tmp_path / "m.keras"
    model.write_bytes(b"x")
    labels = tmp_path / "y.npy"
    labels.write_text("not numpy")
    assert main_doctor([str(model), "--labels", str(labels)]) == 2
    assert "could not read labels" in capsys.readouterr().err


def test_import_lossedu_stays_free_of_tensorflow():
    code = ("import sys, types, lossedu\n"
            "first = lossedu.doctor\n"  # a plain function of the package
            "assert isinstance(first, types.FunctionType) and first.__module__ == 'lossedu'\n"
            "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
            "assert not bad, bad\n"
            "import pkgutil, importlib, lossedu.diagnosis as package\n"
            "for info in pkgutil.iter_modules(package.__path__):\n"
            "    importlib.import_module(f'lossedu.diagnosis.{info.name}')\n"
            "second = lossedu.doctor\n"  # importing the doctor's modules does not rebind it
            "assert callable(first) and first is second\n"
            "assert callable(package.doctor)\n"
            "from lossedu.diagnosis.cli import main_doctor\n"
            "assert package.Finding and package.Report and main_doctor\n"
            "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
            "assert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=ENV, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_missing_file_subprocess_is_fast_and_clear():
    proc = _run("doctor", "does-not-exist.keras")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "lossedu doctor: no such file: does-not-exist.keras" in err
    assert "Traceback" not in err


# --- in-process, with TensorFlow --------------------------------------------------------------

@pytest.mark.tf
def test_exit_codes_in_process(files, capsys):
    assert main_doctor([files["bad"]]) == 1
    out = capsys.readouterr().out
    assert "error [linear-output-probability-loss]" in out
    assert main_doctor([files["good"], "--labels", files["y_sparse"]]) == 0
    assert "No problems found" in capsys.readouterr().out
    assert main_doctor([files["good"], "--labels", files["y_onehot"], "--ascii"]) == 1
    out = capsys.readouterr().out
    assert "[x] error [one-hot-labels-sparse-loss]" in out and out.isascii()


@pytest.mark.tf
def test_unreadable_model_exit_2(files, capsys):
    assert main_doctor([files["garbage"]]) == 2
    err = capsys.readouterr().err
    assert "could not load the model" in err and "Traceback" not in err


@pytest.mark.tf
def test_lambda_model_needs_unsafe_and_warnings_exit_0(files, capsys, backend):
    assert main_doctor([files["lambda"]]) == 2
    assert "--unsafe" in capsys.readouterr().err
    if backend != "tensorflow":  # no repair off TensorFlow: the double softmax is an error
        assert main_doctor([files["lambda"], "--unsafe"]) == 1
        assert "error [probability-output-from-logits]" in capsys.readouterr().out
        return
    assert main_doctor([files["lambda"], "--unsafe"]) == 0  # a warning is not an error
    assert "warning [probability-output-from-logits-repaired]" in capsys.readouterr().out
    assert main_doctor([files["lambda"], "--unsafe", "--strict"]) == 1


# --- the real command line: one TensorFlow subprocess ---------------------------------------

@pytest.mark.tf
def test_command_line_exit_code_1_on_error(files):
    """The process exit status, end to end; exit 0 and 2 are covered above."""
    proc = files["bad_process"]  # python -m lossedu doctor bad.keras, started by the fixture
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, err
    assert out.startswith("lossedu doctor, model 'sequential")
    assert "error [linear-output-probability-loss]" in out
    assert "from_logits=True" in out  # the fix is printed
    assert "Traceback" not in err
