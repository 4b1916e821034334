"""The two-tier fast path for SPDX 2 JSON: every package checked, few of them built.

Built like the CycloneDX one (`_cdx_json_lazy`, docs/readers-spdx.md): msgspec splits the
document, each package a raw slice of the input (`msgspec.Raw`), files, relationships and the
document members decoded as `_spdx_json_typed` decodes them. Each package is then decoded
into the typed Struct (every JSON type checked in C) and either

- built at once by the typed builder, when it raises a warning (no SPDXID, no name, a
  supplier without `Organization:` or `Person:`, a purl without `pkg:`, a date that is not an
  SPDX timestamp) or has `hasFiles` (its implicit relationships need it); or
- reduced to columns (ref and identity flags) and its raw slice.

The explicit relationships become columns (`model.LazyRelationships`) when every one names
its two ends and a type SPDX 2.3 knows; otherwise the typed builder reads them all. Packages
that contain files (CONTAINS edges to them) are built when the files are attached, and their
text is always gated in full (their file names are not in their slice).
"""

from __future__ import annotations

import bisect
import dataclasses
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json import (
    DECODE_ERRORS,
    colons_as_read,
    colons_as_written,
    colons_of_struct,
)
from sbomcheck.ingest._spdx_common import SPDX2_RELATIONSHIP_TYPES, Where, new_relationship
from sbomcheck.ingest._spdx_json_typed import (
    MEMBER_NAMES,
    TYPED_MEMBERS,
    SpdxDocument,
    TypedBuilder,
    TypedPackage,
    TypedRelationship,
    read_alike,
)
from sbomcheck.ingest._spdx_values import (
    check_timestamp,
    external_ref_types,
    files_owned,
    parse_party,
    relationship_type,
)
from sbomcheck.ingest.interface import FastPath
from sbomcheck.model import (
    Component,
    ComponentColumns,
    Document,
    Format,
    IdentityText,
    LazyComponents,
    LazyRelationships,
    Party,
    Relationship,
    identity_flags,
    with_built,
)

__all__ = ["FAST_PATH", "SplitSpdx", "decode_split", "read_split"]


class _SplitDocument(SpdxDocument):
    packages: list[msgspec.Raw] | None = None  # type: ignore[assignment]


_decode_split = msgspec.json.Decoder(_SplitDocument).decode
_decode_package = msgspec.json.Decoder(TypedPackage).decode


class SplitSpdx:
    """What `decode_split` found: the members the builder reads, and per package either its
    columns and raw slice (`refs[i]`, `flags[i]`, `blobs[k]` at `rows[k]`) or its Struct, to
    build (`built[i]`)."""

    __slots__ = ("blobs", "built", "flags", "members", "refs", "rows", "source")

    def __init__(self, members: dict[str, Any], source: bytes) -> None:
        self.members = members
        self.source = source
        self.refs: list[str] = []
        self.flags = bytearray()
        self.blobs: list[msgspec.Raw] = []
        self.rows = array("q")
        """The package index of each blob."""
        self.built: dict[int, TypedPackage] = {}


def decode_split(data: bytes) -> SplitSpdx | None:
    """The document split and checked, or None to use the general reader (not JSON msgspec
    reads, not SPDX 2 JSON, not of the regular shape, or a repeated key)."""
    try:
        doc = _decode_split(data)
    except DECODE_ERRORS:
        return None
    if doc.spdx_version is msgspec.UNSET:
        return None
    written = colons_as_written(data)
    if written is None:
        return None
    raws, doc.packages = doc.packages, None
    outside = colons_as_read(doc)
    if outside is None:
        return None
    members: dict[str, Any] = {}
    for field, name in MEMBER_NAMES:
        value = getattr(doc, field)
        if value is None:
            continue
        if field not in TYPED_MEMBERS and not read_alike(value):
            return None
        members[name] = value
    split = SplitSpdx(members, data)
    inside = _split_packages(raws or [], split)
    # NOTE: the colons of the text against those of everything decoded (ingest/_json.py);
    # `packages` itself is one key.
    if inside is None or written != outside + inside + (raws is not None):
        return None
    return split


def _split_packages(raws: list[msgspec.Raw], split: SplitSpdx) -> int | None:
    """Decode and sort each package into `split`; the colons of all of them written out
    again, or None when one is not of the regular shape."""
    inside = 0
    parties: dict[str, Party | None] = {}
    refs: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(raws):
        try:
            package = _decode_package(raw)
        except DECODE_ERRORS:
            return None
        inside += colons_of_struct(package)
        flags = _plain_flags(package, parties, refs)
        if flags is None:
            split.built[i] = package
            split.refs.append("")
            split.flags.append(0)
        else:
            split.refs.append(package.spdx_id)  # type: ignore[arg-type]
            split.flags.append(flags)
            split.blobs.append(raw)
            split.rows.append(i)
    return inside


def _plain_flags(
    p: TypedPackage, parties: dict[str, Party | None], refs: dict[tuple[str, str], str]
) -> int | None:
    """The identity flags of a package the typed builder reads without a warning and
    without `hasFiles`, else None (it is built while reading)."""
    if not p.spdx_id or p.name is None or p.has_files:
        return None
    supplier = originator = None
    if (raw := p.supplier) is not None:
        supplier = parties[raw] if raw in parties else parties.setdefault(raw, parse_party(raw))
        if supplier is not None and supplier.kind is None:
            return None  # a supplier without its prefix: a warning
    if (raw := p.originator) is not None:
        originator = parties[raw] if raw in parties else parties.setdefault(raw, parse_party(raw))
    for value in (p.release_date, p.built_date, p.valid_until_date):
        if value is not None:
            notes: dict[str, list[str]] = {}
            check_timestamp(value, "", notes)
            if notes:
                return None
    purl, cpes = _identifiers(p.external_refs or (), refs)
    if purl is False:
        return None
    return identity_flags(
        (supplier, originator), None, purl or None, cpes, len(p.checksums) if p.checksums else 0
    )


def _identifiers(entries: Iterable[Any], types: dict[tuple[str, str], str]) -> tuple[Any, int]:
    """The purl the typed builder takes from `entries` (False when it would warn about one
    without `pkg:`), and how many CPEs they hold."""
    purl: str | bool | None = None
    cpes = 0
    for entry in entries:
        pair = (entry.reference_category or "", entry.reference_type or "")
        short = types.get(pair)
        if short is None:
            short = types[pair] = external_ref_types(*pair)[0]
        if short == "purl":
            if purl is None:
                if not entry.reference_locator.startswith("pkg:"):
                    return False, cpes
                purl = entry.reference_locator
        elif short == "cpe23Type" or short == "cpe22Type":
            cpes += 1
    return purl, cpes


def read_split(split: SplitSpdx, ctx: ReadContext) -> Document:
    """The Document of what `decode_split` returned: equal to the one the general reader
    builds from the same bytes, warnings included. Consumes `split`."""
    members, split.members = split.members, {}
    return _LazyBuilder(ctx, split).build(members)


FAST_PATH = FastPath(
    format=Format.SPDX_JSON,
    # Where SPDX 2 JSON shows itself: spdxVersion, or (when members are sorted) an SPDXID.
    hints=(b'"spdxVersion"', b'"SPDXID"'),
    decode=decode_split,
    read=read_split,
    # NOTE: the Structs have a fixed depth and the plain members are measured against the
    # same limit (`read_alike`), a deeper document declined: no byte-level check needed.
    measures_depth=True,
)


class _LazyBuilder(TypedBuilder):
    """The typed builder, keeping plain packages unbuilt and the explicit relationships as
    columns where it can."""

    __slots__ = ("builder", "explicit", "items", "split", "unsure")

    def __init__(self, ctx: ReadContext, split: SplitSpdx) -> None:
        super().__init__(ctx, Format.SPDX_JSON, Where())
        self.split = split
        self.items: list[Component | None] = []
        self.explicit: _Explicit | None = None
        self.unsure: set[int] = set()
        # NOTE: builds packages later, with warnings of its own: a plain package raises
        # none, and the document's are complete when reading ends.
        scratch = ReadContext(key=ctx.key, path=ctx.path, sha256="", gzip=False)
        self.builder = TypedBuilder(scratch, Format.SPDX_JSON, Where())

    def read_packages(self, items: list[Any], pk_loc: str, first: int = 0) -> None:
        split = self.split
        self.items = [None] * len(split.refs)
        for i, package in split.built.items():
            super().read_packages([package], pk_loc, i)
            comp = self.items[i] = self.components.pop()
            split.refs[i] = comp.ref
        split.built = {}

    def read_relationships(self, items: list[Any], rl_loc: str) -> None:
        if items and items[0].__class__ is TypedRelationship:
            self.explicit = _explicit(items, rl_loc, self.key)
        if self.explicit is None:
            super().read_relationships(items, rl_loc)

    def explicit_edges(self) -> set[tuple[str, str, str]]:
        if self.explicit is None:
            return super().explicit_edges()
        return set(zip(*self.explicit.columns, strict=True))

    def relationship_sequence(self, implicit: list[Relationship]) -> Sequence[Relationship]:
        explicit = self.explicit
        if explicit is None:
            return super().relationship_sequence(implicit)
        sources, types, targets = explicit.columns
        columns = (
            sources + [r.source for r in implicit],
            types + [r.type for r in implicit],
            targets + [r.target for r in implicit],
        )
        return LazyRelationships((), columns, explicit.make, tuple(implicit))

    def packages_by_ref(self, refs: Iterable[str]) -> dict[str, Component]:
        wanted = set(refs)
        refs_ = self.split.refs
        last = {ref: i for i, ref in enumerate(refs_) if ref in wanted}
        return {ref: self.package(i) for ref, i in last.items()}

    def package(self, index: int) -> Component:
        """Package `index`, built if it is not."""
        item = self.items[index]
        if item is None:
            self.build_plain(self.items, index)
            item = self.items[index]
            assert item is not None
        return item

    def component_sequence(self, relationships: Sequence[Relationship]) -> Sequence[Component]:
        self.attach_owned_files(relationships)
        split, items = self.split, self.items
        columns = _columns(split, items)
        if not split.blobs:
            return tuple(c for c in items if c is not None)
        rows = split.rows
        identity = IdentityText(
            blobs=split.blobs,
            starts=rows,
            ends=array("q", [row + 1 for row in rows]),
            escape=b"\\",
            unsure={k for k, row in enumerate(rows) if row in self.unsure},
        )
        return LazyComponents(items, columns, self.build_plain, identity, split.source)

    def attach_owned_files(self, relationships: Sequence[Relationship]) -> None:
        """The packages that CONTAIN files, built, with their file entries; their text is
        gated in full (`unsure`), as their file names are not in their slice."""
        owned = files_owned(self.files, relationships)
        if not owned:
            return
        for i, ref in enumerate(self.split.refs):
            if ref in owned:
                package = self.package(i)
                self.items[i] = dataclasses.replace(package, files=tuple(owned[ref].values()))
                self.unsure.add(i)

    def build_plain(self, items: list[Component | None], index: int) -> None:
        """Build unbuilt package `index` into `items`."""
        rows = self.split.rows
        k = bisect.bisect_left(rows, index)
        assert k < len(rows) and rows[k] == index, "an unbuilt package has a slice"
        builder = self.builder
        builder.read_packages(
            [_decode_package(self.split.blobs[k])], self.loc_of("packages"), index
        )
        items[index] = builder.components.pop()


class _Explicit:
    """The explicit relationships as columns, with comments where any has one."""

    __slots__ = ("columns", "comments", "key", "location")

    def __init__(
        self,
        columns: tuple[list[str], list[str], list[str]],
        comments: list[str | None] | None,
        key: str,
        location: str,
    ) -> None:
        self.columns = columns
        self.comments = comments
        self.key = key
        self.location = location

    def make(self, i: int) -> Relationship:
        """Relationship `i`, as the typed builder makes it."""
        sources, types, targets = self.columns
        comment = self.comments[i] if self.comments is not None else None
        where = f"{self.location}[{i}]"
        return new_relationship(sources[i], types[i], targets[i], self.key, where, True, comment)


def _explicit(items: list[TypedRelationship], rl_loc: str, key: str) -> _Explicit | None:
    """The relationships as columns, or None where the typed builder must read them (an
    end or the type missing: an error at its place; a type SPDX 2.3 does not know: a
    warning with its places)."""
    sources = [r.spdx_element_id or "" for r in items]
    written = [r.relationship_type or "" for r in items]
    targets = [r.related_spdx_element or "" for r in items]
    if not (all(sources) and all(written) and all(targets)):
        return None
    norm: dict[str, str] = {}
    for rtype in set(written):
        if rtype.strip().upper() not in SPDX2_RELATIONSHIP_TYPES:
            return None
        norm[rtype] = relationship_type(rtype)
    comments = [r.comment for r in items]
    return _Explicit(
        (
            list(map(str.strip, sources)),
            list(map(norm.__getitem__, written)),
            list(map(str.strip, targets)),
        ),
        comments if any(c is not None for c in comments) else None,
        key,
        rl_loc,
    )


def _columns(split: SplitSpdx, items: list[Component | None]) -> ComponentColumns:
    """The columns of every package; the rows of built ones are read from them."""
    n = len(split.refs)
    placeholders = ComponentColumns(
        refs=list(split.refs),
        synthetic=bytearray(n),
        parents=[None] * n,
        metadata=bytearray(n),
        flags=bytearray(split.flags),
        linked=[],
    )
    return with_built(placeholders, items)
