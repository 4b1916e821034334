"""Bytes to a `Document`: `load` (a path, `-` for standard input) and `load_bytes`.

The raw bytes are read once and bounded (`_bytes.read_sbom_bytes`), their digests computed on
the other core while gzip is undone and the document parsed and detected (`detect`), and
the reader that claimed it builds the model. The collector is paused meanwhile
(`sbomcheck._gc`). Readers raise `IngestError` with a path into the document; nothing else
escapes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sbomcheck._gc import gc_paused
from sbomcheck._io import NotRegularFile
from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest._bytes import (
    DEFAULT_LIMITS,
    GZIP_MAGIC,
    Digests,
    ReadLimits,
    gunzip,
    read_sbom_bytes,
)
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest.detect import parse_and_detect
from sbomcheck.model import Document, Format

__all__ = ["load", "load_bytes"]


def load(
    path: str | Path,
    *,
    key: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    regular_only: bool = False,
) -> Document:
    """Read the SBOM at `path` (`-` for standard input) into a `Document`.

    The file is opened once and read at most to its limit (a FIFO or process substitution
    works; `/dev/zero` is refused at once). With `regular_only`, anything but a regular file
    is refused without being opened for a blocking read. Raises `IngestError` (or
    `LimitError`) on anything that cannot be read as an SBOM.
    """
    name = str(path)
    try:
        data = read_sbom_bytes(name, source=key or name, limits=limits, regular_only=regular_only)
    except NotRegularFile as e:
        raise IngestError(f"not a regular file ({e.kind})", source=key or name) from None
    # Hand the only reference over, so the raw bytes can be freed once parsed.
    held = [data]
    del data
    return _load_held(held, key=key or name, path=name, limits=limits)


def load_bytes(
    data: bytes, *, key: str, path: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Document:
    """Read an SBOM from bytes; `key` names it in messages and in the model."""
    return _load_held([data], key=key, path=path, limits=limits)


def _load_held(held: list[bytes], *, key: str, path: str | None, limits: ReadLimits) -> Document:
    data = held.pop()
    # NOTE: hashlib releases the GIL on large buffers, so the digests of a big file are
    # computed on the other core while this thread decompresses and parses.
    digests = Digests(data)
    gzipped = data[:2] == GZIP_MAGIC
    if gzipped:
        data = gunzip(data, key, limits)
    if len(data) > limits.max_bytes:
        raise LimitError(
            f"document is {len(data):,} bytes, over the limit of {limits.max_bytes:,}", source=key
        )
    ctx = ReadContext(key=key, path=path or key, sha256="", gzip=gzipped)
    with gc_paused():
        reader, parsed = parse_and_detect(data, ctx)
        # NOTE: the raw bytes are no longer needed; freeing them before the model is built
        # keeps peak memory below that of the parse alone.
        del data
        # NOTE: the tag-value reader copies values out of the decoded text; were the bytes
        # still held by the hashing thread, a 300 MB line would cost three times its size
        # instead of two. The other formats were parsed from the bytes already.
        joined = not digests.threaded or reader.format is Format.SPDX_TV
        if joined:
            ctx.sha256, ctx.sha1 = digests.result()
        doc = reader.read(parsed, ctx)
        # NOTE: the parsed tree goes before the collector is back: once enabled, the first
        # allocation starts a collection over every object made during the pause, and the
        # dead tree would be part of that walk (0.7 s at 100,000 components).
        del parsed
    if not joined:
        # NOTE: joined only now, so hashing a large file overlaps the build as well as the
        # parse; the readers do not look at the digests.
        sha256, sha1 = digests.result()
        doc = dataclasses.replace(doc, sha256=sha256, sha1=sha1)
    return doc
