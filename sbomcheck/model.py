"""The one model every SBOM format is read into.

Everything an SBOM says about a component's identity is kept: identification, graph and
policy never go back to the raw document. The model is frozen and slotted; readers build it
once and nobody mutates it.

Relationship direction: `source --type--> target`, exactly as the document states it
("A DEPENDS_ON B" is source A, type `depends-on`, target B; "A DEPENDENCY_OF B" stays as
written with type `dependency-of`). Relationship types are the SPDX names lower-cased with
`_` turned into `-` (CycloneDX `dependsOn` is `depends-on`; nested components give implicit
`contains`). The graph stage (`sbomcheck.graph`) turns every type into edges of one direction.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field


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
    components: tuple[Component, ...] = ()
    """Every component, nested ones included, plus metadata.component (`is_metadata`)."""
    files: tuple[Component, ...] = ()
    """SPDX files (type `file`)."""
    services: tuple[Component, ...] = ()
    """CycloneDX services (type `service`): not counted as components, but matched (a
    service's provider or endpoint can name Kaspersky) and part of the graph."""
    relationships: tuple[Relationship, ...] = ()
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
        return sum(1 for c in self.components if not c.is_metadata)

    @property
    def unread(self) -> tuple[IngestWarning, ...]:
        """The warnings about content present in the document but not read (`UNREAD_CODES`)."""
        return tuple(w for w in self.warnings if w.code in UNREAD_CODES)

    @property
    def relationship_count(self) -> int:
        """Relationships as written (explicit ones only)."""
        if self.relationships_as_written is not None:
            return self.relationships_as_written
        return sum(1 for r in self.relationships if r.explicit)

    def all_elements(self) -> Iterator[Component]:
        """Components, then files, then services."""
        yield from self.components
        yield from self.files
        yield from self.services
