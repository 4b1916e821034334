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

import bisect
from array import array
from collections.abc import Sequence
from itertools import accumulate, chain, repeat
from typing import Any

import msgspec

from sbomcheck.ingest._cdx_common import BOM_LINK_PREFIX, new_relationship
from sbomcheck.ingest._cdx_json_typed import (
    ORJSON_INT_MAX,
    ORJSON_INT_MIN,
    READ_MEMBERS,
    Bom,
    TypedComponent,
    TypedDependency,
    TypedReader,
)
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json import (
    DECODE_ERRORS,
    colons_as_read,
    colons_as_written,
    colons_of_struct,
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
    Relationship,
    identity_flags,
    span_of,
    with_built,
)

__all__ = ["FAST_PATH", "SplitCycloneDx", "decode_split", "read_split"]


class _SplitBom(Bom, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    components: list[msgspec.Raw] | None = None  # type: ignore[assignment]


_decode_split = msgspec.json.Decoder(_SplitBom).decode
_decode_component = msgspec.json.Decoder(TypedComponent).decode


class _Columns:
    """The columns of the components array, one row per component (nested ones included),
    as `decode_split` reads them; rows of components to be built hold placeholders."""

    __slots__ = ("flags", "parents", "refs", "synthetic")

    def __init__(self) -> None:
        self.refs: list[str] = []
        self.synthetic = bytearray()
        self.parents: list[str | None] = []
        self.flags = bytearray()

    def truncate(self, size: int) -> None:
        """Drop the rows from `size` on (a component found irregular half-way)."""
        del self.refs[size:], self.synthetic[size:], self.parents[size:], self.flags[size:]

    def reserve(self, size: int) -> None:
        """Add `size` placeholder rows, for a component built while reading."""
        self.refs += repeat("", size)
        self.synthetic += bytes(size)
        self.parents += repeat(None, size)
        self.flags += bytes(size)


_Nesting = list[tuple[str, str, str]]
"""(parent ref, child ref, child location) of each nesting, in the typed reader's order."""


class _Top:
    """A top-level component that needs the reader: one to build (`struct`), or a plain one
    whose nested components give relationships (`nesting`)."""

    __slots__ = ("index", "nesting", "row", "struct")

    def __init__(
        self, index: int, row: int, struct: TypedComponent | None, nesting: _Nesting
    ) -> None:
        self.index = index
        self.row = row
        self.struct = struct
        self.nesting = nesting


class SplitCycloneDx:
    """What `decode_split` found: the members the reader reads, the columns of the
    components array, the raw slice, array index and rows of each plain top-level
    component, and the top-level components the reader must look at."""

    __slots__ = ("blobs", "columns", "ends", "indexes", "members", "source", "starts", "tops")

    def __init__(self, members: dict[str, Any], source: bytes) -> None:
        self.members = members
        self.source = source
        self.columns = _Columns()
        self.blobs: list[msgspec.Raw] = []
        self.indexes = array("q")
        """The position of each plain component in the components array."""
        self.starts = array("q")
        """The row of each plain component."""
        self.ends = array("q")
        """The row after each plain component and its nested ones."""
        self.tops: list[_Top] = []


def decode_split(data: bytes) -> SplitCycloneDx | None:
    """The document split and checked, or None to use the general reader (not JSON msgspec
    reads, not `bomFormat: CycloneDX`, not of the regular shape, or a repeated key)."""
    try:
        bom = _decode_split(data)
    except DECODE_ERRORS:
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
    split = SplitCycloneDx(
        {name: value for name in READ_MEMBERS if (value := getattr(bom, name)) is not None}, data
    )
    inside = _split_components(raws or [], split)
    # NOTE: a colon per key, and the colons inside strings: the counts agree exactly when
    # no key was dropped anywhere (ingest/_json.py). `components` itself is one key.
    if inside is None or written != outside + inside + (raws is not None):
        return None
    return split


def _split_components(raws: list[msgspec.Raw], split: SplitCycloneDx) -> int | None:
    """Decode and sort each top-level component into `split`; the colons of all of them
    written out again, or None when one is not of the regular shape."""
    columns = split.columns
    inside = 0
    for i, raw in enumerate(raws):
        try:
            comp = _decode_component(raw)
        except DECODE_ERRORS:
            return None
        inside += colons_of_struct(comp)
        row = len(columns.refs)
        nesting: _Nesting = []
        if _plain_rows(comp, None, i, None, columns, nesting):
            split.blobs.append(raw)
            split.indexes.append(i)
            split.starts.append(row)
            split.ends.append(len(columns.refs))
            if nesting:
                split.tops.append(_Top(i, row, None, nesting))
        else:
            columns.truncate(row)
            columns.reserve(_count(comp))
            split.tops.append(_Top(i, row, comp, []))
    return inside


def _count(c: TypedComponent) -> int:
    """How many components `c` is, nested ones included."""
    return 1 + sum(map(_count, c.components or ()))


def _plain_rows(
    c: TypedComponent,
    loc: str | None,
    index: int,
    parent: str | None,
    columns: _Columns,
    nesting: _Nesting,
) -> bool:
    """Add the rows of `c` and its nested components to `columns`; False when any of them
    must be built while reading (see the module docstring)."""
    ref = c.ref
    synthetic = ref is None
    if ref is None:
        loc = loc or f"components[{index}]"
        ref = loc
    if not ref or c.name is None or c.swid is not None or c.pedigree is not None:
        return False
    if c.evidence is not None or (c.licenses is not None and not _regular_licenses(c.licenses)):
        return False
    for entry in c.externalReferences or ():
        if len(entry.type) == 3 and entry.type.lower() == "bom":
            return False
    columns.refs.append(ref)
    columns.synthetic.append(synthetic)
    columns.parents.append(parent)
    columns.flags.append(
        identity_flags(
            (c.supplier, c.manufacturer),
            c.publisher,
            c.purl,
            c.cpe is not None,
            len(c.hashes) if c.hashes is not None else 0,
        )
    )
    if c.components:
        loc = loc or f"components[{index}]"
        for j, kid in enumerate(c.components):
            where = f"{loc}.components[{j}]"
            first = len(columns.refs)
            if not _plain_rows(kid, where, index, ref, columns, nesting):
                return False
            nesting.append((ref, columns.refs[first], where))
    return True


def _regular_licenses(entries: Sequence[Any]) -> bool:
    """True when the typed reader reads every licence entry without a warning."""
    for entry in entries:
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
    return _LazyReader(ctx, split).read(members)


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


class _LazyDependencies:
    """The `dependsOn` lists of the dependencies as columns, and where each row was written."""

    __slots__ = ("columns", "start")

    def __init__(self, columns: tuple[list[str], list[str], list[str]], start: list[int]) -> None:
        self.columns = columns
        self.start = start
        """The first row of each dependencies entry."""

    def location(self, row: int) -> str:
        """Where row `row` (counted from the first dependency row) was written."""
        k = bisect.bisect_right(self.start, row) - 1
        return f"dependencies[{k}].dependsOn[{row - self.start[k]}]"


def _lazy_dependencies(
    entries: list[TypedDependency], declared: list[str]
) -> _LazyDependencies | None:
    """The dependencies as columns, or None where the typed reader must read them: a
    missing, empty or BOM-Link ref, or a BOM-Link target (they raise warnings or name other
    documents), or a `provides` (counted apart, rare). Each end that names a `declared`
    ref is that ref's own string, so the decoded copies can go (3 per component)."""
    same = {ref: ref for ref in declared}
    refs = [same.get(ref, ref) if (ref := dep.ref) else "" for dep in entries]
    if not all(refs) or any(dep.provides is not None for dep in entries):
        return None
    if any(map(str.startswith, refs, repeat(BOM_LINK_PREFIX))):
        return None
    ends = [dep.dependsOn or () for dep in entries]
    lengths = list(map(len, ends))
    targets = list(map(same.get, chain.from_iterable(ends), chain.from_iterable(ends)))
    if any(map(str.startswith, targets, repeat(BOM_LINK_PREFIX))):
        return None
    sources = list(chain.from_iterable(map(repeat, refs, lengths)))
    types = ["depends-on"] * len(targets)
    return _LazyDependencies((sources, types, targets), list(accumulate(lengths, initial=0))[:-1])


class _LazyReader(TypedReader):
    """The typed reader, keeping the plain top-level components unbuilt and the
    dependencies as columns."""

    __slots__ = ("builder", "deps", "ends", "head", "items", "split", "starts")

    def __init__(self, ctx: ReadContext, split: SplitCycloneDx) -> None:
        super().__init__(ctx)
        self.split = split
        self.items: list[Component | None] = []
        self.head: list[Component] = []
        """metadata.component and its nested components, built before the array."""
        self.deps: _LazyDependencies | None = None
        self.starts = array("q")
        self.ends = array("q")
        # NOTE: builds components later, with its own warnings list: a plain component
        # raises none, and the document's are complete when reading ends.
        self.builder = TypedReader(ReadContext(key=ctx.key, path=ctx.path, sha256="", gzip=False))

    def body(self, bom: dict[str, Any]) -> tuple[int | None, tuple[Any, ...]]:
        self.head, self.components = self.components, []
        split = self.split
        self.items = [None] * len(split.columns.refs)
        for top in split.tops:
            if top.struct is None:
                self.relationships += [
                    new_relationship(parent, "contains", child, self.key, where, False)
                    for parent, child, where in top.nesting
                ]
                continue
            self.component(top.struct, f"components[{top.index}]", None, False)
            self.items[top.row : top.row + len(self.components)] = self.components
            self.components = []
            top.struct = None
        return super().body(bom)

    def dependencies(self, value: object) -> int | None:
        entries: Any = value
        if entries and entries[0].__class__ is TypedDependency:
            self.deps = _lazy_dependencies(entries, self.split.columns.refs)
        if self.deps is None:
            return super().dependencies(value)
        return None  # as written: one relationship per dependsOn entry

    def component_sequence(self) -> Sequence[Component]:
        split = self.split
        head = self.head
        items: list[Component | None] = [*head, *self.items]
        columns = _all_columns(head, split.columns, items)
        if not split.blobs:
            return tuple(c for c in items if c is not None)
        shift = len(head)
        self.starts = array("q", [start + shift for start in split.starts])
        self.ends = array("q", [end + shift for end in split.ends])
        identity = IdentityText(
            blobs=split.blobs, starts=self.starts, ends=self.ends, escape=b"\\", unsure=set()
        )
        return LazyComponents(items, columns, self.build_plain, identity, split.source)

    def relationship_sequence(self) -> Sequence[Relationship]:
        deps = self.deps
        if deps is None:
            return tuple(self.relationships)
        built = tuple(self.relationships)
        sources, types, targets = deps.columns
        columns = (
            [r.source for r in built] + sources,
            [r.type for r in built] + types,
            [r.target for r in built] + targets,
        )
        key, first = self.key, len(built)
        location = deps.location

        def make(i: int) -> Relationship:
            return new_relationship(
                columns[0][i], columns[1][i], columns[2][i], key, location(i - first), True
            )

        return LazyRelationships(built, columns, make)

    def build_plain(self, items: list[Component | None], index: int) -> None:
        """Build the unbuilt top-level component holding component `index`, and its
        nested ones, into `items`."""
        k = span_of(self.starts, self.ends, index)
        assert k is not None, "an unbuilt component lies in a span"
        builder = self.builder
        comp = _decode_component(self.split.blobs[k])
        builder.component(comp, f"components[{self.split.indexes[k]}]", None, False)
        start, end = self.starts[k], self.ends[k]
        built, builder.components = builder.components, []
        builder.relationships.clear()
        assert len(built) == end - start, "the typed reader builds what the columns list"
        items[start:end] = built


def _all_columns(
    head: list[Component], array: _Columns, items: list[Component | None]
) -> ComponentColumns:
    """The columns of every component: metadata.component (and its nested ones), then the
    components array; the rows of built components are read from them."""
    n = len(head)
    placeholders = ComponentColumns(
        refs=[""] * n + array.refs,
        synthetic=bytearray(n) + array.synthetic,
        parents=[*repeat(None, n), *array.parents],
        metadata=bytearray(n + len(array.refs)),
        flags=bytearray(n) + array.flags,
        linked=[],
    )
    return with_built(placeholders, items)
