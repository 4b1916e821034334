"""The bytes of an SBOM before any parser sees them: read limits, gzip, digests, text decoding.

Reading itself is `sbomcheck._io.read_bounded` (the one place sbomcheck reads a file); this
module adds what is particular to SBOMs: the limits a caller may tighten (`ReadLimits`), the
refusal of a first byte no SBOM starts with, gzip undone in bounded steps (a gzip bomb is
refused after a few megabytes of output), the SHA-256/SHA-1 digests computed on the other core,
and the decoding of text by its byte-order mark.
"""

from __future__ import annotations

import codecs
import hashlib
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from sbomcheck._io import SBOM_MAX_BYTES, read_bounded
from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest._context import ReadContext

__all__ = [
    "DEFAULT_LIMITS",
    "GZIP_MAGIC",
    "Digests",
    "ReadLimits",
    "decode_text",
    "gunzip",
    "read_sbom_bytes",
]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Safety limits; exceeding one is a clear `LimitError`, not memory exhaustion.

    Nesting depth is not configurable: 256 levels of XML elements (libxml2 without
    `huge_tree`) and 256 levels of JSON arrays and objects (`MAX_JSON_DEPTH`, sbomcheck's own
    check, the same on every Python)."""

    max_bytes: int = SBOM_MAX_BYTES
    """Largest document, as read and after decompression (2 GiB: a 1,000,000-component SBOM
    is ~1.7 GB)."""
    max_gzip_ratio: int = 200
    """Largest decompressed/compressed ratio of a gzip stream once it has expanded beyond
    `gzip_ratio_from` bytes: SBOM JSON compresses 10-30x, a gzip bomb about 1,000x."""
    gzip_ratio_from: int = 64 * 1024**2
    """Output size from which `max_gzip_ratio` is enforced (smaller documents may compress
    as well as they like); it bounds the memory a gzip bomb costs before it is refused."""


DEFAULT_LIMITS = ReadLimits()

GZIP_MAGIC = b"\x1f\x8b"


def read_sbom_bytes(
    path: str | Path,
    *,
    source: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    regular_only: bool = False,
) -> bytes:
    """The raw bytes of an SBOM file (`-`: standard input), read once and bounded by
    `limits.max_bytes` (`LimitError` beyond). With `regular_only`, a FIFO, socket or device
    raises `sbomcheck._io.NotRegularFile` without being opened for a blocking read."""
    return read_bounded(
        path,
        limits.max_bytes,
        source=source,
        what="file",
        error=IngestError,
        limit_error=LimitError,
        regular_only=regular_only,
        check_start=_check_start,
    )


def _check_start(head: bytes, source: str) -> None:
    """Refuse at the first bytes what can be no SBOM, before reading up to the limit."""
    # NOTE: no format sbomcheck reads starts with a NUL byte, except UTF-32-BE text with
    # its byte-order mark; /dev/zero given as an SBOM ends here instead of at 2 GiB.
    if head[:1] == b"\x00" and not head.startswith(codecs.BOM_UTF32_BE):
        raise IngestError(
            "starts with a NUL byte: not an SBOM (a device such as /dev/zero?)",
            source=source,
            location="byte 0",
        )


class Digests:
    """SHA-256 and SHA-1 of a buffer, in a background thread when the buffer is large."""

    _THREAD_ABOVE = 4 * 1024 * 1024

    def __init__(self, data: bytes) -> None:
        self._data: bytes | None = data
        self._values: tuple[str, str] | None = None
        self._thread: threading.Thread | None = None
        if len(data) > self._THREAD_ABOVE:
            self._thread = threading.Thread(target=self._compute, daemon=True)
            self._thread.start()

    def _compute(self) -> None:
        data = self._data
        assert data is not None
        self._values = (hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest())
        self._data = None

    @property
    def threaded(self) -> bool:
        """True when the digests are being computed on another thread."""
        return self._thread is not None

    def result(self) -> tuple[str, str]:
        """(sha256, sha1) hex digests."""
        if self._thread is not None:
            self._thread.join()
        elif self._values is None:
            self._compute()
        assert self._values is not None
        return self._values


_GZIP_IN_CHUNK = 1 << 20
_GZIP_OUT_CHUNK = 1 << 20


def gunzip(data: bytes, key: str, limits: ReadLimits) -> bytes:
    """Every member of a gzip file (RFC 1952 allows several: `cat a.gz b.gz`), decompressed
    in bounded steps with a running limit on the output size and on the compression ratio,
    so a gzip bomb is refused after a few megabytes of output, not at its full expansion.

    Bytes after the last member that do not start another member are refused, with the
    offset where they start: the reader cannot tell whether they are meant to be read.
    """
    view = memoryview(data)
    size = len(view)
    out: list[bytes] = []
    total = 0
    pos = 0
    while True:
        start = pos
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending: bytes | memoryview = b""
        try:
            while not d.eof:
                if not pending and pos < size:
                    pending = view[pos : pos + _GZIP_IN_CHUNK]
                    pos += len(pending)
                chunk = d.decompress(pending, _GZIP_OUT_CHUNK)
                pending = d.unconsumed_tail
                if chunk:
                    out.append(chunk)
                    total += len(chunk)
                    _check_expansion(total, pos - len(pending), key, limits)
                elif not pending and pos >= size:
                    break
        except zlib.error as e:
            raise IngestError(
                f"corrupt gzip stream: {e}", source=key, location=_member_place(start, out)
            ) from None
        if not d.eof:
            raise IngestError(
                "truncated gzip stream", source=key, location=_member_place(start, out)
            )
        pos -= len(d.unused_data)
        if pos >= size:
            break
        if view[pos : pos + 2] != GZIP_MAGIC:
            raise IngestError(
                f"{size - pos:,} bytes after the end of the gzip stream are not a gzip member",
                source=key,
                location=f"byte {pos:,}",
            )
    return out[0] if len(out) == 1 else b"".join(out)


def _member_place(start: int, out: list[bytes]) -> str:
    return f"gzip member at byte {start:,}" if start or out else "byte 0"


def _check_expansion(total: int, consumed: int, key: str, limits: ReadLimits) -> None:
    if total > limits.max_bytes:
        raise LimitError(
            f"gzip content expands beyond the limit of {limits.max_bytes:,} bytes", source=key
        )
    if total > limits.gzip_ratio_from and total > limits.max_gzip_ratio * max(consumed, 1):
        raise LimitError(
            f"gzip content expands more than {limits.max_gzip_ratio}:1 beyond "
            f"{limits.gzip_ratio_from:,} bytes (a gzip bomb?); refused after "
            f"{consumed:,} compressed bytes",
            source=key,
        )


def decode_text(data: bytes, ctx: ReadContext) -> str:
    """The text of `data`: UTF-8, or UTF-16/32 by its byte-order mark; invalid text raises
    `IngestError` naming the line and the byte."""
    encoding = "utf-8"
    for bom, bom_encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            encoding = bom_encoding
            break
    # NOTE: the UTF-8 byte-order mark is cut off here rather than by the "utf-8-sig" codec,
    # whose error positions count from after the mark (naming the wrong byte and line).
    skip = 3 if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as e:
        # NOTE: for UTF-16/32 the codec reads the mark itself, so positions are in `data`.
        at = e.start + skip
        line = data[:at].count(b"\n") + 1
        raise IngestError(
            f"not valid {encoding.upper()} text (byte 0x{data[at]:02x})",
            source=ctx.key,
            location=f"line {line}",
        ) from None
