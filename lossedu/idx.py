"""The IDX file format (as gzip files): check the header, read the payload, nothing more.

Fashion-MNIST (like MNIST) ships as gzip-compressed IDX files: a big-endian int32 magic number,
one big-endian uint32 per dimension, then the raw unsigned bytes. This module knows the format;
:mod:`lossedu.data` knows which files to expect, where they live and how to fix a broken one,
so every problem found here is built by the ``corrupt`` callable the caller passes in.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lossedu.i18n import _

__all__ = ["IMAGES_MAGIC", "LABELS_MAGIC", "read_idx_gz"]

# IDX magic numbers: 0x0000 0803 (unsigned bytes, 3 dims) and 0x0000 0801 (unsigned bytes, 1 dim).
IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

Corrupt = Callable[[Path, str, str, str], Exception]
"""``corrupt(file, problem, expected, found)``: the exception to raise for a broken file."""


def _parse_header(file: Path, header: bytes, magic: int, shape: tuple[int, ...],
                  corrupt: Corrupt) -> None:
    """Check the IDX header: big-endian int32 magic, then one uint32 per dimension."""
    if len(header) < len(shape) * 4 + 4:
        raise corrupt(
            file, _("the file ends inside the IDX header"),
            _("{n} header bytes").format(n=len(shape) * 4 + 4),
            _("{n} bytes in the whole decompressed file").format(n=len(header)),
        )
    got_magic = int.from_bytes(header[:4], "big")
    if got_magic != magic:
        problem = (_("wrong IDX magic number (not a Fashion-MNIST images file)")
                   if magic == IMAGES_MAGIC else
                   _("wrong IDX magic number (not a Fashion-MNIST labels file)"))
        raise corrupt(
            file, problem, _("magic {magic}").format(magic=magic),
            _("magic {magic} (first bytes {first})").format(magic=got_magic,
                                                            first=header[:4].hex()),
        )
    dims = tuple(int.from_bytes(header[i : i + 4], "big") for i in range(4, len(header), 4))
    if dims != shape:
        raise corrupt(
            file, _("the IDX header gives the wrong dimensions"),
            _("dims {dims}").format(dims=shape), _("dims {dims}").format(dims=dims)
        )


def _read_payload(file: Path, stream, shape: tuple[int, ...], corrupt: Corrupt) -> np.ndarray:
    """Read exactly prod(shape) bytes straight into a writable array, and nothing more."""
    out = np.empty(shape, dtype=np.uint8)
    view = memoryview(out).cast("B")
    filled = 0
    while filled < out.size:
        n = stream.readinto(view[filled:])
        if not n:
            break
        filled += n
    extra = len(stream.read(1))
    if filled != out.size or extra:
        found = (_("{n} bytes").format(n=filled) if filled != out.size
                 else _("more bytes than that"))
        raise corrupt(
            file, _("the payload length does not match the IDX header"),
            _("{n} bytes after the header, for shape {shape}").format(n=out.size, shape=shape),
            found,
        )
    return out


def read_idx_gz(file: Path, magic: int, shape: tuple[int, ...],
                corrupt: Corrupt) -> tuple[bytes, np.ndarray]:
    """Decompress one IDX file, check its header and length: ``(header bytes, uint8 array)``.

    Raises ``corrupt(...)`` for a bad header, a wrong length or a broken gzip stream.
    """
    try:
        with gzip.open(file, "rb") as stream:
            header = stream.read(4 + 4 * len(shape))
            _parse_header(file, header, magic, shape, corrupt)
            array = _read_payload(file, stream, shape, corrupt)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise corrupt(
            file, _("it is not a complete gzip file (truncated or interrupted download?)"),
            _("a complete gzip stream"), f"{type(exc).__name__}: {exc}",
        ) from exc
    return header, array
