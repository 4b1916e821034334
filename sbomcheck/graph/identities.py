"""Which document a reference names: the keys a document answers to and the keys a
reference may name, for the link resolver (`sbomcheck.graph.links`) and the batch audit's
grouping alike, so a product and the vendor document the graph links it to are always audited
together (docs/graph.md, "Linked documents").

Also the syntax of references into another document: CycloneDX BOM-Links (and their common
misspelling `urn:uuid:<serial>/<version>`), SPDX `DocumentRef-`, and `bom` external references.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import attrgetter
from urllib.parse import unquote, urlsplit

from sbomcheck.model import (
    Component,
    Document,
    ExternalDocumentRef,
    Hash,
    LazyComponents,
    relationship_column,
)

__all__ = [
    "EXTERNAL_PREFIXES",
    "document_identities",
    "document_references",
    "is_external_reference",
    "parse_bom_link",
    "reference_identities",
    "repair_bom_link",
]

_UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
_BOM_LINK = re.compile(rf"^urn:cdx:(?P<serial>{_UUID})/(?P<version>[1-9][0-9]*)(?:#(?P<ref>.+))?$")
_MISSPELT_BOM_LINK = re.compile(rf"^urn:uuid:(?P<rest>{_UUID}/[1-9][0-9]*(?:#.+)?)$")
_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_TYPE = attrgetter("type")
_EXTERNAL_REFERENCES = attrgetter("external_references")

SPDX3_IMPORT = "spdx3-external-map"
"""`ExternalDocumentRef.kind` of an SPDX 3 import (ExternalMap)."""
SPDX2_REF = "spdx-external-document-ref"
"""`ExternalDocumentRef.kind` of an SPDX 2 externalDocumentRef."""

EXTERNAL_PREFIXES = ("DocumentRef-", "urn:cdx:")
"""How a reference into another document starts (`str.startswith` takes the tuple)."""


def is_external_reference(ref: str) -> bool:
    """True for references into another document (`DocumentRef-X:...`, `urn:cdx:...`)."""
    return ref.startswith(EXTERNAL_PREFIXES)


def parse_bom_link(link: str) -> tuple[str, int, str | None] | None:
    """(serial uuid lower-cased, version, bom-ref or None) of a BOM-Link, None if malformed."""
    m = _BOM_LINK.match(link.strip())
    if m is None:
        return None
    ref = m.group("ref")
    return m.group("serial").lower(), int(m.group("version")), ref


def repair_bom_link(link: str) -> str | None:
    """`urn:cdx:<serial>/<version>[#<ref>]` for the misspelling that starts `urn:uuid:`.

    Only a serial number followed by a version makes it a BOM-Link: a bare `urn:uuid:<serial>`
    is a serial number, not a misspelling."""
    m = _MISSPELT_BOM_LINK.match(link.strip())
    return f"urn:cdx:{m.group('rest')}" if m is not None else None


# ----- identities: which document a reference names ----------------------------------------
# Keys a document answers to and keys a reference may name. The resolver finds its
# candidates with them, and the batch audit groups documents that share one, so a product
# and the vendor document the graph links it to are always audited together.


def namespace_key(uri: str) -> str:
    """The key of an SPDX document namespace (SPDX 3: a document or element spdxId)."""
    return "namespace:" + uri.strip().rstrip("#")


def serial_key(serial: str) -> str:
    """The key of a CycloneDX serial number, with or without `urn:uuid:`."""
    return "serial:" + serial.strip().lower().removeprefix("urn:uuid:")


def name_key(name: str) -> str:
    """The key of a file name (`file_name`)."""
    return "file:" + name


def element_key(ref: str) -> str:
    """The key of an SPDX 3 element spdxId."""
    return "element:" + ref


def document_identities(doc: Document) -> tuple[str, ...]:
    """The keys `doc` answers to: SPDX namespace (SPDX 3: the document's spdxId), CycloneDX
    serial number, file names, and for SPDX 3 the spdxId of every element (an SPDX 3 import
    names an element, and element ids are global IRIs)."""
    keys = list(document_keys(doc))
    if doc.format.family == "spdx3":
        keys += [element_key(ref) for ref in doc.element_refs()]
    return tuple(dict.fromkeys(keys))


def document_keys(doc: Document) -> tuple[str, ...]:
    """`document_identities` without the element keys."""
    keys: list[str] = []
    if doc.namespace:
        keys.append(namespace_key(doc.namespace))
    if doc.serial_number:
        keys.append(serial_key(doc.serial_number))
    keys += [name_key(n) for n in (file_name(doc.key), file_name(doc.path)) if n]
    return tuple(dict.fromkeys(keys))


def reference_identities(ref: ExternalDocumentRef) -> tuple[str, ...]:
    """The keys of the documents `ref` may name, in the order the resolver tries them."""
    if ref.kind == SPDX2_REF:
        return _spdx_document_keys(ref.uri)
    if ref.kind == SPDX3_IMPORT:
        hint = ref.uri if ref.uri.strip() != ref.id.strip() else ""
        return import_keys(ref.id, hint)
    return _location_keys(ref.uri)


def document_references(doc: Document) -> tuple[str, ...]:
    """The keys of every document `doc` references, read where the resolver reads them:
    its external references, the `bom` external references of its elements, and the
    misspelt BOM-Links (`urn:uuid:<serial>/<version>#...`) in its CycloneDX dependencies,
    which readers keep as plain relationship ends."""
    keys = [k for ref in doc.external_refs for k in reference_identities(ref)]
    keys += [k for bom in bom_references(doc) for k in _location_keys(bom.url)]
    if doc.format.family == "cyclonedx":
        for ends in (
            relationship_column(doc.relationships, "source"),
            relationship_column(doc.relationships, "target"),
        ):
            # NOTE: one search over the joined column first: it is rarely there at all.
            if "urn:uuid:" in "\n".join(ends):
                for end in compress(ends, map(str.startswith, ends, repeat("urn:uuid:"))):
                    if repair_bom_link(end):
                        keys += _location_keys(end)
    return tuple(dict.fromkeys(keys))


def cdx_serial(uri: str) -> str | None:
    """The serial number a `urn:cdx:` or `urn:uuid:` reference names (not validated)."""
    text = uri.strip()
    for prefix in ("urn:cdx:", "urn:uuid:"):
        if text[: len(prefix)].lower() == prefix:
            return text[len(prefix) :].partition("#")[0].partition("/")[0].lower()
    return None


def _spdx_document_keys(uri: str) -> tuple[str, ...]:
    serial = cdx_serial(uri)
    if serial is None:
        return (namespace_key(uri),)
    return (namespace_key(uri), serial_key(serial))


def _location_keys(url: str) -> tuple[str, ...]:
    serial = cdx_serial(url)
    if serial is not None:
        return (serial_key(serial),)
    keys = [namespace_key(url), element_key(url.strip())]
    base, sep, _ = url.strip().rpartition("#")
    if sep:
        keys.append(namespace_key(base))
    name = file_name(url.strip())
    if name:
        keys.append(name_key(name))
    return tuple(keys)


def import_keys(external_id: str, hint: str) -> tuple[str, ...]:
    """The keys of the documents an SPDX 3 import may live in: by its externalSpdxId, then
    by its locationHint (`hint`, or '')."""
    ext = external_id.strip()
    serial = cdx_serial(ext)
    keys: list[str] = []
    if serial is not None:
        keys.append(serial_key(serial))
    else:
        keys += [element_key(ext), namespace_key(ext)]
        base, sep, _ = ext.rpartition("#")
        if sep:
            keys.append(namespace_key(base))
    if hint:
        keys += _location_keys(hint)
    return tuple(dict.fromkeys(keys))


# ----- bom external references ---------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BomReference:
    """A `bom` external reference: from an element (or the document), to a document."""

    from_ref: str | None
    url: str
    location: str
    hashes: tuple[Hash, ...]


def bom_references(doc: Document) -> Iterator[BomReference]:
    """externalReferences of type bom, from components and from the document's list."""
    if doc.format.family != "cyclonedx":
        return
    seen: set[tuple[str | None, str]] = set()
    for comp in _linking_elements(doc):
        for i, ext in enumerate(comp.external_references):
            if ext.type.lower() == "bom" and (comp.ref, ext.url) not in seen:
                seen.add((comp.ref, ext.url))
                yield BomReference(
                    from_ref=comp.ref,
                    url=ext.url,
                    location=f"{comp.location}.externalReferences[{i}]",
                    hashes=ext.hashes,
                )
    # NOTE: readers also list the BOM-Links written in `dependencies` here; those are
    # relationship ends, followed as such, not references from the whole document.
    rels = doc.relationships
    ends = (
        {*relationship_column(rels, "source"), *relationship_column(rels, "target")}
        if doc.external_refs
        else set()
    )
    for ref in doc.external_refs:
        if ref.id in ends or ref.uri in ends:
            continue
        if ref.kind.startswith("cyclonedx") and (ref.from_ref, ref.uri) not in seen:
            seen.add((ref.from_ref, ref.uri))
            yield BomReference(
                from_ref=ref.from_ref,
                url=ref.uri,
                location=ref.location,
                hashes=_hashes(ref),
            )


def _linking_elements(doc: Document) -> Sequence[Component]:
    """The elements of `doc` that may have a `bom` external reference: of lazy components
    only those the columns list (`ComponentColumns.linked`)."""
    if isinstance(doc.components, LazyComponents):
        linked = [doc.components[i] for i in doc.components.columns.linked]
        return [*linked, *doc.files, *doc.services]
    elements = (*doc.components, *doc.files, *doc.services)
    types = set(map(_TYPE, chain.from_iterable(map(_EXTERNAL_REFERENCES, elements))))
    # NOTE: the types in one pass in C first: most documents have no `bom` reference.
    return elements if any(t.lower() == "bom" for t in types) else ()


def _hashes(ref: ExternalDocumentRef) -> tuple[Hash, ...]:
    return (ref.checksum,) if ref.checksum is not None else ()


def file_name(location: str) -> str:
    """The last path segment of a path, URL or zip key (`a.zip!x/y.json` -> `y.json`)."""
    text = location.rpartition("!")[2]
    if "://" in text:
        text = urlsplit(text).path
    text = unquote(text).replace("\\", "/")
    return posixpath.basename(text)
