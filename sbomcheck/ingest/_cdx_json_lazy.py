"""The two-tier fast path for CycloneDX JSON: every component checked, few of them built.

msgspec first splits the document: each top-level component stays a raw slice of the input
(`msgspec.Raw`, no copy), everything else is decoded as `_cdx_json_typed` decodes it. Then
each top-level component is decoded into the typed Structs, which checks every JSON type in C
exactly as the typed path does, and either

- built at once by the typed reader, when anything in it raises a warning (an empty bom-ref,
  no name, a licence naming none), is read by the general reader's methods (swid, pedigree,
  evidence) or links to another SBOM (an external reference of type `bom`); so warnings and
  external references come in document order, as the general reader gives them; or
- reduced to columns (`model.ComponentColumns`: ref, parent, identity flags) and its raw
  slice; the Struct is dropped.

The Document's components are a `model.LazyComponents` over both: graph, structure checks
and completeness read the columns, the identity gate searches the raw slices
(`identify.gate.lazy_candidates`), and a component is built from its slice, by the typed
reader, only when something reads it (a candidate, a node on a path, a library user
iterating). Built, it equals what the typed reader gives. On the 100,000-component benchmark
the reader keeps the input and the columns instead of the parse plus the model
(docs/performance.md, "Two tiers").

Repeated keys are refused as elsewhere (ingest/_json.py): every decoded component is written
out again and its colons counted, and the colons of the whole text must equal those of
everything decoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from sbomcheck.ingest._cdx_common import new_relationship
from sbomcheck.ingest._cdx_json_typed import (
    ORJSON_INT_MAX,
    ORJSON_INT_MIN,
    READ_MEMBERS,
    Bom,
    TypedComponent,
    TypedReader,
)
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json import colons_as_read, colons_as_written
from sbomcheck.ingest.interface import FastPath
from sbomcheck.model import (
    Component,
    ComponentColumns,
    Document,
    Format,
    IdentityText,
    LazyComponents,
    component_flags,
    identity_flags,
    links_elsewhere,
    span_of,
)

__all__ = ["FAST_PATH", "SplitCycloneDx", "decode_split", "read_split"]


class _SplitBom(Bom, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    components: list[msgspec.Raw] | None = None  # type: ignore[assignment]


_decode_split = msgspec.json.Decoder(_SplitBom).decode
_decode_component = msgspec.json.Decoder(TypedComponent).decode
_encode = msgspec.json.Encoder().encode
_DECODE_ERRORS = (msgspec.DecodeError, RecursionError, UnicodeDecodeError)


class _Plain:
    """A top-level component kept unbuilt: its slice, where it stands, its columns."""

    __slots__ = ("index", "nesting", "raw", "refs", "rows")

    def __init__(self, raw: msgspec.Raw, index: int) -> None:
        self.raw = raw
        self.index = index
        self.rows: list[tuple[str, bool, str | None, int]] = []
        """(ref, synthetic, parent, identity flags) of it and its nested components."""
        self.nesting: list[tuple[str, str, str]] = []
        """(parent ref, child ref, child location) of each nesting, in the typed reader's
        order."""


_Built = tuple[int, TypedComponent]
"""A top-level component to build while reading: where it stands, and its Struct."""


class SplitCycloneDx:
    """What `decode_split` found: the members the reader reads, and per top-level
    component either a `_Plain` or the decoded Struct to build."""

    __slots__ = ("members", "tops")

    def __init__(self, members: dict[str, Any], tops: list[_Plain | _Built]) -> None:
        self.members = members
        self.tops = tops


def decode_split(data: bytes) -> SplitCycloneDx | None:
    """The document split and checked, or None to use the general reader (not JSON msgspec
    reads, not `bomFormat: CycloneDX`, not of the regular shape, or a repeated key)."""
    try:
        bom = _decode_split(data)
    except _DECODE_ERRORS:
        return None
    if bom.bomFormat != "CycloneDX":
        return None
    version = bom.version
    if version.__class__ is int and not ORJSON_INT_MIN <= version <= ORJSON_INT_MAX:
        return None
    written = colons_as_written(data)
    if written is None:
        return None
    raws, bom.components = bom.components, None
    outside = colons_as_read(bom)
    if outside is None:
        return None
    tops: list[_Plain | _Built] = []
    inside = 0
    for i, raw in enumerate(raws or ()):
        try:
            comp = _decode_component(raw)
        except _DECODE_ERRORS:
            return None
        inside += _encode(comp).count(b":")
        plain = _Plain(raw, i)
        tops.append(plain if _plain_rows(comp, None, i, None, plain) else (i, comp))
    # NOTE: a colon per key, and the colons inside strings: the counts agree exactly when
    # no key was dropped anywhere (ingest/_json.py). `components` itself is one key.
    if written != outside + inside + (raws is not None):
        return None
    members = {name: value for name in READ_MEMBERS if (value := getattr(bom, name)) is not None}
    return SplitCycloneDx(members, tops)


def _plain_rows(
    c: TypedComponent, loc: str | None, index: int, parent: str | None, plain: _Plain
) -> bool:
    """Add the columns of `c` and its nested components to `plain`; False when any of them
    must be built while reading (see the module docstring)."""
    ref = c.ref
    synthetic = ref is None
    if ref is None:
        loc = loc or f"components[{index}]"
        ref = loc
    if not ref or c.name is None or c.swid is not None or c.pedigree is not None:
        return False
    if c.evidence is not None or not _regular_licenses(c.licenses):
        return False
    if c.externalReferences is not None and any(
        e.type.lower() == "bom" for e in c.externalReferences
    ):
        return False
    flags = identity_flags(
        (c.supplier, c.manufacturer),
        c.publisher,
        c.purl,
        c.cpe is not None,
        len(c.hashes) if c.hashes is not None else 0,
    )
    plain.rows.append((ref, synthetic, parent, flags))
    if c.components:
        loc = loc or f"components[{index}]"
        for j, kid in enumerate(c.components):
            where = f"{loc}.components[{j}]"
            first = len(plain.rows)
            if not _plain_rows(kid, where, index, ref, plain):
                return False
            plain.nesting.append((ref, plain.rows[first][0], where))
    return True


def _regular_licenses(entries: Sequence[Any] | None) -> bool:
    """True when the typed reader reads every licence entry without a warning."""
    for entry in entries or ():
        lic = entry.license
        if lic is not None:
            if (lic.id or lic.name) is None:
                return False
        elif entry.expression is None:
            return False
    return True


def read_split(split: SplitCycloneDx, ctx: ReadContext) -> Document:
    """The Document of what `decode_split` returned: equal to the one the general reader
    builds from the same bytes, warnings included. Consumes `split`."""
    members, split.members = split.members, {}
    tops, split.tops = split.tops, []
    return _LazyReader(ctx, tops).read(members)


FAST_PATH = FastPath(
    format=Format.CYCLONEDX_JSON,
    # Where CycloneDX JSON names itself, within the first 4 KB: worth trying the typed decode.
    hints=(b'"bomFormat"',),
    decode=decode_split,
    read=read_split,
    # NOTE: nested components make any depth regular to the Structs, so the bytes are
    # measured first (ingest/_json.py).
    measures_depth=False,
)


class _LazyReader(TypedReader):
    """The typed reader, keeping the plain top-level components unbuilt."""

    __slots__ = ("builder", "columns", "items", "plains", "spans", "tops")

    def __init__(self, ctx: ReadContext, tops: list[_Plain | _Built]) -> None:
        super().__init__(ctx)
        self.tops = tops
        self.items: list[Component | None] = []
        self.columns = ComponentColumns(
            refs=[], synthetic=bytearray(), parents=[], metadata=bytearray(),
            flags=bytearray(), linked=[],
        )  # fmt: skip
        self.plains: list[_Plain] = []
        self.spans: list[tuple[int, int]] = []
        # NOTE: builds components later, with its own warnings list: a plain component
        # raises none, and the document's are complete when reading ends.
        self.builder = TypedReader(ReadContext(key=ctx.key, path=ctx.path, sha256="", gzip=False))

    def body(self, bom: dict[str, Any]) -> tuple[int | None, tuple[Any, ...]]:
        self.take_built()  # metadata.component
        for top in self.tops:
            if isinstance(top, _Plain):
                self.keep_plain(top)
            else:
                self.component(top[1], f"components[{top[0]}]", None, False)
                self.take_built()
        self.tops = []
        return super().body(bom)

    def keep_plain(self, plain: _Plain) -> None:
        """Columns and nesting relationships of an unbuilt top-level component."""
        start = len(self.items)
        cols = self.columns
        for ref, synthetic, parent, flags in plain.rows:
            cols.refs.append(ref)
            cols.synthetic.append(synthetic)
            cols.parents.append(parent)
            cols.metadata.append(0)
            cols.flags.append(flags)
        self.items += [None] * len(plain.rows)
        key = self.key
        self.relationships += [
            new_relationship(parent, "contains", child, key, where, False)
            for parent, child, where in plain.nesting
        ]
        self.spans.append((start, len(self.items)))
        self.plains.append(plain)

    def take_built(self) -> None:
        """Move the components built since the last call into `items`, with their columns."""
        cols = self.columns
        for comp in self.components:
            if links_elsewhere(comp):
                cols.linked.append(len(self.items))
            self.items.append(comp)
            cols.refs.append(comp.ref)
            cols.synthetic.append(comp.ref_synthetic)
            cols.parents.append(comp.parent)
            cols.metadata.append(comp.is_metadata)
            cols.flags.append(component_flags(comp))
        self.components.clear()

    def component_sequence(self) -> Sequence[Component]:
        self.take_built()
        if not self.plains:
            return tuple(c for c in self.items if c is not None)
        identity = IdentityText(
            blobs=[p.raw for p in self.plains], spans=self.spans, escape=b"\\", unsure=set()
        )
        return LazyComponents(self.items, self.columns, self.build_plain, identity)

    def build_plain(self, items: list[Component | None], index: int) -> None:
        """Build the unbuilt top-level component holding component `index`, and its
        nested ones, into `items`."""
        k = span_of(self.spans, index)
        assert k is not None, "an unbuilt component lies in a span"
        plain = self.plains[k]
        builder = self.builder
        builder.component(_decode_component(plain.raw), f"components[{plain.index}]", None, False)
        start, end = self.spans[k]
        built, builder.components = builder.components, []
        builder.relationships.clear()
        assert len(built) == end - start, "the typed reader builds what the columns list"
        items[start:end] = built
