"""What the CycloneDX JSON and XML readers share: value checks, tool labels, BOM-Links.

Kept free of per-field abstraction on purpose: the readers call these only for document-level
values and for rare fields, never once per field of every component.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sbomcheck.ingest._build import fast_constructor
from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import (
    Component,
    ExternalDocumentRef,
    ExternalReference,
    Hash,
    Party,
    Property,
    Relationship,
)

_T = TypeVar("_T")

SUPPORTED_SPEC_VERSIONS = frozenset({"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"})

# NOTE: the schema's serialNumber pattern (RFC 4122 URN, any case of hex digits).
_SERIAL_RE = re.compile(
    r"urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# NOTE: xs:dateTime / RFC 3339 shape; fromisoformat alone would also take a bare date.
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?"
)

BOM_LINK_PREFIX = "urn:cdx:"

ALGORITHMS: dict[str, str] = {}
"""Algorithm names as written -> as the model spells them; `algorithm()` fills it."""


def algorithm(alg: str) -> str:
    """`sha-256` -> `SHA-256`, cached: a document repeats a handful of algorithm names."""
    norm = ALGORITHMS.get(alg)
    if norm is None:
        norm = ALGORITHMS[alg] = alg.strip().upper()
    return norm


def check_spec_version(ctx: ReadContext, version: str, location: str) -> None:
    """Warn about a spec version outside 1.2-1.7; it is still read with the 1.7 rules."""
    if version not in SUPPORTED_SPEC_VERSIONS:
        ctx.warn(
            "lenient-value",
            f"specVersion {version!r} is not one of 1.2-1.7; read as the nearest known version",
            location,
        )


def check_serial(ctx: ReadContext, serial: str, location: str) -> None:
    """Warn about a serialNumber that is not `urn:uuid:<RFC 4122 UUID>` (kept as written)."""
    if _SERIAL_RE.fullmatch(serial) is None:
        ctx.warn(
            "lenient-value",
            f"serialNumber {serial!r} is not a urn:uuid: URN; kept as written",
            location,
        )


def check_timestamp(ctx: ReadContext, value: str, location: str) -> None:
    """Warn about a timestamp that is not an ISO 8601 date-time (kept as written).

    Fractional seconds of any length, `Z` and numeric offsets are valid and raise nothing.
    """
    if _TIMESTAMP_RE.fullmatch(value) is not None:
        try:
            dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
            return
        except ValueError:
            pass
    ctx.warn(
        "lenient-value",
        f"timestamp {value!r} is not an ISO 8601 date-time; kept as written",
        location,
    )


def tool_label(*parts: str | None) -> str:
    """`vendor name version` of a tool, leaving out the parts it does not give."""
    return " ".join(p for p in parts if p)


def legacy_author(text: str) -> Party:
    """The free-text `author` of CycloneDX <= 1.5: a name, maybe with `<e-mail>` after it."""
    # NOTE: str methods rather than a regex: this runs once per component in most SBOMs.
    if text.endswith(">"):
        cut = text.rfind("<")
        email = text[cut + 1 : -1]
        if cut >= 0 and "@" in email and " " not in email:
            return new_party(text[:cut].strip() or None, None, (email,), (), text)
    return new_party(text, None, (), (), text)


def contact_label(name: str | None, email: str | None) -> str:
    """A metadata author as a creator string, in the SPDX creator style."""
    label = f"Person: {name or email or ''}"
    if name and email:
        label += f" ({email})"
    return label


@dataclass(slots=True)
class BomMetadata:
    """What a BOM's metadata says of the BOM itself (both readers fill one per document)."""

    created: str | None = None
    creators: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    root_refs: tuple[str, ...] = ()


class ExternalDocs:
    """Collects external document references: BOM-Links (deduplicated) and `bom` references."""

    __slots__ = ("_links", "refs")

    def __init__(self) -> None:
        self.refs: list[ExternalDocumentRef] = []
        self._links: set[str] = set()

    def bom_link(self, value: str, location: str) -> None:
        """Record a `urn:cdx:<serial>/<version>#<bom-ref>` value (first place it is seen)."""
        if value in self._links:
            return
        self._links.add(value)
        self.refs.append(
            ExternalDocumentRef(
                id=value,
                uri=value.partition("#")[0],
                kind="cyclonedx-bom-link",
                location=location,
            )
        )

    def bom_reference(
        self, url: str, hashes: tuple[Hash, ...], location: str, from_ref: str | None
    ) -> None:
        """Record an externalReference of type `bom`; its strongest hash is the checksum."""
        checksum = max(hashes, key=_hash_strength) if hashes else None
        self.refs.append(
            ExternalDocumentRef(
                id=url,
                uri=url,
                kind="cyclonedx-bom-reference",
                checksum=checksum,
                location=location,
                from_ref=from_ref,
            )
        )


def _hash_strength(h: Hash) -> tuple[int, str]:
    digits = "".join(ch for ch in h.algorithm if ch.isdigit())
    return (int(digits[-3:]) if digits else 0, h.algorithm)


# Positional builders for the model classes both readers create in bulk.
COMPONENT_FIELDS = (
    "ref",
    "document",
    "location",
    "name",
    "version",
    "group",
    "type",
    "purl",
    "cpes",
    "swid_tag_id",
    "hashes",
    "supplier",
    "manufacturer",
    "publisher",
    "authors",
    "copyright",
    "licenses",
    "description",
    "external_references",
    "properties",
    "pedigree",
    "parent",
    "files",
    "scope",
    "line",
    "ref_synthetic",
    "is_metadata",
)
new_component: Callable[..., Component] = fast_constructor(Component, COMPONENT_FIELDS)
"""`new_component(*values)` with values in `COMPONENT_FIELDS` order."""
new_relationship: Callable[..., Relationship] = fast_constructor(
    Relationship, ("source", "type", "target", "document", "location", "explicit")
)
new_hash: Callable[..., Hash] = fast_constructor(Hash, ("algorithm", "value"))
new_party: Callable[..., Party] = fast_constructor(Party, ("name", "kind", "emails", "urls", "raw"))
new_ext_ref: Callable[..., ExternalReference] = fast_constructor(
    ExternalReference, ("type", "url", "comment", "hashes")
)
new_property: Callable[..., Property] = fast_constructor(Property, ("name", "value"))
