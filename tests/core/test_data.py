"""Tests for lossedu.data and `python -m lossedu data`: locating, verifying, loading.

Every test that touches the search path runs in an isolated environment: HOME, KERAS_HOME, the
repository folder and the Debian folder all point into tmp_path, so the machine's own home
directory never matters.  The real files are only read (often through symlinks), never written.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from lossedu import data
from lossedu.cli_data import main_data
from lossedu.errors import DataCorruptError, DataError, DataNotFoundError

TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def real_dir(fashion_mnist_dir) -> Path:
    """The folder holding the real files, found the normal way (CI: Debian's package).

    ``fashion_mnist_dir`` (the repository's conftest.py) marks every test using this fixture
    as needing the data: without it they skip with one reason, or fail under CI.
    """
    return fashion_mnist_dir


@pytest.fixture(scope="session")
def real_arrays(real_dir):
    return data.load_fashion_mnist(real_dir)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """All four candidates point at empty folders under tmp_path; downloads are forbidden."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("LOSSEDU_OFFLINE", "1")
    monkeypatch.delenv("LOSSEDU_DATA", raising=False)
    monkeypatch.setattr(data, "REPO_DATA_DIR", tmp_path / "repo" / "data" / "fashion-mnist")
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "debian" / "fashion-mnist")
    monkeypatch.setattr(data, "_VERIFIED", {})
    monkeypatch.setitem(sys.modules, "keras", _fake_keras(_no_download))
    return types.SimpleNamespace(
        root=tmp_path,
        repo=data.REPO_DATA_DIR,
        keras=tmp_path / "keras" / "datasets" / "fashion-mnist",
        debian=data.DEBIAN_DIR,
    )


def _fake_keras(get_file):
    """A stand-in for the keras module: only `keras.utils.get_file` is used by lossedu.data."""
    return types.SimpleNamespace(utils=types.SimpleNamespace(get_file=get_file))


def _no_download(*args, **kwargs):
    raise AssertionError("lossedu.data tried to download although it must not")


def _link_all(src: Path, dst: Path, skip: tuple[str, ...] = ()) -> Path:
    """Make dst a Fashion-MNIST folder of symlinks to src (cheap: no 30 MB copies)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in data.FILES:
        if name not in skip:
            (dst / name).symlink_to(src / name)
    return dst


def _content(real_dir: Path, name: str) -> bytes:
    return gzip.decompress((real_dir / name).read_bytes())


# --------------------------------------------------------------------------- the real data


def test_import_stays_tensorflow_free():
    code = (
        "import sys, lossedu, lossedu.data, lossedu.cli_data; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_real_data_shapes_dtypes_and_labels(real_arrays):
    (x_train, y_train), (x_test, y_test) = real_arrays
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    for labels, per_class in ((y_train, 6000), (y_test, 1000)):
        assert labels.min() == 0 and labels.max() == 9
        assert np.bincount(labels, minlength=10).tolist() == [per_class] * 10
    assert len(data.CLASS_NAMES) == 10 and data.CLASS_NAMES[y_train[0]] == "Ankle boot"


def test_real_data_verifies(real_dir):
    report = data.verify_fashion_mnist(real_dir)
    assert report.ok, report
    assert [f.sha256 for f in report.files] == list(data.FILES.values())
    assert [f.shape for f in report.files] == [(60000, 28, 28), (60000,), (10000, 28, 28), (10000,)]


def test_verification_is_cached_per_path_mtime_and_size(real_dir, isolated):
    folder = _link_all(real_dir, isolated.root / "copy", skip=(TEST_LABELS,))
    shutil.copyfile(real_dir / TEST_LABELS, folder / TEST_LABELS)
    data.load_fashion_mnist(folder)
    assert len(data._VERIFIED) == 4
    # Same size, new content and a new mtime: the cache must not vouch for it.
    content = bytearray(_content(real_dir, TEST_LABELS))
    content[8] = (content[8] + 1) % 10
    (folder / TEST_LABELS).write_bytes(gzip.compress(bytes(content), compresslevel=1))
    stat = (folder / TEST_LABELS).stat()
    os.utime(folder / TEST_LABELS, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.raises(DataCorruptError, match=TEST_LABELS):
        data.load_fashion_mnist(folder)


@pytest.mark.tf
def test_matches_keras_load_data_byte_for_byte(real_dir, isolated, monkeypatch):
    _link_all(real_dir, isolated.keras)
    code = (
        "import hashlib, json, keras\n"
        "arrays = [a for pair in keras.datasets.fashion_mnist.load_data() for a in pair]\n"
        "print(json.dumps([[str(a.dtype), list(a.shape), hashlib.sha256(a.tobytes()).hexdigest()]"
        " for a in arrays]))\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}  # HOME and KERAS_HOME point into tmp_path
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    expected = json.loads(run.stdout.strip().splitlines()[-1])

    assert data.locate_fashion_mnist() == isolated.keras  # found in the Keras cache
    arrays = [a for pair in data.load_fashion_mnist() for a in pair]
    got = [[str(a.dtype), list(a.shape), hashlib.sha256(a.tobytes()).hexdigest()] for a in arrays]
    assert got == expected


# --------------------------------------------------------------------------- search order


def test_candidate_order_and_labels(isolated, monkeypatch):
    monkeypatch.setenv("LOSSEDU_DATA", str(isolated.root / "mine"))
    candidates = data.candidate_dirs()
    assert [c.path for c in candidates] == [
        isolated.root / "mine", isolated.repo, isolated.keras, isolated.debian
    ]
    assert candidates[0].label == "$LOSSEDU_DATA"
    assert candidates[2].label == "Keras cache ($KERAS_HOME)"


def test_keras_cache_defaults_to_home(isolated, monkeypatch):
    monkeypatch.delenv("KERAS_HOME")
    home = Path(os.environ["HOME"])
    assert data.candidate_dirs()[1].path == home / ".keras" / "datasets" / "fashion-mnist"


def test_lossedu_data_wins(real_dir, isolated, monkeypatch):
    for folder in (isolated.repo, isolated.keras, isolated.debian):
        _link_all(real_dir, folder)
    mine = _link_all(real_dir, isolated.root / "mine")
    monkeypatch.setenv("LOSSEDU_DATA", str(mine))
    assert data.locate_fashion_mnist() == mine
    assert data.verify_fashion_mnist().source == "$LOSSEDU_DATA"


def test_search_order_repo_then_keras_then_debian(real_dir, isolated):
    _link_all(real_dir, isolated.debian)
    assert data.locate_fashion_mnist() == isolated.debian
    _link_all(real_dir, isolated.keras)
    assert data.locate_fashion_mnist() == isolated.keras
    _link_all(real_dir, isolated.repo)
    assert data.locate_fashion_mnist() == isolated.repo


def test_incomplete_folder_does_not_count(real_dir, isolated, monkeypatch):
    _link_all(real_dir, isolated.debian)
    _link_all(real_dir, isolated.repo, skip=(TEST_IMAGES,))
    partial = _link_all(real_dir, isolated.root / "mine", skip=(TRAIN_LABELS,))
    monkeypatch.setenv("LOSSEDU_DATA", str(partial))
    with pytest.warns(UserWarning, match="LOSSEDU_DATA"):
        assert data.locate_fashion_mnist() == isolated.debian


# --------------------------------------------------------------------------- missing data


def test_missing_everywhere_teaches(isolated):
    with pytest.raises(DataNotFoundError) as info:
        data.load_fashion_mnist()
    message = str(info.value)
    for needle in ("apt-get install dataset-fashion-mnist", "keras.datasets.fashion_mnist",
                   "LOSSEDU_DATA", "zalandoresearch/fashion-mnist", str(isolated.keras),
                   str(isolated.repo), str(isolated.debian), "LOSSEDU_OFFLINE"):
        assert needle in message
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, ValueError)


def test_given_path_without_files(isolated):
    with pytest.raises(DataNotFoundError, match="not a Fashion-MNIST folder"):
        data.load_fashion_mnist(isolated.root)


# --------------------------------------------------------------------------- downloading


def _copying_get_file(real_dir):
    def get_file(fname, origin, cache_dir, cache_subdir):
        assert origin == data.KERAS_ORIGIN + fname
        target = Path(cache_dir) / cache_subdir / fname
        shutil.copyfile(real_dir / fname, target)
        return str(target)

    return get_file


def test_download_fills_keras_cache(real_dir, isolated, monkeypatch):
    monkeypatch.delenv("LOSSEDU_OFFLINE")
    monkeypatch.setitem(sys.modules, "keras", _fake_keras(_copying_get_file(real_dir)))
    assert data.locate_fashion_mnist() == isolated.keras
    assert sorted(p.name for p in isolated.keras.iterdir()) == sorted(data.FILES)


@pytest.mark.parametrize("failure", ["network", "garbage"])
def test_failed_download_leaves_nothing_behind(real_dir, isolated, monkeypatch, failure):
    good = _copying_get_file(real_dir)

    def get_file(fname, origin, cache_dir, cache_subdir):
        if fname != TRAIN_LABELS:
            return good(fname, origin, cache_dir, cache_subdir)
        target = Path(cache_dir) / cache_subdir / fname
        if failure == "network":
            target.write_bytes((real_dir / fname).read_bytes()[:1000])  # half a file, then...
            raise Exception(f"URL fetch failure on {origin}: None -- [Errno -3] no network")
        target.write_bytes(gzip.compress(b"<html>Quota exceeded</html>"))
        return str(target)

    monkeypatch.delenv("LOSSEDU_OFFLINE")
    monkeypatch.setitem(sys.modules, "keras", _fake_keras(get_file))
    with pytest.raises(DataNotFoundError, match="Download through keras.utils.get_file failed"):
        data.locate_fashion_mnist()
    assert list(isolated.keras.iterdir()) == []


def test_download_false_and_offline_never_call_keras(isolated, monkeypatch):
    monkeypatch.delenv("LOSSEDU_OFFLINE")
    with pytest.raises(DataNotFoundError, match="download=False"):
        data.locate_fashion_mnist(download=False)


# --------------------------------------------------------------------------- corrupt files


def _truncate_gz(real_dir, name):
    return (real_dir / name).read_bytes()[: (real_dir / name).stat().st_size // 2]


def _flip_label(real_dir, name):
    content = bytearray(_content(real_dir, name))
    content[8] = (content[8] + 1) % 10  # still a valid label: only the hash can tell
    return gzip.compress(bytes(content), compresslevel=1)


def _wrong_magic(real_dir, name):
    content = _content(real_dir, name)
    return gzip.compress(data.IMAGES_MAGIC.to_bytes(4, "big") + content[4:], compresslevel=1)


def _not_gzip(real_dir, name):
    return b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n"


def _short_payload(real_dir, name):
    return gzip.compress(_content(real_dir, name)[:-100], compresslevel=1)


def _long_payload(real_dir, name):
    return gzip.compress(_content(real_dir, name) + b"\0" * 7, compresslevel=1)


def _wrong_dims(real_dir, name):
    content = _content(real_dir, name)
    return gzip.compress(content[:4] + (59999).to_bytes(4, "big") + content[8:], compresslevel=1)


def _label_out_of_range(real_dir, name):
    content = bytearray(_content(real_dir, name))
    content[8] = 10
    return gzip.compress(bytes(content), compresslevel=1)


# (how to corrupt, which file, the words the message must contain, caught with verify=False)
CORRUPTIONS = [
    (_truncate_gz, TRAIN_LABELS, "not a complete gzip file", True),
    (_truncate_gz, TEST_IMAGES, "not a complete gzip file", True),
    (_flip_label, TRAIN_LABELS, "does not match the official checksum", False),
    (_wrong_magic, TRAIN_LABELS, "wrong IDX magic number", True),
    (_not_gzip, TRAIN_LABELS, "not a complete gzip file", True),
    (_short_payload, TRAIN_LABELS, "payload length does not match", True),
    (_long_payload, TRAIN_LABELS, "payload length does not match", True),
    (_wrong_dims, TRAIN_LABELS, "wrong dimensions", True),
    (_label_out_of_range, TRAIN_LABELS, "labels out of range", True),
]


@pytest.fixture(params=CORRUPTIONS, ids=lambda c: f"{c[0].__name__[1:]}-{c[1].split('-')[0]}")
def corrupt_dir(request, real_dir, isolated):
    corrupt, name, words, caught_without_verify = request.param
    folder = _link_all(real_dir, isolated.root / "broken", skip=(name,))
    (folder / name).write_bytes(corrupt(real_dir, name))
    return types.SimpleNamespace(
        path=folder, name=name, words=words, caught_without_verify=caught_without_verify
    )


def test_corrupt_file_raises_a_teaching_error(corrupt_dir):
    with pytest.raises(DataCorruptError) as info:
        data.load_fashion_mnist(corrupt_dir.path)
    message = str(info.value)
    assert corrupt_dir.name in message and corrupt_dir.words in message
    for needle in ("expected:", "found:", "fix: delete", "apt-get", "keras", "LOSSEDU_DATA"):
        assert needle in message
    assert info.value.path == corrupt_dir.path / corrupt_dir.name
    assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)


def test_header_checks_run_without_verify(corrupt_dir, real_arrays):
    if corrupt_dir.caught_without_verify:
        with pytest.raises(DataCorruptError, match=corrupt_dir.name):
            data.load_fashion_mnist(corrupt_dir.path, verify=False)
    else:  # a plausible flipped label passes the header checks: that is what verify is for
        (_, y_train), _ = data.load_fashion_mnist(corrupt_dir.path, verify=False)
        assert y_train[0] != real_arrays[0][1][0]


def test_verify_reports_every_broken_file(real_dir, isolated):
    folder = _link_all(real_dir, isolated.root / "broken", skip=(TRAIN_LABELS, TEST_LABELS))
    (folder / TRAIN_LABELS).write_bytes(_truncate_gz(real_dir, TRAIN_LABELS))
    (folder / TEST_LABELS).write_bytes(_flip_label(real_dir, TEST_LABELS))
    report = data.verify_fashion_mnist(folder)
    assert report.source == "given path" and not report.ok
    assert [f.status for f in report.files] == ["ok", "corrupt", "ok", "corrupt"]
    assert "not a complete gzip file" in report.files[1].problem
    assert "official checksum" in report.files[3].problem


# --------------------------------------------------------------------------- the CLI


def test_cli_reports_location_and_returns_0(real_dir, isolated, monkeypatch, capsys):
    mine = _link_all(real_dir, isolated.root / "mine")
    monkeypatch.setenv("LOSSEDU_DATA", str(mine))
    assert main_data([]) == 0
    out = capsys.readouterr().out
    assert f"found in $LOSSEDU_DATA: {mine}" in out
    assert out.count("\n  ok ") == 4 and "All four files verified." in out
    assert "x_train (60000, 28, 28) uint8" in out and "y_test (10000,) uint8" in out
    for sha in data.FILES.values():
        assert sha[:12] in out


def test_cli_quiet_prints_one_line(real_dir, isolated, monkeypatch, capsys):
    mine = _link_all(real_dir, isolated.root / "mine")
    monkeypatch.setenv("LOSSEDU_DATA", str(mine))
    assert main_data(["--quiet"]) == 0
    assert capsys.readouterr().out == f"Fashion-MNIST verified in $LOSSEDU_DATA: {mine}\n"


def test_cli_missing_returns_1_without_traceback(isolated, monkeypatch, capsys):
    monkeypatch.delenv("LOSSEDU_OFFLINE")  # --no-download alone must keep keras away
    assert main_data(["--no-download"]) == 1
    captured = capsys.readouterr()
    assert "apt-get install dataset-fashion-mnist" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_cli_corrupt_returns_1(real_dir, isolated, monkeypatch, capsys):
    folder = _link_all(real_dir, isolated.root / "mine", skip=(TEST_LABELS,))
    (folder / TEST_LABELS).write_bytes(_flip_label(real_dir, TEST_LABELS))
    monkeypatch.setenv("LOSSEDU_DATA", str(folder))
    assert main_data([]) == 1
    captured = capsys.readouterr()
    assert f"corrupt {TEST_LABELS}" in captured.out
    assert TEST_LABELS in captured.err and "fix: delete" in captured.err
