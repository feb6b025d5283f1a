"""Fashion-MNIST without surprises: locate, verify and load the four official files.

The loader returns exactly what ``keras.datasets.fashion_mnist.load_data()`` returns, but it
looks in more places, checks every byte (SHA-256 of the decompressed content) and explains
what to do when something is missing or broken.  Only NumPy and the standard library are
imported here; Keras is imported lazily, and only when a download is needed.

>>> from lossedu import data
>>> data.CLASS_NAMES[9]
'Ankle boot'
>>> sorted(data.FILES)[0]
't10k-images-idx3-ubyte.gz'
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from lossedu.constants import CLASS_NAMES
from lossedu.errors import DataCorruptError, DataNotFoundError
from lossedu.i18n import _
from lossedu.idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx_gz

__all__ = [
    "CLASS_NAMES",
    "FILES",
    "Candidate",
    "FileReport",
    "DataReport",
    "candidate_dirs",
    "locate_fashion_mnist",
    "load_fashion_mnist",
    "verify_fashion_mnist",
]


# SHA-256 of the DECOMPRESSED content.  Debian recompresses the .gz files, so hashes of the
# .gz bytes differ between sources while the content is identical.
FILES = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",  # noqa: E501
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",  # noqa: E501
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",  # noqa: E501
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",  # noqa: E501
}

# The IDX header each file must have: magic number (lossedu.idx) and dimensions.
_SPECS = {
    "train-images-idx3-ubyte.gz": (IMAGES_MAGIC, (60000, 28, 28)),
    "train-labels-idx1-ubyte.gz": (LABELS_MAGIC, (60000,)),
    "t10k-images-idx3-ubyte.gz": (IMAGES_MAGIC, (10000, 28, 28)),
    "t10k-labels-idx1-ubyte.gz": (LABELS_MAGIC, (10000,)),
}

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
UPSTREAM_URL = "https://github.com/zalandoresearch/fashion-mnist"
# Module-level so that tests can point them elsewhere.
REPO_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "fashion-mnist"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")

# (resolved path, mtime_ns, size) -> SHA-256 already checked in this process.
_VERIFIED: dict[tuple[str, int, int], str] = {}


class Candidate(NamedTuple):
    """One place where the four files may be: a label for people, and the directory."""

    label: str
    path: Path


@dataclass(frozen=True)
class FileReport:
    """What ``verify_fashion_mnist`` found for one file."""

    name: str
    path: Path
    status: str  # "ok", "corrupt" or "missing"
    sha256: str | None = None
    shape: tuple[int, ...] | None = None
    problem: str = ""


@dataclass(frozen=True)
class DataReport:
    """Which directory was used, why, and the state of each of the four files."""

    directory: Path
    source: str
    files: tuple[FileReport, ...]
    searched: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when all four files are present and verified."""
        return all(f.status == "ok" for f in self.files)


# --------------------------------------------------------------------------- where to look


def _keras_home() -> Path:
    """Keras's own rule: ``$KERAS_HOME``, else ``~/.keras``, else ``/tmp/.keras``."""
    if "KERAS_HOME" in os.environ:
        return Path(os.environ["KERAS_HOME"]).expanduser()
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return Path(base) / ".keras"


def _keras_cache_dir() -> Path:
    return _keras_home() / "datasets" / "fashion-mnist"


def candidate_dirs() -> list[Candidate]:
    """The directories searched for the four files, in order, each with a label.

    ``$LOSSEDU_DATA`` comes first when it is set, then the repository's ``data/fashion-mnist``,
    the Keras cache and Debian's ``dataset-fashion-mnist`` package.

    >>> [c.label for c in candidate_dirs()][-1]
    'Debian package dataset-fashion-mnist'
    """
    found = []
    if os.environ.get("LOSSEDU_DATA"):
        found.append(Candidate("$LOSSEDU_DATA", Path(os.environ["LOSSEDU_DATA"]).expanduser()))
    keras_label = (_("Keras cache ($KERAS_HOME)") if "KERAS_HOME" in os.environ
                   else _("Keras cache"))
    found += [
        Candidate(_("repository data/fashion-mnist"), REPO_DATA_DIR),
        Candidate(keras_label, _keras_cache_dir()),
        Candidate(_("Debian package dataset-fashion-mnist"), DEBIAN_DIR),
    ]
    return found


def _missing_files(directory: Path) -> list[str]:
    return [name for name in FILES if not (directory / name).is_file()]


def _describe(directory: Path) -> str:
    """One line on the state of a candidate directory."""
    if not directory.is_dir():
        return _("does not exist")
    missing = _missing_files(directory)
    if not missing:
        return _("all four files present")
    if len(missing) == len(FILES):
        return _("none of the four files")
    return _("missing {n} of 4 files: {names}").format(n=len(missing), names=", ".join(missing))


def _search_lines() -> list[str]:
    lines = [f"{c.label}: {c.path} ({_describe(c.path)})" for c in candidate_dirs()]
    if not os.environ.get("LOSSEDU_DATA"):
        lines.insert(0, _("$LOSSEDU_DATA: not set"))
    return lines


def _ways_to_get_data(indent: str = "  ") -> str:
    ways = [
        "Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist",
        _('with network access: python -c "import keras; '
          'keras.datasets.fashion_mnist.load_data()"'
          "\n{indent}   (this fills the Keras cache, {cache})").format(
              indent=indent, cache=_keras_cache_dir()),
        _("download the four *-ubyte.gz files from {url}"
          "\n{indent}   (folder data/fashion) into {folder},"
          "\n{indent}   or into any folder and set LOSSEDU_DATA=/path/to/that/folder").format(
              url=UPSTREAM_URL, indent=indent, folder=REPO_DATA_DIR),
    ]
    return "\n".join(f"{indent}{i}. {way}" for i, way in enumerate(ways, 1))


def _not_found_message(download_note: str) -> str:
    places = "\n".join(f"  {i}. {line}" for i, line in enumerate(_search_lines(), 1))
    return _(
        "Fashion-MNIST was not found.\n"
        "lossedu looked for the four files {files}\n"
        "in these places, in this order:\n{places}\n"
        "{note}\n"
        "Get the data in one of three ways:\n{ways}"
    ).format(files=", ".join(FILES), places=places, note=download_note,
             ways=_ways_to_get_data())


# --------------------------------------------------------------------------- finding it


def _offline() -> bool:
    return os.environ.get("LOSSEDU_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _find() -> Candidate | None:
    candidates = candidate_dirs()
    for candidate in candidates:
        if not _missing_files(candidate.path):
            if candidate is not candidates[0] and candidates[0].label == "$LOSSEDU_DATA":
                first = candidates[0].path
                warnings.warn(_("LOSSEDU_DATA={path} is set but {state}; using {label} instead: "
                                "{used}").format(path=first, state=_describe(first),
                                                 label=candidate.label, used=candidate.path),
                              stacklevel=2)
            return candidate
    return None


def _locate(download: bool | None) -> Candidate:
    found = _find()
    if found is not None:
        return found
    if download is None:
        download = not _offline()
    if not download:
        why = _("LOSSEDU_OFFLINE is set") if _offline() else "download=False"
        raise DataNotFoundError(_not_found_message(
            _("Download through Keras was not tried: {why}.").format(why=why)))
    try:
        directory = _download_to_keras_cache()
    except Exception as exc:  # no network, no keras, read-only home, bad download...
        note = _("Download through keras.utils.get_file failed: {kind}: {error}").format(
            kind=type(exc).__name__, error=exc)
        raise DataNotFoundError(_not_found_message(note)) from exc
    return Candidate(_("Keras cache (downloaded just now)"), directory)


def _download_to_keras_cache() -> Path:
    """Fetch the missing files with Keras into a temporary folder, verify, then move them in.

    Keras's ``get_file`` writes to its final path, so a failed download could leave half a
    file there.  Downloading into a temporary folder inside the cache and moving each verified
    file with ``os.replace`` (atomic on one file system) means the cache only ever holds
    complete files.
    """
    import keras  # lazy: importing keras imports TensorFlow, which takes seconds

    target = _keras_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".lossedu-download-", dir=target) as tmp:
        fetched = {}
        for name in _missing_files(target):
            path = keras.utils.get_file(
                name, origin=KERAS_ORIGIN + name, cache_dir=tmp, cache_subdir=""
            )
            _read_idx(Path(path), verify=True)  # a bad download never reaches the cache
            fetched[name] = Path(path)
        for name, path in fetched.items():
            os.replace(path, target / name)
    return target


def locate_fashion_mnist(download: bool | None = None) -> Path:
    """The first directory, in ``candidate_dirs()`` order, that holds all four files.

    If none does, download through ``keras.utils.get_file`` into the Keras cache, unless
    ``download=False`` or the environment sets ``LOSSEDU_OFFLINE=1``.  Raises
    ``DataNotFoundError`` listing every place searched and the ways to get the data.

    >>> sorted(p.name for p in locate_fashion_mnist().glob("*-ubyte.gz"))[:2]
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
    """
    return _locate(download).path


# --------------------------------------------------------------------------- reading it


def _corrupt(file: Path, problem: str, expected: str, found: str) -> DataCorruptError:
    fix = _("  fix: delete {file} and get it again, in one of these ways:\n").format(file=file)
    if file.resolve().is_relative_to(DEBIAN_DIR.resolve()):
        fix = _("  fix: this copy comes from Debian's package; reinstall it with\n"
                "    sudo apt-get install --reinstall dataset-fashion-mnist\n"
                "  or get the data in one of these ways:\n")
    fix += _ways_to_get_data("    ")
    err = DataCorruptError(_(
        "Fashion-MNIST file {name} is corrupt: {problem}.\n  file: {file}\n"
        "  expected: {expected}\n  found: {found}\n{fix}"
    ).format(name=file.name, problem=problem, file=file, expected=expected, found=found,
             fix=fix))
    err.path = file
    return err


def _cache_key(file: Path) -> tuple[str, int, int]:
    stat = file.stat()
    return (str(file.resolve()), stat.st_mtime_ns, stat.st_size)


def _read_idx(file: Path, verify: bool, use_cache: bool = True) -> tuple[np.ndarray, str | None]:
    """Decompress, check the header and length, and (if ``verify``) the SHA-256 of one file."""
    magic, shape = _SPECS[file.name]
    key = _cache_key(file)
    header, array = read_idx_gz(file, magic, shape, _corrupt)
    if magic == LABELS_MAGIC and array.max() > 9:
        raise _corrupt(file, _("labels out of range"), _("labels 0..9"),
                       _("max label {n}").format(n=array.max()))
    if not verify:
        return array, None
    if use_cache and _VERIFIED.get(key) == FILES[file.name]:
        return array, FILES[file.name]
    digest = hashlib.sha256(header)
    digest.update(memoryview(array).cast("B"))
    sha = digest.hexdigest()
    if sha != FILES[file.name]:
        raise _corrupt(
            file, _("the content does not match the official checksum"),
            _("SHA-256 {sha} (of the decompressed content)").format(sha=FILES[file.name]),
            f"SHA-256 {sha}",
        )
    _VERIFIED[key] = sha
    return array, sha


def _directory_for(path: str | os.PathLike | None) -> Path:
    if path is None:
        return locate_fashion_mnist()
    directory = Path(path).expanduser()
    missing = _missing_files(directory)
    if missing:
        raise DataNotFoundError(_(
            "{directory} ({state}) is not a Fashion-MNIST folder.\n"
            "  expected: the four files {files}\n"
            "  fix: get them in one of these ways:\n{ways}"
        ).format(directory=directory, state=_describe(directory), files=", ".join(FILES),
                 ways=_ways_to_get_data("    ")))
    return directory


def load_fashion_mnist(path=None, verify: bool = True):
    """Fashion-MNIST as ``((x_train, y_train), (x_test, y_test))``, uint8 NumPy arrays.

    The same arrays as ``keras.datasets.fashion_mnist.load_data()``: images (N, 28, 28),
    labels (N,) with values 0..9 (see ``CLASS_NAMES``), N = 60000 and 10000.  ``path`` is a
    folder holding the four files; by default ``locate_fashion_mnist()`` finds one.  With
    ``verify=True`` the SHA-256 of each decompressed file is checked once per process; the
    IDX headers and lengths are always checked.  Raises ``DataNotFoundError`` or
    ``DataCorruptError``, never garbage.

    >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    >>> x_train.shape, x_train.dtype, y_test.shape
    ((60000, 28, 28), dtype('uint8'), (10000,))
    >>> CLASS_NAMES[y_train[0]]
    'Ankle boot'
    """
    directory = _directory_for(path)

    def read(name: str) -> np.ndarray:
        return _read_idx(directory / name, verify)[0]

    # Same order as Keras: labels first, they are small and fail fast.
    y_train = read("train-labels-idx1-ubyte.gz")
    x_train = read("train-images-idx3-ubyte.gz")
    y_test = read("t10k-labels-idx1-ubyte.gz")
    x_test = read("t10k-images-idx3-ubyte.gz")
    return (x_train, y_train), (x_test, y_test)


# --------------------------------------------------------------------------- reporting


def _file_report(file: Path) -> FileReport:
    if not file.is_file():
        return FileReport(file.name, file, "missing",
                          problem=_("{file} does not exist").format(file=file))
    try:
        array, sha = _read_idx(file, verify=True, use_cache=False)
    except DataCorruptError as err:
        return FileReport(file.name, file, "corrupt", problem=str(err))
    return FileReport(file.name, file, "ok", sha256=sha, shape=array.shape)


def verify_fashion_mnist(path=None, download: bool | None = None) -> DataReport:
    """Find the data (or use ``path``), re-hash all four files and report on each.

    Problems are reported, not raised, except ``DataNotFoundError`` when no folder is found.

    >>> report = verify_fashion_mnist()
    >>> report.ok, [f.status for f in report.files]
    (True, ['ok', 'ok', 'ok', 'ok'])
    """
    if path is None:
        candidate = _locate(download)
    else:
        directory = Path(path).expanduser()
        labels = {c.path.resolve(): c.label for c in candidate_dirs()}
        candidate = Candidate(labels.get(directory.resolve(), _("given path")), directory)
    files = tuple(_file_report(candidate.path / name) for name in FILES)
    return DataReport(candidate.path, candidate.label, files, tuple(_search_lines()))
