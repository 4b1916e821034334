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


_DOCUMENT_TAGS = frozenset(
    {*_DOCUMENT_FIELDS, "Creator", "Created", "ExternalDocumentRef", "SnippetSPDXID", "LicenseID"}
)
"""Tags that open or belong to no package or file, whatever section they are met in."""


def read_spdx_tv(text: str, ctx: ReadContext) -> Document:
    """Read an SPDX 2 tag-value document; locations and `Component.line` are line numbers.

    Raises `IngestError` (`line 40`) on a line that cannot be read without losing an
    identity or an edge: a malformed Relationship, ExternalRef or checksum, an unterminated
    `<text>`.
    """
    reader = _TagValueReader(ctx)
    reader.read_lines(text)
    return reader.build()


class _TagValueReader:
    """The document in the JSON shape of SPDX 2 as its lines are read, with the line each
    part was written on, and the section (document, package, file, other) the current line
    belongs to."""

    __slots__ = (
        "creation",
        "creators",
        "ctx",
        "cur",
        "doc",
        "doc_locs",
        "ext_docs",
        "extra_refs",
        "f_lines",
        "f_locs",
        "files",
        "kind",
        "last_ref",
        "last_rel",
        "not_tag_value",
        "owners",
        "p_lines",
        "p_locs",
        "package",
        "packages",
        "r_locs",
        "relationships",
    )

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.doc: dict[str, Any] = {}
        self.creation: dict[str, Any] = {}
        self.creators: list[str] = []
        self.packages: list[dict[str, Any]] = []
        self.files: list[dict[str, Any]] = []
        self.relationships: list[dict[str, Any]] = []
        self.ext_docs: list[dict[str, Any]] = []
        self.p_locs: list[str] = []
        self.p_lines: list[int | None] = []
        self.f_locs: list[str] = []
        self.f_lines: list[int | None] = []
        self.r_locs: list[str] = []
        self.owners: list[dict[str, Any] | None] = []
        """The package each file follows (None before the first package)."""
        self.extra_refs: list[str] = []
        self.doc_locs: dict[str, str] = {}
        self.not_tag_value: list[int] = []
        self.kind = _DOC
        self.cur: dict[str, Any] = self.doc
        """The package, file or document the current line's tags fill."""
        self.package: dict[str, Any] | None = None
        self.last_ref: dict[str, Any] | None = None
        self.last_rel: dict[str, Any] | None = None

    def fail(self, message: str, lineno: int) -> IngestError:
        return IngestError(message, source=self.ctx.key, location=f"line {lineno}")

    def repeated(self, tag: str, lineno: int, section: int) -> IngestError:
        # NOTE: readers disagree on which value of a repeated single-valued tag counts, and
        # a finding could hide in the one not read: refused, like a repeated JSON key.
        return self.fail(
            f"{tag} appears twice in one {_SECTIONS[section]}; it may appear once, so sbomcheck "
            "refuses the document rather than guess which value counts",
            lineno,
        )

    def read_lines(self, text: str) -> None:
        """Every `Tag: value` line (or `<text>` block), in order, to the section it is in."""
        for tag, value, lineno in _entries(text, self.fail):
            if tag is None:
                self.not_tag_value.append(lineno)
                continue
            if self.kind == _PACKAGE and (key := _PACKAGE_FIELDS.get(tag)) is not None:
                # NOTE: most lines are a package's single-valued fields: set here, without a
                # call per line.
                if key in self.cur:
                    raise self.repeated(tag, lineno, _PACKAGE)
                self.cur[key] = value
                continue
            if tag == "PackageName":
                self.open_package(value, lineno)
            elif tag == "FileName":
                self.open_file(value, lineno)
            elif tag == "SPDXID":
                if self.kind == _OTHER:
                    continue
                if "SPDXID" in self.cur:
                    raise self.repeated(tag, lineno, self.kind)
                self.cur["SPDXID"] = value
            elif tag == "Relationship" or tag == "RelationshipComment":
                self.relationship(tag, value, lineno)
            elif self.kind == _PACKAGE:
                self.package_tag(tag, value, lineno)
            elif self.kind == _FILE:
                self.file_tag(tag, value, lineno)
            if tag in _DOCUMENT_TAGS:
                self.document_tag(tag, value, lineno)

    def open_package(self, name: str, lineno: int) -> None:
        self.cur = self.package = {"name": name}
        self.kind = _PACKAGE
        self.packages.append(self.cur)
        self.p_locs.append(f"line {lineno}")
        self.p_lines.append(lineno)
        self.last_ref = None

    def open_file(self, name: str, lineno: int) -> None:
        self.cur = {"fileName": name}
        self.kind = _FILE
        self.files.append(self.cur)
        self.f_locs.append(f"line {lineno}")
        self.f_lines.append(lineno)
        self.owners.append(self.package)

    def relationship(self, tag: str, value: str, lineno: int) -> None:
        if tag == "Relationship":
            parts = value.split()
            if len(parts) != 3:
                raise self.fail(
                    "Relationship must be 'SPDXRef-A TYPE SPDXRef-B', got " + repr(value), lineno
                )
            self.last_rel = {
                "spdxElementId": parts[0],
                "relationshipType": parts[1],
                "relatedSpdxElement": parts[2],
            }
            self.relationships.append(self.last_rel)
            self.r_locs.append(f"line {lineno}")
        elif self.last_rel is not None:
            if "comment" in self.last_rel:
                raise self.fail("RelationshipComment appears twice for one Relationship", lineno)
            self.last_rel["comment"] = value

    def package_tag(self, tag: str, value: str, lineno: int) -> None:
        """A package's tag other than its single-valued fields (`read_lines` sets those)."""
        cur = self.cur
        if tag == "PackageChecksum":
            cur.setdefault("checksums", []).append(_checksum(value, lineno, self.fail))
        elif tag == "ExternalRef":
            parts = value.split(None, 2)
            if len(parts) != 3:
                raise self.fail(
                    "ExternalRef must be 'CATEGORY TYPE LOCATOR', got " + repr(value), lineno
                )
            self.last_ref = {
                "referenceCategory": parts[0],
                "referenceType": parts[1],
                "referenceLocator": parts[2],
            }
            cur.setdefault("externalRefs", []).append(self.last_ref)
        elif tag == "ExternalRefComment":
            if self.last_ref is not None:
                if "comment" in self.last_ref:
                    raise self.fail("ExternalRefComment appears twice for one ExternalRef", lineno)
                self.last_ref["comment"] = value
        elif tag == "PackageLicenseInfoFromFiles":
            cur.setdefault("licenseInfoFromFiles", []).append(value)

    def file_tag(self, tag: str, value: str, lineno: int) -> None:
        cur = self.cur
        key = _FILE_FIELDS.get(tag)
        if key is not None:
            if key in cur:
                raise self.repeated(tag, lineno, _FILE)
            cur[key] = value
        elif tag == "FileChecksum":
            cur.setdefault("checksums", []).append(_checksum(value, lineno, self.fail))
        elif tag == "LicenseInfoInFile":
            cur.setdefault("licenseInfoInFiles", []).append(value)

    def document_tag(self, tag: str, value: str, lineno: int) -> None:
        """A tag of `_DOCUMENT_TAGS`: the document's own, or one that opens a section
        sbomcheck does not read (a snippet, a licence)."""
        doc, doc_locs = self.doc, self.doc_locs
        if tag in _DOCUMENT_FIELDS:
            if _DOCUMENT_FIELDS[tag] in doc:
                raise self.repeated(tag, lineno, _DOC)
            doc[_DOCUMENT_FIELDS[tag]] = value
            doc_locs[_DOCUMENT_FIELDS[tag]] = f"line {lineno}"
        elif tag == "Creator":
            doc_locs[f"creationInfo.creators[{len(self.creators)}]"] = f"line {lineno}"
            self.creators.append(value)
        elif tag == "Created":
            if "created" in self.creation:
                raise self.repeated(tag, lineno, _DOC)
            self.creation["created"] = value
            doc_locs["creationInfo.created"] = f"line {lineno}"
        elif tag == "ExternalDocumentRef":
            doc_locs[f"externalDocumentRefs[{len(self.ext_docs)}]"] = f"line {lineno}"
            self.ext_docs.append(_external_document_ref(value, lineno, self.fail))
        elif tag == "SnippetSPDXID":
            self.kind, self.cur = _OTHER, {}
            self.extra_refs.append(value)
        else:  # LicenseID
            self.kind, self.cur = _OTHER, {}

    def build(self) -> Document:
        """The document from what the lines gave, built by the shared SPDX 2 builder."""
        ctx, doc = self.ctx, self.doc
        if not doc.get("spdxVersion"):
            raise IngestError("no SPDXVersion line", source=ctx.key, location="line 1")
        not_tag_value = self.not_tag_value
        for lineno in not_tag_value[:1]:
            more = f" and {len(not_tag_value) - 1} more" if len(not_tag_value) > 1 else ""
            ctx.warn("lenient-value", "line is not 'Tag: value'; skipped", f"line {lineno}{more}")

        # NOTE: SPDX 2 tag-value: files that follow a package belong to it (spec clause 5,
        # "Relationships" / hasFiles); they get an implicit CONTAINS like JSON's hasFiles.
        for f, owner in zip(self.files, self.owners, strict=True):
            if owner is not None and f.get("SPDXID"):
                owner.setdefault("hasFiles", []).append(f["SPDXID"])
        if self.creators or self.creation:
            self.creation["creators"] = self.creators
            doc["creationInfo"] = self.creation
        doc["packages"] = self.packages
        doc["files"] = self.files
        doc["relationships"] = self.relationships
        if self.ext_docs:
            doc["externalDocumentRefs"] = self.ext_docs
        where = Where(
            sep=" ",
            package_locations=self.p_locs,
            package_lines=self.p_lines,
            file_locations=self.f_locs,
            file_lines=self.f_lines,
            relationship_locations=self.r_locs,
            extra_document_refs=self.extra_refs,
            document_locations=self.doc_locs,
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


def _has_spdx_version_line(text: str, ctx: ReadContext) -> bool:
    """An `SPDXVersion:` line among the first 200 lines."""
    # NOTE: the first 200 lines (as str.splitlines counts them) are looked at, and only
    # they are cut off: splitting the whole text would copy all of it (a 300 MB line would
    # cost 300 MB more).
    pos = 0
    for _ in range(200):
        brk = _LINE_BREAK.search(text, pos)
        stop = len(text) if brk is None else brk.start()
        if text.startswith("SPDXVersion:", _skip_space(text, pos, stop)):
            return True
        if brk is None:
            return False
        pos = brk.end()
    return False


# The line boundaries of str.splitlines.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

READER = Reader(
    format=Format.SPDX_TV,
    syntax=Syntax.TAG_VALUE,
    identify=_has_spdx_version_line,
    read=read_spdx_tv,
)
"""SPDX 2 tag-value, read line by line from the decoded text."""
