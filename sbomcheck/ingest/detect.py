"""Which format a document is in, from its content (never its name), and the reader for it.

The first significant character picks the syntax: `{` or `[` JSON, `<` XML, anything else
text, which is tag-value when an `SPDXVersion:` line says so and YAML otherwise. The document
is parsed once in that syntax and the readers of the syntax are asked in the order of
`READERS` whether it is theirs (`Reader.identify`); the first that claims it reads it. A JSON
document may first be taken by a typed fast path (`FAST_PATHS`) straight from its bytes, and a
CycloneDX XML document by the reader that parses it as it reads (`_cdx_xml_stream`).
To add a format: docs/readers.md, "The registry".
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any, assert_never

from sbomcheck.errors import IngestError
from sbomcheck.ingest._bytes import DEFAULT_LIMITS, GZIP_MAGIC, decode_text, gunzip
from sbomcheck.ingest._cdx_json_lazy import FAST_PATH as CYCLONEDX_JSON_TYPED
from sbomcheck.ingest._cdx_xml_stream import STREAMED_READER as CYCLONEDX_XML_STREAMED
from sbomcheck.ingest._cdx_xml_stream import streams as cyclonedx_xml_streams
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json import check_json_depth, parse_json
from sbomcheck.ingest._spdx_json_lazy import FAST_PATH as SPDX_JSON_TYPED
from sbomcheck.ingest._xml import parse_xml, root_tag
from sbomcheck.ingest.cyclonedx_json import READER as CYCLONEDX_JSON
from sbomcheck.ingest.cyclonedx_xml import READER as CYCLONEDX_XML
from sbomcheck.ingest.interface import FastPath, Reader, Syntax
from sbomcheck.ingest.spdx2 import JSON_READER as SPDX_JSON
from sbomcheck.ingest.spdx2 import XML_READER as SPDX_XML
from sbomcheck.ingest.spdx2 import YAML_READER as SPDX_YAML
from sbomcheck.ingest.spdx3 import READER as SPDX3_JSONLD
from sbomcheck.ingest.spdx_rdf import READER as SPDX_RDF
from sbomcheck.ingest.spdx_tv import READER as SPDX_TV
from sbomcheck.model import Format

__all__ = ["FAST_PATHS", "READERS", "detect_format", "parse_and_detect"]

READERS: tuple[Reader, ...] = (
    CYCLONEDX_JSON,
    SPDX_JSON,
    SPDX3_JSONLD,
    CYCLONEDX_XML,
    SPDX_RDF,
    SPDX_XML,
    SPDX_TV,
    SPDX_YAML,
)
"""One reader per format, in the order they are asked (within a syntax, the first to claim a
document reads it)."""

FAST_PATHS: tuple[FastPath, ...] = (CYCLONEDX_JSON_TYPED, SPDX_JSON_TYPED)
"""The typed decoders tried, in this order, on JSON bytes whose first 4 KB hold a hint."""

_HEAD = 4096
"""Bytes looked at for the first significant character and for the fast paths' hints."""


def detect_format(data: bytes, *, key: str = "<bytes>") -> Format:
    """The format of an SBOM given as bytes (gzip undone); raises `IngestError` if none."""
    if data[:2] == GZIP_MAGIC:
        data = gunzip(data, key, DEFAULT_LIMITS)
    ctx = ReadContext(key=key, path=key, sha256="", gzip=False)
    return parse_and_detect(data, ctx, stream=False)[0].format


def parse_and_detect(
    data: bytes, ctx: ReadContext, *, stream: bool = True
) -> tuple[Reader | FastPath, Any]:
    """The reader that claims `data` (gzip undone) and `data` parsed for it; raises
    `IngestError` when `data` cannot be parsed or no reader claims it.

    With `stream`, a CycloneDX XML document is claimed from its first bytes and handed over
    unparsed, to be parsed as it is read (`_cdx_xml_stream`); `detect_format` parses it
    whole, to refuse a broken one as ever."""
    if not data or data.isspace():
        raise IngestError("empty file, not an SBOM", source=ctx.key)
    has_bom = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or data[:3] == codecs.BOM_UTF8
    text = decode_text(data, ctx) if has_bom else None
    head = data[:_HEAD].lstrip()
    first = _first_significant(text) if text is not None else chr(head[0]) if head else ""
    syntax = Syntax.JSON if first in "{[" else Syntax.XML if first == "<" else Syntax.TAG_VALUE
    match syntax:
        case Syntax.JSON:
            return _detect_json(data, text, head, ctx)
        case Syntax.XML:
            if stream and text is None and cyclonedx_xml_streams(data, ctx):
                return CYCLONEDX_XML_STREAMED, data
            root = parse_xml(data if text is None else text.encode("utf-8"), ctx)
            return _claimed(Syntax.XML, root, ctx, _not_an_sbom_root), root
        case Syntax.TAG_VALUE | Syntax.YAML:
            return _detect_text(text if text is not None else decode_text(data, ctx), ctx)
        case _:
            assert_never(syntax)


def _first_significant(text: str) -> str:
    for ch in text[:_HEAD]:
        if not ch.isspace() and ch != "\ufeff":
            return ch
    return ""


def _detect_json(
    data: bytes, text: str | None, head: bytes, ctx: ReadContext
) -> tuple[Reader | FastPath, Any]:
    depth_checked = False
    if text is None:
        for fast in FAST_PATHS:
            if not any(hint in head for hint in fast.hints):
                continue
            if not fast.measures_depth and not depth_checked:
                # NOTE: before any decoder: their own limits differ between decoders and
                # Pythons (ingest/_json.py).
                check_json_depth(data, ctx)
                depth_checked = True
            # NOTE: the fast paths (docs/readers-cyclonedx.md, docs/readers-spdx.md): typed
            # decoding in C. Anything they do not take is decoded again below and read by
            # the general reader.
            typed = fast.decode(data)
            if typed is not None:
                return fast, typed
    obj = parse_json(data, text, ctx, depth_checked=depth_checked)
    if not isinstance(obj, dict):
        raise IngestError(
            f"JSON top level is {type(obj).__name__}, expected an object (not an SBOM)",
            source=ctx.key,
            location="$",
        )
    return _claimed(Syntax.JSON, obj, ctx, _not_an_sbom_object), obj


def _detect_text(text: str, ctx: ReadContext) -> tuple[Reader, Any]:
    reader = _claimant(Syntax.TAG_VALUE, text, ctx)
    if reader is not None:
        return reader, text
    # Imported here: only YAML documents pay for PyYAML.
    from sbomcheck.ingest._yaml import parse_yaml

    obj = parse_yaml(text, ctx)
    return _claimed(Syntax.YAML, obj, ctx, _not_an_sbom_text), obj


def _claimant(syntax: Syntax, parsed: Any, ctx: ReadContext) -> Reader | None:
    """The first reader of `syntax` that identifies `parsed`, else the first whose fallback
    takes it, else None."""
    readers = [reader for reader in READERS if reader.syntax is syntax]
    for reader in readers:
        if reader.identify(parsed, ctx):
            return reader
    for reader in readers:
        if reader.fallback is not None and reader.fallback(parsed):
            return reader
    return None


def _claimed(
    syntax: Syntax,
    parsed: Any,
    ctx: ReadContext,
    refusal: Callable[[Any, ReadContext], IngestError],
) -> Reader:
    reader = _claimant(syntax, parsed, ctx)
    if reader is None:
        raise refusal(parsed, ctx)
    return reader


def _not_an_sbom_object(obj: Any, ctx: ReadContext) -> IngestError:
    return IngestError(
        "JSON is not a recognised SBOM (no bomFormat, spdxVersion or SPDX 3 @context)",
        source=ctx.key,
        location="$",
    )


def _not_an_sbom_root(root: Any, ctx: ReadContext) -> IngestError:
    return IngestError(
        f"XML root {root_tag(root)!r} is not a recognised SBOM", source=ctx.key, location="/*[1]"
    )


def _not_an_sbom_text(obj: Any, ctx: ReadContext) -> IngestError:
    return IngestError("not a recognised SBOM (no CycloneDX or SPDX markers found)", source=ctx.key)
