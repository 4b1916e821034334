"""Read any supported SBOM into the model; the format is detected from content, never the name.

`load(path)` is the one entry point. It reads the bytes (standard input for `-`), undoes gzip,
enforces the size limit, decodes (UTF-8, or UTF-16/32 with a byte-order mark), parses once
(orjson for JSON, lxml with entities and network off for XML, a line reader for tag-value,
PyYAML's safe loader for YAML), detects the format from what was parsed, and hands the parsed
object to the reader for that format. Readers raise `IngestError` with a path into the
document; nothing else escapes.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from sbomcheck._gc import gc_paused
from sbomcheck._io import SBOM_MAX_BYTES, NotRegularFile, read_bounded
from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json_checks import (
    check_json_depth,
    colons_as_read,
    colons_as_written,
    refuse_duplicate_keys,
)
from sbomcheck.model import Document, Format

_msgspec_decode = msgspec.json.Decoder().decode

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "detect_format", "load", "load_bytes"]


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

_GZIP_MAGIC = b"\x1f\x8b"
_CDX_NAMESPACE = re.compile(r"http://cyclonedx\.org/schema/bom/1\.\d+")


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


def load_bytes(
    data: bytes, *, key: str, path: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Document:
    """Read an SBOM from bytes; `key` names it in messages and in the model."""
    return _load_held([data], key=key, path=path, limits=limits)


def _load_held(held: list[bytes], *, key: str, path: str | None, limits: ReadLimits) -> Document:
    data = held.pop()
    # NOTE: hashlib releases the GIL on large buffers, so the digests of a big file are
    # computed on the other core while this thread decompresses and parses.
    digests = _Digests(data)
    gzipped = data[:2] == _GZIP_MAGIC
    if gzipped:
        data = _gunzip(data, key, limits)
    if len(data) > limits.max_bytes:
        raise LimitError(
            f"document is {len(data):,} bytes, over the limit of {limits.max_bytes:,}", source=key
        )
    ctx = ReadContext(key=key, path=path or key, sha256="", gzip=gzipped)
    with gc_paused():
        fmt, parsed = _parse_and_detect(data, ctx)
        # NOTE: the raw bytes are no longer needed; freeing them before the model is built
        # keeps peak memory below that of the parse alone.
        del data
        # NOTE: the tag-value reader copies values out of the decoded text; were the bytes
        # still held by the hashing thread, a 300 MB line would cost three times its size
        # instead of two. The other formats were parsed from the bytes already.
        joined = not digests.threaded or fmt is Format.SPDX_TV
        if joined:
            ctx.sha256, ctx.sha1 = digests.result()
        doc = _read(fmt, parsed, ctx)
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


class _Digests:
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


def detect_format(data: bytes, *, key: str = "<bytes>") -> Format:
    """The format of an SBOM given as bytes (gzip undone); raises `IngestError` if none."""
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, key, DEFAULT_LIMITS)
    ctx = ReadContext(key=key, path=key, sha256="", gzip=False)
    return _parse_and_detect(data, ctx)[0]


_GZIP_IN_CHUNK = 1 << 20
_GZIP_OUT_CHUNK = 1 << 20


def _gunzip(data: bytes, key: str, limits: ReadLimits) -> bytes:
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
        if view[pos : pos + 2] != _GZIP_MAGIC:
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


def _decode(data: bytes, ctx: ReadContext) -> str:
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


def _first_significant(text: str) -> str:
    for ch in text[:4096]:
        if not ch.isspace() and ch != "\ufeff":
            return ch
    return ""


def _parse_and_detect(data: bytes, ctx: ReadContext) -> tuple[Format, Any]:
    has_bom = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or data[:3] == codecs.BOM_UTF8
    if not data or data.isspace():
        raise IngestError("empty file, not an SBOM", source=ctx.key)
    text: str | None = None
    head = data[:4096].lstrip()
    if has_bom:
        text = _decode(data, ctx)
        first = _first_significant(text)
    else:
        first = chr(head[0]) if head else ""
    if first in "{[":
        raw = data if text is None else text.encode("utf-8")
        depth_checked = False
        if text is None and _CYCLONEDX_HINT in head:
            from sbomcheck.ingest._cdx_json_typed import decode_regular_cyclonedx

            # NOTE: before any decoder: their own limits differ between decoders and
            # Pythons, and nested components make any depth regular to the Structs.
            check_json_depth(raw, ctx)
            depth_checked = True

            # NOTE: the fast path (docs/readers-cyclonedx.md): typed decoding in C. Anything
            # it does not take is decoded again below and read by the general reader.
            regular = decode_regular_cyclonedx(data)
            if regular is not None:
                return Format.CYCLONEDX_JSON, regular
        if text is None and (_SPDX_HINT in head or _SPDXID_HINT in head):
            from sbomcheck.ingest._spdx_json_typed import decode_regular_spdx

            # NOTE: the SPDX 2 fast path (docs/readers-spdx.md), built like the CycloneDX one.
            # Its Structs have a fixed depth and it measures its plain members against the
            # same limit, declining a deeper document, so the bytes need no depth check.
            regular_spdx = decode_regular_spdx(data)
            if regular_spdx is not None:
                return Format.SPDX_JSON, regular_spdx
        if not depth_checked:
            check_json_depth(raw, ctx)
        import orjson  # NOTE: the general path only; the typed paths never load it

        try:
            obj = _loads_json(text if text is not None else data)
        except orjson.JSONDecodeError as e:
            if text is None and "UTF-8" in e.msg:
                # NOTE: orjson places invalid UTF-8 at the start of the document; the
                # decoder names the byte and where it is.
                _decode(data, ctx)
            raise IngestError(
                f"invalid JSON: {e.msg}",
                source=ctx.key,
                location=f"line {e.lineno} column {e.colno}",
            ) from None
        # NOTE: the decoders keep the last value of a repeated key; the count of colons
        # tells whether any key was dropped (ingest/_json_checks.py).
        written = colons_as_written(raw)
        del raw
        if written is None or colons_as_read(obj) != written:
            refuse_duplicate_keys(text if text is not None else data, ctx)
        return _detect_json(obj, ctx), obj
    if first == "<":
        from sbomcheck.ingest._xml import parse_xml  # NOTE: lxml loads only for XML

        root = parse_xml(data if text is None else text.encode("utf-8"), ctx)
        return _detect_xml(root, ctx), root
    text = text if text is not None else _decode(data, ctx)
    if _has_tag_value_version(text):
        return Format.SPDX_TV, text
    return _detect_yaml(text, ctx)


# Where CycloneDX JSON names itself, within the first 4 KB: worth trying the typed decode.
_CYCLONEDX_HINT = b'"bomFormat"'
# Where SPDX 2 JSON shows itself: spdxVersion, or (when members are sorted) an SPDXID.
_SPDX_HINT, _SPDXID_HINT = b'"spdxVersion"', b'"SPDXID"'

# Bytes -> b"0" for digits, b"." for everything else: runs of digits become runs of b"0",
# which bytes.find locates at memchr speed (a regex over 116 MB took 1.7 s).
_DIGITS_TO_ZERO = bytes(48 if 48 <= b <= 57 else 46 for b in range(256))
_LONG_RUN = b"0" * 19
_CHUNK = 1 << 20


def _may_hold_long_integer(raw: bytes) -> bool:
    """True if `raw` may hold a JSON number with an integer part of 19 or more digits.

    Those are the one valid input on which msgspec and orjson differ (orjson reads integers
    beyond 64 bits as floats, msgspec as ints). Digits inside strings (hex digests) are told
    apart by the character before the run; a false alarm only costs the slower parser.
    """
    n = len(raw)
    start = 0
    while start < n:
        # Chunks overlap by the run length, so no run is cut in two unseen.
        lo = max(0, start - len(_LONG_RUN))
        chunk = raw[lo : start + _CHUNK].translate(_DIGITS_TO_ZERO)
        at = chunk.find(_LONG_RUN)
        while at >= 0:
            begin = lo + at
            while begin > 0 and 48 <= raw[begin - 1] <= 57:
                begin -= 1
            before = raw[max(0, begin - 64) : begin].rstrip(b" \t\r\n-").rstrip(b" \t\r\n")
            if not before or before[-1:] in (b":", b",", b"["):
                return True
            end = at + len(_LONG_RUN)
            while end < len(chunk) and chunk[end] == 48:
                end += 1
            at = chunk.find(_LONG_RUN, end)
        start += _CHUNK
    return False


def _loads_json(data: bytes | str) -> Any:
    """Decode JSON to dicts and lists exactly as `orjson.loads` would, with less memory.

    orjson builds its own document tree before the Python objects, which doubles the peak
    memory of a large file (887 MB vs 647 MB for a 116 MB SBOM, same time); msgspec decodes
    straight into Python objects. orjson stays the reference: any input msgspec rejects, or
    on which the two could differ, is decoded again by orjson, so results and error
    messages are orjson's.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not _may_hold_long_integer(raw):
        try:
            return _msgspec_decode(data)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
            # NOTE: msgspec raises UnicodeDecodeError itself on invalid UTF-8 in a string;
            # orjson's message names the place.
            pass
    import orjson

    return orjson.loads(data)


def _has_tag_value_version(text: str) -> bool:
    # NOTE: the first 200 lines (as str.splitlines counts them) are looked at, and only
    # they are cut off: splitting the whole text would copy all of it (a 300 MB line would
    # cost 300 MB more).
    pos = 0
    for _ in range(200):
        brk = _LINE_BREAK.search(text, pos)
        stop = len(text) if brk is None else brk.start()
        if text.startswith("SPDXVersion:", _skip_space(text, pos, stop)):
            return True
        if brk is None:
            return False
        pos = brk.end()
    return False


# The line boundaries of str.splitlines.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NON_SPACE = re.compile(r"\S")


def _skip_space(text: str, pos: int, stop: int) -> int:
    """The index of the first non-whitespace character of text[pos:stop] (else stop)."""
    found = _NON_SPACE.search(text, pos, stop)
    return found.start() if found else stop


def _detect_yaml(text: str, ctx: ReadContext) -> tuple[Format, Any]:
    import yaml  # only YAML documents pay for the import

    from sbomcheck.ingest._yaml import RepeatedKey, load_unique

    try:
        obj = load_unique(text)
    except RepeatedKey as e:
        raise IngestError(
            f"key {e.key!r} appears twice in one mapping (first at line {e.first_line}); "
            "YAML readers disagree on which value counts, so sbomcheck refuses the document "
            "rather than guess",
            source=ctx.key,
            location=f"line {e.line}",
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        raise IngestError(
            "not a recognised SBOM (not JSON, XML, SPDX tag-value, or valid YAML)",
            source=ctx.key,
            location=where,
        ) from None
    if isinstance(obj, dict) and "spdxVersion" in obj:
        return Format.SPDX_YAML, obj
    raise IngestError("not a recognised SBOM (no CycloneDX or SPDX markers found)", source=ctx.key)


def _detect_json(obj: Any, ctx: ReadContext) -> Format:
    import orjson  # NOTE: the general path only; the typed paths never load it

    if not isinstance(obj, dict):
        raise IngestError(
            f"JSON top level is {type(obj).__name__}, expected an object (not an SBOM)",
            source=ctx.key,
            location="$",
        )
    if "bomFormat" in obj:
        if obj.get("bomFormat") != "CycloneDX":
            raise IngestError(
                f"value {obj.get('bomFormat')!r} is not 'CycloneDX'",
                source=ctx.key,
                location="bomFormat",
            )
        return Format.CYCLONEDX_JSON
    if "spdxVersion" in obj:
        return Format.SPDX_JSON
    context = obj.get("@context")
    if context is not None and "spdx" in orjson.dumps(context).decode().lower():
        return Format.SPDX3_JSONLD
    if "specVersion" in obj and "components" in obj:
        return Format.CYCLONEDX_JSON
    raise IngestError(
        "JSON is not a recognised SBOM (no bomFormat, spdxVersion or SPDX 3 @context)",
        source=ctx.key,
        location="$",
    )


def _detect_xml(root: Any, ctx: ReadContext) -> Format:
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    if _CDX_NAMESPACE.fullmatch(namespace) and tag.endswith("}bom"):
        return Format.CYCLONEDX_XML
    if tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF":
        return Format.SPDX_RDF
    if tag.rpartition("}")[2] == "Document" and root.find("spdxVersion") is not None:
        return Format.SPDX_XML
    if tag.endswith("}bom") or tag == "bom":
        raise IngestError(
            f"XML root {tag!r} is not in a CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)",
            source=ctx.key,
            location="/*[1]",
        )
    raise IngestError(
        f"XML root {tag!r} is not a recognised SBOM", source=ctx.key, location="/*[1]"
    )


def _read(fmt: Format, parsed: Any, ctx: ReadContext) -> Document:
    # Imported here so a run pays only for the readers it uses.
    if fmt is Format.CYCLONEDX_JSON:
        from sbomcheck.ingest._cdx_json_typed import RegularCycloneDx, read_regular_cyclonedx
        from sbomcheck.ingest.cyclonedx_json import read_cyclonedx_json

        if isinstance(parsed, RegularCycloneDx):
            return read_regular_cyclonedx(parsed, ctx)

        # NOTE: load owns the parsed tree and drops it after, so the reader may consume it.
        return read_cyclonedx_json(parsed, ctx, consume=True)
    if fmt is Format.CYCLONEDX_XML:
        from sbomcheck.ingest.cyclonedx_xml import read_cyclonedx_xml

        return read_cyclonedx_xml(parsed, ctx)
    if fmt in (Format.SPDX_JSON, Format.SPDX_YAML):
        from sbomcheck.ingest._spdx_json_typed import RegularSpdx, read_regular_spdx
        from sbomcheck.ingest.spdx2 import read_spdx_dict

        if isinstance(parsed, RegularSpdx):
            return read_regular_spdx(parsed, ctx)

        return read_spdx_dict(parsed, ctx, fmt)
    if fmt is Format.SPDX_XML:
        from sbomcheck.ingest.spdx2 import read_spdx_xml

        return read_spdx_xml(parsed, ctx)
    if fmt is Format.SPDX_TV:
        from sbomcheck.ingest.spdx_tv import read_spdx_tv

        return read_spdx_tv(parsed, ctx)
    if fmt is Format.SPDX_RDF:
        from sbomcheck.ingest.spdx_rdf import read_spdx_rdf

        return read_spdx_rdf(parsed, ctx)
    if fmt is Format.SPDX3_JSONLD:
        from sbomcheck.ingest.spdx3 import read_spdx3

        return read_spdx3(parsed, ctx)
    raise AssertionError(fmt)  # pragma: no cover - Format is exhaustive
