"""Bounded reads: the one place sbomcheck reads a file, a FIFO, a device or standard input.

Every read stops after `limit + 1` bytes, so a file over its limit is refused with a one-line
`InputError` instead of being read into memory first: `/dev/zero`, an endless pipe or a
multi-gigabyte file named as a waivers file costs at most its limit. The limits have their
home here (docs/readers.md, "Bounded reads").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sbomcheck.errors import IngestError, InputError

__all__ = [
    "PACKAGE_DIR",
    "POLICY_MAX_BYTES",
    "SBOM_MAX_BYTES",
    "NotRegularFile",
    "file_kind",
    "read_bounded",
    "read_prefix",
    "sha256_bounded",
]

SBOM_MAX_BYTES = 2 * 1024**3
"""Largest SBOM read, before and after decompression (a 1,000,000-component SBOM is 1.7 GB)."""
POLICY_MAX_BYTES = 64 * 1024**2
"""Largest waivers, aliases or rules file read (the built-in ones are a few hundred KB)."""

PACKAGE_DIR = Path(__file__).parent
"""The installed package's directory, where a wheel ships `_data/` and `_docs/`: the directory
`importlib.resources.files("sbomcheck")` names for a package on disk, found without importing
importlib.resources (and with it tempfile, shutil, ...), which every command would pay for."""

_CHUNK = 1 << 20


class NotRegularFile(Exception):
    """Raised by a read with `regular_only=True` for a FIFO, socket or device, before it is
    opened for reading; the caller decides what that means (a directory walk skips it)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


def file_kind(mode: int) -> str:
    """A word for the type of file `mode` describes (`FIFO`, `socket`, `device`, ...)."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "regular file"
    return "special file"


def read_bounded(
    path: str | os.PathLike[str],
    limit: int,
    *,
    source: str | None = None,
    what: str = "file",
    error: type[InputError] = IngestError,
    limit_error: type[InputError] | None = None,
    cannot_read: str = "cannot read file",
    regular_only: bool = False,
    check_start: Callable[[bytes, str], None] | None = None,
) -> bytes:
    """The bytes of `path` (`-` is standard input), at most `limit`; reads `limit + 1` at
    most, so a device or an endless FIFO ends there, not in memory.

    Raises `error` (`{cannot_read}: {reason}`, naming `source`, default the path) when the
    file cannot be read or is a directory, and `limit_error` (default `error`) when it holds
    more than `limit` bytes. With `regular_only`, anything but a regular file raises
    `NotRegularFile` before a byte is read: it is opened without blocking, so a FIFO with no
    writer cannot hang the read. `check_start(first_block, source)` may refuse the input
    (by raising) from its first block, before the rest is read.
    """
    where = source if source is not None else os.fspath(path)
    over = limit_error or error

    def too_large() -> InputError:
        return over(f"{what} is larger than the limit of {limit:,} bytes", source=where)

    with _opened(path, where, error, cannot_read, regular_only) as (fh, size_hint):
        if size_hint > limit:
            # NOTE: a regular file says its size: refused before a byte is read.
            raise too_large()
        data = _read_upto(fh, limit + 1, size_hint, check_start, where)
    if len(data) > limit:
        raise too_large()
    return data


def read_prefix(
    path: str | os.PathLike[str],
    size: int,
    *,
    source: str | None = None,
    error: type[InputError] = IngestError,
    cannot_read: str = "cannot read file",
    regular_only: bool = False,
    check_start: Callable[[bytes, str], None] | None = None,
) -> bytes:
    """The first `size` bytes of `path` (`-` is standard input), or all of it when shorter;
    opened once. Errors as for `read_bounded`."""
    where = source if source is not None else os.fspath(path)
    with _opened(path, where, error, cannot_read, regular_only) as (fh, size_hint):
        return _read_upto(fh, size, size_hint, check_start, where)


def _read_upto(
    fh: BinaryIO,
    size: int,
    size_hint: int,
    check_start: Callable[[bytes, str], None] | None,
    where: str,
) -> bytes:
    """At most `size` bytes of `fh`; a regular file of `size_hint` bytes in one read."""
    want = min(size_hint + 1, size) if size_hint > 0 else _CHUNK
    chunks: list[bytes] = []
    total = 0
    while total < size:
        chunk = fh.read(min(want, size - total))
        if not chunk:
            break
        if check_start is not None and not chunks:
            check_start(chunk, where)
        chunks.append(chunk)
        total += len(chunk)
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def sha256_bounded(
    path: str | os.PathLike[str],
    limit: int,
    *,
    source: str | None = None,
    what: str = "file",
    error: type[InputError] = IngestError,
    cannot_read: str = "cannot read",
) -> str:
    """The sha256 (hex) of the bytes of `path`, read in blocks; more than `limit` bytes
    raises `error` (an endless device is not hashed forever)."""
    where = source if source is not None else os.fspath(path)
    digest = hashlib.sha256()
    total = 0
    with _opened(path, where, error, cannot_read, False) as (fh, _):
        while block := fh.read(_CHUNK):
            total += len(block)
            if total > limit:
                raise error(f"{what} is larger than the limit of {limit:,} bytes", source=where)
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _opened(
    path: str | os.PathLike[str],
    where: str,
    error: type[InputError],
    cannot_read: str,
    regular_only: bool,
) -> Iterator[tuple[BinaryIO, int]]:
    """(binary file, size of a regular file or 0); read errors raise `error`."""
    name = os.fspath(path)
    if name == "-":
        stdin = sys.stdin
        if stdin is None:
            raise error(f"{cannot_read}: standard input is closed", source=where)
        try:
            yield stdin.buffer, 0
        except OSError as e:
            raise error(f"{cannot_read}: {e.strerror or e}", source=where) from None
        return
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if regular_only:
        # NOTE: opening a FIFO for reading waits for a writer unless told not to.
        flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(name, flags)
    except IsADirectoryError:
        raise error("is a directory, not a file", source=where) from None
    except OSError as e:
        raise error(f"{cannot_read}: {e.strerror or e}", source=where) from None
    try:
        info = os.fstat(fd)
        mode, size = info.st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise error("is a directory, not a file", source=where)
        if regular_only and not stat.S_ISREG(mode):
            raise NotRegularFile(file_kind(mode))
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        try:
            yield fh, size if stat.S_ISREG(mode) else 0
        except OSError as e:
            raise error(f"{cannot_read}: {e.strerror or e}", source=where) from None
