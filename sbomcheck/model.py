"""The one model every SBOM format is read into.

Everything an SBOM says about a component's identity is kept: identification, graph and
policy never go back to the raw document. The model is frozen and slotted; readers build it
once and nobody mutates it.

Two tiers: a reader may keep a document's components as columns plus their raw text and
build each `Component` the first time it is read (`LazyComponents`, `LazyRelationships`;
the CycloneDX and SPDX 2 JSON fast paths do). What every stage reads of all components
without building them has its one home here: `component_columns`, `relationship_column`,
`identity_flags`, `links_elsewhere`. Over 500 lines on purpose: the lazy sequences stand for
the tuples of `Document`, which tests for them by type, so they live beside it.

Relationship direction: `source --type--> target`, exactly as the document states it
("A DEPENDS_ON B" is source A, type `depends-on`, target B; "A DEPENDENCY_OF B" stays as
written with type `dependency-of`). Relationship types are the SPDX names lower-cased with
`_` turned into `-` (CycloneDX `dependsOn` is `depends-on`; nested components give implicit
`contains`). The graph stage (`sbomcheck.graph`) turns every type into edges of one direction.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import functools
import operator
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar, overload


class Format(enum.StrEnum):
    """Serialisations sbomcheck reads, detected from content."""

    CYCLONEDX_JSON = "cyclonedx-json"
    CYCLONEDX_XML = "cyclonedx-xml"
    SPDX_JSON = "spdx-json"
    SPDX_TV = "spdx-tv"
    SPDX_RDF = "spdx-rdf"
    SPDX_YAML = "spdx-yaml"
    SPDX_XML = "spdx-xml"
    SPDX3_JSONLD = "spdx3-jsonld"

    @property
    def family(self) -> str:
        """`cyclonedx`, `spdx` (2.x) or `spdx3`."""
        if self in (Format.CYCLONEDX_JSON, Format.CYCLONEDX_XML):
            return "cyclonedx"
        if self is Format.SPDX3_JSONLD:
            return "spdx3"
        return "spdx"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hash:
    """A checksum as written: algorithm upper-cased with dashes (`SHA-256`), value lower-cased."""

    algorithm: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """An organisation, person or tool named as supplier, manufacturer, author or originator."""

    name: str | None = None
    """The name without its SPDX prefix (`Organization: `) or e-mail suffix."""
    kind: str | None = None
    """`organization`, `person`, `tool` or None when the format does not say."""
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    raw: str | None = None
    """The value exactly as written, for evidence (SPDX `Organization: X (x@y)`)."""

    def texts(self) -> Iterator[str]:
        """Every string this party carries (name, raw form, e-mails, URLs)."""
        for value in (self.name, self.raw, *self.emails, *self.urls):
            if value:
                yield value


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalReference:
    """A typed URL: CycloneDX externalReferences, SPDX externalRefs and download/home pages."""

    type: str
    """CycloneDX type (`website`, `vcs`, `bom`, ...), SPDX `category/type`
    (`PACKAGE-MANAGER/purl`, `SECURITY/cpe23Type`), or `download` / `homepage` for SPDX fields."""
    url: str
    comment: str | None = None
    hashes: tuple[Hash, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """A name/value pair (CycloneDX properties, SPDX annotations are not properties)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FileEntry:
    """A file the SBOM lists for a component (SPDX hasFiles/CONTAINS, CycloneDX evidence)."""

    name: str
    ref: str | None = None
    checksums: tuple[Hash, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Pedigree:
    """CycloneDX pedigree; each entry is a component with its own identity."""

    ancestors: tuple[Component, ...] = ()
    descendants: tuple[Component, ...] = ()
    variants: tuple[Component, ...] = ()
    notes: str | None = None

    def entries(self) -> Iterator[tuple[str, Component]]:
        """(relation, component) for every ancestor, descendant and variant."""
        for relation, group in (
            ("ancestor", self.ancestors),
            ("descendant", self.descendants),
            ("variant", self.variants),
        ):
            for comp in group:
                yield relation, comp


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One component (CycloneDX component, SPDX package or file, SPDX 3 package or file)."""

    ref: str
    """The bom-ref or SPDXID as written. Where the document gives none, a synthetic ref made
    from the location (`components[3]`) and `ref_synthetic` is True."""
    document: str
    """The `Document.key` of the document that declares it."""
    location: str
    """Where it is declared in the document (`components[3].components[0]`, `packages[7]`,
    `line 120`, `/bom/components/component[4]`)."""
    name: str = ""
    version: str | None = None
    group: str | None = None
    type: str | None = None
    """CycloneDX type (`library`, `application`, `device`, ...), SPDX primaryPackagePurpose
    lower-cased, or `file` for SPDX files."""
    purl: str | None = None
    cpes: tuple[str, ...] = ()
    swid_tag_id: str | None = None
    hashes: tuple[Hash, ...] = ()
    supplier: Party | None = None
    manufacturer: Party | None = None
    publisher: str | None = None
    authors: tuple[Party, ...] = ()
    originator: Party | None = None
    copyright: str | None = None
    licenses: tuple[str, ...] = ()
    description: str | None = None
    """CycloneDX description; SPDX description, or summary where no description is given."""
    external_references: tuple[ExternalReference, ...] = ()
    properties: tuple[Property, ...] = ()
    pedigree: Pedigree | None = None
    parent: str | None = None
    """Ref of the component this one is nested in (CycloneDX nested components)."""
    files: tuple[FileEntry, ...] = ()
    release_date: str | None = None
    built_date: str | None = None
    valid_until_date: str | None = None
    scope: str | None = None
    """CycloneDX scope (`required`, `optional`, `excluded`)."""
    line: int | None = None
    """1-based line of the declaration where the reader knows it (tag-value, XML)."""
    ref_synthetic: bool = False
    is_metadata: bool = False
    """True for CycloneDX `metadata.component`: part of the graph, not of the counts."""

    @property
    def display_name(self) -> str:
        """`group/name@version` as far as known."""
        base = f"{self.group}/{self.name}" if self.group else self.name
        return f"{base}@{self.version}" if self.version else base


@dataclass(frozen=True, slots=True, kw_only=True)
class Relationship:
    """A typed edge as written, in the document's own direction (see module docstring)."""

    source: str
    type: str
    target: str
    """A ref in this document, `DocumentRef-X:SPDXRef-Y`, a BOM-Link, or `NONE`/`NOASSERTION`."""
    document: str
    location: str
    explicit: bool = True
    """False for edges the format implies (nested components, documentDescribes, hasFiles,
    tag-value files after a package); only explicit ones count as `relationships`."""
    comment: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalDocumentRef:
    """A reference to another SBOM: SPDX externalDocumentRef or CycloneDX BOM-Link/bom ref."""

    id: str
    """`DocumentRef-X` (SPDX) or the URL/URN as written (CycloneDX)."""
    uri: str
    """SPDX document namespace, CycloneDX `urn:cdx:serial/version` or URL."""
    kind: str
    """`spdx-external-document-ref`, `cyclonedx-bom-link` or `cyclonedx-bom-reference`."""
    checksum: Hash | None = None
    location: str = ""
    from_ref: str | None = None
    """The component whose externalReferences carry it (CycloneDX), if any."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Composition:
    """A CycloneDX composition: how complete the document says it is."""

    aggregate: str
    assemblies: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()


UNREAD_CODES = frozenset({"unknown-namespace", "unknown-type"})
"""Warning codes that report content present in a document but not read into the model: an
XML element of an unknown namespace where components may stand, an SPDX 3 element of an
unknown type. What was not read may be Kaspersky technology, so a document with one cannot
show absence (`Document.unread`, policy/completeness.py)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestWarning:
    """Something read leniently or suspicious in the input, kept and reported, never fatal.

    Codes: `duplicate-ref`, `dangling-ref`, `self-loop`, `cycle`, `lenient-value`,
    `unknown-relationship`, `missing-field`, `encoding`, and the `UNREAD_CODES`.
    """

    code: str
    message: str
    location: str = ""

    def render(self) -> str:
        """One line: `location: message [code]`."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message} [{self.code}]"


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One SBOM document as read."""

    key: str
    """How components refer to their document: the path as given (`-` for stdin,
    `bundle.zip!vendor/a.json` inside an archive). Unique within one scan."""
    path: str
    sha256: str
    """Of the bytes as given (before gzip decompression)."""
    sha1: str = ""
    """Of the bytes as given; SPDX externalDocumentRefs checksums are SHA-1."""
    format: Format
    spec_version: str
    serial_number: str | None = None
    version: int | None = None
    name: str | None = None
    namespace: str | None = None
    """SPDX documentNamespace; SPDX 3 document spdxId."""
    spdx_id: str | None = None
    created: str | None = None
    creators: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    root_refs: tuple[str, ...] = ()
    """The product the document describes: metadata.component, DESCRIBES/documentDescribes,
    SPDX 3 rootElement. Empty when the document does not say."""
    components: Sequence[Component] = ()
    """Every component, nested ones included, plus metadata.component (`is_metadata`).
    A tuple, or for a regular CycloneDX or SPDX 2 JSON document a `LazyComponents` that
    builds each Component the first time it is read (equal to the tuple a general reader
    gives)."""
    files: tuple[Component, ...] = ()
    """SPDX files (type `file`)."""
    services: tuple[Component, ...] = ()
    """CycloneDX services (type `service`): not counted as components, but matched (a
    service's provider or endpoint can name Kaspersky) and part of the graph."""
    relationships: Sequence[Relationship] = ()
    """A tuple, or for a regular CycloneDX or SPDX 2 JSON document a `LazyRelationships`
    kept as columns."""
    external_refs: tuple[ExternalDocumentRef, ...] = ()
    compositions: tuple[Composition, ...] = ()
    relationships_as_written: int | None = None
    """Relationship entries as the document writes them, where that differs from one
    Relationship per edge (an SPDX 3 Relationship with several `to`); None otherwise."""
    warnings: tuple[IngestWarning, ...] = field(default=())
    gzip: bool = False

    @property
    def component_count(self) -> int:
        """Components as MANIFEST.csv counts them (metadata.component excluded)."""
        metadata = component_columns(self.components).metadata
        return len(metadata) - metadata.count(1)

    @property
    def unread(self) -> tuple[IngestWarning, ...]:
        """The warnings about content present in the document but not read (`UNREAD_CODES`)."""
        return tuple(w for w in self.warnings if w.code in UNREAD_CODES)

    @property
    def relationship_count(self) -> int:
        """Relationships as written (explicit ones only)."""
        if self.relationships_as_written is not None:
            return self.relationships_as_written
        rels = self.relationships
        if isinstance(rels, LazyRelationships):
            return rels.explicit_count()
        return sum(1 for r in rels if r.explicit)

    def all_elements(self) -> Iterator[Component]:
        """Components, then files, then services."""
        yield from self.components
        yield from self.files
        yield from self.services

    def elements(self) -> Sequence[Component]:
        """Components, then files, then services, as one sequence; a lazy document's
        components are built only where read."""
        return elements_of(self.components, (*self.files, *self.services))

    def element_refs(self) -> list[str]:
        """The ref of every element, in the order of `elements`, without building any."""
        return ref_columns(self.elements())[0]


# ----- the compact tier: columns, and components built where read --------------------------

HAS_NAMED_PARTY = 1
"""`identity_flags` bit: a supplier, manufacturer or originator with a name, or a publisher."""
HAS_PURL_OR_CPE = 2
"""`identity_flags` bit: a purl or a CPE."""
HAS_HASHES = 4
"""`identity_flags` bit: at least one hash."""


class Named(Protocol):
    """Anything with a name that may be missing: a Party, or a reader's own record of one."""

    @property
    def name(self) -> str | None:
        """The name, or None."""
        ...


def identity_flags(
    parties: tuple[Named | None, ...],
    publisher: str | None,
    purl: str | None,
    cpes: int,
    hashes: int,
) -> int:
    """What identifies a component, as bits: `parties` are its supplier, manufacturer and
    originator, `cpes` and `hashes` how many it has. The one home of the rule that
    completeness counts by (SPDX says supplier or originator, CycloneDX supplier,
    manufacturer or publisher: any named party tells who made it)."""
    named = bool(publisher)
    if not named:
        for party in parties:
            if party is not None and party.name:
                named = True
                break
    return (
        (HAS_NAMED_PARTY if named else 0)
        | (HAS_PURL_OR_CPE if purl or cpes else 0)
        | (HAS_HASHES if hashes else 0)
    )


def component_flags(c: Component) -> int:
    """`identity_flags` of a built component."""
    return identity_flags(
        (c.supplier, c.manufacturer, c.originator), c.publisher, c.purl, len(c.cpes), len(c.hashes)
    )


def links_elsewhere(c: Component) -> bool:
    """True when `c` carries what only its full form shows to the graph: file entries, a
    pedigree, or an external reference of type `bom` (a link to another SBOM)."""
    return (
        bool(c.files)
        or c.pedigree is not None
        or any(e.type.lower() == "bom" for e in c.external_references)
    )


@dataclass(frozen=True, slots=True)
class ComponentColumns:
    """What graph, structure checks and completeness need of every component, one list per
    field, index for index with the components."""

    refs: list[str]
    synthetic: bytearray
    """1 where the ref was made from the location (`Component.ref_synthetic`)."""
    parents: list[str | None]
    metadata: bytearray
    """1 for metadata.component (`Component.is_metadata`)."""
    flags: bytearray
    """`identity_flags` of each component."""
    linked: list[int]
    """Indexes of the components `links_elsewhere` is true of: the only ones the graph
    reads in full."""


def with_built(columns: ComponentColumns, items: Sequence[Component | None]) -> ComponentColumns:
    """`columns` with the row of every component built already (not None in `items`) read
    from it, and the linking ones among them: only a built component links elsewhere. For
    a reader that wrote placeholders in those rows; the lists are filled in place."""
    linked = []
    for i, comp in enumerate(items):
        if comp is None:
            continue
        columns.refs[i], columns.synthetic[i] = comp.ref, comp.ref_synthetic
        columns.parents[i], columns.metadata[i] = comp.parent, comp.is_metadata
        columns.flags[i] = component_flags(comp)
        if links_elsewhere(comp):
            linked.append(i)
    return dataclasses.replace(columns, linked=linked)


def columns_of(components: Sequence[Component]) -> ComponentColumns:
    """The columns of built components."""
    return ComponentColumns(
        refs=[c.ref for c in components],
        synthetic=bytearray(c.ref_synthetic for c in components),
        parents=[c.parent for c in components],
        metadata=bytearray(c.is_metadata for c in components),
        flags=bytearray(map(component_flags, components)),
        linked=[i for i, c in enumerate(components) if links_elsewhere(c)],
    )


class Columns(Protocol):
    """What `component_columns` gives: the fields of `ComponentColumns`, read-only."""

    @property
    def refs(self) -> list[str]: ...
    @property
    def synthetic(self) -> bytearray: ...
    @property
    def parents(self) -> list[str | None]: ...
    @property
    def metadata(self) -> bytearray: ...
    @property
    def flags(self) -> bytearray: ...
    @property
    def linked(self) -> list[int]: ...


class _ColumnsOf:
    """The columns of built components, each made the first time it is read (a stage reads
    one or two of them)."""

    def __init__(self, components: Sequence[Component]) -> None:
        self._components = components

    @functools.cached_property
    def refs(self) -> list[str]:
        return [c.ref for c in self._components]

    @functools.cached_property
    def synthetic(self) -> bytearray:
        return bytearray(c.ref_synthetic for c in self._components)

    @functools.cached_property
    def parents(self) -> list[str | None]:
        return [c.parent for c in self._components]

    @functools.cached_property
    def metadata(self) -> bytearray:
        return bytearray(c.is_metadata for c in self._components)

    @functools.cached_property
    def flags(self) -> bytearray:
        return bytearray(map(component_flags, self._components))

    @functools.cached_property
    def linked(self) -> list[int]:
        return [i for i, c in enumerate(self._components) if links_elsewhere(c)]


def component_columns(components: Sequence[Component]) -> Columns:
    """The columns of `components`: kept by a lazy sequence, made as read for built ones."""
    if isinstance(components, LazyComponents):
        return components.columns
    return _ColumnsOf(components)


@dataclass(frozen=True, slots=True)
class IdentityText:
    """The raw text of lazily held components, for the identity gate
    (`sbomcheck.identify.gate.lazy_candidates`).

    Each blob is the document's own bytes for the components `starts` and `ends` give (a
    top-level component and its nested ones); every identity string of those components is
    a part of it, as written. `escape` is the byte that starts an escape in the format (a string
    written with one may spell a word the bytes do not show). Components outside every
    span are built already and are gated in full."""

    blobs: list[Any]
    """Bytes-like objects (`bytes`, `memoryview`, `msgspec.Raw`)."""
    starts: array[int]
    """The index of the first component of each blob, ascending."""
    ends: array[int]
    """The index after the last component of each blob."""
    escape: bytes
    unsure: set[int]
    """Blobs to pass whatever they hold (a pedigree, which is gated in full)."""


_T = TypeVar("_T")


class _TupleView(Sequence[_T]):
    """A sequence that stands for the tuple of what it holds: equal to it, hashed and pickled
    as it. A subclass gives `_at(i)` for 0 <= i < len; indexing and slicing are here."""

    __slots__ = ()

    def _at(self, index: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...
    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        size = len(self)
        if isinstance(index, slice):
            return tuple(map(self._at, range(*index.indices(size))))
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._at(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _TupleView | tuple):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


class LazyComponents(_TupleView[Component]):
    """Components built the first time each is read, from what the reader kept.

    The reader keeps the built ones (irregular or linking components, always built while
    reading so that their warnings come in document order) and, for the rest, the columns
    and a way back to the raw text: `load(i)` builds component `i` (and the ones built with
    it) into `items`. Equal to, and pickled as, the tuple of all components.
    """

    __slots__ = ("_items", "_load", "_lock", "columns", "identity", "source")

    def __init__(
        self,
        items: list[Component | None],
        columns: ComponentColumns,
        load: Callable[[list[Component | None], int], None],
        identity: IdentityText,
        source: bytes | None = None,
    ) -> None:
        self._items = items
        self._load = load
        self.source = source
        """The document's text as read (after gzip), where the reader keeps it: reading it
        again gives equal components (the audit ledger stores it instead of the model)."""
        # NOTE: the readers build with scratch state of their own; one build at a time
        # keeps the sequence safe to read from several threads.
        self._lock = threading.Lock()
        self.columns = columns
        self.identity = identity

    def __len__(self) -> int:
        return len(self._items)

    def _at(self, index: int) -> Component:
        item = self._items[index]
        if item is None:
            with self._lock:
                if self._items[index] is None:
                    self._load(self._items, index)
            item = self._items[index]
            assert item is not None
        return item

    def __iter__(self) -> Iterator[Component]:
        items = self._items
        for i, item in enumerate(items):
            yield item if item is not None else self[i]

    def built(self) -> int:
        """How many components have been built so far."""
        return len(self._items) - self._items.count(None)

    def __repr__(self) -> str:
        return f"LazyComponents({len(self)} components, {self.built()} built)"


class _Chain(_TupleView[Component]):
    """Lazy components followed by built elements, read by index without building all."""

    __slots__ = ("_head", "_tail")

    def __init__(self, head: LazyComponents, tail: tuple[Component, ...]) -> None:
        self._head = head
        self._tail = tail

    def parts(self) -> tuple[LazyComponents, tuple[Component, ...]]:
        """The lazy components and the built elements after them."""
        return self._head, self._tail

    def __len__(self) -> int:
        return len(self._head) + len(self._tail)

    def _at(self, index: int) -> Component:
        head = len(self._head)
        return self._head[index] if index < head else self._tail[index - head]

    def __iter__(self) -> Iterator[Component]:
        yield from self._head
        yield from self._tail


def elements_of(components: Sequence[Component], rest: Sequence[Component]) -> Sequence[Component]:
    """`components` followed by `rest` as one sequence, without building lazy components."""
    if isinstance(components, LazyComponents):
        return _Chain(components, tuple(rest))
    return (*components, *rest)


def ref_columns(elements: Sequence[Component]) -> tuple[list[str], bytearray]:
    """The refs of `elements` and, per element, 1 where the ref is synthetic; read from the
    columns where the components are lazy."""
    if isinstance(elements, _Chain):
        head, tail = elements.parts()
        columns = head.columns
        refs = [*columns.refs, *(c.ref for c in tail)]
        return refs, columns.synthetic + bytearray(c.ref_synthetic for c in tail)
    if isinstance(elements, LazyComponents):
        return list(elements.columns.refs), bytearray(elements.columns.synthetic)
    return [c.ref for c in elements], bytearray(c.ref_synthetic for c in elements)


def span_of(starts: array[int], ends: array[int], index: int) -> int | None:
    """The blob (`IdentityText`) holding component `index`, if any."""
    k = bisect.bisect_right(starts, index) - 1
    if k >= 0 and index < ends[k]:
        return k
    return None


class LazyRelationships(_TupleView[Relationship]):
    """Relationships kept as columns: the ones built while reading (`head`), rows built on
    read (`make(i)`, all explicit), then built ones again (`tail`: those a reader derives
    after the rest). Equal to, and pickled as, the tuple of them all."""

    __slots__ = ("_head", "_make", "_tail", "sources", "targets", "types")

    def __init__(
        self,
        head: tuple[Relationship, ...],
        columns: tuple[list[str], list[str], list[str]],
        make: Callable[[int], Relationship],
        tail: tuple[Relationship, ...] = (),
    ) -> None:
        self._head = head
        self._make = make
        self._tail = tail
        self.sources, self.types, self.targets = columns
        """Source, type and target of every relationship, the built ones included."""

    def __len__(self) -> int:
        return len(self.sources)

    def _at(self, index: int) -> Relationship:
        size = len(self)
        head, tail = self._head, self._tail
        if index < len(head):
            return head[index]
        if index >= size - len(tail):
            return tail[index - size + len(tail)]
        return self._make(index)

    def __iter__(self) -> Iterator[Relationship]:
        yield from self._head
        yield from map(self._make, range(len(self._head), len(self) - len(self._tail)))
        yield from self._tail

    def explicit_count(self) -> int:
        """How many are explicit (every row made on read is)."""
        built = sum(1 for r in (*self._head, *self._tail) if r.explicit)
        return built + len(self) - len(self._head) - len(self._tail)

    def __repr__(self) -> str:
        return f"LazyRelationships({len(self)} relationships)"


def relationship_column(
    rels: Sequence[Relationship], field: Literal["source", "type", "target"]
) -> list[str]:
    """The `field` of each relationship, without building lazy ones."""
    if isinstance(rels, LazyRelationships):
        column: list[str] = getattr(rels, f"{field}s")
        return column
    return list(map(operator.attrgetter(field), rels))
