"""CycloneDX XML read while lxml parses it, so the whole tree is never held.

`ingest.detect` hands a CycloneDX XML document here (`STREAMED_READER`) when its first bytes
show a CycloneDX `bom` root, no DTD and UTF-8. The bytes are fed to lxml in pieces
(`_xml.pull_parser`, the settings of `parse_xml`); after each piece the reader reads the
children of `<bom>` that are complete, with the methods of `cyclonedx_xml._XmlReader`, and
removes them from the tree. `<components>` and `<dependencies>`, the bulk of a large BOM, are
read child by child as they complete. Peak memory is the bytes and the model, not the bytes,
lxml's tree and the model (docs/performance.md, "CycloneDX XML reader (2026-12-08)").

An optimisation only: the tree reader stays the authority. Whatever the stream does not read
as the tree reader would (sections in another order than the tree reader reads them, a
section written twice, a DTD, any error of the parse or of the reader) makes it start again
with `parse_xml` and the tree reader, with the warnings issued so far withdrawn, so the
Document or the error is the tree reader's (tests/ingest/test_cdx_xml_stream.py).
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._cdx_common import BomMetadata
from sbomcheck.ingest._cdx_xml_names import FOREIGN, is_cyclonedx_bom
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._xml import has_dtd, parse_xml, pull_parser
from sbomcheck.ingest.cyclonedx_xml import _XmlReader, read_cyclonedx_xml
from sbomcheck.ingest.interface import Reader, Syntax
from sbomcheck.model import Composition, Document, Format

__all__ = ["STREAMED_READER", "read_streamed", "streams"]

CHUNK = 64 * 1024
"""Bytes fed to the parser at a time: 64 KB measured as fast as 16 KB and 256 KB (about 50
components of the benchmark file), with a tree of no more than a few pieces held."""

_ROOT_WITHIN = 64 * 1024
"""Bytes within which the root element must start for the document to be streamed."""

_PEEK = 4096
"""Bytes searched for an XML declaration naming the encoding."""

# The order in which the tree reader reads the sections of <bom>; the stream reads them in
# document order, so it streams only documents that write them in this order.
_SECTION_RANK = {
    local: rank
    for rank, local in enumerate(
        ("metadata", "components", "services", "externalReferences", "dependencies", "compositions")
    )
}

# `<?xml ... encoding="..."?>`: a document in another encoding than UTF-8 is parsed whole.
_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


class _Declined(Exception):
    """The stream cannot read this document as the tree reader would; the tree reader reads it."""


def streams(data: bytes, ctx: ReadContext) -> bool:
    """True for a document worth streaming: UTF-8 bytes (no byte-order mark) whose root, a
    CycloneDX `bom`, starts within the first 64 KB, with no DTD before it. Anything else,
    broken or not, goes to `parse_xml` and the readers as ever."""
    from lxml import etree  # NOTE: lxml loads only for XML

    if b"\0" in data[:4]:
        return False  # NOTE: UTF-16 or UTF-32 without a byte-order mark
    match = _ENCODING.match(data, 0, _PEEK)
    if match is not None and match.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    try:
        root, _ = _first_root(pull_parser("{*}bom"), data)
        return root is not None and is_cyclonedx_bom(root, ctx)
    except (etree.LxmlError, IngestError):
        return False  # NOTE: reported by the tree reader, after the whole parse as ever


def _first_root(parser: Any, data: bytes) -> tuple[Any, int]:
    """The root element, fed to `parser` piece by piece until it starts, if it is a `bom`
    starting within 64 KB with no DTD before it, else None; and the bytes fed."""
    fed = 0
    root = None
    while root is None and fed < min(len(data), _ROOT_WITHIN):
        parser.feed(data[fed : fed + CHUNK])
        fed += CHUNK
        root = next((el for _, el in parser.read_events()), None)
    if root is None or root.getparent() is not None or has_dtd(root):
        return None, fed
    return root, fed


def read_streamed(data: bytes, ctx: ReadContext) -> Document:
    """The Document of the CycloneDX XML bytes `data` (root checked by `streams`),
    equal to the tree reader's; raises what the tree reader raises."""
    from lxml import etree  # NOTE: lxml loads only for XML

    mark = len(ctx.warnings)
    try:
        return _StreamReader(data, ctx).read()
    except (_Declined, IngestError, etree.LxmlError):
        del ctx.warnings[mark:]
    # NOTE: read again, whole: the error (or Document) is then the tree reader's, in the
    # order it finds them (a syntax error anywhere before any reader error).
    return read_cyclonedx_xml(parse_xml(data, ctx), ctx)


STREAMED_READER = Reader(
    format=Format.CYCLONEDX_XML,
    syntax=Syntax.XML,
    identify=is_cyclonedx_bom,
    read=read_streamed,
)
"""CycloneDX XML, read from the bytes while they are parsed; not in `detect.READERS`:
chosen before the parse, by `streams`."""


class _StreamReader(_XmlReader):
    """The tree reader, fed the sections of <bom> one by one as the parse completes them."""

    __slots__ = (
        "classified",
        "compositions_read",
        "current",
        "data",
        "fed",
        "last_rank",
        "meta",
        "n",
        "parser",
        "root_foreign",
        "seen",
    )

    def __init__(self, data: bytes, ctx: ReadContext) -> None:
        self.data = data
        self.parser = pull_parser("{*}bom")
        root, self.fed = _first_root(self.parser, data)
        if root is None:
            raise _Declined
        super().__init__(root, ctx)
        self.meta = BomMetadata()
        self.compositions_read: tuple[Composition, ...] = ()
        # The root's child being read: whether it was looked at, its local name (None: not
        # read), and how many of its components or dependencies were read so far.
        self.classified = False
        self.current: str | None = None
        self.n = 0
        self.last_rank = -1
        self.seen: set[str] = set()
        # NOTE: the tree reader notes foreign elements among <bom>'s children before reading
        # any section; kept apart and put first when reported.
        self.root_foreign: dict[str, tuple[int, int, str]] = {}

    def read(self) -> Document:
        serial, version = self.header()
        parser = self.parser
        data = self.data
        for start in range(self.fed, len(data), CHUNK):
            parser.feed(data[start : start + CHUNK])
            self.drain(final=False)
        parser.close()
        if has_dtd(self.root):
            raise _Declined
        self.drain(final=True)
        self.foreign = _merged(self.root_foreign, self.foreign)
        return self.document(serial, version, self.meta, self.compositions_read)

    def drain(self, final: bool) -> None:
        """Read what the parse has completed of <bom>'s children, and drop it from the tree."""
        for _ in self.parser.read_events():
            pass  # NOTE: a nested <bom>; dropped, or the events would keep their elements
        root = self.root
        while len(root):
            child = root[0]
            done = final or len(root) > 1
            if not self.classified:
                self.current = self.classify(child)
                self.classified = True
            local = self.current
            if local == "components":
                self.n = self.components_done(child, done)
            elif local == "dependencies":
                self.n = self.dependencies_done(child, done)
            elif done:
                self.section(local, child)
            else:
                # NOTE: a section read whole is held until complete; anything else is dropped
                # as it comes, since nothing in it is read.
                if local is None and len(child) > 1:
                    del child[: len(child) - 1]
                return
            if not done:
                return
            del root[0]
            self.classified = False
            self.n = 0

    def classify(self, child: Any) -> str | None:
        """The local name of a child of <bom> just started (None: not read), checked as the
        tree reader's `singletons` would, in the order the tree reader reads."""
        local = self.names[child.tag]
        if local is None:
            return None
        if local is FOREIGN:
            # NOTE: `not_read` notes into `self.foreign`; pointed at the root's notes for it.
            self.foreign, kept = self.root_foreign, self.foreign
            self.not_read(child, "/bom")
            self.foreign = kept
            return None
        if local in self.seen:
            raise _Declined  # NOTE: written twice; the tree reader names the place
        self.seen.add(local)
        rank = _SECTION_RANK.get(local)
        if rank is None:
            return None
        if rank < self.last_rank:
            raise _Declined  # NOTE: read in another order by the tree reader
        self.last_rank = rank
        return local

    def components_done(self, el: Any, done: bool) -> int:
        """Read the complete children of /bom/components; the count of components read."""
        n = self.n
        upto = len(el) if done else len(el) - 1
        if upto > 0:
            for child in islice(el, upto):
                n = self.component_entry(child, "/bom/components", n, None, False)
            del el[:upto]
        return n

    def dependencies_done(self, el: Any, done: bool) -> int:
        """Read the complete children of /bom/dependencies; the count of dependencies read."""
        n = self.n
        upto = len(el) if done else len(el) - 1
        if upto > 0:
            for child in islice(el, upto):
                n = self.dependency_entry(child, n)
            del el[:upto]
        return n

    def section(self, local: str | None, el: Any) -> None:
        """A complete section read whole, as `_XmlReader.body` reads it."""
        if local == "metadata":
            self.metadata(el, self.meta)
        elif local == "services":
            self.service_list(el, "/bom/services", None)
        elif local == "externalReferences":
            self.ext_refs(el, "/bom/externalReferences", None)
        elif local == "compositions":
            self.compositions_read = self.compositions(el)


def _merged(
    first: dict[str, tuple[int, int, str]], then: dict[str, tuple[int, int, str]]
) -> dict[str, tuple[int, int, str]]:
    """Foreign-element notes of two passes as one pass over both would make them."""
    out = dict(first)
    for ns, (count, line, place) in then.items():
        before = out.get(ns)
        out[ns] = (count, line, place) if before is None else (before[0] + count, *before[1:])
    return out
