"""Read SPDX 2.x tag-value documents with one linear pass over the lines.

spdx-tools' tag-value parser needs 11.6 s for 100 packages (it rebuilds the licence index
for every licence field), so this is a plain line reader (`_tv_lines`): `Tag: value` lines
and multi-line `<text>...</text>` values fill the document in the JSON shape of SPDX 2, with
the line each part was written on, and the shared SPDX 2 builder makes the model. Nothing
waits longer than it must: each package is built as its section ends (`_spdx_tv_build`),
relationships and package checksums as their lines are read, and SPDXIDs are one string
per distinct value. Tags that carry no identity (annotations, verification codes, licence
texts) are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_common import (
    SPDX2_RELATIONSHIP_TYPES,
    Where,
    new_hash,
    new_relationship,
)
from sbomcheck.ingest._spdx_tv_build import TagValueBuilder
from sbomcheck.ingest._spdx_values import hash_algorithm, relationship_type
from sbomcheck.ingest._tv_lines import Handler, TagValueLines, has_line_starting
from sbomcheck.ingest.interface import Reader, Syntax
from sbomcheck.model import Document, Format

__all__ = ["READER", "read_spdx_tv"]

_PACKAGE_FIELDS = {
    "PackageVersion": "versionInfo",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageDownloadLocation": "downloadLocation",
    "PackageHomePage": "homepage",
    "PackageLicenseConcluded": "licenseConcluded",
    "PackageLicenseDeclared": "licenseDeclared",
    "PackageCopyrightText": "copyrightText",
    "PackageSummary": "summary",
    "PackageDescription": "description",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
    "ReleaseDate": "releaseDate",
    "BuiltDate": "builtDate",
    "ValidUntilDate": "validUntilDate",
}
_FILE_FIELDS = {
    "LicenseConcluded": "licenseConcluded",
    "FileCopyrightText": "copyrightText",
    "FileComment": "comment",
}
_DOCUMENT_FIELDS = {
    "SPDXVersion": "spdxVersion",
    "DocumentName": "name",
    "DocumentNamespace": "documentNamespace",
}

_DOC, _PACKAGE, _FILE, _OTHER = 0, 1, 2, 3
_SECTIONS = ("document", "package", "file", "section")

# NOTE: the tags of SPDX 2.3 (and 2.0's review tags) sbomcheck does not read. Named so that
# their lines take the fast way through the line reader; a tag missing here costs time,
# never a value.
_UNREAD_TAGS = frozenset(
    [
        "DataLicense",
        "LicenseListVersion",
        "CreatorComment",
        "DocumentComment",
        "PackageFileName",
        "FilesAnalyzed",
        "PackageVerificationCode",
        "PackageSourceInfo",
        "PackageLicenseComments",
        "PackageComment",
        "PackageAttributionText",
        "FileType",
        "LicenseComments",
        "ArtifactOfProjectName",
        "ArtifactOfProjectHomePage",
        "ArtifactOfProjectURI",
        "FileNotice",
        "FileContributor",
        "FileAttributionText",
        "FileDependency",
        "SnippetFromFileSPDXID",
        "SnippetByteRange",
        "SnippetLineRange",
        "SnippetLicenseConcluded",
        "LicenseInfoInSnippet",
        "SnippetLicenseComments",
        "SnippetCopyrightText",
        "SnippetComment",
        "SnippetName",
        "SnippetAttributionText",
        "ExtractedText",
        "LicenseName",
        "LicenseCrossReference",
        "LicenseComment",
        "Annotator",
        "AnnotationDate",
        "AnnotationType",
        "SPDXREF",
        "AnnotationComment",
        "Reviewer",
        "ReviewDate",
        "ReviewComment",
    ]
)


def read_spdx_tv(text: str, ctx: ReadContext) -> Document:
    """Read an SPDX 2 tag-value document; locations and `Component.line` are line numbers.

    Raises `IngestError` (`line 40`) on a line that cannot be read without losing an
    identity or an edge: a malformed Relationship, ExternalRef or checksum, an unterminated
    `<text>`.
    """
    reader = _TagValueReader(ctx)
    reader.read_text(text)
    return reader.build()


class _TagValueReader(TagValueLines):
    """The document in the JSON shape of SPDX 2 as its lines are read, with the line each
    part was written on, and the section (document, package, file, other) the current line
    belongs to. Each package goes to the builder when its section ends, each relationship
    as its line is read."""

    __slots__ = (
        "builder",
        "creation",
        "creators",
        "ctx",
        "doc",
        "doc_locs",
        "ext_docs",
        "extra_refs",
        "f_locs",
        "f_lines",
        "files",
        "hash_algs",
        "ids",
        "kind",
        "last_ref",
        "owners",
        "package",
        "package_line",
        "rel_types",
        "relationships",
        "unknown_rel_types",
    )

    def __init__(self, ctx: ReadContext) -> None:
        super().__init__(ctx.key)
        self.ctx = ctx
        self.doc: dict[str, Any] = {}
        self.creation: dict[str, Any] = {}
        self.creators: list[str] = []
        self.files: list[dict[str, Any]] = []
        self.ext_docs: list[dict[str, Any]] = []
        self.f_locs: list[str] = []
        self.f_lines: list[int | None] = []
        self.owners: list[int] = []
        """The package each file follows, by number (-1 before the first package)."""
        self.extra_refs: list[str] = []
        self.doc_locs: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        """One string per distinct SPDXID, shared by the element and the relationships."""
        self.hash_algs: dict[str, str] = {}
        self.package = -1
        """The number of the package read last (-1 before the first)."""
        self.package_line = 0
        self.last_ref: list[str | None] | None = None
        builder = self.builder = TagValueBuilder(
            ctx,
            Format.SPDX_TV,
            Where(
                sep=" ",
                file_locations=self.f_locs,
                file_lines=self.f_lines,
                extra_document_refs=self.extra_refs,
                document_locations=self.doc_locs,
            ),
        )
        self.relationships = builder.relationships
        self.rel_types = builder.type_cache
        self.unknown_rel_types = builder.unknown_types
        self.kind = _DOC
        self.enter(_DOC, self.doc)

    def enter(self, kind: int, cur: dict[str, Any]) -> None:
        """Begin a section: its lines are read into `cur`. A package ends with its section
        and is built at once."""
        self.end_package()
        self.kind = kind
        self.cur = cur
        self.tags = _SECTION_TAGS[kind]

    def repeated(self, tag: str, lineno: int, section: int | None = None) -> IngestError:
        # NOTE: readers disagree on which value of a repeated single-valued tag counts, and
        # a finding could hide in the one not read: refused, like a repeated JSON key.
        return self.fail(
            f"{tag} appears twice in one {_SECTIONS[self.kind if section is None else section]}"
            "; it may appear once, so sbomcheck refuses the document rather than guess which "
            "value counts",
            lineno,
        )

    def open_package(self, name: str, lineno: int) -> None:
        self.enter(_PACKAGE, {"name": name})
        self.package += 1
        self.package_line = lineno
        self.last_ref = None

    def end_package(self) -> None:
        """Build the package whose section this is, if it is one."""
        if self.kind == _PACKAGE:
            self.builder.add_package(self.cur, self.package_line)

    def open_file(self, name: str, lineno: int) -> None:
        self.enter(_FILE, {"fileName": name})
        self.files.append(self.cur)
        self.f_locs.append(f"line {lineno}")
        self.f_lines.append(lineno)
        self.owners.append(self.package)

    def spdx_id(self, value: str, lineno: int) -> None:
        if "SPDXID" in self.cur:
            raise self.repeated("SPDXID", lineno)
        self.cur["SPDXID"] = self.ids.setdefault(value, value)

    def relationship(self, value: str, lineno: int) -> None:
        """A Relationship, made at once: nothing read later can make it fail."""
        parts = value.split()
        if len(parts) != 3:
            raise self.fail(
                "Relationship must be 'SPDXRef-A TYPE SPDXRef-B', got " + repr(value), lineno
            )
        source, rtype, target = parts
        ids = self.ids
        norm = self.rel_types.get(rtype) or self.relationship_type(rtype)
        here = f"line {lineno}"
        if self.unknown_rel_types and rtype in self.unknown_rel_types:
            self.unknown_rel_types[rtype].append(here)
        self.relationships.append(
            new_relationship(
                ids.setdefault(source, source),
                norm,
                ids.setdefault(target, target),
                self.key,
                here,
                True,
                None,
            )
        )

    def relationship_type(self, rtype: str) -> str:
        """The model's name of a relationship type met for the first time; one outside
        SPDX 2.3 is noted (the builder warns once per type, with its places)."""
        norm = self.rel_types[rtype] = relationship_type(rtype)
        if rtype.strip().upper() not in SPDX2_RELATIONSHIP_TYPES:
            self.unknown_rel_types[rtype] = []
        return norm

    def relationship_comment(self, value: str, lineno: int) -> None:
        relationships = self.relationships
        if not relationships:
            return
        last = relationships[-1]
        if last.comment is not None:
            raise self.fail("RelationshipComment appears twice for one Relationship", lineno)
        relationships[-1] = new_relationship(
            last.source, last.type, last.target, last.document, last.location, True, value
        )

    def package_checksum(self, value: str, lineno: int) -> None:
        algorithm, _, digest = value.partition(":")
        digest = digest.strip()
        norm = self.hash_algs.get(algorithm)
        if norm is None or not digest:
            norm, digest = self.new_checksum(value, lineno)
        checksums = self.cur.get("checksums")
        if checksums is None:
            checksums = self.cur["checksums"] = []
        checksums.append(new_hash(norm, digest.lower()))

    def new_checksum(self, value: str, lineno: int) -> tuple[str, str]:
        """(algorithm as the model names it, value) of a checksum whose algorithm is met
        for the first time, or which is malformed (raises)."""
        algorithm, digest = _checksum_parts(value, lineno, self.fail)
        # NOTE: kept under the algorithm as written: the next line of the same form is
        # looked up before it is stripped.
        norm = self.hash_algs[value.partition(":")[0]] = hash_algorithm(algorithm)
        return norm, digest

    def file_checksum(self, value: str, lineno: int) -> None:
        algorithm, digest = _checksum_parts(value, lineno, self.fail)
        self.cur.setdefault("checksums", []).append(
            {"algorithm": algorithm, "checksumValue": digest}
        )

    def external_ref(self, value: str, lineno: int) -> None:
        parts = value.split(None, 2)
        if len(parts) != 3:
            raise self.fail(
                "ExternalRef must be 'CATEGORY TYPE LOCATOR', got " + repr(value), lineno
            )
        # [category, type, locator, comment]
        self.last_ref = [*parts, None]
        self.cur.setdefault("externalRefs", []).append(self.last_ref)

    def external_ref_comment(self, value: str, lineno: int) -> None:
        if self.last_ref is not None:
            if self.last_ref[3] is not None:
                raise self.fail("ExternalRefComment appears twice for one ExternalRef", lineno)
            self.last_ref[3] = value

    def document_field(self, tag: str, value: str, lineno: int) -> None:
        key = _DOCUMENT_FIELDS[tag]
        if key in self.doc:
            raise self.repeated(tag, lineno, _DOC)
        self.doc[key] = value
        self.doc_locs[key] = f"line {lineno}"

    def creator(self, value: str, lineno: int) -> None:
        self.doc_locs[f"creationInfo.creators[{len(self.creators)}]"] = f"line {lineno}"
        self.creators.append(value)

    def created(self, value: str, lineno: int) -> None:
        if "created" in self.creation:
            raise self.repeated("Created", lineno, _DOC)
        self.creation["created"] = value
        self.doc_locs["creationInfo.created"] = f"line {lineno}"

    def external_document(self, value: str, lineno: int) -> None:
        self.doc_locs[f"externalDocumentRefs[{len(self.ext_docs)}]"] = f"line {lineno}"
        self.ext_docs.append(_external_document_ref(value, lineno, self.fail))

    def snippet(self, value: str, lineno: int) -> None:
        """A snippet: its SPDXID is an element relationships may name; its lines are not
        read."""
        self.enter(_OTHER, {})
        self.extra_refs.append(value)

    def licence(self, value: str, lineno: int) -> None:
        self.enter(_OTHER, {})

    def own_files(self) -> None:
        """Give each package the files that follow it."""
        # NOTE: SPDX 2 tag-value: files that follow a package belong to it (spec clause 5,
        # "Relationships" / hasFiles); they get an implicit CONTAINS like JSON's hasFiles.
        owned: dict[int, list[str]] = {}
        for f, owner in zip(self.files, self.owners, strict=True):
            if owner >= 0 and f.get("SPDXID"):
                owned.setdefault(owner, []).append(f["SPDXID"])
        builder = self.builder
        # In the order of the packages, as the general builder records them.
        for package in sorted(owned):
            builder.has_files[builder.components[package].ref] = owned[package]

    def build(self) -> Document:
        """The document from what the lines gave, built by the shared SPDX 2 builder."""
        ctx, doc = self.ctx, self.doc
        if not doc.get("spdxVersion"):
            raise IngestError("no SPDXVersion line", source=ctx.key, location="line 1")
        not_tag_value = self.not_tag_value
        for lineno in not_tag_value[:1]:
            more = f" and {len(not_tag_value) - 1} more" if len(not_tag_value) > 1 else ""
            ctx.warn("lenient-value", "line is not 'Tag: value'; skipped", f"line {lineno}{more}")

        self.end_package()
        self.kind = _OTHER
        self.own_files()
        if self.creators or self.creation:
            self.creation["creators"] = self.creators
            doc["creationInfo"] = self.creation
        doc["files"] = self.files
        if self.ext_docs:
            doc["externalDocumentRefs"] = self.ext_docs
        self.files = []
        return self.builder.build(doc)


def _section_tags() -> tuple[dict[str, str | Handler], ...]:
    """What each section does with each tag: the key of a single value, or a handler."""
    reader = _TagValueReader
    unread: dict[str, str | Handler] = dict.fromkeys(_UNREAD_TAGS, _unread)
    common: dict[str, Handler] = {
        "PackageName": reader.open_package,
        "FileName": reader.open_file,
        "SPDXID": reader.spdx_id,
        "Relationship": reader.relationship,
        "RelationshipComment": reader.relationship_comment,
    }
    document: dict[str, Handler] = {
        **{tag: _document_field(tag) for tag in _DOCUMENT_FIELDS},
        "Creator": reader.creator,
        "Created": reader.created,
        "ExternalDocumentRef": reader.external_document,
        "SnippetSPDXID": reader.snippet,
        "LicenseID": reader.licence,
    }
    package: dict[str, Handler] = {
        "PackageChecksum": reader.package_checksum,
        "ExternalRef": reader.external_ref,
        "ExternalRefComment": reader.external_ref_comment,
        "PackageLicenseInfoFromFiles": _appended("licenseInfoFromFiles"),
    }
    file: dict[str, Handler] = {
        "FileChecksum": reader.file_checksum,
        "LicenseInfoInFile": _appended("licenseInfoInFiles"),
    }
    # NOTE: an SPDXID in a section sbomcheck does not read (a snippet, a licence) is not
    # read either.
    other = {tag: handler for tag, handler in common.items() if tag != "SPDXID"}
    return (
        {**unread, **common, **document},
        {**unread, **_PACKAGE_FIELDS, **common, **package, **document},
        {**unread, **_FILE_FIELDS, **common, **file, **document},
        {**unread, **other, **document},
    )


def _document_field(tag: str) -> Handler:
    def read(reader: _TagValueReader, value: str, lineno: int) -> None:
        reader.document_field(tag, value, lineno)

    return read


def _appended(key: str) -> Handler:
    """The handler of a tag that may appear more than once: each value appended to `key`."""

    def read(reader: _TagValueReader, value: str, lineno: int) -> None:
        reader.cur.setdefault(key, []).append(value)

    return read


def _unread(reader: _TagValueReader, value: str, lineno: int) -> None:
    """A tag sbomcheck does not read."""


_SECTION_TAGS = _section_tags()


def _checksum_parts(
    value: str, lineno: int, fail: Callable[[str, int], IngestError]
) -> tuple[str, str]:
    alg, colon, hexval = value.partition(":")
    alg, hexval = alg.strip(), hexval.strip()
    if not colon or not alg or not hexval:
        raise fail(f"checksum must be 'ALGORITHM: value', got {value!r}", lineno)
    return alg, hexval


def _external_document_ref(
    value: str, lineno: int, fail: Callable[[str, int], IngestError]
) -> dict[str, Any]:
    parts = value.split(None, 2)
    if len(parts) < 2:
        raise fail(
            f"ExternalDocumentRef must be 'DocumentRef-X URI SHA1: value', got {value!r}", lineno
        )
    out: dict[str, Any] = {"externalDocumentId": parts[0], "spdxDocument": parts[1]}
    if len(parts) == 3:
        algorithm, digest = _checksum_parts(parts[2], lineno, fail)
        out["checksum"] = {"algorithm": algorithm, "checksumValue": digest}
    return out


def _has_spdx_version_line(text: str, ctx: ReadContext) -> bool:
    """An `SPDXVersion:` line among the first 200 lines."""
    return has_line_starting(text, "SPDXVersion:", 200)


READER = Reader(
    format=Format.SPDX_TV,
    syntax=Syntax.TAG_VALUE,
    identify=_has_spdx_version_line,
    read=read_spdx_tv,
)
"""SPDX 2 tag-value, read line by line from the decoded text."""
