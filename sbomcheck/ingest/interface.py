"""The one small interface every reader implements: how it recognises its format, how it reads it.

`ingest.detect` parses a document once, in the syntax its first character shows, and asks the
readers of that syntax in turn whether the parsed document is theirs (`Reader.identify`); the
first that claims it reads it (`Reader.read`). This is the shape of syft's format decoders
(`Identify`, then `Decode`). A reader may also offer a `FastPath`: a typed decoder tried on the
raw bytes before the general parse (docs/readers.md, "The registry").
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import Document, Format

__all__ = ["FastPath", "Reader", "Syntax"]


class Syntax(enum.Enum):
    """What a document is parsed as before any reader sees it."""

    JSON = "json"
    """orjson/msgspec: dicts and lists."""
    XML = "xml"
    """lxml with entities, DTDs and network off: the root element."""
    TAG_VALUE = "tag-value"
    """the decoded text, read line by line by the reader itself."""
    YAML = "yaml"
    """PyYAML's safe loader, refusing repeated keys: dicts and lists."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reader:
    """One format: how to recognise a parsed document as this format, and how to read it."""

    format: Format
    syntax: Syntax
    identify: Callable[[Any, ReadContext], bool]
    """True when the parsed document names this format. May raise `IngestError` when the
    document names the format wrongly (a `bomFormat` other than `CycloneDX`): no other
    reader should take it then."""
    read: Callable[[Any, ReadContext], Document]
    """The Document of a parsed document that `identify` (or `fallback`) claimed. The reader
    owns the parsed document and may consume it."""
    fallback: Callable[[Any], bool] | None = None
    """Asked only when no reader of the syntax identifies the document: True when it has
    this format's shape though it names no format (CycloneDX JSON without `bomFormat`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FastPath:
    """A typed decoder for the regular documents of one JSON format, tried on the raw bytes
    before the general parse; whatever it declines goes the general way."""

    format: Format
    hints: tuple[bytes, ...]
    """Byte strings of which one appears within the first 4 KB of a document worth trying."""
    decode: Callable[[bytes], Any]
    """The typed document, or None to decline (then the general reader reads the bytes)."""
    read: Callable[[Any, ReadContext], Document]
    """The Document of what `decode` returned, equal to the general reader's."""
    measures_depth: bool
    """True when `decode` declines by itself a document nesting deeper than
    `_json.MAX_JSON_DEPTH`, so the bytes need no depth check first (the general parse checks
    them if it gets them); False to have the bytes checked before `decode`."""
