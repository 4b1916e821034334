"""Read SPDX 2.x tag-value documents with one linear pass over the lines.

spdx-tools' tag-value parser needs 11.6 s for 100 packages (it rebuilds the licence index
for every licence field), so this is a plain line reader: `Tag: value` lines and multi-line
`<text>...</text>` values are turned into the JSON shape (packages, files, relationships with
their `line N`) and built by the shared SPDX 2 builder. Tags that carry no identity
(annotations, verification codes, licence texts) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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

    for tag, value, lineno in _entries(text, fail):
        if tag is None:
            not_tag_value.append(lineno)
            continue
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


_NON_SPACE = re.compile(r"\S")
_MAX_TRAILING_SPACE = 64
"""Trailing whitespace characters stepped over one by one before rstrip() is used."""


def _entries(
    text: str, fail: Callable[[str, int], IngestError]
) -> Iterator[tuple[str | None, str, int]]:
    """(tag, value, line number) per `Tag: value` line or `<text>` block, in order; tag is
    None for a line that is not `Tag: value` (blank lines and comments are left out).

    Values are stripped of surrounding whitespace; a `<text>` block spanning lines keeps its
    lines, each without a trailing carriage return, joined with newlines. A long line is
    taken apart by index, never split off: its value is the one copy made of its part of
    `text` (a 300 MB line costs 300 MB more, not four times that).
    """
    size = len(text)
    pos = 0
    lineno = 0
    while pos <= size:
        newline = text.find("\n", pos)
        end = size if newline < 0 else newline
        lineno += 1
        start, pos = pos, end + 1
        if end - start > _LONG_LINE:
            entry = _long_entry(text, start, end)
            if entry is None:
                continue
            tag, value, first_to_eol = entry
        else:
            line = text[start:end]
            stripped = line.strip()
            if not stripped or stripped[0] == "#":
                continue
            tag, colon, value = stripped.partition(":")
            if not colon:
                yield None, "", lineno
                continue
            tag = tag.rstrip()
            value = value.strip()
            if value.startswith("<text>"):
                close = value.find("</text>", 6)
                value = value[6:close] if close >= 0 else value
                first_to_eol = None if close >= 0 else not line[-1].isspace()
            else:
                first_to_eol = None
        if tag is None or first_to_eol is None:
            yield tag, value, lineno
            continue
        # A <text> block that goes on past this line; `value` is "<text>..." up to its end.
        close = text.find("</text>", end)
        if close < 0:
            raise fail("<text> is never closed by </text>", lineno)
        block = _text_block(text, value, 6, first_to_eol, end, close)
        first_line = lineno
        lineno += text.count("\n", end, close)
        # NOTE: what follows </text> on its line is not read, as before.
        newline = text.find("\n", close)
        pos = size + 1 if newline < 0 else newline + 1
        yield tag, block, first_line


_LONG_LINE = 4096
"""Lines longer than this are taken apart by index instead of by copies of the line."""


def _long_entry(text: str, start: int, end: int) -> tuple[str | None, str, bool | None] | None:
    """(tag, value, reaches the end of the line if it opens an unclosed `<text>` else None)
    for the line text[start:end]; (None, "", None) when it is not `Tag: value`; None for a
    blank or comment line. The value is the only copy of its part of the line."""
    first = _skip_space(text, start, end)
    if first == end or text[first] == "#":
        return None
    colon = text.find(":", first, end)
    if colon < 0:
        return None, "", None
    tag = text[first:colon].rstrip()
    vstart = _skip_space(text, colon + 1, end)
    vend = _trim_end(text, vstart, end)
    if not text.startswith("<text>", vstart, vend):
        return tag, text[vstart:vend], None
    close = text.find("</text>", vstart + 6, vend)
    if close >= 0:
        return tag, text[vstart + 6 : close], None
    return tag, text[vstart:vend], vend == end


def _skip_space(text: str, pos: int, stop: int) -> int:
    """Index of the first non-whitespace character in text[pos:stop], else stop."""
    found = _NON_SPACE.search(text, pos, stop)
    return found.start() if found else stop


def _trim_end(text: str, start: int, stop: int) -> int:
    """`stop` moved back over trailing whitespace (not before `start`), as rstrip() would."""
    for _ in range(_MAX_TRAILING_SPACE):
        if stop <= start or not text[stop - 1].isspace():
            return stop
        stop -= 1
    return start + len(text[start:stop].rstrip())


def _text_block(
    text: str, opening: str, skip: int, opening_to_eol: bool, newline: int, close: int
) -> str:
    """The value of a `<text>` block over several lines: `opening[skip:]` (the first line's
    value after `<text>`), then each line after `newline` up to `close`, without trailing
    carriage returns, joined with newlines."""
    first_len = len(opening) - skip
    if opening_to_eol and text.find("\r\n", newline, close) < 0:
        # The common case (no blanks after the first line's value, no CRLF): the block is
        # one stretch of the text: one slice, one copy.
        return text[newline - first_len : close]
    lines = text[newline + 1 : close].split("\n")
    rest = [*(ln.rstrip("\r") for ln in lines[:-1]), lines[-1]]
    return "\n".join([opening[skip:], *rest])


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
