"""Bounded reads: the one place sbomcheck reads a file, a FIFO, a device or standard input.

Every read stops after `limit + 1` bytes, so a file over its limit is refused with a one-line
`InputError` instead of being read into memory first: `/dev/zero`, an endless pipe or a
multi-gigabyte file named as a waivers file costs at most its limit. The limits have their
home here (docs/readers.md, "Bounded reads").
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from typing import BinaryIO

from sbomcheck.errors import IngestError, InputError

__all__ = [
    "POLICY_MAX_BYTES",
    "SBOM_MAX_BYTES",
    "NotRegularFile",
    "file_kind",
    "is_regular_file",
    "read_bounded",
    "read_stream_bounded",
]

SBOM_MAX_BYTES = 2 * 1024**3
"""Largest SBOM read, before and after decompression (a 1,000,000-component SBOM is 1.7 GB)."""
POLICY_MAX_BYTES = 64 * 1024**2
"""Largest waivers, aliases or rules file read (the built-in ones are a few hundred KB)."""

_CHUNK = 1 << 20


class NotRegularFile(Exception):
    """Raised by `read_bounded(..., regular_only=True)` for a FIFO, socket or device; the
    caller decides what that means (a directory walk skips it)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


def file_kind(mode: int) -> str:
    """A word for the type of file `mode` describes (`fifo`, `socket`, `device`, ...)."""
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


def read_stream_bounded(
    fh: BinaryIO,
    limit: int,
    *,
    source: str,
    what: str = "file",
    limit_error: type[InputError] = IngestError,
    size_hint: int = 0,
    check_start: Callable[[bytes, str], None] | None = None,
) -> bytes:
    """Everything `fh` holds, reading at most `limit + 1` bytes; over `limit` raises
    `limit_error` naming `source`. `size_hint` (a regular file's size) lets a file be read
    in one allocation; `check_start(first_bytes, source)` may refuse the input (by raising)
    from its first block, before the rest is read."""
    want = min(size_hint, limit) + 1 if size_hint > 0 else _CHUNK
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = fh.read(min(want, limit + 1 - total))
        if not chunk:
            break
        if check_start is not None and not chunks:
            check_start(chunk, source)
        chunks.append(chunk)
        total += len(chunk)
        want = _CHUNK
    if total > limit:
        raise limit_error(
            f"{what} is larger than the limit of {limit:,} bytes; reading stopped there",
            source=source,
        )
    if len(chunks) == 1:
        return chunks[0]
    return b"".join(chunks)


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
    writer cannot hang the read.
    """
    name = os.fspath(path)
    where = source if source is not None else name
    over = limit_error or error
    if name == "-":
        return read_stream_bounded(
            sys.stdin.buffer,
            limit,
            source=where,
            what=what,
            limit_error=over,
            check_start=check_start,
        )
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if regular_only:
        flags |= os.O_NONBLOCK
    try:
        fd = os.open(name, flags)
    except IsADirectoryError:
        raise error("is a directory, not a file", source=where) from None
    except OSError as e:
        raise error(f"{cannot_read}: {e.strerror or e}", source=where) from None
    try:
        mode = os.fstat(fd)
        if stat.S_ISDIR(mode.st_mode):
            raise error("is a directory, not a file", source=where)
        regular = stat.S_ISREG(mode.st_mode)
        if regular_only and not regular:
            raise NotRegularFile(file_kind(mode.st_mode))
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return read_stream_bounded(
                fh,
                limit,
                source=where,
                what=what,
                limit_error=over,
                size_hint=mode.st_size if regular else 0,
                check_start=check_start,
            )
    except OSError as e:
        raise error(f"{cannot_read}: {e.strerror or e}", source=where) from None
    finally:
        if fd >= 0:
            os.close(fd)


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """True when `path` (symbolic links followed) is a regular file."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
