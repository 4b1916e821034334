"""Where a finding's component is written in its SBOM file: line and column, for outputs
that point into the file (SARIF for GitHub code scanning keys an alert by rule, file and
line, so every finding needs its own line).

The readers keep a line only where their parser gives one for free (tag-value, XML); JSON
parsers give none. Rather than make every read pay for positions, they are found after the
scan, only for the findings, by a targeted scan of the document's bytes:

- JSON (CycloneDX, SPDX 2, SPDX 3): the one member `"bom-ref"` / `"SPDXID"` /
  `"spdxId"` / `"@id"` whose (unescaped) value is the component's ref, then back to the `{`
  of the object holding it; for a synthetic ref (no bom-ref) or a ref written more than
  once, the object at the component's JSON path (`components[2].components[0]`).
- YAML: the item at the component's path (`packages[3]`), by the dashes of the sequence.
- XML: the start tag carrying the ref (CycloneDX `bom-ref="..."`, SPDX `<SPDXID>` inside
  `<packages>`/`<files>`, RDF `rdf:about`/`rdf:nodeID`), checked against the line the
  reader recorded; otherwise that line without a column.
- Tag-value: the line the reader recorded (`PackageName:`), column 1.

Anything ambiguous gives no position (the caller falls back to line 1), never a wrong one.
Lines are 1-based and counted by line feeds; columns are 1-based in UTF-16 code units
(SARIF's `utf16CodeUnits`). The bytes are re-read from the input and must hash to the
digest recorded when the document was read, or the document gets no positions.

Over 500 lines on purpose: one small search per syntax (JSON, YAML, XML, tag-value) sharing
the offset-to-line arithmetic and the digest check; kept together, they keep one promise
(never a wrong position) in one place.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sbomcheck.model import Format

if TYPE_CHECKING:
    from sbomcheck.findings import Finding
    from sbomcheck.ingest.sources import Source

__all__ = [
    "Declared",
    "Position",
    "Scanned",
    "ScannedDocument",
    "locate",
    "locate_findings",
    "source_reader",
]

_MAX_BYTES = 2 * 1024**3
"""Largest document looked at (the readers' own limit, `ReadLimits.max_bytes`)."""
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a component's declaration starts: 1-based line, and 1-based column in UTF-16
    code units where known."""

    line: int
    column: int | None = None


class Declared(Protocol):
    """What identifies a component's declaration: a `Component` or a `Declared`."""

    @property
    def ref(self) -> str:
        """The bom-ref, SPDXID or spdxId as written (or the path, when synthetic)."""

    @property
    def location(self) -> str:
        """The reader's path into the document (`components[2]`, `packages[3]`)."""

    @property
    def line(self) -> int | None:
        """The line the reader recorded, if any."""


class Scanned(Protocol):
    """What tells a document's bytes: a `Document`, or a `ScannedDocument` made from a
    report's list of documents."""

    @property
    def key(self) -> str:
        """The key its components name (`Component.document`)."""

    @property
    def format(self) -> Format:
        """Its serialisation."""

    @property
    def sha256(self) -> str:
        """Of its bytes as given (gzip included)."""


@dataclass(frozen=True, slots=True)
class ScannedDocument:
    """A document known from a report (`DocumentSummary`: its path is the key), for
    `locate_findings` after the `Document` itself is gone (`audit`'s workers kept theirs)."""

    key: str
    format: Format
    sha256: str


# ----- entry points -----------------------------------------------------------------------


def locate_findings(
    findings: Sequence[Finding],
    documents: Sequence[Scanned],
    read: Callable[[str], bytes | None],
) -> dict[str, Position]:
    """Positions of the findings' components, by finding id.

    `read(key)` returns the bytes of the document with that key as they were given (gzip
    included), or None. A document whose bytes cannot be read, or no longer hash to the
    digest taken when it was read, contributes no positions.
    """
    by_key = {d.key: d for d in documents}
    wanted: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.component.document in by_key:
            wanted.setdefault(finding.component.document, []).append(finding)
    out: dict[str, Position] = {}
    for key, group in wanted.items():
        doc = by_key[key]
        data = _verified(read(key), doc.sha256)
        if data is None:
            continue
        found = locate(data, doc.format, [f.component for f in group])
        for finding, position in zip(group, found, strict=True):
            if position is not None:
                out[finding.id] = position
    return out


def locate(data: bytes, fmt: Format, components: Sequence[Declared]) -> list[Position | None]:
    """The position of each component in `data` (the document's bytes, gzip undone), in
    order; None where it cannot be told for certain."""
    if not components:
        return []
    if fmt in (Format.CYCLONEDX_XML, Format.SPDX_XML, Format.SPDX_RDF):
        return _XmlLocator(data, fmt).locate(components)
    if fmt is Format.SPDX_TV:
        return [Position(c.line, 1) if c.line else None for c in components]
    utf8 = _utf8(data)
    if utf8 is None:
        return [None] * len(components)
    if fmt is Format.SPDX_YAML:
        return _locate_yaml(utf8, components)
    return _locate_json(utf8, fmt, components)


def source_reader(sources: Iterable[Source]) -> Callable[[str], bytes | None]:
    """`read` for `locate_findings` from the sources a bundle was read from: files are read
    again, archive members re-extracted (same limits), standard input taken from memory."""
    from sbomcheck.ingest.sources import Source, with_contents

    by_key = {s.key: s for s in sources}

    def read(key: str) -> bytes | None:
        source = by_key.get(key)
        if source is None:
            return None
        # NOTE: the whole (one-item) iteration, so the archive it opens is closed at once.
        (got,) = with_contents([source])
        return got.data if isinstance(got, Source) else None

    return read


# ----- bytes and text ---------------------------------------------------------------------


def _verified(data: bytes | None, sha256: str) -> bytes | None:
    """The document's bytes with gzip undone, if they are still what was scanned."""
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        return None
    if data[:2] != _GZIP_MAGIC:
        return data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, _MAX_BYTES + 1)
    except zlib.error:
        return None
    return out if len(out) <= _MAX_BYTES and d.eof else None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes) -> str | None:
    """The text as the readers decode it (UTF-8, or UTF-16/32 with a byte-order mark);
    the byte-order mark is not part of the text, so it takes no column."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units (characters beyond the BMP count twice)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


def _byte_positions(data: bytes, offsets: Iterable[int]) -> dict[int, Position]:
    """(line, column) of each offset into UTF-8 text, counting line feeds and columns once
    over the data (a minified document is one long line)."""
    out: dict[int, Position] = {}
    line, line_start, last, column = 1, 0, 0, 1
    for offset in sorted(set(offsets)):
        start = data.rfind(b"\n", last, offset) + 1
        if start > line_start:
            line += data.count(b"\n", last, start)
            line_start, last, column = start, start, 1
        chunk = data[last:offset]
        column += len(chunk) if chunk.isascii() else _utf16_len(chunk.decode("utf-8", "replace"))
        last = offset
        out[offset] = Position(line, column)
    return out


# ----- JSON -------------------------------------------------------------------------------

_ID_KEYS = {
    Format.CYCLONEDX_JSON: ("bom-ref",),
    Format.SPDX_JSON: ("SPDXID",),
    Format.SPDX3_JSONLD: ("spdxId", "@id"),
}
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_ESCAPED_STRING = rb'"[^"\\]*\\(?:\\.|[^"\\])*"'
_JSON_TOKEN = re.compile(_STRING + rb'|[{}\[\]:,]|[^\s{}\[\]:,"]+')
_JSON_SKIP = re.compile(_STRING + rb"|[{}\[\]]")
_MAX_ALTERNATIVES = 1_000
"""Refs searched for by name in one pattern; beyond, every member is decoded instead."""
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS, _CLOSERS = frozenset(b"{["), frozenset(b"}]")


def _utf8(data: bytes) -> bytes | None:
    """The document as UTF-8 without a byte-order mark (UTF-16 and UTF-32 re-encoded)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data)
        return text.encode("utf-8") if text is not None else None
    return data


def _locate_json(data: bytes, fmt: Format, components: Sequence[Declared]) -> list[Position | None]:
    offsets: list[int | None] = [None] * len(components)
    by_ref = _id_members(data, _ID_KEYS.get(fmt, ()), {c.ref for c in components})
    for i, comp in enumerate(components):
        # NOTE: a synthetic ref is the component's own path; a real bom-ref that happens
        # to read like a path must not be taken for it, so paths go first for those.
        if comp.ref == comp.location:
            continue
        keys = by_ref.get(comp.ref)
        if keys is not None and len(keys) == 1:
            offsets[i] = _object_start(data, keys[0])
    # NOTE: an empty path would be the document itself, never a component.
    missing = {
        c.location for c, o in zip(components, offsets, strict=True) if o is None and c.location
    }
    if missing:
        by_path = _json_paths(data, missing)
        for i, comp in enumerate(components):
            if offsets[i] is None and comp.location:
                offsets[i] = by_path.get(comp.location)
    where = _byte_positions(data, (o for o in offsets if o is not None))
    return [where[o] if o is not None else None for o in offsets]


def _id_members(data: bytes, keys: Sequence[str], refs: set[str]) -> dict[str, list[int]]:
    """For each ref in `refs`: the offsets of every member `"key": "ref"` (key one of
    `keys`, the value as written or with escapes), at the key's opening quote."""
    if not keys:
        return {}
    head = b'"(?:' + b"|".join(re.escape(k.encode()) for k in keys) + rb')"\s*:\s*'
    # NOTE: a value written without escapes is matched by name in one pass, so the scan
    # stays in the regex engine; values with an escape (rare) are decoded one by one.
    plain = [r for r in refs if r.isprintable() and '"' not in r and "\\" not in r]
    if len(plain) > _MAX_ALTERNATIVES:
        patterns = [re.compile(head + b"(" + _STRING + b")")]
    else:
        names = b"|".join(re.escape(r.encode()) for r in sorted(plain))
        patterns = [re.compile(head + b"(" + _ESCAPED_STRING + b")")]
        if names:
            patterns.append(re.compile(head + b'("(?:' + names + b')")'))
    found: dict[str, list[int]] = {}
    for pattern in patterns:
        for m in pattern.finditer(data):
            if _escaped(data, m.start()):
                continue  # NOTE: `\"bom-ref"` is inside a string, not a member
            value = _json_string(m.group(1))
            if value is not None and value in refs:
                found.setdefault(value, []).append(m.start())
    return found


def _json_string(raw: bytes) -> str | None:
    """The value of a JSON string token (quotes included)."""
    if b"\\" not in raw:
        return raw[1:-1].decode("utf-8", "replace")
    import json

    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _escaped(data: bytes, quote: int) -> bool:
    """True when the character at `quote` is preceded by an odd run of backslashes."""
    n = 0
    i = quote - 1
    while i >= 0 and data[i] == _BACKSLASH:
        n += 1
        i -= 1
    return n % 2 == 1


def _object_start(data: bytes, key: int) -> int | None:
    """The `{` of the object that has a member whose key starts at `key`.

    Walks back over the members before it; outside strings a quote always closes a
    string, whose opening quote is the previous unescaped one, so brackets inside strings
    are never counted."""
    depth = 0
    i = key - 1
    while i >= 0:
        ch = data[i]
        if ch == _QUOTE:
            j = i
            while True:
                j = data.rfind(b'"', 0, j)
                if j < 0:
                    return None
                if not _escaped(data, j):
                    break
            i = j
        elif ch in _CLOSERS:
            depth += 1
        elif ch in _OPENERS:
            if depth == 0:
                return i if ch == ord("{") else None
            depth -= 1
        i -= 1
    return None


def _json_paths(data: bytes, wanted: set[str]) -> dict[str, int]:
    """The offset of the `{` of each object whose reader path (`components[2].components[0]`,
    `packages[3]`, `@graph[7]`, `$`) is in `wanted`.

    Descends only into containers on the way to a wanted path and skips the others; a
    repeated key is walked each time, so the last one wins, as in the parsers."""
    prefixes = {p[:i] for p in wanted for i, ch in enumerate(p) if ch in ".["}
    root = "$" if any(p == "$" or p.startswith("$.") for p in wanted) else ""
    prefixes.add(root)
    found: dict[str, int] = {}
    # NOTE: an explicit stack (documents nest up to 1,024 levels); a frame is a container
    # being walked: its path, whether it is an object, and the index of its current item.
    stack: list[tuple[str, bool, int]] = []
    # NOTE: the path of the value that comes next; None where a key, a comma or a
    # closing bracket does.
    pending: str | None = root
    pos = 0
    while (m := _JSON_TOKEN.search(data, pos)) is not None:
        token = m.group()
        pos = m.end()
        if token == b":":
            continue
        if token == b",":
            path, is_object, index = stack[-1]
            if not is_object:
                stack[-1] = (path, False, index + 1)
                pending = f"{path}[{index + 1}]"
            continue
        if token in (b"}", b"]"):
            stack.pop()
        elif pending is None:
            name = _json_string(token)
            if name is None:
                return found
            parent = stack[-1][0]
            pending = f"{parent}.{name}" if parent else name
            continue
        elif token in (b"{", b"["):
            if token == b"{" and pending in wanted:
                found[pending] = m.start()
            if pending in prefixes:
                stack.append((pending, token == b"{", 0))
                pending = f"{pending}[0]" if token == b"[" else None
                continue
            pos = _skip_container(data, pos)
        pending = None
        if not stack:
            return found
    return found


def _skip_container(data: bytes, pos: int) -> int:
    """The offset just after the container whose opening bracket ends at `pos`."""
    depth = 1
    for m in _JSON_SKIP.finditer(data, pos):
        token = m.group()
        if token in (b"{", b"["):
            depth += 1
        elif token in (b"}", b"]"):
            depth -= 1
            if depth == 0:
                return m.end()
    return len(data)


# ----- YAML -------------------------------------------------------------------------------

_YAML_LIST = re.compile(rb"(packages|files)\[(\d+)\]")
_YAML_BLANK = re.compile(rb"[ ]*(?:#[^\n]*)?\r?(?:\n|$)")


def _locate_yaml(data: bytes, components: Sequence[Declared]) -> list[Position | None]:
    """SPDX YAML lists its packages and files in two top-level block sequences; a component's
    path (`packages[3]`) is the item at that index. The items are found by their dashes (all
    at one indentation, which scalars inside the items cannot reach), without parsing the
    whole document, which PyYAML does at a tenth of the readers' speed."""
    items: dict[bytes, list[int] | None] = {}
    offsets: list[int | None] = []
    for comp in components:
        m = _YAML_LIST.fullmatch(comp.location.encode())
        if m is None:
            offsets.append(None)
            continue
        if m.group(1) not in items:
            items[m.group(1)] = _yaml_items(data, m.group(1))
        starts = items[m.group(1)]
        index = int(m.group(2))
        offsets.append(starts[index] if starts is not None and index < len(starts) else None)
    where = _byte_positions(data, (o for o in offsets if o is not None))
    return [where[o] if o is not None else None for o in offsets]


def _yaml_items(data: bytes, key: bytes) -> list[int] | None:
    """Where the content of each item of the top-level block sequence `key:` starts, or
    None when the document does not write it so (flow style, anchors, indented root)."""
    name = re.escape(key)
    head = rb"(?:" + name + rb"|\"" + name + rb"\"|'" + name + rb"')[ ]*:[ ]*(?:#[^\n]*)?\r?(?=\n)"
    # NOTE: a line feed first, for the regex engine's fast literal search (see below).
    heads = [m for m in [re.compile(head).match(data)] if m is not None]
    heads += re.compile(rb"\n" + head).finditer(data)
    if not heads:
        return None
    # NOTE: a repeated key: the last one wins, as when the reader loaded it.
    pos = heads[-1].end() + 1
    while pos < len(data) and (blank := _YAML_BLANK.match(data, pos)) and blank.end() > pos:
        pos = blank.end()
    first = re.compile(rb"([ ]*)-(?:[ ]|\r?$)").match(data, pos)
    if first is None:
        return None
    indent = len(first.group(1))
    # NOTE: the patterns start with a line feed, so the regex engine looks for it (and the
    # dash after the indentation) with its fast literal search instead of trying at every
    # byte; `pos - 1` is the line feed before the first item.
    end = re.compile(rb"\n(?![ ]{%d}-(?:[ ]|\r?\n))[ ]{0,%d}[^ \r\n#]" % (indent, indent)).search(
        data, pos - 1
    )
    stop = end.start() if end else len(data)
    item = re.compile(rb"\n[ ]{%d}-[ ]+(?=[^ \r\n#])" % indent)
    dash = re.compile(rb"\n[ ]{%d}-(?:[ ]|\r?\n)" % indent)
    starts = [m.end() for m in item.finditer(data, pos - 1, stop)]
    # NOTE: an item whose content starts on a later line is not told apart: give up.
    if len(starts) != sum(1 for _ in dash.finditer(data, pos - 1, stop)):
        return None
    return starts


# ----- XML --------------------------------------------------------------------------------

_START_TAG = re.compile(rb"<[^\s/>!?][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_ATTR_VALUE = rb"\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')"
_CDX_REF_ENCODED = re.compile(
    rb"bom-ref\s*=\s*(?:\"([^\"<]*[&\t\r\n][^\"<]*)\"|'([^'<]*[&\t\r\n][^'<]*)')"
)
_XML_SPACE = frozenset(b" \t\r\n")
_XML_PLAIN = frozenset("&<\"'\t\r\n")
_RDF_ID = re.compile(rb"\s(?:[\w.-]+:)?(about|nodeID)" + _ATTR_VALUE)
_SPDXID = re.compile(rb"<SPDXID>\s*([^<]*?)\s*</SPDXID>")
_SPDX_ELEMENT = re.compile(rb"<(packages|files)[\s>]")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class _XmlLocator:
    """Finds the start tag of each component by the ref it carries; the reader's line (the
    line on which that start tag ends, as libxml2 counts) decides between several and
    confirms a single one. The patterns are ASCII: a UTF-16 or UTF-32 document matches
    none of them and keeps the reader's lines."""

    def __init__(self, data: bytes, fmt: Format) -> None:
        self.data = data
        self.fmt = fmt

    def locate(self, components: Sequence[Declared]) -> list[Position | None]:
        refs = {c.ref for c in components}
        if self.fmt is Format.CYCLONEDX_XML:
            candidates = self._bom_ref_candidates(refs)
        elif self.fmt is Format.SPDX_XML:
            candidates = self._spdxid_candidates(refs)
        else:
            candidates = self._rdf_candidates(refs)
        ends = {s: e for starts in candidates.values() for s in starts if (e := self._tag_end(s))}
        lines = _byte_lines(self.data, (e - 1 for e in ends.values()))
        chosen: list[int | None] = []
        for comp in components:
            tags = [s for s in candidates.get(comp.ref, ()) if s in ends]
            if comp.line is not None:
                tags = [s for s in tags if lines[ends[s] - 1] == comp.line]
            chosen.append(tags[0] if len(tags) == 1 else None)
        where = self._positions(c for c in chosen if c is not None)
        return [
            where[c] if c is not None else (Position(comp.line) if comp.line else None)
            for comp, c in zip(components, chosen, strict=True)
        ]

    def _tag_end(self, start: int) -> int | None:
        m = _START_TAG.match(self.data, start)
        return m.end() if m else None

    def _positions(self, offsets: Iterable[int]) -> dict[int, Position]:
        offsets = sorted(set(offsets))
        lines = _byte_lines(self.data, offsets)
        out: dict[int, Position] = {}
        for offset in offsets:
            start = self.data.rfind(b"\n", 0, offset) + 1
            try:
                prefix = self.data[start:offset].decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:
                out[offset] = Position(lines[offset])
                continue
            out[offset] = Position(lines[offset], _utf16_len(prefix) + 1)
        return out

    def _tag_start(self, attribute: int) -> int | None:
        """The `<` of the start tag an attribute at `attribute` belongs to (attribute values
        cannot hold `<`), or None when the attribute is not inside a start tag."""
        lt = self.data.rfind(b"<", 0, attribute)
        end = self._tag_end(lt) if lt >= 0 else None
        return lt if end is not None and end > attribute else None

    def _bom_ref_candidates(self, refs: set[str]) -> dict[str, list[int]]:
        """Start tags by their `bom-ref`: values written as they are matched by name in one
        pass (the regex engine does the scan); values with an entity or a line end (rare)
        are decoded one by one."""
        plain = sorted(r for r in refs if r.isprintable() and not _XML_PLAIN & set(r))
        patterns = [_CDX_REF_ENCODED]
        if len(plain) > _MAX_ALTERNATIVES:
            patterns = [re.compile(rb"bom-ref" + _ATTR_VALUE)]
        elif plain:
            names = b"|".join(re.escape(r.encode()) for r in plain)
            named = rb"bom-ref\s*=\s*(?:\"(" + names + rb")\"|'(" + names + rb")')"
            patterns.append(re.compile(named))
        found: dict[str, list[int]] = {}
        for pattern in patterns:
            for m in pattern.finditer(self.data):
                if m.start() == 0 or self.data[m.start() - 1] not in _XML_SPACE:
                    continue  # NOTE: `data-bom-ref=`, not the attribute
                value = _xml_value(m.group(1) if m.group(1) is not None else m.group(2))
                if value in refs and (lt := self._tag_start(m.start())) is not None:
                    found.setdefault(value, []).append(lt)
        return found

    def _rdf_candidates(self, refs: set[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for m in _RDF_ID.finditer(self.data):
            value = _xml_value(m.group(2) if m.group(2) is not None else m.group(3))
            if value is None:
                continue
            # NOTE: the reader keeps only the fragment of an IRI in the document's own
            # namespace; the reader's line tells apart a fragment seen twice.
            nodeid = m.group(1) == b"nodeID"
            names = {f"_:{value}"} if nodeid else {value, value.rpartition("#")[2]}
            for name in names & refs:
                if (lt := self._tag_start(m.start())) is not None:
                    found.setdefault(name, []).append(lt)
        return found

    def _spdxid_candidates(self, refs: set[str]) -> dict[str, list[int]]:
        """`<packages>`/`<files>` start tags by the `<SPDXID>` they hold."""
        opened = [m.start() for m in _SPDX_ELEMENT.finditer(self.data)]
        found: dict[str, list[int]] = {}
        for m in _SPDXID.finditer(self.data):
            value = _xml_value(m.group(1), attribute=False)
            if value not in refs:
                continue
            i = bisect.bisect_left(opened, m.start()) - 1
            if i < 0:
                continue
            start = opened[i]
            name = _SPDX_ELEMENT.match(self.data, start)
            assert name is not None
            if self.data.find(b"</" + name.group(1), start, m.start()) >= 0:
                continue  # NOTE: that element closed before this SPDXID
            found.setdefault(value, []).append(start)
        return found


def _byte_lines(data: bytes, offsets: Iterable[int]) -> dict[int, int]:
    """The 1-based line of each offset (line feeds counted once over the data)."""
    out: dict[int, int] = {}
    line, counted = 1, 0
    for offset in sorted(set(offsets)):
        line += data.count(b"\n", counted, offset)
        counted = offset
        out[offset] = line
    return out


def _xml_value(raw: bytes | None, *, attribute: bool = True) -> str | None:
    """An attribute value or text as the parser reports it: entities replaced, and in
    attribute values tabs and line ends read as spaces."""
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if attribute:
        text = text.replace("\r\n", " ").translate(_ATTRIBUTE_WHITESPACE)
    try:
        return _ENTITY.sub(_entity, text)
    except (ValueError, OverflowError):
        return None


_ATTRIBUTE_WHITESPACE = str.maketrans("\t\r\n", "   ")


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _ENTITIES[name]
