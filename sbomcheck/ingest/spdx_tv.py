"""Read SPDX 2.x tag-value documents with one linear pass over the lines.

spdx-tools' tag-value parser needs 11.6 s for 100 packages (it rebuilds the licence index
for every licence field), so this is a plain line reader: `Tag: value` lines and multi-line
`<text>...</text>` values are turned into the JSON shape (packages, files, relationships with
their `line N`) and built by the shared SPDX 2 builder. Tags that carry no identity
(annotations, verification codes, licence texts) are skipped.
"""

from __future__ import annotations

from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_common import Where, build_spdx2
from sbomcheck.model import Document, Format

__all__ = ["read_spdx_tv"]

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


def read_spdx_tv(text: str, ctx: ReadContext) -> Document:  # noqa: C901, PLR0912, PLR0915
    """Read an SPDX 2 tag-value document; locations and `Component.line` are line numbers.

    Raises `IngestError` (`line 40`) on a line that cannot be read without losing an
    identity or an edge: a malformed Relationship, ExternalRef or checksum, an unterminated
    `<text>`.
    """
    doc: dict[str, Any] = {}
    creation: dict[str, Any] = {}
    creators: list[str] = []
    packages: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    ext_docs: list[dict[str, Any]] = []
    p_locs: list[str] = []
    p_lines: list[int | None] = []
    f_locs: list[str] = []
    f_lines: list[int | None] = []
    r_locs: list[str] = []
    owners: list[dict[str, Any] | None] = []
    extra_refs: list[str] = []
    doc_locs: dict[str, str] = {}
    not_tag_value: list[int] = []

    kind = _DOC
    cur: dict[str, Any] = doc
    package: dict[str, Any] | None = None
    last_ref: dict[str, Any] | None = None
    last_rel: dict[str, Any] | None = None
    pending: str | None = None
    pending_line = 0
    buf: list[str] = []

    def fail(message: str, lineno: int) -> IngestError:
        return IngestError(message, source=ctx.key, location=f"line {lineno}")

    def repeated(tag: str, lineno: int, section: int) -> IngestError:
        # NOTE: readers disagree on which value of a repeated single-valued tag counts, and
        # a finding could hide in the one not read: refused, like a repeated JSON key.
        return fail(
            f"{tag} appears twice in one {_SECTIONS[section]}; it may appear once, so sbomcheck "
            "refuses the document rather than guess which value counts",
            lineno,
        )

    for idx, line in enumerate(text.split("\n")):
        if pending is not None:
            end = line.find("</text>")
            if end < 0:
                buf.append(line.rstrip("\r"))
                continue
            buf.append(line[:end])
            tag, value, lineno = pending, "\n".join(buf), pending_line
            pending = None
        else:
            stripped = line.strip()
            if not stripped or stripped[0] == "#":
                continue
            tag, colon, value = stripped.partition(":")
            lineno = idx + 1
            if not colon:
                not_tag_value.append(lineno)
                continue
            tag = tag.rstrip()
            value = value.strip()
            if value.startswith("<text>"):
                end = value.find("</text>", 6)
                if end < 0:
                    pending, pending_line, buf = tag, lineno, [value[6:]]
                    continue
                value = value[6:end]

        if tag == "PackageName":
            cur = package = {"name": value}
            kind = _PACKAGE
            packages.append(cur)
            p_locs.append(f"line {lineno}")
            p_lines.append(lineno)
            last_ref = None
        elif tag == "FileName":
            cur = {"fileName": value}
            kind = _FILE
            files.append(cur)
            f_locs.append(f"line {lineno}")
            f_lines.append(lineno)
            owners.append(package)
        elif tag == "SPDXID":
            if kind == _OTHER:
                continue
            if "SPDXID" in cur:
                raise repeated(tag, lineno, kind)
            cur["SPDXID"] = value
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) != 3:
                raise fail(
                    "Relationship must be 'SPDXRef-A TYPE SPDXRef-B', got " + repr(value), lineno
                )
            last_rel = {
                "spdxElementId": parts[0],
                "relationshipType": parts[1],
                "relatedSpdxElement": parts[2],
            }
            relationships.append(last_rel)
            r_locs.append(f"line {lineno}")
        elif tag == "RelationshipComment":
            if last_rel is not None:
                if "comment" in last_rel:
                    raise fail("RelationshipComment appears twice for one Relationship", lineno)
                last_rel["comment"] = value
        elif kind == _PACKAGE:
            key = _PACKAGE_FIELDS.get(tag)
            if key is not None:
                if key in cur:
                    raise repeated(tag, lineno, kind)
                cur[key] = value
            elif tag == "PackageChecksum":
                cur.setdefault("checksums", []).append(_checksum(value, lineno, fail))
            elif tag == "ExternalRef":
                parts = value.split(None, 2)
                if len(parts) != 3:
                    raise fail(
                        "ExternalRef must be 'CATEGORY TYPE LOCATOR', got " + repr(value), lineno
                    )
                last_ref = {
                    "referenceCategory": parts[0],
                    "referenceType": parts[1],
                    "referenceLocator": parts[2],
                }
                cur.setdefault("externalRefs", []).append(last_ref)
            elif tag == "ExternalRefComment":
                if last_ref is not None:
                    if "comment" in last_ref:
                        raise fail("ExternalRefComment appears twice for one ExternalRef", lineno)
                    last_ref["comment"] = value
            elif tag == "PackageLicenseInfoFromFiles":
                cur.setdefault("licenseInfoFromFiles", []).append(value)
        elif kind == _FILE:
            key = _FILE_FIELDS.get(tag)
            if key is not None:
                if key in cur:
                    raise repeated(tag, lineno, kind)
                cur[key] = value
            elif tag == "FileChecksum":
                cur.setdefault("checksums", []).append(_checksum(value, lineno, fail))
            elif tag == "LicenseInfoInFile":
                cur.setdefault("licenseInfoInFiles", []).append(value)

        # Tags that open or belong to no package/file, whatever section we are in.
        if tag in _DOCUMENT_FIELDS:
            if _DOCUMENT_FIELDS[tag] in doc:
                raise repeated(tag, lineno, _DOC)
            doc[_DOCUMENT_FIELDS[tag]] = value
            doc_locs[_DOCUMENT_FIELDS[tag]] = f"line {lineno}"
        elif tag == "Creator":
            doc_locs[f"creationInfo.creators[{len(creators)}]"] = f"line {lineno}"
            creators.append(value)
        elif tag == "Created":
            if "created" in creation:
                raise repeated(tag, lineno, _DOC)
            creation["created"] = value
            doc_locs["creationInfo.created"] = f"line {lineno}"
        elif tag == "ExternalDocumentRef":
            doc_locs[f"externalDocumentRefs[{len(ext_docs)}]"] = f"line {lineno}"
            ext_docs.append(_external_document_ref(value, lineno, fail))
        elif tag == "SnippetSPDXID":
            kind, cur = _OTHER, {}
            extra_refs.append(value)
        elif tag == "LicenseID":
            kind, cur = _OTHER, {}

    if pending is not None:
        raise fail("<text> is never closed by </text>", pending_line)
    if not doc.get("spdxVersion"):
        raise IngestError("no SPDXVersion line", source=ctx.key, location="line 1")
    for lineno in not_tag_value[:1]:
        more = f" and {len(not_tag_value) - 1} more" if len(not_tag_value) > 1 else ""
        ctx.warn("lenient-value", "line is not 'Tag: value'; skipped", f"line {lineno}{more}")

    # NOTE: SPDX 2 tag-value: files that follow a package belong to it (spec clause 5,
    # "Relationships" / hasFiles); they get an implicit CONTAINS like JSON's hasFiles.
    for f, owner in zip(files, owners, strict=True):
        if owner is not None and f.get("SPDXID"):
            owner.setdefault("hasFiles", []).append(f["SPDXID"])
    if creators or creation:
        creation["creators"] = creators
        doc["creationInfo"] = creation
    doc["packages"] = packages
    doc["files"] = files
    doc["relationships"] = relationships
    if ext_docs:
        doc["externalDocumentRefs"] = ext_docs
    where = Where(
        sep=" ",
        package_locations=p_locs,
        package_lines=p_lines,
        file_locations=f_locs,
        file_lines=f_lines,
        relationship_locations=r_locs,
        extra_document_refs=extra_refs,
        document_locations=doc_locs,
    )
    return build_spdx2(doc, ctx, Format.SPDX_TV, where)


def _checksum(value: str, lineno: int, fail: Any) -> dict[str, str]:
    alg, colon, hexval = value.partition(":")
    if not colon or not alg.strip() or not hexval.strip():
        raise fail(f"checksum must be 'ALGORITHM: value', got {value!r}", lineno)
    return {"algorithm": alg.strip(), "checksumValue": hexval.strip()}


def _external_document_ref(value: str, lineno: int, fail: Any) -> dict[str, Any]:
    parts = value.split(None, 2)
    if len(parts) < 2:
        raise fail(
            f"ExternalDocumentRef must be 'DocumentRef-X URI SHA1: value', got {value!r}", lineno
        )
    out: dict[str, Any] = {"externalDocumentId": parts[0], "spdxDocument": parts[1]}
    if len(parts) == 3:
        out["checksum"] = _checksum(parts[2], lineno, fail)
    return out
